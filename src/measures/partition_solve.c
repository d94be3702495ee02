/*
 * partition_solve.c -- the one entry point to the two-block partition
 * solvers and its automatic policy (include/entente/partition.h,
 * ent_partition_solve). The policy used to live in the CLI's `balance`
 * command and, in another form, in the landscape; it is written here once.
 */
#include <math.h>
#include <string.h>

#include "partition_int.h"

static const char *const method_names[] = {"auto", "exhaustive", "exact", "heuristic"};

const char *ent_solve_method_name(ent_solve_method_t m)
{
    return (unsigned)m < sizeof method_names / sizeof method_names[0] ? method_names[m] : "?";
}

ent_err_t ent_solve_method_parse(ent_solve_method_t *out, const char *name)
{
    for (size_t k = 0; k < sizeof method_names / sizeof method_names[0]; k++) {
        if (name && strcmp(name, method_names[k]) == 0) {
            *out = (ent_solve_method_t)k;
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_EINVAL, "unknown solver '%s' (auto, exhaustive, exact or heuristic)", name ? name : "");
}

void ent_solve_result_init(ent_solve_result_t *r)
{
    memset(r, 0, sizeof *r);
    ent_partition_result_init(&r->best);
    ent_vec_init(&r->minima, sizeof(ent_local_min_t));
}

void ent_solve_result_destroy(ent_solve_result_t *r)
{
    if (!r) {
        return;
    }
    ent_partition_result_destroy(&r->best);
    ent_vec_destroy(&r->minima);
    memset(r, 0, sizeof *r);
}

static ent_err_t run_exhaustive(ent_solve_result_t *res, const ent_signed_t *g, const ent_solve_options_t *o)
{
    ent_exhaustive_options_t eo = ENT_EXHAUSTIVE_OPTIONS_INIT;
    eo.minima = o->minima;
    eo.max_minima = o->max_minima;
    eo.max_bytes = o->max_bytes;
    eo.threads = o->threads;
    eo.cancel = o->cancel;
    /* basins need 4 bytes per configuration: beyond the table limit, minima only */
    eo.basins = o->minima && o->basins && g->n >= 1 && g->n <= 40 && ((uint64_t)4 << (g->n - 1)) <= o->max_bytes;
    ent_exhaustive_result_t ex;
    ent_exhaustive_result_init(&ex);
    ent_err_t rc = ent_partition_exhaustive(&ex, g, &eo);
    if (rc == ENT_ELIMIT && eo.basins) {
        /* a plateau: too many minima to hold for the basins; count them without */
        ent_exhaustive_result_destroy(&ex);
        ent_exhaustive_result_init(&ex);
        eo.basins = false;
        rc = ent_partition_exhaustive(&ex, g, &eo);
    }
    if (rc == ENT_OK) {
        /* hand the vectors over: the result owns them now */
        ent_partition_result_t tb = res->best;
        res->best = ex.best;
        ex.best = tb;
        ent_vec_t tm = res->minima;
        res->minima = ex.minima;
        ex.minima = tm;
        res->configs = ex.configs;
        res->nminima = ex.nminima;
        res->basins = ex.basins;
        res->enumerated = true;
        res->used = ENT_SOLVE_EXHAUSTIVE;
    }
    ent_exhaustive_result_destroy(&ex);
    return rc;
}

ent_err_t ent_partition_solve(ent_solve_result_t *res, const ent_signed_t *g, const ent_solve_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_SOLVE_OPTIONS_VERSION);
    ent_solve_options_t def = ENT_SOLVE_OPTIONS_INIT;
    const ent_solve_options_t *o = opts ? opts : &def;
    if (!isfinite(o->time_limit) || o->time_limit < 0) {
        return ent_i_err(ENT_EINVAL, "partition solver: time limit must be finite and >= 0, got %g", o->time_limit);
    }
    ent_solve_method_t m = o->method;
    if ((unsigned)m > ENT_SOLVE_HEURISTIC) {
        return ent_i_err(ENT_EINVAL, "partition solver: unknown method %d", (int)m);
    }
    /* a fresh result: the solvers fill what they own */
    ent_partition_result_destroy(&res->best);
    ent_partition_result_init(&res->best);
    res->minima.len = 0;
    res->enumerated = res->basins = false;
    res->configs = res->nminima = 0;
    if (m == ENT_SOLVE_AUTO) {
        m = o->minima && g->n >= 1 && g->n <= o->exhaustive_max && g->n <= 40 ? ENT_SOLVE_EXHAUSTIVE : ENT_SOLVE_EXACT;
    }
    switch (m) {
    case ENT_SOLVE_EXHAUSTIVE: return run_exhaustive(res, g, o);
    case ENT_SOLVE_HEURISTIC: {
        ent_heuristic_options_t ho = ENT_HEURISTIC_OPTIONS_INIT;
        if (o->heuristic) {
            ENT_I_CHECK_OPTIONS(o->heuristic, ENT_HEURISTIC_OPTIONS_VERSION);
            ho = *o->heuristic;
        }
        ho.seed = o->seed;
        ho.cancel = o->cancel;
        res->used = ENT_SOLVE_HEURISTIC;
        return ent_partition_heuristic(&res->best, g, &ho);
    }
    case ENT_SOLVE_AUTO:
    case ENT_SOLVE_EXACT: break;
    }
    ent_exact_options_t xo = ENT_EXACT_OPTIONS_INIT;
    xo.seed = o->seed;
    xo.time_limit = o->time_limit;
    xo.cancel = o->cancel;
    res->used = ENT_SOLVE_EXACT;
    return ent_partition_exact(&res->best, g, &xo);
}
