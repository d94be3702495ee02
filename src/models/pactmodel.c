/*
 * pactmodel.c -- the pact model's terms, probabilities and one simulated
 * year (include/entente/pactmodel.h; docs/models/pactmodel.md). Everything
 * here is a pure function of the system arrays and a parameter vector, so the
 * fit (pactmodel_fit.c), the backtest and the simulation all compute exactly
 * the same numbers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/pactmodel.h"
#include "pactmodel_int.h"
#include "util_int.h"

static inline double sigmoid(double x)
{
    if (x >= 0) {
        return 1.0 / (1.0 + exp(-x));
    }
    double e = exp(x);
    return e / (1.0 + e);
}

double ent_i_pm_sigmoid(double x)
{
    return sigmoid(x);
}

static ent_err_t check_sys(const ent_sysyear_t *sys)
{
    if (!sys || sys->n == 0) {
        return ent_i_err(ENT_EINVAL, "pact model: an empty system");
    }
    if (!sys->cinc || !sys->major || !sys->dist_km || !sys->hostility || !sys->defence) {
        return ent_i_err(ENT_EINVAL, "pact model: the system of %d lacks cinc, major, dist_km, hostility or defence",
                         sys->year);
    }
    if (sys->ntreaties && !sys->member) {
        return ent_i_err(ENT_EINVAL, "pact model: %zu treaties without a member matrix", sys->ntreaties);
    }
    if (sys->n > 4096) {
        return ent_i_err(ENT_ERANGE, "pact model: %zu states (at most 4096)", sys->n);
    }
    return ENT_OK;
}

/* Proximity of a to b without presence: distance decay (farther for a major power), contiguity. */
static double prox_direct(const ent_pactmodel_settings_t *s, const ent_sysyear_t *sys, size_t a, size_t b)
{
    size_t n = sys->n;
    if (a == b) {
        return 1.0;
    }
    double reach = sys->major[a] ? s->reach_major : 1.0;
    double d = sys->dist_km[a * n + b];
    double p = isfinite(d) && d >= 0 ? exp(-d / (s->dist_scale_km * reach)) : 0.0;
    if (sys->contig) {
        unsigned char c = sys->contig[a * n + b];
        if (c == 1 && p < 1.0) {
            p = 1.0;
        } else if (c == 2 && p < s->sea_prox) {
            p = s->sea_prox;
        }
    }
    return p;
}

/* The presence of a on m's territory: the caller's array, or the alliance-network rule. */
static double presence_of(const ent_sysyear_t *sys, size_t a, size_t m)
{
    size_t n = sys->n;
    if (sys->presence) {
        double v = sys->presence[a * n + m];
        return isfinite(v) && v > 0 ? (v > 1 ? 1 : v) : 0.0;
    }
    return sys->major[a] && sys->defence[a * n + m] ? 1.0 : 0.0;
}

ent_err_t ent_i_pm_proximity(const ent_pactmodel_settings_t *s, const ent_sysyear_t *sys, double *prox)
{
    size_t n = sys->n;
    double *direct = ent_calloc(n * n, sizeof *direct);
    if (!direct) {
        return ent_i_nomem();
    }
    for (size_t a = 0; a < n; a++) {
        for (size_t b = 0; b < n; b++) {
            direct[a * n + b] = prox_direct(s, sys, a, b);
        }
    }
    for (size_t a = 0; a < n; a++) {
        for (size_t b = 0; b < n; b++) {
            prox[a * n + b] = direct[a * n + b];
        }
        /* a's forces in m bring a as close to b as m is. Presence rows are sparse: skip zeros. */
        for (size_t m = 0; m < n; m++) {
            double pr = m == a ? 0.0 : presence_of(sys, a, m);
            if (pr <= 0) {
                continue;
            }
            for (size_t b = 0; b < n; b++) {
                double v = pr * direct[m * n + b];
                if (v > prox[a * n + b]) {
                    prox[a * n + b] = v;
                }
            }
        }
    }
    ent_free(direct);
    return ENT_OK;
}

static double host(const ent_sysyear_t *sys, size_t i, size_t j)
{
    double h = sys->hostility[i * sys->n + j];
    return isfinite(h) ? (h < 0 ? 0 : h > 1 ? 1 : h) : 0.0;
}

static double cinc_of(const ent_sysyear_t *sys, size_t i)
{
    double c = sys->cinc[i];
    return isfinite(c) && c > 0 ? c : 0.0;
}

ent_err_t ent_pactmodel_terms(const ent_pactmodel_t *m, const ent_sysyear_t *sys, double *X)
{
    ent_err_t rc = check_sys(sys);
    if (rc != ENT_OK) {
        return rc;
    }
    const ent_pactmodel_settings_t *s = ent_pactmodel_settings(m);
    size_t n = sys->n;
    double *prox = NULL, *threat = NULL;
    int *deg = NULL;
    size_t *hptr = NULL, *dptr = NULL, *hidx = NULL, *didx = NULL;
    prox = ent_calloc(n * n, sizeof *prox);
    threat = ent_calloc(n, sizeof *threat);
    deg = ent_calloc(n, sizeof *deg);
    hptr = ent_calloc(n + 1, sizeof *hptr);
    dptr = ent_calloc(n + 1, sizeof *dptr);
    hidx = ent_calloc(n * n, sizeof *hidx);
    didx = ent_calloc(n * n, sizeof *didx);
    if (!prox || !threat || !deg || !hptr || !dptr || !hidx || !didx) {
        rc = ent_i_nomem();
        goto done;
    }
    ENT_CHECK(ent_i_pm_proximity(s, sys, prox));
    for (size_t i = 0; i < n; i++) {
        double t = 0;
        for (size_t k = 0; k < n; k++) {
            if (k != i) {
                t += host(sys, i, k) * cinc_of(sys, k) * prox[k * n + i];
            }
            deg[i] += k != i && sys->defence[i * n + k];
        }
        threat[i] = log1p(t / s->threat_ref);
    }
    /* adjacency lists (CSR) of hostility > 0 and of defence ties */
    size_t nh = 0, nd = 0;
    for (size_t i = 0; i < n; i++) {
        hptr[i] = nh;
        dptr[i] = nd;
        for (size_t k = 0; k < n; k++) {
            if (k != i && host(sys, i, k) > 0) {
                hidx[nh++] = k;
            }
            if (k != i && sys->defence[i * n + k]) {
                didx[nd++] = k;
            }
        }
    }
    hptr[n] = nh;
    dptr[n] = nd;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double *x = X + (i * n + j) * ENT_PM_NFORM;
            memset(x, 0, ENT_PM_NFORM * sizeof *x);
            if (i == j) {
                continue;
            }
            /* Only j's adversaries contribute to common enemies and entanglement, only i's allies to
             * common allies: walk those (in increasing k, so the sums are those of the full loop). */
            double common = 0, entangle = 0;
            int allies = 0;
            for (size_t q = hptr[j]; q < hptr[j + 1]; q++) {
                size_t k = hidx[q];
                if (k == i) {
                    continue;
                }
                double hik = host(sys, i, k), hjk = host(sys, j, k), ck = cinc_of(sys, k);
                common += (hik < hjk ? hik : hjk) * ck;
                entangle += hjk * (1.0 - hik) * ck;
            }
            for (size_t q = dptr[i]; q < dptr[i + 1]; q++) {
                size_t k = didx[q];
                allies += k != j && sys->defence[j * n + k];
            }
            double deter = 10.0 * cinc_of(sys, j) * prox[j * n + i];
            x[ENT_PM_F_CONST] = 1.0;
            x[ENT_PM_F_HOSTILE] = host(sys, i, j);
            x[ENT_PM_F_COMMON_ENEMY] = 10.0 * common;
            x[ENT_PM_F_THREAT] = threat[i];
            x[ENT_PM_F_DETER] = deter;
            x[ENT_PM_F_THREAT_DETER] = threat[i] * deter;
            x[ENT_PM_F_ENTANGLE] = 10.0 * entangle;
            double d = sys->dist_km[i * n + j];
            x[ENT_PM_F_LDIST] = isfinite(d) && d > 0 ? log1p(d / 1000.0) : 0.0;
            if (sys->contig) {
                x[ENT_PM_F_CONTIG_LAND] = sys->contig[i * n + j] == 1;
                x[ENT_PM_F_CONTIG_SEA] = sys->contig[i * n + j] == 2;
            }
            double idist = NAN;
            if (sys->ideal_dist) {
                idist = sys->ideal_dist[i * n + j];
            } else if (sys->ideal) {
                idist = fabs(sys->ideal[i] - sys->ideal[j]);
            }
            if (isfinite(idist)) {
                x[ENT_PM_F_IDEAL_DIST] = idist;
            } else {
                x[ENT_PM_F_IDEAL_MISSING] = 1.0;
            }
            double rdist = sys->polyarchy ? fabs(sys->polyarchy[i] - sys->polyarchy[j]) : NAN;
            if (isfinite(rdist)) {
                x[ENT_PM_F_REGIME_DIST] = rdist;
            } else {
                x[ENT_PM_F_REGIME_MISSING] = 1.0;
            }
            x[ENT_PM_F_COMMON_ALLIES] = log1p((double)allies);
            x[ENT_PM_F_DEGREE] = log1p((double)deg[j]);
            x[ENT_PM_F_MAJOR] = sys->major[j] ? 1.0 : 0.0;
            if (sys->last_tie && !sys->defence[i * n + j] && sys->last_tie[i * n + j] > 0 &&
                sys->last_tie[i * n + j] <= sys->year) {
                x[ENT_PM_F_PRIOR_TIE] = exp(-(double)(sys->year - sys->last_tie[i * n + j]) / 10.0);
            }
            /* a region-wide declaration is a weaker signal than a pact of a few (the fit says how much) */
            int lk = ent_i_pm_lesser_kind(sys->lesser ? sys->lesser[i * n + j] : 0, s->lesser_broad);
            x[ENT_PM_F_LESSER] = lk == 0 ? 1.0 : 0.0;
            x[ENT_PM_F_LESSER_BROAD] = lk == 1 ? 1.0 : 0.0;
            x[ENT_PM_F_NEUTRAL] = sys->neutral && sys->neutral[i] ? 1.0 : 0.0;
        }
    }
done:
    ent_free(prox);
    ent_free(threat);
    ent_free(deg);
    ent_free(hptr);
    ent_free(dptr);
    ent_free(hidx);
    ent_free(didx);
    return rc;
}

/* Whether i and j are both members of a multilateral treaty. */
static bool co_members(const ent_sysyear_t *sys, size_t i, size_t j)
{
    for (size_t t = 0; t < sys->ntreaties; t++) {
        if (sys->member[t * sys->n + i] && sys->member[t * sys->n + j]) {
            return true;
        }
    }
    return false;
}

void ent_i_pm_end_terms(const ent_sysyear_t *sys, size_t i, size_t j, double *z)
{
    size_t n = sys->n;
    memset(z, 0, ENT_PM_NEND * sizeof *z);
    z[ENT_PM_E_CONST] = 1.0;
    int di = 0, dj = 0;
    for (size_t k = 0; k < n; k++) {
        di += k != i && sys->defence[i * n + k];
        dj += k != j && sys->defence[j * n + k];
    }
    if (sys->cinc0) {
        double ci = cinc_of(sys, i), cj = cinc_of(sys, j);
        double c0i = sys->cinc0[i * n + j], c0j = sys->cinc0[j * n + i];
        if (ci + cj > 0 && isfinite(c0i) && isfinite(c0j) && c0i + c0j > 0) {
            z[ENT_PM_E_DPOWER] = fabs(ci / (ci + cj) - c0i / (c0i + c0j));
        }
    }
    if (sys->poly0 && sys->polyarchy) {
        double a = fabs(sys->polyarchy[i] - sys->poly0[i * n + j]);
        double b = fabs(sys->polyarchy[j] - sys->poly0[j * n + i]);
        z[ENT_PM_E_DREGIME] = (isfinite(a) ? a : 0) + (isfinite(b) ? b : 0);
    }
    if (sys->deg0) {
        int gi = di - 1 - sys->deg0[i * n + j], gj = dj - 1 - sys->deg0[j * n + i];
        z[ENT_PM_E_OUTSIDE] = log1p((double)((gi > 0 ? gi : 0) + (gj > 0 ? gj : 0)));
    }
    z[ENT_PM_E_HOSTILE] = host(sys, i, j);
    if (sys->since && sys->since[i * n + j] > 0 && sys->since[i * n + j] <= sys->year) {
        z[ENT_PM_E_LAGE] = log1p((double)(sys->year - sys->since[i * n + j]));
    }
    double idist = NAN;
    if (sys->ideal_dist) {
        idist = sys->ideal_dist[i * n + j];
    } else if (sys->ideal) {
        idist = fabs(sys->ideal[i] - sys->ideal[j]);
    }
    /* unknown distance: its own indicator, not "perfect agreement" */
    z[ENT_PM_E_IDEAL_DIST] = isfinite(idist) ? idist : 0.0;
    z[ENT_PM_E_IDEAL_MISSING] = isfinite(idist) ? 0.0 : 1.0;
    z[ENT_PM_E_MULTILAT] = co_members(sys, i, j) ? 1.0 : 0.0;
}

ent_err_t ent_i_pm_utility_from_terms(const double *theta, const ent_sysyear_t *sys, const double *X, double *u)
{
    size_t n = sys->n;
    for (size_t i = 0; i < n; i++) {
        double off = sys->offset && isfinite(sys->offset[i]) ? sys->offset[i] : 0.0;
        for (size_t j = 0; j < n; j++) {
            if (i == j) {
                u[i * n + j] = 0;
                continue;
            }
            const double *x = X + (i * n + j) * ENT_PM_NFORM;
            double v = off;
            for (size_t f = 0; f < ENT_PM_NFORM; f++) {
                v += theta[f] * x[f];
            }
            u[i * n + j] = v;
        }
    }
    return ENT_OK;
}

ent_err_t ent_pactmodel_utility(const ent_pactmodel_t *m, const double *theta, const ent_sysyear_t *sys, double *u)
{
    ent_err_t rc = check_sys(sys);
    if (rc != ENT_OK) {
        return rc;
    }
    double *X = ent_calloc(sys->n * sys->n * ENT_PM_NFORM, sizeof *X);
    if (!X) {
        return ent_i_nomem();
    }
    rc = ent_pactmodel_terms(m, sys, X);
    if (rc == ENT_OK) {
        rc = ent_i_pm_utility_from_terms(theta, sys, X, u);
    }
    ent_free(X);
    return rc;
}

/* Members of treaty t, and whether k may join it (not a member, not already tied to every member). */
static size_t treaty_size(const ent_sysyear_t *sys, size_t t)
{
    size_t c = 0;
    for (size_t i = 0; i < sys->n; i++) {
        c += sys->member[t * sys->n + i] != 0;
    }
    return c;
}

double ent_i_pm_join_prob(const ent_sysyear_t *sys, const double *u, size_t t, size_t k)
{
    size_t n = sys->n;
    if (sys->member[t * n + k] || (sys->eligible && !sys->eligible[t * n + k])) {
        return 0.0; /* a member, or barred by the treaty's accession clause */
    }
    double su = 0, sc = 0;
    size_t cnt = 0, tied = 0;
    for (size_t mbr = 0; mbr < n; mbr++) {
        if (!sys->member[t * n + mbr]) {
            continue;
        }
        su += u[k * n + mbr];
        sc += sigmoid(u[mbr * n + k]);
        tied += sys->defence[k * n + mbr] != 0;
        cnt++;
    }
    if (cnt < 3 || tied == cnt) {
        return 0.0; /* not a multilateral treaty, or nothing to gain */
    }
    return sigmoid(su / (double)cnt) * (sc / (double)cnt);
}

ent_err_t ent_i_pm_probs_from_utility(const double *theta, const ent_sysyear_t *sys, const double *u, double *p_form,
                                      double *p_end, double *p_join)
{
    size_t n = sys->n;
    if (p_form) {
        for (size_t i = 0; i < n; i++) {
            p_form[i * n + i] = 0;
            for (size_t j = i + 1; j < n; j++) {
                double p = 0;
                if (!sys->defence[i * n + j]) {
                    p = sigmoid(u[i * n + j]) * sigmoid(u[j * n + i]);
                }
                p_form[i * n + j] = p_form[j * n + i] = p;
            }
        }
    }
    for (size_t t = 0; t < sys->ntreaties; t++) {
        if (treaty_size(sys, t) < 3) {
            if (p_join) {
                memset(p_join + t * n, 0, n * sizeof *p_join);
            }
            continue;
        }
        for (size_t k = 0; k < n; k++) {
            double pj = ent_i_pm_join_prob(sys, u, t, k);
            if (p_join) {
                p_join[t * n + k] = pj;
            }
            if (!p_form || pj <= 0) {
                continue;
            }
            /* k joining T makes k a partner of every member it is not tied to yet. */
            for (size_t mbr = 0; mbr < n; mbr++) {
                if (sys->member[t * n + mbr] && mbr != k && !sys->defence[k * n + mbr]) {
                    double q = 1.0 - (1.0 - p_form[k * n + mbr]) * (1.0 - pj);
                    p_form[k * n + mbr] = p_form[mbr * n + k] = q;
                }
            }
        }
    }
    if (p_end) {
        const double *gamma = theta + ENT_PM_NFORM;
        double z[ENT_PM_NEND];
        for (size_t i = 0; i < n; i++) {
            p_end[i * n + i] = 0;
            for (size_t j = i + 1; j < n; j++) {
                double p = 0;
                if (sys->defence[i * n + j]) {
                    ent_i_pm_end_terms(sys, i, j, z);
                    double eta = 0;
                    for (size_t g = 0; g < ENT_PM_NEND; g++) {
                        eta += gamma[g] * z[g];
                    }
                    p = sigmoid(eta);
                }
                p_end[i * n + j] = p_end[j * n + i] = p;
            }
        }
    }
    return ENT_OK;
}

ent_err_t ent_pactmodel_probs(const ent_pactmodel_t *m, const double *theta, const ent_sysyear_t *sys, double *p_form,
                              double *p_end, double *p_join)
{
    ent_err_t rc = check_sys(sys);
    if (rc != ENT_OK) {
        return rc;
    }
    double *u = ent_calloc(sys->n * sys->n, sizeof *u);
    if (!u) {
        return ent_i_nomem();
    }
    ENT_CHECK(ent_pactmodel_utility(m, theta, sys, u));
    ENT_CHECK(ent_i_pm_probs_from_utility(theta, sys, u, p_form, p_end, p_join));
done:
    ent_free(u);
    return rc;
}

/* Records a new tie i-j at year y: what termination will compare against. */
static void start_tie(ent_sysyear_t *sys, size_t i, size_t j, int y, const int *deg)
{
    size_t n = sys->n;
    sys->defence[i * n + j] = sys->defence[j * n + i] = 1;
    if (sys->since) {
        sys->since[i * n + j] = sys->since[j * n + i] = y;
    }
    if (sys->cinc0) {
        sys->cinc0[i * n + j] = sys->cinc[i];
        sys->cinc0[j * n + i] = sys->cinc[j];
    }
    if (sys->poly0) {
        sys->poly0[i * n + j] = sys->polyarchy ? sys->polyarchy[i] : NAN;
        sys->poly0[j * n + i] = sys->polyarchy ? sys->polyarchy[j] : NAN;
    }
    if (sys->deg0) {
        sys->deg0[i * n + j] = deg[i];
        sys->deg0[j * n + i] = deg[j];
    }
}

static ent_err_t push_event(ent_vec_t *events, ent_pactevent_kind_t kind, int year, size_t i, size_t j, size_t t,
                            double p)
{
    if (!events) {
        return ENT_OK;
    }
    ent_pactevent_t e = {kind, year, i, j, t, p};
    return ent_vec_push(events, &e);
}

ent_err_t ent_pactmodel_step(const ent_pactmodel_t *m, const double *theta, ent_sysyear_t *sys, ent_rng_t *rng,
                             ent_vec_t *events)
{
    ent_err_t rc = check_sys(sys);
    if (rc != ENT_OK) {
        return rc;
    }
    if (events && events->esize != sizeof(ent_pactevent_t)) {
        return ent_i_err(ENT_EINVAL, "pact model: the events vector must hold ent_pactevent_t");
    }
    size_t n = sys->n, nt = sys->ntreaties;
    size_t ev0 = events ? events->len : 0;
    double *u = ent_calloc(n * n, sizeof *u), *p_end = ent_calloc(n * n, sizeof *p_end);
    double *p_join = ent_calloc(nt ? nt * n : 1, sizeof *p_join);
    unsigned char *ends = ent_calloc(n * n, 1), *newtie = ent_calloc(n * n, 1);
    size_t *joined = ent_calloc(n, sizeof *joined); /* treaty + 1 that k joins this year, 0 none */
    int *deg = ent_calloc(n, sizeof *deg);
    if (!u || !p_end || !p_join || !ends || !newtie || !joined || !deg) {
        rc = ent_i_nomem();
        goto done;
    }
    ENT_CHECK(ent_pactmodel_utility(m, theta, sys, u));
    ENT_CHECK(ent_i_pm_probs_from_utility(theta, sys, u, NULL, p_end, p_join));
    int next = sys->year + 1;
    /* 1. terminations */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (sys->defence[i * n + j]) {
                double p = p_end[i * n + j];
                if (ent_rng_uniform(rng) < p) {
                    ends[i * n + j] = 1;
                    ENT_CHECK(push_event(events, ENT_PM_END, next, i, j, SIZE_MAX, p));
                }
            }
        }
    }
    /* 2. joins: a state joins at most one treaty a year */
    for (size_t t = 0; t < nt; t++) {
        for (size_t k = 0; k < n; k++) {
            double p = p_join[t * n + k];
            if (p <= 0) {
                continue;
            }
            if (ent_rng_uniform(rng) < p && !joined[k]) {
                joined[k] = t + 1;
                for (size_t mbr = 0; mbr < n; mbr++) {
                    if (mbr != k && sys->member[t * n + mbr] && !sys->defence[k * n + mbr]) {
                        newtie[k * n + mbr] = newtie[mbr * n + k] = 1;
                    }
                }
                ENT_CHECK(push_event(events, ENT_PM_JOIN, next, k, SIZE_MAX, t, p));
            }
        }
    }
    /* 3. bilateral pacts, with both sides' consent */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (sys->defence[i * n + j] || newtie[i * n + j]) {
                continue;
            }
            double p = sigmoid(u[i * n + j]) * sigmoid(u[j * n + i]);
            if (ent_rng_uniform(rng) < p) {
                newtie[i * n + j] = newtie[j * n + i] = 1;
                ENT_CHECK(push_event(events, ENT_PM_FORM, next, i, j, SIZE_MAX, p));
            }
        }
    }
    /* Apply: the degrees at the start of a new tie are those before this year's changes. */
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < n; k++) {
            deg[i] += k != i && sys->defence[i * n + k];
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (ends[i * n + j]) {
                sys->defence[i * n + j] = sys->defence[j * n + i] = 0;
                if (sys->last_tie) {
                    sys->last_tie[i * n + j] = sys->last_tie[j * n + i] = sys->year; /* its last year in force */
                }
            }
            if (newtie[i * n + j]) {
                start_tie(sys, i, j, next, deg);
            }
        }
    }
    for (size_t k = 0; k < n; k++) {
        if (joined[k]) {
            sys->member[(joined[k] - 1) * n + k] = 1;
        }
    }
    /* A member with no tie left to any other member leaves its treaty. */
    for (size_t t = 0; t < nt; t++) {
        for (size_t i = 0; i < n; i++) {
            if (!sys->member[t * n + i]) {
                continue;
            }
            bool any = false;
            for (size_t j = 0; j < n && !any; j++) {
                any = j != i && sys->member[t * n + j] && sys->defence[i * n + j];
            }
            if (!any) {
                sys->member[t * n + i] = 0;
            }
        }
    }
    sys->year = next;
done:
    if (rc != ENT_OK && events) {
        events->len = ev0;
    }
    ent_free(u);
    ent_free(p_end);
    ent_free(p_join);
    ent_free(ends);
    ent_free(newtie);
    ent_free(joined);
    ent_free(deg);
    return rc;
}
