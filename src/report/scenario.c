/*
 * scenario.c -- a scenario with every parameter's documented range (entente.scenario/1) and an
 * ensemble's results (entente.ensemble/1): the pole headlines, the fan-chart series, every
 * state's alignment probabilities with their intervals, and the effect against a baseline run
 * on the same random streams. docs/report.md documents the fields.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "util_int.h"

/* The abbreviation of the state with COW code `ccode`, or NULL when the world has none. */
static const char *abbr_of(const ent_world_t *w, int32_t ccode)
{
    if (!w) {
        return NULL;
    }
    char code[16];
    int64_t idx;
    snprintf(code, sizeof code, "%d", ccode);
    return ent_world_find(&idx, w, code) == ENT_OK ? ent_world_state(w, (size_t)idx)->abbr : NULL;
}

static json_t *state_key_json(const ent_world_t *w, int32_t ccode)
{
    const char *a = abbr_of(w, ccode);
    return a ? json_string(a) : json_integer(ccode);
}

static double param_value(const ent_scenario_t *s, const ent_sim_param_t *p, int pole)
{
    const char *at = (const char *)s + p->offset;
    switch (p->type) {
    case 'i': return ((const int *)at)[pole];
    case 'l': return (double)((const int64_t *)at)[pole];
    case 'u': return (double)((const uint64_t *)at)[pole];
    default: return ((const double *)at)[pole];
    }
}

static const char *lever_names[] = {"tightening", "engagement", "inducements", "coercion", "wedge"};

static double lever_value(const ent_levers_t *l, int k)
{
    const double v[] = {l->tightening, l->engagement, l->inducements, l->coercion, l->wedge};
    return v[k];
}

static const char *shock_kind(ent_shock_kind_t k)
{
    switch (k) {
    case ENT_SHOCK_CRISIS: return "crisis";
    case ENT_SHOCK_WAR: return "war";
    case ENT_SHOCK_SANCTIONS: return "sanctions";
    case ENT_SHOCK_PACT: return "pact";
    case ENT_SHOCK_GROWTH: return "growth";
    }
    return "unknown";
}

ent_err_t ent_report_scenario(char **out, const ent_scenario_t *s, const ent_world_t *w)
{
    *out = NULL;
    json_t *o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_SCENARIO_SCHEMA));
    o = ent_rep_put(o, "name", json_string(s->name));
    o = ent_rep_put(o, "description", json_string(s->description));
    json_t *poles = json_array();
    for (int p = 0; p < s->npoles; p++) {
        poles = ent_rep_push(poles, state_key_json(w, s->poles[p]));
    }
    o = ent_rep_put(o, "poles", poles);
    json_t *params = json_array();
    for (const ent_sim_param_t *p = ent_sim_params(); params && p->key; p++) {
        json_t *x = json_object();
        x = ent_rep_put(x, "key", json_string(p->key));
        x = ent_rep_put(x, "type", json_string(p->type == 'd' ? "number" : "integer"));
        if (p->per_pole) {
            json_t *v = json_object();
            for (int k = 0; v && k < s->npoles; k++) {
                const char *a = abbr_of(w, s->poles[k]);
                char code[16];
                snprintf(code, sizeof code, "%d", s->poles[k]);
                v = ent_rep_put(v, a ? a : code, ent_rep_num(param_value(s, p, k)));
            }
            x = ent_rep_put(x, "value", v);
        } else {
            x = ent_rep_put(x, "value", ent_rep_num(param_value(s, p, 0)));
        }
        x = ent_rep_put(x, "per_pole", json_boolean(p->per_pole));
        x = ent_rep_put(x, "default", ent_rep_num(p->def));
        x = ent_rep_put(x, "min", ent_rep_num(p->min));
        x = ent_rep_put(x, "max", ent_rep_num(p->max));
        x = ent_rep_put(x, "why", json_string(p->why));
        params = ent_rep_push(params, x);
    }
    o = ent_rep_put(o, "parameters", params);
    json_t *levers = json_object();
    for (int p = 0; levers && p < s->npoles; p++) {
        json_t *l = json_object();
        for (int k = 0; k < 5; k++) {
            l = ent_rep_put(l, lever_names[k], ent_rep_num(lever_value(&s->levers[p], k)));
        }
        const char *a = abbr_of(w, s->poles[p]);
        char code[16];
        snprintf(code, sizeof code, "%d", s->poles[p]);
        levers = ent_rep_put(levers, a ? a : code, l);
    }
    o = ent_rep_put(o, "levers", levers);
    json_t *lr = json_object();
    lr = ent_rep_put(lr, "min", json_integer(0));
    lr = ent_rep_put(lr, "max", json_integer(1));
    o = ent_rep_put(o, "lever_range", lr);
    json_t *shocks = json_array();
    for (size_t k = 0; shocks && k < s->nshocks; k++) {
        const ent_shock_t *x = &s->shocks[k];
        json_t *j = json_object();
        j = ent_rep_put(j, "year", json_integer(x->year));
        j = ent_rep_put(j, "duration", json_integer(x->duration));
        j = ent_rep_put(j, "kind", json_string(shock_kind(x->kind)));
        j = ent_rep_put(j, "a", state_key_json(w, x->a));
        j = ent_rep_put(j, "b", x->b ? state_key_json(w, x->b) : json_null());
        j = ent_rep_put(j, "magnitude", ent_rep_num(x->magnitude));
        shocks = ent_rep_push(shocks, j);
    }
    o = ent_rep_put(o, "shocks", shocks);
    return ent_rep_finish(out, o);
}

/* ------------------------------------------------------------------ ensemble results */

static const ent_state_t *model_state(const ent_world_t *w, const ent_model_t *m, size_t i)
{
    return ent_world_state(w, (size_t)ent_model_state(m, i));
}

static const char *pole_abbr(const ent_world_t *w, const ent_model_t *m, int p)
{
    return model_state(w, m, ent_model_pole_state(m, p))->abbr;
}

/* "aligned_CHN", "finlandized_USA", "hedge", "pole" for alignment code a of a model of K poles. */
static void align_key(char *buf, size_t n, const ent_world_t *w, const ent_model_t *m, int a)
{
    (void)w;
    ent_model_align_key(m, (ent_align_t)a, buf, n);
}

static json_t *prob(ent_prob_t p)
{
    return ent_rep_prob(p.p, p.lo, p.hi, p.n);
}

/* The pacts pole p holds in the base year (the same in every run). */
static int base_pacts(const ent_ensemble_t *e, int p, int start_year)
{
    return (int)lround(ent_ensemble_mean(e, ent_series_for_pole(ENT_SERIES_PACTS0, p), start_year));
}

/*
 * The difference of two probabilities estimated on separate ensembles, b - a, with Newcombe's
 * (1998, method 10) interval built from the two Wilson intervals. The runs of a scenario and its
 * baseline share their random streams, so this unpaired interval is conservative (wider than a
 * paired one would be); the pact counts, where a paired one exists, use it.
 */
static json_t *diff_json(ent_prob_t a, ent_prob_t b)
{
    double d = b.p - a.p;
    double lo = d - sqrt((b.p - b.lo) * (b.p - b.lo) + (a.hi - a.p) * (a.hi - a.p));
    double hi = d + sqrt((b.hi - b.p) * (b.hi - b.p) + (a.p - a.lo) * (a.p - a.lo));
    json_t *o = json_object();
    o = ent_rep_put(o, "diff", ent_rep_num(d));
    o = ent_rep_put(o, "lo", ent_rep_num(lo));
    return ent_rep_put(o, "hi", ent_rep_num(hi));
}

/* The later year of a headline: ten years after the report year, within the horizon (as `entente simulate`). */
static int later_year(const ent_scenario_t *s)
{
    return s->report_year + 10 < s->start_year + s->years ? s->report_year + 10 : s->start_year + s->years;
}

/*
 * P[a defence pact between poles p and q by a year], each pair once in canonical order and named by
 * the poles' codes, as `entente simulate --json` writes it, with its interval; with a baseline (same
 * poles) the effect on it by the report year, paired over the common runs as the poles' pact counts.
 */
static json_t *pole_pacts_json(const ent_scenario_t *s, const ent_model_t *m, const ent_ensemble_t *e,
                               const ent_ensemble_t *base)
{
    int ry = s->report_year, ly = later_year(s), np = ent_model_npoles(m);
    json_t *arr = json_array();
    for (int p = 0; arr && p < np; p++) {
        for (int q = p + 1; arr && q < np; q++) {
            json_t *pair = json_array();
            pair = ent_rep_push(pair, json_string(ent_model_pole_code(m, p)));
            pair = ent_rep_push(pair, json_string(ent_model_pole_code(m, q)));
            json_t *o = json_object();
            o = ent_rep_put(o, "poles", pair);
            o = ent_rep_put(o, "report_year", json_integer(ry));
            o = ent_rep_put(o, "p_pact_by_report_year", prob(ent_ensemble_p_pole_pact(e, p, q, ry)));
            o = ent_rep_put(o, "later_year", json_integer(ly));
            o = ent_rep_put(o, "p_pact_by_later_year", prob(ent_ensemble_p_pole_pact(e, p, q, ly)));
            double diff, lo, hi;
            json_t *d = NULL;
            if (base && ent_ensemble_diff_pole_pact(&diff, &lo, &hi, base, p, q, e, p, q, ry) == ENT_OK) {
                d = json_object();
                d = ent_rep_put(d, "diff", ent_rep_num(diff));
                d = ent_rep_put(d, "lo", ent_rep_num(lo));
                d = ent_rep_put(d, "hi", ent_rep_num(hi));
                d = ent_rep_put(d, "paired", json_true());
            } else if (base) {
                /* the run ranges differ (a cancelled run): the unpaired interval instead */
                d = diff_json(ent_ensemble_p_pole_pact(base, p, q, ry), ent_ensemble_p_pole_pact(e, p, q, ry));
                d = ent_rep_put(d, "paired", json_false());
            }
            if (d) {
                o = ent_rep_put(o, "effect_vs_baseline_by_report_year", d);
            }
            arr = ent_rep_push(arr, o);
        }
    }
    return arr;
}

ent_err_t ent_report_ensemble(char **out, const ent_world_t *w, const ent_scenario_t *s, const ent_model_t *m,
                              const ent_ensemble_t *e, const ent_scenario_t *base_s, const ent_model_t *base_m,
                              const ent_ensemble_t *base)
{
    *out = NULL;
    if ((base != NULL) != (base_m != NULL) || (base != NULL) != (base_s != NULL)) {
        return ent_i_err(ENT_EINVAL, "ent_report_ensemble: a baseline needs its scenario, model and ensemble");
    }
    if (base && (ent_model_nstates(base_m) != ent_model_nstates(m) || base_s->start_year != s->start_year ||
                 base_s->years != s->years || base_s->npoles != s->npoles ||
                 memcmp(base_s->poles, s->poles, (size_t)s->npoles * sizeof *s->poles) != 0)) {
        return ent_i_err(ENT_EINVAL,
                         "ent_report_ensemble: the baseline '%s' does not cover the same states, poles "
                         "and years as '%s'",
                         base_s->name, s->name);
    }
    int ry = s->report_year, last = s->start_year + s->years;
    int64_t runs = ent_ensemble_runs(e);
    json_t *o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_ENSEMBLE_SCHEMA));
    o = ent_rep_put(o, "scenario", json_string(s->name));
    o = ent_rep_put(o, "description", json_string(s->description));
    o = ent_rep_put(o, "runs", json_integer((json_int_t)runs));
    o = ent_rep_put(o, "runs_requested", json_integer((json_int_t)s->runs));
    o = ent_rep_put(o, "seed", json_integer((json_int_t)s->seed));
    o = ent_rep_put(o, "start_year", json_integer(s->start_year));
    o = ent_rep_put(o, "end_year", json_integer(last));
    o = ent_rep_put(o, "report_year", json_integer(ry));
    json_t *poles = json_array();
    for (int p = 0; poles && p < ent_model_npoles(m); p++) {
        poles = ent_rep_push(poles, ent_rep_pole(w, m, e, p, s->start_year, ry, 0, prob));
    }
    o = ent_rep_put(o, "poles", poles);
    o = ent_rep_put(o, "pole_pacts", pole_pacts_json(s, m, e, base));
    json_t *series = ent_rep_series(m, e, s->start_year, last, ent_rep_num);
    o = ent_rep_put(o, "series", series);
    json_t *states = json_array();
    size_t n = ent_model_nstates(m);
    for (size_t i = 0; states && i < n; i++) {
        const ent_state_t *st = model_state(w, m, i);
        char key[64];
        json_t *x = json_object();
        x = ent_rep_put(x, "abbr", json_string(st->abbr));
        x = ent_rep_put(x, "name", json_string(st->name));
        x = ent_rep_put(x, "ccode", json_integer(st->ccode));
        align_key(key, sizeof key, w, m, (int)ent_model_initial_alignment(m, i));
        x = ent_rep_put(x, "initial_alignment", json_string(key));
        json_t *al = json_object();
        for (int a = 0; al && a < ENT_ALIGN_SELF(ent_model_npoles(m)); a++) {
            align_key(key, sizeof key, w, m, a);
            al = ent_rep_put(al, key, prob(ent_ensemble_p_align(e, i, (ent_align_t)a, ry)));
        }
        x = ent_rep_put(x, "alignment_report_year", al);
        for (int p = 0; p < ent_model_npoles(m); p++) {
            snprintf(key, sizeof key, "p_pact_with_%s_by_report_year", pole_abbr(w, m, p));
            x = ent_rep_put(x, key, prob(ent_ensemble_p_pact_with(e, i, p, ry)));
        }
        if (base) {
            /* the baseline's state i is the same state: both models keep every state of the base year */
            json_t *d = json_object();
            for (int a = 0; d && a < ENT_ALIGN_SELF(ent_model_npoles(m)); a++) {
                align_key(key, sizeof key, w, m, a);
                d = ent_rep_put(d, key,
                                diff_json(ent_ensemble_p_align(base, i, (ent_align_t)a, ry),
                                          ent_ensemble_p_align(e, i, (ent_align_t)a, ry)));
            }
            x = ent_rep_put(x, "alignment_effect_vs_baseline", d);
        }
        states = ent_rep_push(states, x);
    }
    o = ent_rep_put(o, "states", states);
    if (base) {
        json_t *b = json_object();
        b = ent_rep_put(b, "scenario", json_string(base_s->name));
        b = ent_rep_put(b, "runs", json_integer((json_int_t)ent_ensemble_runs(base)));
        b = ent_rep_put(b, "seed", json_integer((json_int_t)base_s->seed));
        json_t *bp = json_array();
        for (int p = 0; bp && p < ent_model_npoles(m); p++) {
            int k = base_pacts(base, p, s->start_year) + 1;
            double diff, lo, hi;
            json_t *x = json_object();
            x = ent_rep_put(x, "pole", json_string(pole_abbr(w, m, p)));
            x = ent_rep_put(x, "baseline_p_more_pacts_than_base_by_report_year",
                            prob(ent_ensemble_p_pacts(base, p, k, ry)));
            if (ent_ensemble_diff_pacts(&diff, &lo, &hi, base, e, p, k, ry) == ENT_OK) {
                json_t *d = json_object();
                d = ent_rep_put(d, "diff", ent_rep_num(diff));
                d = ent_rep_put(d, "lo", ent_rep_num(lo));
                d = ent_rep_put(d, "hi", ent_rep_num(hi));
                d = ent_rep_put(d, "paired", json_true());
                x = ent_rep_put(x, "effect_more_pacts_by_report_year", d);
            } else {
                /* the run ranges differ (a cancelled run): no paired interval, the unpaired one instead */
                json_t *d = diff_json(ent_ensemble_p_pacts(base, p, k, ry), ent_ensemble_p_pacts(e, p, k, ry));
                d = ent_rep_put(d, "paired", json_false());
                x = ent_rep_put(x, "effect_more_pacts_by_report_year", d);
            }
            bp = ent_rep_push(bp, x);
        }
        b = ent_rep_put(b, "poles", bp);
        o = ent_rep_put(o, "baseline", b);
    }
    return ent_rep_finish(out, o);
}

ent_err_t ent_report_scenarios(char **out, const ent_scenario_t *s, size_t n, const ent_world_t *w)
{
    *out = NULL;
    json_t *o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_SCENARIOS_SCHEMA));
    json_t *a = json_array();
    for (size_t k = 0; a && k < n; k++) {
        json_t *x = json_object();
        x = ent_rep_put(x, "name", json_string(s[k].name));
        x = ent_rep_put(x, "description", json_string(s[k].description));
        json_t *poles = json_array();
        for (int p = 0; p < s[k].npoles; p++) {
            poles = ent_rep_push(poles, state_key_json(w, s[k].poles[p]));
        }
        x = ent_rep_put(x, "poles", poles);
        x = ent_rep_put(x, "start_year", json_integer(s[k].start_year));
        x = ent_rep_put(x, "years", json_integer(s[k].years));
        x = ent_rep_put(x, "report_year", json_integer(s[k].report_year));
        x = ent_rep_put(x, "runs", json_integer((json_int_t)s[k].runs));
        x = ent_rep_put(x, "seed", json_integer((json_int_t)s[k].seed));
        x = ent_rep_put(x, "shocks", json_integer((json_int_t)s[k].nshocks));
        a = ent_rep_push(a, x);
    }
    o = ent_rep_put(o, "scenarios", a);
    return ent_rep_finish(out, o);
}
