/*
 * import_panel.c -- the sources of the dyad-year research panel (`entente
 * dyads`) that are plain tables keyed by (ccode1, ccode2, year) or (ccode,
 * year), plus the two spell files (direct contiguity, major powers).
 *
 * The keyed tables share one importer driven by a table of specs: each spec
 * names the file's columns, their ranges and whether a value may be missing
 * (empty, NA, or -9 where the source's codebook uses it), so every file gets
 * the same validation (file:line:column: field 'name': ...) and the same
 * one-transaction replace: an import deletes what the store held of that
 * dataset and writes the file's rows. File formats are those of the public
 * copies named in docs/data.md (peacesciencer's derived tables for MIDs,
 * contiguity and democracy; COW's own for trade, IGOs and major powers).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io_int.h"

enum {
    COL_INT = 1u << 0,  /* an integer value */
    COL_NA = 1u << 1,   /* empty or NA is allowed (stored as NULL) */
    COL_NEG9 = 1u << 2, /* -9 means missing (COW codebooks) */
};

typedef struct {
    const char *csv; /* the column in the file */
    double lo, hi;
    unsigned flags;
} colspec_t;

#define MAX_VALUE_COLS 8

typedef struct {
    const char *format;
    const char *table;
    const char *dataset;  /* the value of the table's dataset column, or NULL when it has none */
    bool dyadic;          /* keys ccode1, ccode2, year; else ccode, year */
    bool ordered;         /* the source promises ccode1 < ccode2: a row breaking it is an error */
    int y0, y1;           /* the years the source can hold */
    const char *sql_cols; /* the table's value columns, in the order of cols[] */
    size_t ncols;
    colspec_t cols[MAX_VALUE_COLS];
} tablespec_t;

static const tablespec_t specs[] = {
    {"capital-distance", "capital_distance", NULL, true, true, 1816, 2100, "km", 1, {{"capdist", 0, 25000, 0}}},
    {"democracy",
     "regime",
     NULL,
     false,
     false,
     1800,
     2100,
     "polyarchy, polity2, uds",
     3,
     {{"v2x_polyarchy", 0, 1, COL_NA}, {"polity2", -10, 10, COL_NA | COL_INT}, {"xm_qudsest", -5, 5, COL_NA}}},
    {"cow-mid-dyad",
     "mid_dyad_years",
     "cow",
     true,
     false,
     1816,
     2100,
     "dispnum, onset, ongoing, sidea1, sidea2, hostlev, fatality",
     7,
     {{"dispnum", 1, 100000, COL_INT},
      {"cowmidonset", 0, 1, COL_INT},
      {"cowmidongoing", 0, 1, COL_INT},
      {"sidea1", 0, 1, COL_INT},
      {"sidea2", 0, 1, COL_INT},
      {"hostlev", 1, 5, COL_INT | COL_NA | COL_NEG9},
      {"fatality", 0, 6, COL_INT | COL_NA | COL_NEG9}}},
    {"gml-mid-dyad",
     "mid_dyad_years",
     "gml",
     true,
     false,
     1816,
     2100,
     "dispnum, onset, ongoing, sidea1, sidea2, hostlev, fatality",
     7,
     {{"dispnum", 1, 100000, COL_INT},
      {"gmlmidonset", 0, 1, COL_INT},
      {"gmlmidongoing", 0, 1, COL_INT},
      {"sidea1", 0, 1, COL_INT},
      {"sidea2", 0, 1, COL_INT},
      {"hostlev", 1, 5, COL_INT | COL_NA | COL_NEG9},
      {"fatality", 0, 6, COL_INT | COL_NA | COL_NEG9}}},
    {"cow-igo-dyad",
     "igo_dyad_years",
     NULL,
     true,
     true,
     1816,
     2100,
     "igos",
     1,
     {{"dyadigos", 0, 10000, COL_INT | COL_NA | COL_NEG9}}},
    {"cow-trade-dyad",
     "trade_dyad_years",
     NULL,
     true,
     true,
     1816,
     2100,
     "flow1, flow2, smoothflow1, smoothflow2",
     4,
     {{"flow1", 0, 1e8, COL_NA | COL_NEG9},
      {"flow2", 0, 1e8, COL_NA | COL_NEG9},
      {"smoothflow1", 0, 1e8, COL_NA | COL_NEG9},
      {"smoothflow2", 0, 1e8, COL_NA | COL_NEG9}}},
    {"cow-trade-state",
     "trade_state_years",
     NULL,
     false,
     false,
     1816,
     2100,
     "imports, exports",
     2,
     {{"imports", 0, 1e9, COL_NA | COL_NEG9}, {"exports", 0, 1e9, COL_NA | COL_NEG9}}},
    {"false-dyads", "false_dyads", NULL, true, false, 1816, 2100, NULL, 0, {{NULL, 0, 0, 0}}},
};

static const tablespec_t *find_spec(const char *format)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        if (strcmp(specs[i].format, format) == 0) {
            return &specs[i];
        }
    }
    return NULL;
}

/* Reads value column k of the current record into *v; *na when missing. */
static ent_err_t get_value(const ent_csv_t *r, size_t i, const colspec_t *c, double *v, bool *na)
{
    ent_err_t rc;
    *na = false;
    bool allow_na = (c->flags & COL_NA) != 0;
    if (c->flags & COL_INT) {
        int64_t x;
        rc = ent_csv_get_i64(r, i, c->csv, (c->flags & COL_NEG9) ? -9 : (int64_t)c->lo, (int64_t)c->hi, &x,
                             allow_na ? na : NULL);
        if (rc != ENT_OK || *na) {
            return rc;
        }
        if ((c->flags & COL_NEG9) && x == -9) {
            *na = true;
            return ENT_OK;
        }
        if (x < (int64_t)c->lo) {
            return ent_csv_error(r, ENT_ERANGE, i, c->csv, "%lld outside %g..%g", (long long)x, c->lo, c->hi);
        }
        *v = (double)x;
        return ENT_OK;
    }
    rc = ent_csv_get_f64(r, i, c->csv, (c->flags & COL_NEG9) ? -9 : c->lo, c->hi, v, allow_na ? na : NULL);
    if (rc != ENT_OK || *na) {
        return rc;
    }
    if ((c->flags & COL_NEG9) && *v == -9) {
        *na = true;
        return ENT_OK;
    }
    if (*v < c->lo) {
        return ent_csv_error(r, ENT_ERANGE, i, c->csv, "%g outside %g..%g", *v, c->lo, c->hi);
    }
    return ENT_OK;
}

static ent_err_t import_table(ent_i_import_t *im, const tablespec_t *sp)
{
    const char *names[3 + MAX_VALUE_COLS];
    int ix[3 + MAX_VALUE_COLS];
    size_t nkeys = sp->dyadic ? 3 : 2, n = nkeys + sp->ncols;
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_buf_t sql = ENT_BUF_INIT;
    ent_err_t rc;
    char key[96];

    if (sp->dyadic) {
        names[0] = "ccode1";
        names[1] = "ccode2";
        names[2] = "year";
    } else {
        names[0] = "ccode";
        names[1] = "year";
    }
    for (size_t k = 0; k < sp->ncols; k++) {
        names[nkeys + k] = sp->cols[k].csv;
    }
    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, names, NULL, ix, n));

    /* Re-importing replaces the dataset. */
    if (sp->dataset) {
        ENT_CHECK(ent_buf_printf(&sql, "DELETE FROM %s WHERE dataset = '%s'", sp->table, sp->dataset));
    } else {
        ENT_CHECK(ent_buf_printf(&sql, "DELETE FROM %s", sp->table));
    }
    ENT_CHECK(ent_i_store_exec(im->st, ent_buf_cstr(&sql)));
    ent_buf_clear(&sql);
    ENT_CHECK(ent_buf_printf(&sql, "INSERT INTO %s(%s%s%s%s) VALUES (?", sp->table, sp->dataset ? "dataset, " : "",
                             sp->dyadic ? "ccode1, ccode2, year" : "ccode, year", sp->ncols ? ", " : "",
                             sp->sql_cols ? sp->sql_cols : ""));
    for (size_t k = 1; k < n + (sp->dataset ? 1 : 0); k++) {
        ENT_CHECK(ent_buf_puts(&sql, ",?"));
    }
    ENT_CHECK(ent_buf_puts(&sql, ")"));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins, ent_buf_cstr(&sql)));
    int bind0 = 1;
    if (sp->dataset) {
        sqlite3_bind_text(ins, 1, sp->dataset, -1, SQLITE_STATIC);
        bind0 = 2;
    }

    size_t nhdr = ent_csv_nfields(r);
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        if ((++im->res->rows & 0xffff) == 0) {
            ENT_CHECK(ent_i_import_cancelled(im));
        }
        int64_t c1, c2 = 0, year;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[0], names[0], &c1)) != ENT_OK ||
            (sp->dyadic && (rc = ent_i_import_ccode(im, r, (size_t)ix[1], "ccode2", &c2)) != ENT_OK) ||
            (rc = ent_csv_get_i64(r, (size_t)ix[nkeys - 1], "year", sp->y0, sp->y1, &year, NULL)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (sp->dyadic && (sp->ordered ? c1 >= c2 : c1 == c2)) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[1], "ccode2",
                               sp->ordered ? "%lld is not above ccode1 %lld (each dyad once, ccode1 < ccode2)"
                                           : "%lld is the same state as ccode1 %lld",
                               (long long)c2, (long long)c1);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        double v[MAX_VALUE_COLS];
        bool na[MAX_VALUE_COLS];
        rc = ENT_OK;
        for (size_t k = 0; k < sp->ncols && rc == ENT_OK; k++) {
            rc = get_value(r, (size_t)ix[nkeys + k], &sp->cols[k], &v[k], &na[k]);
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        int b = bind0;
        sqlite3_bind_int64(ins, b++, c1);
        if (sp->dyadic) {
            sqlite3_bind_int64(ins, b++, c2);
        }
        sqlite3_bind_int64(ins, b++, year);
        for (size_t k = 0; k < sp->ncols; k++, b++) {
            if (na[k]) {
                sqlite3_bind_null(ins, b);
            } else if (sp->cols[k].flags & COL_INT) {
                sqlite3_bind_int64(ins, b, (int64_t)v[k]);
            } else {
                sqlite3_bind_double(ins, b, v[k]);
            }
        }
        if (sp->dyadic) {
            snprintf(key, sizeof key, "ccode1 %lld, ccode2 %lld, year %lld", (long long)c1, (long long)c2,
                     (long long)year);
        } else {
            snprintf(key, sizeof key, "ccode %lld, year %lld", (long long)c1, (long long)year);
        }
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, (int)year);
    }
    rc = ENT_OK;
done:
    ent_buf_destroy(&sql);
    sqlite3_finalize(ins);
    ent_csv_free(r);
    return rc;
}

#define TABLE_IMPORTER(fn, format)                                                                                     \
    ent_err_t fn(ent_i_import_t *im)                                                                                   \
    {                                                                                                                  \
        return import_table(im, find_spec(format));                                                                    \
    }

TABLE_IMPORTER(ent_i_import_capital_distance, "capital-distance")
TABLE_IMPORTER(ent_i_import_democracy, "democracy")
TABLE_IMPORTER(ent_i_import_cow_mid_dyad, "cow-mid-dyad")
TABLE_IMPORTER(ent_i_import_gml_mid_dyad, "gml-mid-dyad")
TABLE_IMPORTER(ent_i_import_cow_igo_dyad, "cow-igo-dyad")
TABLE_IMPORTER(ent_i_import_cow_trade_dyad, "cow-trade-dyad")
TABLE_IMPORTER(ent_i_import_cow_trade_state, "cow-trade-state")
TABLE_IMPORTER(ent_i_import_false_dyads, "false-dyads")

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
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_err_t rc;
    char key[96];

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_exec(im->st, "DELETE FROM contiguity"));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins,
                                  "INSERT INTO contiguity(ccode1, ccode2, conttype, start_date, end_date, source) "
                                  "VALUES (?,?,?,?,?,'COW Direct Contiguity v3.2 (Stinnett et al. 2002)')"));
    size_t nhdr = ent_csv_nfields(r);
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        im->res->rows++;
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
        sqlite3_bind_int64(ins, 1, c1);
        sqlite3_bind_int64(ins, 2, c2);
        sqlite3_bind_int64(ins, 3, type);
        sqlite3_bind_int(ins, 4, d0);
        sqlite3_bind_int(ins, 5, d1);
        snprintf(key, sizeof key, "ccode1 %lld, ccode2 %lld, stdate %s", (long long)c1, (long long)c2, s0);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, ent_date_year(d0));
        ent_i_import_year(im, ent_date_year(d1));
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(ins);
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
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_err_t rc;
    char key[64];

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_exec(im->st, "DELETE FROM major_powers"));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins,
                                  "INSERT INTO major_powers(ccode, start_date, end_date, source) "
                                  "VALUES (?,?,?,'COW State System Membership v2016, major powers')"));
    size_t nhdr = ent_csv_nfields(r);
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        im->res->rows++;
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
        sqlite3_bind_int64(ins, 1, cc);
        sqlite3_bind_int(ins, 2, d0);
        sqlite3_bind_int(ins, 3, d1);
        snprintf(key, sizeof key, "ccode %lld, start %d", (long long)cc, (int)d0);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, ent_date_year(d0));
        ent_i_import_year(im, ent_date_year(d1));
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(ins);
    ent_csv_free(r);
    return rc;
}
