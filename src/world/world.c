/*
 * world.c -- loading a world from the store, looking states up, and slicing
 * the system at a date or a year.
 *
 * The world owns every string it hands out (names, monikers, sources) in one
 * list freed with it. Ties are kept sorted by start date so a slice is one
 * pass; slices hold indices, never copies.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "entente/world.h"
#include "store/store_int.h"
#include "util_int.h"
#include "world_int.h"

#define CAP_FIRST_YEAR ENT_I_CAP_FIRST_YEAR
#define CAP_NYEARS ENT_I_CAP_NYEARS

typedef ent_i_spell_t spell_t;

struct ent_slice {
    ent_vec_t states; /* int64_t */
    ent_vec_t ties;   /* size_t indices into the world's ties */
    const ent_world_t *w;
};

static const char *const kind_names[] = {NULL,         "coercion",    "rivalry",  "economic",
                                         "diplomatic", "partnership", "security", "pact"};

const char *ent_tie_kind_name(ent_tie_kind_t k)
{
    return (k >= ENT_TIE_COERCION && k <= ENT_TIE_PACT) ? kind_names[k] : "unknown";
}

ent_err_t ent_tie_kind_parse(ent_tie_kind_t *out, const char *name)
{
    for (int k = ENT_TIE_COERCION; k <= ENT_TIE_PACT; k++) {
        if (strcasecmp(name, kind_names[k]) == 0) {
            *out = (ent_tie_kind_t)k;
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_EINVAL,
                     "unknown tie kind '%s' (expected coercion, rivalry, economic, diplomatic, partnership, "
                     "security or pact)",
                     name);
}

void ent_obligations_format(char *buf, size_t n, unsigned o)
{
    static const char *names[] = {"defense", "offense", "neutral", "nonagg", "consul", "entente"};
    size_t len = 0;
    buf[0] = '\0';
    for (int b = 0; b < 6; b++) {
        if (o & (1u << b)) {
            int w = snprintf(buf + len, n > len ? n - len : 0, "%s%s", len ? "," : "", names[b]);
            if (w > 0) {
                len += (size_t)w;
            }
        }
    }
    if (!len) {
        snprintf(buf, n, "none");
    }
}

ent_err_t ent_i_world_own(ent_world_t *w, void *p)
{
    ent_err_t rc = ent_vec_push(&w->strings, &p);
    if (rc != ENT_OK) {
        ent_free(p);
    }
    return rc;
}

ent_err_t ent_i_world_keep(ent_world_t *w, const char *s, const char **out)
{
    char *p = ent_strdup(s ? s : "");
    if (!p) {
        return ent_i_nomem();
    }
    *out = p;
    return ent_i_world_own(w, p);
}

static ent_err_t keep(ent_world_t *w, const unsigned char *s, const char **out)
{
    return ent_i_world_keep(w, (const char *)s, out);
}

ent_err_t ent_i_world_add_state(ent_world_t *w, const ent_state_t *x)
{
    if (x->ccode < 0 || x->ccode >= 1000 || w->by_ccode[x->ccode] >= 0) {
        return ent_i_err(ENT_EEXISTS, "state %d added twice", x->ccode);
    }
    ent_err_t rc = ent_vec_push(&w->states, x);
    if (rc == ENT_OK) {
        w->by_ccode[x->ccode] = (int16_t)(w->states.len - 1);
    }
    return rc;
}

static void state_defaults(ent_state_t *x)
{
    memset(x, 0, sizeof *x);
    x->cap_lat = x->cap_lon = NAN;
    x->democracy = NAN;
    x->gdp_usd_bn = x->milex_usd_m = NAN;
    x->trade_share_chn = x->trade_share_usa = x->chn_finance_usd_bn = NAN;
    x->unga_ideal = x->unga_agree_usa = x->unga_agree_chn = NAN;
    x->name = x->region = x->capital = "";
}

static ent_err_t load_states(ent_world_t *w, ent_store_t *st)
{
    sqlite3_stmt *s;
    ent_err_t rc = ent_i_store_prepare(
        st, &s, "SELECT ccode, abbr, iso3, name, region, cap_lat, cap_lon FROM states ORDER BY ccode");
    if (rc != ENT_OK) {
        return rc;
    }
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        ent_state_t x;
        state_defaults(&x);
        x.ccode = sqlite3_column_int(s, 0);
        if (x.ccode < 0 || x.ccode >= 1000) {
            continue; /* the importers never store such codes */
        }
        snprintf(x.abbr, sizeof x.abbr, "%s", sqlite3_column_text(s, 1) ? (const char *)sqlite3_column_text(s, 1) : "");
        snprintf(x.iso3, sizeof x.iso3, "%s", sqlite3_column_text(s, 2) ? (const char *)sqlite3_column_text(s, 2) : "");
        x.cap_lat = sqlite3_column_type(s, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 5);
        x.cap_lon = sqlite3_column_type(s, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 6);
        if ((rc = keep(w, sqlite3_column_text(s, 3), &x.name)) != ENT_OK ||
            (rc = keep(w, sqlite3_column_text(s, 4), &x.region)) != ENT_OK) {
            break;
        }
        if ((rc = ent_i_world_add_state(w, &x)) != ENT_OK) {
            break;
        }
    }
    if (rc == ENT_OK && r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "loading states");
    }
    sqlite3_finalize(s);
    return rc;
}

static ent_err_t load_spells(ent_world_t *w, ent_store_t *st)
{
    size_t n = w->states.len;
    ent_err_t rc;
    if ((rc = ent_vec_resize(&w->spell_first, n)) != ENT_OK || (rc = ent_vec_resize(&w->spell_count, n)) != ENT_OK) {
        return rc;
    }
    sqlite3_stmt *s;
    if ((rc = ent_i_store_prepare(st, &s,
                                  "SELECT ccode, start_date, end_date FROM state_spells ORDER BY ccode, "
                                  "start_date")) != ENT_OK) {
        return rc;
    }
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int c = sqlite3_column_int(s, 0);
        if (c < 0 || c >= 1000 || w->by_ccode[c] < 0) {
            continue; /* a spell of a state not in the states table cannot be sliced */
        }
        size_t i = (size_t)w->by_ccode[c];
        spell_t sp = {sqlite3_column_int(s, 1),
                      sqlite3_column_type(s, 2) == SQLITE_NULL ? ENT_DATE_MAX : sqlite3_column_int(s, 2)};
        if (ENT_VEC_AT(&w->spell_count, size_t, i) == 0) {
            ENT_VEC_AT(&w->spell_first, size_t, i) = w->spells.len;
        }
        ENT_VEC_AT(&w->spell_count, size_t, i)++;
        if ((rc = ent_vec_push(&w->spells, &sp)) != ENT_OK) {
            break;
        }
    }
    if (rc == ENT_OK && r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "loading state spells");
    }
    sqlite3_finalize(s);
    return rc;
}

ent_err_t ent_i_world_alloc_cinc(ent_world_t *w)
{
    size_t n = w->states.len;
    ent_free(w->cinc);
    w->cinc = ent_malloc((n ? n : 1) * CAP_NYEARS * sizeof *w->cinc);
    if (!w->cinc) {
        return ent_i_nomem();
    }
    for (size_t k = 0; k < n * CAP_NYEARS; k++) {
        w->cinc[k] = NAN;
    }
    return ENT_OK;
}

static ent_err_t load_cinc(ent_world_t *w, ent_store_t *st)
{
    ent_err_t rc0 = ent_i_world_alloc_cinc(w);
    if (rc0 != ENT_OK) {
        return rc0;
    }
    sqlite3_stmt *s;
    /* The newest version wins ("nmc7" > "nmc6"): ordered so later rows overwrite earlier ones. */
    ent_err_t rc = ent_i_store_prepare(st, &s,
                                       "SELECT ccode, year, cinc FROM capabilities WHERE cinc IS NOT NULL "
                                       "ORDER BY version");
    if (rc != ENT_OK) {
        return rc;
    }
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int c = sqlite3_column_int(s, 0), y = sqlite3_column_int(s, 1);
        if (c < 0 || c >= 1000 || w->by_ccode[c] < 0 || y < CAP_FIRST_YEAR || y >= CAP_FIRST_YEAR + CAP_NYEARS) {
            continue;
        }
        w->cinc[(size_t)w->by_ccode[c] * CAP_NYEARS + (size_t)(y - CAP_FIRST_YEAR)] =
            (float)sqlite3_column_double(s, 2);
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "loading capabilities");
    }
    sqlite3_finalize(s);
    return rc;
}

typedef ent_i_member_t member_t;

ent_err_t ent_i_world_pact_dyads(ent_world_t *w, const ent_i_member_t *mem, size_t n, const char *moniker,
                                 const char *source)
{
    for (size_t x = 0; x < n; x++) {
        const member_t *a = &mem[x];
        for (size_t y = x + 1; y < n; y++) {
            const member_t *b = &mem[y];
            if (a->ccode == b->ccode) {
                continue;
            }
            ent_tie_t t;
            memset(&t, 0, sizeof t);
            t.start = a->entry > b->entry ? a->entry : b->entry;
            t.end = a->exit < b->exit ? a->exit : b->exit;
            if (t.end < t.start) {
                continue; /* never members at the same time */
            }
            int ia = w->by_ccode[a->ccode], ib = w->by_ccode[b->ccode];
            t.a = ia < ib ? ia : ib;
            t.b = ia < ib ? ib : ia;
            t.kind = ENT_TIE_PACT;
            t.subtype = "";
            t.obligations = a->obl | b->obl;
            t.dormant = a->dormant || b->dormant; /* a frozen member freezes its dyads */
            t.moniker = moniker;
            t.source = source;
            ent_err_t rc = ent_vec_push(&w->ties, &t);
            if (rc != ENT_OK) {
                return rc;
            }
        }
    }
    return ENT_OK;
}

static unsigned obligations_of(sqlite3_stmt *s, int col)
{
    unsigned o = 0;
    for (int b = 0; b < 5; b++) {
        if (sqlite3_column_int(s, col + b)) {
            o |= 1u << b;
        }
    }
    return o;
}

/*
 * Each pair of members of a pact becomes a tie while both are members. The
 * tie's obligations are the union of the two members' own: ATOP codes
 * obligations per member, and a dyad is allied in a way if either side owes it.
 */
static ent_err_t load_pacts(ent_world_t *w, ent_store_t *st, const char *dataset)
{
    sqlite3_stmt *s = NULL;
    ent_vec_t mem;
    ent_vec_init(&mem, sizeof(member_t));
    ent_err_t rc = ent_i_store_prepare(
        st, &s,
        "SELECT m.pact_id, m.ccode, m.entry_date, coalesce(min(coalesce(m.exit_date, 99991231), "
        "coalesce(p.end_date, 99991231)), 99991231), m.defense, m.offense, m.neutral, m.nonagg, m.consul, "
        "p.source, coalesce(p.name, ''), p.ext_id "
        "FROM pact_members m JOIN pacts p USING(pact_id) "
        "WHERE ?1 IS NULL OR p.dataset = ?1 ORDER BY m.pact_id, m.entry_date");
    if (rc != ENT_OK) {
        return rc;
    }
    if (dataset) {
        sqlite3_bind_text(s, 1, dataset, -1, SQLITE_STATIC);
    }
    int r;
    int64_t cur = -1;
    const char *src = "", *moniker = "";
    for (;;) {
        r = sqlite3_step(s);
        int64_t pid = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -2;
        if (pid != cur && mem.len) {
            if ((rc = ent_i_world_pact_dyads(w, mem.data, mem.len, moniker, src)) != ENT_OK) {
                goto done;
            }
            mem.len = 0;
        }
        if (r != SQLITE_ROW) {
            break;
        }
        if (pid != cur) {
            cur = pid;
            if ((rc = keep(w, sqlite3_column_text(s, 9), &src)) != ENT_OK) {
                goto done;
            }
            const unsigned char *nm = sqlite3_column_text(s, 10);
            char buf[64];
            if (!nm || !*nm) {
                snprintf(buf, sizeof buf, "pact %s",
                         sqlite3_column_text(s, 11) ? (const char *)sqlite3_column_text(s, 11) : "?");
                nm = (const unsigned char *)buf;
            }
            if ((rc = keep(w, nm, &moniker)) != ENT_OK) {
                goto done;
            }
        }
        int c = sqlite3_column_int(s, 1);
        if (c < 0 || c >= 1000 || w->by_ccode[c] < 0) {
            continue;
        }
        /* the store has no dormant flag: the shipped world's CSV reader sets it */
        member_t m = {pid, c, sqlite3_column_int(s, 2), sqlite3_column_int(s, 3), obligations_of(s, 4), false};
        if ((rc = ent_vec_push(&mem, &m)) != ENT_OK) {
            goto done;
        }
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "loading pacts");
    }
done:
    sqlite3_finalize(s);
    ent_vec_destroy(&mem);
    return rc;
}

/* Joint exercises (MME): every pair of participants in an exercise-year is a security tie. */
static ent_err_t load_exercises(ent_world_t *w, ent_store_t *st)
{
    sqlite3_stmt *s = NULL;
    ent_vec_t part;
    ent_vec_init(&part, sizeof(int));
    ent_err_t rc = ent_i_store_prepare(
        st, &s,
        "SELECT p.ex_id, p.year, p.ccode, coalesce(e.name, p.ex_id), e.source FROM exercise_participants p "
        "JOIN exercises e USING(ex_id) ORDER BY p.ex_id, p.year, p.ccode");
    if (rc != ENT_OK) {
        return rc;
    }
    char cur[64] = "";
    int cur_year = 0, r;
    const char *name = "", *src = "";
    for (;;) {
        r = sqlite3_step(s);
        const char *id = r == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : "";
        int year = r == SQLITE_ROW ? sqlite3_column_int(s, 1) : 0;
        if ((r != SQLITE_ROW || strcmp(id, cur) != 0 || year != cur_year) && part.len) {
            for (size_t x = 0; x < part.len; x++) {
                for (size_t y = x + 1; y < part.len; y++) {
                    int ia = ENT_VEC_AT(&part, int, x), ib = ENT_VEC_AT(&part, int, y);
                    ent_tie_t t;
                    memset(&t, 0, sizeof t);
                    t.a = ia < ib ? ia : ib;
                    t.b = ia < ib ? ib : ia;
                    t.kind = ENT_TIE_SECURITY;
                    t.subtype = "exercise";
                    t.level = 1;
                    t.moniker = name;
                    t.source = src;
                    ent_date_make(&t.start, cur_year, 0, 0, false);
                    ent_date_make(&t.end, cur_year, 0, 0, true);
                    if ((rc = ent_vec_push(&w->ties, &t)) != ENT_OK) {
                        goto done;
                    }
                }
            }
            part.len = 0;
        }
        if (r != SQLITE_ROW) {
            break;
        }
        if (strcmp(id, cur) != 0 || year != cur_year) {
            snprintf(cur, sizeof cur, "%s", id);
            cur_year = year;
            if ((rc = keep(w, sqlite3_column_text(s, 3), &name)) != ENT_OK ||
                (rc = keep(w, sqlite3_column_text(s, 4), &src)) != ENT_OK) {
                goto done;
            }
        }
        int c = sqlite3_column_int(s, 2);
        if (c < 0 || c >= 1000 || w->by_ccode[c] < 0 || year < 1 || year > 9999) {
            continue;
        }
        int ix = w->by_ccode[c];
        if ((rc = ent_vec_push(&part, &ix)) != ENT_OK) {
            goto done;
        }
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "loading exercises");
    }
done:
    sqlite3_finalize(s);
    ent_vec_destroy(&part);
    return rc;
}

/* Strategic rivalries: hostile ties. The list codes no intensity; every rivalry counts 0.6, the level
 * the shipped world gives a typical ongoing territorial or positional rivalry (docs/data.md). */
static ent_err_t load_rivalries(ent_world_t *w, ent_store_t *st)
{
    sqlite3_stmt *s = NULL;
    ent_err_t rc = ent_i_store_prepare(st, &s,
                                       "SELECT ccode1, ccode2, start_year, end_year, positional, spatial, "
                                       "ideological, interventionary, coalesce(name, ''), source FROM rivalries");
    if (rc != ENT_OK) {
        return rc;
    }
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int a = sqlite3_column_int(s, 0), b = sqlite3_column_int(s, 1);
        if (a <= 0 || a >= 1000 || b <= 0 || b >= 1000 || w->by_ccode[a] < 0 || w->by_ccode[b] < 0 || a == b) {
            continue; /* the importer stores only known states; a later state list may lack them */
        }
        ent_tie_t t;
        memset(&t, 0, sizeof t);
        t.a = w->by_ccode[a];
        t.b = w->by_ccode[b];
        t.kind = ENT_TIE_RIVALRY;
        t.level = 0.6;
        static const char *types[] = {"positional", "spatial", "ideological", "interventionary"};
        t.subtype = "";
        for (int k = 0; k < 4; k++) {
            if (sqlite3_column_int(s, 4 + k)) {
                t.subtype = types[k];
                break;
            }
        }
        ent_date_make(&t.start, sqlite3_column_int(s, 2), 0, 0, false);
        if (sqlite3_column_type(s, 3) == SQLITE_NULL) {
            t.end = ENT_DATE_MAX;
        } else {
            ent_date_make(&t.end, sqlite3_column_int(s, 3), 0, 0, true);
        }
        if ((rc = keep(w, sqlite3_column_text(s, 8), &t.moniker)) != ENT_OK ||
            (rc = keep(w, sqlite3_column_text(s, 9), &t.source)) != ENT_OK ||
            (rc = ent_vec_push(&w->ties, &t)) != ENT_OK) {
            break;
        }
    }
    if (rc == ENT_OK && r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "loading rivalries");
    }
    sqlite3_finalize(s);
    return rc;
}

static int tie_cmp(const void *x, const void *y)
{
    const ent_tie_t *a = x, *b = y;
    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    if (a->a != b->a) {
        return a->a < b->a ? -1 : 1;
    }
    if (a->b != b->b) {
        return a->b < b->b ? -1 : 1;
    }
    return (int)a->kind - (int)b->kind;
}

ent_err_t ent_i_world_new(ent_world_t **out)
{
    ent_world_t *w = ent_calloc(1, sizeof *w);
    if (!w) {
        return ent_i_nomem();
    }
    ent_vec_init(&w->states, sizeof(ent_state_t));
    ent_vec_init(&w->spell_first, sizeof(size_t));
    ent_vec_init(&w->spell_count, sizeof(size_t));
    ent_vec_init(&w->spells, sizeof(spell_t));
    ent_vec_init(&w->ties, sizeof(ent_tie_t));
    ent_vec_init(&w->orgs, sizeof(ent_org_t));
    ent_vec_init(&w->members, sizeof(ent_membership_t));
    ent_vec_init(&w->events, sizeof(ent_event_t));
    ent_vec_init(&w->strings, sizeof(void *));
    for (int c = 0; c < 1000; c++) {
        w->by_ccode[c] = -1;
    }
    for (int t = 0; t <= ENT_I_MAX_TIER; t++) {
        w->tier_label[t] = "";
    }
    *out = w;
    return ENT_OK;
}

ent_err_t ent_i_world_finish(ent_world_t *w)
{
    if (w->ties.len) {
        qsort(w->ties.data, w->ties.len, sizeof(ent_tie_t), tie_cmp);
    }
    /* states without spells get empty spell bookkeeping; failing here would leave the arrays
     * shorter than the state list, so it is an error, not something to ignore */
    ent_err_t rc = ENT_OK;
    if (w->spell_first.len < w->states.len) {
        if ((rc = ent_vec_resize(&w->spell_first, w->states.len)) != ENT_OK ||
            (rc = ent_vec_resize(&w->spell_count, w->states.len)) != ENT_OK) {
            return rc;
        }
    }
    return ENT_OK;
}

ent_err_t ent_world_load(ent_world_t **out, ent_store_t *st, const ent_world_load_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_WORLD_LOAD_OPTIONS_VERSION);
    ent_world_load_options_t def = ENT_WORLD_LOAD_OPTIONS_INIT;
    if (!opts) {
        opts = &def;
    }
    *out = NULL;
    ent_world_t *w;
    ent_err_t rc = ent_i_world_new(&w);
    if (rc != ENT_OK) {
        return rc;
    }
    ENT_CHECK(load_states(w, st));
    if (w->states.len == 0) {
        rc = ent_i_err(ENT_ENOTFOUND,
                       "%s: the store holds no states; import a state list first "
                       "(entente import cow-states states2016.csv)",
                       ent_store_path(st));
        goto done;
    }
    ENT_CHECK(load_spells(w, st));
    ENT_CHECK(load_cinc(w, st));
    ENT_CHECK(load_pacts(w, st, opts->pact_dataset));
    ENT_CHECK(load_exercises(w, st));
    ENT_CHECK(load_rivalries(w, st));
    ENT_CHECK(ent_i_world_finish(w));
done:
    if (rc != ENT_OK) {
        ent_world_free(w);
        return rc;
    }
    *out = w;
    return ENT_OK;
}

void ent_world_free(ent_world_t *w)
{
    if (!w) {
        return;
    }
    for (size_t k = 0; k < w->strings.len; k++) {
        ent_free(ENT_VEC_AT(&w->strings, void *, k));
    }
    ent_vec_destroy(&w->strings);
    ent_vec_destroy(&w->states);
    ent_vec_destroy(&w->spell_first);
    ent_vec_destroy(&w->spell_count);
    ent_vec_destroy(&w->spells);
    ent_vec_destroy(&w->ties);
    ent_vec_destroy(&w->orgs);
    ent_vec_destroy(&w->members);
    ent_vec_destroy(&w->events);
    ent_free(w->cinc);
    ent_free(w);
}

size_t ent_world_nstates(const ent_world_t *w)
{
    return w->states.len;
}

const ent_state_t *ent_world_state(const ent_world_t *w, size_t i)
{
    return &ENT_VEC_AT(&w->states, ent_state_t, i);
}

size_t ent_world_nties(const ent_world_t *w)
{
    return w->ties.len;
}

const ent_tie_t *ent_world_tie(const ent_world_t *w, size_t k)
{
    return &ENT_VEC_AT(&w->ties, ent_tie_t, k);
}

ent_err_t ent_world_find(int64_t *idx, const ent_world_t *w, const char *code)
{
    char *end;
    long v = strtol(code, &end, 10);
    if (*code && !*end) {
        if (v >= 0 && v < 1000 && w->by_ccode[v] >= 0) {
            *idx = w->by_ccode[v];
            return ENT_OK;
        }
        return ent_i_err(ENT_ENOTFOUND, "unknown state code %s (no such COW code in the store)", code);
    }
    /* The COW abbreviation first: for the few codes where ISO3 and COW differ, COW is this tool's native. */
    for (size_t i = 0; i < w->states.len; i++) {
        if (strcasecmp(ENT_VEC_AT(&w->states, ent_state_t, i).abbr, code) == 0) {
            *idx = (int64_t)i;
            return ENT_OK;
        }
    }
    for (size_t i = 0; i < w->states.len; i++) {
        const ent_state_t *s = &ENT_VEC_AT(&w->states, ent_state_t, i);
        if (s->iso3[0] && strcasecmp(s->iso3, code) == 0) {
            *idx = (int64_t)i;
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_ENOTFOUND,
                     "unknown state '%s' (give a COW code like 710, a COW abbreviation like CHN, or an ISO3 code)",
                     code);
}

static bool alive_between(const ent_world_t *w, size_t i, ent_date_t from, ent_date_t to)
{
    size_t n = ENT_VEC_AT(&w->spell_count, size_t, i);
    if (n == 0) {
        return true; /* no spells recorded: a state of the shipped world, always a member */
    }
    size_t f = ENT_VEC_AT(&w->spell_first, size_t, i);
    for (size_t k = 0; k < n; k++) {
        const spell_t *s = &ENT_VEC_AT(&w->spells, spell_t, f + k);
        if (s->start <= to && s->end >= from) {
            return true;
        }
    }
    return false;
}

bool ent_world_alive(const ent_world_t *w, size_t i, ent_date_t d)
{
    return alive_between(w, i, d, d);
}

bool ent_world_alive_year(const ent_world_t *w, size_t i, int year)
{
    return alive_between(w, i, year * 10000 + 101, year * 10000 + 1231);
}

double ent_world_cinc(const ent_world_t *w, size_t i, int year)
{
    if (i >= w->states.len || year < CAP_FIRST_YEAR || year >= CAP_FIRST_YEAR + CAP_NYEARS) {
        return NAN;
    }
    return w->cinc[i * CAP_NYEARS + (size_t)(year - CAP_FIRST_YEAR)];
}

double ent_world_cinc_near(const ent_world_t *w, size_t i, int year, int back, int forward)
{
    for (int y = year; y >= year - back; y--) {
        double c = ent_world_cinc(w, i, y);
        if (!isnan(c)) {
            return c;
        }
    }
    for (int y = year + 1; y <= year + forward; y++) {
        double c = ent_world_cinc(w, i, y);
        if (!isnan(c)) {
            return c;
        }
    }
    return NAN;
}

ent_err_t ent_world_slice(ent_slice_t **out, const ent_world_t *w, ent_date_t from, ent_date_t to)
{
    *out = NULL;
    if (to < from) {
        return ent_i_err(ENT_EINVAL, "slice ends (%d) before it starts (%d)", to, from);
    }
    ent_slice_t *s = ent_calloc(1, sizeof *s);
    if (!s) {
        return ent_i_nomem();
    }
    s->w = w;
    ent_vec_init(&s->states, sizeof(int64_t));
    ent_vec_init(&s->ties, sizeof(size_t));
    ent_err_t rc = ENT_OK;
    for (size_t i = 0; i < w->states.len; i++) {
        if (alive_between(w, i, from, to)) {
            int64_t ix = (int64_t)i;
            ENT_CHECK(ent_vec_push(&s->states, &ix));
        }
    }
    /* Ties are sorted by start: stop at the first one starting after the window. */
    for (size_t k = 0; k < w->ties.len; k++) {
        const ent_tie_t *t = &ENT_VEC_AT(&w->ties, ent_tie_t, k);
        if (t->start > to) {
            break;
        }
        if (t->end >= from) {
            ENT_CHECK(ent_vec_push(&s->ties, &k));
        }
    }
done:
    if (rc != ENT_OK) {
        ent_slice_free(s);
        return rc;
    }
    *out = s;
    return ENT_OK;
}

ent_err_t ent_world_slice_year(ent_slice_t **out, const ent_world_t *w, int year)
{
    if (year < 1 || year > 9999) {
        *out = NULL;
        return ent_i_err(ENT_ERANGE, "year %d out of range", year);
    }
    return ent_world_slice(out, w, year * 10000 + 101, year * 10000 + 1231);
}

void ent_slice_free(ent_slice_t *s)
{
    if (!s) {
        return;
    }
    ent_vec_destroy(&s->states);
    ent_vec_destroy(&s->ties);
    ent_free(s);
}

size_t ent_slice_nstates(const ent_slice_t *s)
{
    return s->states.len;
}

int64_t ent_slice_state(const ent_slice_t *s, size_t k)
{
    return ENT_VEC_AT(&s->states, int64_t, k);
}

size_t ent_slice_nties(const ent_slice_t *s)
{
    return s->ties.len;
}

const ent_tie_t *ent_slice_tie(const ent_slice_t *s, size_t k)
{
    return &ENT_VEC_AT(&s->w->ties, ent_tie_t, ENT_VEC_AT(&s->ties, size_t, k));
}

size_t ent_world_norgs(const ent_world_t *w)
{
    return w->orgs.len;
}

const ent_org_t *ent_world_org(const ent_world_t *w, size_t k)
{
    return &ENT_VEC_AT(&w->orgs, ent_org_t, k);
}

ent_err_t ent_world_find_org(int64_t *idx, const ent_world_t *w, const char *id)
{
    for (size_t k = 0; k < w->orgs.len; k++) {
        if (strcasecmp(ENT_VEC_AT(&w->orgs, ent_org_t, k).id, id) == 0) {
            *idx = (int64_t)k;
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_ENOTFOUND, "unknown organisation '%s'", id);
}

size_t ent_world_nmemberships(const ent_world_t *w)
{
    return w->members.len;
}

const ent_membership_t *ent_world_membership(const ent_world_t *w, size_t k)
{
    return &ENT_VEC_AT(&w->members, ent_membership_t, k);
}

size_t ent_world_nevents(const ent_world_t *w)
{
    return w->events.len;
}

ent_date_t ent_world_as_of(const ent_world_t *w)
{
    ent_date_t d = 0;
    for (size_t k = 0; k < w->events.len; k++) {
        ent_date_t e = ENT_VEC_AT(&w->events, ent_event_t, k).date;
        d = e > d ? e : d;
    }
    return d;
}

const ent_event_t *ent_world_event(const ent_world_t *w, size_t k)
{
    return &ENT_VEC_AT(&w->events, ent_event_t, k);
}

const char *ent_world_tier_label(const ent_world_t *w, int tier)
{
    return tier >= 0 && tier <= ENT_I_MAX_TIER ? w->tier_label[tier] : "";
}

int ent_world_max_tier(const ent_world_t *w)
{
    return w->max_tier;
}
