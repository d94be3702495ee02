/*
 * world_slice.c -- loading a world and slicing it: membership spells, pact
 * dyads active while both members are, lookups by code, capabilities.
 */
#include "check.h"

#include <sqlite3.h>

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

int main(void)
{
    const char *tmp = getenv("ENT_TMP") ? getenv("ENT_TMP") : ".";
    char db[512], states[512], nmc[512];
    snprintf(db, sizeof db, "%s/world_slice.db", tmp);
    snprintf(states, sizeof states, "%s/world_states.csv", tmp);
    snprintf(nmc, sizeof nmc, "%s/world_nmc.csv", tmp);
    remove(db);
    /* Three states; GMY leaves in 1945 and returns in 1990 (two spells). */
    write_file(states, "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
                       "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
                       "GMY,255,Germany,1816,1,1,1945,5,8,2016\n"
                       "GMY,255,Germany,1990,10,3,2016,12,31,2016\n"
                       "CHN,710,China,1860,1,1,2016,12,31,2016\n");
    write_file(nmc, "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
                    "2,2000,1,1,1,1,1,1,0.14\n710,2000,1,1,1,1,1,NA,0.16\n");
    ent_store_t *st;
    ent_import_result_t res;
    CHECK_OK(ent_store_open(&st, db, NULL));
    if (!st) {
        return CHECK_DONE();
    }
    CHECK_OK(ent_import(&res, st, "cow-states", states, NULL));
    CHECK(res.rows == 4 && res.inserted == 4);
    CHECK_OK(ent_import(&res, st, "cow-nmc", nmc, NULL));
    CHECK(res.inserted == 2);
    ent_store_close(st);

    /* A pact of all three from 1950 to 2000; Germany joins when alive again. */
    sqlite3 *h;
    CHECK(sqlite3_open(db, &h) == SQLITE_OK);
    CHECK(sqlite3_exec(h,
                       "INSERT INTO pacts(pact_id,dataset,ext_id,name,start_date,end_date,defense,source) "
                       "VALUES (1,'atop','9999','Test Pact',19500101,20001231,1,'fixture');"
                       "INSERT INTO pact_members(pact_id,ccode,entry_date,exit_date,defense,consul,source) VALUES "
                       "(1,2,19500101,NULL,1,0,'fixture'),(1,710,19500101,NULL,0,1,'fixture'),"
                       "(1,255,19901003,NULL,1,0,'fixture');",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(h);

    ent_store_options_t ro = ENT_STORE_OPTIONS_INIT;
    ro.readonly = true;
    ent_world_t *w;
    CHECK_OK(ent_store_open(&st, db, &ro));
    CHECK_OK(ent_world_load(&w, st, NULL));
    ent_store_close(st);
    if (!w) {
        return CHECK_DONE();
    }
    CHECK(ent_world_nstates(w) == 3);
    int64_t usa, gmy, chn;
    CHECK_OK(ent_world_find(&usa, w, "usa"));
    CHECK_OK(ent_world_find(&gmy, w, "255"));
    CHECK_OK(ent_world_find(&chn, w, "CHN"));
    CHECK_RC(ent_world_find(&chn, w, "XYZ"), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), "unknown state 'XYZ'");
    CHECK_RC(ent_world_find(&chn, w, "999"), ENT_ENOTFOUND);
    CHECK_OK(ent_world_find(&chn, w, "CHN"));
    CHECK_STR(ent_world_state(w, (size_t)chn)->name, "China");

    /* spells: Germany is absent 1946-1989; the 2016 end of the list is not an end */
    CHECK(ent_world_alive_year(w, (size_t)gmy, 1945));
    CHECK(!ent_world_alive_year(w, (size_t)gmy, 1960));
    CHECK(ent_world_alive(w, (size_t)gmy, 19901003));
    CHECK(!ent_world_alive(w, (size_t)gmy, 19901002));
    CHECK(ent_world_alive_year(w, (size_t)usa, 2024));
    CHECK(!ent_world_alive_year(w, (size_t)chn, 1850));

    CHECK_NEAR(ent_world_cinc(w, (size_t)chn, 2000), 0.16, 1e-6);
    CHECK(isnan(ent_world_cinc(w, (size_t)chn, 2001)));

    /* 3 dyads: USA-CHN from 1950, USA-GMY and GMY-CHN from 1990-10-03, all to 2000 */
    CHECK(ent_world_nties(w) == 3);
    ent_slice_t *sl;
    CHECK_OK(ent_world_slice_year(&sl, w, 1960));
    CHECK(ent_slice_nstates(sl) == 2);
    CHECK(ent_slice_nties(sl) == 1);
    if (ent_slice_nties(sl) == 1) {
        const ent_tie_t *t = ent_slice_tie(sl, 0);
        CHECK(t->kind == ENT_TIE_PACT);
        CHECK(t->obligations == (ENT_OBL_DEFENSE | ENT_OBL_CONSUL)); /* union of the two members' */
        CHECK_STR(t->moniker, "Test Pact");
        CHECK(t->end == 20001231);
    }
    ent_slice_free(sl);
    CHECK_OK(ent_world_slice(&sl, w, 19901002, 19901002));
    CHECK(ent_slice_nties(sl) == 1 && ent_slice_nstates(sl) == 2);
    ent_slice_free(sl);
    CHECK_OK(ent_world_slice(&sl, w, 19901003, 19901003));
    CHECK(ent_slice_nties(sl) == 3 && ent_slice_nstates(sl) == 3);
    ent_slice_free(sl);
    CHECK_OK(ent_world_slice_year(&sl, w, 2001));
    CHECK(ent_slice_nties(sl) == 0);
    ent_slice_free(sl);
    CHECK_RC(ent_world_slice(&sl, w, 20000101, 19990101), ENT_EINVAL);
    char obl[64];
    ent_obligations_format(obl, sizeof obl, ENT_OBL_DEFENSE | ENT_OBL_NONAGG);
    CHECK_STR(obl, "defense,nonagg");
    ent_obligations_format(obl, sizeof obl, 0);
    CHECK_STR(obl, "none");
    ent_world_free(w);
    return CHECK_DONE();
}
