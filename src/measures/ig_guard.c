/*
 * ig_guard.c -- the igraph guard every igraph call in the library goes
 * through (see ig_guard.h for why).
 */
#include <string.h>

#include "ig_guard.h"
#include "util_int.h"

void ent_i_ig_enter(ent_i_ig_guard_t *g)
{
    memset(g, 0, sizeof *g);
    g->err = igraph_set_error_handler(igraph_error_handler_ignore);
    g->warn = igraph_set_warning_handler(igraph_warning_handler_ignore);
}

/*
 * The private generator is seeded before it is installed: igraph 0.10.2
 * installs a copy of the struct (the state is shared through a pointer), and
 * a copy taken before seeding would not be marked as seeded -- igraph would
 * then seed it from the clock.
 */
ent_err_t ent_i_ig_rng(ent_i_ig_guard_t *g, uint64_t seed)
{
    if (!g->rng_init) {
        if (igraph_rng_init(&g->rng, &igraph_rngtype_pcg32) != IGRAPH_SUCCESS) {
            return ent_i_nomem();
        }
        g->rng_init = true;
    }
    igraph_rng_seed(&g->rng, (igraph_uint_t)seed);
    if (!g->rng_set) {
        g->prev = igraph_rng_default();
        g->saved = *g->prev;
        g->rng_set = true;
    }
    igraph_rng_set_default(&g->rng);
    return ENT_OK;
}

void ent_i_ig_leave(ent_i_ig_guard_t *g)
{
    if (g->rng_set) {
        /* by pointer (later igraph versions) the old pointer comes back; by copy (0.10.2) the old contents */
        if (igraph_rng_default() == &g->rng) {
            igraph_rng_set_default(g->prev);
        } else {
            igraph_rng_set_default(&g->saved);
        }
        g->rng_set = false;
    }
    if (g->rng_init) {
        igraph_rng_destroy(&g->rng);
        g->rng_init = false;
    }
    igraph_set_warning_handler(g->warn);
    igraph_set_error_handler(g->err);
}

ent_err_t ent_i_ig_fail(igraph_error_t e, const char *what)
{
    if (e == IGRAPH_ENOMEM) {
        return ent_i_nomem();
    }
    return ent_i_err(ENT_ESOLVER, "%s: igraph: %s", what, igraph_strerror(e));
}
