/*
 * fit.c -- the result of `entente fit` (entente.fit/1), written once: the pact model's estimates
 * with their standard errors, the grid of penalties and threat references with the validation
 * log likelihood that chose among them, and the counts of the fit; and the text the command
 * prints. The numbers are the fit's (src/models/pactmodel_fit.c); this file only writes them.
 * docs/report.md documents the fields, docs/models/pactmodel.md the model.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "util_int.h"

/* The standard error of parameter k: the square root of the covariance's diagonal, NaN without one. */
static double se_of(const ent_pactmodel_t *m, size_t k)
{
    const double *cov = ent_pactmodel_covariance(m);
    size_t P = ent_pactmodel_nparams(m);
    return cov ? sqrt(cov[k * P + k]) : NAN;
}

static ent_err_t check(const ent_pmfit_report_t *rep, const char *fn)
{
    if (rep->ngrid > ENT_PMFIT_MAXGRID || (rep->ngrid && rep->chosen >= rep->ngrid)) {
        return ent_i_err(ENT_EINVAL, "%s: a grid of %zu points with point %zu chosen", fn, rep->ngrid, rep->chosen);
    }
    return ENT_OK;
}

ent_err_t ent_report_fit(char **out, const ent_pactmodel_t *m, const ent_pmfit_report_t *rep)
{
    *out = NULL;
    ent_err_t rc = check(rep, "ent_report_fit");
    if (rc != ENT_OK) {
        return rc;
    }
    const double *est = ent_pactmodel_estimates(m);
    size_t P = ent_pactmodel_nparams(m);
    const ent_pactmodel_settings_t *s = ent_pactmodel_settings(m);
    size_t nclusters = 0;
    /* "se" is cluster-robust; the model-based one beside it (docs/models/pactmodel.md, Fit) */
    const double *sem = ent_pactmodel_se_model(m, &nclusters);
    json_t *root = json_object();
    root = ent_rep_put(root, "schema", json_string(ENT_REPORT_FIT_SCHEMA));
    json_t *ps = json_array();
    for (size_t k = 0; ps && k < P; k++) {
        double se = se_of(m, k);
        json_t *e = json_object();
        e = ent_rep_put(e, "name", json_string(ent_pactmodel_param_name(k)));
        e = ent_rep_put(e, "estimate", ent_rep_num(est[k]));
        e = ent_rep_put(e, "se", ent_rep_num(se));
        e = ent_rep_put(e, "se_model", ent_rep_num(sem ? sem[k] : NAN));
        e = ent_rep_put(e, "z", ent_rep_num(est[k] / se));
        ps = ent_rep_push(ps, e);
    }
    json_t *grid = json_array();
    for (size_t g = 0; grid && g < rep->ngrid; g++) {
        json_t *e = json_object();
        e = ent_rep_put(e, "lesser_broad", ent_rep_num(rep->grid_lesser_broad[g]));
        e = ent_rep_put(e, "lambda", ent_rep_num(rep->grid_lambda[g]));
        e = ent_rep_put(e, "threat_ref", ent_rep_num(rep->grid_threat_ref[g]));
        e = ent_rep_put(e, "valid_loglik", ent_rep_num(rep->grid_valid[g]));
        e = ent_rep_put(e, "chosen", json_boolean(g == rep->chosen));
        grid = ent_rep_push(grid, e);
    }
    const ent_pmfit_result_t *f = &rep->fit;
    root = ent_rep_put(root, "params", ps);
    root = ent_rep_put(root, "grid", grid);
    root = ent_rep_put(root, "lambda", ent_rep_num(s->lambda));
    root = ent_rep_put(root, "covariance", json_string(sem ? "cluster-robust" : "model"));
    root = ent_rep_put(root, "clusters", json_integer((json_int_t)nclusters));
    root = ent_rep_put(root, "threat_ref", ent_rep_num(s->threat_ref));
    root = ent_rep_put(root, "lesser_broad", ent_rep_num(s->lesser_broad));
    root = ent_rep_put(root, "fit_loglik", ent_rep_num(f->loglik));
    root = ent_rep_put(root, "fit_obs", json_integer((json_int_t)(f->nform + f->nend + f->njoin)));
    root = ent_rep_put(root, "new_ties", json_integer((json_int_t)f->form_events));
    root = ent_rep_put(root, "at_risk", json_integer((json_int_t)f->nform));
    root = ent_rep_put(root, "ends", json_integer((json_int_t)f->end_events));
    root = ent_rep_put(root, "join_decisions", json_integer((json_int_t)f->njoin));
    root = ent_rep_put(root, "joins", json_integer((json_int_t)f->join_events));
    root = ent_rep_put(root, "tie_years", json_integer((json_int_t)f->nend));
    root = ent_rep_put(root, "valid_loglik", ent_rep_num(rep->valid_loglik));
    root = ent_rep_put(root, "seconds", ent_rep_num(rep->seconds));
    return ent_rep_finish(out, root);
}

ent_err_t ent_report_fit_text(char **out, const ent_pactmodel_t *m, const ent_pmfit_report_t *rep,
                              const ent_pmfit_options_t *opt)
{
    *out = NULL;
    ENT_I_CHECK_OPTIONS(opt, ENT_PMFIT_OPTIONS_VERSION);
    ent_err_t rc = check(rep, "ent_report_fit_text");
    if (rc != ENT_OK) {
        return rc;
    }
    ent_pmfit_options_t def = ENT_PMFIT_OPTIONS_INIT;
    const ent_pmfit_options_t *o = opt ? opt : &def;
    const ent_pmfit_result_t *f = &rep->fit;
    const double *est = ent_pactmodel_estimates(m);
    size_t P = ent_pactmodel_nparams(m);
    ent_buf_t b = ENT_BUF_INIT;
    ent_rep_printf(&b, &rc,
                   "pact model, fitted on outcome years %d-%d: %zu bilateral decisions (%zu new pacts), %zu join "
                   "decisions (%zu joins), %zu tie-years (%zu ends)\n",
                   o->fit_from, o->fit_to, f->nform, f->form_events, f->njoin, f->join_events, f->nend, f->end_events);
    ent_rep_printf(&b, &rc, "choice on %d-%d (mean log likelihood per observation):\n", o->valid_from, o->valid_to);
    for (size_t g = 0; g < rep->ngrid; g++) {
        char v[32];
        snprintf(v, sizeof v, isfinite(rep->grid_valid[g]) ? "%.6f" : "(fit failed)", rep->grid_valid[g]);
        ent_rep_printf(&b, &rc, "  lesser_broad %-4g lambda %-8g threat_ref %-8g  %s%s\n", rep->grid_lesser_broad[g],
                       rep->grid_lambda[g], rep->grid_threat_ref[g], v, g == rep->chosen ? "  <- chosen" : "");
    }
    size_t nclusters = 0;
    const double *sem = ent_pactmodel_se_model(m, &nclusters);
    if (sem) {
        ent_rep_printf(
            &b, &rc,
            "\nstandard errors: cluster-robust over %zu decision clusters (se); model-based (se_model) beside "
            "them\n",
            nclusters);
    }
    ent_rep_printf(&b, &rc, "\n%-22s %10s %9s %7s %9s %6s\n", "parameter", "estimate", "se", "z", "se_model", "ratio");
    for (size_t k = 0; k < P; k++) {
        double se = se_of(m, k);
        if (!ent_pactmodel_fitted(m, k)) {
            /* no variation in the fit years: held at its value, not drawn */
            ent_rep_printf(&b, &rc, "%-22s %10.4f %9s %7s  (no variation in the fit years: held)\n",
                           ent_pactmodel_param_name(k), est[k], "-", "-");
            continue;
        }
        double sm = sem ? sem[k] : NAN;
        ent_rep_printf(&b, &rc, "%-22s %10.4f %9.4f %7.2f %9.4f %6.2f\n", ent_pactmodel_param_name(k), est[k], se,
                       est[k] / se, sm, se / sm);
    }
    ent_rep_printf(&b, &rc, "\nlog likelihood %.2f on %zu observations; %d BFGS iterations; %.1f s in all\n", f->loglik,
                   f->nform + f->nend + f->njoin, f->iterations, rep->seconds);
    if (rc == ENT_OK && !(*out = ent_strdup(ent_buf_cstr(&b)))) {
        rc = ent_i_nomem();
    }
    ent_buf_destroy(&b);
    return rc;
}

/* ------------------------------------------------------------------ the free-running forecast */

ENT_I_OPTIONS_INIT_FN(ent_report_freerun_options_init, ent_report_freerun_options_t, ENT_REPORT_FREERUN_OPTIONS_VERSION,
                      ENT_REPORT_FREERUN_OPTIONS_INIT)

/* The pairs a free run is scored on, with their forecasts and outcomes. */
typedef struct {
    size_t k, events;
    size_t unforecast; /* pairs scorable but without a forecast */
    double *P, *Y;
    int32_t *ca, *cb;
} pairs_t;

static void pairs_free(pairs_t *q)
{
    ent_free(q->P);
    ent_free(q->Y);
    ent_free(q->ca);
    ent_free(q->cb);
}

/*
 * The pairs scored: not tied in `from`, both states still in the system in `to` (every pair
 * of `from` when the history ends before `to`: nothing to score then), each with its share of
 * futures p and whether a defence tie appeared in some year from+1..to.
 */
static ent_err_t score_pairs(pairs_t *q, const ent_pmhistory_t *h, const double *p, const int32_t *pcode, size_t pn,
                             int from, int to, bool scored)
{
    const ent_sysyear_t *s0 = ent_pmhistory_year(h, from), *s1 = scored ? ent_pmhistory_year(h, to) : s0;
    size_t n = s0->n;
    memset(q, 0, sizeof *q);
    int idx0[ENT_PM_MAX_CCODE], pidx[ENT_PM_MAX_CCODE];
    unsigned char alive[ENT_PM_MAX_CCODE] = {0};
    for (int c = 0; c < ENT_PM_MAX_CCODE; c++) {
        idx0[c] = pidx[c] = -1;
    }
    for (size_t i = 0; i < n; i++) {
        idx0[s0->ccode[i]] = (int)i;
    }
    for (size_t i = 0; i < pn; i++) {
        if (pcode[i] > 0 && pcode[i] < ENT_PM_MAX_CCODE) {
            pidx[pcode[i]] = (int)i;
        }
    }
    for (size_t i = 0; i < s1->n; i++) {
        alive[s1->ccode[i]] = 1;
    }
    size_t m = n > 0 ? n * n : 1;
    unsigned char *obs = ent_calloc(m, 1);
    q->P = ent_malloc(m * sizeof *q->P);
    q->Y = ent_malloc(m * sizeof *q->Y);
    q->ca = ent_malloc(m * sizeof *q->ca);
    q->cb = ent_malloc(m * sizeof *q->cb);
    if (!obs || !q->P || !q->Y || !q->ca || !q->cb) {
        ent_free(obs);
        pairs_free(q);
        return ent_i_nomem();
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
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (s0->defence[i * n + j] || !alive[s0->ccode[i]] || !alive[s0->ccode[j]]) {
                continue;
            }
            /* the forecast's states may differ from the year's system (a state the forecast does not
             * hold, a pair it holds as tied): those pairs have no forecast and are not scored */
            int pi = pidx[s0->ccode[i]], pj = pidx[s0->ccode[j]];
            double pv = pi >= 0 && pj >= 0 ? p[(size_t)pi * pn + (size_t)pj] : NAN;
            if (!isfinite(pv)) {
                q->unforecast++;
                continue;
            }
            q->P[q->k] = pv;
            q->Y[q->k] = obs[i * n + j];
            q->ca[q->k] = s0->ccode[i];
            q->cb[q->k] = s0->ccode[j];
            q->events += obs[i * n + j];
            q->k++;
        }
    }
    ent_free(obs);
    return ENT_OK;
}

/* One intercept's shift as the report states it: null delta when the window could not estimate it. */
static json_t *recal_part(bool estimated, double delta, double se, double se_model, size_t decisions, size_t events)
{
    json_t *o = json_object();
    o = ent_rep_put(o, "delta", estimated ? ent_rep_num(delta) : json_null());
    o = ent_rep_put(o, "se", ent_rep_num(se));
    o = ent_rep_put(o, "se_model", ent_rep_num(se_model));
    o = ent_rep_put(o, "decisions", json_integer((json_int_t)decisions));
    o = ent_rep_put(o, "events", json_integer((json_int_t)events));
    return o;
}

static json_t *recal_json(const ent_pm_recal_t *r)
{
    json_t *o = json_object();
    o = ent_rep_put(o, "window", ent_rep_push(ent_rep_push(json_array(), json_integer(r->from)), json_integer(r->to)));
    o = ent_rep_put(o, "formation",
                    recal_part(r->form_estimated, r->form_delta, r->form_se, r->form_se_model, r->nform + r->njoin,
                               r->form_events + r->join_events));
    o = ent_rep_put(o, "termination",
                    recal_part(r->end_estimated, r->end_delta, r->end_se, r->end_se_model, r->nend, r->end_events));
    o = ent_rep_put(o, "loglik_fit", ent_rep_num(r->loglik0));
    o = ent_rep_put(o, "loglik", ent_rep_num(r->loglik));
    return o;
}

static void recal_text(ent_buf_t *b, ent_err_t *rc, const ent_pm_recal_t *r)
{
    ent_rep_printf(
        b, rc,
        "base rates recalibrated on outcome years %d-%d (slopes held at the fit; log likelihood %.2f -> %.2f):\n",
        r->from, r->to, r->loglik0, r->loglik);
    const char *name[2] = {"formation", "termination"};
    for (int k = 0; k < 2; k++) {
        bool est = k ? r->end_estimated : r->form_estimated;
        size_t dec = k ? r->nend : r->nform + r->njoin, ev = k ? r->end_events : r->form_events + r->join_events;
        if (!est) {
            ent_rep_printf(b, rc, "  %-11s intercept not shifted (%zu events in %zu decisions: nothing to estimate)\n",
                           name[k], ev, dec);
            continue;
        }
        ent_rep_printf(b, rc, "  %-11s intercept %+.3f (SE %.3f clustered, %.3f model; %zu events in %zu decisions)\n",
                       name[k], k ? r->end_delta : r->form_delta, k ? r->end_se : r->form_se,
                       k ? r->end_se_model : r->form_se_model, ev, dec);
    }
}

static ent_err_t freerun_scores(char **json, char **text, char **csv, const double *p, const int32_t *pcode, size_t pn,
                                const ent_pmhistory_t *h, int from, int to, size_t runs, const char *headline,
                                int draws, const ent_pm_recal_t *recal);

ent_err_t ent_report_freerun(char **json, char **text, char **csv, const ent_pactmodel_t *m, const ent_pmhistory_t *h,
                             int from, int to, const ent_report_freerun_options_t *opts)
{
    if (json) {
        *json = NULL;
    }
    if (text) {
        *text = NULL;
    }
    if (csv) {
        *csv = NULL;
    }
    ENT_I_CHECK_OPTIONS(opts, ENT_REPORT_FREERUN_OPTIONS_VERSION);
    ent_report_freerun_options_t def = ENT_REPORT_FREERUN_OPTIONS_INIT;
    const ent_report_freerun_options_t *o = opts ? opts : &def;
    const ent_sysyear_t *s0 = ent_pmhistory_year(h, from);
    if (!s0 || to <= from || o->runs < 1) {
        return ent_i_err(ENT_EINVAL, "ent_report_freerun: the history has no system of %d, or %d-%d with %zu runs",
                         from, from, to, o->runs);
    }
    size_t n = s0->n, runs = o->runs;
    double *p = ent_malloc((n > 0 ? n * n : 1) * sizeof *p);
    ent_err_t rc = p ? ENT_OK : ent_i_nomem();
    if (rc == ENT_OK) {
        rc = ent_pactmodel_freerun(p, m, s0, to, runs, o->seed, o->draw, o->threads, o->cancel);
    }
    if (rc == ENT_OK) {
        char head[160];
        snprintf(head, sizeof head, "free-running pact model from %d to %d: %zu runs%s", from, to, runs,
                 o->draw ? " (parameters drawn from their fitted distribution)" : " (the estimates)");
        rc = freerun_scores(json, text, csv, p, s0->ccode, n, h, from, to, runs, head, o->draw ? 1 : 0, o->recal);
    }
    ent_free(p);
    return rc;
}

ent_err_t ent_report_freerun_scores(char **json, char **text, char **csv, const double *p, const int32_t *pcode,
                                    size_t pn, const ent_pmhistory_t *h, int from, int to, size_t runs,
                                    const char *headline)
{
    return freerun_scores(json, text, csv, p, pcode, pn, h, from, to, runs, headline, -1, NULL);
}

/* The scores of any free-running forecast p; `draws` is the pact model's parameter_draws field (-1:
 * none). A history that ends before `to` (a horizon past the data): forecast only, nothing scored. */
static ent_err_t freerun_scores(char **json, char **text, char **csv, const double *p, const int32_t *pcode, size_t pn,
                                const ent_pmhistory_t *h, int from, int to, size_t runs, const char *headline,
                                int draws, const ent_pm_recal_t *recal)
{
    if (json) {
        *json = NULL;
    }
    if (text) {
        *text = NULL;
    }
    if (csv) {
        *csv = NULL;
    }
    const ent_sysyear_t *s0 = ent_pmhistory_year(h, from);
    if (!s0 || to <= from || runs < 1) {
        return ent_i_err(ENT_EINVAL,
                         "ent_report_freerun_scores: the history has no system of %d, or %d-%d with %zu runs", from,
                         from, to, runs);
    }
    bool scored = ent_pmhistory_year(h, to) != NULL;
    for (int y = from + 1; scored && y <= to; y++) {
        scored = ent_pmhistory_year(h, y) != NULL;
    }
    double *Ps = NULL;
    pairs_t q = {0};
    ent_buf_t b = ENT_BUF_INIT;
    ent_err_t rc = score_pairs(&q, h, p, pcode, pn, from, to, scored);
    if (rc != ENT_OK) {
        goto done;
    }
    size_t k = q.k;
    /* a forecast of exactly 0 or 1 from a finite number of runs: shrink by half a run so the log
     * score stays finite (reported as such in docs/models/pactmodel.md) */
    if (!(Ps = ent_malloc((k ? k : 1) * sizeof *Ps))) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = 0; i < k; i++) {
        Ps[i] = (q.P[i] * (double)runs + 0.5) / ((double)runs + 1.0);
    }
    ent_brier_t br;
    double auc = NAN, ap = NAN, logs = ent_score_log(Ps, q.Y, NULL, k, NULL);
    double rate = k ? (double)q.events / (double)k : NAN;
    ent_score_brier(&br, q.P, q.Y, NULL, k, 10);
    ent_score_auc(&auc, q.P, q.Y, NULL, k);
    ent_score_ap(&ap, q.P, q.Y, NULL, k);
    double expected = 0;
    for (size_t i = 0; i < k; i++) {
        expected += q.P[i];
    }
    double clim_log = -(rate * log(rate) + (1 - rate) * log(1 - rate));
    if (csv) {
        ent_rep_printf(&b, &rc, "ccode1,ccode2,p,observed\n");
        for (size_t i = 0; i < k; i++) {
            if (scored) {
                ent_rep_printf(&b, &rc, "%d,%d,%.6g,%d\n", q.ca[i], q.cb[i], q.P[i], (int)q.Y[i]);
            } else {
                ent_rep_printf(&b, &rc, "%d,%d,%.6g,\n", q.ca[i], q.cb[i], q.P[i]);
            }
        }
        if (rc == ENT_OK && !(*csv = ent_strdup(ent_buf_cstr(&b)))) {
            rc = ent_i_nomem();
        }
        ent_buf_clear(&b);
    }
    if (!scored) {
        auc = ap = logs = rate = clim_log = NAN;
        br.brier = NAN;
    }
    if (json && rc == ENT_OK) {
        json_t *root = json_object();
        root = ent_rep_put(root, "schema", json_string(ENT_REPORT_FREERUN_SCHEMA));
        root = ent_rep_put(root, "scored", json_boolean(scored));
        root = ent_rep_put(root, "from", json_integer(from));
        root = ent_rep_put(root, "to", json_integer(to));
        root = ent_rep_put(root, "runs", json_integer((json_int_t)runs));
        if (draws >= 0) {
            root = ent_rep_put(root, "parameter_draws", json_boolean(draws));
        }
        root = ent_rep_put(root, "pairs", json_integer((json_int_t)k));
        root = ent_rep_put(root, "pairs_unforecast", json_integer((json_int_t)q.unforecast));
        root = ent_rep_put(root, "events", json_integer((json_int_t)q.events));
        root = ent_rep_put(root, "expected", ent_rep_num(expected));
        root = ent_rep_put(root, "auc", ent_rep_num(auc));
        root = ent_rep_put(root, "ap", ent_rep_num(ap));
        root = ent_rep_put(root, "brier", ent_rep_num(br.brier));
        root = ent_rep_put(root, "log", ent_rep_num(logs));
        root = ent_rep_put(root, "climatology_log", ent_rep_num(clim_log));
        root = ent_rep_put(root, "climatology_brier", ent_rep_num(rate * (1 - rate)));
        if (recal) {
            root = ent_rep_put(root, "recalibration", recal_json(recal));
        }
        rc = ent_rep_finish(json, root);
    }
    if (text && rc == ENT_OK) {
        ent_rep_printf(&b, &rc, "%s\n", headline);
        if (recal) {
            recal_text(&b, &rc, recal);
        }
        if (!scored) {
            ent_rep_printf(
                &b, &rc,
                "the store ends before %d: no outcome to score; pairs not tied in %d: %zu, expected new ties "
                "by %d: %.1f\n",
                to, from, k, to, expected);
        } else {
            ent_rep_printf(
                &b, &rc,
                "pairs not tied in %d and still in the system in %d: %zu; with a new tie by %d: %zu (expected "
                "%.1f)\n",
                from, to, k, to, q.events, expected);
            ent_rep_printf(&b, &rc, "AUC %.4f  AP %.4f  Brier %.5f  log %.5f   (climatology: Brier %.5f, log %.5f)\n",
                           auc, ap, br.brier, logs, rate * (1 - rate), clim_log);
        }
        if (q.unforecast) {
            ent_rep_printf(&b, &rc, "pairs of the %d system without a forecast, not scored: %zu\n", from, q.unforecast);
        }
        if (rc == ENT_OK && !(*text = ent_strdup(ent_buf_cstr(&b)))) {
            rc = ent_i_nomem();
        }
    }
done:
    if (rc != ENT_OK) {
        if (json) {
            ent_free(*json);
            *json = NULL;
        }
        if (text) {
            ent_free(*text);
            *text = NULL;
        }
        if (csv) {
            ent_free(*csv);
            *csv = NULL;
        }
    }
    ent_buf_destroy(&b);
    ent_free(Ps);
    pairs_free(&q);
    return rc;
}
