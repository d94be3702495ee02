/*
 * import_unga.c -- UN General Assembly data: ideal points and roll-call votes.
 *
 * Formats:
 *   unga-ideal  Bailey, Strezhnev & Voeten (2017), "Estimating Dynamic State
 *               Preferences from United Nations Voting Data", Journal of Conflict
 *               Resolution 61(2):430-456; the file IdealpointestimatesAll_Jun2024.csv
 *               (Harvard Dataverse, doi:10.7910/DVN/LEJUQZ): one row per state and
 *               session, COW codes, NA for missing.
 *   un-votes    Voeten, E. (2013), "Data and Analyses of Voting in the UN General
 *               Assembly", in Reinalda (ed.), Routledge Handbook of International
 *               Organization; as distributed with the R package unvotes:
 *               un_votes.csv(.gz) (rcid, country, country_code, vote) and
 *               un_roll_calls.csv(.gz) (rcid, session, importantvote, date, unres,
 *               amend, para, short, descr), read from the same folder.
 *   unga-idealfp    idealpoints_fp_1946_2024.csv (same authors, July 2025 release):
 *               one ideal point per state and year through 2024.
 *   unga-agreement  agreement_usa_chn_2015_2024.csv: the US's and China's vote agreement
 *               with every state per session 70-79, with the vote counts.
 *
 * The votes file names states by ISO 3166-1 alpha-2 code, which country_codes.c
 * maps to COW codes (withdrawn codes CS, DD, YD, YU included). It leaves the
 * code empty for three states that never had an ISO code of their own; those
 * are resolved by their name (see uncoded[] below). Anything else is an error.
 *
 * The votes are the largest import (870,109 rows): the loop reuses one
 * prepared statement, allocates nothing per row, and caches ISO2 lookups.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "country_codes.h"
#include "io_int.h"

/* A session is a year: session s opens in September of 1945 + s. */
#define UNGA_FIRST_YEAR 1945
#define UNGA_MAX_SESSION (2100 - UNGA_FIRST_YEAR)

/* ---------------------------------------------------------------- ideal points */

ent_err_t ent_i_import_unga_ideal(ent_i_import_t *im)
{
    /* The file also has the row number (""), QO%/Q10%/Q90%/Q100% quantiles, iso3c and
     * Countryname: labels and summaries we do not store, so not read. */
    static const char *cols[] = {"ccode",      "session",    "NVotesAll",  "IdealPointAll", "Q5%All",
                                 "Q50%All",    "Q95%All",    "USAgree",    "RUSSAgree",     "BrazilAgree",
                                 "ChinaAgree", "IndiaAgree", "IsraelAgree"};
    enum { CC, SESS, NV, IDEAL, Q05, Q50, Q95, AGREE, NCOLS = AGREE + 6 };
    int ix[NCOLS];
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_err_t rc;
    char key[96];

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_exec(im->st, "DELETE FROM unga_ideal"));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins,
                                  "INSERT INTO unga_ideal(ccode, session, year, nvotes, ideal, q05, q50, q95, "
                                  "agree_usa, agree_rus, agree_bra, agree_chn, agree_ind, agree_isr) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
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
        int64_t cc, sess, nv;
        bool nv_na;
        double v[NCOLS]; /* indexed like cols[]: IDEAL .. AGREE+5 */
        bool na[NCOLS];
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[CC], "ccode", &cc)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[SESS], "session", 1, UNGA_MAX_SESSION, &sess, NULL)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[NV], "NVotesAll", 0, 100000, &nv, &nv_na)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        /* Ideal points are standardised (the file spans about -4..4); agreement is a share. */
        for (int k = IDEAL; k < NCOLS && rc == ENT_OK; k++) {
            double lo = k < AGREE ? -20.0 : 0.0, hi = k < AGREE ? 20.0 : 1.0;
            rc = ent_csv_get_f64(r, (size_t)ix[k], cols[k], lo, hi, &v[k], &na[k]);
        }
        if (rc == ENT_OK && !na[Q05] && !na[Q50] && !na[Q95] && !(v[Q05] <= v[Q50] && v[Q50] <= v[Q95])) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[Q50], cols[Q50], "quantiles out of order: %g, %g, %g", v[Q05],
                               v[Q50], v[Q95]);
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        int year = UNGA_FIRST_YEAR + (int)sess;
        sqlite3_bind_int64(ins, 1, cc);
        sqlite3_bind_int64(ins, 2, sess);
        sqlite3_bind_int(ins, 3, year);
        if (nv_na) {
            sqlite3_bind_null(ins, 4);
        } else {
            sqlite3_bind_int64(ins, 4, nv);
        }
        for (int k = IDEAL; k < NCOLS; k++) {
            if (na[k]) {
                sqlite3_bind_null(ins, 5 + k - IDEAL);
            } else {
                sqlite3_bind_double(ins, 5 + k - IDEAL, v[k]);
            }
        }
        snprintf(key, sizeof key, "ccode %lld, session %lld", (long long)cc, (long long)sess);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, year);
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(ins);
    ent_csv_free(r);
    return rc;
}

/* ------------------------------------------------- ideal points by year (through 2024) */

/*
 * A whole number written as a float ("1946.0", "78.0"), as the pandas-written files do. ENT_ERANGE
 * outside lo..hi or with a fraction; *na set (and 0 returned) for an empty field when na is given.
 */
static ent_err_t get_whole(const ent_csv_t *r, size_t i, const char *what, int64_t lo, int64_t hi, int64_t *out,
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

/*
 * unga-idealfp: idealpoints_fp_1946_2024.csv (Bailey, Strezhnev & Voeten, July 2025 release):
 * ccode, iso3c, countryname, year (written "1946.0"), idealpointfp. The labels are not read (two of
 * them are mis-encoded in the source); an empty ideal point is stored as NULL, as the file has it.
 */
ent_err_t ent_i_import_unga_idealfp(ent_i_import_t *im)
{
    static const char *cols[] = {"ccode", "year", "idealpointfp"};
    enum { CC, YEAR, IDEAL, NCOLS };
    int ix[NCOLS];
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_err_t rc;
    char key[64];

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_exec(im->st, "DELETE FROM unga_idealfp"));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins, "INSERT INTO unga_idealfp(ccode, year, ideal) VALUES (?,?,?)"));
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
        int64_t cc, year;
        double ideal = 0;
        bool na = false;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[CC], "ccode", &cc)) != ENT_OK ||
            (rc = get_whole(r, (size_t)ix[YEAR], "year", UNGA_FIRST_YEAR + 1, 2100, &year, NULL)) != ENT_OK ||
            /* standardised: the estimates span about -4..4 */
            (rc = ent_csv_get_f64(r, (size_t)ix[IDEAL], "idealpointfp", -20.0, 20.0, &ideal, &na)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        sqlite3_bind_int64(ins, 1, cc);
        sqlite3_bind_int64(ins, 2, year);
        if (na) {
            sqlite3_bind_null(ins, 3);
        } else {
            sqlite3_bind_double(ins, 3, ideal);
        }
        snprintf(key, sizeof key, "ccode %lld, year %lld", (long long)cc, (long long)year);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, (int)year);
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(ins);
    ent_csv_free(r);
    return rc;
}

/* ------------------------------------------------- dyadic agreement with the US and China */

/*
 * unga-agreement: agreement_usa_chn_2015_2024.csv: per session, the share of votes (agree) on which
 * ccode1 (the US or China) and ccode2 voted alike, both ideal points and the number of votes each was
 * estimated from (NVotesFP.x, .y), and their distance. The row index ("Unnamed: 0") is not read. The
 * vote counts are required: an agreement share means little without the number of votes behind it.
 */
ent_err_t ent_i_import_unga_agreement(ent_i_import_t *im)
{
    static const char *cols[] = {"session.x",      "ccode1",     "ccode2",         "agree",      "year",
                                 "IdealPointFP.x", "NVotesFP.x", "IdealPointFP.y", "NVotesFP.y", "IdealPointDistance"};
    enum { SESS, C1, C2, AGREE, YEAR, I1, N1, I2, N2, DIST, NCOLS };
    int ix[NCOLS];
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_err_t rc;
    char key[96];

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_exec(im->st, "DELETE FROM unga_agreement"));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins,
                                  "INSERT INTO unga_agreement(ccode1, ccode2, session, year, agree, ideal1, nvotes1, "
                                  "ideal2, nvotes2, distance) VALUES (?,?,?,?,?,?,?,?,?,?)"));
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
        int64_t sess, c1, c2, year, n1, n2;
        double agree, i1 = 0, i2 = 0, dist = 0;
        bool i1_na = false, i2_na = false, dist_na = false;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = get_whole(r, (size_t)ix[SESS], "session.x", 1, UNGA_MAX_SESSION, &sess, NULL)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[C1], "ccode1", &c1)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[C2], "ccode2", &c2)) != ENT_OK ||
            (rc = ent_csv_get_f64(r, (size_t)ix[AGREE], "agree", 0.0, 1.0, &agree, NULL)) != ENT_OK ||
            (rc = get_whole(r, (size_t)ix[YEAR], "year", UNGA_FIRST_YEAR + 1, 2100, &year, NULL)) != ENT_OK ||
            (rc = ent_csv_get_f64(r, (size_t)ix[I1], "IdealPointFP.x", -20.0, 20.0, &i1, &i1_na)) != ENT_OK ||
            (rc = get_whole(r, (size_t)ix[N1], "NVotesFP.x", 0, 100000, &n1, NULL)) != ENT_OK ||
            (rc = ent_csv_get_f64(r, (size_t)ix[I2], "IdealPointFP.y", -20.0, 20.0, &i2, &i2_na)) != ENT_OK ||
            (rc = get_whole(r, (size_t)ix[N2], "NVotesFP.y", 0, 100000, &n2, NULL)) != ENT_OK ||
            (rc = ent_csv_get_f64(r, (size_t)ix[DIST], "IdealPointDistance", 0.0, 40.0, &dist, &dist_na)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (c1 == c2) {
            rc = ent_csv_error(r, ENT_EPARSE, (size_t)ix[C2], "ccode2", "a state's agreement with itself");
        } else if (year != UNGA_FIRST_YEAR + sess) {
            /* session s opens in September of 1945 + s: a mismatch means shifted columns */
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[YEAR], "year", "%lld is not the year of session %lld (%lld)",
                               (long long)year, (long long)sess, (long long)(UNGA_FIRST_YEAR + sess));
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        sqlite3_bind_int64(ins, 1, c1);
        sqlite3_bind_int64(ins, 2, c2);
        sqlite3_bind_int64(ins, 3, sess);
        sqlite3_bind_int64(ins, 4, year);
        sqlite3_bind_double(ins, 5, agree);
        if (i1_na) {
            sqlite3_bind_null(ins, 6);
        } else {
            sqlite3_bind_double(ins, 6, i1);
        }
        sqlite3_bind_int64(ins, 7, n1);
        if (i2_na) {
            sqlite3_bind_null(ins, 8);
        } else {
            sqlite3_bind_double(ins, 8, i2);
        }
        sqlite3_bind_int64(ins, 9, n2);
        if (dist_na) {
            sqlite3_bind_null(ins, 10);
        } else {
            sqlite3_bind_double(ins, 10, dist);
        }
        snprintf(key, sizeof key, "ccode1 %lld, ccode2 %lld, session %lld", (long long)c1, (long long)c2,
                 (long long)sess);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, (int)year);
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(ins);
    ent_csv_free(r);
    return rc;
}

/* ---------------------------------------------------------------- files of un-votes */

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

/* Sets `out` to dir/name (dir may be "" for the current folder). */
static ent_err_t join(ent_buf_t *out, const char *dir, size_t dirlen, const char *name)
{
    ent_buf_clear(out);
    if (dirlen == 0) {
        return ent_buf_puts(out, name);
    }
    ent_err_t rc = ent_buf_put(out, dir, dirlen);
    if (rc == ENT_OK && dir[dirlen - 1] != '/') {
        rc = ent_buf_puts(out, "/");
    }
    return rc == ENT_OK ? ent_buf_puts(out, name) : rc;
}

/* Picks the first of `names` (NULL-terminated) that exists in dir; ENT_EIO naming them all when none does. */
static ent_err_t pick(ent_buf_t *out, const char *dir, size_t dirlen, const char *const *names, const char *path)
{
    ent_err_t rc;
    for (size_t i = 0; names[i]; i++) {
        if ((rc = join(out, dir, dirlen, names[i])) != ENT_OK) {
            return rc == ENT_ELIMIT ? ent_i_err(ENT_ELIMIT, "%s: path too long", path) : rc;
        }
        if (is_file(ent_buf_cstr(out))) {
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_EIO, "%s: cannot find %s or %s %s", path, names[0], names[1],
                     is_dir(path) ? "in this folder" : "beside it");
}

/*
 * Resolves the votes and roll-call files from im->path: a folder holding both,
 * or the votes file itself with the roll calls beside it. A compressed votes
 * file prefers compressed roll calls, a plain one plain roll calls.
 */
static ent_err_t find_files(ent_i_import_t *im, ent_buf_t *votes, ent_buf_t *calls)
{
    static const char *const votes_names[] = {"un_votes.csv.gz", "un_votes.csv", NULL};
    static const char *const calls_gz[] = {"un_roll_calls.csv.gz", "un_roll_calls.csv", NULL};
    static const char *const calls_plain[] = {"un_roll_calls.csv", "un_roll_calls.csv.gz", NULL};
    const char *p = im->path;
    size_t n = strlen(p);
    ent_err_t rc;
    if (is_dir(p)) {
        if ((rc = pick(votes, p, n, votes_names, p)) != ENT_OK) {
            return rc;
        }
    } else {
        if (!is_file(p)) {
            return ent_i_err(ENT_EIO, "%s: cannot open: no such file or folder", p);
        }
        ent_buf_clear(votes);
        if ((rc = ent_buf_puts(votes, p)) != ENT_OK) {
            return rc == ENT_ELIMIT ? ent_i_err(ENT_ELIMIT, "%s: path too long", p) : rc;
        }
        const char *slash = strrchr(p, '/');
        n = slash ? (size_t)(slash - p) + 1 : 0;
    }
    const char *v = ent_buf_cstr(votes);
    size_t vl = strlen(v);
    bool gz = vl >= 3 && strcmp(v + vl - 3, ".gz") == 0;
    return pick(calls, p, n, gz ? calls_gz : calls_plain, p);
}

/* ---------------------------------------------------------------- roll calls */

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Reads the roll-call file into un_roll_calls and `ids` (sorted on return). */
static ent_err_t read_roll_calls(ent_i_import_t *im, const char *path, ent_vec_t *ids)
{
    static const char *cols[] = {"rcid",  "session", "importantvote", "date", "unres",
                                 "amend", "para",    "short",         "descr"};
    enum { RCID, SESS, IMP, DATE, UNRES, AMEND, PARA, SHORT, DESCR, NCOLS };
    int ix[NCOLS];
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_err_t rc;
    char key[64];

    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins,
                                  "INSERT INTO un_roll_calls(rcid, session, date, important, unres, short, descr) "
                                  "VALUES (?,?,?,?,?,?,?)"));
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
        int64_t rcid, sess, imp, amend, para;
        bool imp_na, amend_na, para_na, unres_na, short_na, descr_na;
        const char *date_s, *unres = NULL, *shrt = NULL, *descr = NULL;
        ent_date_t date;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[RCID], "rcid", 1, INT32_MAX, &rcid, NULL)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[SESS], "session", 1, UNGA_MAX_SESSION, &sess, NULL)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[IMP], "importantvote", 0, 1, &imp, &imp_na)) != ENT_OK ||
            (rc = ent_csv_get_str(r, (size_t)ix[DATE], "date", 64, &date_s, NULL)) != ENT_OK ||
            (rc = ent_csv_get_str(r, (size_t)ix[UNRES], "unres", 64, &unres, &unres_na)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[AMEND], "amend", 0, 1, &amend, &amend_na)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[PARA], "para", 0, 1, &para, &para_na)) != ENT_OK ||
            (rc = ent_csv_get_str(r, (size_t)ix[SHORT], "short", 4096, &shrt, &short_na)) != ENT_OK ||
            (rc = ent_csv_get_str(r, (size_t)ix[DESCR], "descr", 65536, &descr, &descr_na)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if ((rc = ent_date_parse(&date, date_s, false)) != ENT_OK) {
            rc = ent_csv_error(r, rc, (size_t)ix[DATE], "date", "%s", ent_errmsg());
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        /* A session opens in September; special sessions run into the next year, and a
         * few votes are dated just before the opening. More than a year off is an error. */
        int y = ent_date_year(date), sy = UNGA_FIRST_YEAR + (int)sess;
        if (y < sy - 1 || y > sy + 1) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[DATE], "date", "%s is not near session %lld (%d)", date_s,
                               (long long)sess, sy);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        sqlite3_bind_int64(ins, 1, rcid);
        sqlite3_bind_int64(ins, 2, sess);
        sqlite3_bind_int(ins, 3, date);
        if (imp_na) {
            sqlite3_bind_null(ins, 4);
        } else {
            sqlite3_bind_int64(ins, 4, imp);
        }
        const char *txt[3] = {unres_na ? NULL : unres, short_na ? NULL : shrt, descr_na ? NULL : descr};
        for (int k = 0; k < 3; k++) {
            if (txt[k]) {
                sqlite3_bind_text(ins, 5 + k, txt[k], -1, SQLITE_TRANSIENT);
            } else {
                sqlite3_bind_null(ins, 5 + k);
            }
        }
        snprintf(key, sizeof key, "roll call %lld", (long long)rcid);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        int32_t id = (int32_t)rcid;
        ENT_CHECK(ent_vec_push(ids, &id));
        im->res->inserted++;
        ent_i_import_year(im, y);
    }
    /* The file is in rcid order; sorting makes the lookup independent of that. */
    if (ids->len > 1) {
        qsort(ids->data, ids->len, sizeof(int32_t), cmp_i32);
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(ins);
    ent_csv_free(r);
    return rc;
}

/* ---------------------------------------------------------------- votes */

/*
 * States the votes file leaves without a code, by the exact name it gives them.
 * ISO 3166 gave the German Federal Republic DE and the Yemen Arab Republic YE,
 * codes that passed to unified Germany (COW 255) and Yemen (679) and mean those
 * in this file; Zanzibar (1963-64) predates ISO 3166.
 */
static const struct {
    const char *name;
    int ccode;
} uncoded[] = {
    {"Federal Republic of Germany", 260},
    {"Yemen Arab Republic", 678},
    {"Zanzibar", 511},
};

/* Field i is an uppercase ASCII letter pair; returns its index 0..675 or -1. */
static int iso2_slot(const char *s, size_t len)
{
    if (len != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z') {
        return -1;
    }
    return (s[0] - 'A') * 26 + (s[1] - 'A');
}

/*
 * The COW code of the current vote's state. `cache` (676 entries, -2 = not
 * looked up yet) remembers ISO2 lookups, so the hot path is an array read.
 */
static ent_err_t vote_state(ent_i_import_t *im, const ent_csv_t *r, size_t icode, size_t iname, int16_t *cache,
                            int *out)
{
    size_t len;
    const char *code = ent_csv_field(r, icode, &len);
    const char *name = ent_csv_field(r, iname, NULL);
    int cc = -1;
    if (len == 0) {
        for (size_t k = 0; k < sizeof uncoded / sizeof uncoded[0]; k++) {
            if (strcmp(name, uncoded[k].name) == 0) {
                cc = uncoded[k].ccode;
            }
        }
        if (cc < 0) {
            return ent_csv_error(r, ENT_ENOTFOUND, icode, "country_code",
                                 "empty, and country '%.60s' is not a state the file leaves uncoded", name);
        }
    } else {
        int slot = iso2_slot(code, len);
        if (slot < 0) {
            return ent_csv_error(r, ENT_EPARSE, icode, "country_code",
                                 "expected an ISO 3166-1 alpha-2 code (two capital letters), got '%.40s'", code);
        }
        if (cache[slot] == -2) {
            cache[slot] = (int16_t)ent_i_cow_from_iso2(code);
        }
        cc = cache[slot];
        if (cc < 0) {
            return ent_csv_error(r, ENT_ENOTFOUND, icode, "country_code", "unknown ISO 3166-1 alpha-2 code '%s'", code);
        }
    }
    if (!im->known[cc]) {
        return ent_csv_error(r, ENT_ENOTFOUND, icode, "country_code",
                             "'%.60s' is COW state %d, which is not in the store's state list", len ? code : name, cc);
    }
    *out = cc;
    return ENT_OK;
}

/* yes/abstain/no -> 1/2/3 (the schema's coding). */
static ent_err_t vote_value(const ent_csv_t *r, size_t i, int *out)
{
    const char *s = ent_csv_field(r, i, NULL);
    if (strcmp(s, "yes") == 0) {
        *out = 1;
    } else if (strcmp(s, "abstain") == 0) {
        *out = 2;
    } else if (strcmp(s, "no") == 0) {
        *out = 3;
    } else {
        return ent_csv_error(r, ENT_EPARSE, i, "vote", "expected yes, no or abstain, got '%.40s'", s);
    }
    return ENT_OK;
}

static ent_err_t import_votes(ent_i_import_t *im, const char *path, const char *calls_name, const ent_vec_t *ids)
{
    static const char *cols[] = {"rcid", "country", "country_code", "vote"};
    enum { RCID, NAME, CODE, VOTE, NCOLS };
    int ix[NCOLS];
    ent_csv_t *r = NULL;
    sqlite3_stmt *ins = NULL;
    ent_err_t rc;
    int16_t cache[26 * 26];
    for (size_t i = 0; i < sizeof cache / sizeof cache[0]; i++) {
        cache[i] = -2;
    }
    const int32_t *id = ids->data;
    int64_t last_rcid = -1; /* the file is grouped by roll call: remember the last one found */

    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_prepare(im->st, &ins, "INSERT INTO un_votes(rcid, ccode, vote) VALUES (?,?,?)"));
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
        int64_t rcid;
        int cc = 0, vote = 0;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[RCID], "rcid", 1, INT32_MAX, &rcid, NULL)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (rcid != last_rcid) {
            int32_t k = (int32_t)rcid;
            if (!ids->len || !bsearch(&k, id, ids->len, sizeof *id, cmp_i32)) {
                rc = ent_csv_error(r, ENT_ENOTFOUND, (size_t)ix[RCID], "rcid", "roll call %lld is not in %s",
                                   (long long)rcid, calls_name);
                ENT_CHECK(ent_i_import_reject(im, rc));
                continue;
            }
            last_rcid = rcid;
        }
        if ((rc = vote_state(im, r, (size_t)ix[CODE], (size_t)ix[NAME], cache, &cc)) != ENT_OK ||
            (rc = vote_value(r, (size_t)ix[VOTE], &vote)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        sqlite3_bind_int64(ins, 1, rcid);
        sqlite3_bind_int(ins, 2, cc);
        sqlite3_bind_int(ins, 3, vote);
        int s = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (s != SQLITE_DONE) {
            /* ent_i_import_step would need the key formatted for every row: only do it on failure */
            if ((s & 0xff) != SQLITE_CONSTRAINT) {
                rc = ent_i_store_error(im->st, "insert");
                goto done;
            }
            rc = ent_csv_error(r, ENT_EEXISTS, (size_t)ix[CODE], "country_code",
                               "duplicate row: state %d already voted on roll call %lld", cc, (long long)rcid);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
    }
    rc = ENT_OK;
done:
    sqlite3_finalize(ins);
    ent_csv_free(r);
    return rc;
}

ent_err_t ent_i_import_un_votes(ent_i_import_t *im)
{
    ent_buf_t votes, calls;
    ent_vec_t ids;
    ent_err_t rc;
    ent_buf_init(&votes, 8192);
    ent_buf_init(&calls, 8192);
    ent_vec_init(&ids, sizeof(int32_t));

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(find_files(im, &votes, &calls));
    ENT_CHECK(ent_i_store_exec(im->st, "DELETE FROM un_votes; DELETE FROM un_roll_calls"));
    ENT_CHECK(read_roll_calls(im, ent_buf_cstr(&calls), &ids));
    ENT_CHECK(import_votes(im, ent_buf_cstr(&votes), ent_i_basename(ent_buf_cstr(&calls)), &ids));
done:
    ent_vec_destroy(&ids);
    ent_buf_destroy(&votes);
    ent_buf_destroy(&calls);
    return rc;
}
