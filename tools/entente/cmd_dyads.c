/*
 * cmd_dyads.c -- `entente dyads`: the dyad-year research panel (panel.h) of
 * any range 1816-2018 as CSV or as a Stata .dta file (ReadStat), the table a
 * quantitative study of alliances starts from, without a pandas script.
 *
 * The output is written to a temporary file beside FILE and renamed at the end: a failed or
 * interrupted run never leaves a half-written table under the name asked for.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"
#include "dta.h"

/* The panel's columns, from the library: the list cannot fall behind it. */
static void columns_help(FILE *out)
{
    size_t n;
    const char *const *cols = ent_panel_columns(&n);
    fputs("columns (docs/measures.md, \"The dyad-year panel\", gives each one's source and dating):\n ", out);
    size_t w = 1;
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(cols[k]) + 1;
        if (w + len > 100) {
            fputs("\n ", out);
            w = 1;
        }
        fprintf(out, " %s", cols[k]);
        w += len;
    }
    fputs("\n\nA source missing from the store leaves its columns empty, with a note on stderr.\n", out);
}

typedef struct {
    int year, from, to;
    bool directed;
    const char *columns, *format, *mids;
} dyads_args_t;

static const char *const formats[] = {"csv", "dta", NULL};
static const char *const mid_sets[] = {"cow", "gml", NULL};

static const cli_opt_t opts[] = {
    {.name = "from",
     .kind = CLI_YEAR,
     .metavar = "Y1",
     .help = "the first year (1816-2018)",
     .field = offsetof(dyads_args_t, from)},
    {.name = "to", .kind = CLI_YEAR, .metavar = "Y2", .help = "the last year", .field = offsetof(dyads_args_t, to)},
    {.name = "year", .kind = CLI_YEAR, .help = "one year: --from Y --to Y", .field = offsetof(dyads_args_t, year)},
    {.name = "directed",
     .kind = CLI_FLAG,
     .help = "both orders of each pair; the *1 columns describe ccode1 and the alliance-type columns are ccode1's "
             "obligations towards ccode2",
     .field = offsetof(dyads_args_t, directed)},
    {.name = "columns",
     .kind = CLI_STRING,
     .metavar = "LIST",
     .help = "a comma-separated subset of the columns below (ccode1, ccode2, year always come first)",
     .field = offsetof(dyads_args_t, columns)},
    {.name = "format",
     .kind = CLI_ENUM,
     .choices = formats,
     .def = "csv",
     .help = "csv (missing values are empty fields) or dta (Stata 14 .dta via ReadStat, missing values are "
             "Stata's '.')",
     .field = offsetof(dyads_args_t, format)},
    {.name = "mids",
     .kind = CLI_ENUM,
     .choices = mid_sets,
     .def = "cow",
     .help = "cow (COW MID 5, 1816-2014) or gml (Gibler-Miller-Little, 1816-2010)",
     .field = offsetof(dyads_args_t, mids)},
    CLI_COMMON_HELP("out", "written to a temporary beside PATH, renamed when complete; - writes CSV to stdout"),
    CLI_COMMON_OPT("db"),
    {0},
};

const cli_spec_t cli_spec_dyads = {
    .name = "dyads",
    .about = "Writes the dyad-year panel of the COW state system for years Y1..Y2 (1816-2018; --year Y for one\n"
             "year): every pair of system members each year, less the dyads that never coexisted on one day\n"
             "(codes/false_cow_dyads.csv), 2017-2018 from the state spells as codes/cow_ddy does.\n"
             "Undirected (default): ccode1 < ccode2. --from Y1 --to Y2 (or --year) and --out are required.",
    .opts = opts,
    .epilog = columns_help,
};

typedef struct {
    const ent_panel_t *p;
    const size_t *year_off; /* rows of year from + k: [year_off[k], year_off[k + 1]) */
    int from;
    FILE *f;
    size_t rows;
} csv_ctx_t;

static ent_err_t format_year(void *vctx, int year, ent_buf_t *b, size_t *nrows)
{
    const csv_ctx_t *c = vctx;
    const size_t r0 = c->year_off[year - c->from], r1 = c->year_off[year - c->from + 1];
    const int32_t *c1 = ent_panel_ccode1(c->p), *c2 = ent_panel_ccode2(c->p), *yr = ent_panel_year(c->p);
    const size_t nc = ent_panel_ncolumns(c->p);
    const double *cols[128];
    for (size_t k = 0; k < nc && k < 128; k++) {
        cols[k] = ent_panel_column_at(c->p, k);
    }
    ent_err_t rc = ENT_OK;
    char line[128 * 26 + 64];
    for (size_t r = r0; r < r1 && rc == ENT_OK; r++) {
        char *q = line;
        q = cli_fmt_int(q, c1[r]);
        *q++ = ',';
        q = cli_fmt_int(q, c2[r]);
        *q++ = ',';
        q = cli_fmt_int(q, yr[r]);
        for (size_t k = 0; k < nc; k++) {
            *q++ = ',';
            double v = cols[k][r];
            if (!isnan(v)) {
                q = cli_fmt_num(q, v);
            }
        }
        *q++ = '\n';
        rc = ent_buf_put(b, line, (size_t)(q - line));
    }
    *nrows = r1 - r0;
    return rc;
}

static void emit_year(void *vctx, const ent_buf_t *b, size_t nrows)
{
    csv_ctx_t *c = vctx;
    fwrite(ent_buf_cstr(b), 1, b->len, c->f);
    c->rows += nrows;
}

/* Splits "a,b,c" into the array; returns the count (0 and a message for an empty item). */
static size_t split_columns(char *list, const char **out, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(list, ","); tok && n < max; tok = strtok(NULL, ",")) {
        while (*tok == ' ') {
            tok++;
        }
        out[n++] = tok;
    }
    return n;
}

static int write_csv(const ent_panel_t *p, const char *path, int from, int to)
{
    /* Complete or absent: a temporary beside the target, renamed at the end (output.c). */
    cli_out_t out;
    int oc = cli_out_open(&out, path);
    if (oc != EXIT_OK) {
        return oc;
    }
    FILE *f = out.f;
    static char obuf[1 << 20];
    setvbuf(f, obuf, _IOFBF, sizeof obuf);
    fputs("ccode1,ccode2,year", f);
    for (size_t k = 0; k < ent_panel_ncolumns(p); k++) {
        fprintf(f, ",%s", ent_panel_column_name(p, k));
    }
    fputc('\n', f);

    /* rows are ordered by year: each year's block is contiguous */
    const size_t nyears = (size_t)(to - from + 1), n = ent_panel_nrows(p);
    size_t *off = calloc(nyears + 1, sizeof *off);
    if (!off) {
        fprintf(stderr, "entente: out of memory\n");
        cli_out_abort(&out);
        return EXIT_IO;
    }
    const int32_t *yr = ent_panel_year(p);
    for (size_t r = 0; r < n; r++) {
        off[yr[r] - from + 1]++;
    }
    for (size_t k = 0; k < nyears; k++) {
        off[k + 1] += off[k];
    }
    csv_ctx_t cc = {p, off, from, f, 0};
    int exit_code = cli_for_years(from, to, format_year, emit_year, &cc);
    free(off);
    if (exit_code == EXIT_OK && cli_cancelled()) {
        exit_code = cli_interrupted_code();
    }
    if (exit_code != EXIT_OK) {
        cli_out_abort(&out);
        return exit_code;
    }
    return cli_out_commit(&out);
}

int cmd_dyads(int argc, char **argv)
{
    dyads_args_t a = {.format = "csv"};
    cli_common_t c;
    CLI_PARSE(&cli_spec_dyads, argc, argv, &a, &c);
    const char *db = c.db, *outpath = c.out, *format = a.format;
    const char *collist = a.columns;
    int year = a.year, from = a.from, to = a.to;
    ent_panel_options_t po = ENT_PANEL_OPTIONS_INIT;
    po.directed = a.directed;
    po.mid_dataset = a.mids;
    if (year && (from || to)) {
        return cli_usage_error("dyads", "give --year or --from/--to, not both");
    }
    if (year) {
        from = to = year;
    }
    if (!from || !to) {
        return cli_usage_error("dyads", "--from Y1 --to Y2 (or --year Y) is required");
    }
    if (from > to) {
        return cli_usage_error("dyads", "--from %d is after --to %d", from, to);
    }
    if (from < 1816) {
        return cli_usage_error("dyads", "--from %d: the COW state system begins in 1816", from);
    }
    if (!outpath || !*outpath) {
        return cli_usage_error("dyads", "--out FILE is required (- for CSV on stdout)");
    }
    bool dta = false;
    if (strcmp(format, "dta") == 0) {
        dta = true;
        if (strcmp(outpath, "-") == 0) {
            return cli_usage_error("dyads", "--format dta writes a file: give --out FILE.dta");
        }
    }
    if (strlen(outpath) > 4000) {
        return cli_usage_error("dyads", "--out path too long");
    }
    int checked = cli_check_out_file(outpath); /* before the work, not after it */
    if (checked != EXIT_OK) {
        return checked;
    }
    const char *names[128];
    char *listcopy = NULL;
    if (collist) {
        if (!(listcopy = strdup(collist))) {
            return cli_fail(ENT_ENOMEM);
        }
        po.ncolumns = split_columns(listcopy, names, 128);
        po.columns = names;
        if (po.ncolumns == 0) {
            free(listcopy);
            return cli_usage_error("dyads", "--columns: an empty list");
        }
    }
    po.from = from;
    po.to = to;
    po.cancel = cli_cancel_flag();

    ent_store_t *st = NULL;
    ent_panel_t *p = NULL;
    ent_err_t rc = cli_open_store(&st, db, true, false);
    if (rc == ENT_OK) {
        rc = ent_panel_build(&p, st, &po);
        if (rc == ENT_OK) {
            rc = cli_prov_store(NULL, st); /* provenance: the store and its import log */
        }
        ent_store_close(st);
    }
    free(listcopy);
    if (rc != ENT_OK) {
        ent_panel_free(p);
        return rc == ENT_EINVAL ? cli_usage_error("dyads", "%s", ent_errmsg()) : cli_fail(rc);
    }
    for (size_t k = 0; k < ent_panel_nnotes(p); k++) {
        fprintf(stderr, "entente: note: %s\n", ent_panel_note(p, k));
    }
    int exit_code;
    if (dta) {
        exit_code = cli_write_dta(p, outpath);
    } else {
        exit_code = write_csv(p, outpath, from, to);
    }
    if (exit_code == EXIT_OK && strcmp(outpath, "-") != 0) {
        exit_code = cli_prov_sidecar(outpath, NULL); /* FILE.prov.json */
    }
    if (exit_code == EXIT_OK) {
        fprintf(stderr, "%zu %s dyad-years, %d-%d, %zu columns\n", ent_panel_nrows(p),
                po.directed ? "directed" : "undirected", from, to, ent_panel_ncolumns(p) + 3);
        if (strcmp(outpath, "-") != 0) {
            fprintf(stderr, "wrote %s\n", outpath);
        }
    }
    ent_panel_free(p);
    return exit_code;
}
