/*
 * cmd_landscape.c -- `entente landscape`: landscape theory of aggregation
 * (Axelrod & Bennett 1993). Reads actors and propensities from CSV files, or
 * builds the shipped world's landscape on a date (sizes CINC; propensities
 * from pacts, partnerships, rivalries, coercion and regime similarity, as in
 * docs/models/landscape.md), and prints every local minimum under
 * single-actor moves with its basin, and the global minimum: for the world,
 * which two-bloc splits are stable.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

#define DEFAULT_DATE 20241231

/* The essay's main actors (Vietnam is COW's DRV). */
static const char *const default_states[] = {"USA", "CHN", "RUS", "JPN", "IND", "PAK", "PRK", "ROK", "TAW", "AUL",
                                             "UKG", "FRN", "GMY", "IRN", "SAU", "TUR", "INS", "DRV", "PHI", "BRA"};

typedef struct {
    bool json;
    size_t minima;
    const char *actors, *props; /* files, or NULL for the world */
    ent_date_t date;
    const char *world_dir;
} conf_t;

static json_t *num(double v)
{
    return cli_json_num(v);
}

static json_t *partition_json(const ent_landscape_t *l, const int32_t *side)
{
    json_t *o = json_object();
    for (int32_t i = 0; i < l->n; i++) {
        json_object_set_new(o, l->label[i], json_integer(side[i]));
    }
    return o;
}

static json_t *members_json(const ent_landscape_t *l, const int32_t *side, int which)
{
    json_t *a = json_array();
    for (int32_t i = 0; i < l->n; i++) {
        if (side[i] == which) {
            json_array_append_new(a, json_string(l->label[i]));
        }
    }
    return a;
}

static const char *basins_name(ent_landscape_basins_t b)
{
    return b == ENT_LANDSCAPE_BASINS_EXACT ? "exact" : b == ENT_LANDSCAPE_BASINS_SAMPLED ? "sampled" : "none";
}

/* The kept minimum with the global minimum's sides, or -1. */
static long find_global(const ent_landscape_result_t *r)
{
    for (size_t k = 0; k < r->minima.len; k++) {
        if (memcmp(ent_landscape_min_side(r, k), r->side.data, (size_t)r->n * sizeof(int32_t)) == 0) {
            return (long)k;
        }
    }
    return -1;
}

static void print_side(const ent_landscape_t *l, const int32_t *side, int which)
{
    int any = 0;
    for (int32_t i = 0; i < l->n; i++) {
        if (side[i] == which) {
            printf(" %s", l->label[i]);
            any = 1;
        }
    }
    if (!any) {
        printf(" (nobody)");
    }
    printf("\n");
}

static void fmt_share(char *buf, size_t n, const ent_landscape_min_t *m)
{
    if (isnan(m->basin_share)) {
        snprintf(buf, n, "-");
    } else {
        snprintf(buf, n, "%.1f%%", 100.0 * m->basin_share);
    }
}

static void print_text(const ent_landscape_t *l, const ent_landscape_result_t *r, const conf_t *c)
{
    char day[11];
    if (!c->actors) {
        ent_date_format(day, c->date);
        printf("Which two-bloc splits are stable on %s? The landscape of %d states\n", day, (int)l->n);
        printf("(sizes: CINC; propensities: pacts, partnerships, rivalries, coercion, regime similarity --\n"
               " docs/models/landscape.md)\n");
    } else {
        printf("landscape: %d actors (%s, %s)\n", (int)l->n, c->actors, c->props);
    }
    printf("method: %s", r->method);
    if (r->complete) {
        printf(", %llu configurations", (unsigned long long)r->configurations);
    } else {
        printf(", minima from %llu descents", (unsigned long long)r->samples);
    }
    printf(", %.3f s\n", r->seconds);
    printf("global minimum: energy %.6g%s", r->energy, r->optimal ? " (optimal)" : "");
    if (!r->optimal) {
        if (isfinite(r->bound)) {
            printf(", bound %.6g, gap %.2f%% (of the frustration)", r->bound, 100.0 * r->gap);
        } else {
            printf(", no bound");
        }
    }
    printf("\n");
    printf("  side 0:");
    print_side(l, r->side.data, 0);
    printf("  side 1:");
    print_side(l, r->side.data, 1);
    printf("%llu local minim%s%s; basins %s%s\n", (unsigned long long)r->nminima, r->nminima == 1 ? "um" : "a",
           r->complete ? " (every one)" : " found by sampling",
           r->basins == ENT_LANDSCAPE_BASINS_EXACT     ? "exact (configurations)"
           : r->basins == ENT_LANDSCAPE_BASINS_SAMPLED ? "sampled (descents)"
                                                       : "not measured",
           r->minima.len < r->nminima ? "; lowest listed" : "");
    /* actors with no propensity to anyone sit on either side: minima that differ only by them are one split */
    int nind = 0;
    for (int32_t i = 0; i < l->n; i++) {
        bool none = true;
        for (int32_t j = 0; j < l->n && none; j++) {
            none = ent_landscape_p(l, i, j) == 0.0;
        }
        if (none) {
            printf("%s %s", nind++ ? "" : "indifferent (no propensity to anyone, either side will do):", l->label[i]);
        }
    }
    if (nind) {
        printf("\n");
    }
    size_t show = r->minima.len < c->minima ? r->minima.len : c->minima;
    long g = find_global(r);
    if (show) {
        printf("(side 0 is the side of %s)\n", l->label[0]);
    }
    for (size_t k = 0; k < show; k++) {
        const ent_landscape_min_t *m = &ENT_VEC_AT(&r->minima, ent_landscape_min_t, k);
        const int32_t *side = ent_landscape_min_side(r, k);
        char share[32];
        fmt_share(share, sizeof share, m);
        printf("%zu. energy %.6g, basin %llu (%s)%s\n", k + 1, m->energy, (unsigned long long)m->basin, share,
               (long)k == g ? ", the global minimum" : "");
        printf("   side 0:");
        print_side(l, side, 0);
        printf("   side 1:");
        print_side(l, side, 1);
    }
    if (show < r->minima.len) {
        printf("(%zu more; --minima N lists more)\n", r->minima.len - show);
    }
}

static int emit_json(const ent_landscape_t *l, const ent_landscape_result_t *r, const conf_t *c, const ent_vec_t *terms)
{
    json_t *root = json_object();
    char day[11];
    if (c->actors) {
        json_object_set_new(root, "actors_file", json_string(c->actors));
        json_object_set_new(root, "propensities_file", json_string(c->props));
    } else {
        ent_date_format(day, c->date);
        json_object_set_new(root, "date", json_string(day));
        json_object_set_new(root, "world", json_string(c->world_dir));
    }
    json_t *actors = json_array();
    for (int32_t i = 0; i < l->n; i++) {
        json_array_append_new(actors, json_pack("{s:s, s:f}", "actor", l->label[i], "size", l->size[i]));
    }
    json_object_set_new(root, "actors", actors);
    json_object_set_new(root, "n", json_integer(l->n));
    json_object_set_new(root, "method", json_string(r->method));
    json_object_set_new(root, "optimal", json_boolean(r->optimal));
    json_object_set_new(root, "bound", num(r->bound));
    json_object_set_new(root, "gap", num(r->gap));
    json_object_set_new(root, "seconds", json_real(r->seconds));
    json_object_set_new(root, "complete", json_boolean(r->complete));
    json_object_set_new(root, "basins", json_string(basins_name(r->basins)));
    json_object_set_new(root, "configurations", json_integer((json_int_t)r->configurations));
    json_object_set_new(root, "samples", json_integer((json_int_t)r->samples));
    json_object_set_new(root, "local_minima", json_integer((json_int_t)r->nminima));
    long g = find_global(r);
    json_t *gm = json_object();
    json_object_set_new(gm, "energy", num(r->energy));
    json_object_set_new(gm, "partition", partition_json(l, r->side.data));
    json_object_set_new(gm, "sides",
                        json_pack("[o, o]", members_json(l, r->side.data, 0), members_json(l, r->side.data, 1)));
    if (g >= 0) {
        const ent_landscape_min_t *m = &ENT_VEC_AT(&r->minima, ent_landscape_min_t, (size_t)g);
        json_object_set_new(gm, "basin", json_integer((json_int_t)m->basin));
        json_object_set_new(gm, "basin_share", num(m->basin_share));
    } else {
        json_object_set_new(gm, "basin", json_null());
        json_object_set_new(gm, "basin_share", json_null());
    }
    json_object_set_new(root, "global_minimum", gm);
    json_t *mins = json_array();
    size_t show = r->minima.len < c->minima ? r->minima.len : c->minima;
    for (size_t k = 0; k < show; k++) {
        const ent_landscape_min_t *m = &ENT_VEC_AT(&r->minima, ent_landscape_min_t, k);
        const int32_t *side = ent_landscape_min_side(r, k);
        json_t *o = json_object();
        json_object_set_new(o, "energy", num(m->energy));
        json_object_set_new(o, "partition", partition_json(l, side));
        json_object_set_new(o, "sides", json_pack("[o, o]", members_json(l, side, 0), members_json(l, side, 1)));
        json_object_set_new(o, "basin", json_integer((json_int_t)m->basin));
        json_object_set_new(o, "basin_share", num(m->basin_share));
        json_object_set_new(o, "global", json_boolean((long)k == g));
        json_array_append_new(mins, o);
    }
    json_object_set_new(root, "minima", mins);
    if (terms) {
        json_t *pa = json_array();
        for (size_t k = 0; k < terms->len; k++) {
            const ent_landscape_term_t *t = &ENT_VEC_AT(terms, ent_landscape_term_t, k);
            json_t *o = json_pack("{s:s, s:s}", "a", l->label[t->i], "b", l->label[t->j]);
            json_object_set_new(o, "p", num(t->p));
            json_object_set_new(o, "pact", num(t->pact));
            json_object_set_new(o, "partnership", num(t->partnership));
            json_object_set_new(o, "rivalry", num(t->rivalry));
            json_object_set_new(o, "coercion", num(t->coercion));
            json_object_set_new(o, "regime", num(t->regime));
            json_array_append_new(pa, o);
        }
        json_object_set_new(root, "propensities", pa);
    }
    return cli_print_json(root);
}

/* The world's landscape: loads the world and the states of `list` (NULL: the defaults). */
static ent_err_t world_landscape(ent_landscape_t *l, ent_vec_t *terms, const conf_t *c, const char *list)
{
    ent_world_t *w = NULL;
    ent_err_t rc = ent_world_load_dir(&w, c->world_dir);
    if (rc == ENT_OK) {
        rc = cli_prov_world(NULL, c->world_dir); /* provenance of the JSON output */
    }
    ent_vec_t st;
    ent_vec_init(&st, sizeof(int64_t));
    char *copy = NULL;
    if (rc != ENT_OK) {
        return rc;
    }
    if (list && strcmp(list, "all") == 0) {
        for (size_t i = 0; i < ent_world_nstates(w) && rc == ENT_OK; i++) {
            int64_t s = (int64_t)i;
            if (ent_world_alive(w, i, c->date)) {
                rc = ent_vec_push(&st, &s);
            }
        }
    } else if (list) {
        if (!(copy = strdup(list))) {
            rc = ENT_ENOMEM;
        }
        char *save = NULL;
        for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && rc == ENT_OK;
             tok = strtok_r(NULL, ",", &save)) {
            int64_t s;
            if ((rc = ent_world_find(&s, w, tok)) == ENT_OK) {
                rc = ent_vec_push(&st, &s);
            }
        }
    } else {
        for (size_t k = 0; k < sizeof default_states / sizeof *default_states && rc == ENT_OK; k++) {
            int64_t s;
            if ((rc = ent_world_find(&s, w, default_states[k])) == ENT_OK) {
                rc = ent_vec_push(&st, &s);
            }
        }
    }
    if (rc == ENT_OK) {
        rc = ent_landscape_from_world(l, terms, w, c->date, st.data, st.len, NULL);
    }
    free(copy);
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
    } else if (c.json) {
        ret = emit_json(&l, &r, &c, world ? &terms : NULL);
    } else {
        print_text(&l, &r, &c);
        ret = EXIT_OK;
    }
    ent_landscape_result_destroy(&r);
    ent_vec_destroy(&terms);
    ent_landscape_destroy(&l);
    return ret;
}
