/*
 * models_pactmodel_fit.c -- parameter recovery: forty years of a 45-state
 * system simulated by the pact model with known parameters (formations,
 * joins of a multilateral treaty, terminations; capabilities and regimes
 * drifting so the termination drivers vary) are fitted back by maximum
 * likelihood, and every estimate must lie within 4 of its standard errors of
 * the truth, at least 80% of them within 2 (95% expected), with the
 * likelihood at the estimate no lower than at the truth. Also: the analytic
 * gradient matches finite differences of the likelihood, joins included.
 */
#include "check.h"
#include "models/pactmodel_int.h"

enum { N = 45, YEARS = 60 };

#include "pm_world.h"

int main(void)
{
    set_truth();
    ent_pactmodel_t *m = NULL;
    CHECK_OK(ent_pactmodel_new(&m));
    if (!m) {
        return 1;
    }
    static world_t w;
    ent_rng_t r;
    ent_rng_seed(&r, 2026, 12);
    build(&w, &r);
    ent_sysbuf_t *hist[YEARS + 1] = {0};
    const ent_sysyear_t *sys[YEARS + 1];
    size_t events = 0;
    ent_vec_t ev = ENT_VEC_INIT(ent_pactevent_t);
    if (!pm_history(hist, sys, m, &w, &r, &ev)) {
        return 1;
    }
    size_t kinds[3] = {0, 0, 0};
    for (size_t k = 0; k < ev.len; k++) {
        kinds[ENT_VEC_AT(&ev, ent_pactevent_t, k).kind]++;
    }
    events = ev.len;
    printf("simulated %zu events: %zu bilateral pacts, %zu joins, %zu ends\n", events, kinds[0], kinds[1], kinds[2]);
    CHECK(kinds[0] > 100 && kinds[1] >= 5 && kinds[2] > 100);

    ent_pmfit_data_t *d = NULL;
    CHECK_OK(ent_pmfit_data_build(&d, m, sys, YEARS + 1, 1951, 1950 + YEARS));
    if (!d) {
        return 1;
    }
    size_t nf, fe, ne, ee;
    ent_pmfit_data_counts(d, &nf, &fe, &ne, &ee);
    printf("at risk %zu (new ties %zu), ties %zu (ended %zu)\n", nf, fe, ne, ee);

    /* the analytic gradient against central differences of the log likelihood, every coordinate */
    {
        double th[ENT_PM_NPARAMS], g[ENT_PM_NPARAMS];
        memcpy(th, truth, sizeof th);
        double l0 = ent_i_pmfit_gradient(d, th, g);
        CHECK(isfinite(l0));
        for (size_t k = 0; k < ENT_PM_NPARAMS; k++) {
            double h = 1e-5;
            th[k] = truth[k] + h;
            double lp = ent_pmfit_loglik(d, th);
            th[k] = truth[k] - h;
            double lm = ent_pmfit_loglik(d, th);
            th[k] = truth[k];
            double fd = (lp - lm) / (2 * h);
            if (!(fabs(fd - g[k]) <= 1e-4 * (1 + fabs(fd)))) {
                fprintf(stderr, "gradient of %s: analytic %.8g, finite differences %.8g\n", ent_pactmodel_param_name(k),
                        g[k], fd);
            }
            CHECK(fabs(fd - g[k]) <= 1e-4 * (1 + fabs(fd)));
        }
    }

    ent_pactmodel_t *fit = NULL;
    CHECK_OK(ent_pactmodel_new(&fit));
    ent_pmfit_result_t res;
    CHECK_OK(ent_pmfit_run(fit, &res, d, 0.0, NULL, NULL));
    printf("fit: %d iterations, %d evaluations, %.2f s, loglik %.3f (truth %.3f)\n", res.iterations, res.evaluations,
           res.seconds, res.loglik, ent_pmfit_loglik(d, truth));
    CHECK(res.loglik >= ent_pmfit_loglik(d, truth) - 1e-6);
    const double *est = ent_pactmodel_estimates(fit), *cov = ent_pactmodel_covariance(fit);
    CHECK(cov != NULL);
    if (cov) {
        int within2 = 0;
        for (size_t k = 0; k < ENT_PM_NPARAMS; k++) {
            double se = sqrt(cov[k * ENT_PM_NPARAMS + k]);
            double zs = (est[k] - truth[k]) / se;
            printf("  %-22s true %7.3f  est %7.3f  se %6.3f  z %+5.2f\n", ent_pactmodel_param_name(k), truth[k], est[k],
                   se, zs);
            CHECK(isfinite(se) && se > 0);
            CHECK(fabs(zs) < 4.0);
            within2 += fabs(zs) < 2.0;
        }
        CHECK(within2 >= (int)(0.8 * ENT_PM_NPARAMS));
    }
    ent_pactmodel_free(fit);
    ent_pmfit_data_free(d);
    ent_vec_destroy(&ev);
    for (int y = 0; y <= YEARS; y++) {
        ent_sysbuf_free(hist[y]);
    }
    ent_pactmodel_free(m);
    return CHECK_DONE();
}
