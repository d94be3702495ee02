/*
 * cmd_world.c -- `entente world`: the shipped world (or an imported one) at a
 * date; for a state, its pyramid of ties as the essay reads it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

#define DEFAULT_DATE 20241231 /* when the world has no events to date it */

typedef struct {
    ent_date_t date;
    const char *state;
    bool check;
} world_args_t;

static const cli_opt_t opts[] = {
    {.name = "date",
     .kind = CLI_DATE,
     .help = "YYYY-MM-DD, or YYYY for the end of that year",
     .def = "the world's as-of date",
     .field = offsetof(world_args_t, date)},
    {.name = "state",
     .kind = CLI_STRING,
     .metavar = "CODE",
     .help = "COW code (710), COW abbreviation (CHN) or ISO3: that state's pyramid",
     .field = offsetof(world_args_t, state)},
    CLI_COMMON_HELP("world-dir", "the shipped world's CSV directory (default: $ENTENTE_WORLD or the build's data/)"),
    CLI_COMMON_HELP("db", "use the world imported into a store (COW/ATOP/MME) instead"),
    {.name = "check",
     .kind = CLI_FLAG,
     .help = "validate the world's files and print what they hold (exit 2 on any problem)",
     .field = offsetof(world_args_t, check)},
    CLI_COMMON_HELP("json", "everything, as JSON"),
    {0},
};

const cli_spec_t cli_spec_world = {
    .name = "world",
    .about = "Shows the alliance system on a date (default: the world's as-of date, its latest event): counts of\n"
             "ties by kind, organisations, the pact blocs and China's partnership ladder. With --state, that\n"
             "state's pyramid: formal allies, partnership tiers top to bottom with their official\n"
             "monikers, organisations, security cooperation, economic dependence, coercion, rivalries.\n"
             "--world-dir and --db exclude each other.",
    .opts = opts,
};

/* The report's text as a JSON tree (for the table renderers), or NULL after printing why. */
static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static double jnumber(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* "YYYY-MM-DD..YYYY-MM-DD" with an open end left empty, as the tables always showed it */
static void span(char *buf, size_t n, const json_t *t)
{
    snprintf(buf, n, "%s..%s", jstr(t, "start"), jstr(t, "end"));
}

static void print_ties(const json_t *o, const char *key, const char *title, bool show_level)
{
    json_t *a = json_object_get(o, key);
    if (!json_array_size(a)) {
        return;
    }
    printf("\n%s (%zu)\n", title, json_array_size(a));
    size_t k;
    json_t *t;
    json_array_foreach(a, k, t)
    {
        char extra[112], when[32];
        const char *sub = jstr(t, "subtype");
        if (json_object_get(t, "obligations")) {
            snprintf(extra, sizeof extra, "%s", jstr(t, "obligations"));
        } else if (show_level) {
            snprintf(extra, sizeof extra, "%s%s%.2g", sub, sub[0] ? " " : "", jnumber(t, "level"));
        } else {
            snprintf(extra, sizeof extra, "%s", sub);
        }
        span(when, sizeof when, t);
        printf("  %-4s %-24.24s %-18.18s %-48.48s %s%s\n", jstr(t, "partner"), jstr(t, "partner_name"), extra,
               jstr(t, "moniker"), when,
               json_is_true(json_object_get(t, "dormant")) ? "  DORMANT (in force on paper only)" : "");
    }
}

static void print_state(const json_t *o, const ent_world_t *w)
{
    printf("%s (%s, COW %lld) on %s -- %s", jstr(o, "name"), jstr(o, "abbr"),
           (long long)json_integer_value(json_object_get(o, "ccode")), jstr(o, "date"),
           jstr(o, "region")[0] ? jstr(o, "region") : "region ?");
    if (jstr(o, "capital")[0]) {
        printf(", capital %s", jstr(o, "capital"));
    }
    printf("\n");
    double cinc = jnumber(o, "cinc"), gdp = jnumber(o, "gdp_usd_bn"), milex = jnumber(o, "milex_usd_m");
    if (!isnan(cinc)) {
        printf("capability: CINC %.4f", cinc);
        if (!isnan(gdp)) {
            printf("; GDP $%.0f bn", gdp);
        }
        if (!isnan(milex)) {
            printf("; military spending $%.0f m", milex);
        }
        printf("\n");
    }
    json_t *allies = json_object_get(o, "allies"), *t;
    size_t k;
    printf("\nFormal allies (defence pacts): %zu\n", json_array_size(allies));
    json_array_foreach(allies, k, t)
    {
        printf("  %-4s %-26.26s %s, since %s\n", jstr(t, "partner"), jstr(t, "partner_name"), jstr(t, "moniker"),
               jstr(t, "start"));
    }
    print_ties(o, "other_pacts", "Other pacts (neutrality, non-aggression, consultation)", false);
    json_t *tiers = json_object_get(o, "partnership_tiers"), *tier;
    size_t npartners = 0;
    json_array_foreach(tiers, k, tier)
    {
        npartners += json_array_size(json_object_get(tier, "partners"));
    }
    if (npartners) {
        printf("\nPartnership pyramid (%zu partners), top tier first\n", npartners);
        json_array_foreach(tiers, k, tier)
        {
            json_t *ps = json_object_get(tier, "partners");
            printf("  tier %lld  %s (%zu)\n", (long long)json_integer_value(json_object_get(tier, "tier")),
                   jstr(tier, "label"), json_array_size(ps));
            size_t m;
            json_array_foreach(ps, m, t)
            {
                printf("          %-4s %-24.24s %s (%.4s)\n", jstr(t, "partner"), jstr(t, "partner_name"),
                       jstr(t, "moniker"), jstr(t, "start"));
            }
        }
    }
    json_t *with = json_object_get(o, "partnerships_with_poles");
    if (json_array_size(with)) {
        printf("\nPartnerships with poles\n");
        json_array_foreach(with, k, t)
        {
            int level = (int)jnumber(t, "level");
            printf("  with %-4s tier %d (%s): \"%s\" since %s\n", jstr(t, "partner"), level,
                   ent_world_tier_label(w, level), jstr(t, "moniker"), jstr(t, "start"));
        }
    }
    json_t *orgs = json_object_get(o, "organisations");
    if (json_array_size(orgs)) {
        printf("\nOrganisations (%zu)\n", json_array_size(orgs));
        json_array_foreach(orgs, k, t)
        {
            printf("  %-8s %-16s since %s  %s\n", jstr(t, "org"), jstr(t, "role"), jstr(t, "joined"), jstr(t, "name"));
        }
    }
    print_ties(o, "security", "Security cooperation (exercises, patrols, arms, basing)", false);
    json_t *e = json_object_get(o, "economy");
    double chn = jnumber(e, "trade_share_chn"), usa = jnumber(e, "trade_share_usa"),
           fin = jnumber(e, "chn_official_finance_usd_bn");
    int econ_year = (int)json_integer_value(json_object_get(e, "year"));
    if (!isnan(chn) || !isnan(usa) || !isnan(fin)) {
        printf("\nEconomic dependence%s\n", json_is_true(json_object_get(e, "estimate")) ? " (estimates)" : "");
        if (econ_year > 0 && (!isnan(chn) || !isnan(usa))) {
            printf("  goods trade, %d:\n", econ_year);
        }
        if (!isnan(chn)) {
            printf("  trade with China: %.1f%% of total\n", 100 * chn);
        }
        if (!isnan(usa)) {
            printf("  trade with the US: %.1f%% of total\n", 100 * usa);
        }
        if (!isnan(fin) && fin > 0) {
            /* AidData counts grants and export credits too: "lending" would overstate what it measures */
            printf("  Chinese official finance committed 2000-2021: $%.1f bn (grants and loans)\n", fin);
        }
    }
    json_t *u = json_object_get(o, "unga");
    if (u) {
        printf("\nUN General Assembly, %lld (%lld votes%s)\n",
               (long long)json_integer_value(json_object_get(u, "year")),
               (long long)json_integer_value(json_object_get(u, "votes")),
               json_is_true(json_object_get(u, "few_votes")) ? ", too few: agreement shares unreliable" : "");
        double ip = jnumber(u, "ideal_point"), au = jnumber(u, "agree_usa"), ac = jnumber(u, "agree_chn");
        if (!isnan(ip)) {
            printf("  ideal point: %+.2f\n", ip);
        }
        if (!isnan(au)) {
            printf("  agreement with the US: %.1f%% of votes\n", 100 * au);
        }
        if (!isnan(ac)) {
            printf("  agreement with China: %.1f%% of votes\n", 100 * ac);
        }
    }
    print_ties(o, "coercion_sent", "Coercion by this state", false);
    print_ties(o, "coercion_received", "Coercion against this state", false);
    print_ties(o, "rivalries", "Rivalries and disputes (intensity 0-1)", true);
}

static int show_state(const ent_world_t *w, int64_t self, ent_date_t date, bool json)
{
    char *text = NULL;
    int ret = EXIT_OK;
    ent_err_t rc = ent_report_state(&text, w, self, date);
    json_t *o = cli_load_report(rc, text, &ret);
    if (!o) {
        return ret;
    }
    if (json) {
        return cli_print_json(o);
    }
    print_state(o, w);
    json_decref(o);
    return EXIT_OK;
}

static int show_world(const ent_world_t *w, ent_date_t date, bool json, const char *origin)
{
    char *text = NULL;
    int ret = EXIT_OK;
    ent_err_t rc = ent_report_world(&text, w, date, origin);
    json_t *o = cli_load_report(rc, text, &ret);
    if (!o) {
        return ret;
    }
    if (json) {
        return cli_print_json(o);
    }
    json_t *counts = json_object_get(o, "ties_by_kind");
#define COUNT(k) ((long long)json_integer_value(json_object_get(counts, k)))
    printf("The alliance system on %s (%s): %lld states\n", jstr(o, "date"), origin,
           (long long)json_integer_value(json_object_get(o, "states")));
    printf("ties in force: %lld pact dyads, %lld partnerships, %lld security ties, %lld rivalries, %lld coercion "
           "episodes\n",
           COUNT("pact"), COUNT("partnership"), COUNT("security"), COUNT("rivalry"), COUNT("coercion"));
#undef COUNT
    json_t *blocs = json_object_get(o, "pact_blocs");
    size_t nb = json_array_size(blocs);
    printf("\nDefence-pact components (states linked by chains of defence pacts): %zu\n", nb);
    printf("  (one bridging treaty joins two camps into one component; `entente blocs` finds signed communities)\n");
    for (size_t b = 0; b < nb && b < 8; b++) {
        json_t *x = json_array_get(blocs, b);
        json_t *m = json_object_get(x, "members");
        printf("  %zu. %zu states, CINC %.3f:", b + 1, json_array_size(m), jnumber(x, "cinc"));
        for (size_t k = 0; k < json_array_size(m) && k < 14; k++) {
            printf(" %s", json_string_value(json_array_get(m, k)));
        }
        printf("%s\n", json_array_size(m) > 14 ? " ..." : "");
    }
    json_t *orgs = json_object_get(o, "organisations");
    if (json_array_size(orgs)) {
        printf("\nOrganisations\n");
        for (size_t g = 0; g < json_array_size(orgs); g++) {
            json_t *x = json_array_get(orgs, g);
            printf("  %-8s %-52.52s %3lld members", jstr(x, "org"), jstr(x, "name"),
                   (long long)json_integer_value(json_object_get(x, "members")));
            long long ob = json_integer_value(json_object_get(x, "observers")),
                      dp = json_integer_value(json_object_get(x, "dialogue_partners")),
                      pa = json_integer_value(json_object_get(x, "partners"));
            if (ob) {
                printf(", %lld observers", ob);
            }
            if (dp) {
                printf(", %lld dialogue partners", dp);
            }
            if (pa) {
                printf(", %lld partners", pa);
            }
            printf("\n");
        }
    }
    const char *pole;
    json_t *l;
    json_object_foreach(json_object_get(o, "partnership_ladders"), pole, l)
    {
        printf("\n%s's partnership ladder\n", pole);
        for (int t = ent_world_max_tier(w); t >= 1; t--) {
            char tier[16];
            snprintf(tier, sizeof tier, "%d", t);
            json_t *arr = json_object_get(l, tier);
            if (!arr) {
                continue;
            }
            printf("  tier %d %-46.46s %3zu:", t, ent_world_tier_label(w, t), json_array_size(arr));
            for (size_t k = 0; k < json_array_size(arr) && k < 10; k++) {
                printf(" %s", json_string_value(json_array_get(arr, k)));
            }
            printf("%s\n", json_array_size(arr) > 10 ? " ..." : "");
        }
    }
    json_decref(o);
    return EXIT_OK;
}

int cmd_world(int argc, char **argv)
{
    world_args_t a = {0};
    cli_common_t c;
    CLI_PARSE(&cli_spec_world, argc, argv, &a, &c);
    const char *dir = c.world_dir, *db = c.db, *code = a.state;
    ent_date_t date = a.date;
    bool json = c.json, check = a.check;
    if (dir && db) {
        return cli_usage_error("world", "give --world-dir or --db, not both");
    }
    ent_world_t *w = NULL;
    ent_err_t rc;
    char origin[4200];
    if (db) {
        /* provenance for --json: the store's file and import log */
        rc = cli_load_world(&w, db, NULL, json);
        snprintf(origin, sizeof origin, "store %s", db);
    } else {
        if (!dir) {
            dir = ent_world_default_dir();
        }
        rc = cli_load_world(&w, NULL, dir, false);
        snprintf(origin, sizeof origin, "shipped world %s", dir);
    }
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    if (json && !db && (rc = cli_prov_world(NULL, dir)) != ENT_OK) {
        ent_world_free(w);
        return cli_fail(rc);
    }
    char date_s[11];
    ent_date_format(date_s, date);
    cli_prov_param(NULL, "date", date_s);
    int ret;
    ent_date_t as_of = ent_world_as_of(w);
    if (!date) {
        date = as_of ? as_of : DEFAULT_DATE;
    }
    if (check) {
        size_t counts[8] = {0}, dormant = 0;
        for (size_t k = 0; k < ent_world_nties(w); k++) {
            const ent_tie_t *t = ent_world_tie(w, k);
            counts[t->kind]++;
            dormant += t->kind == ENT_TIE_PACT && t->dormant && ent_tie_active(t, date);
        }
        char d[11] = "none";
        if (as_of) {
            ent_date_format(d, as_of);
        }
        size_t estimates = 0, unga = 0, few_votes = 0;
        for (size_t i = 0; i < ent_world_nstates(w); i++) {
            const ent_state_t *s = ent_world_state(w, i);
            estimates += s->econ_estimate;
            unga += s->unga_year > 0;
            few_votes += s->unga_year > 0 && s->unga_votes < ENT_UNGA_MIN_VOTES;
        }
        printf("%s: ok -- %zu states, %zu ties (%zu partnership spells), %zu organisations, %zu memberships, %zu "
               "events; as of %s, %zu dormant pact dyads, %zu estimated economic rows, %zu states with UN votes "
               "(%zu with fewer than %d)\n",
               origin, ent_world_nstates(w), ent_world_nties(w), counts[ENT_TIE_PARTNERSHIP], ent_world_norgs(w),
               ent_world_nmemberships(w), ent_world_nevents(w), d, dormant, estimates, unga, few_votes,
               ENT_UNGA_MIN_VOTES);
        ret = EXIT_OK;
    } else if (code) {
        int64_t self;
        if ((rc = ent_world_find(&self, w, code)) != ENT_OK) {
            ret = cli_fail(rc);
        } else {
            ret = show_state(w, self, date, json);
        }
    } else {
        ret = show_world(w, date, json, origin);
    }
    ent_world_free(w);
    return ret;
}
