/*
 * sim_scenario.c -- the scenario reader (src/sim/scenario.c): a full scenario
 * lands field by field, absent keys keep the documented defaults, and every
 * kind of mistake gives the right code and a message naming file:line:column
 * and the key. Most cases run without a world (numeric COW codes); a few
 * resolve names through the shipped world in data/.
 */
#include <unistd.h>

#include "check.h"
#include "entente/sim.h"

#define NAME "t.yaml"

static const char *FULL = "# a full scenario: every section\n"
                          "name: baseline\n"
                          "description: >\n"
                          "  Two poles, a crisis\n"
                          "  and a pact.\n"
                          "start_year: 2025\n"
                          "years: 20\n"
                          "runs: 500\n"
                          "seed: 4294967295\n"
                          "report_year: 2040\n"
                          "poles: [2, 710]\n"
                          "parameters:\n"
                          "  kappa_threat: 0.2\n"
                          "  norm0: {710: 0.8, 2: 0.1}\n"
                          "  growth: {710: 0.01, 2: -0.005}\n"
                          "  ambition: {710: 0.3}\n"
                          "  threat_tolerance: {2: 1.5, 710: 2}\n"
                          "  growth_override: {750: 0.02, 740: -0.01}\n"
                          "  builder_pacts: 5\n"
                          "  distance_scale_km: 3000\n"
                          "  temperature: 0.5\n"
                          "  growth_sd: 0\n"
                          "levers:\n"
                          "  2: {tightening: 0.6, engagement: 0.2}\n"
                          "  710:\n"
                          "    inducements: 0.5\n"
                          "    coercion: 1\n"
                          "    wedge: 0\n"
                          "shocks:\n"
                          "  - {year: 2027, kind: crisis, a: 710, b: 713, magnitude: 0.6, duration: 3}\n"
                          "  - {year: 2030, kind: pact, a: 710, b: 365}\n"
                          "  - year: 2028\n"
                          "    kind: growth\n"
                          "    a: 710\n"
                          "    magnitude: -0.1\n"
                          "  - {year: 2045, kind: war, a: 2, b: 365, magnitude: 1}\n"
                          "  - {year: 2025, kind: sanctions, a: 2, b: 710, magnitude: 0.3}\n"
                          "outputs: [pacts, blocs, bipolarity, hedgers, finlandized, norm, frustration, alignment]\n";

static ent_err_t parse(ent_scenario_t *s, const char *text, const ent_world_t *w)
{
    return ent_scenario_parse(s, NAME, text, strlen(text), w);
}

static void test_full(void)
{
    ent_scenario_t s, d;
    ent_scenario_defaults(&d);
    CHECK_OK(parse(&s, FULL, NULL));
    CHECK(s.version == ENT_SCENARIO_VERSION);
    CHECK_STR(s.name, "baseline");
    CHECK_STR(s.description, "Two poles, a crisis and a pact.\n");
    CHECK(s.start_year == 2025);
    CHECK(s.years == 20);
    CHECK(s.runs == 500);
    CHECK(s.seed == 4294967295u);
    CHECK(s.report_year == 2040);
    CHECK(s.poles[0] == 2 && s.poles[1] == 710);
    CHECK_NEAR(s.kappa_threat, 0.2, 0);
    CHECK_NEAR(s.norm0[0], 0.1, 0);
    CHECK_NEAR(s.norm0[1], 0.8, 0);
    CHECK_NEAR(s.growth[0], -0.005, 0);
    CHECK_NEAR(s.growth[1], 0.01, 0);
    CHECK_NEAR(s.ambition[0], d.ambition[0], 0); /* not given for 2: default */
    CHECK_NEAR(s.ambition[1], 0.3, 0);
    CHECK_NEAR(s.threat_tolerance[0], 1.5, 0);
    CHECK_NEAR(s.threat_tolerance[1], 2.0, 0);
    CHECK(s.ngrowth_override == 2);
    CHECK(s.growth_override[0].ccode == 750);
    CHECK_NEAR(s.growth_override[0].value, 0.02, 0);
    CHECK(s.growth_override[1].ccode == 740);
    CHECK_NEAR(s.growth_override[1].value, -0.01, 0);
    CHECK(s.builder_pacts == 5);
    CHECK_NEAR(s.distance_scale_km, 3000, 0);
    CHECK_NEAR(s.temperature, 0.5, 0);
    CHECK_NEAR(s.growth_sd, 0, 0);
    /* untouched parameters keep their defaults */
    CHECK_NEAR(s.kappa_ambition, d.kappa_ambition, 0);
    CHECK_NEAR(s.beta_security, d.beta_security, 0);
    CHECK_NEAR(s.tier_drift, d.tier_drift, 0);
    CHECK_NEAR(s.levers[0].tightening, 0.6, 0);
    CHECK_NEAR(s.levers[0].engagement, 0.2, 0);
    CHECK_NEAR(s.levers[0].inducements, 0, 0);
    CHECK_NEAR(s.levers[0].coercion, 0, 0);
    CHECK_NEAR(s.levers[0].wedge, 0, 0);
    CHECK_NEAR(s.levers[1].tightening, 0, 0);
    CHECK_NEAR(s.levers[1].inducements, 0.5, 0);
    CHECK_NEAR(s.levers[1].coercion, 1, 0);
    CHECK_NEAR(s.levers[1].wedge, 0, 0);
    CHECK(s.nshocks == 5);
    const ent_shock_t *k = s.shocks;
    CHECK(k[0].year == 2027 && k[0].kind == ENT_SHOCK_CRISIS && k[0].a == 710 && k[0].b == 713 && k[0].duration == 3);
    CHECK_NEAR(k[0].magnitude, 0.6, 0);
    CHECK(k[1].year == 2030 && k[1].kind == ENT_SHOCK_PACT && k[1].a == 710 && k[1].b == 365 && k[1].duration == 1);
    CHECK_NEAR(k[1].magnitude, 0, 0);
    CHECK(k[2].year == 2028 && k[2].kind == ENT_SHOCK_GROWTH && k[2].a == 710 && k[2].b == 0 && k[2].duration == 1);
    CHECK_NEAR(k[2].magnitude, -0.1, 0);
    CHECK(k[3].year == 2045 && k[3].kind == ENT_SHOCK_WAR && k[3].a == 2 && k[3].b == 365); /* last year allowed */
    CHECK_NEAR(k[3].magnitude, 1, 0);
    CHECK(k[4].year == 2025 && k[4].kind == ENT_SHOCK_SANCTIONS); /* first year allowed */
}

/* Every table parameter of a and b equal (exactly: both come from the same defaults). */
static void check_same_params(const ent_scenario_t *a, const ent_scenario_t *b)
{
    for (const ent_sim_param_t *p = ent_sim_params(); p->key; p++) {
        const char *x = (const char *)a + p->offset, *y = (const char *)b + p->offset;
        for (int k = 0; k < (p->per_pole ? ENT_SIM_MAX_POLES : 1); k++) {
            bool same = false;
            switch (p->type) {
            case 'd': same = ((const double *)x)[k] == ((const double *)y)[k]; break;
            case 'i': same = ((const int *)x)[k] == ((const int *)y)[k]; break;
            case 'l': same = ((const int64_t *)x)[k] == ((const int64_t *)y)[k]; break;
            case 'u': same = ((const uint64_t *)x)[k] == ((const uint64_t *)y)[k]; break;
            }
            if (!same) {
                fprintf(stderr, "parameter %s[%d] differs from the default\n", p->key, k);
                check_failures++;
            }
        }
    }
}

static void test_defaults(void)
{
    ent_scenario_t s, d;
    ent_scenario_defaults(&d);
    CHECK_OK(parse(&s, "name: minimal\n", NULL));
    CHECK_STR(s.name, "minimal");
    CHECK_STR(s.description, d.description);
    check_same_params(&s, &d);
    CHECK(s.poles[0] == d.poles[0] && s.poles[1] == d.poles[1]);
    CHECK(s.nshocks == 0 && s.ngrowth_override == 0);
    CHECK(memcmp(s.levers, d.levers, sizeof s.levers) == 0);
    CHECK(s.version == d.version);

    /* Empty sections are allowed and change nothing. */
    CHECK_OK(parse(&s, "name: m\nparameters: {}\nlevers: {}\nshocks: []\noutputs: []\n", NULL));
    check_same_params(&s, &d);

    /* Per-pole defaults follow the state, and the poles come out in canonical order (lower COW code
     * first): listed as [710, 2], China (710) keeps its strong norm in the second slot. */
    CHECK_OK(parse(&s, "name: swapped\npoles: [710, 2]\n", NULL));
    CHECK(s.poles[0] == 2 && s.poles[1] == 710);
    CHECK_NEAR(s.norm0[0], d.norm0[0], 0);
    CHECK_NEAR(s.norm0[1], d.norm0[1], 0);
    /* A pole that is neither default pole gets the table default. */
    CHECK_OK(parse(&s, "name: other\npoles: [2, 365]\n", NULL));
    CHECK_NEAR(s.norm0[0], d.norm0[0], 0);
    CHECK_NEAR(s.norm0[1], 0.0, 0);

    /* Poles may come after the maps keyed by them. */
    CHECK_OK(parse(&s, "name: late\nparameters:\n  norm0: {365: 0.4}\npoles: [365, 2]\n", NULL));
    CHECK(s.poles[0] == 2 && s.poles[1] == 365);
    CHECK_NEAR(s.norm0[0], d.norm0[0], 0);
    CHECK_NEAR(s.norm0[1], 0.4, 0);

    /* YAML spellings that are still numbers; a quoted state code is fine. */
    CHECK_OK(parse(
        &s, "name: n\nparameters: {kappa_threat: .5, spiral: 1e-1, growth_sd: +0.25}\npoles: ['2', \"710\"]\n", NULL));
    CHECK_NEAR(s.kappa_threat, 0.5, 0);
    CHECK_NEAR(s.spiral, 0.1, 0);
    CHECK_NEAR(s.growth_sd, 0.25, 0);

    /* Single-quoted scalars are unquoted by the reader itself (a libfyaml leak): '' and line folding. */
    CHECK_OK(parse(&s, "name: 'it''s'\ndescription: 'one  \n   two\n\n  three '''''''''''''''\n", NULL));
    CHECK_STR(s.name, "it's");
    CHECK_STR(s.description, "one two\nthree '''''''");
    CHECK_OK(parse(&s, "'name': \"q\\u00e9\"\n'poles': ['710', '2']\n", NULL));
    CHECK_STR(s.name, "q\xc3\xa9");
    CHECK(s.poles[0] == 2 && s.poles[1] == 710);

    /* The order a file lists the poles in changes nothing: every per-pole field moves with its pole. */
    ent_scenario_t x, y;
    static const char body[] = "parameters:\n  growth: {2: -0.01, 710: 0.02}\n  norm0: {2: 0.1, 710: 0.9}\n"
                               "  ambition: {2: 0.3, 710: 0.7}\n  threat_tolerance: {2: 2, 710: 1.5}\n"
                               "levers:\n  2: {tightening: 0.9, wedge: 0.1}\n  710: {engagement: 0.8, coercion: 0.2}\n";
    char t1[1024], t2[1024];
    snprintf(t1, sizeof t1, "name: o\npoles: [2, 710]\n%s", body);
    snprintf(t2, sizeof t2, "name: o\npoles: [710, 2]\n%s", body);
    CHECK_OK(parse(&x, t1, NULL));
    CHECK_OK(parse(&y, t2, NULL));
    CHECK(memcmp(&x, &y, sizeof x) == 0);
    CHECK(x.poles[0] == 2 && x.norm0[1] == 0.9 && x.levers[0].tightening == 0.9 && x.levers[1].coercion == 0.2);
    /* ent_scenario_order_poles swaps every per-pole row of the parameter table, whatever it holds. */
    ent_scenario_t z = x;
    z.poles[0] = 710;
    z.poles[1] = 2;
    ent_scenario_order_poles(&z);
    CHECK(z.poles[0] == 2 && z.poles[1] == 710);
    for (const ent_sim_param_t *p = ent_sim_params(); p->key; p++) {
        if (p->per_pole && p->type == 'd') {
            const double *a = (const double *)((const char *)&x + p->offset);
            const double *b = (const double *)((const char *)&z + p->offset);
            CHECK(a[0] == b[1] && a[1] == b[0]);
        }
    }
    CHECK(memcmp(&z.levers[0], &x.levers[1], sizeof z.levers[0]) == 0);

    /* Any number of poles (issue 12): three, listed in any of their six orders, give one scenario,
     * ascending by COW code, each per-pole value with its pole; a new pole gets the table defaults. */
    static const char *const orders[6] = {"[2, 710, 365]", "[2, 365, 710]", "[710, 2, 365]",
                                          "[710, 365, 2]", "[365, 2, 710]", "[365, 710, 2]"};
    static const char body3[] = "parameters:\n  growth: {2: -0.01, 710: 0.02, 365: -0.03}\n"
                                "  ambition: {365: 0.4}\nlevers:\n  365: {tightening: 0.7}\n  710: {wedge: 0.3}\n";
    ent_scenario_t first;
    for (int k = 0; k < 6; k++) {
        char t3[1024];
        snprintf(t3, sizeof t3, "name: three\npoles: %s\n%s", orders[k], body3);
        CHECK_OK(parse(&x, t3, NULL));
        CHECK(x.npoles == 3 && x.poles[0] == 2 && x.poles[1] == 365 && x.poles[2] == 710 && x.poles[3] == 0);
        CHECK(x.growth[0] == -0.01 && x.growth[1] == -0.03 && x.growth[2] == 0.02);
        CHECK(x.ambition[1] == 0.4 && x.ambition[0] == 0 && x.levers[1].tightening == 0.7 && x.levers[2].wedge == 0.3);
        CHECK(x.norm0[0] == d.norm0[0] && x.norm0[1] == 0 && x.norm0[2] == d.norm0[1]);
        if (k == 0) {
            first = x;
        } else {
            CHECK(memcmp(&x, &first, sizeof x) == 0);
        }
    }
}

typedef struct {
    const char *text;
    ent_err_t rc;
    int line;           /* expected line in the message */
    const char *needle; /* the key (and more) the message must contain */
} bad_t;

static const bad_t BAD[] = {
    /* unknown keys, with suggestions */
    {"name: x\nparameters:\n  kapa_threat: 0.2\n", ENT_EPARSE, 3,
     "unknown key 'kapa_threat' under 'parameters' (did you mean 'kappa_threat'?)"},
    {"nme: x\n", ENT_EPARSE, 1, "unknown key 'nme' (did you mean 'name'?)"},
    {"name: x\nkappa_threat: 0.2\n", ENT_EPARSE, 2, "'kappa_threat' at the top level (it belongs under 'parameters')"},
    {"name: x\nparameters:\n  years: 20\n", ENT_EPARSE, 3, "'years' belongs at the top level"},
    {"name: x\nlevers:\n  2: {tighten: 0.5}\n", ENT_EPARSE, 3,
     "'tighten' under 'levers.2' (did you mean 'tightening'?)"},
    {"name: x\nshocks:\n  - {year: 2030, kind: pact, a: 2, b: 20, magnitud: 1}\n", ENT_EPARSE, 3,
     "'magnitud' under 'shocks[0]' (did you mean 'magnitude'?)"},
    {"name: x\noutputs: [pacts, blocz]\n", ENT_EPARSE, 2, "outputs[1]: unknown output 'blocz' (did you mean 'blocs'?)"},
    /* wrong types */
    {"name: x\nparameters:\n  kappa_threat: high\n", ENT_EPARSE, 3,
     "parameters.kappa_threat: expected a number, got 'high'"},
    {"name: x\nparameters:\n  kappa_threat: {a: 1}\n", ENT_EPARSE, 3,
     "parameters.kappa_threat: expected a number, got a map"},
    {"name: x\nparameters:\n  kappa_threat: \"0.2\"\n", ENT_EPARSE, 3, "parameters.kappa_threat: expected a number"},
    {"name: x\nparameters:\n  kappa_threat:\n", ENT_EPARSE, 3,
     "parameters.kappa_threat: expected a number, got nothing"},
    {"name: x\nparameters:\n  norm0: 0.5\n", ENT_EPARSE, 3, "parameters.norm0: expected a map of pole -> value"},
    {"name: x\nparameters: [1, 2]\n", ENT_EPARSE, 2, "parameters: expected a map"},
    {"name: [x]\n", ENT_EPARSE, 1, "name: expected a string, got a list"},
    {"name: x\nshocks: {year: 2030}\n", ENT_EPARSE, 2, "shocks: expected a list"},
    {"name: &n x\ndescription: *n\n", ENT_EPARSE, 2, "description: aliases"},
    {"- name\n", ENT_EPARSE, 1, "a scenario is a map"},
    /* integers */
    {"name: x\nyears: 30.5\n", ENT_EPARSE, 2, "years: expected an integer, got 30.5"},
    {"name: x\nruns: 1e3\n", ENT_EPARSE, 2, "runs: expected an integer, got 1e3"},
    {"name: x\nparameters:\n  builder_pacts: 2.5\n", ENT_EPARSE, 3, "parameters.builder_pacts: expected an integer"},
    /* ranges */
    {"name: x\nparameters:\n  kappa_threat: 7\n", ENT_ERANGE, 3, "parameters.kappa_threat: 7 is outside 0..5"},
    {"name: x\nruns: 0\n", ENT_ERANGE, 2, "runs: 0 is outside 1..100000000"},
    {"name: x\nseed: -1\n", ENT_ERANGE, 2, "seed: -1 is outside 0..4294967295"},
    {"name: x\nseed: 99999999999999999999999\n", ENT_ERANGE, 2, "seed: 99999999999999999999999 is outside"},
    {"name: x\nparameters:\n  temperature: 1e999\n", ENT_ERANGE, 3, "parameters.temperature: 1e999 is outside"},
    {"name: x\nparameters:\n  norm0: {710: 1.5}\n", ENT_ERANGE, 3, "parameters.norm0.710: 1.5 is outside 0..1"},
    {"name: x\nparameters:\n  growth_override: {750: 0.3}\n", ENT_ERANGE, 3,
     "parameters.growth_override.750: 0.3 is outside -0.2..0.2"},
    {"name: x\nlevers:\n  2: {tightening: 1.5}\n", ENT_ERANGE, 3, "levers.2.tightening: 1.5 is outside 0..1"},
    {"name: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", ENT_ERANGE, 1,
     "name: 70 bytes long, at most 63"},
    /* a quoted empty string is not YAML's null, but is no name (found by fuzz_scenario in CI) */
    {"name: \"\"\npoles: [2, 710]\n", ENT_ERANGE, 1, "name: 0 bytes long, at least 1 required"},
    {"name: ''\n", ENT_ERANGE, 1, "name: 0 bytes long, at least 1 required"},
    /* an explicit key crashed libfyaml's cleanup when it held "k:" and a tab (found by fuzz_scenario) */
    {"name: x\nlevers:\n  ? b:\t: 1\n", ENT_EPARSE, 3, "explicit keys ('? key') are not supported"},
    /* states and poles */
    {"name: x\npoles: [2, CHN]\n", ENT_ENOTFOUND, 2, "poles[1]: unknown state 'CHN'"},
    {"name: x\npoles: [2, 2]\n", ENT_EPARSE, 2,
     "poles: the poles must be different states (poles[0] and poles[1] are 2)"},
    {"name: x\npoles: [2]\n", ENT_EPARSE, 2, "poles: expected 2 to 8 states, got 1"},
    {"name: x\npoles: [2, 710, 365, 2]\n", ENT_EPARSE, 2,
     "poles: the poles must be different states (poles[0] and poles[3] are 2)"},
    {"name: x\npoles: [2, 20, 200, 220, 255, 365, 710, 740, 750]\n", ENT_EPARSE, 2,
     "poles: expected 2 to 8 states, got 9"},
    {"name: x\npoles: [2, 710, 365]\nlevers:\n  750: {wedge: 0.1}\n", ENT_EPARSE, 4,
     "levers: '750' is not a pole (the poles are 2, 710 and 365)"},
    {"name: x\nparameters:\n  norm0: {2: 0.1, 365: 0.2}\n", ENT_EPARSE, 3,
     "parameters.norm0: '365' is not a pole (the poles are 2 and 710)"},
    {"name: x\nlevers:\n  365: {wedge: 0.5}\n", ENT_EPARSE, 3, "levers: '365' is not a pole"},
    {"name: x\nparameters:\n  growth_override: {710: 0.1}\n", ENT_EPARSE, 3,
     "parameters.growth_override: '710' is a pole"},
    {"name: x\nparameters:\n  growth_override: {0: 0.1}\n", ENT_ENOTFOUND, 3,
     "parameters.growth_override: unknown state '0'"},
    /* duplicates */
    {"name: x\nname: y\n", ENT_EPARSE, 2, "duplicate key 'name'"},
    {"name: x\nparameters:\n  kappa_threat: 0.1\n  kappa_threat: 0.2\n", ENT_EPARSE, 4,
     "duplicate key 'kappa_threat' under 'parameters'"},
    {"name: x\nparameters:\n  growth: {2: 0.1, '2': 0.2}\n", ENT_EPARSE, 3, "parameters.growth: pole '2' given twice"},
    {"name: x\nlevers:\n  2: {wedge: 0.1, wedge: 0.2}\n", ENT_EPARSE, 3, "duplicate key 'wedge' under 'levers.2'"},
    {"name: x\noutputs: [norm, norm]\n", ENT_EPARSE, 2, "outputs[1]: output 'norm' listed twice"},
    /* shocks */
    {"name: x\nshocks:\n  - {year: 2070, kind: crisis, a: 710, b: 713, magnitude: 0.5}\nyears: 20\n", ENT_ERANGE, 3,
     "shocks[0].year: 2070 is outside 2024..2044"},
    {"name: x\nshocks:\n  - {year: 2030, kind: coup, a: 710, b: 713}\n", ENT_EPARSE, 3,
     "shocks[0].kind: unknown shock kind 'coup'"},
    {"name: x\nshocks:\n  - {year: 2030, kind: crisis, a: 710, magnitude: 0.5}\n", ENT_EPARSE, 3,
     "shocks[0]: missing key 'b'"},
    {"name: x\nshocks:\n  - {kind: pact, a: 710, b: 365}\n", ENT_EPARSE, 3, "shocks[0]: missing key 'year'"},
    {"name: x\nshocks:\n  - {year: 2030, kind: crisis, a: 710, b: 713}\n", ENT_EPARSE, 3,
     "shocks[0]: missing key 'magnitude'"},
    {"name: x\nshocks:\n  - {year: 2030, kind: pact, a: 710, b: 710}\n", ENT_EPARSE, 3,
     "shocks[0]: 'a' and 'b' are the same state"},
    {"name: x\nshocks:\n  - {year: 2030, kind: war, a: 2, b: 710, magnitude: 2}\n", ENT_ERANGE, 3,
     "shocks[0].magnitude: 2 is outside -1..1"},
    {"name: x\nshocks:\n  - {year: 2030, kind: war, a: 2, b: 710, magnitude: 1, duration: 0}\n", ENT_ERANGE, 3,
     "shocks[0].duration: 0 is outside 1..100"},
    {"name: x\nshocks:\n  - {year: 2030, kind: growth, a: 2, b: 710, magnitude: 0.1}\n", ENT_EPARSE, 3,
     "shocks[0].b: a growth shock concerns only 'a'"},
    {"name: x\nshocks:\n  - {year: 2030, kind: pact, a: 2, b: 20, magnitude: 0.1}\n", ENT_EPARSE, 3,
     "shocks[0].magnitude: a pact has no magnitude"},
    {"name: x\nshocks:\n  - 2030\n", ENT_EPARSE, 3, "shocks[0]: expected a map"},
    /* the document */
    {"description: x\n", ENT_EPARSE, 1, "missing required key 'name'"},
    {"", ENT_EPARSE, 1, "empty scenario"},
    {"# only a comment\n\n", ENT_EPARSE, 1, "empty scenario"},
    {"---\n", ENT_EPARSE, 1, "empty scenario"},
    {"name: x\nparameters: [1, 2\n", ENT_EPARSE, 3, "YAML syntax error"},
    {"name: x\n  bad: indent\n", ENT_EPARSE, 1,
     "YAML syntax error: invalid multiline plain key"}, /* libfyaml's position */
    {"name: x\nyears: 'unterminated\n", ENT_EPARSE, 2, "YAML syntax error: single-quoted scalar without closing quote"},
    {"name: x\n---\nname: y\n", ENT_EPARSE, 3, "second"},
    {"name: \"a\\tb\"\n", ENT_EPARSE, 1, "name: control character"},
    {"name: x\n? [a]\n: 1\n", ENT_EPARSE, 2, "explicit keys ('? key') are not supported"},
    /* libfyaml 0.7.12 loops forever on a directive with a truncated UTF-8 sequence (found by fuzz_scenario) */
    {"name: x\n%\xe0", ENT_EPARSE, 2, "invalid UTF-8 (byte 0xe0)"},
    {"name: x\ndescription: caf\xc3\xa9 \xed\xa0\x80\n", ENT_EPARSE, 2, "invalid UTF-8 (byte 0xed)"}, /* a surrogate */
};

static void test_bad(void)
{
    size_t n = sizeof BAD / sizeof BAD[0];
    for (size_t i = 0; i < n; i++) {
        const bad_t *b = &BAD[i];
        ent_scenario_t s;
        ent_scenario_defaults(&s);
        snprintf(s.name, sizeof s.name, "%s", "untouched");
        ent_err_t rc = parse(&s, b->text, NULL);
        char where[64];
        snprintf(where, sizeof where, NAME ":%d:", b->line);
        const char *msg = ent_errmsg();
        if (rc != b->rc || !strstr(msg, where) || !strstr(msg, b->needle)) {
            fprintf(stderr, "case %zu:\n%s--> %s: %s\n    wanted %s at '%s' with '%s'\n", i, b->text, ent_strerror(rc),
                    msg, ent_strerror(b->rc), where, b->needle);
            check_failures++;
        }
        /* The output is not touched on failure. */
        CHECK_STR(s.name, "untouched");
    }
    CHECK(n >= 20);
    printf("%zu malformed scenarios rejected as expected\n", n);
}

static void test_limits(void)
{
    ent_buf_t b;
    ent_scenario_t s;
    ent_buf_init(&b, 0);

    /* ENT_SIM_MAX_OVERRIDES overrides pass, one more does not. */
    CHECK_OK(ent_buf_puts(&b, "name: x\nparameters:\n  growth_override:\n"));
    for (int k = 0; k < ENT_SIM_MAX_OVERRIDES; k++) {
        CHECK_OK(ent_buf_printf(&b, "    %d: 0.01\n", 100 + k));
    }
    CHECK_OK(parse(&s, b.ptr, NULL));
    CHECK(s.ngrowth_override == ENT_SIM_MAX_OVERRIDES);
    CHECK_OK(ent_buf_printf(&b, "    %d: 0.01\n", 900));
    CHECK_RC(parse(&s, b.ptr, NULL), ENT_ELIMIT);
    CHECK_CONTAINS(ent_errmsg(), "growth_override");

    ent_buf_clear(&b);
    CHECK_OK(ent_buf_puts(&b, "name: x\nshocks:\n"));
    for (int k = 0; k < ENT_SIM_MAX_SHOCKS; k++) {
        CHECK_OK(ent_buf_printf(&b, "  - {year: 2030, kind: pact, a: 2, b: %d}\n", 100 + k));
    }
    CHECK_OK(parse(&s, b.ptr, NULL));
    CHECK(s.nshocks == ENT_SIM_MAX_SHOCKS);
    CHECK_OK(ent_buf_puts(&b, "  - {year: 2030, kind: pact, a: 2, b: 20}\n"));
    CHECK_RC(parse(&s, b.ptr, NULL), ENT_ELIMIT);
    char where[32];
    snprintf(where, sizeof where, NAME ":%d:", 3 + ENT_SIM_MAX_SHOCKS);
    CHECK_CONTAINS(ent_errmsg(), where);
    CHECK_CONTAINS(ent_errmsg(), "shocks");
    ent_buf_destroy(&b);

    /* Text that is not NUL-terminated: only len bytes are read. */
    const char text[] = "name: abc\nyears: 12XXXXXX";
    CHECK_OK(ent_scenario_parse(&s, NAME, text, strlen("name: abc\nyears: 12"), NULL));
    CHECK(s.years == 12);
    /* An embedded NUL is no string terminator. */
    const char nul[] = "name: a\0b\n";
    CHECK_RC(ent_scenario_parse(&s, NAME, nul, sizeof nul - 1, NULL), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), NAME ":1:8: NUL byte");
}

static void test_files(void)
{
    ent_scenario_t s;
    const char *tmp = getenv("ENT_TMP");
    char path[1024];
    snprintf(path, sizeof path, "%s/sim_scenario_%ld.yaml", tmp ? tmp : ".", (long)getpid());
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) {
        return;
    }
    fputs(FULL, f);
    fclose(f);
    CHECK_OK(ent_scenario_load(&s, path, NULL));
    CHECK_STR(s.name, "baseline");
    CHECK(s.nshocks == 5);

    f = fopen(path, "wb");
    fputs("name: x\nyears: lots\n", f);
    fclose(f);
    CHECK_RC(ent_scenario_load(&s, path, NULL), ENT_EPARSE);
    char where[1100];
    snprintf(where, sizeof where, "%s:2:8: years", path);
    CHECK_CONTAINS(ent_errmsg(), where);
    remove(path);

    CHECK_RC(ent_scenario_load(&s, path, NULL), ENT_EIO);
    CHECK_CONTAINS(ent_errmsg(), path);
    CHECK_RC(ent_scenario_load(&s, tmp ? tmp : ".", NULL), ENT_EIO); /* a directory */
}

static void test_world(void)
{
    ent_world_t *w = NULL;
    ent_err_t rc = ent_world_load_dir(&w, ent_world_default_dir());
    if (rc != ENT_OK) {
        fprintf(stderr, "note: shipped world not loadable (%s: %s); names not tested\n", ent_strerror(rc),
                ent_errmsg());
        return;
    }
    ent_scenario_t s;
    CHECK_OK(parse(&s,
                   "name: named\n"
                   "poles: [USA, chn]\n"
                   "parameters:\n"
                   "  norm0: {CHN: 0.7, 2: 0.1}\n"
                   "  growth_override: {IND: 0.02, JPN: -0.01}\n"
                   "levers:\n"
                   "  USA: {tightening: 0.6}\n"
                   "  '710': {inducements: 0.5}\n"
                   "shocks:\n"
                   "  - {year: 2027, kind: crisis, a: CHN, b: TWN, magnitude: 0.6, duration: 3}\n"
                   "  - {year: 2030, kind: pact, a: CHN, b: RUS}\n",
                   w));
    CHECK(s.poles[0] == 2 && s.poles[1] == 710);
    CHECK_NEAR(s.norm0[1], 0.7, 0);
    CHECK_NEAR(s.norm0[0], 0.1, 0);
    CHECK(s.ngrowth_override == 2 && s.growth_override[0].ccode == 750 && s.growth_override[1].ccode == 740);
    CHECK_NEAR(s.levers[0].tightening, 0.6, 0);
    CHECK_NEAR(s.levers[1].inducements, 0.5, 0);
    CHECK(s.nshocks == 2 && s.shocks[0].b == 713 && s.shocks[1].b == 365);

    CHECK_RC(parse(&s, "name: x\npoles: [USA, XYZ]\n", w), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), NAME ":2:");
    CHECK_CONTAINS(ent_errmsg(), "poles[1]: unknown state 'XYZ'");
    CHECK_RC(parse(&s, "name: x\nparameters:\n  norm0: {RUS: 0.3}\n", w), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), NAME ":3:");
    CHECK_CONTAINS(ent_errmsg(), "'RUS' is not a pole (the poles are USA and CHN)");
    CHECK_RC(parse(&s, "name: x\nshocks:\n  - {year: 2027, kind: pact, a: CHN, b: Narnia}\n", w), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), "shocks[0].b: unknown state 'Narnia'");
    ent_world_free(w);
}

int main(void)
{
    test_full();
    test_defaults();
    test_bad();
    test_limits();
    test_files();
    test_world();
    return CHECK_DONE();
}
