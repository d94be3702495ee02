/*
 * alignfit.c -- the simulation's alignment choice fitted on the Cold War
 * (include/entente/alignfit.h, docs/models/alignment.md "The fit").
 *
 * Two observables. Votes: a state-year is aligned with pole p when its UN ideal
 * point lies within the margin nearest p of the poles' gap, else hedging.
 * Security: aligned with p when it has an ATOP defence tie with p's camp (p and
 * the members of p's bloc-defining treaties) and none with the other's. The terms
 * of each option are the simulation's (src/models/alignment.c, step 5) on the
 * historical system of the year before, with the levers of the scenarios
 * (tightening, inducements, coercion, wedges, engagement) at 0 -- history has
 * none -- so the economy and coercion terms, equal across the options without
 * levers, drop out, and partnership levels (unobserved) count 0. What is left
 * is a conditional logit; Newton's method converges in a few iterations and the
 * information is exact (no numerical differences).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <jansson.h>

#include "entente/alignfit.h"
#include "store/store_read.h"
#include "util_int.h"

enum { NOPT = ENT_ALIGNFIT_NOPT, MAXK = 16 };

static const char *const term_names[ENT_AF_NTERMS] = {
    "beta_security", "beta_foreign",   "beta_regime",  "beta_entrapment",
    "beta_autonomy", "switching_cost", "pact_inertia",
};

const char *ent_alignfit_term_name(size_t k)
{
    return k < ENT_AF_NTERMS ? term_names[k] : NULL;
}

void ent_alignfit_data_destroy(ent_alignfit_data_t *d)
{
    if (!d) {
        return;
    }
    ent_free(d->x);
    ent_free(d->y);
    ent_free(d->prev);
    ent_free(d->avail);
    ent_free(d->ccode);
    ent_free(d->year);
    memset(d, 0, sizeof *d);
}

ent_err_t ent_alignfit_data_alloc(ent_alignfit_data_t *d, size_t n, size_t k)
{
    memset(d, 0, sizeof *d);
    size_t m = n ? n : 1;
    d->x = ent_calloc(m * NOPT * (k ? k : 1), sizeof *d->x);
    d->y = ent_calloc(m, 1);
    d->prev = ent_calloc(m, 1);
    d->avail = ent_malloc(m * NOPT);
    d->ccode = ent_calloc(m, sizeof *d->ccode);
    d->year = ent_calloc(m, sizeof *d->year);
    if (!d->x || !d->y || !d->prev || !d->avail || !d->ccode || !d->year) {
        ent_alignfit_data_destroy(d);
        return ent_i_err(ENT_ENOMEM, "alignment fit: %zu rows", n);
    }
    memset(d->avail, 1, m * NOPT);
    d->n = n;
    d->k = k;
    return ENT_OK;
}

/* ---------------------------------------------------------------- the observable */

typedef struct {
    int first, nyears;
    double *x; /* [ENT_I_MAX_CCODE * nyears], NaN unknown */
} ideals_t;

static ent_err_t put_ideal(void *ctx, const double *col)
{
    ideals_t *c = ctx;
    if (!(col[0] >= 1 && col[0] < ENT_I_MAX_CCODE) || !isfinite(col[1]) || !isfinite(col[2])) {
        return ENT_OK;
    }
    int y = (int)col[1] - c->first;
    if (y >= 0 && y < c->nyears) {
        c->x[(size_t)col[0] * (size_t)c->nyears + (size_t)y] = col[2];
    }
    return ENT_OK;
}

static double ideal_of(const ideals_t *c, int32_t ccode, int year)
{
    int y = year - c->first;
    if (ccode < 1 || ccode >= ENT_I_MAX_CCODE || y < 0 || y >= c->nyears) {
        return NAN;
    }
    return c->x[(size_t)ccode * (size_t)c->nyears + (size_t)y];
}

/* (|x - x_q| - |x - x_p|) / |x_p - x_q| in [-1, 1]: where x stands between p and q (1 at p). */
static double lean(double x, double xp, double xq)
{
    if (isnan(x) || isnan(xp) || isnan(xq) || xp == xq) {
        return NAN;
    }
    return (fabs(x - xq) - fabs(x - xp)) / fabs(xp - xq);
}

/* 0 hedging, 1 + p aligned with pole p, -1 unobserved */
static int observed(const ideals_t *c, int32_t ccode, int year, const ent_alignfit_options_t *o)
{
    double x = ideal_of(c, ccode, year), x0 = ideal_of(c, o->pole[0], year), x1 = ideal_of(c, o->pole[1], year);
    double l = lean(x, x0, x1);
    if (isnan(l)) {
        return -1;
    }
    return l >= o->margin ? 1 : (l <= -o->margin ? 2 : 0);
}

static bool poles_known(const ideals_t *c, int year, const ent_alignfit_options_t *o)
{
    return !isnan(ideal_of(c, o->pole[0], year)) && !isnan(ideal_of(c, o->pole[1], year));
}

/* ---------------------------------------------------------------- the security observable */

/*
 * The treaties that define a Cold War bloc: multilateral, with a pole as a member, and whose members
 * were the pole's camp as contemporaries understood it. A defence tie with any member of one then
 * counts as a tie with the camp: the UK's and France's pacts with their former colonies, Spain's
 * with Portugal, the Baghdad Pact's with Turkey put those states in the Western camp, as they were.
 * Left out on purpose: the OAS Charter (3150) and the Act of Chapultepec (3010), whose members the
 * Rio treaty already holds; the Baghdad Pact / CENTO (3275), which the US never joined and which
 * ATOP codes without a defence obligation; the Arab League's treaty (3205), no pole's. Ties are one
 * step deep: a partner of a partner of the camp is not in it (else the Arab League would follow Iraq
 * into the West in 1955).
 */
static const struct {
    int64_t atopid;
    const char *name;
} bloc_treaties[] = {
    {3180, "NATO (North Atlantic Treaty, 1949)"},
    {3075, "Rio Treaty (Inter-American Treaty of Reciprocal Assistance, 1947)"},
    {3260, "SEATO (Southeast Asia Collective Defense Treaty, 1954)"},
    {3215, "ANZUS (1951)"},
    {3285, "Warsaw Pact (1955)"},
};

const char *ent_alignfit_bloc_treaty(size_t k, int64_t *atopid)
{
    if (k >= sizeof bloc_treaties / sizeof bloc_treaties[0]) {
        return NULL;
    }
    if (atopid) {
        *atopid = bloc_treaties[k].atopid;
    }
    return bloc_treaties[k].name;
}

static bool is_bloc_treaty(int64_t id)
{
    for (size_t k = 0; k < sizeof bloc_treaties / sizeof bloc_treaties[0]; k++) {
        if (bloc_treaties[k].atopid == id) {
            return true;
        }
    }
    return false;
}

ent_err_t ent_alignfit_security_observe(int *al, const ent_sysyear_t *s, const int32_t pole[2])
{
    if (!al || !s || !pole || !s->defence || (s->ntreaties && (!s->member || !s->treaty_id))) {
        return ent_i_err(ENT_EINVAL, "security alignment: a system with its defence ties and treaties");
    }
    size_t n = s->n, ip[2] = {SIZE_MAX, SIZE_MAX};
    for (size_t i = 0; i < n; i++) {
        for (int p = 0; p < 2; p++) {
            if (s->ccode[i] == pole[p]) {
                ip[p] = i;
            }
        }
    }
    if (ip[0] == SIZE_MAX || ip[1] == SIZE_MAX) {
        return ent_i_err(ENT_ENOTFOUND, "security alignment: pole %d or %d is not in the system of %d", (int)pole[0],
                         (int)pole[1], s->year);
    }
    unsigned char *camp = ent_calloc(n ? n : 1, 1); /* bit p: in pole p's camp */
    if (!camp) {
        return ent_i_err(ENT_ENOMEM, "security alignment: %zu states", n);
    }
    for (int p = 0; p < 2; p++) {
        camp[ip[p]] |= (unsigned char)(1u << p);
        for (size_t t = 0; t < s->ntreaties; t++) {
            const unsigned char *m = s->member + t * n;
            if (!m[ip[p]] || !is_bloc_treaty(s->treaty_id[t])) {
                continue;
            }
            for (size_t i = 0; i < n; i++) {
                camp[i] |= m[i] ? (unsigned char)(1u << p) : 0;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (i == ip[0] || i == ip[1]) {
            al[i] = -1;
            continue;
        }
        /* a member of a bloc treaty is in that camp by membership, whatever its other ties: the UK's
         * and France's wartime treaties with the USSR (ATOP: to 1955) do not make NATO's founders
         * hedgers. Any other state is in a camp by a defence tie with one of its members. */
        if (camp[i] == 1 || camp[i] == 2) {
            al[i] = camp[i];
            continue;
        }
        unsigned tied = camp[i];
        for (size_t j = 0; j < n && tied != 3; j++) {
            if (j != i && s->defence[i * n + j]) {
                tied |= camp[j];
            }
        }
        al[i] = tied == 1 ? 1 : (tied == 2 ? 2 : 0);
    }
    ent_free(camp);
    return ENT_OK;
}

/* ---------------------------------------------------------------- the terms */

static ent_err_t check_options(const ent_alignfit_options_t *o)
{
    if (!o || o->version != ENT_ALIGNFIT_OPTIONS_VERSION) {
        return ent_i_err(ENT_EINVAL, "alignment fit: options missing or of another version");
    }
    if (o->observable != ENT_ALIGNFIT_VOTES && o->observable != ENT_ALIGNFIT_SECURITY) {
        return ent_i_err(ENT_EINVAL, "alignment fit: observable %d (want votes %d or security %d)", (int)o->observable,
                         (int)ENT_ALIGNFIT_VOTES, (int)ENT_ALIGNFIT_SECURITY);
    }
    if (!(o->margin >= 0 && o->margin < 1) || o->lag < 1 || o->lag > 20 || !(o->distance_scale_km > 0) ||
        o->pole[0] == o->pole[1] || o->pole[0] < 1 || o->pole[1] < 1 || o->pole[0] >= ENT_I_MAX_CCODE ||
        o->pole[1] >= ENT_I_MAX_CCODE) {
        return ent_i_err(ENT_EINVAL,
                         "alignment fit: margin %g (want [0, 1)), lag %d (want 1..20), distance scale %g, poles %d "
                         "and %d",
                         o->margin, o->lag, o->distance_scale_km, (int)o->pole[0], (int)o->pole[1]);
    }
    return ENT_OK;
}

/*
 * The terms of state i's three options on system s (the year before the outcome), `al` the observed
 * alignment of every state of s (-1 unknown), ip[2] the poles' indices in s. Mirrors step 5 of
 * alignment.c with every lever 0 and every partnership level 0.
 */
static void terms(double *x, const ent_sysyear_t *s, const int *al, const size_t ip[2], size_t i, int prev,
                  double foreign0, const ent_alignfit_options_t *o)
{
    size_t n = s->n;
    double from_pole[2] = {0, 0}, from_camp[2] = {0, 0}, from_free = 0, pole_cap[2];
    for (int p = 0; p < 2; p++) {
        pole_cap[p] = s->cinc[ip[p]];
    }
    for (size_t j = 0; j < n; j++) {
        for (int p = 0; p < 2; p++) {
            if (j != ip[p] && s->defence[j * n + ip[p]]) {
                pole_cap[p] += s->cinc[j];
            }
        }
        if (j == i) {
            continue;
        }
        double h = s->hostility[i * n + j];
        if (!(h > 0)) {
            continue;
        }
        double tj = s->cinc[j] * exp(-s->dist_km[i * n + j] / o->distance_scale_km) * h;
        if (j == ip[0] || j == ip[1]) {
            from_pole[j == ip[1]] += tj;
        } else if (al[j] == 1 || al[j] == 2) {
            from_camp[al[j] - 1] += tj;
        } else {
            from_free += tj;
        }
    }
    double total = from_pole[0] + from_pole[1] + from_camp[0] + from_camp[1] + from_free;
    double severity = total / (total + 0.01);
    double Di = s->polyarchy ? s->polyarchy[i] : NAN;
    memset(x, 0, NOPT * ENT_AF_NTERMS * sizeof *x);
    for (int p = 0; p < 2; p++) {
        int q = 1 - p;
        double *xo = x + (size_t)(1 + p) * ENT_AF_NTERMS;
        int pact = s->defence[i * n + ip[p]] ? 1 : 0;
        double rho = 0.6 + 0.2 * pact;
        double against_q = pole_cap[p] / (pole_cap[p] + pole_cap[q]);
        double resid = (from_pole[q] + from_camp[q]) * (1 - rho * against_q) + from_free * (1 - 0.5 * rho) +
                       from_camp[p] + 0.9 * from_pole[p];
        xo[ENT_AF_SECURITY] = total > 0 ? severity * (total - resid) / total : 0;
        /* foreign0 is the lean toward pole 0: toward pole 1 it is its negative */
        xo[ENT_AF_FOREIGN] = isnan(foreign0) ? 0 : (p == 0 ? foreign0 : -foreign0);
        double Dp = s->polyarchy ? s->polyarchy[ip[p]] : NAN, Dq = s->polyarchy ? s->polyarchy[ip[q]] : NAN;
        xo[ENT_AF_REGIME] = isnan(Di) || isnan(Dp) || isnan(Dq) ? 0 : fabs(Di - Dq) - fabs(Di - Dp);
        xo[ENT_AF_ENTRAPMENT] =
            -s->hostility[ip[p] * n + ip[q]] * exp(-s->dist_km[i * n + ip[q]] / o->distance_scale_km);
        xo[ENT_AF_AUTONOMY] = -0.5;
        xo[ENT_AF_PACT_INERTIA] = 2.0 * pact;
    }
    if (prev >= 0 && prev < NOPT) {
        x[(size_t)prev * ENT_AF_NTERMS + ENT_AF_SWITCHING] = 1;
    }
}

/*
 * The security observable's rows of outcome year y: the alignments of s (t - 1) into al, those of s1
 * (t) matched by state code; every state of both but the poles chooses. The foreign-policy term reads
 * the ideal points of y - lag (bridged by the year before when a pole has none), 0 when unknown.
 */
static ent_err_t security_rows(ent_alignfit_data_t *out, size_t *n, const ideals_t *ix, const ent_sysyear_t *s,
                               const ent_sysyear_t *s1, const size_t ip[2], int *al, int y,
                               const ent_alignfit_options_t *opts)
{
    ent_err_t rc = ent_alignfit_security_observe(al, s, opts->pole);
    int *al1 = NULL;
    signed char *now = NULL;
    if (rc != ENT_OK) {
        return rc;
    }
    if (!(al1 = ent_malloc((s1->n ? s1->n : 1) * sizeof *al1)) || !(now = ent_malloc(ENT_I_MAX_CCODE))) {
        rc = ent_i_err(ENT_ENOMEM, "alignment fit: alignments of %d", y);
        goto done;
    }
    ENT_CHECK(ent_alignfit_security_observe(al1, s1, opts->pole));
    memset(now, -1, ENT_I_MAX_CCODE);
    for (size_t i = 0; i < s1->n; i++) {
        if (s1->ccode[i] > 0 && s1->ccode[i] < ENT_I_MAX_CCODE) {
            now[s1->ccode[i]] = (signed char)al1[i];
        }
    }
    int yl = y - opts->lag;
    yl = poles_known(ix, yl, opts) ? yl : yl - 1;
    double x0 = ideal_of(ix, opts->pole[0], yl), x1 = ideal_of(ix, opts->pole[1], yl);
    for (size_t i = 0; i < s->n; i++) {
        int32_t c = s->ccode[i];
        if (i == ip[0] || i == ip[1] || c < 1 || c >= ENT_I_MAX_CCODE || now[c] < 0 || al[i] < 0) {
            continue;
        }
        terms(out->x + *n * NOPT * ENT_AF_NTERMS, s, al, ip, i, al[i], lean(ideal_of(ix, c, yl), x0, x1), opts);
        out->y[*n] = (unsigned char)now[c];
        out->prev[*n] = (unsigned char)al[i];
        out->ccode[*n] = c;
        out->year[*n] = y;
        (*n)++;
    }
done:
    ent_free(al1);
    ent_free(now);
    return rc;
}

ent_err_t ent_alignfit_data_build(ent_alignfit_data_t *d, ent_store_t *st, const ent_pmhistory_t *h, int from, int to,
                                  const ent_alignfit_options_t *opts)
{
    ent_err_t rc = check_options(opts);
    if (rc != ENT_OK) {
        return rc;
    }
    if (!d || d->n || !st || !h || from > to) {
        return ent_i_err(ENT_EINVAL,
                         "alignment fit: bad arguments (an empty data set, a store, a history, from <= to)");
    }
    if (from - 1 < ent_pmhistory_from(h) || to > ent_pmhistory_to(h)) {
        return ent_i_err(ENT_ERANGE, "alignment fit: outcome years %d-%d need the history of %d-%d (it holds %d-%d)",
                         from, to, from - 1, to, ent_pmhistory_from(h), ent_pmhistory_to(h));
    }
    int lag = opts->lag;
    /* a session without votes (1964, the Article 19 crisis) is bridged by the year before */
    ideals_t ix = {.first = from - lag - 1, .nyears = 0, .x = NULL};
    ix.nyears = to - ix.first + 1;
    size_t cap = 0, n = 0;
    int *al = NULL;
    ent_alignfit_data_t out = ENT_ALIGNFIT_DATA_INIT;
    if (!(ix.x = ent_malloc((size_t)ENT_I_MAX_CCODE * (size_t)ix.nyears * sizeof *ix.x))) {
        return ent_i_err(ENT_ENOMEM, "alignment fit: ideal points");
    }
    for (size_t q = 0; q < (size_t)ENT_I_MAX_CCODE * (size_t)ix.nyears; q++) {
        ix.x[q] = NAN;
    }
    ENT_CHECK(ent_i_store_rows(st, ENT_I_ROWS_IDEAL_YEARS, NULL, ix.first, to, put_ideal, &ix));
    bool votes = opts->observable == ENT_ALIGNFIT_VOTES;
    for (int y = from - 1; votes && y <= to; y++) {
        if (!poles_known(&ix, y, opts) && !poles_known(&ix, y - 1, opts)) {
            rc = ent_i_err(ENT_ENOTFOUND, "alignment fit: the store has no UN ideal point of pole %d or %d in %d-%d",
                           (int)opts->pole[0], (int)opts->pole[1], y - 1, y);
            goto done;
        }
    }
    /* an upper bound of the rows: every state of every year */
    for (int y = from; y <= to; y++) {
        cap += ent_pmhistory_year(h, y)->n;
    }
    ENT_CHECK(ent_alignfit_data_alloc(&out, cap, ENT_AF_NTERMS));
    for (int y = from; y <= to; y++) {
        const ent_sysyear_t *s = ent_pmhistory_year(h, y - 1), *s1 = ent_pmhistory_year(h, y);
        size_t ip[2] = {SIZE_MAX, SIZE_MAX};
        for (size_t i = 0; i < s->n; i++) {
            for (int p = 0; p < 2; p++) {
                if (s->ccode[i] == opts->pole[p]) {
                    ip[p] = i;
                }
            }
        }
        if (ip[0] == SIZE_MAX || ip[1] == SIZE_MAX) {
            rc = ent_i_err(ENT_ENOTFOUND, "alignment fit: pole %d or %d is not in the system of %d", (int)opts->pole[0],
                           (int)opts->pole[1], y - 1);
            goto done;
        }
        unsigned char alive[ENT_I_MAX_CCODE] = {0};
        for (size_t i = 0; i < s1->n; i++) {
            if (s1->ccode[i] > 0 && s1->ccode[i] < ENT_I_MAX_CCODE) {
                alive[s1->ccode[i]] = 1;
            }
        }
        ent_free(al);
        if (!(al = ent_malloc(s->n * sizeof *al))) {
            rc = ent_i_err(ENT_ENOMEM, "alignment fit: alignments of %d", y - 1);
            goto done;
        }
        if (!votes) {
            ENT_CHECK(security_rows(&out, &n, &ix, s, s1, ip, al, y, opts));
            continue;
        }
        if (!poles_known(&ix, y, opts)) {
            continue; /* no outcome observed this year */
        }
        int yp = poles_known(&ix, y - 1, opts) ? y - 1 : y - 2, yl = y - lag;
        yl = poles_known(&ix, yl, opts) ? yl : yl - 1;
        for (size_t i = 0; i < s->n; i++) {
            al[i] = observed(&ix, s->ccode[i], yp, opts);
        }
        double x0 = ideal_of(&ix, opts->pole[0], yl), x1 = ideal_of(&ix, opts->pole[1], yl);
        for (size_t i = 0; i < s->n; i++) {
            int32_t c = s->ccode[i];
            if (i == ip[0] || i == ip[1] || c < 1 || c >= ENT_I_MAX_CCODE || !alive[c] || al[i] < 0) {
                continue;
            }
            int yo = observed(&ix, c, y, opts);
            double f = lean(ideal_of(&ix, c, yl), x0, x1);
            if (yo < 0 || isnan(f)) {
                continue;
            }
            terms(out.x + n * NOPT * ENT_AF_NTERMS, s, al, ip, i, al[i], f, opts);
            out.y[n] = (unsigned char)yo;
            out.prev[n] = (unsigned char)al[i];
            out.ccode[n] = c;
            out.year[n] = y;
            n++;
        }
    }
    out.n = n;
    *d = out;
    out = (ent_alignfit_data_t)ENT_ALIGNFIT_DATA_INIT;
done:
    ent_alignfit_data_destroy(&out);
    ent_free(al);
    ent_free(ix.x);
    return rc;
}

ent_err_t ent_alignfit_data_baseline(ent_alignfit_data_t *out, const ent_alignfit_data_t *d)
{
    ent_err_t rc = ent_alignfit_data_alloc(out, d->n, 3);
    if (rc != ENT_OK) {
        return rc;
    }
    for (size_t r = 0; r < d->n; r++) {
        for (int o = 0; o < NOPT; o++) {
            double *x = out->x + (r * NOPT + (size_t)o) * 3;
            x[0] = o == 1;
            x[1] = o == 2;
            x[2] = o == d->prev[r];
        }
        out->y[r] = d->y[r];
        out->prev[r] = d->prev[r];
        out->ccode[r] = d->ccode[r];
        out->year[r] = d->year[r];
    }
    memcpy(out->avail, d->avail, d->n * NOPT);
    return ENT_OK;
}

ent_err_t ent_alignfit_data_mnl(ent_alignfit_data_t *out, const ent_alignfit_data_t *d)
{
    static const int cov[] = {ENT_AF_SECURITY, ENT_AF_FOREIGN, ENT_AF_REGIME, ENT_AF_ENTRAPMENT, ENT_AF_PACT_INERTIA};
    enum { NC = sizeof cov / sizeof cov[0] };
    if (d->k != ENT_AF_NTERMS) {
        return ent_i_err(ENT_EINVAL, "alignment fit: the unstructured logit needs the model's %d terms (got %zu)",
                         ENT_AF_NTERMS, d->k);
    }
    ent_err_t rc = ent_alignfit_data_alloc(out, d->n, ENT_ALIGNFIT_MNL_K);
    if (rc != ENT_OK) {
        return rc;
    }
    for (size_t r = 0; r < d->n; r++) {
        for (int o = 0; o < NOPT; o++) {
            double *x = out->x + (r * NOPT + (size_t)o) * ENT_ALIGNFIT_MNL_K;
            const double *xm = d->x + (r * NOPT + (size_t)o) * ENT_AF_NTERMS;
            x[0] = o == 1;
            x[1] = o == 2;
            x[2] = o == d->prev[r];
            for (int c = 0; o > 0 && c < NC; c++) {
                x[3 + 2 * c + (o - 1)] = xm[cov[c]];
            }
        }
        out->y[r] = d->y[r];
        out->prev[r] = d->prev[r];
        out->ccode[r] = d->ccode[r];
        out->year[r] = d->year[r];
    }
    memcpy(out->avail, d->avail, d->n * NOPT);
    return ENT_OK;
}

/* ---------------------------------------------------------------- the likelihood */

/*
 * The log likelihood of the rows of from..to; with g and H, the gradient and the Hessian (k x k) too,
 * and with gc the per-cluster scores (accumulated by row into gc[slot[r] * k]).
 */
static double evaluate(const ent_alignfit_data_t *d, const double *theta, int from, int to, double *g, double *H,
                       size_t *nrows)
{
    size_t k = d->k, m = 0;
    double ll = 0;
    if (g) {
        memset(g, 0, k * sizeof *g);
        memset(H, 0, k * k * sizeof *H);
    }
    for (size_t r = 0; r < d->n; r++) {
        if (d->year[r] < from || d->year[r] > to) {
            continue;
        }
        m++;
        double u[NOPT], p[NOPT], mx = -INFINITY, z = 0;
        for (int o = 0; o < NOPT; o++) {
            u[o] = -INFINITY;
            if (!d->avail[r * NOPT + (size_t)o]) {
                continue;
            }
            const double *x = d->x + (r * NOPT + (size_t)o) * k;
            u[o] = 0;
            for (size_t j = 0; j < k; j++) {
                u[o] += theta[j] * x[j];
            }
            mx = u[o] > mx ? u[o] : mx;
        }
        for (int o = 0; o < NOPT; o++) {
            p[o] = isinf(u[o]) ? 0 : exp(u[o] - mx);
            z += p[o];
        }
        for (int o = 0; o < NOPT; o++) {
            p[o] /= z;
        }
        ll += u[d->y[r]] - mx - log(z);
        if (!g) {
            continue;
        }
        double xbar[MAXK] = {0};
        for (int o = 0; o < NOPT; o++) {
            const double *x = d->x + (r * NOPT + (size_t)o) * k;
            for (size_t j = 0; j < k; j++) {
                xbar[j] += p[o] * x[j];
            }
        }
        const double *xy = d->x + (r * NOPT + d->y[r]) * k;
        for (size_t j = 0; j < k; j++) {
            g[j] += xy[j] - xbar[j];
        }
        for (int o = 0; o < NOPT; o++) {
            if (p[o] == 0) {
                continue;
            }
            const double *x = d->x + (r * NOPT + (size_t)o) * k;
            for (size_t a = 0; a < k; a++) {
                for (size_t b = 0; b < k; b++) {
                    H[a * k + b] -= p[o] * (x[a] - xbar[a]) * (x[b] - xbar[b]);
                }
            }
        }
    }
    if (nrows) {
        *nrows = m;
    }
    return ll;
}

double ent_alignfit_loglik(const ent_alignfit_data_t *d, const double *theta, int from, int to, size_t *nrows)
{
    return evaluate(d, theta, from, to, NULL, NULL, nrows);
}

/* inverse of the free block of -H (k x k) into V (zeros elsewhere); false when not positive definite */
static bool invert_info(double *V, const double *H, const bool *fr, size_t k)
{
    size_t idx[MAXK], m = 0;
    for (size_t j = 0; j < k; j++) {
        if (fr[j]) {
            idx[m++] = j;
        }
    }
    memset(V, 0, k * k * sizeof *V);
    if (m == 0) {
        return true;
    }
    gsl_matrix *A = gsl_matrix_alloc(m, m);
    if (!A) {
        return false;
    }
    for (size_t a = 0; a < m; a++) {
        for (size_t b = 0; b < m; b++) {
            gsl_matrix_set(A, a, b, -H[idx[a] * k + idx[b]]);
        }
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    bool ok = gsl_linalg_cholesky_decomp1(A) == 0 && gsl_linalg_cholesky_invert(A) == 0;
    gsl_set_error_handler(old);
    if (ok) {
        for (size_t a = 0; a < m; a++) {
            for (size_t b = 0; b < m; b++) {
                V[idx[a] * k + idx[b]] = gsl_matrix_get(A, a, b);
            }
        }
    }
    gsl_matrix_free(A);
    return ok;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

ent_err_t ent_alignfit_fit(ent_alignfit_result_t *res, const ent_alignfit_data_t *d, int from, int to,
                           const bool *free_, const double *theta_init)
{
    if (!res || !d || d->k == 0 || d->k > MAXK) {
        return ent_i_err(ENT_EINVAL, "alignment fit: %zu terms (1..%d)", d ? d->k : 0, MAXK);
    }
    size_t k = d->k, m = 0;
    bool fr[MAXK];
    double th[MAXK], g[MAXK], H[MAXK * MAXK], V[MAXK * MAXK];
    for (size_t j = 0; j < k; j++) {
        fr[j] = free_ ? free_[j] : true;
        th[j] = theta_init ? theta_init[j] : 0;
    }
    memset(res, 0, sizeof *res);
    res->k = k;
    double ll = evaluate(d, th, from, to, g, H, &m);
    if (m == 0) {
        return ent_i_err(ENT_EINVAL, "alignment fit: no choices in %d-%d", from, to);
    }
    int it = 0;
    bool converged = false;
    for (; it < 100; it++) {
        /* Newton step on the free terms: -H dx = g */
        if (!invert_info(V, H, fr, k)) {
            return ent_i_err(ENT_ERANGE,
                             "alignment fit: the information is singular at iteration %d (a term without variation "
                             "in %d-%d, or separation)",
                             it, from, to);
        }
        double step[MAXK] = {0}, dec = 0;
        for (size_t a = 0; a < k; a++) {
            for (size_t b = 0; b < k; b++) {
                step[a] += V[a * k + b] * (fr[b] ? g[b] : 0);
            }
            dec += step[a] * (fr[a] ? g[a] : 0);
        }
        if (dec < 1e-10) {
            /* the last step, nearly free: Newton converges quadratically, so it leaves ~dec^2 */
            double nt[MAXK];
            for (size_t j = 0; j < k; j++) {
                nt[j] = th[j] + (fr[j] ? step[j] : 0);
            }
            double nll = evaluate(d, nt, from, to, NULL, NULL, NULL);
            if (isfinite(nll) && nll >= ll) {
                memcpy(th, nt, k * sizeof *th);
                ll = evaluate(d, th, from, to, g, H, NULL);
            }
            converged = true;
            break;
        }
        double t = 1, nt[MAXK], nll = -INFINITY;
        for (int h = 0; h < 40; h++, t /= 2) {
            for (size_t j = 0; j < k; j++) {
                nt[j] = th[j] + (fr[j] ? t * step[j] : 0);
            }
            nll = evaluate(d, nt, from, to, NULL, NULL, NULL);
            if (isfinite(nll) && nll >= ll - 1e-12) {
                break;
            }
        }
        if (!(isfinite(nll) && nll >= ll - 1e-12)) {
            break;
        }
        memcpy(th, nt, k * sizeof *th);
        ll = evaluate(d, th, from, to, g, H, NULL);
        for (size_t j = 0; j < k; j++) {
            if (fabs(th[j]) > 1e4) {
                return ent_i_err(ENT_ERANGE, "alignment fit: term %zu diverges (separation in %d-%d)", j, from, to);
            }
        }
    }
    if (!converged || !invert_info(V, H, fr, k)) {
        return ent_i_err(ENT_ERANGE, "alignment fit: no convergence in %d Newton iterations on %d-%d", it, from, to);
    }
    for (size_t j = 0; j < k; j++) {
        /* Newton "converges" on a separated logit once the gradient underflows: the term's variance
         * (e^|theta| / n) gives it away */
        if (fr[j] && !(V[j * k + j] < 1e6)) {
            return ent_i_err(ENT_ERANGE, "alignment fit: term %zu is not identified (variance %g: separation in %d-%d)",
                             j, V[j * k + j], from, to);
        }
    }
    memcpy(res->theta, th, k * sizeof *th);
    memcpy(res->cov, V, k * k * sizeof *V);
    res->loglik = ll;
    res->n = m;
    res->iterations = it;

    /* clustered by state: the sandwich V B V with B the sum over states of their summed scores' outer products */
    int32_t *codes = ent_malloc(m * sizeof *codes);
    double *gc = NULL;
    if (!codes) {
        return ent_i_err(ENT_ENOMEM, "alignment fit: clusters");
    }
    size_t q = 0;
    for (size_t r = 0; r < d->n; r++) {
        if (d->year[r] >= from && d->year[r] <= to) {
            codes[q++] = d->ccode[r];
            res->switches += d->y[r] != d->prev[r];
        }
    }
    qsort(codes, m, sizeof *codes, cmp_i32);
    size_t G = 0;
    for (size_t r = 0; r < m; r++) {
        if (r == 0 || codes[r] != codes[r - 1]) {
            codes[G++] = codes[r];
        }
    }
    if (!(gc = ent_calloc(G * k, sizeof *gc))) {
        ent_free(codes);
        return ent_i_err(ENT_ENOMEM, "alignment fit: cluster scores");
    }
    for (size_t r = 0; r < d->n; r++) {
        if (d->year[r] < from || d->year[r] > to) {
            continue;
        }
        int32_t *at = bsearch(&d->ccode[r], codes, G, sizeof *codes, cmp_i32);
        double *gr = gc + (size_t)(at - codes) * k;
        double u[NOPT], p[NOPT], mx = -INFINITY, z = 0, xbar[MAXK] = {0};
        for (int o = 0; o < NOPT; o++) {
            const double *x = d->x + (r * NOPT + (size_t)o) * k;
            u[o] = -INFINITY;
            if (d->avail[r * NOPT + (size_t)o]) {
                u[o] = 0;
                for (size_t j = 0; j < k; j++) {
                    u[o] += th[j] * x[j];
                }
            }
            mx = u[o] > mx ? u[o] : mx;
        }
        for (int o = 0; o < NOPT; o++) {
            p[o] = isinf(u[o]) ? 0 : exp(u[o] - mx);
            z += p[o];
        }
        for (int o = 0; o < NOPT; o++) {
            const double *x = d->x + (r * NOPT + (size_t)o) * k;
            for (size_t j = 0; j < k; j++) {
                xbar[j] += p[o] / z * x[j];
            }
        }
        const double *xy = d->x + (r * NOPT + d->y[r]) * k;
        for (size_t j = 0; j < k; j++) {
            gr[j] += fr[j] ? xy[j] - xbar[j] : 0;
        }
    }
    double B[MAXK * MAXK] = {0};
    for (size_t c = 0; c < G; c++) {
        for (size_t a = 0; a < k; a++) {
            for (size_t b = 0; b < k; b++) {
                B[a * k + b] += gc[c * k + a] * gc[c * k + b];
            }
        }
    }
    double adj = G > 1 ? (double)G / (double)(G - 1) : 1, VB[MAXK * MAXK] = {0};
    for (size_t a = 0; a < k; a++) {
        for (size_t b = 0; b < k; b++) {
            for (size_t c = 0; c < k; c++) {
                VB[a * k + b] += V[a * k + c] * B[c * k + b];
            }
        }
    }
    for (size_t a = 0; a < k; a++) {
        for (size_t b = 0; b < k; b++) {
            double s = 0;
            for (size_t c = 0; c < k; c++) {
                s += VB[a * k + c] * V[c * k + b];
            }
            res->cov_cl[a * k + b] = adj * s;
        }
    }
    res->clusters = G;
    ent_free(gc);
    ent_free(codes);
    return ENT_OK;
}

/* ---------------------------------------------------------------- scores and the parameter file */

/* mean log likelihood and hit rate of theta on from..to */
static void mean_score(double *ll, double *hit, const ent_alignfit_data_t *d, const double *theta, int from, int to)
{
    size_t m = 0, hits = 0;
    double sum = 0;
    for (size_t r = 0; r < d->n; r++) {
        if (d->year[r] < from || d->year[r] > to) {
            continue;
        }
        double u[NOPT], mx = -INFINITY, z = 0;
        int best = 0;
        for (int o = 0; o < NOPT; o++) {
            const double *x = d->x + (r * NOPT + (size_t)o) * d->k;
            u[o] = 0;
            for (size_t j = 0; j < d->k; j++) {
                u[o] += theta[j] * x[j];
            }
            if (u[o] > mx) {
                mx = u[o];
                best = o;
            }
        }
        for (int o = 0; o < NOPT; o++) {
            z += exp(u[o] - mx);
        }
        sum += u[d->y[r]] - mx - log(z);
        hits += best == d->y[r];
        m++;
    }
    *ll = m ? sum / (double)m : NAN;
    *hit = m ? (double)hits / (double)m : NAN;
}

ent_err_t ent_alignfit_score(ent_alignfit_scores_t *out, const ent_alignfit_data_t *d, const double *theta, int ffrom,
                             int fto, int vfrom, int vto)
{
    memset(out, 0, sizeof *out);
    size_t nf = 0, sw = 0, nv = 0, hv = 0;
    double lp = 0;
    for (size_t r = 0; r < d->n; r++) {
        if (d->year[r] >= ffrom && d->year[r] <= fto) {
            nf++;
            sw += d->y[r] != d->prev[r];
        }
    }
    if (nf == 0) {
        return ent_i_err(ENT_EINVAL, "alignment scores: no choices in the fit years %d-%d", ffrom, fto);
    }
    double e = (double)sw / (double)nf;
    for (size_t r = 0; r < d->n; r++) {
        if (d->year[r] < vfrom || d->year[r] > vto) {
            continue;
        }
        nv++;
        lp += d->y[r] == d->prev[r] ? log(1 - e) : log(e / 2);
        hv += d->y[r] == d->prev[r];
    }
    if (nv == 0) {
        return ent_i_err(ENT_EINVAL, "alignment scores: no choices in the scored years %d-%d", vfrom, vto);
    }
    out->n = nv;
    out->switch_rate = e;
    out->persistence = lp / (double)nv;
    out->hit_persistence = (double)hv / (double)nv;
    mean_score(&out->model, &out->hit_model, d, theta, vfrom, vto);
    ent_alignfit_data_t b = ENT_ALIGNFIT_DATA_INIT;
    ent_alignfit_result_t br;
    ent_err_t rc = ent_alignfit_data_baseline(&b, d);
    if (rc == ENT_OK && (rc = ent_alignfit_fit(&br, &b, ffrom, fto, NULL, NULL)) == ENT_OK) {
        memcpy(out->baseline_theta, br.theta, sizeof out->baseline_theta);
        mean_score(&out->baseline, &out->hit_baseline, &b, br.theta, vfrom, vto);
    }
    ent_alignfit_data_destroy(&b);
    out->inertia = out->hit_inertia = out->mnl = out->hit_mnl = NAN;
    if (rc != ENT_OK || d->k != ENT_AF_NTERMS) {
        return rc; /* the other baselines are defined on the model's terms only */
    }
    bool fr[ENT_AF_NTERMS] = {false};
    fr[ENT_AF_AUTONOMY] = fr[ENT_AF_SWITCHING] = fr[ENT_AF_PACT_INERTIA] = true;
    if ((rc = ent_alignfit_fit(&br, d, ffrom, fto, fr, NULL)) != ENT_OK) {
        return rc;
    }
    mean_score(&out->inertia, &out->hit_inertia, d, br.theta, vfrom, vto);
    if ((rc = ent_alignfit_data_mnl(&b, d)) == ENT_OK &&
        (rc = ent_alignfit_fit(&br, &b, ffrom, fto, NULL, NULL)) == ENT_OK) {
        mean_score(&out->mnl, &out->hit_mnl, &b, br.theta, vfrom, vto);
    }
    ent_alignfit_data_destroy(&b);
    return rc;
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

ent_err_t ent_alignfit_save(const char *path, const ent_alignfit_result_t *res, const ent_alignfit_options_t *opts,
                            int ffrom, int fto, const ent_alignfit_scores_t *sc, int vfrom, int vto,
                            const char *provenance_json)
{
    ent_err_t rc = ENT_OK;
    json_t *root = json_object(), *ps = json_array(), *cov = json_array(), *ob = json_object(), *fit = json_object(),
           *scj = json_object(), *prov = NULL;
    if (!root || !ps || !cov || !ob || !fit || !scj) {
        rc = ent_i_err(ENT_ENOMEM, "alignment fit: %s", path);
        goto done;
    }
    if (provenance_json) {
        json_error_t je;
        if (!(prov = json_loads(provenance_json, 0, &je)) || !json_is_object(prov)) {
            rc = ent_i_err(ENT_EPARSE, "alignment fit: provenance: %s", je.text);
            goto done;
        }
    }
    size_t k = res->k;
    for (size_t j = 0; j < k; j++) {
        json_t *e = json_object(), *row = json_array();
        json_object_set_new(e, "name", json_string(k == ENT_AF_NTERMS ? term_names[j] : "term"));
        json_object_set_new(e, "estimate", num(res->theta[j]));
        json_object_set_new(e, "se", num(sqrt(res->cov[j * k + j])));
        json_object_set_new(e, "se_cluster", num(sqrt(res->cov_cl[j * k + j])));
        json_array_append_new(ps, e);
        for (size_t b = 0; b < k; b++) {
            json_array_append_new(row, num(res->cov_cl[j * k + b]));
        }
        json_array_append_new(cov, row);
    }
    json_t *poles = json_array();
    json_array_append_new(poles, json_integer(opts->pole[0]));
    json_array_append_new(poles, json_integer(opts->pole[1]));
    bool votes = opts->observable == ENT_ALIGNFIT_VOTES;
    json_object_set_new(ob, "kind", json_string(votes ? "votes" : "security"));
    json_object_set_new(ob, "poles", poles);
    if (votes) {
        json_object_set_new(ob, "margin", num(opts->margin));
    }
    json_object_set_new(ob, "lag", json_integer(opts->lag));
    json_object_set_new(ob, "distance_scale_km", num(opts->distance_scale_km));
    if (votes) {
        json_object_set_new(ob, "rule",
                            json_string("aligned with pole p when (|x - x_q| - |x - x_p|) / |x_p - x_q| >= margin, x "
                                        "the UN ideal points of the year (Bailey, Strezhnev & Voeten 2017); else "
                                        "hedging"));
    } else {
        json_t *bt = json_array();
        int64_t id;
        const char *name;
        for (size_t t = 0; (name = ent_alignfit_bloc_treaty(t, &id)) != NULL; t++) {
            json_t *e = json_object();
            json_object_set_new(e, "atopid", json_integer((json_int_t)id));
            json_object_set_new(e, "name", json_string(name));
            json_array_append_new(bt, e);
        }
        json_object_set_new(ob, "bloc_treaties", bt);
        json_object_set_new(ob, "rule",
                            json_string("aligned with pole p when the state has an ATOP defence tie in force with p "
                                        "or with a member of one of p's bloc-defining treaties (or is a member of "
                                        "one), and none with the other pole's camp; hedging with ties to neither or "
                                        "both; the foreign-policy term 0 where the UN ideal point is unknown"));
    }
    json_object_set_new(fit, "from", json_integer(ffrom));
    json_object_set_new(fit, "to", json_integer(fto));
    json_object_set_new(fit, "choices", json_integer((json_int_t)res->n));
    json_object_set_new(fit, "states", json_integer((json_int_t)res->clusters));
    json_object_set_new(fit, "switches", json_integer((json_int_t)res->switches));
    json_object_set_new(fit, "loglik", num(res->loglik));
    json_object_set_new(fit, "newton_iterations", json_integer(res->iterations));
    if (sc) {
        json_object_set_new(scj, "from", json_integer(vfrom));
        json_object_set_new(scj, "to", json_integer(vto));
        json_object_set_new(scj, "choices", json_integer((json_int_t)sc->n));
        json_object_set_new(scj, "model_loglik_mean", num(sc->model));
        json_object_set_new(scj, "persistence_loglik_mean", num(sc->persistence));
        json_object_set_new(scj, "baseline_mnl_loglik_mean", num(sc->baseline));
        json_object_set_new(scj, "model_hit_rate", num(sc->hit_model));
        json_object_set_new(scj, "persistence_hit_rate", num(sc->hit_persistence));
        json_object_set_new(scj, "baseline_mnl_hit_rate", num(sc->hit_baseline));
        json_object_set_new(scj, "fit_switch_rate", num(sc->switch_rate));
        json_object_set_new(scj, "inertia_only_loglik_mean", num(sc->inertia));
        json_object_set_new(scj, "inertia_only_hit_rate", num(sc->hit_inertia));
        json_object_set_new(scj, "unstructured_mnl_loglik_mean", num(sc->mnl));
        json_object_set_new(scj, "unstructured_mnl_hit_rate", num(sc->hit_mnl));
    }
    json_object_set_new(root, "model", json_string("entente-alignment-choice"));
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(root, "normalisation",
                        json_string("temperature = 1: a logit identifies beta / temperature only; the betas are on "
                                    "the scale of a temperature of 1"));
    json_object_set_new(root, "observable", ob);
    ob = NULL;
    json_object_set_new(root, "fit", fit);
    fit = NULL;
    json_object_set_new(root, "params", ps);
    ps = NULL;
    json_object_set_new(root, "covariance_cluster", cov);
    cov = NULL;
    json_object_set_new(root, "scores", scj);
    scj = NULL;
    json_object_set_new(root, "provenance", prov ? prov : json_object());
    prov = NULL;
    if (json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0) {
        rc = ent_i_err(ENT_EIO, "%s: cannot write the parameter file", path);
    }
done:
    json_decref(root);
    json_decref(ps);
    json_decref(cov);
    json_decref(ob);
    json_decref(fit);
    json_decref(scj);
    json_decref(prov);
    return rc;
}
