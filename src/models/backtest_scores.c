/*
 * backtest_scores.c -- proper scores of probability forecasts of a binary
 * outcome: log score, Brier score with the Murphy decomposition, ROC-AUC,
 * average precision and expected top-k hits. Ties in the forecasts are
 * handled exactly rather than by whatever order a sort leaves them in: a
 * constant forecast (the base rate) must get AUC 0.5 and its expected, not
 * lucky, top-k hits.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backtest_int.h"
#include "util_int.h"

#define W(w, i) ((w) ? (w)[i] : 1.0)

double ent_score_log(const double *p, const double *y, const double *w, size_t n, size_t *nimpossible)
{
    double s = 0, sw = 0;
    size_t imp = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = W(w, i);
        if (wi == 0) {
            continue;
        }
        double q = y[i] > 0.5 ? p[i] : 1 - p[i];
        if (q <= 0) {
            imp++;
            s = INFINITY;
        } else if (!isinf(s)) {
            s -= wi * log(q);
        }
        sw += wi;
    }
    if (nimpossible) {
        *nimpossible = imp;
    }
    return sw > 0 ? s / sw : NAN;
}

/* qsort has no context argument: sort (p, index) pairs instead. */
typedef struct {
    double p;
    size_t i;
} pidx_t;

static int cmp_pidx(const void *a, const void *b)
{
    const pidx_t *x = a, *y = b;
    if (x->p != y->p) {
        return x->p < y->p ? -1 : 1;
    }
    return x->i < y->i ? -1 : x->i > y->i;
}

ent_err_t ent_i_order_asc(size_t **out, const double *p, size_t n)
{
    *out = NULL;
    pidx_t *a = ent_malloc((n ? n : 1) * sizeof *a);
    size_t *o = ent_malloc((n ? n : 1) * sizeof *o);
    if (!a || !o) {
        ent_free(a);
        ent_free(o);
        return ent_i_nomem();
    }
    for (size_t i = 0; i < n; i++) {
        a[i].p = p[i];
        a[i].i = i;
    }
    qsort(a, n, sizeof *a, cmp_pidx);
    for (size_t i = 0; i < n; i++) {
        o[i] = a[i].i;
    }
    ent_free(a);
    *out = o;
    return ENT_OK;
}

double ent_i_auc_sorted(const size_t *ord, const double *p, const double *y, const double *w, size_t n)
{
    /* Groups of equal p in ascending order: each event beats every non-event
       below its group and ties with half of the non-events in it. */
    double neg_below = 0, num = 0, P = 0, N = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        double pos = 0, neg = 0;
        while (b < n && p[ord[b]] == p[ord[a]]) {
            double wi = W(w, ord[b]);
            if (y[ord[b]] > 0.5) {
                pos += wi;
            } else {
                neg += wi;
            }
            b++;
        }
        num += pos * (neg_below + 0.5 * neg);
        neg_below += neg;
        P += pos;
        N += neg;
        a = b;
    }
    return P > 0 && N > 0 ? num / (P * N) : NAN;
}

double ent_i_ap_sorted(const size_t *ord, const double *p, const double *y, const double *w, size_t n)
{
    double P = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] > 0.5) {
            P += W(w, i);
        }
    }
    if (P <= 0) {
        return NAN;
    }
    /* thresholds from the highest forecast down; a group of ties enters at once */
    double tp = 0, fp = 0, ap = 0;
    for (size_t e = n; e > 0;) {
        size_t a = e;
        double pos = 0, neg = 0;
        while (a > 0 && p[ord[a - 1]] == p[ord[e - 1]]) {
            double wi = W(w, ord[a - 1]);
            if (y[ord[a - 1]] > 0.5) {
                pos += wi;
            } else {
                neg += wi;
            }
            a--;
        }
        tp += pos;
        fp += neg;
        if (pos > 0) {
            ap += (pos / P) * (tp / (tp + fp));
        }
        e = a;
    }
    return ap;
}

double ent_i_topk_sorted(const size_t *ord, const double *p, const double *y, size_t n, size_t k)
{
    double all = 0;
    for (size_t i = 0; i < n; i++) {
        all += y[ord[i]] > 0.5;
    }
    if (k >= n) {
        return all;
    }
    if (k == 0) {
        return 0;
    }
    double v = p[ord[n - k]]; /* the k-th highest forecast */
    double above = 0, hits_above = 0, g = 0, pos_g = 0;
    for (size_t i = n; i > 0; i--) {
        double pi = p[ord[i - 1]];
        if (pi > v) {
            above++;
            hits_above += y[ord[i - 1]] > 0.5;
        } else if (pi == v) {
            g++;
            pos_g += y[ord[i - 1]] > 0.5;
        } else {
            break;
        }
    }
    return hits_above + ((double)k - above) * pos_g / g;
}

void ent_i_bins(size_t *start, size_t *nb, const size_t *ord, const double *p, size_t n, size_t nbins)
{
    /* Bin b aims to end at (b + 1) n / nbins and is extended over ties; the
       last bin's aim is n, so every row is binned. */
    size_t b = 0, a = 0;
    while (a < n && b < nbins) {
        size_t e = (b + 1) * n / nbins;
        if (e <= a) {
            e = a + 1;
        }
        while (e < n && p[ord[e]] == p[ord[e - 1]]) {
            e++;
        }
        start[b++] = a;
        a = e;
    }
    start[b] = n;
    *nb = b;
}

ent_err_t ent_score_brier(ent_brier_t *out, const double *p, const double *y, const double *w, size_t n, size_t nbins)
{
    memset(out, 0, sizeof *out);
    if (nbins == 0) {
        return ent_i_err(ENT_EINVAL, "brier: at least one bin");
    }
    size_t *ord = NULL, *start = ent_malloc((nbins + 1) * sizeof *start);
    ent_err_t rc = ENT_OK;
    if (!start) {
        return ent_i_nomem();
    }
    ENT_CHECK(ent_i_order_asc(&ord, p, n));
    size_t nb;
    ent_i_bins(start, &nb, ord, p, n, nbins);
    double W = 0, Y = 0, bs = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = W(w, i);
        W += wi;
        Y += wi * y[i];
        bs += wi * (p[i] - y[i]) * (p[i] - y[i]);
    }
    if (W <= 0) {
        out->brier = out->rel = out->res = out->unc = out->within = NAN;
        goto done;
    }
    double obar = Y / W, rel = 0, res = 0, wbv = 0, wbc = 0;
    for (size_t b = 0; b < nb; b++) {
        double wk = 0, pk = 0, ok = 0;
        for (size_t j = start[b]; j < start[b + 1]; j++) {
            size_t i = ord[j];
            wk += W(w, i);
            pk += W(w, i) * p[i];
            ok += W(w, i) * y[i];
        }
        if (wk <= 0) {
            continue;
        }
        pk /= wk;
        ok /= wk;
        rel += wk * (pk - ok) * (pk - ok);
        res += wk * (ok - obar) * (ok - obar);
        for (size_t j = start[b]; j < start[b + 1]; j++) {
            size_t i = ord[j];
            wbv += W(w, i) * (p[i] - pk) * (p[i] - pk);
            wbc += 2 * W(w, i) * (y[i] - ok) * (p[i] - pk);
        }
    }
    out->brier = bs / W;
    out->rel = rel / W;
    out->res = res / W;
    out->unc = obar * (1 - obar);
    out->within = (wbv - wbc) / W;
    out->nbins = nb;
done:
    ent_free(ord);
    ent_free(start);
    return rc;
}

ent_err_t ent_score_auc(double *out, const double *p, const double *y, const double *w, size_t n)
{
    size_t *ord;
    ent_err_t rc = ent_i_order_asc(&ord, p, n);
    if (rc == ENT_OK) {
        *out = ent_i_auc_sorted(ord, p, y, w, n);
        ent_free(ord);
    }
    return rc;
}

ent_err_t ent_score_ap(double *out, const double *p, const double *y, const double *w, size_t n)
{
    size_t *ord;
    ent_err_t rc = ent_i_order_asc(&ord, p, n);
    if (rc == ENT_OK) {
        *out = ent_i_ap_sorted(ord, p, y, w, n);
        ent_free(ord);
    }
    return rc;
}

ent_err_t ent_score_topk_hits(double *out, const double *p, const double *y, size_t n, size_t k)
{
    size_t *ord;
    ent_err_t rc = ent_i_order_asc(&ord, p, n);
    if (rc == ENT_OK) {
        *out = ent_i_topk_sorted(ord, p, y, n, k);
        ent_free(ord);
    }
    return rc;
}
