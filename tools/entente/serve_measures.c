/*
 * serve_measures.c -- the measures of `entente serve`: similarity (GET /api/similarity), answered
 * at once, and structural balance and the blocs (GET /api/balance, /api/blocs), which take
 * seconds (spinglass restarts, the exact frustration index) and so run as background jobs, one
 * per measure and date: the first request starts the job and gets 202, the same URL polled
 * returns 202 until the document is in the cache, then 200 with it; DELETE cancels. The blocs
 * run in a child process (igraph is not thread-safe: in a thread they would hold the server's
 * report lock for seconds), balance in a thread (it calls no igraph), so the world's other
 * documents keep being served meanwhile.
 * Every document comes from the library's report layer (src/report/measures.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <omp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"

typedef enum { JOB_FREE = 0, JOB_RUNNING, JOB_FAILED } job_state_t;
typedef enum { M_BALANCE, M_BLOCS } measure_t;

static const char *measure_names[] = {"balance", "blocs"};

typedef struct {
    char key[96];
    measure_t kind;
    ent_date_t date;
    job_state_t state;
    bool joinable;
    pthread_t thread;
    volatile sig_atomic_t cancel;
    int status;      /* a failed job: its HTTP status and message, answered once */
    char error[512]; /* and then the slot is freed, so the next request tries again */
    struct timespec t0;
    serve_t *srv;
} job_t;

struct serve_jobs {
    pthread_mutex_t lock;
    job_t slot[SERVE_MEASURE_JOBS];
};

ent_err_t serve_jobs_new(serve_jobs_t **out)
{
    serve_jobs_t *js = ent_calloc(1, sizeof *js);
    if (!js) {
        return ENT_ENOMEM;
    }
    pthread_mutex_init(&js->lock, NULL);
    *out = js;
    return ENT_OK;
}

void serve_jobs_free(serve_jobs_t *js)
{
    if (!js) {
        return;
    }
    pthread_mutex_lock(&js->lock);
    for (size_t k = 0; k < SERVE_MEASURE_JOBS; k++) {
        js->slot[k].cancel = 1;
    }
    pthread_mutex_unlock(&js->lock);
    for (size_t k = 0; k < SERVE_MEASURE_JOBS; k++) {
        /* no lock while joining: a finishing job takes it to record its end */
        if (js->slot[k].joinable) {
            pthread_join(js->slot[k].thread, NULL);
        }
    }
    pthread_mutex_destroy(&js->lock);
    ent_free(js);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

#define CHILD_MAX_OUTPUT (64u << 20) /* a blocs document is about 70 kB; anything near this is broken */

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/*
 * The blocs are computed in a child process. Spinglass and the centralities call igraph, which is
 * not thread-safe, for seconds: in this process they would hold the report lock all that time (and
 * a thread cannot be stopped in the middle of them). A child has its own copy of igraph's globals,
 * so it takes no lock of ours, and a cancel is a SIGKILL.
 *
 * The children are not forked by this process but by a fork server: a copy of this process made
 * by serve_init while it still had one thread. A fork from a process with threads copies whatever
 * locks those threads hold at that instant (an allocator's, libgomp's, stdio's) into a child with
 * no thread to release them; glibc's malloc guards against that at fork, but not every allocator
 * does (ASan's, in GCC 12: a blocs child could hang for ever under the sanitizer). The fork
 * server has one thread when it forks, so its children start clean.
 *
 * Protocol, over a SOCK_SEQPACKET socket pair: a request is the date (an fs_request_t) with the
 * write end of a fresh pipe (SCM_RIGHTS); the answer is the child's pid (or -errno). The child
 * writes to the pipe "D" and 16 hex digits of the document's length, then the document; or "E",
 * a three-digit HTTP status and the message. A document shorter than its length (the child was
 * killed, or died) is a failure.
 */
typedef struct {
    ent_date_t date;
} fs_request_t;

static void blocs_child(serve_t *s, ent_date_t date, int out)
{
    /* one thread: libgomp's state is a copy of the server's; a team of one touches none of it */
    omp_set_num_threads(1);
    ent_report_blocs_options_t o = ENT_REPORT_BLOCS_OPTIONS_INIT;
    o.time_limit = SERVE_MEASURE_TIME_LIMIT;
    char *t = NULL;
    ent_err_t rc = ent_report_blocs(&t, s->world, date, s->origin, &o);
    bool ok;
    if (rc == ENT_OK) {
        char head[18];
        size_t n = strlen(t);
        snprintf(head, sizeof head, "D%016zx", n);
        ok = write_all(out, head, 17) && write_all(out, t, n);
    } else {
        char head[8];
        snprintf(head, sizeof head, "E%03d", serve_status_of(rc));
        const char *m = ent_errmsg();
        ok = write_all(out, head, 4) && write_all(out, m, strlen(m));
    }
    _exit(ok ? 0 : 1); /* not exit(): the server's exit handlers are not this process's to run */
}

static void forkserver_main(serve_t *s, int sock, pid_t server)
{
    /* gone with the server, however it ends; its children finish or die on a closed pipe */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != server) {
        _exit(0);
    }
    signal(SIGCHLD, SIG_IGN); /* the children are reaped by the kernel */
    signal(SIGINT, SIG_IGN);  /* a Ctrl-C is the server's to handle: it closes the socket */
    signal(SIGTERM, SIG_DFL);
    for (;;) {
        fs_request_t q;
        union {
            struct cmsghdr h;
            char buf[CMSG_SPACE(sizeof(int))];
        } ctl;
        struct iovec iov = {&q, sizeof q};
        struct msghdr m = {0};
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = ctl.buf;
        m.msg_controllen = sizeof ctl.buf;
        ssize_t n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            _exit(0); /* the server closed its end */
        }
        int fd = -1;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            memcpy(&fd, CMSG_DATA(c), sizeof fd);
        }
        pid_t pid = -EINVAL;
        if (n == (ssize_t)sizeof q && fd >= 0) {
            pid = fork();
            if (pid == 0) {
                close(sock);
                signal(SIGCHLD, SIG_DFL);
                signal(SIGINT, SIG_DFL);
                blocs_child(s, q.date, fd);
            }
            if (pid < 0) {
                pid = -errno;
            }
        }
        if (fd >= 0) {
            close(fd);
        }
        while (send(sock, &pid, sizeof pid, MSG_NOSIGNAL) < 0 && errno == EINTR) {
        }
    }
}

ent_err_t serve_forkserver_start(serve_t *s)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        fprintf(stderr, "entente serve: cannot start the blocs' worker process: socketpair: %s\n", strerror(errno));
        return ENT_EIO;
    }
    pid_t server = getpid();
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        forkserver_main(s, sv[1], server);
    }
    int e = errno;
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        fprintf(stderr, "entente serve: cannot start the blocs' worker process: fork: %s\n", strerror(e));
        return ENT_EIO;
    }
    s->fs_sock = sv[0];
    s->fs_pid = pid;
    return ENT_OK;
}

void serve_forkserver_stop(serve_t *s)
{
    if (s->fs_pid <= 0) {
        return;
    }
    close(s->fs_sock); /* the fork server reads the end of its socket and exits */
    s->fs_sock = -1;
    int ws;
    while (waitpid(s->fs_pid, &ws, 0) < 0 && errno == EINTR) {
    }
    s->fs_pid = 0;
}

/* Asks the fork server for a child computing the blocs of `date` into `out`: its pid, or -errno. */
static pid_t forkserver_spawn(serve_t *s, ent_date_t date, int out)
{
    fs_request_t q = {date};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec iov = {&q, sizeof q};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.buf;
    m.msg_controllen = sizeof ctl.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &out, sizeof out);
    pid_t pid = -EPIPE;
    pthread_mutex_lock(&s->fs_lock);
    if (s->fs_sock >= 0) {
        ssize_t n;
        while ((n = sendmsg(s->fs_sock, &m, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
        }
        if (n == (ssize_t)sizeof q) {
            while ((n = recv(s->fs_sock, &pid, sizeof pid, 0)) < 0 && errno == EINTR) {
            }
            if (n != (ssize_t)sizeof pid) {
                pid = -EPIPE;
            }
        } else {
            pid = n < 0 ? -errno : -EPIPE;
        }
    }
    pthread_mutex_unlock(&s->fs_lock);
    return pid;
}

/* A blocs job: 0 with *text (ent_malloc'd), -1 when cancelled, or the HTTP status with err. */
static int blocs_in_child(job_t *j, char **text, char *err, size_t errn)
{
    serve_t *s = j->srv;
    int fd[2];
    *text = NULL;
    if (pipe2(fd, O_CLOEXEC) != 0) {
        snprintf(err, errn, "cannot compute the blocs: pipe: %s", strerror(errno));
        return 503;
    }
    pid_t pid = forkserver_spawn(s, j->date, fd[1]);
    close(fd[1]); /* the child holds the only write end now: its exit is our end of file */
    if (pid < 0) {
        close(fd[0]);
        snprintf(err, errn, "cannot compute the blocs: the worker process could not start one: %s", strerror(-pid));
        return 503;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int status = 0;
    for (;;) {
        /* the child is alive while its pipe is open, so the pid killed is still its */
        if (j->cancel) {
            kill(pid, SIGKILL);
            status = -1;
            break;
        }
        if (seconds_since(&j->t0) > SERVE_MEASURE_WALL_LIMIT) {
            /* the solver stops at its time limit and spinglass takes seconds: this is a fault */
            kill(pid, SIGKILL);
            snprintf(err, errn, "the blocs computation took longer than %d s and was stopped",
                     SERVE_MEASURE_WALL_LIMIT);
            status = 503;
            break;
        }
        struct pollfd pf = {fd[0], POLLIN, 0};
        int pr = poll(&pf, 1, 200); /* a cancel is noticed within 0.2 s */
        if (pr < 0 && errno != EINTR) {
            kill(pid, SIGKILL);
            snprintf(err, errn, "cannot compute the blocs: poll: %s", strerror(errno));
            status = 500;
            break;
        }
        if (pr <= 0) {
            continue;
        }
        if (len + 65536 + 1 > cap) {
            char *b = cap + 65536 + 1 > CHILD_MAX_OUTPUT ? NULL : ent_realloc(buf, cap + 65536 + 1);
            if (!b) {
                kill(pid, SIGKILL);
                snprintf(err, errn, "the blocs document is too large or memory ran out");
                status = 503;
                break;
            }
            buf = b;
            cap += 65536 + 1;
        }
        ssize_t r = read(fd[0], buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break; /* the child is done (or died): what it wrote is all there is */
        }
        len += (size_t)r;
    }
    close(fd[0]);
    if (status) {
        ent_free(buf);
        return status;
    }
    if (buf) {
        buf[len] = '\0';
    }
    if (len >= 17 && buf[0] == 'D') {
        char hex[17];
        memcpy(hex, buf + 1, 16);
        hex[16] = '\0';
        char *end;
        unsigned long long n = strtoull(hex, &end, 16);
        if (*end == '\0' && n == len - 17) {
            memmove(buf, buf + 17, len - 16); /* with its '\0' */
            *text = buf;
            return 0;
        }
    }
    if (len >= 4 && buf[0] == 'E') {
        int st = atoi((char[4]){buf[1], buf[2], buf[3], '\0'});
        snprintf(err, errn, "%s", buf + 4);
        ent_free(buf);
        return st >= 400 && st <= 599 ? st : 500;
    }
    ent_free(buf);
    snprintf(err, errn, "the blocs computation ended without its document (%zu bytes received)", len);
    return 500;
}

static void *job_main(void *arg)
{
    job_t *j = arg;
    serve_t *s = j->srv;
    char *text = NULL, msg[512] = "";
    int status = 0; /* 0: done; -1: cancelled; else the HTTP status of the failure */
    if (j->kind == M_BLOCS) {
        status = blocs_in_child(j, &text, msg, sizeof msg);
    } else {
        /* no igraph on this path (the signed network, triangles, the solver): no lock, no child */
        ent_report_balance_options_t o = ENT_REPORT_BALANCE_OPTIONS_INIT;
        o.time_limit = SERVE_MEASURE_TIME_LIMIT;
        o.cancel = &j->cancel;
        ent_err_t rc = ent_report_balance_world(&text, s->world, j->date, s->origin, &o);
        status = rc == ENT_OK ? 0 : rc == ENT_EINTERRUPTED ? -1 : serve_status_of(rc);
        if (rc != ENT_OK) {
            snprintf(msg, sizeof msg, "%s", ent_errmsg());
        }
    }
    if (status == 0 && j->cancel) {
        status = -1; /* cancelled after the solver's last look at the flag: not kept either */
    }
    if (status == 0) {
        serve_cache_put(s->cache, j->key, text);
    }
    ent_free(text);
    pthread_mutex_lock(&s->jobs->lock);
    if (status <= 0) {
        j->state = JOB_FREE; /* the document is in the cache (or was not wanted any more) */
    } else {
        j->state = JOB_FAILED;
        j->status = status;
        snprintf(j->error, sizeof j->error, "%s", msg);
    }
    pthread_mutex_unlock(&s->jobs->lock);
    return NULL;
}

/* 202 with the job's progress: the client polls the same URL. */
static void running(serve_resp_t *r, const job_t *j, bool started)
{
    char d[11];
    ent_date_format(d, j->date);
    json_t *o = json_pack("{s:s, s:s, s:s, s:f, s:s}", "measure", measure_names[j->kind], "date", d, "state", "running",
                          "elapsed_s", started ? 0.0 : seconds_since(&j->t0), "poll",
                          "GET this URL again: 200 with the document once computed; DELETE cancels");
    serve_json_obj(r, 202, o);
    r->retry_after = r->status == 202 ? 1 : 0;
}

/* GET or DELETE of a slow measure on a date. */
static void slow_measure(serve_t *s, bool del, measure_t kind, ent_date_t date, serve_resp_t *r)
{
    char key[96];
    snprintf(key, sizeof key, "m|%s|%d", measure_names[kind], (int)date);
    char *text = del ? NULL : serve_cache_get(s->cache, key);
    if (text) {
        serve_json_text(r, 200, text);
        return;
    }
    serve_jobs_t *js = s->jobs;
    pthread_mutex_lock(&js->lock);
    job_t *j = NULL, *free_slot = NULL;
    for (size_t k = 0; k < SERVE_MEASURE_JOBS; k++) {
        job_t *x = &js->slot[k];
        if (x->state != JOB_FREE && strcmp(x->key, key) == 0) {
            j = x;
        } else if (x->state == JOB_FREE && !free_slot) {
            free_slot = x;
        }
    }
    if (del) {
        bool was_running = j && j->state == JOB_RUNNING;
        if (was_running) {
            j->cancel = 1;
        }
        pthread_mutex_unlock(&js->lock);
        if (!was_running) {
            serve_error(r, 404, "no %s computation running for this date", measure_names[kind]);
            return;
        }
        char *copy = ent_strdup("{\"state\": \"cancelled\"}");
        if (!copy) {
            serve_error(r, 503, "out of memory");
        } else {
            serve_json_text(r, 200, copy);
        }
        return;
    }
    if (j && j->state == JOB_RUNNING) {
        running(r, j, false);
        pthread_mutex_unlock(&js->lock);
        return;
    }
    if (j) {
        /* failed: say why once, then forget it (a later request tries again) */
        int status = j->status;
        char error[512];
        snprintf(error, sizeof error, "%s", j->error);
        j->state = JOB_FREE;
        pthread_mutex_unlock(&js->lock);
        serve_error(r, status, "%s", error);
        return;
    }
    if (!free_slot) {
        pthread_mutex_unlock(&js->lock);
        r->retry_after = 5;
        serve_error(r, 429, "%d measures are being computed, this server's limit: try again shortly",
                    SERVE_MEASURE_JOBS);
        return;
    }
    if (free_slot->joinable) {
        pthread_join(free_slot->thread, NULL); /* it has returned: it freed its slot last */
    }
    memset(free_slot, 0, sizeof *free_slot);
    snprintf(free_slot->key, sizeof free_slot->key, "%s", key);
    free_slot->kind = kind;
    free_slot->date = date;
    free_slot->srv = s;
    free_slot->state = JOB_RUNNING;
    clock_gettime(CLOCK_MONOTONIC, &free_slot->t0);
    if (pthread_create(&free_slot->thread, NULL, job_main, free_slot) != 0) {
        free_slot->state = JOB_FREE;
        pthread_mutex_unlock(&js->lock);
        serve_error(r, 503, "cannot start a thread for the computation");
        return;
    }
    free_slot->joinable = true;
    running(r, free_slot, true);
    pthread_mutex_unlock(&js->lock);
}

/* A state argument (COW code, abbreviation or ISO3) as a COW code; 0 when absent; -1 after an error. */
static int32_t state_arg(serve_t *s, serve_arg_fn arg, void *ctx, const char *key, serve_resp_t *r)
{
    const char *v = arg(ctx, key);
    int64_t idx;
    if (!v || !*v) {
        return 0;
    }
    if (strlen(v) > 12 || ent_world_find(&idx, s->world, v) != ENT_OK) {
        serve_error(r, 404, "%s: no state '%.12s' in the world (a COW code, abbreviation or ISO3)", key, v);
        return -1;
    }
    return ent_world_state(s->world, (size_t)idx)->ccode;
}

/* GET /api/similarity?date=D&state=S[&partner=P]: portfolio similarity in the date's year. */
static void similarity(serve_t *s, ent_date_t date, serve_arg_fn arg, void *ctx, serve_resp_t *r)
{
    int32_t a = state_arg(s, arg, ctx, "state", r), b = a < 0 ? 0 : state_arg(s, arg, ctx, "partner", r);
    if (a < 0 || b < 0) {
        return;
    }
    if (!a) {
        serve_error(r, 400, "state: missing (a COW code, abbreviation or ISO3; partner= optionally a second one)");
        return;
    }
    int year = ent_date_year(date);
    char key[96];
    snprintf(key, sizeof key, "m|similarity|%d|%d|%d", year, (int)a, (int)b);
    char *text = serve_cache_get(s->cache, key);
    if (text) {
        serve_json_text(r, 200, text);
        return;
    }
    /* the world is read-only and neither step calls igraph: no lock */
    ent_portfolios_t *p = NULL;
    ent_err_t rc = ent_portfolios_from_world(&p, s->world, year, year, 10);
    if (rc == ENT_OK) {
        rc = ent_report_similarity(&text, p, year, year, a, b, 0, NULL);
    }
    ent_portfolios_free(p);
    if (rc != ENT_OK) {
        serve_error(r, serve_status_of(rc), "%s", ent_errmsg());
        return;
    }
    serve_cache_put(s->cache, key, text);
    serve_json_text(r, 200, text);
}

void serve_measure(serve_t *s, const char *method, const char *path, ent_date_t date, serve_arg_fn arg, void *argctx,
                   serve_resp_t *r)
{
    bool del = strcmp(method, "DELETE") == 0;
    if (strcmp(path, "/api/similarity") == 0) {
        similarity(s, date, arg, argctx, r);
    } else {
        slow_measure(s, del, strcmp(path, "/api/blocs") == 0 ? M_BLOCS : M_BALANCE, date, r);
    }
}
