/*
 * dyads.c -- the dyad layer (world on a date -> one record per related pair)
 * and the step from dyads to a signed graph under a weight spec. Every signed
 * network of the library is built here: the blocs network
 * (ent_blocs_network), the balance dynamics' world graph
 * (ent_balance_world_graph) and the landscape's propensities
 * (ent_landscape_from_world) differ only in their named spec. See
 * include/entente/dyads.h and docs/measures.md.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/dyads.h"
#include "entente/system.h"
#include "util_int.h"

void ent_dyads_init(ent_dyads_t *d)
{
    memset(d, 0, sizeof *d);
    ent_vec_init(&d->dyads, sizeof(ent_dyad_t));
    ent_vec_init(&d->alive, 1);
}

void ent_dyads_destroy(ent_dyads_t *d)
{
    if (!d) {
        return;
    }
    ent_vec_destroy(&d->dyads);
    ent_vec_destroy(&d->alive);
    memset(d, 0, sizeof *d);
}

/* A tie in force, reduced to its pair (a < b) for sorting. */
typedef struct {
    int64_t a, b;
    size_t k; /* tie index */
} tref_t;

static int cmp_tref(const void *x, const void *y)
{
    const tref_t *p = x, *q = y;
    if (p->a != q->a) {
        return p->a < q->a ? -1 : 1;
    }
    if (p->b != q->b) {
        return p->b < q->b ? -1 : 1;
    }
    return p->k < q->k ? -1 : p->k > q->k;
}

/* A rivalry's intensity: the shipped scale is (0, 1]; a missing (0) or out-of-range level counts as 1. */
static double rivalry_intensity(double level)
{
    return level > 0 && level <= 1 ? level : 1.0;
}

/* parties: the pact's parties on the date for a live non-aggression-only pact, else 0 */
static void add_tie(ent_dyad_t *d, const ent_tie_t *t, int32_t parties)
{
    switch (t->kind) {
    case ENT_TIE_PACT:
        if (t->dormant) {
            d->dormant_obligations |= t->obligations;
            d->dormant_pacts++;
        } else {
            d->obligations |= t->obligations;
            d->pacts++;
            if (parties > 0 && (d->nonagg_parties == 0 || parties < d->nonagg_parties)) {
                d->nonagg_parties = parties;
            }
        }
        break;
    case ENT_TIE_PARTNERSHIP:
        if (t->level > d->tier) {
            d->tier = t->level;
            d->tier_pole = t->a;
        }
        d->partnerships++;
        break;
    case ENT_TIE_SECURITY: {
        double x = t->level > 0 && isfinite(t->level) ? t->level : 0;
        const char *s = t->subtype ? t->subtype : "";
        double *slot = strcmp(s, "exercise") == 0 ? &d->exercise
                       : strcmp(s, "arms") == 0   ? &d->arms
                       : strcmp(s, "basing") == 0 ? &d->basing
                                                  : &d->security_other;
        *slot = fmax(*slot, x);
        double *dir = slot == &d->arms     ? (t->a == d->a ? &d->arms_ab : &d->arms_ba)
                      : slot == &d->basing ? (t->a == d->a ? &d->basing_ab : &d->basing_ba)
                                           : NULL;
        if (dir) {
            *dir = fmax(*dir, x);
        }
        d->security++;
        break;
    }
    case ENT_TIE_RIVALRY:
        d->rivalry = fmax(d->rivalry, rivalry_intensity(t->level));
        d->rivalries++;
        break;
    case ENT_TIE_COERCION:
        if (t->directed && t->a > t->b) {
            d->coercion_ba++;
        } else {
            d->coercion_ab++;
        }
        break;
    case ENT_TIE_ECONOMIC: d->economic++; break;
    case ENT_TIE_DIPLOMATIC: d->diplomatic++; break;
    }
}

/* Orders live non-aggression-only pact ties by pact: the world gives all dyads of one pact the same
 * moniker and source (src/world/world.c). */
static int cmp_pact(const void *x, const void *y, void *ctx)
{
    const ent_world_t *w = ctx;
    const ent_tie_t *p = ent_world_tie(w, *(const size_t *)x), *q = ent_world_tie(w, *(const size_t *)y);
    int c = strcmp(p->moniker ? p->moniker : "", q->moniker ? q->moniker : "");
    if (!c) {
        c = strcmp(p->source ? p->source : "", q->source ? q->source : "");
    }
    return c ? c : (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
}

static bool nonagg_only(const ent_tie_t *t)
{
    return t->kind == ENT_TIE_PACT && !t->dormant && t->obligations == ENT_OBL_NONAGG;
}

static bool same_pact(const ent_tie_t *p, const ent_tie_t *q)
{
    return strcmp(p->moniker ? p->moniker : "", q->moniker ? q->moniker : "") == 0 &&
           strcmp(p->source ? p->source : "", q->source ? q->source : "") == 0;
}

/*
 * *out (allocated here, one entry per tie of the world, NULL when there is no
 * such pact): for each tie in force (refs) of a live pact whose only
 * obligation is non-aggression, the number of states party to that pact on
 * the date; 0 for other ties. O(ties log ties).
 */
static ent_err_t count_nonagg_parties(int32_t **out, const ent_world_t *w, const ent_vec_t *refs, size_t n)
{
    *out = NULL;
    size_t m = 0;
    for (size_t r = 0; r < refs->len; r++) {
        m += nonagg_only(ent_world_tie(w, ENT_VEC_AT(refs, tref_t, r).k));
    }
    if (!m) {
        return ENT_OK;
    }
    size_t *ks = ent_malloc(m * sizeof *ks);
    int32_t *stamp = ent_malloc((n ? n : 1) * sizeof *stamp);
    int32_t *parties = ent_calloc(ent_world_nties(w), sizeof *parties);
    if (!ks || !stamp || !parties) {
        ent_free(ks);
        ent_free(stamp);
        ent_free(parties);
        return ent_i_nomem();
    }
    m = 0;
    for (size_t r = 0; r < refs->len; r++) {
        size_t k = ENT_VEC_AT(refs, tref_t, r).k;
        if (nonagg_only(ent_world_tie(w, k))) {
            ks[m++] = k;
        }
    }
    qsort_r(ks, m, sizeof *ks, cmp_pact, (void *)w);
    for (size_t i = 0; i < n; i++) {
        stamp[i] = -1;
    }
    int32_t group = 0;
    for (size_t g0 = 0; g0 < m; group++) {
        const ent_tie_t *first = ent_world_tie(w, ks[g0]);
        size_t g1 = g0;
        int32_t count = 0;
        for (; g1 < m && same_pact(ent_world_tie(w, ks[g1]), first); g1++) {
            const ent_tie_t *t = ent_world_tie(w, ks[g1]);
            int64_t ends[2] = {t->a, t->b};
            for (int q = 0; q < 2; q++) {
                if (stamp[ends[q]] != group) {
                    stamp[ends[q]] = group;
                    count++;
                }
            }
        }
        for (size_t j = g0; j < g1; j++) {
            parties[ks[j]] = count;
        }
        g0 = g1;
    }
    ent_free(ks);
    ent_free(stamp);
    *out = parties;
    return ENT_OK;
}

ent_err_t ent_dyads_build(ent_dyads_t *d, const ent_world_t *w, ent_date_t date)
{
    size_t n = ent_world_nstates(w);
    ent_err_t rc = ENT_OK;
    ent_vec_t refs;
    ent_vec_init(&refs, sizeof(tref_t));
    int32_t *parties = NULL;
    d->dyads.len = 0;
    d->date = date;
    d->nstates = n;
    d->max_tier = ent_world_max_tier(w);
    ENT_CHECK(ent_vec_resize(&d->alive, n));
    unsigned char *alive = d->alive.data;
    size_t nalive = 0;
    for (size_t i = 0; i < n; i++) {
        alive[i] = ent_world_alive(w, i, date);
        nalive += alive[i];
    }
    if (!nalive) {
        char s[11];
        ent_date_format(s, date);
        rc = ent_i_err(ENT_ERANGE, "no state of the world is alive on %s", s);
        goto done;
    }
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (!ent_tie_active(t, date) || t->a == t->b || t->a < 0 || t->b < 0 || (size_t)t->a >= n ||
            (size_t)t->b >= n || !alive[t->a] || !alive[t->b]) {
            continue;
        }
        tref_t r = {t->a < t->b ? t->a : t->b, t->a < t->b ? t->b : t->a, k};
        ENT_CHECK(ent_vec_push(&refs, &r));
    }
    ENT_CHECK(count_nonagg_parties(&parties, w, &refs, n));
    if (refs.len) {
        qsort(refs.data, refs.len, sizeof(tref_t), cmp_tref);
    }
    for (size_t k = 0; k < refs.len;) {
        const tref_t *r = &ENT_VEC_AT(&refs, tref_t, k);
        ent_dyad_t dy;
        memset(&dy, 0, sizeof dy);
        dy.a = r->a;
        dy.b = r->b;
        dy.tier_pole = -1;
        size_t j = k;
        for (; j < refs.len && ENT_VEC_AT(&refs, tref_t, j).a == r->a && ENT_VEC_AT(&refs, tref_t, j).b == r->b; j++) {
            size_t tk = ENT_VEC_AT(&refs, tref_t, j).k;
            add_tie(&dy, ent_world_tie(w, tk), parties ? parties[tk] : 0);
        }
        ENT_CHECK(ent_vec_push(&d->dyads, &dy));
        k = j;
    }
done:
    ent_vec_destroy(&refs);
    ent_free(parties);
    return rc;
}

const ent_dyad_t *ent_dyads_find(const ent_dyads_t *d, int64_t a, int64_t b)
{
    if (a > b) {
        int64_t t = a;
        a = b;
        b = t;
    }
    size_t lo = 0, hi = d->dyads.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ent_dyad_t *x = &ENT_VEC_AT(&d->dyads, ent_dyad_t, mid);
        if (x->a < a || (x->a == a && x->b < b)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < d->dyads.len) {
        const ent_dyad_t *x = &ENT_VEC_AT(&d->dyads, ent_dyad_t, lo);
        if (x->a == a && x->b == b) {
            return x;
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- weight specs */

ent_signed_spec_t ent_signed_spec_blocs(void)
{
    ent_signed_spec_t s;
    memset(&s, 0, sizeof s);
    s.version = ENT_SIGNED_SPEC_VERSION;
    s.defense = 1.0;
    s.offense = s.neutrality = s.consultation = s.pact_other = 0.5;
    s.nonaggression = 0.5;
    s.nonaggression_per_party = true;
    s.partnership = 0.5;
    s.min_tier = 1;
    s.tier_scaled = true;
    s.security = 0.3;
    s.rivalry = 1.0;
    s.coercion = 0.5;
    s.combine = ENT_COMBINE_NET;
    return s;
}

ent_signed_spec_t ent_signed_spec_balance(int min_tier)
{
    ent_signed_spec_t s;
    memset(&s, 0, sizeof s);
    s.version = ENT_SIGNED_SPEC_VERSION;
    s.defense = s.offense = s.neutrality = s.nonaggression = s.consultation = s.pact_other = 1.0;
    s.partnership = 1.0;
    s.min_tier = min_tier;
    s.rivalry = s.coercion = 1.0;
    s.combine = ENT_COMBINE_HOSTILE_WINS;
    return s;
}

ent_signed_spec_t ent_signed_spec_landscape(void)
{
    ent_signed_spec_t s;
    memset(&s, 0, sizeof s);
    s.version = ENT_SIGNED_SPEC_VERSION;
    s.defense = s.offense = 2.0;
    s.neutrality = s.consultation = 0.5;
    s.nonaggression = 0.25;
    s.partnership = 1.0;
    s.min_tier = 1;
    s.tier_scaled = true;
    s.rivalry = 2.0;
    s.coercion = 1.0;
    s.combine = ENT_COMBINE_SUM;
    return s;
}

ent_err_t ent_signed_spec_check(const ent_signed_spec_t *s)
{
    if (!s || s->version != ENT_SIGNED_SPEC_VERSION) {
        return ent_i_err(ENT_EINVAL, "signed spec: version %u, expected %u", s ? s->version : 0u,
                         (unsigned)ENT_SIGNED_SPEC_VERSION);
    }
    const struct {
        const char *name;
        double v;
    } f[] = {{"defense", s->defense},           {"offense", s->offense},
             {"neutrality", s->neutrality},     {"nonaggression", s->nonaggression},
             {"consultation", s->consultation}, {"pact_other", s->pact_other},
             {"dormant", s->dormant},           {"partnership", s->partnership},
             {"security", s->security},         {"security_level", s->security_level},
             {"rivalry", s->rivalry},           {"coercion", s->coercion}};
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
        if (!isfinite(f[k].v) || f[k].v < 0) {
            return ent_i_err(ENT_EINVAL, "signed spec: field '%s' must be finite and >= 0, got %g", f[k].name, f[k].v);
        }
    }
    if (s->combine != ENT_COMBINE_NET && s->combine != ENT_COMBINE_SUM && s->combine != ENT_COMBINE_HOSTILE_WINS) {
        return ent_i_err(ENT_EINVAL, "signed spec: field 'combine': unknown rule %d", (int)s->combine);
    }
    return ENT_OK;
}

/* The largest weight among a set of obligations (pact_other for none); `na` scales non-aggression. */
static double pact_weight(unsigned obl, const ent_signed_spec_t *s, double na)
{
    double x = 0;
    bool any = false;
    if (obl & ENT_OBL_DEFENSE) {
        x = fmax(x, s->defense);
        any = true;
    }
    if (obl & ENT_OBL_OFFENSE) {
        x = fmax(x, s->offense);
        any = true;
    }
    if (obl & ENT_OBL_NEUTRAL) {
        x = fmax(x, s->neutrality);
        any = true;
    }
    if (obl & ENT_OBL_NONAGG) {
        x = fmax(x, s->nonaggression * na);
        any = true;
    }
    if (obl & (ENT_OBL_CONSUL | ENT_OBL_ENTENTE)) {
        x = fmax(x, s->consultation);
        any = true;
    }
    return any ? x : s->pact_other;
}

void ent_dyad_terms(ent_dyad_terms_t *out, const ent_dyad_t *d, int max_tier, const ent_signed_spec_t *s)
{
    memset(out, 0, sizeof *out);
    if (d->pacts) {
        /* a pact that also carries another obligation is weighted by that one in the shipped specs
         * (non-aggression weighs least); the scale is for pairs held by non-aggression-only pacts */
        double na = s->nonaggression_per_party && d->nonagg_parties >= 2 ? 1.0 / (d->nonagg_parties - 1) : 1.0;
        out->pact = pact_weight(d->obligations, s, na);
    }
    if (d->dormant_pacts && s->dormant > 0) {
        out->pact = fmax(out->pact, s->dormant * pact_weight(d->dormant_obligations, s, 1.0));
    }
    if (d->tier > 0 && d->tier >= s->min_tier) {
        out->partnership =
            s->tier_scaled ? (max_tier > 0 ? s->partnership * fmin(d->tier / max_tier, 1.0) : 0) : s->partnership;
    }
    if (d->security) {
        double lvl = fmax(fmax(d->exercise, d->arms), fmax(d->basing, d->security_other));
        out->security = s->security + s->security_level * lvl;
    }
    if (d->rivalries) {
        out->rivalry = s->rivalry * d->rivalry;
    }
    if (d->coercion_ab || d->coercion_ba) {
        out->coercion = s->coercion;
    }
    double pos = fmax(fmax(out->pact, out->partnership), out->security), neg = fmax(out->rivalry, out->coercion);
    switch (s->combine) {
    case ENT_COMBINE_NET: out->weight = pos - neg; break;
    case ENT_COMBINE_SUM:
        out->weight = out->pact + out->partnership + out->security - out->rivalry - out->coercion;
        break;
    case ENT_COMBINE_HOSTILE_WINS: out->weight = neg > 0 ? -1.0 : pos > 0 ? 1.0 : 0.0; break;
    }
}

ent_err_t ent_signed_from_dyads(ent_signed_t *g, ent_vec_t *states, const ent_dyads_t *d, const ent_world_t *w,
                                const ent_signed_spec_t *s)
{
    ent_err_t rc = ent_signed_spec_check(s);
    if (rc != ENT_OK) {
        return rc;
    }
    size_t n = d->nstates;
    if (n != ent_world_nstates(w) || d->alive.len != n) {
        return ent_i_err(ENT_EINVAL, "signed graph: the dyads were built from another world");
    }
    const unsigned char *alive = d->alive.data;
    unsigned char *used = ent_calloc(n ? n : 1, 1);
    int32_t *node = ent_malloc((n ? n : 1) * sizeof *node);
    double *wt = ent_malloc((d->dyads.len ? d->dyads.len : 1) * sizeof *wt);
    size_t m = 0;
    if (!used || !node || !wt) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k < d->dyads.len; k++) {
        const ent_dyad_t *x = &ENT_VEC_AT(&d->dyads, ent_dyad_t, k);
        ent_dyad_terms_t t;
        ent_dyad_terms(&t, x, d->max_tier, s);
        wt[k] = t.weight;
        if (t.weight != 0.0) {
            used[x->a] = used[x->b] = 1;
            m++;
        }
    }
    if (!m) {
        char day[11];
        ent_date_format(day, d->date);
        rc = ent_i_err(ENT_ERANGE, "no tie of the world is in force between states alive on %s", day);
        goto done;
    }
    if (states) {
        states->len = 0;
    }
    for (size_t i = 0; i < n; i++) {
        node[i] = -1;
        if (alive[i] && (used[i] || s->isolates)) {
            ENT_CHECK(ent_signed_node(g, ent_world_state(w, i)->abbr, &node[i], NULL));
            if (states) {
                int64_t wi = (int64_t)i;
                ENT_CHECK(ent_vec_push(states, &wi));
            }
        }
    }
    for (size_t k = 0; k < d->dyads.len; k++) {
        if (wt[k] != 0.0) {
            const ent_dyad_t *x = &ENT_VEC_AT(&d->dyads, ent_dyad_t, k);
            ENT_CHECK(ent_signed_edge(g, node[x->a], node[x->b], wt[k], NULL));
        }
    }
done:
    ent_free(used);
    ent_free(node);
    ent_free(wt);
    return rc;
}

ent_err_t ent_signed_from_world(ent_signed_t *g, ent_vec_t *states, const ent_world_t *w, ent_date_t date,
                                const ent_signed_spec_t *s)
{
    ent_err_t rc = ent_signed_spec_check(s);
    if (rc != ENT_OK) {
        return rc;
    }
    ent_dyads_t d;
    ent_dyads_init(&d);
    rc = ent_dyads_build(&d, w, date);
    if (rc == ENT_OK) {
        rc = ent_signed_from_dyads(g, states, &d, w, s);
    }
    ent_dyads_destroy(&d);
    return rc;
}
