/*
 * explore.c -- the reports behind the web explorer's views of the world on a date: every
 * state with what a map can colour it by (entente.map/1), the network of ties
 * (entente.network/1) and the system's polarization (entente.polarization/1). docs/report.md
 * documents the fields. The CLI, the server and the bindings share them like every report.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/blocs.h"
#include "entente/system.h"
#include "io/country_codes.h"
#include "report_int.h"
#include "util_int.h"

/* A pact with a defence obligation, in force in practice (not dormant): what makes an ally. */
static bool defence_pact(const ent_tie_t *t)
{
    return t->kind == ENT_TIE_PACT && (t->obligations & ENT_OBL_DEFENSE) && !t->dormant;
}

#define NPOWERS 3

static bool is_power(const int64_t power[NPOWERS], size_t i)
{
    for (int k = 0; k < NPOWERS; k++) {
        if (power[k] == (int64_t)i) {
            return true;
        }
    }
    return false;
}

/* The rank of great power i (0 = the most capable); NPOWERS when it is none. */
static int rank(const int64_t power[NPOWERS], int64_t i)
{
    for (int k = 0; k < NPOWERS; k++) {
        if (power[k] == i) {
            return k;
        }
    }
    return NPOWERS;
}

/*
 * The great powers of the date: the NPOWERS states alive with the largest capability (CINC of
 * the year, else the nearest within ten years either side: the shipped world holds one base year,
 * and a ranking of powers changes slowly), largest first; -1 where fewer have one.
 */
static void great_powers(int64_t power[NPOWERS], const ent_world_t *w, ent_date_t date)
{
    double best[NPOWERS];
    int year = ent_date_year(date);
    for (int k = 0; k < NPOWERS; k++) {
        power[k] = -1;
        best[k] = -1;
    }
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        double c = ent_world_cinc_near(w, i, year, 10, 10);
        if (!ent_world_alive(w, i, date) || isnan(c)) {
            continue;
        }
        for (int k = 0; k < NPOWERS; k++) {
            if (c > best[k]) {
                for (int j = NPOWERS - 1; j > k; j--) {
                    best[j] = best[j - 1];
                    power[j] = power[j - 1];
                }
                best[k] = c;
                power[k] = (int64_t)i;
                break;
            }
        }
    }
}

/* The measures a map can colour states by, with their kind and range (for the legend). */
static json_t *map_measures(void)
{
    static const struct {
        const char *key, *label, *kind;
        double lo, hi;
    } m[] = {
        {"alignment", "ally of a great power (a defence pact with one of the three most capable states)", "category",
         NAN, NAN},
        {"allies", "formal allies (defence pacts in force)", "count", 0, NAN},
        {"cinc", "capability share (COW CINC)", "share", 0, NAN},
        {"democracy", "electoral democracy (V-Dem)", "index", 0, 1},
        {"trade_share_chn", "share of goods trade with China", "share", 0, 1},
        {"trade_share_usa", "share of goods trade with the US", "share", 0, 1},
        {"unga_agree_usa", "UN General Assembly votes agreeing with the US", "share", 0, 1},
        {"unga_agree_chn", "UN General Assembly votes agreeing with China", "share", 0, 1},
        {"unga_ideal", "UN General Assembly ideal point", "index", NAN, NAN},
    };
    json_t *a = json_array();
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++) {
        json_t *o = json_object();
        o = ent_rep_put(o, "key", json_string(m[k].key));
        o = ent_rep_put(o, "label", json_string(m[k].label));
        o = ent_rep_put(o, "kind", json_string(m[k].kind));
        o = ent_rep_put(o, "min", ent_rep_num(m[k].lo));
        o = ent_rep_put(o, "max", ent_rep_num(m[k].hi));
        a = ent_rep_push(a, o);
    }
    return a;
}

ent_err_t ent_report_map(char **out, const ent_world_t *w, ent_date_t date)
{
    *out = NULL;
    size_t n = ent_world_nstates(w), nblocs = 0;
    int year = ent_date_year(date);
    int64_t *bloc = calloc(n ? n : 1, sizeof *bloc), *align = calloc(n ? n : 1, sizeof *align), power[NPOWERS];
    int *allies = calloc(n ? n : 1, sizeof *allies);
    json_t **tiers = calloc(n ? n : 1, sizeof *tiers);
    ent_err_t rc = ENT_OK;
    json_t *o = NULL;
    if (!bloc || !align || !allies || !tiers) {
        rc = ent_i_nomem();
        goto done;
    }
    if ((rc = ent_system_pact_blocs(bloc, &nblocs, w, date)) != ENT_OK) {
        goto done;
    }
    great_powers(power, w, date);
    /* alignment: the most capable great power a state has a defence pact with (a power: itself) */
    for (size_t i = 0; i < n; i++) {
        align[i] = -1;
    }
    for (int k = NPOWERS - 1; k >= 0; k--) {
        if (power[k] >= 0) {
            align[power[k]] = power[k];
        }
    }
    /* partnership tiers: a partner's highest tier on each pole's ladder */
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (!ent_tie_active(t, date)) {
            continue;
        }
        if (t->kind == ENT_TIE_PARTNERSHIP) {
            /* a is the pole, b the partner: the partner's tier on the pole's ladder */
            size_t b = (size_t)t->b;
            if (!tiers[b] && !(tiers[b] = json_object())) {
                rc = ent_i_nomem();
                goto done;
            }
            json_t *prev = json_object_get(tiers[b], ent_world_state(w, (size_t)t->a)->abbr);
            if (!prev || json_number_value(prev) < t->level) {
                if (json_object_set_new(tiers[b], ent_world_state(w, (size_t)t->a)->abbr, ent_rep_num(t->level))) {
                    rc = ent_i_nomem();
                    goto done;
                }
            }
        }
    }
    /* allies: distinct partners with a defence pact in force, both alive (an n x n matrix of dyads
     * seen, so a dyad in two pacts counts once; n is a few hundred states) */
    {
        unsigned char *seen = calloc(n ? n * n : 1, 1);
        if (!seen) {
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t k = 0; k < ent_world_nties(w); k++) {
            const ent_tie_t *t = ent_world_tie(w, k);
            size_t a = (size_t)t->a, b = (size_t)t->b;
            if (a == b || !defence_pact(t) || !ent_tie_active(t, date) || !ent_world_alive(w, a, date) ||
                !ent_world_alive(w, b, date) || seen[a * n + b]) {
                continue;
            }
            seen[a * n + b] = seen[b * n + a] = 1;
            allies[a]++;
            allies[b]++;
            for (int p = 0; p < NPOWERS; p++) {
                /* powers are ranked: a state allied to two keeps the more capable one */
                if (power[p] == (int64_t)a && !is_power(power, b) && (align[b] < 0 || rank(power, align[b]) > p)) {
                    align[b] = power[p];
                }
                if (power[p] == (int64_t)b && !is_power(power, a) && (align[a] < 0 || rank(power, align[a]) > p)) {
                    align[a] = power[p];
                }
            }
        }
        free(seen);
    }
    o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_MAP_SCHEMA));
    o = ent_rep_put(o, "date", ent_rep_date(date));
    o = ent_rep_put(o, "measures", map_measures());
    json_t *gp = json_array();
    for (int k = 0; k < NPOWERS; k++) {
        if (power[k] >= 0) {
            gp = ent_rep_push(gp, json_string(ent_world_state(w, (size_t)power[k])->abbr));
        }
    }
    o = ent_rep_put(o, "great_powers", gp);
    json_t *states = json_array();
    for (size_t i = 0; states && i < n; i++) {
        if (!ent_world_alive(w, i, date)) {
            continue;
        }
        const ent_state_t *s = ent_world_state(w, i);
        json_t *x = json_object();
        x = ent_rep_put(x, "abbr", json_string(s->abbr));
        x = ent_rep_put(x, "ccode", json_integer(s->ccode));
        /* a store's world may lack ISO codes: the COW -> ISO3 table joins its states to map shapes */
        const char *iso3 = s->iso3[0] ? s->iso3 : ent_i_iso3_from_cow(s->ccode);
        x = ent_rep_put(x, "iso3", iso3 && iso3[0] ? json_string(iso3) : json_null());
        x = ent_rep_put(x, "name", json_string(s->name));
        x = ent_rep_put(x, "region", json_string(s->region));
        x = ent_rep_put(x, "bloc", bloc[i] >= 0 ? json_integer(bloc[i]) : json_null());
        x = ent_rep_put(x, "alignment",
                        align[i] >= 0 ? json_string(ent_world_state(w, (size_t)align[i])->abbr) : json_null());
        x = ent_rep_put(x, "allies", json_integer(allies[i]));
        x = ent_rep_put(x, "cinc", ent_rep_num(ent_rep_cinc(w, i, year, NULL)));
        x = ent_rep_put(x, "democracy", ent_rep_num(s->democracy));
        x = ent_rep_put(x, "trade_share_chn", ent_rep_num(s->trade_share_chn));
        x = ent_rep_put(x, "trade_share_usa", ent_rep_num(s->trade_share_usa));
        x = ent_rep_put(x, "unga_agree_usa", ent_rep_num(s->unga_votes ? s->unga_agree_usa : NAN));
        x = ent_rep_put(x, "unga_agree_chn", ent_rep_num(s->unga_votes ? s->unga_agree_chn : NAN));
        x = ent_rep_put(x, "unga_ideal", ent_rep_num(s->unga_votes ? s->unga_ideal : NAN));
        x = ent_rep_put(x, "partnership_tiers", tiers[i] ? json_incref(tiers[i]) : json_object());
        states = ent_rep_push(states, x);
    }
    o = ent_rep_put(o, "states", states);
done:
    for (size_t i = 0; tiers && i < n; i++) {
        json_decref(tiers[i]);
    }
    free(tiers);
    free(allies);
    free(align);
    free(bloc);
    if (rc != ENT_OK) {
        json_decref(o);
        return rc;
    }
    return ent_rep_finish(out, o);
}

/* An edge of the network: one per dyad and kind, the strongest tie of that kind standing for the rest. */
typedef struct {
    int64_t a, b; /* world indices, a < b */
    int kind;
    double level;
    bool defense, dormant;
    size_t tie; /* the tie shown (its moniker) */
} edge_t;

static int edge_cmp(const void *x, const void *y)
{
    const edge_t *p = x, *q = y;
    if (p->a != q->a) {
        return p->a < q->a ? -1 : 1;
    }
    if (p->b != q->b) {
        return p->b < q->b ? -1 : 1;
    }
    return (p->kind > q->kind) - (p->kind < q->kind);
}

ent_err_t ent_report_network(char **out, const ent_world_t *w, ent_date_t date, unsigned kinds)
{
    *out = NULL;
    if (kinds == 0) {
        kinds = ENT_REPORT_NETWORK_DEFAULT_KINDS;
    }
    if (kinds & ~0xFEu) {
        return ent_i_err(ENT_EINVAL, "ent_report_network: kinds 0x%x names no tie kind", kinds);
    }
    size_t n = ent_world_nstates(w), nblocs = 0, ne = 0, cap = 64;
    int year = ent_date_year(date);
    edge_t *e = malloc(cap * sizeof *e);
    int64_t *bloc = calloc(n ? n : 1, sizeof *bloc);
    unsigned char *used = calloc(n ? n : 1, 1);
    ent_err_t rc = ENT_OK;
    json_t *o = NULL;
    if (!e || !bloc || !used) {
        rc = ent_i_nomem();
        goto done;
    }
    if ((rc = ent_system_pact_blocs(bloc, &nblocs, w, date)) != ENT_OK) {
        goto done;
    }
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (!(kinds & (1u << t->kind)) || !ent_tie_active(t, date) || t->a == t->b ||
            !ent_world_alive(w, (size_t)t->a, date) || !ent_world_alive(w, (size_t)t->b, date)) {
            continue;
        }
        if (ne == cap) {
            edge_t *g = realloc(e, 2 * cap * sizeof *e);
            if (!g) {
                rc = ent_i_nomem();
                goto done;
            }
            e = g;
            cap *= 2;
        }
        e[ne++] = (edge_t){t->a < t->b ? t->a : t->b,
                           t->a < t->b ? t->b : t->a,
                           (int)t->kind,
                           t->level,
                           t->kind == ENT_TIE_PACT && (t->obligations & ENT_OBL_DEFENSE),
                           t->dormant,
                           k};
    }
    qsort(e, ne, sizeof *e, edge_cmp);
    /* merge each (dyad, kind) run: a defence pact in force in practice beats the rest; else the highest level */
    size_t m = 0;
    for (size_t k = 0; k < ne; k++) {
        if (m && edge_cmp(&e[m - 1], &e[k]) == 0) {
            edge_t *x = &e[m - 1];
            bool better = (e[k].defense && !e[k].dormant) > (x->defense && !x->dormant) ||
                          ((e[k].defense && !e[k].dormant) == (x->defense && !x->dormant) && e[k].level > x->level);
            if (better) {
                *x = e[k];
            }
            continue;
        }
        e[m++] = e[k];
    }
    ne = m;
    for (size_t k = 0; k < ne; k++) {
        used[e[k].a] = used[e[k].b] = 1;
    }
    o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_NETWORK_SCHEMA));
    o = ent_rep_put(o, "date", ent_rep_date(date));
    json_t *kl = json_array();
    for (int k = ENT_TIE_COERCION; k <= ENT_TIE_PACT; k++) {
        if (kinds & (1u << k)) {
            kl = ent_rep_push(kl, json_string(ent_tie_kind_name((ent_tie_kind_t)k)));
        }
    }
    o = ent_rep_put(o, "kinds", kl);
    json_t *nodes = json_array();
    for (size_t i = 0; nodes && i < n; i++) {
        if (!used[i]) {
            continue;
        }
        const ent_state_t *s = ent_world_state(w, i);
        json_t *x = json_object();
        x = ent_rep_put(x, "abbr", json_string(s->abbr));
        x = ent_rep_put(x, "ccode", json_integer(s->ccode));
        x = ent_rep_put(x, "name", json_string(s->name));
        x = ent_rep_put(x, "cinc", ent_rep_num(ent_rep_cinc(w, i, year, NULL)));
        x = ent_rep_put(x, "bloc", bloc[i] >= 0 ? json_integer(bloc[i]) : json_null());
        nodes = ent_rep_push(nodes, x);
    }
    o = ent_rep_put(o, "nodes", nodes);
    json_t *edges = json_array();
    for (size_t k = 0; edges && k < ne; k++) {
        const ent_tie_t *t = ent_world_tie(w, e[k].tie);
        json_t *x = json_object();
        x = ent_rep_put(x, "a", json_string(ent_world_state(w, (size_t)e[k].a)->abbr));
        x = ent_rep_put(x, "b", json_string(ent_world_state(w, (size_t)e[k].b)->abbr));
        x = ent_rep_put(x, "kind", json_string(ent_tie_kind_name((ent_tie_kind_t)e[k].kind)));
        x = ent_rep_put(x, "sign", json_integer(e[k].kind <= ENT_TIE_RIVALRY ? -1 : 1));
        x = ent_rep_put(x, "level", ent_rep_num(e[k].level));
        if (e[k].kind == ENT_TIE_PACT) {
            x = ent_rep_put(x, "defense", json_boolean(e[k].defense));
            x = ent_rep_put(x, "dormant", json_boolean(e[k].dormant));
        }
        x = ent_rep_put(x, "moniker", json_string(t->moniker));
        edges = ent_rep_push(edges, x);
    }
    o = ent_rep_put(o, "edges", edges);
done:
    free(e);
    free(bloc);
    free(used);
    if (rc != ENT_OK) {
        json_decref(o);
        return rc;
    }
    return ent_rep_finish(out, o);
}

ent_err_t ent_report_polarization(char **out, const ent_world_t *w, ent_date_t date)
{
    *out = NULL;
    ent_polarization_t p;
    ent_err_t rc = ent_blocs_polarization(&p, w, date, NULL);
    if (rc != ENT_OK) {
        return rc;
    }
    json_t *o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_POLARIZATION_SCHEMA));
    o = ent_rep_put(o, "date", ent_rep_date(date));
    o = ent_rep_put(o, "states", json_integer(p.states));
    o = ent_rep_put(o, "blocs", json_integer(p.blocs));
    o = ent_rep_put(o, "aligned", json_integer(p.aligned));
    o = ent_rep_put(o, "bloc1_share", ent_rep_num(p.p.bloc1));
    o = ent_rep_put(o, "bloc2_share", ent_rep_num(p.p.bloc2));
    o = ent_rep_put(o, "bipolarity", ent_rep_num(p.p.bipolarity));
    o = ent_rep_put(o, "hhi", ent_rep_num(p.p.hhi));
    o = ent_rep_put(o, "effective_poles", ent_rep_num(p.p.poles));
    o = ent_rep_put(o, "esteban_ray", ent_rep_num(p.p.er));
    return ent_rep_finish(out, o);
}
