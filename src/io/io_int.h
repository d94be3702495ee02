/*
 * io_int.h -- the contract between the import driver (import.c) and each
 * format's importer (import_<format>.c).
 *
 * The driver opens the transaction, loads the known state codes, and commits
 * or rolls back. An importer reads its file(s) with the CSV reader, validates
 * every field, writes rows with prepared statements, and counts into im->res.
 * For a bad row it calls ent_i_import_reject(): under the default strict mode
 * that returns the error (the importer returns it at once and everything is
 * rolled back); under keep_going it reports the row and returns ENT_OK, and
 * the importer skips the row. Errors that break the file itself (a CSV
 * syntax error, I/O, out of memory, the store) are always fatal.
 */
#ifndef ENTENTE_IO_INT_H
#define ENTENTE_IO_INT_H

#include <sqlite3.h>

#include "entente/io.h"
#include "entente/util.h"
#include "store/store_int.h"
#include "util_int.h"

typedef struct {
    ent_store_t *st;
    sqlite3 *db;
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
 * Steps an INSERT and resets it. A uniqueness violation becomes ENT_EEXISTS
 * "file:line: duplicate row: <key>" (key: a short description built by the
 * caller); other failures ENT_ESTORE.
 */
ent_err_t ent_i_import_step(ent_i_import_t *im, sqlite3_stmt *s, const ent_csv_t *r, const char *key);

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
