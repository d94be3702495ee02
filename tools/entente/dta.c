/*
 * dta.c -- the panel as a Stata .dta file (format 118, Stata 14 and later),
 * written with ReadStat (Debian libreadstat), so it opens without conversion
 * in Stata, in R (haven::read_dta) and in pandas (read_stata).
 *
 * Storage types follow the column's kind: 0/1 columns as byte, counts and
 * other integers as int, everything else as double; a missing value is
 * Stata's system missing '.'. The key columns are int (COW codes and years fit).
 */
#include <errno.h>
#include <math.h>
#include <readstat.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dta.h"

static ssize_t write_bytes(const void *data, size_t len, void *ctx)
{
    return fwrite(data, 1, len, (FILE *)ctx) == len ? (ssize_t)len : -1;
}

int cli_write_dta(const ent_panel_t *p, const char *path)
{
    /* Complete or absent: a temporary beside the target, renamed at the end (output.c). */
    cli_out_t out;
    int oc = cli_out_open(&out, path);
    if (oc != EXIT_OK) {
        return oc;
    }
    FILE *f = out.f;
    static char obuf[1 << 20];
    setvbuf(f, obuf, _IOFBF, sizeof obuf);
    const size_t n = ent_panel_nrows(p), nc = ent_panel_ncolumns(p);
    readstat_writer_t *w = readstat_writer_init();
    readstat_variable_t *keys[3], *vars[128];
    ent_panel_kind_t kind[128];
    const double *cols[128];
    readstat_error_t err = READSTAT_OK;
    int exit_code = EXIT_OK;
    if (!w || nc > 128) {
        fprintf(stderr, "entente: cannot start the .dta writer\n");
        exit_code = EXIT_IO;
        goto done;
    }
    readstat_set_data_writer(w, write_bytes);
    readstat_writer_set_file_label(w, "entente dyad-year panel (docs/measures.md)");
    readstat_writer_set_file_format_version(w, 118);
    static const char *const keyname[3] = {"ccode1", "ccode2", "year"};
    for (int k = 0; k < 3; k++) {
        keys[k] = readstat_add_variable(w, keyname[k], READSTAT_TYPE_INT16, 0);
    }
    for (size_t k = 0; k < nc; k++) {
        const char *name = ent_panel_column_name(p, k);
        kind[k] = ent_panel_column_kind(name);
        cols[k] = ent_panel_column_at(p, k);
        readstat_type_t t = kind[k] == ENT_PANEL_BINARY    ? READSTAT_TYPE_INT8
                            : kind[k] == ENT_PANEL_INTEGER ? READSTAT_TYPE_INT16
                                                           : READSTAT_TYPE_DOUBLE;
        vars[k] = readstat_add_variable(w, name, t, 0);
    }
    if ((err = readstat_begin_writing_dta(w, f, (long)n)) != READSTAT_OK) {
        goto done;
    }
    const int32_t *c1 = ent_panel_ccode1(p), *c2 = ent_panel_ccode2(p), *yr = ent_panel_year(p);
    for (size_t r = 0; r < n && err == READSTAT_OK; r++) {
        if ((err = readstat_begin_row(w)) != READSTAT_OK) {
            break;
        }
        readstat_insert_int16_value(w, keys[0], (int16_t)c1[r]);
        readstat_insert_int16_value(w, keys[1], (int16_t)c2[r]);
        readstat_insert_int16_value(w, keys[2], (int16_t)yr[r]);
        for (size_t k = 0; k < nc; k++) {
            double v = cols[k][r];
            if (isnan(v)) {
                readstat_insert_missing_value(w, vars[k]);
            } else if (kind[k] == ENT_PANEL_BINARY) {
                readstat_insert_int8_value(w, vars[k], (int8_t)v);
            } else if (kind[k] == ENT_PANEL_INTEGER) {
                readstat_insert_int16_value(w, vars[k], (int16_t)v);
            } else {
                readstat_insert_double_value(w, vars[k], v);
            }
        }
        err = readstat_end_row(w);
    }
    if (err == READSTAT_OK) {
        err = readstat_end_writing(w);
    }
done:
    if (err != READSTAT_OK) {
        fprintf(stderr, "entente: writing %s: %s\n", path, readstat_error_message(err));
        exit_code = EXIT_IO;
    }
    readstat_writer_free(w);
    if (exit_code == EXIT_OK && cli_cancelled()) {
        exit_code = cli_interrupted_code();
    }
    if (exit_code != EXIT_OK) {
        cli_out_abort(&out);
        return exit_code;
    }
    return cli_out_commit(&out);
}
