/*
 * import.c -- the import driver: one transaction per import, the format
 * table, and the helpers every importer shares (see io_int.h).
 */
#include <assert.h>
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

ent_err_t ent_i_import_next(ent_i_import_t *im, ent_csv_t *r, bool *more)
{
    bool eof;
    ent_err_t rc = ent_csv_next(r, &eof);
    *more = rc == ENT_OK && !eof;
    if (*more && (++im->res->rows & 4095) == 0) {
        rc = ent_i_import_cancelled(im);
    }
    return rc;
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

ent_err_t ent_i_import_step(ent_i_import_t *im, ent_i_stmt_t *s, const ent_csv_t *r, const char *key)
{
    (void)im;
    ent_err_t rc = ent_i_stmt_insert(s, "insert");
    if (rc == ENT_EEXISTS) {
        return ent_i_err(ENT_EEXISTS, "%s:%lld: duplicate row: %s", ent_csv_name(r), (long long)ent_csv_line(r), key);
    }
    return rc;
}

ent_err_t ent_i_import_whole(const ent_csv_t *r, size_t i, const char *what, int64_t lo, int64_t hi, int64_t *out,
                             bool *na)
{
    double v;
    bool empty = false;
    ent_err_t rc = ent_csv_get_f64(r, i, what, (double)lo, (double)hi, &v, na ? &empty : NULL);
    if (rc != ENT_OK) {
        return rc;
    }
    if (na) {
        *na = empty;
    }
    if (empty) {
        *out = 0;
        return ENT_OK;
    }
    if (v != (double)(int64_t)v) {
        return ent_csv_error(r, ENT_ERANGE, i, what, "%g is not a whole number", v);
    }
    *out = (int64_t)v;
    return ENT_OK;
}

/* ---------------------------------------------------------------- the table-driven row loop */

/* A value below lo that is not -9, where -9 means missing (the range read admitted -9..hi). */
static ent_err_t below_lo(const ent_csv_t *r, size_t i, const ent_i_column_t *c, double x)
{
    if (c->flags & ENT_I_NEGMSG) {
        return ent_csv_error(r, ENT_ERANGE, i, c->name, "negative value %g", x);
    }
    return ent_csv_error(r, ENT_ERANGE, i, c->name, "%g outside %g..%g", x, c->lo, c->hi);
}

/* Reads column c (field i) of the current record into *v. */
static ent_err_t read_column(ent_i_import_t *im, const ent_csv_t *r, size_t i, const ent_i_column_t *c,
                             ent_i_value_t *v)
{
    bool neg9 = (c->flags & ENT_I_NEG9) != 0;
    bool *na = (c->flags & ENT_I_NA) ? &v->na : NULL;
    ent_err_t rc;
    v->na = false;
    switch (c->type) {
    case ENT_I_CCODE: return ent_i_import_ccode(im, r, i, c->name, &v->i);
    case ENT_I_WHOLE: return ent_i_import_whole(r, i, c->name, (int64_t)c->lo, (int64_t)c->hi, &v->i, na);
    case ENT_I_INT:
        rc = ent_csv_get_i64(r, i, c->name, neg9 ? -9 : (int64_t)c->lo, (int64_t)c->hi, &v->i, na);
        if (rc != ENT_OK || v->na || !neg9) {
            return rc;
        }
        if (v->i == -9) {
            v->na = true;
            return ENT_OK;
        }
        if (v->i < (int64_t)c->lo) {
            if (c->flags & ENT_I_NEGMSG) {
                return below_lo(r, i, c, (double)v->i);
            }
            return ent_csv_error(r, ENT_ERANGE, i, c->name, "%lld outside %g..%g", (long long)v->i, c->lo, c->hi);
        }
        return ENT_OK;
    case ENT_I_REAL:
        rc = ent_csv_get_f64(r, i, c->name, neg9 ? -9 : c->lo, c->hi, &v->d, na);
        if (rc != ENT_OK || v->na || !neg9) {
            return rc;
        }
        if (v->d == -9) {
            v->na = true;
            return ENT_OK;
        }
        return v->d < c->lo ? below_lo(r, i, c, v->d) : ENT_OK;
    case ENT_I_IGNORED:
    case ENT_I_DERIVED: return ENT_OK;
    }
    return ENT_OK;
}

/* "ccode1 2, ccode2 200, year 1816": the key columns by their store names. */
static void row_key(char *key, size_t size, const ent_i_table_t *t, const ent_i_value_t *v)
{
    size_t n = 0;
    key[0] = '\0';
    for (size_t j = 0; j < t->nkeys && n < size; j++) {
        int k = t->keys[j];
        int w = snprintf(key + n, size - n, "%s%s %lld", j ? ", " : "", t->cols[k].dest, (long long)v[k].i);
        n += w > 0 ? (size_t)w : 0;
    }
}

ent_err_t ent_i_import_table(ent_i_import_t *im, const ent_i_table_t *t)
{
    const char *names[ENT_I_MAX_COLS], *dest[ENT_I_MAX_COLS + 1];
    int hix[ENT_I_MAX_COLS], ix[ENT_I_MAX_COLS];
    size_t nnames = 0, ndest = 0;
    ent_csv_t *r = NULL;
    ent_i_stmt_t *ins = NULL;
    ent_err_t rc;
    char key[128];

    assert(t->ncols <= ENT_I_MAX_COLS);
    if (t->fixed_col) {
        dest[ndest++] = t->fixed_col;
    }
    for (size_t k = 0; k < t->ncols; k++) {
        if (t->cols[k].type != ENT_I_DERIVED) {
            names[nnames++] = t->cols[k].name;
        }
        if (t->cols[k].dest) {
            dest[ndest++] = t->cols[k].dest;
        }
    }
    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, names, NULL, hix, nnames));
    for (size_t k = 0, h = 0; k < t->ncols; k++) {
        ix[k] = t->cols[k].type == ENT_I_DERIVED ? -1 : hix[h++];
    }
    /* Re-importing replaces the dataset. */
    ENT_CHECK(ent_i_store_clear(im->st, t->table, t->replace_fixed_only ? t->fixed_col : NULL, t->fixed_val));
    ENT_CHECK(ent_i_store_insert(&ins, im->st, t->table, dest, ndest, 1));

    size_t nhdr = ent_csv_nfields(r);
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
        ent_i_value_t v[ENT_I_MAX_COLS];
        rc = ent_csv_expect_fields(r, nhdr);
        for (size_t k = 0; k <= t->ncols && rc == ENT_OK; k++) {
            if (t->rule && k == t->rule_after) {
                rc = t->rule(t, r, ix, v);
            }
            if (k < t->ncols && rc == ENT_OK) {
                rc = read_column(im, r, (size_t)ix[k], &t->cols[k], &v[k]);
            }
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        size_t b = 0;
        if (t->fixed_col) {
            ent_i_stmt_text(ins, b++, t->fixed_val);
        }
        for (size_t k = 0; k < t->ncols; k++) {
            if (!t->cols[k].dest) {
                continue;
            }
            if (v[k].na) {
                ent_i_stmt_null(ins, b++);
            } else if (t->cols[k].type == ENT_I_REAL) {
                ent_i_stmt_real(ins, b++, v[k].d);
            } else {
                ent_i_stmt_int(ins, b++, v[k].i);
            }
        }
        if ((rc = ent_i_stmt_insert(ins, "insert")) != ENT_OK) {
            if (rc != ENT_EEXISTS) {
                goto done;
            }
            /* the key is formatted only for a duplicate: snprintf on every row costs a tenth of the import */
            row_key(key, sizeof key, t, v);
            rc = ent_i_err(ENT_EEXISTS, "%s:%lld: duplicate row: %s", ent_csv_name(r), (long long)ent_csv_line(r), key);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, (int)v[t->year_col].i);
    }
    ENT_CHECK(rc);
    rc = t->after ? t->after(im, r) : ENT_OK;
done:
    ent_i_stmt_free(ins);
    ent_csv_free(r);
    return rc;
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
    im->path = path;
    im->opts = opts ? opts : &def;
    im->res = res;

    ent_err_t rc = ent_i_store_bulk_begin(st);
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
    ENT_CHECK(ent_i_store_log_import(st, res, path));
    rc = ent_i_store_bulk_end(st, true);
done:
    if (rc != ENT_OK) {
        /* Keep the importer's message: rollback must not overwrite it. */
        ent_i_store_bulk_end(st, false);
        ent_import_result_t keep = *res;
        memset(res, 0, sizeof *res);
        snprintf(res->format, sizeof res->format, "%s", keep.format);
        res->rows = keep.rows;
        res->rejected = keep.rejected;
    }
    ent_free(im);
    return rc;
}
