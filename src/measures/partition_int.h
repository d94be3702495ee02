/*
 * partition_int.h -- what the partition solvers share: a compressed adjacency
 * (CSR) view of a signed graph, sub-graphs, the local search and the
 * wall clock.
 */
#ifndef ENTENTE_PARTITION_INT_H
#define ENTENTE_PARTITION_INT_H

#include "entente/partition.h"
#include "util_int.h"

/* Adjacency of node i: nbr[off[i] .. off[i+1]), with weights wt[] and edge ids eid[]. */
typedef struct {
    int32_t n;
    size_t m;
    size_t *off;
    int32_t *nbr;
    double *wt;
    size_t *eid;
} ent_i_adj_t;

ent_err_t ent_i_adj_build(ent_i_adj_t *a, const ent_signed_t *g);
void ent_i_adj_free(ent_i_adj_t *a);

/* True when all weights are integers of modest size: F is an integer then. */
bool ent_i_integral_weights(const ent_signed_t *g);

/* Seconds since an arbitrary origin (monotonic). */
double ent_i_now(void);

/*
 * Steepest-descent local search from sigma (+-1 per node) on `a`: repeatedly
 * moves the node with the most negative gain sigma_i h_i. Returns F.
 * `h` (n doubles) is scratch.
 */
double ent_i_local_search(const ent_i_adj_t *a, int8_t *sigma, double *h, double total_abs);

/* F of a +-1 configuration. */
double ent_i_spin_cost(const ent_i_adj_t *a, const int8_t *sigma);

/*
 * The best two-block partition found by the heuristics, as sigma; returns F.
 * Used by ent_partition_heuristic and as the incumbent of the exact solver.
 */
ent_err_t ent_i_heuristic_spins(const ent_i_adj_t *a, const ent_heuristic_options_t *o, int8_t *best, double *value,
                                int64_t *runs);

/* Negative-cycle packing bound on `a`. */
ent_err_t ent_i_cycle_packing(const ent_i_adj_t *a, double *bound);

/* Exhaustive optimum of a small graph (n <= 40) without minima: sigma and F. */
ent_err_t ent_i_exhaustive_best(const ent_signed_t *g, int8_t *sigma, double *value, volatile sig_atomic_t *cancel);

/*
 * Tests: runs the enumeration and stores F of every canonical configuration
 * c in values[c] (2^(n-1) doubles), as the Gray-code updates computed it.
 */
ent_err_t ent_i_exhaustive_trace(const ent_signed_t *g, double *values, int threads);

/* Writes block[] from sigma, numbering blocks by first appearance (node 0 in block 0). */
ent_err_t ent_i_result_set_spins(ent_partition_result_t *r, const int8_t *sigma, int32_t n);
/* Renumbers block[] by first appearance. */
void ent_i_canon_blocks(int32_t *block, int32_t n);

#endif
