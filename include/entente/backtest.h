/*
 * backtest.h -- scoring forecasts of new defence pacts on years the forecaster
 * never saw: a columnar dyad-year table, proper scores (log, Brier with the
 * Murphy decomposition, ROC-AUC, average precision, top-k recall), an
 * L2-penalised logistic regression, and the backtest that ties them together
 * (a frozen split into fit, validation and test outcome years; pluggable
 * predictors scored identically; bootstrap intervals over test years).
 *
 * Dating convention: a panel row of year t carries features measured in t or
 * earlier and the outcome new_defence of t+1. "Outcome year" always means
 * t + 1: the default split fits on outcome years 1947-1980 (rows 1946-1979).
 */
#ifndef ENTENTE_BACKTEST_H
#define ENTENTE_BACKTEST_H

#include <stdbool.h>

#include "common.h"
#include "panel.h"

ENT_BEGIN_DECLS

/* ---------------------------------------------------------------- the table */

/*
 * A plain columnar table: `ncols` named columns of `n` doubles each, NaN for a
 * missing value. Integer keys (ccode1, ccode2, year) are columns like any
 * other. This is the backtest's whole input, so a panel built in memory can be
 * fed in without a file. Caller-allocated: ent_table_init / ent_table_destroy.
 */
typedef struct {
    size_t n;
    size_t ncols;
    char **names;  /* owned */
    double **cols; /* owned, each n doubles */
} ent_table_t;

void ent_table_init(ent_table_t *t);
void ent_table_destroy(ent_table_t *t);
/* Sets the row count of an empty table (before any column is added). */
ent_err_t ent_table_set_rows(ent_table_t *t, size_t n);
/* Adds a column of t->n NaNs named `name` (copied); *col receives it (borrowed). ENT_EEXISTS on a duplicate. */
ent_err_t ent_table_add(ent_table_t *t, const char *name, double **col);
/* The column named `name`, or NULL (borrowed). O(ncols). */
const double *ent_table_column(const ent_table_t *t, const char *name);
/*
 * Reads a CSV panel: lines starting with '#' before the header are skipped;
 * every column is parsed as a number, an empty field or NA is NaN, except the
 * keys ccode1, ccode2 and year, which must be integers wherever present. Columns
 * named in `required` (NULL-terminated, may be NULL) must be present.
 * ENT_EPARSE names file:line:column and the field on malformed input.
 */
ent_err_t ent_table_read_csv(ent_table_t *out, const char *path, const char *const *required);

/*
 * The table of a panel built in memory (ent_panel_build): ccode1, ccode2, year and every built
 * column, copied, so the panel may be freed. `out` is initialised here; free it with
 * ent_table_destroy whatever this returns. ENT_ENOMEM. O(rows x columns).
 */
ent_err_t ent_table_from_panel(ent_table_t *out, const ent_panel_t *p);

/* ---------------------------------------------------------------- scores */

/*
 * The scores take forecasts p in [0, 1], outcomes y in {0, 1} and optional
 * integer-valued weights w (NULL = all 1; a bootstrap resample is a weighting
 * of the rows). Ties in p are handled exactly (midranks for the AUC, grouped
 * thresholds for average precision, expected values for top k).
 */

/* Mean negative log likelihood (natural log). A forecast of 0 for an event (or 1
 * for a non-event) makes it +INFINITY; *nimpossible (may be NULL) counts them. */
double ent_score_log(const double *p, const double *y, const double *w, size_t n, size_t *nimpossible);

/*
 * Brier score and its decomposition over `nbins` equal-count bins of the
 * sorted forecasts (a bin never splits equal forecasts, so it may hold more):
 * brier = rel - res + unc + within, exactly, where `within` is the within-bin
 * term of Stephenson, Coelho & Jolliffe (2008) that vanishes when every bin
 * holds one forecast value (Murphy 1973's case).
 */
typedef struct {
    double brier, rel, res, unc, within;
    size_t nbins;
} ent_brier_t;
ent_err_t ent_score_brier(ent_brier_t *out, const double *p, const double *y, const double *w, size_t n, size_t nbins);

/* ROC-AUC (Mann-Whitney, ties count one half); NaN without both classes. */
ent_err_t ent_score_auc(double *out, const double *p, const double *y, const double *w, size_t n);
/* Average precision: sum over distinct thresholds of (R_k - R_{k-1}) P_k; NaN without events. */
ent_err_t ent_score_ap(double *out, const double *p, const double *y, const double *w, size_t n);
/*
 * Expected number of events among the k highest forecasts when ties at the
 * boundary are broken at random (k >= n: all events). *out receives it.
 */
ent_err_t ent_score_topk_hits(double *out, const double *p, const double *y, size_t n, size_t k);

/* ---------------------------------------------------------------- logistic regression */

typedef struct {
    unsigned version;
    double lambda; /* L2 penalty (lambda/2) sum_j beta_j^2 over j >= 1; the intercept beta_0 is free */
    int max_iter;  /* Newton iterations, default 100 */
    double tol;    /* stop when max |step| < tol, default 1e-10 */
    bool warm;     /* start from beta's contents instead of zero */
    int threads;   /* OpenMP threads for the Hessian; 0 = the runtime's default */
} ent_logit_options_t;

#define ENT_LOGIT_OPTIONS_VERSION 1
#define ENT_LOGIT_OPTIONS_INIT                                                                                         \
    {                                                                                                                  \
        ENT_LOGIT_OPTIONS_VERSION, 1.0, 100, 1e-10, false, 0                                                           \
    }

/*
 * Minimises -sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)] + (lambda/2) |beta_{1..q}|^2
 * with p_i = 1 / (1 + exp(-(beta_0 + x_i . beta_{1..q}))) by Newton's method
 * (Cholesky of the penalised Hessian with GSL, step halving on the objective).
 * X is column-major (column j is X[j*n .. j*n+n-1]), y in {0, 1}; beta has q + 1 entries. *iters (may be NULL)
 * receives the iterations used. ENT_ERANGE when it fails to converge or the
 * Hessian is not positive definite (lambda = 0 on separable data). O(iters n q^2).
 */
ent_err_t ent_logit_fit(double *beta, const double *X, const double *y, size_t n, size_t q,
                        const ent_logit_options_t *opt, int *iters);

/* ---------------------------------------------------------------- the backtest */

enum { ENT_BT_NTOPK = 4 };
extern const int ent_bt_topk[ENT_BT_NTOPK]; /* 10, 50, 100, 500 */

typedef struct {
    double lo, hi;
} ent_interval_t;

/* One scorecard: the scores of one predictor on one set of rows (dyad-years or state-years). */
typedef struct {
    size_t n, events;
    double event_rate;
    double log_score;    /* +INFINITY when an event got p = 0 */
    size_t n_impossible; /* events forecast with p = 0 (or non-events with p = 1) */
    ent_brier_t brier;
    double bss_base, bss_zero; /* Brier skill: 1 - BS / BS(reference) */
    double lss_base, lss_zero; /* log-score skill; NaN when a reference's log score is infinite */
    double auc, ap;
    double topk_recall[ENT_BT_NTOPK];    /* pooled: expected hits / events, over the years' top k */
    double topk_precision[ENT_BT_NTOPK]; /* pooled: expected hits / (k x years) */
    double treaty_recall[ENT_BT_NTOPK];  /* share of treaty formations with a dyad in the year's top k */
    size_t ntreaties;                    /* 0 when no ATOP member file was given */
    size_t unattributed;                 /* new defence dyads no treaty could be found for */
    /* 90% intervals from the bootstrap over test years (NaN without one) */
    ent_interval_t ci_log, ci_brier, ci_bss_base, ci_auc, ci_ap, ci_topk_recall[ENT_BT_NTOPK];
} ent_scorecard_t;

typedef struct {
    int year; /* outcome year */
    size_t n, events;
    double expected; /* sum of p: calibration in the large is events vs expected */
    double log_score, brier, auc;
    double topk_hits[ENT_BT_NTOPK];
} ent_bt_year_t;

typedef struct {
    size_t n;
    double p_lo, p_hi, p_mean, observed; /* observed event share */
    double obs_lo, obs_hi;               /* 90% Wilson interval of the observed share */
} ent_bt_bin_t;

typedef struct {
    unsigned version;
    int fit_from, fit_to, valid_from, valid_to, test_from, test_to; /* outcome years */
    const char *predictor; /* "base-rate", "none", "history", "logit", "file:PATH" or "model:NAME" (see given) */
    const char *features;  /* logit/history features (comma list, see docs/validation.md); NULL = default */
    const double *lambdas; /* the penalty grid; NULL = 10^5, 10^4, ..., 10^-3 */
    size_t nlambdas;
    size_t nbins; /* reliability and Murphy bins, default 10 */
    size_t boot;  /* bootstrap resamples of test years, default 1000; 0 = none */
    uint64_t seed;
    const char *atop_members; /* atop5_1m.csv for treaty recall, or NULL */
    bool refit;               /* refit each test year (default true); false keeps the fit-period model */
    int threads;
    /*
     * The "model:NAME" predictor: the caller's one-step-ahead forecast for every table row (t->n
     * values, NaN where it has none), e.g. from ent_pmhistory_forecast(). Every at-risk row of the
     * fit, validation and test years must have one. NULL for the other predictors.
     */
    const double *given;
} ent_backtest_options_t;

#define ENT_BACKTEST_OPTIONS_VERSION 1
#define ENT_BACKTEST_OPTIONS_INIT                                                                                      \
    {                                                                                                                  \
        ENT_BACKTEST_OPTIONS_VERSION, 1947, 1980, 1981, 1990, 1991, 2018, "logit", NULL, NULL, 0, 10, 1000, 1, NULL,   \
            true, 0, NULL                                                                                              \
    }

typedef struct {
    char *predictor;
    /* the at-risk rows: atop_defense == 0 in t and new_defence known */
    size_t n_fit, n_valid, n_test, events_fit, events_valid, events_test;
    /* logit/history: features, penalty path and the fit on the fit years */
    size_t nfeat;                /* model columns, without the intercept */
    char **feat_names;           /* nfeat names ("missing:x" for indicators) */
    double *coef;                /* nfeat + 1: the intercept then the standardised coefficients */
    double *feat_mean, *feat_sd; /* the standardisation of the fit-period model */
    char *absent;                /* requested features the panel lacks (comma list), or NULL */
    size_t nlambdas;
    double *lambdas, *valid_log;      /* the grid and each value's validation log score */
    double lambda;                    /* the chosen penalty (NaN for other predictors) */
    double fit_log, valid_log_chosen; /* log score on the fit years (in sample) and validation years */
    int refits;
    int newton_iters; /* over every fit: the cost of the run */
    /* the scorecards on the test years */
    ent_scorecard_t dyad, state;
    size_t nyears;
    ent_bt_year_t *years; /* dyad level, one per test outcome year */
    size_t nbins;
    ent_bt_bin_t *bins; /* equal-count bins, then one more: the 1,000 highest forecasts */
    /* every test row's forecast, in table order of the at-risk test rows */
    size_t *test_rows;
    double *test_p;
    double seconds;
} ent_backtest_t;

/*
 * Runs one predictor on the table (columns ccode1, ccode2, year, new_defence,
 * atop_defense required; features as available). *out receives a result to
 * free with ent_backtest_free(). ENT_EINVAL on bad options (an unknown
 * predictor or feature, overlapping or empty periods), ENT_EPARSE/ENT_EIO for
 * a file: predictor or the ATOP member file, ENT_ERANGE when a fit fails.
 */
ent_err_t ent_backtest_run(ent_backtest_t **out, const ent_table_t *t, const ent_backtest_options_t *opt);
void ent_backtest_free(ent_backtest_t *b);

ENT_END_DECLS
#endif
