/*
 * system.c -- the pyramid of a state's ties, pact blocs and tie counts at a
 * date: the views `entente world` prints and the web page will draw.
 */
#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/system.h"
#include "ig_guard.h"
#include "util_int.h"

void ent_pyramid_init(ent_pyramid_t *p)
{
    memset(p, 0, sizeof *p);
    ent_vec_t *v[] = {&p->allies,   &p->other_pacts,   &p->partnerships,      &p->memberships,
                      &p->security, &p->coercion_sent, &p->coercion_received, &p->rivalries};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        ent_vec_init(v[k], sizeof(size_t));
    }
}

void ent_pyramid_destroy(ent_pyramid_t *p)
{
    ent_vec_t *v[] = {&p->allies,   &p->other_pacts,   &p->partnerships,      &p->memberships,
                      &p->security, &p->coercion_sent, &p->coercion_received, &p->rivalries};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        ent_vec_destroy(v[k]);
    }
}

/* qsort has no context argument: sorting goes through this per-call state (single-threaded use). */
typedef struct {
    const ent_world_t *w;
    int64_t self;
    int year;
} sort_ctx_t;

static _Thread_local sort_ctx_t sctx;

static double partner_cinc(size_t k)
{
    const ent_tie_t *t = ent_world_tie(sctx.w, k);
    double c = ent_world_cinc_near(sctx.w, (size_t)ent_tie_other(t, sctx.self), sctx.year, 10, 0);
    return isnan(c) ? 0.0 : c;
}

static int by_partner_name(size_t x, size_t y)
{
    const ent_tie_t *a = ent_world_tie(sctx.w, x), *b = ent_world_tie(sctx.w, y);
    return strcmp(ent_world_state(sctx.w, (size_t)ent_tie_other(a, sctx.self))->abbr,
                  ent_world_state(sctx.w, (size_t)ent_tie_other(b, sctx.self))->abbr);
}

static int cmp_capability(const void *x, const void *y)
{
    double a = partner_cinc(*(const size_t *)x), b = partner_cinc(*(const size_t *)y);
    if (a != b) {
        return a > b ? -1 : 1;
    }
    return by_partner_name(*(const size_t *)x, *(const size_t *)y);
}

static int cmp_level(const void *x, const void *y)
{
    const ent_tie_t *a = ent_world_tie(sctx.w, *(const size_t *)x), *b = ent_world_tie(sctx.w, *(const size_t *)y);
    if (a->level != b->level) {
        return a->level > b->level ? -1 : 1;
    }
    return by_partner_name(*(const size_t *)x, *(const size_t *)y);
}

static int cmp_org(const void *x, const void *y)
{
    const ent_membership_t *a = ent_world_membership(sctx.w, *(const size_t *)x);
    const ent_membership_t *b = ent_world_membership(sctx.w, *(const size_t *)y);
    return strcmp(ent_world_org(sctx.w, (size_t)a->org)->id, ent_world_org(sctx.w, (size_t)b->org)->id);
}

ent_err_t ent_pyramid_build(ent_pyramid_t *p, const ent_world_t *w, int64_t state, ent_date_t date)
{
    if (state < 0 || (size_t)state >= ent_world_nstates(w)) {
        return ent_i_err(ENT_EINVAL, "state index %lld out of range", (long long)state);
    }
    p->state = state;
    p->date = date;
    ent_err_t rc = ENT_OK;
    for (size_t k = 0; k < ent_world_nties(w) && rc == ENT_OK; k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if ((t->a != state && t->b != state) || !ent_tie_active(t, date)) {
            continue;
        }
        ent_vec_t *dst = NULL;
        switch (t->kind) {
        case ENT_TIE_PACT:
            /* a dormant defence pact is no alliance in practice: listed with the other pacts */
            dst = (t->obligations & ENT_OBL_DEFENSE) && !t->dormant ? &p->allies : &p->other_pacts;
            break;
        case ENT_TIE_PARTNERSHIP: dst = &p->partnerships; break;
        case ENT_TIE_SECURITY: dst = &p->security; break;
        case ENT_TIE_COERCION: dst = t->a == state ? &p->coercion_sent : &p->coercion_received; break;
        case ENT_TIE_RIVALRY: dst = &p->rivalries; break;
        case ENT_TIE_ECONOMIC:
        case ENT_TIE_DIPLOMATIC: break;
        }
        if (dst) {
            rc = ent_vec_push(dst, &k);
        }
    }
    for (size_t k = 0; k < ent_world_nmemberships(w) && rc == ENT_OK; k++) {
        const ent_membership_t *m = ent_world_membership(w, k);
        if (m->state == state && m->joined <= date && date <= m->left) {
            rc = ent_vec_push(&p->memberships, &k);
        }
    }
    if (rc != ENT_OK) {
        return rc;
    }
    sctx = (sort_ctx_t){w, state, ent_date_year(date)};
    if (p->allies.len) {
        qsort(p->allies.data, p->allies.len, sizeof(size_t), cmp_capability);
    }
    if (p->other_pacts.len) {
        qsort(p->other_pacts.data, p->other_pacts.len, sizeof(size_t), cmp_capability);
    }
    ent_vec_t *by_level[] = {&p->partnerships, &p->security, &p->rivalries, &p->coercion_sent, &p->coercion_received};
    for (size_t k = 0; k < sizeof by_level / sizeof by_level[0]; k++) {
        if (by_level[k]->len) {
            qsort(by_level[k]->data, by_level[k]->len, sizeof(size_t), cmp_level);
        }
    }
    if (p->memberships.len) {
        qsort(p->memberships.data, p->memberships.len, sizeof(size_t), cmp_org);
    }
    return ENT_OK;
}

/*
 * Every igraph call runs inside the guard (ig_guard.h): an igraph failure is
 * an error code here, never igraph's default handler, which aborts.
 */
ent_err_t ent_system_pact_blocs(int64_t *bloc, size_t *nblocs, const ent_world_t *w, ent_date_t date)
{
    size_t n = ent_world_nstates(w);
    *nblocs = 0;
    igraph_vector_int_t edges, membership, csize;
    igraph_t g;
    bool have_edges = false, have_memb = false, have_csize = false, have_g = false;
    int64_t *order = NULL, *first = NULL, *rank = NULL;
    ent_err_t rc = ENT_OK;
    igraph_error_t e;
    ent_i_ig_guard_t guard;
    ent_i_ig_enter(&guard);
    if ((e = igraph_vector_int_init(&edges, 0)) != IGRAPH_SUCCESS) {
        goto done;
    }
    have_edges = true;
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (t->kind == ENT_TIE_PACT && (t->obligations & ENT_OBL_DEFENSE) && !t->dormant && ent_tie_active(t, date) &&
            ent_world_alive(w, (size_t)t->a, date) && ent_world_alive(w, (size_t)t->b, date)) {
            if ((e = igraph_vector_int_push_back(&edges, t->a)) != IGRAPH_SUCCESS ||
                (e = igraph_vector_int_push_back(&edges, t->b)) != IGRAPH_SUCCESS) {
                goto done;
            }
        }
    }
    if ((e = igraph_create(&g, &edges, (igraph_integer_t)n, IGRAPH_UNDIRECTED)) != IGRAPH_SUCCESS) {
        goto done;
    }
    have_g = true;
    if ((e = igraph_vector_int_init(&membership, 0)) != IGRAPH_SUCCESS) {
        goto done;
    }
    have_memb = true;
    if ((e = igraph_vector_int_init(&csize, 0)) != IGRAPH_SUCCESS) {
        goto done;
    }
    have_csize = true;
    igraph_integer_t nc;
    if ((e = igraph_connected_components(&g, &membership, &csize, &nc, IGRAPH_WEAK)) != IGRAPH_SUCCESS) {
        goto done;
    }
    /* Renumber components of two or more states by size (then by smallest member), singletons -1. */
    order = ent_malloc(((size_t)nc + 1) * sizeof *order);
    first = ent_malloc(((size_t)nc + 1) * sizeof *first);
    rank = ent_malloc(((size_t)nc + 1) * sizeof *rank);
    if (!order || !first || !rank) {
        rc = ent_i_nomem();
        goto done;
    }
    for (igraph_integer_t c = 0; c < nc; c++) {
        order[c] = c;
        first[c] = INT64_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        igraph_integer_t c = VECTOR(membership)[i];
        if ((int64_t)i < first[c]) {
            first[c] = (int64_t)i;
        }
    }
    /* insertion sort: the number of components is small (<= states) and this runs once */
    for (igraph_integer_t a = 1; a < nc; a++) {
        int64_t x = order[a];
        igraph_integer_t b = a - 1;
        while (b >= 0 && (VECTOR(csize)[order[b]] < VECTOR(csize)[x] ||
                          (VECTOR(csize)[order[b]] == VECTOR(csize)[x] && first[order[b]] > first[x]))) {
            order[b + 1] = order[b];
            b--;
        }
        order[b + 1] = x;
    }
    for (igraph_integer_t r = 0; r < nc; r++) {
        rank[order[r]] = VECTOR(csize)[order[r]] >= 2 ? r : -1;
        if (VECTOR(csize)[order[r]] >= 2) {
            (*nblocs)++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bloc[i] = rank[VECTOR(membership)[i]];
    }
    e = IGRAPH_SUCCESS;
done:
    if (rc == ENT_OK && e != IGRAPH_SUCCESS) {
        rc = ent_i_ig_fail(e, "pact blocs");
        *nblocs = 0;
    }
    ent_free(order);
    ent_free(first);
    ent_free(rank);
    if (have_csize) {
        igraph_vector_int_destroy(&csize);
    }
    if (have_memb) {
        igraph_vector_int_destroy(&membership);
    }
    if (have_edges) {
        igraph_vector_int_destroy(&edges);
    }
    if (have_g) {
        igraph_destroy(&g);
    }
    ent_i_ig_leave(&guard);
    return rc;
}

void ent_system_count_ties(size_t counts[8], const ent_world_t *w, ent_date_t date)
{
    memset(counts, 0, 8 * sizeof counts[0]);
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (ent_tie_active(t, date) && t->kind >= 1 && t->kind <= 7) {
            counts[t->kind]++;
        }
    }
}
