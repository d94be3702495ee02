/*
 * partition_exhaustive.c -- every two-block configuration of a small signed
 * graph in Gray-code order: the optimum, all local minima under single-node
 * moves, and the basin of each under steepest descent.
 *
 * Canonical space. Node 0 stays in block 0 (sigma_0 = +1); node i >= 1 is in
 * block bit (i-1) of the configuration c, so there are N = 2^(n-1)
 * configurations. Moving node 0 is, up to the mirror image, moving every other
 * node: its neighbour is c ^ (N-1). Moving node i >= 1 gives c ^ 2^(i-1).
 *
 * Enumeration. Step t of the reflected Gray sequence g(t) = t ^ (t >> 1)
 * flips node ctz(t) + 1. We keep the fields h_j = sum_k a_jk sigma_k and F;
 * a flip of k costs sigma_k h_k (before the flip) and adds 2 a_jk sigma_k
 * (after it) to every h_j: O(n) per step, with the row of the dense matrix
 * read as 4-wide vectors. The gain of moving j is g_j = sigma_j h_j; c is a
 * local minimum when min_j g_j >= -tol.
 *
 * Determinism and threads. The Gray sequence is cut into fixed chunks of
 * 2^16 steps (independent of the thread count); each chunk recomputes its
 * fields from scratch, so rounding never accumulates over more than one chunk
 * and every chunk computes the same numbers on any number of threads. The
 * minima kept are the max_minima lowest (value, config), a total order, so
 * the merge order does not matter either.
 *
 * Basins. Pass 1 writes, for every configuration, its steepest move (the
 * lowest j among the most negative g_j) or "minimum" into a table of uint32.
 * Minima then receive ids in config order, and pass 2 follows the moves from
 * every unresolved configuration, writing the root's id back along the path:
 * each entry is resolved once. Pass 2 is sequential.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "partition_int.h"

#define MAXN 40
#define LD_MAX 40 /* MAXN rounded up to a multiple of 4 */
#define CHUNK_BITS 16
#define RESOLVED 0x80000000u
#define IS_MIN 0x40u /* pass 1 marker of a local minimum */

typedef double v4d __attribute__((vector_size(32)));
typedef long long v4l __attribute__((vector_size(32)));

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define ENT_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ENT_CLONES
#endif

typedef struct {
    int32_t n, ld;
    const double *a; /* n x ld, zero padded */
    double tol;
    bool minima, basins;
    size_t max_minima;
    uint32_t *lab; /* basin table or NULL */
    double *trace; /* tests: F of every configuration, or NULL */
} ctx_t;

typedef struct {
    double best;
    uint64_t best_config;
    uint64_t nminima;
    ent_local_min_t *list; /* kept minima (bounded) */
    size_t len, cap;
} acc_t;

static int cmp_value_config(const void *x, const void *y)
{
    const ent_local_min_t *a = x, *b = y;
    if (a->value != b->value) {
        return a->value < b->value ? -1 : 1;
    }
    return a->config < b->config ? -1 : a->config > b->config;
}

static int cmp_config(const void *x, const void *y)
{
    const ent_local_min_t *a = x, *b = y;
    return a->config < b->config ? -1 : a->config > b->config;
}

/* Keeps the `max` lowest (value, config) entries once the list holds 2 max. */
static void acc_trim(acc_t *c, size_t max)
{
    if (c->len > max) {
        qsort(c->list, c->len, sizeof *c->list, cmp_value_config);
        c->len = max;
    }
}

static bool acc_push(acc_t *c, size_t max, uint64_t config, double value)
{
    if (max == 0) {
        return true;
    }
    if (c->len == c->cap) {
        if (c->cap >= 2 * max) {
            acc_trim(c, max);
        } else {
            size_t cap = c->cap ? c->cap * 2 : 64;
            cap = cap > 2 * max ? 2 * max : cap;
            ent_local_min_t *l = ent_realloc(c->list, cap * sizeof *l);
            if (!l) {
                return false;
            }
            c->list = l;
            c->cap = cap;
        }
    }
    c->list[c->len].config = config;
    c->list[c->len].value = value;
    c->list[c->len].basin = 0;
    c->len++;
    return true;
}

/*
 * Applies the flip of node k (sigma already flipped) to h and returns
 * min_j sigma_j h_j; *arg receives the lowest j attaining it (padding lanes
 * have gain 0 and can only win when the minimum is >= 0, when no move is
 * taken).
 */
ENT_CLONES static double flip_update(double *restrict h, const double *restrict s, const double *restrict row, double c,
                                     int32_t ld, int32_t *arg)
{
    v4d mn = {INFINITY, INFINITY, INFINITY, INFINITY};
    v4l ix = {0, 0, 0, 0}, jv = {0, 1, 2, 3}, four = {4, 4, 4, 4};
    v4d cv = {c, c, c, c};
    for (int32_t j = 0; j < ld; j += 4, jv += four) {
        v4d hv, sv, rv;
        memcpy(&hv, h + j, sizeof hv);
        memcpy(&sv, s + j, sizeof sv);
        memcpy(&rv, row + j, sizeof rv);
        hv += cv * rv;
        memcpy(h + j, &hv, sizeof hv);
        v4d gv = sv * hv;
        v4l m = gv < mn;
        mn = (v4d)(((v4l)gv & m) | ((v4l)mn & ~m));
        ix = (jv & m) | (ix & ~m);
    }
    double best = mn[0];
    long long bi = ix[0];
    for (int l = 1; l < 4; l++) {
        if (mn[l] < best || (mn[l] == best && ix[l] < bi)) {
            best = mn[l];
            bi = ix[l];
        }
    }
    *arg = (int32_t)bi;
    return best;
}

/* Processes Gray steps [t0, t1). Returns false when out of memory. */
static bool run_chunk(const ctx_t *cx, uint64_t t0, uint64_t t1, acc_t *acc)
{
    const int32_t n = cx->n, ld = cx->ld;
    double s[LD_MAX] __attribute__((aligned(32)));
    double h[LD_MAX] __attribute__((aligned(32)));
    uint64_t c = t0 ^ (t0 >> 1);
    for (int32_t j = 0; j < ld; j++) {
        s[j] = j >= n ? 0.0 : (j == 0 ? 1.0 : ((c >> (j - 1)) & 1u) ? -1.0 : 1.0);
    }
    double f = 0, mn = INFINITY;
    int32_t arg = 0;
    for (int32_t j = 0; j < ld; j++) {
        double hj = 0;
        for (int32_t k = 0; k < n && j < n; k++) {
            hj += cx->a[(size_t)j * (size_t)ld + (size_t)k] * s[k];
        }
        h[j] = hj;
    }
    /* F = (A - sum_{i<j} a_ij s_i s_j) / 2 = sum over frustrated edges */
    for (int32_t i = 0; i < n; i++) {
        for (int32_t k = i + 1; k < n; k++) {
            double w = cx->a[(size_t)i * (size_t)ld + (size_t)k];
            if (s[i] == s[k] ? w < 0 : w > 0) {
                f += fabs(w);
            }
        }
        double g = s[i] * h[i];
        if (g < mn) {
            mn = g;
            arg = i;
        }
    }
    for (uint64_t t = t0;;) {
        /* evaluate configuration c */
        if (f < acc->best || (f == acc->best && c < acc->best_config)) {
            acc->best = f;
            acc->best_config = c;
        }
        if (cx->trace) {
            cx->trace[c] = f;
        }
        bool is_min = mn >= -cx->tol;
        if (is_min) {
            acc->nminima++;
            if (cx->minima && !acc_push(acc, cx->basins ? SIZE_MAX / 2 : cx->max_minima, c, f)) {
                return false;
            }
        }
        if (cx->lab) {
            cx->lab[c] = is_min ? IS_MIN : (uint32_t)arg;
        }
        if (++t >= t1) {
            break;
        }
        int32_t k = __builtin_ctzll(t) + 1;
        f += s[k] * h[k];
        s[k] = -s[k];
        c ^= (uint64_t)1 << (k - 1);
        mn = flip_update(h, s, cx->a + (size_t)k * (size_t)ld, 2.0 * s[k], ld, &arg);
    }
    return true;
}

void ent_exhaustive_result_init(ent_exhaustive_result_t *r)
{
    memset(r, 0, sizeof *r);
    ent_partition_result_init(&r->best);
    ent_vec_init(&r->minima, sizeof(ent_local_min_t));
}

void ent_exhaustive_result_destroy(ent_exhaustive_result_t *r)
{
    if (r) {
        ent_partition_result_destroy(&r->best);
        ent_vec_destroy(&r->minima);
    }
}

static inline uint64_t neighbour(uint64_t c, uint32_t k, uint64_t mask)
{
    return k == 0 ? c ^ mask : c ^ ((uint64_t)1 << (k - 1));
}

/*
 * Pass 2: ids for minima in config order, then memoised descent. With
 * OpenMP, ranges of configurations are resolved in parallel: a thread may
 * read an entry another is writing, so the table is accessed with relaxed
 * atomics; whichever it sees (the move or the root's id) leads to the same
 * root, so the result does not depend on timing.
 */
static ent_err_t resolve_basins(uint32_t *lab, uint64_t N, uint64_t mask, uint64_t nmin, uint64_t *counts, int nthreads,
                                volatile sig_atomic_t *cancel)
{
    uint64_t id = 0;
    for (uint64_t c = 0; c < N; c++) {
        if (lab[c] == IS_MIN) {
            lab[c] = RESOLVED | (uint32_t)id++;
        }
    }
    if (id != nmin) {
        return ent_i_err(ENT_EINVAL, "exhaustive: minima table inconsistent (%llu vs %llu)", (unsigned long long)id,
                         (unsigned long long)nmin);
    }
    uint64_t nblk = (N + 0xffff) >> 16;
    int fail = 0;
    (void)nthreads;
#ifdef _OPENMP
#pragma omp parallel num_threads(nthreads) if (nblk > 1)
#endif
    {
        size_t cap = 256, len;
        uint64_t *stack = ent_malloc(cap * sizeof *stack);
        if (!stack) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
            fail = 1;
        }
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (uint64_t blk = 0; blk < nblk; blk++) {
            int f;
#ifdef _OPENMP
#pragma omp atomic read
#endif
            f = fail;
            if (f || !stack || (cancel && *cancel)) {
                continue;
            }
            uint64_t end = (blk + 1) << 16 < N ? (blk + 1) << 16 : N;
            for (uint64_t c = blk << 16; c < end; c++) {
                uint32_t v = __atomic_load_n(&lab[c], __ATOMIC_RELAXED);
                if (v & RESOLVED) {
                    continue;
                }
                len = 0;
                uint64_t x = c;
                while (!(v & RESOLVED)) {
                    if (len == cap) {
                        uint64_t *ns = ent_realloc(stack, 2 * cap * sizeof *stack);
                        if (!ns) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
                            fail = 1;
                            break;
                        }
                        stack = ns;
                        cap *= 2;
                    }
                    stack[len++] = x;
                    x = neighbour(x, v, mask);
                    v = __atomic_load_n(&lab[x], __ATOMIC_RELAXED);
                }
                if (!(v & RESOLVED)) {
                    break;
                }
                for (size_t i = 0; i < len; i++) {
                    __atomic_store_n(&lab[stack[i]], v, __ATOMIC_RELAXED);
                }
            }
        }
        ent_free(stack);
    }
    if (fail) {
        return ent_i_nomem();
    }
    if (cancel && *cancel) {
        return ent_i_err(ENT_EINTERRUPTED, "exhaustive enumeration interrupted");
    }
    for (uint64_t c = 0; c < N; c++) {
        counts[lab[c] & ~RESOLVED]++;
    }
    return ENT_OK;
}

static ent_err_t exhaustive(ent_exhaustive_result_t *res, const ent_signed_t *g, const ent_exhaustive_options_t *opts,
                            double *trace)
{
    ent_exhaustive_options_t dflt = ENT_EXHAUSTIVE_OPTIONS_INIT;
    const ent_exhaustive_options_t *o = opts ? opts : &dflt;
    double t_start = ent_i_now();
    int32_t n = g->n;
    if (n < 1 || n > MAXN) {
        return ent_i_err(ENT_ERANGE, "exhaustive enumeration needs 1 to %d nodes, got %d", MAXN, (int)n);
    }
    uint64_t N = (uint64_t)1 << (n - 1), mask = N - 1;
    int32_t ld = (n + 3) & ~3;
    ent_err_t rc = ENT_OK;
    double *a = ent_calloc((size_t)n * (size_t)ld, sizeof *a);
    uint32_t *lab = NULL;
    uint64_t *counts = NULL;
    acc_t glob = {INFINITY, 0, 0, NULL, 0, 0};
    if (!a) {
        return ent_i_nomem();
    }
    double total = 0;
    for (size_t e = 0; e < g->m; e++) {
        a[(size_t)g->eu[e] * (size_t)ld + (size_t)g->ev[e]] += g->ew[e];
        a[(size_t)g->ev[e] * (size_t)ld + (size_t)g->eu[e]] += g->ew[e];
        total += fabs(g->ew[e]);
    }
    bool basins = o->minima && o->basins;
    if (basins) {
        if (N > SIZE_MAX / 4 || N * 4 > o->max_bytes) {
            rc = ent_i_err(ENT_ELIMIT, "basins of %d nodes need %.3g GiB for the table (limit %.3g GiB)", (int)n,
                           (double)N * 4 / 1073741824.0, (double)o->max_bytes / 1073741824.0);
            goto done;
        }
        lab = ent_malloc((size_t)N * sizeof *lab);
        if (!lab) {
            rc = ent_i_nomem();
            goto done;
        }
    }
    ctx_t cx = {n, ld, a, 1e-12 * total, o->minima, basins, o->max_minima, lab, trace};
    uint64_t chunk = (uint64_t)1 << CHUNK_BITS;
    uint64_t nchunks = N > chunk ? N / chunk : 1;
    uint64_t csize = N > chunk ? chunk : N;
    int nomem = 0, toomany = 0, stopped = 0; /* written inside the critical section, read atomically */

    int nthreads = 1;
#ifdef _OPENMP
    nthreads = o->threads > 0 ? o->threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads) if (nchunks > 1)
#endif
    for (uint64_t ch = 0; ch < nchunks; ch++) {
        int halt, many;
#ifdef _OPENMP
#pragma omp atomic read
#endif
        halt = nomem;
#ifdef _OPENMP
#pragma omp atomic read
#endif
        many = toomany;
        if (halt || many || (o->cancel && *o->cancel)) {
            continue;
        }
        acc_t loc = {INFINITY, 0, 0, NULL, 0, 0};
        bool ok = run_chunk(&cx, ch * csize, (ch + 1) * csize, &loc);
#ifdef _OPENMP
#pragma omp critical(ent_exhaustive_merge)
#endif
        {
            if (!ok) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
                nomem = 1;
            }
            if (loc.best < glob.best || (loc.best == glob.best && loc.best_config < glob.best_config)) {
                glob.best = loc.best;
                glob.best_config = loc.best_config;
            }
            glob.nminima += loc.nminima;
            size_t keep = basins ? SIZE_MAX / 2 : o->max_minima;
            if (basins && (glob.len + loc.len) * sizeof(ent_local_min_t) > o->max_bytes) {
                ok = false; /* every minimum is needed for the basins: a plateau can make millions */
#ifdef _OPENMP
#pragma omp atomic write
#endif
                toomany = 1;
            }
            for (size_t i = 0; i < loc.len && ok; i++) {
                if (!acc_push(&glob, keep, loc.list[i].config, loc.list[i].value)) {
                    ok = false;
#ifdef _OPENMP
#pragma omp atomic write
#endif
                    nomem = 1;
                }
            }
        }
        ent_free(loc.list);
    }
    if (toomany) {
        rc = ent_i_err(ENT_ELIMIT, "basins: more local minima than fit in %.3g GiB (plateaus); ask for minima only",
                       (double)o->max_bytes / 1073741824.0);
        goto done;
    }
    if (nomem) {
        rc = ent_i_nomem();
        goto done;
    }
    if (o->cancel && *o->cancel) {
        stopped = 1;
    }
    if (stopped) {
        rc = ent_i_err(ENT_EINTERRUPTED, "exhaustive enumeration interrupted");
        goto done;
    }
    if (basins) {
        counts = ent_calloc(glob.nminima ? glob.nminima : 1, sizeof *counts);
        if (!counts) {
            rc = ent_i_nomem();
            goto done;
        }
        if ((rc = resolve_basins(lab, N, mask, glob.nminima, counts, nthreads, o->cancel)) != ENT_OK) {
            goto done;
        }
        /* glob holds every minimum: sort by config, ids are ranks */
        if (glob.len) {
            qsort(glob.list, glob.len, sizeof *glob.list, cmp_config);
        }
        for (size_t i = 0; i < glob.len; i++) {
            glob.list[i].basin = counts[i];
        }
        if (glob.len > o->max_minima) {
            /* keep the lowest (value, config), then back to config order */
            qsort(glob.list, glob.len, sizeof *glob.list, cmp_value_config);
            glob.len = o->max_minima;
            qsort(glob.list, glob.len, sizeof *glob.list, cmp_config);
        }
    } else {
        acc_trim(&glob, o->max_minima);
        if (glob.len) {
            qsort(glob.list, glob.len, sizeof *glob.list, cmp_config);
        }
    }
    /* results */
    res->configs = N;
    res->nminima = glob.nminima;
    res->basins = basins;
    if ((rc = ent_vec_resize(&res->minima, glob.len)) != ENT_OK) {
        rc = ent_i_nomem();
        goto done;
    }
    if (glob.len) {
        memcpy(res->minima.data, glob.list, glob.len * sizeof *glob.list);
    }
    {
        ent_partition_result_t *b = &res->best;
        if ((rc = ent_vec_resize(&b->block, (size_t)n)) != ENT_OK) {
            rc = ent_i_nomem();
            goto done;
        }
        for (int32_t i = 0; i < n; i++) {
            ENT_VEC_AT(&b->block, int32_t, i) = ent_config_block(glob.best_config, i);
        }
        b->value = glob.best;
        b->bound = glob.best;
        b->gap = 0;
        b->optimal = true;
        b->components = 1;
        b->largest = n;
        snprintf(b->method, sizeof b->method, "exhaustive");
        b->seconds = ent_i_now() - t_start;
    }
done:
    ent_free(a);
    ent_free(lab);
    ent_free(counts);
    ent_free(glob.list);
    return rc;
}

ent_err_t ent_partition_exhaustive(ent_exhaustive_result_t *res, const ent_signed_t *g,
                                   const ent_exhaustive_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_EXHAUSTIVE_OPTIONS_VERSION);
    return exhaustive(res, g, opts, NULL);
}

ent_err_t ent_i_exhaustive_trace(const ent_signed_t *g, double *values, int threads)
{
    ent_exhaustive_options_t o = ENT_EXHAUSTIVE_OPTIONS_INIT;
    o.basins = false;
    o.threads = threads;
    ent_exhaustive_result_t r;
    ent_exhaustive_result_init(&r);
    ent_err_t rc = exhaustive(&r, g, &o, values);
    ent_exhaustive_result_destroy(&r);
    return rc;
}

ent_err_t ent_i_exhaustive_best(const ent_signed_t *g, int8_t *sigma, double *value, volatile sig_atomic_t *cancel)
{
    ent_exhaustive_options_t o = ENT_EXHAUSTIVE_OPTIONS_INIT;
    o.minima = false;
    o.basins = false;
    o.cancel = cancel;
    ent_exhaustive_result_t r;
    ent_exhaustive_result_init(&r);
    ent_err_t rc = ent_partition_exhaustive(&r, g, &o);
    if (rc == ENT_OK) {
        for (int32_t i = 0; i < g->n; i++) {
            sigma[i] = ENT_VEC_AT(&r.best.block, int32_t, i) ? -1 : 1;
        }
        *value = r.best.value;
    }
    ent_exhaustive_result_destroy(&r);
    return rc;
}
