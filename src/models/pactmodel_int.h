/*
 * pactmodel_int.h -- what the pact model's files share inside the library:
 * the pieces of ent_pactmodel_probs() that the fit reuses on precomputed terms.
 */
#ifndef ENTENTE_PACTMODEL_INT_H
#define ENTENTE_PACTMODEL_INT_H

#include <math.h>
#include <stdbool.h>

#include "entente/pactmodel.h"

double ent_i_pm_sigmoid(double x);
/* Whether k is a breadth the model accepts (settings.lesser_broad): an integer member count in 3..255
 * (a two-member treaty is bilateral; the system's `lesser` saturates at 255). */
static inline bool ent_i_pm_lesser_broad_ok(double k)
{
    return k >= 3 && k <= 255 && k == floor(k);
}
/* The LESSER (0) or LESSER_BROAD (1) term a pair's `lesser` value sets under breadth k, or -1 for none;
 * the library's terms and the simulation's static utility share it. */
static inline int ent_i_pm_lesser_kind(unsigned char lesser, double k)
{
    return lesser == 0 ? -1 : (double)lesser < k ? 0 : 1;
}
/* prox*(a -> b) of every ordered pair into prox[n*n] (presence included). ENT_ENOMEM. */
ent_err_t ent_i_pm_proximity(const ent_pactmodel_settings_t *s, const ent_sysyear_t *sys, double *prox);
/* The termination terms z [ENT_PM_NEND] of the tie i-j. */
void ent_i_pm_end_terms(const ent_sysyear_t *sys, size_t i, size_t j, double *z);
/* u = X theta_form + offset (X from ent_pactmodel_terms). */
ent_err_t ent_i_pm_utility_from_terms(const double *theta, const ent_sysyear_t *sys, const double *X, double *u);
/* P(k joins treaty t) from the utilities. */
double ent_i_pm_join_prob(const ent_sysyear_t *sys, const double *u, size_t t, size_t k);
/* ent_pactmodel_probs() on given utilities. */
ent_err_t ent_i_pm_probs_from_utility(const double *theta, const ent_sysyear_t *sys, const double *u, double *p_form,
                                      double *p_end, double *p_join);

/* The log likelihood of a fit's data and its analytic gradient g [nparams] (unpenalised); NaN on ENOMEM. */
double ent_i_pmfit_gradient(const ent_pmfit_data_t *d, const double *theta, double *g);

/* ent_pmfit_run, with the covariance only when want_cov (otherwise none is stored); ENT_EINTERRUPTED
 * when *cancel (may be NULL) is set, checked at every BFGS iteration and covariance step. */
ent_err_t ent_i_pmfit_run(ent_pactmodel_t *m, ent_pmfit_result_t *res, const ent_pmfit_data_t *d, double lambda,
                          const double *start, const bool *free_, bool want_cov, volatile sig_atomic_t *cancel);
/* A view (borrowed years; free with ent_pmfit_data_free before d) of d's outcome years up to last_outcome. */
ent_err_t ent_i_pmfit_data_view(ent_pmfit_data_t **out, const ent_pmfit_data_t *d, int last_outcome);
/* Which terms have variation in d (the intercepts always): free_[nparams]. */
void ent_i_pmfit_informed(const ent_pmfit_data_t *d, bool *free_);
/*
 * For tests of the robust covariance: every cluster's score [nslots x nparams] (*S, ent_free), which
 * slots hold an observation (*seen, ent_free), under the data's clustering; and a copy of d with every
 * observation repeated k times inside its own cluster.
 */
ent_err_t ent_i_pmfit_cluster_scores(const ent_pmfit_data_t *d, const double *theta, double **S, unsigned char **seen,
                                     size_t *nslots);
ent_err_t ent_i_pmfit_data_replicate(ent_pmfit_data_t **out, const ent_pmfit_data_t *d, size_t k);

/*
 * One year of a fit's data, read-only, for the record of a state's decisions (pactmodel_record.c):
 * the formation decisions exactly as the likelihood counts them. Arrays are borrowed from d.
 */
typedef struct {
    size_t n, nt;
    int year;                    /* t: the outcomes are of t + 1 */
    const unsigned char *member; /* nt*n in t */
    const size_t *tsize;         /* nt: members in t */
    size_t njoin;
    const uint32_t *jt, *jk; /* join decisions: treaty, state */
    const unsigned char *jy;
    size_t nrisk;
    const uint32_t *ri, *rj; /* bilateral decisions, pairs i < j */
    const unsigned char *ry;
} ent_i_pmfit_year_t;
size_t ent_i_pmfit_nyears(const ent_pmfit_data_t *d);
/* Year k's decisions, and the utilities u [n*n] (caller-allocated, may be NULL) at theta with no offset. */
void ent_i_pmfit_year(const ent_pmfit_data_t *d, size_t k, const double *theta, ent_i_pmfit_year_t *y, double *u);

#endif
