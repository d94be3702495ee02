/*
 * cmd_export.c -- `entente export graphml|gexf|dot|csv`: the alliance network of
 * the shipped world or of an imported store, at a date, over a span of years or
 * whole, for networkx, igraph, Gephi (GEXF with time spells), Graphviz and
 * spreadsheets (include/entente/export.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

/* Parses "pact,rivalry" into a mask of (1u << kind). */
static bool parse_kinds(const char *s, unsigned *mask)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    *mask = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        ent_tie_kind_t k;
        if (ent_tie_kind_parse(&k, tok) != ENT_OK) {
            return false;
        }
        *mask |= 1u << k;
    }
    return *mask != 0;
}

/* Writes one file atomically (FILE.tmp renamed), then its provenance sidecar. */
static int write_one(const char *path, const ent_world_t *w, ent_export_format_t fmt, const ent_export_options_t *eo)
{
    if (!path) {
        ent_err_t rc = ent_export_write(stdout, w, fmt, eo);
        return rc == ENT_OK ? EXIT_OK : cli_fail(rc);
    }
    size_t n = strlen(path) + 5;
    char *tmp = malloc(n);
    if (!tmp) {
        return EXIT_IO;
    }
    snprintf(tmp, n, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "entente: %s: cannot open for writing: %s\n", tmp, strerror(errno));
        free(tmp);
        return EXIT_IO;
    }
    ent_err_t rc = ent_export_write(f, w, fmt, eo);
    int ret = rc == ENT_OK ? EXIT_OK : cli_fail(rc);
    if (fclose(f) != 0 && ret == EXIT_OK) {
        fprintf(stderr, "entente: writing %s failed\n", path);
        ret = EXIT_IO;
    }
    if (ret == EXIT_OK && rename(tmp, path) != 0) {
        fprintf(stderr, "entente: %s: cannot rename to %s: %s\n", tmp, path, strerror(errno));
        ret = EXIT_IO;
    }
    if (ret != EXIT_OK) {
        remove(tmp);
    }
    free(tmp);
    return ret == EXIT_OK ? cli_prov_sidecar(path, NULL) : ret;
}

static const char *kinds_arg(const char *arg, void *field)
{
    return parse_kinds(arg, field) ? NULL : "tie kinds separated by commas (pact,rivalry)";
}

typedef struct {
    const char *date;
    int from, to;
    unsigned kinds;
    bool world;
} export_args_t;

static const cli_opt_t opts[] = {
    /* a string, parsed below: the provenance records the date as given */
    {.name = "date",
     .kind = CLI_STRING,
     .metavar = "D",
     .help = "the network on one day",
     .field = offsetof(export_args_t, date)},
    {.name = "from",
     .kind = CLI_YEAR,
     .metavar = "Y1",
     .help = "with --to: every state and tie present in those years, with their dates (default: everything the "
             "source holds)",
     .field = offsetof(export_args_t, from)},
    {.name = "to",
     .kind = CLI_YEAR,
     .metavar = "Y2",
     .help = "the last year, with --from",
     .field = offsetof(export_args_t, to)},
    {.name = "kinds",
     .kind = CLI_CUSTOM,
     .metavar = "K,...",
     .parse = kinds_arg,
     .help = "only these tie kinds: pact, partnership, security, economic, diplomatic, coercion, rivalry",
     .field = offsetof(export_args_t, kinds)},
    CLI_COMMON_HELP("world", "the shipped world (the default)"),
    CLI_COMMON_HELP("world-dir", "a world as CSV files"),
    CLI_COMMON_HELP("db", "an imported store instead of a world"),
    CLI_COMMON_HELP("out", "write PATH (and PATH.prov.json, its provenance) instead of stdout; csv needs --out PREFIX "
                           "and writes PREFIX.nodes.csv and PREFIX.edges.csv"),
    {0},
};

const cli_spec_t cli_spec_export = {
    .name = "export",
    .args = "graphml|gexf|dot|csv",
    .npos_min = 1,
    .npos_max = 1,
    .about = "Writes the alliance network: states as nodes (id = COW code; ccode, abbr, name, iso3, region,\n"
             "CINC), ties as edges (kind, obligations, tier, moniker, subtype, directed, start, end, source).\n"
             "--date excludes --from/--to; --world-dir excludes --db.\n\n"
             "gexf is dynamic (mode=\"dynamic\"): node and edge spells and CINC by year, so Gephi's\n"
             "timeline replays the alliances of an imported store year by year.",
    .opts = opts,
};

int cmd_export(int argc, char **argv)
{
    ent_export_options_t eo = ENT_EXPORT_OPTIONS_INIT;
    export_args_t a = {.kinds = eo.kinds};
    cli_common_t c;
    CLI_PARSE(&cli_spec_export, argc, argv, &a, &c);
    const char *dir = c.world_dir, *db = c.db, *out = c.out;
    const char *date_s = a.date;
    int from = a.from, to = a.to;
    bool has_date = date_s != NULL;
    eo.kinds = a.kinds;
    if (has_date) {
        if (ent_date_parse(&eo.from, date_s, false) != ENT_OK) {
            return cli_usage_error("export", "--date: %s", ent_errmsg());
        }
        eo.to = eo.from;
    }
    const char *fmt_s = c.pos[0];
    bool csv = strcmp(fmt_s, "csv") == 0;
    ent_export_format_t fmt = ENT_EXPORT_GRAPHML;
    if (!csv && (ent_export_format_parse(&fmt, fmt_s) != ENT_OK || fmt == ENT_EXPORT_CSV_NODES ||
                 fmt == ENT_EXPORT_CSV_EDGES)) {
        return cli_usage_error("export", "unknown format '%s' (graphml, gexf, dot or csv)", fmt_s);
    }
    if (csv && !out) {
        return cli_usage_error("export",
                               "csv writes two files: give --out PREFIX (PREFIX.nodes.csv, PREFIX.edges.csv)");
    }
    if (has_date && (from || to)) {
        return cli_usage_error("export", "give --date or --from/--to, not both");
    }
    if ((from != 0) != (to != 0)) {
        return cli_usage_error("export", "--from and --to go together");
    }
    if (from && from > to) {
        return cli_usage_error("export", "--from %d is after --to %d", from, to);
    }
    if (from) {
        ent_date_make(&eo.from, from, 1, 1, false);
        ent_date_make(&eo.to, to, 12, 31, true);
    }
    if (dir && db) {
        return cli_usage_error("export", "give --world-dir or --db, not both");
    }

    ent_world_t *w = NULL;
    ent_err_t rc;
    if ((rc = cli_load_world(&w, db, dir, true)) != ENT_OK) {
        return cli_fail(rc);
    }
    if (date_s) {
        cli_prov_param(NULL, "date", date_s);
    }
    ent_buf_t cap = ENT_BUF_INIT;
    if (cli_prov() && ent_prov_render_caption(&cap, cli_prov()) == ENT_OK) {
        eo.caption = ent_buf_cstr(&cap);
    }
    int ret;
    if (csv) {
        size_t n = strlen(out) + 16;
        char *p = malloc(n);
        ret = p ? EXIT_OK : EXIT_IO;
        if (p) {
            snprintf(p, n, "%s.nodes.csv", out);
            ret = write_one(p, w, ENT_EXPORT_CSV_NODES, &eo);
            if (ret == EXIT_OK) {
                snprintf(p, n, "%s.edges.csv", out);
                ret = write_one(p, w, ENT_EXPORT_CSV_EDGES, &eo);
            }
        }
        free(p);
    } else {
        ret = write_one(out, w, fmt, &eo);
    }
    ent_buf_destroy(&cap);
    ent_world_free(w);
    return ret;
}
