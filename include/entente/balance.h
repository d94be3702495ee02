/*
 * balance.h -- structural-balance dynamics: the local and the constrained
 * triad dynamics of Antal, Krapivsky & Redner on a complete graph or on a
 * given signed graph, one run at a time or as a seeded ensemble.
 *
 * References.
 *   [AKR05] T. Antal, P. L. Krapivsky, S. Redner, "Dynamics of social balance
 *           on networks", Phys. Rev. E 72, 036121 (2005); arXiv:cond-mat/0506476.
 *   [AKR06] T. Antal, P. L. Krapivsky, S. Redner, "Social balance on networks:
 *           the dynamics of friendship and enmity", Physica D 224, 130-136
 *           (2006); arXiv:physics/0605183.
 *
 * The model. Every link ij carries s_ij = +1 (friendly) or -1 (unfriendly). A
 * triad (triangle) is of type Delta_k when k of its three links are
 * unfriendly; Delta_0 and Delta_2 are balanced, Delta_1 and Delta_3 are not.
 *
 *  - Local triad dynamics (LTD, [AKR05] Sec. II). One update event: pick a
 *    triad uniformly at random. A balanced triad is left alone. A Delta_1
 *    becomes Delta_0 with probability p (its unfriendly link turns friendly)
 *    and Delta_2 with probability 1 - p (one of its two friendly links, each
 *    with probability 1/2, turns unfriendly). A Delta_3 becomes Delta_2 with
 *    probability 1 (one of its three links, each with probability 1/3, turns
 *    friendly).
 *  - Constrained triad dynamics (CTD, [AKR05] Sec. III). One update event:
 *    pick a link uniformly at random; flip it when that lowers the number of
 *    imbalanced triads, with probability 1/2 when it leaves the number
 *    unchanged, never when it raises it.
 *
 * Time. L update events make one unit of time, L the number of links that lie
 * in at least one triad (all N(N-1)/2 links of a complete graph): each link is
 * updated once per unit of time on average, and the friendly density obeys
 * d rho / dt = pi+ - pi- with pi+ = p n1 + n3, pi- = (1 - p) n1 (n_k the
 * density of Delta_k triads). In the stationary state of an infinite complete
 * graph, with uncorrelated links (n1 = 3 rho^2 (1 - rho), n3 = (1 - rho)^3),
 * pi+ = pi- gives
 *
 *     rho_inf = 1 / (sqrt(3 (1 - 2p)) + 1)   for p < 1/2,   rho_inf = 1 for p >= 1/2
 *
 * ([AKR05] Sec. II.A). Finite networks always end in a balanced absorbing
 * state under LTD, but for p < 1/2 only after a time that grows
 * exponentially with N; CTD may also stop in a jammed state (imbalanced
 * triads remain but every flip would add some).
 *
 * On a general signed graph the triads are its triangles; links absent from
 * the graph never appear (unless `fill` makes the graph complete) and links in
 * no triangle never change. There, "balanced" (no imbalanced triad) need not
 * mean structurally balanced (a negative cycle longer than three may remain);
 * results report both.
 *
 * Complexity. The state keeps a dense n x n sign matrix and, for every link
 * ij, c_ij = sum over triangles ijk of s_ik s_jk: the link lies in
 * (t_ij - s_ij c_ij) / 2 imbalanced triads (t_ij triads in all), and flipping
 * it changes the number of imbalanced triads by s_ij c_ij. A flip updates the
 * c of the 2 (N - 2) links it shares a triad with: O(N). An LTD update
 * event is O(1) on a complete graph (O(degree) on others), and so is a CTD
 * update event (Delta_e is read off c_e). Memory: 3 n^2 bytes for a complete
 * graph, 5 n^2 + O(m) otherwise; n <= 4096. Setting up is O(n m) (O(n^3)
 * for a complete graph, as vectorised dot products of rows).
 */
#ifndef ENTENTE_BALANCE_H
#define ENTENTE_BALANCE_H

#include <signal.h>
#include <stdbool.h>

#include "common.h"
#include "partition.h"
#include "util.h"
#include "world.h"

ENT_BEGIN_DECLS

/* The largest network the dynamics accept (the dense matrices take up to 5 n^2 bytes). */
#define ENT_BALANCE_MAX_NODES 4096

typedef enum {
    ENT_BALANCE_LTD = 0, /* local triad dynamics, parameter p */
    ENT_BALANCE_CTD = 1  /* constrained triad dynamics */
} ent_balance_rule_t;

/* "ltd" / "ctd", and back (ENT_EINVAL for other names). */
const char *ent_balance_rule_name(ent_balance_rule_t r);
ent_err_t ent_balance_rule_parse(ent_balance_rule_t *out, const char *name);

typedef struct {
    unsigned version;
    ent_balance_rule_t rule;
    double p;        /* LTD: probability that a Delta_1 is fixed by befriending, [0, 1] */
    double max_time; /* stop a run at this time (units above) unless absorbed earlier */
    double burn_in;  /* time averages of rho and of the imbalanced fraction start here */
    double trace_dt; /* > 0: sample rho(t) and the imbalanced fraction every trace_dt */
    /* starting configurations of an ensemble */
    int32_t n;   /* complete graph on n nodes when no graph is given */
    double rho0; /* its links are friendly with probability rho0, independently */
    double fill; /* given graph: < 0 keeps absent pairs absent; in [0, 1] makes every absent
                    pair a link, friendly with probability fill (drawn per run) */
    /* ensembles */
    int32_t runs; /* run k starts and evolves on stream (seed, k) */
    uint64_t seed;
    int threads; /* OpenMP threads, 0 = the default */
    volatile sig_atomic_t *cancel;
} ent_balance_options_t;

#define ENT_BALANCE_OPTIONS_VERSION 1
#define ENT_BALANCE_OPTIONS_INIT                                                                                       \
    {                                                                                                                  \
        ENT_BALANCE_OPTIONS_VERSION, ENT_BALANCE_LTD, 0.3, 100.0, 0.0, 0.0, 64, 0.5, -1.0, 16, 1, 0, NULL              \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_BALANCE_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_balance_options_init(ent_balance_options_t *opts, unsigned version);

/*
 * Checks an options struct: ENT_ERANGE (with a message naming the field) for
 * p outside [0, 1], a negative or non-finite max_time, burn_in or trace_dt,
 * rho0 outside [0, 1], fill above 1, n outside [3, ENT_BALANCE_MAX_NODES] or
 * runs < 1 (the last two only when `ensemble`); ENT_EINVAL for a bad version
 * or rule.
 */
ent_err_t ent_balance_options_check(const ent_balance_options_t *o, bool ensemble);

/* ---------------------------------------------------------------- one network */

/* A signed network under triad dynamics (opaque). */
typedef struct ent_balance ent_balance_t;

/*
 * A complete graph on n nodes, each link friendly with probability rho0.
 * ENT_ERANGE for n outside [3, ENT_BALANCE_MAX_NODES] or rho0 outside [0, 1];
 * ENT_ENOMEM. O(n^3) (see above). Free with ent_balance_free().
 */
ent_err_t ent_balance_new_complete(ent_balance_t **out, int32_t n, double rho0, ent_rng_t *rng);

/*
 * The signed graph g (the sign of each weight; node i of g is node i here).
 * With fill in [0, 1] every pair that is not an edge of g becomes a link,
 * friendly with probability fill (rng may be NULL when fill < 0).
 * ENT_ERANGE for more than ENT_BALANCE_MAX_NODES nodes or fill > 1; ENT_ENOMEM.
 * O(n^2 + n m) (O(n^3) with fill).
 */
ent_err_t ent_balance_new_signed(ent_balance_t **out, const ent_signed_t *g, double fill, ent_rng_t *rng);

/* A copy of b (its own state, clock included). ENT_ENOMEM. O(n^2). */
ent_err_t ent_balance_copy(ent_balance_t **out, const ent_balance_t *b);
void ent_balance_free(ent_balance_t *b);

int32_t ent_balance_nodes(const ent_balance_t *b);
int64_t ent_balance_links(const ent_balance_t *b);        /* all links */
int64_t ent_balance_active_links(const ent_balance_t *b); /* links in at least one triad: L above */
int64_t ent_balance_friendly(const ent_balance_t *b);
double ent_balance_density(const ent_balance_t *b); /* friendly / links; NaN without links */
int64_t ent_balance_triads(const ent_balance_t *b);
int64_t ent_balance_imbalanced(const ent_balance_t *b); /* Delta_1 + Delta_3 */
/* counts[k] = triads of type Delta_k, kept up to date incrementally. */
void ent_balance_counts(const ent_balance_t *b, int64_t counts[4]);
double ent_balance_time(const ent_balance_t *b);
/* s_ij: +1, -1, or 0 when i and j are not linked (or i == j). */
int ent_balance_sign(const ent_balance_t *b, int32_t i, int32_t j);
/* Links whose flip would not raise the number of imbalanced triads (the CTD candidates). */
int64_t ent_balance_mobile(const ent_balance_t *b);

/*
 * True when the rule can change nothing any more: no imbalanced triad (LTD,
 * CTD), or no mobile link (CTD: balanced or jammed).
 */
bool ent_balance_absorbed(const ent_balance_t *b, ent_balance_rule_t rule);

/*
 * Recounts everything from the sign matrix, O(n^3): the triad counts into
 * `counts`, and checks every link's incremental c_ij and the mobile set
 * against a direct count. Returns false on any disagreement (a bug). For
 * tests.
 */
bool ent_balance_recount(const ent_balance_t *b, int64_t counts[4]);

/*
 * One update event of the rule (see the file comment); the clock advances by
 * 1/L. Returns 1 when a link flipped, 0 when the event changed nothing, -1
 * when the network is absorbed (nothing done, the clock stays). `o` supplies
 * rule and p (not checked: see ent_balance_options_check). O(n) with a flip,
 * else O(1) (complete graphs) or O(degree).
 */
int ent_balance_step(ent_balance_t *b, const ent_balance_options_t *o, ent_rng_t *rng);

/*
 * The two camps of a network without imbalanced triads: block[i] in {0, 1}
 * (friendly links inside a camp, unfriendly across), in each connected
 * component its lowest node in camp 0; isolated nodes are in camp 0. Returns
 * false (block[] all -1) when the network is not structurally balanced
 * (2-colouring fails). *components (may be NULL) receives the number of
 * connected components of the link graph. O(n^2).
 */
bool ent_balance_split(const ent_balance_t *b, int32_t *block, int32_t *components);

/* The current signs as a signed graph (weights +-1; labels "0", "1", ... unless `labels`). g freshly initialised. */
ent_err_t ent_balance_to_signed(ent_signed_t *g, const ent_balance_t *b, const char *const *labels);

/* ---------------------------------------------------------------- runs */

/* A point of a trajectory. */
typedef struct {
    double time;
    double rho;        /* friendly density */
    double imbalanced; /* imbalanced triads / triads (0 without triads) */
} ent_balance_sample_t;

typedef struct {
    double time;           /* when the run stopped: absorbed, or max_time */
    bool balanced;         /* no imbalanced triad at the end */
    bool structural;       /* and structurally balanced: the camps below are meaningful */
    bool jammed;           /* CTD: imbalanced triads remain, no flip allowed */
    bool paradise;         /* every link friendly */
    double balance_time;   /* first time with no imbalanced triad; NaN when never */
    double rho;            /* final friendly density */
    int64_t imbalanced;    /* final imbalanced triads */
    double rho_avg;        /* time average of rho over [burn_in, time] (final rho if time <= burn_in) */
    double imbalanced_avg; /* the same for the imbalanced fraction */
    int32_t camp[2];       /* camp sizes when structural (camp[1] = 0 in paradise) */
    int32_t components;    /* connected components of the link graph */
    int64_t flips;
} ent_balance_run_t;

/*
 * Evolves b until it is absorbed or its clock reaches o->max_time (the clock
 * is then set to max_time). With o->trace_dt > 0 and `trace` non-NULL,
 * appends ent_balance_sample_t at times 0, dt, 2 dt, ... <= max_time (after
 * absorption the final state is repeated). `block` (n entries, may be NULL)
 * receives the final camps (ent_balance_split). Errors: ENT_ERANGE and
 * ENT_EINVAL from ent_balance_options_check, ENT_EINTERRUPTED when *cancel is
 * set, ENT_ENOMEM.
 */
ent_err_t ent_balance_run(ent_balance_run_t *res, ent_balance_t *b, const ent_balance_options_t *o, ent_rng_t *rng,
                          ent_vec_t *trace, int32_t *block);

/* ---------------------------------------------------------------- ensembles */

typedef struct {
    int32_t runs, n;
    ent_vec_t run;   /* ent_balance_run_t per run, in run order */
    ent_vec_t block; /* int32_t, runs x n: final camps of run k at [k n .. k n + n), -1 when not structural */
    ent_vec_t trace; /* ent_balance_sample_t averaged over runs (trace_dt > 0) */
    /* the starting configuration of run 0 */
    int64_t links, active_links, triads;
    double rho_initial;
    int64_t imbalanced_initial;
    /* over runs: mean and standard error */
    double rho_final, rho_final_se;                /* final rho */
    double rho_avg, rho_avg_se;                    /* time-averaged rho (see burn_in) */
    double imbalanced_avg;                         /* time-averaged imbalanced fraction */
    double balanced, structural, paradise, jammed; /* fractions of runs */
    double balance_time, balance_time_se;          /* over the runs that reached balance; NaN when none */
} ent_balance_ensemble_t;

void ent_balance_ensemble_init(ent_balance_ensemble_t *e);
void ent_balance_ensemble_destroy(ent_balance_ensemble_t *e);

/*
 * o->runs runs from the complete graph on o->n nodes (g NULL, links friendly
 * with probability o->rho0) or from g (with o->fill), run k drawing its start
 * and its moves from stream (o->seed, k): the result does not depend on the
 * number of threads. Runs execute on OpenMP threads (fewer when the copies
 * would exceed ~1 GiB). Errors: as ent_balance_run and the constructors.
 */
ent_err_t ent_balance_ensemble(ent_balance_ensemble_t *e, const ent_signed_t *g, const ent_balance_options_t *o);

/* ---------------------------------------------------------------- mean field */

/* rho_inf of LTD on the infinite complete graph: 1 / (sqrt(3 (1 - 2p)) + 1) for p < 1/2, else 1. */
double ent_balance_ltd_stationary(double p);

/*
 * Integrates the LTD rate equations of [AKR05] Sec. II.A for the triad
 * densities n_0..n_3 (uncorrelated start n_k = C(3,k) rho0^(3-k)(1-rho0)^k)
 * by fourth-order Runge-Kutta with step h (0: 1e-3), in the time units above:
 *   dn_k/dt = 3 [ pi- (n_{k-1}^+ - n_k^+) + pi+ (n_{k+1}^- - n_k^-) ],
 *   n_k^+ = (3-k) n_k / (3 rho),  n_k^- = k n_k / (3 (1 - rho)),
 * and writes rho(times[i]) = n0 + 2 n1 / 3 + n2 / 3 (times ascending, >= 0).
 */
void ent_balance_ltd_mean_field(double *rho, const double *times, size_t nt, double p, double rho0, double h);

/* ---------------------------------------------------------------- the world as a signed graph */

/* Pairs (not ties) of the graph by what makes their sign. */
typedef struct {
    size_t pacts, partnerships, rivalries, coercion; /* pairs with a pact / a partnership of tier >= min_tier /
                                                        a rivalry / a coercion episode in force */
    size_t conflicts;                                /* pairs with a friendly and a hostile tie (hostile kept) */
} ent_balance_world_stats_t;

/*
 * The alliance system on `date` as a signed graph for the dynamics:
 * ent_signed_from_world() (dyads.h) with the balance spec,
 * ent_signed_spec_balance(min_tier): nodes are the states alive on the date
 * that have at least one of the ties below (labels: COW abbreviations, in
 * world order), and for every pair
 *   -1 when a rivalry or a coercion episode between them is in force,
 *   +1 otherwise when a formal pact that is not dormant (any obligation) or
 *      a partnership of tier >= min_tier is in force,
 *   no link otherwise (security ties, economic ties and organisations are not
 *   used).
 * A hostile tie wins over a friendly one (NATO members that are rivals are
 * hostile): the rivalry is the more specific relation. `g` freshly
 * initialised (left empty when no tie is in force); stats may be NULL.
 * ENT_ENOMEM, ENT_ERANGE (too many states). O(states + ties log ties).
 */
ent_err_t ent_balance_world_graph(ent_signed_t *g, ent_balance_world_stats_t *stats, const ent_world_t *w,
                                  ent_date_t date, int min_tier);

ENT_END_DECLS
#endif
