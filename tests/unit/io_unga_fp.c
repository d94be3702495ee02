/*
 * io_unga_fp.c -- the importers of the 2025 UNGA files, unga-idealfp and
 * unga-agreement: the real files give the documented counts and known values;
 * a re-import replaces; small fixtures check each kind of bad input (message
 * naming file, line and field; the store left as it was).
 *
 * Counts (Python's csv module): idealpoints_fp_1946_2024.csv, 11,440 rows,
 * years 1946-2024 without 1964, 19 empty ideal points; the US in 2024:
 * 2.206202, China -0.8535267. agreement_usa_chn_2015_2024.csv, 7,644 rows
 * (sessions 70-79, both directions: one of the pair is the US or China); China-US in session 79 (2024):
 * agree 0.290178571428571 over 100 and 100 votes, distance 3.0597287.
 * (Bailey, Strezhnev & Voeten 2017, July 2025 release; README of ../shared/data.)
 */
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_check.h"

static const char FP_HDR[] = "ccode,iso3c,countryname,year,idealpointfp\n";
static const char AG_HDR[] = "Unnamed: 0,session.x,ccode1,ccode2,agree,year,IdealPointFP.x,NVotesFP.x,IdealPointFP.y,"
                             "NVotesFP.y,IdealPointDistance\n";
static const char AG_ROW[] = "1,79,710,2,0.29,2024,-0.85,100.0,2.2,100.0,3.05\n";

static void bad_fixtures(ent_store_t *st)
{
    /* year written as a float, but not a whole one */
    expect_failure(st, "unga-idealfp", write_fixture("fp_frac", "ip.csv", FP_HDR, "2,USA,United States,1946.5,1.6\n"),
                   ENT_ERANGE, (const char *const[]){"ip.csv:2:", "'year'", "whole", NULL});
    /* before the first session */
    expect_failure(st, "unga-idealfp", write_fixture("fp_early", "ip.csv", FP_HDR, "2,USA,United States,1900.0,1.6\n"),
                   ENT_ERANGE, (const char *const[]){"ip.csv:2:", "'year'", NULL});
    /* an ideal point that is not a number */
    expect_failure(st, "unga-idealfp", write_fixture("fp_text", "ip.csv", FP_HDR, "2,USA,United States,1946.0,high\n"),
                   ENT_EPARSE, (const char *const[]){"ip.csv:2:", "'idealpointfp'", NULL});
    /* a state the store does not know */
    expect_failure(st, "unga-idealfp", write_fixture("fp_state", "ip.csv", FP_HDR, "999,XXX,Atlantis,1946.0,0.1\n"),
                   ENT_ENOTFOUND, (const char *const[]){"ip.csv:2:", "'ccode'", NULL});
    /* the same state and year twice */
    expect_failure(st, "unga-idealfp",
                   write_fixture("fp_dup", "ip.csv", FP_HDR, "2,USA,United States,1946.0,1.6\n2,USA,US,1946.0,1.7\n"),
                   ENT_EEXISTS, (const char *const[]){"ip.csv:3:", "duplicate row: ccode 2, year 1946", NULL});
    /* a missing column */
    expect_failure(st, "unga-idealfp", write_fixture("fp_col", "ip.csv", "ccode,year\n", "2,1946.0\n"), ENT_EPARSE,
                   (const char *const[]){"ip.csv:1:", "idealpointfp", NULL});

    /* agreement without its vote count: refused */
    expect_failure(st, "unga-agreement",
                   write_fixture("ag_nvotes", "ag.csv", AG_HDR, "1,79,710,2,0.29,2024,-0.85,,2.2,100.0,3.05\n"),
                   ENT_EPARSE, (const char *const[]){"ag.csv:2:", "'NVotesFP.x'", NULL});
    /* a share above 1 */
    expect_failure(st, "unga-agreement",
                   write_fixture("ag_share", "ag.csv", AG_HDR, "1,79,710,2,1.29,2024,-0.85,100.0,2.2,100.0,3.05\n"),
                   ENT_ERANGE, (const char *const[]){"ag.csv:2:", "'agree'", NULL});
    /* a year that is not its session's */
    expect_failure(st, "unga-agreement",
                   write_fixture("ag_year", "ag.csv", AG_HDR, "1,79,710,2,0.29,2023,-0.85,100.0,2.2,100.0,3.05\n"),
                   ENT_ERANGE, (const char *const[]){"ag.csv:2:", "'year'", "session 79 (2024)", NULL});
    /* a state with itself */
    expect_failure(st, "unga-agreement",
                   write_fixture("ag_self", "ag.csv", AG_HDR, "1,79,2,2,1,2024,2.2,100.0,2.2,100.0,0\n"), ENT_EPARSE,
                   (const char *const[]){"ag.csv:2:", "'ccode2'", "itself", NULL});
    /* a vote count with a fraction */
    expect_failure(st, "unga-agreement",
                   write_fixture("ag_frac", "ag.csv", AG_HDR, "1,79,710,2,0.29,2024,-0.85,100.5,2.2,100.0,3.05\n"),
                   ENT_ERANGE, (const char *const[]){"ag.csv:2:", "'NVotesFP.x'", "whole", NULL});
    /* the same dyad and session twice */
    char two[256];
    snprintf(two, sizeof two, "%s%s", AG_ROW, AG_ROW);
    expect_failure(st, "unga-agreement", write_fixture("ag_dup", "ag.csv", AG_HDR, two), ENT_EEXISTS,
                   (const char *const[]){"ag.csv:3:", "duplicate row: ccode1 710, ccode2 2, session 79", NULL});
    /* a short row */
    expect_failure(st, "unga-agreement", write_fixture("ag_short", "ag.csv", AG_HDR, "1,79,710,2,0.29\n"), ENT_EPARSE,
                   (const char *const[]){"ag.csv:2:", NULL});
}

int main(void)
{
    char sbuf[1024], fbuf[1024], abuf[1024];
    const char *states = shared_data("cow/states2016.csv", sbuf, sizeof sbuf);
    const char *fp = shared_data("unga/idealpoints_fp_1946_2024.csv", fbuf, sizeof fbuf);
    const char *ag = shared_data("unga/agreement_usa_chn_2015_2024.csv", abuf, sizeof abuf);
    if (!states || !fp || !ag) {
        fprintf(stderr, "skip: ../shared/data (cow/states2016.csv, unga/*_2024.csv) absent\n");
        return 77;
    }
    ent_store_t *st = fresh_store("io_unga_fp");
    if (!st) {
        return CHECK_DONE();
    }
    CHECK(ent_store_schema_version(st) == 4);
    ent_import_result_t res;

    CHECK_RC(ent_import(&res, st, "unga-idealfp", fp, NULL), ENT_ENOTFOUND); /* no state list yet */
    CHECK_CONTAINS(ent_errmsg(), "cow-states");
    CHECK_OK(ent_import(&res, st, "cow-states", states, NULL));

    CHECK_OK(ent_import(&res, st, "unga-idealfp", fp, NULL));
    CHECK(res.rows == 11440 && res.inserted == 11440 && res.rejected == 0);
    CHECK(res.first_year == 1946 && res.last_year == 2024);
    CHECK(scalar("SELECT count(*) FROM unga_idealfp WHERE ideal IS NULL") == 19);
    CHECK(scalar("SELECT count(*) FROM unga_idealfp WHERE year = 1964") == 0);
    CHECK_NEAR(scalar("SELECT ideal FROM unga_idealfp WHERE ccode=2 AND year=2024"), 2.206202, 1e-12);
    CHECK_NEAR(scalar("SELECT ideal FROM unga_idealfp WHERE ccode=710 AND year=2024"), -0.8535267, 1e-12);
    CHECK_OK(ent_import(&res, st, "unga-idealfp", fp, NULL)); /* replaces, no duplicates */
    CHECK(scalar("SELECT count(*) FROM unga_idealfp") == 11440);

    CHECK_OK(ent_import(&res, st, "unga-agreement", ag, NULL));
    CHECK(res.rows == 7644 && res.inserted == 7644 && res.rejected == 0);
    CHECK(res.first_year == 2015 && res.last_year == 2024);
    /* both directions: the poles as ccode1 (2 x 1,916 rows), and every state as ccode1 towards a pole */
    CHECK(scalar("SELECT count(*) FROM unga_agreement WHERE ccode1 IN (2, 710)") == 3832);
    CHECK(scalar("SELECT count(*) FROM unga_agreement WHERE ccode1 NOT IN (2, 710) AND ccode2 NOT IN (2, 710)") == 0);
    CHECK_NEAR(scalar("SELECT agree FROM unga_agreement WHERE ccode1=710 AND ccode2=2 AND session=79"),
               0.290178571428571, 1e-12);
    CHECK(scalar("SELECT nvotes1 + nvotes2 FROM unga_agreement WHERE ccode1=710 AND ccode2=2 AND session=79") == 200);
    CHECK_NEAR(scalar("SELECT distance FROM unga_agreement WHERE ccode1=710 AND ccode2=2 AND session=79"), 3.0597287,
               1e-12);
    ent_store_summary_t sum;
    CHECK_OK(ent_store_summary(&sum, st));
    CHECK(sum.unga_idealfp == 11440 && sum.unga_agreement == 7644);

    bad_fixtures(st);
    CHECK(scalar("SELECT count(*) FROM unga_agreement") == 7644); /* failed imports left it whole */
    ent_store_close(st);
    return CHECK_DONE();
}
