/*
 * import_check.h -- what the importer tests share: a read-only look into the
 * test's store, fixtures written at test time, and the check that a failed
 * import leaves the store exactly as it was. Include after check.h; the test
 * defines `dbpath` (its store) and `fxdir` (where fixtures go).
 */
#ifndef ENT_TEST_IMPORT_CHECK_H
#define ENT_TEST_IMPORT_CHECK_H

#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

#include "check.h"

static char dbpath[1024], fxdir[1024];

static inline double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One value from the test's own read-only connection (WAL lets it read beside the store's):
 * -2 for NULL, -3 for no row, -1 when the query fails. */
static inline double scalar(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    double v = -1;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
        int r = sqlite3_step(s);
        if (r == SQLITE_ROW) {
            v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -2 : sqlite3_column_double(s, 0);
        } else if (r == SQLITE_DONE) {
            v = -3;
        }
    } else {
        fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/*
 * The test's own store, new: dbpath = <tmp>/<name>.db (an old one and its WAL removed), fxdir =
 * <tmp>/<name>_fx. NULL when it cannot be opened (the failure is counted).
 */
static inline ent_store_t *fresh_store(const char *name)
{
    const char *tmp = check_tmpdir();
    snprintf(dbpath, sizeof dbpath, "%s/%s.db", tmp, name);
    snprintf(fxdir, sizeof fxdir, "%s/%s_fx", tmp, name);
    mkdir(fxdir, 0777);
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t k = 0; k < 4; k++) {
        char p[1100];
        snprintf(p, sizeof p, "%s%s", dbpath, suffix[k]);
        remove(p);
    }
    ent_store_t *st = NULL;
    CHECK_OK(ent_store_open(&st, dbpath, NULL));
    return st;
}

/* Writes fxdir[/sub]/name with `head` then `text` (either may be NULL); returns its path (static). */
static inline const char *write_fixture(const char *sub, const char *name, const char *head, const char *text)
{
    static char path[2600];
    char dir[1200];
    snprintf(dir, sizeof dir, "%s%s%s", fxdir, sub ? "/" : "", sub ? sub : "");
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    if (head) {
        fputs(head, f);
    }
    if (text) {
        fputs(text, f);
    }
    fclose(f);
    return path;
}

/* Imports a bad fixture: wants `want`, a message with every piece of `needles`, nothing inserted,
 * and a store whose every count is as before. */
static inline void expect_failure(ent_store_t *st, const char *format, const char *path, ent_err_t want,
                                  const char *const *needles)
{
    ent_store_summary_t before, after;
    ent_import_result_t res;
    CHECK_OK(ent_store_summary(&before, st));
    ent_err_t rc = ent_import(&res, st, format, path, NULL);
    if (rc != want) {
        fprintf(stderr, "%s %s: got %s, wanted %s (%s)\n", format, path, ent_strerror(rc), ent_strerror(want),
                ent_errmsg());
        check_failures++;
    }
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", ent_errmsg());
    for (const char *const *n = needles; *n; n++) {
        CHECK_CONTAINS(msg, *n);
    }
    CHECK(res.inserted == 0);
    CHECK_OK(ent_store_summary(&after, st));
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    printf("  %-15s %-14s %s\n", format, ent_strerror(rc), msg);
}

#endif
