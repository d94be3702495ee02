/*
 * fuzz_import.c -- libFuzzer target for one importer, compiled once per format
 * (FORMAT="cow-states", ...) into fuzz_import_<format>.
 *
 * LLVMFuzzerInitialize prepares, in a per-process folder under /tmp, a store
 * holding the real COW state list (ENT_SHARED_DATA/cow/states2016.csv, from
 * the environment or the build's cache) or, when that is absent, a tiny
 * built-in list; the prepared database is kept in memory as the baseline.
 * Each input is written to a file named like the original dataset file and
 * imported into that store. Then:
 *   - a failed import must leave ent_store_summary() exactly as before
 *     (abort() otherwise: that is a finding -- the transaction leaked);
 *   - a failed import must set a non-empty error message;
 *   - a successful import is undone by restoring the baseline database, so
 *     every input runs against the same store and findings reproduce.
 *
 * Formats that read a second file beside the first (atop: the alliance-level
 * atop5_1a.csv beside the member file atop5_1m.csv; un-votes: un_roll_calls.csv
 * beside un_votes.csv) take both from the input: everything before a line that
 * is exactly
 *     #--8<--
 * is the main file and everything after it the companion file. Without that
 * line, a small fixed, valid companion file is written instead, so plain
 * member/vote files fuzz the main reader and split inputs fuzz both.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "entente.h"

#ifndef FORMAT
#error "compile with -DFORMAT=\"<format>\""
#endif
#ifndef ENT_FUZZ_SHARED_DATA
#define ENT_FUZZ_SHARED_DATA "../shared/data"
#endif

#define SPLIT "#--8<--\n"

/* The file name each format's importer is given, and its companion (if any). */
static const struct {
    const char *format, *file, *companion, *companion_text;
} layouts[] = {
    {"cow-states", "states2016.csv", NULL, NULL},
    {"cow-system", "system2016.csv", NULL, NULL},
    {"cow-nmc", "nmc_v7.0_abridged.csv", NULL, NULL},
    {"cow-alliance", "cow_alliance_v4.1_directed_dyad_year.csv", NULL, NULL},
    {"atop", "atop5_1m.csv", "atop5_1a.csv",
     "atopid,begyr,begmo,begday,endyr,endmo,endday,bilat,defense,offense,neutral,nonagg,consul\n"
     "1005,1815,1,3,1815,2,8,0,1,0,0,0,1\n"
     "1010,1815,1,14,1815,6,8,1,1,0,0,0,1\n"
     "3445,1949,4,4,,,,0,1,0,0,0,1\n"},
    {"atop-dyad-year", "atop5_1_directed_dyad_year.csv", NULL, NULL},
    {"unga-ideal", "IdealpointestimatesAll_Jun2024.csv", NULL, NULL},
    {"unga-idealfp", "idealpoints_fp_1946_2024.csv", NULL, NULL},
    {"unga-agreement", "agreement_usa_chn_2015_2024.csv", NULL, NULL},
    {"un-votes", "un_votes.csv", "un_roll_calls.csv",
     "\"rcid\",\"session\",\"importantvote\",\"date\",\"unres\",\"amend\",\"para\",\"short\",\"descr\"\n"
     "3,1,0,\"1946-01-01\",\"R/1/66\",1,0,\"RULES\",\"A short description\"\n"
     "4,1,0,\"1946-01-02\",\"R/1/79\",0,0,\"ELECTIONS\",\"Another one\"\n"},
    {"mme", "mme-v7-long.csv", NULL, NULL},
    {"tss-rivalries", "tss_rivalries.csv", NULL, NULL},
    {"cow-contdir", "cow_contdir.csv", NULL, NULL},
    {"capital-distance", "cow_capdist_ndy_derived.csv", NULL, NULL},
    {"cow-majors", "majors2016.csv", NULL, NULL},
    {"democracy", "ccode_democracy.csv", NULL, NULL},
    {"cow-mid-dyad", "cow_mid_ddydisps.csv", NULL, NULL},
    {"gml-mid-dyad", "gml_mid_ddydisps.csv", NULL, NULL},
    {"cow-igo-dyad", "cow_igo_ndy.csv", NULL, NULL},
    {"cow-trade-dyad", "cow_trade_ndy.csv", NULL, NULL},
    {"cow-trade-state", "cow_trade_sy.csv", NULL, NULL},
    {"false-dyads", "false_cow_dyads.csv", NULL, NULL},
};

/* Used only when the real state list is absent: codes the seed corpora use. */
static const char tiny_states[] = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
                                  "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
                                  "CAN,20,Canada,1920,1,10,2016,12,31,2016\n"
                                  "UKG,200,United Kingdom,1816,1,1,2016,12,31,2016\n"
                                  "FRN,220,France,1816,1,1,1942,11,11,2016\n"
                                  "FRN,220,France,1944,8,25,2016,12,31,2016\n"
                                  "GMY,255,Germany,1816,1,1,1945,5,8,2016\n"
                                  "GFR,260,German Federal Republic,1955,5,5,1990,10,2,2016\n"
                                  "AUH,300,Austria-Hungary,1816,1,1,1918,11,3,2016\n"
                                  "RUS,365,Russia,1816,1,1,2016,12,31,2016\n"
                                  "CHN,710,China,1950,1,1,2016,12,31,2016\n";

static struct {
    int layout;
    char dir[64];
    char db[128], main_file[192], companion[192];
    char *baseline;
    size_t baseline_len;
    ent_store_t *st;
    ent_store_summary_t before;
} g;

static void die(const char *what, ent_err_t rc)
{
    fprintf(stderr, "fuzz_import(%s): %s: %s: %s\n", FORMAT, what, ent_strerror(rc), ent_errmsg());
    abort();
}

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        return -1;
    }
    size_t n = len ? fwrite(data, 1, len, f) : 0;
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || n != len) {
        return -1;
    }
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) {
            break;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static void remove_db_files(void)
{
    char p[160];
    unlink(g.db);
    snprintf(p, sizeof p, "%s-wal", g.db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", g.db);
    unlink(p);
    snprintf(p, sizeof p, "%s-journal", g.db);
    unlink(p);
}

static void open_store(void)
{
    ent_err_t rc = ent_store_open(&g.st, g.db, NULL);
    if (rc != ENT_OK) {
        die("opening the store", rc);
    }
    if ((rc = ent_store_summary(&g.before, g.st)) != ENT_OK) {
        die("summary", rc);
    }
}

/* Puts the baseline database back (after an import that succeeded). */
static void restore_baseline(void)
{
    ent_store_close(g.st);
    g.st = NULL;
    remove_db_files();
    if (write_file(g.db, g.baseline, g.baseline_len) != 0) {
        fprintf(stderr, "fuzz_import: cannot restore %s: %s\n", g.db, strerror(errno));
        abort();
    }
    open_store();
}

static void cleanup(void)
{
    ent_store_close(g.st);
    g.st = NULL;
    remove_db_files();
    unlink(g.main_file);
    if (g.companion[0]) {
        unlink(g.companion);
    }
    char p[128];
    snprintf(p, sizeof p, "%s/states2016.csv", g.dir);
    unlink(p);
    rmdir(g.dir);
    free(g.baseline);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    g.layout = -1;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        if (strcmp(layouts[i].format, FORMAT) == 0) {
            g.layout = (int)i;
        }
    }
    if (g.layout < 0) {
        fprintf(stderr, "fuzz_import: no file layout for format %s\n", FORMAT);
        abort();
    }
    snprintf(g.dir, sizeof g.dir, "/tmp/ent-fuzz-%ld-XXXXXX", (long)getpid());
    if (!mkdtemp(g.dir)) {
        fprintf(stderr, "fuzz_import: mkdtemp: %s\n", strerror(errno));
        abort();
    }
    snprintf(g.db, sizeof g.db, "%s/store.db", g.dir);
    snprintf(g.main_file, sizeof g.main_file, "%s/%s", g.dir, layouts[g.layout].file);
    if (layouts[g.layout].companion) {
        snprintf(g.companion, sizeof g.companion, "%s/%s", g.dir, layouts[g.layout].companion);
    }
    atexit(cleanup);

    /* The state list: the real one when available. */
    const char *root = getenv("ENT_SHARED_DATA");
    char states[512];
    snprintf(states, sizeof states, "%s/cow/states2016.csv", root && *root ? root : ENT_FUZZ_SHARED_DATA);
    if (access(states, R_OK) != 0) {
        snprintf(states, sizeof states, "%s/states2016.csv", g.dir);
        if (write_file(states, tiny_states, sizeof tiny_states - 1) != 0) {
            fprintf(stderr, "fuzz_import: cannot write %s\n", states);
            abort();
        }
        fprintf(stderr, "fuzz_import(%s): real state list absent; using a built-in list of 9 states\n", FORMAT);
    }
    ent_err_t rc = ent_store_open(&g.st, g.db, NULL);
    if (rc != ENT_OK) {
        die("creating the store", rc);
    }
    ent_import_result_t res;
    if ((rc = ent_import(&res, g.st, "cow-states", states, NULL)) != ENT_OK) {
        die("importing the state list", rc);
    }
    ent_store_close(g.st); /* checkpoints the WAL into the main file */
    g.st = NULL;
    if (!(g.baseline = read_file(g.db, &g.baseline_len))) {
        fprintf(stderr, "fuzz_import: cannot read back %s\n", g.db);
        abort();
    }
    open_store();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t main_len = size, comp_off = 0, comp_len = 0;
    bool split = false;
    if (g.companion[0]) {
        /* The separator must start a line: at offset 0 or after a newline. */
        for (size_t i = 0; i + sizeof SPLIT - 1 <= size; i++) {
            if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, SPLIT, sizeof SPLIT - 1) == 0) {
                split = true;
                main_len = i;
                comp_off = i + sizeof SPLIT - 1;
                comp_len = size - comp_off;
                break;
            }
        }
        const char *ct = split ? text + comp_off : layouts[g.layout].companion_text;
        size_t cl = split ? comp_len : strlen(layouts[g.layout].companion_text);
        if (write_file(g.companion, ct, cl) != 0) {
            fprintf(stderr, "fuzz_import: cannot write %s\n", g.companion);
            abort();
        }
    }
    if (write_file(g.main_file, text, main_len) != 0) {
        fprintf(stderr, "fuzz_import: cannot write %s\n", g.main_file);
        abort();
    }

    ent_import_result_t res;
    ent_err_t rc = ent_import(&res, g.st, FORMAT, g.main_file, NULL);
    if (rc == ENT_OK) {
        /* tss-rivalries counts out-of-scope rows (before 1816, non-COW states) as rejected by design */
        bool scoped = strcmp(FORMAT, "tss-rivalries") == 0;
        if (res.rows < 0 || res.inserted < 0 || (res.rejected != 0 && !scoped) || res.rejected > res.rows) {
            fprintf(stderr, "fuzz_import(%s): odd counts: rows %lld inserted %lld rejected %lld\n", FORMAT,
                    (long long)res.rows, (long long)res.inserted, (long long)res.rejected);
            abort();
        }
        restore_baseline();
        return 0;
    }
    if (rc == ENT_ENOMEM || rc == ENT_ESTORE) {
        die("the store or memory failed (not an input error)", rc);
    }
    const char *msg = ent_errmsg();
    if (!msg || !*msg) {
        fprintf(stderr, "fuzz_import(%s): import failed with %s but no message\n", FORMAT, ent_strerror(rc));
        abort();
    }
    if (res.inserted != 0) {
        fprintf(stderr, "fuzz_import(%s): failed import reports %lld rows inserted\n", FORMAT, (long long)res.inserted);
        abort();
    }
    ent_store_summary_t after;
    if ((rc = ent_store_summary(&after, g.st)) != ENT_OK) {
        die("summary after a failed import", rc);
    }
    if (memcmp(&after, &g.before, sizeof after) != 0) {
        fprintf(stderr,
                "fuzz_import(%s): FINDING: a failed import changed the store (%s)\n"
                "  states %lld->%lld spells %lld->%lld system %lld->%lld caps %lld->%lld pacts %lld->%lld "
                "members %lld->%lld atop %lld->%lld cow %lld->%lld imports %lld->%lld\n",
                FORMAT, msg, (long long)g.before.states, (long long)after.states, (long long)g.before.state_spells,
                (long long)after.state_spells, (long long)g.before.system_years, (long long)after.system_years,
                (long long)g.before.capabilities, (long long)after.capabilities, (long long)g.before.pacts,
                (long long)after.pacts, (long long)g.before.pact_members, (long long)after.pact_members,
                (long long)g.before.alliance_dyad_years_atop, (long long)after.alliance_dyad_years_atop,
                (long long)g.before.alliance_dyad_years_cow, (long long)after.alliance_dyad_years_cow,
                (long long)g.before.imports, (long long)after.imports);
        abort();
    }
    return 0;
}
