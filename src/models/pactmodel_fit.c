/*
 * pactmodel_fit.c -- maximum likelihood for the pact model: the
 * one-step-ahead likelihood of the decisions ent_pactmodel_step draws, each
 * observed in the next year's system:
 *   - every join decision: a state k outside a multilateral treaty T (three or
 *     more members in t) that is not yet tied to all of them: is k a member of
 *     T in t + 1 (matched by treaty id)? P = sigma(mean u_km) x mean sigma(u_mk);
 *   - every bilateral decision: a pair untied in t, both still in the system in
 *     t + 1, not made partners by a join: is there a tie in t + 1?
 *     P = sigma(u_ij) sigma(u_ji);
 *   - every tie in force in t: has it ended in t + 1? P = sigma(gamma . z).
 * A join's many new dyads are then one outcome, not many independent ones.
 * The gradient is analytic (through the directed utilities, which are linear
 * in theta); BFGS (GSL); a ridge penalty on every term but the two intercepts;
 * the covariance is the cluster-robust sandwich H^-1 B H^-1 (H the observed
 * information, by central differences of the analytic gradient at the
 * optimum; B the outer products of the scores summed within clusters of
 * related decisions, with the small-sample factor G/(G-1): Cameron & Miller
 * 2015), because one decision (a treaty's founding, a dyad's history) makes
 * many observations that the likelihood counts as independent.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

#include "entente/pactmodel.h"
#include "pactmodel_int.h"
#include "util_int.h"

enum { NF = ENT_PM_NFORM, NE = ENT_PM_NEND, NP = ENT_PM_NPARAMS };

typedef struct {
    size_t n, nt;
    int year;              /* t: outcomes are of t + 1 */
    double *X;             /* n*n*NF */
    unsigned char *def;    /* n*n at t */
    unsigned char *member; /* nt*n */
    size_t *tsize;         /* nt: members */
    size_t njoin;
    uint32_t *jt, *jk; /* join decisions: treaty, state */
    unsigned char *jy;
    size_t nrisk;
    uint32_t *ri, *rj; /* at-risk pairs i < j */
    unsigned char *ry;
    size_t ntie;
    double *z; /* ntie * NE */
    unsigned char *ty;
    uint32_t *ti, *tj;      /* the tie of each tie-year, i < j */
    uint32_t *ju, *ru, *tu; /* the unit (dyad, or state-treaty for a join) of each observation */
} fyear_t;

struct ent_pmfit_data {
    size_t nyears;
    fyear_t *y;
    size_t nform, form_events, nend, end_events, njoin, join_events;
    size_t nunits;
    uint32_t *unit_cluster; /* nunits: the decision cluster of each unit */
    ent_pmfit_cluster_t cluster;
    bool borrowed; /* a view of another data's years (ent_i_pmfit_data_view) */
};

void ent_pmfit_data_free(ent_pmfit_data_t *d)
{
    if (!d) {
        return;
    }
    if (d->borrowed) {
        ent_free(d);
        return;
    }
    for (size_t k = 0; k < d->nyears; k++) {
        fyear_t *f = &d->y[k];
        ent_free(f->X);
        ent_free(f->def);
        ent_free(f->member);
        ent_free(f->tsize);
        ent_free(f->jt);
        ent_free(f->jk);
        ent_free(f->jy);
        ent_free(f->ri);
        ent_free(f->rj);
        ent_free(f->ry);
        ent_free(f->z);
        ent_free(f->ty);
        ent_free(f->ti);
        ent_free(f->tj);
        ent_free(f->ju);
        ent_free(f->ru);
        ent_free(f->tu);
    }
    ent_free(d->unit_cluster);
    ent_free(d->y);
    ent_free(d);
}

void ent_pmfit_data_joins(const ent_pmfit_data_t *d, size_t *njoin, size_t *join_events)
{
    *njoin = d->njoin;
    *join_events = d->join_events;
}

void ent_pmfit_data_counts(const ent_pmfit_data_t *d, size_t *nform, size_t *form_events, size_t *nend,
                           size_t *end_events)
{
    *nform = d->nform;
    *form_events = d->form_events;
    *nend = d->nend;
    *end_events = d->end_events;
}

/* ---------------------------------------------------------------- clusters */

/*
 * Keys of the units of observation: a dyad (by state codes, the same across years), a state's
 * decision about one treaty (by the treaty's id), and a multilateral founding (a year and a
 * treaty of t + 1) that merges the dyads it made partners.
 */
static uint64_t dyad_key(int32_t a, int32_t b)
{
    uint64_t lo = (uint64_t)(a < b ? a : b), hi = (uint64_t)(a < b ? b : a);
    return (1ULL << 60) | (lo * ENT_PM_MAX_CCODE + hi);
}

static uint64_t join_key(int64_t tid, int32_t k)
{
    return (2ULL << 60) | (((uint64_t)tid & 0xffffffffffULL) << 10) | (uint64_t)k;
}

static uint64_t group_key(int year, int64_t tid)
{
    return (3ULL << 60) | ((uint64_t)(year & 0xfff) << 40) | ((uint64_t)tid & 0xffffffffffULL);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint32_t key_index(const uint64_t *u, size_t nu, uint64_t key)
{
    const uint64_t *p = bsearch(&key, u, nu, sizeof *u, cmp_u64);
    assert(p);
    return (uint32_t)(p - u);
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* The systems a (year t) and b (t + 1) of a fit year, or NULL. */
static const ent_sysyear_t *year_pair(const ent_sysyear_t *const *sys, size_t nsys, int year, const ent_sysyear_t **b)
{
    for (size_t k = 0; k + 1 < nsys; k++) {
        if (sys[k]->year == year && sys[k + 1]->year == year + 1) {
            *b = sys[k + 1];
            return sys[k];
        }
    }
    *b = NULL;
    return NULL;
}

/* Every observation's unit, and the decision cluster of every unit (docs: ent_pmfit_cluster_t). */
static ent_err_t assign_units(ent_pmfit_data_t *d, const ent_sysyear_t *const *sys, size_t nsys)
{
    ent_err_t rc = ENT_OK;
    ent_vec_t keys = ENT_VEC_INIT(uint64_t), links = ENT_VEC_INIT(uint64_t);
    int32_t *map = ent_malloc(ENT_PM_MAX_CCODE * sizeof *map);
    uint32_t *parent = NULL;
    if (!map) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k < d->nyears; k++) {
        fyear_t *f = &d->y[k];
        const ent_sysyear_t *b, *a = year_pair(sys, nsys, f->year, &b);
        assert(a && b);
        if (!(f->ru = ent_malloc((f->nrisk + 1) * sizeof *f->ru)) ||
            !(f->tu = ent_malloc((f->ntie + 1) * sizeof *f->tu)) ||
            !(f->ju = ent_malloc((f->njoin + 1) * sizeof *f->ju))) {
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t r = 0; r < f->nrisk; r++) {
            uint64_t key = dyad_key(a->ccode[f->ri[r]], a->ccode[f->rj[r]]);
            ENT_CHECK(ent_vec_push(&keys, &key));
        }
        for (size_t r = 0; r < f->ntie; r++) {
            uint64_t key = dyad_key(a->ccode[f->ti[r]], a->ccode[f->tj[r]]);
            ENT_CHECK(ent_vec_push(&keys, &key));
        }
        for (size_t r = 0; r < f->njoin; r++) {
            int64_t tid = a->treaty_id ? a->treaty_id[f->jt[r]] : (int64_t)f->jt[r];
            uint64_t key = join_key(tid, a->ccode[f->jk[r]]);
            ENT_CHECK(ent_vec_push(&keys, &key));
        }
        /* new ties of t + 1 inside one multilateral treaty of t + 1: one founding decision */
        for (int c = 0; c < ENT_PM_MAX_CCODE; c++) {
            map[c] = -1;
        }
        for (size_t i = 0; i < b->n; i++) {
            map[b->ccode[i]] = (int32_t)i;
        }
        for (size_t r = 0; r < f->nrisk; r++) {
            if (!f->ry[r]) {
                continue;
            }
            int32_t bi = map[a->ccode[f->ri[r]]], bj = map[a->ccode[f->rj[r]]];
            for (size_t q = 0; q < b->ntreaties; q++) {
                const unsigned char *mb = b->member + q * b->n;
                if (mb[bi] && mb[bj]) {
                    uint64_t pair[2] = {dyad_key(a->ccode[f->ri[r]], a->ccode[f->rj[r]]),
                                        group_key(b->year, b->treaty_id ? b->treaty_id[q] : (int64_t)q)};
                    ENT_CHECK(ent_vec_push(&keys, &pair[1]));
                    ENT_CHECK(ent_vec_push(&links, &pair[0]));
                    ENT_CHECK(ent_vec_push(&links, &pair[1]));
                }
            }
        }
    }
    uint64_t *all = keys.data;
    size_t nk = keys.len, nu = 0;
    qsort(all, nk, sizeof *all, cmp_u64);
    for (size_t k = 0; k < nk; k++) {
        if (nu == 0 || all[nu - 1] != all[k]) {
            all[nu++] = all[k];
        }
    }
    if (nu >= UINT32_MAX || !(parent = ent_malloc((nu + 1) * sizeof *parent)) ||
        !(d->unit_cluster = ent_malloc((nu + 1) * sizeof *d->unit_cluster))) {
        rc = ent_i_nomem();
        goto done;
    }
    d->nunits = nu;
    for (size_t u = 0; u < nu; u++) {
        parent[u] = (uint32_t)u;
    }
    const uint64_t *lk = links.data;
    for (size_t l = 0; l + 1 < links.len; l += 2) {
        uint32_t x = uf_find(parent, key_index(all, nu, lk[l])), y = uf_find(parent, key_index(all, nu, lk[l + 1]));
        if (x != y) {
            parent[x < y ? y : x] = x < y ? x : y;
        }
    }
    for (size_t u = 0; u < nu; u++) {
        d->unit_cluster[u] = uf_find(parent, (uint32_t)u);
    }
    for (size_t k = 0; k < d->nyears; k++) {
        fyear_t *f = &d->y[k];
        const ent_sysyear_t *b, *a = year_pair(sys, nsys, f->year, &b);
        for (size_t r = 0; r < f->nrisk; r++) {
            f->ru[r] = key_index(all, nu, dyad_key(a->ccode[f->ri[r]], a->ccode[f->rj[r]]));
        }
        for (size_t r = 0; r < f->ntie; r++) {
            f->tu[r] = key_index(all, nu, dyad_key(a->ccode[f->ti[r]], a->ccode[f->tj[r]]));
        }
        for (size_t r = 0; r < f->njoin; r++) {
            int64_t tid = a->treaty_id ? a->treaty_id[f->jt[r]] : (int64_t)f->jt[r];
            f->ju[r] = key_index(all, nu, join_key(tid, a->ccode[f->jk[r]]));
        }
    }
done:
    ent_vec_destroy(&keys);
    ent_vec_destroy(&links);
    ent_free(map);
    ent_free(parent);
    return rc;
}

void ent_pmfit_data_set_cluster(ent_pmfit_data_t *d, ent_pmfit_cluster_t how)
{
    d->cluster = how;
}

/* The number of cluster slots of the current clustering (ids are below it). */
static size_t cluster_slots(const ent_pmfit_data_t *d)
{
    return d->cluster == ENT_PMFIT_CLUSTER_NONE ? d->nform + d->nend + d->njoin : d->nunits;
}

static inline size_t cluster_of(const ent_pmfit_data_t *d, uint32_t unit, size_t *seq)
{
    switch (d->cluster) {
    case ENT_PMFIT_CLUSTER_NONE: return (*seq)++;
    case ENT_PMFIT_CLUSTER_DYAD: return unit;
    default: return d->unit_cluster[unit];
    }
}

size_t ent_pmfit_data_nclusters(const ent_pmfit_data_t *d)
{
    size_t slots = cluster_slots(d), seq = 0, g = 0;
    unsigned char *seen = ent_calloc(slots + 1, 1);
    if (!seen) {
        return 0;
    }
    for (size_t k = 0; k < d->nyears; k++) {
        const fyear_t *f = &d->y[k];
        for (size_t r = 0; r < f->njoin; r++) {
            seen[cluster_of(d, f->ju[r], &seq)] = 1;
        }
        for (size_t r = 0; r < f->nrisk; r++) {
            seen[cluster_of(d, f->ru[r], &seq)] = 1;
        }
        for (size_t r = 0; r < f->ntie; r++) {
            seen[cluster_of(d, f->tu[r], &seq)] = 1;
        }
    }
    for (size_t c = 0; c < slots; c++) {
        g += seen[c];
    }
    ent_free(seen);
    return g;
}

ent_err_t ent_pmfit_data_build(ent_pmfit_data_t **out, const ent_pactmodel_t *m, const ent_sysyear_t *const *sys,
                               size_t nsys, int from, int to)
{
    *out = NULL;
    ent_err_t rc = ENT_OK;
    int32_t *map = NULL;
    ent_pmfit_data_t *d = ent_calloc(1, sizeof *d);
    if (!d || !(d->y = ent_calloc(nsys ? nsys : 1, sizeof *d->y)) ||
        !(map = ent_malloc(ENT_PM_MAX_CCODE * sizeof *map))) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k + 1 < nsys; k++) {
        const ent_sysyear_t *a = sys[k], *b = sys[k + 1];
        if (b->year != a->year + 1 || b->year < from || b->year > to) {
            continue;
        }
        if (!a->ccode || !b->ccode) {
            rc = ent_i_err(ENT_EINVAL, "pact-model fit: the systems of %d and %d need state codes", a->year, b->year);
            goto done;
        }
        size_t n = a->n, nt = a->ntreaties;
        for (int c = 0; c < ENT_PM_MAX_CCODE; c++) {
            map[c] = -1;
        }
        for (size_t i = 0; i < b->n; i++) {
            if (b->ccode[i] <= 0 || b->ccode[i] >= ENT_PM_MAX_CCODE) {
                rc = ent_i_err(ENT_ERANGE, "pact-model fit: state code %d in %d", b->ccode[i], b->year);
                goto done;
            }
            map[b->ccode[i]] = (int32_t)i;
        }
        fyear_t *f = &d->y[d->nyears++];
        f->n = n;
        f->nt = nt;
        f->year = a->year;
        f->X = ent_malloc(n * n * NF * sizeof *f->X);
        f->def = ent_malloc(n * n);
        f->member = ent_calloc(nt ? nt * n : 1, 1);
        f->ri = ent_malloc(n * n / 2 * sizeof *f->ri + sizeof *f->ri);
        f->rj = ent_malloc(n * n / 2 * sizeof *f->rj + sizeof *f->rj);
        f->ry = ent_malloc(n * n / 2 + 1);
        f->z = ent_malloc((n * n / 2 + 1) * NE * sizeof *f->z);
        f->ty = ent_malloc(n * n / 2 + 1);
        f->ti = ent_malloc(n * n / 2 * sizeof *f->ti + sizeof *f->ti);
        f->tj = ent_malloc(n * n / 2 * sizeof *f->tj + sizeof *f->tj);
        if (!f->X || !f->def || !f->member || !f->ri || !f->rj || !f->ry || !f->z || !f->ty || !f->ti || !f->tj) {
            rc = ent_i_nomem();
            goto done;
        }
        ENT_CHECK(ent_pactmodel_terms(m, a, f->X));
        memcpy(f->def, a->defence, n * n);
        if (nt) {
            memcpy(f->member, a->member, nt * n);
        }
        f->tsize = ent_calloc(nt ? nt : 1, sizeof *f->tsize);
        f->jt = ent_malloc((nt ? nt * n : 1) * sizeof *f->jt);
        f->jk = ent_malloc((nt ? nt * n : 1) * sizeof *f->jk);
        f->jy = ent_calloc(nt ? nt * n : 1, 1);
        unsigned char *linked = ent_calloc(n * n, 1); /* pairs a join made partners in t + 1 */
        if (!f->tsize || !f->jt || !f->jk || !f->jy || !linked) {
            ent_free(linked);
            rc = ent_i_nomem();
            goto done;
        }
        for (size_t t = 0; t < nt; t++) {
            const unsigned char *mb = a->member + t * n;
            size_t cnt = 0;
            for (size_t i = 0; i < n; i++) {
                cnt += mb[i] != 0;
            }
            f->tsize[t] = cnt;
            if (cnt < 3) {
                continue;
            }
            /* the same treaty in t + 1: by id when both years have ids, else by position */
            long tb = -1;
            if (a->treaty_id && b->treaty_id) {
                for (size_t q = 0; q < b->ntreaties; q++) {
                    if (b->treaty_id[q] == a->treaty_id[t]) {
                        tb = (long)q;
                    }
                }
            } else if (t < b->ntreaties) {
                tb = (long)t;
            }
            for (size_t q = 0; q < n; q++) {
                if (mb[q] || a->ccode[q] <= 0 || a->ccode[q] >= ENT_PM_MAX_CCODE || map[a->ccode[q]] < 0) {
                    continue;
                }
                if (a->eligible && !a->eligible[t * n + q]) {
                    continue; /* barred by the accession clause: no join decision (an entry would score as bilateral) */
                }
                size_t tied = 0;
                for (size_t mm = 0; mm < n; mm++) {
                    tied += mb[mm] && a->defence[q * n + mm];
                }
                if (tied == cnt) {
                    continue;
                }
                bool joined = tb >= 0 && b->member[(size_t)tb * b->n + (size_t)map[a->ccode[q]]];
                f->jt[f->njoin] = (uint32_t)t;
                f->jk[f->njoin] = (uint32_t)q;
                f->jy[f->njoin] = joined;
                f->njoin++;
                d->join_events += joined;
                if (joined) {
                    for (size_t mm = 0; mm < n; mm++) {
                        if (mb[mm]) {
                            linked[q * n + mm] = linked[mm * n + q] = 1;
                        }
                    }
                }
            }
        }
        for (size_t i = 0; i < n; i++) {
            int32_t bi = a->ccode[i] > 0 && a->ccode[i] < ENT_PM_MAX_CCODE ? map[a->ccode[i]] : -1;
            if (bi < 0) {
                continue;
            }
            for (size_t j = i + 1; j < n; j++) {
                int32_t bj = a->ccode[j] > 0 && a->ccode[j] < ENT_PM_MAX_CCODE ? map[a->ccode[j]] : -1;
                if (bj < 0) {
                    continue; /* a state that leaves the system: no outcome */
                }
                unsigned char next = b->defence[(size_t)bi * b->n + (size_t)bj] != 0;
                if (!a->defence[i * n + j] && linked[i * n + j]) {
                    continue; /* decided by the join */
                }
                if (!a->defence[i * n + j]) {
                    f->ri[f->nrisk] = (uint32_t)i;
                    f->rj[f->nrisk] = (uint32_t)j;
                    f->ry[f->nrisk] = next;
                    f->nrisk++;
                    d->form_events += next;
                } else {
                    ent_i_pm_end_terms(a, i, j, f->z + f->ntie * NE);
                    f->ti[f->ntie] = (uint32_t)i;
                    f->tj[f->ntie] = (uint32_t)j;
                    f->ty[f->ntie] = !next;
                    f->ntie++;
                    d->end_events += !next;
                }
            }
        }
        ent_free(linked);
        d->nform += f->nrisk;
        d->nend += f->ntie;
        d->njoin += f->njoin;
    }
    if (d->nform == 0) {
        rc = ent_i_err(ENT_ERANGE, "pact-model fit: no consecutive years with outcomes in %d-%d", from, to);
        goto done;
    }
    ENT_CHECK(assign_units(d, sys, nsys));
    *out = d;
    d = NULL;
done:
    ent_free(map);
    ent_pmfit_data_free(d);
    return rc;
}

static inline double clampp(double p)
{
    return p < 1e-300 ? 1e-300 : p;
}

/*
 * The log likelihood at theta and, when g is not NULL, its gradient (both summed, not penalised).
 * work: at least max over years of 3 n^2 doubles.
 */
static double loglik(const ent_pmfit_data_t *d, const double *theta, double *g, double *work)
{
    double ll = 0;
    if (g) {
        memset(g, 0, NP * sizeof *g);
    }
    for (size_t k = 0; k < d->nyears; k++) {
        const fyear_t *f = &d->y[k];
        size_t n = f->n;
        double *u = work, *s = work + n * n, *w = work + 2 * n * n;
        for (size_t ij = 0; ij < n * n; ij++) {
            const double *x = f->X + ij * NF;
            double v = 0;
            for (size_t q = 0; q < NF; q++) {
                v += theta[q] * x[q];
            }
            u[ij] = v;
            s[ij] = ent_i_pm_sigmoid(v);
            w[ij] = 0;
        }
        /* join decisions, as ent_i_pm_join_prob */
        for (size_t r = 0; r < f->njoin; r++) {
            size_t t = f->jt[r], kk = f->jk[r];
            const unsigned char *mb = f->member + t * n;
            double c = (double)f->tsize[t], su = 0, sc = 0;
            for (size_t mm = 0; mm < n; mm++) {
                if (mb[mm]) {
                    su += u[kk * n + mm];
                    sc += s[mm * n + kk];
                }
            }
            double sb = ent_i_pm_sigmoid(su / c), cb = sc / c, p = sb * cb;
            bool y = f->jy[r];
            ll += y ? log(clampp(p)) : log(clampp(1.0 - p));
            if (!g) {
                continue;
            }
            double a = y ? 1.0 / clampp(p) : -1.0 / clampp(1.0 - p); /* dlogL/dp */
            for (size_t mm = 0; mm < n; mm++) {
                if (!mb[mm]) {
                    continue;
                }
                double smk = s[mm * n + kk];
                w[kk * n + mm] += a * sb * (1.0 - sb) * cb / c;
                w[mm * n + kk] += a * sb * smk * (1.0 - smk) / c;
            }
        }
        /* bilateral decisions */
        for (size_t r = 0; r < f->nrisk; r++) {
            size_t i = f->ri[r], j = f->rj[r];
            double sij = s[i * n + j], sji = s[j * n + i], p = sij * sji;
            bool y = f->ry[r];
            ll += y ? log(clampp(p)) : log(clampp(1.0 - p));
            if (!g) {
                continue;
            }
            double a = y ? 1.0 / clampp(p) : -1.0 / clampp(1.0 - p);
            w[i * n + j] += a * p * (1.0 - sij);
            w[j * n + i] += a * p * (1.0 - sji);
        }
        if (g) {
            for (size_t ij = 0; ij < n * n; ij++) {
                if (w[ij] == 0) {
                    continue;
                }
                const double *x = f->X + ij * NF;
                for (size_t q = 0; q < NF; q++) {
                    g[q] += w[ij] * x[q];
                }
            }
        }
        /* termination: a logit */
        const double *gam = theta + NF;
        for (size_t r = 0; r < f->ntie; r++) {
            const double *z = f->z + r * NE;
            double eta = 0;
            for (size_t q = 0; q < NE; q++) {
                eta += gam[q] * z[q];
            }
            double p = ent_i_pm_sigmoid(eta);
            bool y = f->ty[r];
            ll += y ? log(clampp(p)) : log(clampp(1.0 - p));
            if (g) {
                double e = (y ? 1.0 : 0.0) - p;
                for (size_t q = 0; q < NE; q++) {
                    g[NF + q] += e * z[q];
                }
            }
        }
    }
    return ll;
}

size_t ent_i_pmfit_nyears(const ent_pmfit_data_t *d)
{
    return d->nyears;
}

void ent_i_pmfit_year(const ent_pmfit_data_t *d, size_t k, const double *theta, ent_i_pmfit_year_t *y, double *u)
{
    const fyear_t *f = &d->y[k];
    *y = (ent_i_pmfit_year_t){.n = f->n,
                              .nt = f->nt,
                              .year = f->year,
                              .member = f->member,
                              .tsize = f->tsize,
                              .njoin = f->njoin,
                              .jt = f->jt,
                              .jk = f->jk,
                              .jy = f->jy,
                              .nrisk = f->nrisk,
                              .ri = f->ri,
                              .rj = f->rj,
                              .ry = f->ry};
    for (size_t ij = 0; u && ij < f->n * f->n; ij++) {
        const double *x = f->X + ij * NF;
        double v = 0;
        for (size_t q = 0; q < NF; q++) {
            v += theta[q] * x[q];
        }
        u[ij] = v;
    }
}

static size_t work_size(const ent_pmfit_data_t *d)
{
    size_t w = 1;
    for (size_t k = 0; k < d->nyears; k++) {
        size_t n = d->y[k].n;
        w = 3 * n * n > w ? 3 * n * n : w;
    }
    return w;
}

double ent_pmfit_loglik(const ent_pmfit_data_t *d, const double *theta)
{
    double *work = ent_malloc(work_size(d) * sizeof *work);
    if (!work) {
        return NAN;
    }
    double ll = loglik(d, theta, NULL, work);
    ent_free(work);
    return ll;
}

/*
 * The meat of the sandwich: B = sum over clusters c of g_c g_c' (NP x NP), g_c the score of the
 * log likelihood (not the penalty, which is not random) summed over the cluster's observations;
 * *ngroups the clusters with an observation; gsum (NP) the total score, the gradient, as a check.
 */
ent_err_t ent_i_pmfit_cluster_scores(const ent_pmfit_data_t *d, const double *theta, double **Sout,
                                     unsigned char **seen_out, size_t *nslots)
{
    size_t slots = cluster_slots(d), seq = 0;
    double *S = ent_calloc(slots * NP + 1, sizeof *S), *work = ent_malloc(work_size(d) * sizeof *work);
    unsigned char *seen = ent_calloc(slots + 1, 1);
    *Sout = NULL;
    *seen_out = NULL;
    *nslots = 0;
    if (!S || !work || !seen) {
        ent_free(S);
        ent_free(work);
        ent_free(seen);
        return ent_i_nomem();
    }
    for (size_t k = 0; k < d->nyears; k++) {
        const fyear_t *f = &d->y[k];
        size_t n = f->n;
        double *u = work, *s = work + n * n;
        for (size_t ij = 0; ij < n * n; ij++) {
            const double *x = f->X + ij * NF;
            double v = 0;
            for (size_t q = 0; q < NF; q++) {
                v += theta[q] * x[q];
            }
            u[ij] = v;
            s[ij] = ent_i_pm_sigmoid(v);
        }
        /* the order of the loops is that of ent_pmfit_data_nclusters (NONE numbers observations) */
        for (size_t r = 0; r < f->njoin; r++) {
            size_t t = f->jt[r], kk = f->jk[r], c = cluster_of(d, f->ju[r], &seq);
            const unsigned char *mb = f->member + t * n;
            double cnt = (double)f->tsize[t], su = 0, sc = 0;
            for (size_t mm = 0; mm < n; mm++) {
                if (mb[mm]) {
                    su += u[kk * n + mm];
                    sc += s[mm * n + kk];
                }
            }
            double sb = ent_i_pm_sigmoid(su / cnt), cb = sc / cnt, p = sb * cb;
            double a = f->jy[r] ? 1.0 / clampp(p) : -1.0 / clampp(1.0 - p);
            double *g = S + c * NP;
            seen[c] = 1;
            for (size_t mm = 0; mm < n; mm++) {
                if (!mb[mm]) {
                    continue;
                }
                double smk = s[mm * n + kk];
                double w1 = a * sb * (1.0 - sb) * cb / cnt, w2 = a * sb * smk * (1.0 - smk) / cnt;
                const double *x1 = f->X + (kk * n + mm) * NF, *x2 = f->X + (mm * n + kk) * NF;
                for (size_t q = 0; q < NF; q++) {
                    g[q] += w1 * x1[q] + w2 * x2[q];
                }
            }
        }
        for (size_t r = 0; r < f->nrisk; r++) {
            size_t i = f->ri[r], j = f->rj[r], c = cluster_of(d, f->ru[r], &seq);
            double sij = s[i * n + j], sji = s[j * n + i], p = sij * sji;
            double a = f->ry[r] ? 1.0 / clampp(p) : -1.0 / clampp(1.0 - p);
            double w1 = a * p * (1.0 - sij), w2 = a * p * (1.0 - sji);
            const double *x1 = f->X + (i * n + j) * NF, *x2 = f->X + (j * n + i) * NF;
            double *g = S + c * NP;
            seen[c] = 1;
            for (size_t q = 0; q < NF; q++) {
                g[q] += w1 * x1[q] + w2 * x2[q];
            }
        }
        const double *gam = theta + NF;
        for (size_t r = 0; r < f->ntie; r++) {
            const double *z = f->z + r * NE;
            size_t c = cluster_of(d, f->tu[r], &seq);
            double eta = 0;
            for (size_t q = 0; q < NE; q++) {
                eta += gam[q] * z[q];
            }
            double e = (f->ty[r] ? 1.0 : 0.0) - ent_i_pm_sigmoid(eta);
            double *g = S + c * NP + NF;
            seen[c] = 1;
            for (size_t q = 0; q < NE; q++) {
                g[q] += e * z[q];
            }
        }
    }
    ent_free(work);
    *Sout = S;
    *seen_out = seen;
    *nslots = slots;
    return ENT_OK;
}

static ent_err_t cluster_meat(const ent_pmfit_data_t *d, const double *theta, double *B, size_t *ngroups, double *gsum)
{
    double *S;
    unsigned char *seen;
    size_t slots;
    ent_err_t rc = ent_i_pmfit_cluster_scores(d, theta, &S, &seen, &slots);
    if (rc != ENT_OK) {
        return rc;
    }
    memset(B, 0, NP * NP * sizeof *B);
    memset(gsum, 0, NP * sizeof *gsum);
    *ngroups = 0;
    for (size_t c = 0; c < slots; c++) {
        if (!seen[c]) {
            continue;
        }
        ++*ngroups;
        const double *g = S + c * NP;
        for (size_t a = 0; a < NP; a++) {
            gsum[a] += g[a];
            if (g[a] == 0) {
                continue;
            }
            for (size_t b = 0; b < NP; b++) {
                B[a * NP + b] += g[a] * g[b];
            }
        }
    }
    ent_free(S);
    ent_free(seen);
    return ENT_OK;
}

/* ---------------------------------------------------------------- the optimiser */

typedef struct {
    const ent_pmfit_data_t *d;
    double lambda, scale; /* objective = (-ll + penalty) / scale */
    double *work;
    const bool *free_;
    int evals;
} prob_t;

static bool penalised(size_t q)
{
    return q != ENT_PM_F_CONST && q != (size_t)NF + ENT_PM_E_CONST;
}

static double objective(const prob_t *pr, const double *theta, double *g)
{
    double ll = loglik(pr->d, theta, g, pr->work);
    double pen = 0;
    for (size_t q = 0; q < NP; q++) {
        if (penalised(q)) {
            pen += 0.5 * pr->lambda * theta[q] * theta[q];
        }
    }
    if (g) {
        for (size_t q = 0; q < NP; q++) {
            g[q] = (-g[q] + (penalised(q) ? pr->lambda * theta[q] : 0.0)) / pr->scale;
            if (pr->free_ && !pr->free_[q]) {
                g[q] = 0;
            }
        }
    }
    return (-ll + pen) / pr->scale;
}

static double mm_f(const gsl_vector *v, void *params)
{
    prob_t *pr = params;
    pr->evals++;
    return objective(pr, v->data, NULL);
}

static void mm_df(const gsl_vector *v, void *params, gsl_vector *df)
{
    prob_t *pr = params;
    pr->evals++;
    double g[NP];
    objective(pr, v->data, g);
    for (size_t q = 0; q < NP; q++) {
        gsl_vector_set(df, q, g[q]);
    }
}

static void mm_fdf(const gsl_vector *v, void *params, double *f, gsl_vector *df)
{
    prob_t *pr = params;
    pr->evals++;
    double g[NP];
    *f = objective(pr, v->data, g);
    for (size_t q = 0; q < NP; q++) {
        gsl_vector_set(df, q, g[q]);
    }
}

/* ENT_EINTERRUPTED once *cancel is set: a fit on a century of dyad-years takes tens of seconds. */
static ent_err_t check_cancel(volatile sig_atomic_t *cancel)
{
    return cancel && *cancel ? ent_i_err(ENT_EINTERRUPTED, "pact-model fit: interrupted") : ENT_OK;
}

ent_err_t ent_i_pmfit_run(ent_pactmodel_t *m, ent_pmfit_result_t *res, const ent_pmfit_data_t *d, double lambda,
                          const double *start, const bool *free_, bool want_cov, volatile sig_atomic_t *cancel)
{
    ent_err_t rc = ENT_OK;
    memset(res, 0, sizeof *res);
    prob_t pr = {d, lambda, (double)(d->nform + d->nend + d->njoin), NULL, free_, 0};
    gsl_multimin_fdfminimizer *mn = NULL;
    gsl_vector *x = NULL;
    double *H = NULL, *cov = NULL, *B = NULL, *Hinv = NULL;
    gsl_matrix *Hf = NULL;
    double se_model[NP];
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!(pr.work = ent_malloc(work_size(d) * sizeof *pr.work)) || !(x = gsl_vector_alloc(NP)) ||
        !(mn = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, NP)) ||
        !(H = ent_calloc(NP * NP, sizeof *H)) || !(cov = ent_calloc(NP * NP, sizeof *cov)) ||
        !(B = ent_calloc(NP * NP, sizeof *B)) || !(Hinv = ent_calloc(NP * NP, sizeof *Hinv))) {
        rc = ent_i_nomem();
        goto done;
    }
    double theta0[NP] = {0};
    if (start) {
        memcpy(theta0, start, sizeof theta0);
    } else {
        /* intercepts at the base rates: sigma(c)^2 = formation rate, sigma(c') = end rate */
        double rf = (d->form_events + 0.5) / (d->nform + 1.0), re = (d->end_events + 0.5) / (d->nend + 1.0);
        double sf = sqrt(rf);
        theta0[ENT_PM_F_CONST] = log(sf / (1 - sf));
        theta0[NF + ENT_PM_E_CONST] = log(re / (1 - re));
    }
    for (size_t q = 0; q < NP; q++) {
        gsl_vector_set(x, q, theta0[q]);
    }
    gsl_multimin_function_fdf fn = {mm_f, mm_df, mm_fdf, NP, &pr};
    gsl_multimin_fdfminimizer_set(mn, &fn, x, 0.01, 0.1);
    int status = GSL_CONTINUE, it = 0;
    for (; it < 2000 && status == GSL_CONTINUE; it++) {
        /* an iteration is a few likelihood evaluations, each a pass over every observation: checked
         * here, the fit stops within a fraction of a second of the flag */
        ENT_CHECK(check_cancel(cancel));
        status = gsl_multimin_fdfminimizer_iterate(mn);
        if (status) {
            break;
        }
        status = gsl_multimin_test_gradient(mn->gradient, 1e-7);
    }
    double g[NP];
    double theta[NP];
    memcpy(theta, mn->x->data, sizeof theta);
    objective(&pr, theta, g);
    double gmax = 0;
    for (size_t q = 0; q < NP; q++) {
        gmax = fabs(g[q]) > gmax ? fabs(g[q]) : gmax;
    }
    /* BFGS may stop on "no progress" at the optimum to machine precision: accept a small gradient. */
    if (status != GSL_SUCCESS && gmax > 1e-5) {
        rc = ent_i_err(ENT_ERANGE, "pact-model fit: BFGS stopped after %d iterations with gradient %g (%s)", it, gmax,
                       gsl_strerror(status));
        goto done;
    }
    bool fitted[NP];
    for (size_t q = 0; q < NP; q++) {
        fitted[q] = !free_ || free_[q];
        se_model[q] = NAN;
    }
    ent_pactmodel_settings_t s = *ent_pactmodel_settings(m);
    s.lambda = lambda;
    if (!want_cov) {
        /* the backtest's yearly refits need the estimates only */
        ENT_CHECK(ent_pactmodel_set(m, theta, NULL, fitted, &s, NULL));
        ENT_CHECK(ent_pactmodel_set_robust(m, NULL, 0));
        goto summary;
    }
    /* The observed information: central differences of the analytic gradient (of the summed objective). */
    for (size_t a = 0; a < NP; a++) {
        ENT_CHECK(check_cancel(cancel));
        double gp[NP], gm[NP], th[NP];
        double h = 1e-4 * (1.0 + fabs(theta[a]));
        memcpy(th, theta, sizeof th);
        th[a] = theta[a] + h;
        objective(&pr, th, gp);
        th[a] = theta[a] - h;
        objective(&pr, th, gm);
        for (size_t b = 0; b < NP; b++) {
            H[a * NP + b] = (gp[b] - gm[b]) / (2 * h) * pr.scale;
        }
    }
    /* symmetrise; invert the block of free parameters */
    size_t idx[NP], nfree = 0;
    for (size_t q = 0; q < NP; q++) {
        if (!free_ || free_[q]) {
            idx[nfree++] = q;
        }
    }
    if (!(Hf = gsl_matrix_alloc(nfree, nfree))) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t a = 0; a < nfree; a++) {
        for (size_t b = 0; b < nfree; b++) {
            gsl_matrix_set(Hf, a, b, 0.5 * (H[idx[a] * NP + idx[b]] + H[idx[b] * NP + idx[a]]));
        }
    }
    if (gsl_linalg_cholesky_decomp1(Hf) != GSL_SUCCESS || gsl_linalg_cholesky_invert(Hf) != GSL_SUCCESS) {
        rc = ent_i_err(ENT_ERANGE, "pact-model fit: the observed information is not positive definite (a term "
                                   "without variation in these years?)");
        goto done;
    }
    for (size_t a = 0; a < nfree; a++) {
        for (size_t b = 0; b < nfree; b++) {
            Hinv[idx[a] * NP + idx[b]] = gsl_matrix_get(Hf, a, b);
        }
    }
    for (size_t a = 0; a < NP; a++) {
        for (size_t b = a + 1; b < NP; b++) {
            double v = 0.5 * (Hinv[a * NP + b] + Hinv[b * NP + a]);
            Hinv[a * NP + b] = Hinv[b * NP + a] = v;
        }
        se_model[a] = fitted[a] ? sqrt(Hinv[a * NP + a]) : NAN;
    }
    /*
     * The sandwich H^-1 (G/(G-1) B + lambda D) H^-1 over the free block, D the penalised terms. The
     * ridge is a N(0, 1/lambda) prior: its information enters the meat as it enters the bread, so
     * that with independent observations of a correct model (B = the information of the likelihood)
     * the covariance is the model-based H^-1; only the likelihood's part is replaced by its
     * clustered estimate (Mueller 2013, the sandwich posterior). Without it, a weakly identified
     * term, whose information is mostly the penalty's, would get a robust SE far below its
     * model-based one.
     */
    size_t ng = 0;
    double gsum[NP];
    ENT_CHECK(check_cancel(cancel));
    ENT_CHECK(cluster_meat(d, theta, B, &ng, gsum));
    if (ng >= 2) {
        double corr = (double)ng / (double)(ng - 1), T[NP * NP];
        for (size_t a = 0; a < NP; a++) {
            for (size_t b = 0; b < NP; b++) {
                B[a * NP + b] = corr * B[a * NP + b] + (a == b && penalised(a) ? lambda : 0.0);
            }
        }
        for (size_t a = 0; a < nfree; a++) {
            for (size_t b = 0; b < nfree; b++) {
                double v = 0;
                for (size_t c = 0; c < nfree; c++) {
                    v += Hinv[idx[a] * NP + idx[c]] * B[idx[c] * NP + idx[b]];
                }
                T[a * NP + b] = v;
            }
        }
        for (size_t a = 0; a < nfree; a++) {
            for (size_t b = 0; b < nfree; b++) {
                double v = 0;
                for (size_t c = 0; c < nfree; c++) {
                    v += T[a * NP + c] * Hinv[idx[c] * NP + idx[b]];
                }
                cov[idx[a] * NP + idx[b]] = v;
            }
        }
        for (size_t a = 0; a < NP; a++) {
            for (size_t b = a + 1; b < NP; b++) {
                double v = 0.5 * (cov[a * NP + b] + cov[b * NP + a]);
                cov[a * NP + b] = cov[b * NP + a] = v;
            }
        }
    }
    /* Fewer clusters than make the sandwich positive definite: the model-based covariance, said so
     * by the absent model-based SEs (res->nclusters 0). */
    if (ng < 2 || ent_pactmodel_set(m, theta, cov, fitted, &s, NULL) != ENT_OK) {
        ENT_CHECK(ent_pactmodel_set(m, theta, Hinv, fitted, &s, NULL));
        ENT_CHECK(ent_pactmodel_set_robust(m, NULL, 0));
    } else {
        ENT_CHECK(ent_pactmodel_set_robust(m, se_model, ng));
        res->nclusters = ng;
    }
summary:
    res->loglik = loglik(d, theta, NULL, pr.work);
    res->iterations = it;
    res->evaluations = pr.evals;
    res->gradient_max = gmax;
    res->nform = d->nform;
    res->form_events = d->form_events;
    res->nend = d->nend;
    res->end_events = d->end_events;
    res->njoin = d->njoin;
    res->join_events = d->join_events;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
done:
    gsl_set_error_handler(old);
    gsl_multimin_fdfminimizer_free(mn);
    gsl_vector_free(x);
    gsl_matrix_free(Hf);
    ent_free(pr.work);
    ent_free(H);
    ent_free(cov);
    ent_free(B);
    ent_free(Hinv);
    return rc;
}

ent_err_t ent_pmfit_run(ent_pactmodel_t *m, ent_pmfit_result_t *res, const ent_pmfit_data_t *d, double lambda,
                        const double *start, const bool *free_)
{
    return ent_i_pmfit_run(m, res, d, lambda, start, free_, true, NULL);
}

#define DUP(dst, src, count)                                                                                           \
    do {                                                                                                               \
        if (!((dst) = ent_malloc(((count) + 1) * sizeof *(dst)))) {                                                    \
            goto nomem;                                                                                                \
        }                                                                                                              \
        memcpy((dst), (src), (count) * sizeof *(dst));                                                                 \
    } while (0)
#define REP(dst, src, count, width)                                                                                    \
    do {                                                                                                               \
        if (!((dst) = ent_malloc(((count)*k + 1) * (width) * sizeof *(dst)))) {                                        \
            goto nomem;                                                                                                \
        }                                                                                                              \
        for (size_t c_ = 0; c_ < k; c_++) {                                                                            \
            memcpy((dst) + c_ * (count) * (width), (src), (count) * (width) * sizeof *(dst));                          \
        }                                                                                                              \
    } while (0)

ent_err_t ent_i_pmfit_data_replicate(ent_pmfit_data_t **out, const ent_pmfit_data_t *d, size_t k)
{
    *out = NULL;
    ent_pmfit_data_t *r = ent_calloc(1, sizeof *r);
    if (!r || !(r->y = ent_calloc(d->nyears + 1, sizeof *r->y))) {
        goto nomem;
    }
    r->nyears = d->nyears;
    r->nunits = d->nunits;
    r->cluster = d->cluster;
    DUP(r->unit_cluster, d->unit_cluster, d->nunits);
    for (size_t y = 0; y < d->nyears; y++) {
        const fyear_t *f = &d->y[y];
        fyear_t *g = &r->y[y];
        size_t n = f->n;
        g->n = n;
        g->nt = f->nt;
        g->year = f->year;
        DUP(g->X, f->X, n * n * NF);
        DUP(g->def, f->def, n * n);
        DUP(g->member, f->member, f->nt * n);
        DUP(g->tsize, f->tsize, f->nt);
        REP(g->jt, f->jt, f->njoin, 1);
        REP(g->jk, f->jk, f->njoin, 1);
        REP(g->jy, f->jy, f->njoin, 1);
        REP(g->ju, f->ju, f->njoin, 1);
        REP(g->ri, f->ri, f->nrisk, 1);
        REP(g->rj, f->rj, f->nrisk, 1);
        REP(g->ry, f->ry, f->nrisk, 1);
        REP(g->ru, f->ru, f->nrisk, 1);
        REP(g->z, f->z, f->ntie, NE);
        REP(g->ty, f->ty, f->ntie, 1);
        REP(g->ti, f->ti, f->ntie, 1);
        REP(g->tj, f->tj, f->ntie, 1);
        REP(g->tu, f->tu, f->ntie, 1);
        g->njoin = f->njoin * k;
        g->nrisk = f->nrisk * k;
        g->ntie = f->ntie * k;
    }
    r->nform = d->nform * k;
    r->form_events = d->form_events * k;
    r->nend = d->nend * k;
    r->end_events = d->end_events * k;
    r->njoin = d->njoin * k;
    r->join_events = d->join_events * k;
    *out = r;
    return ENT_OK;
nomem:
    ent_pmfit_data_free(r);
    return ent_i_nomem();
}
#undef DUP
#undef REP

ent_err_t ent_i_pmfit_data_view(ent_pmfit_data_t **out, const ent_pmfit_data_t *d, int last_outcome)
{
    *out = NULL;
    ent_pmfit_data_t *v = ent_calloc(1, sizeof *v);
    if (!v) {
        return ent_i_nomem();
    }
    *v = *d;
    v->borrowed = true;
    v->nyears = 0;
    v->nform = v->form_events = v->nend = v->end_events = v->njoin = v->join_events = 0;
    for (size_t k = 0; k < d->nyears && d->y[k].year + 1 <= last_outcome; k++) {
        const fyear_t *f = &d->y[k];
        v->nyears = k + 1;
        v->nform += f->nrisk;
        v->nend += f->ntie;
        v->njoin += f->njoin;
        for (size_t r = 0; r < f->nrisk; r++) {
            v->form_events += f->ry[r];
        }
        for (size_t r = 0; r < f->ntie; r++) {
            v->end_events += f->ty[r];
        }
        for (size_t r = 0; r < f->njoin; r++) {
            v->join_events += f->jy[r];
        }
    }
    if (v->nform == 0) {
        ent_free(v);
        return ent_i_err(ENT_ERANGE, "pact-model fit: no outcome year up to %d in the data", last_outcome);
    }
    *out = v;
    return ENT_OK;
}

double ent_i_pmfit_gradient(const ent_pmfit_data_t *d, const double *theta, double *g)
{
    double *work = ent_malloc(work_size(d) * sizeof *work);
    if (!work) {
        return NAN;
    }
    double ll = loglik(d, theta, g, work);
    ent_free(work);
    return ll;
}

/* ---------------------------------------------------------------- the historical fit */

static const double default_lambdas[] = {1.0, 10.0, 100.0};
static const double default_trefs[] = {0.001, 0.003, 0.01};
/* the breadths K of a region-wide declaration: around the 10 members that separate the declarations
 * (Helsinki 35-57, the AU 53, ASEAN's TAC 10-34) from the pacts of a few (docs/models/pactmodel.md) */
static const double default_broads[] = {5.0, 8.0, 10.0, 15.0, 20.0};

/*
 * Which parameters the data can inform: a term that is zero for every pair and tie of the fit years
 * (regime_missing once UDS fills V-Dem's gaps) has no likelihood information, only the penalty's; it is
 * held at 0 and reported as not fitted, rather than drawn from the penalty's N(0, 1/lambda) in the
 * forecast. The intercepts are always free.
 */
void ent_i_pmfit_informed(const ent_pmfit_data_t *d, bool *free_)
{
    for (size_t q = 0; q < NP; q++) {
        free_[q] = !penalised(q);
    }
    for (size_t k = 0; k < d->nyears; k++) {
        const fyear_t *f = &d->y[k];
        for (size_t ij = 0; ij < f->n * f->n; ij++) {
            const double *x = f->X + ij * NF;
            for (size_t q = 0; q < NF; q++) {
                free_[q] = free_[q] || x[q] != 0;
            }
        }
        for (size_t r = 0; r < f->ntie; r++) {
            for (size_t q = 0; q < NE; q++) {
                free_[NF + q] = free_[NF + q] || f->z[r * NE + q] != 0;
            }
        }
    }
}

/* The systems of years a..b of a history, in order (borrowed pointers). */
static ent_err_t history_span(const ent_sysyear_t ***out, size_t *n, const ent_pmhistory_t *h, int a, int b)
{
    *out = NULL;
    *n = 0;
    if (a < ent_pmhistory_from(h) || b > ent_pmhistory_to(h) || a > b) {
        return ent_i_err(ENT_ERANGE, "pact-model fit: years %d-%d outside the history's %d-%d", a, b,
                         ent_pmhistory_from(h), ent_pmhistory_to(h));
    }
    const ent_sysyear_t **s = ent_calloc((size_t)(b - a + 1), sizeof *s);
    if (!s) {
        return ent_i_nomem();
    }
    for (int y = a; y <= b; y++) {
        s[y - a] = ent_pmhistory_year(h, y);
    }
    *out = s;
    *n = (size_t)(b - a + 1);
    return ENT_OK;
}

ent_err_t ent_pactmodel_fit_history(ent_pactmodel_t *m, ent_pmfit_report_t *rep, const ent_pmhistory_t *h,
                                    const ent_pmfit_options_t *opt)
{
    ENT_I_CHECK_OPTIONS(opt, ENT_PMFIT_OPTIONS_VERSION);
    ent_pmfit_options_t o = ENT_PMFIT_OPTIONS_INIT;
    if (opt) {
        o = *opt;
    }
    memset(rep, 0, sizeof *rep);
    if (!(o.fit_from <= o.fit_to && o.fit_to < o.valid_from && o.valid_from <= o.valid_to)) {
        return ent_i_err(ENT_EINVAL, "pact-model fit: outcome years must be ordered: fit %d-%d, validation %d-%d",
                         o.fit_from, o.fit_to, o.valid_from, o.valid_to);
    }
    const double *lams = o.lambdas ? o.lambdas : default_lambdas;
    size_t nl = o.lambdas ? o.nlambdas : sizeof default_lambdas / sizeof *default_lambdas;
    const double *trefs = o.threat_refs ? o.threat_refs : default_trefs;
    size_t ntr = o.threat_refs ? o.nthreat_refs : sizeof default_trefs / sizeof *default_trefs;
    const double *brs = o.lesser_broads ? o.lesser_broads : default_broads;
    size_t nbr = o.lesser_broads ? o.nlesser_broads : sizeof default_broads / sizeof *default_broads;
    if (nl == 0 || ntr == 0 || nbr == 0 || nl * ntr * nbr > ENT_PMFIT_MAXGRID) {
        return ent_i_err(ENT_EINVAL,
                         "pact-model fit: a grid of 1 to %d (breadth, penalty, threat reference) points, not %zu",
                         ENT_PMFIT_MAXGRID, nl * ntr * nbr);
    }
    for (size_t k = 0; k < nbr; k++) {
        if (!ent_i_pm_lesser_broad_ok(brs[k])) {
            return ent_i_err(ENT_EINVAL, "pact-model fit: breadth %g (need an integer member count in 3..255)", brs[k]);
        }
    }
    for (size_t k = 0; k < nl; k++) {
        if (!(lams[k] >= 0 && isfinite(lams[k]))) {
            return ent_i_err(ENT_EINVAL, "pact-model fit: penalty %g (need >= 0)", lams[k]);
        }
    }
    for (size_t k = 0; k < ntr; k++) {
        if (!(trefs[k] > 0 && isfinite(trefs[k]))) {
            return ent_i_err(ENT_EINVAL, "pact-model fit: threat reference %g (need > 0)", trefs[k]);
        }
    }
    ent_err_t rc = ENT_OK;
    const ent_sysyear_t **fs = NULL, **vs = NULL;
    size_t nfs = 0, nvs = 0;
    ent_pmfit_data_t *fd = NULL, *vd = NULL;
    ent_pactmodel_t *cand = NULL;
    double best = -INFINITY;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ENT_CHECK(history_span(&fs, &nfs, h, o.fit_from - 1, o.fit_to));
    ENT_CHECK(history_span(&vs, &nvs, h, o.valid_from - 1, o.valid_to));
    ENT_CHECK(ent_pactmodel_new(&cand));
    for (size_t ab = 0; ab < nbr * ntr; ab++) {
        size_t a = ab % ntr, kb = ab / ntr;
        ent_pactmodel_settings_t s = *ent_pactmodel_settings(m);
        s.threat_ref = trefs[a];
        s.lesser_broad = brs[kb];
        double zero[NP] = {0};
        ENT_CHECK(ent_pactmodel_set(cand, zero, NULL, NULL, &s, NULL));
        ent_pmfit_data_free(fd);
        ent_pmfit_data_free(vd);
        fd = vd = NULL;
        ENT_CHECK(ent_pmfit_data_build(&fd, cand, fs, nfs, o.fit_from, o.fit_to));
        ENT_CHECK(ent_pmfit_data_build(&vd, cand, vs, nvs, o.valid_from, o.valid_to));
        const double *start = NULL;
        bool free_[NP];
        ent_i_pmfit_informed(fd, free_);
        for (size_t b = 0; b < nl; b++) {
            if (o.cancel && *o.cancel) {
                rc = ent_i_err(ENT_EINTERRUPTED, "pact-model fit: interrupted");
                goto done;
            }
            ent_pmfit_result_t r;
            size_t g = rep->ngrid++;
            rep->grid_threat_ref[g] = trefs[a];
            rep->grid_lambda[g] = lams[b];
            rep->grid_lesser_broad[g] = brs[kb];
            rc = ent_i_pmfit_run(cand, &r, fd, lams[b], start, free_, true, o.cancel);
            if (rc == ENT_ERANGE) {
                rep->grid_valid[g] = NAN; /* this penalty cannot be fitted: not a candidate */
                rc = ENT_OK;
                continue;
            }
            ENT_CHECK(rc);
            start = ent_pactmodel_estimates(cand); /* warm start along the penalty path */
            size_t nf, fe, ne, ee, nj, je;
            ent_pmfit_data_counts(vd, &nf, &fe, &ne, &ee);
            ent_pmfit_data_joins(vd, &nj, &je);
            double v = ent_pmfit_loglik(vd, ent_pactmodel_estimates(cand));
            rep->grid_valid[g] = v / (double)(nf + ne + nj);
            if (v > best) {
                best = v;
                rep->chosen = g;
                rep->fit = r;
                rep->nvalid = nf + ne + nj;
                rep->valid_events = fe + ee + je;
                ENT_CHECK(ent_pactmodel_set(m, ent_pactmodel_estimates(cand), ent_pactmodel_covariance(cand), NULL,
                                            ent_pactmodel_settings(cand), NULL));
                size_t ng;
                const double *sem = ent_pactmodel_se_model(cand, &ng);
                ENT_CHECK(ent_pactmodel_set_robust(m, sem, ng));
            }
        }
    }
    if (!isfinite(best)) {
        rc = ent_i_err(ENT_ERANGE, "pact-model fit: no point of the grid could be fitted");
        goto done;
    }
    rep->valid_loglik = rep->grid_valid[rep->chosen];
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rep->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
done:
    ent_free(fs);
    ent_free(vs);
    ent_pmfit_data_free(fd);
    ent_pmfit_data_free(vd);
    ent_pactmodel_free(cand);
    return rc;
}
