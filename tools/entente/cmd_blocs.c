/*
 * cmd_blocs.c -- `entente blocs`: the blocs of the alliance system on a date.
 * Builds the world's signed network (pacts, partnerships and security ties +,
 * rivalries and coercion -; include/entente/blocs.h), finds its signed
 * communities (spinglass), the frustration of that partition and the exact
 * frustration index of the network with its two camps, and the most central
 * states of the friendly network (betweenness, eigenvector) with clustering.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

#define DEFAULT_DATE 20241231

typedef struct {
    ent_date_t date;
    uint64_t seed;
    int restarts;
    double time_limit;
    size_t top;
    bool json;
    const char *origin;
} conf_t;

/* A number of the report; NaN for null (the report's way of saying "undefined"). */
static double jnum(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* "  label (n): A B C ..." with at most 24 names. */
static void print_members(const json_t *m)
{
    size_t n = json_array_size(m), shown = n < 24 ? n : 24;
    for (size_t i = 0; i < shown; i++) {
        printf(" %s", json_string_value(json_array_get(m, i)));
    }
    printf("%s\n", n > shown ? " ..." : "");
}

static void print_top(const json_t *list, const char *fmt)
{
    size_t n = json_array_size(list);
    for (size_t k = 0; k < n; k++) {
        const json_t *x = json_array_get(list, k);
        printf(" %s ", json_string_value(json_object_get(x, "state")));
        printf(fmt, jnum(x, "value"));
        printf("%s", k + 1 < n ? "," : "");
    }
}

/* The report (entente.blocs/1) as text. */
static void print_blocs(const json_t *o, const conf_t *c)
{
    printf("The signed network of the alliance system on %s (%s)\n", json_string_value(json_object_get(o, "date")),
           c->origin);
    printf("%.0f states with a signed tie, %.0f ties (+%.0f, -%.0f)\n", jnum(o, "nodes"), jnum(o, "edges"),
           jnum(o, "positive"), jnum(o, "negative"));
    const json_t *cl = json_object_get(o, "communities");
    printf("\nSigned communities (spinglass, seed %llu): %d", (unsigned long long)c->seed, (int)json_array_size(cl));
    printf("; modularity %.4f", jnum(o, "modularity"));
    if (!isnan(jnum(o, "positive_inside"))) {
        printf("; friendly weight inside %.1f%%", 100 * jnum(o, "positive_inside"));
    }
    if (!isnan(jnum(o, "negative_between"))) {
        printf("; hostile weight between %.1f%%", 100 * jnum(o, "negative_between"));
    }
    printf("\n  frustration of this partition %.4g\n", jnum(o, "community_frustration"));
    for (size_t k = 0; k < json_array_size(cl); k++) {
        const json_t *x = json_array_get(cl, k);
        double size = jnum(x, "size"), share = jnum(x, "share");
        if (size < 2 && k >= 8) {
            continue; /* singletons beyond the first few are noise in text */
        }
        printf("  %2d. %3.0f states, CINC %.3f (%4.1f%%):", (int)k + 1, size, jnum(x, "cinc"),
               isnan(share) ? 0.0 : 100 * share);
        print_members(json_object_get(x, "members"));
    }
    const json_t *fr = json_object_get(o, "frustration");
    char v[32] = "none", b[32] = "none";
    bool optimal = json_is_true(json_object_get(fr, "optimal"));
    if (!isnan(jnum(fr, "value"))) {
        snprintf(v, sizeof v, "%.4g", jnum(fr, "value"));
    }
    if (!isnan(jnum(fr, "bound"))) {
        snprintf(b, sizeof b, "%.4g", jnum(fr, "bound"));
    }
    printf("\nFrustration index (two camps): %s%s, bound %s", v, optimal ? " (optimal)" : "", b);
    if (!optimal && !isnan(jnum(fr, "gap"))) {
        printf(", gap %.2f%%", 100 * jnum(fr, "gap"));
    }
    printf(", %.2f s, %s\n", jnum(fr, "seconds"), json_string_value(json_object_get(fr, "method")));
    const json_t *camps = json_object_get(fr, "camps");
    for (size_t k = 0; k < 2; k++) {
        const json_t *m = json_array_get(camps, k);
        printf("  camp %d (%zu):", (int)k, json_array_size(m));
        print_members(m);
    }
    const json_t *ce = json_object_get(o, "centrality"), *clu = json_object_get(o, "clustering");
    printf("\nCentrality in the friendly network (top %zu)\n  betweenness:",
           json_array_size(json_object_get(ce, "betweenness")));
    print_top(json_object_get(ce, "betweenness"), "%.0f");
    printf("\n  eigenvector:");
    print_top(json_object_get(ce, "eigenvector"), "%.3f");
    printf("\nClustering: transitivity %.3f, mean local clustering %.3f\n", jnum(clu, "transitivity"),
           jnum(clu, "mean_local"));
}

/* The library's report (entente.blocs/1), the document `entente serve` hands on: printed as is
 * with --json, as text otherwise. */
static int run(const ent_world_t *w, const conf_t *c)
{
    ent_report_blocs_options_t o = ENT_REPORT_BLOCS_OPTIONS_INIT;
    o.seed = c->seed;
    o.restarts = c->restarts;
    o.time_limit = c->time_limit;
    o.top = c->top;
    o.cancel = cli_cancel_flag();
    char *text = NULL;
    ent_err_t rc = ent_report_blocs(&text, w, c->date, c->origin, &o);
    if (c->json) {
        return cli_print_report(rc, text);
    }
    int ret = EXIT_OK;
    json_t *doc = cli_load_report(rc, text, &ret);
    if (!doc) {
        return ret;
    }
    print_blocs(doc, c);
    json_decref(doc);
    return EXIT_OK;
}
typedef struct {
    int year, restarts;
    size_t top;
} blocs_args_t;

static const cli_opt_t opts[] = {
    {.name = "date", .kind = CLI_COMMON, .def = "2024-12-31", .help = "YYYY-MM-DD, or YYYY for the end of that year"},
    {.name = "year",
     .kind = CLI_YEAR,
     .help = "1 July of year Y (a mid-year snapshot, as `entente polarization`)",
     .field = offsetof(blocs_args_t, year)},
    CLI_COMMON_HELP("world-dir", "the shipped world's CSV directory (default: $ENTENTE_WORLD or the build's data/)"),
    CLI_COMMON_HELP("db", "the historical world imported into a store (COW states, NMC, ATOP); needs --date or --year "
                          "inside the years of its pacts and capabilities"),
    {.name = "seed",
     .kind = CLI_COMMON,
     .def = "1",
     .help = "seed of the community detection: same seed, same communities"},
    {.name = "restarts",
     .kind = CLI_INT,
     .metavar = "R",
     .lo = 1,
     .hi = 1000,
     .def = "2",
     .help = "spinglass runs per connected component, the best kept",
     .field = offsetof(blocs_args_t, restarts)},
    {.name = "time-limit",
     .kind = CLI_COMMON,
     .def = "10",
     .help = "seconds for the exact frustration index (0 = none); when it runs out, the best split with its bound "
             "and gap"},
    {.name = "top",
     .kind = CLI_SIZE,
     .lo = 0,
     .hi = 1e6,
     .def = "10",
     .expect = "a count",
     .help = "states listed per centrality",
     .field = offsetof(blocs_args_t, top)},
    CLI_COMMON_HELP("json", "everything as JSON, with every state's community, camp and centralities"),
    {0},
};

const cli_spec_t cli_spec_blocs = {
    .name = "blocs",
    .about = "The blocs of the alliance system on a date. The system is a signed network: defence (or offence)\n"
             "pacts +1, neutrality or consultation pacts +0.5, non-aggression-only and dormant pacts 0,\n"
             "partnerships +0.5 x tier / top tier, security cooperation +0.3, rivalries -intensity,\n"
             "coercion -0.5 (per pair, the strongest friendly tie minus the strongest hostile one).\n"
             "Shows its signed communities (igraph spinglass with negative weights, per connected component)\n"
             "with members and capability, their modularity and the share of friendly weight inside and of\n"
             "hostile weight between them; the frustration of that partition and the exact frustration\n"
             "index of the network (the least weight a two-camp split must violate) with the camps; the\n"
             "states most central to the friendly network (betweenness, eigenvector) and its clustering.",
    .opts = opts,
};

int cmd_blocs(int argc, char **argv)
{
    conf_t c = {DEFAULT_DATE, 1, 2, 10.0, 10, false, NULL};
    blocs_args_t args = {.restarts = c.restarts, .top = c.top};
    cli_common_t cm;
    CLI_PARSE(&cli_spec_blocs, argc, argv, &args, &cm);
    const char *dir = cm.world_dir, *db = cm.db;
    bool date_given = cm.date != 0, year_given = args.year != 0;
    c.date = year_given ? (ent_date_t)(args.year * 10000 + 701) : date_given ? cm.date : c.date;
    c.seed = cli_given(&cli_spec_blocs, &cm, "seed") ? cm.seed : c.seed;
    c.restarts = args.restarts;
    c.time_limit = cli_given(&cli_spec_blocs, &cm, "time-limit") ? cm.time_limit : c.time_limit;
    c.top = args.top;
    c.json = cm.json;
    if (cli_prov()) {
        ent_prov_set_run(cli_prov(), c.seed, -1, -1);
    }
    if (date_given && year_given) {
        return cli_usage_error("blocs", "give --date or --year, not both");
    }
    if (dir && db) {
        return cli_usage_error("blocs", "give --world-dir or --db, not both");
    }
    if (db && !date_given && !year_given) {
        return cli_usage_error("blocs", "--db needs --date D or --year Y (a historical store has no default date)");
    }
    ent_world_t *w = NULL;
    ent_err_t rc;
    char origin[4200];
    if (db) {
        ent_store_t *st;
        if ((rc = cli_open_store(&st, db, true, true)) != ENT_OK) { /* with the provenance of the JSON output */
            return cli_fail(rc);
        }
        int first, last, y = ent_date_year(c.date);
        if ((rc = ent_blocs_coverage(&first, &last, st)) == ENT_OK && (y < first || y > last)) {
            char d[11];
            ent_date_format(d, c.date);
            fprintf(stderr, "entente: %s is outside the data: the store's pacts and capabilities cover %d-%d\n", d,
                    first, last);
            ent_store_close(st);
            return EXIT_INPUT;
        }
        if (rc == ENT_OK) {
            rc = ent_world_load(&w, st, NULL);
        }
        ent_store_close(st);
        snprintf(origin, sizeof origin, "store %s", db);
    } else {
        if (!dir) {
            dir = ent_world_default_dir();
        }
        rc = cli_load_world(&w, NULL, dir, true);
        snprintf(origin, sizeof origin, "shipped world %s", dir);
    }
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    c.origin = origin;
    int ret = run(w, &c);
    ent_world_free(w);
    return ret;
}
