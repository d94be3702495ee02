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
    static const char *const spell_cols[] = {"ccode", "start_date", "end_date", "source"};
    ent_csv_t *r = NULL;
    ent_i_stmt_t *up = NULL, *sp = NULL;
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
    ENT_CHECK(ent_i_store_clear(im->st, "state_spells", "source", src));
    ENT_CHECK(ent_i_store_upsert_state(&up, im->st));
    ENT_CHECK(ent_i_store_insert(&sp, im->st, "state_spells", spell_cols, 4, 1));
    size_t nhdr = ent_csv_nfields(r);
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
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
        ent_i_stmt_int(up, 0, cc);
        ent_i_stmt_text(up, 1, abb);
        ent_i_stmt_text(up, 2, nme);
        /* ISO3 from the countrycode crosswalk (NULL for states without one, e.g. Bavaria), so that
         * lookups by ISO3 work on an imported world too */
        ent_i_stmt_text(up, 3, ent_i_iso3_from_cow((int)cc));
        ent_i_stmt_text(up, 4, src);
        snprintf(key, sizeof key, "state %lld", (long long)cc);
        ENT_CHECK(ent_i_import_step(im, up, r, key));
        ent_i_stmt_int(sp, 0, cc);
        ent_i_stmt_int(sp, 1, st);
        if (open_end) {
            ent_i_stmt_null(sp, 2);
        } else {
            ent_i_stmt_int(sp, 2, en);
        }
        ent_i_stmt_text(sp, 3, src);
        snprintf(key, sizeof key, "state %lld spell starting %d", (long long)cc, st);
        if ((rc = ent_i_import_step(im, sp, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, ent_date_year(st));
        ent_i_import_year(im, ent_date_year(en));
    }
    ENT_CHECK(rc);
    rc = ENT_OK;
done:
    ent_i_stmt_free(up);
    ent_i_stmt_free(sp);
    ent_csv_free(r);
    ent_free(seen_abbr);
    return rc;
}

static const ent_i_table_t cow_system = {
    .table = "system_years",
    .fixed_col = "source",
    .fixed_val = "COW State System Membership v2016",
    .ncols = 3,
    .cols = {{"stateabb", ENT_I_IGNORED, 0, 0, 0, NULL},
             {"ccode", ENT_I_CCODE, 0, 0, 0, "ccode"},
             {"year", ENT_I_INT, 1816, 2100, 0, "year"}},
    .year_col = 2,
    .nkeys = 2,
    .keys = {1, 2},
};

ent_err_t ent_i_import_cow_system(ent_i_import_t *im)
{
    return ent_i_import_table(im, &cow_system);
}

/* v6 ends in 2016, v7 in 2022: the last year tells the version, recorded per row so both can coexist.
 * Rows go into a staging version first; the real name is known only at the end. */
static ent_err_t nmc_version(ent_i_import_t *im, const ent_csv_t *r)
{
    if (im->res->inserted == 0) {
        return ent_i_err(ENT_EPARSE, "%s: no data rows", ent_csv_name(r));
    }
    return ent_i_store_relabel(im->st, "capabilities", "version", "staging",
                               im->res->last_year >= 2017 ? "nmc7" : "nmc6");
}

/* COW codes missing values as -9 in older releases and NA in the abridged files; both mean missing. */
#define NMC(name, hi)                                                                                                  \
    {                                                                                                                  \
        name, ENT_I_REAL, 0, hi, ENT_I_NA | ENT_I_NEG9 | ENT_I_NEGMSG, name                                            \
    }

static const ent_i_table_t cow_nmc = {
    .table = "capabilities",
    .fixed_col = "version",
    .fixed_val = "staging",
    .replace_fixed_only = true,
    .ncols = 9,
    .cols = {{"ccode", ENT_I_CCODE, 0, 0, 0, "ccode"},
             {"year", ENT_I_INT, 1816, 2100, 0, "year"},
             NMC("milex", 1e12),
             NMC("milper", 1e12),
             NMC("irst", 1e12),
             NMC("pec", 1e12),
             NMC("tpop", 1e12),
             NMC("upop", 1e12),
             NMC("cinc", 1.0)},
    .year_col = 1,
    .nkeys = 2,
    .keys = {0, 1},
    .after = nmc_version,
};

ent_err_t ent_i_import_cow_nmc(ent_i_import_t *im)
{
    return ent_i_import_table(im, &cow_nmc);
}
