/*
 * fuzz_scenario.c -- libFuzzer target for the scenario reader
 * (src/sim/scenario.c): the input is a YAML scenario, parsed with
 * ent_scenario_parse() and no world (numeric state codes only).
 *
 * Besides crashes, leaks and UB (ASan/UBSan), the target abort()s when the
 * reader breaks one of its documented promises:
 *   - an error comes with a message "<name>:<line>:<column>: ..." (1-based);
 *   - the output is untouched on failure;
 *   - on success every table parameter is within its range, the strings are
 *     NUL-terminated within their fields, the poles are distinct, counts are
 *     within their limits and every shock is well-formed and inside the horizon.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente.h"
#include "entente/sim.h"

#define NAME "fuzz.yaml"

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz_scenario: broken promise: %s (last error: %s)\n", what, ent_errmsg());
        abort();
    }
}

static void check_ok(const ent_scenario_t *s)
{
    must(memchr(s->name, '\0', sizeof s->name) != NULL && s->name[0] != '\0', "name");
    must(memchr(s->description, '\0', sizeof s->description) != NULL, "description");
    for (const ent_sim_param_t *p = ent_sim_params(); p->key; p++) {
        const char *base = (const char *)s + p->offset;
        for (int k = 0; k < (p->per_pole ? s->npoles : 1); k++) {
            double v = 0;
            switch (p->type) {
            case 'd': v = ((const double *)base)[k]; break;
            case 'i': v = ((const int *)base)[k]; break;
            case 'l': v = (double)((const int64_t *)base)[k]; break;
            case 'u': v = (double)((const uint64_t *)base)[k]; break;
            }
            must(v >= p->min && v <= p->max, p->key);
        }
    }
    must(s->npoles >= 2 && s->npoles <= ENT_SIM_MAX_POLES, "pole count");
    for (int p = 0; p < s->npoles; p++) {
        /* ascending: distinct, in canonical order */
        must(s->poles[p] > 0 && (p == 0 || s->poles[p - 1] < s->poles[p]), "poles");
    }
    must(s->ngrowth_override <= ENT_SIM_MAX_OVERRIDES, "override count");
    for (size_t i = 0; i < s->ngrowth_override; i++) {
        must(s->growth_override[i].value >= -0.2 && s->growth_override[i].value <= 0.2, "override value");
        for (int p = 0; p < s->npoles; p++) {
            must(s->growth_override[i].ccode != s->poles[p], "override on a pole");
        }
    }
    for (int p = 0; p < s->npoles; p++) {
        const double *l = &s->levers[p].tightening;
        for (int k = 0; k < 5; k++) {
            must(l[k] >= 0 && l[k] <= 1, "lever");
        }
    }
    must(s->nshocks <= ENT_SIM_MAX_SHOCKS, "shock count");
    for (size_t i = 0; i < s->nshocks; i++) {
        const ent_shock_t *k = &s->shocks[i];
        must(k->kind >= ENT_SHOCK_CRISIS && k->kind <= ENT_SHOCK_GROWTH, "shock kind");
        must(k->year >= s->start_year && k->year <= s->start_year + s->years, "shock year");
        must(k->duration >= 1 && k->duration <= 100, "shock duration");
        must(k->magnitude >= -1 && k->magnitude <= 1, "shock magnitude");
        must(k->a > 0 && k->a != k->b, "shock states");
        must((k->kind == ENT_SHOCK_GROWTH) == (k->b == 0), "shock b");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy without a terminator: ASan then catches a read one byte past the end. */
    char *text = malloc(size ? size : 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data, size);

    ent_scenario_t s;
    memset(&s, 0xa5, sizeof s);
    ent_err_t rc = ent_scenario_parse(&s, NAME, text, size, NULL);
    if (rc == ENT_OK) {
        check_ok(&s);
    } else {
        const char *m = ent_errmsg();
        int line = 0, col = 0;
        must(strncmp(m, NAME ":", strlen(NAME ":")) == 0, "error message does not name the input");
        must(sscanf(m + strlen(NAME ":"), "%d:%d:", &line, &col) == 2 && line >= 1 && col >= 1,
             "error message without line:column");
        const unsigned char *b = (const unsigned char *)&s;
        for (size_t i = 0; i < sizeof s; i++) {
            must(b[i] == 0xa5, "output touched on failure");
        }
    }
    free(text);
    return 0;
}
