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

/*
 * The scores of a free-running forecast against what happened (ent_report_freerun); with recal > 0 the
 * model's intercepts first shifted to the base rates of outcome years from-recal..from-1
 * (ent_pm_recalibrate_history), which the history then reaches back to.
 */
static int simulate(const char *db, const char *params, int from, int to, size_t runs, uint64_t seed, bool draw,
                    int threads, int recal, const char *out, bool json)
{
    ent_store_t *st = NULL;
    ent_pmhistory_t *h = NULL;
    ent_pactmodel_t *m = NULL;
    char *doc = NULL, *csv = NULL;
    int code = EXIT_OK, first = recal > 0 ? from - recal - 1 : from;
    ent_pm_recal_t rcl;
    const char *path = params ? params : ent_pactmodel_default_path();
    ent_err_t rc = ent_pactmodel_load(&m, path);
    if (rc == ENT_OK) {
        rc = cli_prov_file(NULL, "params", path);
    }
    if (rc == ENT_OK && (rc = cli_open_store(&st, db, true, true)) == ENT_OK) {
        rc = ent_pmhistory_build(&h, st, first, to, cli_cancel_flag());
        if (rc == ENT_ERANGE) {
            /* a horizon past the data: forecast from the start year's system, nothing to score */
            rc = ent_pmhistory_build(&h, st, first, from, cli_cancel_flag());
        }
        ent_store_close(st);
    }
    if (rc == ENT_OK && recal > 0 && (rc = ent_pm_recalibrate_history(&rcl, m, h, from, recal)) == ENT_OK) {
        rc = ent_pm_recal_apply(m, &rcl);
    }
    ent_report_freerun_options_t fo = ENT_REPORT_FREERUN_OPTIONS_INIT;
    fo.runs = runs;
    fo.seed = seed;
    fo.draw = draw;
    fo.threads = cli_threads(threads);
    fo.cancel = cli_cancel_flag();
    fo.recal = recal > 0 ? &rcl : NULL;
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
    int fit[2], valid[2], sim_from, sim_to, recalibrate;
    cli_doubles_t lambdas, threat_refs, lesser_broads;
    size_t runs;
    const char *params;
    bool no_draw, alignment, by_year, record;
    int years[2];
    cli_doubles_t states;
    double margin;
    int lag;
    const char *observable, *hold;
} fit_args_t;

static const char *const observables[] = {"security", "votes", NULL};

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
     .help = "the outcome years that choose the breadth, the penalty and the threat reference",
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
    {.name = "lesser-broad",
     .kind = CLI_DOUBLES,
     .metavar = "LIST",
     .lo = 3,
     .hi = 255,
     .count = 16,
     .def = "5,8,10,15,20",
     .expect = "up to 16 integers in 3..255",
     .help = "breadths K to try: a pair bound by a lesser obligation only through treaties of K members or more "
             "shares a region-wide declaration (the term lesser_broad), else a narrow one (lesser); the chosen "
             "K is recorded in the parameter file",
     .field = offsetof(fit_args_t, lesser_broads)},
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
    {.name = "recalibrate",
     .kind = CLI_INT,
     .metavar = "N",
     .lo = 1,
     .hi = 100,
     .def = "off",
     .help = "with --simulate-from: first re-estimate the formation and termination intercepts by maximum "
             "likelihood on the N outcome years before YEAR (YEAR-N..YEAR-1), every other parameter held at the "
             "fit, and run the forecast with them; the report states each shift, its SE and the window",
     .field = offsetof(fit_args_t, recalibrate)},
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
     .help = "fit the alignment choice instead (docs/models/alignment.md, \"The fit\"): Cold War alignment "
             "observed from security ties or UN votes (--observable); --out writes data/params/alignment*.json's form",
     .field = offsetof(fit_args_t, alignment)},
    {.name = "observable",
     .kind = CLI_ENUM,
     .choices = observables,
     .def = "security",
     .help = "with --alignment: security (an ATOP defence tie with one pole's camp only: the pole and its "
             "bloc-defining treaties' members; data/params/alignment-security.json) or votes (the UN ideal "
             "point's lean, --margin; data/params/alignment.json)",
     .field = offsetof(fit_args_t, observable)},
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
     .help = "with --alignment --observable votes: aligned with a pole when within this share of the poles' UN "
             "ideal-point gap nearest it (lean >= margin)",
     .field = offsetof(fit_args_t, margin)},
    {.name = "hold",
     .kind = CLI_STRING,
     .metavar = "LIST",
     .help = "with --alignment: terms held at a value instead of estimated, as name=value,... (names as printed: "
             "beta_security=8 profiles the security weight at the simulation's value; the log likelihoods of two "
             "fits give the likelihood-ratio test)",
     .field = offsetof(fit_args_t, hold)},
    {.name = "by-year",
     .kind = CLI_FLAG,
     .help = "with --alignment: also print, per outcome year, the choices, the shares hedging and aligned with "
             "each pole, and the share that switched",
     .field = offsetof(fit_args_t, by_year)},
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
             "treaty) and of every end of a tie in force, on outcome years --fit, for every breadth of a\n"
             "region-wide declaration, penalty and threat reference of the grid, keeping the point with the best\n"
             "log likelihood on outcome years --valid.\n"
             "Prints the estimates with standard errors from the observed information.\n\n"
             "With --simulate-from YEAR, a free-running forecast instead: from the historical system of YEAR,\n"
             "N simulated futures of the alliance network to --to, each with its own draw of the parameters\n"
             "from their fitted distribution (--no-draw: the estimates), and per pair not tied in YEAR the share\n"
             "of futures with a new defence tie by --to, scored against what happened (a tie in some year\n"
             "YEAR+1..to; pairs whose states are both still in the system at --to).\n\n"
             "With --alignment, the simulation's alignment choice instead: Cold War alignment with the US or the\n"
             "USSR (or hedging) observed from security ties (ATOP defence pacts with a pole's camp) or from UN\n"
             "ideal points (--observable votes, --margin), fitted on --fit with standard errors clustered by\n"
             "state, scored on --valid against persistence, an inertia-only model and two baseline logits.\n\n"
             "With --record, each pole's record instead: every defence-pact decision of the state on outcome\n"
             "years --years that the fit's likelihood counts, under --params with no offset, which the\n"
             "simulation conditions the poles' norm priors on (the shipped data/params/record.json).",
    .opts = opts,
};

/* Per outcome year: choices, counts hedging / with pole 0 / with pole 1, switches. */
typedef struct {
    size_t n, c[ENT_ALIGNFIT_NOPT], sw;
} year_count_t;

static void count_year(year_count_t *yc, const ent_alignfit_data_t *d, int y)
{
    memset(yc, 0, sizeof *yc);
    for (size_t r = 0; r < d->n; r++) {
        if (d->year[r] == y) {
            yc->n++;
            yc->c[d->y[r]]++;
            yc->sw += d->y[r] != d->prev[r];
        }
    }
}

static json_t *by_year_json(const ent_alignfit_data_t *d, int from, int to)
{
    json_t *arr = json_array();
    for (int y = from; y <= to; y++) {
        year_count_t yc;
        count_year(&yc, d, y);
        json_t *e = json_object();
        json_object_set_new(e, "year", json_integer(y));
        json_object_set_new(e, "choices", json_integer((json_int_t)yc.n));
        json_object_set_new(e, "hedging", json_integer((json_int_t)yc.c[0]));
        json_object_set_new(e, "pole0", json_integer((json_int_t)yc.c[1]));
        json_object_set_new(e, "pole1", json_integer((json_int_t)yc.c[2]));
        json_object_set_new(e, "switches", json_integer((json_int_t)yc.sw));
        json_array_append_new(arr, e);
    }
    return arr;
}

static void print_by_year(const ent_alignfit_data_t *d, int from, int to)
{
    printf("\n%-6s %7s %8s %8s %8s %8s\n", "year", "choices", "hedging", "pole 0", "pole 1", "switched");
    for (int y = from; y <= to; y++) {
        year_count_t yc;
        count_year(&yc, d, y);
        double n = yc.n ? (double)yc.n : NAN;
        printf("%-6d %7zu %8.3f %8.3f %8.3f %8.3f\n", y, yc.n, (double)yc.c[0] / n, (double)yc.c[1] / n,
               (double)yc.c[2] / n, (double)yc.sw / n);
    }
}

/*
 * --hold name=value,...: free[k] false and init[k] the value for each term named. False (with a usage
 * message printed) on an unknown name, a value that is not a finite number, or a term named twice.
 */
static bool parse_hold(bool *free_, double *init, const char *list)
{
    for (size_t k = 0; k < ENT_AF_NTERMS; k++) {
        free_[k] = true;
        init[k] = 0;
    }
    if (!list) {
        return true;
    }
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ","), nl = strcspn(p, "=");
        char name[64], *end = NULL;
        if (nl >= len || nl == 0 || nl >= sizeof name) {
            cli_usage_error("fit", "--hold: '%.*s' is not name=value", (int)len, p);
            return false;
        }
        memcpy(name, p, nl);
        name[nl] = '\0';
        size_t k = 0;
        while (ent_alignfit_term_name(k) && strcmp(ent_alignfit_term_name(k), name) != 0) {
            k++;
        }
        if (!ent_alignfit_term_name(k)) {
            cli_usage_error("fit",
                            "--hold: unknown term '%s' (beta_security, beta_foreign, beta_regime, "
                            "beta_entrapment, beta_autonomy, switching_cost, pact_inertia)",
                            name);
            return false;
        }
        double v = strtod(p + nl + 1, &end);
        if (end != p + len || end == p + nl + 1 || !isfinite(v)) {
            cli_usage_error("fit", "--hold: %s: expected a number, got '%.*s'", name, (int)(len - nl - 1), p + nl + 1);
            return false;
        }
        if (!free_[k]) {
            cli_usage_error("fit", "--hold: %s given twice", name);
            return false;
        }
        free_[k] = false;
        init[k] = v;
        p += len + (p[len] == ',');
    }
    return true;
}

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
static int fit_alignment(const char *db, const fit_args_t *a, const bool *free_, const double *init, const char *out,
                         bool json)
{
    ent_alignfit_options_t ao = ENT_ALIGNFIT_OPTIONS_INIT;
    bool votes = strcmp(a->observable, "votes") == 0;
    ao.observable = votes ? ENT_ALIGNFIT_VOTES : ENT_ALIGNFIT_SECURITY;
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
        rc = ent_alignfit_fit(&res, &d, a->fit[0], a->fit[1], free_, init);
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
            json_object_set_new(e, "held", json_boolean(!free_[j]));
            json_array_append_new(ps, e);
        }
        json_object_set_new(root, "params", ps);
        json_object_set_new(root, "observable", json_string(a->observable));
        if (votes) {
            json_object_set_new(root, "margin", cli_json_num(ao.margin));
        }
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
        json_object_set_new(root, "valid_inertia", cli_json_num(sc.inertia));
        json_object_set_new(root, "valid_hit_inertia", cli_json_num(sc.hit_inertia));
        json_object_set_new(root, "valid_mnl", cli_json_num(sc.mnl));
        json_object_set_new(root, "valid_hit_mnl", cli_json_num(sc.hit_mnl));
        if (a->by_year) {
            json_object_set_new(root, "years", by_year_json(&d, a->fit[0], a->valid[1]));
        }
        code = cli_print_json(root);
    } else {
        char what[96];
        if (votes) {
            snprintf(what, sizeof what, "UN ideal points, margin %g", ao.margin);
        } else {
            snprintf(what, sizeof what, "security ties (ATOP defence ties with a pole's camp)");
        }
        printf("alignment choice, fitted on outcome years %d-%d: %zu choices of %zu states (%zu switches); "
               "observable: %s; foreign-policy term lagged %d year(s); temperature = 1\n",
               a->fit[0], a->fit[1], res.n, res.clusters, res.switches, what, ao.lag);
        printf("\n%-18s %10s %9s %9s %7s\n", "parameter", "estimate", "se", "se(state)", "z(state)");
        for (size_t j = 0; j < k; j++) {
            double se = sqrt(res.cov[j * k + j]), sc_ = sqrt(res.cov_cl[j * k + j]);
            if (!free_[j]) {
                printf("%-18s %10.4f  (held)\n", ent_alignfit_term_name(j), res.theta[j]);
                continue;
            }
            printf("%-18s %10.4f %9.4f %9.4f %7.2f\n", ent_alignfit_term_name(j), res.theta[j], se, sc_,
                   res.theta[j] / sc_);
        }
        printf("\nlog likelihood %.2f; %d Newton iterations\n", res.loglik, res.iterations);
        printf("scored on %d-%d (%zu choices), mean log likelihood per choice / share predicted:\n", a->valid[0],
               a->valid[1], sc.n);
        printf("  model        %.4f  %.3f\n  persistence  %.4f  %.3f  (switch rate %.3f of the fit years)\n"
               "  MNL baseline %.4f  %.3f  (pole constants and persistence)\n"
               "  inertia only %.4f  %.3f  (the model's switching cost, pact inertia and autonomy)\n"
               "  MNL, same covariates %.4f  %.3f  (constants, persistence, each covariate per pole)\n",
               sc.model, sc.hit_model, sc.persistence, sc.hit_persistence, sc.switch_rate, sc.baseline, sc.hit_baseline,
               sc.inertia, sc.hit_inertia, sc.mnl, sc.hit_mnl);
        if (a->by_year) {
            print_by_year(&d, a->fit[0], a->valid[1]);
        }
    }
    if (out) {
        char split[96], margin[32];
        snprintf(split, sizeof split, "fit %d-%d, scored %d-%d (outcome years)", a->fit[0], a->fit[1], a->valid[0],
                 a->valid[1]);
        if (votes) {
            snprintf(margin, sizeof margin, "%g, lag %d", ao.margin, ao.lag);
        } else {
            snprintf(margin, sizeof margin, "%d", ao.lag);
        }
        cli_prov_param(NULL, "split", split);
        cli_prov_param(NULL, "observable", a->observable);
        if (a->hold) {
            cli_prov_param(NULL, "hold", a->hold);
        }
        cli_prov_param(NULL, votes ? "margin" : "lag", margin);
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
                    .lag = 1,
                    .observable = observables[0]};
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
    if (a.lesser_broads.n) {
        for (size_t k = 0; k < a.lesser_broads.n; k++) {
            if (a.lesser_broads.v[k] != floor(a.lesser_broads.v[k])) {
                return cli_usage_error("fit", "--lesser-broad %g: a member count (an integer in 3..255)",
                                       a.lesser_broads.v[k]);
            }
        }
        o.lesser_broads = a.lesser_broads.v;
        o.nlesser_broads = a.lesser_broads.n;
    }
    if (sim_from) {
        if (sim_to <= sim_from || sim_from < 1817) {
            return cli_usage_error("fit", "--to %d must come after --simulate-from %d (from 1817)", sim_to, sim_from);
        }
        return simulate(db, params, sim_from, sim_to, (size_t)runs, seed, draw, threads, a.recalibrate, out, json);
    }
    if (a.recalibrate) {
        return cli_usage_error("fit", "--recalibrate goes with --simulate-from");
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
        if (cli_given(&cli_spec_fit, &c, "margin") && strcmp(a.observable, "votes") != 0) {
            return cli_usage_error("fit", "--margin goes with --observable votes (the security observable has none)");
        }
        bool free_[ENT_AF_NTERMS];
        double init[ENT_AF_NTERMS];
        if (!parse_hold(free_, init, a.hold)) {
            return EXIT_USAGE;
        }
        return fit_alignment(db, &a, free_, init, out, json);
    }
    if (a.record) {
        if (a.years[0] > a.years[1]) {
            return cli_usage_error("fit", "--years %d-%d: the first year comes first", a.years[0], a.years[1]);
        }
        return fit_record(db, &a, out, json);
    }
    if (cli_given(&cli_spec_fit, &c, "margin") || cli_given(&cli_spec_fit, &c, "lag") ||
        cli_given(&cli_spec_fit, &c, "observable") || cli_given(&cli_spec_fit, &c, "by-year") || a.hold) {
        return cli_usage_error("fit", "--observable, --margin, --lag, --hold and --by-year go with --alignment");
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
