/*
 * output.c -- what the CLI promises about its output and about signals, in one
 * place: standard output checked and closed at exit, files written atomically
 * (a temporary name in the target's directory, fsync, rename), output
 * directories checked before any work, and one interruption flag for every
 * command.
 *
 * Signals. SIGINT and SIGTERM set cli_cancel; commands that poll it pass it to
 * the library (every long loop there checks its `cancel` option) and stop
 * within about a second. A command that does not poll, or a second signal,
 * ends the process at once with 128 + the signal number (130 for SIGINT, 143
 * for SIGTERM) after unlinking any temporary output file -- unlink() and
 * _exit() are async-signal-safe. The handlers are installed without
 * SA_RESTART, so a read blocked on a pipe returns EINTR, which the readers
 * report as an interruption. SIGPIPE is ignored so that a closed pipe shows
 * up as EPIPE on a write (an error, exit 3) instead of a silent death that a
 * shell pipeline reads as success; SIGXFSZ likewise, so `ulimit -f` becomes
 * EFBIG.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

volatile sig_atomic_t cli_cancel;
static volatile sig_atomic_t last_signal; /* the first SIGINT/SIGTERM received, 0 before */
static volatile sig_atomic_t polling;     /* the running command checks cli_cancel */

/* Temporary files to unlink when a signal ends the process. A slot is live while its flag is set. */
#define NTEMPS 8
static char temp_path[NTEMPS][PATH_MAX];
static volatile sig_atomic_t temp_live[NTEMPS];

static void unlink_temps(void)
{
    for (int k = 0; k < NTEMPS; k++) {
        if (temp_live[k]) {
            unlink(temp_path[k]);
        }
    }
}

static void on_signal(int sig)
{
    if (!last_signal) {
        last_signal = sig;
    }
    if (!polling || cli_cancel) {
        /* Nobody will look at the flag (or this is the second signal): stop now. */
        unlink_temps();
        _exit(128 + last_signal);
    }
    cli_cancel = 1;
}

volatile sig_atomic_t *cli_cancel_flag(void)
{
    polling = 1;
    return &cli_cancel;
}

bool cli_cancelled(void)
{
    return cli_cancel != 0;
}

int cli_interrupted_code(void)
{
    return last_signal ? 128 + last_signal : EXIT_INTERRUPTED;
}

/*
 * A closed descriptor 0, 1 or 2 would be handed to the next open() -- a temporary output file
 * or the store -- and printf would then write into it. Fill the hole with /dev/null opened the
 * wrong way round (like gnulib's xstdopen): the slot is taken, and writing to a closed stdout
 * still fails (EBADF), as it must.
 */
static void guard_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            int nfd = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
            if (nfd >= 0 && nfd != fd) {
                dup2(nfd, fd);
                close(nfd);
            }
        }
    }
}

void cli_process_init(void)
{
    guard_std_fds();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
}

int cli_process_finish(int code)
{
    if (code == EXIT_INTERRUPTED) {
        code = cli_interrupted_code();
    }
    /* fflush reports an error still pending in the buffer; ferror one that an earlier write hit
     * (the data of that write is lost either way); fclose one the kernel reports only on close. */
    errno = 0;
    int flush_failed = fflush(stdout) != 0;
    int flush_errno = errno;
    int had_error = ferror(stdout);
    int probe_errno = 0;
    if (had_error && !flush_failed) {
        /* An earlier write failed and its errno is gone; probe the descriptor for the reason
         * (a zero-length write reports EBADF; a full disk or a closed pipe the next flush did). */
        probe_errno = write(STDOUT_FILENO, "", 0) < 0 ? errno : 0;
        struct pollfd pfd = {.fd = STDOUT_FILENO, .events = POLLOUT, .revents = 0};
        if (!probe_errno && poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR)) {
            probe_errno = EPIPE; /* a pipe (or socket) with no reader left */
        }
    }
    errno = 0;
    int close_failed = fclose(stdout) != 0;
    int close_errno = errno;
    if (flush_failed || had_error || close_failed) {
        int e = flush_failed ? flush_errno : probe_errno ? probe_errno : close_failed ? close_errno : 0;
        fprintf(stderr, "entente: writing standard output: %s\n", e ? strerror(e) : "a write failed");
        if (code == EXIT_OK) {
            code = EXIT_IO;
        }
    }
    return code;
}

bool cli_stdout_failed(void)
{
    return ferror(stdout) != 0;
}

/* ------------------------------------------------------------------ files */

static int temp_register(const char *path)
{
    for (int k = 0; k < NTEMPS; k++) {
        if (!temp_live[k]) {
            snprintf(temp_path[k], sizeof temp_path[k], "%s", path);
            temp_live[k] = 1;
            return k;
        }
    }
    return -1; /* more than NTEMPS at once: still removed on failure, only not from a signal */
}

static void temp_release(int slot)
{
    if (slot >= 0) {
        temp_live[slot] = 0;
    }
}

/* The directory part of path ("." when none), into buf. */
static void dir_of(char *buf, size_t cap, const char *path)
{
    snprintf(buf, cap, "%s", path);
    char *slash = strrchr(buf, '/');
    if (!slash) {
        snprintf(buf, cap, ".");
    } else if (slash == buf) {
        buf[1] = '\0';
    } else {
        *slash = '\0';
    }
}

static int writable_dir(const char *what, const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        fprintf(stderr, "entente: %s %s: %s\n", what, dir, strerror(errno));
        return EXIT_IO;
    }
    if (!S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "entente: %s %s: not a directory\n", what, dir);
        return EXIT_IO;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        fprintf(stderr, "entente: %s %s: not writable: %s\n", what, dir, strerror(errno));
        return EXIT_IO;
    }
    return EXIT_OK;
}

int cli_check_out_file(const char *path)
{
    if (!*path) {
        fprintf(stderr, "entente: --out: an empty path\n");
        return EXIT_USAGE;
    }
    if (strcmp(path, "-") == 0) {
        return EXIT_OK;
    }
    if (strlen(path) + 16 >= PATH_MAX) {
        fprintf(stderr, "entente: --out: path too long\n");
        return EXIT_USAGE;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "entente: output file %s: is a directory\n", path);
        return EXIT_IO;
    }
    char dir[PATH_MAX];
    dir_of(dir, sizeof dir, path);
    return writable_dir("output directory", dir);
}

int cli_check_out_dir(const char *dir)
{
    if (!*dir) {
        fprintf(stderr, "entente: --out: an empty path\n");
        return EXIT_USAGE;
    }
    if (strlen(dir) + 300 >= PATH_MAX) {
        fprintf(stderr, "entente: --out: path too long\n");
        return EXIT_USAGE;
    }
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        return writable_dir("output directory", dir);
    }
    if (errno != ENOENT) {
        fprintf(stderr, "entente: output directory %s: %s\n", dir, strerror(errno));
        return EXIT_IO;
    }
    /* It will be created: its parent must take it. */
    char trimmed[PATH_MAX], parent[PATH_MAX];
    snprintf(trimmed, sizeof trimmed, "%s", dir);
    size_t l = strlen(trimmed);
    while (l > 1 && trimmed[l - 1] == '/') {
        trimmed[--l] = '\0';
    }
    dir_of(parent, sizeof parent, trimmed);
    return writable_dir("parent of the output directory", parent);
}

int cli_make_out_dir(const char *dir)
{
    int code = cli_check_out_dir(dir);
    if (code != EXIT_OK) {
        return code;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "entente: cannot create %s: %s\n", dir, strerror(errno));
        return EXIT_IO;
    }
    return writable_dir("output directory", dir);
}

bool cli_safe_name(const char *name)
{
    /* Letters, digits, '.', '_' and '-'; not empty, not starting with '.' (no "..", no hidden files). */
    if (!name[0] || name[0] == '.' || strlen(name) > 200) {
        return false;
    }
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-')) {
            return false;
        }
    }
    return true;
}

int cli_out_open(cli_out_t *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        o->to_stdout = true;
        snprintf(o->path, sizeof o->path, "standard output");
        return EXIT_OK;
    }
    if (snprintf(o->path, sizeof o->path, "%s", path) >= (int)sizeof o->path) {
        fprintf(stderr, "entente: %s: path too long\n", path);
        return EXIT_USAGE;
    }
    /* Same directory as the target, so the rename is atomic (one file system); hidden, so a
     * half-written file never looks like output. */
    char dir[PATH_MAX];
    dir_of(dir, sizeof dir, path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (snprintf(o->tmp, sizeof o->tmp, "%s/.%s.XXXXXX", dir, base) >= (int)sizeof o->tmp) {
        fprintf(stderr, "entente: %s: path too long\n", path);
        return EXIT_USAGE;
    }
    /* Block the signals while the name is created and registered, so an interruption between
     * mkstemp and the registration cannot leave the temporary behind. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(o->tmp);
    int err = errno;
    if (fd >= 0) {
        o->slot = temp_register(o->tmp);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        fprintf(stderr, "entente: writing %s: cannot create a temporary file in %s: %s\n", path, dir, strerror(err));
        return EXIT_IO;
    }
    /* mkstemp creates 0600; an output file gets the usual 0666 less the umask. */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    if (!(o->f = fdopen(fd, "w"))) {
        err = errno;
        close(fd);
        unlink(o->tmp);
        temp_release(o->slot);
        fprintf(stderr, "entente: writing %s: %s\n", path, strerror(err));
        return EXIT_IO;
    }
    return EXIT_OK;
}

void cli_out_abort(cli_out_t *o)
{
    if (!o->f || o->to_stdout) {
        o->f = NULL;
        return;
    }
    fclose(o->f);
    o->f = NULL;
    unlink(o->tmp);
    temp_release(o->slot);
}

int cli_out_commit(cli_out_t *o)
{
    if (o->to_stdout) {
        o->f = NULL;
        /* checked, with a message, when the process finishes (cli_process_finish) */
        return fflush(stdout) != 0 || ferror(stdout) ? EXIT_IO : EXIT_OK;
    }
    int err = 0;
    errno = 0;
    if (fflush(o->f) != 0) {
        err = errno ? errno : EIO;
    } else if (ferror(o->f)) {
        /* An earlier write failed and stdio kept no errno. The temporary is discarded anyway, so
         * one more byte written to it finds the reason (EFBIG, ENOSPC, EDQUOT). */
        err = write(fileno(o->f), "", 1) < 0 ? errno : EIO;
    } else if (fsync(fileno(o->f)) != 0 && errno != EINVAL && errno != EROFS) {
        err = errno;
    }
    if (fclose(o->f) != 0 && !err) {
        err = errno ? errno : EIO;
    }
    o->f = NULL;
    if (!err && rename(o->tmp, o->path) != 0) {
        err = errno;
    }
    if (err) {
        unlink(o->tmp);
        temp_release(o->slot);
        fprintf(stderr, "entente: writing %s: %s\n", o->path, strerror(err));
        return EXIT_IO;
    }
    temp_release(o->slot);
    /* The rename itself is durable only once the directory is synced. */
    char dir[PATH_MAX];
    dir_of(dir, sizeof dir, o->path);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return EXIT_OK;
}

json_t *cli_load_report(ent_err_t rc, char *text, int *ret)
{
    if (rc != ENT_OK) {
        *ret = cli_fail(rc);
        return NULL;
    }
    json_error_t err;
    json_t *o = json_loads(text, 0, &err);
    ent_free(text);
    if (!o) {
        fprintf(stderr, "entente: internal error reading a report: %s\n", err.text);
        *ret = EXIT_IO;
    }
    return o;
}

int cli_print_report(ent_err_t rc, char *text)
{
    int ret = EXIT_OK;
    json_t *o = cli_load_report(rc, text, &ret);
    return o ? cli_print_json(o) : ret;
}
