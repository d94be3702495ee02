/*
 * fit.c -- the result of `entente fit` (entente.fit/1), written once: the pact model's estimates
 * with their standard errors, the grid of penalties and threat references with the validation
 * log likelihood that chose among them, and the counts of the fit; and the text the command
 * prints. The numbers are the fit's (src/models/pactmodel_fit.c); this file only writes them.
 * docs/report.md documents the fields, docs/models/pactmodel.md the model.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "util_int.h"

/* The standard error of parameter k: the square root of the covariance's diagonal, NaN without one. */
static double se_of(const ent_pactmodel_t *m, size_t k)
{
    const double *cov = ent_pactmodel_covariance(m);
    size_t P = ent_pactmodel_nparams(m);
    return cov ? sqrt(cov[k * P + k]) : NAN;
}

static ent_err_t check(const ent_pmfit_report_t *rep, const char *fn)
{
    if (rep->ngrid > ENT_PMFIT_MAXGRID || (rep->ngrid && rep->chosen >= rep->ngrid)) {
        return ent_i_err(ENT_EINVAL, "%s: a grid of %zu points with point %zu chosen", fn, rep->ngrid, rep->chosen);
    }
    return ENT_OK;
}

ent_err_t ent_report_fit(char **out, const ent_pactmodel_t *m, const ent_pmfit_report_t *rep)
{
    *out = NULL;
    ent_err_t rc = check(rep, "ent_report_fit");
    if (rc != ENT_OK) {
        return rc;
    }
    const double *est = ent_pactmodel_estimates(m);
    size_t P = ent_pactmodel_nparams(m);
    const ent_pactmodel_settings_t *s = ent_pactmodel_settings(m);
    json_t *root = json_object();
    root = ent_rep_put(root, "schema", json_string(ENT_REPORT_FIT_SCHEMA));
    json_t *ps = json_array();
    for (size_t k = 0; ps && k < P; k++) {
        double se = se_of(m, k);
        json_t *e = json_object();
        e = ent_rep_put(e, "name", json_string(ent_pactmodel_param_name(k)));
        e = ent_rep_put(e, "estimate", ent_rep_num(est[k]));
        e = ent_rep_put(e, "se", ent_rep_num(se));
        e = ent_rep_put(e, "z", ent_rep_num(est[k] / se));
        ps = ent_rep_push(ps, e);
    }
    json_t *grid = json_array();
    for (size_t g = 0; grid && g < rep->ngrid; g++) {
        json_t *e = json_object();
        e = ent_rep_put(e, "lambda", ent_rep_num(rep->grid_lambda[g]));
        e = ent_rep_put(e, "threat_ref", ent_rep_num(rep->grid_threat_ref[g]));
        e = ent_rep_put(e, "valid_loglik", ent_rep_num(rep->grid_valid[g]));
        e = ent_rep_put(e, "chosen", json_boolean(g == rep->chosen));
        grid = ent_rep_push(grid, e);
    }
    const ent_pmfit_result_t *f = &rep->fit;
    root = ent_rep_put(root, "params", ps);
    root = ent_rep_put(root, "grid", grid);
    root = ent_rep_put(root, "lambda", ent_rep_num(s->lambda));
    root = ent_rep_put(root, "threat_ref", ent_rep_num(s->threat_ref));
    root = ent_rep_put(root, "fit_loglik", ent_rep_num(f->loglik));
    root = ent_rep_put(root, "fit_obs", json_integer((json_int_t)(f->nform + f->nend + f->njoin)));
    root = ent_rep_put(root, "new_ties", json_integer((json_int_t)f->form_events));
    root = ent_rep_put(root, "at_risk", json_integer((json_int_t)f->nform));
    root = ent_rep_put(root, "ends", json_integer((json_int_t)f->end_events));
    root = ent_rep_put(root, "join_decisions", json_integer((json_int_t)f->njoin));
    root = ent_rep_put(root, "joins", json_integer((json_int_t)f->join_events));
    root = ent_rep_put(root, "tie_years", json_integer((json_int_t)f->nend));
    root = ent_rep_put(root, "valid_loglik", ent_rep_num(rep->valid_loglik));
    root = ent_rep_put(root, "seconds", ent_rep_num(rep->seconds));
    return ent_rep_finish(out, root);
}

/* Text into a buffer; the first failure sticks. */
static void tprintf(ent_buf_t *b, ent_err_t *rc, const char *fmt, ...) ENT_PRINTF(3, 4);
static void tprintf(ent_buf_t *b, ent_err_t *rc, const char *fmt, ...)
{
    if (*rc != ENT_OK) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    *rc = ent_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

ent_err_t ent_report_fit_text(char **out, const ent_pactmodel_t *m, const ent_pmfit_report_t *rep,
                              const ent_pmfit_options_t *opt)
{
    *out = NULL;
    ENT_I_CHECK_OPTIONS(opt, ENT_PMFIT_OPTIONS_VERSION);
    ent_err_t rc = check(rep, "ent_report_fit_text");
    if (rc != ENT_OK) {
        return rc;
    }
    ent_pmfit_options_t def = ENT_PMFIT_OPTIONS_INIT;
    const ent_pmfit_options_t *o = opt ? opt : &def;
    const ent_pmfit_result_t *f = &rep->fit;
    const double *est = ent_pactmodel_estimates(m);
    size_t P = ent_pactmodel_nparams(m);
    ent_buf_t b = ENT_BUF_INIT;
    tprintf(&b, &rc,
            "pact model, fitted on outcome years %d-%d: %zu bilateral decisions (%zu new pacts), %zu join "
            "decisions (%zu joins), %zu tie-years (%zu ends)\n",
            o->fit_from, o->fit_to, f->nform, f->form_events, f->njoin, f->join_events, f->nend, f->end_events);
    tprintf(&b, &rc, "choice on %d-%d (mean log likelihood per observation):\n", o->valid_from, o->valid_to);
    for (size_t g = 0; g < rep->ngrid; g++) {
        char v[32];
        snprintf(v, sizeof v, isfinite(rep->grid_valid[g]) ? "%.6f" : "(fit failed)", rep->grid_valid[g]);
        tprintf(&b, &rc, "  lambda %-8g threat_ref %-8g  %s%s\n", rep->grid_lambda[g], rep->grid_threat_ref[g], v,
                g == rep->chosen ? "  <- chosen" : "");
    }
    tprintf(&b, &rc, "\n%-22s %10s %9s %7s\n", "parameter", "estimate", "se", "z");
    for (size_t k = 0; k < P; k++) {
        double se = se_of(m, k);
        if (!ent_pactmodel_fitted(m, k)) {
            /* no variation in the fit years: held at its value, not drawn */
            tprintf(&b, &rc, "%-22s %10.4f %9s %7s  (no variation in the fit years: held)\n",
                    ent_pactmodel_param_name(k), est[k], "-", "-");
            continue;
        }
        tprintf(&b, &rc, "%-22s %10.4f %9.4f %7.2f\n", ent_pactmodel_param_name(k), est[k], se, est[k] / se);
    }
    tprintf(&b, &rc, "\nlog likelihood %.2f on %zu observations; %d BFGS iterations; %.1f s in all\n", f->loglik,
            f->nform + f->nend + f->njoin, f->iterations, rep->seconds);
    if (rc == ENT_OK && !(*out = ent_strdup(ent_buf_cstr(&b)))) {
        rc = ent_i_nomem();
    }
    ent_buf_destroy(&b);
    return rc;
}
