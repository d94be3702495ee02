/*
 * bench_import.c -- times one import through the public API:
 *
 *     bench_import <format> <path> --db PATH
 *
 * It does what `entente import` does (open the store, one ent_import, close)
 * and prints "rows=<n> inserted=<n> seconds=<s>" on stdout, the seconds
 * covering ent_import() alone. bench/run uses the CLI when it has an import
 * command and falls back to this program otherwise.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "entente.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 5 || strcmp(argv[3], "--db") != 0) {
        fprintf(stderr, "usage: bench_import <format> <path> --db PATH\n");
        return 1;
    }
    ent_store_t *st;
    ent_err_t rc = ent_store_open(&st, argv[4], NULL);
    if (rc != ENT_OK) {
        fprintf(stderr, "bench_import: %s\n", ent_errmsg());
        return 3;
    }
    ent_import_result_t res;
    double t0 = now();
    rc = ent_import(&res, st, argv[1], argv[2], NULL);
    double t1 = now();
    ent_store_close(st);
    if (rc != ENT_OK) {
        fprintf(stderr, "bench_import: %s\n", ent_errmsg());
        return rc == ENT_EIO || rc == ENT_ESTORE || rc == ENT_ENOMEM ? 3 : 2;
    }
    printf("rows=%lld inserted=%lld seconds=%.6f\n", (long long)res.rows, (long long)res.inserted, t1 - t0);
    return 0;
}
