/*
 * models_pactmodel_broad.c -- lesser obligations by breadth (issue 12): ATOP codes the Helsinki
 * Final Act as a non-aggression pact among all its signatories, so with one `lesser` term every
 * European microstate "shared" a consultation clause with the US and the forecast's likeliest new
 * US partners were Monaco and San Marino. The term is split: LESSER for a treaty of fewer than K
 * members, LESSER_BROAD for pairs bound only through treaties of K or more, both fitted. Pinned
 * here in both places the systems are built: the historical builder (on the store, when one is
 * built: the US and Switzerland share only Helsinki in 1976, the USSR and Finland their 1948
 * treaty) and the forecast's 2024 system from the shipped world (the US and Monaco share only
 * Helsinki; Russia and China their 2001 treaty), in the library's terms and in the simulation's
 * own utilities.
 */
#include "check.h"
#include "tiny_world.h"

#include <unistd.h>

/* The index of COW state `ccode` in the system, or SIZE_MAX. */
static size_t idx(const ent_sysyear_t *sys, int32_t ccode)
{
    for (size_t i = 0; i < sys->n; i++) {
        if (sys->ccode[i] == ccode) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* LESSER and LESSER_BROAD of the ordered pair (a, b) in sys under m's breadth; false if either is absent. */
static bool terms_of(const ent_pactmodel_t *m, const ent_sysyear_t *sys, int32_t a, int32_t b, double *narrow,
                     double *broad)
{
    size_t i = idx(sys, a), j = idx(sys, b), n = sys->n;
    if (i == SIZE_MAX || j == SIZE_MAX) {
        return false;
    }
    double *X = calloc(n * n * ENT_PM_NFORM, sizeof *X);
    if (!X) {
        return false;
    }
    bool ok = ent_pactmodel_terms(m, sys, X) == ENT_OK;
    *narrow = X[(i * n + j) * ENT_PM_NFORM + ENT_PM_F_LESSER];
    *broad = X[(i * n + j) * ENT_PM_NFORM + ENT_PM_F_LESSER_BROAD];
    free(X);
    return ok;
}

/* The shipped world's 2024 system, built by the simulation, under the shipped fit's breadth. */
static void test_forecast_system(void)
{
    ent_world_t *W = NULL;
    ent_model_t *m = shipped_model(&W);
    if (!m) {
        return;
    }
    const ent_pactmodel_t *pm = ent_model_pactmodel(m);
    double K = ent_pactmodel_settings(pm)->lesser_broad;
    ent_sysyear_t sys;
    ent_model_pact_system(m, &sys);
    size_t n = sys.n, us = idx(&sys, 2), mnc = idx(&sys, 221), rus = idx(&sys, 365), chn = idx(&sys, 710);
    CHECK(us != SIZE_MAX && mnc != SIZE_MAX && rus != SIZE_MAX && chn != SIZE_MAX && sys.lesser);
    if (us == SIZE_MAX || mnc == SIZE_MAX || rus == SIZE_MAX || chn == SIZE_MAX || !sys.lesser) {
        goto done;
    }
    fprintf(stderr, "K = %g; narrowest lesser treaty: US-Monaco %u members, Russia-China %u\n", K,
            sys.lesser[us * n + mnc], sys.lesser[rus * n + chn]);
    /* Helsinki's signatories in the model's states, and the 2001 treaty's two */
    CHECK(sys.lesser[us * n + mnc] >= 40 && sys.lesser[mnc * n + us] == sys.lesser[us * n + mnc]);
    CHECK(sys.lesser[rus * n + chn] == 2);
    double nar = -1, bro = -1;
    CHECK(terms_of(pm, &sys, 2, 221, &nar, &bro));
    CHECK(nar == 0.0 && bro == 1.0);
    CHECK(terms_of(pm, &sys, 221, 2, &nar, &bro));
    CHECK(nar == 0.0 && bro == 1.0);
    CHECK(terms_of(pm, &sys, 710, 365, &nar, &bro));
    CHECK(nar == 1.0 && bro == 0.0);
    /* the simulation's own static utility reads the same breadth: only the term set moves u */
    double *u = calloc(n * n, sizeof *u);
    if (!u) {
        CHECK(0);
        goto done;
    }
    double th[ENT_PM_NPARAMS] = {0};
    th[ENT_PM_F_LESSER_BROAD] = 1.0;
    CHECK_OK(ent_model_pact_probs(m, th, NULL, u, NULL, NULL));
    CHECK_NEAR(u[us * n + mnc], 1.0, 1e-12);
    CHECK_NEAR(u[chn * n + rus], 0.0, 1e-12);
    th[ENT_PM_F_LESSER_BROAD] = 0.0;
    th[ENT_PM_F_LESSER] = 1.0;
    CHECK_OK(ent_model_pact_probs(m, th, NULL, u, NULL, NULL));
    CHECK_NEAR(u[us * n + mnc], 0.0, 1e-12);
    CHECK_NEAR(u[chn * n + rus], 1.0, 1e-12);
    free(u);
done:
    ent_model_free(m);
    ent_world_free(W);
}

/* The historical system of 1976 built from the store, with the model's default breadth (10). */
static int test_history(void)
{
    char buf[4096];
    const char *path = test_store_path(buf, sizeof buf);
    if (!path) {
        fprintf(stderr, "no readable store (make import, or $ENT_STORE): the historical builder not checked\n");
        return 77;
    }
    ent_store_options_t so = ENT_STORE_OPTIONS_INIT;
    so.readonly = true;
    ent_store_t *db = NULL;
    ent_pmhistory_t *h = NULL;
    ent_pactmodel_t *m = NULL;
    CHECK_OK(ent_store_open(&db, path, &so));
    CHECK_OK(ent_pmhistory_build(&h, db, 1976, 1976, NULL));
    CHECK_OK(ent_pactmodel_new(&m));
    const ent_sysyear_t *sys = h ? ent_pmhistory_year(h, 1976) : NULL;
    CHECK(sys && sys->lesser && m && ent_pactmodel_settings(m)->lesser_broad == 10);
    if (sys && sys->lesser && m) {
        size_t n = sys->n, us = idx(sys, 2), swz = idx(sys, 225), rus = idx(sys, 365), fin = idx(sys, 375);
        CHECK(us != SIZE_MAX && swz != SIZE_MAX && rus != SIZE_MAX && fin != SIZE_MAX);
        if (us != SIZE_MAX && swz != SIZE_MAX && rus != SIZE_MAX && fin != SIZE_MAX) {
            fprintf(stderr, "1976: narrowest lesser treaty US-Switzerland %u members, USSR-Finland %u\n",
                    sys->lesser[us * n + swz], sys->lesser[rus * n + fin]);
            /* the Helsinki Final Act (atopid 3740): 34 signatories in the system in 1976 */
            CHECK(sys->lesser[us * n + swz] >= 30 && sys->lesser[rus * n + fin] == 2);
        }
        double nar = -1, bro = -1;
        CHECK(terms_of(m, sys, 2, 225, &nar, &bro));
        CHECK(nar == 0.0 && bro == 1.0);
        CHECK(terms_of(m, sys, 375, 365, &nar, &bro));
        CHECK(nar == 1.0 && bro == 0.0);
    }
    ent_pactmodel_free(m);
    ent_pmhistory_free(h);
    ent_store_close(db);
    return 0;
}

int main(void)
{
    test_forecast_system();
    (void)test_history(); /* the store part is optional (it says so when skipped): the rest ran */
    return CHECK_DONE();
}
