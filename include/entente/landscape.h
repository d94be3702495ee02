/*
 * landscape.h -- landscape theory of aggregation (Axelrod & Bennett 1993):
 * actors with sizes and pairwise propensities settle into two coalitions at a
 * local minimum of an energy; every such minimum, its basin of attraction and
 * the global minimum, computed with the signed-partition kernel (partition.h).
 *
 * The model. n actors, sizes s_i > 0, propensities p_ij = p_ji (p_ij > 0: i
 * and j get along and want the same side; p_ij < 0: they want to be apart;
 * p_ii unused). A configuration X puts every actor on side 0 or 1; d_ij(X) =
 * 0 when i and j share a side, 1 otherwise. The energy (Axelrod & Bennett's
 * total frustration) is
 *
 *     E(X) = sum_{i != j} s_i s_j p_ij d_ij(X)      (each pair counted twice)
 *
 * and actors, myopic and incremental, move one at a time while a move lowers
 * E. Predictions are the local minima under single-actor moves. Sign
 * convention: a positive propensity makes being apart costly (it adds
 * s_i s_j p_ij to E for each order of the pair); a negative one makes being
 * apart pay. Configurations X and 1 - X (every actor switched) have the same
 * energy; results count each such pair once, with actor 0 on side 0.
 *
 * The mapping to the kernel. With a_ij = s_i s_j p_ij (ent_signed_from_landscape),
 * E(X) = 2 (F(X) - N), F the kernel's frustration of the partition and
 * N = sum_{i<j} max(0, -a_ij) a constant; so E and F have the same global
 * minimum, the same local minima and the same basins (partition.h explains
 * why). Flipping actor k changes E by 2 sigma_k h_k, h_k = sum_j a_kj sigma_j
 * with sigma = +-1 for the two sides.
 *
 * Reference: R. Axelrod and D. S. Bennett, "A Landscape Theory of
 * Aggregation", British Journal of Political Science 23(2): 211-233, 1993.
 * See docs/models/landscape.md for the equations, the 1936 check and the
 * world's landscape.
 */
#ifndef ENTENTE_LANDSCAPE_H
#define ENTENTE_LANDSCAPE_H

#include <signal.h>
#include <stdbool.h>

#include "common.h"
#include "partition.h"
#include "util.h"
#include "world.h"

ENT_BEGIN_DECLS

/* The most actors a landscape may hold (its propensities are a dense n x n matrix). */
#define ENT_LANDSCAPE_MAX_ACTORS 2048

/* ---------------------------------------------------------------- the landscape */

/*
 * Actors, sizes and a symmetric propensity matrix. Caller-allocated: init,
 * setup, set propensities, destroy. Fields are read-only for users.
 */
typedef struct {
    int32_t n;    /* actors */
    char **label; /* n labels, owned, distinct */
    double *size; /* n sizes, > 0 and finite */
    double *p;    /* n x n row-major propensities: symmetric, zero diagonal */
    /* private */
    int32_t *order; /* actors sorted by label, for ent_landscape_find */
} ent_landscape_t;

void ent_landscape_init(ent_landscape_t *l);
void ent_landscape_destroy(ent_landscape_t *l);

/*
 * Gives `l` (freshly initialised or destroyed) n actors with the given labels
 * (NULL: "0", "1", ...) and sizes, and all propensities 0. ENT_ERANGE for n
 * outside [1, ENT_LANDSCAPE_MAX_ACTORS] or a size outside [1e-100, 1e100]
 * (so that s_i s_j p_ij never underflows; sizes are shares or indices);
 * ENT_EEXISTS for a repeated label; ENT_ENOMEM. O(n^2).
 */
ent_err_t ent_landscape_setup(ent_landscape_t *l, int32_t n, const char *const *labels, const double *sizes);

/* The actor labelled `label`, or -1. O(log n). */
int32_t ent_landscape_find(const ent_landscape_t *l, const char *label);

/*
 * Sets p_ij = p_ji = p. ENT_EINVAL for i == j or an actor out of range;
 * ENT_ERANGE for a p that is not 0 and not of magnitude in [1e-100, 1e100].
 * O(1).
 */
ent_err_t ent_landscape_set(ent_landscape_t *l, int32_t i, int32_t j, double p);

/* p_ij. */
static inline double ent_landscape_p(const ent_landscape_t *l, int32_t i, int32_t j)
{
    return l->p[(size_t)i * (size_t)l->n + (size_t)j];
}

/*
 * E(X) by the definition (side[i] = side of actor i, any integers; two actors
 * are apart when their values differ). O(n^2): the reference that the
 * solvers are tested against.
 */
double ent_landscape_energy(const ent_landscape_t *l, const int32_t *side);

/*
 * The kernel's signed graph of the landscape: a_ij = s_i s_j p_ij, labels
 * copied, pairs with p_ij = 0 left out (ent_signed_from_landscape).
 * `g` must be freshly initialised. ENT_ENOMEM.
 */
ent_err_t ent_landscape_graph(ent_signed_t *g, const ent_landscape_t *l);

/* ---------------------------------------------------------------- reading */

/*
 * Reads a landscape from two CSV files (src/models/landscape.c):
 *
 *  - actors: a header naming `actor` and `size` (other columns ignored), one
 *    row per actor; labels at most 200 bytes, sizes positive numbers.
 *  - propensities, in either form:
 *      an edge list with a header naming `a`, `b`, `p`: one row per pair;
 *        pairs not listed have p = 0; a pair may also be listed reversed
 *        with the same value (a full matrix's export), never twice the same
 *        way;
 *      a square matrix: a header row of actor names, optionally after a
 *        corner cell ("row\col", "", anything not an actor), then one row
 *        per actor in the header's order, starting with its label when the
 *        header has a corner cell; empty and NA cells are 0; the diagonal is
 *        0; either symmetric or triangular (every entry below, or every
 *        entry above, the diagonal zero), the missing half mirrored.
 *    Every name must be an actor of the actors file; actors the file does
 *    not mention have p = 0 with everyone.
 *
 * Errors name file:line:column and the field: ENT_EIO unreadable;
 * ENT_EPARSE a missing column, text where a number belongs, a self pair, a
 * matrix that is not square or whose row labels do not follow its header;
 * ENT_ERANGE a size that is not positive, a non-finite propensity, a
 * non-zero diagonal, asymmetric propensities, too many actors;
 * ENT_ENOTFOUND an actor of the propensities not in the actors file;
 * ENT_EEXISTS an actor or a pair given twice; ENT_ENOMEM. `l` must be
 * freshly initialised; on error it is left empty (destroy it anyway).
 */
ent_err_t ent_landscape_read(ent_landscape_t *l, const char *actors_path, const char *propensities_path);

/* ---------------------------------------------------------------- minima */

typedef enum {
    ENT_LANDSCAPE_AUTO = 0,       /* exhaustive up to exhaustive_max actors, exact beyond */
    ENT_LANDSCAPE_EXHAUSTIVE = 1, /* every configuration (n <= 40) */
    ENT_LANDSCAPE_EXACT = 2,      /* proven global minimum (branch and cut), minima sampled */
    ENT_LANDSCAPE_HEURISTIC = 3   /* local search and annealing with a lower bound, minima sampled */
} ent_landscape_method_t;

/* How the basins of the minima were measured. */
typedef enum {
    ENT_LANDSCAPE_BASINS_NONE = 0,   /* not measured (the enumeration's table did not fit) */
    ENT_LANDSCAPE_BASINS_EXACT = 1,  /* every configuration's steepest descent followed */
    ENT_LANDSCAPE_BASINS_SAMPLED = 2 /* descents from `samples` random configurations */
} ent_landscape_basins_t;

typedef struct {
    unsigned version;
    ent_landscape_method_t method;
    int32_t exhaustive_max; /* AUTO enumerates up to this many actors (30: ~2^29 configurations) */
    bool basins;            /* measure basins (enumeration: 4 bytes per configuration) */
    size_t max_bytes;       /* memory for the enumeration's basin table; beyond it, no basins */
    size_t max_minima;      /* keep at most this many minima, lowest energy first (all are counted) */
    int32_t samples;        /* without enumeration: steepest descents from random configurations */
    uint64_t seed;          /* descent k starts from stream (seed, k); also the solvers' seed */
    double time_limit;      /* seconds for the exact solver, 0 = none */
    int threads;            /* OpenMP threads, 0 = the default */
    volatile sig_atomic_t *cancel;
} ent_landscape_options_t;

#define ENT_LANDSCAPE_OPTIONS_VERSION 1
#define ENT_LANDSCAPE_OPTIONS_INIT                                                                                     \
    {                                                                                                                  \
        ENT_LANDSCAPE_OPTIONS_VERSION, ENT_LANDSCAPE_AUTO, 30, true, (size_t)1 << 31, (size_t)1 << 16, 2000, 1, 60.0,  \
            0, NULL                                                                                                    \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_LANDSCAPE_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_landscape_options_init(ent_landscape_options_t *opts, unsigned version);

/* A local minimum: no single actor's move lowers E. */
typedef struct {
    double energy;      /* E there */
    uint64_t basin;     /* exact: configurations whose steepest descent ends here; sampled: descents; 0 unmeasured */
    double basin_share; /* basin / configurations (exact) or / samples (sampled); NaN unmeasured */
} ent_landscape_min_t;

typedef struct {
    int32_t n;      /* actors */
    double energy;  /* E of the best configuration found: the global minimum when optimal */
    double bound;   /* a proven lower bound on min E (= energy when optimal); -inf when none */
    double gap;     /* the kernel's relative gap on the frustration F: 0 optimal, NaN no bound */
    bool optimal;   /* energy is proven to be the global minimum */
    ent_vec_t side; /* int32_t per actor: the best configuration, actor 0 on side 0 */
    bool complete;  /* minima holds every local minimum (exhaustive; up to max_minima) */
    ent_landscape_basins_t basins;
    uint64_t configurations; /* 2^(n-1) configurations up to switching all sides */
    uint64_t samples;        /* descents run (sampled minima) */
    uint64_t nminima;        /* local minima counted (exhaustive) or distinct ones found (sampled) */
    ent_vec_t minima;        /* ent_landscape_min_t: lowest energy first, then larger basin */
    ent_vec_t sides;         /* int32_t: n per kept minimum, minimum k at k * n; actor 0 on side 0 */
    double seconds;          /* wall clock */
    char method[48];         /* "exhaustive", "branch-and-cut", "heuristic", ... (the kernel's) */
} ent_landscape_result_t;

void ent_landscape_result_init(ent_landscape_result_t *r);
void ent_landscape_result_destroy(ent_landscape_result_t *r);

/* The sides of kept minimum k (n entries, borrowed). */
static inline const int32_t *ent_landscape_min_side(const ent_landscape_result_t *r, size_t k)
{
    return (const int32_t *)r->sides.data + k * (size_t)r->n;
}

/*
 * The landscape's local minima and its global minimum.
 *
 * Exhaustive (AUTO with n <= exhaustive_max, or EXHAUSTIVE): the kernel's
 * Gray-code enumeration (ent_partition_exhaustive) of all 2^(n-1)
 * configurations: every local minimum (a move of zero gain does not leave a
 * minimum, so a plateau is all minima; tolerance 1e-12 sum |a_ij|), the
 * global minimum, and, when the table of 4 bytes per configuration fits in
 * max_bytes, exact basins: the configurations whose steepest descent (move
 * the actor whose move lowers E most, ties to the lowest index) ends at each
 * minimum; basins sum to 2^(n-1). O(2^(n-1) n) time.
 *
 * Otherwise the global minimum comes from ent_partition_heuristic (local
 * search and annealing with a cycle-packing bound) and, for EXACT (and AUTO
 * beyond exhaustive_max) when that bound does not already prove it, from
 * ent_partition_exact (time_limit applies: on expiry the best split, a bound
 * and the gap); the minima are sampled: the same steepest descent from
 * `samples` uniformly random configurations, each distinct end a minimum
 * with the share of descents that reached it (an estimate of its basin's
 * share); the best configuration is added when no descent reached it.
 * Deterministic for a given seed on any number of threads. O(samples n^2)
 * plus the solver.
 *
 * Energies of kept minima are recomputed by the definition
 * (ent_landscape_energy). `res` must be initialised; it is overwritten.
 * Errors: ENT_ERANGE for n > 40 with EXHAUSTIVE; ENT_EINTERRUPTED;
 * ENT_ENOMEM; the solvers' errors.
 */
ent_err_t ent_landscape_solve(ent_landscape_result_t *res, const ent_landscape_t *l,
                              const ent_landscape_options_t *opts);

/* ---------------------------------------------------------------- the world's landscape */

/*
 * Weights of the world's propensities (docs/models/landscape.md gives the
 * reasons). For a pair i, j on `date`:
 *   p_ij = pact + partnership + rivalry + coercion + regime, where
 *   pact        = the strongest pact in force between them that is not
 *                 dormant: pact_defense for a defence or offence obligation
 *                 (either member's), else pact_other for neutrality,
 *                 consultation or entente, else pact_nonagg for
 *                 non-aggression only;
 *   partnership = partnership * tier / (the scale's top tier), the highest
 *                 partnership spell in force between them (a pole and a partner);
 *   rivalry     = -rivalry * intensity (in (0, 1]; a missing intensity counts
 *                 1), the most intense in force;
 *   coercion    = -coercion when either coerces the other on the date;
 *   regime      = regime * (1 - 2 |d_i - d_j|) from the democracy scores d in
 *                 [0, 1] (0 when either is unknown): +regime for identical
 *                 regimes, 0 at a difference of 0.5, -regime at the extremes.
 * Sizes are the states' CINC in the date's year, else in the nearest
 * earlier year, else the nearest later year, within cinc_lookback years (the
 * shipped world has CINC for 2022 only: dates 2012-2032 work). The terms
 * come from the dyad layer under ent_signed_spec_landscape() (dyads.h) with
 * these weights.
 */
typedef struct {
    unsigned version;
    double pact_defense; /* 2.0 */
    double pact_other;   /* 0.5 */
    double pact_nonagg;  /* 0.25 */
    double partnership;  /* 1.0 at the top tier */
    double rivalry;      /* 2.0 at intensity 1 */
    double coercion;     /* 1.0 */
    double regime;       /* 1.0 */
    int cinc_lookback;   /* 10 years either way */
} ent_landscape_world_options_t;

#define ENT_LANDSCAPE_WORLD_OPTIONS_VERSION 1
#define ENT_LANDSCAPE_WORLD_OPTIONS_INIT                                                                               \
    {                                                                                                                  \
        ENT_LANDSCAPE_WORLD_OPTIONS_VERSION, 2.0, 0.5, 0.25, 1.0, 2.0, 1.0, 1.0, 10                                    \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_LANDSCAPE_WORLD_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_landscape_world_options_init(ent_landscape_world_options_t *opts, unsigned version);

/* One pair's propensity term by term (for reports). */
typedef struct {
    int32_t i, j; /* actors, i < j */
    double p;     /* the sum */
    double pact, partnership, rivalry, coercion, regime;
} ent_landscape_term_t;

/*
 * The landscape of `nstates` states of the world (world indices, distinct)
 * on `date`, labelled by their COW abbreviations, with the propensities
 * above. `terms`, when given (an initialised vector of
 * ent_landscape_term_t), receives every pair with a non-zero term. `l` must
 * be freshly initialised. Errors: ENT_EINVAL for no states, a repeated or
 * out-of-range state; ENT_ERANGE for a state not in the state system on the
 * date; ENT_ENOTFOUND for a state without CINC in the lookback window;
 * ENT_ENOMEM. O(n^2 + ties).
 */
ent_err_t ent_landscape_from_world(ent_landscape_t *l, ent_vec_t *terms, const ent_world_t *w, ent_date_t date,
                                   const int64_t *states, size_t nstates, const ent_landscape_world_options_t *opts);

/*
 * The states a world landscape is drawn for, as world indices appended to `out` (an initialised
 * vector of int64_t): `list` NULL gives the essay's twenty main actors (the US, China, Russia,
 * Japan, India, Pakistan, the two Koreas, Taiwan, Australia, the UK, France, Germany, Iran, Saudi
 * Arabia, Turkey, Indonesia, Vietnam, the Philippines, Brazil); "all" every state in the system
 * on `date`; otherwise COW codes, abbreviations or ISO3 codes separated by commas. Errors:
 * ENT_ENOTFOUND naming a code the world does not know; ENT_ENOMEM.
 */
ent_err_t ent_landscape_states(ent_vec_t *out, const ent_world_t *w, ent_date_t date, const char *list);

ENT_END_DECLS
#endif
