/*
 * models_backtest_refit.c -- the pact model refitted before each test year
 * (ent_pactmodel_refit_path, `entente backtest --model-refit yearly`) uses no
 * data of the test year or later, as bench/leak_check.py checks for the logit:
 * the systems of years >= T are scrambled (defence ties flipped, capabilities
 * redrawn) and every refit for an outcome year <= T must come out bit for bit
 * the same, while the refits after T must change (so the check can fail).
 * Also: the refits move with the data (no refit returns the start), and a
 * warm-started refit agrees with a cold fit on the same years.
 */
#include "check.h"
#include "models/pactmodel_int.h"

enum { N = 30, YEARS = 24 };
enum { P = ENT_PM_NPARAMS, FIT_FROM = 1951, TEST_FROM = 1966, TEST_TO = 1974 };

#include "pm_world.h"

/* A scrambled copy of a system: 3% of pairs flip their defence tie, capabilities redrawn. */
typedef struct {
    unsigned char def[N * N];
    double cinc[N];
    ent_sysyear_t sys;
} scrambled_t;

static void scramble(scrambled_t *s, const ent_sysyear_t *a, ent_rng_t *r)
{
    s->sys = *a;
    memcpy(s->def, a->defence, sizeof s->def);
    double tot = 0;
    for (size_t i = 0; i < N; i++) {
        s->cinc[i] = exp(ent_rng_normal(r));
        tot += s->cinc[i];
        for (size_t j = i + 1; j < N; j++) {
            if (ent_rng_uniform(r) < 0.03) {
                s->def[i * N + j] = s->def[j * N + i] = !s->def[i * N + j];
            }
        }
    }
    for (size_t i = 0; i < N; i++) {
        s->cinc[i] /= tot;
    }
    s->sys.defence = s->def;
    s->sys.cinc = s->cinc;
}

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
    ent_rng_seed(&r, 2026, 14);
    build(&w, &r);
    ent_sysbuf_t *hist[YEARS + 1] = {0};
    const ent_sysyear_t *sys[YEARS + 1];
    if (!pm_history(hist, sys, m, &w, &r, NULL)) {
        return 1;
    }
    /* the model refitted from: the truth, with a penalty as a shipped file has one */
    ent_pactmodel_settings_t st = *ent_pactmodel_settings(m);
    st.lambda = 1.0;
    CHECK_OK(ent_pactmodel_set(m, truth, NULL, NULL, &st, NULL));

    const size_t NY = TEST_TO - TEST_FROM + 1;
    static double a[(TEST_TO - TEST_FROM + 1) * P], b[(TEST_TO - TEST_FROM + 1) * P];
    double secs = 0;
    CHECK_OK(ent_pactmodel_refit_path(a, m, sys, YEARS + 1, FIT_FROM, TEST_FROM, TEST_TO, &secs, NULL));
    printf("%zu refits in %.2f s CPU\n", NY, secs);
    for (size_t y = 0; y < NY; y++) {
        double moved = 0, step = 0;
        for (size_t q = 0; q < P; q++) {
            moved = fmax(moved, fabs(a[y * P + q] - truth[q]));
            step = y ? fmax(step, fabs(a[y * P + q] - a[(y - 1) * P + q])) : step;
        }
        printf("  outcome year %zu: max |theta - truth| %.3f, max change from the year before %.4f\n", TEST_FROM + y,
               moved, step);
        CHECK(moved > 1e-3);
        CHECK(y == 0 || step > 1e-6);
    }

    /* a warm-started refit is the cold fit of the same years (outcome years FIT_FROM..T-1) */
    {
        int T = TEST_FROM + 3;
        ent_pmfit_data_t *d = NULL;
        CHECK_OK(ent_pmfit_data_build(&d, m, sys, YEARS + 1, FIT_FROM, T - 1));
        ent_pactmodel_t *cold = NULL;
        CHECK_OK(ent_pactmodel_new(&cold));
        CHECK_OK(ent_pactmodel_set(cold, truth, NULL, NULL, &st, NULL));
        bool informed[P];
        ent_pmfit_result_t res;
        if (d && cold) {
            ent_i_pmfit_informed(d, informed);
            /* from 0, a held term (no variation in these years) at the model's value, as the refit keeps it */
            double start[P];
            for (size_t q = 0; q < P; q++) {
                start[q] = informed[q] ? 0.0 : truth[q];
            }
            CHECK_OK(ent_pmfit_run(cold, &res, d, st.lambda, start, informed));
            const double *c = ent_pactmodel_estimates(cold);
            for (size_t q = 0; q < P; q++) {
                double diff = fabs(c[q] - a[(size_t)(T - TEST_FROM) * P + q]);
                if (!(diff < 2e-3 * (1 + fabs(c[q])))) {
                    fprintf(stderr, "%s: cold %.6f, warm %.6f\n", ent_pactmodel_param_name(q), c[q],
                            a[(size_t)(T - TEST_FROM) * P + q]);
                }
                CHECK(diff < 2e-3 * (1 + fabs(c[q])));
            }
        }
        ent_pactmodel_free(cold);
        ent_pmfit_data_free(d);
    }

    /* leakage: scramble every system of year >= cut; refits for outcome years <= cut are unchanged */
    static scrambled_t sc[YEARS + 1];
    const ent_sysyear_t *mixed[YEARS + 1];
    int cut = TEST_FROM + 4;
    for (int y = 0; y <= YEARS; y++) {
        if (sys[y]->year >= cut) {
            scramble(&sc[y], sys[y], &r);
            mixed[y] = &sc[y].sys;
        } else {
            mixed[y] = sys[y];
        }
    }
    CHECK_OK(ent_pactmodel_refit_path(b, m, mixed, YEARS + 1, FIT_FROM, TEST_FROM, TEST_TO, NULL, NULL));
    for (size_t y = 0; y < NY; y++) {
        int T = TEST_FROM + (int)y;
        bool same = memcmp(a + y * P, b + y * P, P * sizeof *a) == 0;
        printf("  outcome year %d (systems of %d.. scrambled): %s\n", T, cut, same ? "unchanged" : "changed");
        if (T <= cut) {
            CHECK(same); /* its fit saw outcome years up to T - 1 < cut only */
        } else {
            CHECK(!same); /* the scrambled outcomes entered: the check has teeth */
        }
    }

    /* bad years */
    CHECK_RC(ent_pactmodel_refit_path(b, m, sys, YEARS + 1, TEST_FROM, TEST_FROM, TEST_TO, NULL, NULL), ENT_EINVAL);

    for (int y = 0; y <= YEARS; y++) {
        ent_sysbuf_free(hist[y]);
    }
    ent_pactmodel_free(m);
    return CHECK_DONE();
}
