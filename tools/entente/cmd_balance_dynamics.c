/*
 * cmd_balance_dynamics.c -- `entente balance-dynamics`: the local and
 * constrained triad dynamics of Antal, Krapivsky & Redner (2005) as a seeded
 * ensemble, on a complete graph with random signs, on the signed networks of
 * an edge list (e.g. the WWI ties at a year), or on the shipped world at a
 * date. Reports the friendly density (final and time-averaged, with the
 * mean-field value), the imbalanced triads, how often and how fast balance is
 * reached, and the splits reached. The model is in include/entente/balance.h
 * and docs/models/balance.md.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CMD "balance-dynamics"
#define DEFAULT_DATE 20241231
#define MAX_SPLITS 10

static void help(FILE *out)
{
    fprintf(
        out,
        "usage: entente balance-dynamics [--rule ltd|ctd] [--p P] [--steps T] [--runs R] [--seed S]\n"
        "                                [--complete N [--rho0 R0] | FILE [--network NAME] [--year Y] [--fill F]\n"
        "                                 | --world [--world-dir DIR | --db PATH] [--date D] [--tier K]]\n"
        "                                [--burn-in B] [--threads K] [--json]\n\n"
        "Structural-balance dynamics (Antal, Krapivsky & Redner, Phys. Rev. E 72, 036121, 2005).\n"
        "Links are friendly (+) or unfriendly (-); a triad with 1 or 3 unfriendly links is imbalanced.\n"
        "  ltd  local triad dynamics: pick a random triad; an imbalanced one with one unfriendly\n"
        "       link is fixed by befriending (probability p) or by making one of its friendly links\n"
        "       unfriendly (1 - p); one with three unfriendly links gets one friendly link\n"
        "  ctd  constrained triad dynamics: pick a random link; flip it if that lowers the number\n"
        "       of imbalanced triads, with probability 1/2 if it leaves it unchanged\n"
        "Time: one unit is L update events, L the links that lie in a triad. Each run stops when\n"
        "nothing can change any more (balance, or a CTD jam) or at time T.\n\n"
        "  --rule R        ltd (default) or ctd\n"
        "  --p P           ltd's propensity to befriend, in [0, 1] (default 0.3); for p < 1/2 a\n"
        "                  complete graph holds rho = 1 / (sqrt(3 (1 - 2p)) + 1), for p >= 1/2 it\n"
        "                  reaches paradise (all friendly)\n"
        "  --steps T       run length in time units (default 100)\n"
        "  --runs R        runs of the ensemble (default 16); run k uses random stream (S, k)\n"
        "  --seed S        seed (default 1)\n"
        "  --complete N    a complete graph on N nodes (3..4096), links friendly with probability\n"
        "                  --rho0 (default 0.5), drawn per run\n"
        "  FILE            a signed edge list (from,to,sign[,network][,begin,end]); every network\n"
        "                  of the file, or --network NAME; --year Y for files with begin/end\n"
        "  --fill F        complete the file's networks: every absent pair becomes a link,\n"
        "                  friendly with probability F (drawn per run); default: absent pairs stay\n"
        "                  absent and only the file's triangles evolve\n"
        "  --world         the shipped world (or --db PATH, an imported one) on --date D (YYYY[-MM[-DD]], default "
        "2024-12-31):\n"
        "                  - for a rivalry or coercion in force, else + for a pact (any obligation)\n"
        "                  or a partnership of tier >= --tier K (default 5, comprehensive strategic);\n"
        "                  states without such ties are left out ($ENTENTE_WORLD picks the directory)\n"
        "  --burn-in B     time averages start at time B (default: a third of T)\n"
        "  --threads K     OpenMP threads (default: all); results do not depend on it\n"
        "  --json          JSON: {\"networks\": [{\"network\", \"n\", \"links\", \"triads\", \"initial\",\n"
        "                  \"rho_final\", \"rho_avg\", \"mean_field_rho\", \"imbalanced_avg\",\n"
        "                  \"balanced_fraction\", \"paradise_fraction\", \"jammed_fraction\",\n"
        "                  \"balance_time\", \"splits\": [{\"count\", \"fraction\", \"sizes\", \"camps\"}], ...}]}\n"
        "                  (docs/models/balance.md lists every key)\n\n"
        "exit codes: 0 ok, 1 usage, 2 bad input, 3 I/O error, 130 interrupted\n");
}

typedef struct {
    ent_balance_options_t o;
    bool burn_given;
    bool json;
    const char *source; /* "complete", "file", "world" */
    int year;
    ent_date_t date;
    int tier;
} conf_t;

static json_t *num(double v)
{
    return cli_json_num(v);
}

/* One split reached: the runs with the same camps. */
typedef struct {
    size_t first; /* a run with this split */
    int64_t count;
} split_t;

typedef struct {
    const int32_t *block;
    int32_t n;
} split_ctx_t;

static int cmp_runs(const void *a, const void *b, void *ctx)
{
    const split_ctx_t *c = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int r = memcmp(c->block + x * (size_t)c->n, c->block + y * (size_t)c->n, (size_t)c->n * sizeof(int32_t));
    return r ? r : (x > y) - (x < y);
}

static int cmp_splits(const void *a, const void *b)
{
    const split_t *x = a, *y = b;
    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    return (x->first > y->first) - (x->first < y->first);
}

/*
 * Groups the structurally balanced runs by their camps (labelled graphs) or
 * by their camp sizes (complete graphs: nodes are exchangeable). Returns the
 * number of distinct splits; `out` receives up to MAX_SPLITS, most frequent
 * first.
 */
static size_t group_splits(split_t *out, size_t *nout, const ent_balance_ensemble_t *e, bool by_size)
{
    const ent_balance_run_t *r = e->run.data;
    size_t runs = (size_t)e->runs, n = 0;
    size_t *idx = malloc((runs + 1) * sizeof *idx);
    split_t *all = malloc((runs + 1) * sizeof *all);
    int32_t *key = NULL;
    if (!idx || !all) {
        free(idx);
        free(all);
        *nout = 0;
        return 0;
    }
    size_t m = 0;
    for (size_t k = 0; k < runs; k++) {
        if (r[k].structural) {
            idx[m++] = k;
        }
    }
    split_ctx_t ctx = {e->block.data, e->n};
    if (by_size) {
        /* key: the sorted camp sizes */
        key = malloc((runs + 1) * 2 * sizeof *key);
        if (key) {
            for (size_t k = 0; k < runs; k++) {
                int32_t a = r[k].camp[0], b = r[k].camp[1];
                key[2 * k] = a > b ? a : b;
                key[2 * k + 1] = a > b ? b : a;
            }
            ctx.block = key;
            ctx.n = 2;
        }
    }
    qsort_r(idx, m, sizeof *idx, cmp_runs, &ctx);
    for (size_t q = 0; q < m; q++) {
        if (q == 0 || memcmp(ctx.block + idx[q] * (size_t)ctx.n, ctx.block + idx[q - 1] * (size_t)ctx.n,
                             (size_t)ctx.n * sizeof(int32_t)) != 0) {
            all[n].first = idx[q];
            all[n].count = 0;
            n++;
        }
        all[n - 1].count++;
    }
    qsort(all, n, sizeof *all, cmp_splits);
    *nout = n < MAX_SPLITS ? n : MAX_SPLITS;
    memcpy(out, all, *nout * sizeof *out);
    free(idx);
    free(all);
    free(key);
    return n;
}

static void print_camp(const ent_signed_t *g, const int32_t *block, int32_t camp, int limit)
{
    int shown = 0, total = 0;
    printf("{");
    for (int32_t i = 0; i < g->n; i++) {
        if (block[i] != camp) {
            continue;
        }
        total++;
        if (shown < limit) {
            printf("%s%s", shown ? " " : "", g->label[i]);
            shown++;
        }
    }
    if (total > shown) {
        printf(" ... +%d", total - shown);
    }
    printf("}");
}

/* Runs the ensemble on one network (g NULL: the complete graph) and reports it. */
static ent_err_t report(const char *name, const ent_signed_t *g, const conf_t *c, json_t *arr)
{
    ent_balance_options_t o = c->o;
    if (!c->burn_given) {
        o.burn_in = o.max_time / 3.0;
    }
    o.cancel = cli_cancel_flag();
    ent_balance_ensemble_t e;
    ent_balance_ensemble_init(&e);
    ent_err_t rc = ent_balance_ensemble(&e, g, &o);
    if (rc != ENT_OK) {
        ent_balance_ensemble_destroy(&e);
        return rc;
    }
    bool ltd = o.rule == ENT_BALANCE_LTD;
    double mf = ltd ? ent_balance_ltd_stationary(o.p) : NAN;
    split_t splits[MAX_SPLITS];
    size_t nshown = 0;
    size_t nsplits = group_splits(splits, &nshown, &e, g == NULL);
    const ent_balance_run_t *runs = e.run.data;
    int32_t comps = runs[0].components;
    if (arr) {
        json_t *j = json_object();
        json_object_set_new(j, "network", json_string(name));
        json_object_set_new(j, "source", json_string(c->source));
        json_object_set_new(j, "n", json_integer(e.n));
        json_object_set_new(j, "links", json_integer(e.links));
        json_object_set_new(j, "active_links", json_integer(e.active_links));
        json_object_set_new(j, "triads", json_integer(e.triads));
        json_object_set_new(j, "components", json_integer(comps));
        json_object_set_new(
            j, "initial",
            json_pack("{s:o, s:I}", "rho", num(e.rho_initial), "imbalanced", (json_int_t)e.imbalanced_initial));
        json_object_set_new(j, "rule", json_string(ent_balance_rule_name(o.rule)));
        json_object_set_new(j, "p", ltd ? json_real(o.p) : json_null());
        json_object_set_new(j, "runs", json_integer(o.runs));
        json_object_set_new(j, "seed", json_integer((json_int_t)o.seed));
        json_object_set_new(j, "max_time", json_real(o.max_time));
        json_object_set_new(j, "burn_in", json_real(o.burn_in));
        if (!g) {
            json_object_set_new(j, "rho0", json_real(o.rho0));
        } else if (strcmp(c->source, "file") == 0) {
            json_object_set_new(j, "fill", o.fill >= 0 ? json_real(o.fill) : json_null());
            json_object_set_new(j, "year", c->year ? json_integer(c->year) : json_null());
        } else {
            char d[16];
            ent_date_format(d, c->date);
            json_object_set_new(j, "date", json_string(d));
            json_object_set_new(j, "tier", json_integer(c->tier));
        }
        json_object_set_new(j, "mean_field_rho", num(mf));
        json_object_set_new(j, "rho_final", num(e.rho_final));
        json_object_set_new(j, "rho_final_se", num(e.rho_final_se));
        json_object_set_new(j, "rho_avg", num(e.rho_avg));
        json_object_set_new(j, "rho_avg_se", num(e.rho_avg_se));
        json_object_set_new(j, "imbalanced_avg", num(e.imbalanced_avg));
        json_object_set_new(j, "balanced_fraction", json_real(e.balanced));
        json_object_set_new(j, "structural_fraction", json_real(e.structural));
        json_object_set_new(j, "paradise_fraction", json_real(e.paradise));
        json_object_set_new(j, "jammed_fraction", json_real(e.jammed));
        json_object_set_new(j, "balance_time", num(e.balance_time));
        json_object_set_new(j, "balance_time_se", num(e.balance_time_se));
        json_object_set_new(j, "distinct_splits", json_integer((json_int_t)nsplits));
        json_t *sa = json_array();
        for (size_t s = 0; s < nshown; s++) {
            const ent_balance_run_t *r = &runs[splits[s].first];
            const int32_t *blk = (const int32_t *)e.block.data + splits[s].first * (size_t)e.n;
            int32_t big = r->camp[0] >= r->camp[1] ? 0 : 1;
            json_t *so = json_object();
            json_object_set_new(so, "count", json_integer(splits[s].count));
            json_object_set_new(so, "fraction", json_real((double)splits[s].count / o.runs));
            json_object_set_new(so, "sizes", json_pack("[i, i]", (int)r->camp[big], (int)r->camp[1 - big]));
            if (g) {
                json_t *camps = json_array();
                for (int q = 0; q < 2; q++) {
                    json_t *ca = json_array();
                    for (int32_t i = 0; i < g->n; i++) {
                        if (blk[i] == (q == 0 ? big : 1 - big)) {
                            json_array_append_new(ca, json_string(g->label[i]));
                        }
                    }
                    json_array_append_new(camps, ca);
                }
                json_object_set_new(so, "camps", camps);
            }
            json_array_append_new(sa, so);
        }
        json_object_set_new(j, "splits", sa);
        json_array_append_new(arr, j);
    } else {
        printf("%s: n %d, links %lld (%lld in triads), triads %lld%s\n", name, (int)e.n, (long long)e.links,
               (long long)e.active_links, (long long)e.triads,
               comps > 1 ? " -- several components: camps are per component" : "");
        printf("  start: friendly density %.4f, imbalanced triads %lld%s\n", e.rho_initial,
               (long long)e.imbalanced_initial, (!g || o.fill >= 0) ? " (run 0)" : "");
        printf("  %s", ltd ? "LTD" : "CTD");
        if (ltd) {
            printf(" p=%g", o.p);
        }
        printf(", %d runs of up to %g time units, seed %llu\n", (int)o.runs, o.max_time, (unsigned long long)o.seed);
        printf("  friendly density: final %.4f +- %.4f, time-averaged over t >= %g %.4f +- %.4f", e.rho_final,
               isnan(e.rho_final_se) ? 0.0 : e.rho_final_se, o.burn_in, e.rho_avg,
               isnan(e.rho_avg_se) ? 0.0 : e.rho_avg_se);
        if (ltd) {
            printf(" (mean field, complete graph: %.4f)", mf);
        }
        printf("\n  imbalanced triads: time-averaged fraction %.4f\n", e.imbalanced_avg);
        printf("  balanced in %.1f%% of runs (paradise %.1f%%, jammed %.1f%%)", 100 * e.balanced, 100 * e.paradise,
               100 * e.jammed);
        if (!isnan(e.balance_time)) {
            printf(", time to balance %.3g +- %.2g", e.balance_time,
                   isnan(e.balance_time_se) ? 0.0 : e.balance_time_se);
        }
        printf("\n");
        if (e.structural < e.balanced) {
            printf("  %.1f%% of runs end without imbalanced triads but with a longer negative cycle\n",
                   100 * (e.balanced - e.structural));
        }
        if (nshown) {
            printf("  splits reached (%zu distinct):\n", nsplits);
        }
        for (size_t s = 0; s < nshown; s++) {
            const ent_balance_run_t *r = &runs[splits[s].first];
            const int32_t *blk = (const int32_t *)e.block.data + splits[s].first * (size_t)e.n;
            int32_t big = r->camp[0] >= r->camp[1] ? 0 : 1;
            printf("    %5.1f%%  ", 100.0 * (double)splits[s].count / o.runs);
            if (!g) {
                printf("camps of %d and %d\n", (int)r->camp[big], (int)r->camp[1 - big]);
                continue;
            }
            print_camp(g, blk, big, 12);
            printf(" vs ");
            print_camp(g, blk, 1 - big, 12);
            printf("\n");
        }
    }
    ent_balance_ensemble_destroy(&e);
    return ENT_OK;
}

int cmd_balance_dynamics(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rule", required_argument, NULL, 'r'},    {"p", required_argument, NULL, 'p'},
        {"steps", required_argument, NULL, 'T'},   {"runs", required_argument, NULL, 'R'},
        {"seed", required_argument, NULL, 's'},    {"complete", required_argument, NULL, 'c'},
        {"rho0", required_argument, NULL, '0'},    {"network", required_argument, NULL, 'n'},
        {"year", required_argument, NULL, 'y'},    {"fill", required_argument, NULL, 'f'},
        {"world", no_argument, NULL, 'w'},         {"date", required_argument, NULL, 'd'},
        {"tier", required_argument, NULL, 'k'},    {"burn-in", required_argument, NULL, 'b'},
        {"threads", required_argument, NULL, 't'}, {"json", no_argument, NULL, 'j'},
        {"db", required_argument, NULL, 'D'},      {"world-dir", required_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    conf_t c;
    memset(&c, 0, sizeof c);
    ent_balance_options_t init = ENT_BALANCE_OPTIONS_INIT;
    c.o = init;
    c.o.max_time = 100;
    c.date = DEFAULT_DATE;
    c.tier = 5;
    const char *network = NULL, *db = NULL, *world_dir = NULL;
    int32_t complete = 0;
    bool world = false, date_given = false, tier_given = false, rho0_given = false, fill_given = false;
    int ch;
    double d;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            if (ent_balance_rule_parse(&c.o.rule, optarg) != ENT_OK) {
                return cli_usage_error(CMD, "--rule: expected ltd or ctd, got '%s'", optarg);
            }
            break;
        case 'p':
            if (!cli_parse_double(optarg, 0, 1, &c.o.p)) {
                return cli_usage_error(CMD, "--p: expected a probability in [0, 1], got '%s'", optarg);
            }
            break;
        case 'T':
            if (!cli_parse_double(optarg, 0, 1e9, &c.o.max_time)) {
                return cli_usage_error(CMD, "--steps: expected a time >= 0 (units of L update events), got '%s'",
                                       optarg);
            }
            break;
        case 'R':
            if (!cli_parse_double(optarg, 1, 1e7, &d) || d != floor(d)) {
                return cli_usage_error(CMD, "--runs: expected a count in [1, 1e7], got '%s'", optarg);
            }
            c.o.runs = (int32_t)d;
            break;
        case 's':
            if (!cli_parse_seed(optarg, &c.o.seed)) {
                return cli_usage_error(CMD, "--seed: expected a non-negative integer, got '%s'", optarg);
            }
            break;
        case 'c':
            if (!cli_parse_double(optarg, 3, ENT_BALANCE_MAX_NODES, &d) || d != floor(d)) {
                return cli_usage_error(CMD, "--complete: expected a number of nodes in [3, %d], got '%s'",
                                       ENT_BALANCE_MAX_NODES, optarg);
            }
            complete = (int32_t)d;
            break;
        case '0':
            if (!cli_parse_double(optarg, 0, 1, &c.o.rho0)) {
                return cli_usage_error(CMD, "--rho0: expected a density in [0, 1], got '%s'", optarg);
            }
            rho0_given = true;
            break;
        case 'n': network = optarg; break;
        case 'y':
            if (!cli_parse_year(CMD, optarg, &c.year)) {
                return EXIT_USAGE;
            }
            break;
        case 'f':
            if (!cli_parse_double(optarg, 0, 1, &c.o.fill)) {
                return cli_usage_error(CMD, "--fill: expected a density in [0, 1], got '%s'", optarg);
            }
            fill_given = true;
            break;
        case 'w': world = true; break;
        case 'D': db = optarg; break;
        case 'W': world_dir = optarg; break;
        case 'd':
            if (ent_date_parse(&c.date, optarg, true) != ENT_OK) {
                return cli_usage_error(CMD, "--date: %s", ent_errmsg());
            }
            date_given = true;
            break;
        case 'k':
            if (!cli_parse_double(optarg, 0, 100, &d) || d != floor(d)) {
                return cli_usage_error(CMD, "--tier: expected a partnership tier (an integer), got '%s'", optarg);
            }
            c.tier = (int)d;
            tier_given = true;
            break;
        case 'b':
            if (!cli_parse_double(optarg, 0, 1e9, &c.o.burn_in)) {
                return cli_usage_error(CMD, "--burn-in: expected a time >= 0, got '%s'", optarg);
            }
            c.burn_given = true;
            break;
        case 't':
            if (!cli_parse_double(optarg, 1, 4096, &d) || d != floor(d)) {
                return cli_usage_error(CMD, "--threads: expected a count >= 1, got '%s'", optarg);
            }
            c.o.threads = (int)d;
            break;
        case 'j': c.json = true; break;
        case 'h': help(stdout); return EXIT_OK;
        default: return cli_usage_error(CMD, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (cli_prov()) {
        ent_prov_set_run(cli_prov(), c.o.seed, (int64_t)c.o.runs, cli_threads(c.o.threads));
    }
    int nargs = argc - optind;
    if (nargs > 1) {
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind + 1]);
    }
    const char *path = nargs == 1 ? argv[optind] : NULL;
    if ((complete > 0) + (path != NULL) + world != 1) {
        return cli_usage_error(CMD, "give exactly one of --complete N, FILE, --world");
    }
    if (!complete && rho0_given) {
        return cli_usage_error(CMD, "--rho0 goes with --complete");
    }
    if (!path && (network || c.year || fill_given)) {
        return cli_usage_error(CMD, "--network, --year and --fill go with FILE");
    }
    if (!world && (date_given || tier_given)) {
        return cli_usage_error(CMD, "--date and --tier go with --world");
    }
    if (c.burn_given && c.o.burn_in > c.o.max_time) {
        return cli_usage_error(CMD, "--burn-in %g is after the end of the run (--steps %g)", c.o.burn_in, c.o.max_time);
    }
    if (!fill_given) {
        c.o.fill = -1.0;
    }
    c.o.n = complete;

    ent_err_t rc = ENT_OK;
    ent_signed_set_t *set = NULL;
    ent_world_t *w = NULL;
    ent_signed_t wg;
    ent_signed_init(&wg);
    size_t first = 0, last = 0;
    if (path) {
        c.source = "file";
        ent_signed_read_options_t ro = ENT_SIGNED_READ_OPTIONS_INIT;
        ro.year = c.year;
        rc = ent_signed_read(&set, path, &ro);
        if (rc == ENT_EINVAL) {
            fprintf(stderr, "entente %s: %s\n(see 'entente %s --help')\n", CMD, ent_errmsg(), CMD);
            return EXIT_INPUT;
        }
        if (rc == ENT_OK && (rc = cli_prov_file(NULL, "input", path)) != ENT_OK) {
            ent_signed_set_free(set);
        }
        if (rc != ENT_OK) {
            return cli_fail(rc);
        }
        last = ent_signed_set_count(set);
        if (network) {
            if ((rc = ent_signed_set_find(set, network, &first)) != ENT_OK) {
                ent_signed_set_free(set);
                return cli_fail(rc);
            }
            last = first + 1;
        }
        for (size_t i = first; i < last; i++) {
            if (ent_signed_set_graph(set, i)->m == 0) {
                if (c.year) {
                    fprintf(stderr, "entente %s: %s: network '%s' has no ties active in %d\n", CMD, path,
                            ent_signed_set_name(set, i), c.year);
                } else {
                    fprintf(stderr, "entente %s: %s: network '%s' has no ties\n", CMD, path,
                            ent_signed_set_name(set, i));
                }
                ent_signed_set_free(set);
                return EXIT_INPUT;
            }
        }
    } else if (world) {
        c.source = "world";
        if (db) {
            /* an imported (historical) world: pacts from ATOP, rivalries from tss-rivalries */
            ent_store_t *st;
            ent_store_options_t so = ENT_STORE_OPTIONS_INIT;
            so.readonly = true;
            if ((rc = ent_store_open(&st, db, &so)) != ENT_OK) {
                return cli_fail(rc);
            }
            rc = ent_world_load(&w, st, NULL);
            if (rc == ENT_OK) {
                rc = cli_prov_store(NULL, st); /* provenance of the JSON output */
            }
            ent_store_close(st);
        } else {
            rc = ent_world_load_dir(&w, world_dir ? world_dir : ent_world_default_dir());
            if (rc == ENT_OK) {
                rc = cli_prov_world(NULL, world_dir ? world_dir : ent_world_default_dir());
            }
        }
        if (rc != ENT_OK) {
            return cli_fail(rc);
        }
        ent_balance_world_stats_t st;
        if ((rc = ent_balance_world_graph(&wg, &st, w, c.date, c.tier)) != ENT_OK) {
            ent_world_free(w);
            return cli_fail(rc);
        }
        if (wg.m == 0) {
            char ds[16];
            ent_date_format(ds, c.date);
            fprintf(stderr, "entente %s: no pacts, partnerships, rivalries or coercion in force on %s\n", CMD, ds);
            ent_world_free(w);
            ent_signed_destroy(&wg);
            return EXIT_INPUT;
        }
        if (!c.json) {
            char ds[16];
            ent_date_format(ds, c.date);
            printf("the %s world on %s: pairs with a pact %zu, with a partnership of tier >= %d %zu (+); with a "
                   "rivalry %zu, with coercion %zu (-); both %zu (kept -)\n",
                   db ? "imported" : "shipped", ds, st.pacts, c.tier, st.partnerships, st.rivalries, st.coercion,
                   st.conflicts);
        }
        last = 1;
    } else {
        c.source = "complete";
        last = 1;
    }

    json_t *arr = c.json ? json_array() : NULL;
    for (size_t i = first; i < last && rc == ENT_OK; i++) {
        if (set) {
            rc = report(ent_signed_set_name(set, i), ent_signed_set_graph(set, i), &c, arr);
        } else if (world) {
            char name[32];
            ent_date_format(name, c.date);
            rc = report(name, &wg, &c, arr);
        } else {
            char name[32];
            snprintf(name, sizeof name, "complete-%d", (int)complete);
            rc = report(name, NULL, &c, arr);
        }
        fflush(stdout);
    }
    ent_signed_set_free(set);
    ent_signed_destroy(&wg);
    ent_world_free(w);
    if (rc != ENT_OK) {
        json_decref(arr);
        return cli_fail(rc);
    }
    if (c.json) {
        json_t *root = json_object();
        json_object_set_new(root, "source", json_string(c.source));
        if (path) {
            json_object_set_new(root, "file", json_string(path));
        }
        json_object_set_new(root, "networks", arr);
        return cli_print_json(root);
    }
    return EXIT_OK;
}
