/*
 * panel.c -- the dyad-year research panel (panel.h; docs/measures.md, "The
 * dyad-year panel", documents every column).
 *
 * How it is built. Every dyadic source is read from the store once into an
 * event list bucketed by year (a counting sort, not an ORDER BY over a million
 * rows). The years are then walked in order from the first year of any
 * history the panel needs (1816) to opt->to: a year's events are written into
 * dense ccode x ccode matrices (1000 x 1000: COW codes are three-digit), the
 * year's rows read them in O(1) per cell, and the cells are cleared again from
 * the same events, so a year costs O(n^2 + its events), not O(10^6).
 * History terms are carried across the walk: the last year of a defence tie
 * per dyad, and a running count of MID onsets over the last ten years (onsets
 * of t-10 are subtracted as t's are added). "Shared" counts (common defence
 * partners, shared MID opponents, shared rivals) are popcounts of AND-ed
 * member bitsets, O(n^2 * n/64) a year instead of O(n^3).
 *
 * Coverage. Each source has the years it covers; outside them its columns are
 * missing (NaN), inside them a dyad the source does not list is 0 for sources
 * that list events (alliances, MIDs, contiguity, rivalries, major powers) and
 * missing for sources that list every dyad (trade, IGOs, distance): absence
 * there means the source has no value, not a zero.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "entente/measures.h"
#include "entente/panel.h"
#include "measures_int.h"
#include "store/store_read.h"
#include "util_int.h"

#define MAXC ENT_I_MAX_CCODE
#define KEY(a, b) ((size_t)(a)*MAXC + (size_t)(b))
#define Y0 1800 /* the first year any bucket holds */
#define NY 320  /* years Y0 .. Y0 + NY - 1 */
#define FIRST_HISTORY 1816

/* ---------------------------------------------------------------- columns */

enum {
    C_NEW_DEFENCE,
    C_ATOP_DEF,
    C_ATOP_OFF,
    C_ATOP_NEU,
    C_ATOP_NONAGG,
    C_ATOP_CONSUL,
    C_COW_DEF,
    C_COW_NEU,
    C_COW_ENT,
    C_YEARS_SINCE,
    C_EVER_DEF,
    C_COMMON_DEF,
    C_DEFDEG1,
    C_DEFDEG2,
    C_LDIST,
    C_CONTIG_LAND,
    C_CONTIG_SEA,
    C_CINC1,
    C_CINC2,
    C_CINC_RATIO,
    C_MAJOR1,
    C_MAJOR2,
    C_POLY1,
    C_POLY2,
    C_POLITY1,
    C_POLITY2,
    C_JOINT_DEM,
    C_DEMOC_MISSING,
    C_MID_ONSET,
    C_MID_ONGOING,
    C_MIDS_10Y,
    C_SHARED_MID_OPP,
    C_RIVALRY,
    C_SHARED_RIVALS,
    C_TRADE_FLOW,
    C_TRADE_SHARE1,
    C_TRADE_SHARE2,
    C_JOINT_IGO,
    C_IDEAL_DIST,
    C_VOTE_AGREE,
    C_VOTE_N,
    C_VOTE_FEW,
    C_S,
    C_SW,
    C_KAPPA,
    C_PI,
    C_TAUB,
    /* beyond the contract with the backtest: more columns may follow */
    C_COW_NONAGG,
    C_CONTTYPE,
    C_CAPDIST,
    C_UDS1,
    C_UDS2,
    C_TRADE_IMPORTS1,
    C_TRADE_IMPORTS2,
    NCOLS
};

static const char *const colnames[NCOLS] = {
    "new_defence",
    "atop_defense",
    "atop_offense",
    "atop_neutrality",
    "atop_nonagg",
    "atop_consul",
    "cow_defense",
    "cow_neutrality",
    "cow_entente",
    "years_since_defence",
    "ever_defence",
    "common_defence_partners",
    "defdeg1",
    "defdeg2",
    "ldist",
    "contig_land",
    "contig_sea",
    "cinc1",
    "cinc2",
    "cinc_ratio",
    "major1",
    "major2",
    "polyarchy1",
    "polyarchy2",
    "polity2_1",
    "polity2_2",
    "joint_democracy",
    "democ_missing",
    "mid_onset",
    "mid_ongoing",
    "mids_10y",
    "shared_mid_opponents",
    "rivalry",
    "shared_rivals",
    "trade_flow",
    "trade_share1",
    "trade_share2",
    "joint_igo",
    "idealpoint_dist",
    "vote_agree",
    "vote_n",
    "vote_few",
    "s_unweighted",
    "s_weighted",
    "kappa",
    "pi",
    "taub",
    "cow_nonagg",
    "conttype",
    "capdist",
    "uds1",
    "uds2",
    "trade_imports1",
    "trade_imports2",
};

ent_panel_kind_t ent_panel_column_kind(const char *name)
{
    static const int binary[] = {C_NEW_DEFENCE, C_ATOP_DEF, C_ATOP_OFF, C_ATOP_NEU,   C_ATOP_NONAGG,   C_ATOP_CONSUL,
                                 C_COW_DEF,     C_COW_NEU,  C_COW_ENT,  C_COW_NONAGG, C_EVER_DEF,      C_CONTIG_LAND,
                                 C_CONTIG_SEA,  C_MAJOR1,   C_MAJOR2,   C_JOINT_DEM,  C_DEMOC_MISSING, C_MID_ONSET,
                                 C_MID_ONGOING, C_RIVALRY,  C_VOTE_FEW},
                     count[] = {C_YEARS_SINCE,   C_COMMON_DEF, C_DEFDEG1, C_DEFDEG2,  C_MIDS_10Y, C_SHARED_MID_OPP,
                                C_SHARED_RIVALS, C_JOINT_IGO,  C_VOTE_N,  C_CONTTYPE, C_POLITY1,  C_POLITY2};
    int id = -1;
    for (int k = 0; k < NCOLS; k++) {
        if (strcmp(colnames[k], name) == 0) {
            id = k;
        }
    }
    for (size_t k = 0; k < sizeof binary / sizeof binary[0]; k++) {
        if (binary[k] == id) {
            return ENT_PANEL_BINARY;
        }
    }
    for (size_t k = 0; k < sizeof count / sizeof count[0]; k++) {
        if (count[k] == id) {
            return ENT_PANEL_INTEGER;
        }
    }
    return ENT_PANEL_REAL;
}

const char *const *ent_panel_columns(size_t *n)
{
    *n = NCOLS;
    return colnames;
}

struct ent_panel {
    size_t n, cap;
    int32_t *c1, *c2, *year;
    double *col[NCOLS]; /* NULL when not selected; pointers into block */
    void *block;        /* every selected column, one allocation */
    size_t nsel;
    int sel[NCOLS]; /* selected column ids in output order */
    char *notes[16];
    size_t nnotes;
};

void ent_panel_free(ent_panel_t *p)
{
    if (!p) {
        return;
    }
    ent_free(p->c1);
    ent_free(p->c2);
    ent_free(p->year);
    ent_free(p->block);
    for (size_t k = 0; k < p->nnotes; k++) {
        ent_free(p->notes[k]);
    }
    ent_free(p);
}

size_t ent_panel_nrows(const ent_panel_t *p)
{
    return p->n;
}
const int32_t *ent_panel_ccode1(const ent_panel_t *p)
{
    return p->c1;
}
const int32_t *ent_panel_ccode2(const ent_panel_t *p)
{
    return p->c2;
}
const int32_t *ent_panel_year(const ent_panel_t *p)
{
    return p->year;
}
size_t ent_panel_ncolumns(const ent_panel_t *p)
{
    return p->nsel;
}
const char *ent_panel_column_name(const ent_panel_t *p, size_t k)
{
    return k < p->nsel ? colnames[p->sel[k]] : NULL;
}
const double *ent_panel_column_at(const ent_panel_t *p, size_t k)
{
    return k < p->nsel ? p->col[p->sel[k]] : NULL;
}
size_t ent_panel_nnotes(const ent_panel_t *p)
{
    return p->nnotes;
}
const char *ent_panel_note(const ent_panel_t *p, size_t k)
{
    return k < p->nnotes ? p->notes[k] : NULL;
}

const double *ent_panel_column(const ent_panel_t *p, const char *name)
{
    for (int k = 0; k < NCOLS; k++) {
        if (strcmp(colnames[k], name) == 0) {
            return p->col[k];
        }
    }
    return NULL;
}

static ent_err_t add_note(ent_panel_t *p, const char *msg)
{
    if (p->nnotes >= sizeof p->notes / sizeof p->notes[0]) {
        return ENT_OK;
    }
    if (!(p->notes[p->nnotes] = ent_strdup(msg))) {
        return ent_i_nomem();
    }
    p->nnotes++;
    return ENT_OK;
}

/* ---------------------------------------------------------------- events */

/* One row of a dyadic source: the two codes, the year, up to two values (24 bytes: a million-row
 * source is read and bucketed in one pass over compact memory). */
typedef struct {
    int16_t a, b, year;
    double v[2];
} event_t;

/* A source's rows bucketed by year: rows of year y are ev[off[y - Y0] .. off[y - Y0 + 1]). */
typedef struct {
    event_t *ev;
    size_t n;
    size_t off[NY + 1];
    int first, last; /* years covered (0 when empty) */
} events_t;

static void events_destroy(events_t *e)
{
    ent_free(e->ev);
}

static inline const event_t *ev_begin(const events_t *e, int y)
{
    return (y < Y0 || y >= Y0 + NY) ? e->ev : e->ev + e->off[y - Y0];
}
static inline const event_t *ev_end(const events_t *e, int y)
{
    return (y < Y0 || y >= Y0 + NY) ? e->ev : e->ev + e->off[y - Y0 + 1];
}

typedef struct {
    event_t *v;
    size_t n, cap;
    size_t cnt[NY];
    int nv;
    int64_t bmax;
} events_ctx_t;

static ent_err_t push_event(void *ctx, const double *col)
{
    events_ctx_t *c = ctx;
    if (isnan(col[0]) || isnan(col[1]) || isnan(col[2])) {
        return ENT_OK;
    }
    int64_t a = (int64_t)col[0], b = (int64_t)col[1], y = (int64_t)col[2];
    if (a < 0 || a >= MAXC || b < 0 || b >= c->bmax || y < Y0 || y >= Y0 + NY) {
        return ENT_OK;
    }
    if (c->n == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 4096;
        event_t *grown = ent_realloc(c->v, nc * sizeof *c->v);
        if (!grown) {
            return ent_i_nomem();
        }
        c->v = grown;
        c->cap = nc;
    }
    event_t *x = &c->v[c->n++];
    x->a = (int16_t)a;
    x->b = (int16_t)b;
    x->year = (int16_t)y;
    for (int k = 0; k < c->nv; k++) {
        x->v[k] = col[3 + k];
    }
    c->cnt[y - Y0]++;
    return ENT_OK;
}

/*
 * Reads the store's source `src` (columns: a, b, year, then nv values; NULL
 * values are NaN) into e, bucketed by year; b is a COW code (bmax MAXC) or an
 * index. Rows with codes or years out of range are impossible after the
 * importers' checks and are skipped defensively.
 */
static ent_err_t events_load(events_t *e, ent_store_t *st, ent_i_rows_t src, const char *text, int nv, int64_t bmax)
{
    events_ctx_t *c = ent_calloc(1, sizeof *c); /* cnt[] is too big for the stack of an OpenMP thread */
    ent_err_t rc;
    memset(e, 0, sizeof *e);
    if (!c) {
        return ent_i_nomem();
    }
    c->nv = nv;
    c->bmax = bmax;
    ENT_CHECK(ent_i_store_rows(st, src, text, 0, 9999, push_event, c));
    size_t n = c->n;
    e->n = n;
    if (!(e->ev = ent_malloc((n ? n : 1) * sizeof *e->ev))) {
        rc = ent_i_nomem();
        goto done;
    }
    e->off[0] = 0;
    for (int y = 0; y < NY; y++) {
        e->off[y + 1] = e->off[y] + c->cnt[y];
        if (c->cnt[y]) {
            if (!e->first) {
                e->first = Y0 + y;
            }
            e->last = Y0 + y;
        }
    }
    {
        size_t pos[NY];
        memcpy(pos, e->off, sizeof pos);
        for (size_t i = 0; i < n; i++) {
            e->ev[pos[c->v[i].year - Y0]++] = c->v[i];
        }
    }
    rc = ENT_OK;
done:
    ent_free(c->v);
    ent_free(c);
    return rc;
}

/* A spell of a dyad or a state: active in year y when first <= y <= last. */
typedef struct {
    int16_t a, b, type;
    int first, last;
} spell_t;

static ent_err_t push_spell(void *ctx, const double *col)
{
    if (isnan(col[0]) || isnan(col[1]) || isnan(col[3])) {
        return ENT_OK;
    }
    int64_t a = (int64_t)col[0], b = (int64_t)col[1];
    if (a < 0 || a >= MAXC || b < 0 || b >= MAXC) {
        return ENT_OK;
    }
    spell_t x;
    x.a = (int16_t)a;
    x.b = (int16_t)b;
    x.type = (int16_t)(isnan(col[2]) ? 0 : col[2]);
    x.first = (int)col[3];
    x.last = isnan(col[4]) ? 9999 : (int)col[4];
    return ent_vec_push(ctx, &x);
}

static ent_err_t spells_load(ent_vec_t *out, ent_store_t *st, ent_i_rows_t src)
{
    return ent_i_store_rows(st, src, NULL, 0, 9999, push_spell, out);
}

typedef struct {
    double *v;
    int *first, *last;
} state_years_ctx_t;

static ent_err_t put_state_year(void *ctx, const double *col)
{
    state_years_ctx_t *c = ctx;
    if (isnan(col[0]) || isnan(col[1])) {
        return ENT_OK;
    }
    int64_t code = (int64_t)col[0], y = (int64_t)col[1];
    if (code < 0 || code >= MAXC || y < Y0 || y >= Y0 + NY) {
        return ENT_OK;
    }
    if (!isnan(col[2])) {
        c->v[(size_t)(y - Y0) * MAXC + (size_t)code] = col[2];
    }
    if (!*c->first || y < *c->first) {
        *c->first = (int)y;
    }
    if (y > *c->last) {
        *c->last = (int)y;
    }
    return ENT_OK;
}

/* State-year values: val[(y - Y0) * MAXC + c], NaN when absent. */
static ent_err_t state_years_load(double **out, int *first, int *last, ent_store_t *st, ent_i_rows_t src)
{
    double *v = ent_malloc((size_t)NY * MAXC * sizeof *v);
    *first = *last = 0;
    *out = NULL;
    if (!v) {
        return ent_i_nomem();
    }
    for (size_t i = 0; i < (size_t)NY * MAXC; i++) {
        v[i] = NAN;
    }
    state_years_ctx_t c = {v, first, last};
    ent_err_t rc = ent_i_store_rows(st, src, NULL, 0, 9999, put_state_year, &c);
    if (rc != ENT_OK) {
        ent_free(v);
        return rc;
    }
    *out = v;
    return ENT_OK;
}

static inline double sy(const double *v, int y, int c)
{
    return (y < Y0 || y >= Y0 + NY) ? NAN : v[(size_t)(y - Y0) * MAXC + (size_t)c];
}

/* ---------------------------------------------------------------- UN votes */

/* Votes bucketed by calendar year of the roll call: (roll call index within the year, ccode, vote 1..3). */
typedef struct {
    events_t ev; /* a = ccode, b = roll-call index in its year, v[0] = vote */
    int nrc[NY]; /* roll calls per year */
} votes_t;

static ent_err_t votes_load(votes_t *vt, ent_store_t *st)
{
    /* Calendar year of the roll call (its date; a missing date: the session's opening year); the roll
     * call's index within its year is its rank among the year's rcids (the store's UN_VOTES_RANKED). */
    ent_err_t rc = events_load(&vt->ev, st, ENT_I_ROWS_UN_VOTES_RANKED, NULL, 1, INT16_MAX);
    if (rc != ENT_OK) {
        return rc;
    }
    memset(vt->nrc, 0, sizeof vt->nrc);
    for (size_t i = 0; i < vt->ev.n; i++) {
        const event_t *e = &vt->ev.ev[i];
        if (e->b + 1 > vt->nrc[e->year - Y0]) {
            vt->nrc[e->year - Y0] = e->b + 1;
        }
    }
    return ENT_OK;
}

/* ---------------------------------------------------------------- the build */

typedef struct {
    events_t atop, cow, mid, onsets, igo_ev, trade, cap_ev, falsed;
    votes_t votes;
    ent_vec_t contig, rival, major; /* spell_t */
    double *poly, *polity, *uds, *timp, *texp, *ideal;
    int poly_first, poly_last, polity_first, polity_last, uds_first, uds_last, trs_first, trs_last, trs2_first,
        trs2_last, ideal_first, ideal_last;
    int contig_last, rival_last, major_last;
    /* dense per-year matrices */
    uint8_t *A, *Anext, *C, *M, *F, *K, *R;
    int16_t *lastdef;
    uint16_t *midcnt;
    double *igo, *flow, *cap;
} src_t;

static void src_destroy(src_t *s)
{
    events_destroy(&s->atop);
    events_destroy(&s->cow);
    events_destroy(&s->mid);
    events_destroy(&s->onsets);
    events_destroy(&s->igo_ev);
    events_destroy(&s->trade);
    events_destroy(&s->cap_ev);
    events_destroy(&s->falsed);
    events_destroy(&s->votes.ev);
    ent_vec_destroy(&s->contig);
    ent_vec_destroy(&s->rival);
    ent_vec_destroy(&s->major);
    ent_free(s->poly);
    ent_free(s->polity);
    ent_free(s->uds);
    ent_free(s->timp);
    ent_free(s->texp);
    ent_free(s->ideal);
    ent_free(s->A);
    ent_free(s->Anext);
    ent_free(s->C);
    ent_free(s->M);
    ent_free(s->F);
    ent_free(s->K);
    ent_free(s->R);
    ent_free(s->lastdef);
    ent_free(s->midcnt);
    ent_free(s->igo);
    ent_free(s->flow);
    ent_free(s->cap);
}

/* ATOP/COW obligation bits (directed: a towards b). */
enum { OB_DEF = 1, OB_OFF = 2, OB_NEU = 4, OB_NONAGG = 8, OB_CONSUL = 16, OB_ENT = 32 };
/* MID flags (symmetric) */
enum { MID_ONSET = 1, MID_ONGOING = 2, MID_COUNTED = 4 };

/* v[0] holds the obligations as OB_* bits, packed by the query (its sums must match the enum). */
static void put_alliances(uint8_t *A, const events_t *e, int y)
{
    for (const event_t *x = ev_begin(e, y); x < ev_end(e, y); x++) {
        A[KEY(x->a, x->b)] |= (uint8_t)x->v[0];
    }
}

static void clear_pairs(uint8_t *A, const events_t *e, int y)
{
    for (const event_t *x = ev_begin(e, y); x < ev_end(e, y); x++) {
        A[KEY(x->a, x->b)] = 0;
        A[KEY(x->b, x->a)] = 0;
    }
}

/* Adds year y's MID onsets to the ten-year count (sign +1) or removes them (-1). */
static void count_onsets(src_t *s, int y, int sign)
{
    for (const event_t *x = ev_begin(&s->onsets, y); x < ev_end(&s->onsets, y); x++) {
        s->midcnt[KEY(x->a, x->b)] = (uint16_t)(s->midcnt[KEY(x->a, x->b)] + sign);
    }
}

typedef uint64_t bits_t[4]; /* up to 256 members a year */

static inline int and_count(const uint64_t *x, const uint64_t *y, size_t w)
{
    int c = 0;
    for (size_t k = 0; k < w; k++) {
        c += __builtin_popcountll(x[k] & y[k]);
    }
    return c;
}

static ent_err_t load_sources(src_t *s, ent_panel_t *p, ent_store_t *st, const char *mid_dataset)
{
    ent_err_t rc;
    /* obligations as ENT_OBL_* bits, which are the OB_* bits above */
    ENT_CHECK(events_load(&s->atop, st, ENT_I_ROWS_ALLIANCE_DYADS, "atop", 1, MAXC));
    if (s->atop.n == 0) {
        rc = ent_i_err(ENT_ENOTFOUND, "the store has no ATOP dyad-years: the panel's alliances and outcome need "
                                      "them: entente import atop-dyad-year atop5_1_directed_dyad_year.csv");
        goto done;
    }
    ENT_CHECK(events_load(&s->cow, st, ENT_I_ROWS_ALLIANCE_DYADS, "cow", 1, MAXC));
    ENT_CHECK(events_load(&s->mid, st, ENT_I_ROWS_MID_DYADS, mid_dataset, 2, MAXC));
    /* Onsets once per dyad-year (the source lists most dyad-years in both orders, maybe not all). */
    ENT_CHECK(events_load(&s->onsets, st, ENT_I_ROWS_MID_ONSETS, mid_dataset, 0, MAXC));
    ENT_CHECK(events_load(&s->igo_ev, st, ENT_I_ROWS_IGO_DYADS, NULL, 1, MAXC));
    ENT_CHECK(events_load(&s->trade, st, ENT_I_ROWS_TRADE_DYADS, NULL, 2, MAXC));
    ENT_CHECK(events_load(&s->cap_ev, st, ENT_I_ROWS_CAPITAL_DISTANCE, NULL, 1, MAXC));
    ENT_CHECK(events_load(&s->falsed, st, ENT_I_ROWS_FALSE_DYADS, NULL, 0, MAXC));
    ENT_CHECK(votes_load(&s->votes, st));
    ENT_CHECK(spells_load(&s->contig, st, ENT_I_ROWS_CONTIGUITY));
    ENT_CHECK(spells_load(&s->rival, st, ENT_I_ROWS_TSS_RIVALRIES));
    ENT_CHECK(spells_load(&s->major, st, ENT_I_ROWS_MAJOR_POWERS));
    ENT_CHECK(state_years_load(&s->poly, &s->poly_first, &s->poly_last, st, ENT_I_ROWS_POLYARCHY));
    ENT_CHECK(state_years_load(&s->polity, &s->polity_first, &s->polity_last, st, ENT_I_ROWS_POLITY2));
    ENT_CHECK(state_years_load(&s->uds, &s->uds_first, &s->uds_last, st, ENT_I_ROWS_UDS));
    ENT_CHECK(state_years_load(&s->timp, &s->trs_first, &s->trs_last, st, ENT_I_ROWS_TRADE_IMPORTS));
    ENT_CHECK(state_years_load(&s->texp, &s->trs2_first, &s->trs2_last, st, ENT_I_ROWS_TRADE_EXPORTS));
    ENT_CHECK(state_years_load(&s->ideal, &s->ideal_first, &s->ideal_last, st, ENT_I_ROWS_IDEAL_YEARS));
    s->contig_last = s->rival_last = s->major_last = 0;
    for (size_t i = 0; i < s->contig.len; i++) {
        int l = ENT_VEC_AT(&s->contig, spell_t, i).last;
        s->contig_last = l > s->contig_last ? l : s->contig_last;
    }
    for (size_t i = 0; i < s->major.len; i++) {
        int l = ENT_VEC_AT(&s->major, spell_t, i).last;
        s->major_last = l > s->major_last ? l : s->major_last;
    }
    if (s->rival.len) {
        /* The rivalry list is current to its release: open rivalries run on, so it covers to now. */
        s->rival_last = 9999;
        int64_t last;
        ENT_CHECK(ent_i_store_import_last_year(&last, st, "tss-rivalries"));
        if (last > 0) {
            s->rival_last = (int)last;
        }
    }

    /* What is missing: a note each, so no column is empty without a reason given. */
    struct {
        bool absent;
        const char *msg;
    } notes[] = {
        {s->cow.n == 0, "no COW alliance dyad-years in the store: cow_* empty (entente import cow-alliance)"},
        {s->mid.n == 0, "no MID dyad-years of the chosen dataset in the store: mid_* empty (entente import "
                        "cow-mid-dyad or gml-mid-dyad)"},
        {s->igo_ev.n == 0, "no IGO dyad-years in the store: joint_igo empty (entente import cow-igo-dyad)"},
        {s->trade.n == 0, "no dyadic trade in the store: trade_* empty (entente import cow-trade-dyad)"},
        {s->trs_last == 0, "no national trade totals in the store: trade_share* empty (entente import "
                           "cow-trade-state)"},
        {s->cap_ev.n == 0, "no capital distances in the store: ldist empty (entente import capital-distance)"},
        {s->falsed.n == 0, "no false-dyad list in the store: dyads that never coexisted on one day are kept "
                           "(entente import false-dyads)"},
        {s->votes.ev.n == 0, "no UN votes in the store: vote_* empty (entente import un-votes)"},
        {s->ideal_last == 0, "no UN ideal points in the store: idealpoint_dist empty (entente import unga-ideal)"},
        {s->contig.len == 0, "no contiguity in the store: contig_* empty (entente import cow-contdir)"},
        {s->rival.len == 0, "no rivalries in the store: rivalry, shared_rivals empty (entente import "
                            "tss-rivalries)"},
        {s->major.len == 0, "no major-power list in the store: major* empty (entente import cow-majors)"},
        {s->polity_last == 0 && s->poly_last == 0,
         "no democracy scores in the store: regime columns empty (entente import democracy)"},
    };
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        if (notes[i].absent) {
            ENT_CHECK(add_note(p, notes[i].msg));
        }
    }

    const size_t cells = (size_t)MAXC * MAXC;
    if (!(s->A = ent_calloc(cells, 1)) || !(s->Anext = ent_calloc(cells, 1)) || !(s->C = ent_calloc(cells, 1)) ||
        !(s->M = ent_calloc(cells, 1)) || !(s->F = ent_calloc(cells, 1)) || !(s->K = ent_calloc(cells, 1)) ||
        !(s->R = ent_calloc(cells, 1)) || !(s->lastdef = ent_calloc(cells, sizeof *s->lastdef)) ||
        !(s->midcnt = ent_calloc(cells, sizeof *s->midcnt)) || !(s->igo = ent_malloc(cells * sizeof(double))) ||
        !(s->flow = ent_malloc(cells * sizeof(double))) || !(s->cap = ent_malloc(cells * sizeof(double)))) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t i = 0; i < cells; i++) {
        s->igo[i] = s->flow[i] = s->cap[i] = NAN;
    }
    rc = ENT_OK;
done:
    return rc;
}

static inline bool spell_on(const spell_t *x, int y)
{
    return x->first <= y && y <= x->last;
}

static ent_err_t parse_columns(ent_panel_t *p, const ent_panel_options_t *o)
{
    bool want[NCOLS] = {false};
    if (!o->columns) {
        for (int k = 0; k < NCOLS; k++) {
            want[k] = true;
        }
    } else {
        for (size_t i = 0; i < o->ncolumns; i++) {
            int found = -1;
            for (int k = 0; k < NCOLS; k++) {
                if (strcmp(colnames[k], o->columns[i]) == 0) {
                    found = k;
                }
            }
            if (found < 0) {
                return ent_i_err(ENT_EINVAL, "unknown panel column '%s' (see `entente dyads --help` for the list)",
                                 o->columns[i]);
            }
            if (want[found]) {
                return ent_i_err(ENT_EINVAL, "panel column '%s' given twice", o->columns[i]);
            }
            want[found] = true;
            p->sel[p->nsel++] = found;
        }
        return ENT_OK;
    }
    for (int k = 0; k < NCOLS; k++) {
        p->sel[p->nsel++] = k;
    }
    return ENT_OK;
}

ent_err_t ent_panel_build(ent_panel_t **out, ent_store_t *db, const ent_panel_options_t *opt)
{
    ent_err_t rc;
    *out = NULL;
    if (!opt || opt->from < FIRST_HISTORY || opt->to < opt->from) {
        return ent_i_err(ENT_EINVAL, "panel years: need 1816 <= from <= to (got %d-%d)", opt ? opt->from : 0,
                         opt ? opt->to : 0);
    }
    const char *mid_dataset = opt->mid_dataset ? opt->mid_dataset : "cow";
    if (strcmp(mid_dataset, "cow") != 0 && strcmp(mid_dataset, "gml") != 0) {
        return ent_i_err(ENT_EINVAL, "MID dataset is cow or gml, got '%s'", mid_dataset);
    }
    ent_panel_t *p = ent_calloc(1, sizeof *p);
    src_t *s = ent_calloc(1, sizeof *s);
    ent_portfolios_t *pf = NULL;
    ent_vec_t dy = ENT_VEC_INIT(ent_dyad_year_t);
    double *vagree = NULL;
    int *vn = NULL;
    int8_t *vm = NULL;
    size_t *simoff = NULL;
    if (!p || !s) {
        ent_free(p);
        ent_free(s);
        return ent_i_nomem();
    }
    ent_vec_init(&s->contig, sizeof(spell_t));
    ent_vec_init(&s->rival, sizeof(spell_t));
    ent_vec_init(&s->major, sizeof(spell_t));
    ENT_CHECK(parse_columns(p, opt));
    /* The similarity scores and CINC come with the ATOP portfolios, which also fix the system's
     * members each year (the same membership rule as `entente similarity`). */
    ENT_CHECK(ent_portfolios_load(&pf, db, ENT_SIM_SOURCE_ATOP, opt->from, opt->to));
    ENT_CHECK(load_sources(s, p, db, mid_dataset));

    /* capacity: every pair of members each year (false dyads only remove rows) */
    size_t cap = 0;
    for (int y = opt->from; y <= opt->to; y++) {
        size_t n = ent_portfolios_nstates(pf, y);
        cap += opt->directed ? n * (n - 1) : n * (n - 1) / 2;
    }
    p->cap = cap ? cap : 1;
    if (!(p->c1 = ent_malloc(p->cap * sizeof(int32_t))) || !(p->c2 = ent_malloc(p->cap * sizeof(int32_t))) ||
        !(p->year = ent_malloc(p->cap * sizeof(int32_t)))) {
        rc = ent_i_nomem();
        goto done;
    }
    {
        /* One block for all columns, 2 MiB-aligned and advised as huge pages: the full directed
         * panel touches ~900 MB once, and 4 KiB pages made first-touch faults a third of its time. */
        const size_t huge = (size_t)2 << 20, per = (p->cap * sizeof(double) + 63) & ~(size_t)63;
        const size_t bytes = per * (p->nsel ? p->nsel : 1);
        if (!(p->block = ent_malloc(bytes + huge))) {
            rc = ent_i_nomem();
            goto done;
        }
        char *base = (char *)(((uintptr_t)p->block + huge - 1) & ~(uintptr_t)(huge - 1));
#ifdef MADV_HUGEPAGE
        madvise(base, bytes & ~(huge - 1), MADV_HUGEPAGE); /* advice only: failure is harmless */
#endif
        for (size_t k = 0; k < p->nsel; k++) {
            p->col[p->sel[k]] = (double *)(base + k * per);
        }
    }

    /* Every year's similarity scores (and CINCs, and the members) first: back-to-back parallel
     * regions keep the OpenMP team busy instead of spinning between the sequential years below. */
    if (!(simoff = ent_calloc((size_t)(opt->to - opt->from) + 2, sizeof *simoff))) {
        rc = ent_i_nomem();
        goto done;
    }
    for (int y = opt->from; y <= opt->to; y++) {
        if (opt->cancel && *opt->cancel) { /* a second of work over the post-war years: checked yearly */
            rc = ent_i_err(ENT_EINTERRUPTED, "building the panel: interrupted");
            goto done;
        }
        simoff[y - opt->from] = dy.len;
        ENT_CHECK(ent_measure_similarity_year(&dy, pf, y, false, NULL));
    }
    const int atop_last = s->atop.last;
    /* ATOP begins in 1815: its first year counts for the history terms of 1816 on */
    const int y_hist = s->atop.first < FIRST_HISTORY ? s->atop.first : FIRST_HISTORY;
    put_alliances(s->Anext, &s->atop, y_hist);
    for (int y = y_hist; y <= opt->to; y++) {
        if (opt->cancel && *opt->cancel) {
            rc = ent_i_err(ENT_EINTERRUPTED, "building the panel: interrupted");
            goto done;
        }
        /* ATOP: this year's matrix is last year's "next"; load the next year */
        uint8_t *t = s->A;
        s->A = s->Anext;
        s->Anext = t;
        clear_pairs(s->Anext, &s->atop, y - 1);
        put_alliances(s->Anext, &s->atop, y + 1);
        for (const event_t *x = ev_begin(&s->atop, y); x < ev_end(&s->atop, y); x++) {
            if ((int)x->v[0] & OB_DEF) {
                s->lastdef[KEY(x->a, x->b)] = (int16_t)y;
                s->lastdef[KEY(x->b, x->a)] = (int16_t)y;
            }
        }
        /* MIDs: flags of the year; the ten-year onset count */
        for (const event_t *x = ev_begin(&s->mid, y); x < ev_end(&s->mid, y); x++) {
            uint8_t f = (uint8_t)((x->v[0] > 0 ? MID_ONSET : 0) | (x->v[1] > 0 ? MID_ONGOING : 0));
            s->M[KEY(x->a, x->b)] |= f;
            s->M[KEY(x->b, x->a)] |= f;
        }
        count_onsets(s, y, +1);
        count_onsets(s, y - 10, -1);
        if (y < opt->from) {
            clear_pairs(s->M, &s->mid, y);
            continue;
        }

        /* ---- the year's members and rows */
        size_t n = ent_portfolios_nstates(pf, y);
        if (n < 2) {
            clear_pairs(s->M, &s->mid, y);
            continue;
        }
        const ent_dyad_year_t *drow = (const ent_dyad_year_t *)dy.data + simoff[y - opt->from];
        int32_t mem[256 + 1];
        if (n > 256) {
            rc = ent_i_err(ENT_ELIMIT, "year %d has %zu states; the panel handles at most 256", y, n);
            goto done;
        }
        mem[0] = drow[0].ccode1;
        for (size_t k = 1; k < n; k++) {
            mem[k] = drow[k - 1].ccode2;
        }
        /* the year's other dyadic sources into their matrices */
        put_alliances(s->C, &s->cow, y);
        for (const event_t *x = ev_begin(&s->igo_ev, y); x < ev_end(&s->igo_ev, y); x++) {
            s->igo[KEY(x->a, x->b)] = s->igo[KEY(x->b, x->a)] = x->v[0];
        }
        for (const event_t *x = ev_begin(&s->trade, y); x < ev_end(&s->trade, y); x++) {
            s->flow[KEY(x->a, x->b)] = x->v[0]; /* imports of a from b */
            s->flow[KEY(x->b, x->a)] = x->v[1];
        }
        for (const event_t *x = ev_begin(&s->cap_ev, y); x < ev_end(&s->cap_ev, y); x++) {
            s->cap[KEY(x->a, x->b)] = s->cap[KEY(x->b, x->a)] = x->v[0];
        }
        for (const event_t *x = ev_begin(&s->falsed, y); x < ev_end(&s->falsed, y); x++) {
            s->F[KEY(x->a, x->b)] = s->F[KEY(x->b, x->a)] = 1;
        }
        for (size_t i = 0; i < s->contig.len; i++) {
            const spell_t *x = &ENT_VEC_AT(&s->contig, spell_t, i);
            if (spell_on(x, y) && x->type > 0) {
                /* the closest contiguity of the year (peacesciencer: the minimum type) */
                uint8_t *c = &s->K[KEY(x->a, x->b)], *d = &s->K[KEY(x->b, x->a)];
                if (!*c || x->type < *c) {
                    *c = *d = (uint8_t)x->type;
                }
            }
        }
        for (size_t i = 0; i < s->rival.len; i++) {
            const spell_t *x = &ENT_VEC_AT(&s->rival, spell_t, i);
            if (spell_on(x, y)) {
                s->R[KEY(x->a, x->b)] = s->R[KEY(x->b, x->a)] = 1;
            }
        }
        /* per member: major status, defence degree and partner/opponent/rival bitsets */
        bool major[256];
        int defdeg[256];
        bits_t defp[256], midp[256], rivp[256];
        const size_t words = (n + 63) / 64;
        for (size_t i = 0; i < n; i++) {
            major[i] = false;
            for (size_t k = 0; k < s->major.len; k++) {
                const spell_t *x = &ENT_VEC_AT(&s->major, spell_t, k);
                major[i] = major[i] || (x->a == mem[i] && spell_on(x, y));
            }
            memset(defp[i], 0, sizeof defp[i]);
            memset(midp[i], 0, sizeof midp[i]);
            memset(rivp[i], 0, sizeof rivp[i]);
            defdeg[i] = 0;
            for (size_t j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                if ((s->A[KEY(mem[i], mem[j])] | s->A[KEY(mem[j], mem[i])]) & OB_DEF) {
                    defp[i][j / 64] |= 1ull << (j % 64);
                    defdeg[i]++;
                }
                if (s->M[KEY(mem[i], mem[j])] & MID_ONGOING) {
                    midp[i][j / 64] |= 1ull << (j % 64);
                }
                if (s->R[KEY(mem[i], mem[j])]) {
                    rivp[i][j / 64] |= 1ull << (j % 64);
                }
            }
        }
        /* UN votes of the year: members x roll calls, then each pair's count and agreement */
        const int nrc = (y >= Y0 && y < Y0 + NY) ? s->votes.nrc[y - Y0] : 0;
        const bool votes_cover = nrc > 0;
        int pos[MAXC];
        for (size_t i = 0; i < n; i++) {
            pos[mem[i]] = (int)i;
        }
        if (votes_cover) {
            ent_free(vm);
            ent_free(vagree);
            ent_free(vn);
            vm = ent_calloc(n * (size_t)nrc, 1);
            vagree = ent_malloc(n * n * sizeof *vagree);
            vn = ent_malloc(n * n * sizeof *vn);
            if (!vm || !vagree || !vn) {
                rc = ent_i_nomem();
                goto done;
            }
            unsigned char ismem[MAXC] = {0};
            for (size_t i = 0; i < n; i++) {
                ismem[mem[i]] = 1;
            }
            for (const event_t *x = ev_begin(&s->votes.ev, y); x < ev_end(&s->votes.ev, y); x++) {
                if (ismem[x->a]) {
                    vm[(size_t)pos[x->a] * (size_t)nrc + (size_t)x->b] = (int8_t)x->v[0];
                }
            }
            for (size_t i = 0; i < n; i++) {
                for (size_t j = i + 1; j < n; j++) {
                    const int8_t *a = vm + i * (size_t)nrc, *b = vm + j * (size_t)nrc;
                    int cnt = 0;
                    double ag = 0;
                    for (int k = 0; k < nrc; k++) {
                        if (a[k] && b[k]) {
                            cnt++;
                            /* 1 the same vote, 1/2 when one abstains, 0 yes against no */
                            ag += a[k] == b[k] ? 1.0 : (a[k] == 2 || b[k] == 2) ? 0.5 : 0.0;
                        }
                    }
                    vn[i * n + j] = vn[j * n + i] = cnt;
                    vagree[i * n + j] = vagree[j * n + i] = cnt ? ag / cnt : NAN;
                }
            }
        }

        /* ---- the rows */
        const bool atop_next = y + 1 <= atop_last;
        const bool cow_cover = s->cow.n && y >= s->cow.first && y <= s->cow.last;
        const bool mid_cover = s->mid.n && y >= s->mid.first && y <= s->mid.last;
        const bool contig_cover = s->contig.len && y <= s->contig_last;
        const bool major_cover = s->major.len && y <= s->major_last;
        const bool rival_cover = s->rival.len && y <= s->rival_last;
        for (size_t i = 0; i < n; i++) {
            for (size_t j = opt->directed ? 0 : i + 1; j < n; j++) {
                if (i == j) {
                    continue;
                }
                const int a = mem[i], b = mem[j];
                if (s->F[KEY(a, b)]) {
                    continue;
                }
                const size_t lo = i < j ? i : j, hi = i < j ? j : i;
                const ent_dyad_year_t *d = &drow[lo * n - lo * (lo + 1) / 2 + (hi - lo - 1)];
                const size_t r = p->n++;
                p->c1[r] = a;
                p->c2[r] = b;
                p->year[r] = y;
                const uint8_t ab = s->A[KEY(a, b)], ba = s->A[KEY(b, a)];
                /* undirected: an obligation of either towards the other; directed: a's towards b */
                const uint8_t ob = opt->directed ? ab : (uint8_t)(ab | ba);
                const bool def_now = (ab | ba) & OB_DEF;
                const bool def_next = (s->Anext[KEY(a, b)] | s->Anext[KEY(b, a)]) & OB_DEF;
                const uint8_t cb = opt->directed ? s->C[KEY(a, b)] : (uint8_t)(s->C[KEY(a, b)] | s->C[KEY(b, a)]);
                const int last = s->lastdef[KEY(a, b)];
                const double c1 = a == d->ccode1 ? d->cinc1 : d->cinc2, c2 = a == d->ccode1 ? d->cinc2 : d->cinc1;
                const double p1 = sy(s->polity, y, a), p2 = sy(s->polity, y, b);
                const uint8_t mf = s->M[KEY(a, b)];
                const int ktype = s->K[KEY(a, b)];
                const double f_ab = s->flow[KEY(a, b)], f_ba = s->flow[KEY(b, a)];
                const double flow = f_ab + f_ba; /* NaN when either side is missing */
                const double tot1 = sy(s->timp, y, a) + sy(s->texp, y, a), tot2 = sy(s->timp, y, b) + sy(s->texp, y, b);
                const double i1 = sy(s->ideal, y, a), i2 = sy(s->ideal, y, b);
                double v[NCOLS];
                v[C_NEW_DEFENCE] = atop_next ? (double)(def_next && !def_now) : NAN;
                v[C_ATOP_DEF] = (ob & OB_DEF) != 0;
                v[C_ATOP_OFF] = (ob & OB_OFF) != 0;
                v[C_ATOP_NEU] = (ob & OB_NEU) != 0;
                v[C_ATOP_NONAGG] = (ob & OB_NONAGG) != 0;
                v[C_ATOP_CONSUL] = (ob & OB_CONSUL) != 0;
                v[C_COW_DEF] = cow_cover ? (cb & OB_DEF) != 0 : NAN;
                v[C_COW_NEU] = cow_cover ? (cb & OB_NEU) != 0 : NAN;
                v[C_COW_ENT] = cow_cover ? (cb & OB_ENT) != 0 : NAN;
                v[C_COW_NONAGG] = cow_cover ? (cb & OB_NONAGG) != 0 : NAN;
                v[C_YEARS_SINCE] = last ? (double)(y - last) : NAN;
                v[C_EVER_DEF] = last != 0;
                v[C_COMMON_DEF] = and_count(defp[i], defp[j], words);
                v[C_DEFDEG1] = defdeg[i];
                v[C_DEFDEG2] = defdeg[j];
                v[C_CAPDIST] = s->cap[KEY(a, b)];
                v[C_LDIST] = log1p(s->cap[KEY(a, b)]);
                v[C_CONTTYPE] = contig_cover ? ktype : NAN;
                v[C_CONTIG_LAND] = contig_cover ? ktype == 1 : NAN;
                v[C_CONTIG_SEA] = contig_cover ? ktype >= 2 && ktype <= 5 : NAN;
                v[C_CINC1] = c1;
                v[C_CINC2] = c2;
                v[C_CINC_RATIO] = (c1 > 0 && c2 > 0) ? (c1 > c2 ? c1 / c2 : c2 / c1) : NAN;
                v[C_MAJOR1] = major_cover ? major[i] : NAN;
                v[C_MAJOR2] = major_cover ? major[j] : NAN;
                v[C_POLY1] = sy(s->poly, y, a);
                v[C_POLY2] = sy(s->poly, y, b);
                v[C_POLITY1] = p1;
                v[C_POLITY2] = p2;
                v[C_JOINT_DEM] = (isnan(p1) || isnan(p2)) ? NAN : (p1 >= 6 && p2 >= 6);
                v[C_DEMOC_MISSING] = isnan(p1) || isnan(p2);
                v[C_UDS1] = sy(s->uds, y, a);
                v[C_UDS2] = sy(s->uds, y, b);
                v[C_MID_ONSET] = mid_cover ? (mf & MID_ONSET) != 0 : NAN;
                v[C_MID_ONGOING] = mid_cover ? (mf & MID_ONGOING) != 0 : NAN;
                v[C_MIDS_10Y] = mid_cover ? s->midcnt[KEY(a < b ? a : b, a < b ? b : a)] : NAN;
                v[C_SHARED_MID_OPP] = mid_cover ? and_count(midp[i], midp[j], words) : NAN;
                v[C_RIVALRY] = rival_cover ? s->R[KEY(a, b)] : NAN;
                v[C_SHARED_RIVALS] = rival_cover ? and_count(rivp[i], rivp[j], words) : NAN;
                v[C_TRADE_FLOW] = flow;
                v[C_TRADE_IMPORTS1] = f_ab;
                v[C_TRADE_IMPORTS2] = f_ba;
                v[C_TRADE_SHARE1] = tot1 > 0 ? flow / tot1 : NAN;
                v[C_TRADE_SHARE2] = tot2 > 0 ? flow / tot2 : NAN;
                v[C_JOINT_IGO] = s->igo[KEY(a, b)];
                v[C_IDEAL_DIST] = fabs(i1 - i2);
                if (votes_cover) {
                    int cnt = vn[i * n + j];
                    v[C_VOTE_N] = cnt;
                    v[C_VOTE_FEW] = cnt < 10;
                    v[C_VOTE_AGREE] = vagree[i * n + j];
                } else {
                    v[C_VOTE_N] = v[C_VOTE_FEW] = v[C_VOTE_AGREE] = NAN;
                }
                v[C_S] = d->m.s;
                v[C_SW] = d->m.sw;
                v[C_KAPPA] = d->m.kappa;
                v[C_PI] = d->m.pi;
                v[C_TAUB] = d->m.taub;
                for (size_t k = 0; k < p->nsel; k++) {
                    p->col[p->sel[k]][r] = v[p->sel[k]];
                }
            }
        }
        /* ---- clear the year's cells */
        clear_pairs(s->C, &s->cow, y);
        clear_pairs(s->M, &s->mid, y);
        clear_pairs(s->F, &s->falsed, y);
        for (const event_t *x = ev_begin(&s->igo_ev, y); x < ev_end(&s->igo_ev, y); x++) {
            s->igo[KEY(x->a, x->b)] = s->igo[KEY(x->b, x->a)] = NAN;
        }
        for (const event_t *x = ev_begin(&s->trade, y); x < ev_end(&s->trade, y); x++) {
            s->flow[KEY(x->a, x->b)] = s->flow[KEY(x->b, x->a)] = NAN;
        }
        for (const event_t *x = ev_begin(&s->cap_ev, y); x < ev_end(&s->cap_ev, y); x++) {
            s->cap[KEY(x->a, x->b)] = s->cap[KEY(x->b, x->a)] = NAN;
        }
        for (size_t i = 0; i < s->contig.len; i++) {
            const spell_t *x = &ENT_VEC_AT(&s->contig, spell_t, i);
            s->K[KEY(x->a, x->b)] = s->K[KEY(x->b, x->a)] = 0;
        }
        for (size_t i = 0; i < s->rival.len; i++) {
            const spell_t *x = &ENT_VEC_AT(&s->rival, spell_t, i);
            s->R[KEY(x->a, x->b)] = s->R[KEY(x->b, x->a)] = 0;
        }
    }
    rc = ENT_OK;
done:
    ent_free(simoff);
    ent_free(vm);
    ent_free(vagree);
    ent_free(vn);
    ent_vec_destroy(&dy);
    ent_portfolios_free(pf);
    src_destroy(s);
    ent_free(s);
    if (rc != ENT_OK) {
        ent_panel_free(p);
        return rc;
    }
    *out = p;
    return ENT_OK;
}
