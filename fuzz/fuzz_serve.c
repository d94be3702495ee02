/*
 * fuzz_serve.c -- libFuzzer target for the request handling of `entente serve`
 * (tools/entente/serve_api.c, serve_runs.c, serve_measures.c): the input is one request, its first line
 * "METHOD PATH[?QUERY]" and the rest its body, handed to serve_handle() as libmicrohttpd
 * would (decoded path, query arguments, body bytes) on the shipped world and scenarios.
 *
 * Besides crashes, leaks and UB (ASan/UBSan), the target abort()s when the handler breaks
 * one of its promises:
 *   - the status is 200, 202 or an error status (400..599); never anything else;
 *   - a body is valid JSON, and an error's body is an object with an "error" string;
 *   - a file to send is a regular file inside the web folder, and only with status 200;
 *   - a run request is accepted (202) only within the server's caps.
 * Runs are capped to a few runs of work so the target stays fast; a started run is
 * cancelled and joined before the next input, and so is a measure computing in the background
 * (GET /api/blocs, /api/balance).
 */
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

static serve_t srv;
static ent_world_t *world;

static void must(int cond, const char *what, const serve_resp_t *r)
{
    if (!cond) {
        fprintf(stderr, "fuzz_serve: broken promise: %s (status %d, body %.200s)\n", what, r->status,
                r->body ? r->body : "(none)");
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (ent_world_load_dir(&world, ENT_FUZZ_WORLD_DIR) != ENT_OK) {
        fprintf(stderr, "fuzz_serve: cannot load the shipped world: %s\n", ent_errmsg());
        abort();
    }
    srv.world = srv.sim_world = world;
    snprintf(srv.origin, sizeof srv.origin, "shipped world %s", ENT_FUZZ_WORLD_DIR);
    srv.as_of = ent_world_as_of(world);
    srv.date_min = 18160101;
    srv.date_max = srv.as_of;
    srv.max_runs = 1;
    srv.max_work = 120; /* four runs of a 30-year scenario */
    srv.run_threads = 1;
    snprintf(srv.web_dir, sizeof srv.web_dir, "%s", ENT_FUZZ_WEB_DIR);
    if (serve_init(&srv) != ENT_OK || serve_load_scenarios(&srv, ENT_FUZZ_SCENARIO_DIR) != ENT_OK) {
        abort();
    }
    return 0;
}

/* The query as key=value pairs separated by '&' (libmicrohttpd hands them over decoded). */
typedef struct {
    char buf[1024];
    const char *key[16], *value[16];
    int n;
} query_t;

static const char *lookup(void *ctx, const char *key)
{
    query_t *q = ctx;
    for (int k = 0; k < q->n; k++) {
        if (strcmp(q->key[k], key) == 0) {
            return q->value[k];
        }
    }
    return NULL;
}

static void parse_query(query_t *q, const char *s)
{
    snprintf(q->buf, sizeof q->buf, "%s", s);
    q->n = 0;
    char *save = NULL;
    for (char *t = strtok_r(q->buf, "&", &save); t && q->n < 16; t = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(t, '=');
        if (eq) {
            *eq = '\0';
        }
        q->key[q->n] = t;
        q->value[q->n] = eq ? eq + 1 : "";
        q->n++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t line = nl ? (size_t)(nl - data) : size;
    if (line > 600) {
        return 0;
    }
    char first[601];
    memcpy(first, data, line);
    first[line] = '\0';
    if (strlen(first) != line) {
        return 0; /* a NUL in the request line: libmicrohttpd never passes one */
    }
    char *sp = strchr(first, ' ');
    if (!sp) {
        return 0;
    }
    *sp = '\0';
    char *path = sp + 1, *qm = strchr(path, '?');
    query_t q;
    parse_query(&q, qm ? qm + 1 : "");
    if (qm) {
        *qm = '\0';
    }
    const char *body = nl ? (const char *)nl + 1 : "";
    size_t len = nl ? size - line - 1 : 0;
    if (len > SERVE_MAX_BODY) {
        return 0; /* the HTTP layer answers 413 before the handler */
    }
    serve_resp_t r;
    serve_handle(&srv, first, path, lookup, &q, body, len, &r);
    must(r.status == 200 || r.status == 202 || (r.status >= 400 && r.status <= 599), "status", &r);
    if (r.file[0]) {
        char root[PATH_MAX], file[PATH_MAX];
        must(r.status == 200 && !r.body, "a file only with 200", &r);
        must(realpath(srv.web_dir, root) && realpath(r.file, file), "the file exists", &r);
        must(strncmp(root, file, strlen(root)) == 0 && file[strlen(root)] == '/', "the file is inside web/", &r);
    } else if (r.body) {
        json_error_t je;
        json_t *v = json_loadb(r.body, r.len, 0, &je);
        must(v != NULL, "the body is JSON", &r);
        if (r.status >= 400) {
            must(json_is_string(json_object_get(v, "error")), "an error has a message", &r);
        }
        json_decref(v);
    } else {
        must(r.status == 503, "no body only when out of memory", &r);
    }
    if (r.status == 202 && strstr(r.body, "\"measure\"")) {
        /* a measure computing in the background: cancel it and wait before the next input */
        serve_jobs_free(srv.jobs);
        srv.jobs = NULL;
        must(serve_jobs_new(&srv.jobs) == ENT_OK, "a new job table", &r);
    } else if (r.status == 202) {
        /* a run started: within the cap (years >= 1, so runs <= runs x years <= max_work) */
        json_t *v = json_loadb(r.body, r.len, 0, NULL);
        json_int_t runs = json_integer_value(json_object_get(v, "runs"));
        json_decref(v);
        must(runs >= 1 && runs <= srv.max_work, "a run within the caps", &r);
        /* stop it before the next input */
        serve_runs_free(srv.runs);
        srv.runs = NULL;
        must(serve_runs_new(&srv.runs) == ENT_OK, "a new run table", &r);
    }
    serve_resp_free(&r);
    return 0;
}
