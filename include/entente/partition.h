/*
 * partition.h -- signed graphs and the one kernel that partitions them: the
 * frustration index (line index of balance), landscape theory's energy, and
 * k-way signed blockmodels all minimise the same kind of sum over partitions.
 *
 * The problem. A signed graph has n nodes and m undirected edges; edge {i,j}
 * carries a nonzero real weight a_ij: a_ij > 0 is a friendly tie (the pair
 * wants the same block), a_ij < 0 a hostile one (the pair wants different
 * blocks). A partition X gives every node a block. Its cost is
 *
 *     F(X) = sum_{i<j} [X_i = X_j] * max(0, -a_ij) + [X_i != X_j] * max(0, a_ij)
 *
 * the total weight of the edges the partition leaves unsatisfied ("frustrated").
 * Writing a_ij = w_ij * p_ij with a weight w_ij >= 0 and a sign/propensity p_ij
 * gives the brief's form w_ij * [X_i = X_j ? max(0,-p_ij) : max(0,p_ij)].
 *
 *  - Frustration index. With a_ij = +-1 (unit weights), min_X F over two
 *    blocks is the frustration index L(G): the fewest edges whose removal
 *    (equivalently, sign change) makes the graph balanced. Aref, Mason &
 *    Wilson, "Computing the line index of balance using integer programming
 *    optimisation" (2018, in Optimization Problems in Graph Theory, Springer);
 *    Aref & Wilson, "Balance and frustration in signed networks", J. Complex
 *    Networks 7(2), 2019.
 *
 *  - Landscape theory. Axelrod & Bennett (1993), "A landscape theory of
 *    aggregation", Brit. J. Pol. Sci. 23: sizes s_i > 0, propensities p_ij
 *    (p_ij > 0: the pair get along), a two-coalition configuration X and
 *    distance d_ij(X) = 0 for the same coalition, 1 otherwise; energy
 *        E(X) = sum_{i != j} s_i s_j p_ij d_ij(X).
 *    With a_ij = s_i s_j p_ij (ent_signed_from_landscape):
 *        E(X) = 2 * sum_{i<j} a_ij [X_i != X_j] = 2 * (F(X) - N),
 *        N = sum_{i<j} max(0, -a_ij)   (a constant of the graph),
 *    because a_ij [X_i != X_j] = max(0,a_ij)[!=] - max(0,-a_ij)(1 - [=]).
 *    So E and F have the same minima, the same local minima under
 *    single-actor moves and the same basins; only the scale and the zero
 *    differ (ent_partition_landscape_energy converts).
 *
 *  - Signed blockmodel (Doreian & Mrvar 1996, 2009): over partitions into
 *    exactly k non-empty blocks, minimise
 *        P(X) = alpha * sum_{same block} max(0,-a_ij) + (1 - alpha) * sum_{different} max(0,a_ij).
 *    With k = 2 and alpha = 1/2, P = F / 2.
 *
 * Spin form, used by the solvers: with sigma_i = +-1 for the two blocks,
 * F = (A - sum_{i<j} a_ij sigma_i sigma_j) / 2, A = sum |a_ij|, and flipping
 * node k changes F by sigma_k h_k, h_k = sum_j a_kj sigma_j (its "field").
 *
 * Solvers (all deterministic: same input and seed, same output, on any number
 * of threads):
 *   ent_partition_exhaustive  every 2-block configuration in Gray-code order,
 *                             the optimum, all local minima and their basins (n <= 40;
 *                             practical to n ~ 32)
 *   ent_partition_exact       proven optimum for sparse graphs of a few hundred
 *                             nodes: decomposition into biconnected blocks, then
 *                             enumeration of small blocks and branch and cut
 *                             (GLPK) with odd-cycle cuts on the large ones
 *   ent_partition_heuristic   multi-start local search and simulated annealing,
 *                             with a cheap lower bound (negative-cycle packing)
 *   ent_partition_blockmodel  k-way signed blockmodel by multi-start relocation
 */
#ifndef ENTENTE_PARTITION_H
#define ENTENTE_PARTITION_H

#include <signal.h>
#include <stdbool.h>

#include "common.h"
#include "util.h"

ENT_BEGIN_DECLS

/* ---------------------------------------------------------------- signed graphs */

/*
 * A signed, weighted, undirected simple graph. Caller-allocated: init, add
 * nodes and edges, destroy. Fields are read-only for users; nodes are dense
 * 0..n-1 in the order they were added, edges in the order added.
 */
typedef struct {
    int32_t n;        /* nodes */
    size_t m;         /* edges */
    int32_t *eu, *ev; /* edge e joins eu[e] and ev[e], eu[e] != ev[e] */
    double *ew;       /* its signed weight a_e (nonzero, finite) */
    char **label;     /* n node labels, owned (never NULL entries) */
    /* private */
    size_t ncap, mcap;
    void *index; /* label -> node and pair -> edge hash tables */
} ent_signed_t;

void ent_signed_init(ent_signed_t *g);
void ent_signed_destroy(ent_signed_t *g);

/*
 * The node labelled `label`, added when absent (*added set when given).
 * ENT_ENOMEM. Amortised O(1).
 */
ent_err_t ent_signed_node(ent_signed_t *g, const char *label, int32_t *id, bool *added);
/* The node labelled `label`, or -1. */
int32_t ent_signed_find(const ent_signed_t *g, const char *label);

/*
 * Adds edge {u,v} with weight a. ENT_EINVAL for u == v (a self-loop), a node
 * out of range, a zero or non-finite weight; ENT_EEXISTS when {u,v} is
 * already an edge (*prev, when given, receives its index). Amortised O(1).
 */
ent_err_t ent_signed_edge(ent_signed_t *g, int32_t u, int32_t v, double a, size_t *prev);

/* Edges with a > 0 and a < 0. */
void ent_signed_count(const ent_signed_t *g, size_t *pos, size_t *neg);

/*
 * The landscape mapping: a complete signed graph on n actors with
 * a_ij = s_i s_j p_ij for i < j (pairs with p_ij = 0 get no edge). `p` is
 * the n x n row-major propensity matrix (only the upper triangle is read;
 * p_ij > 0 means i and j get along). `labels` may be NULL ("0", "1", ...).
 * `g` must be freshly initialised. ENT_EINVAL for a non-positive size.
 */
ent_err_t ent_signed_from_landscape(ent_signed_t *g, int32_t n, const double *s, const double *p,
                                    const char *const *labels);

/*
 * The cost F(X) of a partition (block[i] = block of node i, any integers).
 * O(m).
 */
double ent_partition_cost(const ent_signed_t *g, const int32_t *block);
/* The Axelrod-Bennett energy E(X) = 2 (F(X) - N) of a two-block partition (see above). */
double ent_partition_landscape_energy(const ent_signed_t *g, const int32_t *block);
/* The Doreian-Mrvar criterion P(X) for a given alpha in [0,1]. O(m). */
double ent_partition_blockmodel_cost(const ent_signed_t *g, const int32_t *block, double alpha);

/* ---------------------------------------------------------------- triangle balance */

typedef struct {
    int64_t triangles; /* triangles of the graph */
    int64_t balanced;  /* with a positive product of signs */
    double fraction;   /* balanced / triangles, NaN without triangles */
    double weighted;   /* sum over balanced |a_ij a_jk a_ik| / sum over all; NaN without triangles */
} ent_triangle_balance_t;

/*
 * Counts triangles by the forward (degree-ordered) algorithm: O(m^1.5) time,
 * O(n + m) memory. ENT_ENOMEM.
 */
ent_err_t ent_signed_triangles(ent_triangle_balance_t *out, const ent_signed_t *g);

/* ---------------------------------------------------------------- results */

/* A two-block (or k-block) partition with its value and what is proven about it. */
typedef struct {
    double value;       /* F (or P for blockmodels) of `block` */
    double bound;       /* a proven lower bound on the optimum; -inf when none */
    double gap;         /* (value - bound) / max(|value|, 1), 0 when optimal; NaN without a bound */
    bool optimal;       /* proven optimal (bound = value) */
    ent_vec_t block;    /* int32_t per node: its block, node 0 in block 0, blocks numbered by first node */
    double seconds;     /* wall-clock time */
    int64_t bb_nodes;   /* branch-and-bound nodes (exact), restarts (heuristics) */
    int32_t components; /* pieces solved apart: biconnected blocks with a cycle (exact) */
    int32_t largest;    /* nodes of the largest piece that needed a solver (exact) */
    char method[48];    /* "exhaustive", "branch-and-cut", "decomposition", "heuristic", ... */
} ent_partition_result_t;

void ent_partition_result_init(ent_partition_result_t *r);
void ent_partition_result_destroy(ent_partition_result_t *r);

/* ---------------------------------------------------------------- exhaustive enumeration */

/* A local minimum: no single-node move lowers F. */
typedef struct {
    uint64_t config; /* canonical configuration: node 0 in block 0, node i >= 1 in block bit (i-1) */
    double value;    /* F there */
    uint64_t basin;  /* canonical configurations whose steepest descent ends here; 0 when not computed */
} ent_local_min_t;

typedef struct {
    unsigned version;
    bool minima;       /* collect the local minima */
    bool basins;       /* and their basins (needs 4 bytes per configuration) */
    size_t max_minima; /* keep at most this many (all are counted) */
    size_t max_bytes;  /* memory allowed for the basin table; ENT_ELIMIT beyond */
    int threads;       /* OpenMP threads, 0 = the default; ignored without OpenMP */
    volatile sig_atomic_t *cancel;
} ent_exhaustive_options_t;

#define ENT_EXHAUSTIVE_OPTIONS_VERSION 1
#define ENT_EXHAUSTIVE_OPTIONS_INIT                                                                                    \
    {                                                                                                                  \
        ENT_EXHAUSTIVE_OPTIONS_VERSION, true, true, (size_t)1 << 20, (size_t)1 << 31, 0, NULL                          \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_EXHAUSTIVE_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_exhaustive_options_init(ent_exhaustive_options_t *opts, unsigned version);

typedef struct {
    ent_partition_result_t best; /* the global optimum (optimal = true), lowest config among ties */
    uint64_t configs;            /* 2^(n-1) canonical configurations enumerated */
    uint64_t nminima;            /* local minima counted */
    ent_vec_t minima;            /* ent_local_min_t, sorted by config; at most max_minima */
    bool basins;                 /* basin sizes computed */
} ent_exhaustive_result_t;

void ent_exhaustive_result_init(ent_exhaustive_result_t *r);
void ent_exhaustive_result_destroy(ent_exhaustive_result_t *r);

/*
 * Enumerates all 2^(n-1) two-block configurations with node 0 fixed in block 0
 * (a configuration and its mirror image have the same cost: the canonical
 * space counts each pair once). Gray-code order: one node flips per step and
 * the fields are updated in O(n), so the whole run is O(2^(n-1) n). With
 * OpenMP the Gray sequence is cut into equal ranges, one per chunk; results
 * do not depend on the number of threads.
 *
 * Local minima: configurations where no single-node move (including moving
 * node 0, i.e. every other node, in canonical terms) lowers F by more than a
 * tolerance of 1e-12 * sum|a|; moves of zero gain do not leave a minimum, so
 * on a plateau every configuration is a minimum.
 * Basins: from every configuration, steepest descent: move the node whose move
 * lowers F most, ties to the lowest node index; the configuration belongs to
 * the basin of the minimum where this ends. Basin sizes sum to 2^(n-1).
 * Computed with a table of 4 bytes per configuration (memoised descent, each
 * configuration resolved once): O(2^(n-1)) time and memory.
 *
 * Errors: ENT_ERANGE for n < 1 or n > 40; ENT_ELIMIT when the basin table
 * would exceed max_bytes; ENT_EINTERRUPTED; ENT_ENOMEM.
 */
ent_err_t ent_partition_exhaustive(ent_exhaustive_result_t *res, const ent_signed_t *g,
                                   const ent_exhaustive_options_t *opts);

/* Node i's block (0/1) in canonical configuration `config`. */
static inline int ent_config_block(uint64_t config, int32_t i)
{
    return i == 0 ? 0 : (int)((config >> (i - 1)) & 1u);
}

/* ---------------------------------------------------------------- exact optimum */

typedef struct {
    unsigned version;
    double time_limit;     /* seconds of wall-clock time, 0 = none */
    uint64_t seed;         /* for the heuristic start */
    int32_t enumerate_max; /* pieces of at most this many nodes are enumerated */
    volatile sig_atomic_t *cancel;
} ent_exact_options_t;

#define ENT_EXACT_OPTIONS_VERSION 1
#define ENT_EXACT_OPTIONS_INIT                                                                                         \
    {                                                                                                                  \
        ENT_EXACT_OPTIONS_VERSION, 0.0, 1, 20, NULL                                                                    \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_EXACT_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_exact_options_init(ent_exact_options_t *opts, unsigned version);

/*
 * The minimum of F over two-block partitions, with a proof.
 *
 * 1. Decomposition: F is additive over biconnected components (a partition of
 *    each can be mirrored to agree with the others at the cut vertices), so
 *    bridges and trees cost nothing and each block is solved alone. A block
 *    with no negative cycle (a 2-colouring exists) costs 0.
 * 2. Blocks of at most enumerate_max nodes: exhaustive enumeration.
 * 3. Larger blocks: a heuristic incumbent (multi-start local search and
 *    annealing) and a negative-cycle packing bound; if they meet, done.
 *    Otherwise the "XOR" model of Aref et al. (binary x_i, continuous
 *    f_ij >= |x_i - x_j| for positive and f_ij >= |x_i + x_j - 1| for
 *    negative edges, minimise sum |a_ij| f_ij; the highest-degree node is
 *    fixed to block 0), solved by GLPK's branch and bound with odd-cycle
 *    inequalities (Barahona & Mahjoub) separated by shortest paths in the
 *    parity double cover at every node, the incumbent passed in as a start,
 *    and an early stop when the ceiling of the bound meets the incumbent
 *    (integer weights).
 * `optimal` is set only when the bound equals the value (within 1e-9
 * relative, or by integrality). On the time limit: the incumbent, the best
 * bound and the gap, ENT_OK. Errors: ENT_EINTERRUPTED, ENT_ENOMEM, ENT_EINVAL
 * (GLPK failed).
 */
ent_err_t ent_partition_exact(ent_partition_result_t *res, const ent_signed_t *g, const ent_exact_options_t *opts);

/* ---------------------------------------------------------------- heuristics */

typedef struct {
    unsigned version;
    uint64_t seed;                 /* restart r draws from stream (seed, r) */
    int32_t restarts;              /* multi-start local search runs */
    int32_t anneal_runs;           /* simulated annealing runs (each ends in a local search) */
    int32_t anneal_sweeps;         /* sweeps per annealing run */
    bool bound;                    /* compute the negative-cycle packing bound */
    volatile sig_atomic_t *cancel; /* checked between runs and annealing sweeps: ENT_EINTERRUPTED */
} ent_heuristic_options_t;

#define ENT_HEURISTIC_OPTIONS_VERSION 1
#define ENT_HEURISTIC_OPTIONS_INIT                                                                                     \
    {                                                                                                                  \
        ENT_HEURISTIC_OPTIONS_VERSION, 1, 64, 8, 400, true, NULL                                                       \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_HEURISTIC_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_heuristic_options_init(ent_heuristic_options_t *opts, unsigned version);

/*
 * Multi-start local search (steepest single-node moves from random starts)
 * and simulated annealing (Metropolis single flips, geometric cooling from
 * the mean |a| to 1% of the smallest |a|), the best over all runs (ties: the
 * earliest run). `bound` is the negative-cycle packing bound when asked
 * (else -inf); `optimal` when it meets the value. O(runs * sweeps * m).
 * ENT_ENOMEM; ENT_EINTERRUPTED when *cancel becomes non-zero.
 */
ent_err_t ent_partition_heuristic(ent_partition_result_t *res, const ent_signed_t *g,
                                  const ent_heuristic_options_t *opts);

/*
 * A lower bound on min F: a packing of negative cycles (odd number of
 * negative edges), each taking min residual |a| from its edges; every
 * partition frustrates an edge of every negative cycle. O(n m) per cycle.
 */
ent_err_t ent_partition_lower_bound(double *bound, const ent_signed_t *g);

/* ---------------------------------------------------------------- blockmodels */

typedef struct {
    unsigned version;
    int32_t k;    /* blocks, 1 <= k <= n */
    double alpha; /* weight of negative ties within blocks, in [0, 1] */
    uint64_t seed;
    int32_t restarts;
    volatile sig_atomic_t *cancel; /* checked between restarts: ENT_EINTERRUPTED */
} ent_blockmodel_options_t;

#define ENT_BLOCKMODEL_OPTIONS_VERSION 1
#define ENT_BLOCKMODEL_OPTIONS_INIT                                                                                    \
    {                                                                                                                  \
        ENT_BLOCKMODEL_OPTIONS_VERSION, 2, 0.5, 1, 64, NULL                                                            \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_BLOCKMODEL_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_blockmodel_options_init(ent_blockmodel_options_t *opts, unsigned version);

/*
 * Doreian-Mrvar relocation: from random partitions into exactly k non-empty
 * blocks, move single nodes and swap pairs of nodes across blocks while the
 * criterion P falls (best move first), over `restarts` starts; the best
 * (ties: the earliest). value = P; no bound (optimal false). O(restarts *
 * passes * (n k + n^2)). ENT_ERANGE for k outside [1, n] or alpha outside
 * [0, 1]; ENT_ENOMEM; ENT_EINTERRUPTED when *cancel becomes non-zero.
 */
ent_err_t ent_partition_blockmodel(ent_partition_result_t *res, const ent_signed_t *g,
                                   const ent_blockmodel_options_t *opts);

/* ---------------------------------------------------------------- one entry point */

/* Which solver ent_partition_solve runs. Values are stable. */
typedef enum {
    ENT_SOLVE_AUTO = 0,       /* the policy below */
    ENT_SOLVE_EXHAUSTIVE = 1, /* ent_partition_exhaustive (n <= 40) */
    ENT_SOLVE_EXACT = 2,      /* ent_partition_exact */
    ENT_SOLVE_HEURISTIC = 3   /* ent_partition_heuristic */
} ent_solve_method_t;

/* "auto", "exhaustive", "exact", "heuristic", and back (ENT_EINVAL for other names). */
const char *ent_solve_method_name(ent_solve_method_t m);
ent_err_t ent_solve_method_parse(ent_solve_method_t *out, const char *name);

typedef struct {
    unsigned version;
    ent_solve_method_t method;
    double time_limit;      /* seconds of wall-clock time for the exact solver, 0 = none */
    uint64_t seed;          /* heuristics (and the exact solver's incumbent) */
    int32_t exhaustive_max; /* AUTO: enumerate every configuration when minima are asked and n <= this */
    bool minima;            /* exhaustive: collect the local minima (and basins when `basins`) */
    bool basins;            /* exhaustive: their basins too, when the table fits max_bytes */
    size_t max_minima;      /* exhaustive: keep at most this many minima */
    size_t max_bytes;       /* exhaustive: memory for the basin table */
    int threads;            /* exhaustive: OpenMP threads, 0 = the default */
    volatile sig_atomic_t *cancel;
    /* HEURISTIC: the search's effort (restarts, annealing, bound), borrowed; NULL = its defaults.
     * Its seed and cancel are ignored: the fields above rule. (Version 2 added this field.) */
    const ent_heuristic_options_t *heuristic;
} ent_solve_options_t;

#define ENT_SOLVE_OPTIONS_VERSION 2
#define ENT_SOLVE_OPTIONS_INIT                                                                                         \
    {                                                                                                                  \
        ENT_SOLVE_OPTIONS_VERSION, ENT_SOLVE_AUTO, 60.0, 1, 24, false, true, (size_t)1 << 20, (size_t)1 << 31, 0,      \
            NULL, NULL                                                                                                 \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_SOLVE_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_solve_options_init(ent_solve_options_t *opts, unsigned version);

typedef struct {
    ent_partition_result_t best; /* the split found, its value, bound, gap and `method` string */
    ent_solve_method_t used;     /* the solver that ran (never AUTO) */
    bool enumerated;             /* the exhaustive solver ran: the fields below are set */
    uint64_t configs;            /* canonical configurations enumerated */
    uint64_t nminima;            /* local minima counted */
    ent_vec_t minima;            /* ent_local_min_t, sorted by config; at most max_minima */
    bool basins;                 /* basin sizes computed */
} ent_solve_result_t;

void ent_solve_result_init(ent_solve_result_t *r);
void ent_solve_result_destroy(ent_solve_result_t *r);

/*
 * The one entry point to the two-block partition solvers: every caller in the
 * library (the balance and blocs reports, the landscape) and the CLI's
 * `balance` go through it.
 *
 * Policy of ENT_SOLVE_AUTO:
 *  1. minima asked and n <= exhaustive_max: exhaustive enumeration (the
 *     optimum with every local minimum and basin; O(2^(n-1) n)).
 *  2. otherwise the exact solver with the time limit, which itself
 *     decomposes into biconnected blocks, enumerates blocks of at most 20
 *     nodes, runs the heuristic with its cycle-packing bound on larger ones
 *     and stops there when the bound proves the incumbent, and only then
 *     starts branch and cut (GLPK) for the time that is left. When the limit
 *     runs out the heuristic incumbent comes back with the best bound and
 *     the gap (optimal false): exact when feasible within the time limit,
 *     heuristic otherwise.
 * The other methods run that solver alone (EXHAUSTIVE honours minima, basins,
 * max_minima, max_bytes and threads: basins are dropped, not refused, when
 * their table would not fit; EXACT the time limit; HEURISTIC the seed).
 *
 * Errors: ENT_EINVAL for a bad version or method, a negative or non-finite
 * time limit; ENT_ERANGE for EXHAUSTIVE with n > 40; ENT_EINTERRUPTED when
 * *cancel becomes non-zero; ENT_ESOLVER when GLPK fails; ENT_ENOMEM.
 * `res` initialised by the caller (earlier contents replaced).
 */
ent_err_t ent_partition_solve(ent_solve_result_t *res, const ent_signed_t *g, const ent_solve_options_t *opts);

/* ---------------------------------------------------------------- signed edge lists */

/*
 * One or more named signed networks read from a CSV edge list (src/io/signed.c):
 * a header with columns `from`, `to`, `sign`, optionally `network` (several
 * networks in one file, in order of first appearance; without it one network
 * named after the file) and optionally `begin`, `end` (years: the tie is
 * active for begin <= year < end; then a year must be given). Labels are
 * strings (at most 200 bytes); the sign is any nonzero finite number.
 */
typedef struct ent_signed_set ent_signed_set_t;

typedef struct {
    unsigned version;
    int year;         /* with begin/end columns: keep ties active in this year */
    size_t max_edges; /* refuse files with more edges (all networks), ENT_ELIMIT */
} ent_signed_read_options_t;

#define ENT_SIGNED_READ_OPTIONS_VERSION 1
#define ENT_SIGNED_READ_OPTIONS_INIT                                                                                   \
    {                                                                                                                  \
        ENT_SIGNED_READ_OPTIONS_VERSION, 0, (size_t)1 << 24                                                            \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_SIGNED_READ_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_signed_read_options_init(ent_signed_read_options_t *opts, unsigned version);

/*
 * Reads `path`. Errors name file:line:column and the field: ENT_EIO
 * unreadable; ENT_EPARSE a missing column, a malformed number, a self-loop;
 * ENT_ERANGE a zero or non-finite sign, a year out of range; ENT_EEXISTS the
 * same pair twice in one network (active in the year); ENT_EINVAL a file with
 * begin/end but no year; ENT_ELIMIT; ENT_ENOMEM. Free with ent_signed_set_free.
 */
ent_err_t ent_signed_read(ent_signed_set_t **out, const char *path, const ent_signed_read_options_t *opts);
void ent_signed_set_free(ent_signed_set_t *s);
size_t ent_signed_set_count(const ent_signed_set_t *s);
/* Network i (borrowed) and its name. */
const ent_signed_t *ent_signed_set_graph(const ent_signed_set_t *s, size_t i);
const char *ent_signed_set_name(const ent_signed_set_t *s, size_t i);
/* The index of the network called `name`; ENT_ENOTFOUND (message lists a few names). */
ent_err_t ent_signed_set_find(const ent_signed_set_t *s, const char *name, size_t *index);

ENT_END_DECLS
#endif
