/*
 * cli_prov.c -- the provenance of the command being run (include/entente/provenance.h):
 * main() opens one record per invocation with the command line and the methods the
 * command applies; commands add what they read (the shipped world, a store, a scenario,
 * an input file) and the run parameters; every JSON object printed with cli_print_json
 * carries it as "provenance", and a CSV file gets it in a sidecar, FILE.csv.prov.json
 * (comment lines would break the many CSV readers that do not skip them).
 *
 * One record per process is state, but the CLI runs one command per process, and a
 * global here spares every command from threading a record through its printers.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static ent_prov_t *current;
static int saved_argc;
static char **saved_argv;

/* The command line as typed: "entente" and the command's own argv. */
static ent_err_t set_cmdline(ent_prov_t *p, int argc, char **argv)
{
    char *full[256];
    int n = 0;
    full[n++] = "entente";
    for (int i = 0; i < argc && n < (int)(sizeof full / sizeof full[0]); i++) {
        full[n++] = argv[i];
    }
    return ent_prov_set_argv(p, n, full);
}

void cli_prov_begin(const char *cmd, int argc, char **argv)
{
    ent_prov_free(current);
    current = NULL;
    saved_argc = argc;
    saved_argv = argv;
    /* Out of memory here only costs the provenance block; the command still runs. */
    if (ent_prov_new(&current, cmd) != ENT_OK || set_cmdline(current, argc, argv) != ENT_OK ||
        cli_cite_command(current, cmd) != ENT_OK) {
        ent_prov_free(current);
        current = NULL;
    }
}

void cli_prov_end(void)
{
    ent_prov_free(current);
    current = NULL;
}

ent_prov_t *cli_prov(void)
{
    return current;
}

ent_err_t cli_prov_fresh(ent_prov_t **out)
{
    const char *cmd = saved_argc > 0 ? saved_argv[0] : "entente";
    ent_err_t rc = ent_prov_new(out, cmd);
    if (rc == ENT_OK && (rc = set_cmdline(*out, saved_argc, saved_argv)) == ENT_OK) {
        rc = cli_cite_command(*out, cmd);
    }
    if (rc != ENT_OK) {
        ent_prov_free(*out);
        *out = NULL;
    }
    return rc;
}

ent_err_t cli_prov_world(ent_prov_t *p, const char *dir)
{
    p = p ? p : current;
    if (!p) {
        return ENT_OK;
    }
    ent_err_t rc = ent_prov_add_dir(p, "world", dir);
    return rc == ENT_OK ? cli_cite_world(p) : rc;
}

ent_err_t cli_prov_store(ent_prov_t *p, ent_store_t *st)
{
    p = p ? p : current;
    return p ? ent_prov_add_store(p, st) : ENT_OK;
}

ent_err_t cli_prov_file(ent_prov_t *p, const char *role, const char *path)
{
    p = p ? p : current;
    return p ? ent_prov_add_file(p, role, path) : ENT_OK;
}

void cli_prov_param(ent_prov_t *p, const char *key, const char *value)
{
    p = p ? p : current;
    if (p) {
        (void)ent_prov_set_param(p, key, value); /* out of memory: the parameter goes unrecorded */
    }
}

int cli_threads(int requested)
{
    return requested > 0 ? requested : omp_get_max_threads();
}

json_t *cli_prov_json(const ent_prov_t *p)
{
    p = p ? p : current;
    if (!p) {
        return NULL;
    }
    ent_buf_t b = ENT_BUF_INIT;
    json_t *v = NULL;
    if (ent_prov_render_json(&b, p) == ENT_OK) {
        v = json_loads(ent_buf_cstr(&b), 0, NULL);
    }
    ent_buf_destroy(&b);
    return v;
}

void cli_prov_attach(json_t *obj, const ent_prov_t *p)
{
    if (json_is_object(obj) && !json_object_get(obj, "provenance")) {
        json_t *v = cli_prov_json(p);
        if (v) {
            json_object_set_new(obj, "provenance", v);
        }
    }
}

int cli_prov_sidecar(const char *csv_path, const ent_prov_t *p)
{
    json_t *v = cli_prov_json(p);
    if (!v) {
        return EXIT_OK; /* no record (out of memory at the start): the CSV goes without */
    }
    const char *slash = strrchr(csv_path, '/');
    json_t *o = json_pack("{s:s, s:o}", "describes", slash ? slash + 1 : csv_path, "provenance", v);
    size_t n = strlen(csv_path) + sizeof ".prov.json";
    char *path = malloc(n);
    int ret = EXIT_IO;
    if (o && path) {
        snprintf(path, n, "%s.prov.json", csv_path);
        /* Complete or not at all, like the file it describes. */
        cli_out_t out;
        if ((ret = cli_out_open(&out, path)) == EXIT_OK) {
            if (json_dumpf(o, out.f, JSON_SORT_KEYS | JSON_INDENT(2)) == 0) {
                ret = cli_out_commit(&out);
            } else {
                cli_out_abort(&out);
                fprintf(stderr, "entente: cannot write %s\n", path);
                ret = EXIT_IO;
            }
        }
    }
    free(path);
    json_decref(o);
    return ret;
}
