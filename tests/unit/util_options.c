/*
 * util_options.c -- the options structs' init functions and version checks, and the
 * error code of third-party solver failures:
 *   - every ent_<x>_options_init() gives the same defaults as ENT_<X>_OPTIONS_INIT and refuses
 *     another version (ENT_EINVAL) or a NULL struct;
 *   - the functions taking an options struct refuse one with the wrong version (a caller built
 *     against other headers) with ENT_EINVAL naming the function, and accept NULL (defaults);
 *   - ENT_ESOLVER (11) has its own name and keeps the codes before it where they were.
 */
#include "check.h"

/* Checks one init function: right version -> the macro's defaults; wrong version and NULL refused. */
#define CHECK_INIT(fn, type, VERSION, INIT, field)                                                                     \
    do {                                                                                                               \
        type got_, want_ = INIT;                                                                                       \
        memset(&got_, 0xA5, sizeof got_);                                                                              \
        CHECK_OK(fn(&got_, VERSION));                                                                                  \
        CHECK(got_.version == (VERSION));                                                                              \
        CHECK(memcmp(&got_.field, &want_.field, sizeof got_.field) == 0);                                              \
        CHECK_RC(fn(&got_, (VERSION) + 1), ENT_EINVAL);                                                                \
        CHECK_CONTAINS(ent_errmsg(), #fn);                                                                             \
        CHECK_RC(fn(NULL, VERSION), ENT_EINVAL);                                                                       \
        n_init++;                                                                                                      \
    } while (0)

static int n_init;

static void test_init_functions(void)
{
    CHECK_INIT(ent_csv_options_init, ent_csv_options_t, ENT_CSV_OPTIONS_VERSION, ENT_CSV_OPTIONS_INIT, max_field);
    CHECK_INIT(ent_store_options_init, ent_store_options_t, ENT_STORE_OPTIONS_VERSION, ENT_STORE_OPTIONS_INIT,
               readonly);
    CHECK_INIT(ent_world_load_options_init, ent_world_load_options_t, ENT_WORLD_LOAD_OPTIONS_VERSION,
               ENT_WORLD_LOAD_OPTIONS_INIT, pact_dataset);
    CHECK_INIT(ent_import_options_init, ent_import_options_t, ENT_IMPORT_OPTIONS_VERSION, ENT_IMPORT_OPTIONS_INIT,
               keep_going);
    CHECK_INIT(ent_similarity_options_init, ent_similarity_options_t, ENT_SIMILARITY_OPTIONS_VERSION,
               ENT_SIMILARITY_OPTIONS_INIT, hi);
    CHECK_INIT(ent_exhaustive_options_init, ent_exhaustive_options_t, ENT_EXHAUSTIVE_OPTIONS_VERSION,
               ENT_EXHAUSTIVE_OPTIONS_INIT, version);
    CHECK_INIT(ent_exact_options_init, ent_exact_options_t, ENT_EXACT_OPTIONS_VERSION, ENT_EXACT_OPTIONS_INIT, version);
    CHECK_INIT(ent_heuristic_options_init, ent_heuristic_options_t, ENT_HEURISTIC_OPTIONS_VERSION,
               ENT_HEURISTIC_OPTIONS_INIT, version);
    CHECK_INIT(ent_blockmodel_options_init, ent_blockmodel_options_t, ENT_BLOCKMODEL_OPTIONS_VERSION,
               ENT_BLOCKMODEL_OPTIONS_INIT, version);
    CHECK_INIT(ent_signed_read_options_init, ent_signed_read_options_t, ENT_SIGNED_READ_OPTIONS_VERSION,
               ENT_SIGNED_READ_OPTIONS_INIT, max_edges);
    CHECK_INIT(ent_blocs_network_options_init, ent_blocs_network_options_t, ENT_BLOCS_NETWORK_OPTIONS_VERSION,
               ENT_BLOCS_NETWORK_OPTIONS_INIT, security);
    CHECK_INIT(ent_communities_options_init, ent_communities_options_t, ENT_COMMUNITIES_OPTIONS_VERSION,
               ENT_COMMUNITIES_OPTIONS_INIT, version);
    CHECK_INIT(ent_polarization_options_init, ent_polarization_options_t, ENT_POLARIZATION_OPTIONS_VERSION,
               ENT_POLARIZATION_OPTIONS_INIT, version);
    CHECK_INIT(ent_balance_options_init, ent_balance_options_t, ENT_BALANCE_OPTIONS_VERSION, ENT_BALANCE_OPTIONS_INIT,
               version);
    CHECK_INIT(ent_landscape_options_init, ent_landscape_options_t, ENT_LANDSCAPE_OPTIONS_VERSION,
               ENT_LANDSCAPE_OPTIONS_INIT, version);
    CHECK_INIT(ent_landscape_world_options_init, ent_landscape_world_options_t, ENT_LANDSCAPE_WORLD_OPTIONS_VERSION,
               ENT_LANDSCAPE_WORLD_OPTIONS_INIT, version);
    CHECK_INIT(ent_ensemble_options_init, ent_ensemble_options_t, ENT_ENSEMBLE_OPTIONS_VERSION,
               ENT_ENSEMBLE_OPTIONS_INIT, threads);
    CHECK(n_init == 17);
}

static void test_version_checks(void)
{
    /* similarity: a struct from "other headers" (version 0, as a memset struct would be) */
    int x[] = {3, 3, 0, 0}, y[] = {3, 3, 2, 0};
    ent_similarity_t m;
    ent_similarity_options_t so = ENT_SIMILARITY_OPTIONS_INIT;
    CHECK_OK(ent_measure_similarity(&m, x, y, NULL, 4, &so));
    CHECK_NEAR(m.s, 1.0 - 2.0 * 2 / 12.0, 1e-15);
    CHECK_OK(ent_measure_similarity(&m, x, y, NULL, 4, NULL)); /* NULL: the defaults */
    so.version = 0;
    CHECK_RC(ent_measure_similarity(&m, x, y, NULL, 4, &so), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "ent_measure_similarity: options version 0, this library expects 1");

    /* the CSV reader */
    ent_csv_t *r = NULL;
    ent_csv_options_t co = ENT_CSV_OPTIONS_INIT;
    co.version = ENT_CSV_OPTIONS_VERSION + 7;
    CHECK_RC(ent_csv_open_mem(&r, "mem", "a,b\n1,2\n", 8, &co), ENT_EINVAL);
    CHECK(r == NULL);
    CHECK_CONTAINS(ent_errmsg(), "ent_csv_open_mem");
    co.version = ENT_CSV_OPTIONS_VERSION;
    CHECK_OK(ent_csv_open_mem(&r, "mem", "a,b\n1,2\n", 8, &co));
    ent_csv_free(r);

    /* the store: refused before any file is touched */
    ent_store_t *st = NULL;
    ent_store_options_t sto = ENT_STORE_OPTIONS_INIT;
    sto.version = 2;
    CHECK_RC(ent_store_open(&st, "/nonexistent/dir/x.db", &sto), ENT_EINVAL);
    CHECK(st == NULL);
    CHECK_CONTAINS(ent_errmsg(), "ent_store_open");

    /* signed networks: the heuristic partition */
    ent_signed_t g;
    ent_signed_init(&g);
    int32_t a, b, c;
    CHECK_OK(ent_signed_node(&g, "a", &a, NULL));
    CHECK_OK(ent_signed_node(&g, "b", &b, NULL));
    CHECK_OK(ent_signed_node(&g, "c", &c, NULL));
    CHECK_OK(ent_signed_edge(&g, a, b, 1.0, NULL));
    CHECK_OK(ent_signed_edge(&g, b, c, -1.0, NULL));
    ent_partition_result_t res;
    ent_partition_result_init(&res);
    ent_heuristic_options_t ho;
    CHECK_OK(ent_heuristic_options_init(&ho, ENT_HEURISTIC_OPTIONS_VERSION));
    ho.version = 99;
    CHECK_RC(ent_partition_heuristic(&res, &g, &ho), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "ent_partition_heuristic: options version 99");
    ho.version = ENT_HEURISTIC_OPTIONS_VERSION;
    CHECK_OK(ent_partition_heuristic(&res, &g, &ho));
    CHECK(res.value == 0.0); /* a tree is balanced */
    ent_partition_result_destroy(&res);
    ent_signed_destroy(&g);
}

static void test_error_codes(void)
{
    /* never renumbered: the codes before ENT_ESOLVER are where scripts expect them */
    CHECK(ENT_ELIMIT == 10 && ENT_ESTORE == 8 && ENT_EINVAL == 2);
    CHECK(ENT_ESOLVER == 11);
    CHECK_STR(ent_strerror(ENT_ESOLVER), "ENT_ESOLVER");
    /* every code has its own name */
    for (int i = 0; i <= ENT_ESOLVER; i++) {
        CHECK(strcmp(ent_strerror((ent_err_t)i), "ENT_E?") != 0);
        for (int j = 0; j < i; j++) {
            CHECK(strcmp(ent_strerror((ent_err_t)i), ent_strerror((ent_err_t)j)) != 0);
        }
    }
}

int main(void)
{
    test_init_functions();
    test_version_checks();
    test_error_codes();
    return CHECK_DONE();
}
