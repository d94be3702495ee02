/*
 * world_int.h -- the world's arrays, for the shipped-world reader in
 * io/world_csv.c, which fills them directly for speed. Every other builder
 * (the store's loader in store/load_world.c, programs, the Python package)
 * goes through the public ent_world_new() ... ent_world_finalise(). Nothing
 * outside the library sees this.
 */
#ifndef ENTENTE_WORLD_INT_H
#define ENTENTE_WORLD_INT_H

#include "entente/world.h"

#define ENT_I_CAP_FIRST_YEAR 1816
#define ENT_I_CAP_NYEARS (2100 - ENT_I_CAP_FIRST_YEAR + 1)
#define ENT_I_MAX_TIER 16

typedef struct {
    ent_date_t start, end;
} ent_i_spell_t;

typedef struct {
    int64_t state;
    ent_date_t start, end;
} ent_i_state_spell_t;

typedef struct {
    int64_t a, b;
    double km;
} ent_i_dist_t;

struct ent_world {
    ent_vec_t states;      /* ent_state_t */
    ent_vec_t spell_first; /* size_t per state: first spell index; spells sorted by state */
    ent_vec_t spell_count; /* size_t per state */
    ent_vec_t spells;      /* ent_i_spell_t */
    ent_vec_t ties;        /* ent_tie_t */
    ent_vec_t orgs;        /* ent_org_t */
    ent_vec_t members;     /* ent_membership_t */
    ent_vec_t events;      /* ent_event_t */
    ent_vec_t contig;      /* ent_contiguity_t, one per unordered pair */
    ent_vec_t dists;       /* ent_i_dist_t from ent_world_set_distance, filed into `dist` when finalised */
    float *dist;           /* [dist_n * dist_n] capital distances in km, NaN unknown; NULL when none were set */
    size_t dist_n;
    ent_vec_t strings;     /* void * owned: strings and actor arrays */
    ent_vec_t new_spells;  /* ent_i_state_spell_t from ent_world_add_spell, sorted into spells when finalised */
    float *cinc;           /* cinc_rows x ENT_I_CAP_NYEARS, NaN when unknown */
    size_t cinc_rows;      /* states the capability table covers (it grows with ent_world_set_cinc) */
    const char *recent[8]; /* the last strings kept, so repeated monikers and sources are stored once */
    unsigned recent_next;
    bool finalised;         /* ent_world_finalise ran: the world is read-only */
    int16_t by_ccode[1000]; /* state index by COW code, -1 when absent */
    const char *tier_label[ENT_I_MAX_TIER + 1];
    int max_tier;
};

/* A new, empty world. */
ent_err_t ent_i_world_new(ent_world_t **out);
/* Copies s (NULL: "") into the world's storage. */
ent_err_t ent_i_world_keep(ent_world_t *w, const char *s, const char **out);
/* Hands a block allocated with ent_malloc to the world, which frees it. */
ent_err_t ent_i_world_own(ent_world_t *w, void *p);
/* Adds a state (its index is the current count); the code must be new. */
ent_err_t ent_i_world_add_state(ent_world_t *w, const ent_state_t *s);
/* Allocates the capability table for the states added so far (all NaN). */
ent_err_t ent_i_world_alloc_cinc(ent_world_t *w);
/* A member of a pact: its COW code, membership dates and own obligations (ENT_OBL_*). */
typedef struct {
    int64_t pact;
    int ccode;
    ent_date_t entry, exit;
    unsigned obl;
    bool dormant; /* the pact, or this member's participation, is dormant (see ent_tie_t) */
} ent_i_member_t;

/*
 * Adds a tie for each pair of members of one pact, active while both are
 * members, with the union of their obligations (ATOP codes obligations per
 * member; a dyad is allied in a way if either side owes it). Codes must be states of w.
 */
ent_err_t ent_i_world_pact_dyads(ent_world_t *w, const ent_i_member_t *m, size_t n, const char *moniker,
                                 const char *source);

/* ent_world_finalise(): sorts the ties by start, files the spells, sizes the per-state arrays. */
ent_err_t ent_i_world_finish(ent_world_t *w);

#endif
