/*
 * cmd_import.c -- `entente import <format> <path>`: one dataset into the store,
 * as one transaction. Ctrl-C cancels cleanly (nothing is written).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_opts.h"

static void warn_row(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "entente: rejected: %s\n", msg);
}

typedef struct {
    bool keep_going;
} import_args_t;

static const cli_opt_t opts[] = {
    CLI_COMMON_OPT("db"),
    CLI_COMMON_HELP("json", "print the summary as JSON: format, rows, inserted, rejected, first_year, last_year, "
                            "seconds"),
    {.name = "keep-going",
     .kind = CLI_FLAG,
     .help = "skip bad rows (each reported on stderr, counted as rejected) instead of failing",
     .field = offsetof(import_args_t, keep_going)},
    {0},
};

const cli_spec_t cli_spec_import = {
    .name = "import",
    .args = "FORMAT PATH",
    .npos_min = 2,
    .npos_max = 2,
    .about = "Imports a dataset in its original public format into the store, in one transaction:\n"
             "a failed or interrupted import leaves the store exactly as it was. Importing a\n"
             "dataset again replaces what the previous import of it wrote.\n\n"
             "formats:\n"
             "  cow-states      COW state list (states2016.csv)              -- import this first\n"
             "  cow-system      COW system membership by year (system2016.csv)\n"
             "  cow-nmc         COW National Material Capabilities v6 or v7 (abridged csv)\n"
             "  cow-alliance    COW Formal Alliances v4.1 dyad-year\n"
             "  atop            ATOP 5.1: its folder, or the member file atop5_1m.csv (atop5_1a.csv beside it)\n"
             "  atop-dyad-year  ATOP 5.1 directed dyad-year file\n"
             "  unga-ideal      UNGA ideal points (Bailey, Strezhnev & Voeten)\n"
             "  unga-idealfp    UNGA ideal points by year through 2024 (idealpoints_fp_1946_2024.csv)\n"
             "  unga-agreement  UNGA agreement of the US and China with every state, with vote counts\n"
             "  un-votes        UNGA roll-call votes: un_votes.csv(.gz), roll calls read from beside it\n"
             "  mme             Multinational Military Exercises v7, long form\n"
             "  tss-rivalries   strategic rivalries (Thompson, Sakuwa & Suhas 2021): the hostile ties\n"
             "the dyad-year panel's sources (entente dyads):\n"
             "  cow-contdir       COW direct contiguity spells (cow_contdir.csv)\n"
             "  capital-distance  km between capitals by dyad-year (cow_capdist_ndy_derived.csv.gz)\n"
             "  cow-majors        COW major powers (majors2016.csv)\n"
             "  democracy         V-Dem polyarchy, Polity2, UDS by state-year (ccode_democracy.csv)\n"
             "  cow-mid-dyad      COW MID 5 dyad-years (cow_mid_ddydisps.csv)\n"
             "  gml-mid-dyad      Gibler-Miller-Little corrected MID dyad-years (gml_mid_ddydisps.csv)\n"
             "  cow-igo-dyad      COW IGO joint memberships by dyad-year (cow_igo_ndy.csv)\n"
             "  cow-trade-dyad    COW dyadic trade (cow_trade_ndy.csv)\n"
             "  cow-trade-state   COW national trade totals (cow_trade_sy.csv)\n"
             "  false-dyads       COW dyad-years that never existed on one day (false_cow_dyads.csv)",
    .opts = opts,
};

int cmd_import(int argc, char **argv)
{
    import_args_t a = {0};
    cli_common_t c;
    CLI_PARSE(&cli_spec_import, argc, argv, &a, &c);
    const char *db = c.db;
    bool json = c.json, keep_going = a.keep_going;
    const char *format = c.pos[0], *path = c.pos[1];
    bool known = false;
    for (const char *const *f = ent_import_formats(); *f; f++) {
        known |= strcmp(*f, format) == 0;
    }
    if (!known) {
        return cli_usage_error("import", "unknown format '%s'", format);
    }

    ent_store_t *st;
    ent_err_t rc = ent_store_open(&st, cli_db_path(db), NULL);
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }

    ent_import_options_t io = ENT_IMPORT_OPTIONS_INIT;
    io.keep_going = keep_going;
    io.warn = warn_row;
    io.cancel = cli_cancel_flag();
    ent_import_result_t res;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = ent_import(&res, st, format, path, &io);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ent_store_close(st);
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (json) {
        return cli_print_json(json_pack("{s:s, s:I, s:I, s:I, s:i, s:i, s:f, s:s}", "format", res.format, "rows",
                                        (json_int_t)res.rows, "inserted", (json_int_t)res.inserted, "rejected",
                                        (json_int_t)res.rejected, "first_year", res.first_year, "last_year",
                                        res.last_year, "seconds", secs, "db", cli_db_path(db)));
    }
    printf("imported %s: %lld rows read, %lld inserted, %lld rejected, years %d-%d, %.2f s (%s)\n", res.format,
           (long long)res.rows, (long long)res.inserted, (long long)res.rejected, res.first_year, res.last_year, secs,
           cli_db_path(db));
    return EXIT_OK;
}
