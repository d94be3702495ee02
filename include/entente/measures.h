/*
 * measures.h -- foreign-policy similarity: how alike two states' alliance
 * portfolios (or UN General Assembly votes) are in a year, for one pair or for
 * every dyad of the system.
 *
 * Five measures, all derived from one contingency table of the two states'
 * ordinal codes over the items they are compared on (docs/measures.md gives
 * the formulas, conventions and citations):
 *
 *   s      Signorino & Ritter's (1999) S, unweighted:
 *          1 - 2 * sum_k d(x_k, y_k) / (n * dmax)
 *   sw     S weighted by capability: 1 - 2 * sum_k w_k d(x_k, y_k) / (sum_k w_k * dmax),
 *          w_k the CINC share of state k in the system (alliances only)
 *   kappa  Cohen's (1968) kappa with quadratic disagreement weights (Hage 2011)
 *   pi     Scott's (1955) pi, nominal (exact-agreement) form, pooled marginals
 *   taub   Kendall's (1938) tau-b
 *
 * d is the absolute distance |x - y| (Signorino & Ritter's Table 6), or the
 * squared one (x - y)^2 with dmax squared too. The conventions follow the R
 * package fpsim (srs(), cohenk(), spi(), taub()), which implements Hage
 * (2011) and Signorino & Ritter (1999); where fpsim leaves a case undefined
 * (0/0) the value here is NaN, never an error, and docs/measures.md says why.
 *
 * Codings (the "portfolio" of state i is its row of codes towards every
 * member k of the COW state system that year, itself included):
 *   ATOP  3 defence or offence, 2 neutrality or consultation, 1 non-aggression
 *         only, 0 none; 3 towards itself.
 *   COW   3 defence, 2 neutrality or non-aggression, 1 entente only, 0 none;
 *         3 towards itself.
 *   UN    the roll calls held in the calendar year that both states voted on:
 *         1 yes, 2 abstain, 3 no (absences and non-membership are missing).
 */
#ifndef ENTENTE_MEASURES_H
#define ENTENTE_MEASURES_H

#include <limits.h>
#include <stdbool.h>

#include "common.h"
#include "store.h"
#include "util.h"
#include "world.h" /* ENT_OBL_* */

ENT_BEGIN_DECLS

/* ---------------------------------------------------------------- portfolio level */

/* The five measures of one pair; NaN where a measure is undefined or not applicable. */
typedef struct {
    double s, sw, kappa, pi, taub;
    /* The items the measures compared: for UN votes the roll calls both states voted on in the
     * year (a measure over fewer than ENT_SIM_FEW_VOTES is flagged by the CLI and the panel), for
     * alliance portfolios the states of the system. */
    double n;
} ent_similarity_t;

/* Below this many common roll calls a UN-vote similarity is flagged as resting on too few votes
 * (`few` in `entente similarity --source un`; `vote_few` in the dyad-year panel). */
#define ENT_SIM_FEW_VOTES 10

/* The measures as bits, for selecting output columns. */
enum {
    ENT_SIM_S = 1u << 0,
    ENT_SIM_SW = 1u << 1,
    ENT_SIM_KAPPA = 1u << 2,
    ENT_SIM_PI = 1u << 3,
    ENT_SIM_TAUB = 1u << 4,
    ENT_SIM_ALL = 0x1fu
};

/* The short names used by the CLI and as JSON/CSV keys: "s", "sw", "kappa", "pi", "taub". */
const char *ent_similarity_measure_name(unsigned bit);
/* The value of measure `bit` (one ENT_SIM_* bit) in `m`; NaN for an unknown bit. */
double ent_similarity_value(const ent_similarity_t *m, unsigned bit);
/*
 * Parses a comma-separated list of measure names ("s,kappa") into ENT_SIM_*
 * bits. ENT_EINVAL naming the first unknown name (or an empty list).
 */
ent_err_t ent_similarity_measures_parse(unsigned *out, const char *list);

/* The most levels a coding may have (hi - lo + 1): the contingency table is 4 x 4. */
#define ENT_SIM_MAXLEV 4
/* A missing code in the vectors given to ent_measure_similarity(). */
#define ENT_SIM_NA INT_MIN

typedef struct {
    unsigned version;
    bool squared; /* squared distances for s and sw (default absolute, as Signorino & Ritter 1999) */
    /*
     * The maximum distance of S. 0 (default): the range of the coding,
     * hi - lo, as Signorino & Ritter define it (3 for alliances, 2 for votes).
     * Negative: the range observed in the pair's complete cases (fpsim's
     * srs() without `range`); S is NaN when that range is 0.
     */
    double dmax;
    int lo, hi; /* the coding's levels (ent_measure_similarity only); default 0..3 */
} ent_similarity_options_t;

#define ENT_SIMILARITY_OPTIONS_VERSION 1
#define ENT_SIMILARITY_OPTIONS_INIT                                                                                    \
    {                                                                                                                  \
        ENT_SIMILARITY_OPTIONS_VERSION, false, 0.0, 0, 3                                                               \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_SIMILARITY_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_similarity_options_init(ent_similarity_options_t *opts, unsigned version);

/*
 * The five measures of two ordinal vectors x and y of length n (the two
 * states' codes towards the same n items), with item weights w (NULL: sw is
 * NaN). Codes are integers in [opts->lo, opts->hi]; ENT_SIM_NA marks a missing
 * code, and an item missing in either vector is dropped (complete cases, as
 * fpsim does); an item whose weight is NaN counts for sw only as dropped.
 * Weights need not sum to 1 (sw divides by their sum) but must be >= 0.
 *
 * Errors: ENT_EINVAL for a code outside [lo, hi], a negative weight, more than
 * ENT_SIM_MAXLEV levels, or no complete item at all. O(n).
 */
ent_err_t ent_measure_similarity(ent_similarity_t *out, const int *x, const int *y, const double *w, size_t n,
                                 const ent_similarity_options_t *opts);

/* ---------------------------------------------------------------- from the store */

typedef enum {
    ENT_SIM_SOURCE_ATOP = 1, /* alliance_dyad_years, dataset 'atop' */
    ENT_SIM_SOURCE_COW = 2,  /* alliance_dyad_years, dataset 'cow' */
    ENT_SIM_SOURCE_UN = 3    /* un_votes over un_roll_calls */
} ent_sim_source_t;

/* "atop", "cow", "un" and back (ENT_EINVAL for other names). */
const char *ent_sim_source_name(ent_sim_source_t s);
ent_err_t ent_sim_source_parse(ent_sim_source_t *out, const char *name);

/*
 * The portfolios of every state for a range of years, read from the store
 * once: per year the states compared (COW system members from system_years
 * for alliances; every state that cast a vote for UN), their ordinal codes,
 * their obligations (alliances) and their CINC scores (current NMC version in
 * the store, normalised over the system to give the weights of sw).
 */
typedef struct ent_portfolios ent_portfolios_t;

/*
 * Loads years [from, to] of `source` from `st`. Errors: ENT_ENOTFOUND when the
 * store holds no data of that source (the message says what to import);
 * ENT_ERANGE when a year is outside the data (the message gives the years the
 * store covers); for a single year (from == to) also when that year has no
 * data (UN: no roll call in 1964). Inside a range, a year without roll calls
 * simply has no dyads. ENT_ESTORE, ENT_ENOMEM. Free with
 * ent_portfolios_free(). Memory O(sum over years of n * items).
 */
ent_err_t ent_portfolios_load(ent_portfolios_t **out, ent_store_t *st, ent_sim_source_t source, int from, int to);
/* NULL-safe. */
void ent_portfolios_free(ent_portfolios_t *p);

/* A state compared in a year, with its CINC (NaN when unknown: weight 0 in sw). */
typedef struct {
    int32_t year, ccode;
    double cinc;
} ent_portfolio_member_t;

/* What ccode1 owes ccode2 in a year (ENT_OBL_* bits). Directed: give both rows for a mutual pact. */
typedef struct {
    int32_t year, ccode1, ccode2;
    unsigned obligations;
} ent_alliance_dyad_t;

/*
 * Alliance portfolios from plain arrays, without a store: each year's states
 * and their CINC from `members` (every row's year inside [from, to]; a state
 * once per year), obligations from `dyads`, coded on the ordinal scale of
 * `coding` (ENT_SIM_SOURCE_ATOP or _COW), exactly as ent_portfolios_load codes
 * a store's dyad-years. A dyad naming a state that is not a member that year,
 * or a year outside [from, to], is left out. States are found by COW number
 * only (the arrays carry no names). Errors: ENT_EINVAL (UN coding, from > to,
 * a state twice in a year), ENT_ERANGE (a member's year, code or CINC out of
 * range), ENT_ELIMIT, ENT_ENOMEM. The arrays are copied: the caller keeps
 * them. Free with ent_portfolios_free(). O(members log members + dyads +
 * sum over years of n^2).
 */
ent_err_t ent_portfolios_from_alliances(ent_portfolios_t **out, ent_sim_source_t coding, int from, int to,
                                        const ent_portfolio_member_t *members, size_t nmembers,
                                        const ent_alliance_dyad_t *dyads, size_t ndyads);

/*
 * Alliance portfolios of a world (loaded from a store, the shipped CSV files
 * or built in memory), ATOP-coded: each year [from, to] compares the states
 * alive at some time in the year (by their spells; a state without spells
 * always), weighted by their CINC of that year, else of the nearest earlier
 * year within `cinc_back` years (0: that year only; the shipped world holds
 * one base year, so views of later years use 10); a pact dyad in force on any
 * day of the year, and not dormant, allies its two states both ways with its
 * obligations. A world keeps CINC in single precision, so sw and the dyads'
 * CINC agree with a store's to about 1e-7, the rest exactly. The world must be
 * finalised; the portfolios copy what they need. States are found by COW number, abbreviation or ISO3.
 * Errors: ENT_EINVAL (from > to, cinc_back < 0, an unfinalised world),
 * ENT_ERANGE, ENT_ENOMEM. O((to - from + 1) * (states + ties)).
 */
ent_err_t ent_portfolios_from_world(ent_portfolios_t **out, const ent_world_t *w, int from, int to, int cinc_back);

ent_sim_source_t ent_portfolios_source(const ent_portfolios_t *p);
/* The years the store covers for this source (whatever range was loaded); for portfolios built from
 * arrays or a world, the years built. */
void ent_portfolios_coverage(const ent_portfolios_t *p, int *first, int *last);
/* How many states are compared in `year` (0 when none or not loaded). */
size_t ent_portfolios_nstates(const ent_portfolios_t *p, int year);
/* The COW abbreviation of a code ("GMY"), or "" when the store does not know it; borrowed. */
const char *ent_portfolios_abbr(const ent_portfolios_t *p, int32_t ccode);

/*
 * Finds a state by COW number ("255"), COW abbreviation ("GMY") or ISO3 code
 * ("DEU"), case-insensitively, COW abbreviations first. ENT_ENOTFOUND otherwise.
 */
ent_err_t ent_portfolios_find(int32_t *ccode, const ent_portfolios_t *p, const char *code);

/*
 * The measures of one pair in `year` (opts: squared and dmax; lo/hi are set by
 * the source). Errors: ENT_ERANGE when the year was not loaded or has no data;
 * ENT_ENOTFOUND when a state is not in the system that year (UN: cast no vote
 * that year) or, for UN, when the two voted on no common roll call. O(items).
 */
ent_err_t ent_measure_similarity_pair(ent_similarity_t *out, const ent_portfolios_t *p, int year, int32_t ccode1,
                                      int32_t ccode2, const ent_similarity_options_t *opts);

/* One dyad-year of the system. */
typedef struct {
    int32_t ccode1, ccode2;
    int32_t year;
    unsigned obligations; /* ENT_OBL_* of ccode1 towards ccode2 (directed), or of either towards the other */
    double cinc1, cinc2;  /* raw CINC scores (NaN when missing) */
    ent_similarity_t m;
} ent_dyad_year_t;

/*
 * Every dyad of `year`: appended to `out` (an ent_vec_t of ent_dyad_year_t,
 * initialised by the caller), ordered by ccode1 then ccode2. Undirected:
 * ccode1 < ccode2, n(n-1)/2 rows, obligations of either state towards the
 * other. Directed: both orders, n(n-1) rows, obligations of ccode1 towards
 * ccode2. All measures are symmetric, so both orders carry the same values.
 *
 * The year's code matrix is built once; each dyad accumulates a (weighted)
 * contingency table in O(items) and derives every measure from it. Dyads are
 * spread over OpenMP threads; every value is computed by one thread in a fixed
 * order, so the output is identical on any number of threads.
 * Errors: ENT_ERANGE (year not loaded), ENT_ENOMEM. O(n^2 * items).
 */
ent_err_t ent_measure_similarity_year(ent_vec_t *out, const ent_portfolios_t *p, int year, bool directed,
                                      const ent_similarity_options_t *opts);

ENT_END_DECLS
#endif
