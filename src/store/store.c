/*
 * store.c -- opening, migrating and querying the SQLite store.
 *
 * WAL journaling lets readers (a future `entente serve`) run while an import
 * writes; synchronous=NORMAL is durable at each commit under WAL except on
 * power loss, which for a re-importable research store is the right trade.
 *
 * Several processes may open one store at once, even one that does not exist yet (parallel
 * imports in a script): every step of opening either waits for the others through SQLite's busy
 * handler or is retried here where SQLite declines to wait (set_wal), so only a store kept busy
 * for longer than BUSY_TIMEOUT_MS fails, and then with a message that says so.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "schema.sql.h"
#include "store_int.h"
#include "util_int.h"

/* How long one statement waits for another process's lock before it reports the store busy:
 * far longer than any step of opening or a small import holds one, however loaded the machine. */
#define BUSY_TIMEOUT_MS 5000
_Static_assert(BUSY_TIMEOUT_MS == 5000, "busy_note() gives the timeout in its words");

struct ent_store {
    sqlite3 *db;
    char *path;
    int schema_version;
};

sqlite3 *ent_i_store_db(ent_store_t *st)
{
    return st->db;
}

const char *ent_store_path(const ent_store_t *st)
{
    return st->path;
}

int ent_store_schema_version(const ent_store_t *st)
{
    return st->schema_version;
}

/* "database is locked" alone reads like a permission problem: say that it was a wait that ran out. */
static const char *busy_note(int code)
{
    return (code & 0xff) == SQLITE_BUSY ? " (another process kept the store busy for more than "
                                          "5 s; try again when it has finished)"
                                        : "";
}

ent_err_t ent_i_store_error(ent_store_t *st, const char *what)
{
    int code = sqlite3_extended_errcode(st->db);
    if (code == SQLITE_NOMEM) {
        return ent_i_nomem();
    }
    /* sqlite3_errmsg() is SQLite's buffer, never ours: no overlap with the one ent_i_err writes */
    return ent_i_err(ENT_ESTORE, "%s: %s: %s%s", st->path, what, sqlite3_errmsg(st->db), busy_note(code));
}

ent_err_t ent_i_store_exec(ent_store_t *st, const char *sql)
{
    char *msg = NULL;
    int code = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (code != SQLITE_OK) {
        ent_err_t rc = ent_i_err(ENT_ESTORE, "%s: %s%s", st->path, msg ? msg : sqlite3_errmsg(st->db), busy_note(code));
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

ent_err_t ent_i_store_begin(ent_store_t *st)
{
    return ent_i_store_exec(st, "BEGIN IMMEDIATE");
}

ent_err_t ent_i_store_commit(ent_store_t *st)
{
    return ent_i_store_exec(st, "COMMIT");
}

void ent_i_store_rollback(ent_store_t *st)
{
    if (!sqlite3_get_autocommit(st->db)) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/*
 * What the file is, decided by reading only: nothing is written before it is known to be an
 * entente store (or an empty database about to become one).
 *   - not SQLite at all: SQLite's "file is not a database" on the first read;
 *   - application_id ENT_STORE_APPLICATION_ID: ours; user_version must be 1..current
 *     (older: migrated; newer: refused; zero or negative: damaged, refused);
 *   - application_id 0, no tables, user_version 0: an empty database, a new store;
 *   - application_id 0 with our tables and a user_version 1..current: a store written before
 *     entente stamped its application_id (stamped on the next writable open);
 *   - anything else -- another application_id, or tables that are not ours, even with a small
 *     user_version -- belongs to another program and is refused.
 */
typedef enum { FILE_NEW, FILE_OURS, FILE_OURS_UNSTAMPED } file_kind_t;

static ent_err_t classify(ent_store_t *st, file_kind_t *kind, int64_t *version)
{
    int64_t app = 0, v = 0, tables = 0, ours = 0; /* set by the reads; zeroed for -O2, which cannot see it */
    ent_err_t rc;
    if ((rc = ent_i_store_scalar(st, "PRAGMA application_id", &app)) != ENT_OK) {
        if ((sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_BUSY) {
            return rc; /* a store another process keeps locked is not a file of unknown kind */
        }
        /* the first read: where SQLite notices a file that is not a database */
        char why[512];
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(st->db));
        return ent_i_err(ENT_ESTORE, "%s: not an entente store: cannot read it as an SQLite database (%s)", st->path,
                         why);
    }
    if ((rc = ent_i_store_scalar(st, "PRAGMA user_version", &v)) != ENT_OK ||
        (rc = ent_i_store_scalar(st, "SELECT count(*) FROM sqlite_schema", &tables)) != ENT_OK ||
        (rc = ent_i_store_scalar(st,
                                 "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                                 "('meta', 'states', 'pacts', 'imports', 'capabilities')",
                                 &ours)) != ENT_OK) {
        return rc;
    }
    *version = v;
    if (app == ENT_STORE_APPLICATION_ID) {
        if (v < 1) {
            return ent_i_err(ENT_ESTORE, "%s: an entente store with schema version %lld: damaged, not opened", st->path,
                             (long long)v);
        }
        *kind = FILE_OURS;
    } else if (app != 0) {
        return ent_i_err(ENT_ESTORE,
                         "%s: not an entente store: an SQLite database of another program (application_id %lld); "
                         "left untouched",
                         st->path, (long long)app);
    } else if (tables == 0 && v == 0) {
        *kind = FILE_NEW;
    } else if (ours == 5 && v >= 1) {
        *kind = FILE_OURS_UNSTAMPED;
    } else {
        return ent_i_err(ENT_ESTORE,
                         "%s: not an entente store: an SQLite database of another program (%lld schema objects, "
                         "user_version %lld); left untouched",
                         st->path, (long long)tables, (long long)v);
    }
    if (v > ENT_SCHEMA_NMIGRATIONS) {
        return ent_i_err(ENT_ESTORE, "%s: schema version %lld is newer than this entente (%d); upgrade entente",
                         st->path, (long long)v, ENT_SCHEMA_NMIGRATIONS);
    }
    return ENT_OK;
}

/*
 * Brings the schema to the current version in one transaction. The version is read again
 * inside it: a second process creating the same new store waits on BEGIN IMMEDIATE (the busy
 * timeout) and then finds the migrations done.
 */
static ent_err_t migrate(ent_store_t *st)
{
    ent_err_t rc;
    if ((rc = ent_i_store_begin(st)) != ENT_OK) {
        return rc;
    }
    file_kind_t kind;
    int64_t v;
    if ((rc = classify(st, &kind, &v)) != ENT_OK) {
        ent_i_store_rollback(st);
        return rc;
    }
    for (int k = (int)v; k < ENT_SCHEMA_NMIGRATIONS && rc == ENT_OK; k++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", k + 1);
        if ((rc = ent_i_store_exec(st, ent_schema_migrations[k])) == ENT_OK) {
            rc = ent_i_store_exec(st, pragma);
        }
    }
    if (rc == ENT_OK && kind != FILE_OURS) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d", ENT_STORE_APPLICATION_ID);
        rc = ent_i_store_exec(st, pragma);
    }
    if (rc == ENT_OK) {
        rc = ent_i_store_commit(st);
    }
    if (rc != ENT_OK) {
        ent_i_store_rollback(st);
        return rc;
    }
    st->schema_version = ENT_SCHEMA_NMIGRATIONS;
    return ENT_OK;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * What the file is, read in one read transaction: classify's queries run as separate
 * statements, and without it another process's migration could commit between them -- the
 * user_version read before it (0) and the tables counted after it (all of ours), which is
 * neither a new store nor ours and so refused as another program's database.
 */
static ent_err_t classify_snapshot(ent_store_t *st, file_kind_t *kind, int64_t *version)
{
    ent_err_t rc = ent_i_store_exec(st, "BEGIN DEFERRED");
    if (rc != ENT_OK) {
        return rc;
    }
    if ((rc = classify(st, kind, version)) == ENT_OK) {
        rc = ent_i_store_commit(st);
    }
    ent_i_store_rollback(st); /* after a failure; a no-op after the commit */
    return rc;
}

/*
 * Puts the store in WAL mode, waiting out another process that holds it. The switch reads the
 * header in a read transaction and then upgrades it to a write transaction to change it, and
 * SQLite never invokes the busy handler for such an upgrade (waiting while holding a read lock
 * could deadlock; see sqlite3_busy_handler): two processes creating one new store at once get
 * SQLITE_BUSY at once, however long the busy timeout. Between attempts this connection holds no
 * lock, so retrying cannot deadlock. Only SQLITE_BUSY is retried, with SQLite's own back-off,
 * and for no longer in all than the busy timeout: any other error, or a store that stays
 * locked, is reported.
 */
static ent_err_t set_wal(ent_store_t *st)
{
    static const int delays_ms[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
    const int ndelays = (int)(sizeof delays_ms / sizeof delays_ms[0]);
    /* the bound is on the elapsed time, attempts included: each may itself wait in the busy
     * handler for its read lock */
    int64_t start = now_ms();
    for (int k = 0;; k++) {
        int code = sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (code == SQLITE_OK) {
            return ENT_OK;
        }
        int64_t left = BUSY_TIMEOUT_MS - (now_ms() - start);
        if ((code & 0xff) != SQLITE_BUSY || left <= 0) {
            char why[512];
            snprintf(why, sizeof why, "%s%s", sqlite3_errmsg(st->db), busy_note(code));
            return ent_i_err(ENT_ESTORE, "%s: cannot write the store (%s: %s)", st->path, st->path, why);
        }
        int d = delays_ms[k < ndelays ? k : ndelays - 1];
        sqlite3_sleep(d < left ? d : (int)left);
    }
}

ent_err_t ent_store_open(ent_store_t **out, const char *path, const ent_store_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_STORE_OPTIONS_VERSION);
    ent_store_options_t def = ENT_STORE_OPTIONS_INIT;
    if (!opts) {
        opts = &def;
    }
    *out = NULL;
    if (!path || !*path) {
        /* SQLite would open a private temporary database: an import would vanish at exit */
        return ent_i_err(ENT_EINVAL, "the store path is empty (--db '' or ENTENTE_DB='')");
    }
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if ((opts->readonly || opts->must_exist) && !exists && strcmp(path, ":memory:") != 0) {
        return ent_i_err(ENT_ESTORE, "%s: no such store (%s); a command that only reads never creates one", path,
                         strerror(errno));
    }
    if (exists && S_ISDIR(sb.st_mode)) {
        return ent_i_err(ENT_ESTORE, "%s: is a directory, not a store", path);
    }
    ent_err_t rc = ENT_OK;
    ent_store_t *st = ent_calloc(1, sizeof *st);
    if (!st || !(st->path = ent_strdup(path))) {
        ent_free(st);
        return ent_i_nomem();
    }
    /* A store handle is used by one thread at a time (documented in store.h), so SQLite's
     * per-connection mutex is pure overhead on every bind and step. */
    int flags =
        (opts->readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        char why[512];
        snprintf(why, sizeof why, "%s", st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
        if (vfs && strlen(path) >= (size_t)vfs->mxPathname) {
            /* SQLite's own limit, not the file system's: say so, or "unable to open" is a riddle */
            rc = ent_i_err(ENT_ESTORE, "%s: cannot open the store: %s (the path is %zu bytes; SQLite takes at most %d)",
                           path, why, strlen(path), vfs->mxPathname - 1);
        } else {
            rc = ent_i_err(ENT_ESTORE, "%s: cannot open the store: %s", path, why);
        }
        goto done;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    /* Read what the file is before anything writes to it (classify). */
    file_kind_t kind;
    int64_t v;
    ENT_CHECK(classify_snapshot(st, &kind, &v));
    if (!opts->readonly) {
        ENT_CHECK(set_wal(st));
        ENT_CHECK(ent_i_store_exec(st, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"));
        ENT_CHECK(migrate(st));
    } else {
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
        {&out->states, "SELECT count(*) FROM states"},
        {&out->state_spells, "SELECT count(*) FROM state_spells"},
        {&out->system_years, "SELECT count(*) FROM system_years"},
        {&out->capabilities, "SELECT count(*) FROM capabilities"},
        {&out->pacts, "SELECT count(*) FROM pacts"},
        {&out->pact_members, "SELECT count(*) FROM pact_members"},
        {&out->alliance_dyad_years_atop, "SELECT count(*) FROM alliance_dyad_years WHERE dataset='atop'"},
        {&out->alliance_dyad_years_cow, "SELECT count(*) FROM alliance_dyad_years WHERE dataset='cow'"},
        {&out->unga_ideal, "SELECT count(*) FROM unga_ideal"},
        {&out->un_votes, "SELECT count(*) FROM un_votes"},
        {&out->un_roll_calls, "SELECT count(*) FROM un_roll_calls"},
        {&out->unga_idealfp, "SELECT count(*) FROM unga_idealfp"},
        {&out->unga_agreement, "SELECT count(*) FROM unga_agreement"},
        {&out->exercises, "SELECT count(*) FROM exercises"},
        {&out->exercise_participants, "SELECT count(*) FROM exercise_participants"},
        {&out->imports, "SELECT count(*) FROM imports"},
        {&out->rivalries, "SELECT count(*) FROM rivalries"},
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

ent_err_t ent_store_nmc_version(char *buf, size_t n, ent_store_t *st)
{
    sqlite3_stmt *s;
    ent_err_t rc = ent_i_store_prepare(st, &s, "SELECT " ENT_I_NMC_CURRENT_SQL);
    if (rc != ENT_OK) {
        return rc;
    }
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
    } else if (r == SQLITE_ROW || r == SQLITE_DONE) {
        rc = ent_i_err(ENT_ENOTFOUND, "%s: the store holds no capabilities: import cow-nmc first", st->path);
    } else {
        rc = ent_i_store_error(st, "reading the NMC version");
    }
    sqlite3_finalize(s);
    return rc;
}
