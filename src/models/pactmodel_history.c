/*
 * pactmodel_history.c -- the system of every historical year as the pact
 * model sees it, built from the store: the dyad-year panel (ATOP defence
 * ties, COW capabilities and major powers, capital distance, contiguity, V-Dem,
 * TSS rivalries, MIDs, UN ideal-point distance) and ATOP's treaty membership
 * spells (history.c), plus the owned, mutable copies of a system that a
 * forecast steps forward (ent_sysbuf_t).
 *
 * Dating: the system of year t holds what the panel holds for t. Hostility is
 * 1 for an active strategic rivalry, else 0.5 for an ongoing MID, else 0 (MIDs
 * are empty after 2014 and count 0 then; rivalries run to 2020). Contiguity and
 * distance carry the last known value forward where the sources end (2016 for
 * contiguity). The start of a tie (since, and cinc0/poly0/deg0: the values in
 * the year before it appears, which is what a simulated step records) comes
 * from the whole ATOP record back to 1816, so a tie of 1816 or earlier has an
 * unknown start (since = 0). A treaty is a multilateral ATOP treaty with a
 * defence obligation (three or more members in the system in t).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/pactmodel.h"
#include "entente/panel.h"
#include "pactmodel_int.h"
#include "store/history_int.h"
#include "util_int.h"

enum { MAXC = ENT_PM_MAX_CCODE };

/* ---------------------------------------------------------------- owned systems */

struct ent_sysbuf {
    ent_sysyear_t sys;
    int32_t *ccode;
    double *cinc, *ideal, *poly, *dist, *host, *idist, *pres, *cinc0, *poly0, *offset;
    unsigned char *major, *contig, *def, *member, *lesser, *neutral, *elig;
    int *since, *deg0, *last;
    int64_t *tid;
};

void ent_sysbuf_free(ent_sysbuf_t *b)
{
    if (!b) {
        return;
    }
    ent_free(b->ccode);
    ent_free(b->cinc);
    ent_free(b->ideal);
    ent_free(b->poly);
    ent_free(b->dist);
    ent_free(b->host);
    ent_free(b->idist);
    ent_free(b->pres);
    ent_free(b->cinc0);
    ent_free(b->poly0);
    ent_free(b->offset);
    ent_free(b->major);
    ent_free(b->contig);
    ent_free(b->def);
    ent_free(b->member);
    ent_free(b->since);
    ent_free(b->deg0);
    ent_free(b->lesser);
    ent_free(b->neutral);
    ent_free(b->elig);
    ent_free(b->last);
    ent_free(b->tid);
    ent_free(b);
}

ent_sysyear_t *ent_sysbuf_sys(ent_sysbuf_t *b)
{
    return &b->sys;
}

/* Allocates every array of an n-state system with `nt` treaties (all zero; ideal/poly NaN). */
static ent_err_t sysbuf_alloc(ent_sysbuf_t **out, size_t n, size_t nt)
{
    *out = NULL;
    ent_sysbuf_t *b = ent_calloc(1, sizeof *b);
    if (!b) {
        return ent_i_nomem();
    }
    size_t nn = n * n;
    b->ccode = ent_calloc(n, sizeof *b->ccode);
    b->cinc = ent_calloc(n, sizeof *b->cinc);
    b->ideal = ent_calloc(n, sizeof *b->ideal);
    b->poly = ent_calloc(n, sizeof *b->poly);
    b->major = ent_calloc(n, 1);
    b->dist = ent_calloc(nn, sizeof *b->dist);
    b->host = ent_calloc(nn, sizeof *b->host);
    b->idist = ent_calloc(nn, sizeof *b->idist);
    b->contig = ent_calloc(nn, 1);
    b->def = ent_calloc(nn, 1);
    b->since = ent_calloc(nn, sizeof *b->since);
    b->cinc0 = ent_calloc(nn, sizeof *b->cinc0);
    b->poly0 = ent_calloc(nn, sizeof *b->poly0);
    b->deg0 = ent_calloc(nn, sizeof *b->deg0);
    b->lesser = ent_calloc(nn, 1);
    b->neutral = ent_calloc(n, 1);
    b->last = ent_calloc(nn, sizeof *b->last);
    b->member = ent_calloc(nt ? nt * n : 1, 1);
    b->elig = ent_malloc(nt ? nt * n : 1);
    b->tid = ent_calloc(nt ? nt : 1, sizeof *b->tid);
    if (!b->ccode || !b->cinc || !b->ideal || !b->poly || !b->major || !b->dist || !b->host || !b->idist ||
        !b->contig || !b->def || !b->since || !b->cinc0 || !b->poly0 || !b->deg0 || !b->member || !b->tid ||
        !b->lesser || !b->neutral || !b->last || !b->elig) {
        ent_sysbuf_free(b);
        return ent_i_nomem();
    }
    memset(b->elig, 1, nt ? nt * n : 1);
    for (size_t i = 0; i < n; i++) {
        b->ideal[i] = b->poly[i] = NAN;
    }
    for (size_t k = 0; k < nn; k++) {
        b->idist[k] = b->cinc0[k] = b->poly0[k] = NAN;
    }
    ent_sysyear_t s = {0};
    s.n = n;
    s.ccode = b->ccode;
    s.cinc = b->cinc;
    s.ideal = b->ideal;
    s.polyarchy = b->poly;
    s.major = b->major;
    s.dist_km = b->dist;
    s.contig = b->contig;
    s.hostility = b->host;
    s.ideal_dist = b->idist;
    s.defence = b->def;
    s.since = b->since;
    s.cinc0 = b->cinc0;
    s.poly0 = b->poly0;
    s.deg0 = b->deg0;
    s.ntreaties = nt;
    s.member = b->member;
    s.treaty_id = b->tid;
    s.lesser = b->lesser;
    s.neutral = b->neutral;
    s.eligible = b->elig;
    s.last_tie = b->last;
    b->sys = s;
    *out = b;
    return ENT_OK;
}

#define COPY_N(dst, src, cnt)                                                                                          \
    do {                                                                                                               \
        if (src) {                                                                                                     \
            memcpy((dst), (src), (cnt) * sizeof *(dst));                                                               \
        }                                                                                                              \
    } while (0)

ent_err_t ent_sysyear_clone(ent_sysbuf_t **out, const ent_sysyear_t *src)
{
    *out = NULL;
    if (!src || src->n == 0 || !src->cinc || !src->major || !src->dist_km || !src->hostility || !src->defence) {
        return ent_i_err(ENT_EINVAL, "ent_sysyear_clone: an empty or incomplete system");
    }
    size_t n = src->n, nn = n * n, nt = src->ntreaties;
    ent_sysbuf_t *b = NULL;
    ent_err_t rc = sysbuf_alloc(&b, n, nt);
    if (rc != ENT_OK) {
        return rc;
    }
    ent_sysyear_t *s = &b->sys;
    s->year = src->year;
    COPY_N(b->ccode, src->ccode, n);
    COPY_N(b->cinc, src->cinc, n);
    COPY_N(b->ideal, src->ideal, n);
    COPY_N(b->poly, src->polyarchy, n);
    COPY_N(b->major, src->major, n);
    COPY_N(b->dist, src->dist_km, nn);
    COPY_N(b->host, src->hostility, nn);
    COPY_N(b->def, src->defence, nn);
    COPY_N(b->since, src->since, nn);
    COPY_N(b->cinc0, src->cinc0, nn);
    COPY_N(b->poly0, src->poly0, nn);
    COPY_N(b->deg0, src->deg0, nn);
    COPY_N(b->member, src->member, nt * n);
    COPY_N(b->tid, src->treaty_id, nt);
    COPY_N(b->last, src->last_tie, nn);
    COPY_N(b->lesser, src->lesser, nn);
    COPY_N(b->neutral, src->neutral, n);
    COPY_N(b->elig, src->eligible, nt * n);
    if (!src->eligible) {
        s->eligible = NULL;
    }
    if (!src->neutral) {
        s->neutral = NULL;
    }
    if (!src->last_tie) {
        s->last_tie = NULL;
    }
    if (!src->lesser) {
        s->lesser = NULL;
    }
    if (!src->ideal) {
        s->ideal = NULL;
    }
    if (!src->polyarchy) {
        s->polyarchy = NULL;
    }
    if (src->contig) {
        memcpy(b->contig, src->contig, nn);
    } else {
        s->contig = NULL;
    }
    if (src->ideal_dist) {
        memcpy(b->idist, src->ideal_dist, nn * sizeof *b->idist);
    } else {
        s->ideal_dist = NULL;
    }
    if (src->presence) {
        if (!(b->pres = ent_calloc(nn, sizeof *b->pres))) {
            ent_sysbuf_free(b);
            return ent_i_nomem();
        }
        memcpy(b->pres, src->presence, nn * sizeof *b->pres);
        s->presence = b->pres;
    }
    if (src->offset) {
        if (!(b->offset = ent_calloc(n, sizeof *b->offset))) {
            ent_sysbuf_free(b);
            return ent_i_nomem();
        }
        memcpy(b->offset, src->offset, n * sizeof *b->offset);
        s->offset = b->offset;
    }
    if (!src->since) {
        s->since = NULL;
    }
    if (!src->cinc0) {
        s->cinc0 = NULL;
    }
    if (!src->poly0) {
        s->poly0 = NULL;
    }
    if (!src->deg0) {
        s->deg0 = NULL;
    }
    if (!src->treaty_id) {
        s->treaty_id = NULL;
    }
    *out = b;
    return ENT_OK;
}

/* ---------------------------------------------------------------- the history */

struct ent_pmhistory {
    int from, to;
    ent_sysbuf_t **years; /* to - from + 1 */
};

void ent_pmhistory_free(ent_pmhistory_t *h)
{
    if (!h) {
        return;
    }
    if (h->years) {
        for (int y = h->from; y <= h->to; y++) {
            ent_sysbuf_free(h->years[y - h->from]);
        }
    }
    ent_free(h->years);
    ent_free(h);
}

int ent_pmhistory_from(const ent_pmhistory_t *h)
{
    return h->from;
}

int ent_pmhistory_to(const ent_pmhistory_t *h)
{
    return h->to;
}

const ent_sysyear_t *ent_pmhistory_year(const ent_pmhistory_t *h, int year)
{
    if (!h || year < h->from || year > h->to || !h->years[year - h->from]) {
        return NULL;
    }
    return &h->years[year - h->from]->sys;
}

static const char *const panel_cols[] = {"atop_defense",
                                         "capdist",
                                         "conttype",
                                         "cinc1",
                                         "cinc2",
                                         "major1",
                                         "major2",
                                         "polyarchy1",
                                         "polyarchy2",
                                         "rivalry",
                                         "mid_ongoing",
                                         "idealpoint_dist",
                                         "atop_offense",
                                         "atop_neutrality",
                                         "atop_nonagg",
                                         "atop_consul",
                                         "years_since_defence",
                                         "uds1",
                                         "uds2"};
enum {
    C_DEF,
    C_DIST,
    C_CONT,
    C_CINC1,
    C_CINC2,
    C_MAJ1,
    C_MAJ2,
    C_POLY1,
    C_POLY2,
    C_RIV,
    C_MID,
    C_IDIST,
    C_OFF,
    C_NEU,
    C_NONAGG,
    C_CONSUL,
    C_YSD,
    C_UDS1,
    C_UDS2,
    C_N
};

/* Per ccode pair (c1 < c2 or both orders): the last known distance and contiguity, the tie's start. */
typedef struct {
    float *dist;       /* MAXC^2, NaN unknown */
    signed char *cont; /* -1 unknown */
    int *since;        /* 0 none / unknown */
    float *cinc0;      /* [c1*MAXC + c2]: c1's value when the c1-c2 tie began */
    float *poly0;
    short *deg0;
    int *tied;      /* the last year the pair was tied (0 never) */
    float *idist;   /* the last known UN ideal-point distance, NaN none */
    short *idist_y; /* its year */
} carry_t;

static void carry_free(carry_t *c)
{
    ent_free(c->dist);
    ent_free(c->cont);
    ent_free(c->since);
    ent_free(c->cinc0);
    ent_free(c->poly0);
    ent_free(c->deg0);
    ent_free(c->tied);
    ent_free(c->idist);
    ent_free(c->idist_y);
}

/* Whether a state code from ATOP's member file is in the year's system. */
static inline bool in_sys(const int16_t *idx, int32_t c)
{
    return c > 0 && c < MAXC && idx[c] >= 0;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

/*
 * V-Dem files some states under another code than COW's (West Germany 1955-1990 as Germany, 255;
 * Czechoslovakia as the Czech Republic; North Yemen as Yemen), so the store has no polyarchy for
 * them, and small states (the Caribbean microstates, Brunei, Samoa) are outside V-Dem. Left
 * unknown, they load the REGIME_MISSING indicator with West Germany's 1955 NATO accession and the
 * Caribbean accessions to the OAS, and the forecast then sends every microstate without a V-Dem
 * score into NATO. Where V-Dem has no value and the Unified Democracy Score (Pemstein, Meserve &
 * Melton) has one, polyarchy is imputed as sigma(a + b uds), (a, b) the least-squares fit of
 * logit(polyarchy) on UDS over every panel row with both (polyarchy clamped to [0.01, 0.99]).
 * Regime measures are not outcomes, so fitting the map on all years leaks nothing.
 */
static void impute_polyarchy(double *p1, double *p2, const double *poly1, const double *poly2, const double *uds1,
                             const double *uds2, size_t nrows)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, cnt = 0;
    for (int side = 0; side < 2; side++) {
        const double *pv = side ? poly2 : poly1, *uv = side ? uds2 : uds1;
        for (size_t r = 0; r < nrows; r++) {
            if (isfinite(pv[r]) && isfinite(uv[r])) {
                double q = pv[r] < 0.01 ? 0.01 : pv[r] > 0.99 ? 0.99 : pv[r];
                double yv = log(q / (1 - q)), xv = uv[r];
                sx += xv;
                sy += yv;
                sxx += xv * xv;
                sxy += xv * yv;
                cnt++;
            }
        }
    }
    double den = cnt * sxx - sx * sx;
    bool ok = cnt > 2 && den > 0;
    double b = ok ? (cnt * sxy - sx * sy) / den : 0, a = ok ? (sy - b * sx) / cnt : 0;
    for (int side = 0; side < 2; side++) {
        const double *pv = side ? poly2 : poly1, *uv = side ? uds2 : uds1;
        double *out = side ? p2 : p1;
        for (size_t r = 0; r < nrows; r++) {
            out[r] = pv[r];
            if (!isfinite(pv[r]) && isfinite(uv[r]) && ok) {
                out[r] = 1.0 / (1.0 + exp(-(a + b * uv[r])));
            }
        }
    }
}

ent_err_t ent_pmhistory_build(ent_pmhistory_t **out, ent_store_t *db, int from, int to, volatile sig_atomic_t *cancel)
{
    *out = NULL;
    if (from < 1817 || to < from) {
        return ent_i_err(ENT_EINVAL, "pact-model history: years %d-%d (need 1817 <= from <= to)", from, to);
    }
    ent_err_t rc = ENT_OK;
    ent_panel_t *p = NULL;
    ent_pmhistory_t *h = NULL;
    ent_vec_t spells = ENT_VEC_INIT(ent_i_defence_spell_t);
    ent_vec_t lspells = ENT_VEC_INIT(ent_i_defence_spell_t); /* lesser obligations */
    unsigned char *width = NULL; /* [n*n] the year's narrowest lesser-obligation treaty of each pair */
    carry_t cy = {0};
    const size_t M2 = (size_t)MAXC * MAXC;
    int16_t *idx = NULL; /* ccode -> index in the year's system, -1 absent */
    double *prev_cinc = NULL, *prev_poly = NULL;
    int *prev_deg = NULL, *deg = NULL;
    int32_t *codes = NULL;
    double *impoly = NULL; /* [2 nrows] polyarchy of both sides, imputed from UDS where V-Dem has none */
    ent_pmneutral_t *neutrals = NULL;
    ent_pmaccess_t *access = NULL;

    ENT_CHECK(ent_pmneutral_load(&neutrals, ent_pmneutral_default_path()));
    ENT_CHECK(ent_pmaccess_load(&access, ent_pmaccess_default_path()));
    ent_panel_options_t po = ENT_PANEL_OPTIONS_INIT;
    po.from = 1816;
    po.to = to;
    po.columns = panel_cols;
    po.ncolumns = C_N;
    po.cancel = cancel;
    ENT_CHECK(ent_panel_build(&p, db, &po));
    ENT_CHECK(ent_i_store_defence_spells(db, &spells));
    ENT_CHECK(ent_i_store_lesser_spells(db, &lspells));

    const double *col[C_N];
    for (int k = 0; k < C_N; k++) {
        if (!(col[k] = ent_panel_column(p, panel_cols[k]))) {
            rc = ent_i_err(ENT_ENOTFOUND, "pact-model history: the panel lacks '%s'", panel_cols[k]);
            goto done;
        }
    }
    const int32_t *c1 = ent_panel_ccode1(p), *c2 = ent_panel_ccode2(p), *yr = ent_panel_year(p);
    size_t nrows = ent_panel_nrows(p);
    if (!(impoly = ent_malloc((2 * nrows + 1) * sizeof *impoly))) {
        rc = ent_i_nomem();
        goto done;
    }
    impute_polyarchy(impoly, impoly + nrows, col[C_POLY1], col[C_POLY2], col[C_UDS1], col[C_UDS2], nrows);
    col[C_POLY1] = impoly;
    col[C_POLY2] = impoly + nrows;

    h = ent_calloc(1, sizeof *h);
    cy.dist = ent_malloc(M2 * sizeof *cy.dist);
    cy.cont = ent_malloc(M2);
    cy.since = ent_calloc(M2, sizeof *cy.since);
    cy.cinc0 = ent_malloc(M2 * sizeof *cy.cinc0);
    cy.poly0 = ent_malloc(M2 * sizeof *cy.poly0);
    cy.deg0 = ent_calloc(M2, sizeof *cy.deg0);
    cy.tied = ent_calloc(M2, sizeof *cy.tied);
    cy.idist = ent_malloc(M2 * sizeof *cy.idist);
    cy.idist_y = ent_calloc(M2, sizeof *cy.idist_y);
    idx = ent_malloc(MAXC * sizeof *idx);
    prev_cinc = ent_malloc(MAXC * sizeof *prev_cinc);
    prev_poly = ent_malloc(MAXC * sizeof *prev_poly);
    prev_deg = ent_calloc(MAXC, sizeof *prev_deg);
    deg = ent_calloc(MAXC, sizeof *deg);
    codes = ent_malloc(MAXC * sizeof *codes);
    if (!h || !cy.dist || !cy.cont || !cy.since || !cy.cinc0 || !cy.poly0 || !cy.deg0 || !cy.tied || !cy.idist ||
        !cy.idist_y || !idx || !prev_cinc || !prev_poly || !prev_deg || !deg || !codes) {
        rc = ent_i_nomem();
        goto done;
    }
    h->from = from;
    h->to = to;
    if (!(h->years = ent_calloc((size_t)(to - from + 1), sizeof *h->years))) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k < M2; k++) {
        cy.dist[k] = NAN;
        cy.cont[k] = -1;
        cy.cinc0[k] = cy.poly0[k] = cy.idist[k] = NAN;
    }
    for (int c = 0; c < MAXC; c++) {
        prev_cinc[c] = prev_poly[c] = NAN;
    }

    size_t r0 = 0;
    while (r0 < nrows) {
        if (cancel && *cancel) {
            rc = ent_i_err(ENT_EINTERRUPTED, "pact-model history: interrupted");
            goto done;
        }
        int y = yr[r0];
        size_t r1 = r0;
        while (r1 < nrows && yr[r1] == y) {
            r1++;
        }
        /* the states of the year */
        memset(idx, 0xff, MAXC * sizeof *idx);
        size_t n = 0;
        for (size_t r = r0; r < r1; r++) {
            int32_t cc[2] = {c1[r], c2[r]};
            for (int s = 0; s < 2; s++) {
                if (cc[s] <= 0 || cc[s] >= MAXC) {
                    rc = ent_i_err(ENT_ERANGE, "pact-model history: state code %d in %d", cc[s], y);
                    goto done;
                }
                if (idx[cc[s]] < 0) {
                    idx[cc[s]] = 0;
                    codes[n++] = cc[s];
                }
            }
        }
        qsort(codes, n, sizeof *codes, cmp_i32);
        for (size_t i = 0; i < n; i++) {
            idx[codes[i]] = (int16_t)i;
        }
        /* ties and degrees of the year; starts of new ties (values of the year before) */
        memset(deg, 0, MAXC * sizeof *deg);
        for (size_t r = r0; r < r1; r++) {
            if (col[C_DEF][r] == 1) {
                deg[c1[r]]++;
                deg[c2[r]]++;
            }
        }
        for (size_t r = r0; r < r1; r++) {
            size_t a = (size_t)c1[r], b = (size_t)c2[r], ab = a * MAXC + b, ba = b * MAXC + a;
            bool tied = col[C_DEF][r] == 1;
            if (tied && cy.tied[ab] != y - 1) {
                /* a tie of the panel's first year began at or before it: unknown */
                cy.since[ab] = cy.since[ba] = y == 1816 ? 0 : y;
                cy.cinc0[ab] = (float)(isfinite(prev_cinc[a]) ? prev_cinc[a] : col[C_CINC1][r]);
                cy.cinc0[ba] = (float)(isfinite(prev_cinc[b]) ? prev_cinc[b] : col[C_CINC2][r]);
                cy.poly0[ab] = (float)(isfinite(prev_poly[a]) ? prev_poly[a] : col[C_POLY1][r]);
                cy.poly0[ba] = (float)(isfinite(prev_poly[b]) ? prev_poly[b] : col[C_POLY2][r]);
                cy.deg0[ab] = (short)prev_deg[a];
                cy.deg0[ba] = (short)prev_deg[b];
            }
            if (tied) {
                cy.tied[ab] = cy.tied[ba] = y;
            }
            if (isfinite(col[C_DIST][r])) {
                cy.dist[ab] = cy.dist[ba] = (float)col[C_DIST][r];
            }
            if (isfinite(col[C_CONT][r])) {
                cy.cont[ab] = cy.cont[ba] = (signed char)col[C_CONT][r];
            }
            if (isfinite(col[C_IDIST][r])) {
                cy.idist[ab] = cy.idist[ba] = (float)col[C_IDIST][r];
                cy.idist_y[ab] = cy.idist_y[ba] = (short)y;
            }
        }
        if (y >= from) {
            /* the treaties of the year: ATOP defence spells in force during y, members in the system */
            size_t nt = 0;
            const ent_i_defence_spell_t *sp = spells.data;
            ent_date_t y0 = (ent_date_t)(y * 10000 + 101), y1 = (ent_date_t)(y * 10000 + 1231);
            /* first pass: count treaties with >= 3 members */
            for (size_t k = 0; k < spells.len;) {
                size_t e = k, cnt = 0;
                int32_t lastc = -1;
                while (e < spells.len && sp[e].treaty == sp[k].treaty) {
                    if (sp[e].entry <= y1 && sp[e].exit >= y0 && in_sys(idx, sp[e].ccode) && sp[e].ccode != lastc) {
                        cnt++;
                        lastc = sp[e].ccode;
                    }
                    e++;
                }
                nt += cnt >= 3;
                k = e;
            }
            ent_sysbuf_t *b = NULL;
            ENT_CHECK(sysbuf_alloc(&b, n, nt));
            h->years[y - from] = b;
            b->sys.year = y;
            size_t t = 0;
            for (size_t k = 0; k < spells.len;) {
                size_t e = k, cnt = 0;
                int32_t lastc = -1;
                while (e < spells.len && sp[e].treaty == sp[k].treaty) {
                    if (sp[e].entry <= y1 && sp[e].exit >= y0 && in_sys(idx, sp[e].ccode) && sp[e].ccode != lastc) {
                        cnt++;
                        lastc = sp[e].ccode;
                    }
                    e++;
                }
                if (cnt >= 3) {
                    b->tid[t] = sp[k].treaty;
                    for (size_t q = k; q < e; q++) {
                        if (sp[q].entry <= y1 && sp[q].exit >= y0 && in_sys(idx, sp[q].ccode)) {
                            b->member[t * n + (size_t)idx[sp[q].ccode]] = 1;
                        }
                    }
                    t++;
                }
                k = e;
            }
            for (size_t i = 0; i < n; i++) {
                b->ccode[i] = codes[i];
                b->neutral[i] = ent_pmneutral_is(neutrals, codes[i], y);
            }
            ent_pmaccess_fill(access, b->tid, nt, b->ccode, n, b->elig);
            /* lesser obligations by the breadth of their treaty: for each pair, the members (in the
             * system, in the year) of the narrowest treaty that binds both, saturated at 255 */
            ent_free(width);
            width = ent_calloc(n * n, 1);
            if (!width) {
                rc = ent_i_nomem();
                goto done;
            }
            {
                const ent_i_defence_spell_t *ls = lspells.data;
                for (size_t k = 0; k < lspells.len;) {
                    size_t e = k, cnt = 0;
                    int32_t lastc = -1;
                    while (e < lspells.len && ls[e].treaty == ls[k].treaty) {
                        if (ls[e].entry <= y1 && ls[e].exit >= y0 && in_sys(idx, ls[e].ccode) && ls[e].ccode != lastc) {
                            cnt++;
                            lastc = ls[e].ccode;
                        }
                        e++;
                    }
                    unsigned char wd = cnt > 255 ? 255 : (unsigned char)cnt;
                    for (size_t q = k; cnt >= 2 && q < e; q++) {
                        if (!(ls[q].entry <= y1 && ls[q].exit >= y0 && in_sys(idx, ls[q].ccode))) {
                            continue;
                        }
                        size_t qi = (size_t)idx[ls[q].ccode];
                        for (size_t q2 = k; q2 < e; q2++) {
                            if (ls[q2].entry <= y1 && ls[q2].exit >= y0 && in_sys(idx, ls[q2].ccode) &&
                                ls[q2].ccode != ls[q].ccode) {
                                unsigned char *w = &width[qi * n + (size_t)idx[ls[q2].ccode]];
                                if (*w == 0 || wd < *w) {
                                    *w = wd;
                                }
                            }
                        }
                    }
                    k = e;
                }
            }
            for (size_t r = r0; r < r1; r++) {
                size_t i = (size_t)idx[c1[r]], j = (size_t)idx[c2[r]];
                size_t a = (size_t)c1[r], bb = (size_t)c2[r], ab = a * MAXC + bb, ba = bb * MAXC + a;
                b->cinc[i] = col[C_CINC1][r];
                b->cinc[j] = col[C_CINC2][r];
                b->major[i] = col[C_MAJ1][r] == 1;
                b->major[j] = col[C_MAJ2][r] == 1;
                b->poly[i] = col[C_POLY1][r];
                b->poly[j] = col[C_POLY2][r];
                double d = cy.dist[ab];
                b->dist[i * n + j] = b->dist[j * n + i] = isfinite(d) ? d : 10000.0; /* unknown: far */
                int ct = cy.cont[ab];
                unsigned char cv = ct == 1 ? 1 : (ct >= 2 && ct <= 5) ? 2 : 0;
                b->contig[i * n + j] = b->contig[j * n + i] = cv;
                double hv = col[C_RIV][r] == 1 ? 1.0 : col[C_MID][r] == 1 ? 0.5 : 0.0;
                b->host[i * n + j] = b->host[j * n + i] = hv;
                /* The UNGA's 1964 session recorded no votes, so every distance of 1964 is unknown, and 90
                 * ties ended in 1965 (the Afro-Malagasy Union): an unknown distance takes the pair's last
                 * known one of the two years before, and is unknown (its indicator) only beyond that. */
                double idv = col[C_IDIST][r];
                if (!isfinite(idv) && cy.idist_y[ab] >= y - 2 && cy.idist_y[ab] > 0) {
                    idv = cy.idist[ab];
                }
                b->idist[i * n + j] = b->idist[j * n + i] = idv;
                bool ls = col[C_OFF][r] == 1 || col[C_NEU][r] == 1 || col[C_NONAGG][r] == 1 || col[C_CONSUL][r] == 1;
                /* the panel says whether they are bound, the member spells how broadly; a pair the
                 * spells miss (a member's spell dated apart from the dyad's) counts as bilateral */
                unsigned char lw = width[i * n + j] ? width[i * n + j] : 2;
                b->lesser[i * n + j] = b->lesser[j * n + i] = ls ? lw : 0;
                /* years since the last defence tie: > 0 only for a lapsed tie (0 while allied, NaN never) */
                double ysd = col[C_YSD][r];
                if (col[C_DEF][r] != 1 && isfinite(ysd) && ysd > 0) {
                    b->last[i * n + j] = b->last[j * n + i] = y - (int)ysd;
                }
                if (col[C_DEF][r] == 1) {
                    b->def[i * n + j] = b->def[j * n + i] = 1;
                    b->since[i * n + j] = b->since[j * n + i] = cy.since[ab];
                    b->cinc0[i * n + j] = cy.cinc0[ab];
                    b->cinc0[j * n + i] = cy.cinc0[ba];
                    b->poly0[i * n + j] = cy.poly0[ab];
                    b->poly0[j * n + i] = cy.poly0[ba];
                    b->deg0[i * n + j] = cy.deg0[ab];
                    b->deg0[j * n + i] = cy.deg0[ba];
                }
            }
        }
        /* this year's values become "the year before" */
        for (int c = 0; c < MAXC; c++) {
            prev_cinc[c] = prev_poly[c] = NAN;
            prev_deg[c] = 0;
        }
        for (size_t r = r0; r < r1; r++) {
            prev_cinc[c1[r]] = col[C_CINC1][r];
            prev_cinc[c2[r]] = col[C_CINC2][r];
            prev_poly[c1[r]] = col[C_POLY1][r];
            prev_poly[c2[r]] = col[C_POLY2][r];
        }
        for (int c = 0; c < MAXC; c++) {
            prev_deg[c] = deg[c];
        }
        r0 = r1;
    }
    for (int y = from; y <= to; y++) {
        if (!h->years[y - from]) {
            rc = ent_i_err(ENT_ERANGE, "pact-model history: the store has no state system for %d", y);
            goto done;
        }
    }
    *out = h;
    h = NULL;
done:
    ent_panel_free(p);
    ent_vec_destroy(&spells);
    carry_free(&cy);
    ent_free(idx);
    ent_free(prev_cinc);
    ent_free(prev_poly);
    ent_free(prev_deg);
    ent_free(deg);
    ent_free(codes);
    ent_free(impoly);
    ent_pmneutral_free(neutrals);
    ent_pmaccess_free(access);
    ent_vec_destroy(&lspells);
    ent_free(width);
    ent_pmhistory_free(h);
    return rc;
}

ent_err_t ent_pmhistory_clone(ent_sysbuf_t **out, const ent_pmhistory_t *h, int year)
{
    const ent_sysyear_t *s = ent_pmhistory_year(h, year);
    if (!s) {
        *out = NULL;
        return ent_i_err(ENT_ERANGE, "pact-model history: no system for %d (the history covers %d-%d)", year,
                         h ? h->from : 0, h ? h->to : 0);
    }
    return ent_sysyear_clone(out, s);
}

ent_err_t ent_pmhistory_forecast(double *out, const ent_pmhistory_t *h, const ent_pactmodel_t *m, const double *theta,
                                 const double *c1, const double *c2, const double *year, size_t nrows)
{
    ent_err_t rc = ENT_OK;
    double *pf = NULL;
    int16_t *idx = NULL;
    size_t *order = NULL, *start = NULL;
    int ny = h->to - h->from + 1;
    for (size_t r = 0; r < nrows; r++) {
        out[r] = NAN;
    }
    /* bucket the rows by year (counting sort) */
    if (!(start = ent_calloc((size_t)ny + 2, sizeof *start)) ||
        !(order = ent_malloc((nrows ? nrows : 1) * sizeof *order)) ||
        !(idx = ent_malloc(ENT_PM_MAX_CCODE * sizeof *idx))) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t r = 0; r < nrows; r++) {
        if (isfinite(year[r]) && year[r] >= h->from && year[r] <= h->to) {
            start[(size_t)((int)year[r] - h->from) + 1]++;
        }
    }
    for (int y = 0; y < ny; y++) {
        start[y + 1] += start[y];
    }
    {
        size_t *fill = ent_calloc((size_t)ny + 1, sizeof *fill);
        if (!fill) {
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t r = 0; r < nrows; r++) {
            if (isfinite(year[r]) && year[r] >= h->from && year[r] <= h->to) {
                size_t y = (size_t)((int)year[r] - h->from);
                order[start[y] + fill[y]++] = r;
            }
        }
        ent_free(fill);
    }
    for (int y = 0; y < ny; y++) {
        if (start[y] == start[y + 1]) {
            continue;
        }
        const ent_sysyear_t *s = &h->years[y]->sys;
        size_t n = s->n;
        ent_free(pf);
        if (!(pf = ent_malloc(n * n * sizeof *pf))) {
            rc = ent_i_nomem();
            goto done;
        }
        ENT_CHECK(ent_pactmodel_probs(m, theta, s, pf, NULL, NULL));
        memset(idx, 0xff, ENT_PM_MAX_CCODE * sizeof *idx);
        for (size_t i = 0; i < n; i++) {
            idx[s->ccode[i]] = (int16_t)i;
        }
        for (size_t k = start[y]; k < start[y + 1]; k++) {
            size_t r = order[k];
            double a = c1[r], b = c2[r];
            if (!(a > 0 && a < ENT_PM_MAX_CCODE && b > 0 && b < ENT_PM_MAX_CCODE)) {
                continue;
            }
            int i = idx[(int)a], j = idx[(int)b];
            if (i >= 0 && j >= 0 && i != j) {
                out[r] = pf[(size_t)i * n + (size_t)j];
            }
        }
    }
done:
    ent_free(pf);
    ent_free(idx);
    ent_free(order);
    ent_free(start);
    return rc;
}
