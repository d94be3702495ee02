/*
 * io_mme.c -- the Multinational Military Exercises importer (mme) and the
 * Gleditsch-Ward -> COW table it relies on. The real file, its counts and a
 * few known exercises; small fixtures check that each kind of bad input gets
 * the right error, a message naming file, line and field, and leaves the
 * store as it was.
 *
 * Counts: mme-v7-long.csv, 13,818 rows, 3,704 distinct MMEIDs, years
 * 1980-2010 (D'Orazio & Galambos, MME v7; counted with Python's csv module).
 * The file cannot be imported strictly: it has 18 repeated participant rows
 * (17 exact duplicates, e.g. lines 2518-2519, mme1691 Poland 1998, and
 * mme978 listing St. Kitts & Nevis twice in 1992, once as "st. christopher"),
 * 14 rows of three MMEIDs that join two different exercises (mme3457: Noble
 * Award 2007 and Baltic Circle 1996; mme3458; mme3460), and 24 rows of six
 * exercises that end before they start (mme1872, mme2365, mme281, mme3156,
 * mme3681, mme395). With keep_going those 56 rows are rejected, leaving 3,698
 * exercises and 13,546 state participant-years (216 rows name non-state
 * participants, 208 of them MME's "-9"); the same figures from Python.
 * mme100, Deterrent Force 1/80: 1980-05-16 to 1980-05-30, naval, Canada and
 * the German Federal Republic among its seven participants.
 * mme1040, Saffron Sands: starts 1993-02-01, ends "1993-02-xx" (-> 02-28).
 */
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_check.h"
#include "io/country_codes.h"

static const char HDR[] = "MMEID,Ex_Name,Series_Name,gwcode,country,year,Location,lat,lon,StartDate,s.year,s.month,"
                          "s.day,EndDate,e.year,e.month,e.day,CPX,Air,Land,Sea,Amphibious,Cyber,Warfighting,"
                          "Peacekeeping,Humanitarian,FocusDescription,AdditionalParticipantInfo,participant_count\n";

/* A fixture file: the header and `rows`. */
static const char *fixture(const char *name, const char *rows)
{
    return write_fixture(NULL, name, HDR, rows);
}

static void gw_table(void)
{
    CHECK(ent_i_cow_from_gw(2, 2000) == 2);
    CHECK(ent_i_cow_from_gw(260, 1980) == 260); /* German Federal Republic */
    CHECK(ent_i_cow_from_gw(260, 1990) == 260);
    CHECK(ent_i_cow_from_gw(260, 1991) == 255); /* unified Germany */
    CHECK(ent_i_cow_from_gw(255, 1900) == 255);
    CHECK(ent_i_cow_from_gw(340, 1900) == 345); /* Serbia */
    CHECK(ent_i_cow_from_gw(340, 2008) == 345);
    CHECK(ent_i_cow_from_gw(345, 1980) == 345);
    CHECK(ent_i_cow_from_gw(347, 2010) == 347); /* Kosovo */
    CHECK(ent_i_cow_from_gw(678, 1980) == 678); /* Yemen Arab Republic */
    CHECK(ent_i_cow_from_gw(678, 1995) == 679); /* Yemen */
    CHECK(ent_i_cow_from_gw(680, 1980) == 680);
    CHECK(ent_i_cow_from_gw(816, 2000) == 816);
    CHECK(ent_i_cow_from_gw(817, 1970) == 817); /* Republic of Vietnam, 1954-1975 only */
    CHECK(ent_i_cow_from_gw(817, 1990) == -1);
    CHECK(ent_i_cow_from_gw(711, 1930) == -1);  /* Tibet */
    CHECK(ent_i_cow_from_gw(396, 2010) == -1);  /* Abkhazia */
    CHECK(ent_i_cow_from_gw(221, 2000) == 221); /* Monaco */
    CHECK(ent_i_cow_from_gw(970, 2000) == 946); /* Kiribati (COW 970 is Nauru) */
    CHECK(ent_i_cow_from_gw(971, 2000) == 970); /* Nauru */
    CHECK(ent_i_cow_from_gw(0, 2000) == -1);
    CHECK(ent_i_cow_from_gw(1000, 2000) == -1);
}

/* mme100's first two rows, the base of the fixtures. */
#define CANADA                                                                                                         \
    "mme100,Deterrent Force 1/80,Deterrent Force,20,Canada,1980,central mediterranean,34.5531284,"                     \
    "18.0480105,5/16/80,1980,5,16,5/30/80,1980,5,30,0,0,0,1,0,0,1,0,0,naval,NA,7\n"
#define FRG                                                                                                            \
    "mme100,Deterrent Force 1/80,Deterrent Force,260,Federal Republic of Germany,1980,"                                \
    "central mediterranean,34.5531284,18.0480105,5/16/80,1980,5,16,5/30/80,1980,5,30,"                                 \
    "0,0,0,1,0,0,1,0,0,naval,NA,7\n"

/*
 * CANADA followed by the German Federal Republic's row of mme100, varied: the
 * name (NULL: the real one), the year, "lat,lon", the start day and the CPX,
 * Air, Land, Sea flags.
 */
static const char *frg(char *buf, const char *name, const char *year, const char *pos, const char *sday,
                       const char *flags)
{
    snprintf(buf, 2048,
             CANADA "mme100,%s,Deterrent Force,260,Federal Republic of Germany,%s,central mediterranean,%s,5/16/80,"
                    "1980,5,%s,5/30/80,1980,5,30,%s,0,0,1,0,0,naval,NA,7\n",
             name ? name : "Deterrent Force 1/80", year, pos, sday, flags);
    return buf;
}

static void bad_fixtures(ent_store_t *st)
{
    /* Attributes that disagree across the rows of one MMEID: the name, a flag, a date, the position. */
    char buf[2048];
    expect_failure(
        st, "mme",
        fixture("attr_name.csv", frg(buf, "Deterrent Force 2/80", "1980", "34.5531284,18.0480105", "16", "0,0,0,1")),
        ENT_EPARSE, (const char *const[]){"attr_name.csv:3:", "'Ex_Name'", "mme100", "Deterrent Force 2/80", NULL});
    expect_failure(st, "mme",
                   fixture("attr_flag.csv", frg(buf, NULL, "1980", "34.5531284,18.0480105", "16", "0,0,1,1")),
                   ENT_EPARSE, (const char *const[]){"attr_flag.csv:3:", "'Land'", NULL});
    expect_failure(st, "mme",
                   fixture("attr_date.csv", frg(buf, NULL, "1980", "34.5531284,18.0480105", "17", "0,0,0,1")),
                   ENT_EPARSE, (const char *const[]){"attr_date.csv:3:", "'s.year/s.month/s.day'", "1980-05-17", NULL});
    expect_failure(st, "mme", fixture("attr_pos.csv", frg(buf, NULL, "1980", "NA,NA", "16", "0,0,0,1")), ENT_EPARSE,
                   (const char *const[]){"attr_pos.csv:3:", "lat/lon", NULL});

    /* Bad years: not a number, before 1900, outside the exercise's own years. */
    expect_failure(st, "mme",
                   fixture("year_text.csv", frg(buf, NULL, "19x0", "34.5531284,18.0480105", "16", "0,0,0,1")),
                   ENT_EPARSE, (const char *const[]){"year_text.csv:3:", "'year'", "'19x0'", NULL});
    expect_failure(st, "mme",
                   fixture("year_early.csv", "mme1,X,NA,2,United States,1850,NA,NA,NA,x,1990,1,1,x,1990,1,2,"
                                             "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_ERANGE, (const char *const[]){"year_early.csv:2:", "'year'", "1850", NULL});
    expect_failure(st, "mme",
                   fixture("year_outside.csv", frg(buf, NULL, "1981", "34.5531284,18.0480105", "16", "0,0,0,1")),
                   ENT_ERANGE, (const char *const[]){"year_outside.csv:3:", "'year'", "1981", NULL});

    /* Dates: a thirteenth month; 31 April; an end before the start; a day without a month. */
    expect_failure(st, "mme",
                   fixture("month.csv", "mme1,X,NA,2,United States,1990,NA,NA,NA,x,1990,13,1,x,1990,12,2,"
                                        "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_ERANGE, (const char *const[]){"month.csv:2:", "'s.month'", NULL});
    expect_failure(st, "mme",
                   fixture("day.csv", "mme1,X,NA,2,United States,1990,NA,NA,NA,x,1990,4,31,x,1990,5,2,"
                                      "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_ERANGE, (const char *const[]){"day.csv:2:", "'s.day'", "day 31", NULL});
    expect_failure(st, "mme",
                   fixture("ends_early.csv", "mme1,X,NA,2,United States,1990,NA,NA,NA,x,1990,6,20,x,1990,3,1,"
                                             "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_ERANGE, (const char *const[]){"ends_early.csv:2:", "'e.year'", "1990-03-01", NULL});
    expect_failure(st, "mme",
                   fixture("day_only.csv", "mme1,X,NA,2,United States,1990,NA,NA,NA,x,1990,NA,5,x,1990,6,2,"
                                           "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_EPARSE, (const char *const[]){"day_only.csv:2:", "'s.day'", NULL});

    /* The same participant twice in one exercise-year. */
    expect_failure(st, "mme", fixture("dup.csv", CANADA FRG CANADA), ENT_EEXISTS,
                   (const char *const[]){"dup.csv:4:", "'country'", "mme100", "Canada", "1980", NULL});

    /* Codes: GW Tibet, a code COW does not know, and NA for something that is no known state. */
    expect_failure(st, "mme",
                   fixture("gw_tibet.csv", "mme1,X,NA,711,Tibet,1990,NA,NA,NA,x,1990,1,1,x,1990,1,2,"
                                           "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_ENOTFOUND, (const char *const[]){"gw_tibet.csv:2:", "'gwcode'", "711", NULL});
    expect_failure(st, "mme",
                   fixture("gw_unknown.csv", "mme1,X,NA,999,Nowhere,1990,NA,NA,NA,x,1990,1,1,x,1990,1,2,"
                                             "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_ENOTFOUND, (const char *const[]){"gw_unknown.csv:2:", "'gwcode'", "999", NULL});
    expect_failure(st, "mme",
                   fixture("gw_na.csv", "mme1,X,NA,NA,Atlantis,1990,NA,NA,NA,x,1990,1,1,x,1990,1,2,"
                                        "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_ENOTFOUND, (const char *const[]){"gw_na.csv:2:", "'gwcode'", "Atlantis", NULL});

    /* "Yemen" without a GW code means unified Yemen (COW 679), which did not exist in 1985. */
    expect_failure(st, "mme",
                   fixture("gw_yemen.csv", "mme1,X,NA,NA,Yemen,1985,NA,NA,NA,x,1985,1,1,x,1985,1,2,"
                                           "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_ENOTFOUND, (const char *const[]){"gw_yemen.csv:2:", "'gwcode'", "Yemen", NULL});

    /* A flag that is not 0/1; a latitude off the globe. */
    expect_failure(st, "mme",
                   fixture("flag.csv", "mme1,X,NA,2,United States,1990,NA,NA,NA,x,1990,1,1,x,1990,1,2,"
                                       "0,0,0,1,0,0,2,0,0,x,NA,2\n"),
                   ENT_ERANGE, (const char *const[]){"flag.csv:2:", "'Warfighting'", NULL});
    expect_failure(st, "mme",
                   fixture("lat.csv", "mme1,X,NA,2,United States,1990,NA,91,10,x,1990,1,1,x,1990,1,2,"
                                      "0,0,0,1,0,0,1,0,0,x,NA,2\n"),
                   ENT_ERANGE, (const char *const[]){"lat.csv:2:", "'lat'", NULL});
}

static void count_warning(void *ctx, const char *msg)
{
    (*(int *)ctx)++;
    CHECK_CONTAINS(msg, "mme-v7-long.csv:");
}

int main(void)
{
    char sbuf[1024], mbuf[1024];
    const char *states = shared_data("cow/states2016.csv", sbuf, sizeof sbuf);
    const char *mme = shared_data("exercises/mme-v7-long.csv", mbuf, sizeof mbuf);
    if (!states || !mme) {
        return 77;
    }

    gw_table();

    ent_store_t *st = fresh_store("io_mme");
    if (!st) {
        return CHECK_DONE();
    }
    ent_import_result_t res;
    ent_store_summary_t sum;

    CHECK_RC(ent_import(&res, st, "mme", mme, NULL), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), "cow-states");
    CHECK_OK(ent_import(&res, st, "cow-states", states, NULL));

    /* Strictly, the real file stops at its first repeated row (see the file comment), writing nothing. */
    CHECK_RC(ent_import(&res, st, "mme", mme, NULL), ENT_EEXISTS);
    CHECK_CONTAINS(ent_errmsg(), "mme-v7-long.csv:2519:");
    CHECK_CONTAINS(ent_errmsg(), "'country'");
    CHECK_OK(ent_store_summary(&sum, st));
    CHECK(sum.exercises == 0 && sum.exercise_participants == 0);

    /* With keep_going: the 56 bad rows reported and skipped, the rest imported. */
    int msgs = 0;
    ent_import_options_t o = ENT_IMPORT_OPTIONS_INIT;
    o.keep_going = true;
    o.ctx = &msgs;
    o.warn = count_warning;
    CHECK_OK(ent_import(&res, st, "mme", mme, &o));
    CHECK(res.rows == 13818 && res.rejected == 56 && msgs == 56);
    CHECK(res.inserted == 3698 + 13546);
    CHECK(res.first_year == 1980 && res.last_year == 2010);
    CHECK_OK(ent_store_summary(&sum, st));
    CHECK(sum.exercises == 3698);
    CHECK(sum.exercise_participants == 13546);
    printf("mme: %lld rows, %lld exercises, %lld participant-years, %lld rejected\n", (long long)res.rows,
           (long long)sum.exercises, (long long)sum.exercise_participants, (long long)res.rejected);

    /* mme100 */
    CHECK(scalar("SELECT name = 'Deterrent Force 1/80' AND series = 'Deterrent Force' AND start_date = 19800516 "
                 "AND end_date = 19800530 AND sea = 1 AND land = 0 AND warfighting = 1 AND cyber = 0 "
                 "FROM exercises WHERE ex_id = 'mme100'") == 1);
    CHECK_NEAR(scalar("SELECT lat FROM exercises WHERE ex_id = 'mme100'"), 34.5531284, 1e-12);
    CHECK(scalar("SELECT count(*) FROM exercise_participants WHERE ex_id = 'mme100'") == 7);
    CHECK(scalar("SELECT count(*) FROM exercise_participants WHERE ex_id = 'mme100' AND ccode IN (20, 260) "
                 "AND year = 1980") == 2);
    /* partial end date, widened to the month's last day; -9 and NA are missing */
    CHECK(scalar("SELECT end_date FROM exercises WHERE ex_id = 'mme1040'") == 19930228);
    CHECK(scalar("SELECT start_date FROM exercises WHERE ex_id = 'mme1040'") == 19930201);
    CHECK(scalar("SELECT name IS NULL AND series IS NULL FROM exercises WHERE ex_id = 'mme1001'") == 1);
    /* GW 260 is COW 260 to 1990 and 255 after; Vietnam (GW 817 in the file after 1975) is COW 816. */
    CHECK(scalar("SELECT max(year) FROM exercise_participants WHERE ccode = 260") == 1990);
    CHECK(scalar("SELECT min(year) FROM exercise_participants WHERE ccode = 255") == 1991);
    CHECK(scalar("SELECT count(*) FROM exercise_participants WHERE ccode = 817") == 0);
    CHECK(scalar("SELECT count(*) FROM exercise_participants WHERE ccode = 816") == 7);
    CHECK(scalar("SELECT count(*) FROM exercise_participants WHERE ccode = 340") == 0);
    /* States without a GW code, by name: Dominica (COW 54). */
    CHECK(scalar("SELECT count(*) FROM exercise_participants WHERE ccode = 54") == 16);
    /* Exercises whose only participants are not states (or unknown) are kept, without participants. */
    CHECK(scalar("SELECT count(*) FROM exercises e WHERE NOT EXISTS "
                 "(SELECT 1 FROM exercise_participants p WHERE p.ex_id = e.ex_id)") == 91);

    bad_fixtures(st);

    /* Cancelled: nothing changes. */
    volatile sig_atomic_t stop = 1;
    ent_import_options_t c = ENT_IMPORT_OPTIONS_INIT;
    c.cancel = &stop;
    CHECK_RC(ent_import(&res, st, "mme", fixture("cancel.csv", CANADA FRG), &c), ENT_EINTERRUPTED);
    CHECK_OK(ent_store_summary(&sum, st));
    CHECK(sum.exercises == 3698);

    /* A clean small file replaces the previous import. */
    CHECK_OK(ent_import(&res, st, "mme", fixture("good.csv", CANADA FRG), NULL));
    CHECK(res.rows == 2 && res.inserted == 1 + 2 && res.rejected == 0);
    CHECK_OK(ent_store_summary(&sum, st));
    CHECK(sum.exercises == 1 && sum.exercise_participants == 2);

    ent_store_close(st);
    return CHECK_DONE();
}
