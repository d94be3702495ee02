/*
 * system.h -- views of the alliance system at a date: a state's pyramid of
 * ties (formal allies, partnership tiers, organisations, security ties,
 * coercion, rivalries), the pact blocs, and counts by kind.
 */
#ifndef ENTENTE_SYSTEM_H
#define ENTENTE_SYSTEM_H

#include "world.h"

ENT_BEGIN_DECLS

/* True when tie t is in force on day d. */
static inline bool ent_tie_active(const ent_tie_t *t, ent_date_t d)
{
    return t->start <= d && d <= t->end;
}

/*
 * A state's ties on a date, grouped as the essay reads them. Each vector holds
 * size_t indices: world tie indices (ent_world_tie) except `memberships`
 * (ent_world_membership). Caller-allocated: ent_pyramid_init, build, destroy.
 */
typedef struct {
    int64_t state;
    ent_date_t date;
    ent_vec_t allies;       /* pacts with a defence obligation, by partner capability (largest first) */
    ent_vec_t other_pacts;  /* pacts without one (neutrality, non-aggression, consultation) */
    ent_vec_t partnerships; /* the state's partnership ties as pole or partner, highest tier first */
    ent_vec_t memberships;  /* organisations, by organisation id */
    ent_vec_t security;     /* exercises, patrols, arms, basing, intelligence */
    ent_vec_t coercion_sent;
    ent_vec_t coercion_received;
    ent_vec_t rivalries; /* most intense first */
} ent_pyramid_t;

void ent_pyramid_init(ent_pyramid_t *p);
void ent_pyramid_destroy(ent_pyramid_t *p);
/* O(ties + memberships). ENT_EINVAL for a bad state index. */
ent_err_t ent_pyramid_build(ent_pyramid_t *p, const ent_world_t *w, int64_t state, ent_date_t date);

/* The other state of tie t seen from `state`. */
static inline int64_t ent_tie_other(const ent_tie_t *t, int64_t state)
{
    return t->a == state ? t->b : t->a;
}

/*
 * Pact blocs: the connected components (igraph) of the graph of defence
 * pacts among the states alive on `date`. bloc[i] receives state i's bloc
 * number (0 = largest bloc, by members; -1 for a state with no defence pact
 * or not alive); *nblocs the number of blocs with at least two members.
 * `bloc` must hold ent_world_nstates(w) entries.
 */
ent_err_t ent_system_pact_blocs(int64_t *bloc, size_t *nblocs, const ent_world_t *w, ent_date_t date);

/* Counts of active ties by kind (index ent_tie_kind_t, 0 unused) on a date. */
void ent_system_count_ties(size_t counts[8], const ent_world_t *w, ent_date_t date);

ENT_END_DECLS
#endif
