/*
 * fuzz_csv.c -- libFuzzer target for the streaming CSV reader (src/util/csv.c).
 *
 * The first two input bytes choose the options, so one corpus explores every
 * separator, the UTF-8 check on and off, and tiny field/record limits (where
 * the off-by-one bugs live); the rest is the CSV text, read from memory. Every
 * record is read to the end of input or the first error, and every field goes
 * through each typed getter, including indices past the last field.
 *
 * Besides crashes, leaks and UB (ASan/UBSan), the target abort()s when the
 * reader breaks one of its documented promises:
 *   - a field's reported length equals strlen() of its bytes (NUL is rejected);
 *   - a field is never longer than max_field, a record never has more than
 *     max_fields fields (nor zero);
 *   - record lines never go backwards and columns are >= 1;
 *   - an error always comes with a non-empty message naming the input.
 *
 *   byte 0: bit 0 UTF-8 check, bits 1-2 separator (, ; TAB |), bit 3 read a
 *           header first, bits 4-7 max_fields = 1 + 4*k
 *   byte 1: max_field = 1 + b (1..256 bytes)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente.h"

#define NAME "fuzz.csv"

static void must(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz_csv: broken promise: %s (last error: %s)\n", what, ent_errmsg());
        abort();
    }
}

static void check_error(ent_err_t rc)
{
    if (rc == ENT_OK) {
        return;
    }
    const char *m = ent_errmsg();
    must(m != NULL && m[0] != '\0', "error without a message");
    must(strstr(m, NAME) != NULL, "error message does not name the input");
}

static void getters(const ent_csv_t *r, size_t i)
{
    int64_t iv = 0;
    double dv = 0;
    const char *sv = NULL;
    bool na = false;
    ent_err_t rc;

    rc = ent_csv_get_i64(r, i, "i64", INT64_MIN, INT64_MAX, &iv, &na);
    check_error(rc);
    rc = ent_csv_get_i64(r, i, "year", 1816, 2100, &iv, NULL);
    check_error(rc);
    if (rc == ENT_OK) {
        must(iv >= 1816 && iv <= 2100, "i64 outside its range");
    }
    rc = ent_csv_get_f64(r, i, "f64", -1e300, 1e300, &dv, &na);
    check_error(rc);
    rc = ent_csv_get_f64(r, i, "share", 0.0, 1.0, &dv, NULL);
    check_error(rc);
    if (rc == ENT_OK) {
        must(dv >= 0.0 && dv <= 1.0, "f64 outside its range");
    }
    rc = ent_csv_get_str(r, i, "abbr", 7, &sv, &na);
    check_error(rc);
    if (rc == ENT_OK && !na) {
        must(strlen(sv) <= 7, "string longer than max_len");
    }
    rc = ent_csv_get_str(r, i, "name", 200, &sv, NULL);
    check_error(rc);
    (void)ent_csv_is_na(r, i);
    check_error(ent_csv_error(r, ENT_EPARSE, i, "field", "checked %s", "here"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    static const char seps[4] = {',', ';', '\t', '|'};
    ent_csv_options_t o = ENT_CSV_OPTIONS_INIT;
    o.flags = (data[0] & 1) ? ENT_CSV_UTF8 : 0;
    o.sep = seps[(data[0] >> 1) & 3];
    o.max_fields = 1 + 4 * (size_t)(data[0] >> 4);
    o.max_field = 1 + (size_t)data[1];
    bool header = (data[0] & 8) != 0;

    /* A private copy: ASan then catches a read one byte past the end of the text. */
    size_t len = size - 2;
    char *text = malloc(len ? len : 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data + 2, len);

    ent_csv_t *r = NULL;
    ent_err_t rc = ent_csv_open_mem(&r, NAME, text, len, &o);
    must(rc == ENT_OK && r != NULL, "open_mem failed");
    must(strcmp(ent_csv_name(r), NAME) == 0, "name");

    if (header) {
        static const char *const names[] = {"ccode", "year", "stateabb"};
        static const bool optional[] = {false, true, true};
        int idx[3];
        rc = ent_csv_header(r, names, optional, idx, 3);
        check_error(rc);
        if (rc == ENT_OK) {
            for (int k = 0; k < 3; k++) {
                must(idx[k] >= -1 && (idx[k] < 0 || (size_t)idx[k] < ent_csv_nfields(r)), "header index");
            }
        }
    }

    int64_t last_line = 0;
    for (int nrec = 0; rc == ENT_OK && nrec < 100000; nrec++) {
        bool eof = false;
        rc = ent_csv_next(r, &eof);
        check_error(rc);
        if (rc != ENT_OK || eof) {
            break;
        }
        size_t nf = ent_csv_nfields(r);
        must(nf >= 1 && nf <= o.max_fields, "field count outside 1..max_fields");
        int64_t line = ent_csv_line(r);
        must(line >= 1 && line >= last_line, "record line went backwards");
        last_line = line;
        check_error(ent_csv_expect_fields(r, 3));
        for (size_t i = 0; i < nf + 2; i++) {
            size_t flen = 12345;
            const char *f = ent_csv_field(r, i, &flen);
            must(f != NULL, "field is NULL");
            must(strlen(f) == flen, "field length differs from strlen");
            if (i < nf) {
                must(flen <= o.max_field, "field longer than max_field");
                must(ent_csv_column(r, i) >= 1, "column < 1");
            } else {
                must(flen == 0, "field past the end is not empty");
            }
            getters(r, i);
        }
    }
    ent_csv_free(r);
    free(text);
    return 0;
}
