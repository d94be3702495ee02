/*
 * cmd_states.c -- `entente states [--year Y]`: the states in the store, or
 * the members of the state system in a year, with their capability share.
 */
#include <math.h>
#include <stdio.h>

#include "cli_opts.h"

typedef struct {
    int year;
} states_args_t;

static const cli_opt_t opts[] = {
    {.name = "year",
     .kind = CLI_YEAR,
     .help = "only the members of the state system at any time in year Y, with their CINC score",
     .field = offsetof(states_args_t, year)},
    CLI_COMMON_OPT("db"),
    CLI_COMMON_OPT("json"),
    {0},
};

const cli_spec_t cli_spec_states = {
    .name = "states",
    .about = "Lists the states of the store (COW code, abbreviation, name); with --year, only the members of the "
             "state system at any time in that year, with their CINC score.",
    .opts = opts,
};

int cmd_states(int argc, char **argv)
{
    states_args_t a = {0};
    cli_common_t c;
    CLI_PARSE(&cli_spec_states, argc, argv, &a, &c);
    const char *db = c.db;
    int year = a.year;
    bool json = c.json;
    ent_store_t *st;
    ent_world_t *w = NULL;
    ent_err_t rc = cli_open_store(&st, db, false, false);
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
