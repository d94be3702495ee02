/*
 * backtest_table.c -- the plain columnar table the backtest reads: named
 * double columns with NaN for missing values, filled from a CSV panel (the
 * `entente dyads` contract: optional '#' provenance lines, then a header) or
 * built in memory by a caller.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/backtest.h"
#include "util_int.h"

void ent_table_init(ent_table_t *t)
{
    memset(t, 0, sizeof *t);
}

void ent_table_destroy(ent_table_t *t)
{
    if (!t) {
        return;
    }
    for (size_t j = 0; j < t->ncols; j++) {
        ent_free(t->names[j]);
        ent_free(t->cols[j]);
    }
    ent_free(t->names);
    ent_free(t->cols);
    memset(t, 0, sizeof *t);
}

ent_err_t ent_table_set_rows(ent_table_t *t, size_t n)
{
    if (t->ncols) {
        return ent_i_err(ENT_EINVAL, "table: the row count is set before any column is added");
    }
    t->n = n;
    return ENT_OK;
}

const double *ent_table_column(const ent_table_t *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++) {
        if (strcmp(t->names[j], name) == 0) {
            return t->cols[j];
        }
    }
    return NULL;
}

ent_err_t ent_table_add(ent_table_t *t, const char *name, double **col)
{
    if (ent_table_column(t, name)) {
        return ent_i_err(ENT_EEXISTS, "table: column '%s' appears twice", name);
    }
    char **nn = ent_realloc(t->names, (t->ncols + 1) * sizeof *nn);
    if (!nn) {
        return ent_i_nomem();
    }
    t->names = nn;
    double **nc = ent_realloc(t->cols, (t->ncols + 1) * sizeof *nc);
    if (!nc) {
        return ent_i_nomem();
    }
    t->cols = nc;
    char *s = ent_strdup(name);
    double *c = ent_malloc((t->n ? t->n : 1) * sizeof *c);
    if (!s || !c) {
        ent_free(s);
        ent_free(c);
        return ent_i_nomem();
    }
    for (size_t i = 0; i < t->n; i++) {
        c[i] = NAN;
    }
    t->names[t->ncols] = s;
    t->cols[t->ncols] = c;
    t->ncols++;
    if (col) {
        *col = c;
    }
    return ENT_OK;
}

/* Grows every column to hold `cap` rows. */
static ent_err_t grow(double **cols, size_t ncols, size_t cap)
{
    for (size_t j = 0; j < ncols; j++) {
        double *c = ent_realloc(cols[j], cap * sizeof *c);
        if (!c) {
            return ent_i_nomem();
        }
        cols[j] = c;
    }
    return ENT_OK;
}

ent_err_t ent_table_from_panel(ent_table_t *out, const ent_panel_t *p)
{
    ent_table_init(out);
    const size_t n = ent_panel_nrows(p);
    ent_err_t rc = ent_table_set_rows(out, n);
    const int32_t *keys[3] = {ent_panel_ccode1(p), ent_panel_ccode2(p), ent_panel_year(p)};
    static const char *const keyname[3] = {"ccode1", "ccode2", "year"};
    for (int k = 0; k < 3 && rc == ENT_OK; k++) {
        double *col;
        if ((rc = ent_table_add(out, keyname[k], &col)) == ENT_OK) {
            for (size_t r = 0; r < n; r++) {
                col[r] = keys[k][r];
            }
        }
    }
    for (size_t k = 0; k < ent_panel_ncolumns(p) && rc == ENT_OK; k++) {
        double *col;
        if ((rc = ent_table_add(out, ent_panel_column_name(p, k), &col)) == ENT_OK && n) {
            memcpy(col, ent_panel_column_at(p, k), n * sizeof *col);
        }
    }
    return rc;
}

ent_err_t ent_table_read_csv(ent_table_t *out, const char *path, const char *const *required)
{
    ent_table_init(out);
    ent_csv_t *r = NULL;
    ent_csv_options_t co = ENT_CSV_OPTIONS_INIT;
    co.flags = 0; /* numbers only: UTF-8 validation buys nothing here */
    ent_err_t rc;
    bool eof = false;
    size_t cap = 0;
    static const char *const key_names[] = {"ccode1", "ccode2", "year"};
    size_t keys[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX}; /* their columns, SIZE_MAX when absent */
    ENT_CHECK(ent_csv_open(&r, path, &co));
    /* the provenance block: records whose first field starts with '#' */
    for (;;) {
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            rc = ent_i_err(ENT_EPARSE, "%s:1: empty file: expected a header row", ent_csv_name(r));
            goto done;
        }
        size_t len;
        const char *f0 = ent_csv_field(r, 0, &len);
        if (!(len > 0 && f0[0] == '#')) {
            break;
        }
    }
    size_t nf = ent_csv_nfields(r);
    for (size_t i = 0; i < nf; i++) {
        size_t len;
        const char *name = ent_csv_field(r, i, &len);
        if (len == 0) {
            rc = ent_i_err(ENT_EPARSE, "%s:%lld:%lld: header: column %zu has no name", ent_csv_name(r),
                           (long long)ent_csv_line(r), (long long)ent_csv_column(r, i), i + 1);
            goto done;
        }
        rc = ent_table_add(out, name, NULL);
        if (rc == ENT_EEXISTS) {
            rc = ent_i_err(ENT_EPARSE, "%s:%lld: header: column '%s' appears twice", ent_csv_name(r),
                           (long long)ent_csv_line(r), name);
        }
        ENT_CHECK(rc);
    }
    /* The keys name a row (a pair, a year): a missing or fractional one is an error here, where the
     * line is known, not a silent wrong group in the scores. */
    for (size_t i = 0; i < nf; i++) {
        for (int k = 0; k < 3; k++) {
            if (strcmp(out->names[i], key_names[k]) == 0) {
                keys[k] = i;
            }
        }
    }
    for (const char *const *q = required; q && *q; q++) {
        if (!ent_table_column(out, *q)) {
            rc = ent_i_err(ENT_EPARSE, "%s:%lld: header: missing column '%s'", ent_csv_name(r),
                           (long long)ent_csv_line(r), *q);
            goto done;
        }
    }
    for (;;) {
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        ENT_CHECK(ent_csv_expect_fields(r, nf));
        if (out->n == cap) {
            cap = cap ? cap * 2 : 4096;
            ENT_CHECK(grow(out->cols, nf, cap));
        }
        for (size_t i = 0; i < nf; i++) {
            size_t len;
            const char *s = ent_csv_field(r, i, &len);
            double v = NAN;
            if (!(len == 0 || (len == 2 && s[0] == 'N' && s[1] == 'A'))) {
                char *end;
                errno = 0;
                v = strtod(s, &end);
                if (end != s + len || errno == ERANGE || isnan(v) || isinf(v)) {
                    rc = ent_csv_error(r, ENT_EPARSE, i, out->names[i], "expected a number, got '%.40s'", s);
                    goto done;
                }
            }
            bool is_key = i == keys[0] || i == keys[1] || i == keys[2];
            if (is_key && !(v == floor(v) && fabs(v) <= 1e9)) {
                rc = ent_csv_error(r, ENT_EPARSE, i, out->names[i], "expected an integer key, got %s%.40s%s",
                                   isnan(v) ? "nothing" : "'", isnan(v) ? "" : s, isnan(v) ? "" : "'");
                goto done;
            }
            out->cols[i][out->n] = v;
        }
        out->n++;
    }
    rc = ENT_OK;
done:
    ent_csv_free(r);
    if (rc != ENT_OK) {
        ent_table_destroy(out);
    }
    return rc;
}
