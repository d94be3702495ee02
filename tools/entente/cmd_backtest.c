/*
 * cmd_backtest.c -- `entente backtest`: scores forecasts of new defence pacts
 * on outcome years the forecaster never saw, for one or more predictors, as
 * a readable scorecard or JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

/* "v [lo, hi]" or "v" into buf */
static const char *fmt_ci(char *buf, size_t n, double v, ent_interval_t ci, int prec)
{
    if (isnan(v)) {
        snprintf(buf, n, "undefined");
    } else if (isinf(v)) {
        snprintf(buf, n, "%sinf", v < 0 ? "-" : "");
    } else if (isnan(ci.lo)) {
        snprintf(buf, n, "%.*f", prec, v);
    } else {
        snprintf(buf, n, "%.*f [%.*f, %.*f]", prec, v, prec, ci.lo, prec, ci.hi);
    }
    return buf;
}

static const ent_interval_t NOCI = {NAN, NAN};

typedef struct {
    const char *label;
    int prec;
    double (*get)(const ent_scorecard_t *s, ent_interval_t *ci);
} metric_t;

#define GET(fn, expr, cie)                                                                                             \
    static double fn(const ent_scorecard_t *s, ent_interval_t *ci)                                                     \
    {                                                                                                                  \
        *ci = cie;                                                                                                     \
        return expr;                                                                                                   \
    }
GET(g_n, (double)s->n, NOCI)
GET(g_ev, (double)s->events, NOCI)
GET(g_log, s->log_score, s->ci_log)
GET(g_brier, s->brier.brier, s->ci_brier)
GET(g_rel, s->brier.rel, NOCI)
GET(g_res, s->brier.res, NOCI)
GET(g_unc, s->brier.unc, NOCI)
GET(g_within, s->brier.within, NOCI)
GET(g_bssb, s->bss_base, s->ci_bss_base)
GET(g_bssz, s->bss_zero, NOCI)
GET(g_lssb, s->lss_base, NOCI)
GET(g_lssz, s->lss_zero, NOCI)
GET(g_auc, s->auc, s->ci_auc)
GET(g_ap, s->ap, s->ci_ap)
GET(g_r10, s->topk_recall[0], s->ci_topk_recall[0])
GET(g_r50, s->topk_recall[1], s->ci_topk_recall[1])
GET(g_r100, s->topk_recall[2], s->ci_topk_recall[2])
GET(g_r500, s->topk_recall[3], s->ci_topk_recall[3])
GET(g_p10, s->topk_precision[0], NOCI)
GET(g_p50, s->topk_precision[1], NOCI)
GET(g_p100, s->topk_precision[2], NOCI)
GET(g_p500, s->topk_precision[3], NOCI)
GET(g_t10, s->treaty_recall[0], NOCI)
GET(g_t50, s->treaty_recall[1], NOCI)
GET(g_t100, s->treaty_recall[2], NOCI)
GET(g_t500, s->treaty_recall[3], NOCI)

static const metric_t metrics[] = {
    {"rows at risk", 0, g_n},
    {"events", 0, g_ev},
    {"log score", 5, g_log},
    {"Brier", 6, g_brier},
    {"  reliability", 6, g_rel},
    {"  resolution", 6, g_res},
    {"  uncertainty", 6, g_unc},
    {"  within-bin", 6, g_within},
    {"Brier skill vs base rate", 4, g_bssb},
    {"Brier skill vs p=0", 4, g_bssz},
    {"log skill vs base rate", 4, g_lssb},
    {"log skill vs p=0", 4, g_lssz},
    {"ROC-AUC", 4, g_auc},
    {"PR-AUC (avg precision)", 4, g_ap},
    {"recall top 10", 3, g_r10},
    {"recall top 50", 3, g_r50},
    {"recall top 100", 3, g_r100},
    {"recall top 500", 3, g_r500},
    {"precision top 10", 3, g_p10},
    {"precision top 50", 3, g_p50},
    {"precision top 100", 3, g_p100},
    {"precision top 500", 3, g_p500},
    {"treaty recall top 10", 3, g_t10},
    {"treaty recall top 50", 3, g_t50},
    {"treaty recall top 100", 3, g_t100},
    {"treaty recall top 500", 3, g_t500},
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

static void print_card(ent_backtest_t **r, size_t nr, bool state)
{
    char buf[96];
    printf("%-26s", "");
    for (size_t k = 0; k < nr; k++) {
        printf(" %-30s", r[k]->predictor);
    }
    printf("\n");
    for (size_t m = 0; m < NMETRICS; m++) {
        if (state && strncmp(metrics[m].label, "treaty", 6) == 0) {
            continue;
        }
        printf("%-26s", metrics[m].label);
        for (size_t k = 0; k < nr; k++) {
            ent_interval_t ci;
            const ent_scorecard_t *s = state ? &r[k]->state : &r[k]->dyad;
            double v = metrics[m].get(s, &ci);
            printf(" %-30s", fmt_ci(buf, sizeof buf, v, ci, metrics[m].prec));
        }
        printf("\n");
    }
}

static void print_table(ent_backtest_t **r, size_t nr, const ent_backtest_options_t *o)
{
    const ent_backtest_t *a = r[0];
    printf("entente backtest: new ATOP defence ties, outcome year t+1 forecast from row year t\n");
    printf("split (outcome years): fit %d-%d (%zu at-risk dyad-years, %zu events), validation %d-%d (%zu, %zu),\n"
           "                       test %d-%d (%zu, %zu); at risk = no ATOP defence tie in t\n",
           o->fit_from, o->fit_to, a->n_fit, a->events_fit, o->valid_from, o->valid_to, a->n_valid, a->events_valid,
           o->test_from, o->test_to, a->n_test, a->events_test);
    if (o->boot) {
        printf("intervals: 90%% from %zu bootstrap resamples of the test years (seed %llu)\n", o->boot,
               (unsigned long long)o->seed);
    }
    printf("\ndyad-years (test period)\n");
    print_card(r, nr, false);
    printf("\nstate-years (does a state gain >= 1 new defence partner in t+1; p = 1 - prod(1 - p_ij))\n");
    print_card(r, nr, true);
    for (size_t k = 0; k < nr; k++) {
        const ent_backtest_t *b = r[k];
        printf("\n== %s (%.1f s)\n", b->predictor, b->seconds);
        if (b->nlambdas) {
            printf("penalty (validation log score):");
            for (size_t l = 0; l < b->nlambdas; l++) {
                printf(" %g:%.5f", b->lambdas[l], b->valid_log[l]);
            }
            printf("\nchosen lambda %g; log score fit years %.5f (in sample), validation %.5f; %d refits, %d Newton "
                   "iterations in all\n",
                   b->lambda, b->fit_log, b->valid_log_chosen, b->refits, b->newton_iters);
            if (b->absent) {
                printf("features absent from the panel, skipped: %s\n", b->absent);
            }
            printf("fit-period model (standardised coefficients):\n  %-40s %10s %12s %12s\n", "term", "coef", "mean",
                   "sd");
            printf("  %-40s %10.4f\n", "(intercept)", b->coef[0]);
            for (size_t j = 0; j < b->nfeat; j++) {
                printf("  %-40s %10.4f %12.4g %12.4g\n", b->feat_names[j], b->coef[j + 1], b->feat_mean[j],
                       b->feat_sd[j]);
            }
        } else if (!isnan(b->fit_log)) {
            printf("log score fit years %.5f, validation %.5f\n", b->fit_log, b->valid_log_chosen);
        }
        if (b->dyad.ntreaties) {
            printf("treaty formations in the test years: %zu (new dyads without a treaty: %zu)\n", b->dyad.ntreaties,
                   b->dyad.unattributed);
        }
        printf("reliability (equal-count bins, then the 1,000 highest forecasts):\n"
               "  %-10s %8s %22s %10s %10s %20s\n",
               "bin", "n", "p range", "mean p", "observed", "90% (Wilson)");
        for (size_t j = 0; j < b->nbins; j++) {
            const ent_bt_bin_t *x = &b->bins[j];
            char lab[32], rng[64];
            if (j + 1 == b->nbins) {
                snprintf(lab, sizeof lab, "top 1000");
            } else {
                snprintf(lab, sizeof lab, "%zu", j + 1);
            }
            snprintf(rng, sizeof rng, "%.2e-%.2e", x->p_lo, x->p_hi);
            printf("  %-10s %8zu %22s %10.6f %10.6f    [%.6f, %.6f]\n", lab, x->n, rng, x->p_mean, x->observed,
                   x->obs_lo, x->obs_hi);
        }
        printf("by outcome year (calibration in the large: events vs expected = sum of p):\n"
               "  %-6s %7s %7s %9s %8s %9s %9s %7s %7s %7s %7s\n",
               "year", "n", "events", "expected", "O/E", "log", "Brier", "AUC", "hit10", "hit100", "hit500");
        for (size_t j = 0; j < b->nyears; j++) {
            const ent_bt_year_t *y = &b->years[j];
            printf("  %-6d %7zu %7zu %9.2f %8.3f %9.5f %9.6f %7.3f %7.2f %7.2f %7.2f\n", y->year, y->n, y->events,
                   y->expected, y->expected > 0 ? (double)y->events / y->expected : NAN, y->log_score, y->brier, y->auc,
                   y->topk_hits[0], y->topk_hits[2], y->topk_hits[3]);
        }
    }
}

/*
 * The pact model's one-step-ahead forecast of every table row (*out: t->n values, malloc'd), from
 * the parameter file `params` ("default": the shipped one) on the historical systems of years
 * from..to built from the store; with `refit`, the rows of test outcome years from a refit on every
 * outcome year before theirs (ent_pmhistory_forecast_refit).
 */
static ent_err_t model_forecast(double **out, const char *params, const char *db, const ent_table_t *t, int from,
                                int to, bool refit, const ent_backtest_options_t *o)
{
    *out = NULL;
    ent_pactmodel_t *m = NULL;
    ent_store_t *st = NULL;
    ent_pmhistory_t *h = NULL;
    const char *path = strcmp(params, "default") == 0 ? ent_pactmodel_default_path() : params;
    ent_err_t rc = ent_pactmodel_load(&m, path);
    if (rc == ENT_OK) {
        rc = cli_prov_file(NULL, "params", path);
    }
    ent_store_options_t sto = ENT_STORE_OPTIONS_INIT;
    sto.readonly = true;
    if (rc == ENT_OK && (rc = ent_store_open(&st, cli_db_path(db), &sto)) == ENT_OK) {
        rc = ent_pmhistory_build(&h, st, from < 1817 ? 1817 : from, to, cli_cancel_flag());
        ent_store_close(st);
    }
    double *p = NULL;
    if (rc == ENT_OK && !(p = malloc((t->n ? t->n : 1) * sizeof *p))) {
        rc = ENT_ENOMEM;
    }
    if (rc == ENT_OK) {
        if (refit) {
            double secs = 0;
            /* tens of seconds of CPU a year on the full history: say what is running (and, for a test,
             * that the refit has begun) */
            fprintf(stderr, "entente: refitting the pact model before each of %d test years (Ctrl-C stops)\n",
                    o->test_to - o->test_from + 1);
            rc = ent_pmhistory_forecast_refit(p, h, m, ent_table_column(t, "ccode1"), ent_table_column(t, "ccode2"),
                                              ent_table_column(t, "year"), t->n, o->fit_from, o->test_from, o->test_to,
                                              &secs, cli_cancel_flag());
            if (rc == ENT_OK) {
                fprintf(stderr, "entente: note: pact model refitted before each of %d test years (%.0f s CPU)\n",
                        o->test_to - o->test_from + 1, secs);
            }
        } else {
            rc = ent_pmhistory_forecast(p, h, m, ent_pactmodel_estimates(m), ent_table_column(t, "ccode1"),
                                        ent_table_column(t, "ccode2"), ent_table_column(t, "year"), t->n);
        }
    }
    if (rc == ENT_OK) {
        *out = p;
    } else {
        free(p);
    }
    ent_pmhistory_free(h);
    ent_pactmodel_free(m);
    return rc;
}

typedef struct {
    const char *panel, *predictor, *features, *atop_members, *json_out, *model_refit;
    int fit[2], valid[2], test[2];
    cli_doubles_t lambdas;
    bool no_refit;
    size_t bins, boot;
} backtest_args_t;

static const cli_opt_t opts[] = {
    {.name = "panel",
     .kind = CLI_STRING,
     .metavar = "FILE.csv",
     .help = "the dyad-year panel (excludes --db)",
     .field = offsetof(backtest_args_t, panel)},
    CLI_COMMON_HELP("db", "build the panel in memory from this store (default ./entente.db or $ENTENTE_DB)"),
    {.name = "predictor",
     .kind = CLI_STRING,
     .metavar = "LIST",
     .def = "logit",
     .help = "comma list of base-rate, none, history, logit, file:PATH, model:PARAMS; file:PATH is a CSV "
             "ccode1,ccode2,year,p with year = the row's t; model:PARAMS is the pact model's one-step-ahead "
             "probability of a new defence tie (bilateral pact or join) with the parameter file PARAMS "
             "(model:default: the shipped one), on the historical systems of the store",
     .field = offsetof(backtest_args_t, predictor)},
    {.name = "fit",
     .kind = CLI_YEARS,
     .def = "1947-1980",
     .help = "outcome years on which logit and history are fitted",
     .field = offsetof(backtest_args_t, fit)},
    {.name = "valid",
     .kind = CLI_YEARS,
     .def = "1981-1990",
     .help = "outcome years that choose the penalty",
     .field = offsetof(backtest_args_t, valid)},
    {.name = "test",
     .kind = CLI_YEARS,
     .def = "1991-2018",
     .help = "outcome years scored; the models are refitted for each on every outcome before it",
     .field = offsetof(backtest_args_t, test)},
    {.name = "features",
     .kind = CLI_STRING,
     .metavar = "LIST",
     .help = "the logit's terms: COLUMN, log1p:COLUMN, log:COLUMN, or "
             "min|max|log1pmin|log1pmax|logmin|logmax:COLUMN:COLUMN",
     .field = offsetof(backtest_args_t, features)},
    {.name = "lambdas",
     .kind = CLI_DOUBLES,
     .metavar = "LIST",
     .lo = 0,
     .hi = 1e300,
     .count = 64,
     .def = "1e5,1e4,...,1e-3",
     .expect = "up to 64 numbers >= 0",
     .help = "the L2 penalty grid",
     .field = offsetof(backtest_args_t, lambdas)},
    {.name = "no-refit",
     .kind = CLI_FLAG,
     .help = "score the test years with the fit-period model",
     .field = offsetof(backtest_args_t, no_refit)},
    {.name = "model-refit",
     .kind = CLI_STRING,
     .metavar = "none|yearly",
     .def = "none",
     .help = "model:PARAMS predictors: none scores every test year with the parameter file's estimates; yearly "
             "refits the pact model before each test year on every outcome year before it (penalty and threat "
             "reference fixed at the file's, warm-started), as the logit is",
     .field = offsetof(backtest_args_t, model_refit)},
    {.name = "atop-members",
     .kind = CLI_STRING,
     .metavar = "atop5_1m.csv",
     .help = "ATOP's member file, for treaty recall (a treaty's new dyads in a year)",
     .field = offsetof(backtest_args_t, atop_members)},
    {.name = "bins",
     .kind = CLI_SIZE,
     .lo = 1,
     .hi = 1000,
     .def = "10",
     .help = "equal-count reliability/Murphy bins",
     .field = offsetof(backtest_args_t, bins)},
    {.name = "boot",
     .kind = CLI_SIZE,
     .lo = 0,
     .hi = 1e6,
     .def = "1000",
     .help = "bootstrap resamples of test years for 90% intervals (0: none)",
     .field = offsetof(backtest_args_t, boot)},
    {.name = "seed", .kind = CLI_COMMON, .hi = 9e15, .def = "1", .help = "the bootstrap's seed"},
    CLI_COMMON_OPT("threads"),
    CLI_COMMON_HELP("json", "machine-readable output"),
    {.name = "json-out",
     .kind = CLI_STRING,
     .metavar = "FILE",
     .help = "also write the JSON to FILE (the readable table stays on stdout)",
     .field = offsetof(backtest_args_t, json_out)},
    {0},
};

const cli_spec_t cli_spec_backtest = {
    .name = "backtest",
    .about = "Scores forecasts of new ATOP defence ties on the dyad-year panel FILE (the `entente dyads`\n"
             "columns; ccode1, ccode2, year, new_defence and atop_defense are required), or without --panel\n"
             "on the panel built in memory from the store (--db, default ./entente.db or $ENTENTE_DB: the\n"
             "datasets `make import` loads) over the split's years. A row of year t\n"
             "forecasts its outcome year t+1; the rows at risk are those without a defence tie in t.\n"
             "See docs/validation.md for every definition and the scorecards on the real panel.",
    .opts = opts,
};

int cmd_backtest(int argc, char **argv)
{
    ent_backtest_options_t o = ENT_BACKTEST_OPTIONS_INIT;
    backtest_args_t a = {.predictor = "logit",
                         .fit = {o.fit_from, o.fit_to},
                         .valid = {o.valid_from, o.valid_to},
                         .test = {o.test_from, o.test_to},
                         .bins = o.nbins,
                         .boot = o.boot};
    cli_common_t c;
    CLI_PARSE(&cli_spec_backtest, argc, argv, &a, &c);
    bool model_refit = false;
    if (a.model_refit && strcmp(a.model_refit, "yearly") == 0) {
        model_refit = true;
    } else if (a.model_refit && strcmp(a.model_refit, "none") != 0) {
        return cli_usage_error("backtest", "--model-refit '%s': expected none or yearly", a.model_refit);
    }
    const char *panel = a.panel, *db = c.db, *preds = a.predictor, *json_out = a.json_out;
    bool json = c.json;
    o.fit_from = a.fit[0], o.fit_to = a.fit[1];
    o.valid_from = a.valid[0], o.valid_to = a.valid[1];
    o.test_from = a.test[0], o.test_to = a.test[1];
    o.features = a.features ? a.features : o.features;
    if (a.lambdas.n) {
        o.lambdas = a.lambdas.v;
        o.nlambdas = a.lambdas.n;
    }
    o.refit = o.refit && !a.no_refit;
    o.atop_members = a.atop_members ? a.atop_members : o.atop_members;
    o.nbins = a.bins;
    o.boot = a.boot;
    if (cli_given(&cli_spec_backtest, &c, "seed")) {
        o.seed = c.seed;
    }
    if (c.threads) {
        o.threads = c.threads;
    }
    if (panel && db) {
        return cli_usage_error("backtest", "give --panel FILE or --db PATH, not both");
    }
    /* the predictors, checked before the (slow) panel is read */
    char *plist = strdup(preds), *save = NULL;
    const char *names[16];
    size_t np = 0;
    for (char *tok = strtok_r(plist, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        bool known = strcmp(tok, "base-rate") == 0 || strcmp(tok, "none") == 0 || strcmp(tok, "history") == 0 ||
                     strcmp(tok, "logit") == 0 || (strncmp(tok, "file:", 5) == 0 && tok[5]) ||
                     (strncmp(tok, "model:", 6) == 0 && tok[6]);
        if (!known || np == 16) {
            int r = cli_usage_error(
                "backtest", "unknown predictor '%s' (base-rate, none, history, logit, file:PATH, model:PARAMS)", tok);
            free(plist);
            return r;
        }
        names[np++] = tok;
    }
    if (np == 0) {
        free(plist);
        return cli_usage_error("backtest", "--predictor: an empty list");
    }
    static const char *const required[] = {"ccode1", "ccode2", "year", "new_defence", "atop_defense", NULL};
    ent_table_t t;
    ent_backtest_t *res[16] = {NULL};
    int rcode = EXIT_OK;
    ent_err_t rc;
    if (panel) {
        rc = ent_table_read_csv(&t, panel, required);
    } else {
        /* The panel of the split's row years (t = outcome year - 1), built from the store; history
         * terms read back to 1816 whatever the first year. */
        ent_store_t *st = NULL;
        ent_panel_t *pn = NULL;
        ent_store_options_t sto = ENT_STORE_OPTIONS_INIT;
        sto.readonly = true;
        ent_panel_options_t po = ENT_PANEL_OPTIONS_INIT;
        po.from = o.fit_from - 1 < 1816 ? 1816 : o.fit_from - 1;
        po.to = o.test_to;
        po.cancel = cli_cancel_flag();
        rc = ent_store_open(&st, cli_db_path(db), &sto);
        if (rc == ENT_OK) {
            rc = ent_panel_build(&pn, st, &po);
            if (rc == ENT_OK) {
                rc = cli_prov_store(NULL, st); /* provenance: the store and its import log */
            }
            ent_store_close(st);
        }
        if (rc == ENT_OK) {
            for (size_t k = 0; k < ent_panel_nnotes(pn); k++) {
                fprintf(stderr, "entente: note: %s\n", ent_panel_note(pn, k));
            }
            rc = ent_table_from_panel(&t, pn);
            if (rc != ENT_OK) {
                ent_table_destroy(&t);
            }
        } else {
            ent_table_init(&t);
        }
        ent_panel_free(pn);
    }
    if (rc != ENT_OK) {
        free(plist);
        return cli_fail(rc);
    }
    for (size_t k = 0; k < np; k++) {
        o.predictor = names[k];
        o.given = NULL;
        double *given = NULL;
        if (strncmp(names[k], "model:", 6) == 0) {
            if (panel) {
                rcode = cli_usage_error("backtest", "predictor %s needs the store (--db), not --panel", names[k]);
                goto done;
            }
            if ((rc = model_forecast(&given, names[k] + 6, db, &t, o.fit_from - 1, o.test_to - 1, model_refit, &o)) !=
                ENT_OK) {
                rcode = cli_fail(rc);
                goto done;
            }
            o.given = given;
        }
        rc = ent_backtest_run(&res[k], &t, &o);
        free(given);
        if (rc != ENT_OK) {
            rcode = cli_fail(rc);
            goto done;
        }
    }
    if (json || json_out) {
        /* the report layer's document (entente.backtest/1), with this run's provenance added */
        char *text = NULL;
        json_t *root = NULL;
        if ((rc = ent_report_backtest(&text, res, np, &o)) != ENT_OK) {
            rcode = cli_fail(rc);
            goto done;
        }
        root = json_loads(text, 0, NULL);
        ent_free(text);
        if (!root) {
            fprintf(stderr, "entente: out of memory reading the backtest report\n");
            rcode = EXIT_IO;
            goto done;
        }
        if (panel) {
            cli_prov_file(NULL, "panel", panel); /* provenance: the panel scored (hashed) */
        }
        cli_prov_attach(root, NULL);
        if (json_out) {
            /* the table for people on stdout, the same run for machines in a file, complete or absent */
            cli_out_t out;
            if ((rcode = cli_out_open(&out, json_out)) == EXIT_OK) {
                if (json_dumpf(root, out.f, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0) {
                    cli_out_abort(&out);
                    fprintf(stderr, "entente: cannot write %s\n", json_out);
                    rcode = EXIT_IO;
                } else {
                    rcode = cli_out_commit(&out);
                }
            }
            if (!json) {
                json_decref(root);
                print_table(res, np, &o);
            } else {
                rcode = rcode ? rcode : cli_print_json(root);
            }
        } else {
            rcode = cli_print_json(root);
        }
    } else {
        print_table(res, np, &o);
    }
done:
    for (size_t k = 0; k < np; k++) {
        ent_backtest_free(res[k]);
    }
    ent_table_destroy(&t);
    free(plist);
    return rcode;
}
