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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

#define CMD "balance-dynamics"
#define DEFAULT_DATE 20241231
#define MAX_SPLITS 10

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

static const char *rule_arg(const char *arg, void *field)
{
    return ent_balance_rule_parse(field, arg) == ENT_OK ? NULL : "ltd or ctd";
}

typedef struct {
    ent_balance_rule_t rule;
    double p, steps, rho0, fill, burn_in;
    int32_t runs, complete;
    const char *network;
    int year, tier;
} bd_args_t;

static const cli_opt_t opts[] = {
    {.name = "rule",
     .kind = CLI_CUSTOM,
     .metavar = "ltd|ctd",
     .parse = rule_arg,
     .def = "ltd",
     .help = "the update rule (see above)",
     .field = offsetof(bd_args_t, rule)},
    {.name = "p",
     .kind = CLI_DOUBLE,
     .metavar = "P",
     .lo = 0,
     .hi = 1,
     .def = "0.3",
     .expect = "a probability in [0, 1]",
     .help = "ltd's propensity to befriend; for p < 1/2 a complete graph holds rho = 1 / (sqrt(3 (1 - 2p)) + 1), "
             "for p >= 1/2 it reaches paradise (all friendly)",
     .field = offsetof(bd_args_t, p)},
    {.name = "steps",
     .kind = CLI_DOUBLE,
     .metavar = "T",
     .lo = 0,
     .hi = 1e9,
     .def = "100",
     .expect = "a time >= 0 (units of L update events)",
     .help = "run length in time units",
     .field = offsetof(bd_args_t, steps)},
    {.name = "runs",
     .kind = CLI_INT,
     .metavar = "R",
     .lo = 1,
     .hi = 1e7,
     .def = "16",
     .expect = "a count in [1, 1e7]",
     .help = "runs of the ensemble; run k uses random stream (S, k)",
     .field = offsetof(bd_args_t, runs)},
    {.name = "seed", .kind = CLI_COMMON, .metavar = "S", .def = "1"},
    {.name = "complete",
     .kind = CLI_INT,
     .lo = 3,
     .hi = ENT_BALANCE_MAX_NODES,
     .expect = "a number of nodes in [3, 4096]",
     .help = "a complete graph on N nodes (3..4096), links friendly with probability --rho0, drawn per run",
     .field = offsetof(bd_args_t, complete)},
    {.name = "rho0",
     .kind = CLI_DOUBLE,
     .metavar = "R0",
     .lo = 0,
     .hi = 1,
     .def = "0.5",
     .expect = "a density in [0, 1]",
     .help = "with --complete: the initial density of friendly links",
     .field = offsetof(bd_args_t, rho0)},
    {.name = "network",
     .kind = CLI_STRING,
     .metavar = "NAME",
     .help = "with FILE: one network of the file (default: every one)",
     .field = offsetof(bd_args_t, network)},
    {.name = "year",
     .kind = CLI_YEAR,
     .help = "with FILE: the year, for files with begin/end",
     .field = offsetof(bd_args_t, year)},
    {.name = "fill",
     .kind = CLI_DOUBLE,
     .metavar = "F",
     .lo = 0,
     .hi = 1,
     .expect = "a density in [0, 1]",
     .help = "complete the file's networks: every absent pair becomes a link, friendly with probability F (drawn "
             "per run); default: absent pairs stay absent and only the file's triangles evolve",
     .field = offsetof(bd_args_t, fill)},
    CLI_COMMON_HELP("world", "the shipped world (or --db PATH, an imported one) on --date: - for a rivalry or "
                             "coercion in force, else + for a pact (any obligation) or a partnership of tier >= "
                             "--tier; states without such ties are left out"),
    CLI_COMMON_HELP("world-dir", "with --world: the world's CSV directory (default $ENTENTE_WORLD)"),
    CLI_COMMON_HELP("db", "with --world: the world imported into this store"),
    {.name = "date", .kind = CLI_COMMON, .def = "2024-12-31", .help = "with --world: YYYY[-MM[-DD]]"},
    {.name = "tier",
     .kind = CLI_INT,
     .metavar = "K",
     .lo = 0,
     .hi = 100,
     .def = "5, comprehensive strategic",
     .expect = "a partnership tier (an integer)",
     .help = "with --world: the lowest partnership tier that counts as friendly",
     .field = offsetof(bd_args_t, tier)},
    {.name = "burn-in",
     .kind = CLI_DOUBLE,
     .metavar = "B",
     .lo = 0,
     .hi = 1e9,
     .def = "a third of T",
     .expect = "a time >= 0",
     .help = "time averages start at time B",
     .field = offsetof(bd_args_t, burn_in)},
    {.name = "threads",
     .kind = CLI_COMMON,
     .lo = 1,
     .hi = 4096,
     .expect = "a count >= 1",
     .help = "OpenMP threads (default: all); results do not depend on it"},
    CLI_COMMON_HELP("json", "JSON: {\"networks\": [{\"network\", \"n\", \"links\", \"triads\", \"initial\", "
                            "\"rho_final\", \"rho_avg\", \"mean_field_rho\", \"imbalanced_avg\", "
                            "\"balanced_fraction\", \"paradise_fraction\", \"jammed_fraction\", \"balance_time\", "
                            "\"splits\": [{\"count\", \"fraction\", \"sizes\", \"camps\"}], ...}]} "
                            "(docs/models/balance.md lists every key)"),
    {0},
};

const cli_spec_t cli_spec_balance_dynamics = {
    .name = "balance-dynamics",
    .args = "[FILE]",
    .npos_max = 1,
    .about = "Structural-balance dynamics (Antal, Krapivsky & Redner, Phys. Rev. E 72, 036121, 2005).\n"
             "Links are friendly (+) or unfriendly (-); a triad with 1 or 3 unfriendly links is imbalanced.\n"
             "  ltd  local triad dynamics: pick a random triad; an imbalanced one with one unfriendly\n"
             "       link is fixed by befriending (probability p) or by making one of its friendly links\n"
             "       unfriendly (1 - p); one with three unfriendly links gets one friendly link\n"
             "  ctd  constrained triad dynamics: pick a random link; flip it if that lowers the number\n"
             "       of imbalanced triads, with probability 1/2 if it leaves it unchanged\n"
             "Time: one unit is L update events, L the links that lie in a triad. Each run stops when\n"
             "nothing can change any more (balance, or a CTD jam) or at time T.\n\n"
             "The network: exactly one of --complete N, FILE (a signed edge list\n"
             "from,to,sign[,network][,begin,end]) or --world.",
    .opts = opts,
};

int cmd_balance_dynamics(int argc, char **argv)
{
    conf_t c;
    memset(&c, 0, sizeof c);
    ent_balance_options_t init = ENT_BALANCE_OPTIONS_INIT;
    c.o = init;
    bd_args_t a = {.rule = init.rule,
                   .p = init.p,
                   .steps = 100,
                   .runs = init.runs,
                   .rho0 = init.rho0,
                   .fill = init.fill,
                   .burn_in = init.burn_in,
                   .tier = 5};
    cli_common_t cm;
    CLI_PARSE(&cli_spec_balance_dynamics, argc, argv, &a, &cm);
    c.o.rule = a.rule;
    c.o.p = a.p;
    c.o.max_time = a.steps;
    c.o.runs = a.runs;
    c.o.rho0 = a.rho0;
    c.o.fill = a.fill;
    c.o.burn_in = a.burn_in;
    c.o.threads = cm.threads ? cm.threads : c.o.threads;
    if (cli_given(&cli_spec_balance_dynamics, &cm, "seed")) {
        c.o.seed = cm.seed;
    }
    c.burn_given = cli_given(&cli_spec_balance_dynamics, &cm, "burn-in");
    c.json = cm.json;
    c.year = a.year;
    c.date = cm.date ? cm.date : DEFAULT_DATE;
    c.tier = a.tier;
    const char *network = a.network, *db = cm.db, *world_dir = cm.world_dir;
    int32_t complete = a.complete;
    bool world = cm.world, date_given = cm.date != 0;
    bool tier_given = cli_given(&cli_spec_balance_dynamics, &cm, "tier");
    bool rho0_given = cli_given(&cli_spec_balance_dynamics, &cm, "rho0");
    bool fill_given = cli_given(&cli_spec_balance_dynamics, &cm, "fill");
    if (cli_prov()) {
        ent_prov_set_run(cli_prov(), c.o.seed, (int64_t)c.o.runs, cli_threads(c.o.threads));
    }
    const char *path = cm.npos == 1 ? cm.pos[0] : NULL;
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
        /* an imported (historical) world: pacts from ATOP, rivalries from tss-rivalries; else the
         * shipped one -- either recorded for the JSON output's provenance */
        if ((rc = cli_load_world(&w, db, world_dir, true)) != ENT_OK) {
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
