/*
 * cmd_states.c -- `entente states [--year Y]`: the states in the store, or
 * the members of the state system in a year, with their capability share.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>

#include "cli.h"

static void help(FILE *out)
{
    fprintf(out, "usage: entente states [--year Y] [--db PATH] [--json]\n\n"
                 "Lists the states of the store (COW code, abbreviation, name); with --year, only the\n"
                 "members of the state system at any time in that year, with their CINC score.\n");
}

int cmd_states(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"year", required_argument, NULL, 'y'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int year = 0;
    bool json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'y':
            if (!cli_parse_year("states", optarg, &year)) {
                return EXIT_USAGE;
            }
            break;
        case 'j': json = true; break;
        case 'h': help(stdout); return EXIT_OK;
        default: return cli_usage_error("states", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc) {
        return cli_usage_error("states", "unexpected argument '%s'", argv[optind]);
    }
    ent_store_t *st;
    ent_world_t *w = NULL;
    ent_store_options_t so = ENT_STORE_OPTIONS_INIT;
    so.must_exist = true; /* a command that reads never creates a store (a mistyped --db) */
    ent_err_t rc = ent_store_open(&st, cli_db_path(db), &so);
    if (rc == ENT_OK) {
        rc = ent_world_load(&w, st, NULL);
        ent_store_close(st);
    }
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    json_t *arr = json ? json_array() : NULL;
    size_t shown = 0;
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        if (year && !ent_world_alive_year(w, i, year)) {
            continue;
        }
        const ent_state_t *s = ent_world_state(w, i);
        double cinc = year ? ent_world_cinc(w, i, year) : NAN;
        shown++;
        if (json) {
            json_t *o = json_pack("{s:i, s:s, s:s}", "ccode", s->ccode, "abbr", s->abbr, "name", s->name);
            if (s->iso3[0]) {
                json_object_set_new(o, "iso3", json_string(s->iso3));
            }
            if (year) {
                json_object_set_new(o, "cinc", isnan(cinc) ? json_null() : json_real(cinc));
            }
            json_array_append_new(arr, o);
        } else if (!isnan(cinc)) {
            printf("%4d  %-4s %-40s cinc %.5f\n", s->ccode, s->abbr, s->name, cinc);
        } else {
            printf("%4d  %-4s %s\n", s->ccode, s->abbr, s->name);
        }
    }
    ent_world_free(w);
    if (json) {
        return cli_print_json(arr);
    }
    fprintf(stderr, "%zu states%s\n", shown, year ? " in the system" : "");
    return EXIT_OK;
}
