/*
 * check.h -- the tiny assertion header of the unit tests. A failed check prints
 * file:line and the expression and makes the program exit 1; exit 77 skips.
 */
#ifndef ENT_TEST_CHECK_H
#define ENT_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente.h"

static int check_failures;

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                                   \
            check_failures++;                                                                                          \
        }                                                                                                              \
    } while (0)

#define CHECK_OK(expr)                                                                                                 \
    do {                                                                                                               \
        ent_err_t rc_ = (expr);                                                                                        \
        if (rc_ != ENT_OK) {                                                                                           \
            fprintf(stderr, "%s:%d: %s returned %s: %s\n", __FILE__, __LINE__, #expr, ent_strerror(rc_),               \
                    ent_errmsg());                                                                                     \
            check_failures++;                                                                                          \
        }                                                                                                              \
    } while (0)

#define CHECK_RC(expr, want)                                                                                           \
    do {                                                                                                               \
        ent_err_t rc_ = (expr);                                                                                        \
        if (rc_ != (want)) {                                                                                           \
            fprintf(stderr, "%s:%d: %s returned %s, wanted %s (%s)\n", __FILE__, __LINE__, #expr, ent_strerror(rc_),   \
                    ent_strerror(want), ent_errmsg());                                                                 \
            check_failures++;                                                                                          \
        }                                                                                                              \
    } while (0)

#define CHECK_STR(a, b)                                                                                                \
    do {                                                                                                               \
        const char *a_ = (a), *b_ = (b);                                                                               \
        if (strcmp(a_, b_) != 0) {                                                                                     \
            fprintf(stderr, "%s:%d: '%s' != '%s'\n", __FILE__, __LINE__, a_, b_);                                      \
            check_failures++;                                                                                          \
        }                                                                                                              \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                                                    \
    do {                                                                                                               \
        const char *h_ = (hay), *n_ = (needle);                                                                        \
        if (!strstr(h_, n_)) {                                                                                         \
            fprintf(stderr, "%s:%d: '%s' does not contain '%s'\n", __FILE__, __LINE__, h_, n_);                        \
            check_failures++;                                                                                          \
        }                                                                                                              \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                                          \
    do {                                                                                                               \
        double a_ = (a), b_ = (b);                                                                                     \
        if (!(fabs(a_ - b_) <= (tol))) {                                                                               \
            fprintf(stderr, "%s:%d: %.10g != %.10g (tol %g)\n", __FILE__, __LINE__, a_, b_, (double)(tol));            \
            check_failures++;                                                                                          \
        }                                                                                                              \
    } while (0)

#define CHECK_DONE() (check_failures ? (fprintf(stderr, "%d check(s) failed\n", check_failures), 1) : 0)

/* The path of a file in ../shared/data, or NULL (and a message) when absent: the caller exits 77. */
/* Where a test writes its files: $ENT_TMP (ctest sets it to the test's build directory), else a fresh
 * directory under $TMPDIR, so a test run by hand from a checkout never litters the source tree. */
static inline const char *check_tmpdir(void)
{
    static char dir[512];
    const char *t = getenv("ENT_TMP");
    if (t && *t) {
        return t;
    }
    if (!dir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/entente-test.XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(dir)) {
            fprintf(stderr, "cannot create a temporary directory under %s\n", base && *base ? base : "/tmp");
            exit(1);
        }
    }
    return dir;
}

static inline const char *shared_data(const char *rel, char *buf, size_t n)
{
    const char *root = getenv("ENT_SHARED_DATA");
    if (!root) {
        root = "../shared/data";
    }
    snprintf(buf, n, "%s/%s", root, rel);
    FILE *f = fopen(buf, "rb");
    if (!f) {
        fprintf(stderr, "SKIP: dataset %s not found (set ENT_SHARED_DATA)\n", buf);
        return NULL;
    }
    fclose(f);
    return buf;
}

/* The index of a state of w by code (COW number, abbreviation or ISO3); a failed check and -1 when absent. */
static inline int64_t check_state(const ent_world_t *w, const char *code)
{
    int64_t i = -1;
    if (ent_world_find(&i, w, code) != ENT_OK) {
        fprintf(stderr, "state %s not in the world\n", code);
        check_failures++;
    }
    return i;
}

#endif
