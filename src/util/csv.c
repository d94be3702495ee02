/*
 * csv.c -- the streaming CSV reader.
 *
 * A byte-at-a-time state machine over a 256 KiB read buffer: simple enough to
 * fuzz exhaustively, fast enough (hundreds of MB/s) that SQLite, not parsing,
 * bounds every import. Field bytes of the current record are copied,
 * unescaped and NUL-terminated, into one growing buffer.
 *
 * Input is whole or refused. A file that starts with the gzip magic is
 * inflated here (zlib's inflate, not gzread: gzread returns a truncated
 * stream's prefix as if it were the file and ignores bytes after the last
 * member); a stream that ends before its end marker, fails its CRC, or is
 * followed by anything but another gzip member is bad input naming the file.
 * A read interrupted by a signal (EINTR: the CLI installs its handlers without
 * SA_RESTART) is ENT_EINTERRUPTED, so a reader blocked on a pipe stops at once.
 * Encodings are named, not guessed into garbage: a UTF-16/UTF-32 byte-order
 * mark or NUL pattern at the start is refused with the encoding's name, and a
 * file whose lines end in a lone CR (classic Mac: CRs and no LF in the first
 * buffer) is read with CR as its line end.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "util_int.h"

#define CHUNK (256 * 1024)

/* The code of the last failed fill() on this thread: getch() can only return -2. */
static _Thread_local ent_err_t last_fill_rc;

struct ent_csv {
    ent_csv_options_t opt;
    char name[256];
    int fd;          /* -1 when reading from memory */
    bool gzip;       /* fd holds gzip members, inflated through zs */
    bool member_end; /* zs reached the end of a member; more input must be another member */
    bool raw_eof;    /* fd is exhausted */
    z_stream zs;
    unsigned char *raw; /* compressed bytes read from fd (gzip only) */
    bool cr_only;       /* lines end in a lone CR (decided on the first line end) */
    const char *mem;
    size_t mem_len;
    char *in;        /* read buffer (file input) */
    const char *cur; /* next unread byte */
    const char *end; /* end of readable bytes */
    bool in_eof;
    bool started; /* BOM check done */
    int64_t line; /* physical line of `cur`, 1-based */
    int64_t col;  /* column of `cur`, 1-based */
    int64_t rec_line;
    char *rec; /* field bytes, each NUL-terminated */
    size_t rec_len, rec_cap;
    size_t *off;   /* field start offsets into rec */
    int64_t *fcol; /* field start columns */
    size_t nf, f_cap;
};

/* read(2) that names what went wrong: EINTR is an interruption, anything else an I/O error. */
static ent_err_t read_some(ent_csv_t *r, void *buf, size_t cap, size_t *got)
{
    ssize_t n = read(r->fd, buf, cap);
    if (n < 0) {
        if (errno == EINTR) {
            return ent_i_err(ENT_EINTERRUPTED, "%s: interrupted while reading (line %lld)", r->name,
                             (long long)r->line);
        }
        return ent_i_err(ENT_EIO, "%s:%lld: read error: %s", r->name, (long long)r->line, strerror(errno));
    }
    *got = (size_t)n;
    return ENT_OK;
}

static ent_err_t gz_bad(ent_csv_t *r, const char *what)
{
    return ent_i_err(ENT_EPARSE, "%s:%lld: corrupt compressed data: %s", r->name, (long long)r->line, what);
}

/* More compressed input into r->raw when zs has none left; sets raw_eof at the end of the file. */
static ent_err_t gz_feed(ent_csv_t *r)
{
    if (r->zs.avail_in || r->raw_eof) {
        return ENT_OK;
    }
    size_t n = 0;
    ent_err_t rc = read_some(r, r->raw, CHUNK, &n);
    if (rc != ENT_OK) {
        return rc;
    }
    r->raw_eof = n == 0;
    r->zs.next_in = r->raw;
    r->zs.avail_in = (uInt)n;
    return ENT_OK;
}

/* Inflates into r->in until some output exists or the input ends whole; refuses what is not whole. */
static ent_err_t gz_fill(ent_csv_t *r, size_t *out_n)
{
    ent_err_t rc;
    r->zs.next_out = (Bytef *)r->in;
    r->zs.avail_out = CHUNK;
    while (r->zs.avail_out == CHUNK) {
        if ((rc = gz_feed(r)) != ENT_OK) {
            return rc;
        }
        if (r->member_end) {
            if (!r->zs.avail_in && r->raw_eof) {
                break; /* the end of the file right after a member: whole */
            }
            /* Only another member may follow (gzip allows concatenation; `cat a.gz b.gz`). Its
             * first byte is enough to tell: the magic's second byte arrives with the next feed. */
            if (r->zs.next_in[0] != 0x1f) {
                return ent_i_err(ENT_EPARSE,
                                 "%s:%lld: data after the end of the compressed stream (%s): not a gzip member",
                                 r->name, (long long)r->line, "refusing trailing garbage");
            }
            if (inflateReset(&r->zs) != Z_OK) {
                return gz_bad(r, "cannot restart the decoder");
            }
            r->member_end = false;
        }
        if (!r->zs.avail_in && r->raw_eof) {
            return ent_i_err(ENT_EPARSE,
                             "%s:%lld: truncated compressed data: the file ends inside a gzip stream "
                             "(an incomplete download or copy?)",
                             r->name, (long long)r->line);
        }
        int z = inflate(&r->zs, Z_NO_FLUSH);
        if (z == Z_STREAM_END) {
            r->member_end = true;
        } else if (z == Z_MEM_ERROR) {
            return ent_i_nomem();
        } else if (z == Z_DATA_ERROR || z == Z_NEED_DICT || z == Z_STREAM_ERROR) {
            return gz_bad(r, r->zs.msg ? r->zs.msg : "invalid data");
        }
        /* Z_OK or Z_BUF_ERROR: more input needed, fed above */
    }
    *out_n = CHUNK - r->zs.avail_out;
    return ENT_OK;
}

static ent_err_t fill(ent_csv_t *r)
{
    if (r->in_eof || r->fd < 0) {
        r->in_eof = true;
        return ENT_OK;
    }
    size_t n = 0;
    ent_err_t rc = r->gzip ? gz_fill(r, &n) : read_some(r, r->in, CHUNK, &n);
    if (rc != ENT_OK) {
        return rc;
    }
    if (n == 0) {
        r->in_eof = true;
    }
    r->cur = r->in;
    r->end = r->in + n;
    return ENT_OK;
}

/* Returns the next byte (0..255) or -1 at end of input; -2 on a read error. */
static inline int getch(ent_csv_t *r)
{
    if (r->cur == r->end) {
        if (r->in_eof) {
            return -1;
        }
        if ((last_fill_rc = fill(r)) != ENT_OK) {
            return -2;
        }
        if (r->cur == r->end) {
            return -1;
        }
    }
    r->col++;
    return (unsigned char)*r->cur++;
}

static inline int peekch(ent_csv_t *r)
{
    if (r->cur == r->end) {
        if (r->in_eof) {
            return -1;
        }
        if ((last_fill_rc = fill(r)) != ENT_OK) {
            return -2;
        }
        if (r->cur == r->end) {
            return -1;
        }
    }
    return (unsigned char)*r->cur;
}

static ent_err_t init(ent_csv_t **out, const char *name, const ent_csv_options_t *opts)
{
    ent_csv_options_t def = ENT_CSV_OPTIONS_INIT;
    ent_csv_t *r = ent_calloc(1, sizeof *r);
    if (!r) {
        return ent_i_nomem();
    }
    r->opt = opts ? *opts : def;
    if (!r->opt.sep) {
        r->opt.sep = ',';
    }
    if (!r->opt.max_field) {
        r->opt.max_field = def.max_field;
    }
    if (!r->opt.max_fields) {
        r->opt.max_fields = def.max_fields;
    }
    snprintf(r->name, sizeof r->name, "%s", name);
    r->fd = -1;
    r->line = 1;
    r->col = 1;
    *out = r;
    return ENT_OK;
}

ent_err_t ent_csv_open(ent_csv_t **out, const char *path, const ent_csv_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_CSV_OPTIONS_VERSION);
    *out = NULL;
    ent_csv_t *r = NULL;
    ent_err_t rc = init(&r, ent_i_basename(path), opts);
    if (rc != ENT_OK) {
        return rc;
    }
    r->in = ent_malloc(CHUNK);
    if (!r->in) {
        ent_csv_free(r);
        return ent_i_nomem();
    }
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        rc = ent_i_err(ENT_EIO, "%s: cannot open: %s", path, strerror(errno));
        ent_csv_free(r);
        return rc;
    }
    /* The first bytes tell a gzip file (1f 8b) from a plain one. Read until there are two, so a
     * pipe that delivers one byte at a time is classified the same. */
    size_t have = 0;
    while (have < 2) {
        size_t n = 0;
        if ((rc = read_some(r, r->in + have, CHUNK - have, &n)) != ENT_OK) {
            ent_csv_free(r);
            return rc;
        }
        if (n == 0) {
            break;
        }
        have += n;
    }
    if (have >= 2 && (unsigned char)r->in[0] == 0x1f && (unsigned char)r->in[1] == 0x8b) {
        r->gzip = true;
        if (!(r->raw = ent_malloc(CHUNK))) {
            ent_csv_free(r);
            return ent_i_nomem();
        }
        memcpy(r->raw, r->in, have);
        /* 16 + MAX_WBITS: a gzip wrapper, with its CRC and length checked at each member's end */
        if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK) {
            ent_csv_free(r);
            return ent_i_nomem();
        }
        r->zs.next_in = r->raw;
        r->zs.avail_in = (uInt)have;
        r->cur = r->end = r->in;
    } else {
        r->cur = r->in;
        r->end = r->in + have;
        r->in_eof = have == 0;
    }
    *out = r;
    return ENT_OK;
}

ent_err_t ent_csv_open_mem(ent_csv_t **out, const char *name, const char *data, size_t len,
                           const ent_csv_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_CSV_OPTIONS_VERSION);
    *out = NULL;
    ent_csv_t *r = NULL;
    ent_err_t rc = init(&r, name, opts);
    if (rc != ENT_OK) {
        return rc;
    }
    r->mem = data;
    r->mem_len = len;
    r->cur = data;
    r->end = data + len;
    r->in_eof = true;
    *out = r;
    return ENT_OK;
}

void ent_csv_free(ent_csv_t *r)
{
    if (!r) {
        return;
    }
    if (r->gzip) {
        inflateEnd(&r->zs);
    }
    if (r->fd >= 0) {
        close(r->fd);
    }
    ent_free(r->raw);
    ent_free(r->in);
    ent_free(r->rec);
    ent_free(r->off);
    ent_free(r->fcol);
    ent_free(r);
}

/* Room for `extra` more bytes in the record buffer. */
static ent_err_t rec_reserve(ent_csv_t *r, size_t extra)
{
    if (r->rec_len + extra <= r->rec_cap) {
        return ENT_OK;
    }
    size_t ncap = r->rec_cap ? r->rec_cap : 1024;
    while (ncap < r->rec_len + extra) {
        ncap *= 2;
    }
    char *p = ent_realloc(r->rec, ncap);
    if (!p) {
        return ent_i_nomem();
    }
    r->rec = p;
    r->rec_cap = ncap;
    return ENT_OK;
}

static ent_err_t rec_put(ent_csv_t *r, char c)
{
    if (r->rec_len == r->rec_cap) {
        size_t ncap = r->rec_cap ? r->rec_cap * 2 : 1024;
        char *p = ent_realloc(r->rec, ncap);
        if (!p) {
            return ent_i_nomem();
        }
        r->rec = p;
        r->rec_cap = ncap;
    }
    r->rec[r->rec_len++] = c;
    return ENT_OK;
}

static ent_err_t field_begin(ent_csv_t *r)
{
    if (r->nf == r->opt.max_fields) {
        return ent_i_err(ENT_ELIMIT, "%s:%lld:%lld: more than %zu fields in a record", r->name, (long long)r->line,
                         (long long)r->col, r->opt.max_fields);
    }
    if (r->nf == r->f_cap) {
        size_t ncap = r->f_cap ? r->f_cap * 2 : 64;
        size_t *o = ent_realloc(r->off, ncap * sizeof *o);
        if (!o) {
            return ent_i_nomem();
        }
        r->off = o;
        int64_t *c = ent_realloc(r->fcol, ncap * sizeof *c);
        if (!c) {
            return ent_i_nomem();
        }
        r->fcol = c;
        r->f_cap = ncap;
    }
    r->off[r->nf] = r->rec_len;
    r->fcol[r->nf] = r->col;
    r->nf++;
    return ENT_OK;
}

static ent_err_t too_long(ent_csv_t *r)
{
    return ent_i_err(ENT_ELIMIT, "%s:%lld:%lld: field %zu longer than %zu bytes", r->name, (long long)r->rec_line,
                     (long long)r->fcol[r->nf - 1], r->nf, r->opt.max_field);
}

static ent_err_t read_err(ent_csv_t *r)
{
    (void)r;
    return last_fill_rc; /* fill() has set the message and the code */
}

/* Length of a valid UTF-8 sequence starting at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        return 1;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* reject overlong forms, surrogates and values past U+10FFFF */
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        return 0;
    }
    return len;
}

static ent_err_t check_utf8(ent_csv_t *r)
{
    for (size_t f = 0; f < r->nf; f++) {
        const unsigned char *s = (const unsigned char *)r->rec + r->off[f];
        size_t n = strlen((const char *)s);
        for (size_t i = 0; i < n;) {
            if (s[i] < 0x80) { /* ASCII, the common case */
                i++;
                continue;
            }
            size_t k = utf8_len(s + i, n - i);
            if (!k) {
                return ent_i_err(ENT_EPARSE, "%s:%lld:%lld: field %zu: invalid UTF-8 byte 0x%02X at byte %zu", r->name,
                                 (long long)r->rec_line, (long long)r->fcol[f], f + 1, s[i], i + 1);
            }
            i += k;
        }
    }
    return ENT_OK;
}

/*
 * The common case in one pass: a whole line inside the read buffer with no quote, CR or NUL
 * in it. Copies the line once, turns separators into NULs and records the fields. Returns 1
 * when done; 0 (having changed nothing) whenever the line needs the general state machine --
 * including every case that is an error there, so errors read the same either way; -1 when
 * an allocation failed (ENT_ENOMEM, message set).
 */
static int fast_line(ent_csv_t *r)
{
    const char *p = r->cur, *e = r->end;
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    if (!nl) {
        return 0;
    }
    size_t len = (size_t)(nl - p), full = len;
    if (len && p[len - 1] == '\r') {
        len--;
    }
    if (memchr(p, '"', len) || memchr(p, '\r', len) || memchr(p, '\0', len)) {
        return 0;
    }
    /* fields, and the limits the slow path enforces */
    size_t nf = 1, flen = 0;
    const char sep = r->opt.sep;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == sep) {
            nf++;
            flen = 0;
        } else if (++flen > r->opt.max_field) {
            return 0;
        }
    }
    if (nf > r->opt.max_fields) {
        return 0;
    }
    /* Out of memory is reported, not retried on the slow path (which would only fail later). */
    if (rec_reserve(r, len + 1) != ENT_OK) {
        return -1;
    }
    while (r->f_cap < nf) {
        r->nf = r->f_cap; /* keep what field_begin checks consistent while it grows the arrays */
        if (field_begin(r) != ENT_OK) {
            return -1;
        }
    }
    memcpy(r->rec, p, len);
    r->rec[len] = '\0';
    r->rec_len = len + 1;
    size_t f = 0;
    r->off[0] = 0;
    r->fcol[0] = 1;
    for (size_t i = 0; i < len; i++) {
        if (r->rec[i] == sep) {
            r->rec[i] = '\0';
            f++;
            r->off[f] = i + 1;
            r->fcol[f] = (int64_t)i + 2;
        }
    }
    r->nf = nf;
    r->cur = p + full + 1;
    r->line++;
    r->col = 1;
    return 1;
}

/*
 * What the start of the input says about its encoding and line ends. UTF-16 and UTF-32 are
 * named (by their byte-order mark, or by the NULs that ASCII text in them has every second or
 * fourth byte) instead of failing later on "NUL byte in input"; the first line end decides
 * whether a lone CR ends lines.
 */
static ent_err_t sniff(ent_csv_t *r)
{
    const unsigned char *b = (const unsigned char *)r->cur;
    size_t n = (size_t)(r->end - r->cur);
    const char *enc = NULL;
    if (n >= 4 && memcmp(b, "\xFF\xFE\0\0", 4) == 0) {
        enc = "UTF-32LE";
    } else if (n >= 4 && memcmp(b, "\0\0\xFE\xFF", 4) == 0) {
        enc = "UTF-32BE";
    } else if (n >= 2 && memcmp(b, "\xFF\xFE", 2) == 0) {
        enc = "UTF-16LE";
    } else if (n >= 2 && memcmp(b, "\xFE\xFF", 2) == 0) {
        enc = "UTF-16BE";
    } else if (n >= 4) {
        /* No mark: count the NULs of the first bytes. Text has none; a stray NUL is reported
         * where it is (below); a quarter or more is a wide encoding. */
        size_t m = n < 512 ? n & ~(size_t)3 : 512, nul = 0;
        for (size_t i = 0; i < m; i++) {
            nul += b[i] == 0;
        }
        if (nul * 4 >= m) {
            if (b[0] && !b[1] && !b[2] && !b[3]) {
                enc = "UTF-32LE";
            } else if (!b[0] && !b[1] && !b[2] && b[3]) {
                enc = "UTF-32BE";
            } else if (b[0] && !b[1]) {
                enc = "UTF-16LE";
            } else if (!b[0] && b[1]) {
                enc = "UTF-16BE";
            }
        }
    }
    if (enc) {
        return ent_i_err(ENT_EPARSE,
                         "%s:1: the file is %s text; entente reads UTF-8 (convert it: iconv -f %s -t UTF-8 "
                         "FILE > FILE.utf8.csv)",
                         r->name, enc, enc);
    }
    /* CR-only line ends (classic Mac): lone CRs and not one LF in the first buffer. A lone CR
     * in a file that has LFs stays data, as before. A CR at the very end of the buffer could be
     * half of a CRLF and is not counted. */
    if (!memchr(b, '\n', n)) {
        const unsigned char *cr = memchr(b, '\r', n);
        r->cr_only = cr && cr + 1 < b + n;
    }
    return ENT_OK;
}

ent_err_t ent_csv_next(ent_csv_t *r, bool *eof)
{
    ent_err_t rc;
    const char sep = r->opt.sep;
    *eof = false;
    r->nf = 0;
    r->rec_len = 0;

    if (!r->started) {
        r->started = true;
        /* A UTF-8 byte-order mark is not data. The first fill holds the whole
         * start of the file, so the three bytes are never split. */
        if (peekch(r) == -2) {
            return read_err(r);
        }
        if (r->end - r->cur >= 3 && memcmp(r->cur, "\xEF\xBB\xBF", 3) == 0) {
            r->cur += 3;
        }
        if ((rc = sniff(r)) != ENT_OK) {
            return rc;
        }
    }

    /* skip completely empty lines */
    for (;;) {
        int c = peekch(r);
        if (c == -2) {
            return read_err(r);
        }
        if (c == -1) {
            *eof = true;
            return ENT_OK;
        }
        if (c == '\n') {
            getch(r);
            r->line++;
            r->col = 1;
            continue;
        }
        if (c == '\r') {
            /* CRLF, or a lone (old Mac) CR: either way an empty line */
            getch(r);
            if (peekch(r) == '\n') {
                getch(r);
            }
            r->line++;
            r->col = 1;
            continue;
        }
        break;
    }

    r->rec_line = r->line;
    if (!(r->opt.flags & ENT_CSV_BYTEWISE) && !r->cr_only) {
        int fast = fast_line(r);
        if (fast < 0) {
            return ENT_ENOMEM;
        }
        if (fast > 0) {
            return (r->opt.flags & ENT_CSV_UTF8) ? check_utf8(r) : ENT_OK;
        }
    }
    for (;;) { /* one field per iteration */
        if ((rc = field_begin(r)) != ENT_OK) {
            return rc;
        }
        size_t fstart = r->rec_len;
        int c = getch(r);
        if (c == '"') {
            int64_t qline = r->line, qcol = r->col - 1;
            for (;;) {
                c = getch(r);
                if (c == -2) {
                    return read_err(r);
                }
                if (c == -1) {
                    return ent_i_err(ENT_EPARSE, "%s:%lld:%lld: unterminated quoted field (end of file reached)",
                                     r->name, (long long)qline, (long long)qcol);
                }
                if (c == '"') {
                    if (peekch(r) == '"') {
                        getch(r);
                    } else {
                        break;
                    }
                } else if (c == '\n' || (c == '\r' && r->cr_only)) {
                    r->line++;
                    r->col = 1;
                } else if (c == 0) {
                    return ent_i_err(ENT_EPARSE, "%s:%lld:%lld: NUL byte in input", r->name, (long long)r->line,
                                     (long long)r->col - 1);
                }
                if (r->rec_len - fstart >= r->opt.max_field) {
                    return too_long(r);
                }
                if ((rc = rec_put(r, (char)c)) != ENT_OK) {
                    return rc;
                }
            }
            c = getch(r);
            if (c == '\r' && peekch(r) == '\n') {
                c = getch(r);
            } else if (c == '\r' && r->cr_only) {
                c = '\n';
            }
            if (c != sep && c != '\n' && c != -1) {
                if (c == -2) {
                    return read_err(r);
                }
                return ent_i_err(ENT_EPARSE, "%s:%lld:%lld: unexpected character after a closing quote", r->name,
                                 (long long)r->line, (long long)r->col - 1);
            }
        } else {
            while (c != sep && c != '\n' && c >= 0) {
                if (c == '\r') {
                    int d = peekch(r);
                    if (d == '\n') {
                        c = getch(r);
                        break;
                    }
                    if (r->cr_only) {
                        c = '\n';
                        break;
                    }
                } else if (c == 0) {
                    return ent_i_err(ENT_EPARSE, "%s:%lld:%lld: NUL byte in input", r->name, (long long)r->line,
                                     (long long)r->col - 1);
                }
                if (r->rec_len - fstart >= r->opt.max_field) {
                    return too_long(r);
                }
                if ((rc = rec_put(r, (char)c)) != ENT_OK) {
                    return rc;
                }
                /* Fast path: the ordinary bytes that follow in the read buffer go over in one copy;
                 * anything special (separator, line end, CR, NUL) ends the run and takes the slow path. */
                const char *p = r->cur, *e = r->end;
                while (p < e && *p != sep && *p != '\n' && *p != '\r' && *p != '\0') {
                    p++;
                }
                size_t k = (size_t)(p - r->cur);
                if (k) {
                    if (r->rec_len - fstart + k > r->opt.max_field) {
                        return too_long(r);
                    }
                    if ((rc = rec_reserve(r, k)) != ENT_OK) {
                        return rc;
                    }
                    memcpy(r->rec + r->rec_len, r->cur, k);
                    r->rec_len += k;
                    r->cur = p;
                    r->col += (int64_t)k;
                }
                c = getch(r);
            }
            if (c == -2) {
                return read_err(r);
            }
        }
        if ((rc = rec_put(r, '\0')) != ENT_OK) {
            return rc;
        }
        if (c == sep) {
            continue;
        }
        if (c == '\n') {
            r->line++;
            r->col = 1;
        }
        break; /* end of record (newline or end of input) */
    }
    if (r->opt.flags & ENT_CSV_UTF8) {
        return check_utf8(r);
    }
    return ENT_OK;
}

size_t ent_csv_nfields(const ent_csv_t *r)
{
    return r->nf;
}

const char *ent_csv_field(const ent_csv_t *r, size_t i, size_t *len)
{
    if (i >= r->nf) {
        if (len) {
            *len = 0;
        }
        return "";
    }
    const char *s = r->rec + r->off[i];
    if (len) {
        size_t next = i + 1 < r->nf ? r->off[i + 1] : r->rec_len;
        *len = next - r->off[i] - 1;
    }
    return s;
}

int64_t ent_csv_line(const ent_csv_t *r)
{
    return r->rec_line;
}

int64_t ent_csv_column(const ent_csv_t *r, size_t i)
{
    return i < r->nf ? r->fcol[i] : 1;
}

const char *ent_csv_name(const ent_csv_t *r)
{
    return r->name;
}

ent_err_t ent_csv_error(const ent_csv_t *r, ent_err_t rc, size_t i, const char *what, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ent_i_err(rc, "%s:%lld:%lld: field '%s': %s", r->name, (long long)r->rec_line,
                     (long long)ent_csv_column(r, i), what, msg);
}

ent_err_t ent_csv_header(ent_csv_t *r, const char *const *names, const bool *optional, int *idx, size_t n)
{
    bool eof;
    ent_err_t rc = ent_csv_next(r, &eof);
    if (rc != ENT_OK) {
        return rc;
    }
    if (eof) {
        return ent_i_err(ENT_EPARSE, "%s:1: empty file: expected a header row", r->name);
    }
    for (size_t k = 0; k < n; k++) {
        idx[k] = -1;
        for (size_t i = 0; i < r->nf; i++) {
            if (strcmp(r->rec + r->off[i], names[k]) == 0) {
                if (idx[k] >= 0) {
                    return ent_i_err(ENT_EPARSE, "%s:%lld: header: column '%s' appears twice", r->name,
                                     (long long)r->rec_line, names[k]);
                }
                idx[k] = (int)i;
            }
        }
        if (idx[k] < 0 && !(optional && optional[k])) {
            return ent_i_err(ENT_EPARSE, "%s:%lld: header: missing column '%s'", r->name, (long long)r->rec_line,
                             names[k]);
        }
    }
    return ENT_OK;
}

ent_err_t ent_csv_expect_fields(const ent_csv_t *r, size_t n)
{
    if (r->nf != n) {
        return ent_i_err(ENT_EPARSE, "%s:%lld: expected %zu fields, got %zu", r->name, (long long)r->rec_line, n,
                         r->nf);
    }
    return ENT_OK;
}

bool ent_csv_is_na(const ent_csv_t *r, size_t i)
{
    size_t len;
    const char *s = ent_csv_field(r, i, &len);
    return len == 0 || (len == 2 && s[0] == 'N' && s[1] == 'A');
}

/* Shows at most 40 bytes of the offending text. */
#define SHOW(s) 40, (s)

ent_err_t ent_csv_get_i64(const ent_csv_t *r, size_t i, const char *what, int64_t lo, int64_t hi, int64_t *out,
                          bool *na)
{
    if (i >= r->nf) {
        return ent_csv_error(r, ENT_EPARSE, i, what, "missing (record has only %zu fields)", r->nf);
    }
    size_t len;
    const char *s = ent_csv_field(r, i, &len);
    if (len == 0 || (len == 2 && s[0] == 'N' && s[1] == 'A')) {
        if (na) {
            *na = true;
            return ENT_OK;
        }
        return ent_csv_error(r, ENT_EPARSE, i, what, "missing value");
    }
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    if (*p < '0' || *p > '9') {
        return ent_csv_error(r, ENT_EPARSE, i, what, "expected an integer, got '%.*s'", SHOW(s));
    }
    uint64_t v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10) {
            return ent_csv_error(r, ENT_ERANGE, i, what, "integer too large: '%.*s'", SHOW(s));
        }
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (*p) {
        return ent_csv_error(r, ENT_EPARSE, i, what, "expected an integer, got '%.*s'", SHOW(s));
    }
    if (v > (uint64_t)INT64_MAX) {
        return ent_csv_error(r, ENT_ERANGE, i, what, "integer too large: '%.*s'", SHOW(s));
    }
    int64_t x = neg ? -(int64_t)v : (int64_t)v;
    if (x < lo || x > hi) {
        return ent_csv_error(r, ENT_ERANGE, i, what, "%lld outside %lld..%lld", (long long)x, (long long)lo,
                             (long long)hi);
    }
    if (na) {
        *na = false;
    }
    *out = x;
    return ENT_OK;
}

ent_err_t ent_csv_get_f64(const ent_csv_t *r, size_t i, const char *what, double lo, double hi, double *out, bool *na)
{
    if (i >= r->nf) {
        return ent_csv_error(r, ENT_EPARSE, i, what, "missing (record has only %zu fields)", r->nf);
    }
    if (ent_csv_is_na(r, i)) {
        if (na) {
            *na = true;
            return ENT_OK;
        }
        return ent_csv_error(r, ENT_EPARSE, i, what, "missing value");
    }
    const char *s = ent_csv_field(r, i, NULL);
    char *endp;
    errno = 0;
    /* strtod accepts hex, "inf" and "nan": data files never mean those, so require a plain decimal. */
    for (const char *p = s; *p; p++) {
        if (!strchr("0123456789+-.eE", *p)) {
            return ent_csv_error(r, ENT_EPARSE, i, what, "expected a number, got '%.*s'", SHOW(s));
        }
    }
    double v = strtod(s, &endp);
    if (endp == s || *endp) {
        return ent_csv_error(r, ENT_EPARSE, i, what, "expected a number, got '%.*s'", SHOW(s));
    }
    if (errno == ERANGE || !isfinite(v)) {
        return ent_csv_error(r, ENT_ERANGE, i, what, "number out of range: '%.*s'", SHOW(s));
    }
    if (v < lo || v > hi) {
        return ent_csv_error(r, ENT_ERANGE, i, what, "%g outside %g..%g", v, lo, hi);
    }
    if (na) {
        *na = false;
    }
    *out = v;
    return ENT_OK;
}

ent_err_t ent_csv_get_str(const ent_csv_t *r, size_t i, const char *what, size_t max_len, const char **out, bool *na)
{
    if (i >= r->nf) {
        return ent_csv_error(r, ENT_EPARSE, i, what, "missing (record has only %zu fields)", r->nf);
    }
    size_t len;
    const char *s = ent_csv_field(r, i, &len);
    if (ent_csv_is_na(r, i)) {
        if (na) {
            *na = true;
            return ENT_OK;
        }
        return ent_csv_error(r, ENT_EPARSE, i, what, "missing value");
    }
    if (len > max_len) {
        return ent_csv_error(r, ENT_ELIMIT, i, what, "longer than %zu bytes (%zu)", max_len, len);
    }
    if (na) {
        *na = false;
    }
    *out = s;
    return ENT_OK;
}
