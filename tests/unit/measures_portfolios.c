/*
 * measures_portfolios.c -- alliance portfolios without a store's dyad-years:
 * from plain arrays and from a world. The same alliances give the same
 * similarity, dyad by dyad and bit for bit, whether they come from a store's
 * ATOP dyad-years, from the world loaded from that store's pact members, or
 * from arrays; and every reader of capabilities takes the one current NMC
 * version (ent_store_nmc_version), so the world's CINC and the similarity
 * weights cannot disagree (before, the world sorted versions as strings and
 * mixed editions, while similarity compared version numbers).
 */
#include "check.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

static bool same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* A world keeps CINC as float (src/world/world_int.h): what depends on CINC agrees to float precision. */
static bool near(double a, double b)
{
    return (isnan(a) && isnan(b)) || fabs(a - b) <= 1e-6;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        check_failures++;
        return;
    }
    fputs(text, f);
    fclose(f);
}

static void import(ent_store_t *st, const char *fmt, const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_file(path, text);
    ent_import_result_t res;
    CHECK_OK(ent_import(&res, st, fmt, path, NULL));
}

static void sql(const char *db, const char *text)
{
    sqlite3 *h;
    CHECK(sqlite3_open(db, &h) == SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(h, text, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "fixture SQL failed: %s\n", msg ? msg : "?");
        check_failures++;
    }
    sqlite3_free(msg);
    sqlite3_close(h);
}

/* Every dyad of every year, undirected and directed, equal field by field (what depends on CINC to float
 * precision when b comes from a world). Returns the dyads compared. */
static size_t check_same_dyads(const ent_portfolios_t *a, const ent_portfolios_t *b, int from, int to, bool world)
{
    size_t total = 0;
    for (int yr = from; yr <= to; yr++) {
        CHECK(ent_portfolios_nstates(a, yr) == ent_portfolios_nstates(b, yr));
        for (int directed = 0; directed <= 1; directed++) {
            ent_vec_t va = ENT_VEC_INIT(ent_dyad_year_t), vb = ENT_VEC_INIT(ent_dyad_year_t);
            CHECK_OK(ent_measure_similarity_year(&va, a, yr, directed, NULL));
            CHECK_OK(ent_measure_similarity_year(&vb, b, yr, directed, NULL));
            CHECK(va.len == vb.len);
            int bad = 0;
            for (size_t k = 0; k < va.len && k < vb.len; k++) {
                const ent_dyad_year_t *x = &ENT_VEC_AT(&va, ent_dyad_year_t, k);
                const ent_dyad_year_t *y = &ENT_VEC_AT(&vb, ent_dyad_year_t, k);
                bool ok = x->ccode1 == y->ccode1 && x->ccode2 == y->ccode2 && x->year == y->year &&
                          x->obligations == y->obligations && same(x->m.s, y->m.s) &&
                          (world ? near(x->cinc1, y->cinc1) && near(x->cinc2, y->cinc2) && near(x->m.sw, y->m.sw)
                                 : same(x->cinc1, y->cinc1) && same(x->cinc2, y->cinc2) && same(x->m.sw, y->m.sw)) &&
                          same(x->m.kappa, y->m.kappa) && same(x->m.pi, y->m.pi) && same(x->m.taub, y->m.taub);
                if (!ok && bad++ < 3) {
                    fprintf(stderr, "%d %s dyad %d-%d: obl %u/%u cinc %g/%g s %g/%g sw %g/%g\n", yr,
                            directed ? "directed" : "undirected", x->ccode1, x->ccode2, x->obligations, y->obligations,
                            x->cinc1, y->cinc1, x->m.s, y->m.s, x->m.sw, y->m.sw);
                }
            }
            CHECK(bad == 0);
            total += va.len;
            ent_vec_destroy(&va);
            ent_vec_destroy(&vb);
        }
    }
    return total;
}

/* The CINC a loaded world holds equals what the similarity dyads of the store carry. */
static void check_cinc_agrees(const ent_world_t *w, const ent_portfolios_t *p, int year)
{
    ent_vec_t v = ENT_VEC_INIT(ent_dyad_year_t);
    CHECK_OK(ent_measure_similarity_year(&v, p, year, true, NULL));
    for (size_t k = 0; k < v.len; k++) {
        const ent_dyad_year_t *d = &ENT_VEC_AT(&v, ent_dyad_year_t, k);
        int64_t i = ent_world_state_index(w, d->ccode1);
        CHECK(i >= 0);
        double wc = ent_world_cinc(w, (size_t)i, year);
        /* the world keeps CINC as float: compare at float precision */
        CHECK((isnan(wc) && isnan(d->cinc1)) || fabs(wc - d->cinc1) < 1e-7);
    }
    ent_vec_destroy(&v);
}

static void check_store_world_arrays(void)
{
    const char *tmp = getenv("ENT_TMP");
    char dir[1024], db[1100];
    snprintf(dir, sizeof dir, "%s", tmp && *tmp ? tmp : "/tmp");
    snprintf(db, sizeof db, "%s/measures_portfolios.db", dir);
    remove(db);
    ent_store_t *st = NULL;
    CHECK_OK(ent_store_open(&st, db, NULL));
    if (!st) {
        return;
    }
    char ver[16];
    CHECK_RC(ent_store_nmc_version(ver, sizeof ver, st), ENT_ENOTFOUND);
    /* Four states, RUS from 1901. ATOP, symmetric: USA-UKG defence 1900-1901, UKG-FRN neutrality from mid-1901,
     * FRN-RUS non-aggression 1901. */
    import(st, "cow-states", dir, "pf_states.csv",
           "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
           "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
           "UKG,200,United Kingdom,1816,1,1,2016,12,31,2016\n"
           "FRN,220,France,1816,1,1,2016,12,31,2016\n"
           "RUS,365,Russia,1901,1,1,2016,12,31,2016\n");
    import(st, "cow-system", dir, "pf_system.csv",
           "stateabb,ccode,year,version\n"
           "USA,2,1900,2016\nUKG,200,1900,2016\nFRN,220,1900,2016\n"
           "USA,2,1901,2016\nUKG,200,1901,2016\nFRN,220,1901,2016\nRUS,365,1901,2016\n");
    import(st, "cow-nmc", dir, "pf_nmc.csv",
           "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
           "2,1900,1,1,1,1,1,1,0.2\n200,1900,1,1,1,1,1,1,0.2\n220,1900,1,1,1,1,1,1,0.1\n"
           "2,1901,1,1,1,1,1,1,0.2\n200,1901,1,1,1,1,1,1,0.25\n220,1901,1,1,1,1,1,1,0.1\n"
           "365,1901,1,1,1,1,1,1,0.1\n");
    import(st, "atop-dyad-year", dir, "pf_atop.csv",
           "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
           "2,200,1900,1,0,0,0,0\n2,200,1901,1,0,0,0,0\n200,2,1900,1,0,0,0,0\n200,2,1901,1,0,0,0,0\n"
           "200,220,1901,0,0,1,0,0\n220,200,1901,0,0,1,0,0\n"
           "220,365,1901,0,0,0,1,0\n365,220,1901,0,0,0,1,0\n");
    CHECK_OK(ent_store_nmc_version(ver, sizeof ver, st));
    CHECK_STR(ver, "nmc6"); /* the importer names a file ending before 2017 nmc6 */
    ent_store_close(st);
    /* The same alliances as ATOP member records. */
    sql(db, "INSERT INTO pacts(pact_id,dataset,ext_id,name,start_date,end_date,defense,source) VALUES "
            "(1,'atop','1','USA-UKG',19000101,NULL,1,'fixture'),(2,'atop','2','UKG-FRN',19010601,NULL,0,'fixture'),"
            "(3,'atop','3','FRN-RUS',19010101,19011231,0,'fixture');"
            "INSERT INTO pact_members(pact_id,ccode,entry_date,exit_date,defense,neutral,nonagg,source) VALUES "
            "(1,2,19000101,NULL,1,0,0,'f'),(1,200,19000101,NULL,1,0,0,'f'),"
            "(2,200,19010601,NULL,0,1,0,'f'),(2,220,19010601,NULL,0,1,0,'f'),"
            "(3,220,19010101,NULL,0,0,1,'f'),(3,365,19010101,NULL,0,0,1,'f');");

    ent_store_options_t ro = ENT_STORE_OPTIONS_INIT;
    ro.readonly = true;
    CHECK_OK(ent_store_open(&st, db, &ro));
    ent_world_t *w = NULL;
    ent_portfolios_t *ps = NULL, *pw = NULL, *pa = NULL;
    ent_world_load_options_t wo = ENT_WORLD_LOAD_OPTIONS_INIT;
    wo.pact_dataset = "atop";
    CHECK_OK(ent_store_load_world(&w, st, &wo));
    CHECK_OK(ent_portfolios_load(&ps, st, ENT_SIM_SOURCE_ATOP, 1900, 1901));
    if (!w || !ps) {
        ent_store_close(st);
        ent_world_free(w);
        ent_portfolios_free(ps);
        return;
    }
    CHECK_OK(ent_portfolios_from_world(&pw, w, 1900, 1901, 0));
    if (pw) {
        /* 3 + 6 undirected, 6 + 12 directed dyads */
        CHECK(check_same_dyads(ps, pw, 1900, 1901, true) == 27);
        int32_t c;
        CHECK_OK(ent_portfolios_find(&c, pw, "RUS"));
        CHECK(c == 365);
        CHECK_STR(ent_portfolios_abbr(pw, 220), "FRN");
        int first, last;
        ent_portfolios_coverage(pw, &first, &last);
        CHECK(first == 1900 && last == 1901);
        ent_portfolios_free(pw);
        pw = NULL;
    }
    check_cinc_agrees(w, ps, 1900);
    check_cinc_agrees(w, ps, 1901);

    /* The same portfolios from arrays. */
    ent_portfolio_member_t mem[] = {
        {1901, 365, 0.1}, {1900, 2, 0.2},    {1900, 200, 0.2}, {1900, 220, 0.1},
        {1901, 2, 0.2},   {1901, 200, 0.25}, {1901, 220, 0.1},
    };
    ent_alliance_dyad_t dy[] = {
        {1900, 2, 200, ENT_OBL_DEFENSE},   {1900, 200, 2, ENT_OBL_DEFENSE},
        {1901, 2, 200, ENT_OBL_DEFENSE},   {1901, 200, 2, ENT_OBL_DEFENSE},
        {1901, 200, 220, ENT_OBL_NEUTRAL}, {1901, 220, 200, ENT_OBL_NEUTRAL},
        {1901, 220, 365, ENT_OBL_NONAGG},  {1901, 365, 220, ENT_OBL_NONAGG},
        {1900, 2, 365, ENT_OBL_DEFENSE}, /* RUS is no member in 1900: left out, as the store path does */
    };
    CHECK_OK(ent_portfolios_from_alliances(&pa, ENT_SIM_SOURCE_ATOP, 1900, 1901, mem, 7, dy, 9));
    if (pa) {
        CHECK(check_same_dyads(ps, pa, 1900, 1901, false) == 27);
        int32_t c;
        CHECK_OK(ent_portfolios_find(&c, pa, "365"));
        CHECK_RC(ent_portfolios_find(&c, pa, "RUS"), ENT_ENOTFOUND); /* arrays carry no names */
        ent_portfolios_free(pa);
        pa = NULL;
    }
    /* a different alliance changes the answer: the comparison above can fail */
    dy[4].obligations = ENT_OBL_DEFENSE;
    dy[5].obligations = ENT_OBL_DEFENSE;
    CHECK_OK(ent_portfolios_from_alliances(&pa, ENT_SIM_SOURCE_ATOP, 1900, 1901, mem, 7, dy, 9));
    if (pa) {
        ent_similarity_t m1, m2;
        CHECK_OK(ent_measure_similarity_pair(&m1, ps, 1901, 200, 220, NULL));
        CHECK_OK(ent_measure_similarity_pair(&m2, pa, 1901, 200, 220, NULL));
        CHECK(m1.s != m2.s);
        ent_portfolios_free(pa);
        pa = NULL;
    }
    ent_portfolio_member_t dup[] = {{1900, 2, 0.2}, {1900, 2, 0.3}};
    CHECK_RC(ent_portfolios_from_alliances(&pa, ENT_SIM_SOURCE_ATOP, 1900, 1900, dup, 2, NULL, 0), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "listed twice");
    CHECK_RC(ent_portfolios_from_alliances(&pa, ENT_SIM_SOURCE_ATOP, 1901, 1901, dup, 1, NULL, 0), ENT_ERANGE);
    CHECK_RC(ent_portfolios_from_alliances(&pa, ENT_SIM_SOURCE_UN, 1900, 1900, dup, 1, NULL, 0), ENT_EINVAL);
    CHECK_RC(ent_portfolios_from_world(&pw, w, 1901, 1900, 0), ENT_EINVAL);
    CHECK(pa == NULL && pw == NULL);
    ent_portfolios_free(ps);
    ps = NULL;
    ent_world_free(w);
    w = NULL;
    ent_store_close(st);

    /*
     * A newer NMC edition, "nmc10", with FRN's 1900 CINC missing. "nmc10" sorts before "nmc6" as a
     * string, which is what the world loader used to go by (taking nmc6, and mixing editions row by
     * row), while similarity compared numbers (taking nmc10). Now both take nmc10 only: FRN 1900 has
     * no CINC anywhere, and coverage ends with nmc10's last year.
     */
    sql(db, "INSERT INTO capabilities(version,ccode,year,cinc) VALUES "
            "('nmc10',2,1900,0.5),('nmc10',200,1900,0.3),('nmc10',220,1900,NULL),('nmc10',365,1900,NULL);");
    CHECK_OK(ent_store_open(&st, db, &ro));
    CHECK_OK(ent_store_nmc_version(ver, sizeof ver, st));
    CHECK_STR(ver, "nmc10");
    CHECK_OK(ent_store_load_world(&w, st, &wo));
    CHECK_OK(ent_portfolios_load(&ps, st, ENT_SIM_SOURCE_ATOP, 1900, 1901));
    if (w && ps) {
        int64_t usa = ent_world_state_index(w, 2), frn = ent_world_state_index(w, 220);
        CHECK_NEAR(ent_world_cinc(w, (size_t)usa, 1900), 0.5, 1e-7);
        CHECK(isnan(ent_world_cinc(w, (size_t)frn, 1900)));
        CHECK(isnan(ent_world_cinc(w, (size_t)usa, 1901))); /* nmc10 has no 1901: no fallback to nmc6 */
        check_cinc_agrees(w, ps, 1900);
        check_cinc_agrees(w, ps, 1901);
        CHECK_OK(ent_portfolios_from_world(&pw, w, 1900, 1901, 0));
        if (pw) {
            CHECK(check_same_dyads(ps, pw, 1900, 1901, true) == 27);
        }
        int first = 0, last = 0;
        CHECK_OK(ent_blocs_coverage(&first, &last, st));
        CHECK(first == 1900 && last == 1900);
    }
    ent_portfolios_free(pw);
    ent_portfolios_free(ps);
    ent_world_free(w);
    ent_store_close(st);
}

/* The shipped world gets alliance similarity too, with no store. */
static void check_shipped(void)
{
    ent_world_t *w = NULL;
    if (ent_world_load_dir(&w, ent_world_default_dir()) != ENT_OK) {
        fprintf(stderr, "the shipped world did not load: %s\n", ent_errmsg());
        check_failures++;
        return;
    }
    ent_portfolios_t *p = NULL;
    CHECK_OK(ent_portfolios_from_world(&p, w, 2024, 2024, 10));
    if (p) {
        size_t n = ent_portfolios_nstates(p, 2024);
        CHECK(n == ent_world_nstates(w));
        int32_t usa, ukg, fra, chn, prk;
        CHECK_OK(ent_portfolios_find(&usa, p, "USA"));
        CHECK_OK(ent_portfolios_find(&ukg, p, "UKG"));
        CHECK_OK(ent_portfolios_find(&fra, p, "FRA")); /* ISO3 */
        CHECK_OK(ent_portfolios_find(&chn, p, "CHN"));
        CHECK_OK(ent_portfolios_find(&prk, p, "PRK"));
        ent_similarity_t uk, cn, cp;
        CHECK_OK(ent_measure_similarity_pair(&uk, p, 2024, usa, ukg, NULL));
        CHECK_OK(ent_measure_similarity_pair(&cn, p, 2024, usa, chn, NULL));
        CHECK_OK(ent_measure_similarity_pair(&cp, p, 2024, chn, prk, NULL));
        /* NATO allies' portfolios are closer than the US's and China's; China and North Korea are
         * treaty allies (1961), so theirs is closer too */
        CHECK(uk.s > cn.s);
        CHECK(cp.s > cn.s);
        CHECK(!isnan(uk.sw)); /* base-year CINC reached through cinc_back */
        ent_vec_t v = ENT_VEC_INIT(ent_dyad_year_t);
        CHECK_OK(ent_measure_similarity_year(&v, p, 2024, false, NULL));
        CHECK(v.len == n * (n - 1) / 2);
        ent_vec_destroy(&v);
        ent_portfolios_free(p);
    }
    ent_world_free(w);
}

int main(void)
{
    check_store_world_arrays();
    check_shipped();
    return CHECK_DONE();
}
