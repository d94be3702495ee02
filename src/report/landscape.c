/*
 * landscape.c -- the result of `entente landscape` (entente.landscape/1), computed and written
 * once: the actors with their sizes, the solver's result, the global minimum and the lowest local
 * minima with their basins, and for a world's landscape the terms of every propensity; and the
 * text the command prints. docs/report.md documents the fields; docs/models/landscape.md the model.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "util_int.h"

ENT_I_OPTIONS_INIT_FN(ent_report_landscape_options_init, ent_report_landscape_options_t,
                      ENT_REPORT_LANDSCAPE_OPTIONS_VERSION, ENT_REPORT_LANDSCAPE_OPTIONS_INIT)

static json_t *partition_json(const ent_landscape_t *l, const int32_t *side)
{
    json_t *o = json_object();
    for (int32_t i = 0; o && i < l->n; i++) {
        o = ent_rep_put(o, l->label[i], json_integer(side[i]));
    }
    return o;
}

static json_t *members_json(const ent_landscape_t *l, const int32_t *side, int which)
{
    json_t *a = json_array();
    for (int32_t i = 0; a && i < l->n; i++) {
        if (side[i] == which) {
            a = ent_rep_push(a, json_string(l->label[i]));
        }
    }
    return a;
}

static json_t *sides_json(const ent_landscape_t *l, const int32_t *side)
{
    json_t *a = json_array();
    a = ent_rep_push(a, members_json(l, side, 0));
    return ent_rep_push(a, members_json(l, side, 1));
}

static const char *basins_name(ent_landscape_basins_t b)
{
    return b == ENT_LANDSCAPE_BASINS_EXACT ? "exact" : b == ENT_LANDSCAPE_BASINS_SAMPLED ? "sampled" : "none";
}

/* The kept minimum with the global minimum's sides, or -1. */
static long find_global(const ent_landscape_result_t *r)
{
    for (size_t k = 0; k < r->minima.len; k++) {
        if (memcmp(ent_landscape_min_side(r, k), r->side.data, (size_t)r->n * sizeof(int32_t)) == 0) {
            return (long)k;
        }
    }
    return -1;
}

/* A real, or null when it is not finite. */
static json_t *real(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static ent_err_t check(const ent_landscape_t *l, const ent_landscape_result_t *r, const char *fn)
{
    if (r->n != l->n) {
        return ent_i_err(ENT_EINVAL, "%s: the result has %d actors, the landscape %d", fn, (int)r->n, (int)l->n);
    }
    return ENT_OK;
}

ent_err_t ent_report_landscape(char **out, const ent_landscape_t *l, const ent_landscape_result_t *r,
                               const ent_vec_t *terms, const ent_report_landscape_options_t *opts)
{
    *out = NULL;
    ent_report_landscape_options_t def = ENT_REPORT_LANDSCAPE_OPTIONS_INIT;
    ENT_I_CHECK_OPTIONS(opts, ENT_REPORT_LANDSCAPE_OPTIONS_VERSION);
    ent_err_t rc = check(l, r, "ent_report_landscape");
    if (rc != ENT_OK) {
        return rc;
    }
    const ent_report_landscape_options_t *o = opts ? opts : &def;
    json_t *root = json_object();
    root = ent_rep_put(root, "schema", json_string(ENT_REPORT_LANDSCAPE_SCHEMA));
    if (o->actors_file) {
        root = ent_rep_put(root, "actors_file", json_string(o->actors_file));
        root = ent_rep_put(root, "propensities_file",
                           o->propensities_file ? json_string(o->propensities_file) : json_null());
    } else {
        root = ent_rep_put(root, "date", ent_rep_date(o->date));
        root = ent_rep_put(root, "world", o->world ? json_string(o->world) : json_null());
    }
    json_t *actors = json_array();
    for (int32_t i = 0; actors && i < l->n; i++) {
        json_t *a = json_object();
        a = ent_rep_put(a, "actor", json_string(l->label[i]));
        a = ent_rep_put(a, "size", real(l->size[i]));
        actors = ent_rep_push(actors, a);
    }
    root = ent_rep_put(root, "actors", actors);
    root = ent_rep_put(root, "n", json_integer(l->n));
    root = ent_rep_put(root, "method", json_string(r->method));
    root = ent_rep_put(root, "optimal", json_boolean(r->optimal));
    root = ent_rep_put(root, "bound", ent_rep_num(r->bound));
    root = ent_rep_put(root, "gap", ent_rep_num(r->gap));
    root = ent_rep_put(root, "seconds", real(r->seconds));
    root = ent_rep_put(root, "complete", json_boolean(r->complete));
    root = ent_rep_put(root, "basins", json_string(basins_name(r->basins)));
    root = ent_rep_put(root, "configurations", json_integer((json_int_t)r->configurations));
    root = ent_rep_put(root, "samples", json_integer((json_int_t)r->samples));
    root = ent_rep_put(root, "local_minima", json_integer((json_int_t)r->nminima));
    long g = find_global(r);
    json_t *gm = json_object();
    gm = ent_rep_put(gm, "energy", ent_rep_num(r->energy));
    gm = ent_rep_put(gm, "partition", partition_json(l, r->side.data));
    gm = ent_rep_put(gm, "sides", sides_json(l, r->side.data));
    if (g >= 0) {
        const ent_landscape_min_t *m = &ENT_VEC_AT(&r->minima, ent_landscape_min_t, (size_t)g);
        gm = ent_rep_put(gm, "basin", json_integer((json_int_t)m->basin));
        gm = ent_rep_put(gm, "basin_share", ent_rep_num(m->basin_share));
    } else {
        gm = ent_rep_put(gm, "basin", json_null());
        gm = ent_rep_put(gm, "basin_share", json_null());
    }
    root = ent_rep_put(root, "global_minimum", gm);
    json_t *mins = json_array();
    size_t show = r->minima.len < o->minima ? r->minima.len : o->minima;
    for (size_t k = 0; mins && k < show; k++) {
        const ent_landscape_min_t *m = &ENT_VEC_AT(&r->minima, ent_landscape_min_t, k);
        const int32_t *side = ent_landscape_min_side(r, k);
        json_t *x = json_object();
        x = ent_rep_put(x, "energy", ent_rep_num(m->energy));
        x = ent_rep_put(x, "partition", partition_json(l, side));
        x = ent_rep_put(x, "sides", sides_json(l, side));
        x = ent_rep_put(x, "basin", json_integer((json_int_t)m->basin));
        x = ent_rep_put(x, "basin_share", ent_rep_num(m->basin_share));
        x = ent_rep_put(x, "global", json_boolean((long)k == g));
        mins = ent_rep_push(mins, x);
    }
    root = ent_rep_put(root, "minima", mins);
    if (terms) {
        json_t *pa = json_array();
        for (size_t k = 0; pa && k < terms->len; k++) {
            const ent_landscape_term_t *t = &ENT_VEC_AT(terms, ent_landscape_term_t, k);
            json_t *x = json_object();
            x = ent_rep_put(x, "a", json_string(l->label[t->i]));
            x = ent_rep_put(x, "b", json_string(l->label[t->j]));
            x = ent_rep_put(x, "p", ent_rep_num(t->p));
            x = ent_rep_put(x, "pact", ent_rep_num(t->pact));
            x = ent_rep_put(x, "partnership", ent_rep_num(t->partnership));
            x = ent_rep_put(x, "rivalry", ent_rep_num(t->rivalry));
            x = ent_rep_put(x, "coercion", ent_rep_num(t->coercion));
            x = ent_rep_put(x, "regime", ent_rep_num(t->regime));
            pa = ent_rep_push(pa, x);
        }
        root = ent_rep_put(root, "propensities", pa);
    }
    return ent_rep_finish(out, root);
}

static void side_text(ent_buf_t *b, ent_err_t *rc, const ent_landscape_t *l, const int32_t *side, int which)
{
    int any = 0;
    for (int32_t i = 0; i < l->n; i++) {
        if (side[i] == which) {
            ent_rep_printf(b, rc, " %s", l->label[i]);
            any = 1;
        }
    }
    if (!any) {
        ent_rep_printf(b, rc, " (nobody)");
    }
    ent_rep_printf(b, rc, "\n");
}

ent_err_t ent_report_landscape_text(char **out, const ent_landscape_t *l, const ent_landscape_result_t *r,
                                    const ent_report_landscape_options_t *opts)
{
    *out = NULL;
    ent_report_landscape_options_t def = ENT_REPORT_LANDSCAPE_OPTIONS_INIT;
    ENT_I_CHECK_OPTIONS(opts, ENT_REPORT_LANDSCAPE_OPTIONS_VERSION);
    ent_err_t rc = check(l, r, "ent_report_landscape_text");
    if (rc != ENT_OK) {
        return rc;
    }
    const ent_report_landscape_options_t *o = opts ? opts : &def;
    ent_buf_t b = ENT_BUF_INIT;
    if (!o->actors_file) {
        char day[11] = "";
        if (o->date != ENT_DATE_NONE) {
            ent_date_format(day, o->date);
        }
        ent_rep_printf(&b, &rc, "Which two-bloc splits are stable on %s? The landscape of %d states\n", day, (int)l->n);
        ent_rep_printf(&b, &rc,
                       "(sizes: CINC; propensities: pacts, partnerships, rivalries, coercion, regime similarity --\n"
                       " docs/models/landscape.md)\n");
    } else {
        ent_rep_printf(&b, &rc, "landscape: %d actors (%s, %s)\n", (int)l->n, o->actors_file,
                       o->propensities_file ? o->propensities_file : "");
    }
    ent_rep_printf(&b, &rc, "method: %s", r->method);
    if (r->complete) {
        ent_rep_printf(&b, &rc, ", %llu configurations", (unsigned long long)r->configurations);
    } else {
        ent_rep_printf(&b, &rc, ", minima from %llu descents", (unsigned long long)r->samples);
    }
    ent_rep_printf(&b, &rc, ", %.3f s\n", r->seconds);
    ent_rep_printf(&b, &rc, "global minimum: energy %.6g%s", r->energy, r->optimal ? " (optimal)" : "");
    if (!r->optimal) {
        if (isfinite(r->bound)) {
            ent_rep_printf(&b, &rc, ", bound %.6g, gap %.2f%% (of the frustration)", r->bound, 100.0 * r->gap);
        } else {
            ent_rep_printf(&b, &rc, ", no bound");
        }
    }
    ent_rep_printf(&b, &rc, "\n");
    ent_rep_printf(&b, &rc, "  side 0:");
    side_text(&b, &rc, l, r->side.data, 0);
    ent_rep_printf(&b, &rc, "  side 1:");
    side_text(&b, &rc, l, r->side.data, 1);
    ent_rep_printf(&b, &rc, "%llu local minim%s%s; basins %s%s\n", (unsigned long long)r->nminima,
                   r->nminima == 1 ? "um" : "a", r->complete ? " (every one)" : " found by sampling",
                   r->basins == ENT_LANDSCAPE_BASINS_EXACT     ? "exact (configurations)"
                   : r->basins == ENT_LANDSCAPE_BASINS_SAMPLED ? "sampled (descents)"
                                                               : "not measured",
                   r->minima.len < r->nminima ? "; lowest listed" : "");
    /* actors with no propensity to anyone sit on either side: minima that differ only by them are one split */
    int nind = 0;
    for (int32_t i = 0; i < l->n; i++) {
        bool none = true;
        for (int32_t j = 0; j < l->n && none; j++) {
            none = ent_landscape_p(l, i, j) == 0.0;
        }
        if (none) {
            ent_rep_printf(&b, &rc, "%s %s",
                           nind++ ? "" : "indifferent (no propensity to anyone, either side will do):", l->label[i]);
        }
    }
    if (nind) {
        ent_rep_printf(&b, &rc, "\n");
    }
    size_t show = r->minima.len < o->minima ? r->minima.len : o->minima;
    long g = find_global(r);
    if (show) {
        ent_rep_printf(&b, &rc, "(side 0 is the side of %s)\n", l->label[0]);
    }
    for (size_t k = 0; k < show; k++) {
        const ent_landscape_min_t *m = &ENT_VEC_AT(&r->minima, ent_landscape_min_t, k);
        const int32_t *side = ent_landscape_min_side(r, k);
        char share[32];
        if (isnan(m->basin_share)) {
            snprintf(share, sizeof share, "-");
        } else {
            snprintf(share, sizeof share, "%.1f%%", 100.0 * m->basin_share);
        }
        ent_rep_printf(&b, &rc, "%zu. energy %.6g, basin %llu (%s)%s\n", k + 1, m->energy, (unsigned long long)m->basin,
                       share, (long)k == g ? ", the global minimum" : "");
        ent_rep_printf(&b, &rc, "   side 0:");
        side_text(&b, &rc, l, side, 0);
        ent_rep_printf(&b, &rc, "   side 1:");
        side_text(&b, &rc, l, side, 1);
    }
    if (show < r->minima.len) {
        ent_rep_printf(&b, &rc, "(%zu more; --minima N lists more)\n", r->minima.len - show);
    }
    if (rc == ENT_OK && !(*out = ent_strdup(ent_buf_cstr(&b)))) {
        rc = ent_i_nomem();
    }
    ent_buf_destroy(&b);
    return rc;
}
