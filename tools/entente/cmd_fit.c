/*
 * cmd_fit.c -- `entente fit`: the pact model (include/entente/pactmodel.h)
 * fitted by maximum likelihood to the historical systems built from the store,
 * the penalty and the threat reference chosen on validation years, the table
 * of estimates with standard errors, and the parameter file with provenance
 * that the forecast reads by default (data/params/pactmodel.json). The fit's
 * report (JSON and text) is written by the library (src/report/fit.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_opts.h"

/* The scores of a free-running forecast against what happened (ent_report_freerun). */
static int simulate(const char *db, const char *params, int from, int to, size_t runs, uint64_t seed, bool draw,
                    int threads, const char *out, bool json)
{
    ent_store_t *st = NULL;
    ent_pmhistory_t *h = NULL;
    ent_pactmodel_t *m = NULL;
    char *doc = NULL, *csv = NULL;
    int code = EXIT_OK;
    const char *path = params ? params : ent_pactmodel_default_path();
    ent_err_t rc = ent_pactmodel_load(&m, path);
    if (rc == ENT_OK) {
        rc = cli_prov_file(NULL, "params", path);
    }
    if (rc == ENT_OK && (rc = cli_open_store(&st, db, true, true)) == ENT_OK) {
        rc = ent_pmhistory_build(&h, st, from, to, cli_cancel_flag());
        if (rc == ENT_ERANGE) {
            /* a horizon past the data: forecast from the start year's system, nothing to score */
            rc = ent_pmhistory_build(&h, st, from, from, cli_cancel_flag());
        }
        ent_store_close(st);
    }
    ent_report_freerun_options_t fo = ENT_REPORT_FREERUN_OPTIONS_INIT;
    fo.runs = runs;
    fo.seed = seed;
    fo.draw = draw;
    fo.threads = cli_threads(threads);
    fo.cancel = cli_cancel_flag();
    if (rc == ENT_OK) {
        rc = ent_report_freerun(json ? &doc : NULL, json ? NULL : &doc, out ? &csv : NULL, m, h, from, to, &fo);
    }
    if (rc != ENT_OK) {
        code = cli_fail(rc);
        goto done;
    }
    if (out) {
        cli_out_t f;
        if (cli_out_open(&f, out) != EXIT_OK) {
            code = EXIT_IO;
            goto done;
        }
        fputs(csv, f.f);
        if ((code = cli_out_commit(&f)) != EXIT_OK) {
            goto done;
        }
        cli_prov_sidecar(out, NULL);
    }
    if (json) {
        code = cli_print_report(ENT_OK, doc);
        doc = NULL; /* freed by cli_print_report */
    } else {
        fputs(doc, stdout);
    }
done:
    ent_free(doc);
    ent_free(csv);
    ent_pactmodel_free(m);
    ent_pmhistory_free(h);
    return code;
}

typedef struct {
    int fit[2], valid[2], sim_from, sim_to;
    cli_doubles_t lambdas, threat_refs;
    size_t runs;
    const char *params;
    bool no_draw;
} fit_args_t;

static const cli_opt_t opts[] = {
    CLI_COMMON_HELP("db", "the store (default ./entente.db or $ENTENTE_DB: `make import` builds it)"),
    {.name = "fit",
     .kind = CLI_YEARS,
     .lo = 1817,
     .hi = 2100,
     .def = "1947-1980",
     .help = "the outcome years the model is fitted on",
     .field = offsetof(fit_args_t, fit)},
    {.name = "valid",
     .kind = CLI_YEARS,
     .lo = 1817,
     .hi = 2100,
     .def = "1981-1990",
     .help = "the outcome years that choose the penalty and the threat reference",
     .field = offsetof(fit_args_t, valid)},
    {.name = "lambdas",
     .kind = CLI_DOUBLES,
     .metavar = "LIST",
     .lo = 0,
     .hi = 1e6,
     .count = 16,
     .def = "1,10,100",
     .expect = "up to 16 numbers >= 0",
     .help = "ridge penalties to try (comma list)",
     .field = offsetof(fit_args_t, lambdas)},
    {.name = "threat-refs",
     .kind = CLI_DOUBLES,
     .metavar = "LIST",
     .lo = 1e-9,
     .hi = 1,
     .count = 16,
     .def = "0.001,0.003,0.01",
     .expect = "up to 16 numbers in (0, 1]",
     .help = "threat references to try, shares of world capability",
     .field = offsetof(fit_args_t, threat_refs)},
    CLI_COMMON_HELP("out", "write the parameter file (JSON with provenance; the shipped default is "
                           "data/params/pactmodel.json); with --simulate-from, the CSV ccode1,ccode2,p,observed"),
    CLI_COMMON_HELP("json", "print the result as JSON"),
    {.name = "simulate-from",
     .kind = CLI_YEAR,
     .metavar = "YEAR",
     .help = "free-running forecast from the historical system of YEAR (the second form below)",
     .field = offsetof(fit_args_t, sim_from)},
    {.name = "to",
     .kind = CLI_YEAR,
     .metavar = "YEAR",
     .def = "2018",
     .help = "with --simulate-from: the last year",
     .field = offsetof(fit_args_t, sim_to)},
    {.name = "runs",
     .kind = CLI_SIZE,
     .lo = 1,
     .hi = 1e6,
     .def = "200",
     .help = "with --simulate-from: simulated futures",
     .field = offsetof(fit_args_t, runs)},
    {.name = "params",
     .kind = CLI_STRING,
     .metavar = "FILE",
     .def = "the shipped data/params/pactmodel.json",
     .help = "with --simulate-from: the parameter file",
     .field = offsetof(fit_args_t, params)},
    {.name = "seed", .kind = CLI_COMMON, .def = "1"},
    {.name = "threads", .kind = CLI_COMMON, .lo = 0, .hi = 1024, .def = "0: OpenMP's"},
    {.name = "no-draw",
     .kind = CLI_FLAG,
     .help = "with --simulate-from: every future uses the estimates instead of its own draw of the parameters",
     .field = offsetof(fit_args_t, no_draw)},
    {0},
};

const cli_spec_t cli_spec_fit = {
    .name = "fit",
    .about = "Fits the pact model (who forms, joins and leaves defence pacts; docs/models/pactmodel.md) by\n"
             "maximum likelihood to the historical systems built from the store: the one-step-ahead likelihood of\n"
             "every new defence tie (a bilateral pact with both sides' consent, or a join of a multilateral\n"
             "treaty) and of every end of a tie in force, on outcome years --fit, for every penalty and threat\n"
             "reference of the grid, keeping the pair with the best log likelihood on outcome years --valid.\n"
             "Prints the estimates with standard errors from the observed information.\n\n"
             "With --simulate-from YEAR, a free-running forecast instead: from the historical system of YEAR,\n"
             "N simulated futures of the alliance network to --to, each with its own draw of the parameters\n"
             "from their fitted distribution (--no-draw: the estimates), and per pair not tied in YEAR the share\n"
             "of futures with a new defence tie by --to, scored against what happened (a tie in some year\n"
             "YEAR+1..to; pairs whose states are both still in the system at --to).",
    .opts = opts,
};

int cmd_fit(int argc, char **argv)
{
    ent_pmfit_options_t o = ENT_PMFIT_OPTIONS_INIT;
    fit_args_t a = {.fit = {o.fit_from, o.fit_to}, .valid = {o.valid_from, o.valid_to}, .sim_to = 2018, .runs = 200};
    cli_common_t c;
    CLI_PARSE(&cli_spec_fit, argc, argv, &a, &c);
    const char *db = c.db, *out = c.out, *params = a.params;
    bool json = c.json, draw = !a.no_draw;
    int sim_from = a.sim_from, sim_to = a.sim_to, threads = c.threads;
    double runs = (double)a.runs;
    uint64_t seed = cli_given(&cli_spec_fit, &c, "seed") ? c.seed : 1;
    o.fit_from = a.fit[0], o.fit_to = a.fit[1];
    o.valid_from = a.valid[0], o.valid_to = a.valid[1];
    if (a.lambdas.n) {
        o.lambdas = a.lambdas.v;
        o.nlambdas = a.lambdas.n;
    }
    if (a.threat_refs.n) {
        o.threat_refs = a.threat_refs.v;
        o.nthreat_refs = a.threat_refs.n;
    }
    if (sim_from) {
        if (sim_to <= sim_from || sim_from < 1817) {
            return cli_usage_error("fit", "--to %d must come after --simulate-from %d (from 1817)", sim_to, sim_from);
        }
        return simulate(db, params, sim_from, sim_to, (size_t)runs, seed, draw, threads, out, json);
    }
    if (!(o.fit_from <= o.fit_to && o.fit_to < o.valid_from && o.valid_from <= o.valid_to)) {
        return cli_usage_error("fit", "the validation years must follow the fit years (fit %d-%d, valid %d-%d)",
                               o.fit_from, o.fit_to, o.valid_from, o.valid_to);
    }
    if (out && cli_check_out_file(out) != EXIT_OK) {
        return EXIT_USAGE;
    }
    o.cancel = cli_cancel_flag();

    ent_store_t *st = NULL;
    ent_pmhistory_t *h = NULL;
    ent_pactmodel_t *m = NULL;
    ent_buf_t prov = ENT_BUF_INIT;
    ent_pmfit_report_t rep;
    int code = EXIT_OK;
    ent_err_t rc = cli_open_store(&st, db, true, true);
    if (rc == ENT_OK) {
        rc = ent_pmhistory_build(&h, st, o.fit_from - 1, o.valid_to, cli_cancel_flag());
    }
    ent_store_close(st);
    if (rc == ENT_OK) {
        rc = ent_pactmodel_new(&m);
    }
    if (rc == ENT_OK) {
        rc = ent_pactmodel_fit_history(m, &rep, h, &o);
    }
    if (rc != ENT_OK) {
        code = cli_fail(rc);
        goto done;
    }
    char split[96], date[32];
    snprintf(split, sizeof split, "fit %d-%d, validation %d-%d (outcome years)", o.fit_from, o.fit_to, o.valid_from,
             o.valid_to);
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    cli_prov_param(NULL, "split", split);
    cli_prov_param(NULL, "date", date);
    cli_prov_param(NULL, "model", "entente pact model (docs/models/pactmodel.md)");
    if (cli_prov() && ent_prov_render_json(&prov, cli_prov()) == ENT_OK) {
        ent_pactmodel_t *tmp = m;
        if ((rc = ent_pactmodel_set(tmp, ent_pactmodel_estimates(m), ent_pactmodel_covariance(m), NULL, NULL,
                                    ent_buf_cstr(&prov))) != ENT_OK) {
            code = cli_fail(rc);
            goto done;
        }
    }
    char *text = NULL;
    if (json) {
        rc = ent_report_fit(&text, m, &rep);
        code = cli_print_report(rc, text);
    } else if ((rc = ent_report_fit_text(&text, m, &rep, &o)) != ENT_OK) {
        code = cli_fail(rc);
        goto done;
    } else {
        fputs(text, stdout);
        ent_free(text);
    }
    if (out) {
        if ((rc = ent_pactmodel_save(m, out)) != ENT_OK) {
            code = cli_fail(rc);
            goto done;
        }
        if (!json) {
            printf("wrote %s\n", out);
        }
    }
done:
    ent_buf_destroy(&prov);
    ent_pactmodel_free(m);
    ent_pmhistory_free(h);
    return code;
}
