/*
 * cli.h -- what the commands of the `entente` tool share: the command table
 * entry, exit codes, opening the store, and JSON printing.
 *
 * Exit codes (documented in docs/cli.md and `entente --help`):
 *   0 ok, 1 usage, 2 bad input, 3 I/O or store error, 130 interrupted by SIGINT,
 *   143 interrupted by SIGTERM (128 + the signal: what a shell reports for a killed job).
 */
#ifndef ENTENTE_CLI_H
#define ENTENTE_CLI_H

#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "entente.h"

enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_IO = 3, EXIT_SOLVER = 4, EXIT_INTERRUPTED = 130 };

typedef struct cli_spec cli_spec_t;
typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
    const cli_spec_t *spec; /* its options (cli_opts.h): for `entente help --markdown` */
} cli_command_t;

/*
 * Process-wide set-up and tear-down (output.c), called by main() around the command:
 * signal handlers (SIGINT/SIGTERM set the cancel flag, SIGPIPE and SIGXFSZ ignored so that
 * writes fail with EPIPE/EFBIG), closed standard descriptors guarded. cli_process_finish
 * flushes, checks and closes stdout; on a failure it prints "entente: writing standard
 * output: <reason>" and turns success into EXIT_IO. EXIT_INTERRUPTED becomes 128 + the signal.
 */
void cli_process_init(void);
int cli_process_finish(int code);

/*
 * The one interruption flag. A command that checks it (passes it as the library's `cancel`
 * option) takes it through cli_cancel_flag(); from then on the first SIGINT/SIGTERM only sets
 * it and the command stops at its next check. In a command that never asked, or on a second
 * signal, the process ends at once with 128 + the signal, after removing temporary outputs.
 */
extern volatile sig_atomic_t cli_cancel;
volatile sig_atomic_t *cli_cancel_flag(void);
bool cli_cancelled(void);
/* The exit code of an interruption: 130 (SIGINT) or 143 (SIGTERM). */
int cli_interrupted_code(void);
/* True once a write to stdout has failed (a closed pipe, a full disk): long loops stop early. */
bool cli_stdout_failed(void);

/*
 * An output file that appears complete or not at all: cli_out_open writes to a temporary name
 * in the target's directory (".NAME.XXXXXX"), cli_out_commit flushes, fsyncs, closes and
 * renames it over the target, cli_out_abort (or a signal) removes it. "-" is stdout. Both
 * print "entente: writing PATH: <reason>" on failure and return an exit code.
 */
typedef struct {
    FILE *f;
    bool to_stdout;
    int slot;
    char path[PATH_MAX];
    char tmp[PATH_MAX];
} cli_out_t;
int cli_out_open(cli_out_t *o, const char *path);
int cli_out_commit(cli_out_t *o);
void cli_out_abort(cli_out_t *o);

/*
 * Checks, before any work, that an output file can be written ("-" always can): not a
 * directory, in an existing writable directory. cli_check_out_dir: an existing writable
 * directory, or a missing one whose parent is; cli_make_out_dir also creates it.
 * Print a message and return an exit code.
 */
int cli_check_out_file(const char *path);
int cli_check_out_dir(const char *dir);
int cli_make_out_dir(const char *dir);

/* A name that may become a file name in an output directory: [A-Za-z0-9._-]{1,200}, not starting with '.'. */
bool cli_safe_name(const char *name);

/* Maps a library error to an exit code and prints "entente: <message>" on stderr. */
int cli_fail(ent_err_t rc);
/* Prints "entente <cmd>: <message>" and a hint to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The store path: --db, else $ENTENTE_DB, else ./entente.db. */
const char *cli_db_path(const char *opt);

/* Prints a JSON value on stdout with sorted keys and a newline; frees it. An object gets the
 * current provenance record as its "provenance" member (unless it has one). */
int cli_print_json(json_t *v);

/* A report's text (from ent_report_*, freed here) parsed back; NULL with *ret the exit code when rc
 * is an error (cli_fail) or the text is not JSON. */
json_t *cli_load_report(ent_err_t rc, char *text, int *ret);
/* Prints a report as cli_print_json does (provenance added); the exit code. */
int cli_print_report(ent_err_t rc, char *text);

/* A number for JSON: null when NaN or infinite, an integer when integral, a real otherwise. */
json_t *cli_json_num(double v);

/* Parses a whole-string number in [lo, hi] into *out; false (and *out untouched) otherwise. */
bool cli_parse_double(const char *s, double lo, double hi, double *out);

/* Parses a seed: decimal digits only, at most 2^64 - 1 (no sign, no exponent, no wrap-around). */
bool cli_parse_seed(const char *s, uint64_t *out);

/* Parses a year range "Y1-Y2" with lo <= Y1 <= Y2 <= hi into *a, *b; false (and both untouched) otherwise. */
bool cli_parse_year_range(const char *s, int lo, int hi, int *a, int *b);

int cmd_import(int argc, char **argv);
int cmd_states(int argc, char **argv);
int cmd_ties(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_world(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_similarity(int argc, char **argv);
int cmd_dyads(int argc, char **argv);
int cmd_balance(int argc, char **argv);
int cmd_balance_dynamics(int argc, char **argv);
int cmd_landscape(int argc, char **argv);
int cmd_blocs(int argc, char **argv);
int cmd_polarization(int argc, char **argv);
int cmd_cite(int argc, char **argv);
int cmd_export(int argc, char **argv);

/*
 * Provenance (cli_prov.c): main() opens one record per invocation (the command line and
 * the command's methods); commands add what they read. A NULL record means the current one.
 * cli_print_json attaches it to every JSON object it prints as "provenance"; a CSV file
 * written with --out gets a sidecar FILE.prov.json. The adders return ENT_OK when there is
 * no record (out of memory at the start: outputs then go without one).
 */
void cli_prov_begin(const char *cmd, int argc, char **argv);
void cli_prov_end(void);
ent_prov_t *cli_prov(void);
/* A new record like the current one (command line, methods) but without inputs: for one of several outputs. */
ent_err_t cli_prov_fresh(ent_prov_t **out);
ent_err_t cli_prov_world(ent_prov_t *p, const char *dir);
ent_err_t cli_prov_store(ent_prov_t *p, ent_store_t *st);
ent_err_t cli_prov_file(ent_prov_t *p, const char *role, const char *path);
void cli_prov_param(ent_prov_t *p, const char *key, const char *value);
json_t *cli_prov_json(const ent_prov_t *p);
void cli_prov_attach(json_t *obj, const ent_prov_t *p);
/* Writes CSV_PATH.prov.json: {"describes": "<basename>", "provenance": {...}}. */
int cli_prov_sidecar(const char *csv_path, const ent_prov_t *p);
/* Cites the methods `cmd` applies (the table in cmd_cite.c). */
ent_err_t cli_cite_command(ent_prov_t *p, const char *cmd);
/* Cites the shipped world and the datasets it derives from. */
ent_err_t cli_cite_world(ent_prov_t *p);
/* The number of threads a parallel section will use for --threads `requested` (0: OpenMP's default). */
int cli_threads(int requested);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* A scenario's ensemble, run for a figure or a report (cmd_report.c). */
typedef struct {
    ent_scenario_t s;
    ent_model_t *m;
    ent_ensemble_t *e;
    int threads;
    char path[4096];
} cli_run_t;

/*
 * Loads the scenario `arg` (a file, else the name of a shipped scenario), overrides its runs (> 0)
 * and seed (non-NULL), and runs its ensemble. Returns an exit code after a message; free with
 * cli_run_free whatever it returns.
 */
int cli_run_scenario(cli_run_t *r, const ent_world_t *w, const char *arg, int64_t runs, const char *seed, int threads);
void cli_run_free(cli_run_t *r);
/* The source captions of the figures: the shipped world's, and a scenario run's. */
void cli_world_caption(char *buf, size_t n, bool network);
void cli_scenario_caption(char *buf, size_t n, const cli_run_t *r);
int cmd_backtest(int argc, char **argv);
int cmd_serve(int argc, char **argv); /* cmd_serve.c, serve_api.c, serve_runs.c (serve.h) */
int cmd_fit(int argc, char **argv);

/* Fast number formatting for large tables (cmd_similarity.c): fixed notation, up to 15 decimals. */
char *cli_fmt_num(char *p, double v);
char *cli_fmt_int(char *p, int v);
/*
 * Formats every year of [from, to] on the OpenMP threads (fmt appends a year's rows to its
 * buffer) and emits the blocks in year order on the calling thread; returns an exit code.
 */
typedef ent_err_t (*cli_year_format_fn)(void *ctx, int year, ent_buf_t *out, size_t *nrows);
typedef void (*cli_year_emit_fn)(void *ctx, const ent_buf_t *b, size_t nrows);
int cli_for_years(int from, int to, cli_year_format_fn fmt, cli_year_emit_fn emit, void *ctx);

#endif
