/*
 * cmd_cite.c -- `entente cite`: the references of every dataset and method an
 * output used, in plain text or BibTeX, as peacesciencer's citation helper does
 * for its functions. The references themselves live in the library's one table
 * (src/util/cite.c); this file only says which methods each command applies.
 *
 *   entente cite                       everything entente can cite
 *   entente cite COMMAND [--db PATH]   what that command rests on (the store's datasets with --db)
 *   entente cite --for FILE            what produced FILE (its provenance block or sidecar)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

/*
 * The methods each command applies, and where its data come from by default:
 * 'w' the shipped world, 's' the store, '-' neither (a file given on the command line).
 * Keys must be in the library's table (checked by tests/cli/test_cite.sh).
 */
typedef struct {
    const char *cmd;
    char data;
    const char *keys[8];
} cmd_cites_t;

static const cmd_cites_t cmd_cites[] = {
    {"simulate", 'w', {"entente-alignment", "walt-1987", "snyder-1984", "esteban-ray-1994", "blackman-vigna-2021"}},
    {"forecast", 'w', {"entente-alignment", "walt-1987", "snyder-1984", "esteban-ray-1994", "blackman-vigna-2021"}},
    {"world", 'w', {NULL}},
    {"export", 'w', {NULL}},
    {"states", 's', {NULL}},
    {"ties", 's', {NULL}},
    {"summary", 's', {NULL}},
    {"similarity",
     's',
     {"signorino-ritter-1999", "bueno-de-mesquita-1975", "kendall-1938", "cohen-1968", "scott-1955", "hage-2011"}},
    {"dyads", 's', {"signorino-ritter-1999", "cohen-1968", "scott-1955", "hage-2011", "bueno-de-mesquita-1975"}},
    {"balance", '-', {"heider-1946", "cartwright-harary-1956", "aref-mason-wilson-2018"}},
    {"balance-dynamics",
     '-',
     {"antal-krapivsky-redner-2005", "antal-krapivsky-redner-2006", "heider-1946", "blackman-vigna-2021"}},
    {"landscape", '-', {"axelrod-bennett-1993", "aref-mason-wilson-2018"}},
    {"blocs",
     'w',
     {"gomez-jensen-arenas-2009", "traag-bruggeman-2009", "reichardt-bornholdt-2006", "aref-mason-wilson-2018"}},
    {"polarization", 's', {"wayman-1984", "esteban-ray-1994", "unga-ideal"}},
};

static const cmd_cites_t *find_cmd(const char *cmd)
{
    for (size_t i = 0; i < sizeof cmd_cites / sizeof cmd_cites[0]; i++) {
        if (strcmp(cmd_cites[i].cmd, cmd) == 0) {
            return &cmd_cites[i];
        }
    }
    return NULL;
}

ent_err_t cli_cite_world(ent_prov_t *p)
{
    /* The shipped world, and the datasets it derives single values from (docs/data.md): COW
     * codes, CINC shares from NMC, ATOP's pacts carried forward, ISO codes, TSS rivalries. */
    static const char *const keys[] = {"entente-world", "cow-states",  "cow-nmc",
                                       "atop",          "countrycode", "tss-rivalries"};
    ent_err_t rc = ENT_OK;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0] && rc == ENT_OK; k++) {
        rc = ent_prov_cite(p, keys[k]);
    }
    return rc;
}

ent_err_t cli_cite_command(ent_prov_t *p, const char *cmd)
{
    const cmd_cites_t *c = find_cmd(cmd);
    ent_err_t rc = ENT_OK;
    for (size_t k = 0; c && k < 8 && c->keys[k] && rc == ENT_OK; k++) {
        rc = ent_prov_cite(p, c->keys[k]);
    }
    return rc;
}

typedef struct {
    bool bibtex;
    const char *file;
} cite_args_t;

static const cli_opt_t opts[] = {
    {.name = "bibtex",
     .kind = CLI_FLAG,
     .help = "BibTeX entries instead of plain text",
     .field = offsetof(cite_args_t, bibtex)},
    {.name = "for",
     .kind = CLI_STRING,
     .metavar = "FILE",
     .help = "the references of a file entente wrote (takes no COMMAND, --db or --world-dir)",
     .field = offsetof(cite_args_t, file)},
    CLI_COMMON_HELP("db", "with COMMAND: the datasets imported into this store"),
    CLI_COMMON_HELP("world-dir", "with COMMAND: a world as CSV files (excludes --db)"),
    {0},
};

const cli_spec_t cli_spec_cite = {
    .name = "cite",
    .args = "[COMMAND]",
    .npos_max = 1,
    .about = "Prints the references of the datasets and methods an output rests on: of a command\n"
             "(its methods, and its data: the shipped world, or with --db the datasets the store was\n"
             "imported from), or of a file entente wrote (read from its \"provenance\" block, or for a\n"
             "CSV file from its sidecar FILE.prov.json). Without arguments, every reference entente knows.",
    .opts = opts,
};

/*
 * Reads the citation keys of a file entente wrote into keys (pointers into the table): a
 * JSON output's "provenance" block, or for a CSV file its sidecar FILE.prov.json.
 */
static int keys_of_file(const char *path, const char **keys, size_t *n, size_t max)
{
    char side[4200];
    snprintf(side, sizeof side, "%s.prov.json", path);
    FILE *f = fopen(side, "rb");
    const char *used = side;
    if (!f) {
        f = fopen(path, "rb");
        used = path;
    }
    if (!f) {
        fprintf(stderr, "entente cite: cannot open %s\n", path);
        return EXIT_IO;
    }
    json_error_t err;
    json_t *root = json_loadf(f, 0, &err);
    fclose(f);
    json_t *arr = json_object_get(json_object_get(root, "provenance"), "cite");
    *n = 0;
    if (!json_is_array(arr)) {
        fprintf(stderr, "entente cite: %s has no \"provenance\" block with citations (nor a sidecar %s)\n", used, side);
        json_decref(root);
        return EXIT_INPUT;
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        const ent_cite_t *c = json_is_string(v) ? ent_cite_lookup(json_string_value(v)) : NULL;
        if (c && *n < max) {
            keys[(*n)++] = c->key;
        }
    }
    json_decref(root);
    return EXIT_OK;
}

static void print_keys(const char **keys, size_t n, bool bibtex)
{
    for (int kind = ENT_CITE_DATA; kind <= ENT_CITE_METHOD; kind++) {
        bool head = false;
        for (size_t i = 0; i < n; i++) {
            const ent_cite_t *c = ent_cite_lookup(keys[i]);
            if ((int)c->kind != kind) {
                continue;
            }
            if (bibtex) {
                printf("%s\n", c->bibtex);
                continue;
            }
            if (!head) {
                printf("%s%s\n", kind == ENT_CITE_DATA ? "" : "\n", kind == ENT_CITE_DATA ? "Data" : "Methods");
                head = true;
            }
            printf("  [%s] %s\n", c->key, c->text);
        }
    }
}

int cmd_cite(int argc, char **argv)
{
    cite_args_t a = {0};
    cli_common_t c;
    CLI_PARSE(&cli_spec_cite, argc, argv, &a, &c);
    bool bibtex = a.bibtex;
    const char *file = a.file, *db = c.db, *dir = c.world_dir;
    const char *cmd = c.npos ? c.pos[0] : NULL;
    if (file && (cmd || db || dir)) {
        return cli_usage_error("cite", "--for FILE takes no command, --db or --world-dir");
    }
    if (db && dir) {
        return cli_usage_error("cite", "give --db or --world-dir, not both");
    }
    size_t ntab;
    const ent_cite_t *tab = ent_cite_table(&ntab);
    const char **keys = calloc(ntab, sizeof *keys);
    if (!keys) {
        return EXIT_IO;
    }
    size_t n = 0;
    int ret = EXIT_OK;
    if (file) {
        ret = keys_of_file(file, keys, &n, ntab);
    } else if (cmd) {
        const cmd_cites_t *cc = find_cmd(cmd);
        if (!cc) {
            free(keys);
            return cli_usage_error("cite", "no command '%s' (see 'entente --help')", cmd);
        }
        ent_prov_t *p = NULL;
        ent_err_t rc = ent_prov_new(&p, cmd);
        if (rc == ENT_OK) {
            rc = cli_cite_command(p, cmd);
        }
        if (rc == ENT_OK && db) {
            ent_store_t *st = NULL;
            if ((rc = cli_open_store(&st, db, true, false)) == ENT_OK) {
                /* the datasets of the store, named by its import log */
                ent_prov_t *q = NULL;
                if ((rc = ent_prov_new(&q, cmd)) == ENT_OK && (rc = ent_prov_add_store(q, st)) == ENT_OK) {
                    for (size_t i = 0; i < ent_prov_ncites(q) && rc == ENT_OK; i++) {
                        rc = ent_prov_cite(p, ent_prov_cite_key(q, i));
                    }
                }
                ent_prov_free(q);
            }
            ent_store_close(st);
        } else if (rc == ENT_OK && (dir || cc->data == 'w')) {
            rc = cli_cite_world(p);
        }
        if (rc != ENT_OK) {
            ret = cli_fail(rc);
        } else {
            for (size_t i = 0; i < ent_prov_ncites(p); i++) {
                keys[n++] = ent_prov_cite_key(p, i);
            }
            if (!db && cc->data == 's' && !bibtex) {
                printf("(entente %s reads a store: give --db PATH to list the datasets imported into it)\n\n", cmd);
            }
            print_keys(keys, n, bibtex);
        }
        ent_prov_free(p);
        free(keys);
        return ret;
    } else {
        for (size_t i = 0; i < ntab; i++) {
            keys[n++] = tab[i].key;
        }
    }
    if (ret == EXIT_OK) {
        print_keys(keys, n, bibtex);
    }
    free(keys);
    return ret;
}
