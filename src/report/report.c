/*
 * report.c -- the pieces every report shares: numbers, dates, serialisation.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "util_int.h"

json_t *ent_rep_num(double v)
{
    if (isnan(v) || isinf(v)) {
        return json_null();
    }
    /* integral values print as integers, so a count read back is an integer in every binding */
    if (v == floor(v) && fabs(v) < 9e15) {
        return json_integer((json_int_t)v);
    }
    return json_real(v);
}

json_t *ent_rep_date(ent_date_t d)
{
    if (d == ENT_DATE_MAX || d == ENT_DATE_NONE) {
        return json_null();
    }
    char buf[11];
    ent_date_format(buf, d);
    return json_string(buf);
}

ent_err_t ent_rep_finish(char **out, json_t *o)
{
    *out = NULL;
    if (!o) {
        return ent_i_nomem();
    }
    /* jansson allocates with malloc; hand the caller a copy from ours so ent_free() is always right */
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!s) {
        return ent_i_nomem();
    }
    *out = ent_strdup(s);
    free(s);
    return *out ? ENT_OK : ent_i_nomem();
}

json_t *ent_rep_put(json_t *o, const char *key, json_t *value)
{
    if (!o || !value || json_object_set_new(o, key, value)) {
        json_decref(o);
        if (!o) {
            json_decref(value);
        }
        return NULL;
    }
    return o;
}

json_t *ent_rep_push(json_t *a, json_t *value)
{
    if (!a || !value || json_array_append_new(a, value)) {
        json_decref(a);
        if (!a) {
            json_decref(value);
        }
        return NULL;
    }
    return a;
}

json_t *ent_rep_prob(double p, double lo, double hi, int64_t runs)
{
    json_t *o = json_object();
    o = ent_rep_put(o, "p", ent_rep_num(p));
    o = ent_rep_put(o, "lo", ent_rep_num(lo));
    o = ent_rep_put(o, "hi", ent_rep_num(hi));
    return ent_rep_put(o, "runs", json_integer((json_int_t)runs));
}

double ent_rep_cinc(const ent_world_t *w, size_t i, int year, int *used)
{
    for (int d = 0; d <= 10; d++) {
        /* earlier first: a figure of the past is what was known on the date */
        for (int y = year - d; y <= year + d; y += d ? 2 * d : 1) {
            double c = ent_world_cinc(w, i, y);
            if (!isnan(c)) {
                if (used) {
                    *used = y;
                }
                return c;
            }
        }
    }
    if (used) {
        *used = 0;
    }
    return NAN;
}

json_t *ent_rep_series(const ent_model_t *m, const ent_ensemble_t *e, int from, int to, json_t *(*num)(double))
{
    json_t *series = json_object();
    for (int sr = 0; series && sr < ent_model_nseries(m); sr++) {
        json_t *rows = json_array();
        for (int y = from; rows && y <= to; y++) {
            json_t *r = json_object();
            r = ent_rep_put(r, "year", json_integer(y));
            r = ent_rep_put(r, "mean", num(ent_ensemble_mean(e, (ent_series_t)sr, y)));
            r = ent_rep_put(r, "q05", num(ent_ensemble_quantile(e, (ent_series_t)sr, y, 0.05)));
            r = ent_rep_put(r, "q50", num(ent_ensemble_quantile(e, (ent_series_t)sr, y, 0.5)));
            r = ent_rep_put(r, "q95", num(ent_ensemble_quantile(e, (ent_series_t)sr, y, 0.95)));
            rows = ent_rep_push(rows, r);
        }
        char key[64];
        ent_model_series_key(m, (ent_series_t)sr, key, sizeof key);
        series = ent_rep_put(series, key, rows);
    }
    return series;
}

void ent_rep_printf(ent_buf_t *b, ent_err_t *rc, const char *fmt, ...)
{
    if (*rc != ENT_OK) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    *rc = ent_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

json_t *ent_rep_pole(const ent_world_t *w, const ent_model_t *m, const ent_ensemble_t *e, int p, int start_year,
                     int report_year, int k_pacts, json_t *(*prob)(ent_prob_t))
{
    const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(m, (size_t)ent_model_pole_state(m, p)));
    /* the pacts the pole holds in the base year: the same in every run */
    int bp = (int)lround(ent_ensemble_mean(e, ent_series_for_pole(ENT_SERIES_PACTS0, p), start_year));
    json_t *x = json_object();
    x = ent_rep_put(x, "pole", json_string(st->abbr));
    x = ent_rep_put(x, "name", json_string(st->name));
    x = ent_rep_put(x, "ccode", json_integer(st->ccode));
    x = ent_rep_put(x, "pacts_in_base_year", json_integer(bp));
    if (k_pacts > 0) {
        char key[64];
        snprintf(key, sizeof key, "p_at_least_%d_pacts_by_report_year", k_pacts);
        x = ent_rep_put(x, key, prob(ent_ensemble_p_pacts(e, p, k_pacts, report_year)));
    }
    x = ent_rep_put(x, "p_more_pacts_than_base_by_report_year", prob(ent_ensemble_p_pacts(e, p, bp + 1, report_year)));
    x = ent_rep_put(x, "p_alliance_builder_by_report_year", prob(ent_ensemble_p_builder(e, p, report_year)));
    int my = ent_ensemble_median_cross_year(e, p);
    return ent_rep_put(x, "median_year_alliance_builder", my ? json_integer(my) : json_null());
}
