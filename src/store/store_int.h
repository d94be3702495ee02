/*
 * store_int.h -- what the library's other modules (importers, the world
 * loader) may use of the store: the raw SQLite handle, transactions, and
 * translation of SQLite failures into entente errors.
 */
#ifndef ENTENTE_STORE_INT_H
#define ENTENTE_STORE_INT_H

#include <sqlite3.h>

#include "entente/store.h"

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

/* One SELECT returning a single integer (0 when no row). */
ent_err_t ent_i_store_scalar(ent_store_t *st, const char *sql, int64_t *out);

/*
 * Fills known[c] = 1 for each COW code c (0 <= c < ENT_I_MAX_CCODE) in the
 * states table; *n receives how many. COW codes are three-digit numbers.
 */
#define ENT_I_MAX_CCODE 1000
ent_err_t ent_i_store_known_states(ent_store_t *st, unsigned char *known, int64_t *n);

#endif
