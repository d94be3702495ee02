/*
 * store_open.c -- creating, reopening and migrating the store, and refusing
 * files that are not entente stores.
 */
#include "check.h"

#include <sqlite3.h>

static void path_in_tmp(char *buf, size_t n, const char *name)
{
    const char *tmp = getenv("ENT_TMP") ? getenv("ENT_TMP") : ".";
    snprintf(buf, n, "%s/%s", tmp, name);
    remove(buf);
    char side[600];
    snprintf(side, sizeof side, "%s-wal", buf);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", buf);
    remove(side);
}

int main(void)
{
    char p[512];
    ent_store_t *st;
    ent_store_options_t ro = ENT_STORE_OPTIONS_INIT;
    ro.readonly = true;

    /* a new store has the current schema, and reopening keeps it */
    path_in_tmp(p, sizeof p, "store_new.db");
    CHECK_RC(ent_store_open(&st, p, &ro), ENT_ESTORE); /* read-only never creates */
    CHECK_OK(ent_store_open(&st, p, NULL));
    CHECK(ent_store_schema_version(st) == ENT_STORE_SCHEMA_VERSION);
    ent_store_summary_t s;
    CHECK_OK(ent_store_summary(&s, st));
    CHECK(s.states == 0 && s.first_year == 0);
    ent_store_close(st);
    CHECK_OK(ent_store_open(&st, p, &ro));
    CHECK_STR(ent_store_path(st), p);
    ent_store_close(st);
    ent_store_close(NULL); /* NULL-safe */

    /* the tables of schema v3 (the panel's sources): dropped to make a v2 or v1 store by hand */
    static const char *const drop_v3 =
        "DROP TABLE contiguity; DROP TABLE capital_distance; DROP TABLE major_powers; DROP TABLE regime;"
        "DROP TABLE mid_dyad_years; DROP TABLE igo_dyad_years; DROP TABLE trade_dyad_years;"
        "DROP TABLE trade_state_years; DROP TABLE false_dyads;";

    /* a v2 store (rivalries; no panel sources, no v4 UN tables) holding data is migrated to the
     * current version and keeps its data */
    {
        sqlite3 *old;
        CHECK(sqlite3_open(p, &old) == SQLITE_OK);
        CHECK(sqlite3_exec(old, drop_v3, NULL, NULL, NULL) == SQLITE_OK);
        CHECK(sqlite3_exec(old, "DROP TABLE unga_idealfp; DROP TABLE unga_agreement;", NULL, NULL, NULL) == SQLITE_OK);
        CHECK(sqlite3_exec(old,
                           "INSERT INTO rivalries VALUES('tss', 7, 'A-B', 2, 20, 1900, NULL, 1, 0, 0, 0, 'test');"
                           "PRAGMA user_version = 2",
                           NULL, NULL, NULL) == SQLITE_OK);
        sqlite3_close(old);
        CHECK_RC(ent_store_open(&st, p, &ro), ENT_ESTORE); /* read-only does not migrate */
        CHECK_CONTAINS(ent_errmsg(), "open it writable to migrate");
        CHECK_OK(ent_store_open(&st, p, NULL));
        if (st) {
            CHECK(ent_store_schema_version(st) == ENT_STORE_SCHEMA_VERSION);
            CHECK_OK(ent_store_summary(&s, st));
            CHECK(s.rivalries == 1);
            ent_store_close(st);
        }
        CHECK(sqlite3_open(p, &old) == SQLITE_OK);
        sqlite3_stmt *q;
        CHECK(sqlite3_prepare_v2(old,
                                 "SELECT (SELECT count(*) FROM contiguity) + (SELECT count(*) FROM capital_distance) + "
                                 "(SELECT count(*) FROM major_powers) + (SELECT count(*) FROM regime) + "
                                 "(SELECT count(*) FROM mid_dyad_years) + (SELECT count(*) FROM igo_dyad_years) + "
                                 "(SELECT count(*) FROM trade_dyad_years) + (SELECT count(*) FROM trade_state_years) + "
                                 "(SELECT count(*) FROM false_dyads), (SELECT rid FROM rivalries)",
                                 -1, &q, NULL) == SQLITE_OK);
        CHECK(sqlite3_step(q) == SQLITE_ROW);
        CHECK(sqlite3_column_int(q, 0) == 0); /* the new tables exist, empty */
        CHECK(sqlite3_column_int(q, 1) == 7);
        sqlite3_finalize(q);
        CHECK(sqlite3_exec(old, "DELETE FROM rivalries", NULL, NULL, NULL) == SQLITE_OK);
        sqlite3_close(old);
    }

    /* a store written by an older entente (schema v1: no rivalries table) is migrated forward */
    {
        sqlite3 *old;
        CHECK(sqlite3_open(p, &old) == SQLITE_OK);
        CHECK(sqlite3_exec(old, drop_v3, NULL, NULL, NULL) == SQLITE_OK);
        CHECK(sqlite3_exec(old,
                           "DROP TABLE rivalries; DROP TABLE unga_idealfp; DROP TABLE unga_agreement; "
                           "PRAGMA user_version = 1",
                           NULL, NULL, NULL) == SQLITE_OK);
        sqlite3_close(old);
        CHECK_OK(ent_store_open(&st, p, NULL));
        if (st) {
            CHECK(ent_store_schema_version(st) == ENT_STORE_SCHEMA_VERSION);
            CHECK_OK(ent_store_summary(&s, st));
            CHECK(s.rivalries == 0 && s.unga_idealfp == 0 && s.unga_agreement == 0);
            ent_store_close(st);
        }
        CHECK_RC(ent_store_open(&st, p, &ro), ENT_OK);
        ent_store_close(st);
    }

    /* WAL is on */
    sqlite3 *db;
    CHECK(sqlite3_open(p, &db) == SQLITE_OK);
    sqlite3_stmt *q;
    CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(q) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    /* a store from a newer entente is refused, not damaged */
    CHECK(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_RC(ent_store_open(&st, p, NULL), ENT_ESTORE);
    CHECK_CONTAINS(ent_errmsg(), "newer than this entente");

    /* someone else's SQLite database */
    path_in_tmp(p, sizeof p, "store_foreign.db");
    CHECK(sqlite3_open(p, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_RC(ent_store_open(&st, p, NULL), ENT_ESTORE);
    CHECK_CONTAINS(ent_errmsg(), "not an entente store");

    /* a file that is not a database at all */
    path_in_tmp(p, sizeof p, "store_text.db");
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (f) {
        for (int i = 0; i < 200; i++) {
            fputs("this is not a database, just text\n", f);
        }
        fclose(f);
    }
    CHECK_RC(ent_store_open(&st, p, NULL), ENT_ESTORE);
    CHECK_CONTAINS(ent_errmsg(), "store_text.db");

    /* a directory that does not exist */
    CHECK_RC(ent_store_open(&st, "/nonexistent/dir/x.db", NULL), ENT_ESTORE);

    /* issue 9: another program's database with a small user_version is refused, not migrated into */
    path_in_tmp(p, sizeof p, "store_foreign_v1.db");
    CHECK(sqlite3_open(p, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE TABLE t(x); PRAGMA user_version = 1", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_RC(ent_store_open(&st, p, NULL), ENT_ESTORE);
    CHECK_CONTAINS(ent_errmsg(), "another program");
    CHECK(sqlite3_open(p, &db) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &q, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1); /* no tables added */
    sqlite3_finalize(q);
    sqlite3_close(db);
    /* ... and one with a foreign application_id, even when empty */
    path_in_tmp(p, sizeof p, "store_appid.db");
    CHECK(sqlite3_open(p, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "PRAGMA application_id = 7", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_RC(ent_store_open(&st, p, NULL), ENT_ESTORE);
    CHECK_CONTAINS(ent_errmsg(), "application_id 7");
    /* a new store is stamped as ours */
    path_in_tmp(p, sizeof p, "store_stamped.db");
    CHECK_OK(ent_store_open(&st, p, NULL));
    ent_store_close(st);
    CHECK(sqlite3_open(p, &db) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &q, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == ENT_STORE_APPLICATION_ID);
    sqlite3_finalize(q);
    sqlite3_close(db);
    /* an empty path is a usage error; must_exist never creates */
    CHECK_RC(ent_store_open(&st, "", NULL), ENT_EINVAL);
    ent_store_options_t me = ENT_STORE_OPTIONS_INIT;
    me.must_exist = true;
    path_in_tmp(p, sizeof p, "store_typo.db");
    CHECK_RC(ent_store_open(&st, p, &me), ENT_ESTORE);
    CHECK_CONTAINS(ent_errmsg(), "no such store");
    CHECK(fopen(p, "r") == NULL);
    return CHECK_DONE();
}
