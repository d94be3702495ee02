/*
 * alignment.c -- the alignment model: the essay's dynamics, one year at a time.
 *
 * K poles (the scenario's list, default the US and China) and every other
 * state of the shipped world. Each year: capabilities drift; threat (power x reach x hostility, plus
 * encirclement by the rival's bloc and the spiral of the rival's tightening) is
 * felt, reach counting a state's bases and allies' territory; each pole's
 * alliance-aversion norm erodes under threat and ambition and recovers without
 * them; every other state picks, by random utility, between aligning with a
 * pole (any of the K), hedging, and Finlandization toward a near, threatening pole; then the
 * fitted pact model (pactmodel.h) decides pacts between any two states, joins
 * of multilateral treaties and terminations, a pole's norm, ambition and
 * tightening entering as offsets of its utility. docs/models/alignment.md gives
 * the equations, what is fitted and what is prior.
 *
 * The model (ent_model_t) is built once and read by every run; a run owns
 * only its scratch arrays, so runs are independent and thread-safe.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "entente/pactmodel.h"
#include "entente/sim.h"
#include "entente/system.h"
#include "models_int.h"
#include "pactmodel_int.h"
#include "util_int.h"

struct ent_model {
    ent_scenario_t s;
    size_t n;
    int64_t *world_index;                /* [n] */
    int np;                              /* poles K */
    size_t pole[ENT_SIM_MAX_POLES];      /* model index of each pole, ascending COW codes */
    signed char *pidx;                   /* [n] the pole a state is, -1 for the others */
    double *cinc0;                       /* [n] normalised shares */
    double *prox;                        /* [n*n] exp(-d/scale) */
    double *prox_presence;               /* [n*n] exp(-2d/scale): power projected from a base abroad */
    double *dist;                        /* [n*n] km */
    double *host0;                       /* [n*n] base-year hostility 0..1 */
    double *democracy;                   /* [n] 0..1 */
    double *trade[ENT_SIM_MAX_POLES];    /* [n] share of trade with each pole */
    double *partner0[ENT_SIM_MAX_POLES]; /* [n] 0..1 prior partnership level with each pole */
    unsigned char *pact0;                /* [n] bit p: defence pact with pole p in the base year */
    unsigned char *align0;               /* [n] ent_align_t */
    double *static_pos;                  /* [n*n] 1 where a non-pole defence pact joins i and j (kept fixed) */
    double *ideal;                       /* [n] UN ideal point (Bailey, Strezhnev & Voeten); NaN when unknown */
    /* Reach of j's power at i (ent_model_reach): [j*n+i]. For a pole, without the allied territory of
     * its pacts with the states, which change in a run (run_state_t.reach adds them each year). */
    double *reach;                          /* [n*n] */
    unsigned char *projects;                /* [n] 1: the state projects power (a pole, or a base abroad) */
    double *pole_reach0[ENT_SIM_MAX_POLES]; /* [n] a pole's reach in the base year, its pacts' territory included */
    double threat0[ENT_SIM_MAX_POLES];
    double index0[ENT_SIM_MAX_POLES]; /* log(1 + threat0 / threat_reference) */
    char pole_code[ENT_SIM_MAX_POLES][8];
    /* The fitted pact model (issue 12; include/entente/pactmodel.h): who forms, joins and ends
     * defence pacts, between any two states. Its base-year system, from the world: */
    ent_pactmodel_t *pm;
    int32_t *ccode;          /* [n] */
    double *polyarchy;       /* [n] V-Dem polyarchy, NaN unknown (the model's "missing") */
    unsigned char *major;    /* [n] COW's major powers (2016 list) and the poles */
    double *presence_pm;     /* [n*n] bases and deployments, [deployer * n + host] */
    double *pm_prox;         /* [n*n] the pact model's prox*(a -> b), presence included */
    unsigned char *defence0; /* [n*n] every defence tie in force, not dormant */
    int *since0;             /* [n*n] the year each began */
    double *cinc_then0;      /* [n*n] row state's capability share then */
    double *poly_then0;      /* [n*n] row state's polyarchy then (the 2024 value: no history shipped) */
    int *deg_then0;          /* [n*n] row state's other defence ties then */
    size_t ntreaties;        /* multilateral treaties in force (three or more members) */
    unsigned char *member0;  /* [ntreaties*n] */
    int64_t *treaty_id;      /* [ntreaties] ATOP atopid, -1 unknown */
    unsigned char *eligible; /* [ntreaties*n] may accede under the treaty's clause (data/params/treaty_access.csv) */
    int *last_tie0;          /* [n*n] the last year a lapsed defence tie of the pair was in force; 0 never */
    unsigned char *lesser;   /* [n*n] lesser obligations, as ent_sysyear_t.lesser: narrowest pact's members */
    unsigned char *contig;   /* [n*n] 0 none, 1 land, 2 sea (COW types 2-5): the fit's coding (pactmodel.h) */
    unsigned char *neutral;  /* [n] a declared neutral in the base year (data/params/neutrality.csv) */
    double *growth_i;        /* [n] per-state drift */
    int16_t to_model[1000];  /* model index by COW code, -1 when absent */
    /* The poles' record (data/params/record.json), when the scenario conditions on it: which poles'
     * norm draws it conditions, and the maximum of each one's log likelihood over offsets <= 0. */
    ent_pmrecord_t *rec;
    bool rec_on[ENT_SIM_MAX_POLES];
    double rec_max[ENT_SIM_MAX_POLES], rec_arg[ENT_SIM_MAX_POLES];
    size_t npos; /* non-pole defence-pact dyads (fixed) */
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
int ent_model_npoles(const ent_model_t *m)
{
    return m->np;
}
size_t ent_model_pole_state(const ent_model_t *m, int pole)
{
    assert(pole >= 0 && pole < m->np);
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
    ent_free(m->pidx);
    ent_pactmodel_free(m->pm);
    ent_pmrecord_free(m->rec);
    ent_free(m->ccode);
    ent_free(m->polyarchy);
    ent_free(m->major);
    ent_free(m->presence_pm);
    ent_free(m->pm_prox);
    ent_free(m->defence0);
    ent_free(m->since0);
    ent_free(m->cinc_then0);
    ent_free(m->poly_then0);
    ent_free(m->deg_then0);
    ent_free(m->member0);
    ent_free(m->treaty_id);
    ent_free(m->eligible);
    ent_free(m->last_tie0);
    ent_free(m->lesser);
    ent_free(m->contig);
    ent_free(m->neutral);
    ent_free(m->cinc0);
    ent_free(m->prox);
    ent_free(m->prox_presence);
    ent_free(m->dist);
    ent_free(m->host0);
    ent_free(m->democracy);
    for (int p = 0; p < ENT_SIM_MAX_POLES; p++) {
        ent_free(m->trade[p]);
        ent_free(m->partner0[p]);
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
    int p = m->pidx[j];
    if (p >= 0 && pole_reach) {
        return pole_reach[p][i];
    }
    return m->reach[j * m->n + i];
}

/* Threat felt by pole p: direct threat (capability x reach x hostility) plus each rival bloc's capability
 * near it, amplified by that rival's tightening. */
static double pole_threat(const ent_model_t *m, const double *const *pole_reach, int p, const double *c,
                          const double *host, const unsigned char *align, const ent_levers_t *lev)
{
    size_t n = m->n, pi = m->pole[p];
    int np = m->np;
    double direct = 0, enc[ENT_SIM_MAX_POLES] = {0};
    for (size_t j = 0; j < n; j++) {
        if (j == pi) {
            continue;
        }
        double pr = m->prox[pi * n + j];
        if (host[pi * n + j] > 0) {
            direct += c[j] * reach_of(m, pole_reach, j, pi) * host[pi * n + j];
        }
        int a = align[j];
        if (a >= ENT_ALIGN_WITH(0) && a < ENT_ALIGN_WITH(np) && a != ENT_ALIGN_WITH(p)) {
            enc[a - ENT_ALIGN_WITH(0)] += c[j] * pr;
        }
    }
    /* encirclement: each rival bloc's capability near the pole, amplified by that rival's tightening */
    double around = 0;
    for (int q = 0; q < np; q++) {
        if (q != p) {
            around += m->s.encirclement * enc[q] * (1.0 + m->s.spiral * lev[q].tightening);
        }
    }
    return direct + around;
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

/* A run's pact-model state: the system's mutable arrays (ent_sysyear_t fields) and scratch. */
typedef struct {
    unsigned char *defence; /* [n*n] every defence tie in force */
    int *since;             /* [n*n] */
    double *cinc_then, *poly_then;
    int *deg_then;
    unsigned char *member;        /* [ntreaties*n] */
    int *last_tie;                /* [n*n] the last year a lapsed tie was in force (written when one ends) */
    double *offset;               /* [n] utility offsets: a pole's norm, ambition and tightening */
    double *theta;                /* [ENT_PM_NPARAMS] this run's parameter draw */
    double *ustatic;              /* [n*n] the utility terms that do not change in a run */
    double *u;                    /* [n*n] this year's utilities */
    double *sig;                  /* [n*n] their logistic transforms: P(i consents to a pact with j) */
    double *l1p;                  /* [n + 1] log1p(k): the counts' terms */
    size_t *tlist, *tcount;       /* [ntreaties*n], [ntreaties]: each treaty's members this year */
    double *ce, *q;               /* [n*n] scratch: common-enemy and shared-quarrel sums */
    int *ca;                      /* [n*n] scratch: common allies */
    unsigned char *co;            /* [n*n] scratch: co-members of a treaty */
    unsigned char *ends, *newtie; /* [n*n] this year's draws */
    int *deg;                     /* [n] defence degree */
    double *sq, *threat;          /* [n] sum_k h_jk c_k; the threat term */
    size_t *joined;               /* [n] treaty + 1 joined this year */
    size_t *list, *list_start;    /* allies lists: [n*n], [n + 1] */
} run_pm_t;

/* A view of the pact model's system over the model's arrays (borrowed): this year's capability
 * shares, hostility and defence ties; the run's tie records and treaty membership when given. */
static void pm_sys_view(const ent_model_t *m, ent_sysyear_t *sys, const double *c, const double *host,
                        unsigned char *defence, const run_pm_t *rp)
{
    memset(sys, 0, sizeof *sys);
    sys->n = m->n;
    sys->year = m->s.start_year;
    sys->ccode = m->ccode;
    sys->cinc = c;
    sys->ideal = m->ideal;
    sys->polyarchy = m->polyarchy;
    sys->major = m->major;
    sys->dist_km = m->dist;
    sys->contig = m->contig;
    sys->hostility = host;
    sys->defence = defence;
    sys->presence = m->presence_pm;
    sys->ntreaties = m->ntreaties;
    sys->member = m->member0;
    sys->treaty_id = m->treaty_id;
    sys->eligible = m->eligible;
    sys->lesser = m->lesser;
    sys->neutral = m->neutral;
    sys->last_tie = m->last_tie0;
    if (rp) {
        sys->since = rp->since;
        sys->cinc0 = rp->cinc_then;
        sys->poly0 = rp->poly_then;
        sys->deg0 = rp->deg_then;
        sys->member = rp->member;
        sys->offset = rp->offset;
        sys->last_tie = rp->last_tie;
    }
}

/* COW's major powers of the last year of its state-system list (2016): the states the fitted
 * model's MAJOR term describes (COW State System Membership v2016, majors2016.csv). */
static const int32_t cow_majors_2016[] = {2, 200, 220, 255, 365, 710, 740};

/* The year of a date (YYYYMMDD). */
/* The model indices of tie t's two states; false when either is outside the model or they are one. */
static bool tie_pair(const int16_t *to_model, const ent_world_t *w, const ent_tie_t *t, size_t *a, size_t *b)
{
    int ia = to_model[ent_world_state(w, (size_t)t->a)->ccode], ib = to_model[ent_world_state(w, (size_t)t->b)->ccode];
    if (ia < 0 || ib < 0 || ia == ib) {
        return false;
    }
    *a = (size_t)ia;
    *b = (size_t)ib;
    return true;
}

static int year_of(ent_date_t d)
{
    return (int)(d / 10000);
}

/* The members in the model of the pact named `moniker` (its ties in force on `base`); 2 for a tie of
 * no name (a bilateral pact). `seen` is scratch of n bytes. */
static size_t pact_members_at(const ent_model_t *m, const ent_world_t *w, const char *moniker, ent_date_t base,
                              unsigned char *seen)
{
    if (!moniker || !*moniker) {
        return 2;
    }
    size_t n = m->n, cnt = 0;
    memset(seen, 0, n);
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (t->kind != ENT_TIE_PACT || !t->moniker || strcmp(t->moniker, moniker) != 0 || !ent_tie_active(t, base)) {
            continue;
        }
        int ia = m->to_model[ent_world_state(w, (size_t)t->a)->ccode],
            ib = m->to_model[ent_world_state(w, (size_t)t->b)->ccode];
        if (ia >= 0 && !seen[ia]) {
            seen[ia] = 1;
            cnt++;
        }
        if (ib >= 0 && !seen[ib]) {
            seen[ib] = 1;
            cnt++;
        }
    }
    return cnt;
}

/*
 * The pact model's base year from the world: every defence tie in force on `base` and not dormant
 * (a pole's and everyone else's), when each began with the capability shares and defence degrees
 * then, and the multilateral treaties (a pact, by name, with three or more members).
 */
static ent_err_t build_pact_system(ent_model_t *m, const ent_world_t *w, const double *presence, ent_date_t base)
{
    size_t n = m->n;
    ent_err_t rc = ENT_OK;
    const char **names = NULL; /* treaty names, for grouping */
    const char **tname = NULL; /* [ntreaties] each treaty's name (borrowed from the world) */
    size_t nnames = 0, cap = 0;
    unsigned char *seen = NULL; /* scratch of pact_members_at */
#define ALLOCP(ptr, cnt)                                                                                               \
    do {                                                                                                               \
        if (!((ptr) = ent_calloc((cnt), sizeof *(ptr)))) {                                                             \
            return ent_i_nomem();                                                                                      \
        }                                                                                                              \
    } while (0)
    ALLOCP(m->ccode, n);
    ALLOCP(m->polyarchy, n);
    ALLOCP(m->major, n);
    ALLOCP(m->presence_pm, n * n);
    ALLOCP(m->defence0, n * n);
    ALLOCP(m->since0, n * n);
    ALLOCP(m->cinc_then0, n * n);
    ALLOCP(m->poly_then0, n * n);
    ALLOCP(m->deg_then0, n * n);
    ALLOCP(m->last_tie0, n * n);
    ALLOCP(m->lesser, n * n);
    ALLOCP(m->contig, n * n);
    ALLOCP(m->neutral, n);
#undef ALLOCP
    /* a historical world names the major powers of its year; the shipped world none (COW's list ends
     * in 2016) */
    bool world_majors = false;
    for (size_t i = 0; i < n; i++) {
        world_majors |= ent_world_state(w, (size_t)m->world_index[i])->major_power;
    }
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *st = ent_world_state(w, (size_t)m->world_index[i]);
        m->ccode[i] = st->ccode;
        m->polyarchy[i] = st->democracy; /* NaN when V-Dem has no score: the model's "unknown" */
        for (size_t k = 0; k < sizeof cow_majors_2016 / sizeof cow_majors_2016[0] && !world_majors; k++) {
            m->major[i] |= st->ccode == cow_majors_2016[k];
        }
        if (world_majors) {
            m->major[i] = st->major_power;
        }
    }
    for (int p = 0; p < m->np; p++) {
        m->major[m->pole[p]] = 1; /* the scenario's poles are great powers by its premise */
    }
    memcpy(m->presence_pm, presence, n * n * sizeof *presence);
    for (size_t k = 0; k < ent_world_ncontiguities(w); k++) {
        const ent_contiguity_t *c = ent_world_contiguity(w, k);
        int ia = m->to_model[ent_world_state(w, (size_t)c->a)->ccode],
            ib = m->to_model[ent_world_state(w, (size_t)c->b)->ccode];
        if (ia >= 0 && ib >= 0) {
            m->contig[ia * n + ib] = m->contig[ib * n + ia] = c->type == 1 ? 1 : 2;
        }
    }
    /* defence ties in force, the earliest start of each dyad */
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (t->kind != ENT_TIE_PACT || !(t->obligations & ENT_OBL_DEFENSE) || t->dormant || !ent_tie_active(t, base)) {
            continue;
        }
        size_t a, b;
        if (!tie_pair(m->to_model, w, t, &a, &b)) {
            continue;
        }
        int y = year_of(t->start);
        if (!m->defence0[a * n + b] || y < m->since0[a * n + b]) {
            m->since0[a * n + b] = m->since0[b * n + a] = y;
        }
        m->defence0[a * n + b] = m->defence0[b * n + a] = 1;
        /* a pact of three or more members is a treaty others can join: group by its name */
        if (t->moniker && *t->moniker) {
            size_t g = 0;
            while (g < nnames && strcmp(names[g], t->moniker) != 0) {
                g++;
            }
            if (g == nnames) {
                if (nnames == cap) {
                    cap = cap ? 2 * cap : 64;
                    const char **nn = ent_realloc(names, cap * sizeof *names);
                    if (!nn) {
                        rc = ent_i_nomem();
                        goto done;
                    }
                    names = nn;
                }
                names[nnames++] = t->moniker;
            }
        }
    }
    /* capability share, polyarchy and defence degree of each side when the tie began */
    for (size_t a = 0; a < n; a++) {
        for (size_t b = 0; b < n; b++) {
            if (!m->defence0[a * n + b]) {
                continue;
            }
            int y = m->since0[a * n + b];
            double c = ent_world_cinc_near(w, (size_t)m->world_index[a], y, 10, 10);
            m->cinc_then0[a * n + b] = isnan(c) ? m->cinc0[a] : c;
            /* the shipped world has one polyarchy per state (2024): regime change since a tie began
             * is not observed for the base ties, so it counts 0 for them */
            m->poly_then0[a * n + b] = m->polyarchy[a];
        }
    }
    /* a's defence degree on the day its tie with b began, not counting b: scan a's spells */
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (t->kind != ENT_TIE_PACT || !(t->obligations & ENT_OBL_DEFENSE)) {
            continue;
        }
        int ia = m->to_model[ent_world_state(w, (size_t)t->a)->ccode],
            ib = m->to_model[ent_world_state(w, (size_t)t->b)->ccode];
        if (ia < 0 || ib < 0 || ia == ib) {
            continue;
        }
        for (int side = 0; side < 2; side++) {
            size_t a = (size_t)(side ? ib : ia), k2 = (size_t)(side ? ia : ib);
            /* spell a-k2 adds to deg_then(a, b) for each base tie a-b (b != k2) that began inside it */
            for (size_t b = 0; b < n; b++) {
                if (b == k2 || !m->defence0[a * n + b]) {
                    continue;
                }
                int y = m->since0[a * n + b];
                ent_date_t d = (ent_date_t)y * 10000 + 701;
                if (t->start <= d && d <= t->end) {
                    m->deg_then0[a * n + b]++;
                }
            }
        }
    }
    /* A world without basing rows (a store's historical world) gets the rule the pact model was
     * fitted with: a major power is present on the territory of its defence partners (those of the
     * base year: the proximity is fixed in a run). */
    {
        bool any = false;
        for (size_t k = 0; k < n * n && !any; k++) {
            any = m->presence_pm[k] > 0;
        }
        for (size_t a = 0; a < n && !any; a++) {
            for (size_t b = 0; b < n; b++) {
                m->presence_pm[a * n + b] = m->major[a] && m->defence0[a * n + b] ? 1.0 : 0.0;
            }
        }
    }
    /* lapsed ties (the last year a defence tie, not dormant, was in force before the base date) and
     * lesser obligations in force: the pact model's PRIOR_TIE, LESSER and LESSER_BROAD terms */
    const char *cached_name = NULL;
    size_t cached_members = 0;
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (t->kind != ENT_TIE_PACT || t->dormant) {
            continue;
        }
        size_t a, b;
        if (!tie_pair(m->to_model, w, t, &a, &b)) {
            continue;
        }
        if ((t->obligations & ENT_OBL_DEFENSE) && t->end < base && !m->defence0[a * n + b]) {
            int y = year_of(t->end);
            if (y > m->last_tie0[a * n + b]) {
                m->last_tie0[a * n + b] = m->last_tie0[b * n + a] = y;
            }
        }
        if ((t->obligations & (ENT_OBL_OFFENSE | ENT_OBL_NEUTRAL | ENT_OBL_NONAGG | ENT_OBL_CONSUL)) &&
            ent_tie_active(t, base)) {
            /* as in the historical systems: the members of the narrowest such pact of the pair, so the
             * model's breadth K tells a region-wide declaration (the Helsinki Final Act) from a pact of few */
            size_t members = 2;
            if (t->moniker && *t->moniker) {
                if (!cached_name || strcmp(cached_name, t->moniker) != 0) { /* a pact's ties are mostly adjacent */
                    if (!seen && !(seen = ent_malloc(n))) {
                        rc = ent_i_nomem();
                        goto done;
                    }
                    cached_members = pact_members_at(m, w, t->moniker, base, seen);
                    cached_name = t->moniker;
                }
                members = cached_members;
            }
            unsigned char wd = members > 255 ? 255 : members < 2 ? 2 : (unsigned char)members;
            unsigned char *cur = &m->lesser[a * n + b];
            if (*cur == 0 || wd < *cur) {
                *cur = m->lesser[b * n + a] = wd;
            }
        }
    }
    /* the treaties: a name shared by the ties of three or more members in force */
    {
        size_t nt = 0;
        unsigned char *mem = ent_calloc((nnames ? nnames : 1) * n, 1);
        int64_t *ids = ent_calloc(nnames ? nnames : 1, sizeof *ids);
        tname = ent_calloc(nnames ? nnames : 1, sizeof *tname);
        if (!mem || !ids || !tname) {
            ent_free(mem);
            ent_free(ids);
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t g = 0; g < nnames; g++) {
            unsigned char *row = &mem[nt * n];
            memset(row, 0, n);
            ids[nt] = -1;
            size_t count = 0;
            for (size_t k = 0; k < ent_world_nties(w); k++) {
                const ent_tie_t *t = ent_world_tie(w, k);
                if (t->kind != ENT_TIE_PACT || !(t->obligations & ENT_OBL_DEFENSE) || t->dormant ||
                    !ent_tie_active(t, base) || !t->moniker || strcmp(t->moniker, names[g]) != 0) {
                    continue;
                }
                int ia = m->to_model[ent_world_state(w, (size_t)t->a)->ccode],
                    ib = m->to_model[ent_world_state(w, (size_t)t->b)->ccode];
                if (ia < 0 || ib < 0 || ia == ib) {
                    continue;
                }
                count += !row[ia] + !row[ib];
                row[ia] = row[ib] = 1;
                const char *at = t->source ? strstr(t->source, "atopid ") : NULL;
                if (at && ids[nt] < 0) {
                    ids[nt] = strtoll(at + 7, NULL, 10);
                }
            }
            tname[nt] = names[g];
            nt += count >= 3;
        }
        m->ntreaties = nt;
        m->member0 = mem;
        m->treaty_id = ids;
    }
    /* the fitted model and its proximity of every ordered pair (fixed in a run: presence is the
     * shipped world's basing rows, distances and major powers do not change) */
    if ((rc = ent_pactmodel_load(&m->pm, ent_pactmodel_default_path())) != ENT_OK) {
        goto done;
    }
    /* the poles' record, when the norm draws are conditioned on it (without a prior spread nothing is
     * drawn, so nothing is conditioned) */
    if (m->s.record && m->s.prior_spread > 0) {
        const char *rp = ent_pmrecord_default_path();
        if ((rc = ent_pmrecord_load(&m->rec, rp)) != ENT_OK) {
            rc = ent_i_err(rc,
                           "%s (the poles' record; `entente fit --record` writes it, `record: false` runs without it)",
                           ent_errmsg());
            goto done;
        }
        /* a run from a historical world (1990, say) sees only the record up to its start year */
        ent_pmrecord_keep_until(m->rec, m->s.start_year);
        for (int p = 0; p < m->np; p++) {
            int32_t cc = m->ccode[m->pole[p]];
            m->rec_on[p] =
                ent_pmrecord_has(m->rec, cc) && m->s.norm0[p] > 0 && m->s.norm0[p] < 1 && m->s.norm_weight > 0;
            if (m->rec_on[p]) {
                m->rec_max[p] = ent_pmrecord_max(m->rec, cc, -1000.0, 0.0, &m->rec_arg[p]);
            }
        }
    }
    {
        ent_pmneutral_t *neu = NULL;
        if ((rc = ent_pmneutral_load(&neu, ent_pmneutral_default_path())) != ENT_OK) {
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            m->neutral[i] = ent_pmneutral_is(neu, m->ccode[i], year_of(base));
        }
        ent_pmneutral_free(neu);
    }
    {
        /* who may accede to each treaty: a state its clause bars has no join decision */
        ent_pmaccess_t *acc = NULL;
        if ((rc = ent_pmaccess_load(&acc, ent_pmaccess_default_path())) != ENT_OK) {
            goto done;
        }
        m->eligible = ent_malloc(m->ntreaties ? m->ntreaties * n : 1);
        if (!m->eligible) {
            ent_pmaccess_free(acc);
            rc = ent_i_nomem();
            goto done;
        }
        ent_pmaccess_fill(acc, m->treaty_id, m->ntreaties, m->ccode, n, m->eligible);
        /* a treaty of the world without an ATOP id (the Alliance of Sahel States) by its name */
        for (size_t q = 0; q < m->ntreaties; q++) {
            for (size_t i = 0; m->treaty_id[q] < 0 && i < n; i++) {
                m->eligible[q * n + i] = ent_pmaccess_may_named(acc, tname[q], m->ccode[i]);
            }
        }
        ent_pmaccess_free(acc);
    }
    if (!(m->pm_prox = ent_calloc(n * n, sizeof *m->pm_prox))) {
        rc = ent_i_nomem();
        goto done;
    }
    {
        ent_sysyear_t sys;
        pm_sys_view(m, &sys, m->cinc0, m->host0, m->defence0, NULL);
        rc = ent_i_pm_proximity(ent_pactmodel_settings(m->pm), &sys, m->pm_prox);
    }
done:
    ent_free(names);
    ent_free(tname);
    ent_free(seen);
    return rc;
}

/* The pole of a bitmask with exactly one bit set, else -1. */
static int single_bit(unsigned char b)
{
    if (b == 0 || (b & (b - 1)) != 0) {
        return -1;
    }
    int p = 0;
    while (!((b >> p) & 1)) {
        p++;
    }
    return p;
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
    if (s->npoles < 2 || s->npoles > ENT_SIM_MAX_POLES) {
        rc = ent_i_err(ENT_EINVAL, "a scenario needs 2 to %d poles, not %d", ENT_SIM_MAX_POLES, s->npoles);
        goto done;
    }
    m->np = s->npoles;
    if (!(m->pidx = ent_malloc(n))) {
        rc = ent_i_nomem();
        goto done;
    }
    memset(m->pidx, -1, n);
    for (int p = 0; p < m->np; p++) {
        m->pole[p] = SIZE_MAX;
        for (size_t i = 0; i < n; i++) {
            if (ent_world_state(w, (size_t)m->world_index[i])->ccode == s->poles[p]) {
                m->pole[p] = i;
            }
        }
        if (m->pole[p] == SIZE_MAX) {
            int64_t wi = ent_world_state_index(w, s->poles[p]);
            rc = ent_i_err(ENT_EINVAL, "pole %s (COW %d) is not a state of the world on 31 December %d%s",
                           wi >= 0 ? ent_world_state(w, (size_t)wi)->abbr : "?", s->poles[p], s->start_year,
                           wi >= 0 ? " (not in the state system then)" : "");
            goto done;
        }
    }
    for (int p = 0; p < m->np; p++) {
        if (m->pidx[m->pole[p]] >= 0) {
            rc = ent_i_err(ENT_EINVAL, "the poles must differ (COW %d is listed twice)", s->poles[p]);
            goto done;
        }
        m->pidx[m->pole[p]] = (signed char)p;
    }
    for (int p = 0; p < m->np; p++) {
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
    for (int p = 0; p < m->np; p++) {
        ALLOC(m->trade[p], n);
        ALLOC(m->partner0[p], n);
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
            /* a distance the world holds for the pair (a store's historical world: COW's capital
             * distances of the year) before the capitals' coordinates (the shipped world) */
            double d = i == j ? 0 : ent_world_distance(w, (size_t)m->world_index[i], (size_t)m->world_index[j]);
            if (isnan(d)) {
                d = isnan(a->cap_lat) || isnan(b->cap_lat)
                        ? 10000
                        : haversine_km(a->cap_lat, a->cap_lon, b->cap_lat, b->cap_lon);
            }
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
        /* The trade columns name China and the US: any other pole's trade share is unknown (0.1). */
        for (int p = 0; p < m->np; p++) {
            double v = s->poles[p] == 710 ? tc : (s->poles[p] == 2 ? tu : NAN);
            m->trade[p][i] = isnan(v) ? 0.1 : v;
        }
        for (int p = 0; p < m->np; p++) {
            if (i == m->pole[p]) {
                m->trade[p][i] = 0;
            }
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
        size_t a, b;
        if (!tie_pair(to_model, w, t, &a, &b)) {
            continue;
        }
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
                /* a pact between two poles aligns neither */
                if (m->pidx[a] >= 0 && m->pidx[b] < 0) {
                    m->pact0[b] |= (unsigned char)(1u << m->pidx[a]);
                } else if (m->pidx[b] >= 0 && m->pidx[a] < 0) {
                    m->pact0[a] |= (unsigned char)(1u << m->pidx[b]);
                }
                if (m->pidx[a] < 0 && m->pidx[b] < 0) {
                    m->static_pos[a * n + b] = m->static_pos[b * n + a] = 1;
                }
            }
            break;
        case ENT_TIE_PARTNERSHIP:
            for (int p = 0; p < m->np; p++) {
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
            for (int p = 0; p < m->np; p++) {
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
        for (int p = 0; p < m->np && ia >= 0; p++) {
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
        for (int p = 0; p < m->np; p++) {
            if (m->pact0[i] & (1u << p)) {
                m->partner0[p][i] = 1.0;
            }
        }
        /* Initial alignment (docs/models/alignment.md): a defence pact with one pole, or else a
         * de facto alignment -- the pole's top partnership tier, or major arms supply or basing
         * (intensity 3) from one pole only -- aligns a state with that pole; the rest hedge. */
        int only_pact = single_bit(m->pact0[i]), only_de_facto = single_bit(de_facto[i]);
        if (m->pidx[i] >= 0) {
            m->align0[i] = (unsigned char)ENT_ALIGN_SELF(m->np);
        } else if (only_pact >= 0) {
            m->align0[i] = (unsigned char)ENT_ALIGN_WITH(only_pact);
        } else if (m->pact0[i] == 0 && only_de_facto >= 0) {
            m->align0[i] = (unsigned char)ENT_ALIGN_WITH(only_de_facto);
        } else {
            m->align0[i] = ENT_ALIGN_HEDGE;
        }
        m->growth_i[i] = s->growth_other;
    }
    for (int p = 0; p < m->np; p++) {
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
    /* The fitted pact model's base year (before presence gains allied territory below: the pact
     * model reads bases and deployments only and derives the rest itself) */
    if ((rc = build_pact_system(m, w, presence, base)) != ENT_OK) {
        goto done;
    }
    /* Reach (issue 12): a state's power is felt from its capital and from wherever it is present --
     * its bases and deployments, and, for a state that projects power (a pole, or one with a base
     * abroad), its allies' territory at half weight. Allied territory of non-pole pacts is fixed; a
     * pole's pacts change in a run, which adds them each year (pole_reach_update). */
    for (int p = 0; p < m->np; p++) {
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
    ent_levers_t neutral[ENT_SIM_MAX_POLES];
    memset(neutral, 0, sizeof neutral);
    for (int p = 0; p < m->np; p++) {
        pole_reach_update(m, m->pole_reach0[p], p, m->pact0);
    }
    for (int p = 0; p < m->np; p++) {
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
 * (from_p > 0), when every other pole's bloc is less present at i than p is: bloc capability times its
 * reach, so US forces in Japan, Korea and the Philippines count there, not in Washington. */
static bool finland_allowed(const ent_model_t *m, size_t i, int p, double from_p, const double *pole_cap, double c_p,
                            const double *const *preach)
{
    if (m->dist[i * m->n + m->pole[p]] > m->s.finland_distance_km || !(from_p > 0)) {
        return false;
    }
    for (int q = 0; q < m->np; q++) {
        if (q != p && !(pole_cap[q] * preach[q][i] < c_p * preach[p][i])) {
            return false;
        }
    }
    return true;
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
    if (i >= n || p < 0 || p >= m->np || m->pidx[i] >= 0) {
        return false;
    }
    double pole_cap[ENT_SIM_MAX_POLES] = {0};
    for (size_t j = 0; j < n; j++) {
        for (int k = 0; k < m->np; k++) {
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
    assert(pole >= 0 && pole < m->np);
    if (index) {
        *index = m->index0[pole];
    }
    return m->threat0[pole];
}

const char *ent_model_pole_code(const ent_model_t *m, int pole)
{
    return pole >= 0 && pole < m->np ? m->pole_code[pole] : "?";
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
    double *partner[ENT_SIM_MAX_POLES];
    double *tradecut[ENT_SIM_MAX_POLES]; /* sanctions: fraction of trade with the pole lost this year */
    unsigned char *align;
    unsigned char *align_prev; /* last year's alignments, which this year's choices see */
    unsigned char *pact;       /* bit p */
    run_pm_t pm;               /* the pact model's system */
    double *bloc_cap;          /* scratch */
    /* Hostility is sparse (a few dozen rivalries and coercion episodes among ~190 states): the
     * threat sums run over these lists, rebuilt only in years when shocks change the matrix. */
    size_t *adj_start;                 /* [n + 1] */
    int32_t *adj_j;                    /* neighbours */
    double *adj_ph;                    /* prox * hostility */
    double *adj_h;                     /* hostility */
    double *preach[ENT_SIM_MAX_POLES]; /* each pole's reach this year (pole_reach_update) */
    int formed[ENT_SIM_MAX_POLES];     /* new defence pacts each pole has formed in the run */
} run_state_t;

static void run_state_free(run_state_t *r)
{
    ent_free(r->c);
    ent_free(r->host);
    for (int p = 0; p < ENT_SIM_MAX_POLES; p++) {
        ent_free(r->partner[p]);
        ent_free(r->tradecut[p]);
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
    run_pm_t *q = &r->pm;
    ent_free(q->defence);
    ent_free(q->since);
    ent_free(q->cinc_then);
    ent_free(q->poly_then);
    ent_free(q->deg_then);
    ent_free(q->member);
    ent_free(q->last_tie);
    ent_free(q->offset);
    ent_free(q->theta);
    ent_free(q->ustatic);
    ent_free(q->u);
    ent_free(q->sig);
    ent_free(q->tlist);
    ent_free(q->tcount);
    ent_free(q->l1p);
    ent_free(q->ce);
    ent_free(q->q);
    ent_free(q->ca);
    ent_free(q->co);
    ent_free(q->ends);
    ent_free(q->newtie);
    ent_free(q->deg);
    ent_free(q->sq);
    ent_free(q->threat);
    ent_free(q->joined);
    ent_free(q->list);
    ent_free(q->list_start);
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
    for (int p = 0; p < m->np; p++) {
        pole_reach_update(m, r->preach[p], p, r->pact);
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = r->adj_start[i]; k < r->adj_start[i + 1]; k++) {
            int pj = m->pidx[r->adj_j[k]];
            if (pj >= 0) {
                r->adj_ph[k] = r->adj_h[k] * r->preach[pj][i];
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
    for (int p = 0; p < m->np && ok; p++) {
        r->partner[p] = ent_malloc(n * sizeof *r->partner[p]);
        r->tradecut[p] = ent_calloc(n, sizeof *r->tradecut[p]);
        r->preach[p] = ent_malloc(n * sizeof *r->preach[p]);
        ok = r->partner[p] && r->tradecut[p] && r->preach[p];
    }
    if (!ok) {
        run_state_free(r);
        return ent_i_nomem();
    }
    run_pm_t *q = &r->pm;
    size_t nn = n * n, nt = m->ntreaties ? m->ntreaties : 1;
    q->defence = ent_malloc(nn);
    q->since = ent_malloc(nn * sizeof *q->since);
    q->cinc_then = ent_malloc(nn * sizeof *q->cinc_then);
    q->poly_then = ent_malloc(nn * sizeof *q->poly_then);
    q->deg_then = ent_malloc(nn * sizeof *q->deg_then);
    q->member = ent_calloc(nt * n, 1);
    q->last_tie = ent_malloc(nn * sizeof *q->last_tie);
    q->offset = ent_calloc(n, sizeof *q->offset);
    q->theta = ent_calloc(ENT_PM_NPARAMS, sizeof *q->theta);
    q->ustatic = ent_malloc(nn * sizeof *q->ustatic);
    q->u = ent_malloc(nn * sizeof *q->u);
    q->sig = ent_malloc(nn * sizeof *q->sig);
    q->tlist = ent_malloc(nt * n * sizeof *q->tlist);
    q->tcount = ent_malloc(nt * sizeof *q->tcount);
    q->l1p = ent_malloc((n + 1) * sizeof *q->l1p);
    q->ce = ent_malloc(nn * sizeof *q->ce);
    q->q = ent_malloc(nn * sizeof *q->q);
    q->ca = ent_malloc(nn * sizeof *q->ca);
    q->co = ent_malloc(nn);
    q->ends = ent_malloc(nn);
    q->newtie = ent_malloc(nn);
    q->deg = ent_malloc(n * sizeof *q->deg);
    q->sq = ent_malloc(n * sizeof *q->sq);
    q->threat = ent_malloc(n * sizeof *q->threat);
    q->joined = ent_malloc(n * sizeof *q->joined);
    q->list = ent_malloc(nn * sizeof *q->list);
    q->list_start = ent_malloc((n + 1) * sizeof *q->list_start);
    if (!q->defence || !q->since || !q->cinc_then || !q->poly_then || !q->deg_then || !q->member || !q->last_tie ||
        !q->offset || !q->theta || !q->ustatic || !q->u || !q->sig || !q->l1p || !q->tlist || !q->tcount || !q->ce ||
        !q->q || !q->ca || !q->co || !q->ends || !q->newtie || !q->deg || !q->sq || !q->threat || !q->joined ||
        !q->list || !q->list_start) {
        run_state_free(r);
        return ent_i_nomem();
    }
    for (size_t k = 0; k <= n; k++) {
        q->l1p[k] = log1p((double)k);
    }
    memcpy(q->defence, m->defence0, nn);
    memcpy(q->since, m->since0, nn * sizeof *q->since);
    memcpy(q->cinc_then, m->cinc_then0, nn * sizeof *q->cinc_then);
    memcpy(q->poly_then, m->poly_then0, nn * sizeof *q->poly_then);
    memcpy(q->deg_then, m->deg_then0, nn * sizeof *q->deg_then);
    memcpy(q->last_tie, m->last_tie0, nn * sizeof *q->last_tie);
    if (m->ntreaties) {
        memcpy(q->member, m->member0, m->ntreaties * n);
    }
    memcpy(r->c, m->cinc0, n * sizeof *r->c);
    memcpy(r->align, m->align0, n);
    memcpy(r->pact, m->pact0, n);
    for (int p = 0; p < m->np; p++) {
        memcpy(r->partner[p], m->partner0[p], n * sizeof *r->partner[p]);
        memcpy(r->preach[p], m->pole_reach0[p], n * sizeof *r->preach[p]);
    }
    return ENT_OK;
}

/* The bloc of state i: p for pole p and the states aligned with it, -1 for the uncommitted. */
static int bloc_of(const ent_model_t *m, const run_state_t *r, size_t i)
{
    int a = r->align[i];
    if (a == ENT_ALIGN_SELF(m->np)) {
        return m->pidx[i];
    }
    return a >= ENT_ALIGN_WITH(0) && a < ENT_ALIGN_WITH(m->np) ? a - ENT_ALIGN_WITH(0) : -1;
}

/*
 * The record's pact bits of state i: bit p for a defence tie with pole p. For a state that is not a
 * pole they are r->pact; for a pole they are its ties with the other poles, read from the pact
 * model's network. r->pact keeps a pole's byte 0 because the dynamics read it (a bloc's strength,
 * a pole's reach over its allies' territory, protection): a pact between two poles is counted and
 * reported, but it makes neither a member of the other's bloc.
 */
static unsigned char record_pact_bits(const ent_model_t *m, const run_state_t *r, size_t i)
{
    int pi = m->pidx[i];
    if (pi < 0) {
        return r->pact[i];
    }
    unsigned char b = 0;
    for (int p = 0; p < m->np; p++) {
        if (p != pi && r->pm.defence[m->pole[p] * m->n + i]) {
            b |= (unsigned char)(1u << p);
        }
    }
    return b;
}

/* Records the year's aggregate series into t->series[y] (and the per-state arrays). */
static void record(ent_run_trace_t *t, int y, const ent_model_t *m, const run_state_t *r, const double *norm,
                   const double *threat)
{
    size_t n = m->n;
    int np = m->np;
    ent_run_year_t *o = &t->series[y];
    memset(o, 0, sizeof *o);
    double share[ENT_SIM_MAX_POLES + 1] = {0}; /* each pole's bloc, then the rest at [np] */
    for (size_t i = 0; i < n; i++) {
        int a = r->align[i];
        unsigned char bits = record_pact_bits(m, r, i);
        t->align[(size_t)y * n + i] = (unsigned char)a;
        t->pact[(size_t)y * n + i] = bits;
        int b = bloc_of(m, r, i);
        if (b >= 0) {
            share[b] += r->c[i];
        } else {
            share[np] += r->c[i];
            if (a == ENT_ALIGN_HEDGE) {
                o->hedgers++;
            } else {
                o->finlandized[a - ENT_ALIGN_FINLANDIZED(np, 0)]++;
            }
        }
        for (int p = 0; p < np; p++) {
            o->npacts[p] += (bits >> p) & 1; /* a pact with another pole counts for both */
        }
    }
    double blocs = 0;
    for (int p = 0; p < np; p++) {
        o->bloc_share[p] = share[p];
        o->norm[p] = norm[p];
        o->threat[p] = threat[p];
        blocs += share[p];
    }
    o->bipolarity = blocs; /* the blocs' total share (with two poles, bipolarity) */
    /* Esteban-Ray (1994) polarization of the capability distribution over the blocs and the
     * uncommitted: two blocs are 1 apart, a bloc and the uncommitted 1/2 (with two poles, bloc 0 at
     * 0, the uncommitted at 1/2, bloc 1 at 1), alpha = 1.6, scaled so that two equal blocs score 1. */
    const double alpha = 1.6;
    double er = 0;
    for (int a = 0; a <= np; a++) {
        for (int b = 0; b <= np; b++) {
            double d = a == b ? 0.0 : (a == np || b == np ? 0.5 : 1.0);
            er += pow(share[a], 1 + alpha) * share[b] * d;
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
    for (int p = 0; p < np; p++) {
        for (size_t j = 0; j < n; j++) {
            if ((r->pact[j] >> p) & 1) {
                int bj = bloc_of(m, r, j);
                fr += bj >= 0 && bj != p;
            }
        }
        for (int q = p + 1; q < np; q++) { /* two poles allied: a pact across blocs */
            fr += r->pm.defence[m->pole[p] * n + m->pole[q]] != 0;
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

/* ------------------------------------------------------------------ pacts: the fitted model */

/*
 * The pact model's utilities u_ij = theta_form . x_ij + offset_i for every ordered pair, the same
 * numbers ent_pactmodel_utility() computes (tests/unit/sim_pacts.c checks them to 1e-9) but in
 * O(n^2) plus the sparse sums: hostility is a few hundred dyads among ~190 states and defence ties
 * a few thousand. The library's ent_pactmodel_step() recomputes every term each year (9.5 ms at
 * n = 194, measured), several times what a whole simulated year costs here. The terms that do not
 * change in a run (distance, UN and regime distance, major power, lesser obligations, neutrality) are summed
 * once per run into `ustatic`.
 */
static void pm_static_utility(const ent_model_t *m, run_pm_t *q)
{
    size_t n = m->n;
    const double *th = q->theta;
    const double K = ent_pactmodel_settings(m->pm)->lesser_broad;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            if (i == j) {
                q->ustatic[i * n + j] = 0;
                continue;
            }
            double v = th[ENT_PM_F_CONST];
            double d = m->dist[i * n + j];
            v += th[ENT_PM_F_LDIST] * (isfinite(d) && d > 0 ? log1p(d / 1000.0) : 0.0);
            double id = fabs(m->ideal[i] - m->ideal[j]); /* NaN when either is unknown */
            v += isfinite(id) ? th[ENT_PM_F_IDEAL_DIST] * id : th[ENT_PM_F_IDEAL_MISSING];
            double rd = fabs(m->polyarchy[i] - m->polyarchy[j]);
            v += isfinite(rd) ? th[ENT_PM_F_REGIME_DIST] * rd : th[ENT_PM_F_REGIME_MISSING];
            v += th[ENT_PM_F_MAJOR] * (m->major[j] ? 1.0 : 0.0);
            int lk = ent_i_pm_lesser_kind(m->lesser[i * n + j], K);
            v += lk == 0 ? th[ENT_PM_F_LESSER] : lk == 1 ? th[ENT_PM_F_LESSER_BROAD] : 0.0;
            unsigned char ct = m->contig[i * n + j];
            v += th[ENT_PM_F_CONTIG_LAND] * (ct == 1 ? 1.0 : 0.0) + th[ENT_PM_F_CONTIG_SEA] * (ct == 2 ? 1.0 : 0.0);
            v += th[ENT_PM_F_NEUTRAL] * (m->neutral[i] ? 1.0 : 0.0);
            q->ustatic[i * n + j] = v;
        }
    }
}

/* Rebuilds the allies lists and degrees from the defence matrix. */
static void pm_allies(const ent_model_t *m, run_pm_t *q)
{
    size_t n = m->n, k = 0;
    for (size_t i = 0; i < n; i++) {
        q->list_start[i] = k;
        const unsigned char *d = &q->defence[i * n];
        for (size_t j = 0; j < n; j++) {
            if (d[j] && j != i) {
                q->list[k++] = j;
            }
        }
        q->deg[i] = (int)(k - q->list_start[i]);
    }
    q->list_start[n] = k;
}

/* This year's utilities from the run's state (capability shares c, hostility lists of r). */
static void pm_utility(const ent_model_t *m, const run_state_t *r, run_pm_t *q, int year)
{
    size_t n = m->n, nn = n * n;
    const double *th = q->theta, *c = r->c;
    const double ref = ent_pactmodel_settings(m->pm)->threat_ref;
    pm_allies(m, q);
    memset(q->ce, 0, nn * sizeof *q->ce);
    memset(q->q, 0, nn * sizeof *q->q);
    memset(q->ca, 0, nn * sizeof *q->ca);
    for (size_t k = 0; k < n; k++) {
        /* threat felt by k, and sum_j h_kj c_j; pairs of k's adversaries share k as an enemy */
        double t = 0, sq = 0;
        for (size_t a = r->adj_start[k]; a < r->adj_start[k + 1]; a++) {
            size_t j = (size_t)r->adj_j[a];
            double h = r->adj_h[a] > 1 ? 1 : r->adj_h[a];
            t += h * c[j] * m->pm_prox[j * n + k];
            sq += h * c[j];
            for (size_t b = r->adj_start[k]; b < r->adj_start[k + 1]; b++) {
                size_t i = (size_t)r->adj_j[b];
                if (i == j) {
                    continue;
                }
                double hi = r->adj_h[b] > 1 ? 1 : r->adj_h[b];
                q->ce[i * n + j] += (hi < h ? hi : h) * c[k]; /* min(h_ik, h_jk) c_k */
                q->q[i * n + j] += h * hi * c[k];             /* h_jk h_ik c_k */
            }
        }
        q->threat[k] = log1p(t / ref);
        q->sq[k] = sq;
        for (size_t a = q->list_start[k]; a < q->list_start[k + 1]; a++) {
            for (size_t b = q->list_start[k]; b < q->list_start[k + 1]; b++) {
                if (a != b) {
                    q->ca[q->list[a] * n + q->list[b]]++;
                }
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        double off = q->offset[i];
        const double *hrow = &r->host[i * n];
        for (size_t j = 0; j < n; j++) {
            if (i == j) {
                q->u[i * n + j] = 0;
                q->sig[i * n + j] = 0.5;
                continue;
            }
            size_t ij = i * n + j;
            double h = hrow[j] > 1 ? 1 : hrow[j];
            double deter = 10.0 * c[j] * m->pm_prox[j * n + i];
            /* the partner's quarrels i does not share: sum_{k != i,j} h_jk (1 - h_ik) c_k */
            double ent = q->sq[j] - h * c[i] - q->q[ij];
            double v = q->ustatic[ij] + off;
            v += th[ENT_PM_F_HOSTILE] * h + th[ENT_PM_F_COMMON_ENEMY] * 10.0 * q->ce[ij] +
                 th[ENT_PM_F_THREAT] * q->threat[i] + th[ENT_PM_F_DETER] * deter +
                 th[ENT_PM_F_THREAT_DETER] * q->threat[i] * deter + th[ENT_PM_F_ENTANGLE] * 10.0 * ent +
                 th[ENT_PM_F_COMMON_ALLIES] * q->l1p[q->ca[ij]] + th[ENT_PM_F_DEGREE] * q->l1p[q->deg[j]];
            int lt = q->last_tie[ij];
            if (lt > 0 && lt <= year && !q->defence[ij]) { /* a lapsed tie revives, fading over a decade */
                v += th[ENT_PM_F_PRIOR_TIE] * exp(-(double)(year - lt) / 10.0);
            }
            q->u[ij] = v;
            q->sig[ij] = ent_i_pm_sigmoid(v);
        }
    }
}

/*
 * One decision's uniform: a counter-based hash of (seed, run, year, decision, i, j) (splitmix64
 * finaliser). Every scenario run with the same seed draws the same uniform for the same decision,
 * whatever else differs -- common random numbers decision by decision, which keeps the paired lever
 * effects tight (a sequential stream would shift as soon as one scenario had one more tie).
 */
static double pm_uniform(uint64_t seed, uint64_t run, int year, int kind, size_t i, size_t j)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL ^ (run + 0x632BE59BD9B4E019ULL) * 0xBF58476D1CE4E5B9ULL;
    x ^= ((uint64_t)(unsigned)year << 40) ^ ((uint64_t)kind << 56) ^ ((uint64_t)i << 20) ^ (uint64_t)j;
    for (int r = 0; r < 2; r++) {
        x += 0x9E3779B97F4A7C15ULL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
        x ^= x >> 31;
    }
    return (double)(x >> 11) * 0x1.0p-53;
}

/* The termination terms of the tie i-j, as ent_i_pm_end_terms (degrees from q->deg, co-membership from q->co). */
static double pm_end_eta(const ent_model_t *m, const run_state_t *r, const run_pm_t *q, int year, size_t i, size_t j)
{
    size_t n = m->n;
    const double *g = q->theta + ENT_PM_NFORM;
    double z[ENT_PM_NEND] = {0};
    z[ENT_PM_E_CONST] = 1.0;
    double ci = r->c[i], cj = r->c[j], c0i = q->cinc_then[i * n + j], c0j = q->cinc_then[j * n + i];
    if (ci + cj > 0 && isfinite(c0i) && isfinite(c0j) && c0i + c0j > 0) {
        z[ENT_PM_E_DPOWER] = fabs(ci / (ci + cj) - c0i / (c0i + c0j));
    }
    double a = fabs(m->polyarchy[i] - q->poly_then[i * n + j]), b = fabs(m->polyarchy[j] - q->poly_then[j * n + i]);
    z[ENT_PM_E_DREGIME] = (isfinite(a) ? a : 0) + (isfinite(b) ? b : 0);
    int gi = q->deg[i] - 1 - q->deg_then[i * n + j], gj = q->deg[j] - 1 - q->deg_then[j * n + i];
    z[ENT_PM_E_OUTSIDE] = log1p((double)((gi > 0 ? gi : 0) + (gj > 0 ? gj : 0)));
    double h = r->host[i * n + j];
    z[ENT_PM_E_HOSTILE] = h > 1 ? 1 : h;
    int since = q->since[i * n + j];
    if (since > 0 && since <= year) {
        z[ENT_PM_E_LAGE] = log1p((double)(year - since));
    }
    double id = fabs(m->ideal[i] - m->ideal[j]);
    z[ENT_PM_E_IDEAL_DIST] = isfinite(id) ? id : 0.0;
    z[ENT_PM_E_IDEAL_MISSING] = isfinite(id) ? 0.0 : 1.0;
    z[ENT_PM_E_MULTILAT] = q->co[i * n + j] ? 1.0 : 0.0;
    double eta = 0;
    for (int k = 0; k < ENT_PM_NEND; k++) {
        eta += g[k] * z[k];
    }
    return eta;
}

/* Which pairs share a multilateral treaty (the termination's MULTILAT term). */
static void pm_comember(const ent_model_t *m, run_pm_t *q)
{
    size_t n = m->n;
    memset(q->co, 0, n * n);
    for (size_t t = 0; t < m->ntreaties; t++) {
        const unsigned char *mt = &q->member[t * n];
        size_t *lt = &q->tlist[t * n], c = 0;
        for (size_t i = 0; i < n; i++) {
            if (mt[i]) {
                lt[c++] = i;
            }
        }
        q->tcount[t] = c;
        for (size_t a = 0; a < c; a++) {
            for (size_t b = 0; b < c; b++) {
                q->co[lt[a] * n + lt[b]] |= a != b;
            }
        }
    }
}

/* P(k joins treaty t), as ent_i_pm_join_prob: k's mean utility toward the members times their mean
 * consent; 0 for a member, a state the treaty's accession clause bars, a treaty under three members,
 * or one whose members k is all tied to. */
static double pm_join_prob(const ent_model_t *m, const run_pm_t *q, size_t t, size_t k)
{
    size_t n = m->n, cnt = q->tcount[t], tied = 0;
    const size_t *lt = &q->tlist[t * n];
    if (q->member[t * n + k] || !m->eligible[t * n + k]) {
        return 0.0; /* a member, or barred by the treaty's accession clause */
    }
    double su = 0, sc = 0;
    for (size_t a = 0; a < cnt; a++) { /* in member order, as the library sums them */
        size_t b = lt[a];
        su += q->u[k * n + b];
        sc += q->sig[b * n + k];
        tied += q->defence[k * n + b] != 0;
    }
    if (cnt < 3 || tied == cnt) {
        return 0.0;
    }
    return ent_i_pm_sigmoid(su / (double)cnt) * (sc / (double)cnt);
}

/* Records the start of a tie in year y, as the library's step does. */
static void pm_start_tie(const ent_model_t *m, const run_state_t *r, run_pm_t *q, size_t i, size_t j, int y,
                         const int *deg)
{
    size_t n = m->n;
    q->defence[i * n + j] = q->defence[j * n + i] = 1;
    q->since[i * n + j] = q->since[j * n + i] = y;
    q->cinc_then[i * n + j] = r->c[i];
    q->cinc_then[j * n + i] = r->c[j];
    q->poly_then[i * n + j] = m->polyarchy[i];
    q->poly_then[j * n + i] = m->polyarchy[j];
    q->deg_then[i * n + j] = deg[i];
    q->deg_then[j * n + i] = deg[j];
}

/*
 * One year of pacts from the system as it stands in year-1, with ent_pactmodel_step()'s rules and
 * order: every termination (ties i < j in row order), every join (treaties in order, states in
 * order, at most one treaty a state a year: all the treaty's dyads at once), every bilateral pact
 * with both sides' consent (pairs i < j not tied and not made partners by a join), then applied
 * together; a member left with no tie to another member leaves its treaty. Calls `on_event(p)` for
 * each new pact or join involving pole p. The probabilities are the library's (tested equal); the
 * uniforms are pm_uniform's.
 */
static void pm_step(const ent_model_t *m, run_state_t *r, uint64_t seed, uint64_t run, int year, int *pole_new)
{
    size_t n = m->n, nn = n * n, nt = m->ntreaties;
    run_pm_t *q = &r->pm;
    pm_utility(m, r, q, year - 1); /* the system of year - 1, as the library's step reads it */
    pm_comember(m, q);
    memset(q->ends, 0, nn);
    memset(q->newtie, 0, nn);
    memset(q->joined, 0, n * sizeof *q->joined);
    for (int p = 0; p < m->np; p++) {
        pole_new[p] = 0;
    }
    int prev = year - 1;
    /* 1. terminations */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            /* a tie imposed this year (a pact shock) is not at risk until next year */
            if (q->defence[i * n + j] && q->since[i * n + j] != year &&
                pm_uniform(seed, run, year, 0, i, j) < ent_i_pm_sigmoid(pm_end_eta(m, r, q, prev, i, j))) {
                q->ends[i * n + j] = 1;
            }
        }
    }
    /* 2. joins */
    for (size_t t = 0; t < nt; t++) {
        const unsigned char *mt = &q->member[t * n];
        for (size_t k = 0; k < n; k++) {
            double pj = pm_join_prob(m, q, t, k);
            if (pj > 0 && pm_uniform(seed, run, year, 1, t, k) < pj && !q->joined[k]) {
                q->joined[k] = t + 1;
                for (size_t b = 0; b < n; b++) {
                    if (b != k && mt[b] && !q->defence[k * n + b]) {
                        q->newtie[k * n + b] = q->newtie[b * n + k] = 1;
                    }
                }
            }
        }
    }
    /* 3. bilateral pacts, both sides consenting */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (q->defence[i * n + j] || q->newtie[i * n + j]) {
                continue;
            }
            double pf = q->sig[i * n + j] * q->sig[j * n + i];
            if (pm_uniform(seed, run, year, 2, i, j) < pf) {
                q->newtie[i * n + j] = q->newtie[j * n + i] = 1;
            }
        }
    }
    /* a pole's new allies this year, another pole among them (a pact of two poles counts for both) */
    for (int p = 0; p < m->np; p++) {
        size_t pi = m->pole[p];
        for (size_t j = 0; j < n; j++) {
            pole_new[p] += q->newtie[pi * n + j];
        }
    }
    /* apply: the degrees at a new tie's start are those before this year's changes */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (q->ends[i * n + j]) {
                q->defence[i * n + j] = q->defence[j * n + i] = 0;
                q->last_tie[i * n + j] = q->last_tie[j * n + i] = prev; /* its last year in force */
            }
            if (q->newtie[i * n + j]) {
                pm_start_tie(m, r, q, i, j, year, q->deg);
            }
        }
    }
    for (size_t k = 0; k < n; k++) {
        if (q->joined[k]) {
            q->member[(q->joined[k] - 1) * n + k] = 1;
        }
    }
    for (size_t t = 0; t < nt; t++) {
        unsigned char *mt = &q->member[t * n];
        for (size_t i = 0; i < n; i++) {
            bool any = false;
            for (size_t j = 0; mt[i] && j < n && !any; j++) {
                any = j != i && mt[j] && q->defence[i * n + j];
            }
            if (mt[i] && !any) {
                mt[i] = 0;
            }
        }
    }
}

/* A pole's pacts (bit p of r->pact) from the defence matrix. */
static void pm_sync_pole_pacts(const ent_model_t *m, run_state_t *r)
{
    size_t n = m->n;
    for (size_t j = 0; j < n; j++) {
        unsigned char b = 0;
        for (int p = 0; p < m->np && m->pidx[j] < 0; p++) {
            if (r->pm.defence[m->pole[p] * n + j]) {
                b |= (unsigned char)(1u << p);
            }
        }
        r->pact[j] = b;
    }
}

/* The norm's utility offset: a pole's odds of consenting to any pact times (1 - nu)^W; a norm at 1
 * bars every new pact (a finite bar: the library reads a non-finite offset as 0). */
static double norm_offset(double nu, double w)
{
    double v = nu >= 1 ? -1000.0 : w * log1p(-nu);
    return v < -1000.0 ? -1000.0 : v;
}

/* A new pact of pole p in `year`: the builder_pacts-th makes the pole an alliance builder, a
 * behaviour (pacts formed), not a norm threshold (issue 12). */
static void note_formed(ent_run_trace_t *t, const ent_model_t *m, run_state_t *r, int p, int year)
{
    if (++r->formed[p] == m->s.builder_pacts && !t->builder_year[p]) {
        t->builder_year[p] = year;
    }
}

bool ent_model_record(const ent_model_t *m, int pole, double *max_loglik, double *argmax)
{
    bool on = pole >= 0 && pole < m->np && m->rec_on[pole];
    if (max_loglik) {
        *max_loglik = on ? m->rec_max[pole] : NAN;
    }
    if (argmax) {
        *argmax = on ? m->rec_arg[pole] : NAN;
    }
    return on;
}

ent_err_t ent_model_draw_params(ent_scenario_t *out, const ent_model_t *m, uint64_t seed, uint64_t run, int *tries,
                                int *pass)
{
    *out = m->s;
    ent_scenario_draw_priors(out, seed, run);
    int np = m->np, k = 0;
    bool any = false;
    for (int p = 0; p < np; p++) {
        any = any || m->rec_on[p];
        if (pass) {
            pass[p] = 0;
        }
    }
    if (tries) {
        *tries = 0;
    }
    if (!any) {
        return ENT_OK;
    }
    /* The proposals after the first and the uniforms that accept them come from a stream of their
     * own, so the run's other draws do not depend on how many proposals were needed. */
    ent_rng_t rng;
    ent_rng_seed(&rng, seed ^ 0x7265636f72642121ULL, run);
    for (k = 0; k < ENT_SIM_RECORD_TRIES; k++) {
        if (k > 0) {
            ent_scenario_redraw_norms(out, &m->s, &rng);
        }
        double lu = log(ent_rng_uniform(&rng)), lr = 0;
        for (int p = 0; p < np; p++) {
            if (!m->rec_on[p]) {
                continue;
            }
            /* the record's years: the norm term alone, no ambition or tightening (docs) */
            double o = norm_offset(out->norm0[p], out->norm_weight);
            double lp = ent_pmrecord_loglik(m->rec, m->ccode[m->pole[p]], o) - m->rec_max[p];
            lr += lp;
            if (pass && lu < lp) {
                pass[p]++;
            }
        }
        if (lu < lr) {
            if (tries) {
                *tries = k + 1;
            }
            return ENT_OK;
        }
    }
    char poles[ENT_SIM_MAX_POLES * 8 + 1] = "";
    for (int p = 0; p < np; p++) {
        if (m->rec_on[p]) {
            strcat(poles, " ");
            strcat(poles, m->pole_code[p]);
        }
    }
    return ent_i_err(ENT_ERANGE,
                     "run %llu: %d proposals of the norm draws all rejected by the record of%s: the prior and the "
                     "record disagree too much (set `record: false` to run on the prior)",
                     (unsigned long long)run, ENT_SIM_RECORD_TRIES, poles);
}

ent_err_t ent_model_run(ent_run_trace_t *t, const ent_model_t *m, uint64_t seed, uint64_t run)
{
    return ent_i_model_run(t, m, seed, run, NULL, 0);
}

ent_err_t ent_i_model_run(ent_run_trace_t *t, const ent_model_t *m, uint64_t seed, uint64_t run, unsigned char *formed,
                          int formed_to)
{
    /* this run's response parameters: the scenario's, with the unidentified ones drawn from their
     * priors and the norms conditioned on the poles' record (deterministic in (seed, run), so threads
     * and ranks agree) */
    ent_scenario_t drawn;
    ent_err_t rc = ent_model_draw_params(&drawn, m, seed, run, &t->record_tries, t->record_pass);
    if (rc != ENT_OK) {
        return rc;
    }
    t->norm_weight = drawn.norm_weight;
    const ent_scenario_t *s = &drawn;
    size_t n = m->n;
    const int np = m->np;
    ent_rng_t rng;
    ent_rng_seed(&rng, seed, run);
    run_state_t r;
    rc = run_state_init(&r, m);
    if (rc != ENT_OK) {
        return rc;
    }
    double norm[ENT_SIM_MAX_POLES], threat_rel[ENT_SIM_MAX_POLES];
    for (int p = 0; p < np; p++) {
        norm[p] = s->norm0[p];
        threat_rel[p] = 1.0;
        t->builder_year[p] = 0;
    }
    /* this run's pact parameters: a draw from the fit's estimates and covariance, on a stream of its
     * own (the priors have theirs), so the run's other random numbers do not depend on it */
    {
        ent_rng_t prng;
        ent_rng_seed(&prng, seed ^ 0x7061637464726177ULL, run);
        if ((rc = ent_pactmodel_draw(m->pm, &prng, r.pm.theta)) != ENT_OK) {
            run_state_free(&r);
            return rc;
        }
        pm_static_utility(m, &r.pm);
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
        for (int p = 0; p < np; p++) {
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
                for (int p = 0; p < np; p++) {
                    if ((size_t)a == m->pole[p]) {
                        r.tradecut[p][b] = clamp01(fabs(sh->magnitude));
                    }
                }
            } else if (sh->kind == ENT_SHOCK_PACT && b >= 0 && year == sh->year) {
                for (int p = 0; p < np; p++) {
                    size_t other =
                        (size_t)a == m->pole[p] ? (size_t)b : ((size_t)b == m->pole[p] ? (size_t)a : SIZE_MAX);
                    if (other != SIZE_MAX && m->pidx[other] < 0) {
                        /* an imposed pact realigns: a pact with any rival pole ends */
                        if (!((r.pact[other] >> p) & 1)) {
                            note_formed(t, m, &r, p, year);
                            pm_allies(m, &r.pm); /* the degrees its start records */
                            pm_start_tie(m, &r, &r.pm, m->pole[p], other, year, r.pm.deg);
                        }
                        for (int q = 0; q < np; q++) {
                            if (q == p) {
                                continue;
                            }
                            size_t qo = m->pole[q] * n + other, oq = other * n + m->pole[q];
                            if (r.pm.defence[qo]) { /* the pact with a rival pole ends: a lapsed tie */
                                r.pm.last_tie[qo] = r.pm.last_tie[oq] = year - 1;
                            }
                            r.pm.defence[qo] = r.pm.defence[oq] = 0;
                        }
                        pacts_changed = true;
                        r.pact[other] = (unsigned char)(1u << p);
                        r.align[other] = (unsigned char)ENT_ALIGN_WITH(p);
                        r.partner[p][other] = 1.0;
                    } else if (other != SIZE_MAX && m->pidx[other] > p) {
                        /* two poles sign (taken once, from the lower pole): a new pact for each, and
                         * no realignment -- a pole stays the head of its own bloc */
                        int po = m->pidx[other];
                        if (!r.pm.defence[m->pole[p] * n + other]) {
                            note_formed(t, m, &r, p, year);
                            note_formed(t, m, &r, po, year);
                            pm_allies(m, &r.pm);
                            pm_start_tie(m, &r, &r.pm, m->pole[p], other, year, r.pm.deg);
                        }
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
        double rise[ENT_SIM_MAX_POLES];
        for (int p = 0; p < np; p++) {
            double tp = pole_threat(m, (const double *const *)r.preach, p, r.c, r.host, r.align, s->levers);
            rise[p] = log1p(tp / s->threat_reference) - m->index0[p];
            threat_rel[p] = exp(rise[p]);
        }
        /* 4. the norms erode under threat and ambition, and recover */
        for (int p = 0; p < np; p++) {
            double v = norm[p] - s->kappa_threat * fmax(0.0, rise[p] - s->threat_tolerance[p]) -
                       s->kappa_ambition * s->ambition[p] + s->kappa_restore * (s->norm0[p] - norm[p]);
            norm[p] = clamp01(v);
        }
        /* 5. each state's alignment (random utility); a bloc's strength is the pole and its pact allies */
        double pole_cap[ENT_SIM_MAX_POLES] = {0};
        for (size_t j = 0; j < n; j++) {
            for (int p = 0; p < np; p++) {
                if (j == m->pole[p] || ((r.pact[j] >> p) & 1)) {
                    pole_cap[p] += r.c[j];
                }
            }
        }
        /* every state decides on last year's alignments (a synchronous update: the result must not
         * depend on the order of COW codes) */
        memcpy(r.align_prev, r.align, n);
        /* the options, in this order (the order the Gumbel draws are taken in): hedging, aligning with
         * each pole, Finlandization toward each pole -- their codes, 0 .. 2K */
        const int nopt = 1 + 2 * np;
        const int self = ENT_ALIGN_SELF(np);
        for (size_t i = 0; i < n; i++) {
            if (r.align[i] == self) {
                continue;
            }
            double util[1 + 2 * ENT_SIM_MAX_POLES];
            const double temp = s->temperature;
            /* threat felt by i: from each pole, and from the other states by the camp they are in --
             * an ally of p is no protection against p's own ally, which splits rivals into opposite blocs */
            double from_pole[ENT_SIM_MAX_POLES] = {0}, from_camp[ENT_SIM_MAX_POLES] = {0}, from_free = 0;
            for (size_t k = r.adj_start[i]; k < r.adj_start[i + 1]; k++) {
                size_t j = (size_t)r.adj_j[k];
                double tj = r.c[j] * r.adj_ph[k];
                int aj = r.align_prev[j];
                if (m->pidx[j] >= 0) {
                    from_pole[m->pidx[j]] += tj;
                } else if (aj >= ENT_ALIGN_WITH(0) && aj < ENT_ALIGN_WITH(np)) {
                    from_camp[aj - ENT_ALIGN_WITH(0)] += tj;
                } else {
                    from_free += tj;
                }
            }
            double total = 0;
            for (int p = 0; p < np; p++) {
                total += from_pole[p];
            }
            for (int p = 0; p < np; p++) {
                total += from_camp[p];
            }
            total += from_free;
            /* severity: how much a state's security is at stake (0 for the unthreatened) */
            double severity = total / (total + 0.01);
            int prev = r.align_prev[i];
            for (int o = 0; o < nopt; o++) {
                double resid; /* threat left under option o */
                double econ = 0, regime = 0, foreign = 0, coerc = 0, entrap = 0, autonomy = 0;
                bool allowed = true;
                if (o == ENT_ALIGN_HEDGE) {
                    resid = total;
                    for (int p = 0; p < np; p++) {
                        econ += m->trade[p][i] * (1 - r.tradecut[p][i]);
                        /* a wedge offer pays a rival's ally for stepping back to neutrality */
                        if (prev >= ENT_ALIGN_WITH(0) && prev < ENT_ALIGN_WITH(np) && prev != ENT_ALIGN_WITH(p)) {
                            econ += 0.3 * s->levers[p].wedge;
                        }
                    }
                } else if (o < ENT_ALIGN_WITH(np)) {
                    int p = o - ENT_ALIGN_WITH(0);
                    size_t pi = m->pole[p];
                    /* Protection: the bloc's relative strength against each rival's threat, made credible
                     * by a pact and by the pole's tightening. Aligning with a threatening pole takes only
                     * 10% off its threat: bandwagoning buys little safety from the strong (Walt 1987). */
                    double rho = 0.6 + 0.2 * ((r.pact[i] >> p) & 1) + 0.2 * s->levers[p].tightening;
                    resid = 0;
                    econ = m->trade[p][i] * (1 - r.tradecut[p][i]);
                    double gp = fabs(m->democracy[i] - m->democracy[pi]) * (1 - s->levers[p].engagement);
                    double ii = m->ideal[i], ip = m->ideal[pi];
                    for (int q = 0; q < np; q++) {
                        if (q == p) {
                            continue;
                        }
                        size_t qi = m->pole[q];
                        double against_q = pole_cap[p] / (pole_cap[p] + pole_cap[q]);
                        resid += (from_pole[q] + from_camp[q]) * (1 - rho * against_q);
                        econ += m->trade[q][i] * (1 - r.tradecut[q][i]);
                        /* defying q invites its coercion, in proportion to what i trades with it */
                        coerc += 2 * s->levers[q].coercion * m->trade[q][i] * (1 - r.tradecut[q][i]) *
                                 (0.5 + 0.5 * m->prox[i * n + qi]);
                        /* affinity with p relative to q: regime similarity (engagement breadth discounts
                         * the gap) and the partnership built so far */
                        double gq = fabs(m->democracy[i] - m->democracy[qi]) * (1 - s->levers[q].engagement);
                        regime += (gq - gp) + 0.5 * (r.partner[p][i] - r.partner[q][i]);
                        /* foreign-policy preference: the UN ideal-point distance to q minus that to p
                         * (none when a state cast no votes) -- the strongest non-network predictor of
                         * new pacts */
                        double iq = m->ideal[qi];
                        foreign += isnan(ii) || isnan(ip) || isnan(iq) || ip == iq
                                       ? 0
                                       : (fabs(ii - iq) - fabs(ii - ip)) / fabs(ip - iq); /* in [-1, 1] */
                        /* the closer to a rival, the more the pole's quarrel with it becomes yours */
                        entrap += r.host[pi * n + qi] * m->prox[i * n + qi];
                    }
                    resid += from_free * (1 - 0.5 * rho);
                    resid += from_camp[p];
                    resid += 0.9 * from_pole[p];
                    econ += 0.3 * s->levers[p].inducements;
                    /* affinities are relative to the rivals on average (with two poles, to the rival) */
                    regime /= (double)(np - 1);
                    foreign /= (double)(np - 1);
                    autonomy = 0.5; /* alliances trade autonomy for security (Morrow 1991) */
                } else {
                    int p = o - ENT_ALIGN_FINLANDIZED(np, 0);
                    size_t pi = m->pole[p];
                    /* Finlandization: only in the shadow of a near pole that threatens, when the other
                     * poles are far or weak relative to it */
                    allowed =
                        finland_allowed(m, i, p, from_pole[p], pole_cap, r.c[pi], (const double *const *)r.preach);
                    resid = total - 0.6 * from_pole[p];
                    for (int k = 0; k < np; k++) {
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
                if (o == prev) {
                    util[o] += s->switching_cost;
                }
                if (o >= ENT_ALIGN_WITH(0) && o < ENT_ALIGN_WITH(np) && ((r.pact[i] >> (o - ENT_ALIGN_WITH(0))) & 1)) {
                    util[o] += s->pact_inertia * 2; /* a state keeps faith with a treaty in force */
                }
            }
            int best = ENT_ALIGN_HEDGE;
            double bu = -INFINITY;
            for (int o = 0; o < nopt; o++) {
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
        /* 6. pacts between any two states, joins and terminations: the fitted pact model on the year's
         * system. A pole's alliance-aversion norm, ambition and tightening enter as offsets of its
         * utility toward every partner (their weights are priors: history cannot identify them). */
        for (size_t i = 0; i < n; i++) {
            r.pm.offset[i] = 0;
        }
        for (int p = 0; p < np; p++) {
            r.pm.offset[m->pole[p]] = norm_offset(norm[p], s->norm_weight) + s->ambition_weight * s->ambition[p] +
                                      s->tightening_weight * s->levers[p].tightening;
        }
        int pole_new[ENT_SIM_MAX_POLES];
        pm_step(m, &r, seed, run, year, pole_new);
        for (int p = 0; p < np; p++) {
            for (int k = 0; k < pole_new[p]; k++) {
                note_formed(t, m, &r, p, year);
            }
        }
        if (formed && year <= formed_to) {
            /* a tie in force at the end of the year that was not in the base year: a new pact by then */
            for (size_t k = 0; k < n * n; k++) {
                formed[k] |= r.pm.defence[k] && !m->defence0[k];
            }
        }
        pm_sync_pole_pacts(m, &r);
        pacts_changed = true; /* ties may have ended too: the poles' reach follows */
        if (pacts_changed) {
            refresh_pole_reach(&r, m);
        }
        /* 7. partnership levels drift toward the alignment */
        double drift = s->tier_drift / 8.0;
        for (size_t j = 0; j < n; j++) {
            int aj = r.align[j];
            for (int p = 0; p < np; p++) {
                if (aj == ENT_ALIGN_WITH(p) || aj == ENT_ALIGN_FINLANDIZED(np, p)) {
                    r.partner[p][j] = fmin(1.0, r.partner[p][j] + drift);
                } else if (aj >= ENT_ALIGN_WITH(0) && aj < ENT_ALIGN_WITH(np)) { /* aligned with a rival */
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

const ent_pactmodel_t *ent_model_pactmodel(const ent_model_t *m)
{
    return m->pm;
}

void ent_model_pact_system(const ent_model_t *m, ent_sysyear_t *sys)
{
    pm_sys_view(m, sys, m->cinc0, m->host0, m->defence0, NULL);
    /* the arrays are the model's: the view is read-only (step a clone: ent_sysyear_clone) */
    sys->since = m->since0;
    sys->cinc0 = m->cinc_then0;
    sys->poly0 = m->poly_then0;
    sys->deg0 = m->deg_then0;
    sys->member = m->member0;
}

ent_err_t ent_model_pact_probs(const ent_model_t *m, const double *theta, const double *offset, double *u,
                               double *p_end, double *p_join)
{
    size_t n = m->n;
    run_state_t r;
    ent_err_t rc = run_state_init(&r, m);
    if (rc != ENT_OK) {
        return rc;
    }
    /* the base year as a run starts it: hostility without shocks (ent_model_pact_system's) */
    memcpy(r.host, m->host0, n * n * sizeof *r.host);
    build_adj(&r, m);
    memcpy(r.pm.theta, theta, ENT_PM_NPARAMS * sizeof *theta);
    for (size_t i = 0; i < n; i++) {
        r.pm.offset[i] = offset ? offset[i] : 0;
    }
    pm_static_utility(m, &r.pm);
    pm_utility(m, &r, &r.pm, m->s.start_year);
    pm_comember(m, &r.pm);
    if (u) {
        memcpy(u, r.pm.u, n * n * sizeof *u);
    }
    for (size_t i = 0; p_end && i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            p_end[i * n + j] =
                i != j && r.pm.defence[i * n + j]
                    ? ent_i_pm_sigmoid(pm_end_eta(m, &r, &r.pm, m->s.start_year, i < j ? i : j, i < j ? j : i))
                    : 0.0;
        }
    }
    for (size_t t = 0; p_join && t < m->ntreaties; t++) {
        for (size_t k = 0; k < n; k++) {
            p_join[t * n + k] = pm_join_prob(m, &r.pm, t, k);
        }
    }
    run_state_free(&r);
    return ENT_OK;
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
    /* one column per pole for trade, partnership and pacts: trade0,trade1,...,partner0,... */
    fprintf(f, "i,ccode,abbr,cinc,democracy");
    const char *per_pole[] = {"trade", "partner", "pact"};
    for (int k = 0; k < 3; k++) {
        for (int p = 0; p < m->np; p++) {
            fprintf(f, ",%s%d", per_pole[k], p);
        }
    }
    fprintf(f, ",align,growth\n");
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *st = ent_world_state(w, (size_t)m->world_index[i]);
        fprintf(f, "%zu,%d,%s,%.17g,%.17g", i, st->ccode, st->abbr, m->cinc0[i], m->democracy[i]);
        for (int p = 0; p < m->np; p++) {
            fprintf(f, ",%.17g", m->trade[p][i]);
        }
        for (int p = 0; p < m->np; p++) {
            fprintf(f, ",%.17g", m->partner0[p][i]);
        }
        for (int p = 0; p < m->np; p++) {
            fprintf(f, ",%d", (m->pact0[i] >> p) & 1);
        }
        fprintf(f, ",%d,%.17g\n", m->align0[i], m->growth_i[i]);
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
        for (int k = 0; k < (p->per_pole ? m->np : 1); k++) {
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
    for (int p = 0; p < m->np; p++) {
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
