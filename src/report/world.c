/*
 * world.c -- the world and state reports (entente.world/1, entente.state/1): the alliance
 * system on a date, and one state's pyramid of ties. docs/report.md documents the fields.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/system.h"
#include "report_int.h"
#include "util_int.h"

static json_t *tie_json(const ent_world_t *w, const ent_tie_t *t, int64_t self)
{
    const ent_state_t *p = ent_world_state(w, (size_t)ent_tie_other(t, self));
    json_t *o = json_object();
    if (!o) {
        return NULL;
    }
    json_object_set_new(o, "partner", json_string(p->abbr));
    json_object_set_new(o, "partner_ccode", json_integer(p->ccode));
    json_object_set_new(o, "partner_name", json_string(p->name));
    json_object_set_new(o, "kind", json_string(ent_tie_kind_name(t->kind)));
    json_object_set_new(o, "moniker", json_string(t->moniker));
    json_object_set_new(o, "start", ent_rep_date(t->start));
    json_object_set_new(o, "source", json_string(t->source));
    json_object_set_new(o, "end", ent_rep_date(t->end));
    if (t->subtype && t->subtype[0]) {
        json_object_set_new(o, "subtype", json_string(t->subtype));
    }
    if (t->kind == ENT_TIE_PACT) {
        char obl[96];
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
    for (size_t k = 0; a && k < v->len; k++) {
        if (json_array_append_new(a, tie_json(w, ent_world_tie(w, ENT_VEC_AT(v, size_t, k)), self))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Adds `value` under `key`; on a NULL value (out of memory) releases o and returns NULL. */
static json_t *put(json_t *o, const char *key, json_t *value)
{
    if (!o || !value || json_object_set_new(o, key, value)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

ent_err_t ent_report_state(char **out, const ent_world_t *w, int64_t self, ent_date_t date)
{
    *out = NULL;
    if (self < 0 || (size_t)self >= ent_world_nstates(w)) {
        return ent_i_err(ENT_EINVAL, "ent_report_state: no state %lld in the world", (long long)self);
    }
    ent_pyramid_t p;
    ent_pyramid_init(&p);
    ent_err_t rc = ent_pyramid_build(&p, w, self, date);
    if (rc != ENT_OK) {
        ent_pyramid_destroy(&p);
        return rc;
    }
    /* partnerships split by the side the state is on: its own ladder (as pole), its places on others' */
    ent_vec_t as_pole, as_partner;
    ent_vec_init(&as_pole, sizeof(size_t));
    ent_vec_init(&as_partner, sizeof(size_t));
    for (size_t k = 0; rc == ENT_OK && k < p.partnerships.len; k++) {
        size_t ti = ENT_VEC_AT(&p.partnerships, size_t, k);
        rc = ent_vec_push(ent_world_tie(w, ti)->a == self ? &as_pole : &as_partner, &ti);
    }
    json_t *o = NULL;
    if (rc != ENT_OK) {
        goto done;
    }
    const ent_state_t *s = ent_world_state(w, (size_t)self);
    int cinc_year = 0;
    double cinc = ent_rep_cinc(w, (size_t)self, ent_date_year(date), &cinc_year);
    o = json_object();
    o = put(o, "schema", json_string(ENT_REPORT_STATE_SCHEMA));
    o = put(o, "abbr", json_string(s->abbr));
    o = put(o, "ccode", json_integer(s->ccode));
    o = put(o, "name", json_string(s->name));
    o = put(o, "region", json_string(s->region));
    o = put(o, "capital", json_string(s->capital));
    o = put(o, "date", ent_rep_date(date));
    o = put(o, "cinc", ent_rep_num(cinc));
    o = put(o, "cinc_year", cinc_year ? json_integer(cinc_year) : json_null());
    o = put(o, "gdp_usd_bn", ent_rep_num(s->gdp_usd_bn));
    o = put(o, "milex_usd_m", ent_rep_num(s->milex_usd_m));
    json_t *econ = json_object();
    econ = put(econ, "trade_share_chn", ent_rep_num(s->trade_share_chn));
    econ = put(econ, "trade_share_usa", ent_rep_num(s->trade_share_usa));
    econ = put(econ, "chn_official_finance_usd_bn", ent_rep_num(s->chn_finance_usd_bn));
    econ = put(econ, "estimate", json_boolean(s->econ_estimate));
    econ = put(econ, "year", json_integer(s->econ_year));
    o = put(o, "economy", econ);
    if (s->unga_year > 0) {
        json_t *u = json_object();
        u = put(u, "year", json_integer(s->unga_year));
        u = put(u, "votes", json_integer(s->unga_votes));
        u = put(u, "ideal_point", ent_rep_num(s->unga_ideal));
        u = put(u, "agree_usa", ent_rep_num(s->unga_agree_usa));
        u = put(u, "agree_chn", ent_rep_num(s->unga_agree_chn));
        u = put(u, "few_votes", json_boolean(s->unga_votes < ENT_UNGA_MIN_VOTES));
        o = put(o, "unga", u);
    }
    o = put(o, "allies", ties_json(w, &p.allies, self));
    o = put(o, "other_pacts", ties_json(w, &p.other_pacts, self));
    /* the state's own ladder as tiers, top to bottom */
    json_t *tiers = json_array();
    for (int t = ent_world_max_tier(w); tiers && t >= 1; t--) {
        json_t *members = json_array();
        for (size_t k = 0; members && k < as_pole.len; k++) {
            const ent_tie_t *x = ent_world_tie(w, ENT_VEC_AT(&as_pole, size_t, k));
            if ((int)x->level == t && json_array_append_new(members, tie_json(w, x, self))) {
                json_decref(members);
                members = NULL;
            }
        }
        if (!members) {
            json_decref(tiers);
            tiers = NULL;
        } else if (json_array_size(members)) {
            json_t *tier = json_object();
            tier = put(tier, "tier", json_integer(t));
            tier = put(tier, "label", json_string(ent_world_tier_label(w, t)));
            tier = put(tier, "partners", members);
            if (json_array_append_new(tiers, tier)) {
                json_decref(tiers);
                tiers = NULL;
            }
        } else {
            json_decref(members);
        }
    }
    o = put(o, "partnership_tiers", tiers);
    o = put(o, "partnerships_with_poles", ties_json(w, &as_partner, self));
    json_t *orgs = json_array();
    for (size_t k = 0; orgs && k < p.memberships.len; k++) {
        const ent_membership_t *m = ent_world_membership(w, ENT_VEC_AT(&p.memberships, size_t, k));
        const ent_org_t *g = ent_world_org(w, (size_t)m->org);
        json_t *x = json_object();
        x = put(x, "org", json_string(g->id));
        x = put(x, "name", json_string(g->name));
        x = put(x, "kind", json_string(g->kind));
        x = put(x, "role", json_string(m->role));
        x = put(x, "joined", ent_rep_date(m->joined));
        x = put(x, "source", json_string(m->source));
        if (json_array_append_new(orgs, x)) {
            json_decref(orgs);
            orgs = NULL;
        }
    }
    o = put(o, "organisations", orgs);
    o = put(o, "security", ties_json(w, &p.security, self));
    o = put(o, "coercion_sent", ties_json(w, &p.coercion_sent, self));
    o = put(o, "coercion_received", ties_json(w, &p.coercion_received, self));
    o = put(o, "rivalries", ties_json(w, &p.rivalries, self));
done:
    ent_vec_destroy(&as_pole);
    ent_vec_destroy(&as_partner);
    ent_pyramid_destroy(&p);
    return rc != ENT_OK ? rc : ent_rep_finish(out, o);
}

static json_t *org_counts(const ent_world_t *w, ent_date_t date)
{
    static const char *roles[] = {"member", "observer", "dialogue_partner", "partner"};
    static const char *keys[] = {"members", "observers", "dialogue_partners", "partners"};
    json_t *orgs = json_array();
    for (size_t g = 0; orgs && g < ent_world_norgs(w); g++) {
        size_t count[4] = {0};
        for (size_t k = 0; k < ent_world_nmemberships(w); k++) {
            const ent_membership_t *m = ent_world_membership(w, k);
            if ((size_t)m->org == g && m->joined <= date && date <= m->left) {
                for (int r = 0; r < 4; r++) {
                    count[r] += strcmp(m->role, roles[r]) == 0;
                }
            }
        }
        const ent_org_t *x = ent_world_org(w, g);
        json_t *o = json_object();
        o = put(o, "org", json_string(x->id));
        o = put(o, "name", json_string(x->name));
        o = put(o, "kind", json_string(x->kind));
        for (int r = 0; r < 4; r++) {
            o = put(o, keys[r], json_integer((json_int_t)count[r]));
        }
        if (json_array_append_new(orgs, o)) {
            json_decref(orgs);
            orgs = NULL;
        }
    }
    return orgs;
}

/* Every pole's ladder: {"CHN": {"8": ["RUS"], ...}}, tiers as strings (JSON keys), states in world order. */
static json_t *ladders(const ent_world_t *w, ent_date_t date)
{
    json_t *all = json_object();
    for (size_t k = 0; all && k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (t->kind != ENT_TIE_PARTNERSHIP || !ent_tie_active(t, date)) {
            continue;
        }
        const char *pole = ent_world_state(w, (size_t)t->a)->abbr;
        json_t *l = json_object_get(all, pole);
        if (!l && (!(l = json_object()) || json_object_set_new(all, pole, l))) {
            json_decref(all);
            return NULL;
        }
        char tier[16];
        snprintf(tier, sizeof tier, "%d", (int)t->level);
        json_t *arr = json_object_get(l, tier);
        if (!arr && (!(arr = json_array()) || json_object_set_new(l, tier, arr))) {
            json_decref(all);
            return NULL;
        }
        if (json_array_append_new(arr, json_string(ent_world_state(w, (size_t)t->b)->abbr))) {
            json_decref(all);
            return NULL;
        }
    }
    return all;
}

ent_err_t ent_report_world(char **out, const ent_world_t *w, ent_date_t date, const char *origin)
{
    *out = NULL;
    size_t n = ent_world_nstates(w), alive = 0, counts[8];
    for (size_t i = 0; i < n; i++) {
        alive += ent_world_alive(w, i, date);
    }
    ent_system_count_ties(counts, w, date);
    int64_t *bloc = calloc(n ? n : 1, sizeof *bloc);
    if (!bloc) {
        return ent_i_nomem();
    }
    size_t nblocs = 0;
    ent_err_t rc = ent_system_pact_blocs(bloc, &nblocs, w, date);
    if (rc != ENT_OK) {
        free(bloc);
        return rc;
    }
    int year = ent_date_year(date);
    json_t *o = json_object();
    o = put(o, "schema", json_string(ENT_REPORT_WORLD_SCHEMA));
    o = put(o, "date", ent_rep_date(date));
    o = put(o, "origin", origin ? json_string(origin) : json_null());
    o = put(o, "states", json_integer((json_int_t)alive));
    json_t *by_kind = json_object();
    for (int k = ENT_TIE_COERCION; k <= ENT_TIE_PACT; k++) {
        by_kind = put(by_kind, ent_tie_kind_name((ent_tie_kind_t)k), json_integer((json_int_t)counts[k]));
    }
    o = put(o, "ties_by_kind", by_kind);
    json_t *blocs = json_array();
    for (size_t b = 0; blocs && b < nblocs; b++) {
        json_t *members = json_array();
        double cap = 0;
        for (size_t i = 0; members && i < n; i++) {
            if (bloc[i] == (int64_t)b) {
                if (json_array_append_new(members, json_string(ent_world_state(w, i)->abbr))) {
                    json_decref(members);
                    members = NULL;
                    break;
                }
                double c = ent_world_cinc_near(w, i, year, 10, 0);
                cap += isnan(c) ? 0 : c;
            }
        }
        json_t *x = json_object();
        x = put(x, "bloc", json_integer((json_int_t)b));
        x = put(x, "members", members);
        x = put(x, "cinc", json_real(cap));
        if (json_array_append_new(blocs, x)) {
            json_decref(blocs);
            blocs = NULL;
        }
    }
    free(bloc);
    o = put(o, "pact_blocs", blocs);
    o = put(o, "organisations", org_counts(w, date));
    o = put(o, "partnership_ladders", ladders(w, date));
    return ent_rep_finish(out, o);
}
