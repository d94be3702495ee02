/*
 * util_csv.c -- the CSV reader: quoting, CRLF, BOM, NA, limits, and that every
 * error names file:line:column.
 */
#include "check.h"

#include <stdbool.h>

/* Reads all records of `text`; returns the error of the first failing read, or ENT_OK. */
static ent_err_t read_all(const char *text, size_t len, const ent_csv_options_t *o, size_t *nrec)
{
    ent_csv_t *r;
    ent_err_t rc = ent_csv_open_mem(&r, "t.csv", text, len, o);
    if (rc != ENT_OK) {
        return rc;
    }
    bool eof = false;
    *nrec = 0;
    while ((rc = ent_csv_next(r, &eof)) == ENT_OK && !eof) {
        (*nrec)++;
    }
    ent_csv_free(r);
    return rc;
}

static void test_quoting(void)
{
    const char text[] = "\xEF\xBB\xBF"
                        "a,\"b,c\",\"say \"\"hi\"\"\"\r\n"
                        "1,\"multi\nline\",NA\r\n"
                        "\n"
                        "x,,\"\"\n"
                        "last,no,newline";
    ent_csv_t *r;
    bool eof;
    size_t len;
    CHECK_OK(ent_csv_open_mem(&r, "q.csv", text, sizeof text - 1, NULL));
    CHECK_OK(ent_csv_next(r, &eof));
    CHECK(!eof && ent_csv_nfields(r) == 3);
    CHECK_STR(ent_csv_field(r, 0, NULL), "a"); /* the BOM is not part of the first field */
    CHECK_STR(ent_csv_field(r, 1, &len), "b,c");
    CHECK(len == 3);
    CHECK_STR(ent_csv_field(r, 2, NULL), "say \"hi\"");
    CHECK(ent_csv_line(r) == 1);
    CHECK_OK(ent_csv_next(r, &eof));
    CHECK_STR(ent_csv_field(r, 1, NULL), "multi\nline");
    CHECK(ent_csv_is_na(r, 2));
    CHECK(ent_csv_line(r) == 2);
    CHECK_OK(ent_csv_next(r, &eof)); /* the empty line is skipped */
    CHECK(ent_csv_line(r) == 5);
    CHECK(ent_csv_nfields(r) == 3);
    CHECK(ent_csv_is_na(r, 1) && ent_csv_is_na(r, 2));
    CHECK(ent_csv_column(r, 2) == 4);
    CHECK_OK(ent_csv_next(r, &eof));
    CHECK_STR(ent_csv_field(r, 2, NULL), "newline");
    CHECK_OK(ent_csv_next(r, &eof));
    CHECK(eof);
    ent_csv_free(r);
}

static void test_header_and_getters(void)
{
    const char text[] = "id,year,share,name\n7,1914,0.25,Serbia\n8,19x4,NA,\n9,3000,1.5e400,ok\n";
    static const char *cols[] = {"year", "id", "share", "missing"};
    static const bool opt[] = {false, false, false, true};
    int idx[4];
    ent_csv_t *r;
    bool eof, na;
    int64_t v;
    double d;
    const char *s;
    CHECK_OK(ent_csv_open_mem(&r, "g.csv", text, sizeof text - 1, NULL));
    CHECK_OK(ent_csv_header(r, cols, opt, idx, 4));
    CHECK(idx[0] == 1 && idx[1] == 0 && idx[2] == 2 && idx[3] == -1);
    CHECK_OK(ent_csv_next(r, &eof));
    CHECK_OK(ent_csv_get_i64(r, 1, "year", 1816, 2100, &v, NULL));
    CHECK(v == 1914);
    CHECK_OK(ent_csv_get_f64(r, 2, "share", 0, 1, &d, NULL));
    CHECK_NEAR(d, 0.25, 0);
    CHECK_OK(ent_csv_get_str(r, 3, "name", 10, &s, NULL));
    CHECK_STR(s, "Serbia");
    CHECK_RC(ent_csv_get_str(r, 3, "name", 3, &s, NULL), ENT_ELIMIT);
    CHECK_OK(ent_csv_next(r, &eof));
    CHECK_RC(ent_csv_get_i64(r, 1, "year", 1816, 2100, &v, NULL), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), "g.csv:3:3: field 'year': expected an integer, got '19x4'");
    CHECK_OK(ent_csv_get_f64(r, 2, "share", 0, 1, &d, &na));
    CHECK(na);
    CHECK_RC(ent_csv_get_f64(r, 2, "share", 0, 1, &d, NULL), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), "missing value");
    CHECK_RC(ent_csv_get_i64(r, 9, "far", 0, 1, &v, NULL), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), "field 'far'");
    CHECK_RC(ent_csv_expect_fields(r, 5), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), "g.csv:3: expected 5 fields, got 4");
    CHECK_OK(ent_csv_next(r, &eof));
    CHECK_RC(ent_csv_get_i64(r, 1, "year", 1816, 2100, &v, NULL), ENT_ERANGE);
    CHECK_CONTAINS(ent_errmsg(), "3000 outside 1816..2100");
    CHECK_RC(ent_csv_get_f64(r, 2, "share", 0, 1, &d, NULL), ENT_ERANGE);
    ent_csv_free(r);

    /* a missing required column is named */
    CHECK_OK(ent_csv_open_mem(&r, "h.csv", text, sizeof text - 1, NULL));
    CHECK_RC(ent_csv_header(r, cols, NULL, idx, 4), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), "h.csv:1: header: missing column 'missing'");
    ent_csv_free(r);
}

static void test_numbers(void)
{
    const char text[] = "9223372036854775807,99999999999999999999,-5,+3,0x10,inf,nan,1e5, 7\n";
    ent_csv_t *r;
    bool eof;
    int64_t v;
    double d;
    CHECK_OK(ent_csv_open_mem(&r, "n.csv", text, sizeof text - 1, NULL));
    CHECK_OK(ent_csv_next(r, &eof));
    CHECK_OK(ent_csv_get_i64(r, 0, "a", INT64_MIN, INT64_MAX, &v, NULL));
    CHECK(v == INT64_MAX);
    CHECK_RC(ent_csv_get_i64(r, 1, "b", INT64_MIN, INT64_MAX, &v, NULL), ENT_ERANGE);
    CHECK_OK(ent_csv_get_i64(r, 2, "c", -10, 10, &v, NULL));
    CHECK(v == -5);
    CHECK_OK(ent_csv_get_i64(r, 3, "d", -10, 10, &v, NULL));
    CHECK(v == 3);
    CHECK_RC(ent_csv_get_f64(r, 4, "e", -1e9, 1e9, &d, NULL), ENT_EPARSE);
    CHECK_RC(ent_csv_get_f64(r, 5, "f", -1e9, 1e9, &d, NULL), ENT_EPARSE);
    CHECK_RC(ent_csv_get_f64(r, 6, "g", -1e9, 1e9, &d, NULL), ENT_EPARSE);
    CHECK_OK(ent_csv_get_f64(r, 7, "h", -1e9, 1e9, &d, NULL));
    CHECK_NEAR(d, 1e5, 0);
    CHECK_RC(ent_csv_get_i64(r, 8, "i", 0, 10, &v, NULL), ENT_EPARSE); /* leading space is not a number */
    ent_csv_free(r);
}

static void test_errors(void)
{
    size_t n;
    ent_csv_options_t o = ENT_CSV_OPTIONS_INIT;
    CHECK_RC(read_all("a,b\n\"open,c\n", 12, NULL, &n), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), "t.csv:2:1: unterminated quoted field");
    CHECK_RC(read_all("a,\"b\"x,c\n", 9, NULL, &n), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), "t.csv:1:6: unexpected character after a closing quote");
    CHECK_RC(read_all("ok\nbad\xff,x\n", 10, NULL, &n), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), "t.csv:2:1: field 1: invalid UTF-8 byte 0xFF");
    CHECK_RC(read_all("a,\xC0\xAF\n", 5, NULL, &n), ENT_EPARSE); /* overlong '/' */
    CHECK_RC(read_all("a,b\0c\n", 6, NULL, &n), ENT_EPARSE);
    CHECK_CONTAINS(ent_errmsg(), "NUL byte");
    o.flags = 0; /* without validation, latin-1 passes through */
    CHECK_OK(read_all("caf\xe9\n", 5, &o, &n));
    CHECK(n == 1);
    o.max_field = 4;
    CHECK_RC(read_all("abcd,abcde\n", 11, &o, &n), ENT_ELIMIT);
    CHECK_CONTAINS(ent_errmsg(), "t.csv:1:6: field 2 longer than 4 bytes");
    CHECK_RC(read_all("\"abcdefgh\"\n", 11, &o, &n), ENT_ELIMIT);
    o = (ent_csv_options_t)ENT_CSV_OPTIONS_INIT;
    o.max_fields = 3;
    CHECK_RC(read_all("1,2,3,4\n", 8, &o, &n), ENT_ELIMIT);
    CHECK_OK(read_all("", 0, NULL, &n));
    CHECK(n == 0);
    CHECK_OK(read_all("\xEF\xBB\xBF", 3, NULL, &n)); /* only a BOM: no records */
    CHECK(n == 0);
    CHECK_OK(read_all("\r\n\r\n", 4, NULL, &n));
    CHECK(n == 0);
    CHECK_OK(read_all("a\rb\n", 4, NULL, &n)); /* a lone CR inside a field is data */
    CHECK(n == 1);
}

static void test_file_and_gzip(void)
{
    char path[512], gzpath[512];
    const char *tmp = getenv("ENT_TMP") ? getenv("ENT_TMP") : ".";
    snprintf(path, sizeof path, "%s/util_csv_plain.csv", tmp);
    snprintf(gzpath, sizeof gzpath, "%s/util_csv_gz.csv.gz", tmp);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) {
        return;
    }
    /* enough records to cross the 256 KiB read buffer several times */
    for (int i = 0; i < 60000; i++) {
        fprintf(f, "%d,\"x,%d\",%d\r\n", i, i, i * 2);
    }
    fclose(f);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s'", path, gzpath);
    int gz_ok = system(cmd) == 0;
    for (int pass = 0; pass < (gz_ok ? 2 : 1); pass++) {
        ent_csv_t *r;
        bool eof;
        int64_t v, count = 0, sum = 0;
        CHECK_OK(ent_csv_open(&r, pass ? gzpath : path, NULL));
        if (!r) {
            continue;
        }
        while (ent_csv_next(r, &eof) == ENT_OK && !eof) {
            CHECK_OK(ent_csv_get_i64(r, 2, "v", 0, INT64_MAX, &v, NULL));
            sum += v;
            count++;
        }
        CHECK(count == 60000);
        CHECK(sum == 2 * (int64_t)59999 * 60000 / 2);
        CHECK(ent_csv_line(r) == 60000);
        CHECK_STR(ent_csv_name(r), pass ? "util_csv_gz.csv.gz" : "util_csv_plain.csv");
        ent_csv_free(r);
    }
    ent_csv_t *r;
    CHECK_RC(ent_csv_open(&r, "/nonexistent/dir/x.csv", NULL), ENT_EIO);
    CHECK_CONTAINS(ent_errmsg(), "/nonexistent/dir/x.csv: cannot open");
    remove(path);
    remove(gzpath);
}

/* Everything a reader reports about a text, as one string: records, fields, lines, columns, error. */
static void transcript(char *out, size_t n, const char *text, size_t len, unsigned flags)
{
    ent_csv_options_t o = ENT_CSV_OPTIONS_INIT;
    o.flags = flags;
    o.max_field = 6;
    o.max_fields = 5;
    ent_csv_t *r;
    size_t w = 0;
    out[0] = '\0';
    if (ent_csv_open_mem(&r, "d.csv", text, len, &o) != ENT_OK) {
        return;
    }
    bool eof = false;
    ent_err_t rc;
    while ((rc = ent_csv_next(r, &eof)) == ENT_OK && !eof && w + 200 < n) {
        w += (size_t)snprintf(out + w, n - w, "[L%lld:", (long long)ent_csv_line(r));
        for (size_t i = 0; i < ent_csv_nfields(r) && w + 100 < n; i++) {
            size_t fl;
            const char *f = ent_csv_field(r, i, &fl);
            w += (size_t)snprintf(out + w, n - w, "%lld<%.*s>", (long long)ent_csv_column(r, i), (int)fl, f);
        }
        w += (size_t)snprintf(out + w, n - w, "]");
    }
    if (rc != ENT_OK && w + 200 < n) {
        snprintf(out + w, n - w, "ERR %s %s", ent_strerror(rc), ent_errmsg());
    }
    ent_csv_free(r);
}

static void test_fast_path_equivalence(void)
{
    /* The whole-line fast path and the byte-by-byte state machine must agree on every input:
     * random texts over an alphabet of the characters that matter (seeded, 20,000 cases). */
    static const char alphabet[] = {'a', '1', ',', ',',    '"',    '\n',   '\n', '\r',
                                    ' ', 'N', 'A', '\xc3', '\xa9', '\xff', '\0'};
    ent_rng_t rng;
    ent_rng_seed(&rng, 77, 0);
    static char a[8192], b[8192];
    char text[64];
    int differ = 0;
    for (int k = 0; k < 20000; k++) {
        size_t len = (size_t)ent_rng_below(&rng, sizeof text);
        for (size_t i = 0; i < len; i++) {
            text[i] = alphabet[ent_rng_below(&rng, sizeof alphabet)];
        }
        for (unsigned utf8 = 0; utf8 <= ENT_CSV_UTF8; utf8 += ENT_CSV_UTF8) {
            transcript(a, sizeof a, text, len, utf8);
            transcript(b, sizeof b, text, len, utf8 | ENT_CSV_BYTEWISE);
            if (strcmp(a, b) != 0 && differ++ < 3) {
                fprintf(stderr, "fast and bytewise differ on %zu bytes:\n  fast: %s\n  byte: %s\n", len, a, b);
            }
        }
    }
    CHECK(differ == 0);
}

int main(void)
{
    test_fast_path_equivalence();
    test_quoting();
    test_header_and_getters();
    test_numbers();
    test_errors();
    test_file_and_gzip();
    return CHECK_DONE();
}
