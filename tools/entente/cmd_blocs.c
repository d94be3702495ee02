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

static json_t *num(double v)
{
    return cli_json_num(v);
}

/* qsort context: the values ranked (single-threaded CLI). */
static const double *rank_values;

static int cmp_desc(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    double va = isnan(rank_values[a]) ? -INFINITY : rank_values[a];
    double vb = isnan(rank_values[b]) ? -INFINITY : rank_values[b];
    if (va != vb) {
        return va > vb ? -1 : 1;
    }
    return a < b ? -1 : (a > b);
}

/* Node indices sorted by v, largest first (ties: node order); caller frees. */
static size_t *ranked(const double *v, size_t n)
{
    size_t *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!ix) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        ix[i] = i;
    }
    rank_values = v;
    qsort(ix, n, sizeof *ix, cmp_desc);
    return ix;
}

typedef struct {
    ent_date_t date;
    uint64_t seed;
    int restarts;
    double time_limit;
    size_t top;
    bool json;
    const char *origin;
} conf_t;

static int run(const ent_world_t *w, const conf_t *c)
{
    ent_signed_t g;
    ent_signed_init(&g);
    ent_vec_t states;
    ent_vec_init(&states, sizeof(int64_t));
    ent_communities_t cm;
    ent_communities_init(&cm);
    ent_solve_result_t sr;
    ent_solve_result_init(&sr);
    const ent_partition_result_t *fr = &sr.best;
    ent_centrality_t ce;
    ent_centrality_init(&ce);
    size_t *by_bt = NULL, *by_ev = NULL;
    double *ccap = NULL, *cinc = NULL;
    int ret = EXIT_OK;
    ent_err_t rc;
    if ((rc = ent_blocs_network(&g, &states, w, c->date, NULL)) != ENT_OK) {
        goto fail;
    }
    size_t n = (size_t)g.n;
    ent_communities_options_t co = ENT_COMMUNITIES_OPTIONS_INIT;
    co.seed = c->seed;
    co.restarts = c->restarts;
    if ((rc = ent_blocs_communities(&cm, &g, &co)) != ENT_OK) {
        goto fail;
    }
    ent_solve_options_t so = ENT_SOLVE_OPTIONS_INIT; /* the library's automatic policy */
    so.time_limit = c->time_limit;
    so.seed = c->seed;
    so.cancel = cli_cancel_flag();
    rc = ent_partition_solve(&sr, &g, &so);
    if (rc != ENT_OK || (rc = ent_blocs_centrality(&ce, &g)) != ENT_OK) {
        goto fail;
    }
    /* capability: of each node, of each community, and the total of every state alive on the date */
    int year = ent_date_year(c->date);
    double total = 0;
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        double x = ent_world_alive(w, i, c->date) ? ent_world_cinc_near(w, i, year, 10, 0) : NAN;
        total += isnan(x) ? 0 : x;
    }
    ccap = calloc((size_t)cm.count + 1, sizeof *ccap);
    cinc = calloc(n + 1, sizeof *cinc);
    by_bt = ranked(ce.betweenness.data, n);
    by_ev = ranked(ce.eigenvector.data, n);
    if (!ccap || !cinc || !by_bt || !by_ev) {
        rc = ENT_ENOMEM;
        fprintf(stderr, "entente: out of memory\n");
        ret = EXIT_IO;
        goto done;
    }
    const int32_t *mem = cm.membership.data, *camp = fr->block.data;
    for (size_t i = 0; i < n; i++) {
        cinc[i] = ent_world_cinc_near(w, (size_t)ENT_VEC_AT(&states, int64_t, i), year, 10, 0);
        ccap[mem[i]] += isnan(cinc[i]) ? 0 : cinc[i];
    }
    size_t pos, neg;
    ent_signed_count(&g, &pos, &neg);
    char d[11];
    ent_date_format(d, c->date);
    size_t top = c->top < n ? c->top : n;
    const double *bt = ce.betweenness.data, *ev = ce.eigenvector.data;

    if (c->json) {
        json_t *o = json_pack("{s:s, s:s, s:I, s:i, s:I, s:I, s:I, s:I}", "date", d, "origin", c->origin, "seed",
                              (json_int_t)c->seed, "restarts", c->restarts, "nodes", (json_int_t)n, "edges",
                              (json_int_t)g.m, "positive", (json_int_t)pos, "negative", (json_int_t)neg);
        ent_blocs_network_options_t wo = ENT_BLOCS_NETWORK_OPTIONS_INIT;
        json_object_set_new(o, "weights",
                            json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "defense", wo.defense, "pact", wo.pact,
                                      "nonaggression", wo.nonaggression, "partnership_top_tier", wo.partnership,
                                      "security", wo.security, "rivalry_per_intensity", -wo.rivalry, "coercion",
                                      -wo.coercion));
        json_t *list = json_array();
        for (int32_t k = 0; k < cm.count; k++) {
            json_t *m = json_array();
            for (size_t i = 0; i < n; i++) {
                if (mem[i] == k) {
                    json_array_append_new(m, json_string(g.label[i]));
                }
            }
            json_array_append_new(list, json_pack("{s:i, s:I, s:o, s:o, s:o}", "community", (int)k, "size",
                                                  (json_int_t)json_array_size(m), "cinc", num(ccap[k]), "share",
                                                  num(total > 0 ? ccap[k] / total : NAN), "members", m));
        }
        json_object_set_new(o, "communities", list);
        json_object_set_new(o, "community_count", json_integer(cm.count));
        json_object_set_new(o, "modularity", num(cm.modularity));
        json_object_set_new(o, "positive_inside", num(cm.pos_inside));
        json_object_set_new(o, "negative_between", num(cm.neg_between));
        json_object_set_new(o, "community_frustration", num(cm.frustration));
        json_t *camps = json_array();
        for (int b = 0; b < 2; b++) {
            json_t *m = json_array();
            for (size_t i = 0; i < n; i++) {
                if (camp[i] == b) {
                    json_array_append_new(m, json_string(g.label[i]));
                }
            }
            json_array_append_new(camps, m);
        }
        json_object_set_new(o, "frustration",
                            json_pack("{s:o, s:o, s:o, s:b, s:f, s:s, s:o}", "value", num(fr->value), "bound",
                                      num(fr->bound), "gap", num(fr->gap), "optimal", fr->optimal, "seconds",
                                      fr->seconds, "method", fr->method, "camps", camps));
        json_t *cb = json_array(), *cev = json_array();
        for (size_t k = 0; k < top; k++) {
            json_array_append_new(cb, json_pack("{s:s, s:o}", "state", g.label[by_bt[k]], "value", num(bt[by_bt[k]])));
            json_array_append_new(cev, json_pack("{s:s, s:o}", "state", g.label[by_ev[k]], "value", num(ev[by_ev[k]])));
        }
        json_object_set_new(o, "centrality", json_pack("{s:o, s:o}", "betweenness", cb, "eigenvector", cev));
        json_object_set_new(
            o, "clustering",
            json_pack("{s:o, s:o}", "transitivity", num(ce.transitivity), "mean_local", num(ce.mean_clustering)));
        json_t *sts = json_array();
        for (size_t i = 0; i < n; i++) {
            const ent_state_t *s = ent_world_state(w, (size_t)ENT_VEC_AT(&states, int64_t, i));
            json_t *x = json_pack("{s:s, s:i, s:i, s:i}", "state", s->abbr, "ccode", s->ccode, "community", mem[i],
                                  "camp", camp[i]);
            json_object_set_new(x, "cinc", num(cinc[i]));
            json_object_set_new(x, "degree", num(ENT_VEC_AT(&ce.degree, double, i)));
            json_object_set_new(x, "strength", num(ENT_VEC_AT(&ce.strength, double, i)));
            json_object_set_new(x, "betweenness", num(bt[i]));
            json_object_set_new(x, "eigenvector", num(ev[i]));
            json_object_set_new(x, "clustering", num(ENT_VEC_AT(&ce.clustering, double, i)));
            json_array_append_new(sts, x);
        }
        json_object_set_new(o, "states", sts);
        ret = cli_print_json(o);
        goto done;
    }

    printf("The signed network of the alliance system on %s (%s)\n", d, c->origin);
    printf("%zu states with a signed tie, %zu ties (+%zu, -%zu)\n", n, g.m, pos, neg);
    printf("\nSigned communities (spinglass, seed %llu): %d", (unsigned long long)c->seed, (int)cm.count);
    printf("; modularity %.4f", cm.modularity);
    if (!isnan(cm.pos_inside)) {
        printf("; friendly weight inside %.1f%%", 100 * cm.pos_inside);
    }
    if (!isnan(cm.neg_between)) {
        printf("; hostile weight between %.1f%%", 100 * cm.neg_between);
    }
    printf("\n  frustration of this partition %.4g\n", cm.frustration);
    for (int32_t k = 0; k < cm.count; k++) {
        size_t sz = 0;
        for (size_t i = 0; i < n; i++) {
            sz += mem[i] == k;
        }
        if (sz < 2 && k >= 8) {
            continue; /* singletons beyond the first few are noise in text */
        }
        printf("  %2d. %3zu states, CINC %.3f (%4.1f%%):", (int)k + 1, sz, ccap[k],
               total > 0 ? 100 * ccap[k] / total : 0.0);
        size_t shown = 0;
        for (size_t i = 0; i < n && shown < 24; i++) {
            if (mem[i] == k) {
                printf(" %s", g.label[i]);
                shown++;
            }
        }
        printf("%s\n", sz > shown ? " ..." : "");
    }
    char v[32] = "none", b[32] = "none";
    if (!isnan(fr->value)) {
        snprintf(v, sizeof v, "%.4g", fr->value);
    }
    if (isfinite(fr->bound)) {
        snprintf(b, sizeof b, "%.4g", fr->bound);
    }
    printf("\nFrustration index (two camps): %s%s, bound %s", v, fr->optimal ? " (optimal)" : "", b);
    if (!fr->optimal && !isnan(fr->gap)) {
        printf(", gap %.2f%%", 100 * fr->gap);
    }
    printf(", %.2f s, %s\n", fr->seconds, fr->method);
    for (int k = 0; k < 2; k++) {
        size_t sz = 0, shown = 0;
        for (size_t i = 0; i < n; i++) {
            sz += camp[i] == k;
        }
        printf("  camp %d (%zu):", k, sz);
        for (size_t i = 0; i < n && shown < 24; i++) {
            if (camp[i] == k) {
                printf(" %s", g.label[i]);
                shown++;
            }
        }
        printf("%s\n", sz > shown ? " ..." : "");
    }
    printf("\nCentrality in the friendly network (top %zu)\n  betweenness:", top);
    for (size_t k = 0; k < top; k++) {
        printf(" %s %.0f%s", g.label[by_bt[k]], bt[by_bt[k]], k + 1 < top ? "," : "");
    }
    printf("\n  eigenvector:");
    for (size_t k = 0; k < top; k++) {
        printf(" %s %.3f%s", g.label[by_ev[k]], ev[by_ev[k]], k + 1 < top ? "," : "");
    }
    printf("\nClustering: transitivity %.3f, mean local clustering %.3f\n", ce.transitivity, ce.mean_clustering);
    goto done;
fail:
    ret = cli_fail(rc);
done:
    free(by_bt);
    free(by_ev);
    free(ccap);
    free(cinc);
    ent_centrality_destroy(&ce);
    ent_solve_result_destroy(&sr);
    ent_communities_destroy(&cm);
    ent_vec_destroy(&states);
    ent_signed_destroy(&g);
    return ret;
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
        ent_store_options_t so = ENT_STORE_OPTIONS_INIT;
        so.readonly = true;
        if ((rc = ent_store_open(&st, db, &so)) != ENT_OK) {
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
        if (rc == ENT_OK) {
            rc = cli_prov_store(NULL, st); /* provenance of the JSON output */
        }
        ent_store_close(st);
        snprintf(origin, sizeof origin, "store %s", db);
    } else {
        if (!dir) {
            dir = ent_world_default_dir();
        }
        rc = ent_world_load_dir(&w, dir);
        if (rc == ENT_OK) {
            rc = cli_prov_world(NULL, dir);
        }
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
