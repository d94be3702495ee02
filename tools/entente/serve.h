/*
 * serve.h -- what the parts of `entente serve` share: the server's read-only state (worlds,
 * scenarios, limits), the request handler that the HTTP layer (cmd_serve.c) and the fuzz
 * target (fuzz/fuzz_serve.c) both call, and the background ensemble runs (serve_runs.c).
 *
 * The handler sees a request as a method, a decoded path, a query lookup and a body: no
 * sockets, so it can be fuzzed and tested without a network. Every JSON document about the
 * alliance system comes from the library's report layer (include/entente/report.h); this
 * code only routes, validates, limits and caches.
 */
#ifndef ENTENTE_SERVE_H
#define ENTENTE_SERVE_H

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "entente.h"

/* Limits (docs/serve.md). Sizes in bytes. */
#define SERVE_MAX_BODY (64 * 1024)    /* a POST body */
#define SERVE_MAX_PATH 256            /* a URL path */
#define SERVE_MAX_SCENARIOS 64        /* scenario files loaded at start */
#define SERVE_CACHE_SLOTS 256         /* cached report documents */
#define SERVE_CACHE_BYTES (48u << 20) /* and their bytes */
#define SERVE_RUN_SLOTS 64            /* runs kept (finished ones are evicted oldest first) */
#define SERVE_MEASURE_JOBS 2          /* slow measures (blocs, balance) computed at once; beyond: 429 */
#define SERVE_MEASURE_TIME_LIMIT 10.0 /* seconds of the frustration index's exact solver per job */
#define SERVE_MEASURE_WALL_LIMIT 300  /* seconds after which a job's child process is killed */

typedef struct serve_runs serve_runs_t;
typedef struct serve_cache serve_cache_t;
typedef struct serve_jobs serve_jobs_t;

typedef struct {
    /* the world shown (the shipped one, or a store's), and the shipped world runs start from */
    const ent_world_t *world;
    const ent_world_t *sim_world;
    char origin[4200];
    ent_date_t as_of, date_min, date_max;
    /* scenarios, loaded once from the scenario directory */
    ent_scenario_t *scenarios;
    char (*scenario_files)[256];
    size_t nscenarios;
    /* limits */
    int max_runs;       /* concurrent ensemble runs; beyond: 429 */
    int64_t max_work;   /* runs x years (x 2 with a baseline) per request */
    int run_threads;    /* OpenMP threads of each ensemble */
    char web_dir[4096]; /* static assets ("" = none) */
    serve_runs_t *runs;
    serve_cache_t *cache;
    serve_jobs_t *jobs; /* slow measures computed in the background (serve_measures.c) */
    /* the library calls igraph (pact blocs) for several reports: igraph is not thread-safe */
    pthread_mutex_t compute_lock;
    /* the blocs' fork server (serve_measures.c): a process forked by serve_init while this one
     * still had one thread, which forks one child per blocs job; its socket, pid and the lock
     * that keeps one request and its answer together */
    int fs_sock;
    pid_t fs_pid;
    pthread_mutex_t fs_lock;
} serve_t;

/* A response: status, content type and a body (ent_malloc'd) or a file to send. */
typedef struct {
    int status;
    const char *content_type;
    char *body;
    size_t len;
    char file[4400]; /* when non-empty: send this file (a static asset) instead of body */
    int retry_after; /* seconds, for 429/503 (0 = no header) */
} serve_resp_t;

/* Looks a query-string argument up (NULL when absent). */
typedef const char *(*serve_arg_fn)(void *ctx, const char *key);

/*
 * Handles one request. `path` is the decoded URL path; `body` may hold '\0' bytes. Always fills
 * r (an error is a JSON {"error": ...} with a 4xx/5xx status); free r->body with ent_free.
 */
void serve_handle(serve_t *s, const char *method, const char *path, serve_arg_fn arg, void *argctx, const char *body,
                  size_t len, serve_resp_t *r);
void serve_resp_free(serve_resp_t *r);

/*
 * Sets up and tears down the shared state that is not the worlds (cache, runs, locks, the blocs'
 * fork server). serve_init forks the fork server: call it after the worlds and the origin are set
 * and before any other thread is started (the HTTP daemon, a run).
 */
ent_err_t serve_init(serve_t *s);
void serve_destroy(serve_t *s);

/* The scenario named `name` (its name: or its file name without .yaml), or NULL. */
const ent_scenario_t *serve_find_scenario(serve_t *s, const char *name);

/* Loads every *.yaml of `dir` (sorted by file name) into s->scenarios. */
ent_err_t serve_load_scenarios(serve_t *s, const char *dir);

/* ---------------------------------------------------------------- runs (serve_runs.c) */

ent_err_t serve_runs_new(serve_runs_t **out);
/* Cancels every run and waits for their threads; then frees. */
void serve_runs_free(serve_runs_t *rs);
void serve_runs_cancel_all(serve_runs_t *rs);

/* POST /api/runs: validates the body, starts the run; fills r (202 with the id, or 4xx/429). */
void serve_runs_start(serve_t *s, const char *body, size_t len, serve_resp_t *r);
/* GET /api/runs/ID, GET /api/runs/ID/result, DELETE /api/runs/ID. */
void serve_runs_status(serve_t *s, const char *id, serve_resp_t *r);
void serve_runs_result(serve_t *s, const char *id, serve_resp_t *r);
void serve_runs_cancel(serve_t *s, const char *id, serve_resp_t *r);
/* The number of runs queued or running. */
int serve_runs_active(serve_runs_t *rs);

/* ---------------------------------------------------------------- measures (serve_measures.c) */

ent_err_t serve_jobs_new(serve_jobs_t **out);
/* Starts the blocs' fork server (called by serve_init) and stops it (serve_destroy). */
ent_err_t serve_forkserver_start(serve_t *s);
void serve_forkserver_stop(serve_t *s);
/* Cancels every measure job and waits for their threads; then frees. */
void serve_jobs_free(serve_jobs_t *js);

/*
 * GET /api/similarity, /api/balance, /api/blocs (and DELETE of the last two: cancels the job of
 * that date). `path` is one of those three; the date is already checked.
 */
void serve_measure(serve_t *s, const char *method, const char *path, ent_date_t date, serve_arg_fn arg, void *argctx,
                   serve_resp_t *r);

/* Helpers shared by the handler files. */
void serve_error(serve_resp_t *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void serve_json_text(serve_resp_t *r, int status, char *text); /* takes ownership of text (ent_malloc'd) */
/* Serialises o (compact, members in order; released, NULL-safe) as the response; 503 without memory. */
void serve_json_obj(serve_resp_t *r, int status, json_t *o);
/* A library error as an HTTP status: the caller's fault (4xx) or ours (5xx). */
int serve_status_of(ent_err_t rc);
/* The report cache: a copy of the document under key (NULL when absent; ent_free it), and a put. */
char *serve_cache_get(serve_cache_t *c, const char *key);
void serve_cache_put(serve_cache_t *c, const char *key, const char *text);

#endif
