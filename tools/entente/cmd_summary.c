/*
 * cmd_summary.c -- `entente summary`: what the store holds, table by table,
 * and a glance at the system in its latest year.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_opts.h"

static const cli_opt_t opts[] = {
    CLI_COMMON_OPT("db"),
    CLI_COMMON_OPT("json"),
    {0},
};

const cli_spec_t cli_spec_summary = {
    .name = "summary",
    .about = "Prints the row counts of the store and, when it holds states and pacts, the latest\n"
             "year's system: members, formal pacts in force, and the five largest capability shares.",
    .opts = opts,
};

typedef struct {
    size_t idx;
    double cinc;
} ranked_t;

static int by_cinc(const void *x, const void *y)
{
    const ranked_t *a = x, *b = y;
    return (a->cinc < b->cinc) - (a->cinc > b->cinc);
}

int cmd_summary(int argc, char **argv)
{
    cli_common_t c;
    CLI_PARSE(&cli_spec_summary, argc, argv, NULL, &c);
    const char *db = c.db;
    bool json = c.json;
    ent_store_t *st;
    ent_err_t rc = cli_open_store(&st, db, false, false);
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    ent_store_summary_t s;
    if ((rc = ent_store_summary(&s, st)) != ENT_OK) {
        ent_store_close(st);
        return cli_fail(rc);
    }
    json_t *o0 =
        json_pack("{s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "db",
                  ent_store_path(st), "schema_version", ent_store_schema_version(st), "states", (json_int_t)s.states,
                  "state_spells", (json_int_t)s.state_spells, "system_years", (json_int_t)s.system_years,
                  "capabilities", (json_int_t)s.capabilities, "pacts", (json_int_t)s.pacts, "pact_members",
                  (json_int_t)s.pact_members, "alliance_dyad_years_atop", (json_int_t)s.alliance_dyad_years_atop,
                  "alliance_dyad_years_cow", (json_int_t)s.alliance_dyad_years_cow, "unga_ideal",
                  (json_int_t)s.unga_ideal, "un_votes", (json_int_t)s.un_votes, "un_roll_calls",
                  (json_int_t)s.un_roll_calls, "exercises", (json_int_t)s.exercises, "imports", (json_int_t)s.imports);
    json_t *o = o0;
    json_object_set_new(o, "rivalries", json_integer((json_int_t)s.rivalries));
    if (!json) {
        printf("store %s (schema v%d)\n", ent_store_path(st), ent_store_schema_version(st));
        printf("  states %lld (spells %lld, system years %lld)\n", (long long)s.states, (long long)s.state_spells,
               (long long)s.system_years);
        printf("  capabilities %lld state-years\n", (long long)s.capabilities);
        printf("  pacts %lld with %lld member rows\n", (long long)s.pacts, (long long)s.pact_members);
        printf("  alliance dyad-years: ATOP %lld, COW %lld\n", (long long)s.alliance_dyad_years_atop,
               (long long)s.alliance_dyad_years_cow);
        printf("  UNGA: ideal points %lld, roll calls %lld, votes %lld\n", (long long)s.unga_ideal,
               (long long)s.un_roll_calls, (long long)s.un_votes);
        printf("  exercises %lld (%lld participations)\n", (long long)s.exercises, (long long)s.exercise_participants);
        printf("  strategic rivalries %lld\n", (long long)s.rivalries);
    }
    /* The latest year with capabilities, seen as a system. */
    ent_world_t *w = NULL;
    if (s.states > 0 && (rc = ent_world_load(&w, st, NULL)) == ENT_OK) {
        int year = 0;
        for (int y = 2100; y >= 1816 && !year; y--) {
            for (size_t i = 0; i < ent_world_nstates(w) && !year; i++) {
                if (!isnan(ent_world_cinc(w, i, y))) {
                    year = y;
                }
            }
        }
        ent_slice_t *sl = NULL;
        if (year && ent_world_slice_year(&sl, w, year) == ENT_OK) {
            size_t n = ent_slice_nstates(sl), pacts = 0, defense = 0;
            for (size_t k = 0; k < ent_slice_nties(sl); k++) {
                const ent_tie_t *t = ent_slice_tie(sl, k);
                if (t->kind == ENT_TIE_PACT) {
                    pacts++;
                    defense += (t->obligations & ENT_OBL_DEFENSE) != 0;
                }
            }
            ranked_t *r = calloc(n ? n : 1, sizeof *r);
            size_t m = 0;
            for (size_t k = 0; r && k < n; k++) {
                size_t i = (size_t)ent_slice_state(sl, k);
                double v = ent_world_cinc(w, i, year);
                if (!isnan(v)) {
                    r[m++] = (ranked_t){i, v};
                }
            }
            if (r) {
                qsort(r, m, sizeof *r, by_cinc);
            }
            json_t *top = json_array();
            if (!json) {
                printf("the system in %d: %zu states, %zu allied dyads (%zu with a defence obligation)\n", year, n,
                       pacts, defense);
                printf("  largest capability shares (CINC):");
            }
            for (size_t k = 0; r && k < m && k < 5; k++) {
                const ent_state_t *x = ent_world_state(w, r[k].idx);
                json_array_append_new(top, json_pack("{s:s, s:f}", "abbr", x->abbr, "cinc", r[k].cinc));
                if (!json) {
                    printf(" %s %.3f", x->abbr, r[k].cinc);
                }
            }
            if (!json) {
                printf("\n");
            }
            json_object_set_new(o, "latest_year",
                                json_pack("{s:i, s:I, s:I, s:I, s:o}", "year", year, "states", (json_int_t)n,
                                          "allied_dyads", (json_int_t)pacts, "defense_dyads", (json_int_t)defense,
                                          "top_cinc", top));
            free(r);
            ent_slice_free(sl);
        }
        ent_world_free(w);
    }
    ent_store_close(st);
    if (json) {
        return cli_print_json(o);
    }
    json_decref(o);
    return EXIT_OK;
}
