/*
 * io_int.h -- the contract between the import driver (import.c) and each
 * format's importer (import_<format>.c).
 *
 * The driver opens the transaction, loads the known state codes, and commits
 * or rolls back. An importer reads its file(s) with the CSV reader, validates
 * every field, writes rows through the store's write side (store_write.h: the
 * importers hold no SQL), and counts into im->res. Most files are one row a
 * line into one table: those are described by an ent_i_table_t and read by
 * the one row loop, ent_i_import_table().
 * For a bad row it calls ent_i_import_reject(): under the default strict mode
 * that returns the error (the importer returns it at once and everything is
 * rolled back); under keep_going it reports the row and returns ENT_OK, and
 * the importer skips the row. Errors that break the file itself (a CSV
 * syntax error, I/O, out of memory, the store) are always fatal.
 */
#ifndef ENTENTE_IO_INT_H
#define ENTENTE_IO_INT_H

#include "entente/io.h"
#include "entente/util.h"
#include "store/store_write.h"
#include "util_int.h"

typedef struct {
    ent_store_t *st;
    const char *path;
    const ent_import_options_t *opts;
    ent_import_result_t *res;
    unsigned char known[ENT_I_MAX_CCODE]; /* known[c]: COW code c is in the states table */
    int64_t nknown;
} ent_i_import_t;

typedef ent_err_t (*ent_i_importer_fn)(ent_i_import_t *im);

/* See the file comment. `rc` and the message already raised describe the row. */
ent_err_t ent_i_import_reject(ent_i_import_t *im, ent_err_t rc);

/* ENT_EINTERRUPTED when the cancel flag is set; call every few thousand rows. */
ent_err_t ent_i_import_cancelled(ent_i_import_t *im);

/*
 * The next record of r: *more false at the end. Counts it in res->rows and
 * checks the cancel flag every 4096 rows. Errors (CSV syntax, I/O, an
 * interrupt) are the file's, never a row's: the importer stops.
 */
ent_err_t ent_i_import_next(ent_i_import_t *im, ent_csv_t *r, bool *more);

/* ENT_ENOTFOUND unless the store has a state list (with the hint to import cow-states). */
ent_err_t ent_i_import_need_states(ent_i_import_t *im);

/*
 * Reads field i as a COW state code that the store knows. Errors:
 * ENT_EPARSE/ENT_ERANGE (not a code), ENT_ENOTFOUND (unknown code).
 */
ent_err_t ent_i_import_ccode(ent_i_import_t *im, const ent_csv_t *r, size_t i, const char *what, int64_t *out);

/* Records a year in res->first_year/last_year. */
void ent_i_import_year(ent_i_import_t *im, int year);

/*
 * Runs an INSERT. A uniqueness violation becomes ENT_EEXISTS
 * "file:line: duplicate row: <key>" (key: a short description built by the
 * caller); other failures ENT_ESTORE.
 */
ent_err_t ent_i_import_step(ent_i_import_t *im, ent_i_stmt_t *s, const ent_csv_t *r, const char *key);

/*
 * A whole number, possibly written as a float ("1946.0", as pandas writes
 * them). ENT_ERANGE outside lo..hi or with a fraction; with `na`, an empty
 * field sets *na (and *out = 0).
 */
ent_err_t ent_i_import_whole(const ent_csv_t *r, size_t i, const char *what, int64_t lo, int64_t hi, int64_t *out,
                             bool *na);

/* ---------------------------------------------------------------- the table-driven row loop */

typedef enum {
    ENT_I_CCODE,   /* a COW state code the store knows */
    ENT_I_INT,     /* an integer in lo..hi */
    ENT_I_WHOLE,   /* a whole number in lo..hi, possibly written "1946.0" */
    ENT_I_REAL,    /* a number in lo..hi */
    ENT_I_IGNORED, /* required in the header, not read */
    ENT_I_DERIVED, /* not in the file: the table's rule sets it (an integer) */
} ent_i_coltype_t;

enum {
    ENT_I_NA = 1u << 0,     /* empty or NA is allowed: stored as NULL */
    ENT_I_NEG9 = 1u << 1,   /* -9 means missing (COW codebooks) */
    ENT_I_NEGMSG = 1u << 2, /* with NEG9: a value below lo is "negative value x" (NMC's wording) */
};

typedef struct {
    const char *name; /* the file's column, also the field errors name; NULL for ENT_I_DERIVED */
    ent_i_coltype_t type;
    double lo, hi;
    unsigned flags;
    const char *dest; /* the store's column; NULL: read and checked, not stored */
} ent_i_column_t;

typedef struct {
    int64_t i; /* the integer types */
    double d;  /* ENT_I_REAL */
    bool na;
} ent_i_value_t;

#define ENT_I_MAX_COLS 16

typedef struct ent_i_table ent_i_table_t;

/*
 * A row rule: checks across fields and sets derived values. v[] and ix[]
 * (the file's field of each column, -1 for a derived one) are indexed like
 * the table's columns; an error comes from ent_csv_error and rejects the row.
 */
typedef ent_err_t (*ent_i_rule_fn)(const ent_i_table_t *t, const ent_csv_t *r, const int *ix, ent_i_value_t *v);

struct ent_i_table {
    const char *table;
    const char *fixed_col, *fixed_val; /* a column given the same text in every row (dataset, source), or NULL */
    bool replace_fixed_only;           /* replace only the rows with fixed_val (one dataset of several); else all */
    size_t ncols;
    ent_i_column_t cols[ENT_I_MAX_COLS]; /* in the order they are checked */
    size_t rule_after;                   /* the rule runs once this many columns are read */
    ent_i_rule_fn rule;                  /* NULL when none */
    int year_col;                        /* the column holding the row's year (res->first/last_year) */
    size_t nkeys;
    int keys[4]; /* the columns that name a row in a duplicate-row error ("ccode 2, year 1816"), by dest */
    /* after every row is written (NULL when nothing to do): NMC names its version from the years */
    ent_err_t (*after)(ent_i_import_t *im, const ent_csv_t *r);
};

/*
 * The one row loop: opens im->path, checks the header, replaces the table's
 * dataset, then per record checks the field count, reads every column by its
 * type (errors name file, line, column and field), applies the rule, writes
 * the row and counts it. Bad rows go through ent_i_import_reject.
 */
ent_err_t ent_i_import_table(ent_i_import_t *im, const ent_i_table_t *t);

/* The importers (one file each). */
ent_err_t ent_i_import_cow_states(ent_i_import_t *im);
ent_err_t ent_i_import_cow_system(ent_i_import_t *im);
ent_err_t ent_i_import_cow_nmc(ent_i_import_t *im);
ent_err_t ent_i_import_cow_alliance(ent_i_import_t *im);
ent_err_t ent_i_import_atop(ent_i_import_t *im);
ent_err_t ent_i_import_atop_dyad_year(ent_i_import_t *im);
ent_err_t ent_i_import_unga_ideal(ent_i_import_t *im);
ent_err_t ent_i_import_unga_idealfp(ent_i_import_t *im);
ent_err_t ent_i_import_unga_agreement(ent_i_import_t *im);
ent_err_t ent_i_import_un_votes(ent_i_import_t *im);
ent_err_t ent_i_import_mme(ent_i_import_t *im);
ent_err_t ent_i_import_tss_rivalries(ent_i_import_t *im);
/* the panel's sources (import_panel.c) */
ent_err_t ent_i_import_cow_contdir(ent_i_import_t *im);
ent_err_t ent_i_import_capital_distance(ent_i_import_t *im);
ent_err_t ent_i_import_cow_majors(ent_i_import_t *im);
ent_err_t ent_i_import_democracy(ent_i_import_t *im);
ent_err_t ent_i_import_cow_mid_dyad(ent_i_import_t *im);
ent_err_t ent_i_import_gml_mid_dyad(ent_i_import_t *im);
ent_err_t ent_i_import_cow_igo_dyad(ent_i_import_t *im);
ent_err_t ent_i_import_cow_trade_dyad(ent_i_import_t *im);
ent_err_t ent_i_import_cow_trade_state(ent_i_import_t *im);
ent_err_t ent_i_import_false_dyads(ent_i_import_t *im);

#endif
