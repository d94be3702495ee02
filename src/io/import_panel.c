/*
 * import_panel.c -- the sources of the dyad-year research panel (`entente
 * dyads`) that are plain tables keyed by (ccode1, ccode2, year) or (ccode,
 * year), plus the two spell files (direct contiguity, major powers).
 *
 * The keyed tables are read by the driver's one row loop (ent_i_import_table):
 * each table below names the file's columns, their ranges, whether a value may
 * be missing (empty, NA, or -9 where the source's codebook uses it) and the
 * store column it goes to, so every file gets the same validation
 * (file:line:column: field 'name': ...) and the same one-transaction replace:
 * an import deletes what the store held of that dataset and writes the file's
 * rows. File formats are those of the public
 * copies named in docs/data.md (peacesciencer's derived tables for MIDs,
 * contiguity and democracy; COW's own for trade, IGOs and major powers).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io_int.h"

/* Each dyad once, ccode1 < ccode2 (the source promises it): a row breaking it is an error. */
static ent_err_t ordered_pair(const ent_i_table_t *t, const ent_csv_t *r, const int *ix, ent_i_value_t *v)
{
    (void)t;
    if (v[0].i >= v[1].i) {
        return ent_csv_error(r, ENT_ERANGE, (size_t)ix[1], "ccode2",
                             "%lld is not above ccode1 %lld (each dyad once, ccode1 < ccode2)", (long long)v[1].i,
                             (long long)v[0].i);
    }
    return ENT_OK;
}

/* Directed dyads: both orders appear, a state never with itself. */
static ent_err_t distinct_pair(const ent_i_table_t *t, const ent_csv_t *r, const int *ix, ent_i_value_t *v)
{
    (void)t;
    if (v[0].i == v[1].i) {
        return ent_csv_error(r, ENT_ERANGE, (size_t)ix[1], "ccode2", "%lld is the same state as ccode1 %lld",
                             (long long)v[1].i, (long long)v[0].i);
    }
    return ENT_OK;
}

/* The keys of a dyad-year table (ordered_pair or distinct_pair runs once they are read) and of a
 * state-year one. */
#define DYAD_KEYS                                                                                                      \
    {"ccode1", ENT_I_CCODE, 0, 0, 0, "ccode1"}, {"ccode2", ENT_I_CCODE, 0, 0, 0, "ccode2"},                            \
    {                                                                                                                  \
        "year", ENT_I_INT, 1816, 2100, 0, "year"                                                                       \
    }
#define DYAD_TABLE .rule_after = 3, .year_col = 2, .nkeys = 3, .keys = {0, 1, 2}
#define STATE_KEYS(y0)                                                                                                 \
    {"ccode", ENT_I_CCODE, 0, 0, 0, "ccode"},                                                                          \
    {                                                                                                                  \
        "year", ENT_I_INT, y0, 2100, 0, "year"                                                                         \
    }
#define STATE_TABLE .year_col = 1, .nkeys = 2, .keys = {0, 1}
#define COUNT_NA (ENT_I_NA | ENT_I_NEG9)

static const ent_i_table_t capital_distance = {
    .table = "capital_distance",
    .ncols = 4,
    .cols = {DYAD_KEYS, {"capdist", ENT_I_REAL, 0, 25000, 0, "km"}},
    .rule = ordered_pair,
    DYAD_TABLE,
};

static const ent_i_table_t democracy = {
    .table = "regime",
    .ncols = 5,
    .cols = {STATE_KEYS(1800),
             {"v2x_polyarchy", ENT_I_REAL, 0, 1, ENT_I_NA, "polyarchy"},
             {"polity2", ENT_I_INT, -10, 10, ENT_I_NA, "polity2"},
             {"xm_qudsest", ENT_I_REAL, -5, 5, ENT_I_NA, "uds"}},
    STATE_TABLE,
};

/* The MIDs of COW and of Gibler, Miller & Little share a layout but for the onset columns. */
#define MID_TABLE(ds, onset, ongoing)                                                                                  \
    {                                                                                                                  \
        .table = "mid_dyad_years", .fixed_col = "dataset", .fixed_val = ds, .replace_fixed_only = true, .ncols = 10,   \
        .cols = {DYAD_KEYS,                                                                                            \
                 {"dispnum", ENT_I_INT, 1, 100000, 0, "dispnum"},                                                      \
                 {onset, ENT_I_INT, 0, 1, 0, "onset"},                                                                 \
                 {ongoing, ENT_I_INT, 0, 1, 0, "ongoing"},                                                             \
                 {"sidea1", ENT_I_INT, 0, 1, 0, "sidea1"},                                                             \
                 {"sidea2", ENT_I_INT, 0, 1, 0, "sidea2"},                                                             \
                 {"hostlev", ENT_I_INT, 1, 5, COUNT_NA, "hostlev"},                                                    \
                 {"fatality", ENT_I_INT, 0, 6, COUNT_NA, "fatality"}},                                                 \
        .rule = distinct_pair, DYAD_TABLE,                                                                             \
    }

static const ent_i_table_t cow_mid = MID_TABLE("cow", "cowmidonset", "cowmidongoing");
static const ent_i_table_t gml_mid = MID_TABLE("gml", "gmlmidonset", "gmlmidongoing");

static const ent_i_table_t igo_dyad = {
    .table = "igo_dyad_years",
    .ncols = 4,
    .cols = {DYAD_KEYS, {"dyadigos", ENT_I_INT, 0, 10000, COUNT_NA, "igos"}},
    .rule = ordered_pair,
    DYAD_TABLE,
};

static const ent_i_table_t trade_dyad = {
    .table = "trade_dyad_years",
    .ncols = 7,
    .cols = {DYAD_KEYS,
             {"flow1", ENT_I_REAL, 0, 1e8, COUNT_NA, "flow1"},
             {"flow2", ENT_I_REAL, 0, 1e8, COUNT_NA, "flow2"},
             {"smoothflow1", ENT_I_REAL, 0, 1e8, COUNT_NA, "smoothflow1"},
             {"smoothflow2", ENT_I_REAL, 0, 1e8, COUNT_NA, "smoothflow2"}},
    .rule = ordered_pair,
    DYAD_TABLE,
};

static const ent_i_table_t trade_state = {
    .table = "trade_state_years",
    .ncols = 4,
    .cols = {STATE_KEYS(1816),
             {"imports", ENT_I_REAL, 0, 1e9, COUNT_NA, "imports"},
             {"exports", ENT_I_REAL, 0, 1e9, COUNT_NA, "exports"}},
    STATE_TABLE,
};

static const ent_i_table_t false_dyads = {
    .table = "false_dyads",
    .ncols = 3,
    .cols = {DYAD_KEYS},
    .rule = distinct_pair,
    DYAD_TABLE,
};

#define TABLE_IMPORTER(fn, spec)                                                                                       \
    ent_err_t fn(ent_i_import_t *im)                                                                                   \
    {                                                                                                                  \
        return ent_i_import_table(im, &spec);                                                                          \
    }

TABLE_IMPORTER(ent_i_import_capital_distance, capital_distance)
TABLE_IMPORTER(ent_i_import_democracy, democracy)
TABLE_IMPORTER(ent_i_import_cow_mid_dyad, cow_mid)
TABLE_IMPORTER(ent_i_import_gml_mid_dyad, gml_mid)
TABLE_IMPORTER(ent_i_import_cow_igo_dyad, igo_dyad)
TABLE_IMPORTER(ent_i_import_cow_trade_dyad, trade_dyad)
TABLE_IMPORTER(ent_i_import_cow_trade_state, trade_state)
TABLE_IMPORTER(ent_i_import_false_dyads, false_dyads)

/* ---------------------------------------------------------------- spells */

/*
 * COW Direct Contiguity v3.2 as a spell file (ccode1, ccode2, conttype,
 * stdate, enddate; dates YYYY-MM-DD, or YYYY-MM): each contiguous pair in both
 * orders, 1 land, 2-5 separated by at most 12/24/150/400 miles of water.
 * Type 0 marks a spell the source records as not contiguous; it is kept.
 */
ent_err_t ent_i_import_cow_contdir(ent_i_import_t *im)
{
    static const char *cols[] = {"ccode1", "ccode2", "conttype", "stdate", "enddate"};
    enum { C1, C2, TYPE, ST, EN, NCOLS };
    int ix[NCOLS];
    static const char *const dest[] = {"ccode1", "ccode2", "conttype", "start_date", "end_date", "source"};
    ent_csv_t *r = NULL;
    ent_i_stmt_t *ins = NULL;
    ent_err_t rc;
    char key[96];

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_clear(im->st, "contiguity", NULL, NULL));
    ENT_CHECK(ent_i_store_insert(&ins, im->st, "contiguity", dest, 6, 1));
    size_t nhdr = ent_csv_nfields(r);
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
        int64_t c1, c2, type;
        ent_date_t d0, d1;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[C1], "ccode1", &c1)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[C2], "ccode2", &c2)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[TYPE], "conttype", 0, 5, &type, NULL)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (c1 == c2) {
            ENT_CHECK(ent_i_import_reject(im, ent_csv_error(r, ENT_ERANGE, (size_t)ix[C2], "ccode2",
                                                            "%lld is the same state as ccode1", (long long)c2)));
            continue;
        }
        const char *s0 = ent_csv_field(r, (size_t)ix[ST], NULL), *s1 = ent_csv_field(r, (size_t)ix[EN], NULL);
        if (ent_date_parse(&d0, s0, false) != ENT_OK || ent_date_year(d0) < 1816) {
            rc = ent_csv_error(r, ENT_EPARSE, (size_t)ix[ST], "stdate",
                               "expected a date YYYY-MM-DD from 1816 on, got '%s'", s0);
        } else if (ent_date_parse(&d1, s1, true) != ENT_OK) {
            rc = ent_csv_error(r, ENT_EPARSE, (size_t)ix[EN], "enddate", "expected a date YYYY-MM-DD, got '%s'", s1);
        } else if (d1 < d0) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[EN], "enddate", "%s is before the start %s", s1, s0);
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        ent_i_stmt_int(ins, 0, c1);
        ent_i_stmt_int(ins, 1, c2);
        ent_i_stmt_int(ins, 2, type);
        ent_i_stmt_int(ins, 3, d0);
        ent_i_stmt_int(ins, 4, d1);
        ent_i_stmt_text(ins, 5, "COW Direct Contiguity v3.2 (Stinnett et al. 2002)");
        snprintf(key, sizeof key, "ccode1 %lld, ccode2 %lld, stdate %s", (long long)c1, (long long)c2, s0);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, ent_date_year(d0));
        ent_i_import_year(im, ent_date_year(d1));
    }
    ENT_CHECK(rc);
    rc = ENT_OK;
done:
    ent_i_stmt_free(ins);
    ent_csv_free(r);
    return rc;
}

/* Three fields (year, month, day) as a date; the first field's name in errors. */
static ent_err_t get_ymd(const ent_csv_t *r, const int idx[3], const char *const names[3], bool end, ent_date_t *out)
{
    int64_t y, m, d;
    ent_err_t rc;
    if ((rc = ent_csv_get_i64(r, (size_t)idx[0], names[0], 1816, 2100, &y, NULL)) != ENT_OK ||
        (rc = ent_csv_get_i64(r, (size_t)idx[1], names[1], 1, 12, &m, NULL)) != ENT_OK ||
        (rc = ent_csv_get_i64(r, (size_t)idx[2], names[2], 1, 31, &d, NULL)) != ENT_OK) {
        return rc;
    }
    if (ent_date_make(out, (int)y, (int)m, (int)d, end) != ENT_OK) {
        return ent_csv_error(r, ENT_ERANGE, (size_t)idx[2], names[2], "%s", ent_errmsg());
    }
    return ENT_OK;
}

/* COW major powers (majors2016.csv): one row per spell of major-power status. */
ent_err_t ent_i_import_cow_majors(ent_i_import_t *im)
{
    static const char *cols[] = {"ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"};
    static const char *const sn[3] = {"styear", "stmonth", "stday"}, *const en[3] = {"endyear", "endmonth", "endday"};
    enum { CC, SY, SM, SD, EY, EM, ED, NCOLS };
    int ix[NCOLS];
    static const char *const dest[] = {"ccode", "start_date", "end_date", "source"};
    ent_csv_t *r = NULL;
    ent_i_stmt_t *ins = NULL;
    ent_err_t rc;
    char key[64];

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_clear(im->st, "major_powers", NULL, NULL));
    ENT_CHECK(ent_i_store_insert(&ins, im->st, "major_powers", dest, 4, 1));
    size_t nhdr = ent_csv_nfields(r);
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
        int64_t cc;
        ent_date_t d0, d1;
        const int si[3] = {ix[SY], ix[SM], ix[SD]}, ei[3] = {ix[EY], ix[EM], ix[ED]};
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[CC], "ccode", &cc)) != ENT_OK ||
            (rc = get_ymd(r, si, sn, false, &d0)) != ENT_OK || (rc = get_ymd(r, ei, en, true, &d1)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (d1 < d0) {
            ENT_CHECK(ent_i_import_reject(
                im, ent_csv_error(r, ENT_ERANGE, (size_t)ix[EY], "endyear", "the spell ends before it starts")));
            continue;
        }
        ent_i_stmt_int(ins, 0, cc);
        ent_i_stmt_int(ins, 1, d0);
        ent_i_stmt_int(ins, 2, d1);
        ent_i_stmt_text(ins, 3, "COW State System Membership v2016, major powers");
        snprintf(key, sizeof key, "ccode %lld, start %d", (long long)cc, (int)d0);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, ent_date_year(d0));
        ent_i_import_year(im, ent_date_year(d1));
    }
    ENT_CHECK(rc);
    rc = ENT_OK;
done:
    ent_i_stmt_free(ins);
    ent_csv_free(r);
    return rc;
}
