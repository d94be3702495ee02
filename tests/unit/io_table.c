/*
 * io_table.c -- the importers' one row loop (ent_i_import_table, io_int.h) and
 * the store's write side (store_write.h), on small fixtures written here: no
 * dataset needed.
 *
 * What the loop promises, each checked on a format that uses it: missing
 * values (empty/NA, and -9 where the codebook says so) stored as NULL; ranges
 * and a rule across fields (ccode1 < ccode2) naming file, line and field; the
 * duplicate-row message naming the key columns; --keep-going counting the
 * rows it skips; a dataset column that lets two datasets share a table; NMC's
 * staged version renamed once the years are known; a failed import leaving
 * the store as it was. And the write side refusing a name that is not an
 * identifier (the one guard against SQL composed from names).
 */
#include <sys/stat.h>
#include <unistd.h>

#include "import_check.h"
#include "store/store_write.h"

static const char STATES[] = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
                             "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
                             "CAN,20,Canada,1920,1,10,2016,12,31,2016\n"
                             "UKG,200,United Kingdom,1816,1,1,2016,12,31,2016\n"
                             "CHN,710,China,1950,1,1,2016,12,31,2016\n";
static const char CAPDIST[] = "ccode1,ccode2,year,capdist\n";
static const char TRADE[] = "ccode1,ccode2,year,flow1,flow2,smoothflow1,smoothflow2\n";
static const char NMC[] = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n";
static const char MID[] = "ccode1,ccode2,year,dispnum,%smidonset,%smidongoing,sidea1,sidea2,hostlev,fatality\n";
static const char DEMOCRACY[] = "ccode,year,v2x_polyarchy,polity2,xm_qudsest\n";

static void missing_values(ent_store_t *st)
{
    ent_import_result_t res;
    /* -9 (the COW codebook's missing), NA and an empty field are all NULL; a real 0 stays 0 */
    CHECK_OK(ent_import(&res, st, "cow-trade-dyad",
                        write_fixture(NULL, "trade.csv", TRADE, "2,20,2000,-9,NA,,0\n2,200,2000,1.5,2.5,1.5,2.5\n"),
                        NULL));
    CHECK(res.rows == 2 && res.inserted == 2 && res.first_year == 2000 && res.last_year == 2000);
    CHECK(scalar("SELECT flow1 FROM trade_dyad_years WHERE ccode2=20") == -2);
    CHECK(scalar("SELECT flow2 FROM trade_dyad_years WHERE ccode2=20") == -2);
    CHECK(scalar("SELECT smoothflow1 FROM trade_dyad_years WHERE ccode2=20") == -2);
    CHECK(scalar("SELECT smoothflow2 FROM trade_dyad_years WHERE ccode2=20") == 0);
    CHECK(scalar("SELECT flow2 FROM trade_dyad_years WHERE ccode2=200") == 2.5);
    /* below the range but not -9: an error, with the range */
    expect_failure(st, "cow-trade-dyad", write_fixture(NULL, "neg.csv", TRADE, "2,20,2000,-5,1,1,1\n"), ENT_ERANGE,
                   (const char *const[]){"neg.csv:2:", "'flow1'", "-5 outside 0..1e+08", NULL});
    /* where the codebook has no -9 it is just out of range, and NA is refused where not allowed */
    expect_failure(st, "capital-distance", write_fixture(NULL, "cd9.csv", CAPDIST, "2,20,2000,-9\n"), ENT_ERANGE,
                   (const char *const[]){"cd9.csv:2:", "'capdist'", NULL});
    expect_failure(st, "capital-distance", write_fixture(NULL, "cdna.csv", CAPDIST, "2,20,2000,NA\n"), ENT_EPARSE,
                   (const char *const[]){"cdna.csv:2:", "'capdist'", NULL});
    /* an integer column */
    CHECK_OK(ent_import(&res, st, "democracy",
                        write_fixture(NULL, "dem.csv", DEMOCRACY, "2,1900,0.5,10,1.2\n200,1900,NA,NA,NA\n"), NULL));
    CHECK(scalar("SELECT polity2 FROM regime WHERE ccode=2 AND year=1900") == 10);
    CHECK(scalar("SELECT polity2 FROM regime WHERE ccode=200 AND year=1900") == -2);
    expect_failure(st, "democracy", write_fixture(NULL, "dem1.csv", DEMOCRACY, "2,1900,0.5,1.5,1.2\n"), ENT_EPARSE,
                   (const char *const[]){"dem1.csv:2:", "'polity2'", NULL});
}

static void rules_and_keys(ent_store_t *st)
{
    ent_import_result_t res;
    /* the dyad once, ccode1 < ccode2: the rule runs on the keys, before the values are read */
    expect_failure(st, "capital-distance", write_fixture(NULL, "ord.csv", CAPDIST, "20,2,2000,bad\n"), ENT_ERANGE,
                   (const char *const[]){"ord.csv:2:", "'ccode2'", "2 is not above ccode1 20", NULL});
    /* an unknown state, a year outside the source's */
    expect_failure(st, "capital-distance", write_fixture(NULL, "unk.csv", CAPDIST, "2,999,2000,10\n"), ENT_ENOTFOUND,
                   (const char *const[]){"unk.csv:2:", "'ccode2'", "unknown COW state code 999", NULL});
    expect_failure(st, "capital-distance", write_fixture(NULL, "yr.csv", CAPDIST, "2,20,1700,10\n"), ENT_ERANGE,
                   (const char *const[]){"yr.csv:2:", "'year'", NULL});
    /* the duplicate names its key by the store's columns, in the table's key order */
    expect_failure(st, "capital-distance", write_fixture(NULL, "dup.csv", CAPDIST, "2,20,2000,10\n2,20,2000,11\n"),
                   ENT_EEXISTS,
                   (const char *const[]){"dup.csv:3: duplicate row: ccode1 2, ccode2 20, year 2000", NULL});
    expect_failure(st, "democracy", write_fixture(NULL, "ddup.csv", DEMOCRACY, "2,1900,0.5,10,1\n2,1900,0.5,10,1\n"),
                   ENT_EEXISTS, (const char *const[]){"ddup.csv:3: duplicate row: ccode 2, year 1900", NULL});
    /* a short row */
    expect_failure(st, "capital-distance", write_fixture(NULL, "short.csv", CAPDIST, "2,20,2000\n"), ENT_EPARSE,
                   (const char *const[]){"short.csv:2:", NULL});

    /* --keep-going: the bad rows are counted and reported, the good ones written */
    ent_import_options_t o = ENT_IMPORT_OPTIONS_INIT;
    o.keep_going = true;
    CHECK_OK(ent_import(&res, st, "capital-distance",
                        write_fixture(NULL, "kg.csv", CAPDIST,
                                      "2,20,2000,10\n20,2,2000,10\n2,20,2000,12\n2,200,2000,x\n"
                                      "2,200,2001,5600.5\n"),
                        &o));
    CHECK(res.rows == 5 && res.inserted == 2 && res.rejected == 3);
    CHECK(scalar("SELECT count(*) FROM capital_distance") == 2);
    CHECK(scalar("SELECT km FROM capital_distance WHERE ccode2=200 AND year=2001") == 5600.5);
    CHECK(scalar("SELECT km FROM capital_distance WHERE ccode2=20") == 10);
}

static void datasets(ent_store_t *st)
{
    ent_import_result_t res;
    char cow[256], gml[256];
    snprintf(cow, sizeof cow, MID, "cow", "cow");
    snprintf(gml, sizeof gml, MID, "gml", "gml");
    /* COW and GML MIDs share a table: each import replaces its own dataset only */
    CHECK_OK(ent_import(&res, st, "cow-mid-dyad",
                        write_fixture(NULL, "cow.csv", cow, "2,200,1900,7,1,1,1,0,-9,\n200,2,1900,7,1,1,0,1,4,1\n"),
                        NULL));
    CHECK_OK(
        ent_import(&res, st, "gml-mid-dyad", write_fixture(NULL, "gml.csv", gml, "2,200,1901,8,1,1,1,0,3,0\n"), NULL));
    CHECK(scalar("SELECT count(*) FROM mid_dyad_years WHERE dataset='cow'") == 2);
    CHECK(scalar("SELECT count(*) FROM mid_dyad_years WHERE dataset='gml'") == 1);
    CHECK(scalar("SELECT hostlev FROM mid_dyad_years WHERE dataset='cow' AND ccode1=2") == -2);
    CHECK(scalar("SELECT fatality FROM mid_dyad_years WHERE dataset='cow' AND ccode1=2") == -2);
    CHECK(scalar("SELECT hostlev FROM mid_dyad_years WHERE dataset='cow' AND ccode1=200") == 4);
    CHECK_OK(
        ent_import(&res, st, "cow-mid-dyad", write_fixture(NULL, "cow2.csv", cow, "2,200,1902,9,1,1,1,0,2,0\n"), NULL));
    CHECK(scalar("SELECT count(*) FROM mid_dyad_years WHERE dataset='cow'") == 1);
    CHECK(scalar("SELECT count(*) FROM mid_dyad_years WHERE dataset='gml'") == 1);
    /* directed dyads: both orders, never a state with itself */
    expect_failure(st, "cow-mid-dyad", write_fixture(NULL, "self.csv", cow, "2,2,1900,7,1,1,1,0,3,0\n"), ENT_ERANGE,
                   (const char *const[]){"self.csv:2:", "'ccode2'", "2 is the same state as ccode1 2", NULL});
}

static void nmc_versions(ent_store_t *st)
{
    ent_import_result_t res;
    /* a file ending before 2017 is v6, one reaching 2017 or later v7; the two coexist */
    CHECK_OK(ent_import(&res, st, "cow-nmc",
                        write_fixture(NULL, "nmc6.csv", NMC, "2,2016,100,10,5,5,300000,80000,0.14\n"), NULL));
    CHECK_OK(ent_import(&res, st, "cow-nmc",
                        write_fixture(NULL, "nmc7.csv", NMC,
                                      "2,2016,110,10,5,5,300000,80000,0.14\n2,2022,-9,NA,5,5,330000,90000,0.13\n"),
                        NULL));
    CHECK(scalar("SELECT count(*) FROM capabilities WHERE version='nmc6'") == 1);
    CHECK(scalar("SELECT count(*) FROM capabilities WHERE version='nmc7'") == 2);
    CHECK(scalar("SELECT count(*) FROM capabilities WHERE version='staging'") == 0);
    CHECK(scalar("SELECT milex FROM capabilities WHERE version='nmc7' AND year=2022") == -2);
    CHECK(scalar("SELECT milper FROM capabilities WHERE version='nmc7' AND year=2022") == -2);
    CHECK(scalar("SELECT milex FROM capabilities WHERE version='nmc7' AND year=2016") == 110);
    /* re-importing a version replaces it */
    CHECK_OK(ent_import(&res, st, "cow-nmc",
                        write_fixture(NULL, "nmc6b.csv", NMC, "2,2015,90,10,5,5,300000,80000,0.14\n"), NULL));
    CHECK(scalar("SELECT count(*) FROM capabilities WHERE version='nmc6'") == 1);
    CHECK(scalar("SELECT year FROM capabilities WHERE version='nmc6'") == 2015);
    /* NMC's own wording for a negative value that is not its -9 */
    expect_failure(st, "cow-nmc", write_fixture(NULL, "nmcneg.csv", NMC, "2,2016,-5,10,5,5,300000,80000,0.14\n"),
                   ENT_ERANGE, (const char *const[]){"nmcneg.csv:2:", "'milex'", "negative value -5", NULL});
    expect_failure(st, "cow-nmc", write_fixture(NULL, "nmccinc.csv", NMC, "2,2016,5,10,5,5,300000,80000,1.5\n"),
                   ENT_ERANGE, (const char *const[]){"nmccinc.csv:2:", "'cinc'", NULL});
    CHECK(scalar("SELECT count(*) FROM capabilities WHERE version='staging'") == 0);
}

static void write_side(ent_store_t *st)
{
    static const char *const good[] = {"ccode", "year"};
    static const char *const bad[] = {"ccode", "year; DROP TABLE states"};
    ent_i_stmt_t *s = NULL;
    CHECK_RC(ent_i_store_insert(&s, st, "regime", bad, 2, 1), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "not a column name");
    CHECK(s == NULL);
    CHECK_RC(ent_i_store_insert(&s, st, "regime x", good, 2, 1), ENT_EINVAL);
    CHECK_RC(ent_i_store_clear(st, "regime", "ccode = 1 OR 1", "2"), ENT_EINVAL);
    CHECK_RC(ent_i_store_lookup(&s, st, "states", bad, 2, good, 1), ENT_EINVAL);
    /* a table that does not exist: SQLite's word, with the store's path */
    CHECK_RC(ent_i_store_insert(&s, st, "no_such_table", good, 2, 1), ENT_ESTORE);
    CHECK_CONTAINS(ent_errmsg(), "no_such_table");
    /* a lookup finds a row and reads it back; NULL text comes back as NULL */
    static const char *const cols[] = {"abbr", "iso3", "name"};
    static const char *const key[] = {"ccode"};
    CHECK_OK(ent_i_store_lookup(&s, st, "states", cols, 3, key, 1));
    bool found = false;
    ent_i_stmt_int(s, 0, 710);
    CHECK_OK(ent_i_stmt_find(s, "reading states", &found));
    CHECK(found && strcmp(ent_i_stmt_get_text(s, 0), "CHN") == 0 && strcmp(ent_i_stmt_get_text(s, 1), "CHN") == 0);
    ent_i_stmt_reset(s);
    ent_i_stmt_int(s, 0, 3);
    CHECK_OK(ent_i_stmt_find(s, "reading states", &found));
    CHECK(!found);
    ent_i_stmt_reset(s);
    ent_i_stmt_free(s);
    ent_i_stmt_free(NULL);
}

int main(void)
{
    ent_store_t *st = fresh_store("io_table");
    if (!st) {
        return CHECK_DONE();
    }
    ent_import_result_t res;
    CHECK_RC(ent_import(&res, st, "capital-distance", write_fixture(NULL, "cd.csv", CAPDIST, "2,20,2000,10\n"), NULL),
             ENT_ENOTFOUND); /* no state list yet */
    CHECK_OK(ent_import(&res, st, "cow-states", write_fixture(NULL, "states.csv", STATES, NULL), NULL));
    CHECK(res.inserted == 4);
    missing_values(st);
    rules_and_keys(st);
    datasets(st);
    nmc_versions(st);
    write_side(st);
    ent_store_close(st);
    return CHECK_DONE();
}
