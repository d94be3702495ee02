/*
 * backtest_int.h -- what backtest.c shares with the score functions: the
 * variants that take a precomputed sort order, so a bootstrap over test years
 * reweights rows instead of sorting them again.
 */
#ifndef ENTENTE_BACKTEST_INT_H
#define ENTENTE_BACKTEST_INT_H

#include "entente/backtest.h"

/* Indices 0..n-1 sorted by p ascending (ties by index). *out is allocated; free with ent_free. */
ent_err_t ent_i_order_asc(size_t **out, const double *p, size_t n);

/* AUC and average precision over rows already sorted ascending by p (ord). */
double ent_i_auc_sorted(const size_t *ord, const double *p, const double *y, const double *w, size_t n);
double ent_i_ap_sorted(const size_t *ord, const double *p, const double *y, const double *w, size_t n);
/* Expected hits in the top k of rows sorted ascending (ord): ties at the boundary broken at random. */
double ent_i_topk_sorted(const size_t *ord, const double *p, const double *y, size_t n, size_t k);
/*
 * Bin boundaries of equal-count bins over rows sorted ascending: start[b] ..
 * start[b+1]-1 for b < *nb; equal forecasts never split, so *nb <= nbins.
 * start has room for nbins + 1 entries.
 */
void ent_i_bins(size_t *start, size_t *nb, const size_t *ord, const double *p, size_t n, size_t nbins);

#endif
