/*
 * similarity.c -- foreign-policy similarity of alliance portfolios and UN
 * votes: Signorino & Ritter's S (unweighted and capability-weighted), Cohen's
 * quadratic-weighted kappa, Scott's pi and Kendall's tau-b.
 *
 * Everything goes through one step: a pair's (weighted) contingency table of
 * ordinal codes, at most 4 x 4, from which every measure is a few sums
 * (ent_i_similarity_from_table). The all-dyad path builds a year's code
 * matrix once (n states x m items: m = n for alliances, the year's roll calls
 * for votes) and fills each dyad's table in one O(m) pass, so a year costs
 * O(n^2 m) with a tiny constant and no allocation inside the parallel loop.
 *
 * Conventions (docs/measures.md): those of the R package fpsim (srs(),
 * cohenk(), spi(), taub()) -- Hage 2011, Political Analysis 19(3); Signorino
 * & Ritter 1999, ISQ 43(1). S's maximum distance is the coding's range by
 * default (3 for alliances, 2 for votes).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "measures_int.h"
#include "store/store_int.h"
#include "util_int.h"

/* ---------------------------------------------------------------- names */

static const struct {
    unsigned bit;
    const char *name;
} measure_names[] = {
    {ENT_SIM_S, "s"}, {ENT_SIM_SW, "sw"}, {ENT_SIM_KAPPA, "kappa"}, {ENT_SIM_PI, "pi"}, {ENT_SIM_TAUB, "taub"},
};

#define NMEASURES (sizeof measure_names / sizeof measure_names[0])

const char *ent_similarity_measure_name(unsigned bit)
{
    for (size_t i = 0; i < NMEASURES; i++) {
        if (measure_names[i].bit == bit) {
            return measure_names[i].name;
        }
    }
    return "";
}

ent_err_t ent_similarity_measures_parse(unsigned *out, const char *list)
{
    unsigned bits = 0;
    const char *p = list;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t i;
        for (i = 0; i < NMEASURES; i++) {
            if (strlen(measure_names[i].name) == len && strncasecmp(measure_names[i].name, p, len) == 0) {
                bits |= measure_names[i].bit;
                break;
            }
        }
        if (i == NMEASURES) {
            return ent_i_err(ENT_EINVAL, "unknown measure '%.*s' (expected s, sw, kappa, pi or taub)", (int)len, p);
        }
        if (!e) {
            break;
        }
        p = e + 1;
    }
    *out = bits;
    return ENT_OK;
}

const char *ent_sim_source_name(ent_sim_source_t s)
{
    switch (s) {
    case ENT_SIM_SOURCE_ATOP: return "atop";
    case ENT_SIM_SOURCE_COW: return "cow";
    case ENT_SIM_SOURCE_UN: return "un";
    }
    return "";
}

ent_err_t ent_sim_source_parse(ent_sim_source_t *out, const char *name)
{
    static const ent_sim_source_t all[] = {ENT_SIM_SOURCE_ATOP, ENT_SIM_SOURCE_COW, ENT_SIM_SOURCE_UN};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcasecmp(name, ent_sim_source_name(all[i])) == 0) {
            *out = all[i];
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_EINVAL, "unknown source '%s' (expected atop, cow or un)", name);
}

/* ---------------------------------------------------------------- the table step */

static double dist(int a, int b, bool squared)
{
    double d = fabs((double)(a - b));
    return squared ? d * d : d;
}

void ent_i_similarity_from_table(ent_similarity_t *out, const ent_i_simtable_t *tab, bool squared, double dmax)
{
    const int L = tab->nlev;
    double r[ENT_SIM_MAXLEV] = {0}, c[ENT_SIM_MAXLEV] = {0};
    double N = 0, agree = 0, dobs = 0, dobs2 = 0;
    for (int a = 0; a < L; a++) {
        for (int b = 0; b < L; b++) {
            double t = tab->t[a][b];
            r[a] += t;
            c[b] += t;
            N += t;
            dobs += t * dist(a, b, squared);
            dobs2 += t * dist(a, b, true);
        }
        agree += tab->t[a][a];
    }
    out->s = out->sw = out->kappa = out->pi = out->taub = NAN;
    out->n = N;
    if (N <= 0) {
        return;
    }

    /* S: the maximum distance is the coding's range unless the caller asks for the observed one. */
    if (dmax < 0) {
        int lo = -1, hi = -1;
        for (int a = 0; a < L; a++) {
            if (r[a] > 0 || c[a] > 0) {
                if (lo < 0) {
                    lo = a;
                }
                hi = a;
            }
        }
        dmax = (double)(hi - lo);
    }
    double dm = squared ? dmax * dmax : dmax;
    if (dm > 0) {
        out->s = 1.0 - 2.0 * dobs / (N * dm);
        if (tab->weighted) {
            double W = 0, dw = 0;
            for (int a = 0; a < L; a++) {
                for (int b = 0; b < L; b++) {
                    W += tab->tw[a][b];
                    dw += tab->tw[a][b] * dist(a, b, squared);
                }
            }
            if (W > 0) {
                out->sw = 1.0 - 2.0 * dw / (W * dm);
            }
        }
    }

    /*
     * Cohen's kappa, quadratic weights: 1 - observed / chance-expected squared
     * disagreement, chance = the two margins independent. The weights'
     * normalisation by the range cancels. 0/0 (both states constant and
     * equal) is NaN, as in fpsim's cohenk().
     */
    double dexp = 0;
    for (int a = 0; a < L; a++) {
        for (int b = 0; b < L; b++) {
            dexp += r[a] * c[b] * dist(a, b, true);
        }
    }
    dexp /= N; /* in the units of dobs2: counts times distance */
    if (dexp > 0) {
        out->kappa = 1.0 - dobs2 / dexp;
    }

    /* Scott's pi, nominal: chance agreement from the pooled margins (fpsim's spi()). */
    double pe = 0;
    for (int a = 0; a < L; a++) {
        double p = (r[a] + c[a]) / (2.0 * N);
        pe += p * p;
    }
    double po = agree / N;
    if (pe < 1.0) {
        out->pi = (po - pe) / (1.0 - pe);
    }

    /*
     * Kendall's tau-b from the table: the concordant pairs of items are each
     * cell times every cell below and to the right of it, the discordant ones
     * below and to the left; ties come from the margins. With suffix sums,
     * hi[a][b] = items in rows >= a and columns > b, lo[a][b] = rows >= a and
     * columns < b, this is O(L^2).
     */
    double hi[ENT_SIM_MAXLEV + 1][ENT_SIM_MAXLEV] = {{0}}, lo[ENT_SIM_MAXLEV + 1][ENT_SIM_MAXLEV] = {{0}};
    for (int a = L - 1; a >= 0; a--) {
        double after = 0, before = 0; /* row a's items in columns > b, < b */
        for (int b = L - 1; b >= 0; b--) {
            hi[a][b] = hi[a + 1][b] + after;
            after += tab->t[a][b];
        }
        for (int b = 0; b < L; b++) {
            lo[a][b] = lo[a + 1][b] + before;
            before += tab->t[a][b];
        }
    }
    double nc = 0, nd = 0;
    for (int a = 0; a + 1 < L; a++) {
        for (int b = 0; b < L; b++) {
            double t = tab->t[a][b];
            if (t != 0) {
                nc += t * hi[a + 1][b];
                nd += t * lo[a + 1][b];
            }
        }
    }
    double n0 = N * (N - 1) / 2, tx = 0, ty = 0;
    for (int a = 0; a < L; a++) {
        tx += r[a] * (r[a] - 1) / 2;
        ty += c[a] * (c[a] - 1) / 2;
    }
    double den = (n0 - tx) * (n0 - ty);
    if (den > 0) {
        out->taub = (nc - nd) / sqrt(den);
    }
}

/* ---------------------------------------------------------------- portfolio level */

static double resolve_dmax(const ent_similarity_options_t *o, int nlev)
{
    return o->dmax == 0 ? (double)(nlev - 1) : o->dmax;
}

ent_err_t ent_measure_similarity(ent_similarity_t *out, const int *x, const int *y, const double *w, size_t n,
                                 const ent_similarity_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_SIMILARITY_OPTIONS_VERSION);
    static const ent_similarity_options_t defaults = ENT_SIMILARITY_OPTIONS_INIT;
    const ent_similarity_options_t *o = opts ? opts : &defaults;
    assert(out && (x || n == 0) && (y || n == 0));
    if (o->hi <= o->lo || o->hi - o->lo >= ENT_SIM_MAXLEV) {
        return ent_i_err(ENT_EINVAL, "similarity: the coding's levels %d..%d must be 2 to %d values", o->lo, o->hi,
                         ENT_SIM_MAXLEV);
    }
    ent_i_simtable_t tab;
    memset(&tab, 0, sizeof tab);
    tab.nlev = o->hi - o->lo + 1;
    tab.weighted = w != NULL;
    size_t complete = 0;
    for (size_t k = 0; k < n; k++) {
        if (x[k] == ENT_SIM_NA || y[k] == ENT_SIM_NA) {
            continue;
        }
        if (x[k] < o->lo || x[k] > o->hi || y[k] < o->lo || y[k] > o->hi) {
            return ent_i_err(ENT_EINVAL, "similarity: item %zu: codes %d and %d, expected %d..%d", k, x[k], y[k], o->lo,
                             o->hi);
        }
        int a = x[k] - o->lo, b = y[k] - o->lo;
        tab.t[a][b] += 1;
        if (w && !isnan(w[k])) {
            if (w[k] < 0) {
                return ent_i_err(ENT_EINVAL, "similarity: item %zu: negative weight %g", k, w[k]);
            }
            tab.tw[a][b] += w[k];
        }
        complete++;
    }
    if (complete == 0) {
        return ent_i_err(ENT_EINVAL, "similarity: no item is coded in both portfolios (%zu items)", n);
    }
    ent_i_similarity_from_table(out, &tab, o->squared, resolve_dmax(o, tab.nlev));
    return ENT_OK;
}

/* ---------------------------------------------------------------- the portfolios of a range of years */

#define MISSING 0xFFu /* a level index: not coded (UN: did not vote on that roll call) */

typedef struct {
    size_t n, m;    /* states compared, items */
    int32_t *ccode; /* n, ascending */
    double *cinc;   /* n raw CINC (NaN missing); alliances only */
    double *w;      /* m item weights: normalised CINC, 0 when missing; alliances only */
    uint8_t *code;  /* n x m level indices, MISSING when absent */
    uint8_t *obl;   /* n x n ENT_OBL_* of row towards column; alliances only */
    /*
     * Alliances only: the columns where row i is not 0, nzidx[nzptr[i] ..
     * nzptr[i+1]), and the total weight. A portfolio is mostly zeros (a state
     * is allied with a handful of the ~190 others), so a dyad's table is
     * filled from the two rows' non-zero columns and its (0, 0) cell is what
     * remains: O(nnz_i + nnz_j) instead of O(n).
     */
    uint32_t *nzptr;
    uint16_t *nzidx;
    double wtotal;
} year_t;

struct ent_portfolios {
    ent_sim_source_t source;
    int lo, hi;              /* the coding's levels */
    int cov_first, cov_last; /* what the store covers */
    int from, to;            /* what was loaded */
    year_t *years;           /* to - from + 1 */
    /* the state list, for finding codes */
    size_t nstates;
    int32_t *st_ccode;
    char (*st_abbr)[8];
    char (*st_iso3)[4];
};

static void year_free(year_t *y)
{
    ent_free(y->ccode);
    ent_free(y->cinc);
    ent_free(y->w);
    ent_free(y->code);
    ent_free(y->obl);
    ent_free(y->nzptr);
    ent_free(y->nzidx);
}

void ent_portfolios_free(ent_portfolios_t *p)
{
    if (!p) {
        return;
    }
    if (p->years) {
        for (int y = p->from; y <= p->to; y++) {
            year_free(&p->years[y - p->from]);
        }
    }
    ent_free(p->years);
    ent_free(p->st_ccode);
    ent_free(p->st_abbr);
    ent_free(p->st_iso3);
    ent_free(p);
}

ent_sim_source_t ent_portfolios_source(const ent_portfolios_t *p)
{
    return p->source;
}

void ent_portfolios_coverage(const ent_portfolios_t *p, int *first, int *last)
{
    *first = p->cov_first;
    *last = p->cov_last;
}

static const year_t *get_year(const ent_portfolios_t *p, int year)
{
    if (year < p->from || year > p->to) {
        return NULL;
    }
    return &p->years[year - p->from];
}

size_t ent_portfolios_nstates(const ent_portfolios_t *p, int year)
{
    const year_t *y = get_year(p, year);
    return y ? y->n : 0;
}

/* Position of ccode in a sorted array, or -1. */
static ptrdiff_t find_code(const int32_t *a, size_t n, int32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < c) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < n && a[lo] == c ? (ptrdiff_t)lo : -1;
}

const char *ent_portfolios_abbr(const ent_portfolios_t *p, int32_t ccode)
{
    ptrdiff_t i = find_code(p->st_ccode, p->nstates, ccode);
    return i < 0 ? "" : p->st_abbr[i];
}

ent_err_t ent_portfolios_find(int32_t *ccode, const ent_portfolios_t *p, const char *code)
{
    char *end;
    long v = strtol(code, &end, 10);
    if (*code && !*end) {
        if (v >= 0 && v <= INT32_MAX && find_code(p->st_ccode, p->nstates, (int32_t)v) >= 0) {
            *ccode = (int32_t)v;
            return ENT_OK;
        }
        return ent_i_err(ENT_ENOTFOUND, "unknown state code %s (no such COW code in the store)", code);
    }
    /* The COW abbreviation first, as ent_world_find does: COW's AUS is Austria, ISO3's is Australia. */
    for (size_t i = 0; i < p->nstates; i++) {
        if (strcasecmp(p->st_abbr[i], code) == 0) {
            *ccode = p->st_ccode[i];
            return ENT_OK;
        }
    }
    for (size_t i = 0; i < p->nstates; i++) {
        if (p->st_iso3[i][0] && strcasecmp(p->st_iso3[i], code) == 0) {
            *ccode = p->st_ccode[i];
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_ENOTFOUND,
                     "unknown state '%s' (give a COW code like 255, a COW abbreviation like GMY, or an ISO3 code)",
                     code);
}

/* A state's label in messages: "GMY (255)". */
static const char *label(const ent_portfolios_t *p, int32_t c, char *buf, size_t n)
{
    const char *a = ent_portfolios_abbr(p, c);
    if (*a) {
        snprintf(buf, n, "%s (%d)", a, (int)c);
    } else {
        snprintf(buf, n, "%d", (int)c);
    }
    return buf;
}

static ent_err_t load_states(ent_portfolios_t *p, ent_store_t *st)
{
    sqlite3_stmt *s = NULL;
    ent_err_t rc;
    int64_t n;
    ENT_CHECK(ent_i_store_scalar(st, "SELECT count(*) FROM states", &n));
    if (n == 0) {
        rc = ent_i_err(ENT_ENOTFOUND, "the store has no states: import cow-states first");
        goto done;
    }
    p->st_ccode = ent_calloc((size_t)n, sizeof *p->st_ccode);
    p->st_abbr = ent_calloc((size_t)n, sizeof *p->st_abbr);
    p->st_iso3 = ent_calloc((size_t)n, sizeof *p->st_iso3);
    if (!p->st_ccode || !p->st_abbr || !p->st_iso3) {
        rc = ent_i_nomem();
        goto done;
    }
    ENT_CHECK(ent_i_store_prepare(st, &s, "SELECT ccode, abbr, coalesce(iso3, '') FROM states ORDER BY ccode"));
    int r;
    size_t i = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW && i < (size_t)n) {
        p->st_ccode[i] = (int32_t)sqlite3_column_int64(s, 0);
        snprintf(p->st_abbr[i], sizeof p->st_abbr[i], "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(p->st_iso3[i], sizeof p->st_iso3[i], "%s", (const char *)sqlite3_column_text(s, 2));
        i++;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading states");
        goto done;
    }
    p->nstates = i;
    rc = ENT_OK;
done:
    sqlite3_finalize(s);
    return rc;
}

/* Two integers from one SELECT; *found false when the first is NULL. */
static ent_err_t select_range(ent_store_t *st, const char *sql, const char *arg, int *a, int *b, bool *found)
{
    sqlite3_stmt *s = NULL;
    ent_err_t rc = ent_i_store_prepare(st, &s, sql);
    if (rc != ENT_OK) {
        return rc;
    }
    if (arg) {
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    }
    *found = false;
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
            *found = true;
            *a = sqlite3_column_int(s, 0);
            *b = sqlite3_column_int(s, 1);
        }
    } else if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading year ranges");
    }
    sqlite3_finalize(s);
    return rc;
}

/*
 * The ordinal code of a set of obligations. ATOP (Chiba et al.'s ordering, as
 * fpsim's data build uses): 3 defence/offence, 2 neutrality/consultation, 1
 * non-aggression only. COW: 3 defence, 2 neutrality or non-aggression, 1
 * entente only.
 */
static uint8_t ordinal(unsigned obl, ent_sim_source_t src)
{
    if (src == ENT_SIM_SOURCE_ATOP) {
        if (obl & (ENT_OBL_DEFENSE | ENT_OBL_OFFENSE)) {
            return 3;
        }
        if (obl & (ENT_OBL_NEUTRAL | ENT_OBL_CONSUL)) {
            return 2;
        }
        return (obl & ENT_OBL_NONAGG) ? 1 : 0;
    }
    if (obl & ENT_OBL_DEFENSE) {
        return 3;
    }
    if (obl & (ENT_OBL_NEUTRAL | ENT_OBL_NONAGG)) {
        return 2;
    }
    return (obl & ENT_OBL_ENTENTE) ? 1 : 0;
}

/* Fills each loaded year's members (ccode, ascending) from system_years. */
static ent_err_t load_system(ent_portfolios_t *p, ent_store_t *st)
{
    sqlite3_stmt *s = NULL;
    ent_err_t rc = ENT_OK;
    int r;
    ENT_CHECK(ent_i_store_prepare(
        st, &s, "SELECT year, count(*) FROM system_years WHERE year BETWEEN ?1 AND ?2 GROUP BY year"));
    sqlite3_bind_int(s, 1, p->from);
    sqlite3_bind_int(s, 2, p->to);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        year_t *y = &p->years[sqlite3_column_int(s, 0) - p->from];
        size_t n = (size_t)sqlite3_column_int64(s, 1);
        y->ccode = ent_calloc(n, sizeof *y->ccode);
        y->cinc = ent_calloc(n, sizeof *y->cinc);
        y->w = ent_calloc(n, sizeof *y->w);
        y->code = ent_calloc(n * n, 1);
        y->obl = ent_calloc(n * n, 1);
        if (!y->ccode || !y->cinc || !y->w || !y->code || !y->obl) {
            rc = ent_i_nomem();
            goto done;
        }
        y->m = n; /* n is counted up again below */
        for (size_t i = 0; i < n; i++) {
            y->cinc[i] = NAN;
        }
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading system_years");
        goto done;
    }
    sqlite3_finalize(s);
    ENT_CHECK(ent_i_store_prepare(
        st, &s, "SELECT year, ccode FROM system_years WHERE year BETWEEN ?1 AND ?2 ORDER BY year, ccode"));
    sqlite3_bind_int(s, 1, p->from);
    sqlite3_bind_int(s, 2, p->to);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        year_t *y = &p->years[sqlite3_column_int(s, 0) - p->from];
        if (y->n < y->m) {
            y->ccode[y->n++] = (int32_t)sqlite3_column_int64(s, 1);
        }
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading system_years");
        goto done;
    }
    /*
     * Fallback: the COW system file (system2016.csv) ends in 2016, while ATOP runs to 2018.
     * A year without any system_years row takes the states alive at some time in that year
     * by their membership spells: the cow-states importer keeps the spells open past the
     * list's version year, so 2017-2018 get the 2016 members (minus any spell that ended).
     * Years that system_years covers are untouched.
     */
    sqlite3_finalize(s);
    s = NULL;
    ENT_CHECK(ent_i_store_prepare(st, &s,
                                  "SELECT DISTINCT ccode FROM state_spells WHERE start_date <= ?1 * 10000 + 1231 "
                                  "AND (end_date IS NULL OR end_date >= ?1 * 10000 + 101) ORDER BY ccode"));
    for (int yr = p->from; yr <= p->to; yr++) {
        year_t *y = &p->years[yr - p->from];
        if (y->m) {
            continue;
        }
        int32_t codes[ENT_I_MAX_CCODE];
        size_t n = 0;
        sqlite3_reset(s);
        sqlite3_bind_int(s, 1, yr);
        while ((r = sqlite3_step(s)) == SQLITE_ROW && n < ENT_I_MAX_CCODE) {
            codes[n++] = (int32_t)sqlite3_column_int64(s, 0);
        }
        if (r != SQLITE_DONE && r != SQLITE_ROW) {
            rc = ent_i_store_error(st, "reading state_spells");
            goto done;
        }
        if (!n) {
            continue;
        }
        y->ccode = ent_calloc(n, sizeof *y->ccode);
        y->cinc = ent_calloc(n, sizeof *y->cinc);
        y->w = ent_calloc(n, sizeof *y->w);
        y->code = ent_calloc(n * n, 1);
        y->obl = ent_calloc(n * n, 1);
        if (!y->ccode || !y->cinc || !y->w || !y->code || !y->obl) {
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            y->ccode[i] = codes[i];
            y->cinc[i] = NAN;
        }
        y->m = y->n = n;
    }
done:
    sqlite3_finalize(s);
    return rc;
}

/* CINC of the newest NMC version in the store, and the weights of sw. */
static ent_err_t load_cinc(ent_portfolios_t *p, ent_store_t *st)
{
    sqlite3_stmt *s = NULL;
    ent_err_t rc = ENT_OK;
    int r;
    /* 'nmc7' > 'nmc6' > ...; compare the number so that a future 'nmc10' sorts last-in, first-out. */
    ENT_CHECK(ent_i_store_prepare(
        st, &s,
        "SELECT year, ccode, cinc FROM capabilities WHERE cinc IS NOT NULL AND year BETWEEN ?1 AND ?2 AND version = "
        "(SELECT version FROM capabilities GROUP BY version "
        " ORDER BY CAST(ltrim(version, 'abcdefghijklmnopqrstuvwxyz_') AS INTEGER) DESC, version DESC LIMIT 1)"));
    sqlite3_bind_int(s, 1, p->from);
    sqlite3_bind_int(s, 2, p->to);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        year_t *y = &p->years[sqlite3_column_int(s, 0) - p->from];
        ptrdiff_t i = find_code(y->ccode, y->n, (int32_t)sqlite3_column_int64(s, 1));
        if (i >= 0) {
            y->cinc[i] = sqlite3_column_double(s, 2);
        }
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading capabilities");
        goto done;
    }
    /* Shares of the system's total: a missing CINC is weight 0, i.e. the state drops out of sw. */
    for (int yr = p->from; yr <= p->to; yr++) {
        year_t *y = &p->years[yr - p->from];
        double total = 0;
        for (size_t i = 0; i < y->n; i++) {
            if (!isnan(y->cinc[i]) && y->cinc[i] > 0) {
                total += y->cinc[i];
            }
        }
        for (size_t i = 0; i < y->n; i++) {
            y->w[i] = total > 0 && !isnan(y->cinc[i]) && y->cinc[i] > 0 ? y->cinc[i] / total : 0.0;
        }
    }
done:
    sqlite3_finalize(s);
    return rc;
}

static ent_err_t load_alliances(ent_portfolios_t *p, ent_store_t *st, const char *dataset)
{
    sqlite3_stmt *s = NULL;
    ent_err_t rc = ENT_OK;
    int r;
    ENT_CHECK(load_system(p, st));
    ENT_CHECK(load_cinc(p, st));
    ENT_CHECK(ent_i_store_prepare(st, &s,
                                  "SELECT year, ccode1, ccode2, defense, offense, neutral, nonagg, consul, entente "
                                  "FROM alliance_dyad_years WHERE dataset = ?1 AND year BETWEEN ?2 AND ?3"));
    sqlite3_bind_text(s, 1, dataset, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, p->from);
    sqlite3_bind_int(s, 3, p->to);
    static const unsigned bits[6] = {ENT_OBL_DEFENSE, ENT_OBL_OFFENSE, ENT_OBL_NEUTRAL,
                                     ENT_OBL_NONAGG,  ENT_OBL_CONSUL,  ENT_OBL_ENTENTE};
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        year_t *y = &p->years[sqlite3_column_int(s, 0) - p->from];
        ptrdiff_t i = find_code(y->ccode, y->n, (int32_t)sqlite3_column_int64(s, 1));
        ptrdiff_t j = find_code(y->ccode, y->n, (int32_t)sqlite3_column_int64(s, 2));
        if (i < 0 || j < 0 || i == j) {
            continue; /* a state outside the COW system that year (ATOP codes a few) */
        }
        unsigned o = 0;
        for (int k = 0; k < 6; k++) {
            if (sqlite3_column_int(s, 3 + k)) {
                o |= bits[k];
            }
        }
        y->obl[(size_t)i * y->n + (size_t)j] |= (uint8_t)o;
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading alliance_dyad_years");
        goto done;
    }
    for (int yr = p->from; yr <= p->to; yr++) {
        year_t *y = &p->years[yr - p->from];
        size_t n = y->n, nnz = 0;
        y->m = n;
        for (size_t i = 0; i < n; i++) {
            for (size_t k = 0; k < n; k++) {
                uint8_t v = i == k ? 3 : ordinal(y->obl[i * n + k], p->source);
                y->code[i * n + k] = v;
                nnz += v != 0;
            }
        }
        if (n == 0) {
            continue;
        }
        if (n > UINT16_MAX || !(y->nzptr = ent_calloc(n + 1, sizeof *y->nzptr)) ||
            !(y->nzidx = ent_calloc(nnz, sizeof *y->nzidx))) {
            rc = n > UINT16_MAX ? ent_i_err(ENT_ELIMIT, "%zu states in %d: at most %u", n, yr, UINT16_MAX)
                                : ent_i_nomem();
            goto done;
        }
        size_t f = 0;
        for (size_t i = 0; i < n; i++) {
            y->nzptr[i] = (uint32_t)f;
            for (size_t k = 0; k < n; k++) {
                if (y->code[i * n + k]) {
                    y->nzidx[f++] = (uint16_t)k;
                }
            }
        }
        y->nzptr[n] = (uint32_t)f;
        y->wtotal = 0;
        for (size_t k = 0; k < n; k++) {
            y->wtotal += y->w[k];
        }
    }
done:
    sqlite3_finalize(s);
    return rc;
}

/* The year of a roll call: its date's, else (no date) the year its session opened. */
#define RC_YEAR_SQL "coalesce(date / 10000, session + 1945)"

static ent_err_t load_votes(ent_portfolios_t *p, ent_store_t *st)
{
    sqlite3_stmt *s = NULL;
    ent_err_t rc = ENT_OK;
    int r;
    int32_t **rcids = ent_calloc((size_t)(p->to - p->from + 1), sizeof *rcids);
    if (!rcids) {
        return ent_i_nomem();
    }
    /* The roll calls of each year (the items), ascending rcid. */
    ENT_CHECK(ent_i_store_prepare(st, &s,
                                  "SELECT " RC_YEAR_SQL " AS y, count(*) FROM un_roll_calls "
                                  "WHERE y BETWEEN ?1 AND ?2 GROUP BY y"));
    sqlite3_bind_int(s, 1, p->from);
    sqlite3_bind_int(s, 2, p->to);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int yr = sqlite3_column_int(s, 0);
        size_t m = (size_t)sqlite3_column_int64(s, 1);
        if (!(rcids[yr - p->from] = ent_calloc(m, sizeof **rcids))) {
            rc = ent_i_nomem();
            goto done;
        }
        p->years[yr - p->from].m = m;
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading un_roll_calls");
        goto done;
    }
    sqlite3_finalize(s);
    ENT_CHECK(ent_i_store_prepare(st, &s,
                                  "SELECT " RC_YEAR_SQL " AS y, rcid FROM un_roll_calls "
                                  "WHERE y BETWEEN ?1 AND ?2 ORDER BY y, rcid"));
    sqlite3_bind_int(s, 1, p->from);
    sqlite3_bind_int(s, 2, p->to);
    size_t *fill = ent_calloc((size_t)(p->to - p->from + 1), sizeof *fill);
    if (!fill) {
        rc = ent_i_nomem();
        goto done;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int yi = sqlite3_column_int(s, 0) - p->from;
        if (fill[yi] < p->years[yi].m) {
            rcids[yi][fill[yi]++] = (int32_t)sqlite3_column_int64(s, 1);
        }
    }
    ent_free(fill);
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading un_roll_calls");
        goto done;
    }
    sqlite3_finalize(s);

    /* The voters of each year (the states compared). */
    ENT_CHECK(ent_i_store_prepare(st, &s,
                                  "SELECT " RC_YEAR_SQL " AS y, count(DISTINCT v.ccode) FROM un_votes v "
                                  "JOIN un_roll_calls USING (rcid) WHERE y BETWEEN ?1 AND ?2 GROUP BY y"));
    sqlite3_bind_int(s, 1, p->from);
    sqlite3_bind_int(s, 2, p->to);
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        year_t *y = &p->years[sqlite3_column_int(s, 0) - p->from];
        size_t n = (size_t)sqlite3_column_int64(s, 1);
        y->ccode = ent_calloc(n, sizeof *y->ccode);
        y->cinc = ent_calloc(n, sizeof *y->cinc);
        y->code = ent_malloc(n * y->m > 0 ? n * y->m : 1);
        if (!y->ccode || !y->cinc || !y->code) {
            rc = ent_i_nomem();
            goto done;
        }
        memset(y->code, MISSING, n * y->m);
        for (size_t i = 0; i < n; i++) {
            y->cinc[i] = NAN;
        }
        y->n = n; /* capacity; counted up again below */
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading un_votes");
        goto done;
    }
    sqlite3_finalize(s);
    ENT_CHECK(ent_i_store_prepare(st, &s,
                                  "SELECT " RC_YEAR_SQL " AS y, v.ccode, v.rcid, v.vote FROM un_votes v "
                                  "JOIN un_roll_calls USING (rcid) WHERE y BETWEEN ?1 AND ?2 ORDER BY y, v.ccode"));
    sqlite3_bind_int(s, 1, p->from);
    sqlite3_bind_int(s, 2, p->to);
    int cur_year = -1;
    size_t cap = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        int yi = sqlite3_column_int(s, 0) - p->from;
        year_t *y = &p->years[yi];
        if (yi != cur_year) {
            cur_year = yi;
            cap = y->n;
            y->n = 0;
        }
        int32_t c = (int32_t)sqlite3_column_int64(s, 1);
        if (y->n == 0 || y->ccode[y->n - 1] != c) {
            if (y->n == cap) {
                continue; /* cannot happen: the count above saw every voter */
            }
            y->ccode[y->n++] = c;
        }
        ptrdiff_t k = find_code(rcids[yi], y->m, (int32_t)sqlite3_column_int64(s, 2));
        int vote = sqlite3_column_int(s, 3);
        if (k >= 0 && vote >= p->lo && vote <= p->hi) {
            y->code[(y->n - 1) * y->m + (size_t)k] = (uint8_t)(vote - p->lo);
        }
    }
    if (r != SQLITE_DONE) {
        rc = ent_i_store_error(st, "reading un_votes");
        goto done;
    }
done:
    sqlite3_finalize(s);
    for (int yr = p->from; yr <= p->to; yr++) {
        ent_free(rcids[yr - p->from]);
    }
    ent_free(rcids);
    return rc;
}

ent_err_t ent_portfolios_load(ent_portfolios_t **out, ent_store_t *st, ent_sim_source_t source, int from, int to)
{
    ent_err_t rc = ENT_OK;
    assert(out && st);
    *out = NULL;
    if (from > to) {
        return ent_i_err(ENT_EINVAL, "the first year %d is after the last %d", from, to);
    }
    ent_portfolios_t *p = ent_calloc(1, sizeof *p);
    if (!p) {
        return ent_i_nomem();
    }
    p->source = source;
    p->from = from;
    p->to = to;
    ENT_CHECK(load_states(p, st));

    bool found;
    int a0, a1, s0 = 0, s1 = 0;
    char what[160];
    if (source == ENT_SIM_SOURCE_UN) {
        p->lo = 1;
        p->hi = 3;
        ENT_CHECK(select_range(st,
                               "SELECT min(" RC_YEAR_SQL "), max(" RC_YEAR_SQL ") FROM un_roll_calls "
                               "WHERE EXISTS (SELECT 1 FROM un_votes v WHERE v.rcid = un_roll_calls.rcid)",
                               NULL, &a0, &a1, &found));
        if (!found) {
            rc = ent_i_err(ENT_ENOTFOUND, "the store holds no UN votes: import un-votes first");
            goto done;
        }
        p->cov_first = a0;
        p->cov_last = a1;
        snprintf(what, sizeof what, "UN roll calls in the store cover %d-%d", a0, a1);
    } else if (source == ENT_SIM_SOURCE_ATOP || source == ENT_SIM_SOURCE_COW) {
        const char *ds = ent_sim_source_name(source);
        p->lo = 0;
        p->hi = 3;
        ENT_CHECK(select_range(st, "SELECT min(year), max(year) FROM alliance_dyad_years WHERE dataset = ?1", ds, &a0,
                               &a1, &found));
        if (!found) {
            rc = ent_i_err(ENT_ENOTFOUND, "the store holds no %s alliance dyad-years: import %s first",
                           source == ENT_SIM_SOURCE_ATOP ? "ATOP" : "COW",
                           source == ENT_SIM_SOURCE_ATOP ? "atop-dyad-year" : "cow-alliance");
            goto done;
        }
        ENT_CHECK(select_range(st, "SELECT min(year), max(year) FROM system_years", NULL, &s0, &s1, &found));
        if (!found) {
            rc = ent_i_err(ENT_ENOTFOUND, "the store holds no COW system membership: import cow-system first");
            goto done;
        }
        /* After the system file's last year, membership comes from the state spells (load_system): open
         * spells (end NULL) reach any year, closed ones their end year. */
        int e0 = 0, e1 = 0;
        bool spells;
        ENT_CHECK(select_range(st,
                               "SELECT min(start_date / 10000), max(coalesce(end_date / 10000, 9999)) "
                               "FROM state_spells",
                               NULL, &e0, &e1, &spells));
        int m1 = spells && e1 > s1 ? e1 : s1;
        p->cov_first = a0 > s0 ? a0 : s0;
        p->cov_last = a1 < m1 ? a1 : m1;
        if (m1 > s1) {
            snprintf(what, sizeof what,
                     "%s alliance dyad-years in the store cover %d-%d and COW system membership %d-%d "
                     "(state spells after %d)",
                     source == ENT_SIM_SOURCE_ATOP ? "ATOP" : "COW", a0, a1, s0, s1, s1);
        } else {
            snprintf(what, sizeof what,
                     "%s alliance dyad-years in the store cover %d-%d and COW system membership %d-%d",
                     source == ENT_SIM_SOURCE_ATOP ? "ATOP" : "COW", a0, a1, s0, s1);
        }
    } else {
        rc = ent_i_err(ENT_EINVAL, "unknown similarity source %d", (int)source);
        goto done;
    }
    if (from < p->cov_first || to > p->cov_last) {
        if (from == to) {
            rc = ent_i_err(ENT_ERANGE, "year %d is outside the data: %s", from, what);
        } else {
            rc = ent_i_err(ENT_ERANGE, "years %d-%d are not all inside the data: %s", from, to, what);
        }
        goto done;
    }
    if (!(p->years = ent_calloc((size_t)(to - from + 1), sizeof *p->years))) {
        rc = ent_i_nomem();
        goto done;
    }
    if (source == ENT_SIM_SOURCE_UN) {
        ENT_CHECK(load_votes(p, st));
    } else {
        ENT_CHECK(load_alliances(p, st, ent_sim_source_name(source)));
    }
    if (from == to && p->years[0].n == 0) {
        rc = ent_i_err(ENT_ERANGE, "year %d has no data: %s", from,
                       source == ENT_SIM_SOURCE_UN ? "no UN roll call was held that year"
                                                   : "no state in the COW system that year");
        goto done;
    }
done:
    if (rc != ENT_OK) {
        ent_portfolios_free(p);
        return rc;
    }
    *out = p;
    return ENT_OK;
}

/* ---------------------------------------------------------------- pairs and all dyads */

static ent_err_t need_year(const year_t **out, const ent_portfolios_t *p, int year)
{
    const year_t *y = get_year(p, year);
    if (!y) {
        return ent_i_err(ENT_ERANGE, "year %d was not loaded (loaded %d-%d)", year, p->from, p->to);
    }
    if (y->n == 0) {
        return ent_i_err(ENT_ERANGE, "year %d has no %s data", year,
                         p->source == ENT_SIM_SOURCE_UN ? "UN roll-call" : "system");
    }
    *out = y;
    return ENT_OK;
}

/*
 * The hot loop: rows i and j of the code matrix into one table. Level
 * MISSING (0xFF) is folded to 4 so that a 5 x 5 scratch table needs no branch;
 * row and column 4 are then dropped (the item is missing in one portfolio).
 */
static void fill_table_sparse(ent_i_simtable_t *tab, const year_t *y, size_t i, size_t j)
{
    uint32_t cnt[16] = {0};
    double wt[16] = {0};
    const uint8_t *xi = y->code + i * y->m, *xj = y->code + j * y->m;
    const double *w = y->w;
    /* items where i is not 0 ... */
    for (uint32_t e = y->nzptr[i]; e < y->nzptr[i + 1]; e++) {
        unsigned k = y->nzidx[e], c = xi[k] * 4u + xj[k];
        cnt[c]++;
        wt[c] += w[k];
    }
    /* ... where i is 0 and j is not ... */
    for (uint32_t e = y->nzptr[j]; e < y->nzptr[j + 1]; e++) {
        unsigned k = y->nzidx[e];
        if (xi[k] == 0) {
            cnt[xj[k]]++;
            wt[xj[k]] += w[k];
        }
    }
    /* ... and the rest, both 0. */
    uint32_t other = 0;
    double wother = 0;
    for (int c = 1; c < 16; c++) {
        other += cnt[c];
        wother += wt[c];
    }
    cnt[0] = (uint32_t)y->m - other;
    wt[0] = y->wtotal - wother;
    if (wt[0] < 0) {
        wt[0] = 0; /* rounding: every weighted item is elsewhere */
    }
    tab->nlev = ENT_SIM_MAXLEV;
    tab->weighted = true;
    for (int a = 0; a < ENT_SIM_MAXLEV; a++) {
        for (int b = 0; b < ENT_SIM_MAXLEV; b++) {
            tab->t[a][b] = cnt[a * 4 + b];
            tab->tw[a][b] = wt[a * 4 + b];
        }
    }
}

static void fill_table(ent_i_simtable_t *tab, const year_t *y, size_t i, size_t j, int nlev)
{
    if (y->nzptr) {
        fill_table_sparse(tab, y, i, j);
        return;
    }
    uint32_t cnt[25] = {0};
    double wt[25] = {0};
    const uint8_t *xi = y->code + i * y->m, *xj = y->code + j * y->m;
    const size_t m = y->m;
    if (y->w) {
        const double *w = y->w;
        for (size_t k = 0; k < m; k++) {
            unsigned a = xi[k] > 4 ? 4u : xi[k], b = xj[k] > 4 ? 4u : xj[k];
            cnt[a * 5 + b]++;
            wt[a * 5 + b] += w[k];
        }
    } else {
        for (size_t k = 0; k < m; k++) {
            unsigned a = xi[k] > 4 ? 4u : xi[k], b = xj[k] > 4 ? 4u : xj[k];
            cnt[a * 5 + b]++;
        }
    }
    tab->nlev = nlev;
    tab->weighted = y->w != NULL;
    for (int a = 0; a < ENT_SIM_MAXLEV; a++) {
        for (int b = 0; b < ENT_SIM_MAXLEV; b++) {
            tab->t[a][b] = cnt[a * 5 + b];
            tab->tw[a][b] = wt[a * 5 + b];
        }
    }
}

ent_err_t ent_measure_similarity_pair(ent_similarity_t *out, const ent_portfolios_t *p, int year, int32_t ccode1,
                                      int32_t ccode2, const ent_similarity_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_SIMILARITY_OPTIONS_VERSION);
    static const ent_similarity_options_t defaults = ENT_SIMILARITY_OPTIONS_INIT;
    const ent_similarity_options_t *o = opts ? opts : &defaults;
    const year_t *y = NULL;
    ent_err_t rc = need_year(&y, p, year);
    if (rc != ENT_OK) {
        return rc;
    }
    char b1[32], b2[32];
    ptrdiff_t i = find_code(y->ccode, y->n, ccode1), j = find_code(y->ccode, y->n, ccode2);
    int32_t bad = i < 0 ? ccode1 : ccode2;
    if (i < 0 || j < 0) {
        if (p->source == ENT_SIM_SOURCE_UN) {
            return ent_i_err(ENT_ENOTFOUND, "%s cast no UN General Assembly vote in %d", label(p, bad, b1, sizeof b1),
                             year);
        }
        return ent_i_err(ENT_ENOTFOUND, "%s is not a member of the COW state system in %d",
                         label(p, bad, b1, sizeof b1), year);
    }
    int nlev = p->hi - p->lo + 1;
    ent_i_simtable_t tab;
    fill_table(&tab, y, (size_t)i, (size_t)j, nlev);
    double n = 0;
    for (int a = 0; a < nlev; a++) {
        for (int b = 0; b < nlev; b++) {
            n += tab.t[a][b];
        }
    }
    if (n == 0) {
        return ent_i_err(ENT_ENOTFOUND, "%s and %s voted on no common UN roll call in %d",
                         label(p, ccode1, b1, sizeof b1), label(p, ccode2, b2, sizeof b2), year);
    }
    ent_i_similarity_from_table(out, &tab, o->squared, resolve_dmax(o, nlev));
    return ENT_OK;
}

ent_err_t ent_measure_similarity_year(ent_vec_t *out, const ent_portfolios_t *p, int year, bool directed,
                                      const ent_similarity_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_SIMILARITY_OPTIONS_VERSION);
    static const ent_similarity_options_t defaults = ENT_SIMILARITY_OPTIONS_INIT;
    const ent_similarity_options_t *o = opts ? opts : &defaults;
    assert(out && out->esize == sizeof(ent_dyad_year_t));
    const year_t *y = get_year(p, year);
    if (!y) {
        return ent_i_err(ENT_ERANGE, "year %d was not loaded (loaded %d-%d)", year, p->from, p->to);
    }
    const size_t n = y->n;
    if (n < 2) {
        return ENT_OK; /* a year without data (UN 1964) or a one-state system: no dyad */
    }
    const size_t ndyads = directed ? n * (n - 1) : n * (n - 1) / 2;
    const size_t base = out->len;
    ent_err_t rc = ent_vec_resize(out, base + ndyads);
    if (rc != ENT_OK) {
        return rc;
    }
    ent_dyad_year_t *rows = (ent_dyad_year_t *)out->data + base;
    const int nlev = p->hi - p->lo + 1;
    const double dmax = resolve_dmax(o, nlev);
    const bool squared = o->squared;

    /*
     * Each undirected dyad (i < j) is computed once, by one thread, into its
     * own row: undirected row i*n - i(i+1)/2 + (j-i-1); directed row
     * i(n-1) + j - 1 (and its mirror j(n-1) + i). No shared accumulator, no
     * allocation, no igraph: the result does not depend on the threads.
     */
#pragma omp parallel for schedule(dynamic, 4) default(none) shared(rows, y)                                            \
    firstprivate(n, nlev, dmax, squared, directed, year)
    for (size_t i = 0; i < n; i++) {
        ent_i_simtable_t tab;
        for (size_t j = i + 1; j < n; j++) {
            ent_similarity_t m;
            fill_table(&tab, y, i, j, nlev);
            ent_i_similarity_from_table(&m, &tab, squared, dmax);
            unsigned oij = y->obl ? y->obl[i * n + j] : 0, oji = y->obl ? y->obl[j * n + i] : 0;
            ent_dyad_year_t d = {y->ccode[i], y->ccode[j], year, 0, y->cinc[i], y->cinc[j], m};
            if (directed) {
                d.obligations = oij;
                rows[i * (n - 1) + j - 1] = d;
                ent_dyad_year_t e = {y->ccode[j], y->ccode[i], year, oji, y->cinc[j], y->cinc[i], m};
                rows[j * (n - 1) + i] = e;
            } else {
                d.obligations = oij | oji;
                rows[i * n - i * (i + 1) / 2 + (j - i - 1)] = d;
            }
        }
    }
    return ENT_OK;
}
