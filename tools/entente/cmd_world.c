/*
 * cmd_world.c -- `entente world`: the shipped world (or an imported one) at a
 * date; for a state, its pyramid of ties as the essay reads it.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_DATE 20241231 /* when the world has no events to date it */

static void help(FILE *out)
{
    fprintf(out,
            "usage: entente world [--date D] [--state CODE] [--json] [--world-dir DIR | --db PATH] [--check]\n\n"
            "Shows the alliance system on a date (default: the world's as-of date, its latest event): counts of ties "
            "by kind,\n"
            "organisations, the pact blocs and China's partnership ladder. With --state, that\n"
            "state's pyramid: formal allies, partnership tiers top to bottom with their official\n"
            "monikers, organisations, security cooperation, economic dependence, coercion, rivalries.\n\n"
            "  --date D       YYYY-MM-DD, or YYYY for the end of that year\n"
            "  --state CODE   COW code (710), COW abbreviation (CHN) or ISO3\n"
            "  --world-dir DIR    the shipped world's CSV directory (default: $ENTENTE_WORLD or the build's data/)\n"
            "  --db PATH      use the world imported into a store (COW/ATOP/MME) instead\n"
            "  --check        validate the world's files and print what they hold (exit 2 on any problem)\n"
            "  --json         everything, as JSON\n");
}

static void fmt_date(char *buf, ent_date_t d)
{
    if (d == ENT_DATE_MAX || d == ENT_DATE_NONE) {
        buf[0] = '\0';
    } else {
        ent_date_format(buf, d);
    }
}

static json_t *jnum(double v)
{
    return cli_json_num(v);
}

static json_t *tie_json(const ent_world_t *w, const ent_tie_t *t, int64_t self)
{
    char s[11], e[11], obl[96];
    fmt_date(s, t->start);
    fmt_date(e, t->end);
    const ent_state_t *p = ent_world_state(w, (size_t)ent_tie_other(t, self));
    json_t *o =
        json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s}", "partner", p->abbr, "partner_ccode", p->ccode, "partner_name",
                  p->name, "kind", ent_tie_kind_name(t->kind), "moniker", t->moniker, "start", s, "source", t->source);
    json_object_set_new(o, "end", e[0] ? json_string(e) : json_null());
    if (t->subtype && t->subtype[0]) {
        json_object_set_new(o, "subtype", json_string(t->subtype));
    }
    if (t->kind == ENT_TIE_PACT) {
        ent_obligations_format(obl, sizeof obl, t->obligations);
        json_object_set_new(o, "obligations", json_string(obl));
        json_object_set_new(o, "dormant", json_boolean(t->dormant));
    } else {
        json_object_set_new(o, "level", json_real(t->level));
    }
    if (t->directed) {
        json_object_set_new(o, "direction", json_string(t->a == self ? "out" : "in"));
    }
    return o;
}

static json_t *ties_json(const ent_world_t *w, const ent_vec_t *v, int64_t self)
{
    json_t *a = json_array();
    for (size_t k = 0; k < v->len; k++) {
        json_array_append_new(a, tie_json(w, ent_world_tie(w, ENT_VEC_AT(v, size_t, k)), self));
    }
    return a;
}

static void print_ties(const ent_world_t *w, const char *title, const ent_vec_t *v, int64_t self, bool show_level)
{
    if (!v->len) {
        return;
    }
    printf("\n%s (%zu)\n", title, v->len);
    for (size_t k = 0; k < v->len; k++) {
        const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(v, size_t, k));
        const ent_state_t *p = ent_world_state(w, (size_t)ent_tie_other(t, self));
        char s[11], e[11], extra[112] = "";
        fmt_date(s, t->start);
        fmt_date(e, t->end);
        if (t->kind == ENT_TIE_PACT) {
            ent_obligations_format(extra, sizeof extra, t->obligations);
        } else if (show_level) {
            snprintf(extra, sizeof extra, "%s%s%.2g", t->subtype, t->subtype[0] ? " " : "", t->level);
        } else {
            snprintf(extra, sizeof extra, "%s", t->subtype);
        }
        printf("  %-4s %-24.24s %-18.18s %-48.48s %s..%s%s\n", p->abbr, p->name, extra, t->moniker, s, e,
               t->kind == ENT_TIE_PACT && t->dormant ? "  DORMANT (in force on paper only)" : "");
    }
}

static int show_state(const ent_world_t *w, int64_t self, ent_date_t date, bool json)
{
    ent_pyramid_t p;
    ent_pyramid_init(&p);
    ent_err_t rc = ent_pyramid_build(&p, w, self, date);
    if (rc != ENT_OK) {
        ent_pyramid_destroy(&p);
        return cli_fail(rc);
    }
    const ent_state_t *s = ent_world_state(w, (size_t)self);
    int year = ent_date_year(date);
    double cinc = ent_world_cinc_near(w, (size_t)self, year, 10, 0);
    char d[11];
    ent_date_format(d, date);

    /* partnerships split by the side the state is on: its own ladder (as pole), its places on others' */
    ent_vec_t as_pole, as_partner;
    ent_vec_init(&as_pole, sizeof(size_t));
    ent_vec_init(&as_partner, sizeof(size_t));
    for (size_t k = 0; k < p.partnerships.len; k++) {
        size_t ti = ENT_VEC_AT(&p.partnerships, size_t, k);
        ent_vec_push(ent_world_tie(w, ti)->a == self ? &as_pole : &as_partner, &ti);
    }

    if (json) {
        json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "abbr", s->abbr, "ccode", s->ccode, "name", s->name,
                              "region", s->region, "capital", s->capital, "date", d);
        json_object_set_new(o, "cinc", jnum(cinc));
        json_object_set_new(o, "gdp_usd_bn", jnum(s->gdp_usd_bn));
        json_object_set_new(o, "milex_usd_m", jnum(s->milex_usd_m));
        json_object_set_new(o, "economy",
                            json_pack("{s:o, s:o, s:o, s:b}", "trade_share_chn", jnum(s->trade_share_chn),
                                      "trade_share_usa", jnum(s->trade_share_usa), "chn_official_finance_usd_bn",
                                      jnum(s->chn_finance_usd_bn), "estimate", s->econ_estimate));
        json_object_set_new(json_object_get(o, "economy"), "year", json_integer(s->econ_year));
        if (s->unga_year > 0) {
            json_object_set_new(o, "unga",
                                json_pack("{s:i, s:i, s:o, s:o, s:o, s:b}", "year", s->unga_year, "votes",
                                          s->unga_votes, "ideal_point", jnum(s->unga_ideal), "agree_usa",
                                          jnum(s->unga_agree_usa), "agree_chn", jnum(s->unga_agree_chn), "few_votes",
                                          s->unga_votes < ENT_UNGA_MIN_VOTES));
        }
        json_object_set_new(o, "allies", ties_json(w, &p.allies, self));
        json_object_set_new(o, "other_pacts", ties_json(w, &p.other_pacts, self));
        /* the ladder as tiers, top to bottom */
        json_t *tiers = json_array();
        for (int t = ent_world_max_tier(w); t >= 1; t--) {
            json_t *members = json_array();
            for (size_t k = 0; k < as_pole.len; k++) {
                const ent_tie_t *x = ent_world_tie(w, ENT_VEC_AT(&as_pole, size_t, k));
                if ((int)x->level == t) {
                    json_array_append_new(members, tie_json(w, x, self));
                }
            }
            if (json_array_size(members)) {
                json_array_append_new(tiers, json_pack("{s:i, s:s, s:o}", "tier", t, "label",
                                                       ent_world_tier_label(w, t), "partners", members));
            } else {
                json_decref(members);
            }
        }
        json_object_set_new(o, "partnership_tiers", tiers);
        json_object_set_new(o, "partnerships_with_poles", ties_json(w, &as_partner, self));
        json_t *orgs = json_array();
        for (size_t k = 0; k < p.memberships.len; k++) {
            const ent_membership_t *m = ent_world_membership(w, ENT_VEC_AT(&p.memberships, size_t, k));
            const ent_org_t *g = ent_world_org(w, (size_t)m->org);
            char j[11];
            fmt_date(j, m->joined);
            json_array_append_new(orgs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "org", g->id, "name", g->name,
                                                  "kind", g->kind, "role", m->role, "joined", j, "source", m->source));
        }
        json_object_set_new(o, "organisations", orgs);
        json_object_set_new(o, "security", ties_json(w, &p.security, self));
        json_object_set_new(o, "coercion_sent", ties_json(w, &p.coercion_sent, self));
        json_object_set_new(o, "coercion_received", ties_json(w, &p.coercion_received, self));
        json_object_set_new(o, "rivalries", ties_json(w, &p.rivalries, self));
        ent_vec_destroy(&as_pole);
        ent_vec_destroy(&as_partner);
        ent_pyramid_destroy(&p);
        return cli_print_json(o);
    }

    printf("%s (%s, COW %d) on %s -- %s", s->name, s->abbr, s->ccode, d, s->region[0] ? s->region : "region ?");
    if (s->capital[0]) {
        printf(", capital %s", s->capital);
    }
    printf("\n");
    if (!isnan(cinc)) {
        printf("capability: CINC %.4f", cinc);
        if (!isnan(s->gdp_usd_bn)) {
            printf("; GDP $%.0f bn", s->gdp_usd_bn);
        }
        if (!isnan(s->milex_usd_m)) {
            printf("; military spending $%.0f m", s->milex_usd_m);
        }
        printf("\n");
    }
    printf("\nFormal allies (defence pacts): %zu\n", p.allies.len);
    for (size_t k = 0; k < p.allies.len; k++) {
        const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(&p.allies, size_t, k));
        const ent_state_t *x = ent_world_state(w, (size_t)ent_tie_other(t, self));
        char st[11];
        fmt_date(st, t->start);
        printf("  %-4s %-26.26s %s, since %s\n", x->abbr, x->name, t->moniker, st);
    }
    print_ties(w, "Other pacts (neutrality, non-aggression, consultation)", &p.other_pacts, self, false);
    if (as_pole.len) {
        printf("\nPartnership pyramid (%zu partners), top tier first\n", as_pole.len);
        for (int t = ent_world_max_tier(w); t >= 1; t--) {
            size_t n = 0;
            for (size_t k = 0; k < as_pole.len; k++) {
                n += (int)ent_world_tie(w, ENT_VEC_AT(&as_pole, size_t, k))->level == t;
            }
            if (!n) {
                continue;
            }
            printf("  tier %d  %s (%zu)\n", t, ent_world_tier_label(w, t), n);
            for (size_t k = 0; k < as_pole.len; k++) {
                const ent_tie_t *x = ent_world_tie(w, ENT_VEC_AT(&as_pole, size_t, k));
                if ((int)x->level != t) {
                    continue;
                }
                char st[11];
                fmt_date(st, x->start);
                printf("          %-4s %-24.24s %s (%.4s)\n", ent_world_state(w, (size_t)x->b)->abbr,
                       ent_world_state(w, (size_t)x->b)->name, x->moniker, st);
            }
        }
    }
    if (as_partner.len) {
        printf("\nPartnerships with poles\n");
        for (size_t k = 0; k < as_partner.len; k++) {
            const ent_tie_t *x = ent_world_tie(w, ENT_VEC_AT(&as_partner, size_t, k));
            char st[11];
            fmt_date(st, x->start);
            printf("  with %-4s tier %d (%s): \"%s\" since %s\n", ent_world_state(w, (size_t)x->a)->abbr, (int)x->level,
                   ent_world_tier_label(w, (int)x->level), x->moniker, st);
        }
    }
    if (p.memberships.len) {
        printf("\nOrganisations (%zu)\n", p.memberships.len);
        for (size_t k = 0; k < p.memberships.len; k++) {
            const ent_membership_t *m = ent_world_membership(w, ENT_VEC_AT(&p.memberships, size_t, k));
            char j[11];
            fmt_date(j, m->joined);
            printf("  %-8s %-16s since %s  %s\n", ent_world_org(w, (size_t)m->org)->id, m->role, j,
                   ent_world_org(w, (size_t)m->org)->name);
        }
    }
    print_ties(w, "Security cooperation (exercises, patrols, arms, basing)", &p.security, self, false);
    if (!isnan(s->trade_share_chn) || !isnan(s->trade_share_usa) || !isnan(s->chn_finance_usd_bn)) {
        printf("\nEconomic dependence%s\n", s->econ_estimate ? " (estimates)" : "");
        if (s->econ_year > 0 && (!isnan(s->trade_share_chn) || !isnan(s->trade_share_usa))) {
            printf("  goods trade, %d:\n", s->econ_year);
        }
        if (!isnan(s->trade_share_chn)) {
            printf("  trade with China: %.1f%% of total\n", 100 * s->trade_share_chn);
        }
        if (!isnan(s->trade_share_usa)) {
            printf("  trade with the US: %.1f%% of total\n", 100 * s->trade_share_usa);
        }
        if (!isnan(s->chn_finance_usd_bn) && s->chn_finance_usd_bn > 0) {
            /* AidData counts grants and export credits too: "lending" would overstate what it measures */
            printf("  Chinese official finance committed 2000-2021: $%.1f bn (grants and loans)\n",
                   s->chn_finance_usd_bn);
        }
    }
    if (s->unga_year > 0) {
        printf("\nUN General Assembly, %d (%d votes%s)\n", s->unga_year, s->unga_votes,
               s->unga_votes < ENT_UNGA_MIN_VOTES ? ", too few: agreement shares unreliable" : "");
        if (!isnan(s->unga_ideal)) {
            printf("  ideal point: %+.2f\n", s->unga_ideal);
        }
        if (!isnan(s->unga_agree_usa)) {
            printf("  agreement with the US: %.1f%% of votes\n", 100 * s->unga_agree_usa);
        }
        if (!isnan(s->unga_agree_chn)) {
            printf("  agreement with China: %.1f%% of votes\n", 100 * s->unga_agree_chn);
        }
    }
    print_ties(w, "Coercion by this state", &p.coercion_sent, self, false);
    print_ties(w, "Coercion against this state", &p.coercion_received, self, false);
    print_ties(w, "Rivalries and disputes (intensity 0-1)", &p.rivalries, self, true);
    ent_vec_destroy(&as_pole);
    ent_vec_destroy(&as_partner);
    ent_pyramid_destroy(&p);
    return EXIT_OK;
}

static int show_world(const ent_world_t *w, ent_date_t date, bool json, const char *origin)
{
    size_t n = ent_world_nstates(w), alive = 0, counts[8];
    for (size_t i = 0; i < n; i++) {
        alive += ent_world_alive(w, i, date);
    }
    ent_system_count_ties(counts, w, date);
    int64_t *bloc = calloc(n ? n : 1, sizeof *bloc);
    size_t nblocs = 0;
    ent_err_t rc = bloc ? ent_system_pact_blocs(bloc, &nblocs, w, date) : ENT_ENOMEM;
    if (rc != ENT_OK) {
        free(bloc);
        return cli_fail(rc);
    }
    char d[11];
    ent_date_format(d, date);
    int year = ent_date_year(date);
    json_t *o = json_pack("{s:s, s:s, s:I}", "date", d, "origin", origin, "states", (json_int_t)alive);
    json_t *by_kind = json_object();
    for (int k = ENT_TIE_COERCION; k <= ENT_TIE_PACT; k++) {
        json_object_set_new(by_kind, ent_tie_kind_name((ent_tie_kind_t)k), json_integer((json_int_t)counts[k]));
    }
    json_object_set_new(o, "ties_by_kind", by_kind);
    json_t *blocs = json_array();
    for (size_t b = 0; b < nblocs; b++) {
        json_t *members = json_array();
        double cap = 0;
        for (size_t i = 0; i < n; i++) {
            if (bloc[i] == (int64_t)b) {
                json_array_append_new(members, json_string(ent_world_state(w, i)->abbr));
                double c = ent_world_cinc_near(w, i, year, 10, 0);
                cap += isnan(c) ? 0 : c;
            }
        }
        json_array_append_new(blocs, json_pack("{s:i, s:o, s:f}", "bloc", (int)b, "members", members, "cinc", cap));
    }
    json_object_set_new(o, "pact_blocs", blocs);
    json_t *orgs = json_array();
    for (size_t g = 0; g < ent_world_norgs(w); g++) {
        size_t roles[4] = {0};
        static const char *names[] = {"member", "observer", "dialogue_partner", "partner"};
        for (size_t k = 0; k < ent_world_nmemberships(w); k++) {
            const ent_membership_t *m = ent_world_membership(w, k);
            if ((size_t)m->org == g && m->joined <= date && date <= m->left) {
                for (int r = 0; r < 4; r++) {
                    roles[r] += strcmp(m->role, names[r]) == 0;
                }
            }
        }
        const ent_org_t *x = ent_world_org(w, g);
        json_array_append_new(orgs,
                              json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "org", x->id, "name", x->name, "kind",
                                        x->kind, "members", (json_int_t)roles[0], "observers", (json_int_t)roles[1],
                                        "dialogue_partners", (json_int_t)roles[2], "partners", (json_int_t)roles[3]));
    }
    json_object_set_new(o, "organisations", orgs);
    /* partnership ladders of every pole that has one */
    json_t *ladders = json_object();
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (t->kind != ENT_TIE_PARTNERSHIP || !ent_tie_active(t, date)) {
            continue;
        }
        const char *pole = ent_world_state(w, (size_t)t->a)->abbr;
        json_t *l = json_object_get(ladders, pole);
        if (!l) {
            l = json_object();
            json_object_set_new(ladders, pole, l);
        }
        char tier[16];
        snprintf(tier, sizeof tier, "%d", (int)t->level);
        json_t *arr = json_object_get(l, tier);
        if (!arr) {
            arr = json_array();
            json_object_set_new(l, tier, arr);
        }
        json_array_append_new(arr, json_string(ent_world_state(w, (size_t)t->b)->abbr));
    }
    json_object_set_new(o, "partnership_ladders", ladders);
    free(bloc);
    if (json) {
        return cli_print_json(o);
    }
    printf("The alliance system on %s (%s): %zu states\n", d, origin, alive);
    printf("ties in force: %zu pact dyads, %zu partnerships, %zu security ties, %zu rivalries, %zu coercion episodes\n",
           counts[ENT_TIE_PACT], counts[ENT_TIE_PARTNERSHIP], counts[ENT_TIE_SECURITY], counts[ENT_TIE_RIVALRY],
           counts[ENT_TIE_COERCION]);
    size_t nb = json_array_size(json_object_get(o, "pact_blocs"));
    printf("\nDefence-pact components (states linked by chains of defence pacts): %zu\n", nb);
    printf("  (one bridging treaty joins two camps into one component; `entente blocs` finds signed communities)\n");
    for (size_t b = 0; b < nb && b < 8; b++) {
        json_t *x = json_array_get(json_object_get(o, "pact_blocs"), b);
        json_t *m = json_object_get(x, "members");
        printf("  %zu. %zu states, CINC %.3f:", b + 1, json_array_size(m), json_real_value(json_object_get(x, "cinc")));
        for (size_t k = 0; k < json_array_size(m) && k < 14; k++) {
            printf(" %s", json_string_value(json_array_get(m, k)));
        }
        printf("%s\n", json_array_size(m) > 14 ? " ..." : "");
    }
    if (ent_world_norgs(w)) {
        printf("\nOrganisations\n");
        for (size_t g = 0; g < json_array_size(orgs); g++) {
            json_t *x = json_array_get(orgs, g);
            printf("  %-8s %-52.52s %3lld members", json_string_value(json_object_get(x, "org")),
                   json_string_value(json_object_get(x, "name")),
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
    json_object_foreach(ladders, pole, l)
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
    static const struct option opts[] = {
        {"date", required_argument, NULL, 't'},
        {"state", required_argument, NULL, 's'},
        {"world-dir", required_argument, NULL, 'w'},
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"check", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL, *db = NULL, *code = NULL;
    ent_date_t date = 0;
    bool json = false, check = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (ent_date_parse(&date, optarg, true) != ENT_OK) {
                return cli_usage_error("world", "--date: %s", ent_errmsg());
            }
            break;
        case 's': code = optarg; break;
        case 'w': dir = optarg; break;
        case 'd': db = optarg; break;
        case 'j': json = true; break;
        case 'c': check = true; break;
        case 'h': help(stdout); return EXIT_OK;
        default: return cli_usage_error("world", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc) {
        return cli_usage_error("world", "unexpected argument '%s'", argv[optind]);
    }
    if (dir && db) {
        return cli_usage_error("world", "give --world-dir or --db, not both");
    }
    ent_world_t *w = NULL;
    ent_err_t rc;
    char origin[4200];
    if (db) {
        ent_store_t *st;
        ent_store_options_t so = ENT_STORE_OPTIONS_INIT;
        so.readonly = true;
        if ((rc = ent_store_open(&st, db, &so)) != ENT_OK) {
            return cli_fail(rc);
        }
        rc = ent_world_load(&w, st, NULL);
        /* provenance for --json: the store's file and import log */
        if (rc == ENT_OK && json && (rc = cli_prov_store(NULL, st)) != ENT_OK) {
            ent_world_free(w);
            w = NULL;
        }
        ent_store_close(st);
        snprintf(origin, sizeof origin, "store %s", db);
    } else {
        if (!dir) {
            dir = ent_world_default_dir();
        }
        rc = ent_world_load_dir(&w, dir);
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
