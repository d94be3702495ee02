/*
 * params.c -- the alignment model's parameter table: every scalar a scenario
 * can set, its default, its valid range and the reason for the default. The
 * scenario reader validates against it; docs/models/alignment.md explains it.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "entente/sim.h"

#define F(field) offsetof(ent_scenario_t, field)

static const ent_sim_param_t table[] = {
    /* key, offset, per_pole, type, default, min, max, why */
    {"start_year", F(start_year), false, 'i', 2024, 2000, 2100, "the shipped world describes the system as of 2024"},
    {"years", F(years), false, 'i', 30, 1, 200, "a generation: long enough for norms to erode"},
    {"runs", F(runs), false, 'l', 500, 1, 100000000,
     "500 runs (~40 ms each): a 95% Wilson interval within +-4.4 points; parameter uncertainty is wider"},
    {"seed", F(seed), false, 'u', 20211115, 0, 4294967295.0, "the essay's publication date"},
    {"report_year", F(report_year), false, 'i', 2035, 2000, 2300,
     "the essay's horizon: the decade of 'long-term competition'"},

    {"growth", F(growth), true, 'd', 0.0, -0.2, 0.2,
     "per-pole log drift of the capability share; scenarios set it (CINC trends: see docs)"},
    {"growth_other", F(growth_other), false, 'd', 0.0, -0.2, 0.2,
     "shares of other states drift only by noise unless a scenario says otherwise"},
    {"growth_sd", F(growth_sd), false, 'd', 0.02, 0.0, 0.5,
     "sd of yearly log CINC changes of major states 1990-2022 is about 0.02-0.05"},

    {"distance_scale_km", F(distance_scale_km), false, 'd', 2500, 100, 50000,
     "threat halves every ~1,700 km: Walt's proximity; Boulding's loss-of-strength gradient"},
    {"presence_weight", F(presence_weight), false, 'd', 1.0, 0.0, 1.0,
     "bases and (for states projecting power) allies' territory are presence: US forces in Japan are near China"},
    {"threat_reference", F(threat_reference), false, 'd', 0.01, 1e-6, 10.0,
     "index log(1 + T/0.01); 0.01 = a 10%-capability rival, hostility 0.5, 4,000 km: small threats not hypersensitive"},
    {"encirclement", F(encirclement), false, 'd', 1.0, 0.0, 10.0,
     "the rival bloc's capability near a pole counts like a hostile neighbour's"},
    {"spiral", F(spiral), false, 'd', 0.5, 0.0, 10.0,
     "the rival's tightening adds half its weight to the threat felt (security dilemma, Jervis 1978)"},

    {"norm0", F(norm0), true, 'd', 0.0, 0.0, 1.0,
     "set per pole: China's non-alliance norm high, the US's low (the essay)"},
    {"ambition", F(ambition), true, 'd', 0.0, 0.0, 1.0, "a bid for primacy: scenario 2 raises China's"},
    {"threat_tolerance", F(threat_tolerance), true, 'd', 0.22, 0.0, 10.0,
     "prior: the norm erodes once the threat index rises 0.22 over 2024 (+25% for a pole under real threat)"},
    {"kappa_threat", F(kappa_threat), false, 'd', 0.2, 0.0, 5.0,
     "a rise of the threat index by 0.69 (a doubling) over the tolerance erodes the norm by ~0.14 a year"},
    {"kappa_ambition", F(kappa_ambition), false, 'd', 0.05, 0.0, 5.0,
     "full ambition erodes the norm by 0.05 a year: a decade to move from partner to builder"},
    {"kappa_restore", F(kappa_restore), false, 'd', 0.05, 0.0, 1.0,
     "without pressure the norm returns toward its initial value, half-life ~14 years"},
    {"builder_pacts", F(builder_pacts), false, 'i', 2, 1, 100,
     "two new defence pacts: a practice of alliance-making, not a single exception (China has one pact since 1961)"},

    {"norm_weight", F(norm_weight), false, 'd', 2.0, 0.0, 20.0,
     "prior centre: at norm 0.85 the fit gives China 0.021 new pacts/yr in 2024 (none since 1961); 0.86 at 0"},
    {"ambition_weight", F(ambition_weight), false, 'd', 2.0, 0.0, 20.0,
     "prior: full ambition multiplies a pole's odds of consenting by e^2 (about 7)"},
    {"tightening_weight", F(tightening_weight), false, 'd', 0.5, 0.0, 20.0,
     "prior: full tightening multiplies a pole's odds of consenting by e^0.5 (AUKUS-type new arrangements)"},
    {"pact_inertia", F(pact_inertia), false, 'd', 1.2, 0.0, 100.0,
     "a state keeps faith with a treaty in force: aligning with its pole is worth 2 x 1.2 more (fitted, docs)"},

    {"beta_security", F(beta_security), false, 'd', 2.0, 0.0, 1000.0,
     "security in alignment choices: a 10% threat reduction is worth 0.2 (fitted on Cold War security ties)"},
    {"beta_economy", F(beta_economy), false, 'd', 2.0, 0.0, 1000.0, "trade dependence of 50% on a pole is worth 1.0"},
    {"beta_foreign", F(beta_foreign), false, 'd', 0.5, 0.0, 1000.0,
     "UN ideal-point gap (best non-network predictor of new pacts) over the poles' gap: voting with p is worth 0.5"},
    {"beta_regime", F(beta_regime), false, 'd', 0.3, 0.0, 1000.0,
     "regime similarity helps (Lai & Reiter 2000), weaker than foreign-policy preference"},
    {"beta_coercion", F(beta_coercion), false, 'd', 2.0, 0.0, 1000.0,
     "expected coercion by the defied pole weighs like lost trade"},
    {"beta_entrapment", F(beta_entrapment), false, 'd', 1.0, 0.0, 1000.0,
     "fear of being drawn into the pole's wars (Snyder 1984)"},
    {"beta_autonomy", F(beta_autonomy), false, 'd', 2.0, 0.0, 1000.0,
     "the price of Finlandization (an alliance costs half): autonomy is dear, Finlandization rare"},
    {"switching_cost", F(switching_cost), false, 'd', 5.0, 0.0, 1000.0,
     "alignments are sticky: calibrated so the 2024 world is near steady in the first years"},
    {"temperature", F(temperature), false, 'd', 1.0, 0.01, 100.0, "logit scale of the random-utility choice"},
    {"finland_distance_km", F(finland_distance_km), false, 'd', 3000, 0, 20000,
     "Finlandization happens in the shadow of a near great power (Finland 1948, Mongolia)"},

    {"prior_spread", F(prior_spread), false, 'd', 1.0, 0.0, 3.0,
     "each run draws the unidentified response parameters from their priors; 0 turns parameter uncertainty off"},
    {"record", F(record), false, 'i', 1, 0, 1,
     "1: each run's norm draws are conditioned on the poles' record 1991-2018 (data/params/record.json); 0: the prior"},
    {"tier_drift", F(tier_drift), false, 'd', 0.25, 0.0, 8.0,
     "a partnership moves one tier in about four years of aligned behaviour"},
    {NULL, 0, false, 0, 0, 0, 0, NULL},
};

const ent_sim_param_t *ent_sim_params(void)
{
    return table;
}

/*
 * The priors of the parameters history cannot identify. The spreads are anchored on the cases where
 * a non-alignment norm gave way (docs/models/alignment.md, "What is prior"): the US in 1947-49 (a
 * 150-year rule against entangling alliances ended within two years of the Czech coup and the Berlin
 * blockade: fast erosion under a sharp threat), India in 1971 (the Indo-Soviet treaty signed within
 * months of the Bangladesh crisis, non-alignment kept in name: a partial step under threat), Sweden and
 * Finland in 2022 (two centuries and seven decades of non-alignment ended within three months of the
 * invasion of Ukraine), against decades when the same norms held under lesser threat (China since 1980,
 * India after 1971, Sweden through the Cold War).
 */
static const ent_sim_prior_t priors[] = {
    {"kappa_threat", 'l', 0.6,
     "95% in x/3.2: a norm gone within 1-2 years of a threat jump (US 1948, Sweden and Finland 2022) to decades"},
    {"threat_tolerance", 'l', 0.5, "95% in x/2.7: how much more threat a norm absorbs (India 1962-71: a war, no pact)"},
    {"kappa_ambition", 'l', 0.6,
     "95% in x/3.2: ambition erodes a norm over 5 to 50 years (the US 1945-49 at the fast end)"},
    {"kappa_restore", 'l', 0.5, "95% in x/2.7: a norm's return without pressure (India's non-alignment after 1971)"},
    {"norm0", 'g', 0.5,
     "China 0.85: 95% in 0.68-0.94; the US 0.05: 0.02-0.12 (the essay's reading, not a measurement)"},
    {"temperature", 'l', 0.35,
     "95% in x/2: only beta/temperature is identified (UN-vote fit: docs); halving it moved Vietnam 0.35 -> 0.02"},
    {"beta_foreign", 'l', 0.4,
     "95% in x/2.2: the weight of UN voting against regime and security in alignment choices"},
    {"beta_regime", 'l', 0.4,
     "95% in x/2.2: regime similarity's weight (Lai & Reiter 2000: real, smaller than security)"},
    {"switching_cost", 'l', 0.3, "95% in x/1.8: how sticky alignments are (set so 2024 is near steady)"},
    {"beta_security", 'l', 0.7,
     "95% in 0.5-8: fitted 1.75 (se 2.4) on Cold War security ties, bounded above (8 rejected, p ~ 0.01); docs"},
    {"pact_inertia", 'l', 0.2, "95% in x/1.5: fitted 1.22 (se 0.22) on Cold War security ties (docs)"},
    {"norm_weight", 'l', 0.5,
     "95% in x/2.7: how much a norm of 0.85 holds back (China formed no pact since 1961; India none 1947-71)"},
    {"ambition_weight", 'l', 0.5, "95% in x/2.7: what a bid for primacy adds to a pole's willingness (the US 1947-49)"},
    {"tightening_weight", 'l', 0.5, "95% in x/2.7: how far deepening alliances also means new ones (AUKUS 2021)"},
    {NULL, 0, 0, NULL},
};

const ent_sim_prior_t *ent_sim_priors(void)
{
    return priors;
}

/* One prior draw of table parameter p (prior pr) into s around centre's value. */
static void draw_one(const ent_sim_prior_t *pr, const ent_sim_param_t *p, ent_scenario_t *s,
                     const ent_scenario_t *centre, ent_rng_t *rng)
{
    double *v = (double *)((char *)s + p->offset);
    const double *c = (const double *)((const char *)centre + p->offset);
    for (int k = 0; k < (p->per_pole ? s->npoles : 1); k++) {
        double z = ent_rng_normal(rng) * pr->sd * s->prior_spread, x = c[k];
        if (pr->form == 'l') {
            x = x * exp(z);
        } else if (x > 0 && x < 1) {
            x = 1.0 / (1.0 + exp(-(log(x / (1 - x)) + z)));
        }
        v[k] = x < p->min ? p->min : (x > p->max ? p->max : x);
    }
}

static const ent_sim_param_t *param_of(const char *key)
{
    const ent_sim_param_t *p = table;
    while (p->key && strcmp(p->key, key) != 0) {
        p++;
    }
    return p->key && p->type == 'd' ? p : NULL; /* the tables are checked against each other by tests */
}

void ent_scenario_draw_priors(ent_scenario_t *s, uint64_t seed, uint64_t run)
{
    if (s->prior_spread <= 0) {
        return;
    }
    /* a generator of its own: the run's stream (seed, run) stays what it was without priors */
    ent_rng_t rng;
    ent_rng_seed(&rng, seed ^ 0x7072696f72735eedULL, run);
    ent_scenario_t centre = *s;
    for (const ent_sim_prior_t *pr = priors; pr->key; pr++) {
        const ent_sim_param_t *p = param_of(pr->key);
        if (p) {
            draw_one(pr, p, s, &centre, &rng);
        }
    }
}

void ent_scenario_redraw_norms(ent_scenario_t *s, const ent_scenario_t *centre, ent_rng_t *rng)
{
    if (s->prior_spread <= 0) {
        return;
    }
    for (const ent_sim_prior_t *pr = priors; pr->key; pr++) {
        const ent_sim_param_t *p = param_of(pr->key);
        if (p && (strcmp(pr->key, "norm0") == 0 || strcmp(pr->key, "norm_weight") == 0)) {
            draw_one(pr, p, s, centre, rng);
        }
    }
}

void ent_scenario_defaults(ent_scenario_t *s)
{
    memset(s, 0, sizeof *s);
    s->version = ENT_SCENARIO_VERSION;
    for (const ent_sim_param_t *p = table; p->key; p++) {
        char *base = (char *)s + p->offset;
        for (int k = 0; k < (p->per_pole ? ENT_SIM_MAX_POLES : 1); k++) {
            switch (p->type) {
            case 'd': ((double *)base)[k] = p->def; break;
            case 'i': ((int *)base)[k] = (int)p->def; break;
            case 'l': ((int64_t *)base)[k] = (int64_t)p->def; break;
            case 'u': ((uint64_t *)base)[k] = (uint64_t)p->def; break;
            }
        }
    }
    snprintf(s->name, sizeof s->name, "%s", "default");
    s->poles[0] = 2;   /* USA */
    s->poles[1] = 710; /* CHN */
    s->npoles = 2;
    /* China's norm against alliances is strong, the US has none (the essay); see docs. */
    s->norm0[0] = 0.05;
    s->norm0[1] = 0.85;
}
