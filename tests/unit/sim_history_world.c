/*
 * sim_history_world.c -- the world of a historical year built from a store (ent_world_load_history)
 * holds what the store holds for that year: the states in the system on 31 December, their CINC,
 * V-Dem polyarchy and UN ideal point, COW capital distances, contiguity and trade with the US and
 * China, strategic rivalries at the pact model's coding, and the ATOP pacts in force (NATO's
 * members and the US-Japan treaty in 1990, no US-China pact); the simulation's base-year pact
 * system of that world has the defence ties of the pact model's own history of the year; the
 * simulation from it is deterministic (same seed, same per-pair forecast, on 1 or 2 threads); a
 * year outside the store and a pole not in the system are refused with clear messages.
 * Needs the public datasets in ../shared/data (imported into a store of its own); skips without them.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "import_check.h"

static const struct {
    const char *format, *path;
} sources[] = {
    {"cow-states", "cow/states2016.csv"},
    {"cow-system", "cow/system2016.csv"},
    {"cow-nmc", "cow/nmc_v7.0_abridged.csv"},
    {"atop", "atop"},
    {"atop-dyad-year", "atop/atop5_1_directed_dyad_year.csv"},
    {"unga-ideal", "unga/IdealpointestimatesAll_Jun2024.csv"},
    {"tss-rivalries", "conflict/tss_rivalries.csv"},
    {"cow-majors", "cow/majors2016.csv"},
    {"cow-contdir", "geo/cow_contdir.csv"},
    {"capital-distance", "geo/cow_capdist_ndy_derived.csv.gz"},
    {"democracy", "regime/ccode_democracy.csv"},
    {"cow-mid-dyad", "conflict/cow_mid_ddydisps.csv"},
    {"cow-trade-dyad", "trade/cow_trade_ndy.csv"},
    {"cow-trade-state", "trade/cow_trade_sy.csv"},
};

static const ent_world_t *W;

static int64_t S(const char *code)
{
    return check_state(W, code);
}

/* A tie of kind k between a and b in force on day d (any obligations when obl is 0), and its level. */
static bool tie_on(const char *a, const char *b, ent_tie_kind_t k, unsigned obl, ent_date_t d, double *level)
{
    int64_t x = S(a), y = S(b);
    for (size_t t = 0; t < ent_world_nties(W); t++) {
        const ent_tie_t *e = ent_world_tie(W, t);
        if (e->kind == k && ((e->a == x && e->b == y) || (e->a == y && e->b == x)) && e->start <= d && d <= e->end &&
            (!obl || (e->obligations & obl))) {
            if (level) {
                *level = e->level;
            }
            return true;
        }
    }
    return false;
}

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

/* The world of 1990 against the store, value by value. */
static void test_world_1990(void)
{
    const ent_date_t d = 19901231;
    /* the states in the system on 31 December (the spells), as the simulation keeps them */
    double alive = scalar("SELECT count(DISTINCT ccode) FROM state_spells WHERE start_date <= 19901231 AND "
                          "(end_date IS NULL OR end_date >= 19901231)");
    size_t n = 0;
    for (size_t i = 0; i < ent_world_nstates(W); i++) {
        n += ent_world_alive(W, i, d);
    }
    CHECK(alive > 150 && (double)n == alive);
    CHECK(ent_world_alive(W, (size_t)S("255"), d) && !ent_world_alive(W, (size_t)S("265"), d)); /* unified Germany */
    /* CINC of the current NMC version */
    const char *const codes[] = {"2", "365", "710", "750"};
    for (size_t k = 0; k < 4; k++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT cinc FROM capabilities WHERE ccode = %s AND year = 1990 ORDER BY version DESC LIMIT 1",
                 codes[k]);
        double want = scalar(sql);
        CHECK(want > 0);
        CHECK_NEAR(ent_world_cinc(W, (size_t)S(codes[k]), 1990), want, 1e-7);
    }
    /* regime, UN ideal point, trade with the US and China of 1990 */
    const ent_state_t *usa = ent_world_state(W, (size_t)S("USA"));
    CHECK_NEAR(usa->democracy, scalar("SELECT polyarchy FROM regime WHERE ccode = 2 AND year = 1990"), 1e-9);
    CHECK_NEAR(usa->unga_ideal, scalar("SELECT ideal FROM unga_ideal WHERE ccode = 2 AND year = 1990"), 1e-9);
    CHECK(usa->unga_year == 1990);
    const ent_state_t *ind = ent_world_state(W, (size_t)S("IND"));
    CHECK_NEAR(ind->unga_ideal, scalar("SELECT ideal FROM unga_ideal WHERE ccode = 750 AND year = 1990"), 1e-9);
    double us_cn = scalar("SELECT flow1 + flow2 FROM trade_dyad_years WHERE ccode1 = 2 AND ccode2 = 710 AND year = "
                          "1990"),
           us_tot = scalar("SELECT imports + exports FROM trade_state_years WHERE ccode = 2 AND year = 1990");
    CHECK(us_cn > 0 && us_tot > 0);
    CHECK_NEAR(usa->trade_share_chn, us_cn / us_tot, 1e-12);
    CHECK(usa->trade_share_usa == 0 && usa->econ_year == 1990);
    /* capital distances of the year, contiguity */
    CHECK_NEAR(ent_world_distance(W, (size_t)S("USA"), (size_t)S("UKG")),
               scalar("SELECT km FROM capital_distance WHERE ccode1 = 2 AND ccode2 = 200 AND year = 1990"), 1e-3);
    CHECK(contig("USA", "CAN") == 1 && contig("USA", "MEX") == 1 && contig("UKG", "FRN") > 1);
    CHECK(contig("USA", "CHN") == 0);
    /* strategic rivalry at the pact model's coding (1); none between the US and Canada */
    double lvl = 0;
    CHECK(tie_on("IND", "PAK", ENT_TIE_RIVALRY, 0, d, &lvl) && lvl == 1.0);
    CHECK(!tie_on("USA", "CAN", ENT_TIE_RIVALRY, 0, d, NULL));
    /* ATOP pacts in force: NATO, US-Japan; none between the US and China */
    const char *const nato[] = {"UKG", "FRN", "TUR", "NOR", "ITA", "CAN", "255"};
    for (size_t k = 0; k < sizeof nato / sizeof *nato; k++) {
        CHECK(tie_on("USA", nato[k], ENT_TIE_PACT, ENT_OBL_DEFENSE, d, NULL));
    }
    CHECK(tie_on("USA", "JPN", ENT_TIE_PACT, ENT_OBL_DEFENSE, d, NULL));
    CHECK(!tie_on("USA", "CHN", ENT_TIE_PACT, ENT_OBL_DEFENSE, d, NULL));
    CHECK(usa->major_power && ent_world_state(W, (size_t)S("365"))->major_power &&
          !ent_world_state(W, (size_t)S("JPN"))->major_power);
    /* what the store has no counterpart for stays missing */
    CHECK(ent_world_max_tier(W) == 0 && ent_world_norgs(W) == 0 && isnan(usa->chn_finance_usd_bn));
}

/* The simulation's base-year pact system of the 1990 world has the pact model's own defence ties of
 * 1990 that are in force on 31 December, and the runs from it are deterministic. */
static void test_model(const ent_pmhistory_t *h)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/scenarios/history/history.yaml", ENT_SOURCE_DIR);
    ent_scenario_t sc;
    CHECK_OK(ent_scenario_load(&sc, path, W));
    sc.start_year = 1990;
    sc.years = 3;
    sc.report_year = 1993;
    ent_model_t *m = NULL;
    CHECK_OK(ent_model_new(&m, W, &sc));
    if (!m) {
        return;
    }
    ent_sysyear_t sys;
    ent_model_pact_system(m, &sys);
    const ent_sysyear_t *s0 = ent_pmhistory_year(h, 1990);
    int idx[1000];
    for (int c = 0; c < 1000; c++) {
        idx[c] = -1;
    }
    for (size_t i = 0; i < s0->n; i++) {
        idx[s0->ccode[i]] = (int)i;
    }
    size_t ties = 0, extra = 0;
    for (size_t i = 0; i < sys.n; i++) {
        for (size_t j = i + 1; j < sys.n; j++) {
            if (!sys.defence[i * sys.n + j]) {
                continue;
            }
            ties++;
            int a = idx[sys.ccode[i]], b = idx[sys.ccode[j]];
            extra += a < 0 || b < 0 || !s0->defence[(size_t)a * s0->n + (size_t)b];
        }
    }
    printf("1990: %zu defence ties in force on 31 December, %zu not in the pact model's history\n", ties, extra);
    CHECK(ties > 500 && extra == 0);
    /* the major powers of 1990 (COW: Japan and Germany from 1991), as the pact model's history has
     * them, not the 2016 list the shipped world's simulation uses; and, with no basing rows, a major
     * power present on its defence partners' territory (the rule the pact model was fitted with) */
    size_t usa = SIZE_MAX, ukg = SIZE_MAX, jpn = SIZE_MAX, ind = SIZE_MAX, pak = SIZE_MAX;
    for (size_t i = 0; i < sys.n; i++) {
        int c = sys.ccode[i];
        usa = c == 2 ? i : usa;
        ukg = c == 200 ? i : ukg;
        jpn = c == 740 ? i : jpn;
        ind = c == 750 ? i : ind;
        pak = c == 770 ? i : pak;
        int a = idx[c];
        CHECK(a >= 0 && sys.major[i] == s0->major[a]);
    }
    CHECK(usa != SIZE_MAX && ukg != SIZE_MAX && jpn != SIZE_MAX && ind != SIZE_MAX && pak != SIZE_MAX);
    if (usa != SIZE_MAX && ukg != SIZE_MAX && jpn != SIZE_MAX && ind != SIZE_MAX && pak != SIZE_MAX) {
        CHECK(sys.major[usa] && sys.major[ukg] && !sys.major[jpn]);
        CHECK(sys.presence[usa * sys.n + jpn] == 1.0 && sys.presence[jpn * sys.n + usa] == 0.0);
        CHECK(sys.hostility[ind * sys.n + pak] == 1.0);
    }

    /* deterministic: the same seed gives the same per-pair forecast, on 1 thread or 2 */
    size_t n = ent_model_nstates(m);
    double *p1 = calloc(n * n, sizeof *p1), *p2 = calloc(n * n, sizeof *p2);
    ent_ensemble_options_t o1 = ENT_ENSEMBLE_OPTIONS_INIT, o2 = ENT_ENSEMBLE_OPTIONS_INIT;
    o1.threads = 1;
    o2.threads = 2;
    CHECK_OK(ent_model_freerun(p1, m, 1993, 8, &o1));
    CHECK_OK(ent_model_freerun(p2, m, 1993, 8, &o2));
    size_t differ = 0, some = 0;
    for (size_t k = 0; k < n * n; k++) {
        differ += !(p1[k] == p2[k] || (isnan(p1[k]) && isnan(p2[k])));
        some += p1[k] > 0;
    }
    CHECK(differ == 0 && some > 0);
    CHECK_RC(ent_model_freerun(p1, m, 1990, 8, &o1), ENT_EINVAL); /* the horizon must follow the start */
    /* the ensemble and the per-pair forecast from the same runs (what `simulate --start-year` reports and
     * scores): the ensemble packs to the same bytes as ent_ensemble_run's, the pairs are the free run's */
    {
        ent_ensemble_t *both = NULL, *alone = NULL;
        double *p3 = calloc(n * n, sizeof *p3);
        CHECK_OK(ent_ensemble_run_freerun(&both, p3, m, 1993, 8, &o2));
        CHECK_OK(ent_ensemble_run(&alone, m, 0, 8, &o1));
        void *b1 = NULL, *b2 = NULL;
        size_t l1 = 0, l2 = 0;
        if (both && alone) {
            CHECK_OK(ent_ensemble_pack(&b1, &l1, both));
            CHECK_OK(ent_ensemble_pack(&b2, &l2, alone));
        }
        CHECK(b1 && b2 && l1 == l2 && memcmp(b1, b2, l1) == 0);
        size_t same = 0;
        for (size_t k = 0; p3 && k < n * n; k++) {
            same += p3[k] == p1[k] || (isnan(p3[k]) && isnan(p1[k]));
        }
        CHECK(same == n * n);
        ent_free(b1);
        ent_free(b2);
        free(p3);
        ent_ensemble_free(both);
        ent_ensemble_free(alone);
    }
    /* scored as the pact model is: the same pairs */
    int32_t *codes = calloc(n, sizeof *codes);
    for (size_t i = 0; i < n; i++) {
        codes[i] = ent_world_state(W, (size_t)ent_model_state(m, i))->ccode;
    }
    char *text = NULL;
    CHECK_OK(ent_report_freerun_scores(NULL, &text, NULL, p2, codes, n, h, 1990, 1993, 8, "test"));
    CHECK_CONTAINS(text ? text : "", "AUC");
    printf("%s", text ? text : "");
    ent_free(text);
    free(codes);
    free(p1);
    free(p2);
    ent_model_free(m);

    /* a pole not in the system that year: East Germany in 1990 (unified in October) */
    sc.poles[1] = 265;
    ent_model_t *bad = NULL;
    CHECK_RC(ent_model_new(&bad, W, &sc), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "265");
    CHECK_CONTAINS(ent_errmsg(), "1990");
}

int main(void)
{
    char buf[1024];
    for (size_t k = 0; k < sizeof sources / sizeof *sources; k++) {
        if (!shared_data(sources[k].path, buf, sizeof buf)) {
            return 77;
        }
    }
    ent_store_t *st = fresh_store("sim_history_world");
    if (!st) {
        return CHECK_DONE();
    }
    for (size_t k = 0; k < sizeof sources / sizeof *sources; k++) {
        ent_import_result_t res;
        CHECK_OK(ent_import(&res, st, sources[k].format, shared_data(sources[k].path, buf, sizeof buf), NULL));
    }
    /* the years a world can start from, and the refusal of one outside them */
    int first = 0, last = 0;
    CHECK_OK(ent_world_history_years(&first, &last, st, 0));
    CHECK(first == 1817 && last == 2018);
    ent_world_t *w = NULL;
    CHECK_RC(ent_world_load_history(&w, st, 2030, NULL), ENT_ERANGE);
    CHECK_CONTAINS(ent_errmsg(), "2030 is outside the store's coverage");
    CHECK_CONTAINS(ent_errmsg(), "1817-2018");
    CHECK(w == NULL);

    ent_pmhistory_t *h = NULL;
    CHECK_OK(ent_pmhistory_build(&h, st, 1990, 1993, NULL));
    CHECK_RC(ent_world_load_history(&w, st, 1989, h), ENT_EINVAL); /* a history without the year */
    CHECK_OK(ent_world_load_history(&w, st, 1990, h));
    if (w && h) {
        W = w;
        test_world_1990();
        test_model(h);
    }
    ent_world_free(w);
    ent_pmhistory_free(h);
    ent_store_close(st);
    return CHECK_DONE();
}
