/*
 * scenario.c -- reads a scenario (YAML, through libfyaml's document API) over
 * the documented defaults, validating every key against the parameter table
 * (params.c), so that a typo or a value out of range is an error naming
 * file:line:column and the key, never a silently ignored setting.
 *
 * The format (docs/scenarios.md has every key with its range and default):
 *
 *   name: baseline                 string, 1..63 bytes, no control characters (required)
 *   description: >                 string, at most 511 bytes
 *     ...
 *   start_year: 2024               top-level scalars of the table: start_year, years,
 *   years: 30                      runs, seed, report_year (integers)
 *   runs: 2000
 *   seed: 20211115
 *   report_year: 2035
 *   poles: [USA, CHN, RUS]         2 to ENT_SIM_MAX_POLES distinct states
 *   parameters:                    every other key of the table; per-pole ones are maps
 *     kappa_threat: 0.2            {POLE: value} whose keys must be poles
 *     norm0: {CHN: 0.85, USA: 0.05}
 *     growth_override: {IND: 0.02} any non-pole state -> drift in growth's range,
 *                                  at most ENT_SIM_MAX_OVERRIDES
 *   levers:                        per pole, each lever in [0, 1]: tightening, engagement,
 *     USA: {tightening: 0.6}       inducements, coercion, wedge
 *   shocks:                        at most ENT_SIM_MAX_SHOCKS
 *     - {year: 2027, kind: crisis, a: CHN, b: TAW, magnitude: 0.6, duration: 3}
 *   outputs: [pacts, norm]         validated, not stored (the report module decides)
 *
 * State codes are a COW number, a COW abbreviation or an ISO3 code resolved
 * through the world; without a world only COW numbers are accepted.
 *
 * Choices worth knowing:
 *   - Numbers must be plain scalars: "0.2" in quotes is a string, and an error
 *     where a number is expected. Integer keys reject 2024.5 and 1e3.
 *   - `poles` is applied before anything else, wherever it appears, because
 *     per-pole maps and levers are keyed by pole. Per-pole defaults follow the
 *     state, not the position: with poles [CHN, USA] China's default norm0 is
 *     still 0.85. A pole that is neither default pole gets the table default.
 *   - Shock years are checked against [start_year, start_year + years] after the
 *     whole document is read (both may come later in the file).
 *   - Anchors are allowed, aliases are not (no billion-laughs expansion); a
 *     stream with a second document is an error rather than silently ignored.
 *   - The scenario is built in a scratch copy: on failure *s is untouched.
 *   - Input must be UTF-8 without NUL bytes, checked before libfyaml sees it:
 *     libfyaml 0.7.12 loops forever on some malformed UTF-8 (fuzz_scenario).
 *   - Single-quoted scalars are unquoted here, not by libfyaml, whose 0.7.12
 *     text of a scalar with several '' escapes is wrong and leaks.
 *
 * Errors: ENT_EPARSE (YAML syntax, wrong type, unknown or duplicate key,
 * missing key, malformed structure, invalid UTF-8), ENT_ERANGE (a value outside its range, a
 * string too long, a shock year outside the horizon), ENT_ENOTFOUND (unknown
 * state), ENT_ELIMIT (too many shocks or overrides, a file over 1 MiB),
 * ENT_EIO (unreadable file), ENT_ENOMEM.
 */
#include <assert.h>
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente/sim.h"
#include "util_int.h"

/* A scenario is a page of YAML; anything bigger is a mistake (or an attack). */
#define MAX_SCENARIO_BYTES (1u << 20)

/* 1-based position in the input. */
typedef struct {
    int line, col;
} pos_t;

typedef struct {
    const char *name;     /* file name used in messages */
    const ent_world_t *w; /* may be NULL: numeric codes only */
    ent_scenario_t *s;    /* the scratch scenario being filled */
    const char *text;     /* the input, which token marks index */
    size_t len;
    ent_vec_t *strs; /* char *: texts we unquoted ourselves, freed at the end */
    pos_t shock_pos[ENT_SIM_MAX_SHOCKS];
} ctx_t;

/* The keys of the top level. Table keys listed in top_scalars live here; all other table keys under `parameters`. */
static const char *const top_keys[] = {"name",        "description", "start_year", "years",  "runs",   "seed",
                                       "report_year", "poles",       "parameters", "levers", "shocks", "outputs"};
#define NTOP (sizeof top_keys / sizeof top_keys[0])
static const char *const top_scalars[] = {"start_year", "years", "runs", "seed", "report_year"};
#define NTOP_SCALARS (sizeof top_scalars / sizeof top_scalars[0])

static const struct {
    const char *name;
    size_t offset;
} lever_keys[] = {
    {"tightening", offsetof(ent_levers_t, tightening)},
    {"engagement", offsetof(ent_levers_t, engagement)},
    {"inducements", offsetof(ent_levers_t, inducements)},
    {"coercion", offsetof(ent_levers_t, coercion)},
    {"wedge", offsetof(ent_levers_t, wedge)},
};
#define NLEVERS (sizeof lever_keys / sizeof lever_keys[0])

static const struct {
    const char *name;
    ent_shock_kind_t kind;
} shock_kinds[] = {
    {"crisis", ENT_SHOCK_CRISIS}, {"war", ENT_SHOCK_WAR},       {"sanctions", ENT_SHOCK_SANCTIONS},
    {"pact", ENT_SHOCK_PACT},     {"growth", ENT_SHOCK_GROWTH},
};
#define NKINDS (sizeof shock_kinds / sizeof shock_kinds[0])

static const char *const shock_keys[] = {"year", "kind", "a", "b", "magnitude", "duration"};
#define NSHOCK_KEYS (sizeof shock_keys / sizeof shock_keys[0])

static const char *const output_names[] = {"pacts",       "blocs", "bipolarity",  "hedgers",
                                           "finlandized", "norm",  "frustration", "alignment"};
#define NOUTPUTS (sizeof output_names / sizeof output_names[0])

#define GROWTH_OVERRIDE_KEY "growth_override"

/* ------------------------------------------------------------ messages */

static ent_err_t fail(const ctx_t *c, pos_t p, ent_err_t rc, const char *fmt, ...) ENT_PRINTF(4, 5);

static ent_err_t fail(const ctx_t *c, pos_t p, ent_err_t rc, const char *fmt, ...)
{
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ent_i_err(rc, "%s:%d:%d: %s", c->name, p.line, p.col, msg);
}

/*
 * Copies input text for a message: printable ASCII as is, everything else as
 * \xNN, at most n/2 characters. Input is hostile; messages stay one short line.
 */
static const char *show(char *buf, size_t n, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    assert(n >= 16);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (o + 8 >= n || i >= n / 2) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (ch >= 0x20 && ch < 0x7f) {
            buf[o++] = (char)ch;
        } else {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[ch >> 4];
            buf[o++] = hex[ch & 15];
        }
    }
    buf[o] = '\0';
    return buf;
}

/* ------------------------------------------------------------ nodes */

static bool is_alias(struct fy_node *n)
{
    return n && fy_node_get_type(n) == FYNT_SCALAR && fy_node_is_alias(n);
}

/*
 * Where a node starts. libfyaml 0.7 exposes marks only on tokens, so a
 * collection is placed at its first scalar, and a node without a token (an
 * empty value, an empty collection) at `fallback`, its key's position.
 */
static pos_t node_pos(struct fy_node *n, pos_t fallback)
{
    for (int depth = 0; n && depth < 256; depth++) {
        switch (fy_node_get_type(n)) {
        case FYNT_SCALAR: {
            struct fy_token *t = fy_node_get_scalar_token(n);
            const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
            if (m && m->line >= 0 && m->column >= 0) {
                pos_t p = {m->line + 1, m->column + 1};
                return p;
            }
            return fallback;
        }
        case FYNT_MAPPING: {
            void *it = NULL;
            struct fy_node_pair *pr = fy_node_mapping_iterate(n, &it);
            n = pr ? fy_node_pair_key(pr) : NULL;
            break;
        }
        case FYNT_SEQUENCE: {
            void *it = NULL;
            n = fy_node_sequence_iterate(n, &it);
            break;
        }
        default: return fallback;
        }
    }
    return fallback;
}

/*
 * The value of a single-quoted scalar from its source text: '' is a quote,
 * a line break folds to a space (n breaks in a row to n-1 newlines), and
 * whitespace around breaks goes. Returns a buffer owned by the caller.
 */
static char *unquote_single(const char *raw, size_t rawlen, size_t *outlen)
{
    char *out = ent_malloc(rawlen + 1);
    if (!out) {
        return NULL;
    }
    size_t o = 0, keep = 0, i = 0;
    while (i < rawlen) {
        char ch = raw[i];
        if (ch == '\'' && i + 1 < rawlen && raw[i + 1] == '\'') {
            out[o++] = '\'';
            keep = o;
            i += 2;
        } else if (ch == '\n' || ch == '\r') {
            while (o > keep && (out[o - 1] == ' ' || out[o - 1] == '\t')) {
                o--;
            }
            size_t breaks = 0;
            while (i < rawlen && (raw[i] == '\n' || raw[i] == '\r')) {
                i += (raw[i] == '\r' && i + 1 < rawlen && raw[i + 1] == '\n') ? 2 : 1;
                breaks++;
                while (i < rawlen && (raw[i] == ' ' || raw[i] == '\t')) {
                    i++;
                }
            }
            if (breaks == 1) {
                out[o++] = ' ';
            } else {
                for (size_t b = 1; b < breaks; b++) {
                    out[o++] = '\n';
                }
            }
            keep = o;
        } else {
            out[o++] = ch;
            i++;
        }
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

/*
 * A scalar's text (not NUL-terminated; may contain NUL when written "\0"),
 * borrowed until the end of the parse. Single-quoted scalars are unquoted
 * here rather than by fy_node_get_scalar(), which in libfyaml 0.7.12 leaks
 * its iterator buffer on six or more consecutive '' escapes (found by
 * fuzz_scenario; upstream pantoniou/libfyaml#337). False only on ENOMEM.
 */
static bool text_of(const ctx_t *c, struct fy_node *n, const char **t, size_t *len)
{
    *t = "";
    *len = 0;
    if (fy_node_get_style(n) == FYNS_SINGLE_QUOTED) {
        struct fy_token *tok = fy_node_get_scalar_token(n);
        const struct fy_mark *a = tok ? fy_token_start_mark(tok) : NULL;
        const struct fy_mark *b = tok ? fy_token_end_mark(tok) : NULL;
        if (a && b && a->input_pos >= 1 && a->input_pos <= b->input_pos && b->input_pos < c->len &&
            c->text[a->input_pos - 1] == '\'' && c->text[b->input_pos] == '\'') {
            size_t olen = 0;
            char *u = unquote_single(c->text + a->input_pos, b->input_pos - a->input_pos, &olen);
            if (!u || ent_vec_push(c->strs, &u) != ENT_OK) {
                ent_free(u);
                return false;
            }
            *t = u;
            *len = olen;
            return true;
        }
        /* Marks not as expected: fall through to libfyaml's text. */
    }
    const char *x = fy_node_get_scalar(n, len);
    if (x) {
        *t = x;
    } else {
        *len = 0;
    }
    return true;
}

/* What a node is, for "expected X, got Y" messages. */
static const char *describe(const ctx_t *c, struct fy_node *n, char *buf, size_t bn)
{
    if (!n) {
        return "nothing";
    }
    switch (fy_node_get_type(n)) {
    case FYNT_MAPPING: return "a map";
    case FYNT_SEQUENCE: return "a list";
    default: break;
    }
    if (is_alias(n)) {
        return "an alias";
    }
    size_t len = 0;
    const char *t;
    if (!text_of(c, n, &t, &len)) {
        return "a scalar";
    }
    if (len == 0) {
        return "nothing";
    }
    char tmp[96];
    snprintf(buf, bn, "'%s'", show(tmp, sizeof tmp, t, len));
    return buf;
}

/*
 * A scalar's text (not NUL-terminated; may contain NUL when written "\0").
 * EPARSE naming `path` unless n is a non-alias scalar.
 */
static ent_err_t get_scalar(const ctx_t *c, struct fy_node *n, pos_t at, const char *path, const char *want,
                            const char **text, size_t *len)
{
    char d[128];
    if (!n || fy_node_get_type(n) != FYNT_SCALAR || is_alias(n)) {
        if (is_alias(n)) {
            return fail(c, node_pos(n, at), ENT_EPARSE, "%s: aliases (*name) are not supported", path);
        }
        return fail(c, node_pos(n, at), ENT_EPARSE, "%s: expected %s, got %s", path, want, describe(c, n, d, sizeof d));
    }
    if (!text_of(c, n, text, len)) {
        return ent_i_nomem();
    }
    return ENT_OK;
}

/* A plain (unquoted) scalar spelling YAML's null. */
static bool is_null_text(struct fy_node *n, const char *t, size_t len)
{
    if (fy_node_get_style(n) != FYNS_PLAIN) {
        return false;
    }
    return len == 0 || (len == 1 && t[0] == '~') ||
           (len == 4 && (memcmp(t, "null", 4) == 0 || memcmp(t, "Null", 4) == 0 || memcmp(t, "NULL", 4) == 0));
}

static bool key_is(const char *k, size_t klen, const char *name)
{
    return klen == strlen(name) && memcmp(k, name, klen) == 0;
}

/* The key of a mapping pair: a non-empty, non-alias scalar. */
static ent_err_t get_key(const ctx_t *c, struct fy_node_pair *pr, pos_t at, const char *where, const char **k,
                         size_t *klen, pos_t *kpos)
{
    struct fy_node *kn = fy_node_pair_key(pr);
    *kpos = node_pos(kn, node_pos(fy_node_pair_value(pr), at));
    if (!kn || fy_node_get_type(kn) != FYNT_SCALAR || is_alias(kn)) {
        return fail(c, *kpos, ENT_EPARSE, "%s: keys must be names, not %s", where,
                    kn && fy_node_get_type(kn) == FYNT_MAPPING    ? "maps"
                    : kn && fy_node_get_type(kn) == FYNT_SEQUENCE ? "lists"
                    : is_alias(kn)                                ? "aliases"
                                                                  : "empty");
    }
    if (!text_of(c, kn, k, klen)) {
        return ent_i_nomem();
    }
    if (*klen == 0) {
        return fail(c, *kpos, ENT_EPARSE, "%s: empty key", where);
    }
    return ENT_OK;
}

/* ------------------------------------------------------------ suggestions */

/* Levenshtein distance, capped: names are short, anything long is no typo of ours. */
static size_t edit_distance(const char *a, size_t la, const char *b)
{
    size_t lb = strlen(b);
    if (la > 64 || lb > 64) {
        return 1000;
    }
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) {
                best = up + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Keeps the closest candidate within reach (1 edit for short names, 2 otherwise, 3 for long ones). */
static void consider(const char **best, size_t *bestd, const char *k, size_t klen, const char *cand)
{
    size_t n = strlen(cand);
    size_t d = edit_distance(k, klen, cand);
    size_t reach = n <= 4 ? 1 : n <= 8 ? 2 : 3;
    /* A truncated name ("tighten", "dissolve") is as good a clue as a typo. */
    if (klen >= 4 && klen < n && memcmp(k, cand, klen) == 0) {
        d = 1;
    }
    if (d <= reach && d < *bestd) {
        *best = cand;
        *bestd = d;
    }
}

/* " (did you mean 'x'?)" or "" into buf. */
static const char *hint(char *buf, size_t n, const char *best)
{
    if (best) {
        snprintf(buf, n, " (did you mean '%s'?)", best);
    } else {
        buf[0] = '\0';
    }
    return buf;
}

static ent_err_t unknown_key(const ctx_t *c, pos_t p, const char *k, size_t klen, const char *where,
                             const char *const *cands, size_t ncands)
{
    const char *best = NULL;
    size_t bestd = 1000;
    for (size_t i = 0; i < ncands; i++) {
        consider(&best, &bestd, k, klen, cands[i]);
    }
    char ks[200], hb[96];
    show(ks, sizeof ks, k, klen);
    if (where) {
        return fail(c, p, ENT_EPARSE, "unknown key '%s' under '%s'%s", ks, where, hint(hb, sizeof hb, best));
    }
    return fail(c, p, ENT_EPARSE, "unknown key '%s'%s", ks, hint(hb, sizeof hb, best));
}

/* ------------------------------------------------------------ the parameter table */

static bool is_top_scalar(const char *key)
{
    for (size_t i = 0; i < NTOP_SCALARS; i++) {
        if (strcmp(key, top_scalars[i]) == 0) {
            return true;
        }
    }
    return false;
}

static const ent_sim_param_t *find_param(const char *k, size_t klen)
{
    for (const ent_sim_param_t *p = ent_sim_params(); p->key; p++) {
        if (key_is(k, klen, p->key)) {
            return p;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------ values */

/* YAML 1.2 core decimal numbers: [-+]? (digits [. digits?] | . digits) ([eE] [-+]? digits)? */
static bool number_syntax(const char *t, size_t len, bool *integer)
{
    size_t i = 0, digits = 0;
    *integer = true;
    if (i < len && (t[i] == '-' || t[i] == '+')) {
        i++;
    }
    while (i < len && t[i] >= '0' && t[i] <= '9') {
        i++, digits++;
    }
    if (i < len && t[i] == '.') {
        *integer = false;
        i++;
        while (i < len && t[i] >= '0' && t[i] <= '9') {
            i++, digits++;
        }
    }
    if (digits == 0) {
        return false;
    }
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        *integer = false;
        i++;
        if (i < len && (t[i] == '-' || t[i] == '+')) {
            i++;
        }
        size_t ed = 0;
        while (i < len && t[i] >= '0' && t[i] <= '9') {
            i++, ed++;
        }
        if (ed == 0) {
            return false;
        }
    }
    return i == len;
}

/*
 * A number for `path` within [lo, hi]; `integer` demands an integer spelling.
 * Values are converted through double, exact for every integer in the table
 * (all below 2^53).
 */
static ent_err_t get_number(const ctx_t *c, struct fy_node *n, pos_t at, const char *path, bool integer, double lo,
                            double hi, double *out)
{
    const char *t;
    size_t len;
    char d[128], vs[96];
    const char *want = integer ? "an integer" : "a number";
    ent_err_t rc = get_scalar(c, n, at, path, want, &t, &len);
    if (rc != ENT_OK) {
        return rc;
    }
    pos_t p = node_pos(n, at);
    if (is_null_text(n, t, len)) {
        return fail(c, p, ENT_EPARSE, "%s: expected %s, got %s", path, want, len ? "null" : "nothing");
    }
    bool is_int = false;
    /* a switch (an integer 0..1) also reads YAML's true and false */
    if (integer && lo == 0 && hi == 1 && fy_node_get_style(n) == FYNS_PLAIN &&
        ((len == 4 && memcmp(t, "true", 4) == 0) || (len == 5 && memcmp(t, "false", 5) == 0))) {
        *out = len == 4 ? 1 : 0;
        return ENT_OK;
    }
    if (fy_node_get_style(n) != FYNS_PLAIN || !number_syntax(t, len, &is_int)) {
        const char *q = fy_node_get_style(n) == FYNS_PLAIN ? "" : " (quoted: a string)";
        return fail(c, p, ENT_EPARSE, "%s: expected %s, got %s%s", path, want, describe(c, n, d, sizeof d), q);
    }
    if (integer && !is_int) {
        return fail(c, p, ENT_EPARSE, "%s: expected an integer, got %s", path, show(vs, sizeof vs, t, len));
    }
    char buf[128];
    if (len >= sizeof buf) {
        return fail(c, p, ENT_ERANGE, "%s: %s is outside %.15g..%.15g", path, show(vs, sizeof vs, t, len), lo, hi);
    }
    memcpy(buf, t, len);
    buf[len] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v) || v < lo || v > hi) {
        return fail(c, p, ENT_ERANGE, "%s: %s is outside %.15g..%.15g", path, show(vs, sizeof vs, t, len), lo, hi);
    }
    *out = v;
    return ENT_OK;
}

/* A table parameter (scalar, or one pole's slot k). */
static ent_err_t set_param(const ctx_t *c, const ent_sim_param_t *p, int k, struct fy_node *n, pos_t at,
                           const char *path)
{
    double v;
    ent_err_t rc = get_number(c, n, at, path, p->type != 'd', p->min, p->max, &v);
    if (rc != ENT_OK) {
        return rc;
    }
    char *base = (char *)c->s + p->offset;
    switch (p->type) {
    case 'd': ((double *)base)[k] = v; break;
    case 'i': ((int *)base)[k] = (int)v; break;
    case 'l': ((int64_t *)base)[k] = (int64_t)v; break;
    case 'u': ((uint64_t *)base)[k] = (uint64_t)v; break;
    default: assert(!"parameter type");
    }
    return ENT_OK;
}

/* A string of 1..max bytes; control characters other than tab/newline only when `multiline`. */
static ent_err_t get_string(const ctx_t *c, struct fy_node *n, pos_t at, const char *path, size_t min, size_t max,
                            bool multiline, char *out)
{
    const char *t;
    size_t len;
    ent_err_t rc = get_scalar(c, n, at, path, "a string", &t, &len);
    if (rc != ENT_OK) {
        return rc;
    }
    pos_t p = node_pos(n, at);
    if (is_null_text(n, t, len)) {
        return fail(c, p, ENT_EPARSE, "%s: expected a string, got %s", path, len ? "null" : "nothing");
    }
    /* A quoted "" is not null, but an empty name is no name: the reports key on it. */
    if (len < min) {
        return fail(c, p, ENT_ERANGE, "%s: %zu bytes long, at least %zu required", path, len, min);
    }
    if (len > max) {
        return fail(c, p, ENT_ERANGE, "%s: %zu bytes long, at most %zu allowed", path, len, max);
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)t[i];
        if ((ch < 0x20 && !(multiline && (ch == '\n' || ch == '\t'))) || ch == 0x7f) {
            return fail(c, p, ENT_EPARSE, "%s: control character \\x%02x at byte %zu", path, ch, i + 1);
        }
    }
    memcpy(out, t, len);
    out[len] = '\0';
    return ENT_OK;
}

/* A state code -> COW code, through the world when there is one. */
static ent_err_t resolve_state(const ctx_t *c, struct fy_node *n, pos_t at, const char *path, int32_t *ccode)
{
    const char *t;
    size_t len;
    char vs[96];
    ent_err_t rc = get_scalar(c, n, at, path, "a state code", &t, &len);
    if (rc != ENT_OK) {
        return rc;
    }
    pos_t p = node_pos(n, at);
    if (is_null_text(n, t, len)) {
        return fail(c, p, ENT_EPARSE, "%s: expected a state code, got %s", path, len ? "null" : "nothing");
    }
    bool numeric = len > 0 && len <= 3;
    for (size_t i = 0; i < len && numeric; i++) {
        numeric = t[i] >= '0' && t[i] <= '9';
    }
    if (len > 15 || memchr(t, '\0', len)) {
        return fail(c, p, ENT_ENOTFOUND, "%s: unknown state '%s'", path, show(vs, sizeof vs, t, len));
    }
    char code[16];
    memcpy(code, t, len);
    code[len] = '\0';
    if (!c->w) {
        long v = numeric ? strtol(code, NULL, 10) : 0;
        if (v < 1 || v > 999) {
            return fail(c, p, ENT_ENOTFOUND,
                        "%s: unknown state '%s' (without a world, states must be COW numbers like 710)", path,
                        show(vs, sizeof vs, t, len));
        }
        *ccode = (int32_t)v;
        return ENT_OK;
    }
    int64_t idx = -1;
    if (ent_world_find(&idx, c->w, code) != ENT_OK || idx < 0) {
        return fail(c, p, ENT_ENOTFOUND,
                    "%s: unknown state '%s' (give a COW number like 710, a COW abbreviation like CHN or an ISO3 "
                    "code)",
                    path, show(vs, sizeof vs, t, len));
    }
    *ccode = ent_world_state(c->w, (size_t)idx)->ccode;
    return ENT_OK;
}

/* A pole's label for messages: its COW abbreviation through the world, else its number. */
static const char *pole_label(const ctx_t *c, int k, char *buf, size_t n)
{
    int32_t cc = c->s->poles[k];
    if (c->w) {
        char code[16];
        int64_t idx = -1;
        snprintf(code, sizeof code, "%d", (int)cc);
        /* ent_world_find sets the error detail on failure; harmless, we raise our own next. */
        if (ent_world_find(&idx, c->w, code) == ENT_OK && idx >= 0) {
            snprintf(buf, n, "%s", ent_world_state(c->w, (size_t)idx)->abbr);
            return buf;
        }
    }
    snprintf(buf, n, "%d", (int)cc);
    return buf;
}

/* The pole index of a map key naming a state, or an error. */
static ent_err_t pole_of(const ctx_t *c, struct fy_node *kn, pos_t kpos, const char *path, const char *k, size_t klen,
                         int *pole)
{
    int32_t cc;
    ent_err_t rc = resolve_state(c, kn, kpos, path, &cc);
    if (rc != ENT_OK) {
        return rc;
    }
    for (int j = 0; j < c->s->npoles; j++) {
        if (c->s->poles[j] == cc) {
            *pole = j;
            return ENT_OK;
        }
    }
    /* "USA and CHN", "USA, CHN and RUS" */
    char ks[96], list[16 * ENT_SIM_MAX_POLES + 16] = "", a[16];
    for (int j = 0; j < c->s->npoles; j++) {
        size_t at = strlen(list);
        snprintf(list + at, sizeof list - at, "%s%s", j == 0 ? "" : (j == c->s->npoles - 1 ? " and " : ", "),
                 pole_label(c, j, a, sizeof a));
    }
    return fail(c, kpos, ENT_EPARSE, "%s: '%s' is not a pole (the poles are %s)", path, show(ks, sizeof ks, k, klen),
                list);
}

/* A mapping, or EPARSE "expected <what>". */
static ent_err_t want_map(const ctx_t *c, struct fy_node *n, pos_t at, const char *path, const char *what)
{
    if (n && fy_node_get_type(n) == FYNT_MAPPING) {
        return ENT_OK;
    }
    char d[128];
    if (is_alias(n)) {
        return fail(c, node_pos(n, at), ENT_EPARSE, "%s: aliases (*name) are not supported", path);
    }
    return fail(c, node_pos(n, at), ENT_EPARSE, "%s: expected %s, got %s", path, what, describe(c, n, d, sizeof d));
}

static ent_err_t want_seq(const ctx_t *c, struct fy_node *n, pos_t at, const char *path, const char *what)
{
    if (n && fy_node_get_type(n) == FYNT_SEQUENCE) {
        return ENT_OK;
    }
    char d[128];
    if (is_alias(n)) {
        return fail(c, node_pos(n, at), ENT_EPARSE, "%s: aliases (*name) are not supported", path);
    }
    return fail(c, node_pos(n, at), ENT_EPARSE, "%s: expected %s, got %s", path, what, describe(c, n, d, sizeof d));
}

/* ------------------------------------------------------------ sections */

static ent_err_t read_poles(ctx_t *c, struct fy_node *n, pos_t at)
{
    ent_err_t rc = want_seq(c, n, at, "poles", "a list of states like [USA, CHN]");
    if (rc != ENT_OK) {
        return rc;
    }
    int count = fy_node_sequence_item_count(n);
    if (count < 2 || count > ENT_SIM_MAX_POLES) {
        return fail(c, node_pos(n, at), ENT_EPARSE, "poles: expected 2 to %d states, got %d", ENT_SIM_MAX_POLES, count);
    }
    void *it = NULL;
    struct fy_node *item;
    int32_t cc[ENT_SIM_MAX_POLES];
    pos_t ip[ENT_SIM_MAX_POLES];
    for (int k = 0; (item = fy_node_sequence_iterate(n, &it)) != NULL && k < count; k++) {
        char path[32];
        snprintf(path, sizeof path, "poles[%d]", k);
        ip[k] = node_pos(item, at);
        if ((rc = resolve_state(c, item, at, path, &cc[k])) != ENT_OK) {
            return rc;
        }
        for (int j = 0; j < k; j++) {
            if (cc[j] == cc[k]) {
                return fail(c, ip[k], ENT_EPARSE,
                            "poles: the poles must be different states (poles[%d] and poles[%d] are %d)", j, k,
                            (int)cc[k]);
            }
        }
    }
    /* Per-pole defaults belong to a state, not to a position: re-derive them for these poles. */
    ent_scenario_t d;
    ent_scenario_defaults(&d);
    for (const ent_sim_param_t *p = ent_sim_params(); p->key; p++) {
        if (!p->per_pole) {
            continue;
        }
        for (int k = 0; k < count; k++) {
            int from = cc[k] == d.poles[0] ? 0 : cc[k] == d.poles[1] ? 1 : -1;
            char *dst = (char *)c->s + p->offset;
            const char *src = (const char *)&d + p->offset;
            switch (p->type) {
            case 'd': ((double *)dst)[k] = from >= 0 ? ((const double *)src)[from] : p->def; break;
            case 'i': ((int *)dst)[k] = from >= 0 ? ((const int *)src)[from] : (int)p->def; break;
            case 'l': ((int64_t *)dst)[k] = from >= 0 ? ((const int64_t *)src)[from] : (int64_t)p->def; break;
            case 'u': ((uint64_t *)dst)[k] = from >= 0 ? ((const uint64_t *)src)[from] : (uint64_t)p->def; break;
            default: assert(!"parameter type");
            }
        }
    }
    for (int k = 0; k < ENT_SIM_MAX_POLES; k++) {
        c->s->poles[k] = k < count ? cc[k] : 0;
    }
    c->s->npoles = count;
    return ENT_OK;
}

/* A per-pole parameter: {POLE: value}. */
static ent_err_t read_per_pole(ctx_t *c, const ent_sim_param_t *p, struct fy_node *n, pos_t at, const char *path)
{
    char want[96];
    snprintf(want, sizeof want, "a map of pole -> value like {%d: ...}", (int)c->s->poles[0]);
    ent_err_t rc = want_map(c, n, at, path, want);
    if (rc != ENT_OK) {
        return rc;
    }
    bool seen[ENT_SIM_MAX_POLES] = {false};
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
        const char *k;
        size_t klen;
        pos_t kp;
        int pole;
        char ks[96], sub[256];
        if ((rc = get_key(c, pr, at, path, &k, &klen, &kp)) != ENT_OK ||
            (rc = pole_of(c, fy_node_pair_key(pr), kp, path, k, klen, &pole)) != ENT_OK) {
            return rc;
        }
        if (seen[pole]) {
            return fail(c, kp, ENT_EPARSE, "%s: pole '%s' given twice", path, show(ks, sizeof ks, k, klen));
        }
        seen[pole] = true;
        snprintf(sub, sizeof sub, "%s.%s", path, show(ks, sizeof ks, k, klen));
        if ((rc = set_param(c, p, pole, fy_node_pair_value(pr), kp, sub)) != ENT_OK) {
            return rc;
        }
    }
    return ENT_OK;
}

static ent_err_t read_overrides(ctx_t *c, struct fy_node *n, pos_t at)
{
    const char *path = "parameters." GROWTH_OVERRIDE_KEY;
    ent_err_t rc = want_map(c, n, at, path, "a map of state -> annual drift like {750: 0.02}");
    if (rc != ENT_OK) {
        return rc;
    }
    const ent_sim_param_t *g = find_param("growth", 6);
    assert(g);
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
        const char *k;
        size_t klen;
        pos_t kp;
        int32_t cc;
        char ks[96], sub[256];
        if ((rc = get_key(c, pr, at, path, &k, &klen, &kp)) != ENT_OK ||
            (rc = resolve_state(c, fy_node_pair_key(pr), kp, path, &cc)) != ENT_OK) {
            return rc;
        }
        show(ks, sizeof ks, k, klen);
        for (int j = 0; j < c->s->npoles; j++) {
            if (cc == c->s->poles[j]) {
                return fail(c, kp, ENT_EPARSE, "%s: '%s' is a pole: set its drift with parameters.growth", path, ks);
            }
        }
        for (size_t j = 0; j < c->s->ngrowth_override; j++) {
            if (c->s->growth_override[j].ccode == cc) {
                return fail(c, kp, ENT_EPARSE, "%s: state '%s' given twice", path, ks);
            }
        }
        if (c->s->ngrowth_override >= ENT_SIM_MAX_OVERRIDES) {
            return fail(c, kp, ENT_ELIMIT, "%s: more than %d states", path, ENT_SIM_MAX_OVERRIDES);
        }
        snprintf(sub, sizeof sub, "%s.%s", path, ks);
        double v;
        if ((rc = get_number(c, fy_node_pair_value(pr), kp, sub, false, g->min, g->max, &v)) != ENT_OK) {
            return rc;
        }
        ent_state_value_t *o = &c->s->growth_override[c->s->ngrowth_override++];
        o->ccode = cc;
        o->value = v;
    }
    return ENT_OK;
}

static ent_err_t read_parameters(ctx_t *c, struct fy_node *n, pos_t at)
{
    ent_err_t rc = want_map(c, n, at, "parameters", "a map of parameter -> value");
    if (rc != ENT_OK) {
        return rc;
    }
    /* Candidates for suggestions: the table's keys under `parameters`. */
    const char *cands[128];
    size_t ncands = 0, nrows = 0;
    for (const ent_sim_param_t *p = ent_sim_params(); p->key; p++, nrows++) {
        if (!is_top_scalar(p->key) && ncands < 127) {
            cands[ncands++] = p->key;
        }
    }
    cands[ncands++] = GROWTH_OVERRIDE_KEY;
    bool seen[129] = {false}; /* table rows, then growth_override */
    assert(nrows < 128);

    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
        const char *k;
        size_t klen;
        pos_t kp;
        char ks[96], path[160];
        if ((rc = get_key(c, pr, at, "parameters", &k, &klen, &kp)) != ENT_OK) {
            return rc;
        }
        show(ks, sizeof ks, k, klen);
        snprintf(path, sizeof path, "parameters.%s", ks);
        struct fy_node *v = fy_node_pair_value(pr);
        if (key_is(k, klen, GROWTH_OVERRIDE_KEY)) {
            if (seen[128]) {
                return fail(c, kp, ENT_EPARSE, "duplicate key '%s' under 'parameters'", ks);
            }
            seen[128] = true;
            if ((rc = read_overrides(c, v, kp)) != ENT_OK) {
                return rc;
            }
            continue;
        }
        const ent_sim_param_t *p = find_param(k, klen);
        if (p && is_top_scalar(p->key)) {
            return fail(c, kp, ENT_EPARSE, "key '%s' belongs at the top level, not under 'parameters'", ks);
        }
        if (!p) {
            return unknown_key(c, kp, k, klen, "parameters", cands, ncands);
        }
        size_t row = (size_t)(p - ent_sim_params());
        if (seen[row]) {
            return fail(c, kp, ENT_EPARSE, "duplicate key '%s' under 'parameters'", ks);
        }
        seen[row] = true;
        rc = p->per_pole ? read_per_pole(c, p, v, kp, path) : set_param(c, p, 0, v, kp, path);
        if (rc != ENT_OK) {
            return rc;
        }
    }
    return ENT_OK;
}

static ent_err_t read_levers(ctx_t *c, struct fy_node *n, pos_t at)
{
    ent_err_t rc = want_map(c, n, at, "levers", "a map of pole -> {lever: value}");
    if (rc != ENT_OK) {
        return rc;
    }
    const char *cands[NLEVERS];
    for (size_t i = 0; i < NLEVERS; i++) {
        cands[i] = lever_keys[i].name;
    }
    bool seen_pole[ENT_SIM_MAX_POLES] = {false};
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
        const char *k;
        size_t klen;
        pos_t kp;
        int pole;
        char ks[96], path[160];
        if ((rc = get_key(c, pr, at, "levers", &k, &klen, &kp)) != ENT_OK ||
            (rc = pole_of(c, fy_node_pair_key(pr), kp, "levers", k, klen, &pole)) != ENT_OK) {
            return rc;
        }
        show(ks, sizeof ks, k, klen);
        if (seen_pole[pole]) {
            return fail(c, kp, ENT_EPARSE, "levers: pole '%s' given twice", ks);
        }
        seen_pole[pole] = true;
        snprintf(path, sizeof path, "levers.%s", ks);
        struct fy_node *m = fy_node_pair_value(pr);
        if ((rc = want_map(c, m, kp, path, "a map of lever -> value like {tightening: 0.5}")) != ENT_OK) {
            return rc;
        }
        bool seen[NLEVERS] = {false};
        void *it2 = NULL;
        struct fy_node_pair *lp;
        while ((lp = fy_node_mapping_iterate(m, &it2)) != NULL) {
            const char *lk;
            size_t llen;
            pos_t lpos;
            char ls[96], sub[256];
            if ((rc = get_key(c, lp, kp, path, &lk, &llen, &lpos)) != ENT_OK) {
                return rc;
            }
            size_t li = 0;
            while (li < NLEVERS && !key_is(lk, llen, lever_keys[li].name)) {
                li++;
            }
            if (li == NLEVERS) {
                return unknown_key(c, lpos, lk, llen, path, cands, NLEVERS);
            }
            if (seen[li]) {
                return fail(c, lpos, ENT_EPARSE, "duplicate key '%s' under '%s'", lever_keys[li].name, path);
            }
            seen[li] = true;
            snprintf(sub, sizeof sub, "%s.%s", path, show(ls, sizeof ls, lk, llen));
            double v;
            if ((rc = get_number(c, fy_node_pair_value(lp), lpos, sub, false, 0.0, 1.0, &v)) != ENT_OK) {
                return rc;
            }
            *(double *)((char *)&c->s->levers[pole] + lever_keys[li].offset) = v;
        }
    }
    return ENT_OK;
}

static ent_err_t read_shock(ctx_t *c, struct fy_node *n, pos_t at, size_t idx)
{
    char path[48];
    snprintf(path, sizeof path, "shocks[%zu]", idx);
    ent_err_t rc = want_map(c, n, at, path, "a map like {year: 2027, kind: crisis, a: 710, b: 713, magnitude: 0.5}");
    if (rc != ENT_OK) {
        return rc;
    }
    pos_t sp = node_pos(n, at);
    struct fy_node *val[NSHOCK_KEYS] = {NULL};
    pos_t kpos[NSHOCK_KEYS];
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
        const char *k;
        size_t klen;
        pos_t kp;
        if ((rc = get_key(c, pr, sp, path, &k, &klen, &kp)) != ENT_OK) {
            return rc;
        }
        size_t ki = 0;
        while (ki < NSHOCK_KEYS && !key_is(k, klen, shock_keys[ki])) {
            ki++;
        }
        if (ki == NSHOCK_KEYS) {
            return unknown_key(c, kp, k, klen, path, shock_keys, NSHOCK_KEYS);
        }
        if (val[ki]) {
            return fail(c, kp, ENT_EPARSE, "duplicate key '%s' under '%s'", shock_keys[ki], path);
        }
        if (!fy_node_pair_value(pr)) {
            return fail(c, kp, ENT_EPARSE, "%s.%s: expected a value, got nothing", path, shock_keys[ki]);
        }
        val[ki] = fy_node_pair_value(pr);
        kpos[ki] = kp;
    }
    enum { K_YEAR, K_KIND, K_A, K_B, K_MAG, K_DUR };
    static const char *const required[] = {"year", "kind", "a"};
    for (int r = 0; r < 3; r++) {
        if (!val[r]) {
            return fail(c, sp, ENT_EPARSE, "%s: missing key '%s'", path, required[r]);
        }
    }
    ent_shock_t sh = {0};
    char sub[96];
    double v;

    snprintf(sub, sizeof sub, "%s.year", path);
    if ((rc = get_number(c, val[K_YEAR], kpos[K_YEAR], sub, true, 0, 9999, &v)) != ENT_OK) {
        return rc;
    }
    sh.year = (int)v;

    const char *t;
    size_t len;
    snprintf(sub, sizeof sub, "%s.kind", path);
    if ((rc = get_scalar(c, val[K_KIND], kpos[K_KIND], sub, "a shock kind", &t, &len)) != ENT_OK) {
        return rc;
    }
    size_t kk = 0;
    while (kk < NKINDS && !key_is(t, len, shock_kinds[kk].name)) {
        kk++;
    }
    if (kk == NKINDS) {
        char vs[96];
        return fail(c, node_pos(val[K_KIND], kpos[K_KIND]), ENT_EPARSE,
                    "%s: unknown shock kind '%s' (crisis, war, sanctions, pact or growth)", sub,
                    show(vs, sizeof vs, t, len));
    }
    sh.kind = shock_kinds[kk].kind;
    const char *kname = shock_kinds[kk].name;

    snprintf(sub, sizeof sub, "%s.a", path);
    if ((rc = resolve_state(c, val[K_A], kpos[K_A], sub, &sh.a)) != ENT_OK) {
        return rc;
    }
    if (sh.kind == ENT_SHOCK_GROWTH) {
        if (val[K_B]) {
            return fail(c, kpos[K_B], ENT_EPARSE, "%s.b: a growth shock concerns only 'a'", path);
        }
    } else {
        if (!val[K_B]) {
            return fail(c, sp, ENT_EPARSE, "%s: missing key 'b' (a %s needs two states)", path, kname);
        }
        snprintf(sub, sizeof sub, "%s.b", path);
        if ((rc = resolve_state(c, val[K_B], kpos[K_B], sub, &sh.b)) != ENT_OK) {
            return rc;
        }
        if (sh.a == sh.b) {
            return fail(c, kpos[K_B], ENT_EPARSE, "%s: 'a' and 'b' are the same state (%d)", path, (int)sh.a);
        }
    }
    if (val[K_MAG]) {
        if (sh.kind == ENT_SHOCK_PACT) {
            return fail(c, kpos[K_MAG], ENT_EPARSE, "%s.magnitude: a pact has no magnitude", path);
        }
        snprintf(sub, sizeof sub, "%s.magnitude", path);
        if ((rc = get_number(c, val[K_MAG], kpos[K_MAG], sub, false, -1.0, 1.0, &sh.magnitude)) != ENT_OK) {
            return rc;
        }
    } else if (sh.kind != ENT_SHOCK_PACT) {
        return fail(c, sp, ENT_EPARSE, "%s: missing key 'magnitude' (required for a %s)", path, kname);
    }
    sh.duration = 1;
    if (val[K_DUR]) {
        snprintf(sub, sizeof sub, "%s.duration", path);
        if ((rc = get_number(c, val[K_DUR], kpos[K_DUR], sub, true, 1, 100, &v)) != ENT_OK) {
            return rc;
        }
        sh.duration = (int)v;
    }
    c->s->shocks[c->s->nshocks] = sh;
    c->shock_pos[c->s->nshocks] = kpos[K_YEAR];
    c->s->nshocks++;
    return ENT_OK;
}

static ent_err_t read_shocks(ctx_t *c, struct fy_node *n, pos_t at)
{
    ent_err_t rc = want_seq(c, n, at, "shocks", "a list of shocks");
    if (rc != ENT_OK) {
        return rc;
    }
    void *it = NULL;
    struct fy_node *item;
    for (size_t i = 0; (item = fy_node_sequence_iterate(n, &it)) != NULL; i++) {
        if (i >= ENT_SIM_MAX_SHOCKS) {
            return fail(c, node_pos(item, at), ENT_ELIMIT, "shocks: more than %d shocks", ENT_SIM_MAX_SHOCKS);
        }
        if ((rc = read_shock(c, item, node_pos(item, at), i)) != ENT_OK) {
            return rc;
        }
    }
    return ENT_OK;
}

static ent_err_t read_outputs(ctx_t *c, struct fy_node *n, pos_t at)
{
    ent_err_t rc = want_seq(c, n, at, "outputs", "a list of output names");
    if (rc != ENT_OK) {
        return rc;
    }
    bool seen[NOUTPUTS] = {false};
    void *it = NULL;
    struct fy_node *item;
    for (size_t i = 0; (item = fy_node_sequence_iterate(n, &it)) != NULL; i++) {
        char path[48], vs[96];
        const char *t;
        size_t len;
        snprintf(path, sizeof path, "outputs[%zu]", i);
        if ((rc = get_scalar(c, item, at, path, "an output name", &t, &len)) != ENT_OK) {
            return rc;
        }
        pos_t p = node_pos(item, at);
        size_t j = 0;
        while (j < NOUTPUTS && !key_is(t, len, output_names[j])) {
            j++;
        }
        if (j == NOUTPUTS) {
            const char *best = NULL;
            size_t bestd = 1000;
            char hb[96];
            for (size_t q = 0; q < NOUTPUTS; q++) {
                consider(&best, &bestd, t, len, output_names[q]);
            }
            return fail(c, p, ENT_EPARSE,
                        "%s: unknown output '%s'%s; outputs are pacts, blocs, bipolarity, hedgers, finlandized, "
                        "norm, frustration, alignment",
                        path, show(vs, sizeof vs, t, len), hint(hb, sizeof hb, best));
        }
        if (seen[j]) {
            return fail(c, p, ENT_EPARSE, "%s: output '%s' listed twice", path, output_names[j]);
        }
        seen[j] = true;
    }
    return ENT_OK;
}

/* ------------------------------------------------------------ the document */

static ent_err_t read_root(ctx_t *c, struct fy_node *root)
{
    pos_t origin = {1, 1};
    ent_err_t rc;
    if (fy_node_get_type(root) != FYNT_MAPPING) {
        char d[128];
        return fail(c, node_pos(root, origin), ENT_EPARSE, "a scenario is a map of keys (name, parameters...), got %s",
                    describe(c, root, d, sizeof d));
    }
    struct fy_node *val[NTOP] = {NULL};
    pos_t kpos[NTOP];

    /* Pass 1: every key known, none twice. */
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(root, &it)) != NULL) {
        const char *k;
        size_t klen;
        pos_t kp;
        if ((rc = get_key(c, pr, origin, "scenario", &k, &klen, &kp)) != ENT_OK) {
            return rc;
        }
        size_t i = 0;
        while (i < NTOP && !key_is(k, klen, top_keys[i])) {
            i++;
        }
        if (i == NTOP) {
            const ent_sim_param_t *p = find_param(k, klen);
            if (p || key_is(k, klen, GROWTH_OVERRIDE_KEY)) {
                char ks[96];
                return fail(c, kp, ENT_EPARSE, "unknown key '%s' at the top level (it belongs under 'parameters')",
                            show(ks, sizeof ks, k, klen));
            }
            return unknown_key(c, kp, k, klen, NULL, top_keys, NTOP);
        }
        if (val[i]) {
            return fail(c, kp, ENT_EPARSE, "duplicate key '%s'", top_keys[i]);
        }
        struct fy_node *v = fy_node_pair_value(pr);
        if (!v) {
            return fail(c, kp, ENT_EPARSE, "%s: expected a value, got nothing", top_keys[i]);
        }
        val[i] = v;
        kpos[i] = kp;
    }

    /* Pass 2: the poles first, since per-pole maps are keyed by them. */
    for (size_t i = 0; i < NTOP; i++) {
        if (val[i] && strcmp(top_keys[i], "poles") == 0 && (rc = read_poles(c, val[i], kpos[i])) != ENT_OK) {
            return rc;
        }
    }

    /* Pass 3: everything else, in document order. */
    it = NULL;
    while ((pr = fy_node_mapping_iterate(root, &it)) != NULL) {
        size_t klen = 0;
        const char *k;
        if (!text_of(c, fy_node_pair_key(pr), &k, &klen)) {
            return ent_i_nomem();
        }
        size_t i = 0;
        while (i < NTOP && !key_is(k, klen, top_keys[i])) {
            i++;
        }
        assert(i < NTOP);
        const char *key = top_keys[i];
        struct fy_node *v = val[i];
        pos_t kp = kpos[i];
        if (strcmp(key, "name") == 0) {
            rc = get_string(c, v, kp, "name", 1, sizeof c->s->name - 1, false, c->s->name);
        } else if (strcmp(key, "description") == 0) {
            rc = get_string(c, v, kp, "description", 0, sizeof c->s->description - 1, true, c->s->description);
        } else if (is_top_scalar(key)) {
            const ent_sim_param_t *p = find_param(key, strlen(key));
            assert(p && !p->per_pole);
            rc = set_param(c, p, 0, v, kp, key);
        } else if (strcmp(key, "parameters") == 0) {
            rc = read_parameters(c, v, kp);
        } else if (strcmp(key, "levers") == 0) {
            rc = read_levers(c, v, kp);
        } else if (strcmp(key, "shocks") == 0) {
            rc = read_shocks(c, v, kp);
        } else if (strcmp(key, "outputs") == 0) {
            rc = read_outputs(c, v, kp);
        } else {
            rc = ENT_OK; /* poles: done */
        }
        if (rc != ENT_OK) {
            return rc;
        }
    }

    /* After the whole document: what depends on keys that may come in any order. */
    if (!val[0]) {
        return fail(c, node_pos(root, origin), ENT_EPARSE, "missing required key 'name'");
    }
    int64_t first = c->s->start_year, last = (int64_t)c->s->start_year + c->s->years;
    if (c->s->report_year < first || c->s->report_year > last) {
        /* a report year that is never simulated would print numbers for a year that has none */
        size_t ri = 0;
        while (ri < NTOP && strcmp(top_keys[ri], "report_year") != 0) {
            ri++;
        }
        pos_t rp = ri < NTOP && val[ri] ? kpos[ri] : node_pos(root, origin);
        return fail(c, rp, ENT_ERANGE,
                    "report_year: %d is outside the simulated years %lld..%lld (start_year..start_year + years)%s",
                    c->s->report_year, (long long)first, (long long)last, ri < NTOP && val[ri] ? "" : " (the default)");
    }
    for (size_t i = 0; i < c->s->nshocks; i++) {
        const ent_shock_t *sh = &c->s->shocks[i];
        if (sh->year < first || sh->year > last) {
            return fail(c, c->shock_pos[i], ENT_ERANGE,
                        "shocks[%zu].year: %d is outside %lld..%lld (start_year..start_year + years)", i, sh->year,
                        (long long)first, (long long)last);
        }
    }
    return ENT_OK;
}

/* Diagnostics of libfyaml: collected, never printed. The output hook keeps the last line as a fallback. */
typedef struct {
    char last[256];
} diag_sink_t;

static void diag_output(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    diag_sink_t *sink = user;
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) {
        len--;
    }
    show(sink->last, sizeof sink->last, buf, len);
}

/* The first collected libfyaml error as our message, or a generic one. */
static ent_err_t syntax_error(const ctx_t *c, struct fy_diag *diag, const diag_sink_t *sink)
{
    void *it = NULL;
    struct fy_diag_error *e;
    while ((e = fy_diag_errors_iterate(diag, &it)) != NULL) {
        if (e->type >= FYET_ERROR) {
            pos_t p = {e->line > 0 ? e->line : 1, e->column > 0 ? e->column : 1};
            char ms[200];
            const char *m = e->msg ? e->msg : "error";
            return fail(c, p, ENT_EPARSE, "YAML syntax error: %s", show(ms, sizeof ms, m, strlen(m)));
        }
    }
    pos_t p = {1, 1};
    return fail(c, p, ENT_EPARSE, "not a valid YAML document%s%s", sink->last[0] ? ": " : "", sink->last);
}

/*
 * Length of the valid UTF-8 sequence at t[i..len), or 0 (overlong forms,
 * surrogates and code points past U+10FFFF are invalid).
 */
static size_t utf8_len(const unsigned char *t, size_t i, size_t len)
{
    unsigned char c0 = t[i];
    if (c0 < 0x80) {
        return 1;
    }
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c0 >= 0xc2 && c0 <= 0xdf) {
        n = 2;
    } else if (c0 >= 0xe0 && c0 <= 0xef) {
        n = 3;
        lo = c0 == 0xe0 ? 0xa0 : 0x80;
        hi = c0 == 0xed ? 0x9f : 0xbf;
    } else if (c0 >= 0xf0 && c0 <= 0xf4) {
        n = 4;
        lo = c0 == 0xf0 ? 0x90 : 0x80;
        hi = c0 == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (len - i < n || t[i + 1] < lo || t[i + 1] > hi) {
        return 0;
    }
    for (size_t k = 2; k < n; k++) {
        if (t[i + k] < 0x80 || t[i + k] > 0xbf) {
            return 0;
        }
    }
    return n;
}

/*
 * Input libfyaml must not see: a NUL (YAML forbids it, libfyaml would stop
 * there) or invalid UTF-8 (libfyaml 0.7.12 loops forever on "%\xe0", found by
 * fuzz_scenario). Columns count characters, like libfyaml's.
 */
static ent_err_t check_text(const ctx_t *c, const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    pos_t p = {1, 1};
    for (size_t i = 0; i < len;) {
        if (t[i] == '\0') {
            return fail(c, p, ENT_EPARSE, "NUL byte in the input (YAML text cannot contain one)");
        }
        size_t n = utf8_len(t, i, len);
        if (n == 0) {
            return fail(c, p, ENT_EPARSE, "invalid UTF-8 (byte 0x%02x): a scenario is UTF-8 text", t[i]);
        }
        /* A block-context explicit key ("? key") that holds "k:" and a tab crashes libfyaml 0.7.12's
         * parser cleanup (fy_indent_vacuum_internal; found by fuzz_scenario). A scenario's keys are
         * plain names, so the explicit-key form is refused before libfyaml sees it. */
        if (t[i] == '?' && (i + 1 == len || t[i + 1] == ' ' || t[i + 1] == '\t' || t[i + 1] == '\n')) {
            size_t b = i;
            while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t')) {
                b--;
            }
            if (b == 0 || t[b - 1] == '\n') {
                return fail(c, p, ENT_EPARSE, "explicit keys ('? key') are not supported: write 'key: value'");
            }
        }
        if (t[i] == '\n') {
            p.line++, p.col = 1;
        } else {
            p.col++;
        }
        i += n;
    }
    return ENT_OK;
}

/* True when text holds nothing but blanks and comments. */
static bool blank_text(const char *t, size_t len)
{
    bool comment = false;
    for (size_t i = 0; i < len; i++) {
        char ch = t[i];
        if (ch == '\n' || ch == '\r') {
            comment = false;
        } else if (comment) {
            continue;
        } else if (ch == '#') {
            comment = true;
        } else if (ch != ' ' && ch != '\t') {
            return false;
        }
    }
    return true;
}

ent_err_t ent_scenario_parse(ent_scenario_t *s, const char *name, const char *text, size_t len, const ent_world_t *w)
{
    assert(s && name && (text || len == 0));
    ent_err_t rc = ENT_OK;
    struct fy_diag *diag = NULL;
    struct fy_parser *fyp = NULL;
    struct fy_document *fyd = NULL, *extra = NULL;
    ent_scenario_t *tmp = NULL;
    ctx_t *c = NULL;
    diag_sink_t sink = {{0}};
    pos_t origin = {1, 1};
    ent_vec_t strs = ENT_VEC_INIT(char *);

    ctx_t c0 = {.name = name, .w = w, .s = NULL};
    if (len > MAX_SCENARIO_BYTES) {
        return fail(&c0, origin, ENT_ELIMIT, "scenario is %zu bytes, larger than the %u-byte limit", len,
                    MAX_SCENARIO_BYTES);
    }
    if (len == 0 || blank_text(text, len)) {
        return fail(&c0, origin, ENT_EPARSE, "empty scenario (expected at least 'name: ...')");
    }
    if ((rc = check_text(&c0, text, len)) != ENT_OK) {
        return rc;
    }
    tmp = ent_malloc(sizeof *tmp);
    c = ent_malloc(sizeof *c);
    if (!tmp || !c) {
        rc = ent_i_nomem();
        goto done;
    }
    ent_scenario_defaults(tmp);
    memset(c, 0, sizeof *c);
    c->name = name;
    c->w = w;
    c->s = tmp;
    c->text = text;
    c->len = len;
    c->strs = &strs;

    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = diag_output;
    dcfg.user = &sink;
    dcfg.level = FYET_ERROR;
    dcfg.colorize = false;
    diag = fy_diag_create(&dcfg);
    if (!diag) {
        rc = ent_i_nomem();
        goto done;
    }
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg pcfg;
    memset(&pcfg, 0, sizeof pcfg);
    /* Duplicate keys are checked by us, so the message can name the key and its section. */
    pcfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_JSON_NONE | FYPCF_ALLOW_DUPLICATE_KEYS;
    pcfg.diag = diag;
    fyp = fy_parser_create(&pcfg);
    if (!fyp || fy_parser_set_string(fyp, text, len) != 0) {
        rc = ent_i_nomem();
        goto done;
    }
    fyd = fy_parse_load_document(fyp);
    if (!fyd) {
        rc = syntax_error(c, diag, &sink);
        goto done;
    }
    struct fy_node *root = fy_document_root(fyd);
    size_t rlen = 0;
    const char *rtext = root && fy_node_get_type(root) == FYNT_SCALAR && fy_node_get_style(root) == FYNS_PLAIN
                            ? fy_node_get_scalar(root, &rlen)
                            : NULL;
    if (!root || (rtext && is_null_text(root, rtext, rlen))) {
        rc = fail(c, origin, ENT_EPARSE, "empty scenario (expected at least 'name: ...')");
        goto done;
    }
    /* A second document would be silently ignored: refuse it (and report its syntax errors). */
    extra = fy_parse_load_document(fyp);
    if (extra) {
        rc = fail(c, node_pos(fy_document_root(extra), origin), ENT_EPARSE,
                  "a scenario file holds one YAML document; found a second one");
        goto done;
    }
    if (fy_diag_got_error(diag) || fy_parser_get_stream_error(fyp)) {
        rc = syntax_error(c, diag, &sink);
        goto done;
    }
    ENT_CHECK(read_root(c, root));
    ent_scenario_order_poles(tmp);
    *s = *tmp;

done:
    if (extra) {
        fy_parse_document_destroy(fyp, extra);
    }
    if (fyd) {
        fy_parse_document_destroy(fyp, fyd);
    }
    fy_parser_destroy(fyp);
    fy_diag_destroy(diag);
    for (size_t i = 0; i < strs.len; i++) {
        ent_free(ENT_VEC_AT(&strs, char *, i));
    }
    ent_vec_destroy(&strs);
    ent_free(c);
    ent_free(tmp);
    return rc;
}

ent_err_t ent_scenario_load(ent_scenario_t *s, const char *path, const ent_world_t *w)
{
    assert(s && path);
    ent_err_t rc = ENT_OK;
    ent_buf_t b;
    ent_buf_init(&b, MAX_SCENARIO_BYTES);
    FILE *f = fopen(path, "rb");
    if (!f) {
        return ent_i_err(ENT_EIO, "%s: cannot open: %s", path, strerror(errno));
    }
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        rc = ent_buf_put(&b, chunk, n);
        if (rc == ENT_ELIMIT) {
            rc = ent_i_err(ENT_ELIMIT, "%s: larger than the %u-byte limit of a scenario", path, MAX_SCENARIO_BYTES);
            goto done;
        }
        ENT_CHECK(rc);
    }
    if (ferror(f)) {
        rc = ent_i_err(ENT_EIO, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    rc = ent_scenario_parse(s, path, b.ptr ? b.ptr : "", b.len, w);

done:
    fclose(f);
    ent_buf_destroy(&b);
    return rc;
}

/* $ENTENTE_SCENARIOS, else share/entente/scenarios of the installed prefix, else the checkout. */
const char *ent_scenario_default_dir(void)
{
    return ent_i_default_dir(ENT_I_DIR_SCENARIOS);
}

/* Swaps poles a and b of a scenario: the codes and every per-pole field (the parameter table's
 * per_pole rows, so a new per-pole parameter is swapped without touching this function). */
static void swap_poles(ent_scenario_t *s, int a, int b)
{
    int32_t pc = s->poles[a];
    s->poles[a] = s->poles[b];
    s->poles[b] = pc;
    ent_levers_t lv = s->levers[a];
    s->levers[a] = s->levers[b];
    s->levers[b] = lv;
    for (const ent_sim_param_t *p = ent_sim_params(); p->key; p++) {
        if (!p->per_pole) {
            continue;
        }
        char *base = (char *)s + p->offset;
        size_t size = p->type == 'd' ? sizeof(double) : p->type == 'i' ? sizeof(int) : sizeof(int64_t);
        unsigned char tmp[sizeof(double) > sizeof(int64_t) ? sizeof(double) : sizeof(int64_t)];
        memcpy(tmp, base + (size_t)a * size, size);
        memcpy(base + (size_t)a * size, base + (size_t)b * size, size);
        memcpy(base + (size_t)b * size, tmp, size);
    }
}

void ent_scenario_order_poles(ent_scenario_t *s)
{
    /* insertion sort on the COW codes: at most ENT_SIM_MAX_POLES entries */
    int k = s->npoles < 2 ? 2 : (s->npoles > ENT_SIM_MAX_POLES ? ENT_SIM_MAX_POLES : s->npoles);
    for (int i = 1; i < k; i++) {
        for (int j = i; j > 0 && s->poles[j - 1] > s->poles[j]; j--) {
            swap_poles(s, j - 1, j);
        }
    }
}
