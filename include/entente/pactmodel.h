/*
 * pactmodel.h -- the pact model: who forms, joins and leaves defence pacts,
 * one year at a time, with parameters fitted to history.
 *
 * The system at one year (ent_sysyear_t) is a set of dense caller-owned
 * arrays over n states. Each state i values a defence pact with j by a
 * directed utility
 *
 *     u_ij = theta_form . x_ij + offset_i
 *
 * whose terms (ENT_PM_F_*) carry the mechanisms of the essay: one's own
 * rivalry with the partner, a common enemy, the threat i feels, the partner's
 * deterrence value where i is, the partner's quarrels i would be dragged into
 * (entanglement), proximity, UN ideal-point and regime distance, common allies
 * (triadic closure), the partner's defence degree and major-power status.
 *
 *   bilateral pact   P(i and j form one next year) = sigma(u_ij) sigma(u_ji)
 *                    (both must consent).
 *   joining          a multilateral treaty T (three or more members) is joined
 *                    by k as one decision with all its members:
 *                    P = sigma(mean_{m in T} u_km) x mean_{m in T} sigma(u_mk),
 *                    k's mean utility toward the members times the members'
 *                    mean consent. A join makes k a defence partner of every
 *                    member at once.
 *   termination      P(the defence tie i-j ends next year) = sigma(gamma . z_ij)
 *                    with the drivers Leeds & Savun (2007) find: the change in
 *                    relative power since the tie began, regime change since,
 *                    outside alliances formed since, hostility, age (ENT_PM_E_*).
 *
 * docs/models/pactmodel.md gives every term's exact definition, the fitted
 * values with standard errors, what is fixed and why, and the validation.
 */
#ifndef ENTENTE_PACTMODEL_H
#define ENTENTE_PACTMODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <signal.h>

#include "common.h"
#include "store.h"
#include "util.h"

ENT_BEGIN_DECLS

/* ---------------------------------------------------------------- the system at one year */

/*
 * The system at one year. Every array is owned by the caller, who keeps it
 * alive while the model reads it; n x n arrays are row-major (entry i*n + j).
 * ent_pactmodel_step() writes the fields marked "updated"; every other field is
 * only read. Pointers marked "may be NULL" mean "unknown" or "zero" as said.
 */
typedef struct {
    size_t n;                    /* states */
    int year;                    /* the year the arrays describe; step() advances it by one */
    const int32_t *ccode;        /* [n] COW state codes (reporting only; the model never relies on their order) */
    const double *cinc;          /* [n] capability share (COW CINC: shares of the system total, in [0, 1]) */
    const double *ideal;         /* [n] UNGA ideal point (Bailey, Strezhnev & Voeten); NAN unknown; may be NULL */
    const double *polyarchy;     /* [n] V-Dem electoral democracy index in [0, 1]; NAN unknown; may be NULL */
    const unsigned char *major;  /* [n] 1 for a major power (COW list of the year, or the scenario's poles) */
    const double *dist_km;       /* [n*n] capital-to-capital distance, km (symmetric) */
    const unsigned char *contig; /* [n*n] 0 none, 1 land (or river), 2 sea (COW types 2-5); NULL unknown = none */
    const double *hostility;     /* [n*n] in [0, 1], symmetric: rivalry intensity / ongoing MID / scenario rivalry */
    /*
     * Optional dyadic ideal-point distance [n*n] (NAN unknown). When set it is used instead of
     * |ideal_i - ideal_j|: historical worlds built from the panel carry the distance, not the points.
     */
    const double *ideal_dist;
    /* [n*n] symmetric 0/1: a defence obligation between i and j in force. Updated. */
    unsigned char *defence;
    /*
     * [n*n] forward presence in [0, 1]: row i, column j > 0 when i has forces on j's territory
     * (bases, deployments). Historically the model derives it from the alliance network (a major
     * power has presence on its defence partners' territory): pass NULL for that rule. The
     * simulation passes the shipped world's basing rows.
     */
    const double *presence;
    /*
     * What termination reads, per tie (row i, column j, both orders written): the year the tie
     * began, i's capability share and polyarchy then, and i's defence degree then (not counting
     * this tie). NULL: those terms are zero (a tie of unknown start). Updated for new ties.
     */
    int *since;
    double *cinc0;
    double *poly0;
    int *deg0;
    /*
     * Multilateral treaties in force: member[t*n + i] = 1 when state i belongs to treaty t
     * (t < ntreaties). Joining sets a member; a state with no defence tie left to another member
     * leaves the treaty (it is then left with its bilateral ties only). Updated. May be NULL
     * with ntreaties = 0.
     */
    size_t ntreaties;
    unsigned char *member;
    const int64_t *treaty_id; /* [ntreaties] the source's id (ATOP atopid) for reporting; may be NULL */
    /* [n] added to state i's directed utilities toward every partner (norms, levers); NULL = 0. */
    const double *offset;
    /*
     * [n*n] symmetric: the last year a defence tie of the pair was in force before the current spell
     * of no tie (0: never tied, or unknown). Step writes the year a tie ends. NULL: never. Updated.
     */
    int *last_tie;
    /*
     * [n*n] symmetric: the lesser ATOP obligations in force between i and j (offence, neutrality,
     * non-aggression or consultation, in either direction), by breadth: 0 none; otherwise the number
     * of members in the system of the narrowest treaty that binds them so (saturated at 255; 1 or 2
     * for a bilateral one). A pair bound only by treaties of settings.lesser_broad members or more
     * shares a region-wide declaration (the Helsinki Final Act, the ASEAN Treaty of Amity, the AU's
     * Constitutive Act): the LESSER_BROAD term; any narrower treaty: the LESSER term. NULL: none.
     */
    const unsigned char *lesser;
    /*
     * [n] 1 when state i has a declared policy of permanent neutrality (or military non-alignment)
     * in force in the year: the table of ent_pmneutral_load(), data/params/neutrality.csv. NULL: none.
     */
    const unsigned char *neutral;
    /*
     * [ntreaties*n] 1 when state i may accede to treaty t under its accession clause and practice
     * (the table of ent_pmaccess_load(), data/params/treaty_access.csv): an ineligible state has no
     * join decision for the treaty (probability 0, not in the fit's risk set). NULL: every state may.
     */
    const unsigned char *eligible;
} ent_sysyear_t;

/* ---------------------------------------------------------------- the model's terms */

/* The directed formation terms x_ij, in parameter order. */
enum {
    ENT_PM_F_CONST = 0,     /* 1 */
    ENT_PM_F_HOSTILE,       /* h_ij: one's own rivalry with the partner (a cost when its coefficient < 0) */
    ENT_PM_F_COMMON_ENEMY,  /* 10 sum_{k != i,j} min(h_ik, h_jk) cinc_k */
    ENT_PM_F_THREAT,        /* log1p(threat_i / threat_ref), threat_i = sum_k h_ik cinc_k prox*(k -> i) */
    ENT_PM_F_DETER,         /* 10 cinc_j prox*(j -> i): the partner's capability where i is */
    ENT_PM_F_THREAT_DETER,  /* THREAT x DETER */
    ENT_PM_F_ENTANGLE,      /* 10 sum_{k != i,j} h_jk (1 - h_ik) cinc_k: the partner's quarrels i does not share */
    ENT_PM_F_LDIST,         /* log1p(dist_km / 1000) */
    ENT_PM_F_CONTIG_LAND,   /* contig == 1 */
    ENT_PM_F_CONTIG_SEA,    /* contig == 2 */
    ENT_PM_F_IDEAL_DIST,    /* UN ideal-point distance, 0 when unknown */
    ENT_PM_F_IDEAL_MISSING, /* 1 when unknown */
    ENT_PM_F_REGIME_DIST,   /* |polyarchy_i - polyarchy_j|, 0 when unknown */
    ENT_PM_F_REGIME_MISSING,
    ENT_PM_F_COMMON_ALLIES, /* log1p(states allied to both) */
    ENT_PM_F_DEGREE,        /* log1p(the partner's defence degree) */
    ENT_PM_F_MAJOR,         /* the partner is a major power */
    ENT_PM_F_PRIOR_TIE,     /* exp(-(year - last_tie) / 10) for a pair tied before, else 0: lapsed ties revive */
    ENT_PM_F_LESSER,        /* a lesser obligation of a treaty of fewer than lesser_broad members (0 < lesser < K) */
    ENT_PM_F_LESSER_BROAD,  /* lesser obligations only through treaties of >= lesser_broad members (lesser >= K) */
    ENT_PM_F_NEUTRAL,       /* i itself is a declared neutral (neutral[i] == 1): Switzerland, Sweden, Austria... */
    ENT_PM_NFORM
};

/* The termination terms z_ij of a tie in force, in parameter order (after the formation terms). */
enum {
    ENT_PM_E_CONST = 0,
    ENT_PM_E_DPOWER,  /* |r - r0|, r = cinc_i / (cinc_i + cinc_j) now and when the tie began */
    ENT_PM_E_DREGIME, /* |poly_i - poly0_i| + |poly_j - poly0_j| (unknown parts count 0) */
    ENT_PM_E_OUTSIDE, /* log1p(defence ties either side gained since the tie began) */
    ENT_PM_E_HOSTILE, /* h_ij */
    ENT_PM_E_LAGE,    /* log1p(years in force) */
    ENT_PM_E_IDEAL_DIST,
    ENT_PM_E_MULTILAT,      /* both belong to one multilateral treaty */
    ENT_PM_E_IDEAL_MISSING, /* the UN ideal-point distance is unknown (IDEAL_DIST is then 0) */
    ENT_PM_NEND
};

#define ENT_PM_NPARAMS (ENT_PM_NFORM + ENT_PM_NEND)

/* ---------------------------------------------------------------- the model */

/*
 * Settings fixed before a fit (chosen on validation years by `entente fit`, or set by hand).
 * prox(a -> b) = max(exp(-dist_ab / (dist_scale_km x (major_a ? reach_major : 1))),
 * contig land ? 1, contig sea ? sea_prox); prox*(a -> b) also counts a's presence in m:
 * max(prox(a -> b), max_m presence_am prox(m -> b)) with prox(b -> b) = 1.
 */
typedef struct {
    double dist_scale_km; /* default 1000 */
    double reach_major;   /* a major power's proximity reaches this many times farther; default 4 */
    double sea_prox;      /* proximity of a sea-contiguous pair; default 0.5 */
    double threat_ref;    /* the fixed threat reference: a share of world capability; default 0.01 */
    double lambda;        /* the ridge penalty of the fit (reported; the model itself does not use it) */
    /*
     * K: a treaty with this many members in the system or more is region-wide, and a pair bound by a
     * lesser obligation only through such treaties has LESSER_BROAD, not LESSER (an integer in 3..255;
     * chosen on the validation years by `entente fit --lesser-broad`); default 10.
     */
    double lesser_broad;
} ent_pactmodel_settings_t;

typedef struct ent_pactmodel ent_pactmodel_t;

/* One event of a simulated year. */
typedef enum { ENT_PM_FORM = 0, ENT_PM_JOIN = 1, ENT_PM_END = 2 } ent_pactevent_kind_t;
typedef struct {
    ent_pactevent_kind_t kind;
    int year;      /* the year it happens (sys->year + 1 when drawn) */
    size_t i, j;   /* FORM / END: the two states (i < j); JOIN: i the joiner, j unused (SIZE_MAX) */
    size_t treaty; /* JOIN: the treaty index; otherwise SIZE_MAX */
    double p;      /* the probability it had */
} ent_pactevent_t;

/*
 * A model with the default settings and every parameter 0, no covariance (so a draw returns the
 * estimates) and no provenance. Free with ent_pactmodel_free(). ENT_ENOMEM.
 */
ent_err_t ent_pactmodel_new(ent_pactmodel_t **out);
/* NULL-safe. */
void ent_pactmodel_free(ent_pactmodel_t *m);

/* The number of parameters (ENT_PM_NPARAMS) and the k-th one's name ("form.hostile", "end.lage"); static. */
size_t ent_pactmodel_nparams(const ent_pactmodel_t *m);
const char *ent_pactmodel_param_name(size_t k);
/* The estimates [nparams] (borrowed). */
const double *ent_pactmodel_estimates(const ent_pactmodel_t *m);
/* The covariance [nparams x nparams], row-major (borrowed), or NULL when none is known. */
const double *ent_pactmodel_covariance(const ent_pactmodel_t *m);
/*
 * When the covariance is cluster-robust (the fit's, docs/models/pactmodel.md "Fit"): the model-based
 * standard errors [nparams] beside it (NaN or 0: not fitted) and the number of clusters; NULL (and
 * *nclusters 0) when the covariance is the model-based one. ent_pactmodel_set_robust records them
 * (NULL: none); ent_pactmodel_set leaves them as they are. ENT_EINVAL on a negative SE.
 */
const double *ent_pactmodel_se_model(const ent_pactmodel_t *m, size_t *nclusters);
ent_err_t ent_pactmodel_set_robust(ent_pactmodel_t *m, const double *se_model, size_t nclusters);
/* Whether parameter k was estimated (true) or fixed/chosen (false). */
bool ent_pactmodel_fitted(const ent_pactmodel_t *m, size_t k);
const ent_pactmodel_settings_t *ent_pactmodel_settings(const ent_pactmodel_t *m);
/* The provenance object as JSON text (borrowed), or "{}". */
const char *ent_pactmodel_provenance(const ent_pactmodel_t *m);

/*
 * Replaces the estimates (theta [nparams]), the covariance (NULL: none; otherwise nparams^2,
 * symmetric positive semi-definite, checked by its Cholesky factorisation), which parameters were
 * fitted (NULL: all those with a positive variance), the settings (NULL: unchanged) and the
 * provenance (a JSON object's text, NULL: unchanged). Copies everything. ENT_EINVAL on a
 * non-finite estimate or a covariance that is not positive semi-definite, ENT_EPARSE on bad
 * provenance JSON, ENT_ENOMEM.
 */
ent_err_t ent_pactmodel_set(ent_pactmodel_t *m, const double *theta, const double *cov, const bool *fitted,
                            const ent_pactmodel_settings_t *settings, const char *provenance_json);

/*
 * Reads / writes the parameter file (JSON: {"model": "entente-pactmodel", "version": 1,
 * "settings": {...}, "params": [{"name", "estimate", "se", "fitted"}...], "covariance": [[...]],
 * "provenance": {...}}). Load checks every name against this library's terms (a file from another
 * version of the model is ENT_EPARSE naming the field), the covariance's shape and that it is
 * positive semi-definite. Errors: ENT_ENOTFOUND / ENT_EIO (the file), ENT_EPARSE (path:line and the
 * field), ENT_ENOMEM.
 */
ent_err_t ent_pactmodel_load(ent_pactmodel_t **out, const char *path);
ent_err_t ent_pactmodel_save(const ent_pactmodel_t *m, const char *path);

/*
 * The default parameter file: $ENTENTE_PACTMODEL (a file) when set and non-empty, else
 * pactmodel.json in $ENTENTE_PARAMS (a directory) when set, else in
 * share/entente/data/params of the installed prefix beside the library or the
 * executable, else the checkout's data/params/pactmodel.json (the same search as
 * ent_scenario_default_dir()). Static storage; never NULL.
 */
const char *ent_pactmodel_default_path(void);

/*
 * Draws a parameter vector theta [nparams] from N(estimates, covariance): the estimates plus
 * L z, L the Cholesky factor (GSL) of the covariance, z standard normal from `rng`. Parameters
 * that were not fitted (zero variance) stay at their value. Without a covariance, theta = the
 * estimates and rng is not advanced. ENT_ENOMEM. O(nparams^2) (the factor is computed once, at set/load).
 */
ent_err_t ent_pactmodel_draw(const ent_pactmodel_t *m, ent_rng_t *rng, double *theta);

/*
 * The formation terms of every ordered pair: X[(i*n + j) * ENT_PM_NFORM + f] (caller-allocated,
 * n*n*ENT_PM_NFORM doubles; the diagonal is zero). O(n^2 (r + a)) where a state has at most r
 * adversaries and a allies (common enemies, entanglement, common allies), plus O(n^2 p) for presence
 * in p places: O(n^3) at worst. ENT_EINVAL on a malformed system, ENT_ENOMEM.
 */
ent_err_t ent_pactmodel_terms(const ent_pactmodel_t *m, const ent_sysyear_t *sys, double *X);

/* The directed utilities u[i*n + j] (offset included; the diagonal is 0). */
ent_err_t ent_pactmodel_utility(const ent_pactmodel_t *m, const double *theta, const ent_sysyear_t *sys, double *u);

/*
 * One-step-ahead probabilities from the system as it stands:
 *  - p_form[i*n + j] (symmetric; may be NULL): P(a new defence tie between i and j next year) for a
 *    pair not tied now, by any route: a bilateral pact, i joining a treaty j belongs to, or j
 *    joining one of i's, taken as independent: 1 - (1 - p_bilateral) prod (1 - p_join). 0 for a
 *    pair already tied and on the diagonal.
 *  - p_end[i*n + j] (symmetric; may be NULL): P(the tie ends next year) for a tie in force, else 0.
 *  - p_join[t*n + k] (may be NULL): P(k joins treaty t), 0 for members.
 * theta: a parameter vector [nparams] (the estimates or a draw). ENT_EINVAL, ENT_ENOMEM.
 * O(n^3 + ntreaties n^2).
 */
ent_err_t ent_pactmodel_probs(const ent_pactmodel_t *m, const double *theta, const ent_sysyear_t *sys, double *p_form,
                              double *p_end, double *p_join);

/*
 * Simulates one year: from the probabilities of the system as it stands (ent_pactmodel_probs),
 * draws, in this order, every termination (ties i < j in row order), every join (treaties in
 * order, states in order; a state joins at most one treaty a year) and every bilateral pact
 * (pairs i < j not tied and not made partners by a join this year), then applies them: defence,
 * since/cinc0/poly0/deg0 of new ties, treaty membership, and sys->year + 1. Each decision takes
 * exactly one uniform from `rng` in that fixed order, so a given rng stream gives the same
 * events. `events` (may be NULL; elements ent_pactevent_t) receives the events appended.
 * ENT_EINVAL, ENT_ENOMEM (the system is then unchanged).
 */
ent_err_t ent_pactmodel_step(const ent_pactmodel_t *m, const double *theta, ent_sysyear_t *sys, ent_rng_t *rng,
                             ent_vec_t *events);

/* ---------------------------------------------------------------- declared neutrals */

/*
 * The table of declared neutrals (data/params/neutrality.csv: ccode, state, from, to, source; `to`
 * empty = in force): states whose policy of permanent neutrality or military non-alignment is on
 * record (a treaty, a constitution, a law, a UN resolution, or a standing policy with its dates),
 * year from..to inclusive. Load checks every row (ENT_EPARSE naming file, line and field;
 * ENT_ENOTFOUND / ENT_EIO for the file; ENT_ENOMEM). Free with ent_pmneutral_free() (NULL-safe).
 */
typedef struct ent_pmneutral ent_pmneutral_t;
ent_err_t ent_pmneutral_load(ent_pmneutral_t **out, const char *path);
void ent_pmneutral_free(ent_pmneutral_t *t);
/* Whether state `ccode` is a declared neutral in `year`. O(rows). */
bool ent_pmneutral_is(const ent_pmneutral_t *t, int32_t ccode, int year);
/* neutrality.csv in the directory of the default parameter file's search (ent_pactmodel_default_path()
 * without $ENTENTE_PACTMODEL); $ENTENTE_NEUTRALITY names another file. Static storage; never NULL. */
const char *ent_pmneutral_default_path(void);

/* ---------------------------------------------------------------- who may accede to a treaty */

/*
 * The accession table (data/params/treaty_access.csv: atopid, treaty, eligible, clause, source):
 * for each multilateral ATOP defence treaty it lists, who may join it under its accession clause
 * and practice. `eligible` is "any" (any state, by the members' invitation), "none" (closed), or
 * space-separated tokens, each a region of COW codes (americas 2-199, europe 200-399, africa
 * 400-626, middle_east 627-699, asia 700-899, oceania 900-999) or one COW state code (an
 * organisation's members, a state admitted in practice). A row with an empty atopid names a shipped-world
 * treaty that has none (ent_pmaccess_may_named). Load checks every row (ENT_EPARSE naming file, line
 * and field; a repeated atopid or name is an error; ENT_ENOTFOUND / ENT_EIO; ENT_ENOMEM). Free
 * with ent_pmaccess_free() (NULL-safe).
 */
typedef struct ent_pmaccess ent_pmaccess_t;
ent_err_t ent_pmaccess_load(ent_pmaccess_t **out, const char *path);
void ent_pmaccess_free(ent_pmaccess_t *t);
/* Whether state `ccode` may accede to treaty `atopid`; true for a treaty the table does not list
 * (or an unknown id, < 0), the model's rule before the table. O(rows). */
bool ent_pmaccess_may(const ent_pmaccess_t *t, int64_t atopid, int32_t ccode);
/* Whether the table lists `atopid`. */
bool ent_pmaccess_listed(const ent_pmaccess_t *t, int64_t atopid);
/*
 * A treaty of the shipped world without an ATOP id (the Alliance of Sahel States) is a row with an
 * empty `atopid`, matched by its `treaty` name, which must equal the pact's `name` in data/pacts.csv:
 * whether state `ccode` may accede to the treaty named `name`; true for a name the table does not list.
 * O(rows).
 */
bool ent_pmaccess_may_named(const ent_pmaccess_t *t, const char *name, int32_t ccode);
/* treaty_access.csv in the parameter directory (as ent_pmneutral_default_path());
 * $ENTENTE_TREATY_ACCESS names another file. Static storage; never NULL. */
const char *ent_pmaccess_default_path(void);
/*
 * Fills eligible[t*n + i] (caller-allocated, ntreaties*n) from the table for a system's treaties
 * (treaty_id, may be NULL: all eligible) and states (ccode). O(ntreaties n rows).
 */
void ent_pmaccess_fill(const ent_pmaccess_t *t, const int64_t *treaty_id, size_t ntreaties, const int32_t *ccode,
                       size_t n, unsigned char *eligible);

/* ---------------------------------------------------------------- owned systems and history */

/* State codes the historical systems accept: 1 .. ENT_PM_MAX_CCODE - 1 (COW codes are three digits). */
#define ENT_PM_MAX_CCODE 1000

/*
 * An owned, mutable system: every array of an ent_sysyear_t allocated together, so a forecast can
 * step a copy forward. ent_sysbuf_sys() returns the system (borrowed; fields that were NULL in the
 * source stay NULL).
 */
typedef struct ent_sysbuf ent_sysbuf_t;
/* Deep-copies `src` (every array it sets). ENT_EINVAL (incomplete system), ENT_ENOMEM. O(n^2). */
ent_err_t ent_sysyear_clone(ent_sysbuf_t **out, const ent_sysyear_t *src);
ent_sysyear_t *ent_sysbuf_sys(ent_sysbuf_t *b);
/* NULL-safe. */
void ent_sysbuf_free(ent_sysbuf_t *b);

/*
 * The historical systems of years from..to built from the store: the dyad-year panel (ATOP
 * defence ties, COW CINC and major powers, capital distance, contiguity, V-Dem polyarchy (imputed
 * from UDS where V-Dem has none), TSS rivalries and MIDs for hostility, UN ideal-point distance) and ATOP's membership
 * spells of multilateral treaties with a defence obligation; declared neutrals from the table at
 * ent_pmneutral_default_path() and who may accede to each treaty from ent_pmaccess_default_path()
 * (ENT_ENOTFOUND when either is missing). Tie starts are traced from 1816. Presence is
 * left NULL (the alliance-network rule). docs/models/pactmodel.md ("Historical systems") gives
 * the exact coding. Errors: ENT_EINVAL (years; from >= 1817), ENT_ENOTFOUND (no state system or
 * ATOP in the store), ENT_ERANGE (years the store does not cover), ENT_ESTORE, ENT_ENOMEM,
 * ENT_EINTERRUPTED. Free with ent_pmhistory_free(). Memory about 50 n^2 bytes a year.
 */
typedef struct ent_pmhistory ent_pmhistory_t;
ent_err_t ent_pmhistory_build(ent_pmhistory_t **out, ent_store_t *db, int from, int to, volatile sig_atomic_t *cancel);
void ent_pmhistory_free(ent_pmhistory_t *h);
int ent_pmhistory_from(const ent_pmhistory_t *h);
int ent_pmhistory_to(const ent_pmhistory_t *h);
/* The system of `year` (borrowed, read-only: clone it to step it), or NULL outside from..to. */
const ent_sysyear_t *ent_pmhistory_year(const ent_pmhistory_t *h, int year);
/* A mutable copy of the system of `year`. ENT_ERANGE outside the history, ENT_ENOMEM. */
ent_err_t ent_pmhistory_clone(ent_sysbuf_t **out, const ent_pmhistory_t *h, int year);

/*
 * The model's one-step-ahead P(a new defence tie in t + 1) (ent_pactmodel_probs' p_form on the
 * system of t) for rows (ccode1, ccode2, year t) given as columns of doubles, as in a backtest
 * table: out[r] (nrows, caller-allocated) is NaN for a row whose year is outside the history or
 * whose states are not both in that year's system, and 0 for a pair tied in t. theta: the
 * estimates or a draw. ENT_ENOMEM, ENT_EINVAL. O(years x n^3 + rows).
 */
ent_err_t ent_pmhistory_forecast(double *out, const ent_pmhistory_t *h, const ent_pactmodel_t *m, const double *theta,
                                 const double *c1, const double *c2, const double *year, size_t nrows);

/*
 * Free-running forecast: `runs` simulated futures of the alliance network from `start` to the end
 * of year `to` (ent_pactmodel_step each year; only the network moves, every other field stays at
 * its start value), run r seeded with (seed, r) and, when `draw`, its own parameter draw
 * (ent_pactmodel_draw) so the spread includes parameter uncertainty. p_new[i*n + j] (caller-
 * allocated n*n) receives the share of futures in which i and j, not tied at the start, have a
 * defence tie in some year start+1..to; NaN for pairs tied at the start and the diagonal.
 * threads: OpenMP threads (0: the runtime's default); the result does not depend on it.
 * ENT_EINVAL, ENT_ENOMEM, ENT_EINTERRUPTED. O(runs x years x n^3).
 */
ent_err_t ent_pactmodel_freerun(double *p_new, const ent_pactmodel_t *m, const ent_sysyear_t *start, int to,
                                size_t runs, uint64_t seed, bool draw, int threads, volatile sig_atomic_t *cancel);

/* ---------------------------------------------------------------- a state's record */

/*
 * The record of a state's defence-pact decisions on historical outcome years, under the fitted
 * model with no offset: what the simulation conditions a pole's norm on (docs/models/alignment.md,
 * "The norm prior, conditioned on the record"). Every decision the fit's likelihood counts that
 * involves the state (ent_pmfit_data_build's risk set) is kept as its probability as a function of
 * an offset o added to the state's utilities toward every partner:
 *
 *     p(o) = c0 + c1 sigma(a + o)
 *
 *   PACT    a bilateral decision with partner `other` (a COW code): a = u_ij, c0 = 0, c1 = sigma(u_ji);
 *   JOIN    the state joining treaty `other` (an ATOP id): a = mean_m u_im, c0 = 0,
 *           c1 = mean_m sigma(u_mi);
 *   JOINED  state `other` joining a treaty the state belongs to (the state one member of c):
 *           a = u_ik, c0 = sigma(mean_m u_km) S / c, c1 = sigma(mean_m u_km) / c, S the other
 *           members' sum of sigma(u_mk).
 *
 * The log likelihood of the record at o is sum_d log(formed ? p(o) : 1 - p(o)), up to a constant.
 * So the file stays small, the decisions not formed whose probability is negligible at o = 0
 * (p(0) < ENT_PMREC_NEGLIGIBLE; for o <= 0 it is smaller still) are folded into the "rest": their
 * log(1 - p(o)) is -c1 sigma(a + o) / (1 - c0) plus a constant, within p^2/2, so they enter as
 * weights w = c1 / (1 - c0) summed in buckets of a (0.25 wide, at the bucket's w-weighted mean a):
 * each bucket adds -w sigma(a + o). The likelihood is exact up to a constant for the kept decisions
 * and within a fraction of a percent of the folded ones' small total.
 */
#define ENT_PMREC_NEGLIGIBLE 1e-3
typedef enum { ENT_PMREC_PACT = 0, ENT_PMREC_JOIN = 1, ENT_PMREC_JOINED = 2 } ent_pmrec_kind_t;
typedef struct {
    int32_t ccode; /* the state whose record it is */
    int year;      /* the outcome year */
    ent_pmrec_kind_t kind;
    int64_t other; /* PACT, JOINED: the partner's COW code; JOIN: the treaty's ATOP id */
    double a, c0, c1;
    bool formed;
} ent_pmrec_decision_t;

typedef struct ent_pmrecord ent_pmrecord_t;
/* An empty record (for synthetic records in tests). ENT_ENOMEM. Free with ent_pmrecord_free (NULL-safe). */
ent_err_t ent_pmrecord_new(ent_pmrecord_t **out);
void ent_pmrecord_free(ent_pmrecord_t *r);
/* Appends one decision, kept as given (ENT_EINVAL: c0, c1 outside [0, 1], c0 + c1 > 1, a not finite). */
ent_err_t ent_pmrecord_add(ent_pmrecord_t *r, const ent_pmrec_decision_t *d);
/* Folds a decision not formed with utility a and weight w = c1 / (1 - c0) into the rest of state
 * `ccode` in `year` (w = 0: only marks the year as covered). ENT_EINVAL: not finite, w < 0. */
ent_err_t ent_pmrecord_add_rest(ent_pmrecord_t *r, int32_t ccode, int year, double a, double w);
/*
 * The record of every state of ccodes[nccodes] (0 states: every state that is a COW major power in
 * some system of an outcome year's t) on outcome years from..to of the systems sys[nsys] (in year
 * order, as ent_pmfit_data_build reads them; ent_pmhistory_year gives the historical ones), under
 * m's estimates with no offset; negligible decisions go to the rest (above). A state absent from a
 * year's system has no decisions that year. ENT_ERANGE (no outcome year in from..to), ENT_EINVAL,
 * ENT_ENOMEM. O(years x n^2 NF).
 */
ent_err_t ent_pmrecord_build(ent_pmrecord_t **out, const ent_sysyear_t *const *sys, size_t nsys,
                             const ent_pactmodel_t *m, const int32_t *ccodes, size_t nccodes, int from, int to);
/*
 * The record file (JSON: {"model": "entente-record", "version": 1, "outcome_years": [from, to],
 * "states": [{"ccode", "decisions", "formed", "years": [{"year", "rest": [[a, w]...], "d": [[kind,
 * other, a, c0, c1, formed]...]}]}], "provenance": {...}}). provenance_json: a JSON object's text or NULL.
 * Errors: ENT_EIO, ENT_ENOTFOUND (the file), ENT_EPARSE (path:line and the field), ENT_ENOMEM.
 */
ent_err_t ent_pmrecord_save(const ent_pmrecord_t *r, const char *path, const char *provenance_json);
ent_err_t ent_pmrecord_load(ent_pmrecord_t **out, const char *path);
/* record.json in the parameter directory (as ent_pmneutral_default_path()); $ENTENTE_RECORD names
 * another file. Static storage; never NULL. */
const char *ent_pmrecord_default_path(void);
/* Drops every decision (and rest) of an outcome year after `last`: a run that starts from the world of
 * `last` must not be conditioned on what happened after it (a historical start, docs/models/alignment.md).
 * O(decisions). */
void ent_pmrecord_keep_until(ent_pmrecord_t *r, int last);
/* Whether the record has state `ccode`; its decisions, those formed and the outcome years spanned. */
bool ent_pmrecord_has(const ent_pmrecord_t *r, int32_t ccode);
size_t ent_pmrecord_count(const ent_pmrecord_t *r, int32_t ccode, size_t *formed, int *from, int *to);
/* The provenance object's text (borrowed), "{}" when none. */
const char *ent_pmrecord_provenance(const ent_pmrecord_t *r);
/* The log likelihood of state ccode's record at offset o, up to a constant (0 without a record).
 * O(decisions). */
double ent_pmrecord_loglik(const ent_pmrecord_t *r, int32_t ccode, double o);
/*
 * Its maximum over o in [lo, hi] (lo may be very negative: the norm at 1 is -1000): a grid of step
 * 0.05 over [max(lo, -60), hi], the value at lo, then golden-section refinement around the best grid
 * point. *arg (may be NULL) receives the maximiser. O(1200 x decisions).
 */
double ent_pmrecord_max(const ent_pmrecord_t *r, int32_t ccode, double lo, double hi, double *arg);

/* ---------------------------------------------------------------- the fit */

/*
 * The data of a fit: from a sequence of systems, every pair of consecutive years (t, t + 1) whose
 * outcome year t + 1 is in from..to gives the decisions ent_pactmodel_step draws, observed in t + 1:
 * every join decision (a state outside a multilateral treaty of t and not tied to all its members:
 * is it a member in t + 1? Treaties are matched by treaty_id when both years have ids, else by
 * position), every bilateral decision (a pair untied in t, both still in the system in t + 1, not
 * made partners by a join: is there a tie in t + 1?) and every tie of t (has it ended?). States are
 * matched across years by ccode. The formation terms are computed once, with m's settings. Memory
 * about 8 x ENT_PM_NFORM n^2 bytes a year. ENT_ERANGE when no pair of years falls in from..to,
 * ENT_EINVAL, ENT_ENOMEM. Free with ent_pmfit_data_free().
 */
typedef struct ent_pmfit_data ent_pmfit_data_t;
ent_err_t ent_pmfit_data_build(ent_pmfit_data_t **out, const ent_pactmodel_t *m, const ent_sysyear_t *const *sys,
                               size_t nsys, int from, int to);
void ent_pmfit_data_free(ent_pmfit_data_t *d);
/* Bilateral decisions (at-risk dyad-years) and new ties among them; tie-years and ends among them. */
void ent_pmfit_data_counts(const ent_pmfit_data_t *d, size_t *nform, size_t *form_events, size_t *nend,
                           size_t *end_events);
/* Join decisions and joins among them. */
void ent_pmfit_data_joins(const ent_pmfit_data_t *d, size_t *njoin, size_t *join_events);
/* The log likelihood (natural log, summed over both parts) of theta [nparams]; NaN on ENOMEM. */
double ent_pmfit_loglik(const ent_pmfit_data_t *d, const double *theta);

/*
 * The clusters of the robust covariance (docs/models/pactmodel.md, "Fit"; Cameron & Miller 2015):
 *  - DECISION (the default): the observations of one dyad across years (its bilateral decisions and
 *    the years its tie is in force) are one cluster; dyads whose new ties of one year make both
 *    states members of one multilateral treaty (NATO's founding, 1949) are merged, with every other
 *    year of those dyads; a state's join decisions for one treaty, across years, are one cluster.
 *  - DYAD: as DECISION without the treaty merge.
 *  - NONE: every observation its own cluster (the HC0 sandwich times G / (G - 1)).
 */
typedef enum { ENT_PMFIT_CLUSTER_DECISION = 0, ENT_PMFIT_CLUSTER_DYAD, ENT_PMFIT_CLUSTER_NONE } ent_pmfit_cluster_t;
void ent_pmfit_data_set_cluster(ent_pmfit_data_t *d, ent_pmfit_cluster_t how);
/* The number of clusters with at least one observation under the data's current clustering. */
size_t ent_pmfit_data_nclusters(const ent_pmfit_data_t *d);

typedef struct {
    double loglik; /* at the estimate, unpenalised */
    int iterations, evaluations;
    double gradient_max; /* of the scaled objective at the estimate */
    size_t nform, form_events, nend, end_events, njoin, join_events;
    double seconds;
    size_t nclusters; /* of the robust covariance */
} ent_pmfit_result_t;

/*
 * Maximises the log likelihood minus (lambda/2) |theta|^2 over every parameter but the two
 * intercepts (BFGS from `start`, or NULL: zeros with the intercepts at the base rates), for the
 * parameters with free_[k] (NULL: all; the others stay at start's value), and stores in m the
 * estimates, the covariance and lambda in its settings. The covariance is the cluster-robust
 * sandwich H^-1 (G/(G-1) sum_c g_c g_c') H^-1, H the observed information of the penalised
 * objective (central differences of the analytic gradient), g_c the score of the log likelihood
 * summed over cluster c (ent_pmfit_data_set_cluster), G the number of clusters; the model-based
 * standard errors (sqrt diag H^-1) go beside it (ent_pactmodel_se_model). ENT_ERANGE when the
 * optimiser fails or the information is singular, ENT_ENOMEM. O(iterations x data).
 */
ent_err_t ent_pmfit_run(ent_pactmodel_t *m, ent_pmfit_result_t *res, const ent_pmfit_data_t *d, double lambda,
                        const double *start, const bool *free_);

/*
 * The historical fit of `entente fit`: maximum likelihood on outcome years fit_from..fit_to
 * (default 1947-1980) for every (breadth K, penalty, threat reference) of the grid, the point chosen
 * by the log likelihood of validation outcome years valid_from..valid_to (default 1981-1990); m
 * receives the chosen fit (estimates, covariance, settings; its other settings are kept). The
 * estimates are those of the fit years only: the validation years choose, they do not refit.
 */
#define ENT_PMFIT_MAXGRID 64
typedef struct {
    unsigned version;
    int fit_from, fit_to, valid_from, valid_to; /* outcome years */
    const double *lambdas;                      /* NULL: 1, 10, 100 */
    size_t nlambdas;
    const double *threat_refs; /* NULL: 0.001, 0.003, 0.01 */
    size_t nthreat_refs;
    volatile sig_atomic_t *cancel; /* NULL, or checked at every BFGS iteration: set, the fit stops (ENT_EINTERRUPTED) */
    /* the breadths K (settings.lesser_broad, integers 3..255) to try; NULL: 5, 8, 10, 15, 20 */
    const double *lesser_broads;
    size_t nlesser_broads;
} ent_pmfit_options_t;

#define ENT_PMFIT_OPTIONS_VERSION 1
#define ENT_PMFIT_OPTIONS_INIT                                                                                         \
    {                                                                                                                  \
        ENT_PMFIT_OPTIONS_VERSION, 1947, 1980, 1981, 1990, NULL, 0, NULL, 0, NULL, NULL, 0                             \
    }

typedef struct {
    size_t ngrid, chosen;
    double grid_lambda[ENT_PMFIT_MAXGRID], grid_threat_ref[ENT_PMFIT_MAXGRID], grid_lesser_broad[ENT_PMFIT_MAXGRID];
    double grid_valid[ENT_PMFIT_MAXGRID]; /* mean validation log likelihood per observation; NaN: fit failed */
    ent_pmfit_result_t fit;               /* of the chosen pair, on the fit years */
    double valid_loglik;                  /* mean per observation, chosen pair */
    size_t nvalid, valid_events;
    double seconds;
} ent_pmfit_report_t;

/*
 * Errors: ENT_EINVAL (options), ENT_ERANGE (years outside the history; no grid point could be
 * fitted), ENT_ENOMEM, ENT_EINTERRUPTED. O(grid x fit).
 */
ent_err_t ent_pactmodel_fit_history(ent_pactmodel_t *m, ent_pmfit_report_t *rep, const ent_pmhistory_t *h,
                                    const ent_pmfit_options_t *opt);

/*
 * The pact model refitted before each test year, as the backtest's logit is: for each outcome year
 * T of test_from..test_to, theta[(T - test_from) * nparams ...] receives the estimates fitted on
 * outcome years fit_from..T-1 of `sys` (nsys systems in year order; only systems of years <= T-1
 * enter T's fit), with m's settings (the penalty lambda and threat reference chosen on the
 * validation years stay fixed) and BFGS warm-started from the previous year's estimates (the first
 * from m's). The terms estimated are those with variation in each fit's years; the others keep m's
 * value. seconds (may be NULL) receives the CPU-clock time. ENT_EINVAL (years), ENT_ERANGE (a fit
 * failed: the message names the year), ENT_ENOMEM, ENT_EINTERRUPTED (cancel, may be NULL, is checked
 * at every BFGS iteration of every year's fit, so a refit stops within a fraction of a second). O(years x fit).
 */
ent_err_t ent_pactmodel_refit_path(double *theta, const ent_pactmodel_t *m, const ent_sysyear_t *const *sys,
                                   size_t nsys, int fit_from, int test_from, int test_to, double *seconds,
                                   volatile sig_atomic_t *cancel);

/*
 * ent_pmhistory_forecast with a yearly refit: rows whose outcome year (year + 1) is in
 * test_from..test_to get the one-step-ahead probability of the model refitted on outcome years
 * fit_from..year (ent_pactmodel_refit_path); the other rows m's estimates. Errors as both.
 */
ent_err_t ent_pmhistory_forecast_refit(double *out, const ent_pmhistory_t *h, const ent_pactmodel_t *m,
                                       const double *c1, const double *c2, const double *year, size_t nrows,
                                       int fit_from, int test_from, int test_to, double *seconds,
                                       volatile sig_atomic_t *cancel);

/* ---------------------------------------------------------------- recalibrating the base rate */

/*
 * Intercept recalibration (docs/models/pactmodel.md, "Recalibrating the base rate"): every slope held
 * at m's estimates, the shift of the formation intercept (form.const, which moves every directed
 * utility, so bilateral pacts and joins alike) and, apart, of the termination intercept (end.const)
 * that maximise the fit's exact one-step-ahead log likelihood (ent_pmfit_loglik's decisions) on the
 * outcome years origin - nyears .. origin - 1: the years just before a forecast that starts from the
 * system of `origin`. The two parts of the likelihood share no parameter, so each shift is a 1-D
 * maximum (Newton on the analytic score, the curvature by central differences of it).
 */
typedef struct {
    int origin;   /* T: the system the forecast starts from */
    int from, to; /* the window's outcome years, T - N .. T - 1: only systems of T - N - 1 .. T - 1 are read */
    /* the shift of each intercept; 0 when not estimated (no event, or nothing but events, in the window) */
    double form_delta, end_delta;
    /* their standard errors: cluster-robust (the fit's clusters, G/(G-1) factor) and model-based
     * (1 / sqrt of the observed information); NaN when not estimated */
    double form_se, end_se, form_se_model, end_se_model;
    bool form_estimated, end_estimated;
    /* the window's log likelihood at the fit (delta 0) and at the shifts */
    double loglik0, loglik;
    /* the window's decisions and events: bilateral, join, tie-years */
    size_t nform, form_events, njoin, join_events, nend, end_events;
    size_t nclusters;
} ent_pm_recal_t;

/*
 * Estimates the shifts on the systems sys[nsys] (any order; those of years outside
 * origin - nyears - 1 .. origin - 1 are never read, so nothing from the forecast's own years can
 * enter). Errors: ENT_EINVAL (nyears outside 1..200), ENT_ERANGE (a year of the window has no
 * system; the message names it), ENT_ENOMEM. O(iterations x nyears x n^2 ENT_PM_NFORM).
 */
ent_err_t ent_pm_recalibrate(ent_pm_recal_t *out, const ent_pactmodel_t *m, const ent_sysyear_t *const *sys,
                             size_t nsys, int origin, int nyears);
/* The same on a history's systems (ENT_ERANGE when it does not cover origin - nyears - 1 .. origin - 1). */
ent_err_t ent_pm_recalibrate_history(ent_pm_recal_t *out, const ent_pactmodel_t *m, const ent_pmhistory_t *h,
                                     int origin, int nyears);
/*
 * Adds the estimated shifts to m's two intercepts; the covariance (and so the spread of parameter
 * draws), the other estimates, the settings and the provenance are kept. ENT_EINVAL (non-finite
 * shift), ENT_ENOMEM.
 */
ent_err_t ent_pm_recal_apply(ent_pactmodel_t *m, const ent_pm_recal_t *r);

ENT_END_DECLS
#endif
