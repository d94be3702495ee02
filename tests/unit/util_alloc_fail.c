/*
 * util_alloc_fail.c -- allocation-failure injection through the library's
 * allocation hook (ent_set_allocator): for a few representative calls (loading
 * the shipped world, parsing a scenario, a store's portfolios and the all-dyad
 * similarity of a year, a small ensemble of the alignment model), the call is
 * first run once to count its allocations, then once per allocation with
 * exactly that one failing. Each failed run must return ENT_ENOMEM (never
 * ENT_OK with a silently missing piece, never another code), leave its output
 * NULL/empty, and free everything it allocated: the hook counts live blocks,
 * and the suite's ASan build adds leak and use-after-free checks on top.
 *
 * The sweep covers every allocation index of the call, so every allocation
 * site the call reaches (about 8,700 failure points, some 20 s; more under
 * ASan). ENT_ALLOC_SWEEP_MAX=N limits a call to about N points (its first and
 * last N/4 and an even stride between); ENT_ALLOC_ONLY=k runs only point k.
 */
#include <stdatomic.h>

#include "check.h"
#include "store/store_int.h"
#include "util_int.h"

/* ------------------------------------------------------------ the failing allocator */

typedef struct {
    atomic_llong count;   /* allocations attempted (malloc and realloc) since the last reset */
    atomic_llong fail_at; /* the 1-based attempt that fails; 0: none */
    atomic_llong live;    /* blocks allocated and not yet freed */
    atomic_llong failed;  /* attempts that were made to fail */
} hook_t;

static hook_t H;

static void *h_malloc(size_t n, void *ctx)
{
    (void)ctx;
    long long k = atomic_fetch_add(&H.count, 1) + 1;
    if (k == atomic_load(&H.fail_at)) {
        atomic_fetch_add(&H.failed, 1);
        return NULL;
    }
    void *p = malloc(n);
    if (p) {
        atomic_fetch_add(&H.live, 1);
    }
    return p;
}

static void *h_realloc(void *p, size_t n, void *ctx)
{
    (void)ctx;
    long long k = atomic_fetch_add(&H.count, 1) + 1;
    if (k == atomic_load(&H.fail_at)) {
        atomic_fetch_add(&H.failed, 1);
        return NULL; /* like realloc: p is still valid */
    }
    void *q = realloc(p, n);
    if (q && !p) {
        atomic_fetch_add(&H.live, 1);
    }
    return q;
}

static void h_free(void *p, void *ctx)
{
    (void)ctx;
    if (p) {
        atomic_fetch_sub(&H.live, 1);
        free(p);
    }
}

static void arm(long long fail_at)
{
    atomic_store(&H.count, 0);
    atomic_store(&H.failed, 0);
    atomic_store(&H.fail_at, fail_at);
}

/* ------------------------------------------------------------ the sweep */

/* A call under test: runs into *out (NULL on entry), returns its code; release frees *out (NULL-safe). */
typedef struct {
    const char *name;
    ent_err_t (*call)(void *ctx, void **out);
    void (*release)(void *out);
    void *ctx;
} subject_t;

static long long sweep_max(void)
{
    const char *e = getenv("ENT_ALLOC_SWEEP_MAX");
    return e && *e ? atoll(e) : 0;
}

static void sweep(const subject_t *s)
{
    long long base = atomic_load(&H.live);
    void *out = NULL;
    arm(0);
    ent_err_t rc = s->call(s->ctx, &out);
    long long total = atomic_load(&H.count);
    if (rc != ENT_OK) {
        fprintf(stderr, "%s: the unfailed call returned %s: %s\n", s->name, ent_strerror(rc), ent_errmsg());
        check_failures++;
        return;
    }
    s->release(out);
    CHECK(atomic_load(&H.live) == base);
    CHECK(total > 0);

    /* ENT_ALLOC_ONLY=k reproduces one failure point (under a debugger: break in h_malloc). */
    const char *only_s = getenv("ENT_ALLOC_ONLY");
    long long only = only_s && *only_s ? atoll(only_s) : 0;
    long long max = sweep_max(), edge = max / 4, stride = 1;
    if (max > 0 && total > max) {
        stride = (total - 2 * edge) / (max - 2 * edge) + 1;
    }
    long long swept = 0, bad = 0;
    for (long long k = 1; k <= total; k++) {
        if (only ? k != only : stride > 1 && k > edge && k <= total - edge && (k - edge) % stride != 0) {
            continue;
        }
        out = NULL;
        arm(k);
        rc = s->call(s->ctx, &out);
        long long failed = atomic_load(&H.failed);
        arm(0);
        swept++;
        if (failed != 1) {
            /* the call's allocation pattern changed between runs: it is not deterministic */
            fprintf(stderr, "%s: allocation %lld of %lld was not reached\n", s->name, k, total);
            bad++;
        } else if (rc != ENT_ENOMEM) {
            fprintf(stderr, "%s: allocation %lld of %lld failed, the call returned %s (%s)\n", s->name, k, total,
                    ent_strerror(rc), rc == ENT_OK ? "the failure was swallowed" : ent_errmsg());
            bad++;
        } else if (out) {
            fprintf(stderr, "%s: allocation %lld failed, the call returned ENT_ENOMEM but left an output\n", s->name,
                    k);
            bad++;
        }
        s->release(out);
        if (atomic_load(&H.live) != base) {
            fprintf(stderr, "%s: allocation %lld of %lld failed: %lld block(s) leaked\n", s->name, k, total,
                    atomic_load(&H.live) - base);
            atomic_store(&H.live, base);
            bad++;
        }
        if (bad >= 10) {
            fprintf(stderr, "%s: stopping after 10 failures\n", s->name);
            break;
        }
    }
    check_failures += (int)bad;
    printf("%-28s %7lld allocations, %6lld failure points swept%s: %s\n", s->name, total, swept,
           stride > 1 ? " (first and last quarter + stride)" : "", bad ? "FAILED" : "ENT_ENOMEM, no leak");
}

/* ------------------------------------------------------------ the subjects */

static ent_err_t call_world(void *ctx, void **out)
{
    return ent_world_load_dir((ent_world_t **)out, ctx);
}
static void release_world(void *p)
{
    ent_world_free(p);
}

typedef struct {
    const ent_world_t *w;
    const char *text;
} scen_ctx_t;

static ent_err_t call_scenario(void *ctx, void **out)
{
    scen_ctx_t *c = ctx;
    ent_scenario_t *s = ent_malloc(sizeof *s);
    if (!s) {
        return ENT_ENOMEM;
    }
    ent_err_t rc = ent_scenario_parse(s, "alloc.yaml", c->text, strlen(c->text), c->w);
    if (rc != ENT_OK) {
        ent_free(s);
        return rc;
    }
    *out = s;
    return ENT_OK;
}
static void release_scenario(void *p)
{
    ent_free(p);
}

typedef struct {
    ent_portfolios_t *p;
    ent_vec_t rows;
} sim_out_t;

static void release_similarity(void *o)
{
    sim_out_t *r = o;
    if (r) {
        ent_vec_destroy(&r->rows);
        ent_portfolios_free(r->p);
        ent_free(r);
    }
}

/* Portfolios from the store, then every dyad of 1901, directed and undirected. */
static ent_err_t call_similarity(void *ctx, void **out)
{
    ent_err_t rc = ENT_OK;
    sim_out_t *r = ent_calloc(1, sizeof *r);
    if (!r) {
        return ENT_ENOMEM;
    }
    ent_vec_init(&r->rows, sizeof(ent_dyad_year_t));
    if ((rc = ent_portfolios_load(&r->p, ctx, ENT_SIM_SOURCE_ATOP, 1900, 1901)) != ENT_OK ||
        (rc = ent_measure_similarity_year(&r->rows, r->p, 1901, false, NULL)) != ENT_OK ||
        (rc = ent_measure_similarity_year(&r->rows, r->p, 1901, true, NULL)) != ENT_OK) {
        release_similarity(r);
        return rc;
    }
    *out = r;
    return ENT_OK;
}

/* The world of the small store (its states, spells, CINC and one ATOP pact): the store's loader
 * through the public world builder. */
static ent_err_t call_store_world(void *ctx, void **out)
{
    return ent_store_load_world((ent_world_t **)out, ctx, NULL);
}

/* A world built by hand through every add of the public builder, then finalised. */
static ent_err_t call_builder(void *ctx, void **out)
{
    (void)ctx;
    ent_world_t *w = NULL;
    ent_err_t rc = ent_world_new(&w);
    if (rc != ENT_OK) {
        return rc;
    }
    ent_state_t s;
    ent_state_init(&s);
    int64_t usa, chn, org;
    s.ccode = 2;
    snprintf(s.abbr, sizeof s.abbr, "USA");
    s.name = "United States";
    ENT_CHECK(ent_world_add_state(&usa, w, &s));
    s.ccode = 710;
    snprintf(s.abbr, sizeof s.abbr, "CHN");
    s.name = "China";
    ENT_CHECK(ent_world_add_state(&chn, w, &s));
    ENT_CHECK(ent_world_add_spell(w, chn, 19491001, ENT_DATE_MAX));
    ENT_CHECK(ent_world_set_cinc(w, usa, 2022, 0.12));
    ent_pact_member_t m[2] = {{usa, 19500101, 19600101, ENT_OBL_DEFENSE, false},
                              {chn, 19500101, ENT_DATE_MAX, ENT_OBL_CONSUL, false}};
    ENT_CHECK(ent_world_add_pact(w, m, 2, "a pact", "by hand"));
    ent_tie_t t;
    memset(&t, 0, sizeof t);
    t.a = usa;
    t.b = chn;
    t.kind = ENT_TIE_RIVALRY;
    t.start = 20180101;
    t.end = ENT_DATE_MAX;
    t.moniker = "rivalry";
    t.source = "by hand";
    ENT_CHECK(ent_world_add_tie(w, &t));
    ent_org_t o = {"un", "United Nations", "universal", 19451024, "by hand"};
    ENT_CHECK(ent_world_add_org(&org, w, &o));
    ent_membership_t mb = {org, usa, "member", 19451024, ENT_DATE_MAX, "by hand"};
    ENT_CHECK(ent_world_add_membership(w, &mb));
    int64_t actors[2] = {usa, chn};
    ent_event_t e = {19720221, "visit", actors, 2, "a visit", "by hand"};
    ENT_CHECK(ent_world_add_event(w, &e));
    ENT_CHECK(ent_world_set_tier_label(w, 1, "Partnership"));
    ENT_CHECK(ent_world_finalise(w));
done:
    if (rc != ENT_OK) {
        ent_world_free(w);
        return rc;
    }
    *out = w;
    return ENT_OK;
}

/* Portfolios of the shipped world's pacts in 2024, then every dyad. */
static ent_err_t call_world_similarity(void *ctx, void **out)
{
    ent_err_t rc;
    sim_out_t *r = ent_calloc(1, sizeof *r);
    if (!r) {
        return ENT_ENOMEM;
    }
    ent_vec_init(&r->rows, sizeof(ent_dyad_year_t));
    if ((rc = ent_portfolios_from_world(&r->p, ctx, 2024, 2024, 10)) != ENT_OK ||
        (rc = ent_measure_similarity_year(&r->rows, r->p, 2024, false, NULL)) != ENT_OK) {
        release_similarity(r);
        return rc;
    }
    *out = r;
    return ENT_OK;
}

typedef struct {
    const ent_world_t *w;
    ent_scenario_t s;
} ens_ctx_t;

typedef struct {
    ent_model_t *m;
    ent_ensemble_t *e;
} ens_out_t;

static void release_ensemble(void *o)
{
    ens_out_t *r = o;
    if (r) {
        ent_ensemble_free(r->e);
        ent_model_free(r->m);
        ent_free(r);
    }
}

/* A model of the shipped world and an ensemble of a few short runs on one thread. */
static ent_err_t call_ensemble(void *ctx, void **out)
{
    ens_ctx_t *c = ctx;
    ent_err_t rc;
    ens_out_t *r = ent_calloc(1, sizeof *r);
    if (!r) {
        return ENT_ENOMEM;
    }
    ent_ensemble_options_t o = ENT_ENSEMBLE_OPTIONS_INIT;
    o.threads = 1;
    if ((rc = ent_model_new(&r->m, c->w, &c->s)) != ENT_OK ||
        (rc = ent_ensemble_run(&r->e, r->m, 0, c->s.runs, &o)) != ENT_OK) {
        release_ensemble(r);
        return rc;
    }
    *out = r;
    return ENT_OK;
}

/* ------------------------------------------------------------ fixtures */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void import(ent_store_t *st, const char *fmt, const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_file(path, text);
    ent_import_result_t res;
    CHECK_OK(ent_import(&res, st, fmt, path, NULL));
}

/* Four states in 1900-1901 with ATOP obligations (as in measures_similarity.c). */
static ent_store_t *small_store(void)
{
    const char *tmp = getenv("ENT_TMP");
    char dir[1024], db[1100];
    snprintf(dir, sizeof dir, "%s", tmp && *tmp ? tmp : "/tmp");
    snprintf(db, sizeof db, "%s/util_alloc_fail.db", dir);
    remove(db);
    ent_store_t *st = NULL;
    CHECK_OK(ent_store_open(&st, db, NULL));
    if (!st) {
        return NULL;
    }
    import(st, "cow-states", dir, "af_states.csv",
           "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
           "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
           "UKG,200,United Kingdom,1816,1,1,2016,12,31,2016\n"
           "FRN,220,France,1816,1,1,2016,12,31,2016\n"
           "RUS,365,Russia,1901,1,1,2016,12,31,2016\n");
    import(st, "cow-system", dir, "af_system.csv",
           "stateabb,ccode,year,version\n"
           "USA,2,1900,2016\nUKG,200,1900,2016\nFRN,220,1900,2016\n"
           "USA,2,1901,2016\nUKG,200,1901,2016\nFRN,220,1901,2016\nRUS,365,1901,2016\n");
    import(st, "cow-nmc", dir, "af_nmc.csv",
           "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
           "2,1900,1,1,1,1,1,1,0.2\n200,1900,1,1,1,1,1,1,0.2\n220,1900,1,1,1,1,1,1,0.1\n"
           "2,1901,1,1,1,1,1,1,0.2\n200,1901,1,1,1,1,1,1,0.2\n220,1901,1,1,1,1,1,1,0.1\n"
           "365,1901,1,1,1,1,1,1,0.1\n");
    import(st, "atop-dyad-year", dir, "af_atop.csv",
           "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
           "2,200,1900,1,0,0,0,0\n2,200,1901,1,0,0,0,0\n"
           "200,2,1900,1,0,0,0,0\n200,2,1901,1,0,0,0,0\n"
           "200,220,1901,0,0,1,0,0\n"
           "220,365,1901,0,0,0,1,0\n"
           "365,220,1901,0,0,0,1,0\n");
    /* one ATOP pact with its members, for the store's world loader */
    CHECK(ent_i_store_exec(st, "INSERT INTO pacts(pact_id,dataset,ext_id,name,start_date,end_date,defense,source) "
                               "VALUES (1,'atop','1','USA-UKG',19000101,NULL,1,'fixture');"
                               "INSERT INTO pact_members(pact_id,ccode,entry_date,exit_date,defense,source) VALUES "
                               "(1,2,19000101,NULL,1,'f'),(1,200,19000101,NULL,1,'f');") == ENT_OK);
    return st;
}

static const char scenario_text[] = "name: alloc\n"
                                    "description: allocation-failure sweep\n"
                                    "poles: [USA, CHN]\n"
                                    "start_year: 2024\n"
                                    "years: 3\n"
                                    "runs: 3\n"
                                    "seed: 11\n"
                                    "report_year: 2026\n"
                                    "parameters:\n"
                                    "  norm0: {USA: 0.05, CHN: 0.85}\n"
                                    "levers:\n"
                                    "  CHN: {tightening: 0.1, engagement: 0.6, coercion: 0.5}\n";

int main(void)
{
    /* The shipped world lives in the repository (data/), so this test needs no dataset. */
    const char *dir = ent_world_default_dir();
    ent_world_t *w = NULL;
    if (ent_world_load_dir(&w, dir) != ENT_OK) {
        fprintf(stderr, "cannot load the shipped world %s: %s\n", dir, ent_errmsg());
        return 1;
    }
    ent_store_t *st = small_store();

    ent_allocator_t a = {h_malloc, h_realloc, h_free, NULL};
    ent_set_allocator(&a);
    /* blocks from before the hook was set are freed by free() through the hook: count from 0 */

    subject_t world = {"ent_world_load_dir", call_world, release_world, (void *)dir};
    sweep(&world);

    scen_ctx_t sc = {w, scenario_text};
    subject_t scen = {"ent_scenario_parse", call_scenario, release_scenario, &sc};
    sweep(&scen);

    if (st) {
        subject_t simy = {"portfolios + similarity_year", call_similarity, release_similarity, st};
        sweep(&simy);
    }
    if (st) {
        subject_t sw = {"ent_store_load_world", call_store_world, release_world, st};
        sweep(&sw);
    }
    subject_t bw = {"the public world builder", call_builder, release_world, NULL};
    sweep(&bw);
    subject_t ws = {"portfolios_from_world (2024)", call_world_similarity, release_similarity, w};
    sweep(&ws);

    ens_ctx_t ec = {w, {0}};
    void *parsed = NULL;
    CHECK_OK(call_scenario(&sc, &parsed));
    if (parsed) {
        ec.s = *(ent_scenario_t *)parsed;
        release_scenario(parsed);
        subject_t ens = {"model_new + ensemble_run", call_ensemble, release_ensemble, &ec};
        sweep(&ens);
    }

    ent_set_allocator(NULL);
    ent_store_close(st);
    ent_world_free(w);
    return CHECK_DONE();
}
