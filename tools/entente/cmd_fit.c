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
    bool no_draw, alignment, record;
    int years[2];
    cli_doubles_t states;
    double margin;
    int lag;
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
     .help = "with --simulate-from or --record: the parameter file",
     .field = offsetof(fit_args_t, params)},
    {.name = "seed", .kind = CLI_COMMON, .def = "1"},
    {.name = "threads", .kind = CLI_COMMON, .lo = 0, .hi = 1024, .def = "0: OpenMP's"},
    {.name = "no-draw",
     .kind = CLI_FLAG,
     .help = "with --simulate-from: every future uses the estimates instead of its own draw of the parameters",
     .field = offsetof(fit_args_t, no_draw)},
    {.name = "alignment",
     .kind = CLI_FLAG,
     .help = "fit the alignment choice instead (docs/models/alignment.md, \"The fit\"): UN votes make "
             "Cold War alignment observable; --out writes data/params/alignment.json's form",
     .field = offsetof(fit_args_t, alignment)},
    {.name = "record",
     .kind = CLI_FLAG,
     .help = "write each pole's record instead (docs/models/alignment.md, \"The norm prior, conditioned on the "
             "record\"): its defence-pact decisions on outcome years --years under the parameter file --params; "
             "--out writes data/params/record.json's form",
     .field = offsetof(fit_args_t, record)},
    {.name = "years",
     .kind = CLI_YEARS,
     .lo = 1817,
     .hi = 2100,
     .def = "1991-2018",
     .help = "with --record: the outcome years of the record",
     .field = offsetof(fit_args_t, years)},
    {.name = "states",
     .kind = CLI_DOUBLES,
     .metavar = "LIST",
     .lo = 1,
     .hi = 999,
     .count = 64,
     .def = "every COW major power of the years",
     .expect = "up to 64 COW state codes",
     .help = "with --record: the states whose record is written (the scenarios' poles are COW major powers)",
     .field = offsetof(fit_args_t, states)},
    {.name = "margin",
     .kind = CLI_DOUBLE,
     .lo = 0,
     .hi = 0.99,
     .def = "0.5",
     .help = "with --alignment: aligned with a pole when within this share of the poles' UN ideal-point gap "
             "nearest it (lean >= margin)",
     .field = offsetof(fit_args_t, margin)},
    {.name = "lag",
     .kind = CLI_INT,
     .lo = 1,
     .hi = 20,
     .def = "1",
     .help = "with --alignment: the foreign-policy term reads the ideal points of this many years before",
     .field = offsetof(fit_args_t, lag)},
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
             "YEAR+1..to; pairs whose states are both still in the system at --to).\n\n"
             "With --alignment, the simulation's alignment choice instead: Cold War alignment with the US or the\n"
             "USSR (or hedging) observed from UN ideal points (--margin), fitted on --fit with standard errors\n"
             "clustered by state, scored on --valid against persistence and a baseline logit.\n\n"
             "With --record, each pole's record instead: every defence-pact decision of the state on outcome\n"
             "years --years that the fit's likelihood counts, under --params with no offset, which the\n"
             "simulation conditions the poles' norm priors on (the shipped data/params/record.json).",
    .opts = opts,
};

/* Each pole's record (ent_pmrecord_build): what the simulation conditions the norm priors on. */
static int fit_record(const char *db, const fit_args_t *a, const char *out, bool json)
{
    ent_store_t *st = NULL;
    ent_pmhistory_t *h = NULL;
    ent_pactmodel_t *m = NULL;
    ent_pmrecord_t *r = NULL;
    ent_buf_t prov = ENT_BUF_INIT;
    int code = EXIT_OK;
    int32_t cc[64];
    for (size_t k = 0; k < a->states.n; k++) {
        cc[k] = (int32_t)a->states.v[k];
    }
    const char *path = a->params ? a->params : ent_pactmodel_default_path();
    ent_err_t rc = ent_pactmodel_load(&m, path);
    if (rc == ENT_OK) {
        rc = cli_prov_file(NULL, "params", path);
    }
    if (rc == ENT_OK && (rc = cli_open_store(&st, db, true, true)) == ENT_OK) {
        rc = ent_pmhistory_build(&h, st, a->years[0] - 1, a->years[1], cli_cancel_flag());
        ent_store_close(st);
    }
    if (rc == ENT_OK) {
        rc = cli_prov_file(NULL, "neutrality", ent_pmneutral_default_path());
    }
    if (rc == ENT_OK) {
        rc = cli_prov_file(NULL, "treaty-access", ent_pmaccess_default_path());
    }
    const ent_sysyear_t *sys[2101 - 1816];
    size_t nsys = 0;
    for (int y = a->years[0] - 1; rc == ENT_OK && y <= a->years[1]; y++) {
        sys[nsys++] = ent_pmhistory_year(h, y);
    }
    if (rc == ENT_OK) {
        rc = ent_pmrecord_build(&r, sys, nsys, m, cc, a->states.n, a->years[0], a->years[1]);
    }
    if (rc != ENT_OK) {
        code = cli_fail(rc);
        goto done;
    }
    int32_t all[ENT_PM_MAX_CCODE];
    size_t nall = 0;
    for (int32_t c = 1; c < ENT_PM_MAX_CCODE; c++) {
        if (ent_pmrecord_has(r, c)) {
            all[nall++] = c;
        }
    }
    if (json) {
        json_t *root = json_object(), *ss = json_array();
        for (size_t k = 0; k < nall; k++) {
            size_t formed = 0;
            int from = 0, to = 0;
            size_t nd = ent_pmrecord_count(r, all[k], &formed, &from, &to);
            double arg = 0, mx = ent_pmrecord_max(r, all[k], -1000, 0, &arg);
            json_t *e = json_object();
            json_object_set_new(e, "ccode", json_integer(all[k]));
            json_object_set_new(e, "decisions", json_integer((json_int_t)nd));
            json_object_set_new(e, "formed", json_integer((json_int_t)formed));
            json_object_set_new(e, "from", json_integer(from));
            json_object_set_new(e, "to", json_integer(to));
            json_object_set_new(e, "loglik_0", cli_json_num(ent_pmrecord_loglik(r, all[k], 0)));
            json_object_set_new(e, "loglik_max", cli_json_num(mx));
            json_object_set_new(e, "offset_max", cli_json_num(arg));
            json_array_append_new(ss, e);
        }
        json_object_set_new(root, "states", ss);
        code = cli_print_json(root);
    } else {
        printf("record: outcome years %d-%d, the pact model of %s with no offset\n", a->years[0], a->years[1], path);
        printf("%6s %9s %6s %11s %11s %9s\n", "state", "decisions", "formed", "logL(o=0)", "max logL", "at o");
        for (size_t k = 0; k < nall; k++) {
            size_t formed = 0;
            size_t nd = ent_pmrecord_count(r, all[k], &formed, NULL, NULL);
            double arg = 0, mx = ent_pmrecord_max(r, all[k], -1000, 0, &arg);
            printf("%6d %9zu %6zu %11.3f %11.3f %9.2f\n", (int)all[k], nd, formed, ent_pmrecord_loglik(r, all[k], 0),
                   mx, arg);
        }
    }
    if (out) {
        char years[48], date[32];
        snprintf(years, sizeof years, "%d-%d (outcome years)", a->years[0], a->years[1]);
        time_t now = time(NULL);
        struct tm tmv;
        gmtime_r(&now, &tmv);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tmv);
        cli_prov_param(NULL, "years", years);
        cli_prov_param(NULL, "date", date);
        cli_prov_param(NULL, "model", "entente pole record (docs/models/alignment.md)");
        const char *pj = NULL;
        if (cli_prov() && ent_prov_render_json(&prov, cli_prov()) == ENT_OK) {
            pj = ent_buf_cstr(&prov);
        }
        if ((rc = ent_pmrecord_save(r, out, pj)) != ENT_OK) {
            code = cli_fail(rc);
            goto done;
        }
        if (!json) {
            printf("wrote %s\n", out);
        }
    }
done:
    ent_buf_destroy(&prov);
    ent_pmrecord_free(r);
    ent_pactmodel_free(m);
    ent_pmhistory_free(h);
    return code;
}

/* The alignment choice: fitted on --fit, scored on --valid (include/entente/alignfit.h). */
static int fit_alignment(const char *db, const fit_args_t *a, const char *out, bool json)
{
    ent_alignfit_options_t ao = ENT_ALIGNFIT_OPTIONS_INIT;
    ao.margin = a->margin;
    ao.lag = a->lag;
    ent_store_t *st = NULL;
    ent_pmhistory_t *h = NULL;
    ent_alignfit_data_t d = ENT_ALIGNFIT_DATA_INIT;
    ent_alignfit_result_t res;
    ent_alignfit_scores_t sc;
    ent_buf_t prov = ENT_BUF_INIT;
    int code = EXIT_OK, first = a->fit[0] - (a->lag > 1 ? a->lag : 1);
    ent_store_options_t sto = ENT_STORE_OPTIONS_INIT;
    sto.readonly = true;
    ent_err_t rc = ent_store_open(&st, cli_db_path(db), &sto);
    if (rc == ENT_OK) {
        rc = ent_pmhistory_build(&h, st, first, a->valid[1], cli_cancel_flag());
    }
    if (rc == ENT_OK) {
        rc = ent_alignfit_data_build(&d, st, h, a->fit[0], a->valid[1], &ao);
    }
    if (rc == ENT_OK) {
        rc = cli_prov_store(NULL, st);
    }
    ent_store_close(st);
    if (rc == ENT_OK) {
        rc = ent_alignfit_fit(&res, &d, a->fit[0], a->fit[1], NULL, NULL);
    }
    if (rc == ENT_OK) {
        rc = ent_alignfit_score(&sc, &d, res.theta, a->fit[0], a->fit[1], a->valid[0], a->valid[1]);
    }
    if (rc != ENT_OK) {
        code = cli_fail(rc);
        goto done;
    }
    size_t k = res.k;
    if (json) {
        json_t *root = json_object(), *ps = json_array();
        for (size_t j = 0; j < k; j++) {
            json_t *e = json_object();
            json_object_set_new(e, "name", json_string(ent_alignfit_term_name(j)));
            json_object_set_new(e, "estimate", cli_json_num(res.theta[j]));
            json_object_set_new(e, "se", cli_json_num(sqrt(res.cov[j * k + j])));
            json_object_set_new(e, "se_cluster", cli_json_num(sqrt(res.cov_cl[j * k + j])));
            json_array_append_new(ps, e);
        }
        json_object_set_new(root, "params", ps);
        json_object_set_new(root, "margin", cli_json_num(ao.margin));
        json_object_set_new(root, "lag", json_integer(ao.lag));
        json_object_set_new(root, "choices", json_integer((json_int_t)res.n));
        json_object_set_new(root, "states", json_integer((json_int_t)res.clusters));
        json_object_set_new(root, "switches", json_integer((json_int_t)res.switches));
        json_object_set_new(root, "fit_loglik", cli_json_num(res.loglik));
        json_object_set_new(root, "valid_choices", json_integer((json_int_t)sc.n));
        json_object_set_new(root, "valid_model", cli_json_num(sc.model));
        json_object_set_new(root, "valid_persistence", cli_json_num(sc.persistence));
        json_object_set_new(root, "valid_baseline", cli_json_num(sc.baseline));
        json_object_set_new(root, "valid_hit_model", cli_json_num(sc.hit_model));
        json_object_set_new(root, "valid_hit_persistence", cli_json_num(sc.hit_persistence));
        json_object_set_new(root, "valid_hit_baseline", cli_json_num(sc.hit_baseline));
        code = cli_print_json(root);
    } else {
        printf("alignment choice, fitted on outcome years %d-%d: %zu choices of %zu states (%zu switches); "
               "observable: UN ideal points, margin %g; foreign-policy term lagged %d year(s); temperature = 1\n",
               a->fit[0], a->fit[1], res.n, res.clusters, res.switches, ao.margin, ao.lag);
        printf("\n%-18s %10s %9s %9s %7s\n", "parameter", "estimate", "se", "se(state)", "z(state)");
        for (size_t j = 0; j < k; j++) {
            double se = sqrt(res.cov[j * k + j]), sc_ = sqrt(res.cov_cl[j * k + j]);
            printf("%-18s %10.4f %9.4f %9.4f %7.2f\n", ent_alignfit_term_name(j), res.theta[j], se, sc_,
                   res.theta[j] / sc_);
        }
        printf("\nlog likelihood %.2f; %d Newton iterations\n", res.loglik, res.iterations);
        printf("scored on %d-%d (%zu choices), mean log likelihood per choice / share predicted:\n", a->valid[0],
               a->valid[1], sc.n);
        printf("  model        %.4f  %.3f\n  persistence  %.4f  %.3f  (switch rate %.3f of the fit years)\n"
               "  MNL baseline %.4f  %.3f  (pole constants and persistence)\n",
               sc.model, sc.hit_model, sc.persistence, sc.hit_persistence, sc.switch_rate, sc.baseline,
               sc.hit_baseline);
    }
    if (out) {
        char split[96], margin[32];
        snprintf(split, sizeof split, "fit %d-%d, scored %d-%d (outcome years)", a->fit[0], a->fit[1], a->valid[0],
                 a->valid[1]);
        snprintf(margin, sizeof margin, "%g, lag %d", ao.margin, ao.lag);
        cli_prov_param(NULL, "split", split);
        cli_prov_param(NULL, "margin", margin);
        cli_prov_param(NULL, "model", "entente alignment choice (docs/models/alignment.md)");
        const char *pj = NULL;
        if (cli_prov() && ent_prov_render_json(&prov, cli_prov()) == ENT_OK) {
            pj = ent_buf_cstr(&prov);
        }
        if ((rc = ent_alignfit_save(out, &res, &ao, a->fit[0], a->fit[1], &sc, a->valid[0], a->valid[1], pj)) !=
            ENT_OK) {
            code = cli_fail(rc);
            goto done;
        }
        if (!json) {
            printf("wrote %s\n", out);
        }
    }
done:
    ent_buf_destroy(&prov);
    ent_alignfit_data_destroy(&d);
    ent_pmhistory_free(h);
    return code;
}

int cmd_fit(int argc, char **argv)
{
    ent_pmfit_options_t o = ENT_PMFIT_OPTIONS_INIT;
    fit_args_t a = {.fit = {o.fit_from, o.fit_to},
                    .valid = {o.valid_from, o.valid_to},
                    .sim_to = 2018,
                    .years = {1991, 2018},
                    .runs = 200,
                    .margin = 0.5,
                    .lag = 1};
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
    if (a.alignment && a.record) {
        return cli_usage_error("fit", "--alignment and --record are different jobs: give one");
    }
    if (a.alignment) {
        return fit_alignment(db, &a, out, json);
    }
    if (a.record) {
        if (a.years[0] > a.years[1]) {
            return cli_usage_error("fit", "--years %d-%d: the first year comes first", a.years[0], a.years[1]);
        }
        return fit_record(db, &a, out, json);
    }
    if (cli_given(&cli_spec_fit, &c, "margin") || cli_given(&cli_spec_fit, &c, "lag")) {
        return cli_usage_error("fit", "--margin and --lag go with --alignment");
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
    /* the hand-coded tables the historical systems read are inputs of the fit as much as the store */
    if (rc == ENT_OK) {
        rc = cli_prov_file(NULL, "neutrality", ent_pmneutral_default_path());
    }
    if (rc == ENT_OK) {
        rc = cli_prov_file(NULL, "treaty-access", ent_pmaccess_default_path());
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
