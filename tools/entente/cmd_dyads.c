/*
 * cmd_dyads.c -- `entente dyads`: every dyad-year of the COW state system in
 * a range, with the alliance obligations of ATOP or COW, both states' CINC
 * and the five similarity scores, as one CSV file: the table a quantitative
 * IR study starts from.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void help(FILE *out)
{
    fprintf(out, "usage: entente dyads --from Y1 --to Y2 [--directed] [--source atop|cow] [--squared]\n"
                 "                     --out FILE.csv [--db PATH]\n\n"
                 "Writes every dyad-year of the COW system members in [Y1, Y2] as CSV (--year Y for one year;\n"
                 "--out - for stdout). Undirected (default): ccode1 < ccode2, n(n-1)/2 rows a year, an obligation\n"
                 "coded when either state has it towards the other. --directed: both orders, ccode1's obligations\n"
                 "towards ccode2.\n\n"
                 "columns: ccode1, ccode2, year; the source's obligations as 0/1 (atop: defense, offense, neutral,\n"
                 "nonagg, consul; cow: defense, neutral, nonagg, entente); cinc1, cinc2 (newest NMC version in\n"
                 "the store); s, sw, kappa, pi, taub (see `entente similarity --help`). Missing values are NA.\n");
}

/* Appends "," and v, or ",NA". */
static char *put_num(char *q, double v)
{
    *q++ = ',';
    if (isnan(v)) {
        *q++ = 'N';
        *q++ = 'A';
        return q;
    }
    return cli_fmt_num(q, v);
}

typedef struct {
    const ent_portfolios_t *p;
    const ent_similarity_options_t *so;
    bool directed;
    FILE *f;
    size_t rows;
    unsigned cols[5]; /* the obligation columns, as ENT_OBL_* bits */
    size_t ncols;
} dyads_ctx_t;

static ent_err_t format_year(void *vctx, int year, ent_buf_t *b, size_t *nrows)
{
    const dyads_ctx_t *c = vctx;
    ent_vec_t v = ENT_VEC_INIT(ent_dyad_year_t);
    ent_err_t rc = ent_measure_similarity_year(&v, c->p, year, c->directed, c->so);
    for (size_t k = 0; rc == ENT_OK && k < v.len; k++) {
        const ent_dyad_year_t *d = &ENT_VEC_AT(&v, ent_dyad_year_t, k);
        char line[512], *q = line;
        q = cli_fmt_int(q, (int)d->ccode1);
        *q++ = ',';
        q = cli_fmt_int(q, (int)d->ccode2);
        *q++ = ',';
        q = cli_fmt_int(q, (int)d->year);
        for (size_t j = 0; j < c->ncols; j++) {
            *q++ = ',';
            *q++ = d->obligations & c->cols[j] ? '1' : '0';
        }
        q = put_num(q, d->cinc1);
        q = put_num(q, d->cinc2);
        q = put_num(q, d->m.s);
        q = put_num(q, d->m.sw);
        q = put_num(q, d->m.kappa);
        q = put_num(q, d->m.pi);
        q = put_num(q, d->m.taub);
        *q++ = '\n';
        rc = ent_buf_put(b, line, (size_t)(q - line));
    }
    *nrows = v.len;
    ent_vec_destroy(&v);
    return rc;
}

static void emit_year(void *vctx, const ent_buf_t *b, size_t nrows)
{
    dyads_ctx_t *c = vctx;
    fwrite(ent_buf_cstr(b), 1, b->len, c->f);
    c->rows += nrows;
}

int cmd_dyads(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"source", required_argument, NULL, 's'},
        {"year", required_argument, NULL, 'y'}, {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},   {"directed", no_argument, NULL, 'r'},
        {"out", required_argument, NULL, 'o'},  {"squared", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *outpath = NULL;
    int year = 0, from = 0, to = 0;
    bool directed = false;
    ent_sim_source_t source = ENT_SIM_SOURCE_ATOP;
    ent_similarity_options_t so = ENT_SIMILARITY_OPTIONS_INIT;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's':
            if (ent_sim_source_parse(&source, optarg) != ENT_OK) {
                return cli_usage_error("dyads", "%s", ent_errmsg());
            }
            if (source == ENT_SIM_SOURCE_UN) {
                return cli_usage_error("dyads", "--source is atop or cow (alliance dyad-years), got '%s'", optarg);
            }
            break;
        case 'y':
            if (!cli_parse_year("dyads", optarg, &year)) {
                return EXIT_USAGE;
            }
            break;
        case 'f':
            if (!cli_parse_year("dyads", optarg, &from)) {
                return EXIT_USAGE;
            }
            break;
        case 't':
            if (!cli_parse_year("dyads", optarg, &to)) {
                return EXIT_USAGE;
            }
            break;
        case 'r': directed = true; break;
        case 'o': outpath = optarg; break;
        case 'q': so.squared = true; break;
        case 'h': help(stdout); return EXIT_OK;
        default: return cli_usage_error("dyads", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc) {
        return cli_usage_error("dyads", "unexpected argument '%s'", argv[optind]);
    }
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
    if (!outpath) {
        return cli_usage_error("dyads", "--out FILE.csv is required (- for stdout)");
    }
    int checked = cli_check_out_file(outpath); /* before the work, not after it */
    if (checked != EXIT_OK) {
        return checked;
    }

    ent_store_t *st = NULL;
    ent_portfolios_t *p = NULL;
    ent_store_options_t sto = ENT_STORE_OPTIONS_INIT;
    sto.readonly = true;
    ent_err_t rc = ent_store_open(&st, cli_db_path(db), &sto);
    if (rc == ENT_OK) {
        rc = ent_portfolios_load(&p, st, source, from, to);
        if (rc == ENT_OK) {
            rc = cli_prov_store(NULL, st); /* provenance: the store and its import log */
        }
        ent_store_close(st);
    }
    if (rc != ENT_OK) {
        ent_portfolios_free(p);
        return cli_fail(rc);
    }

    /* Complete or absent: a temporary beside the target, renamed at the end (output.c). */
    bool to_stdout = strcmp(outpath, "-") == 0;
    cli_out_t out;
    int oc = cli_out_open(&out, outpath);
    if (oc != EXIT_OK) {
        ent_portfolios_free(p);
        return oc;
    }
    FILE *f = out.f;
    static char obuf[1 << 20];
    setvbuf(f, obuf, _IOFBF, sizeof obuf);

    static const struct {
        unsigned bit;
        const char *name;
    } atop_cols[] = {{ENT_OBL_DEFENSE, "defense"},
                     {ENT_OBL_OFFENSE, "offense"},
                     {ENT_OBL_NEUTRAL, "neutral"},
                     {ENT_OBL_NONAGG, "nonagg"},
                     {ENT_OBL_CONSUL, "consul"}},
      cow_cols[] = {{ENT_OBL_DEFENSE, "defense"},
                    {ENT_OBL_NEUTRAL, "neutral"},
                    {ENT_OBL_NONAGG, "nonagg"},
                    {ENT_OBL_ENTENTE, "entente"}};
    const bool atop = source == ENT_SIM_SOURCE_ATOP;
    const size_t ncols = atop ? 5 : 4;
    fputs("ccode1,ccode2,year", f);
    for (size_t k = 0; k < ncols; k++) {
        fprintf(f, ",%s", atop ? atop_cols[k].name : cow_cols[k].name);
    }
    fputs(",cinc1,cinc2,s,sw,kappa,pi,taub\n", f);

    /* Years on the threads, written in year order (cli_for_years): the same file on any number of threads. */
    dyads_ctx_t dc = {p, &so, directed, f, 0, {0}, ncols};
    for (size_t k = 0; k < ncols; k++) {
        dc.cols[k] = atop ? atop_cols[k].bit : cow_cols[k].bit;
    }
    int exit_code = cli_for_years(from, to, format_year, emit_year, &dc);
    size_t rows = dc.rows;
    ent_portfolios_free(p);
    if (exit_code == EXIT_OK) {
        exit_code = cli_out_commit(&out);
        if (exit_code == EXIT_OK && !to_stdout) {
            exit_code = cli_prov_sidecar(outpath, NULL); /* FILE.csv.prov.json */
        }
    } else {
        cli_out_abort(&out);
    }
    if (exit_code == EXIT_OK) {
        fprintf(stderr, "%zu %s dyad-years, %d-%d, %s\n", rows, directed ? "directed" : "undirected", from, to,
                ent_sim_source_name(source));
        if (!to_stdout) {
            fprintf(stderr, "wrote %s\n", outpath);
        }
    }
    return exit_code;
}
