/*
 * util_int.h -- library-private helpers shared by every module: raising
 * errors with a formatted detail, overflow-checked sizes.
 */
#ifndef ENTENTE_UTIL_INT_H
#define ENTENTE_UTIL_INT_H

#include "entente/common.h"
#include "entente/util.h"

/* Sets the thread's error detail and returns rc, so callers can `return ent_i_err(...)`. */
ent_err_t ent_i_err(ent_err_t rc, const char *fmt, ...) ENT_PRINTF(2, 3);
ent_err_t ent_i_verr(ent_err_t rc, const char *fmt, va_list ap);
/* ENT_ENOMEM with a standard message. */
ent_err_t ent_i_nomem(void);

/* Last path component, borrowed from `path`. */
const char *ent_i_basename(const char *path);

/* The default directories of the shipped world and scenarios (datadir.c: environment, the
 * installed prefix beside this code or the executable, then the configured checkout). */
typedef enum { ENT_I_DIR_WORLD = 0, ENT_I_DIR_SCENARIOS = 1 } ent_i_dir_t;
const char *ent_i_default_dir(ent_i_dir_t which);

#define ENT_CHECK(expr)                       \
    do {                                      \
        if ((rc = (expr)) != ENT_OK) {        \
            goto done;                        \
        }                                     \
    } while (0)

#endif
