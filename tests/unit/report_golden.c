/*
 * report_golden.c -- the report layer's JSON on the shipped world equals the golden files in
 * tests/golden/ byte for byte (the schema documented in docs/report.md), and is valid JSON with
 * the documented members. A change to a report, or to the shipped world, shows up here first:
 * look at the diff, then regenerate with ENT_UPDATE_GOLDEN=1 (scripts/update-golden).
 */
#include <jansson.h>

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
    ent_world_free(w);
    return CHECK_DONE();
}
