/*
 * pactmodel_recal.c -- intercept recalibration of the pact model: the slopes
 * fitted on 1947-1980 held, the base rates of formation and termination
 * re-estimated by maximum likelihood on the years just before a forecast's
 * origin. The Cold War formation rates the fit learned do not hold after 1990
 * (docs/validation.md, free-running forecasts overpredict the 2010s about
 * fivefold), and a shift of the intercept is the standard first remedy.
 *
 * The likelihood is the fit's own (ent_i_pmfit_gradient on data built by
 * ent_pmfit_data_build), so the window's decisions are exactly those the fit
 * counts: joins, bilateral decisions and tie-years. Formation and termination
 * share no parameter, so the two shifts are separate 1-D maxima.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/pactmodel.h"
#include "pactmodel_int.h"
#include "util_int.h"

enum { NF = ENT_PM_NFORM, NP = ENT_PM_NPARAMS };

/* Newton's steps are capped: far from the optimum the curvature of a logit likelihood is tiny. */
#define MAX_STEP 2.0
#define MAX_DELTA 20.0
#define FD_STEP 1e-4
#define MAX_ITER 60

/* The score and observed information of parameter q at theta (central differences of the score). */
static ent_err_t score_info(const ent_pmfit_data_t *d, double *theta, size_t q, double *ll, double *score, double *info)
{
    double g[NP], gp[NP], gm[NP], x = theta[q];
    *ll = ent_i_pmfit_gradient(d, theta, g);
    theta[q] = x + FD_STEP;
    double lp = ent_i_pmfit_gradient(d, theta, gp);
    theta[q] = x - FD_STEP;
    double lm = ent_i_pmfit_gradient(d, theta, gm);
    theta[q] = x;
    if (isnan(*ll) || isnan(lp) || isnan(lm)) {
        return ent_i_nomem();
    }
    *score = g[q];
    *info = -(gp[q] - gm[q]) / (2 * FD_STEP);
    return ENT_OK;
}

/*
 * Maximises the log likelihood over theta[q] alone, from theta[q] = base + 0: Newton with the step
 * capped and halved until the likelihood does not fall (it is concave in practice, but a logit product
 * need not be). *delta the shift from base, *info the observed information there.
 */
static ent_err_t maximise(const ent_pmfit_data_t *d, double *theta, size_t q, double *delta, double *info)
{
    ent_err_t rc = ENT_OK;
    double base = theta[q], ll = 0, s = 0, h = 0;
    for (int it = 0; it < MAX_ITER; it++) {
        ENT_CHECK(score_info(d, theta, q, &ll, &s, &h));
        double step = h > 0 ? s / h : (s > 0 ? MAX_STEP : -MAX_STEP);
        step = step > MAX_STEP ? MAX_STEP : step < -MAX_STEP ? -MAX_STEP : step;
        if (fabs(step) < 1e-9) {
            break;
        }
        double x = theta[q], nl = -INFINITY;
        for (int half = 0; half < 40; half++) {
            double t = x + step;
            t = t > base + MAX_DELTA ? base + MAX_DELTA : t < base - MAX_DELTA ? base - MAX_DELTA : t;
            theta[q] = t;
            nl = ent_pmfit_loglik(d, theta);
            if (isnan(nl)) {
                theta[q] = x;
                return ent_i_nomem();
            }
            if (nl >= ll) {
                break;
            }
            step /= 2;
        }
        if (nl < ll) {
            theta[q] = x; /* no ascent left in this direction: at the maximum within rounding */
            break;
        }
    }
    ENT_CHECK(score_info(d, theta, q, &ll, &s, &h));
    *delta = theta[q] - base;
    *info = h;
done:
    return rc;
}

/* G/(G-1) sum_c s_c^2 of parameter q's cluster scores: the meat of the fit's robust variance. */
static ent_err_t cluster_meat(const ent_pmfit_data_t *d, const double *theta, size_t q, double *meat, size_t *ng)
{
    double *S = NULL;
    unsigned char *seen = NULL;
    size_t slots = 0, g = 0;
    double b = 0;
    ent_err_t rc = ent_i_pmfit_cluster_scores(d, theta, &S, &seen, &slots);
    if (rc != ENT_OK) {
        return rc;
    }
    for (size_t c = 0; c < slots; c++) {
        if (seen[c]) {
            g++;
            b += S[c * NP + q] * S[c * NP + q];
        }
    }
    ent_free(S);
    ent_free(seen);
    *ng = g;
    *meat = g > 1 ? (double)g / (double)(g - 1) * b : NAN;
    return ENT_OK;
}

/* One intercept's shift and standard errors; not estimated when the window has no event or only events. */
static ent_err_t shift(const ent_pmfit_data_t *d, double *theta, size_t q, size_t decisions, size_t events,
                       double *delta, double *se, double *se_model, bool *estimated, size_t *ng)
{
    *delta = 0;
    *se = *se_model = NAN;
    *estimated = false;
    if (events == 0 || events == decisions) {
        return ENT_OK; /* the maximum is at an infinite shift: nothing to estimate */
    }
    double info = 0, meat = 0;
    ent_err_t rc = maximise(d, theta, q, delta, &info);
    if (rc == ENT_OK) {
        rc = cluster_meat(d, theta, q, &meat, ng);
    }
    if (rc != ENT_OK) {
        return rc;
    }
    *estimated = true;
    if (info > 0) {
        *se_model = 1.0 / sqrt(info);
        *se = sqrt(meat) / info;
    }
    return ENT_OK;
}

static int cmp_year(const void *a, const void *b)
{
    int x = (*(const ent_sysyear_t *const *)a)->year, y = (*(const ent_sysyear_t *const *)b)->year;
    return (x > y) - (x < y);
}

ent_err_t ent_pm_recalibrate(ent_pm_recal_t *out, const ent_pactmodel_t *m, const ent_sysyear_t *const *sys,
                             size_t nsys, int origin, int nyears)
{
    memset(out, 0, sizeof *out);
    if (nyears < 1 || nyears > 200) {
        return ent_i_err(ENT_EINVAL, "recalibration: a window of %d years (need 1 to 200)", nyears);
    }
    int first = origin - nyears - 1, last = origin - 1;
    ent_err_t rc = ENT_OK;
    ent_pmfit_data_t *d = NULL;
    const ent_sysyear_t **win = ent_calloc((size_t)nyears + 1, sizeof *win);
    if (!win) {
        return ent_i_nomem();
    }
    /* only the window's systems are handed on: a system of the origin or later cannot enter */
    size_t nw = 0;
    for (size_t k = 0; k < nsys; k++) {
        if (sys[k] && sys[k]->year >= first && sys[k]->year <= last) {
            if (nw == (size_t)nyears + 1) {
                rc = ent_i_err(ENT_EINVAL, "recalibration: two systems of one year in %d-%d", first, last);
                goto done;
            }
            win[nw++] = sys[k];
        }
    }
    qsort(win, nw, sizeof *win, cmp_year);
    for (int y = first, k = 0; y <= last; y++, k++) {
        if ((size_t)k >= nw || win[k]->year != y) {
            rc = ent_i_err(ENT_ERANGE, "recalibration: no system of %d (outcome years %d-%d need %d-%d)", y, first + 1,
                           last, first, last);
            goto done;
        }
    }
    ENT_CHECK(ent_pmfit_data_build(&d, m, win, nw, first + 1, last));
    out->origin = origin;
    out->from = first + 1;
    out->to = last;
    ent_pmfit_data_counts(d, &out->nform, &out->form_events, &out->nend, &out->end_events);
    ent_pmfit_data_joins(d, &out->njoin, &out->join_events);
    double theta[NP];
    memcpy(theta, ent_pactmodel_estimates(m), sizeof theta);
    out->loglik0 = ent_pmfit_loglik(d, theta);
    size_t g1 = 0, g2 = 0;
    ENT_CHECK(shift(d, theta, ENT_PM_F_CONST, out->nform + out->njoin, out->form_events + out->join_events,
                    &out->form_delta, &out->form_se, &out->form_se_model, &out->form_estimated, &g1));
    ENT_CHECK(shift(d, theta, NF + ENT_PM_E_CONST, out->nend, out->end_events, &out->end_delta, &out->end_se,
                    &out->end_se_model, &out->end_estimated, &g2));
    out->nclusters = g1 > g2 ? g1 : g2;
    out->loglik = ent_pmfit_loglik(d, theta);
    if (isnan(out->loglik0) || isnan(out->loglik)) {
        rc = ent_i_nomem();
    }
done:
    ent_pmfit_data_free(d);
    ent_free(win);
    return rc;
}

ent_err_t ent_pm_recalibrate_history(ent_pm_recal_t *out, const ent_pactmodel_t *m, const ent_pmhistory_t *h,
                                     int origin, int nyears)
{
    memset(out, 0, sizeof *out);
    if (nyears < 1 || nyears > 200) {
        return ent_i_err(ENT_EINVAL, "recalibration: a window of %d years (need 1 to 200)", nyears);
    }
    int first = origin - nyears - 1, last = origin - 1;
    if (first < ent_pmhistory_from(h) || last > ent_pmhistory_to(h)) {
        return ent_i_err(ENT_ERANGE,
                         "recalibration: outcome years %d-%d need the systems of %d-%d; the history has %d-%d",
                         first + 1, last, first, last, ent_pmhistory_from(h), ent_pmhistory_to(h));
    }
    const ent_sysyear_t **s = ent_calloc((size_t)nyears + 1, sizeof *s);
    if (!s) {
        return ent_i_nomem();
    }
    for (int y = first; y <= last; y++) {
        s[y - first] = ent_pmhistory_year(h, y);
    }
    ent_err_t rc = ent_pm_recalibrate(out, m, s, (size_t)nyears + 1, origin, nyears);
    ent_free(s);
    return rc;
}

ent_err_t ent_pm_recal_apply(ent_pactmodel_t *m, const ent_pm_recal_t *r)
{
    if (!isfinite(r->form_delta) || !isfinite(r->end_delta)) {
        return ent_i_err(ENT_EINVAL, "recalibration: a shift that is not finite");
    }
    double theta[NP], cov[NP * NP];
    bool fitted[NP];
    const double *c = ent_pactmodel_covariance(m);
    memcpy(theta, ent_pactmodel_estimates(m), sizeof theta);
    if (c) {
        memcpy(cov, c, sizeof cov); /* set() copies into the array it would be reading */
    }
    for (size_t k = 0; k < NP; k++) {
        fitted[k] = ent_pactmodel_fitted(m, k);
    }
    theta[ENT_PM_F_CONST] += r->form_estimated ? r->form_delta : 0.0;
    theta[NF + ENT_PM_E_CONST] += r->end_estimated ? r->end_delta : 0.0;
    return ent_pactmodel_set(m, theta, c ? cov : NULL, fitted, NULL, NULL);
}
