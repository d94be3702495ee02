/*
 * fuzz_panel.c -- libFuzzer target for the backtest's panel reader
 * (ent_table_read_csv) and the backtest behind it: the input is written to a
 * file and read as a panel; when it reads, the base-rate and a two-term logit
 * are run on it with a split small enough for tiny inputs (outcome years
 * 1-2 fit, 3 validation, 4-9 test), so arbitrary years, NaNs and duplicates
 * reach the scoring code. Every failure must carry a message; nothing may
 * crash or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "entente.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/fuzz_panel_%d.csv", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) {
        return 0;
    }
    fwrite(data, 1, size, f);
    fclose(f);
    static const char *const req[] = {"ccode1", "ccode2", "year", "new_defence", "atop_defense", NULL};
    ent_table_t t;
    ent_err_t rc = ent_table_read_csv(&t, path, req);
    if (rc != ENT_OK) {
        if (!strstr(ent_errmsg(), "fuzz_panel_") && rc != ENT_ENOMEM) {
            fprintf(stderr, "error without the file's name: %s\n", ent_errmsg());
            abort();
        }
        remove(path);
        return 0;
    }
    static const char *const preds[] = {"base-rate", "logit"};
    for (int k = 0; k < 2; k++) {
        ent_backtest_options_t o = ENT_BACKTEST_OPTIONS_INIT;
        o.fit_from = 1, o.fit_to = 2, o.valid_from = 3, o.valid_to = 3, o.test_from = 4, o.test_to = 9;
        o.predictor = preds[k];
        o.features = k ? "ccode1,log1p:ccode2" : NULL;
        o.boot = 5;
        o.threads = 1;
        ent_backtest_t *b = NULL;
        rc = ent_backtest_run(&b, &t, &o);
        if (rc != ENT_OK && !*ent_errmsg()) {
            abort();
        }
        ent_backtest_free(b);
    }
    ent_table_destroy(&t);
    remove(path);
    return 0;
}
