/*
 * pactmodel_sim.c -- free-running forecasts of the pact model: from one
 * year's system, many simulated futures of the alliance network (each with its
 * own parameter draw, so the spread includes parameter uncertainty), and per
 * pair the share of futures in which a new defence tie appears by a horizon.
 *
 * Only the network moves: capabilities, regimes, hostility, ideal points and
 * the membership of the state system stay as they were in the start year (what
 * a forecaster standing in that year knows). Runs are seeded (seed, run), so
 * the result does not depend on the number of threads.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "entente/pactmodel.h"
#include "pactmodel_int.h"
#include "util_int.h"

ent_err_t ent_pactmodel_freerun(double *p_new, const ent_pactmodel_t *m, const ent_sysyear_t *start, int to,
                                size_t runs, uint64_t seed, bool draw, int threads, volatile sig_atomic_t *cancel)
{
    if (!start || start->n == 0 || to <= start->year || runs == 0) {
        return ent_i_err(ENT_EINVAL, "pact-model free run: need a system, a horizon after %d (got %d) and runs > 0",
                         start ? start->year : 0, to);
    }
    size_t n = start->n, nn = n * n;
    unsigned *cnt = ent_calloc(nn, sizeof *cnt);
    if (!cnt) {
        return ent_i_nomem();
    }
    ent_err_t rc = ENT_OK;
    volatile int failed = 0;
    ent_err_t first_rc = ENT_OK;
#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads())
    {
        unsigned *mine = ent_calloc(nn, sizeof *mine);
        unsigned char *ever = ent_calloc(nn, 1);
        if (!mine || !ever) {
#pragma omp critical(pm_freerun)
            {
                failed = 1;
                first_rc = ENT_ENOMEM;
            }
        }
#pragma omp for schedule(dynamic, 1)
        for (size_t r = 0; r < runs; r++) {
            if (failed || (cancel && *cancel) || !mine) {
                continue;
            }
            ent_rng_t rng;
            ent_rng_seed(&rng, seed, (uint64_t)r);
            double theta[ENT_PM_NPARAMS];
            ent_sysbuf_t *b = NULL;
            ent_err_t e = draw ? ent_pactmodel_draw(m, &rng, theta)
                               : (memcpy(theta, ent_pactmodel_estimates(m), sizeof theta), ENT_OK);
            if (e == ENT_OK) {
                e = ent_sysyear_clone(&b, start);
            }
            if (e == ENT_OK) {
                ent_sysyear_t *s = ent_sysbuf_sys(b);
                memset(ever, 0, nn);
                while (e == ENT_OK && s->year < to) {
                    e = ent_pactmodel_step(m, theta, s, &rng, NULL);
                    for (size_t k = 0; e == ENT_OK && k < nn; k++) {
                        ever[k] |= s->defence[k] && !start->defence[k];
                    }
                }
                for (size_t k = 0; e == ENT_OK && k < nn; k++) {
                    mine[k] += ever[k];
                }
            }
            ent_sysbuf_free(b);
            if (e != ENT_OK) {
#pragma omp critical(pm_freerun)
                {
                    if (!failed) {
                        failed = 1;
                        first_rc = e;
                    }
                }
            }
        }
        if (mine) {
#pragma omp critical(pm_freerun)
            for (size_t k = 0; k < nn; k++) {
                cnt[k] += mine[k];
            }
        }
        ent_free(mine);
        ent_free(ever);
    }
    if (failed) {
        rc = first_rc == ENT_ENOMEM ? ent_i_nomem() : first_rc;
    } else if (cancel && *cancel) {
        rc = ent_i_err(ENT_EINTERRUPTED, "pact-model free run: interrupted");
    } else {
        for (size_t k = 0; k < nn; k++) {
            p_new[k] = start->defence[k] || k / n == k % n ? NAN : (double)cnt[k] / (double)runs;
        }
    }
    ent_free(cnt);
    return rc;
}
