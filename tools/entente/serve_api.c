/*
 * serve_api.c -- the request handler of `entente serve`: routes a request to a report of the
 * library, checks its arguments, caches the documents (the worlds never change while the
 * server runs) and maps static paths to files of the web folder without leaving it.
 * No sockets here: cmd_serve.c feeds it from libmicrohttpd, fuzz/fuzz_serve.c from bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "serve.h"

/* ---------------------------------------------------------------- responses */

void serve_resp_free(serve_resp_t *r)
{
    ent_free(r->body);
    r->body = NULL;
}

void serve_json_text(serve_resp_t *r, int status, char *text)
{
    r->status = status;
    r->content_type = "application/json";
    r->body = text;
    r->len = text ? strlen(text) : 0;
}

void serve_json_obj(serve_resp_t *r, int status, json_t *o)
{
    char *t = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    char *copy = t ? ent_strdup(t) : NULL;
    free(t);
    if (!copy) {
        serve_error(r, 503, "out of memory");
        return;
    }
    serve_json_text(r, status, copy);
}

void serve_error(serve_resp_t *r, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_pack("{s:s, s:i}", "error", msg, "status", status);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    ent_free(r->body);
    r->body = NULL;
    if (s) {
        r->body = ent_strdup(s);
        free(s);
    }
    if (!r->body) {
        /* out of memory: a fixed body, copied so the caller frees it like any other */
        status = 503;
        r->body = NULL;
    }
    r->status = status;
    r->content_type = "application/json";
    r->len = r->body ? strlen(r->body) : 0;
}

/* A library error as an HTTP status: the caller's fault (4xx) or ours (5xx). */
int serve_status_of(ent_err_t rc)
{
    switch (rc) {
    case ENT_EINVAL:
    case ENT_EPARSE:
    case ENT_ERANGE: return 400;
    case ENT_ENOTFOUND: return 404;
    case ENT_ELIMIT: return 413;
    case ENT_ENOMEM: return 503;
    default: return 500;
    }
}

/* ---------------------------------------------------------------- the cache */

typedef struct {
    char key[96];
    char *text;
    size_t len;
} slot_t;

struct serve_cache {
    pthread_rwlock_t lock;
    slot_t slots[SERVE_CACHE_SLOTS];
    size_t next;  /* FIFO replacement: a timeline sweep asks for dates in order, rarely twice */
    size_t bytes; /* held in all slots: at most SERVE_CACHE_BYTES, so a sweep of every date of
                   * a store (a network is up to a megabyte) cannot grow the server without bound */
};

/* A copy of the cached document under key, or NULL. */
char *serve_cache_get(serve_cache_t *c, const char *key)
{
    char *copy = NULL;
    pthread_rwlock_rdlock(&c->lock);
    for (size_t k = 0; k < SERVE_CACHE_SLOTS; k++) {
        if (c->slots[k].text && strcmp(c->slots[k].key, key) == 0) {
            copy = ent_strdup(c->slots[k].text);
            break;
        }
    }
    pthread_rwlock_unlock(&c->lock);
    return copy;
}

void serve_cache_put(serve_cache_t *c, const char *key, const char *text)
{
    char *copy = ent_strdup(text);
    if (!copy) {
        return; /* not cached: the next request computes it again */
    }
    pthread_rwlock_wrlock(&c->lock);
    for (size_t k = 0; k < SERVE_CACHE_SLOTS; k++) {
        if (c->slots[k].text && strcmp(c->slots[k].key, key) == 0) {
            /* another thread computed it meanwhile */
            pthread_rwlock_unlock(&c->lock);
            ent_free(copy);
            return;
        }
    }
    size_t len = strlen(copy);
    if (len > SERVE_CACHE_BYTES / 4) {
        /* too big to keep: computed again when asked again */
        pthread_rwlock_unlock(&c->lock);
        ent_free(copy);
        return;
    }
    /* free the oldest slots until the new document fits, then take the next one */
    for (size_t k = 0; k < SERVE_CACHE_SLOTS && c->bytes + len > SERVE_CACHE_BYTES; k++) {
        slot_t *old = &c->slots[(c->next + k) % SERVE_CACHE_SLOTS];
        c->bytes -= old->text ? old->len : 0;
        ent_free(old->text);
        old->text = NULL;
    }
    slot_t *s = &c->slots[c->next];
    c->next = (c->next + 1) % SERVE_CACHE_SLOTS;
    c->bytes -= s->text ? s->len : 0;
    ent_free(s->text);
    snprintf(s->key, sizeof s->key, "%s", key);
    s->text = copy;
    s->len = len;
    c->bytes += len;
    pthread_rwlock_unlock(&c->lock);
}

ent_err_t serve_init(serve_t *s)
{
    s->cache = ent_calloc(1, sizeof *s->cache);
    if (!s->cache) {
        return ENT_ENOMEM;
    }
    pthread_rwlock_init(&s->cache->lock, NULL);
    pthread_mutex_init(&s->compute_lock, NULL);
    pthread_mutex_init(&s->fs_lock, NULL);
    s->fs_sock = -1;
    /* first, while this process has one thread: the fork server is a copy of it */
    ent_err_t rc = serve_forkserver_start(s);
    if (rc == ENT_OK) {
        rc = serve_jobs_new(&s->jobs);
    }
    return rc == ENT_OK ? serve_runs_new(&s->runs) : rc;
}

void serve_destroy(serve_t *s)
{
    serve_runs_free(s->runs);
    s->runs = NULL;
    serve_jobs_free(s->jobs); /* before the lock its threads take goes */
    s->jobs = NULL;
    serve_forkserver_stop(s);
    if (s->cache) {
        for (size_t k = 0; k < SERVE_CACHE_SLOTS; k++) {
            ent_free(s->cache->slots[k].text);
        }
        pthread_rwlock_destroy(&s->cache->lock);
        ent_free(s->cache);
        s->cache = NULL;
        pthread_mutex_destroy(&s->compute_lock);
        pthread_mutex_destroy(&s->fs_lock);
    }
    ent_free(s->scenarios);
    ent_free(s->scenario_files);
    s->scenarios = NULL;
    s->scenario_files = NULL;
}

/* ---------------------------------------------------------------- scenarios */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ent_err_t serve_load_scenarios(serve_t *s, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "entente serve: no scenarios: %s: %s\n", dir, strerror(errno));
        return ENT_OK; /* the explorer still shows the world */
    }
    char *names[SERVE_MAX_SCENARIOS];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < SERVE_MAX_SCENARIOS) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] != '.' && len > 5 && len < 200 && strcmp(e->d_name + len - 5, ".yaml") == 0) {
            if (!(names[n] = ent_strdup(e->d_name))) {
                break;
            }
            n++;
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    s->scenarios = ent_calloc(n ? n : 1, sizeof *s->scenarios);
    s->scenario_files = ent_calloc(n ? n : 1, sizeof *s->scenario_files);
    ent_err_t rc = s->scenarios && s->scenario_files ? ENT_OK : ENT_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        if (rc == ENT_OK) {
            ent_err_t lr = ent_scenario_load(&s->scenarios[s->nscenarios], path, s->sim_world);
            if (lr == ENT_OK) {
                snprintf(s->scenario_files[s->nscenarios], sizeof s->scenario_files[0], "%s", names[k]);
                s->nscenarios++;
            } else {
                fprintf(stderr, "entente serve: skipping scenario %s: %s\n", path, ent_errmsg());
            }
        }
        ent_free(names[k]);
    }
    return rc;
}

/* ---------------------------------------------------------------- arguments */

/* The date argument: YYYY or YYYY-MM-DD (a year means its last day), else the world's as-of date. */
static bool get_date(serve_t *s, serve_arg_fn arg, void *ctx, ent_date_t *out, serve_resp_t *r)
{
    const char *d = arg(ctx, "date");
    if (!d || !*d) {
        *out = s->as_of;
        return true;
    }
    size_t n = strlen(d);
    bool shape = (n == 4 || n == 10) && strspn(d, "0123456789-") == n;
    if (!shape || ent_date_parse(out, d, true) != ENT_OK) {
        serve_error(r, 400, "date: expected YYYY or YYYY-MM-DD, got '%.40s'", d);
        return false;
    }
    if (*out < s->date_min || *out > s->date_max) {
        char lo[11], hi[11];
        ent_date_format(lo, s->date_min);
        ent_date_format(hi, s->date_max);
        serve_error(r, 404, "date: %.40s is outside the world's dates (%s to %s)", d, lo, hi);
        return false;
    }
    return true;
}

/* The network's tie kinds: a comma-separated list of kind names, or none for the default. */
static bool get_kinds(serve_arg_fn arg, void *ctx, unsigned *out, serve_resp_t *r)
{
    const char *k = arg(ctx, "kinds");
    *out = 0;
    if (!k || !*k) {
        return true;
    }
    if (strlen(k) > 120) {
        serve_error(r, 400, "kinds: too long");
        return false;
    }
    char buf[128];
    snprintf(buf, sizeof buf, "%s", k);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        ent_tie_kind_t kind;
        if (ent_tie_kind_parse(&kind, t) != ENT_OK) {
            serve_error(r, 400,
                        "kinds: unknown tie kind '%.40s' (coercion, rivalry, economic, diplomatic, "
                        "partnership, security, pact)",
                        t);
            return false;
        }
        *out |= 1u << kind;
    }
    if (!*out) {
        serve_error(r, 400, "kinds: no tie kind given");
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- the reports */

typedef enum { REP_WORLD, REP_STATE, REP_MAP, REP_NETWORK, REP_POLARIZATION } rep_t;

/* Serves a report of the shown world on a date, from the cache or computed under the lock. */
static void report(serve_t *s, rep_t kind, ent_date_t date, int64_t state, unsigned kinds, serve_resp_t *r)
{
    char key[96];
    snprintf(key, sizeof key, "%d|%d|%lld|%u", (int)kind, (int)date, (long long)state, kinds);
    char *text = serve_cache_get(s->cache, key);
    if (text) {
        serve_json_text(r, 200, text);
        return;
    }
    ent_err_t rc;
    pthread_mutex_lock(&s->compute_lock);
    switch (kind) {
    case REP_WORLD: rc = ent_report_world(&text, s->world, date, s->origin); break;
    case REP_STATE: rc = ent_report_state(&text, s->world, state, date); break;
    case REP_MAP: rc = ent_report_map(&text, s->world, date); break;
    case REP_NETWORK: rc = ent_report_network(&text, s->world, date, kinds); break;
    default: rc = ent_report_polarization(&text, s->world, date); break;
    }
    char msg[512];
    snprintf(msg, sizeof msg, "%s", ent_errmsg());
    pthread_mutex_unlock(&s->compute_lock);
    if (rc != ENT_OK) {
        serve_error(r, serve_status_of(rc), "%s", msg);
        return;
    }
    serve_cache_put(s->cache, key, text);
    serve_json_text(r, 200, text);
}

static void info(serve_t *s, serve_resp_t *r)
{
    char as_of[11], lo[11], hi[11];
    ent_date_format(as_of, s->as_of);
    ent_date_format(lo, s->date_min);
    ent_date_format(hi, s->date_max);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:{s:i, s:I, s:i, s:i, s:i}, s:i}", "schema",
                          "entente.serve/1", "version", ent_version(), "commit", ent_build_commit(), "origin",
                          s->origin, "as_of", as_of, "date_min", lo, "dirty", ent_build_dirty(), "limits", "max_runs",
                          s->max_runs, "max_work", (json_int_t)s->max_work, "max_body", SERVE_MAX_BODY, "run_threads",
                          s->run_threads, "runs_active", serve_runs_active(s->runs), "scenarios", (int)s->nscenarios);
    if (o) {
        json_object_set_new(o, "date_max", json_string(hi));
    }
    serve_json_obj(r, 200, o);
}

/* The scenario named `name` (its name: or its file name without .yaml), or NULL. */
const ent_scenario_t *serve_find_scenario(serve_t *s, const char *name)
{
    for (size_t k = 0; k < s->nscenarios; k++) {
        size_t fl = strlen(s->scenario_files[k]) - 5;
        if (strcmp(s->scenarios[k].name, name) == 0 ||
            (strlen(name) == fl && strncmp(s->scenario_files[k], name, fl) == 0)) {
            return &s->scenarios[k];
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- static files */

static const struct {
    const char *url, *installed, *checkout, *type;
} vendor[] = {
    /* the whitelist of npm files the page loads: served from web/vendor/ once installed (make
     * install copies them there), else from web/node_modules/ of a checkout (scripts/bootstrap) */
    {"/vendor/d3.min.js", "vendor/d3.min.js", "node_modules/d3/dist/d3.min.js", "text/javascript"},
    {"/vendor/topojson-client.min.js", "vendor/topojson-client.min.js",
     "node_modules/topojson-client/dist/topojson-client.min.js", "text/javascript"},
    {"/vendor/countries-110m.json", "vendor/countries-110m.json", "node_modules/world-atlas/countries-110m.json",
     "application/json"},
    {"/vendor/iso-codes.json", "vendor/iso-codes.json", "node_modules/i18n-iso-countries/codes.json",
     "application/json"},
};

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot) {
        return NULL;
    }
    static const char *map[][2] = {{".html", "text/html; charset=utf-8"},
                                   {".js", "text/javascript; charset=utf-8"},
                                   {".css", "text/css; charset=utf-8"},
                                   {".svg", "image/svg+xml"},
                                   {".png", "image/png"},
                                   {".ico", "image/x-icon"},
                                   {".txt", "text/plain; charset=utf-8"}};
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
        if (strcmp(dot, map[k][0]) == 0) {
            return map[k][1];
        }
    }
    return NULL;
}

/* A regular file inside the web folder (its real path under the folder's real path). */
static bool inside(const char *root, const char *path)
{
    char rroot[PATH_MAX], rpath[PATH_MAX];
    struct stat st;
    if (!realpath(root, rroot) || !realpath(path, rpath) || stat(rpath, &st) != 0 || !S_ISREG(st.st_mode)) {
        return false;
    }
    size_t n = strlen(rroot);
    return strncmp(rroot, rpath, n) == 0 && rpath[n] == '/';
}

/*
 * Maps a URL path to a file of the web folder (JSON only through the vendor whitelist, so the
 * folder's package.json and lockfile are not served). Only [A-Za-z0-9._-/] in the path, no segment
 * that starts with a dot (no "..", no hidden files), no node_modules except the whitelist,
 * a known extension, and the resolved file inside the folder (a symlink out of it is refused).
 */
static void static_file(serve_t *s, const char *path, serve_resp_t *r)
{
    if (!s->web_dir[0]) {
        serve_error(r, 404, "no web folder: start with --web-dir DIR");
        return;
    }
    if (strcmp(path, "/") == 0) {
        path = "/index.html";
    }
    for (size_t k = 0; k < sizeof vendor / sizeof vendor[0]; k++) {
        if (strcmp(path, vendor[k].url) == 0) {
            snprintf(r->file, sizeof r->file, "%s/%s", s->web_dir, vendor[k].installed);
            if (!inside(s->web_dir, r->file)) {
                snprintf(r->file, sizeof r->file, "%s/%s", s->web_dir, vendor[k].checkout);
            }
            if (!inside(s->web_dir, r->file)) {
                r->file[0] = '\0';
                serve_error(r, 404, "%s: not installed (run scripts/bootstrap: npm ci in web/)", path);
                return;
            }
            r->status = 200;
            r->content_type = vendor[k].type;
            return;
        }
    }
    size_t n = strlen(path);
    bool ok = n > 1 && n < SERVE_MAX_PATH && path[0] == '/' &&
              strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") == n &&
              !strstr(path, "/.") && !strstr(path, "//") && strncmp(path, "/node_modules", 13) != 0 &&
              path[n - 1] != '/';
    const char *type = ok ? type_of(path) : NULL;
    if (!type) {
        serve_error(r, 404, "not found");
        return;
    }
    snprintf(r->file, sizeof r->file, "%s%s", s->web_dir, path);
    if (!inside(s->web_dir, r->file)) {
        r->file[0] = '\0';
        serve_error(r, 404, "not found");
        return;
    }
    r->status = 200;
    r->content_type = type;
}

/* ---------------------------------------------------------------- routing */

/* True when path is prefix followed by one segment: *rest points at it. */
static bool route(const char *path, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0 || !path[n]) {
        return false;
    }
    *rest = path + n;
    return true;
}

/* A run id: 32 lowercase hex digits (serve_runs.c makes them from /dev/urandom). */
static bool run_id(const char *s, size_t n)
{
    return n == 32 && strspn(s, "0123456789abcdef") >= 32;
}

void serve_handle(serve_t *s, const char *method, const char *path, serve_arg_fn arg, void *argctx, const char *body,
                  size_t len, serve_resp_t *r)
{
    memset(r, 0, sizeof *r);
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (strlen(path) >= SERVE_MAX_PATH) {
        serve_error(r, 414, "path longer than %d bytes", SERVE_MAX_PATH);
        return;
    }
    if (strncmp(path, "/api/", 5) != 0) {
        if (!get) {
            serve_error(r, 405, "%.16s: static files are read with GET", method);
            return;
        }
        static_file(s, path, r);
        return;
    }
    const char *rest;
    ent_date_t date;
    if (strcmp(path, "/api/runs") == 0) {
        if (strcmp(method, "POST") != 0) {
            serve_error(r, 405, "/api/runs: POST a run (GET /api/runs/ID for one)");
            return;
        }
        serve_runs_start(s, body, len, r);
        return;
    }
    if (route(path, "/api/runs/", &rest)) {
        const char *slash = strchr(rest, '/');
        size_t idlen = slash ? (size_t)(slash - rest) : strlen(rest);
        if (!run_id(rest, idlen)) {
            serve_error(r, 404, "no such run");
            return;
        }
        char id[33];
        memcpy(id, rest, 32);
        id[32] = '\0';
        if (slash && strcmp(slash, "/result") == 0 && get) {
            serve_runs_result(s, id, r);
        } else if (!slash && get) {
            serve_runs_status(s, id, r);
        } else if (!slash && strcmp(method, "DELETE") == 0) {
            serve_runs_cancel(s, id, r);
        } else if (slash && strcmp(slash, "/result") != 0) {
            serve_error(r, 404, "no such resource");
        } else {
            serve_error(r, 405, "%.16s not allowed here", method);
        }
        return;
    }
    if (strcmp(path, "/api/similarity") == 0 || strcmp(path, "/api/balance") == 0 || strcmp(path, "/api/blocs") == 0) {
        bool del = strcmp(method, "DELETE") == 0 && strcmp(path, "/api/similarity") != 0;
        if (!get && !del) {
            serve_error(r, 405, "%.16s not allowed here", method);
        } else if (get_date(s, arg, argctx, &date, r)) {
            serve_measure(s, method, path, date, arg, argctx, r);
        }
        return;
    }
    if (!get) {
        serve_error(r, 405, "%.16s not allowed: the API is read-only but for POST /api/runs", method);
        return;
    }
    if (strcmp(path, "/api/info") == 0) {
        info(s, r);
    } else if (strcmp(path, "/api/world") == 0) {
        if (get_date(s, arg, argctx, &date, r)) {
            report(s, REP_WORLD, date, -1, 0, r);
        }
    } else if (strcmp(path, "/api/map") == 0) {
        if (get_date(s, arg, argctx, &date, r)) {
            report(s, REP_MAP, date, -1, 0, r);
        }
    } else if (strcmp(path, "/api/network") == 0) {
        unsigned kinds;
        if (get_date(s, arg, argctx, &date, r) && get_kinds(arg, argctx, &kinds, r)) {
            report(s, REP_NETWORK, date, -1, kinds, r);
        }
    } else if (strcmp(path, "/api/polarization") == 0) {
        if (get_date(s, arg, argctx, &date, r)) {
            report(s, REP_POLARIZATION, date, -1, 0, r);
        }
    } else if (route(path, "/api/states/", &rest)) {
        int64_t idx;
        if (strlen(rest) > 12 || ent_world_find(&idx, s->world, rest) != ENT_OK) {
            serve_error(r, 404, "no state '%.12s' in the world (a COW code, abbreviation or ISO3)", rest);
        } else if (get_date(s, arg, argctx, &date, r)) {
            report(s, REP_STATE, date, idx, 0, r);
        }
    } else if (strcmp(path, "/api/scenarios") == 0) {
        char *text = NULL;
        ent_err_t rc = ent_report_scenarios(&text, s->scenarios, s->nscenarios, s->sim_world);
        if (rc != ENT_OK) {
            serve_error(r, serve_status_of(rc), "%s", ent_errmsg());
        } else {
            serve_json_text(r, 200, text);
        }
    } else if (route(path, "/api/scenarios/", &rest)) {
        const ent_scenario_t *sc = serve_find_scenario(s, rest);
        char *text = NULL;
        ent_err_t rc;
        if (!sc) {
            serve_error(r, 404, "no scenario '%.64s' (GET /api/scenarios lists them)", rest);
        } else if ((rc = ent_report_scenario(&text, sc, s->sim_world)) != ENT_OK) {
            serve_error(r, serve_status_of(rc), "%s", ent_errmsg());
        } else {
            serve_json_text(r, 200, text);
        }
    } else {
        serve_error(r, 404, "no such endpoint: %.64s", path);
    }
}
