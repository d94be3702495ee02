/*
 * alignfit.h -- the alignment choice of the simulation (docs/models/alignment.md, step 5) fitted by
 * maximum likelihood on the Cold War, where alignment is observable: each state-year is aligned with
 * the US, with the USSR, or hedging, either by its security ties (an ATOP defence tie with one pole's
 * camp only: ent_alignfit_security_observe, the default) or by its UN ideal point (Bailey, Strezhnev
 * & Voeten 2017) relative to the two poles'; the choice is the simulation's own multinomial logit over
 * {hedge, align with pole 0, align with pole 1}, its terms computed from the historical system of the
 * year before (capabilities, hostility, capitals, polyarchy, defence pacts) and last year's observed
 * alignments.
 *
 * Identification: a logit identifies utilities only up to scale, so the simulation's temperature and
 * its betas are identified only as ratios beta / temperature. The fit fixes temperature = 1 (the
 * simulation's default) and estimates the betas on that scale.
 */
#ifndef ENTENTE_ALIGNFIT_H
#define ENTENTE_ALIGNFIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "entente/common.h"
#include "entente/pactmodel.h"
#include "entente/store.h"

ENT_BEGIN_DECLS

/* The options of a choice, in the simulation's order (codes 0, 1 + p). */
#define ENT_ALIGNFIT_NOPT 3

/* The simulation's terms, in this order; their names are the scenario parameters' keys. */
enum {
    ENT_AF_SECURITY,     /* severity x the share of the threat the option removes */
    ENT_AF_FOREIGN,      /* UN ideal-point distance to the rival minus that to p, over the poles' gap */
    ENT_AF_REGIME,       /* |D_i - D_q| - |D_i - D_p| (polyarchy) */
    ENT_AF_ENTRAPMENT,   /* minus hostility(p, q) x proximity to q */
    ENT_AF_AUTONOMY,     /* minus 0.5 for aligning (the price of an alliance) */
    ENT_AF_SWITCHING,    /* 1 for last year's alignment */
    ENT_AF_PACT_INERTIA, /* 2 for aligning with a pole one has a defence pact with */
    ENT_AF_NTERMS
};
/* "beta_security", "beta_foreign", "beta_regime", "beta_entrapment", "beta_autonomy", "switching_cost",
 * "pact_inertia"; NULL past the end. Static. */
const char *ent_alignfit_term_name(size_t k);

/*
 * Choice situations: row r's utility of option o is sum_k theta_k x[(r*NOPT + o)*k + k]; y[r] the
 * option chosen, prev[r] last year's. Caller-owned arrays; ent_alignfit_data_alloc sizes them and
 * ent_alignfit_data_destroy frees them.
 */
typedef struct {
    size_t n;             /* rows */
    size_t k;             /* terms per option */
    double *x;            /* [n * NOPT * k] */
    unsigned char *y;     /* [n] 0 hedge, 1 + p aligned with pole p */
    unsigned char *prev;  /* [n] last year's alignment */
    unsigned char *avail; /* [n * NOPT] 1 when the option can be chosen (all 1 here) */
    int32_t *ccode;       /* [n] the state (the cluster of the robust standard errors) */
    int *year;            /* [n] the outcome year */
} ent_alignfit_data_t;

#define ENT_ALIGNFIT_DATA_INIT                                                                                         \
    {                                                                                                                  \
        0, 0, NULL, NULL, NULL, NULL, NULL, NULL                                                                       \
    }
/* Sizes every array for n rows of k terms (x zeroed, avail 1). ENT_ENOMEM (d left empty). */
ent_err_t ent_alignfit_data_alloc(ent_alignfit_data_t *d, size_t n, size_t k);
/* NULL-safe; leaves d empty. */
void ent_alignfit_data_destroy(ent_alignfit_data_t *d);

/* What makes alignment observable (ent_alignfit_options_t.observable). */
typedef enum {
    /* UN votes: the ideal point's lean toward a pole against the margin */
    ENT_ALIGNFIT_VOTES = 0,
    /* security ties: an ATOP defence tie with a pole's camp (the pole and the members of its bloc-defining
     * treaties in force, ent_alignfit_bloc_treaty) and none with the other's; hedging with none or both */
    ENT_ALIGNFIT_SECURITY = 1
} ent_alignfit_observable_t;

/*
 * The bloc-defining treaties of the security observable, k = 0, 1, ...: *atopid (may be NULL) gets
 * the treaty's ATOP id; returns its short name, NULL past the end. A treaty belongs to the camp of
 * whichever pole is a member of it in the year (NATO, Rio, SEATO and ANZUS have the US; the Warsaw
 * Pact the USSR). Static.
 */
const char *ent_alignfit_bloc_treaty(size_t k, int64_t *atopid);

/*
 * The security observable on one system: al[i] (n, caller-allocated) = 1 + p when state i is a
 * member of one of p's bloc-defining treaties in s (s->member, s->treaty_id), or else has a defence
 * tie (s->defence) with pole p or with such a member and none with the other pole's camp; 0 when it
 * has ties with neither camp or both (hedging); -1 for the poles themselves. pole[2]: COW codes.
 * ENT_ENOTFOUND (a pole not in s), ENT_EINVAL. O(n^2).
 */
ent_err_t ent_alignfit_security_observe(int *al, const ent_sysyear_t *s, const int32_t pole[2]);

typedef struct {
    unsigned version;
    ent_alignfit_observable_t observable; /* ENT_ALIGNFIT_VOTES (the margin applies) or ENT_ALIGNFIT_SECURITY */
    int32_t pole[2];                      /* COW codes of the two poles: 2 (USA) and 365 (USSR/Russia) */
    /* A state is aligned with p when (|x - x_q| - |x - x_p|) / |x_p - x_q| >= margin, x the UN ideal
     * points of the year: within the quarter of the poles' gap nearest p (or beyond p) at 0.5. */
    double margin;
    /* The foreign-policy term reads the ideal points of `lag` years before the outcome (>= 1: the
     * outcome's own votes would make the term the outcome). */
    int lag;
    double distance_scale_km; /* proximity exp(-d / scale) of the threat and entrapment terms: 2500 */
} ent_alignfit_options_t;

#define ENT_ALIGNFIT_OPTIONS_VERSION 2
#define ENT_ALIGNFIT_OPTIONS_INIT                                                                                      \
    {                                                                                                                  \
        ENT_ALIGNFIT_OPTIONS_VERSION, ENT_ALIGNFIT_SECURITY, {2, 365}, 0.5, 1, 2500.0                                  \
    }

/*
 * The observed alignments and the terms of every choice of outcome years from..to, deciding on the
 * system of t - 1 (`h` must hold from - max(1, lag) .. to) and the alignments observed in t - 1.
 * Votes: each state of the system of t (a pole excepted) with UN ideal points in t, t - 1 and
 * t - lag. Security: each state of the systems of t - 1 and t (a pole excepted), its alignments from
 * the history's defence ties and treaties (ent_alignfit_security_observe); its foreign-policy term is
 * 0 when its ideal point of t - lag is unknown, as in the simulation. The ideal points are read from
 * the store's unga_ideal table. Appends to nothing: d must be empty. ENT_ERANGE (years outside h),
 * ENT_ENOTFOUND (votes: no ideal points for a pole in a year; a pole not in a system), ENT_ESTORE,
 * ENT_ENOMEM. O(years x n^2).
 */
ent_err_t ent_alignfit_data_build(ent_alignfit_data_t *d, ent_store_t *st, const ent_pmhistory_t *h, int from, int to,
                                  const ent_alignfit_options_t *opts);

typedef struct {
    size_t k;               /* terms */
    double theta[16];       /* estimates (temperature 1) */
    double cov[16 * 16];    /* inverse observed information */
    double cov_cl[16 * 16]; /* clustered by state (sandwich, G/(G-1)) */
    double loglik;
    size_t n, clusters, switches;
    int iterations;
} ent_alignfit_result_t;

/*
 * Maximum likelihood by Newton's method with step halving, on the rows of years from..to; `free_`
 * [k] (NULL: all) marks the terms estimated, the others held at theta_init (NULL: 0). ENT_EINVAL (k
 * > 16, no rows), ENT_ERANGE (no convergence in 100 iterations or a singular information: a term
 * without variation, or separation), ENT_ENOMEM. O(iterations x rows x k^2).
 */
ent_err_t ent_alignfit_fit(ent_alignfit_result_t *res, const ent_alignfit_data_t *d, int from, int to,
                           const bool *free_, const double *theta_init);

/* The log likelihood of theta on the rows of years from..to (and their count in *nrows, may be NULL). */
double ent_alignfit_loglik(const ent_alignfit_data_t *d, const double *theta, int from, int to, size_t *nrows);

/*
 * The same choices with the baseline's terms: per option 1{aligned with pole 0}, 1{pole 1},
 * 1{last year's}: a multinomial logit with alternative-specific constants and persistence.
 */
ent_err_t ent_alignfit_data_baseline(ent_alignfit_data_t *out, const ent_alignfit_data_t *d);

/*
 * The same choices with the model's covariates but not its structure: per option 1{pole 0}, 1{pole 1},
 * 1{last year's}, then security, foreign, regime, entrapment and pact inertia each with a coefficient
 * of its own for pole 0 and for pole 1 (13 terms): a multinomial logit free to weigh each covariate
 * differently toward each pole.
 */
enum { ENT_ALIGNFIT_MNL_K = 13 };
ent_err_t ent_alignfit_data_mnl(ent_alignfit_data_t *out, const ent_alignfit_data_t *d);

/*
 * Out-of-sample scores on the rows of years vfrom..vto, each the mean log likelihood per choice (and
 * the share of choices whose most probable option was taken): the fitted model (theta); persistence
 * (last year's alignment with probability 1 - e, the others e/2, e the switching rate of the fit
 * years ffrom..fto); the baseline multinomial logit (ent_alignfit_data_baseline); the model with its
 * inertia only (autonomy, switching cost and pact inertia free, the other terms 0); and the
 * unstructured logit on its covariates (ent_alignfit_data_mnl); each fitted on the fit years.
 * ENT_EINVAL (no rows), the fits' errors.
 */
typedef struct {
    size_t n;
    double model, persistence, baseline;             /* mean log likelihood per choice */
    double hit_model, hit_persistence, hit_baseline; /* share of choices predicted (the modal option) */
    double switch_rate;                              /* of the fit years */
    double baseline_theta[3];                        /* pole-0 constant, pole-1 constant, persistence */
    double inertia, hit_inertia;                     /* the model with inertia only */
    double mnl, hit_mnl;                             /* the unstructured logit on the same covariates */
} ent_alignfit_scores_t;
ent_err_t ent_alignfit_score(ent_alignfit_scores_t *out, const ent_alignfit_data_t *d, const double *theta, int ffrom,
                             int fto, int vfrom, int vto);

/*
 * Writes the parameter file (JSON: {"model": "entente-alignment-choice", "version": 1,
 * "normalisation", "observable": {poles, margin, lag}, "fit": {years, choices, states, switches,
 * loglik}, "params": [{"name", "estimate", "se", "se_cluster"}], "covariance" (clustered),
 * "scores": {...}, "provenance": {...}}). provenance_json: a JSON object's text or NULL.
 * ENT_EIO, ENT_EPARSE (bad provenance), ENT_ENOMEM.
 */
ent_err_t ent_alignfit_save(const char *path, const ent_alignfit_result_t *res, const ent_alignfit_options_t *opts,
                            int ffrom, int fto, const ent_alignfit_scores_t *sc, int vfrom, int vto,
                            const char *provenance_json);

ENT_END_DECLS

#endif
