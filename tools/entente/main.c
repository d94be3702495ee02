/*
 * main.c -- the `entente` command: a table of subcommands and the dispatch.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

static const cli_command_t commands[] = {
    {"import", cmd_import, "import a public dataset (COW, ATOP, UNGA, MME) into the store", &cli_spec_import},
    {"states", cmd_states, "list the states of the system, optionally in a year", &cli_spec_states},
    {"ties", cmd_ties, "list a state's ties (pacts, exercises), optionally in a year and of a kind", &cli_spec_ties},
    {"summary", cmd_summary, "summarise what the store holds", &cli_spec_summary},
    {"world", cmd_world, "the alliance system on a date; a state's pyramid of ties", &cli_spec_world},
    {"simulate", cmd_simulate, "run the alignment model on a scenario: an ensemble of runs, as probabilities",
     &cli_spec_simulate},
    {"forecast", cmd_forecast, "the main job: every shipped scenario, the headline table", &cli_spec_forecast},
    {"similarity", cmd_similarity, "foreign-policy similarity (S, weighted S, kappa, pi, tau-b) of pairs or all dyads",
     &cli_spec_similarity},
    {"dyads", cmd_dyads, "write every dyad-year with alliance obligations, CINC and similarity as CSV",
     &cli_spec_dyads},
    {"balance", cmd_balance, "structural balance of signed networks: triangles, frustration index, splits",
     &cli_spec_balance},
    {"balance-dynamics", cmd_balance_dynamics,
     "triad dynamics (Antal, Krapivsky & Redner): friendly density, time to balance, splits",
     &cli_spec_balance_dynamics},
    {"landscape", cmd_landscape, "landscape theory (Axelrod & Bennett): stable two-bloc splits of actors or the world",
     &cli_spec_landscape},
    {"blocs", cmd_blocs, "blocs of the system on a date: signed communities, frustration, central states",
     &cli_spec_blocs},
    {"backtest", cmd_backtest, "score forecasts of new defence pacts on years they never saw: the scorecard",
     &cli_spec_backtest},
    {"fit", cmd_fit, "fit the pact model to history by maximum likelihood: estimates, standard errors, parameter file",
     &cli_spec_fit},
    {"polarization", cmd_polarization,
     "polarization by year: bipolarity, Herfindahl, Esteban-Ray over blocs and UN ideal points",
     &cli_spec_polarization},
    {"export", cmd_export, "the alliance network as GraphML, GEXF (with time spells), DOT or CSV node/edge lists",
     &cli_spec_export},
    {"cite", cmd_cite, "the references of the datasets and methods an output used, as text or BibTeX", &cli_spec_cite},
    {"plot", cmd_plot, "one figure as PNG, SVG or PDF: network, pyramid, fan chart, alignment probabilities",
     &cli_spec_plot},
    {"report", cmd_report, "a self-contained HTML report of scenarios (or --forecast): tables, charts, provenance",
     &cli_spec_report},
    {"serve", cmd_serve, "the web explorer: the world on a map, the scenarios on sliders, runs in the background",
     &cli_spec_serve},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: entente <command> [options]\n"
                 "       entente --help | --version\n\n"
                 "entente holds an alliance system as data, measures it and forecasts how it moves.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(out, "\nEvery command takes --help ('entente help --markdown': all of them). The store is ./entente.db "
                 "unless --db PATH or $ENTENTE_DB says otherwise.\n"
                 "exit codes: 0 ok, 1 usage error, 2 bad input (a malformed file, an unknown state),\n"
                 "            3 I/O or store error (including a failed write of the output),\n"
                 "            4 a solver (igraph, GLPK) failed,\n"
                 "            130 interrupted (SIGINT), 143 terminated (SIGTERM)\n");
}

/*
 * `entente help [COMMAND | --markdown]`: the list of commands, one command's help, or the option
 * reference of every command as Markdown (what scripts/gen_cli_docs.py puts into docs/cli.md).
 */
static int help(int argc, char **argv)
{
    if (argc == 1) {
        usage(stdout);
        return EXIT_OK;
    }
    if (argc == 2 && strcmp(argv[1], "--markdown") == 0) {
        for (size_t i = 0; i < NCOMMANDS; i++) {
            cli_print_markdown(stdout, commands[i].spec);
        }
        return EXIT_OK;
    }
    for (size_t i = 0; argc == 2 && i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            cli_print_help(stdout, commands[i].spec);
            return EXIT_OK;
        }
    }
    fprintf(stderr, "entente help: expected a command or --markdown, got '%s'\n(see 'entente --help')\n", argv[1]);
    return EXIT_USAGE;
}

int cli_fail(ent_err_t rc)
{
    fprintf(stderr, "entente: %s\n", ent_errmsg());
    switch (rc) {
    case ENT_OK: return EXIT_OK;
    case ENT_EINVAL: return EXIT_USAGE;
    case ENT_EPARSE:
    case ENT_ERANGE:
    case ENT_ENOTFOUND:
    case ENT_EEXISTS:
    case ENT_ELIMIT: return EXIT_INPUT;
    case ENT_EINTERRUPTED: return EXIT_INTERRUPTED; /* main() makes it 128 + the signal */
    case ENT_ENOMEM:
    case ENT_EIO:
    case ENT_ESTORE: return EXIT_IO;
    case ENT_ESOLVER: return EXIT_SOLVER;
    }
    return EXIT_IO;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "entente %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see 'entente %s --help')\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

const char *cli_db_path(const char *opt)
{
    if (opt) {
        return opt;
    }
    const char *env = getenv("ENTENTE_DB");
    return env && *env ? env : "entente.db";
}

int cli_print_json(json_t *v)
{
    if (!v) {
        fprintf(stderr, "entente: out of memory building JSON\n");
        return EXIT_IO;
    }
    cli_prov_attach(v, NULL);
    int rc = json_dumpf(v, stdout, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    json_decref(v);
    fputc('\n', stdout);
    return rc == 0 ? EXIT_OK : EXIT_IO;
}

json_t *cli_json_num(double v)
{
    if (isnan(v) || isinf(v)) {
        return json_null();
    }
    if (v == floor(v) && fabs(v) < 9e15) {
        return json_integer((json_int_t)v);
    }
    return json_real(v);
}

bool cli_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= lo && v <= hi)) {
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_seed(const char *s, uint64_t *out)
{
    /* digits only: strtoull would take " 5", "+5" and "-5" (as 2^64 - 5), and "1e3" read as a
     * double would be 1000 here and 1 in the strtoull that followed */
    size_t n = strlen(s);
    if (n == 0 || n > 20 || strspn(s, "0123456789") != n) {
        return false;
    }
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE) {
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

bool cli_parse_year_range(const char *s, int lo, int hi, int *a, int *b)
{
    char *end;
    long x = strtol(s, &end, 10);
    if (end == s || *end != '-') {
        return false;
    }
    const char *t = end + 1;
    long y = strtol(t, &end, 10);
    if (end == t || *end || x < lo || y > hi || x > y) {
        return false;
    }
    *a = (int)x;
    *b = (int)y;
    return true;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        return help(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("entente %s\n", ent_version());
        return EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            cli_prov_begin(commands[i].name, argc - 1, argv + 1);
            int ret = commands[i].fn(argc - 1, argv + 1);
            cli_prov_end();
            return ret;
        }
    }
    fprintf(stderr, "entente: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    cli_process_init();
    return cli_process_finish(run(argc, argv));
}
