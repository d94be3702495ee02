/*
 * world_csv.c -- reading the shipped world: the sourced CSV files in data/.
 *
 * This reader is also the data check: it refuses what a reviewer would
 * refuse (an unsourced row, an unknown code or id, a duplicate, an end before
 * a start, a share outside 0..1), each time naming file:line:column and the
 * field. The files and their columns are documented in docs/data.md.
 *
 * It builds the world through the public builder (world.h: ent_world_new ...
 * ent_world_finalise), as the store's loader and the bindings do, so a world
 * read from files and one built in memory cannot diverge: the reader checks
 * and locates, the builder holds the one set of rules for what a world is.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "entente/world.h"
#include "util_int.h"

/* $ENTENTE_WORLD, else share/entente/data of the installed prefix, else the checkout (datadir.c). */
const char *ent_world_default_dir(void)
{
    return ent_i_default_dir(ENT_I_DIR_WORLD);
}

/* ------------------------------------------------------------ duplicate keys */

/* An open-addressing set of row keys, remembering the line each was first seen on. */
typedef struct {
    char **keys;
    int64_t *lines;
    size_t cap, len;
} keyset_t;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h;
}

static void keyset_free(keyset_t *k)
{
    for (size_t i = 0; i < k->cap; i++) {
        ent_free(k->keys[i]);
    }
    ent_free(k->keys);
    ent_free(k->lines);
    memset(k, 0, sizeof *k);
}

/* Adds key; *prev_line receives the earlier line when it was already there (then 0 is not returned). */
static ent_err_t keyset_add(keyset_t *k, const char *key, int64_t line, int64_t *prev_line)
{
    *prev_line = 0;
    if (2 * (k->len + 1) > k->cap) {
        size_t ncap = k->cap ? 2 * k->cap : 256;
        keyset_t n = {ent_calloc(ncap, sizeof(char *)), ent_calloc(ncap, sizeof(int64_t)), ncap, k->len};
        if (!n.keys || !n.lines) {
            ent_free(n.keys);
            ent_free(n.lines);
            return ent_i_nomem();
        }
        for (size_t i = 0; i < k->cap; i++) {
            if (k->keys[i]) {
                size_t j = fnv1a(k->keys[i]) & (ncap - 1);
                while (n.keys[j]) {
                    j = (j + 1) & (ncap - 1);
                }
                n.keys[j] = k->keys[i];
                n.lines[j] = k->lines[i];
            }
        }
        ent_free(k->keys);
        ent_free(k->lines);
        *k = n;
    }
    size_t j = fnv1a(key) & (k->cap - 1);
    while (k->keys[j]) {
        if (strcmp(k->keys[j], key) == 0) {
            *prev_line = k->lines[j];
            return ENT_OK;
        }
        j = (j + 1) & (k->cap - 1);
    }
    if (!(k->keys[j] = ent_strdup(key))) {
        return ent_i_nomem();
    }
    k->lines[j] = line;
    k->len++;
    return ENT_OK;
}

/* ------------------------------------------------------------ a file being read */

#define MAXCOLS 16

typedef struct {
    ent_world_t *w;
    ent_csv_t *r;
    int ix[MAXCOLS];
    const char *const *cols;
    size_t ncols;
    size_t nhdr;
    keyset_t keys;
} rd_t;

static ent_err_t rd_open(rd_t *rd, ent_world_t *w, const char *dir, const char *file, const char *const *cols,
                         size_t ncols)
{
    memset(rd, 0, sizeof *rd);
    rd->w = w;
    rd->cols = cols;
    rd->ncols = ncols;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    ent_err_t rc = ent_csv_open(&rd->r, path, NULL);
    if (rc != ENT_OK) {
        return rc;
    }
    /* Every listed column is required: a file missing one was not compiled to the documented layout. */
    if ((rc = ent_csv_header(rd->r, cols, NULL, rd->ix, ncols)) != ENT_OK) {
        return rc;
    }
    rd->nhdr = ent_csv_nfields(rd->r);
    return ENT_OK;
}

/* Safe on a zeroed rd_t: the readers zero theirs, so a failure before rd_open() may `goto done`. */
static void rd_close(rd_t *rd)
{
    ent_csv_free(rd->r);
    keyset_free(&rd->keys);
    rd->r = NULL;
}

/* The next row, checked for its field count; *eof at the end. */
static ent_err_t rd_next(rd_t *rd, bool *eof)
{
    ent_err_t rc = ent_csv_next(rd->r, eof);
    if (rc != ENT_OK || *eof) {
        return rc;
    }
    return ent_csv_expect_fields(rd->r, rd->nhdr);
}

static size_t col(const rd_t *rd, int k)
{
    return (size_t)rd->ix[k];
}

static ent_err_t rd_key(rd_t *rd, const char *key, int field)
{
    int64_t prev;
    ent_err_t rc = keyset_add(&rd->keys, key, ent_csv_line(rd->r), &prev);
    if (rc == ENT_OK && prev) {
        return ent_csv_error(rd->r, ENT_EEXISTS, col(rd, field), rd->cols[field],
                             "duplicate row (%s), first on line %lld", key, (long long)prev);
    }
    return rc;
}

static ent_err_t rd_state(rd_t *rd, int field, int64_t *idx)
{
    int64_t c;
    ent_err_t rc = ent_csv_get_i64(rd->r, col(rd, field), rd->cols[field], 1, 999, &c, NULL);
    if (rc != ENT_OK) {
        return rc;
    }
    if ((*idx = ent_world_state_index(rd->w, (int32_t)c)) < 0) {
        return ent_csv_error(rd->r, ENT_ENOTFOUND, col(rd, field), rd->cols[field], "state %lld is not in states.csv",
                             (long long)c);
    }
    return ENT_OK;
}

/* A text field, borrowed from the current row (valid until the next): the builder's adds copy it. */
static ent_err_t rd_text(rd_t *rd, int field, bool required, size_t max, const char **out)
{
    const char *s;
    bool na = false;
    ent_err_t rc = ent_csv_get_str(rd->r, col(rd, field), rd->cols[field], max, &s, required ? NULL : &na);
    if (rc == ENT_OK) {
        *out = na ? "" : s;
    }
    return rc;
}

/*
 * The builder's verdict on a row the reader has checked: located at file:line:column and the
 * field when the builder refuses it (its rules are the world's: the reader cannot drift from
 * them), out of memory as it is.
 */
static ent_err_t rd_built(rd_t *rd, int field, ent_err_t rc)
{
    if (rc == ENT_OK || rc == ENT_ENOMEM) {
        return rc;
    }
    char why[512];
    snprintf(why, sizeof why, "%s", ent_errmsg());
    return ent_csv_error(rd->r, rc, col(rd, field), rd->cols[field], "%s", why);
}

/* A copy of state i's record, to change and set back with set_state(). */
static ent_state_t state_copy(const rd_t *rd, int64_t i)
{
    return *ent_world_state(rd->w, (size_t)i);
}

static ent_err_t set_state(rd_t *rd, int field, int64_t i, const ent_state_t *s)
{
    return rd_built(rd, field, ent_world_set_state(rd->w, i, s));
}

static ent_err_t rd_date(rd_t *rd, int field, bool end, bool required, ent_date_t *out)
{
    size_t i = col(rd, field);
    if (ent_csv_is_na(rd->r, i)) {
        if (required) {
            return ent_csv_error(rd->r, ENT_EPARSE, i, rd->cols[field], "missing date");
        }
        *out = end ? ENT_DATE_MAX : ENT_DATE_NONE;
        return ENT_OK;
    }
    if (ent_date_parse(out, ent_csv_field(rd->r, i, NULL), end) != ENT_OK) {
        return ent_csv_error(rd->r, ENT_EPARSE, i, rd->cols[field], "%s", ent_errmsg());
    }
    if (ent_date_year(*out) < 1800 || ent_date_year(*out) > 2100) {
        return ent_csv_error(rd->r, ENT_ERANGE, i, rd->cols[field], "year %d outside 1800..2100", ent_date_year(*out));
    }
    return ENT_OK;
}

static ent_err_t rd_span(rd_t *rd, int fstart, int fend, bool start_required, ent_date_t *s, ent_date_t *e)
{
    ent_err_t rc;
    if ((rc = rd_date(rd, fstart, false, start_required, s)) != ENT_OK ||
        (rc = rd_date(rd, fend, true, false, e)) != ENT_OK) {
        return rc;
    }
    if (*s != ENT_DATE_NONE && *e < *s) {
        return ent_csv_error(rd->r, ENT_ERANGE, col(rd, fend), rd->cols[fend], "ends before it starts");
    }
    return ENT_OK;
}

static ent_err_t rd_flag(rd_t *rd, int field, bool *out)
{
    int64_t v;
    ent_err_t rc = ent_csv_get_i64(rd->r, col(rd, field), rd->cols[field], 0, 1, &v, NULL);
    *out = v == 1;
    return rc;
}

static ent_err_t rd_real(rd_t *rd, int field, double lo, double hi, bool required, double *out)
{
    bool na = false;
    ent_err_t rc = ent_csv_get_f64(rd->r, col(rd, field), rd->cols[field], lo, hi, out, required ? NULL : &na);
    if (rc == ENT_OK && na) {
        *out = NAN;
    }
    return rc;
}

static ent_err_t rd_source(rd_t *rd, int field, const char **out)
{
    size_t i = col(rd, field);
    size_t len;
    const char *s = ent_csv_field(rd->r, i, &len);
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    if (!len || ent_csv_is_na(rd->r, i)) {
        return ent_csv_error(rd->r, ENT_EPARSE, i, rd->cols[field], "every row needs a source");
    }
    return rd_text(rd, field, true, 2000, out);
}

/* One of a fixed list of words. */
static ent_err_t rd_word(rd_t *rd, int field, const char *const *allowed, const char **out)
{
    const char *s = ent_csv_field(rd->r, col(rd, field), NULL);
    for (size_t k = 0; allowed[k]; k++) {
        if (strcmp(s, allowed[k]) == 0) {
            *out = allowed[k];
            return ENT_OK;
        }
    }
    char list[256] = "";
    for (size_t k = 0; allowed[k]; k++) {
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "", allowed[k]);
    }
    return ent_csv_error(rd->r, ENT_EPARSE, col(rd, field), rd->cols[field], "'%.40s' is not one of: %s", s, list);
}

#define COLS(...)                                                                                                      \
    static const char *const cols[] = {__VA_ARGS__};                                                                   \
    enum { NC = sizeof cols / sizeof cols[0] };

/* ------------------------------------------------------------ the files */

static ent_err_t read_states(ent_world_t *w, const char *dir)
{
    COLS("ccode", "abbr", "iso2", "iso3", "name", "region", "capital", "lat", "lon", "un_member", "source");
    enum { CC, ABB, ISO2, ISO3, NAME, REG, CAP, LAT, LON, UN, SRC };
    static const char *const regions[] = {"Americas", "Europe", "Africa", "Middle East", "Asia", "Oceania", NULL};
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "states.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        ent_state_t x;
        ent_state_init(&x);
        int64_t c;
        const char *abb, *iso3, *src;
        ENT_CHECK(ent_csv_get_i64(rd.r, col(&rd, CC), "ccode", 1, 999, &c, NULL));
        x.ccode = (int32_t)c;
        ENT_CHECK(rd_key(&rd, ent_csv_field(rd.r, col(&rd, CC), NULL), CC));
        ENT_CHECK(ent_csv_get_str(rd.r, col(&rd, ABB), "abbr", 3, &abb, NULL));
        ENT_CHECK(ent_csv_get_str(rd.r, col(&rd, ISO3), "iso3", 3, &iso3, NULL));
        if (strlen(iso3) != 3 || strlen(abb) != 3) {
            ENT_CHECK(ent_csv_error(rd.r, ENT_EPARSE, col(&rd, strlen(abb) != 3 ? ABB : ISO3),
                                    strlen(abb) != 3 ? "abbr" : "iso3", "expected three letters"));
        }
        snprintf(x.abbr, sizeof x.abbr, "%s", abb);
        snprintf(x.iso3, sizeof x.iso3, "%s", iso3);
        ENT_CHECK(rd_text(&rd, NAME, true, 200, &x.name));
        ENT_CHECK(rd_word(&rd, REG, regions, &x.region));
        ENT_CHECK(rd_text(&rd, CAP, true, 200, &x.capital));
        ENT_CHECK(rd_real(&rd, LAT, -90, 90, true, &x.cap_lat));
        ENT_CHECK(rd_real(&rd, LON, -180, 180, true, &x.cap_lon));
        ENT_CHECK(rd_flag(&rd, UN, &x.un_member));
        ENT_CHECK(rd_source(&rd, SRC, &src));
        ENT_CHECK(rd_built(&rd, CC, ent_world_add_state(NULL, w, &x)));
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

static ent_err_t read_capabilities(ent_world_t *w, const char *dir)
{
    COLS("ccode", "year", "cinc", "milex_usd_m", "gdp_usd_bn", "source");
    enum { CC, YR, CINC, MILEX, GDP, SRC };
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "capabilities.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        int64_t i = 0, y = 0;
        double cinc;
        const char *src;
        ENT_CHECK(rd_state(&rd, CC, &i));
        ENT_CHECK(rd_key(&rd, ent_csv_field(rd.r, col(&rd, CC), NULL), CC));
        ENT_CHECK(
            ent_csv_get_i64(rd.r, col(&rd, YR), "year", ENT_WORLD_CINC_FIRST_YEAR, ENT_WORLD_CINC_LAST_YEAR, &y, NULL));
        ENT_CHECK(rd_real(&rd, CINC, 0, 1, false, &cinc));
        ent_state_t s = state_copy(&rd, i);
        ENT_CHECK(rd_real(&rd, MILEX, 0, 1e7, false, &s.milex_usd_m));
        ENT_CHECK(rd_real(&rd, GDP, 0, 1e6, false, &s.gdp_usd_bn));
        ENT_CHECK(rd_source(&rd, SRC, &src));
        ENT_CHECK(set_state(&rd, CC, i, &s));
        if (!isnan(cinc)) {
            ENT_CHECK(rd_built(&rd, CINC, ent_world_set_cinc(w, i, (int)y, cinc)));
        }
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

static ent_err_t read_regime(ent_world_t *w, const char *dir)
{
    COLS("ccode", "year", "polyarchy", "source");
    enum { CC, YR, POLY, SRC };
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "regime.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        int64_t i = 0, y = 0;
        const char *src;
        ENT_CHECK(rd_state(&rd, CC, &i));
        ENT_CHECK(rd_key(&rd, ent_csv_field(rd.r, col(&rd, CC), NULL), CC));
        ENT_CHECK(ent_csv_get_i64(rd.r, col(&rd, YR), "year", 1990, 2100, &y, NULL));
        ent_state_t s = state_copy(&rd, i);
        ENT_CHECK(rd_real(&rd, POLY, 0, 1, true, &s.democracy));
        ENT_CHECK(rd_source(&rd, SRC, &src));
        ENT_CHECK(set_state(&rd, CC, i, &s));
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

static ent_err_t read_tiers(ent_world_t *w, const char *dir)
{
    COLS("tier", "label", "source");
    enum { TIER, LABEL, SRC };
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "tiers.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        int64_t t;
        const char *src, *label;
        ENT_CHECK(ent_csv_get_i64(rd.r, col(&rd, TIER), "tier", 1, ENT_WORLD_MAX_TIER, &t, NULL));
        ENT_CHECK(rd_key(&rd, ent_csv_field(rd.r, col(&rd, TIER), NULL), TIER));
        ENT_CHECK(rd_text(&rd, LABEL, true, 200, &label));
        ENT_CHECK(rd_source(&rd, SRC, &src));
        ENT_CHECK(rd_built(&rd, LABEL, ent_world_set_tier_label(w, (int)t, label)));
    }
    /* The scale is ordinal: a gap would make "one tier up" mean two. (Finalising refuses it too;
     * here the message names the file.) */
    int max = ent_world_max_tier(w);
    for (int t = 1; t <= max; t++) {
        if (!ent_world_tier_label(w, t)[0]) {
            rc = ent_i_err(ENT_EPARSE, "tiers.csv: tier %d is missing (the scale must run 1..%d)", t, max);
            goto done;
        }
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

/* Adds a checked tie; a refusal is located at `field` of the row. */
static ent_err_t add_tie(rd_t *rd, int field, const ent_tie_t *t)
{
    return rd_built(rd, field, ent_world_add_tie(rd->w, t));
}

static ent_err_t read_partnerships(ent_world_t *w, const char *dir)
{
    COLS("partner", "pole", "tier", "moniker", "start", "end", "source");
    enum { PARTNER, POLE, TIER, MONIKER, START, END, SRC };
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "partnerships.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        ent_tie_t t;
        memset(&t, 0, sizeof t);
        int64_t tier;
        t.kind = ENT_TIE_PARTNERSHIP;
        t.directed = true;
        t.subtype = "";
        ENT_CHECK(rd_state(&rd, POLE, &t.a));
        ENT_CHECK(rd_state(&rd, PARTNER, &t.b));
        if (t.a == t.b) {
            ENT_CHECK(ent_csv_error(rd.r, ENT_EPARSE, col(&rd, PARTNER), "partner", "a state cannot partner itself"));
        }
        ENT_CHECK(ent_csv_get_i64(rd.r, col(&rd, TIER), "tier", 1, ENT_WORLD_MAX_TIER, &tier, NULL));
        if (tier > ent_world_max_tier(w)) {
            ENT_CHECK(ent_csv_error(rd.r, ENT_ERANGE, col(&rd, TIER), "tier",
                                    "tier %lld is not on the scale of tiers.csv (1..%d)", (long long)tier,
                                    ent_world_max_tier(w)));
        }
        t.level = (double)tier;
        ENT_CHECK(rd_text(&rd, MONIKER, true, 300, &t.moniker));
        ENT_CHECK(rd_span(&rd, START, END, true, &t.start, &t.end));
        ENT_CHECK(rd_source(&rd, SRC, &t.source));
        char key[64];
        snprintf(key, sizeof key, "pole %d, partner %d, start %d", ent_world_state(w, (size_t)t.a)->ccode,
                 ent_world_state(w, (size_t)t.b)->ccode, t.start);
        ENT_CHECK(rd_key(&rd, key, START));
        ENT_CHECK(add_tie(&rd, PARTNER, &t));
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

/* A pact of pacts.csv with its members from pact_members.csv, until both files are read. */
typedef struct {
    char *id, *name, *source; /* owned copies: the rows they came from are gone when the members are read */
    ent_date_t start, end;
    bool dormant;
    ent_vec_t members; /* ent_pact_member_t */
} pact_t;

/* A dormant flag is a judgement against the record: it must say why, with the evidence, in `note`. */
static ent_err_t check_dormant_note(rd_t *rd, int fnote)
{
    const char *note = ent_csv_field(rd->r, col(rd, fnote), NULL);
    if (!note || !strcasestr(note, "dormant")) {
        return ent_csv_error(rd->r, ENT_EPARSE, col(rd, fnote), "note",
                             "a dormant pact needs its evidence in note (\"dormant: ...\")");
    }
    return ENT_OK;
}

static ent_err_t read_pacts(ent_world_t *w, const char *dir)
{
    COLS("pact_id", "name", "start", "end", "defense", "offense", "neutral", "nonagg", "consul", "dormant", "source",
         "note");
    enum { ID, NAME, START, END, DEF, OFF, NEU, NON, CON, DORM, SRC, NOTE };
    static const char *const mcols[] = {"pact_id", "ccode",  "entry",  "exit",    "defense", "offense",
                                        "neutral", "nonagg", "consul", "dormant", "source"};
    enum { M_ID, M_CC, M_ENTRY, M_EXIT, M_DEF, M_DORM = 9, M_SRC = 10, M_NC = 11 };
    rd_t rd, rm;
    memset(&rm, 0, sizeof rm);
    bool eof;
    ent_err_t rc;
    ent_vec_t pacts;
    ent_vec_init(&pacts, sizeof(pact_t));
    ENT_CHECK(rd_open(&rd, w, dir, "pacts.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        pact_t p;
        memset(&p, 0, sizeof p);
        ent_vec_init(&p.members, sizeof(ent_pact_member_t));
        const char *id, *name, *source;
        ENT_CHECK(rd_text(&rd, ID, true, 64, &id));
        ENT_CHECK(rd_key(&rd, id, ID));
        ENT_CHECK(rd_text(&rd, NAME, true, 300, &name));
        ENT_CHECK(rd_span(&rd, START, END, true, &p.start, &p.end));
        for (int k = DEF; k <= CON; k++) {
            bool f;
            ENT_CHECK(rd_flag(&rd, k, &f)); /* validated; members carry their own obligations */
        }
        ENT_CHECK(rd_flag(&rd, DORM, &p.dormant));
        if (p.dormant) {
            ENT_CHECK(check_dormant_note(&rd, NOTE));
        }
        ENT_CHECK(rd_source(&rd, SRC, &source));
        p.id = ent_strdup(id);
        p.name = ent_strdup(name);
        p.source = ent_strdup(source);
        if (!p.id || !p.name || !p.source || ent_vec_push(&pacts, &p) != ENT_OK) {
            ent_free(p.id);
            ent_free(p.name);
            ent_free(p.source);
            rc = ent_i_nomem();
            goto done;
        }
    }
    ENT_CHECK(rd_open(&rm, w, dir, "pact_members.csv", mcols, M_NC));
    for (;;) {
        ENT_CHECK(rd_next(&rm, &eof));
        if (eof) {
            break;
        }
        const char *id = ent_csv_field(rm.r, col(&rm, M_ID), NULL);
        pact_t *p = NULL;
        for (size_t k = 0; k < pacts.len && !p; k++) {
            if (strcmp(ENT_VEC_AT(&pacts, pact_t, k).id, id) == 0) {
                p = &ENT_VEC_AT(&pacts, pact_t, k);
            }
        }
        if (!p) {
            ENT_CHECK(
                ent_csv_error(rm.r, ENT_ENOTFOUND, col(&rm, M_ID), "pact_id", "pact '%.64s' is not in pacts.csv", id));
        }
        ent_pact_member_t m;
        memset(&m, 0, sizeof m);
        const char *src;
        ENT_CHECK(rd_state(&rm, M_CC, &m.state));
        int ccode = ent_world_state(w, (size_t)m.state)->ccode;
        ENT_CHECK(rd_span(&rm, M_ENTRY, M_EXIT, true, &m.entry, &m.exit));
        if (m.entry < p->start) {
            ENT_CHECK(
                ent_csv_error(rm.r, ENT_ERANGE, col(&rm, M_ENTRY), "entry", "member enters before the pact starts"));
        }
        if (p->end < m.exit) {
            m.exit = p->end; /* membership ends with the pact */
        }
        for (int k = 0; k < 5; k++) {
            bool f;
            ENT_CHECK(rd_flag(&rm, M_DEF + k, &f));
            m.obligations |= f ? 1u << k : 0;
        }
        /* The spells carry the dated flag (a pact can be live for decades before it falls dormant); the
         * pact's flag says it is dormant now, so its open spells must be. */
        ENT_CHECK(rd_flag(&rm, M_DORM, &m.dormant));
        if (p->dormant && m.exit == ENT_DATE_MAX && !m.dormant) {
            ENT_CHECK(ent_csv_error(rm.r, ENT_EPARSE, col(&rm, M_DORM), "dormant",
                                    "pact '%.64s' is dormant, but this open spell is not", id));
        }
        ENT_CHECK(rd_source(&rm, M_SRC, &src));
        char key[128];
        snprintf(key, sizeof key, "%s, state %d, entry %d", id, ccode, m.entry);
        ENT_CHECK(rd_key(&rm, key, M_ID));
        ENT_CHECK(ent_vec_push(&p->members, &m));
    }
    for (size_t k = 0; k < pacts.len; k++) {
        pact_t *p = &ENT_VEC_AT(&pacts, pact_t, k);
        if (p->members.len < 2) {
            rc = ent_i_err(ENT_EPARSE, "pacts.csv: pact '%s' has %zu member(s) in pact_members.csv; a pact needs two",
                           p->id, p->members.len);
            goto done;
        }
        if ((rc = ent_world_add_pact(w, p->members.data, p->members.len, p->name, p->source)) != ENT_OK) {
            if (rc != ENT_ENOMEM) {
                char why[512];
                snprintf(why, sizeof why, "%s", ent_errmsg());
                rc = ent_i_err(rc, "pact_members.csv: pact '%s': %s", p->id, why);
            }
            goto done;
        }
    }
    rc = ENT_OK;
done:
    for (size_t k = 0; k < pacts.len; k++) {
        pact_t *p = &ENT_VEC_AT(&pacts, pact_t, k);
        ent_vec_destroy(&p->members);
        ent_free(p->id);
        ent_free(p->name);
        ent_free(p->source);
    }
    ent_vec_destroy(&pacts);
    rd_close(&rd);
    rd_close(&rm);
    return rc;
}

static ent_err_t read_orgs(ent_world_t *w, const char *dir)
{
    COLS("org_id", "name", "kind", "founded", "source");
    enum { ID, NAME, KIND, FOUNDED, SRC };
    static const char *const mcols[] = {"org_id", "ccode", "role", "joined", "left", "source"};
    enum { M_ID, M_CC, M_ROLE, M_JOINED, M_LEFT, M_SRC, M_NC };
    static const char *const kinds[] = {"collective_defense", "security_grouping", "cooperation_forum", "economic",
                                        NULL};
    static const char *const roles[] = {"member", "observer", "dialogue_partner", "partner", NULL};
    rd_t rd, rm;
    memset(&rm, 0, sizeof rm);
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "orgs.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        ent_org_t o;
        memset(&o, 0, sizeof o);
        ENT_CHECK(rd_text(&rd, ID, true, 64, &o.id));
        ENT_CHECK(rd_key(&rd, o.id, ID));
        ENT_CHECK(rd_text(&rd, NAME, true, 300, &o.name));
        ENT_CHECK(rd_word(&rd, KIND, kinds, &o.kind));
        ENT_CHECK(rd_date(&rd, FOUNDED, false, true, &o.founded));
        ENT_CHECK(rd_source(&rd, SRC, &o.source));
        ENT_CHECK(rd_built(&rd, ID, ent_world_add_org(NULL, w, &o)));
    }
    ENT_CHECK(rd_open(&rm, w, dir, "org_members.csv", mcols, M_NC));
    for (;;) {
        ENT_CHECK(rd_next(&rm, &eof));
        if (eof) {
            break;
        }
        ent_membership_t m;
        memset(&m, 0, sizeof m);
        const char *id = ent_csv_field(rm.r, col(&rm, M_ID), NULL);
        if (ent_world_find_org(&m.org, w, id) != ENT_OK) {
            ENT_CHECK(ent_csv_error(rm.r, ENT_ENOTFOUND, col(&rm, M_ID), "org_id",
                                    "organisation '%.64s' is not in orgs.csv", id));
        }
        ENT_CHECK(rd_state(&rm, M_CC, &m.state));
        ENT_CHECK(rd_word(&rm, M_ROLE, roles, &m.role));
        ENT_CHECK(rd_span(&rm, M_JOINED, M_LEFT, true, &m.joined, &m.left));
        ENT_CHECK(rd_source(&rm, M_SRC, &m.source));
        char key[160];
        snprintf(key, sizeof key, "%s, state %d, %s, joined %d", id, ent_world_state(w, (size_t)m.state)->ccode, m.role,
                 m.joined);
        ENT_CHECK(rd_key(&rm, key, M_ID));
        ENT_CHECK(rd_built(&rm, M_ID, ent_world_add_membership(w, &m)));
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    rd_close(&rm);
    return rc;
}

static ent_err_t read_security(ent_world_t *w, const char *dir)
{
    COLS("a", "b", "kind", "name", "start", "end", "intensity", "source");
    enum { A, B, KIND, NAME, START, END, INT, SRC };
    static const char *const kinds[] = {"exercise", "patrol", "arms", "basing", "intelligence", NULL};
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "security.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        ent_tie_t t;
        memset(&t, 0, sizeof t);
        t.kind = ENT_TIE_SECURITY;
        ENT_CHECK(rd_state(&rd, A, &t.a));
        ENT_CHECK(rd_state(&rd, B, &t.b));
        if (t.a == t.b) {
            ENT_CHECK(ent_csv_error(rd.r, ENT_EPARSE, col(&rd, B), "b", "a tie needs two different states"));
        }
        ENT_CHECK(rd_word(&rd, KIND, kinds, &t.subtype));
        /* arms flow and basing go one way: supplier/host first */
        t.directed = strcmp(t.subtype, "arms") == 0 || strcmp(t.subtype, "basing") == 0;
        ENT_CHECK(rd_text(&rd, NAME, true, 300, &t.moniker));
        ENT_CHECK(rd_span(&rd, START, END, true, &t.start, &t.end));
        ENT_CHECK(rd_real(&rd, INT, 1, 3, true, &t.level));
        ENT_CHECK(rd_source(&rd, SRC, &t.source));
        char key[400];
        snprintf(key, sizeof key, "%d-%d %s '%.300s' from %d", ent_world_state(w, (size_t)t.a)->ccode,
                 ent_world_state(w, (size_t)t.b)->ccode, t.subtype, t.moniker, t.start);
        ENT_CHECK(rd_key(&rd, key, A));
        ENT_CHECK(add_tie(&rd, A, &t));
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

static ent_err_t read_economic(ent_world_t *w, const char *dir)
{
    COLS("ccode", "year", "trade_share_chn", "trade_share_usa", "chn_finance_usd_bn", "estimate", "source");
    enum { CC, YR, CHN, USA, FINANCE, EST, SRC };
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    /* Several years per state may be given (a derived 2014 figure, a newer official one): the
     * state carries its latest year's figures, which is what the base-year world means. */
    int *latest = ent_calloc(ent_world_nstates(w) ? ent_world_nstates(w) : 1, sizeof *latest);
    if (!latest) {
        return ent_i_nomem();
    }
    ENT_CHECK(rd_open(&rd, w, dir, "economic.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        int64_t i = 0, y = 0;
        const char *src;
        double chn, usa, finance;
        bool est;
        ENT_CHECK(rd_state(&rd, CC, &i));
        ENT_CHECK(ent_csv_get_i64(rd.r, col(&rd, YR), "year", 1990, 2100, &y, NULL));
        char key[32];
        snprintf(key, sizeof key, "%s, %lld", ent_csv_field(rd.r, col(&rd, CC), NULL), (long long)y);
        ENT_CHECK(rd_key(&rd, key, CC));
        ENT_CHECK(rd_real(&rd, CHN, 0, 1, false, &chn));
        ENT_CHECK(rd_real(&rd, USA, 0, 1, false, &usa));
        if (!isnan(chn) && !isnan(usa) && chn + usa > 1) {
            ENT_CHECK(ent_csv_error(rd.r, ENT_ERANGE, col(&rd, USA), "trade_share_usa",
                                    "shares with China and the US add up to more than 1"));
        }
        ENT_CHECK(rd_real(&rd, FINANCE, 0, 1e4, false, &finance));
        ENT_CHECK(rd_flag(&rd, EST, &est));
        ENT_CHECK(rd_source(&rd, SRC, &src));
        if (y >= latest[i]) {
            ent_state_t s = state_copy(&rd, i);
            /* a newer row without a figure keeps the older figure rather than erasing it */
            if (!isnan(chn)) {
                s.trade_share_chn = chn;
            }
            if (!isnan(usa)) {
                s.trade_share_usa = usa;
            }
            if (!isnan(finance)) {
                s.chn_finance_usd_bn = finance;
            }
            s.econ_year = (int)y;
            s.econ_estimate = est;
            ENT_CHECK(set_state(&rd, CC, i, &s));
            latest[i] = (int)y;
        }
    }
    rc = ENT_OK;
done:
    ent_free(latest);
    rd_close(&rd);
    return rc;
}

/* unga.csv: one row per state, its UN General Assembly position in one session (derive_unga.py). */
static ent_err_t read_unga(ent_world_t *w, const char *dir)
{
    COLS("ccode", "year", "ideal_point", "agree_usa", "agree_chn", "votes", "source");
    enum { CC, YR, IDEAL, AUSA, ACHN, VOTES, SRC };
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "unga.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        int64_t i = 0, y = 0, votes = 0;
        bool votes_na = false;
        const char *src;
        double ideal, ausa, achn;
        ENT_CHECK(rd_state(&rd, CC, &i));
        ENT_CHECK(rd_key(&rd, ent_csv_field(rd.r, col(&rd, CC), NULL), CC));
        ENT_CHECK(ent_csv_get_i64(rd.r, col(&rd, YR), "year", 1946, 2100, &y, NULL));
        /* Ideal points are standardised: the estimates span about -3..3 */
        ENT_CHECK(rd_real(&rd, IDEAL, -10, 10, false, &ideal));
        ENT_CHECK(rd_real(&rd, AUSA, 0, 1, false, &ausa));
        ENT_CHECK(rd_real(&rd, ACHN, 0, 1, false, &achn));
        ENT_CHECK(ent_csv_get_i64(rd.r, col(&rd, VOTES), "votes", 0, 100000, &votes, &votes_na));
        if (votes_na && (!isnan(ausa) || !isnan(achn))) {
            /* a share without its count could rest on a single vote: refuse it rather than guess */
            ENT_CHECK(ent_csv_error(rd.r, ENT_EPARSE, col(&rd, VOTES), "votes",
                                    "an agreement share needs the number of votes it was computed from"));
        }
        ENT_CHECK(rd_source(&rd, SRC, &src));
        ent_state_t s = state_copy(&rd, i);
        s.unga_year = (int)y;
        s.unga_votes = votes_na ? 0 : (int)votes;
        s.unga_ideal = ideal;
        s.unga_agree_usa = ausa;
        s.unga_agree_chn = achn;
        ENT_CHECK(set_state(&rd, CC, i, &s));
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

static ent_err_t read_coercion(ent_world_t *w, const char *dir)
{
    COLS("sender", "target", "start", "end", "kind", "description", "source");
    enum { SENDER, TARGET, START, END, KIND, DESC, SRC };
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "coercion.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        ent_tie_t t;
        memset(&t, 0, sizeof t);
        t.kind = ENT_TIE_COERCION;
        t.directed = true;
        t.level = 1;
        ENT_CHECK(rd_state(&rd, SENDER, &t.a));
        ENT_CHECK(rd_state(&rd, TARGET, &t.b));
        if (t.a == t.b) {
            ENT_CHECK(ent_csv_error(rd.r, ENT_EPARSE, col(&rd, TARGET), "target", "a state cannot coerce itself"));
        }
        ENT_CHECK(rd_span(&rd, START, END, true, &t.start, &t.end));
        ENT_CHECK(rd_text(&rd, KIND, true, 64, &t.subtype));
        ENT_CHECK(rd_text(&rd, DESC, true, 1000, &t.moniker));
        ENT_CHECK(rd_source(&rd, SRC, &t.source));
        char key[160];
        snprintf(key, sizeof key, "%d->%d %s from %d", ent_world_state(w, (size_t)t.a)->ccode,
                 ent_world_state(w, (size_t)t.b)->ccode, t.subtype, t.start);
        ENT_CHECK(rd_key(&rd, key, SENDER));
        ENT_CHECK(add_tie(&rd, SENDER, &t));
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

static ent_err_t read_rivalries(ent_world_t *w, const char *dir)
{
    COLS("a", "b", "kind", "intensity", "start", "end", "source");
    enum { A, B, KIND, INT, START, END, SRC };
    static const char *const kinds[] = {"territorial",     "positional", "ideological",
                                        "interventionary", "maritime",   NULL};
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "rivalries.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        ent_tie_t t;
        memset(&t, 0, sizeof t);
        t.kind = ENT_TIE_RIVALRY;
        t.moniker = "";
        ENT_CHECK(rd_state(&rd, A, &t.a));
        ENT_CHECK(rd_state(&rd, B, &t.b));
        if (t.a == t.b) {
            ENT_CHECK(ent_csv_error(rd.r, ENT_EPARSE, col(&rd, B), "b", "a rivalry needs two different states"));
        }
        ENT_CHECK(rd_word(&rd, KIND, kinds, &t.subtype));
        ENT_CHECK(rd_real(&rd, INT, 0, 1, true, &t.level));
        ENT_CHECK(rd_span(&rd, START, END, true, &t.start, &t.end));
        ENT_CHECK(rd_source(&rd, SRC, &t.source));
        int ca = ent_world_state(w, (size_t)t.a)->ccode, cb = ent_world_state(w, (size_t)t.b)->ccode;
        char key[96];
        snprintf(key, sizeof key, "%d-%d %s from %d", ca < cb ? ca : cb, ca < cb ? cb : ca, t.subtype, t.start);
        ENT_CHECK(rd_key(&rd, key, A));
        ENT_CHECK(add_tie(&rd, A, &t));
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

static ent_err_t read_events(ent_world_t *w, const char *dir)
{
    COLS("date", "kind", "actors", "description", "source");
    enum { DATE, KIND, ACTORS, DESC, SRC };
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    int64_t *act = NULL; /* the row's actors: the builder keeps its own copy */
    ENT_CHECK(rd_open(&rd, w, dir, "events.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        ent_event_t e;
        memset(&e, 0, sizeof e);
        ENT_CHECK(rd_date(&rd, DATE, false, true, &e.date));
        ENT_CHECK(rd_text(&rd, KIND, true, 64, &e.kind));
        ENT_CHECK(rd_text(&rd, DESC, true, 2000, &e.description));
        ENT_CHECK(rd_source(&rd, SRC, &e.source));
        /* actors: COW codes separated by ';' */
        const char *s = ent_csv_field(rd.r, col(&rd, ACTORS), NULL);
        size_t n = 1;
        for (const char *p = s; *p; p++) {
            n += *p == ';';
        }
        ent_free(act);
        if (!(act = ent_calloc(n, sizeof *act))) {
            rc = ent_i_nomem();
            goto done;
        }
        const char *p = s;
        for (size_t k = 0; k < n; k++) {
            char *end;
            long c = strtol(p, &end, 10);
            if (end == p || (*end && *end != ';') || c < 1 || c > 999 || ent_world_state_index(w, (int32_t)c) < 0) {
                ENT_CHECK(ent_csv_error(rd.r, end == p || (*end && *end != ';') ? ENT_EPARSE : ENT_ENOTFOUND,
                                        col(&rd, ACTORS), "actors",
                                        "expected COW codes separated by ';' that are in states.csv, got '%.60s'", s));
            }
            act[k] = ent_world_state_index(w, (int32_t)c);
            p = *end ? end + 1 : end;
        }
        e.actors = act;
        e.nactors = n;
        char key[2100];
        snprintf(key, sizeof key, "%d %s %.2000s", e.date, e.kind, e.description);
        ENT_CHECK(rd_key(&rd, key, DATE));
        ENT_CHECK(rd_built(&rd, DATE, ent_world_add_event(w, &e)));
    }
    rc = ENT_OK;
done:
    ent_free(act);
    rd_close(&rd);
    return rc;
}

/* One row per unordered pair, COW's type: what the pact model's contiguity terms read (docs/data.md). */
static ent_err_t read_contiguity(ent_world_t *w, const char *dir)
{
    COLS("ccode1", "ccode2", "conttype", "source", "note");
    enum { C1, C2, TYPE, SRC, NOTE };
    rd_t rd = {0};
    bool eof;
    ent_err_t rc;
    ENT_CHECK(rd_open(&rd, w, dir, "contiguity.csv", cols, NC));
    for (;;) {
        ENT_CHECK(rd_next(&rd, &eof));
        if (eof) {
            break;
        }
        ent_contiguity_t c;
        int64_t type;
        ENT_CHECK(rd_state(&rd, C1, &c.a));
        ENT_CHECK(rd_state(&rd, C2, &c.b));
        if (c.a == c.b) {
            ENT_CHECK(ent_csv_error(rd.r, ENT_EPARSE, col(&rd, C2), "ccode2", "a state is not contiguous to itself"));
        }
        ENT_CHECK(ent_csv_get_i64(rd.r, col(&rd, TYPE), "conttype", 1, 5, &type, NULL));
        c.type = (int)type;
        ENT_CHECK(rd_source(&rd, SRC, &c.source));
        int ca = ent_world_state(w, (size_t)c.a)->ccode, cb = ent_world_state(w, (size_t)c.b)->ccode;
        char key[32];
        snprintf(key, sizeof key, "%d-%d", ca < cb ? ca : cb, ca < cb ? cb : ca);
        ENT_CHECK(rd_key(&rd, key, C1));
        ENT_CHECK(rd_built(&rd, C1, ent_world_add_contiguity(w, &c)));
    }
    rc = ENT_OK;
done:
    rd_close(&rd);
    return rc;
}

ent_err_t ent_world_load_dir(ent_world_t **out, const char *dir)
{
    *out = NULL;
    ent_world_t *w;
    ent_err_t rc = ent_world_new(&w);
    if (rc != ENT_OK) {
        return rc;
    }
    /* Order matters: states first (every other file refers to them), tiers before partnerships. */
    ENT_CHECK(read_states(w, dir));
    ENT_CHECK(read_capabilities(w, dir));
    ENT_CHECK(read_regime(w, dir));
    ENT_CHECK(read_tiers(w, dir));
    ENT_CHECK(read_partnerships(w, dir));
    ENT_CHECK(read_pacts(w, dir));
    ENT_CHECK(read_orgs(w, dir));
    ENT_CHECK(read_security(w, dir));
    ENT_CHECK(read_economic(w, dir));
    ENT_CHECK(read_unga(w, dir));
    ENT_CHECK(read_coercion(w, dir));
    ENT_CHECK(read_rivalries(w, dir));
    ENT_CHECK(read_events(w, dir));
    ENT_CHECK(read_contiguity(w, dir));
    ENT_CHECK(ent_world_finalise(w));
done:
    if (rc != ENT_OK) {
        ent_world_free(w);
        return rc;
    }
    *out = w;
    return ENT_OK;
}
