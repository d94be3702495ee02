/*
 * sim_alignment.c -- the alignment model's invariants (docs/models/alignment.md,
 * ../shared/design/model.md section 3) and the ensemble engine's guarantees, with
 * fixed seeds: a pole whose norm is fixed at 1 forms no pacts; more US tightening
 * never lowers the probability of a China-led pact (the spiral, common random
 * numbers); balancing is the modal response to a rising threat, except where
 * Finlandization conditions hold; the 2024 world is near steady in its first years;
 * the same seed gives the same aggregates on 1 or 2 threads.
 */
#include "check.h"

static ent_world_t *W;

static int64_t model_index(const ent_model_t *m, const char *code)
{
    int64_t wi;
    if (ent_world_find(&wi, W, code) != ENT_OK) {
        return -1;
    }
    for (size_t i = 0; i < ent_model_nstates(m); i++) {
        if (ent_model_state(m, i) == wi) {
            return (int64_t)i;
        }
    }
    return -1;
}

static ent_ensemble_t *run(const ent_scenario_t *s, int threads, ent_model_t **mout)
{
    ent_model_t *m = NULL;
    ent_ensemble_t *e = NULL;
    CHECK_OK(ent_model_new(&m, W, s));
    if (!m) {
        return NULL;
    }
    ent_ensemble_options_t o = ENT_ENSEMBLE_OPTIONS_INIT;
    o.threads = threads;
    CHECK_OK(ent_ensemble_run(&e, m, 0, s->runs, &o));
    if (mout) {
        *mout = m;
    } else {
        ent_model_free(m);
    }
    return e;
}

/* The baseline's levers: the pressures of today's world (scenarios/baseline.yaml). */
static void baseline(ent_scenario_t *s)
{
    ent_scenario_defaults(s);
    s->growth[0] = -0.006;
    s->growth[1] = 0.003;
    s->ambition[1] = 0.1;
    s->levers[0] = (ent_levers_t){0.5, 0.2, 0.2, 0.3, 0.1};
    s->levers[1] = (ent_levers_t){0.1, 0.6, 0.4, 0.5, 0.2};
}

static void test_norm_at_one(void)
{
    /* A norm fixed at 1 (no erosion) bars every new pact, whatever else happens: even under a
     * bid for primacy and a worsening environment. */
    ent_scenario_t s;
    baseline(&s);
    s.runs = 150;
    s.norm0[1] = 1.0;
    s.kappa_threat = 0;
    s.kappa_ambition = 0;
    s.ambition[1] = 1.0;
    s.levers[0].tightening = 1.0;
    ent_ensemble_t *e = run(&s, 0, NULL);
    if (!e) {
        return;
    }
    ent_prob_t p = ent_ensemble_p_pacts(e, 1, 2, s.start_year + s.years);
    CHECK(p.hits == 0);
    CHECK(ent_ensemble_quantile(e, ENT_SERIES_PACTS1, s.start_year + s.years, 1.0) <=
          1.0); /* at most the 1961 treaty */
    CHECK(ent_ensemble_quantile(e, ENT_SERIES_NORM1, s.start_year + s.years, 0.0) >= 0.999);
    ent_ensemble_free(e);
}

static void test_spiral(void)
{
    /* More US tightening never lowers P[China forms a pact] (common random numbers: the same seed
     * and runs at every level; every pact decision draws the same uniform at every level). The
     * spiral runs through China's norm: US tightening raises the threat China feels, which erodes
     * the norm, which raises China's willingness in the fitted pact model -- so China's mean norm
     * must fall with tightening, whatever the fit's rates; the pact probability must not fall. */
    double last = -1, first = -1, nlast = 2, nfirst = -1;
    for (int k = 0; k <= 4; k++) {
        ent_scenario_t s;
        baseline(&s);
        s.runs = 200;
        s.threat_tolerance[1] = 0.1;
        s.kappa_threat = 0.4;
        s.levers[0].tightening = 0.25 * k;
        ent_ensemble_t *e = run(&s, 0, NULL);
        if (!e) {
            return;
        }
        int y = s.start_year + s.years;
        double p = ent_ensemble_p_pacts(e, 1, 2, y).p;
        double b = ent_ensemble_p_builder(e, 1, y).p;
        double nu = ent_ensemble_mean(e, ENT_SERIES_NORM1, y);
        fprintf(stderr, "tightening %.2f: P[new China pact by %d] = %.3f, P[builder] = %.3f, China's mean norm %.3f\n",
                0.25 * k, y, p, b, nu);
        CHECK(p >= last);
        CHECK(nu <= nlast);
        if (first < 0) {
            first = p;
            nfirst = nu;
        }
        last = p;
        nlast = nu;
        ent_ensemble_free(e);
    }
    CHECK(nlast < nfirst - 0.05); /* the spiral erodes the norm across the range */
}

/* P of each alignment of `code` in year y. */
static void align_probs(double out[ENT_ALIGN_CODES(2)], const ent_ensemble_t *e, const ent_model_t *m, const char *code,
                        int y)
{
    int64_t i = model_index(m, code);
    CHECK(i >= 0);
    for (int a = 0; a < ENT_ALIGN_CODES(2); a++) {
        out[a] = i >= 0 ? ent_ensemble_p_align(e, (size_t)i, (ent_align_t)a, y).p : 0;
    }
}

static void test_balancing(void)
{
    /* A rising threat from China against a state far enough for Finlandization not to apply
     * (Indonesia: Jakarta-Beijing ~5,200 km): balancing with the US is the modal response among
     * the alignments it moves to. The mechanism is checked where security weighs heavily (8, the
     * top of its prior): at the fitted centre (2, docs/models/alignment.md) the direction is the same
     * but the shift is a few points, too small to test at 300 runs. */
    ent_scenario_t s;
    baseline(&s);
    s.beta_security = 8;
    s.runs = 300;
    s.years = 15;
    s.nshocks = 1;
    s.shocks[0] = (ent_shock_t){2025, 15, ENT_SHOCK_CRISIS, 710, 850, 0.9};
    ent_model_t *m = NULL;
    ent_ensemble_t *e = run(&s, 0, &m);
    if (!e) {
        return;
    }
    double p[ENT_ALIGN_CODES(2)], q[ENT_ALIGN_CODES(2)];
    align_probs(p, e, m, "INS", 2039);
    ent_ensemble_free(e);
    ent_model_free(m);
    /* the same runs without the threat (common random numbers) */
    s.nshocks = 0;
    e = run(&s, 0, &m);
    if (!e) {
        return;
    }
    align_probs(q, e, m, "INS", 2039);
    fprintf(stderr,
            "Indonesia in 2039, with / without a Chinese threat: hedge %.2f/%.2f US %.2f/%.2f CHN %.2f/%.2f "
            "fin-CHN %.2f/%.2f\n",
            p[0], q[0], p[1], q[1], p[2], q[2], p[4], q[4]);
    /* the threat moves it, and toward balancing: the modal response among those who move */
    CHECK(p[ENT_ALIGN_POLE0] - q[ENT_ALIGN_POLE0] > 0.1);
    CHECK(p[ENT_ALIGN_POLE0] - q[ENT_ALIGN_POLE0] > p[ENT_ALIGN_POLE1] - q[ENT_ALIGN_POLE1]);
    CHECK(p[ENT_ALIGN_POLE0] > p[ENT_ALIGN_POLE1]);
    CHECK(p[ENT_ALIGN_POLE0] > p[ENT_ALIGN_FINLAND1]); /* no Finlandization this far away */
    ent_ensemble_free(e);
    ent_model_free(m);

    /* Finlandization conditions: a small state next to China, far from the US and its allies
     * (Mongolia), under the same threat, defers to China rather than balancing. */
    ent_scenario_t f;
    baseline(&f);
    f.beta_security = 8;
    f.runs = 300;
    f.years = 15;
    f.nshocks = 1;
    f.shocks[0] = (ent_shock_t){2025, 15, ENT_SHOCK_CRISIS, 710, 712, 0.9};
    e = run(&f, 0, &m);
    if (!e) {
        return;
    }
    align_probs(p, e, m, "MON", 2039);
    fprintf(stderr, "Mongolia under a Chinese threat, 2039: hedge %.2f US %.2f CHN %.2f fin-CHN %.2f\n", p[0], p[1],
            p[2], p[4]);
    CHECK(p[ENT_ALIGN_FINLAND1] > p[ENT_ALIGN_POLE0]);
    CHECK(p[ENT_ALIGN_FINLAND1] > p[ENT_ALIGN_POLE1]);
    ent_ensemble_free(e);
    ent_model_free(m);
}

static void test_near_steady(void)
{
    /* The defaults reproduce the 2024 world as a near-steady state in the first years: at least
     * 90% of states keep their initial alignment with probability >= 0.8 after three years, the
     * pacts of both poles hold (within 10%), and China rarely forms a new one. */
    ent_scenario_t s;
    baseline(&s);
    s.runs = 300;
    s.years = 5;
    ent_model_t *m = NULL;
    ent_ensemble_t *e = run(&s, 0, &m);
    if (!e) {
        return;
    }
    size_t n = ent_model_nstates(m), kept = 0, movable = 0;
    for (size_t i = 0; i < n; i++) {
        ent_align_t a0 = ent_model_initial_alignment(m, i);
        if (a0 == ENT_ALIGN_POLE) {
            continue;
        }
        movable++;
        kept += ent_ensemble_p_align(e, i, a0, 2027).p >= 0.8;
    }
    fprintf(stderr, "near steady: %zu of %zu states keep their 2024 alignment (p >= 0.8) in 2027\n", kept, movable);
    CHECK(kept >= 0.9 * (double)movable);
    double us0 = ent_ensemble_mean(e, ENT_SERIES_PACTS0, 2024),
           us3 = ent_ensemble_quantile(e, ENT_SERIES_PACTS0, 2027, 0.5);
    CHECK(fabs(us3 - us0) <= 0.1 * us0); /* the fit's terminations and joins over three years */
    /* China's norm holds it back: at its centre the fit gives China about one new pact in 50 years
     * (its record: none since 1961), so a new one within three years is rare, priors included */
    ent_prob_t cn = ent_ensemble_p_pacts(e, 1, 2, 2027);
    fprintf(stderr, "near steady: P[China holds 2 pacts by 2027] = %.3f; US pacts %.0f -> %.0f (median)\n", cn.p, us0,
            us3);
    /* 0.190 with the shipped fit (0.193 with one lesser-obligation term, 0.21 with the old breadth cut) */
    CHECK(cn.p <= 0.2);
    ent_ensemble_free(e);
    ent_model_free(m);
}

static void test_threads_identical(void)
{
    /* Same seed, 1 or 2 threads: every aggregate is the same (integer counts inside). */
    ent_scenario_t s;
    baseline(&s);
    s.runs = 120;
    s.years = 12;
    ent_model_t *m1 = NULL, *m2 = NULL;
    ent_ensemble_t *a = run(&s, 1, &m1), *b = run(&s, 2, &m2);
    if (!a || !b) {
        return;
    }
    int diffs = 0;
    for (int y = s.start_year; y <= s.start_year + s.years; y++) {
        for (int sr = 0; sr < ENT_SERIES_N; sr++) {
            diffs += ent_ensemble_mean(a, (ent_series_t)sr, y) != ent_ensemble_mean(b, (ent_series_t)sr, y);
            diffs += ent_ensemble_quantile(a, (ent_series_t)sr, y, 0.9) !=
                     ent_ensemble_quantile(b, (ent_series_t)sr, y, 0.9);
        }
        for (size_t i = 0; i < ent_model_nstates(m1); i++) {
            for (int al = 0; al < ENT_ALIGN_CODES(2); al++) {
                diffs += ent_ensemble_p_align(a, i, (ent_align_t)al, y).hits !=
                         ent_ensemble_p_align(b, i, (ent_align_t)al, y).hits;
            }
        }
    }
    CHECK(diffs == 0);
    double d, lo, hi;
    CHECK_OK(ent_ensemble_diff_pacts(&d, &lo, &hi, a, b, 0, 70, s.start_year + s.years));
    CHECK(d == 0 && lo == 0 && hi == 0);
    /* merging two halves equals one run of the whole */
    ent_ensemble_t *h1 = NULL, *h2 = NULL;
    CHECK_OK(ent_ensemble_run(&h1, m1, 0, 60, NULL));
    CHECK_OK(ent_ensemble_run(&h2, m1, 60, 60, NULL));
    if (h1 && h2) {
        CHECK_OK(ent_ensemble_merge(h1, h2));
        CHECK(ent_ensemble_runs(h1) == 120);
        for (int sr = 0; sr < ENT_SERIES_N; sr++) {
            CHECK(ent_ensemble_mean(h1, (ent_series_t)sr, 2030) == ent_ensemble_mean(a, (ent_series_t)sr, 2030));
        }
        CHECK(ent_ensemble_p_pacts(h1, 0, 70, 2036).hits == ent_ensemble_p_pacts(a, 0, 70, 2036).hits);
    }
    /* serialised and read back (how MPI ranks send their aggregates), the ensemble is the same */
    void *buf = NULL;
    size_t len = 0;
    ent_ensemble_t *back = NULL;
    CHECK_OK(ent_ensemble_pack(&buf, &len, a));
    CHECK_OK(ent_ensemble_unpack(&back, m1, buf, len));
    if (back) {
        CHECK(ent_ensemble_runs(back) == ent_ensemble_runs(a));
        CHECK(ent_ensemble_p_pacts(back, 0, 70, 2036).hits == ent_ensemble_p_pacts(a, 0, 70, 2036).hits);
        CHECK(ent_ensemble_quantile(back, ENT_SERIES_BLOC1, 2034, 0.5) ==
              ent_ensemble_quantile(a, ENT_SERIES_BLOC1, 2034, 0.5));
    }
    ent_ensemble_free(back);
    if (buf) {
        CHECK_RC(ent_ensemble_unpack(&back, m1, buf, len - 1), ENT_EPARSE); /* truncated */
        ((unsigned char *)buf)[0] ^= 0xFF;
        CHECK_RC(ent_ensemble_unpack(&back, m1, buf, len), ENT_EPARSE); /* not an ensemble */
    }
    ent_free(buf);
    ent_ensemble_free(h1);
    ent_ensemble_free(h2);
    ent_ensemble_free(a);
    ent_ensemble_free(b);
    ent_model_free(m1);
    ent_model_free(m2);
}

static void test_cancel_and_stats(void)
{
    ent_scenario_t s;
    baseline(&s);
    s.runs = 50;
    ent_model_t *m = NULL;
    CHECK_OK(ent_model_new(&m, W, &s));
    if (!m) {
        return;
    }
    volatile sig_atomic_t stop = 1;
    ent_ensemble_options_t o = ENT_ENSEMBLE_OPTIONS_INIT;
    o.cancel = &stop;
    ent_ensemble_t *e = NULL;
    CHECK_RC(ent_ensemble_run(&e, m, 0, 50, &o), ENT_EINTERRUPTED);
    CHECK(e && ent_ensemble_runs(e) < 50);
    ent_ensemble_free(e);
    CHECK_RC(ent_ensemble_run(&e, m, 0, 0, NULL), ENT_EINVAL);
    ent_model_free(m);

    /* Wilson score intervals (Wilson 1927; values from the closed form, z = 1.96) */
    ent_prob_t p = ent_prob_wilson(0, 10);
    CHECK_NEAR(p.lo, 0.0, 1e-12);
    CHECK_NEAR(p.hi, 0.2775, 1e-4);
    p = ent_prob_wilson(5, 10);
    CHECK_NEAR(p.lo, 0.2366, 1e-4);
    CHECK_NEAR(p.hi, 0.7634, 1e-4);
    p = ent_prob_wilson(81, 263);
    CHECK_NEAR(p.p, 0.30798, 1e-4);
    CHECK_NEAR(p.lo, 0.2553, 1e-3);
    CHECK_NEAR(p.hi, 0.3662, 1e-3);

    /* a pole that is not in the world is refused */
    ent_scenario_t bad;
    ent_scenario_defaults(&bad);
    bad.poles[1] = 999;
    CHECK_RC(ent_model_new(&m, W, &bad), ENT_EINVAL);
}

/* The model index of a state by code, or SIZE_MAX. */
static size_t idx(const ent_model_t *m, const char *code)
{
    int64_t i = model_index(m, code);
    CHECK(i >= 0);
    return i < 0 ? SIZE_MAX : (size_t)i;
}

static void test_dormant(void)
{
    /* Issue 12: the 1959 US-Pakistan agreement (atopid 3355) is flagged dormant in the shipped world
     * (docs/data.md gives the rule and the evidence); it sets no pact and no alignment, so Pakistan
     * starts aligned with China by its top-tier partnership. */
    bool seen = false;
    int64_t us, pk;
    CHECK_OK(ent_world_find(&us, W, "USA"));
    CHECK_OK(ent_world_find(&pk, W, "PAK"));
    for (size_t k = 0; k < ent_world_nties(W); k++) {
        const ent_tie_t *t = ent_world_tie(W, k);
        if (t->kind == ENT_TIE_PACT && (t->obligations & ENT_OBL_DEFENSE) &&
            ((t->a == us && t->b == pk) || (t->a == pk && t->b == us)) && ent_tie_active(t, 20241231)) {
            seen = true;
            CHECK(t->dormant);
        }
    }
    CHECK(seen); /* the treaty is there, in force on paper */
    ent_scenario_t s;
    baseline(&s);
    ent_model_t *m = NULL;
    CHECK_OK(ent_model_new(&m, W, &s));
    if (!m) {
        return;
    }
    size_t i = idx(m, "PAK");
    if (i != SIZE_MAX) {
        CHECK(ent_model_initial_alignment(m, i) == ENT_ALIGN_POLE1); /* China, poles in canonical order */
        CHECK(!strcmp(ent_model_pole_code(m, 1), "CHN"));
    }
    ent_model_free(m);
}

static void test_forward_presence(void)
{
    /* Issue 12: the Finlandization test looks for the other bloc where its forces are, not in its
     * capital. With forward presence (US forces in Japan, EDCA sites in the Philippines, allied
     * territory) Japan and the Philippines cannot Finlandize toward China in 2024; measured from
     * Washington alone (presence_weight 0) they could. */
    ent_scenario_t s;
    baseline(&s);
    ent_model_t *with = NULL, *without = NULL;
    CHECK_OK(ent_model_new(&with, W, &s));
    s.presence_weight = 0;
    CHECK_OK(ent_model_new(&without, W, &s));
    if (!with || !without) {
        ent_model_free(with);
        ent_model_free(without);
        return;
    }
    const char *codes[] = {"JPN", "PHI"};
    for (int k = 0; k < 2; k++) {
        size_t i = idx(with, codes[k]);
        if (i == SIZE_MAX) {
            continue;
        }
        CHECK(!ent_model_finland_allowed(with, i, 1));
        CHECK(ent_model_finland_allowed(without, i, 1));
        /* the US's reach there is its presence, far above what Washington's distance gives */
        CHECK(ent_model_reach(with, ent_model_pole_state(with, 0), i) >= 0.5);
        CHECK(ent_model_reach(without, ent_model_pole_state(without, 0), i) < 0.05);
    }
    /* and the US's reach at China is felt from its presence in Korea and Japan */
    size_t us = ent_model_pole_state(with, 0), cn = ent_model_pole_state(with, 1);
    CHECK(ent_model_reach(with, us, cn) > 10 * ent_model_reach(without, us, cn));
    ent_model_free(with);
    ent_model_free(without);
}

/* The threat pole p feels (relative to the base year) in `year` of run 0. */
static double threat_in(const ent_scenario_t *s, int p, int year)
{
    ent_model_t *m = NULL;
    ent_run_trace_t t;
    double v = NAN;
    CHECK_OK(ent_model_new(&m, W, s));
    if (m && ent_run_trace_init(&t, m) == ENT_OK) {
        CHECK_OK(ent_model_run(&t, m, s->seed, 0));
        v = t.series[year - s->start_year].threat[p];
        ent_run_trace_destroy(&t);
    }
    ent_model_free(m);
    return v;
}

static void test_threat_scaling(void)
{
    /* Issue 12: the US's base-year threat is small; divided by itself, a Caribbean state joining
     * China's bloc raised it 10-110% (what drove a US-Taiwan treaty). On the fixed reference
     * (index log(1 + T/T_ref), rise exp(index - index0)) Cuba joining China's bloc moves it by
     * under 5%, where the old ratio T/T0 moves by over 10%. Only the bloc (encirclement) is at
     * stake here: presence is off, the capability shares fixed, and 2025 is compared in the
     * same run with and without the shock (threat is measured before that year's choices). */
    ent_scenario_t s;
    baseline(&s);
    s.years = 1;
    s.growth_sd = 0;
    s.growth[0] = s.growth[1] = 0;
    s.presence_weight = 0;
    double base = threat_in(&s, 0, 2025);
    s.nshocks = 1;
    s.shocks[0] = (ent_shock_t){2025, 1, ENT_SHOCK_PACT, 710, 40, 0};
    double cuba = threat_in(&s, 0, 2025);
    ent_model_t *m = NULL;
    CHECK_OK(ent_model_new(&m, W, &s));
    if (!m) {
        return;
    }
    double idx0, t0 = ent_model_threat0(m, 0, &idx0), ref = s.threat_reference;
    CHECK_NEAR(idx0, log1p(t0 / ref), 1e-12);
    /* the threat itself, back from the rise: T = ref ((1 + T0/ref) rel - 1) */
    double tb = ref * ((1 + t0 / ref) * base - 1), tc = ref * ((1 + t0 / ref) * cuba - 1);
    fprintf(stderr, "US threat 2025: rise %.4f -> %.4f with Cuba in China's bloc; as T/T0 %.3f -> %.3f\n", base, cuba,
            tb / t0, tc / t0);
    CHECK(cuba > base);                 /* it is felt */
    CHECK(cuba / base < 1.05);          /* but not as a crisis */
    CHECK((tc / t0) / (tb / t0) > 1.1); /* which dividing by the small base threat made it */
    ent_model_free(m);
}

static void test_builder_by_behaviour(void)
{
    /* Issue 12: "alliance builder" is what a pole does -- builder_pacts new pacts formed -- so in the
     * base year no pole is one (the US's low norm no longer makes it one by definition), and a
     * run's builder year is exactly the year of its k-th new pact. */
    ent_scenario_t s;
    baseline(&s);
    s.runs = 40;
    s.years = 20;
    s.ambition[1] = 1.0;
    s.kappa_ambition = 0.2; /* China's norm gives way */
    /* and two pacts are imposed, so that every run has a builder whatever the fit's rates */
    s.nshocks = 2;
    s.shocks[0] = (ent_shock_t){2026, 1, ENT_SHOCK_PACT, 710, 365, 0};
    s.shocks[1] = (ent_shock_t){2029, 1, ENT_SHOCK_PACT, 710, 770, 0};
    ent_model_t *m = NULL;
    ent_ensemble_t *e = run(&s, 0, &m);
    if (!e) {
        return;
    }
    for (int p = 0; p < ent_model_npoles(m); p++) {
        CHECK(ent_ensemble_p_builder(e, p, s.start_year).hits == 0);
    }
    ent_run_trace_t t;
    CHECK_OK(ent_run_trace_init(&t, m));
    int builders = 0;
    for (uint64_t run = 0; run < 40; run++) {
        CHECK_OK(ent_model_run(&t, m, s.seed, run));
        size_t n = ent_model_nstates(m);
        for (int p = 0; p < ent_model_npoles(m); p++) {
            int formed = 0, year_k = 0;
            for (int y = 1; y < t.years; y++) {
                for (size_t i = 0; i < n; i++) {
                    bool now = (t.pact[(size_t)y * n + i] >> p) & 1,
                         before = (t.pact[(size_t)(y - 1) * n + i] >> p) & 1;
                    if (now && !before && ++formed == s.builder_pacts && !year_k) {
                        year_k = s.start_year + y;
                    }
                }
            }
            CHECK(t.builder_year[p] == year_k);
            builders += year_k != 0;
        }
    }
    fprintf(stderr, "alliance builders (pole-runs) out of 80: %d\n", builders);
    CHECK(builders >= 40);
    CHECK(ent_ensemble_p_builder(e, 1, 2029).hits == 40); /* China, by its two imposed pacts at the latest */
    ent_run_trace_destroy(&t);
    ent_ensemble_free(e);
    ent_model_free(m);
}

static void swap_poles(ent_scenario_t *s)
{
    int32_t c = s->poles[0];
    s->poles[0] = s->poles[1];
    s->poles[1] = c;
    ent_levers_t l = s->levers[0];
    s->levers[0] = s->levers[1];
    s->levers[1] = l;
    double *f[] = {s->growth, s->norm0, s->ambition, s->threat_tolerance};
    for (int k = 0; k < 4; k++) {
        double v = f[k][0];
        f[k][0] = f[k][1];
        f[k][1] = v;
    }
}

static void test_pole_order(void)
{
    /* Issue 12: poles are identified by state code; a scenario listing them as [CHN, USA] gives the
     * same per-state results as [USA, CHN], whoever builds the model (the CLI's loader or a library
     * caller), and the series are named by code. */
    ent_scenario_t a, b;
    baseline(&a);
    a.runs = 60;
    a.years = 12;
    b = a;
    swap_poles(&b);
    CHECK(b.poles[0] == 710);
    ent_model_t *ma = NULL, *mb = NULL;
    ent_ensemble_t *ea = run(&a, 0, &ma), *eb = run(&b, 0, &mb);
    if (!ea || !eb) {
        return;
    }
    int diffs = 0;
    for (int y = a.start_year; y <= a.start_year + a.years; y += 3) {
        for (size_t i = 0; i < ent_model_nstates(ma); i++) {
            for (int al = 0; al < ENT_ALIGN_CODES(2); al++) {
                diffs += ent_ensemble_p_align(ea, i, (ent_align_t)al, y).hits !=
                         ent_ensemble_p_align(eb, i, (ent_align_t)al, y).hits;
            }
            for (int p = 0; p < ent_model_npoles(ma); p++) {
                diffs += ent_ensemble_p_pact_with(ea, i, p, y).hits != ent_ensemble_p_pact_with(eb, i, p, y).hits;
            }
        }
    }
    CHECK(diffs == 0);
    char k1[32], k2[32];
    CHECK(!strcmp(ent_model_series_key(mb, ENT_SERIES_PACTS1, k1, sizeof k1), "pacts_CHN"));
    CHECK(!strcmp(ent_model_series_key(mb, ENT_SERIES_NORM0, k2, sizeof k2), "norm_USA"));
    CHECK(!strcmp(ent_model_series_key(mb, ENT_SERIES_BIPOLARITY, k2, sizeof k2), "bipolarity"));
    ent_ensemble_free(ea);
    ent_ensemble_free(eb);
    ent_model_free(ma);
    ent_model_free(mb);
}

/* The baseline with a third pole, Russia: the two-pole baseline's levers, Russia's as a middle course. */
static void three_poles(ent_scenario_t *s)
{
    baseline(s);
    s->npoles = 3;
    s->poles[2] = 365; /* RUS: the loader keeps poles ascending, the model sorts them itself */
    s->growth[2] = -0.004;
    s->norm0[2] = 0.3;
    s->ambition[2] = 0.3;
    s->threat_tolerance[2] = s->threat_tolerance[0];
    s->levers[2] = (ent_levers_t){0.4, 0.3, 0.2, 0.4, 0.2};
}

/* Moves pole `from` of s to position `to`, every per-pole field with it (a list reordered by hand). */
static void move_pole(ent_scenario_t *s, int from, int to)
{
    ent_scenario_t t = *s;
    int order[ENT_SIM_MAX_POLES], k = 0;
    for (int p = 0; p < s->npoles; p++) {
        if (p != from) {
            order[k++] = p;
        }
    }
    for (int p = s->npoles - 1; p > to; p--) {
        order[p] = order[p - 1];
    }
    order[to] = from;
    for (int p = 0; p < s->npoles; p++) {
        int q = order[p];
        s->poles[p] = t.poles[q];
        s->levers[p] = t.levers[q];
        s->growth[p] = t.growth[q];
        s->norm0[p] = t.norm0[q];
        s->ambition[p] = t.ambition[q];
        s->threat_tolerance[p] = t.threat_tolerance[q];
    }
}

static void test_three_poles(void)
{
    /* Issue 12, item 1: any number of poles, identified by state code. With Russia as a third pole,
     * every per-state result is the same whatever order the scenario lists the poles in; each state's
     * alignment probabilities cover the 2K + 2 codes; Russia's defence allies (CSTO) start in its bloc;
     * the per-pole series are named by code. */
    ent_scenario_t a, b;
    three_poles(&a);
    a.runs = 40;
    a.years = 10;
    b = a;
    move_pole(&b, 2, 0); /* [RUS, USA, CHN] */
    CHECK(b.poles[0] == 365 && b.poles[1] == 2 && b.poles[2] == 710 && b.norm0[0] == 0.3);
    ent_model_t *ma = NULL, *mb = NULL;
    ent_ensemble_t *ea = run(&a, 0, &ma), *eb = run(&b, 0, &mb);
    if (!ea || !eb) {
        return;
    }
    CHECK(ent_model_npoles(ma) == 3);
    CHECK(!strcmp(ent_model_pole_code(ma, 0), "USA") && !strcmp(ent_model_pole_code(ma, 1), "RUS") &&
          !strcmp(ent_model_pole_code(ma, 2), "CHN"));
    int diffs = 0, bad_sums = 0;
    for (int y = a.start_year; y <= a.start_year + a.years; y += 2) {
        for (size_t i = 0; i < ent_model_nstates(ma); i++) {
            int64_t sum = 0;
            for (int al = 0; al < ENT_ALIGN_CODES(3); al++) {
                ent_prob_t pa = ent_ensemble_p_align(ea, i, (ent_align_t)al, y);
                diffs += pa.hits != ent_ensemble_p_align(eb, i, (ent_align_t)al, y).hits;
                sum += pa.hits;
            }
            bad_sums += sum != a.runs;
            for (int p = 0; p < 3; p++) {
                diffs += ent_ensemble_p_pact_with(ea, i, p, y).hits != ent_ensemble_p_pact_with(eb, i, p, y).hits;
            }
        }
        for (int sr = 0; sr < ent_model_nseries(ma); sr++) {
            diffs += ent_ensemble_mean(ea, (ent_series_t)sr, y) != ent_ensemble_mean(eb, (ent_series_t)sr, y);
        }
    }
    CHECK(diffs == 0);
    CHECK(bad_sums == 0);
    /* Russia is a pole (code 2K + 1), Belarus starts in its bloc, China's pole index is 2 */
    int64_t rus = model_index(ma, "RUS"), blr = model_index(ma, "BLR"), jpn = model_index(ma, "JPN");
    CHECK(rus >= 0 && blr >= 0 && jpn >= 0);
    if (rus >= 0 && blr >= 0 && jpn >= 0) {
        CHECK(ent_model_initial_alignment(ma, (size_t)rus) == (ent_align_t)ENT_ALIGN_SELF(3));
        CHECK(ent_model_initial_alignment(ma, (size_t)blr) == (ent_align_t)ENT_ALIGN_WITH(1));
        CHECK(ent_model_initial_alignment(ma, (size_t)jpn) == (ent_align_t)ENT_ALIGN_WITH(0));
        CHECK(ent_ensemble_p_pact_with(ea, (size_t)blr, 1, a.start_year).p == 1.0);
    }
    CHECK(ent_model_nseries(ma) == ENT_SERIES_N + 4);
    char k1[32];
    CHECK(!strcmp(ent_model_series_key(ma, ent_series_for_pole(ENT_SERIES_PACTS0, 2), k1, sizeof k1), "pacts_CHN"));
    CHECK(!strcmp(ent_model_series_key(ma, ent_series_for_pole(ENT_SERIES_NORM0, 1), k1, sizeof k1), "norm_RUS"));
    CHECK(!strcmp(ent_model_series_key(ma, ent_series_for_pole(ENT_SERIES_FINLAND0, 0), k1, sizeof k1),
                  "finlandized_USA"));
    CHECK(ent_series_pole(ent_series_for_pole(ENT_SERIES_BLOC0, 2)) == 2);
    /* Russia's norm starts at its own value, not China's: the base-year series follow the pole (each
     * run draws it from a prior whose median is the scenario's value) */
    CHECK(fabs(ent_ensemble_quantile(ea, ent_series_for_pole(ENT_SERIES_NORM0, 1), a.start_year, 0.5) - 0.3) < 0.08);
    CHECK(fabs(ent_ensemble_quantile(ea, ent_series_for_pole(ENT_SERIES_NORM0, 2), a.start_year, 0.5) - 0.85) < 0.08);
    /* two- and three-pole ensembles are not paired: the pole sets differ */
    ent_scenario_t two;
    baseline(&two);
    two.runs = a.runs;
    two.years = a.years;
    ent_ensemble_t *e2 = run(&two, 0, NULL);
    double d, lo, hi;
    if (e2) {
        CHECK_RC(ent_ensemble_diff_pacts(&d, &lo, &hi, e2, ea, 0, 70, a.start_year + 5), ENT_EINVAL);
        /* ... unless the caller matches the pole by code: China is pole 1 of two, pole 2 of three */
        CHECK_OK(ent_ensemble_diff_pacts_poles(&d, &lo, &hi, e2, 1, ea, 2, 2, a.start_year + a.years));
        CHECK(lo <= d && d <= hi && fabs(d) <= 1);
        double p2 = ent_ensemble_p_pacts(e2, 1, 2, a.start_year + a.years).p,
               p3 = ent_ensemble_p_pacts(ea, 2, 2, a.start_year + a.years).p;
        CHECK(fabs(d - (p3 - p2)) < 1e-12);
        CHECK_RC(ent_ensemble_diff_pacts_poles(&d, &lo, &hi, e2, 2, ea, 2, 2, a.start_year), ENT_EINVAL);
        ent_ensemble_free(e2);
    }
    /* with a pact between two poles (China and Russia sign in 2026): the pact is in both poles'
     * records, and the records are the same whatever order the poles are listed in, by state code */
    {
        ent_scenario_t a2 = a, b2 = b;
        a2.nshocks = b2.nshocks = 1;
        a2.shocks[0] = b2.shocks[0] = (ent_shock_t){2026, 1, ENT_SHOCK_PACT, 365, 710, 0};
        ent_model_t *ma2 = NULL, *mb2 = NULL;
        ent_ensemble_t *ea2 = run(&a2, 0, &ma2), *eb2 = run(&b2, 2, &mb2);
        if (ea2 && eb2) {
            /* ma2 lists USA, RUS, CHN (canonical); b2 listed RUS, USA, CHN and is put in the same order */
            int pdiffs = 0;
            for (int y = a2.start_year; y <= a2.start_year + a2.years; y++) {
                for (size_t i = 0; i < ent_model_nstates(ma2); i++) {
                    for (int p = 0; p < 3; p++) {
                        pdiffs +=
                            ent_ensemble_p_pact_with(ea2, i, p, y).hits != ent_ensemble_p_pact_with(eb2, i, p, y).hits;
                    }
                }
                for (int p = 0; p < 3; p++) {
                    for (int q = 0; q < 3; q++) {
                        pdiffs +=
                            ent_ensemble_p_pole_pact(ea2, p, q, y).hits != ent_ensemble_p_pole_pact(eb2, p, q, y).hits;
                    }
                    pdiffs += ent_ensemble_p_builder(ea2, p, y).hits != ent_ensemble_p_builder(eb2, p, y).hits;
                    pdiffs += ent_ensemble_mean(ea2, ent_series_for_pole(ENT_SERIES_PACTS0, p), y) !=
                              ent_ensemble_mean(eb2, ent_series_for_pole(ENT_SERIES_PACTS0, p), y);
                }
            }
            CHECK(pdiffs == 0);
            CHECK(!strcmp(ent_model_pole_code(mb2, 1), "RUS") && !strcmp(ent_model_pole_code(mb2, 2), "CHN"));
            CHECK(ent_ensemble_p_pole_pact(ea2, 1, 2, 2026).hits == a2.runs);
            CHECK(ent_ensemble_p_pole_pact(ea2, 2, 1, 2026).hits == a2.runs);
            /* China's count by 2026 is one more than without the pact, in every run */
            CHECK(ent_ensemble_mean(ea2, ent_series_for_pole(ENT_SERIES_PACTS0, 2), 2026) >=
                  ent_ensemble_mean(ea, ent_series_for_pole(ENT_SERIES_PACTS0, 2), 2026) + 0.5);
        }
        ent_ensemble_free(ea2);
        ent_ensemble_free(eb2);
        ent_model_free(ma2);
        ent_model_free(mb2);
    }
    /* a scenario of too many poles, or of a pole listed twice, is refused */
    ent_scenario_t bad = a;
    bad.npoles = ENT_SIM_MAX_POLES + 1;
    ent_model_t *mx = NULL;
    CHECK_RC(ent_model_new(&mx, W, &bad), ENT_EINVAL);
    bad = a;
    bad.poles[2] = 2;
    CHECK_RC(ent_model_new(&mx, W, &bad), ENT_EINVAL);
    ent_ensemble_free(ea);
    ent_ensemble_free(eb);
    ent_model_free(ma);
    ent_model_free(mb);
}

static void test_foreign_preference(void)
{
    /* Issue 12: UN ideal-point distance enters the alignment choice. Laos votes with China in the
     * UN (ideal point near China's) and hedges in 2024; the weight of foreign-policy preference
     * raises its probability of aligning with China (common random numbers). */
    ent_scenario_t s;
    baseline(&s);
    s.runs = 100;
    s.years = 10;
    double p[2];
    for (int k = 0; k < 2; k++) {
        s.beta_foreign = k ? 3.0 : 0.0;
        ent_model_t *m = NULL;
        ent_ensemble_t *e = run(&s, 0, &m);
        if (!e) {
            return;
        }
        size_t i = idx(m, "LAO");
        p[k] = i == SIZE_MAX ? 0 : ent_ensemble_p_align(e, i, ENT_ALIGN_POLE1, 2034).p;
        ent_ensemble_free(e);
        ent_model_free(m);
    }
    fprintf(stderr, "Laos aligned with China in 2034: beta_foreign 0 %.3f, 3 %.3f\n", p[0], p[1]);
    CHECK(p[1] > p[0]);
}

static void test_priors(void)
{
    /* Issue 12, item 5: each run draws the unidentified response parameters from their documented
     * priors -- deterministic in (seed, run), different across runs, the boundaries kept (a norm at 1
     * stays 1, a rate at 0 stays 0), nothing drawn at prior_spread 0, every prior a parameter. */
    for (const ent_sim_prior_t *pr = ent_sim_priors(); pr->key; pr++) {
        const ent_sim_param_t *p = ent_sim_params();
        while (p->key && strcmp(p->key, pr->key)) {
            p++;
        }
        CHECK(p->key != NULL && p->type == 'd');
        CHECK(pr->form == 'l' || pr->form == 'g');
    }
    ent_scenario_t s, a, b, c;
    baseline(&s);
    a = s;
    b = s;
    c = s;
    ent_scenario_draw_priors(&a, 7, 3);
    ent_scenario_draw_priors(&b, 7, 3);
    ent_scenario_draw_priors(&c, 7, 4);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    CHECK(a.kappa_threat != s.kappa_threat && a.kappa_threat != c.kappa_threat);
    CHECK(a.norm0[1] > 0 && a.norm0[1] < 1 && a.norm0[1] != s.norm0[1]);
    CHECK(a.temperature != s.temperature);
    CHECK(a.beta_security != s.beta_security && a.pact_inertia != s.pact_inertia); /* fitted: drawn */
    CHECK(a.beta_economy == s.beta_economy && a.growth[1] == s.growth[1]);         /* not a prior: untouched */
    s.norm0[1] = 1.0;
    s.kappa_ambition = 0;
    a = s;
    ent_scenario_draw_priors(&a, 7, 3);
    CHECK(a.norm0[1] == 1.0 && a.kappa_ambition == 0);
    s.prior_spread = 0;
    a = s;
    ent_scenario_draw_priors(&a, 7, 3);
    CHECK(memcmp(&a, &s, sizeof a) == 0);
    /* spread across 2,000 draws: kappa_threat's median near its value, its 95% range about x/3.2 */
    baseline(&s);
    int below = 0, far = 0;
    for (uint64_t r = 0; r < 2000; r++) {
        a = s;
        ent_scenario_draw_priors(&a, 11, r);
        below += a.kappa_threat < s.kappa_threat;
        far += a.kappa_threat > 3.24 * s.kappa_threat || a.kappa_threat < s.kappa_threat / 3.24;
    }
    CHECK(below > 900 && below < 1100);
    CHECK(far > 50 && far < 150); /* 5% expected: 100 */
}

int main(void)
{
    if (ent_world_load_dir(&W, ent_world_default_dir()) != ENT_OK) {
        fprintf(stderr, "cannot load the shipped world: %s\n", ent_errmsg());
        return 1;
    }
    test_norm_at_one();
    test_spiral();
    test_balancing();
    test_near_steady();
    test_threads_identical();
    test_cancel_and_stats();
    test_dormant();
    test_forward_presence();
    test_threat_scaling();
    test_builder_by_behaviour();
    test_pole_order();
    test_three_poles();
    test_foreign_preference();
    test_priors();
    ent_world_free(W);
    return CHECK_DONE();
}
