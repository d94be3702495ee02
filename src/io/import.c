/*
 * import.c -- the import driver: one transaction per import, the format
 * table, and the helpers every importer shares (see io_int.h).
 */
#include <stdio.h>
#include <string.h>

#include "io_int.h"

static const struct {
    const char *name;
    ent_i_importer_fn fn;
} formats[] = {
    {"cow-states", ent_i_import_cow_states},
    {"cow-system", ent_i_import_cow_system},
    {"cow-nmc", ent_i_import_cow_nmc},
    {"cow-alliance", ent_i_import_cow_alliance},
    {"atop", ent_i_import_atop},
    {"atop-dyad-year", ent_i_import_atop_dyad_year},
    {"unga-ideal", ent_i_import_unga_ideal},
    {"unga-idealfp", ent_i_import_unga_idealfp},
    {"unga-agreement", ent_i_import_unga_agreement},
    {"un-votes", ent_i_import_un_votes},
    {"mme", ent_i_import_mme},
    {"tss-rivalries", ent_i_import_tss_rivalries},
    {"cow-contdir", ent_i_import_cow_contdir},
    {"capital-distance", ent_i_import_capital_distance},
    {"cow-majors", ent_i_import_cow_majors},
    {"democracy", ent_i_import_democracy},
    {"cow-mid-dyad", ent_i_import_cow_mid_dyad},
    {"gml-mid-dyad", ent_i_import_gml_mid_dyad},
    {"cow-igo-dyad", ent_i_import_cow_igo_dyad},
    {"cow-trade-dyad", ent_i_import_cow_trade_dyad},
    {"cow-trade-state", ent_i_import_cow_trade_state},
    {"false-dyads", ent_i_import_false_dyads},
};

#define NFORMATS (sizeof formats / sizeof formats[0])

const char *const *ent_import_formats(void)
{
    static const char *names[NFORMATS + 1];
    /* Filled on every call with the same values: idempotent, so harmless if two threads race. */
    for (size_t i = 0; i < NFORMATS; i++) {
        names[i] = formats[i].name;
    }
    names[NFORMATS] = NULL;
    return names;
}

ent_err_t ent_i_import_reject(ent_i_import_t *im, ent_err_t rc)
{
    if (!im->opts->keep_going) {
        return rc;
    }
    switch (rc) {
    case ENT_EPARSE:
    case ENT_ERANGE:
    case ENT_ENOTFOUND:
    case ENT_EEXISTS:
    case ENT_ELIMIT: break;
    default: return rc; /* not a property of the row: never skippable */
    }
    im->res->rejected++;
    if (im->opts->warn) {
        im->opts->warn(im->opts->ctx, ent_errmsg());
    }
    return ENT_OK;
}

ent_err_t ent_i_import_cancelled(ent_i_import_t *im)
{
    if (im->opts->cancel && *im->opts->cancel) {
        return ent_i_err(ENT_EINTERRUPTED, "%s: import interrupted; nothing was written", im->path);
    }
    return ENT_OK;
}

ent_err_t ent_i_import_need_states(ent_i_import_t *im)
{
    if (im->nknown == 0) {
        return ent_i_err(ENT_ENOTFOUND,
                         "%s: the store has no state list; import one first: entente import cow-states states2016.csv",
                         im->path);
    }
    return ENT_OK;
}

ent_err_t ent_i_import_ccode(ent_i_import_t *im, const ent_csv_t *r, size_t i, const char *what, int64_t *out)
{
    int64_t c;
    ent_err_t rc = ent_csv_get_i64(r, i, what, 1, ENT_I_MAX_CCODE - 1, &c, NULL);
    if (rc != ENT_OK) {
        return rc;
    }
    if (!im->known[c]) {
        return ent_csv_error(r, ENT_ENOTFOUND, i, what, "unknown COW state code %lld (not in the store's state list)",
                             (long long)c);
    }
    *out = c;
    return ENT_OK;
}

void ent_i_import_year(ent_i_import_t *im, int year)
{
    if (!im->res->first_year || year < im->res->first_year) {
        im->res->first_year = year;
    }
    if (year > im->res->last_year) {
        im->res->last_year = year;
    }
}

ent_err_t ent_i_import_step(ent_i_import_t *im, sqlite3_stmt *s, const ent_csv_t *r, const char *key)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE) {
        return ENT_OK;
    }
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        return ent_i_err(ENT_EEXISTS, "%s:%lld: duplicate row: %s", ent_csv_name(r), (long long)ent_csv_line(r), key);
    }
    return ent_i_store_error(im->st, "insert");
}

ent_err_t ent_import(ent_import_result_t *res, ent_store_t *st, const char *format, const char *path,
                     const ent_import_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_IMPORT_OPTIONS_VERSION);
    ent_import_options_t def = ENT_IMPORT_OPTIONS_INIT;
    memset(res, 0, sizeof *res);
    ent_i_importer_fn fn = NULL;
    for (size_t i = 0; i < NFORMATS; i++) {
        if (strcmp(formats[i].name, format) == 0) {
            fn = formats[i].fn;
        }
    }
    if (!fn) {
        return ent_i_err(ENT_EINVAL, "unknown import format '%s'", format);
    }
    snprintf(res->format, sizeof res->format, "%s", format);

    ent_i_import_t *im = ent_calloc(1, sizeof *im);
    if (!im) {
        return ent_i_nomem();
    }
    im->st = st;
    im->db = ent_i_store_db(st);
    im->path = path;
    im->opts = opts ? opts : &def;
    im->res = res;

    /* A big import touches many pages: a 256 MiB page cache keeps the B-trees in memory until the
     * commit, and checkpointing waits for the end instead of interrupting the import. */
    ent_err_t rc = ent_i_store_exec(st, "PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=0");
    if (rc == ENT_OK) {
        rc = ent_i_store_begin(st);
    }
    if (rc != ENT_OK) {
        ent_free(im);
        return rc;
    }
    ENT_CHECK(ent_i_store_known_states(st, im->known, &im->nknown));
    ENT_CHECK(fn(im));
    ENT_CHECK(ent_i_import_cancelled(im));
    /* Every import replaces its dataset: a file with a header and no rows would silently
     * erase what the store held, which is never what a user means. */
    if (res->rows == 0) {
        rc = ent_i_err(ENT_EPARSE, "%s: no data rows (only a header): nothing imported, the store is unchanged",
                       ent_i_basename(path));
        goto done;
    }
    /* --keep-going skips bad rows; skipping every row would replace the dataset with nothing. */
    if (res->inserted == 0) {
        rc = ent_i_err(ENT_EPARSE,
                       "%s: every one of the %lld data rows was rejected: nothing imported, the store is unchanged",
                       ent_i_basename(path), (long long)res->rows);
        goto done;
    }
    {
        sqlite3_stmt *s;
        ENT_CHECK(ent_i_store_prepare(st, &s,
                                      "INSERT INTO imports(format, path, rows, inserted, rejected, first_year, "
                                      "last_year) VALUES (?,?,?,?,?,?,?)"));
        sqlite3_bind_text(s, 1, format, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, res->rows);
        sqlite3_bind_int64(s, 4, res->inserted);
        sqlite3_bind_int64(s, 5, res->rejected);
        sqlite3_bind_int(s, 6, res->first_year);
        sqlite3_bind_int(s, 7, res->last_year);
        int r = sqlite3_step(s);
        sqlite3_finalize(s);
        if (r != SQLITE_DONE) {
            rc = ent_i_store_error(st, "recording the import");
            goto done;
        }
    }
    rc = ent_i_store_commit(st);
    ent_i_store_exec(st, "PRAGMA wal_autocheckpoint=1000"); /* back to SQLite's default for later writers */
done:
    if (rc != ENT_OK) {
        /* Keep the importer's message: rollback must not overwrite it. */
        ent_i_store_rollback(st);
        sqlite3_exec(ent_i_store_db(st), "PRAGMA wal_autocheckpoint=1000", NULL, NULL, NULL);
        ent_import_result_t keep = *res;
        memset(res, 0, sizeof *res);
        snprintf(res->format, sizeof res->format, "%s", keep.format);
        res->rows = keep.rows;
        res->rejected = keep.rejected;
    }
    ent_free(im);
    return rc;
}
