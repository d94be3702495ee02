/*
 * tiny_world.h -- small worlds and the store for the unit tests that need them: a world of a few
 * states with a capital and a CINC each, built in memory; the path of the imported store a test may
 * read ($ENT_STORE, else build/entente.db of the source tree).
 */
#ifndef ENT_TESTS_TINY_WORLD_H
#define ENT_TESTS_TINY_WORLD_H

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
    int32_t ccode;
    const char *abbr, *name;
    double lat, lon, cinc; /* the capital; the CINC of 2022 */
} tiny_state_t;

/* The world of rows[n], finalised; NULL (a failed check) when it cannot be built. Free with ent_world_free. */
static inline ent_world_t *tiny_world_of(const tiny_state_t *rows, size_t n)
{
    ent_world_t *w = NULL;
    CHECK_OK(ent_world_new(&w));
    if (!w) {
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        ent_state_t s;
        ent_state_init(&s);
        s.ccode = rows[k].ccode;
        snprintf(s.abbr, sizeof s.abbr, "%s", rows[k].abbr);
        s.name = rows[k].name;
        s.cap_lat = rows[k].lat;
        s.cap_lon = rows[k].lon;
        int64_t idx;
        CHECK_OK(ent_world_add_state(&idx, w, &s));
        CHECK_OK(ent_world_set_cinc(w, idx, 2022, rows[k].cinc));
    }
    CHECK_OK(ent_world_finalise(w));
    return w;
}

/* The simulation's model of the shipped world under the default scenario; NULL (a failed check) when it
 * cannot be built. *w receives the world (NULL on failure); free the model, then the world. */
static inline ent_model_t *shipped_model(ent_world_t **w)
{
    *w = NULL;
    if (ent_world_load_dir(w, ent_world_default_dir()) != ENT_OK) {
        fprintf(stderr, "cannot load the shipped world: %s\n", ent_errmsg());
        CHECK(0);
        return NULL;
    }
    ent_scenario_t s;
    ent_scenario_defaults(&s);
    ent_model_t *m = NULL;
    CHECK_OK(ent_model_new(&m, *w, &s));
    if (!m) {
        ent_world_free(*w);
        *w = NULL;
    }
    return m;
}

#ifdef ENT_SOURCE_DIR
/* The imported store's path in buf[len] when it is readable, else NULL (the caller says what it skips). */
static inline const char *test_store_path(char *buf, size_t len)
{
    const char *path = getenv("ENT_STORE");
    if (!path || !*path) {
        snprintf(buf, len, "%s/build/entente.db", ENT_SOURCE_DIR);
        path = buf;
    }
    return access(path, R_OK) == 0 ? path : NULL;
}
#endif

#endif
