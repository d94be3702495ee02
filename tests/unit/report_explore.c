/*
 * report_explore.c -- the explorer's reports on the shipped world (docs/report.md):
 * entente.map/1 (great powers, alignment, allies counted once per dyad), entente.network/1 (one
 * edge per dyad and kind, every edge between listed nodes, kinds honoured), entente.polarization/1
 * (the numbers of ent_blocs_polarization), entente.scenario/1 (every parameter's value is the
 * scenario's, within its range) and entente.ensemble/1 (the probabilities are the ensemble's, the
 * effect against a baseline is the difference of the two, a mismatched baseline is refused; the
 * pacts between poles are the simulate report's, with a paired effect).
 */
#include <jansson.h>

#include "check.h"

static json_t *load(char *text)
{
    json_error_t err;
    json_t *o = text ? json_loads(text, 0, &err) : NULL;
    CHECK(o != NULL);
    ent_free(text);
    return o;
}

static json_t *find_state(json_t *arr, const char *abbr)
{
    size_t k;
    json_t *s;
    json_array_foreach(arr, k, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "abbr")), abbr) == 0) {
            return s;
        }
    }
    return NULL;
}

static void test_map(const ent_world_t *w, ent_date_t date)
{
    char *text = NULL;
    CHECK_OK(ent_report_map(&text, w, date));
    json_t *o = load(text);
    CHECK_STR(json_string_value(json_object_get(o, "schema")), ENT_REPORT_MAP_SCHEMA);
    json_t *gp = json_object_get(o, "great_powers"), *states = json_object_get(o, "states");
    CHECK(json_array_size(gp) == 3);
    CHECK_STR(json_string_value(json_array_get(gp, 0)), "CHN");
    CHECK_STR(json_string_value(json_array_get(gp, 1)), "USA");
    /* Japan and South Korea are US allies; North Korea China's only one; China itself is a power */
    CHECK_STR(json_string_value(json_object_get(find_state(states, "JPN"), "alignment")), "USA");
    CHECK_STR(json_string_value(json_object_get(find_state(states, "ROK"), "alignment")), "USA");
    CHECK_STR(json_string_value(json_object_get(find_state(states, "PRK"), "alignment")), "CHN");
    CHECK_STR(json_string_value(json_object_get(find_state(states, "CHN"), "alignment")), "CHN");
    CHECK(json_is_null(json_object_get(find_state(states, "SWZ"), "alignment")));
    /* China has one formal ally (the 1961 treaty with North Korea), counted once */
    CHECK(json_integer_value(json_object_get(find_state(states, "CHN"), "allies")) == 1);
    /* Pakistan is on China's ladder at the top tier */
    json_t *pak = json_object_get(find_state(states, "PAK"), "partnership_tiers");
    CHECK(json_integer_value(json_object_get(pak, "CHN")) == ent_world_max_tier(w));
    /* every listed measure is a member of every state */
    size_t k;
    json_t *m;
    json_array_foreach(json_object_get(o, "measures"), k, m)
    {
        CHECK(json_object_get(json_array_get(states, 0), json_string_value(json_object_get(m, "key"))) != NULL);
    }
    json_decref(o);
}

static void test_network(const ent_world_t *w, ent_date_t date)
{
    char *text = NULL;
    CHECK_RC(ent_report_network(&text, w, date, 1u), ENT_EINVAL); /* bit 0 names no kind */
    CHECK(text == NULL);
    CHECK_OK(ent_report_network(&text, w, date, (1u << ENT_TIE_PACT) | (1u << ENT_TIE_RIVALRY)));
    json_t *o = load(text);
    CHECK_STR(json_string_value(json_object_get(o, "schema")), ENT_REPORT_NETWORK_SCHEMA);
    json_t *nodes = json_object_get(o, "nodes"), *edges = json_object_get(o, "edges");
    CHECK(json_array_size(nodes) > 100 && json_array_size(edges) > 1000);
    size_t k;
    json_t *e;
    const char *pa = "", *pb = "", *pk = "";
    bool dup = false, dangling = false, wrong_kind = false, bad_sign = false, us_jpn = false;
    json_array_foreach(edges, k, e)
    {
        const char *a = json_string_value(json_object_get(e, "a")), *b = json_string_value(json_object_get(e, "b"));
        const char *kind = json_string_value(json_object_get(e, "kind"));
        dup |= strcmp(a, pa) == 0 && strcmp(b, pb) == 0 && strcmp(kind, pk) == 0;
        dangling |= !find_state(nodes, a) || !find_state(nodes, b);
        wrong_kind |= strcmp(kind, "pact") != 0 && strcmp(kind, "rivalry") != 0;
        bad_sign |= json_integer_value(json_object_get(e, "sign")) != (strcmp(kind, "rivalry") == 0 ? -1 : 1);
        if (strcmp(a, "USA") == 0 && strcmp(b, "JPN") == 0 && strcmp(kind, "pact") == 0) {
            us_jpn = json_is_true(json_object_get(e, "defense"));
        }
        pa = a, pb = b, pk = kind;
    }
    CHECK(!dup);
    CHECK(!dangling);
    CHECK(!wrong_kind);
    CHECK(!bad_sign);
    CHECK(us_jpn);
    json_decref(o);
}

static void test_polarization(const ent_world_t *w, ent_date_t date)
{
    char *text = NULL;
    ent_polarization_t p;
    CHECK_OK(ent_blocs_polarization(&p, w, date, NULL));
    CHECK_OK(ent_report_polarization(&text, w, date));
    json_t *o = load(text);
    CHECK(json_integer_value(json_object_get(o, "blocs")) == p.blocs);
    CHECK(json_integer_value(json_object_get(o, "aligned")) == p.aligned);
    CHECK(fabs(json_number_value(json_object_get(o, "hhi")) - p.p.hhi) < 1e-15);
    CHECK(fabs(json_number_value(json_object_get(o, "esteban_ray")) - p.p.er) < 1e-15);
    json_decref(o);
    /* a date with no capability in the shipped world (one base year): the library's error */
    ent_date_t early;
    ent_date_parse(&early, "1950", true);
    CHECK_RC(ent_report_polarization(&text, w, early), ENT_ERANGE);
}

static void test_scenario(const ent_world_t *w, const ent_scenario_t *s)
{
    char *text = NULL;
    CHECK_OK(ent_report_scenario(&text, s, w));
    json_t *o = load(text);
    CHECK_STR(json_string_value(json_object_get(o, "name")), "taiwan-strait-crisis");
    size_t k;
    json_t *p;
    size_t n = 0;
    json_array_foreach(json_object_get(o, "parameters"), k, p)
    {
        const ent_sim_param_t *row = &ent_sim_params()[k];
        CHECK_STR(json_string_value(json_object_get(p, "key")), row->key);
        double lo = json_number_value(json_object_get(p, "min")), hi = json_number_value(json_object_get(p, "max"));
        json_t *v = json_object_get(p, "value");
        if (row->per_pole) {
            /* poles by abbreviation; the scenario's USA norm0 is 0.05, China's 0.85 */
            CHECK(json_object_size(v) == 2);
            if (strcmp(row->key, "norm0") == 0) {
                CHECK(fabs(json_number_value(json_object_get(v, "USA")) - 0.05) < 1e-15);
                CHECK(fabs(json_number_value(json_object_get(v, "CHN")) - 0.85) < 1e-15);
            }
        } else {
            CHECK(json_number_value(v) >= lo && json_number_value(v) <= hi);
        }
        n++;
    }
    size_t rows = 0;
    while (ent_sim_params()[rows].key) {
        rows++;
    }
    CHECK(n == rows);
    CHECK(fabs(json_number_value(json_object_get(json_object_get(json_object_get(o, "levers"), "USA"), "tightening")) -
               0.5) < 1e-15);
    CHECK(json_array_size(json_object_get(o, "shocks")) == s->nshocks);
    CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(o, "shocks"), 0), "b")), "TAW");
    json_decref(o);
}

static void test_ensemble(const ent_world_t *w, ent_scenario_t *s, ent_scenario_t *base)
{
    s->runs = base->runs = 24;
    s->seed = base->seed = 3;
    ent_model_t *m = NULL, *bm = NULL;
    ent_ensemble_t *e = NULL, *be = NULL;
    ent_ensemble_options_t eo = ENT_ENSEMBLE_OPTIONS_INIT;
    eo.threads = 1;
    CHECK_OK(ent_model_new(&m, w, s));
    CHECK_OK(ent_model_new(&bm, w, base));
    CHECK_OK(ent_ensemble_run(&e, m, 0, s->runs, &eo));
    CHECK_OK(ent_ensemble_run(&be, bm, 0, base->runs, &eo));
    char *text = NULL;
    CHECK_RC(ent_report_ensemble(&text, w, s, m, e, base, NULL, be), ENT_EINVAL); /* all three or none */
    CHECK_OK(ent_report_ensemble(&text, w, s, m, e, base, bm, be));
    json_t *o = load(text);
    CHECK_STR(json_string_value(json_object_get(o, "schema")), ENT_REPORT_ENSEMBLE_SCHEMA);
    CHECK(json_integer_value(json_object_get(o, "runs")) == 24);
    json_t *states = json_object_get(o, "states");
    CHECK(json_array_size(states) == ent_model_nstates(m));
    int ry = s->report_year;
    bool all_equal = true, effect_equal = true, inside = true;
    for (size_t i = 0; i < ent_model_nstates(m); i++) {
        json_t *st = json_array_get(states, i);
        json_t *al = json_object_get(st, "alignment_report_year");
        json_t *fin = json_object_get(al, "finlandized_CHN");
        ent_prob_t p = ent_ensemble_p_align(e, i, ENT_ALIGN_FINLAND1, ry); /* poles: USA (2) first, CHN second */
        ent_prob_t q = ent_ensemble_p_align(be, i, ENT_ALIGN_FINLAND1, ry);
        all_equal &= json_number_value(json_object_get(fin, "p")) == p.p &&
                     json_number_value(json_object_get(fin, "lo")) == p.lo;
        json_t *eff = json_object_get(json_object_get(st, "alignment_effect_vs_baseline"), "finlandized_CHN");
        double d = json_number_value(json_object_get(eff, "diff"));
        effect_equal &= fabs(d - (p.p - q.p)) < 1e-15;
        inside &=
            json_number_value(json_object_get(eff, "lo")) <= d && d <= json_number_value(json_object_get(eff, "hi"));
    }
    CHECK(all_equal);
    CHECK(effect_equal);
    CHECK(inside);
    CHECK(json_is_true(
        json_object_get(json_object_get(json_array_get(json_object_get(json_object_get(o, "baseline"), "poles"), 1),
                                        "effect_more_pacts_by_report_year"),
                        "paired")));
    /* the series are keyed by the poles' codes, never by position */
    CHECK(json_object_get(json_object_get(o, "series"), "pacts_CHN") != NULL);
    CHECK(json_object_get(json_object_get(o, "series"), "pacts_pole1") == NULL);
    json_decref(o);
    /* a baseline over other years is refused */
    base->years = s->years - 1;
    CHECK_RC(ent_report_ensemble(&text, w, s, m, e, base, bm, be), ENT_EINVAL);
    CHECK(text == NULL);
    ent_ensemble_free(e);
    ent_ensemble_free(be);
    ent_model_free(m);
    ent_model_free(bm);
}

/*
 * Three poles: one pole_pacts entry per pair in canonical order, each the number `entente simulate
 * --json` (ent_report_simulate) prints for the same scenario and seed; against a baseline (the same
 * poles, Russia's alliance-tightening lever raised in the scenario) the paired effect's difference
 * is the difference of the two probabilities, so the per-run record agrees with the counts.
 */
static void test_pole_pacts(const ent_world_t *w, ent_scenario_t *base)
{
    ent_scenario_t s = *base;
    s.runs = base->runs = 40;
    s.seed = base->seed = 5;
    for (int p = 0; p < s.npoles; p++) {
        s.levers[p].tightening = 1.0;
        s.levers[p].inducements = 1.0;
    }
    ent_model_t *m = NULL, *bm = NULL;
    ent_ensemble_t *e = NULL, *be = NULL;
    ent_ensemble_options_t eo = ENT_ENSEMBLE_OPTIONS_INIT;
    eo.threads = 2;
    CHECK_OK(ent_model_new(&m, w, &s));
    CHECK_OK(ent_model_new(&bm, w, base));
    CHECK_OK(ent_ensemble_run(&e, m, 0, s.runs, &eo));
    CHECK_OK(ent_ensemble_run(&be, bm, 0, base->runs, &eo));
    char *text = NULL;
    CHECK_OK(ent_report_ensemble(&text, w, &s, m, e, base, bm, be));
    json_t *o = load(text);
    ent_report_run_t run = {&s, m, e, NULL};
    CHECK_OK(ent_report_simulate(&text, w, &run, 3));
    json_t *sim = load(text);
    json_t *pp = json_object_get(o, "pole_pacts"), *spp = json_object_get(sim, "pole_pacts");
    CHECK(json_array_size(pp) == 3 && json_array_size(spp) == 3);
    static const char *const pairs[3][2] = {{"USA", "RUS"}, {"USA", "CHN"}, {"RUS", "CHN"}};
    bool some = false;
    for (size_t k = 0; k < json_array_size(pp); k++) {
        json_t *x = json_array_get(pp, k), *y = json_array_get(spp, k);
        json_t *poles = json_object_get(x, "poles");
        CHECK_STR(json_string_value(json_array_get(poles, 0)), pairs[k][0]);
        CHECK_STR(json_string_value(json_array_get(poles, 1)), pairs[k][1]);
        CHECK(json_equal(poles, json_object_get(y, "poles")));
        const char *keys[] = {"p_pact_by_report_year", "p_pact_by_later_year"};
        for (int j = 0; j < 2; j++) {
            json_t *a = json_object_get(x, keys[j]), *b = json_object_get(y, keys[j]);
            CHECK(json_number_value(json_object_get(a, "p")) == json_number_value(json_object_get(b, "p")));
            CHECK(json_number_value(json_object_get(a, "lo")) == json_number_value(json_object_get(b, "lo")));
            CHECK(json_number_value(json_object_get(a, "hi")) == json_number_value(json_object_get(b, "hi")));
        }
        CHECK(json_integer_value(json_object_get(x, "report_year")) == s.report_year);
        double p = json_number_value(json_object_get(json_object_get(x, "p_pact_by_report_year"), "p"));
        json_t *eff = json_object_get(x, "effect_vs_baseline_by_report_year");
        CHECK(json_is_true(json_object_get(eff, "paired")));
        ent_prob_t bp = ent_ensemble_p_pole_pact(be, (int)(k == 2), k == 0 ? 1 : 2, s.report_year);
        double d = json_number_value(json_object_get(eff, "diff"));
        CHECK(fabs(d - (p - bp.p)) < 1e-12);
        CHECK(json_number_value(json_object_get(eff, "lo")) <= d && d <= json_number_value(json_object_get(eff, "hi")));
        some |= p > 0;
    }
    CHECK(some); /* the check above compares more than zeros */
    /* against itself: no effect, with a zero-width interval */
    double d = 1, lo = 1, hi = 1;
    CHECK_OK(ent_ensemble_diff_pole_pact(&d, &lo, &hi, e, 1, 2, e, 2, 1, s.report_year));
    CHECK(d == 0 && lo == 0 && hi == 0);
    CHECK_RC(ent_ensemble_diff_pole_pact(&d, &lo, &hi, e, 1, 1, be, 1, 2, s.report_year), ENT_EINVAL);
    json_decref(o);
    json_decref(sim);
    ent_ensemble_free(e);
    ent_ensemble_free(be);
    ent_model_free(m);
    ent_model_free(bm);
}

int main(void)
{
    ent_world_t *w = NULL;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/data", ENT_SOURCE_DIR);
    CHECK_OK(ent_world_load_dir(&w, dir));
    if (!w) {
        return CHECK_DONE();
    }
    ent_date_t date;
    CHECK_OK(ent_date_parse(&date, "2024-12-31", false));
    test_map(w, date);
    test_network(w, date);
    test_polarization(w, ent_world_as_of(w));
    ent_scenario_t s, base;
    char path[1024];
    snprintf(path, sizeof path, "%s/scenarios/taiwan-strait-crisis.yaml", ENT_SOURCE_DIR);
    CHECK_OK(ent_scenario_load(&s, path, w));
    snprintf(path, sizeof path, "%s/scenarios/baseline.yaml", ENT_SOURCE_DIR);
    CHECK_OK(ent_scenario_load(&base, path, w));
    test_scenario(w, &s);
    test_ensemble(w, &s, &base);
    snprintf(path, sizeof path, "%s/scenarios/russian-pole.yaml", ENT_SOURCE_DIR);
    CHECK_OK(ent_scenario_load(&base, path, w));
    test_pole_pacts(w, &base);
    ent_world_free(w);
    return CHECK_DONE();
}
