/*
 * measures_solve_effort.c -- ent_partition_solve's `heuristic` field (options
 * version 2): a caller that wants a lighter or heavier search (the history
 * figure's per-year frustration index) gets exactly what
 * ent_partition_heuristic gives with those options, through the one entry
 * point; the entry point's seed rules; a heuristic options struct of another
 * version is refused.
 */
#include <string.h>

#include "check.h"
#include "entente/partition.h"
#include "entente/util.h"

/* A seeded random signed network on n nodes: each pair tied with probability 0.3, negative with 0.4. */
static void random_graph(ent_signed_t *g, int n, uint64_t seed)
{
    ent_rng_t rng;
    ent_rng_seed(&rng, seed, 0);
    for (int i = 0; i < n; i++) {
        char label[16];
        snprintf(label, sizeof label, "n%d", i);
        int32_t id;
        CHECK_OK(ent_signed_node(g, label, &id, NULL));
    }
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            if (ent_rng_uniform(&rng) < 0.3) {
                double w = 0.5 + ent_rng_uniform(&rng);
                CHECK_OK(ent_signed_edge(g, i, j, ent_rng_uniform(&rng) < 0.4 ? -w : w, NULL));
            }
        }
    }
}

int main(void)
{
    ent_signed_t g;
    ent_signed_init(&g);
    random_graph(&g, 60, 11);

    ent_heuristic_options_t light = ENT_HEURISTIC_OPTIONS_INIT;
    light.restarts = 2;
    light.anneal_runs = 1;
    light.anneal_sweeps = 20;
    light.bound = false;
    light.seed = 999; /* ignored by the entry point: its own seed rules */

    ent_solve_options_t so = ENT_SOLVE_OPTIONS_INIT;
    so.method = ENT_SOLVE_HEURISTIC;
    so.heuristic = &light;
    ent_solve_result_t r;
    ent_solve_result_init(&r);
    ent_partition_result_t direct;
    ent_partition_result_init(&direct);
    for (uint64_t seed = 1; seed <= 5; seed++) {
        so.seed = seed;
        CHECK_OK(ent_partition_solve(&r, &g, &so));
        ent_heuristic_options_t ho = light;
        ho.seed = seed;
        CHECK_OK(ent_partition_heuristic(&direct, &g, &ho));
        CHECK(r.used == ENT_SOLVE_HEURISTIC);
        CHECK(r.best.value == direct.value);
        CHECK(r.best.block.len == direct.block.len &&
              memcmp(r.best.block.data, direct.block.data, direct.block.len * sizeof(int32_t)) == 0);
        CHECK(r.best.bb_nodes == direct.bb_nodes); /* the same number of restarts: the light search ran */
    }
    /* the defaults when no effort is given: the same as the heuristic's own defaults */
    so.heuristic = NULL;
    so.seed = 3;
    CHECK_OK(ent_partition_solve(&r, &g, &so));
    ent_heuristic_options_t def = ENT_HEURISTIC_OPTIONS_INIT;
    def.seed = 3;
    CHECK_OK(ent_partition_heuristic(&direct, &g, &def));
    CHECK(r.best.value == direct.value);
    /* a heuristic options struct from other headers */
    light.version = 77;
    so.heuristic = &light;
    CHECK_RC(ent_partition_solve(&r, &g, &so), ENT_EINVAL);
    ent_partition_result_destroy(&direct);
    ent_solve_result_destroy(&r);
    ent_signed_destroy(&g);
    return CHECK_DONE();
}
