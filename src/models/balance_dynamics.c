/*
 * balance_dynamics.c -- the local (LTD) and constrained (CTD) triad dynamics
 * of Antal, Krapivsky & Redner (Phys. Rev. E 72, 036121, 2005; "AKR05"
 * below) on a complete graph or on a given signed graph. The model, the time
 * unit and the complexity are described in include/entente/balance.h; this
 * file holds the bookkeeping.
 *
 * State. A dense n x n sign matrix s (0 = no link) and, in dense symmetric
 * int16 matrices (rows are read contiguously in the O(N) loops), for every
 * link e = ij the number of triads through it, t_e (general graphs; n - 2 in
 * a complete graph), and
 *
 *     c_e = sum over triads ijk through e = ij of s_ik s_jk.
 *
 * The triad ijk is balanced iff s_ij s_ik s_jk = +1, so e lies in
 * (t_e - s_e c_e) / 2 imbalanced triads, and flipping e changes the total
 * number of imbalanced triads by
 *
 *     Delta_e = (t_e - (t_e - s_e c_e) / 2) - (t_e - s_e c_e) / 2 = s_e c_e.
 *
 * Flipping e = ij changes s_ij inside c_ik (term s_ij s_jk) and c_jk (term
 * s_ij s_ik) for every third node k of a triad through e: 2 (t_e) updates, and
 * each triad ijk moves from Delta_m to Delta_(m +- 1) in the global counts.
 * That is the O(N) per flip. The number of links with Delta_e <= 0 ("mobile",
 * the only ones CTD may flip) is kept too: CTD is absorbed (balanced or
 * jammed) when it is zero.
 *
 * Time is counted in update events (an int64) and reported as events / L, so
 * it is exact and identical on every platform.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "entente/balance.h"
#include "entente/dyads.h"
#include "entente/system.h"
#include "util_int.h"

struct ent_balance {
    int32_t n;
    bool complete;      /* every pair is a link: triads and links are drawn as random nodes */
    int8_t *s;          /* n x n signs, 0 = no link */
    int16_t *c;         /* n x n: c_ij for links (|c| <= n - 2 < 2^15) */
    int16_t *t;         /* n x n: triads through link ij; NULL for a complete graph (n - 2) */
    int32_t *eu, *ev;   /* general graphs: active link e joins eu[e] < ev[e] */
    int64_t *cum;       /* general graphs: cum[e] = t_0 + ... + t_(e-1), e = 0..L (LTD draws) */
    int32_t *off, *nbr; /* general graphs: adjacency lists (static) */
    int32_t *queue;     /* n: scratch of ent_balance_split */
    int64_t links, active, nmob, friendly, triads;
    int64_t counts[4];
    int64_t events; /* update events so far: time = events / active */
};

/* ---------------------------------------------------------------- names and options */

const char *ent_balance_rule_name(ent_balance_rule_t r)
{
    return r == ENT_BALANCE_CTD ? "ctd" : "ltd";
}

ent_err_t ent_balance_rule_parse(ent_balance_rule_t *out, const char *name)
{
    if (strcmp(name, "ltd") == 0 || strcmp(name, "LTD") == 0) {
        *out = ENT_BALANCE_LTD;
        return ENT_OK;
    }
    if (strcmp(name, "ctd") == 0 || strcmp(name, "CTD") == 0) {
        *out = ENT_BALANCE_CTD;
        return ENT_OK;
    }
    return ent_i_err(ENT_EINVAL, "unknown rule '%s' (expected ltd or ctd)", name);
}

ent_err_t ent_balance_options_check(const ent_balance_options_t *o, bool ensemble)
{
    if (!o || o->version != ENT_BALANCE_OPTIONS_VERSION) {
        return ent_i_err(ENT_EINVAL, "balance dynamics: options of an unknown version");
    }
    if (o->rule != ENT_BALANCE_LTD && o->rule != ENT_BALANCE_CTD) {
        return ent_i_err(ENT_EINVAL, "balance dynamics: unknown rule %d", (int)o->rule);
    }
    if (!(o->p >= 0.0 && o->p <= 1.0)) {
        return ent_i_err(ENT_ERANGE, "p must be in [0, 1], got %g", o->p);
    }
    if (!(o->max_time >= 0.0 && o->max_time <= 1e12)) {
        return ent_i_err(ENT_ERANGE, "the run length (max_time) must be in [0, 1e12], got %g", o->max_time);
    }
    if (!(o->burn_in >= 0.0 && isfinite(o->burn_in))) {
        return ent_i_err(ENT_ERANGE, "burn_in must be finite and >= 0, got %g", o->burn_in);
    }
    if (!(o->trace_dt >= 0.0 && isfinite(o->trace_dt))) {
        return ent_i_err(ENT_ERANGE, "trace_dt must be finite and >= 0, got %g", o->trace_dt);
    }
    if (o->trace_dt > 0 && o->max_time / o->trace_dt > 1e7) {
        return ent_i_err(ENT_ERANGE, "trace_dt %g gives more than 1e7 samples over %g", o->trace_dt, o->max_time);
    }
    if (!(o->rho0 >= 0.0 && o->rho0 <= 1.0)) {
        return ent_i_err(ENT_ERANGE, "rho0 must be in [0, 1], got %g", o->rho0);
    }
    if (!(o->fill <= 1.0) || isnan(o->fill)) {
        return ent_i_err(ENT_ERANGE, "fill must be in [0, 1] (or negative: no fill), got %g", o->fill);
    }
    if (ensemble && o->runs < 1) {
        return ent_i_err(ENT_ERANGE, "runs must be >= 1, got %d", (int)o->runs);
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- the state */

static inline size_t at(const ent_balance_t *b, int32_t i, int32_t j)
{
    return (size_t)i * (size_t)b->n + (size_t)j;
}

void ent_balance_free(ent_balance_t *b)
{
    if (!b) {
        return;
    }
    ent_free(b->s);
    ent_free(b->c);
    ent_free(b->t);
    ent_free(b->eu);
    ent_free(b->ev);
    ent_free(b->cum);
    ent_free(b->off);
    ent_free(b->nbr);
    ent_free(b->queue);
    ent_free(b);
}

static ent_err_t alloc_base(ent_balance_t **out, int32_t n)
{
    if (n < 0 || n > ENT_BALANCE_MAX_NODES) {
        return ent_i_err(ENT_ERANGE, "balance dynamics: %d nodes (at most %d)", (int)n, ENT_BALANCE_MAX_NODES);
    }
    ent_balance_t *b = ent_calloc(1, sizeof *b);
    if (!b) {
        return ent_i_nomem();
    }
    b->n = n;
    size_t nn = (size_t)n * (size_t)n;
    b->s = ent_calloc(nn ? nn : 1, 1);
    b->c = ent_calloc(nn ? nn : 1, sizeof *b->c);
    b->queue = ent_malloc(((size_t)n + 1) * sizeof *b->queue);
    if (!b->s || !b->c || !b->queue) {
        ent_balance_free(b);
        return ent_i_nomem();
    }
    *out = b;
    return ENT_OK;
}

/* Triads through link ij (a link of the network). */
static inline int32_t tri(const ent_balance_t *b, int32_t i, int32_t j)
{
    return b->t ? b->t[(size_t)i * (size_t)b->n + (size_t)j] : b->n - 2;
}

/*
 * Everything else from the sign matrix: adjacency, active links, t, c, the
 * triad counts and the mobile links. O(n^2 + n m) (O(n^3) for a complete
 * graph: the dot products of rows vectorise).
 */
static ent_err_t set_up_interrupted(void)
{
    return ent_i_err(ENT_EINTERRUPTED, "balance dynamics interrupted while setting up the network");
}

/* `cancel` is checked once per row of the O(n^3) loops: a few ms apart even for n in the thousands. */
static ent_err_t finish(ent_balance_t *b, volatile sig_atomic_t *cancel)
{
    int32_t n = b->n;
    size_t nn = (size_t)n * (size_t)n;
    int64_t links = 0, friendly = 0;
    for (int32_t i = 0; i < n; i++) {
        for (int32_t j = i + 1; j < n; j++) {
            int8_t v = b->s[at(b, i, j)];
            links += v != 0;
            friendly += v > 0;
        }
    }
    b->links = links;
    b->friendly = friendly;
    b->complete = n >= 3 && links == (int64_t)n * (n - 1) / 2;
    if (!b->complete) {
        b->t = ent_calloc(nn ? nn : 1, sizeof *b->t);
        b->off = ent_calloc((size_t)n + 1, sizeof *b->off);
        b->nbr = ent_malloc((size_t)(2 * links + 1) * sizeof *b->nbr);
        if (!b->t || !b->off || !b->nbr) {
            return ent_i_nomem();
        }
        for (int32_t i = 0; i < n; i++) {
            int32_t d = 0;
            for (int32_t k = 0; k < n; k++) {
                if (b->s[at(b, i, k)]) {
                    b->nbr[b->off[i] + d++] = k;
                }
            }
            b->off[i + 1] = b->off[i] + d;
        }
    }
    /* t and c of every link: dot products of rows */
    int64_t L = 0, tsum = 0;
    for (int32_t i = 0; i < n; i++) {
        if (cancel && *cancel) {
            return set_up_interrupted();
        }
        const int8_t *si = b->s + at(b, i, 0);
        for (int32_t j = i + 1; j < n; j++) {
            if (!si[j]) {
                continue;
            }
            const int8_t *sj = b->s + at(b, j, 0);
            int32_t cc = 0, tt = 0;
            for (int32_t k = 0; k < n; k++) {
                int32_t pr = (int32_t)si[k] * (int32_t)sj[k];
                cc += pr;
                tt += pr != 0;
            }
            b->c[at(b, i, j)] = b->c[at(b, j, i)] = (int16_t)cc;
            if (b->t) {
                b->t[at(b, i, j)] = b->t[at(b, j, i)] = (int16_t)tt;
            }
            L += tt > 0;
            tsum += tt;
        }
    }
    b->active = L;
    b->triads = tsum / 3;
    /* general graphs: the active links, and cum for LTD draws (link e with probability t_e / 3T) */
    if (!b->complete) {
        b->eu = ent_malloc(((size_t)L + 1) * sizeof *b->eu);
        b->ev = ent_malloc(((size_t)L + 1) * sizeof *b->ev);
        b->cum = ent_malloc(((size_t)L + 1) * sizeof *b->cum);
        if (!b->eu || !b->ev || !b->cum) {
            return ent_i_nomem();
        }
        int64_t e = 0;
        b->cum[0] = 0;
        for (int32_t i = 0; i < n; i++) {
            for (int32_t j = i + 1; j < n; j++) {
                if (b->s[at(b, i, j)] && b->t[at(b, i, j)] > 0) {
                    b->eu[e] = i;
                    b->ev[e] = j;
                    b->cum[e + 1] = b->cum[e] + b->t[at(b, i, j)];
                    e++;
                }
            }
        }
    }
    /* triad counts by type (each triangle i < j < k once) and the mobile links */
    memset(b->counts, 0, sizeof b->counts);
    b->nmob = 0;
    for (int32_t i = 0; i < n; i++) {
        if (cancel && *cancel) {
            return set_up_interrupted();
        }
        const int8_t *si = b->s + at(b, i, 0);
        for (int32_t j = i + 1; j < n; j++) {
            if (!si[j] || tri(b, i, j) == 0) {
                continue;
            }
            b->nmob += si[j] * b->c[at(b, i, j)] <= 0;
            const int8_t *sj = b->s + at(b, j, 0);
            int neg = si[j] < 0;
            for (int32_t k = j + 1; k < n; k++) {
                if (si[k] && sj[k]) {
                    b->counts[neg + (si[k] < 0) + (sj[k] < 0)]++;
                }
            }
        }
    }
    b->events = 0;
    return ENT_OK;
}

static ent_err_t new_complete(ent_balance_t **out, int32_t n, double rho0, ent_rng_t *rng,
                              volatile sig_atomic_t *cancel)
{
    if (n < 3 || n > ENT_BALANCE_MAX_NODES) {
        return ent_i_err(ENT_ERANGE, "a complete graph needs 3 to %d nodes, got %d", ENT_BALANCE_MAX_NODES, (int)n);
    }
    if (!(rho0 >= 0.0 && rho0 <= 1.0)) {
        return ent_i_err(ENT_ERANGE, "rho0 must be in [0, 1], got %g", rho0);
    }
    ent_balance_t *b = NULL;
    ent_err_t rc = alloc_base(&b, n);
    if (rc != ENT_OK) {
        return rc;
    }
    for (int32_t i = 0; i < n; i++) {
        for (int32_t j = i + 1; j < n; j++) {
            int8_t v = ent_rng_uniform(rng) < rho0 ? 1 : -1;
            b->s[at(b, i, j)] = b->s[at(b, j, i)] = v;
        }
    }
    if ((rc = finish(b, cancel)) != ENT_OK) {
        ent_balance_free(b);
        return rc;
    }
    *out = b;
    return ENT_OK;
}

static ent_err_t new_signed(ent_balance_t **out, const ent_signed_t *g, double fill, ent_rng_t *rng,
                            volatile sig_atomic_t *cancel)
{
    if (g->n > ENT_BALANCE_MAX_NODES) {
        return ent_i_err(ENT_ERANGE, "balance dynamics: %d nodes (at most %d)", (int)g->n, ENT_BALANCE_MAX_NODES);
    }
    if (!(fill <= 1.0) || isnan(fill)) {
        return ent_i_err(ENT_ERANGE, "fill must be in [0, 1] (or negative: no fill), got %g", fill);
    }
    ent_balance_t *b = NULL;
    ent_err_t rc = alloc_base(&b, g->n);
    if (rc != ENT_OK) {
        return rc;
    }
    for (size_t e = 0; e < g->m; e++) {
        int8_t v = g->ew[e] > 0 ? 1 : -1;
        b->s[at(b, g->eu[e], g->ev[e])] = b->s[at(b, g->ev[e], g->eu[e])] = v;
    }
    if (fill >= 0.0) {
        for (int32_t i = 0; i < g->n; i++) {
            for (int32_t j = i + 1; j < g->n; j++) {
                if (!b->s[at(b, i, j)]) {
                    int8_t v = ent_rng_uniform(rng) < fill ? 1 : -1;
                    b->s[at(b, i, j)] = b->s[at(b, j, i)] = v;
                }
            }
        }
    }
    if ((rc = finish(b, cancel)) != ENT_OK) {
        ent_balance_free(b);
        return rc;
    }
    *out = b;
    return ENT_OK;
}

ent_err_t ent_balance_new_complete(ent_balance_t **out, int32_t n, double rho0, ent_rng_t *rng)
{
    return new_complete(out, n, rho0, rng, NULL);
}

ent_err_t ent_balance_new_signed(ent_balance_t **out, const ent_signed_t *g, double fill, ent_rng_t *rng)
{
    return new_signed(out, g, fill, rng, NULL);
}

ent_err_t ent_balance_copy(ent_balance_t **out, const ent_balance_t *src)
{
    ent_balance_t *b = NULL;
    ent_err_t rc = alloc_base(&b, src->n);
    if (rc != ENT_OK) {
        return rc;
    }
    size_t nn = (size_t)src->n * (size_t)src->n, L = (size_t)src->active + 1;
    memcpy(b->s, src->s, nn);
    memcpy(b->c, src->c, nn * sizeof *b->c);
    b->complete = src->complete;
    b->links = src->links;
    b->active = src->active;
    b->nmob = src->nmob;
    b->friendly = src->friendly;
    b->triads = src->triads;
    memcpy(b->counts, src->counts, sizeof b->counts);
    b->events = src->events;
#define DUP(field, count)                                                                                              \
    do {                                                                                                               \
        if (src->field) {                                                                                              \
            b->field = ent_malloc((count) * sizeof *b->field);                                                         \
            if (!b->field) {                                                                                           \
                ent_balance_free(b);                                                                                   \
                return ent_i_nomem();                                                                                  \
            }                                                                                                          \
            memcpy(b->field, src->field, (count) * sizeof *b->field);                                                  \
        }                                                                                                              \
    } while (0)
    DUP(t, nn);
    DUP(eu, L);
    DUP(ev, L);
    DUP(cum, L);
    DUP(off, (size_t)src->n + 1);
    DUP(nbr, (size_t)(2 * src->links + 1));
#undef DUP
    *out = b;
    return ENT_OK;
}

int32_t ent_balance_nodes(const ent_balance_t *b)
{
    return b->n;
}
int64_t ent_balance_links(const ent_balance_t *b)
{
    return b->links;
}
int64_t ent_balance_active_links(const ent_balance_t *b)
{
    return b->active;
}
int64_t ent_balance_friendly(const ent_balance_t *b)
{
    return b->friendly;
}
double ent_balance_density(const ent_balance_t *b)
{
    return b->links ? (double)b->friendly / (double)b->links : NAN;
}
int64_t ent_balance_triads(const ent_balance_t *b)
{
    return b->triads;
}
int64_t ent_balance_imbalanced(const ent_balance_t *b)
{
    return b->counts[1] + b->counts[3];
}
void ent_balance_counts(const ent_balance_t *b, int64_t counts[4])
{
    memcpy(counts, b->counts, sizeof b->counts);
}
double ent_balance_time(const ent_balance_t *b)
{
    return b->active ? (double)b->events / (double)b->active : 0.0;
}
int64_t ent_balance_mobile(const ent_balance_t *b)
{
    return b->nmob;
}

int ent_balance_sign(const ent_balance_t *b, int32_t i, int32_t j)
{
    if (i < 0 || j < 0 || i >= b->n || j >= b->n) {
        return 0;
    }
    return b->s[at(b, i, j)];
}

bool ent_balance_absorbed(const ent_balance_t *b, ent_balance_rule_t rule)
{
    return rule == ENT_BALANCE_CTD ? b->nmob == 0 : ent_balance_imbalanced(b) == 0;
}

bool ent_balance_recount(const ent_balance_t *b, int64_t counts[4])
{
    int32_t n = b->n;
    bool ok = true;
    int64_t cnt[4] = {0, 0, 0, 0}, friendly = 0, links = 0, nmob = 0, active = 0;
    for (int32_t i = 0; i < n; i++) {
        for (int32_t j = i + 1; j < n; j++) {
            int8_t sij = b->s[at(b, i, j)];
            ok = ok && sij == b->s[at(b, j, i)];
            if (!sij) {
                continue;
            }
            links++;
            friendly += sij > 0;
            int32_t cc = 0, tt = 0;
            for (int32_t k = 0; k < n; k++) {
                int8_t a = b->s[at(b, i, k)], d = b->s[at(b, j, k)];
                if (a && d) {
                    cc += a * d;
                    tt++;
                    if (k > j) {
                        cnt[(sij < 0) + (a < 0) + (d < 0)]++;
                    }
                }
            }
            ok = ok && b->c[at(b, i, j)] == cc && b->c[at(b, j, i)] == cc && tri(b, i, j) == tt;
            if (tt > 0) {
                active++;
                nmob += (int64_t)sij * cc <= 0;
            }
        }
    }
    ok = ok && friendly == b->friendly && links == b->links && nmob == b->nmob && active == b->active;
    for (int k = 0; k < 4; k++) {
        ok = ok && cnt[k] == b->counts[k];
    }
    if (counts) {
        memcpy(counts, cnt, sizeof cnt);
    }
    return ok;
}

/* ---------------------------------------------------------------- one flip: O(N) */

/* c_ik += delta on link ik (in a triad): keeps the mirror and the mobile count. */
static inline void bump_c(ent_balance_t *b, int32_t i, int32_t k, int32_t sik, int32_t delta)
{
    int16_t *ci = b->c + at(b, i, k);
    int32_t before = *ci, after = before + delta;
    *ci = (int16_t)after;
    b->c[at(b, k, i)] = (int16_t)after;
    b->nmob += (int64_t)((sik * after <= 0) - (sik * before <= 0));
}

static void flip(ent_balance_t *b, int32_t i, int32_t j)
{
    int32_t n = b->n;
    int8_t *si = b->s + at(b, i, 0), *sj = b->s + at(b, j, 0);
    int32_t sold = si[j], snew = -sold, cij = b->c[at(b, i, j)];
    si[j] = sj[i] = (int8_t)snew;
    b->friendly += snew;
    b->nmob += (int64_t)((snew * cij <= 0) - (sold * cij <= 0));
    int negold = sold < 0, shift = snew < 0 ? 1 : -1;
    /*
     * Every triad ijk moves from Delta_m to Delta_(m +- 1); c_ik holds the
     * term s_ij s_jk and c_jk the term s_ij s_ik, which change by
     * (snew - sold) s_jk = 2 snew s_jk and 2 snew s_ik.
     */
    if (b->complete) {
        for (int32_t k = 0; k < n; k++) {
            int32_t a = si[k], d = sj[k];
            if (!a || !d) {
                continue; /* k = i or k = j */
            }
            int m = negold + (a < 0) + (d < 0);
            b->counts[m]--;
            b->counts[m + shift]++;
            bump_c(b, i, k, a, 2 * snew * d);
            bump_c(b, j, k, d, 2 * snew * a);
        }
        return;
    }
    /* walk the shorter adjacency list */
    int32_t x = b->off[j + 1] - b->off[j] < b->off[i + 1] - b->off[i] ? j : i;
    for (int32_t q = b->off[x]; q < b->off[x + 1]; q++) {
        int32_t k = b->nbr[q];
        int32_t a = si[k], d = sj[k];
        if (!a || !d) {
            continue;
        }
        int m = negold + (a < 0) + (d < 0);
        b->counts[m]--;
        b->counts[m + shift]++;
        bump_c(b, i, k, a, 2 * snew * d);
        bump_c(b, j, k, d, 2 * snew * a);
    }
}

/* ---------------------------------------------------------------- update events */

/* A triad drawn uniformly: nodes i, j, k. */
static void draw_triad(const ent_balance_t *b, ent_rng_t *rng, int32_t *pi, int32_t *pj, int32_t *pk)
{
    if (b->complete) {
        int32_t n = b->n;
        int32_t i = (int32_t)ent_rng_below(rng, (uint64_t)n);
        int32_t j = (int32_t)ent_rng_below(rng, (uint64_t)n - 1);
        j += j >= i;
        int32_t lo = i < j ? i : j, hi = i < j ? j : i;
        int32_t k = (int32_t)ent_rng_below(rng, (uint64_t)n - 2);
        k += k >= lo;
        k += k >= hi;
        *pi = i;
        *pj = j;
        *pk = k;
        return;
    }
    /* link e with probability t_e / 3T, then the r-th of its triads: each triad 3 * (1 / 3T) */
    uint64_t r = ent_rng_below(rng, (uint64_t)b->cum[b->active]);
    int64_t lo = 0, hi = b->active; /* the e with cum[e] <= r < cum[e+1] */
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if ((uint64_t)b->cum[mid] <= r) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    int32_t i = b->eu[lo], j = b->ev[lo];
    int64_t want = (int64_t)r - b->cum[lo];
    const int8_t *sj = b->s + at(b, j, 0);
    *pi = i;
    *pj = j;
    *pk = j; /* replaced below: t_e counts exactly these k */
    for (int32_t q = b->off[i]; q < b->off[i + 1]; q++) {
        int32_t k = b->nbr[q];
        if (sj[k] && want-- == 0) {
            *pk = k;
            return;
        }
    }
}

/* A link drawn uniformly among the L active ones. */
static void draw_link(const ent_balance_t *b, ent_rng_t *rng, int32_t *pi, int32_t *pj)
{
    if (b->complete) {
        int32_t i = (int32_t)ent_rng_below(rng, (uint64_t)b->n);
        int32_t j = (int32_t)ent_rng_below(rng, (uint64_t)b->n - 1);
        *pi = i;
        *pj = j + (j >= i);
        return;
    }
    uint64_t e = ent_rng_below(rng, (uint64_t)b->active);
    *pi = b->eu[e];
    *pj = b->ev[e];
}

/*
 * One update event; the clock advances by one event (1/L). LTD, AKR05
 * Sec. II: a random triad; in a Delta_1 the unfriendly link turns friendly
 * with probability p (Delta_1 -> Delta_0), else one of the two friendly
 * links, at random, turns unfriendly (Delta_1 -> Delta_2); in a Delta_3 one of
 * the three links, at random, turns friendly (Delta_3 -> Delta_2, with
 * probability 1); balanced triads are left alone. CTD, AKR05 Sec. III: a
 * random link flips when that lowers the number of imbalanced triads
 * (Delta_e = s_e c_e < 0), with probability 1/2 when it leaves it unchanged
 * (Delta_e = 0), never otherwise. Returns 1 when a link flipped.
 */
static int apply_event(ent_balance_t *b, const ent_balance_options_t *o, ent_rng_t *rng)
{
    b->events++;
    if (o->rule == ENT_BALANCE_CTD) {
        int32_t i, j;
        draw_link(b, rng, &i, &j);
        int32_t delta = b->s[at(b, i, j)] * b->c[at(b, i, j)];
        if (delta < 0 || (delta == 0 && ent_rng_below(rng, 2) == 0)) {
            flip(b, i, j);
            return 1;
        }
        return 0;
    }
    int32_t v[3];
    draw_triad(b, rng, &v[0], &v[1], &v[2]);
    /* link q joins v[q] and v[(q+1) % 3] */
    int8_t sg[3];
    int neg = 0;
    for (int q = 0; q < 3; q++) {
        sg[q] = b->s[at(b, v[q], v[(q + 1) % 3])];
        neg += sg[q] < 0;
    }
    int pick = -1;
    if (neg == 1) {
        if (ent_rng_uniform(rng) < o->p) {
            for (int q = 0; q < 3; q++) {
                pick = sg[q] < 0 ? q : pick;
            }
        } else {
            int r = (int)ent_rng_below(rng, 2); /* the r-th friendly link */
            for (int q = 0; q < 3; q++) {
                if (sg[q] > 0 && r-- == 0) {
                    pick = q;
                }
            }
        }
    } else if (neg == 3) {
        pick = (int)ent_rng_below(rng, 3);
    }
    if (pick < 0) {
        return 0; /* balanced: Delta_0 or Delta_2 */
    }
    flip(b, v[pick], v[(pick + 1) % 3]);
    return 1;
}

int ent_balance_step(ent_balance_t *b, const ent_balance_options_t *o, ent_rng_t *rng)
{
    if (ent_balance_absorbed(b, o->rule)) {
        return -1;
    }
    return apply_event(b, o, rng);
}

/* ---------------------------------------------------------------- camps */

bool ent_balance_split(const ent_balance_t *b, int32_t *block, int32_t *components)
{
    int32_t n = b->n, comps = 0;
    bool ok = true;
    for (int32_t i = 0; i < n; i++) {
        block[i] = -1;
    }
    for (int32_t r = 0; r < n; r++) {
        if (block[r] >= 0) {
            continue;
        }
        comps++;
        block[r] = 0;
        int32_t head = 0, tail = 0;
        b->queue[tail++] = r;
        while (head < tail) {
            int32_t u = b->queue[head++];
            const int8_t *su = b->s + at(b, u, 0);
            for (int32_t k = 0; k < n; k++) {
                if (!su[k]) {
                    continue;
                }
                int32_t want = block[u] ^ (su[k] < 0);
                if (block[k] < 0) {
                    block[k] = want;
                    b->queue[tail++] = k;
                } else if (block[k] != want) {
                    ok = false;
                }
            }
        }
    }
    if (components) {
        *components = comps;
    }
    if (!ok) {
        for (int32_t i = 0; i < n; i++) {
            block[i] = -1;
        }
    }
    return ok;
}

ent_err_t ent_balance_to_signed(ent_signed_t *g, const ent_balance_t *b, const char *const *labels)
{
    ent_err_t rc;
    char buf[24];
    for (int32_t i = 0; i < b->n; i++) {
        snprintf(buf, sizeof buf, "%d", (int)i);
        int32_t id;
        if ((rc = ent_signed_node(g, labels ? labels[i] : buf, &id, NULL)) != ENT_OK) {
            return rc;
        }
    }
    for (int32_t i = 0; i < b->n; i++) {
        for (int32_t j = i + 1; j < b->n; j++) {
            int8_t v = b->s[at(b, i, j)];
            if (v && (rc = ent_signed_edge(g, i, j, (double)v, NULL)) != ENT_OK) {
                return rc;
            }
        }
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- runs */

typedef struct {
    int64_t burn; /* burn_in in events */
    double sum_rho, sum_imb, weight;
    double dt_ev;        /* trace step in events; 0 without a trace */
    int64_t next_sample; /* index of the next trace sample */
    int64_t nsamples;
    ent_vec_t *trace;
} acc_t;

static double imb_fraction(const ent_balance_t *b)
{
    return b->triads ? (double)ent_balance_imbalanced(b) / (double)b->triads : 0.0;
}

/* The state held over events [from, to): time averages and trace samples before `to`. */
static ent_err_t account(acc_t *a, const ent_balance_t *b, int64_t from, int64_t to, bool inclusive)
{
    int64_t lo = from > a->burn ? from : a->burn;
    if (to > lo) {
        /* sums of counts (divided once at the end): cheap enough for every event */
        double w = (double)(to - lo);
        a->sum_rho += w * (double)b->friendly;
        a->sum_imb += w * (double)(b->counts[1] + b->counts[3]);
        a->weight += w;
    }
    if (a->trace) {
        while (a->next_sample < a->nsamples) {
            double at_ev = (double)a->next_sample * a->dt_ev;
            if (inclusive ? at_ev > (double)to + 1e-9 : at_ev >= (double)to - 1e-9) {
                break;
            }
            ent_balance_sample_t smp = {(double)a->next_sample * a->dt_ev / (b->active ? (double)b->active : 1.0),
                                        ent_balance_density(b), imb_fraction(b)};
            ent_err_t rc = ent_vec_push(a->trace, &smp);
            if (rc != ENT_OK) {
                return rc;
            }
            a->next_sample++;
        }
    }
    return ENT_OK;
}

ent_err_t ent_balance_run(ent_balance_run_t *res, ent_balance_t *b, const ent_balance_options_t *o, ent_rng_t *rng,
                          ent_vec_t *trace, int32_t *block)
{
    ENT_I_CHECK_OPTIONS(o, ENT_BALANCE_OPTIONS_VERSION);
    ent_err_t rc = ent_balance_options_check(o, false);
    if (rc != ENT_OK) {
        return rc;
    }
    memset(res, 0, sizeof *res);
    res->balance_time = NAN;
    double L = b->active ? (double)b->active : 1.0;
    double maxev = floor(o->max_time * L + 1e-9);
    int64_t max_events = b->events + (maxev >= 4e18 ? (int64_t)4e18 : (int64_t)maxev);
    acc_t a = {0};
    double burn = ceil(o->burn_in * L - 1e-9);
    a.burn = burn >= 4e18 ? (int64_t)4e18 : (int64_t)burn;
    if (trace && o->trace_dt > 0) {
        a.trace = trace;
        a.dt_ev = o->trace_dt * L;
        a.nsamples = (int64_t)floor(o->max_time / o->trace_dt + 1e-9) + 1;
    }
    if (ent_balance_imbalanced(b) == 0) {
        res->balance_time = ent_balance_time(b);
    }
    int64_t flips = 0;
    uint32_t tick = 0;
    for (;;) {
        if (o->cancel && (++tick & 1023u) == 0 && *o->cancel) {
            return ent_i_err(ENT_EINTERRUPTED, "balance dynamics interrupted");
        }
        if (ent_balance_absorbed(b, o->rule) || b->events + 1 > max_events) {
            break; /* absorbed, or the next event falls after max_time */
        }
        if ((rc = account(&a, b, b->events, b->events + 1, false)) != ENT_OK) {
            return rc;
        }
        if (apply_event(b, o, rng)) {
            flips++;
            if (isnan(res->balance_time) && ent_balance_imbalanced(b) == 0) {
                res->balance_time = ent_balance_time(b);
            }
        }
    }
    bool absorbed = ent_balance_absorbed(b, o->rule);
    int64_t stop = b->events;
    if (!absorbed) {
        /* the clock runs to max_time; the state held since the last event */
        if ((rc = account(&a, b, stop, max_events, true)) != ENT_OK) {
            return rc;
        }
        b->events = stop = max_events;
    } else if ((rc = account(&a, b, stop, stop, true)) != ENT_OK) {
        return rc;
    }
    if (a.trace) {
        /* after absorption nothing changes: repeat the final state up to max_time */
        acc_t rest = a;
        rest.burn = INT64_MAX;
        if ((rc = account(&rest, b, stop, max_events, true)) != ENT_OK) {
            return rc;
        }
    }
    res->time = ent_balance_time(b);
    res->imbalanced = ent_balance_imbalanced(b);
    res->balanced = res->imbalanced == 0;
    res->jammed = o->rule == ENT_BALANCE_CTD && absorbed && !res->balanced;
    res->rho = ent_balance_density(b);
    res->paradise = b->links > 0 && b->friendly == b->links;
    res->rho_avg = a.weight > 0 && b->links ? a.sum_rho / a.weight / (double)b->links : res->rho;
    res->imbalanced_avg = a.weight > 0 && b->triads ? a.sum_imb / a.weight / (double)b->triads : imb_fraction(b);
    res->flips = flips;
    int32_t *blk = block;
    if (!blk) {
        blk = ent_malloc(((size_t)b->n + 1) * sizeof *blk);
        if (!blk) {
            return ent_i_nomem();
        }
    }
    res->structural = res->balanced && ent_balance_split(b, blk, &res->components);
    if (!res->balanced) {
        /* still count the components */
        ent_balance_split(b, blk, &res->components);
        for (int32_t i = 0; i < b->n; i++) {
            blk[i] = -1;
        }
    }
    if (res->structural) {
        for (int32_t i = 0; i < b->n; i++) {
            res->camp[blk[i]]++;
        }
    }
    if (blk != block) {
        ent_free(blk);
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- ensembles */

void ent_balance_ensemble_init(ent_balance_ensemble_t *e)
{
    memset(e, 0, sizeof *e);
    ent_vec_init(&e->run, sizeof(ent_balance_run_t));
    ent_vec_init(&e->block, sizeof(int32_t));
    ent_vec_init(&e->trace, sizeof(ent_balance_sample_t));
}

void ent_balance_ensemble_destroy(ent_balance_ensemble_t *e)
{
    ent_vec_destroy(&e->run);
    ent_vec_destroy(&e->block);
    ent_vec_destroy(&e->trace);
}

static void mean_se(const double *x, size_t stride, size_t n, double *mean, double *se)
{
    double s = 0, ss = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double v = *(const double *)((const char *)x + i * stride);
        if (isnan(v)) {
            continue;
        }
        s += v;
        k++;
    }
    *mean = k ? s / (double)k : NAN;
    for (size_t i = 0; i < n; i++) {
        double v = *(const double *)((const char *)x + i * stride);
        if (!isnan(v)) {
            ss += (v - *mean) * (v - *mean);
        }
    }
    *se = k > 1 ? sqrt(ss / (double)(k - 1) / (double)k) : NAN;
}

ent_err_t ent_balance_ensemble(ent_balance_ensemble_t *e, const ent_signed_t *g, const ent_balance_options_t *o)
{
    ENT_I_CHECK_OPTIONS(o, ENT_BALANCE_OPTIONS_VERSION);
    ent_err_t rc = ent_balance_options_check(o, true);
    if (rc != ENT_OK) {
        return rc;
    }
    int32_t n = g ? g->n : o->n;
    if (!g && (n < 3 || n > ENT_BALANCE_MAX_NODES)) {
        return ent_i_err(ENT_ERANGE, "a complete graph needs 3 to %d nodes, got %d", ENT_BALANCE_MAX_NODES, (int)n);
    }
    int32_t runs = o->runs;
    ent_balance_t *base = NULL;
    int64_t *tr_friendly = NULL, *tr_imb = NULL;
    int64_t nsamples = 0;
    /* run 0's start describes the ensemble (and is the shared start without randomness) */
    {
        ent_rng_t r0;
        ent_rng_seed(&r0, o->seed, 0);
        rc = g ? new_signed(&base, g, o->fill, &r0, o->cancel) : new_complete(&base, n, o->rho0, &r0, o->cancel);
        if (rc != ENT_OK) {
            return rc;
        }
    }
    e->runs = runs;
    e->n = n;
    e->links = base->links;
    e->active_links = base->active;
    e->triads = base->triads;
    e->rho_initial = ent_balance_density(base);
    e->imbalanced_initial = ent_balance_imbalanced(base);
    bool shared_start = g && o->fill < 0;
    ENT_CHECK(ent_vec_resize(&e->run, (size_t)runs));
    ENT_CHECK(ent_vec_resize(&e->block, (size_t)runs * (size_t)n));
    if (o->trace_dt > 0) {
        nsamples = (int64_t)floor(o->max_time / o->trace_dt + 1e-9) + 1;
        tr_friendly = ent_calloc((size_t)nsamples, sizeof *tr_friendly);
        tr_imb = ent_calloc((size_t)nsamples, sizeof *tr_imb);
        if (!tr_friendly || !tr_imb) {
            rc = ent_i_nomem();
            goto done;
        }
    }
    int nthreads = 1;
#ifdef _OPENMP
    nthreads = o->threads > 0 ? o->threads : omp_get_max_threads();
#endif
    {
        /* each thread holds one network: keep the copies under ~1 GiB */
        double bytes = 5.0 * (double)n * (double)n + 1.0;
        int cap = (int)fmin(1e6, fmax(1.0, (double)(1u << 30) / bytes));
        nthreads = nthreads > cap ? cap : nthreads;
        nthreads = nthreads > runs ? runs : nthreads;
        nthreads = nthreads < 1 ? 1 : nthreads;
    }
    ent_err_t shared_rc = ENT_OK;
    char shared_msg[512] = "";
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
    for (int32_t k = 0; k < runs; k++) {
        ent_err_t lrc;
#pragma omp atomic read
        lrc = shared_rc;
        if (lrc != ENT_OK) {
            continue;
        }
        ent_rng_t rng;
        ent_rng_seed(&rng, o->seed, (uint64_t)k);
        ent_balance_t *b = NULL;
        ent_vec_t trace = ENT_VEC_INIT(ent_balance_sample_t);
        if (shared_start) {
            lrc = ent_balance_copy(&b, base);
        } else if (g) {
            lrc = new_signed(&b, g, o->fill, &rng, o->cancel);
        } else {
            lrc = new_complete(&b, n, o->rho0, &rng, o->cancel);
        }
        if (lrc == ENT_OK) {
            lrc = ent_balance_run(&ENT_VEC_AT(&e->run, ent_balance_run_t, k), b, o, &rng, tr_friendly ? &trace : NULL,
                                  (int32_t *)e->block.data + (size_t)k * (size_t)n);
        }
        if (lrc == ENT_OK && tr_friendly) {
            /* integer sums: the same totals in any order, on any number of threads */
            for (size_t q = 0; q < trace.len && (int64_t)q < nsamples; q++) {
                const ent_balance_sample_t *smp = &ENT_VEC_AT(&trace, ent_balance_sample_t, q);
                int64_t f = (int64_t)llround(smp->rho * (double)b->links);
                int64_t im = (int64_t)llround(smp->imbalanced * (double)b->triads);
#pragma omp atomic
                tr_friendly[q] += f;
#pragma omp atomic
                tr_imb[q] += im;
            }
        }
        ent_vec_destroy(&trace);
        ent_balance_free(b);
        if (lrc != ENT_OK) {
#pragma omp critical(ent_balance_ensemble_err)
            {
                if (shared_rc == ENT_OK) {
                    snprintf(shared_msg, sizeof shared_msg, "%s", ent_errmsg());
#pragma omp atomic write
                    shared_rc = lrc;
                }
            }
        }
    }
    if (shared_rc != ENT_OK) {
        rc = ent_i_err(shared_rc, "%s", shared_msg);
        goto done;
    }
    {
        const ent_balance_run_t *rr = e->run.data;
        size_t st = sizeof *rr;
        double dummy;
        mean_se(&rr[0].rho, st, (size_t)runs, &e->rho_final, &e->rho_final_se);
        mean_se(&rr[0].rho_avg, st, (size_t)runs, &e->rho_avg, &e->rho_avg_se);
        mean_se(&rr[0].imbalanced_avg, st, (size_t)runs, &e->imbalanced_avg, &dummy);
        mean_se(&rr[0].balance_time, st, (size_t)runs, &e->balance_time, &e->balance_time_se);
        int64_t nb = 0, ns = 0, np = 0, nj = 0;
        for (int32_t k = 0; k < runs; k++) {
            nb += rr[k].balanced;
            ns += rr[k].structural;
            np += rr[k].paradise;
            nj += rr[k].jammed;
        }
        e->balanced = (double)nb / runs;
        e->structural = (double)ns / runs;
        e->paradise = (double)np / runs;
        e->jammed = (double)nj / runs;
    }
    if (tr_friendly) {
        ENT_CHECK(ent_vec_resize(&e->trace, (size_t)nsamples));
        for (int64_t q = 0; q < nsamples; q++) {
            ent_balance_sample_t *smp = &ENT_VEC_AT(&e->trace, ent_balance_sample_t, q);
            smp->time = (double)q * o->trace_dt;
            smp->rho = e->links ? (double)tr_friendly[q] / ((double)e->links * runs) : NAN;
            smp->imbalanced = e->triads ? (double)tr_imb[q] / ((double)e->triads * runs) : 0.0;
        }
    }
done:
    ent_free(tr_friendly);
    ent_free(tr_imb);
    ent_balance_free(base);
    return rc;
}

/* ---------------------------------------------------------------- mean field */

double ent_balance_ltd_stationary(double p)
{
    return p < 0.5 ? 1.0 / (sqrt(3.0 * (1.0 - 2.0 * p)) + 1.0) : 1.0;
}

/* The LTD rate equations (see balance.h), n[0..3] the triad densities. */
static void rates(double *dn, const double *n, double p)
{
    double rho = n[0] + 2.0 * n[1] / 3.0 + n[2] / 3.0;
    double pip = p * n[1] + n[3], pim = (1.0 - p) * n[1];
    /* npl[k + 1] = n_k^+ (npl[0] = 0: there is no Delta_-1), nmi[k] = n_k^- (nmi[4] = 0) */
    double npl[5] = {0}, nmi[5] = {0};
    for (int k = 0; k < 4; k++) {
        npl[k + 1] = rho > 1e-300 ? (3 - k) * n[k] / (3.0 * rho) : 0.0;
        nmi[k] = 1.0 - rho > 1e-300 ? k * n[k] / (3.0 * (1.0 - rho)) : 0.0;
    }
    for (int k = 0; k < 4; k++) {
        dn[k] = 3.0 * (pim * (npl[k] - npl[k + 1]) + pip * (nmi[k + 1] - nmi[k]));
    }
}

void ent_balance_ltd_mean_field(double *rho, const double *times, size_t nt, double p, double rho0, double h)
{
    if (!(h > 0)) {
        h = 1e-3;
    }
    double q = 1.0 - rho0;
    double n[4] = {rho0 * rho0 * rho0, 3 * rho0 * rho0 * q, 3 * rho0 * q * q, q * q * q};
    double t = 0;
    for (size_t i = 0; i < nt; i++) {
        while (t < times[i] - 1e-12) {
            double step = fmin(h, times[i] - t);
            double k1[4], k2[4], k3[4], k4[4], y[4];
            rates(k1, n, p);
            for (int k = 0; k < 4; k++) {
                y[k] = n[k] + 0.5 * step * k1[k];
            }
            rates(k2, y, p);
            for (int k = 0; k < 4; k++) {
                y[k] = n[k] + 0.5 * step * k2[k];
            }
            rates(k3, y, p);
            for (int k = 0; k < 4; k++) {
                y[k] = n[k] + step * k3[k];
            }
            rates(k4, y, p);
            for (int k = 0; k < 4; k++) {
                n[k] += step / 6.0 * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]);
                n[k] = n[k] < 0 ? 0 : n[k];
            }
            t += step;
        }
        rho[i] = n[0] + 2.0 * n[1] / 3.0 + n[2] / 3.0;
    }
}

/* ---------------------------------------------------------------- the shipped world as a signed graph */

ent_err_t ent_balance_world_graph(ent_signed_t *g, ent_balance_world_stats_t *stats, const ent_world_t *w,
                                  ent_date_t date, int min_tier)
{
    ent_balance_world_stats_t st = {0};
    size_t ns = ent_world_nstates(w);
    if (ns > (size_t)ENT_BALANCE_MAX_NODES) {
        return ent_i_err(ENT_ERANGE, "the world has %zu states (at most %d)", ns, ENT_BALANCE_MAX_NODES);
    }
    ent_signed_spec_t s = ent_signed_spec_balance(min_tier);
    ent_dyads_t d;
    ent_dyads_init(&d);
    ent_err_t rc = ent_dyads_build(&d, w, date);
    if (rc == ENT_OK) {
        for (size_t k = 0; k < d.dyads.len; k++) {
            const ent_dyad_t *x = &ENT_VEC_AT(&d.dyads, ent_dyad_t, k);
            ent_dyad_terms_t t;
            ent_dyad_terms(&t, x, d.max_tier, &s);
            st.pacts += t.pact > 0;
            st.partnerships += t.partnership > 0;
            st.rivalries += t.rivalry > 0;
            st.coercion += t.coercion > 0;
            st.conflicts += (t.pact > 0 || t.partnership > 0) && (t.rivalry > 0 || t.coercion > 0);
        }
        rc = ent_signed_from_dyads(g, NULL, &d, w, &s);
        if (rc == ENT_ERANGE) {
            rc = ENT_OK; /* no tie in force: an empty graph, as before the data */
        }
    }
    ent_dyads_destroy(&d);
    if (rc == ENT_OK && stats) {
        *stats = st;
    }
    return rc;
}
