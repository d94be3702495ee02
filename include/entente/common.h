/*
 * common.h -- error codes, the thread-local error message, the allocation hook
 * and the version: what every other entente header builds on.
 *
 * Every fallible function returns an ent_err_t. On failure, ent_errmsg() holds a
 * human-readable detail for the calling thread ("atop5_1m.csv:812:6: field
 * 'yrent': expected a year, got 'x'"), valid until the next failing call on
 * that thread.
 */
#ifndef ENTENTE_COMMON_H
#define ENTENTE_COMMON_H

#include <stddef.h>
#include <stdint.h>

/*
 * Symbol visibility. The library is built with -fvisibility=hidden, so only
 * what a public header declares is exported from libentente.so: every public
 * header wraps its declarations in ENT_BEGIN_DECLS ... ENT_END_DECLS, which
 * makes them default-visible (and extern "C" for C++). A new public header
 * gets this right by using the pair; ENT_EXTERN marks a single declaration
 * outside such a block. Private headers (the src/ modules' _int.h files, ent_i_ names) do
 * not use them, so their functions stay inside the library.
 */
#if defined(_WIN32) || defined(__CYGWIN__)
#define ENT_EXTERN
#define ENT_VISIBILITY_PUSH_
#define ENT_VISIBILITY_POP_
#elif defined(__GNUC__)
#define ENT_EXTERN __attribute__((visibility("default")))
#define ENT_VISIBILITY_PUSH_ _Pragma("GCC visibility push(default)")
#define ENT_VISIBILITY_POP_ _Pragma("GCC visibility pop")
#else
#define ENT_EXTERN
#define ENT_VISIBILITY_PUSH_
#define ENT_VISIBILITY_POP_
#endif

#ifdef __cplusplus
#define ENT_BEGIN_DECLS                                                                                                \
    extern "C" {                                                                                                       \
    ENT_VISIBILITY_PUSH_
#define ENT_END_DECLS                                                                                                  \
    ENT_VISIBILITY_POP_                                                                                                \
    }
#else
#define ENT_BEGIN_DECLS ENT_VISIBILITY_PUSH_
#define ENT_END_DECLS ENT_VISIBILITY_POP_
#endif

ENT_BEGIN_DECLS

#define ENT_VERSION_MAJOR 0
#define ENT_VERSION_MINOR 1
#define ENT_VERSION_PATCH 0
#define ENT_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define ENT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ENT_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define ENT_PRINTF(f, a)
#define ENT_WARN_UNUSED
#endif

/* Error codes. Never renumber: scripts and the CLI's exit codes depend on them. */
typedef enum {
    ENT_OK = 0,
    ENT_ENOMEM = 1,       /* allocation failed */
    ENT_EINVAL = 2,       /* invalid argument (usage) */
    ENT_ENOTFOUND = 3,    /* no such state, file, record */
    ENT_EPARSE = 4,       /* malformed input */
    ENT_EIO = 5,          /* read/write failure */
    ENT_ERANGE = 6,       /* value outside its valid range */
    ENT_EINTERRUPTED = 7, /* stopped by the caller (signal, cancel flag) */
    ENT_ESTORE = 8,       /* the SQLite store failed or is not an entente store */
    ENT_EEXISTS = 9,      /* duplicate key */
    ENT_ELIMIT = 10,      /* a configured size limit was exceeded */
    ENT_ESOLVER = 11      /* a third-party solver (igraph, GLPK) failed; the message names it */
} ent_err_t;

/* The detail message of the last error raised on this thread; never NULL. */
const char *ent_errmsg(void);

/* A short, static name of a code: "ENT_EPARSE". */
const char *ent_strerror(ent_err_t rc);

/* The library version string, e.g. "0.1.0". */
const char *ent_version(void);

/*
 * The allocation hook. Every allocation of the library goes through these
 * functions. Set it once, before any other call (it is process-wide, like
 * sqlite3_config); passing NULL restores malloc/realloc/free.
 */
typedef struct {
    void *(*malloc_fn)(size_t size, void *ctx);
    void *(*realloc_fn)(void *ptr, size_t size, void *ctx);
    void (*free_fn)(void *ptr, void *ctx);
    void *ctx;
} ent_allocator_t;

void ent_set_allocator(const ent_allocator_t *a);

void *ent_malloc(size_t size);
void *ent_calloc(size_t n, size_t size); /* overflow-checked; zeroed */
void *ent_realloc(void *ptr, size_t size);
void ent_free(void *ptr);
char *ent_strdup(const char *s);
char *ent_strndup(const char *s, size_t n);

ENT_END_DECLS
#endif
