/*
 * models_alignfit.c -- the alignment-choice fit (include/entente/alignfit.h): parameter recovery on
 * choices simulated with known parameters from the simulation's own random-utility rule (argmax of
 * utility + Gumbel noise), the coverage of the clustered 95% intervals over replicates, the closed
 * form of a logit with alternative-specific constants only, and the errors for a term without
 * variation and for separation.
 */
#include "check.h"

enum { NOPT = ENT_ALIGNFIT_NOPT, K = ENT_AF_NTERMS };

/* the true parameters: of the order the fit finds on the Cold War, every term at work */
static const double truth[K] = {2.0, 1.5, 0.8, 1.0, 1.2, 3.0, 0.4};

/*
 * `states` states over `years` years: each state's features drift slowly, and its choice each year
 * depends on last year's (the switching term), as in the history. Row r = state s, year y.
 */
static void simulate(ent_alignfit_data_t *d, size_t states, int years, uint64_t seed)
{
    ent_rng_t r;
    ent_rng_seed(&r, seed, 0);
    CHECK_OK(ent_alignfit_data_alloc(d, states * (size_t)years, K));
    size_t row = 0;
    for (size_t s = 0; s < states; s++) {
        double lean = 2 * ent_rng_uniform(&r) - 1, dem = ent_rng_uniform(&r), threat = ent_rng_uniform(&r);
        int pact = (int)ent_rng_below(&r, 3) - 1; /* -1 none, else the pole */
        int prev = (int)ent_rng_below(&r, NOPT);
        for (int y = 0; y < years; y++, row++) {
            lean += 0.1 * ent_rng_normal(&r);
            lean = lean > 1 ? 1 : (lean < -1 ? -1 : lean);
            threat = fabs(threat + 0.1 * ent_rng_normal(&r));
            double *x = d->x + row * NOPT * K;
            for (int p = 0; p < 2; p++) {
                double *xo = x + (size_t)(1 + p) * K;
                xo[ENT_AF_SECURITY] = threat * (0.3 + 0.4 * ent_rng_uniform(&r));
                xo[ENT_AF_FOREIGN] = p == 0 ? lean : -lean;
                xo[ENT_AF_REGIME] = p == 0 ? 2 * dem - 1 : 1 - 2 * dem;
                xo[ENT_AF_ENTRAPMENT] = -ent_rng_uniform(&r);
                xo[ENT_AF_AUTONOMY] = -0.5;
                xo[ENT_AF_PACT_INERTIA] = pact == p ? 2 : 0;
            }
            x[(size_t)prev * K + ENT_AF_SWITCHING] = 1;
            int best = 0;
            double bu = -INFINITY;
            for (int o = 0; o < NOPT; o++) {
                double u = 0;
                for (int k = 0; k < K; k++) {
                    u += truth[k] * x[(size_t)o * K + (size_t)k];
                }
                u += ent_rng_gumbel(&r);
                if (u > bu) {
                    bu = u;
                    best = o;
                }
            }
            d->y[row] = (unsigned char)best;
            d->prev[row] = (unsigned char)prev;
            d->ccode[row] = (int32_t)(s + 1);
            d->year[row] = 1947 + y;
            prev = best;
        }
    }
}

static void test_recovery(void)
{
    ent_alignfit_data_t d = ENT_ALIGNFIT_DATA_INIT;
    simulate(&d, 150, 34, 20261207);
    ent_alignfit_result_t res;
    CHECK_OK(ent_alignfit_fit(&res, &d, 1947, 1980, NULL, NULL));
    CHECK(res.n == 150 * 34);
    CHECK(res.clusters == 150);
    for (int k = 0; k < K; k++) {
        double se = sqrt(res.cov_cl[k * K + k]), se0 = sqrt(res.cov[k * K + k]);
        /* within 3 clustered standard errors of the truth, and the errors of a sensible size */
        CHECK(fabs(res.theta[k] - truth[k]) < 3 * se);
        CHECK(se > 0 && se < 0.5 && se0 > 0 && se0 < 0.5);
        if (!(fabs(res.theta[k] - truth[k]) < 3 * se)) {
            fprintf(stderr, "%s: %g (truth %g, se %g)\n", ent_alignfit_term_name((size_t)k), res.theta[k], truth[k],
                    se);
        }
    }
    /* the optimum beats the truth on its own data, and no other point does better than it */
    CHECK(res.loglik >= ent_alignfit_loglik(&d, truth, 1947, 1980, NULL));
    double moved[K];
    for (int k = 0; k < K; k++) {
        memcpy(moved, res.theta, sizeof moved);
        moved[k] += 0.05;
        CHECK(ent_alignfit_loglik(&d, moved, 1947, 1980, NULL) < res.loglik);
    }
    /* scores: the model beats persistence and the constants-and-persistence baseline out of sample */
    ent_alignfit_scores_t sc;
    CHECK_OK(ent_alignfit_score(&sc, &d, res.theta, 1947, 1970, 1971, 1980));
    CHECK(sc.n == 150 * 10);
    CHECK(sc.model > sc.baseline && sc.baseline > sc.persistence);
    ent_alignfit_data_destroy(&d);
}

/* 95% intervals from the clustered errors cover the truth about 95% of the time */
static void test_coverage(void)
{
    int covered = 0, total = 0;
    for (uint64_t rep = 0; rep < 30; rep++) {
        ent_alignfit_data_t d = ENT_ALIGNFIT_DATA_INIT;
        simulate(&d, 80, 20, 1000 + rep);
        ent_alignfit_result_t res;
        CHECK_OK(ent_alignfit_fit(&res, &d, 1947, 1966, NULL, NULL));
        for (int k = 0; k < K; k++) {
            covered += fabs(res.theta[k] - truth[k]) < 1.96 * sqrt(res.cov_cl[k * K + k]);
            total++;
        }
        ent_alignfit_data_destroy(&d);
    }
    double share = (double)covered / total;
    fprintf(stderr, "coverage of the 95%% intervals: %d of %d (%.3f)\n", covered, total, share);
    /* 210 intervals: a binomial(210, 0.95) falls below 0.89 with probability < 1e-3 */
    CHECK(share > 0.89 && share <= 1.0);
}

/* with alternative-specific constants only the optimum is log(n_o / n_0) */
static void test_constants(void)
{
    ent_alignfit_data_t d = ENT_ALIGNFIT_DATA_INIT;
    const size_t n[NOPT] = {50, 30, 20};
    CHECK_OK(ent_alignfit_data_alloc(&d, 100, 2));
    size_t r = 0;
    for (int o = 0; o < NOPT; o++) {
        for (size_t i = 0; i < n[o]; i++, r++) {
            d.x[(r * NOPT + 1) * 2 + 0] = 1;
            d.x[(r * NOPT + 2) * 2 + 1] = 1;
            d.y[r] = (unsigned char)o;
            d.ccode[r] = (int32_t)(r + 1);
            d.year[r] = 1950;
        }
    }
    ent_alignfit_result_t res;
    CHECK_OK(ent_alignfit_fit(&res, &d, 1950, 1950, NULL, NULL));
    CHECK_NEAR(res.theta[0], log(30.0 / 50.0), 1e-9);
    CHECK_NEAR(res.theta[1], log(20.0 / 50.0), 1e-9);
    /* the variance of a log odds ratio of counts with a common base: 1/n1 + 1/n0 */
    CHECK_NEAR(res.cov[0], 1 / 30.0 + 1 / 50.0, 1e-9);
    CHECK_NEAR(res.cov[3], 1 / 20.0 + 1 / 50.0, 1e-9);
    /* held terms stay where they are put */
    bool fr[2] = {true, false};
    double init[2] = {0, -1};
    CHECK_OK(ent_alignfit_fit(&res, &d, 1950, 1950, fr, init));
    CHECK(res.theta[1] == -1);
    CHECK(res.cov[3] == 0);
    /* no rows in the years */
    CHECK_RC(ent_alignfit_fit(&res, &d, 1960, 1970, NULL, NULL), ENT_EINVAL);
    /* a term without variation: the information is singular */
    ent_alignfit_data_t z = ENT_ALIGNFIT_DATA_INIT;
    CHECK_OK(ent_alignfit_data_alloc(&z, 100, 3));
    for (r = 0; r < 100; r++) {
        for (int j = 0; j < 2; j++) {
            z.x[(r * NOPT + 1) * 3 + (size_t)j] = d.x[(r * NOPT + 1) * 2 + (size_t)j];
            z.x[(r * NOPT + 2) * 3 + (size_t)j] = d.x[(r * NOPT + 2) * 2 + (size_t)j];
        }
        z.y[r] = d.y[r];
        z.year[r] = 1950;
    }
    CHECK_RC(ent_alignfit_fit(&res, &z, 1950, 1950, NULL, NULL), ENT_ERANGE);
    /* separation: a term that marks the choice exactly has no finite optimum */
    for (r = 0; r < 100; r++) {
        for (int o = 0; o < NOPT; o++) {
            z.x[(r * NOPT + (size_t)o) * 3 + 2] = o == z.y[r];
        }
    }
    CHECK_RC(ent_alignfit_fit(&res, &z, 1950, 1950, NULL, NULL), ENT_ERANGE);
    ent_alignfit_data_destroy(&z);
    ent_alignfit_data_destroy(&d);
}

int main(void)
{
    test_recovery();
    test_coverage();
    test_constants();
    CHECK(strcmp(ent_alignfit_term_name(0), "beta_security") == 0 && ent_alignfit_term_name(K) == NULL);
    return CHECK_DONE();
}
