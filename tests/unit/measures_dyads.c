/*
 * measures_dyads.c -- the signed-network pipeline (include/entente/dyads.h and
 * ent_partition_solve in partition.h): the dyad layer of the shipped 2024
 * world read pair by pair against the data CSV files, the three named weight specs
 * on those pairs computed by hand, the rules the old constructions disagreed
 * on (dormant pacts, non-aggression-only pacts, missing rivalry intensity,
 * node order), the blocs community of Japan, South Korea and the Philippines
 * on 2024-12-31, and the solver entry point's policy, errors and cancel flag.
 */
#include <signal.h>

#include "check.h"

static int64_t idx(const ent_world_t *w, const char *code)
{
    int64_t i = -1;
    CHECK_OK(ent_world_find(&i, w, code));
    return i;
}

static const ent_dyad_t *pair(const ent_dyads_t *d, const ent_world_t *w, const char *a, const char *b)
{
    const ent_dyad_t *x = ent_dyads_find(d, idx(w, a), idx(w, b));
    CHECK(x != NULL);
    CHECK(x == ent_dyads_find(d, idx(w, b), idx(w, a))); /* either order */
    return x;
}

static double weight(const ent_dyad_t *x, const ent_dyads_t *d, const ent_signed_spec_t *s)
{
    ent_dyad_terms_t t;
    ent_dyad_terms(&t, x, d->max_tier, s);
    return t.weight;
}

static void shipped_2024(void)
{
    ent_world_t *w = NULL;
    CHECK_OK(ent_world_load_dir(&w, ent_world_default_dir()));
    if (!w) {
        return;
    }
    ent_dyads_t d;
    ent_dyads_init(&d);
    CHECK_OK(ent_dyads_build(&d, w, 20241231));
    CHECK(d.max_tier == 8);
    /* sorted, a < b, no duplicates */
    for (size_t k = 0; k < d.dyads.len; k++) {
        const ent_dyad_t *x = &ENT_VEC_AT(&d.dyads, ent_dyad_t, k);
        CHECK(x->a < x->b);
        if (k) {
            const ent_dyad_t *p = &ENT_VEC_AT(&d.dyads, ent_dyad_t, k - 1);
            CHECK(p->a < x->a || (p->a == x->a && p->b < x->b));
        }
    }
    ent_signed_spec_t bl = ent_signed_spec_blocs(), ba = ent_signed_spec_balance(1), la = ent_signed_spec_landscape();
    CHECK_OK(ent_signed_spec_check(&bl));
    CHECK_OK(ent_signed_spec_check(&ba));
    CHECK_OK(ent_signed_spec_check(&la));

    /* China-Japan: rivalries.csv 0.5 (Senkaku), the 2023 seafood ban (coercion.csv), partnership tier 1,
     * and two non-aggression-only pacts (pacts.csv: ASEAN's TAC, the 1978 treaty) */
    const ent_dyad_t *cj = pair(&d, w, "CHN", "JPN");
    if (cj) {
        CHECK_NEAR(cj->rivalry, 0.5, 1e-12);
        CHECK(cj->rivalries == 1);
        CHECK(cj->coercion_ab + cj->coercion_ba >= 1);
        CHECK_NEAR(cj->tier, 1, 0);
        CHECK(cj->obligations & ENT_OBL_NONAGG);
        CHECK(!(cj->obligations & ENT_OBL_DEFENSE));
        /* the 1978 Treaty of Peace and Friendship (bilateral, non-aggression) besides the TAC */
        CHECK(cj->nonagg_parties == 2);
        /* blocs: max(the treaty 0.5, tier 1/8 x 0.5) - max(0.5 x 0.5, 0.5): cancelled, no edge */
        CHECK(weight(cj, &d, &bl) == 0.0);
        CHECK(weight(cj, &d, &ba) == -1.0);
        /* landscape: 0.25 + 1/8 - 2 x 0.5 - 1 */
        CHECK_NEAR(weight(cj, &d, &la), 0.25 + 0.125 - 1.0 - 1.0, 1e-12);
    }
    /* China-South Korea: tier 4 partnership and the TAC, no rivalry (the THAAD coercion ended 2023) */
    const ent_dyad_t *ck = pair(&d, w, "CHN", "ROK");
    if (ck) {
        CHECK_NEAR(ck->tier, 4, 0);
        CHECK(ck->tier_pole == idx(w, "CHN")); /* China's ladder */
        CHECK(ck->rivalries == 0 && ck->coercion_ab == 0 && ck->coercion_ba == 0);
        /* the TAC alone: 34 parties in data/pact_members.csv, all alive in 2024 */
        CHECK(ck->nonagg_parties == 34);
        ent_dyad_terms_t t;
        ent_dyad_terms(&t, ck, d.max_tier, &bl);
        CHECK_NEAR(t.pact, 0.5 / 33, 1e-12);          /* one co-membership among 34: 1/33 of a bilateral treaty */
        CHECK_NEAR(weight(ck, &d, &bl), 0.25, 1e-12); /* the partnership, not the TAC at 0.5 as before */
        CHECK(weight(ck, &d, &ba) == 1.0);
    }
    /* United States-Japan: a defence pact; US forces based in Japan and US arms (security.csv) */
    const ent_dyad_t *uj = pair(&d, w, "USA", "JPN");
    if (uj) {
        CHECK(uj->obligations & ENT_OBL_DEFENSE);
        bool us_first = uj->a == idx(w, "USA");
        CHECK((us_first ? uj->basing_ab : uj->basing_ba) > 0 && (us_first ? uj->basing_ba : uj->basing_ab) == 0);
        CHECK((us_first ? uj->arms_ab : uj->arms_ba) > 0);
        CHECK(uj->exercise >= 3 && uj->security >= 5);
        CHECK(uj->tier == 0 && uj->tier_pole == -1);
        CHECK_NEAR(weight(uj, &d, &bl), 1.0, 1e-12);
        CHECK(weight(uj, &d, &ba) == 1.0);
    }
    /* Russia-China: Russian arms for China (security.csv: 365 -> 710), tier 8 on China's ladder */
    const ent_dyad_t *rc = pair(&d, w, "RUS", "CHN");
    if (rc) {
        bool rus_first = rc->a == idx(w, "RUS");
        CHECK((rus_first ? rc->arms_ab : rc->arms_ba) > 0 && (rus_first ? rc->arms_ba : rc->arms_ab) == 0);
        CHECK(rc->tier == 8 && rc->tier_pole == idx(w, "CHN"));
    }
    /* Greece-Turkey: NATO and a rivalry -- the net for blocs, hostile for balance */
    const ent_dyad_t *gt = pair(&d, w, "GRC", "TUR");
    if (gt) {
        CHECK(gt->rivalries >= 1 && (gt->obligations & ENT_OBL_DEFENSE));
        CHECK_NEAR(weight(gt, &d, &bl), 1.0 - gt->rivalry, 1e-12);
        CHECK(weight(gt, &d, &ba) == -1.0);
    }
    /* dormant pacts set no alignment, unless a spec asks for them: the 1959 US-Pakistan defence pact
     * is dormant in pacts.csv, so the pair's live pacts are ASEAN's TAC (non-aggression) only */
    const ent_dyad_t *up = pair(&d, w, "USA", "PAK");
    if (up) {
        CHECK(up->dormant_pacts >= 1 && (up->dormant_obligations & ENT_OBL_DEFENSE));
        CHECK(!(up->obligations & ENT_OBL_DEFENSE));
        ent_dyad_terms_t t;
        ent_dyad_terms(&t, up, d.max_tier, &bl);
        CHECK_NEAR(t.pact, 0.5 / (up->nonagg_parties - 1), 1e-12); /* the TAC's share, not the defence pact */
        ent_signed_spec_t s = bl;
        s.dormant = 1;
        ent_dyad_terms(&t, up, d.max_tier, &s);
        CHECK(t.pact == 1);
        ent_dyad_terms(&t, up, d.max_tier, &la);
        CHECK(t.pact == 0.25); /* the landscape's non-aggression weight, not its defence weight */
    }
    /* the graph: world order, one edge per non-zero dyad, as the blocs network */
    ent_signed_t g, h;
    ent_signed_init(&g);
    ent_signed_init(&h);
    ent_vec_t st;
    ent_vec_init(&st, sizeof(int64_t));
    CHECK_OK(ent_signed_from_dyads(&g, &st, &d, w, &bl));
    CHECK_OK(ent_blocs_network(&h, NULL, w, 20241231, NULL));
    CHECK(g.n == h.n && g.m == h.m);
    for (size_t e = 0; e < g.m && e < h.m; e++) {
        CHECK(g.eu[e] == h.eu[e] && g.ev[e] == h.ev[e] && g.ew[e] == h.ew[e]);
    }
    for (size_t k = 1; k < st.len; k++) {
        CHECK(ENT_VEC_AT(&st, int64_t, k - 1) < ENT_VEC_AT(&st, int64_t, k));
    }
    /* the balance dynamics' graph is the balance spec's, in world order too */
    ent_signed_t b;
    ent_signed_init(&b);
    ent_balance_world_stats_t bs;
    CHECK_OK(ent_balance_world_graph(&b, &bs, w, 20241231, 1));
    int32_t chn = ent_signed_find(&b, "CHN"), jpn = ent_signed_find(&b, "JPN"), usa = ent_signed_find(&b, "USA");
    CHECK(usa >= 0 && usa < chn && chn < jpn); /* COW 2 < 710 < 740 */
    CHECK(bs.rivalries > 0 && bs.conflicts > 0 && bs.pacts > bs.rivalries);
    ent_signed_destroy(&b);

    /* a bad spec is refused with the field's name */
    ent_signed_spec_t bad = bl;
    bad.rivalry = -1;
    ent_signed_t z;
    ent_signed_init(&z);
    CHECK_RC(ent_signed_from_dyads(&z, NULL, &d, w, &bad), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "rivalry");
    bad = bl;
    bad.version = 99;
    CHECK_RC(ent_signed_from_world(&z, NULL, w, 20241231, &bad), ENT_EINVAL);
    ent_signed_destroy(&z);
    /* before the data: no tie in force */
    ent_signed_init(&z);
    CHECK_RC(ent_signed_from_world(&z, NULL, w, 17000101, &bl), ENT_ERANGE);
    ent_signed_destroy(&z);

    /*
     * The known wrong result: the blocs communities of 2024-12-31 put Japan, South Korea and the
     * Philippines in China's community (the TAC at half a defence pact for each of its 561 pairs).
     * With a non-aggression-only pact weighted per party (0.5 / 33 for the TAC) Japan and South
     * Korea are with the United States, not China (at a flat 0.125 they stayed with China). The
     * Philippines is not checked: its pacts with Thailand, India and Switzerland keep it in the
     * regional community (docs/measures.md says so).
     */
    ent_communities_t cm;
    ent_communities_init(&cm);
    CHECK_OK(ent_blocs_communities(&cm, &h, NULL));
    if (cm.membership.len == (size_t)h.n) {
        const int32_t *mem = cm.membership.data;
        int32_t c_chn = mem[ent_signed_find(&h, "CHN")], c_usa = mem[ent_signed_find(&h, "USA")];
        const char *allies[] = {"JPN", "ROK"};
        for (size_t k = 0; k < 2; k++) {
            int32_t c = mem[ent_signed_find(&h, allies[k])];
            if (c == c_chn || c != c_usa) {
                fprintf(stderr, "%s: community %d, China's %d, the US's %d\n", allies[k], (int)c, (int)c_chn,
                        (int)c_usa);
                check_failures++;
            }
        }
    }
    ent_communities_destroy(&cm);

    ent_vec_destroy(&st);
    ent_signed_destroy(&g);
    ent_signed_destroy(&h);
    ent_dyads_destroy(&d);
    ent_world_free(w);
}

/* ---------------------------------------------------------------- the solver entry point */

static void solver_policy(void)
{
    /* Gahuku-Gama-like toy: two friendly triangles at odds, one frustrated tie: L = 1 */
    ent_signed_t g;
    ent_signed_init(&g);
    const char *lab[] = {"A", "B", "C", "D", "E", "F"};
    int32_t id[6];
    for (int i = 0; i < 6; i++) {
        CHECK_OK(ent_signed_node(&g, lab[i], &id[i], NULL));
    }
    const int ed[][3] = {{0, 1, 1}, {1, 2, 1},  {0, 2, 1},  {3, 4, 1}, {4, 5, 1},
                         {3, 5, 1}, {0, 3, -1}, {2, 5, -1}, {1, 4, 1}, {2, 3, -1}};
    for (size_t e = 0; e < sizeof ed / sizeof ed[0]; e++) {
        CHECK_OK(ent_signed_edge(&g, id[ed[e][0]], id[ed[e][1]], ed[e][2], NULL));
    }
    ent_solve_result_t r;
    ent_solve_result_init(&r);
    ent_solve_options_t o = ENT_SOLVE_OPTIONS_INIT;
    /* AUTO without minima: the exact solver */
    CHECK_OK(ent_partition_solve(&r, &g, &o));
    CHECK(r.used == ENT_SOLVE_EXACT && !r.enumerated);
    CHECK(r.best.optimal && r.best.value == 1);
    /* AUTO with minima on a small graph: enumeration, same optimum, minima and basins */
    o.minima = true;
    CHECK_OK(ent_partition_solve(&r, &g, &o));
    CHECK(r.used == ENT_SOLVE_EXHAUSTIVE && r.enumerated && r.basins);
    CHECK(r.best.optimal && r.best.value == 1);
    CHECK(r.configs == 32 && r.nminima >= 1 && r.minima.len == r.nminima);
    uint64_t basin = 0;
    for (size_t k = 0; k < r.minima.len; k++) {
        basin += ENT_VEC_AT(&r.minima, ent_local_min_t, k).basin;
    }
    CHECK(basin == 32);
    /* beyond exhaustive_max: exact again */
    o.exhaustive_max = 5;
    CHECK_OK(ent_partition_solve(&r, &g, &o));
    CHECK(r.used == ENT_SOLVE_EXACT && !r.enumerated && r.minima.len == 0);
    /* forced methods */
    o.method = ENT_SOLVE_HEURISTIC;
    CHECK_OK(ent_partition_solve(&r, &g, &o));
    CHECK(r.used == ENT_SOLVE_HEURISTIC && r.best.value == 1);
    CHECK_STR(r.best.method, "heuristic");
    ent_solve_method_t m;
    CHECK_OK(ent_solve_method_parse(&m, "exhaustive"));
    CHECK(m == ENT_SOLVE_EXHAUSTIVE);
    CHECK_STR(ent_solve_method_name(ENT_SOLVE_AUTO), "auto");
    CHECK_RC(ent_solve_method_parse(&m, "annealing"), ENT_EINVAL);
    /* errors */
    o.method = (ent_solve_method_t)9;
    CHECK_RC(ent_partition_solve(&r, &g, &o), ENT_EINVAL);
    o.method = ENT_SOLVE_AUTO;
    o.time_limit = -1;
    CHECK_RC(ent_partition_solve(&r, &g, &o), ENT_EINVAL);
    o.time_limit = 60;
    o.version = 7;
    CHECK_RC(ent_partition_solve(&r, &g, &o), ENT_EINVAL);
    ent_solve_options_t oi;
    CHECK_OK(ent_solve_options_init(&oi, ENT_SOLVE_OPTIONS_VERSION));
    CHECK(oi.method == ENT_SOLVE_AUTO && oi.time_limit == 60.0 && oi.exhaustive_max == 24);
    CHECK_RC(ent_solve_options_init(&oi, 99), ENT_EINVAL);
    /* the cancel flag reaches the solver */
    volatile sig_atomic_t stop = 1;
    oi.cancel = &stop;
    oi.method = ENT_SOLVE_HEURISTIC;
    CHECK_RC(ent_partition_solve(&r, &g, &oi), ENT_EINTERRUPTED);
    oi.method = ENT_SOLVE_EXHAUSTIVE;
    oi.minima = true;
    CHECK_RC(ent_partition_solve(&r, &g, &oi), ENT_EINTERRUPTED);
    ent_solve_result_destroy(&r);
    ent_signed_destroy(&g);
}

int main(void)
{
    solver_policy();
    shipped_2024();
    return CHECK_DONE();
}
