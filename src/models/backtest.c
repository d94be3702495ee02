/*
 * backtest.c -- `entente backtest`: forecasts of new defence pacts scored on
 * outcome years the forecaster never saw.
 *
 * The rows at risk are the dyad-years without an ATOP defence tie in t whose
 * outcome (a tie in t+1) is known: a dyad already allied cannot form a new
 * defence tie by the outcome's definition. They are ordered by outcome year,
 * so "every outcome known by then" is a prefix of them. Predictors:
 *   base-rate  the event share of the at-risk rows of every earlier outcome year
 *              (from the fit period's start);
 *   none       p = 0;
 *   history    the penalised logit on alliance-history terms only;
 *   logit      the penalised logit on the panel's covariates;
 *   file:PATH  any forecast, as CSV ccode1,ccode2,year,p (year = the row's t);
 *   model:NAME the caller's forecast of every row (options.given), e.g. the pact model's
 *              one-step-ahead probabilities (entente backtest --predictor model:PARAMS).
 * The logit's penalty is chosen on the validation years by log score after a
 * fit on the fit years; each test year's forecast comes from a refit on every
 * outcome year before it. Features are standardised on the training rows;
 * a missing value is set to the training mean and flagged by an indicator
 * column "missing:<feature>" (one per feature that has missing training values).
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backtest_int.h"
#include "util_int.h"

const int ent_bt_topk[ENT_BT_NTOPK] = {10, 50, 100, 500};

/* ---------------------------------------------------------------- features */

/* Alliance-history terms: the `history` predictor, and the start of `logit`'s list. ever_defence is
   left out on purpose: it is exactly 1 - missing:years_since_defence. */
#define HISTORY_FEATURES                                                                                               \
    "atop_offense,atop_neutrality,atop_nonagg,atop_consul,log1p:years_since_defence,"                                  \
    "log1p:common_defence_partners,log1pmin:defdeg1:defdeg2,log1pmax:defdeg1:defdeg2"
#define LOGIT_FEATURES                                                                                                 \
    HISTORY_FEATURES ",ldist,contig_land,contig_sea,logmax:cinc1:cinc2,logmin:cinc1:cinc2,"                            \
                     "max:major1:major2,min:major1:major2,min:polyarchy1:polyarchy2,"                                  \
                     "max:polyarchy1:polyarchy2,joint_democracy,mid_ongoing,log1p:mids_10y,"                           \
                     "log1p:shared_mid_opponents,rivalry,log1p:shared_rivals,log1p:trade_flow,"                        \
                     "max:trade_share1:trade_share2,log1p:joint_igo,idealpoint_dist,vote_agree,s_weighted"

typedef enum { OP_ID, OP_LOG1P, OP_LOG, OP_MIN, OP_MAX, OP_LOG1PMIN, OP_LOG1PMAX, OP_LOGMIN, OP_LOGMAX } op_t;

static const struct {
    const char *name;
    op_t op;
    int nargs;
} ops[] = {{"log1p", OP_LOG1P, 1},   {"log", OP_LOG, 1},           {"min", OP_MIN, 2},
           {"max", OP_MAX, 2},       {"log1pmin", OP_LOG1PMIN, 2}, {"log1pmax", OP_LOG1PMAX, 2},
           {"logmin", OP_LOGMIN, 2}, {"logmax", OP_LOGMAX, 2}};

typedef struct {
    char *name;
    op_t op;
    const double *a, *b;
} feat_t;

static double feat_value(const feat_t *f, size_t i)
{
    double a = f->a[i], b = f->b ? f->b[i] : 0, v;
    if (isnan(a) || isnan(b)) {
        return NAN;
    }
    switch (f->op) {
    case OP_ID: return a;
    case OP_LOG1P: return a > -1 ? log1p(a) : NAN;
    case OP_LOG: return a > 0 ? log(a) : NAN;
    case OP_MIN: return a < b ? a : b;
    case OP_MAX: return a > b ? a : b;
    case OP_LOG1PMIN: v = a < b ? a : b; return v > -1 ? log1p(v) : NAN;
    case OP_LOG1PMAX: v = a > b ? a : b; return v > -1 ? log1p(v) : NAN;
    case OP_LOGMIN: v = a < b ? a : b; return v > 0 ? log(v) : NAN;
    case OP_LOGMAX: v = a > b ? a : b; return v > 0 ? log(v) : NAN;
    }
    return NAN;
}

static void feats_free(feat_t *f, size_t n)
{
    for (size_t j = 0; f && j < n; j++) {
        ent_free(f[j].name);
    }
    ent_free(f);
}

/*
 * Parses a feature list. A term is a column, or op:column, or op:column:column.
 * With `strict` an absent column is an error; otherwise it is skipped and its
 * term appended to *absent.
 */
static ent_err_t feats_parse(feat_t **out, size_t *nout, char **absent, const ent_table_t *t, const char *spec,
                             bool strict)
{
    ent_err_t rc = ENT_OK;
    feat_t *f = NULL;
    size_t n = 0;
    ent_buf_t miss = ENT_BUF_INIT;
    char *s = ent_strdup(spec), *save = NULL;
    if (!s) {
        return ent_i_nomem();
    }
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *parts[3] = {tok, NULL, NULL};
        size_t np = 1;
        for (char *c = tok; *c && np < 3; c++) {
            if (*c == ':') {
                *c = '\0';
                parts[np++] = c + 1;
            }
        }
        feat_t ft = {NULL, OP_ID, NULL, NULL};
        const char *cols[2] = {parts[0], NULL};
        if (np > 1) {
            size_t k;
            for (k = 0; k < sizeof ops / sizeof ops[0]; k++) {
                if (strcmp(ops[k].name, parts[0]) == 0) {
                    break;
                }
            }
            if (k == sizeof ops / sizeof ops[0] || (size_t)ops[k].nargs != np - 1) {
                rc = ent_i_err(ENT_EINVAL,
                               "feature '%s': expected COLUMN, log1p:COLUMN, log:COLUMN or "
                               "min|max|log1pmin|log1pmax|logmin|logmax:COLUMN:COLUMN",
                               parts[0]);
                goto done;
            }
            ft.op = ops[k].op;
            cols[0] = parts[1];
            cols[1] = np > 2 ? parts[2] : NULL;
        }
        ft.a = ent_table_column(t, cols[0]);
        ft.b = cols[1] ? ent_table_column(t, cols[1]) : NULL;
        /* the term's name, as written */
        ent_buf_t nm = ENT_BUF_INIT;
        rc = ent_buf_puts(&nm, parts[0]);
        for (size_t k = 1; rc == ENT_OK && k < np; k++) {
            rc = ent_buf_printf(&nm, ":%s", parts[k]);
        }
        if (rc != ENT_OK) {
            ent_buf_destroy(&nm);
            goto done;
        }
        if (!ft.a || (cols[1] && !ft.b)) {
            const char *which = !ft.a ? cols[0] : cols[1];
            if (strict) {
                rc = ent_i_err(ENT_EINVAL, "feature '%s': the panel has no column '%s'", nm.ptr, which);
                ent_buf_destroy(&nm);
                goto done;
            }
            rc = ent_buf_printf(&miss, "%s%s", miss.len ? "," : "", nm.ptr);
            ent_buf_destroy(&nm);
            if (rc != ENT_OK) {
                goto done;
            }
            continue;
        }
        ft.name = nm.ptr; /* owned now */
        feat_t *g = ent_realloc(f, (n + 1) * sizeof *g);
        if (!g) {
            ent_free(ft.name);
            rc = ent_i_nomem();
            goto done;
        }
        f = g;
        f[n++] = ft;
    }
    if (n == 0) {
        rc = ent_i_err(ENT_EINVAL, "no usable feature in '%s'", spec);
        goto done;
    }
    if (miss.len && absent) {
        *absent = ent_strdup(miss.ptr);
        if (!*absent) {
            rc = ent_i_nomem();
        }
    }
done:
    ent_free(s);
    ent_buf_destroy(&miss);
    if (rc != ENT_OK) {
        feats_free(f, n);
        f = NULL;
        n = 0;
    }
    *out = f;
    *nout = n;
    return rc;
}

/* ---------------------------------------------------------------- the model */

/* One fitted logit: which raw feature (or its missing indicator) each column is, and its scaling. */
typedef struct {
    size_t q;
    int *src;  /* raw feature index */
    bool *ind; /* the missing indicator of src */
    double *mean, *sd;
    double *beta; /* q + 1 */
} model_t;

static void model_free(model_t *m)
{
    ent_free(m->src);
    ent_free(m->ind);
    ent_free(m->mean);
    ent_free(m->sd);
    ent_free(m->beta);
    memset(m, 0, sizeof *m);
}

/* The standardised value of model column c for a row whose raw features are F (nf of them). */
static inline double zval(const model_t *m, size_t c, const double *F, size_t ld, size_t i)
{
    double v = F[(size_t)m->src[c] * ld + i];
    if (m->ind[c]) {
        v = isnan(v) ? 1.0 : 0.0;
    } else if (isnan(v)) {
        return 0; /* the training mean */
    }
    return (v - m->mean[c]) / m->sd[c];
}

/* Builds the model's columns from the first ntr rows of F (column-major, column j at F + j * ld). A constant
   or all-missing feature is dropped; a feature with some missing values gets an indicator column. */
static ent_err_t model_setup(model_t *m, const double *F, size_t ld, size_t nf, size_t ntr)
{
    memset(m, 0, sizeof *m);
    size_t cap = 2 * nf;
    m->src = ent_calloc(cap, sizeof *m->src);
    m->ind = ent_calloc(cap, sizeof *m->ind);
    m->mean = ent_calloc(cap, sizeof *m->mean);
    m->sd = ent_calloc(cap, sizeof *m->sd);
    m->beta = ent_calloc(cap + 1, sizeof *m->beta);
    if (!m->src || !m->ind || !m->mean || !m->sd || !m->beta) {
        model_free(m);
        return ent_i_nomem();
    }
    for (size_t j = 0; j < nf; j++) {
        double s = 0, s2 = 0, cnt = 0;
        for (size_t i = 0; i < ntr; i++) {
            double v = F[j * ld + i];
            if (!isnan(v)) {
                s += v;
                cnt++;
            }
        }
        if (cnt == 0) {
            continue;
        }
        double mu = s / cnt;
        for (size_t i = 0; i < ntr; i++) {
            double v = F[j * ld + i];
            if (!isnan(v)) {
                s2 += (v - mu) * (v - mu);
            }
        }
        double sd = sqrt(s2 / cnt);
        if (!(sd > 1e-12 * (fabs(mu) + 1))) {
            continue;
        }
        m->src[m->q] = (int)j;
        m->mean[m->q] = mu;
        m->sd[m->q] = sd;
        m->q++;
        if (cnt < (double)ntr) {
            double f = ((double)ntr - cnt) / (double)ntr; /* share missing: the indicator's mean */
            m->src[m->q] = (int)j;
            m->ind[m->q] = true;
            m->mean[m->q] = f;
            m->sd[m->q] = sqrt(f * (1 - f));
            m->q++;
        }
    }
    return ENT_OK;
}

static ent_err_t model_copy(model_t *dst, const model_t *src)
{
    memset(dst, 0, sizeof *dst);
    size_t q = src->q ? src->q : 1;
    dst->src = ent_malloc(q * sizeof *dst->src);
    dst->ind = ent_malloc(q * sizeof *dst->ind);
    dst->mean = ent_malloc(q * sizeof *dst->mean);
    dst->sd = ent_malloc(q * sizeof *dst->sd);
    dst->beta = ent_malloc((q + 1) * sizeof *dst->beta);
    if (!dst->src || !dst->ind || !dst->mean || !dst->sd || !dst->beta) {
        model_free(dst);
        return ent_i_nomem();
    }
    dst->q = src->q;
    memcpy(dst->src, src->src, src->q * sizeof *dst->src);
    memcpy(dst->ind, src->ind, src->q * sizeof *dst->ind);
    memcpy(dst->mean, src->mean, src->q * sizeof *dst->mean);
    memcpy(dst->sd, src->sd, src->q * sizeof *dst->sd);
    memcpy(dst->beta, src->beta, (src->q + 1) * sizeof *dst->beta);
    return ENT_OK;
}

static double model_predict(const model_t *m, const double *F, size_t ld, size_t i)
{
    double eta = m->beta[0];
    for (size_t c = 0; c < m->q; c++) {
        eta += m->beta[c + 1] * zval(m, c, F, ld, i);
    }
    return 1 / (1 + exp(-eta));
}

/* Fits m (set up on the first ntr rows) with penalty lambda; warm-starts from `prev` where columns match. */
/* Z is a workspace of at least ntr * m->q doubles, reused across fits (fresh pages cost more than the copy). */
static ent_err_t model_fit(model_t *m, const model_t *prev, const double *F, size_t ld, const double *y, size_t ntr,
                           double lambda, int threads, int *iters, double *Z)
{
    /* column-major, as ent_logit_fit wants */
#pragma omp parallel for schedule(static) num_threads(threads > 0 ? threads : omp_get_max_threads())
    for (size_t c = 0; c < m->q; c++) {
        const double *f = F + (size_t)m->src[c] * ld;
        double *z = Z + c * ntr, mu = m->mean[c], inv = 1 / m->sd[c];
        if (m->ind[c]) {
            for (size_t i = 0; i < ntr; i++) {
                z[i] = ((isnan(f[i]) ? 1.0 : 0.0) - mu) * inv;
            }
        } else {
            for (size_t i = 0; i < ntr; i++) {
                z[i] = isnan(f[i]) ? 0.0 : (f[i] - mu) * inv;
            }
        }
    }
    ent_logit_options_t lo = ENT_LOGIT_OPTIONS_INIT;
    lo.lambda = lambda;
    lo.threads = threads;
    /* 1e-8 on the standardised scale moves no forecast in its fifth digit and saves a Newton pass a fit */
    lo.tol = 1e-8;
    memset(m->beta, 0, (m->q + 1) * sizeof *m->beta);
    if (prev && prev->beta) {
        /* start from the previous model's linear predictor, re-expressed in this fit's standardisation:
           b'_c = b_c s'_c / s_c and b'_0 = b_0 + sum_c b_c (m'_c - m_c) / s_c leave every eta unchanged */
        lo.warm = true;
        m->beta[0] = prev->beta[0];
        for (size_t c = 0; c < m->q; c++) {
            for (size_t k = 0; k < prev->q; k++) {
                if (prev->src[k] == m->src[c] && prev->ind[k] == m->ind[c]) {
                    double bk = prev->beta[k + 1] / prev->sd[k];
                    m->beta[c + 1] = bk * m->sd[c];
                    m->beta[0] += bk * (m->mean[c] - prev->mean[k]);
                }
            }
        }
    }
    int it = 0;
    ent_err_t rc = ent_logit_fit(m->beta, Z, y, ntr, m->q, &lo, &it);
    if (iters) {
        *iters += it;
    }
    return rc;
}

/* ---------------------------------------------------------------- file: forecasts */

typedef struct {
    int64_t key;
    double p;
} keyp_t;

static int cmp_keyp(const void *a, const void *b)
{
    int64_t x = ((const keyp_t *)a)->key, y = ((const keyp_t *)b)->key;
    return x < y ? -1 : x > y;
}

static inline int64_t dyad_key(double c1, double c2, double year)
{
    int64_t a = (int64_t)c1, b = (int64_t)c2;
    if (a > b) {
        int64_t t = a;
        a = b;
        b = t;
    }
    return ((int64_t)year * 10000 + a) * 10000 + b;
}

static ent_err_t read_forecasts(keyp_t **out, size_t *nout, const char *path)
{
    static const char *const names[] = {"ccode1", "ccode2", "year", "p"};
    ent_csv_t *r = NULL;
    keyp_t *a = NULL;
    size_t n = 0, cap = 0;
    int idx[4];
    bool eof;
    ent_err_t rc;
    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, names, NULL, idx, 4));
    for (;;) {
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        int64_t c1, c2, year;
        double p;
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[0], "ccode1", 1, 9999, &c1, NULL));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[1], "ccode2", 1, 9999, &c2, NULL));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[2], "year", 1, 9999, &year, NULL));
        ENT_CHECK(ent_csv_get_f64(r, (size_t)idx[3], "p", 0, 1, &p, NULL));
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            keyp_t *g = ent_realloc(a, cap * sizeof *g);
            if (!g) {
                rc = ent_i_nomem();
                goto done;
            }
            a = g;
        }
        a[n].key = dyad_key((double)c1, (double)c2, (double)year);
        a[n].p = p;
        n++;
    }
    qsort(a, n, sizeof *a, cmp_keyp);
    for (size_t i = 1; i < n; i++) {
        if (a[i].key == a[i - 1].key) {
            int64_t k = a[i].key;
            rc = ent_i_err(ENT_EPARSE, "%s: dyad %lld-%lld in %lld is given twice", ent_i_basename(path),
                           (long long)(k / 10000 % 10000), (long long)(k % 10000), (long long)(k / 100000000));
            goto done;
        }
    }
    rc = ENT_OK;
done:
    ent_csv_free(r);
    if (rc != ENT_OK) {
        ent_free(a);
        a = NULL;
        n = 0;
    }
    *out = a;
    *nout = n;
    return rc;
}

/* ---------------------------------------------------------------- treaties */

/* A defence dyad of one ATOP treaty: both members' defence spells overlap from `start` to `end`. */
typedef struct {
    int64_t dyad; /* c1 * 10000 + c2, c1 < c2 */
    int start, end;
    int atopid;
} tdyad_t;

static int cmp_tdyad(const void *a, const void *b)
{
    const tdyad_t *x = a, *y = b;
    if (x->dyad != y->dyad) {
        return x->dyad < y->dyad ? -1 : 1;
    }
    return x->start - y->start;
}

typedef struct {
    int atopid, member, yrent, yrexit;
} tmember_t;

static int cmp_tmember(const void *a, const void *b)
{
    const tmember_t *x = a, *y = b;
    return x->atopid != y->atopid ? (x->atopid < y->atopid ? -1 : 1) : (x->member - y->member);
}

static ent_err_t read_treaties(tdyad_t **out, size_t *nout, const char *path)
{
    static const char *const names[] = {"atopid", "member", "yrent", "yrexit", "defense"};
    ent_csv_t *r = NULL;
    ent_vec_t mem = ENT_VEC_INIT(tmember_t), dy = ENT_VEC_INIT(tdyad_t);
    int idx[5];
    bool eof;
    ent_err_t rc;
    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, names, NULL, idx, 5));
    for (;;) {
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        int64_t v[5];
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[0], "atopid", 1, 1000000, &v[0], NULL));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[1], "member", 1, 9999, &v[1], NULL));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[2], "yrent", 1000, 9999, &v[2], NULL));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[3], "yrexit", 0, 9999, &v[3], NULL));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[4], "defense", 0, 1, &v[4], NULL));
        if (v[4] != 1) {
            continue;
        }
        /* yrexit 0: still a member at the end of the data */
        tmember_t m = {(int)v[0], (int)v[1], (int)v[2], v[3] == 0 ? 9999 : (int)v[3]};
        ENT_CHECK(ent_vec_push(&mem, &m));
    }
    qsort(mem.data, mem.len, sizeof(tmember_t), cmp_tmember);
    const tmember_t *m = mem.data;
    for (size_t a = 0; a < mem.len;) {
        size_t b = a;
        while (b < mem.len && m[b].atopid == m[a].atopid) {
            b++;
        }
        for (size_t i = a; i < b; i++) {
            for (size_t j = i + 1; j < b; j++) {
                if (m[i].member == m[j].member) {
                    continue;
                }
                int lo = m[i].member < m[j].member ? m[i].member : m[j].member;
                int hi = m[i].member < m[j].member ? m[j].member : m[i].member;
                tdyad_t d = {(int64_t)lo * 10000 + hi, m[i].yrent > m[j].yrent ? m[i].yrent : m[j].yrent,
                             m[i].yrexit < m[j].yrexit ? m[i].yrexit : m[j].yrexit, m[a].atopid};
                if (d.start <= d.end) {
                    ENT_CHECK(ent_vec_push(&dy, &d));
                }
            }
        }
        a = b;
    }
    qsort(dy.data, dy.len, sizeof(tdyad_t), cmp_tdyad);
    rc = ENT_OK;
done:
    ent_csv_free(r);
    ent_vec_destroy(&mem);
    if (rc != ENT_OK) {
        ent_vec_destroy(&dy);
    }
    *out = dy.data;
    *nout = dy.len;
    return rc;
}

/* ---------------------------------------------------------------- scoring */

/* The rows of one scorecard: forecasts, outcomes and the base-rate reference, grouped by outcome year
   (year k's rows are ys[k] .. ys[k+1]-1). */
typedef struct {
    size_t n, nyears;
    const double *p, *y, *pbase;
    const size_t *ys;
    const int *years;
    /* treaty formations: unit u's dyads are rows tu_rows[tu_start[u] .. tu_start[u+1]-1], all in year tu_year[u] */
    size_t nunits;
    const size_t *tu_start, *tu_rows, *tu_year;
    size_t unattributed;
} rows_t;

/* Per-year sorted order (ascending within each year's range) for the top-k scores. */
static ent_err_t year_orders(size_t **out, const rows_t *r)
{
    size_t *ord = ent_malloc((r->n ? r->n : 1) * sizeof *ord);
    if (!ord) {
        return ent_i_nomem();
    }
    for (size_t k = 0; k < r->nyears; k++) {
        size_t a = r->ys[k], len = r->ys[k + 1] - a, *o;
        ent_err_t rc = ent_i_order_asc(&o, r->p + a, len);
        if (rc != ENT_OK) {
            ent_free(ord);
            return rc;
        }
        for (size_t i = 0; i < len; i++) {
            ord[a + i] = a + o[i];
        }
        ent_free(o);
    }
    *out = ord;
    return ENT_OK;
}

/* Probability that a treaty unit with dyads in one year is in that year's top k under random tie-breaking. */
static double treaty_hit(const rows_t *r, const size_t *yord, size_t u, size_t k)
{
    size_t yk = r->tu_year[u], a = r->ys[yk], n = r->ys[yk + 1] - a;
    if (k >= n) {
        return 1;
    }
    double v = r->p[yord[a + n - k]];
    size_t above = 0, g = 0;
    for (size_t i = n; i > 0; i--) {
        double pi = r->p[yord[a + i - 1]];
        if (pi > v) {
            above++;
        } else if (pi == v) {
            g++;
        } else {
            break;
        }
    }
    size_t slots = k - above, m = 0;
    for (size_t j = r->tu_start[u]; j < r->tu_start[u + 1]; j++) {
        double pi = r->p[r->tu_rows[j]];
        if (pi > v) {
            return 1;
        }
        m += pi == v;
    }
    /* none of the m tied dyads among `slots` drawn from g: prod (g - slots - i) / (g - i) */
    double miss = 1;
    for (size_t i = 0; i < m; i++) {
        if (g - i <= slots) {
            miss = 0;
            break;
        }
        miss *= (double)(g - slots - i) / (double)(g - i);
    }
    return 1 - miss;
}

static double brier_plain(const double *p, const double *y, const double *w, size_t n)
{
    double s = 0, sw = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        s += wi * (p[i] - y[i]) * (p[i] - y[i]);
        sw += wi;
    }
    return sw > 0 ? s / sw : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The 5% and 95% quantiles (type 7) of v[0..n-1], which it sorts; NaNs are dropped. */
static ent_interval_t interval90(double *v, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(v[i])) {
            v[m++] = v[i];
        }
    }
    ent_interval_t ci = {NAN, NAN};
    if (m == 0) {
        return ci;
    }
    qsort(v, m, sizeof *v, cmp_double);
    double q[2] = {0.05, 0.95}, out[2];
    for (int k = 0; k < 2; k++) {
        double h = (double)(m - 1) * q[k];
        size_t lo = (size_t)floor(h);
        size_t hi = lo + 1 < m ? lo + 1 : lo;
        out[k] = v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
    }
    ci.lo = out[0];
    ci.hi = out[1];
    return ci;
}

static ent_err_t scorecard(ent_scorecard_t *sc, ent_bt_year_t *peryear, ent_bt_bin_t *bins, size_t *nbins_out,
                           const rows_t *r, size_t nbins, size_t boot, uint64_t seed)
{
    ent_err_t rc = ENT_OK;
    size_t *ord = NULL, *yord = NULL;
    double *w = NULL, *bv = NULL, *yh = NULL;
    memset(sc, 0, sizeof *sc);
    sc->n = r->n;
    double ev = 0;
    for (size_t i = 0; i < r->n; i++) {
        ev += r->y[i];
    }
    sc->events = (size_t)ev;
    sc->event_rate = r->n ? ev / (double)r->n : NAN;
    sc->log_score = ent_score_log(r->p, r->y, NULL, r->n, &sc->n_impossible);
    ENT_CHECK(ent_score_brier(&sc->brier, r->p, r->y, NULL, r->n, nbins));
    double bs_base = brier_plain(r->pbase, r->y, NULL, r->n), bs_zero = sc->event_rate;
    double ls_base = ent_score_log(r->pbase, r->y, NULL, r->n, NULL);
    double ls_zero = ev > 0 ? INFINITY : 0;
    sc->bss_base = 1 - sc->brier.brier / bs_base;
    sc->bss_zero = 1 - sc->brier.brier / bs_zero;
    sc->lss_base = isinf(ls_base) || isinf(sc->log_score) ? NAN : 1 - sc->log_score / ls_base;
    sc->lss_zero = isinf(ls_zero) || isinf(sc->log_score) ? NAN : 1 - sc->log_score / ls_zero;
    ENT_CHECK(ent_i_order_asc(&ord, r->p, r->n));
    sc->auc = ent_i_auc_sorted(ord, r->p, r->y, NULL, r->n);
    sc->ap = ent_i_ap_sorted(ord, r->p, r->y, NULL, r->n);

    /* per year: calibration in the large and the top-k hits */
    ENT_CHECK(year_orders(&yord, r));
    yh = ent_calloc(r->nyears * ENT_BT_NTOPK + 1, sizeof *yh);
    if (!yh) {
        rc = ent_i_nomem();
        goto done;
    }
    double slots[ENT_BT_NTOPK] = {0}, hits[ENT_BT_NTOPK] = {0};
    for (size_t k = 0; k < r->nyears; k++) {
        size_t a = r->ys[k], len = r->ys[k + 1] - a;
        ent_bt_year_t *py = peryear ? &peryear[k] : NULL;
        double e = 0, s = 0;
        for (size_t i = a; i < a + len; i++) {
            e += r->y[i];
            s += r->p[i];
        }
        for (int t = 0; t < ENT_BT_NTOPK; t++) {
            size_t kk = (size_t)ent_bt_topk[t];
            double h = ent_i_topk_sorted(yord + a, r->p, r->y, len, kk);
            yh[k * ENT_BT_NTOPK + (size_t)t] = h;
            hits[t] += h;
            slots[t] += (double)(kk < len ? kk : len);
        }
        if (py) {
            py->year = r->years[k];
            py->n = len;
            py->events = (size_t)e;
            py->expected = s;
            py->log_score = ent_score_log(r->p + a, r->y + a, NULL, len, NULL);
            py->brier = brier_plain(r->p + a, r->y + a, NULL, len);
            size_t *o;
            ENT_CHECK(ent_i_order_asc(&o, r->p + a, len));
            py->auc = ent_i_auc_sorted(o, r->p + a, r->y + a, NULL, len);
            ent_free(o);
            for (int t = 0; t < ENT_BT_NTOPK; t++) {
                py->topk_hits[t] = yh[k * ENT_BT_NTOPK + (size_t)t];
            }
        }
    }
    for (int t = 0; t < ENT_BT_NTOPK; t++) {
        sc->topk_recall[t] = ev > 0 ? hits[t] / ev : NAN;
        sc->topk_precision[t] = slots[t] > 0 ? hits[t] / slots[t] : NAN;
    }

    /* treaty recall */
    sc->ntreaties = r->nunits;
    sc->unattributed = r->unattributed;
    for (int t = 0; t < ENT_BT_NTOPK; t++) {
        double s = 0;
        for (size_t u = 0; u < r->nunits; u++) {
            s += treaty_hit(r, yord, u, (size_t)ent_bt_topk[t]);
        }
        sc->treaty_recall[t] = r->nunits ? s / (double)r->nunits : NAN;
    }

    /* the reliability table: equal-count bins, then the 1,000 highest forecasts */
    if (bins) {
        size_t *start = ent_malloc((nbins + 1) * sizeof *start), nb;
        if (!start) {
            rc = ent_i_nomem();
            goto done;
        }
        ent_i_bins(start, &nb, ord, r->p, r->n, nbins);
        for (size_t b = 0; b <= nb; b++) {
            size_t lo = b < nb ? start[b] : (r->n > 1000 ? r->n - 1000 : 0), hi = b < nb ? start[b + 1] : r->n;
            ent_bt_bin_t *bb = &bins[b];
            double sp = 0, so = 0;
            for (size_t j = lo; j < hi; j++) {
                sp += r->p[ord[j]];
                so += r->y[ord[j]];
            }
            double m = (double)(hi - lo), z = 1.6448536269514722;
            bb->n = hi - lo;
            bb->p_lo = hi > lo ? r->p[ord[lo]] : NAN;
            bb->p_hi = hi > lo ? r->p[ord[hi - 1]] : NAN;
            bb->p_mean = m > 0 ? sp / m : NAN;
            bb->observed = m > 0 ? so / m : NAN;
            /* Wilson's interval */
            double ph = bb->observed, den = 1 + z * z / m, c = (ph + z * z / (2 * m)) / den,
                   hw = z * sqrt(ph * (1 - ph) / m + z * z / (4 * m * m)) / den;
            bb->obs_lo = m > 0 ? fmax(0, c - hw) : NAN;
            bb->obs_hi = m > 0 ? fmin(1, c + hw) : NAN;
        }
        *nbins_out = nb + 1;
        ent_free(start);
    }

    /* the bootstrap over test years: a resample weights each year's rows by its multiplicity */
    enum { NB = 5 + ENT_BT_NTOPK };
    if (boot > 0 && r->nyears > 0) {
        w = ent_malloc((r->n ? r->n : 1) * sizeof *w);
        bv = ent_malloc(boot * NB * sizeof *bv);
        size_t *cnt = ent_malloc(r->nyears * sizeof *cnt);
        if (!w || !bv || !cnt) {
            ent_free(cnt);
            rc = ent_i_nomem();
            goto done;
        }
        ent_rng_t rng;
        ent_rng_seed(&rng, seed, 0);
        for (size_t b = 0; b < boot; b++) {
            memset(cnt, 0, r->nyears * sizeof *cnt);
            for (size_t k = 0; k < r->nyears; k++) {
                cnt[ent_rng_below(&rng, r->nyears)]++;
            }
            double e = 0, ht[ENT_BT_NTOPK] = {0};
            for (size_t k = 0; k < r->nyears; k++) {
                for (size_t i = r->ys[k]; i < r->ys[k + 1]; i++) {
                    w[i] = (double)cnt[k];
                    e += (double)cnt[k] * r->y[i];
                }
                for (int t = 0; t < ENT_BT_NTOPK; t++) {
                    ht[t] += (double)cnt[k] * yh[k * ENT_BT_NTOPK + (size_t)t];
                }
            }
            double *v = bv + b * NB;
            v[0] = ent_score_log(r->p, r->y, w, r->n, NULL);
            v[1] = brier_plain(r->p, r->y, w, r->n);
            v[2] = 1 - v[1] / brier_plain(r->pbase, r->y, w, r->n);
            v[3] = ent_i_auc_sorted(ord, r->p, r->y, w, r->n);
            v[4] = ent_i_ap_sorted(ord, r->p, r->y, w, r->n);
            for (int t = 0; t < ENT_BT_NTOPK; t++) {
                v[5 + t] = e > 0 ? ht[t] / e : NAN;
            }
        }
        ent_free(cnt);
        double *col = ent_malloc(boot * sizeof *col);
        if (!col) {
            rc = ent_i_nomem();
            goto done;
        }
        ent_interval_t *dst[NB] = {&sc->ci_log, &sc->ci_brier, &sc->ci_bss_base, &sc->ci_auc, &sc->ci_ap};
        for (int t = 0; t < ENT_BT_NTOPK; t++) {
            dst[5 + t] = &sc->ci_topk_recall[t];
        }
        for (size_t j = 0; j < NB; j++) {
            for (size_t b = 0; b < boot; b++) {
                col[b] = bv[b * NB + j];
            }
            *dst[j] = interval90(col, boot);
        }
        ent_free(col);
    } else {
        ent_interval_t nan2 = {NAN, NAN};
        sc->ci_log = sc->ci_brier = sc->ci_bss_base = sc->ci_auc = sc->ci_ap = nan2;
        for (int t = 0; t < ENT_BT_NTOPK; t++) {
            sc->ci_topk_recall[t] = nan2;
        }
    }
done:
    ent_free(ord);
    ent_free(yord);
    ent_free(w);
    ent_free(bv);
    ent_free(yh);
    return rc;
}

/* ---------------------------------------------------------------- the run */

void ent_backtest_free(ent_backtest_t *b)
{
    if (!b) {
        return;
    }
    ent_free(b->predictor);
    for (size_t j = 0; b->feat_names && j < b->nfeat; j++) {
        ent_free(b->feat_names[j]);
    }
    ent_free(b->feat_names);
    ent_free(b->coef);
    ent_free(b->feat_mean);
    ent_free(b->feat_sd);
    ent_free(b->absent);
    ent_free(b->lambdas);
    ent_free(b->valid_log);
    ent_free(b->years);
    ent_free(b->bins);
    ent_free(b->test_rows);
    ent_free(b->test_p);
    ent_free(b);
}

static int cmp_i64_asc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    size_t row; /* table row */
    int oy;     /* outcome year */
} risk_t;

static int cmp_risk(const void *a, const void *b)
{
    const risk_t *x = a, *y = b;
    if (x->oy != y->oy) {
        return x->oy < y->oy ? -1 : 1;
    }
    return x->row < y->row ? -1 : x->row > y->row;
}

/* First index in R[0..n) with outcome year >= oy. */
static size_t lower(const risk_t *R, size_t n, int oy)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (R[mid].oy < oy) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Records the fit-period model in the result. */
static ent_err_t keep_model(ent_backtest_t *res, const model_t *m, const feat_t *f)
{
    res->nfeat = m->q;
    res->feat_names = ent_calloc(m->q + 1, sizeof *res->feat_names);
    res->coef = ent_malloc((m->q + 1) * sizeof *res->coef);
    res->feat_mean = ent_malloc((m->q + 1) * sizeof *res->feat_mean);
    res->feat_sd = ent_malloc((m->q + 1) * sizeof *res->feat_sd);
    if (!res->feat_names || !res->coef || !res->feat_mean || !res->feat_sd) {
        return ent_i_nomem();
    }
    res->coef[0] = m->beta[0];
    for (size_t c = 0; c < m->q; c++) {
        ent_buf_t b = ENT_BUF_INIT;
        if (ent_buf_printf(&b, "%s%s", m->ind[c] ? "missing:" : "", f[m->src[c]].name) != ENT_OK) {
            ent_buf_destroy(&b);
            return ent_i_nomem();
        }
        res->feat_names[c] = b.ptr;
        res->coef[c + 1] = m->beta[c + 1];
        res->feat_mean[c] = m->mean[c];
        res->feat_sd[c] = m->sd[c];
    }
    return ENT_OK;
}

ent_err_t ent_backtest_run(ent_backtest_t **out, const ent_table_t *t, const ent_backtest_options_t *opt)
{
    ent_backtest_options_t o = ENT_BACKTEST_OPTIONS_INIT;
    if (opt) {
        o = *opt;
    }
    *out = NULL;
    ent_err_t rc = ENT_OK;
    ent_backtest_t *res = NULL;
    risk_t *R = NULL;
    feat_t *feats = NULL;
    size_t nf = 0, nR = 0;
    double *F = NULL, *Zw = NULL, *Y = NULL, *P = NULL, *PB = NULL, *sp = NULL, *sy = NULL, *spb = NULL;
    keyp_t *fc = NULL;
    size_t nfc = 0;
    tdyad_t *td = NULL;
    size_t ntd = 0;
    model_t cur = {0}, prev = {0}, bestm = {0};
    size_t *ys = NULL, *tu_start = NULL, *tu_rows = NULL, *tu_year = NULL, *sys_ = NULL;
    int *years = NULL;
    ent_vec_t st = ENT_VEC_INIT(int64_t);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (!(o.fit_from <= o.fit_to && o.fit_to < o.valid_from && o.valid_from <= o.valid_to && o.valid_to < o.test_from &&
          o.test_from <= o.test_to)) {
        return ent_i_err(ENT_EINVAL, "periods must be ordered and disjoint: fit %d-%d, validation %d-%d, test %d-%d",
                         o.fit_from, o.fit_to, o.valid_from, o.valid_to, o.test_from, o.test_to);
    }
    if (o.nbins == 0) {
        return ent_i_err(ENT_EINVAL, "at least one reliability bin");
    }
    const char *pred = o.predictor ? o.predictor : "logit";
    enum { P_BASE, P_NONE, P_HISTORY, P_LOGIT, P_FILE, P_MODEL } kind;
    if (strcmp(pred, "base-rate") == 0) {
        kind = P_BASE;
    } else if (strcmp(pred, "none") == 0) {
        kind = P_NONE;
    } else if (strcmp(pred, "history") == 0) {
        kind = P_HISTORY;
    } else if (strcmp(pred, "logit") == 0) {
        kind = P_LOGIT;
    } else if (strncmp(pred, "file:", 5) == 0 && pred[5]) {
        kind = P_FILE;
    } else if (strncmp(pred, "model:", 6) == 0 && pred[6]) {
        kind = P_MODEL;
        if (!o.given) {
            return ent_i_err(ENT_EINVAL, "predictor '%s': the caller gives no forecasts (options.given)", pred);
        }
    } else {
        return ent_i_err(ENT_EINVAL, "unknown predictor '%s' (base-rate, none, history, logit, file:PATH, model:NAME)",
                         pred);
    }
    static const char *const need[] = {"ccode1", "ccode2", "year", "new_defence", "atop_defense"};
    const double *col[5];
    for (int k = 0; k < 5; k++) {
        if (!(col[k] = ent_table_column(t, need[k]))) {
            return ent_i_err(ENT_EINVAL, "the panel has no column '%s'", need[k]);
        }
    }
    const double *c1 = col[0], *c2 = col[1], *yr = col[2], *nd = col[3], *def = col[4];
    res = ent_calloc(1, sizeof *res);
    if (!res || !(res->predictor = ent_strdup(pred))) {
        rc = ent_i_nomem();
        goto done;
    }
    res->lambda = NAN;
    res->fit_log = res->valid_log_chosen = NAN;

    /* the rows at risk, by outcome year */
    R = ent_malloc((t->n ? t->n : 1) * sizeof *R);
    if (!R) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = 0; i < t->n; i++) {
        /* A pair and a year name the row: without them it is no panel row (state-level scores key on
         * the codes, and a year outside int's range has no outcome year). */
        for (int k = 0; k < 3; k++) {
            const double v = col[k][i];
            if (!(v >= 0 && v <= 9999) || v != floor(v)) {
                rc = ent_i_err(ENT_EPARSE, "panel row %zu: %s is %s, expected an integer in 0..9999", i + 1, need[k],
                               isnan(v) ? "missing" : "out of range or fractional");
                goto done;
            }
        }
        if (isnan(nd[i]) || isnan(def[i]) || def[i] != 0) {
            continue;
        }
        if (nd[i] != 0 && nd[i] != 1) {
            rc = ent_i_err(ENT_EPARSE, "panel row %zu: new_defence is %g, expected 0 or 1", i + 1, nd[i]);
            goto done;
        }
        int oy = (int)yr[i] + 1;
        if (oy < o.fit_from || oy > o.test_to) {
            continue;
        }
        R[nR].row = i;
        R[nR].oy = oy;
        nR++;
    }
    qsort(R, nR, sizeof *R, cmp_risk);
    size_t i_valid = lower(R, nR, o.valid_from), i_vend = lower(R, nR, o.valid_to + 1);
    size_t i_fend = lower(R, nR, o.fit_to + 1), i_test = lower(R, nR, o.test_from);
    res->n_fit = i_fend;
    res->n_valid = i_vend - i_valid;
    res->n_test = nR - i_test;
    Y = ent_malloc((nR ? nR : 1) * sizeof *Y);
    if (!Y) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = 0; i < nR; i++) {
        Y[i] = nd[R[i].row];
        res->events_fit += i < i_fend && Y[i] == 1;
        res->events_valid += i >= i_valid && i < i_vend && Y[i] == 1;
        res->events_test += i >= i_test && Y[i] == 1;
    }
    if (res->n_fit == 0 || res->n_valid == 0 || res->n_test == 0) {
        rc = ent_i_err(ENT_EINVAL, "the panel has no at-risk rows in the %s period (outcome years %d-%d)",
                       res->n_fit == 0     ? "fit"
                       : res->n_valid == 0 ? "validation"
                                           : "test",
                       res->n_fit == 0     ? o.fit_from
                       : res->n_valid == 0 ? o.valid_from
                                           : o.test_from,
                       res->n_fit == 0     ? o.fit_to
                       : res->n_valid == 0 ? o.valid_to
                                           : o.test_to);
        goto done;
    }
    /* the test years present */
    size_t nyears = 0;
    ys = ent_malloc((size_t)(o.test_to - o.test_from + 2) * sizeof *ys);
    years = ent_malloc((size_t)(o.test_to - o.test_from + 2) * sizeof *years);
    P = ent_malloc(nR * sizeof *P);
    PB = ent_malloc(nR * sizeof *PB);
    if (!ys || !years || !P || !PB) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = i_test; i < nR; i++) {
        if (i == i_test || R[i].oy != R[i - 1].oy) {
            ys[nyears] = i - i_test;
            years[nyears++] = R[i].oy;
        }
    }
    ys[nyears] = nR - i_test;

    /* the base rate: every rate is the event share of all earlier outcome years from fit_from on */
    {
        double e = 0, n = 0;
        size_t j = 0;
        for (size_t i = i_fend; i < nR; i++) {
            /* rows of outcome years before R[i].oy */
            while (j < nR && R[j].oy < R[i].oy) {
                e += Y[j];
                n++;
                j++;
            }
            /* the validation years are forecast by the fit period's rate */
            PB[i] = i < i_test && i >= i_valid ? NAN : e / n;
        }
        double ef = 0;
        for (size_t i = 0; i < i_fend; i++) {
            ef += Y[i];
        }
        for (size_t i = i_valid; i < i_vend; i++) {
            PB[i] = ef / (double)i_fend;
        }
    }

    if (kind == P_LOGIT || kind == P_HISTORY) {
        const char *spec = o.features ? o.features : kind == P_LOGIT ? LOGIT_FEATURES : HISTORY_FEATURES;
        ENT_CHECK(feats_parse(&feats, &nf, &res->absent, t, spec, o.features != NULL));
        /* the raw features, column-major: column j at F + j * nR */
        F = ent_malloc(nR * nf * sizeof *F);
        Zw = ent_malloc(nR * 2 * nf * sizeof *Zw);
        if (!F || !Zw) {
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t j = 0; j < nf; j++) {
            for (size_t i = 0; i < nR; i++) {
                F[j * nR + i] = feat_value(&feats[j], R[i].row);
            }
        }
        static const double grid[] = {1e5, 1e4, 1e3, 1e2, 1e1, 1, 1e-1, 1e-2, 1e-3};
        const double *lam = o.lambdas ? o.lambdas : grid;
        size_t nl = o.lambdas ? o.nlambdas : sizeof grid / sizeof grid[0];
        if (nl == 0) {
            rc = ent_i_err(ENT_EINVAL, "an empty penalty grid");
            goto done;
        }
        res->nlambdas = nl;
        res->lambdas = ent_malloc(nl * sizeof *res->lambdas);
        res->valid_log = ent_malloc(nl * sizeof *res->valid_log);
        if (!res->lambdas || !res->valid_log) {
            rc = ent_i_nomem();
            goto done;
        }
        /* the penalty path on the fit years, scored on the validation years; warm starts along it */
        double best = INFINITY;
        size_t ibest = 0;
        for (size_t l = 0; l < nl; l++) {
            if (!(lam[l] >= 0)) {
                rc = ent_i_err(ENT_EINVAL, "penalty %g: expected a number >= 0", lam[l]);
                goto done;
            }
            ENT_CHECK(model_setup(&cur, F, nR, nf, i_fend));
            ENT_CHECK(model_fit(&cur, l ? &prev : NULL, F, nR, Y, i_fend, lam[l], o.threads, &res->newton_iters, Zw));
            for (size_t i = i_valid; i < i_vend; i++) {
                P[i] = model_predict(&cur, F, nR, i);
            }
            double ls = ent_score_log(P + i_valid, Y + i_valid, NULL, i_vend - i_valid, NULL);
            res->lambdas[l] = lam[l];
            res->valid_log[l] = ls;
            /* walking from the largest penalty down, a smaller one must earn its place: it is taken only
               when it lowers the validation log score by more than 0.01% (flat stretches of the path keep
               the stronger penalty, which also keeps near-separated rare terms finite) */
            bool better = l == 0 || ls < best * (1 - 1e-4);
            if (better) {
                best = ls;
                ibest = l;
                model_free(&bestm);
                ENT_CHECK(model_copy(&bestm, &cur));
            }
            model_free(&prev);
            prev = cur;
            memset(&cur, 0, sizeof cur);
        }
        model_free(&prev);
        /* the fit-period model is the chosen penalty's fit */
        prev = bestm;
        memset(&bestm, 0, sizeof bestm);
        res->lambda = lam[ibest];
        res->valid_log_chosen = best;
        for (size_t i = 0; i < i_fend; i++) {
            P[i] = model_predict(&prev, F, nR, i);
        }
        res->fit_log = ent_score_log(P, Y, NULL, i_fend, NULL);
        ENT_CHECK(keep_model(res, &prev, feats));
        /* each test year: a refit on every earlier outcome year */
        for (size_t k = 0; k < nyears; k++) {
            size_t a = i_test + ys[k], b = i_test + ys[k + 1];
            const model_t *m = &prev;
            if (o.refit) {
                size_t ntr = lower(R, nR, years[k]);
                ENT_CHECK(model_setup(&cur, F, nR, nf, ntr));
                ENT_CHECK(model_fit(&cur, &prev, F, nR, Y, ntr, res->lambda, o.threads, &res->newton_iters, Zw));
                res->refits++;
                m = &cur;
            }
            for (size_t i = a; i < b; i++) {
                P[i] = model_predict(m, F, nR, i);
            }
            if (o.refit) {
                model_free(&prev);
                prev = cur;
                memset(&cur, 0, sizeof cur);
            }
        }
    } else if (kind == P_BASE) {
        for (size_t i = i_fend; i < nR; i++) {
            P[i] = PB[i];
        }
        double ef = 0;
        for (size_t i = 0; i < i_fend; i++) {
            ef += Y[i];
        }
        for (size_t i = 0; i < i_fend; i++) {
            P[i] = ef / (double)i_fend;
        }
        res->fit_log = ent_score_log(P, Y, NULL, i_fend, NULL);
        res->valid_log_chosen = ent_score_log(P + i_valid, Y + i_valid, NULL, i_vend - i_valid, NULL);
    } else if (kind == P_NONE) {
        for (size_t i = 0; i < nR; i++) {
            P[i] = 0;
        }
        res->fit_log = ent_score_log(P, Y, NULL, i_fend, NULL);
        res->valid_log_chosen = ent_score_log(P + i_valid, Y + i_valid, NULL, i_vend - i_valid, NULL);
    } else if (kind == P_MODEL) {
        /* every at-risk row, so the fit and validation years are scored too (in and out of sample) */
        for (size_t i = 0; i < nR; i++) {
            double p = o.given[R[i].row];
            if (!(p >= 0 && p <= 1)) {
                size_t row = R[i].row;
                rc = ent_i_err(ENT_EINVAL, "predictor '%s' gives no probability for the at-risk row %d,%d,%d (got %g)",
                               pred, (int)c1[row], (int)c2[row], (int)yr[row], p);
                goto done;
            }
            P[i] = p;
        }
        res->fit_log = ent_score_log(P, Y, NULL, i_fend, NULL);
        res->valid_log_chosen = ent_score_log(P + i_valid, Y + i_valid, NULL, i_vend - i_valid, NULL);
    } else {
        ENT_CHECK(read_forecasts(&fc, &nfc, pred + 5));
        size_t missing = 0, first = 0;
        for (size_t i = i_test; i < nR; i++) {
            size_t row = R[i].row;
            keyp_t key = {dyad_key(c1[row], c2[row], yr[row]), 0};
            keyp_t *hit = nfc ? bsearch(&key, fc, nfc, sizeof *fc, cmp_keyp) : NULL;
            if (!hit) {
                if (missing++ == 0) {
                    first = row;
                }
                continue;
            }
            P[i] = hit->p;
        }
        if (missing) {
            rc = ent_i_err(ENT_EPARSE, "%s gives no p for %zu of the %zu at-risk test dyad-years (the first: %d,%d,%d)",
                           ent_i_basename(pred + 5), missing, nR - i_test, (int)c1[first], (int)c2[first],
                           (int)yr[first]);
            goto done;
        }
    }

    /* ---- the dyad scorecard */
    size_t nt = nR - i_test;
    if (o.atop_members) {
        ENT_CHECK(read_treaties(&td, &ntd, o.atop_members));
    }
    /* treaty formation units: (atopid, outcome year) with the new dyads it explains */
    size_t nunits = 0, unattributed = 0;
    {
        ent_vec_t pairs = ENT_VEC_INIT(int64_t[3]); /* atopid, year index, test row */
        for (size_t k = 0; td && k < nyears; k++) {
            for (size_t i = ys[k]; i < ys[k + 1]; i++) {
                if (Y[i_test + i] != 1) {
                    continue;
                }
                size_t row = R[i_test + i].row;
                int64_t a = (int64_t)c1[row], b = (int64_t)c2[row];
                int64_t dk = a < b ? a * 10000 + b : b * 10000 + a;
                int oy = years[k];
                /* first the treaties whose joint defence spell starts in the outcome year, else any in force */
                size_t lo = 0, hi = ntd;
                while (lo < hi) {
                    size_t mid = (lo + hi) / 2;
                    if (td[mid].dyad < dk) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                int found = 0;
                for (int pass = 0; pass < 2 && !found; pass++) {
                    for (size_t j = lo; j < ntd && td[j].dyad == dk; j++) {
                        bool ok = pass == 0 ? td[j].start == oy : (td[j].start <= oy && oy <= td[j].end);
                        if (ok) {
                            int64_t e[3] = {td[j].atopid, (int64_t)k, (int64_t)i};
                            if ((rc = ent_vec_push(&pairs, e)) != ENT_OK) {
                                ent_vec_destroy(&pairs);
                                goto done;
                            }
                            found = 1;
                        }
                    }
                }
                unattributed += !found;
            }
        }
        /* group by (year, atopid): sort the triples */
        int64_t(*pp)[3] = pairs.data;
        for (size_t x = 1; x < pairs.len; x++) { /* insertion sort: a few thousand entries */
            int64_t e[3] = {pp[x][0], pp[x][1], pp[x][2]};
            size_t z = x;
            while (z > 0 && (pp[z - 1][1] > e[1] || (pp[z - 1][1] == e[1] && pp[z - 1][0] > e[0]))) {
                memcpy(pp[z], pp[z - 1], sizeof pp[z]);
                z--;
            }
            memcpy(pp[z], e, sizeof e);
        }
        tu_start = ent_malloc((pairs.len + 1) * sizeof *tu_start);
        tu_year = ent_malloc((pairs.len + 1) * sizeof *tu_year);
        tu_rows = ent_malloc((pairs.len + 1) * sizeof *tu_rows);
        if (!tu_start || !tu_year || !tu_rows) {
            ent_vec_destroy(&pairs);
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t x = 0; x < pairs.len; x++) {
            if (x == 0 || pp[x][0] != pp[x - 1][0] || pp[x][1] != pp[x - 1][1]) {
                tu_start[nunits] = x;
                tu_year[nunits++] = (size_t)pp[x][1];
            }
            tu_rows[x] = (size_t)pp[x][2];
        }
        tu_start[nunits] = pairs.len;
        ent_vec_destroy(&pairs);
    }
    res->nyears = nyears;
    res->years = ent_calloc(nyears + 1, sizeof *res->years);
    res->bins = ent_calloc(o.nbins + 2, sizeof *res->bins);
    res->test_rows = ent_malloc((nt + 1) * sizeof *res->test_rows);
    res->test_p = ent_malloc((nt + 1) * sizeof *res->test_p);
    if (!res->years || !res->bins || !res->test_rows || !res->test_p) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = 0; i < nt; i++) {
        res->test_rows[i] = R[i_test + i].row;
        res->test_p[i] = P[i_test + i];
    }
    rows_t rw = {nt,    nyears, P + i_test, Y + i_test, PB + i_test, ys,
                 years, nunits, tu_start,   tu_rows,    tu_year,     unattributed};
    ENT_CHECK(scorecard(&res->dyad, res->years, res->bins, &res->nbins, &rw, o.nbins, o.boot, o.seed));
    if (!td) {
        res->dyad.ntreaties = 0;
        for (int k = 0; k < ENT_BT_NTOPK; k++) {
            res->dyad.treaty_recall[k] = NAN;
        }
    }

    /* ---- the state-level target: does a state gain a new defence partner in t+1?
       p = 1 - prod (1 - p_ij) over its at-risk dyads (independence across a state's dyads assumed). */
    {
        size_t cap = 2 * nt + 1, ns = 0;
        sp = ent_malloc(cap * sizeof *sp);
        sy = ent_malloc(cap * sizeof *sy);
        spb = ent_malloc(cap * sizeof *spb);
        sys_ = ent_malloc((nyears + 1) * sizeof *sys_);
        if (!sp || !sy || !spb || !sys_) {
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t k = 0; k < nyears; k++) {
            sys_[k] = ns;
            /* key: state code; collect (state, log1p(-p), log1p(-pbase), y) and reduce by state */
            st.len = 0;
            for (size_t i = ys[k]; i < ys[k + 1]; i++) {
                size_t row = R[i_test + i].row;
                for (int s = 0; s < 2; s++) {
                    int64_t e = (int64_t)(s ? c2[row] : c1[row]) * 100000000 + (int64_t)i;
                    if ((rc = ent_vec_push(&st, &e)) != ENT_OK) {
                        goto done;
                    }
                }
            }
            int64_t *sv = st.data;
            qsort(sv, st.len, sizeof *sv, cmp_i64_asc);
            for (size_t a = 0; a < st.len;) {
                size_t b = a;
                double lp = 0, lb = 0, yy = 0;
                while (b < st.len && sv[b] / 100000000 == sv[a] / 100000000) {
                    size_t i = i_test + (size_t)(sv[b] % 100000000);
                    lp += P[i] >= 1 ? -INFINITY : log1p(-P[i]);
                    lb += log1p(-PB[i]);
                    yy = yy > Y[i] ? yy : Y[i];
                    b++;
                }
                sp[ns] = -expm1(lp);
                spb[ns] = -expm1(lb);
                sy[ns] = yy;
                ns++;
                a = b;
            }
        }
        sys_[nyears] = ns;
        rows_t rs = {ns, nyears, sp, sy, spb, sys_, years, 0, NULL, NULL, NULL, 0};
        ENT_CHECK(scorecard(&res->state, NULL, NULL, NULL, &rs, o.nbins, o.boot, o.seed));
        for (int k = 0; k < ENT_BT_NTOPK; k++) {
            res->state.treaty_recall[k] = NAN;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    *out = res;
    res = NULL;
done:
    ent_backtest_free(res);
    model_free(&cur);
    model_free(&prev);
    model_free(&bestm);
    feats_free(feats, nf);
    ent_free(R);
    ent_free(F);
    ent_free(Zw);
    ent_free(Y);
    ent_free(P);
    ent_free(PB);
    ent_free(fc);
    ent_free(td);
    ent_free(ys);
    ent_free(years);
    ent_free(tu_start);
    ent_free(tu_rows);
    ent_free(tu_year);
    ent_free(sp);
    ent_free(sy);
    ent_free(spb);
    ent_free(sys_);
    ent_vec_destroy(&st);
    return rc;
}
