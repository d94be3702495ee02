/*
 * sim_record.c -- the poles' norm priors conditioned on their record of forming pacts
 * (ent_model_draw_params, docs/models/alignment.md "What is prior"). With a synthetic record in a
 * tiny world: the accepted draws of China's offset o = W log(1 - nu) follow the analytic posterior
 * (the prior times the record's likelihood, integrated on a grid) by a Kolmogorov-Smirnov distance a
 * sampler without the conditioning fails by far; a pole with many recorded pacts moves its norm down
 * and one with none at high utilities moves it up; the record file round-trips; the draws and the
 * ensemble's acceptance counts are the same for the same seed and on 1 or 2 threads.
 */
#include "tiny_world.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* USA, Canada, Russia, China, Mongolia: capitals and a CINC each. */
static ent_world_t *tiny_world(void)
{
    static const tiny_state_t rows[] = {
        {2, "USA", "United States", 38.9, -77.0, 0.13}, {20, "CAN", "Canada", 45.4, -75.7, 0.01},
        {365, "RUS", "Russia", 55.75, 37.6, 0.04},      {710, "CHN", "China", 39.9, 116.4, 0.23},
        {712, "MON", "Mongolia", 47.9, 106.9, 0.001},
    };
    return tiny_world_of(rows, sizeof rows / sizeof *rows);
}

/*
 * China: 28 years of 10 partners each at a high utility (a = 1, the partner's consent 0.3), no pact
 * formed -- the record of a state that could have allied and did not. The US: 10 years of 6 partners
 * at a = -1.2, consent 0.2, 3 pacts formed -- more than its willingness at o = 0 predicts (2.8), so
 * a state that allies at least as readily as the model with no norm.
 */
static const double CHN_A = 1.0, CHN_C1 = 0.3;
static const int CHN_N = 280;

static char *write_record(void)
{
    ent_pmrecord_t *r = NULL;
    CHECK_OK(ent_pmrecord_new(&r));
    for (int k = 0; r && k < CHN_N; k++) {
        ent_pmrec_decision_t d = {710, 1991 + k / 10, ENT_PMREC_PACT, 100 + k % 10, CHN_A, 0, CHN_C1, false};
        CHECK_OK(ent_pmrecord_add(r, &d));
    }
    for (int k = 0; r && k < 60; k++) {
        ent_pmrec_decision_t d = {2, 1991 + k / 6, ENT_PMREC_PACT, 200 + k % 6, -1.2, 0, 0.2, k % 20 == 0};
        CHECK_OK(ent_pmrecord_add(r, &d));
    }
    /* a folded rest counts like the decisions it stands for */
    CHECK_OK(ent_pmrecord_add_rest(r, 2, 1991, -8.0, 0.5));
    const char *tmp = getenv("ENT_TMP") ? getenv("ENT_TMP") : ".";
    static char path[4096];
    snprintf(path, sizeof path, "%s/sim_record.json", tmp);
    CHECK_OK(ent_pmrecord_save(r, path, "{\"test\": \"sim_record\"}"));
    ent_pmrecord_free(r);
    return path;
}

static void test_file(const char *path)
{
    ent_pmrecord_t *r = NULL;
    CHECK_OK(ent_pmrecord_load(&r, path));
    if (!r) {
        return;
    }
    size_t formed = 0;
    int from = 0, to = 0;
    CHECK(ent_pmrecord_count(r, 710, &formed, &from, &to) == (size_t)CHN_N && formed == 0);
    CHECK(from == 1991 && to == 2018);
    CHECK(ent_pmrecord_count(r, 2, &formed, NULL, NULL) == 60 && formed == 3);
    CHECK(!ent_pmrecord_has(r, 365));
    /* the likelihood, written out: China's at o */
    for (double o = -6; o <= 0; o += 1.5) {
        double want = CHN_N * log1p(-CHN_C1 / (1 + exp(-(CHN_A + o))));
        CHECK(fabs(ent_pmrecord_loglik(r, 710, o) - want) < 1e-4 * fabs(want) + 1e-9);
    }
    /* China's record is best explained by no willingness at all; the US's by none held back */
    double at = 0, mx = ent_pmrecord_max(r, 710, -1000, 0, &at);
    CHECK(mx > -1e-6 && at < -30);
    mx = ent_pmrecord_max(r, 2, -1000, 0, &at);
    CHECK(fabs(at) < 1e-6);
    CHECK_STR(ent_pmrecord_provenance(r), "{\"test\":\"sim_record\"}");
    ent_pmrecord_free(r);

    /* a bad entry is named */
    const char *tmp = getenv("ENT_TMP") ? getenv("ENT_TMP") : ".";
    char bad[4096];
    snprintf(bad, sizeof bad, "%s/sim_record_bad.json", tmp);
    FILE *f = fopen(bad, "w");
    if (f) {
        fputs("{\"model\": \"entente-record\", \"version\": 1, \"states\": [{\"ccode\": 710, \"years\": [{\"year\": "
              "1991, \"rest\": [], \"d\": [[\"pact\", 20, 0.5, 0, 1.5, 0]]}]}]}",
              f);
        fclose(f);
        CHECK_RC(ent_pmrecord_load(&r, bad), ENT_EPARSE);
        CHECK_CONTAINS(ent_errmsg(), "field 'd'[0]");
        ent_pmrecord_free(r);
    }
}

static void scenario(ent_scenario_t *s, double norm_usa, double norm_chn)
{
    ent_scenario_defaults(s);
    s->norm0[0] = norm_usa;
    s->norm0[1] = norm_chn;
    s->years = 3;
    s->runs = 40;
    s->seed = 20211115;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Draws of China's offset o = W log(1 - nu), conditioned or not. */
static double *draws_o(const ent_model_t *m, size_t N, int *tries_total)
{
    double *o = malloc(N * sizeof *o);
    *tries_total = 0;
    for (size_t r = 0; o && r < N; r++) {
        ent_scenario_t d;
        int tries = 0;
        CHECK_OK(ent_model_draw_params(&d, m, 7, r, &tries, NULL));
        *tries_total += tries;
        o[r] = d.norm_weight * log1p(-d.norm0[1]);
    }
    return o;
}

/* The KS distance of sorted samples x[N] from the CDF given as sorted grid points (g, cum). */
static double ks(const double *x, size_t N, const double *g, const double *cum, size_t G)
{
    double d = 0;
    size_t j = 0;
    for (size_t k = 0; k < N; k++) {
        while (j < G && g[j] <= x[k]) {
            j++;
        }
        double F = j ? cum[j - 1] : 0;
        d = fmax(d, fmax(fabs(F - (double)k / N), fabs(F - (double)(k + 1) / N)));
    }
    return d;
}

typedef struct {
    double o, w;
} pt_t;
static int cmp_pt(const void *a, const void *b)
{
    return cmp_d(&((const pt_t *)a)->o, &((const pt_t *)b)->o);
}

static void test_posterior(ent_world_t *w)
{
    ent_scenario_t s;
    scenario(&s, 0.0, 0.85); /* only China conditioned: the US's norm at 0 is not drawn */
    ent_model_t *m = NULL, *m0 = NULL;
    CHECK_OK(ent_model_new(&m, w, &s));
    s.record = 0;
    CHECK_OK(ent_model_new(&m0, w, &s));
    if (!m || !m0) {
        ent_model_free(m);
        ent_model_free(m0);
        return;
    }
    CHECK(!ent_model_record(m, 0, NULL, NULL) && ent_model_record(m, 1, NULL, NULL));
    CHECK(!ent_model_record(m0, 1, NULL, NULL));
    /* The analytic posterior of o: nu = logistic(logit(0.85) + 0.5 z1), W = min(20, 2 e^(0.5 z2)), z
     * standard normal, weighted by the record's likelihood, on a 301 x 301 grid over [-6, 6]^2. */
    const size_t K = 301;
    pt_t *pt = malloc(K * K * sizeof *pt);
    double *g = malloc(K * K * sizeof *g), *cum = malloc(K * K * sizeof *cum);
    if (!pt || !g || !cum) {
        CHECK(!"memory");
        goto done;
    }
    double tot = 0;
    for (size_t a = 0; a < K; a++) {
        for (size_t b = 0; b < K; b++) {
            double z1 = -6 + 12.0 * a / (K - 1), z2 = -6 + 12.0 * b / (K - 1);
            double nu = 1 / (1 + exp(-(log(0.85 / 0.15) + 0.5 * z1))), W = fmin(20, 2 * exp(0.5 * z2));
            double o = W * log1p(-nu);
            double ll = CHN_N * log1p(-CHN_C1 / (1 + exp(-(CHN_A + o))));
            pt[a * K + b] = (pt_t){o, exp(-0.5 * (z1 * z1 + z2 * z2) + ll)};
            tot += pt[a * K + b].w;
        }
    }
    qsort(pt, K * K, sizeof *pt, cmp_pt);
    double c = 0;
    for (size_t k = 0; k < K * K; k++) {
        c += pt[k].w / tot;
        g[k] = pt[k].o;
        cum[k] = c;
    }
    const size_t N = 3000;
    int tries = 0, tries0 = 0;
    double *x = draws_o(m, N, &tries), *x0 = draws_o(m0, N, &tries0);
    if (x && x0) {
        qsort(x, N, sizeof *x, cmp_d);
        qsort(x0, N, sizeof *x0, cmp_d);
        double d = ks(x, N, g, cum, K * K), d0 = ks(x0, N, g, cum, K * K);
        printf("KS distance from the posterior: conditioned %.4f, the prior %.4f; acceptance %.3f\n", d, d0,
               (double)N / tries);
        /* 1.63 / sqrt(3000) = 0.030 is the 1% critical value; the prior misses by far more */
        CHECK(d < 0.030);
        CHECK(d0 > 0.15);
        CHECK(tries > (int)N && tries0 == 0);
    }
    free(x);
    free(x0);
done:
    free(pt);
    free(g);
    free(cum);
    ent_model_free(m);
    ent_model_free(m0);
}

/* Mean of pole p's norm0 over N draws. */
static double mean_norm(const ent_model_t *m, int p, size_t N)
{
    double sum = 0;
    for (size_t r = 0; r < N; r++) {
        ent_scenario_t d;
        CHECK_OK(ent_model_draw_params(&d, m, 11, r, NULL, NULL));
        sum += d.norm0[p];
    }
    return sum / (double)N;
}

static void test_directions(ent_world_t *w)
{
    ent_scenario_t s;
    /* a pole that allies readily (the synthetic US, norm 0.5 a priori): its norm moves down */
    scenario(&s, 0.5, 1.0);
    ent_model_t *m = NULL, *m0 = NULL;
    CHECK_OK(ent_model_new(&m, w, &s));
    s.record = 0;
    CHECK_OK(ent_model_new(&m0, w, &s));
    if (m && m0) {
        double post = mean_norm(m, 0, 1500), prior = mean_norm(m0, 0, 1500);
        printf("US norm: prior mean %.3f, conditioned %.3f\n", prior, post);
        CHECK(post < prior - 0.05);
    }
    ent_model_free(m);
    ent_model_free(m0);
    /* a pole with none at high utilities (the synthetic China): its norm moves up */
    scenario(&s, 0.0, 0.6);
    m = m0 = NULL;
    CHECK_OK(ent_model_new(&m, w, &s));
    s.record = 0;
    CHECK_OK(ent_model_new(&m0, w, &s));
    if (m && m0) {
        double post = mean_norm(m, 1, 1500), prior = mean_norm(m0, 1, 1500);
        printf("China norm: prior mean %.3f, conditioned %.3f\n", prior, post);
        CHECK(post > prior + 0.05);
    }
    ent_model_free(m);
    ent_model_free(m0);
    /* no prior spread: nothing drawn, nothing conditioned */
    scenario(&s, 0.5, 0.85);
    s.prior_spread = 0;
    m = NULL;
    CHECK_OK(ent_model_new(&m, w, &s));
    if (m) {
        ent_scenario_t d;
        int tries = -1;
        CHECK_OK(ent_model_draw_params(&d, m, 1, 0, &tries, NULL));
        CHECK(tries == 0 && d.norm0[1] == 0.85 && !ent_model_record(m, 1, NULL, NULL));
    }
    ent_model_free(m);
}

static void test_determinism(ent_world_t *w)
{
    ent_scenario_t s;
    /* a prior the record cannot accept: the US's norm held at 0.97 against a record of ready pacts
     * (its norm0 is drawn near 0.97, its offset near -7 at every W the prior allows) */
    scenario(&s, 0.97, 1.0);
    s.norm_weight = 20;
    ent_model_t *m = NULL;
    CHECK_OK(ent_model_new(&m, w, &s));
    if (m) {
        ent_scenario_t d;
        CHECK_RC(ent_model_draw_params(&d, m, 5, 0, NULL, NULL), ENT_ERANGE);
        CHECK_CONTAINS(ent_errmsg(), "rejected by the record of USA");
    }
    ent_model_free(m);
    m = NULL;
    scenario(&s, 0.05, 0.85);
    CHECK_OK(ent_model_new(&m, w, &s));
    if (!m) {
        return;
    }
    for (uint64_t r = 0; r < 20; r++) {
        ent_scenario_t a, b;
        int ta = 0, tb = 0, pa[ENT_SIM_MAX_POLES], pb[ENT_SIM_MAX_POLES];
        CHECK_OK(ent_model_draw_params(&a, m, 5, r, &ta, pa));
        CHECK_OK(ent_model_draw_params(&b, m, 5, r, &tb, pb));
        CHECK(ta == tb && ta >= 1 && a.norm0[0] == b.norm0[0] && a.norm0[1] == b.norm0[1] &&
              a.norm_weight == b.norm_weight && pa[0] == pb[0] && pa[1] == pb[1]);
        /* only the norms are redrawn: every other prior is the run's first draw */
        ent_scenario_t c = s;
        ent_scenario_draw_priors(&c, 5, r);
        CHECK(a.kappa_threat == c.kappa_threat && a.temperature == c.temperature &&
              a.ambition_weight == c.ambition_weight);
    }
    ent_ensemble_options_t o1 = ENT_ENSEMBLE_OPTIONS_INIT, o2 = ENT_ENSEMBLE_OPTIONS_INIT;
    o1.threads = 1;
    o2.threads = 2;
    ent_ensemble_t *e1 = NULL, *e2 = NULL;
    CHECK_OK(ent_ensemble_run(&e1, m, 0, s.runs, &o1));
    CHECK_OK(ent_ensemble_run(&e2, m, 0, s.runs, &o2));
    if (e1 && e2) {
        int64_t p1[ENT_SIM_MAX_POLES] = {0}, p2[ENT_SIM_MAX_POLES] = {0};
        int64_t t1 = ent_ensemble_record(e1, p1), t2 = ent_ensemble_record(e2, p2);
        CHECK(t1 == t2 && t1 >= s.runs && p1[0] == p2[0] && p1[1] == p2[1]);
        void *b1 = NULL, *b2 = NULL;
        size_t l1 = 0, l2 = 0;
        CHECK_OK(ent_ensemble_pack(&b1, &l1, e1));
        CHECK_OK(ent_ensemble_pack(&b2, &l2, e2));
        CHECK(l1 == l2 && b1 && b2 && memcmp(b1, b2, l1) == 0);
        ent_free(b1);
        ent_free(b2);
    }
    ent_ensemble_free(e1);
    ent_ensemble_free(e2);
    ent_model_free(m);
}

int main(void)
{
    const char *path = write_record();
    setenv("ENTENTE_RECORD", path, 1);
    test_file(path);
    ent_world_t *w = tiny_world();
    if (w) {
        test_posterior(w);
        test_directions(w);
        test_determinism(w);
    }
    ent_world_free(w);
    return check_failures ? 1 : 0;
}
