/*
 * import_alliance.c -- alliance data: the COW Formal Alliances dyad-year file,
 * the ATOP directed dyad-year file, and ATOP's alliance-level and
 * member-level files (the pacts themselves, with each member's dates and
 * obligations).
 *
 * Formats: Gibler, Douglas M. 2009. International Military Alliances,
 * 1648-2008. CQ Press (COW Formal Alliances v4.1, dyad-year file). Leeds,
 * Ritter, Mitchell & Long. 2002. "Alliance Treaty Obligations and Provisions,
 * 1815-1944." International Interactions 28: 237-260 (ATOP 5.1, codebook
 * "atop_5_1_codebook.pdf"). Users download them from correlatesofwar.org and
 * atopdata.org.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "io_int.h"

/* ---------------------------------------------------------------- shared */

/* An obligation flag: 0 or 1, never missing (neither dataset leaves one blank). */
static ent_err_t get_flag(const ent_csv_t *r, int i, const char *what, int64_t *out)
{
    return ent_csv_get_i64(r, (size_t)i, what, 0, 1, out, NULL);
}

/* ---------------------------------------------------------------- dyad-year files */

enum { OB_DEFENSE, OB_OFFENSE, OB_NEUTRAL, OB_NONAGG, OB_CONSUL, OB_ENTENTE, NOB };

/* What tells the two dyad-year formats apart: everything else is shared. */
typedef struct {
    const char *dataset; /* alliance_dyad_years.dataset */
    int first_year;      /* earliest year the dataset covers */
    /* CSV column of each obligation (OB_*); NULL: the dataset does not code it, stored as 0 */
    const char *cols[NOB];
} dyad_format_t;

/*
 * The COW file starts in 1816, the start of the COW state system; it codes no
 * offence or consultation pacts but does code ententes. ATOP starts in 1815
 * (the Vienna settlement: its codebook, section 1.3) and codes offence and
 * consultation but not ententes.
 */
static const dyad_format_t cow_dyad = {
    "cow",
    1816,
    {"cow_defense", NULL, "cow_neutral", "cow_nonagg", NULL, "cow_entente"},
};

static const dyad_format_t atop_dyad = {
    "atop",
    1815,
    {"atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul", NULL},
};

/*
 * The dyad-year loop is the hot path of `entente import` (273,296 ATOP rows),
 * and most of its time is SQLite's: with one row per INSERT, SQLite took about
 * four fifths of the import, reading and validating the CSV the rest. A
 * DYAD_BATCH-row INSERT pays the per-statement costs (step, reset, cursor
 * open, program start) once per batch and cut the import's time about in
 * half, so rows are queued and written in batches.
 *
 * Batching must not blur the error for a duplicate dyad-year, which names its
 * line. A batch cannot hold one while the file's keys strictly increase: then
 * every key differs from all before it, and the dataset's old rows were
 * deleted first. Both published files are sorted by (ccode1, ccode2, year).
 * At the first key that does not increase, the queue is flushed and the rest
 * of the file goes row by row through ent_i_import_step, which catches a
 * duplicate on the line that holds it.
 */
#define DYAD_BATCH 64

typedef struct {
    int64_t c1, c2, y, ob[NOB];
} dyad_row_t;

typedef struct {
    ent_i_import_t *im;
    const int *ob_col; /* see import_dyad_years */
    const char *dataset;
    int nparam;               /* parameters per row: see dyad_cols */
    ent_i_stmt_t *one, *many; /* one row; DYAD_BATCH rows */
    dyad_row_t row[DYAD_BATCH];
    int n; /* rows queued */
} dyad_batch_t;

/* True when a's key (ccode1, ccode2, year) sorts after b's: the table's key order. */
static bool dyad_after(const dyad_row_t *a, const dyad_row_t *b)
{
    if (a->c1 != b->c1) {
        return a->c1 > b->c1;
    }
    if (a->c2 != b->c2) {
        return a->c2 > b->c2;
    }
    return a->y > b->y;
}

/* alliance_dyad_years' columns, in the order of the OB_* obligations */
static const char *const dyad_cols[] = {"dataset", "ccode1",  "ccode2", "year",   "defense",
                                        "offense", "neutral", "nonagg", "consul", "entente"};

/* Row i of statement s: the dataset, the key, then every obligation (0 where the format does not code it). */
static void bind_dyad(const dyad_batch_t *b, ent_i_stmt_t *s, size_t i, const dyad_row_t *row)
{
    size_t p = i * (size_t)b->nparam;
    ent_i_stmt_text(s, p++, b->dataset);
    ent_i_stmt_int(s, p++, row->c1);
    ent_i_stmt_int(s, p++, row->c2);
    ent_i_stmt_int(s, p++, row->y);
    for (int k = 0; k < NOB; k++) {
        ent_i_stmt_int(s, p++, b->ob_col[k] >= 0 ? row->ob[k] : 0);
    }
}

/* Writes the queued rows. They are known to be unique, so any failure is the store's. */
static ent_err_t flush_dyads(dyad_batch_t *b)
{
    int n = b->n;
    ent_err_t rc = ENT_OK;
    b->n = 0;
    if (n == DYAD_BATCH) {
        for (int i = 0; i < n; i++) {
            bind_dyad(b, b->many, (size_t)i, &b->row[i]);
        }
        rc = ent_i_stmt_insert(b->many, "insert");
    } else {
        for (int i = 0; i < n && rc == ENT_OK; i++) {
            bind_dyad(b, b->one, 0, &b->row[i]);
            rc = ent_i_stmt_insert(b->one, "insert");
        }
    }
    if (rc != ENT_OK) {
        return rc;
    }
    for (int i = 0; i < n; i++) {
        ent_i_import_year(b->im, (int)b->row[i].y);
    }
    b->im->res->inserted += n;
    return ENT_OK;
}

/*
 * One loop for both dyad-year files; per row it parses, validates and queues
 * integers: no allocation, no SQL text.
 *
 * Rows whose obligations are all 0 are kept: both files have some (10 in COW
 * v4.1, e.g. 211-220 in 1832; 170 in ATOP 5.1, e.g. 140-160 in 1859-1864).
 * They are dyads whose shared pact carries only obligations the file does not
 * summarise, and they are part of the published row counts.
 */
static ent_err_t import_dyad_years(ent_i_import_t *im, const dyad_format_t *f)
{
    enum { CC1, CC2, YR, NFIX = 3 };
    const char *names[NFIX + NOB];
    int ob_col[NOB]; /* position in names[] of obligation k, or -1 */
    int ix[NFIX + NOB];
    size_t ncols = 0;
    ent_csv_t *r = NULL;
    ent_err_t rc;
    char key[96];
    dyad_batch_t *b = ent_calloc(1, sizeof *b);
    if (!b) {
        return ent_i_nomem();
    }

    names[ncols++] = "ccode1";
    names[ncols++] = "ccode2";
    names[ncols++] = "year";
    for (int k = 0; k < NOB; k++) {
        ob_col[k] = f->cols[k] ? (int)ncols : -1;
        if (f->cols[k]) {
            names[ncols++] = f->cols[k];
        }
    }
    b->im = im;
    b->ob_col = ob_col;
    b->dataset = f->dataset;
    b->nparam = (int)(sizeof dyad_cols / sizeof dyad_cols[0]);

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, names, NULL, ix, ncols));
    ENT_CHECK(ent_i_store_clear(im->st, "alliance_dyad_years", "dataset", f->dataset));
    ENT_CHECK(ent_i_store_insert(&b->one, im->st, "alliance_dyad_years", dyad_cols, (size_t)b->nparam, 1));
    ENT_CHECK(ent_i_store_insert(&b->many, im->st, "alliance_dyad_years", dyad_cols, (size_t)b->nparam, DYAD_BATCH));
    size_t nhdr = ent_csv_nfields(r);
    bool increasing = true;
    dyad_row_t last = {-1, -1, -1, {0}};
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
        dyad_row_t row = {0, 0, 0, {0}};
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[CC1], "ccode1", &row.c1)) != ENT_OK ||
            (rc = ent_i_import_ccode(im, r, (size_t)ix[CC2], "ccode2", &row.c2)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[YR], "year", f->first_year, 2100, &row.y, NULL)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (row.c1 == row.c2) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[CC2], "ccode2", "same state as ccode1 (%lld)",
                               (long long)row.c1);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        for (int k = 0; k < NOB && rc == ENT_OK; k++) {
            if (ob_col[k] >= 0) {
                rc = get_flag(r, ix[ob_col[k]], names[ob_col[k]], &row.ob[k]);
            }
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (increasing && !dyad_after(&row, &last)) {
            increasing = false;
            ENT_CHECK(flush_dyads(b));
        }
        if (increasing) {
            last = row;
            b->row[b->n++] = row;
            if (b->n == DYAD_BATCH) {
                ENT_CHECK(flush_dyads(b));
            }
            continue;
        }
        bind_dyad(b, b->one, 0, &row);
        snprintf(key, sizeof key, "ccode1 %lld, ccode2 %lld, year %lld", (long long)row.c1, (long long)row.c2,
                 (long long)row.y);
        if ((rc = ent_i_import_step(im, b->one, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, (int)row.y);
    }
    ENT_CHECK(rc);
    ENT_CHECK(flush_dyads(b));
    rc = ENT_OK;
done:
    ent_i_stmt_free(b->one);
    ent_i_stmt_free(b->many);
    ent_free(b);
    ent_csv_free(r);
    return rc;
}

ent_err_t ent_i_import_cow_alliance(ent_i_import_t *im)
{
    return import_dyad_years(im, &cow_dyad);
}

ent_err_t ent_i_import_atop_dyad_year(ent_i_import_t *im)
{
    return import_dyad_years(im, &atop_dyad);
}

/* ---------------------------------------------------------------- ATOP alliance and member files */

#define ATOP_ALLIANCE_FILE "atop5_1a.csv"
#define ATOP_MEMBER_FILE "atop5_1m.csv"

/* ATOP identifiers are four-digit numbers, 1000-7999 by era (codebook, ATOPID); the map is indexed by them. */
#define ATOP_ID_MIN 1000
#define ATOP_ID_MAX 9999

/* ATOP covers alliances formed from 1815 (codebook, section 1.3). */
#define ATOP_FIRST_YEAR 1815
#define ATOP_LAST_YEAR 2100

/*
 * Member codes ATOP uses that are not COW state codes. The codebook (notes 18
 * and 19) names one: 8152, Annam, a member of the Gleditsch-Ward state system
 * but not of COW's, France's partner in atopid 1320 (1874-1883). ATOP keeps
 * the row in its member file and drops the dyad from its dyad-year files. We
 * keep it too, under ATOP's own code, so the member file imports whole; the
 * world loader ignores codes outside the state list, which matches ATOP's
 * dyad-year treatment. Any other unknown code is still an error.
 */
static bool atop_non_cow_member(int64_t c)
{
    return c == 8152;
}

/*
 * Reads a date from its year, month and day fields. ATOP writes an unknown
 * month or day as 0 or leaves it empty (13 alliance end days and 36 member
 * entry or exit days are empty in 5.1): both mean unknown, filled to the
 * earliest day for a start and the latest for an end. When `open_ok`, a year
 * of 0 or empty means "still in force" (*open = true): the month and day must
 * then be unknown too, as anything else means the columns are misaligned.
 */
static ent_err_t get_atop_date(const ent_csv_t *r, const int ix[3], const char *const names[3], bool end, bool open_ok,
                               ent_date_t *out, bool *open)
{
    int64_t y = 0, m = 0, d = 0;
    bool na;
    ent_err_t rc;
    *open = false;
    if ((rc = ent_csv_get_i64(r, (size_t)ix[0], names[0], open_ok ? 0 : ATOP_FIRST_YEAR, ATOP_LAST_YEAR, &y,
                              open_ok ? &na : NULL)) != ENT_OK) {
        return rc;
    }
    if (open_ok && na) {
        y = 0;
    }
    if ((rc = ent_csv_get_i64(r, (size_t)ix[1], names[1], 0, 12, &m, &na)) != ENT_OK) {
        return rc;
    }
    if (na) {
        m = 0;
    }
    if ((rc = ent_csv_get_i64(r, (size_t)ix[2], names[2], 0, 31, &d, &na)) != ENT_OK) {
        return rc;
    }
    if (na) {
        d = 0;
    }
    if (y == 0) {
        if (m != 0 || d != 0) {
            size_t bad = (size_t)ix[m != 0 ? 1 : 2];
            return ent_csv_error(r, ENT_ERANGE, bad, names[m != 0 ? 1 : 2],
                                 "%lld given, but %s is 0 (still in force): expected 0 or empty",
                                 (long long)(m != 0 ? m : d), names[0]);
        }
        *open = true;
        *out = ENT_DATE_NONE;
        return ENT_OK;
    }
    if (y < ATOP_FIRST_YEAR) {
        return ent_csv_error(r, ENT_ERANGE, (size_t)ix[0], names[0], "%lld outside %d..%d (0: still in force)",
                             (long long)y, ATOP_FIRST_YEAR, ATOP_LAST_YEAR);
    }
    if (m == 0 && d != 0) {
        return ent_csv_error(r, ENT_ERANGE, (size_t)ix[2], names[2], "day %lld given without a month", (long long)d);
    }
    if (ent_date_make(out, (int)y, (int)m, (int)d, end) != ENT_OK) {
        return ent_csv_error(r, ENT_ERANGE, (size_t)ix[2], names[2], "%s", ent_errmsg());
    }
    return ENT_OK;
}

/* The five obligations, in the order of the pacts and pact_members columns. */
static const char *const atop_obligations[5] = {"defense", "offense", "neutral", "nonagg", "consul"};

/* atopid -> pact_id of the alliances imported so far (0: none). */
typedef struct {
    int64_t pact[ATOP_ID_MAX + 1];
} atop_map_t;

static ent_err_t import_atop_alliances(ent_i_import_t *im, const char *path, atop_map_t *map)
{
    static const char *cols[] = {"atopid", "begyr",   "begmo",   "begday",  "endyr",  "endmo", "endday",
                                 "bilat",  "defense", "offense", "neutral", "nonagg", "consul"};
    enum { ID, BY, BM, BD, EY, EM, ED, BILAT, OB0, NCOLS = OB0 + 5 };
    _Static_assert(sizeof cols / sizeof cols[0] == NCOLS, "one name per column");
    int ix[NCOLS];
    static const char *const dest[] = {"dataset", "ext_id",  "name",   "start_date", "end_date",  "defense",
                                       "offense", "neutral", "nonagg", "consul",     "bilateral", "source"};
    ent_csv_t *r = NULL;
    ent_i_stmt_t *ins = NULL;
    ent_err_t rc;
    char key[64], src[96];

    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_insert(&ins, im->st, "pacts", dest, 12, 1));
    size_t nhdr = ent_csv_nfields(r);
    const int bix[3] = {ix[BY], ix[BM], ix[BD]}, eix[3] = {ix[EY], ix[EM], ix[ED]};
    static const char *const bn[3] = {"begyr", "begmo", "begday"}, *const en[3] = {"endyr", "endmo", "endday"};
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
        int64_t id, bilat, ob[5];
        ent_date_t beg, end;
        bool open;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[ID], "atopid", ATOP_ID_MIN, ATOP_ID_MAX, &id, NULL)) != ENT_OK ||
            (rc = get_atop_date(r, bix, bn, false, false, &beg, &open)) != ENT_OK ||
            (rc = get_atop_date(r, eix, en, true, true, &end, &open)) != ENT_OK ||
            (rc = get_flag(r, ix[BILAT], "bilat", &bilat)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        for (int k = 0; k < 5 && rc == ENT_OK; k++) {
            rc = get_flag(r, ix[OB0 + k], atop_obligations[k], &ob[k]);
        }
        if (rc == ENT_OK && !open && end < beg) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[EY], "endyr", "the alliance ends (%d) before it begins (%d)",
                               (int)end, (int)beg);
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        char ext[24];
        snprintf(ext, sizeof ext, "%lld", (long long)id);
        snprintf(src, sizeof src, "ATOP 5.1 (Leeds et al. 2002), atopid %lld", (long long)id);
        ent_i_stmt_text(ins, 0, "atop");
        ent_i_stmt_text(ins, 1, ext);
        ent_i_stmt_null(ins, 2); /* ATOP names no alliance */
        ent_i_stmt_int(ins, 3, beg);
        if (open) {
            ent_i_stmt_null(ins, 4);
        } else {
            ent_i_stmt_int(ins, 4, end);
        }
        for (int k = 0; k < 5; k++) {
            ent_i_stmt_int(ins, 5 + k, ob[k]);
        }
        ent_i_stmt_int(ins, 10, bilat);
        ent_i_stmt_text(ins, 11, src);
        /* UNIQUE(dataset, ext_id) turns a repeated atopid into ENT_EEXISTS here. */
        snprintf(key, sizeof key, "atopid %lld", (long long)id);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        map->pact[id] = ent_i_stmt_rowid(ins);
        im->res->inserted++;
        ent_i_import_year(im, ent_date_year(beg));
        if (!open) {
            ent_i_import_year(im, ent_date_year(end));
        }
    }
    ENT_CHECK(rc);
    rc = ENT_OK;
done:
    ent_i_stmt_free(ins);
    ent_csv_free(r);
    return rc;
}

/*
 * What counts as a duplicate member row. In ATOP 5.1, (atopid, member) repeats
 * 225 times and (atopid, member, entry date) 9 times, legitimately: an alliance
 * with phases lists a member once per phase, each phase with its own
 * obligations and exit (atopid 3610: Germany's phase 2 ends 1993-09-24, its
 * phase 3 1994-06-22, both entered 1993-01-01), and a member that leaves and
 * rejoins has one row per spell (atopid 3015: Egypt 1945-1979 and from 1989,
 * both phase 0). (atopid, member, phase, entry date) never repeats: a state
 * cannot enter the same phase of the same alliance twice on one day, so two
 * such rows are two accounts of one membership, and the second is rejected
 * whether or not its exit and obligations agree with the first. Compared on
 * the built entry date, so "1993,1," and "1993,1,1" are the same entry.
 */
static ent_err_t import_atop_members(ent_i_import_t *im, const char *path, const atop_map_t *map,
                                     const char *alliance_name)
{
    static const char *cols[] = {"atopid", "member",  "phase",   "yrent",   "moent",   "dayent", "yrexit",
                                 "moexit", "dayexit", "defense", "offense", "neutral", "nonagg", "consul"};
    enum { ID, MEM, PH, YE, ME, DE, YX, MX, DX, OB0, NCOLS = OB0 + 5 };
    _Static_assert(sizeof cols / sizeof cols[0] == NCOLS, "one name per column");
    int ix[NCOLS];
    static const char *const dest[] = {"pact_id", "ccode",   "phase",  "entry_date", "exit_date", "defense",
                                       "offense", "neutral", "nonagg", "consul",     "source"};
    static const char *const dupkey[] = {"pact_id", "ccode", "phase", "entry_date"};
    ent_csv_t *r = NULL;
    ent_i_stmt_t *ins = NULL, *dup = NULL;
    ent_err_t rc;
    char key[128], src[96];

    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_insert(&ins, im->st, "pact_members", dest, 11, 1));
    /* pact_members has no unique key (phases and spells repeat a member), so the rule above is checked here. */
    ENT_CHECK(ent_i_store_lookup(&dup, im->st, "pact_members", dupkey, 1, dupkey, 4));
    size_t nhdr = ent_csv_nfields(r);
    const int eix[3] = {ix[YE], ix[ME], ix[DE]}, xix[3] = {ix[YX], ix[MX], ix[DX]};
    static const char *const en[3] = {"yrent", "moent", "dayent"}, *const xn[3] = {"yrexit", "moexit", "dayexit"};
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
        int64_t id, cc, phase, ob[5];
        ent_date_t entry, exit_;
        bool open;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[ID], "atopid", ATOP_ID_MIN, ATOP_ID_MAX, &id, NULL)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if (!map->pact[id]) {
            rc = ent_csv_error(r, ENT_ENOTFOUND, (size_t)ix[ID], "atopid", "alliance %lld is not in %s", (long long)id,
                               alliance_name);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        rc = ent_csv_get_i64(r, (size_t)ix[MEM], "member", 1, 9999, &cc, NULL);
        if (rc == ENT_OK && !atop_non_cow_member(cc)) {
            rc = ent_i_import_ccode(im, r, (size_t)ix[MEM], "member", &cc);
        }
        /* phase: 0 without phases, else 1..maxphase (at most 4 in 5.1); two digits leave room. */
        if (rc != ENT_OK || (rc = ent_csv_get_i64(r, (size_t)ix[PH], "phase", 0, 99, &phase, NULL)) != ENT_OK ||
            (rc = get_atop_date(r, eix, en, false, false, &entry, &open)) != ENT_OK ||
            (rc = get_atop_date(r, xix, xn, true, true, &exit_, &open)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        for (int k = 0; k < 5 && rc == ENT_OK; k++) {
            rc = get_flag(r, ix[OB0 + k], atop_obligations[k], &ob[k]);
        }
        if (rc == ENT_OK && !open && exit_ < entry) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[YX], "yrexit", "the member exits (%d) before it enters (%d)",
                               (int)exit_, (int)entry);
        }
        if (rc != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        snprintf(key, sizeof key, "atopid %lld, member %lld, phase %lld, entry %d", (long long)id, (long long)cc,
                 (long long)phase, (int)entry);
        ent_i_stmt_int(dup, 0, map->pact[id]);
        ent_i_stmt_int(dup, 1, cc);
        ent_i_stmt_int(dup, 2, phase);
        ent_i_stmt_int(dup, 3, entry);
        bool found;
        ENT_CHECK(ent_i_stmt_find(dup, "looking for a duplicate member row", &found));
        ent_i_stmt_reset(dup);
        if (found) {
            rc = ent_i_err(ENT_EEXISTS, "%s:%lld: duplicate row: %s", ent_csv_name(r), (long long)ent_csv_line(r), key);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        snprintf(src, sizeof src, "ATOP 5.1 (Leeds et al. 2002), atopid %lld", (long long)id);
        ent_i_stmt_int(ins, 0, map->pact[id]);
        ent_i_stmt_int(ins, 1, cc);
        ent_i_stmt_int(ins, 2, phase);
        ent_i_stmt_int(ins, 3, entry);
        if (open) {
            ent_i_stmt_null(ins, 4);
        } else {
            ent_i_stmt_int(ins, 4, exit_);
        }
        for (int k = 0; k < 5; k++) {
            ent_i_stmt_int(ins, 5 + k, ob[k]);
        }
        ent_i_stmt_text(ins, 10, src);
        if ((rc = ent_i_import_step(im, ins, r, key)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
        ent_i_import_year(im, ent_date_year(entry));
        if (!open) {
            ent_i_import_year(im, ent_date_year(exit_));
        }
    }
    ENT_CHECK(rc);
    rc = ENT_OK;
done:
    ent_i_stmt_free(ins);
    ent_i_stmt_free(dup);
    ent_csv_free(r);
    return rc;
}

/*
 * im->path is the folder holding both files or the member file; the alliance
 * file is then read from beside it. The alliance file is read first: member
 * rows are checked against it and point at its pacts.
 */
ent_err_t ent_i_import_atop(ent_i_import_t *im)
{
    ent_buf_t apath = ENT_BUF_INIT, mpath = ENT_BUF_INIT;
    atop_map_t *map = NULL;
    ent_err_t rc;
    struct stat sb;

    ENT_CHECK(ent_i_import_need_states(im));
    if (stat(im->path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(im->path);
        const char *sep = n && im->path[n - 1] == '/' ? "" : "/";
        ENT_CHECK(ent_buf_printf(&apath, "%s%s%s", im->path, sep, ATOP_ALLIANCE_FILE));
        ENT_CHECK(ent_buf_printf(&mpath, "%s%s%s", im->path, sep, ATOP_MEMBER_FILE));
    } else {
        const char *base = ent_i_basename(im->path);
        ENT_CHECK(ent_buf_put(&apath, im->path, (size_t)(base - im->path)));
        ENT_CHECK(ent_buf_puts(&apath, ATOP_ALLIANCE_FILE));
        ENT_CHECK(ent_buf_puts(&mpath, im->path));
    }
    /* Checked up front so the message says why a file the user did not name is wanted. */
    if (stat(ent_buf_cstr(&apath), &sb) != 0) {
        rc = ent_i_err(ENT_EIO,
                       "%s: cannot open: %s; the ATOP import reads the alliance-level file %s from the folder of "
                       "the member file %s",
                       ent_buf_cstr(&apath), strerror(errno), ATOP_ALLIANCE_FILE, ATOP_MEMBER_FILE);
        goto done;
    }
    map = ent_calloc(1, sizeof *map);
    if (!map) {
        rc = ent_i_nomem();
        goto done;
    }
    /* Replace: the members go with their pacts (ON DELETE CASCADE; the store turns foreign keys on). */
    ENT_CHECK(ent_i_store_clear(im->st, "pacts", "dataset", "atop"));
    ENT_CHECK(import_atop_alliances(im, ent_buf_cstr(&apath), map));
    ENT_CHECK(import_atop_members(im, ent_buf_cstr(&mpath), map, ent_i_basename(ent_buf_cstr(&apath))));
    rc = ENT_OK;
done:
    ent_free(map);
    ent_buf_destroy(&apath);
    ent_buf_destroy(&mpath);
    return rc;
}
