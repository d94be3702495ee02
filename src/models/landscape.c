/*
 * landscape.c -- landscape theory of aggregation (Axelrod & Bennett 1993):
 * the landscape (actors, sizes, symmetric propensities), its readers, its
 * local and global minima through the signed-partition kernel, and the
 * shipped world's landscape on a date. The equations and the sign convention
 * are in include/entente/landscape.h and docs/models/landscape.md.
 *
 * Why the kernel: E(X) = 2 (F(X) - N) with F the frustration of the signed
 * graph a_ij = s_i s_j p_ij, so enumeration, exact optimum and heuristics
 * all come from src/measures/partition_*.c; this file only converts, samples
 * minima beyond the enumeration's reach and reports.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "entente/dyads.h"
#include "entente/landscape.h"
#include "entente/system.h"
#include "util_int.h"

#define MAX_LABEL 200
#define SIZE_MIN 1e-100
#define SIZE_MAX_ 1e100

/* ---------------------------------------------------------------- the landscape */

void ent_landscape_init(ent_landscape_t *l)
{
    memset(l, 0, sizeof *l);
}

void ent_landscape_destroy(ent_landscape_t *l)
{
    if (!l) {
        return;
    }
    for (int32_t i = 0; l->label && i < l->n; i++) {
        ent_free(l->label[i]);
    }
    ent_free(l->label);
    ent_free(l->size);
    ent_free(l->p);
    ent_free(l->order);
    memset(l, 0, sizeof *l);
}

static int cmp_label(const void *x, const void *y, void *ctx)
{
    char *const *lab = ctx;
    return strcmp(lab[*(const int32_t *)x], lab[*(const int32_t *)y]);
}

ent_err_t ent_landscape_setup(ent_landscape_t *l, int32_t n, const char *const *labels, const double *sizes)
{
    if (n < 1 || n > ENT_LANDSCAPE_MAX_ACTORS) {
        return ent_i_err(ENT_ERANGE, "a landscape needs 1 to %d actors, got %d", ENT_LANDSCAPE_MAX_ACTORS, (int)n);
    }
    for (int32_t i = 0; i < n; i++) {
        if (!(sizes[i] >= SIZE_MIN && sizes[i] <= SIZE_MAX_)) {
            return ent_i_err(ENT_ERANGE, "size of actor %d must be a positive number in [1e-100, 1e100], got %g",
                             (int)i, sizes[i]);
        }
    }
    l->label = ent_calloc((size_t)n, sizeof *l->label);
    l->size = ent_malloc((size_t)n * sizeof *l->size);
    l->p = ent_calloc((size_t)n * (size_t)n, sizeof *l->p);
    l->order = ent_malloc((size_t)n * sizeof *l->order);
    l->n = n;
    if (!l->label || !l->size || !l->p || !l->order) {
        ent_landscape_destroy(l);
        return ent_i_nomem();
    }
    char buf[24];
    for (int32_t i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, "%d", (int)i);
        l->label[i] = ent_strdup(labels ? labels[i] : buf);
        if (!l->label[i]) {
            ent_landscape_destroy(l);
            return ent_i_nomem();
        }
        l->size[i] = sizes[i];
        l->order[i] = i;
    }
    qsort_r(l->order, (size_t)n, sizeof *l->order, cmp_label, l->label);
    for (int32_t k = 1; k < n; k++) {
        if (strcmp(l->label[l->order[k - 1]], l->label[l->order[k]]) == 0) {
            ent_err_t rc = ent_i_err(ENT_EEXISTS, "actor '%s' given twice", l->label[l->order[k]]);
            ent_landscape_destroy(l);
            return rc;
        }
    }
    return ENT_OK;
}

int32_t ent_landscape_find(const ent_landscape_t *l, const char *label)
{
    int32_t lo = 0, hi = l->n - 1;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(label, l->label[l->order[mid]]);
        if (c == 0) {
            return l->order[mid];
        }
        if (c < 0) {
            hi = mid - 1;
        } else {
            lo = mid + 1;
        }
    }
    return -1;
}

ent_err_t ent_landscape_set(ent_landscape_t *l, int32_t i, int32_t j, double p)
{
    if (i < 0 || j < 0 || i >= l->n || j >= l->n || i == j) {
        return ent_i_err(ENT_EINVAL, "landscape: no pair (%d, %d) among %d actors", (int)i, (int)j, (int)l->n);
    }
    if (p != 0.0 && !(fabs(p) >= SIZE_MIN && fabs(p) <= SIZE_MAX_)) {
        return ent_i_err(ENT_ERANGE, "propensity of %s and %s must be 0 or of magnitude in [1e-100, 1e100], got %g",
                         l->label[i], l->label[j], p);
    }
    l->p[(size_t)i * (size_t)l->n + (size_t)j] = p;
    l->p[(size_t)j * (size_t)l->n + (size_t)i] = p;
    return ENT_OK;
}

double ent_landscape_energy(const ent_landscape_t *l, const int32_t *side)
{
    double e = 0;
    for (int32_t i = 0; i < l->n; i++) {
        const double *row = l->p + (size_t)i * (size_t)l->n;
        double ei = 0;
        for (int32_t j = i + 1; j < l->n; j++) {
            if (side[i] != side[j]) {
                ei += l->size[j] * row[j];
            }
        }
        e += l->size[i] * ei;
    }
    return 2.0 * e;
}

ent_err_t ent_landscape_graph(ent_signed_t *g, const ent_landscape_t *l)
{
    return ent_signed_from_landscape(g, l->n, l->size, l->p, (const char *const *)l->label);
}

/* ---------------------------------------------------------------- reading */

typedef struct {
    char **label;
    double *size;
    int64_t *line;
    size_t len, cap;
} actors_t;

static void actors_free(actors_t *a)
{
    for (size_t i = 0; i < a->len; i++) {
        ent_free(a->label[i]);
    }
    ent_free(a->label);
    ent_free(a->size);
    ent_free(a->line);
}

static ent_err_t read_actors(actors_t *a, const char *path)
{
    ent_csv_t *r = NULL;
    ent_err_t rc;
    enum { ACTOR, SIZE };
    static const char *const cols[] = {"actor", "size"};
    int ix[2];
    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, 2));
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        const char *name;
        double s;
        ENT_CHECK(ent_csv_get_str(r, (size_t)ix[ACTOR], "actor", MAX_LABEL, &name, NULL));
        ENT_CHECK(ent_csv_get_f64(r, (size_t)ix[SIZE], "size", -INFINITY, INFINITY, &s, NULL));
        if (!(s >= SIZE_MIN && s <= SIZE_MAX_)) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[SIZE], "size",
                               "expected a positive size in [1e-100, 1e100], got %g", s);
            goto done;
        }
        for (size_t k = 0; k < a->len; k++) {
            if (strcmp(a->label[k], name) == 0) {
                rc = ent_csv_error(r, ENT_EEXISTS, (size_t)ix[ACTOR], "actor", "actor '%s' already on line %lld", name,
                                   (long long)a->line[k]);
                goto done;
            }
        }
        if (a->len == ENT_LANDSCAPE_MAX_ACTORS) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[ACTOR], "actor", "more than %d actors",
                               ENT_LANDSCAPE_MAX_ACTORS);
            goto done;
        }
        if (a->len == a->cap) {
            size_t cap = a->cap ? 2 * a->cap : 32;
            char **lab = ent_realloc(a->label, cap * sizeof *lab);
            if (lab) {
                a->label = lab;
            }
            double *sz = ent_realloc(a->size, cap * sizeof *sz);
            if (sz) {
                a->size = sz;
            }
            int64_t *ln = ent_realloc(a->line, cap * sizeof *ln);
            if (ln) {
                a->line = ln;
            }
            if (!lab || !sz || !ln) {
                rc = ent_i_nomem();
                goto done;
            }
            a->cap = cap;
        }
        if (!(a->label[a->len] = ent_strdup(name))) {
            rc = ent_i_nomem();
            goto done;
        }
        a->size[a->len] = s;
        a->line[a->len] = ent_csv_line(r);
        a->len++;
    }
    if (a->len == 0) {
        rc = ent_i_err(ENT_EPARSE, "%s: no actors (a header 'actor,size' and one row per actor)", ent_i_basename(path));
    }
done:
    ent_csv_free(r);
    return rc;
}

/* A propensity field: a finite number of magnitude 0 or in [1e-100, 1e100]; NA/empty = 0 when `na_zero`. */
static ent_err_t get_propensity(const ent_csv_t *r, size_t i, const char *what, bool na_zero, double *out)
{
    bool na = false;
    ent_err_t rc = ent_csv_get_f64(r, i, what, -INFINITY, INFINITY, out, na_zero ? &na : NULL);
    if (rc != ENT_OK) {
        return rc;
    }
    if (na) {
        *out = 0;
        return ENT_OK;
    }
    if (*out != 0.0 && !(fabs(*out) >= SIZE_MIN && fabs(*out) <= SIZE_MAX_)) {
        return ent_csv_error(r, ENT_ERANGE, i, what,
                             "expected a finite propensity of magnitude in [1e-100, 1e100] or 0, got %g", *out);
    }
    return ENT_OK;
}

static ent_err_t unknown_actor(const ent_csv_t *r, size_t i, const char *what, const char *name, const char *apath)
{
    return ent_csv_error(r, ENT_ENOTFOUND, i, what, "unknown actor '%s' (not in %s)", name, ent_i_basename(apath));
}

/* Edge list a,b,p: the header is the current record; columns ia, ib, ip. */
static ent_err_t read_pairs(ent_landscape_t *l, ent_csv_t *r, size_t nh, size_t ia, size_t ib, size_t ip,
                            const char *apath)
{
    ent_err_t rc = ENT_OK;
    size_t n = (size_t)l->n;
    int64_t *seen = ent_calloc(n * n, sizeof *seen); /* line of (i, j) as given, 0 = not given */
    if (!seen) {
        return ent_i_nomem();
    }
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        ENT_CHECK(ent_csv_expect_fields(r, nh));
        const char *a, *b;
        double p;
        ENT_CHECK(ent_csv_get_str(r, ia, "a", MAX_LABEL, &a, NULL));
        int32_t i = ent_landscape_find(l, a);
        if (i < 0) {
            rc = unknown_actor(r, ia, "a", a, apath);
            goto done;
        }
        ENT_CHECK(ent_csv_get_str(r, ib, "b", MAX_LABEL, &b, NULL));
        int32_t j = ent_landscape_find(l, b);
        if (j < 0) {
            rc = unknown_actor(r, ib, "b", b, apath);
            goto done;
        }
        if (i == j) {
            rc = ent_csv_error(r, ENT_EPARSE, ib, "b", "self pair '%s' (a propensity joins two actors)", a);
            goto done;
        }
        ENT_CHECK(get_propensity(r, ip, "p", false, &p));
        size_t ij = (size_t)i * n + (size_t)j, ji = (size_t)j * n + (size_t)i;
        if (seen[ij]) {
            rc = ent_csv_error(r, ENT_EEXISTS, ib, "b", "duplicate pair %s,%s (first on line %lld)", a, b,
                               (long long)seen[ij]);
            goto done;
        }
        if (seen[ji]) {
            double q = l->p[ji];
            if (p != q) {
                rc = ent_csv_error(r, ENT_ERANGE, ip, "p",
                                   "asymmetric propensities: p(%s,%s) = %g here but p(%s,%s) = %g on line %lld", a, b,
                                   p, b, a, q, (long long)seen[ji]);
                goto done;
            }
        }
        seen[ij] = ent_csv_line(r);
        ENT_CHECK(ent_landscape_set(l, i, j, p));
    }
done:
    ent_free(seen);
    return rc;
}

/* A square matrix: the header is the current record, with nh fields. */
static ent_err_t read_matrix(ent_landscape_t *l, ent_csv_t *r, size_t nh, const char *apath)
{
    ent_err_t rc = ENT_OK;
    const char *fname = ent_csv_name(r);
    bool corner = false;
    for (size_t c = 0; c < nh && !corner; c++) {
        corner = ent_landscape_find(l, ent_csv_field(r, c, NULL)) < 0;
    }
    size_t off = corner ? 1 : 0, m = nh - off;
    if (m == 0) {
        return ent_i_err(ENT_EPARSE, "%s:%lld: expected a header 'a,b,p' or a header row of actor names", fname,
                         (long long)ent_csv_line(r));
    }
    int32_t *act = ent_malloc(m * sizeof *act);
    double *val = ent_calloc(m * m, sizeof *val);
    int64_t *cellcol = ent_calloc(m * m, sizeof *cellcol);
    int64_t *rowline = ent_calloc(m, sizeof *rowline);
    if (!act || !val || !cellcol || !rowline) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t c = 0; c < m; c++) {
        const char *name = ent_csv_field(r, c + off, NULL);
        if ((act[c] = ent_landscape_find(l, name)) < 0) {
            rc = unknown_actor(r, c + off, "header", name, apath);
            goto done;
        }
        for (size_t k = 0; k < c; k++) {
            if (act[k] == act[c]) {
                rc = ent_csv_error(r, ENT_EEXISTS, c + off, "header", "actor '%s' names two columns", name);
                goto done;
            }
        }
    }
    size_t rows = 0;
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        if (rows == m) {
            rc = ent_csv_error(r, ENT_EPARSE, 0, "row", "more rows than the %zu columns of a square matrix", m);
            goto done;
        }
        ENT_CHECK(ent_csv_expect_fields(r, nh));
        const char *rl = l->label[act[rows]];
        if (corner) {
            const char *lab = ent_csv_field(r, 0, NULL);
            if (strcmp(lab, rl) != 0) {
                rc = ent_csv_error(r, ent_landscape_find(l, lab) < 0 ? ENT_ENOTFOUND : ENT_EPARSE, 0, "row",
                                   "row %zu is '%s' but column %zu is '%s' (rows follow the header's order)", rows + 1,
                                   lab, rows + 1, rl);
                goto done;
            }
        }
        rowline[rows] = ent_csv_line(r);
        for (size_t c = 0; c < m; c++) {
            const char *cn = l->label[act[c]];
            double v;
            ENT_CHECK(get_propensity(r, c + off, cn, true, &v));
            if (c == rows && v != 0.0) {
                rc =
                    ent_csv_error(r, ENT_ERANGE, c + off, cn, "the diagonal (%s with itself) must be 0, got %g", cn, v);
                goto done;
            }
            val[rows * m + c] = v;
            cellcol[rows * m + c] = ent_csv_column(r, c + off);
        }
        rows++;
    }
    if (rows < m) {
        rc = ent_i_err(ENT_EPARSE, "%s: a square matrix needs %zu rows after the header, got %zu", fname, m, rows);
        goto done;
    }
    bool upper0 = true, lower0 = true; /* every entry above / below the diagonal is 0 */
    for (size_t i = 0; i < m; i++) {
        for (size_t j = i + 1; j < m; j++) {
            upper0 = upper0 && val[i * m + j] == 0.0;
            lower0 = lower0 && val[j * m + i] == 0.0;
        }
    }
    for (size_t i = 0; i < m; i++) {
        for (size_t j = i + 1; j < m; j++) {
            double up = val[i * m + j], lo = val[j * m + i];
            if (!upper0 && !lower0 && up != lo) {
                rc = ent_i_err(ENT_ERANGE,
                               "%s:%lld:%lld: field '%s': asymmetric propensities: p(%s,%s) = %g but p(%s,%s) = %g "
                               "on line %lld (give a symmetric or a triangular matrix)",
                               fname, (long long)rowline[j], (long long)cellcol[j * m + i], l->label[act[i]],
                               l->label[act[j]], l->label[act[i]], lo, l->label[act[i]], l->label[act[j]], up,
                               (long long)rowline[i]);
                goto done;
            }
            ENT_CHECK(ent_landscape_set(l, act[i], act[j], up != 0.0 ? up : lo));
        }
    }
done:
    ent_free(act);
    ent_free(val);
    ent_free(cellcol);
    ent_free(rowline);
    return rc;
}

ent_err_t ent_landscape_read(ent_landscape_t *l, const char *actors_path, const char *propensities_path)
{
    actors_t a = {NULL, NULL, NULL, 0, 0};
    ent_csv_t *r = NULL;
    ent_err_t rc;
    ENT_CHECK(read_actors(&a, actors_path));
    ENT_CHECK(ent_landscape_setup(l, (int32_t)a.len, (const char *const *)a.label, a.size));
    ENT_CHECK(ent_csv_open(&r, propensities_path, NULL));
    bool eof;
    ENT_CHECK(ent_csv_next(r, &eof));
    if (eof) {
        rc = ent_i_err(ENT_EPARSE, "%s: empty file (expected a header 'a,b,p' or a row of actor names)",
                       ent_csv_name(r));
        goto done;
    }
    size_t nh = ent_csv_nfields(r);
    int ia = -1, ib = -1, ip = -1;
    for (size_t c = 0; c < nh; c++) {
        const char *f = ent_csv_field(r, c, NULL);
        if (strcmp(f, "a") == 0 && ent_landscape_find(l, "a") < 0) {
            ia = (int)c;
        } else if (strcmp(f, "b") == 0 && ent_landscape_find(l, "b") < 0) {
            ib = (int)c;
        } else if (strcmp(f, "p") == 0 && ent_landscape_find(l, "p") < 0) {
            ip = (int)c;
        }
    }
    if (ia >= 0 && ib >= 0 && ip >= 0) {
        rc = read_pairs(l, r, nh, (size_t)ia, (size_t)ib, (size_t)ip, actors_path);
    } else {
        rc = read_matrix(l, r, nh, actors_path);
    }
done:
    ent_csv_free(r);
    actors_free(&a);
    if (rc != ENT_OK) {
        ent_landscape_destroy(l);
    }
    return rc;
}

/* ---------------------------------------------------------------- results */

void ent_landscape_result_init(ent_landscape_result_t *r)
{
    memset(r, 0, sizeof *r);
    ent_vec_init(&r->side, sizeof(int32_t));
    ent_vec_init(&r->minima, sizeof(ent_landscape_min_t));
    ent_vec_init(&r->sides, sizeof(int32_t));
    r->bound = -INFINITY;
    r->gap = NAN;
}

void ent_landscape_result_destroy(ent_landscape_result_t *r)
{
    if (!r) {
        return;
    }
    ent_vec_destroy(&r->side);
    ent_vec_destroy(&r->minima);
    ent_vec_destroy(&r->sides);
}

/* A kept minimum before sorting: its record and where its sides are in a scratch array. */
typedef struct {
    ent_landscape_min_t m;
    uint64_t key; /* canonical configuration (exhaustive) or first sample index (sampled): the last tie-break */
    size_t at;    /* offset of its n sides in the scratch array */
} cand_t;

static int cmp_cand(const void *x, const void *y)
{
    const cand_t *a = x, *b = y;
    if (a->m.energy != b->m.energy) {
        return a->m.energy < b->m.energy ? -1 : 1;
    }
    if (a->m.basin != b->m.basin) {
        return a->m.basin > b->m.basin ? -1 : 1;
    }
    return a->key < b->key ? -1 : a->key > b->key;
}

/* Sorts the candidates and writes res->minima and res->sides (at most max). */
static ent_err_t emit_minima(ent_landscape_result_t *res, cand_t *c, size_t nc, const int32_t *scratch, int32_t n,
                             size_t max)
{
    qsort(c, nc, sizeof *c, cmp_cand);
    size_t keep = nc < max ? nc : max;
    if (ent_vec_resize(&res->minima, keep) != ENT_OK || ent_vec_resize(&res->sides, keep * (size_t)n) != ENT_OK) {
        return ent_i_nomem();
    }
    for (size_t k = 0; k < keep; k++) {
        ENT_VEC_AT(&res->minima, ent_landscape_min_t, k) = c[k].m;
        memcpy((int32_t *)res->sides.data + k * (size_t)n, scratch + c[k].at, (size_t)n * sizeof(int32_t));
    }
    return ENT_OK;
}

static ent_err_t set_side(ent_landscape_result_t *res, const ent_landscape_t *l, const int32_t *block)
{
    if (ent_vec_resize(&res->side, (size_t)l->n) != ENT_OK) {
        return ent_i_nomem();
    }
    int32_t *s = res->side.data;
    for (int32_t i = 0; i < l->n; i++) {
        s[i] = (block[i] != block[0]); /* actor 0 on side 0 */
    }
    res->energy = ent_landscape_energy(l, s);
    return ENT_OK;
}

/* N = sum_{i<j} max(0, -a_ij): E = 2 (F - N). */
static double negative_mass(const ent_signed_t *g)
{
    double neg = 0;
    for (size_t e = 0; e < g->m; e++) {
        neg += g->ew[e] < 0 ? -g->ew[e] : 0;
    }
    return neg;
}

static ent_err_t solve_exhaustive(ent_landscape_result_t *res, const ent_landscape_t *l, const ent_signed_t *g,
                                  const ent_landscape_options_t *o)
{
    int32_t n = l->n;
    ent_solve_options_t so = ENT_SOLVE_OPTIONS_INIT;
    so.method = ENT_SOLVE_EXHAUSTIVE;
    so.minima = true;
    so.basins = o->basins;
    so.max_minima = o->max_minima;
    so.max_bytes = o->max_bytes;
    so.threads = o->threads;
    so.cancel = o->cancel;
    ent_solve_result_t ex;
    ent_solve_result_init(&ex);
    cand_t *c = NULL;
    int32_t *scratch = NULL;
    ent_err_t rc = ent_partition_solve(&ex, g, &so);
    if (rc != ENT_OK) {
        goto done;
    }
    ENT_CHECK(set_side(res, l, ex.best.block.data));
    res->bound = res->energy;
    res->gap = 0;
    res->optimal = true;
    res->complete = true;
    res->basins = ex.basins ? ENT_LANDSCAPE_BASINS_EXACT : ENT_LANDSCAPE_BASINS_NONE;
    res->configurations = ex.configs;
    res->nminima = ex.nminima;
    snprintf(res->method, sizeof res->method, "%s", ex.best.method);
    size_t nc = ex.minima.len;
    c = ent_calloc(nc ? nc : 1, sizeof *c);
    scratch = ent_calloc((nc ? nc : 1) * (size_t)n, sizeof *scratch);
    if (!c || !scratch) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k < nc; k++) {
        const ent_local_min_t *lm = &ENT_VEC_AT(&ex.minima, ent_local_min_t, k);
        int32_t *s = scratch + k * (size_t)n;
        for (int32_t i = 0; i < n; i++) {
            s[i] = ent_config_block(lm->config, i);
        }
        c[k].m.energy = ent_landscape_energy(l, s);
        c[k].m.basin = ex.basins ? lm->basin : 0;
        c[k].m.basin_share = ex.basins ? (double)lm->basin / (double)ex.configs : NAN;
        c[k].key = lm->config;
        c[k].at = k * (size_t)n;
    }
    rc = emit_minima(res, c, nc, scratch, n, o->max_minima);
done:
    ent_solve_result_destroy(&ex);
    ent_free(c);
    ent_free(scratch);
    return rc;
}

/*
 * Steepest descent on the dense matrix a (n x n, zero diagonal) from sigma:
 * move the actor with the most negative gain sigma_k h_k (a move changes F
 * by that, E by twice that), ties to the lowest index, while the gain is
 * below -tol: the kernel's basin rule.
 */
static void descend(const double *a, int32_t n, int8_t *sigma, double *h, double tol)
{
    for (int32_t i = 0; i < n; i++) {
        const double *row = a + (size_t)i * (size_t)n;
        double s = 0;
        for (int32_t j = 0; j < n; j++) {
            s += row[j] * sigma[j];
        }
        h[i] = s;
    }
    for (;;) {
        int32_t best = -1;
        double gain = -tol;
        for (int32_t k = 0; k < n; k++) {
            double gk = sigma[k] * h[k];
            if (gk < gain) {
                gain = gk;
                best = k;
            }
        }
        if (best < 0) {
            return;
        }
        sigma[best] = (int8_t)-sigma[best];
        const double *row = a + (size_t)best * (size_t)n;
        double d = 2.0 * sigma[best];
        for (int32_t j = 0; j < n; j++) {
            h[j] += d * row[j];
        }
    }
}

typedef struct {
    const int8_t *rows;
    int32_t n;
} rows_ctx_t;

static int cmp_rows(const void *x, const void *y, void *ctx)
{
    const rows_ctx_t *c = ctx;
    uint64_t i = *(const uint64_t *)x, j = *(const uint64_t *)y;
    int d = memcmp(c->rows + i * (uint64_t)c->n, c->rows + j * (uint64_t)c->n, (size_t)c->n);
    return d ? d : (i < j ? -1 : i > j);
}

static ent_err_t solve_sampled(ent_landscape_result_t *res, const ent_landscape_t *l, const ent_signed_t *g,
                               const ent_landscape_options_t *o, double scale)
{
    int32_t n = l->n;
    size_t nn = (size_t)n;
    ent_err_t rc = ENT_OK;
    ent_solve_result_t sr;
    ent_solve_result_init(&sr);
    const ent_partition_result_t *pr = &sr.best;
    double *a = NULL;
    int8_t *rows = NULL;
    uint64_t *idx = NULL;
    cand_t *c = NULL;
    int32_t *scratch = NULL;
    /*
     * The heuristic first, also for EXACT: when its cycle-packing bound meets
     * its value the optimum is proven without branch and cut (on the world's
     * 194 states: seconds instead of about a minute).
     */
    ent_solve_options_t so = ENT_SOLVE_OPTIONS_INIT;
    so.method = ENT_SOLVE_HEURISTIC;
    so.seed = o->seed;
    so.time_limit = o->time_limit;
    so.cancel = o->cancel;
    ENT_CHECK(ent_partition_solve(&sr, g, &so));
    if (o->method != ENT_LANDSCAPE_HEURISTIC && !pr->optimal) {
        so.method = ENT_SOLVE_EXACT;
        ENT_CHECK(ent_partition_solve(&sr, g, &so));
    }
    ENT_CHECK(set_side(res, l, pr->block.data));
    double neg = negative_mass(g);
    res->optimal = pr->optimal;
    res->bound = pr->optimal ? res->energy : (isfinite(pr->bound) ? 2.0 * (pr->bound - neg) * scale : -INFINITY);
    res->gap = pr->optimal ? 0.0 : pr->gap;
    res->complete = false;
    res->configurations = n <= 64 ? ((uint64_t)1 << (n - 1)) : UINT64_MAX;
    snprintf(res->method, sizeof res->method, "%s", pr->method);

    /* sampled minima */
    uint64_t S = o->samples > 0 ? (uint64_t)o->samples : 0;
    a = ent_calloc(nn * nn, sizeof *a);
    rows = ent_malloc((S + 1) * nn);
    idx = ent_malloc((S + 1) * sizeof *idx);
    if (!a || !rows || !idx) {
        rc = ent_i_nomem();
        goto done;
    }
    double total = 0;
    for (size_t e = 0; e < g->m; e++) {
        a[(size_t)g->eu[e] * nn + (size_t)g->ev[e]] = g->ew[e];
        a[(size_t)g->ev[e] * nn + (size_t)g->eu[e]] = g->ew[e];
        total += fabs(g->ew[e]);
    }
    double tol = 1e-12 * total;
    int oom = 0, stop = 0;
    int nthreads = 1;
#ifdef _OPENMP
    nthreads = o->threads > 0 ? o->threads : omp_get_max_threads();
#pragma omp parallel num_threads(nthreads) if (S > 16)
#endif
    {
        double *h = ent_malloc(nn * sizeof *h);
        if (!h) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
            oom = 1;
        }
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 16)
#endif
        for (uint64_t k = 0; k < S; k++) {
            int halt;
#ifdef _OPENMP
#pragma omp atomic read
#endif
            halt = oom;
            if (halt || !h || (o->cancel && *o->cancel)) {
                if (o->cancel && *o->cancel) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
                    stop = 1;
                }
                continue;
            }
            ent_rng_t r;
            ent_rng_seed(&r, o->seed, k);
            int8_t *s = rows + k * nn;
            for (size_t i = 0; i < nn; i++) {
                s[i] = (ent_rng_u64(&r) >> 63) ? 1 : -1;
            }
            descend(a, n, s, h, tol);
            if (s[0] < 0) {
                for (size_t i = 0; i < nn; i++) {
                    s[i] = (int8_t)-s[i];
                }
            }
        }
        ent_free(h);
    }
    if (oom) {
        rc = ent_i_nomem();
        goto done;
    }
    if (stop) {
        rc = ent_i_err(ENT_EINTERRUPTED, "landscape: interrupted while sampling minima");
        goto done;
    }
    /* the best configuration, as row S (canonical: actor 0 at +1) */
    const int32_t *best = res->side.data;
    for (size_t i = 0; i < nn; i++) {
        rows[S * nn + i] = best[i] ? -1 : 1;
    }
    for (uint64_t k = 0; k <= S; k++) {
        idx[k] = k;
    }
    rows_ctx_t rcx = {rows, n};
    qsort_r(idx, (size_t)S + 1, sizeof *idx, cmp_rows, &rcx);
    c = ent_calloc((size_t)S + 1, sizeof *c);
    scratch = ent_malloc(((size_t)S + 1) * nn * sizeof *scratch);
    if (!c || !scratch) {
        rc = ent_i_nomem();
        goto done;
    }
    size_t nc = 0;
    for (uint64_t k = 0; k <= S;) {
        uint64_t first = idx[k], end = k, hits = 0;
        while (end <= S && memcmp(rows + idx[end] * nn, rows + first * nn, nn) == 0) {
            hits += idx[end] < S; /* row S is the solver's, not a descent */
            end++;
        }
        int32_t *s = scratch + nc * nn;
        for (size_t i = 0; i < nn; i++) {
            s[i] = rows[first * nn + i] < 0;
        }
        c[nc].m.energy = ent_landscape_energy(l, s);
        c[nc].m.basin = hits;
        c[nc].m.basin_share = S ? (double)hits / (double)S : NAN;
        c[nc].key = first;
        c[nc].at = nc * nn;
        nc++;
        k = end;
    }
    res->basins = S ? ENT_LANDSCAPE_BASINS_SAMPLED : ENT_LANDSCAPE_BASINS_NONE;
    res->samples = S;
    res->nminima = nc;
    rc = emit_minima(res, c, nc, scratch, n, o->max_minima);
done:
    ent_solve_result_destroy(&sr);
    ent_free(a);
    ent_free(rows);
    ent_free(idx);
    ent_free(c);
    ent_free(scratch);
    return rc;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

ent_err_t ent_landscape_solve(ent_landscape_result_t *res, const ent_landscape_t *l,
                              const ent_landscape_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_LANDSCAPE_OPTIONS_VERSION);
    ent_landscape_options_t dflt = ENT_LANDSCAPE_OPTIONS_INIT;
    const ent_landscape_options_t *o = opts ? opts : &dflt;
    double t0 = now();
    ent_landscape_result_destroy(res);
    ent_landscape_result_init(res);
    res->n = l->n;
    if (l->n < 1) {
        return ent_i_err(ENT_EINVAL, "landscape: no actors");
    }
    bool enumerate = o->method == ENT_LANDSCAPE_EXHAUSTIVE ||
                     (o->method == ENT_LANDSCAPE_AUTO && l->n <= o->exhaustive_max && l->n <= 40);
    if (o->method == ENT_LANDSCAPE_EXHAUSTIVE && l->n > 40) {
        return ent_i_err(ENT_ERANGE, "landscape: enumeration needs at most 40 actors, got %d", (int)l->n);
    }
    /*
     * The kernel sees sizes divided by the largest (a_ij scaled by 1/smax^2):
     * the same minima, but weights near 1, so that its absolute tolerances
     * suit shares like CINC (whose products are ~1e-4). Energies are
     * recomputed on the landscape itself; the bound is scaled back.
     */
    double smax = 0;
    for (int32_t i = 0; i < l->n; i++) {
        smax = l->size[i] > smax ? l->size[i] : smax;
    }
    double *scaled = ent_malloc((size_t)l->n * sizeof *scaled);
    if (!scaled) {
        return ent_i_nomem();
    }
    for (int32_t i = 0; i < l->n; i++) {
        scaled[i] = l->size[i] / smax;
    }
    ent_signed_t g;
    ent_signed_init(&g);
    ent_err_t rc = ent_signed_from_landscape(&g, l->n, scaled, l->p, (const char *const *)l->label);
    if (rc == ENT_OK) {
        rc = enumerate ? solve_exhaustive(res, l, &g, o) : solve_sampled(res, l, &g, o, smax * smax);
    }
    ent_signed_destroy(&g);
    ent_free(scaled);
    res->seconds = now() - t0;
    return rc;
}

/* ---------------------------------------------------------------- the world's landscape */

ent_err_t ent_landscape_from_world(ent_landscape_t *l, ent_vec_t *terms, const ent_world_t *w, ent_date_t date,
                                   const int64_t *states, size_t nstates, const ent_landscape_world_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_LANDSCAPE_WORLD_OPTIONS_VERSION);
    ent_landscape_world_options_t dflt = ENT_LANDSCAPE_WORLD_OPTIONS_INIT;
    const ent_landscape_world_options_t *o = opts ? opts : &dflt;
    size_t nw = ent_world_nstates(w), n = nstates;
    if (n == 0) {
        return ent_i_err(ENT_EINVAL, "landscape: no states");
    }
    if (n > ENT_LANDSCAPE_MAX_ACTORS) {
        return ent_i_err(ENT_ERANGE, "landscape: %zu states, at most %d", n, ENT_LANDSCAPE_MAX_ACTORS);
    }
    ent_err_t rc = ENT_OK;
    int32_t *pos = ent_malloc((nw ? nw : 1) * sizeof *pos);
    const char **labels = ent_calloc(n, sizeof *labels);
    double *size = ent_calloc(n, sizeof *size);
    double *pact = ent_calloc(n * n, sizeof *pact), *part = ent_calloc(n * n, sizeof *part);
    double *riv = ent_calloc(n * n, sizeof *riv), *coer = ent_calloc(n * n, sizeof *coer);
    char day[11];
    ent_date_format(day, date);
    ent_dyads_t dy;
    ent_dyads_init(&dy);
    if (!pos || !labels || !size || !pact || !part || !riv || !coer) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = 0; i < nw; i++) {
        pos[i] = -1;
    }
    for (size_t k = 0; k < n; k++) {
        int64_t s = states[k];
        if (s < 0 || (size_t)s >= nw) {
            rc = ent_i_err(ENT_EINVAL, "landscape: no state %lld in the world", (long long)s);
            goto done;
        }
        const ent_state_t *st = ent_world_state(w, (size_t)s);
        if (pos[s] >= 0) {
            rc = ent_i_err(ENT_EINVAL, "landscape: state %s given twice", st->abbr);
            goto done;
        }
        if (!ent_world_alive(w, (size_t)s, date)) {
            rc = ent_i_err(ENT_ERANGE, "landscape: %s is not a member of the state system on %s", st->abbr, day);
            goto done;
        }
        size[k] = ent_world_cinc_near(w, (size_t)s, ent_date_year(date), o->cinc_lookback, o->cinc_lookback);
        if (isnan(size[k]) || !(size[k] >= SIZE_MIN)) {
            rc = ent_i_err(ENT_ENOTFOUND, "landscape: no CINC for %s in %d-%d", st->abbr,
                           ent_date_year(date) - o->cinc_lookback, ent_date_year(date) + o->cinc_lookback);
            goto done;
        }
        pos[s] = (int32_t)k;
        labels[k] = st->abbr;
    }
    /* the pairs' terms from the dyad layer, under the landscape spec with these options' weights */
    ent_signed_spec_t spec = ent_signed_spec_landscape();
    spec.defense = spec.offense = o->pact_defense;
    spec.neutrality = spec.consultation = o->pact_other;
    spec.nonaggression = o->pact_nonagg;
    spec.partnership = o->partnership;
    spec.rivalry = o->rivalry;
    spec.coercion = o->coercion;
    if ((rc = ent_signed_spec_check(&spec)) != ENT_OK) {
        goto done;
    }
    ENT_CHECK(ent_dyads_build(&dy, w, date));
    for (size_t k = 0; k < dy.dyads.len; k++) {
        const ent_dyad_t *x = &ENT_VEC_AT(&dy.dyads, ent_dyad_t, k);
        int32_t i = pos[x->a], j = pos[x->b];
        if (i < 0 || j < 0) {
            continue;
        }
        ent_dyad_terms_t t;
        ent_dyad_terms(&t, x, dy.max_tier, &spec);
        size_t ij = (size_t)i * n + (size_t)j, ji = (size_t)j * n + (size_t)i;
        pact[ij] = pact[ji] = t.pact;
        part[ij] = part[ji] = t.partnership;
        riv[ij] = riv[ji] = t.rivalry;
        coer[ij] = coer[ji] = t.coercion;
    }
    ENT_CHECK(ent_landscape_setup(l, (int32_t)n, labels, size));
    for (size_t i = 0; i < n; i++) {
        double di = ent_world_state(w, (size_t)states[i])->democracy;
        for (size_t j = i + 1; j < n; j++) {
            double dj = ent_world_state(w, (size_t)states[j])->democracy;
            size_t ij = i * n + j;
            ent_landscape_term_t tm = {(int32_t)i, (int32_t)j, 0, pact[ij], part[ij], -riv[ij], -coer[ij], 0};
            if (isfinite(di) && isfinite(dj)) {
                tm.regime = o->regime * (1.0 - 2.0 * fabs(di - dj));
            }
            tm.p = tm.pact + tm.partnership + tm.rivalry + tm.coercion + tm.regime;
            if (fabs(tm.p) < SIZE_MIN) {
                tm.p = 0; /* cancelled out */
            }
            ENT_CHECK(ent_landscape_set(l, (int32_t)i, (int32_t)j, tm.p));
            if (terms &&
                (tm.pact != 0 || tm.partnership != 0 || tm.rivalry != 0 || tm.coercion != 0 || tm.regime != 0) &&
                ent_vec_push(terms, &tm) != ENT_OK) {
                rc = ent_i_nomem();
                goto done;
            }
        }
    }
done:
    if (rc != ENT_OK) {
        ent_landscape_destroy(l);
    }
    ent_dyads_destroy(&dy);
    ent_free(pos);
    ent_free(labels);
    ent_free(size);
    ent_free(pact);
    ent_free(part);
    ent_free(riv);
    ent_free(coer);
    return rc;
}

/* The essay's main actors (Vietnam is COW's DRV). */
static const char *const essay_states[] = {"USA", "CHN", "RUS", "JPN", "IND", "PAK", "PRK", "ROK", "TAW", "AUL",
                                           "UKG", "FRN", "GMY", "IRN", "SAU", "TUR", "INS", "DRV", "PHI", "BRA"};

ent_err_t ent_landscape_states(ent_vec_t *out, const ent_world_t *w, ent_date_t date, const char *list)
{
    ent_err_t rc = ENT_OK;
    if (list && strcmp(list, "all") == 0) {
        for (size_t i = 0; i < ent_world_nstates(w) && rc == ENT_OK; i++) {
            int64_t s = (int64_t)i;
            if (ent_world_alive(w, i, date)) {
                rc = ent_vec_push(out, &s);
            }
        }
        return rc;
    }
    if (!list) {
        for (size_t k = 0; k < sizeof essay_states / sizeof *essay_states && rc == ENT_OK; k++) {
            int64_t s;
            if ((rc = ent_world_find(&s, w, essay_states[k])) == ENT_OK) {
                rc = ent_vec_push(out, &s);
            }
        }
        return rc;
    }
    char *copy = ent_strdup(list);
    if (!copy) {
        return ent_i_nomem();
    }
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok && rc == ENT_OK; tok = strtok_r(NULL, ",", &save)) {
        int64_t s;
        if ((rc = ent_world_find(&s, w, tok)) == ENT_OK) {
            rc = ent_vec_push(out, &s);
        }
    }
    ent_free(copy);
    return rc;
}
