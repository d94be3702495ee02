/*
 * signed.c -- the signed graph container (labels and edges with O(1) lookup),
 * the cost functions of the partition kernel, the landscape mapping, triangle
 * balance, and the adjacency view the solvers work on.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "partition_int.h"

/* ---------------------------------------------------------------- hash index */

/* Open addressing, linear probing, power-of-two sizes, load <= 1/2. */
typedef struct {
    int32_t *lab; /* label slots: node id or -1 */
    size_t labcap;
    uint64_t *pkey; /* pair slots: (min << 32 | max) + 1, 0 = empty */
    size_t *pval;   /* edge index */
    size_t paircap;
} sindex_t;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h ^ (h >> 29);
}

static uint64_t hash_u64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

static sindex_t *index_of(ent_signed_t *g)
{
    if (!g->index) {
        g->index = ent_calloc(1, sizeof(sindex_t));
    }
    return g->index;
}

static ent_err_t lab_grow(ent_signed_t *g, sindex_t *ix)
{
    size_t cap = ix->labcap ? ix->labcap * 2 : 64;
    int32_t *t = ent_malloc(cap * sizeof *t);
    if (!t) {
        return ent_i_nomem();
    }
    for (size_t i = 0; i < cap; i++) {
        t[i] = -1;
    }
    for (int32_t v = 0; v < g->n; v++) {
        size_t h = hash_str(g->label[v]) & (cap - 1);
        while (t[h] >= 0) {
            h = (h + 1) & (cap - 1);
        }
        t[h] = v;
    }
    ent_free(ix->lab);
    ix->lab = t;
    ix->labcap = cap;
    return ENT_OK;
}

static ent_err_t pair_grow(ent_signed_t *g, sindex_t *ix)
{
    size_t cap = ix->paircap ? ix->paircap * 2 : 64;
    uint64_t *k = ent_calloc(cap, sizeof *k);
    size_t *v = ent_malloc(cap * sizeof *v);
    if (!k || !v) {
        ent_free(k);
        ent_free(v);
        return ent_i_nomem();
    }
    for (size_t e = 0; e < g->m; e++) {
        uint32_t a = (uint32_t)g->eu[e], b = (uint32_t)g->ev[e];
        uint64_t key = ((uint64_t)(a < b ? a : b) << 32 | (a < b ? b : a)) + 1;
        size_t h = hash_u64(key) & (cap - 1);
        while (k[h]) {
            h = (h + 1) & (cap - 1);
        }
        k[h] = key;
        v[h] = e;
    }
    ent_free(ix->pkey);
    ent_free(ix->pval);
    ix->pkey = k;
    ix->pval = v;
    ix->paircap = cap;
    return ENT_OK;
}

/* ---------------------------------------------------------------- the container */

void ent_signed_init(ent_signed_t *g)
{
    memset(g, 0, sizeof *g);
}

void ent_signed_destroy(ent_signed_t *g)
{
    if (!g) {
        return;
    }
    for (int32_t i = 0; i < g->n; i++) {
        ent_free(g->label[i]);
    }
    ent_free(g->label);
    ent_free(g->eu);
    ent_free(g->ev);
    ent_free(g->ew);
    sindex_t *ix = g->index;
    if (ix) {
        ent_free(ix->lab);
        ent_free(ix->pkey);
        ent_free(ix->pval);
        ent_free(ix);
    }
    memset(g, 0, sizeof *g);
}

int32_t ent_signed_find(const ent_signed_t *g, const char *label)
{
    const sindex_t *ix = g->index;
    if (!ix || !ix->labcap) {
        return -1;
    }
    size_t h = hash_str(label) & (ix->labcap - 1);
    while (ix->lab[h] >= 0) {
        if (strcmp(g->label[ix->lab[h]], label) == 0) {
            return ix->lab[h];
        }
        h = (h + 1) & (ix->labcap - 1);
    }
    return -1;
}

ent_err_t ent_signed_node(ent_signed_t *g, const char *label, int32_t *id, bool *added)
{
    int32_t f = ent_signed_find(g, label);
    if (added) {
        *added = f < 0;
    }
    if (f >= 0) {
        *id = f;
        return ENT_OK;
    }
    if (g->n >= INT32_MAX - 1) {
        return ent_i_err(ENT_ELIMIT, "too many nodes");
    }
    sindex_t *ix = index_of(g);
    if (!ix) {
        return ent_i_nomem();
    }
    if ((size_t)g->n + 1 > g->ncap) {
        size_t cap = g->ncap ? g->ncap * 2 : 16;
        char **l = ent_realloc(g->label, cap * sizeof *l);
        if (!l) {
            return ent_i_nomem();
        }
        g->label = l;
        g->ncap = cap;
    }
    char *copy = ent_strdup(label);
    if (!copy) {
        return ent_i_nomem();
    }
    if (2 * ((size_t)g->n + 1) > ix->labcap) {
        ent_err_t rc = lab_grow(g, ix);
        if (rc != ENT_OK) {
            ent_free(copy);
            return rc;
        }
    }
    int32_t v = g->n;
    g->label[v] = copy;
    size_t h = hash_str(copy) & (ix->labcap - 1);
    while (ix->lab[h] >= 0) {
        h = (h + 1) & (ix->labcap - 1);
    }
    ix->lab[h] = v;
    g->n++;
    *id = v;
    return ENT_OK;
}

ent_err_t ent_signed_edge(ent_signed_t *g, int32_t u, int32_t v, double a, size_t *prev)
{
    if (u < 0 || v < 0 || u >= g->n || v >= g->n) {
        return ent_i_err(ENT_EINVAL, "edge %d-%d: no such node (n = %d)", (int)u, (int)v, (int)g->n);
    }
    if (u == v) {
        return ent_i_err(ENT_EINVAL, "self-loop on node '%s'", g->label[u]);
    }
    if (a == 0.0 || !isfinite(a)) {
        return ent_i_err(ENT_EINVAL, "edge %s-%s: weight must be nonzero and finite", g->label[u], g->label[v]);
    }
    sindex_t *ix = index_of(g);
    if (!ix) {
        return ent_i_nomem();
    }
    uint32_t lo = (uint32_t)(u < v ? u : v), hi = (uint32_t)(u < v ? v : u);
    uint64_t key = ((uint64_t)lo << 32 | hi) + 1;
    if (ix->paircap) {
        size_t h = hash_u64(key) & (ix->paircap - 1);
        while (ix->pkey[h]) {
            if (ix->pkey[h] == key) {
                if (prev) {
                    *prev = ix->pval[h];
                }
                return ent_i_err(ENT_EEXISTS, "duplicate edge %s-%s", g->label[u], g->label[v]);
            }
            h = (h + 1) & (ix->paircap - 1);
        }
    }
    if (g->m + 1 > g->mcap) {
        size_t cap = g->mcap ? g->mcap * 2 : 64;
        int32_t *eu = ent_realloc(g->eu, cap * sizeof *eu);
        if (eu) {
            g->eu = eu;
        }
        int32_t *ev = eu ? ent_realloc(g->ev, cap * sizeof *ev) : NULL;
        if (ev) {
            g->ev = ev;
        }
        double *ew = ev ? ent_realloc(g->ew, cap * sizeof *ew) : NULL;
        if (!ew) {
            return ent_i_nomem();
        }
        g->ew = ew;
        g->mcap = cap;
    }
    if (2 * (g->m + 1) > ix->paircap) {
        ent_err_t rc = pair_grow(g, ix);
        if (rc != ENT_OK) {
            return rc;
        }
    }
    size_t h = hash_u64(key) & (ix->paircap - 1);
    while (ix->pkey[h]) {
        h = (h + 1) & (ix->paircap - 1);
    }
    ix->pkey[h] = key;
    ix->pval[h] = g->m;
    g->eu[g->m] = u;
    g->ev[g->m] = v;
    g->ew[g->m] = a;
    g->m++;
    return ENT_OK;
}

void ent_signed_count(const ent_signed_t *g, size_t *pos, size_t *neg)
{
    size_t p = 0, q = 0;
    for (size_t e = 0; e < g->m; e++) {
        if (g->ew[e] > 0) {
            p++;
        } else {
            q++;
        }
    }
    if (pos) {
        *pos = p;
    }
    if (neg) {
        *neg = q;
    }
}

ent_err_t ent_signed_from_landscape(ent_signed_t *g, int32_t n, const double *s, const double *p,
                                    const char *const *labels)
{
    ent_err_t rc = ENT_OK;
    char buf[24];
    for (int32_t i = 0; i < n; i++) {
        if (!(s[i] > 0) || !isfinite(s[i])) {
            return ent_i_err(ENT_EINVAL, "landscape: size of actor %d must be positive, got %g", (int)i, s[i]);
        }
    }
    for (int32_t i = 0; i < n; i++) {
        int32_t id;
        if (!labels) {
            snprintf(buf, sizeof buf, "%d", (int)i);
        }
        if ((rc = ent_signed_node(g, labels ? labels[i] : buf, &id, NULL)) != ENT_OK) {
            return rc;
        }
    }
    for (int32_t i = 0; i < n; i++) {
        for (int32_t j = i + 1; j < n; j++) {
            double pij = p[(size_t)i * (size_t)n + (size_t)j];
            if (pij != 0.0 && (rc = ent_signed_edge(g, i, j, s[i] * s[j] * pij, NULL)) != ENT_OK) {
                return rc;
            }
        }
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- costs */

double ent_partition_cost(const ent_signed_t *g, const int32_t *block)
{
    double f = 0;
    for (size_t e = 0; e < g->m; e++) {
        double a = g->ew[e];
        bool same = block[g->eu[e]] == block[g->ev[e]];
        if (same ? a < 0 : a > 0) {
            f += fabs(a);
        }
    }
    return f;
}

double ent_partition_landscape_energy(const ent_signed_t *g, const int32_t *block)
{
    double neg = 0;
    for (size_t e = 0; e < g->m; e++) {
        if (g->ew[e] < 0) {
            neg -= g->ew[e];
        }
    }
    return 2.0 * (ent_partition_cost(g, block) - neg);
}

double ent_partition_blockmodel_cost(const ent_signed_t *g, const int32_t *block, double alpha)
{
    double within = 0, between = 0;
    for (size_t e = 0; e < g->m; e++) {
        double a = g->ew[e];
        bool same = block[g->eu[e]] == block[g->ev[e]];
        if (same && a < 0) {
            within -= a;
        } else if (!same && a > 0) {
            between += a;
        }
    }
    return alpha * within + (1.0 - alpha) * between;
}

/* ---------------------------------------------------------------- adjacency */

ent_err_t ent_i_adj_build(ent_i_adj_t *a, const ent_signed_t *g)
{
    memset(a, 0, sizeof *a);
    a->n = g->n;
    a->m = g->m;
    a->off = ent_calloc((size_t)g->n + 1, sizeof *a->off);
    a->nbr = ent_malloc((2 * g->m + 1) * sizeof *a->nbr);
    a->wt = ent_malloc((2 * g->m + 1) * sizeof *a->wt);
    a->eid = ent_malloc((2 * g->m + 1) * sizeof *a->eid);
    if (!a->off || !a->nbr || !a->wt || !a->eid) {
        ent_i_adj_free(a);
        return ent_i_nomem();
    }
    for (size_t e = 0; e < g->m; e++) {
        a->off[g->eu[e] + 1]++;
        a->off[g->ev[e] + 1]++;
    }
    for (int32_t i = 0; i < g->n; i++) {
        a->off[i + 1] += a->off[i];
    }
    size_t *pos = ent_malloc(((size_t)g->n + 1) * sizeof *pos);
    if (!pos) {
        ent_i_adj_free(a);
        return ent_i_nomem();
    }
    memcpy(pos, a->off, ((size_t)g->n + 1) * sizeof *pos);
    for (size_t e = 0; e < g->m; e++) {
        int32_t u = g->eu[e], v = g->ev[e];
        a->nbr[pos[u]] = v;
        a->wt[pos[u]] = g->ew[e];
        a->eid[pos[u]++] = e;
        a->nbr[pos[v]] = u;
        a->wt[pos[v]] = g->ew[e];
        a->eid[pos[v]++] = e;
    }
    ent_free(pos);
    return ENT_OK;
}

void ent_i_adj_free(ent_i_adj_t *a)
{
    ent_free(a->off);
    ent_free(a->nbr);
    ent_free(a->wt);
    ent_free(a->eid);
    memset(a, 0, sizeof *a);
}

bool ent_i_integral_weights(const ent_signed_t *g)
{
    double total = 0;
    for (size_t e = 0; e < g->m; e++) {
        double a = g->ew[e];
        if (a != floor(a)) {
            return false;
        }
        total += fabs(a);
    }
    return total < 9e15;
}

double ent_i_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double ent_i_spin_cost(const ent_i_adj_t *a, const int8_t *sigma)
{
    double f = 0;
    for (int32_t i = 0; i < a->n; i++) {
        for (size_t p = a->off[i]; p < a->off[i + 1]; p++) {
            int32_t j = a->nbr[p];
            if (j > i) {
                double w = a->wt[p];
                if (sigma[i] == sigma[j] ? w < 0 : w > 0) {
                    f += fabs(w);
                }
            }
        }
    }
    return f;
}

/* ---------------------------------------------------------------- results */

void ent_partition_result_init(ent_partition_result_t *r)
{
    memset(r, 0, sizeof *r);
    ent_vec_init(&r->block, sizeof(int32_t));
    r->bound = -INFINITY;
    r->gap = NAN;
}

void ent_partition_result_destroy(ent_partition_result_t *r)
{
    if (r) {
        ent_vec_destroy(&r->block);
    }
}

void ent_i_canon_blocks(int32_t *block, int32_t n)
{
    /* map old ids to new ones in order of first appearance; ids are small (< n) or arbitrary */
    int32_t *map = ent_malloc(((size_t)n + 1) * 2 * sizeof *map);
    if (!map) {
        return; /* keep the numbering: still a valid partition */
    }
    int32_t *old = map + n + 1;
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t b = block[i], f = -1;
        for (int32_t t = 0; t < k; t++) {
            if (old[t] == b) {
                f = t;
                break;
            }
        }
        if (f < 0) {
            old[k] = b;
            f = k++;
        }
        block[i] = f;
    }
    ent_free(map);
}

ent_err_t ent_i_result_set_spins(ent_partition_result_t *r, const int8_t *sigma, int32_t n)
{
    if (ent_vec_resize(&r->block, (size_t)n) != ENT_OK) {
        return ent_i_nomem();
    }
    int32_t *b = r->block.data;
    for (int32_t i = 0; i < n; i++) {
        b[i] = n > 0 && sigma[i] == sigma[0] ? 0 : 1;
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- triangles */

ent_err_t ent_signed_triangles(ent_triangle_balance_t *out, const ent_signed_t *g)
{
    ent_i_adj_t a;
    ent_err_t rc = ent_i_adj_build(&a, g);
    if (rc != ENT_OK) {
        return rc;
    }
    int32_t n = g->n;
    /* orient each edge from lower to higher (degree, id): every node keeps < sqrt(2m) out-neighbours */
    int32_t *rank = ent_malloc(((size_t)n + 1) * sizeof *rank);
    int32_t *order = ent_malloc(((size_t)n + 1) * sizeof *order);
    double *mark = ent_malloc(((size_t)n + 1) * sizeof *mark);
    if (!rank || !order || !mark) {
        rc = ent_i_nomem();
        goto done;
    }
    /* counting sort by degree */
    {
        size_t maxd = 0;
        for (int32_t i = 0; i < n; i++) {
            size_t d = a.off[i + 1] - a.off[i];
            maxd = d > maxd ? d : maxd;
        }
        size_t *cnt = ent_calloc(maxd + 2, sizeof *cnt);
        if (!cnt) {
            rc = ent_i_nomem();
            goto done;
        }
        for (int32_t i = 0; i < n; i++) {
            cnt[a.off[i + 1] - a.off[i] + 1]++;
        }
        for (size_t d = 1; d <= maxd + 1; d++) {
            cnt[d] += cnt[d - 1];
        }
        for (int32_t i = 0; i < n; i++) {
            order[cnt[a.off[i + 1] - a.off[i]]++] = i;
        }
        ent_free(cnt);
        for (int32_t r = 0; r < n; r++) {
            rank[order[r]] = r;
        }
    }
    for (int32_t i = 0; i < n; i++) {
        mark[i] = 0;
    }
    int64_t tri = 0, bal = 0;
    double wall = 0, wbal = 0;
    for (int32_t u = 0; u < n; u++) {
        for (size_t p = a.off[u]; p < a.off[u + 1]; p++) {
            if (rank[a.nbr[p]] > rank[u]) {
                mark[a.nbr[p]] = a.wt[p];
            }
        }
        for (size_t p = a.off[u]; p < a.off[u + 1]; p++) {
            int32_t v = a.nbr[p];
            if (rank[v] <= rank[u]) {
                continue;
            }
            for (size_t q = a.off[v]; q < a.off[v + 1]; q++) {
                int32_t w = a.nbr[q];
                if (rank[w] > rank[v] && mark[w] != 0) {
                    double prod = a.wt[p] * a.wt[q] * mark[w];
                    tri++;
                    wall += fabs(prod);
                    if (prod > 0) {
                        bal++;
                        wbal += prod;
                    }
                }
            }
        }
        for (size_t p = a.off[u]; p < a.off[u + 1]; p++) {
            mark[a.nbr[p]] = 0;
        }
    }
    out->triangles = tri;
    out->balanced = bal;
    out->fraction = tri ? (double)bal / (double)tri : NAN;
    out->weighted = tri && wall > 0 ? wbal / wall : NAN;
done:
    ent_free(rank);
    ent_free(order);
    ent_free(mark);
    ent_i_adj_free(&a);
    return rc;
}
