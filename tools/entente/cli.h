/*
 * cli.h -- what the commands of the `entente` tool share: the command table
 * entry, exit codes, opening the store, and JSON printing.
 *
 * Exit codes (documented in docs/cli.md and `entente --help`):
 *   0 ok, 1 usage, 2 bad input, 3 I/O or store error, 130 interrupted.
 */
#ifndef ENTENTE_CLI_H
#define ENTENTE_CLI_H

#include <jansson.h>
#include <stdbool.h>

#include "entente.h"

enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_IO = 3, EXIT_INTERRUPTED = 130 };

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} cli_command_t;

/* Maps a library error to an exit code and prints "entente: <message>" on stderr. */
int cli_fail(ent_err_t rc);
/* Prints "entente <cmd>: <message>" and a hint to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The store path: --db, else $ENTENTE_DB, else ./entente.db. */
const char *cli_db_path(const char *opt);

/* Prints a JSON value on stdout with sorted keys and a newline; frees it. */
int cli_print_json(json_t *v);

/* A number for JSON: null when NaN or infinite, an integer when integral, a real otherwise. */
json_t *cli_json_num(double v);

/* Parses a whole-string number in [lo, hi] into *out; false (and *out untouched) otherwise. */
bool cli_parse_double(const char *s, double lo, double hi, double *out);

/* Parses a year argument (1..9999); returns false after printing a usage error. */
bool cli_parse_year(const char *cmd, const char *s, int *out);

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
int cmd_backtest(int argc, char **argv);

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
