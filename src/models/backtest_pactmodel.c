/*
 * backtest_pactmodel.c -- the pact model refitted before each test year of
 * the backtest, as the scorecard's logit is: the forecast of outcome year T
 * comes from estimates fitted on outcome years fit_from..T-1 only. The data
 * of every year is built once (ent_pmfit_data_build over the whole span) and
 * each refit sees a prefix of it, so no system of year >= T enters T's fit;
 * the penalty and threat reference stay those the validation years chose, and
 * each BFGS starts from the previous year's estimates, so a refit costs a
 * few iterations, not a fit from scratch.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "entente/pactmodel.h"
#include "pactmodel_int.h"
#include "util_int.h"

ent_err_t ent_pactmodel_refit_path(double *theta, const ent_pactmodel_t *m, const ent_sysyear_t *const *sys,
                                   size_t nsys, int fit_from, int test_from, int test_to, double *seconds,
                                   volatile sig_atomic_t *cancel)
{
    const size_t P = ENT_PM_NPARAMS;
    if (!(fit_from < test_from && test_from <= test_to)) {
        return ent_i_err(ENT_EINVAL, "pact-model refit: need fit years %d.. before test years %d-%d", fit_from,
                         test_from, test_to);
    }
    ent_err_t rc = ENT_OK;
    ent_pmfit_data_t *all = NULL, *view = NULL;
    ent_pactmodel_t *cur = NULL;
    const ent_sysyear_t **span = NULL;
    size_t nspan = 0;
    clock_t c0 = clock();
    /* only the systems before the last test year: its outcome year is never an input */
    if (!(span = ent_calloc(nsys ? nsys : 1, sizeof *span))) {
        return ent_i_nomem();
    }
    for (size_t k = 0; k < nsys; k++) {
        if (sys[k]->year <= test_to - 1) {
            span[nspan++] = sys[k];
        }
    }
    ENT_CHECK(ent_pactmodel_new(&cur));
    ENT_CHECK(ent_pactmodel_set(cur, ent_pactmodel_estimates(m), NULL, NULL, ent_pactmodel_settings(m), NULL));
    ENT_CHECK(ent_pmfit_data_build(&all, cur, span, nspan, fit_from, test_to - 1));
    double start[ENT_PM_NPARAMS];
    memcpy(start, ent_pactmodel_estimates(m), sizeof start);
    for (int T = test_from; T <= test_to; T++) {
        if (cancel && *cancel) {
            rc = ent_i_err(ENT_EINTERRUPTED, "pact-model refit: interrupted");
            goto done;
        }
        bool free_[ENT_PM_NPARAMS];
        ent_pmfit_result_t r;
        ENT_CHECK(ent_i_pmfit_data_view(&view, all, T - 1));
        ent_i_pmfit_informed(view, free_);
        for (size_t q = 0; q < P; q++) {
            /* a term without variation keeps m's value, not the previous refit's */
            if (!free_[q]) {
                start[q] = ent_pactmodel_estimates(m)[q];
            }
        }
        rc = ent_i_pmfit_run(cur, &r, view, ent_pactmodel_settings(m)->lambda, start, free_, false, cancel);
        if (rc == ENT_EINTERRUPTED) {
            goto done; /* the fit's own message: nothing to add about the year */
        }
        if (rc != ENT_OK) {
            char why[256];
            snprintf(why, sizeof why, "%s", ent_errmsg());
            rc = ent_i_err(rc, "pact-model refit for outcome year %d: %s", T, why);
            goto done;
        }
        memcpy(start, ent_pactmodel_estimates(cur), sizeof start);
        memcpy(theta + (size_t)(T - test_from) * P, start, sizeof start);
        ent_pmfit_data_free(view);
        view = NULL;
    }
done:
    if (seconds) {
        *seconds = (double)(clock() - c0) / CLOCKS_PER_SEC;
    }
    ent_pmfit_data_free(view);
    ent_pmfit_data_free(all);
    ent_pactmodel_free(cur);
    ent_free(span);
    return rc;
}

ent_err_t ent_pmhistory_forecast_refit(double *out, const ent_pmhistory_t *h, const ent_pactmodel_t *m,
                                       const double *c1, const double *c2, const double *year, size_t nrows,
                                       int fit_from, int test_from, int test_to, double *seconds,
                                       volatile sig_atomic_t *cancel)
{
    const size_t P = ENT_PM_NPARAMS;
    int from = ent_pmhistory_from(h), to = ent_pmhistory_to(h);
    if (fit_from - 1 < from || test_to - 1 > to) {
        return ent_i_err(ENT_ERANGE,
                         "pact-model refit: outcome years %d-%d need the systems of %d-%d; the history "
                         "has %d-%d",
                         fit_from, test_to, fit_from - 1, test_to - 1, from, to);
    }
    ent_err_t rc = ENT_OK;
    size_t ny = (size_t)(test_to - test_from + 1), nsys = (size_t)(test_to - fit_from + 1), nsub = 0;
    const ent_sysyear_t **sys = ent_calloc(nsys, sizeof *sys);
    double *theta = ent_malloc(ny * P * sizeof *theta), *sc1 = NULL, *sc2 = NULL, *sy = NULL, *sp = NULL;
    size_t *rows = NULL;
    if (!sys || !theta || !(sc1 = ent_malloc((nrows + 1) * sizeof *sc1)) ||
        !(sc2 = ent_malloc((nrows + 1) * sizeof *sc2)) || !(sy = ent_malloc((nrows + 1) * sizeof *sy)) ||
        !(sp = ent_malloc((nrows + 1) * sizeof *sp)) || !(rows = ent_malloc((nrows + 1) * sizeof *rows))) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k < nsys; k++) {
        sys[k] = ent_pmhistory_year(h, fit_from - 1 + (int)k);
    }
    ENT_CHECK(ent_pactmodel_refit_path(theta, m, sys, nsys, fit_from, test_from, test_to, seconds, cancel));
    /* every row with m's estimates, then the test years' rows again with their refit */
    ENT_CHECK(ent_pmhistory_forecast(out, h, m, ent_pactmodel_estimates(m), c1, c2, year, nrows));
    for (int T = test_from; T <= test_to; T++) {
        nsub = 0;
        for (size_t r = 0; r < nrows; r++) {
            if (year[r] == (double)(T - 1)) {
                rows[nsub] = r;
                sc1[nsub] = c1[r];
                sc2[nsub] = c2[r];
                sy[nsub] = year[r];
                nsub++;
            }
        }
        if (!nsub) {
            continue;
        }
        ENT_CHECK(ent_pmhistory_forecast(sp, h, m, theta + (size_t)(T - test_from) * P, sc1, sc2, sy, nsub));
        for (size_t k = 0; k < nsub; k++) {
            out[rows[k]] = sp[k];
        }
    }
done:
    ent_free(sys);
    ent_free(theta);
    ent_free(sc1);
    ent_free(sc2);
    ent_free(sy);
    ent_free(sp);
    ent_free(rows);
    return rc;
}
