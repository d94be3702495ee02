/*
 * cmd_import.c -- `entente import <format> <path>`: one dataset into the store,
 * as one transaction. Ctrl-C cancels cleanly (nothing is written).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void warn_row(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "entente: rejected: %s\n", msg);
}

static void help(FILE *out)
{
    fprintf(out, "usage: entente import <format> <path> [--db PATH] [--json] [--keep-going]\n\n"
                 "Imports a dataset in its original public format into the store, in one transaction:\n"
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
                 "  false-dyads       COW dyad-years that never existed on one day (false_cow_dyads.csv)\n\n"
                 "options:\n"
                 "  --db PATH       the store (default ./entente.db or $ENTENTE_DB)\n"
                 "  --json          print the summary as JSON: format, rows, inserted, rejected, first_year, "
                 "last_year, seconds\n"
                 "  --keep-going    skip bad rows (each reported on stderr, counted as rejected) instead of failing\n\n"
                 "exit codes: 0 ok, 1 usage, 2 bad input (message names file:line:column and field), 3 I/O or store, "
                 "130 interrupted\n");
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"keep-going", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    bool json = false, keep_going = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = true; break;
        case 'k': keep_going = true; break;
        case 'h': help(stdout); return EXIT_OK;
        default: return cli_usage_error("import", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2) {
        return cli_usage_error("import", "expected <format> <path>");
    }
    const char *format = argv[optind], *path = argv[optind + 1];
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
