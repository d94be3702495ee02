/*
 * partition_heur.c -- the fast side of the partition kernel: steepest-descent
 * local search, simulated annealing, the negative-cycle packing lower bound,
 * and the Doreian-Mrvar k-way relocation algorithm.
 *
 * Every run r draws from its own stream ent_rng_seed(seed, r), and the best
 * run wins with ties to the earliest, so results do not depend on how runs are
 * scheduled.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "partition_int.h"

/* ---------------------------------------------------------------- local search */

static void fields(const ent_i_adj_t *a, const int8_t *sigma, double *h)
{
    for (int32_t i = 0; i < a->n; i++) {
        double s = 0;
        for (size_t p = a->off[i]; p < a->off[i + 1]; p++) {
            s += a->wt[p] * sigma[a->nbr[p]];
        }
        h[i] = s;
    }
}

static void flip(const ent_i_adj_t *a, int8_t *sigma, double *h, int32_t i)
{
    sigma[i] = (int8_t)-sigma[i];
    double c = 2.0 * sigma[i];
    for (size_t p = a->off[i]; p < a->off[i + 1]; p++) {
        h[a->nbr[p]] += c * a->wt[p];
    }
}

double ent_i_local_search(const ent_i_adj_t *a, int8_t *sigma, double *h, double total_abs)
{
    double tol = 1e-12 * total_abs;
    fields(a, sigma, h);
    for (;;) {
        int32_t best = -1;
        double bg = -tol;
        for (int32_t i = 0; i < a->n; i++) {
            double g = sigma[i] * h[i];
            if (g < bg) {
                bg = g;
                best = i;
            }
        }
        if (best < 0) {
            break;
        }
        flip(a, sigma, h, best);
    }
    return ent_i_spin_cost(a, sigma);
}

static double total_abs(const ent_i_adj_t *a, double *wmin)
{
    double t = 0, mn = INFINITY;
    for (int32_t i = 0; i < a->n; i++) {
        for (size_t p = a->off[i]; p < a->off[i + 1]; p++) {
            if (a->nbr[p] > i) {
                double w = fabs(a->wt[p]);
                t += w;
                mn = w < mn ? w : mn;
            }
        }
    }
    if (wmin) {
        *wmin = mn;
    }
    return t;
}

/* One annealing run from a random state; ends in a local search. */
static void anneal(const ent_i_adj_t *a, ent_rng_t *rng, int32_t sweeps, double t0, double t1, int8_t *sigma, double *h,
                   volatile sig_atomic_t *cancel)
{
    int32_t n = a->n;
    for (int32_t i = 0; i < n; i++) {
        sigma[i] = (ent_rng_u64(rng) & 1) ? 1 : -1;
    }
    fields(a, sigma, h);
    double ratio = sweeps > 1 ? pow(t1 / t0, 1.0 / (sweeps - 1)) : 1.0;
    double temp = t0;
    for (int32_t s = 0; s < sweeps; s++, temp *= ratio) {
        if (cancel && *cancel) {
            return; /* the caller sees the flag and reports the interruption */
        }
        for (int32_t step = 0; step < n; step++) {
            int32_t i = (int32_t)ent_rng_below(rng, (uint64_t)n);
            double d = sigma[i] * h[i];
            if (d <= 0 || ent_rng_uniform(rng) < exp(-d / temp)) {
                flip(a, sigma, h, i);
            }
        }
    }
}

ent_err_t ent_i_heuristic_spins(const ent_i_adj_t *a, const ent_heuristic_options_t *o, int8_t *best, double *value,
                                int64_t *runs)
{
    int32_t n = a->n;
    int8_t *sig = ent_malloc((size_t)n + 1);
    double *h = ent_malloc(((size_t)n + 1) * sizeof *h);
    if (!sig || !h) {
        ent_free(sig);
        ent_free(h);
        return ent_i_nomem();
    }
    double wmin, tot = total_abs(a, &wmin);
    double mean = a->m ? tot / (double)a->m : 1.0;
    double bv = INFINITY;
    int64_t nr = 0;
    int32_t restarts = o->restarts > 0 ? o->restarts : 0, anneals = o->anneal_runs > 0 ? o->anneal_runs : 0;
    if (restarts + anneals == 0) {
        restarts = 1;
    }
    for (int32_t r = 0; r < restarts + anneals; r++, nr++) {
        if (o->cancel && *o->cancel) {
            ent_free(sig);
            ent_free(h);
            return ent_i_err(ENT_EINTERRUPTED, "heuristic partition interrupted after %lld runs", (long long)nr);
        }
        ent_rng_t rng;
        ent_rng_seed(&rng, o->seed, (uint64_t)r);
        if (r < restarts) {
            for (int32_t i = 0; i < n; i++) {
                sig[i] = (ent_rng_u64(&rng) & 1) ? 1 : -1;
            }
        } else {
            anneal(a, &rng, o->anneal_sweeps > 0 ? o->anneal_sweeps : 100, 2.0 * mean,
                   0.05 * (isfinite(wmin) ? wmin : 1.0), sig, h, o->cancel);
            if (o->cancel && *o->cancel) {
                continue; /* reported at the top of the loop */
            }
        }
        double v = ent_i_local_search(a, sig, h, tot);
        if (v < bv) {
            bv = v;
            memcpy(best, sig, (size_t)n);
        }
    }
    if (n > 0 && best[0] < 0) { /* node 0 in block 0: the +1 side */
        for (int32_t i = 0; i < n; i++) {
            best[i] = (int8_t)-best[i];
        }
    }
    *value = n ? bv : 0.0;
    if (runs) {
        *runs = nr;
    }
    ent_free(sig);
    ent_free(h);
    return ENT_OK;
}

/* ---------------------------------------------------------------- cycle packing */

ent_err_t ent_i_cycle_packing(const ent_i_adj_t *a, double *bound)
{
    int32_t n = a->n;
    size_t m = a->m, ns2 = 2 * (size_t)n + 1;
    double *res = ent_malloc((m + 1) * sizeof *res);
    int64_t *emark = ent_malloc((m + 1) * sizeof *emark);
    int32_t *queue = ent_malloc(ns2 * sizeof *queue);
    int32_t *prev = ent_malloc(ns2 * sizeof *prev); /* BFS predecessor state */
    size_t *via = ent_malloc(ns2 * sizeof *via);    /* edge id used to reach the state */
    int64_t *seen = ent_malloc(ns2 * sizeof *seen);
    ent_err_t rc = ENT_OK;
    if (!res || !emark || !queue || !prev || !via || !seen) {
        rc = ent_i_nomem();
        goto done;
    }
    double tot = 0;
    for (int32_t i = 0; i < n; i++) {
        for (size_t p = a->off[i]; p < a->off[i + 1]; p++) {
            res[a->eid[p]] = fabs(a->wt[p]);
        }
    }
    for (size_t e = 0; e < m; e++) {
        tot += res[e];
        emark[e] = -1;
    }
    double eps = 1e-12 * tot;
    for (size_t i = 0; i < ns2; i++) {
        seen[i] = -1;
    }
    double b = 0;
    int64_t stamp = 0;
    /*
     * Shortest closed walks of odd parity (an odd number of negative edges)
     * through s, found by BFS from (s, 0) to (s, 1) in the parity double
     * cover over edges with residual capacity. Such a walk's edges cannot all
     * be satisfied (the product of signs around it is negative), so every
     * partition pays for at least one of its distinct edges.
     */
    for (int32_t s = 0; s < n; s++) {
        for (;;) {
            stamp++;
            int32_t qh = 0, qt = 0, goal = 2 * s + 1;
            queue[qt++] = 2 * s;
            seen[2 * s] = stamp;
            while (qh < qt && seen[goal] != stamp) {
                int32_t st = queue[qh++], v = st >> 1, par = st & 1;
                for (size_t p = a->off[v]; p < a->off[v + 1]; p++) {
                    if (res[a->eid[p]] <= eps) {
                        continue;
                    }
                    int32_t nst = 2 * a->nbr[p] + (par ^ (a->wt[p] < 0));
                    if (seen[nst] != stamp) {
                        seen[nst] = stamp;
                        prev[nst] = st;
                        via[nst] = a->eid[p];
                        queue[qt++] = nst;
                    }
                }
            }
            if (seen[goal] != stamp) {
                break;
            }
            double lam = INFINITY;
            for (int32_t st = goal; st != 2 * s; st = prev[st]) {
                lam = res[via[st]] < lam ? res[via[st]] : lam;
            }
            for (int32_t st = goal; st != 2 * s; st = prev[st]) {
                if (emark[via[st]] != stamp) {
                    emark[via[st]] = stamp;
                    res[via[st]] -= lam;
                }
            }
            b += lam;
        }
    }
    *bound = b;
done:
    ent_free(res);
    ent_free(emark);
    ent_free(queue);
    ent_free(prev);
    ent_free(via);
    ent_free(seen);
    return rc;
}

ent_err_t ent_partition_lower_bound(double *bound, const ent_signed_t *g)
{
    ent_i_adj_t a;
    ent_err_t rc = ent_i_adj_build(&a, g);
    if (rc == ENT_OK) {
        rc = ent_i_cycle_packing(&a, bound);
        ent_i_adj_free(&a);
    }
    return rc;
}

/* ---------------------------------------------------------------- the heuristic driver */

ent_err_t ent_partition_heuristic(ent_partition_result_t *res, const ent_signed_t *g,
                                  const ent_heuristic_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_HEURISTIC_OPTIONS_VERSION);
    ent_heuristic_options_t dflt = ENT_HEURISTIC_OPTIONS_INIT;
    const ent_heuristic_options_t *o = opts ? opts : &dflt;
    double t0 = ent_i_now();
    ent_i_adj_t a;
    ent_err_t rc = ent_i_adj_build(&a, g);
    if (rc != ENT_OK) {
        return rc;
    }
    int8_t *best = ent_malloc((size_t)g->n + 1);
    if (!best) {
        ent_i_adj_free(&a);
        return ent_i_nomem();
    }
    double v;
    int64_t runs;
    ENT_CHECK(ent_i_heuristic_spins(&a, o, best, &v, &runs));
    ENT_CHECK(ent_i_result_set_spins(res, best, g->n));
    res->value = v;
    res->bound = -INFINITY;
    res->gap = NAN;
    res->optimal = false;
    if (o->bound) {
        double b;
        ENT_CHECK(ent_i_cycle_packing(&a, &b));
        if (ent_i_integral_weights(g)) {
            b = ceil(b - 1e-9);
        }
        res->bound = b;
        res->optimal = v <= b + 1e-9 * (fabs(v) > 1 ? fabs(v) : 1);
        res->gap = res->optimal ? 0.0 : (v - b) / (fabs(v) > 1 ? fabs(v) : 1);
    }
    res->bb_nodes = runs;
    res->components = 1;
    res->largest = g->n;
    snprintf(res->method, sizeof res->method, "heuristic");
    res->seconds = ent_i_now() - t0;
done:
    ent_free(best);
    ent_i_adj_free(&a);
    return rc;
}

/* ---------------------------------------------------------------- blockmodels */

typedef struct {
    int32_t n, k;
    double alpha;
    const ent_i_adj_t *a;
    int32_t *block, *size;
    double *pos, *neg; /* n x k: weight of i's positive / negative ties into block b */
} bm_t;

static void bm_setup(bm_t *s)
{
    memset(s->size, 0, (size_t)s->k * sizeof *s->size);
    memset(s->pos, 0, (size_t)s->n * (size_t)s->k * sizeof *s->pos);
    memset(s->neg, 0, (size_t)s->n * (size_t)s->k * sizeof *s->neg);
    for (int32_t i = 0; i < s->n; i++) {
        s->size[s->block[i]]++;
        for (size_t p = s->a->off[i]; p < s->a->off[i + 1]; p++) {
            double w = s->a->wt[p];
            size_t at = (size_t)i * (size_t)s->k + (size_t)s->block[s->a->nbr[p]];
            if (w > 0) {
                s->pos[at] += w;
            } else {
                s->neg[at] -= w;
            }
        }
    }
}

static inline double bm_delta(const bm_t *s, int32_t i, int32_t to)
{
    size_t r = (size_t)i * (size_t)s->k;
    int32_t b = s->block[i];
    return s->alpha * (s->neg[r + to] - s->neg[r + b]) - (1.0 - s->alpha) * (s->pos[r + to] - s->pos[r + b]);
}

static void bm_move(bm_t *s, int32_t i, int32_t to)
{
    int32_t b = s->block[i];
    for (size_t p = s->a->off[i]; p < s->a->off[i + 1]; p++) {
        double w = s->a->wt[p];
        size_t r = (size_t)s->a->nbr[p] * (size_t)s->k;
        if (w > 0) {
            s->pos[r + b] -= w;
            s->pos[r + to] += w;
        } else {
            s->neg[r + b] += w;
            s->neg[r + to] -= w;
        }
    }
    s->size[b]--;
    s->size[to]++;
    s->block[i] = to;
}

/* Best move first, then best swap, until neither improves. */
static void bm_descend(bm_t *s, double *row, double tol)
{
    for (;;) {
        double bd = -tol;
        int32_t bi = -1, bt = -1;
        for (int32_t i = 0; i < s->n; i++) {
            if (s->size[s->block[i]] <= 1) {
                continue;
            }
            for (int32_t t = 0; t < s->k; t++) {
                if (t != s->block[i]) {
                    double d = bm_delta(s, i, t);
                    if (d < bd) {
                        bd = d;
                        bi = i;
                        bt = t;
                    }
                }
            }
        }
        if (bi >= 0) {
            bm_move(s, bi, bt);
            continue;
        }
        if (s->k < 2) {
            break;
        }
        int32_t bj = -1;
        for (int32_t i = 0; i < s->n; i++) {
            for (size_t p = s->a->off[i]; p < s->a->off[i + 1]; p++) {
                row[s->a->nbr[p]] = s->a->wt[p];
            }
            for (int32_t j = i + 1; j < s->n; j++) {
                if (s->block[j] == s->block[i]) {
                    continue;
                }
                double w = row[j], ap = w > 0 ? w : 0, an = w < 0 ? -w : 0;
                double d = bm_delta(s, i, s->block[j]) + bm_delta(s, j, s->block[i]) -
                           2.0 * (s->alpha * an - (1.0 - s->alpha) * ap);
                if (d < bd) {
                    bd = d;
                    bi = i;
                    bj = j;
                }
            }
            for (size_t p = s->a->off[i]; p < s->a->off[i + 1]; p++) {
                row[s->a->nbr[p]] = 0;
            }
        }
        if (bi < 0) {
            break;
        }
        int32_t bb = s->block[bi], cb = s->block[bj];
        bm_move(s, bi, cb);
        bm_move(s, bj, bb);
    }
}

ent_err_t ent_partition_blockmodel(ent_partition_result_t *res, const ent_signed_t *g,
                                   const ent_blockmodel_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_BLOCKMODEL_OPTIONS_VERSION);
    ent_blockmodel_options_t dflt = ENT_BLOCKMODEL_OPTIONS_INIT;
    const ent_blockmodel_options_t *o = opts ? opts : &dflt;
    double t0 = ent_i_now();
    int32_t n = g->n, k = o->k;
    if (n == 0) {
        ent_vec_resize(&res->block, 0);
        res->value = 0;
        snprintf(res->method, sizeof res->method, "relocation");
        return ENT_OK;
    }
    if (k < 1 || k > n) {
        return ent_i_err(ENT_ERANGE, "blockmodel: k must be in [1, %d], got %d", (int)n, (int)k);
    }
    if (!(o->alpha >= 0 && o->alpha <= 1)) {
        return ent_i_err(ENT_ERANGE, "blockmodel: alpha must be in [0, 1], got %g", o->alpha);
    }
    ent_i_adj_t a;
    ent_err_t rc = ent_i_adj_build(&a, g);
    if (rc != ENT_OK) {
        return rc;
    }
    bm_t s = {n, k, o->alpha, &a, NULL, NULL, NULL, NULL};
    s.block = ent_malloc((size_t)n * sizeof *s.block);
    s.size = ent_malloc((size_t)k * sizeof *s.size);
    s.pos = ent_malloc((size_t)n * (size_t)k * sizeof *s.pos);
    s.neg = ent_malloc((size_t)n * (size_t)k * sizeof *s.neg);
    double *row = ent_calloc((size_t)n, sizeof *row);
    int32_t *perm = ent_malloc((size_t)n * sizeof *perm);
    if (!s.block || !s.size || !s.pos || !s.neg || !row || !perm) {
        rc = ent_i_nomem();
        goto done;
    }
    if ((rc = ent_vec_resize(&res->block, (size_t)n)) != ENT_OK) {
        rc = ent_i_nomem();
        goto done;
    }
    double tot = total_abs(&a, NULL), tol = 1e-12 * (tot > 0 ? tot : 1);
    double best = INFINITY;
    int32_t runs = o->restarts > 0 ? o->restarts : 1;
    for (int32_t r = 0; r < runs; r++) {
        if (o->cancel && *o->cancel) {
            rc = ent_i_err(ENT_EINTERRUPTED, "blockmodel interrupted after %d of %d restarts", (int)r, (int)runs);
            goto done;
        }
        ent_rng_t rng;
        ent_rng_seed(&rng, o->seed, (uint64_t)r);
        for (int32_t i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int32_t i = n - 1; i > 0; i--) {
            int32_t j = (int32_t)ent_rng_below(&rng, (uint64_t)i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int32_t i = 0; i < n; i++) {
            s.block[perm[i]] = i < k ? i : (int32_t)ent_rng_below(&rng, (uint64_t)k);
        }
        bm_setup(&s);
        bm_descend(&s, row, tol);
        double v = ent_partition_blockmodel_cost(g, s.block, o->alpha);
        if (v < best - tol) {
            best = v;
            memcpy(res->block.data, s.block, (size_t)n * sizeof *s.block);
        }
    }
    ent_i_canon_blocks(res->block.data, n);
    res->value = best;
    res->bound = -INFINITY;
    res->gap = NAN;
    res->optimal = false;
    res->bb_nodes = runs;
    res->components = 1;
    res->largest = n;
    snprintf(res->method, sizeof res->method, "relocation");
    res->seconds = ent_i_now() - t0;
done:
    ent_free(s.block);
    ent_free(s.size);
    ent_free(s.pos);
    ent_free(s.neg);
    ent_free(row);
    ent_free(perm);
    ent_i_adj_free(&a);
    return rc;
}
