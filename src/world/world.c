/*
 * world.c -- the world in memory: building one (ent_world_new ...
 * ent_world_finalise, which the store's loader and programs use), looking
 * states up, and slicing the system at a date or a year. No file or SQL here:
 * the store (store/load_world.c) and the shipped-world reader
 * (io/world_csv.c) fill a world; this file only holds it.
 *
 * The world owns every string it hands out (names, monikers, sources) in one
 * list freed with it. Ties are kept sorted by start date so a slice is one
 * pass; slices hold indices, never copies.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "entente/world.h"
#include "util_int.h"
#include "world_int.h"

#define CAP_FIRST_YEAR ENT_I_CAP_FIRST_YEAR
#define CAP_NYEARS ENT_I_CAP_NYEARS
typedef ent_i_spell_t spell_t;
#define NRECENT (sizeof((ent_world_t *)0)->recent / sizeof((ent_world_t *)0)->recent[0])

struct ent_slice {
    ent_vec_t states; /* int64_t */
    ent_vec_t ties;   /* size_t indices into the world's ties */
    const ent_world_t *w;
};

static const char *const kind_names[] = {NULL,         "coercion",    "rivalry",  "economic",
                                         "diplomatic", "partnership", "security", "pact"};

const char *ent_tie_kind_name(ent_tie_kind_t k)
{
    return (k >= ENT_TIE_COERCION && k <= ENT_TIE_PACT) ? kind_names[k] : "unknown";
}

ent_err_t ent_tie_kind_parse(ent_tie_kind_t *out, const char *name)
{
    for (int k = ENT_TIE_COERCION; k <= ENT_TIE_PACT; k++) {
        if (strcasecmp(name, kind_names[k]) == 0) {
            *out = (ent_tie_kind_t)k;
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_EINVAL,
                     "unknown tie kind '%s' (expected coercion, rivalry, economic, diplomatic, partnership, "
                     "security or pact)",
                     name);
}

void ent_obligations_format(char *buf, size_t n, unsigned o)
{
    static const char *names[] = {"defense", "offense", "neutral", "nonagg", "consul", "entente"};
    size_t len = 0;
    buf[0] = '\0';
    for (int b = 0; b < 6; b++) {
        if (o & (1u << b)) {
            int w = snprintf(buf + len, n > len ? n - len : 0, "%s%s", len ? "," : "", names[b]);
            if (w > 0) {
                len += (size_t)w;
            }
        }
    }
    if (!len) {
        snprintf(buf, n, "none");
    }
}

ent_err_t ent_i_world_own(ent_world_t *w, void *p)
{
    ent_err_t rc = ent_vec_push(&w->strings, &p);
    if (rc != ENT_OK) {
        ent_free(p);
    }
    return rc;
}

/*
 * Empty strings are the one static "", and a string equal to one of the last
 * few kept is shared: a pact's moniker and source are repeated on each of its
 * dyads, an exercise's on each pair of participants, so a store's world of
 * ~100,000 ties keeps each once.
 */
ent_err_t ent_i_world_keep(ent_world_t *w, const char *s, const char **out)
{
    if (!s || !*s) {
        *out = "";
        return ENT_OK;
    }
    for (size_t k = 0; k < NRECENT; k++) {
        if (w->recent[k] && strcmp(w->recent[k], s) == 0) {
            *out = w->recent[k];
            return ENT_OK;
        }
    }
    char *p = ent_strdup(s);
    if (!p) {
        return ent_i_nomem();
    }
    ent_err_t rc = ent_i_world_own(w, p);
    if (rc != ENT_OK) {
        return rc;
    }
    w->recent[w->recent_next++ % NRECENT] = p;
    *out = p;
    return ENT_OK;
}

ent_err_t ent_i_world_add_state(ent_world_t *w, const ent_state_t *x)
{
    if (x->ccode < 0 || x->ccode >= 1000 || w->by_ccode[x->ccode] >= 0) {
        return ent_i_err(ENT_EEXISTS, "state %d added twice", x->ccode);
    }
    ent_err_t rc = ent_vec_push(&w->states, x);
    if (rc == ENT_OK) {
        w->by_ccode[x->ccode] = (int16_t)(w->states.len - 1);
    }
    return rc;
}

/* Grows the capability table to the states added so far; new rows are NaN. */
static ent_err_t cinc_cover(ent_world_t *w)
{
    size_t n = w->states.len;
    if (w->cinc && w->cinc_rows >= n) {
        return ENT_OK;
    }
    float *p = ent_realloc(w->cinc, (n ? n : 1) * CAP_NYEARS * sizeof *p);
    if (!p) {
        return ent_i_nomem();
    }
    for (size_t k = w->cinc ? w->cinc_rows * CAP_NYEARS : 0; k < n * CAP_NYEARS; k++) {
        p[k] = NAN;
    }
    w->cinc = p;
    w->cinc_rows = n;
    return ENT_OK;
}

ent_err_t ent_i_world_alloc_cinc(ent_world_t *w)
{
    ent_free(w->cinc);
    w->cinc = NULL;
    w->cinc_rows = 0;
    return cinc_cover(w);
}

typedef ent_i_member_t member_t;

ent_err_t ent_i_world_pact_dyads(ent_world_t *w, const ent_i_member_t *mem, size_t n, const char *moniker,
                                 const char *source)
{
    for (size_t x = 0; x < n; x++) {
        const member_t *a = &mem[x];
        for (size_t y = x + 1; y < n; y++) {
            const member_t *b = &mem[y];
            if (a->ccode == b->ccode) {
                continue;
            }
            ent_tie_t t;
            memset(&t, 0, sizeof t);
            t.start = a->entry > b->entry ? a->entry : b->entry;
            t.end = a->exit < b->exit ? a->exit : b->exit;
            if (t.end < t.start) {
                continue; /* never members at the same time */
            }
            int ia = w->by_ccode[a->ccode], ib = w->by_ccode[b->ccode];
            t.a = ia < ib ? ia : ib;
            t.b = ia < ib ? ib : ia;
            t.kind = ENT_TIE_PACT;
            t.subtype = "";
            t.obligations = a->obl | b->obl;
            t.dormant = a->dormant || b->dormant; /* a frozen member freezes its dyads */
            t.moniker = moniker;
            t.source = source;
            ent_err_t rc = ent_vec_push(&w->ties, &t);
            if (rc != ENT_OK) {
                return rc;
            }
        }
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- the public builder */

ent_err_t ent_world_new(ent_world_t **out)
{
    return ent_i_world_new(out);
}

static ent_err_t building(const ent_world_t *w, const char *what)
{
    if (w->finalised) {
        return ent_i_err(ENT_EINVAL, "%s: the world is already finalised (it is read-only)", what);
    }
    return ENT_OK;
}

static ent_err_t state_ok(const ent_world_t *w, int64_t i, const char *what)
{
    if (i < 0 || (size_t)i >= w->states.len) {
        return ent_i_err(ENT_ERANGE, "%s: state index %lld out of range (the world has %zu states)", what, (long long)i,
                         w->states.len);
    }
    return ENT_OK;
}

static ent_err_t dates_ok(ent_date_t start, ent_date_t end, const char *what)
{
    if (end < start) {
        return ent_i_err(ENT_EINVAL, "%s: ends (%d) before it starts (%d)", what, (int)end, (int)start);
    }
    return ENT_OK;
}

ent_err_t ent_world_add_state(int64_t *idx, ent_world_t *w, const ent_state_t *s)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_add_state")) != ENT_OK) {
        return rc;
    }
    if (s->ccode < 0 || s->ccode >= 1000) {
        return ent_i_err(ENT_ERANGE, "ent_world_add_state: COW code %d out of range (0..999)", (int)s->ccode);
    }
    if (w->by_ccode[s->ccode] >= 0) {
        return ent_i_err(ENT_EEXISTS, "ent_world_add_state: state %d added twice", (int)s->ccode);
    }
    ent_state_t x = *s;
    x.abbr[sizeof x.abbr - 1] = '\0'; /* fixed arrays: a caller's unterminated copy stays in bounds */
    x.iso3[sizeof x.iso3 - 1] = '\0';
    if ((rc = ent_i_world_keep(w, s->name, &x.name)) != ENT_OK ||
        (rc = ent_i_world_keep(w, s->region, &x.region)) != ENT_OK ||
        (rc = ent_i_world_keep(w, s->capital, &x.capital)) != ENT_OK || (rc = ent_i_world_add_state(w, &x)) != ENT_OK) {
        return rc;
    }
    if (idx) {
        *idx = (int64_t)(w->states.len - 1);
    }
    return ENT_OK;
}

_Static_assert(ENT_WORLD_CINC_FIRST_YEAR == ENT_I_CAP_FIRST_YEAR &&
                   ENT_WORLD_CINC_LAST_YEAR == ENT_I_CAP_FIRST_YEAR + ENT_I_CAP_NYEARS - 1,
               "world.h's CINC years are the capability table's");
_Static_assert(ENT_WORLD_MAX_TIER == ENT_I_MAX_TIER, "world.h's top tier is the tier table's");

/* A string for a state's record: the world's own copy as it is, anything else copied. */
static ent_err_t keep_state_str(ent_world_t *w, const char *now, const char *s, const char **out)
{
    if (s && s == now) {
        *out = now;
        return ENT_OK;
    }
    return ent_i_world_keep(w, s, out);
}

ent_err_t ent_world_set_state(ent_world_t *w, int64_t idx, const ent_state_t *s)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_set_state")) != ENT_OK ||
        (rc = state_ok(w, idx, "ent_world_set_state")) != ENT_OK) {
        return rc;
    }
    ent_state_t *cur = &ENT_VEC_AT(&w->states, ent_state_t, (size_t)idx);
    if (s->ccode != cur->ccode) {
        return ent_i_err(ENT_EINVAL, "ent_world_set_state: state %lld has COW code %d, not %d (codes do not change)",
                         (long long)idx, (int)cur->ccode, (int)s->ccode);
    }
    ent_state_t x = *s;
    x.abbr[sizeof x.abbr - 1] = '\0';
    x.iso3[sizeof x.iso3 - 1] = '\0';
    if ((rc = keep_state_str(w, cur->name, s->name, &x.name)) != ENT_OK ||
        (rc = keep_state_str(w, cur->region, s->region, &x.region)) != ENT_OK ||
        (rc = keep_state_str(w, cur->capital, s->capital, &x.capital)) != ENT_OK) {
        return rc;
    }
    *cur = x;
    return ENT_OK;
}

void ent_state_init(ent_state_t *x)
{
    memset(x, 0, sizeof *x);
    x->cap_lat = x->cap_lon = NAN;
    x->democracy = NAN;
    x->gdp_usd_bn = x->milex_usd_m = NAN;
    x->trade_share_chn = x->trade_share_usa = x->chn_finance_usd_bn = NAN;
    x->unga_ideal = x->unga_agree_usa = x->unga_agree_chn = NAN;
    x->name = x->region = x->capital = "";
}

ent_err_t ent_world_add_spell(ent_world_t *w, int64_t state, ent_date_t start, ent_date_t end)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_add_spell")) != ENT_OK ||
        (rc = state_ok(w, state, "ent_world_add_spell")) != ENT_OK ||
        (rc = dates_ok(start, end, "ent_world_add_spell")) != ENT_OK) {
        return rc;
    }
    ent_i_state_spell_t sp = {state, start, end};
    return ent_vec_push(&w->new_spells, &sp);
}

ent_err_t ent_world_set_cinc(ent_world_t *w, int64_t state, int year, double cinc)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_set_cinc")) != ENT_OK ||
        (rc = state_ok(w, state, "ent_world_set_cinc")) != ENT_OK) {
        return rc;
    }
    if (year < CAP_FIRST_YEAR || year >= CAP_FIRST_YEAR + CAP_NYEARS) {
        return ent_i_err(ENT_ERANGE, "ent_world_set_cinc: year %d outside %d-%d", year, CAP_FIRST_YEAR,
                         CAP_FIRST_YEAR + CAP_NYEARS - 1);
    }
    if (!isnan(cinc) && !(cinc >= 0 && cinc <= 1)) {
        return ent_i_err(ENT_ERANGE, "ent_world_set_cinc: CINC %g outside 0..1", cinc);
    }
    if ((rc = cinc_cover(w)) != ENT_OK) {
        return rc;
    }
    w->cinc[(size_t)state * CAP_NYEARS + (size_t)(year - CAP_FIRST_YEAR)] = (float)cinc;
    return ENT_OK;
}

ent_err_t ent_world_add_pact(ent_world_t *w, const ent_pact_member_t *members, size_t n, const char *moniker,
                             const char *source)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_add_pact")) != ENT_OK) {
        return rc;
    }
    for (size_t k = 0; k < n; k++) {
        if ((rc = state_ok(w, members[k].state, "ent_world_add_pact")) != ENT_OK ||
            (rc = dates_ok(members[k].entry, members[k].exit, "ent_world_add_pact: a membership")) != ENT_OK) {
            return rc;
        }
    }
    if (n < 2) {
        return ENT_OK; /* a pact of one state ties nobody */
    }
    member_t *m = ent_calloc(n, sizeof *m);
    if (!m) {
        return ent_i_nomem();
    }
    for (size_t k = 0; k < n; k++) {
        m[k].ccode = ENT_VEC_AT(&w->states, ent_state_t, (size_t)members[k].state).ccode;
        m[k].entry = members[k].entry;
        m[k].exit = members[k].exit;
        m[k].obl = members[k].obligations;
        m[k].dormant = members[k].dormant;
    }
    const char *mon, *src;
    if ((rc = ent_i_world_keep(w, moniker, &mon)) == ENT_OK && (rc = ent_i_world_keep(w, source, &src)) == ENT_OK) {
        rc = ent_i_world_pact_dyads(w, m, n, mon, src);
    }
    ent_free(m);
    return rc;
}

ent_err_t ent_world_add_tie(ent_world_t *w, const ent_tie_t *t)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_add_tie")) != ENT_OK || (rc = state_ok(w, t->a, "ent_world_add_tie")) != ENT_OK ||
        (rc = state_ok(w, t->b, "ent_world_add_tie")) != ENT_OK ||
        (rc = dates_ok(t->start, t->end, "ent_world_add_tie")) != ENT_OK) {
        return rc;
    }
    if (t->a == t->b) {
        return ent_i_err(ENT_EINVAL, "ent_world_add_tie: a tie joins two different states (both are %lld)",
                         (long long)t->a);
    }
    if (t->kind < ENT_TIE_COERCION || t->kind > ENT_TIE_PACT) {
        return ent_i_err(ENT_EINVAL, "ent_world_add_tie: unknown tie kind %d", (int)t->kind);
    }
    ent_tie_t x = *t;
    if ((rc = ent_i_world_keep(w, t->moniker, &x.moniker)) != ENT_OK ||
        (rc = ent_i_world_keep(w, t->subtype, &x.subtype)) != ENT_OK ||
        (rc = ent_i_world_keep(w, t->source, &x.source)) != ENT_OK) {
        return rc;
    }
    return ent_vec_push(&w->ties, &x);
}

ent_err_t ent_world_add_org(int64_t *idx, ent_world_t *w, const ent_org_t *o)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_add_org")) != ENT_OK) {
        return rc;
    }
    if (!o->id || !*o->id) {
        return ent_i_err(ENT_EINVAL, "ent_world_add_org: an organisation needs an id");
    }
    for (size_t k = 0; k < w->orgs.len; k++) {
        if (strcasecmp(ENT_VEC_AT(&w->orgs, ent_org_t, k).id, o->id) == 0) {
            return ent_i_err(ENT_EEXISTS, "ent_world_add_org: organisation '%s' added twice", o->id);
        }
    }
    ent_org_t x = *o;
    if ((rc = ent_i_world_keep(w, o->id, &x.id)) != ENT_OK || (rc = ent_i_world_keep(w, o->name, &x.name)) != ENT_OK ||
        (rc = ent_i_world_keep(w, o->kind, &x.kind)) != ENT_OK ||
        (rc = ent_i_world_keep(w, o->source, &x.source)) != ENT_OK || (rc = ent_vec_push(&w->orgs, &x)) != ENT_OK) {
        return rc;
    }
    if (idx) {
        *idx = (int64_t)(w->orgs.len - 1);
    }
    return ENT_OK;
}

ent_err_t ent_world_add_membership(ent_world_t *w, const ent_membership_t *m)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_add_membership")) != ENT_OK ||
        (rc = state_ok(w, m->state, "ent_world_add_membership")) != ENT_OK ||
        (rc = dates_ok(m->joined, m->left, "ent_world_add_membership")) != ENT_OK) {
        return rc;
    }
    if (m->org < 0 || (size_t)m->org >= w->orgs.len) {
        return ent_i_err(ENT_ERANGE, "ent_world_add_membership: organisation index %lld out of range (%zu)",
                         (long long)m->org, w->orgs.len);
    }
    ent_membership_t x = *m;
    if ((rc = ent_i_world_keep(w, m->role, &x.role)) != ENT_OK ||
        (rc = ent_i_world_keep(w, m->source, &x.source)) != ENT_OK) {
        return rc;
    }
    return ent_vec_push(&w->members, &x);
}

ent_err_t ent_world_add_event(ent_world_t *w, const ent_event_t *e)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_add_event")) != ENT_OK) {
        return rc;
    }
    for (size_t k = 0; k < e->nactors; k++) {
        if ((rc = state_ok(w, e->actors[k], "ent_world_add_event")) != ENT_OK) {
            return rc;
        }
    }
    ent_event_t x = *e;
    x.actors = NULL;
    if (e->nactors) {
        int64_t *act = ent_calloc(e->nactors, sizeof *act);
        if (!act) {
            return ent_i_nomem();
        }
        memcpy(act, e->actors, e->nactors * sizeof *act);
        if ((rc = ent_i_world_own(w, act)) != ENT_OK) {
            return rc;
        }
        x.actors = act;
    }
    if ((rc = ent_i_world_keep(w, e->kind, &x.kind)) != ENT_OK ||
        (rc = ent_i_world_keep(w, e->description, &x.description)) != ENT_OK ||
        (rc = ent_i_world_keep(w, e->source, &x.source)) != ENT_OK) {
        return rc;
    }
    return ent_vec_push(&w->events, &x);
}

ent_err_t ent_world_add_contiguity(ent_world_t *w, const ent_contiguity_t *c)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_add_contiguity")) != ENT_OK ||
        (rc = state_ok(w, c->a, "ent_world_add_contiguity")) != ENT_OK ||
        (rc = state_ok(w, c->b, "ent_world_add_contiguity")) != ENT_OK) {
        return rc;
    }
    if (c->a == c->b) {
        return ent_i_err(ENT_EINVAL, "ent_world_add_contiguity: a state is not contiguous to itself (%lld)",
                         (long long)c->a);
    }
    if (c->type < 1 || c->type > 5) {
        return ent_i_err(ENT_EINVAL, "ent_world_add_contiguity: type %d (COW's types are 1..5)", c->type);
    }
    for (size_t k = 0; k < w->contig.len; k++) {
        const ent_contiguity_t *x = &ENT_VEC_AT(&w->contig, ent_contiguity_t, k);
        if ((x->a == c->a && x->b == c->b) || (x->a == c->b && x->b == c->a)) {
            return ent_i_err(ENT_EEXISTS, "ent_world_add_contiguity: the pair %lld-%lld is already contiguous",
                             (long long)c->a, (long long)c->b);
        }
    }
    ent_contiguity_t x = *c;
    if ((rc = ent_i_world_keep(w, c->source, &x.source)) != ENT_OK) {
        return rc;
    }
    return ent_vec_push(&w->contig, &x);
}

ent_err_t ent_world_set_distance(ent_world_t *w, int64_t a, int64_t b, double km)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_set_distance")) != ENT_OK ||
        (rc = state_ok(w, a, "ent_world_set_distance")) != ENT_OK ||
        (rc = state_ok(w, b, "ent_world_set_distance")) != ENT_OK) {
        return rc;
    }
    if (a == b || !(km >= 0 && km <= 25000)) {
        return ent_i_err(ENT_ERANGE, "ent_world_set_distance: %g km between states %lld and %lld", km, (long long)a,
                         (long long)b);
    }
    ent_i_dist_t d = {a, b, km};
    return ent_vec_push(&w->dists, &d);
}

double ent_world_distance(const ent_world_t *w, size_t a, size_t b)
{
    if (!w->dist || a >= w->dist_n || b >= w->dist_n) {
        return NAN;
    }
    return (double)w->dist[a * w->dist_n + b];
}

ent_err_t ent_world_set_tier_label(ent_world_t *w, int tier, const char *label)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_set_tier_label")) != ENT_OK) {
        return rc;
    }
    if (tier < 1 || tier > ENT_I_MAX_TIER) {
        return ent_i_err(ENT_ERANGE, "ent_world_set_tier_label: tier %d outside 1..%d", tier, ENT_I_MAX_TIER);
    }
    if (!label || !*label) {
        return ent_i_err(ENT_EINVAL, "ent_world_set_tier_label: tier %d needs a label", tier);
    }
    if ((rc = ent_i_world_keep(w, label, &w->tier_label[tier])) != ENT_OK) {
        return rc;
    }
    if (tier > w->max_tier) {
        w->max_tier = tier;
    }
    return ENT_OK;
}

int64_t ent_world_state_index(const ent_world_t *w, int32_t ccode)
{
    return ccode >= 0 && ccode < 1000 ? w->by_ccode[ccode] : -1;
}

ent_err_t ent_world_finalise(ent_world_t *w)
{
    ent_err_t rc;
    if ((rc = building(w, "ent_world_finalise")) != ENT_OK) {
        return rc;
    }
    for (int t = 1; t <= w->max_tier; t++) {
        if (!w->tier_label[t][0]) {
            return ent_i_err(ENT_EINVAL, "ent_world_finalise: tier %d has no label (the scale must run 1..%d)", t,
                             w->max_tier);
        }
    }
    return ent_i_world_finish(w);
}

/* ---------------------------------------------------------------- finishing */

static int tie_cmp(const void *x, const void *y)
{
    const ent_tie_t *a = x, *b = y;
    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    if (a->a != b->a) {
        return a->a < b->a ? -1 : 1;
    }
    if (a->b != b->b) {
        return a->b < b->b ? -1 : 1;
    }
    return (int)a->kind - (int)b->kind;
}

static int spell_cmp(const void *x, const void *y)
{
    const ent_i_state_spell_t *a = x, *b = y;
    if (a->state != b->state) {
        return a->state < b->state ? -1 : 1;
    }
    return a->start < b->start ? -1 : a->start > b->start;
}

ent_err_t ent_i_world_new(ent_world_t **out)
{
    ent_world_t *w = ent_calloc(1, sizeof *w);
    *out = NULL;
    if (!w) {
        return ent_i_nomem();
    }
    ent_vec_init(&w->states, sizeof(ent_state_t));
    ent_vec_init(&w->spell_first, sizeof(size_t));
    ent_vec_init(&w->spell_count, sizeof(size_t));
    ent_vec_init(&w->spells, sizeof(spell_t));
    ent_vec_init(&w->new_spells, sizeof(ent_i_state_spell_t));
    ent_vec_init(&w->ties, sizeof(ent_tie_t));
    ent_vec_init(&w->orgs, sizeof(ent_org_t));
    ent_vec_init(&w->members, sizeof(ent_membership_t));
    ent_vec_init(&w->events, sizeof(ent_event_t));
    ent_vec_init(&w->contig, sizeof(ent_contiguity_t));
    ent_vec_init(&w->dists, sizeof(ent_i_dist_t));
    ent_vec_init(&w->strings, sizeof(void *));
    for (int c = 0; c < 1000; c++) {
        w->by_ccode[c] = -1;
    }
    for (int t = 0; t <= ENT_I_MAX_TIER; t++) {
        w->tier_label[t] = "";
    }
    *out = w;
    return ENT_OK;
}

ent_err_t ent_i_world_finish(ent_world_t *w)
{
    if (w->ties.len) {
        qsort(w->ties.data, w->ties.len, sizeof(ent_tie_t), tie_cmp);
    }
    /* Every state gets spell bookkeeping (none: always a member); failing here would leave the
     * arrays shorter than the state list, so it is an error, not something to ignore. */
    ent_err_t rc;
    size_t n = w->states.len;
    if ((rc = ent_vec_resize(&w->spell_first, n)) != ENT_OK || (rc = ent_vec_resize(&w->spell_count, n)) != ENT_OK ||
        (rc = ent_vec_reserve(&w->spells, w->spells.len + w->new_spells.len)) != ENT_OK ||
        (rc = cinc_cover(w)) != ENT_OK) {
        return rc;
    }
    if (w->dists.len) {
        /* a dense matrix: the simulation reads every pair of the year's states */
        if (!(w->dist = ent_malloc(n * n * sizeof *w->dist))) {
            return ent_i_nomem();
        }
        w->dist_n = n;
        for (size_t k = 0; k < n * n; k++) {
            w->dist[k] = NAN;
        }
        for (size_t k = 0; k < w->dists.len; k++) {
            const ent_i_dist_t *d = &ENT_VEC_AT(&w->dists, ent_i_dist_t, k);
            w->dist[(size_t)d->a * n + (size_t)d->b] = w->dist[(size_t)d->b * n + (size_t)d->a] = (float)d->km;
        }
        ent_vec_destroy(&w->dists);
        ent_vec_init(&w->dists, sizeof(ent_i_dist_t));
    }
    if (w->new_spells.len) {
        /* spells are read per state, in date order: file them by (state, start) */
        qsort(w->new_spells.data, w->new_spells.len, sizeof(ent_i_state_spell_t), spell_cmp);
        memset(w->spell_count.data, 0, n * sizeof(size_t));
        w->spells.len = 0;
        for (size_t k = 0; k < w->new_spells.len; k++) {
            const ent_i_state_spell_t *s = &ENT_VEC_AT(&w->new_spells, ent_i_state_spell_t, k);
            size_t i = (size_t)s->state;
            if (ENT_VEC_AT(&w->spell_count, size_t, i)++ == 0) {
                ENT_VEC_AT(&w->spell_first, size_t, i) = w->spells.len;
            }
            spell_t sp = {s->start, s->end};
            (void)ent_vec_push(&w->spells, &sp); /* reserved above: cannot fail */
        }
        ent_vec_destroy(&w->new_spells);
        ent_vec_init(&w->new_spells, sizeof(ent_i_state_spell_t));
    }
    w->finalised = true;
    return ENT_OK;
}

void ent_world_free(ent_world_t *w)
{
    if (!w) {
        return;
    }
    for (size_t k = 0; k < w->strings.len; k++) {
        ent_free(ENT_VEC_AT(&w->strings, void *, k));
    }
    ent_vec_destroy(&w->strings);
    ent_vec_destroy(&w->states);
    ent_vec_destroy(&w->spell_first);
    ent_vec_destroy(&w->spell_count);
    ent_vec_destroy(&w->spells);
    ent_vec_destroy(&w->new_spells);
    ent_vec_destroy(&w->ties);
    ent_vec_destroy(&w->orgs);
    ent_vec_destroy(&w->members);
    ent_vec_destroy(&w->events);
    ent_vec_destroy(&w->contig);
    ent_vec_destroy(&w->dists);
    ent_free(w->dist);
    ent_free(w->cinc);
    ent_free(w);
}

size_t ent_world_nstates(const ent_world_t *w)
{
    return w->states.len;
}

const ent_state_t *ent_world_state(const ent_world_t *w, size_t i)
{
    return &ENT_VEC_AT(&w->states, ent_state_t, i);
}

size_t ent_world_nties(const ent_world_t *w)
{
    return w->ties.len;
}

const ent_tie_t *ent_world_tie(const ent_world_t *w, size_t k)
{
    return &ENT_VEC_AT(&w->ties, ent_tie_t, k);
}

ent_err_t ent_world_find(int64_t *idx, const ent_world_t *w, const char *code)
{
    char *end;
    long v = strtol(code, &end, 10);
    if (*code && !*end) {
        if (v >= 0 && v < 1000 && w->by_ccode[v] >= 0) {
            *idx = w->by_ccode[v];
            return ENT_OK;
        }
        return ent_i_err(ENT_ENOTFOUND, "unknown state code %s (no such COW code in the store)", code);
    }
    /* The COW abbreviation first: for the few codes where ISO3 and COW differ, COW is this tool's native. */
    for (size_t i = 0; i < w->states.len; i++) {
        if (strcasecmp(ENT_VEC_AT(&w->states, ent_state_t, i).abbr, code) == 0) {
            *idx = (int64_t)i;
            return ENT_OK;
        }
    }
    for (size_t i = 0; i < w->states.len; i++) {
        const ent_state_t *s = &ENT_VEC_AT(&w->states, ent_state_t, i);
        if (s->iso3[0] && strcasecmp(s->iso3, code) == 0) {
            *idx = (int64_t)i;
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_ENOTFOUND,
                     "unknown state '%s' (give a COW code like 710, a COW abbreviation like CHN, or an ISO3 code)",
                     code);
}

static bool alive_between(const ent_world_t *w, size_t i, ent_date_t from, ent_date_t to)
{
    if (i >= w->spell_count.len) {
        return true; /* a world not yet finalised has no spells filed */
    }
    size_t n = ENT_VEC_AT(&w->spell_count, size_t, i);
    if (n == 0) {
        return true; /* no spells recorded: a state of the shipped world, always a member */
    }
    size_t f = ENT_VEC_AT(&w->spell_first, size_t, i);
    for (size_t k = 0; k < n; k++) {
        const spell_t *s = &ENT_VEC_AT(&w->spells, spell_t, f + k);
        if (s->start <= to && s->end >= from) {
            return true;
        }
    }
    return false;
}

bool ent_world_alive(const ent_world_t *w, size_t i, ent_date_t d)
{
    return alive_between(w, i, d, d);
}

bool ent_world_alive_year(const ent_world_t *w, size_t i, int year)
{
    return alive_between(w, i, year * 10000 + 101, year * 10000 + 1231);
}

double ent_world_cinc(const ent_world_t *w, size_t i, int year)
{
    if (i >= w->cinc_rows || year < CAP_FIRST_YEAR || year >= CAP_FIRST_YEAR + CAP_NYEARS) {
        return NAN;
    }
    return w->cinc[i * CAP_NYEARS + (size_t)(year - CAP_FIRST_YEAR)];
}

double ent_world_cinc_near(const ent_world_t *w, size_t i, int year, int back, int forward)
{
    for (int y = year; y >= year - back; y--) {
        double c = ent_world_cinc(w, i, y);
        if (!isnan(c)) {
            return c;
        }
    }
    for (int y = year + 1; y <= year + forward; y++) {
        double c = ent_world_cinc(w, i, y);
        if (!isnan(c)) {
            return c;
        }
    }
    return NAN;
}

ent_err_t ent_world_slice(ent_slice_t **out, const ent_world_t *w, ent_date_t from, ent_date_t to)
{
    *out = NULL;
    if (to < from) {
        return ent_i_err(ENT_EINVAL, "slice ends (%d) before it starts (%d)", to, from);
    }
    if (!w->finalised) {
        return ent_i_err(ENT_EINVAL, "slicing a world that is not finalised (call ent_world_finalise)");
    }
    ent_slice_t *s = ent_calloc(1, sizeof *s);
    if (!s) {
        return ent_i_nomem();
    }
    s->w = w;
    ent_vec_init(&s->states, sizeof(int64_t));
    ent_vec_init(&s->ties, sizeof(size_t));
    ent_err_t rc = ENT_OK;
    for (size_t i = 0; i < w->states.len; i++) {
        if (alive_between(w, i, from, to)) {
            int64_t ix = (int64_t)i;
            ENT_CHECK(ent_vec_push(&s->states, &ix));
        }
    }
    /* Ties are sorted by start: stop at the first one starting after the window. */
    for (size_t k = 0; k < w->ties.len; k++) {
        const ent_tie_t *t = &ENT_VEC_AT(&w->ties, ent_tie_t, k);
        if (t->start > to) {
            break;
        }
        if (t->end >= from) {
            ENT_CHECK(ent_vec_push(&s->ties, &k));
        }
    }
done:
    if (rc != ENT_OK) {
        ent_slice_free(s);
        return rc;
    }
    *out = s;
    return ENT_OK;
}

ent_err_t ent_world_slice_year(ent_slice_t **out, const ent_world_t *w, int year)
{
    if (year < 1 || year > 9999) {
        *out = NULL;
        return ent_i_err(ENT_ERANGE, "year %d out of range", year);
    }
    return ent_world_slice(out, w, year * 10000 + 101, year * 10000 + 1231);
}

void ent_slice_free(ent_slice_t *s)
{
    if (!s) {
        return;
    }
    ent_vec_destroy(&s->states);
    ent_vec_destroy(&s->ties);
    ent_free(s);
}

size_t ent_slice_nstates(const ent_slice_t *s)
{
    return s->states.len;
}

int64_t ent_slice_state(const ent_slice_t *s, size_t k)
{
    return ENT_VEC_AT(&s->states, int64_t, k);
}

size_t ent_slice_nties(const ent_slice_t *s)
{
    return s->ties.len;
}

const ent_tie_t *ent_slice_tie(const ent_slice_t *s, size_t k)
{
    return &ENT_VEC_AT(&s->w->ties, ent_tie_t, ENT_VEC_AT(&s->ties, size_t, k));
}

size_t ent_world_norgs(const ent_world_t *w)
{
    return w->orgs.len;
}

const ent_org_t *ent_world_org(const ent_world_t *w, size_t k)
{
    return &ENT_VEC_AT(&w->orgs, ent_org_t, k);
}

ent_err_t ent_world_find_org(int64_t *idx, const ent_world_t *w, const char *id)
{
    for (size_t k = 0; k < w->orgs.len; k++) {
        if (strcasecmp(ENT_VEC_AT(&w->orgs, ent_org_t, k).id, id) == 0) {
            *idx = (int64_t)k;
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_ENOTFOUND, "unknown organisation '%s'", id);
}

size_t ent_world_nmemberships(const ent_world_t *w)
{
    return w->members.len;
}

const ent_membership_t *ent_world_membership(const ent_world_t *w, size_t k)
{
    return &ENT_VEC_AT(&w->members, ent_membership_t, k);
}

size_t ent_world_nevents(const ent_world_t *w)
{
    return w->events.len;
}

ent_date_t ent_world_as_of(const ent_world_t *w)
{
    ent_date_t d = 0;
    for (size_t k = 0; k < w->events.len; k++) {
        ent_date_t e = ENT_VEC_AT(&w->events, ent_event_t, k).date;
        d = e > d ? e : d;
    }
    return d;
}

const ent_event_t *ent_world_event(const ent_world_t *w, size_t k)
{
    return &ENT_VEC_AT(&w->events, ent_event_t, k);
}

size_t ent_world_ncontiguities(const ent_world_t *w)
{
    return w->contig.len;
}

const ent_contiguity_t *ent_world_contiguity(const ent_world_t *w, size_t k)
{
    return &ENT_VEC_AT(&w->contig, ent_contiguity_t, k);
}

const char *ent_world_tier_label(const ent_world_t *w, int tier)
{
    return tier >= 0 && tier <= ENT_I_MAX_TIER ? w->tier_label[tier] : "";
}

int ent_world_max_tier(const ent_world_t *w)
{
    return w->max_tier;
}
