/*
 * io_unga.c -- the UN General Assembly importers, unga-ideal and un-votes, and
 * the ISO 3166 <-> COW crosswalk they rely on. The real files give the
 * documented counts and a few known values; re-imports replace; small
 * fixtures check that each kind of bad input gets the right error, a message
 * naming file, line and field, and leaves the store as it was.
 *
 * Counts: IdealpointestimatesAll_Jun2024.csv, 11,238 state-sessions, sessions
 * 1-78 = 1946-2023 (Bailey, Strezhnev & Voeten 2017, June 2024 release).
 * un_votes.csv.gz, 870,109 votes: 693,664 yes, 110,897 abstain, 65,548 no;
 * un_roll_calls.csv.gz, 6,203 roll calls dated 1946-01-01 to 2020-01-14
 * (Voeten 2013, as in the R package unvotes; counted with Python's csv module).
 * First row of the ideal-point file: the United States, session 1 (1946), 42
 * votes, ideal point 1.67635, 5%/50%/95% quantiles 1.339545/1.668589/2.039101.
 * Roll call 3 (1946-01-01, R/1/66): the United States voted yes, Canada no.
 */
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "import_check.h"
#include "io/country_codes.h"

static const char *fixture(const char *sub, const char *name, const char *text)
{
    return write_fixture(sub, name, NULL, text);
}

static void crosswalk(void)
{
    CHECK(ent_i_cow_from_iso2("US") == 2);
    CHECK(ent_i_cow_from_iso2("RU") == 365);
    CHECK(ent_i_cow_from_iso2("NA") == 565); /* Namibia: a code, not a missing value */
    CHECK(ent_i_cow_from_iso2("DE") == 255);
    CHECK(ent_i_cow_from_iso2("YE") == 679);
    /* withdrawn codes, ISO 3166-3 */
    CHECK(ent_i_cow_from_iso2("SU") == 365);
    CHECK(ent_i_cow_from_iso2("CS") == 315);
    CHECK(ent_i_cow_from_iso2("DD") == 265);
    CHECK(ent_i_cow_from_iso2("YD") == 680);
    CHECK(ent_i_cow_from_iso2("YU") == 345);
    CHECK(ent_i_cow_from_iso2("XX") == -1);
    CHECK(ent_i_cow_from_iso2("us") == -1);
    CHECK(ent_i_cow_from_iso2("") == -1);
    CHECK(ent_i_cow_from_iso2(NULL) == -1);
    CHECK(ent_i_cow_from_iso3("USA") == 2);
    CHECK(ent_i_cow_from_iso3("CHN") == 710);
    CHECK(ent_i_cow_from_iso3("CSK") == 315);
    CHECK(ent_i_cow_from_iso3("SUN") == 365);
    CHECK(ent_i_cow_from_iso3("ZZZ") == -1);
    CHECK_STR(ent_i_iso3_from_cow(2), "USA");
    CHECK_STR(ent_i_iso3_from_cow(365), "RUS"); /* the current code before the withdrawn SUN */
    CHECK_STR(ent_i_iso3_from_cow(315), "CSK"); /* only the withdrawn one */
    CHECK_STR(ent_i_iso3_from_cow(990), "WSM");
    CHECK(ent_i_iso3_from_cow(260) == NULL); /* the German Federal Republic had none of its own */
    CHECK(ent_i_iso3_from_cow(300) == NULL); /* Austria-Hungary: a COW code, no ISO code */
    CHECK(ent_i_iso3_from_cow(1) == NULL);
    CHECK(ent_i_iso3_from_cow(-5) == NULL);
}

static const char RC_HDR[] = "\"rcid\",\"session\",\"importantvote\",\"date\",\"unres\",\"amend\",\"para\",\"short\","
                             "\"descr\"\n";
static const char RC_ROWS[] = "3,1,0,\"1946-01-01\",\"R/1/66\",1,0,\"RULES\",\"TO ADOPT A CUBAN AMENDMENT\"\n"
                              "4,1,NA,\"1946-01-02\",NA,NA,NA,NA,\"TO ADJOURN\"\n";
static const char V_HDR[] = "\"rcid\",\"country\",\"country_code\",\"vote\"\n";
static const char IDEAL_HDR[] =
    "\"\",\"ccode\",\"session\",\"NVotesAll\",\"IdealPointAll\",\"QO%All\",\"Q5%All\",\"Q10%All\",\"Q50%All\","
    "\"Q90%All\",\"Q95%All\",\"Q100%All\",\"iso3c\",\"Countryname\",\"USAgree\",\"RUSSAgree\",\"BrazilAgree\","
    "\"ChinaAgree\",\"IndiaAgree\",\"IsraelAgree\"\n";
static const char IDEAL_US1[] = "\"1\",2,1,42,1.67635,1.09977,1.339545,1.404822,1.668589,1.95806,2.039101,2.490737,"
                                "\"USA\",\"United States\",1,0.2142857,0.6428571,NA,0.4761905,NA\n";

/* A folder with un_votes.csv (plain) and, unless calls is NULL, un_roll_calls.csv. */
static const char *votes_dir(const char *sub, const char *calls, const char *votes)
{
    char buf[4096];
    static char dir[1200];
    snprintf(dir, sizeof dir, "%s/%s", fxdir, sub);
    if (calls) {
        snprintf(buf, sizeof buf, "%s%s", RC_HDR, calls);
        fixture(sub, "un_roll_calls.csv", buf);
    }
    snprintf(buf, sizeof buf, "%s%s", V_HDR, votes);
    fixture(sub, "un_votes.csv", buf);
    return dir;
}

static void bad_fixtures(ent_store_t *st)
{
    char buf[4096];

    /* A vote that is not yes/no/abstain: line 3, field 'vote'. */
    expect_failure(
        st, "un-votes",
        votes_dir("v_badvote", RC_ROWS, "3,\"United States\",\"US\",\"yes\"\n3,\"Canada\",\"CA\",\"maybe\"\n"),
        ENT_EPARSE, (const char *const[]){"un_votes.csv:3:", "'vote'", "'maybe'", NULL});

    /* An ISO2 code the crosswalk does not know. */
    expect_failure(
        st, "un-votes",
        votes_dir("v_unknown", RC_ROWS, "3,\"United States\",\"US\",\"yes\"\n3,\"Atlantis\",\"XX\",\"no\"\n"),
        ENT_ENOTFOUND, (const char *const[]){"un_votes.csv:3:", "'country_code'", "'XX'", NULL});

    /* Not a code at all. */
    expect_failure(st, "un-votes", votes_dir("v_lower", RC_ROWS, "3,\"United States\",\"us\",\"yes\"\n"), ENT_EPARSE,
                   (const char *const[]){"un_votes.csv:2:", "'country_code'", "'us'", NULL});

    /* An empty code with a name that is not one of the file's uncoded historical states. */
    expect_failure(st, "un-votes", votes_dir("v_nocode", RC_ROWS, "3,\"Prussia\",\"\",\"yes\"\n"), ENT_ENOTFOUND,
                   (const char *const[]){"un_votes.csv:2:", "'country_code'", "Prussia", NULL});

    /* A vote on a roll call the roll-call file does not have. */
    expect_failure(st, "un-votes",
                   votes_dir("v_norcid", RC_ROWS, "3,\"United States\",\"US\",\"yes\"\n77,\"Canada\",\"CA\",\"no\"\n"),
                   ENT_ENOTFOUND, (const char *const[]){"un_votes.csv:3:", "'rcid'", "77", "un_roll_calls.csv", NULL});

    /* The same state twice on one roll call (via a withdrawn code and its successor's name-less twin: SU and RU). */
    expect_failure(st, "un-votes",
                   votes_dir("v_dup", RC_ROWS, "3,\"Russia\",\"RU\",\"yes\"\n3,\"USSR\",\"SU\",\"yes\"\n"), ENT_EEXISTS,
                   (const char *const[]){"un_votes.csv:3:", "'country_code'", "365", "roll call 3", NULL});

    /* Roll calls: a date that does not exist; a date far from its session; the same rcid twice. */
    expect_failure(st, "un-votes", votes_dir("v_baddate", "3,1,0,\"1946-13-01\",\"R/1/66\",1,0,\"X\",\"Y\"\n", ""),
                   ENT_ERANGE, (const char *const[]){"un_roll_calls.csv:2:", "'date'", "month 13", NULL});
    expect_failure(st, "un-votes", votes_dir("v_farDate", "3,1,0,\"1950-01-01\",\"R/1/66\",1,0,\"X\",\"Y\"\n", ""),
                   ENT_ERANGE, (const char *const[]){"un_roll_calls.csv:2:", "'date'", "session 1", NULL});
    expect_failure(st, "un-votes",
                   votes_dir("v_duprc",
                             "3,1,0,\"1946-01-01\",NA,0,0,NA,NA\n"
                             "3,1,0,\"1946-01-02\",NA,0,0,NA,NA\n",
                             ""),
                   ENT_EEXISTS, (const char *const[]){"un_roll_calls.csv:3:", "roll call 3", NULL});
    expect_failure(st, "un-votes", votes_dir("v_badflag", "3,1,2,\"1946-01-01\",NA,0,0,NA,NA\n", ""), ENT_ERANGE,
                   (const char *const[]){"un_roll_calls.csv:2:", "'importantvote'", NULL});

    /* No roll-call file beside the votes. */
    {
        char calls[1300];
        snprintf(calls, sizeof calls, "%s/v_alone/un_roll_calls.csv", fxdir);
        remove(calls);
        const char *dir = votes_dir("v_alone", NULL, "3,\"United States\",\"US\",\"yes\"\n");
        char votes[1300];
        snprintf(votes, sizeof votes, "%s/un_votes.csv", dir);
        expect_failure(st, "un-votes", votes, ENT_EIO, (const char *const[]){"un_roll_calls.csv", NULL});
    }

    /* Ideal points: a session that makes no year (0; 200 = 2145), an unknown state, a non-number,
     * quantiles out of order, an agreement share above 1. */
    static const struct {
        const char *name, *row;
        ent_err_t want;
        const char *needles[4];
    } ideal[] = {
        {"i_session0.csv",
         "\"1\",2,0,42,1.6,1.0,1.3,1.4,1.6,1.9,2.0,2.4,\"USA\",\"United States\",1,0.2,0.6,NA,0.4,NA\n",
         ENT_ERANGE,
         {"i_session0.csv:3:", "'session'", NULL}},
        {"i_session200.csv",
         "\"1\",2,200,42,1.6,1.0,1.3,1.4,1.6,1.9,2.0,2.4,\"USA\",\"United States\",1,0.2,0.6,NA,0.4,NA\n",
         ENT_ERANGE,
         {"i_session200.csv:3:", "'session'", "200", NULL}},
        {"i_state.csv",
         "\"1\",999,1,42,1.6,1.0,1.3,1.4,1.6,1.9,2.0,2.4,\"XXX\",\"Nowhere\",1,0.2,0.6,NA,0.4,NA\n",
         ENT_ENOTFOUND,
         {"i_state.csv:3:", "'ccode'", "999", NULL}},
        {"i_ideal.csv",
         "\"1\",2,1,42,high,1.0,1.3,1.4,1.6,1.9,2.0,2.4,\"USA\",\"United States\",1,0.2,0.6,NA,0.4,NA\n",
         ENT_EPARSE,
         {"i_ideal.csv:3:", "'IdealPointAll'", "'high'", NULL}},
        {"i_order.csv",
         "\"1\",2,1,42,1.6,1.0,1.9,1.4,1.6,1.9,1.3,2.4,\"USA\",\"United States\",1,0.2,0.6,NA,0.4,NA\n",
         ENT_ERANGE,
         {"i_order.csv:3:", "'Q50%All'", NULL}},
        {"i_agree.csv",
         "\"1\",2,1,42,1.6,1.0,1.3,1.4,1.6,1.9,2.0,2.4,\"USA\",\"United States\",1,1.2,0.6,NA,0.4,NA\n",
         ENT_ERANGE,
         {"i_agree.csv:3:", "'RUSSAgree'", NULL}},
        {"i_dup.csv",
         "\"2\",2,1,42,1.6,1.0,1.3,1.4,1.6,1.9,2.0,2.4,\"USA\",\"United States\",1,0.2,0.6,NA,0.4,NA\n",
         ENT_EEXISTS,
         {"i_dup.csv:3:", "ccode 2, session 1", NULL}},
    };
    for (size_t k = 0; k < sizeof ideal / sizeof ideal[0]; k++) {
        /* each bad row follows the file's good first row */
        snprintf(buf, sizeof buf, "%s%s%s", IDEAL_HDR, IDEAL_US1, ideal[k].row);
        expect_failure(st, "unga-ideal", fixture(NULL, ideal[k].name, buf), ideal[k].want, ideal[k].needles);
    }
}

static void count_warning(void *ctx, const char *msg)
{
    (*(int *)ctx)++;
    CHECK_CONTAINS(msg, "un_votes.csv:3:");
}

/* keep_going skips the bad vote and keeps the rest; the cancel flag stops an import. */
static void keep_going_and_cancel(ent_store_t *st)
{
    const char *dir = votes_dir("v_keep", RC_ROWS,
                                "3,\"United States\",\"US\",\"yes\"\n3,\"Canada\",\"CA\",\"maybe\"\n"
                                "3,\"Namibia\",\"NA\",\"abstain\"\n4,\"Zanzibar\",\"\",\"no\"\n");
    int msgs = 0;
    ent_import_options_t o = ENT_IMPORT_OPTIONS_INIT;
    o.keep_going = true;
    o.ctx = &msgs;
    o.warn = count_warning;
    ent_import_result_t res;
    CHECK_OK(ent_import(&res, st, "un-votes", dir, &o));
    CHECK(res.rows == 2 + 4 && res.inserted == 2 + 3 && res.rejected == 1 && msgs == 1);
    CHECK(scalar("SELECT count(*) FROM un_votes") == 3);
    CHECK(scalar("SELECT vote FROM un_votes WHERE rcid=3 AND ccode=565") == 2);
    CHECK(scalar("SELECT vote FROM un_votes WHERE rcid=4 AND ccode=511") == 3);
    CHECK(scalar("SELECT important FROM un_roll_calls WHERE rcid=4") == -2);
    CHECK(scalar("SELECT short IS NULL AND unres IS NULL FROM un_roll_calls WHERE rcid=4") == 1);

    volatile sig_atomic_t stop = 1;
    ent_import_options_t c = ENT_IMPORT_OPTIONS_INIT;
    c.cancel = &stop;
    c.keep_going = true; /* past the bad row, to the cancel check */
    CHECK_RC(ent_import(&res, st, "un-votes", dir, &c), ENT_EINTERRUPTED);
    CHECK(scalar("SELECT count(*) FROM un_votes") == 3);
}

int main(void)
{
    char sbuf[1024], ibuf[1024], vbuf[1024], rbuf[1024];
    const char *states = shared_data("cow/states2016.csv", sbuf, sizeof sbuf);
    const char *ideal = shared_data("unga/IdealpointestimatesAll_Jun2024.csv", ibuf, sizeof ibuf);
    const char *votes = shared_data("unga/un_votes.csv.gz", vbuf, sizeof vbuf);
    const char *calls = shared_data("unga/un_roll_calls.csv.gz", rbuf, sizeof rbuf);
    if (!states || !ideal || !votes || !calls) {
        return 77;
    }
    char unga_dir[1024];
    snprintf(unga_dir, sizeof unga_dir, "%.*s", (int)(strrchr(votes, '/') - votes), votes);

    crosswalk();

    ent_store_t *st = fresh_store("io_unga");
    if (!st) {
        return CHECK_DONE();
    }
    ent_import_result_t res;
    ent_store_summary_t sum;

    /* Without a state list both refuse, naming the fix. */
    CHECK_RC(ent_import(&res, st, "unga-ideal", ideal, NULL), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), "cow-states");
    CHECK_RC(ent_import(&res, st, "un-votes", votes, NULL), ENT_ENOTFOUND);
    CHECK_OK(ent_import(&res, st, "cow-states", states, NULL));

    /* Ideal points: every row's ccode is a COW state; the count and the first row. */
    CHECK_OK(ent_import(&res, st, "unga-ideal", ideal, NULL));
    CHECK(res.rows == 11238 && res.inserted == 11238 && res.rejected == 0);
    CHECK(res.first_year == 1946 && res.last_year == 2023);
    CHECK_NEAR(scalar("SELECT ideal FROM unga_ideal WHERE ccode=2 AND session=1"), 1.67635, 1e-12);
    CHECK_NEAR(scalar("SELECT q05 FROM unga_ideal WHERE ccode=2 AND session=1"), 1.339545, 1e-12);
    CHECK_NEAR(scalar("SELECT q50 FROM unga_ideal WHERE ccode=2 AND session=1"), 1.668589, 1e-12);
    CHECK_NEAR(scalar("SELECT q95 FROM unga_ideal WHERE ccode=2 AND session=1"), 2.039101, 1e-12);
    CHECK_NEAR(scalar("SELECT agree_rus FROM unga_ideal WHERE ccode=2 AND session=1"), 0.2142857, 1e-12);
    CHECK(scalar("SELECT nvotes FROM unga_ideal WHERE ccode=2 AND session=1") == 42);
    CHECK(scalar("SELECT year FROM unga_ideal WHERE ccode=2 AND session=1") == 1946);
    CHECK(scalar("SELECT agree_chn FROM unga_ideal WHERE ccode=2 AND session=1") == -2); /* NA */
    CHECK(scalar("SELECT count(*) FROM unga_ideal WHERE agree_chn IS NULL") == 2089);

    /* Votes, from the votes file (roll calls found beside it). */
    double t0 = now_ms();
    CHECK_OK(ent_import(&res, st, "un-votes", votes, NULL));
    double t1 = now_ms();
    CHECK(res.rows == 6203 + 870109 && res.inserted == 6203 + 870109 && res.rejected == 0);
    CHECK(res.first_year == 1946 && res.last_year == 2020);
    printf("un-votes: %lld votes and roll calls in %.0f ms\n", (long long)res.inserted, t1 - t0);
    CHECK_OK(ent_store_summary(&sum, st));
    CHECK(sum.un_votes == 870109);
    CHECK(sum.un_roll_calls == 6203);
    CHECK(sum.unga_ideal == 11238);
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE vote=1") == 693664);
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE vote=2") == 110897);
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE vote=3") == 65548);
    CHECK(scalar("SELECT vote FROM un_votes WHERE rcid=3 AND ccode=2") == 1);
    CHECK(scalar("SELECT vote FROM un_votes WHERE rcid=3 AND ccode=20") == 3);
    CHECK(scalar("SELECT date FROM un_roll_calls WHERE rcid=3") == 19460101);
    CHECK(scalar("SELECT session = 1 AND important = 0 AND unres = 'R/1/66' FROM un_roll_calls WHERE rcid=3") == 1);
    CHECK(scalar("SELECT max(date) FROM un_roll_calls") == 20200114);
    /* Codes that need care: Namibia's "NA"; withdrawn ISO codes; the three uncoded states. */
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE ccode=565") > 0);
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE ccode=265") > 0);  /* DD */
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE ccode=315") > 0);  /* CS */
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE ccode=680") > 0);  /* YD */
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE ccode=260") > 0);  /* Federal Republic of Germany */
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE ccode=678") > 0);  /* Yemen Arab Republic */
    CHECK(scalar("SELECT count(*) FROM un_votes WHERE ccode=511") == 2); /* Zanzibar, 1963 */
    /* Germany and Yemen before and after unification never overlap. */
    CHECK(scalar("SELECT max(r.date) FROM un_votes v JOIN un_roll_calls r USING(rcid) WHERE v.ccode=260") <
          scalar("SELECT min(r.date) FROM un_votes v JOIN un_roll_calls r USING(rcid) WHERE v.ccode=255"));
    CHECK(scalar("SELECT max(r.date) FROM un_votes v JOIN un_roll_calls r USING(rcid) WHERE v.ccode=678") <
          scalar("SELECT min(r.date) FROM un_votes v JOIN un_roll_calls r USING(rcid) WHERE v.ccode=679"));

    /* Re-imports replace: the folder form, and the ideal points again. */
    CHECK_OK(ent_import(&res, st, "un-votes", unga_dir, NULL));
    CHECK(res.inserted == 6203 + 870109);
    CHECK_OK(ent_import(&res, st, "unga-ideal", ideal, NULL));
    CHECK_OK(ent_store_summary(&sum, st));
    CHECK(sum.un_votes == 870109 && sum.un_roll_calls == 6203 && sum.unga_ideal == 11238);

    bad_fixtures(st);
    keep_going_and_cancel(st);

    ent_store_close(st);
    return CHECK_DONE();
}
