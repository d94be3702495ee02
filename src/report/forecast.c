/*
 * forecast.c -- the results of `entente simulate` and `entente forecast`, computed and written
 * once: the simulate document (entente.simulate/1: one scenario's pole headlines, series bands
 * and per-state probabilities), its two CSV tables, the forecast document (entente.forecast/1:
 * every scenario's headline for China and per pole, with the paired effects against the
 * baseline), and the text both commands print. The CLI runs the ensembles (threads, MPI,
 * progress) and prints what these return; docs/report.md documents the fields.
 *
 * The numbers of a probability are JSON reals even when integral (0.0, 1.0), as the CLI has
 * always written them, so a reader never sees a probability change type between runs.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "util_int.h"

/* ------------------------------------------------------------------ shared pieces */

static const ent_state_t *model_state(const ent_world_t *w, const ent_model_t *m, size_t i)
{
    return ent_world_state(w, (size_t)ent_model_state(m, i));
}

static const ent_state_t *pole_st(const ent_world_t *w, const ent_report_run_t *r, int p)
{
    return model_state(w, r->model, ent_model_pole_state(r->model, p));
}

static const char *pole_abbr(const ent_world_t *w, const ent_report_run_t *r, int p)
{
    return pole_st(w, r, p)->abbr;
}

/* The pole index of the state with COW abbreviation `abbr`, or -1 when it is not a pole of the run. */
static int find_pole(const ent_world_t *w, const ent_report_run_t *r, const char *abbr)
{
    for (int p = 0; p < ent_model_npoles(r->model); p++) {
        if (strcmp(pole_abbr(w, r, p), abbr) == 0) {
            return p;
        }
    }
    return -1;
}

/* "China (CHN)": a state for people, with its COW abbreviation. */
static const char *full_name(const ent_state_t *st, char *buf, size_t n)
{
    snprintf(buf, n, "%s (%s)", st->name, st->abbr);
    return buf;
}

/* The number of defence pacts pole p holds in the base year (the same in every run). */
static int base_pacts(const ent_report_run_t *r, int p)
{
    return (int)lround(
        ent_ensemble_mean(r->ensemble, ent_series_for_pole(ENT_SERIES_PACTS0, p), r->scenario->start_year));
}

/* The later year of the forecast's headline: ten years after the report year, within the horizon. */
static int later_year(const ent_scenario_t *s)
{
    return s->report_year + 10 < s->start_year + s->years ? s->report_year + 10 : s->start_year + s->years;
}

/* A real, or null when it is not finite (JSON has neither NaN nor infinity). */
/* ---- pacts between two poles (issue 12). A pact of two poles counts in both poles' pact and builder
 * counts; its own record, P[a pact between poles p and q by a year], is reported here, each pair
 * once, named by the poles' state codes. */

static json_t *prob(ent_prob_t p);
static json_t *effect(double d, double lo, double hi);

/*
 * The paired effect of run r against the baseline rb on P[a pact between poles p and q of r by
 * `year`], the poles matched in the baseline by their codes; false when the baseline lacks one of
 * them or the runs cannot be paired.
 */
static bool pair_effect(double *d, double *lo, double *hi, const ent_world_t *w, const ent_report_run_t *rb,
                        const ent_report_run_t *r, int p, int q, int year)
{
    int bp = find_pole(w, rb, pole_abbr(w, r, p)), bq = find_pole(w, rb, pole_abbr(w, r, q));
    return bp >= 0 && bq >= 0 &&
           ent_ensemble_diff_pole_pact(d, lo, hi, rb->ensemble, bp, bq, r->ensemble, p, q, year) == ENT_OK;
}

/* `rb`: the baseline's run for the effects (by the later year), NULL for none (or r itself). */
static json_t *pole_pacts_json(const ent_world_t *w, const ent_report_run_t *r, const ent_report_run_t *rb)
{
    int ry = r->scenario->report_year, ly = later_year(r->scenario), np = ent_model_npoles(r->model);
    json_t *arr = json_array();
    for (int p = 0; arr && p < np; p++) {
        for (int q = p + 1; arr && q < np; q++) {
            json_t *pair = json_array();
            pair = ent_rep_push(pair, json_string(ent_model_pole_code(r->model, p)));
            pair = ent_rep_push(pair, json_string(ent_model_pole_code(r->model, q)));
            json_t *o = json_object();
            o = ent_rep_put(o, "poles", pair);
            o = ent_rep_put(o, "report_year", json_integer(ry));
            o = ent_rep_put(o, "p_pact_by_report_year", prob(ent_ensemble_p_pole_pact(r->ensemble, p, q, ry)));
            o = ent_rep_put(o, "later_year", json_integer(ly));
            o = ent_rep_put(o, "p_pact_by_later_year", prob(ent_ensemble_p_pole_pact(r->ensemble, p, q, ly)));
            double d, lo, hi;
            if (rb && rb != r && pair_effect(&d, &lo, &hi, w, rb, r, p, q, ly)) {
                o = ent_rep_put(o, "effect_vs_baseline_later", effect(d, lo, hi));
            }
            arr = ent_rep_push(arr, o);
        }
    }
    return arr;
}

static json_t *real(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *prob(ent_prob_t p)
{
    json_t *o = json_object();
    o = ent_rep_put(o, "p", real(p.p));
    o = ent_rep_put(o, "lo", real(p.lo));
    o = ent_rep_put(o, "hi", real(p.hi));
    return ent_rep_put(o, "runs", json_integer((json_int_t)p.n));
}

static json_t *effect(double d, double lo, double hi)
{
    json_t *o = json_object();
    o = ent_rep_put(o, "diff", real(d));
    o = ent_rep_put(o, "lo", real(lo));
    return ent_rep_put(o, "hi", real(hi));
}

/* Text rendered into a buffer; the first failure sticks and the rest is skipped. */
typedef struct {
    ent_buf_t b;
    ent_err_t rc;
} txt_t;

/* Appends formatted text; returns the characters written (as printf does), 0 after a failure. */
static int tprintf(txt_t *t, const char *fmt, ...) ENT_PRINTF(2, 3);
static int tprintf(txt_t *t, const char *fmt, ...)
{
    if (t->rc != ENT_OK) {
        return 0;
    }
    size_t before = t->b.len;
    va_list ap;
    va_start(ap, fmt);
    t->rc = ent_buf_vprintf(&t->b, fmt, ap);
    va_end(ap);
    return t->rc == ENT_OK ? (int)(t->b.len - before) : 0;
}

static void tputc(txt_t *t, char c)
{
    if (t->rc == ENT_OK) {
        t->rc = ent_buf_put(&t->b, &c, 1);
    }
}

static ent_err_t txt_finish(char **out, txt_t *t)
{
    *out = NULL;
    if (t->rc == ENT_OK && !(*out = ent_strdup(ent_buf_cstr(&t->b)))) {
        t->rc = ent_i_nomem();
    }
    ent_buf_destroy(&t->b);
    return t->rc;
}

/* "    P[a USA-CHN defence pact by 2035] = 0.004 [0.001, 0.010], by 2045 = ...", with the paired
 * effect against the baseline rb by the later year when rb is given (and is not r). */
static void pole_pacts_text(txt_t *t, const ent_world_t *w, const ent_report_run_t *r, const ent_report_run_t *rb,
                            const char *indent)
{
    int ry = r->scenario->report_year, ly = later_year(r->scenario), np = ent_model_npoles(r->model);
    for (int p = 0; p < np; p++) {
        for (int q = p + 1; q < np; q++) {
            ent_prob_t a = ent_ensemble_p_pole_pact(r->ensemble, p, q, ry),
                       b = ent_ensemble_p_pole_pact(r->ensemble, p, q, ly);
            tprintf(t, "%sP[a %s-%s defence pact by %d] = %.3f [%.3f, %.3f], by %d = %.3f [%.3f, %.3f]", indent,
                    ent_model_pole_code(r->model, p), ent_model_pole_code(r->model, q), ry, a.p, a.lo, a.hi, ly, b.p,
                    b.lo, b.hi);
            double d, lo, hi;
            if (rb && rb != r && pair_effect(&d, &lo, &hi, w, rb, r, p, q, ly)) {
                tprintf(t, "; vs baseline %+.3f [%+.3f, %+.3f]", d, lo, hi);
            }
            tputc(t, '\n');
        }
    }
}

static ent_err_t check_run(const ent_report_run_t *r, const char *fn)
{
    if (!r || !r->scenario || !r->model || !r->ensemble) {
        return ent_i_err(ENT_EINVAL, "%s: a run needs its scenario, model and ensemble", fn);
    }
    return ENT_OK;
}

/* ------------------------------------------------------------------ simulate: one scenario */

/* A series' label for people: "defence pacts of China". */
static const char *series_label(const ent_world_t *w, const ent_report_run_t *r, int sr, char *buf, size_t n)
{
    int p = ent_series_pole((ent_series_t)sr);
    if (p >= 0) {
        const char *name = pole_st(w, r, p)->name;
        ent_series_t base = ent_series_for_pole(ENT_SERIES_PACTS0, p) == (ent_series_t)sr     ? ENT_SERIES_PACTS0
                            : ent_series_for_pole(ENT_SERIES_BLOC0, p) == (ent_series_t)sr    ? ENT_SERIES_BLOC0
                            : ent_series_for_pole(ENT_SERIES_FINLAND0, p) == (ent_series_t)sr ? ENT_SERIES_FINLAND0
                                                                                              : ENT_SERIES_NORM0;
        switch (base) {
        case ENT_SERIES_PACTS0: snprintf(buf, n, "defence pacts of %s", name); break;
        case ENT_SERIES_BLOC0: snprintf(buf, n, "capability share, %s bloc", name); break;
        case ENT_SERIES_FINLAND0: snprintf(buf, n, "Finlandized toward %s", name); break;
        default: snprintf(buf, n, "aversion norm, %s", name);
        }
        return buf;
    }
    switch ((ent_series_t)sr) {
    case ENT_SERIES_BIPOLARITY:
        snprintf(buf, n, ent_model_npoles(r->model) == 2 ? "bipolarity (both blocs' share)" : "the blocs' share");
        break;
    case ENT_SERIES_POLARIZATION: snprintf(buf, n, "polarization (Esteban-Ray)"); break;
    case ENT_SERIES_HEDGERS: snprintf(buf, n, "hedging states"); break;
    case ENT_SERIES_FRUSTRATION: snprintf(buf, n, "frustration (ties against blocs)"); break;
    default: snprintf(buf, n, "%s", ent_series_name((ent_series_t)sr));
    }
    return buf;
}

typedef struct {
    size_t i;
    double p;
} ranked_t;

static int by_p(const void *x, const void *y)
{
    const ranked_t *a = x, *b = y;
    if (a->p != b->p) {
        return a->p > b->p ? -1 : 1;
    }
    return a->i < b->i ? -1 : (a->i > b->i);
}

/*
 * States ranked by a probability: new pacts with pole p by `year` (states without a pact with it
 * in the base year), or Finlandization toward p in `year`. Poles and zeros are left out.
 */
static size_t rank_states(ranked_t *out, const ent_report_run_t *r, int pole, int year, bool finland)
{
    size_t n = ent_model_nstates(r->model), k = 0;
    int np = ent_model_npoles(r->model);
    for (size_t i = 0; i < n; i++) {
        if (ent_model_initial_alignment(r->model, i) == (ent_align_t)ENT_ALIGN_SELF(np)) {
            continue;
        }
        double p;
        if (finland) {
            p = ent_ensemble_p_align(r->ensemble, i, (ent_align_t)ENT_ALIGN_FINLANDIZED(np, pole), year).p;
        } else {
            if (ent_ensemble_p_pact_with(r->ensemble, i, pole, r->scenario->start_year).p > 0.5) {
                continue;
            }
            p = ent_ensemble_p_pact_with(r->ensemble, i, pole, year).p;
        }
        if (p > 0) {
            out[k++] = (ranked_t){i, p};
        }
    }
    qsort(out, k, sizeof *out, by_p);
    return k;
}

/* The record's rejection step (ent_model_draw_params): the acceptance rate over the runs and each
 * pole's own, or null when no pole's norm was conditioned. */
static json_t *record_json(const ent_world_t *w, const ent_report_run_t *r)
{
    int64_t pass[ENT_SIM_MAX_POLES] = {0}, tries = ent_ensemble_record(r->ensemble, pass);
    if (tries <= 0) {
        return json_null();
    }
    json_t *o = json_object(), *poles = json_array();
    o = ent_rep_put(o, "proposals", json_integer((json_int_t)tries));
    o = ent_rep_put(o, "acceptance", real((double)ent_ensemble_runs(r->ensemble) / (double)tries));
    for (int p = 0; poles && p < ent_model_npoles(r->model); p++) {
        double mx, arg;
        bool on = ent_model_record(r->model, p, &mx, &arg);
        json_t *x = json_object();
        x = ent_rep_put(x, "pole", json_string(pole_abbr(w, r, p)));
        x = ent_rep_put(x, "conditioned", json_boolean(on));
        x = ent_rep_put(x, "acceptance", on ? real((double)pass[p] / (double)tries) : json_null());
        x = ent_rep_put(x, "offset_at_max", on ? real(arg) : json_null());
        poles = ent_rep_push(poles, x);
    }
    return ent_rep_put(o, "poles", poles);
}

static json_t *simulate_json(const ent_world_t *w, const ent_report_run_t *r, int k_pacts)
{
    const ent_scenario_t *s = r->scenario;
    const ent_model_t *m = r->model;
    const ent_ensemble_t *e = r->ensemble;
    int ry = s->report_year, last = s->start_year + s->years;
    json_t *o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_SIMULATE_SCHEMA));
    o = ent_rep_put(o, "scenario", json_string(s->name));
    o = ent_rep_put(o, "description", json_string(s->description));
    o = ent_rep_put(o, "file", r->file ? json_string(r->file) : json_null());
    o = ent_rep_put(o, "runs", json_integer((json_int_t)ent_ensemble_runs(e)));
    o = ent_rep_put(o, "seed", json_integer((json_int_t)s->seed));
    o = ent_rep_put(o, "start_year", json_integer(s->start_year));
    o = ent_rep_put(o, "end_year", json_integer(last));
    o = ent_rep_put(o, "report_year", json_integer(ry));
    json_t *poles = json_array();
    for (int p = 0; poles && p < ent_model_npoles(m); p++) {
        poles = ent_rep_push(poles, ent_rep_pole(w, m, e, p, s->start_year, ry, k_pacts, prob));
    }
    o = ent_rep_put(o, "poles", poles);
    o = ent_rep_put(o, "pole_pacts", pole_pacts_json(w, r, NULL));
    o = ent_rep_put(o, "record", record_json(w, r));
    json_t *series = ent_rep_series(m, e, s->start_year, last, real);
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
        x = ent_rep_put(x, "initial_alignment",
                        json_string(ent_model_align_key(m, ent_model_initial_alignment(m, i), key, sizeof key)));
        json_t *al = json_object();
        for (int a = 0; al && a < ENT_ALIGN_SELF(ent_model_npoles(m)); a++) {
            al = ent_rep_put(al, ent_model_align_key(m, (ent_align_t)a, key, sizeof key),
                             real(ent_ensemble_p_align(e, i, (ent_align_t)a, ry).p));
        }
        x = ent_rep_put(x, "alignment_report_year", al);
        for (int p = 0; p < ent_model_npoles(m); p++) {
            snprintf(key, sizeof key, "p_pact_with_%s_by_report_year", pole_abbr(w, r, p));
            x = ent_rep_put(x, key, real(ent_ensemble_p_pact_with(e, i, p, ry).p));
        }
        states = ent_rep_push(states, x);
    }
    return ent_rep_put(o, "states", states);
}

ent_err_t ent_report_simulate(char **out, const ent_world_t *w, const ent_report_run_t *run, int k_pacts)
{
    *out = NULL;
    ent_err_t rc = check_run(run, "ent_report_simulate");
    return rc != ENT_OK ? rc : ent_rep_finish(out, simulate_json(w, run, k_pacts));
}

ent_err_t ent_report_simulate_csv(char **series, char **states, const ent_world_t *w, const ent_report_run_t *run)
{
    *series = *states = NULL;
    ent_err_t rc = check_run(run, "ent_report_simulate_csv");
    if (rc != ENT_OK) {
        return rc;
    }
    const ent_scenario_t *s = run->scenario;
    const ent_model_t *m = run->model;
    const ent_ensemble_t *e = run->ensemble;
    int last = s->start_year + s->years;
    txt_t t = {ENT_BUF_INIT, ENT_OK};
    tprintf(&t, "scenario,series,year,mean,q05,q50,q95\n");
    for (int sr = 0; sr < ent_model_nseries(m); sr++) {
        char key[64];
        ent_model_series_key(m, (ent_series_t)sr, key, sizeof key);
        for (int y = s->start_year; y <= last; y++) {
            tprintf(&t, "%s,%s,%d,%.6g,%.6g,%.6g,%.6g\n", s->name, key, y, ent_ensemble_mean(e, (ent_series_t)sr, y),
                    ent_ensemble_quantile(e, (ent_series_t)sr, y, 0.05),
                    ent_ensemble_quantile(e, (ent_series_t)sr, y, 0.5),
                    ent_ensemble_quantile(e, (ent_series_t)sr, y, 0.95));
        }
    }
    if ((rc = txt_finish(series, &t)) != ENT_OK) {
        return rc;
    }
    /* per pole, in the model's order: p_align_<code>..., p_finland_<code>..., p_pact_<code>_by... */
    txt_t u = {ENT_BUF_INIT, ENT_OK};
    int np = ent_model_npoles(m);
    tprintf(&u, "scenario,year,ccode,abbr,p_hedge");
    for (int p = 0; p < np; p++) {
        tprintf(&u, ",p_align_%s", pole_abbr(w, run, p));
    }
    for (int p = 0; p < np; p++) {
        tprintf(&u, ",p_finland_%s", pole_abbr(w, run, p));
    }
    for (int p = 0; p < np; p++) {
        tprintf(&u, ",p_pact_%s_by", pole_abbr(w, run, p));
    }
    tprintf(&u, "\n");
    for (int y = s->start_year; y <= last && u.rc == ENT_OK; y++) {
        for (size_t i = 0; i < ent_model_nstates(m); i++) {
            const ent_state_t *st = model_state(w, m, i);
            tprintf(&u, "%s,%d,%d,%s", s->name, y, st->ccode, st->abbr);
            for (int a = 0; a < ENT_ALIGN_SELF(np); a++) {
                tprintf(&u, ",%.4f", ent_ensemble_p_align(e, i, (ent_align_t)a, y).p);
            }
            for (int p = 0; p < np; p++) {
                tprintf(&u, ",%.4f", ent_ensemble_p_pact_with(e, i, p, y).p);
            }
            tprintf(&u, "\n");
        }
    }
    if ((rc = txt_finish(states, &u)) != ENT_OK) {
        ent_free(*series);
        *series = NULL;
    }
    return rc;
}

/* Joins words that must stay on one line ("China (CHN) 0.31"): wrapped() writes it as a space. */
#define NBSP '\x01'

/*
 * Text word-wrapped to 100 columns, continuation lines indented by `indent` spaces; `col` is
 * the column the cursor is at. Ends with a newline. Leading and trailing newlines (YAML's
 * folded scalars keep one) are dropped.
 */
static void wrapped(txt_t *t, const char *text, int col, int indent)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\n') {
            p++;
        }
        size_t len = strcspn(p, " \n");
        if (!len) {
            break;
        }
        if (col > indent && col + 1 + (int)len > 100) {
            tprintf(t, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            tputc(t, ' ');
            col++;
        }
        for (size_t k = 0; k < len; k++) {
            tputc(t, p[k] == NBSP ? ' ' : p[k]);
        }
        col += (int)len;
        p += len;
    }
    tputc(t, '\n');
}

/* A ranked list of states with their probabilities: "Vietnam (DRV) 0.28, Taiwan (TAW) 0.09". */
static void ranked(txt_t *t, const ent_world_t *w, const ent_report_run_t *r, const ranked_t *rk, size_t k, int col)
{
    if (!k) {
        tprintf(t, " none\n");
        return;
    }
    char line[2048];
    size_t len = 0;
    for (size_t j = 0; j < k && j < 8; j++) {
        char nm[160];
        full_name(model_state(w, r->model, rk[j].i), nm, sizeof nm);
        for (char *q = nm; *q; q++) {
            *q = *q == ' ' ? NBSP : *q;
        }
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s%c%.2f", j ? ", " : "", nm, NBSP, rk[j].p);
    }
    if (k > 8) {
        snprintf(line + len, sizeof line - len, ", ...");
    }
    wrapped(t, line, col, 4);
}

/* One scenario in detail; `define` adds the definitions the forecast gives in its preamble. */
static void scenario_text(txt_t *t, const ent_world_t *w, const ent_report_run_t *r, int k_pacts, bool define)
{
    const ent_scenario_t *s = r->scenario;
    const ent_ensemble_t *e = r->ensemble;
    int ry = s->report_year, last = s->start_year + s->years;
    char nm[160];
    tprintf(t, "scenario %s -- %lld runs, seed %llu, %d-%d\n", s->name, (long long)ent_ensemble_runs(e),
            (unsigned long long)s->seed, s->start_year, last);
    if (s->description[0]) {
        tprintf(t, "  ");
        wrapped(t, s->description, 2, 2);
    }
    tprintf(t, "\n");
    for (int p = 0; p < ent_model_npoles(r->model); p++) {
        ent_prob_t a = ent_ensemble_p_pacts(e, p, k_pacts, ry), b = ent_ensemble_p_builder(e, p, ry);
        int my = ent_ensemble_median_cross_year(e, p);
        tprintf(t, "  %s: %d defence pact%s in %d\n", full_name(pole_st(w, r, p), nm, sizeof nm), base_pacts(r, p),
                base_pacts(r, p) == 1 ? "" : "s", s->start_year);
        tprintf(t, "    P[at least %d pacts by %d] = %.3f [%.3f, %.3f]\n", k_pacts, ry, a.p, a.lo, a.hi);
        tprintf(t, "    P[an alliance builder by %d] = %.3f [%.3f, %.3f]", ry, b.p, b.lo, b.hi);
        if (my) {
            tprintf(t, "; in half the runs it is one by %d\n", my);
        } else {
            tprintf(t, "\n");
        }
    }
    tprintf(t, "  pacts between poles (each in both poles' counts):\n");
    pole_pacts_text(t, w, r, NULL, "    ");
    int64_t pass[ENT_SIM_MAX_POLES] = {0}, tries = ent_ensemble_record(e, pass);
    if (tries > 0) {
        tprintf(t, "  norm priors conditioned on the poles' record: %.3f of the draws accepted (",
                (double)ent_ensemble_runs(e) / (double)tries);
        for (int p = 0, first = 1; p < ent_model_npoles(r->model); p++) {
            if (ent_model_record(r->model, p, NULL, NULL)) {
                tprintf(t, "%s%s alone %.3f", first ? "" : ", ", pole_st(w, r, p)->abbr,
                        (double)pass[p] / (double)tries);
                first = 0;
            }
        }
        tprintf(t, ")\n");
    }
    if (define) {
        char text[1024];
        snprintf(text, sizeof text,
                 "(P[...]: the share of runs, with its 95%% Wilson interval; each run draws the unidentified "
                 "parameters from their priors, so the interval includes that uncertainty "
                 "(docs/models/alignment.md). A pole's "
                 "defence pacts count the states bound to it by a treaty with a defence obligation. An alliance "
                 "builder: a pole that has formed at least %d new defence pacts in the run (a behaviour, not a "
                 "norm threshold). Finlandization: deferring to a nearby threatening pole without "
                 "an alliance. Codes in parentheses are Correlates of War abbreviations.)",
                 s->builder_pacts);
        tprintf(t, "  ");
        wrapped(t, text, 2, 3);
    }
    tprintf(t, "\n  %-36s", "series: median [5%, 95% of runs]");
    int ys[] = {s->start_year, s->start_year + 5, ry, last};
    for (int k = 0; k < 4; k++) {
        tprintf(t, " %20d", ys[k]);
    }
    tprintf(t, "\n");
    for (int sr = 0; sr < ent_model_nseries(r->model); sr++) {
        char label[96];
        tprintf(t, "  %-36s", series_label(w, r, sr, label, sizeof label));
        for (int k = 0; k < 4; k++) {
            char cell[64];
            snprintf(cell, sizeof cell, "%.3g [%.3g, %.3g]", ent_ensemble_quantile(e, (ent_series_t)sr, ys[k], 0.5),
                     ent_ensemble_quantile(e, (ent_series_t)sr, ys[k], 0.05),
                     ent_ensemble_quantile(e, (ent_series_t)sr, ys[k], 0.95));
            tprintf(t, " %20s", cell);
        }
        tprintf(t, "\n");
    }
    tprintf(t, "  ");
    wrapped(t,
            "(capability share: the share of the world's material capabilities (COW's CINC) held by the pole "
            "and the states aligned with it; bipolarity: the two blocs' shares together; polarization: "
            "Esteban and Ray's (1994) index of those shares, with the uncommitted between the blocs, "
            "scaled so that two equal blocs score 1; frustration: defence pacts across the blocs plus "
            "hostile ties inside one (a count of ties the blocs contradict; an upper bound on the signed "
            "network's frustration index).)",
            2, 3);
    size_t n = ent_model_nstates(r->model);
    ranked_t *rk = ent_calloc(n ? n : 1, sizeof *rk);
    if (!rk) {
        t->rc = t->rc != ENT_OK ? t->rc : ent_i_nomem();
        return;
    }
    for (int p = 0; p < ent_model_npoles(r->model); p++) {
        size_t k = rank_states(rk, r, p, ry, false);
        int col = tprintf(t, "\n  most likely new defence pacts of %s by %d:", pole_st(w, r, p)->name, ry) - 1;
        ranked(t, w, r, rk, k, col);
        k = rank_states(rk, r, p, ry, true);
        col = tprintf(t, "  Finlandization toward %s in %d:", pole_st(w, r, p)->name, ry);
        ranked(t, w, r, rk, k, col);
    }
    ent_free(rk);
}

ent_err_t ent_report_simulate_text(char **out, const ent_world_t *w, const ent_report_run_t *run, int k_pacts)
{
    *out = NULL;
    ent_err_t rc = check_run(run, "ent_report_simulate_text");
    if (rc != ENT_OK) {
        return rc;
    }
    txt_t t = {ENT_BUF_INIT, ENT_OK};
    scenario_text(&t, w, run, k_pacts, true);
    return txt_finish(out, &t);
}

/* ------------------------------------------------------------------ forecast: every scenario */

/* The run named "baseline", or n when there is none. */
static size_t find_baseline(const ent_report_run_t *runs, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (strcmp(runs[k].scenario->name, "baseline") == 0) {
            return k;
        }
    }
    return n;
}

/* China's headline figures in one run: everything the forecast's table reports for it. */
typedef struct {
    int china;        /* its pole index; -1 when China is not a pole */
    int ry, ly;       /* the report year and the later one */
    size_t rus_i;     /* Russia's model index, else SIZE_MAX */
    ent_prob_t any;   /* a new pact beyond the base-year count, by ry */
    ent_prob_t a, a2; /* at least K pacts by ry, by ly */
    ent_prob_t b;     /* an alliance builder by ry */
    ent_prob_t c;     /* a China-Russia pact by ly (rus_i only) */
    int median_year;  /* the year by which China is an alliance builder in half the runs; 0 = never */
} china_t;

static void china_headline(china_t *h, const ent_world_t *w, const ent_report_run_t *r, int k_p)
{
    const ent_ensemble_t *e = r->ensemble;
    memset(h, 0, sizeof *h);
    h->ry = r->scenario->report_year;
    h->ly = later_year(r->scenario);
    /* China by its code, wherever the scenario lists it among the poles */
    h->china = find_pole(w, r, "CHN");
    h->rus_i = SIZE_MAX;
    if (h->china < 0) {
        return;
    }
    int64_t rus = -1;
    if (ent_world_find(&rus, w, "RUS") == ENT_OK) {
        for (size_t i = 0; i < ent_model_nstates(r->model); i++) {
            if (ent_model_state(r->model, i) == rus) {
                h->rus_i = i;
            }
        }
    }
    int c = h->china;
    h->any = ent_ensemble_p_pacts(e, c, base_pacts(r, c) + 1, h->ry);
    h->a = ent_ensemble_p_pacts(e, c, k_p, h->ry);
    h->a2 = ent_ensemble_p_pacts(e, c, k_p, h->ly);
    h->b = ent_ensemble_p_builder(e, c, h->ry);
    /* with Russia a pole of the scenario this is the China-Russia pole-pair record: a pole's record of
     * its pacts includes those with other poles */
    h->c = h->rus_i != SIZE_MAX ? ent_ensemble_p_pact_with(e, h->rus_i, c, h->ly) : ent_prob_wilson(0, 0);
    h->median_year = ent_ensemble_median_cross_year(e, c);
}

/*
 * The paired effect of run r against the baseline rb on P[pole p of r holds at least k pacts by
 * `year`], the pole matched in the baseline by its code (never by its position); false when the
 * baseline has no such pole or the difference cannot be paired.
 */
static bool pole_effect(double *d, double *lo, double *hi, const ent_world_t *w, const ent_report_run_t *rb,
                        const ent_report_run_t *r, int p, int k, int year, bool same_base)
{
    int bp = find_pole(w, rb, pole_abbr(w, r, p));
    if (bp < 0 || (same_base && base_pacts(rb, bp) != base_pacts(r, p))) {
        return false;
    }
    return ent_ensemble_diff_pacts_poles(d, lo, hi, rb->ensemble, bp, r->ensemble, p, k, year) == ENT_OK;
}

static json_t *forecast_json(const ent_world_t *w, const ent_report_run_t *runs, size_t n, const char *dir, int k_p)
{
    size_t base = find_baseline(runs, n);
    json_t *o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_FORECAST_SCHEMA));
    o = ent_rep_put(o, "scenario_dir", dir ? json_string(dir) : json_null());
    o = ent_rep_put(o, "pacts_threshold", json_integer(k_p));
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < n; k++) {
        const ent_report_run_t *r = &runs[k];
        china_t h;
        china_headline(&h, w, r, k_p);
        json_t *so = json_object();
        so = ent_rep_put(so, "scenario", json_string(r->scenario->name));
        if (h.china < 0) {
            so = ent_rep_put(so, "note", json_string("China is not a pole of this scenario"));
            arr = ent_rep_push(arr, so);
            continue;
        }
        so = ent_rep_put(so, "report_year", json_integer(h.ry));
        so = ent_rep_put(so, "later_year", json_integer(h.ly));
        so = ent_rep_put(so, "p_china_new_pact", prob(h.any));
        so = ent_rep_put(so, "p_china_pacts", prob(h.a));
        so = ent_rep_put(so, "p_china_pacts_later", prob(h.a2));
        so = ent_rep_put(so, "p_china_russia_pact_later", h.rus_i != SIZE_MAX ? prob(h.c) : json_null());
        so = ent_rep_put(so, "p_china_alliance_builder", prob(h.b));
        so = ent_rep_put(so, "median_year_alliance_builder", h.median_year ? json_integer(h.median_year) : json_null());
        double d, lo, hi;
        if (k != base && base < n && pole_effect(&d, &lo, &hi, w, &runs[base], r, h.china, k_p, h.ly, false)) {
            so = ent_rep_put(so, "effect_vs_baseline_later", effect(d, lo, hi));
        }
        json_t *pj = json_array();
        for (int p = 0; pj && p < ent_model_npoles(r->model); p++) {
            int bp = base_pacts(r, p);
            json_t *po = json_object();
            po = ent_rep_put(po, "pole", json_string(ent_model_pole_code(r->model, p)));
            po = ent_rep_put(po, "pacts_in_base_year", json_integer(bp));
            po = ent_rep_put(po, "p_new_pact", prob(ent_ensemble_p_pacts(r->ensemble, p, bp + 1, h.ry)));
            po = ent_rep_put(po, "p_alliance_builder", prob(ent_ensemble_p_builder(r->ensemble, p, h.ry)));
            if (k != base && base < n && pole_effect(&d, &lo, &hi, w, &runs[base], r, p, bp + 1, h.ly, true)) {
                po = ent_rep_put(po, "effect_new_pact_vs_baseline_later", effect(d, lo, hi));
            }
            pj = ent_rep_push(pj, po);
        }
        so = ent_rep_put(so, "poles", pj);
        so = ent_rep_put(so, "pole_pacts", pole_pacts_json(w, r, base < n ? &runs[base] : NULL));
        arr = ent_rep_push(arr, so);
    }
    return ent_rep_put(o, "scenarios", arr);
}

static ent_err_t check_runs(const ent_report_run_t *runs, size_t n, const char *fn)
{
    if (!n) {
        return ent_i_err(ENT_EINVAL, "%s: no runs", fn);
    }
    for (size_t k = 0; k < n; k++) {
        ent_err_t rc = check_run(&runs[k], fn);
        if (rc != ENT_OK) {
            return rc;
        }
    }
    return ENT_OK;
}

ent_err_t ent_report_forecast(char **out, const ent_world_t *w, const ent_report_run_t *runs, size_t n,
                              const char *scenario_dir, int k_pacts)
{
    *out = NULL;
    ent_err_t rc = check_runs(runs, n, "ent_report_forecast");
    return rc != ENT_OK ? rc : ent_rep_finish(out, forecast_json(w, runs, n, scenario_dir, k_pacts));
}

/*
 * The forecast's opening: what it asks, what the numbers rest on, every term the table uses,
 * and the table's header. Written for a reader who has not read the model's docs.
 */
static void preamble(txt_t *t, const ent_world_t *w, const ent_report_run_t *runs, size_t n, size_t base, int k_p)
{
    const ent_report_run_t *r0 = &runs[base < n ? base : 0];
    const ent_scenario_t *s = r0->scenario;
    int ry = s->report_year, ly = later_year(s);
    int china = find_pole(w, r0, "CHN");
    char n0[160], n1[160];
    tprintf(t, "entente forecast: will China build an alliance system of its own?\n");
    tprintf(t, "%zu scenarios x %lld runs each (seed %llu), from the shipped world as it stood in %d.\n", n,
            (long long)ent_ensemble_runs(r0->ensemble), (unsigned long long)s->seed, s->start_year);
    tprintf(t, "The two poles (the great powers every other state aligns with or not): %s and %s.\n\n",
            full_name(pole_st(w, r0, 0), n0, sizeof n0), full_name(pole_st(w, r0, 1), n1, sizeof n1));
    tprintf(t,
            "What the probabilities rest on: the alignment model (docs/models/alignment.md) run on sourced\n"
            "data (docs/data.md). Pacts -- between any two states, both consenting; joining a treaty; ending\n"
            "one -- come from the pact model fitted to 1947-1980 history (docs/models/pactmodel.md); each run\n"
            "draws its pact parameters from the fit's estimates and covariance. What history cannot identify\n"
            "(how threat and ambition erode a norm, the norms and their weight, the alignment choice) is drawn\n"
            "in every run from documented priors (prior spread %.2f). So the 95%% intervals (Wilson, over %lld\n"
            "runs) include parameter uncertainty as well as Monte Carlo noise, not doubt about the model's\n"
            "form. Scenarios change only the world and the levers, never how the actors respond. Compare\n"
            "scenarios with one another rather than reading any single number as a prediction.\n\n",
            s->prior_spread, (long long)ent_ensemble_runs(r0->ensemble));
    tprintf(t, "Terms\n");
    tprintf(t,
            "  defence pact      a treaty obliging its parties to defend each other if attacked (ATOP's\n"
            "                    \"defense\" obligation). A pole's pacts are counted as the states bound to\n"
            "                    it by one: in %d, %s %d, %s %d.\n",
            s->start_year, pole_st(w, r0, 0)->name, base_pacts(r0, 0), pole_st(w, r0, 1)->name, base_pacts(r0, 1));
    tprintf(t,
            "  alliance builder  a pole that has formed at least %d new defence pacts: defined by what it does.\n"
            "                    Its alliance-aversion norm (0..1; at the start: %s %.2f, %s %.2f) is what\n"
            "                    threat and ambition erode, and what holds new pacts back.\n",
            s->builder_pacts, pole_st(w, r0, 0)->name, s->norm0[0], pole_st(w, r0, 1)->name, s->norm0[1]);
    tprintf(t, "  hedging           aligning with neither pole.\n");
    tprintf(t,
            "  Finlandization    deferring to a nearby, threatening pole without an alliance, to keep one's\n"
            "                    autonomy (Finland toward the Soviet Union after 1948); only within %.0f km.\n",
            s->finland_distance_km);
    tprintf(t, "  K                 the pact count in the table's third and fourth columns (--pacts; here %d).\n", k_p);
    tprintf(t, "  codes             states are named with their Correlates of War (COW) abbreviation in\n"
               "                    parentheses, e.g. Vietnam (DRV), Taiwan (TAW), Philippines (PHI).\n\n");
    if (china < 0) {
        tprintf(t, "China is not a pole of the reference scenario: the table reports only scenarios where it is.\n\n");
    } else {
        tprintf(t,
                "P[...] below: the share of runs in which the event happens, per scenario, for China (CHN):\n"
                "  new pact    China signs at least one defence pact beyond the %d it holds, by %d\n"
                "  >= K        China holds at least %d defence pacts at some time by %d, and by %d\n"
                "  Russia      China and Russia (RUS) sign a defence pact by %d\n"
                "  builder     China becomes an alliance builder by %d; then the year by which it has in\n"
                "              half the runs ('-' when that never happens in half the runs)\n\n",
                base_pacts(r0, china), ry, k_p, ry, ly, ly, ry);
    }
    tprintf(t, "%-24s %-18s %-18s %-18s %-18s %s\n", "scenario", "new pact", ">= K", ">= K", "Russia", "builder");
    char h1[32], h2[32], h3[32], h4[32], h5[32];
    snprintf(h1, sizeof h1, "by %d", ry);
    snprintf(h2, sizeof h2, "by %d (K=%d)", ry, k_p);
    snprintf(h3, sizeof h3, "by %d (K=%d)", ly, k_p);
    snprintf(h4, sizeof h4, "by %d", ly);
    snprintf(h5, sizeof h5, "by %d, median year", ry);
    tprintf(t, "%-24s %-18s %-18s %-18s %-18s %s\n", "", h1, h2, h3, h4, h5);
}

/*
 * The headline per pole, each named by its state code: P[a new defence pact] and P[an alliance
 * builder] by the report year, and each scenario's effect against the baseline on P[a new pact]
 * by the later year, paired over common random numbers with its 95% interval. A pole is matched
 * across scenarios by its code, never by its position.
 */
static void per_pole(txt_t *t, const ent_world_t *w, const ent_report_run_t *runs, size_t n, size_t base)
{
    const ent_report_run_t *rb = &runs[base];
    int ry = rb->scenario->report_year, ly = later_year(rb->scenario);
    tprintf(t,
            "\nPer pole, by state code: P[a new defence pact (beyond its %d count)] and P[an alliance builder\n"
            "(%d or more new pacts)] by %d; then the effect of each scenario against the baseline on P[a new\n"
            "pact by %d] (paired, 95%% interval):\n",
            rb->scenario->start_year, rb->scenario->builder_pacts, ry, ly);
    tprintf(t, "%-24s %-5s %-20s %-20s %s\n", "scenario", "pole", "new pact", "builder", "effect on new pact");
    for (size_t k = 0; k < n; k++) {
        const ent_report_run_t *r = &runs[k];
        for (int p = 0; p < ent_model_npoles(r->model); p++) {
            const char *code = ent_model_pole_code(r->model, p);
            ent_prob_t a = ent_ensemble_p_pacts(r->ensemble, p, base_pacts(r, p) + 1, ry),
                       b = ent_ensemble_p_builder(r->ensemble, p, ry);
            char c1[48], c2[48], c3[48] = "";
            snprintf(c1, sizeof c1, "%.3f [%.2f,%.2f]", a.p, a.lo, a.hi);
            snprintf(c2, sizeof c2, "%.3f [%.2f,%.2f]", b.p, b.lo, b.hi);
            double dd, lo, hi;
            if (k != base && pole_effect(&dd, &lo, &hi, w, rb, r, p, base_pacts(r, p) + 1, ly, true)) {
                snprintf(c3, sizeof c3, "%+.3f [%+.3f, %+.3f]", dd, lo, hi);
            }
            tprintf(t, "%-24.24s %-5s %-20s %-20s %s\n", p ? "" : r->scenario->name, code, c1, c2, c3);
        }
    }
}

ent_err_t ent_report_forecast_text(char **out, const ent_world_t *w, const ent_report_run_t *runs, size_t n,
                                   const char *scenario_dir, int k_p)
{
    *out = NULL;
    ent_err_t rc = check_runs(runs, n, "ent_report_forecast_text");
    if (rc != ENT_OK) {
        return rc;
    }
    size_t base = find_baseline(runs, n);
    txt_t t = {ENT_BUF_INIT, ENT_OK};
    preamble(&t, w, runs, n, base, k_p);
    for (size_t k = 0; k < n; k++) {
        const ent_report_run_t *r = &runs[k];
        china_t h;
        china_headline(&h, w, r, k_p);
        if (h.china < 0) {
            tprintf(&t, "%-24.24s (China is not one of its poles: no headline numbers)\n", r->scenario->name);
            continue;
        }
        char c1[40], c2[40], c3[40], c4[40], c5[48];
        snprintf(c1, sizeof c1, "%.3f [%.2f,%.2f]", h.any.p, h.any.lo, h.any.hi);
        snprintf(c2, sizeof c2, "%.3f [%.2f,%.2f]", h.a.p, h.a.lo, h.a.hi);
        snprintf(c3, sizeof c3, "%.3f [%.2f,%.2f]", h.a2.p, h.a2.lo, h.a2.hi);
        if (h.rus_i != SIZE_MAX) {
            snprintf(c4, sizeof c4, "%.3f [%.2f,%.2f]", h.c.p, h.c.lo, h.c.hi);
        } else {
            snprintf(c4, sizeof c4, "-");
        }
        if (h.median_year) {
            snprintf(c5, sizeof c5, "%.3f [%.2f,%.2f] %d", h.b.p, h.b.lo, h.b.hi, h.median_year);
        } else {
            snprintf(c5, sizeof c5, "%.3f [%.2f,%.2f] -", h.b.p, h.b.lo, h.b.hi);
        }
        tprintf(&t, "%-24.24s %-18s %-18s %-18s %-18s %s\n", r->scenario->name, c1, c2, c3, c4, c5);
    }
    int bc = base < n ? find_pole(w, &runs[base], "CHN") : -1;
    if (bc >= 0) {
        const ent_report_run_t *rb = &runs[base];
        int ly = later_year(rb->scenario);
        tprintf(&t,
                "\nEffect of each scenario against the baseline on P[China holds >= %d pacts by %d]\n"
                "(paired differences: every scenario reuses the baseline's random numbers, run by run,\n"
                "so the difference shows the scenario's effect, not sampling luck; 95%% interval):\n",
                k_p, ly);
        for (size_t k = 0; k < n; k++) {
            double dd, lo, hi;
            int kc = find_pole(w, &runs[k], "CHN");
            if (k != base && kc >= 0 && pole_effect(&dd, &lo, &hi, w, rb, &runs[k], kc, k_p, ly, false)) {
                tprintf(&t, "  %-26.26s %+.3f [%+.3f, %+.3f]\n", runs[k].scenario->name, dd, lo, hi);
            }
        }
        per_pole(&t, w, runs, n, base);
        tprintf(&t,
                "\nPacts between poles (each counted in both poles' pacts and builder counts), with each\n"
                "scenario's effect against the baseline by %d (paired, 95%% interval):\n",
                ly);
        for (size_t k = 0; k < n; k++) {
            tprintf(&t, "  %s\n", runs[k].scenario->name);
            pole_pacts_text(&t, w, &runs[k], rb, "    ");
        }
        tprintf(&t, "\nBaseline in detail\n");
        scenario_text(&t, w, rb, k_p, false);
    }
    tprintf(&t,
            "\nEvery number traces to its scenario file (%s), the model (docs/models/alignment.md)\n"
            "and the sourced data (docs/data.md); 'entente cite forecast' lists the references.\n",
            scenario_dir ? scenario_dir : "");
    return txt_finish(out, &t);
}
