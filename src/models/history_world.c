/*
 * history_world.c -- the world the alignment simulation reads, as of a
 * historical year, built from a store: the store's states, spells, CINC, ATOP
 * pacts and joint exercises (store/load_world.c), and for the year the figures
 * the pact model's historical system derives (pactmodel_history.c: polyarchy
 * imputed from UDS where V-Dem has none, capital distances carried forward,
 * hostility coded as the pact model was fitted on it), UN ideal points, COW
 * contiguity and the shares of COW trade with the US and China. What the
 * store has no counterpart for (partnership tiers, basing, organisations,
 * Chinese official finance, dormant flags) stays at the world's missing value;
 * docs/models/alignment.md ("From a historical world") lists it.
 */
#include <math.h>
#include <string.h>

#include "entente/sim.h"
#include "store/history_int.h"
#include "store/store_read.h"
#include "util_int.h"

enum { MAXC = ENT_I_MAX_CCODE };

/* ---------------------------------------------------------------- UN ideal points */

typedef struct {
    int year;
    double *ideal; /* [MAXC] */
    int *at;       /* [MAXC] the year of each value, 0 none */
} ideal_ctx_t;

/* The year's ideal point, else the latest of the two years before: the pact model's history takes
 * a pair's last known distance of those years the same way (the UNGA recorded no votes in 1964). */
static ent_err_t ideal_row(void *ctx, const double *col)
{
    ideal_ctx_t *c = ctx;
    int cc = (int)col[0], y = (int)col[1];
    if (cc > 0 && cc < MAXC && y <= c->year && y >= c->year - 2 && isfinite(col[2]) && y > c->at[cc]) {
        c->ideal[cc] = col[2];
        c->at[cc] = y;
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- trade */

typedef struct {
    int year, latest;                    /* asked; the latest year <= year with dyadic trade */
    double *with_usa, *with_chn, *total; /* [MAXC] millions of current USD, NaN unknown */
} trade_ctx_t;

static ent_err_t trade_latest_row(void *ctx, const double *col)
{
    trade_ctx_t *c = ctx;
    int y = (int)col[2];
    if (y <= c->year && y > c->latest) {
        c->latest = y;
    }
    return ENT_OK;
}

/* COW dyadic trade: flow1 is ccode1's imports from ccode2, flow2 ccode2's imports from ccode1. */
static ent_err_t trade_dyad_row(void *ctx, const double *col)
{
    trade_ctx_t *c = ctx;
    int a = (int)col[0], b = (int)col[1];
    if ((int)col[2] != c->latest || a <= 0 || a >= MAXC || b <= 0 || b >= MAXC || !isfinite(col[3]) ||
        !isfinite(col[4])) {
        return ENT_OK;
    }
    double v = col[3] + col[4];
    for (int side = 0; side < 2; side++) {
        int self = side ? b : a, other = side ? a : b;
        if (other == 2) {
            c->with_usa[self] = v;
        } else if (other == 710) {
            c->with_chn[self] = v;
        }
    }
    return ENT_OK;
}

static ent_err_t trade_total_row(void *ctx, const double *col)
{
    trade_ctx_t *c = ctx;
    int cc = (int)col[0];
    if ((int)col[1] == c->latest && cc > 0 && cc < MAXC && isfinite(col[2])) {
        c->total[cc] = isfinite(c->total[cc]) ? c->total[cc] + col[2] : col[2];
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- contiguity */

typedef struct {
    int year;          /* asked */
    int last;          /* the last year the data cover */
    signed char *type; /* [MAXC * MAXC] the closest type in force, 0 none */
    bool pass2;
} contig_ctx_t;

/* Pass 1 finds where the data end (COW Direct Contiguity: 2016); pass 2 takes the spells in force in
 * the year, or in the data's last year for a later one (borders carried forward, as the pact model's
 * history carries them). */
static ent_err_t contig_row(void *ctx, const double *col)
{
    contig_ctx_t *c = ctx;
    int a = (int)col[0], b = (int)col[1], t = (int)col[2];
    if (!c->pass2) {
        if (isfinite(col[4]) && (int)col[4] > c->last) {
            c->last = (int)col[4];
        }
        return ENT_OK;
    }
    int y = c->year < c->last ? c->year : c->last;
    if (a <= 0 || a >= MAXC || b <= 0 || b >= MAXC || a == b || t < 1 || t > 5 || !(col[3] <= y) ||
        (isfinite(col[4]) && col[4] < y)) {
        return ENT_OK;
    }
    int lo = a < b ? a : b, hi = a < b ? b : a;
    signed char *x = &c->type[(size_t)lo * MAXC + (size_t)hi];
    if (*x == 0 || t < *x) {
        *x = (signed char)t;
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- the world */

ent_err_t ent_world_history_years(int *first, int *last, ent_store_t *st, int year)
{
    bool found = false;
    ent_err_t rc = ent_i_store_span(first, last, &found, st, ENT_I_SPAN_ALLIANCES, "atop");
    if (rc != ENT_OK) {
        return rc;
    }
    if (!found) {
        return ent_i_err(ENT_ENOTFOUND,
                         "%s: the store holds no ATOP dyad-years, so no historical world "
                         "(entente import atop-dyad-year atop5_1_directed_dyad_year.csv)",
                         ent_store_path(st));
    }
    if (*first < 1817) {
        *first = 1817; /* a tie's start needs the year before */
    }
    if (year && (year < *first || year > *last)) {
        return ent_i_err(ENT_ERANGE,
                         "%s: %d is outside the store's coverage: a historical world can start in %d-%d (the "
                         "years of its ATOP alliance data)",
                         ent_store_path(st), year, *first, *last);
    }
    return ENT_OK;
}

ent_err_t ent_world_load_history(ent_world_t **out, ent_store_t *st, int year, const ent_pmhistory_t *h)
{
    *out = NULL;
    int first = 0, last = 0;
    ent_err_t rc = ent_world_history_years(&first, &last, st, year);
    if (rc != ENT_OK) {
        return rc;
    }
    ent_pmhistory_t *own = NULL;
    ent_world_t *w = NULL;
    ideal_ctx_t ic = {year, NULL, NULL};
    trade_ctx_t tc = {year, 0, NULL, NULL, NULL};
    contig_ctx_t cc = {year, 0, NULL, false};
    int64_t *widx = NULL;
    if (!h) {
        if ((rc = ent_pmhistory_build(&own, st, year, year, NULL)) != ENT_OK) {
            return rc;
        }
        h = own;
    }
    const ent_sysyear_t *sys = ent_pmhistory_year(h, year);
    if (!sys) {
        rc = ent_i_err(ENT_EINVAL, "ent_world_load_history: the history given has no system of %d", year);
        goto done;
    }
    ic.ideal = ent_malloc(MAXC * sizeof *ic.ideal);
    ic.at = ent_calloc(MAXC, sizeof *ic.at);
    tc.with_usa = ent_malloc(MAXC * sizeof *tc.with_usa);
    tc.with_chn = ent_malloc(MAXC * sizeof *tc.with_chn);
    tc.total = ent_malloc(MAXC * sizeof *tc.total);
    cc.type = ent_calloc((size_t)MAXC * MAXC, 1);
    widx = ent_malloc((sys->n ? sys->n : 1) * sizeof *widx);
    if (!ic.ideal || !ic.at || !tc.with_usa || !tc.with_chn || !tc.total || !cc.type || !widx) {
        rc = ent_i_nomem();
        goto done;
    }
    for (int c = 0; c < MAXC; c++) {
        ic.ideal[c] = tc.with_usa[c] = tc.with_chn[c] = tc.total[c] = NAN;
    }
    ENT_CHECK(ent_world_new(&w));
    /* the pacts of ATOP only (what the pact model was fitted on); hostility comes from the year's
     * system below, not from the rivalry list at the shipped world's intensities */
    ENT_CHECK(ent_i_store_world_fill(w, st, "atop", false));
    ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_IDEAL_YEARS, NULL, 0, 0, ideal_row, &ic));
    ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_TRADE_DYADS, NULL, 0, 0, trade_latest_row, &tc));
    if (tc.latest > 0) {
        ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_TRADE_DYADS, NULL, 0, 0, trade_dyad_row, &tc));
        ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_TRADE_IMPORTS, NULL, 0, 0, trade_total_row, &tc));
        ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_TRADE_EXPORTS, NULL, 0, 0, trade_total_row, &tc));
    }
    ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_CONTIGUITY, NULL, 0, 0, contig_row, &cc));
    cc.pass2 = true;
    ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_CONTIGUITY, NULL, 0, 0, contig_row, &cc));

    /* the states of the year's system: regime, UN ideal point, trade */
    size_t n = sys->n;
    for (size_t i = 0; i < n; i++) {
        widx[i] = ent_world_state_index(w, sys->ccode[i]);
    }
    size_t nw = ent_world_nstates(w);
    for (size_t k = 0; k < nw; k++) {
        ent_state_t s = *ent_world_state(w, k);
        int c = s.ccode;
        if (c <= 0 || c >= MAXC) {
            continue;
        }
        if (isfinite(ic.ideal[c])) {
            s.unga_ideal = ic.ideal[c];
            s.unga_year = ic.at[c];
        }
        double tot = tc.total[c];
        if (tc.latest > 0 && isfinite(tot) && tot > 0) {
            /* a flow COW leaves missing stays unknown (the model's missing share) */
            s.trade_share_usa = c == 2 ? 0 : fmin(1.0, tc.with_usa[c] / tot);
            s.trade_share_chn = c == 710 ? 0 : fmin(1.0, tc.with_chn[c] / tot);
            s.econ_year = tc.latest;
        }
        ENT_CHECK(ent_world_set_state(w, (int64_t)k, &s));
    }
    for (size_t i = 0; i < n; i++) {
        if (widx[i] < 0) {
            continue;
        }
        ent_state_t s = *ent_world_state(w, (size_t)widx[i]);
        s.democracy = sys->polyarchy ? sys->polyarchy[i] : NAN; /* V-Dem, else imputed from UDS, else NaN */
        s.major_power = sys->major[i] != 0;                     /* COW's list of the year */
        ENT_CHECK(ent_world_set_state(w, widx[i], &s));
    }
    /* pairs of the year's system: capital distance, hostility */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (widx[i] < 0 || widx[j] < 0) {
                continue;
            }
            double d = sys->dist_km[i * n + j];
            if (isfinite(d) && d >= 0 && d <= 25000) {
                ENT_CHECK(ent_world_set_distance(w, widx[i], widx[j], d));
            }
            double hv = sys->hostility[i * n + j];
            if (hv > 0) {
                /* the pact model's coding (pactmodel_history.c): 1 a strategic rivalry, 0.5 an ongoing MID */
                ent_tie_t t;
                memset(&t, 0, sizeof t);
                t.a = widx[i];
                t.b = widx[j];
                t.kind = ENT_TIE_RIVALRY;
                t.level = hv;
                t.subtype = hv >= 1 ? "rivalry" : "dispute";
                t.moniker = "";
                t.source = hv >= 1 ? "Thompson, Sakuwa & Suhas strategic rivalries (TSS), in force in the year"
                                   : "COW MID dyadic disputes, ongoing in the year";
                t.start = (ent_date_t)year * 10000 + 101;
                t.end = (ent_date_t)year * 10000 + 1231;
                ENT_CHECK(ent_world_add_tie(w, &t));
            }
        }
    }
    /* contiguity of the year between states the world knows */
    for (int a = 1; a < MAXC; a++) {
        for (int b = a + 1; b < MAXC; b++) {
            int t = cc.type[(size_t)a * MAXC + (size_t)b];
            int64_t ia = t ? ent_world_state_index(w, a) : -1, ib = t ? ent_world_state_index(w, b) : -1;
            if (ia < 0 || ib < 0) {
                continue;
            }
            ent_contiguity_t ct = {ia, ib, t, "COW Direct Contiguity v3.2 (Stinnett et al. 2002)"};
            ENT_CHECK(ent_world_add_contiguity(w, &ct));
        }
    }
    ENT_CHECK(ent_world_finalise(w));
    *out = w;
    w = NULL;
done:
    ent_world_free(w);
    ent_pmhistory_free(own);
    ent_free(ic.ideal);
    ent_free(ic.at);
    ent_free(tc.with_usa);
    ent_free(tc.with_chn);
    ent_free(tc.total);
    ent_free(cc.type);
    ent_free(widx);
    return rc;
}
