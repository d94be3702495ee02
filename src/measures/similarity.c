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
#include "store/store_read.h"
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

double ent_similarity_value(const ent_similarity_t *m, unsigned bit)
{
    switch (bit) {
    case ENT_SIM_S: return m->s;
    case ENT_SIM_SW: return m->sw;
    case ENT_SIM_KAPPA: return m->kappa;
    case ENT_SIM_PI: return m->pi;
    case ENT_SIM_TAUB: return m->taub;
    default: return NAN;
    }
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

static int int32_cmp(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return a < b ? -1 : a > b;
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

/* The state list of the store: codes, abbreviations, ISO3. */
static ent_err_t load_states(ent_portfolios_t *p, ent_store_t *st)
{
    ent_err_t rc = ent_i_store_state_codes(&p->st_ccode, &p->st_abbr, &p->st_iso3, &p->nstates, st);
    if (rc == ENT_OK && p->nstates == 0) {
        rc = ent_i_err(ENT_ENOTFOUND, "the store has no states: import cow-states first");
    }
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

/* ---------------------------------------------------------------- alliance portfolios from arrays */

static int member_cmp(const void *x, const void *y)
{
    const ent_portfolio_member_t *a = x, *b = y;
    if (a->year != b->year) {
        return a->year < b->year ? -1 : 1;
    }
    return a->ccode < b->ccode ? -1 : a->ccode > b->ccode;
}

/*
 * Each year's states (ascending code, once each) and CINC from `mem`, rows of
 * years [p->from, p->to]; then the weights of sw: shares of the system's
 * total, a missing CINC being weight 0 (the state drops out of sw).
 */
static ent_err_t build_members(ent_portfolios_t *p, const ent_portfolio_member_t *mem, size_t nm)
{
    ent_err_t rc = ENT_OK;
    ent_portfolio_member_t *m = ent_malloc((nm ? nm : 1) * sizeof *m);
    size_t ny = (size_t)(p->to - p->from + 1);
    size_t *cnt = ent_calloc(ny, sizeof *cnt);
    if (!m || !cnt) {
        rc = ent_i_nomem();
        goto done;
    }
    if (nm) {
        memcpy(m, mem, nm * sizeof *m);
    }
    qsort(m, nm, sizeof *m, member_cmp);
    for (size_t k = 0; k < nm; k++) {
        if (m[k].year < p->from || m[k].year > p->to) {
            rc = ent_i_err(ENT_ERANGE, "portfolios: a member in %d, outside the years %d-%d", (int)m[k].year, p->from,
                           p->to);
            goto done;
        }
        if (k && m[k].year == m[k - 1].year && m[k].ccode == m[k - 1].ccode) {
            rc = ent_i_err(ENT_EINVAL, "portfolios: state %d is listed twice in %d", (int)m[k].ccode, (int)m[k].year);
            goto done;
        }
        if (m[k].ccode < 0 || !(isnan(m[k].cinc) || (m[k].cinc >= 0 && m[k].cinc <= 1))) {
            rc = ent_i_err(ENT_ERANGE, "portfolios: state %d in %d: code or CINC %g out of range", (int)m[k].ccode,
                           (int)m[k].year, m[k].cinc);
            goto done;
        }
        cnt[m[k].year - p->from]++;
    }
    size_t k = 0;
    for (size_t yi = 0; yi < ny; yi++) {
        year_t *y = &p->years[yi];
        size_t n = cnt[yi];
        if (n > UINT16_MAX) {
            rc = ent_i_err(ENT_ELIMIT, "%zu states in %d: at most %u", n, p->from + (int)yi, UINT16_MAX);
            goto done;
        }
        y->ccode = ent_calloc(n ? n : 1, sizeof *y->ccode);
        y->cinc = ent_calloc(n ? n : 1, sizeof *y->cinc);
        y->w = ent_calloc(n ? n : 1, sizeof *y->w);
        y->code = ent_calloc(n ? n * n : 1, 1);
        y->obl = ent_calloc(n ? n * n : 1, 1);
        if (!y->ccode || !y->cinc || !y->w || !y->code || !y->obl) {
            rc = ent_i_nomem();
            goto done;
        }
        double total = 0;
        for (size_t i = 0; i < n; i++, k++) {
            y->ccode[i] = m[k].ccode;
            y->cinc[i] = m[k].cinc;
            if (!isnan(y->cinc[i]) && y->cinc[i] > 0) {
                total += y->cinc[i];
            }
        }
        for (size_t i = 0; i < n; i++) {
            y->w[i] = total > 0 && !isnan(y->cinc[i]) && y->cinc[i] > 0 ? y->cinc[i] / total : 0.0;
        }
        y->n = y->m = n;
    }
done:
    ent_free(m);
    ent_free(cnt);
    return rc;
}

/* Obligations of each directed dyad-year (a dyad with a state outside that year's members is left out: ATOP
 * codes a few states outside the COW system), then the code matrix and its non-zero columns. */
static ent_err_t build_alliances(ent_portfolios_t *p, const ent_alliance_dyad_t *d, size_t nd)
{
    for (size_t k = 0; k < nd; k++) {
        if (d[k].year < p->from || d[k].year > p->to) {
            continue;
        }
        year_t *y = &p->years[d[k].year - p->from];
        ptrdiff_t i = find_code(y->ccode, y->n, d[k].ccode1);
        ptrdiff_t j = find_code(y->ccode, y->n, d[k].ccode2);
        if (i < 0 || j < 0 || i == j) {
            continue;
        }
        y->obl[(size_t)i * y->n + (size_t)j] |= (uint8_t)(d[k].obligations & 0x3Fu);
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
        if (!(y->nzptr = ent_calloc(n + 1, sizeof *y->nzptr)) || !(y->nzidx = ent_calloc(nnz, sizeof *y->nzidx))) {
            return ent_i_nomem();
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
    return ENT_OK;
}

/* A new, empty set of portfolios for [from, to] coded as `source`. */
static ent_err_t portfolios_new(ent_portfolios_t **out, ent_sim_source_t source, int from, int to)
{
    *out = NULL;
    if (from > to) {
        return ent_i_err(ENT_EINVAL, "the first year %d is after the last %d", from, to);
    }
    if (from < 1 || to > 9999) {
        return ent_i_err(ENT_ERANGE, "years %d-%d: expected years 1..9999", from, to);
    }
    ent_portfolios_t *p = ent_calloc(1, sizeof *p);
    if (!p) {
        return ent_i_nomem();
    }
    p->source = source;
    p->from = p->cov_first = from;
    p->to = p->cov_last = to;
    p->lo = source == ENT_SIM_SOURCE_UN ? 1 : 0;
    p->hi = 3;
    if (!(p->years = ent_calloc((size_t)(to - from + 1), sizeof *p->years))) {
        ent_portfolios_free(p);
        return ent_i_nomem();
    }
    *out = p;
    return ENT_OK;
}

/* The state list of a portfolio built from arrays: the distinct member codes, no names. */
static ent_err_t states_from_members(ent_portfolios_t *p)
{
    size_t total = 0;
    for (int yr = p->from; yr <= p->to; yr++) {
        total += p->years[yr - p->from].n;
    }
    int32_t *all = ent_malloc((total ? total : 1) * sizeof *all);
    if (!all) {
        return ent_i_nomem();
    }
    size_t k = 0;
    for (int yr = p->from; yr <= p->to; yr++) {
        const year_t *y = &p->years[yr - p->from];
        memcpy(all + k, y->ccode, y->n * sizeof *all);
        k += y->n;
    }
    qsort(all, total, sizeof *all, int32_cmp);
    size_t n = 0;
    for (size_t i = 0; i < total; i++) {
        if (!n || all[n - 1] != all[i]) {
            all[n++] = all[i];
        }
    }
    p->st_ccode = all;
    p->nstates = n;
    p->st_abbr = ent_calloc(n ? n : 1, sizeof *p->st_abbr);
    p->st_iso3 = ent_calloc(n ? n : 1, sizeof *p->st_iso3);
    return p->st_abbr && p->st_iso3 ? ENT_OK : ent_i_nomem();
}

ent_err_t ent_portfolios_from_alliances(ent_portfolios_t **out, ent_sim_source_t coding, int from, int to,
                                        const ent_portfolio_member_t *members, size_t nmembers,
                                        const ent_alliance_dyad_t *dyads, size_t ndyads)
{
    if (coding != ENT_SIM_SOURCE_ATOP && coding != ENT_SIM_SOURCE_COW) {
        *out = NULL;
        return ent_i_err(ENT_EINVAL, "portfolios from alliances: the coding is atop or cow, not %s",
                         ent_sim_source_name(coding));
    }
    ent_portfolios_t *p;
    ent_err_t rc = portfolios_new(&p, coding, from, to);
    if (rc != ENT_OK) {
        return rc;
    }
    ENT_CHECK(build_members(p, members, nmembers));
    ENT_CHECK(build_alliances(p, dyads, ndyads));
    ENT_CHECK(states_from_members(p));
done:
    if (rc != ENT_OK) {
        ent_portfolios_free(p);
        return rc;
    }
    *out = p;
    return ENT_OK;
}

ent_err_t ent_portfolios_from_world(ent_portfolios_t **out, const ent_world_t *w, int from, int to, int cinc_back)
{
    *out = NULL;
    ent_portfolios_t *p;
    ent_vec_t mem = ENT_VEC_INIT(ent_portfolio_member_t), dy = ENT_VEC_INIT(ent_alliance_dyad_t);
    ent_slice_t *sl = NULL;
    ent_err_t rc = portfolios_new(&p, ENT_SIM_SOURCE_ATOP, from, to);
    if (rc != ENT_OK) {
        return rc;
    }
    if (cinc_back < 0) {
        rc = ent_i_err(ENT_EINVAL, "portfolios from a world: cinc_back %d is negative", cinc_back);
        goto done;
    }
    for (int yr = from; yr <= to; yr++) {
        ENT_CHECK(ent_world_slice_year(&sl, w, yr));
        for (size_t k = 0; k < ent_slice_nstates(sl); k++) {
            size_t i = (size_t)ent_slice_state(sl, k);
            ent_portfolio_member_t m = {yr, ent_world_state(w, i)->ccode, ent_world_cinc_near(w, i, yr, cinc_back, 0)};
            ENT_CHECK(ent_vec_push(&mem, &m));
        }
        /* A formal pact in force on any day of the year allies the dyad that year, both ways (a pact
         * dyad's obligations are already the union of its members'); a dormant pact sets no alignment. */
        for (size_t k = 0; k < ent_slice_nties(sl); k++) {
            const ent_tie_t *t = ent_slice_tie(sl, k);
            if (t->kind != ENT_TIE_PACT || t->dormant) {
                continue;
            }
            int32_t a = ent_world_state(w, (size_t)t->a)->ccode, b = ent_world_state(w, (size_t)t->b)->ccode;
            ent_alliance_dyad_t d1 = {yr, a, b, t->obligations}, d2 = {yr, b, a, t->obligations};
            ENT_CHECK(ent_vec_push(&dy, &d1));
            ENT_CHECK(ent_vec_push(&dy, &d2));
        }
        ent_slice_free(sl);
        sl = NULL;
    }
    ENT_CHECK(build_members(p, mem.data, mem.len));
    ENT_CHECK(build_alliances(p, dy.data, dy.len));
    /* the world's state list, so states are found by abbreviation and ISO3 as in a store */
    size_t n = ent_world_nstates(w);
    p->st_ccode = ent_calloc(n ? n : 1, sizeof *p->st_ccode);
    p->st_abbr = ent_calloc(n ? n : 1, sizeof *p->st_abbr);
    p->st_iso3 = ent_calloc(n ? n : 1, sizeof *p->st_iso3);
    if (!p->st_ccode || !p->st_abbr || !p->st_iso3) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *s = ent_world_state(w, i);
        p->st_ccode[i] = s->ccode;
        snprintf(p->st_abbr[i], sizeof p->st_abbr[i], "%s", s->abbr);
        snprintf(p->st_iso3[i], sizeof p->st_iso3[i], "%s", s->iso3);
    }
    p->nstates = n;
    /* sorted by code for find_code; the three arrays move together */
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && p->st_ccode[j - 1] > p->st_ccode[j]; j--) {
            int32_t c = p->st_ccode[j];
            p->st_ccode[j] = p->st_ccode[j - 1];
            p->st_ccode[j - 1] = c;
            char a[8], iso[4];
            memcpy(a, p->st_abbr[j], sizeof a);
            memcpy(p->st_abbr[j], p->st_abbr[j - 1], sizeof a);
            memcpy(p->st_abbr[j - 1], a, sizeof a);
            memcpy(iso, p->st_iso3[j], sizeof iso);
            memcpy(p->st_iso3[j], p->st_iso3[j - 1], sizeof iso);
            memcpy(p->st_iso3[j - 1], iso, sizeof iso);
        }
    }
done:
    ent_slice_free(sl);
    ent_vec_destroy(&mem);
    ent_vec_destroy(&dy);
    if (rc != ENT_OK) {
        ent_portfolios_free(p);
        return rc;
    }
    *out = p;
    return ENT_OK;
}

/* ---------------------------------------------------------------- alliance portfolios from the store */

static ent_err_t push_member(void *ctx, const double *col)
{
    ent_portfolio_member_t m = {(int32_t)col[0], (int32_t)col[1], NAN};
    return ent_vec_push(ctx, &m);
}

static ent_err_t push_code(void *ctx, const double *col)
{
    int32_t c = (int32_t)col[0];
    return ent_vec_push(ctx, &c);
}

/* The CINC of a member row (the rows sorted by year and code); a CINC of a non-member is not used. */
static ent_err_t put_cinc(void *ctx, const double *col)
{
    ent_vec_t *mem = ctx;
    ent_portfolio_member_t key = {(int32_t)col[0], (int32_t)col[1], 0};
    ent_portfolio_member_t *m = bsearch(&key, mem->data, mem->len, sizeof key, member_cmp);
    if (m) {
        m->cinc = col[2];
    }
    return ENT_OK;
}

static ent_err_t push_dyad(void *ctx, const double *col)
{
    ent_alliance_dyad_t d = {(int32_t)col[2], (int32_t)col[0], (int32_t)col[1], isnan(col[3]) ? 0u : (unsigned)col[3]};
    return ent_vec_push(ctx, &d);
}

/*
 * The members of each year from system_years, the current NMC version's CINC,
 * and the dataset's directed dyad-years, then the same build as from arrays.
 */
static ent_err_t load_alliances(ent_portfolios_t *p, ent_store_t *st, const char *dataset)
{
    ent_vec_t mem = ENT_VEC_INIT(ent_portfolio_member_t), dy = ENT_VEC_INIT(ent_alliance_dyad_t),
              codes = ENT_VEC_INIT(int32_t);
    ent_err_t rc;
    ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_SYSTEM_MEMBERS, NULL, p->from, p->to, push_member, &mem));
    /*
     * Fallback: the COW system file (system2016.csv) ends in 2016, while ATOP runs to 2018.
     * A year without any system_years row takes the states alive at some time in that year
     * by their membership spells: the cow-states importer keeps the spells open past the
     * list's version year, so 2017-2018 get the 2016 members (minus any spell that ended).
     * Years that system_years covers are untouched.
     */
    {
        size_t ny = (size_t)(p->to - p->from + 1);
        unsigned char *has = ent_calloc(ny, 1);
        if (!has) {
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t k = 0; k < mem.len; k++) {
            has[ENT_VEC_AT(&mem, ent_portfolio_member_t, k).year - p->from] = 1;
        }
        for (int yr = p->from; yr <= p->to && rc == ENT_OK; yr++) {
            if (has[yr - p->from]) {
                continue;
            }
            codes.len = 0;
            if ((rc = ent_i_store_rows(st, ENT_I_ROWS_SPELL_MEMBERS, NULL, yr, yr, push_code, &codes)) != ENT_OK) {
                break;
            }
            for (size_t k = 0; k < codes.len; k++) {
                ent_portfolio_member_t m = {yr, ENT_VEC_AT(&codes, int32_t, k), NAN};
                if ((rc = ent_vec_push(&mem, &m)) != ENT_OK) {
                    break;
                }
            }
        }
        ent_free(has);
        if (rc != ENT_OK) {
            goto done;
        }
    }
    if (mem.len) {
        qsort(mem.data, mem.len, sizeof(ent_portfolio_member_t), member_cmp);
    }
    ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_CINC, NULL, p->from, p->to, put_cinc, &mem));
    ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_ALLIANCE_DYADS, dataset, p->from, p->to, push_dyad, &dy));
    ENT_CHECK(build_members(p, mem.data, mem.len));
    ENT_CHECK(build_alliances(p, dy.data, dy.len));
done:
    ent_vec_destroy(&mem);
    ent_vec_destroy(&dy);
    ent_vec_destroy(&codes);
    return rc;
}

/* ---------------------------------------------------------------- UN votes from the store */

typedef struct {
    int16_t year;
    int16_t ccode;
    int8_t vote;
    int32_t rcid;
} vote_t;

typedef struct {
    int32_t year, rcid;
} rollcall_t;

static ent_err_t push_rollcall(void *ctx, const double *col)
{
    rollcall_t x = {(int32_t)col[0], (int32_t)col[1]};
    return ent_vec_push(ctx, &x);
}

static ent_err_t push_vote(void *ctx, const double *col)
{
    if (col[0] < 1 || col[0] > 9999 || col[1] < 0 || col[1] >= ENT_I_MAX_CCODE) {
        return ENT_OK; /* the importer stores no such rows */
    }
    vote_t v = {(int16_t)col[0], (int16_t)col[1], (int8_t)(isnan(col[3]) ? 0 : col[3]), (int32_t)col[2]};
    return ent_vec_push(ctx, &v);
}

static ent_err_t load_votes(ent_portfolios_t *p, ent_store_t *st)
{
    ent_vec_t rcs = ENT_VEC_INIT(rollcall_t), votes = ENT_VEC_INIT(vote_t);
    size_t ny = (size_t)(p->to - p->from + 1);
    size_t *rc_first = ent_calloc(ny + 1, sizeof *rc_first);
    ent_err_t rc;
    if (!rc_first) {
        return ent_i_nomem();
    }
    /* The roll calls of each year (the items), ascending rcid: rcid of year y, item k = rcs[rc_first[y] + k]. */
    ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_UN_ROLL_CALLS, NULL, p->from, p->to, push_rollcall, &rcs));
    for (size_t k = 0; k < rcs.len; k++) {
        rc_first[ENT_VEC_AT(&rcs, rollcall_t, k).year - p->from + 1]++;
    }
    for (size_t yi = 0; yi < ny; yi++) {
        p->years[yi].m = rc_first[yi + 1];
        rc_first[yi + 1] += rc_first[yi];
    }
    int32_t *rcid = ent_malloc((rcs.len ? rcs.len : 1) * sizeof *rcid);
    if (!rcid) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k < rcs.len; k++) {
        rcid[k] = ENT_VEC_AT(&rcs, rollcall_t, k).rcid;
    }
    /* The votes, by year then state: the states compared are those that cast a vote that year. */
    if ((rc = ent_i_store_rows(st, ENT_I_ROWS_UN_VOTES, NULL, p->from, p->to, push_vote, &votes)) != ENT_OK) {
        ent_free(rcid);
        goto done;
    }
    size_t v0 = 0;
    while (v0 < votes.len && rc == ENT_OK) {
        const vote_t *vs = votes.data;
        int yr = vs[v0].year;
        size_t v1 = v0, n = 0;
        for (; v1 < votes.len && vs[v1].year == yr; v1++) {
            n += v1 == v0 || vs[v1].ccode != vs[v1 - 1].ccode;
        }
        year_t *y = &p->years[yr - p->from];
        const int32_t *ids = rcid + rc_first[yr - p->from];
        y->ccode = ent_calloc(n, sizeof *y->ccode);
        y->cinc = ent_calloc(n, sizeof *y->cinc);
        y->code = ent_malloc(n * y->m > 0 ? n * y->m : 1);
        if (!y->ccode || !y->cinc || !y->code) {
            rc = ent_i_nomem();
            break;
        }
        memset(y->code, MISSING, n * y->m);
        y->n = 0;
        for (size_t k = v0; k < v1; k++) {
            if (y->n == 0 || y->ccode[y->n - 1] != vs[k].ccode) {
                y->cinc[y->n] = NAN;
                y->ccode[y->n++] = vs[k].ccode;
            }
            ptrdiff_t j = find_code(ids, y->m, vs[k].rcid);
            if (j >= 0 && vs[k].vote >= p->lo && vs[k].vote <= p->hi) {
                y->code[(y->n - 1) * y->m + (size_t)j] = (uint8_t)(vs[k].vote - p->lo);
            }
        }
        v0 = v1;
    }
    ent_free(rcid);
done:
    ent_free(rc_first);
    ent_vec_destroy(&rcs);
    ent_vec_destroy(&votes);
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
        ENT_CHECK(ent_i_store_span(&a0, &a1, &found, st, ENT_I_SPAN_UN_VOTES, NULL));
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
        ENT_CHECK(ent_i_store_span(&a0, &a1, &found, st, ENT_I_SPAN_ALLIANCES, ds));
        if (!found) {
            rc = ent_i_err(ENT_ENOTFOUND, "the store holds no %s alliance dyad-years: import %s first",
                           source == ENT_SIM_SOURCE_ATOP ? "ATOP" : "COW",
                           source == ENT_SIM_SOURCE_ATOP ? "atop-dyad-year" : "cow-alliance");
            goto done;
        }
        ENT_CHECK(ent_i_store_span(&s0, &s1, &found, st, ENT_I_SPAN_SYSTEM, NULL));
        if (!found) {
            rc = ent_i_err(ENT_ENOTFOUND, "the store holds no COW system membership: import cow-system first");
            goto done;
        }
        /* After the system file's last year, membership comes from the state spells (load_alliances): open
         * spells (end NULL) reach any year, closed ones their end year. */
        int e0 = 0, e1 = 0;
        bool spells;
        ENT_CHECK(ent_i_store_span(&e0, &e1, &spells, st, ENT_I_SPAN_SPELLS, NULL));
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
