/*
 * world.h -- the alliance system in memory, and time slices of it.
 *
 * A world is loaded from a store (ent_store_load_world), read from the
 * shipped CSV files (ent_world_load_dir) or built in memory (ent_world_new ...
 * ent_world_finalise). It holds states (dense indices 0..n-1, with COW
 * code, abbreviation, ISO3, name, region, capital), their membership spells,
 * capabilities by year, and ties. A tie joins two states with a kind, an
 * obligation set, a level, a moniker, a start and end date and a source.
 * Formal pacts are held as the dyads of their members, each dyad active
 * while both members are.
 */
#ifndef ENTENTE_WORLD_H
#define ENTENTE_WORLD_H

#include <stdbool.h>

#include "common.h"
#include "store.h"
#include "util.h"

ENT_BEGIN_DECLS

typedef struct ent_world ent_world_t;

typedef struct {
    int32_t ccode;
    char abbr[8];
    char iso3[4]; /* "" when unknown */
    const char *name;
    const char *region;      /* "" when unknown */
    const char *capital;     /* "" when unknown */
    double cap_lat, cap_lon; /* NaN when unknown */
    bool un_member;
    double democracy; /* V-Dem electoral democracy index 0..1 (NaN when unknown) */
    /* Base-year figures of the shipped world (NaN when unknown): */
    double gdp_usd_bn, milex_usd_m;
    double trade_share_chn, trade_share_usa; /* fractions of total goods trade (IMF DOTS) */
    int econ_year;                           /* the year of the trade shares (0 when none) */
    /* Chinese official finance committed 2000-2021 (AidData GCDF 3.0: ODA + OOF + vague official flows,
     * nominal USD bn): official finance, not only loans. */
    double chn_finance_usd_bn;
    bool econ_estimate; /* the economic figures are estimates, not official statistics */
    /* UN General Assembly in unga_year (unga.csv; Bailey, Strezhnev & Voeten): the ideal point, the share of
     * votes agreeing with the US and with China, and the number of votes the state cast in the session
     * (NaN / 0 when unknown). Fewer than ENT_UNGA_MIN_VOTES votes make the shares unreliable. */
    int unga_year, unga_votes;
    double unga_ideal, unga_agree_usa, unga_agree_chn;
    /* One of COW's major powers in the world's year: set by a store's historical world
     * (ent_world_load_history); false throughout the shipped world, whose simulation takes COW's
     * 2016 list. */
    bool major_power;
} ent_state_t;

/* Below this many votes in a session a state's agreement shares are flagged as unreliable. */
#define ENT_UNGA_MIN_VOTES 20

/* Tie kinds, from hostile to closest. Values are stable (stored and exported). */
typedef enum {
    ENT_TIE_COERCION = 1,
    ENT_TIE_RIVALRY = 2,
    ENT_TIE_ECONOMIC = 3,
    ENT_TIE_DIPLOMATIC = 4,
    ENT_TIE_PARTNERSHIP = 5,
    ENT_TIE_SECURITY = 6,
    ENT_TIE_PACT = 7
} ent_tie_kind_t;

/* Obligations of a pact (ATOP and COW types), as bits. */
enum {
    ENT_OBL_DEFENSE = 1u << 0,
    ENT_OBL_OFFENSE = 1u << 1,
    ENT_OBL_NEUTRAL = 1u << 2,
    ENT_OBL_NONAGG = 1u << 3,
    ENT_OBL_CONSUL = 1u << 4,
    ENT_OBL_ENTENTE = 1u << 5
};

typedef struct {
    int64_t a, b; /* state indices */
    ent_tie_kind_t kind;
    unsigned obligations;  /* ENT_OBL_* for pacts; 0 otherwise */
    double level;          /* kind-specific strength (tier, intensity); 0 if none */
    const char *moniker;   /* official name of the tie or pact; "" if none */
    const char *subtype;   /* finer kind: "exercise", "patrol", "arms", "territorial", "tariffs"...; "" if none */
    bool directed;         /* a acts on b: pole -> partner, coercer -> target; else unordered */
    ent_date_t start, end; /* inclusive; end ENT_DATE_MAX when open */
    const char *source;    /* "ATOP 5.1 atopid 3445", a URL, a citation */
    bool dormant;          /* pacts: in force on paper, not in practice (docs/data.md gives the rule); a
                            * dormant pact is listed but sets no alignment (no ally, no bloc, no model pact) */
} ent_tie_t;

/* Direct contiguity of two states, as COW Direct Contiguity codes it: 1 a land or river border; 2, 3, 4, 5
 * separated by at most 12, 24, 150, 400 miles of water. One record per unordered pair. */
typedef struct {
    int64_t a, b;       /* state indices */
    int type;           /* 1..5 */
    const char *source; /* "COW Direct Contiguity v3.2 ...", or the source of a hand-coded border */
} ent_contiguity_t;

/* The name of a kind ("pact") and back; ent_tie_kind_parse returns ENT_EINVAL for unknown names. */
const char *ent_tie_kind_name(ent_tie_kind_t k);
ent_err_t ent_tie_kind_parse(ent_tie_kind_t *out, const char *name);

/* Writes the obligations as "defense,offense" (or "none") into buf. */
void ent_obligations_format(char *buf, size_t n, unsigned obligations);

/* An organisation (NATO, SCO, Quad...) and a state's membership spell in it. */
typedef struct {
    const char *id; /* "nato", "sco" */
    const char *name;
    const char *kind; /* collective_defense, security_grouping, cooperation_forum, economic */
    ent_date_t founded;
    const char *source;
} ent_org_t;

typedef struct {
    int64_t org; /* index into the organisations */
    int64_t state;
    const char *role;        /* member, observer, dialogue_partner, partner */
    ent_date_t joined, left; /* left: ENT_DATE_MAX when still in */
    const char *source;
} ent_membership_t;

/* A dated happening with its actors (treaty signed, patrol, tariffs imposed). */
typedef struct {
    ent_date_t date;
    const char *kind;
    const int64_t *actors; /* state indices */
    size_t nactors;
    const char *description;
    const char *source;
} ent_event_t;

typedef struct {
    unsigned version;
    const char *pact_dataset; /* "atop" (default) or NULL for every dataset of pacts in the store */
} ent_world_load_options_t;

#define ENT_WORLD_LOAD_OPTIONS_VERSION 1
#define ENT_WORLD_LOAD_OPTIONS_INIT                                                                                    \
    {                                                                                                                  \
        ENT_WORLD_LOAD_OPTIONS_VERSION, NULL                                                                           \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_WORLD_LOAD_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_world_load_options_init(ent_world_load_options_t *opts, unsigned version);

/*
 * Loads the world held in `st` (src/store/load_world.c: the store owns every
 * query): the states, their membership spells, the CINC of the current NMC
 * version (ent_store_nmc_version: one version, never a mix), the pacts of
 * `opts->pact_dataset` as member dyads, joint exercises and rivalries.
 * ENT_ENOTFOUND when the store has no states. Free with ent_world_free().
 * O(states + ties + sum over pacts of members^2).
 */
ent_err_t ent_store_load_world(ent_world_t **out, ent_store_t *st, const ent_world_load_options_t *opts);
/* The same as ent_store_load_world (its older name, kept for programs and bindings that use it). */
ent_err_t ent_world_load(ent_world_t **out, ent_store_t *st, const ent_world_load_options_t *opts);
/* NULL-safe. */
void ent_world_free(ent_world_t *w);

/*
 * Building a world in memory, without files: ent_world_new(), then add
 * states, their spells and capabilities, pacts, ties, organisations,
 * memberships, events and tier labels in any order (a state before anything
 * that names it), then ent_world_finalise(). Every add copies what it is
 * given (strings, actor arrays): the caller keeps its own. After
 * finalise the world is read-only (adds are ENT_EINVAL) and can be queried
 * and sliced like a loaded one; slicing an unfinalised world is ENT_EINVAL.
 * An add refused for its input (ENT_EINVAL, ENT_ERANGE, ENT_EEXISTS) changes
 * nothing; after ENT_ENOMEM a pact may be partly added. Either way the world
 * stays consistent and can be freed with ent_world_free. Indices are those
 * the adds return: states 0, 1, ... in the order added.
 */
ent_err_t ent_world_new(ent_world_t **out);
/* Sets every field of *s to "unknown": NaN numbers, "" strings, zeros. Then fill what is known. */
void ent_state_init(ent_state_t *s);
/* Adds a state; *idx (may be NULL) receives its index. ENT_ERANGE for a COW code outside 0..999,
 * ENT_EEXISTS for a code already present. */
ent_err_t ent_world_add_state(int64_t *idx, ent_world_t *w, const ent_state_t *s);
/* A spell of membership in the state system, [start, end] (end ENT_DATE_MAX when open). A state
 * with no spells is a member at every date (the shipped world's convention). ENT_EINVAL when
 * end < start, ENT_ERANGE for an unknown state. */
ent_err_t ent_world_add_spell(ent_world_t *w, int64_t state, ent_date_t start, ent_date_t end);
/* The CINC of a state in a year (1816..2100); NaN clears it. ENT_ERANGE outside those years or 0..1. */
ent_err_t ent_world_set_cinc(ent_world_t *w, int64_t state, int year, double cinc);
/* The years ent_world_set_cinc accepts, and the highest partnership tier ent_world_set_tier_label does. */
#define ENT_WORLD_CINC_FIRST_YEAR 1816
#define ENT_WORLD_CINC_LAST_YEAR 2100
#define ENT_WORLD_MAX_TIER 16
/*
 * Replaces the record of state `idx` while the world is being built: figures
 * known only after the state was added (regime, economy, UN votes read from
 * later files) are filled in through a copy, s = *ent_world_state(w, idx),
 * changed and set back. Strings are copied (those still pointing at the
 * world's own copies are kept as they are). ENT_ERANGE for an unknown index,
 * ENT_EINVAL for a different COW code or a finalised world. O(1).
 */
ent_err_t ent_world_set_state(ent_world_t *w, int64_t idx, const ent_state_t *s);

/* A member of a pact given to ent_world_add_pact. */
typedef struct {
    int64_t state;          /* index in the world */
    ent_date_t entry, exit; /* membership; exit ENT_DATE_MAX when still a member */
    unsigned obligations;   /* ENT_OBL_* this member owes */
    bool dormant;           /* this member's participation is dormant (see ent_tie_t) */
} ent_pact_member_t;

/*
 * Adds a pact as the dyads of its members: each pair becomes a tie of kind
 * ENT_TIE_PACT, active while both are members, with the union of their
 * obligations, dormant if either member is; pairs never members together
 * give no tie. O(n^2). ENT_ERANGE for an unknown state, ENT_EINVAL for an
 * exit before an entry.
 */
ent_err_t ent_world_add_pact(ent_world_t *w, const ent_pact_member_t *members, size_t n, const char *moniker,
                             const char *source);
/* Adds one tie (a and b different states, a known kind, end >= start). */
ent_err_t ent_world_add_tie(ent_world_t *w, const ent_tie_t *t);
/* Adds an organisation (a non-empty id, unique case-insensitively); *idx (may be NULL) its index. */
ent_err_t ent_world_add_org(int64_t *idx, ent_world_t *w, const ent_org_t *o);
ent_err_t ent_world_add_membership(ent_world_t *w, const ent_membership_t *m);
ent_err_t ent_world_add_event(ent_world_t *w, const ent_event_t *e);
/* Adds the contiguity of a pair (two different states, type 1..5); ENT_EEXISTS when the pair, in
 * either order, has one already. O(pairs). */
ent_err_t ent_world_add_contiguity(ent_world_t *w, const ent_contiguity_t *c);
/* The distance in km between the capitals of states a and b (a != b, 0..25000 km), for a world whose
 * capitals are known only through distances (a store's historical world: COW's capital distances of
 * the year, capitals that moved included). A later call for the pair replaces it. ENT_ERANGE for an
 * unknown state or a distance outside that range, ENT_EINVAL after finalise. */
ent_err_t ent_world_set_distance(ent_world_t *w, int64_t a, int64_t b, double km);
/* The label of partnership tier 1..16; finalise requires the labelled tiers to run 1..max. */
ent_err_t ent_world_set_tier_label(ent_world_t *w, int tier, const char *label);
/* Sorts the ties, files the spells; the world becomes read-only. ENT_EINVAL when called twice or
 * when the tier labels have a gap. O(ties log ties + spells log spells). */
ent_err_t ent_world_finalise(ent_world_t *w);
/* The index of the state with COW code `ccode`, or -1. O(1). */
int64_t ent_world_state_index(const ent_world_t *w, int32_t ccode);

/*
 * Loads the shipped world: the sourced CSV files of a data directory
 * (states, capabilities, regime, tiers, partnerships, pacts, pact_members,
 * orgs, org_members, security, economic, coercion, rivalries, events, contiguity; see
 * docs/data.md). Every row is validated: bad fields, unknown state codes or
 * ids, duplicates, unsourced rows and reversed dates are errors naming
 * file:line:column and the field (ENT_EPARSE, ENT_ERANGE, ENT_ENOTFOUND,
 * ENT_EEXISTS); a missing file is ENT_EIO. The world is built through the
 * builder above (src/io/world_csv.c checks and locates, the builder decides),
 * so a row the builder refuses is an error at its file:line:column too.
 */
ent_err_t ent_world_load_dir(ent_world_t **out, const char *dir);

/*
 * The directory of the shipped world: $ENTENTE_WORLD when set; else share/entente/data of the
 * prefix this library (or the executable) was installed into, found relative to its own file
 * so a moved prefix works; else the data/ of the checkout this build was configured from.
 * Borrowed (the environment's string or a process-wide constant); never NULL.
 */
const char *ent_world_default_dir(void);

size_t ent_world_nstates(const ent_world_t *w);
/* Borrowed; i < ent_world_nstates(). */
const ent_state_t *ent_world_state(const ent_world_t *w, size_t i);

/*
 * Finds a state by COW number ("710"), COW abbreviation ("CHN") or ISO3
 * ("CHN", "PRK"), case-insensitively. ENT_ENOTFOUND with a message otherwise.
 */
ent_err_t ent_world_find(int64_t *idx, const ent_world_t *w, const char *code);

/* True when state i is a member of the state system on day d (by its spells). */
bool ent_world_alive(const ent_world_t *w, size_t i, ent_date_t d);
/* True when state i is a member at any time in year y. */
bool ent_world_alive_year(const ent_world_t *w, size_t i, int year);

/* CINC of state i in `year` (a store's world: of the current NMC version, ent_store_nmc_version), or NaN. */
double ent_world_cinc(const ent_world_t *w, size_t i, int year);
/*
 * CINC of state i in `year`, else the nearest earlier year within `back` years, else the
 * nearest later one within `forward` years, or NaN. The shipped world holds one base year
 * (2022), so a view of 2024 reads it through this with back = 10.
 */
double ent_world_cinc_near(const ent_world_t *w, size_t i, int year, int back, int forward);

size_t ent_world_nties(const ent_world_t *w);
const ent_tie_t *ent_world_tie(const ent_world_t *w, size_t k);

size_t ent_world_norgs(const ent_world_t *w);
const ent_org_t *ent_world_org(const ent_world_t *w, size_t k);
/* Finds an organisation by id ("sco"), case-insensitively; ENT_ENOTFOUND otherwise. */
ent_err_t ent_world_find_org(int64_t *idx, const ent_world_t *w, const char *id);
size_t ent_world_nmemberships(const ent_world_t *w);
const ent_membership_t *ent_world_membership(const ent_world_t *w, size_t k);
size_t ent_world_nevents(const ent_world_t *w);
/* The world's "as of" date: its latest dated event (0 when it has no events). O(events). */
ent_date_t ent_world_as_of(const ent_world_t *w);
const ent_event_t *ent_world_event(const ent_world_t *w, size_t k);
/* The contiguous pairs (the shipped world: data/contiguity.csv; none in a store's world). Borrowed. */
size_t ent_world_ncontiguities(const ent_world_t *w);
const ent_contiguity_t *ent_world_contiguity(const ent_world_t *w, size_t k);
/* The distance set for the pair by ent_world_set_distance, or NaN (the shipped world sets none: its
 * capitals' coordinates give distances). O(1). */
double ent_world_distance(const ent_world_t *w, size_t a, size_t b);
/* The label of a partnership tier on the shipped scale ("Comprehensive Strategic Partnership"), or "". */
const char *ent_world_tier_label(const ent_world_t *w, int tier);
/* The highest tier of the scale, 0 when the world has none. */
int ent_world_max_tier(const ent_world_t *w);

/*
 * A time slice: the states alive and the ties active in [from, to] (a day when
 * from == to; a year is Jan 1..Dec 31). Slices borrow from their world, which
 * must outlive them.
 */
typedef struct ent_slice ent_slice_t;

ent_err_t ent_world_slice(ent_slice_t **out, const ent_world_t *w, ent_date_t from, ent_date_t to);
/* The slice covering a whole year. */
ent_err_t ent_world_slice_year(ent_slice_t **out, const ent_world_t *w, int year);
void ent_slice_free(ent_slice_t *s);

size_t ent_slice_nstates(const ent_slice_t *s);
/* World index of the slice's k-th state (ordered by COW code). */
int64_t ent_slice_state(const ent_slice_t *s, size_t k);
size_t ent_slice_nties(const ent_slice_t *s);
const ent_tie_t *ent_slice_tie(const ent_slice_t *s, size_t k);

ENT_END_DECLS
#endif
