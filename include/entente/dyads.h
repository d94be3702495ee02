/*
 * dyads.h -- the dyad layer of the signed-network pipeline:
 *
 *     world (on a date) -> dyads -> signed graph (a weight spec per use) -> solver
 *
 * For every pair of states alive on a date with at least one tie in force
 * between them, an ent_dyad_t summarises what binds or divides them: the
 * obligations of their pacts (dormant pacts apart), the partnership tier,
 * their security ties by kind and intensity, rivalry and coercion. A weight
 * spec (ent_signed_spec_t) then says what each relation counts for in one
 * use -- signed communities (blocs), triad dynamics (balance), landscape
 * propensities -- and ent_signed_from_dyads() turns the dyads into the signed
 * graph every solver and measure of partition.h and blocs.h takes. The
 * shipped uses are named specs (ent_signed_spec_blocs(), ..._balance(),
 * ..._landscape()), so the rules are written once and compared in one place
 * (docs/measures.md, "One signed-network pipeline").
 */
#ifndef ENTENTE_DYADS_H
#define ENTENTE_DYADS_H

#include <stdbool.h>

#include "common.h"
#include "partition.h"
#include "util.h"
#include "world.h"

ENT_BEGIN_DECLS

/* ---------------------------------------------------------------- the dyad layer */

/* One pair's relations in force on the date (all levels 0 when absent). */
typedef struct {
    int64_t a, b; /* world state indices, a < b */
    /* formal pacts (ENT_TIE_PACT) */
    unsigned obligations;         /* ENT_OBL_* bits over the pacts in force that are not dormant */
    unsigned dormant_obligations; /* the same over the dormant ones (in force on paper only) */
    int32_t pacts, dormant_pacts; /* how many of each */
    int32_t nonagg_parties;       /* the fewest parties (on the date) among its live pacts whose only
                                     obligation is non-aggression; 0 when it has none */
    /* partnerships (ENT_TIE_PARTNERSHIP: China's ladder in the shipped world) */
    double tier;          /* the highest tier in force, 0 when none */
    int32_t partnerships; /* partnership ties in force */
    int64_t tier_pole;    /* the state whose ladder that tier is on (the tie's acting state, ent_tie_t.a:
                             China in the shipped world), -1 when none */
    /* security ties (ENT_TIE_SECURITY): the highest intensity by subtype, 0 when none */
    double exercise, arms, basing, security_other; /* security_other: patrols, intelligence, untyped */
    int32_t security;                              /* security ties in force */
    /* arms and basing by direction, from the tie's acting state (ent_tie_t.a: the supplier of the
     * arms, the state whose forces are based abroad): _ab a toward b, _ba b toward a */
    double arms_ab, arms_ba, basing_ab, basing_ba;
    /* hostility */
    double rivalry;                   /* the highest rivalry intensity in force, in (0, 1] (a missing or
                                         out-of-range intensity counts 1); 0 when no rivalry */
    int32_t rivalries;                /* rivalry ties in force */
    int32_t coercion_ab, coercion_ba; /* coercion episodes in force by a against b and by b against a
                                         (undirected episodes count a -> b) */
    /* not used by the shipped weight specs, kept for completeness */
    int32_t economic, diplomatic;
} ent_dyad_t;

/* The dyads of a world on a date. Caller-allocated: init, build, destroy. */
typedef struct {
    ent_date_t date;
    size_t nstates;  /* the world's states */
    int max_tier;    /* ent_world_max_tier of the world */
    ent_vec_t dyads; /* ent_dyad_t, sorted by (a, b) */
    ent_vec_t alive; /* unsigned char per world state: alive on the date */
} ent_dyads_t;

void ent_dyads_init(ent_dyads_t *d);
void ent_dyads_destroy(ent_dyads_t *d);

/*
 * Fills d (initialised; earlier contents replaced) with the dyads of `w` on
 * `date`: every pair of states alive on the date joined by at least one tie
 * in force on it (start <= date <= end), self-ties ignored. ENT_ERANGE when
 * no state is alive on the date; ENT_ENOMEM. O(states + ties log ties).
 */
ent_err_t ent_dyads_build(ent_dyads_t *d, const ent_world_t *w, ent_date_t date);

/* The dyad of states a and b (either order), or NULL when no tie joins them. O(log dyads). */
const ent_dyad_t *ent_dyads_find(const ent_dyads_t *d, int64_t a, int64_t b);

/* ---------------------------------------------------------------- weight specs */

/* How a dyad's friendly and hostile terms make one signed weight. */
typedef enum {
    ENT_COMBINE_NET = 0,         /* the strongest friendly term minus the strongest hostile term */
    ENT_COMBINE_SUM = 1,         /* the sum of all terms (each relation its own term) */
    ENT_COMBINE_HOSTILE_WINS = 2 /* signs only: -1 with any hostile term, else +1 with a friendly one */
} ent_signed_combine_t;

/*
 * What each relation counts for in one use. All weights finite and >= 0;
 * hostile terms are subtracted. A dyad's terms:
 *   pact        the largest weight among the obligations of its pacts in force
 *               (defense, offense, neutrality, nonaggression, consultation --
 *               which also covers ENT_OBL_ENTENTE -- or pact_other for a pact
 *               with none of them); dormant pacts' obligations count times
 *               `dormant` (0: a dormant pact sets no alignment). With
 *               nonaggression_per_party, a pact whose only obligation is
 *               non-aggression counts nonaggression / (k - 1), k its parties
 *               on the date (the smallest such pact of the pair): Newman's
 *               (2001) weight of one co-membership in a k-member group, so a
 *               bilateral treaty counts in full and ASEAN's 34-party Treaty of
 *               Amity and Cooperation 1/33 (see docs/measures.md)
 *   partnership tier >= min_tier: partnership, times tier / max_tier when
 *               tier_scaled (capped at 1)
 *   security    security + security_level * (highest intensity of any kind),
 *               when the dyad has a security tie
 *   rivalry     rivalry * intensity (in (0, 1], see ent_dyad_t)
 *   coercion    coercion, when an episode is in force (either direction)
 * and `combine` makes the weight; a zero weight is no edge.
 */
typedef struct {
    unsigned version;
    double defense, offense, neutrality, nonaggression, consultation, pact_other;
    bool nonaggression_per_party; /* a non-aggression-only pact of k parties counts nonaggression / (k - 1) */
    double dormant;
    double partnership;
    int min_tier;
    bool tier_scaled;
    double security, security_level;
    double rivalry, coercion;
    ent_signed_combine_t combine;
    bool isolates; /* also states alive on the date with no edge (as nodes without edges) */
} ent_signed_spec_t;

#define ENT_SIGNED_SPEC_VERSION 1

/*
 * The named specs of the shipped uses (docs/measures.md gives the table and why):
 *  blocs      ENT_COMBINE_NET; defence 1, offence, neutrality, consultation and
 *             other pacts 0.5, non-aggression 0.5 per party (0.5 / (k - 1));
 *             partnership 0.5 x tier / top tier; any security tie 0.3; rivalry
 *             1 x intensity; coercion 0.5.
 *  balance    ENT_COMBINE_HOSTILE_WINS; any pact obligation +, partnership of tier
 *             >= min_tier +, rivalry and coercion -; security ties not used.
 *  landscape  ENT_COMBINE_SUM; defence and offence 2, neutrality and consultation
 *             0.5, non-aggression 0.25, other pacts 0; partnership 1 x tier / top
 *             tier; rivalry 2 x intensity; coercion 1; security not used.
 * Dormant pacts count 0 in all three.
 */
ent_signed_spec_t ent_signed_spec_blocs(void);
ent_signed_spec_t ent_signed_spec_balance(int min_tier);
ent_signed_spec_t ent_signed_spec_landscape(void);

/* ENT_EINVAL (naming the field) for a bad version, a negative or non-finite weight, a bad combine. */
ent_err_t ent_signed_spec_check(const ent_signed_spec_t *s);

/* One dyad's terms under a spec (each >= 0) and the combined signed weight. */
typedef struct {
    double pact, partnership, security; /* friendly */
    double rivalry, coercion;           /* hostile (subtracted) */
    double weight;                      /* combined; 0 = no edge */
} ent_dyad_terms_t;

/* The terms of dyad d (of a world whose top tier is max_tier) under s (not checked). O(1). */
void ent_dyad_terms(ent_dyad_terms_t *out, const ent_dyad_t *d, int max_tier, const ent_signed_spec_t *s);

/*
 * The signed graph of the dyads under spec s: one node per state alive on the
 * date that has an edge (all alive states with s->isolates), in world order,
 * labelled with the state's abbreviation; one edge per dyad of non-zero
 * weight, in (a, b) order. `states`, when given (an ent_vec_t of int64_t,
 * initialised by the caller), receives node k's world index at position k.
 * `g` freshly initialised. ENT_EINVAL for a bad spec; ENT_ERANGE when the
 * graph has no edge (a date before the data); ENT_ENOMEM. O(states + dyads).
 */
ent_err_t ent_signed_from_dyads(ent_signed_t *g, ent_vec_t *states, const ent_dyads_t *d, const ent_world_t *w,
                                const ent_signed_spec_t *s);

/* ent_dyads_build then ent_signed_from_dyads: the world's signed graph on a date for one use. */
ent_err_t ent_signed_from_world(ent_signed_t *g, ent_vec_t *states, const ent_world_t *w, ent_date_t date,
                                const ent_signed_spec_t *s);

ENT_END_DECLS
#endif
