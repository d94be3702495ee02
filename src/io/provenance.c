/*
 * provenance.c -- the record of what produced an output (include/entente/provenance.h):
 * the engine and its commit, the inputs with their sizes and SHA-256, a store's
 * import log, the run parameters and the citation keys; rendered as JSON, as
 * '# ' comment lines and as a caption.
 *
 * It lives in io/ rather than util/ because it reads a store's import log,
 * and io is the first module above the store.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ent_build_info.h"
#include "entente/io.h"
#include "entente/provenance.h"
#include "store/store_read.h"
#include "util_int.h"

const char *ent_build_commit(void)
{
    return ENT_BUILD_COMMIT;
}
bool ent_build_dirty(void)
{
    return ENT_BUILD_DIRTY != 0;
}

typedef struct {
    char *role;
    char *path;
    uint64_t bytes;
    bool has_bytes;  /* bytes is known (files and the store) */
    char sha256[65]; /* empty for a store and an import log entry (see ent_prov_add_store) */
    char *format;    /* import log entries: the import format */
    int64_t rows;    /* import log entries: data rows read; -1 otherwise */
    char *at;        /* import log entries: when it was imported (UTC) */
} input_t;

typedef struct {
    char *key, *value;
} param_t;

struct ent_prov {
    char *command;
    char **argv;
    int argc;
    ent_vec_t inputs; /* input_t */
    ent_vec_t params; /* param_t */
    ent_vec_t cites;  /* const char * into the static table */
    bool has_seed;
    uint64_t seed;
    int64_t runs;
    int threads;
};

ent_err_t ent_prov_new(ent_prov_t **out, const char *command)
{
    *out = NULL;
    ent_prov_t *p = ent_calloc(1, sizeof *p);
    if (!p || !(p->command = ent_strdup(command ? command : ""))) {
        ent_free(p);
        return ent_i_nomem();
    }
    ent_vec_init(&p->inputs, sizeof(input_t));
    ent_vec_init(&p->params, sizeof(param_t));
    ent_vec_init(&p->cites, sizeof(const char *));
    p->runs = -1;
    p->threads = -1;
    *out = p;
    return ENT_OK;
}

void ent_prov_free(ent_prov_t *p)
{
    if (!p) {
        return;
    }
    for (size_t i = 0; i < p->inputs.len; i++) {
        input_t *in = &ENT_VEC_AT(&p->inputs, input_t, i);
        ent_free(in->role);
        ent_free(in->path);
        ent_free(in->format);
        ent_free(in->at);
    }
    for (size_t i = 0; i < p->params.len; i++) {
        ent_free(ENT_VEC_AT(&p->params, param_t, i).key);
        ent_free(ENT_VEC_AT(&p->params, param_t, i).value);
    }
    for (int i = 0; i < p->argc; i++) {
        ent_free(p->argv[i]);
    }
    ent_free(p->argv);
    ent_vec_destroy(&p->inputs);
    ent_vec_destroy(&p->params);
    ent_vec_destroy(&p->cites);
    ent_free(p->command);
    ent_free(p);
}

ent_err_t ent_prov_set_argv(ent_prov_t *p, int argc, char *const *argv)
{
    char **v = ent_calloc(argc > 0 ? (size_t)argc : 1, sizeof *v);
    if (!v) {
        return ent_i_nomem();
    }
    for (int i = 0; i < argc; i++) {
        if (!(v[i] = ent_strdup(argv[i]))) {
            for (int j = 0; j < i; j++) {
                ent_free(v[j]);
            }
            ent_free(v);
            return ent_i_nomem();
        }
    }
    for (int i = 0; i < p->argc; i++) {
        ent_free(p->argv[i]);
    }
    ent_free(p->argv);
    p->argv = v;
    p->argc = argc;
    return ENT_OK;
}

static ent_err_t push_input(ent_prov_t *p, input_t *in)
{
    ent_err_t rc = ent_vec_push(&p->inputs, in);
    if (rc != ENT_OK) {
        ent_free(in->role);
        ent_free(in->path);
        ent_free(in->format);
        ent_free(in->at);
    }
    return rc;
}

ent_err_t ent_prov_add_file(ent_prov_t *p, const char *role, const char *path)
{
    for (size_t i = 0; i < p->inputs.len; i++) {
        const input_t *in = &ENT_VEC_AT(&p->inputs, input_t, i);
        if (in->sha256[0] && strcmp(in->path, path) == 0) {
            return ENT_OK;
        }
    }
    input_t in = {0};
    in.rows = -1;
    ent_err_t rc = ent_sha256_file(in.sha256, &in.bytes, path);
    if (rc != ENT_OK) {
        return rc;
    }
    in.has_bytes = true;
    in.role = ent_strdup(role);
    in.path = ent_strdup(path);
    if (!in.role || !in.path) {
        ent_free(in.role);
        ent_free(in.path);
        return ent_i_nomem();
    }
    return push_input(p, &in);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ent_err_t ent_prov_add_dir(ent_prov_t *p, const char *role, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        return ent_i_err(ENT_EIO, "%s: cannot open the directory", dir);
    }
    ent_vec_t names = ENT_VEC_INIT(char *);
    ent_err_t rc = ENT_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".csv") == 0) {
            char *s = ent_strdup(e->d_name);
            if (!s || ent_vec_push(&names, &s) != ENT_OK) {
                ent_free(s);
                rc = ent_i_nomem();
                goto done;
            }
        }
    }
    /* readdir's order is the file system's: sort, so the record is the same on every machine. */
    if (names.len) {
        qsort(names.data, names.len, sizeof(char *), cmp_str);
    }
    for (size_t i = 0; i < names.len; i++) {
        ent_buf_t path = ENT_BUF_INIT;
        rc = ent_buf_printf(&path, "%s/%s", dir, ENT_VEC_AT(&names, char *, i));
        if (rc == ENT_OK) {
            rc = ent_prov_add_file(p, role, path.ptr);
        }
        ent_buf_destroy(&path);
        if (rc != ENT_OK) {
            goto done;
        }
    }
done:
    closedir(d);
    for (size_t i = 0; i < names.len; i++) {
        ent_free(ENT_VEC_AT(&names, char *, i));
    }
    ent_vec_destroy(&names);
    return rc;
}

/* The citation key of an import format: the format names are the keys, but for two aliases. */
static const char *format_cite(const char *format)
{
    if (strcmp(format, "cow-system") == 0) {
        return "cow-states";
    }
    if (strcmp(format, "atop-dyad-year") == 0) {
        return "atop";
    }
    return format;
}

/* One import of the store's log: an input of the record, and the citation of its format. */
static ent_err_t add_import(void *ctx, const char *fmt, const char *path, int64_t rows, const char *at)
{
    ent_prov_t *p = ctx;
    input_t in = {0};
    in.role = ent_strdup("import");
    in.format = ent_strdup(fmt);
    in.path = ent_strdup(path);
    in.at = ent_strdup(at);
    in.rows = rows;
    if (!in.role || !in.format || !in.path || !in.at) {
        ent_free(in.role);
        ent_free(in.format);
        ent_free(in.path);
        ent_free(in.at);
        return ent_i_nomem();
    }
    ent_err_t rc = push_input(p, &in);
    if (rc != ENT_OK) {
        return rc;
    }
    /* A format this engine version does not know is recorded but not cited. */
    const char *key = format_cite(fmt);
    if (ent_cite_lookup(key) && (rc = ent_prov_cite(p, key)) != ENT_OK) {
        return rc;
    }
    if (strcmp(key, "cow-states") == 0 || strcmp(key, "un-votes") == 0) {
        rc = ent_prov_cite(p, "countrycode"); /* both map names or ISO codes through the countrycode crosswalk */
    }
    return rc;
}

ent_err_t ent_prov_add_store(ent_prov_t *p, ent_store_t *st)
{
    /*
     * The store is named by its path, size and import log, not hashed: a full store is
     * hundreds of megabytes (seconds of hashing on every query), and its bytes change
     * with SQLite's page layout while the data do not. Every import replaces its dataset
     * and is logged, so the log says which data the store holds.
     */
    struct stat sb;
    if (stat(ent_store_path(st), &sb) != 0) {
        return ent_i_err(ENT_EIO, "%s: cannot stat the store: %s", ent_store_path(st), strerror(errno));
    }
    input_t db = {0};
    db.rows = -1;
    db.bytes = (uint64_t)sb.st_size;
    db.has_bytes = true;
    db.role = ent_strdup("store");
    db.path = ent_strdup(ent_store_path(st));
    if (!db.role || !db.path) {
        ent_free(db.role);
        ent_free(db.path);
        return ent_i_nomem();
    }
    ent_err_t rc = push_input(p, &db);
    if (rc != ENT_OK) {
        return rc;
    }
    return ent_i_store_import_log(st, add_import, p);
}

void ent_prov_set_run(ent_prov_t *p, uint64_t seed, int64_t runs, int threads)
{
    p->has_seed = true;
    p->seed = seed;
    p->runs = runs;
    p->threads = threads;
}

ent_err_t ent_prov_set_param(ent_prov_t *p, const char *key, const char *value)
{
    char *v = ent_strdup(value);
    if (!v) {
        return ent_i_nomem();
    }
    for (size_t i = 0; i < p->params.len; i++) {
        param_t *pa = &ENT_VEC_AT(&p->params, param_t, i);
        if (strcmp(pa->key, key) == 0) {
            ent_free(pa->value);
            pa->value = v;
            return ENT_OK;
        }
    }
    param_t pa = {ent_strdup(key), v};
    if (!pa.key || ent_vec_push(&p->params, &pa) != ENT_OK) {
        ent_free(pa.key);
        ent_free(v);
        return ent_i_nomem();
    }
    return ENT_OK;
}

ent_err_t ent_prov_cite(ent_prov_t *p, const char *key)
{
    const ent_cite_t *c = ent_cite_lookup(key);
    if (!c) {
        return ent_i_err(ENT_ENOTFOUND, "no citation with key '%s'", key);
    }
    for (size_t i = 0; i < p->cites.len; i++) {
        if (strcmp(ENT_VEC_AT(&p->cites, const char *, i), key) == 0) {
            return ENT_OK;
        }
    }
    return ent_vec_push(&p->cites, &c->key);
}

size_t ent_prov_ncites(const ent_prov_t *p)
{
    return p->cites.len;
}
const char *ent_prov_cite_key(const ent_prov_t *p, size_t i)
{
    return ENT_VEC_AT(&p->cites, const char *, i);
}

/* ------------------------------------------------------------ rendering */

/* A JSON string literal: quotes, backslashes and control characters escaped; UTF-8 passed through. */
static ent_err_t put_jstr(ent_buf_t *b, const char *s)
{
    ent_err_t rc = ent_buf_put(b, "\"", 1);
    for (const unsigned char *q = (const unsigned char *)s; rc == ENT_OK && *q; q++) {
        switch (*q) {
        case '"': rc = ent_buf_puts(b, "\\\""); break;
        case '\\': rc = ent_buf_puts(b, "\\\\"); break;
        case '\n': rc = ent_buf_puts(b, "\\n"); break;
        case '\r': rc = ent_buf_puts(b, "\\r"); break;
        case '\t': rc = ent_buf_puts(b, "\\t"); break;
        default: rc = *q < 0x20 ? ent_buf_printf(b, "\\u%04x", *q) : ent_buf_put(b, q, 1);
        }
    }
    return rc == ENT_OK ? ent_buf_put(b, "\"", 1) : rc;
}

#define PUT(expr)                                                                                                      \
    do {                                                                                                               \
        if ((rc = (expr)) != ENT_OK) {                                                                                 \
            return rc;                                                                                                 \
        }                                                                                                              \
    } while (0)

/* The command line as one shell-readable string (arguments with spaces or quotes in single quotes). */
static ent_err_t put_cmdline(ent_buf_t *b, const ent_prov_t *p)
{
    ent_err_t rc = ENT_OK;
    for (int i = 0; i < p->argc; i++) {
        const char *a = p->argv[i];
        if (i) {
            PUT(ent_buf_put(b, " ", 1));
        }
        if (*a && !a[strcspn(a, " \t\n'\"\\$`*?;&|<>()")]) {
            PUT(ent_buf_puts(b, a));
            continue;
        }
        PUT(ent_buf_put(b, "'", 1));
        for (; *a; a++) {
            PUT(*a == '\'' ? ent_buf_puts(b, "'\\''") : ent_buf_put(b, a, 1));
        }
        PUT(ent_buf_put(b, "'", 1));
    }
    return rc;
}

ent_err_t ent_prov_render_json(ent_buf_t *out, const ent_prov_t *p)
{
    ent_err_t rc;
    ent_buf_t cmd = ENT_BUF_INIT;
    if ((rc = put_cmdline(&cmd, p)) != ENT_OK) {
        ent_buf_destroy(&cmd);
        return rc;
    }
    rc = ent_buf_printf(out,
                        "{\"engine\": {\"name\": \"entente\", \"version\": \"%s\", \"commit\": \"%s\", \"dirty\": %s}",
                        ent_version(), ent_build_commit(), ent_build_dirty() ? "true" : "false");
    if (rc == ENT_OK && (rc = ent_buf_printf(out, ", \"command\": ")) == ENT_OK) {
        rc = put_jstr(out, ent_buf_cstr(&cmd));
    }
    ent_buf_destroy(&cmd);
    if (rc != ENT_OK) {
        return rc;
    }
    PUT(ent_buf_puts(out, ", \"argv\": ["));
    for (int i = 0; i < p->argc; i++) {
        PUT(ent_buf_puts(out, i ? ", " : ""));
        PUT(put_jstr(out, p->argv[i]));
    }
    PUT(ent_buf_puts(out, "], \"inputs\": ["));
    for (size_t i = 0; i < p->inputs.len; i++) {
        const input_t *in = &ENT_VEC_AT(&p->inputs, input_t, i);
        PUT(ent_buf_puts(out, i ? ", {\"role\": " : "{\"role\": "));
        PUT(put_jstr(out, in->role));
        PUT(ent_buf_puts(out, ", \"path\": "));
        PUT(put_jstr(out, in->path));
        if (in->has_bytes) {
            PUT(ent_buf_printf(out, ", \"bytes\": %" PRIu64, in->bytes));
        }
        if (in->sha256[0]) {
            PUT(ent_buf_printf(out, ", \"sha256\": \"%s\"", in->sha256));
        }
        if (in->format) {
            PUT(ent_buf_puts(out, ", \"format\": "));
            PUT(put_jstr(out, in->format));
            PUT(ent_buf_printf(out, ", \"rows\": %" PRId64 ", \"imported_at\": ", in->rows));
            PUT(put_jstr(out, in->at));
        }
        PUT(ent_buf_puts(out, "}"));
    }
    PUT(ent_buf_puts(out, "]"));
    if (p->has_seed) {
        PUT(ent_buf_printf(out, ", \"seed\": %" PRIu64, p->seed));
        if (p->runs >= 0) {
            PUT(ent_buf_printf(out, ", \"runs\": %" PRId64, p->runs));
        }
        if (p->threads >= 0) {
            PUT(ent_buf_printf(out, ", \"threads\": %d", p->threads));
        }
    }
    PUT(ent_buf_puts(out, ", \"params\": {"));
    for (size_t i = 0; i < p->params.len; i++) {
        const param_t *pa = &ENT_VEC_AT(&p->params, param_t, i);
        PUT(ent_buf_puts(out, i ? ", " : ""));
        PUT(put_jstr(out, pa->key));
        PUT(ent_buf_puts(out, ": "));
        PUT(put_jstr(out, pa->value));
    }
    PUT(ent_buf_puts(out, "}, \"cite\": ["));
    for (size_t i = 0; i < p->cites.len; i++) {
        PUT(ent_buf_puts(out, i ? ", " : ""));
        PUT(put_jstr(out, ENT_VEC_AT(&p->cites, const char *, i)));
    }
    return ent_buf_puts(out, "]}");
}

/* A value for a comment line: newlines would end the comment, so they become spaces. */
static ent_err_t put_oneline(ent_buf_t *b, const char *s)
{
    ent_err_t rc = ENT_OK;
    for (; *s && rc == ENT_OK; s++) {
        rc = ent_buf_put(b, (*s == '\n' || *s == '\r') ? " " : s, 1);
    }
    return rc;
}

ent_err_t ent_prov_render_comments(ent_buf_t *out, const ent_prov_t *p)
{
    ent_err_t rc;
    PUT(ent_buf_printf(out, "# entente %s (commit %s%s)\n", ent_version(), ent_build_commit(),
                       ent_build_dirty() ? ", dirty" : ""));
    ent_buf_t cmd = ENT_BUF_INIT;
    rc = put_cmdline(&cmd, p);
    if (rc == ENT_OK && (rc = ent_buf_puts(out, "# command: ")) == ENT_OK &&
        (rc = put_oneline(out, ent_buf_cstr(&cmd))) == ENT_OK) {
        rc = ent_buf_puts(out, "\n");
    }
    ent_buf_destroy(&cmd);
    if (rc != ENT_OK) {
        return rc;
    }
    for (size_t i = 0; i < p->inputs.len; i++) {
        const input_t *in = &ENT_VEC_AT(&p->inputs, input_t, i);
        PUT(ent_buf_printf(out, "# input: %s ", in->role));
        PUT(put_oneline(out, in->path));
        if (in->sha256[0]) {
            PUT(ent_buf_printf(out, " (%" PRIu64 " bytes, sha256 %s)", in->bytes, in->sha256));
        } else if (in->has_bytes) {
            PUT(ent_buf_printf(out, " (%" PRIu64 " bytes)", in->bytes));
        }
        if (in->format) {
            PUT(ent_buf_printf(out, " (format %s, %" PRId64 " rows, imported %s)", in->format, in->rows, in->at));
        }
        PUT(ent_buf_puts(out, "\n"));
    }
    if (p->has_seed) {
        PUT(ent_buf_printf(out, "# seed: %" PRIu64 "\n", p->seed));
        if (p->runs >= 0) {
            PUT(ent_buf_printf(out, "# runs: %" PRId64 "\n", p->runs));
        }
        if (p->threads >= 0) {
            PUT(ent_buf_printf(out, "# threads: %d\n", p->threads));
        }
    }
    for (size_t i = 0; i < p->params.len; i++) {
        const param_t *pa = &ENT_VEC_AT(&p->params, param_t, i);
        PUT(ent_buf_printf(out, "# %s: ", pa->key));
        PUT(put_oneline(out, pa->value));
        PUT(ent_buf_puts(out, "\n"));
    }
    if (p->cites.len) {
        PUT(ent_buf_puts(out, "# cite:"));
        for (size_t i = 0; i < p->cites.len; i++) {
            PUT(ent_buf_printf(out, " %s", ENT_VEC_AT(&p->cites, const char *, i)));
        }
        PUT(ent_buf_puts(out, " (entente cite --for THIS_FILE)\n"));
    }
    return ENT_OK;
}

ent_err_t ent_prov_render_caption(ent_buf_t *out, const ent_prov_t *p)
{
    ent_err_t rc;
    /* The commit abbreviated to 12 hex digits, as `git log --abbrev=12` shows it. */
    PUT(ent_buf_printf(out, "entente %s (%.12s%s)", ent_version(), ent_build_commit(),
                       ent_build_dirty() ? "+dirty" : ""));
    if (p->has_seed) {
        PUT(ent_buf_printf(out, ", seed %" PRIu64, p->seed));
        if (p->runs >= 0) {
            PUT(ent_buf_printf(out, ", %" PRId64 " runs", p->runs));
        }
    }
    /* Data: the cited datasets by their brief references; `entente cite` gives the full ones. */
    bool first = true;
    for (size_t i = 0; i < p->cites.len; i++) {
        const ent_cite_t *c = ent_cite_lookup(ENT_VEC_AT(&p->cites, const char *, i));
        if (c->kind != ENT_CITE_DATA) {
            continue;
        }
        PUT(ent_buf_puts(out, first ? ". Data: " : "; "));
        first = false;
        PUT(ent_buf_puts(out, c->brief));
    }
    for (size_t i = 0; i < p->inputs.len; i++) {
        const input_t *in = &ENT_VEC_AT(&p->inputs, input_t, i);
        if (strcmp(in->role, "scenario") == 0) {
            PUT(ent_buf_printf(out, ". Scenario %s (sha256 %.12s)", ent_i_basename(in->path), in->sha256));
        }
    }
    return ent_buf_puts(out, ".");
}
