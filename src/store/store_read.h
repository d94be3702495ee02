/*
 * store_read.h -- what the library's measures read from a store, as plain C
 * values. The store owns every query (store/read.c); a reader names a source
 * and gets its rows, never SQL or an SQLite handle, so nothing above the
 * store links against SQLite's API. Library-private (ent_i_).
 */
#ifndef ENTENTE_STORE_READ_H
#define ENTENTE_STORE_READ_H

#include <stdbool.h>

#include "entente/store.h"

/* COW codes are three-digit numbers: arrays indexed by code have this many entries. */
#define ENT_I_MAX_CCODE 1000

/*
 * The states table, ascending code: ccode[n], abbr[n] (COW abbreviation),
 * iso3[n] ("" when unknown). Each array is allocated with ent_malloc and
 * freed by the caller (ent_free), also on error (then NULL). n may be 0.
 */
ent_err_t ent_i_store_state_codes(int32_t **ccode, char (**abbr)[8], char (**iso3)[4], size_t *n, ent_store_t *st);

/* The years a table covers; *found false (first/last untouched) when it holds none. */
typedef enum {
    ENT_I_SPAN_PACTS,     /* first start to last start or end, any dataset */
    ENT_I_SPAN_CINC,      /* CINC of the current NMC version (ENT_I_NMC_CURRENT_SQL) */
    ENT_I_SPAN_SYSTEM,    /* system_years */
    ENT_I_SPAN_SPELLS,    /* state_spells: first start to last end, 9999 when one is open */
    ENT_I_SPAN_ALLIANCES, /* alliance_dyad_years of dataset `arg` ("atop", "cow") */
    ENT_I_SPAN_UN_VOTES   /* the years of roll calls with at least one vote */
} ent_i_span_t;
ent_err_t ent_i_store_span(int *first, int *last, bool *found, ent_store_t *st, ent_i_span_t what, const char *arg);

/* Row counts. */
typedef enum { ENT_I_COUNT_STATES, ENT_I_COUNT_UNGA_IDEAL } ent_i_count_t;
ent_err_t ent_i_store_count(int64_t *out, ent_store_t *st, ent_i_count_t what);

/*
 * The import log, oldest first: fn(ctx, format, path, rows, at) per import (strings borrowed for
 * the call, "" when NULL). A non-OK return from fn stops the read and is returned.
 */
typedef ent_err_t (*ent_i_import_fn)(void *ctx, const char *format, const char *path, int64_t rows, const char *at);
ent_err_t ent_i_store_import_log(ent_store_t *st, ent_i_import_fn fn, void *ctx);

/* The last year an import of `format` said its data covers (imports.last_year), 0 when none. */
ent_err_t ent_i_store_import_last_year(int64_t *out, ent_store_t *st, const char *format);

/*
 * Named row sources. Each row comes to `fn` as its columns, doubles (codes,
 * years and ids are exact integers; NULL is NaN), in the order listed;
 * `text` and [from, to] select where a source says so. Obligations are
 * ENT_OBL_* bits (defense 1, offense 2, neutral 4, nonagg 8, consul 16,
 * entente 32); a dataset lacking a column codes it 0.
 */
typedef enum {
    /* year, ccode: COW system members in [from, to], by year then code */
    ENT_I_ROWS_SYSTEM_MEMBERS,
    /* ccode: the states with a membership spell touching year `from`, ascending, once each */
    ENT_I_ROWS_SPELL_MEMBERS,
    /* year, ccode, cinc: the current NMC version's CINC in [from, to] (NULL CINC left out) */
    ENT_I_ROWS_CINC,
    /* ccode1, ccode2, year, obligations of 1 towards 2: alliance_dyad_years of dataset `text` in [from, to] */
    ENT_I_ROWS_ALLIANCE_DYADS,
    /* year, rcid: the UN roll calls of [from, to] (year: the date's, else the session's opening), by year, rcid */
    ENT_I_ROWS_UN_ROLL_CALLS,
    /* year, ccode, rcid, vote (1 yes, 2 abstain, 3 no; 8/9 absent/not a member): UN votes in [from, to],
     * by year then code */
    ENT_I_ROWS_UN_VOTES,
    /* ccode, k, year, vote: every UN vote, k the roll call's rank (0-based, by rcid) within its year */
    ENT_I_ROWS_UN_VOTES_RANKED,
    /* ccode, ideal: UN ideal points of session `from` (NULL points left out) */
    ENT_I_ROWS_IDEAL_SESSION,
    /* ccode, year, ideal: every UN ideal point (year = 1945 + session, as stored) */
    ENT_I_ROWS_IDEAL_YEARS,
    /* ccode1, ccode2, year, onset, ongoing: MID dyad-years of dataset `text` */
    ENT_I_ROWS_MID_DYADS,
    /* min(ccode1, ccode2), max(...), year: MID onsets of dataset `text`, once per unordered dyad-year */
    ENT_I_ROWS_MID_ONSETS,
    /* ccode1, ccode2, year, igos */
    ENT_I_ROWS_IGO_DYADS,
    /* ccode1, ccode2, year, flow1, flow2 */
    ENT_I_ROWS_TRADE_DYADS,
    /* ccode1, ccode2, year, km */
    ENT_I_ROWS_CAPITAL_DISTANCE,
    /* ccode1, ccode2, year */
    ENT_I_ROWS_FALSE_DYADS,
    /* ccode1, ccode2, conttype, first year, last year (NaN: open) */
    ENT_I_ROWS_CONTIGUITY,
    /* ccode1, ccode2, 0, first year, last year (NaN: open): Thompson-Dreyer strategic rivalries */
    ENT_I_ROWS_TSS_RIVALRIES,
    /* ccode, ccode, 0, first year, last year (NaN: open): major-power spells */
    ENT_I_ROWS_MAJOR_POWERS,
    /* ccode, year, value: regime scores and national trade */
    ENT_I_ROWS_POLYARCHY,
    ENT_I_ROWS_POLITY2,
    ENT_I_ROWS_UDS,
    ENT_I_ROWS_TRADE_IMPORTS,
    ENT_I_ROWS_TRADE_EXPORTS,
    ENT_I_ROWS_COUNT_ /* not a source */
} ent_i_rows_t;

/* Called once per row; a non-OK return stops the read and is returned. */
typedef ent_err_t (*ent_i_row_fn)(void *ctx, const double *col);

/* Reads one source into fn. ENT_ESTORE (naming the table) on a failed read; fn's own errors. */
ent_err_t ent_i_store_rows(ent_store_t *st, ent_i_rows_t src, const char *text, int from, int to, ent_i_row_fn fn,
                           void *ctx);

#endif
