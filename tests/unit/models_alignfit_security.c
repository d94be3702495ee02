/*
 * models_alignfit_security.c -- the security observable of the alignment fit
 * (include/entente/alignfit.h): its construction on a small system built in memory (a NATO
 * member's partner is aligned with the US, ties to both camps are hedging, a partner of a partner
 * is not in the camp, a bloc treaty's member stays in its camp whatever its other ties), its
 * errors, and parameter recovery on choices as sticky as Cold War security alignments (about 2% a
 * year switch), from two truths: the Cold War estimate's security weight (2) and the simulation's
 * prior (8), each recovered and each rejecting the other.
 */
#include "check.h"

enum { NOPT = ENT_ALIGNFIT_NOPT, K = ENT_AF_NTERMS };

/* ---------------------------------------------------------------- the observable */

enum { N = 12 };
/* USA, USSR, UK, France, Poland, Jordan, Egypt (a partner of Jordan only), Finland, Austria (no
 * ties), Iraq (tied to the UK and the USSR), Ecuador (an OAS-like treaty with the US, no defence
 * tie of its own), Cuba (a Soviet pact only) */
static const int32_t codes[N] = {2, 365, 200, 220, 290, 663, 651, 375, 305, 645, 130, 40};
enum { USA, USSR, UKG, FRN, POL, JOR, EGY, FIN, AUS, IRQ, ECU, CUB };

static void tie(unsigned char *def, int a, int b)
{
    def[a * N + b] = def[b * N + a] = 1;
}

static void observable_cases(void)
{
    unsigned char def[N * N] = {0}, member[3 * N] = {0};
    double cinc[N] = {0};
    const int64_t tid[3] = {3180, 3285, 3150}; /* NATO, the Warsaw Pact, and the OAS Charter: not a bloc treaty */
    int32_t pole[2] = {2, 365};
    /* NATO: the US, the UK, France, with its defence ties */
    member[0 * N + USA] = member[0 * N + UKG] = member[0 * N + FRN] = 1;
    tie(def, USA, UKG);
    tie(def, USA, FRN);
    tie(def, UKG, FRN);
    /* the Warsaw Pact: the USSR and Poland */
    member[1 * N + USSR] = member[1 * N + POL] = 1;
    tie(def, USSR, POL);
    /* France keeps a wartime treaty with the USSR: a NATO member all the same */
    tie(def, FRN, USSR);
    tie(def, JOR, UKG);  /* a NATO member's partner: the Western camp */
    tie(def, EGY, JOR);  /* a partner of that partner: not in the camp */
    tie(def, FIN, USSR); /* the pole itself */
    tie(def, IRQ, UKG);  /* both camps: hedging */
    tie(def, IRQ, USSR);
    tie(def, CUB, USSR);
    /* the OAS-like treaty has the US and Ecuador but no defence tie of Ecuador's: no alignment */
    member[2 * N + USA] = member[2 * N + ECU] = 1;
    double dist[N * N] = {0}, host[N * N] = {0};
    ent_sysyear_t s = {.n = N,
                       .year = 1960,
                       .ccode = codes,
                       .cinc = cinc,
                       .dist_km = dist,
                       .hostility = host,
                       .defence = def,
                       .ntreaties = 3,
                       .member = member,
                       .treaty_id = tid};
    int al[N];
    CHECK_OK(ent_alignfit_security_observe(al, &s, pole));
    const int want[N] = {-1, -1, 1, 1, 2, 1, 0, 2, 0, 0, 0, 2};
    for (int i = 0; i < N; i++) {
        if (al[i] != want[i]) {
            fprintf(stderr, "state %d: %d, want %d\n", (int)codes[i], al[i], want[i]);
        }
        CHECK(al[i] == want[i]);
    }
    /* the poles' order sets the codes: with the USSR first, the camps swap */
    int32_t swapped[2] = {365, 2};
    CHECK_OK(ent_alignfit_security_observe(al, &s, swapped));
    CHECK(al[UKG] == 2 && al[POL] == 1 && al[EGY] == 0 && al[IRQ] == 0);
    /* without the Warsaw Pact's membership Poland is still the USSR's by its tie */
    member[1 * N + POL] = 0;
    CHECK_OK(ent_alignfit_security_observe(al, &s, pole));
    CHECK(al[POL] == 2);
    /* Egypt tied to the US too: now aligned (its Jordanian tie is no camp's) */
    tie(def, EGY, USA);
    CHECK_OK(ent_alignfit_security_observe(al, &s, pole));
    CHECK(al[EGY] == 1);
    /* errors: a pole not in the system, a system without its defence ties */
    int32_t absent[2] = {2, 710};
    CHECK_RC(ent_alignfit_security_observe(al, &s, absent), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), "710");
    s.defence = NULL;
    CHECK_RC(ent_alignfit_security_observe(al, &s, pole), ENT_EINVAL);
    /* the table names its treaties, NATO and the Warsaw Pact among them */
    int64_t id;
    bool nato = false, warsaw = false, oas = false;
    for (size_t t = 0; ent_alignfit_bloc_treaty(t, &id) != NULL; t++) {
        nato |= id == 3180;
        warsaw |= id == 3285;
        oas |= id == 3150;
    }
    CHECK(nato && warsaw && !oas);
}

/* a bad observable in the options is refused with its value named, before any data is read */
static void option_errors(void)
{
    ent_alignfit_options_t o = ENT_ALIGNFIT_OPTIONS_INIT;
    CHECK(o.observable == ENT_ALIGNFIT_SECURITY);
    o.observable = (ent_alignfit_observable_t)7;
    ent_alignfit_data_t d = ENT_ALIGNFIT_DATA_INIT;
    CHECK_RC(ent_alignfit_data_build(&d, NULL, NULL, 1947, 1980, &o), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "observable 7");
}

/* ---------------------------------------------------------------- recovery on sticky choices */

/* of the order the security fit finds, but for the security weight */
static const double base[K] = {2.0, 2.0, -0.5, -1.0, 2.7, 3.7, 1.2};

/*
 * States with a threat that drifts and occasionally jumps (the events that move security
 * alignments), the protection each camp offers (the share of the threat it removes), a lean and a
 * regime, and a pact with one pole for some; each year's choice depends on last year's.
 */
static void simulate(ent_alignfit_data_t *d, const double *truth, size_t states, int years, uint64_t seed)
{
    ent_rng_t r;
    ent_rng_seed(&r, seed, 0);
    CHECK_OK(ent_alignfit_data_alloc(d, states * (size_t)years, K));
    size_t row = 0;
    for (size_t s = 0; s < states; s++) {
        double lean = 2 * ent_rng_uniform(&r) - 1, dem = ent_rng_uniform(&r), sev = ent_rng_uniform(&r);
        int pact = (int)ent_rng_below(&r, 4) - 1; /* -1 none (half the states), else the pole */
        pact = pact > 1 ? -1 : pact;
        int prev = (int)ent_rng_below(&r, NOPT);
        for (int y = 0; y < years; y++, row++) {
            lean += 0.05 * ent_rng_normal(&r);
            lean = lean > 1 ? 1 : (lean < -1 ? -1 : lean);
            sev = ent_rng_uniform(&r) < 0.1 ? ent_rng_uniform(&r) : sev;
            double *x = d->x + row * NOPT * K;
            for (int p = 0; p < 2; p++) {
                double *xo = x + (size_t)(1 + p) * K;
                xo[ENT_AF_SECURITY] = sev * (0.2 + 0.6 * ent_rng_uniform(&r));
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
                double u = ent_rng_gumbel(&r);
                for (int k = 0; k < K; k++) {
                    u += truth[k] * x[(size_t)o * K + (size_t)k];
                }
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

/* the likelihood-ratio statistic of beta_security held at b against the optimum */
static double lr_security(const ent_alignfit_data_t *d, const ent_alignfit_result_t *opt, double b)
{
    bool fr[K];
    double init[K] = {0};
    for (int k = 0; k < K; k++) {
        fr[k] = k != ENT_AF_SECURITY;
    }
    init[ENT_AF_SECURITY] = b;
    ent_alignfit_result_t held;
    CHECK_OK(ent_alignfit_fit(&held, d, 1947, 1980, fr, init));
    CHECK(held.theta[ENT_AF_SECURITY] == b);
    return 2 * (opt->loglik - held.loglik);
}

static void recovery(double beta_security, double other)
{
    double truth[K];
    memcpy(truth, base, sizeof truth);
    truth[ENT_AF_SECURITY] = beta_security;
    ent_alignfit_data_t d = ENT_ALIGNFIT_DATA_INIT;
    simulate(&d, truth, 400, 44, 20261207);
    ent_alignfit_result_t res;
    CHECK_OK(ent_alignfit_fit(&res, &d, 1947, 1980, NULL, NULL));
    double rate = (double)res.switches / (double)res.n;
    fprintf(stderr, "truth beta_security %g: %zu choices, switch rate %.3f; estimate %.2f (se %.2f)\n", beta_security,
            res.n, rate, res.theta[ENT_AF_SECURITY], sqrt(res.cov_cl[ENT_AF_SECURITY * K + ENT_AF_SECURITY]));
    /* as sticky as the Cold War's security alignments (1.9% a year) */
    CHECK(rate > 0.005 && rate < 0.06);
    for (int k = 0; k < K; k++) {
        double se = sqrt(res.cov_cl[k * K + k]);
        CHECK(fabs(res.theta[k] - truth[k]) < 3 * se);
        if (!(fabs(res.theta[k] - truth[k]) < 3 * se)) {
            fprintf(stderr, "%s: %g (truth %g, se %g)\n", ent_alignfit_term_name((size_t)k), res.theta[k], truth[k],
                    se);
        }
    }
    /* the truth is not rejected, the other value is (chi-square(1) 99.9%: 10.83) */
    CHECK(lr_security(&d, &res, beta_security) < 10.83);
    CHECK(lr_security(&d, &res, other) > 10.83);
    /* out of sample the structured model beats inertia alone and the unstructured logit on the same
     * covariates (which spends 13 parameters where the model spends 7) */
    ent_alignfit_scores_t sc;
    CHECK_OK(ent_alignfit_fit(&res, &d, 1947, 1980, NULL, NULL));
    CHECK_OK(ent_alignfit_score(&sc, &d, res.theta, 1947, 1980, 1981, 1990));
    CHECK(sc.n == 400 * 10);
    CHECK(sc.model > sc.inertia && sc.model > sc.persistence && sc.model > sc.baseline);
    CHECK(isfinite(sc.mnl) && sc.model > sc.mnl - 0.002);
    ent_alignfit_data_destroy(&d);
}

/* the unstructured logit's columns: constants, persistence, each covariate per pole */
static void mnl_columns(void)
{
    ent_alignfit_data_t d = ENT_ALIGNFIT_DATA_INIT, m = ENT_ALIGNFIT_DATA_INIT;
    simulate(&d, base, 3, 2, 5);
    CHECK_OK(ent_alignfit_data_mnl(&m, &d));
    CHECK(m.k == ENT_ALIGNFIT_MNL_K && m.n == d.n);
    for (size_t r = 0; r < d.n; r++) {
        const double *x0 = m.x + (r * NOPT) * m.k, *x1 = x0 + m.k, *x2 = x1 + m.k;
        const double *d1 = d.x + (r * NOPT + 1) * K, *d2 = d1 + K;
        CHECK(x0[0] == 0 && x0[1] == 0 && x1[0] == 1 && x1[1] == 0 && x2[0] == 0 && x2[1] == 1);
        CHECK(x0[2] + x1[2] + x2[2] == 1 && m.x[(r * NOPT + d.prev[r]) * m.k + 2] == 1);
        /* security of pole 0 in column 3 of option 1 only; of pole 1 in column 4 of option 2 only */
        CHECK(x1[3] == d1[ENT_AF_SECURITY] && x1[4] == 0 && x2[4] == d2[ENT_AF_SECURITY] && x2[3] == 0);
        CHECK(x1[11] == d1[ENT_AF_PACT_INERTIA] && x2[12] == d2[ENT_AF_PACT_INERTIA]);
        for (size_t j = 3; j < m.k; j++) {
            CHECK(x0[j] == 0);
        }
    }
    ent_alignfit_data_destroy(&m);
    /* only on the model's terms */
    ent_alignfit_data_t b = ENT_ALIGNFIT_DATA_INIT;
    CHECK_OK(ent_alignfit_data_baseline(&b, &d));
    CHECK_RC(ent_alignfit_data_mnl(&m, &b), ENT_EINVAL);
    ent_alignfit_data_destroy(&b);
    ent_alignfit_data_destroy(&d);
}

int main(void)
{
    observable_cases();
    option_errors();
    mnl_columns();
    recovery(2.0, 8.0);
    recovery(8.0, 2.0);
    return CHECK_DONE();
}
