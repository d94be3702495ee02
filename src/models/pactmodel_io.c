/*
 * pactmodel_io.c -- the pact model's parameter set: names, estimates, their
 * covariance (with its Cholesky factor for draws), the fixed settings and the
 * provenance, and the JSON parameter file that `entente fit` writes and the
 * forecast reads by default.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <jansson.h>

#include "entente/pactmodel.h"
#include "pactmodel_int.h"
#include "util_int.h"

struct ent_pactmodel {
    double theta[ENT_PM_NPARAMS];
    bool fitted[ENT_PM_NPARAMS];
    bool has_cov;
    double cov[ENT_PM_NPARAMS * ENT_PM_NPARAMS];
    /* The Cholesky factor of the covariance of the fitted parameters (lower, row-major over idx). */
    size_t nfree;
    size_t idx[ENT_PM_NPARAMS];
    double chol[ENT_PM_NPARAMS * ENT_PM_NPARAMS];
    ent_pactmodel_settings_t settings;
    char *provenance; /* JSON object text */
    /* When the covariance is cluster-robust: the model-based SEs beside it, and the cluster count. */
    bool has_se_model;
    double se_model[ENT_PM_NPARAMS];
    size_t nclusters;
};

static const char *const names[ENT_PM_NPARAMS] = {
    [ENT_PM_F_CONST] = "form.const",
    [ENT_PM_F_HOSTILE] = "form.hostile",
    [ENT_PM_F_COMMON_ENEMY] = "form.common_enemy",
    [ENT_PM_F_THREAT] = "form.threat",
    [ENT_PM_F_DETER] = "form.deter",
    [ENT_PM_F_THREAT_DETER] = "form.threat_x_deter",
    [ENT_PM_F_ENTANGLE] = "form.entangle",
    [ENT_PM_F_LDIST] = "form.ldist",
    [ENT_PM_F_CONTIG_LAND] = "form.contig_land",
    [ENT_PM_F_CONTIG_SEA] = "form.contig_sea",
    [ENT_PM_F_IDEAL_DIST] = "form.ideal_dist",
    [ENT_PM_F_IDEAL_MISSING] = "form.ideal_missing",
    [ENT_PM_F_REGIME_DIST] = "form.regime_dist",
    [ENT_PM_F_REGIME_MISSING] = "form.regime_missing",
    [ENT_PM_F_COMMON_ALLIES] = "form.common_allies",
    [ENT_PM_F_DEGREE] = "form.degree",
    [ENT_PM_F_MAJOR] = "form.major",
    [ENT_PM_F_PRIOR_TIE] = "form.prior_tie",
    [ENT_PM_F_LESSER] = "form.lesser",
    [ENT_PM_F_LESSER_BROAD] = "form.lesser_broad",
    [ENT_PM_F_NEUTRAL] = "form.neutral",
    [ENT_PM_NFORM + ENT_PM_E_CONST] = "end.const",
    [ENT_PM_NFORM + ENT_PM_E_DPOWER] = "end.dpower",
    [ENT_PM_NFORM + ENT_PM_E_DREGIME] = "end.dregime",
    [ENT_PM_NFORM + ENT_PM_E_OUTSIDE] = "end.outside",
    [ENT_PM_NFORM + ENT_PM_E_HOSTILE] = "end.hostile",
    [ENT_PM_NFORM + ENT_PM_E_LAGE] = "end.lage",
    [ENT_PM_NFORM + ENT_PM_E_IDEAL_DIST] = "end.ideal_dist",
    [ENT_PM_NFORM + ENT_PM_E_MULTILAT] = "end.multilat",
    [ENT_PM_NFORM + ENT_PM_E_IDEAL_MISSING] = "end.ideal_missing",
};

static const ent_pactmodel_settings_t default_settings = {1000.0, 4.0, 0.5, 0.01, 0.0, 10.0};

ent_err_t ent_pactmodel_new(ent_pactmodel_t **out)
{
    *out = NULL;
    ent_pactmodel_t *m = ent_calloc(1, sizeof *m);
    if (!m) {
        return ent_i_nomem();
    }
    m->settings = default_settings;
    m->provenance = ent_strdup("{}");
    if (!m->provenance) {
        ent_free(m);
        return ent_i_nomem();
    }
    *out = m;
    return ENT_OK;
}

void ent_pactmodel_free(ent_pactmodel_t *m)
{
    if (!m) {
        return;
    }
    ent_free(m->provenance);
    ent_free(m);
}

size_t ent_pactmodel_nparams(const ent_pactmodel_t *m)
{
    (void)m;
    return ENT_PM_NPARAMS;
}

const char *ent_pactmodel_param_name(size_t k)
{
    return k < ENT_PM_NPARAMS ? names[k] : NULL;
}

const double *ent_pactmodel_estimates(const ent_pactmodel_t *m)
{
    return m->theta;
}

const double *ent_pactmodel_covariance(const ent_pactmodel_t *m)
{
    return m->has_cov ? m->cov : NULL;
}

bool ent_pactmodel_fitted(const ent_pactmodel_t *m, size_t k)
{
    return k < ENT_PM_NPARAMS && m->fitted[k];
}

ent_err_t ent_pactmodel_set_robust(ent_pactmodel_t *m, const double *se_model, size_t nclusters)
{
    if (!se_model) {
        m->has_se_model = false;
        m->nclusters = 0;
        return ENT_OK;
    }
    for (size_t k = 0; k < ENT_PM_NPARAMS; k++) {
        if (!(se_model[k] >= 0) && !isnan(se_model[k])) {
            return ent_i_err(ENT_EINVAL, "pact model: model-based SE of %s is %g", names[k], se_model[k]);
        }
    }
    memcpy(m->se_model, se_model, sizeof m->se_model);
    m->has_se_model = true;
    m->nclusters = nclusters;
    return ENT_OK;
}

const double *ent_pactmodel_se_model(const ent_pactmodel_t *m, size_t *nclusters)
{
    if (nclusters) {
        *nclusters = m->has_se_model ? m->nclusters : 0;
    }
    return m->has_se_model ? m->se_model : NULL;
}

const ent_pactmodel_settings_t *ent_pactmodel_settings(const ent_pactmodel_t *m)
{
    return m ? &m->settings : &default_settings;
}

const char *ent_pactmodel_provenance(const ent_pactmodel_t *m)
{
    return m->provenance ? m->provenance : "{}";
}

static ent_err_t check_settings(const ent_pactmodel_settings_t *s)
{
    if (!(s->dist_scale_km > 0 && isfinite(s->dist_scale_km)) || !(s->reach_major >= 1 && isfinite(s->reach_major)) ||
        !(s->sea_prox >= 0 && s->sea_prox <= 1) || !(s->threat_ref > 0 && isfinite(s->threat_ref)) ||
        !(s->lambda >= 0 && isfinite(s->lambda)) || !ent_i_pm_lesser_broad_ok(s->lesser_broad)) {
        return ent_i_err(ENT_EINVAL,
                         "pact model settings: need dist_scale_km > 0, reach_major >= 1, sea_prox in [0, 1], "
                         "threat_ref > 0, lambda >= 0, lesser_broad an integer in 3..255");
    }
    return ENT_OK;
}

ent_err_t ent_pactmodel_set(ent_pactmodel_t *m, const double *theta, const double *cov, const bool *fitted,
                            const ent_pactmodel_settings_t *settings, const char *provenance_json)
{
    const size_t P = ENT_PM_NPARAMS;
    ent_err_t rc = ENT_OK;
    char *prov = NULL;
    for (size_t k = 0; k < P; k++) {
        if (!isfinite(theta[k])) {
            return ent_i_err(ENT_EINVAL, "pact model: parameter %s is not finite", names[k]);
        }
    }
    if (settings && (rc = check_settings(settings)) != ENT_OK) {
        return rc;
    }
    if (provenance_json) {
        json_error_t je;
        json_t *j = json_loads(provenance_json, 0, &je);
        if (!j || !json_is_object(j)) {
            json_decref(j);
            return ent_i_err(ENT_EPARSE, "pact model: the provenance is not a JSON object (%s)", j ? "" : je.text);
        }
        json_decref(j);
        if (!(prov = ent_strdup(provenance_json))) {
            return ent_i_nomem();
        }
    }
    /* The factor of the fitted block, so a bad covariance is refused before anything changes. */
    size_t nfree = 0, idx[ENT_PM_NPARAMS];
    double chol[ENT_PM_NPARAMS * ENT_PM_NPARAMS] = {0};
    bool fit[ENT_PM_NPARAMS];
    for (size_t k = 0; k < P; k++) {
        fit[k] = fitted ? fitted[k] : (cov && cov[k * P + k] > 0);
        if (cov && fit[k] && cov[k * P + k] > 0) {
            idx[nfree++] = k;
        }
    }
    if (cov) {
        for (size_t a = 0; a < P; a++) {
            for (size_t b = 0; b < P; b++) {
                if (!isfinite(cov[a * P + b]) ||
                    fabs(cov[a * P + b] - cov[b * P + a]) > 1e-9 * (1 + fabs(cov[a * P + b]))) {
                    ent_free(prov);
                    return ent_i_err(ENT_EINVAL, "pact model: the covariance is not finite and symmetric at (%s, %s)",
                                     names[a], names[b]);
                }
            }
        }
        for (size_t a = 0; a < nfree; a++) {
            for (size_t b = 0; b < nfree; b++) {
                chol[a * nfree + b] = cov[idx[a] * P + idx[b]];
            }
        }
        if (nfree) {
            gsl_error_handler_t *old = gsl_set_error_handler_off();
            gsl_matrix_view v = gsl_matrix_view_array(chol, nfree, nfree);
            int st = gsl_linalg_cholesky_decomp1(&v.matrix);
            gsl_set_error_handler(old);
            if (st != GSL_SUCCESS) {
                ent_free(prov);
                return ent_i_err(ENT_EINVAL, "pact model: the covariance of the fitted parameters is not positive "
                                             "definite");
            }
            /* Keep the lower triangle only: GSL leaves L^T in the upper one. */
            for (size_t a = 0; a < nfree; a++) {
                for (size_t b = a + 1; b < nfree; b++) {
                    chol[a * nfree + b] = 0;
                }
            }
        }
    }
    memcpy(m->theta, theta, sizeof m->theta);
    memcpy(m->fitted, fit, sizeof m->fitted);
    m->has_cov = cov != NULL;
    if (cov) {
        memcpy(m->cov, cov, P * P * sizeof *cov);
    } else {
        memset(m->cov, 0, sizeof m->cov);
    }
    m->nfree = cov ? nfree : 0;
    memcpy(m->idx, idx, sizeof idx);
    memcpy(m->chol, chol, sizeof chol);
    if (settings) {
        m->settings = *settings;
    }
    if (prov) {
        ent_free(m->provenance);
        m->provenance = prov;
    }
    return ENT_OK;
}

ent_err_t ent_pactmodel_draw(const ent_pactmodel_t *m, ent_rng_t *rng, double *theta)
{
    memcpy(theta, m->theta, sizeof m->theta);
    size_t q = m->nfree;
    double z[ENT_PM_NPARAMS];
    for (size_t a = 0; a < q; a++) {
        z[a] = ent_rng_normal(rng);
    }
    for (size_t a = 0; a < q; a++) {
        double v = 0;
        for (size_t b = 0; b <= a; b++) {
            v += m->chol[a * q + b] * z[b];
        }
        theta[m->idx[a]] += v;
    }
    return ENT_OK;
}

/* $env when set and non-empty, else `name` in the parameter directory (thread-local storage). */
static const char *params_file(const char *env, const char *name)
{
    static _Thread_local char buf[4096];
    const char *v = getenv(env);
    if (v && *v) {
        return v;
    }
    snprintf(buf, sizeof buf, "%s/%s", ent_i_default_dir(ENT_I_DIR_PARAMS), name);
    return buf;
}

const char *ent_pactmodel_default_path(void)
{
    return params_file("ENTENTE_PACTMODEL", "pactmodel.json");
}

const char *ent_pmrecord_default_path(void)
{
    return params_file("ENTENTE_RECORD", "record.json");
}

/* ---------------------------------------------------------------- declared neutrals */

typedef struct {
    int32_t ccode;
    int from, to;
} neutral_row_t;

struct ent_pmneutral {
    ent_vec_t rows; /* neutral_row_t */
};

void ent_pmneutral_free(ent_pmneutral_t *t)
{
    if (t) {
        ent_vec_destroy(&t->rows);
        ent_free(t);
    }
}

bool ent_pmneutral_is(const ent_pmneutral_t *t, int32_t ccode, int year)
{
    const neutral_row_t *r = t ? t->rows.data : NULL;
    for (size_t k = 0; t && k < t->rows.len; k++) {
        if (r[k].ccode == ccode && r[k].from <= year && year <= r[k].to) {
            return true;
        }
    }
    return false;
}

const char *ent_pmneutral_default_path(void)
{
    return params_file("ENTENTE_NEUTRALITY", "neutrality.csv");
}

ent_err_t ent_pmneutral_load(ent_pmneutral_t **out, const char *path)
{
    static const char *const cols[] = {"ccode", "state", "from", "to", "source"};
    *out = NULL;
    ent_err_t rc = ENT_OK;
    ent_csv_t *r = NULL;
    ent_pmneutral_t *t = ent_calloc(1, sizeof *t);
    if (!t) {
        return ent_i_nomem();
    }
    t->rows = (ent_vec_t)ENT_VEC_INIT(neutral_row_t);
    int idx[5];
    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, idx, 5));
    for (;;) {
        bool eof = false, na = false;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        int64_t cc, from, to = 9999;
        const char *src;
        ENT_CHECK(ent_csv_expect_fields(r, 5));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[0], "ccode", 1, ENT_PM_MAX_CCODE - 1, &cc, NULL));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[2], "from", 1500, 2200, &from, NULL));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[3], "to", 1500, 2200, &to, &na));
        ENT_CHECK(ent_csv_get_str(r, (size_t)idx[4], "source", 4096, &src, NULL));
        if (na) {
            to = 9999; /* in force */
        }
        if (to < from) {
            rc = ent_i_err(ENT_EPARSE, "%s:%lld: field 'to': %lld is before 'from' %lld", path,
                           (long long)ent_csv_line(r), (long long)to, (long long)from);
            goto done;
        }
        neutral_row_t row = {(int32_t)cc, (int)from, (int)to};
        ENT_CHECK(ent_vec_push(&t->rows, &row));
    }
    *out = t;
    t = NULL;
done:
    ent_csv_free(r);
    ent_pmneutral_free(t);
    return rc;
}

/* ---------------------------------------------------------------- who may accede to a treaty */

typedef struct {
    int64_t atopid;                      /* -1: a shipped-world treaty without an ATOP id, matched by name */
    char *name;                          /* that treaty's name (owned); NULL for a row with an atopid */
    unsigned char may[ENT_PM_MAX_CCODE]; /* by COW code */
} access_row_t;

struct ent_pmaccess {
    ent_vec_t rows; /* access_row_t */
};

void ent_pmaccess_free(ent_pmaccess_t *t)
{
    if (t) {
        for (size_t k = 0; k < t->rows.len; k++) {
            ent_free(ENT_VEC_AT(&t->rows, access_row_t, k).name);
        }
        ent_vec_destroy(&t->rows);
        ent_free(t);
    }
}

static const access_row_t *access_row(const ent_pmaccess_t *t, int64_t atopid)
{
    const access_row_t *r = t ? t->rows.data : NULL;
    for (size_t k = 0; t && atopid >= 0 && k < t->rows.len; k++) {
        if (r[k].atopid == atopid) {
            return &r[k];
        }
    }
    return NULL;
}

static const access_row_t *access_row_named(const ent_pmaccess_t *t, const char *name)
{
    const access_row_t *r = t ? t->rows.data : NULL;
    for (size_t k = 0; t && name && k < t->rows.len; k++) {
        if (r[k].name && strcmp(r[k].name, name) == 0) {
            return &r[k];
        }
    }
    return NULL;
}

bool ent_pmaccess_may_named(const ent_pmaccess_t *t, const char *name, int32_t ccode)
{
    const access_row_t *r = access_row_named(t, name);
    if (!r) {
        return true;
    }
    return ccode > 0 && ccode < ENT_PM_MAX_CCODE && r->may[ccode];
}

bool ent_pmaccess_listed(const ent_pmaccess_t *t, int64_t atopid)
{
    return access_row(t, atopid) != NULL;
}

bool ent_pmaccess_may(const ent_pmaccess_t *t, int64_t atopid, int32_t ccode)
{
    const access_row_t *r = access_row(t, atopid);
    if (!r) {
        return true;
    }
    return ccode > 0 && ccode < ENT_PM_MAX_CCODE && r->may[ccode];
}

void ent_pmaccess_fill(const ent_pmaccess_t *t, const int64_t *treaty_id, size_t ntreaties, const int32_t *ccode,
                       size_t n, unsigned char *eligible)
{
    for (size_t q = 0; q < ntreaties; q++) {
        const access_row_t *r = treaty_id ? access_row(t, treaty_id[q]) : NULL;
        for (size_t i = 0; i < n; i++) {
            eligible[q * n + i] = !r || (ccode[i] > 0 && ccode[i] < ENT_PM_MAX_CCODE && r->may[ccode[i]]) ? 1 : 0;
        }
    }
}

const char *ent_pmaccess_default_path(void)
{
    return params_file("ENTENTE_TREATY_ACCESS", "treaty_access.csv");
}

/* COW code ranges of the regions the table names (the COW state list's numbering is regional). */
static const struct {
    const char *name;
    int lo, hi;
} access_regions[] = {{"americas", 2, 199},      {"europe", 200, 399}, {"africa", 400, 626},
                      {"middle_east", 627, 699}, {"asia", 700, 899},   {"oceania", 900, 999}};

/* Parses the `eligible` field into r->may. */
static ent_err_t parse_eligible(const char *path, int64_t line, const char *f, access_row_t *r)
{
    memset(r->may, 0, sizeof r->may);
    if (strcmp(f, "any") == 0) {
        memset(r->may, 1, sizeof r->may);
        return ENT_OK;
    }
    if (strcmp(f, "none") == 0) {
        return ENT_OK;
    }
    size_t ntok = 0;
    for (const char *p = f; *p;) {
        while (*p == ' ') {
            p++;
        }
        if (!*p) {
            break;
        }
        size_t len = strcspn(p, " ");
        char tok[32];
        if (len >= sizeof tok) {
            return ent_i_err(ENT_EPARSE, "%s:%lld: field 'eligible': token '%.*s' too long", path, (long long)line,
                             (int)(len > 40 ? 40 : len), p);
        }
        memcpy(tok, p, len);
        tok[len] = '\0';
        p += len;
        ntok++;
        bool found = false;
        for (size_t g = 0; g < sizeof access_regions / sizeof *access_regions; g++) {
            if (strcmp(tok, access_regions[g].name) == 0) {
                memset(r->may + access_regions[g].lo, 1, (size_t)(access_regions[g].hi - access_regions[g].lo + 1));
                found = true;
            }
        }
        if (found) {
            continue;
        }
        char *end = NULL;
        long v = strtol(tok, &end, 10);
        if (!end || *end || end == tok || v <= 0 || v >= ENT_PM_MAX_CCODE) {
            return ent_i_err(ENT_EPARSE,
                             "%s:%lld: field 'eligible': '%s' is neither 'any', 'none', a region (americas, "
                             "europe, africa, middle_east, asia, oceania) nor a COW state code 1..%d",
                             path, (long long)line, tok, ENT_PM_MAX_CCODE - 1);
        }
        r->may[v] = 1;
    }
    if (ntok == 0) {
        return ent_i_err(ENT_EPARSE, "%s:%lld: field 'eligible': empty (write 'any' or 'none')", path, (long long)line);
    }
    return ENT_OK;
}

ent_err_t ent_pmaccess_load(ent_pmaccess_t **out, const char *path)
{
    static const char *const cols[] = {"atopid", "treaty", "eligible", "clause", "source"};
    *out = NULL;
    ent_err_t rc = ENT_OK;
    ent_csv_t *r = NULL;
    access_row_t *row = NULL;
    ent_pmaccess_t *t = ent_calloc(1, sizeof *t);
    if (!t || !(row = ent_malloc(sizeof *row))) {
        ent_free(t);
        return ent_i_nomem();
    }
    t->rows = (ent_vec_t)ENT_VEC_INIT(access_row_t);
    int idx[5];
    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, idx, 5));
    for (;;) {
        bool eof = false;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        int64_t id = -1;
        bool noid = false;
        const char *name, *elig, *clause, *src;
        ENT_CHECK(ent_csv_expect_fields(r, 5));
        ENT_CHECK(ent_csv_get_i64(r, (size_t)idx[0], "atopid", 1000, 99999, &id, &noid));
        ENT_CHECK(ent_csv_get_str(r, (size_t)idx[1], "treaty", 4096, &name, NULL));
        ENT_CHECK(ent_csv_get_str(r, (size_t)idx[2], "eligible", 4096, &elig, NULL));
        ENT_CHECK(ent_csv_get_str(r, (size_t)idx[3], "clause", 4096, &clause, NULL));
        ENT_CHECK(ent_csv_get_str(r, (size_t)idx[4], "source", 4096, &src, NULL));
        int64_t line = ent_csv_line(r);
        if (noid && (!*name || access_row_named(t, name))) {
            rc = ent_i_err(ENT_EPARSE, "%s:%lld: field 'treaty': %s", path, (long long)line,
                           *name ? "a treaty without an atopid is named twice"
                                 : "empty (a treaty without an atopid is matched by its name)");
            goto done;
        }
        if (!noid && access_row(t, id)) {
            rc = ent_i_err(ENT_EPARSE, "%s:%lld: field 'atopid': %lld is listed twice", path, (long long)line,
                           (long long)id);
            goto done;
        }
        if (!*clause || !*src) {
            rc = ent_i_err(ENT_EPARSE, "%s:%lld: field '%s': empty (every row cites its clause and source)", path,
                           (long long)line, !*clause ? "clause" : "source");
            goto done;
        }
        row->atopid = noid ? -1 : id;
        row->name = NULL;
        ENT_CHECK(parse_eligible(path, line, elig, row));
        if (noid && !(row->name = ent_strdup(name))) {
            rc = ent_i_nomem();
            goto done;
        }
        if ((rc = ent_vec_push(&t->rows, row)) != ENT_OK) {
            ent_free(row->name);
            goto done;
        }
    }
    *out = t;
    t = NULL;
done:
    ent_free(row);
    ent_csv_free(r);
    ent_pmaccess_free(t);
    return rc;
}

/* ---------------------------------------------------------------- the file */

static ent_err_t bad(const char *path, const char *field, const char *what)
{
    return ent_i_err(ENT_EPARSE, "%s: field '%s': %s", path, field, what);
}

static ent_err_t get_num(const char *path, json_t *obj, const char *key, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v || !json_is_number(v)) {
        return bad(path, key, "expected a number");
    }
    *out = json_number_value(v);
    return ENT_OK;
}

ent_err_t ent_pactmodel_load(ent_pactmodel_t **out, const char *path)
{
    const size_t P = ENT_PM_NPARAMS;
    *out = NULL;
    ent_err_t rc = ENT_OK;
    ent_pactmodel_t *m = NULL;
    char *prov = NULL;
    double theta[ENT_PM_NPARAMS], se[ENT_PM_NPARAMS], se_model[ENT_PM_NPARAMS];
    bool has_se_model = false;
    bool fitted[ENT_PM_NPARAMS], seen[ENT_PM_NPARAMS] = {0};
    double *cov = NULL;
    ent_pactmodel_settings_t s = default_settings;
    FILE *f = fopen(path, "rb");
    if (!f) {
        return ent_i_err(errno == ENOENT ? ENT_ENOTFOUND : ENT_EIO, "%s: %s", path, strerror(errno));
    }
    json_error_t je;
    json_t *root = json_loadf(f, 0, &je);
    fclose(f);
    if (!root) {
        return ent_i_err(ENT_EPARSE, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    }
    if (!json_is_object(root)) {
        rc = bad(path, "(top)", "expected an object");
        goto done;
    }
    json_t *model = json_object_get(root, "model");
    if (!json_is_string(model) || strcmp(json_string_value(model), "entente-pactmodel") != 0) {
        rc = bad(path, "model", "expected \"entente-pactmodel\"");
        goto done;
    }
    json_t *ver = json_object_get(root, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 1) {
        rc = bad(path, "version", "expected 1 (this library's parameter file version)");
        goto done;
    }
    json_t *js = json_object_get(root, "settings");
    if (!json_is_object(js)) {
        rc = bad(path, "settings", "expected an object");
        goto done;
    }
    ENT_CHECK(get_num(path, js, "dist_scale_km", &s.dist_scale_km));
    ENT_CHECK(get_num(path, js, "reach_major", &s.reach_major));
    ENT_CHECK(get_num(path, js, "sea_prox", &s.sea_prox));
    ENT_CHECK(get_num(path, js, "threat_ref", &s.threat_ref));
    ENT_CHECK(get_num(path, js, "lambda", &s.lambda));
    ENT_CHECK(get_num(path, js, "lesser_broad", &s.lesser_broad));
    if (!ent_i_pm_lesser_broad_ok(s.lesser_broad)) {
        rc = bad(path, "settings.lesser_broad", "expected an integer member count in 3..255");
        goto done;
    }
    json_t *params = json_object_get(root, "params");
    if (!json_is_array(params) || json_array_size(params) != P) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected an array of %zu parameters", P);
        rc = bad(path, "params", msg);
        goto done;
    }
    for (size_t a = 0; a < P; a++) {
        json_t *pa = json_array_get(params, a);
        json_t *nm = json_object_get(pa, "name");
        char field[64];
        snprintf(field, sizeof field, "params[%zu]", a);
        if (!json_is_object(pa) || !json_is_string(nm)) {
            rc = bad(path, field, "expected an object with a name");
            goto done;
        }
        size_t k = P;
        for (size_t b = 0; b < P; b++) {
            if (strcmp(names[b], json_string_value(nm)) == 0) {
                k = b;
            }
        }
        if (k == P || seen[k]) {
            char msg[160];
            snprintf(msg, sizeof msg, "%s parameter '%s'", k == P ? "unknown" : "duplicate", json_string_value(nm));
            rc = bad(path, field, msg);
            goto done;
        }
        seen[k] = true;
        snprintf(field, sizeof field, "params[%zu].estimate", a);
        json_t *e = json_object_get(pa, "estimate");
        if (!json_is_number(e) || !isfinite(json_number_value(e))) {
            rc = bad(path, field, "expected a finite number");
            goto done;
        }
        theta[k] = json_number_value(e);
        json_t *jse = json_object_get(pa, "se");
        se[k] = json_is_number(jse) ? json_number_value(jse) : NAN;
        json_t *jsm = json_object_get(pa, "se_model");
        se_model[k] = json_is_number(jsm) ? json_number_value(jsm) : NAN;
        has_se_model = has_se_model || jsm != NULL;
        if (jsm && !json_is_null(jsm) && !(json_is_number(jsm) && json_number_value(jsm) >= 0)) {
            snprintf(field, sizeof field, "params[%zu].se_model", a);
            rc = bad(path, field, "expected a number >= 0 or null");
            goto done;
        }
        json_t *jf = json_object_get(pa, "fitted");
        fitted[k] = json_is_true(jf);
    }
    json_t *jc = json_object_get(root, "covariance");
    if (jc && !json_is_null(jc)) {
        if (!json_is_array(jc) || json_array_size(jc) != P) {
            rc = bad(path, "covariance", "expected a square array over the parameters, in their order");
            goto done;
        }
        if (!(cov = ent_calloc(P * P, sizeof *cov))) {
            rc = ent_i_nomem();
            goto done;
        }
        /* Rows follow the file's parameter order: map them to ours. */
        size_t order[ENT_PM_NPARAMS];
        for (size_t a = 0; a < P; a++) {
            const char *nm = json_string_value(json_object_get(json_array_get(params, a), "name"));
            for (size_t b = 0; b < P; b++) {
                if (strcmp(names[b], nm) == 0) {
                    order[a] = b;
                }
            }
        }
        for (size_t a = 0; a < P; a++) {
            json_t *row = json_array_get(jc, a);
            if (!json_is_array(row) || json_array_size(row) != P) {
                char field[64];
                snprintf(field, sizeof field, "covariance[%zu]", a);
                rc = bad(path, field, "expected a row of numbers, one per parameter");
                goto done;
            }
            for (size_t b = 0; b < P; b++) {
                json_t *v = json_array_get(row, b);
                if (!json_is_number(v)) {
                    char field[64];
                    snprintf(field, sizeof field, "covariance[%zu][%zu]", a, b);
                    rc = bad(path, field, "expected a number");
                    goto done;
                }
                cov[order[a] * P + order[b]] = json_number_value(v);
            }
        }
    }
    (void)se;
    json_t *jp = json_object_get(root, "provenance");
    if (jp && !json_is_object(jp)) {
        rc = bad(path, "provenance", "expected an object");
        goto done;
    }
    if (jp && !(prov = json_dumps(jp, JSON_COMPACT | JSON_SORT_KEYS))) {
        rc = ent_i_nomem();
        goto done;
    }
    ENT_CHECK(ent_pactmodel_new(&m));
    if ((rc = ent_pactmodel_set(m, theta, cov, fitted, &s, prov)) != ENT_OK) {
        rc = ent_i_err(rc == ENT_ENOMEM ? rc : ENT_EPARSE, "%s: %s", path, ent_errmsg());
        goto done;
    }
    if (has_se_model) {
        json_t *jg = json_object_get(root, "clusters");
        ENT_CHECK(ent_pactmodel_set_robust(m, se_model, json_is_integer(jg) ? (size_t)json_integer_value(jg) : 0));
    }
    *out = m;
    m = NULL;
done:
    free(prov); /* jansson's allocation */
    ent_free(cov);
    ent_pactmodel_free(m);
    json_decref(root);
    return rc;
}

ent_err_t ent_pactmodel_save(const ent_pactmodel_t *m, const char *path)
{
    const size_t P = ENT_PM_NPARAMS;
    ent_err_t rc = ENT_OK;
    json_t *root = json_object(), *js = json_object(), *params = json_array(), *prov = NULL;
    if (!root || !js || !params) {
        rc = ent_i_nomem();
        goto done;
    }
    json_object_set_new(root, "model", json_string("entente-pactmodel"));
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(js, "dist_scale_km", json_real(m->settings.dist_scale_km));
    json_object_set_new(js, "reach_major", json_real(m->settings.reach_major));
    json_object_set_new(js, "sea_prox", json_real(m->settings.sea_prox));
    json_object_set_new(js, "threat_ref", json_real(m->settings.threat_ref));
    json_object_set_new(js, "lambda", json_real(m->settings.lambda));
    json_object_set_new(js, "lesser_broad", json_integer((json_int_t)m->settings.lesser_broad));
    json_object_set(root, "settings", js);
    for (size_t k = 0; k < P; k++) {
        json_t *pa = json_object();
        if (!pa) {
            rc = ent_i_nomem();
            goto done;
        }
        json_object_set_new(pa, "name", json_string(names[k]));
        json_object_set_new(pa, "estimate", json_real(m->theta[k]));
        if (m->has_cov && m->cov[k * P + k] > 0) {
            json_object_set_new(pa, "se", json_real(sqrt(m->cov[k * P + k])));
        } else {
            json_object_set_new(pa, "se", json_null());
        }
        if (m->has_se_model) {
            json_object_set_new(pa, "se_model",
                                isfinite(m->se_model[k]) && m->se_model[k] > 0 ? json_real(m->se_model[k])
                                                                               : json_null());
        }
        json_object_set_new(pa, "fitted", json_boolean(m->fitted[k]));
        json_array_append_new(params, pa);
    }
    json_object_set(root, "params", params);
    if (m->has_cov) {
        /* "se" and the covariance are cluster-robust when "clusters" is given (docs/models/pactmodel.md, Fit) */
        json_object_set_new(root, "covariance_type", json_string(m->has_se_model ? "cluster-robust" : "model"));
        if (m->has_se_model) {
            json_object_set_new(root, "clusters", json_integer((json_int_t)m->nclusters));
        }
        json_t *jc = json_array();
        for (size_t a = 0; a < P && jc; a++) {
            json_t *row = json_array();
            for (size_t b = 0; b < P && row; b++) {
                json_array_append_new(row, json_real(m->cov[a * P + b]));
            }
            json_array_append_new(jc, row);
        }
        json_object_set_new(root, "covariance", jc);
    } else {
        json_object_set_new(root, "covariance", json_null());
    }
    json_error_t je;
    prov = json_loads(ent_pactmodel_provenance(m), 0, &je);
    json_object_set_new(root, "provenance", prov ? prov : json_object());
    if (json_dump_file(root, path, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0) {
        rc = ent_i_err(ENT_EIO, "%s: cannot write the parameter file: %s", path, strerror(errno));
    }
done:
    json_decref(js);
    json_decref(params);
    json_decref(root);
    return rc;
}
