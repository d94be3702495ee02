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
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *out)
{
    fprintf(out, "usage: entente balance FILE [--network NAME] [--year Y] [--exact | --heuristic | --exhaustive]\n"
                 "                       [--time-limit S] [--seed S] [--k K] [--alpha A] [--minima N] [--json]\n"
                 "       entente balance --world [--world-dir DIR | --db PATH] [--date D | --year Y] [options]\n\n"
                 "Structural balance of the signed networks in FILE, a CSV edge list with a header naming\n"
                 "from, to, sign (any nonzero number; > 0 friendly, < 0 hostile) and optionally network\n"
                 "(several networks in one file) and begin, end (ties active for begin <= year < end).\n"
                 "For each network: nodes, edges, the fraction of balanced triangles, and the frustration\n"
                 "index -- the least total weight of ties a two-camp split must violate -- with the split.\n\n"
                 "  --network NAME  only this network of the file\n"
                 "  --year Y        the year, for files with begin/end columns\n"
                 "  --exact         prove the optimum (branch and cut), no default time limit\n"
                 "  --heuristic     local search and annealing only, with a cycle-packing lower bound\n"
                 "  --exhaustive    enumerate every split (n <= 40): the optimum, all local minima under\n"
                 "                  single-node moves and their basins of attraction (landscape theory)\n"
                 "  --time-limit S  seconds per network for the exact solver (default 60; 0 = none);\n"
                 "                  when it runs out, the best split, the best bound and the gap\n"
                 "  --seed S        seed of the heuristics (default 1)\n"
                 "  --k K           also a K-block signed blockmodel (Doreian & Mrvar)\n"
                 "  --alpha A       the blockmodel's weight of negative ties inside blocks (default 0.5)\n"
                 "  --minima N      with --exhaustive, list at most N minima (default 50)\n"
                 "  --json          JSON: {\"networks\": [{\"frustration\", \"partition\": {node: block},\n"
                 "                  \"optimal\", \"bound\", \"gap\", \"triangle_balance\", ...}]}\n\n"
                 "  --world         instead of FILE, the alliance system's signed network on a date, as\n"
                 "                  `entente blocs` builds it: defence pacts +1, neutrality or consultation pacts\n"
                 "                  +0.5 (non-aggression-only and dormant pacts 0), partnerships +0.5 x tier /\n"
                 "                  top tier, security ties +0.3, rivalries -intensity, coercion -0.5 (per pair\n"
                 "                  the strongest friendly minus the strongest hostile tie)\n"
                 "  --world-dir DIR the shipped world's CSV directory (default: $ENTENTE_WORLD or the build's data/)\n"
                 "  --db PATH       the historical world imported into a store (needs --date or --year)\n"
                 "  --date D        with --world: YYYY-MM-DD, or YYYY for the end of that year (default 2024-12-31)\n"
                 "  --year Y        with --world: 1 July of year Y\n\n"
                 "Without --exact, --heuristic or --exhaustive the library's automatic policy runs\n"
                 "(ent_partition_solve): the exact solver with the time limit, which decomposes the network,\n"
                 "enumerates small pieces, tries the heuristic and its bound, and only then branches and cuts;\n"
                 "when the time runs out, the heuristic's split with the bound and the gap. \"optimal\"\n"
                 "is true only when the bound proves it.\n"
                 "exit codes: 0 ok, 1 usage, 2 bad input, 3 I/O error, 130 interrupted\n");
}

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
    ent_err_t rc;
    if (db) {
        ent_store_t *st;
        ent_store_options_t so = ENT_STORE_OPTIONS_INIT;
        so.readonly = true;
        if ((rc = ent_store_open(&st, db, &so)) != ENT_OK) {
            return rc;
        }
        rc = ent_world_load(&w, st, NULL);
        if (rc == ENT_OK) {
            rc = cli_prov_store(NULL, st); /* provenance of the JSON output */
        }
        ent_store_close(st);
    } else {
        rc = ent_world_load_dir(&w, dir ? dir : ent_world_default_dir());
        if (rc == ENT_OK) {
            rc = cli_prov_world(NULL, dir ? dir : ent_world_default_dir());
        }
    }
    if (rc == ENT_OK) {
        rc = ent_blocs_network(g, NULL, w, date, NULL);
    }
    ent_world_free(w);
    char d[11];
    ent_date_format(d, date);
    snprintf(name, nname, "world %s", d);
    return rc;
}

int cmd_balance(int argc, char **argv)
{
    static const struct option opts[] = {
        {"network", required_argument, NULL, 'n'},
        {"year", required_argument, NULL, 'y'},
        {"exact", no_argument, NULL, 'E'},
        {"heuristic", no_argument, NULL, 'H'},
        {"exhaustive", no_argument, NULL, 'X'},
        {"time-limit", required_argument, NULL, 't'},
        {"seed", required_argument, NULL, 's'},
        {"k", required_argument, NULL, 'k'},
        {"alpha", required_argument, NULL, 'a'},
        {"minima", required_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"world", no_argument, NULL, 'W'},
        {"world-dir", required_argument, NULL, 'D'},
        {"db", required_argument, NULL, 'b'},
        {"date", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    bool world = false, date_given = false;
    const char *world_dir = NULL, *db = NULL;
    ent_date_t date = 20241231;
    conf_t c = {MODE_DEFAULT, 60.0, false, 1, 0, 0.5, 50, false};
    const char *network = NULL;
    int year = 0, modes = 0, ch;
    double d;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'n': network = optarg; break;
        case 'y':
            if (!cli_parse_year("balance", optarg, &year)) {
                return EXIT_USAGE;
            }
            break;
        case 'E':
            c.mode = MODE_EXACT;
            modes++;
            break;
        case 'H':
            c.mode = MODE_HEURISTIC;
            modes++;
            break;
        case 'X':
            c.mode = MODE_EXHAUSTIVE;
            modes++;
            break;
        case 't':
            if (!cli_parse_double(optarg, 0, 1e9, &c.time_limit)) {
                return cli_usage_error("balance", "--time-limit: expected seconds >= 0, got '%s'", optarg);
            }
            c.time_given = true;
            break;
        case 's':
            if (!cli_parse_seed(optarg, &c.seed)) {
                return cli_usage_error("balance", "--seed: expected a non-negative integer, got '%s'", optarg);
            }
            break;
        case 'k':
            if (!cli_parse_double(optarg, 1, 1e6, &d) || d != floor(d)) {
                return cli_usage_error("balance", "--k: expected a number of blocks >= 1, got '%s'", optarg);
            }
            c.k = (int)d;
            break;
        case 'a':
            if (!cli_parse_double(optarg, 0, 1, &c.alpha)) {
                return cli_usage_error("balance", "--alpha: expected a number in [0, 1], got '%s'", optarg);
            }
            break;
        case 'm':
            if (!cli_parse_double(optarg, 0, 1e9, &d) || d != floor(d)) {
                return cli_usage_error("balance", "--minima: expected a count, got '%s'", optarg);
            }
            c.minima = (size_t)d;
            break;
        case 'j': c.json = true; break;
        case 'h': help(stdout); return EXIT_OK;
        case 'W': world = true; break;
        case 'D': world_dir = optarg; break;
        case 'b': db = optarg; break;
        case 'T':
            if (ent_date_parse(&date, optarg, true) != ENT_OK) {
                return cli_usage_error("balance", "--date: %s", ent_errmsg());
            }
            date_given = true;
            break;
        default: return cli_usage_error("balance", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (modes > 1) {
        return cli_usage_error("balance", "choose one of --exact, --heuristic, --exhaustive");
    }
    if (!world && (world_dir || db || date_given)) {
        return cli_usage_error("balance", "--world-dir, --db and --date go with --world");
    }
    if (world) {
        /* the world's signed network instead of a file */
        if (optind != argc) {
            return cli_usage_error("balance", "--world takes no FILE (unexpected '%s')", argv[optind]);
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
    if (optind + 1 != argc) {
        return optind == argc ? cli_usage_error("balance", "missing FILE")
                              : cli_usage_error("balance", "unexpected argument '%s'", argv[optind + 1]);
    }
    const char *path = argv[optind];
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
