/*
 * models_pactmodel.c -- the pact model's core on a five-state system worked
 * by hand: the terms (common enemy, entanglement, threat with forward
 * presence, deterrence), consent, joining a multilateral treaty, termination,
 * one simulated year (its determinism and its frequencies), the parameter
 * file and the parameter draws.
 */
#include "check.h"
#include "models/pactmodel_int.h"

#include <unistd.h>

enum { N = 5 };

typedef struct {
    int32_t ccode[N];
    double cinc[N], ideal[N], poly[N];
    unsigned char major[N];
    double dist[N * N], host[N * N];
    unsigned char contig[N * N], def[N * N];
    int since[N * N], deg0[N * N], last[N * N];
    double cinc0[N * N], poly0[N * N];
    unsigned char member[N], lesser[N * N];
    ent_sysyear_t sys;
} world_t;

static void sym(double *a, int i, int j, double v)
{
    a[i * N + j] = a[j * N + i] = v;
}

/*
 * 0: a major power (cinc 0.4), rival of 2; 1: small, half-rival of 2, 500 km from 0, land neighbour
 * of 2; 2: cinc 0.2; 3 and 4: small allies of 0 in one treaty {0, 3, 4}; 3 is 100 km from 2.
 */
static void build(world_t *w)
{
    memset(w, 0, sizeof *w);
    const double cinc[N] = {0.4, 0.1, 0.2, 0.05, 0.05};
    for (int i = 0; i < N; i++) {
        w->ccode[i] = 100 + i;
        w->cinc[i] = cinc[i];
        w->ideal[i] = i == 4 ? NAN : 0.5 * i;
        w->poly[i] = 0.2 * i;
        for (int j = 0; j < N; j++) {
            w->dist[i * N + j] = i == j ? 0 : 2000;
        }
    }
    w->major[0] = 1;
    sym(w->dist, 0, 1, 500);
    sym(w->dist, 3, 2, 100);
    w->contig[1 * N + 2] = w->contig[2 * N + 1] = 1;
    sym(w->host, 0, 2, 1.0);
    sym(w->host, 1, 2, 0.5);
    int ties[3][2] = {{0, 3}, {0, 4}, {3, 4}};
    for (int t = 0; t < 3; t++) {
        int i = ties[t][0], j = ties[t][1];
        w->def[i * N + j] = w->def[j * N + i] = 1;
        w->since[i * N + j] = w->since[j * N + i] = 1940;
        w->cinc0[i * N + j] = cinc[i];
        w->cinc0[j * N + i] = cinc[j];
        w->poly0[i * N + j] = 0.2 * i;
        w->poly0[j * N + i] = 0.2 * j;
    }
    w->member[0] = w->member[3] = w->member[4] = 1;
    /* 1 and 2 were allied until 1945; 1 and 3 have a bilateral consultation pact */
    w->last[1 * N + 2] = w->last[2 * N + 1] = 1945;
    w->lesser[1 * N + 3] = w->lesser[3 * N + 1] = 2;
    /* 0 and 4 are bound only by a region-wide declaration of 35 members (the Helsinki Final Act) */
    w->lesser[0 * N + 4] = w->lesser[4 * N + 0] = 35;
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
    s.ntreaties = 1;
    s.member = w->member;
    s.last_tie = w->last;
    s.lesser = w->lesser;
    w->sys = s;
}

static double sig(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

#define X_(i, j, f) X[((size_t)(i)*N + (j)) * ENT_PM_NFORM + (f)]

static void test_terms(ent_pactmodel_t *m)
{
    world_t w;
    build(&w);
    double X[N * N * ENT_PM_NFORM];
    CHECK_OK(ent_pactmodel_terms(m, &w.sys, X));
    /* common enemy of 0 and 1: state 2, min(1, 0.5) x 0.2 x 10 = 1 */
    CHECK_NEAR(X_(0, 1, ENT_PM_F_COMMON_ENEMY), 1.0, 1e-12);
    CHECK_NEAR(X_(1, 0, ENT_PM_F_COMMON_ENEMY), 1.0, 1e-12);
    /* entanglement is directed: 0 shares 1's quarrel with 2 (h_02 = 1), so 0 -> 1 is 0; 1 shares
     * only half of 0's: 10 x 1 x (1 - 0.5) x 0.2 = 1 */
    CHECK_NEAR(X_(0, 1, ENT_PM_F_ENTANGLE), 0.0, 1e-12);
    CHECK_NEAR(X_(1, 0, ENT_PM_F_ENTANGLE), 1.0, 1e-12);
    CHECK_NEAR(X_(1, 2, ENT_PM_F_HOSTILE), 0.5, 1e-12);
    /* threat of 1: 2 at land contiguity (prox 1): 0.5 x 0.2 = 0.1 -> log1p(0.1 / 0.01) */
    CHECK_NEAR(X_(1, 0, ENT_PM_F_THREAT), log(11.0), 1e-12);
    /* threat of 2: 0 is 2000 km away (a major power: reach 4000 km) but has forces in its ally 3,
     * 100 km from 2: prox*(0 -> 2) = exp(-0.1) (3 is not a major power: its own reach is 1000 km);
     * plus 1 at land contiguity: 0.5 x 0.1 */
    double t2 = log1p((0.4 * exp(-0.1) + 0.05) / 0.01);
    CHECK_NEAR(X_(2, 1, ENT_PM_F_THREAT), t2, 1e-12);
    /* deterrence of 0 for 1: 10 x 0.4 x exp(-500 / 4000) */
    CHECK_NEAR(X_(1, 0, ENT_PM_F_DETER), 4.0 * exp(-0.125), 1e-12);
    CHECK_NEAR(X_(1, 0, ENT_PM_F_THREAT_DETER), log(11.0) * 4.0 * exp(-0.125), 1e-12);
    CHECK_NEAR(X_(0, 1, ENT_PM_F_LDIST), log1p(0.5), 1e-12);
    CHECK(X_(1, 2, ENT_PM_F_CONTIG_LAND) == 1.0 && X_(0, 1, ENT_PM_F_CONTIG_LAND) == 0.0);
    CHECK_NEAR(X_(0, 2, ENT_PM_F_IDEAL_DIST), 1.0, 1e-12);
    CHECK(X_(0, 4, ENT_PM_F_IDEAL_MISSING) == 1.0 && X_(0, 4, ENT_PM_F_IDEAL_DIST) == 0.0);
    CHECK_NEAR(X_(1, 3, ENT_PM_F_REGIME_DIST), 0.4, 1e-12);
    /* 3 and 4 are both allied to 0 */
    CHECK_NEAR(X_(3, 4, ENT_PM_F_COMMON_ALLIES), log(2.0), 1e-12);
    CHECK_NEAR(X_(1, 0, ENT_PM_F_DEGREE), log(3.0), 1e-12);
    CHECK(X_(1, 0, ENT_PM_F_MAJOR) == 1.0 && X_(0, 1, ENT_PM_F_MAJOR) == 0.0);
    /* a tie that lapsed in 1945, five years ago: exp(-0.5); never tied: 0; tied now: 0 */
    CHECK_NEAR(X_(2, 1, ENT_PM_F_PRIOR_TIE), exp(-0.5), 1e-12);
    CHECK(X_(0, 1, ENT_PM_F_PRIOR_TIE) == 0.0 && X_(0, 3, ENT_PM_F_PRIOR_TIE) == 0.0);
    CHECK(X_(3, 1, ENT_PM_F_LESSER) == 1.0 && X_(1, 2, ENT_PM_F_LESSER) == 0.0);
    /* by breadth (K = 10 by default): the bilateral pact is LESSER, the declaration LESSER_BROAD */
    CHECK(X_(3, 1, ENT_PM_F_LESSER_BROAD) == 0.0 && X_(1, 2, ENT_PM_F_LESSER_BROAD) == 0.0);
    CHECK(X_(0, 4, ENT_PM_F_LESSER) == 0.0 && X_(0, 4, ENT_PM_F_LESSER_BROAD) == 1.0);
    CHECK(X_(4, 0, ENT_PM_F_LESSER) == 0.0 && X_(4, 0, ENT_PM_F_LESSER_BROAD) == 1.0);
    {
        /* with K above the declaration's 35 members it counts as a narrow one */
        ent_pactmodel_settings_t st = *ent_pactmodel_settings(m), st0 = st;
        st.lesser_broad = 36;
        CHECK_OK(ent_pactmodel_set(m, ent_pactmodel_estimates(m), NULL, NULL, &st, NULL));
        CHECK_OK(ent_pactmodel_terms(m, &w.sys, X));
        CHECK(X_(0, 4, ENT_PM_F_LESSER) == 1.0 && X_(0, 4, ENT_PM_F_LESSER_BROAD) == 0.0);
        st.lesser_broad = 2; /* a bilateral pact is never region-wide */
        CHECK_RC(ent_pactmodel_set(m, ent_pactmodel_estimates(m), NULL, NULL, &st, NULL), ENT_EINVAL);
        CHECK_OK(ent_pactmodel_set(m, ent_pactmodel_estimates(m), NULL, NULL, &st0, NULL));
        CHECK_OK(ent_pactmodel_terms(m, &w.sys, X));
    }
    CHECK(X_(1, 0, ENT_PM_F_NEUTRAL) == 0.0); /* no table: nobody is neutral */
    /* A declared neutral's own utilities carry the term; its partners' utilities toward it do not. */
    unsigned char neu[N] = {0, 1, 0, 0, 0};
    w.sys.neutral = neu;
    CHECK_OK(ent_pactmodel_terms(m, &w.sys, X));
    CHECK(X_(1, 0, ENT_PM_F_NEUTRAL) == 1.0 && X_(1, 3, ENT_PM_F_NEUTRAL) == 1.0);
    CHECK(X_(0, 1, ENT_PM_F_NEUTRAL) == 0.0 && X_(3, 1, ENT_PM_F_NEUTRAL) == 0.0);
    /* Termination: a tie whose ideal-point distance is unknown (4 has no ideal point) carries the
     * indicator, not a distance of 0 read as perfect agreement. */
    double z[ENT_PM_NEND];
    ent_i_pm_end_terms(&w.sys, 0, 4, z);
    CHECK(z[ENT_PM_E_IDEAL_MISSING] == 1.0 && z[ENT_PM_E_IDEAL_DIST] == 0.0);
    ent_i_pm_end_terms(&w.sys, 0, 3, z);
    CHECK(z[ENT_PM_E_IDEAL_MISSING] == 0.0 && fabs(z[ENT_PM_E_IDEAL_DIST] - 1.5) < 1e-12);

    /* Forward presence: without the 0-3 alliance, 0 is back at 2000 km from 2. */
    world_t w2;
    build(&w2);
    w2.def[0 * N + 3] = w2.def[3 * N + 0] = 0;
    CHECK_OK(ent_pactmodel_terms(m, &w2.sys, X));
    CHECK_NEAR(X_(2, 1, ENT_PM_F_THREAT), log1p((0.4 * exp(-0.5) + 0.05) / 0.01), 1e-12);
    /* An explicit presence matrix replaces the alliance rule: 1 with forces in 2 (no alliance needed). */
    double pres[N * N] = {0};
    pres[1 * N + 2] = 1.0;
    w2.sys.presence = pres;
    CHECK_OK(ent_pactmodel_terms(m, &w2.sys, X));
    /* 1's capability now stands 100 km from 3 (2's distance to 3), not 2000 km: 10 x 0.1 x exp(-0.1) */
    CHECK_NEAR(X_(3, 1, ENT_PM_F_DETER), exp(-0.1), 1e-12);
    w2.sys.presence = NULL;
    CHECK_OK(ent_pactmodel_terms(m, &w2.sys, X));
    CHECK_NEAR(X_(3, 1, ENT_PM_F_DETER), exp(-2.0), 1e-12);
}

static void test_probs(ent_pactmodel_t *m)
{
    world_t w;
    build(&w);
    double theta[ENT_PM_NPARAMS] = {0};
    theta[ENT_PM_F_CONST] = -1.0;
    theta[ENT_PM_F_HOSTILE] = -2.0;
    theta[ENT_PM_F_LDIST] = -0.5;
    theta[ENT_PM_F_THREAT] = 0.3; /* directed: makes u_ij != u_ji */
    theta[ENT_PM_NFORM + ENT_PM_E_CONST] = -3.0;
    theta[ENT_PM_NFORM + ENT_PM_E_LAGE] = 0.5;
    theta[ENT_PM_NFORM + ENT_PM_E_MULTILAT] = -1.0;
    double u[N * N], pf[N * N], pe[N * N], pj[N];
    CHECK_OK(ent_pactmodel_utility(m, theta, &w.sys, u));
    CHECK_OK(ent_pactmodel_probs(m, theta, &w.sys, pf, pe, pj));
    /* by hand: u_12 = -1 - 2 x 0.5 - 0.5 log1p(2) + 0.3 log(11); u_21 with 2's threat */
    double t2 = log1p((0.4 * exp(-0.1) + 0.05) / 0.01);
    double u12 = -1 - 1.0 - 0.5 * log1p(2.0) + 0.3 * log(11.0);
    double u21 = -1 - 1.0 - 0.5 * log1p(2.0) + 0.3 * t2;
    CHECK_NEAR(u[1 * N + 2], u12, 1e-12);
    CHECK_NEAR(u[2 * N + 1], u21, 1e-12);
    CHECK_NEAR(pf[1 * N + 2], sig(u12) * sig(u21), 1e-12);
    /* consent: symmetric, the product of both sides' willingness, whatever the order */
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            CHECK(pf[i * N + j] == pf[j * N + i]);
            CHECK(pe[i * N + j] == pe[j * N + i]);
        }
    }
    CHECK(pf[0 * N + 3] == 0.0 && pf[3 * N + 3] == 0.0); /* tied already; the diagonal */
    /* joining {0, 3, 4}: 1's mean utility toward the members, times their mean consent */
    double ubar = (u[1 * N + 0] + u[1 * N + 3] + u[1 * N + 4]) / 3;
    double cons = (sig(u[0 * N + 1]) + sig(u[3 * N + 1]) + sig(u[4 * N + 1])) / 3;
    CHECK_NEAR(pj[1], sig(ubar) * cons, 1e-12);
    CHECK(pj[0] == 0.0 && pj[3] == 0.0);
    /* a new 1-3 tie may come bilaterally or by 1 joining */
    double pb13 = sig(u[1 * N + 3]) * sig(u[3 * N + 1]);
    CHECK_NEAR(pf[1 * N + 3], 1 - (1 - pb13) * (1 - pj[1]), 1e-12);
    /* termination of 0-3: 10 years old, in a multilateral treaty */
    CHECK_NEAR(pe[0 * N + 3], sig(-3.0 + 0.5 * log(11.0) - 1.0), 1e-12);
    CHECK(pe[1 * N + 2] == 0.0);

    /* Relative power and regime change since formation enter termination. */
    theta[ENT_PM_NFORM + ENT_PM_E_DPOWER] = 2.0;
    theta[ENT_PM_NFORM + ENT_PM_E_DREGIME] = 1.0;
    w.cinc[3] = 0.15;
    w.poly[3] = 0.9;
    CHECK_OK(ent_pactmodel_probs(m, theta, &w.sys, NULL, pe, NULL));
    double dpow = fabs(0.15 / (0.15 + 0.05) - 0.05 / 0.1);
    double dreg = fabs(0.9 - 0.6);
    CHECK_NEAR(pe[3 * N + 4], sig(-3.0 + 2.0 * dpow + 1.0 * dreg + 0.5 * log(11.0) - 1.0), 1e-12);

    /* The offset adds to i's utilities only. */
    double off[N] = {0, 0.7, 0, 0, 0};
    w.sys.offset = off;
    double u2[N * N];
    CHECK_OK(ent_pactmodel_utility(m, theta, &w.sys, u2));
    CHECK_NEAR(u2[1 * N + 2] - u[1 * N + 2], 0.7, 1e-12);
    CHECK_NEAR(u2[2 * N + 1], u[2 * N + 1], 1e-12);

    /* Reordering states permutes the probabilities and changes nothing else. */
    world_t a, b;
    build(&a);
    build(&b);
    int perm[N] = {3, 0, 4, 2, 1}; /* new index k holds old state perm[k] */
    for (int k = 0; k < N; k++) {
        int o = perm[k];
        b.ccode[k] = a.ccode[o];
        b.cinc[k] = a.cinc[o];
        b.ideal[k] = a.ideal[o];
        b.poly[k] = a.poly[o];
        b.major[k] = a.major[o];
        b.member[k] = a.member[o];
        for (int l = 0; l < N; l++) {
            int p = perm[l];
            b.dist[k * N + l] = a.dist[o * N + p];
            b.host[k * N + l] = a.host[o * N + p];
            b.contig[k * N + l] = a.contig[o * N + p];
            b.def[k * N + l] = a.def[o * N + p];
            b.since[k * N + l] = a.since[o * N + p];
            b.cinc0[k * N + l] = a.cinc0[o * N + p];
            b.poly0[k * N + l] = a.poly0[o * N + p];
            b.last[k * N + l] = a.last[o * N + p];
            b.lesser[k * N + l] = a.lesser[o * N + p];
        }
    }
    double pfa[N * N], pfb[N * N], pea[N * N], peb[N * N];
    CHECK_OK(ent_pactmodel_probs(m, theta, &a.sys, pfa, pea, NULL));
    CHECK_OK(ent_pactmodel_probs(m, theta, &b.sys, pfb, peb, NULL));
    for (int k = 0; k < N; k++) {
        for (int l = 0; l < N; l++) {
            CHECK_NEAR(pfb[k * N + l], pfa[perm[k] * N + perm[l]], 1e-14);
            CHECK_NEAR(peb[k * N + l], pea[perm[k] * N + perm[l]], 1e-14);
        }
    }
}

static void test_step(ent_pactmodel_t *m)
{
    double theta[ENT_PM_NPARAMS] = {0};
    theta[ENT_PM_F_CONST] = 0.5;
    theta[ENT_PM_F_HOSTILE] = -1.0;
    theta[ENT_PM_NFORM + ENT_PM_E_CONST] = -1.0;
    /* determinism: the same stream gives the same events and the same system */
    world_t a, b;
    build(&a);
    build(&b);
    ent_vec_t ea, eb;
    ent_vec_init(&ea, sizeof(ent_pactevent_t));
    ent_vec_init(&eb, sizeof(ent_pactevent_t));
    ent_rng_t ra, rb;
    ent_rng_seed(&ra, 42, 7);
    ent_rng_seed(&rb, 42, 7);
    for (int y = 0; y < 10; y++) {
        CHECK_OK(ent_pactmodel_step(m, theta, &a.sys, &ra, &ea));
        CHECK_OK(ent_pactmodel_step(m, theta, &b.sys, &rb, &eb));
    }
    CHECK(a.sys.year == 1960);
    CHECK(ea.len == eb.len && ea.len > 0);
    CHECK(memcmp(ea.data, eb.data, ea.len * sizeof(ent_pactevent_t)) == 0);
    CHECK(memcmp(a.def, b.def, sizeof a.def) == 0 && memcmp(a.member, b.member, sizeof a.member) == 0);
    bool kinds[3] = {false, false, false};
    for (size_t k = 0; k < ea.len; k++) {
        const ent_pactevent_t *e = &ENT_VEC_AT(&ea, ent_pactevent_t, k);
        kinds[e->kind] = true;
        CHECK(e->p > 0 && e->p < 1);
    }
    CHECK(kinds[ENT_PM_FORM] && kinds[ENT_PM_END]);
    /* the defence matrix stays symmetric, every new tie records its start and every ended one its last year */
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            CHECK(a.def[i * N + j] == a.def[j * N + i]);
            if (a.def[i * N + j]) {
                CHECK(a.since[i * N + j] >= 1940 && a.since[i * N + j] <= 1960);
            }
        }
    }
    for (size_t k = 0; k < ea.len; k++) {
        const ent_pactevent_t *e = &ENT_VEC_AT(&ea, ent_pactevent_t, k);
        if (e->kind == ENT_PM_END && !a.def[e->i * N + e->j]) {
            CHECK(a.last[e->i * N + e->j] >= e->year - 1 && a.last[e->i * N + e->j] < 1960);
        }
    }
    ent_vec_destroy(&ea);
    ent_vec_destroy(&eb);

    /* frequencies: from the same system, one year, 20,000 times: new 1-2 tie, 1 joining, 0-3 ending */
    theta[ENT_PM_F_CONST] = -1.0;
    world_t w0;
    build(&w0);
    double pf[N * N], pe[N * N], pj[N];
    CHECK_OK(ent_pactmodel_probs(m, theta, &w0.sys, pf, pe, pj));
    int reps = 20000, n12 = 0, nj1 = 0, n03 = 0;
    ent_rng_t r;
    ent_rng_seed(&r, 9, 0);
    for (int k = 0; k < reps; k++) {
        world_t w;
        build(&w);
        ent_vec_t ev;
        ent_vec_init(&ev, sizeof(ent_pactevent_t));
        CHECK_OK(ent_pactmodel_step(m, theta, &w.sys, &r, &ev));
        for (size_t e = 0; e < ev.len; e++) {
            const ent_pactevent_t *x = &ENT_VEC_AT(&ev, ent_pactevent_t, e);
            nj1 += x->kind == ENT_PM_JOIN && x->i == 1;
        }
        n12 += w.def[1 * N + 2];
        n03 += !w.def[0 * N + 3];
        ent_vec_destroy(&ev);
    }
    /* 4.5 binomial standard errors */
    double ps[3] = {pf[1 * N + 2], pj[1], pe[0 * N + 3]};
    int cs[3] = {n12, nj1, n03};
    for (int k = 0; k < 3; k++) {
        double se = sqrt(ps[k] * (1 - ps[k]) / reps);
        CHECK(ps[k] > 0.01);
        CHECK_NEAR((double)cs[k] / reps, ps[k], 4.5 * se);
    }
}

static void test_file(void)
{
    ent_pactmodel_t *m = NULL, *r = NULL;
    CHECK_OK(ent_pactmodel_new(&m));
    double theta[ENT_PM_NPARAMS], cov[ENT_PM_NPARAMS * ENT_PM_NPARAMS] = {0};
    bool fitted[ENT_PM_NPARAMS];
    for (size_t k = 0; k < ENT_PM_NPARAMS; k++) {
        theta[k] = 0.1 * (double)k - 1.0;
        fitted[k] = k != ENT_PM_F_REGIME_MISSING;
        cov[k * ENT_PM_NPARAMS + k] = fitted[k] ? 0.04 : 0.0;
    }
    cov[0 * ENT_PM_NPARAMS + 1] = cov[1 * ENT_PM_NPARAMS + 0] = 0.03; /* corr 0.75 */
    ent_pactmodel_settings_t s = *ent_pactmodel_settings(m);
    s.threat_ref = 0.03;
    CHECK_OK(ent_pactmodel_set(m, theta, cov, fitted, &s, "{\"split\": \"1947-1980\"}"));
    char path[512];
    const char *tmp = getenv("ENT_TMP");
    snprintf(path, sizeof path, "%s/pactmodel_test.json", tmp ? tmp : ".");
    CHECK_OK(ent_pactmodel_save(m, path));
    CHECK_OK(ent_pactmodel_load(&r, path));
    if (r) {
        for (size_t k = 0; k < ENT_PM_NPARAMS; k++) {
            CHECK(ent_pactmodel_estimates(r)[k] == theta[k]);
            CHECK(ent_pactmodel_fitted(r, k) == fitted[k]);
        }
        CHECK(ent_pactmodel_covariance(r)[1] == 0.03);
        CHECK(ent_pactmodel_settings(r)->threat_ref == 0.03);
        CHECK_CONTAINS(ent_pactmodel_provenance(r), "1947-1980");
        /* draws: mean, variance, correlation; the unfitted parameter never moves */
        ent_rng_t rng;
        ent_rng_seed(&rng, 3, 1);
        int D = 20000;
        double s0 = 0, s1 = 0, s00 = 0, s11 = 0, s01 = 0;
        bool fixed_ok = true;
        for (int d = 0; d < D; d++) {
            double t[ENT_PM_NPARAMS];
            CHECK_OK(ent_pactmodel_draw(r, &rng, t));
            double a = t[0] - theta[0], b = t[1] - theta[1];
            s0 += a;
            s1 += b;
            s00 += a * a;
            s11 += b * b;
            s01 += a * b;
            fixed_ok &= t[ENT_PM_F_REGIME_MISSING] == theta[ENT_PM_F_REGIME_MISSING];
        }
        CHECK(fixed_ok);
        CHECK_NEAR(s0 / D, 0.0, 4 * 0.2 / sqrt(D));
        CHECK_NEAR(s00 / D, 0.04, 0.003);
        CHECK_NEAR(s11 / D, 0.04, 0.003);
        CHECK_NEAR(s01 / D, 0.03, 0.003);
        (void)s1;
    }
    ent_pactmodel_free(r);
    r = NULL;
    /* a covariance that is not positive definite is refused */
    cov[0 * ENT_PM_NPARAMS + 1] = cov[1 * ENT_PM_NPARAMS + 0] = 0.05;
    CHECK_RC(ent_pactmodel_set(m, theta, cov, fitted, NULL, NULL), ENT_EINVAL);
    /* a file naming an unknown parameter is a parse error naming the field */
    char bad[512];
    snprintf(bad, sizeof bad, "%s/pactmodel_bad.json", tmp ? tmp : ".");
    FILE *f = fopen(bad, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("{\"model\": \"entente-pactmodel\", \"version\": 1, \"settings\": {\"dist_scale_km\": 1000, "
              "\"reach_major\": 4, \"sea_prox\": 0.5, \"threat_ref\": 0.01, \"lambda\": 0, \"lesser_broad\": 10}, "
              "\"params\": [{\"name\": \"form.bogus\", \"estimate\": 1}]}",
              f);
        fclose(f);
        CHECK_RC(ent_pactmodel_load(&r, bad), ENT_EPARSE);
        CHECK_CONTAINS(ent_errmsg(), "params");
        CHECK(r == NULL);
    }
    /* a breadth that is no member count is named (a file of the model before the breadth has none) */
    f = fopen(bad, "w");
    if (f) {
        fputs("{\"model\": \"entente-pactmodel\", \"version\": 1, \"settings\": {\"dist_scale_km\": 1000, "
              "\"reach_major\": 4, \"sea_prox\": 0.5, \"threat_ref\": 0.01, \"lambda\": 0, \"lesser_broad\": 7.5}, "
              "\"params\": []}",
              f);
        fclose(f);
        CHECK_RC(ent_pactmodel_load(&r, bad), ENT_EPARSE);
        CHECK_CONTAINS(ent_errmsg(), "settings.lesser_broad");
        CHECK(r == NULL);
    }
    CHECK_RC(ent_pactmodel_load(&r, "/nonexistent/pactmodel.json"), ENT_ENOTFOUND);
    /* the shipped parameter file loads */
    ent_pactmodel_t *shipped = NULL;
    CHECK_OK(ent_pactmodel_load(&shipped, ent_pactmodel_default_path()));
    ent_pactmodel_free(shipped);
    ent_pactmodel_free(m);
}

/* The table of declared neutrals: the shipped one, and bad rows named by file, line and field. */
static void test_neutrality(void)
{
    ent_pmneutral_t *t = NULL;
    CHECK_OK(ent_pmneutral_load(&t, ent_pmneutral_default_path()));
    CHECK(ent_pmneutral_is(t, 305, 1955) && ent_pmneutral_is(t, 305, 2024)); /* Austria, from 1955-10-26 */
    CHECK(!ent_pmneutral_is(t, 305, 1954));
    CHECK(ent_pmneutral_is(t, 380, 1980) && !ent_pmneutral_is(t, 380, 2022)); /* Sweden, to its application */
    CHECK(ent_pmneutral_is(t, 811, 1960) && !ent_pmneutral_is(t, 811, 1980) && ent_pmneutral_is(t, 811, 2000));
    CHECK(!ent_pmneutral_is(t, 2, 1950) && !ent_pmneutral_is(NULL, 305, 2000));
    ent_pmneutral_free(t);
    ent_pmneutral_free(NULL);

    char path[] = "/tmp/ent_neutralXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) {
        return;
    }
    FILE *f = fdopen(fd, "w");
    fputs("ccode,state,from,to,source\n305,Austria,1955,,law\n380,Sweden,1990,1980,policy\n", f);
    fclose(f);
    t = NULL;
    CHECK(ent_pmneutral_load(&t, path) == ENT_EPARSE && t == NULL);
    fprintf(stderr, "expected error: %s\n", ent_errmsg());
    CHECK(strstr(ent_errmsg(), ":3") && strstr(ent_errmsg(), "'to'"));
    f = fopen(path, "w");
    fputs("ccode,state,from,to,source\nabc,Austria,1955,,law\n", f);
    fclose(f);
    CHECK(ent_pmneutral_load(&t, path) != ENT_OK && t == NULL);
    CHECK(strstr(ent_errmsg(), "ccode") != NULL);
    f = fopen(path, "w");
    fputs("ccode,state,from\n305,Austria,1955\n", f);
    fclose(f);
    CHECK(ent_pmneutral_load(&t, path) != ENT_OK && t == NULL); /* columns missing */
    remove(path);
    CHECK(ent_pmneutral_load(&t, "/nonexistent/neutrality.csv") != ENT_OK && t == NULL);
}

int main(void)
{
    ent_pactmodel_t *m = NULL;
    CHECK_OK(ent_pactmodel_new(&m));
    if (!m) {
        return 1;
    }
    test_terms(m);
    test_probs(m);
    test_step(m);
    test_file();
    test_neutrality();
    ent_pactmodel_free(m);
    return CHECK_DONE();
}
