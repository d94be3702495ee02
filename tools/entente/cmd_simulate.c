/*
 * cmd_simulate.c -- `entente simulate SCENARIO` and `entente forecast`: Monte
 * Carlo ensembles of the alignment model on the shipped world, reported as
 * probabilities with intervals.
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

static const ent_state_t *pole_st(const ent_world_t *w, const result_t *r, int p)
{
    return ent_world_state(w, (size_t)ent_model_state(r->m, ent_model_pole_state(r->m, p)));
}

static const char *pole_abbr(const ent_world_t *w, const result_t *r, int p)
{
    return pole_st(w, r, p)->abbr;
}

/* The pole index of the state with COW abbreviation `abbr`, or -1 when it is not a pole of the scenario. */
static int find_pole(const ent_world_t *w, const result_t *r, const char *abbr)
{
    for (int p = 0; p < ent_model_npoles(r->m); p++) {
        if (strcmp(pole_abbr(w, r, p), abbr) == 0) {
            return p;
        }
    }
    return -1;
}

/* "China (CHN)": a state for people, with its COW abbreviation. */
static const char *full_name(const ent_state_t *st, char *buf, size_t n)
{
    snprintf(buf, n, "%s (%s)", st->name, st->abbr);
    return buf;
}

/* A series' key for JSON and CSV, the pole named by its code (the library's ent_model_series_key): "pacts_CHN". */
static const char *series_key(const ent_world_t *w, const result_t *r, int sr, char *buf, size_t n)
{
    (void)w;
    return ent_model_series_key(r->m, (ent_series_t)sr, buf, n);
}

/* A series' label for people: "defence pacts of China". */
static const char *series_label(const ent_world_t *w, const result_t *r, int sr, char *buf, size_t n)
{
    int p = ent_series_pole((ent_series_t)sr);
    if (p >= 0) {
        const char *name = pole_st(w, r, p)->name;
        ent_series_t base = ent_series_for_pole(ENT_SERIES_PACTS0, p) == (ent_series_t)sr     ? ENT_SERIES_PACTS0
                            : ent_series_for_pole(ENT_SERIES_BLOC0, p) == (ent_series_t)sr    ? ENT_SERIES_BLOC0
                            : ent_series_for_pole(ENT_SERIES_FINLAND0, p) == (ent_series_t)sr ? ENT_SERIES_FINLAND0
                                                                                              : ENT_SERIES_NORM0;
        switch (base) {
        case ENT_SERIES_PACTS0: snprintf(buf, n, "defence pacts of %s", name); break;
        case ENT_SERIES_BLOC0: snprintf(buf, n, "capability share, %s bloc", name); break;
        case ENT_SERIES_FINLAND0: snprintf(buf, n, "Finlandized toward %s", name); break;
        default: snprintf(buf, n, "aversion norm, %s", name);
        }
        return buf;
    }
    switch ((ent_series_t)sr) {
    case ENT_SERIES_BIPOLARITY:
        snprintf(buf, n, ent_model_npoles(r->m) == 2 ? "bipolarity (both blocs' share)" : "the blocs' share");
        break;
    case ENT_SERIES_POLARIZATION: snprintf(buf, n, "polarization (Esteban-Ray)"); break;
    case ENT_SERIES_HEDGERS: snprintf(buf, n, "hedging states"); break;
    case ENT_SERIES_FRUSTRATION: snprintf(buf, n, "frustration (ties against blocs)"); break;
    default: snprintf(buf, n, "%s", ent_series_name((ent_series_t)sr));
    }
    return buf;
}

/* An alignment's key, by the pole's code: "hedge", "aligned_CHN", "finlandized_USA", "pole". */
static const char *align_key(const ent_world_t *w, const result_t *r, int a, char *buf, size_t n)
{
    (void)w;
    return ent_model_align_key(r->m, (ent_align_t)a, buf, n);
}

/*
 * The provenance of one scenario's results: the command line, the shipped world, the
 * scenario file, seed, runs and threads. NULL when it cannot be built (the outputs go
 * without it rather than not at all; the reason is on stderr).
 */
static ent_prov_t *scenario_prov(const result_t *r, const char *world_dir, int threads)
{
    ent_prov_t *p = NULL;
    if (cli_prov_fresh(&p) != ENT_OK || cli_prov_world(p, world_dir) != ENT_OK ||
        cli_prov_file(p, "scenario", r->path) != ENT_OK ||
        cli_prov_file(p, "pact_parameters", ent_pactmodel_default_path()) != ENT_OK) {
        fprintf(stderr, "entente: no provenance for %s: %s\n", r->s.name, ent_errmsg());
        ent_prov_free(p);
        return NULL;
    }
    ent_prov_set_run(p, r->s.seed, ent_ensemble_runs(r->e), cli_threads(threads));
    if (mpi_size > 1) {
        char ranks[16];
        snprintf(ranks, sizeof ranks, "%d", mpi_size);
        cli_prov_param(p, "mpi_ranks", ranks);
    }
    return p;
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
    int np = ent_model_npoles(r->m);
    for (size_t i = 0; i < n; i++) {
        if (ent_model_initial_alignment(r->m, i) == (ent_align_t)ENT_ALIGN_SELF(np)) {
            continue; /* a pole */
        }
        double p;
        if (finland) {
            p = ent_ensemble_p_align(r->e, i, (ent_align_t)ENT_ALIGN_FINLANDIZED(np, pole), year).p;
        } else {
            /* new allies: states without a pact with the pole in the base year */
            if (ent_ensemble_p_pact_with(r->e, i, pole, r->s.start_year).p > 0.5) {
                continue;
            }
            p = ent_ensemble_p_pact_with(r->e, i, pole, year).p;
        }
        if (p > 0) {
            out[k++] = (ranked_t){i, p};
        }
    }
    qsort(out, k, sizeof *out, by_p);
    return k;
}

/* The number of defence pacts pole p holds in the base year (the same in every run). */
static int base_pacts(const result_t *r, int p)
{
    return (int)lround(ent_ensemble_mean(r->e, ent_series_for_pole(ENT_SERIES_PACTS0, p), r->s.start_year));
}

/* ---- pacts between two poles (issue 12). A pact of two poles counts in both poles' pact and builder
 * counts; its own record, P[a pact between poles p and q by a year], is reported here, each pair
 * once, named by the poles' state codes in canonical order (ascending COW codes), so the output does
 * not depend on the order the scenario lists them in. The JSON field "pole_pacts" (simulate and
 * forecast) and the text line "pacts between poles" come from these two functions only. */

/* The later year of the headline: ten years after the report year, or the horizon's end. */
static int later_year(const ent_scenario_t *s)
{
    return s->report_year + 10 < s->start_year + s->years ? s->report_year + 10 : s->start_year + s->years;
}

static json_t *pole_pacts_json(const result_t *r)
{
    int ry = r->s.report_year, ly = later_year(&r->s), np = ent_model_npoles(r->m);
    json_t *arr = json_array();
    for (int p = 0; p < np; p++) {
        for (int q = p + 1; q < np; q++) {
            json_t *o = json_pack("{s:[s, s], s:i, s:o, s:i, s:o}", "poles", ent_model_pole_code(r->m, p),
                                  ent_model_pole_code(r->m, q), "report_year", ry, "p_pact_by_report_year",
                                  prob_json(ent_ensemble_p_pole_pact(r->e, p, q, ry)), "later_year", ly,
                                  "p_pact_by_later_year", prob_json(ent_ensemble_p_pole_pact(r->e, p, q, ly)));
            json_array_append_new(arr, o);
        }
    }
    return arr;
}

/* "  pacts between poles: P[USA-CHN pact by 2035] = 0.004 [0.001, 0.01], by 2045 ..." */
static void print_pole_pacts(const result_t *r, const char *indent)
{
    int ry = r->s.report_year, ly = later_year(&r->s), np = ent_model_npoles(r->m);
    for (int p = 0; p < np; p++) {
        for (int q = p + 1; q < np; q++) {
            ent_prob_t a = ent_ensemble_p_pole_pact(r->e, p, q, ry), b = ent_ensemble_p_pole_pact(r->e, p, q, ly);
            printf("%sP[a %s-%s defence pact by %d] = %.3f [%.3f, %.3f], by %d = %.3f [%.3f, %.3f]\n", indent,
                   ent_model_pole_code(r->m, p), ent_model_pole_code(r->m, q), ry, a.p, a.lo, a.hi, ly, b.p, b.lo,
                   b.hi);
        }
    }
}

static json_t *scenario_json(const ent_world_t *w, const result_t *r, int k_pacts, const ent_prov_t *prov)
{
    const ent_scenario_t *s = &r->s;
    int ry = s->report_year, last = s->start_year + s->years;
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:i, s:i, s:i}", "scenario", s->name, "description",
                          s->description, "file", r->path, "runs", (json_int_t)ent_ensemble_runs(r->e), "seed",
                          (json_int_t)s->seed, "start_year", s->start_year, "end_year", last, "report_year", ry);
    json_t *poles = json_array();
    for (int p = 0; p < ent_model_npoles(r->m); p++) {
        json_t *po = json_pack("{s:s, s:s, s:i, s:i}", "pole", pole_abbr(w, r, p), "name", pole_st(w, r, p)->name,
                               "ccode", pole_st(w, r, p)->ccode, "pacts_in_base_year", base_pacts(r, p));
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
    json_object_set_new(o, "pole_pacts", pole_pacts_json(r));
    /* series: mean and 5/50/95% bands by year */
    json_t *series = json_object();
    for (int sr = 0; sr < ent_model_nseries(r->m); sr++) {
        json_t *rows = json_array();
        for (int y = s->start_year; y <= last; y++) {
            json_array_append_new(rows, json_pack("{s:i, s:f, s:f, s:f, s:f}", "year", y, "mean",
                                                  ent_ensemble_mean(r->e, (ent_series_t)sr, y), "q05",
                                                  ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.05), "q50",
                                                  ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.5), "q95",
                                                  ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.95)));
        }
        char key[64];
        json_object_set_new(series, series_key(w, r, sr, key, sizeof key), rows);
    }
    json_object_set_new(o, "series", series);
    /* states: alignment probabilities in the report year and pacts by it */
    json_t *states = json_array();
    size_t n = ent_model_nstates(r->m);
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(r->m, i));
        json_t *so = json_pack("{s:s, s:s, s:i}", "abbr", st->abbr, "name", st->name, "ccode", st->ccode);
        json_t *al = json_object();
        char key[48];
        for (int a = 0; a < ENT_ALIGN_SELF(ent_model_npoles(r->m)); a++) {
            json_object_set_new(al, align_key(w, r, a, key, sizeof key),
                                json_real(ent_ensemble_p_align(r->e, i, (ent_align_t)a, ry).p));
        }
        json_object_set_new(so, "alignment_report_year", al);
        json_object_set_new(so, "initial_alignment",
                            json_string(align_key(w, r, (int)ent_model_initial_alignment(r->m, i), key, sizeof key)));
        for (int p = 0; p < ent_model_npoles(r->m); p++) {
            snprintf(key, sizeof key, "p_pact_with_%s_by_report_year", pole_abbr(w, r, p));
            json_object_set_new(so, key, json_real(ent_ensemble_p_pact_with(r->e, i, p, ry).p));
        }
        json_array_append_new(states, so);
    }
    json_object_set_new(o, "states", states);
    if (prov) {
        cli_prov_attach(o, prov);
    }
    return o;
}

/* Joins words that must stay on one line ("China (CHN) 0.31"): print_wrapped prints it as a space. */
#define NBSP '\x01'

/*
 * Prints text word-wrapped to 100 columns, continuation lines indented by `indent` spaces;
 * `col` is the column the cursor is at. Ends with a newline. Leading and trailing newlines
 * (YAML's folded scalars keep one) are dropped.
 */
static void print_wrapped(const char *text, int col, int indent)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\n') {
            p++;
        }
        size_t len = strcspn(p, " \n");
        if (!len) {
            break;
        }
        if (col > indent && col + 1 + (int)len > 100) {
            printf("\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            putchar(' ');
            col++;
        }
        for (size_t k = 0; k < len; k++) {
            putchar(p[k] == NBSP ? ' ' : p[k]);
        }
        col += (int)len;
        p += len;
    }
    putchar('\n');
}

/* A ranked list of states with their probabilities: "Vietnam (DRV) 0.28, Taiwan (TAW) 0.09". */
static void print_ranked(const ent_world_t *w, const result_t *r, const ranked_t *rk, size_t k, int col)
{
    if (!k) {
        printf(" none\n");
        return;
    }
    char line[2048];
    size_t len = 0;
    for (size_t j = 0; j < k && j < 8; j++) {
        char nm[160];
        const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(r->m, rk[j].i));
        full_name(st, nm, sizeof nm);
        for (char *q = nm; *q; q++) {
            *q = *q == ' ' ? NBSP : *q;
        }
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s%c%.2f", j ? ", " : "", nm, NBSP, rk[j].p);
    }
    if (k > 8) {
        snprintf(line + len, sizeof line - len, ", ...");
    }
    print_wrapped(line, col, 4);
}

/* One scenario in detail; `define` adds the definitions the forecast gives in its preamble. */
static void print_scenario(const ent_world_t *w, const result_t *r, int k_pacts, bool define)
{
    const ent_scenario_t *s = &r->s;
    int ry = s->report_year, last = s->start_year + s->years;
    char nm[160];
    printf("scenario %s -- %lld runs, seed %llu, %d-%d\n", s->name, (long long)ent_ensemble_runs(r->e),
           (unsigned long long)s->seed, s->start_year, last);
    if (s->description[0]) {
        printf("  ");
        print_wrapped(s->description, 2, 2);
    }
    printf("\n");
    for (int p = 0; p < ent_model_npoles(r->m); p++) {
        ent_prob_t a = ent_ensemble_p_pacts(r->e, p, k_pacts, ry), b = ent_ensemble_p_builder(r->e, p, ry);
        int my = ent_ensemble_median_cross_year(r->e, p);
        printf("  %s: %d defence pact%s in %d\n", full_name(pole_st(w, r, p), nm, sizeof nm), base_pacts(r, p),
               base_pacts(r, p) == 1 ? "" : "s", s->start_year);
        printf("    P[at least %d pacts by %d] = %.3f [%.3f, %.3f]\n", k_pacts, ry, a.p, a.lo, a.hi);
        printf("    P[an alliance builder by %d] = %.3f [%.3f, %.3f]", ry, b.p, b.lo, b.hi);
        if (my) {
            printf("; in half the runs it is one by %d\n", my);
        } else {
            printf("\n");
        }
    }
    printf("  pacts between poles (each in both poles' counts):\n");
    print_pole_pacts(r, "    ");
    if (define) {
        char text[1024];
        snprintf(text, sizeof text,
                 "(P[...]: the share of runs, with its 95%% Wilson interval; each run draws the unidentified "
                 "parameters from their priors, so the interval includes that uncertainty "
                 "(docs/models/alignment.md). A pole's "
                 "defence pacts count the states bound to it by a treaty with a defence obligation. An alliance "
                 "builder: a pole that has formed at least %d new defence pacts in the run (a behaviour, not a "
                 "norm threshold). Finlandization: deferring to a nearby threatening pole without "
                 "an alliance. Codes in parentheses are Correlates of War abbreviations.)",
                 s->builder_pacts);
        printf("  ");
        print_wrapped(text, 2, 3);
    }
    printf("\n  %-36s", "series: median [5%, 95% of runs]");
    int ys[] = {s->start_year, s->start_year + 5, ry, last};
    for (int k = 0; k < 4; k++) {
        printf(" %20d", ys[k]);
    }
    printf("\n");
    for (int sr = 0; sr < ent_model_nseries(r->m); sr++) {
        char label[96];
        printf("  %-36s", series_label(w, r, sr, label, sizeof label));
        for (int k = 0; k < 4; k++) {
            char cell[64];
            snprintf(cell, sizeof cell, "%.3g [%.3g, %.3g]", ent_ensemble_quantile(r->e, (ent_series_t)sr, ys[k], 0.5),
                     ent_ensemble_quantile(r->e, (ent_series_t)sr, ys[k], 0.05),
                     ent_ensemble_quantile(r->e, (ent_series_t)sr, ys[k], 0.95));
            printf(" %20s", cell);
        }
        printf("\n");
    }
    printf("  ");
    print_wrapped("(capability share: the share of the world's material capabilities (COW's CINC) held by the pole "
                  "and the states aligned with it; bipolarity: the two blocs' shares together; polarization: "
                  "Esteban and Ray's (1994) index of those shares, with the uncommitted between the blocs, "
                  "scaled so that two equal blocs score 1; frustration: defence pacts across the blocs plus "
                  "hostile ties inside one (a count of ties the blocs contradict; an upper bound on the signed "
                  "network's frustration index).)",
                  2, 3);
    size_t n = ent_model_nstates(r->m);
    ranked_t *rk = calloc(n, sizeof *rk);
    if (!rk) {
        return;
    }
    for (int p = 0; p < ent_model_npoles(r->m); p++) {
        size_t k = rank_states(rk, r, p, ry, false);
        int col = printf("\n  most likely new defence pacts of %s by %d:", pole_st(w, r, p)->name, ry) - 1;
        print_ranked(w, r, rk, k, col);
        k = rank_states(rk, r, p, ry, true);
        col = printf("  Finlandization toward %s in %d:", pole_st(w, r, p)->name, ry);
        print_ranked(w, r, rk, k, col);
    }
    free(rk);
}

/* Writes <name>.json, <name>_series.csv and <name>_states.csv of one scenario into dir, each
 * complete or not at all (cli_out_*), with a provenance sidecar; the name was checked by check_out_names. */
static int write_outputs(const char *dir, const ent_world_t *w, const result_t *r, int k_pacts, const ent_prov_t *prov)
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
    json_t *o = scenario_json(w, r, k_pacts, prov);
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
    for (int sr = 0; sr < ent_model_nseries(r->m); sr++) {
        char key[64];
        series_key(w, r, sr, key, sizeof key);
        for (int y = r->s.start_year; y <= r->s.start_year + r->s.years; y++) {
            fprintf(f, "%s,%s,%d,%.6g,%.6g,%.6g,%.6g\n", r->s.name, key, y,
                    ent_ensemble_mean(r->e, (ent_series_t)sr, y),
                    ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.05),
                    ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.5),
                    ent_ensemble_quantile(r->e, (ent_series_t)sr, y, 0.95));
        }
    }
    if ((code = cli_out_commit(&out)) != EXIT_OK) {
        return code;
    }
    if (prov && cli_prov_sidecar(path, prov) != EXIT_OK) {
        return EXIT_IO;
    }
    snprintf(path, sizeof path, "%s/%s_states.csv", dir, r->s.name);
    if ((code = cli_out_open(&out, path)) != EXIT_OK) {
        return code;
    }
    f = out.f;
    /* per pole, in the model's order: p_align_<code>..., p_finland_<code>..., p_pact_<code>_by... */
    int np = ent_model_npoles(r->m);
    fprintf(f, "scenario,year,ccode,abbr,p_hedge");
    for (int p = 0; p < np; p++) {
        fprintf(f, ",p_align_%s", pole_abbr(w, r, p));
    }
    for (int p = 0; p < np; p++) {
        fprintf(f, ",p_finland_%s", pole_abbr(w, r, p));
    }
    for (int p = 0; p < np; p++) {
        fprintf(f, ",p_pact_%s_by", pole_abbr(w, r, p));
    }
    fprintf(f, "\n");
    for (int y = r->s.start_year; y <= r->s.start_year + r->s.years; y++) {
        for (size_t i = 0; i < ent_model_nstates(r->m); i++) {
            const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(r->m, i));
            fprintf(f, "%s,%d,%d,%s", r->s.name, y, st->ccode, st->abbr);
            for (int a = 0; a < ENT_ALIGN_SELF(np); a++) {
                fprintf(f, ",%.4f", ent_ensemble_p_align(r->e, i, (ent_align_t)a, y).p);
            }
            for (int p = 0; p < np; p++) {
                fprintf(f, ",%.4f", ent_ensemble_p_pact_with(r->e, i, p, y).p);
            }
            fprintf(f, "\n");
        }
    }
    if ((code = cli_out_commit(&out)) != EXIT_OK) {
        return code;
    }
    if (prov && cli_prov_sidecar(path, prov) != EXIT_OK) {
        return EXIT_IO;
    }
    return EXIT_OK;
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
    bool mpi;
    int k;
    int npos; /* the scenario file of simulate */
    char **pos;
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
    {.name = "export-inputs",
     .kind = CLI_STRING,
     .metavar = "DIR",
     .help = "write the model's inputs (the arrays a run starts from) as CSV and stop",
     .field = offsetof(sim_opts_t, export_dir)},
    SIM_OPT_MPI,
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
             "A progress bar goes to stderr on a terminal; Ctrl-C stops and reports the runs completed.",
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
    const char *path = o.pos[0];
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
        ent_prov_t *prov =
            o.json || o.out ? scenario_prov(&r, o.world_dir ? o.world_dir : ent_world_default_dir(), o.threads) : NULL;
        if (o.json) {
            int j = cli_print_json(scenario_json(w, &r, o.k, prov));
            ret = ret ? ret : j;
        } else {
            print_scenario(w, &r, o.k, true);
        }
        if (o.out) {
            int wo = write_outputs(o.out, w, &r, o.k, prov);
            ret = ret ? ret : wo;
        }
        ent_prov_free(prov);
    }
    result_free(&r);
    ent_world_free(w);
    mpi_stop(&o);
    return ret;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The forecast's opening: what it asks, what the numbers rest on, every term the table
 * uses, and the table's header. Written for a reader who has not read the model's docs.
 */
static void print_preamble(const ent_world_t *w, const result_t *res, size_t done, size_t base, int k_p)
{
    const result_t *r0 = &res[base != SIZE_MAX ? base : 0];
    const ent_scenario_t *s = &r0->s;
    int ry = s->report_year, ly = ry + 10 < s->start_year + s->years ? ry + 10 : s->start_year + s->years;
    int china = find_pole(w, r0, "CHN");
    char n0[160], n1[160];
    printf("entente forecast: will China build an alliance system of its own?\n");
    printf("%zu scenarios x %lld runs each (seed %llu), from the shipped world as it stood in %d.\n", done,
           (long long)ent_ensemble_runs(r0->e), (unsigned long long)s->seed, s->start_year);
    printf("The two poles (the great powers every other state aligns with or not): %s and %s.\n\n",
           full_name(pole_st(w, r0, 0), n0, sizeof n0), full_name(pole_st(w, r0, 1), n1, sizeof n1));
    printf("What the probabilities rest on: the alignment model (docs/models/alignment.md) run on sourced\n"
           "data (docs/data.md). Pacts -- between any two states, both consenting; joining a treaty; ending\n"
           "one -- come from the pact model fitted to 1947-1980 history (docs/models/pactmodel.md); each run\n"
           "draws its pact parameters from the fit's estimates and covariance. What history cannot identify\n"
           "(how threat and ambition erode a norm, the norms and their weight, the alignment choice) is drawn\n"
           "in every run from documented priors (prior spread %.2f). So the 95%% intervals (Wilson, over %lld\n"
           "runs) include parameter uncertainty as well as Monte Carlo noise, not doubt about the model's\n"
           "form. Scenarios change only the world and the levers, never how the actors respond. Compare\n"
           "scenarios with one another rather than reading any single number as a prediction.\n\n",
           s->prior_spread, (long long)ent_ensemble_runs(r0->e));
    printf("Terms\n");
    printf("  defence pact      a treaty obliging its parties to defend each other if attacked (ATOP's\n"
           "                    \"defense\" obligation). A pole's pacts are counted as the states bound to\n"
           "                    it by one: in %d, %s %d, %s %d.\n",
           s->start_year, pole_st(w, r0, 0)->name, base_pacts(r0, 0), pole_st(w, r0, 1)->name, base_pacts(r0, 1));
    printf("  alliance builder  a pole that has formed at least %d new defence pacts: defined by what it does.\n"
           "                    Its alliance-aversion norm (0..1; at the start: %s %.2f, %s %.2f) is what\n"
           "                    threat and ambition erode, and what holds new pacts back.\n",
           s->builder_pacts, pole_st(w, r0, 0)->name, s->norm0[0], pole_st(w, r0, 1)->name, s->norm0[1]);
    printf("  hedging           aligning with neither pole.\n");
    printf("  Finlandization    deferring to a nearby, threatening pole without an alliance, to keep one's\n"
           "                    autonomy (Finland toward the Soviet Union after 1948); only within %.0f km.\n",
           s->finland_distance_km);
    printf("  K                 the pact count in the table's third and fourth columns (--pacts; here %d).\n", k_p);
    printf("  codes             states are named with their Correlates of War (COW) abbreviation in\n"
           "                    parentheses, e.g. Vietnam (DRV), Taiwan (TAW), Philippines (PHI).\n\n");
    if (china < 0) {
        printf("China is not a pole of the reference scenario: the table reports only scenarios where it is.\n\n");
    } else {
        printf("P[...] below: the share of runs in which the event happens, per scenario, for China (CHN):\n"
               "  new pact    China signs at least one defence pact beyond the %d it holds, by %d\n"
               "  >= K        China holds at least %d defence pacts at some time by %d, and by %d\n"
               "  Russia      China and Russia (RUS) sign a defence pact by %d\n"
               "  builder     China becomes an alliance builder by %d; then the year by which it has in\n"
               "              half the runs ('-' when that never happens in half the runs)\n\n",
               base_pacts(r0, china), ry, k_p, ry, ly, ly, ry);
    }
    printf("%-24s %-18s %-18s %-18s %-18s %s\n", "scenario", "new pact", ">= K", ">= K", "Russia", "builder");
    char h1[32], h2[32], h3[32], h4[32], h5[32];
    snprintf(h1, sizeof h1, "by %d", ry);
    snprintf(h2, sizeof h2, "by %d (K=%d)", ry, k_p);
    snprintf(h3, sizeof h3, "by %d (K=%d)", ly, k_p);
    snprintf(h4, sizeof h4, "by %d", ly);
    snprintf(h5, sizeof h5, "by %d, median year", ry);
    printf("%-24s %-18s %-18s %-18s %-18s %s\n", "", h1, h2, h3, h4, h5);
}

/*
 * The headline per pole, each named by its state code: P[a new defence pact] and P[an alliance
 * builder] by the report year, and each scenario's effect against the baseline on P[a new pact]
 * by the later year, paired over common random numbers with its 95% interval. A pole is matched
 * across scenarios by its code, never by its position.
 */
static void print_per_pole(const ent_world_t *w, const result_t *res, size_t done, size_t base)
{
    const result_t *rb = &res[base];
    int ry = rb->s.report_year,
        ly = ry + 10 < rb->s.start_year + rb->s.years ? ry + 10 : rb->s.start_year + rb->s.years;
    printf("\nPer pole, by state code: P[a new defence pact (beyond its %d count)] and P[an alliance builder\n"
           "(%d or more new pacts)] by %d; then the effect of each scenario against the baseline on P[a new\n"
           "pact by %d] (paired, 95%% interval):\n",
           rb->s.start_year, rb->s.builder_pacts, ry, ly);
    printf("%-24s %-5s %-20s %-20s %s\n", "scenario", "pole", "new pact", "builder", "effect on new pact");
    for (size_t k = 0; k < done; k++) {
        const result_t *r = &res[k];
        for (int p = 0; p < ent_model_npoles(r->m); p++) {
            const char *code = ent_model_pole_code(r->m, p);
            int bp = find_pole(w, rb, code);
            ent_prob_t a = ent_ensemble_p_pacts(r->e, p, base_pacts(r, p) + 1, ry),
                       b = ent_ensemble_p_builder(r->e, p, ry);
            char c1[48], c2[48], c3[48] = "";
            snprintf(c1, sizeof c1, "%.3f [%.2f,%.2f]", a.p, a.lo, a.hi);
            snprintf(c2, sizeof c2, "%.3f [%.2f,%.2f]", b.p, b.lo, b.hi);
            double dd, lo, hi;
            if (k != base && bp >= 0 && base_pacts(rb, bp) == base_pacts(r, p) &&
                ent_ensemble_diff_pacts_poles(&dd, &lo, &hi, rb->e, bp, r->e, p, base_pacts(r, p) + 1, ly) == ENT_OK) {
                snprintf(c3, sizeof c3, "%+.3f [%+.3f, %+.3f]", dd, lo, hi);
            }
            printf("%-24.24s %-5s %-20s %-20s %s\n", p ? "" : r->s.name, code, c1, c2, c3);
        }
    }
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
    ent_err_t rc = ent_world_load_dir(&w, world_dir);
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
        json_t *out =
            json_pack("{s:s, s:i, s:o}", "scenario_dir", dir, "pacts_threshold", k_p, "scenarios", json_array());
        json_t *arr = json_object_get(out, "scenarios");
        if (!o.json) {
            print_preamble(w, res, done, base, k_p);
        }
        for (size_t k = 0; k < done; k++) {
            const result_t *r = &res[k];
            int ry = r->s.report_year;
            int ly = ry + 10 < r->s.start_year + r->s.years ? ry + 10 : r->s.start_year + r->s.years;
            /* China by its code, wherever the scenario lists it among the poles */
            int china = find_pole(w, r, "CHN");
            if (china < 0) {
                json_array_append_new(arr, json_pack("{s:s, s:s}", "scenario", r->s.name, "note",
                                                     "China is not a pole of this scenario"));
                if (!o.json) {
                    printf("%-24.24s (China is not one of its poles: no headline numbers)\n", r->s.name);
                }
                continue;
            }
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
            /* with Russia a pole of the scenario this is the China-Russia pole-pair record: a pole's
             * record of its pacts includes those with other poles */
            ent_prob_t c = rus_i != SIZE_MAX ? ent_ensemble_p_pact_with(r->e, rus_i, china, ly) : ent_prob_wilson(0, 0);
            int my = ent_ensemble_median_cross_year(r->e, china);
            json_t *so =
                json_pack("{s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:o}", "scenario", r->s.name, "report_year", ry,
                          "later_year", ly, "p_china_new_pact", prob_json(any), "p_china_pacts", prob_json(a),
                          "p_china_pacts_later", prob_json(a2), "p_china_russia_pact_later",
                          rus_i != SIZE_MAX ? prob_json(c) : json_null(), "p_china_alliance_builder", prob_json(b));
            json_object_set_new(so, "median_year_alliance_builder", my ? json_integer(my) : json_null());
            /* China matched by its code: its index differs when the scenario has other poles */
            int base_china = base != SIZE_MAX ? find_pole(w, &res[base], "CHN") : -1;
            if (k != base && base_china >= 0) {
                double dd, lo, hi;
                if (ent_ensemble_diff_pacts_poles(&dd, &lo, &hi, res[base].e, base_china, r->e, china, k_p, ly) ==
                    ENT_OK) {
                    json_object_set_new(so, "effect_vs_baseline_later",
                                        json_pack("{s:f, s:f, s:f}", "diff", dd, "lo", lo, "hi", hi));
                }
            }
            json_t *pj = json_array();
            for (int p = 0; p < ent_model_npoles(r->m); p++) {
                ent_prob_t np = ent_ensemble_p_pacts(r->e, p, base_pacts(r, p) + 1, ry);
                ent_prob_t bp = ent_ensemble_p_builder(r->e, p, ry);
                json_t *po =
                    json_pack("{s:s, s:i, s:o, s:o}", "pole", ent_model_pole_code(r->m, p), "pacts_in_base_year",
                              base_pacts(r, p), "p_new_pact", prob_json(np), "p_alliance_builder", prob_json(bp));
                int bi = base != SIZE_MAX ? find_pole(w, &res[base], ent_model_pole_code(r->m, p)) : -1;
                double dd, lo, hi;
                if (k != base && bi >= 0 && base_pacts(&res[base], bi) == base_pacts(r, p) &&
                    ent_ensemble_diff_pacts_poles(&dd, &lo, &hi, res[base].e, bi, r->e, p, base_pacts(r, p) + 1, ly) ==
                        ENT_OK) {
                    json_object_set_new(po, "effect_new_pact_vs_baseline_later",
                                        json_pack("{s:f, s:f, s:f}", "diff", dd, "lo", lo, "hi", hi));
                }
                json_array_append_new(pj, po);
            }
            json_object_set_new(so, "poles", pj);
            json_object_set_new(so, "pole_pacts", pole_pacts_json(r));
            json_array_append_new(arr, so);
            if (!o.json) {
                char c1[40], c2[40], c3[40], c4[40], c5[48];
                snprintf(c1, sizeof c1, "%.3f [%.2f,%.2f]", any.p, any.lo, any.hi);
                snprintf(c2, sizeof c2, "%.3f [%.2f,%.2f]", a.p, a.lo, a.hi);
                snprintf(c3, sizeof c3, "%.3f [%.2f,%.2f]", a2.p, a2.lo, a2.hi);
                if (rus_i != SIZE_MAX) {
                    snprintf(c4, sizeof c4, "%.3f [%.2f,%.2f]", c.p, c.lo, c.hi);
                } else {
                    snprintf(c4, sizeof c4, "-");
                }
                if (my) {
                    snprintf(c5, sizeof c5, "%.3f [%.2f,%.2f] %d", b.p, b.lo, b.hi, my);
                } else {
                    snprintf(c5, sizeof c5, "%.3f [%.2f,%.2f] -", b.p, b.lo, b.hi);
                }
                printf("%-24.24s %-18s %-18s %-18s %-18s %s\n", r->s.name, c1, c2, c3, c4, c5);
            }
        }
        if (!o.json) {
            int bc = base != SIZE_MAX ? find_pole(w, &res[base], "CHN") : -1;
            if (bc >= 0) {
                const result_t *rb = &res[base];
                int ly = rb->s.report_year + 10 < rb->s.start_year + rb->s.years ? rb->s.report_year + 10
                                                                                 : rb->s.start_year + rb->s.years;
                printf("\nEffect of each scenario against the baseline on P[China holds >= %d pacts by %d]\n"
                       "(paired differences: every scenario reuses the baseline's random numbers, run by run,\n"
                       "so the difference shows the scenario's effect, not sampling luck; 95%% interval):\n",
                       k_p, ly);
                for (size_t k = 0; k < done; k++) {
                    double dd, lo, hi;
                    int kc = find_pole(w, &res[k], "CHN");
                    if (k != base && kc >= 0 &&
                        ent_ensemble_diff_pacts_poles(&dd, &lo, &hi, rb->e, bc, res[k].e, kc, k_p, ly) == ENT_OK) {
                        printf("  %-26.26s %+.3f [%+.3f, %+.3f]\n", res[k].s.name, dd, lo, hi);
                    }
                }
                print_per_pole(w, res, done, base);
                printf("\nPacts between poles (each counted in both poles' pacts and builder counts):\n");
                for (size_t k = 0; k < done; k++) {
                    printf("  %s\n", res[k].s.name);
                    print_pole_pacts(&res[k], "    ");
                }
                printf("\nBaseline in detail\n");
                print_scenario(w, &res[base], k_p, false);
            }
            printf("\nEvery number traces to its scenario file (%s), the model (docs/models/alignment.md)\n"
                   "and the sourced data (docs/data.md); 'entente cite forecast' lists the references.\n",
                   dir);
        }
        if (o.out) {
            for (size_t k = 0; k < done && ret == EXIT_OK; k++) {
                ent_prov_t *prov = scenario_prov(&res[k], world_dir, o.threads);
                ret = write_outputs(o.out, w, &res[k], k_p, prov);
                ent_prov_free(prov);
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
