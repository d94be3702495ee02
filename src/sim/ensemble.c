/*
 * ensemble.c -- Monte Carlo ensembles of the alignment model, aggregated as
 * they stream.
 *
 * Every aggregate is an integer count (histograms of each series per year,
 * alignment counts per state and year, pacts reached, the year each pole became an
 * alliance builder), so the
 * result is the same whatever the order in which runs finish: the same seed
 * gives byte-identical output on 1 or 16 threads, and ranks can be merged by
 * adding. The only per-run memory kept is, for each pole, the year it first
 * held k pacts (one byte per state and pole a run): lever effects are paired differences over
 * common random numbers and need it.
 */
#include <assert.h>
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "entente/sim.h"
#include "models/models_int.h"
#include "util_int.h"

#define SHARE_BINS 1001 /* [0, 1] in steps of 0.001 */
/* the enum's series, then four per pole beyond the first two (ent_series_for_pole) */
#define NSERIES_MAX (ENT_SERIES_N + 4 * (ENT_SIM_MAX_POLES - 2))

struct ent_ensemble {
    int years; /* Y: base year + one per step */
    int start_year;
    size_t n;
    size_t np;                            /* poles K */
    size_t pole_state[ENT_SIM_MAX_POLES]; /* each pole's state index: the pole-pair record is its pact_by */
    size_t na;                            /* alignment codes: ENT_ALIGN_CODES(K) */
    int nseries;                          /* ent_model_nseries */
    int64_t first, count, done;
    size_t kmax; /* pacts a pole can hold: the number of states */
    int nb[NSERIES_MAX];
    double width[NSERIES_MAX];
    size_t off[NSERIES_MAX];
    int64_t *hist; /* series histograms: [s][y][bin] at off[s] */
    size_t hist_len;
    int64_t *align;             /* [y][i][na] */
    int64_t *pact_by;           /* [y][i][p]: runs with a pact between i and pole p at some time <= y */
    int64_t *cross_by;          /* [p][y]: runs in which the pole was an alliance builder by y */
    int64_t *cross_hist;        /* [p][Y + 1]: the year it became one, as an offset; index Y = never */
    unsigned char *first_reach; /* [run - first][p][k]: 1 + year offset of first holding >= k pacts; 0 never */
    unsigned char *first_pair;  /* [run - first][p][q]: 1 + year offset of the first p-q pole pact; 0 never */
    unsigned char *done_mask;   /* [run - first]: 1 when the run completed */
    /* the record's rejection step: [0] proposals of the norm draws over the runs, [1 + p] those pole
     * p's own ratio accepted (ent_model_draw_params) */
    int64_t rec[1 + ENT_SIM_MAX_POLES];
};

static const char *const series_names[NSERIES_MAX] = {
    "pacts_pole0",  "pacts_pole1",       "bloc_share_pole0",  "bloc_share_pole1", "bipolarity",   "polarization",
    "hedgers",      "finlandized_pole0", "finlandized_pole1", "norm_pole0",       "norm_pole1",   "frustration",
#define POLE_SERIES(p) "pacts_pole" #p, "bloc_share_pole" #p, "finlandized_pole" #p, "norm_pole" #p
    POLE_SERIES(2), POLE_SERIES(3),      POLE_SERIES(4),      POLE_SERIES(5),     POLE_SERIES(6), POLE_SERIES(7),
#undef POLE_SERIES
};
_Static_assert(ENT_SIM_MAX_POLES == 8, "series_names lists the series of poles 2 to 7");

/* The pole-0 series of the same kind as s (PACTS0, BLOC0, FINLAND0, NORM0), or s itself for a series
 * of the whole system. */
static ent_series_t series_kind(ent_series_t s)
{
    static const ent_series_t kinds[4] = {ENT_SERIES_PACTS0, ENT_SERIES_BLOC0, ENT_SERIES_FINLAND0, ENT_SERIES_NORM0};
    if ((int)s >= ENT_SERIES_N) {
        return kinds[((int)s - ENT_SERIES_N) % 4];
    }
    switch (s) {
    case ENT_SERIES_PACTS1: return ENT_SERIES_PACTS0;
    case ENT_SERIES_BLOC1: return ENT_SERIES_BLOC0;
    case ENT_SERIES_FINLAND1: return ENT_SERIES_FINLAND0;
    case ENT_SERIES_NORM1: return ENT_SERIES_NORM0;
    default: return s;
    }
}

int ent_series_pole(ent_series_t s)
{
    if ((int)s >= ENT_SERIES_N) {
        return (int)s < NSERIES_MAX ? 2 + ((int)s - ENT_SERIES_N) / 4 : -1;
    }
    switch (s) {
    case ENT_SERIES_PACTS0:
    case ENT_SERIES_BLOC0:
    case ENT_SERIES_FINLAND0:
    case ENT_SERIES_NORM0: return 0;
    case ENT_SERIES_PACTS1:
    case ENT_SERIES_BLOC1:
    case ENT_SERIES_FINLAND1:
    case ENT_SERIES_NORM1: return 1;
    default: return -1;
    }
}

ent_series_t ent_series_for_pole(ent_series_t base, int pole)
{
    int k = base == ENT_SERIES_PACTS0     ? 0
            : base == ENT_SERIES_BLOC0    ? 1
            : base == ENT_SERIES_FINLAND0 ? 2
            : base == ENT_SERIES_NORM0    ? 3
                                          : -1;
    if (k < 0 || pole <= 0 || pole >= ENT_SIM_MAX_POLES) {
        return base;
    }
    return pole == 1 ? (ent_series_t)(base + 1) : (ent_series_t)(ENT_SERIES_N + 4 * (pole - 2) + k);
}

int ent_model_nseries(const ent_model_t *m)
{
    return ENT_SERIES_N + 4 * (ent_model_npoles(m) - 2);
}

const char *ent_series_name(ent_series_t s)
{
    return (int)s >= 0 && (int)s < NSERIES_MAX ? series_names[s] : "?";
}

const char *ent_model_series_key(const ent_model_t *m, ent_series_t s, char *buf, size_t n)
{
    if (!buf || n == 0) {
        return buf;
    }
    const char *name = ent_series_name(s);
    const char *at = strstr(name, "pole");
    int p = ent_series_pole(s);
    if (at && p >= 0) {
        /* "pacts_pole1" -> "pacts_CHN": a pole is named by its state code, never by its position */
        snprintf(buf, n, "%.*s%s%s", (int)(at - name), name, ent_model_pole_code(m, p), at + 5);
    } else {
        snprintf(buf, n, "%s", name);
    }
    return buf;
}

const char *ent_model_align_key(const ent_model_t *m, ent_align_t a, char *buf, size_t n)
{
    if (!buf || n == 0) {
        return buf;
    }
    int k = ent_model_npoles(m), c = (int)a;
    if (c >= ENT_ALIGN_WITH(0) && c < ENT_ALIGN_WITH(k)) {
        snprintf(buf, n, "aligned_%s", ent_model_pole_code(m, c - ENT_ALIGN_WITH(0)));
    } else if (c >= ENT_ALIGN_FINLANDIZED(k, 0) && c < ENT_ALIGN_FINLANDIZED(k, k)) {
        snprintf(buf, n, "finlandized_%s", ent_model_pole_code(m, c - ENT_ALIGN_FINLANDIZED(k, 0)));
    } else if (c == ENT_ALIGN_SELF(k)) {
        snprintf(buf, n, "pole");
    } else {
        snprintf(buf, n, "hedge");
    }
    return buf;
}

static bool is_count(ent_series_t s)
{
    ent_series_t k = series_kind(s);
    return k == ENT_SERIES_PACTS0 || k == ENT_SERIES_HEDGERS || k == ENT_SERIES_FINLAND0 || k == ENT_SERIES_FRUSTRATION;
}

void ent_ensemble_free(ent_ensemble_t *e)
{
    if (!e) {
        return;
    }
    ent_free(e->hist);
    ent_free(e->align);
    ent_free(e->pact_by);
    ent_free(e->cross_by);
    ent_free(e->cross_hist);
    ent_free(e->first_reach);
    ent_free(e->first_pair);
    ent_free(e->done_mask);
    ent_free(e);
}

/* An empty accumulator shaped for model m; `runs` > 0 also allocates the per-run arrays. */
static ent_err_t ensemble_new(ent_ensemble_t **out, const ent_model_t *m, int years, int start_year, int64_t first,
                              int64_t runs)
{
    ent_ensemble_t *e = ent_calloc(1, sizeof *e);
    if (!e) {
        return ent_i_nomem();
    }
    e->years = years;
    e->start_year = start_year;
    e->n = ent_model_nstates(m);
    e->first = first;
    e->count = runs;
    e->kmax = e->n;
    e->np = (size_t)ent_model_npoles(m);
    for (size_t p = 0; p < e->np; p++) {
        e->pole_state[p] = ent_model_pole_state(m, (int)p);
    }
    e->na = (size_t)ENT_ALIGN_CODES(e->np);
    e->nseries = ent_model_nseries(m);
    size_t off = 0;
    for (int s = 0; s < e->nseries; s++) {
        if (is_count((ent_series_t)s)) {
            e->nb[s] = s == ENT_SERIES_FRUSTRATION ? (int)(4 * e->n + 1) : (int)(e->n + 1);
            e->width[s] = 1.0;
        } else {
            e->nb[s] = SHARE_BINS;
            e->width[s] = 1.0 / (SHARE_BINS - 1);
        }
        e->off[s] = off;
        off += (size_t)years * (size_t)e->nb[s];
    }
    e->hist_len = off;
    size_t Y = (size_t)years;
    e->hist = ent_calloc(off, sizeof *e->hist);
    e->align = ent_calloc(Y * e->n * e->na, sizeof *e->align);
    e->pact_by = ent_calloc(Y * e->n * e->np, sizeof *e->pact_by);
    e->cross_by = ent_calloc(e->np * Y, sizeof *e->cross_by);
    e->cross_hist = ent_calloc(e->np * (Y + 1), sizeof *e->cross_hist);
    bool ok = e->hist && e->align && e->pact_by && e->cross_by && e->cross_hist;
    if (ok && runs > 0) {
        e->first_reach = ent_calloc((size_t)runs * e->np * (e->kmax + 1), 1);
        e->first_pair = ent_calloc((size_t)runs * e->np * e->np, 1);
        e->done_mask = ent_calloc((size_t)runs, 1);
        ok = e->first_reach && e->first_pair && e->done_mask;
    }
    if (!ok) {
        ent_ensemble_free(e);
        return ent_i_nomem();
    }
    *out = e;
    return ENT_OK;
}

static int bin_of(const ent_ensemble_t *e, ent_series_t s, double v)
{
    double b = is_count(s) ? v : v * (SHARE_BINS - 1);
    long k = lround(b);
    if (k < 0) {
        k = 0;
    }
    if (k >= e->nb[s]) {
        k = e->nb[s] - 1;
    }
    return (int)k;
}

/* Adds one run's trace to accumulator `acc`, and its per-run record to `e` (disjoint slots). */
static void accumulate(ent_ensemble_t *acc, ent_ensemble_t *e, int64_t run, const ent_run_trace_t *t)
{
    size_t n = acc->n, Y = (size_t)acc->years;
    for (size_t y = 0; y < Y; y++) {
        const ent_run_year_t *o = &t->series[y];
        double v[NSERIES_MAX] = {o->npacts[0],      o->npacts[1],    o->bloc_share[0], o->bloc_share[1],
                                 o->bipolarity,     o->polarization, o->hedgers,       o->finlandized[0],
                                 o->finlandized[1], o->norm[0],      o->norm[1],       o->frustration};
        for (size_t p = 2; p < acc->np; p++) {
            double *vp = &v[ENT_SERIES_N + 4 * (p - 2)];
            vp[0] = o->npacts[p];
            vp[1] = o->bloc_share[p];
            vp[2] = o->finlandized[p];
            vp[3] = o->norm[p];
        }
        for (int s = 0; s < acc->nseries; s++) {
            acc->hist[acc->off[s] + y * (size_t)acc->nb[s] + (size_t)bin_of(acc, (ent_series_t)s, v[s])]++;
        }
        for (size_t i = 0; i < n; i++) {
            acc->align[(y * n + i) * acc->na + t->align[y * n + i]]++;
        }
    }
    /* pacts with each pole "by year y": once formed, counted for every later year */
    for (size_t i = 0; i < n; i++) {
        for (size_t p = 0; p < acc->np; p++) {
            size_t y0 = Y;
            for (size_t y = 0; y < Y; y++) {
                if ((t->pact[y * n + i] >> p) & 1) {
                    y0 = y;
                    break;
                }
            }
            for (size_t y = y0; y < Y; y++) {
                acc->pact_by[(y * n + i) * acc->np + p]++;
            }
        }
    }
    unsigned char *fr = &e->first_reach[(size_t)(run - e->first) * e->np * (e->kmax + 1)];
    for (int p = 0; p < (int)e->np; p++) {
        /* the year each count of pacts was first reached, in one pass over the years */
        unsigned char *f = &fr[(size_t)p * (e->kmax + 1)];
        size_t reached = 0;
        f[0] = 1;
        for (size_t y = 0; y < Y; y++) {
            size_t k = (size_t)t->series[y].npacts[p];
            if (k > e->kmax) {
                k = e->kmax;
            }
            while (reached < k) {
                f[++reached] = (unsigned char)(y + 1);
            }
        }
        int cy = t->builder_year[p];
        size_t off = cy ? (size_t)(cy - acc->start_year) : Y;
        if (off > Y) {
            off = Y;
        }
        acc->cross_hist[(size_t)p * (Y + 1) + off]++;
        for (size_t y = off; y < Y; y++) {
            acc->cross_by[(size_t)p * Y + y]++;
        }
    }
    /* the pole-pair record run by run, so that a scenario's effect on it can be paired with its baseline's */
    unsigned char *fp = &e->first_pair[(size_t)(run - e->first) * e->np * e->np];
    for (size_t p = 0; p < e->np; p++) {
        for (size_t q = 0; q < e->np; q++) {
            for (size_t y = 0; p != q && y < Y; y++) {
                if ((t->pact[y * n + e->pole_state[p]] >> q) & 1) {
                    fp[p * e->np + q] = (unsigned char)(y + 1);
                    break;
                }
            }
        }
    }
    acc->rec[0] += t->record_tries;
    for (size_t p = 0; p < acc->np; p++) {
        acc->rec[1 + p] += t->record_pass[p];
    }
    e->done_mask[run - e->first] = 1;
    acc->done++;
}

static void add_counts(ent_ensemble_t *a, const ent_ensemble_t *b)
{
    size_t Y = (size_t)a->years, n = a->n;
    for (size_t k = 0; k < a->hist_len; k++) {
        a->hist[k] += b->hist[k];
    }
    for (size_t k = 0; k < Y * n * a->na; k++) {
        a->align[k] += b->align[k];
    }
    for (size_t k = 0; k < Y * n * a->np; k++) {
        a->pact_by[k] += b->pact_by[k];
    }
    for (size_t k = 0; k < a->np * Y; k++) {
        a->cross_by[k] += b->cross_by[k];
    }
    for (size_t k = 0; k < a->np * (Y + 1); k++) {
        a->cross_hist[k] += b->cross_hist[k];
    }
    for (size_t k = 0; k < 1 + ENT_SIM_MAX_POLES; k++) {
        a->rec[k] += b->rec[k];
    }
    a->done += b->done;
}

/*
 * The runs of an ensemble or a free run, spread over threads: each thread opens its own workspace
 * (`open`), does runs k = 0..count-1 as OpenMP hands them out (`run`), then folds its workspace into the
 * caller's result one thread at a time (`fold`) and closes it (`close`). The first error of any thread
 * (or the cancel flag) stops every thread at its next run; the progress callback is called from
 * thread 0 only. *done receives the runs completed. Every result is a sum over runs, so it does not
 * depend on how the runs fell to threads.
 */
typedef struct {
    ent_err_t (*open)(void *self, void **ws);
    ent_err_t (*run)(void *self, void *ws, int64_t k);
    void (*fold)(void *self, void *ws); /* only when open succeeded */
    void (*close)(void *ws);            /* always; ws may be NULL */
} runner_t;

static ent_err_t run_parallel(const runner_t *r, void *self, int64_t count, const ent_ensemble_options_t *opts,
                              int64_t *done)
{
    int64_t finished = 0;
    int stop = 0; /* read and written atomically */
    ent_err_t shared_rc = ENT_OK;
#ifdef _OPENMP
    /* a num_threads clause, not omp_set_num_threads(): the caller's other parallel regions keep theirs */
    int threads = opts->threads > 0 ? opts->threads : omp_get_max_threads();
    /* each thread holds a workspace of the result's size: more threads than runs would only cost memory */
    if ((int64_t)threads > count) {
        threads = (int)count;
    }
#pragma omp parallel num_threads(threads)
#endif
    {
        void *ws = NULL;
        ent_err_t my = r->open(self, &ws);
        if (my != ENT_OK) {
#ifdef _OPENMP
#pragma omp critical(ent_runs_rc)
#endif
            shared_rc = my;
#ifdef _OPENMP
#pragma omp atomic write
#endif
            stop = 1;
        }
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 4)
#endif
        for (int64_t k = 0; k < count; k++) {
            int halt;
#ifdef _OPENMP
#pragma omp atomic read
#endif
            halt = stop;
            if (halt || (opts->cancel && *opts->cancel)) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
                stop = 1;
                continue;
            }
            ent_err_t e = r->run(self, ws, k);
            if (e != ENT_OK) {
#ifdef _OPENMP
#pragma omp critical(ent_runs_rc)
#endif
                shared_rc = e;
#ifdef _OPENMP
#pragma omp atomic write
#endif
                stop = 1;
                continue;
            }
            int64_t d;
#ifdef _OPENMP
#pragma omp atomic capture
#endif
            d = ++finished;
            if (opts->progress) {
#ifdef _OPENMP
                if (omp_get_thread_num() == 0)
#endif
                {
                    opts->progress(opts->ctx, d, count);
                }
            }
        }
        if (my == ENT_OK) {
#ifdef _OPENMP
#pragma omp critical(ent_runs_fold)
#endif
            r->fold(self, ws);
        }
        r->close(ws);
    }
    *done = finished;
    return shared_rc;
}

/* ent_ensemble_run's runs: a thread's accumulator and trace */
typedef struct {
    const ent_model_t *m;
    ent_ensemble_t *e;
    int years, start_year;
    int64_t first;
    uint64_t seed;
    /* with ent_ensemble_run_freerun: the runs' count of futures per pair, as ent_model_freerun's */
    unsigned *pair_cnt; /* NULL: not counted */
    size_t nn;
    int to;
} ens_job_t;

typedef struct {
    ent_ensemble_t *acc;
    ent_run_trace_t t;
    unsigned *mine;        /* this thread's pair counts (with pair_cnt) */
    unsigned char *formed; /* the pairs the current run tied by `to` */
} ens_ws_t;

static void ens_close(void *ws)
{
    ens_ws_t *w = ws;
    if (w) {
        ent_run_trace_destroy(&w->t);
        ent_ensemble_free(w->acc);
        ent_free(w->mine);
        ent_free(w->formed);
        ent_free(w);
    }
}

static ent_err_t ens_open(void *self, void **ws)
{
    const ens_job_t *j = self;
    ens_ws_t *w = ent_calloc(1, sizeof *w);
    if (!w) {
        return ent_i_nomem();
    }
    *ws = w;
    ent_err_t rc = ensemble_new(&w->acc, j->m, j->years, j->start_year, j->first, 0);
    if (rc == ENT_OK && j->pair_cnt) {
        w->mine = ent_calloc(j->nn, sizeof *w->mine);
        w->formed = ent_malloc(j->nn);
        rc = w->mine && w->formed ? ENT_OK : ent_i_nomem();
    }
    return rc == ENT_OK ? ent_run_trace_init(&w->t, j->m) : rc;
}

static ent_err_t ens_run(void *self, void *ws, int64_t k)
{
    const ens_job_t *j = self;
    ens_ws_t *w = ws;
    if (w->formed) {
        memset(w->formed, 0, j->nn);
    }
    /* recording the pairs tied draws nothing: the run is the one ent_model_run makes */
    ent_err_t rc = ent_i_model_run(&w->t, j->m, j->seed, (uint64_t)(j->first + k), w->formed, j->to);
    if (rc == ENT_OK) {
        accumulate(w->acc, j->e, j->first + k, &w->t);
        for (size_t q = 0; w->formed && q < j->nn; q++) {
            w->mine[q] += w->formed[q];
        }
    }
    return rc;
}

static void ens_fold(void *self, void *ws)
{
    const ens_job_t *j = self;
    const ens_ws_t *w = ws;
    add_counts(j->e, w->acc);
    for (size_t q = 0; w->mine && q < j->nn; q++) {
        j->pair_cnt[q] += w->mine[q];
    }
}

/* ent_ensemble_run, counting each pair's futures by `to` into pair_cnt[n*n] (zeroed) unless it is NULL */
static ent_err_t ensemble_run(ent_ensemble_t **out, const ent_model_t *m, int64_t first, int64_t count,
                              const ent_ensemble_options_t *opts, unsigned *pair_cnt, int to)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_ENSEMBLE_OPTIONS_VERSION);
    ent_ensemble_options_t def = ENT_ENSEMBLE_OPTIONS_INIT;
    if (!opts) {
        opts = &def;
    }
    *out = NULL;
    if (count < 1 || first < 0) {
        return ent_i_err(ENT_EINVAL, "an ensemble needs at least one run (got %lld from %lld)", (long long)count,
                         (long long)first);
    }
    ent_run_trace_t probe;
    ent_err_t rc = ent_run_trace_init(&probe, m);
    if (rc != ENT_OK) {
        return rc;
    }
    size_t n = ent_model_nstates(m);
    ens_job_t j = {
        m,        NULL,  probe.years, ent_i_model_scenario(m)->start_year, first, ent_i_model_scenario(m)->seed,
        pair_cnt, n * n, to};
    ent_run_trace_destroy(&probe);
    if ((rc = ensemble_new(&j.e, m, j.years, j.start_year, first, count)) != ENT_OK) {
        return rc;
    }
    static const runner_t runner = {ens_open, ens_run, ens_fold, ens_close};
    int64_t finished = 0;
    rc = run_parallel(&runner, &j, count, opts, &finished);
    ent_ensemble_t *e = j.e;
    if (opts->progress) {
        opts->progress(opts->ctx, e->done, count);
    }
    if (rc != ENT_OK) {
        ent_ensemble_free(e);
        return rc;
    }
    *out = e;
    if (e->done < count) {
        return ent_i_err(ENT_EINTERRUPTED, "interrupted after %lld of %lld runs", (long long)e->done, (long long)count);
    }
    return ENT_OK;
}

ent_err_t ent_ensemble_run(ent_ensemble_t **out, const ent_model_t *m, int64_t first, int64_t count,
                           const ent_ensemble_options_t *opts)
{
    return ensemble_run(out, m, first, count, opts, NULL, 0);
}

static ent_err_t freerun_check(const ent_model_t *m, int to, int64_t runs)
{
    const ent_scenario_t *s = ent_i_model_scenario(m);
    if (runs < 1 || to <= s->start_year || to > s->start_year + s->years) {
        return ent_i_err(ENT_EINVAL, "alignment free run: %lld runs to %d (need runs > 0 and %d < to <= %d)",
                         (long long)runs, to, s->start_year, s->start_year + s->years);
    }
    return ENT_OK;
}

/* The shares of runs that tied each pair, from the runs' counts; NaN where the base year has a tie. */
static void freerun_shares(double *p_new, const ent_model_t *m, const unsigned *cnt, int64_t runs)
{
    size_t n = ent_model_nstates(m), nn = n * n;
    ent_sysyear_t sys;
    ent_model_pact_system(m, &sys);
    for (size_t q = 0; q < nn; q++) {
        p_new[q] = sys.defence[q] || q / n == q % n ? NAN : (double)cnt[q] / (double)runs;
    }
}

ent_err_t ent_model_freerun(double *p_new, const ent_model_t *m, int to, int64_t runs,
                            const ent_ensemble_options_t *opts)
{
    ent_ensemble_t *e = NULL;
    ent_err_t rc = ent_ensemble_run_freerun(&e, p_new, m, to, runs, opts);
    if (rc == ENT_EINTERRUPTED) {
        rc = ent_i_err(ENT_EINTERRUPTED, "alignment free run: interrupted after %lld of %lld runs",
                       (long long)(e ? ent_ensemble_runs(e) : 0), (long long)runs);
    }
    ent_ensemble_free(e);
    return rc;
}

ent_err_t ent_ensemble_run_freerun(ent_ensemble_t **out, double *p_new, const ent_model_t *m, int to, int64_t runs,
                                   const ent_ensemble_options_t *opts)
{
    *out = NULL;
    ent_err_t rc = freerun_check(m, to, runs);
    if (rc != ENT_OK) {
        return rc;
    }
    size_t n = ent_model_nstates(m);
    unsigned *cnt = ent_calloc(n ? n * n : 1, sizeof *cnt);
    if (!cnt) {
        return ent_i_nomem();
    }
    rc = ensemble_run(out, m, 0, runs, opts, cnt, to);
    if (rc == ENT_OK) {
        freerun_shares(p_new, m, cnt, runs);
    }
    ent_free(cnt);
    return rc;
}

ent_err_t ent_ensemble_merge(ent_ensemble_t *a, const ent_ensemble_t *b)
{
    if (a->years != b->years || a->n != b->n || a->np != b->np || a->start_year != b->start_year ||
        memcmp(a->pole_state, b->pole_state, a->np * sizeof *a->pole_state) != 0) {
        return ent_i_err(ENT_EINVAL, "ensembles of different shapes cannot be merged");
    }
    /* per-run records: b's runs must follow a's, so the merged range stays contiguous */
    if (b->first != a->first + a->count) {
        return ent_i_err(ENT_EINVAL, "ensembles must cover adjacent run ranges to merge");
    }
    size_t per = a->np * (a->kmax + 1);
    unsigned char *fr = ent_realloc(a->first_reach, (size_t)(a->count + b->count) * per);
    if (!fr) {
        return ent_i_nomem();
    }
    a->first_reach = fr;
    size_t pp = a->np * a->np;
    unsigned char *fp = ent_realloc(a->first_pair, (size_t)(a->count + b->count) * pp);
    if (!fp) {
        return ent_i_nomem();
    }
    a->first_pair = fp;
    unsigned char *dm = ent_realloc(a->done_mask, (size_t)(a->count + b->count));
    if (!dm) {
        return ent_i_nomem();
    }
    a->done_mask = dm;
    memcpy(a->first_reach + (size_t)a->count * per, b->first_reach, (size_t)b->count * per);
    memcpy(a->first_pair + (size_t)a->count * pp, b->first_pair, (size_t)b->count * pp);
    memcpy(a->done_mask + a->count, b->done_mask, (size_t)b->count);
    a->count += b->count;
    add_counts(a, b);
    return ENT_OK;
}

int64_t ent_ensemble_runs(const ent_ensemble_t *e)
{
    return e->done;
}

int64_t ent_ensemble_record(const ent_ensemble_t *e, int64_t *pass)
{
    for (size_t p = 0; pass && p < e->np; p++) {
        pass[p] = e->rec[1 + p];
    }
    return e->rec[0];
}

ent_prob_t ent_prob_wilson(int64_t hits, int64_t n)
{
    ent_prob_t r = {0, 0, 1, hits, n};
    if (n <= 0) {
        r.p = NAN;
        return r;
    }
    const double z = 1.959963984540054;
    double ph = (double)hits / (double)n, nn = (double)n;
    double den = 1 + z * z / nn;
    double centre = (ph + z * z / (2 * nn)) / den;
    double half = z / den * sqrt(ph * (1 - ph) / nn + z * z / (4 * nn * nn));
    r.p = ph;
    r.lo = fmax(0.0, centre - half);
    r.hi = fmin(1.0, centre + half);
    return r;
}

/* The year offset of `year`, clamped into the horizon. */
static size_t yoff(const ent_ensemble_t *e, int year)
{
    long o = (long)year - e->start_year;
    if (o < 0) {
        o = 0;
    }
    if (o >= e->years) {
        o = e->years - 1;
    }
    return (size_t)o;
}

ent_prob_t ent_ensemble_p_pacts(const ent_ensemble_t *e, int pole, int k, int year)
{
    assert(pole >= 0 && (size_t)pole < e->np);
    int64_t hits = 0;
    size_t y = yoff(e, year);
    if (k < 0) {
        k = 0;
    }
    if ((size_t)k > e->kmax) {
        return ent_prob_wilson(0, e->done); /* more pacts than there are states */
    }
    for (int64_t r = 0; r < e->count; r++) {
        if (!e->done_mask[r]) {
            continue;
        }
        unsigned char f = e->first_reach[(size_t)r * e->np * (e->kmax + 1) + (size_t)pole * (e->kmax + 1) + (size_t)k];
        hits += f && (size_t)(f - 1) <= y;
    }
    return ent_prob_wilson(hits, e->done);
}

ent_prob_t ent_ensemble_p_pact_with(const ent_ensemble_t *e, size_t i, int pole, int year)
{
    assert(pole >= 0 && (size_t)pole < e->np && i < e->n);
    size_t y = yoff(e, year);
    return ent_prob_wilson(e->pact_by[(y * e->n + i) * e->np + (size_t)pole], e->done);
}

ent_prob_t ent_ensemble_p_pole_pact(const ent_ensemble_t *e, int p, int q, int year)
{
    if (p < 0 || q < 0 || (size_t)p >= e->np || (size_t)q >= e->np || p == q) {
        return ent_prob_wilson(0, e->done);
    }
    /* the run records bit p on pole q's state and bit q on pole p's, in the same years: the order of
     * the pair does not matter */
    return ent_ensemble_p_pact_with(e, e->pole_state[q], p, year);
}

ent_prob_t ent_ensemble_p_align(const ent_ensemble_t *e, size_t i, ent_align_t a, int year)
{
    assert((int)a >= 0 && (size_t)a < e->na && i < e->n);
    size_t y = yoff(e, year);
    return ent_prob_wilson(e->align[(y * e->n + i) * e->na + (size_t)a], e->done);
}

ent_prob_t ent_ensemble_p_builder(const ent_ensemble_t *e, int pole, int year)
{
    assert(pole >= 0 && (size_t)pole < e->np);
    return ent_prob_wilson(e->cross_by[(size_t)pole * (size_t)e->years + yoff(e, year)], e->done);
}

int ent_ensemble_median_cross_year(const ent_ensemble_t *e, int pole)
{
    assert(pole >= 0 && (size_t)pole < e->np);
    size_t Y = (size_t)e->years;
    int64_t cum = 0;
    for (size_t y = 0; y < Y; y++) {
        cum += e->cross_hist[(size_t)pole * (Y + 1) + y];
        if (2 * cum >= e->done && e->done > 0) {
            return e->start_year + (int)y;
        }
    }
    return 0;
}

double ent_ensemble_quantile(const ent_ensemble_t *e, ent_series_t s, int year, double q)
{
    if (e->done == 0 || (int)s < 0 || (int)s >= e->nseries) {
        return NAN;
    }
    const int64_t *h = &e->hist[e->off[s] + yoff(e, year) * (size_t)e->nb[s]];
    /* the smallest value whose cumulative count reaches q of the runs */
    double need = q * (double)e->done;
    int64_t cum = 0;
    for (int b = 0; b < e->nb[s]; b++) {
        cum += h[b];
        if ((double)cum >= need && cum > 0) {
            return b * e->width[s];
        }
    }
    return (e->nb[s] - 1) * e->width[s];
}

double ent_ensemble_mean(const ent_ensemble_t *e, ent_series_t s, int year)
{
    if (e->done == 0 || (int)s < 0 || (int)s >= e->nseries) {
        return NAN;
    }
    const int64_t *h = &e->hist[e->off[s] + yoff(e, year) * (size_t)e->nb[s]];
    int64_t sum = 0;
    for (int b = 0; b < e->nb[s]; b++) {
        sum += (int64_t)b * h[b];
    }
    return (double)sum / (double)e->done * e->width[s];
}

static ent_err_t paired_diff(double *diff, double *lo, double *hi, int64_t n, int64_t n01, int64_t n10);

ent_err_t ent_ensemble_diff_pacts(double *diff, double *lo, double *hi, const ent_ensemble_t *a,
                                  const ent_ensemble_t *b, int pole, int k, int year)
{
    if (a->np != b->np) {
        return ent_i_err(ENT_EINVAL, "a paired difference by pole index needs the same poles in both ensembles");
    }
    return ent_ensemble_diff_pacts_poles(diff, lo, hi, a, pole, b, pole, k, year);
}

ent_err_t ent_ensemble_diff_pacts_poles(double *diff, double *lo, double *hi, const ent_ensemble_t *a, int pole_a,
                                        const ent_ensemble_t *b, int pole_b, int k, int year)
{
    if (a->first != b->first || a->count != b->count || a->years != b->years || a->start_year != b->start_year ||
        a->kmax != b->kmax || pole_a < 0 || (size_t)pole_a >= a->np || pole_b < 0 || (size_t)pole_b >= b->np) {
        return ent_i_err(ENT_EINVAL, "a paired difference needs the same runs in both ensembles");
    }
    if (k < 0 || (size_t)k > a->kmax) {
        *diff = *lo = *hi = 0;
        return ENT_OK; /* never reached in either */
    }
    size_t y = yoff(a, year);
    int64_t n = 0, n01 = 0, n10 = 0;
    for (int64_t r = 0; r < a->count; r++) {
        if (!a->done_mask[r] || !b->done_mask[r]) {
            continue;
        }
        size_t at = (size_t)r * a->np * (a->kmax + 1) + (size_t)pole_a * (a->kmax + 1) + (size_t)k;
        size_t bt = (size_t)r * b->np * (b->kmax + 1) + (size_t)pole_b * (b->kmax + 1) + (size_t)k;
        bool x = a->first_reach[at] && (size_t)(a->first_reach[at] - 1) <= y;
        bool z = b->first_reach[bt] && (size_t)(b->first_reach[bt] - 1) <= y;
        n++;
        n01 += !x && z;
        n10 += x && !z;
    }
    return paired_diff(diff, lo, hi, n, n01, n10);
}

ent_err_t ent_ensemble_diff_pole_pact(double *diff, double *lo, double *hi, const ent_ensemble_t *a, int pa, int qa,
                                      const ent_ensemble_t *b, int pb, int qb, int year)
{
    if (a->first != b->first || a->count != b->count || a->years != b->years || a->start_year != b->start_year ||
        pa < 0 || qa < 0 || (size_t)pa >= a->np || (size_t)qa >= a->np || pa == qa || pb < 0 || qb < 0 ||
        (size_t)pb >= b->np || (size_t)qb >= b->np || pb == qb) {
        return ent_i_err(ENT_EINVAL, "a paired difference needs the same runs in both ensembles and two poles of each");
    }
    size_t y = yoff(a, year);
    int64_t n = 0, n01 = 0, n10 = 0;
    for (int64_t r = 0; r < a->count; r++) {
        if (!a->done_mask[r] || !b->done_mask[r]) {
            continue;
        }
        unsigned char fa = a->first_pair[((size_t)r * a->np + (size_t)pa) * a->np + (size_t)qa];
        unsigned char fb = b->first_pair[((size_t)r * b->np + (size_t)pb) * b->np + (size_t)qb];
        bool x = fa && (size_t)(fa - 1) <= y, z = fb && (size_t)(fb - 1) <= y;
        n++;
        n01 += !x && z;
        n10 += x && !z;
    }
    return paired_diff(diff, lo, hi, n, n01, n10);
}

/* The paired difference of two indicators over n runs (n01 runs with only the second, n10 only the first). */
static ent_err_t paired_diff(double *diff, double *lo, double *hi, int64_t n, int64_t n01, int64_t n10)
{
    if (n == 0) {
        return ent_i_err(ENT_EINVAL, "no completed runs in common");
    }
    double d = (double)(n01 - n10) / (double)n;
    double m2 = (double)(n01 + n10) / (double)n; /* mean of squared paired differences */
    double var = n > 1 ? (m2 - d * d) * (double)n / (double)(n - 1) : 0;
    double half = 1.959963984540054 * sqrt(fmax(var, 0.0) / (double)n);
    *diff = d;
    *lo = d - half;
    *hi = d + half;
    return ENT_OK;
}

/* ------------------------------------------------------------------ serialisation */

#define PACK_MAGIC 0x454e5445u /* "ENTE" */
#define PACK_VERSION 3         /* 2: with the per-run pole-pair record; 3: with the record's acceptance counts */

typedef struct {
    uint32_t magic, version;
    int32_t years, start_year;
    uint64_t n, hist_len;
    int64_t first, count, done;
} pack_header_t;

/* The arrays of an ensemble in a fixed order, with their byte sizes. */
static size_t pack_parts(const ent_ensemble_t *e, void **ptr, size_t *bytes)
{
    size_t Y = (size_t)e->years, n = e->n;
    ptr[0] = e->hist;
    bytes[0] = e->hist_len * sizeof *e->hist;
    ptr[1] = e->align;
    bytes[1] = Y * n * e->na * sizeof *e->align;
    ptr[2] = e->pact_by;
    bytes[2] = Y * n * e->np * sizeof *e->pact_by;
    ptr[3] = e->cross_by;
    bytes[3] = e->np * Y * sizeof *e->cross_by;
    ptr[4] = e->cross_hist;
    bytes[4] = e->np * (Y + 1) * sizeof *e->cross_hist;
    ptr[5] = e->first_reach;
    bytes[5] = (size_t)e->count * e->np * (e->kmax + 1);
    ptr[6] = e->done_mask;
    bytes[6] = (size_t)e->count;
    ptr[7] = e->first_pair;
    bytes[7] = (size_t)e->count * e->np * e->np;
    ptr[8] = (void *)e->rec;
    bytes[8] = sizeof e->rec;
    return 9;
}

ent_err_t ent_ensemble_pack(void **buf, size_t *len, const ent_ensemble_t *e)
{
    void *ptr[9];
    size_t bytes[9], k = pack_parts(e, ptr, bytes), total = sizeof(pack_header_t);
    for (size_t i = 0; i < k; i++) {
        total += bytes[i];
    }
    unsigned char *b = ent_malloc(total);
    if (!b) {
        return ent_i_nomem();
    }
    pack_header_t h = {PACK_MAGIC,  PACK_VERSION, e->years, e->start_year, e->n,
                       e->hist_len, e->first,     e->count, e->done};
    memcpy(b, &h, sizeof h);
    size_t off = sizeof h;
    for (size_t i = 0; i < k; i++) {
        memcpy(b + off, ptr[i], bytes[i]);
        off += bytes[i];
    }
    *buf = b;
    *len = total;
    return ENT_OK;
}

ent_err_t ent_ensemble_unpack(ent_ensemble_t **out, const ent_model_t *m, const void *buf, size_t len)
{
    *out = NULL;
    pack_header_t h;
    if (len < sizeof h) {
        return ent_i_err(ENT_EPARSE, "ensemble buffer too short (%zu bytes)", len);
    }
    memcpy(&h, buf, sizeof h);
    ent_run_trace_t probe;
    ent_err_t rc = ent_run_trace_init(&probe, m);
    if (rc != ENT_OK) {
        return rc;
    }
    int years = probe.years;
    ent_run_trace_destroy(&probe);
    if (h.magic != PACK_MAGIC || h.version != PACK_VERSION || h.years != years || h.n != ent_model_nstates(m) ||
        h.start_year != ent_i_model_scenario(m)->start_year || h.count < 0 || h.first < 0 || h.done < 0 ||
        h.done > h.count) {
        return ent_i_err(ENT_EPARSE, "not an ensemble of this model");
    }
    ent_ensemble_t *e;
    if ((rc = ensemble_new(&e, m, years, h.start_year, h.first, h.count > 0 ? h.count : 0)) != ENT_OK) {
        return rc;
    }
    e->done = h.done;
    void *ptr[9];
    size_t bytes[9], k = pack_parts(e, ptr, bytes), need = sizeof h;
    for (size_t i = 0; i < k; i++) {
        need += bytes[i];
    }
    if (need != len || h.hist_len != e->hist_len) {
        ent_ensemble_free(e);
        return ent_i_err(ENT_EPARSE, "ensemble buffer of %zu bytes, expected %zu", len, need);
    }
    size_t off = sizeof h;
    for (size_t i = 0; i < k; i++) {
        if (bytes[i]) {
            memcpy(ptr[i], (const unsigned char *)buf + off, bytes[i]);
        }
        off += bytes[i];
    }
    *out = e;
    return ENT_OK;
}
