/*
 * pm_world.h -- the simulated world of the pact-model tests (the parameter-recovery
 * test's generator, shared by tests/unit/models_pactmodel_fit.c and the cluster and refit tests):
 * known parameters `truth`, N states with two multilateral treaties, and a
 * drift of capabilities and regimes, and pm_history() to simulate them. The includer defines N and
 * YEARS before it.
 */
#ifndef ENTENTE_TEST_PM_WORLD_H
#define ENTENTE_TEST_PM_WORLD_H

static double truth[ENT_PM_NPARAMS];

static void set_truth(void)
{
    double *t = truth;
    t[ENT_PM_F_CONST] = -1.2;
    t[ENT_PM_F_HOSTILE] = -1.5;
    t[ENT_PM_F_COMMON_ENEMY] = 0.6;
    t[ENT_PM_F_THREAT] = 0.3;
    t[ENT_PM_F_DETER] = 0.4;
    t[ENT_PM_F_THREAT_DETER] = 0.05;
    t[ENT_PM_F_ENTANGLE] = -0.5;
    t[ENT_PM_F_LDIST] = -0.8;
    t[ENT_PM_F_CONTIG_LAND] = 0.5;
    t[ENT_PM_F_CONTIG_SEA] = 0.3;
    t[ENT_PM_F_IDEAL_DIST] = -0.7;
    t[ENT_PM_F_IDEAL_MISSING] = -0.4;
    t[ENT_PM_F_REGIME_DIST] = -0.6;
    t[ENT_PM_F_REGIME_MISSING] = -0.2;
    t[ENT_PM_F_COMMON_ALLIES] = 0.5;
    t[ENT_PM_F_DEGREE] = 0.2;
    t[ENT_PM_F_MAJOR] = 0.4;
    t[ENT_PM_F_PRIOR_TIE] = 1.0;
    t[ENT_PM_F_LESSER] = 0.8;
    t[ENT_PM_F_LESSER_BROAD] = 0.3;
    t[ENT_PM_F_NEUTRAL] = -1.0;
    double *g = t + ENT_PM_NFORM;
    g[ENT_PM_E_CONST] = -2.0;
    g[ENT_PM_E_DPOWER] = 3.0;
    g[ENT_PM_E_DREGIME] = 1.0;
    g[ENT_PM_E_OUTSIDE] = 0.3;
    g[ENT_PM_E_HOSTILE] = 1.0;
    g[ENT_PM_E_LAGE] = -0.3;
    g[ENT_PM_E_IDEAL_DIST] = 0.4;
    g[ENT_PM_E_MULTILAT] = -1.0;
    g[ENT_PM_E_IDEAL_MISSING] = 0.5;
}

typedef struct {
    int32_t ccode[N];
    double cinc[N], ideal[N], poly[N], x[N], y[N];
    unsigned char major[N];
    double dist[N * N], host[N * N];
    unsigned char contig[N * N], def[N * N], member[2 * N];
    int since[N * N], deg0[N * N], last[N * N];
    double cinc0[N * N], poly0[N * N];
    unsigned char lesser[N * N], neutral[N];
    ent_sysyear_t sys;
} world_t;

static void build(world_t *w, ent_rng_t *r)
{
    memset(w, 0, sizeof *w);
    double tot = 0;
    for (int i = 0; i < N; i++) {
        w->ccode[i] = 10 + 7 * i;
        w->x[i] = 8000 * ent_rng_uniform(r);
        w->y[i] = 4000 * ent_rng_uniform(r);
        w->cinc[i] = exp(1.2 * ent_rng_normal(r));
        tot += w->cinc[i];
        w->ideal[i] = i % 15 == 3 ? NAN : 1.2 * ent_rng_normal(r);
        w->poly[i] = i % 20 == 7 ? NAN : ent_rng_uniform(r);
        w->major[i] = i < 4;
        w->neutral[i] = i % 6 == 1; /* 8 declared neutrals (7 in the first treaty) */
    }
    for (int i = 0; i < N; i++) {
        w->cinc[i] /= tot;
    }
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            double dx = w->x[i] - w->x[j], dy = w->y[i] - w->y[j];
            w->dist[i * N + j] = sqrt(dx * dx + dy * dy);
        }
    }
    for (int i = 0; i < N; i++) {
        for (int j = i + 1; j < N; j++) {
            double d = w->dist[i * N + j];
            unsigned char c = d < 600 ? 1 : d < 1000 && ent_rng_uniform(r) < 0.5 ? 2 : 0;
            w->contig[i * N + j] = w->contig[j * N + i] = c;
            double h = ent_rng_uniform(r) < 0.06 ? (ent_rng_uniform(r) < 0.5 ? 1.0 : 0.5) : 0.0;
            w->host[i * N + j] = w->host[j * N + i] = h;
            /* a bilateral lesser pact (5% of pairs), else a region-wide declaration of 30 members
             * (15%: above the model's default breadth of 10) */
            double u = ent_rng_uniform(r);
            w->lesser[i * N + j] = w->lesser[j * N + i] = u < 0.05 ? 2 : u < 0.20 ? 30 : 0;
            if (ent_rng_uniform(r) < 0.04) {
                w->last[i * N + j] = w->last[j * N + i] = 1930 + (int)ent_rng_below(r, 20);
            }
        }
    }
    /* one multilateral treaty of five, all tied to each other, from 1940 */
    for (int i = 4; i < 9; i++) {
        w->member[i] = 1;
        for (int j = 4; j < 9; j++) {
            if (i != j) {
                w->def[i * N + j] = 1;
                w->since[i * N + j] = 1940;
                w->cinc0[i * N + j] = w->cinc[i];
                w->poly0[i * N + j] = w->poly[i];
                w->host[i * N + j] = 0;
            }
        }
    }
    /* a second, of four */
    for (int i = 20; i < 24; i++) {
        w->member[N + i] = 1;
        for (int j = 20; j < 24; j++) {
            if (i != j) {
                w->def[i * N + j] = 1;
                w->since[i * N + j] = 1945;
                w->cinc0[i * N + j] = w->cinc[i];
                w->poly0[i * N + j] = w->poly[i];
                w->host[i * N + j] = 0;
            }
        }
    }
    ent_sysyear_t s = {0};
    s.n = N;
    s.year = 1950;
    s.ccode = w->ccode;
    s.cinc = w->cinc;
    s.ideal = w->ideal;
    s.polyarchy = w->poly;
    s.major = w->major;
    s.dist_km = w->dist;
    s.contig = w->contig;
    s.hostility = w->host;
    s.defence = w->def;
    s.since = w->since;
    s.cinc0 = w->cinc0;
    s.poly0 = w->poly0;
    s.deg0 = w->deg0;
    s.ntreaties = 2;
    s.member = w->member;
    s.last_tie = w->last;
    s.lesser = w->lesser;
    s.neutral = w->neutral;
    w->sys = s;
}

/* Capabilities and regimes drift, so the termination drivers vary. */
static void drift(world_t *w, ent_rng_t *r)
{
    double tot = 0;
    for (int i = 0; i < N; i++) {
        w->cinc[i] *= exp(0.15 * ent_rng_normal(r));
        tot += w->cinc[i];
        if (isfinite(w->poly[i])) {
            double p = w->poly[i] + 0.06 * ent_rng_normal(r);
            w->poly[i] = p < 0 ? 0 : p > 1 ? 1 : p;
        }
    }
    for (int i = 0; i < N; i++) {
        w->cinc[i] /= tot;
    }
}

/* A model whose estimates are `truth` (set here), or NULL with the CHECK reporting why. */
static inline ent_pactmodel_t *pm_truth_model(void) /* inline: not every includer needs it */
{
    set_truth();
    ent_pactmodel_t *m = NULL;
    CHECK_OK(ent_pactmodel_new(&m));
    if (m) {
        CHECK_OK(ent_pactmodel_set(m, truth, NULL, NULL, NULL, NULL));
    }
    return m;
}

/*
 * YEARS years of w simulated by the model at `truth` (events into ev, NULL: not kept), with the
 * drift between years; hist[y] (for ent_sysbuf_free) holds year y's system and sys[y] points at it.
 * Returns false when a clone ran out of memory (the CHECK has reported it).
 */
static bool pm_history(ent_sysbuf_t **hist, const ent_sysyear_t **sys, ent_pactmodel_t *m, world_t *w, ent_rng_t *r,
                       ent_vec_t *ev)
{
    for (int y = 0; y <= YEARS; y++) {
        CHECK_OK(ent_sysyear_clone(&hist[y], &w->sys));
        if (!hist[y]) {
            return false;
        }
        sys[y] = ent_sysbuf_sys(hist[y]);
        if (y < YEARS) {
            CHECK_OK(ent_pactmodel_step(m, truth, &w->sys, r, ev));
            drift(w, r);
        }
    }
    return true;
}

#endif
