/*
 * report_backtest.c -- the backtest report (entente.backtest/1, docs/report.md) on a synthetic
 * panel: every documented member is there with the value of the result it serialises (the split
 * and its counts, the bootstrap, per predictor the scorecards, penalty path, coefficients,
 * reliability bins and years); an infinite log score is null with log_score_infinite true; the
 * text is identical for the same inputs and seed once the timing ("seconds") is equal; no
 * results is ENT_EINVAL.
 */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"

enum { NDYAD = 150, Y0 = 1946, Y1 = 2018 };

/* ccode1, ccode2, year, new_defence, atop_defense, x1: new ties more likely with x1 */
static void make_panel(ent_table_t *t)
{
    ent_table_init(t);
    size_t n = (size_t)NDYAD * (Y1 - Y0 + 1);
    double *c1, *c2, *yr, *nd, *def, *x1;
    CHECK_OK(ent_table_set_rows(t, n));
    CHECK_OK(ent_table_add(t, "ccode1", &c1));
    CHECK_OK(ent_table_add(t, "ccode2", &c2));
    CHECK_OK(ent_table_add(t, "year", &yr));
    CHECK_OK(ent_table_add(t, "new_defence", &nd));
    CHECK_OK(ent_table_add(t, "atop_defense", &def));
    CHECK_OK(ent_table_add(t, "x1", &x1));
    ent_rng_t r;
    ent_rng_seed(&r, 11, 0);
    size_t i = 0;
    for (int y = Y0; y <= Y1; y++) {
        for (int d = 0; d < NDYAD; d++, i++) {
            c1[i] = 2 + d % 15;
            c2[i] = 100 + d;
            yr[i] = y;
            x1[i] = ent_rng_normal(&r);
            def[i] = d % 10 == 0 ? 1 : 0;
            nd[i] = y == Y1 ? NAN : (ent_rng_uniform(&r) < 1 / (1 + exp(4 - 1.5 * x1[i])) ? 1 : 0);
        }
    }
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A scorecard's members against the struct it came from. */
static void check_card(json_t *c, const ent_scorecard_t *s, bool state)
{
    CHECK(json_is_object(c));
    CHECK(num(c, "n") == (double)s->n && num(c, "events") == (double)s->events);
    if (isinf(s->log_score)) {
        CHECK(json_is_null(json_object_get(c, "log_score")));
        CHECK(json_is_true(json_object_get(c, "log_score_infinite")));
    } else {
        CHECK(num(c, "log_score") == s->log_score); /* 17 digits: the double itself */
        CHECK(json_is_false(json_object_get(c, "log_score_infinite")));
    }
    CHECK(num(c, "brier") == s->brier.brier);
    CHECK(isnan(s->auc) ? json_is_null(json_object_get(c, "roc_auc")) : num(c, "roc_auc") == s->auc);
    json_t *tk = json_object_get(c, "top_k");
    CHECK(json_array_size(tk) == ENT_BT_NTOPK);
    CHECK(num(json_array_get(tk, 0), "k") == ent_bt_topk[0]);
    CHECK((json_object_get(json_array_get(tk, 0), "treaty_recall") != NULL) == !state);
    json_t *ci = json_object_get(json_object_get(c, "ci90"), "brier");
    CHECK(json_array_size(ci) == 2);
    CHECK((json_object_get(c, "treaty_formations") != NULL) == !state);
}

int main(void)
{
    ent_table_t t;
    make_panel(&t);
    ent_backtest_options_t o = ENT_BACKTEST_OPTIONS_INIT;
    o.boot = 20;
    o.seed = 7;
    o.features = "x1";
    static const char *const preds[] = {"logit", "base-rate", "none"};
    ent_backtest_t *res[3] = {NULL};
    for (int k = 0; k < 3; k++) {
        o.predictor = preds[k];
        CHECK_OK(ent_backtest_run(&res[k], &t, &o));
        if (!res[k]) {
            return CHECK_DONE();
        }
        res[k]->seconds = 0.25 * (k + 1); /* the one member that is timing, not result */
    }
    char *text = NULL;
    CHECK_OK(ent_report_backtest(&text, res, 3, &o));
    json_error_t err;
    json_t *r = text ? json_loads(text, 0, &err) : NULL;
    CHECK(r != NULL);
    if (!r) {
        return CHECK_DONE();
    }
    CHECK_STR(json_string_value(json_object_get(r, "schema")), ENT_REPORT_BACKTEST_SCHEMA);
    json_t *split = json_object_get(r, "split");
    CHECK(json_integer_value(json_array_get(json_object_get(split, "fit"), 0)) == o.fit_from);
    CHECK(json_integer_value(json_array_get(json_object_get(split, "test"), 1)) == o.test_to);
    CHECK(num(split, "n_fit") == (double)res[0]->n_fit && num(split, "n_test") == (double)res[0]->n_test);
    CHECK(num(split, "events_validation") == (double)res[0]->events_valid);
    json_t *boot = json_object_get(r, "bootstrap");
    CHECK(num(boot, "resamples") == 20 && num(boot, "seed") == 7);
    json_t *ps = json_object_get(r, "predictors");
    CHECK(json_array_size(ps) == 3);
    for (size_t k = 0; k < 3 && k < json_array_size(ps); k++) {
        json_t *p = json_array_get(ps, k);
        const ent_backtest_t *b = res[k];
        CHECK_STR(json_string_value(json_object_get(p, "predictor")), preds[k]);
        CHECK(num(p, "seconds") == b->seconds);
        check_card(json_object_get(p, "dyad"), &b->dyad, false);
        check_card(json_object_get(p, "state"), &b->state, true);
        json_t *bins = json_object_get(p, "reliability");
        CHECK(json_array_size(bins) == b->nbins);
        if (b->nbins) {
            CHECK_STR(json_string_value(json_object_get(json_array_get(bins, b->nbins - 1), "bin")), "top1000");
        }
        json_t *ys = json_object_get(p, "years");
        CHECK(json_array_size(ys) == b->nyears);
        if (b->nyears) {
            json_t *y0 = json_array_get(ys, 0);
            CHECK(num(y0, "year") == b->years[0].year && num(y0, "events") == (double)b->years[0].events);
            CHECK(json_array_size(json_object_get(y0, "top_k_hits")) == ENT_BT_NTOPK);
        }
        /* penalised models only: the path and the coefficients, intercept first */
        json_t *co = json_object_get(p, "coefficients");
        CHECK((co != NULL) == (b->nlambdas > 0));
        if (co) {
            CHECK(json_array_size(co) == b->nfeat + 1);
            CHECK_STR(json_string_value(json_object_get(json_array_get(co, 0), "term")), "(intercept)");
            CHECK(num(json_array_get(co, 1), "coef") == b->coef[1]);
            CHECK(json_array_size(json_object_get(p, "penalty_path")) == b->nlambdas);
            CHECK(num(p, "lambda") == b->lambda);
        }
    }
    /* "none" forecasts 0 for events that happen: an infinite log score, null in JSON */
    CHECK(isinf(res[2]->dyad.log_score));
    json_decref(r);

    /* the same inputs and seed give the same document */
    ent_backtest_t *again = NULL;
    o.predictor = "logit";
    CHECK_OK(ent_backtest_run(&again, &t, &o));
    if (again) {
        again->seconds = res[0]->seconds;
        ent_backtest_t *one[1] = {again}, *first[1] = {res[0]};
        char *a = NULL, *b = NULL;
        CHECK_OK(ent_report_backtest(&a, one, 1, &o));
        CHECK_OK(ent_report_backtest(&b, first, 1, &o));
        CHECK(a && b && strcmp(a, b) == 0);
        ent_free(a);
        ent_free(b);
        ent_backtest_free(again);
    }
    char *none = NULL;
    CHECK_RC(ent_report_backtest(&none, res, 0, &o), ENT_EINVAL);
    CHECK(none == NULL);

    ent_free(text);
    for (int k = 0; k < 3; k++) {
        ent_backtest_free(res[k]);
    }
    ent_table_destroy(&t);
    return CHECK_DONE();
}
