/*
 * partition_exact.c -- the proven minimum of F over two-block partitions:
 * decomposition into biconnected blocks, enumeration of the small ones, and
 * branch and cut through GLPK with odd-cycle inequalities on the large ones.
 *
 * Why the decomposition is exact: every cycle lies inside one biconnected
 * block, and a partition that satisfies block B's optimum can be mirrored as
 * a whole (F unchanged) to agree with its neighbours at the cut vertices; the
 * block-cut tree has no cycles, so all blocks agree at once. Hence
 * L(G) = sum over blocks L(B), and bridges cost nothing.
 *
 * The ILP of a block (Aref, Mason & Wilson 2018, the "XOR" model):
 *   min sum_e |a_e| f_e
 *   a_e > 0:  f_e >= x_i - x_j,      f_e >= x_j - x_i
 *   a_e < 0:  f_e >= x_i + x_j - 1,  f_e >= 1 - x_i - x_j
 *   x binary (the highest-degree node fixed to 0), 0 <= f_e <= 1.
 * Its LP relaxation is worthless on its own (x = 1/2, f = 0), so at every
 * node of the tree we add odd-cycle inequalities: for a closed walk W whose
 * effective signs multiply to -1, where each traversal either "keeps" the
 * edge (term f_e) or "flips" it (term 1 - f_e, sign reversed),
 *   sum_keep f_e + sum_flip (1 - f_e) >= 1
 * holds for every partition (if every term were 0, the walk's effective
 * signs would all be satisfied, impossible when their product is -1). The
 * most violated one through each node is a shortest path from (v,0) to (v,1)
 * in the parity double cover with arc lengths f_e and 1 - f_e (Barahona &
 * Mahjoub 1986); with all of them the relaxation is the cycle relaxation of
 * the cut polytope, exact on graphs without a K5 minor.
 * The heuristic incumbent is handed to GLPK at the root; with integer weights
 * the search stops as soon as ceil(best bound) reaches the incumbent.
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "partition_int.h"

/* ---------------------------------------------------------------- biconnected blocks */

typedef struct {
    ent_vec_t edges; /* size_t edge ids, all blocks concatenated */
    ent_vec_t start; /* size_t: block b is edges[start[b] .. start[b+1]) */
} blocks_t;

/* Hopcroft-Tarjan with an explicit stack. */
static ent_err_t find_blocks(blocks_t *B, const ent_i_adj_t *a)
{
    int32_t n = a->n;
    ent_err_t rc = ENT_OK;
    int32_t *disc = ent_malloc(((size_t)n + 1) * sizeof *disc);
    int32_t *low = ent_malloc(((size_t)n + 1) * sizeof *low);
    size_t *it = ent_malloc(((size_t)n + 1) * sizeof *it);
    size_t *pe = ent_malloc(((size_t)n + 1) * sizeof *pe); /* edge to the DFS parent, SIZE_MAX at roots */
    int32_t *stack = ent_malloc(((size_t)n + 1) * sizeof *stack);
    ent_vec_t es = ENT_VEC_INIT(size_t);
    size_t zero = 0;
    if (!disc || !low || !it || !pe || !stack) {
        rc = ent_i_nomem();
        goto done;
    }
    ENT_CHECK(ent_vec_push(&B->start, &zero));
    for (int32_t i = 0; i < n; i++) {
        disc[i] = -1;
    }
    int32_t time = 0;
    for (int32_t r = 0; r < n; r++) {
        if (disc[r] >= 0) {
            continue;
        }
        int32_t sp = 0;
        stack[sp++] = r;
        disc[r] = low[r] = time++;
        it[r] = a->off[r];
        pe[r] = SIZE_MAX;
        while (sp > 0) {
            int32_t v = stack[sp - 1];
            if (it[v] < a->off[v + 1]) {
                size_t p = it[v]++;
                int32_t w = a->nbr[p];
                size_t e = a->eid[p];
                if (e == pe[v]) {
                    continue;
                }
                if (disc[w] < 0) {
                    ENT_CHECK(ent_vec_push(&es, &e));
                    disc[w] = low[w] = time++;
                    it[w] = a->off[w];
                    pe[w] = e;
                    stack[sp++] = w;
                } else if (disc[w] < disc[v]) {
                    ENT_CHECK(ent_vec_push(&es, &e));
                    low[v] = disc[w] < low[v] ? disc[w] : low[v];
                }
            } else {
                sp--;
                if (sp > 0) {
                    int32_t u = stack[sp - 1];
                    low[u] = low[v] < low[u] ? low[v] : low[u];
                    if (low[v] >= disc[u]) {
                        /* pop the block up to and including the tree edge u-v */
                        for (;;) {
                            size_t e = ENT_VEC_AT(&es, size_t, es.len - 1);
                            es.len--;
                            ENT_CHECK(ent_vec_push(&B->edges, &e));
                            if (e == pe[v]) {
                                break;
                            }
                        }
                        size_t end = B->edges.len;
                        ENT_CHECK(ent_vec_push(&B->start, &end));
                    }
                }
            }
        }
    }
done:
    if (rc != ENT_OK) {
        rc = ent_i_nomem(); /* only vec pushes fail */
    }
    ent_free(disc);
    ent_free(low);
    ent_free(it);
    ent_free(pe);
    ent_free(stack);
    ent_vec_destroy(&es);
    return rc;
}

/* ---------------------------------------------------------------- GLPK branch and cut */

typedef struct {
    const ent_i_adj_t *a; /* the block, local ids */
    int32_t n;
    size_t m;
    const int32_t *eu, *ev; /* local endpoints per local edge */
    const double *ew;
    int32_t xcol0, fcol0; /* column of x_1 and f_1 (1-based GLPK columns) */
    const double *start;  /* heuristic solution, columns 1..ncols */
    bool gave_start;
    bool integral;
    double incumbent; /* best known value */
    double bound;     /* best proven bound */
    bool proven;      /* stopped because bound met incumbent */
    volatile sig_atomic_t *cancel;
    bool cancelled;
    double deadline; /* ent_i_now() past which the search stops (0: none); GLPK's tm_lim alone is
                      * checked only between nodes, and the root's cuts can run far past it */
    bool timed_out;
    /* separation scratch */
    double *dist;
    int32_t *prev, *heap, *hpos;
    size_t *via;
    int8_t *viaflip;
    double *coef;
    int *ind;
    double *val;
    int64_t cuts;
    int64_t nodes;
} bc_t;

/* binary heap on dist[] over states 0..2n-1 */
static void heap_up(bc_t *b, int32_t i)
{
    int32_t s = b->heap[i];
    while (i > 0) {
        int32_t p = (i - 1) / 2;
        if (b->dist[b->heap[p]] <= b->dist[s]) {
            break;
        }
        b->heap[i] = b->heap[p];
        b->hpos[b->heap[i]] = i;
        i = p;
    }
    b->heap[i] = s;
    b->hpos[s] = i;
}

static void heap_down(bc_t *b, int32_t i, int32_t len)
{
    int32_t s = b->heap[i];
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= len) {
            break;
        }
        if (c + 1 < len && b->dist[b->heap[c + 1]] < b->dist[b->heap[c]]) {
            c++;
        }
        if (b->dist[b->heap[c]] >= b->dist[s]) {
            break;
        }
        b->heap[i] = b->heap[c];
        b->hpos[b->heap[i]] = i;
        i = c;
    }
    b->heap[i] = s;
    b->hpos[s] = i;
}

/* Separates odd-cycle inequalities at the current LP point; adds them to the pool. */
static int separate(bc_t *b, glp_tree *T)
{
    glp_prob *P = glp_ios_get_prob(T);
    int32_t n = b->n, S = 2 * n;
    size_t m = b->m;
    double *fv = b->coef; /* reuse: LP values of f, then coefficients */
    double *lp = ent_malloc((m + 1) * sizeof *lp);
    if (!lp) {
        return 0;
    }
    for (size_t e = 0; e < m; e++) {
        double v = glp_get_col_prim(P, b->fcol0 + (int)e);
        lp[e] = v < 0 ? 0 : (v > 1 ? 1 : v);
    }
    int added = 0;
    for (int32_t r = 0; r < n; r++) {
        if ((r & 15) == 0 && ((b->deadline > 0 && ent_i_now() > b->deadline) || (b->cancel && *b->cancel))) {
            break; /* out of time or cancelled: the cuts found so far go in; update_bound stops the search */
        }
        /* Dijkstra from state 2r (parity 0) to 2r+1 */
        for (int32_t s = 0; s < S; s++) {
            b->dist[s] = INFINITY;
            b->hpos[s] = -1;
        }
        int32_t len = 0;
        b->dist[2 * r] = 0;
        b->heap[len] = 2 * r;
        b->hpos[2 * r] = len;
        heap_up(b, len++);
        int32_t goal = 2 * r + 1;
        while (len > 0) {
            int32_t st = b->heap[0];
            b->hpos[st] = -2; /* settled */
            b->heap[0] = b->heap[--len];
            if (len > 0) {
                b->hpos[b->heap[0]] = 0;
                heap_down(b, 0, len);
            }
            if (st == goal || b->dist[st] >= 1.0 - 1e-6) {
                break;
            }
            int32_t v = st >> 1, par = st & 1;
            for (size_t p = b->a->off[v]; p < b->a->off[v + 1]; p++) {
                size_t e = b->a->eid[p];
                int32_t u = b->a->nbr[p], neg = b->a->wt[p] < 0;
                for (int flipped = 0; flipped < 2; flipped++) {
                    double c = flipped ? 1.0 - lp[e] : lp[e];
                    int32_t ns = 2 * u + (par ^ neg ^ flipped);
                    double d = b->dist[st] + c;
                    if (b->hpos[ns] == -2 || d >= b->dist[ns]) {
                        continue;
                    }
                    b->dist[ns] = d;
                    b->prev[ns] = st;
                    b->via[ns] = e;
                    b->viaflip[ns] = (int8_t)flipped;
                    if (b->hpos[ns] < 0) {
                        b->heap[len] = ns;
                        b->hpos[ns] = len;
                        heap_up(b, len++);
                    } else {
                        heap_up(b, b->hpos[ns]);
                    }
                }
            }
        }
        if (!(b->dist[goal] < 1.0 - 1e-4)) {
            continue;
        }
        /* sum_keep f_e - sum_flip f_e >= 1 - |flip| */
        for (size_t e = 0; e < m; e++) {
            fv[e] = 0;
        }
        int nflip = 0, steps = 0;
        for (int32_t st = goal; st != 2 * r && steps <= 4 * S; st = b->prev[st], steps++) {
            size_t e = b->via[st];
            if (b->viaflip[st]) {
                fv[e] -= 1;
                nflip++;
            } else {
                fv[e] += 1;
            }
        }
        int len2 = 0;
        for (int32_t st = goal; st != 2 * r && len2 <= 4 * S; st = b->prev[st]) {
            size_t e = b->via[st];
            if (fv[e] != 0) {
                b->ind[++len2] = b->fcol0 + (int)e;
                b->val[len2] = fv[e];
                fv[e] = 0;
            }
        }
        if (len2 > 0) {
            glp_ios_add_row(T, NULL, 101, 0, len2, b->ind, b->val, GLP_LO, 1.0 - nflip);
            added++;
        }
    }
    ent_free(lp);
    b->cuts += added;
    return added;
}

static void update_bound(bc_t *b, glp_tree *T)
{
    int na, nn, nt;
    glp_ios_tree_size(T, &na, &nn, &nt);
    b->nodes = nt;
    int p = glp_ios_best_node(T);
    if (p) {
        double lb = glp_ios_node_bound(T, p);
        if (lb > b->bound) {
            b->bound = lb;
        }
    }
    double eff = b->integral ? ceil(b->bound - 1e-6) : b->bound;
    double tol = 1e-9 * (fabs(b->incumbent) > 1 ? fabs(b->incumbent) : 1);
    if (eff >= b->incumbent - tol) {
        b->proven = true;
        glp_ios_terminate(T);
    }
    if (b->cancel && *b->cancel) {
        b->cancelled = true;
        glp_ios_terminate(T);
    }
    if (b->deadline > 0 && ent_i_now() > b->deadline) {
        b->timed_out = true;
        glp_ios_terminate(T);
    }
}

static void callback(glp_tree *T, void *info)
{
    bc_t *b = info;
    switch (glp_ios_reason(T)) {
    case GLP_IHEUR:
        if (!b->gave_start) {
            b->gave_start = true;
            glp_ios_heur_sol(T, b->start);
        }
        break;
    case GLP_ICUTGEN: separate(b, T); break;
    case GLP_IBINGO: {
        double v = glp_mip_obj_val(glp_ios_get_prob(T));
        if (v < b->incumbent) {
            b->incumbent = v;
        }
        break;
    }
    default: break;
    }
    update_bound(b, T);
}

/*
 * Solves one block by branch and cut. sigma: in, the incumbent; out, the best
 * found. *value, *bound out; *proven when optimal.
 */
static ent_err_t solve_block_ilp(const ent_signed_t *g, const ent_i_adj_t *a, int8_t *sigma, double *value,
                                 double *bound, bool *proven, double seconds, volatile sig_atomic_t *cancel,
                                 int64_t *nodes)
{
    int32_t n = g->n;
    size_t m = g->m;
    ent_err_t rc = ENT_OK;
    int32_t S = 2 * n;
    bc_t b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.n = n;
    b.m = m;
    b.eu = g->eu;
    b.ev = g->ev;
    b.ew = g->ew;
    b.integral = ent_i_integral_weights(g);
    b.incumbent = *value;
    b.bound = *bound;
    b.cancel = cancel;
    b.dist = ent_malloc((size_t)S * sizeof *b.dist);
    b.prev = ent_malloc((size_t)S * sizeof *b.prev);
    b.heap = ent_malloc((size_t)S * sizeof *b.heap);
    b.hpos = ent_malloc((size_t)S * sizeof *b.hpos);
    b.via = ent_malloc((size_t)S * sizeof *b.via);
    b.viaflip = ent_malloc((size_t)S);
    b.coef = ent_calloc(m + 1, sizeof *b.coef);
    b.ind = ent_malloc(((size_t)4 * (size_t)S + m + 8) * sizeof *b.ind);
    b.val = ent_malloc(((size_t)4 * (size_t)S + m + 8) * sizeof *b.val);
    int ncols = n + (int)m;
    double *start = ent_malloc(((size_t)ncols + 1) * sizeof *start);
    if (!b.dist || !b.prev || !b.heap || !b.hpos || !b.via || !b.viaflip || !b.coef || !b.ind || !b.val || !start) {
        rc = ent_i_nomem();
        goto done;
    }
    int term = glp_term_out(GLP_OFF); /* the library prints nothing */
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_cols(P, ncols);
    b.xcol0 = 1;
    b.fcol0 = 1 + n;
    /* fix the highest-degree node to block 0: the mirror image is the same partition */
    int32_t fixnode = 0;
    for (int32_t i = 0; i < n; i++) {
        if (a->off[i + 1] - a->off[i] > a->off[fixnode + 1] - a->off[fixnode]) {
            fixnode = i;
        }
    }
    int8_t ref = sigma[fixnode];
    for (int32_t i = 0; i < n; i++) {
        glp_set_col_kind(P, b.xcol0 + i, GLP_BV);
        if (i == fixnode) {
            glp_set_col_bnds(P, b.xcol0 + i, GLP_FX, 0, 0);
        }
        start[b.xcol0 + i] = sigma[i] == ref ? 0.0 : 1.0;
    }
    for (size_t e = 0; e < m; e++) {
        int col = b.fcol0 + (int)e;
        glp_set_col_bnds(P, col, GLP_DB, 0, 1);
        glp_set_obj_coef(P, col, fabs(g->ew[e]));
        bool same = sigma[g->eu[e]] == sigma[g->ev[e]];
        start[col] = (same ? g->ew[e] < 0 : g->ew[e] > 0) ? 1.0 : 0.0;
    }
    glp_add_rows(P, 2 * (int)m);
    for (size_t e = 0; e < m; e++) {
        int ind[4] = {0, b.fcol0 + (int)e, b.xcol0 + g->eu[e], b.xcol0 + g->ev[e]};
        int r = 1 + 2 * (int)e;
        if (g->ew[e] > 0) {
            double v1[4] = {0, 1, -1, 1}, v2[4] = {0, 1, 1, -1};
            glp_set_mat_row(P, r, 3, ind, v1);
            glp_set_mat_row(P, r + 1, 3, ind, v2);
            glp_set_row_bnds(P, r, GLP_LO, 0, 0);
            glp_set_row_bnds(P, r + 1, GLP_LO, 0, 0);
        } else {
            double v1[4] = {0, 1, -1, -1}, v2[4] = {0, 1, 1, 1};
            glp_set_mat_row(P, r, 3, ind, v1);
            glp_set_mat_row(P, r + 1, 3, ind, v2);
            glp_set_row_bnds(P, r, GLP_LO, -1, 0);
            glp_set_row_bnds(P, r + 1, GLP_LO, 1, 0);
        }
    }
    b.start = start;
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.cb_func = callback;
    ip.cb_info = &b;
    ip.br_tech = GLP_BR_PCH;
    ip.bt_tech = GLP_BT_BLB;
    ip.presolve = GLP_OFF;
    if (seconds > 0) {
        double ms = seconds * 1000.0;
        ip.tm_lim = ms > 2e9 ? 2000000000 : (int)(ms < 1 ? 1 : ms);
        sp.tm_lim = ip.tm_lim; /* the root LP counts against the same limit */
        b.deadline = ent_i_now() + seconds;
    }
    int st = glp_simplex(P, &sp);
    if (st == 0) {
        if (b.deadline > 0) {
            /* what the root LP used is gone from the branch and cut's share */
            double left = b.deadline - ent_i_now();
            ip.tm_lim = left * 1000.0 < 1 ? 1 : (int)(left * 1000.0 > 2e9 ? 2e9 : left * 1000.0);
        }
        st = glp_intopt(P, &ip);
    } /* GLP_ETMLIM in the root LP: the incumbent and the bound so far stand */
    if (st != 0 && st != GLP_ETMLIM && st != GLP_ESTOP) {
        rc = ent_i_err(ENT_ESOLVER, "GLPK failed (code %d) on a block of %d nodes", st, (int)n);
    } else {
        int ms = glp_mip_status(P);
        if (ms == GLP_OPT || ms == GLP_FEAS) {
            double v = glp_mip_obj_val(P);
            if (v < *value - 1e-9) {
                for (int32_t i = 0; i < n; i++) {
                    sigma[i] = glp_mip_col_val(P, b.xcol0 + i) > 0.5 ? -1 : 1;
                }
                *value = ent_i_spin_cost(a, sigma);
            }
            if (ms == GLP_OPT && st == 0) {
                b.proven = true;
            }
        }
        if (b.proven) {
            *bound = *value;
        } else {
            double eff = b.integral ? ceil(b.bound - 1e-6) : b.bound;
            *bound = eff > *bound ? eff : *bound;
            if (*bound > *value) {
                *bound = *value;
            }
        }
        *proven = b.proven;
        if (b.cancelled) {
            rc = ent_i_err(ENT_EINTERRUPTED, "exact partition interrupted");
        }
    }
    if (nodes) {
        *nodes += b.nodes;
    }
    glp_delete_prob(P);
    glp_term_out(term);
done:
    ent_free(b.dist);
    ent_free(b.prev);
    ent_free(b.heap);
    ent_free(b.hpos);
    ent_free(b.via);
    ent_free(b.viaflip);
    ent_free(b.coef);
    ent_free(b.ind);
    ent_free(b.val);
    ent_free(start);
    return rc;
}

/* ---------------------------------------------------------------- driver */

/* Two-colours the block if it is balanced: sigma out, true when it is. */
static bool two_colour(const ent_i_adj_t *a, int8_t *sigma, int32_t *queue)
{
    int32_t n = a->n;
    for (int32_t i = 0; i < n; i++) {
        sigma[i] = 0;
    }
    for (int32_t r = 0; r < n; r++) {
        if (sigma[r]) {
            continue;
        }
        int32_t qh = 0, qt = 0;
        sigma[r] = 1;
        queue[qt++] = r;
        while (qh < qt) {
            int32_t v = queue[qh++];
            for (size_t p = a->off[v]; p < a->off[v + 1]; p++) {
                int32_t u = a->nbr[p];
                int8_t want = (int8_t)(a->wt[p] > 0 ? sigma[v] : -sigma[v]);
                if (!sigma[u]) {
                    sigma[u] = want;
                    queue[qt++] = u;
                } else if (sigma[u] != want) {
                    return false;
                }
            }
        }
    }
    return true;
}

ent_err_t ent_partition_exact(ent_partition_result_t *res, const ent_signed_t *g, const ent_exact_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_EXACT_OPTIONS_VERSION);
    ent_exact_options_t dflt = ENT_EXACT_OPTIONS_INIT;
    const ent_exact_options_t *o = opts ? opts : &dflt;
    double t0 = ent_i_now();
    int32_t n = g->n;
    ent_err_t rc = ENT_OK;
    ent_i_adj_t a, sa;
    memset(&sa, 0, sizeof sa);
    blocks_t B = {ENT_VEC_INIT(size_t), ENT_VEC_INIT(size_t)};
    int8_t *sigma = ent_calloc((size_t)n + 1, 1); /* global answer, 0 = unassigned */
    int8_t *bsig = ent_malloc((size_t)n + 1);     /* per block, local ids */
    int32_t *local = ent_malloc(((size_t)n + 1) * sizeof *local);
    int32_t *nodes = ent_malloc(((size_t)n + 1) * sizeof *nodes);
    int32_t *queue = ent_malloc(((size_t)n + 1) * sizeof *queue);
    ent_vec_t bnodes = ENT_VEC_INIT(int32_t), bnstart = ENT_VEC_INIT(size_t);
    ent_vec_t bsols = ENT_VEC_INIT(int8_t);
    ent_signed_t sub;
    ent_signed_init(&sub);
    if ((rc = ent_i_adj_build(&a, g)) != ENT_OK) {
        goto out;
    }
    if (!sigma || !bsig || !local || !nodes || !queue) {
        rc = ent_i_nomem();
        goto done;
    }
    ENT_CHECK(find_blocks(&B, &a));
    for (int32_t i = 0; i < n; i++) {
        local[i] = -1;
    }
    bool integral = ent_i_integral_weights(g);
    double value = 0, bound = 0;
    bool all_proven = true;
    int32_t pieces = 0, largest = 0;
    int64_t bbn = 0;
    size_t nb = B.start.len ? B.start.len - 1 : 0;
    size_t zero = 0;
    ENT_CHECK(ent_vec_push(&bnstart, &zero) == ENT_OK ? ENT_OK : ent_i_nomem());
    for (size_t bi = 0; bi < nb; bi++) {
        if (o->cancel && *o->cancel) {
            rc = ent_i_err(ENT_EINTERRUPTED, "exact partition interrupted");
            goto done;
        }
        size_t e0 = ENT_VEC_AT(&B.start, size_t, bi), e1 = ENT_VEC_AT(&B.start, size_t, bi + 1);
        /* the block's nodes, local ids in order of first appearance */
        int32_t k = 0;
        ent_signed_destroy(&sub);
        ent_signed_init(&sub);
        for (size_t t = e0; t < e1; t++) {
            size_t e = ENT_VEC_AT(&B.edges, size_t, t);
            int32_t ends[2] = {g->eu[e], g->ev[e]};
            for (int q = 0; q < 2; q++) {
                if (local[ends[q]] < 0) {
                    int32_t id;
                    ENT_CHECK(ent_signed_node(&sub, g->label[ends[q]], &id, NULL));
                    local[ends[q]] = id;
                    nodes[k++] = ends[q];
                }
            }
            ENT_CHECK(ent_signed_edge(&sub, local[g->eu[e]], local[g->ev[e]], g->ew[e], NULL));
        }
        ent_i_adj_free(&sa);
        ENT_CHECK(ent_i_adj_build(&sa, &sub));
        double v = 0, lb = 0;
        bool proven = true;
        if (k >= 3 && !two_colour(&sa, bsig, queue)) {
            pieces++;
            largest = k > largest ? k : largest;
            if (k <= o->enumerate_max) {
                ENT_CHECK(ent_i_exhaustive_best(&sub, bsig, &v, o->cancel));
                lb = v;
            } else {
                ent_heuristic_options_t ho = ENT_HEURISTIC_OPTIONS_INIT;
                ho.seed = o->seed;
                ho.cancel = o->cancel;
                ENT_CHECK(ent_i_heuristic_spins(&sa, &ho, bsig, &v, NULL));
                ENT_CHECK(ent_i_cycle_packing(&sa, &lb));
                if (integral) {
                    lb = ceil(lb - 1e-9);
                }
                proven = lb >= v - 1e-9 * (fabs(v) > 1 ? fabs(v) : 1);
                if (!proven) {
                    double left = o->time_limit > 0 ? o->time_limit - (ent_i_now() - t0) : 0;
                    if (o->time_limit <= 0 || left > 0.01) {
                        ENT_CHECK(solve_block_ilp(&sub, &sa, bsig, &v, &lb, &proven, left, o->cancel, &bbn));
                    }
                } else {
                    lb = v;
                }
            }
        } else if (k < 3) {
            /* a bridge: satisfy it */
            bsig[0] = 1;
            bsig[1] = (int8_t)(sub.ew[0] > 0 ? 1 : -1);
        }
        value += v;
        bound += lb;
        all_proven = all_proven && proven;
        for (int32_t i = 0; i < k; i++) {
            ENT_CHECK(ent_vec_push(&bnodes, &nodes[i]) == ENT_OK ? ENT_OK : ent_i_nomem());
            ENT_CHECK(ent_vec_push(&bsols, &bsig[i]) == ENT_OK ? ENT_OK : ent_i_nomem());
            local[nodes[i]] = -1;
        }
        size_t end = bnodes.len;
        ENT_CHECK(ent_vec_push(&bnstart, &end) == ENT_OK ? ENT_OK : ent_i_nomem());
    }
    /* glue: BFS over the block-cut tree; node -> blocks incidence */
    {
        size_t tot = bnodes.len;
        size_t *inc_off = ent_calloc((size_t)n + 2, sizeof *inc_off);
        size_t *inc = ent_malloc((tot + 1) * sizeof *inc);
        char *done_b = ent_calloc(nb + 1, 1);
        size_t *bq = ent_malloc((nb + 1) * sizeof *bq);
        if (!inc_off || !inc || !done_b || !bq) {
            ent_free(inc_off);
            ent_free(inc);
            ent_free(done_b);
            ent_free(bq);
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t t = 0; t < tot; t++) {
            inc_off[ENT_VEC_AT(&bnodes, int32_t, t) + 1]++;
        }
        for (int32_t i = 0; i < n; i++) {
            inc_off[i + 1] += inc_off[i];
        }
        for (size_t bi = 0; bi < nb; bi++) {
            for (size_t t = ENT_VEC_AT(&bnstart, size_t, bi); t < ENT_VEC_AT(&bnstart, size_t, bi + 1); t++) {
                int32_t v = ENT_VEC_AT(&bnodes, int32_t, t);
                inc[inc_off[v]++] = bi;
            }
        }
        for (int32_t i = n; i > 0; i--) {
            inc_off[i] = inc_off[i - 1];
        }
        inc_off[0] = 0;
        for (int32_t r = 0; r < n; r++) {
            if (sigma[r]) {
                continue;
            }
            sigma[r] = 1;
            size_t qh = 0, qt = 0;
            for (size_t q = inc_off[r]; q < inc_off[r + 1]; q++) {
                if (!done_b[inc[q]]) {
                    done_b[inc[q]] = 1;
                    bq[qt++] = inc[q];
                }
            }
            while (qh < qt) {
                size_t bi = bq[qh++];
                size_t s0 = ENT_VEC_AT(&bnstart, size_t, bi), s1 = ENT_VEC_AT(&bnstart, size_t, bi + 1);
                int8_t flipb = 1;
                for (size_t t = s0; t < s1; t++) {
                    int32_t v = ENT_VEC_AT(&bnodes, int32_t, t);
                    if (sigma[v]) {
                        flipb = (int8_t)(sigma[v] * ENT_VEC_AT(&bsols, int8_t, t));
                        break;
                    }
                }
                for (size_t t = s0; t < s1; t++) {
                    int32_t v = ENT_VEC_AT(&bnodes, int32_t, t);
                    if (!sigma[v]) {
                        sigma[v] = (int8_t)(flipb * ENT_VEC_AT(&bsols, int8_t, t));
                        for (size_t q = inc_off[v]; q < inc_off[v + 1]; q++) {
                            if (!done_b[inc[q]]) {
                                done_b[inc[q]] = 1;
                                bq[qt++] = inc[q];
                            }
                        }
                    }
                }
            }
        }
        ent_free(inc_off);
        ent_free(inc);
        ent_free(done_b);
        ent_free(bq);
    }
    ENT_CHECK(ent_i_result_set_spins(res, sigma, n));
    {
        double check = ent_i_spin_cost(&a, sigma);
        if (fabs(check - value) > 1e-6 * (1 + fabs(value))) {
            rc = ent_i_err(ENT_ESOLVER, "exact partition: glued cost %g differs from the blocks' sum %g", check, value);
            goto done;
        }
        value = check;
    }
    if (all_proven) {
        bound = value;
    }
    res->value = value;
    res->bound = bound;
    res->optimal = all_proven;
    res->gap = all_proven ? 0.0 : (value - bound) / (fabs(value) > 1 ? fabs(value) : 1);
    res->bb_nodes = bbn;
    res->components = pieces;
    res->largest = largest;
    snprintf(res->method, sizeof res->method, "%s",
             largest > o->enumerate_max ? "branch-and-cut" : (pieces ? "exhaustive blocks" : "decomposition"));
    res->seconds = ent_i_now() - t0;
done:
    ent_i_adj_free(&a);
out:
    ent_i_adj_free(&sa);
    ent_signed_destroy(&sub);
    ent_free(sigma);
    ent_free(bsig);
    ent_free(local);
    ent_free(nodes);
    ent_free(queue);
    ent_vec_destroy(&bnodes);
    ent_vec_destroy(&bnstart);
    ent_vec_destroy(&bsols);
    ent_vec_destroy(&B.edges);
    ent_vec_destroy(&B.start);
    return rc;
}
