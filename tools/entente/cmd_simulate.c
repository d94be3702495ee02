/*
 * cmd_simulate.c -- `entente simulate SCENARIO` and `entente forecast`: Monte
 * Carlo ensembles of the alignment model on the shipped world, reported as
 * probabilities with intervals. This file runs the ensembles (threads, MPI ranks,
 * the progress bar, Ctrl-C) and writes the files; the reports themselves -- the
 * JSON, the text, the CSV tables -- are computed in the library (src/report/forecast.c).
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli_opts.h"

#ifdef ENT_WITH_MPI
#include <mpi.h>
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

typedef struct {
    ent_scenario_t s;
    ent_model_t *m;
    ent_ensemble_t *e;
    /* from a historical world: each pair's share of runs with a new tie by the horizon (model order) */
    double *p_new;
    char path[4096];
} result_t;

/* A simulation from a historical world (--db STORE --start-year Y [--to T]); start_year 0: the shipped world. */
typedef struct {
    const char *db;
    int start_year, to;
} hist_opts_t;

/*
 * The scenario's years moved to a historical start: start_year overridden; with --to the horizon
 * and the report year are `to`, else the horizon keeps its length and the report year its distance
 * from the start. Everything else (poles, levers, parameters) is the scenario's.
 */
static void hist_override(ent_scenario_t *s, const hist_opts_t *h)
{
    if (!h || !h->start_year) {
        return;
    }
    int shift = h->start_year - s->start_year;
    s->start_year = h->start_year;
    if (h->to) {
        s->years = h->to - h->start_year;
        s->report_year = h->to;
    } else {
        s->report_year += shift;
        if (s->report_year > s->start_year + s->years) {
            s->report_year = s->start_year + s->years;
        }
    }
}

static void result_free(result_t *r)
{
    ent_ensemble_free(r->e);
    ent_model_free(r->m);
    free(r->p_new);
    r->e = NULL;
    r->m = NULL;
    r->p_new = NULL;
}

/* Runs one scenario. Returns an exit code; on success r->e holds the ensemble. */
static int run_scenario(result_t *r, const ent_world_t *w, const char *path, int64_t runs, int threads,
                        const char *seed_s, bool no_record, bool progress, const hist_opts_t *hist)
{
    ent_err_t rc = ent_scenario_load(&r->s, path, w);
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    hist_override(&r->s, hist);
    snprintf(r->path, sizeof r->path, "%s", path);
    if (runs > 0) {
        r->s.runs = runs;
    }
    if (seed_s) {
        r->s.seed = strtoull(seed_s, NULL, 10);
    }
    if (no_record) {
        r->s.record = 0;
    }
    if ((rc = ent_model_new(&r->m, w, &r->s)) != ENT_OK) {
        return cli_fail(rc);
    }
    progress_t pr = {.label = r->s.name, .enabled = progress && isatty(STDERR_FILENO)};
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
    if (hist && hist->start_year) {
        /* the per-pair forecast it is scored on, from the same runs (no MPI from a historical world) */
        size_t n = ent_model_nstates(r->m);
        if (!(r->p_new = malloc((n ? n * n : 1) * sizeof *r->p_new))) {
            fprintf(stderr, "entente: out of memory\n");
            return EXIT_IO;
        }
        rc = ent_ensemble_run_freerun(&r->e, r->p_new, r->m, r->s.start_year + r->s.years, r->s.runs, &eo);
    } else {
        rc = ent_ensemble_run(&r->e, r->m, first, last - first, &eo);
    }
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

/* The library's view of a run: what the simulate and forecast reports read. */
static ent_report_run_t report_run(const result_t *r)
{
    return (ent_report_run_t){.scenario = &r->s, .model = r->m, .ensemble = r->e, .file = r->path};
}

/*
 * The provenance of one scenario's results: the command line, the shipped world, the
 * scenario file, seed, runs and threads. NULL when it cannot be built (the outputs go
 * without it rather than not at all; the reason is on stderr).
 */
static ent_prov_t *scenario_prov(const result_t *r, const char *world_dir, ent_store_t *st, int threads)
{
    ent_prov_t *p = NULL;
    if (cli_prov_fresh(&p) != ENT_OK || (st ? cli_prov_store(p, st) : cli_prov_world(p, world_dir)) != ENT_OK ||
        cli_prov_file(p, "scenario", r->path) != ENT_OK ||
        cli_prov_file(p, "pact_parameters", ent_pactmodel_default_path()) != ENT_OK ||
        (r->s.record && r->s.prior_spread > 0 && cli_prov_file(p, "record", ent_pmrecord_default_path()) != ENT_OK)) {
        fprintf(stderr, "entente: no provenance for %s: %s\n", r->s.name, ent_errmsg());
        ent_prov_free(p);
        return NULL;
    }
    ent_prov_set_run(p, r->s.seed, ent_ensemble_runs(r->e), cli_threads(threads));
    if (st) {
        char y[16];
        snprintf(y, sizeof y, "%d", r->s.start_year);
        cli_prov_param(p, "start_year", y);
    }
    if (mpi_size > 1) {
        char ranks[16];
        snprintf(ranks, sizeof ranks, "%d", mpi_size);
        cli_prov_param(p, "mpi_ranks", ranks);
    }
    return p;
}

/* Prints a text report (ent_report_*_text) on stdout, or fails with its error; the exit code. */
static int print_text(ent_err_t rc, char *text)
{
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    fputs(text, stdout);
    ent_free(text);
    return EXIT_OK;
}

/* Writes one complete file of `dir` named <scenario><suffix> holding `text` (freed here). */
static int write_text(const char *dir, const char *name, const char *suffix, char *text, const ent_prov_t *prov)
{
    char path[PATH_MAX];
    cli_out_t out;
    snprintf(path, sizeof path, "%s/%s%s", dir, name, suffix);
    int code = cli_out_open(&out, path);
    if (code == EXIT_OK) {
        fputs(text, out.f);
        code = cli_out_commit(&out);
    }
    ent_free(text);
    if (code == EXIT_OK && prov && cli_prov_sidecar(path, prov) != EXIT_OK) {
        return EXIT_IO;
    }
    return code;
}

/* Writes <name>.json, <name>_series.csv and <name>_states.csv of one scenario into dir, each
 * complete or not at all (cli_out_*), with a provenance sidecar; the name was checked by check_out_names. */
static int write_outputs(const char *dir, const ent_world_t *w, const result_t *r, int k_pacts, const ent_prov_t *prov)
{
    int code = cli_make_out_dir(dir);
    if (code != EXIT_OK) {
        return code;
    }
    ent_report_run_t run = report_run(r);
    char *text = NULL;
    ent_err_t rc = ent_report_simulate(&text, w, &run, k_pacts);
    json_t *o = cli_load_report(rc, text, &code);
    if (!o) {
        return code;
    }
    if (prov) {
        cli_prov_attach(o, prov);
    }
    char path[PATH_MAX];
    cli_out_t out;
    snprintf(path, sizeof path, "%s/%s.json", dir, r->s.name);
    if ((code = cli_out_open(&out, path)) != EXIT_OK) {
        json_decref(o);
        return code;
    }
    int bad = json_dumpf(o, out.f, JSON_SORT_KEYS | JSON_INDENT(1) | JSON_REAL_PRECISION(6)) != 0;
    json_decref(o);
    if (bad && !ferror(out.f)) {
        cli_out_abort(&out);
        fprintf(stderr, "entente: writing %s: out of memory\n", path);
        return EXIT_IO;
    }
    if ((code = cli_out_commit(&out)) != EXIT_OK) {
        return code;
    }
    char *series = NULL, *states = NULL;
    rc = ent_report_simulate_csv(&series, &states, w, &run);
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    code = write_text(dir, r->s.name, "_series.csv", series, prov);
    if (code != EXIT_OK) {
        ent_free(states);
        return code;
    }
    return write_text(dir, r->s.name, "_states.csv", states, prov);
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

typedef struct {
    const char *world_dir;
    int64_t runs;
    int threads;
    const char *seed;
    bool json;
    const char *out;
    const char *scen_dir;
    const char *export_dir;
    bool mpi, no_record;
    int k;
    int npos; /* the scenario file of simulate */
    char **pos;
    const char *db;
    int start_year, to; /* simulate from a store's historical world; 0 when not given */
} sim_opts_t;

/* The options of simulate and forecast, which share their meaning (and sim_opts_t). */
#define SIM_OPT_RUNS                                                                                                   \
    {                                                                                                                  \
        .name = "runs", .kind = CLI_INT64, .lo = 1, .hi = 1e8, .def = "the scenario's",                                \
        .help = "runs of the ensemble", .field = offsetof(sim_opts_t, runs)                                            \
    }
#define SIM_OPT_PACTS                                                                                                  \
    {                                                                                                                  \
        .name = "pacts", .kind = CLI_INT, .metavar = "K", .lo = 0, .hi = 999, .def = "3",                              \
        .help = "the 'at least K defence pacts' threshold of the headline", .field = offsetof(sim_opts_t, k)           \
    }
#define SIM_OPT_MPI                                                                                                    \
    {                                                                                                                  \
        .name = "mpi", .kind = CLI_FLAG, .field = offsetof(sim_opts_t, mpi),                                           \
        .help = "split the runs over the ranks of an MPI job (mpirun -np N entente COMMAND ... --mpi); rank 0 "        \
                "reports, and the output equals one process running every run"                                         \
    }
#define SIM_OPT_SEED                                                                                                   \
    {                                                                                                                  \
        .name = "seed", .kind = CLI_COMMON, .metavar = "S", .hi = 4294967295.0, .def = "the scenario's",               \
        .expect = "an integer in 0..4294967295",                                                                       \
        .help = "run k uses random stream (S, k): the same seed gives identical output on any thread count"            \
    }

#define SIM_OPT_NO_RECORD                                                                                              \
    {                                                                                                                  \
        .name = "no-record", .kind = CLI_FLAG, .field = offsetof(sim_opts_t, no_record),                               \
        .help = "draw the poles' norms from their prior, not conditioned on the poles' record of forming pacts "       \
                "(the scenario's `record: false`; docs/models/alignment.md)"                                           \
    }

static const cli_opt_t simulate_opts[] = {
    SIM_OPT_RUNS,
    {.name = "threads", .kind = CLI_COMMON, .metavar = "T"},
    SIM_OPT_SEED,
    CLI_COMMON_OPT("json"),
    {.name = "out",
     .kind = CLI_COMMON,
     .metavar = "DIR",
     .help = "also write DIR/<scenario>.json, <scenario>_series.csv, <scenario>_states.csv (each CSV with its "
             "provenance in a sidecar, <file>.csv.prov.json)"},
    CLI_COMMON_OPT("world-dir"),
    SIM_OPT_PACTS,
    SIM_OPT_NO_RECORD,
    {.name = "export-inputs",
     .kind = CLI_STRING,
     .metavar = "DIR",
     .help = "write the model's inputs (the arrays a run starts from) as CSV and stop",
     .field = offsetof(sim_opts_t, export_dir)},
    SIM_OPT_MPI,
    CLI_COMMON_HELP("db", "with --start-year: the store the historical world is built from"),
    {.name = "start-year",
     .kind = CLI_INT,
     .metavar = "YEAR",
     .lo = 1817,
     .hi = 2100,
     .help = "start from the world of YEAR built from the store (--db) instead of the shipped world; the "
             "scenario's poles, levers and parameters are kept, its start year replaced (its horizon keeps its "
             "length, its report year its distance from the start, unless --to)",
     .field = offsetof(sim_opts_t, start_year)},
    {.name = "to",
     .kind = CLI_INT,
     .metavar = "YEAR",
     .lo = 1818,
     .hi = 2200,
     .help = "with --start-year: the last year simulated and the report year; also scores each pair's P[a new "
             "defence pact by YEAR] against the store's ATOP record, as `fit --simulate-from` scores the pact model "
             "(with --out: DIR/<scenario>_dyads.csv)",
     .field = offsetof(sim_opts_t, to)},
    {0},
};

const cli_spec_t cli_spec_simulate = {
    .name = "simulate",
    .args = "SCENARIO.yaml",
    .npos_max = 1,
    .about = "Runs the alignment model N times on the shipped world under the scenario and reports\n"
             "probabilities with 95% Wilson intervals: each pole holding at least K defence pacts by the\n"
             "scenario's report year (default K = 3), its norm crossing into 'alliance builder', quantile\n"
             "bands of the yearly series, the most likely new allies and Finlandization risks.\n"
             "A progress bar goes to stderr on a terminal; Ctrl-C stops and reports the runs completed.\n"
             "With --db STORE --start-year YEAR it starts from the world of YEAR built from the store, and\n"
             "scores each pair's P[a new defence pact by --to] against ATOP (scenarios/history/history.yaml).",
    .opts = simulate_opts,
};

static const cli_opt_t forecast_opts[] = {
    SIM_OPT_RUNS,
    {.name = "threads", .kind = CLI_COMMON, .metavar = "T"},
    SIM_OPT_SEED,
    CLI_COMMON_OPT("json"),
    {.name = "out",
     .kind = CLI_COMMON,
     .metavar = "DIR",
     .help = "also write each scenario's DIR/<scenario>.json, _series.csv and _states.csv, and the headline"},
    {.name = "scenarios",
     .kind = CLI_STRING,
     .metavar = "DIR",
     .def = "$ENTENTE_SCENARIOS or the build's scenarios/",
     .help = "the scenario directory",
     .field = offsetof(sim_opts_t, scen_dir)},
    CLI_COMMON_OPT("world-dir"),
    SIM_OPT_PACTS,
    SIM_OPT_NO_RECORD,
    SIM_OPT_MPI,
    {0},
};

const cli_spec_t cli_spec_forecast = {
    .name = "forecast",
    .about = "The main job: runs every scenario in the scenario directory on the shipped world with common\n"
             "random numbers, and prints the headline table: per scenario, P[China holds >= K formal defence\n"
             "pacts by the report year], P[a China-Russia pact], P[China an alliance builder] with 95%\n"
             "intervals; the most likely new allies; Finlandization risks; and the effect of each lever\n"
             "scenario against the baseline as a paired difference with its interval.",
    .opts = forecast_opts,
};

/* 0 when parsed, 1 after --help, else minus the exit code of a usage error. */
static int parse(int argc, char **argv, const cli_spec_t *spec, sim_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->k = 3;
    cli_common_t c;
    int r = cli_parse(spec, argc, argv, o, &c);
    if (r != EXIT_OK) {
        return r == CLI_DONE ? 1 : -r;
    }
#ifndef ENT_WITH_MPI
    if (o->mpi) {
        return -cli_usage_error(spec->name,
                                "--mpi: this entente was built without MPI (install libopenmpi-dev and rebuild)");
    }
#endif
    o->threads = c.threads;
    o->seed = c.seed_arg;
    o->json = c.json;
    o->out = c.out;
    o->world_dir = c.world_dir;
    o->db = c.db;
    o->npos = c.npos;
    o->pos = c.pos;
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

/*
 * The historical world of --start-year from --db, and the pact-model history that scores the run
 * (start .. the horizon, or the start year alone when the horizon is past the store: then nothing
 * is scored). The store stays open for the provenance; the caller closes it.
 */
static ent_err_t load_history_world(ent_world_t **w, ent_pmhistory_t **h, ent_store_t **st, const sim_opts_t *o,
                                    const char *path)
{
    *w = NULL;
    *h = NULL;
    ent_err_t rc = cli_open_store(st, o->db, true, true);
    if (rc != ENT_OK) {
        return rc;
    }
    /* the start year first: a year outside the store is refused before anything is built */
    int first_y = 0, last_y = 0;
    if ((rc = ent_world_history_years(&first_y, &last_y, *st, o->start_year)) != ENT_OK) {
        return rc;
    }
    int last = o->to;
    if (!last) {
        /* the scenario's horizon; its state codes are resolved against the store's states */
        ent_world_t *plain = NULL;
        ent_scenario_t sc;
        if ((rc = ent_store_load_world(&plain, *st, NULL)) == ENT_OK &&
            (rc = ent_scenario_load(&sc, path, plain)) == ENT_OK) {
            last = o->start_year + sc.years;
        }
        ent_world_free(plain);
        if (rc != ENT_OK) {
            return rc;
        }
    }
    rc = ent_pmhistory_build(h, *st, o->start_year, last, cli_cancel_flag());
    if (rc == ENT_ERANGE) {
        rc = ent_pmhistory_build(h, *st, o->start_year, o->start_year, cli_cancel_flag());
    }
    if (rc == ENT_OK) {
        rc = ent_world_load_history(w, *st, o->start_year, *h);
    }
    return rc;
}

/*
 * The free-running forecast of the ensemble's runs from the historical world, per pair (r->p_new,
 * counted in the same runs), scored against the store's ATOP record as `fit --simulate-from` scores the
 * pact model alone. Fills the text or JSON of the scores (NULL: not wanted) and the CSV when `csv` is
 * not NULL.
 */
static ent_err_t history_scores(char **json, char **text, char **csv, const result_t *r, const ent_world_t *w,
                                const ent_pmhistory_t *h)
{
    size_t n = ent_model_nstates(r->m);
    int32_t *codes = malloc((n ? n : 1) * sizeof *codes);
    if (!codes) {
        return ENT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        codes[i] = ent_world_state(w, (size_t)ent_model_state(r->m, i))->ccode;
    }
    int to = r->s.start_year + r->s.years;
    char head[256];
    snprintf(head, sizeof head,
             "free-running alignment model (%s) from %d to %d: %lld runs (each with its draw of the pact "
             "model's parameters and of the priors)",
             r->s.name, r->s.start_year, to, (long long)r->s.runs);
    ent_err_t rc =
        ent_report_freerun_scores(json, text, csv, r->p_new, codes, n, h, r->s.start_year, to, (size_t)r->s.runs, head);
    free(codes);
    return rc;
}

int cmd_simulate(int argc, char **argv)
{
    sim_opts_t o;
    int pr = parse(argc, argv, &cli_spec_simulate, &o);
    if (pr) {
        return pr > 0 ? EXIT_OK : -pr;
    }
    if (o.npos != 1) {
        return cli_usage_error("simulate", "expected one scenario file");
    }
    const bool hist = o.start_year != 0;
    if (hist && !o.db) {
        return cli_usage_error("simulate", "--start-year needs --db STORE: the historical world is built from a store");
    }
    if (!hist && o.db) {
        return cli_usage_error("simulate", "--db goes with --start-year YEAR (without them: the shipped world)");
    }
    if (o.to && !hist) {
        return cli_usage_error("simulate", "--to goes with --start-year");
    }
    if (o.to && o.to <= o.start_year) {
        return cli_usage_error("simulate", "--to %d must come after --start-year %d", o.to, o.start_year);
    }
    if (hist && o.world_dir) {
        return cli_usage_error("simulate", "--world-dir and --start-year name two worlds: give one");
    }
    if (hist && o.mpi) {
        return cli_usage_error("simulate", "--mpi does not split a run from a historical world (--start-year)");
    }
    const char *path = o.pos[0];
    if (!mpi_start(&o, "simulate")) {
        return EXIT_USAGE;
    }
    ent_world_t *w = NULL;
    ent_pmhistory_t *h = NULL;
    ent_store_t *st = NULL;
    hist_opts_t ho = {o.db, o.start_year, o.to};
    ent_err_t rc = hist ? load_history_world(&w, &h, &st, &o, path) : cli_load_world(&w, NULL, o.world_dir, false);
    if (rc != ENT_OK) {
        int code = cli_fail(rc);
        ent_pmhistory_free(h);
        ent_store_close(st);
        mpi_stop(&o);
        return code;
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
            ent_pmhistory_free(h);
            ent_store_close(st);
            mpi_stop(&o);
            return oc;
        }
    }
    if (o.export_dir) {
        /* only the inputs: for peers and audits, no runs */
        ent_scenario_t sc;
        ent_model_t *mm = NULL;
        if ((rc = ent_scenario_load(&sc, path, w)) == ENT_OK) {
            hist_override(&sc, &ho);
            if ((rc = ent_model_new(&mm, w, &sc)) == ENT_OK) {
                rc = ent_model_export(mm, w, o.export_dir);
            }
        }
        ent_model_free(mm);
        ent_world_free(w);
        ent_pmhistory_free(h);
        ent_store_close(st);
        mpi_stop(&o);
        if (rc != ENT_OK) {
            return cli_fail(rc);
        }
        printf("model inputs written to %s\n", o.export_dir);
        return EXIT_OK;
    }
    result_t r;
    memset(&r, 0, sizeof r);
    int ret = run_scenario(&r, w, path, o.runs, o.threads, o.seed, o.no_record, true, &ho);
    char *fr_text = NULL, *fr_json = NULL, *fr_csv = NULL;
    if (hist && r.e && r.p_new && ret == EXIT_OK) {
        rc = history_scores(o.json ? &fr_json : NULL, o.json ? NULL : &fr_text, o.out ? &fr_csv : NULL, &r, w, h);
        if (rc != ENT_OK) {
            ret = cli_fail(rc);
        }
    }
    if (r.e && (ret == EXIT_OK || ret == EXIT_INTERRUPTED)) {
        ent_prov_t *prov = o.json || o.out
                               ? scenario_prov(&r, o.world_dir ? o.world_dir : ent_world_default_dir(), st, o.threads)
                               : NULL;
        ent_report_run_t run = report_run(&r);
        char *text = NULL;
        int j = EXIT_OK;
        if (o.json) {
            ent_err_t rr = ent_report_simulate(&text, w, &run, o.k);
            json_t *doc = cli_load_report(rr, text, &j);
            if (doc && fr_json) {
                json_error_t je;
                json_t *fr = json_loads(fr_json, 0, &je);
                if (fr) {
                    json_object_set_new(doc, "freerun", fr);
                }
            }
            if (doc && prov) {
                cli_prov_attach(doc, prov);
            }
            j = doc ? cli_print_json(doc) : j;
        } else {
            ent_err_t rr = ent_report_simulate_text(&text, w, &run, o.k);
            j = print_text(rr, text);
            if (j == EXIT_OK && fr_text) {
                printf("\n%s", fr_text);
            }
        }
        ret = ret ? ret : j;
        if (o.out) {
            int wo = write_outputs(o.out, w, &r, o.k, prov);
            if (wo == EXIT_OK && fr_csv) {
                wo = write_text(o.out, r.s.name, "_dyads.csv", fr_csv, prov);
                fr_csv = NULL; /* freed by write_text */
            }
            ret = ret ? ret : wo;
        }
        ent_prov_free(prov);
    }
    ent_free(fr_text);
    ent_free(fr_json);
    ent_free(fr_csv);
    result_free(&r);
    ent_world_free(w);
    ent_pmhistory_free(h);
    ent_store_close(st);
    mpi_stop(&o);
    return ret;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_forecast(int argc, char **argv)
{
    sim_opts_t o;
    int pr = parse(argc, argv, &cli_spec_forecast, &o);
    if (pr) {
        return pr > 0 ? EXIT_OK : -pr;
    }
    const char *dir = o.scen_dir ? o.scen_dir : ent_scenario_default_dir();
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
    const char *world_dir = o.world_dir ? o.world_dir : ent_world_default_dir();
    ent_err_t rc = cli_load_world(&w, NULL, world_dir, false);
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
    size_t done = 0;
    for (size_t k = 0; k < nf && ret == EXIT_OK; k++) {
        ret = run_scenario(&res[k], w, files[k], o.runs, o.threads, o.seed, o.no_record, true, NULL);
        if (ret == EXIT_OK) {
            done++;
        }
    }
    if (done && mpi_rank == 0) {
        int k_p = o.k;
        /* The forecast's own provenance: the world, every scenario file, the runs. */
        ent_err_t prc = ENT_OK;
        for (size_t k = 0; k < done && prc == ENT_OK; k++) {
            prc = cli_prov_file(NULL, "scenario", res[k].path);
        }
        if (prc == ENT_OK) {
            prc = cli_prov_world(NULL, world_dir);
        }
        if (prc == ENT_OK) { /* the fitted pact model every run drew its parameters from */
            prc = cli_prov_file(NULL, "pact_parameters", ent_pactmodel_default_path());
        }
        if (prc == ENT_OK && !o.no_record) { /* the record the norm draws were conditioned on */
            prc = cli_prov_file(NULL, "record", ent_pmrecord_default_path());
        }
        if (prc != ENT_OK) {
            ret = cli_fail(prc);
        } else if (cli_prov()) {
            ent_prov_set_run(cli_prov(), res[0].s.seed, ent_ensemble_runs(res[0].e), cli_threads(o.threads));
            if (mpi_size > 1) {
                char ranks[16];
                snprintf(ranks, sizeof ranks, "%d", mpi_size);
                cli_prov_param(NULL, "mpi_ranks", ranks);
            }
        }
        ent_report_run_t *runs = calloc(done, sizeof *runs);
        if (!runs) {
            ret = cli_fail(ENT_ENOMEM);
        }
        for (size_t k = 0; runs && k < done; k++) {
            runs[k] = report_run(&res[k]);
        }
        if (runs && !o.json) {
            char *text = NULL;
            ent_err_t rr = ent_report_forecast_text(&text, w, runs, done, dir, k_p);
            int j = print_text(rr, text);
            ret = ret ? ret : j;
        }
        if (runs && o.out) {
            for (size_t k = 0; k < done && ret == EXIT_OK; k++) {
                ent_prov_t *prov = scenario_prov(&res[k], world_dir, NULL, o.threads);
                ret = write_outputs(o.out, w, &res[k], k_p, prov);
                ent_prov_free(prov);
            }
        }
        if (runs && o.json) {
            char *text = NULL;
            ent_err_t rr = ent_report_forecast(&text, w, runs, done, dir, k_p);
            int j = cli_print_report(rr, text);
            ret = ret ? ret : j;
        }
        free(runs);
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
