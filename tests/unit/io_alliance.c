/*
 * io_alliance.c -- the alliance importers: cow-alliance, atop-dyad-year and
 * atop. The real files give the published row counts and a known treaty;
 * re-imports replace; small fixtures check that each kind of bad input gets
 * the right error, a message naming file, line and field, and leaves the
 * store as it was.
 *
 * Counts: COW Formal Alliances v4.1 directed dyad-year, 120,784 rows (Gibler
 * 2009); ATOP 5.1 directed dyad-year, 273,296 rows; atop5_1a.csv 789
 * alliances and atop5_1m.csv 2,510 member rows (Leeds et al. 2002; ATOP 5.1
 * codebook). The 1961 Treaty of Friendship, Co-operation and Mutual Assistance
 * between China (710) and North Korea (731) is ATOP 3445, a defence pact in
 * force through 2018.
 */
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "import_check.h"

static const char *fixture(const char *name, const char *text)
{
    return write_fixture(NULL, name, NULL, text);
}

static const char COW_HDR[] =
    "\"ccode1\",\"ccode2\",\"year\",\"cow_defense\",\"cow_neutral\",\"cow_nonagg\",\"cow_entente\"\n";
static const char ATOP_HDR[] = "\"ccode1\",\"ccode2\",\"year\",\"atop_defense\",\"atop_offense\",\"atop_neutral\","
                               "\"atop_nonagg\",\"atop_consul\"\n";
static const char A_HDR[] =
    "atopid,begyr,begmo,begday,endyr,endmo,endday,bilat,defense,offense,neutral,nonagg,consul\n";
static const char M_HDR[] =
    "atopid,member,phase,yrent,moent,dayent,yrexit,moexit,dayexit,defense,offense,neutral,nonagg,consul\n";

static void bad_fixtures(ent_store_t *st)
{
    char buf[4096];

    /* A flag outside 0/1: row 3 (line 3), column 5 (cow_neutral). */
    snprintf(buf, sizeof buf, "%s2,20,1950,1,0,1,1\n2,200,1950,1,2,0,1\n", COW_HDR);
    expect_failure(st, "cow-alliance", fixture("bad_flag.csv", buf), ENT_ERANGE,
                   (const char *const[]){"bad_flag.csv:3:", "'cow_neutral'", "outside 0..1", NULL});

    /* A state code the state list does not have. */
    snprintf(buf, sizeof buf, "%s2,20,1950,1,0,0,0,1\n2,999,1950,1,0,0,0,1\n", ATOP_HDR);
    expect_failure(st, "atop-dyad-year", fixture("unknown_state.csv", buf), ENT_ENOTFOUND,
                   (const char *const[]){"unknown_state.csv:3:", "'ccode2'", "999", NULL});

    /* A column missing from the header. */
    snprintf(buf, sizeof buf,
             "\"ccode1\",\"ccode2\",\"year\",\"cow_defense\",\"cow_neutral\",\"cow_nonagg\"\n2,20,1950,1,0,1\n");
    expect_failure(st, "cow-alliance", fixture("missing_column.csv", buf), ENT_EPARSE,
                   (const char *const[]){"missing_column.csv:1:", "'cow_entente'", NULL});

    /* The same dyad-year twice. */
    snprintf(buf, sizeof buf, "%s2,20,1950,1,0,0,0,1\n2,20,1951,1,0,0,0,1\n2,20,1950,0,0,0,0,1\n", ATOP_HDR);
    expect_failure(st, "atop-dyad-year", fixture("dup_dyad.csv", buf), ENT_EEXISTS,
                   (const char *const[]){"dup_dyad.csv:4:", "ccode1 2", "ccode2 20", "year 1950", NULL});

    /* A duplicate after a full batch of sorted rows (see import_alliance.c): still named by its line. */
    {
        size_t n = (size_t)snprintf(buf, sizeof buf, "%s", ATOP_HDR);
        for (int y = 1900; y < 1970; y++) {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "2,20,%d,1,0,0,0,1\n", y);
        }
        snprintf(buf + n, sizeof buf - n, "2,20,1900,1,0,0,0,1\n");
        expect_failure(st, "atop-dyad-year", fixture("dup_after_batch.csv", buf), ENT_EEXISTS,
                       (const char *const[]){"dup_after_batch.csv:72:", "ccode1 2", "year 1900", NULL});
    }

    /* A state allied with itself; a year before COW's system begins. */
    snprintf(buf, sizeof buf, "%s2,2,1950,1,0,1,1\n", COW_HDR);
    expect_failure(st, "cow-alliance", fixture("self.csv", buf), ENT_ERANGE,
                   (const char *const[]){"self.csv:2:", "'ccode2'", NULL});
    snprintf(buf, sizeof buf, "%s2,20,1815,1,0,1,1\n", COW_HDR);
    expect_failure(st, "cow-alliance", fixture("early.csv", buf), ENT_ERANGE,
                   (const char *const[]){"early.csv:2:", "'year'", NULL});

    /* ATOP folders: each holds atop5_1a.csv and atop5_1m.csv. */
    static const struct {
        const char *dir, *a, *m;
        ent_err_t want;
        const char *needles[4];
    } atop[] = {
        /* a member row whose alliance is not in the alliance file */
        {"atop_noalliance",
         "3445,1961,7,11,0,0,0,1,1,0,0,0,1\n",
         "3445,710,0,1961,7,11,0,0,0,1,0,0,0,1\n3446,731,0,1961,7,11,0,0,0,1,0,0,0,1\n",
         ENT_ENOTFOUND,
         {"atop5_1m.csv:3:", "'atopid'", "3446", NULL}},
        /* a member leaving before it joins */
        {"atop_exit",
         "3445,1961,7,11,0,0,0,1,1,0,0,0,1\n",
         "3445,710,0,1961,7,11,1960,1,,1,0,0,0,1\n",
         ENT_ERANGE,
         {"atop5_1m.csv:2:", "'yrexit'", NULL}},
        /* the same atopid twice */
        {"atop_dupid",
         "3445,1961,7,11,0,0,0,1,1,0,0,0,1\n3445,1961,7,11,0,0,0,1,1,0,0,0,1\n",
         "",
         ENT_EEXISTS,
         {"atop5_1a.csv:3:", "atopid 3445", NULL}},
        /* the same membership twice (same phase and entry, different exit) */
        {"atop_dupmember",
         "3445,1961,7,11,0,0,0,1,1,0,0,0,1\n",
         "3445,710,0,1961,7,11,0,0,0,1,0,0,0,1\n3445,710,0,1961,7,11,1990,1,1,1,0,0,0,1\n",
         ENT_EEXISTS,
         {"atop5_1m.csv:3:", "member 710", "phase 0", NULL}},
        /* an unknown member code */
        {"atop_unknown",
         "3445,1961,7,11,0,0,0,1,1,0,0,0,1\n",
         "3445,999,0,1961,7,11,0,0,0,1,0,0,0,1\n",
         ENT_ENOTFOUND,
         {"atop5_1m.csv:2:", "'member'", NULL}},
        /* a day that does not exist */
        {"atop_badday", "3445,1961,2,30,0,0,0,1,1,0,0,0,1\n", "", ENT_ERANGE, {"atop5_1a.csv:2:", "'begday'", NULL}},
        /* in force (endyr 0) yet with an end month */
        {"atop_openmonth", "3445,1961,7,11,0,5,0,1,1,0,0,0,1\n", "", ENT_ERANGE, {"atop5_1a.csv:2:", "'endmo'", NULL}},
        /* an obligation flag of 2 */
        {"atop_flag", "3445,1961,7,11,0,0,0,1,2,0,0,0,1\n", "", ENT_ERANGE, {"atop5_1a.csv:2:", "'defense'", NULL}},
    };
    for (size_t k = 0; k < sizeof atop / sizeof atop[0]; k++) {
        char dir[1200], name[1400];
        snprintf(dir, sizeof dir, "%s/%s", fxdir, atop[k].dir);
        mkdir(dir, 0777);
        snprintf(name, sizeof name, "%s/atop5_1a.csv", atop[k].dir);
        snprintf(buf, sizeof buf, "%s%s", A_HDR, atop[k].a);
        fixture(name, buf);
        snprintf(name, sizeof name, "%s/atop5_1m.csv", atop[k].dir);
        snprintf(buf, sizeof buf, "%s%s", M_HDR, atop[k].m);
        fixture(name, buf);
        expect_failure(st, "atop", dir, atop[k].want, atop[k].needles);
    }

    /* The member file alone, without the alliance file beside it. */
    {
        char dir[1200], name[1400];
        snprintf(dir, sizeof dir, "%s/atop_alone", fxdir);
        mkdir(dir, 0777);
        snprintf(name, sizeof name, "%s/atop5_1a.csv", dir);
        remove(name);
        snprintf(buf, sizeof buf, "%s3445,710,0,1961,7,11,0,0,0,1,0,0,0,1\n", M_HDR);
        const char *m = fixture("atop_alone/atop5_1m.csv", buf);
        expect_failure(st, "atop", m, ENT_EIO, (const char *const[]){"atop5_1a.csv", NULL});
    }
}

static void count_warning(void *ctx, const char *msg)
{
    (*(int *)ctx)++;
    CHECK_CONTAINS(msg, "keep_going.csv:3:");
}

/* keep_going skips the bad rows, counts them, and keeps the rest; the cancel flag stops an import. */
static void keep_going_and_cancel(ent_store_t *st)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s2,20,1950,1,0,1,1\n2,200,1950,1,2,0,1\n20,2,1950,1,0,1,1\n", COW_HDR);
    const char *p = fixture("keep_going.csv", buf);
    int msgs = 0;
    ent_import_options_t o = ENT_IMPORT_OPTIONS_INIT;
    o.keep_going = true;
    o.ctx = &msgs;
    o.warn = count_warning;
    ent_import_result_t res;
    CHECK_OK(ent_import(&res, st, "cow-alliance", p, &o));
    CHECK(res.rows == 3 && res.inserted == 2 && res.rejected == 1 && msgs == 1);
    CHECK(scalar("SELECT count(*) FROM alliance_dyad_years WHERE dataset='cow'") == 2);

    /* Rows out of key order go one by one; they import the same. */
    snprintf(buf, sizeof buf, "%s20,2,1950,1,0,1,1\n2,20,1951,1,0,1,1\n2,20,1950,1,0,1,0\n", COW_HDR);
    CHECK_OK(ent_import(&res, st, "cow-alliance", fixture("unsorted.csv", buf), NULL));
    CHECK(res.rows == 3 && res.inserted == 3 && res.first_year == 1950 && res.last_year == 1951);
    CHECK(scalar("SELECT count(*) FROM alliance_dyad_years WHERE dataset='cow'") == 3);

    volatile sig_atomic_t stop = 1;
    ent_import_options_t c = ENT_IMPORT_OPTIONS_INIT;
    c.cancel = &stop;
    snprintf(buf, sizeof buf, "%s2,20,1950,1,0,1,1\n", COW_HDR);
    CHECK_RC(ent_import(&res, st, "cow-alliance", fixture("cancel.csv", buf), &c), ENT_EINTERRUPTED);
    CHECK(scalar("SELECT count(*) FROM alliance_dyad_years WHERE dataset='cow'") == 3);
}

int main(void)
{
    char sbuf[1024], cbuf[1024], abuf[1024], dbuf[1024], mbuf[1024];
    const char *states = shared_data("cow/states2016.csv", sbuf, sizeof sbuf);
    const char *cow = shared_data("cow/cow_alliance_v4.1_directed_dyad_year.csv", cbuf, sizeof cbuf);
    const char *atop_dy = shared_data("atop/atop5_1_directed_dyad_year.csv", dbuf, sizeof dbuf);
    const char *atop_a = shared_data("atop/atop5_1a.csv", abuf, sizeof abuf);
    const char *atop_m = shared_data("atop/atop5_1m.csv", mbuf, sizeof mbuf);
    if (!states || !cow || !atop_dy || !atop_a || !atop_m) {
        return 77;
    }
    char atop_dir[1024];
    snprintf(atop_dir, sizeof atop_dir, "%.*s", (int)(strrchr(atop_a, '/') - atop_a), atop_a);

    ent_store_t *st = fresh_store("io_alliance");
    if (!st) {
        return CHECK_DONE();
    }
    ent_import_result_t res;
    ent_store_summary_t sum;

    /* Without a state list every alliance import refuses, naming the fix. */
    CHECK_RC(ent_import(&res, st, "cow-alliance", cow, NULL), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), "cow-states");
    CHECK_OK(ent_import(&res, st, "cow-states", states, NULL));

    /* The real files: the published counts. */
    CHECK_OK(ent_import(&res, st, "cow-alliance", cow, NULL));
    CHECK(res.rows == 120784 && res.inserted == 120784 && res.rejected == 0);
    CHECK(res.first_year == 1816 && res.last_year == 2012);

    double t0 = now_ms();
    clock_t c0 = clock();
    CHECK_OK(ent_import(&res, st, "atop-dyad-year", atop_dy, NULL));
    clock_t c1 = clock();
    double t1 = now_ms();
    CHECK(res.rows == 273296 && res.inserted == 273296);
    CHECK(res.first_year == 1815 && res.last_year == 2018);
    printf("atop-dyad-year: %lld rows in %.1f ms (%.1f ms CPU)\n", (long long)res.inserted, t1 - t0,
           (double)(c1 - c0) * 1e3 / CLOCKS_PER_SEC);

    CHECK_OK(ent_import(&res, st, "atop", atop_dir, NULL));
    CHECK(res.rows == 789 + 2510 && res.inserted == 789 + 2510);
    printf("atop: %lld rows (years %d-%d)\n", (long long)res.inserted, res.first_year, res.last_year);

    CHECK_OK(ent_store_summary(&sum, st));
    CHECK(sum.alliance_dyad_years_cow == 120784);
    CHECK(sum.alliance_dyad_years_atop == 273296);
    CHECK(sum.pacts == 789);
    CHECK(sum.pact_members == 2510);

    /* The Sino-North Korean treaty of 11 July 1961: a defence pact, in force in 2018. */
    CHECK(scalar("SELECT count(*) FROM pacts WHERE dataset='atop' AND ext_id='3445' AND defense=1 "
                 "AND bilateral=1 AND start_date=19610711 AND end_date IS NULL") == 1);
    CHECK(scalar("SELECT count(DISTINCT m.ccode) FROM pact_members m JOIN pacts p USING(pact_id) "
                 "WHERE p.dataset='atop' AND p.ext_id='3445' AND m.ccode IN (710, 731) AND m.defense=1 "
                 "AND m.entry_date <= 20180101 AND (m.exit_date IS NULL OR m.exit_date >= 20181231)") == 2);
    CHECK(scalar("SELECT source = 'ATOP 5.1 (Leeds et al. 2002), atopid 3445' FROM pacts WHERE ext_id='3445'") == 1);
    CHECK(scalar("SELECT defense FROM alliance_dyad_years WHERE dataset='atop' AND ccode1=710 AND ccode2=731 "
                 "AND year=2018") == 1);
    /* Unknown days are filled: 1035 ends in December 1822 (day missing) -> the last day; 3490's
       Panama entry (1964-01, day missing) -> the first. */
    CHECK(scalar("SELECT end_date FROM pacts WHERE dataset='atop' AND ext_id='1035'") == 18221231);
    CHECK(scalar("SELECT min(entry_date) FROM pact_members m JOIN pacts p USING(pact_id) "
                 "WHERE p.ext_id='3490' AND m.ccode=92") == 19640101);
    /* Annam keeps ATOP's own code (see import_alliance.c). */
    CHECK(scalar("SELECT count(*) FROM pact_members WHERE ccode=8152") == 1);
    /* COW's entente column; no offence or consultation in COW. */
    CHECK(scalar("SELECT entente FROM alliance_dyad_years WHERE dataset='cow' AND ccode1=2 AND ccode2=20 "
                 "AND year=1949") == 1);
    CHECK(scalar("SELECT count(*) FROM alliance_dyad_years WHERE dataset='cow' AND (offense OR consul)") == 0);

    /* Re-imports replace; the member file alone finds the alliance file beside it. */
    CHECK_OK(ent_import(&res, st, "cow-alliance", cow, NULL));
    CHECK_OK(ent_import(&res, st, "atop-dyad-year", atop_dy, NULL));
    CHECK_OK(ent_import(&res, st, "atop", atop_m, NULL));
    CHECK(res.rows == 789 + 2510 && res.inserted == 789 + 2510);
    CHECK_OK(ent_store_summary(&sum, st));
    CHECK(sum.alliance_dyad_years_cow == 120784);
    CHECK(sum.alliance_dyad_years_atop == 273296);
    CHECK(sum.pacts == 789);
    CHECK(sum.pact_members == 2510);

    bad_fixtures(st);
    keep_going_and_cancel(st);

    ent_store_close(st);
    return CHECK_DONE();
}
