/*
 * import_cow.c -- the COW state list, system membership and National
 * Material Capabilities (v6 and v7 abridged files).
 *
 * Formats: Correlates of War Project, "State System Membership List v2016";
 * "National Material Capabilities" v6.0 (2021) and v7.0 (2024), Singer,
 * Bremer & Stuckey (1972). Users download them from correlatesofwar.org.
 */
#include <stdio.h>
#include <string.h>

#include "country_codes.h"
#include "io_int.h"

/* Builds a date from three fields of the current record, naming the first in errors. */
static ent_err_t get_date(const ent_csv_t *r, const int idx[3], const char *names[3], bool end, ent_date_t *out)
{
    int64_t y, m, d;
    ent_err_t rc;
    if ((rc = ent_csv_get_i64(r, (size_t)idx[0], names[0], 1000, 2100, &y, NULL)) != ENT_OK ||
        (rc = ent_csv_get_i64(r, (size_t)idx[1], names[1], 1, 12, &m, NULL)) != ENT_OK ||
        (rc = ent_csv_get_i64(r, (size_t)idx[2], names[2], 1, 31, &d, NULL)) != ENT_OK) {
        return rc;
    }
    if (ent_date_make(out, (int)y, (int)m, (int)d, end) != ENT_OK) {
        return ent_csv_error(r, ENT_ERANGE, (size_t)idx[2], names[2], "%s", ent_errmsg());
    }
    return ENT_OK;
}

ent_err_t ent_i_import_cow_states(ent_i_import_t *im)
{
    static const char *cols[] = {"stateabb", "ccode",   "statenme", "styear", "stmonth",
                                 "stday",    "endyear", "endmonth", "endday", "version"};
    static const bool optional[] = {false, false, false, false, false, false, false, false, false, true};
    enum { ABB, CC, NME, SY, SM, SD, EY, EM, ED, VER, NCOLS };
    int ix[NCOLS];
    ent_csv_t *r = NULL;
    sqlite3_stmt *up = NULL, *sp = NULL;
    ent_err_t rc;
    char key[128];
    /* abbr and name seen per code in this file, to catch a code spelled two ways */
    static const char *const src = "COW State System Membership v2016";
    char(*seen_abbr)[8] = ent_calloc(ENT_I_MAX_CCODE, sizeof *seen_abbr);
    if (!seen_abbr) {
        return ent_i_nomem();
    }

    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, optional, ix, NCOLS));
    ENT_CHECK(ent_i_store_exec(im->st, "DELETE FROM state_spells WHERE source = 'COW State System Membership v2016'"));
    ENT_CHECK(ent_i_store_prepare(im->st, &up,
                                  "INSERT INTO states(ccode, abbr, name, iso3, source) VALUES (?,?,?,?,?) "
                                  "ON CONFLICT(ccode) DO UPDATE SET abbr=excluded.abbr, name=excluded.name, "
                                  "iso3=coalesce(states.iso3, excluded.iso3)"));
    ENT_CHECK(ent_i_store_prepare(im->st, &sp,
                                  "INSERT INTO state_spells(ccode, start_date, end_date, source) VALUES (?,?,?,?)"));
    size_t nhdr = ent_csv_nfields(r);
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        im->res->rows++;
        int64_t cc;
        const char *abb, *nme;
        ent_date_t st, en;
        const int sidx[3] = {ix[SY], ix[SM], ix[SD]}, eidx[3] = {ix[EY], ix[EM], ix[ED]};
        const char *sn[3] = {"styear", "stmonth", "stday"}, *en_[3] = {"endyear", "endmonth", "endday"};
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[CC], "ccode", 1, ENT_I_MAX_CCODE - 1, &cc, NULL)) != ENT_OK ||
            (rc = ent_csv_get_str(r, (size_t)ix[ABB], "stateabb", 7, &abb, NULL)) != ENT_OK ||
            (rc = ent_csv_get_str(r, (size_t)ix[NME], "statenme", 200, &nme, NULL)) != ENT_OK ||
            (rc = get_date(r, sidx, sn, false, &st)) != ENT_OK || (rc = get_date(r, eidx, en_, true, &en)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (en < st) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[EY], "endyear", "membership ends before it starts");
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (seen_abbr[cc][0] && strcmp(seen_abbr[cc], abb) != 0) {
            rc = ent_csv_error(r, ENT_EPARSE, (size_t)ix[ABB], "stateabb",
                               "code %lld was '%s' on an earlier row, now '%s'", (long long)cc, seen_abbr[cc], abb);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        snprintf(seen_abbr[cc], sizeof seen_abbr[cc], "%s", abb);
        /* The list ends its open spells on the last day of its version year (2016-12-31 in v2016):
         * that is the edge of the data, not the end of a state, so such spells stay open. */
        int64_t ver = 0;
        bool ver_na = true;
        if (ix[VER] >= 0 &&
            (rc = ent_csv_get_i64(r, (size_t)ix[VER], "version", 1816, 2100, &ver, &ver_na)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        bool open_end = !ver_na && en == (ent_date_t)(ver * 10000 + 1231);
        sqlite3_bind_int64(up, 1, cc);
        sqlite3_bind_text(up, 2, abb, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(up, 3, nme, -1, SQLITE_TRANSIENT);
        /* ISO3 from the countrycode crosswalk (NULL for states without one, e.g. Bavaria), so that
         * lookups by ISO3 work on an imported world too */
        const char *iso3 = ent_i_iso3_from_cow((int)cc);
        if (iso3) {
            sqlite3_bind_text(up, 4, iso3, -1, SQLITE_STATIC);
        } else {
            sqlite3_bind_null(up, 4);
        }
        sqlite3_bind_text(up, 5, src, -1, SQLITE_STATIC);
        snprintf(key, sizeof key, "state %lld", (long long)cc);
        ENT_CHECK(ent_i_import_step(im, up, r, key));
        sqlite3_bind_int64(sp, 1, cc);
        sqlite3_bind_int(sp, 2, st);
        if (open_end) {
            sqlite3_bind_null(sp, 3);
        } else {
            sqlite3_bind_int(sp, 3, en);
        }
        sqlite3_bind_text(sp, 4, src, -1, SQLITE_STATIC);
        snprintf(key, sizeof key, "state %lld spell starting %d", (long long)cc, st);
        if ((rc = ent_i_import_step(im, sp, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, ent_date_year(st));
        ent_i_import_year(im, ent_date_year(en));
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(up);
    sqlite3_finalize(sp);
    ent_csv_free(r);
    ent_free(seen_abbr);
    return rc;
}

ent_err_t ent_i_import_cow_system(ent_i_import_t *im)
{
    static const char *cols[] = {"stateabb", "ccode", "year"};
    int ix[3];
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_err_t rc;
    char key[96];

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, 3));
    ENT_CHECK(ent_i_store_exec(im->st, "DELETE FROM system_years"));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins, "INSERT INTO system_years(ccode, year, source) VALUES (?,?,?)"));
    size_t nhdr = ent_csv_nfields(r);
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        if ((++im->res->rows & 4095) == 0) {
            ENT_CHECK(ent_i_import_cancelled(im));
        }
        int64_t cc, y;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[1], "ccode", &cc)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[2], "year", 1816, 2100, &y, NULL)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        sqlite3_bind_int64(ins, 1, cc);
        sqlite3_bind_int64(ins, 2, y);
        sqlite3_bind_text(ins, 3, "COW State System Membership v2016", -1, SQLITE_STATIC);
        snprintf(key, sizeof key, "ccode %lld, year %lld", (long long)cc, (long long)y);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, (int)y);
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(ins);
    ent_csv_free(r);
    return rc;
}

ent_err_t ent_i_import_cow_nmc(ent_i_import_t *im)
{
    static const char *cols[] = {"ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc"};
    enum { CC, YR, NCOLS = 9 };
    int ix[NCOLS];
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_err_t rc;
    char key[96];
    /* v6 ends in 2016, v7 in 2022: the last year tells the version, recorded per row so both can coexist. */
    char version[16] = "";

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins,
                                  "INSERT INTO capabilities(version, ccode, year, milex, milper, irst, pec, tpop, "
                                  "upop, cinc) VALUES (?,?,?,?,?,?,?,?,?,?)"));
    size_t nhdr = ent_csv_nfields(r);
    /* Rows go into a staging version first; the real name is known only at the end. */
    ENT_CHECK(ent_i_store_exec(im->st, "DELETE FROM capabilities WHERE version = 'staging'"));
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        if ((++im->res->rows & 4095) == 0) {
            ENT_CHECK(ent_i_import_cancelled(im));
        }
        int64_t cc, y;
        double v[7];
        bool na[7];
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[CC], "ccode", &cc)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[YR], "year", 1816, 2100, &y, NULL)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        /* COW codes missing values as -9 in older releases and NA in the abridged files; both mean missing. */
        for (int k = 0; k < 7 && rc == ENT_OK; k++) {
            double hi = k == 6 ? 1.0 : 1e12;
            rc = ent_csv_get_f64(r, (size_t)ix[2 + k], cols[2 + k], -9, hi, &v[k], &na[k]);
            if (rc == ENT_OK && !na[k] && v[k] < 0) {
                if (v[k] == -9) {
                    na[k] = true;
                } else {
                    rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[2 + k], cols[2 + k], "negative value %g", v[k]);
                }
            }
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        sqlite3_bind_text(ins, 1, "staging", -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, cc);
        sqlite3_bind_int64(ins, 3, y);
        for (int k = 0; k < 7; k++) {
            if (na[k]) {
                sqlite3_bind_null(ins, 4 + k);
            } else {
                sqlite3_bind_double(ins, 4 + k, v[k]);
            }
        }
        snprintf(key, sizeof key, "ccode %lld, year %lld", (long long)cc, (long long)y);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, (int)y);
    }
    if (im->res->inserted == 0) {
        rc = ent_i_err(ENT_EPARSE, "%s: no data rows", ent_csv_name(r));
        goto done;
    }
    snprintf(version, sizeof version, "%s", im->res->last_year >= 2017 ? "nmc7" : "nmc6");
    {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "DELETE FROM capabilities WHERE version = '%s'; "
                 "UPDATE capabilities SET version = '%s' WHERE version = 'staging'",
                 version, version);
        ENT_CHECK(ent_i_store_exec(im->st, sql));
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(ins);
    ent_csv_free(r);
    return rc;
}
