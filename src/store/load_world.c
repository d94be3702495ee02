/*
 * load_world.c -- the world held in a store: the store's queries, fed to the
 * public world builder (ent_world_new ... ent_world_finalise). The world
 * module itself runs no SQL.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "entente/world.h"
#include "history_int.h"
#include "store_int.h"
#include "util_int.h"

static const char *text(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    return t ? (const char *)t : "";
}

/* Ends a statement loop: a step that stopped before SQLITE_DONE is the store's error. */
static ent_err_t step_end(ent_store_t *st, ent_err_t rc, int r, const char *what)
{
    if (rc == ENT_OK && r != SQLITE_DONE) {
        return ent_i_store_error(st, what);
    }
    return rc;
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
        ent_state_init(&x);
        x.ccode = sqlite3_column_int(s, 0);
        if (x.ccode < 0 || x.ccode >= 1000) {
            continue; /* the importers never store such codes */
        }
        snprintf(x.abbr, sizeof x.abbr, "%s", text(s, 1));
        snprintf(x.iso3, sizeof x.iso3, "%s", text(s, 2));
        x.name = text(s, 3);
        x.region = text(s, 4);
        x.cap_lat = sqlite3_column_type(s, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 5);
        x.cap_lon = sqlite3_column_type(s, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 6);
        if ((rc = ent_world_add_state(NULL, w, &x)) != ENT_OK) {
            break;
        }
    }
    rc = step_end(st, rc, r, "loading states");
    sqlite3_finalize(s);
    return rc;
}

static ent_err_t load_spells(ent_world_t *w, ent_store_t *st)
{
    sqlite3_stmt *s;
    ent_err_t rc = ent_i_store_prepare(st, &s, "SELECT ccode, start_date, end_date FROM state_spells");
    if (rc != ENT_OK) {
        return rc;
    }
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t i = ent_world_state_index(w, sqlite3_column_int(s, 0));
        if (i < 0) {
            continue; /* a spell of a state not in the states table cannot be sliced */
        }
        ent_date_t end = sqlite3_column_type(s, 2) == SQLITE_NULL ? ENT_DATE_MAX : sqlite3_column_int(s, 2);
        if ((rc = ent_world_add_spell(w, i, sqlite3_column_int(s, 1), end)) != ENT_OK) {
            break;
        }
    }
    rc = step_end(st, rc, r, "loading state spells");
    sqlite3_finalize(s);
    return rc;
}

/* The CINC of the current NMC version only (ent_store_nmc_version): versions are never mixed. */
static ent_err_t load_cinc(ent_world_t *w, ent_store_t *st)
{
    sqlite3_stmt *s;
    ent_err_t rc = ent_i_store_prepare(st, &s,
                                       "SELECT ccode, year, cinc FROM capabilities WHERE cinc IS NOT NULL "
                                       "AND version = " ENT_I_NMC_CURRENT_SQL);
    if (rc != ENT_OK) {
        return rc;
    }
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t i = ent_world_state_index(w, sqlite3_column_int(s, 0));
        int y = sqlite3_column_int(s, 1);
        double c = sqlite3_column_double(s, 2);
        if (i < 0 || y < 1816 || y > 2100 || !(c >= 0 && c <= 1)) {
            continue; /* outside the world's capability table; the importer checks CINC's range */
        }
        if ((rc = ent_world_set_cinc(w, i, y, c)) != ENT_OK) {
            break;
        }
    }
    rc = step_end(st, rc, r, "loading capabilities");
    sqlite3_finalize(s);
    return rc;
}

/*
 * Each pair of members of a pact becomes a tie while both are members. The
 * tie's obligations are the union of the two members' own: ATOP codes
 * obligations per member, and a dyad is allied in a way if either side owes it.
 */
static ent_err_t load_pacts(ent_world_t *w, ent_store_t *st, const char *dataset)
{
    sqlite3_stmt *s = NULL;
    ent_vec_t mem = ENT_VEC_INIT(ent_pact_member_t);
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
    char *src = NULL, *moniker = NULL; /* the current pact's, copied: the row's text dies at the next step */
    for (;;) {
        r = sqlite3_step(s);
        int64_t pid = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -2;
        if (pid != cur && mem.len) {
            if ((rc = ent_world_add_pact(w, mem.data, mem.len, moniker, src)) != ENT_OK) {
                goto done;
            }
            mem.len = 0;
        }
        if (r != SQLITE_ROW) {
            break;
        }
        if (pid != cur) {
            cur = pid;
            ent_free(src);
            ent_free(moniker);
            src = ent_strdup(text(s, 9));
            if (*text(s, 10)) {
                moniker = ent_strdup(text(s, 10));
            } else {
                char buf[64];
                snprintf(buf, sizeof buf, "pact %s", sqlite3_column_text(s, 11) ? text(s, 11) : "?");
                moniker = ent_strdup(buf);
            }
            if (!src || !moniker) {
                rc = ent_i_nomem();
                goto done;
            }
        }
        int64_t i = ent_world_state_index(w, sqlite3_column_int(s, 1));
        if (i < 0) {
            continue;
        }
        /* the store has no dormant flag: the shipped world's CSV reader sets it */
        ent_pact_member_t m = {i, sqlite3_column_int(s, 2), sqlite3_column_int(s, 3), 0, false};
        for (int b = 0; b < 5; b++) { /* defense, offense, neutral, nonagg, consul: ENT_OBL_* bits 0..4 */
            if (sqlite3_column_int(s, 4 + b)) {
                m.obligations |= 1u << b;
            }
        }
        if (m.exit < m.entry) {
            continue; /* left before entering: the importer rejects it; an older store may hold one */
        }
        if ((rc = ent_vec_push(&mem, &m)) != ENT_OK) {
            goto done;
        }
    }
    rc = step_end(st, rc, r, "loading pacts");
done:
    sqlite3_finalize(s);
    ent_vec_destroy(&mem);
    ent_free(src);
    ent_free(moniker);
    return rc;
}

/* Joint exercises (MME): every pair of participants in an exercise-year is a security tie. */
static ent_err_t load_exercises(ent_world_t *w, ent_store_t *st)
{
    sqlite3_stmt *s = NULL;
    ent_vec_t part = ENT_VEC_INIT(int64_t);
    ent_err_t rc = ent_i_store_prepare(
        st, &s,
        "SELECT p.ex_id, p.year, p.ccode, coalesce(e.name, p.ex_id), e.source FROM exercise_participants p "
        "JOIN exercises e USING(ex_id) ORDER BY p.ex_id, p.year, p.ccode");
    if (rc != ENT_OK) {
        return rc;
    }
    char cur[64] = "";
    int cur_year = 0, r;
    char *name = NULL, *src = NULL;
    for (;;) {
        r = sqlite3_step(s);
        const char *id = r == SQLITE_ROW ? text(s, 0) : "";
        int year = r == SQLITE_ROW ? sqlite3_column_int(s, 1) : 0;
        if ((r != SQLITE_ROW || strcmp(id, cur) != 0 || year != cur_year) && part.len) {
            for (size_t x = 0; x < part.len; x++) {
                for (size_t y = x + 1; y < part.len; y++) {
                    int64_t ia = ENT_VEC_AT(&part, int64_t, x), ib = ENT_VEC_AT(&part, int64_t, y);
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
                    if ((rc = ent_world_add_tie(w, &t)) != ENT_OK) {
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
            ent_free(name);
            ent_free(src);
            name = ent_strdup(text(s, 3));
            src = ent_strdup(text(s, 4));
            if (!name || !src) {
                rc = ent_i_nomem();
                goto done;
            }
        }
        int64_t ix = ent_world_state_index(w, sqlite3_column_int(s, 2));
        if (ix < 0 || year < 1 || year > 9999) {
            continue;
        }
        if ((rc = ent_vec_push(&part, &ix)) != ENT_OK) {
            goto done;
        }
    }
    rc = step_end(st, rc, r, "loading exercises");
done:
    sqlite3_finalize(s);
    ent_vec_destroy(&part);
    ent_free(name);
    ent_free(src);
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
        int64_t a = ent_world_state_index(w, sqlite3_column_int(s, 0));
        int64_t b = ent_world_state_index(w, sqlite3_column_int(s, 1));
        if (a < 0 || b < 0 || a == b) {
            continue; /* the importer stores only known states; a later state list may lack them */
        }
        ent_tie_t t;
        memset(&t, 0, sizeof t);
        t.a = a;
        t.b = b;
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
        if (t.end < t.start) {
            continue;
        }
        t.moniker = text(s, 8);
        t.source = text(s, 9);
        if ((rc = ent_world_add_tie(w, &t)) != ENT_OK) {
            break;
        }
    }
    rc = step_end(st, rc, r, "loading rivalries");
    sqlite3_finalize(s);
    return rc;
}

ent_err_t ent_i_store_world_fill(ent_world_t *w, ent_store_t *st, const char *pact_dataset, bool rivalries)
{
    ent_err_t rc = ENT_OK;
    ENT_CHECK(load_states(w, st));
    if (ent_world_nstates(w) == 0) {
        rc = ent_i_err(ENT_ENOTFOUND,
                       "%s: the store holds no states; import a state list first "
                       "(entente import cow-states states2016.csv)",
                       ent_store_path(st));
        goto done;
    }
    ENT_CHECK(load_spells(w, st));
    ENT_CHECK(load_cinc(w, st));
    ENT_CHECK(load_pacts(w, st, pact_dataset));
    ENT_CHECK(load_exercises(w, st));
    if (rivalries) {
        ENT_CHECK(load_rivalries(w, st));
    }
done:
    return rc;
}

ent_err_t ent_store_load_world(ent_world_t **out, ent_store_t *st, const ent_world_load_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_WORLD_LOAD_OPTIONS_VERSION);
    ent_world_load_options_t def = ENT_WORLD_LOAD_OPTIONS_INIT;
    if (!opts) {
        opts = &def;
    }
    *out = NULL;
    ent_world_t *w;
    ent_err_t rc = ent_world_new(&w);
    if (rc != ENT_OK) {
        return rc;
    }
    ENT_CHECK(ent_i_store_world_fill(w, st, opts->pact_dataset, true));
    ENT_CHECK(ent_world_finalise(w));
done:
    if (rc != ENT_OK) {
        ent_world_free(w);
        return rc;
    }
    *out = w;
    return ENT_OK;
}

ent_err_t ent_world_load(ent_world_t **out, ent_store_t *st, const ent_world_load_options_t *opts)
{
    return ent_store_load_world(out, st, opts);
}
