/*
 * pactmodel_record.c -- a state's record of defence-pact decisions under the
 * fitted pact model, as a function of an offset on its own utilities: the
 * likelihood the simulation conditions a pole's norm prior on. The decisions
 * are those the fit's likelihood counts (ent_pmfit_data_build), so the record
 * cannot drift from what "the model's likelihood" means; the file format and
 * the treatment of negligible decisions are documented in pactmodel.h.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "entente/pactmodel.h"
#include "pactmodel_int.h"
#include "util_int.h"

/* Folded decisions of one state and year whose own utility a falls in one bucket of width
 * REST_BUCKET: their weights w = c1 / (1 - c0) summed, and sum w a for the weighted mean. */
typedef struct {
    int32_t ccode;
    int year;
    long bucket;
    double w, wa;
} rest_t;
#define REST_BUCKET 0.25

struct ent_pmrecord {
    ent_vec_t dec;  /* ent_pmrec_decision_t, in the order added */
    ent_vec_t rest; /* rest_t */
    char *prov;
    bool sorted; /* dec and rest in ascending ccode (after load and build): ranges by binary search */
};

static int cmp_dec(const void *a, const void *b)
{
    const ent_pmrec_decision_t *x = a, *y = b;
    if (x->ccode != y->ccode) {
        return x->ccode < y->ccode ? -1 : 1;
    }
    if (x->year != y->year) {
        return x->year < y->year ? -1 : 1;
    }
    if (x->kind != y->kind) {
        return x->kind < y->kind ? -1 : 1;
    }
    return (x->other > y->other) - (x->other < y->other);
}

static int cmp_rest(const void *a, const void *b)
{
    const rest_t *x = a, *y = b;
    if (x->ccode != y->ccode) {
        return x->ccode < y->ccode ? -1 : 1;
    }
    if (x->year != y->year) {
        return x->year < y->year ? -1 : 1;
    }
    return (x->bucket > y->bucket) - (x->bucket < y->bucket);
}

/* Sorts the decisions and the rest by state, so a state's likelihood reads only its own (the
 * rejection step evaluates it many times a run). */
static void sort_record(ent_pmrecord_t *r)
{
    if (r->dec.len) {
        qsort(r->dec.data, r->dec.len, sizeof(ent_pmrec_decision_t), cmp_dec);
    }
    if (r->rest.len) {
        qsort(r->rest.data, r->rest.len, sizeof(rest_t), cmp_rest);
    }
    r->sorted = true;
}

/* [*lo, *hi) of the elements of `v` (sorted by a leading int32_t ccode) with state ccode. */
static void range_of(const ent_vec_t *v, int32_t ccode, size_t *lo, size_t *hi)
{
    size_t a = 0, b = v->len;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        int32_t c = *(const int32_t *)((const char *)v->data + mid * v->esize);
        if (c < ccode) {
            a = mid + 1;
        } else {
            b = mid;
        }
    }
    *lo = a;
    b = v->len;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        int32_t c = *(const int32_t *)((const char *)v->data + mid * v->esize);
        if (c <= ccode) {
            a = mid + 1;
        } else {
            b = mid;
        }
    }
    *hi = a;
}

static const char *const kind_names[] = {"pact", "join", "joined"};

ent_err_t ent_pmrecord_new(ent_pmrecord_t **out)
{
    *out = NULL;
    ent_pmrecord_t *r = ent_calloc(1, sizeof *r);
    if (!r) {
        return ent_i_nomem();
    }
    r->dec = (ent_vec_t)ENT_VEC_INIT(ent_pmrec_decision_t);
    r->rest = (ent_vec_t)ENT_VEC_INIT(rest_t);
    *out = r;
    return ENT_OK;
}

void ent_pmrecord_free(ent_pmrecord_t *r)
{
    if (!r) {
        return;
    }
    ent_vec_destroy(&r->dec);
    ent_vec_destroy(&r->rest);
    ent_free(r->prov);
    ent_free(r);
}

ent_err_t ent_pmrecord_add(ent_pmrecord_t *r, const ent_pmrec_decision_t *d)
{
    if (!isfinite(d->a) || !(d->c0 >= 0 && d->c0 <= 1) || !(d->c1 >= 0 && d->c1 <= 1) || d->c0 + d->c1 > 1 + 1e-12 ||
        (int)d->kind < 0 || d->kind > ENT_PMREC_JOINED) {
        return ent_i_err(ENT_EINVAL, "record of state %d, %d: a decision needs a finite a and c0, c1 in [0, 1]",
                         (int)d->ccode, d->year);
    }
    r->sorted = false;
    return ent_vec_push(&r->dec, d);
}

ent_err_t ent_pmrecord_add_rest(ent_pmrecord_t *r, int32_t ccode, int year, double a, double w)
{
    if (!isfinite(a) || !isfinite(w) || w < 0) {
        return ent_i_err(ENT_EINVAL, "record of state %d, %d: a rest needs a finite a and a weight >= 0", (int)ccode,
                         year);
    }
    long b = w > 0 ? (long)floor(a / REST_BUCKET) : LONG_MIN;
    for (size_t k = 0; k < r->rest.len; k++) {
        rest_t *x = &ENT_VEC_AT(&r->rest, rest_t, k);
        if (x->ccode == ccode && x->year == year && x->bucket == b) {
            x->w += w;
            x->wa += w * a;
            return ENT_OK;
        }
    }
    rest_t x = {ccode, year, b, w, w * a};
    r->sorted = false;
    return ent_vec_push(&r->rest, &x);
}

void ent_pmrecord_keep_until(ent_pmrecord_t *r, int last)
{
    size_t kept = 0;
    for (size_t k = 0; k < r->dec.len; k++) {
        const ent_pmrec_decision_t d = ENT_VEC_AT(&r->dec, ent_pmrec_decision_t, k);
        if (d.year <= last) {
            ENT_VEC_AT(&r->dec, ent_pmrec_decision_t, kept++) = d;
        }
    }
    r->dec.len = kept;
    kept = 0;
    for (size_t k = 0; k < r->rest.len; k++) {
        const rest_t x = ENT_VEC_AT(&r->rest, rest_t, k);
        if (x.year <= last) {
            ENT_VEC_AT(&r->rest, rest_t, kept++) = x;
        }
    }
    r->rest.len = kept; /* the order is kept, so a sorted record stays sorted */
}

bool ent_pmrecord_has(const ent_pmrecord_t *r, int32_t ccode)
{
    for (size_t k = 0; r && k < r->dec.len; k++) {
        if (ENT_VEC_AT(&r->dec, ent_pmrec_decision_t, k).ccode == ccode) {
            return true;
        }
    }
    for (size_t k = 0; r && k < r->rest.len; k++) {
        if (ENT_VEC_AT(&r->rest, rest_t, k).ccode == ccode) {
            return true;
        }
    }
    return false;
}

size_t ent_pmrecord_count(const ent_pmrecord_t *r, int32_t ccode, size_t *formed, int *from, int *to)
{
    size_t n = 0, f = 0;
    int lo = 0, hi = 0;
    for (size_t k = 0; r && k < r->dec.len; k++) {
        const ent_pmrec_decision_t *d = &ENT_VEC_AT(&r->dec, ent_pmrec_decision_t, k);
        if (d->ccode == ccode) {
            n++;
            f += d->formed;
            lo = !lo || d->year < lo ? d->year : lo;
            hi = d->year > hi ? d->year : hi;
        }
    }
    for (size_t k = 0; r && k < r->rest.len; k++) {
        const rest_t *x = &ENT_VEC_AT(&r->rest, rest_t, k);
        if (x->ccode == ccode) {
            lo = !lo || x->year < lo ? x->year : lo;
            hi = x->year > hi ? x->year : hi;
        }
    }
    if (formed) {
        *formed = f;
    }
    if (from) {
        *from = lo;
    }
    if (to) {
        *to = hi;
    }
    return n;
}

const char *ent_pmrecord_provenance(const ent_pmrecord_t *r)
{
    return r && r->prov ? r->prov : "{}";
}

double ent_pmrecord_loglik(const ent_pmrecord_t *r, int32_t ccode, double o)
{
    double ll = 0;
    size_t lo = 0, hi = r->dec.len, rlo = 0, rhi = r->rest.len;
    if (r->sorted) {
        range_of(&r->dec, ccode, &lo, &hi);
        range_of(&r->rest, ccode, &rlo, &rhi);
    }
    for (size_t k = lo; k < hi; k++) {
        const ent_pmrec_decision_t *d = &ENT_VEC_AT(&r->dec, ent_pmrec_decision_t, k);
        if (d->ccode != ccode) {
            continue;
        }
        double p = d->c0 + d->c1 * ent_i_pm_sigmoid(d->a + o);
        if (d->formed) {
            ll += log(p > 1e-300 ? p : 1e-300);
        } else {
            ll += log1p(-(p < 1 - 1e-16 ? p : 1 - 1e-16));
        }
    }
    for (size_t k = rlo; k < rhi; k++) {
        const rest_t *x = &ENT_VEC_AT(&r->rest, rest_t, k);
        if (x->ccode == ccode && x->w > 0) {
            ll -= x->w * ent_i_pm_sigmoid(x->wa / x->w + o);
        }
    }
    return ll;
}

double ent_pmrecord_max(const ent_pmrecord_t *r, int32_t ccode, double lo, double hi, double *arg)
{
    double best = ent_pmrecord_loglik(r, ccode, lo), at = lo;
    const double step = 0.05;
    double g0 = lo > -60 ? lo : -60;
    for (double o = g0; o <= hi + 1e-12; o += step) {
        double v = ent_pmrecord_loglik(r, ccode, o);
        if (v > best) {
            best = v;
            at = o;
        }
    }
    double hv = ent_pmrecord_loglik(r, ccode, hi);
    if (hv > best) {
        best = hv;
        at = hi;
    }
    if (at > g0 - 1e-12) {
        /* golden section on the grid cell either side of the best point */
        double a = fmax(at - step, g0), b = fmin(at + step, hi);
        const double gr = 0.6180339887498949;
        double c = b - gr * (b - a), d = a + gr * (b - a);
        double fc = ent_pmrecord_loglik(r, ccode, c), fd = ent_pmrecord_loglik(r, ccode, d);
        for (int it = 0; it < 40; it++) {
            if (fc > fd) {
                b = d, d = c, fd = fc;
                c = b - gr * (b - a);
                fc = ent_pmrecord_loglik(r, ccode, c);
            } else {
                a = c, c = d, fc = fd;
                d = a + gr * (b - a);
                fd = ent_pmrecord_loglik(r, ccode, d);
            }
        }
        double x = 0.5 * (a + b), fx = ent_pmrecord_loglik(r, ccode, x);
        if (fx > best) {
            best = fx;
            at = x;
        }
    }
    if (arg) {
        *arg = at;
    }
    return best;
}

/* Keeps a decision, or folds it into the rest when it is negligible at o = 0 (see pactmodel.h). */
static ent_err_t keep(ent_pmrecord_t *r, const ent_pmrec_decision_t *d)
{
    double p = d->c0 + d->c1 * ent_i_pm_sigmoid(d->a);
    if (!d->formed && p < ENT_PMREC_NEGLIGIBLE) {
        return ent_pmrecord_add_rest(r, d->ccode, d->year, d->a, d->c1 / (1 - d->c0));
    }
    return ent_pmrecord_add(r, d);
}

ent_err_t ent_pmrecord_build(ent_pmrecord_t **out, const ent_sysyear_t *const *sys, size_t nsys,
                             const ent_pactmodel_t *m, const int32_t *ccodes, size_t nccodes, int from, int to)
{
    *out = NULL;
    ent_err_t rc = ENT_OK;
    ent_pmrecord_t *r = NULL;
    ent_pmfit_data_t *d = NULL;
    double *u = NULL, *su = NULL;
    int32_t *states = NULL;
    size_t nstates = 0;
    unsigned char *want = ent_calloc(ENT_PM_MAX_CCODE, 1);
    if (!want) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k < nccodes; k++) {
        if (ccodes[k] <= 0 || ccodes[k] >= ENT_PM_MAX_CCODE) {
            rc = ent_i_err(ENT_EINVAL, "record: state code %d", (int)ccodes[k]);
            goto done;
        }
        want[ccodes[k]] = 1;
    }
    if (!nccodes) {
        for (size_t k = 0; k < nsys; k++) {
            for (size_t i = 0; sys[k]->year + 1 >= from && sys[k]->year + 1 <= to && i < sys[k]->n; i++) {
                if (sys[k]->major && sys[k]->major[i] && sys[k]->ccode[i] > 0 && sys[k]->ccode[i] < ENT_PM_MAX_CCODE) {
                    want[sys[k]->ccode[i]] = 1;
                }
            }
        }
    }
    if (!(states = ent_malloc(ENT_PM_MAX_CCODE * sizeof *states))) {
        rc = ent_i_nomem();
        goto done;
    }
    for (int c = 1; c < ENT_PM_MAX_CCODE; c++) {
        if (want[c]) {
            states[nstates++] = c;
        }
    }
    ENT_CHECK(ent_pmrecord_new(&r));
    ENT_CHECK(ent_pmfit_data_build(&d, m, sys, nsys, from, to));
    const double *theta = ent_pactmodel_estimates(m);
    for (size_t k = 0; k < ent_i_pmfit_nyears(d); k++) {
        ent_i_pmfit_year_t y;
        ent_i_pmfit_year(d, k, theta, &y, NULL);
        size_t n = y.n;
        const ent_sysyear_t *a = NULL;
        for (size_t q = 0; q < nsys && !a; q++) {
            a = sys[q]->year == y.year ? sys[q] : NULL;
        }
        ent_free(u);
        ent_free(su);
        if (!(u = ent_malloc(n * n * sizeof *u)) || !(su = ent_malloc(n * n * sizeof *su))) {
            rc = ent_i_nomem();
            goto done;
        }
        ent_i_pmfit_year(d, k, theta, &y, u);
        for (size_t ij = 0; ij < n * n; ij++) {
            su[ij] = ent_i_pm_sigmoid(u[ij]);
        }
        int out_year = y.year + 1;
        for (size_t s = 0; s < nstates; s++) {
            size_t P = SIZE_MAX;
            for (size_t i = 0; i < n; i++) {
                if (a->ccode[i] == states[s]) {
                    P = i;
                }
            }
            if (P == SIZE_MAX) {
                continue;
            }
            /* the rest is written even when empty, so the record says which years it covers */
            ENT_CHECK(ent_pmrecord_add_rest(r, states[s], out_year, 0, 0));
            for (size_t q = 0; q < y.nrisk; q++) {
                size_t i = y.ri[q], j = y.rj[q];
                if (i != P && j != P) {
                    continue;
                }
                size_t o = i == P ? j : i;
                ent_pmrec_decision_t dd = {states[s],    out_year, ENT_PMREC_PACT, a->ccode[o],
                                           u[P * n + o], 0,        su[o * n + P],  y.ry[q] != 0};
                ENT_CHECK(keep(r, &dd));
            }
            for (size_t q = 0; q < y.njoin; q++) {
                size_t t = y.jt[q], kk = y.jk[q];
                const unsigned char *mb = y.member + t * n;
                double c = (double)y.tsize[t];
                if (kk == P) {
                    double sa = 0, sc = 0;
                    for (size_t mm = 0; mm < n; mm++) {
                        if (mb[mm]) {
                            sa += u[P * n + mm];
                            sc += su[mm * n + P];
                        }
                    }
                    int64_t tid = a->treaty_id ? a->treaty_id[t] : (int64_t)t;
                    ent_pmrec_decision_t dd = {states[s], out_year, ENT_PMREC_JOIN, tid,
                                               sa / c,    0,        sc / c,         y.jy[q] != 0};
                    ENT_CHECK(keep(r, &dd));
                } else if (mb[P]) {
                    double sa = 0, so = 0;
                    for (size_t mm = 0; mm < n; mm++) {
                        if (mb[mm]) {
                            sa += u[kk * n + mm];
                            so += mm == P ? 0 : su[mm * n + kk];
                        }
                    }
                    double sk = ent_i_pm_sigmoid(sa / c);
                    ent_pmrec_decision_t dd = {states[s],     out_year,    ENT_PMREC_JOINED, a->ccode[kk],
                                               u[P * n + kk], sk * so / c, sk / c,           y.jy[q] != 0};
                    ENT_CHECK(keep(r, &dd));
                }
            }
        }
    }
    sort_record(r);
    *out = r;
    r = NULL;
done:
    ent_free(u);
    ent_free(su);
    ent_free(want);
    ent_free(states);
    ent_pmfit_data_free(d);
    ent_pmrecord_free(r);
    return rc;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

ent_err_t ent_pmrecord_save(const ent_pmrecord_t *r, const char *path, const char *provenance_json)
{
    json_t *root = json_object(), *states = json_array();
    ent_err_t rc = ENT_OK;
    int lo = 0, hi = 0, *cc = ent_malloc((r->rest.len + r->dec.len + 1) * sizeof *cc);
    size_t ncc = 0;
    if (!root || !states || !cc) {
        rc = ent_i_nomem();
        goto done;
    }
    /* the states, ascending, each once */
    for (size_t k = 0; k < r->rest.len; k++) {
        cc[ncc++] = ENT_VEC_AT(&r->rest, rest_t, k).ccode;
    }
    for (size_t k = 0; k < r->dec.len; k++) {
        cc[ncc++] = ENT_VEC_AT(&r->dec, ent_pmrec_decision_t, k).ccode;
    }
    qsort(cc, ncc, sizeof *cc, cmp_int);
    for (size_t k = 0, w = 0; k < ncc; k++) {
        if (!w || cc[w - 1] != cc[k]) {
            cc[w++] = cc[k];
        }
        if (k + 1 == ncc) {
            ncc = w;
        }
    }
    for (size_t s = 0; s < ncc; s++) {
        size_t formed = 0;
        int from = 0, to = 0;
        size_t nd = ent_pmrecord_count(r, cc[s], &formed, &from, &to);
        lo = !lo || from < lo ? from : lo;
        hi = to > hi ? to : hi;
        json_t *st = json_object(), *years = json_array();
        json_object_set_new(st, "ccode", json_integer(cc[s]));
        json_object_set_new(st, "decisions", json_integer((json_int_t)nd));
        json_object_set_new(st, "formed", json_integer((json_int_t)formed));
        for (int yr = from; yr <= to; yr++) {
            json_t *rest = json_array();
            bool any = false;
            for (size_t k = 0; k < r->rest.len; k++) {
                const rest_t *x = &ENT_VEC_AT(&r->rest, rest_t, k);
                if (x->ccode == cc[s] && x->year == yr) {
                    any = true;
                    if (x->w > 0) {
                        json_array_append_new(rest, json_pack("[f,f]", x->wa / x->w, x->w));
                    }
                }
            }
            json_t *ds = json_array();
            for (size_t k = 0; k < r->dec.len; k++) {
                const ent_pmrec_decision_t *d = &ENT_VEC_AT(&r->dec, ent_pmrec_decision_t, k);
                if (d->ccode == cc[s] && d->year == yr) {
                    json_array_append_new(ds, json_pack("[s,I,f,f,f,i]", kind_names[d->kind], (json_int_t)d->other,
                                                        d->a, d->c0, d->c1, d->formed ? 1 : 0));
                    any = true;
                }
            }
            if (!any) {
                json_decref(ds);
                json_decref(rest);
                continue;
            }
            json_t *y = json_object();
            json_object_set_new(y, "year", json_integer(yr));
            json_object_set_new(y, "rest", rest);
            json_object_set_new(y, "d", ds);
            json_array_append_new(years, y);
        }
        json_object_set_new(st, "years", years);
        json_array_append_new(states, st);
    }
    json_object_set_new(root, "model", json_string("entente-record"));
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(root, "about",
                        json_string("each pole's defence-pact decisions under the fitted pact model with no offset; "
                                    "d = [kind, other, a, c0, c1, formed], p(o) = c0 + c1 sigma(a + o); the rest R "
                                    "adds -e^o R to the log likelihood (include/entente/pactmodel.h, "
                                    "docs/models/alignment.md)"));
    json_object_set_new(root, "outcome_years", json_pack("[i,i]", lo, hi));
    json_object_set_new(root, "states", states);
    states = NULL;
    json_error_t je;
    json_t *prov = json_loads(provenance_json ? provenance_json : ent_pmrecord_provenance(r), 0, &je);
    json_object_set_new(root, "provenance", prov ? prov : json_object());
    /* compact, six digits: the likelihood is a smooth function of a, c0, c1, and the file stays small */
    if (json_dump_file(root, path, JSON_COMPACT | JSON_REAL_PRECISION(6)) != 0) {
        rc = ent_i_err(ENT_EIO, "%s: cannot write: %s", path, strerror(errno));
    }
done:
    ent_free(cc);
    json_decref(states);
    json_decref(root);
    return rc;
}

ent_err_t ent_pmrecord_load(ent_pmrecord_t **out, const char *path)
{
    *out = NULL;
    json_error_t je;
    FILE *f = fopen(path, "rb");
    if (!f) {
        return ent_i_err(errno == ENOENT ? ENT_ENOTFOUND : ENT_EIO, "%s: %s", path, strerror(errno));
    }
    json_t *root = json_loadf(f, 0, &je);
    fclose(f);
    if (!root) {
        return ent_i_err(ENT_EPARSE, "%s:%d: %s", path, je.line, je.text);
    }
    ent_err_t rc = ENT_OK;
    ent_pmrecord_t *r = NULL;
    ENT_CHECK(ent_pmrecord_new(&r));
    const char *model = json_string_value(json_object_get(root, "model"));
    if (!model || strcmp(model, "entente-record") != 0 || json_integer_value(json_object_get(root, "version")) != 1) {
        rc = ent_i_err(ENT_EPARSE, "%s: field 'model': not an entente record file (version 1)", path);
        goto done;
    }
    json_t *states = json_object_get(root, "states");
    if (!json_is_array(states)) {
        rc = ent_i_err(ENT_EPARSE, "%s: field 'states': expected an array", path);
        goto done;
    }
    size_t si, yi, di;
    json_t *st, *y, *dv;
    json_array_foreach(states, si, st)
    {
        json_t *jc = json_object_get(st, "ccode"), *years = json_object_get(st, "years");
        if (!json_is_integer(jc) || json_integer_value(jc) <= 0 || json_integer_value(jc) >= ENT_PM_MAX_CCODE ||
            !json_is_array(years)) {
            rc = ent_i_err(ENT_EPARSE, "%s: states[%zu]: field 'ccode' or 'years' missing or invalid", path, si);
            goto done;
        }
        int32_t cc = (int32_t)json_integer_value(jc);
        json_array_foreach(years, yi, y)
        {
            json_t *jy = json_object_get(y, "year"), *jr = json_object_get(y, "rest"), *ds = json_object_get(y, "d");
            if (!json_is_integer(jy) || !json_is_array(jr) || !json_is_array(ds)) {
                rc = ent_i_err(ENT_EPARSE, "%s: state %d, years[%zu]: fields 'year', 'rest', 'd' expected", path,
                               (int)cc, yi);
                goto done;
            }
            int yr = (int)json_integer_value(jy);
            if ((rc = ent_pmrecord_add_rest(r, cc, yr, 0, 0)) != ENT_OK) {
                goto done;
            }
            json_array_foreach(jr, di, dv)
            {
                double a = 0, w = 0;
                if (json_unpack(dv, "[FF]", &a, &w) != 0 ||
                    (rc = ent_pmrecord_add_rest(r, cc, yr, a, w)) == ENT_EINVAL) {
                    rc = ent_i_err(ENT_EPARSE, "%s: state %d, year %d: field 'rest'[%zu]: expected [a, w], w >= 0",
                                   path, (int)cc, yr, di);
                    goto done;
                }
                if (rc != ENT_OK) {
                    goto done;
                }
            }
            json_array_foreach(ds, di, dv)
            {
                const char *kind = NULL;
                json_int_t other = 0;
                double a = 0, c0 = 0, c1 = 0;
                int formed = 0;
                if (json_unpack(dv, "[sIFFFi]", &kind, &other, &a, &c0, &c1, &formed) != 0) {
                    rc = ent_i_err(ENT_EPARSE,
                                   "%s: state %d, year %d: field 'd'[%zu]: expected [kind, other, a, c0, "
                                   "c1, formed]",
                                   path, (int)cc, yr, di);
                    goto done;
                }
                int kd = -1;
                for (int q = 0; q < 3; q++) {
                    kd = strcmp(kind, kind_names[q]) == 0 ? q : kd;
                }
                ent_pmrec_decision_t d = {cc, yr, (ent_pmrec_kind_t)kd, other, a, c0, c1, formed != 0};
                if (kd >= 0 && (formed == 0 || formed == 1) && (rc = ent_pmrecord_add(r, &d)) != ENT_EINVAL) {
                    if (rc != ENT_OK) {
                        goto done;
                    }
                    continue;
                }
                {
                    rc = ent_i_err(ENT_EPARSE,
                                   "%s: state %d, year %d: field 'd'[%zu]: kind pact|join|joined, c0, c1 in [0, 1], "
                                   "formed 0|1",
                                   path, (int)cc, yr, di);
                    goto done;
                }
            }
        }
    }
    json_t *prov = json_object_get(root, "provenance");
    if (prov) {
        char *t = json_dumps(prov, JSON_COMPACT | JSON_SORT_KEYS);
        r->prov = t ? ent_strdup(t) : NULL;
        free(t);
        if (!r->prov) {
            rc = ent_i_nomem();
            goto done;
        }
    }
    sort_record(r);
    *out = r;
    r = NULL;
done:
    json_decref(root);
    ent_pmrecord_free(r);
    return rc;
}
