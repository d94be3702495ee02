/*
 * measures_int.h -- what the measures module shares inside the library: the
 * step from a contingency table to the five similarity measures, which the
 * portfolio-level function, the all-dyad kernel and the tests all go through.
 */
#ifndef ENTENTE_MEASURES_INT_H
#define ENTENTE_MEASURES_INT_H

#include "entente/measures.h"

/*
 * A pair's contingency table over the coding's levels 0..nlev-1 (level index
 * = code - lo): t[a][b] counts the items coded a by the first state and b by
 * the second; tw[a][b] sums those items' weights (NULL: sw is NaN).
 */
typedef struct {
    int nlev;
    double t[ENT_SIM_MAXLEV][ENT_SIM_MAXLEV];
    double tw[ENT_SIM_MAXLEV][ENT_SIM_MAXLEV];
    bool weighted;
} ent_i_simtable_t;

/*
 * The five measures from a table. dmax > 0: the maximum distance (not yet
 * squared); dmax < 0: the range observed in the table's margins. Never fails:
 * an undefined measure is NaN (see docs/measures.md). O(nlev^2).
 */
void ent_i_similarity_from_table(ent_similarity_t *out, const ent_i_simtable_t *tab, bool squared, double dmax);

#endif
