/*
 * report_golden.c -- the report layer's JSON on the shipped world equals the golden files in
 * tests/golden/ byte for byte (the schema documented in docs/report.md), and is valid JSON with
 * the documented members. A change to a report, or to the shipped world, shows up here first:
 * look at the diff, then regenerate with ENT_UPDATE_GOLDEN=1 (scripts/update-golden).
 */
#include <jansson.h>
#include <math.h>

#include "check.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) {
        s[n] = '\0';
    }
    fclose(f);
    return s;
}

static void golden(const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/%s", ENT_SOURCE_DIR, name);
    if (getenv("ENT_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        CHECK(f != NULL);
        if (f) {
            fputs(text, f);
            fputc('\n', f);
            fclose(f);
            fprintf(stderr, "wrote %s\n", path);
        }
        return;
    }
    char *want = slurp(path);
    CHECK(want != NULL);
    if (!want) {
        fprintf(stderr, "missing golden file %s (ENT_UPDATE_GOLDEN=1 writes it)\n", path);
        return;
    }
    size_t n = strlen(text);
    bool same = strlen(want) == n + 1 && memcmp(want, text, n) == 0;
    if (!same) {
        size_t k = 0;
        while (want[k] && text[k] && want[k] == text[k]) {
            k++;
        }
        fprintf(stderr, "%s differs from the report at byte %zu:\n  golden: %.80s\n  report: %.80s\n", path, k,
                want + k, text + k);
    }
    CHECK(same);
    free(want);
}

/*
 * The measures' reports: the solver's wall-clock time ("seconds") is the one member that is not a
 * result, so it is zeroed before the comparison; the rest is pinned byte for byte.
 */
static void golden_timed(const char *name, ent_err_t rc, char *text, const char *schema)
{
    CHECK(rc == ENT_OK);
    json_error_t err;
    json_t *o = text ? json_loads(text, JSON_PRESERVE_ORDER, &err) : NULL;
    CHECK(o != NULL);
    if (!o) {
        ent_free(text);
        return;
    }
    CHECK_STR(json_string_value(json_object_get(o, "schema")), schema);
    json_t *f = json_object_get(o, "frustration");
    json_t *at = json_is_object(f) ? f : o;
    CHECK(json_real_value(json_object_get(at, "seconds")) >= 0);
    json_object_set_new(at, "seconds", json_real(0));
    char *norm = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    golden(name, norm);
    free(norm);
    json_decref(o);
    ent_free(text);
}

static void count_section(void *ctx, bool enter)
{
    int *n = ctx;
    CHECK(enter ? n[0] == n[1] : n[0] == n[1] + 1); /* strictly alternating */
    n[enter ? 0 : 1]++;
}

static void measures(const ent_world_t *w, ent_date_t date)
{
    char *text = NULL;
    ent_portfolios_t *p = NULL;
    CHECK(ent_portfolios_from_world(&p, w, 2024, 2024, 10) == ENT_OK);
    int32_t chn = 0, usa = 0;
    CHECK(ent_portfolios_find(&chn, p, "CHN") == ENT_OK && ent_portfolios_find(&usa, p, "USA") == ENT_OK);
    CHECK(ent_report_similarity(&text, p, 2024, 2024, chn, 0, 0, NULL) == ENT_OK);
    json_error_t err;
    json_t *o = text ? json_loads(text, 0, &err) : NULL;
    json_t *rows = json_object_get(o, "dyads");
    /* China against every other state of 2024, China first in every row, by the other's code */
    CHECK(json_array_size(rows) + 1 == ent_portfolios_nstates(p, 2024));
    bool order = true;
    for (size_t k = 0; k < json_array_size(rows); k++) {
        json_t *r = json_array_get(rows, k);
        order &= json_integer_value(json_object_get(r, "ccode1")) == 710;
        order &= k == 0 || json_integer_value(json_object_get(r, "ccode2")) >
                               json_integer_value(json_object_get(json_array_get(rows, k - 1), "ccode2"));
    }
    CHECK(order);
    json_decref(o);
    if (text) {
        golden("similarity_CHN_2024.json", text);
    }
    ent_free(text);
    /* the pair's row equals ent_measure_similarity_pair's numbers */
    ent_similarity_t m;
    CHECK(ent_measure_similarity_pair(&m, p, 2024, chn, usa, NULL) == ENT_OK);
    CHECK(ent_report_similarity(&text, p, 2024, 2024, chn, usa, ENT_SIM_S | ENT_SIM_KAPPA, NULL) == ENT_OK);
    o = text ? json_loads(text, 0, &err) : NULL;
    json_t *r = json_array_get(json_object_get(o, "dyads"), 0);
    CHECK(json_array_size(json_object_get(o, "dyads")) == 1);
    CHECK(json_real_value(json_object_get(r, "s")) == m.s && json_real_value(json_object_get(r, "kappa")) == m.kappa);
    CHECK(json_object_get(r, "sw") == NULL); /* measures not asked are not written */
    json_decref(o);
    ent_free(text);
    /* a state outside the year's system, and a range backwards, are errors */
    CHECK(ent_report_similarity(&text, p, 2024, 2024, 99999, 0, 0, NULL) == ENT_ENOTFOUND && text == NULL);
    CHECK(ent_report_similarity(&text, p, 2024, 2023, 0, 0, 0, NULL) == ENT_EINVAL && text == NULL);
    ent_portfolios_free(p);

    ent_err_t rc = ent_report_balance_world(&text, w, date, "shipped world", NULL);
    golden_timed("balance_2024.json", rc, text, ENT_REPORT_BALANCE_SCHEMA);
    ent_report_blocs_options_t bo = ENT_REPORT_BLOCS_OPTIONS_INIT;
    int sections[2] = {0, 0};
    bo.igraph_section = count_section;
    bo.ctx = sections;
    rc = ent_report_blocs(&text, w, date, "shipped world", &bo);
    golden_timed("blocs_2024.json", rc, text, ENT_REPORT_BLOCS_SCHEMA);
    /* the igraph calls come in two stretches (communities, centralities), each entered and left */
    CHECK(sections[0] == 2 && sections[1] == 2);
    /* options of another version are refused, not misread */
    bo.version = 99;
    CHECK(ent_report_blocs(&text, w, date, NULL, &bo) == ENT_EINVAL && text == NULL);
}

/* A shipped scenario's ensemble, run on one thread with a few runs and a fixed seed: fast and deterministic. */
typedef struct {
    ent_scenario_t s;
    ent_model_t *m;
    ent_ensemble_t *e;
    char file[64];
} run_t;

static bool run_shipped(run_t *r, const ent_world_t *w, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/scenarios/%s.yaml", ENT_SOURCE_DIR, name);
    snprintf(r->file, sizeof r->file, "scenarios/%s.yaml", name);
    r->m = NULL;
    r->e = NULL;
    CHECK(ent_scenario_load(&r->s, path, w) == ENT_OK);
    r->s.runs = 8;
    r->s.seed = 7;
    ent_ensemble_options_t eo = ENT_ENSEMBLE_OPTIONS_INIT;
    eo.threads = 1;
    CHECK(ent_model_new(&r->m, w, &r->s) == ENT_OK);
    CHECK(r->m && ent_ensemble_run(&r->e, r->m, 0, r->s.runs, &eo) == ENT_OK);
    return r->e != NULL;
}

/* The probability member `key` of object o's "p". */
static double pmember(json_t *o, const char *key)
{
    return json_real_value(json_object_get(json_object_get(o, key), "p"));
}

/*
 * The simulate and forecast reports of three shipped scenarios at 8 runs (seed 7): the baseline,
 * a lever scenario (effects against the baseline) and a three-pole one (Russia a pole: no
 * China-Russia figure). Pinned byte for byte, JSON and text; and the forecast's China headline is
 * the simulate report's row for China, found by its code wherever it stands among the poles.
 */
static void simulations(const ent_world_t *w)
{
    static const char *const names[] = {"baseline", "russian-pole", "us-tightens-alliances"};
    enum { N = sizeof names / sizeof *names };
    run_t r[N];
    ent_report_run_t runs[N];
    bool ok = true;
    for (size_t k = 0; k < N; k++) {
        ok &= run_shipped(&r[k], w, names[k]);
        runs[k] = (ent_report_run_t){&r[k].s, r[k].m, r[k].e, r[k].file};
    }
    if (ok) {
        char *text = NULL, *series = NULL, *states = NULL;
        CHECK(ent_report_simulate(&text, w, &runs[0], 3) == ENT_OK);
        json_error_t err;
        json_t *sim = text ? json_loads(text, 0, &err) : NULL;
        CHECK_STR(json_string_value(json_object_get(sim, "schema")), ENT_REPORT_SIMULATE_SCHEMA);
        if (text) {
            golden("simulate_baseline_8runs.json", text);
        }
        ent_free(text);
        CHECK(ent_report_simulate_text(&text, w, &runs[0], 3) == ENT_OK);
        if (text) {
            golden("simulate_baseline_8runs.txt", text);
        }
        ent_free(text);
        CHECK(ent_report_simulate_csv(&series, &states, w, &runs[1]) == ENT_OK);
        CHECK(series && strncmp(series, "scenario,series,year,mean,q05,q50,q95\n", 38) == 0);
        CHECK(states && strstr(states, ",p_align_RUS,") != NULL);
        ent_free(series);
        ent_free(states);

        CHECK(ent_report_forecast(&text, w, runs, N, "scenarios", 3) == ENT_OK);
        json_t *fc = text ? json_loads(text, 0, &err) : NULL;
        CHECK_STR(json_string_value(json_object_get(fc, "schema")), ENT_REPORT_FORECAST_SCHEMA);
        if (text) {
            golden("forecast_8runs.json", text);
        }
        ent_free(text);
        json_t *rows = json_object_get(fc, "scenarios");
        CHECK(json_array_size(rows) == N);
        json_t *base = json_array_get(rows, 0), *rus = json_array_get(rows, 1), *lever = json_array_get(rows, 2);
        /* China's headline is the simulate report's China row, whatever its place among the poles */
        json_t *china = NULL, *poles = json_object_get(sim, "poles");
        for (size_t k = 0; k < json_array_size(poles); k++) {
            json_t *p = json_array_get(poles, k);
            china = strcmp(json_string_value(json_object_get(p, "pole")), "CHN") == 0 ? p : china;
        }
        CHECK(china != NULL);
        CHECK(pmember(base, "p_china_new_pact") == pmember(china, "p_more_pacts_than_base_by_report_year"));
        CHECK(pmember(base, "p_china_pacts") == pmember(china, "p_at_least_3_pacts_by_report_year"));
        CHECK(pmember(base, "p_china_alliance_builder") == pmember(china, "p_alliance_builder_by_report_year"));
        /* no effect of the baseline against itself; the others have one; Russia a pole: the China-Russia
         * figure is the pole-pair record */
        CHECK(json_object_get(base, "effect_vs_baseline_later") == NULL);
        CHECK(json_object_get(lever, "effect_vs_baseline_later") != NULL);
        CHECK(json_is_object(json_object_get(base, "p_china_russia_pact_later")));
        json_t *pair = NULL, *pp = json_object_get(rus, "pole_pacts");
        for (size_t k = 0; k < json_array_size(pp); k++) {
            json_t *q = json_object_get(json_array_get(pp, k), "poles");
            const char *a = json_string_value(json_array_get(q, 0)), *b = json_string_value(json_array_get(q, 1));
            if (a && b && ((!strcmp(a, "CHN") && !strcmp(b, "RUS")) || (!strcmp(a, "RUS") && !strcmp(b, "CHN")))) {
                pair = json_array_get(pp, k);
            }
        }
        CHECK(json_array_size(pp) == 3 && pair != NULL);
        CHECK(pair && pmember(rus, "p_china_russia_pact_later") == pmember(pair, "p_pact_by_later_year"));
        CHECK(json_array_size(json_object_get(base, "pole_pacts")) == 1);
        CHECK(json_array_size(json_object_get(rus, "poles")) == 3);
        json_decref(fc);
        json_decref(sim);
        CHECK(ent_report_forecast_text(&text, w, runs, N, "scenarios", 3) == ENT_OK);
        if (text) {
            golden("forecast_8runs.txt", text);
        }
        ent_free(text);
        /* no runs, or a run without its ensemble, is a caller's error, not a crash */
        text = (char *)"untouched";
        CHECK(ent_report_forecast(&text, w, runs, 0, NULL, 3) == ENT_EINVAL && text == NULL);
        ent_report_run_t bad = runs[0];
        bad.ensemble = NULL;
        CHECK(ent_report_simulate(&text, w, &bad, 3) == ENT_EINVAL && text == NULL);
    }
    for (size_t k = 0; k < N; k++) {
        ent_ensemble_free(r[k].e);
        ent_model_free(r[k].m);
    }
}

/*
 * The landscape of the essay's twenty states on 2024-12-31, solved exhaustively (every one of
 * the 2^19 configurations: the minima and basins are exact, so deterministic); the solver's
 * time is zeroed before both the JSON and the text are pinned.
 */
static void landscape(const ent_world_t *w, ent_date_t date)
{
    static const char *const codes[] = {"USA", "CHN", "RUS", "JPN", "IND", "PAK", "PRK", "ROK", "TAW", "AUL",
                                        "UKG", "FRN", "GMY", "IRN", "SAU", "TUR", "INS", "DRV", "PHI", "BRA"};
    enum { N = sizeof codes / sizeof *codes };
    int64_t st[N];
    for (size_t k = 0; k < N; k++) {
        CHECK(ent_world_find(&st[k], w, codes[k]) == ENT_OK);
    }
    /* the library's state lists: the default is these twenty, in this order; "all" is every state
     * of the system on the date; a list by codes; an unknown code is named */
    ent_vec_t sel;
    ent_vec_init(&sel, sizeof(int64_t));
    CHECK(ent_landscape_states(&sel, w, date, NULL) == ENT_OK);
    CHECK(sel.len == N && memcmp(sel.data, st, sizeof st) == 0);
    sel.len = 0;
    size_t alive = 0;
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        alive += ent_world_alive(w, i, date) ? 1 : 0;
    }
    CHECK(ent_landscape_states(&sel, w, date, "all") == ENT_OK && sel.len == alive && alive > 150);
    sel.len = 0;
    CHECK(ent_landscape_states(&sel, w, date, "CHN,2") == ENT_OK && sel.len == 2 && ((int64_t *)sel.data)[0] == st[1] &&
          ((int64_t *)sel.data)[1] == st[0]);
    sel.len = 0;
    CHECK(ent_landscape_states(&sel, w, date, "USA,XYZ") == ENT_ENOTFOUND && strstr(ent_errmsg(), "XYZ"));
    ent_vec_destroy(&sel);
    ent_landscape_t l;
    ent_landscape_init(&l);
    ent_vec_t terms;
    ent_vec_init(&terms, sizeof(ent_landscape_term_t));
    ent_landscape_result_t r;
    ent_landscape_result_init(&r);
    ent_landscape_options_t lo = ENT_LANDSCAPE_OPTIONS_INIT;
    lo.method = ENT_LANDSCAPE_EXHAUSTIVE;
    CHECK(ent_landscape_from_world(&l, &terms, w, date, st, N, NULL) == ENT_OK);
    CHECK(ent_landscape_solve(&r, &l, &lo) == ENT_OK);
    r.seconds = 0;
    ent_report_landscape_options_t ro = ENT_REPORT_LANDSCAPE_OPTIONS_INIT;
    ro.minima = 5;
    ro.world = "shipped world";
    ro.date = date;
    char *text = NULL;
    CHECK(ent_report_landscape(&text, &l, &r, &terms, &ro) == ENT_OK);
    json_error_t err;
    json_t *o = text ? json_loads(text, 0, &err) : NULL;
    CHECK_STR(json_string_value(json_object_get(o, "schema")), ENT_REPORT_LANDSCAPE_SCHEMA);
    CHECK(json_integer_value(json_object_get(o, "n")) == N);
    CHECK(json_array_size(json_object_get(o, "minima")) <= 5);
    CHECK(json_array_size(json_object_get(o, "propensities")) == terms.len);
    json_decref(o);
    if (text) {
        golden("landscape_2024.json", text);
    }
    ent_free(text);
    CHECK(ent_report_landscape_text(&text, &l, &r, &ro) == ENT_OK);
    if (text) {
        golden("landscape_2024.txt", text);
    }
    ent_free(text);
    ro.version = 99;
    CHECK(ent_report_landscape(&text, &l, &r, NULL, &ro) == ENT_EINVAL && text == NULL);
    ent_landscape_result_destroy(&r);
    ent_vec_destroy(&terms);
    ent_landscape_destroy(&l);
}

/*
 * The fit's report writes the model's numbers unchanged: on the shipped parameter file with a
 * made-up grid, every estimate, its standard error (the covariance's diagonal) and z, and the
 * chosen grid point.
 */
static void fit_report(void)
{
    ent_pactmodel_t *m = NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/data/params/pactmodel.json", ENT_SOURCE_DIR);
    CHECK(ent_pactmodel_load(&m, path) == ENT_OK);
    if (!m) {
        return;
    }
    ent_pmfit_report_t rep;
    memset(&rep, 0, sizeof rep);
    rep.ngrid = 2;
    rep.chosen = 1;
    rep.grid_lambda[0] = 1, rep.grid_lambda[1] = 10;
    rep.grid_threat_ref[0] = rep.grid_threat_ref[1] = 0.01;
    rep.grid_valid[0] = NAN, rep.grid_valid[1] = -0.0125;
    rep.fit.loglik = -1234.5, rep.fit.nform = 1000, rep.fit.form_events = 12, rep.fit.nend = 50;
    rep.valid_loglik = -0.0125;
    char *text = NULL;
    CHECK(ent_report_fit(&text, m, &rep) == ENT_OK);
    json_error_t err;
    json_t *o = text ? json_loads(text, 0, &err) : NULL;
    ent_free(text);
    CHECK_STR(json_string_value(json_object_get(o, "schema")), ENT_REPORT_FIT_SCHEMA);
    json_t *ps = json_object_get(o, "params");
    size_t P = ent_pactmodel_nparams(m);
    const double *est = ent_pactmodel_estimates(m), *cov = ent_pactmodel_covariance(m);
    CHECK(json_array_size(ps) == P && cov != NULL);
    bool same = true;
    for (size_t k = 0; cov && k < P; k++) {
        json_t *e = json_array_get(ps, k);
        same &= strcmp(json_string_value(json_object_get(e, "name")), ent_pactmodel_param_name(k)) == 0;
        same &= json_number_value(json_object_get(e, "estimate")) == est[k];
        double se = sqrt(cov[k * P + k]);
        same &=
            isfinite(se) ? json_number_value(json_object_get(e, "se")) == se : json_is_null(json_object_get(e, "se"));
    }
    CHECK(same);
    json_t *grid = json_object_get(o, "grid");
    CHECK(json_is_null(json_object_get(json_array_get(grid, 0), "valid_loglik"))); /* a failed fit: null */
    CHECK(json_is_true(json_object_get(json_array_get(grid, 1), "chosen")));
    CHECK(json_integer_value(json_object_get(o, "fit_obs")) == 1050);
    json_decref(o);
    CHECK(ent_report_fit_text(&text, m, &rep, NULL) == ENT_OK);
    CHECK(text && strstr(text, "pact model, fitted on outcome years 1947-1980: 1000 bilateral decisions (12 new "
                               "pacts)") == text);
    CHECK(text && strstr(text, "  lambda 10       threat_ref 0.01      -0.012500  <- chosen\n") != NULL);
    CHECK(text && strstr(text, "(fit failed)") != NULL);
    ent_free(text);
    rep.chosen = 2; /* outside the grid */
    CHECK(ent_report_fit(&text, m, &rep) == ENT_EINVAL && text == NULL);
    ent_pactmodel_free(m);
}

int main(void)
{
    ent_world_t *w = NULL;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/data", ENT_SOURCE_DIR);
    CHECK(ent_world_load_dir(&w, dir) == ENT_OK);
    if (!w) {
        return CHECK_DONE();
    }
    ent_date_t date;
    CHECK(ent_date_parse(&date, "2024-12-31", false) == ENT_OK);

    char *text = NULL;
    CHECK(ent_report_world(&text, w, date, "shipped world") == ENT_OK);
    json_error_t err;
    json_t *o = text ? json_loads(text, 0, &err) : NULL;
    CHECK(o != NULL);
    CHECK_STR(json_string_value(json_object_get(o, "schema")), ENT_REPORT_WORLD_SCHEMA);
    CHECK(json_integer_value(json_object_get(o, "states")) > 150);
    /* the US-led component is the largest: bloc 0 holds the US */
    json_t *b0 = json_object_get(json_array_get(json_object_get(o, "pact_blocs"), 0), "members");
    bool us = false;
    for (size_t k = 0; k < json_array_size(b0); k++) {
        us |= strcmp(json_string_value(json_array_get(b0, k)), "USA") == 0;
    }
    CHECK(us);
    json_decref(o);
    if (text) {
        golden("world_2024.json", text);
    }
    ent_free(text);

    static const char *const states[] = {"CHN", "USA", "PAK"};
    for (size_t k = 0; k < sizeof states / sizeof *states; k++) {
        int64_t s;
        CHECK(ent_world_find(&s, w, states[k]) == ENT_OK);
        text = NULL;
        CHECK(ent_report_state(&text, w, s, date) == ENT_OK);
        o = text ? json_loads(text, 0, &err) : NULL;
        CHECK(o != NULL);
        CHECK_STR(json_string_value(json_object_get(o, "schema")), ENT_REPORT_STATE_SCHEMA);
        CHECK_STR(json_string_value(json_object_get(o, "abbr")), states[k]);
        json_decref(o);
        char name[64];
        snprintf(name, sizeof name, "state_%s_2024.json", states[k]);
        if (text) {
            golden(name, text);
        }
        ent_free(text);
    }
    /* China's own ladder is reported top tier first: Pakistan and Russia at the top (the essay) */
    int64_t chn;
    ent_world_find(&chn, w, "CHN");
    ent_report_state(&text, w, chn, date);
    o = json_loads(text, 0, &err);
    json_t *top = json_array_get(json_object_get(o, "partnership_tiers"), 0);
    json_t *apex = json_object_get(top, "partners");
    CHECK(json_array_size(apex) == 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(apex, 0), "partner")), "PAK");
    CHECK_STR(json_string_value(json_object_get(json_array_get(apex, 1), "partner")), "RUS");
    json_decref(o);
    ent_free(text);

    /* a state the world does not hold is an error, not a crash, and leaves *out NULL */
    text = (char *)"untouched";
    CHECK(ent_report_state(&text, w, (int64_t)ent_world_nstates(w), date) == ENT_EINVAL);
    CHECK(text == NULL);
    CHECK(ent_report_state(&text, w, -1, date) == ENT_EINVAL);
    measures(w, date);
    simulations(w);
    landscape(w, date);
    fit_report();
    ent_world_free(w);
    return CHECK_DONE();
}
