/*
 * write.c -- the store's write side (store_write.h): the statements the
 * importers run, composed here from the table and column names they pass.
 *
 * Names come from the importers' static tables; they are still checked, so a
 * typo is a clear ENT_EINVAL at prepare time rather than odd SQL. Values are
 * always bound, never spliced into the text.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "util_int.h"

struct ent_i_stmt {
    ent_store_t *st;
    sqlite3_stmt *s;
};

static bool is_ident(const char *s)
{
    if (!s || !*s) {
        return false;
    }
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) {
            return false;
        }
    }
    return true;
}

static ent_err_t check_idents(const char *table, const char *const *cols, size_t n)
{
    if (!is_ident(table)) {
        return ent_i_err(ENT_EINVAL, "store write: '%s' is not a table name", table ? table : "(null)");
    }
    for (size_t k = 0; k < n; k++) {
        if (!is_ident(cols[k])) {
            return ent_i_err(ENT_EINVAL, "store write: '%s' is not a column name of %s", cols[k] ? cols[k] : "(null)",
                             table);
        }
    }
    return ENT_OK;
}

/* Prepares `sql` into a new handle; takes care of the buffer either way. */
static ent_err_t open_stmt(ent_i_stmt_t **out, ent_store_t *st, ent_buf_t *sql, ent_err_t rc)
{
    *out = NULL;
    ent_i_stmt_t *s = NULL;
    if (rc == ENT_OK && !(s = ent_calloc(1, sizeof *s))) {
        rc = ent_i_nomem();
    }
    if (rc == ENT_OK) {
        s->st = st;
        rc = ent_i_store_prepare(st, &s->s, ent_buf_cstr(sql));
    }
    ent_buf_destroy(sql);
    if (rc != ENT_OK) {
        ent_free(s);
        return rc;
    }
    *out = s;
    return ENT_OK;
}

/* Runs one statement with up to three text parameters (NULL: not bound). */
static ent_err_t run(ent_store_t *st, const char *sql, const char *p1, const char *p2, const char *p3)
{
    sqlite3_stmt *s;
    ent_err_t rc = ent_i_store_prepare(st, &s, sql);
    if (rc != ENT_OK) {
        return rc;
    }
    const char *p[3] = {p1, p2, p3};
    for (int k = 0; k < 3; k++) {
        if (p[k]) {
            sqlite3_bind_text(s, k + 1, p[k], -1, SQLITE_STATIC);
        }
    }
    if (sqlite3_step(s) != SQLITE_DONE) {
        /* the message importers have always given for a failed replace: the store and SQLite's words */
        rc = ent_i_err(ENT_ESTORE, "%s: %s", ent_store_path(st), sqlite3_errmsg(ent_i_store_db(st)));
    }
    sqlite3_finalize(s);
    return rc;
}

ent_err_t ent_i_store_bulk_begin(ent_store_t *st)
{
    /* A big import touches many pages: a 256 MiB page cache keeps the B-trees in memory until the
     * commit, and checkpointing waits for the end instead of interrupting the import. */
    ent_err_t rc = ent_i_store_exec(st, "PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=0");
    return rc == ENT_OK ? ent_i_store_begin(st) : rc;
}

ent_err_t ent_i_store_bulk_end(ent_store_t *st, bool commit)
{
    ent_err_t rc = ENT_OK;
    if (commit) {
        rc = ent_i_store_commit(st);
    }
    if (!commit || rc != ENT_OK) {
        ent_i_store_rollback(st);
    }
    /* back to SQLite's default for later writers; exec'd directly so a failure here cannot
     * overwrite the message of the error being reported */
    sqlite3_exec(ent_i_store_db(st), "PRAGMA wal_autocheckpoint=1000", NULL, NULL, NULL);
    return rc;
}

ent_err_t ent_i_store_clear(ent_store_t *st, const char *table, const char *col, const char *value)
{
    ent_buf_t sql = ENT_BUF_INIT;
    ent_err_t rc = check_idents(table, col ? &col : NULL, col ? 1 : 0);
    if (rc == ENT_OK) {
        rc = col ? ent_buf_printf(&sql, "DELETE FROM %s WHERE %s = ?", table, col)
                 : ent_buf_printf(&sql, "DELETE FROM %s", table);
    }
    if (rc == ENT_OK) {
        rc = run(st, ent_buf_cstr(&sql), col ? value : NULL, NULL, NULL);
    }
    ent_buf_destroy(&sql);
    return rc;
}

ent_err_t ent_i_store_relabel(ent_store_t *st, const char *table, const char *col, const char *from, const char *to)
{
    ent_buf_t sql = ENT_BUF_INIT;
    ent_err_t rc = check_idents(table, &col, 1);
    if (rc == ENT_OK) {
        rc = ent_buf_printf(&sql, "DELETE FROM %s WHERE %s = ?", table, col);
    }
    if (rc == ENT_OK) {
        rc = run(st, ent_buf_cstr(&sql), to, NULL, NULL);
    }
    ent_buf_clear(&sql);
    if (rc == ENT_OK) {
        rc = ent_buf_printf(&sql, "UPDATE %s SET %s = ?1 WHERE %s = ?2", table, col, col);
    }
    if (rc == ENT_OK) {
        rc = run(st, ent_buf_cstr(&sql), to, from, NULL);
    }
    ent_buf_destroy(&sql);
    return rc;
}

ent_err_t ent_i_store_insert(ent_i_stmt_t **out, ent_store_t *st, const char *table, const char *const *cols,
                             size_t ncols, size_t nrows)
{
    assert(ncols > 0 && nrows > 0);
    ent_buf_t sql = ENT_BUF_INIT;
    ent_err_t rc = check_idents(table, cols, ncols);
    if (rc == ENT_OK) {
        rc = ent_buf_printf(&sql, "INSERT INTO %s(", table);
    }
    for (size_t k = 0; k < ncols && rc == ENT_OK; k++) {
        rc = ent_buf_printf(&sql, "%s%s", k ? ", " : "", cols[k]);
    }
    if (rc == ENT_OK) {
        rc = ent_buf_puts(&sql, ") VALUES ");
    }
    for (size_t i = 0; i < nrows && rc == ENT_OK; i++) {
        rc = ent_buf_puts(&sql, i ? ",(?" : "(?");
        for (size_t k = 1; k < ncols && rc == ENT_OK; k++) {
            rc = ent_buf_puts(&sql, ",?");
        }
        if (rc == ENT_OK) {
            rc = ent_buf_puts(&sql, ")");
        }
    }
    return open_stmt(out, st, &sql, rc);
}

ent_err_t ent_i_store_upsert_state(ent_i_stmt_t **out, ent_store_t *st)
{
    ent_buf_t sql = ENT_BUF_INIT;
    ent_err_t rc = ent_buf_puts(&sql, "INSERT INTO states(ccode, abbr, name, iso3, source) VALUES (?,?,?,?,?) "
                                      "ON CONFLICT(ccode) DO UPDATE SET abbr=excluded.abbr, name=excluded.name, "
                                      "iso3=coalesce(states.iso3, excluded.iso3)");
    return open_stmt(out, st, &sql, rc);
}

ent_err_t ent_i_store_lookup(ent_i_stmt_t **out, ent_store_t *st, const char *table, const char *const *cols,
                             size_t ncols, const char *const *keys, size_t nkeys)
{
    assert(ncols > 0 && nkeys > 0);
    ent_buf_t sql = ENT_BUF_INIT;
    ent_err_t rc = check_idents(table, cols, ncols);
    if (rc == ENT_OK) {
        rc = check_idents(table, keys, nkeys);
    }
    if (rc == ENT_OK) {
        rc = ent_buf_puts(&sql, "SELECT ");
    }
    for (size_t k = 0; k < ncols && rc == ENT_OK; k++) {
        rc = ent_buf_printf(&sql, "%s%s", k ? ", " : "", cols[k]);
    }
    if (rc == ENT_OK) {
        rc = ent_buf_printf(&sql, " FROM %s WHERE ", table);
    }
    for (size_t k = 0; k < nkeys && rc == ENT_OK; k++) {
        rc = ent_buf_printf(&sql, "%s%s = ?", k ? " AND " : "", keys[k]);
    }
    return open_stmt(out, st, &sql, rc);
}

void ent_i_stmt_int(ent_i_stmt_t *s, size_t k, int64_t v)
{
    sqlite3_bind_int64(s->s, (int)k + 1, v);
}

void ent_i_stmt_real(ent_i_stmt_t *s, size_t k, double v)
{
    sqlite3_bind_double(s->s, (int)k + 1, v);
}

void ent_i_stmt_text(ent_i_stmt_t *s, size_t k, const char *v)
{
    if (v) {
        sqlite3_bind_text(s->s, (int)k + 1, v, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(s->s, (int)k + 1);
    }
}

void ent_i_stmt_null(ent_i_stmt_t *s, size_t k)
{
    sqlite3_bind_null(s->s, (int)k + 1);
}

ent_err_t ent_i_stmt_insert(ent_i_stmt_t *s, const char *what)
{
    int rc = sqlite3_step(s->s);
    sqlite3_reset(s->s);
    if (rc == SQLITE_DONE) {
        return ENT_OK;
    }
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        return ent_i_err(ENT_EEXISTS, "%s: %s: duplicate row", ent_store_path(s->st), what);
    }
    return ent_i_store_error(s->st, what);
}

ent_err_t ent_i_stmt_find(ent_i_stmt_t *s, const char *what, bool *found)
{
    int rc = sqlite3_step(s->s);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        return ENT_OK;
    }
    sqlite3_reset(s->s);
    return ent_i_store_error(s->st, what);
}

int64_t ent_i_stmt_rowid(ent_i_stmt_t *s)
{
    return sqlite3_last_insert_rowid(ent_i_store_db(s->st));
}

void ent_i_stmt_reset(ent_i_stmt_t *s)
{
    sqlite3_reset(s->s);
}

bool ent_i_stmt_is_null(ent_i_stmt_t *s, size_t k)
{
    return sqlite3_column_type(s->s, (int)k) == SQLITE_NULL;
}

int64_t ent_i_stmt_get_int(ent_i_stmt_t *s, size_t k)
{
    return sqlite3_column_int64(s->s, (int)k);
}

double ent_i_stmt_get_real(ent_i_stmt_t *s, size_t k)
{
    return sqlite3_column_double(s->s, (int)k);
}

const char *ent_i_stmt_get_text(ent_i_stmt_t *s, size_t k)
{
    return (const char *)sqlite3_column_text(s->s, (int)k);
}

void ent_i_stmt_free(ent_i_stmt_t *s)
{
    if (s) {
        sqlite3_finalize(s->s);
        ent_free(s);
    }
}

ent_err_t ent_i_store_log_import(ent_store_t *st, const ent_import_result_t *res, const char *path)
{
    static const char *const cols[] = {"format", "path", "rows", "inserted", "rejected", "first_year", "last_year"};
    ent_i_stmt_t *s;
    ent_err_t rc = ent_i_store_insert(&s, st, "imports", cols, 7, 1);
    if (rc != ENT_OK) {
        return rc;
    }
    ent_i_stmt_text(s, 0, res->format);
    ent_i_stmt_text(s, 1, path);
    ent_i_stmt_int(s, 2, res->rows);
    ent_i_stmt_int(s, 3, res->inserted);
    ent_i_stmt_int(s, 4, res->rejected);
    ent_i_stmt_int(s, 5, res->first_year);
    ent_i_stmt_int(s, 6, res->last_year);
    rc = ent_i_stmt_insert(s, "recording the import");
    ent_i_stmt_free(s);
    return rc;
}
