/*
 * panel.h -- the dyad-year research panel: every dyad of the COW state system
 * in a range of years with the covariates a quantitative study of alliance
 * formation starts from (alliances, geography, power, regime, conflict,
 * trade, institutions, UN voting, portfolio similarity), built from the store
 * in memory as columns.
 *
 * The dyad set follows COW system membership (system_years; after the system
 * file's last year, the state spells, as codes/cow_ddy does for 2017-2018),
 * less the dyad-years whose states never coexisted on one day (false_dyads).
 * Undirected: ccode1 < ccode2. Directed: both orders, "1" columns describe
 * ccode1. Rows are ordered by year, ccode1, ccode2.
 *
 * Every column is a double; a missing value is NaN. docs/measures.md ("The
 * dyad-year panel") gives each column's source and exactly how it is dated or
 * lagged; ent_panel_columns() lists them in output order.
 */
#ifndef ENTENTE_PANEL_H
#define ENTENTE_PANEL_H

#include <signal.h>
#include <stdbool.h>

#include "common.h"
#include "store.h"

ENT_BEGIN_DECLS

typedef struct ent_panel ent_panel_t;

typedef struct {
    unsigned version;
    int from, to;  /* years, inclusive; 1816 <= from <= to */
    bool directed; /* both orders of each dyad (default: each once, ccode1 < ccode2) */
    /* "cow" (COW MID 5, default: it runs to 2014) or "gml" (Gibler-Miller-Little, to 2010) */
    const char *mid_dataset;
    /* The columns to build, by name (NULL: all). Unknown names are ENT_EINVAL. */
    const char *const *columns;
    size_t ncolumns;
    volatile sig_atomic_t *cancel; /* when it becomes non-zero: ENT_EINTERRUPTED */
} ent_panel_options_t;

#define ENT_PANEL_OPTIONS_VERSION 1
#define ENT_PANEL_OPTIONS_INIT                                                                                         \
    {                                                                                                                  \
        ENT_PANEL_OPTIONS_VERSION, 0, 0, false, NULL, NULL, 0, NULL                                                    \
    }

/* What values a column holds (for typed output such as Stata's byte/int/double). */
typedef enum {
    ENT_PANEL_REAL = 0,   /* any real */
    ENT_PANEL_BINARY = 1, /* 0 or 1 */
    ENT_PANEL_INTEGER = 2 /* an integer in -32767..32740 (counts, years, Polity scores) */
} ent_panel_kind_t;
ent_panel_kind_t ent_panel_column_kind(const char *name);

/* Every column's name in output order (after ccode1, ccode2, year); static. *n receives how many. */
const char *const *ent_panel_columns(size_t *n);

/*
 * Builds the panel of opt->from..opt->to from `db`. The store must hold the
 * COW state list and system, and ATOP (atop-dyad-year and atop); every other
 * source that is absent leaves its columns empty (NaN) and adds a note
 * (ent_panel_note) naming the import that would fill them. History terms
 * (years since a defence tie, MIDs in ten years) read the sources back to
 * 1816 whatever opt->from is.
 *
 * Errors: ENT_EINVAL (bad options, an unknown column), ENT_ENOTFOUND (no state
 * system or ATOP in the store), ENT_ERANGE (years outside what the store
 * covers), ENT_ESTORE, ENT_ENOMEM, ENT_EINTERRUPTED. Free with ent_panel_free().
 * Time O(sum over years of n^2 + rows of the sources); memory rows x columns x 8 bytes.
 */
ent_err_t ent_panel_build(ent_panel_t **out, ent_store_t *db, const ent_panel_options_t *opt);
/* NULL-safe. */
void ent_panel_free(ent_panel_t *p);

size_t ent_panel_nrows(const ent_panel_t *p);
/* The key columns (borrowed, nrows long). */
const int32_t *ent_panel_ccode1(const ent_panel_t *p);
const int32_t *ent_panel_ccode2(const ent_panel_t *p);
const int32_t *ent_panel_year(const ent_panel_t *p);
/* A built column by name (borrowed, nrows long), or NULL when absent or not selected. */
const double *ent_panel_column(const ent_panel_t *p, const char *name);
/* The built columns in output order: their count, and the k-th name (borrowed). */
size_t ent_panel_ncolumns(const ent_panel_t *p);
const char *ent_panel_column_name(const ent_panel_t *p, size_t k);
const double *ent_panel_column_at(const ent_panel_t *p, size_t k);
/* Notes on sources that were absent or partial ("no MID data in the store: ..."). */
size_t ent_panel_nnotes(const ent_panel_t *p);
const char *ent_panel_note(const ent_panel_t *p, size_t k);

ENT_END_DECLS
#endif
