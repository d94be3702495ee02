/*
 * world_contiguity.c -- direct contiguity in the world (issue 12): the builder refuses self-pairs,
 * unknown types and a pair given twice in either order; the shipped world's data/contiguity.csv holds
 * COW Direct Contiguity's 2016 types (land borders and sea classes; checked pairs below name their
 * geography); the simulation's pact system codes it as the fit did (1 land, 2 sea types 2-5), and its
 * utilities carry the fitted CONTIG terms exactly on those pairs.
 */
#include "check.h"

static const ent_world_t *W;

static int64_t S(const char *code)
{
    return check_state(W, code);
}

/* The COW type of a pair in the world, 0 when none. */
static int contig(const char *a, const char *b)
{
    int64_t x = S(a), y = S(b);
    for (size_t k = 0; k < ent_world_ncontiguities(W); k++) {
        const ent_contiguity_t *c = ent_world_contiguity(W, k);
        if ((c->a == x && c->b == y) || (c->a == y && c->b == x)) {
            return c->type;
        }
    }
    return 0;
}

static void test_builder(void)
{
    ent_world_t *w = NULL;
    CHECK_OK(ent_world_new(&w));
    if (!w) {
        return;
    }
    const int32_t codes[] = {2, 20, 70};
    const char *abbr[] = {"USA", "CAN", "MEX"};
    for (int k = 0; k < 3; k++) {
        ent_state_t s;
        ent_state_init(&s);
        s.ccode = codes[k];
        snprintf(s.abbr, sizeof s.abbr, "%s", abbr[k]);
        s.name = abbr[k];
        CHECK_OK(ent_world_add_state(NULL, w, &s));
    }
    ent_contiguity_t c = {0, 1, 1, "test"};
    CHECK_OK(ent_world_add_contiguity(w, &c));
    ent_contiguity_t rev = {1, 0, 1, "test"};
    CHECK_RC(ent_world_add_contiguity(w, &rev), ENT_EEXISTS);
    CHECK_CONTAINS(ent_errmsg(), "already contiguous");
    ent_contiguity_t self = {2, 2, 1, "test"};
    CHECK_RC(ent_world_add_contiguity(w, &self), ENT_EINVAL);
    ent_contiguity_t type6 = {0, 2, 6, "test"};
    CHECK_RC(ent_world_add_contiguity(w, &type6), ENT_EINVAL);
    ent_contiguity_t unknown = {0, 3, 1, "test"};
    CHECK_RC(ent_world_add_contiguity(w, &unknown), ENT_ERANGE);
    ent_contiguity_t sea = {0, 2, 4, "test"};
    CHECK_OK(ent_world_add_contiguity(w, &sea));
    CHECK_OK(ent_world_finalise(w));
    ent_contiguity_t late = {1, 2, 1, "test"};
    CHECK_RC(ent_world_add_contiguity(w, &late), ENT_EINVAL);
    CHECK(ent_world_ncontiguities(w) == 2);
    CHECK(ent_world_contiguity(w, 1)->type == 4);
    CHECK_STR(ent_world_contiguity(w, 1)->source, "test");
    ent_world_free(w);
}

static void test_shipped(void)
{
    /* 552 pairs: COW v3.2's pairs in force in 2016 between shipped states (312 land, 240 sea) */
    CHECK(ent_world_ncontiguities(W) == 552);
    size_t land = 0;
    for (size_t k = 0; k < ent_world_ncontiguities(W); k++) {
        const ent_contiguity_t *c = ent_world_contiguity(W, k);
        CHECK(c->a != c->b && c->type >= 1 && c->type <= 5);
        CHECK_CONTAINS(c->source, "COW Direct Contiguity v3.2");
        land += c->type == 1;
    }
    CHECK(land == 312);
    CHECK(contig("CHN", "IND") == 1);
    CHECK(contig("IND", "PAK") == 1);
    CHECK(contig("RUS", "MON") == 1);
    CHECK(contig("CHN", "PRK") == 1);
    CHECK(contig("RUS", "USA") == 2); /* the Diomedes: under 12 miles of water */
    CHECK(contig("CHN", "TAW") == 2);
    CHECK(contig("USA", "CUB") == 4); /* Florida Straits: 90 miles */
    CHECK(contig("JPN", "CHN") == 5);
    CHECK(contig("SSD", "SUD") == 1); /* South Sudan (2011) is in COW's data */
    CHECK(contig("USA", "CHN") == 0);
    CHECK(contig("ICE", "UKG") == 0); /* Iceland and New Zealand have no state within 400 miles */
}

static size_t midx(const ent_model_t *m, const char *code)
{
    int64_t wi = S(code);
    for (size_t i = 0; i < ent_model_nstates(m); i++) {
        if (ent_model_state(m, i) == wi) {
            return i;
        }
    }
    check_failures++;
    return 0;
}

static void test_model(void)
{
    ent_scenario_t s;
    ent_scenario_defaults(&s);
    ent_model_t *m = NULL;
    CHECK_OK(ent_model_new(&m, W, &s));
    if (!m) {
        return;
    }
    size_t n = ent_model_nstates(m);
    ent_sysyear_t sys;
    ent_model_pact_system(m, &sys);
    CHECK(sys.contig != NULL);
    if (!sys.contig) {
        ent_model_free(m);
        return;
    }
    size_t rus = midx(m, "RUS"), mon = midx(m, "MON"), usa = midx(m, "USA"), chn = midx(m, "CHN"), cub = midx(m, "CUB");
    CHECK(sys.contig[rus * n + mon] == 1 && sys.contig[mon * n + rus] == 1);
    CHECK(sys.contig[usa * n + rus] == 2 && sys.contig[usa * n + cub] == 2);
    CHECK(sys.contig[usa * n + chn] == 0);
    size_t nz = 0;
    for (size_t k = 0; k < n * n; k++) {
        nz += sys.contig[k] != 0;
    }
    CHECK(nz == 2 * 552); /* every shipped state is in the 2024 system */

    /* Utilities with only the contiguity terms: exactly theta_land on land pairs, theta_sea on sea pairs */
    double theta[ENT_PM_NPARAMS] = {0};
    theta[ENT_PM_F_CONTIG_LAND] = 1.25;
    theta[ENT_PM_F_CONTIG_SEA] = 0.5;
    double *u = calloc(n * n, sizeof *u);
    if (!u) {
        CHECK(0);
        ent_model_free(m);
        return;
    }
    CHECK_OK(ent_model_pact_probs(m, theta, NULL, u, NULL, NULL));
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            unsigned char c = i == j ? 0 : sys.contig[i * n + j];
            double want = c == 1 ? 1.25 : c == 2 ? 0.5 : 0.0;
            if (i != j) {
                worst = fmax(worst, fabs(u[i * n + j] - want));
            }
        }
    }
    CHECK_NEAR(worst, 0.0, 1e-12);
    free(u);
    ent_model_free(m);
}

int main(void)
{
    ent_world_t *w;
    test_builder();
    if (ent_world_load_dir(&w, ent_world_default_dir()) != ENT_OK) {
        fprintf(stderr, "cannot load the shipped world: %s\n", ent_errmsg());
        return 1;
    }
    W = w;
    test_shipped();
    test_model();
    ent_world_free(w);
    return CHECK_DONE();
}
