/*
 * cmd_plot.c -- `entente plot KIND`: one figure as PNG, SVG or PDF (by the
 * extension of --out). Kinds: the alliance network on a date, a state's
 * pyramid of ties, fan charts of a scenario's ensemble series, per-state
 * alignment probabilities. The figure is written through a temporary file
 * and a rename, so a reader never sees half of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

static bool parse_kinds(bool kinds[8], const char *list)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    memset(kinds, 0, 8 * sizeof(bool));
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        ent_tie_kind_t k;
        if (ent_tie_kind_parse(&k, tok) != ENT_OK ||
            !(k == ENT_TIE_PACT || k == ENT_TIE_PARTNERSHIP || k == ENT_TIE_SECURITY || k == ENT_TIE_COERCION ||
              k == ENT_TIE_RIVALRY)) {
            return false;
        }
        kinds[k] = true;
    }
    return true;
}

/* The series sets of `--series`: one unit each. */
static size_t series_set(const char *name, ent_series_t out[3], const char **what)
{
    /* one pole per chart: the first pole's scores of pacts would flatten the second's handful */
    if (strcmp(name, "pacts") == 0) {
        out[0] = ENT_SERIES_PACTS1;
        *what = "Defence pacts held by the second pole";
        return 1;
    }
    if (strcmp(name, "pacts-first-pole") == 0) {
        out[0] = ENT_SERIES_PACTS0;
        *what = "Defence pacts held by the first pole";
        return 1;
    }
    if (strcmp(name, "blocs") == 0) {
        out[0] = ENT_SERIES_BLOC0;
        out[1] = ENT_SERIES_BLOC1;
        out[2] = ENT_SERIES_BIPOLARITY;
        *what = "Bloc shares of world capability and bipolarity";
        return 3;
    }
    /* hedgers run to a hundred, the Finlandized to a handful: apart, so both read */
    if (strcmp(name, "hedgers") == 0) {
        out[0] = ENT_SERIES_HEDGERS;
        *what = "Hedging states (aligned with neither pole)";
        return 1;
    }
    if (strcmp(name, "finlandized") == 0) {
        out[0] = ENT_SERIES_FINLAND0;
        out[1] = ENT_SERIES_FINLAND1;
        *what = "Finlandized states";
        return 2;
    }
    if (strcmp(name, "polarization") == 0) {
        out[0] = ENT_SERIES_POLARIZATION;
        *what = "Polarization of the two blocs";
        return 1;
    }
    if (strcmp(name, "norm") == 0) {
        out[0] = ENT_SERIES_NORM0;
        out[1] = ENT_SERIES_NORM1;
        *what = "The poles' alliance-aversion norms";
        return 2;
    }
    if (strcmp(name, "frustration") == 0) {
        out[0] = ENT_SERIES_FRUSTRATION;
        *what = "Frustration of the signed network";
        return 1;
    }
    return 0;
}

/* The history figure reads an imported store, not the shipped world. */
static int plot_history(ent_plot_options_t *po, const char *db, int from, int to, const char *title, const char *out)
{
    ent_store_t *st = NULL;
    ent_world_t *w = NULL;
    ent_err_t rc = cli_open_store(&st, db, true, false);
    int first, last;
    /* the store must hold pacts and capabilities before the world is worth loading */
    if (rc == ENT_OK && (rc = ent_blocs_coverage(&first, &last, st)) == ENT_OK) {
        rc = ent_world_load(&w, st, NULL);
    }
    char tbuf[256], cap[1024];
    snprintf(tbuf, sizeof tbuf, "The alliance system, %d-%d: similarity, polarization, frustration", from, to);
    snprintf(cap, sizeof cap,
             "Sources: store %s. States: COW State System; capabilities: COW NMC (Singer, Bremer & Stuckey 1972); "
             "alliances: ATOP 5.1 (Leeds et al. 2002); rivalries: Thompson, Sakuwa & Suhas 2021 (when imported). "
             "S: Signorino & Ritter 1999; polarization: Esteban & Ray 1994; frustration: Aref, Mason & Wilson 2018 "
             "(heuristic, an upper bound).",
             db);
    po->title = title ? title : tbuf;
    po->subtitle = "each year measured on 1 July";
    po->caption = cap;
    ent_figure_t fig;
    ent_figure_init(&fig);
    if (rc == ENT_OK) {
        rc = ent_plot_history(&fig, w, st, from, to, po);
    }
    if (rc == ENT_OK) {
        rc = ent_figure_save(&fig, out);
    }
    int ret = rc == ENT_OK ? EXIT_OK : cli_fail(rc);
    ent_figure_destroy(&fig);
    ent_world_free(w);
    ent_store_close(st);
    return ret;
}

typedef struct {
    ent_date_t date;
    const char *state, *kinds, *scenario, *series, *title;
    int top, year, from, to;
    int64_t runs;
    double width, height;
} plot_args_t;

static const cli_opt_t opts[] = {
    CLI_COMMON_HELP("out", "the figure (required): .png, .svg or .pdf"),
    {.name = "date",
     .kind = CLI_DATE,
     .def = "2024-12-31",
     .help = "network, pyramid: YYYY-MM-DD or YYYY (end of year)",
     .field = offsetof(plot_args_t, date)},
    {.name = "state",
     .kind = CLI_STRING,
     .metavar = "CODE",
     .help = "pyramid: the state (default CHN); network: only this state's ties",
     .field = offsetof(plot_args_t, state)},
    {.name = "top",
     .kind = CLI_INT,
     .lo = 0,
     .hi = 1000,
     .help = "network: the N most capable states with a tie (default 40, 0 = all); alignment: rows (default 30)",
     .field = offsetof(plot_args_t, top)},
    {.name = "kinds",
     .kind = CLI_STRING,
     .metavar = "LIST",
     .help = "network: tie kinds, comma-separated, of pact, partnership, security, coercion, rivalry (default all "
             "five)",
     .field = offsetof(plot_args_t, kinds)},
    {.name = "scenario",
     .kind = CLI_STRING,
     .metavar = "S",
     .def = "baseline",
     .help = "fan, alignment, map: a scenario file, or the name of a shipped one",
     .field = offsetof(plot_args_t, scenario)},
    {.name = "series",
     .kind = CLI_STRING,
     .metavar = "SET",
     .def = "pacts",
     .help = "fan: pacts (the second pole's, China by default) | pacts-first-pole | blocs | hedgers | finlandized | "
             "polarization | norm | frustration",
     .field = offsetof(plot_args_t, series)},
    {.name = "year",
     .kind = CLI_YEAR,
     .help = "alignment, map: the year (default the scenario's report year)",
     .field = offsetof(plot_args_t, year)},
    {.name = "runs",
     .kind = CLI_INT64,
     .lo = 1,
     .hi = 1e9,
     .help = "fan, alignment, map: override the scenario's runs",
     .field = offsetof(plot_args_t, runs)},
    CLI_COMMON_HELP("seed", "fan, alignment, map: override the scenario's seed"),
    {.name = "threads", .kind = CLI_COMMON, .lo = 0, .hi = 1024},
    {.name = "from",
     .kind = CLI_YEAR,
     .metavar = "Y1",
     .def = "1816",
     .help = "history: the first year",
     .field = offsetof(plot_args_t, from)},
    {.name = "to",
     .kind = CLI_YEAR,
     .metavar = "Y2",
     .def = "2018",
     .help = "history: the last year",
     .field = offsetof(plot_args_t, to)},
    CLI_COMMON_HELP("db", "history: the store (default $ENTENTE_DB or ./entente.db)"),
    CLI_COMMON_HELP("world-dir", "the shipped world's directory (default $ENTENTE_WORLD or the build's data/)"),
    {.name = "width",
     .kind = CLI_DOUBLE,
     .metavar = "W",
     .lo = 200,
     .hi = 10000,
     .help = "canvas width (pixels for PNG, points otherwise)",
     .field = offsetof(plot_args_t, width)},
    {.name = "height",
     .kind = CLI_DOUBLE,
     .metavar = "H",
     .lo = 150,
     .hi = 10000,
     .help = "canvas height",
     .field = offsetof(plot_args_t, height)},
    {.name = "title",
     .kind = CLI_STRING,
     .metavar = "TEXT",
     .help = "replace the default title",
     .field = offsetof(plot_args_t, title)},
    {0},
};

const cli_spec_t cli_spec_plot = {
    .name = "plot",
    .args = "KIND",
    .npos_min = 0, /* checked below, with the list of figures */
    .npos_max = 1,
    .about = "Draws one figure; the format follows the extension of --out.\n\n"
             "kinds:\n"
             "  network     the alliance network on a date: defence pacts, partnerships (by tier), security ties,\n"
             "              coercion, rivalries; nodes sized by capability (CINC), coloured by bloc (the signed\n"
             "              communities of 'entente blocs')\n"
             "  pyramid     a state's pyramid of ties as the essay draws China's: formal allies on top, then the\n"
             "              partnership tiers, highest first, with the monikers in use\n"
             "  fan         fan chart of a scenario's ensemble: the median and the 50% and 90% bands per year\n"
             "  alignment   per-state alignment probabilities of a scenario in a year: the least certain states\n"
             "  map         world map of each state's most likely alignment in a year under a scenario (Natural\n"
             "              Earth shapes from npm world-atlas, installed by scripts/bootstrap)\n"
             "  history     similarity, polarization and frustration year by year from an imported store\n"
             "              (make import: COW states and NMC, ATOP, strategic rivalries), 1816-2018 by default",
    .opts = opts,
};

static int plot_main(int argc, char **argv);

int cmd_plot(int argc, char **argv)
{
    int ret = plot_main(argc, argv);
    ent_plot_cleanup(); /* the font caches, so leak checkers see a clean exit */
    return ret;
}

static int plot_main(int argc, char **argv)
{
    plot_args_t a = {.date = 20241231, .top = -1, .scenario = "baseline", .series = "pacts", .from = 1816, .to = 2018};
    cli_common_t cm;
    CLI_PARSE(&cli_spec_plot, argc, argv, &a, &cm);
    const char *out = cm.out, *state = a.state, *kinds = a.kinds, *scen = a.scenario, *series = a.series;
    const char *seed = cm.seed_arg, *world_dir = cm.world_dir, *title = a.title, *db = cm.db;
    int from = a.from, to = a.to;
    ent_date_t date = a.date;
    double top = a.top, width = a.width, height = a.height, runs = (double)a.runs, threads = cm.threads;
    int year = a.year;
    if (cm.npos == 0) {
        return cli_usage_error("plot", "which figure? network, pyramid, fan, alignment, map or history");
    }
    const char *kind = cm.pos[0];
    bool is_net = strcmp(kind, "network") == 0, is_pyr = strcmp(kind, "pyramid") == 0;
    bool is_fan = strcmp(kind, "fan") == 0, is_al = strcmp(kind, "alignment") == 0;
    bool is_hist = strcmp(kind, "history") == 0, is_map = strcmp(kind, "map") == 0;
    if (!is_net && !is_pyr && !is_fan && !is_al && !is_hist && !is_map) {
        return cli_usage_error("plot", "unknown figure '%s' (network, pyramid, fan, alignment, map, history)", kind);
    }
    if (from > to) {
        return cli_usage_error("plot", "--from %d is after --to %d", from, to);
    }
    if (!out) {
        return cli_usage_error("plot", "--out FILE.png|.svg|.pdf is required");
    }
    ent_plot_options_t po = ENT_PLOT_OPTIONS_INIT;
    if (ent_plot_format_from_path(&po.format, out) != ENT_OK) {
        return cli_usage_error("plot", "--out: %s", ent_errmsg());
    }
    bool net_kinds[8] = {false};
    if (kinds && (!is_net || !parse_kinds(net_kinds, kinds))) {
        return cli_usage_error("plot", "--kinds: expected a list of pact, partnership, security, coercion, rivalry%s",
                               is_net ? "" : " (network only)");
    }
    ent_series_t sv[3];
    const char *series_what = NULL;
    size_t ns = series_set(series, sv, &series_what);
    if (!ns) {
        return cli_usage_error(
            "plot",
            "--series: expected pacts, pacts-first-pole, blocs, hedgers, finlandized, polarization, norm or "
            "frustration, "
            "got '%s'",
            series);
    }
    po.width = width;
    po.height = height;
    if (is_hist) {
        return plot_history(&po, cli_db_path(db), from, to, title, out);
    }

    ent_world_t *w = NULL;
    ent_err_t rc = cli_load_world(&w, NULL, world_dir, false);
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    ent_figure_t fig;
    ent_figure_init(&fig);
    cli_run_t run = {0};
    char tbuf[512], cap[2048];
    char d[11];
    ent_date_format(d, date);
    int ret = EXIT_OK;
    if (is_net || is_pyr) {
        int64_t st = -1;
        if ((state || is_pyr) && (rc = ent_world_find(&st, w, state ? state : "CHN")) != ENT_OK) {
            ret = cli_fail(rc);
            goto done;
        }
        cli_world_caption(cap, sizeof cap, is_net);
        po.caption = cap;
        if (is_net) {
            ent_plot_network_options_t no = ENT_PLOT_NETWORK_OPTIONS_INIT;
            no.focus = st;
            if (top >= 0) {
                no.top = (size_t)top;
            }
            memcpy(no.kinds, net_kinds, sizeof no.kinds);
            if (st >= 0) {
                snprintf(tbuf, sizeof tbuf, "Ties of %s on %s", ent_world_state(w, (size_t)st)->name, d);
            } else {
                snprintf(tbuf, sizeof tbuf, "The alliance system on %s", d);
            }
            po.title = title ? title : tbuf;
            po.subtitle = no.top ? "the most capable states with a tie in force (--top N)" : NULL;
            rc = ent_plot_world_network(&fig, w, date, &no, &po);
        } else {
            snprintf(tbuf, sizeof tbuf, "The pyramid of %s's partners on %s", ent_world_state(w, (size_t)st)->name, d);
            po.title = title ? title : tbuf;
            po.subtitle = "formal allies on top, then the partnership tiers on the shipped scale, highest first";
            rc = ent_plot_world_pyramid(&fig, w, st, date, &po);
        }
    } else {
        if ((ret = cli_run_scenario(&run, w, scen, (int64_t)runs, seed, (int)threads)) != EXIT_OK) {
            goto done;
        }
        cli_scenario_caption(cap, sizeof cap, &run);
        po.caption = cap;
        if (is_fan) {
            if (ns == 1 && (sv[0] == ENT_SERIES_PACTS0 || sv[0] == ENT_SERIES_PACTS1)) {
                int p = sv[0] == ENT_SERIES_PACTS1;
                const ent_state_t *ps =
                    ent_world_state(w, (size_t)ent_model_state(run.m, ent_model_pole_state(run.m, p)));
                snprintf(tbuf, sizeof tbuf, "Defence pacts held by %s, scenario '%s'", ps->name, run.s.name);
            } else {
                snprintf(tbuf, sizeof tbuf, "%s, scenario '%s'", series_what, run.s.name);
            }
            po.title = title ? title : tbuf;
            po.subtitle = "median of the runs, with the bands holding the middle 50% and 90% of them";
            rc = ent_plot_ensemble_fan(&fig, run.e, run.m, w, &run.s, sv, ns, &po);
        } else if (is_map) {
            int y = year ? year : run.s.report_year;
            snprintf(tbuf, sizeof tbuf, "The most likely alignment of each state in %d, scenario '%s'", y, run.s.name);
            po.title = title ? title : tbuf;
            po.subtitle = NULL;
            size_t l = strlen(cap);
            snprintf(cap + l, sizeof cap - l, " Country shapes: Natural Earth 1:110m (world-atlas 2.0.2).");
            rc = ent_plot_ensemble_map(&fig, run.e, run.m, w, &run.s, y, &po);
        } else {
            int y = year ? year : run.s.report_year;
            snprintf(tbuf, sizeof tbuf, "Alignment in %d, scenario '%s'", y, run.s.name);
            po.title = title ? title : tbuf;
            po.subtitle = "the states whose alignment is least certain, from one pole's side to the other's";
            rc = ent_plot_ensemble_alignment(&fig, run.e, run.m, w, &run.s, y, top >= 0 ? (size_t)top : 30, &po);
        }
    }
    if (rc == ENT_OK) {
        rc = ent_figure_save(&fig, out);
    }
    if (rc != ENT_OK) {
        ret = cli_fail(rc);
    }
done:
    cli_run_free(&run);
    ent_figure_destroy(&fig);
    ent_world_free(w);
    return ret;
}
