/*
 * cli_opts.h -- the commands' options as data: one declarative table per command, the common
 * options (--db, --world-dir, --json, --out, --seed, --threads, --help ...) defined once in
 * cli_opts.c, one parser over getopt_long, and the help (text and Markdown) printed from the
 * same tables, so `entente CMD --help`, docs/cli.md and the man page cannot drift from what the
 * parser accepts.
 *
 * A command describes itself with a cli_spec_t: its name, positional arguments, a paragraph of
 * description and a table of cli_opt_t ending with {0}. An entry either sets a field of the
 * command's own arguments struct (.field = offsetof(that struct, member)) or names a common
 * option (CLI_COMMON("db")), whose value lands in the cli_common_t every command gets; such an
 * entry may override the common help text, metavar or bounds for its command.
 */
#ifndef ENTENTE_CLI_OPTS_H
#define ENTENTE_CLI_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

typedef enum {
    CLI_END = 0,
    CLI_FLAG,    /* no argument; bool field set true */
    CLI_STRING,  /* const char * (borrowed from argv) */
    CLI_INT,     /* int in [lo, hi] */
    CLI_INT64,   /* int64_t in [lo, hi] */
    CLI_SIZE,    /* size_t in [lo, hi] */
    CLI_DOUBLE,  /* double in [lo, hi] */
    CLI_YEAR,    /* int, a year 1..9999 */
    CLI_YEARS,   /* int[2], a year range Y1-Y2 with lo <= Y1 <= Y2 <= hi (0, 0: 1..9999) */
    CLI_DATE,    /* ent_date_t: YYYY-MM-DD, YYYY-MM or YYYY (the period's last day) */
    CLI_SEED,    /* uint64_t, decimal digits only, at most hi (0: 2^64 - 1) */
    CLI_DOUBLES, /* cli_doubles_t: a comma-separated list of at most .count numbers in [lo, hi] */
    CLI_ENUM,    /* const char *, one of .choices (the pointer stored is the table's) */
    CLI_CUSTOM,  /* .parse(arg, field) does the work */
    CLI_COMMON,  /* a common option, by name; the entry's non-zero members override it */
} cli_kind_t;

/* A custom parser: NULL on success, else what was expected ("a list of numbers >= 0"). */
typedef const char *(*cli_parse_fn)(const char *arg, void *field);

typedef struct {
    const char *name; /* the long name, without "--" */
    char short_name;  /* 0: none */
    cli_kind_t kind;
    const char *metavar;        /* in help: "--year Y"; NULL: from the kind */
    double lo, hi;              /* bounds of numbers (both 0: the kind's natural range) */
    const char *const *choices; /* CLI_ENUM: NULL-terminated */
    cli_parse_fn parse;         /* CLI_CUSTOM */
    size_t count;               /* CLI_DOUBLES: the most numbers the list takes (at most 64) */
    const char *def;            /* the default, as help shows it; NULL: none worth saying */
    const char *help;           /* one line or more (wrapped by the printer) */
    const char *expect;         /* what a bad argument is told it should be; NULL: from the kind */
    size_t field;               /* offsetof in the command's struct (or in cli_common_t) */
    bool required;              /* the command refuses to run without it */
} cli_opt_t;

/* A list of numbers ("1,10,100"). */
typedef struct {
    double v[64];
    size_t n;
} cli_doubles_t;

/* Values of the common options, whichever a command takes. */
typedef struct {
    const char *db;                    /* --db PATH: the store */
    const char *world_dir;             /* --world-dir DIR: a world as CSV files */
    bool world;                        /* --world: the shipped world */
    bool json;                         /* --json */
    const char *out;                   /* --out PATH */
    uint64_t seed;                     /* --seed N */
    const char *seed_arg;              /* its text, for commands that hand it on (a scenario checks its own range) */
    int threads;                       /* --threads N (0: OpenMP's default) */
    ent_date_t date;                   /* --date D (0: not given) */
    double time_limit;                 /* --time-limit S: seconds for an exact solver */
    bool exact, heuristic, exhaustive; /* the solver chosen (--exact, --heuristic, --exhaustive); none: automatic */
    bool help;                         /* --help was given (the parser printed it) */
    int npos;                          /* positional arguments, in order */
    char **pos;
    uint64_t seen; /* bit i: entry i of the command's table was given */
} cli_common_t;

struct cli_spec {
    const char *name;       /* the command */
    const char *args;       /* positional arguments for the usage line ("SCENARIO..."); NULL: none */
    int npos_min, npos_max; /* how many positional arguments (-1: any number) */
    const char *about;      /* the description paragraph(s) */
    /* The forms of a command whose options go in groups ("--world [--date D] [options]", one per
     * line), shown instead of the usage line generated from the table; NULL: that line. */
    const char *forms;
    const cli_opt_t *opts;
    void (*epilog)(FILE *out); /* text after the options that is computed (a list of columns); NULL: none */
};

#define CLI_COMMON_OPT(nm)                                                                                             \
    {                                                                                                                  \
        .name = (nm), .kind = CLI_COMMON                                                                               \
    }
#define CLI_COMMON_HELP(nm, text)                                                                                      \
    {                                                                                                                  \
        .name = (nm), .kind = CLI_COMMON, .help = (text)                                                               \
    }

/* The parser's result besides an exit code: help was printed, the command should return EXIT_OK. */
#define CLI_DONE (-1)

/*
 * Parses argv (argv[0] the command's name) against the spec into `args` (the command's struct,
 * may be NULL when every entry is common) and *c (zeroed first). Returns EXIT_OK, CLI_DONE after
 * printing --help on stdout, or EXIT_USAGE after "entente CMD: <what>" on stderr: an unknown
 * option, a missing or malformed argument (naming the option, the argument and what was
 * expected), a missing required option, too many or too few positional arguments.
 */
int cli_parse(const cli_spec_t *spec, int argc, char **argv, void *args, cli_common_t *c);

/* Parses into `args` and `c`, or returns from the calling command: EXIT_OK after --help, else the usage error's code.
 */
#define CLI_PARSE(spec, argc, argv, args, c)                                                                           \
    do {                                                                                                               \
        int cli_r_ = cli_parse((spec), (argc), (argv), (args), (c));                                                   \
        if (cli_r_ != EXIT_OK) {                                                                                       \
            return cli_r_ == CLI_DONE ? EXIT_OK : cli_r_;                                                              \
        }                                                                                                              \
    } while (0)

/* True when option `name` of the spec was given on the command line. */
bool cli_given(const cli_spec_t *spec, const cli_common_t *c, const char *name);

/* Prints the command's help (usage line, description, options) generated from the table. */
void cli_print_help(FILE *out, const cli_spec_t *spec);
/* The Markdown reference of one command: a heading, the usage, the description, a table of options. */
void cli_print_markdown(FILE *out, const cli_spec_t *spec);

/*
 * The one place a command gets its store or its world. cli_open_store opens --db (else
 * $ENTENTE_DB, else ./entente.db) that must already exist, read-only when asked, and adds it
 * to the provenance when `prov`. cli_load_world loads the world from the store when `db` is
 * given, else from the CSV world `dir` (NULL: the shipped world), and when `prov` records which
 * in the provenance (objects printed as JSON carry it).
 * Both print nothing and return a library error (cli_fail turns it into a message and an exit code).
 */
ent_err_t cli_open_store(ent_store_t **st, const char *db, bool readonly, bool prov);
ent_err_t cli_load_world(ent_world_t **w, const char *db, const char *dir, bool prov);

/* Every command's spec (defined next to its code), for `entente help --markdown`. */
extern const cli_spec_t cli_spec_import, cli_spec_states, cli_spec_ties, cli_spec_summary, cli_spec_world,
    cli_spec_forecast, cli_spec_simulate, cli_spec_similarity, cli_spec_dyads, cli_spec_balance,
    cli_spec_balance_dynamics, cli_spec_landscape, cli_spec_blocs, cli_spec_backtest, cli_spec_fit,
    cli_spec_polarization, cli_spec_export, cli_spec_cite, cli_spec_plot, cli_spec_report, cli_spec_serve;

#endif
