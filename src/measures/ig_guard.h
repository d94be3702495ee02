/*
 * ig_guard.h -- the one way entente calls igraph (library-private).
 *
 * igraph reports errors through a process-wide handler whose default prints
 * and calls abort(), and its random functions draw from a process-wide
 * default generator. The library must neither print nor abort and must give
 * the same result for the same seed whatever else the process did with
 * igraph, so every igraph call is made between ent_i_ig_enter() and
 * ent_i_ig_leave(): silent error and warning handlers (an igraph failure is
 * then only a return code, turned into an entente error by ent_i_ig_fail),
 * and, when asked, a private seeded generator as igraph's default.
 *
 * The Debian igraph is not built thread-safe: the handlers and the default
 * generator are globals, so callers use igraph outside parallel regions.
 */
#ifndef ENTENTE_IG_GUARD_H
#define ENTENTE_IG_GUARD_H

#include <igraph.h>
#include <stdbool.h>
#include <stdint.h>

#include "entente/common.h"

typedef struct {
    igraph_error_handler_t *err;
    igraph_warning_handler_t *warn;
    igraph_rng_t *prev; /* the default generator before ours */
    igraph_rng_t saved; /* a copy of it: igraph 0.10.2's igraph_rng_set_default copies the struct */
    igraph_rng_t rng;
    bool rng_init, rng_set;
} ent_i_ig_guard_t;

/* Installs the silent handlers, remembering the caller's. Pair with ent_i_ig_leave. */
void ent_i_ig_enter(ent_i_ig_guard_t *g);

/*
 * Makes a private PCG32 generator seeded with `seed` igraph's default until
 * ent_i_ig_leave (a second call reseeds it). ENT_ENOMEM.
 */
ent_err_t ent_i_ig_rng(ent_i_ig_guard_t *g, uint64_t seed);

/* Restores the caller's generator and handlers; frees the private generator. */
void ent_i_ig_leave(ent_i_ig_guard_t *g);

/* An igraph error code as an entente error: ENT_ENOMEM, else ENT_ESOLVER "what: igraph: <message>". */
ent_err_t ent_i_ig_fail(igraph_error_t e, const char *what);

#endif
