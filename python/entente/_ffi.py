"""The C declarations entente's Python package uses (cffi ABI mode: no compiler needed at
install time) and the loading of the installed libentente.so.

The declarations mirror include/entente/*.h; struct layouts must match them exactly, which
tests/install/test_python.sh checks against the C compiler's sizeof/offsetof on every
struct declared here. Library lookup, first hit wins:
  1. $ENTENTE_LIB: the path of libentente.so(.0);
  2. pkg-config: `pkg-config --variable=libdir entente` (honours $PKG_CONFIG_PATH);
  3. ctypes.util.find_library("entente") (the ld.so cache, $LD_LIBRARY_PATH).
"""
import ctypes.util
import os
import shutil
import subprocess

import cffi

CDEF = r"""
typedef int ent_err_t;
typedef int32_t ent_date_t;

const char *ent_errmsg(void);
/* the options structs' init functions (the C macros ENT_*_OPTIONS_INIT are out of cffi's reach) */
const char *ent_strerror(ent_err_t rc);
const char *ent_version(void);
void ent_free(void *ptr);

typedef struct {
    void *data;
    size_t len;
    size_t cap;
    size_t esize;
} ent_vec_t;
void ent_vec_init(ent_vec_t *v, size_t esize);
void ent_vec_destroy(ent_vec_t *v);
ent_err_t ent_date_parse(ent_date_t *out, const char *s, bool end);
void ent_date_format(char *buf, ent_date_t d);

/* store */
typedef struct ent_store ent_store_t;
typedef struct {
    unsigned version;
    bool readonly;
    bool must_exist;
} ent_store_options_t;
ent_err_t ent_store_options_init(ent_store_options_t *opts, unsigned version);
ent_err_t ent_store_open(ent_store_t **out, const char *path, const ent_store_options_t *opts);
void ent_store_close(ent_store_t *st);

/* world */
typedef struct ent_world ent_world_t;
typedef struct {
    int32_t ccode;
    char abbr[8];
    char iso3[4];
    const char *name;
    const char *region;
    const char *capital;
    double cap_lat, cap_lon;
    bool un_member;
    double democracy;
    double gdp_usd_bn, milex_usd_m;
    double trade_share_chn, trade_share_usa;
    int econ_year;
    double chn_finance_usd_bn;
    bool econ_estimate;
    int unga_year, unga_votes;
    double unga_ideal, unga_agree_usa, unga_agree_chn;
    bool major_power;
} ent_state_t;
typedef struct {
    int64_t a, b;
    int kind;
    unsigned obligations;
    double level;
    const char *moniker;
    const char *subtype;
    bool directed;
    ent_date_t start, end;
    const char *source;
    bool dormant;
} ent_tie_t;
typedef struct {
    const char *id;
    const char *name;
    const char *kind;
    ent_date_t founded;
    const char *source;
} ent_org_t;
typedef struct {
    int64_t org;
    int64_t state;
    const char *role;
    ent_date_t joined, left;
    const char *source;
} ent_membership_t;
typedef struct {
    unsigned version;
    const char *pact_dataset;
} ent_world_load_options_t;
ent_err_t ent_world_load_options_init(ent_world_load_options_t *opts, unsigned version);

ent_err_t ent_world_load(ent_world_t **out, ent_store_t *st, const ent_world_load_options_t *opts);
ent_err_t ent_world_load_dir(ent_world_t **out, const char *dir);
void ent_world_free(ent_world_t *w);
const char *ent_world_default_dir(void);
size_t ent_world_nstates(const ent_world_t *w);
const ent_state_t *ent_world_state(const ent_world_t *w, size_t i);
ent_err_t ent_world_find(int64_t *idx, const ent_world_t *w, const char *code);
ent_err_t ent_report_world(char **out, const ent_world_t *w, ent_date_t date, const char *origin);
ent_err_t ent_report_state(char **out, const ent_world_t *w, int64_t state, ent_date_t date);
bool ent_world_alive(const ent_world_t *w, size_t i, ent_date_t d);
double ent_world_cinc_near(const ent_world_t *w, size_t i, int year, int back, int forward);
size_t ent_world_nties(const ent_world_t *w);
const ent_tie_t *ent_world_tie(const ent_world_t *w, size_t k);
size_t ent_world_norgs(const ent_world_t *w);
const ent_org_t *ent_world_org(const ent_world_t *w, size_t k);
size_t ent_world_nmemberships(const ent_world_t *w);
const ent_membership_t *ent_world_membership(const ent_world_t *w, size_t k);
const char *ent_world_tier_label(const ent_world_t *w, int tier);
const char *ent_tie_kind_name(int k);
void ent_obligations_format(char *buf, size_t n, unsigned obligations);
/* building a world in memory */
ent_err_t ent_world_new(ent_world_t **out);
void ent_state_init(ent_state_t *s);
ent_err_t ent_world_add_state(int64_t *idx, ent_world_t *w, const ent_state_t *s);
ent_err_t ent_world_add_spell(ent_world_t *w, int64_t state, ent_date_t start, ent_date_t end);
ent_err_t ent_world_set_cinc(ent_world_t *w, int64_t state, int year, double cinc);
typedef struct {
    int64_t state;
    ent_date_t entry, exit;
    unsigned obligations;
    bool dormant;
} ent_pact_member_t;
ent_err_t ent_world_add_pact(ent_world_t *w, const ent_pact_member_t *members, size_t n, const char *moniker,
                             const char *source);
ent_err_t ent_world_add_tie(ent_world_t *w, const ent_tie_t *t);
ent_err_t ent_world_finalise(ent_world_t *w);
int64_t ent_world_state_index(const ent_world_t *w, int32_t ccode);
double ent_world_cinc(const ent_world_t *w, size_t i, int year);

/* system */
typedef struct {
    int64_t state;
    ent_date_t date;
    ent_vec_t allies;
    ent_vec_t other_pacts;
    ent_vec_t partnerships;
    ent_vec_t memberships;
    ent_vec_t security;
    ent_vec_t coercion_sent;
    ent_vec_t coercion_received;
    ent_vec_t rivalries;
} ent_pyramid_t;
void ent_pyramid_init(ent_pyramid_t *p);
void ent_pyramid_destroy(ent_pyramid_t *p);
ent_err_t ent_pyramid_build(ent_pyramid_t *p, const ent_world_t *w, int64_t state, ent_date_t date);
ent_err_t ent_system_pact_blocs(int64_t *bloc, size_t *nblocs, const ent_world_t *w, ent_date_t date);

/* measures */
typedef struct {
    double s, sw, kappa, pi, taub;
    double n;
} ent_similarity_t;
typedef struct {
    unsigned version;
    bool squared;
    double dmax;
    int lo, hi;
} ent_similarity_options_t;
ent_err_t ent_similarity_options_init(ent_similarity_options_t *opts, unsigned version);
ent_err_t ent_measure_similarity(ent_similarity_t *out, const int *x, const int *y, const double *w, size_t n,
                                 const ent_similarity_options_t *opts);
typedef struct ent_panel ent_panel_t;
typedef struct {
    unsigned version;
    int from, to;
    bool directed;
    const char *mid_dataset;
    const char *const *columns;
    size_t ncolumns;
    volatile int *cancel;
} ent_panel_options_t;
ent_err_t ent_panel_build(ent_panel_t **out, ent_store_t *db, const ent_panel_options_t *opt);
void ent_panel_free(ent_panel_t *p);
size_t ent_panel_nrows(const ent_panel_t *p);
const int32_t *ent_panel_ccode1(const ent_panel_t *p);
const int32_t *ent_panel_ccode2(const ent_panel_t *p);
const int32_t *ent_panel_year(const ent_panel_t *p);
size_t ent_panel_ncolumns(const ent_panel_t *p);
const char *ent_panel_column_name(const ent_panel_t *p, size_t k);
const double *ent_panel_column_at(const ent_panel_t *p, size_t k);
size_t ent_panel_nnotes(const ent_panel_t *p);
const char *ent_panel_note(const ent_panel_t *p, size_t k);
typedef struct ent_portfolios ent_portfolios_t;
ent_err_t ent_sim_source_parse(int *out, const char *name);
ent_err_t ent_portfolios_load(ent_portfolios_t **out, ent_store_t *st, int source, int from, int to);
ent_err_t ent_portfolios_from_world(ent_portfolios_t **out, const ent_world_t *w, int from, int to, int cinc_back);
void ent_portfolios_free(ent_portfolios_t *p);
const char *ent_portfolios_abbr(const ent_portfolios_t *p, int32_t ccode);
typedef struct {
    int32_t ccode1, ccode2;
    int32_t year;
    unsigned obligations;
    double cinc1, cinc2;
    ent_similarity_t m;
} ent_dyad_year_t;
ent_err_t ent_measure_similarity_year(ent_vec_t *out, const ent_portfolios_t *p, int year, bool directed,
                                      const ent_similarity_options_t *opts);

/* signed networks */
typedef struct {
    int32_t n;
    size_t m;
    int32_t *eu, *ev;
    double *ew;
    char **label;
    size_t ncap, mcap;
    void *index;
} ent_signed_t;
void ent_signed_init(ent_signed_t *g);
void ent_signed_destroy(ent_signed_t *g);
typedef struct {
    int64_t triangles;
    int64_t balanced;
    double fraction;
    double weighted;
} ent_triangle_balance_t;
ent_err_t ent_signed_triangles(ent_triangle_balance_t *out, const ent_signed_t *g);
typedef struct {
    unsigned version;
    double defense;
    double pact;
    double partnership;
    double security;
    double rivalry;
    double coercion;
    bool isolates;
    double nonaggression;
} ent_blocs_network_options_t;
ent_err_t ent_blocs_network_options_init(ent_blocs_network_options_t *opts, unsigned version);
ent_err_t ent_blocs_network(ent_signed_t *g, ent_vec_t *states, const ent_world_t *w, ent_date_t date,
                            const ent_blocs_network_options_t *opts);
ent_err_t ent_signed_node(ent_signed_t *g, const char *label, int32_t *id, bool *added);
ent_err_t ent_signed_edge(ent_signed_t *g, int32_t u, int32_t v, double a, size_t *prev);
void ent_signed_count(const ent_signed_t *g, size_t *pos, size_t *neg);
double ent_partition_cost(const ent_signed_t *g, const int32_t *block);

/* the dyad layer and the weight specs (dyads.h); enums are ints */
typedef struct {
    int64_t a, b;
    unsigned obligations;
    unsigned dormant_obligations;
    int32_t pacts, dormant_pacts;
    int32_t nonagg_parties;
    double tier;
    int32_t partnerships;
    int64_t tier_pole;
    double exercise, arms, basing, security_other;
    int32_t security;
    double arms_ab, arms_ba, basing_ab, basing_ba;
    double rivalry;
    int32_t rivalries;
    int32_t coercion_ab, coercion_ba;
    int32_t economic, diplomatic;
} ent_dyad_t;
typedef struct {
    ent_date_t date;
    size_t nstates;
    int max_tier;
    ent_vec_t dyads;
    ent_vec_t alive;
} ent_dyads_t;
void ent_dyads_init(ent_dyads_t *d);
void ent_dyads_destroy(ent_dyads_t *d);
ent_err_t ent_dyads_build(ent_dyads_t *d, const ent_world_t *w, ent_date_t date);
typedef struct {
    unsigned version;
    double defense, offense, neutrality, nonaggression, consultation, pact_other;
    bool nonaggression_per_party;
    double dormant;
    double partnership;
    int min_tier;
    bool tier_scaled;
    double security, security_level;
    double rivalry, coercion;
    int combine;
    bool isolates;
} ent_signed_spec_t;
ent_signed_spec_t ent_signed_spec_blocs(void);
ent_signed_spec_t ent_signed_spec_balance(int min_tier);
ent_signed_spec_t ent_signed_spec_landscape(void);
ent_err_t ent_signed_spec_check(const ent_signed_spec_t *s);
typedef struct {
    double pact, partnership, security;
    double rivalry, coercion;
    double weight;
} ent_dyad_terms_t;
void ent_dyad_terms(ent_dyad_terms_t *out, const ent_dyad_t *d, int max_tier, const ent_signed_spec_t *s);
ent_err_t ent_signed_from_dyads(ent_signed_t *g, ent_vec_t *states, const ent_dyads_t *d, const ent_world_t *w,
                                const ent_signed_spec_t *s);

/* the partition solver (partition.h): one entry point */
typedef struct {
    double value;
    double bound;
    double gap;
    bool optimal;
    ent_vec_t block;
    double seconds;
    int64_t bb_nodes;
    int32_t components;
    int32_t largest;
    char method[48];
} ent_partition_result_t;
typedef struct {
    uint64_t config;
    double value;
    uint64_t basin;
} ent_local_min_t;
typedef struct {
    unsigned version;
    uint64_t seed;
    int32_t restarts;
    int32_t anneal_runs;
    int32_t anneal_sweeps;
    bool bound;
    volatile int *cancel;
} ent_heuristic_options_t;
ent_err_t ent_heuristic_options_init(ent_heuristic_options_t *opts, unsigned version);
typedef struct {
    unsigned version;
    int method;
    double time_limit;
    uint64_t seed;
    int32_t exhaustive_max;
    bool minima;
    bool basins;
    size_t max_minima;
    size_t max_bytes;
    int threads;
    volatile int *cancel;
    const ent_heuristic_options_t *heuristic;
} ent_solve_options_t;
ent_err_t ent_solve_options_init(ent_solve_options_t *opts, unsigned version);
typedef struct {
    ent_partition_result_t best;
    int used;
    bool enumerated;
    uint64_t configs;
    uint64_t nminima;
    ent_vec_t minima;
    bool basins;
} ent_solve_result_t;
void ent_solve_result_init(ent_solve_result_t *r);
void ent_solve_result_destroy(ent_solve_result_t *r);
const char *ent_solve_method_name(int m);
ent_err_t ent_solve_method_parse(int *out, const char *name);
ent_err_t ent_partition_solve(ent_solve_result_t *res, const ent_signed_t *g, const ent_solve_options_t *opts);
int ent_world_max_tier(const ent_world_t *w);
typedef struct ent_signed_set ent_signed_set_t;
typedef struct {
    unsigned version;
    int year;
    size_t max_edges;
} ent_signed_read_options_t;
ent_err_t ent_signed_read_options_init(ent_signed_read_options_t *opts, unsigned version);
ent_err_t ent_signed_read(ent_signed_set_t **out, const char *path, const ent_signed_read_options_t *opts);
void ent_signed_set_free(ent_signed_set_t *s);
size_t ent_signed_set_count(const ent_signed_set_t *s);
const ent_signed_t *ent_signed_set_graph(const ent_signed_set_t *s, size_t i);
const char *ent_signed_set_name(const ent_signed_set_t *s, size_t i);

/* simulation */
typedef struct {
    double tightening, engagement, inducements, coercion, wedge;
} ent_levers_t;
typedef struct {
    int year;
    int duration;
    int kind;
    int32_t a, b;
    double magnitude;
} ent_shock_t;
typedef struct {
    int32_t ccode;
    double value;
} ent_state_value_t;
typedef struct {
    unsigned version;
    char name[64];
    char description[512];
    int start_year;
    int years;
    int64_t runs;
    uint64_t seed;
    int32_t poles[8];
    int npoles;
    int report_year;
    double growth[8];
    double growth_other;
    double growth_sd;
    ent_state_value_t growth_override[64];
    size_t ngrowth_override;
    double distance_scale_km;
    double presence_weight;
    double threat_reference;
    double encirclement;
    double spiral;
    double norm0[8];
    double ambition[8];
    double threat_tolerance[8];
    double kappa_threat, kappa_ambition, kappa_restore;
    int builder_pacts;
    double norm_weight;
    double ambition_weight;
    double tightening_weight;
    double pact_inertia;
    double beta_security, beta_economy, beta_foreign, beta_regime, beta_coercion, beta_entrapment, beta_autonomy;
    double switching_cost;
    double temperature;
    double finland_distance_km;
    double prior_spread;
    int record;
    double tier_drift;
    ent_levers_t levers[8];
    ent_shock_t shocks[64];
    size_t nshocks;
} ent_scenario_t;
ent_err_t ent_scenario_load(ent_scenario_t *s, const char *path, const ent_world_t *w);
ent_err_t ent_scenario_parse(ent_scenario_t *s, const char *name, const char *text, size_t len,
                             const ent_world_t *w);
const char *ent_scenario_default_dir(void);

typedef struct ent_model ent_model_t;
ent_err_t ent_model_new(ent_model_t **out, const ent_world_t *w, const ent_scenario_t *s);
void ent_model_free(ent_model_t *m);
size_t ent_model_nstates(const ent_model_t *m);
int64_t ent_model_state(const ent_model_t *m, size_t i);

typedef struct {
    unsigned version;
    int threads;
    volatile int *cancel;
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *ctx;
} ent_ensemble_options_t;
ent_err_t ent_ensemble_options_init(ent_ensemble_options_t *opts, unsigned version);
typedef struct ent_ensemble ent_ensemble_t;
ent_err_t ent_ensemble_run(ent_ensemble_t **out, const ent_model_t *m, int64_t first, int64_t count,
                           const ent_ensemble_options_t *opts);
void ent_ensemble_free(ent_ensemble_t *e);
int64_t ent_ensemble_runs(const ent_ensemble_t *e);
typedef struct {
    double p, lo, hi;
    int64_t hits, n;
} ent_prob_t;
ent_prob_t ent_ensemble_p_pacts(const ent_ensemble_t *e, int pole, int k, int year);
ent_prob_t ent_ensemble_p_pact_with(const ent_ensemble_t *e, size_t i, int pole, int year);
ent_prob_t ent_ensemble_p_align(const ent_ensemble_t *e, size_t i, int a, int year);
ent_prob_t ent_ensemble_p_builder(const ent_ensemble_t *e, int pole, int year);
int ent_ensemble_median_cross_year(const ent_ensemble_t *e, int pole);
const char *ent_series_name(int s);
const char *ent_model_series_key(const ent_model_t *m, int s, char *buf, size_t n);
const char *ent_model_pole_code(const ent_model_t *m, int pole);
int ent_model_npoles(const ent_model_t *m);
int ent_model_nseries(const ent_model_t *m);
int ent_series_for_pole(int base, int pole);
double ent_ensemble_quantile(const ent_ensemble_t *e, int s, int year, double q);
double ent_ensemble_mean(const ent_ensemble_t *e, int s, int year);
"""

# Option-struct versions and constants the package uses (include/entente/*.h).
STORE_OPTIONS_VERSION = 1
WORLD_LOAD_OPTIONS_VERSION = 1
SIMILARITY_OPTIONS_VERSION = 1
BLOCS_NETWORK_OPTIONS_VERSION = 2
SIGNED_READ_OPTIONS_VERSION = 1
ENSEMBLE_OPTIONS_VERSION = 1
SERIES_N = 12
ALIGN_N = 6
DATE_MAX = 99991231
PANEL_OPTIONS_VERSION = 1
SIGNED_SPEC_VERSION = 1
SOLVE_OPTIONS_VERSION = 2
HEURISTIC_OPTIONS_VERSION = 1

# The structs above, for the layout check against the C compiler.
STRUCTS = ["ent_vec_t", "ent_store_options_t", "ent_state_t", "ent_tie_t", "ent_org_t", "ent_membership_t",
           "ent_pact_member_t",
           "ent_world_load_options_t", "ent_pyramid_t", "ent_similarity_t", "ent_similarity_options_t",
           "ent_dyad_year_t", "ent_signed_t", "ent_triangle_balance_t", "ent_blocs_network_options_t",
           "ent_signed_read_options_t", "ent_levers_t", "ent_shock_t", "ent_state_value_t", "ent_scenario_t",
           "ent_ensemble_options_t", "ent_prob_t", "ent_panel_options_t", "ent_dyad_t", "ent_dyads_t",
           "ent_signed_spec_t", "ent_dyad_terms_t", "ent_partition_result_t", "ent_local_min_t",
           "ent_heuristic_options_t", "ent_solve_options_t", "ent_solve_result_t"]

ffi = cffi.FFI()
ffi.cdef(CDEF)

# struct -> (its init function, the version these declarations describe)
_INIT = {
    "ent_store_options_t": ("ent_store_options_init", STORE_OPTIONS_VERSION),
    "ent_world_load_options_t": ("ent_world_load_options_init", WORLD_LOAD_OPTIONS_VERSION),
    "ent_similarity_options_t": ("ent_similarity_options_init", SIMILARITY_OPTIONS_VERSION),
    "ent_blocs_network_options_t": ("ent_blocs_network_options_init", BLOCS_NETWORK_OPTIONS_VERSION),
    "ent_signed_read_options_t": ("ent_signed_read_options_init", SIGNED_READ_OPTIONS_VERSION),
    "ent_ensemble_options_t": ("ent_ensemble_options_init", ENSEMBLE_OPTIONS_VERSION),
    "ent_solve_options_t": ("ent_solve_options_init", SOLVE_OPTIONS_VERSION),
    "ent_heuristic_options_t": ("ent_heuristic_options_init", HEURISTIC_OPTIONS_VERSION),
}


def _candidates():
    env = os.environ.get("ENTENTE_LIB")
    if env:
        yield env
        return  # an explicit choice: do not fall back to another library silently
    if shutil.which("pkg-config"):
        try:
            libdir = subprocess.run(["pkg-config", "--variable=libdir", "entente"], capture_output=True,
                                    text=True, check=True, timeout=30).stdout.strip()
        except (subprocess.SubprocessError, OSError):
            libdir = ""
        if libdir:
            for name in ("libentente.so.0", "libentente.so"):
                p = os.path.join(libdir, name)
                if os.path.exists(p):
                    yield os.path.realpath(p)
    found = ctypes.util.find_library("entente")
    if found:
        yield found


def _load():
    tried = []
    for path in _candidates():
        try:
            return ffi.dlopen(path), path
        except OSError as e:
            tried.append(f"{path}: {e}")
    raise ImportError("entente: cannot find libentente.so (set ENTENTE_LIB to its path, or PKG_CONFIG_PATH "
                      "to the prefix's lib/pkgconfig); tried: " + ("; ".join(tried) or "nothing found"))


lib, lib_path = _load()


def options(ctype, **fields):
    """A new options struct with the library's defaults (its ent_*_options_init, which also
    refuses a library whose struct version differs from these declarations), then `fields`."""
    fn, version = _INIT[ctype]
    p = ffi.new(ctype + " *")
    rc = getattr(lib, fn)(p, version)
    if rc != 0:
        raise ImportError(f"entente: {fn}: {ffi.string(lib.ent_errmsg()).decode()} (the package and "
                          f"{lib_path} do not match)")
    for k, v in fields.items():
        setattr(p, k, v)
    return p
