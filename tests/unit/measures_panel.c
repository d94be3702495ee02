/*
 * measures_panel.c -- the dyad-year panel on a small synthetic store whose every
 * value is worked out by hand below: the dyad set (false dyads removed, both
 * orders when directed), the outcome and its last year, history terms, shared
 * partners/opponents/rivals, coverage (missing outside a source's years), the
 * vote agreement with its roll-call count and flag, trade shares, regime, the
 * column selection, and the notes for absent sources. Always runs.
 */
#include "check.h"

#include <sqlite3.h>

static char path[512];

static void make_store(bool with_sources)
{
    const char *tmp = getenv("ENT_TMP") ? getenv("ENT_TMP") : ".";
    snprintf(path, sizeof path, "%s/panel_%d.db", tmp, with_sources);
    remove(path);
    char side[600];
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
    ent_store_t *st;
    CHECK_OK(ent_store_open(&st, path, NULL)); /* creates the schema */
    ent_store_close(st);
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    char *err = NULL;
    const char *base =
        "INSERT INTO states(ccode, abbr, name, source) VALUES (2,'USA','United States','t'),(20,'CAN','Canada','t'),"
        "(200,'UKG','United Kingdom','t'),(255,'GMY','Germany','t'),(365,'RUS','Russia','t');"
        "WITH RECURSIVE y(v) AS (SELECT 1990 UNION ALL SELECT v + 1 FROM y WHERE v < 1995) "
        "INSERT INTO system_years SELECT c.ccode, y.v, 't' FROM states c, y;"
        /* ATOP, directed. 2-20 defence all years; 2-200 from 1993; 20-200 in 1990 only; 2->365 nonagg 1991 */
        "WITH RECURSIVE y(v) AS (SELECT 1990 UNION ALL SELECT v + 1 FROM y WHERE v < 1995) "
        "INSERT INTO alliance_dyad_years SELECT 'atop', 2, 20, v, 1, 0, 0, 0, 0, 0 FROM y "
        "UNION ALL SELECT 'atop', 20, 2, v, 1, 0, 0, 0, 0, 0 FROM y "
        "UNION ALL SELECT 'atop', 2, 200, v, 1, 0, 0, 0, 1, 0 FROM y WHERE v >= 1993 "
        "UNION ALL SELECT 'atop', 200, 2, v, 1, 0, 0, 0, 0, 0 FROM y WHERE v >= 1993;"
        "INSERT INTO alliance_dyad_years VALUES ('atop', 20, 200, 1990, 1, 0, 0, 0, 0, 0),"
        "('atop', 200, 20, 1990, 1, 0, 0, 0, 0, 0), ('atop', 2, 365, 1991, 0, 0, 0, 1, 0, 0);"
        "INSERT INTO capabilities(version, ccode, year, cinc) VALUES ('t', 2, 1994, 0.2), ('t', 20, 1994, 0.01);";
    const char *sources =
        /* MIDs: 2-365 onset 1991, ongoing 1991-92; 200-365 onset 1992 (one order only) */
        "INSERT INTO mid_dyad_years VALUES ('cow', 2, 365, 1991, 1, 1, 1, 1, 0, 4, 0),"
        "('cow', 365, 2, 1991, 1, 1, 1, 0, 1, 4, 0), ('cow', 2, 365, 1992, 1, 0, 1, 1, 0, 4, 0),"
        "('cow', 365, 2, 1992, 1, 0, 1, 0, 1, 4, 0), ('cow', 365, 200, 1992, 2, 1, 1, 1, 0, 3, NULL);"
        "INSERT INTO false_dyads VALUES (255, 365, 1993), (365, 255, 1993);"
        "INSERT INTO trade_dyad_years VALUES (2, 20, 1994, 100, 50, 100, 50);"
        "INSERT INTO trade_state_years VALUES (2, 1994, 1000, 500), (20, 1994, NULL, 300);"
        "INSERT INTO capital_distance VALUES (2, 20, 1994, 734);"
        "INSERT INTO regime VALUES (2, 1994, 0.9, 10, 1.5), (20, 1994, 0.85, 10, 1.4), (365, 1994, 0.4, NULL, 0);"
        "INSERT INTO contiguity VALUES (2, 20, 1, 19900101, 19951231, 't'), (20, 2, 1, 19900101, 19951231, 't'),"
        "(2, 365, 4, 19900101, 19951231, 't'), (365, 2, 4, 19900101, 19951231, 't'),"
        "(2, 365, 5, 19900201, 19951231, 't'), (365, 2, 5, 19900201, 19951231, 't');"
        "INSERT INTO rivalries VALUES ('tss', 1, 'USA-RUS', 2, 365, 1990, NULL, 1, 0, 1, 0, 't'),"
        "('tss', 2, 'UKG-RUS', 200, 365, 1990, 1994, 1, 0, 0, 0, 't');"
        "INSERT INTO major_powers VALUES (2, 19900101, 19951231, 't'), (365, 19900101, 19951231, 't');"
        "INSERT INTO unga_ideal(ccode, session, year, ideal) VALUES (2, 49, 1994, 2.5), (365, 49, 1994, -0.5);"
        /* 12 roll calls in 1994: USA yes on all; CAN yes 6, abstain 3, no 3; UKG votes on 5 */
        "WITH RECURSIVE r(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM r WHERE v < 12) "
        "INSERT INTO un_roll_calls(rcid, session, date) SELECT v, 49, 19940301 FROM r;"
        "WITH RECURSIVE r(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM r WHERE v < 12) "
        "INSERT INTO un_votes SELECT v, 2, 1 FROM r UNION ALL SELECT v, 20, CASE WHEN v <= 6 THEN 1 WHEN v <= 9 "
        "THEN 2 ELSE 3 END FROM r UNION ALL SELECT v, 200, 1 FROM r WHERE v <= 5;";
    CHECK(sqlite3_exec(db, base, NULL, NULL, &err) == SQLITE_OK);
    if (with_sources) {
        CHECK(sqlite3_exec(db, sources, NULL, NULL, &err) == SQLITE_OK);
    }
    if (err) {
        fprintf(stderr, "%s\n", err);
        sqlite3_free(err);
    }
    sqlite3_close(db);
}

/* The row of (a, b, y), or -1. */
static long find(const ent_panel_t *p, int a, int b, int y)
{
    for (size_t r = 0; r < ent_panel_nrows(p); r++) {
        if (ent_panel_ccode1(p)[r] == a && ent_panel_ccode2(p)[r] == b && ent_panel_year(p)[r] == y) {
            return (long)r;
        }
    }
    return -1;
}

static double val(const ent_panel_t *p, const char *col, int a, int b, int y)
{
    long r = find(p, a, b, y);
    const double *c = ent_panel_column(p, col);
    if (r < 0 || !c) {
        fprintf(stderr, "no row %d-%d %d or column %s\n", a, b, y, col);
        check_failures++;
        return -999;
    }
    return c[r];
}

#define CHECK_VAL(col, a, b, y, want)                                                                                  \
    do {                                                                                                               \
        double g_ = val(p, col, a, b, y), w_ = (want);                                                                 \
        if (!((isnan(g_) && isnan(w_)) || fabs(g_ - w_) < 1e-12)) {                                                    \
            fprintf(stderr, "%s:%d: %s %d-%d %d: got %g, want %g\n", __FILE__, __LINE__, col, a, b, y, g_, w_);        \
            check_failures++;                                                                                          \
        }                                                                                                              \
    } while (0)

int main(void)
{
    ent_store_t *st;
    ent_panel_t *p = NULL;
    ent_panel_options_t o = ENT_PANEL_OPTIONS_INIT;

    make_store(true);
    CHECK_OK(ent_store_open(&st, path, NULL));
    o.from = 1990;
    o.to = 1995;
    CHECK_OK(ent_panel_build(&p, st, &o));
    if (!p) {
        return 1;
    }
    /* 10 dyads a year, less the false dyad 255-365 in 1993 */
    CHECK(ent_panel_nrows(p) == 59);
    CHECK(find(p, 255, 365, 1993) < 0 && find(p, 255, 365, 1994) >= 0);
    CHECK(ent_panel_nnotes(p) == 2); /* no COW alliances, no IGOs */
    /* rows ordered by year, then ccode1 < ccode2 */
    for (size_t r = 1; r < ent_panel_nrows(p); r++) {
        const int32_t *y = ent_panel_year(p), *a = ent_panel_ccode1(p), *b = ent_panel_ccode2(p);
        CHECK(a[r] < b[r]);
        CHECK(y[r] > y[r - 1] || (y[r] == y[r - 1] && (a[r] > a[r - 1] || (a[r] == a[r - 1] && b[r] > b[r - 1]))));
    }
    /* the outcome: 2-200 defence from 1993 -> new in 1992 only; the last ATOP year has no outcome */
    CHECK_VAL("new_defence", 2, 200, 1992, 1);
    CHECK_VAL("new_defence", 2, 200, 1993, 0);
    CHECK_VAL("new_defence", 2, 200, 1991, 0);
    CHECK_VAL("new_defence", 2, 20, 1992, 0);
    CHECK_VAL("new_defence", 2, 200, 1995, NAN);
    CHECK_VAL("atop_defense", 2, 200, 1993, 1);
    CHECK_VAL("atop_consul", 2, 200, 1993, 1);
    CHECK_VAL("atop_nonagg", 2, 365, 1991, 1);
    CHECK_VAL("atop_nonagg", 2, 365, 1992, 0);
    /* history: 20-200 allied in 1990 only */
    CHECK_VAL("years_since_defence", 20, 200, 1990, 0);
    CHECK_VAL("years_since_defence", 20, 200, 1993, 3);
    CHECK_VAL("ever_defence", 20, 200, 1995, 1);
    CHECK_VAL("years_since_defence", 2, 200, 1992, NAN);
    CHECK_VAL("ever_defence", 2, 200, 1992, 0);
    CHECK_VAL("years_since_defence", 2, 200, 1994, 0);
    /* partners: in 1994 USA's are CAN and UKG */
    CHECK_VAL("common_defence_partners", 20, 200, 1994, 1);
    CHECK_VAL("common_defence_partners", 2, 20, 1994, 0);
    CHECK_VAL("defdeg1", 2, 20, 1994, 2);
    CHECK_VAL("defdeg2", 2, 20, 1994, 1);
    CHECK_VAL("defdeg1", 2, 20, 1991, 1);
    /* no COW alliances in the store: missing, not 0 */
    CHECK_VAL("cow_defense", 2, 20, 1994, NAN);
    /* geography */
    CHECK_VAL("ldist", 2, 20, 1994, log1p(734));
    CHECK_VAL("ldist", 2, 20, 1993, NAN);
    CHECK_VAL("contig_land", 2, 20, 1994, 1);
    CHECK_VAL("contig_sea", 2, 20, 1994, 0);
    CHECK_VAL("contig_sea", 2, 365, 1994, 1);
    CHECK_VAL("conttype", 2, 365, 1994, 4); /* the closer of types 4 and 5 */
    CHECK_VAL("contig_land", 20, 200, 1994, 0);
    /* power */
    CHECK_VAL("cinc1", 2, 20, 1994, 0.2);
    CHECK_VAL("cinc_ratio", 2, 20, 1994, 20);
    CHECK_VAL("cinc_ratio", 2, 200, 1994, NAN);
    CHECK_VAL("major1", 2, 20, 1994, 1);
    CHECK_VAL("major2", 2, 20, 1994, 0);
    CHECK_VAL("major2", 200, 365, 1994, 1);
    /* regime */
    CHECK_VAL("joint_democracy", 2, 20, 1994, 1);
    CHECK_VAL("democ_missing", 2, 20, 1994, 0);
    CHECK_VAL("joint_democracy", 2, 365, 1994, NAN);
    CHECK_VAL("democ_missing", 2, 365, 1994, 1);
    CHECK_VAL("polyarchy2", 2, 365, 1994, 0.4);
    CHECK_VAL("uds1", 2, 20, 1994, 1.5);
    /* conflict: the MID data cover 1991-1992 only */
    CHECK_VAL("mid_onset", 2, 365, 1991, 1);
    CHECK_VAL("mid_onset", 2, 365, 1992, 0);
    CHECK_VAL("mid_ongoing", 2, 365, 1992, 1);
    CHECK_VAL("mids_10y", 2, 365, 1992, 1);
    CHECK_VAL("mid_onset", 200, 365, 1992, 1); /* listed in one order only */
    CHECK_VAL("shared_mid_opponents", 2, 200, 1992, 1);
    CHECK_VAL("shared_mid_opponents", 2, 200, 1991, 0);
    CHECK_VAL("mid_onset", 2, 365, 1990, NAN);
    CHECK_VAL("mids_10y", 2, 365, 1994, NAN);
    CHECK_VAL("rivalry", 2, 365, 1995, 1);
    CHECK_VAL("rivalry", 200, 365, 1995, 0);
    CHECK_VAL("shared_rivals", 2, 200, 1994, 1);
    CHECK_VAL("shared_rivals", 2, 200, 1995, 0);
    /* trade: 150 between them; USA's total 1500, Canada's unknown */
    CHECK_VAL("trade_flow", 2, 20, 1994, 150);
    CHECK_VAL("trade_share1", 2, 20, 1994, 0.1);
    CHECK_VAL("trade_share2", 2, 20, 1994, NAN);
    CHECK_VAL("trade_imports1", 2, 20, 1994, 100);
    CHECK_VAL("trade_flow", 2, 200, 1994, NAN);
    CHECK_VAL("joint_igo", 2, 20, 1994, NAN);
    /* UN: agreement 1 same, 1/2 one abstains, 0 yes against no: (6 + 1.5) / 12 */
    CHECK_VAL("vote_agree", 2, 20, 1994, 0.625);
    CHECK_VAL("vote_n", 2, 20, 1994, 12);
    CHECK_VAL("vote_few", 2, 20, 1994, 0);
    CHECK_VAL("vote_n", 2, 200, 1994, 5);
    CHECK_VAL("vote_few", 2, 200, 1994, 1);
    CHECK_VAL("vote_agree", 2, 200, 1994, 1);
    CHECK_VAL("vote_n", 2, 255, 1994, 0);
    CHECK_VAL("vote_agree", 2, 255, 1994, NAN);
    CHECK_VAL("vote_n", 2, 20, 1993, NAN); /* no roll calls that year: outside the votes' coverage */
    CHECK_VAL("idealpoint_dist", 2, 365, 1994, 3);
    CHECK_VAL("idealpoint_dist", 2, 20, 1994, NAN);
    /* similarity comes through: USA and Canada alike in 1990 */
    CHECK(val(p, "s_unweighted", 2, 20, 1990) > 0.5);
    ent_panel_free(p);

    /* directed: both orders; the alliance types are ccode1's obligations; "1" columns describe ccode1 */
    o.directed = true;
    o.from = o.to = 1991;
    CHECK_OK(ent_panel_build(&p, st, &o));
    if (p) {
        CHECK(ent_panel_nrows(p) == 20);
        CHECK_VAL("atop_nonagg", 2, 365, 1991, 1);
        CHECK_VAL("atop_nonagg", 365, 2, 1991, 0);
        CHECK_VAL("defdeg1", 20, 2, 1991, 1);
        CHECK_VAL("mid_onset", 365, 2, 1991, 1);
        ent_panel_free(p);
        p = NULL;
    }

    /* a selection of columns, in the order given */
    static const char *const sel[] = {"vote_n", "new_defence"};
    o.directed = false;
    o.columns = sel;
    o.ncolumns = 2;
    CHECK_OK(ent_panel_build(&p, st, &o));
    if (p) {
        CHECK(ent_panel_ncolumns(p) == 2);
        CHECK_STR(ent_panel_column_name(p, 0), "vote_n");
        CHECK(ent_panel_column(p, "ldist") == NULL);
        ent_panel_free(p);
        p = NULL;
    }
    static const char *const bad[] = {"vote_n", "nonsense"};
    o.columns = bad;
    CHECK_RC(ent_panel_build(&p, st, &o), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "nonsense");
    o.columns = NULL;
    o.ncolumns = 0;
    o.mid_dataset = "xyz";
    CHECK_RC(ent_panel_build(&p, st, &o), ENT_EINVAL);
    o.mid_dataset = "gml"; /* none in the store: the MID columns are empty, with a note */
    CHECK_OK(ent_panel_build(&p, st, &o));
    if (p) {
        CHECK_VAL("mid_onset", 2, 365, 1991, NAN);
        bool noted = false;
        for (size_t k = 0; k < ent_panel_nnotes(p); k++) {
            noted = noted || strstr(ent_panel_note(p, k), "MID") != NULL;
        }
        CHECK(noted);
        ent_panel_free(p);
        p = NULL;
    }
    o.mid_dataset = NULL;
    o.from = 1800;
    CHECK_RC(ent_panel_build(&p, st, &o), ENT_EINVAL);
    o.from = 1994;
    o.to = 1999;
    CHECK_RC(ent_panel_build(&p, st, &o), ENT_ERANGE); /* ATOP ends in 1995 */
    ent_store_close(st);

    /* a store with only the core: every other column empty, each absence noted */
    make_store(false);
    CHECK_OK(ent_store_open(&st, path, NULL));
    o.from = 1990;
    o.to = 1995;
    CHECK_OK(ent_panel_build(&p, st, &o));
    if (p) {
        CHECK(ent_panel_nrows(p) == 60);
        CHECK(ent_panel_nnotes(p) >= 10);
        CHECK_VAL("new_defence", 2, 200, 1992, 1);
        CHECK_VAL("contig_land", 2, 20, 1994, NAN);
        CHECK_VAL("rivalry", 2, 365, 1994, NAN);
        CHECK_VAL("major1", 2, 20, 1994, NAN);
        ent_panel_free(p);
    }
    ent_store_close(st);
    ent_panel_free(NULL);
    return check_failures ? 1 : 0;
}
