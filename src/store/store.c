/*
 * store.c -- opening, migrating and querying the SQLite store.
 *
 * WAL journaling lets readers (a future `entente serve`) run while an import
 * writes; synchronous=NORMAL is durable at each commit under WAL except on
 * power loss, which for a re-importable research store is the right trade.
 */
#include <stdio.h>
#include <string.h>

#include "schema.sql.h"
#include "store_int.h"
#include "util_int.h"

struct ent_store {
    sqlite3 *db;
    char *path;
    int schema_version;
};

sqlite3 *ent_i_store_db(ent_store_t *st) { return st->db; }

const char *ent_store_path(const ent_store_t *st) { return st->path; }

int ent_store_schema_version(const ent_store_t *st) { return st->schema_version; }

ent_err_t ent_i_store_error(ent_store_t *st, const char *what)
{
    int code = sqlite3_errcode(st->db);
    if (code == SQLITE_NOMEM) {
        return ent_i_nomem();
    }
    return ent_i_err(ENT_ESTORE, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

ent_err_t ent_i_store_exec(ent_store_t *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        ent_err_t rc = ent_i_err(ENT_ESTORE, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return rc;
    }
    return ENT_OK;
}

ent_err_t ent_i_store_prepare(ent_store_t *st, sqlite3_stmt **out, const char *sql)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        return ent_i_store_error(st, "prepare");
    }
    return ENT_OK;
}

ent_err_t ent_i_store_scalar(ent_store_t *st, const char *sql, int64_t *out)
{
    sqlite3_stmt *s;
    ent_err_t rc = ent_i_store_prepare(st, &s, sql);
    if (rc != ENT_OK) {
        return rc;
    }
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
    } else if (r == SQLITE_DONE) {
        *out = 0;
    } else {
        rc = ent_i_store_error(st, "query");
    }
    sqlite3_finalize(s);
    return rc;
}

ent_err_t ent_i_store_begin(ent_store_t *st) { return ent_i_store_exec(st, "BEGIN IMMEDIATE"); }

ent_err_t ent_i_store_commit(ent_store_t *st) { return ent_i_store_exec(st, "COMMIT"); }

void ent_i_store_rollback(ent_store_t *st)
{
    if (!sqlite3_get_autocommit(st->db)) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

static ent_err_t migrate(ent_store_t *st)
{
    int64_t v;
    ent_err_t rc = ent_i_store_scalar(st, "PRAGMA user_version", &v);
    if (rc != ENT_OK) {
        return rc;
    }
    if (v > ENT_SCHEMA_NMIGRATIONS) {
        return ent_i_err(ENT_ESTORE, "%s: schema version %lld is newer than this entente (%d); upgrade entente",
                         st->path, (long long)v, ENT_SCHEMA_NMIGRATIONS);
    }
    if (v == 0) {
        /* A non-empty database without our version is someone else's file. */
        int64_t tables;
        if ((rc = ent_i_store_scalar(st, "SELECT count(*) FROM sqlite_schema", &tables)) != ENT_OK) {
            return rc;
        }
        if (tables > 0) {
            return ent_i_err(ENT_ESTORE, "%s: not an entente store (it has tables but no schema version)",
                             st->path);
        }
    }
    for (int k = (int)v; k < ENT_SCHEMA_NMIGRATIONS; k++) {
        if ((rc = ent_i_store_begin(st)) != ENT_OK) {
            return rc;
        }
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", k + 1);
        if ((rc = ent_i_store_exec(st, ent_schema_migrations[k])) != ENT_OK ||
            (rc = ent_i_store_exec(st, pragma)) != ENT_OK || (rc = ent_i_store_commit(st)) != ENT_OK) {
            ent_i_store_rollback(st);
            return rc;
        }
    }
    st->schema_version = ENT_SCHEMA_NMIGRATIONS;
    return ENT_OK;
}

ent_err_t ent_store_open(ent_store_t **out, const char *path, const ent_store_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_STORE_OPTIONS_VERSION);
    ent_store_options_t def = ENT_STORE_OPTIONS_INIT;
    if (!opts) {
        opts = &def;
    }
    *out = NULL;
    ent_err_t rc = ENT_OK;
    ent_store_t *st = ent_calloc(1, sizeof *st);
    if (!st || !(st->path = ent_strdup(path))) {
        ent_free(st);
        return ent_i_nomem();
    }
    /* A store handle is used by one thread at a time (documented in store.h), so SQLite's
     * per-connection mutex is pure overhead on every bind and step. */
    int flags = (opts->readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) |
                SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        rc = ent_i_err(ENT_ESTORE, "%s: cannot open the store: %s", path,
                       st->db ? sqlite3_errmsg(st->db) : "out of memory");
        goto done;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 5000);
    /* The first statement is where SQLite notices a file that is not a database. */
    if (!opts->readonly) {
        if ((rc = ent_i_store_exec(st, "PRAGMA journal_mode=WAL")) != ENT_OK) {
            rc = ent_i_err(ENT_ESTORE, "%s: not an SQLite database or not writable (%s)", path, ent_errmsg());
            goto done;
        }
        ENT_CHECK(ent_i_store_exec(st, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"));
        ENT_CHECK(migrate(st));
    } else {
        int64_t v;
        if ((rc = ent_i_store_scalar(st, "PRAGMA user_version", &v)) != ENT_OK) {
            goto done;
        }
        if (v != ENT_SCHEMA_NMIGRATIONS) {
            rc = ent_i_err(ENT_ESTORE, "%s: schema version %lld, this entente needs %d (open it writable to migrate)",
                           path, (long long)v, ENT_SCHEMA_NMIGRATIONS);
            goto done;
        }
        st->schema_version = (int)v;
    }
done:
    if (rc != ENT_OK) {
        ent_store_close(st);
        return rc;
    }
    *out = st;
    return ENT_OK;
}

void ent_store_close(ent_store_t *st)
{
    if (!st) {
        return;
    }
    sqlite3_close_v2(st->db);
    ent_free(st->path);
    ent_free(st);
}

ent_err_t ent_i_store_known_states(ent_store_t *st, unsigned char *known, int64_t *n)
{
    memset(known, 0, ENT_I_MAX_CCODE);
    *n = 0;
    sqlite3_stmt *s;
    ent_err_t rc = ent_i_store_prepare(st, &s, "SELECT ccode FROM states");
    if (rc != ENT_OK) {
        return rc;
    }
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t c = sqlite3_column_int64(s, 0);
        if (c >= 0 && c < ENT_I_MAX_CCODE) {
            known[c] = 1;
            (*n)++;
        }
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading states");
    }
    sqlite3_finalize(s);
    return rc;
}

ent_err_t ent_store_summary(ent_store_summary_t *out, ent_store_t *st)
{
    memset(out, 0, sizeof *out);
    struct {
        int64_t *dst;
        const char *sql;
    } q[] = {
        { &out->states, "SELECT count(*) FROM states" },
        { &out->state_spells, "SELECT count(*) FROM state_spells" },
        { &out->system_years, "SELECT count(*) FROM system_years" },
        { &out->capabilities, "SELECT count(*) FROM capabilities" },
        { &out->pacts, "SELECT count(*) FROM pacts" },
        { &out->pact_members, "SELECT count(*) FROM pact_members" },
        { &out->alliance_dyad_years_atop, "SELECT count(*) FROM alliance_dyad_years WHERE dataset='atop'" },
        { &out->alliance_dyad_years_cow, "SELECT count(*) FROM alliance_dyad_years WHERE dataset='cow'" },
        { &out->unga_ideal, "SELECT count(*) FROM unga_ideal" },
        { &out->un_votes, "SELECT count(*) FROM un_votes" },
        { &out->un_roll_calls, "SELECT count(*) FROM un_roll_calls" },
        { &out->exercises, "SELECT count(*) FROM exercises" },
        { &out->exercise_participants, "SELECT count(*) FROM exercise_participants" },
        { &out->imports, "SELECT count(*) FROM imports" },
        { &out->rivalries, "SELECT count(*) FROM rivalries" },
    };
    ent_err_t rc;
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        if ((rc = ent_i_store_scalar(st, q[i].sql, q[i].dst)) != ENT_OK) {
            return rc;
        }
    }
    int64_t lo, hi;
    if ((rc = ent_i_store_scalar(st,
                                 "SELECT min(y) FROM (SELECT min(year) y FROM capabilities UNION ALL "
                                 "SELECT min(start_date)/10000 FROM pacts)",
                                 &lo)) != ENT_OK ||
        (rc = ent_i_store_scalar(st,
                                 "SELECT max(y) FROM (SELECT max(year) y FROM capabilities UNION ALL "
                                 "SELECT max(start_date)/10000 FROM pacts)",
                                 &hi)) != ENT_OK) {
        return rc;
    }
    out->first_year = (int)lo;
    out->last_year = (int)hi;
    return ENT_OK;
}
