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
typedef enum { ENT_I_DIR_WORLD = 0, ENT_I_DIR_SCENARIOS = 1, ENT_I_DIR_PARAMS = 2, ENT_I_DIR_COUNT = 3 } ent_i_dir_t;
const char *ent_i_default_dir(ent_i_dir_t which);

/*
 * At the top of a public function taking an options struct: the caller's struct must carry the
 * version this library was built with (a program compiled against other headers would otherwise
 * be read with the wrong layout). NULL options mean the defaults and pass.
 */
#define ENT_I_CHECK_OPTIONS(opts, want)                                                                                \
    do {                                                                                                               \
        if ((opts) && (opts)->version != (unsigned)(want)) {                                                           \
            return ent_i_err(ENT_EINVAL,                                                                               \
                             "%s: options version %u, this library expects %u (initialise the struct with "            \
                             "its _OPTIONS_INIT macro or _options_init function)",                                     \
                             __func__, (opts)->version, (unsigned)(want));                                             \
        }                                                                                                              \
    } while (0)

/* Defines ent_<x>_options_init(): the defaults of the INIT macro, after checking the version. */
#define ENT_I_OPTIONS_INIT_FN(fn, type, want, init)                                                                    \
    ent_err_t fn(type *opts, unsigned version)                                                                         \
    {                                                                                                                  \
        if (!opts) {                                                                                                   \
            return ent_i_err(ENT_EINVAL, "%s: NULL options", #fn);                                                     \
        }                                                                                                              \
        if (version != (unsigned)(want)) {                                                                             \
            return ent_i_err(ENT_EINVAL, "%s: options version %u, this library has %u", #fn, version,                  \
                             (unsigned)(want));                                                                        \
        }                                                                                                              \
        type def = init;                                                                                               \
        *opts = def;                                                                                                   \
        return ENT_OK;                                                                                                 \
    }

#define ENT_CHECK(expr)                                                                                                \
    do {                                                                                                               \
        if ((rc = (expr)) != ENT_OK) {                                                                                 \
            goto done;                                                                                                 \
        }                                                                                                              \
    } while (0)

#endif
