/*
 * backtest.c -- the backtest's scorecards as a report (entente.backtest/1): the split and its
 * counts, the bootstrap, and per predictor its penalty path and coefficients, the dyad and
 * state scorecards with 90% intervals, the reliability bins and the scores by outcome year.
 * What `entente backtest --json` prints; docs/report.md documents the fields.
 */
#include <math.h>

#include "report_int.h"
#include "util_int.h"

/* Builders note a failed insertion (out of memory) in *ok rather than checking every call. */
static void put(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (!o || !v || json_object_set_new(o, key, v) != 0) {
        *ok = false;
    }
}

static void push(json_t *a, json_t *v, bool *ok)
{
    if (!a || !v || json_array_append_new(a, v) != 0) {
        *ok = false;
    }
}

static json_t *count(size_t n)
{
    return json_integer((json_int_t)n);
}

/* [lo, hi]; null ends when undefined (no bootstrap) */
static json_t *interval(double lo, double hi, bool *ok)
{
    json_t *a = json_array();
    push(a, ent_rep_num(lo), ok);
    push(a, ent_rep_num(hi), ok);
    return a;
}

/* A finite number as a JSON real even when integral (coefficients, seconds), else null. */
static json_t *real(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *card(const ent_scorecard_t *s, bool state, bool *ok)
{
    json_t *o = json_object();
    put(o, "n", count(s->n), ok);
    put(o, "events", count(s->events), ok);
    put(o, "event_rate", ent_rep_num(s->event_rate), ok);
    /* infinity is not JSON: null plus the count of events that were forecast impossible */
    put(o, "log_score", ent_rep_num(s->log_score), ok);
    put(o, "log_score_infinite", json_boolean(isinf(s->log_score)), ok);
    put(o, "n_impossible", count(s->n_impossible), ok);
    put(o, "brier", ent_rep_num(s->brier.brier), ok);
    put(o, "brier_reliability", ent_rep_num(s->brier.rel), ok);
    put(o, "brier_resolution", ent_rep_num(s->brier.res), ok);
    put(o, "brier_uncertainty", ent_rep_num(s->brier.unc), ok);
    put(o, "brier_within_bin", ent_rep_num(s->brier.within), ok);
    put(o, "brier_bins", count(s->brier.nbins), ok);
    put(o, "brier_skill_base_rate", ent_rep_num(s->bss_base), ok);
    put(o, "brier_skill_zero", ent_rep_num(s->bss_zero), ok);
    put(o, "log_skill_base_rate", ent_rep_num(s->lss_base), ok);
    put(o, "log_skill_zero", ent_rep_num(s->lss_zero), ok);
    put(o, "roc_auc", ent_rep_num(s->auc), ok);
    put(o, "pr_auc", ent_rep_num(s->ap), ok);
    json_t *ci = json_object();
    put(ci, "log_score", interval(s->ci_log.lo, s->ci_log.hi, ok), ok);
    put(ci, "brier", interval(s->ci_brier.lo, s->ci_brier.hi, ok), ok);
    put(ci, "brier_skill_base_rate", interval(s->ci_bss_base.lo, s->ci_bss_base.hi, ok), ok);
    put(ci, "roc_auc", interval(s->ci_auc.lo, s->ci_auc.hi, ok), ok);
    put(ci, "pr_auc", interval(s->ci_ap.lo, s->ci_ap.hi, ok), ok);
    json_t *tk = json_array();
    for (int k = 0; k < ENT_BT_NTOPK; k++) {
        json_t *e = json_object();
        put(e, "k", json_integer(ent_bt_topk[k]), ok);
        put(e, "recall", ent_rep_num(s->topk_recall[k]), ok);
        put(e, "recall_ci90", interval(s->ci_topk_recall[k].lo, s->ci_topk_recall[k].hi, ok), ok);
        put(e, "precision", ent_rep_num(s->topk_precision[k]), ok);
        if (!state) {
            put(e, "treaty_recall", ent_rep_num(s->treaty_recall[k]), ok);
        }
        push(tk, e, ok);
    }
    put(o, "top_k", tk, ok);
    put(o, "ci90", ci, ok);
    if (!state) {
        put(o, "treaty_formations", count(s->ntreaties), ok);
        put(o, "unattributed_new_dyads", count(s->unattributed), ok);
    }
    return o;
}

static json_t *predictor(const ent_backtest_t *b, bool *ok)
{
    json_t *o = json_object();
    put(o, "predictor", json_string(b->predictor), ok);
    put(o, "seconds", real(b->seconds), ok);
    put(o, "fit_log_score", ent_rep_num(b->fit_log), ok);
    put(o, "validation_log_score", ent_rep_num(b->valid_log_chosen), ok);
    if (b->nlambdas) {
        put(o, "lambda", ent_rep_num(b->lambda), ok);
        put(o, "refits", json_integer(b->refits), ok);
        put(o, "newton_iterations", json_integer(b->newton_iters), ok);
        json_t *path = json_array();
        for (size_t l = 0; l < b->nlambdas; l++) {
            json_t *e = json_object();
            put(e, "lambda", ent_rep_num(b->lambdas[l]), ok);
            put(e, "validation_log_score", ent_rep_num(b->valid_log[l]), ok);
            push(path, e, ok);
        }
        put(o, "penalty_path", path, ok);
        json_t *co = json_array();
        json_t *e0 = json_object();
        put(e0, "term", json_string("(intercept)"), ok);
        put(e0, "coef", real(b->coef[0]), ok);
        push(co, e0, ok);
        for (size_t j = 0; j < b->nfeat; j++) {
            json_t *e = json_object();
            put(e, "term", json_string(b->feat_names[j]), ok);
            put(e, "coef", real(b->coef[j + 1]), ok);
            put(e, "mean", real(b->feat_mean[j]), ok);
            put(e, "sd", real(b->feat_sd[j]), ok);
            push(co, e, ok);
        }
        put(o, "coefficients", co, ok);
        put(o, "absent_features", b->absent ? json_string(b->absent) : json_null(), ok);
    }
    put(o, "dyad", card(&b->dyad, false, ok), ok);
    put(o, "state", card(&b->state, true, ok), ok);
    json_t *bins = json_array();
    for (size_t j = 0; j < b->nbins; j++) {
        const ent_bt_bin_t *x = &b->bins[j];
        json_t *e = json_object();
        /* the last bin is the 1000 highest forecasts, not an equal-count bin */
        put(e, "bin", j + 1 == b->nbins ? json_string("top1000") : count(j + 1), ok);
        put(e, "n", count(x->n), ok);
        put(e, "p_lo", ent_rep_num(x->p_lo), ok);
        put(e, "p_hi", ent_rep_num(x->p_hi), ok);
        put(e, "p_mean", ent_rep_num(x->p_mean), ok);
        put(e, "observed", ent_rep_num(x->observed), ok);
        put(e, "observed_ci90", interval(x->obs_lo, x->obs_hi, ok), ok);
        push(bins, e, ok);
    }
    put(o, "reliability", bins, ok);
    json_t *ys = json_array();
    for (size_t j = 0; j < b->nyears; j++) {
        const ent_bt_year_t *y = &b->years[j];
        json_t *e = json_object();
        put(e, "year", json_integer(y->year), ok);
        put(e, "n", count(y->n), ok);
        put(e, "events", count(y->events), ok);
        put(e, "expected", ent_rep_num(y->expected), ok);
        put(e, "log_score", ent_rep_num(y->log_score), ok);
        put(e, "brier", ent_rep_num(y->brier), ok);
        put(e, "roc_auc", ent_rep_num(y->auc), ok);
        json_t *h = json_array();
        for (int k = 0; k < ENT_BT_NTOPK; k++) {
            push(h, ent_rep_num(y->topk_hits[k]), ok);
        }
        put(e, "top_k_hits", h, ok);
        push(ys, e, ok);
    }
    put(o, "years", ys, ok);
    return o;
}

static json_t *years(int from, int to)
{
    return json_pack("[i,i]", from, to);
}

ent_err_t ent_report_backtest(char **out, ent_backtest_t *const *res, size_t n, const ent_backtest_options_t *opt)
{
    *out = NULL;
    if (n == 0 || !res || !opt) {
        return ent_i_err(ENT_EINVAL, "backtest report: no results");
    }
    bool ok = true;
    json_t *root = json_object();
    put(root, "schema", json_string(ENT_REPORT_BACKTEST_SCHEMA), &ok);
    json_t *split = json_object();
    put(split, "fit", years(opt->fit_from, opt->fit_to), &ok);
    put(split, "validation", years(opt->valid_from, opt->valid_to), &ok);
    put(split, "test", years(opt->test_from, opt->test_to), &ok);
    put(split, "years_are", json_string("outcome years (row year t + 1)"), &ok);
    put(split, "at_risk", json_string("no ATOP defence tie in t, new_defence known"), &ok);
    /* the split's counts are the table's, the same for every predictor */
    put(split, "n_fit", count(res[0]->n_fit), &ok);
    put(split, "n_validation", count(res[0]->n_valid), &ok);
    put(split, "n_test", count(res[0]->n_test), &ok);
    put(split, "events_fit", count(res[0]->events_fit), &ok);
    put(split, "events_validation", count(res[0]->events_valid), &ok);
    put(split, "events_test", count(res[0]->events_test), &ok);
    put(root, "split", split, &ok);
    put(root, "bootstrap",
        json_pack("{s:I,s:I,s:s}", "resamples", (json_int_t)opt->boot, "seed", (json_int_t)opt->seed, "unit",
                  "test year"),
        &ok);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        push(arr, predictor(res[k], &ok), &ok);
    }
    put(root, "predictors", arr, &ok);
    if (!ok) {
        json_decref(root);
        return ent_i_nomem();
    }
    return ent_rep_finish(out, root);
}
