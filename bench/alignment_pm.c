/*
 * alignment_pm.c -- the C side of the pact-step benchmark (bench/run_alignment.sh, issue 12).
 *
 *   alignment_pm SCENARIO OUTDIR [REPS]
 *
 * Builds the simulation's model of SCENARIO on the shipped world (ent_model_new), takes the pact
 * model's base-year system the simulation starts from (ent_model_pact_system: capability shares,
 * UN ideal points, polyarchy, major powers, distance, contiguity, hostility, defence ties,
 * presence, tie records, multilateral treaties, lapsed ties, lesser obligations), the fitted
 * estimates as theta and per-state offsets, and computes one year's probabilities two ways:
 *   - the simulation's sparse copy (ent_model_pact_probs: utilities, P(tie ends), P(k joins t));
 *   - the library (ent_pactmodel_utility and ent_pactmodel_probs: also P(new tie by any route));
 * and times each (CPU time), and the library's whole step with its draws (ent_pactmodel_step on a
 * fresh copy of the system), best of REPS (default 20). Writes every input and output array as raw
 * little-endian binary (OUTDIR/NAME.f64, .i32, .u8; row-major n x n, ntreaties x n) and
 * OUTDIR/meta.json (sizes, year, settings, theta, the timings), which bench/alignment_numpy.py
 * reads to recompute the same probabilities with numpy and compare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "entente.h"

/* CPU time of this (single-threaded) process: on a machine shared with other jobs, wall clock
 * measures the queue for the cores, CPU time the work. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int put(const char *dir, const char *name, const void *p, size_t size, size_t count)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "alignment_pm: cannot write %s\n", path);
        return 1;
    }
    int bad = p && count ? fwrite(p, size, count, f) != count : 0;
    bad |= fclose(f) != 0;
    if (bad) {
        fprintf(stderr, "alignment_pm: cannot write %s\n", path);
    }
    return bad;
}

static int fail(const char *what)
{
    fprintf(stderr, "alignment_pm: %s: %s\n", what, ent_errmsg());
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: alignment_pm SCENARIO OUTDIR [REPS]\n");
        return 2;
    }
    int reps = argc == 4 ? atoi(argv[3]) : 20;
    if (reps < 1) {
        reps = 1;
    }
    const char *dir = argv[2];
    ent_world_t *w = NULL;
    ent_model_t *m = NULL;
    ent_scenario_t s;
    ent_scenario_defaults(&s);
    if (ent_world_load_dir(&w, ent_world_default_dir()) != ENT_OK) {
        return fail("the shipped world");
    }
    if (ent_scenario_load(&s, argv[1], w) != ENT_OK) {
        return fail(argv[1]);
    }
    if (ent_model_new(&m, w, &s) != ENT_OK) {
        return fail("the model");
    }
    const ent_pactmodel_t *pm = ent_model_pactmodel(m);
    const ent_pactmodel_settings_t *set = ent_pactmodel_settings(pm);
    size_t n = ent_model_nstates(m);
    ent_sysyear_t sys;
    ent_model_pact_system(m, &sys);
    size_t T = sys.ntreaties, nn = n * n;
    double theta[ENT_PM_NPARAMS];
    memcpy(theta, ent_pactmodel_estimates(pm), sizeof theta);
    /* Offsets as a run sets them on the poles (norms and ambition), plus a small spread on everyone
     * so the offset term is exercised for every row. */
    double *off = calloc(n, sizeof *off);
    double *u1 = calloc(nn, sizeof *u1), *e1 = calloc(nn, sizeof *e1), *j1 = calloc(T * n + 1, sizeof *j1);
    double *u2 = calloc(nn, sizeof *u2), *f2 = calloc(nn, sizeof *f2), *e2 = calloc(nn, sizeof *e2);
    double *j2 = calloc(T * n + 1, sizeof *j2);
    if (!off || !u1 || !e1 || !j1 || !u2 || !f2 || !e2 || !j2) {
        fprintf(stderr, "alignment_pm: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        off[i] = 0.05 * (double)((i * 7) % 11) - 0.25;
    }
    off[ent_model_pole_state(m, 0)] = 0.4;
    off[ent_model_pole_state(m, 1)] = -3.8;
    sys.offset = off;

    if (ent_pactmodel_utility(pm, theta, &sys, u2) != ENT_OK) {
        return fail("ent_pactmodel_utility");
    }
    double t_sparse = 1e300, t_lib = 1e300, t_step = 1e300;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        if (ent_model_pact_probs(m, theta, off, u1, e1, j1) != ENT_OK) {
            return fail("ent_model_pact_probs");
        }
        double t1 = now();
        /* computes the utilities itself: its time is the library's whole probability computation */
        if (ent_pactmodel_probs(pm, theta, &sys, f2, e2, j2) != ENT_OK) {
            return fail("ent_pactmodel_probs");
        }
        double t2 = now();
        t_sparse = t1 - t0 < t_sparse ? t1 - t0 : t_sparse;
        t_lib = t2 - t1 < t_lib ? t2 - t1 : t_lib;
        /* the whole step (probabilities, draws, applying them) on a fresh copy each time */
        ent_sysbuf_t *b = NULL;
        if (ent_sysyear_clone(&b, &sys) != ENT_OK) {
            return fail("ent_sysyear_clone");
        }
        ent_rng_t rng;
        ent_rng_seed(&rng, 42, (uint64_t)r);
        double t5 = now();
        if (ent_pactmodel_step(pm, theta, ent_sysbuf_sys(b), &rng, NULL) != ENT_OK) {
            return fail("ent_pactmodel_step");
        }
        double t6 = now();
        t_step = t6 - t5 < t_step ? t6 - t5 : t_step;
        ent_sysbuf_free(b);
    }

    /* inputs; a NULL array of the system is written empty (the peer reads it as "none") */
    int bad = 0;
    bad |= put(dir, "cinc.f64", sys.cinc, 8, n);
    bad |= put(dir, "ideal.f64", sys.ideal, 8, sys.ideal ? n : 0);
    bad |= put(dir, "polyarchy.f64", sys.polyarchy, 8, sys.polyarchy ? n : 0);
    bad |= put(dir, "major.u8", sys.major, 1, n);
    bad |= put(dir, "dist.f64", sys.dist_km, 8, nn);
    bad |= put(dir, "contig.u8", sys.contig, 1, sys.contig ? nn : 0);
    bad |= put(dir, "hostility.f64", sys.hostility, 8, nn);
    bad |= put(dir, "defence.u8", sys.defence, 1, nn);
    bad |= put(dir, "presence.f64", sys.presence, 8, sys.presence ? nn : 0);
    bad |= put(dir, "since.i32", sys.since, 4, sys.since ? nn : 0);
    bad |= put(dir, "cinc0.f64", sys.cinc0, 8, sys.cinc0 ? nn : 0);
    bad |= put(dir, "poly0.f64", sys.poly0, 8, sys.poly0 ? nn : 0);
    bad |= put(dir, "deg0.i32", sys.deg0, 4, sys.deg0 ? nn : 0);
    bad |= put(dir, "member.u8", sys.member, 1, T * n);
    bad |= put(dir, "last_tie.i32", sys.last_tie, 4, sys.last_tie ? nn : 0);
    bad |= put(dir, "lesser.u8", sys.lesser, 1, sys.lesser ? nn : 0);
    bad |= put(dir, "offset.f64", off, 8, n);
    /* outputs */
    bad |= put(dir, "u_sparse.f64", u1, 8, nn);
    bad |= put(dir, "pend_sparse.f64", e1, 8, nn);
    bad |= put(dir, "pjoin_sparse.f64", j1, 8, T * n);
    bad |= put(dir, "u_lib.f64", u2, 8, nn);
    bad |= put(dir, "pform_lib.f64", f2, 8, nn);
    bad |= put(dir, "pend_lib.f64", e2, 8, nn);
    bad |= put(dir, "pjoin_lib.f64", j2, 8, T * n);

    char path[4096];
    snprintf(path, sizeof path, "%s/meta.json", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "alignment_pm: cannot write %s\n", path);
        return 1;
    }
    size_t nties = 0;
    for (size_t k = 0; k < nn; k++) {
        nties += sys.defence[k] != 0;
    }
    fprintf(f, "{\"n\": %zu, \"ntreaties\": %zu, \"year\": %d, \"defence_ties\": %zu, \"reps\": %d,\n", n, T, sys.year,
            nties / 2, reps);
    fprintf(f,
            " \"settings\": {\"dist_scale_km\": %.17g, \"reach_major\": %.17g, \"sea_prox\": %.17g, "
            "\"threat_ref\": %.17g, \"lesser_broad\": %.17g},\n",
            set->dist_scale_km, set->reach_major, set->sea_prox, set->threat_ref, set->lesser_broad);
    fprintf(f, " \"nform\": %d, \"theta\": [", ENT_PM_NFORM);
    for (size_t k = 0; k < ENT_PM_NPARAMS; k++) {
        fprintf(f, "%s%.17g", k ? ", " : "", theta[k]);
    }
    fprintf(f, "],\n \"seconds\": {\"sparse_probs\": %.9f, \"library_probs\": %.9f, \"library_step\": %.9f}}\n",
            t_sparse, t_lib, t_step);
    bad |= fclose(f) != 0;
    printf("n = %zu states, %zu treaties, %zu defence ties; CPU time, best of %d: sparse copy %.3f ms, library "
           "probs %.3f ms, library step %.3f ms\n",
           n, T, nties / 2, reps, 1e3 * t_sparse, 1e3 * t_lib, 1e3 * t_step);
    free(off);
    free(u1);
    free(e1);
    free(j1);
    free(u2);
    free(f2);
    free(e2);
    free(j2);
    ent_model_free(m);
    ent_world_free(w);
    return bad;
}
