/*
 * cmd_balance.c -- `entente balance FILE`: structural balance of signed
 * networks: triangle balance, the frustration index (exact with a proof, or
 * heuristic with a bound) and its optimal split, optionally a k-way signed
 * blockmodel and, for small networks, every local minimum with its basin
 * (landscape theory).
 *
 * Networks come from load_networks(), which reads a signed edge list, or with
 * --world from world_network(): the world's signed network on a date (pacts,
 * partnerships and security ties +, rivalries and coercion -), built by
 * ent_blocs_network() exactly as `entente blocs` builds it (labels: state
 * abbreviations), and handed to the same report(); nothing else in this file
 * depends on where a network came from. Which solver runs is the library's
 * policy (ent_partition_solve); the flags only pick a method and a time limit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

typedef enum { MODE_DEFAULT, MODE_EXACT, MODE_HEURISTIC, MODE_EXHAUSTIVE } mode_t_;

typedef struct {
    mode_t_ mode;
    double time_limit;
    bool time_given;
    uint64_t seed;
    int k;
    double alpha;
    size_t minima;
    bool json;
} conf_t;

static void print_blocks(const ent_signed_t *g, const int32_t *block, const char *indent)
{
    int32_t kmax = 0;
    for (int32_t i = 0; i < g->n; i++) {
        kmax = block[i] > kmax ? block[i] : kmax;
    }
    for (int32_t b = 0; b <= kmax; b++) {
        printf("%sblock %d:", indent, (int)b);
        for (int32_t i = 0; i < g->n; i++) {
            if (block[i] == b) {
                printf(" %s", g->label[i]);
            }
        }
        printf("\n");
    }
}

static void fmt_value(char *buf, size_t n, double v)
{
    if (isinf(v) || isnan(v)) {
        snprintf(buf, n, "none");
    } else if (v == floor(v) && fabs(v) < 9e15) {
        snprintf(buf, n, "%.0f", v);
    } else {
        snprintf(buf, n, "%.6g", v);
    }
}

/* The flags as the library's options: the solver policy lives there (ent_partition_solve). */
static ent_report_balance_options_t balance_options(const conf_t *c)
{
    ent_report_balance_options_t o = ENT_REPORT_BALANCE_OPTIONS_INIT;
    o.method = c->mode == MODE_EXHAUSTIVE  ? ENT_SOLVE_EXHAUSTIVE
               : c->mode == MODE_HEURISTIC ? ENT_SOLVE_HEURISTIC
               : c->mode == MODE_EXACT     ? ENT_SOLVE_EXACT
                                           : ENT_SOLVE_AUTO;
    o.seed = c->seed;
    /* --exact proves the optimum however long it takes unless a limit is given; the default 60 s */
    o.time_limit = c->time_given ? c->time_limit : (c->mode == MODE_EXACT ? 0.0 : 60.0);
    o.k = c->k;
    o.alpha = c->alpha;
    o.max_minima = c->minima;
    o.cancel = cli_cancel_flag();
    return o;
}

/* --json: the library's report of one network (entente.balance/1), parsed for printing. */
static ent_err_t report_json(json_t **doc, const char *name, const ent_signed_t *g, const conf_t *c, const char *origin,
                             ent_date_t date)
{
    ent_report_balance_options_t o = balance_options(c);
    char *text = NULL;
    ent_err_t rc = ent_report_balance(&text, g, name, origin, date, &o);
    if (rc != ENT_OK) {
        return rc;
    }
    *doc = json_loads(text, 0, NULL);
    ent_free(text);
    return *doc ? ENT_OK : ENT_ENOMEM;
}

/* Measures one network; prints it as text or appends its report to `arr`. */
static ent_err_t report(const char *name, const ent_signed_t *g, const conf_t *c, json_t *arr)
{
    ent_err_t rc;
    if (arr) {
        json_t *doc = NULL;
        if ((rc = report_json(&doc, name, g, c, NULL, ENT_DATE_NONE)) == ENT_OK &&
            json_array_append_new(arr, doc) != 0) {
            rc = ENT_ENOMEM;
        }
        return rc;
    }
    size_t pos, neg;
    ent_signed_count(g, &pos, &neg);
    ent_triangle_balance_t tb;
    if ((rc = ent_signed_triangles(&tb, g)) != ENT_OK) {
        return rc;
    }
    /* the solver policy lives in the library (ent_partition_solve); this only maps the flags */
    ent_solve_result_t sr;
    ent_solve_result_init(&sr);
    ent_partition_result_t bm;
    ent_partition_result_init(&bm);
    const ent_partition_result_t *best = &sr.best;
    {
        ent_report_balance_options_t ro = balance_options(c);
        ent_solve_options_t o = ENT_SOLVE_OPTIONS_INIT;
        o.method = ro.method;
        o.seed = ro.seed;
        o.time_limit = ro.time_limit;
        o.minima = ro.method == ENT_SOLVE_EXHAUSTIVE;
        o.max_minima = ro.max_minima;
        o.cancel = ro.cancel;
        if ((rc = ent_partition_solve(&sr, g, &o)) != ENT_OK) {
            goto done;
        }
    }
    if (c->k > 0) {
        ent_blockmodel_options_t o = ENT_BLOCKMODEL_OPTIONS_INIT;
        o.k = c->k > g->n ? g->n : c->k;
        o.alpha = c->alpha;
        o.seed = c->seed;
        o.cancel = cli_cancel_flag();
        if (g->n > 0 && (rc = ent_partition_blockmodel(&bm, g, &o)) != ENT_OK) {
            goto done;
        }
    }
    const int32_t *block = best->block.data;
    {
        char v[32], b[32];
        fmt_value(v, sizeof v, best->value);
        fmt_value(b, sizeof b, best->bound);
        printf("%s: n %d, m %zu (+%zu, -%zu)\n", name, (int)g->n, g->m, pos, neg);
        if (tb.triangles) {
            printf("  triangles %lld, balanced %lld (%.4f; weighted %.4f)\n", (long long)tb.triangles,
                   (long long)tb.balanced, tb.fraction, tb.weighted);
        } else {
            printf("  triangles 0\n");
        }
        printf("  frustration %s%s, bound %s", v, best->optimal ? " (optimal)" : "", b);
        if (!best->optimal && !isnan(best->gap)) {
            printf(", gap %.2f%%", 100.0 * best->gap);
        }
        printf(", %.3f s, %s", best->seconds, best->method);
        if (c->mode != MODE_EXHAUSTIVE && c->mode != MODE_HEURISTIC && best->components) {
            printf(" (%d piece%s, largest %d nodes)", (int)best->components, best->components == 1 ? "" : "s",
                   (int)best->largest);
        }
        printf("\n");
        print_blocks(g, block, "    ");
        if (c->mode == MODE_EXHAUSTIVE) {
            printf("  %llu configurations, %llu local minima%s%s\n", (unsigned long long)sr.configs,
                   (unsigned long long)sr.nminima, sr.nminima > sr.minima.len ? " (lowest listed)" : "",
                   sr.basins ? "" : " (too many configurations for basins)");
            for (size_t i = 0; i < sr.minima.len; i++) {
                const ent_local_min_t *lm = &ENT_VEC_AT(&sr.minima, ent_local_min_t, i);
                fmt_value(v, sizeof v, lm->value);
                printf("  minimum %s, basin %llu:", v, (unsigned long long)lm->basin);
                for (int32_t s = 0; s < g->n; s++) {
                    if (ent_config_block(lm->config, s)) {
                        printf(" %s", g->label[s]);
                    }
                }
                printf(" | rest\n");
            }
        }
        if (c->k > 0 && g->n > 0) {
            fmt_value(v, sizeof v, bm.value);
            printf("  blockmodel k=%d alpha=%g: criterion %s\n", (int)(c->k > g->n ? g->n : c->k), c->alpha, v);
            print_blocks(g, bm.block.data, "    ");
        }
    }
done:
    ent_solve_result_destroy(&sr);
    ent_partition_result_destroy(&bm);
    return rc;
}

/* The networks to measure: today a signed edge list (see the file comment). */
static ent_err_t load_networks(ent_signed_set_t **out, const char *path, int year)
{
    ent_signed_read_options_t ro = ENT_SIGNED_READ_OPTIONS_INIT;
    ro.year = year;
    ent_err_t rc = ent_signed_read(out, path, &ro);
    return rc == ENT_OK ? cli_prov_file(NULL, "input", path) : rc;
}

/* The world's signed network on `date` (--world): from a store when `db` is given, else the CSV directory. */
static ent_err_t world_network(ent_signed_t *g, char *name, size_t nname, const char *dir, const char *db,
                               ent_date_t date)
{
    ent_world_t *w = NULL;
    ent_err_t rc = cli_load_world(&w, db, dir, true); /* with the provenance of the JSON output */
    if (rc == ENT_OK) {
        rc = ent_blocs_network(g, NULL, w, date, NULL);
    }
    ent_world_free(w);
    char d[11];
    ent_date_format(d, date);
    snprintf(name, nname, "world %s", d);
    return rc;
}

typedef struct {
    const char *network;
    int year, k;
    double alpha;
    size_t minima;
} balance_args_t;

static const cli_opt_t opts[] = {
    {.name = "network",
     .kind = CLI_STRING,
     .metavar = "NAME",
     .help = "only this network of the file",
     .field = offsetof(balance_args_t, network)},
    {.name = "year",
     .kind = CLI_YEAR,
     .help = "the year, for files with begin/end columns; with --world: 1 July of year Y",
     .field = offsetof(balance_args_t, year)},
    {.name = "exact", .kind = CLI_COMMON, .help = "prove the optimum (branch and cut), no default time limit"},
    {.name = "heuristic",
     .kind = CLI_COMMON,
     .help = "local search and annealing only, with a cycle-packing lower bound"},
    {.name = "exhaustive",
     .kind = CLI_COMMON,
     .help = "enumerate every split (n <= 40): the optimum, all local minima under single-node moves and their "
             "basins of attraction (landscape theory)"},
    {.name = "time-limit",
     .kind = CLI_COMMON,
     .def = "60",
     .help = "seconds per network for the exact solver (0 = none); when it runs out, the best split, the best bound "
             "and the gap"},
    {.name = "seed", .kind = CLI_COMMON, .def = "1", .help = "seed of the heuristics"},
    {.name = "k",
     .kind = CLI_INT,
     .metavar = "K",
     .lo = 1,
     .hi = 1e6,
     .expect = "a number of blocks >= 1",
     .help = "also a K-block signed blockmodel (Doreian & Mrvar)",
     .field = offsetof(balance_args_t, k)},
    {.name = "alpha",
     .kind = CLI_DOUBLE,
     .metavar = "A",
     .lo = 0,
     .hi = 1,
     .def = "0.5",
     .help = "the blockmodel's weight of negative ties inside blocks",
     .field = offsetof(balance_args_t, alpha)},
    {.name = "minima",
     .kind = CLI_SIZE,
     .lo = 0,
     .hi = 1e9,
     .def = "50",
     .expect = "a count",
     .help = "with --exhaustive, list at most N minima",
     .field = offsetof(balance_args_t, minima)},
    CLI_COMMON_HELP("json", "JSON: {\"networks\": [{\"frustration\", \"partition\": {node: block}, \"optimal\", "
                            "\"bound\", \"gap\", \"triangle_balance\", ...}]}"),
    CLI_COMMON_HELP("world", "instead of FILE, the alliance system's signed network on a date, as `entente blocs` "
                             "builds it: defence pacts +1, neutrality or consultation pacts +0.5 (non-aggression-only "
                             "and dormant pacts 0), partnerships +0.5 x tier / top tier, security ties +0.3, rivalries "
                             "-intensity, coercion -0.5 (per pair the strongest friendly minus the strongest hostile "
                             "tie)"),
    CLI_COMMON_HELP("world-dir", "the shipped world's CSV directory (default: $ENTENTE_WORLD or the build's data/)"),
    CLI_COMMON_HELP("db", "the historical world imported into a store (needs --date or --year)"),
    {.name = "date",
     .kind = CLI_COMMON,
     .def = "2024-12-31",
     .help = "with --world: YYYY-MM-DD, or YYYY for the end of that year"},
    {0},
};

const cli_spec_t cli_spec_balance = {
    .name = "balance",
    .args = "FILE",
    .npos_max = 1,
    .forms = "FILE [--network NAME] [--year Y] [--exact | --heuristic | --exhaustive] [options]\n"
             "--world [--world-dir DIR | --db PATH] [--date D | --year Y] [options]",
    .about = "Structural balance of the signed networks in FILE, a CSV edge list with a header naming\n"
             "from, to, sign (any nonzero number; > 0 friendly, < 0 hostile) and optionally network\n"
             "(several networks in one file) and begin, end (ties active for begin <= year < end).\n"
             "For each network: nodes, edges, the fraction of balanced triangles, and the frustration\n"
             "index -- the least total weight of ties a two-camp split must violate -- with the split.\n\n"
             "Without --exact, --heuristic or --exhaustive the library's automatic policy runs\n"
             "(ent_partition_solve): the exact solver with the time limit, which decomposes the network,\n"
             "enumerates small pieces, tries the heuristic and its bound, and only then branches and cuts;\n"
             "when the time runs out, the heuristic's split with the bound and the gap. \"optimal\"\n"
             "is true only when the bound proves it.",
    .opts = opts,
};

int cmd_balance(int argc, char **argv)
{
    balance_args_t args = {.alpha = 0.5, .minima = 50};
    cli_common_t cm;
    CLI_PARSE(&cli_spec_balance, argc, argv, &args, &cm);
    bool world = cm.world, date_given = cm.date != 0;
    const char *world_dir = cm.world_dir, *db = cm.db;
    ent_date_t date = date_given ? cm.date : 20241231;
    conf_t c = {MODE_DEFAULT, 60.0, false, 1, args.k, args.alpha, args.minima, cm.json};
    c.mode = cm.exact ? MODE_EXACT : cm.heuristic ? MODE_HEURISTIC : cm.exhaustive ? MODE_EXHAUSTIVE : MODE_DEFAULT;
    if ((c.time_given = cli_given(&cli_spec_balance, &cm, "time-limit"))) {
        c.time_limit = cm.time_limit;
    }
    if (cli_given(&cli_spec_balance, &cm, "seed")) {
        c.seed = cm.seed;
    }
    const char *network = args.network;
    int year = args.year, modes = cm.exact + cm.heuristic + cm.exhaustive;
    if (modes > 1) {
        return cli_usage_error("balance", "choose one of --exact, --heuristic, --exhaustive");
    }
    if (!world && (world_dir || db || date_given)) {
        return cli_usage_error("balance", "--world-dir, --db and --date go with --world");
    }
    if (world) {
        /* the world's signed network instead of a file */
        if (cm.npos != 0) {
            return cli_usage_error("balance", "--world takes no FILE (unexpected '%s')", cm.pos[0]);
        }
        if (network || (world_dir && db) || (date_given && year)) {
            return cli_usage_error("balance", "with --world: no --network; --world-dir or --db; --date or --year");
        }
        if (db && !date_given && !year) {
            return cli_usage_error("balance", "--db needs --date D or --year Y");
        }
        if (year) {
            date = (ent_date_t)(year * 10000 + 701);
        }
        ent_signed_t g;
        ent_signed_init(&g);
        char name[32], origin[4200];
        ent_err_t rc = world_network(&g, name, sizeof name, world_dir, db, date);
        json_t *doc = NULL;
        snprintf(origin, sizeof origin, db ? "store %s" : "shipped world %s",
                 db          ? db
                 : world_dir ? world_dir
                             : ent_world_default_dir());
        if (rc == ENT_OK) {
            rc = c.json ? report_json(&doc, name, &g, &c, origin, date) : report(name, &g, &c, NULL);
        }
        ent_signed_destroy(&g);
        if (rc != ENT_OK) {
            return cli_fail(rc);
        }
        return c.json ? cli_print_json(doc) : EXIT_OK;
    }
    if (cm.npos != 1) {
        return cli_usage_error("balance", "missing FILE");
    }
    const char *path = cm.pos[0];
    ent_signed_set_t *set = NULL;
    ent_err_t rc = load_networks(&set, path, year);
    if (rc == ENT_EINVAL) {
        fprintf(stderr, "entente balance: %s\n(see 'entente balance --help')\n", ent_errmsg());
        return EXIT_INPUT;
    }
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    size_t first = 0, last = ent_signed_set_count(set);
    if (network) {
        if ((rc = ent_signed_set_find(set, network, &first)) != ENT_OK) {
            ent_signed_set_free(set);
            return cli_fail(rc);
        }
        last = first + 1;
    }
    json_t *root = c.json ? json_object() : NULL;
    json_t *arr = c.json ? json_array() : NULL;
    for (size_t i = first; i < last && rc == ENT_OK; i++) {
        rc = report(ent_signed_set_name(set, i), ent_signed_set_graph(set, i), &c, arr);
        fflush(stdout);
    }
    ent_signed_set_free(set);
    if (rc != ENT_OK) {
        json_decref(root);
        json_decref(arr);
        return cli_fail(rc);
    }
    if (c.json) {
        json_object_set_new(root, "file", json_string(path));
        json_object_set_new(root, "networks", arr);
        return cli_print_json(root);
    }
    return EXIT_OK;
}
