/*
 * cmd_simulate.c -- `entente simulate SCENARIO` and `entente forecast`: Monte
 * Carlo ensembles of the alignment model on the shipped world, reported as
 * probabilities with intervals.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#ifdef ENT_WITH_MPI
#include <mpi.h>
#endif

#ifndef ENT_DEFAULT_SCENARIO_DIR
#define ENT_DEFAULT_SCENARIO_DIR "scenarios"
#endif

/* This process's place among MPI ranks (0 of 1 without MPI). Rank 0 reports; the others only run. */
static int mpi_rank = 0, mpi_size = 1;

#ifdef ENT_WITH_MPI
/*
 * Runs [first, first+count) were split over the ranks in rank order; gathers every rank's
 * aggregates on rank 0 and merges them there (integer counts: the result is the same as one
 * process running every run). On the other ranks *e is freed.
 */
static ent_err_t mpi_gather(ent_ensemble_t **e, const ent_model_t *m)
{
    void *buf = NULL;
    size_t len = 0;
    ent_err_t rc = ent_ensemble_pack(&buf, &len, *e);
    long long mine = rc == ENT_OK ? (long long)len : -1, *lens = NULL;
    int *counts = NULL, *displs = NULL;
    unsigned char *all = NULL;
    if (mpi_rank == 0) {
        lens = calloc((size_t)mpi_size, sizeof *lens);
        counts = calloc((size_t)mpi_size, sizeof *counts);
        displs = calloc((size_t)mpi_size, sizeof *displs);
    }
    MPI_Gather(&mine, 1, MPI_LONG_LONG, lens, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    long long total = 0;
    bool ok = rc == ENT_OK;
    if (mpi_rank == 0) {
        ok = ok && lens && counts && displs;
        for (int k = 0; ok && k < mpi_size; k++) {
            ok = lens[k] >= 0 && lens[k] < INT32_MAX && total + lens[k] < INT32_MAX;
            if (ok) {
                counts[k] = (int)lens[k];
                displs[k] = (int)total;
                total += lens[k];
            }
        }
        all = ok ? malloc((size_t)(total ? total : 1)) : NULL;
        ok = ok && all;
    }
    /* everyone learns whether rank 0 can receive, so no rank waits on a gather that will not come */
    int go = ok ? 1 : 0;
    MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (go) {
        MPI_Gatherv(buf, (int)len, MPI_BYTE, all, counts, displs, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
    ent_free(buf);
    if (mpi_rank == 0 && go) {
        for (int k = 1; k < mpi_size && rc == ENT_OK; k++) {
            ent_ensemble_t *part = NULL;
            rc = ent_ensemble_unpack(&part, m, all + displs[k], (size_t)counts[k]);
            if (rc == ENT_OK) {
                rc = ent_ensemble_merge(*e, part);
            }
            ent_ensemble_free(part);
        }
    } else if (mpi_rank == 0) {
        rc = rc != ENT_OK ? rc : ENT_ENOMEM;
    }
    free(lens);
    free(counts);
    free(displs);
    free(all);
    if (mpi_rank != 0) {
        ent_ensemble_free(*e);
        *e = NULL;
    }
    return rc;
}
#endif

typedef struct {
    struct timespec t0;
    const char *label;
    bool enabled;
    int64_t last;
} progress_t;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* A progress bar on stderr: runs done, runs/s, ETA. Only on a terminal, and at most every 1% of runs. */
static void on_progress(void *ctx, int64_t done, int64_t total)
{
    progress_t *p = ctx;
    if (!p->enabled || (done != total && done - p->last < (total + 99) / 100)) {
        return;
    }
    p->last = done;
    double el = since(&p->t0), rate = el > 0 ? (double)done / el : 0;
    int width = 30, fill = total ? (int)(width * done / total) : width;
    fprintf(stderr, "\r%-22.22s [%.*s%*s] %lld/%lld runs, %.0f runs/s, ETA %.0f s ", p->label, fill,
            "##############################", width - fill, "", (long long)done, (long long)total, rate,
            rate > 0 ? (double)(total - done) / rate : 0.0);
    if (done == total) {
        fputc('\n', stderr);
    }
}

static const char *scenario_dir(void)
{
    const char *env = getenv("ENTENTE_SCENARIOS");
    return env && *env ? env : ENT_DEFAULT_SCENARIO_DIR;
}

typedef struct {
    ent_scenario_t s;
    ent_model_t *m;
    ent_ensemble_t *e;
    char path[4096];
} result_t;

static void result_free(result_t *r)
{
    ent_ensemble_free(r->e);
    ent_model_free(r->m);
    r->e = NULL;
    r->m = NULL;
}

/* Runs one scenario. Returns an exit code; on success r->e holds the ensemble. */
static int run_scenario(result_t *r, const ent_world_t *w, const char *path, int64_t runs, int threads,
                        const char *seed_s, bool progress)
{
    ent_err_t rc = ent_scenario_load(&r->s, path, w);
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    snprintf(r->path, sizeof r->path, "%s", path);
    if (runs > 0) {
        r->s.runs = runs;
    }
    if (seed_s) {
        r->s.seed = strtoull(seed_s, NULL, 10);
    }
    if ((rc = ent_model_new(&r->m, w, &r->s)) != ENT_OK) {
        return cli_fail(rc);
    }
    progress_t pr = { .label = r->s.name, .enabled = progress && isatty(STDERR_FILENO) };
    clock_gettime(CLOCK_MONOTONIC, &pr.t0);
    ent_ensemble_options_t eo = ENT_ENSEMBLE_OPTIONS_INIT;
    eo.threads = threads;
    eo.cancel = cli_cancel_flag();
    eo.progress = on_progress;
    eo.ctx = &pr;
    /* with MPI, rank k runs the k-th of mpi_size contiguous slices of the runs */
    int64_t first = r->s.runs * mpi_rank / mpi_size, last = r->s.runs * (mpi_rank + 1) / mpi_size;
    if (mpi_rank != 0) {
        eo.progress = NULL;
    }
    rc = ent_ensemble_run(&r->e, r->m, first, last - first, &eo);
#ifdef ENT_WITH_MPI
    if (mpi_size > 1 && (rc == ENT_OK || rc == ENT_EINTERRUPTED) && r->e) {
        ent_err_t g = mpi_gather(&r->e, r->m);
        if (g != ENT_OK) {
            return cli_fail(g);
        }
        if (mpi_rank != 0) {
            return EXIT_OK;
        }
    }
#endif
    if (rc == ENT_EINTERRUPTED) {
        fprintf(stderr, "\nentente: %s: interrupted; %lld of %lld runs completed, reported below\n", r->s.name,
                (long long)ent_ensemble_runs(r->e), (long long)r->s.runs);
        return EXIT_INTERRUPTED;
    }
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    return EXIT_OK;
}

static const char *pole_abbr(const ent_world_t *w, const result_t *r, int p)
{
    return ent_world_state(w, (size_t)ent_model_state(r->m, ent_model_pole_state(r->m, p)))->abbr;
}

static json_t *prob_json(ent_prob_t p)
{
    return json_pack("{s:f, s:f, s:f, s:I}", "p", p.p, "lo", p.lo, "hi", p.hi, "runs", (json_int_t)p.n);
}

typedef struct {
    size_t i;
    double p;
} ranked_t;

static int by_p(const void *x, const void *y)
{
    const ranked_t *a = x, *b = y;
    if (a->p != b->p) {
        return a->p > b->p ? -1 : 1;
    }
    return a->i < b->i ? -1 : (a->i > b->i);
}

/* States ranked by a probability (new pacts with pole p by year, or Finlandization toward p in year). */
static size_t rank_states(ranked_t *out, const result_t *r, int pole, int year, bool finland)
{
    size_t n = ent_model_nstates(r->m), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == ent_model_pole_state(r->m, 0) || i == ent_model_pole_state(r->m, 1)) {
            continue;
        }
        double p;
        if (finland) {
            p = ent_ensemble_p_align(r->e, i, (ent_align_t)(ENT_ALIGN_FINLAND0 + pole), year).p;
        } else {
            /* new allies: states without a pact with the pole in the base year */
            if (ent_ensemble_p_pact_with(r->e, i, pole, r->s.start_year).p > 0.5) {
                continue;
            }
            p = ent_ensemble_p_pact_with(r->e, i, pole, year).p;
        }
        if (p > 0) {
            out[k++] = (ranked_t){ i, p };
        }
    }
    qsort(out, k, sizeof *out, by_p);
    return k;
}

/* The number of defence pacts pole p holds in the base year (the same in every run). */
static int base_pacts(const result_t *r, int p)
{
    return (int)lround(ent_ensemble_mean(r->e, p == 0 ? ENT_SERIES_PACTS0 : ENT_SERIES_PACTS1, r->s.start_year));
}

static json_t *scenario_json(const ent_world_t *w, const result_t *r, int k_pacts)
{
    const ent_scenario_t *s = &r->s;
    int ry = s->report_year, last = s->start_year + s->years;
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:i, s:i, s:i}", "scenario", s->name, "description",
                          s->description, "file", r->path, "runs", (json_int_t)ent_ensemble_runs(r->e), "seed",
                          (json_int_t)s->seed, "start_year", s->start_year, "end_year", last, "report_year", ry);
    json_t *poles = json_array();
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        json_t *po = json_pack("{s:s, s:i}", "pole", pole_abbr(w, r, p), "pacts_in_base_year", base_pacts(r, p));
        char key[64];
        snprintf(key, sizeof key, "p_at_least_%d_pacts_by_report_year", k_pacts);
        json_object_set_new(po, key, prob_json(ent_ensemble_p_pacts(r->e, p, k_pacts, ry)));
        json_object_set_new(po, "p_more_pacts_than_base_by_report_year",
                            prob_json(ent_ensemble_p_pacts(r->e, p, base_pacts(r, p) + 1, ry)));
        json_object_set_new(po, "p_alliance_builder_by_report_year", prob_json(ent_ensemble_p_builder(r->e, p, ry)));
        int my = ent_ensemble_median_cross_year(r->e, p);
        json_object_set_new(po, "median_year_alliance_builder", my ? json_integer(my) : json_null());
        json_array_append_new(poles, po);
    }
    json_object_set_new(o, "poles", poles);
    /* series: mean and 5/50/95% bands by year */
    json_t *series = json_object();
    for (int sr = 0; sr < ENT_SERIES_N; sr++) {
        json_t *rows = json_array();
        for (int y = s->start_year; y <= last; y++) {
            json_array_append_new(rows, json_pack("{s:i, s:f, s:f, s:f, s:f}", "year", y, "mean",
                                                  ent_ensemble_mean(r->e, (ent_series_t)sr, y), "q05",
                                                  ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.05), "q50",
                                                  ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.5), "q95",
                                                  ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.95)));
        }
        json_object_set_new(series, ent_series_name((ent_series_t)sr), rows);
    }
    json_object_set_new(o, "series", series);
    /* states: alignment probabilities in the report year and pacts by it */
    json_t *states = json_array();
    size_t n = ent_model_nstates(r->m);
    static const char *names[ENT_ALIGN_N] = { "hedge", "pole0", "pole1", "finland0", "finland1", "pole" };
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(r->m, i));
        json_t *so = json_pack("{s:s, s:i}", "abbr", st->abbr, "ccode", st->ccode);
        json_t *al = json_object();
        for (int a = 0; a < ENT_ALIGN_N - 1; a++) {
            json_object_set_new(al, names[a], json_real(ent_ensemble_p_align(r->e, i, (ent_align_t)a, ry).p));
        }
        json_object_set_new(so, "alignment_report_year", al);
        json_object_set_new(so, "initial_alignment", json_string(names[ent_model_initial_alignment(r->m, i)]));
        for (int p = 0; p < ENT_SIM_NPOLES; p++) {
            char key[48];
            snprintf(key, sizeof key, "p_pact_with_%s_by_report_year", pole_abbr(w, r, p));
            json_object_set_new(so, key, json_real(ent_ensemble_p_pact_with(r->e, i, p, ry).p));
        }
        json_array_append_new(states, so);
    }
    json_object_set_new(o, "states", states);
    return o;
}

static void print_scenario(const ent_world_t *w, const result_t *r, int k_pacts)
{
    const ent_scenario_t *s = &r->s;
    int ry = s->report_year, last = s->start_year + s->years;
    printf("scenario %s -- %lld runs, seed %llu, %d-%d\n", s->name, (long long)ent_ensemble_runs(r->e),
           (unsigned long long)s->seed, s->start_year, last);
    if (s->description[0]) {
        printf("  %s\n", s->description);
    }
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        ent_prob_t a = ent_ensemble_p_pacts(r->e, p, k_pacts, ry), b = ent_ensemble_p_builder(r->e, p, ry);
        int my = ent_ensemble_median_cross_year(r->e, p);
        printf("  %s: %d defence pacts in %d; P[>= %d by %d] = %.3f [%.3f, %.3f]; P[alliance builder by %d] = %.3f "
               "[%.3f, %.3f]%s",
               pole_abbr(w, r, p), base_pacts(r, p), s->start_year, k_pacts, ry, a.p, a.lo, a.hi, ry, b.p, b.lo, b.hi,
               my ? "" : "\n");
        if (my) {
            printf(" (median year %d)\n", my);
        }
    }
    printf("\n  %-22s", "series (median [5%, 95%])");
    int ys[] = { s->start_year, s->start_year + 5, ry, last };
    for (int k = 0; k < 4; k++) {
        printf(" %20d", ys[k]);
    }
    printf("\n");
    for (int sr = 0; sr < ENT_SERIES_N; sr++) {
        printf("  %-22s", ent_series_name((ent_series_t)sr));
        for (int k = 0; k < 4; k++) {
            char cell[64];
            snprintf(cell, sizeof cell, "%.3g [%.3g, %.3g]", ent_ensemble_quantile(r->e, (ent_series_t)sr, ys[k], 0.5),
                     ent_ensemble_quantile(r->e, (ent_series_t)sr, ys[k], 0.05),
                     ent_ensemble_quantile(r->e, (ent_series_t)sr, ys[k], 0.95));
            printf(" %20s", cell);
        }
        printf("\n");
    }
    size_t n = ent_model_nstates(r->m);
    ranked_t *rk = calloc(n, sizeof *rk);
    if (!rk) {
        return;
    }
    for (int p = 0; p < ENT_SIM_NPOLES; p++) {
        size_t k = rank_states(rk, r, p, ry, false);
        printf("\n  most likely new defence pacts of %s by %d:", pole_abbr(w, r, p), ry);
        for (size_t j = 0; j < k && j < 8; j++) {
            const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(r->m, rk[j].i));
            printf(" %s %.2f%s", st->abbr, rk[j].p, j + 1 < k && j < 7 ? "," : "");
        }
        printf("%s\n", k ? "" : " none");
        k = rank_states(rk, r, p, ry, true);
        printf("  Finlandization toward %s in %d:", pole_abbr(w, r, p), ry);
        for (size_t j = 0; j < k && j < 8; j++) {
            const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(r->m, rk[j].i));
            printf(" %s %.2f%s", st->abbr, rk[j].p, j + 1 < k && j < 7 ? "," : "");
        }
        printf("%s\n", k ? "" : " none");
    }
    free(rk);
}

/* Writes <name>.json, <name>_series.csv and <name>_states.csv of one scenario into dir, each
 * complete or not at all (cli_out_*); the name was checked by check_out_names. */
static int write_outputs(const char *dir, const ent_world_t *w, const result_t *r, int k_pacts)
{
    int code = cli_make_out_dir(dir);
    if (code != EXIT_OK) {
        return code;
    }
    char path[PATH_MAX];
    cli_out_t out;
    snprintf(path, sizeof path, "%s/%s.json", dir, r->s.name);
    if ((code = cli_out_open(&out, path)) != EXIT_OK) {
        return code;
    }
    json_t *o = scenario_json(w, r, k_pacts);
    int bad = !o || json_dumpf(o, out.f, JSON_SORT_KEYS | JSON_INDENT(1) | JSON_REAL_PRECISION(6)) != 0;
    json_decref(o);
    if (bad && !ferror(out.f)) {
        cli_out_abort(&out);
        fprintf(stderr, "entente: writing %s: out of memory\n", path);
        return EXIT_IO;
    }
    if ((code = cli_out_commit(&out)) != EXIT_OK) {
        return code;
    }
    snprintf(path, sizeof path, "%s/%s_series.csv", dir, r->s.name);
    if ((code = cli_out_open(&out, path)) != EXIT_OK) {
        return code;
    }
    FILE *f = out.f;
    fprintf(f, "scenario,series,year,mean,q05,q50,q95\n");
    for (int sr = 0; sr < ENT_SERIES_N; sr++) {
        for (int y = r->s.start_year; y <= r->s.start_year + r->s.years; y++) {
            fprintf(f, "%s,%s,%d,%.6g,%.6g,%.6g,%.6g\n", r->s.name, ent_series_name((ent_series_t)sr), y,
                    ent_ensemble_mean(r->e, (ent_series_t)sr, y),
                    ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.05),
                    ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.5),
                    ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.95));
        }
    }
    if ((code = cli_out_commit(&out)) != EXIT_OK) {
        return code;
    }
    snprintf(path, sizeof path, "%s/%s_states.csv", dir, r->s.name);
    if ((code = cli_out_open(&out, path)) != EXIT_OK) {
        return code;
    }
    f = out.f;
    fprintf(
        f,
        "scenario,year,ccode,abbr,p_hedge,p_align_%s,p_align_%s,p_finland_%s,p_finland_%s,p_pact_%s_by,p_pact_%s_by\n",
        pole_abbr(w, r, 0), pole_abbr(w, r, 1), pole_abbr(w, r, 0), pole_abbr(w, r, 1), pole_abbr(w, r, 0),
        pole_abbr(w, r, 1));
    for (int y = r->s.start_year; y <= r->s.start_year + r->s.years; y++) {
        for (size_t i = 0; i < ent_model_nstates(r->m); i++) {
            const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(r->m, i));
            fprintf(f, "%s,%d,%d,%s", r->s.name, y, st->ccode, st->abbr);
            for (int a = 0; a < 5; a++) {
                fprintf(f, ",%.4f", ent_ensemble_p_align(r->e, i, (ent_align_t)a, y).p);
            }
            fprintf(f, ",%.4f,%.4f\n", ent_ensemble_p_pact_with(r->e, i, 0, y).p,
                    ent_ensemble_p_pact_with(r->e, i, 1, y).p);
        }
    }
    return cli_out_commit(&out);
}

/*
 * Before any run: every scenario name that becomes a file name in --out is safe (no '/', no
 * "..", cli_safe_name) and no two scenarios would write the same files. Returns an exit code.
 */
static int check_out_names(char *const *files, size_t nf, const ent_world_t *w)
{
    char(*names)[sizeof((ent_scenario_t *)0)->name] = calloc(nf ? nf : 1, sizeof *names);
    if (!names) {
        fprintf(stderr, "entente: out of memory\n");
        return EXIT_IO;
    }
    int code = EXIT_OK;
    for (size_t k = 0; k < nf && code == EXIT_OK; k++) {
        ent_scenario_t sc;
        ent_err_t rc = ent_scenario_load(&sc, files[k], w);
        if (rc != ENT_OK) {
            code = cli_fail(rc);
            break;
        }
        if (!cli_safe_name(sc.name)) {
            fprintf(stderr,
                    "entente: %s: scenario name '%s' cannot name an output file: --out needs a name of letters, "
                    "digits, '.', '_' and '-' (not starting with '.')\n",
                    files[k], sc.name);
            code = EXIT_INPUT;
            break;
        }
        for (size_t j = 0; j < k; j++) {
            if (strcmp(names[j], sc.name) == 0) {
                fprintf(stderr,
                        "entente: %s and %s are both named '%s': their --out files would overwrite each other\n",
                        files[j], files[k], sc.name);
                code = EXIT_INPUT;
                break;
            }
        }
        snprintf(names[k], sizeof names[k], "%s", sc.name);
    }
    free(names);
    return code;
}

static void help_simulate(FILE *out)
{
    fprintf(out,
            "usage: entente simulate SCENARIO.yaml [--runs N] [--threads T] [--seed S] [--json] [--out DIR]\n"
            "                        [--world-dir DIR] [--pacts K]\n\n"
            "Runs the alignment model N times on the shipped world under the scenario and reports\n"
            "probabilities with 95%% Wilson intervals: each pole holding at least K defence pacts by the\n"
            "scenario's report year (default K = 3), its norm crossing into 'alliance builder', quantile\n"
            "bands of the yearly series, the most likely new allies and Finlandization risks.\n"
            "Run k uses random stream (seed, k): the same seed gives identical output on any thread count.\n"
            "A progress bar goes to stderr on a terminal; Ctrl-C stops and reports the runs completed.\n\n"
            "  --out DIR   also write DIR/<scenario>.json, <scenario>_series.csv, <scenario>_states.csv\n"
            "  --export-inputs DIR   write the model's inputs (the arrays a run starts from) as CSV and stop\n"
            "  --mpi       split the runs over the ranks of an MPI job (mpirun -np N entente simulate ... --mpi);\n"
            "              rank 0 reports, and the output equals one process running every run\n");
}

static void help_forecast(FILE *out)
{
    fprintf(out,
            "usage: entente forecast [--runs N] [--threads T] [--seed S] [--json] [--out DIR]\n"
            "                        [--scenarios DIR] [--world-dir DIR] [--pacts K]\n\n"
            "The main job: runs every scenario in the scenario directory (default: $ENTENTE_SCENARIOS or the\n"
            "build's scenarios/) on the shipped world with common random numbers, and prints the headline\n"
            "table: per scenario, P[China holds >= K formal defence pacts by the report year], P[a China-Russia\n"
            "pact], P[China an alliance builder] with 95%% intervals; the most likely new allies;\n"
            "Finlandization risks; and the effect of each lever scenario against the baseline as a paired\n"
            "difference with its interval.\n");
}

typedef struct {
    const char *world_dir;
    int64_t runs;
    int threads;
    const char *seed;
    bool json;
    const char *out;
    const char *scen_dir;
    const char *export_dir;
    bool mpi;
    int k;
} sim_opts_t;

static int parse(int argc, char **argv, const char *cmd, sim_opts_t *o, void (*help)(FILE *))
{
    static const struct option opts[] = {
        { "runs", required_argument, NULL, 'r' },  { "threads", required_argument, NULL, 't' },
        { "seed", required_argument, NULL, 's' },  { "json", no_argument, NULL, 'j' },
        { "out", required_argument, NULL, 'o' },   { "world-dir", required_argument, NULL, 'w' },
        { "scenarios", required_argument, NULL, 'S' }, { "pacts", required_argument, NULL, 'k' },
        { "export-inputs", required_argument, NULL, 'x' }, { "mpi", no_argument, NULL, 'M' },
        { "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->k = 3;
    int c;
    char *end;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            o->runs = strtoll(optarg, &end, 10);
            if (*end || o->runs < 1 || o->runs > 100000000) {
                return -cli_usage_error(cmd, "--runs: expected 1..100000000, got '%s'", optarg);
            }
            break;
        case 't':
            o->threads = (int)strtol(optarg, &end, 10);
            if (*end || o->threads < 1 || o->threads > 1024) {
                return -cli_usage_error(cmd, "--threads: expected 1..1024, got '%s'", optarg);
            }
            break;
        case 's': {
            uint64_t sv;
            /* the scenario's own range (src/sim/params.c): a seed is never silently cut to fit */
            if (!cli_parse_seed(optarg, &sv) || sv > 4294967295u) {
                return -cli_usage_error(cmd, "--seed: expected an integer in 0..4294967295, got '%s'", optarg);
            }
        }
            o->seed = optarg;
            break;
        case 'j': o->json = true; break;
        case 'o': o->out = optarg; break;
        case 'w': o->world_dir = optarg; break;
        case 'S': o->scen_dir = optarg; break;
        case 'x': o->export_dir = optarg; break;
        case 'M':
#ifdef ENT_WITH_MPI
            o->mpi = true;
            break;
#else
            return -cli_usage_error(cmd, "--mpi: this entente was built without MPI (install libopenmpi-dev and rebuild)");
#endif
        case 'k':
            o->k = (int)strtol(optarg, &end, 10);
            if (*end || o->k < 0 || o->k > 999) {
                return -cli_usage_error(cmd, "--pacts: expected 0..999, got '%s'", optarg);
            }
            break;
        case 'h': help(stdout); return 1;
        default: return -cli_usage_error(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    return 0;
}

/* Joins the MPI job when --mpi was given; returns false (after a message) when the runs cannot be split. */
static bool mpi_start(const sim_opts_t *o, const char *cmd)
{
#ifdef ENT_WITH_MPI
    if (o->mpi) {
        MPI_Init(NULL, NULL);
        MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
        MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
        if (o->runs && o->runs < mpi_size) {
            if (mpi_rank == 0) {
                cli_usage_error(cmd, "--runs %lld is fewer than the %d MPI ranks", (long long)o->runs, mpi_size);
            }
            MPI_Finalize();
            return false;
        }
    }
#else
    (void)o;
    (void)cmd;
#endif
    return true;
}

static void mpi_stop(const sim_opts_t *o)
{
#ifdef ENT_WITH_MPI
    if (o->mpi) {
        MPI_Finalize();
    }
#else
    (void)o;
#endif
}

int cmd_simulate(int argc, char **argv)
{
    sim_opts_t o;
    int pr = parse(argc, argv, "simulate", &o, help_simulate);
    if (pr) {
        return pr > 0 ? EXIT_OK : -pr;
    }
    if (argc - optind != 1) {
        return cli_usage_error("simulate", "expected one scenario file");
    }
    const char *path = argv[optind];
    if (!mpi_start(&o, "simulate")) {
        return EXIT_USAGE;
    }
    ent_world_t *w;
    ent_err_t rc = ent_world_load_dir(&w, o.world_dir ? o.world_dir : ent_world_default_dir());
    if (rc != ENT_OK) {
        mpi_stop(&o);
        return cli_fail(rc);
    }
    if (o.out && !o.export_dir) {
        /* refused before the runs, not after them */
        char *one[1] = {(char *)path};
        int oc = check_out_names(one, 1, w);
        if (oc == EXIT_OK) {
            oc = cli_check_out_dir(o.out);
        }
        if (oc != EXIT_OK) {
            ent_world_free(w);
            mpi_stop(&o);
            return oc;
        }
    }
    if (o.export_dir) {
        /* only the inputs: for peers and audits, no runs */
        ent_scenario_t sc;
        ent_model_t *mm = NULL;
        if ((rc = ent_scenario_load(&sc, path, w)) == ENT_OK && (rc = ent_model_new(&mm, w, &sc)) == ENT_OK) {
            rc = ent_model_export(mm, w, o.export_dir);
        }
        ent_model_free(mm);
        ent_world_free(w);
        if (rc != ENT_OK) {
            return cli_fail(rc);
        }
        printf("model inputs written to %s\n", o.export_dir);
        return EXIT_OK;
    }
    result_t r;
    memset(&r, 0, sizeof r);
    int ret = run_scenario(&r, w, path, o.runs, o.threads, o.seed, true);
    if (r.e && (ret == EXIT_OK || ret == EXIT_INTERRUPTED)) {
        if (o.json) {
            int j = cli_print_json(scenario_json(w, &r, o.k));
            ret = ret ? ret : j;
        } else {
            print_scenario(w, &r, o.k);
        }
        if (o.out) {
            int wo = write_outputs(o.out, w, &r, o.k);
            ret = ret ? ret : wo;
        }
    }
    result_free(&r);
    ent_world_free(w);
    mpi_stop(&o);
    return ret;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int cmd_forecast(int argc, char **argv)
{
    sim_opts_t o;
    int pr = parse(argc, argv, "forecast", &o, help_forecast);
    if (pr) {
        return pr > 0 ? EXIT_OK : -pr;
    }
    if (optind != argc) {
        return cli_usage_error("forecast", "unexpected argument '%s'", argv[optind]);
    }
    const char *dir = o.scen_dir ? o.scen_dir : scenario_dir();
    if (!mpi_start(&o, "forecast")) {
        return EXIT_USAGE;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "entente: cannot open scenario directory %s: %s\n", dir, strerror(errno));
        mpi_stop(&o);
        return EXIT_IO;
    }
    char *files[64];
    size_t nf = 0;
    struct dirent *de;
    while ((de = readdir(d)) && nf < 64) {
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0) {
            size_t need = strlen(dir) + l + 2;
            files[nf] = malloc(need);
            if (files[nf]) {
                snprintf(files[nf], need, "%s/%s", dir, de->d_name);
                nf++;
            }
        }
    }
    closedir(d);
    if (!nf) {
        fprintf(stderr, "entente: no *.yaml scenarios in %s\n", dir);
        mpi_stop(&o);
        return EXIT_INPUT;
    }
    qsort(files, nf, sizeof *files, cmp_str);
    ent_world_t *w;
    ent_err_t rc = ent_world_load_dir(&w, o.world_dir ? o.world_dir : ent_world_default_dir());
    if (rc != ENT_OK) {
        for (size_t k = 0; k < nf; k++) {
            free(files[k]);
        }
        mpi_stop(&o);
        return cli_fail(rc);
    }
    if (o.out) {
        int oc = check_out_names(files, nf, w);
        if (oc == EXIT_OK) {
            oc = cli_check_out_dir(o.out);
        }
        if (oc != EXIT_OK) {
            for (size_t k = 0; k < nf; k++) {
                free(files[k]);
            }
            ent_world_free(w);
            mpi_stop(&o);
            return oc;
        }
    }
    result_t *res = calloc(nf, sizeof *res);
    int ret = res ? EXIT_OK : EXIT_IO;
    size_t done = 0, base = SIZE_MAX;
    for (size_t k = 0; k < nf && ret == EXIT_OK; k++) {
        ret = run_scenario(&res[k], w, files[k], o.runs, o.threads, o.seed, true);
        if (ret == EXIT_OK) {
            done++;
            if (strcmp(res[k].s.name, "baseline") == 0) {
                base = k;
            }
        }
    }
    if (done && mpi_rank == 0) {
        int china = 1, k_p = o.k;
        json_t *out = json_pack("{s:s, s:i, s:o}", "scenario_dir", dir, "pacts_threshold", k_p, "scenarios",
                                json_array());
        json_t *arr = json_object_get(out, "scenarios");
        if (!o.json) {
            const result_t *r0 = &res[0];
            int ry = r0->s.report_year, ly = ry + 10 < r0->s.start_year + r0->s.years ? ry + 10 : r0->s.start_year + r0->s.years;
            printf("entente forecast: %zu scenarios, %lld runs each, seed %llu, on the shipped world (%d)\n", done,
                   (long long)ent_ensemble_runs(r0->e), (unsigned long long)r0->s.seed, r0->s.start_year);
            printf("China's formal defence pacts (it holds %d today); probabilities with 95%% Wilson intervals\n\n",
                   base_pacts(r0, china));
            printf("%-24s %-21s %-21s %-21s %-21s %s\n", "scenario", "any new pact by", "pacts >= K by",
                   "pacts >= K by", "pact with Russia by", "alliance builder by");
            char h1[32], h2[32], h3[32], h4[32], h5[32];
            snprintf(h1, sizeof h1, "%d", ry);
            snprintf(h2, sizeof h2, "%d (K=%d)", ry, k_p);
            snprintf(h3, sizeof h3, "%d (K=%d)", ly, k_p);
            snprintf(h4, sizeof h4, "%d", ly);
            snprintf(h5, sizeof h5, "%d (median year)", ry);
            printf("%-24s %-21s %-21s %-21s %-21s %s\n", "", h1, h2, h3, h4, h5);
        }
        for (size_t k = 0; k < done; k++) {
            const result_t *r = &res[k];
            int ry = r->s.report_year;
            int ly = ry + 10 < r->s.start_year + r->s.years ? ry + 10 : r->s.start_year + r->s.years;
            int64_t rus = -1;
            size_t rus_i = SIZE_MAX;
            if (ent_world_find(&rus, w, "RUS") == ENT_OK) {
                for (size_t i = 0; i < ent_model_nstates(r->m); i++) {
                    if (ent_model_state(r->m, i) == rus) {
                        rus_i = i;
                    }
                }
            }
            ent_prob_t any = ent_ensemble_p_pacts(r->e, china, base_pacts(r, china) + 1, ry);
            ent_prob_t a = ent_ensemble_p_pacts(r->e, china, k_p, ry), a2 = ent_ensemble_p_pacts(r->e, china, k_p, ly);
            ent_prob_t b = ent_ensemble_p_builder(r->e, china, ry);
            ent_prob_t c = rus_i != SIZE_MAX ? ent_ensemble_p_pact_with(r->e, rus_i, china, ly) : ent_prob_wilson(0, 0);
            int my = ent_ensemble_median_cross_year(r->e, china);
            json_t *so = json_pack("{s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:o}", "scenario", r->s.name, "report_year", ry,
                                   "later_year", ly, "p_china_new_pact", prob_json(any), "p_china_pacts", prob_json(a),
                                   "p_china_pacts_later", prob_json(a2), "p_china_russia_pact_later", prob_json(c),
                                   "p_china_alliance_builder", prob_json(b));
            json_object_set_new(so, "median_year_alliance_builder", my ? json_integer(my) : json_null());
            if (base != SIZE_MAX && k != base) {
                double dd, lo, hi;
                if (ent_ensemble_diff_pacts(&dd, &lo, &hi, res[base].e, r->e, china, k_p, ly) == ENT_OK) {
                    json_object_set_new(so, "effect_vs_baseline_later",
                                        json_pack("{s:f, s:f, s:f}", "diff", dd, "lo", lo, "hi", hi));
                }
            }
            json_array_append_new(arr, so);
            if (!o.json) {
                char c1[40], c2[40], c3[40], c4[40], c5[48];
                snprintf(c1, sizeof c1, "%.3f [%.3f,%.3f]", any.p, any.lo, any.hi);
                snprintf(c2, sizeof c2, "%.3f [%.3f,%.3f]", a.p, a.lo, a.hi);
                snprintf(c3, sizeof c3, "%.3f [%.3f,%.3f]", a2.p, a2.lo, a2.hi);
                snprintf(c4, sizeof c4, "%.3f [%.3f,%.3f]", c.p, c.lo, c.hi);
                if (my) {
                    snprintf(c5, sizeof c5, "%.3f [%.3f,%.3f] %d", b.p, b.lo, b.hi, my);
                } else {
                    snprintf(c5, sizeof c5, "%.3f [%.3f,%.3f] -", b.p, b.lo, b.hi);
                }
                printf("%-24.24s %-21s %-21s %-21s %-21s %s\n", r->s.name, c1, c2, c3, c4, c5);
            }
        }
        if (!o.json) {
            if (base != SIZE_MAX) {
                const result_t *rb = &res[base];
                int ly = rb->s.report_year + 10 < rb->s.start_year + rb->s.years ? rb->s.report_year + 10
                                                                                  : rb->s.start_year + rb->s.years;
                printf("\nEffect of each scenario against the baseline on P[China holds >= %d pacts by %d]\n"
                       "(paired differences over common random numbers, 95%% interval):\n",
                       k_p, ly);
                for (size_t k = 0; k < done; k++) {
                    double dd, lo, hi;
                    if (k != base && ent_ensemble_diff_pacts(&dd, &lo, &hi, rb->e, res[k].e, china, k_p, ly) == ENT_OK) {
                        printf("  %-26.26s %+.3f [%+.3f, %+.3f]\n", res[k].s.name, dd, lo, hi);
                    }
                }
                printf("\nBaseline detail\n");
                print_scenario(w, &res[base], k_p);
            }
            printf("\nEvery number traces to its scenario file (%s) and docs/models/alignment.md.\n", dir);
        }
        if (o.out) {
            for (size_t k = 0; k < done && ret == EXIT_OK; k++) {
                ret = write_outputs(o.out, w, &res[k], k_p);
            }
        }
        if (o.json) {
            int j = cli_print_json(out);
            ret = ret ? ret : j;
        } else {
            json_decref(out);
        }
    }
    for (size_t k = 0; k < nf; k++) {
        if (res) {
            result_free(&res[k]);
        }
        free(files[k]);
    }
    free(res);
    ent_world_free(w);
    mpi_stop(&o);
    return ret;
}
