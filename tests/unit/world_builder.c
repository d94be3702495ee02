/*
 * world_builder.c -- building a world in memory (ent_world_new ...
 * ent_world_finalise): a copy of the shipped world built through the public
 * builder equals the world read from its CSV files, field by field; pacts
 * become member dyads as the store loader makes them; spells and
 * capabilities behave as loaded ones; misuse gives errors, never a crash.
 */
#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* A total order on ties, strings included, so two worlds' ties compare as multisets. */
static int tie_full_cmp(const void *x, const void *y)
{
    const ent_tie_t *a = *(const ent_tie_t *const *)x, *b = *(const ent_tie_t *const *)y;
    int c;
    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    if (a->end != b->end) {
        return a->end < b->end ? -1 : 1;
    }
    if (a->a != b->a) {
        return a->a < b->a ? -1 : 1;
    }
    if (a->b != b->b) {
        return a->b < b->b ? -1 : 1;
    }
    if (a->kind != b->kind) {
        return (int)a->kind - (int)b->kind;
    }
    if (a->obligations != b->obligations) {
        return a->obligations < b->obligations ? -1 : 1;
    }
    if (a->level != b->level) {
        return a->level < b->level ? -1 : 1;
    }
    if ((c = str_cmp(a->moniker, b->moniker)) || (c = str_cmp(a->subtype, b->subtype)) ||
        (c = str_cmp(a->source, b->source))) {
        return c;
    }
    if (a->directed != b->directed) {
        return a->directed ? 1 : -1;
    }
    return (int)a->dormant - (int)b->dormant;
}

static bool same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static void sorted_ties(const ent_world_t *w, const ent_tie_t ***out)
{
    size_t n = ent_world_nties(w);
    *out = calloc(n ? n : 1, sizeof **out);
    for (size_t k = 0; k < n; k++) {
        (*out)[k] = ent_world_tie(w, k);
    }
    qsort(*out, n, sizeof **out, tie_full_cmp);
}

/* Everything the public API shows of two worlds is equal. */
static void check_equal(const ent_world_t *a, const ent_world_t *b)
{
    CHECK(ent_world_nstates(a) == ent_world_nstates(b));
    size_t n = ent_world_nstates(a) < ent_world_nstates(b) ? ent_world_nstates(a) : ent_world_nstates(b);
    int bad_states = 0, bad_cinc = 0;
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *x = ent_world_state(a, i), *y = ent_world_state(b, i);
        bool same = x->ccode == y->ccode && !strcmp(x->abbr, y->abbr) && !strcmp(x->iso3, y->iso3) &&
                    !str_cmp(x->name, y->name) && !str_cmp(x->region, y->region) && !str_cmp(x->capital, y->capital) &&
                    same_double(x->cap_lat, y->cap_lat) && same_double(x->cap_lon, y->cap_lon) &&
                    x->un_member == y->un_member && same_double(x->democracy, y->democracy) &&
                    same_double(x->gdp_usd_bn, y->gdp_usd_bn) && same_double(x->milex_usd_m, y->milex_usd_m) &&
                    same_double(x->trade_share_chn, y->trade_share_chn) &&
                    same_double(x->trade_share_usa, y->trade_share_usa) && x->econ_year == y->econ_year &&
                    same_double(x->chn_finance_usd_bn, y->chn_finance_usd_bn) && x->econ_estimate == y->econ_estimate &&
                    x->unga_year == y->unga_year && x->unga_votes == y->unga_votes &&
                    same_double(x->unga_ideal, y->unga_ideal) && same_double(x->unga_agree_usa, y->unga_agree_usa) &&
                    same_double(x->unga_agree_chn, y->unga_agree_chn);
        bad_states += !same;
        for (int yr = 1816; yr <= 2100; yr++) {
            bad_cinc += !same_double(ent_world_cinc(a, i, yr), ent_world_cinc(b, i, yr));
        }
        CHECK(ent_world_alive(a, i, 20240101) == ent_world_alive(b, i, 20240101));
        CHECK(ent_world_alive_year(a, i, 1950) == ent_world_alive_year(b, i, 1950));
    }
    CHECK(bad_states == 0);
    CHECK(bad_cinc == 0);

    CHECK(ent_world_nties(a) == ent_world_nties(b));
    if (ent_world_nties(a) == ent_world_nties(b)) {
        const ent_tie_t **ta, **tb;
        sorted_ties(a, &ta);
        sorted_ties(b, &tb);
        int bad = 0;
        for (size_t k = 0; k < ent_world_nties(a); k++) {
            bad += tie_full_cmp(&ta[k], &tb[k]) != 0;
        }
        CHECK(bad == 0);
        free(ta);
        free(tb);
        /* the builder keeps ties sorted by start, as slicing needs */
        for (size_t k = 1; k < ent_world_nties(b); k++) {
            CHECK(ent_world_tie(b, k - 1)->start <= ent_world_tie(b, k)->start);
        }
    }

    CHECK(ent_world_norgs(a) == ent_world_norgs(b));
    for (size_t k = 0; k < ent_world_norgs(a) && k < ent_world_norgs(b); k++) {
        const ent_org_t *x = ent_world_org(a, k), *y = ent_world_org(b, k);
        CHECK(!strcmp(x->id, y->id) && !str_cmp(x->name, y->name) && !str_cmp(x->kind, y->kind) &&
              x->founded == y->founded && !str_cmp(x->source, y->source));
    }
    CHECK(ent_world_nmemberships(a) == ent_world_nmemberships(b));
    for (size_t k = 0; k < ent_world_nmemberships(a) && k < ent_world_nmemberships(b); k++) {
        const ent_membership_t *x = ent_world_membership(a, k), *y = ent_world_membership(b, k);
        CHECK(x->org == y->org && x->state == y->state && !str_cmp(x->role, y->role) && x->joined == y->joined &&
              x->left == y->left && !str_cmp(x->source, y->source));
    }
    CHECK(ent_world_nevents(a) == ent_world_nevents(b));
    for (size_t k = 0; k < ent_world_nevents(a) && k < ent_world_nevents(b); k++) {
        const ent_event_t *x = ent_world_event(a, k), *y = ent_world_event(b, k);
        CHECK(x->date == y->date && !str_cmp(x->kind, y->kind) && x->nactors == y->nactors &&
              !str_cmp(x->description, y->description) && !str_cmp(x->source, y->source));
        CHECK(x->actors != y->actors || x->nactors == 0); /* copied, not borrowed */
        for (size_t j = 0; j < x->nactors && j < y->nactors; j++) {
            CHECK(x->actors[j] == y->actors[j]);
        }
    }
    CHECK(ent_world_max_tier(a) == ent_world_max_tier(b));
    for (int t = 0; t <= ent_world_max_tier(a) + 1; t++) {
        CHECK_STR(ent_world_tier_label(a, t), ent_world_tier_label(b, t));
    }
    CHECK(ent_world_as_of(a) == ent_world_as_of(b));

    /* slices of both agree, state by state and tie by tie */
    static const ent_date_t days[] = {19500101, 20000615, 20220101, 20250101};
    for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
        ent_slice_t *sa = NULL, *sb = NULL;
        CHECK_OK(ent_world_slice(&sa, a, days[d], days[d]));
        CHECK_OK(ent_world_slice(&sb, b, days[d], days[d]));
        if (sa && sb) {
            CHECK(ent_slice_nstates(sa) == ent_slice_nstates(sb));
            CHECK(ent_slice_nties(sa) == ent_slice_nties(sb));
            for (size_t k = 0; k < ent_slice_nstates(sa) && k < ent_slice_nstates(sb); k++) {
                CHECK(ent_slice_state(sa, k) == ent_slice_state(sb, k));
            }
        }
        ent_slice_free(sa);
        ent_slice_free(sb);
    }
}

/* The shipped world rebuilt through the public builder from what the public API shows of it. */
static void check_shipped(void)
{
    ent_world_t *csv = NULL, *mem = NULL;
    ent_err_t rc = ent_world_load_dir(&csv, ent_world_default_dir());
    if (rc != ENT_OK) {
        fprintf(stderr, "the shipped world (%s) did not load: %s\n", ent_world_default_dir(), ent_errmsg());
        check_failures++;
        return;
    }
    CHECK_OK(ent_world_new(&mem));
    for (size_t i = 0; i < ent_world_nstates(csv); i++) {
        /* through a scratch copy whose strings die before the world is read: the builder must copy */
        ent_state_t x = *ent_world_state(csv, i);
        char name[256];
        snprintf(name, sizeof name, "%s", x.name);
        x.name = name;
        int64_t idx = -1;
        CHECK_OK(ent_world_add_state(&idx, mem, &x));
        CHECK(idx == (int64_t)i);
        memset(name, 'x', sizeof name - 1);
        name[sizeof name - 1] = '\0';
        for (int yr = 1816; yr <= 2100; yr++) {
            double c = ent_world_cinc(csv, i, yr);
            if (!isnan(c)) {
                CHECK_OK(ent_world_set_cinc(mem, (int64_t)i, yr, c));
            }
        }
    }
    for (size_t k = 0; k < ent_world_nties(csv); k++) {
        CHECK_OK(ent_world_add_tie(mem, ent_world_tie(csv, k)));
    }
    for (size_t k = 0; k < ent_world_norgs(csv); k++) {
        int64_t idx = -1;
        CHECK_OK(ent_world_add_org(&idx, mem, ent_world_org(csv, k)));
        CHECK(idx == (int64_t)k);
    }
    for (size_t k = 0; k < ent_world_nmemberships(csv); k++) {
        CHECK_OK(ent_world_add_membership(mem, ent_world_membership(csv, k)));
    }
    for (size_t k = 0; k < ent_world_nevents(csv); k++) {
        CHECK_OK(ent_world_add_event(mem, ent_world_event(csv, k)));
    }
    for (int t = 1; t <= ent_world_max_tier(csv); t++) {
        CHECK_OK(ent_world_set_tier_label(mem, t, ent_world_tier_label(csv, t)));
    }
    CHECK_OK(ent_world_finalise(mem));
    CHECK(ent_world_nstates(csv) > 150 && ent_world_nties(csv) > 1000); /* the real thing, not an empty dir */
    check_equal(csv, mem);
    int64_t chn = -1;
    CHECK_OK(ent_world_find(&chn, mem, "CHN"));
    CHECK(chn == ent_world_state_index(mem, 710));
    CHECK_STR(ent_world_state(mem, (size_t)chn)->name, ent_world_state(csv, (size_t)chn)->name);
    ent_world_free(mem);
    ent_world_free(csv);
}

/* A small world by hand: pacts as member dyads, spells, capabilities, and the errors. */
static void check_small(void)
{
    ent_world_t *w = NULL;
    CHECK_OK(ent_world_new(&w));
    if (!w) {
        return;
    }
    ent_state_t s;
    int64_t usa, gmy, chn, idx;
    ent_state_init(&s);
    CHECK(isnan(s.cap_lat) && isnan(s.unga_ideal) && !strcmp(s.name, ""));
    s.ccode = 2;
    snprintf(s.abbr, sizeof s.abbr, "USA");
    s.name = "United States";
    CHECK_OK(ent_world_add_state(&usa, w, &s));
    s.ccode = 255;
    snprintf(s.abbr, sizeof s.abbr, "GMY");
    snprintf(s.iso3, sizeof s.iso3, "DEU");
    s.name = "Germany";
    CHECK_OK(ent_world_add_state(&gmy, w, &s));
    s.ccode = 710;
    snprintf(s.abbr, sizeof s.abbr, "CHN");
    snprintf(s.iso3, sizeof s.iso3, "CHN");
    s.name = "China";
    CHECK_OK(ent_world_add_state(&chn, w, &s));
    CHECK(usa == 0 && gmy == 1 && chn == 2);
    CHECK_RC(ent_world_add_state(&idx, w, &s), ENT_EEXISTS);
    s.ccode = 1000;
    CHECK_RC(ent_world_add_state(&idx, w, &s), ENT_ERANGE);
    CHECK(ent_world_nstates(w) == 3);

    /* Germany: two spells, given out of order; the others none (always members) */
    CHECK_OK(ent_world_add_spell(w, gmy, 19901003, ENT_DATE_MAX));
    CHECK_OK(ent_world_add_spell(w, gmy, 18160101, 19450508));
    CHECK_RC(ent_world_add_spell(w, gmy, 19500101, 19400101), ENT_EINVAL);
    CHECK_RC(ent_world_add_spell(w, 3, 19500101, 19600101), ENT_ERANGE);
    CHECK_OK(ent_world_set_cinc(w, usa, 2000, 0.14));
    CHECK_RC(ent_world_set_cinc(w, usa, 1700, 0.1), ENT_ERANGE);
    CHECK_RC(ent_world_set_cinc(w, usa, 2000, 1.5), ENT_ERANGE);

    /* a pact from 1950; Germany a member from its return; China a consultation-only member */
    ent_pact_member_t m[3] = {
        {usa, 19500101, 20001231, ENT_OBL_DEFENSE, false},
        {gmy, 19901003, ENT_DATE_MAX, ENT_OBL_DEFENSE, false},
        {chn, 19500101, 20001231, ENT_OBL_CONSUL, false},
    };
    CHECK_OK(ent_world_add_pact(w, m, 3, "Test Pact", "fixture"));
    ent_pact_member_t bad = {usa, 20000101, 19990101, 0, false};
    CHECK_RC(ent_world_add_pact(w, &bad, 1, "Bad", "fixture"), ENT_EINVAL);

    ent_tie_t t;
    memset(&t, 0, sizeof t);
    t.a = usa;
    t.b = usa;
    t.kind = ENT_TIE_RIVALRY;
    t.start = 19500101;
    t.end = 19600101;
    CHECK_RC(ent_world_add_tie(w, &t), ENT_EINVAL);
    t.b = chn;
    t.kind = (ent_tie_kind_t)9;
    CHECK_RC(ent_world_add_tie(w, &t), ENT_EINVAL);
    t.kind = ENT_TIE_RIVALRY;
    t.level = 0.6;
    char moniker[32] = "Cold rivalry";
    t.moniker = moniker;
    t.source = "fixture";
    CHECK_OK(ent_world_add_tie(w, &t));
    moniker[0] = 'X'; /* the world kept its own copy */

    ent_org_t o = {"nato", "North Atlantic Treaty Organization", "collective_defense", 19490404, "fixture"};
    int64_t nato;
    CHECK_OK(ent_world_add_org(&nato, w, &o));
    o.id = "NATO";
    CHECK_RC(ent_world_add_org(&idx, w, &o), ENT_EEXISTS);
    ent_membership_t mb = {nato, usa, "member", 19490824, ENT_DATE_MAX, "fixture"};
    CHECK_OK(ent_world_add_membership(w, &mb));
    mb.org = 5;
    CHECK_RC(ent_world_add_membership(w, &mb), ENT_ERANGE);
    int64_t actors[2] = {usa, chn};
    ent_event_t ev = {19720221, "visit", actors, 2, "Nixon in Beijing", "fixture"};
    CHECK_OK(ent_world_add_event(w, &ev));
    actors[1] = gmy;
    CHECK_OK(ent_world_set_tier_label(w, 2, "Strategic"));
    /* tier 1 is missing: finalise refuses the gap, and the world can still be completed */
    CHECK_RC(ent_world_finalise(w), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "tier 1");
    CHECK_OK(ent_world_set_tier_label(w, 1, "Partnership"));

    ent_slice_t *sl = NULL;
    CHECK_RC(ent_world_slice(&sl, w, 19600101, 19600101), ENT_EINVAL); /* not finalised yet */
    CHECK_OK(ent_world_finalise(w));
    CHECK_RC(ent_world_finalise(w), ENT_EINVAL);
    CHECK_RC(ent_world_add_state(&idx, w, &s), ENT_EINVAL);
    CHECK_RC(ent_world_add_tie(w, &t), ENT_EINVAL);

    CHECK(ent_world_alive_year(w, (size_t)gmy, 1945));
    CHECK(!ent_world_alive_year(w, (size_t)gmy, 1960));
    CHECK(ent_world_alive(w, (size_t)gmy, 19901003));
    CHECK(!ent_world_alive(w, (size_t)gmy, 19901002));
    CHECK(ent_world_alive_year(w, (size_t)usa, 1800));
    CHECK_NEAR(ent_world_cinc(w, (size_t)usa, 2000), 0.14, 1e-7);
    CHECK(isnan(ent_world_cinc(w, (size_t)chn, 2000)));
    CHECK(ent_world_state_index(w, 255) == gmy && ent_world_state_index(w, 3) == -1 &&
          ent_world_state_index(w, -1) == -1);

    /* pact dyads: USA-GMY 1990-10-03..2000, USA-CHN and GMY-CHN (1990..2000) with the union of obligations */
    size_t npact = 0;
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *x = ent_world_tie(w, k);
        if (x->kind != ENT_TIE_PACT) {
            CHECK_STR(x->moniker, "Cold rivalry");
            continue;
        }
        npact++;
        CHECK_STR(x->moniker, "Test Pact");
        CHECK(x->a < x->b);
        if (x->a == usa && x->b == gmy) {
            CHECK(x->start == 19901003 && x->end == 20001231 && x->obligations == ENT_OBL_DEFENSE);
        } else if (x->a == usa && x->b == chn) {
            CHECK(x->start == 19500101 && x->obligations == (ENT_OBL_DEFENSE | ENT_OBL_CONSUL));
        } else {
            CHECK(x->a == gmy && x->b == chn && x->start == 19901003 && x->end == 20001231);
        }
    }
    CHECK(npact == 3);
    CHECK(ent_world_event(w, 0)->actors[1] == chn);
    CHECK(ent_world_as_of(w) == 19720221);
    CHECK_OK(ent_world_slice(&sl, w, 19600101, 19600101));
    if (sl) {
        CHECK(ent_slice_nstates(sl) == 2); /* Germany absent */
        CHECK(ent_slice_nties(sl) == 2);   /* the USA-CHN pact, and the rivalry on its last day */
        ent_slice_free(sl);
    }
    ent_world_free(w);
    ent_world_free(NULL);
}

int main(void)
{
    check_small();
    check_shipped();
    return CHECK_DONE();
}
