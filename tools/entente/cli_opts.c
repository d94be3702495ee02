/*
 * cli_opts.c -- the option parser, the common options and the help printers of the `entente`
 * commands (see cli_opts.h). getopt_long does the scanning (abbreviations, "--x=v", "--"
 * and permuted positional arguments behave as in every GNU tool); this file turns each
 * command's table into getopt's, converts and range-checks every argument with one set of
 * messages, and prints the help from the same table.
 */
#include "cli_opts.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The common options: what they mean is written once, here. */
static const cli_opt_t common_opts[] = {
    {.name = "db",
     .kind = CLI_STRING,
     .metavar = "PATH",
     .help = "the store (else $ENTENTE_DB, else ./entente.db)",
     .field = offsetof(cli_common_t, db)},
    {.name = "world-dir",
     .kind = CLI_STRING,
     .metavar = "DIR",
     .help = "a world as CSV files (default: the shipped world)",
     .field = offsetof(cli_common_t, world_dir)},
    {.name = "world", .kind = CLI_FLAG, .help = "the shipped world", .field = offsetof(cli_common_t, world)},
    {.name = "json", .kind = CLI_FLAG, .help = "print JSON", .field = offsetof(cli_common_t, json)},
    {.name = "out",
     .kind = CLI_STRING,
     .metavar = "PATH",
     .help = "write to PATH",
     .field = offsetof(cli_common_t, out)},
    {.name = "seed",
     .kind = CLI_SEED,
     .metavar = "N",
     .help = "seed of the random number generator",
     .field = offsetof(cli_common_t, seed)},
    {.name = "threads",
     .kind = CLI_INT,
     .metavar = "N",
     .lo = 1,
     .hi = 1024,
     .help = "threads to use (default: OpenMP's, all cores)",
     .field = offsetof(cli_common_t, threads)},
    {.name = "date",
     .kind = CLI_DATE,
     .help = "the world on this day: YYYY-MM-DD, or YYYY for the end of that year",
     .field = offsetof(cli_common_t, date)},
    {.name = "time-limit",
     .kind = CLI_DOUBLE,
     .metavar = "S",
     .lo = 0,
     .hi = 1e9,
     .expect = "seconds >= 0",
     .help = "seconds for the exact solver (0: none); past it the result says optimal: false, with its gap",
     .field = offsetof(cli_common_t, time_limit)},
    {.name = "exact",
     .kind = CLI_FLAG,
     .help = "the proven optimum by branch and cut",
     .field = offsetof(cli_common_t, exact)},
    {.name = "heuristic",
     .kind = CLI_FLAG,
     .help = "local search and annealing only, with a lower bound",
     .field = offsetof(cli_common_t, heuristic)},
    {.name = "exhaustive",
     .kind = CLI_FLAG,
     .help = "enumerate every configuration (small networks only)",
     .field = offsetof(cli_common_t, exhaustive)},
    {0},
};

static const cli_opt_t help_opt = {.name = "help",
                                   .short_name = 'h',
                                   .kind = CLI_FLAG,
                                   .help = "print this help and exit",
                                   .field = offsetof(cli_common_t, help)};

/* The entry as it applies: a common option merged with the command's overrides. */
static cli_opt_t resolve(const cli_opt_t *o, bool *common)
{
    *common = false;
    if (o->kind != CLI_COMMON) {
        return *o;
    }
    for (const cli_opt_t *d = common_opts; d->name; d++) {
        if (strcmp(d->name, o->name) == 0) {
            cli_opt_t r = *d;
            r.short_name = o->short_name ? o->short_name : d->short_name;
            r.metavar = o->metavar ? o->metavar : d->metavar;
            r.help = o->help ? o->help : d->help;
            r.def = o->def ? o->def : d->def;
            r.expect = o->expect ? o->expect : d->expect;
            r.required = o->required;
            if (o->lo != 0 || o->hi != 0) {
                r.lo = o->lo, r.hi = o->hi;
            }
            *common = true;
            return r;
        }
    }
    /* a table naming a common option that does not exist: a programming error caught by every --help test */
    fprintf(stderr, "entente: internal error: no common option '%s'\n", o->name);
    abort();
}

static size_t nopts(const cli_spec_t *spec)
{
    size_t n = 0;
    while (spec->opts && spec->opts[n].kind != CLI_END) {
        n++;
    }
    return n;
}

/* Entry i of the spec as it applies (0 <= i <= n, entry n being --help), for the printers. */
static cli_opt_t entry(const cli_spec_t *spec, size_t i, size_t n)
{
    bool common;
    return i < n ? resolve(&spec->opts[i], &common) : help_opt;
}

/* A bound for messages: integers without an exponent (1000000, not 1e+06). */
static void fmt_bound(char *buf, size_t n, double v)
{
    if (v == floor(v) && fabs(v) < 1e16) {
        snprintf(buf, n, "%.0f", v);
    } else {
        snprintf(buf, n, "%g", v);
    }
}

static void natural_range(const cli_opt_t *o, double *lo, double *hi)
{
    *lo = o->lo, *hi = o->hi;
    if (o->lo != 0 || o->hi != 0) {
        return;
    }
    switch (o->kind) {
    case CLI_INT: *lo = 0, *hi = INT_MAX; break;
    case CLI_INT64:
    case CLI_SIZE: *lo = 0, *hi = 9e15; break;
    case CLI_DOUBLE:
    case CLI_DOUBLES: *lo = -HUGE_VAL, *hi = HUGE_VAL; break;
    case CLI_YEARS: *lo = 1, *hi = 9999; break;
    default: break;
    }
}

/* Whole-string decimal integer in [lo, hi]. */
static bool parse_integer(const char *s, double lo, double hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno == ERANGE || (double)v < lo || (double)v > hi) {
        return false;
    }
    *out = v;
    return true;
}

/* Converts one argument into its field; false with *expected saying what was wanted. */
static bool convert(const cli_opt_t *o, const char *arg, void *field, char *expected, size_t n)
{
    double lo, hi;
    natural_range(o, &lo, &hi);
    char a[32], b[32];
    fmt_bound(a, sizeof a, lo);
    fmt_bound(b, sizeof b, hi);
    long long iv;
    switch (o->kind) {
    case CLI_FLAG: *(bool *)field = true; return true;
    case CLI_STRING: *(const char **)field = arg; return true;
    case CLI_INT:
    case CLI_INT64:
    case CLI_SIZE:
        if (!parse_integer(arg, lo, hi, &iv)) {
            if (hi >= 9e15) {
                snprintf(expected, n, "an integer >= %s", a);
            } else {
                snprintf(expected, n, "an integer in %s..%s", a, b);
            }
            return false;
        }
        if (o->kind == CLI_INT) {
            *(int *)field = (int)iv;
        } else if (o->kind == CLI_INT64) {
            *(int64_t *)field = (int64_t)iv;
        } else {
            *(size_t *)field = (size_t)iv;
        }
        return true;
    case CLI_DOUBLE:
        if (!cli_parse_double(arg, lo, hi, (double *)field)) {
            if (isinf(lo) && isinf(hi)) {
                snprintf(expected, n, "a number");
            } else if (isinf(hi)) {
                snprintf(expected, n, "a number >= %s", a);
            } else {
                snprintf(expected, n, "a number in [%s, %s]", a, b);
            }
            return false;
        }
        return true;
    case CLI_YEAR:
        if (!parse_integer(arg, 1, 9999, &iv)) {
            snprintf(expected, n, "a year");
            return false;
        }
        *(int *)field = (int)iv;
        return true;
    case CLI_YEARS: {
        int *y = field;
        if (!cli_parse_year_range(arg, (int)lo, (int)hi, &y[0], &y[1])) {
            snprintf(expected, n, "a year range Y1-Y2 within %s-%s", a, b);
            return false;
        }
        return true;
    }
    case CLI_DATE:
        if (ent_date_parse((ent_date_t *)field, arg, true) != ENT_OK) {
            snprintf(expected, n, "a date YYYY-MM-DD, YYYY-MM or YYYY (%s)", ent_errmsg());
            return false;
        }
        return true;
    case CLI_SEED: {
        uint64_t v;
        if (!cli_parse_seed(arg, &v) || (o->hi != 0 && (double)v > o->hi)) {
            if (o->hi != 0) {
                snprintf(expected, n, "a seed in 0..%s (decimal digits)", b);
            } else {
                snprintf(expected, n, "a seed in 0..18446744073709551615 (decimal digits)");
            }
            return false;
        }
        *(uint64_t *)field = v;
        return true;
    }
    case CLI_DOUBLES: {
        cli_doubles_t *l = field;
        size_t max = o->count && o->count < 64 ? o->count : 64;
        char buf[1024];
        l->n = 0;
        bool ok = strlen(arg) < sizeof buf;
        if (ok) {
            strcpy(buf, arg);
            for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
                ok = l->n < max && cli_parse_double(tok, lo, hi, &l->v[l->n]);
                l->n += ok;
            }
        }
        if (!ok || l->n == 0) {
            snprintf(expected, n, "up to %zu numbers in [%s, %s] separated by commas", max, a, b);
            return false;
        }
        return true;
    }
    case CLI_ENUM: {
        size_t len = 0;
        for (const char *const *ch = o->choices; *ch; ch++) {
            if (strcmp(*ch, arg) == 0) {
                *(const char **)field = *ch;
                return true;
            }
        }
        len += (size_t)snprintf(expected, n, "one of ");
        for (const char *const *ch = o->choices; *ch && len < n; ch++) {
            len += (size_t)snprintf(expected + len, n - len, "%s%s", ch == o->choices ? "" : ", ", *ch);
        }
        return false;
    }
    case CLI_CUSTOM: {
        const char *e = o->parse(arg, field);
        if (e) {
            snprintf(expected, n, "%s", e);
            return false;
        }
        return true;
    }
    case CLI_END:
    case CLI_COMMON: break;
    }
    return false;
}

static bool takes_arg(const cli_opt_t *o)
{
    return o->kind != CLI_FLAG;
}

static void opt_label(char *buf, size_t n, const cli_opt_t *o, bool shortform);

int cli_parse(const cli_spec_t *spec, int argc, char **argv, void *args, cli_common_t *c)
{
    memset(c, 0, sizeof *c);
    size_t n = nopts(spec);
    if (n >= 63) {
        fprintf(stderr, "entente: internal error: '%s' has more options than the parser tracks\n", spec->name);
        abort();
    }
    /* entry n is --help; getopt's val is 256 + the entry's index so short and long forms map alike */
    cli_opt_t res[64];
    bool common[64];
    struct option lo[65];
    char shorts[3 * 64 + 2] = "";
    size_t ns = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n) {
            res[i] = resolve(&spec->opts[i], &common[i]);
        } else {
            res[i] = help_opt;
            common[i] = true;
        }
        lo[i] = (struct option){res[i].name, takes_arg(&res[i]) ? required_argument : no_argument, NULL, 256 + (int)i};
        if (res[i].short_name) {
            shorts[ns++] = res[i].short_name;
            if (takes_arg(&res[i])) {
                shorts[ns++] = ':';
            }
            shorts[ns] = '\0';
        }
    }
    lo[n + 1] = (struct option){NULL, 0, NULL, 0};

    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
        size_t i = n + 1;
        if (ch >= 256) {
            i = (size_t)(ch - 256);
        } else if (ch != '?' && ch != ':') {
            for (size_t k = 0; k <= n; k++) {
                if (res[k].short_name == ch) {
                    i = k;
                }
            }
        }
        if (i > n) {
            const char *bad = argv[optind - 1];
            /* getopt sets optopt to the val of a known option that lacks its argument */
            if (optopt >= 256 && (size_t)(optopt - 256) <= n) {
                char lab[512];
                opt_label(lab, sizeof lab, &res[optopt - 256], false);
                return cli_usage_error(spec->name, "option '--%s' needs an argument: %s", res[optopt - 256].name, lab);
            }
            if (optopt > 0 && optopt < 256 && strchr(shorts, optopt)) {
                return cli_usage_error(spec->name, "option '-%c' needs an argument", optopt);
            }
            return cli_usage_error(spec->name, "unknown or incomplete option '%s'", bad);
        }
        void *field = (char *)(common[i] ? (void *)c : args) + res[i].field;
        char expected[512];
        if (!convert(&res[i], optarg, field, expected, sizeof expected)) {
            if (res[i].expect) {
                snprintf(expected, sizeof expected, "%s", res[i].expect);
            }
            return cli_usage_error(spec->name, "--%s: expected %s, got '%s'", res[i].name, expected, optarg);
        }
        if (common[i] && res[i].kind == CLI_SEED) {
            c->seed_arg = optarg;
        }
        c->seen |= (uint64_t)1 << i;
        if (i == n) {
            cli_print_help(stdout, spec);
            return CLI_DONE;
        }
    }
    c->npos = argc - optind;
    c->pos = argv + optind;
    if (spec->npos_max >= 0 && c->npos > spec->npos_max) {
        return cli_usage_error(spec->name, "unexpected argument '%s'", c->pos[spec->npos_max]);
    }
    if (c->npos < spec->npos_min) {
        return cli_usage_error(spec->name, "missing %s", spec->args ? spec->args : "argument");
    }
    for (size_t i = 0; i < n; i++) {
        if (res[i].required && !(c->seen & ((uint64_t)1 << i))) {
            char lab[512];
            opt_label(lab, sizeof lab, &res[i], false);
            return cli_usage_error(spec->name, "%s is required", lab);
        }
    }
    return EXIT_OK;
}

bool cli_given(const cli_spec_t *spec, const cli_common_t *c, const char *name)
{
    for (size_t i = 0; i < nopts(spec); i++) {
        if (strcmp(spec->opts[i].name, name) == 0) {
            return (c->seen >> i) & 1;
        }
    }
    return false;
}

/* "--year Y", "-o, --out PATH", "--kind a|b|c" */
static void opt_label(char *buf, size_t n, const cli_opt_t *o, bool shortform)
{
    size_t len = 0;
    if (shortform && o->short_name) {
        len += (size_t)snprintf(buf, n, "-%c, ", o->short_name);
    }
    len += (size_t)snprintf(buf + len, n - len, "--%s", o->name);
    if (!takes_arg(o) || len >= n) {
        return;
    }
    if (o->metavar) {
        snprintf(buf + len, n - len, " %s", o->metavar);
        return;
    }
    switch (o->kind) {
    case CLI_ENUM:
        for (const char *const *ch = o->choices; *ch && len < n; ch++) {
            len += (size_t)snprintf(buf + len, n - len, "%c%s", ch == o->choices ? ' ' : '|', *ch);
        }
        break;
    case CLI_YEAR: snprintf(buf + len, n - len, " Y"); break;
    case CLI_DATE: snprintf(buf + len, n - len, " D"); break;
    case CLI_YEARS: snprintf(buf + len, n - len, " Y1-Y2"); break;
    case CLI_DOUBLE: snprintf(buf + len, n - len, " X"); break;
    case CLI_DOUBLES: snprintf(buf + len, n - len, " X,..."); break;
    case CLI_STRING:
    case CLI_CUSTOM: snprintf(buf + len, n - len, " ARG"); break;
    default: snprintf(buf + len, n - len, " N"); break;
    }
}

/* Writes `text` wrapped at `width`, continuation lines indented by `indent`; '\n' in text breaks. */
static void wrap(FILE *out, const char *text, size_t col, size_t indent, size_t width)
{
    const char *p = text;
    bool fresh = true; /* no word yet on this line */
    while (*p) {
        if (*p == '\n') {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
            fresh = true;
            p++;
            continue;
        }
        size_t w = strcspn(p, " \n");
        if (!fresh && col + 1 + w > width) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (!fresh) {
            fputc(' ', out);
            col++;
        }
        fresh = false;
        fwrite(p, 1, w, out);
        col += w;
        p += w;
        while (*p == ' ') {
            p++;
        }
    }
}

/* The description: its lines as written, those longer than 100 columns wrapped (indented ones kept). */
static void print_about(FILE *out, const char *about)
{
    for (const char *p = about; p && *p;) {
        size_t len = strcspn(p, "\n");
        if (len > 100 && *p != ' ') {
            char *line = strndup(p, len);
            if (line) {
                wrap(out, line, 0, 0, 100);
                free(line);
            }
        } else {
            fwrite(p, 1, len, out);
        }
        fputc('\n', out);
        p += len + (p[len] == '\n');
    }
    if (about) {
        fputc('\n', out);
    }
}

/* The usage line: required options bare, the others in brackets, then the positional arguments. */
static void usage_line(FILE *out, const cli_spec_t *spec, const char *lead, size_t width)
{
    if (spec->forms) {
        for (const char *p = spec->forms; *p;) {
            size_t len = strcspn(p, "\n");
            fprintf(out, "%s%*sentente %s %.*s", p == spec->forms ? "" : "\n", (int)strlen(lead),
                    p == spec->forms ? lead : "", spec->name, (int)len, p);
            p += len + (p[len] == '\n');
        }
        return;
    }
    char buf[4096] = "";
    size_t len = 0;
    if (spec->args) {
        len += (size_t)snprintf(buf, sizeof buf, " %s", spec->args);
    }
    for (size_t i = 0; i < nopts(spec) && len < sizeof buf; i++) {
        bool cm;
        cli_opt_t o = resolve(&spec->opts[i], &cm);
        char lab[512];
        opt_label(lab, sizeof lab, &o, false);
        /* a token must not break inside "[--year Y]": its spaces become no-break for wrap() */
        for (char *s = lab; *s; s++) {
            if (*s == ' ') {
                *s = '\x1f';
            }
        }
        len += (size_t)snprintf(buf + len, sizeof buf - len, o.required ? " %s" : " [%s]", lab);
    }
    char line[4200];
    snprintf(line, sizeof line, "%sentente %s%s", lead, spec->name, buf);
    /* wrap() writes word by word; print to a memory stream, then restore the spaces */
    char *mem = NULL;
    size_t memlen = 0;
    FILE *m = open_memstream(&mem, &memlen);
    if (!m) {
        fputs(line, out);
        return;
    }
    wrap(m, line, 0, strlen(lead) + strlen("entente ") + strlen(spec->name) + 1, width);
    fclose(m);
    for (char *s = mem; *s; s++) {
        if (*s == '\x1f') {
            *s = ' ';
        }
    }
    fputs(mem, out);
    free(mem);
}

void cli_print_help(FILE *out, const cli_spec_t *spec)
{
    usage_line(out, spec, "usage: ", 100);
    fputs("\n\n", out);
    print_about(out, spec->about);
    fputs("options:\n", out);
    size_t n = nopts(spec);
    for (size_t i = 0; i <= n; i++) {
        cli_opt_t o = entry(spec, i, n);
        char lab[512];
        opt_label(lab, sizeof lab, &o, true);
        size_t col = (size_t)fprintf(out, "  %-24s", lab);
        if (col > 26) {
            fprintf(out, "\n%*s", 26, "");
            col = 26;
        }
        char text[2048];
        snprintf(text, sizeof text, "%s%s%s%s%s", o.help ? o.help : "", o.required ? " (required)" : "",
                 o.def ? " (default: " : "", o.def ? o.def : "", o.def ? ")" : "");
        wrap(out, text, col, 26, 100);
        fputc('\n', out);
    }
    if (spec->epilog) {
        fputc('\n', out);
        spec->epilog(out);
    }
}

/* Markdown table cells: '|' escaped, line breaks as spaces. */
static void md_cell(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|' || *s == '*') {
            fputc('\\', out);
            fputc(*s, out);
        } else if (*s == '\n') {
            fputc(' ', out);
        } else {
            fputc(*s, out);
        }
    }
}

/*
 * The description for Markdown: paragraphs as they are (single line breaks are soft), except one
 * holding an indented line (a list of formats, aligned columns), which goes in a code block so its
 * alignment survives.
 */
static void md_about(FILE *out, const char *about)
{
    const char *p = about;
    while (p && *p) {
        const char *end = strstr(p, "\n\n");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool pre = strncmp(p, "  ", 2) == 0;
        for (const char *q = p; !pre && q < p + len; q++) {
            pre = q[0] == '\n' && q[1] == ' ' && q[2] == ' ';
        }
        fprintf(out, pre ? "```\n%.*s\n```\n\n" : "%.*s\n\n", (int)len, p);
        p += len;
        while (*p == '\n') {
            p++;
        }
    }
}

void cli_print_markdown(FILE *out, const cli_spec_t *spec)
{
    fprintf(out, "### `entente %s`\n\n```\n", spec->name);
    usage_line(out, spec, "", 100);
    fputs("\n```\n\n", out);
    md_about(out, spec->about);
    fputs("| option | meaning | default |\n|---|---|---|\n", out);
    size_t n = nopts(spec);
    for (size_t i = 0; i <= n; i++) {
        cli_opt_t o = entry(spec, i, n);
        char lab[512];
        opt_label(lab, sizeof lab, &o, true);
        fputs("| `", out);
        md_cell(out, lab);
        fputs("` | ", out);
        md_cell(out, o.help);
        if (o.required) {
            fputs(" (required)", out);
        }
        fputs(" | ", out);
        md_cell(out, o.def);
        fputs(" |\n", out);
    }
    fputc('\n', out);
    char *mem = NULL;
    size_t memlen = 0;
    FILE *m = spec->epilog ? open_memstream(&mem, &memlen) : NULL;
    if (m) {
        spec->epilog(m);
        fclose(m);
        md_about(out, mem);
        free(mem);
    }
}

ent_err_t cli_open_store(ent_store_t **st, const char *db, bool readonly, bool prov)
{
    ent_store_options_t so = ENT_STORE_OPTIONS_INIT;
    /* a command that reads never creates a store (a mistyped --db) */
    so.readonly = readonly;
    so.must_exist = true;
    ent_err_t rc = ent_store_open(st, cli_db_path(db), &so);
    if (rc == ENT_OK && prov && (rc = cli_prov_store(NULL, *st)) != ENT_OK) {
        ent_store_close(*st);
        *st = NULL;
    }
    return rc;
}

ent_err_t cli_load_world(ent_world_t **w, const char *db, const char *dir, bool prov)
{
    *w = NULL;
    ent_err_t rc;
    if (db) {
        ent_store_t *st;
        if ((rc = cli_open_store(&st, db, true, prov)) != ENT_OK) {
            return rc;
        }
        rc = ent_world_load(w, st, NULL);
        ent_store_close(st);
        return rc;
    }
    const char *d = dir ? dir : ent_world_default_dir();
    rc = ent_world_load_dir(w, d);
    if (rc == ENT_OK && prov && (rc = cli_prov_world(NULL, d)) != ENT_OK) {
        ent_world_free(*w);
        *w = NULL;
    }
    return rc;
}
