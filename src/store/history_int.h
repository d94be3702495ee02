/*
 * history_int.h -- the store's queries for historical pact-model systems
 * (history.c).
 */
#ifndef ENTENTE_HISTORY_INT_H
#define ENTENTE_HISTORY_INT_H

#include <stdbool.h>

#include "entente/store.h"
#include "entente/util.h"
#include "entente/world.h"

typedef struct {
    int64_t treaty; /* ATOP atopid */
    int32_t ccode;
    ent_date_t entry, exit; /* exit ENT_DATE_MAX when still in force */
} ent_i_defence_spell_t;

/*
 * Every membership spell with a defence obligation in an ATOP treaty, ordered by treaty, state,
 * entry (out: a vector of ent_i_defence_spell_t, emptied first). ENT_ESTORE, ENT_ENOMEM.
 * An empty result when ATOP's member file was not imported.
 */
ent_err_t ent_i_store_defence_spells(ent_store_t *st, ent_vec_t *out);
/*
 * Every membership spell with a lesser obligation (offence, neutrality, non-aggression or
 * consultation) in an ATOP treaty, in the same order and type: what the pact model needs to tell a
 * region-wide declaration from a narrow pact. ENT_ESTORE, ENT_ENOMEM.
 */
ent_err_t ent_i_store_lesser_spells(ent_store_t *st, ent_vec_t *out);

/*
 * Fills an unfinalised world `w` (ent_world_new) with what ent_store_load_world loads -- states,
 * spells, CINC, the pacts of `pact_dataset` (NULL: every dataset), joint exercises and, when
 * `rivalries`, the strategic rivalries -- and leaves it open, so a historical world can add the
 * figures of its year before ent_world_finalise. Errors of ent_store_load_world.
 */
ent_err_t ent_i_store_world_fill(ent_world_t *w, ent_store_t *st, const char *pact_dataset, bool rivalries);

#endif
