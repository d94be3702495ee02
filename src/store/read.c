/*
 * read.c -- the store's read queries for the measures (store_read.h): the
 * state list, year spans, counts, and named row sources. Every SELECT a
 * measure needs is here, so a schema change is one file's business and the
 * rules shared by several readers (the current NMC version; the year of a
 * roll call) are written once.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "util_int.h"

/* The year of a roll call: its date's, else (no date) the year its session opened. */
#define RC_YEAR_SQL "coalesce(date / 10000, session + 1945)"
/* Obligations as ENT_OBL_* bits; columns a dataset lacks are 0. */
#define OBL_SQL                                                                                                        \
    "(defense != 0) + 2 * (offense != 0) + 4 * (neutral != 0) + 8 * (nonagg != 0) + 16 * (consul != 0) + "             \
    "32 * (entente != 0)"

/* Parameters: ?1 the text, ?2 from, ?3 to; a source uses those it names. */
static const struct {
    const char *sql;
    int ncol;
    const char *table; /* for messages */
} sources[ENT_I_ROWS_COUNT_] = {
    [ENT_I_ROWS_SYSTEM_MEMBERS] = {"SELECT year, ccode FROM system_years WHERE year BETWEEN ?2 AND ?3 "
                                   "ORDER BY year, ccode",
                                   2, "system_years"},
    [ENT_I_ROWS_SPELL_MEMBERS] = {"SELECT DISTINCT ccode FROM state_spells WHERE "
                                  "start_date <= ?2 * 10000 + 1231 AND (end_date IS NULL OR end_date >= ?2 * 10000 "
                                  "+ 101) ORDER BY ccode",
                                  1, "state_spells"},
    [ENT_I_ROWS_CINC] = {"SELECT year, ccode, cinc FROM capabilities WHERE cinc IS NOT NULL AND year "
                         "BETWEEN ?2 AND ?3 AND version = " ENT_I_NMC_CURRENT_SQL,
                         3, "capabilities"},
    [ENT_I_ROWS_ALLIANCE_DYADS] = {"SELECT ccode1, ccode2, year, " OBL_SQL
                                   " FROM alliance_dyad_years WHERE dataset = ?1 AND year BETWEEN ?2 AND ?3",
                                   4, "alliance_dyad_years"},
    [ENT_I_ROWS_UN_ROLL_CALLS] = {"SELECT " RC_YEAR_SQL " AS y, rcid FROM un_roll_calls "
                                  "WHERE y BETWEEN ?2 AND ?3 ORDER BY y, rcid",
                                  2, "un_roll_calls"},
    [ENT_I_ROWS_UN_VOTES] = {"SELECT " RC_YEAR_SQL " AS y, v.ccode, v.rcid, v.vote FROM un_votes v "
                             "JOIN un_roll_calls USING (rcid) WHERE y BETWEEN ?2 AND ?3 "
                             "ORDER BY y, v.ccode",
                             4, "un_votes"},
    [ENT_I_ROWS_UN_VOTES_RANKED] = {"WITH rc AS (SELECT rcid, " RC_YEAR_SQL " AS y FROM un_roll_calls), "
                                    "rk AS (SELECT rcid, y, row_number() OVER (PARTITION BY y ORDER BY rcid) - 1 "
                                    "AS k FROM rc) "
                                    "SELECT v.ccode, rk.k, rk.y, v.vote FROM un_votes v JOIN rk ON rk.rcid = v.rcid",
                                    4, "un_votes"},
    [ENT_I_ROWS_IDEAL_SESSION] = {"SELECT ccode, ideal FROM unga_ideal WHERE session = ?2 AND "
                                  "ideal IS NOT NULL",
                                  2, "unga_ideal"},
    [ENT_I_ROWS_IDEAL_YEARS] = {"SELECT ccode, year, ideal FROM unga_ideal", 3, "unga_ideal"},
    [ENT_I_ROWS_MID_DYADS] = {"SELECT ccode1, ccode2, year, onset, ongoing FROM mid_dyad_years WHERE dataset = ?1", 5,
                              "mid_dyad_years"},
    [ENT_I_ROWS_MID_ONSETS] = {"SELECT DISTINCT min(ccode1, ccode2), max(ccode1, ccode2), year FROM mid_dyad_years "
                               "WHERE dataset = ?1 AND onset = 1",
                               3, "mid_dyad_years"},
    [ENT_I_ROWS_IGO_DYADS] = {"SELECT ccode1, ccode2, year, igos FROM igo_dyad_years", 4, "igo_dyad_years"},
    [ENT_I_ROWS_TRADE_DYADS] = {"SELECT ccode1, ccode2, year, flow1, flow2 FROM trade_dyad_years", 5,
                                "trade_dyad_years"},
    [ENT_I_ROWS_CAPITAL_DISTANCE] = {"SELECT ccode1, ccode2, year, km FROM capital_distance", 4, "capital_distance"},
    [ENT_I_ROWS_FALSE_DYADS] = {"SELECT ccode1, ccode2, year FROM false_dyads", 3, "false_dyads"},
    [ENT_I_ROWS_CONTIGUITY] = {"SELECT ccode1, ccode2, conttype, start_date / 10000, end_date / 10000 FROM contiguity",
                               5, "contiguity"},
    [ENT_I_ROWS_TSS_RIVALRIES] = {"SELECT ccode1, ccode2, 0, start_year, end_year FROM rivalries WHERE dataset = 'tss'",
                                  5, "rivalries"},
    [ENT_I_ROWS_MAJOR_POWERS] = {"SELECT ccode, ccode, 0, start_date / 10000, end_date / 10000 FROM major_powers", 5,
                                 "major_powers"},
    [ENT_I_ROWS_POLYARCHY] = {"SELECT ccode, year, polyarchy FROM regime", 3, "regime"},
    [ENT_I_ROWS_POLITY2] = {"SELECT ccode, year, polity2 FROM regime", 3, "regime"},
    [ENT_I_ROWS_UDS] = {"SELECT ccode, year, uds FROM regime", 3, "regime"},
    [ENT_I_ROWS_TRADE_IMPORTS] = {"SELECT ccode, year, imports FROM trade_state_years", 3, "trade_state_years"},
    [ENT_I_ROWS_TRADE_EXPORTS] = {"SELECT ccode, year, exports FROM trade_state_years", 3, "trade_state_years"},
};

#define MAXCOL 5

ent_err_t ent_i_store_rows(ent_store_t *st, ent_i_rows_t src, const char *text, int from, int to, ent_i_row_fn fn,
                           void *ctx)
{
    if ((int)src < 0 || src >= ENT_I_ROWS_COUNT_ || !sources[src].sql) {
        return ent_i_err(ENT_EINVAL, "unknown store row source %d", (int)src);
    }
    sqlite3_stmt *s;
    ent_err_t rc = ent_i_store_prepare(st, &s, sources[src].sql);
    if (rc != ENT_OK) {
        return rc;
    }
    int np = sqlite3_bind_parameter_count(s);
    if (np >= 1 && text) {
        sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
    }
    if (np >= 2) {
        sqlite3_bind_int(s, 2, from);
    }
    if (np >= 3) {
        sqlite3_bind_int(s, 3, to);
    }
    const int ncol = sources[src].ncol;
    double col[MAXCOL];
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        for (int k = 0; k < ncol; k++) {
            col[k] = sqlite3_column_type(s, k) == SQLITE_NULL ? NAN : sqlite3_column_double(s, k);
        }
        if ((rc = fn(ctx, col)) != ENT_OK) {
            break;
        }
    }
    if (rc == ENT_OK && r != SQLITE_DONE) {
        char what[64];
        snprintf(what, sizeof what, "reading %s", sources[src].table);
        rc = ent_i_store_error(st, what);
    }
    sqlite3_finalize(s);
    return rc;
}

ent_err_t ent_i_store_state_codes(int32_t **ccode, char (**abbr)[8], char (**iso3)[4], size_t *n, ent_store_t *st)
{
    sqlite3_stmt *s = NULL;
    ent_err_t rc;
    int64_t cnt;
    *ccode = NULL;
    *abbr = NULL;
    *iso3 = NULL;
    *n = 0;
    ENT_CHECK(ent_i_store_scalar(st, "SELECT count(*) FROM states", &cnt));
    size_t m = cnt > 0 ? (size_t)cnt : 1;
    *ccode = ent_calloc(m, sizeof **ccode);
    *abbr = ent_calloc(m, sizeof **abbr);
    *iso3 = ent_calloc(m, sizeof **iso3);
    if (!*ccode || !*abbr || !*iso3) {
        rc = ent_i_nomem();
        goto done;
    }
    ENT_CHECK(ent_i_store_prepare(st, &s, "SELECT ccode, abbr, coalesce(iso3, '') FROM states ORDER BY ccode"));
    int r;
    size_t i = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW && i < (size_t)cnt) {
        (*ccode)[i] = (int32_t)sqlite3_column_int64(s, 0);
        const unsigned char *a = sqlite3_column_text(s, 1), *iso = sqlite3_column_text(s, 2);
        snprintf((*abbr)[i], sizeof(*abbr)[i], "%s", a ? (const char *)a : "");
        snprintf((*iso3)[i], sizeof(*iso3)[i], "%s", iso ? (const char *)iso : "");
        i++;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading states");
        goto done;
    }
    *n = i;
    rc = ENT_OK;
done:
    sqlite3_finalize(s);
    if (rc != ENT_OK) {
        ent_free(*ccode);
        ent_free(*abbr);
        ent_free(*iso3);
        *ccode = NULL;
        *abbr = NULL;
        *iso3 = NULL;
    }
    return rc;
}

ent_err_t ent_i_store_span(int *first, int *last, bool *found, ent_store_t *st, ent_i_span_t what, const char *arg)
{
    static const char *const sql[] = {
        [ENT_I_SPAN_PACTS] = "SELECT min(start_date) / 10000, max(max(start_date, coalesce(end_date, 0))) / 10000 "
                             "FROM pacts",
        [ENT_I_SPAN_CINC] =
            "SELECT min(year), max(year) FROM capabilities WHERE cinc IS NOT NULL AND version = " ENT_I_NMC_CURRENT_SQL,
        [ENT_I_SPAN_SYSTEM] = "SELECT min(year), max(year) FROM system_years",
        [ENT_I_SPAN_SPELLS] = "SELECT min(start_date / 10000), max(coalesce(end_date / 10000, 9999)) FROM state_spells",
        [ENT_I_SPAN_ALLIANCES] = "SELECT min(year), max(year) FROM alliance_dyad_years WHERE dataset = ?1",
        [ENT_I_SPAN_UN_VOTES] = "SELECT min(" RC_YEAR_SQL "), max(" RC_YEAR_SQL ") FROM un_roll_calls "
                                "WHERE EXISTS (SELECT 1 FROM un_votes v WHERE v.rcid = un_roll_calls.rcid)",
    };
    if ((int)what < 0 || (size_t)what >= sizeof sql / sizeof sql[0]) {
        return ent_i_err(ENT_EINVAL, "unknown store span %d", (int)what);
    }
    sqlite3_stmt *s = NULL;
    ent_err_t rc = ent_i_store_prepare(st, &s, sql[what]);
    if (rc != ENT_OK) {
        return rc;
    }
    if (arg && sqlite3_bind_parameter_count(s) >= 1) {
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    }
    *found = false;
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
            *found = true;
            *first = sqlite3_column_int(s, 0);
            *last = sqlite3_column_int(s, 1);
        }
    } else if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading year ranges");
    }
    sqlite3_finalize(s);
    return rc;
}

ent_err_t ent_i_store_count(int64_t *out, ent_store_t *st, ent_i_count_t what)
{
    switch (what) {
    case ENT_I_COUNT_STATES: return ent_i_store_scalar(st, "SELECT count(*) FROM states", out);
    case ENT_I_COUNT_UNGA_IDEAL: return ent_i_store_scalar(st, "SELECT count(*) FROM unga_ideal", out);
    }
    return ent_i_err(ENT_EINVAL, "unknown store count %d", (int)what);
}

ent_err_t ent_i_store_import_last_year(int64_t *out, ent_store_t *st, const char *format)
{
    sqlite3_stmt *s;
    ent_err_t rc = ent_i_store_prepare(st, &s, "SELECT max(last_year) FROM imports WHERE format = ?1");
    if (rc != ENT_OK) {
        return rc;
    }
    sqlite3_bind_text(s, 1, format, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *out = 0;
    if (r == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
    } else if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading imports");
    }
    sqlite3_finalize(s);
    return rc;
}

ent_err_t ent_i_store_import_log(ent_store_t *st, ent_i_import_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    ent_err_t rc = ent_i_store_prepare(st, &s, "SELECT format, path, rows, at FROM imports ORDER BY id");
    if (rc != ENT_OK) {
        return rc;
    }
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *fmt = sqlite3_column_text(s, 0), *path = sqlite3_column_text(s, 1),
                            *at = sqlite3_column_text(s, 3);
        if ((rc = fn(ctx, fmt ? (const char *)fmt : "", path ? (const char *)path : "", sqlite3_column_int64(s, 2),
                     at ? (const char *)at : "")) != ENT_OK) {
            break;
        }
    }
    if (rc == ENT_OK && r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading the import log");
    }
    sqlite3_finalize(s);
    return rc;
}
