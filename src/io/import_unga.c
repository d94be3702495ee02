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

/* Session s opens in September of 1945 + s; the quantiles must come in order. */
static ent_err_t ideal_rule(const ent_i_table_t *t, const ent_csv_t *r, const int *ix, ent_i_value_t *v)
{
    enum { SESS = 1, Q05 = 4, Q50, Q95, YEAR = 13 };
    if (!v[Q05].na && !v[Q50].na && !v[Q95].na && !(v[Q05].d <= v[Q50].d && v[Q50].d <= v[Q95].d)) {
        return ent_csv_error(r, ENT_ERANGE, (size_t)ix[Q50], t->cols[Q50].name, "quantiles out of order: %g, %g, %g",
                             v[Q05].d, v[Q50].d, v[Q95].d);
    }
    v[YEAR].i = UNGA_FIRST_YEAR + v[SESS].i;
    v[YEAR].na = false;
    return ENT_OK;
}

/* Ideal points are standardised (the file spans about -4..4); agreement is a share. */
#define IDEAL(name, dest)                                                                                              \
    {                                                                                                                  \
        name, ENT_I_REAL, -20, 20, ENT_I_NA, dest                                                                      \
    }
#define AGREE(name, dest)                                                                                              \
    {                                                                                                                  \
        name, ENT_I_REAL, 0, 1, ENT_I_NA, dest                                                                         \
    }

/* The file also has the row number (""), QO%/Q10%/Q90%/Q100% quantiles, iso3c and Countryname:
 * labels and summaries we do not store, so not read. */
static const ent_i_table_t unga_ideal = {
    .table = "unga_ideal",
    .ncols = 14,
    .cols = {{"ccode", ENT_I_CCODE, 0, 0, 0, "ccode"},
             {"session", ENT_I_INT, 1, UNGA_MAX_SESSION, 0, "session"},
             {"NVotesAll", ENT_I_INT, 0, 100000, ENT_I_NA, "nvotes"},
             IDEAL("IdealPointAll", "ideal"),
             IDEAL("Q5%All", "q05"),
             IDEAL("Q50%All", "q50"),
             IDEAL("Q95%All", "q95"),
             AGREE("USAgree", "agree_usa"),
             AGREE("RUSSAgree", "agree_rus"),
             AGREE("BrazilAgree", "agree_bra"),
             AGREE("ChinaAgree", "agree_chn"),
             AGREE("IndiaAgree", "agree_ind"),
             AGREE("IsraelAgree", "agree_isr"),
             {NULL, ENT_I_DERIVED, 0, 0, 0, "year"}},
    .rule_after = 14,
    .rule = ideal_rule,
    .year_col = 13,
    .nkeys = 2,
    .keys = {0, 1},
};

ent_err_t ent_i_import_unga_ideal(ent_i_import_t *im)
{
    return ent_i_import_table(im, &unga_ideal);
}

/* ------------------------------------------------- ideal points by year (through 2024) */

/*
 * unga-idealfp: idealpoints_fp_1946_2024.csv (Bailey, Strezhnev & Voeten, July 2025 release):
 * ccode, iso3c, countryname, year (written "1946.0"), idealpointfp. The labels are not read (two of
 * them are mis-encoded in the source); an empty ideal point is stored as NULL, as the file has it.
 */
static const ent_i_table_t unga_idealfp = {
    .table = "unga_idealfp",
    .ncols = 3,
    .cols = {{"ccode", ENT_I_CCODE, 0, 0, 0, "ccode"},
             {"year", ENT_I_WHOLE, UNGA_FIRST_YEAR + 1, 2100, 0, "year"},
             IDEAL("idealpointfp", "ideal")},
    .year_col = 1,
    .nkeys = 2,
    .keys = {0, 1},
};

ent_err_t ent_i_import_unga_idealfp(ent_i_import_t *im)
{
    return ent_i_import_table(im, &unga_idealfp);
}

/* ------------------------------------------------- dyadic agreement with the US and China */

static ent_err_t agreement_rule(const ent_i_table_t *t, const ent_csv_t *r, const int *ix, ent_i_value_t *v)
{
    enum { SESS, C1, C2, AGR, YEAR };
    (void)t;
    if (v[C1].i == v[C2].i) {
        return ent_csv_error(r, ENT_EPARSE, (size_t)ix[C2], "ccode2", "a state's agreement with itself");
    }
    if (v[YEAR].i != UNGA_FIRST_YEAR + v[SESS].i) {
        /* session s opens in September of 1945 + s: a mismatch means shifted columns */
        return ent_csv_error(r, ENT_ERANGE, (size_t)ix[YEAR], "year", "%lld is not the year of session %lld (%lld)",
                             (long long)v[YEAR].i, (long long)v[SESS].i, (long long)(UNGA_FIRST_YEAR + v[SESS].i));
    }
    return ENT_OK;
}

/*
 * unga-agreement: agreement_usa_chn_2015_2024.csv: per session, the share of votes (agree) on which
 * ccode1 (the US or China) and ccode2 voted alike, both ideal points and the number of votes each was
 * estimated from (NVotesFP.x, .y), and their distance. The row index ("Unnamed: 0") is not read. The
 * vote counts are required: an agreement share means little without the number of votes behind it.
 */
static const ent_i_table_t unga_agreement = {
    .table = "unga_agreement",
    .ncols = 10,
    .cols = {{"session.x", ENT_I_WHOLE, 1, UNGA_MAX_SESSION, 0, "session"},
             {"ccode1", ENT_I_CCODE, 0, 0, 0, "ccode1"},
             {"ccode2", ENT_I_CCODE, 0, 0, 0, "ccode2"},
             {"agree", ENT_I_REAL, 0, 1, 0, "agree"},
             {"year", ENT_I_WHOLE, UNGA_FIRST_YEAR + 1, 2100, 0, "year"},
             IDEAL("IdealPointFP.x", "ideal1"),
             {"NVotesFP.x", ENT_I_WHOLE, 0, 100000, 0, "nvotes1"},
             IDEAL("IdealPointFP.y", "ideal2"),
             {"NVotesFP.y", ENT_I_WHOLE, 0, 100000, 0, "nvotes2"},
             {"IdealPointDistance", ENT_I_REAL, 0, 40, ENT_I_NA, "distance"}},
    .rule_after = 10,
    .rule = agreement_rule,
    .year_col = 4,
    .nkeys = 3,
    .keys = {1, 2, 0},
};

ent_err_t ent_i_import_unga_agreement(ent_i_import_t *im)
{
    return ent_i_import_table(im, &unga_agreement);
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
    static const char *const dest[] = {"rcid", "session", "date", "important", "unres", "short", "descr"};
    ent_csv_t *r = NULL;
    ent_i_stmt_t *ins = NULL;
    ent_err_t rc;
    char key[64];

    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_insert(&ins, im->st, "un_roll_calls", dest, 7, 1));
    size_t nhdr = ent_csv_nfields(r);
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
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
        ent_i_stmt_int(ins, 0, rcid);
        ent_i_stmt_int(ins, 1, sess);
        ent_i_stmt_int(ins, 2, date);
        if (imp_na) {
            ent_i_stmt_null(ins, 3);
        } else {
            ent_i_stmt_int(ins, 3, imp);
        }
        ent_i_stmt_text(ins, 4, unres_na ? NULL : unres);
        ent_i_stmt_text(ins, 5, short_na ? NULL : shrt);
        ent_i_stmt_text(ins, 6, descr_na ? NULL : descr);
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
    ENT_CHECK(rc);
    /* The file is in rcid order; sorting makes the lookup independent of that. */
    if (ids->len > 1) {
        qsort(ids->data, ids->len, sizeof(int32_t), cmp_i32);
    }
    rc = ENT_OK;
done:
    ent_i_stmt_free(ins);
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
    static const char *const dest[] = {"rcid", "ccode", "vote"};
    ent_csv_t *r = NULL;
    ent_i_stmt_t *ins = NULL;
    ent_err_t rc;
    int16_t cache[26 * 26];
    for (size_t i = 0; i < sizeof cache / sizeof cache[0]; i++) {
        cache[i] = -2;
    }
    const int32_t *id = ids->data;
    int64_t last_rcid = -1; /* the file is grouped by roll call: remember the last one found */

    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_insert(&ins, im->st, "un_votes", dest, 3, 1));
    size_t nhdr = ent_csv_nfields(r);
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
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
        ent_i_stmt_int(ins, 0, rcid);
        ent_i_stmt_int(ins, 1, cc);
        ent_i_stmt_int(ins, 2, vote);
        if ((rc = ent_i_stmt_insert(ins, "insert")) != ENT_OK) {
            /* ent_i_import_step would need the key formatted for every row: only do it on failure */
            if (rc != ENT_EEXISTS) {
                goto done;
            }
            rc = ent_csv_error(r, ENT_EEXISTS, (size_t)ix[CODE], "country_code",
                               "duplicate row: state %d already voted on roll call %lld", cc, (long long)rcid);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
    }
    ENT_CHECK(rc);
    rc = ENT_OK;
done:
    ent_i_stmt_free(ins);
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
    ENT_CHECK(ent_i_store_clear(im->st, "un_votes", NULL, NULL));
    ENT_CHECK(ent_i_store_clear(im->st, "un_roll_calls", NULL, NULL));
    ENT_CHECK(read_roll_calls(im, ent_buf_cstr(&calls), &ids));
    ENT_CHECK(import_votes(im, ent_buf_cstr(&votes), ent_i_basename(ent_buf_cstr(&calls)), &ids));
done:
    ent_vec_destroy(&ids);
    ent_buf_destroy(&votes);
    ent_buf_destroy(&calls);
    return rc;
}
