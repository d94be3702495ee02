/*
 * serve_runs.c -- ensemble runs of `entente serve`: a run request (a scenario and its edits,
 * kept in memory: the scenario files are never written) is checked against every parameter's
 * documented range (ent_sim_params) and the server's caps before a thread starts it; the run
 * reports progress, can be cancelled, and keeps its results (the library's entente.ensemble/1
 * report) until evicted. Runs are reachable only by their random id.
 *
 * All use of the simulation API (ent_scenario_*, ent_model_*, ent_ensemble_*) is in this
 * file, so a change of that API is adapted here alone.
 */
#include <errno.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "serve.h"

typedef enum { RUN_FREE = 0, RUN_RUNNING, RUN_DONE, RUN_CANCELLED, RUN_FAILED } run_state_t;

static const char *state_names[] = {"free", "running", "done", "cancelled", "failed"};

typedef struct {
    char id[33];
    run_state_t state;
    bool joinable;
    pthread_t thread;
    _Atomic int64_t done;
    int64_t total;
    volatile sig_atomic_t cancel;
    ent_scenario_t sc, base;
    bool has_base;
    char *result; /* the ensemble report (ent_malloc'd) once done */
    char error[512];
    uint64_t seq; /* start order: the oldest finished run is evicted first */
    struct timespec t0;
    double elapsed;
    serve_t *srv;
} run_t;

struct serve_runs {
    pthread_mutex_t lock;
    run_t slot[SERVE_RUN_SLOTS];
    uint64_t seq;
};

ent_err_t serve_runs_new(serve_runs_t **out)
{
    serve_runs_t *rs = ent_calloc(1, sizeof *rs);
    if (!rs) {
        return ENT_ENOMEM;
    }
    pthread_mutex_init(&rs->lock, NULL);
    *out = rs;
    return ENT_OK;
}

void serve_runs_cancel_all(serve_runs_t *rs)
{
    if (!rs) {
        return;
    }
    pthread_mutex_lock(&rs->lock);
    for (size_t k = 0; k < SERVE_RUN_SLOTS; k++) {
        rs->slot[k].cancel = 1;
    }
    pthread_mutex_unlock(&rs->lock);
}

void serve_runs_free(serve_runs_t *rs)
{
    if (!rs) {
        return;
    }
    serve_runs_cancel_all(rs);
    for (size_t k = 0; k < SERVE_RUN_SLOTS; k++) {
        /* no lock while joining: a finishing run takes it to record its end */
        if (rs->slot[k].joinable) {
            pthread_join(rs->slot[k].thread, NULL);
        }
        ent_free(rs->slot[k].result);
    }
    pthread_mutex_destroy(&rs->lock);
    ent_free(rs);
}

int serve_runs_active(serve_runs_t *rs)
{
    int n = 0;
    pthread_mutex_lock(&rs->lock);
    for (size_t k = 0; k < SERVE_RUN_SLOTS; k++) {
        n += rs->slot[k].state == RUN_RUNNING;
    }
    pthread_mutex_unlock(&rs->lock);
    return n;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* ---------------------------------------------------------------- the run's thread */

typedef struct {
    run_t *run;
    int64_t offset; /* runs already done before this ensemble (the baseline's come first) */
} progress_ctx_t;

static void on_progress(void *ctx, int64_t done, int64_t total)
{
    (void)total;
    progress_ctx_t *p = ctx;
    atomic_store(&p->run->done, p->offset + done);
}

/* Runs one scenario's ensemble into *m, *e. */
static ent_err_t ensemble(ent_model_t **m, ent_ensemble_t **e, run_t *run, const ent_scenario_t *sc, int64_t offset)
{
    ent_err_t rc = ent_model_new(m, run->srv->sim_world, sc);
    if (rc != ENT_OK) {
        return rc;
    }
    progress_ctx_t pc = {run, offset};
    ent_ensemble_options_t eo = ENT_ENSEMBLE_OPTIONS_INIT;
    eo.threads = run->srv->run_threads;
    eo.cancel = &run->cancel;
    eo.progress = on_progress;
    eo.ctx = &pc;
    return ent_ensemble_run(e, *m, 0, sc->runs, &eo);
}

static void *run_main(void *arg)
{
    run_t *run = arg;
    serve_runs_t *rs = run->srv->runs;
    ent_model_t *m = NULL, *bm = NULL;
    ent_ensemble_t *e = NULL, *be = NULL;
    char *text = NULL;
    ent_err_t rc = ENT_OK;
    if (run->has_base) {
        rc = ensemble(&bm, &be, run, &run->base, 0);
    }
    if (rc == ENT_OK) {
        rc = ensemble(&m, &e, run, &run->sc, run->has_base ? run->base.runs : 0);
    }
    if (rc == ENT_OK) {
        rc = ent_report_ensemble(&text, run->srv->sim_world, &run->sc, m, e, run->has_base ? &run->base : NULL, bm, be);
    }
    char msg[512];
    snprintf(msg, sizeof msg, "%s", rc == ENT_OK ? "" : ent_errmsg());
    ent_ensemble_free(e);
    ent_ensemble_free(be);
    ent_model_free(m);
    ent_model_free(bm);
    pthread_mutex_lock(&rs->lock);
    run->elapsed = seconds_since(&run->t0);
    if (rc == ENT_OK) {
        run->result = text;
        run->state = RUN_DONE;
    } else {
        run->state = rc == ENT_EINTERRUPTED ? RUN_CANCELLED : RUN_FAILED;
        snprintf(run->error, sizeof run->error, "%s", rc == ENT_EINTERRUPTED ? "cancelled" : msg);
    }
    pthread_mutex_unlock(&rs->lock);
    return NULL;
}

/* ---------------------------------------------------------------- a run request */

/* The pole index of the state named `key` (abbreviation, COW code, ISO3), or -1. */
static int pole_of(serve_t *s, const ent_scenario_t *sc, const char *key)
{
    int64_t idx;
    if (strlen(key) > 12 || ent_world_find(&idx, s->sim_world, key) != ENT_OK) {
        return -1;
    }
    int32_t cc = ent_world_state(s->sim_world, (size_t)idx)->ccode;
    for (int p = 0; p < sc->npoles; p++) {
        if (sc->poles[p] == cc) {
            return p;
        }
    }
    return -1;
}

/* Checks a number against a parameter's type and range; writes the reason into err. */
static bool param_number(const ent_sim_param_t *p, const json_t *v, const char *where, double *out, char *err, size_t n)
{
    if (!json_is_number(v)) {
        snprintf(err, n, "%s: expected a number", where);
        return false;
    }
    double x = json_number_value(v);
    if (p->type != 'd' && !json_is_integer(v)) {
        snprintf(err, n, "%s: expected an integer", where);
        return false;
    }
    if (!(x >= p->min && x <= p->max)) {
        snprintf(err, n, "%s: %g is outside its documented range [%g, %g]", where, x, p->min, p->max);
        return false;
    }
    *out = x;
    return true;
}

static void param_set(ent_scenario_t *sc, const ent_sim_param_t *p, int pole, double v)
{
    char *at = (char *)sc + p->offset;
    switch (p->type) {
    case 'i': ((int *)at)[pole] = (int)v; break;
    case 'l': ((int64_t *)at)[pole] = (int64_t)v; break;
    case 'u': ((uint64_t *)at)[pole] = (uint64_t)v; break;
    default: ((double *)at)[pole] = v;
    }
}

static const ent_sim_param_t *param_find(const char *key)
{
    for (const ent_sim_param_t *p = ent_sim_params(); p->key; p++) {
        if (strcmp(p->key, key) == 0) {
            return p;
        }
    }
    return NULL;
}

static bool apply_parameters(serve_t *s, ent_scenario_t *sc, json_t *params, char *err, size_t n)
{
    if (!json_is_object(params)) {
        snprintf(err, n, "parameters: expected an object of parameter -> value");
        return false;
    }
    const char *key;
    json_t *v;
    json_object_foreach(params, key, v)
    {
        const ent_sim_param_t *p = param_find(key);
        char where[160];
        snprintf(where, sizeof where, "parameters.%.64s", key);
        if (!p) {
            snprintf(err, n, "%s: no such parameter (GET /api/scenarios/NAME lists them)", where);
            return false;
        }
        if (strcmp(key, "start_year") == 0) {
            snprintf(err, n, "%s: the base year is the shipped world's and cannot change", where);
            return false;
        }
        double x;
        if (!p->per_pole) {
            if (!param_number(p, v, where, &x, err, n)) {
                return false;
            }
            param_set(sc, p, 0, x);
            continue;
        }
        if (!json_is_object(v)) {
            snprintf(err, n, "%s: expected an object of pole -> value", where);
            return false;
        }
        const char *pk;
        json_t *pv;
        json_object_foreach(v, pk, pv)
        {
            char w2[200];
            snprintf(w2, sizeof w2, "%s.%.12s", where, pk);
            int pole = pole_of(s, sc, pk);
            if (pole < 0) {
                snprintf(err, n, "%s: '%.12s' is not a pole of the scenario", w2, pk);
                return false;
            }
            if (!param_number(p, pv, w2, &x, err, n)) {
                return false;
            }
            param_set(sc, p, pole, x);
        }
    }
    return true;
}

static bool apply_levers(serve_t *s, ent_scenario_t *sc, json_t *levers, char *err, size_t n)
{
    static const struct {
        const char *key;
        size_t off;
    } names[] = {{"tightening", offsetof(ent_levers_t, tightening)},
                 {"engagement", offsetof(ent_levers_t, engagement)},
                 {"inducements", offsetof(ent_levers_t, inducements)},
                 {"coercion", offsetof(ent_levers_t, coercion)},
                 {"wedge", offsetof(ent_levers_t, wedge)}};
    if (!json_is_object(levers)) {
        snprintf(err, n, "levers: expected an object of pole -> {lever: value}");
        return false;
    }
    const char *pk;
    json_t *pv;
    json_object_foreach(levers, pk, pv)
    {
        int pole = pole_of(s, sc, pk);
        if (pole < 0) {
            snprintf(err, n, "levers.%.12s: not a pole of the scenario", pk);
            return false;
        }
        if (!json_is_object(pv)) {
            snprintf(err, n, "levers.%.12s: expected an object of lever -> value", pk);
            return false;
        }
        const char *lk;
        json_t *lv;
        json_object_foreach(pv, lk, lv)
        {
            size_t k = 0;
            while (k < 5 && strcmp(names[k].key, lk) != 0) {
                k++;
            }
            if (k == 5) {
                snprintf(err, n,
                         "levers.%.12s.%.40s: no such lever (tightening, engagement, inducements, coercion, wedge)", pk,
                         lk);
                return false;
            }
            double x = json_number_value(lv);
            if (!json_is_number(lv) || !(x >= 0 && x <= 1)) {
                snprintf(err, n, "levers.%.12s.%s: expected a number in [0, 1]", pk, lk);
                return false;
            }
            *(double *)((char *)&sc->levers[pole] + names[k].off) = x;
        }
    }
    return true;
}

/*
 * Parses and checks a run request into sc (and base): every key known, every value of its type
 * and in its documented range, the work within the server's cap. On failure: the status and
 * the reason in err.
 */
static int parse_request(serve_t *s, const char *body, size_t len, ent_scenario_t *sc, ent_scenario_t *base,
                         bool *has_base, char *err, size_t n)
{
    json_error_t je;
    json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    int status = 400;
    if (!o) {
        snprintf(err, n, "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
        return 400;
    }
    const char *key;
    json_t *v, *runs = NULL, *seed = NULL, *params = NULL, *levers = NULL, *bl = NULL;
    const char *name = NULL;
    if (!json_is_object(o)) {
        snprintf(err, n, "expected a JSON object {\"scenario\": NAME, ...}");
        goto done;
    }
    json_object_foreach(o, key, v)
    {
        if (strcmp(key, "scenario") == 0 && json_is_string(v)) {
            name = json_string_value(v);
        } else if (strcmp(key, "runs") == 0) {
            runs = v;
        } else if (strcmp(key, "seed") == 0) {
            seed = v;
        } else if (strcmp(key, "parameters") == 0) {
            params = v;
        } else if (strcmp(key, "levers") == 0) {
            levers = v;
        } else if (strcmp(key, "baseline") == 0) {
            bl = v;
        } else if (strcmp(key, "scenario") == 0) {
            snprintf(err, n, "scenario: expected a scenario's name");
            goto done;
        } else {
            snprintf(err, n, "unknown member '%.40s' (scenario, runs, seed, parameters, levers, baseline)", key);
            goto done;
        }
    }
    if (!name) {
        snprintf(err, n, "scenario: missing (GET /api/scenarios lists them)");
        goto done;
    }
    const ent_scenario_t *found = serve_find_scenario(s, name);
    if (!found) {
        snprintf(err, n, "scenario: no scenario '%.64s'", name);
        status = 404;
        goto done;
    }
    *sc = *found;
    if (params && !apply_parameters(s, sc, params, err, n)) {
        goto done;
    }
    double x;
    if (runs && !param_number(param_find("runs"), runs, "runs", &x, err, n)) {
        goto done;
    }
    if (runs) {
        sc->runs = (int64_t)x;
    }
    if (seed && !param_number(param_find("seed"), seed, "seed", &x, err, n)) {
        goto done;
    }
    if (seed) {
        sc->seed = (uint64_t)json_integer_value(seed);
    }
    if (levers && !apply_levers(s, sc, levers, err, n)) {
        goto done;
    }
    if (sc->report_year < sc->start_year || sc->report_year > sc->start_year + sc->years) {
        snprintf(err, n, "report_year %d is outside the run's years %d-%d", sc->report_year, sc->start_year,
                 sc->start_year + sc->years);
        goto done;
    }
    *has_base = false;
    if (bl && !json_is_null(bl) && !json_is_false(bl)) {
        const ent_scenario_t *b = json_is_string(bl) ? serve_find_scenario(s, json_string_value(bl)) : NULL;
        if (!b) {
            snprintf(err, n, "baseline: expected the name of a scenario, null or false");
            status = json_is_string(bl) ? 404 : 400;
            goto done;
        }
        *base = *b;
        /* the same runs on the same random streams: the difference is the edits' effect, not noise */
        base->runs = sc->runs;
        base->seed = sc->seed;
        base->years = sc->years;
        base->report_year = sc->report_year;
        if (base->start_year != sc->start_year || base->npoles != sc->npoles ||
            memcmp(base->poles, sc->poles, (size_t)sc->npoles * sizeof *sc->poles) != 0) {
            snprintf(err, n, "baseline '%s' has other poles or another base year than '%s'", base->name, sc->name);
            goto done;
        }
        *has_base = true;
    }
    int64_t work = sc->runs * (int64_t)sc->years * (*has_base ? 2 : 1);
    if (work > s->max_work) {
        snprintf(err, n, "runs x years%s = %lld exceeds this server's limit of %lld (fewer runs or years)",
                 *has_base ? " x 2 (with the baseline)" : "", (long long)work, (long long)s->max_work);
        status = 413;
        goto done;
    }
    status = 0;
done:
    json_decref(o);
    return status;
}

static void make_id(char id[33])
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t r = getrandom(b + got, sizeof b - got, 0);
        if (r < 0 && errno != EINTR) {
            break;
        }
        got += r > 0 ? (size_t)r : 0;
    }
    if (got < sizeof b) {
        /* no entropy source: still unique (time and a counter), though guessable */
        static _Atomic uint64_t ctr;
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        uint64_t x = (uint64_t)t.tv_nsec ^ ((uint64_t)t.tv_sec << 30), c = atomic_fetch_add(&ctr, 1);
        memcpy(b, &x, 8);
        memcpy(b + 8, &c, 8);
    }
    for (size_t k = 0; k < sizeof b; k++) {
        snprintf(id + 2 * k, 3, "%02x", b[k]);
    }
}

void serve_runs_start(serve_t *s, const char *body, size_t len, serve_resp_t *r)
{
    char err[512];
    ent_scenario_t sc, base;
    bool has_base = false;
    int status = parse_request(s, body, len, &sc, &base, &has_base, err, sizeof err);
    if (status) {
        serve_error(r, status, "%s", err);
        return;
    }
    serve_runs_t *rs = s->runs;
    pthread_mutex_lock(&rs->lock);
    int active = 0;
    run_t *slot = NULL, *oldest = NULL;
    for (size_t k = 0; k < SERVE_RUN_SLOTS; k++) {
        run_t *x = &rs->slot[k];
        active += x->state == RUN_RUNNING;
        if (x->state == RUN_FREE && !slot) {
            slot = x;
        } else if (x->state != RUN_FREE && x->state != RUN_RUNNING && (!oldest || x->seq < oldest->seq)) {
            oldest = x;
        }
    }
    if (active >= s->max_runs) {
        pthread_mutex_unlock(&rs->lock);
        r->retry_after = 5;
        serve_error(r, 429, "%d runs are running, this server's limit: try again when one has finished", active);
        return;
    }
    if (!slot) {
        slot = oldest; /* finished: its thread has returned or is returning */
    }
    if (!slot) {
        pthread_mutex_unlock(&rs->lock);
        r->retry_after = 5;
        serve_error(r, 429, "every run slot is busy");
        return;
    }
    if (slot->joinable) {
        pthread_join(slot->thread, NULL);
    }
    ent_free(slot->result);
    memset(slot, 0, sizeof *slot);
    make_id(slot->id);
    slot->sc = sc;
    slot->base = base;
    slot->has_base = has_base;
    slot->total = sc.runs * (has_base ? 2 : 1);
    slot->seq = ++rs->seq;
    slot->srv = s;
    slot->state = RUN_RUNNING;
    clock_gettime(CLOCK_MONOTONIC, &slot->t0);
    if (pthread_create(&slot->thread, NULL, run_main, slot) != 0) {
        slot->state = RUN_FREE;
        pthread_mutex_unlock(&rs->lock);
        serve_error(r, 503, "cannot start a thread for the run");
        return;
    }
    slot->joinable = true;
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I}", "id", slot->id, "state", "running", "scenario", sc.name, "runs",
                          (json_int_t)sc.runs, "seed", (json_int_t)sc.seed);
    pthread_mutex_unlock(&rs->lock);
    serve_json_obj(r, 202, o);
}

static run_t *find(serve_runs_t *rs, const char *id)
{
    for (size_t k = 0; k < SERVE_RUN_SLOTS; k++) {
        if (rs->slot[k].state != RUN_FREE && strcmp(rs->slot[k].id, id) == 0) {
            return &rs->slot[k];
        }
    }
    return NULL;
}

void serve_runs_status(serve_t *s, const char *id, serve_resp_t *r)
{
    serve_runs_t *rs = s->runs;
    pthread_mutex_lock(&rs->lock);
    run_t *x = find(rs, id);
    if (!x) {
        pthread_mutex_unlock(&rs->lock);
        serve_error(r, 404, "no such run (finished runs are kept until %d newer ones replace them)", SERVE_RUN_SLOTS);
        return;
    }
    double elapsed = x->state == RUN_RUNNING ? seconds_since(&x->t0) : x->elapsed;
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:f}", "id", x->id, "state", state_names[x->state], "scenario",
                  x->sc.name, "done", (json_int_t)atomic_load(&x->done), "total", (json_int_t)x->total, "runs",
                  (json_int_t)x->sc.runs, "seed", (json_int_t)x->sc.seed, "elapsed_s", elapsed);
    if (o) {
        json_object_set_new(o, "baseline", x->has_base ? json_string(x->base.name) : json_null());
        json_object_set_new(o, "error", x->error[0] ? json_string(x->error) : json_null());
    }
    pthread_mutex_unlock(&rs->lock);
    serve_json_obj(r, 200, o);
}

void serve_runs_result(serve_t *s, const char *id, serve_resp_t *r)
{
    serve_runs_t *rs = s->runs;
    pthread_mutex_lock(&rs->lock);
    run_t *x = find(rs, id);
    char *copy = NULL;
    run_state_t st = x ? x->state : RUN_FREE;
    if (x && st == RUN_DONE) {
        copy = ent_strdup(x->result);
    }
    char error[512];
    snprintf(error, sizeof error, "%s", x ? x->error : "");
    pthread_mutex_unlock(&rs->lock);
    if (!x) {
        serve_error(r, 404, "no such run");
    } else if (st == RUN_RUNNING) {
        serve_error(r, 409, "the run is still running (GET /api/runs/%s for its progress)", id);
    } else if (st != RUN_DONE) {
        serve_error(r, 409, "the run has no results: %s", error);
    } else if (!copy) {
        serve_error(r, 503, "out of memory");
    } else {
        serve_json_text(r, 200, copy);
    }
}

void serve_runs_cancel(serve_t *s, const char *id, serve_resp_t *r)
{
    serve_runs_t *rs = s->runs;
    pthread_mutex_lock(&rs->lock);
    run_t *x = find(rs, id);
    if (x) {
        x->cancel = 1;
    }
    pthread_mutex_unlock(&rs->lock);
    if (!x) {
        serve_error(r, 404, "no such run");
        return;
    }
    /* the status as it is now: "running" until the ensemble notices the flag (within a run) */
    serve_runs_status(s, id, r);
}
