/*
 * alignment.c -- the alignment model: the essay's dynamics, one year at a time.
 *
 * Two poles (default the US and China) and every other state of the shipped
 * world. Each year: capabilities drift; threat (power x proximity x
 * hostility, plus encirclement by the rival's bloc and the spiral of the
 * rival's tightening) is felt; each pole's alliance-aversion norm erodes under
 * threat and ambition and recovers without them; each pole weighs a defence
 * pact with every state aligned with it (deterrence + operational value -
 * entanglement - unreliability - norm); every other state picks, by random
 * utility, between aligning with a pole, hedging, and Finlandization toward a
 * near, threatening pole. docs/models/alignment.md gives the equations with
 * every parameter's default, range and reason.
 *
 * The model (ent_model_t) is built once and read by every run; a run owns
 * only its scratch arrays, so runs are independent and thread-safe.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "entente/sim.h"
#include "entente/system.h"
#include "models_int.h"
#include "util_int.h"

/* Contested theatres: where a partner's location has operational value. */
typedef struct {
    const char *name;
    double lat, lon;
    double weight[ENT_SIM_NPOLES]; /* relevance to poles[0] (the US) and poles[1] (China) */
} theatre_t;

/* The essay's theatres (Taiwan Strait, South China Sea, Korean Peninsula) and the US's others. */
static const theatre_t theatres[] = {
    {"Taiwan Strait", 24.5, 119.5, {1.0, 1.0}},    {"South China Sea", 12.0, 114.0, {0.8, 0.8}},
    {"Korean Peninsula", 38.0, 127.0, {0.8, 0.6}}, {"Europe (Baltic)", 55.0, 22.0, {0.7, 0.1}},
    {"Persian Gulf", 26.5, 52.0, {0.5, 0.3}},
};
#define NTHEATRES (sizeof theatres / sizeof theatres[0])

struct ent_model {
    ent_scenario_t s;
    size_t n;
    int64_t *world_index; /* [n] */
    size_t pole[ENT_SIM_NPOLES];
    double *cinc0;                    /* [n] normalised shares */
    double *prox;                     /* [n*n] exp(-d/scale) */
    double *prox_presence;            /* [n*n] exp(-2d/scale): power projected from a base abroad */
    double *dist;                     /* [n*n] km */
    double *host0;                    /* [n*n] base-year hostility 0..1 */
    double *democracy;                /* [n] 0..1 */
    double *trade[ENT_SIM_NPOLES];    /* [n] share of trade with each pole */
    double *partner0[ENT_SIM_NPOLES]; /* [n] 0..1 prior partnership level with each pole */
    double *op[ENT_SIM_NPOLES];       /* [n] operational value to each pole */
    unsigned char *pact0;             /* [n] bit p: defence pact with pole p in the base year */
    unsigned char *align0;            /* [n] ent_align_t */
    double *static_pos;               /* [n*n] 1 where a non-pole defence pact joins i and j (kept fixed) */
    double *ideal;                    /* [n] UN ideal point (Bailey, Strezhnev & Voeten); NaN when unknown */
    /* Reach of j's power at i (ent_model_reach): [j*n+i]. For a pole, without the allied territory of
     * its pacts with the states, which change in a run (run_state_t.reach adds them each year). */
    double *reach;                       /* [n*n] */
    unsigned char *projects;             /* [n] 1: the state projects power (a pole, or a base abroad) */
    double *pole_reach0[ENT_SIM_NPOLES]; /* [n] a pole's reach in the base year, its pacts' territory included */
    double threat0[ENT_SIM_NPOLES];
    double index0[ENT_SIM_NPOLES]; /* log(1 + threat0 / threat_reference) */
    char pole_code[ENT_SIM_NPOLES][8];
    double growth[ENT_SIM_NPOLES + 1]; /* poles, then others */
    double *growth_i;                  /* [n] per-state drift */
    int16_t to_model[1000];            /* model index by COW code, -1 when absent */
    size_t npos;                       /* non-pole defence-pact dyads (fixed) */
    size_t *pos_a, *pos_b;
};

size_t ent_model_nstates(const ent_model_t *m)
{
    return m->n;
}
int64_t ent_model_state(const ent_model_t *m, size_t i)
{
    return m->world_index[i];
}
size_t ent_model_pole_state(const ent_model_t *m, int pole)
{
    return m->pole[pole];
}
ent_align_t ent_model_initial_alignment(const ent_model_t *m, size_t i)
{
    return (ent_align_t)m->align0[i];
}

void ent_model_free(ent_model_t *m)
{
    if (!m) {
        return;
    }
    ent_free(m->world_index);
    ent_free(m->cinc0);
    ent_free(m->prox);
    ent_free(m->prox_presence);
    ent_free(m->dist);
    ent_free(m->host0);
    ent_free(m->democracy);
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        ent_free(m->trade[p]);
        ent_free(m->partner0[p]);
        ent_free(m->op[p]);
        ent_free(m->pole_reach0[p]);
    }
    ent_free(m->pact0);
    ent_free(m->align0);
    ent_free(m->static_pos);
    ent_free(m->ideal);
    ent_free(m->reach);
    ent_free(m->projects);
    ent_free(m->growth_i);
    ent_free(m->pos_a);
    ent_free(m->pos_b);
    ent_free(m);
}

static double haversine_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0, d2r = M_PI / 180.0;
    double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
    double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(fmin(1.0, sqrt(a)));
}

static double clamp01(double x)
{
    return x < 0 ? 0 : (x > 1 ? 1 : x);
}

/* The reach of j's power at i: from the model, except for a pole's, which the run keeps current
 * (`pole_reach[p]`, the allied territory of the pole's pacts in force added); NULL = the base year's. */
static double reach_of(const ent_model_t *m, const double *const *pole_reach, size_t j, size_t i)
{
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        if (j == m->pole[p] && pole_reach) {
            return pole_reach[p][i];
        }
    }
    return m->reach[j * m->n + i];
}

/* Threat felt by pole p: direct threat (capability x reach x hostility) plus the rival bloc's capability
 * near it, amplified by the rival's tightening. */
static double pole_threat(const ent_model_t *m, const double *const *pole_reach, int p, const double *c,
                          const double *host, const unsigned char *align, const ent_levers_t *lev)
{
    size_t n = m->n, pi = m->pole[p];
    int q = 1 - p;
    double direct = 0, enc = 0;
    for (size_t j = 0; j < n; j++) {
        if (j == pi) {
            continue;
        }
        double pr = m->prox[pi * n + j];
        if (host[pi * n + j] > 0) {
            direct += c[j] * reach_of(m, pole_reach, j, pi) * host[pi * n + j];
        }
        if (align[j] == ENT_ALIGN_POLE0 + q) {
            enc += c[j] * pr;
        }
    }
    /* encirclement: the rival bloc's capability near the pole, amplified by the rival's tightening */
    return direct + m->s.encirclement * enc * (1.0 + m->s.spiral * lev[q].tightening);
}

/* A pole's reach this year: the model's (capital, bases) and, at half weight, the territory of the
 * states it has a defence pact with (bit p of `pact`). */
static void pole_reach_update(const ent_model_t *m, double *out, int p, const unsigned char *pact)
{
    size_t n = m->n, pi = m->pole[p];
    memcpy(out, &m->reach[pi * n], n * sizeof *out);
    double wk = 0.5 * m->s.presence_weight;
    if (wk <= 0) {
        return;
    }
    for (size_t k = 0; k < n; k++) {
        if (!((pact[k] >> p) & 1) || k == pi) {
            continue;
        }
        const double *pk = &m->prox_presence[k * n];
        for (size_t i = 0; i < n; i++) {
            double f = wk * (i == k ? 1.0 : pk[i]);
            if (i != pi && f > out[i]) {
                out[i] = f;
            }
        }
    }
}

ent_err_t ent_model_new(ent_model_t **out, const ent_world_t *w, const ent_scenario_t *s)
{
    *out = NULL;
    ent_model_t *m = ent_calloc(1, sizeof *m);
    if (!m) {
        return ent_i_nomem();
    }
    m->s = *s;
    /* canonical pole order: the random streams are drawn pole by pole (issue 12: a scenario listing
     * its poles in another order must give the same per-state results) */
    ent_scenario_order_poles(&m->s);
    s = &m->s;
    ent_err_t rc = ENT_OK;
    unsigned char *de_facto = NULL;
    double *presence = NULL;
    ent_date_t base = s->start_year * 10000 + 1231;
    size_t nw = ent_world_nstates(w), n = 0;
    m->world_index = ent_malloc((nw ? nw : 1) * sizeof *m->world_index);
    if (!m->world_index) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = 0; i < nw; i++) {
        if (ent_world_alive(w, i, base)) {
            m->world_index[n++] = (int64_t)i;
        }
    }
    m->n = n;
    if (n < 3) {
        rc = ent_i_err(ENT_EINVAL, "the world has %zu states alive in %d: too few to simulate", n, s->start_year);
        goto done;
    }
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        m->pole[p] = SIZE_MAX;
        for (size_t i = 0; i < n; i++) {
            if (ent_world_state(w, (size_t)m->world_index[i])->ccode == s->poles[p]) {
                m->pole[p] = i;
            }
        }
        if (m->pole[p] == SIZE_MAX) {
            rc = ent_i_err(ENT_EINVAL, "pole %d (COW %d) is not a state of the world in %d", p, s->poles[p],
                           s->start_year);
            goto done;
        }
    }
    if (m->pole[0] == m->pole[1]) {
        rc = ent_i_err(ENT_EINVAL, "the two poles must differ");
        goto done;
    }
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        snprintf(m->pole_code[p], sizeof m->pole_code[p], "%s",
                 ent_world_state(w, (size_t)m->world_index[m->pole[p]])->abbr);
    }
#define ALLOC(ptr, cnt)                                                                                                \
    do {                                                                                                               \
        if (!((ptr) = ent_calloc((cnt), sizeof *(ptr)))) {                                                             \
            rc = ent_i_nomem();                                                                                        \
            goto done;                                                                                                 \
        }                                                                                                              \
    } while (0)
    ALLOC(m->cinc0, n);
    ALLOC(m->prox, n * n);
    ALLOC(m->prox_presence, n * n);
    ALLOC(m->dist, n * n);
    ALLOC(m->host0, n * n);
    ALLOC(m->democracy, n);
    ALLOC(m->pact0, n);
    ALLOC(m->align0, n);
    ALLOC(m->static_pos, n * n);
    ALLOC(m->growth_i, n);
    ALLOC(m->ideal, n);
    ALLOC(m->reach, n * n);
    ALLOC(m->projects, n);
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        ALLOC(m->trade[p], n);
        ALLOC(m->partner0[p], n);
        ALLOC(m->op[p], n);
        ALLOC(m->pole_reach0[p], n);
    }
#undef ALLOC

    /* capabilities: the latest CINC; states without one get the smallest observed share */
    double total = 0, minc = 1;
    for (size_t i = 0; i < n; i++) {
        double c = ent_world_cinc_near(w, (size_t)m->world_index[i], s->start_year, 10, 0);
        m->cinc0[i] = c;
        if (!isnan(c) && c > 0 && c < minc) {
            minc = c;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (isnan(m->cinc0[i]) || m->cinc0[i] <= 0) {
            m->cinc0[i] = minc;
        }
        total += m->cinc0[i];
    }
    for (size_t i = 0; i < n; i++) {
        m->cinc0[i] /= total;
    }

    /* geography; regime; trade (a missing trade share counts as 0.1, stated in docs/models/alignment.md) */
    double dem_sum = 0;
    size_t dem_n = 0;
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *a = ent_world_state(w, (size_t)m->world_index[i]);
        if (!isnan(a->democracy)) {
            dem_sum += a->democracy;
            dem_n++;
        }
        for (size_t j = 0; j < n; j++) {
            const ent_state_t *b = ent_world_state(w, (size_t)m->world_index[j]);
            double d = (i == j || isnan(a->cap_lat) || isnan(b->cap_lat))
                           ? (i == j ? 0 : 10000)
                           : haversine_km(a->cap_lat, a->cap_lon, b->cap_lat, b->cap_lon);
            m->dist[i * n + j] = d;
            m->prox[i * n + j] = i == j ? 0 : exp(-d / s->distance_scale_km);
            /* a base or an ally's territory carries a state's power over half the radius its homeland
             * does: a garrison supports operations nearby, not the whole force (Boulding's gradient,
             * steeper away from home) */
            m->prox_presence[i * n + j] = i == j ? 0 : exp(-2 * d / s->distance_scale_km);
        }
    }
    double dem_mean = dem_n ? dem_sum / (double)dem_n : 0.5;
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *a = ent_world_state(w, (size_t)m->world_index[i]);
        m->democracy[i] = isnan(a->democracy) ? dem_mean : a->democracy;
        m->ideal[i] = a->unga_ideal; /* NaN when the state cast no UN votes in the session */
        double tc = a->trade_share_chn, tu = a->trade_share_usa;
        /* The trade column names China and the US: map them onto the poles when the poles are those two. */
        for (int p = 0; p < ENT_SIM_NPOLES; p++) {
            double v = s->poles[p] == 710 ? tc : (s->poles[p] == 2 ? tu : NAN);
            m->trade[p][i] = isnan(v) ? 0.1 : v;
        }
        for (int p = 0; p < ENT_SIM_NPOLES; p++) {
            if (i == m->pole[p]) {
                m->trade[p][i] = 0;
            }
            double best = 0;
            for (size_t t = 0; t < NTHEATRES; t++) {
                double pr =
                    exp(-haversine_km(a->cap_lat, a->cap_lon, theatres[t].lat, theatres[t].lon) / s->distance_scale_km);
                if (!isnan(pr) && theatres[t].weight[p] * pr > best) {
                    best = theatres[t].weight[p] * pr;
                }
            }
            m->op[p][i] = best;
        }
    }

    /* ties in force at the base date */
    int max_tier = ent_world_max_tier(w);
    de_facto = ent_calloc(n, 1); /* bit p: a de facto alignment with pole p */
    presence = ent_calloc(n * n, sizeof *presence);
    if (!de_facto || !presence) {
        rc = ent_i_nomem();
        goto done;
    }
    int16_t *to_model = m->to_model;
    for (int c = 0; c < 1000; c++) {
        to_model[c] = -1;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t c = ent_world_state(w, (size_t)m->world_index[i])->ccode;
        if (c > 0 && c < 1000) { /* worlds hold COW codes 1..999 (both loaders enforce it) */
            to_model[c] = (int16_t)i;
        }
    }
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (!ent_tie_active(t, base)) {
            continue;
        }
        int ia = to_model[ent_world_state(w, (size_t)t->a)->ccode],
            ib = to_model[ent_world_state(w, (size_t)t->b)->ccode];
        if (ia < 0 || ib < 0 || ia == ib) {
            continue;
        }
        size_t a = (size_t)ia, b = (size_t)ib;
        switch (t->kind) {
        case ENT_TIE_RIVALRY: {
            double h = clamp01(t->level);
            if (h > m->host0[a * n + b]) {
                m->host0[a * n + b] = m->host0[b * n + a] = h;
            }
            break;
        }
        case ENT_TIE_COERCION:
            /* coercion sours relations both ways, less than a rivalry */
            m->host0[a * n + b] = m->host0[b * n + a] = fmax(m->host0[a * n + b], 0.2);
            break;
        case ENT_TIE_PACT:
            if ((t->obligations & ENT_OBL_DEFENSE) && !t->dormant) { /* a dormant treaty sets no alignment */
                for (int p = 0; p < ENT_SIM_NPOLES; p++) {
                    if (a == m->pole[p] && b != m->pole[1 - p]) {
                        m->pact0[b] |= (unsigned char)(1u << p);
                    } else if (b == m->pole[p] && a != m->pole[1 - p]) {
                        m->pact0[a] |= (unsigned char)(1u << p);
                    }
                }
                if (a != m->pole[0] && a != m->pole[1] && b != m->pole[0] && b != m->pole[1]) {
                    m->static_pos[a * n + b] = m->static_pos[b * n + a] = 1;
                }
            }
            break;
        case ENT_TIE_PARTNERSHIP:
            for (int p = 0; p < ENT_SIM_NPOLES; p++) {
                if (a == m->pole[p] && max_tier > 0) {
                    m->partner0[p][b] = fmax(m->partner0[p][b], t->level / max_tier);
                    if ((int)t->level == max_tier) {
                        de_facto[b] |= (unsigned char)(1u << p);
                    }
                }
            }
            break;
        case ENT_TIE_SECURITY:
            if (t->subtype && strcmp(t->subtype, "basing") == 0) {
                /* a's forces on b's territory: presence, by intensity (1 access/rotational, 2 a base,
                 * 3 a major garrison); `presence` is indexed [deployer * n + host] */
                double wb = t->level >= 3 ? 1.0 : (t->level >= 2 ? 0.75 : 0.5);
                presence[a * n + b] = fmax(presence[a * n + b], wb);
                m->projects[a] = 1;
            }
            for (int p = 0; p < ENT_SIM_NPOLES; p++) {
                if (a == m->pole[p] || b == m->pole[p]) {
                    size_t o = a == m->pole[p] ? b : a;
                    m->partner0[p][o] = fmax(m->partner0[p][o], 0.15 * t->level);
                    if (a == m->pole[p] && t->level >= 3 && t->subtype &&
                        (strcmp(t->subtype, "arms") == 0 || strcmp(t->subtype, "basing") == 0)) {
                        de_facto[b] |= (unsigned char)(1u << p);
                    }
                }
            }
            break;
        default: break;
        }
    }
    /* Shared organisations with a pole count as partnership: a security grouping or alliance
     * (NATO, Quad, AUKUS, CSTO) like a high tier, a cooperation forum (SCO, FOCAC) like a low one.
     * This gives the poles comparable partnership networks: the data list China's ladder only. */
    for (size_t g = 0; g < ent_world_nmemberships(w); g++) {
        const ent_membership_t *ms = ent_world_membership(w, g);
        if (ms->joined > base || ms->left < base || strcmp(ms->role, "member") != 0) {
            continue;
        }
        int ia = to_model[ent_world_state(w, (size_t)ms->state)->ccode];
        const char *kind = ent_world_org(w, (size_t)ms->org)->kind;
        double level = strcmp(kind, "collective_defense") == 0 || strcmp(kind, "security_grouping") == 0 ? 0.75 : 0.25;
        for (int p = 0; p < ENT_SIM_NPOLES && ia >= 0; p++) {
            bool pole_in = false;
            for (size_t h = 0; h < ent_world_nmemberships(w); h++) {
                const ent_membership_t *mp = ent_world_membership(w, h);
                pole_in |= mp->org == ms->org &&
                           to_model[ent_world_state(w, (size_t)mp->state)->ccode] == (int)m->pole[p] &&
                           mp->joined <= base && base <= mp->left && strcmp(mp->role, "member") == 0;
            }
            if (pole_in && (size_t)ia != m->pole[p]) {
                m->partner0[p][ia] = fmax(m->partner0[p][ia], level);
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (int p = 0; p < ENT_SIM_NPOLES; p++) {
            if (m->pact0[i] & (1u << p)) {
                m->partner0[p][i] = 1.0;
            }
        }
        /* Initial alignment (docs/models/alignment.md): a defence pact with one pole, or else a
         * de facto alignment -- the pole's top partnership tier, or major arms supply or basing
         * (intensity 3) from one pole only -- aligns a state with that pole; the rest hedge. */
        if (i == m->pole[0] || i == m->pole[1]) {
            m->align0[i] = ENT_ALIGN_POLE;
        } else if (m->pact0[i] == 1 || m->pact0[i] == 2) {
            m->align0[i] = (unsigned char)(m->pact0[i] == 1 ? ENT_ALIGN_POLE0 : ENT_ALIGN_POLE1);
        } else if (m->pact0[i] == 0 && (de_facto[i] == 1 || de_facto[i] == 2)) {
            m->align0[i] = (unsigned char)(de_facto[i] == 1 ? ENT_ALIGN_POLE0 : ENT_ALIGN_POLE1);
        } else {
            m->align0[i] = ENT_ALIGN_HEDGE;
        }
        m->growth_i[i] = s->growth_other;
    }
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        m->growth_i[m->pole[p]] = s->growth[p];
    }
    for (size_t k = 0; k < s->ngrowth_override; k++) {
        int c = s->growth_override[k].ccode;
        if (c >= 0 && c < 1000 && to_model[c] >= 0) {
            m->growth_i[to_model[c]] = s->growth_override[k].value;
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            m->npos += m->static_pos[i * n + j] > 0;
        }
    }
    m->pos_a = ent_calloc(m->npos + 1, sizeof *m->pos_a);
    m->pos_b = ent_calloc(m->npos + 1, sizeof *m->pos_b);
    if (!m->pos_a || !m->pos_b) {
        rc = ent_i_nomem();
        goto done;
    }
    m->npos = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (m->static_pos[i * n + j] > 0) {
                m->pos_a[m->npos] = i;
                m->pos_b[m->npos++] = j;
            }
        }
    }
    /* Reach (issue 12): a state's power is felt from its capital and from wherever it is present --
     * its bases and deployments, and, for a state that projects power (a pole, or one with a base
     * abroad), its allies' territory at half weight. Allied territory of non-pole pacts is fixed; a
     * pole's pacts change in a run, which adds them each year (pole_reach_update). */
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        m->projects[m->pole[p]] = 1;
    }
    for (size_t j = 0; j < n; j++) {
        if (!m->projects[j]) {
            continue;
        }
        for (size_t k = 0; k < n; k++) {
            if (m->static_pos[j * n + k] > 0) {
                presence[j * n + k] = fmax(presence[j * n + k], 0.5);
            }
        }
    }
    for (size_t j = 0; j < n; j++) {
        double *rj = &m->reach[j * n];
        for (size_t i = 0; i < n; i++) {
            rj[i] = m->prox[j * n + i];
        }
        for (size_t k = 0; k < n && s->presence_weight > 0; k++) {
            double wk = presence[j * n + k] * s->presence_weight;
            if (wk <= 0) {
                continue;
            }
            for (size_t i = 0; i < n; i++) {
                double f = i == k ? 1.0 : m->prox_presence[k * n + i];
                if (i != j && wk * f > rj[i]) {
                    rj[i] = wk * f;
                }
            }
        }
    }
    /* The base-year threat, with no tightening by either side, so a scenario's tightening shows
     * up as a rise in the rival's threat from the first year: the spiral. No pole divides by its
     * own base threat (issue 12: a US base threat near zero made any Caribbean state leaning toward
     * China a 10-110% rise): the index is log(1 + T / T_ref) with one fixed reference. */
    ent_levers_t neutral[ENT_SIM_NPOLES];
    memset(neutral, 0, sizeof neutral);
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        pole_reach_update(m, m->pole_reach0[p], p, m->pact0);
    }
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        m->threat0[p] =
            pole_threat(m, (const double *const *)m->pole_reach0, p, m->cinc0, m->host0, m->align0, neutral);
        m->index0[p] = log1p(m->threat0[p] / s->threat_reference);
    }
done:
    ent_free(de_facto);
    ent_free(presence);
    if (rc != ENT_OK) {
        ent_model_free(m);
        return rc;
    }
    *out = m;
    return ENT_OK;
}

/* Finlandization toward pole p is open to state i only in the shadow of a near pole that threatens it
 * (from_p > 0), when the other pole's bloc is less present at i than p is: bloc capability times its
 * reach, so US forces in Japan, Korea and the Philippines count there, not in Washington. */
static bool finland_allowed(const ent_model_t *m, size_t i, int p, double from_p, const double *pole_cap, double c_p,
                            const double *const *preach)
{
    int q = 1 - p;
    return m->dist[i * m->n + m->pole[p]] <= m->s.finland_distance_km && from_p > 0 &&
           pole_cap[q] * preach[q][i] < c_p * preach[p][i];
}

double ent_model_reach(const ent_model_t *m, size_t j, size_t i)
{
    if (i >= m->n || j >= m->n) {
        return NAN;
    }
    return reach_of(m, (const double *const *)m->pole_reach0, j, i);
}

bool ent_model_finland_allowed(const ent_model_t *m, size_t i, int p)
{
    size_t n = m->n, pi = m->pole[p];
    if (i >= n || p < 0 || p >= ENT_SIM_NPOLES || i == m->pole[0] || i == m->pole[1]) {
        return false;
    }
    double pole_cap[ENT_SIM_NPOLES] = {0, 0};
    for (size_t j = 0; j < n; j++) {
        for (int k = 0; k < ENT_SIM_NPOLES; k++) {
            if (j == m->pole[k] || ((m->pact0[j] >> k) & 1)) {
                pole_cap[k] += m->cinc0[j];
            }
        }
    }
    double from_p = m->cinc0[pi] * m->pole_reach0[p][i] * m->host0[i * n + pi];
    return finland_allowed(m, i, p, from_p, pole_cap, m->cinc0[pi], (const double *const *)m->pole_reach0);
}

double ent_model_threat0(const ent_model_t *m, int pole, double *index)
{
    if (index) {
        *index = m->index0[pole];
    }
    return m->threat0[pole];
}

const char *ent_model_pole_code(const ent_model_t *m, int pole)
{
    return pole >= 0 && pole < ENT_SIM_NPOLES ? m->pole_code[pole] : "?";
}

/* ------------------------------------------------------------------ one run */

ent_err_t ent_run_trace_init(ent_run_trace_t *t, const ent_model_t *m)
{
    memset(t, 0, sizeof *t);
    t->years = m->s.years + 1;
    t->nstates = m->n;
    t->series = ent_calloc((size_t)t->years, sizeof *t->series);
    t->align = ent_calloc((size_t)t->years * m->n, 1);
    t->pact = ent_calloc((size_t)t->years * m->n, 1);
    if (!t->series || !t->align || !t->pact) {
        ent_run_trace_destroy(t);
        return ent_i_nomem();
    }
    return ENT_OK;
}

void ent_run_trace_destroy(ent_run_trace_t *t)
{
    ent_free(t->series);
    ent_free(t->align);
    ent_free(t->pact);
    memset(t, 0, sizeof *t);
}

/* Applies the hostility of the shocks active in `year` on top of the base matrix. */
static void apply_shocks(const ent_model_t *m, double *host, int year)
{
    const int16_t *to_model = m->to_model;
    size_t n = m->n;
    memcpy(host, m->host0, n * n * sizeof *host);
    for (size_t k = 0; k < m->s.nshocks; k++) {
        const ent_shock_t *sh = &m->s.shocks[k];
        if (year < sh->year || year >= sh->year + sh->duration) {
            continue;
        }
        int a = sh->a > 0 && sh->a < 1000 ? to_model[sh->a] : -1, b = sh->b > 0 && sh->b < 1000 ? to_model[sh->b] : -1;
        if (a < 0 || b < 0) {
            continue;
        }
        if (sh->kind == ENT_SHOCK_CRISIS) {
            double h = clamp01(host[(size_t)a * n + (size_t)b] + sh->magnitude);
            host[(size_t)a * n + (size_t)b] = host[(size_t)b * n + (size_t)a] = h;
        } else if (sh->kind == ENT_SHOCK_WAR) {
            host[(size_t)a * n + (size_t)b] = host[(size_t)b * n + (size_t)a] = 1.0;
            /* a war sours the belligerents' relations with each other's close partners */
            for (size_t j = 0; j < n; j++) {
                if (m->static_pos[(size_t)b * n + j] > 0 && j != (size_t)a) {
                    host[(size_t)a * n + j] = host[j * n + (size_t)a] = fmax(host[(size_t)a * n + j], 0.5);
                }
                if (m->static_pos[(size_t)a * n + j] > 0 && j != (size_t)b) {
                    host[(size_t)b * n + j] = host[j * n + (size_t)b] = fmax(host[(size_t)b * n + j], 0.5);
                }
            }
        }
    }
}

/* True when a crisis or war changes hostility in `year`. */
static bool hostility_shocked(const ent_model_t *m, int year)
{
    for (size_t k = 0; k < m->s.nshocks; k++) {
        const ent_shock_t *sh = &m->s.shocks[k];
        if ((sh->kind == ENT_SHOCK_CRISIS || sh->kind == ENT_SHOCK_WAR) && year >= sh->year &&
            year < sh->year + sh->duration) {
            return true;
        }
    }
    return false;
}

typedef struct {
    double *c;    /* capability shares */
    double *host; /* hostility this year */
    double *partner[ENT_SIM_NPOLES];
    double *tradecut[ENT_SIM_NPOLES]; /* sanctions: fraction of trade with the pole lost this year */
    unsigned char *align;
    unsigned char *align_prev; /* last year's alignments, which this year's choices see */
    unsigned char *pact;       /* bit p */
    unsigned char *neg_years[ENT_SIM_NPOLES];
    double *pact_taste[ENT_SIM_NPOLES]; /* run-level noise of each pole's pact utility, per state */
    double *bloc_cap;                   /* scratch */
    /* Hostility is sparse (a few dozen rivalries and coercion episodes among ~190 states): the
     * threat sums run over these lists, rebuilt only in years when shocks change the matrix. */
    size_t *adj_start;              /* [n + 1] */
    int32_t *adj_j;                 /* neighbours */
    double *adj_ph;                 /* prox * hostility */
    double *adj_h;                  /* hostility */
    double *preach[ENT_SIM_NPOLES]; /* each pole's reach this year (pole_reach_update) */
    int formed[ENT_SIM_NPOLES];     /* new defence pacts each pole has formed in the run */
} run_state_t;

static void run_state_free(run_state_t *r)
{
    ent_free(r->c);
    ent_free(r->host);
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        ent_free(r->partner[p]);
        ent_free(r->tradecut[p]);
        ent_free(r->neg_years[p]);
        ent_free(r->pact_taste[p]);
        ent_free(r->preach[p]);
    }
    ent_free(r->align);
    ent_free(r->align_prev);
    ent_free(r->pact);
    ent_free(r->bloc_cap);
    ent_free(r->adj_start);
    ent_free(r->adj_j);
    ent_free(r->adj_ph);
    ent_free(r->adj_h);
}

/* Rebuilds the sparse hostility lists from the dense matrix. */
static void build_adj(run_state_t *r, const ent_model_t *m)
{
    size_t n = m->n, k = 0;
    for (size_t i = 0; i < n; i++) {
        r->adj_start[i] = k;
        const double *h = &r->host[i * n];
        for (size_t j = 0; j < n; j++) {
            if (h[j] > 0 && j != i) {
                r->adj_j[k] = (int32_t)j;
                r->adj_h[k] = h[j];
                /* the threat j poses to i: hostility times the reach of j's power at i */
                r->adj_ph[k] = h[j] * reach_of(m, (const double *const *)r->preach, j, i);
                k++;
            }
        }
    }
    r->adj_start[n] = k;
}

/* After a pole's pacts changed: its reach, and the threat it poses to each state it is hostile to. */
static void refresh_pole_reach(run_state_t *r, const ent_model_t *m)
{
    size_t n = m->n;
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        pole_reach_update(m, r->preach[p], p, r->pact);
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = r->adj_start[i]; k < r->adj_start[i + 1]; k++) {
            size_t j = (size_t)r->adj_j[k];
            if (j == m->pole[0] || j == m->pole[1]) {
                r->adj_ph[k] = r->adj_h[k] * r->preach[j == m->pole[0] ? 0 : 1][i];
            }
        }
    }
}

static ent_err_t run_state_init(run_state_t *r, const ent_model_t *m)
{
    size_t n = m->n;
    memset(r, 0, sizeof *r);
    r->c = ent_malloc(n * sizeof *r->c);
    r->host = ent_malloc(n * n * sizeof *r->host);
    r->align = ent_malloc(n);
    r->align_prev = ent_malloc(n);
    r->pact = ent_malloc(n);
    r->bloc_cap = ent_calloc(n, sizeof *r->bloc_cap);
    r->adj_start = ent_malloc((n + 1) * sizeof *r->adj_start);
    r->adj_j = ent_malloc(n * n * sizeof *r->adj_j);
    r->adj_ph = ent_malloc(n * n * sizeof *r->adj_ph);
    r->adj_h = ent_malloc(n * n * sizeof *r->adj_h);
    bool ok = r->c && r->host && r->align && r->align_prev && r->pact && r->bloc_cap && r->adj_start && r->adj_j &&
              r->adj_ph && r->adj_h;
    for (int p = 0; p < ENT_SIM_NPOLES && ok; p++) {
        r->partner[p] = ent_malloc(n * sizeof *r->partner[p]);
        r->tradecut[p] = ent_calloc(n, sizeof *r->tradecut[p]);
        r->neg_years[p] = ent_calloc(n, 1);
        r->pact_taste[p] = ent_malloc(n * sizeof *r->pact_taste[p]);
        r->preach[p] = ent_malloc(n * sizeof *r->preach[p]);
        ok = r->partner[p] && r->tradecut[p] && r->neg_years[p] && r->pact_taste[p] && r->preach[p];
    }
    if (!ok) {
        run_state_free(r);
        return ent_i_nomem();
    }
    memcpy(r->c, m->cinc0, n * sizeof *r->c);
    memcpy(r->align, m->align0, n);
    memcpy(r->pact, m->pact0, n);
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        memcpy(r->partner[p], m->partner0[p], n * sizeof *r->partner[p]);
        memcpy(r->preach[p], m->pole_reach0[p], n * sizeof *r->preach[p]);
    }
    return ENT_OK;
}

/* The bloc of state i: 0 or 1 for a pole and the states aligned with it, -1 for the uncommitted. */
static int bloc_of(const ent_model_t *m, const run_state_t *r, size_t i)
{
    unsigned char a = r->align[i];
    if (a == ENT_ALIGN_POLE) {
        return i == m->pole[0] ? 0 : 1;
    }
    return (a == ENT_ALIGN_POLE0 || a == ENT_ALIGN_POLE1) ? a - ENT_ALIGN_POLE0 : -1;
}

/* Records the year's aggregate series into t->series[y] (and the per-state arrays). */
static void record(ent_run_trace_t *t, int y, const ent_model_t *m, const run_state_t *r, const double *norm,
                   const double *threat)
{
    size_t n = m->n;
    ent_run_year_t *o = &t->series[y];
    memset(o, 0, sizeof *o);
    double share[3] = {0, 0, 0}; /* pole0 bloc, pole1 bloc, the rest */
    for (size_t i = 0; i < n; i++) {
        unsigned char a = r->align[i];
        t->align[(size_t)y * n + i] = a;
        t->pact[(size_t)y * n + i] = r->pact[i];
        if (a == ENT_ALIGN_POLE) {
            share[i == m->pole[0] ? 0 : 1] += r->c[i];
        } else if (a == ENT_ALIGN_POLE0 || a == ENT_ALIGN_POLE1) {
            share[a - ENT_ALIGN_POLE0] += r->c[i];
        } else {
            share[2] += r->c[i];
            if (a == ENT_ALIGN_HEDGE) {
                o->hedgers++;
            } else {
                o->finlandized[a - ENT_ALIGN_FINLAND0]++;
            }
        }
        for (int p = 0; p < ENT_SIM_NPOLES; p++) {
            o->npacts[p] += (r->pact[i] >> p) & 1;
        }
    }
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        o->bloc_share[p] = share[p];
        o->norm[p] = norm[p];
        o->threat[p] = threat[p];
    }
    o->bipolarity = share[0] + share[1];
    /* Esteban-Ray (1994) polarization of the capability distribution over three positions
     * (bloc 0 at 0, the uncommitted at 1/2, bloc 1 at 1), alpha = 1.6, scaled so that two
     * equal blocs score 1. */
    const double pos[3] = {0.0, 1.0, 0.5}, alpha = 1.6;
    double er = 0;
    for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
            er += pow(share[a], 1 + alpha) * share[b] * fabs(pos[a] - pos[b]);
        }
    }
    o->polarization = er / (2 * pow(0.5, 2 + alpha));
    /* Frustration of the alignment partition: friendly ties (defence pacts) across blocs plus
     * hostile ties (hostility >= 0.5) inside a bloc. An upper bound on the signed network's
     * frustration index, cheap enough for every year of every run. */
    int fr = 0;
    for (size_t k = 0; k < m->npos; k++) {
        int bi = bloc_of(m, r, m->pos_a[k]), bj = bloc_of(m, r, m->pos_b[k]);
        fr += bi >= 0 && bj >= 0 && bi != bj;
    }
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        for (size_t j = 0; j < n; j++) {
            if ((r->pact[j] >> p) & 1) {
                int bj = bloc_of(m, r, j);
                fr += bj >= 0 && bj != p;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        int bi = bloc_of(m, r, i);
        if (bi < 0) {
            continue;
        }
        for (size_t k = r->adj_start[i]; k < r->adj_start[i + 1]; k++) {
            size_t j = (size_t)r->adj_j[k];
            fr += j > i && r->adj_h[k] >= 0.5 && bloc_of(m, r, j) == bi;
        }
    }
    o->frustration = fr;
}

/* A new pact of pole p in `year`: the builder_pacts-th makes the pole an alliance builder, a
 * behaviour (pacts formed), not a norm threshold (issue 12). */
static void note_formed(ent_run_trace_t *t, const ent_model_t *m, run_state_t *r, int p, int year)
{
    if (++r->formed[p] == m->s.builder_pacts && !t->builder_year[p]) {
        t->builder_year[p] = year;
    }
}

ent_err_t ent_model_run(ent_run_trace_t *t, const ent_model_t *m, uint64_t seed, uint64_t run)
{
    /* this run's response parameters: the scenario's, with the unidentified ones drawn from their
     * priors (deterministic in (seed, run), so threads and ranks agree) */
    ent_scenario_t drawn = m->s;
    ent_scenario_draw_priors(&drawn, seed, run);
    const ent_scenario_t *s = &drawn;
    size_t n = m->n;
    ent_rng_t rng;
    ent_rng_seed(&rng, seed, run);
    run_state_t r;
    ent_err_t rc = run_state_init(&r, m);
    if (rc != ENT_OK) {
        return rc;
    }
    double norm[ENT_SIM_NPOLES], threat_rel[ENT_SIM_NPOLES];
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        norm[p] = s->norm0[p];
        threat_rel[p] = 1.0;
        t->builder_year[p] = 0;
    }
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        for (size_t i = 0; i < n; i++) {
            r.pact_taste[p][i] = s->pact_noise * ent_rng_normal(&rng);
        }
    }
    apply_shocks(m, r.host, s->start_year);
    build_adj(&r, m);
    bool hostile_shock_last = hostility_shocked(m, s->start_year);
    record(t, 0, m, &r, norm, threat_rel);

    for (int step = 1; step <= s->years; step++) {
        int year = s->start_year + step;
        bool pacts_changed = false;
        /* 1. capabilities drift */
        double tot = 0;
        for (size_t i = 0; i < n; i++) {
            r.c[i] *= exp(m->growth_i[i] + s->growth_sd * ent_rng_normal(&rng));
            tot += r.c[i];
        }
        for (size_t i = 0; i < n; i++) {
            r.c[i] /= tot;
        }
        /* 2. this year's shocks: hostility (crises, wars), sanctions, growth jolts, imposed pacts */
        bool hostile_shock = hostility_shocked(m, year);
        if (hostile_shock || hostile_shock_last) {
            apply_shocks(m, r.host, year);
            build_adj(&r, m);
        }
        hostile_shock_last = hostile_shock;
        for (int p = 0; p < ENT_SIM_NPOLES; p++) {
            memset(r.tradecut[p], 0, n * sizeof *r.tradecut[p]);
        }
        for (size_t k = 0; k < s->nshocks; k++) {
            const ent_shock_t *sh = &s->shocks[k];
            if (year < sh->year || year >= sh->year + sh->duration) {
                continue;
            }
            int a = sh->a > 0 && sh->a < 1000 ? m->to_model[sh->a] : -1;
            int b = sh->b > 0 && sh->b < 1000 ? m->to_model[sh->b] : -1;
            if (a < 0) {
                continue;
            }
            if (sh->kind == ENT_SHOCK_GROWTH && year == sh->year) {
                r.c[a] *= fmax(0.0, 1.0 + sh->magnitude);
            } else if (sh->kind == ENT_SHOCK_SANCTIONS && b >= 0) {
                /* a pole's sanctions cut the target's trade with it */
                for (int p = 0; p < ENT_SIM_NPOLES; p++) {
                    if ((size_t)a == m->pole[p]) {
                        r.tradecut[p][b] = clamp01(fabs(sh->magnitude));
                    }
                }
            } else if (sh->kind == ENT_SHOCK_PACT && b >= 0 && year == sh->year) {
                for (int p = 0; p < ENT_SIM_NPOLES; p++) {
                    size_t other =
                        (size_t)a == m->pole[p] ? (size_t)b : ((size_t)b == m->pole[p] ? (size_t)a : SIZE_MAX);
                    if (other != SIZE_MAX && other != m->pole[1 - p]) {
                        /* an imposed pact realigns: a pact with the rival pole ends */
                        if (!((r.pact[other] >> p) & 1)) {
                            note_formed(t, m, &r, p, year);
                        }
                        pacts_changed = true;
                        r.pact[other] = (unsigned char)(1u << p);
                        r.neg_years[0][other] = r.neg_years[1][other] = 0;
                        r.align[other] = (unsigned char)(ENT_ALIGN_POLE0 + p);
                        r.partner[p][other] = 1.0;
                    }
                }
            }
        }
        tot = 0;
        for (size_t i = 0; i < n; i++) {
            tot += r.c[i];
        }
        for (size_t i = 0; i < n; i++) {
            r.c[i] /= tot;
        }
        /* 3. threat felt by the poles: the index log(1 + T/T_ref) and its rise over the base year,
         * rel = exp(rise) = (1 + T/T_ref) / (1 + T0/T_ref), a ratio damped where threat is small */
        double rise[ENT_SIM_NPOLES];
        for (int p = 0; p < ENT_SIM_NPOLES; p++) {
            double tp = pole_threat(m, (const double *const *)r.preach, p, r.c, r.host, r.align, s->levers);
            rise[p] = log1p(tp / s->threat_reference) - m->index0[p];
            threat_rel[p] = exp(rise[p]);
        }
        /* 4. the norms erode under threat and ambition, and recover */
        for (int p = 0; p < ENT_SIM_NPOLES; p++) {
            double v = norm[p] - s->kappa_threat * fmax(0.0, rise[p] - s->threat_tolerance[p]) -
                       s->kappa_ambition * s->ambition[p] + s->kappa_restore * (s->norm0[p] - norm[p]);
            norm[p] = clamp01(v);
        }
        /* 5. each state's alignment (random utility); a bloc's strength is the pole and its pact allies */
        double pole_cap[ENT_SIM_NPOLES] = {0, 0};
        for (size_t j = 0; j < n; j++) {
            for (int p = 0; p < ENT_SIM_NPOLES; p++) {
                if (j == m->pole[p] || ((r.pact[j] >> p) & 1)) {
                    pole_cap[p] += r.c[j];
                }
            }
        }
        /* every state decides on last year's alignments (a synchronous update: the result must not
         * depend on the order of COW codes) */
        memcpy(r.align_prev, r.align, n);
        for (size_t i = 0; i < n; i++) {
            if (r.align[i] == ENT_ALIGN_POLE) {
                continue;
            }
            double util[5];
            const double temp = s->temperature;
            /* threat felt by i: from each pole, and from the other states by the camp they are in --
             * an ally of p is no protection against p's own ally, which splits rivals into opposite blocs */
            double from_pole[ENT_SIM_NPOLES] = {0, 0}, from_camp[ENT_SIM_NPOLES] = {0, 0}, from_free = 0;
            for (size_t k = r.adj_start[i]; k < r.adj_start[i + 1]; k++) {
                size_t j = (size_t)r.adj_j[k];
                double tj = r.c[j] * r.adj_ph[k];
                if (j == m->pole[0] || j == m->pole[1]) {
                    from_pole[j == m->pole[0] ? 0 : 1] += tj;
                } else if (r.align_prev[j] == ENT_ALIGN_POLE0 || r.align_prev[j] == ENT_ALIGN_POLE1) {
                    from_camp[r.align_prev[j] - ENT_ALIGN_POLE0] += tj;
                } else {
                    from_free += tj;
                }
            }
            double total = from_pole[0] + from_pole[1] + from_camp[0] + from_camp[1] + from_free;
            /* severity: how much a state's security is at stake (0 for the unthreatened) */
            double severity = total / (total + 0.01);
            for (int o = 0; o < 5; o++) {
                double resid; /* threat left under option o */
                double econ = 0, regime = 0, foreign = 0, coerc = 0, entrap = 0, autonomy = 0;
                bool allowed = true;
                if (o == ENT_ALIGN_HEDGE) {
                    resid = total;
                    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
                        econ += m->trade[p][i] * (1 - r.tradecut[p][i]);
                        /* a wedge offer pays a rival's ally for stepping back to neutrality */
                        if (r.align_prev[i] == ENT_ALIGN_POLE0 + (1 - p)) {
                            econ += 0.3 * s->levers[p].wedge;
                        }
                    }
                } else if (o == ENT_ALIGN_POLE0 || o == ENT_ALIGN_POLE1) {
                    int p = o - ENT_ALIGN_POLE0, q = 1 - p;
                    /* Protection: the bloc's relative strength against each threat, made credible by a
                     * pact and by the pole's tightening. Aligning with a threatening pole takes only 10%
                     * off its threat: bandwagoning buys little safety from the strong (Walt 1987). */
                    double rho = 0.6 + 0.2 * ((r.pact[i] >> p) & 1) + 0.2 * s->levers[p].tightening;
                    double against_q = pole_cap[p] / (pole_cap[p] + pole_cap[q]);
                    resid = (from_pole[q] + from_camp[q]) * (1 - rho * against_q) + from_free * (1 - 0.5 * rho) +
                            from_camp[p] + 0.9 * from_pole[p];
                    econ = m->trade[p][i] * (1 - r.tradecut[p][i]) + m->trade[q][i] * (1 - r.tradecut[q][i]) +
                           0.3 * s->levers[p].inducements;
                    /* defying q invites its coercion, in proportion to what i trades with it */
                    coerc = 2 * s->levers[q].coercion * m->trade[q][i] * (1 - r.tradecut[q][i]) *
                            (0.5 + 0.5 * m->prox[i * n + m->pole[q]]);
                    /* affinity with p relative to q: regime similarity (engagement breadth discounts the
                     * gap) and the partnership built so far */
                    double gp = fabs(m->democracy[i] - m->democracy[m->pole[p]]) * (1 - s->levers[p].engagement);
                    double gq = fabs(m->democracy[i] - m->democracy[m->pole[q]]) * (1 - s->levers[q].engagement);
                    regime = (gq - gp) + 0.5 * (r.partner[p][i] - r.partner[q][i]);
                    /* foreign-policy preference: the UN ideal-point distance to q minus that to p (none
                     * when a state cast no votes) -- the strongest non-network predictor of new pacts */
                    double ii = m->ideal[i], ip = m->ideal[m->pole[p]], iq = m->ideal[m->pole[q]];
                    foreign = isnan(ii) || isnan(ip) || isnan(iq) || ip == iq
                                  ? 0
                                  : (fabs(ii - iq) - fabs(ii - ip)) / fabs(ip - iq); /* in [-1, 1] */
                    autonomy = 0.5; /* alliances trade autonomy for security (Morrow 1991) */
                    entrap = r.host[m->pole[p] * n + m->pole[q]] * m->prox[i * n + m->pole[q]];
                } else {
                    int p = o - ENT_ALIGN_FINLAND0;
                    size_t pi = m->pole[p];
                    /* Finlandization: only in the shadow of a near pole that threatens, when the other pole is
                     * far or weak relative to it */
                    allowed =
                        finland_allowed(m, i, p, from_pole[p], pole_cap, r.c[pi], (const double *const *)r.preach);
                    resid = total - 0.6 * from_pole[p];
                    for (int k = 0; k < ENT_SIM_NPOLES; k++) {
                        econ += m->trade[k][i] * (1 - r.tradecut[k][i]);
                    }
                    autonomy = 1.0;
                }
                if (!allowed) {
                    util[o] = -INFINITY;
                    continue;
                }
                double sec = total > 0 ? severity * (total - resid) / total : 0;
                util[o] = s->beta_security * sec + s->beta_economy * econ + s->beta_foreign * foreign +
                          s->beta_regime * regime - s->beta_coercion * coerc - s->beta_entrapment * entrap -
                          s->beta_autonomy * autonomy;
                if (o == r.align_prev[i]) {
                    util[o] += s->switching_cost;
                }
                if ((o == ENT_ALIGN_POLE0 || o == ENT_ALIGN_POLE1) && ((r.pact[i] >> (o - ENT_ALIGN_POLE0)) & 1)) {
                    util[o] += s->pact_inertia * 2; /* a state keeps faith with a treaty in force */
                }
            }
            int best = ENT_ALIGN_HEDGE;
            double bu = -INFINITY;
            for (int o = 0; o < 5; o++) {
                if (util[o] == -INFINITY) {
                    continue;
                }
                double u = util[o] / temp + ent_rng_gumbel(&rng);
                if (u > bu) {
                    bu = u;
                    best = o;
                }
            }
            r.align[i] = (unsigned char)best;
        }
        /* 6. each pole weighs pacts with the states aligned with it */
        for (int p = 0; p < ENT_SIM_NPOLES; p++) {
            int q = 1 - p;
            size_t pi = m->pole[p], qi = m->pole[q];
            for (size_t j = 0; j < n; j++) {
                if (j == pi || j == qi) {
                    continue;
                }
                bool has = (r.pact[j] >> p) & 1;
                bool aligned = r.align[j] == ENT_ALIGN_POLE0 + p;
                /* deterrence: j's capability where it matters against the rival (a quarter of it
                 * anywhere: great-power capability projects) */
                double deter = r.c[j] * (0.25 + 0.75 * fmax(m->prox[j * n + pi], m->prox[j * n + qi]));
                /* entanglement: j's own quarrels, weighted by the adversary's capability, counted
                 * in so far as the pole does not already share them (a partner's quarrel with the
                 * pole's own rival drags it only half as far as a quarrel of its own) */
                double ent = 0;
                const double *hp = &r.host[pi * n];
                for (size_t k = r.adj_start[j]; k < r.adj_start[j + 1]; k++) {
                    size_t o = (size_t)r.adj_j[k];
                    if (o != pi) {
                        ent += r.adj_h[k] * r.c[o] * (1.0 - 0.5 * hp[o]);
                    }
                }
                /* The value of allies grows with the threat the pole feels (Walt) and with its
                 * ambition (a bid for primacy needs bases and partners): the essay's two paths tip
                 * the balance through this factor. A run-level taste per dyad stands for what the
                 * model does not see (leaders, domestic politics); it is drawn once per run, so a
                 * pact does not form merely because a yearly coin came up heads. The norm
                 * bars new commitments; a treaty in force is judged on its strategic merits and its
                 * status-quo value (China kept the 1961 treaty through decades of non-alliance). */
                double value =
                    (threat_rel[p] + s->ambition[p]) * (s->w_deterrence * deter + s->w_operational * m->op[p][j]);
                double gain = value + 0.2 * s->levers[p].tightening + r.pact_taste[p][j];
                double cost = s->w_entanglement * ent + s->w_unreliability * (1 - r.partner[p][j]);
                double u = gain - cost;
                if (has) {
                    u += s->pact_inertia;
                    if (u < 0 || !aligned) {
                        if (++r.neg_years[p][j] >= s->dissolve_after) {
                            r.pact[j] &= (unsigned char)~(1u << p);
                            r.neg_years[p][j] = 0;
                            pacts_changed = true;
                        }
                    } else {
                        r.neg_years[p][j] = 0;
                    }
                } else if (aligned && (1.0 - norm[p]) * gain - cost - s->pact_formation_cost > 0 &&
                           !((r.pact[j] >> q) & 1)) {
                    /* the norm discounts what a new commitment is worth: at 1 it bars every new pact */
                    r.pact[j] |= (unsigned char)(1u << p);
                    r.neg_years[p][j] = 0;
                    pacts_changed = true;
                    note_formed(t, m, &r, p, year);
                }
            }
        }
        if (pacts_changed) {
            refresh_pole_reach(&r, m);
        }
        /* 7. partnership levels drift toward the alignment */
        double drift = s->tier_drift / 8.0;
        for (size_t j = 0; j < n; j++) {
            for (int p = 0; p < ENT_SIM_NPOLES; p++) {
                if (r.align[j] == ENT_ALIGN_POLE0 + p || r.align[j] == ENT_ALIGN_FINLAND0 + p) {
                    r.partner[p][j] = fmin(1.0, r.partner[p][j] + drift);
                } else if (r.align[j] == ENT_ALIGN_POLE0 + (1 - p)) {
                    r.partner[p][j] = fmax(0.0, r.partner[p][j] - drift);
                }
                if ((r.pact[j] >> p) & 1) {
                    r.partner[p][j] = 1.0;
                }
            }
        }
        record(t, step, m, &r, norm, threat_rel);
    }
    run_state_free(&r);
    return ENT_OK;
}

const ent_scenario_t *ent_i_model_scenario(const ent_model_t *m)
{
    return &m->s;
}

double ent_model_pact_terms(const ent_model_t *m, int p, size_t j, double threat_rel, double out[4])
{
    size_t n = m->n, pi = m->pole[p], qi = m->pole[1 - p];
    const ent_scenario_t *s = &m->s;
    double deter = m->cinc0[j] * (0.25 + 0.75 * fmax(m->prox[j * n + pi], m->prox[j * n + qi]));
    double ent = 0;
    for (size_t k = 0; k < n; k++) {
        if (k != pi && k != j) {
            ent += m->host0[j * n + k] * m->cinc0[k] * (1.0 - 0.5 * m->host0[pi * n + k]);
        }
    }
    out[0] = (threat_rel + s->ambition[p]) * s->w_deterrence * deter;
    out[1] = (threat_rel + s->ambition[p]) * s->w_operational * m->op[p][j];
    out[2] = s->w_entanglement * ent;
    out[3] = s->w_unreliability * (1 - m->partner0[p][j]);
    return out[0] + out[1] - out[2] - out[3] + 0.2 * s->levers[p].tightening;
}

/* Each exported file is written as DIR/.NAME.tmp and renamed over DIR/NAME when complete, so a
 * failed or interrupted export never leaves a truncated file under the real name. */
static FILE *open_out(const char *dir, const char *name)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        ent_i_err(ENT_EIO, "%s/%s: cannot write: %s", dir, name, strerror(errno));
    }
    return f;
}

static ent_err_t close_out(FILE *f, const char *dir, const char *name)
{
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    /* an earlier write may have failed with the buffer since emptied: ferror, not only fclose */
    errno = 0;
    bool failed = ferror(f) != 0;
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        failed = true;
    }
    int e = errno;
    if (fclose(f) != 0) {
        failed = true;
        e = e ? e : errno;
    }
    if (!failed && rename(tmp, path) != 0) {
        failed = true;
        e = errno;
    }
    if (failed) {
        unlink(tmp);
        return ent_i_err(ENT_EIO, "%s/%s: write failed: %s", dir, name, e ? strerror(e) : "a write failed");
    }
    return ENT_OK;
}

ent_err_t ent_model_export(const ent_model_t *m, const ent_world_t *w, const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        return ent_i_err(ENT_EIO, "%s: cannot create: %s", dir, strerror(errno));
    }
    size_t n = m->n;
    ent_err_t rc;
    FILE *f = open_out(dir, "states.csv");
    if (!f) {
        return ENT_EIO;
    }
    fprintf(f, "i,ccode,abbr,cinc,democracy,trade0,trade1,partner0,partner1,op0,op1,pact0,pact1,align,growth\n");
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *st = ent_world_state(w, (size_t)m->world_index[i]);
        fprintf(f, "%zu,%d,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%d,%d,%d,%.17g\n", i, st->ccode, st->abbr,
                m->cinc0[i], m->democracy[i], m->trade[0][i], m->trade[1][i], m->partner0[0][i], m->partner0[1][i],
                m->op[0][i], m->op[1][i], m->pact0[i] & 1, (m->pact0[i] >> 1) & 1, m->align0[i], m->growth_i[i]);
    }
    if ((rc = close_out(f, dir, "states.csv")) != ENT_OK) {
        return rc;
    }
    const char *names[] = {"prox.csv", "hostility.csv", "distance.csv"};
    const double *mats[] = {m->prox, m->host0, m->dist};
    for (int k = 0; k < 3; k++) {
        if (!(f = open_out(dir, names[k]))) {
            return ENT_EIO;
        }
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < n; j++) {
                fprintf(f, "%s%.17g", j ? "," : "", mats[k][i * n + j]);
            }
            fputc('\n', f);
        }
        if ((rc = close_out(f, dir, names[k])) != ENT_OK) {
            return rc;
        }
    }
    if (!(f = open_out(dir, "pairs.csv"))) {
        return ENT_EIO;
    }
    fprintf(f, "a,b\n");
    for (size_t k = 0; k < m->npos; k++) {
        fprintf(f, "%zu,%zu\n", m->pos_a[k], m->pos_b[k]);
    }
    if ((rc = close_out(f, dir, "pairs.csv")) != ENT_OK) {
        return rc;
    }
    if (!(f = open_out(dir, "params.csv"))) {
        return ENT_EIO;
    }
    const ent_scenario_t *s = &m->s;
    fprintf(f, "key,value\n");
    for (const ent_sim_param_t *p = ent_sim_params(); p->key; p++) {
        const char *base = (const char *)s + p->offset;
        for (int k = 0; k < (p->per_pole ? ENT_SIM_NPOLES : 1); k++) {
            double v = p->type == 'd'   ? ((const double *)base)[k]
                       : p->type == 'i' ? ((const int *)base)[k]
                       : p->type == 'l' ? (double)((const int64_t *)base)[k]
                                        : (double)((const uint64_t *)base)[k];
            if (p->per_pole) {
                fprintf(f, "%s%d,%.17g\n", p->key, k, v);
            } else {
                fprintf(f, "%s,%.17g\n", p->key, v);
            }
        }
    }
    const char *lev[] = {"tightening", "engagement", "inducements", "coercion", "wedge"};
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        const double *l = &s->levers[p].tightening;
        for (int k = 0; k < 5; k++) {
            fprintf(f, "%s%d,%.17g\n", lev[k], p, l[k]);
        }
        fprintf(f, "pole%d,%zu\n", p, m->pole[p]);
        fprintf(f, "threat0_%d,%.17g\n", p, m->threat0[p]);
    }
    fprintf(f, "nshocks,%zu\n", s->nshocks);
    return close_out(f, dir, "params.csv");
}
