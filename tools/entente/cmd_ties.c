/*
 * cmd_ties.c -- `entente ties --state CODE [--year Y] [--kind K]`: one state's
 * ties with their partners, kinds, obligations, dates and sources.
 */
#include <stdio.h>
#include <string.h>

#include "cli_opts.h"

typedef struct {
    const char *state, *kind;
    int year;
} ties_args_t;

static const cli_opt_t opts[] = {
    {.name = "state",
     .kind = CLI_STRING,
     .metavar = "CODE",
     .required = true,
     .help = "COW code (710), COW abbreviation (CHN) or ISO3 code",
     .field = offsetof(ties_args_t, state)},
    {.name = "year",
     .kind = CLI_YEAR,
     .help = "only ties active at some time in year Y",
     .field = offsetof(ties_args_t, year)},
    {.name = "kind",
     .kind = CLI_STRING,
     .metavar = "K",
     .help = "pact, security, partnership, diplomatic, economic, rivalry or coercion",
     .field = offsetof(ties_args_t, kind)},
    CLI_COMMON_OPT("db"),
    CLI_COMMON_HELP("json",
                    "one object per tie: partner, partner_ccode, kind, obligations, moniker, start, end, source"),
    {0},
};

const cli_spec_t cli_spec_ties = {
    .name = "ties",
    .about = "Lists the ties of a state: formal pacts (from ATOP, with each dyad's obligations) and\n"
             "joint exercises (MME), with partner, dates and source.",
    .opts = opts,
};

int cmd_ties(int argc, char **argv)
{
    ties_args_t a = {0};
    cli_common_t c;
    CLI_PARSE(&cli_spec_ties, argc, argv, &a, &c);
    const char *db = c.db, *code = a.state, *kind_s = a.kind;
    int year = a.year;
    bool json = c.json;
    ent_tie_kind_t kind = ENT_TIE_PACT;
    ent_err_t rc;
    if (kind_s && (rc = ent_tie_kind_parse(&kind, kind_s)) != ENT_OK) {
        return cli_usage_error("ties", "%s", ent_errmsg());
    }
    ent_store_t *st;
    ent_world_t *w = NULL;
    ent_slice_t *sl = NULL;
    if ((rc = cli_open_store(&st, db, false, false)) != ENT_OK) {
        return cli_fail(rc);
    }
    rc = ent_world_load(&w, st, NULL);
    ent_store_close(st);
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    int64_t self;
    if ((rc = ent_world_find(&self, w, code)) != ENT_OK) {
        ent_world_free(w);
        return cli_fail(rc);
    }
    rc = year ? ent_world_slice_year(&sl, w, year) : ent_world_slice(&sl, w, 1, ENT_DATE_MAX);
    if (rc != ENT_OK) {
        ent_world_free(w);
        return cli_fail(rc);
    }
    json_t *arr = json ? json_array() : NULL;
    size_t shown = 0;
    for (size_t k = 0; k < ent_slice_nties(sl); k++) {
        const ent_tie_t *t = ent_slice_tie(sl, k);
        if ((t->a != self && t->b != self) || (kind_s && t->kind != kind)) {
            continue;
        }
        const ent_state_t *p = ent_world_state(w, (size_t)(t->a == self ? t->b : t->a));
        char obl[96], s0[11], s1[11] = "";
        ent_obligations_format(obl, sizeof obl, t->obligations);
        ent_date_format(s0, t->start);
        if (t->end != ENT_DATE_MAX) {
            ent_date_format(s1, t->end);
        }
        shown++;
        if (json) {
            json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s}", "partner", p->abbr, "partner_ccode", p->ccode,
                                  "kind", ent_tie_kind_name(t->kind), "moniker", t->moniker, "start", s0, "source",
                                  t->source, "obligations", t->kind == ENT_TIE_PACT ? obl : "");
            json_object_set_new(o, "end", s1[0] ? json_string(s1) : json_null());
            json_array_append_new(arr, o);
        } else {
            printf("%-4s %-28.28s %-9s %-22s %s..%-10s %s\n", p->abbr, p->name, ent_tie_kind_name(t->kind),
                   t->kind == ENT_TIE_PACT ? obl : t->moniker, s0, s1, t->source);
        }
    }
    const ent_state_t *me = ent_world_state(w, (size_t)self);
    if (!json) {
        fprintf(stderr, "%zu ties of %s (%s)%s\n", shown, me->abbr, me->name, year ? " in the year" : "");
    }
    ent_slice_free(sl);
    ent_world_free(w);
    return json ? cli_print_json(arr) : EXIT_OK;
}
