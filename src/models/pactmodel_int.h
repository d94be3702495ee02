/*
 * pactmodel_int.h -- what the pact model's files share inside the library:
 * the pieces of ent_pactmodel_probs() that the fit reuses on precomputed terms.
 */
#ifndef ENTENTE_PACTMODEL_INT_H
#define ENTENTE_PACTMODEL_INT_H

#include "entente/pactmodel.h"

double ent_i_pm_sigmoid(double x);
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

#endif
