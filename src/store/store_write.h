/*
 * store_write.h -- the store's write side, for the importers (src/io): every
 * statement that changes the store is composed and run here, so no layer
 * above the store holds SQL text or an SQLite handle.
 *
 * An importer names what it writes -- a table and its columns, taken from
 * its own static tables, never from input -- and passes values through a
 * statement handle with typed setters. The handle keeps one prepared
 * statement for the whole file, so a row costs a bind and a step, as before.
 * Identifiers are checked (letters, digits, '_'): a caller bug is an
 * ENT_EINVAL, never an injection. Library-private (ent_i_).
 */
#ifndef ENTENTE_STORE_WRITE_H
#define ENTENTE_STORE_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "entente/io.h"
#include "entente/store.h"
#include "store_read.h"

/* One prepared statement (an INSERT or a keyed lookup). Opaque; free with ent_i_stmt_free. */
typedef struct ent_i_stmt ent_i_stmt_t;

/*
 * An import's transaction: a large page cache and no checkpoints until the
 * end (a big import touches many pages), then BEGIN IMMEDIATE. end() commits
 * when `commit` is true, else rolls back (keeping the message already
 * raised), and restores SQLite's default checkpointing either way.
 */
ent_err_t ent_i_store_bulk_begin(ent_store_t *st);
ent_err_t ent_i_store_bulk_end(ent_store_t *st, bool commit);

/*
 * DELETE FROM table, or only its rows where col = value when col is given:
 * an import replaces its dataset. ENT_ESTORE "path: message" on failure.
 */
ent_err_t ent_i_store_clear(ent_store_t *st, const char *table, const char *col, const char *value);

/*
 * Moves the rows where col = from to col = to, replacing those that had
 * `to` already (a staged dataset takes its final name once it is known).
 */
ent_err_t ent_i_store_relabel(ent_store_t *st, const char *table, const char *col, const char *from, const char *to);

/*
 * INSERT INTO table(cols) VALUES (?, ...) repeated for `nrows` rows per
 * statement (1 for a row at a time; more to batch rows known to be unique).
 * Value k of row i is parameter i * ncols + k. *out is freed by the caller.
 */
ent_err_t ent_i_store_insert(ent_i_stmt_t **out, ent_store_t *st, const char *table, const char *const *cols,
                             size_t ncols, size_t nrows);

/*
 * The state list's upsert: ccode, abbr, name, iso3, source (parameters 0..4).
 * A code already present takes the new abbreviation and name and keeps an
 * ISO3 it had (the shipped world's, say).
 */
ent_err_t ent_i_store_upsert_state(ent_i_stmt_t **out, ent_store_t *st);

/*
 * SELECT cols FROM table WHERE keys[0] = ? AND ...: the keys are parameters
 * 0..nkeys-1; ent_i_stmt_find runs it and the getters read column k of the
 * row found.
 */
ent_err_t ent_i_store_lookup(ent_i_stmt_t **out, ent_store_t *st, const char *table, const char *const *cols,
                             size_t ncols, const char *const *keys, size_t nkeys);

/* Parameter k (0-based). Text is copied. */
void ent_i_stmt_int(ent_i_stmt_t *s, size_t k, int64_t v);
void ent_i_stmt_real(ent_i_stmt_t *s, size_t k, double v);
void ent_i_stmt_text(ent_i_stmt_t *s, size_t k, const char *v); /* NULL binds NULL */
void ent_i_stmt_null(ent_i_stmt_t *s, size_t k);

/*
 * Runs an INSERT and resets it. ENT_EEXISTS (with a short message the
 * caller replaces by one naming its row) when a uniqueness or key
 * constraint refuses the row; ENT_ESTORE "path: what: message" (ENT_ENOMEM)
 * for anything else.
 */
ent_err_t ent_i_stmt_insert(ent_i_stmt_t *s, const char *what);

/* The id of the row the last successful insert wrote (an INTEGER PRIMARY KEY). */
int64_t ent_i_stmt_rowid(ent_i_stmt_t *s);

/*
 * Runs a lookup: *found tells whether a row matched; its columns stay
 * readable until ent_i_stmt_reset, which the caller calls before the next
 * bind either way.
 */
ent_err_t ent_i_stmt_find(ent_i_stmt_t *s, const char *what, bool *found);
void ent_i_stmt_reset(ent_i_stmt_t *s);
bool ent_i_stmt_is_null(ent_i_stmt_t *s, size_t k);
int64_t ent_i_stmt_get_int(ent_i_stmt_t *s, size_t k);
double ent_i_stmt_get_real(ent_i_stmt_t *s, size_t k);
const char *ent_i_stmt_get_text(ent_i_stmt_t *s, size_t k); /* borrowed until the reset; NULL for NULL */

/* NULL-safe. */
void ent_i_stmt_free(ent_i_stmt_t *s);

/* Records a finished import in the import log (the provenance records cite it). */
ent_err_t ent_i_store_log_import(ent_store_t *st, const ent_import_result_t *res, const char *path);

/*
 * Fills known[c] = 1 for each COW code c (0 <= c < ENT_I_MAX_CCODE) in the
 * states table; *n receives how many.
 */
ent_err_t ent_i_store_known_states(ent_store_t *st, unsigned char *known, int64_t *n);

#endif
