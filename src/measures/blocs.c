/*
 * blocs.c -- the world as a signed network and the bloc measures built on it:
 * signed communities (igraph spinglass, negative weights), centralities and
 * clustering of the friendly ties, polarity indices over the defence-pact
 * blocs and Esteban-Ray polarization, alone or as a yearly series from a
 * store (with UNGA ideal points when it holds them). See include/entente/blocs.h
 * for the contracts and docs/measures.md for the formulas.
 *
 * igraph runs with silent error/warning handlers and a private, seeded RNG
 * (ent_i_ig_enter/ent_i_ig_leave in ig_guard.c), restored before every return: the library must neither
 * print nor abort, and the same seed must give the same communities whatever
 * else the process did with igraph's default RNG.
 */
#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/blocs.h"
#include "entente/system.h"
#include "ig_guard.h"
#include "store/store_read.h"
#include "util_int.h"

/* ---------------------------------------------------------------- the signed network */

ent_err_t ent_blocs_network(ent_signed_t *g, ent_vec_t *states, const ent_world_t *w, ent_date_t date,
                            const ent_blocs_network_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_BLOCS_NETWORK_OPTIONS_VERSION);
    ent_blocs_network_options_t def = ENT_BLOCS_NETWORK_OPTIONS_INIT;
    const ent_blocs_network_options_t *o = opts ? opts : &def;
    ent_signed_spec_t s = ent_signed_spec_blocs();
    s.defense = o->defense;
    s.offense = s.neutrality = s.consultation = s.pact_other = o->pact;
    s.nonaggression = o->nonaggression;
    s.partnership = o->partnership;
    s.security = o->security;
    s.rivalry = o->rivalry;
    s.coercion = o->coercion;
    s.isolates = o->isolates;
    if (ent_signed_spec_check(&s) != ENT_OK) {
        return ent_i_err(ENT_EINVAL, "signed-network weights must be finite and >= 0");
    }
    return ent_signed_from_world(g, states, w, date, &s);
}

/* ---------------------------------------------------------------- communities */

void ent_communities_init(ent_communities_t *c)
{
    memset(c, 0, sizeof *c);
    ent_vec_init(&c->membership, sizeof(int32_t));
    c->modularity = c->pos_inside = c->neg_between = c->frustration = NAN;
}

void ent_communities_destroy(ent_communities_t *c)
{
    ent_vec_destroy(&c->membership);
}

/*
 * The generalised signed modularity of a partition of an edge list (Traag &
 * Bruggeman's Hamiltonian with the configuration null model, as a quality):
 *   Q = 1/(2w+ + 2w-) sum_ij [a_ij - (gp s+_i s+_j / 2w+ - gm s-_i s-_j / 2w-)] [X_i = X_j]
 * gp = gm = 1 gives Gomez, Jensen & Arenas (2009). NaN without edges (or memory).
 */
static double signed_q(size_t n, size_t m, const int32_t *eu, const int32_t *ev, const double *ew, const int32_t *block,
                       double gp, double gm)
{
    double wp = 0, wn = 0, inside = 0;
    int32_t kmax = 0;
    for (size_t i = 0; i < n; i++) {
        kmax = block[i] > kmax ? block[i] : kmax;
    }
    double *bp = ent_calloc((size_t)kmax + 1, sizeof *bp), *bn = ent_calloc((size_t)kmax + 1, sizeof *bn);
    if (!bp || !bn) {
        ent_free(bp);
        ent_free(bn);
        return NAN;
    }
    /* per block, the sum of its nodes' positive and negative strengths */
    for (size_t e = 0; e < m; e++) {
        double a = ew[e];
        int32_t u = eu[e], v = ev[e];
        if (a > 0) {
            wp += a;
            bp[block[u]] += a;
            bp[block[v]] += a;
        } else {
            wn -= a;
            bn[block[u]] -= a;
            bn[block[v]] -= a;
        }
        if (block[u] == block[v]) {
            inside += 2 * a; /* a_uv and a_vu */
        }
    }
    double expected = 0;
    for (int32_t b = 0; b <= kmax; b++) {
        if (wp > 0) {
            expected += gp * bp[b] * bp[b] / (2 * wp);
        }
        if (wn > 0) {
            expected -= gm * bn[b] * bn[b] / (2 * wn);
        }
    }
    ent_free(bp);
    ent_free(bn);
    return wp + wn > 0 ? (inside - expected) / (2 * wp + 2 * wn) : NAN;
}

double ent_blocs_modularity(const ent_signed_t *g, const int32_t *block)
{
    return signed_q((size_t)g->n, g->m, g->eu, g->ev, g->ew, block, 1.0, 1.0);
}

/*
 * A local polish of a component's partition `lab` (labels 0..nn-1) under the
 * same quality: merge the pair of communities whose merger raises Q most,
 * while one does; then move single nodes to the community (or a new one) that
 * raises Q most, sweep after sweep, and try merges again, until nothing
 * raises Q by more than 1e-12. Q never falls, so the polish can only improve
 * on spinglass's annealing, which on small components sometimes stops with a
 * community split in two that belongs together (1914: Britain's group apart
 * from France's and Russia's). Brute force, O((k^2 + nn k) (nn + m)) per
 * pass: milliseconds for the world's 200 states.
 */
static void polish(int32_t *lab, size_t nn, size_t mc, const int32_t *eu, const int32_t *ev, const double *ew,
                   double gp, double gm)
{
    const double eps = 1e-12;
    int32_t *tmp = ent_malloc(nn * sizeof *tmp);
    unsigned char *used = ent_malloc(nn);
    double q = signed_q(nn, mc, eu, ev, ew, lab, gp, gm);
    if (!tmp || !used || isnan(q)) {
        ent_free(tmp); /* the polish is an improvement, not a requirement: skip it without memory */
        ent_free(used);
        return;
    }
    for (int pass = 0; pass < 1000; pass++) {
        bool improved = false;
        for (;;) { /* the best merger, while one raises Q */
            int32_t kmax = 0, ba = -1, bb = -1;
            for (size_t i = 0; i < nn; i++) {
                kmax = lab[i] > kmax ? lab[i] : kmax;
            }
            double best = q;
            for (int32_t x = 0; x <= kmax; x++) {
                for (int32_t y = x + 1; y <= kmax; y++) {
                    for (size_t i = 0; i < nn; i++) {
                        tmp[i] = lab[i] == y ? x : lab[i];
                    }
                    double qm = signed_q(nn, mc, eu, ev, ew, tmp, gp, gm);
                    if (qm > best + eps) {
                        best = qm;
                        ba = x;
                        bb = y;
                    }
                }
            }
            if (ba < 0) {
                break;
            }
            for (size_t i = 0; i < nn; i++) {
                lab[i] = lab[i] == bb ? ba : lab[i];
            }
            q = best;
            improved = true;
        }
        for (size_t i = 0; i < nn; i++) { /* one sweep of single-node moves */
            memset(used, 0, nn);
            for (size_t j = 0; j < nn; j++) {
                used[lab[j]] = 1;
            }
            int32_t own = lab[i], target = own, fresh = -1;
            double best = q;
            for (int32_t b = 0; b < (int32_t)nn; b++) {
                if (!used[b] && fresh < 0) {
                    fresh = b; /* the first free label: a community of its own */
                }
                if (b == own || (!used[b] && b != fresh)) {
                    continue;
                }
                lab[i] = b;
                double qm = signed_q(nn, mc, eu, ev, ew, lab, gp, gm);
                if (qm > best + eps) {
                    best = qm;
                    target = b;
                }
            }
            lab[i] = target;
            if (target != own) {
                q = best;
                improved = true;
            }
        }
        if (!improved) {
            break;
        }
    }
    ent_free(tmp);
    ent_free(used);
}

/*
 * Spinglass on one connected component (nodes `nodes`, local ids by position),
 * `restarts` runs seeded from `rng`; the run with the highest generalised
 * modularity of the component (what spinglass maximises; ties: the earliest)
 * gives the labels, written to out[nodes[i]].
 */
static ent_err_t spinglass_component(int32_t *out, ent_i_ig_guard_t *guard, ent_rng_t *rng, const ent_signed_t *g,
                                     const int32_t *nodes, size_t nn, const int32_t *local, const int32_t *comp,
                                     int32_t c, const ent_communities_options_t *o)
{
    igraph_vector_int_t edges, memb, csize;
    igraph_vector_t weights;
    igraph_t ig;
    bool have_graph = false;
    ent_err_t rc = ENT_OK;
    igraph_error_t e;
    size_t mc = 0;
    for (size_t k = 0; k < g->m; k++) {
        mc += comp[g->eu[k]] == c;
    }
    int32_t *eu = ent_malloc(mc * sizeof *eu), *ev = ent_malloc(mc * sizeof *ev);
    int32_t *cur = ent_malloc(nn * sizeof *cur);
    double *ew = ent_malloc(mc * sizeof *ew);
    /* zeroed first: destroying a vector whose init failed (or never ran) is then a no-op */
    memset(&edges, 0, sizeof edges);
    memset(&memb, 0, sizeof memb);
    memset(&csize, 0, sizeof csize);
    memset(&weights, 0, sizeof weights);
    if (!eu || !ev || !ew || !cur) {
        rc = ent_i_nomem();
        goto done;
    }
    if ((e = igraph_vector_int_init(&edges, 2 * (igraph_integer_t)mc)) != IGRAPH_SUCCESS ||
        (e = igraph_vector_int_init(&memb, 0)) != IGRAPH_SUCCESS ||
        (e = igraph_vector_int_init(&csize, 0)) != IGRAPH_SUCCESS ||
        (e = igraph_vector_init(&weights, (igraph_integer_t)mc)) != IGRAPH_SUCCESS) {
        rc = ent_i_ig_fail(e, "spinglass");
        goto done;
    }
    for (size_t k = 0, j = 0; k < g->m; k++) {
        if (comp[g->eu[k]] != c) {
            continue;
        }
        eu[j] = local[g->eu[k]];
        ev[j] = local[g->ev[k]];
        ew[j] = g->ew[k];
        VECTOR(edges)[2 * j] = eu[j];
        VECTOR(edges)[2 * j + 1] = ev[j];
        VECTOR(weights)[j] = ew[j];
        j++;
    }
    if ((e = igraph_create(&ig, &edges, (igraph_integer_t)nn, IGRAPH_UNDIRECTED)) != IGRAPH_SUCCESS) {
        rc = ent_i_ig_fail(e, "spinglass");
        goto done;
    }
    have_graph = true;
    double best = -INFINITY;
    for (int32_t r = 0; r < o->restarts; r++) {
        if ((rc = ent_i_ig_rng(guard, ent_rng_u64(rng))) != ENT_OK) {
            goto done;
        }
        igraph_real_t q, temp;
        e = igraph_community_spinglass(&ig, &weights, &q, &temp, &memb, &csize, o->spins, false, o->start_temp,
                                       o->stop_temp, o->cool_fact, IGRAPH_SPINCOMM_UPDATE_CONFIG, o->gamma,
                                       IGRAPH_SPINCOMM_IMP_NEG, o->gamma_minus);
        if (e != IGRAPH_SUCCESS) {
            rc = ent_i_ig_fail(e, "spinglass");
            goto done;
        }
        for (size_t i = 0; i < nn; i++) {
            cur[i] = (int32_t)VECTOR(memb)[i];
        }
        double qc = signed_q(nn, mc, eu, ev, ew, cur, o->gamma, o->gamma_minus);
        if (isnan(qc)) {
            rc = ent_i_nomem();
            goto done;
        }
        if (qc > best + 1e-12) {
            best = qc;
            for (size_t i = 0; i < nn; i++) {
                out[nodes[i]] = cur[i];
            }
        }
    }
    /* compact the labels to 0..k-1 (spinglass numbers up to `spins`, maybe more than nn) for the polish */
    for (size_t i = 0; i < nn; i++) {
        cur[i] = -1;
    }
    for (size_t i = 0, k = 0; i < nn; i++) {
        if (cur[i] >= 0) {
            continue;
        }
        for (size_t j = i; j < nn; j++) {
            if (cur[j] < 0 && out[nodes[j]] == out[nodes[i]]) {
                cur[j] = (int32_t)k;
            }
        }
        k++;
    }
    polish(cur, nn, mc, eu, ev, ew, o->gamma, o->gamma_minus);
    for (size_t i = 0; i < nn; i++) {
        out[nodes[i]] = cur[i];
    }
done:
    if (have_graph) {
        igraph_destroy(&ig);
    }
    igraph_vector_int_destroy(&edges);
    igraph_vector_int_destroy(&memb);
    igraph_vector_int_destroy(&csize);
    igraph_vector_destroy(&weights);
    ent_free(eu);
    ent_free(ev);
    ent_free(ew);
    ent_free(cur);
    return rc;
}

/* Components of g over edges of either sign: comp[i] numbered in order of lowest node. */
static int32_t components(int32_t *comp, const ent_signed_t *g)
{
    /* union-find: small and igraph-free */
    int32_t n = g->n;
    int32_t *parent = ent_malloc((size_t)(n ? n : 1) * sizeof *parent);
    if (!parent) {
        return -1;
    }
    for (int32_t i = 0; i < n; i++) {
        parent[i] = i;
    }
    for (size_t e = 0; e < g->m; e++) {
        int32_t a = g->eu[e], b = g->ev[e];
        while (parent[a] != a) {
            a = parent[a] = parent[parent[a]];
        }
        while (parent[b] != b) {
            b = parent[b] = parent[parent[b]];
        }
        if (a != b) {
            parent[a > b ? a : b] = a < b ? a : b;
        }
    }
    int32_t nc = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t r = i;
        while (parent[r] != r) {
            r = parent[r];
        }
        /* the root is the lowest node of its set (unions keep the lower root), seen first */
        comp[i] = r == i ? nc++ : comp[r];
    }
    ent_free(parent);
    return nc;
}

ent_err_t ent_blocs_communities(ent_communities_t *res, const ent_signed_t *g, const ent_communities_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_COMMUNITIES_OPTIONS_VERSION);
    ent_communities_options_t def = ENT_COMMUNITIES_OPTIONS_INIT;
    const ent_communities_options_t *o = opts ? opts : &def;
    if (o->spins < 2 || o->spins > 500 || o->restarts < 1 || !(o->gamma >= 0) || !(o->gamma_minus >= 0) ||
        !(o->start_temp > 0) || !(o->stop_temp > 0) || !(o->stop_temp < o->start_temp) ||
        !(o->cool_fact > 0 && o->cool_fact < 1)) {
        return ent_i_err(ENT_EINVAL,
                         "communities: spins in [2, 500], restarts >= 1, gamma >= 0, 0 < stop_temp < start_temp and "
                         "0 < cool_fact < 1 are required");
    }
    size_t n = (size_t)g->n;
    ent_err_t rc = ENT_OK;
    ent_i_ig_guard_t guard;
    ent_i_ig_enter(&guard);
    int32_t *comp = ent_malloc((n ? n : 1) * sizeof *comp), *csz = ent_calloc(n ? n : 1, sizeof *csz);
    int32_t *local = ent_malloc((n ? n : 1) * sizeof *local), *nodes = ent_malloc((n ? n : 1) * sizeof *nodes);
    int32_t *lab = ent_malloc((n ? n : 1) * sizeof *lab), *order = NULL, *rank = NULL, *size = NULL, *first = NULL;
    if (!comp || !csz || !local || !nodes || !lab) {
        rc = ent_i_nomem();
        goto done;
    }
    int32_t nc = components(comp, g);
    if (nc < 0) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        csz[comp[i]]++;
    }
    res->components = 0;
    /* Provisional labels: component c's communities are offset so that labels never collide. */
    int32_t next = 0;
    for (int32_t c = 0; c < nc; c++) {
        size_t nn = 0;
        for (size_t i = 0; i < n; i++) {
            if (comp[i] == c) {
                local[i] = (int32_t)nn;
                nodes[nn++] = (int32_t)i;
            }
        }
        if (nn >= 3) {
            ent_rng_t r;
            ent_rng_seed(&r, o->seed, (uint64_t)res->components);
            ENT_CHECK(spinglass_component(lab, &guard, &r, g, nodes, nn, local, comp, c, o));
            int32_t top = 0;
            for (size_t k = 0; k < nn; k++) {
                top = lab[nodes[k]] > top ? lab[nodes[k]] : top;
                lab[nodes[k]] += next;
            }
            next += top + 1;
            res->components++;
        } else if (nn == 2) {
            /* a pair: together when friends, apart when hostile */
            double a = 0;
            for (size_t e = 0; e < g->m; e++) {
                if (comp[g->eu[e]] == c) {
                    a = g->ew[e];
                }
            }
            lab[nodes[0]] = next++;
            lab[nodes[1]] = a > 0 ? lab[nodes[0]] : next++;
        } else {
            lab[nodes[0]] = next++;
        }
    }
    /* Renumber: largest community first, ties by lowest node. */
    order = ent_malloc((size_t)(next ? next : 1) * sizeof *order);
    rank = ent_malloc((size_t)(next ? next : 1) * sizeof *rank);
    size = ent_calloc((size_t)(next ? next : 1), sizeof *size);
    first = ent_malloc((size_t)(next ? next : 1) * sizeof *first);
    if (!order || !rank || !size || !first) {
        rc = ent_i_nomem();
        goto done;
    }
    for (int32_t k = 0; k < next; k++) {
        order[k] = k;
        first[k] = INT32_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        size[lab[i]]++;
        if ((int32_t)i < first[lab[i]]) {
            first[lab[i]] = (int32_t)i;
        }
    }
    /* insertion sort over the labels in use (spinglass may leave some spins empty) */
    int32_t used = 0;
    for (int32_t k = 0; k < next; k++) {
        if (size[k]) {
            order[used++] = k;
        }
    }
    for (int32_t a = 1; a < used; a++) {
        int32_t x = order[a], b = a - 1;
        while (b >= 0 && (size[order[b]] < size[x] || (size[order[b]] == size[x] && first[order[b]] > first[x]))) {
            order[b + 1] = order[b];
            b--;
        }
        order[b + 1] = x;
    }
    for (int32_t r = 0; r < used; r++) {
        rank[order[r]] = r;
    }
    ENT_CHECK(ent_vec_resize(&res->membership, n));
    int32_t *mem = res->membership.data;
    for (size_t i = 0; i < n; i++) {
        mem[i] = rank[lab[i]];
    }
    res->count = used;
    double pin = 0, ptot = 0, nbet = 0, ntot = 0;
    for (size_t e = 0; e < g->m; e++) {
        bool same = mem[g->eu[e]] == mem[g->ev[e]];
        if (g->ew[e] > 0) {
            ptot += g->ew[e];
            pin += same ? g->ew[e] : 0;
        } else {
            ntot -= g->ew[e];
            nbet += same ? 0 : -g->ew[e];
        }
    }
    res->pos_inside = ptot > 0 ? pin / ptot : NAN;
    res->neg_between = ntot > 0 ? nbet / ntot : NAN;
    res->frustration = n ? ent_partition_cost(g, mem) : 0.0;
    res->modularity = n ? ent_blocs_modularity(g, mem) : NAN;
done:
    ent_i_ig_leave(&guard);
    ent_free(comp);
    ent_free(csz);
    ent_free(local);
    ent_free(nodes);
    ent_free(lab);
    ent_free(order);
    ent_free(rank);
    ent_free(size);
    ent_free(first);
    return rc;
}

/* ---------------------------------------------------------------- centralities */

void ent_centrality_init(ent_centrality_t *c)
{
    memset(c, 0, sizeof *c);
    ent_vec_t *v[] = {&c->degree, &c->strength, &c->betweenness, &c->eigenvector, &c->clustering};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        ent_vec_init(v[k], sizeof(double));
    }
    c->transitivity = c->mean_clustering = NAN;
}

void ent_centrality_destroy(ent_centrality_t *c)
{
    ent_vec_t *v[] = {&c->degree, &c->strength, &c->betweenness, &c->eigenvector, &c->clustering};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        ent_vec_destroy(v[k]);
    }
}

ent_err_t ent_blocs_centrality(ent_centrality_t *res, const ent_signed_t *g)
{
    size_t n = (size_t)g->n;
    ent_err_t rc = ENT_OK;
    igraph_error_t e = IGRAPH_SUCCESS;
    ent_vec_t *outs[] = {&res->degree, &res->strength, &res->betweenness, &res->eigenvector, &res->clustering};
    for (size_t k = 0; k < sizeof outs / sizeof outs[0]; k++) {
        if ((rc = ent_vec_resize(outs[k], n)) != ENT_OK) {
            return rc;
        }
    }
    res->transitivity = res->mean_clustering = NAN;
    if (n == 0) {
        return ENT_OK;
    }
    ent_i_ig_guard_t guard;
    ent_i_ig_enter(&guard);
    igraph_vector_int_t edges, deg;
    igraph_vector_t w, len, out;
    igraph_t ig;
    bool have_graph = false;
    /* zeroed first: destroying a vector whose init failed (or never ran) is then a no-op */
    memset(&edges, 0, sizeof edges);
    memset(&deg, 0, sizeof deg);
    memset(&w, 0, sizeof w);
    memset(&len, 0, sizeof len);
    memset(&out, 0, sizeof out);
    size_t mpos = 0;
    if ((e = igraph_vector_int_init(&edges, 0)) != IGRAPH_SUCCESS ||
        (e = igraph_vector_int_init(&deg, 0)) != IGRAPH_SUCCESS || (e = igraph_vector_init(&w, 0)) != IGRAPH_SUCCESS ||
        (e = igraph_vector_init(&len, 0)) != IGRAPH_SUCCESS || (e = igraph_vector_init(&out, 0)) != IGRAPH_SUCCESS) {
        goto fail;
    }
    for (size_t k = 0; k < g->m; k++) {
        if (g->ew[k] <= 0) {
            continue;
        }
        if (igraph_vector_int_push_back(&edges, g->eu[k]) || igraph_vector_int_push_back(&edges, g->ev[k]) ||
            igraph_vector_push_back(&w, g->ew[k]) || igraph_vector_push_back(&len, 1.0 / g->ew[k])) {
            rc = ent_i_nomem();
            goto done;
        }
        mpos++;
    }
    if ((e = igraph_create(&ig, &edges, (igraph_integer_t)n, IGRAPH_UNDIRECTED)) != IGRAPH_SUCCESS) {
        goto fail;
    }
    have_graph = true;
    double *dg = res->degree.data, *st = res->strength.data, *bt = res->betweenness.data;
    double *ev = res->eigenvector.data, *cl = res->clustering.data;
    if ((e = igraph_degree(&ig, &deg, igraph_vss_all(), IGRAPH_ALL, false)) != IGRAPH_SUCCESS) {
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        dg[i] = (double)VECTOR(deg)[i];
    }
    if ((e = igraph_strength(&ig, &out, igraph_vss_all(), IGRAPH_ALL, false, &w)) != IGRAPH_SUCCESS) {
        goto fail;
    }
    memcpy(st, VECTOR(out), n * sizeof(double));
    if ((e = igraph_betweenness(&ig, &out, igraph_vss_all(), false, &len)) != IGRAPH_SUCCESS) {
        goto fail;
    }
    memcpy(bt, VECTOR(out), n * sizeof(double));
    if (mpos == 0) {
        memset(ev, 0, n * sizeof(double)); /* igraph would return 1 for every node of an empty graph */
    } else {
        igraph_arpack_options_t ao;
        igraph_arpack_options_init(&ao);
        igraph_real_t value;
        if ((e = igraph_eigenvector_centrality(&ig, &out, &value, false, true, &w, &ao)) != IGRAPH_SUCCESS) {
            goto fail;
        }
        for (size_t i = 0; i < n; i++) {
            double x = VECTOR(out)[i];
            ev[i] = fabs(x) < 1e-12 ? 0.0 : x; /* ARPACK's noise on nodes outside the leading component */
        }
    }
    if ((e = igraph_transitivity_local_undirected(&ig, &out, igraph_vss_all(), IGRAPH_TRANSITIVITY_NAN)) !=
        IGRAPH_SUCCESS) {
        goto fail;
    }
    double sum = 0;
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++) {
        cl[i] = dg[i] < 2 ? NAN : VECTOR(out)[i];
        if (!isnan(cl[i])) {
            sum += cl[i];
            cnt++;
        }
    }
    res->mean_clustering = cnt ? sum / (double)cnt : NAN;
    igraph_real_t tr;
    if ((e = igraph_transitivity_undirected(&ig, &tr, IGRAPH_TRANSITIVITY_NAN)) != IGRAPH_SUCCESS) {
        goto fail;
    }
    res->transitivity = tr;
    goto done;
fail:
    rc = ent_i_ig_fail(e, "centrality");
done:
    if (have_graph) {
        igraph_destroy(&ig);
    }
    igraph_vector_int_destroy(&edges);
    igraph_vector_int_destroy(&deg);
    igraph_vector_destroy(&w);
    igraph_vector_destroy(&len);
    igraph_vector_destroy(&out);
    ent_i_ig_leave(&guard);
    return rc;
}

/* ---------------------------------------------------------------- polarity and polarization */

ent_err_t ent_blocs_polarity(ent_polarity_t *out, const double *cap, const int64_t *members, size_t n)
{
    const double alpha = ENT_ER_ALPHA;
    out->bloc1 = out->bloc2 = 0;
    out->bipolarity = out->hhi = out->poles = out->er = NAN;
    double total = 0;
    for (size_t k = 0; k < n; k++) {
        if (cap[k] > 0) {
            total += cap[k];
        }
    }
    if (!(total > 0)) {
        out->bloc1 = out->bloc2 = NAN;
        return ent_i_err(ENT_ERANGE, "polarity: the groups hold no capability");
    }
    double hhi = 0, er = 0;
    for (size_t k = 0; k < n; k++) {
        double s = cap[k] > 0 ? cap[k] / total : 0.0;
        hhi += s * s;
        er += pow(s, 1 + alpha) * (1 - s);
        if (members[k] >= 2) {
            if (s > out->bloc1) {
                out->bloc2 = out->bloc1;
                out->bloc1 = s;
            } else if (s > out->bloc2) {
                out->bloc2 = s;
            }
        }
    }
    out->bipolarity = out->bloc1 + out->bloc2;
    out->hhi = hhi;
    out->poles = 1.0 / hhi;
    out->er = pow(2.0, 1 + alpha) * er;
    return ENT_OK;
}

ent_err_t ent_blocs_esteban_ray(double *out, const double *x, const double *w, size_t n, double alpha)
{
    *out = NAN;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]) || isnan(w[i])) {
            continue;
        }
        if (w[i] < 0) {
            return ent_i_err(ENT_EINVAL, "Esteban-Ray: negative weight %g", w[i]);
        }
        total += w[i];
    }
    if (!(total > 0)) {
        return ent_i_err(ENT_ERANGE, "Esteban-Ray: no position with a positive weight");
    }
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]) || isnan(w[i]) || w[i] <= 0) {
            continue;
        }
        double pi = w[i] / total, inner = 0;
        for (size_t j = 0; j < n; j++) {
            if (!isnan(x[j]) && !isnan(w[j]) && w[j] > 0) {
                inner += (w[j] / total) * fabs(x[i] - x[j]);
            }
        }
        s += pow(pi, 1 + alpha) * inner;
    }
    *out = pow(2.0, 1 + alpha) * s;
    return ENT_OK;
}

ent_err_t ent_blocs_polarization(ent_polarization_t *out, const ent_world_t *w, ent_date_t date, const double *ideal)
{
    size_t n = ent_world_nstates(w);
    memset(out, 0, sizeof *out);
    out->date = date;
    out->year = ent_date_year(date);
    out->er_ideal = NAN;
    ent_err_t rc = ENT_OK;
    int64_t *bloc = ent_malloc((n ? n : 1) * sizeof *bloc), *members = ent_calloc(n ? n : 1, sizeof *members);
    double *cap = ent_calloc(n ? n : 1, sizeof *cap), *gcap = ent_calloc(n ? n : 1, sizeof *gcap);
    double *ix = ent_malloc((n ? n : 1) * sizeof *ix), *iw = ent_malloc((n ? n : 1) * sizeof *iw);
    if (!bloc || !members || !cap || !gcap || !ix || !iw) {
        rc = ent_i_nomem();
        goto done;
    }
    size_t nblocs = 0;
    rc = ent_system_pact_blocs(bloc, &nblocs, w, date);
    if (rc != ENT_OK) {
        goto done;
    }
    /* groups 0..nblocs-1 are the blocs, then one group per unaligned state */
    size_t ng = nblocs, ni = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ent_world_alive(w, i, date)) {
            continue;
        }
        out->states++;
        cap[i] = ent_world_cinc_near(w, i, out->year, 10, 0);
        double c = isnan(cap[i]) ? 0.0 : cap[i];
        if (bloc[i] >= 0) {
            gcap[bloc[i]] += c;
            members[bloc[i]]++;
            out->aligned++;
        } else {
            gcap[ng] = c;
            members[ng++] = 1;
        }
        if (ideal && !isnan(ideal[i]) && c > 0) {
            ix[ni] = ideal[i];
            iw[ni++] = c;
        }
    }
    out->blocs = (int32_t)nblocs;
    if (!out->states) {
        char d[11];
        ent_date_format(d, date);
        rc = ent_i_err(ENT_ERANGE, "no state of the world is alive on %s", d);
        goto done;
    }
    if ((rc = ent_blocs_polarity(&out->p, gcap, members, ng)) != ENT_OK) {
        char d[11];
        ent_date_format(d, date);
        rc = ent_i_err(ENT_ERANGE, "no capability (CINC) for the states alive on %s", d);
        goto done;
    }
    out->ideal_states = (int32_t)ni;
    if (ni && (rc = ent_blocs_esteban_ray(&out->er_ideal, ix, iw, ni, ENT_ER_ALPHA)) != ENT_OK) {
        goto done;
    }
done:
    ent_free(bloc);
    ent_free(members);
    ent_free(cap);
    ent_free(gcap);
    ent_free(ix);
    ent_free(iw);
    return rc;
}

typedef struct {
    double *ideal;
    size_t *found;
    const int64_t *by_ccode;
} ideal_ctx_t;

static ent_err_t put_ideal(void *ctx, const double *col)
{
    ideal_ctx_t *c = ctx;
    int code = (int)col[0];
    if (code >= 0 && code < ENT_I_MAX_CCODE && c->by_ccode[code] >= 0) {
        c->ideal[c->by_ccode[code]] = col[1];
        (*c->found)++;
    }
    return ENT_OK;
}

ent_err_t ent_blocs_ideal_points(double *ideal, size_t *found, const ent_world_t *w, ent_store_t *st, int year)
{
    size_t n = ent_world_nstates(w);
    *found = 0;
    for (size_t i = 0; i < n; i++) {
        ideal[i] = NAN;
    }
    int64_t by_ccode[ENT_I_MAX_CCODE];
    for (size_t c = 0; c < ENT_I_MAX_CCODE; c++) {
        by_ccode[c] = -1;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t c = ent_world_state(w, i)->ccode;
        if (c >= 0 && c < ENT_I_MAX_CCODE) {
            by_ccode[c] = (int64_t)i;
        }
    }
    ideal_ctx_t c = {ideal, found, by_ccode};
    /* session s opens in September of 1945 + s */
    return ent_i_store_rows(st, ENT_I_ROWS_IDEAL_SESSION, NULL, year - 1945, year - 1945, put_ideal, &c);
}

ent_err_t ent_blocs_coverage(int *first, int *last, ent_store_t *st)
{
    int p0 = 0, p1 = 0, c0 = 0, c1 = 0;
    bool found;
    ent_err_t rc;
    if ((rc = ent_i_store_span(&p0, &p1, &found, st, ENT_I_SPAN_PACTS, NULL)) != ENT_OK) {
        return rc;
    }
    if (!found) {
        return ent_i_err(ENT_ENOTFOUND, "the store holds no pacts: import atop (the alliance and member files) first");
    }
    if ((rc = ent_i_store_span(&c0, &c1, &found, st, ENT_I_SPAN_CINC, NULL)) != ENT_OK) {
        return rc;
    }
    if (!found) {
        return ent_i_err(ENT_ENOTFOUND, "the store holds no capabilities: import cow-nmc first");
    }
    *first = p0 > c0 ? p0 : c0;
    *last = p1 < c1 ? p1 : c1;
    if (*first > *last) {
        return ent_i_err(ENT_ERANGE, "the store's pacts (%d-%d) and capabilities (%d-%d) share no year", p0, p1, c0,
                         c1);
    }
    return ENT_OK;
}

ent_err_t ent_blocs_polarization_series(ent_vec_t *out, const ent_world_t *w, ent_store_t *st, int from, int to,
                                        const ent_polarization_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_POLARIZATION_OPTIONS_VERSION);
    ent_polarization_options_t def = ENT_POLARIZATION_OPTIONS_INIT;
    const ent_polarization_options_t *o = opts ? opts : &def;
    int first, last;
    ent_err_t rc;
    if (from > to) {
        return ent_i_err(ENT_ERANGE, "polarization: from %d is after to %d", from, to);
    }
    if ((rc = ent_blocs_coverage(&first, &last, st)) != ENT_OK) {
        return rc;
    }
    if (from < first || to > last) {
        if (from == to) {
            return ent_i_err(ENT_ERANGE, "year %d is outside the data: the store's pacts and capabilities cover %d-%d",
                             from, first, last);
        }
        return ent_i_err(ENT_ERANGE,
                         "years %d-%d are not all inside the data: the store's pacts and capabilities cover %d-%d",
                         from, to, first, last);
    }
    int64_t nideal = 0;
    if (o->ideal && (rc = ent_i_store_count(&nideal, st, ENT_I_COUNT_UNGA_IDEAL)) != ENT_OK) {
        return rc;
    }
    size_t n = ent_world_nstates(w);
    double *ideal = nideal ? ent_malloc((n ? n : 1) * sizeof *ideal) : NULL;
    if (nideal && !ideal) {
        return ent_i_nomem();
    }
    for (int y = from; y <= to; y++) {
        ent_date_t d;
        if ((rc = ent_date_make(&d, y, o->month, o->day, false)) != ENT_OK) {
            break;
        }
        size_t found = 0;
        if (ideal && (rc = ent_blocs_ideal_points(ideal, &found, w, st, y)) != ENT_OK) {
            break;
        }
        ent_polarization_t p;
        if ((rc = ent_blocs_polarization(&p, w, d, found ? ideal : NULL)) != ENT_OK ||
            (rc = ent_vec_push(out, &p)) != ENT_OK) {
            break;
        }
    }
    ent_free(ideal);
    return rc;
}
