/*
 * cmd_serve.c -- `entente serve`: the web explorer's HTTP server on libmicrohttpd. Loads the
 * world (and the shipped world runs start from) and the scenarios once, prints its URL, then
 * answers requests on a pool of threads through serve_handle (serve_api.c) until SIGINT or
 * SIGTERM. This file holds what is HTTP: options, the daemon, request bodies and their size
 * limit, per-client rate limits, security headers, static files, clean shutdown.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli_opts.h"
#include "serve.h"

#ifndef ENT_DEFAULT_WEB_DIR
#define ENT_DEFAULT_WEB_DIR ""
#endif

/* ---------------------------------------------------------------- per-client rate limit */

#define RATE_SLOTS 4096

typedef struct {
    uint64_t key; /* a hash of the client address; 0 = unused */
    double tokens;
    double last;
} bucket_t;

typedef struct {
    pthread_mutex_t lock;
    double rate;
    bucket_t b[RATE_SLOTS];
} limiter_t;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t addr_key(const struct sockaddr *sa)
{
    const unsigned char *p = NULL;
    size_t n = 0;
    if (sa && sa->sa_family == AF_INET) {
        p = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
        n = 4;
    } else if (sa && sa->sa_family == AF_INET6) {
        p = (const unsigned char *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
        n = 16;
    }
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t k = 0; k < n; k++) {
        h = (h ^ p[k]) * 1099511628211ull;
    }
    return h ? h : 1;
}

/*
 * A token bucket per client address: `rate` tokens a second, at most 2 x rate saved. Addresses
 * hashing to the same slot take it over (the previous one starts afresh): a bounded table, so a
 * flood of addresses cannot grow memory.
 */
static bool allow(limiter_t *l, const struct sockaddr *sa)
{
    if (l->rate <= 0) {
        return true;
    }
    uint64_t key = addr_key(sa);
    double t = now_s();
    pthread_mutex_lock(&l->lock);
    bucket_t *b = &l->b[key % RATE_SLOTS];
    if (b->key != key) {
        b->key = key;
        b->tokens = 2 * l->rate;
        b->last = t;
    }
    b->tokens += (t - b->last) * l->rate;
    if (b->tokens > 2 * l->rate) {
        b->tokens = 2 * l->rate;
    }
    b->last = t;
    bool ok = b->tokens >= 1;
    if (ok) {
        b->tokens -= 1;
    }
    pthread_mutex_unlock(&l->lock);
    return ok;
}

/* ---------------------------------------------------------------- requests */

typedef struct {
    serve_t *srv;
    limiter_t limiter;
    _Atomic uint64_t requests, rejected;
} http_t;

typedef struct {
    char *body;
    size_t len;
    bool too_big, limited;
} conn_t;

static const char *arg_lookup(void *ctx, const char *key)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, key);
}

static void add_headers(struct MHD_Response *resp, const serve_resp_t *r, bool asset)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type ? r->content_type : "text/plain");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    /* the page loads only its own files: nothing from elsewhere, no inline scripts */
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, asset ? "max-age=300" : "no-store");
    if (r->retry_after > 0) {
        char s[16];
        snprintf(s, sizeof s, "%d", r->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, s);
    }
}

static enum MHD_Result send_resp(struct MHD_Connection *c, serve_resp_t *r)
{
    struct MHD_Response *resp = NULL;
    bool asset = false;
    if (r->file[0]) {
        int fd = open(r->file, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd); /* takes the descriptor */
            asset = true;
            if (!resp) {
                close(fd);
            }
        } else {
            if (fd >= 0) {
                close(fd);
            }
            serve_error(r, 404, "not found");
        }
    }
    if (!resp) {
        r->file[0] = '\0';
        if (r->body) {
            resp = MHD_create_response_from_buffer_with_free_callback(r->len, r->body, ent_free);
            if (resp) {
                r->body = NULL; /* MHD frees it */
            }
        } else {
            resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        }
    }
    if (!resp) {
        serve_resp_free(r);
        return MHD_NO; /* out of memory: MHD closes the connection */
    }
    add_headers(resp, r, asset);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    serve_resp_free(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    http_t *h = cls;
    conn_t *cc = *con_cls;
    if (!cc) {
        /* first call: headers only */
        if (!(cc = ent_calloc(1, sizeof *cc))) {
            return MHD_NO;
        }
        *con_cls = cc;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        cc->limited = !allow(&h->limiter, ci ? ci->client_addr : NULL);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > SERVE_MAX_BODY) {
            cc->too_big = true;
        }
        return MHD_YES;
    }
    if (*upload_size) {
        /* a body chunk: kept up to the limit, the rest read and dropped so the connection stays sane */
        if (!cc->too_big && !cc->limited) {
            if (cc->len + *upload_size > SERVE_MAX_BODY) {
                cc->too_big = true;
                ent_free(cc->body);
                cc->body = NULL;
                cc->len = 0;
            } else {
                char *b = ent_realloc(cc->body, cc->len + *upload_size + 1);
                if (!b) {
                    return MHD_NO;
                }
                memcpy(b + cc->len, upload, *upload_size);
                cc->body = b;
                cc->len += *upload_size;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    atomic_fetch_add(&h->requests, 1);
    serve_resp_t r;
    memset(&r, 0, sizeof r);
    if (cc->limited) {
        atomic_fetch_add(&h->rejected, 1);
        r.retry_after = 1;
        serve_error(&r, 429, "too many requests from this address (limit %g a second)", h->limiter.rate);
    } else if (cc->too_big) {
        serve_error(&r, 413, "request body larger than %d bytes", SERVE_MAX_BODY);
    } else {
        serve_handle(h->srv, method, url, arg_lookup, c, cc->body ? cc->body : "", cc->len, &r);
    }
    return send_resp(c, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_t *cc = *con_cls;
    if (cc) {
        ent_free(cc->body);
        ent_free(cc);
        *con_cls = NULL;
    }
}

/* ---------------------------------------------------------------- set-up */

/* The web folder: --web-dir, $ENTENTE_WEB, share/entente/web next to the program, the checkout's web/. */
static void find_web_dir(char *out, size_t n, const char *opt)
{
    const char *env = getenv("ENTENTE_WEB");
    struct stat st;
    if (opt) {
        snprintf(out, n, "%s", opt);
        return;
    }
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char cand[PATH_MAX + 32];
            int m = snprintf(cand, sizeof cand, "%s/../share/entente/web", exe);
            char index[PATH_MAX + 64];
            snprintf(index, sizeof index, "%s/index.html", cand);
            char real[PATH_MAX];
            if (m > 0 && stat(index, &st) == 0 && realpath(cand, real) && strlen(real) < n) {
                memcpy(out, real, strlen(real) + 1); /* bin/../share/...: said plainly in the log */
                return;
            }
        }
    }
    snprintf(out, n, "%s", ENT_DEFAULT_WEB_DIR);
}

/* The first and last dates the shown world has anything on: the range of the timeline. */
static void world_dates(serve_t *s)
{
    ent_date_t lo = ENT_DATE_MAX, hi = 0;
    for (size_t k = 0; k < ent_world_nties(s->world); k++) {
        const ent_tie_t *t = ent_world_tie(s->world, k);
        if (t->start > ENT_DATE_NONE && t->start < lo) {
            lo = t->start;
        }
        if (t->start > hi) {
            hi = t->start;
        }
        if (t->end != ENT_DATE_MAX && t->end > hi) {
            hi = t->end;
        }
    }
    s->as_of = ent_world_as_of(s->world);
    if (!s->as_of) {
        s->as_of = hi ? hi : 20241231;
    }
    if (hi < s->as_of) {
        hi = s->as_of;
    }
    if (lo > hi) {
        lo = hi;
    }
    /* the CLI's dates start in 1816 (COW's state system); the shipped world's ties start later */
    ent_date_make(&s->date_min, ent_date_year(lo), 1, 1, false);
    s->date_max = hi;
}

typedef struct {
    int64_t port, threads, run_threads, max_runs, max_work, rate, timeout;
    const char *bind, *scenarios, *web_dir;
} serve_args_t;

static const cli_opt_t opts[] = {
    {.name = "port",
     .kind = CLI_INT64,
     .metavar = "P",
     .lo = 0,
     .hi = 65535,
     .def = "8321",
     .help = "TCP port (0 = any free port, the URL says which)",
     .field = offsetof(serve_args_t, port)},
    {.name = "bind",
     .kind = CLI_STRING,
     .metavar = "ADDR",
     .def = "127.0.0.1: this machine only",
     .help = "IPv4 or IPv6 address to listen on",
     .field = offsetof(serve_args_t, bind)},
    CLI_COMMON_HELP("db", "show the world imported into a store (1816-...) instead of the shipped one; scenario runs "
                          "always start from the shipped world"),
    CLI_COMMON_HELP("world-dir", "the shipped world's CSV directory (default: $ENTENTE_WORLD or the build's data/)"),
    {.name = "scenarios",
     .kind = CLI_STRING,
     .metavar = "DIR",
     .def = "$ENTENTE_SCENARIOS or the shipped ones",
     .help = "the scenario files",
     .field = offsetof(serve_args_t, scenarios)},
    {.name = "web-dir",
     .kind = CLI_STRING,
     .metavar = "DIR",
     .def = "$ENTENTE_WEB, share/entente/web, the checkout's web/",
     .help = "the page's files",
     .field = offsetof(serve_args_t, web_dir)},
    {.name = "threads",
     .kind = CLI_INT64,
     .lo = 1,
     .hi = 256,
     .def = "2",
     .help = "request threads",
     .field = offsetof(serve_args_t, threads)},
    {.name = "run-threads",
     .kind = CLI_INT64,
     .lo = 1,
     .hi = 256,
     .def = "1",
     .help = "threads of each ensemble run",
     .field = offsetof(serve_args_t, run_threads)},
    {.name = "max-runs",
     .kind = CLI_INT64,
     .lo = 1,
     .hi = 64,
     .def = "2",
     .help = "ensemble runs at once; more get 429",
     .field = offsetof(serve_args_t, max_runs)},
    {.name = "max-work",
     .kind = CLI_INT64,
     .lo = 1,
     .hi = 2000000000,
     .def = "600000",
     .help = "runs x years of one run request, x 2 with a baseline",
     .field = offsetof(serve_args_t, max_work)},
    {.name = "rate",
     .kind = CLI_INT64,
     .lo = 0,
     .hi = 1000000,
     .def = "200; 0 = no limit",
     .help = "requests per second per client address, bursts of 2N; more get 429",
     .field = offsetof(serve_args_t, rate)},
    {.name = "timeout",
     .kind = CLI_INT64,
     .metavar = "S",
     .lo = 1,
     .hi = 3600,
     .def = "15",
     .help = "seconds an idle or slow connection is kept",
     .field = offsetof(serve_args_t, timeout)},
    {0},
};

const cli_spec_t cli_spec_serve = {
    .name = "serve",
    .about = "Serves the web explorer: the alliance system on a map with a timeline, the network, a state's\n"
             "pyramid, and the scenarios as sliders with ensemble runs in the background. Prints its URL\n"
             "(http://ADDR:PORT/) on standard output first, then serves until SIGINT or SIGTERM. The API is\n"
             "documented in docs/serve.md.",
    .opts = opts,
};

int cmd_serve(int argc, char **argv)
{
    serve_args_t o = {.port = 8321,
                      .threads = 2,
                      .run_threads = 1,
                      .max_runs = 2,
                      .max_work = 600000,
                      .rate = 200,
                      .timeout = 15,
                      .bind = "127.0.0.1"};
    cli_common_t c;
    CLI_PARSE(&cli_spec_serve, argc, argv, &o, &c);
    long port = (long)o.port, threads = (long)o.threads, run_threads = (long)o.run_threads;
    long max_runs = (long)o.max_runs, max_work = (long)o.max_work, rate = (long)o.rate, timeout = (long)o.timeout;
    const char *bind_addr = o.bind, *db = c.db, *dir = c.world_dir, *scen_dir = o.scenarios, *web_opt = o.web_dir;
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    bool v6 = false;
    if (inet_pton(AF_INET, bind_addr, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)port);
    } else if (inet_pton(AF_INET6, bind_addr, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)port);
        v6 = true;
    } else {
        return cli_usage_error("serve", "--bind: expected an IPv4 or IPv6 address, got '%s'", bind_addr);
    }

    serve_t srv;
    memset(&srv, 0, sizeof srv);
    srv.max_runs = (int)max_runs;
    srv.max_work = max_work;
    srv.run_threads = (int)run_threads;
    find_web_dir(srv.web_dir, sizeof srv.web_dir, web_opt);
    ent_world_t *shown = NULL, *shipped = NULL;
    ent_err_t rc;
    int ret = EXIT_OK;
    if (!dir) {
        dir = ent_world_default_dir();
    }
    if ((rc = cli_load_world(&shipped, NULL, dir, false)) != ENT_OK) {
        return cli_fail(rc);
    }
    if (db) {
        ent_store_t *st;
        if ((rc = cli_open_store(&st, db, true, false)) != ENT_OK) {
            ent_world_free(shipped);
            return cli_fail(rc);
        }
        rc = ent_world_load(&shown, st, NULL);
        ent_store_close(st);
        if (rc != ENT_OK) {
            ent_world_free(shipped);
            return cli_fail(rc);
        }
        snprintf(srv.origin, sizeof srv.origin, "store %s", db);
    } else {
        snprintf(srv.origin, sizeof srv.origin, "shipped world %s", dir);
    }
    srv.world = shown ? shown : shipped;
    srv.sim_world = shipped;
    world_dates(&srv);
    http_t h;
    memset(&h, 0, sizeof h);
    struct MHD_Daemon *d = NULL;
    if ((rc = serve_init(&srv)) != ENT_OK ||
        (rc = serve_load_scenarios(&srv, scen_dir ? scen_dir : ent_scenario_default_dir())) != ENT_OK) {
        ret = cli_fail(rc);
        goto done;
    }
    h.srv = &srv;
    h.limiter.rate = (double)rate;
    pthread_mutex_init(&h.limiter.lock, NULL);
    /* signals now only set the flag: the loop below notices it and shuts down in order */
    cli_cancel_flag();
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
    d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, &h, MHD_OPTION_SOCK_ADDR,
                         v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4, MHD_OPTION_THREAD_POOL_SIZE,
                         (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)timeout,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                         (unsigned)(rate > 0 ? 128 : 0), MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, &h, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "entente serve: cannot listen on %s port %ld: %s\n", bind_addr, port, strerror(errno));
        ret = EXIT_IO;
        goto done;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = di ? di->port : (unsigned)port;
    /* the URL first, alone on its line: tests and scripts read it to find a port-0 server */
    if (v6) {
        printf("http://[%s]:%u/\n", bind_addr, bound);
    } else {
        printf("http://%s:%u/\n", bind_addr, bound);
    }
    fflush(stdout);
    fprintf(stderr,
            "entente serve: %s; %zu scenarios; web %s; %ld request threads, at most %ld runs at once; "
            "Ctrl-C stops\n",
            srv.origin, srv.nscenarios, srv.web_dir[0] ? srv.web_dir : "(none)", threads, max_runs);
    while (!cli_cancelled()) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "entente serve: stopping (%llu requests, %llu refused by the rate limit)\n",
            (unsigned long long)atomic_load(&h.requests), (unsigned long long)atomic_load(&h.rejected));
    /* stop taking connections, let ensembles see their cancel flags, finish the requests in flight */
    MHD_socket ls = MHD_quiesce_daemon(d);
    serve_runs_cancel_all(srv.runs);
    MHD_stop_daemon(d);
    if (ls != MHD_INVALID_SOCKET) {
        close(ls);
    }
done:
    serve_destroy(&srv);
    if (h.srv) {
        pthread_mutex_destroy(&h.limiter.lock);
    }
    ent_world_free(shown);
    ent_world_free(shipped);
    return ret;
}
