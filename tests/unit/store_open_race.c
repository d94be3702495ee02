/*
 * store_open_race.c -- opening a store while another process writes it, at the two moments
 * where that once failed (tests/cli/test_reliability_store.sh saw both, rarely, as four
 * imports created one store at once). Instead of hoping a scheduler interleaves processes
 * badly, the other writer is made to act at the exact moment: a statement trace, installed on
 * every connection through sqlite3_auto_extension, runs it from a second connection when the
 * store's connection starts a given statement. Deterministic, no sleeps, no threads.
 *
 *   1. classify's reads must see one snapshot: a schema committed between its read of
 *      user_version (0) and its count of the tables made a new store look like another
 *      program's database, refused.
 *   2. PRAGMA journal_mode=WAL upgrades a read transaction to a write one, for which SQLite
 *      never invokes the busy handler: a writer holding the new file at that moment made the
 *      open fail at once with "database is locked" instead of waiting for it.
 */
#include "check.h"

#include <sqlite3.h>

/* What the trace does, and what it saw; one scenario at a time. */
static struct {
    const char *path; /* the store the other writer opens */
    const char *when; /* the statement (a prefix of its SQL) that triggers it */
    int fired;        /* times the statement started */
    int hold;         /* journal-mode scenarios: attempts the other writer holds its lock through */
    sqlite3 *holder;  /* the other writer, holding its write lock */
} race;

/* The other writer commits the five tables of a store schema (user_version 1) if it can, without
 * waiting: a lock held by the store's connection makes it give up, which is the point. */
static void commit_schema_now(void)
{
    sqlite3 *w;
    if (sqlite3_open(race.path, &w) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s: %s\n", race.path, sqlite3_errmsg(w));
        check_failures++;
        sqlite3_close(w);
        return;
    }
    int rc = sqlite3_exec(w,
                          "BEGIN IMMEDIATE; CREATE TABLE meta(k); CREATE TABLE states(k); CREATE TABLE pacts(k); "
                          "CREATE TABLE imports(k); CREATE TABLE capabilities(k); PRAGMA user_version = 1; COMMIT",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_exec(w, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_close(w);
}

static int on_statement(unsigned type, void *ctx, void *p, void *x)
{
    (void)ctx;
    (void)x;
    const char *sql = sqlite3_sql((sqlite3_stmt *)p);
    if (type != SQLITE_TRACE_STMT || !race.when || !sql || strncmp(sql, race.when, strlen(race.when)) != 0) {
        return 0;
    }
    race.fired++;
    if (race.when[0] == 'S' && race.fired == 1) {
        commit_schema_now();
    } else if (race.when[0] == 'P' && race.fired == 1) {
        /* take the write lock of the new file (rollback journal: RESERVED) and keep it */
        if (sqlite3_open(race.path, &race.holder) != SQLITE_OK ||
            sqlite3_exec(race.holder, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            fprintf(stderr, "cannot lock %s: %s\n", race.path, sqlite3_errmsg(race.holder));
            check_failures++;
        }
    } else if (race.when[0] == 'P' && race.holder && race.fired > race.hold) {
        /* the switch is being tried again: the other writer finishes, as a process would */
        sqlite3_exec(race.holder, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(race.holder);
        race.holder = NULL;
    }
    return 0;
}

static int install_trace(sqlite3 *db, const char **err, const struct sqlite3_api_routines *api)
{
    (void)err;
    (void)api;
    sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_statement, NULL);
    return SQLITE_OK;
}

static void fresh(char *buf, size_t n, const char *name)
{
    const char *tmp = getenv("ENT_TMP") ? getenv("ENT_TMP") : ".";
    snprintf(buf, n, "%s/%s", tmp, name);
    const char *side[] = {"", "-wal", "-shm", "-journal"};
    for (size_t k = 0; k < sizeof side / sizeof side[0]; k++) {
        char f[600];
        snprintf(f, sizeof f, "%s%s", buf, side[k]);
        remove(f);
    }
}

int main(void)
{
    char p[512];
    ent_store_t *st = NULL;
    CHECK(sqlite3_auto_extension((void (*)(void))install_trace) == SQLITE_OK);

    /* 1. a schema committed in the middle of classify: it must not see half of it */
    fresh(p, sizeof p, "store_race_classify.db");
    race.path = p;
    race.when = "SELECT count(*) FROM sqlite_schema";
    CHECK_OK(ent_store_open(&st, p, NULL));
    CHECK(race.fired >= 1); /* the moment came (else this test proves nothing) */
    if (st) {
        CHECK(ent_store_schema_version(st) == ENT_STORE_SCHEMA_VERSION);
    }
    ent_store_close(st);
    st = NULL;

    /* 2. the journal-mode switch meets another writer: it waits for it, then succeeds */
    fresh(p, sizeof p, "store_race_wal.db");
    memset(&race, 0, sizeof race);
    race.path = p;
    race.when = "PRAGMA journal_mode=WAL";
    race.hold = 1;
    CHECK_OK(ent_store_open(&st, p, NULL));
    CHECK(race.fired >= 2); /* refused once while held, retried */
    CHECK(race.holder == NULL);
    if (st) {
        CHECK(ent_store_schema_version(st) == ENT_STORE_SCHEMA_VERSION);
    }
    ent_store_close(st);
    st = NULL;

    /* 3. a writer that never lets go: the open gives up after the busy timeout, saying why */
    fresh(p, sizeof p, "store_race_stuck.db");
    memset(&race, 0, sizeof race);
    race.path = p;
    race.when = "PRAGMA journal_mode=WAL";
    race.hold = 1 << 30; /* never released */
    CHECK_RC(ent_store_open(&st, p, NULL), ENT_ESTORE);
    CHECK_CONTAINS(ent_errmsg(), "database is locked");
    CHECK_CONTAINS(ent_errmsg(), "another process kept the store busy");
    CHECK(st == NULL);
    if (race.holder) {
        sqlite3_exec(race.holder, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(race.holder);
    }
    race.when = NULL;
    sqlite3_reset_auto_extension();
    return CHECK_DONE();
}
