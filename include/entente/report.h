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

#include "backtest.h"
#include "common.h"
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
#define ENT_REPORT_BACKTEST_SCHEMA "entente.backtest/1"

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
 * An ensemble's results: the poles' headline probabilities, every series' mean and 5/50/95%
 * quantiles by year (the fan charts), every state's alignment probabilities in the report year
 * and its pact probabilities by then, each with its 95% Wilson interval. With a baseline
 * (base_s, base_m, base: all three or none; same states, poles and years, ENT_EINVAL otherwise)
 * also the effect against it: per state the difference of each alignment probability with
 * Newcombe's interval, per pole the paired difference of P[more pacts than in the base year].
 * The numbers are those `entente simulate --json` prints for the same scenario and seed.
 */
ent_err_t ent_report_ensemble(char **out, const ent_world_t *w, const ent_scenario_t *s, const ent_model_t *m,
                              const ent_ensemble_t *e, const ent_scenario_t *base_s, const ent_model_t *base_m,
                              const ent_ensemble_t *base);

/*
 * The scorecards of a backtest: res[0..n) are the predictors' results on one table with the
 * options `opt` they ran with (ent_backtest_run); the split's years and counts, the bootstrap,
 * and per predictor its penalty path and coefficients (penalised models), the dyad and state
 * scorecards with 90% intervals, the reliability bins and the scores by outcome year. Every
 * member but each predictor's "seconds" is deterministic. ENT_EINVAL when n is 0. O(n (bins + years)).
 */
ent_err_t ent_report_backtest(char **out, ent_backtest_t *const *res, size_t n, const ent_backtest_options_t *opt);

ENT_END_DECLS
#endif
