/*
 * util.h -- growable vectors, bounded byte buffers, seedable random streams
 * and the streaming CSV reader that every importer is built on.
 */
#ifndef ENTENTE_UTIL_H
#define ENTENTE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "common.h"

ENT_BEGIN_DECLS

/* ---------------------------------------------------------------- vectors */

/*
 * A growable array of fixed-size elements. Caller-allocated: init, use,
 * destroy. Elements are stored contiguously in `data`.
 */
typedef struct {
    void *data;
    size_t len;   /* elements in use */
    size_t cap;   /* elements allocated */
    size_t esize; /* bytes per element */
} ent_vec_t;

#define ENT_VEC_INIT(type)                                                                                             \
    {                                                                                                                  \
        NULL, 0, 0, sizeof(type)                                                                                       \
    }

void ent_vec_init(ent_vec_t *v, size_t esize);
void ent_vec_destroy(ent_vec_t *v);
/* Ensures room for at least `cap` elements. ENT_ENOMEM on failure (v unchanged). */
ent_err_t ent_vec_reserve(ent_vec_t *v, size_t cap);
/* Appends one element copied from `elem`. Amortised O(1). */
ent_err_t ent_vec_push(ent_vec_t *v, const void *elem);
/* Sets the length, growing (new elements zeroed) or shrinking. */
ent_err_t ent_vec_resize(ent_vec_t *v, size_t len);
#define ENT_VEC_AT(v, type, i) (((type *)(v)->data)[i])

/* ---------------------------------------------------------------- buffers */

/*
 * A NUL-terminated byte buffer that refuses to grow past `max` bytes (0 means
 * no limit): fed by outside input, it must not be made to eat all memory.
 */
typedef struct {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max;
} ent_buf_t;

#define ENT_BUF_INIT                                                                                                   \
    {                                                                                                                  \
        NULL, 0, 0, 0                                                                                                  \
    }

void ent_buf_init(ent_buf_t *b, size_t max);
void ent_buf_destroy(ent_buf_t *b);
void ent_buf_clear(ent_buf_t *b);
/* ENT_ELIMIT when the result would exceed b->max; b unchanged then. */
ent_err_t ent_buf_put(ent_buf_t *b, const void *data, size_t len);
ent_err_t ent_buf_puts(ent_buf_t *b, const char *s);
ent_err_t ent_buf_printf(ent_buf_t *b, const char *fmt, ...) ENT_PRINTF(2, 3);
ent_err_t ent_buf_vprintf(ent_buf_t *b, const char *fmt, va_list ap);
/* Returns b->ptr or "" when nothing was written; borrowed. */
const char *ent_buf_cstr(const ent_buf_t *b);

/* ---------------------------------------------------------------- random streams */

/*
 * xoshiro256** seeded through splitmix64 from (seed, stream). Stream k of seed
 * s is reproducible and, for practical purposes, independent of every other
 * stream: an ensemble seeds run k with ent_rng_seed(&r, seed, k), so its result
 * does not depend on how runs are spread over threads or ranks.
 */
typedef struct {
    uint64_t s[4];
    double spare_normal;
    int has_spare;
} ent_rng_t;

void ent_rng_seed(ent_rng_t *r, uint64_t seed, uint64_t stream);
uint64_t ent_rng_u64(ent_rng_t *r);
/* Uniform on [0, 1) with 53 random bits. */
double ent_rng_uniform(ent_rng_t *r);
/* Uniform integer on [0, n), unbiased (Lemire's method); n > 0. */
uint64_t ent_rng_below(ent_rng_t *r, uint64_t n);
/* Standard normal (polar Box-Muller). */
double ent_rng_normal(ent_rng_t *r);
/* Standard Gumbel: the noise of a logit choice. */
double ent_rng_gumbel(ent_rng_t *r);

/* ---------------------------------------------------------------- CSV */

/*
 * A streaming CSV reader (RFC 4180 quoting, "" escapes, quoted newlines, CRLF
 * or LF, a leading UTF-8 BOM skipped; gzip-compressed input read transparently).
 * It keeps one record in memory. Every error message names
 * file:line:column and, through the typed getters, the field.
 */
typedef struct ent_csv ent_csv_t;

enum {
    ENT_CSV_UTF8 = 1u << 0,    /* reject records that are not valid UTF-8 */
    ENT_CSV_BYTEWISE = 1u << 1 /* never take the whole-line fast path (tests compare the two) */
};

typedef struct {
    unsigned version;
    unsigned flags;    /* ENT_CSV_* */
    char sep;          /* field separator, default ',' */
    size_t max_field;  /* bytes; default 1 MiB */
    size_t max_fields; /* fields per record; default 4096 */
} ent_csv_options_t;

#define ENT_CSV_OPTIONS_VERSION 1
#define ENT_CSV_OPTIONS_INIT                                                                                           \
    {                                                                                                                  \
        ENT_CSV_OPTIONS_VERSION, ENT_CSV_UTF8, ',', 1u << 20, 4096                                                     \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_CSV_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_csv_options_init(ent_csv_options_t *opts, unsigned version);

/*
 * Opens `path` (plain or gzip). The name used in messages is the path's last
 * component. ENT_EIO when it cannot be opened. Free with ent_csv_free().
 */
ent_err_t ent_csv_open(ent_csv_t **out, const char *path, const ent_csv_options_t *opts);
/* Reads from memory (not copied; must outlive the reader); `name` is used in messages. */
ent_err_t ent_csv_open_mem(ent_csv_t **out, const char *name, const char *data, size_t len,
                           const ent_csv_options_t *opts);
void ent_csv_free(ent_csv_t *r);

/*
 * Reads the next record. Sets *eof when there is none (ENT_OK). ENT_EPARSE on
 * malformed input, ENT_ELIMIT past a size limit, ENT_EIO on read errors.
 * Completely empty lines are skipped.
 */
ent_err_t ent_csv_next(ent_csv_t *r, bool *eof);

size_t ent_csv_nfields(const ent_csv_t *r);
/* Field i of the current record, NUL-terminated, borrowed until the next read. */
const char *ent_csv_field(const ent_csv_t *r, size_t i, size_t *len);
/* 1-based line on which the current record starts, and column of field i. */
int64_t ent_csv_line(const ent_csv_t *r);
int64_t ent_csv_column(const ent_csv_t *r, size_t i);
/* The file name used in messages. */
const char *ent_csv_name(const ent_csv_t *r);

/*
 * Reads the header record and finds each of `names` in it: idx[k] receives the
 * position of names[k], or -1 when optional[k] is true and it is absent. A
 * missing required column is ENT_EPARSE naming it. `optional` may be NULL.
 */
ent_err_t ent_csv_header(ent_csv_t *r, const char *const *names, const bool *optional, int *idx, size_t n);

/* ENT_EPARSE "expected N fields, got M" unless the current record has n fields. */
ent_err_t ent_csv_expect_fields(const ent_csv_t *r, size_t n);

/* True for "NA" and for an empty field: the missing-value spellings we accept. */
bool ent_csv_is_na(const ent_csv_t *r, size_t i);

/*
 * Typed getters. `what` names the field in messages. A value outside
 * [lo, hi] is ENT_ERANGE; text that is not a number ENT_EPARSE. When `na` is
 * NULL a missing value is an error; otherwise *na is set and *out untouched.
 */
ent_err_t ent_csv_get_i64(const ent_csv_t *r, size_t i, const char *what, int64_t lo, int64_t hi, int64_t *out,
                          bool *na);
ent_err_t ent_csv_get_f64(const ent_csv_t *r, size_t i, const char *what, double lo, double hi, double *out, bool *na);
/* A non-missing string field of at most max_len bytes (borrowed). */
ent_err_t ent_csv_get_str(const ent_csv_t *r, size_t i, const char *what, size_t max_len, const char **out, bool *na);

/* Raises ENT_EPARSE-style message at file:line:column of field i: "<file>:<l>:<c>: field '<what>': <msg>". */
ent_err_t ent_csv_error(const ent_csv_t *r, ent_err_t rc, size_t i, const char *what, const char *fmt, ...)
    ENT_PRINTF(5, 6);

/* ---------------------------------------------------------------- dates */

/*
 * A calendar date as an integer yyyymmdd (19610711); partial dates fill with
 * the earliest day (1961 -> 19610101) for starts and the latest for ends.
 */
typedef int32_t ent_date_t;
#define ENT_DATE_NONE 0
#define ENT_DATE_MAX 99991231

/* Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD"; `end` picks the latest day for partial dates. */
ent_err_t ent_date_parse(ent_date_t *out, const char *s, bool end);
/* Builds a date from parts; month/day 0 or negative mean unknown (filled as above). */
ent_err_t ent_date_make(ent_date_t *out, int year, int month, int day, bool end);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void ent_date_format(char *buf, ent_date_t d);
static inline int ent_date_year(ent_date_t d)
{
    return (int)(d / 10000);
}

ENT_END_DECLS
#endif
