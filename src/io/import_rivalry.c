/*
 * import_rivalry.c -- strategic rivalries (Thompson, Sakuwa & Suhas 2021, the
 * "tss" list; 264 rivalries 1494-2020): the hostile ties of historical worlds,
 * so balance, blocs and the world at a year have enemies as well as allies.
 *
 * Scope rule: the COW state system starts in 1816. A rivalry that ended before
 * then and involves a state the COW list does not know (Venice) is outside
 * what the store can hold: it is not imported, and each such row is reported
 * through the warning callback and counted as rejected -- never dropped silently.
 * Every other unknown code is an error.
 */
#include <stdio.h>
#include <string.h>

#include "io_int.h"

#define SOURCE "Thompson, Sakuwa & Suhas 2021, strategic rivalries (tss)"

ent_err_t ent_i_import_tss_rivalries(ent_i_import_t *im)
{
    static const char *cols[] = {"tssr_id", "rivalry",    "ccode1",  "ccode2",      "start",
                                 "end",     "positional", "spatial", "ideological", "interventionary"};
    enum { ID, NAME, C1, C2, START, END, POS, SPA, IDE, INT, NCOLS };
    int ix[NCOLS];
    static const char *const dest[] = {"dataset",         "rid",      "name",       "ccode1",  "ccode2",
                                       "start_year",      "end_year", "positional", "spatial", "ideological",
                                       "interventionary", "source"};
    ent_csv_t *r = NULL;
    ent_i_stmt_t *ins = NULL;
    ent_err_t rc;
    char key[64];

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_clear(im->st, "rivalries", "dataset", "tss"));
    ENT_CHECK(ent_i_store_insert(&ins, im->st, "rivalries", dest, 12, 1));
    size_t nhdr = ent_csv_nfields(r);
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
        int64_t id, c[2], y0, y1;
        const char *name;
        bool flag[4];
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[ID], "tssr_id", 1, 1000000, &id, NULL)) != ENT_OK ||
            (rc = ent_csv_get_str(r, (size_t)ix[NAME], "rivalry", 200, &name, NULL)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[START], "start", 1400, 2100, &y0, NULL)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[END], "end", 1400, 2100, &y1, NULL)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (y1 < y0) {
            ENT_CHECK(
                ent_i_import_reject(im, ent_csv_error(r, ENT_ERANGE, (size_t)ix[END], "end",
                                                      "%lld is before the start %lld", (long long)y1, (long long)y0)));
            continue;
        }
        /* the type flags: 1 or empty */
        rc = ENT_OK;
        for (int k = 0; k < 4 && rc == ENT_OK; k++) {
            int64_t v;
            bool na;
            rc = ent_csv_get_i64(r, (size_t)ix[POS + k], cols[POS + k], 0, 1, &v, &na);
            flag[k] = rc == ENT_OK && !na && v == 1;
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        bool out_of_scope = false;
        for (int k = 0; k < 2 && rc == ENT_OK; k++) {
            const char *what = k ? "ccode2" : "ccode1";
            size_t col = (size_t)ix[k ? C2 : C1];
            rc = ent_csv_get_i64(r, col, what, 1, ENT_I_MAX_CCODE - 1, &c[k], NULL);
            if (rc == ENT_OK && !im->known[c[k]]) {
                if (y1 < 1816) {
                    out_of_scope = true;
                } else {
                    rc = ent_csv_error(r, ENT_ENOTFOUND, col, what,
                                       "unknown COW state code %lld (not in the store's state list)", (long long)c[k]);
                }
            }
        }
        if (rc == ENT_OK && c[0] == c[1]) {
            /* a rivalry, like every dyad, is between two states */
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[C2], "ccode2", "same state as ccode1 (%lld)", (long long)c[0]);
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (out_of_scope) {
            char msg[300];
            snprintf(msg, sizeof msg,
                     "%s:%lld: rivalry '%.60s' ended in %lld, before the COW state system, between states the COW "
                     "list does not know: not imported",
                     ent_csv_name(r), (long long)ent_csv_line(r), name, (long long)y1);
            im->res->rejected++;
            if (im->opts->warn) {
                im->opts->warn(im->opts->ctx, msg);
            }
            continue;
        }
        ent_i_stmt_text(ins, 0, "tss");
        ent_i_stmt_int(ins, 1, id);
        ent_i_stmt_text(ins, 2, name);
        ent_i_stmt_int(ins, 3, c[0]);
        ent_i_stmt_int(ins, 4, c[1]);
        ent_i_stmt_int(ins, 5, y0);
        /* The list ends in 2020: a rivalry that runs to 2020 is ongoing, not over. */
        if (y1 >= 2020) {
            ent_i_stmt_null(ins, 6);
        } else {
            ent_i_stmt_int(ins, 6, y1);
        }
        for (int k = 0; k < 4; k++) {
            ent_i_stmt_int(ins, 7 + k, flag[k]);
        }
        ent_i_stmt_text(ins, 11, SOURCE);
        snprintf(key, sizeof key, "tssr_id %lld", (long long)id);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, (int)y0);
        ent_i_import_year(im, (int)y1);
    }
    ENT_CHECK(rc);
    rc = ENT_OK;
done:
    ent_i_stmt_free(ins);
    ent_csv_free(r);
    return rc;
}
