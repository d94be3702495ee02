/*
 * history.c -- queries of the store that the pact model's historical systems
 * need beyond the dyad-year panel: the membership spells of ATOP treaties with
 * a defence obligation, so that a multilateral treaty can be joined as one
 * decision. Kept apart from store.c (one concern per file, and the store's
 * SQL stays inside src/store/).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "history_int.h"
#include "store_int.h"
#include "util_int.h"

/* A member's spell (defence, or a lesser obligation); exit NULL = in force at the data's end. */
static ent_err_t member_spells(ent_store_t *st, ent_vec_t *out, bool lesser)
{
    static const char *const sql_def = "SELECT CAST(p.ext_id AS INTEGER), m.ccode, m.entry_date, m.exit_date "
                                       "FROM pact_members m JOIN pacts p ON p.pact_id = m.pact_id "
                                       "WHERE p.dataset = 'atop' AND m.defense = 1 "
                                       "ORDER BY 1, 2, 3";
    static const char *const sql_lesser =
        "SELECT CAST(p.ext_id AS INTEGER), m.ccode, m.entry_date, m.exit_date "
        "FROM pact_members m JOIN pacts p ON p.pact_id = m.pact_id "
        "WHERE p.dataset = 'atop' AND (m.offense = 1 OR m.neutral = 1 OR m.nonagg = 1 OR m.consul = 1) "
        "ORDER BY 1, 2, 3";
    const char *sql = lesser ? sql_lesser : sql_def;
    sqlite3_stmt *s = NULL;
    ent_err_t rc = ENT_OK;
    out->len = 0;
    ENT_CHECK(ent_i_store_prepare(st, &s, sql));
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        ent_i_defence_spell_t sp;
        sp.treaty = sqlite3_column_int64(s, 0);
        sp.ccode = sqlite3_column_int(s, 1);
        sp.entry = (ent_date_t)sqlite3_column_int(s, 2);
        sp.exit = sqlite3_column_type(s, 3) == SQLITE_NULL ? ENT_DATE_MAX : (ent_date_t)sqlite3_column_int(s, 3);
        ENT_CHECK(ent_vec_push(out, &sp));
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, lesser ? "reading ATOP lesser-obligation memberships"
                                          : "reading ATOP defence memberships");
    }
done:
    sqlite3_finalize(s);
    return rc;
}

ent_err_t ent_i_store_defence_spells(ent_store_t *st, ent_vec_t *out)
{
    return member_spells(st, out, false);
}

ent_err_t ent_i_store_lesser_spells(ent_store_t *st, ent_vec_t *out)
{
    return member_spells(st, out, true);
}
