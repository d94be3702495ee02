/*
 * store_int.h -- what the store's own files use of the store: the raw SQLite
 * handle, transactions, and translation of SQLite failures into entente
 * errors. Nothing above the store includes it: readers (measures) use
 * store_read.h and the importers store_write.h, and see no SQL.
 */
#ifndef ENTENTE_STORE_INT_H
#define ENTENTE_STORE_INT_H

#include <sqlite3.h>

#include "entente/store.h"
#include "store_read.h"
#include "store_write.h"

sqlite3 *ent_i_store_db(ent_store_t *st);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Rollback never fails in a way callers can act on. */
ent_err_t ent_i_store_begin(ent_store_t *st);
ent_err_t ent_i_store_commit(ent_store_t *st);
void ent_i_store_rollback(ent_store_t *st);

/* Runs SQL without results; ENT_ESTORE with SQLite's message on failure. */
ent_err_t ent_i_store_exec(ent_store_t *st, const char *sql);

/* Prepares a statement; ENT_ESTORE on failure. */
ent_err_t ent_i_store_prepare(ent_store_t *st, sqlite3_stmt **out, const char *sql);

/* Raises ENT_ESTORE "what: <sqlite message>" (ENT_ENOMEM for SQLITE_NOMEM). */
ent_err_t ent_i_store_error(ent_store_t *st, const char *what);

/*
 * The current NMC version, as an SQL subquery: the one rule every reader of
 * `capabilities` uses (the world loader, the similarity weights, coverage).
 * Among versions holding at least one CINC, the highest number in its name
 * wins ("nmc10" > "nmc7" > "nmc6": compared as numbers, not strings), the
 * name breaking ties. Readers take that version's rows only: a series from
 * one edition, never a mix of editions. ent_store_nmc_version() returns it.
 */
#define ENT_I_NMC_CURRENT_SQL                                                                                          \
    "(SELECT version FROM capabilities WHERE cinc IS NOT NULL GROUP BY version "                                       \
    "ORDER BY CAST(ltrim(version, 'abcdefghijklmnopqrstuvwxyz_') AS INTEGER) DESC, version DESC LIMIT 1)"

/* One SELECT returning a single integer (0 when no row). */
ent_err_t ent_i_store_scalar(ent_store_t *st, const char *sql, int64_t *out);

#endif
