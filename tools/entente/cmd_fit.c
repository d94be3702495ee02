/*
 * cmd_fit.c -- `entente fit`: the pact model (include/entente/pactmodel.h)
 * fitted by maximum likelihood to the historical systems built from the store,
 * the penalty and the threat reference chosen on validation years, the table
 * of estimates with standard errors, and the parameter file with provenance
 * that the forecast reads by default (data/params/pactmodel.json).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: entente fit [--db PATH] [--fit Y1-Y2] [--valid Y1-Y2] [--lambdas LIST] [--threat-refs LIST]\n"
               "                   [--out FILE] [--json]\n"
               "Fits the pact model (who forms, joins and leaves defence pacts; docs/models/pactmodel.md) by\n"
               "maximum likelihood to the historical systems built from the store (--db, default ./entente.db or\n"
               "$ENTENTE_DB: `make import` builds it): the one-step-ahead likelihood of every new defence tie (a\n"
               "bilateral pact with both sides' consent, or a join of a multilateral treaty) and of every end of a\n"
               "tie in force, on outcome years --fit (default 1947-1980), for every penalty and threat reference\n"
               "of the grid, keeping the pair with the best log likelihood on outcome years --valid (default\n"
               "1981-1990). Prints the estimates with standard errors from the observed information.\n"
               "  --lambdas LIST      ridge penalties to try (comma list, default 1,10,100)\n"
               "  --threat-refs LIST  threat references to try, shares of world capability (default 0.001,0.003,0.01)\n"
               "  --out FILE          write the parameter file (JSON with provenance); the shipped default is\n"
               "                      data/params/pactmodel.json\n"
               "  --json              print the result as JSON\n\n"
               "usage: entente fit --simulate-from YEAR [--to YEAR] [--runs N] [--params FILE] [--seed N]\n"
               "                   [--threads N] [--no-draw] [--db PATH] [--out FILE.csv] [--json]\n"
               "Free-running forecast: from the historical system of YEAR, N simulated futures of the alliance\n"
               "network to --to (default 2018), each with its own draw of the parameters from their fitted\n"
               "distribution (--no-draw: the estimates), and per pair not tied in YEAR the share of futures with\n"
               "a new defence tie by --to, scored against what happened (a tie in some year YEAR+1..to; pairs\n"
               "whose states are both still in the system at --to). --out writes ccode1,ccode2,p,observed.\n"
               "  --params FILE       the parameter file (default: the shipped data/params/pactmodel.json)\n"
               "  --runs N            simulated futures (default 200); --seed N (default 1)\n");
}

static int parse_list(const char *s, double *out, size_t max, size_t *n, double lo, double hi)
{
    *n = 0;
    char buf[512];
    if (strlen(s) >= sizeof buf) {
        return -1;
    }
    strcpy(buf, s);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        double v;
        if (*n == max || !cli_parse_double(tok, lo, hi, &v)) {
            return -1;
        }
        out[(*n)++] = v;
    }
    return *n ? 0 : -1;
}

/* The scores of a free-running forecast against what happened. */
static int simulate(const char *db, const char *params, int from, int to, size_t runs, uint64_t seed, bool draw,
                    int threads, const char *out, bool json)
{
    ent_store_t *st = NULL;
    ent_pmhistory_t *h = NULL;
    ent_pactmodel_t *m = NULL;
    double *p = NULL, *P = NULL, *Y = NULL;
    int32_t *ca = NULL, *cb = NULL;
    int code = EXIT_OK;
    bool scored = true;
    const char *path = params ? params : ent_pactmodel_default_path();
    ent_err_t rc = ent_pactmodel_load(&m, path);
    if (rc == ENT_OK) {
        rc = cli_prov_file(NULL, "params", path);
    }
    ent_store_options_t sto = ENT_STORE_OPTIONS_INIT;
    sto.readonly = true;
    if (rc == ENT_OK && (rc = ent_store_open(&st, cli_db_path(db), &sto)) == ENT_OK) {
        rc = ent_pmhistory_build(&h, st, from, to, cli_cancel_flag());
        if (rc == ENT_ERANGE) {
            /* a horizon past the data: forecast from the start year's system, nothing to score */
            scored = false;
            rc = ent_pmhistory_build(&h, st, from, from, cli_cancel_flag());
        }
        if (rc == ENT_OK) {
            rc = cli_prov_store(NULL, st);
        }
        ent_store_close(st);
    }
    if (rc != ENT_OK) {
        code = cli_fail(rc);
        goto done;
    }
    const ent_sysyear_t *s0 = ent_pmhistory_year(h, from), *s1 = scored ? ent_pmhistory_year(h, to) : s0;
    size_t n = s0->n;
    if (!(p = malloc(n * n * sizeof *p)) || !(P = malloc(n * n * sizeof *P)) || !(Y = malloc(n * n * sizeof *Y)) ||
        !(ca = malloc(n * n * sizeof *ca)) || !(cb = malloc(n * n * sizeof *cb))) {
        code = cli_fail(ENT_ENOMEM);
        goto done;
    }
    rc = ent_pactmodel_freerun(p, m, s0, to, runs, seed, draw, cli_threads(threads), cli_cancel_flag());
    if (rc != ENT_OK) {
        code = cli_fail(rc);
        goto done;
    }
    /* the pairs scored: not tied in `from`, both states still in the system in `to` */
    int idx0[ENT_PM_MAX_CCODE];
    unsigned char alive[ENT_PM_MAX_CCODE] = {0};
    for (int c = 0; c < ENT_PM_MAX_CCODE; c++) {
        idx0[c] = -1;
    }
    for (size_t i = 0; i < n; i++) {
        idx0[s0->ccode[i]] = (int)i;
    }
    for (size_t i = 0; i < s1->n; i++) {
        alive[s1->ccode[i]] = 1;
    }
    unsigned char *obs = calloc(n * n, 1);
    if (!obs) {
        code = cli_fail(ENT_ENOMEM);
        goto done;
    }
    for (int y = from + 1; scored && y <= to; y++) {
        const ent_sysyear_t *s = ent_pmhistory_year(h, y);
        for (size_t a = 0; a < s->n; a++) {
            for (size_t b = a + 1; b < s->n; b++) {
                int i = idx0[s->ccode[a]], j = idx0[s->ccode[b]];
                if (i >= 0 && j >= 0 && s->defence[a * s->n + b]) {
                    obs[(size_t)i * n + (size_t)j] = obs[(size_t)j * n + (size_t)i] = 1;
                }
            }
        }
    }
    size_t k = 0, events = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (s0->defence[i * n + j] || !alive[s0->ccode[i]] || !alive[s0->ccode[j]]) {
                continue;
            }
            P[k] = p[i * n + j];
            Y[k] = obs[i * n + j];
            ca[k] = s0->ccode[i];
            cb[k] = s0->ccode[j];
            events += obs[i * n + j];
            k++;
        }
    }
    free(obs);
    /* a forecast of exactly 0 or 1 from a finite number of runs: shrink by half a run so the log
     * score stays finite (reported as such in docs/models/pactmodel.md) */
    double *Ps = malloc((k ? k : 1) * sizeof *Ps);
    if (!Ps) {
        code = cli_fail(ENT_ENOMEM);
        goto done;
    }
    for (size_t q = 0; q < k; q++) {
        Ps[q] = (P[q] * (double)runs + 0.5) / ((double)runs + 1.0);
    }
    ent_brier_t br;
    double auc = NAN, ap = NAN, logs = ent_score_log(Ps, Y, NULL, k, NULL);
    double rate = k ? (double)events / (double)k : NAN;
    ent_score_brier(&br, P, Y, NULL, k, 10);
    ent_score_auc(&auc, P, Y, NULL, k);
    ent_score_ap(&ap, P, Y, NULL, k);
    double expected = 0;
    for (size_t q = 0; q < k; q++) {
        expected += P[q];
    }
    double clim_log = -(rate * log(rate) + (1 - rate) * log(1 - rate));
    free(Ps);
    if (out) {
        cli_out_t f;
        if (cli_out_open(&f, out) != EXIT_OK) {
            code = EXIT_IO;
            goto done;
        }
        fprintf(f.f, "ccode1,ccode2,p,observed\n");
        for (size_t q = 0; q < k; q++) {
            if (scored) {
                fprintf(f.f, "%d,%d,%.6g,%d\n", ca[q], cb[q], P[q], (int)Y[q]);
            } else {
                fprintf(f.f, "%d,%d,%.6g,\n", ca[q], cb[q], P[q]);
            }
        }
        if ((code = cli_out_commit(&f)) != EXIT_OK) {
            goto done;
        }
        cli_prov_sidecar(out, NULL);
    }
    if (!scored) {
        auc = ap = logs = rate = clim_log = NAN;
        br.brier = NAN;
    }
    if (json) {
        json_t *root = json_object();
        json_object_set_new(root, "scored", json_boolean(scored));
        json_object_set_new(root, "from", json_integer(from));
        json_object_set_new(root, "to", json_integer(to));
        json_object_set_new(root, "runs", json_integer((json_int_t)runs));
        json_object_set_new(root, "parameter_draws", json_boolean(draw));
        json_object_set_new(root, "pairs", json_integer((json_int_t)k));
        json_object_set_new(root, "events", json_integer((json_int_t)events));
        json_object_set_new(root, "expected", cli_json_num(expected));
        json_object_set_new(root, "auc", cli_json_num(auc));
        json_object_set_new(root, "ap", cli_json_num(ap));
        json_object_set_new(root, "brier", cli_json_num(br.brier));
        json_object_set_new(root, "log", cli_json_num(logs));
        json_object_set_new(root, "climatology_log", cli_json_num(clim_log));
        json_object_set_new(root, "climatology_brier", cli_json_num(rate * (1 - rate)));
        code = cli_print_json(root);
    } else {
        printf("free-running pact model from %d to %d: %zu runs%s\n", from, to, runs,
               draw ? " (parameters drawn from their fitted distribution)" : " (the estimates)");
        if (!scored) {
            printf("the store ends before %d: no outcome to score; pairs not tied in %d: %zu, expected new ties "
                   "by %d: %.1f\n",
                   to, from, k, to, expected);
            goto done;
        }
        printf("pairs not tied in %d and still in the system in %d: %zu; with a new tie by %d: %zu (expected %.1f)\n",
               from, to, k, to, events, expected);
        printf("AUC %.4f  AP %.4f  Brier %.5f  log %.5f   (climatology: Brier %.5f, log %.5f)\n", auc, ap, br.brier,
               logs, rate * (1 - rate), clim_log);
    }
done:
    free(p);
    free(P);
    free(Y);
    free(ca);
    free(cb);
    ent_pactmodel_free(m);
    ent_pmhistory_free(h);
    return code;
}

int cmd_fit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'D'},
        {"fit", required_argument, NULL, 'f'},
        {"valid", required_argument, NULL, 'v'},
        {"lambdas", required_argument, NULL, 'l'},
        {"threat-refs", required_argument, NULL, 'r'},
        {"out", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"simulate-from", required_argument, NULL, 'S'},
        {"to", required_argument, NULL, 'T'},
        {"runs", required_argument, NULL, 'R'},
        {"params", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'H'},
        {"no-draw", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    ent_pmfit_options_t o = ENT_PMFIT_OPTIONS_INIT;
    const char *db = NULL, *out = NULL, *params = NULL;
    bool json = false, draw = true;
    int sim_from = 0, sim_to = 2018, threads = 0;
    double runs = 200;
    uint64_t seed = 1;
    double lam[16], tr[16];
    size_t nlam = 0, ntr = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'f':
        case 'v': {
            int a, b;
            if (!cli_parse_year_range(optarg, 1817, 2100, &a, &b)) {
                return cli_usage_error("fit", "expected a year range Y1-Y2 (from 1817), got '%s'", optarg);
            }
            if (c == 'f') {
                o.fit_from = a, o.fit_to = b;
            } else {
                o.valid_from = a, o.valid_to = b;
            }
            break;
        }
        case 'l':
            if (parse_list(optarg, lam, 16, &nlam, 0, 1e6) != 0) {
                return cli_usage_error("fit", "--lambdas: expected up to 16 numbers >= 0, got '%s'", optarg);
            }
            o.lambdas = lam;
            o.nlambdas = nlam;
            break;
        case 'r':
            if (parse_list(optarg, tr, 16, &ntr, 1e-9, 1) != 0) {
                return cli_usage_error("fit", "--threat-refs: expected up to 16 numbers in (0, 1], got '%s'", optarg);
            }
            o.threat_refs = tr;
            o.nthreat_refs = ntr;
            break;
        case 'o': out = optarg; break;
        case 'j': json = true; break;
        case 'S':
            if (!cli_parse_year("fit", optarg, &sim_from)) {
                return EXIT_USAGE;
            }
            break;
        case 'T':
            if (!cli_parse_year("fit", optarg, &sim_to)) {
                return EXIT_USAGE;
            }
            break;
        case 'R':
            if (!cli_parse_double(optarg, 1, 1e6, &runs) || runs != floor(runs)) {
                return cli_usage_error("fit", "--runs: expected a whole number from 1 to 1000000, got '%s'", optarg);
            }
            break;
        case 'p': params = optarg; break;
        case 's':
            if (!cli_parse_seed(optarg, &seed)) {
                return cli_usage_error("fit", "--seed: expected a non-negative integer, got '%s'", optarg);
            }
            break;
        case 'H': {
            double v;
            if (!cli_parse_double(optarg, 0, 1024, &v) || v != floor(v)) {
                return cli_usage_error("fit", "--threads: expected a whole number from 0 to 1024, got '%s'", optarg);
            }
            threads = (int)v;
            break;
        }
        case 'n': draw = false; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_usage_error("fit", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_usage_error("fit", "unexpected argument '%s'", argv[optind]);
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
    ent_store_options_t sto = ENT_STORE_OPTIONS_INIT;
    sto.readonly = true;
    ent_err_t rc = ent_store_open(&st, cli_db_path(db), &sto);
    if (rc == ENT_OK) {
        rc = ent_pmhistory_build(&h, st, o.fit_from - 1, o.valid_to, cli_cancel_flag());
    }
    if (rc == ENT_OK) {
        rc = cli_prov_store(NULL, st);
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
    const double *est = ent_pactmodel_estimates(m), *cov = ent_pactmodel_covariance(m);
    size_t P = ent_pactmodel_nparams(m);
    const ent_pactmodel_settings_t *s = ent_pactmodel_settings(m);
    if (json) {
        json_t *root = json_object(), *ps = json_array(), *grid = json_array();
        for (size_t k = 0; k < P; k++) {
            json_t *e = json_object();
            double se = cov ? sqrt(cov[k * P + k]) : NAN;
            json_object_set_new(e, "name", json_string(ent_pactmodel_param_name(k)));
            json_object_set_new(e, "estimate", cli_json_num(est[k]));
            json_object_set_new(e, "se", cli_json_num(se));
            json_object_set_new(e, "z", cli_json_num(est[k] / se));
            json_array_append_new(ps, e);
        }
        for (size_t g = 0; g < rep.ngrid; g++) {
            json_t *e = json_object();
            json_object_set_new(e, "lambda", cli_json_num(rep.grid_lambda[g]));
            json_object_set_new(e, "threat_ref", cli_json_num(rep.grid_threat_ref[g]));
            json_object_set_new(e, "valid_loglik", cli_json_num(rep.grid_valid[g]));
            json_object_set_new(e, "chosen", json_boolean(g == rep.chosen));
            json_array_append_new(grid, e);
        }
        json_object_set_new(root, "params", ps);
        json_object_set_new(root, "grid", grid);
        json_object_set_new(root, "lambda", cli_json_num(s->lambda));
        json_object_set_new(root, "threat_ref", cli_json_num(s->threat_ref));
        json_object_set_new(root, "fit_loglik", cli_json_num(rep.fit.loglik));
        json_object_set_new(root, "fit_obs", json_integer((json_int_t)(rep.fit.nform + rep.fit.nend + rep.fit.njoin)));
        json_object_set_new(root, "new_ties", json_integer((json_int_t)rep.fit.form_events));
        json_object_set_new(root, "at_risk", json_integer((json_int_t)rep.fit.nform));
        json_object_set_new(root, "ends", json_integer((json_int_t)rep.fit.end_events));
        json_object_set_new(root, "join_decisions", json_integer((json_int_t)rep.fit.njoin));
        json_object_set_new(root, "joins", json_integer((json_int_t)rep.fit.join_events));
        json_object_set_new(root, "tie_years", json_integer((json_int_t)rep.fit.nend));
        json_object_set_new(root, "valid_loglik", cli_json_num(rep.valid_loglik));
        json_object_set_new(root, "seconds", cli_json_num(rep.seconds));
        code = cli_print_json(root);
    } else {
        printf("pact model, fitted on outcome years %d-%d: %zu bilateral decisions (%zu new pacts), %zu join "
               "decisions (%zu joins), %zu tie-years (%zu ends)\n",
               o.fit_from, o.fit_to, rep.fit.nform, rep.fit.form_events, rep.fit.njoin, rep.fit.join_events,
               rep.fit.nend, rep.fit.end_events);
        printf("choice on %d-%d (mean log likelihood per observation):\n", o.valid_from, o.valid_to);
        for (size_t g = 0; g < rep.ngrid; g++) {
            char v[32];
            snprintf(v, sizeof v, isfinite(rep.grid_valid[g]) ? "%.6f" : "(fit failed)", rep.grid_valid[g]);
            printf("  lambda %-8g threat_ref %-8g  %s%s\n", rep.grid_lambda[g], rep.grid_threat_ref[g], v,
                   g == rep.chosen ? "  <- chosen" : "");
        }
        printf("\n%-22s %10s %9s %7s\n", "parameter", "estimate", "se", "z");
        for (size_t k = 0; k < P; k++) {
            double se = cov ? sqrt(cov[k * P + k]) : NAN;
            if (!ent_pactmodel_fitted(m, k)) {
                /* no variation in the fit years: held at its value, not drawn */
                printf("%-22s %10.4f %9s %7s  (no variation in the fit years: held)\n", ent_pactmodel_param_name(k),
                       est[k], "-", "-");
                continue;
            }
            printf("%-22s %10.4f %9.4f %7.2f\n", ent_pactmodel_param_name(k), est[k], se, est[k] / se);
        }
        printf("\nlog likelihood %.2f on %zu observations; %d BFGS iterations; %.1f s in all\n", rep.fit.loglik,
               rep.fit.nform + rep.fit.nend + rep.fit.njoin, rep.fit.iterations, rep.seconds);
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
