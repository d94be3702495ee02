/*
 * sim_polepacts.c -- a defence pact between two poles is counted (issue 12): in a tiny world of six
 * states and three poles whose norms bar every pact they are not forced into, a China-Russia pact
 * imposed in 2026 is one pact for China and one for Russia, a new pact in each one's builder count,
 * each one's record of the other, and the pole-pair record P[pact between poles by year]; it
 * realigns neither pole. The same scenario with its poles listed in another order gives the same
 * records, pole by state code.
 */
#include "tiny_world.h"

#include <math.h>
#include <string.h>

/* USA, Canada, Russia, Kazakhstan, China, Mongolia: capitals and a CINC each. */
static ent_world_t *tiny_world(void)
{
    static const tiny_state_t rows[] = {
        {2, "USA", "United States", 38.9, -77.0, 0.13}, {20, "CAN", "Canada", 45.4, -75.7, 0.01},
        {365, "RUS", "Russia", 55.75, 37.6, 0.04},      {705, "KZK", "Kazakhstan", 51.2, 71.4, 0.005},
        {710, "CHN", "China", 39.9, 116.4, 0.23},       {712, "MON", "Mongolia", 47.9, 106.9, 0.001},
    };
    return tiny_world_of(rows, sizeof rows / sizeof *rows);
}

/* Three poles whose norms are fixed at 1 (no erosion, no prior draw): none consents to a pact, so the
 * only pole pact of a run is the one the scenario imposes. */
static void scenario(ent_scenario_t *s, const int32_t poles[3])
{
    ent_scenario_defaults(s);
    s->npoles = 3;
    for (int p = 0; p < 3; p++) {
        s->poles[p] = poles[p];
        s->norm0[p] = 1.0;
        s->growth[p] = 0;
        s->ambition[p] = 0;
        s->threat_tolerance[p] = 0.22;
        s->levers[p] = (ent_levers_t){0, 0, 0, 0, 0};
    }
    s->kappa_threat = 0;
    s->kappa_ambition = 0;
    s->prior_spread = 0;
    s->builder_pacts = 1;
    s->runs = 24;
    s->years = 6;
    s->nshocks = 1;
    s->shocks[0] = (ent_shock_t){2026, 1, ENT_SHOCK_PACT, 710, 365, 0};
}

static int pole_of(const ent_model_t *m, const char *code)
{
    for (int p = 0; p < ent_model_npoles(m); p++) {
        if (!strcmp(ent_model_pole_code(m, p), code)) {
            return p;
        }
    }
    return -1;
}

static void test_counted_once_for_each(ent_world_t *w)
{
    static const int32_t order[3] = {2, 365, 710};
    ent_scenario_t s;
    scenario(&s, order);
    ent_model_t *m = NULL;
    CHECK_OK(ent_model_new(&m, w, &s));
    if (!m) {
        return;
    }
    int usa = pole_of(m, "USA"), rus = pole_of(m, "RUS"), chn = pole_of(m, "CHN");
    CHECK(usa == 0 && rus == 1 && chn == 2);
    size_t n = ent_model_nstates(m), ri = ent_model_pole_state(m, rus), ci = ent_model_pole_state(m, chn);
    ent_run_trace_t t;
    CHECK_OK(ent_run_trace_init(&t, m));
    int y26 = 2026 - s.start_year;
    for (uint64_t run = 0; run < 8; run++) {
        CHECK_OK(ent_model_run(&t, m, s.seed, run));
        for (int y = 0; y < y26; y++) { /* before the pact: none */
            CHECK(t.series[y].npacts[rus] == 0 && t.series[y].npacts[chn] == 0);
        }
        /* the year it is signed: one pact for each of the two, none for the US */
        CHECK(t.series[y26].npacts[chn] == 1);
        CHECK(t.series[y26].npacts[rus] == 1);
        CHECK(t.series[y26].npacts[usa] == 0);
        /* each pole's record of the other */
        CHECK(t.pact[(size_t)y26 * n + ri] == (unsigned char)(1u << chn));
        CHECK(t.pact[(size_t)y26 * n + ci] == (unsigned char)(1u << rus));
        /* a new pact for each: with builder_pacts 1 both are builders that year, the US never */
        CHECK(t.builder_year[chn] == 2026 && t.builder_year[rus] == 2026 && t.builder_year[usa] == 0);
        /* no realignment: each pole still heads its own bloc */
        CHECK(t.align[(size_t)y26 * n + ri] == ENT_ALIGN_SELF(3));
        CHECK(t.align[(size_t)y26 * n + ci] == ENT_ALIGN_SELF(3));
    }
    ent_run_trace_destroy(&t);

    ent_ensemble_t *e = NULL;
    CHECK_OK(ent_ensemble_run(&e, m, 0, s.runs, NULL));
    if (e) {
        int64_t R = s.runs;
        CHECK(ent_ensemble_p_pole_pact(e, chn, rus, 2025).hits == 0);
        CHECK(ent_ensemble_p_pole_pact(e, chn, rus, 2026).hits == R);
        CHECK(ent_ensemble_p_pole_pact(e, rus, chn, 2026).hits == R);
        CHECK(ent_ensemble_p_pole_pact(e, usa, chn, 2030).hits == 0);
        CHECK(ent_ensemble_p_pole_pact(e, usa, rus, 2030).hits == 0);
        CHECK(ent_ensemble_p_pole_pact(e, chn, chn, 2030).hits == 0);
        CHECK(ent_ensemble_p_pact_with(e, ri, chn, 2026).hits == R);
        CHECK(ent_ensemble_p_pact_with(e, ci, rus, 2026).hits == R);
        /* "a new pact" (more than its base-year count) and the builder, for both */
        CHECK(ent_ensemble_p_pacts(e, chn, 1, 2025).hits == 0);
        CHECK(ent_ensemble_p_pacts(e, chn, 1, 2026).hits == R);
        CHECK(ent_ensemble_p_pacts(e, rus, 1, 2026).hits == R);
        CHECK(ent_ensemble_p_pacts(e, usa, 1, 2030).hits == 0);
        CHECK(ent_ensemble_p_builder(e, chn, 2026).hits == R);
        CHECK(ent_ensemble_p_builder(e, rus, 2026).hits == R);
        CHECK(ent_ensemble_p_builder(e, usa, 2030).hits == 0);
        CHECK(fabs(ent_ensemble_mean(e, ent_series_for_pole(ENT_SERIES_PACTS0, chn), 2026) - 1.0) < 1e-12);
        CHECK(fabs(ent_ensemble_mean(e, ent_series_for_pole(ENT_SERIES_PACTS0, rus), 2026) - 1.0) < 1e-12);
        ent_ensemble_free(e);
    }
    ent_model_free(m);
}

static void test_order(ent_world_t *w)
{
    /* the same scenario listing its poles [CHN, USA, RUS]: every record the same, poles by code */
    static const int32_t a_order[3] = {2, 365, 710}, b_order[3] = {710, 2, 365};
    ent_scenario_t a, b;
    scenario(&a, a_order);
    scenario(&b, b_order);
    a.norm0[2] = b.norm0[0] = 0.6; /* China may form other pacts too: a less trivial record */
    a.kappa_ambition = b.kappa_ambition = 0.02;
    ent_model_t *ma = NULL, *mb = NULL;
    CHECK_OK(ent_model_new(&ma, w, &a));
    CHECK_OK(ent_model_new(&mb, w, &b));
    ent_ensemble_t *ea = NULL, *eb = NULL;
    if (ma && mb) {
        CHECK_OK(ent_ensemble_run(&ea, ma, 0, a.runs, NULL));
        CHECK_OK(ent_ensemble_run(&eb, mb, 0, b.runs, NULL));
    }
    if (!ea || !eb) {
        ent_ensemble_free(ea);
        ent_ensemble_free(eb);
        ent_model_free(ma);
        ent_model_free(mb);
        return;
    }
    static const char *codes[3] = {"USA", "RUS", "CHN"};
    int diffs = 0;
    for (int y = a.start_year; y <= a.start_year + a.years; y++) {
        for (int x = 0; x < 3; x++) {
            int pa = pole_of(ma, codes[x]), pb = pole_of(mb, codes[x]);
            for (int z = 0; z < 3; z++) {
                int qa = pole_of(ma, codes[z]), qb = pole_of(mb, codes[z]);
                diffs += ent_ensemble_p_pole_pact(ea, pa, qa, y).hits != ent_ensemble_p_pole_pact(eb, pb, qb, y).hits;
            }
            diffs += ent_ensemble_p_builder(ea, pa, y).hits != ent_ensemble_p_builder(eb, pb, y).hits;
            for (size_t i = 0; i < ent_model_nstates(ma); i++) {
                diffs += ent_ensemble_p_pact_with(ea, i, pa, y).hits != ent_ensemble_p_pact_with(eb, i, pb, y).hits;
            }
        }
    }
    CHECK(diffs == 0);
    CHECK(ent_ensemble_p_pole_pact(ea, pole_of(ma, "CHN"), pole_of(ma, "RUS"), 2026).hits == a.runs);
    ent_ensemble_free(ea);
    ent_ensemble_free(eb);
    ent_model_free(ma);
    ent_model_free(mb);
}

int main(void)
{
    ent_world_t *w = tiny_world();
    if (!w) {
        return CHECK_DONE();
    }
    test_counted_once_for_each(w);
    test_order(w);
    ent_world_free(w);
    return CHECK_DONE();
}
