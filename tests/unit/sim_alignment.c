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
    CHECK(ent_ensemble_quantile(e, ENT_SERIES_PACTS1, s.start_year + s.years, 1.0) == 1.0); /* only the 1961 treaty */
    CHECK(ent_ensemble_quantile(e, ENT_SERIES_NORM1, s.start_year + s.years, 0.0) >= 0.999);
    ent_ensemble_free(e);
}

static void test_spiral(void)
{
    /* More US tightening never lowers P[China forms a pact] (common random numbers: the same
     * seed and runs at every level). The environment is the deteriorating one, where China's
     * norm is under pressure, so that the probabilities are not all zero. */
    double last = -1, first = -1;
    for (int k = 0; k <= 4; k++) {
        ent_scenario_t s;
        baseline(&s);
        s.runs = 300;
        s.threat_threshold[1] = 1.1;
        s.kappa_threat = 0.4;
        s.levers[0].tightening = 0.25 * k;
        ent_ensemble_t *e = run(&s, 0, NULL);
        if (!e) {
            return;
        }
        double p = ent_ensemble_p_pacts(e, 1, 2, s.start_year + s.years).p;
        double b = ent_ensemble_p_builder(e, 1, s.start_year + s.years).p;
        fprintf(stderr, "tightening %.2f: P[new China pact by %d] = %.3f, P[builder] = %.3f\n", 0.25 * k,
                s.start_year + s.years, p, b);
        CHECK(p >= last);
        if (first < 0) {
            first = p;
        }
        last = p;
        ent_ensemble_free(e);
    }
    CHECK(last > first); /* and it does raise it across the range */
}

/* P of each alignment of `code` in year y. */
static void align_probs(double out[ENT_ALIGN_N], const ent_ensemble_t *e, const ent_model_t *m, const char *code, int y)
{
    int64_t i = model_index(m, code);
    CHECK(i >= 0);
    for (int a = 0; a < ENT_ALIGN_N; a++) {
        out[a] = i >= 0 ? ent_ensemble_p_align(e, (size_t)i, (ent_align_t)a, y).p : 0;
    }
}

static void test_balancing(void)
{
    /* A rising threat from China against a state far enough for Finlandization not to apply
     * (Indonesia: Jakarta-Beijing ~5,200 km): balancing with the US is the modal response among
     * the alignments it moves to. */
    ent_scenario_t s;
    baseline(&s);
    s.runs = 300;
    s.years = 15;
    s.nshocks = 1;
    s.shocks[0] = (ent_shock_t){2025, 15, ENT_SHOCK_CRISIS, 710, 850, 0.9};
    ent_model_t *m = NULL;
    ent_ensemble_t *e = run(&s, 0, &m);
    if (!e) {
        return;
    }
    double p[ENT_ALIGN_N], q[ENT_ALIGN_N];
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
     * pacts of both poles hold, and China stays out of new pacts. */
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
    CHECK(fabs(us3 - us0) <= 3);
    CHECK(ent_ensemble_quantile(e, ENT_SERIES_PACTS1, 2027, 0.95) == 1.0);
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
            for (int al = 0; al < ENT_ALIGN_N; al++) {
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
    ent_world_free(W);
    return CHECK_DONE();
}
