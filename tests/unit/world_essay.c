/*
 * world_essay.c -- every claim the seed essay (Patricia M. Kim, "China's Search
 * for Allies: Is Beijing Building a Rival Alliance System?", Foreign Affairs,
 * 2021-11-15) makes about the alliance system, asserted on the shipped world
 * (data/). If the data drift from what the essay describes, this fails.
 */
#include "check.h"

static const ent_world_t *W;
static const ent_date_t NOW = 20241231;

static int64_t S(const char *code)
{
    int64_t i = -1;
    if (ent_world_find(&i, W, code) != ENT_OK) {
        fprintf(stderr, "state %s not in the shipped world\n", code);
        check_failures++;
    }
    return i;
}

/* The first tie of `kind` between a and b (either order; subtype if given) active on `on`, or NULL. */
static const ent_tie_t *tie(const char *a, const char *b, ent_tie_kind_t kind, const char *subtype, ent_date_t on)
{
    int64_t x = S(a), y = S(b);
    for (size_t k = 0; k < ent_world_nties(W); k++) {
        const ent_tie_t *t = ent_world_tie(W, k);
        if (t->kind == kind && ((t->a == x && t->b == y) || (t->a == y && t->b == x)) &&
            (!subtype || strcmp(t->subtype, subtype) == 0) && ent_tie_active(t, on)) {
            return t;
        }
    }
    return NULL;
}

/* The earliest start of any tie of kind/subtype between a and b (0 when none). */
static ent_date_t first_start(const char *a, const char *b, ent_tie_kind_t kind, const char *subtype)
{
    int64_t x = S(a), y = S(b);
    ent_date_t best = 0;
    for (size_t k = 0; k < ent_world_nties(W); k++) {
        const ent_tie_t *t = ent_world_tie(W, k);
        if (t->kind == kind && ((t->a == x && t->b == y) || (t->a == y && t->b == x)) &&
            (!subtype || strcmp(t->subtype, subtype) == 0) && (!best || t->start < best)) {
            best = t->start;
        }
    }
    return best;
}

/* The defence pact in force between a and b on `on`, or NULL. */
static const ent_tie_t *defence_pact(const char *a, const char *b, ent_date_t on)
{
    int64_t x = S(a), y = S(b);
    for (size_t k = 0; k < ent_world_nties(W); k++) {
        const ent_tie_t *t = ent_world_tie(W, k);
        if (t->kind == ENT_TIE_PACT && (t->obligations & ENT_OBL_DEFENSE) &&
            ((t->a == x && t->b == y) || (t->a == y && t->b == x)) && ent_tie_active(t, on)) {
            return t;
        }
    }
    return NULL;
}

static const ent_tie_t *partnership(const char *partner)
{
    return tie("CHN", partner, ENT_TIE_PARTNERSHIP, NULL, NOW);
}

static int tier(const char *partner)
{
    const ent_tie_t *t = partnership(partner);
    return t ? (int)t->level : 0;
}

/* Members (role) of an organisation on a date, as a sorted comma list of COW abbreviations. */
static void members(char *buf, size_t n, const char *org, const char *role, ent_date_t on)
{
    int64_t g;
    buf[0] = '\0';
    if (ent_world_find_org(&g, W, org) != ENT_OK) {
        check_failures++;
        return;
    }
    const char *names[256];
    size_t m = 0;
    for (size_t k = 0; k < ent_world_nmemberships(W) && m < 256; k++) {
        const ent_membership_t *x = ent_world_membership(W, k);
        if (x->org == g && strcmp(x->role, role) == 0 && x->joined <= on && on <= x->left) {
            names[m++] = ent_world_state(W, (size_t)x->state)->abbr;
        }
    }
    for (size_t a = 1; a < m; a++) { /* insertion sort by name */
        const char *v = names[a];
        size_t b = a;
        while (b > 0 && strcmp(names[b - 1], v) > 0) {
            names[b] = names[b - 1];
            b--;
        }
        names[b] = v;
    }
    for (size_t k = 0; k < m; k++) {
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", k ? "," : "", names[k]);
    }
}

static size_t count_members(const char *org, const char *role, ent_date_t on)
{
    char buf[4096];
    members(buf, sizeof buf, org, role, on);
    if (!buf[0]) {
        return 0;
    }
    size_t n = 1;
    for (const char *p = buf; *p; p++) {
        n += *p == ',';
    }
    return n;
}

static bool member_since(const char *org, const char *state, const char *role, ent_date_t since)
{
    int64_t g, s = S(state);
    if (ent_world_find_org(&g, W, org) != ENT_OK) {
        return false;
    }
    for (size_t k = 0; k < ent_world_nmemberships(W); k++) {
        const ent_membership_t *x = ent_world_membership(W, k);
        if (x->org == g && x->state == s && strcmp(x->role, role) == 0 && x->joined == since) {
            return true;
        }
    }
    return false;
}

static bool event(ent_date_t date, const char *a, const char *b)
{
    int64_t x = S(a), y = S(b);
    for (size_t k = 0; k < ent_world_nevents(W); k++) {
        const ent_event_t *e = ent_world_event(W, k);
        bool hx = false, hy = false;
        for (size_t i = 0; i < e->nactors; i++) {
            hx |= e->actors[i] == x;
            hy |= e->actors[i] == y;
        }
        if (e->date == date && hx && hy) {
            return true;
        }
    }
    return false;
}

static bool coerced(const char *target, int from_year, int to_year)
{
    int64_t c = S("CHN"), t = S(target);
    for (size_t k = 0; k < ent_world_nties(W); k++) {
        const ent_tie_t *x = ent_world_tie(W, k);
        if (x->kind == ENT_TIE_COERCION && x->a == c && x->b == t && ent_date_year(x->start) >= from_year &&
            ent_date_year(x->start) <= to_year) {
            return true;
        }
    }
    return false;
}

int main(void)
{
    ent_world_t *w;
    ent_err_t rc = ent_world_load_dir(&w, ent_world_default_dir());
    if (rc != ENT_OK) {
        fprintf(stderr, "cannot load the shipped world: %s\n", ent_errmsg());
        return 1;
    }
    W = w;
    char buf[4096];

    /* "Today, China has only one formal ally—North Korea, with whom it shares a mutual defense treaty." */
    ent_pyramid_t p;
    ent_pyramid_init(&p);
    CHECK_OK(ent_pyramid_build(&p, w, S("CHN"), NOW));
    CHECK(p.allies.len == 1);
    if (p.allies.len == 1) {
        const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(&p.allies, size_t, 0));
        CHECK(ent_tie_other(t, S("CHN")) == S("PRK"));
        CHECK(t->start == 19610711); /* the 1961 Treaty of Friendship, Cooperation and Mutual Assistance */
    }
    ent_pyramid_destroy(&p);
    /* ... renewed in 2021 (its 60th anniversary), as the essay notes */
    CHECK(event(20210711, "CHN", "PRK"));
    CHECK(event(19610711, "CHN", "PRK"));
    /* China and Russia: no mutual-defence pact (the essay: partnerships "still a far cry" from alliances) */
    CHECK(defence_pact("CHN", "RUS", NOW) == NULL);

    /* "dozens of official partnerships": the ladder has at least 100 partners */
    size_t partners = 0;
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        partners += t->kind == ENT_TIE_PARTNERSHIP && t->a == S("CHN") && ent_tie_active(t, NOW);
    }
    CHECK(partners >= 100);

    /* Pakistan, at the top of China's pyramid, is no US ally in practice: ATOP still carries the 1959
     * US-Pakistan agreement, which the shipped world marks dormant (docs/data.md); it sets no alliance. */
    ent_pyramid_init(&p);
    CHECK_OK(ent_pyramid_build(&p, w, S("PAK"), NOW));
    CHECK(p.allies.len == 0);
    ent_pyramid_destroy(&p);

    /* "At the top of the pyramid are Russia and Pakistan", with these long, exclusive monikers */
    int top = ent_world_max_tier(w);
    CHECK(top >= 5);
    CHECK(tier("RUS") == top);
    CHECK(tier("PAK") == top);
    CHECK(partnership("RUS") && strcmp(partnership("RUS")->moniker,
                                       "Comprehensive Strategic Partnership of Coordination for a New Era") == 0);
    CHECK(partnership("PAK") && strstr(partnership("PAK")->moniker, "All-Weather Strategic Cooperative Partnership"));
    size_t at_top = 0;
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        at_top += t->kind == ENT_TIE_PARTNERSHIP && t->a == S("CHN") && ent_tie_active(t, NOW) && (int)t->level == top;
    }
    CHECK(at_top == 2); /* the apex is exclusive */

    /* "Then come several Southeast Asian states—Myanmar, Cambodia, Vietnam, Thailand, and Laos" */
    const char *sea[] = {"MYA", "CAM", "DRV", "THI", "LAO"};
    for (size_t k = 0; k < 5; k++) {
        CHECK(tier(sea[k]) > 0 && tier(sea[k]) < top);
        CHECK(partnership(sea[k]) && strstr(partnership(sea[k])->moniker, "Comprehensive Strategic Cooperative"));
    }
    /* "... as well as states farther afield, such as Egypt, Brazil, and New Zealand" */
    const char *afield[] = {"EGY", "BRA", "NEW"};
    for (size_t k = 0; k < 3; k++) {
        CHECK(tier(afield[k]) > 0);
        CHECK(tier(afield[k]) <= tier("MYA")); /* they come after the Southeast Asian group, not before */
        CHECK(partnership(afield[k]) && strstr(partnership(afield[k])->moniker, "Comprehensive Strategic Partnership"));
    }
    /* The Russia partnership reached its apex in 2019 (the "New Era" upgrade) */
    CHECK(partnership("RUS") && ent_date_year(partnership("RUS")->start) == 2019);

    /* Chinese-led multilateral mechanisms: SCO, FOCAC, China-Arab States Cooperation Forum */
    CHECK(member_since("sco", "CHN", "member", 20010615));
    CHECK(member_since("sco", "RUS", "member", 20010615));
    CHECK(member_since("sco", "IRN", "member", 20230704)); /* Iran in the SCO */
    CHECK(count_members("focac", "member", NOW) >= 50);
    CHECK(count_members("casf", "member", NOW) >= 20);
    members(buf, sizeof buf, "casf", "member", NOW);
    CHECK_CONTAINS(buf, "CHN");
    CHECK_CONTAINS(buf, "SAU");
    CHECK_CONTAINS(buf, "EGY");

    /* The Quad (with Australia, India and Japan) and the newly formed AUKUS */
    members(buf, sizeof buf, "quad", "member", NOW);
    CHECK_STR(buf, "AUL,IND,JPN,USA");
    members(buf, sizeof buf, "aukus", "member", NOW);
    CHECK_STR(buf, "AUL,UKG,USA");
    CHECK(member_since("aukus", "AUL", "member", 20210915));
    CHECK(event(20210915, "AUL", "USA"));

    /* The US network: mutual-defence treaties with Japan, South Korea, Australia, the Philippines, Thailand, NATO */
    const char *us_allies[] = {"JPN", "ROK", "AUL", "PHI", "THI", "UKG", "FRN", "GMY", "CAN"};
    for (size_t k = 0; k < sizeof us_allies / sizeof us_allies[0]; k++) {
        CHECK(defence_pact("USA", us_allies[k], NOW) != NULL);
    }
    /* NATO has grown: Finland (2023) and Sweden (2024) */
    CHECK(member_since("nato", "FIN", "member", 20230404));
    CHECK(member_since("nato", "SWD", "member", 20240307));
    /* Russia and North Korea: the 2024 Comprehensive Strategic Partnership Treaty with mutual defence */
    const ent_tie_t *rk = defence_pact("RUS", "PRK", NOW);
    CHECK(rk && ent_date_year(rk->start) == 2024);
    CHECK(defence_pact("RUS", "PRK", 20231231) == NULL);

    /* Military exchanges and joint exercises with Russia, Pakistan and Iran */
    CHECK(first_start("CHN", "RUS", ENT_TIE_SECURITY, "exercise") != 0);
    CHECK(ent_date_year(first_start("CHN", "RUS", ENT_TIE_SECURITY, "patrol")) <= 2021);
    /* the first joint naval patrol in the western Pacific, October 2021 */
    bool naval_patrol_2021 = false;
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        naval_patrol_2021 |= t->kind == ENT_TIE_SECURITY && strcmp(t->subtype, "patrol") == 0 &&
                             ((t->a == S("CHN") && t->b == S("RUS")) || (t->a == S("RUS") && t->b == S("CHN"))) &&
                             t->start / 100 == 202110;
    }
    CHECK(naval_patrol_2021);
    /* China-Russia naval drills since 2012 ("Joint Sea") */
    bool joint_sea = false;
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        joint_sea |= t->kind == ENT_TIE_SECURITY && strstr(t->moniker, "Joint Sea") && ent_date_year(t->start) == 2012;
    }
    CHECK(joint_sea);
    CHECK(first_start("CHN", "PAK", ENT_TIE_SECURITY, "exercise") != 0);
    CHECK(first_start("CHN", "IRN", ENT_TIE_SECURITY, "exercise") != 0);
    CHECK(first_start("CHN", "SAF", ENT_TIE_SECURITY, "exercise") != 0);

    /* The 2021 China-Iran 25-year cooperation agreement */
    CHECK(event(20210327, "CHN", "IRN"));

    /* Economic coercion: Australia from 2020, Lithuania 2021, South Korea 2017, Japan 2010, Norway 2010 */
    CHECK(coerced("AUL", 2020, 2020));
    CHECK(coerced("LIT", 2021, 2021));
    CHECK(coerced("ROK", 2017, 2017));
    CHECK(coerced("JPN", 2010, 2010));
    CHECK(coerced("NOR", 2010, 2010));

    /* Rivalries behind the security environment: India, Japan, Taiwan, the South China Sea */
    CHECK(tie("CHN", "IND", ENT_TIE_RIVALRY, NULL, NOW) != NULL);
    CHECK(tie("CHN", "JPN", ENT_TIE_RIVALRY, NULL, NOW) != NULL);
    CHECK(tie("CHN", "TAW", ENT_TIE_RIVALRY, NULL, NOW) != NULL);
    CHECK(tie("CHN", "PHI", ENT_TIE_RIVALRY, NULL, NOW) != NULL);
    CHECK(tie("CHN", "USA", ENT_TIE_RIVALRY, NULL, NOW) != NULL);

    ent_world_free(w);
    return CHECK_DONE();
}
