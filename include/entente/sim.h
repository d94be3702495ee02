/*
 * sim.h -- scenarios, the alignment model of the essay's dynamics, and the
 * Monte Carlo ensemble that turns it into probabilities.
 *
 * A scenario (a YAML file, see docs/models/alignment.md and scenarios/) sets
 * the poles, the horizon, the model's parameters, each pole's levers and
 * dated shocks. One run steps the shipped world forward a year at a time; an
 * ensemble runs N of them, run k seeded from (seed, k), and aggregates as it
 * goes, in integers, so the same seed gives byte-identical output on any
 * number of threads.
 */
#ifndef ENTENTE_SIM_H
#define ENTENTE_SIM_H

#include <signal.h>
#include <stdbool.h>

#include "common.h"
#include "pactmodel.h"
#include "util.h"
#include "world.h"

ENT_BEGIN_DECLS

/* Poles a scenario can name (a pole's pacts are a bit of a byte in the run trace). */
#define ENT_SIM_MAX_POLES 8
#define ENT_SIM_MAX_SHOCKS 64
#define ENT_SIM_MAX_OVERRIDES 64

/* A pole's levers, each in [0, 1] (see docs/models/alignment.md). */
typedef struct {
    double tightening;  /* deepening existing alliances: more deterrence, more threat felt by the rival (spiral) */
    double engagement;  /* breadth: courting non-democracies as well as democracies */
    double inducements; /* loans, investment, trade offered to states that align */
    double coercion;    /* economic punishment of states that align with the rival */
    double wedge;       /* offers to the rival's allies */
} ent_levers_t;

typedef enum {
    ENT_SHOCK_CRISIS = 1,    /* hostility between a and b rises by `magnitude` for `duration` years */
    ENT_SHOCK_WAR = 2,       /* as a crisis at full hostility, and a's and b's neighbours feel it */
    ENT_SHOCK_SANCTIONS = 3, /* a coerces b: b's economic benefit from a falls by `magnitude` */
    ENT_SHOCK_PACT = 4,      /* a and b sign a defence pact in that year */
    ENT_SHOCK_GROWTH = 5     /* a's capability share changes by the factor (1 + magnitude) */
} ent_shock_kind_t;

typedef struct {
    int year;
    int duration; /* years; >= 1 */
    ent_shock_kind_t kind;
    int32_t a, b; /* COW codes; b is 0 for GROWTH */
    double magnitude;
} ent_shock_t;

typedef struct {
    int32_t ccode;
    double value;
} ent_state_value_t;

/*
 * Every number of a scenario. Fields marked [p] are per pole, in the order of
 * `poles`. The ranges and the reasons for each default are in the parameter
 * table (ent_sim_params) and docs/models/alignment.md.
 */
typedef struct {
    unsigned version;
    char name[64];
    char description[512];
    int start_year; /* the shipped world's base year */
    int years;      /* horizon in years */
    int64_t runs;
    uint64_t seed;
    int32_t poles[ENT_SIM_MAX_POLES]; /* COW codes, default USA (2) and CHN (710); ascending once loaded */
    int npoles;                       /* 2 .. ENT_SIM_MAX_POLES; per-pole fields [p] use the first npoles */
    int report_year;                  /* headline probabilities are "by this year" */

    /* capability */
    double growth[ENT_SIM_MAX_POLES]; /* [p] annual drift of a pole's capability share (log) */
    double growth_other;              /* annual drift for every other state */
    double growth_sd;                 /* sd of yearly log-growth shocks */
    ent_state_value_t growth_override[ENT_SIM_MAX_OVERRIDES];
    size_t ngrowth_override;

    /* threat */
    double distance_scale_km; /* proximity f(d) = exp(-d / scale) */
    double presence_weight;   /* forward presence: weight of a state's bases and allied territory in its reach (0 =
                                 capitals only) */
    double threat_reference;  /* T_ref: the threat index is log(1 + T / T_ref), the same reference for every pole */
    double encirclement;      /* weight of the rival bloc's capability near a pole */
    double spiral;            /* how much a rival's tightening adds to the threat a pole feels */

    /* the alliance-aversion norm and its erosion */
    double norm0[ENT_SIM_MAX_POLES];    /* [p] initial norm nu_p(0) */
    double ambition[ENT_SIM_MAX_POLES]; /* [p] A_p: bid to displace the predominant power */
    double
        threat_tolerance[ENT_SIM_MAX_POLES]; /* [p] rise of the threat index over its base value the norm tolerates */
    double kappa_threat, kappa_ambition, kappa_restore;
    int builder_pacts; /* a pole that has formed this many new defence pacts is an "alliance builder" */

    /* a pole's pact decisions: the fitted pact model (ent_model_pactmodel) with a pole's norm, ambition
     * and tightening as offsets of its utility toward every partner, on the logit scale (priors) */
    double norm_weight;       /* offset W log(1 - nu): the odds of consent times (1 - nu)^W; nu = 1 bars */
    double ambition_weight;   /* offset W_A x ambition */
    double tightening_weight; /* offset W_T x tightening */
    double pact_inertia;      /* a state's extra utility for aligning with a pole it has a pact with (x2) */

    /* a state's alignment choice */
    double beta_security, beta_economy, beta_foreign, beta_regime, beta_coercion, beta_entrapment, beta_autonomy;
    double switching_cost;
    double temperature;         /* logit scale: higher = noisier choices */
    double finland_distance_km; /* Finlandization needs the threatening pole within this distance */

    /* parameter uncertainty: each run draws the prior parameters (ent_sim_priors) around the values
     * above; 0 = every run uses them as they are, 1 = the documented prior spread */
    double prior_spread;
    /* 1: each run's draw of the poles' norms (norm0, norm_weight) is conditioned on each pole's record
     * of forming pacts (ent_model_draw_params); 0: the unconditioned prior */
    int record;

    /* ties */
    double tier_drift; /* partnership tiers per year toward the alignment */

    ent_levers_t levers[ENT_SIM_MAX_POLES];
    ent_shock_t shocks[ENT_SIM_MAX_SHOCKS];
    size_t nshocks;
} ent_scenario_t;

#define ENT_SCENARIO_VERSION 1

/* The documented defaults (see the parameter table). */
void ent_scenario_defaults(ent_scenario_t *s);

/*
 * Reads a YAML scenario file over the defaults. Unknown keys, values of the
 * wrong type or out of range, unknown state codes are ENT_EPARSE/ENT_ERANGE
 * naming file:line:column and the key. `w` resolves state codes; it may be
 * NULL, then codes must be numeric COW codes.
 */
ent_err_t ent_scenario_load(ent_scenario_t *s, const char *path, const ent_world_t *w);
/*
 * The directory of the shipped scenarios, found like ent_world_default_dir(): $ENTENTE_SCENARIOS,
 * else share/entente/scenarios of the installed prefix, else the checkout's scenarios/. Borrowed.
 */
const char *ent_scenario_default_dir(void);
/*
 * Puts the poles in canonical order, lower COW code first, swapping every per-pole field
 * with them. The random streams are drawn pole by pole, so without this a file listing
 * `poles: [CHN, USA]` would give different runs than `[USA, CHN]`; the loaders call it,
 * so results depend on the scenario's content, never on the order it lists the poles in.
 */
void ent_scenario_order_poles(ent_scenario_t *s);
ent_err_t ent_scenario_parse(ent_scenario_t *s, const char *name, const char *text, size_t len, const ent_world_t *w);

/* One row of the parameter table: a scalar scenario field, its range and its reason. */
typedef struct {
    const char *key; /* YAML key under `parameters:` (or the top level for start_year...) */
    size_t offset;   /* offsetof(ent_scenario_t, field) */
    bool per_pole;   /* a map pole -> value */
    char type;       /* 'd' double, 'i' int, 'l' int64_t, 'u' uint64_t */
    double def, min, max;
    const char *why; /* one line: the reason for the default */
} ent_sim_param_t;

/* The table, terminated by a row with key NULL. */
const ent_sim_param_t *ent_sim_params(void);

/*
 * A response parameter history cannot identify (how fast threat and ambition erode a norm, the
 * norm itself, the alignment choice's temperature...): each run draws it from a prior around the
 * scenario's value, so a forecast's intervals carry this uncertainty. Forms: 'l' lognormal with
 * median the value (0 stays 0), 'g' logit-normal (0 and 1 stay put). sd is on the log or logit
 * scale, times the scenario's prior_spread; a draw is clamped to the parameter's range.
 */
typedef struct {
    const char *key; /* a key of ent_sim_params */
    char form;       /* 'l' or 'g' */
    double sd;
    const char *why; /* the evidence for the spread: the historical analogies */
} ent_sim_prior_t;

/* The prior table, terminated by a row with key NULL. */
const ent_sim_prior_t *ent_sim_priors(void);

/* Draws run `run`'s prior parameters into *s (in place) from stream (seed, run) of a generator
 * kept apart from the run's own, so the draws do not shift the run's random numbers. */
void ent_scenario_draw_priors(ent_scenario_t *s, uint64_t seed, uint64_t run);
/* Redraws only the norm-related priors (every pole's norm0, and norm_weight) into *s around the
 * values of `centre`, from `rng` (the record's proposals, ent_model_draw_params). */
void ent_scenario_redraw_norms(ent_scenario_t *s, const ent_scenario_t *centre, ent_rng_t *rng);

/*
 * The world the simulation reads, as of `year`, built from store `st` (docs/models/alignment.md,
 * "From a historical world"): every state of the store with its spells (the model keeps those in
 * the system on 31 December of `year`), the CINC of every year, the ATOP pacts with their dates
 * (the ties in force, when each began, lapsed ties, lesser obligations and multilateral treaties are
 * derived from them as from the shipped world's), joint exercises, and for `year`: V-Dem polyarchy
 * (imputed from UDS where V-Dem has none, as the pact model's history does), the UN ideal point
 * (the year's, else of the two years before), COW capital distances (ent_world_distance), COW
 * contiguity (the last year of the data carried forward), hostility as the pact model was fitted on
 * it (1 a strategic rivalry in force, 0.5 an ongoing MID; MIDs end in 2014), and each state's share
 * of its total trade with the US and with China (COW trade of the latest year <= `year`; unknown
 * when the store has none). Missing, as in a shipped world without them: partnership tiers, basing
 * and deployments, organisations, events, GDP, military spending, Chinese official finance, UN
 * agreement shares and vote counts, dormant flags (every ATOP pact counts as active).
 * `h` (may be NULL) is a pact-model history covering `year` to reuse (ent_pmhistory_build); NULL
 * builds one for the year. The caller frees the world with ent_world_free. ENT_ERANGE for a year
 * outside the store's ATOP alliance years (or before 1817), ENT_ENOTFOUND for a store without
 * states or ATOP dyad-years, ENT_EINVAL for an `h` without `year`; the store's errors.
 * O(states^2 + ties + the rows of the tables read); a second or two on a full store, plus the
 * history when `h` is NULL.
 */
ent_err_t ent_world_load_history(ent_world_t **out, ent_store_t *st, int year, const ent_pmhistory_t *h);
/* The years ent_world_load_history can build a world of from store `st`, [*first, *last]: those of
 * its ATOP dyad-years (the pacts in force are what a run starts from), from 1817 on (a tie's start
 * needs the year before). When `year` is not 0: ENT_ERANGE, naming the store and its years, for a
 * year outside them. ENT_ENOTFOUND when the store has no ATOP dyad-years; the store's errors. One
 * query. */
ent_err_t ent_world_history_years(int *first, int *last, ent_store_t *st, int year);

/* ------------------------------------------------------------ one run */

/*
 * Alignment of a state, a code in 0 .. ENT_ALIGN_CODES(K) - 1 for a model of K poles: 0 hedging,
 * 1 + p aligned with pole p, 1 + K + p Finlandized toward pole p, 1 + 2K the state is itself a
 * pole. The enum names the codes of a two-pole model (the default); with K poles use the macros.
 */
typedef enum {
    ENT_ALIGN_HEDGE = 0,
    ENT_ALIGN_POLE0 = 1, /* aligned with poles[0] */
    ENT_ALIGN_POLE1 = 2,
    ENT_ALIGN_FINLAND0 = 3, /* Finlandized toward poles[0] (two poles) */
    ENT_ALIGN_FINLAND1 = 4,
    ENT_ALIGN_POLE = 5 /* the state is itself a pole (two poles) */
} ent_align_t;
#define ENT_ALIGN_WITH(p) (1 + (p))
#define ENT_ALIGN_FINLANDIZED(npoles, p) (1 + (npoles) + (p))
#define ENT_ALIGN_SELF(npoles) (1 + 2 * (npoles))
#define ENT_ALIGN_CODES(npoles) (2 + 2 * (npoles))

/* The compiled model: the shipped world's arrays, ready to step. Opaque; one per ensemble, shared read-only. */
typedef struct ent_model ent_model_t;

/* Builds the model of world `w` under scenario `s` (copied, its poles put in canonical order with
 * ent_scenario_order_poles, so a scenario listing [CHN, USA] builds the same model as [USA, CHN]).
 * ENT_EINVAL when a pole is not in the world. */
ent_err_t ent_model_new(ent_model_t **out, const ent_world_t *w, const ent_scenario_t *s);
void ent_model_free(ent_model_t *m);
size_t ent_model_nstates(const ent_model_t *m);
/* The world index of the model's state i (the model keeps every state of the world alive in the base year). */
int64_t ent_model_state(const ent_model_t *m, size_t i);
/* The number of poles K of the model (the scenario's list, 2 .. ENT_SIM_MAX_POLES). */
int ent_model_npoles(const ent_model_t *m);
/* The model's index of pole p (0 .. K - 1, ascending COW codes). */
size_t ent_model_pole_state(const ent_model_t *m, int pole);
/* Initial alignment of state i (as derived from the shipped world). */
ent_align_t ent_model_initial_alignment(const ent_model_t *m, size_t i);
/*
 * The reach of state j's power at state i in the base year, in [0, 1]: proximity exp(-d/scale)
 * from j's capital, or from where j is present -- its bases and deployments abroad (security
 * ties of subtype basing, weighted by intensity) and, for a state that projects power (a pole, or
 * a state with a base abroad), its allies' territory -- whichever is nearest, times presence_weight.
 */
double ent_model_reach(const ent_model_t *m, size_t j, size_t i);
/*
 * The Finlandization test of state i toward pole p on the base-year state: p within
 * finland_distance_km, threatening i, and the other pole's bloc less present at i than p
 * (bloc capability times reach, so US forces in Japan count near Japan).
 */
bool ent_model_finland_allowed(const ent_model_t *m, size_t i, int pole);
/* The threat pole p feels in the base year, T_p(0), and its index log(1 + T / threat_reference). */
double ent_model_threat0(const ent_model_t *m, int pole, double *index);

/* The fitted pact model the simulation uses (ent_pactmodel_default_path(), loaded by ent_model_new). Borrowed. */
const ent_pactmodel_t *ent_model_pactmodel(const ent_model_t *m);
/*
 * The pact model's base-year system as the simulation builds it from the world (a view over the
 * model's arrays: borrowed, read-only, offsets NULL): capability shares, UN ideal points, polyarchy,
 * COW's major powers and the poles, capital distances, contiguity (data/contiguity.csv),
 * hostility, every defence tie in force that is not dormant, the basing rows as presence, when
 * each tie began, the multilateral treaties, the last year of each lapsed tie and the lesser
 * obligations in force. For audits and tests.
 */
void ent_model_pact_system(const ent_model_t *m, ent_sysyear_t *sys);
/*
 * What the simulation computes on that base-year system with parameters theta [ENT_PM_NPARAMS] and
 * per-state offsets (NULL: 0): the directed utilities u [n*n], P(the tie ends) p_end [n*n] (0 where
 * no tie) and P(k joins treaty t) p_join [ntreaties*n]; each may be NULL. The simulation computes
 * them sparsely, in O(n^2); they equal ent_pactmodel_utility() / ent_pactmodel_probs() on
 * ent_model_pact_system() (tested). ENT_ENOMEM.
 */
ent_err_t ent_model_pact_probs(const ent_model_t *m, const double *theta, const double *offset, double *u,
                               double *p_end, double *p_join);

/*
 * Writes the model's inputs -- every array a run starts from -- as CSV files into `dir`
 * (created if needed): states.csv (per state: code, capability share, democracy, trade with
 * each pole, partnership with each pole, pacts with each pole, initial
 * alignment, growth), prox.csv and hostility.csv (n x n), pairs.csv (the non-pole defence
 * pacts in force in the base year) and params.csv (every scalar of the scenario). The pact
 * model's base-year system is not written: ent_model_pact_system() gives it. ENT_EIO on write
 * errors.
 */
ent_err_t ent_model_export(const ent_model_t *m, const ent_world_t *w, const char *dir);

/* What one run records each year (index 0 = the base year, then one per step). */
typedef struct {
    int npacts[ENT_SIM_MAX_POLES];        /* defence pacts held by each pole, a pact with another pole included */
    double bloc_share[ENT_SIM_MAX_POLES]; /* capability share of the pole and the states aligned with it */
    double bipolarity;                    /* bloc_share[0] + bloc_share[1] */
    double polarization;                  /* Esteban-Ray index on the bloc shares (alpha = 1.6), 0..1 scale */
    int hedgers, finlandized[ENT_SIM_MAX_POLES];
    double norm[ENT_SIM_MAX_POLES];
    double threat[ENT_SIM_MAX_POLES]; /* threat felt by each pole, relative to the base year */
    int frustration;                  /* unbalanced ties of the signed network (pacts +, rivalries -), heuristic */
} ent_run_year_t;

/* A run's full trajectory, for `simulate --trace` and tests. Caller-allocated with ent_run_trace_init. */
typedef struct {
    int years; /* steps recorded: scenario years + 1 */
    size_t nstates;
    ent_run_year_t *series; /* [years] */
    unsigned char *align;   /* [years][nstates] ent_align_t */
    unsigned char
        *pact; /* [years][nstates] bitmask: bit p = defence pact with pole p (for a pole: with another pole) */
    int builder_year[ENT_SIM_MAX_POLES]; /* year the pole formed its builder_pacts-th new pact (a pact with another
                                            pole counts for both); 0 = never */
    int record_tries;                    /* proposals of the norm draws until one was accepted; 0: not conditioned */
    int record_pass[ENT_SIM_MAX_POLES];  /* of them, those each pole's own ratio accepted */
    double norm_weight;                  /* the run's norm_weight */
} ent_run_trace_t;

ent_err_t ent_run_trace_init(ent_run_trace_t *t, const ent_model_t *m);
void ent_run_trace_destroy(ent_run_trace_t *t);

/*
 * The response parameters of run `run`: the scenario's, the unidentified ones drawn from their
 * priors (ent_scenario_draw_priors) and, when the scenario has `record` on and a prior spread, the
 * norm draws conditioned on each pole's record (docs/models/alignment.md, "What is prior"): a
 * proposal (the prior draw, then redraws of every pole's norm0 and norm_weight from the stream of
 * (seed, run) of their own) is accepted with probability prod_p L_p(o_p) / max L_p, o_p =
 * norm_weight log(1 - norm0_p) the pole's offset in the record's years (no ambition, no tightening),
 * L_p its record's likelihood (ent_pmrecord_loglik) and the max over o <= 0: exact rejection
 * sampling from the prior times the likelihood. A pole is conditioned when the record has it and
 * its norm0 is strictly inside (0, 1) (a norm at 0 or 1 is not drawn). tries (may be NULL): the
 * proposals drawn; pass[K] (may be NULL): for each pole, the proposals its own ratio would have
 * accepted with the same uniform (its acceptance rate alone). ENT_ERANGE when ENT_SIM_RECORD_TRIES
 * proposals are all rejected (the message names the poles). Deterministic in (seed, run).
 */
#define ENT_SIM_RECORD_TRIES 10000
ent_err_t ent_model_draw_params(ent_scenario_t *out, const ent_model_t *m, uint64_t seed, uint64_t run, int *tries,
                                int *pass);
/* Whether pole p's norm draws are conditioned on its record, and the record's maximum log likelihood
 * over o <= 0 and where it is (NULL-safe outputs). */
bool ent_model_record(const ent_model_t *m, int pole, double *max_loglik, double *argmax);

/* Runs the model once with random stream (seed, run). Thread-safe on a shared model. */
ent_err_t ent_model_run(ent_run_trace_t *t, const ent_model_t *m, uint64_t seed, uint64_t run);

/* ------------------------------------------------------------ the ensemble */

typedef struct {
    unsigned version;
    int threads;                                              /* 0 = OpenMP's default */
    volatile sig_atomic_t *cancel;                            /* stop early (ENT_EINTERRUPTED, with what completed) */
    void (*progress)(void *ctx, int64_t done, int64_t total); /* called from one thread; may be NULL */
    void *ctx;
} ent_ensemble_options_t;

#define ENT_ENSEMBLE_OPTIONS_VERSION 1
#define ENT_ENSEMBLE_OPTIONS_INIT                                                                                      \
    {                                                                                                                  \
        ENT_ENSEMBLE_OPTIONS_VERSION, 0, NULL, NULL, NULL                                                              \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_ENSEMBLE_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_ensemble_options_init(ent_ensemble_options_t *opts, unsigned version);

/* Streaming aggregates of an ensemble (opaque; integer counts inside). */
typedef struct ent_ensemble ent_ensemble_t;

/*
 * Runs runs [first, first + count) of the scenario and aggregates them.
 * Returns ENT_EINTERRUPTED (with the runs completed so far aggregated) when
 * cancelled. Free with ent_ensemble_free.
 */
ent_err_t ent_ensemble_run(ent_ensemble_t **out, const ent_model_t *m, int64_t first, int64_t count,
                           const ent_ensemble_options_t *opts);
/*
 * The free-running forecast of the alignment model, per pair: p_new[i*n+j] (n = ent_model_nstates,
 * model indices) the share of runs 0 .. runs-1 in which a defence tie between i and j, not in force
 * in the base year, is in force at the end of some year start_year+1 .. `to`; NaN for the pairs tied
 * in the base year and the diagonal. Run k is the ensemble's run k (stream (seed, k), the scenario's
 * seed), so the result does not depend on opts->threads. The scores against history are
 * ent_report_freerun_scores'. ENT_EINVAL for runs < 1 or `to` outside the scenario's years,
 * ENT_EINTERRUPTED when cancelled (nothing written), ENT_ENOMEM. O(runs x years x n^2).
 */
ent_err_t ent_model_freerun(double *p_new, const ent_model_t *m, int to, int64_t runs,
                            const ent_ensemble_options_t *opts);
/*
 * ent_ensemble_run(out, m, 0, runs, opts) and ent_model_freerun(p_new, m, to, runs, opts) from the
 * same runs, each simulated once: both results equal those of the two calls (what a forecast from a
 * historical world reports and scores). ENT_EINTERRUPTED when cancelled: *out holds the runs
 * completed, p_new is not written. Errors as the two functions'.
 */
ent_err_t ent_ensemble_run_freerun(ent_ensemble_t **out, double *p_new, const ent_model_t *m, int to, int64_t runs,
                                   const ent_ensemble_options_t *opts);

/* Adds b's counts into a (same model shape): how MPI ranks reduce. */
ent_err_t ent_ensemble_merge(ent_ensemble_t *a, const ent_ensemble_t *b);
void ent_ensemble_free(ent_ensemble_t *e);

int64_t ent_ensemble_runs(const ent_ensemble_t *e);
/* The record's rejection step over the runs: the proposals of the norm draws (0 when no pole was
 * conditioned; runs / proposals is the acceptance rate) and, into pass[K] (may be NULL), those each
 * pole's own ratio accepted (ent_model_draw_params). */
int64_t ent_ensemble_record(const ent_ensemble_t *e, int64_t *pass);

/*
 * Serialises an ensemble's aggregates into a byte buffer (*buf, *len; free with
 * ent_free) and back, for sending between processes (MPI ranks). unpack checks the
 * shape against model m: ENT_EPARSE for a buffer that is not an ensemble of it.
 */
ent_err_t ent_ensemble_pack(void **buf, size_t *len, const ent_ensemble_t *e);
ent_err_t ent_ensemble_unpack(ent_ensemble_t **out, const ent_model_t *m, const void *buf, size_t len);

/* A probability with its Wilson score interval at 95%. */
typedef struct {
    double p, lo, hi;
    int64_t hits, n;
} ent_prob_t;

ent_prob_t ent_prob_wilson(int64_t hits, int64_t n);

/* P[pole p holds at least k defence pacts at some time by `year`]. */
ent_prob_t ent_ensemble_p_pacts(const ent_ensemble_t *e, int pole, int k, int year);
/* P[state i has a defence pact with pole p at some time by `year`]. State i may be another pole:
 * a pact between two poles is in both poles' counts and in each one's record of the other. */
ent_prob_t ent_ensemble_p_pact_with(const ent_ensemble_t *e, size_t i, int pole, int year);
/* P[poles p and q have a defence pact with each other at some time by `year`]: the pole-pair record,
 * symmetric in p and q (0 runs of n when p == q or either is out of range). */
ent_prob_t ent_ensemble_p_pole_pact(const ent_ensemble_t *e, int p, int q, int year);
/* P[state i is in alignment a in `year`]. */
ent_prob_t ent_ensemble_p_align(const ent_ensemble_t *e, size_t i, ent_align_t a, int year);
/* P[pole p has formed at least builder_pacts new defence pacts by `year`] (an "alliance builder", defined by
 * behaviour), and the median year it became one (0 if under 50% of runs did). */
ent_prob_t ent_ensemble_p_builder(const ent_ensemble_t *e, int pole, int year);
int ent_ensemble_median_cross_year(const ent_ensemble_t *e, int pole);

/* Series that can be summarised by quantiles. */
typedef enum {
    ENT_SERIES_PACTS0,
    ENT_SERIES_PACTS1,
    ENT_SERIES_BLOC0,
    ENT_SERIES_BLOC1,
    ENT_SERIES_BIPOLARITY,
    ENT_SERIES_POLARIZATION,
    ENT_SERIES_HEDGERS,
    ENT_SERIES_FINLAND0,
    ENT_SERIES_FINLAND1,
    ENT_SERIES_NORM0,
    ENT_SERIES_NORM1,
    ENT_SERIES_FRUSTRATION,
    ENT_SERIES_N
} ent_series_t;

/*
 * A model of K poles has ent_model_nseries() = ENT_SERIES_N + 4 (K - 2) series: the enum's twelve,
 * whose per-pole members are poles 0 and 1, then for each further pole p >= 2 its pacts, bloc share,
 * Finlandized states and norm. ent_series_for_pole(ENT_SERIES_NORM0, p) is pole p's norm series (the
 * base must be one of PACTS0, BLOC0, FINLAND0, NORM0; anything else is returned unchanged).
 */
int ent_model_nseries(const ent_model_t *m);
ent_series_t ent_series_for_pole(ent_series_t base, int pole);
/* The pole of a per-pole series (0 .. K - 1), -1 for a series of the whole system. */
int ent_series_pole(ent_series_t s);
/* The series' generic name, with "pole<p>" for pole p in canonical order ("pacts_pole0"). */
const char *ent_series_name(ent_series_t s);
/*
 * The series' key for model m, naming each pole by its state code: "pacts_CHN", "norm_USA",
 * "bipolarity". Written into buf (n bytes, NUL-terminated, truncated if short); returns buf.
 */
const char *ent_model_series_key(const ent_model_t *m, ent_series_t s, char *buf, size_t n);
/*
 * The key of alignment code a of model m, each pole by its state code: "hedge", "aligned_CHN",
 * "finlandized_USA", "pole". Written into buf (n bytes, NUL-terminated, truncated if short); returns buf.
 */
const char *ent_model_align_key(const ent_model_t *m, ent_align_t a, char *buf, size_t n);
/* The state code (COW abbreviation, "CHN") of pole p of model m. Borrowed from the model. */
const char *ent_model_pole_code(const ent_model_t *m, int pole);
/* The q-quantile (0..1) of series s in `year`, from the ensemble's histograms; and its mean. */
double ent_ensemble_quantile(const ent_ensemble_t *e, ent_series_t s, int year, double q);
double ent_ensemble_mean(const ent_ensemble_t *e, ent_series_t s, int year);

/*
 * Paired difference of P[pole p holds >= k pacts by year] between two
 * ensembles of the same runs (common random numbers): b - a, with a 95%
 * interval from the paired indicators. ENT_EINVAL when the run ranges or the poles differ.
 */
ent_err_t ent_ensemble_diff_pacts(double *diff, double *lo, double *hi, const ent_ensemble_t *a,
                                  const ent_ensemble_t *b, int pole, int k, int year);
/*
 * The same for pole pole_a of a and pole pole_b of b: ensembles of the same runs whose pole lists
 * differ (a two-pole baseline against a three-pole scenario), the caller matching the pole by its
 * state code (ent_model_pole_code). ent_ensemble_diff_pacts needs the same poles. ENT_EINVAL when
 * the run ranges differ or a pole is out of range.
 */
ent_err_t ent_ensemble_diff_pacts_poles(double *diff, double *lo, double *hi, const ent_ensemble_t *a, int pole_a,
                                        const ent_ensemble_t *b, int pole_b, int k, int year);

/*
 * The same for P[poles pa and qa of a have a defence pact with each other by year] (the pole-pair
 * record, ent_ensemble_p_pole_pact) against poles pb and qb of b, the caller matching the poles by
 * their codes: b - a, paired over the common runs. ENT_EINVAL when the run ranges differ or a pole
 * is out of range or paired with itself. O(runs).
 */
ent_err_t ent_ensemble_diff_pole_pact(double *diff, double *lo, double *hi, const ent_ensemble_t *a, int pa, int qa,
                                      const ent_ensemble_t *b, int pb, int qb, int year);

ENT_END_DECLS
#endif
