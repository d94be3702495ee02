/*
 * util_provenance.c -- SHA-256 against the NIST example vectors (FIPS 180-4
 * examples, "SHA256.pdf" and the one-million-'a' vector of FIPS 180-2 B.3),
 * the citation table's integrity, and provenance records: files hashed,
 * a store's import log read and cited, JSON that parses, comment lines that
 * stay comments, a one-line caption.
 */
#include "check.h"

#include <jansson.h>

static void hex_of(char hex[65], const void *data, size_t len, size_t chunk)
{
    ent_sha256_t s;
    ent_sha256_init(&s);
    const unsigned char *p = data;
    /* Feed in pieces of `chunk` bytes so block boundaries fall everywhere. */
    while (len) {
        size_t k = chunk < len ? chunk : len;
        ent_sha256_update(&s, p, k);
        p += k;
        len -= k;
    }
    uint8_t d[32];
    ent_sha256_final(&s, d);
    ent_sha256_hex(hex, d);
}

static void test_sha256_vectors(void)
{
    static const struct {
        const char *msg, *hex;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrst"
         "nopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
        /* 55, 56 and 64 bytes: the padding's edge cases (length fits, does not fit, whole block);
           values from Python's hashlib. */
        {"0123456789012345678901234567890123456789012345678901234",
         "f34d5a0f80c0cbf84c8c0b90218c22637abd199965249da736a20143c8c9c9d9"},
        {"01234567890123456789012345678901234567890123456789012345",
         "83aa034bda83e458a0dc9cbce0d4e354716aa0ff770ed37ac0ed2b292052e4af"},
        {"0123456789012345678901234567890123456789012345678901234567890123",
         "9674d9e078535b7cec43284387a6ee39956188e735a85452b0050b55341cda56"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        for (size_t chunk = 1; chunk <= 130; chunk += (chunk < 8 ? 1 : 61)) {
            char hex[65];
            hex_of(hex, v[i].msg, strlen(v[i].msg), chunk);
            CHECK_STR(hex, v[i].hex);
        }
    }
    /* One million 'a' (FIPS 180-2, appendix B.3). */
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    char hex[65];
    hex_of(hex, a, 1000000, 1000000);
    CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    hex_of(hex, a, 1000000, 4097);
    CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

static void test_cite_table(void)
{
    size_t n;
    const ent_cite_t *t = ent_cite_table(&n);
    CHECK(n >= 20);
    for (size_t i = 0; i < n; i++) {
        CHECK(ent_cite_lookup(t[i].key) == &t[i]); /* keys are unique */
        CHECK(t[i].text[0] && t[i].brief[0]);
        /* Each BibTeX entry opens with its own key and closes its braces. */
        char head[128];
        snprintf(head, sizeof head, "{%s,\n", t[i].key);
        CHECK_CONTAINS(t[i].bibtex, head);
        int depth = 0;
        for (const char *p = t[i].bibtex; *p; p++) {
            depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
            CHECK(depth >= 0);
        }
        CHECK(depth == 0);
        CHECK(strstr(t[i].bibtex, "year = {") != NULL);
    }
    /* Every import format is citable: the import log of a store names its citations. */
    for (const char *const *f = ent_import_formats(); *f; f++) {
        const char *key = strcmp(*f, "cow-system") == 0       ? "cow-states"
                          : strcmp(*f, "atop-dyad-year") == 0 ? "atop"
                                                              : *f;
        if (!ent_cite_lookup(key)) {
            fprintf(stderr, "import format %s has no citation\n", *f);
            check_failures++;
        }
    }
    CHECK(ent_cite_lookup("no-such-key") == NULL);
}

static void test_record(const char *tmp)
{
    char path[1024], dbpath[1024];
    snprintf(path, sizeof path, "%s/prov_input.csv", tmp);
    FILE *f = fopen(path, "wb");
    fputs("abc", f);
    fclose(f);

    ent_prov_t *p = NULL;
    CHECK_OK(ent_prov_new(&p, "simulate"));
    char *argv[] = {"entente", "simulate", "my scenario.yaml", "--seed", "7", "it's"};
    CHECK_OK(ent_prov_set_argv(p, 6, argv));
    CHECK_OK(ent_prov_add_file(p, "scenario", path));
    CHECK_OK(ent_prov_add_file(p, "scenario", path)); /* recorded once */
    CHECK_RC(ent_prov_add_file(p, "world", "/nonexistent/file.csv"), ENT_EIO);
    CHECK_CONTAINS(ent_errmsg(), "/nonexistent/file.csv");
    ent_prov_set_run(p, 7, 2000, 2);
    CHECK_OK(ent_prov_set_param(p, "date", "2024-01-01"));
    CHECK_OK(ent_prov_set_param(p, "note", "two\nlines"));
    CHECK_OK(ent_prov_set_param(p, "date", "2025-06-30")); /* the last value wins */
    CHECK_OK(ent_prov_cite(p, "entente-alignment"));
    CHECK_OK(ent_prov_cite(p, "entente-world"));
    CHECK_OK(ent_prov_cite(p, "entente-alignment"));
    CHECK_RC(ent_prov_cite(p, "nope"), ENT_ENOTFOUND);
    CHECK(ent_prov_ncites(p) == 2);
    CHECK_STR(ent_prov_cite_key(p, 1), "entente-world");

    /* A store with one import: the database's size, the import log listed and cited. */
    snprintf(dbpath, sizeof dbpath, "%s/prov.db", tmp);
    remove(dbpath);
    char spath[1024];
    snprintf(spath, sizeof spath, "%s/prov_states.csv", tmp);
    f = fopen(spath, "wb");
    fputs("stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
          "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
          "CHN,710,China,1950,1,1,2016,12,31,2016\n",
          f);
    fclose(f);
    ent_store_t *st = NULL;
    CHECK_OK(ent_store_open(&st, dbpath, NULL));
    ent_import_result_t res;
    CHECK_OK(ent_import(&res, st, "cow-states", spath, NULL));
    CHECK_OK(ent_prov_add_store(p, st));
    ent_store_close(st);

    ent_buf_t b = ENT_BUF_INIT;
    CHECK_OK(ent_prov_render_json(&b, p));
    json_error_t jerr;
    json_t *j = json_loads(ent_buf_cstr(&b), 0, &jerr);
    CHECK(j != NULL);
    if (j) {
        CHECK_STR(json_string_value(json_object_get(json_object_get(j, "engine"), "version")), ent_version());
        CHECK_STR(json_string_value(json_object_get(json_object_get(j, "engine"), "commit")), ent_build_commit());
        CHECK(json_is_boolean(json_object_get(json_object_get(j, "engine"), "dirty")));
        CHECK_STR(json_string_value(json_object_get(j, "command")),
                  "entente simulate 'my scenario.yaml' --seed 7 'it'\\''s'");
        CHECK(json_array_size(json_object_get(j, "argv")) == 6);
        CHECK_STR(json_string_value(json_array_get(json_object_get(j, "argv"), 5)), "it's");
        json_t *in = json_object_get(j, "inputs");
        CHECK(json_array_size(in) == 3); /* the scenario, the store, one import */
        json_t *sc = json_array_get(in, 0);
        CHECK_STR(json_string_value(json_object_get(sc, "role")), "scenario");
        CHECK(json_integer_value(json_object_get(sc, "bytes")) == 3);
        CHECK_STR(json_string_value(json_object_get(sc, "sha256")),
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        json_t *db = json_array_get(in, 1);
        CHECK_STR(json_string_value(json_object_get(db, "role")), "store");
        CHECK(json_integer_value(json_object_get(db, "bytes")) > 0);
        CHECK(json_object_get(db, "sha256") == NULL);
        json_t *im = json_array_get(in, 2);
        CHECK_STR(json_string_value(json_object_get(im, "role")), "import");
        CHECK_STR(json_string_value(json_object_get(im, "format")), "cow-states");
        CHECK(json_integer_value(json_object_get(im, "rows")) == 2);
        CHECK(json_object_get(im, "sha256") == NULL);
        CHECK(json_integer_value(json_object_get(j, "seed")) == 7);
        CHECK(json_integer_value(json_object_get(j, "runs")) == 2000);
        CHECK(json_integer_value(json_object_get(j, "threads")) == 2);
        CHECK_STR(json_string_value(json_object_get(json_object_get(j, "params"), "date")), "2025-06-30");
        CHECK_STR(json_string_value(json_object_get(json_object_get(j, "params"), "note")), "two\nlines");
        json_t *cite = json_object_get(j, "cite");
        CHECK(json_array_size(cite) == 4); /* alignment, world, cow-states and countrycode from the log */
        CHECK_STR(json_string_value(json_array_get(cite, 2)), "cow-states");
        CHECK_STR(json_string_value(json_array_get(cite, 3)), "countrycode");
        json_decref(j);
    }

    /* Comment lines: every line starts with '# ', including a parameter that had a newline. */
    ent_buf_clear(&b);
    CHECK_OK(ent_prov_render_comments(&b, p));
    const char *s = ent_buf_cstr(&b);
    CHECK(b.len > 0 && s[b.len - 1] == '\n');
    int lines = 0;
    for (const char *q = s; *q; q = strchr(q, '\n') + 1) {
        CHECK(strncmp(q, "# ", 2) == 0);
        lines++;
    }
    CHECK(lines >= 8);
    CHECK_CONTAINS(s, "# note: two lines\n");
    CHECK_CONTAINS(s, "# seed: 7\n");
    CHECK_CONTAINS(s, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    /* The caption: one line, the version, the seed and runs, the data by brief reference. */
    ent_buf_clear(&b);
    CHECK_OK(ent_prov_render_caption(&b, p));
    s = ent_buf_cstr(&b);
    CHECK(strchr(s, '\n') == NULL);
    CHECK_CONTAINS(s, ent_version());
    CHECK_CONTAINS(s, "seed 7, 2000 runs");
    CHECK_CONTAINS(s, "COW State System v2016");
    CHECK_CONTAINS(s, "Scenario prov_input.csv (sha256 ba7816bf8f01)");
    ent_buf_destroy(&b);
    ent_prov_free(p);
    ent_prov_free(NULL);
}

int main(void)
{
    const char *tmp = check_tmpdir();
    test_sha256_vectors();
    test_cite_table();
    test_record(tmp);
    return CHECK_DONE();
}
