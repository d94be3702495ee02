/*
 * world_facts.c -- the dated facts of the shipped world v2 (issue 13), asserted
 * on data/: ATOP's phases kept (no obligation before the phase that creates
 * it), dormant treaties listed but setting no alignment, the 2023-25 pacts,
 * partnership upgrades, rivalries, coercion, forces and events, the trade and
 * finance figures derived from their sources, and the 2024 UN votes. Each check
 * names the row it rests on; if the data drift, this fails.
 */
#include <math.h>

#include "check.h"

static const ent_world_t *W;

static int64_t S(const char *code)
{
    int64_t i = -1;
    if (ent_world_find(&i, W, code) != ENT_OK) {
        fprintf(stderr, "state %s not in the shipped world\n", code);
        check_failures++;
    }
    return i;
}

static bool dyad(const ent_tie_t *t, int64_t x, int64_t y)
{
    return (t->a == x && t->b == y) || (t->a == y && t->b == x);
}

/* The first tie of `kind` between a and b active on `on` whose moniker contains `name` (any when NULL). */
static const ent_tie_t *tie(const char *a, const char *b, ent_tie_kind_t kind, const char *name, ent_date_t on)
{
    int64_t x = S(a), y = S(b);
    for (size_t k = 0; k < ent_world_nties(W); k++) {
        const ent_tie_t *t = ent_world_tie(W, k);
        if (t->kind == kind && dyad(t, x, y) && ent_tie_active(t, on) && (!name || strstr(t->moniker, name))) {
            return t;
        }
    }
    return NULL;
}

/* A live (not dormant) defence pact between a and b on `on`. */
static bool allied(const char *a, const char *b, ent_date_t on)
{
    int64_t x = S(a), y = S(b);
    for (size_t k = 0; k < ent_world_nties(W); k++) {
        const ent_tie_t *t = ent_world_tie(W, k);
        if (t->kind == ENT_TIE_PACT && (t->obligations & ENT_OBL_DEFENSE) && !t->dormant && dyad(t, x, y) &&
            ent_tie_active(t, on)) {
            return true;
        }
    }
    return false;
}

static bool coerced(const char *sender, const char *target, ent_date_t start)
{
    int64_t s = S(sender), t = S(target);
    for (size_t k = 0; k < ent_world_nties(W); k++) {
        const ent_tie_t *x = ent_world_tie(W, k);
        if (x->kind == ENT_TIE_COERCION && x->a == s && x->b == t && x->start == start) {
            return true;
        }
    }
    return false;
}

static int tier(const char *partner, ent_date_t on)
{
    const ent_tie_t *t = tie("CHN", partner, ENT_TIE_PARTNERSHIP, NULL, on);
    return t ? (int)t->level : 0;
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
        hx = hx && hy;
        if (e->date == date && hx) {
            return true;
        }
    }
    return false;
}

int main(void)
{
    ent_world_t *w;
    if (ent_world_load_dir(&w, ent_world_default_dir()) != ENT_OK) {
        fprintf(stderr, "cannot load the shipped world: %s\n", ent_errmsg());
        return 1;
    }
    W = w;
    const ent_tie_t *t;

    /* ATOP phases: the EU's mutual-assistance clause (Lisbon, ATOP 4175 phase 2) from 2007-11-13 only */
    t = tie("FRN", "GMY", ENT_TIE_PACT, "Treaty on European Union", 20000101);
    CHECK(t && !(t->obligations & ENT_OBL_DEFENSE) && (t->obligations & ENT_OBL_CONSUL));
    t = tie("FRN", "GMY", ENT_TIE_PACT, "Treaty on European Union", 20100101);
    CHECK(t && (t->obligations & ENT_OBL_DEFENSE));
    /* the Shanghai Five's consultation obligation from the 2001 phase, not from 1996 */
    t = tie("CHN", "RUS", ENT_TIE_PACT, "Shanghai", 19990101);
    CHECK(t && !(t->obligations & ENT_OBL_CONSUL));
    t = tie("CHN", "RUS", ENT_TIE_PACT, "Shanghai", 20020101);
    CHECK(t && (t->obligations & ENT_OBL_CONSUL));
    /* SADC's 2003 Mutual Defence Pact */
    t = tie("SAF", "ZIM", ENT_TIE_PACT, "SADC", 20020101);
    CHECK(t && !(t->obligations & ENT_OBL_DEFENSE));
    CHECK(tie("SAF", "ZIM", ENT_TIE_PACT, "SADC", 20040101) != NULL &&
          (tie("SAF", "ZIM", ENT_TIE_PACT, "SADC", 20040101)->obligations & ENT_OBL_DEFENSE));

    /* Dormant: the 1959 US-Pakistan agreement is a live alliance in 1980, dormant from 1990-10-01 */
    CHECK(allied("USA", "PAK", 19800630));
    t = tie("USA", "PAK", ENT_TIE_PACT, "3355", 20241231);
    CHECK(t && t->dormant && (t->obligations & ENT_OBL_DEFENSE));
    CHECK(!allied("USA", "PAK", 20241231));
    ent_pyramid_t p;
    ent_pyramid_init(&p);
    CHECK_OK(ent_pyramid_build(&p, w, S("PAK"), 20241231));
    CHECK(p.allies.len == 0); /* listed among the other pacts instead */
    ent_pyramid_destroy(&p);
    /* the inter-Korean basic agreement, and Armenia's frozen CSTO participation */
    t = tie("PRK", "ROK", ENT_TIE_PACT, "Reconciliation", 20241231);
    CHECK(t && t->dormant);
    t = tie("ARM", "RUS", ENT_TIE_PACT, "Collective Security", 20231231);
    CHECK(t && !t->dormant);
    t = tie("ARM", "RUS", ENT_TIE_PACT, "Collective Security", 20241231);
    CHECK(t && t->dormant);
    t = tie("KZK", "RUS", ENT_TIE_PACT, "Collective Security", 20241231);
    CHECK(t && !t->dormant); /* the CSTO itself lives */

    /* Ended, left, added */
    CHECK(tie("SPN", "ALG", ENT_TIE_PACT, "5022", 20220607) != NULL);
    CHECK(tie("SPN", "ALG", ENT_TIE_PACT, "5022", 20220609) == NULL);
    CHECK(allied("MLI", "NIR", 20231001) && allied("MLI", "BFO", 20231001) && allied("NIR", "BFO", 20231001));
    CHECK(tie("MLI", "NIR", ENT_TIE_PACT, "Sahel", 20230901) == NULL);
    CHECK(tie("MLI", "NIR", ENT_TIE_PACT, "Sahel", 20231001) != NULL);
    CHECK(tie("NIR", "NIG", ENT_TIE_PACT, "ECOWAS", 20241231) != NULL);
    CHECK(tie("NIR", "NIG", ENT_TIE_PACT, "ECOWAS", 20250201) == NULL);
    CHECK(allied("USA", "FSM", 20241231) && allied("USA", "MSI", 20241231) && allied("USA", "PAL", 20241231));
    CHECK(tie("RUS", "BLR", ENT_TIE_PACT, "Security Guarantees", 20241206) != NULL);
    CHECK(tie("CHN", "SOL", ENT_TIE_PACT, NULL, 20241231) != NULL);
    CHECK(!allied("CHN", "SOL", 20241231)); /* a security agreement, not an alliance */
    CHECK(allied("SAU", "PAK", 20250917) && !allied("SAU", "PAK", 20250916));
    CHECK(allied("FRN", "POL", 20250601));
    t = tie("RUS", "IRN", ENT_TIE_PACT, "Russia and Iran", 20250601);
    CHECK(t && !(t->obligations & ENT_OBL_DEFENSE) && (t->obligations & ENT_OBL_NEUTRAL));

    /* China's partnerships: Brunei from 2018-11-19; the 2023-24 upgrades */
    CHECK(tier("BRU", 20170101) == 0 && tier("BRU", 20181119) == 4);
    CHECK(tier("ANG", 20240316) == 6 && tier("ANG", 20240314) == 3);
    CHECK(tier("NIC", 20231220) == 3 && tier("SLO", 20241101) == 3 && tier("TUN", 20240531) == 3);
    t = tie("CHN", "MLI", ENT_TIE_PARTNERSHIP, NULL, 20240903); /* FOCAC 2024: the bilateral moniker */
    CHECK(t && strcmp(t->moniker, "Strategic Partnership") == 0 && t->start == 20240902);
    CHECK(tier("CAO", 20240904) == 5 && tier("UGA", 20241001) == 6 && tier("SAF", 20240905) == 6);

    /* Rivalries active in 2020 per TSS, with their later ends */
    CHECK(tie("VEN", "GUY", ENT_TIE_RIVALRY, NULL, 20241231) != NULL);
    CHECK(tie("DRC", "RWA", ENT_TIE_RIVALRY, NULL, 20241231) != NULL);
    CHECK(tie("SAU", "QAT", ENT_TIE_RIVALRY, NULL, 20200101) != NULL);
    CHECK(tie("SAU", "QAT", ENT_TIE_RIVALRY, NULL, 20210106) == NULL); /* Al-Ula */
    CHECK(tie("EQG", "GAB", ENT_TIE_RIVALRY, NULL, 20241231) != NULL); /* TSS's code 438 corrected to 411 */

    /* Coercion episodes */
    CHECK(coerced("CHN", "JPN", 20120900) || coerced("CHN", "JPN", 20120901));
    CHECK(coerced("CHN", "TAW", 20240101) && coerced("CHN", "TAW", 20240615));
    CHECK(coerced("JPN", "ROK", 20190704));
    CHECK(coerced("RUS", "TUR", 20151128));
    CHECK(tie("CHN", "CZR", ENT_TIE_COERCION, NULL, 20200601) != NULL);

    /* Russian forces in Africa; Chinese arms to Algeria and Nigeria */
    CHECK(tie("RUS", "MLI", ENT_TIE_SECURITY, NULL, 20241231) && tie("RUS", "CEN", ENT_TIE_SECURITY, NULL, 20241231));
    CHECK(tie("CHN", "ALG", ENT_TIE_SECURITY, "Algeria", 20241231) != NULL);
    CHECK(tie("CHN", "NIG", ENT_TIE_SECURITY, "Nigeria", 20241231) != NULL);

    /* RIMPAC: Mexico from 2012; New Zealand absent 1986-2010 */
    CHECK(tie("USA", "MEX", ENT_TIE_SECURITY, "RIMPAC", 20121231) != NULL);
    CHECK(tie("USA", "NEW", ENT_TIE_SECURITY, "RIMPAC", 19980101) == NULL);
    CHECK(tie("USA", "NEW", ENT_TIE_SECURITY, "RIMPAC", 19820101) != NULL);
    CHECK(tie("USA", "NEW", ENT_TIE_SECURITY, "RIMPAC", 20141231) != NULL);

    /* As of: the latest event, with the 2025 facts */
    CHECK(ent_world_as_of(w) >= 20250917);
    CHECK(event(20250917, "SAU", "PAK"));
    CHECK(event(20241206, "RUS", "BLR"));

    /* Economics: derived shares with their year; estimates only where no source covers the state */
    size_t est = 0;
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        est += ent_world_state(w, i)->econ_estimate;
    }
    CHECK(est <= 5);
    const ent_state_t *ken = ent_world_state(w, (size_t)S("KEN"));
    CHECK(ken->econ_year == 2024 && !ken->econ_estimate && ken->trade_share_chn > 0 && ken->trade_share_chn < 1);
    CHECK(ken->chn_finance_usd_bn > 1); /* AidData: billions committed 2000-2021 */
    CHECK(ent_world_state(w, (size_t)S("PRK"))->econ_estimate);
    CHECK(isnan(ent_world_state(w, (size_t)S("CHN"))->trade_share_chn));

    /* UN votes 2024: Pakistan votes with China far more than with the US, over 100 votes */
    const ent_state_t *pak = ent_world_state(w, (size_t)S("PAK"));
    CHECK(pak->unga_year == 2024 && pak->unga_votes >= ENT_UNGA_MIN_VOTES);
    CHECK(pak->unga_agree_chn > pak->unga_agree_usa + 0.3);
    const ent_state_t *usa = ent_world_state(w, (size_t)S("USA"));
    CHECK(isnan(usa->unga_agree_usa) && usa->unga_ideal > 1.5);
    CHECK(ent_world_state(w, (size_t)S("TAW"))->unga_year == 0); /* not a UN member */

    ent_world_free(w);
    return CHECK_DONE();
}
