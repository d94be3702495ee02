/*
 * cmd_similarity.c -- `entente similarity`: foreign-policy similarity (S,
 * capability-weighted S, Cohen's kappa, Scott's pi, Kendall's tau-b) of one
 * pair or of every dyad, in a year or over a range of years, from ATOP or COW
 * alliance portfolios or UN General Assembly votes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

typedef struct {
    const char *source, *pair, *measure;
    int year, from, to;
    bool squared, csv;
} similarity_args_t;

static const cli_opt_t opts[] = {
    {.name = "source",
     .kind = CLI_STRING,
     .metavar = "atop|cow|un",
     .def = "atop",
     .help = "atop: 3 defence/offence, 2 neutrality/consultation, 1 non-aggression\n"
             "cow: 3 defence, 2 neutrality/non-aggression, 1 entente; each state 3 to itself; the states compared "
             "are the COW system members of the year\n"
             "un: 1 yes, 2 abstain, 3 no over the year's roll calls both states voted on (each UN row also gives "
             "`votes`, the roll calls compared, and `few`, true when they are under 10: a measure over so few votes "
             "says little)",
     .field = offsetof(similarity_args_t, source)},
    {.name = "year", .kind = CLI_YEAR, .help = "one year", .field = offsetof(similarity_args_t, year)},
    {.name = "from",
     .kind = CLI_YEAR,
     .metavar = "Y1",
     .help = "with --to: every year of a range",
     .field = offsetof(similarity_args_t, from)},
    {.name = "to",
     .kind = CLI_YEAR,
     .metavar = "Y2",
     .help = "the last year",
     .field = offsetof(similarity_args_t, to)},
    {.name = "pair",
     .kind = CLI_STRING,
     .metavar = "A,B",
     .help = "two states: COW code (255), COW abbreviation (GMY) or ISO3 code",
     .field = offsetof(similarity_args_t, pair)},
    {.name = "measure",
     .kind = CLI_STRING,
     .metavar = "LIST",
     .def = "all",
     .help = "comma-separated, of: s (Signorino-Ritter S), sw (S weighted by CINC shares), kappa (Cohen, quadratic "
             "weights), pi (Scott), taub (Kendall)",
     .field = offsetof(similarity_args_t, measure)},
    {.name = "squared",
     .kind = CLI_FLAG,
     .help = "squared instead of absolute distances for s and sw",
     .field = offsetof(similarity_args_t, squared)},
    CLI_COMMON_HELP("json",
                    "the report entente.similarity/1 (docs/report.md): source, years, measures and the rows "
                    "under dyads, each with year, both states' codes and abbreviations and one key per measure"),
    {.name = "csv",
     .kind = CLI_FLAG,
     .help = "CSV streamed row by row (ccode1, ccode2, year, one column per measure; NA when undefined): for every "
             "dyad over long ranges, which --json holds in memory",
     .field = offsetof(similarity_args_t, csv)},
    CLI_COMMON_OPT("db"),
    CLI_COMMON_HELP("world", "the shipped world's pacts instead of a store (ATOP coding; every state of the world; sw "
                             "weights: the CINC of the year or up to ten years before)"),
    CLI_COMMON_HELP("world-dir", "the same from the world in directory DIR"),
    {0},
};

const cli_spec_t cli_spec_similarity = {
    .name = "similarity",
    .about = "Foreign-policy similarity of two states' alliance portfolios (ATOP or COW) or UN votes:\n"
             "one pair (--pair), or every dyad of the system (ccode1 < ccode2), in a year or a range.\n\n"
             "A measure is undefined (NA) when it divides 0 by 0: kappa, pi and taub when a portfolio has\n"
             "no variation, sw for UN votes (no capability weights). See docs/measures.md.",
    .opts = opts,
};

enum { OUT_TEXT, OUT_CSV };

typedef struct {
    int mode;
    unsigned measures;
    const ent_portfolios_t *p;
    size_t rows;
    bool header; /* printed: only once there is something to print, so that an error prints nothing */
    bool votes;  /* UN votes: each row also says how many roll calls it compared, and flags too few */
} printer_t;

static const unsigned order[5] = {ENT_SIM_S, ENT_SIM_SW, ENT_SIM_KAPPA, ENT_SIM_PI, ENT_SIM_TAUB};

/*
 * Writes v in fixed notation with up to 15 decimals, trailing zeros dropped
 * ("0.4", "-0.0303169541"): an absolute precision of 1e-15, which is what a
 * score in [-1, 1] needs, at a fraction of printf's cost -- formatting, not
 * computing, dominates an all-dyad run. Large values fall back to %.15g.
 */
char *cli_fmt_num(char *p, double v)
{
    if (!(fabs(v) < 1e3)) {
        return p + sprintf(p, "%.15g", v);
    }
    uint64_t u = (uint64_t)(fabs(v) * 1e15 + 0.5);
    if (u == 0) {
        *p++ = '0';
        return p;
    }
    if (v < 0) {
        *p++ = '-';
    }
    uint64_t ip = u / 1000000000000000ull, fp = u % 1000000000000000ull;
    char d[20];
    int n = 0;
    do {
        d[n++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (n) {
        *p++ = d[--n];
    }
    if (fp) {
        int len = 15;
        for (int k = 14; k >= 0; k--) {
            d[k] = (char)('0' + fp % 10);
            fp /= 10;
        }
        while (d[len - 1] == '0') {
            len--;
        }
        *p++ = '.';
        memcpy(p, d, (size_t)len);
        p += len;
    }
    return p;
}

char *cli_fmt_int(char *p, int v)
{
    char d[12];
    int n = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    if (v < 0) {
        *p++ = '-';
    }
    do {
        d[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n) {
        *p++ = d[--n];
    }
    return p;
}

static void print_header(printer_t *pr)
{
    if (pr->header) {
        return;
    }
    pr->header = true;
    if (pr->mode == OUT_CSV) {
        fputs("ccode1,ccode2,year", stdout);
        for (int k = 0; k < 5; k++) {
            if (pr->measures & order[k]) {
                printf(",%s", ent_similarity_measure_name(order[k]));
            }
        }
        fputs(pr->votes ? ",votes,few\n" : "\n", stdout);
    } else {
        printf("%-4s  %-10s %-10s", "year", "state1", "state2");
        for (int k = 0; k < 5; k++) {
            if (pr->measures & order[k]) {
                printf(" %8s", ent_similarity_measure_name(order[k]));
            }
        }
        fputs(pr->votes ? "    votes\n" : "\n", stdout);
    }
}

/* Appends one row to `b` (CSV or text: --json is the library's report). */
static ent_err_t format_row(ent_buf_t *b, const printer_t *pr, int32_t c1, int32_t c2, int year,
                            const ent_similarity_t *m)
{
    char line[512], *q = line;
    if (pr->mode == OUT_CSV) {
        q = cli_fmt_int(q, (int)c1);
        *q++ = ',';
        q = cli_fmt_int(q, (int)c2);
        *q++ = ',';
        q = cli_fmt_int(q, year);
        for (int k = 0; k < 5; k++) {
            if (pr->measures & order[k]) {
                double v = ent_similarity_value(m, order[k]);
                *q++ = ',';
                if (isnan(v)) {
                    *q++ = 'N';
                    *q++ = 'A';
                } else {
                    q = cli_fmt_num(q, v);
                }
            }
        }
        if (pr->votes) {
            q += sprintf(q, ",%d,%d", (int)m->n, m->n < ENT_SIM_FEW_VOTES ? 1 : 0);
        }
        *q++ = '\n';
    } else {
        char a[16], bb[16];
        snprintf(a, sizeof a, "%s %d", ent_portfolios_abbr(pr->p, c1), (int)c1);
        snprintf(bb, sizeof bb, "%s %d", ent_portfolios_abbr(pr->p, c2), (int)c2);
        q += sprintf(q, "%-4d  %-10s %-10s", year, a, bb);
        for (int k = 0; k < 5; k++) {
            if (pr->measures & order[k]) {
                double v = ent_similarity_value(m, order[k]);
                q += isnan(v) ? sprintf(q, " %8s", "NA") : sprintf(q, " %8.4f", v);
            }
        }
        if (pr->votes) {
            q += sprintf(q, " %8d%s", (int)m->n, m->n < ENT_SIM_FEW_VOTES ? " (too few votes)" : "");
        }
        *q++ = '\n';
    }
    return ent_buf_put(b, line, (size_t)(q - line));
}

/* Writes a block of formatted rows (nrows of them) in order. */
static void write_rows(printer_t *pr, const ent_buf_t *b, size_t nrows)
{
    const char *s = ent_buf_cstr(b);
    size_t len = b->len;
    print_header(pr);
    fwrite(s, 1, len, stdout);
    pr->rows += nrows;
}

static void print_footer(printer_t *pr)
{
    print_header(pr); /* a range without a dyad still prints its header */
}

/*
 * Runs fmt for every year of [from, to] on the OpenMP threads and hands each
 * year's block to emit, in year order, on the calling thread. Years go in
 * chunks: the threads fill one buffer per year of the chunk (dynamic
 * schedule: years differ a lot in size), then the blocks are emitted. A
 * thread never waits for another's year to be written -- with libgomp's
 * default spin-waiting an `ordered` loop burnt a third more CPU -- and the
 * output is the same on any number of threads. Returns an exit code.
 */
int cli_for_years(int from, int to, cli_year_format_fn fmt, cli_year_emit_fn emit, void *ctx)
{
    enum { CHUNK = 24 };
    ent_buf_t bufs[CHUNK];
    size_t nrows[CHUNK];
    for (int k = 0; k < CHUNK; k++) {
        ent_buf_init(&bufs[k], 0);
    }
    volatile bool failed = false;
    int code = EXIT_OK;
    for (int y0 = from; y0 <= to && !failed; y0 += CHUNK) {
        int n = to - y0 + 1 < CHUNK ? to - y0 + 1 : CHUNK;
#pragma omp parallel for schedule(dynamic, 1) default(none)                                                            \
    shared(bufs, nrows, failed, code, fmt, ctx, y0, n) if (n > 1)
        for (int k = 0; k < n; k++) {
            ent_buf_clear(&bufs[k]);
            nrows[k] = 0;
            if (failed) {
                continue;
            }
            ent_err_t rc = fmt(ctx, y0 + k, &bufs[k], &nrows[k]);
            if (rc != ENT_OK) {
#pragma omp critical(cli_for_years)
                if (!failed) {
                    failed = true;
                    code = cli_fail(rc); /* here: ent_errmsg() is per thread */
                }
            }
        }
        for (int k = 0; k < n && !failed; k++) {
            emit(ctx, &bufs[k], nrows[k]);
        }
        if (!failed && cli_stdout_failed()) {
            /* a closed pipe or a full disk: computing the rest would only be thrown away */
            failed = true;
            code = EXIT_IO;
        }
    }
    for (int k = 0; k < CHUNK; k++) {
        ent_buf_destroy(&bufs[k]);
    }
    return code;
}

typedef struct {
    printer_t *pr;
    const ent_portfolios_t *p;
    const ent_similarity_options_t *so;
} year_ctx_t;

static ent_err_t format_year(void *vctx, int year, ent_buf_t *b, size_t *nrows)
{
    year_ctx_t *c = vctx;
    ent_vec_t v = ENT_VEC_INIT(ent_dyad_year_t);
    ent_err_t rc = ent_measure_similarity_year(&v, c->p, year, false, c->so);
    for (size_t k = 0; rc == ENT_OK && k < v.len; k++) {
        const ent_dyad_year_t *d = &ENT_VEC_AT(&v, ent_dyad_year_t, k);
        rc = format_row(b, c->pr, d->ccode1, d->ccode2, year, &d->m);
    }
    *nrows = v.len;
    ent_vec_destroy(&v);
    return rc;
}

static void emit_year(void *vctx, const ent_buf_t *b, size_t nrows)
{
    year_ctx_t *c = vctx;
    write_rows(c->pr, b, nrows);
}

/* Splits "A,B" into two state codes of the portfolios. */
static ent_err_t parse_pair(int32_t *a, int32_t *b, const ent_portfolios_t *p, const char *pair)
{
    char buf[64];
    const char *comma = strchr(pair, ',');
    if (!comma || comma == pair || !comma[1] || strchr(comma + 1, ',') || (size_t)(comma - pair) >= sizeof buf) {
        return ENT_EINVAL;
    }
    memcpy(buf, pair, (size_t)(comma - pair));
    buf[comma - pair] = '\0';
    ent_err_t rc = ent_portfolios_find(a, p, buf);
    return rc != ENT_OK ? rc : ent_portfolios_find(b, p, comma + 1);
}

int cmd_similarity(int argc, char **argv)
{
    similarity_args_t args = {0};
    cli_common_t cm;
    CLI_PARSE(&cli_spec_similarity, argc, argv, &args, &cm);
    const char *db = cm.db, *pair = args.pair, *world_dir = cm.world_dir;
    bool world = cm.world || world_dir, source_given = args.source != NULL;
    int year = args.year, from = args.from, to = args.to, mode = args.csv ? OUT_CSV : OUT_TEXT;
    unsigned measures = ENT_SIM_ALL;
    ent_sim_source_t source = ENT_SIM_SOURCE_ATOP;
    ent_similarity_options_t so = ENT_SIMILARITY_OPTIONS_INIT;
    so.squared = args.squared;
    if (args.source && ent_sim_source_parse(&source, args.source) != ENT_OK) {
        return cli_usage_error("similarity", "%s", ent_errmsg());
    }
    if (args.measure && ent_similarity_measures_parse(&measures, args.measure) != ENT_OK) {
        return cli_usage_error("similarity", "%s", ent_errmsg());
    }
    if (cm.json && args.csv) {
        return cli_usage_error("similarity", "--json and --csv exclude each other");
    }
    if (year && (from || to)) {
        return cli_usage_error("similarity", "give --year or --from/--to, not both");
    }
    if (!year && (!from || !to)) {
        return cli_usage_error("similarity", year || from || to ? "--from and --to go together"
                                                                : "--year Y or --from Y1 --to Y2 is required");
    }
    if (year) {
        from = to = year;
    }
    if (from > to) {
        return cli_usage_error("similarity", "--from %d is after --to %d", from, to);
    }
    if (pair && (!strchr(pair, ',') || pair[0] == ',')) {
        return cli_usage_error("similarity", "--pair wants two states separated by a comma (GMY,RUS), got '%s'", pair);
    }
    if (world && db) {
        return cli_usage_error("similarity", "--world/--world-dir and --db exclude each other");
    }
    if (world && source_given && source != ENT_SIM_SOURCE_ATOP) {
        return cli_usage_error("similarity", "a world's pacts are ATOP-coded: --source %s needs a store (--db)",
                               ent_sim_source_name(source));
    }

    ent_store_t *st = NULL;
    ent_portfolios_t *p = NULL;
    ent_err_t rc;
    if (world) {
        /* The shipped world holds one base year of capabilities (2022): ten years back reach it. */
        ent_world_t *w = NULL;
        rc = ent_world_load_dir(&w, world_dir ? world_dir : ent_world_default_dir());
        if (rc == ENT_OK) {
            rc = cli_prov_world(NULL, world_dir ? world_dir : ent_world_default_dir()); /* the report's provenance */
        }
        if (rc == ENT_OK) {
            rc = ent_portfolios_from_world(&p, w, from, to, 10);
        }
        ent_world_free(w);
    } else {
        ent_store_options_t sto = ENT_STORE_OPTIONS_INIT;
        sto.readonly = true;
        rc = ent_store_open(&st, cli_db_path(db), &sto);
        if (rc == ENT_OK) {
            rc = ent_portfolios_load(&p, st, source, from, to);
            if (rc == ENT_OK) {
                rc = cli_prov_store(NULL, st); /* the datasets the report rests on */
            }
            ent_store_close(st);
        }
    }
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    int32_t a = 0, bcode = 0;
    if (pair && (rc = parse_pair(&a, &bcode, p, pair)) != ENT_OK) {
        ent_portfolios_free(p);
        if (rc == ENT_EINVAL) {
            return cli_usage_error("similarity", "--pair wants two states separated by a comma (GMY,RUS), got '%s'",
                                   pair);
        }
        return cli_fail(rc);
    }

    if (cm.json) {
        /* the library's report (entente.similarity/1), from a store as from a world: the document
         * `entente serve` hands on */
        char *text = NULL;
        rc = ent_report_similarity(&text, p, from, to, pair ? a : 0, pair ? bcode : 0, measures, &so);
        ent_portfolios_free(p);
        return cli_print_report(rc, text);
    }
    static char obuf[1 << 20];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    printer_t pr = {mode, measures, p, 0, false, source == ENT_SIM_SOURCE_UN};
    int exit_code = EXIT_OK;
    if (pair) {
        ent_buf_t b = ENT_BUF_INIT;
        for (int y = from; y <= to && exit_code == EXIT_OK; y++) {
            ent_similarity_t m;
            if (from != to && ent_portfolios_nstates(p, y) == 0) {
                continue; /* a year without data inside the range (UN: 1964) */
            }
            rc = ent_measure_similarity_pair(&m, p, y, a, bcode, &so);
            if (rc == ENT_OK) {
                ent_buf_clear(&b);
                if ((rc = format_row(&b, &pr, a, bcode, y, &m)) != ENT_OK) {
                    exit_code = cli_fail(rc);
                    break;
                }
                write_rows(&pr, &b, 1);
            } else if (from == to || rc != ENT_ENOTFOUND) {
                exit_code = cli_fail(rc); /* in a range, years the pair is not in the system are skipped */
            }
        }
        ent_buf_destroy(&b);
    } else {
        /* Every dyad of every year: years on the threads, written in order. */
        year_ctx_t yc = {&pr, p, &so};
        exit_code = cli_for_years(from, to, format_year, emit_year, &yc);
    }
    if (exit_code == EXIT_OK && pair && pr.rows == 0) {
        fprintf(stderr, "entente: %s and %s are never both %s in %d-%d\n", ent_portfolios_abbr(p, a),
                ent_portfolios_abbr(p, bcode),
                source == ENT_SIM_SOURCE_UN ? "voting on a common roll call" : "in the system", from, to);
        exit_code = EXIT_INPUT;
    }
    if (exit_code == EXIT_OK) {
        print_footer(&pr);
    }
    ent_portfolios_free(p);
    return exit_code; /* stdout is checked, with the reason, when the process finishes (output.c) */
}
