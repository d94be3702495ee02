/*
 * cmd_landscape.c -- `entente landscape`: landscape theory of aggregation
 * (Axelrod & Bennett 1993). Reads actors and propensities from CSV files, or
 * builds the shipped world's landscape on a date (sizes CINC; propensities
 * from pacts, partnerships, rivalries, coercion and regime similarity, as in
 * docs/models/landscape.md), and prints every local minimum under
 * single-actor moves with its basin, and the global minimum: for the world,
 * which two-bloc splits are stable. The report (JSON and text) is written by the
 * library (src/report/landscape.c); this file reads the options and the inputs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

#define DEFAULT_DATE 20241231

typedef struct {
    bool json;
    size_t minima;
    const char *actors, *props; /* files, or NULL for the world */
    ent_date_t date;
    const char *world_dir;
} conf_t;

/* Where the landscape came from and what to list, for the report (ent_report_landscape). */
static ent_report_landscape_options_t report_options(const conf_t *c)
{
    ent_report_landscape_options_t ro = ENT_REPORT_LANDSCAPE_OPTIONS_INIT;
    ro.minima = c->minima;
    ro.actors_file = c->actors;
    ro.propensities_file = c->props;
    if (!c->actors) {
        ro.world = c->world_dir;
        ro.date = c->date;
    }
    return ro;
}

/* The world's landscape: loads the world and the states of `list` (NULL: the defaults). */
static ent_err_t world_landscape(ent_landscape_t *l, ent_vec_t *terms, const conf_t *c, const char *list)
{
    ent_world_t *w = NULL;
    ent_err_t rc = cli_load_world(&w, NULL, c->world_dir, true); /* with the provenance of the JSON output */
    ent_vec_t st;
    ent_vec_init(&st, sizeof(int64_t));
    if (rc != ENT_OK) {
        return rc;
    }
    rc = ent_landscape_states(&st, w, c->date, list);
    if (rc == ENT_OK) {
        rc = ent_landscape_from_world(l, terms, w, c->date, st.data, st.len, NULL);
    }
    ent_vec_destroy(&st);
    ent_world_free(w);
    return rc;
}

typedef struct {
    const char *actors, *props, *states;
    int32_t samples;
    size_t minima;
} landscape_args_t;

static const cli_opt_t opts[] = {
    {.name = "actors",
     .kind = CLI_STRING,
     .metavar = "FILE",
     .help = "CSV with columns actor,size",
     .field = offsetof(landscape_args_t, actors)},
    {.name = "propensities",
     .kind = CLI_STRING,
     .metavar = "FILE",
     .help = "CSV a,b,p (symmetric; unlisted pairs 0) or a square matrix with a header row of actor names "
             "(symmetric or triangular)",
     .field = offsetof(landscape_args_t, props)},
    CLI_COMMON_HELP("world", "the shipped world's landscape: sizes CINC, propensities from pacts, partnerships, "
                             "rivalries, coercion and regime similarity"),
    {.name = "date", .kind = CLI_COMMON, .def = "2024-12-31", .help = "with --world: YYYY-MM-DD or YYYY"},
    {.name = "states",
     .kind = CLI_STRING,
     .metavar = "LIST",
     .def = "USA CHN RUS JPN IND PAK PRK ROK TAW AUL UKG FRN GMY IRN SAU TUR INS DRV PHI BRA",
     .help = "with --world: COW codes, abbreviations or ISO3, comma-separated, or 'all'",
     .field = offsetof(landscape_args_t, states)},
    CLI_COMMON_HELP("world-dir", "with --world: the world's CSV directory (default: $ENTENTE_WORLD or the build's "
                                 "data/)"),
    {.name = "exhaustive",
     .kind = CLI_COMMON,
     .help = "enumerate every configuration (at most 40 actors; exact basins while the table of 4 bytes per "
             "configuration fits in 2 GiB, n <= 30)"},
    {.name = "exact", .kind = CLI_COMMON, .help = "the proven global minimum by branch and cut; minima sampled"},
    {.name = "heuristic",
     .kind = CLI_COMMON,
     .help = "local search and annealing with a bound; minima sampled (default: every configuration up to 30 "
             "actors, --exact beyond)"},
    {.name = "samples",
     .kind = CLI_INT,
     .lo = 0,
     .hi = 1e8,
     .def = "2000",
     .expect = "a count",
     .help = "descents from random configurations when sampling",
     .field = offsetof(landscape_args_t, samples)},
    {.name = "time-limit", .kind = CLI_COMMON, .def = "60", .help = "seconds for --exact (0: none)"},
    {.name = "seed", .kind = CLI_COMMON, .def = "1", .help = "seed of the sampling and the heuristics"},
    {.name = "minima",
     .kind = CLI_SIZE,
     .lo = 0,
     .hi = 1e9,
     .def = "50",
     .expect = "a count",
     .help = "list at most N minima, lowest energy first",
     .field = offsetof(landscape_args_t, minima)},
    CLI_COMMON_HELP("json", "JSON: {\"minima\": [{\"energy\", \"partition\": {actor: 0|1}, \"basin\", "
                            "\"basin_share\"}], \"global_minimum\": {...}, ...}"),
    {0},
};

const cli_spec_t cli_spec_landscape = {
    .name = "landscape",
    .forms = "--actors FILE --propensities FILE [options]\n"
             "--world [--date D] [--states CODE,CODE,...|all] [--world-dir DIR] [options]",
    .about = "Landscape theory of aggregation (Axelrod & Bennett 1993): actors of sizes s_i with pairwise\n"
             "propensities p_ij (> 0: they want the same side) form two sides; the energy\n"
             "E = sum over i != j of s_i s_j p_ij [i and j apart] is what single-actor moves lower. Prints\n"
             "every local minimum (no actor gains by switching) with its basin of attraction, and the\n"
             "global minimum. The actors come from --actors FILE --propensities FILE, or from the shipped\n"
             "world (--world).\n\n"
             "Side 0 is the side of the first actor. Basins: with enumeration, the number of\n"
             "configurations (2^(n-1), a split and its mirror counted once) whose steepest descent ends at\n"
             "the minimum; when sampling, the number of descents that ended there.",
    .opts = opts,
};

int cmd_landscape(int argc, char **argv)
{
    ent_landscape_options_t lo = ENT_LANDSCAPE_OPTIONS_INIT;
    landscape_args_t a = {.samples = lo.samples, .minima = 50};
    cli_common_t cm;
    CLI_PARSE(&cli_spec_landscape, argc, argv, &a, &cm);
    conf_t c = {cm.json, a.minima, a.actors, a.props, cm.date ? cm.date : DEFAULT_DATE, cm.world_dir};
    bool world = cm.world, date_given = cm.date != 0;
    const char *states = a.states;
    int modes = cm.exact + cm.heuristic + cm.exhaustive;
    lo.method = cm.exact        ? ENT_LANDSCAPE_EXACT
                : cm.heuristic  ? ENT_LANDSCAPE_HEURISTIC
                : cm.exhaustive ? ENT_LANDSCAPE_EXHAUSTIVE
                                : lo.method;
    lo.samples = a.samples;
    if (cli_given(&cli_spec_landscape, &cm, "time-limit")) {
        lo.time_limit = cm.time_limit;
    }
    if (cli_given(&cli_spec_landscape, &cm, "seed")) {
        lo.seed = cm.seed;
    }
    if (cli_prov()) {
        ent_prov_set_run(cli_prov(), lo.seed, -1, -1);
    }
    if (modes > 1) {
        return cli_usage_error("landscape", "choose one of --exhaustive, --exact, --heuristic");
    }
    if (world && (c.actors || c.props)) {
        return cli_usage_error("landscape", "give --world or --actors/--propensities, not both");
    }
    if (!world && (!c.actors || !c.props)) {
        return cli_usage_error("landscape", "give --actors FILE and --propensities FILE, or --world");
    }
    if (!world && (date_given || states || c.world_dir)) {
        return cli_usage_error("landscape", "--date, --states and --world-dir go with --world");
    }
    if (world && !c.world_dir) {
        c.world_dir = ent_world_default_dir();
    }
    if (lo.max_minima < c.minima) {
        lo.max_minima = c.minima;
    }
    ent_landscape_t l;
    ent_landscape_init(&l);
    ent_vec_t terms;
    ent_vec_init(&terms, sizeof(ent_landscape_term_t));
    ent_err_t rc = world ? world_landscape(&l, &terms, &c, states) : ent_landscape_read(&l, c.actors, c.props);
    if (rc == ENT_OK && !world) {
        if ((rc = cli_prov_file(NULL, "actors", c.actors)) == ENT_OK && c.props) {
            rc = cli_prov_file(NULL, "propensities", c.props);
        }
    }
    if (rc != ENT_OK) {
        ent_vec_destroy(&terms);
        ent_landscape_destroy(&l);
        return cli_fail(rc);
    }
    lo.cancel = cli_cancel_flag();
    ent_landscape_result_t r;
    ent_landscape_result_init(&r);
    rc = ent_landscape_solve(&r, &l, &lo);
    int ret;
    if (rc != ENT_OK) {
        ret = cli_fail(rc);
    } else {
        ent_report_landscape_options_t ro = report_options(&c);
        char *text = NULL;
        if (c.json) {
            rc = ent_report_landscape(&text, &l, &r, world ? &terms : NULL, &ro);
            ret = cli_print_report(rc, text);
        } else if ((rc = ent_report_landscape_text(&text, &l, &r, &ro)) != ENT_OK) {
            ret = cli_fail(rc);
        } else {
            fputs(text, stdout);
            ent_free(text);
            ret = EXIT_OK;
        }
    }
    ent_landscape_result_destroy(&r);
    ent_vec_destroy(&terms);
    ent_landscape_destroy(&l);
    return ret;
}
