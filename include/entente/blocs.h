/*
 * blocs.h -- the alliance system as a signed network, and what it says about
 * blocs: signed communities (igraph's spinglass with negative weights),
 * centralities and clustering of the friendly ties, and polarization indices
 * over the defence-pact blocs and over UN General Assembly ideal points.
 * docs/measures.md ("Blocs and polarization") gives the formulas and reasons.
 *
 * The signed network of a world on a date. Nodes are the states alive on the
 * date (labels: COW abbreviations); a dyad's ties in force are summarised as
 *
 *     a_ij = max over its friendly ties of w(tie) - max over its hostile ties of w(tie)
 *
 * with the weights (ent_blocs_network_options_t, defaults):
 *
 *     defence pact (ENT_OBL_DEFENSE)                 +1
 *     other pact (offence only, neutrality,
 *       non-aggression, consultation, entente)       +0.5
 *     partnership of tier t                          +0.5 * t / (highest tier of the world)
 *     security cooperation                           +0.3
 *     rivalry of intensity x (its level, 0..1)       -x        (-1 when the intensity is missing)
 *     coercion                                       -0.5
 *     economic and diplomatic ties                    0        (not part of the network)
 *
 * Taking the strongest tie of each sign, not the sum, keeps a dyad bound by
 * five overlapping treaties (the Arab League, the Rio pact and a bilateral
 * treaty) at the weight of one defence pact; a dyad that is both (Greece and
 * Turkey: NATO allies and rivals) nets the two. A dyad whose terms cancel
 * exactly gets no edge. The result is an ent_signed_t (partition.h), so the
 * frustration index, balanced splits and blockmodels apply to it unchanged.
 *
 * igraph is called by every function below that says so: none of them may run
 * inside a parallel region (the Debian igraph is not thread-safe). While they
 * run, igraph's error and warning handlers are swapped for silent ones (the
 * library prints nothing and never aborts) and its default RNG for a private
 * one seeded from the caller's seed; all three are restored before return.
 */
#ifndef ENTENTE_BLOCS_H
#define ENTENTE_BLOCS_H

#include <stdbool.h>

#include "common.h"
#include "dyads.h"
#include "partition.h"
#include "store.h"
#include "util.h"
#include "world.h"

ENT_BEGIN_DECLS

/* ---------------------------------------------------------------- the signed network */

typedef struct {
    unsigned version;
    double defense;     /* pact with a defence obligation */
    double pact;        /* pact with an offence, neutrality or consultation obligation (or none listed) */
    double partnership; /* the top tier; lower tiers in proportion */
    double security;
    double rivalry; /* multiplies the rivalry's intensity */
    double coercion;
    bool isolates;        /* also states alive on the date with no signed tie (default false) */
    double nonaggression; /* pact whose only obligation is non-aggression, per party: a pact of k
                             parties counts nonaggression / (k - 1) (version 2) */
} ent_blocs_network_options_t;

/* Version 2 added `nonaggression` (a non-aggression-only pact counted `pact` whatever its size in version 1). */
#define ENT_BLOCS_NETWORK_OPTIONS_VERSION 2
#define ENT_BLOCS_NETWORK_OPTIONS_INIT                                                                                 \
    {                                                                                                                  \
        ENT_BLOCS_NETWORK_OPTIONS_VERSION, 1.0, 0.5, 0.5, 0.3, 1.0, 0.5, false, 0.5                                    \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_BLOCS_NETWORK_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_blocs_network_options_init(ent_blocs_network_options_t *opts, unsigned version);

/*
 * Builds the signed network of `w` on `date` into `g` (freshly initialised by
 * the caller; destroy it with ent_signed_destroy): ent_signed_from_world()
 * (dyads.h) with the blocs spec, ent_signed_spec_blocs(), whose weights the
 * options override. Only ties in force on the date between two states alive
 * on it count; dormant pacts do not. Nodes are in world order (ascending COW
 * code for a store's world); `states`, when not NULL (an ent_vec_t of
 * int64_t, initialised by the caller), receives node k's world state index at
 * position k. Weights must be finite and >= 0 (ENT_EINVAL).
 * ENT_ERANGE when no state is alive on the date or no signed tie is in force
 * between two of them (a date before the data); ENT_ENOMEM. O(states + ties log ties).
 */
ent_err_t ent_blocs_network(ent_signed_t *g, ent_vec_t *states, const ent_world_t *w, ent_date_t date,
                            const ent_blocs_network_options_t *opts);

/* ---------------------------------------------------------------- signed communities */

typedef struct {
    unsigned version;
    uint64_t seed;      /* the runs on component k draw their seeds from stream (seed, k) */
    int32_t spins;      /* the most communities per component (igraph's default 25) */
    int32_t restarts;   /* spinglass runs per component, the best kept (default 2) */
    double gamma;       /* weight of the null model of positive ties (1) */
    double gamma_minus; /* weight of the null model of negative ties (1) */
    /*
     * Simulated annealing schedule: igraph's start 1 and stop 0.01, but cooling
     * by 0.95 (igraph: 0.99): with the polish below, two fast runs reach what
     * one slow run reaches, in a third of the time (docs/measures.md).
     */
    double start_temp, stop_temp, cool_fact;
} ent_communities_options_t;

#define ENT_COMMUNITIES_OPTIONS_VERSION 1
#define ENT_COMMUNITIES_OPTIONS_INIT                                                                                   \
    {                                                                                                                  \
        ENT_COMMUNITIES_OPTIONS_VERSION, 1, 25, 2, 1.0, 1.0, 1.0, 0.01, 0.95                                           \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_COMMUNITIES_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_communities_options_init(ent_communities_options_t *opts, unsigned version);

typedef struct {
    ent_vec_t membership; /* int32_t per node: its community, 0 = the largest (then by lowest node) */
    int32_t count;        /* communities, singletons included */
    int32_t components;   /* connected components given to spinglass (those with >= 3 nodes) */
    double modularity;    /* signed modularity Q of Gomez, Jensen & Arenas (2009) of `membership` */
    double pos_inside;    /* share of the positive weight inside communities (NaN without positive ties) */
    double neg_between;   /* share of the negative weight between communities (NaN without negative ties) */
    double frustration;   /* ent_partition_cost of `membership`: positive weight between + negative inside */
} ent_communities_t;

void ent_communities_init(ent_communities_t *c);
void ent_communities_destroy(ent_communities_t *c);

/*
 * Signed community detection: the connected components of g (ties of either
 * sign), each with at least 3 nodes partitioned by igraph's spinglass with
 * negative weights (Traag & Bruggeman 2009: IGRAPH_SPINCOMM_IMP_NEG, the
 * configuration null model, gamma and gamma_minus) `restarts` times, keeping
 * the run of highest generalised modularity on the component (the quality
 * spinglass maximises; ties: the earliest run), then polished: mergers of
 * two communities and moves of single nodes while either raises that quality
 * (annealing sometimes stops with one community split in two: 1914's Britain
 * apart from France and Russia in 8 of 20 runs of igraph's schedule). The runs on the k-th
 * such component (in order of lowest node) are seeded from stream (seed, k). Smaller
 * components: an isolated node is its own community; a pair is one community
 * when its tie is positive, two otherwise. Deterministic for a given graph
 * and seed. Calls igraph (see above). ENT_EINVAL for bad options, ENT_ENOMEM;
 * ENT_EINVAL with igraph's message if spinglass fails. Time: restarts times
 * spinglass's annealing (about a second per run on the 190-state world of 2024).
 */
ent_err_t ent_blocs_communities(ent_communities_t *res, const ent_signed_t *g, const ent_communities_options_t *opts);

/*
 * The signed modularity of Gomez, Jensen & Arenas (2009) of a partition:
 *   Q = 1/(2w+ + 2w-) sum_ij [a_ij - (s+_i s+_j / 2w+ - s-_i s-_j / 2w-)] [X_i = X_j]
 * w+ (w-) the total positive (negative) weight, s+_i (s-_i) node i's positive
 * (negative) strength; a term is dropped when its total is 0. Without negative
 * ties this is Newman's weighted modularity. NaN for a graph without edges. O(n + m).
 */
double ent_blocs_modularity(const ent_signed_t *g, const int32_t *block);

/* ---------------------------------------------------------------- centralities */

typedef struct {
    ent_vec_t degree;       /* double per node: positive ties */
    ent_vec_t strength;     /* sum of positive weights */
    ent_vec_t betweenness;  /* shortest paths over positive ties, length 1/weight; unnormalised */
    ent_vec_t eigenvector;  /* weighted by the positive weights, largest = 1 (0 without positive ties) */
    ent_vec_t clustering;   /* local transitivity of the positive graph (unweighted); NaN for degree < 2 */
    double transitivity;    /* global transitivity of the positive graph; NaN without a connected triple */
    double mean_clustering; /* mean local transitivity over nodes of degree >= 2; NaN when none */
} ent_centrality_t;

void ent_centrality_init(ent_centrality_t *c);
void ent_centrality_destroy(ent_centrality_t *c);

/*
 * Centralities and clustering of the positive part of g (negative ties are
 * ignored: a rival is not a path of influence). Calls igraph (see above).
 * ENT_ENOMEM; ENT_EINVAL with igraph's message on an igraph failure.
 * O(n m + n^2 log n) for betweenness; the rest O(m) to O(m^1.5).
 */
ent_err_t ent_blocs_centrality(ent_centrality_t *res, const ent_signed_t *g);

/* ---------------------------------------------------------------- polarization */

/* The Esteban-Ray polarization parameter the indices use (Esteban & Ray 1994 require 1 < alpha <= 1.6). */
#define ENT_ER_ALPHA 1.6

/*
 * Polarity of a distribution of capability over groups: `cap` the capability
 * of each of n groups (>= 0; NaN counts 0), `members` its number of states:
 * groups with at least two are blocs, a group of one is an unaligned state.
 * With shares s_k = cap_k / sum(cap):
 *   bipolarity  s of the largest bloc + s of the second (blocs only)
 *   hhi         sum_k s_k^2 over every group (unaligned states count alone)
 *   poles       1 / hhi, the effective number of poles
 *   er          2^(1+alpha) sum_k s_k^(1+alpha) (1 - s_k), alpha = 1.6: Esteban & Ray's
 *               index with distance 1 between groups, scaled so two equal blocs give 1
 * bloc1 and bloc2 receive the two largest blocs' shares (0 when absent).
 * ENT_ERANGE when the total capability is 0 (every value NaN then). O(n).
 */
typedef struct {
    double bloc1, bloc2;
    double bipolarity, hhi, poles, er;
} ent_polarity_t;

ent_err_t ent_blocs_polarity(ent_polarity_t *out, const double *cap, const int64_t *members, size_t n);

/*
 * Esteban & Ray's (1994) polarization of n positions x with weights w
 * (>= 0; normalised to shares pi; NaN in either drops the item):
 *   ER = 2^(1+alpha) sum_i sum_j pi_i^(1+alpha) pi_j |x_i - x_j|
 * scaled so that two equal groups one unit apart score 1. ENT_ERANGE when no
 * item has a positive weight; ENT_EINVAL for a negative weight. O(n^2).
 */
ent_err_t ent_blocs_esteban_ray(double *out, const double *x, const double *w, size_t n, double alpha);

/* One year (or date) of the system. */
typedef struct {
    int32_t year;
    ent_date_t date;
    int32_t states;       /* alive on the date */
    int32_t blocs;        /* defence-pact blocs (ent_system_pact_blocs: components of >= 2 states) */
    int32_t aligned;      /* states in a bloc */
    ent_polarity_t p;     /* over the blocs and unaligned states, capability-weighted */
    double er_ideal;      /* ER over UNGA ideal points weighted by capability; NaN without ideal points */
    int32_t ideal_states; /* states with both an ideal point and a capability */
} ent_polarization_t;

/*
 * The polarization of `w` on `date`. Capability: CINC of the date's year,
 * else the latest of the ten years before (the shipped world holds one base
 * year); a state without one weighs 0. `ideal`, when not NULL, holds each
 * world state's UNGA ideal point (NaN when none; ent_blocs_ideal_points).
 * ENT_ERANGE when no state is alive or the capability total is 0; ENT_ENOMEM.
 * Calls igraph (ent_system_pact_blocs). O(states + ties).
 */
ent_err_t ent_blocs_polarization(ent_polarization_t *out, const ent_world_t *w, ent_date_t date, const double *ideal);

/*
 * The UNGA ideal points (IdealPointAll, Bailey, Strezhnev & Voeten 2017) of
 * session year - 1945 from the store's unga_ideal table, one per world state
 * (NaN when none): `ideal` must hold ent_world_nstates(w) values. *found
 * receives how many states have one (0 also when the table is empty).
 * ENT_ESTORE, ENT_ENOMEM.
 */
ent_err_t ent_blocs_ideal_points(double *ideal, size_t *found, const ent_world_t *w, ent_store_t *st, int year);

/*
 * The years of a store a historical series can cover: those of its pacts
 * (first start to last start or end) and of its capabilities, intersected.
 * ENT_ENOTFOUND (naming what to import) when either is empty; ENT_ESTORE.
 */
ent_err_t ent_blocs_coverage(int *first, int *last, ent_store_t *st);

typedef struct {
    unsigned version;
    int month, day; /* the day of each year measured (default 1 July: a mid-year snapshot) */
    bool ideal;     /* read UNGA ideal points from the store when it has them (default true) */
} ent_polarization_options_t;

#define ENT_POLARIZATION_OPTIONS_VERSION 1
#define ENT_POLARIZATION_OPTIONS_INIT                                                                                  \
    {                                                                                                                  \
        ENT_POLARIZATION_OPTIONS_VERSION, 7, 1, true                                                                   \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_POLARIZATION_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_polarization_options_init(ent_polarization_options_t *opts, unsigned version);

/*
 * The yearly series [from, to] of a world loaded from `st` (ent_world_load):
 * one ent_polarization_t per year appended to `out` (an ent_vec_t of
 * ent_polarization_t initialised by the caller), each measured on the
 * options' day of the year. ENT_ERANGE when a year is outside
 * ent_blocs_coverage (the message gives the covered years) or from > to;
 * ENT_ENOTFOUND, ENT_ESTORE, ENT_ENOMEM. Calls igraph. O(years * (states + ties)).
 */
ent_err_t ent_blocs_polarization_series(ent_vec_t *out, const ent_world_t *w, ent_store_t *st, int from, int to,
                                        const ent_polarization_options_t *opts);

ENT_END_DECLS
#endif
