/*
 * cmd_plot.c -- `entente plot KIND`: one figure as PNG, SVG or PDF (by the
 * extension of --out). Kinds: the alliance network on a date, a state's
 * pyramid of ties, fan charts of a scenario's ensemble series, per-state
 * alignment probabilities. The figure is written through a temporary file
 * and a rename, so a reader never sees half of it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *out)
{
    fprintf(
        out,
        "usage: entente plot KIND [options] --out FILE.png|FILE.svg|FILE.pdf\n\n"
        "Draws one figure; the format follows the extension of --out.\n\n"
        "kinds:\n"
        "  network     the alliance network on a date: defence pacts, partnerships (by tier), security ties,\n"
        "              coercion, rivalries; nodes sized by capability (CINC), coloured by bloc (the signed\n"
        "              communities of 'entente blocs')\n"
        "  pyramid     a state's pyramid of ties as the essay draws China's: formal allies on top, then the\n"
        "              partnership tiers, highest first, with the monikers in use\n"
        "  fan         fan chart of a scenario's ensemble: the median and the 50%% and 90%% bands per year\n"
        "  alignment   per-state alignment probabilities of a scenario in a year: the least certain states\n"
        "  map         world map of each state's most likely alignment in a year under a scenario (Natural\n"
        "              Earth shapes from npm world-atlas, installed by scripts/bootstrap)\n"
        "  history     similarity, polarization and frustration year by year from an imported store\n"
        "              (make import: COW states and NMC, ATOP, strategic rivalries), 1816-2018 by default\n\n"
        "options:\n"
        "  --out FILE          the figure (required): .png, .svg or .pdf\n"
        "  --date D            network, pyramid: YYYY-MM-DD or YYYY (end of year); default 2024-12-31\n"
        "  --state CODE        pyramid: the state (default CHN); network: only this state's ties\n"
        "  --top N             network: the N most capable states with a tie (default 40, 0 = all);\n"
        "                      alignment: rows (default 30)\n"
        "  --kinds LIST        network: tie kinds, comma-separated, of pact, partnership, security,\n"
        "                      coercion, rivalry (default all five)\n"
        "  --scenario S        fan, alignment, map: a scenario file, or the name of a shipped one (default baseline)\n"
        "  --series SET        fan: pacts (the second pole's, China by default) | pacts-first-pole | blocs |\n"
        "                      states | polarization | norm | frustration (default pacts)\n"
        "  --year Y            alignment, map: the year (default the scenario's report year)\n"
        "  --runs N --seed S --threads T   fan, alignment, map: override the scenario's runs and seed\n"
        "  --from Y1 --to Y2   history: the years (default 1816 to 2018)\n"
        "  --db PATH           history: the store (default $ENTENTE_DB or ./entente.db)\n"
        "  --world-dir DIR     the shipped world's directory (default $ENTENTE_WORLD or the build's data/)\n"
        "  --width W --height H  canvas size (pixels for PNG, points otherwise)\n"
        "  --title TEXT        replace the default title\n\n"
        "exit codes: 0 ok, 1 usage, 2 bad input (unknown state, bad scenario), 3 I/O\n");
}

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
    ent_store_options_t so = ENT_STORE_OPTIONS_INIT;
    so.readonly = true;
    ent_err_t rc = ent_store_open(&st, db, &so);
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

static int plot_main(int argc, char **argv);

int cmd_plot(int argc, char **argv)
{
    int ret = plot_main(argc, argv);
    ent_plot_cleanup(); /* the font caches, so leak checkers see a clean exit */
    return ret;
}

static int plot_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},     {"date", required_argument, NULL, 'd'},
        {"state", required_argument, NULL, 's'},   {"top", required_argument, NULL, 'n'},
        {"kinds", required_argument, NULL, 'k'},   {"scenario", required_argument, NULL, 'S'},
        {"series", required_argument, NULL, 'e'},  {"year", required_argument, NULL, 'y'},
        {"runs", required_argument, NULL, 'r'},    {"seed", required_argument, NULL, 'x'},
        {"threads", required_argument, NULL, 't'}, {"world-dir", required_argument, NULL, 'w'},
        {"width", required_argument, NULL, 'W'},   {"height", required_argument, NULL, 'H'},
        {"title", required_argument, NULL, 'T'},   {"help", no_argument, NULL, 'h'},
        {"from", required_argument, NULL, 'f'},    {"to", required_argument, NULL, 'u'},
        {"db", required_argument, NULL, 'D'},      {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *state = NULL, *kinds = NULL, *scen = "baseline", *series = "pacts", *seed = NULL;
    const char *world_dir = NULL, *title = NULL, *db = NULL;
    int from = 1816, to = 2018;
    ent_date_t date = 20241231;
    double top = -1, width = 0, height = 0, runs = 0, threads = 0;
    int year = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'd':
            if (ent_date_parse(&date, optarg, true) != ENT_OK) {
                return cli_usage_error("plot", "--date: expected YYYY-MM-DD or YYYY, got '%s'", optarg);
            }
            break;
        case 's': state = optarg; break;
        case 'n':
            if (!cli_parse_double(optarg, 0, 1000, &top) || top != (int)top) {
                return cli_usage_error("plot", "--top: expected an integer 0..1000, got '%s'", optarg);
            }
            break;
        case 'k': kinds = optarg; break;
        case 'S': scen = optarg; break;
        case 'e': series = optarg; break;
        case 'y':
            if (!cli_parse_year("plot", optarg, &year)) {
                return EXIT_USAGE;
            }
            break;
        case 'r':
            if (!cli_parse_double(optarg, 1, 1e9, &runs) || runs != (int64_t)runs) {
                return cli_usage_error("plot", "--runs: expected a positive integer, got '%s'", optarg);
            }
            break;
        case 'x': seed = optarg; break;
        case 't':
            if (!cli_parse_double(optarg, 0, 1024, &threads) || threads != (int)threads) {
                return cli_usage_error("plot", "--threads: expected an integer 0..1024, got '%s'", optarg);
            }
            break;
        case 'w': world_dir = optarg; break;
        case 'W':
            if (!cli_parse_double(optarg, 200, 10000, &width)) {
                return cli_usage_error("plot", "--width: expected 200..10000, got '%s'", optarg);
            }
            break;
        case 'H':
            if (!cli_parse_double(optarg, 150, 10000, &height)) {
                return cli_usage_error("plot", "--height: expected 150..10000, got '%s'", optarg);
            }
            break;
        case 'T': title = optarg; break;
        case 'f':
            if (!cli_parse_year("plot", optarg, &from)) {
                return EXIT_USAGE;
            }
            break;
        case 'u':
            if (!cli_parse_year("plot", optarg, &to)) {
                return EXIT_USAGE;
            }
            break;
        case 'D': db = optarg; break;
        case 'h': help(stdout); return EXIT_OK;
        default: return cli_usage_error("plot", "unknown option");
        }
    }
    if (optind >= argc) {
        return cli_usage_error("plot", "which figure? network, pyramid, fan, alignment, map or history");
    }
    const char *kind = argv[optind];
    if (optind + 1 < argc) {
        return cli_usage_error("plot", "unexpected argument '%s'", argv[optind + 1]);
    }
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
    ent_err_t rc = ent_world_load_dir(&w, world_dir ? world_dir : ent_world_default_dir());
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
