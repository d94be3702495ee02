/*
 * models_pactmodel_recal.c -- intercept recalibration (ent_pm_recalibrate): on
 * fifty years of the recovery test's world simulated by the pact model,
 *   - without a shift, both estimated shifts are 0 within two standard errors;
 *   - with known shifts of the formation and termination intercepts, both are
 *     recovered within two standard errors, and told apart from 0;
 *   - the shift maximises the fit's own likelihood on the window (a step either
 *     way lowers ent_pmfit_loglik);
 *   - the window is origin-N..origin-1: the systems of the origin and later
 *     never enter (scrambling them changes nothing, bit for bit, while
 *     scrambling the last year of the window does change the estimate);
 *   - applying the shift moves the two intercepts only.
 */
#include "check.h"
#include "models/pactmodel_int.h"

enum { N = 45, YEARS = 50 };

#include "pm_world.h"

enum { ORIGIN = 1990, WINDOW = 25 };

/* The world simulated from seed `s` with the intercepts shifted by df and de (truth is restored). */
static bool simulate(ent_sysbuf_t **hist, const ent_sysyear_t **sys, ent_pactmodel_t *m, uint64_t s, double df,
                     double de)
{
    static world_t w;
    ent_rng_t r;
    ent_rng_seed(&r, s, 3);
    set_truth();
    build(&w, &r);
    truth[ENT_PM_F_CONST] += df;
    truth[ENT_PM_NFORM + ENT_PM_E_CONST] += de;
    bool ok = pm_history(hist, sys, m, &w, &r, NULL);
    set_truth();
    return ok;
}

static void free_hist(ent_sysbuf_t **hist)
{
    for (int y = 0; y <= YEARS; y++) {
        ent_sysbuf_free(hist[y]);
        hist[y] = NULL;
    }
}

/* Clears every defence tie and treaty membership of a system: a different history from that year on. */
static void scramble(ent_sysbuf_t *b)
{
    ent_sysyear_t *s = ent_sysbuf_sys(b);
    memset(s->defence, 0, s->n * s->n);
    if (s->member) {
        memset(s->member, 0, s->ntreaties * s->n);
    }
}

static void print(const char *what, const ent_pm_recal_t *r)
{
    printf("%s: outcome years %d-%d, %zu bilateral (%zu new), %zu joins (%zu), %zu tie-years (%zu ended)\n"
           "  formation delta %+.3f (se %.3f, model %.3f)  termination delta %+.3f (se %.3f, model %.3f)  "
           "loglik %.2f -> %.2f\n",
           what, r->from, r->to, r->nform, r->form_events, r->njoin, r->join_events, r->nend, r->end_events,
           r->form_delta, r->form_se, r->form_se_model, r->end_delta, r->end_se, r->end_se_model, r->loglik0,
           r->loglik);
}

int main(void)
{
    ent_pactmodel_t *m = pm_truth_model();
    if (!m) {
        return 1;
    }
    ent_sysbuf_t *hist[YEARS + 1] = {0};
    const ent_sysyear_t *sys[YEARS + 1];
    ent_pm_recal_t r0, r1;

    /* no shift: 0 within two standard errors, with standard errors small enough to mean something */
    for (uint64_t seed = 11; seed <= 12; seed++) {
        if (!simulate(hist, sys, m, seed, 0, 0)) {
            return 1;
        }
        CHECK_OK(ent_pm_recalibrate(&r0, m, sys, YEARS + 1, ORIGIN, WINDOW));
        print("no shift", &r0);
        CHECK(r0.from == ORIGIN - WINDOW && r0.to == ORIGIN - 1);
        CHECK(r0.form_estimated && r0.end_estimated);
        CHECK(r0.form_se > 0 && r0.form_se < 0.3 && r0.end_se > 0 && r0.end_se < 0.3);
        CHECK(fabs(r0.form_delta) < 2 * r0.form_se);
        CHECK(fabs(r0.end_delta) < 2 * r0.end_se);
        CHECK(r0.loglik >= r0.loglik0);
        free_hist(hist);
    }

    /* known shifts: recovered, and distinguishable from no shift */
    const double df = -0.7, de = 0.6;
    if (!simulate(hist, sys, m, 21, df, de)) {
        return 1;
    }
    CHECK_OK(ent_pm_recalibrate(&r1, m, sys, YEARS + 1, ORIGIN, WINDOW));
    print("shifted", &r1);
    CHECK(fabs(r1.form_delta - df) < 2 * r1.form_se);
    CHECK(fabs(r1.end_delta - de) < 2 * r1.end_se);
    CHECK(fabs(r1.form_delta) > 2 * r1.form_se);
    CHECK(fabs(r1.end_delta) > 2 * r1.end_se);
    CHECK(r1.loglik > r1.loglik0 + 1);

    /* the maximum of the fit's likelihood on the window */
    {
        ent_pmfit_data_t *d = NULL;
        CHECK_OK(ent_pmfit_data_build(&d, m, sys, YEARS + 1, ORIGIN - WINDOW, ORIGIN - 1));
        if (!d) {
            return 1;
        }
        double th[ENT_PM_NPARAMS];
        memcpy(th, truth, sizeof th);
        th[ENT_PM_F_CONST] += r1.form_delta;
        th[ENT_PM_NFORM + ENT_PM_E_CONST] += r1.end_delta;
        double l = ent_pmfit_loglik(d, th);
        CHECK(fabs(l - r1.loglik) < 1e-9 * fabs(l));
        for (size_t q = 0; q < 2; q++) {
            size_t k = q ? ENT_PM_NFORM + ENT_PM_E_CONST : ENT_PM_F_CONST;
            for (int sgn = -1; sgn <= 1; sgn += 2) {
                th[k] += sgn * 0.02;
                CHECK(ent_pmfit_loglik(d, th) < l);
                th[k] -= sgn * 0.02;
            }
        }
        ent_pmfit_data_free(d);
    }

    /* only the window: the origin's and later systems scrambled, and the systems in reverse order */
    {
        for (int y = ORIGIN - 1950; y <= YEARS; y++) {
            scramble(hist[y]);
        }
        const ent_sysyear_t *rev[YEARS + 1];
        for (int y = 0; y <= YEARS; y++) {
            rev[y] = sys[YEARS - y];
        }
        ent_pm_recal_t r2;
        CHECK_OK(ent_pm_recalibrate(&r2, m, rev, YEARS + 1, ORIGIN, WINDOW));
        CHECK(r2.form_delta == r1.form_delta && r2.end_delta == r1.end_delta && r2.form_se == r1.form_se &&
              r2.end_se == r1.end_se && r2.nform == r1.nform && r2.nend == r1.nend);
        /* the last year of the window does count: the test can see a leak */
        scramble(hist[ORIGIN - 1 - 1950]);
        CHECK_OK(ent_pm_recalibrate(&r2, m, sys, YEARS + 1, ORIGIN, WINDOW));
        CHECK(r2.form_delta != r1.form_delta || r2.end_delta != r1.end_delta);
        /* the window reaches back to the system of origin - N - 1; without it, no estimate */
        CHECK_RC(ent_pm_recalibrate(&r2, m, sys + (ORIGIN - WINDOW - 1 - 1950) + 1,
                                    (size_t)(YEARS - (ORIGIN - WINDOW - 1 - 1950)), ORIGIN, WINDOW),
                 ENT_ERANGE);
        CHECK(strstr(ent_errmsg(), "no system of 1964") != NULL);
        CHECK_RC(ent_pm_recalibrate(&r2, m, sys, YEARS + 1, ORIGIN, 0), ENT_EINVAL);
    }

    /* applying: the two intercepts move, nothing else */
    {
        double before[ENT_PM_NPARAMS];
        memcpy(before, ent_pactmodel_estimates(m), sizeof before);
        CHECK_OK(ent_pm_recal_apply(m, &r1));
        const double *after = ent_pactmodel_estimates(m);
        for (size_t k = 0; k < ENT_PM_NPARAMS; k++) {
            double want = before[k] + (k == ENT_PM_F_CONST                  ? r1.form_delta
                                       : k == ENT_PM_NFORM + ENT_PM_E_CONST ? r1.end_delta
                                                                            : 0.0);
            CHECK(after[k] == want);
        }
        CHECK(ent_pactmodel_covariance(m) == NULL);
    }

    free_hist(hist);
    ent_pactmodel_free(m);
    return CHECK_DONE();
}
