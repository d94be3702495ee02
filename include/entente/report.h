/*
 * report.h -- results as JSON text: one schema for the CLI, the server and the bindings.
 *
 * Each report is computed and serialised here, once; `entente ... --json` prints it (adding
 * its provenance record), the text tables are rendered from it, and the Python package and
 * `entente serve` hand it on unchanged. Every report is an object whose "schema" member names
 * it and its version ("entente.world/1"); docs/report.md documents each field, and golden
 * files in tests/golden/ pin the output on the shipped world.
 *
 * Conventions of every report: states are identified by COW abbreviation and code (never by
 * an index or a position in a list of poles); dates are YYYY-MM-DD; a missing number is null;
 * an open end date is null.
 *
 * The caller frees *out with ent_free().
 */
#ifndef ENTENTE_REPORT_H
#define ENTENTE_REPORT_H

#include <signal.h>

#include "backtest.h"
#include "common.h"
#include "landscape.h"
#include "measures.h"
#include "pactmodel.h"
#include "partition.h"
#include "sim.h"
#include "world.h"

ENT_BEGIN_DECLS

/* The schema versions these functions write. */
#define ENT_REPORT_WORLD_SCHEMA "entente.world/1"
#define ENT_REPORT_STATE_SCHEMA "entente.state/1"
#define ENT_REPORT_MAP_SCHEMA "entente.map/1"
#define ENT_REPORT_NETWORK_SCHEMA "entente.network/1"
#define ENT_REPORT_POLARIZATION_SCHEMA "entente.polarization/1"
#define ENT_REPORT_SCENARIO_SCHEMA "entente.scenario/1"
#define ENT_REPORT_ENSEMBLE_SCHEMA "entente.ensemble/1"
#define ENT_REPORT_SCENARIOS_SCHEMA "entente.scenarios/1"
#define ENT_REPORT_SIMILARITY_SCHEMA "entente.similarity/1"
#define ENT_REPORT_BALANCE_SCHEMA "entente.balance/1"
#define ENT_REPORT_BLOCS_SCHEMA "entente.blocs/1"
#define ENT_REPORT_BACKTEST_SCHEMA "entente.backtest/1"
#define ENT_REPORT_SIMULATE_SCHEMA "entente.simulate/1"
#define ENT_REPORT_FORECAST_SCHEMA "entente.forecast/1"
#define ENT_REPORT_LANDSCAPE_SCHEMA "entente.landscape/1"
#define ENT_REPORT_FIT_SCHEMA "entente.fit/1"
#define ENT_REPORT_FREERUN_SCHEMA "entente.freerun/1"

/*
 * The alliance system on `date`: the states alive, ties in force by kind, the defence-pact
 * components with their capability, every organisation's membership counts, and each pole's
 * partnership ladder. `origin` (may be NULL) says where the world came from ("shipped world
 * DIR", "store PATH") and is copied into the report.
 */
ent_err_t ent_report_world(char **out, const ent_world_t *w, ent_date_t date, const char *origin);

/*
 * State `state`'s pyramid on `date`, as the essay reads it: its formal allies, its other pacts,
 * its own partnership ladder tier by tier (as a pole), its partnerships with poles,
 * organisations, security cooperation, economy, UN votes, coercion and rivalries. ENT_EINVAL
 * when `state` is not a state of the world.
 */
ent_err_t ent_report_state(char **out, const ent_world_t *w, int64_t state, ent_date_t date);

/*
 * Every state alive on `date` with what a map colours it by: its defence-pact bloc and the
 * bloc's most capable member, its number of formal allies, capability, democracy, trade shares
 * with China and the US, UN voting, and its tier on each pole's partnership ladder; with the
 * list of those measures (key, label, kind, range) for a legend. Calls igraph (pact blocs): not
 * from a parallel region. O(states^2 + ties).
 */
ent_err_t ent_report_map(char **out, const ent_world_t *w, ent_date_t date);

/* The tie kinds the network shows by default: pacts, partnerships, security ties, rivalries. */
#define ENT_REPORT_NETWORK_DEFAULT_KINDS                                                                               \
    ((1u << ENT_TIE_PACT) | (1u << ENT_TIE_PARTNERSHIP) | (1u << ENT_TIE_SECURITY) | (1u << ENT_TIE_RIVALRY))

/*
 * The network of ties in force on `date` between states alive on it: `kinds` is a mask of
 * (1u << ent_tie_kind_t) bits (0 = ENT_REPORT_NETWORK_DEFAULT_KINDS); one edge per dyad and kind
 * (a defence pact in force in practice, else the highest level, stands for the rest), with its
 * sign (-1 for rivalry and coercion); nodes are the states with at least one edge, with their
 * capability and pact bloc. ENT_EINVAL for a mask naming no kind. Calls igraph. O(ties log ties).
 */
ent_err_t ent_report_network(char **out, const ent_world_t *w, ent_date_t date, unsigned kinds);

/*
 * The polarization of the system on `date` (ent_blocs_polarization without UN ideal points):
 * blocs, aligned states, the two largest blocs' capability shares, bipolarity, Herfindahl,
 * effective poles, Esteban-Ray. ENT_ERANGE as ent_blocs_polarization. Calls igraph.
 */
ent_err_t ent_report_polarization(char **out, const ent_world_t *w, ent_date_t date);

/*
 * A scenario as the explorer edits it: name, description, poles, every parameter of the table
 * (ent_sim_params) with its value (per pole a map pole -> value), default, documented range and
 * reason; the levers per pole with their range [0, 1]; the shocks. `w` (may be NULL) names
 * states by abbreviation; without it, COW codes.
 */
ent_err_t ent_report_scenario(char **out, const ent_scenario_t *s, const ent_world_t *w);

/* A list of scenarios s[0..n): name, description, poles, horizon, report year, runs, seed, shocks. */
ent_err_t ent_report_scenarios(char **out, const ent_scenario_t *s, size_t n, const ent_world_t *w);

/*
 * An ensemble's results: the poles' headline probabilities, P[a pact between two poles] for each
 * pair of poles, every series' mean and 5/50/95% quantiles by year (the fan charts), every state's
 * alignment probabilities in the report year and its pact probabilities by then, each with its 95%
 * Wilson interval. With a baseline (base_s, base_m, base: all three or none; same states, poles and
 * years, ENT_EINVAL otherwise) also the effect against it: per state the difference of each
 * alignment probability with Newcombe's interval, per pole the paired difference of P[more pacts
 * than in the base year], per pair of poles the paired difference of P[a pact between them].
 * The numbers are those `entente simulate --json` prints for the same scenario and seed.
 */
ent_err_t ent_report_ensemble(char **out, const ent_world_t *w, const ent_scenario_t *s, const ent_model_t *m,
                              const ent_ensemble_t *e, const ent_scenario_t *base_s, const ent_model_t *base_m,
                              const ent_ensemble_t *base);

/* ---------------------------------------------------------------- measures (src/report/measures.c) */

/*
 * Foreign-policy similarity from portfolios `p` (ent_portfolios_from_world or ent_portfolios_load)
 * for every year of [from, to]: with ccode1 = ccode2 = 0 every dyad (ccode1 < ccode2); with
 * ccode1 only, that state against every other state compared in the year (ccode1 first in each
 * row); with both, that pair. `measures` is a mask of ENT_SIM_* bits (0 = all); `opts` may be
 * NULL. In a range, years where the state (or the pair) is not compared are skipped; for a single
 * year, and when no year has it, ENT_ENOTFOUND. ENT_ERANGE for a year not loaded. Memory O(rows):
 * for every dyad over long ranges the CLI's --csv streams instead. O(rows * items).
 */
ent_err_t ent_report_similarity(char **out, const ent_portfolios_t *p, int from, int to, int32_t ccode1, int32_t ccode2,
                                unsigned measures, const ent_similarity_options_t *opts);

/* How the balance report solves: the solver policy of ent_partition_solve and the extras of `entente balance`. */
typedef struct {
    unsigned version;
    ent_solve_method_t method;     /* AUTO (default): ent_partition_solve's policy */
    double time_limit;             /* seconds for the exact solver (default 60; 0 = none) */
    uint64_t seed;                 /* heuristics and the blockmodel (default 1) */
    int32_t k;                     /* > 0: also a k-block signed blockmodel (default 0) */
    double alpha;                  /* its weight of negative ties inside blocks (default 0.5) */
    size_t max_minima;             /* EXHAUSTIVE: local minima listed (default 50) */
    volatile sig_atomic_t *cancel; /* ENT_EINTERRUPTED when it becomes non-zero */
} ent_report_balance_options_t;

#define ENT_REPORT_BALANCE_OPTIONS_VERSION 1
#define ENT_REPORT_BALANCE_OPTIONS_INIT                                                                                \
    {                                                                                                                  \
        ENT_REPORT_BALANCE_OPTIONS_VERSION, ENT_SOLVE_AUTO, 60.0, 1, 0, 0.5, 50, NULL                                  \
    }
/* Fills *opts with the defaults above; ENT_EINVAL when `version` differs (the caller's headers). */
ent_err_t ent_report_balance_options_init(ent_report_balance_options_t *opts, unsigned version);

/*
 * Structural balance of signed network `g` named `name`: triangle balance, the frustration index
 * with its bound, gap, solver and two-camp partition (node label -> 0/1), with EXHAUSTIVE the local
 * minima and basins, with k > 0 a signed blockmodel. `origin` (may be NULL) and `date`
 * (ENT_DATE_NONE: null) say where the network came from. No igraph. Errors of ent_partition_solve
 * and ent_partition_blockmodel. Time: the solver's (bounded by the time limit but for EXHAUSTIVE).
 */
ent_err_t ent_report_balance(char **out, const ent_signed_t *g, const char *name, const char *origin, ent_date_t date,
                             const ent_report_balance_options_t *opts);

/*
 * ent_report_balance of the world's signed network on `date` as `entente blocs` builds it
 * (ent_blocs_network, default weights), named "world YYYY-MM-DD". ENT_ERANGE as ent_blocs_network.
 */
ent_err_t ent_report_balance_world(char **out, const ent_world_t *w, ent_date_t date, const char *origin,
                                   const ent_report_balance_options_t *opts);

/* How the blocs report runs. */
typedef struct {
    unsigned version;
    uint64_t seed;                 /* community detection and heuristics (default 1) */
    int32_t restarts;              /* spinglass runs per component (default 2) */
    double time_limit;             /* seconds for the exact frustration index (default 10; 0 = none) */
    size_t top;                    /* states listed per centrality (default 10) */
    volatile sig_atomic_t *cancel; /* checked by the solver: ENT_EINTERRUPTED */
    /*
     * Called with true before and false after each stretch of igraph calls (communities,
     * centrality) so that a caller running reports on several threads can serialise igraph
     * (the Debian igraph is not thread-safe) without holding its lock through the solver,
     * which is most of the time. NULL: not called.
     */
    void (*igraph_section)(void *ctx, bool enter);
    void *ctx;
} ent_report_blocs_options_t;

#define ENT_REPORT_BLOCS_OPTIONS_VERSION 1
#define ENT_REPORT_BLOCS_OPTIONS_INIT                                                                                  \
    {                                                                                                                  \
        ENT_REPORT_BLOCS_OPTIONS_VERSION, 1, 2, 10.0, 10, NULL, NULL, NULL                                             \
    }
/* Fills *opts with the defaults above; ENT_EINVAL when `version` differs (the caller's headers). */
ent_err_t ent_report_blocs_options_init(ent_report_blocs_options_t *opts, unsigned version);

/*
 * The blocs of the alliance system on `date` (`entente blocs`): the signed network
 * (ent_blocs_network, default weights), its signed communities with members and capability, the
 * frustration index with its two camps, the most central states and clustering, and every
 * state's community, camp and centralities. `origin` may be NULL. ENT_ERANGE as
 * ent_blocs_network; ENT_EINTERRUPTED. Calls igraph (see igraph_section). Time: restarts x
 * spinglass (about a second each on 2024) plus the solver (at most the time limit).
 */
ent_err_t ent_report_blocs(char **out, const ent_world_t *w, ent_date_t date, const char *origin,
                           const ent_report_blocs_options_t *opts);
/*
 * The scorecards of a backtest: res[0..n) are the predictors' results on one table with the
 * options `opt` they ran with (ent_backtest_run); the split's years and counts, the bootstrap,
 * and per predictor its penalty path and coefficients (penalised models), the dyad and state
 * scorecards with 90% intervals, the reliability bins and the scores by outcome year. Every
 * member but each predictor's "seconds" is deterministic. ENT_EINVAL when n is 0. O(n (bins + years)).
 */
ent_err_t ent_report_backtest(char **out, ent_backtest_t *const *res, size_t n, const ent_backtest_options_t *opt);

/* ---------------------------------------------------------------- landscape (src/report/landscape.c) */

/* What the landscape report says about where the landscape came from, and how much it lists. */
typedef struct {
    unsigned version;
    size_t minima;                 /* local minima listed, lowest energy first (default 50) */
    const char *actors_file;       /* read from files (ent_landscape_read): their names; NULL for a world */
    const char *propensities_file; /* the propensities' file */
    const char *world;             /* built from a world (ent_landscape_from_world): where it came from */
    ent_date_t date;               /* and its date (ENT_DATE_NONE: null) */
} ent_report_landscape_options_t;

#define ENT_REPORT_LANDSCAPE_OPTIONS_VERSION 1
#define ENT_REPORT_LANDSCAPE_OPTIONS_INIT                                                                              \
    {                                                                                                                  \
        ENT_REPORT_LANDSCAPE_OPTIONS_VERSION, 50, NULL, NULL, NULL, ENT_DATE_NONE                                      \
    }
/* Fills *opts with the defaults above; ENT_EINVAL when `version` differs (the caller's headers). */
ent_err_t ent_report_landscape_options_init(ent_report_landscape_options_t *opts, unsigned version);

/*
 * A solved landscape (`entente landscape --json`): the actors and sizes, the solver's method,
 * bound, gap, time and counts, the global minimum (energy, partition actor -> side, the two
 * sides, its basin when it is among the kept minima) and the first `minima` local minima of `r`
 * (ent_landscape_solve on `l`); with `terms` (ent_landscape_from_world's, may be NULL) every
 * propensity with its parts. `opts` may be NULL (a landscape from a world of unknown date).
 * ENT_EINVAL when `r` is not of `l` (another actor count). O(minima x actors + terms).
 */
ent_err_t ent_report_landscape(char **out, const ent_landscape_t *l, const ent_landscape_result_t *r,
                               const ent_vec_t *terms, const ent_report_landscape_options_t *opts);

/* The text `entente landscape` prints for the same result: the question, the solver, the global
 * minimum's sides, the indifferent actors, each listed minimum with its basin. Errors as above. */
ent_err_t ent_report_landscape_text(char **out, const ent_landscape_t *l, const ent_landscape_result_t *r,
                                    const ent_report_landscape_options_t *opts);

/* ---------------------------------------------------------------- the pact model's fit (src/report/fit.c) */

/*
 * The fit of the pact model (`entente fit --json`): per parameter its name, estimate, standard
 * error (the square root of the covariance's diagonal: null without one) and z; the grid of
 * (lambda, threat_ref) with each point's validation log likelihood and the one chosen; the chosen
 * settings; the fit's log likelihood and counts; the validation log likelihood; the time. `m` is
 * the fitted model and `rep` its report (ent_pactmodel_fit_history). ENT_EINVAL for a report whose
 * chosen point is outside its grid. O(parameters + grid).
 */
ent_err_t ent_report_fit(char **out, const ent_pactmodel_t *m, const ent_pmfit_report_t *rep);

/* The text `entente fit` prints for the same fit; `opt` (the options it ran with; NULL: the
 * defaults) names the fit and validation years. Errors as above, and ENT_EINVAL for options of
 * another version. */
ent_err_t ent_report_fit_text(char **out, const ent_pactmodel_t *m, const ent_pmfit_report_t *rep,
                              const ent_pmfit_options_t *opt);

/* How the free-running forecast runs (`entente fit --simulate-from`). */
typedef struct {
    unsigned version;
    size_t runs;                   /* simulated futures (default 200) */
    uint64_t seed;                 /* future k uses random stream (seed, k) (default 1) */
    bool draw;                     /* each future draws its parameters from the fit (default true; false: estimates) */
    int threads;                   /* OpenMP threads (0: the runtime's default); the result does not depend on it */
    volatile sig_atomic_t *cancel; /* ENT_EINTERRUPTED when it becomes non-zero */
    /*
     * The recalibration already applied to the model (ent_pm_recal_apply), stated in the report: its
     * window and each intercept's shift with its standard errors. NULL (default): none.
     */
    const ent_pm_recal_t *recal;
} ent_report_freerun_options_t;

#define ENT_REPORT_FREERUN_OPTIONS_VERSION 2
#define ENT_REPORT_FREERUN_OPTIONS_INIT                                                                                \
    {                                                                                                                  \
        ENT_REPORT_FREERUN_OPTIONS_VERSION, 200, 1, true, 0, NULL, NULL                                                \
    }
/* Fills *opts with the defaults above; ENT_EINVAL when `version` differs (the caller's headers). */
ent_err_t ent_report_freerun_options_init(ent_report_freerun_options_t *opts, unsigned version);

/*
 * The free-running forecast of model `m` from the historical system of `from` to `to`
 * (ent_pactmodel_freerun), scored against history `h`: the pairs not tied in `from` whose states
 * are both in the system in `to`, each with the share of futures in which it forms a defence tie
 * by `to` and whether it did (in some year from+1..to). When `h` ends before `to` (a horizon past
 * the data) nothing is scored: the pairs are every untied pair of `from` and the scores are null.
 * Writes any of (NULL: not wanted): *json (entente.freerun/1: `scored`, `from`, `to`, `runs`,
 * `parameter_draws`, `pairs`, `events`, `expected`, `auc`, `ap`, `brier`, `log` (forecasts shrunk
 * by half a run so that it stays finite), `climatology_log`, `climatology_brier`, and with
 * opts->recal `recalibration`: {`window` [from, to] (outcome years), `formation` and `termination`:
 * {`delta`, `se`, `se_model`, `decisions`, `events`} (delta null when not estimated), `loglik_fit`,
 * `loglik`}), *text (what
 * `entente fit --simulate-from` prints) and *csv (`ccode1,ccode2,p,observed`, observed empty when
 * unscored). ENT_EINVAL when `h` has no system of `from`, `to` <= `from` or runs is 0; errors of
 * ent_pactmodel_freerun. O(runs x years x n^3).
 */
ent_err_t ent_report_freerun(char **json, char **text, char **csv, const ent_pactmodel_t *m, const ent_pmhistory_t *h,
                             int from, int to, const ent_report_freerun_options_t *opts);

/*
 * The same scores for any free-running forecast: p [pn*pn] over states with COW codes pcode[pn] (a
 * model's own order: ent_model_freerun's, or the year's system for the pact model), each pair's
 * P[a defence tie not in force in `from` by `to`]. The pairs scored are ent_report_freerun's: those
 * of history `h`'s system of `from`, not tied then, both states in the system in `to`; a pair the
 * forecast lacks (a state it does not hold, a NaN) is left out and counted in `pairs_unforecast`.
 * `headline` is the first line of *text. Outputs, the JSON schema (without `parameter_draws`) and
 * errors as ent_report_freerun's; the caller frees them with ent_free. O(pn^2 + years x n^2).
 */
ent_err_t ent_report_freerun_scores(char **json, char **text, char **csv, const double *p, const int32_t *pcode,
                                    size_t pn, const ent_pmhistory_t *h, int from, int to, size_t runs,
                                    const char *headline);

/* ---------------------------------------------------------------- simulate and forecast (src/report/forecast.c) */

/* One scenario's ensemble as the simulate and forecast reports read it (all borrowed). */
typedef struct {
    const ent_scenario_t *scenario;
    const ent_model_t *model;       /* ent_model_new(world, scenario) */
    const ent_ensemble_t *ensemble; /* its runs (possibly fewer than scenario->runs: an interrupted run) */
    const char *file;               /* the scenario file, copied into the simulate report; may be NULL */
} ent_report_run_t;

/*
 * One scenario's results (`entente simulate --json`): per pole its base-year pact count and
 * P[at least `k_pacts` pacts], P[more pacts than in the base year] and P[an alliance builder] by
 * the report year with 95% Wilson intervals; every series' mean and 5/50/95% quantiles by year;
 * every state's alignment probabilities in the report year and its P[a pact with each pole] by
 * then. `w` is the world the model was built on. ENT_EINVAL for a run without its scenario,
 * model or ensemble. O(series x years x runs + states x poles).
 */
ent_err_t ent_report_simulate(char **out, const ent_world_t *w, const ent_report_run_t *run, int k_pacts);

/*
 * The two tables `entente simulate --out` writes, as CSV text: *series (scenario, series, year,
 * mean, q05, q50, q95; %.6g) and *states (per year and state: p_hedge, p_align_P, p_finland_P,
 * p_pact_P_by for each pole P by code; %.4f). Both freed with ent_free(); NULL on an error.
 */
ent_err_t ent_report_simulate_csv(char **series, char **states, const ent_world_t *w, const ent_report_run_t *run);

/*
 * The text `entente simulate` prints for one scenario: per pole the headline with its interval,
 * the definitions, the series' median and 5-95% band at four years, the states most likely to
 * form new pacts with each pole and to be Finlandized toward it. Lines of at most 100 columns.
 */
ent_err_t ent_report_simulate_text(char **out, const ent_world_t *w, const ent_report_run_t *run, int k_pacts);

/*
 * The forecast over scenarios runs[0..n) run with common random numbers (`entente forecast
 * --json`): per scenario China's headline (identified by its code, wherever it stands among the
 * poles; a scenario without China gets a note) -- P[a new pact], P[at least k_pacts pacts] by the
 * report year and ten years later, P[a China-Russia pact] (null when Russia is a pole or absent),
 * P[an alliance builder] and its median year -- and per pole (by code) P[a new pact] and P[an
 * alliance builder]; against the scenario named "baseline", when there is one, the paired
 * effects (ent_ensemble_diff_pacts_poles, poles matched by code) with 95% intervals.
 * `scenario_dir` (may be NULL) is copied into the report. ENT_EINVAL when n is 0 or a run lacks
 * its parts.
 */
ent_err_t ent_report_forecast(char **out, const ent_world_t *w, const ent_report_run_t *runs, size_t n,
                              const char *scenario_dir, int k_pacts);

/*
 * The text `entente forecast` prints: the preamble (what the numbers rest on, the terms), the
 * headline table, the paired effects against the baseline for China and per pole, and the
 * baseline in detail (as ent_report_simulate_text). Same arguments and errors as ent_report_forecast.
 */
ent_err_t ent_report_forecast_text(char **out, const ent_world_t *w, const ent_report_run_t *runs, size_t n,
                                   const char *scenario_dir, int k_pacts);

ENT_END_DECLS
#endif
