/*
 * fuzz_readers.c -- the file readers that are not importers, one target per reader
 * (READER is set at compile time):
 *   signed     ent_signed_read on the input as an edge list (with a year when it asks for one)
 *   landscape  ent_landscape_read: the input split at a line "#--8<--" into the actors file and
 *              the propensities file (without it, the input is the propensities and a fixed
 *              three-actor file is the actors)
 *   world      ent_world_load_dir on a copy of the shipped world (data/) in which the first
 *              byte picks one file and the rest replaces it
 * Every failure must carry a message naming the file; nothing may crash or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "entente.h"

#ifndef READER
#error "compile with -DREADER=\"signed\"|\"landscape\"|\"world\""
#endif
#ifndef ENT_FUZZ_WORLD_DIR
#define ENT_FUZZ_WORLD_DIR "data"
#endif

static char dir[256];

static void write_file(const char *name, const uint8_t *data, size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        abort();
    }
    if (size && fwrite(data, 1, size, f) != size) {
        abort();
    }
    fclose(f);
}

static const char *const world_files[] = {"states.csv",       "capabilities.csv", "regime.csv",       "tiers.csv",
                                          "partnerships.csv", "pacts.csv",        "pact_members.csv", "orgs.csv",
                                          "org_members.csv",  "security.csv",     "economic.csv",     "coercion.csv",
                                          "rivalries.csv",    "events.csv",       "unga.csv"};
#define NWORLD (sizeof world_files / sizeof world_files[0])

/* The shipped world's files, read once. */
static char *world_text[NWORLD];
static size_t world_len[NWORLD];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/ent_fuzz_readers_%d", (int)getpid());
    mkdir(dir, 0700);
    if (strcmp(READER, "world") == 0) {
        for (size_t k = 0; k < NWORLD; k++) {
            char path[512];
            snprintf(path, sizeof path, "%s/%s", ENT_FUZZ_WORLD_DIR, world_files[k]);
            FILE *f = fopen(path, "rb");
            if (!f) {
                fprintf(stderr, "fuzz_readers: cannot read %s\n", path);
                abort();
            }
            fseek(f, 0, SEEK_END);
            world_len[k] = (size_t)ftell(f);
            fseek(f, 0, SEEK_SET);
            world_text[k] = malloc(world_len[k] + 1);
            if (!world_text[k] || fread(world_text[k], 1, world_len[k], f) != world_len[k]) {
                abort();
            }
            fclose(f);
            write_file(world_files[k], (const uint8_t *)world_text[k], world_len[k]);
        }
    }
    return 0;
}

static void must_name(const char *what)
{
    if (!strstr(ent_errmsg(), what)) {
        fprintf(stderr, "error without '%s': %s\n", what, ent_errmsg());
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (strcmp(READER, "signed") == 0) {
        write_file("edges.csv", data, size);
        char path[512];
        snprintf(path, sizeof path, "%s/edges.csv", dir);
        ent_signed_read_options_t o = ENT_SIGNED_READ_OPTIONS_INIT;
        o.max_edges = 5000;
        ent_signed_set_t *set = NULL;
        ent_err_t rc = ent_signed_read(&set, path, &o);
        if (rc == ENT_EINVAL) { /* a dated file needs a year: read it again at one */
            o.year = 1900;
            rc = ent_signed_read(&set, path, &o);
        }
        if (rc != ENT_OK) {
            if (rc != ENT_ENOMEM) {
                must_name("edges.csv");
            }
        } else {
            for (size_t k = 0; k < ent_signed_set_count(set); k++) {
                if (!ent_signed_set_graph(set, k) || !ent_signed_set_name(set, k)) {
                    abort();
                }
            }
            ent_signed_set_free(set);
        }
    } else if (strcmp(READER, "landscape") == 0) {
        static const char marker[] = "\n#--8<--\n";
        const uint8_t *cut = NULL;
        for (size_t i = 0; i + sizeof marker - 1 <= size; i++) {
            if (memcmp(data + i, marker, sizeof marker - 1) == 0) {
                cut = data + i;
                break;
            }
        }
        if (cut) {
            write_file("actors.csv", data, (size_t)(cut - data) + 1);
            size_t off = (size_t)(cut - data) + sizeof marker - 1;
            write_file("props.csv", data + off, size - off);
        } else {
            static const char actors[] = "actor,size\nA,1\nB,2\nC,0.5\n";
            write_file("actors.csv", (const uint8_t *)actors, sizeof actors - 1);
            write_file("props.csv", data, size);
        }
        char a[512], p[512];
        snprintf(a, sizeof a, "%s/actors.csv", dir);
        snprintf(p, sizeof p, "%s/props.csv", dir);
        ent_landscape_t l;
        ent_landscape_init(&l);
        ent_err_t rc = ent_landscape_read(&l, a, p);
        if (rc != ENT_OK && rc != ENT_ENOMEM && !strstr(ent_errmsg(), "actors.csv") &&
            !strstr(ent_errmsg(), "props.csv")) {
            fprintf(stderr, "error naming neither file: %s\n", ent_errmsg());
            abort();
        }
        ent_landscape_destroy(&l);
    } else {
        if (size < 1) {
            return 0;
        }
        size_t k = data[0] % NWORLD;
        write_file(world_files[k], data + 1, size - 1);
        ent_world_t *w = NULL;
        ent_err_t rc = ent_world_load_dir(&w, dir);
        if (rc != ENT_OK && rc != ENT_ENOMEM) {
            must_name(".csv");
        }
        ent_world_free(w);
        /* put the shipped file back for the next input */
        write_file(world_files[k], (const uint8_t *)world_text[k], world_len[k]);
    }
    return 0;
}
