/*
 * logit.c -- L2-penalised logistic regression by Newton's method: the
 * statistical baseline every alliance model is scored against.
 *
 * Newton (IRLS) rather than a quasi-Newton method because the problems here
 * are tall and narrow (10^5-10^6 rows, < 100 columns): one pass over the rows
 * builds the exact penalised Hessian, GSL's Cholesky solves it, and the
 * iteration converges quadratically to the 1e-10 the cross-check with scipy
 * needs. Rows are accumulated in fixed blocks summed in block order, so the
 * result does not depend on the number of threads.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <omp.h>
#include <stdbool.h>
#include <string.h>

#include "entente/backtest.h"
#include "util_int.h"

/* log(1 + exp(eta)) without overflow */
static inline double softplus(double eta)
{
    return eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta));
}

enum { BLOCK_ROWS = 1024 };

typedef struct {
    const double *X, *y; /* X column-major: column j is X[j * n .. j * n + n - 1] */
    size_t n, q, nblocks;
    int threads;
    double *bufs; /* per block: f, g (m), H (m * m), then 3 * BLOCK_ROWS scratch */
} prob_t;

static size_t per_block(size_t m)
{
    return 1 + m + m * m + 3 * BLOCK_ROWS;
}

/*
 * The penalised objective, and when g is not NULL its gradient and Hessian
 * (the full (q+1) x (q+1) matrix), at beta: one pass over the rows. Each
 * block works on contiguous column segments, so the inner loops are dot
 * products the compiler vectorises.
 */
static double evaluate(const prob_t *pr, const double *beta, double lambda, double *g, double *H)
{
    size_t q = pr->q, m = q + 1, n = pr->n, per = per_block(m);
    bool want = g != NULL;
#pragma omp parallel for schedule(dynamic, 1) num_threads(pr->threads) if (pr->nblocks > 1)
    for (size_t b = 0; b < pr->nblocks; b++) {
        double *fb = pr->bufs + b * per, *gb = fb + 1, *Hb = gb + m, *eta = Hb + m * m, *w = eta + BLOCK_ROWS,
               *zw = w + BLOCK_ROWS;
        size_t lo = b * BLOCK_ROWS, len = lo + BLOCK_ROWS < n ? BLOCK_ROWS : n - lo;
        for (size_t i = 0; i < len; i++) {
            eta[i] = beta[0];
        }
        for (size_t j = 0; j < q; j++) {
            const double *x = pr->X + j * n + lo;
            double bj = beta[j + 1];
#pragma omp simd
            for (size_t i = 0; i < len; i++) {
                eta[i] += bj * x[i];
            }
        }
        const double *y = pr->y + lo;
        double f = 0;
        for (size_t i = 0; i < len; i++) {
            f += softplus(eta[i]) - y[i] * eta[i];
        }
        *fb = f;
        if (!want) {
            continue;
        }
        /* eta becomes the residual p - y, w the weight p (1 - p) */
        double r0 = 0, w0 = 0;
        for (size_t i = 0; i < len; i++) {
            double p = 1 / (1 + exp(-eta[i]));
            w[i] = p * (1 - p);
            eta[i] = p - y[i];
            r0 += eta[i];
            w0 += w[i];
        }
        memset(gb, 0, (m + m * m) * sizeof *gb);
        gb[0] = r0;
        Hb[0] = w0;
        for (size_t j = 0; j < q; j++) {
            const double *xj = pr->X + j * n + lo;
            double gj = 0, hj0 = 0;
#pragma omp simd reduction(+ : gj, hj0)
            for (size_t i = 0; i < len; i++) {
                zw[i] = w[i] * xj[i];
                gj += eta[i] * xj[i];
                hj0 += zw[i];
            }
            gb[j + 1] = gj;
            Hb[j + 1] = hj0;
            for (size_t k = j; k < q; k++) {
                const double *xk = pr->X + k * n + lo;
                double s = 0;
#pragma omp simd reduction(+ : s)
                for (size_t i = 0; i < len; i++) {
                    s += zw[i] * xk[i];
                }
                Hb[(j + 1) * m + k + 1] = s;
            }
        }
    }
    /* the blocks in order: the same sums on any number of threads */
    double f = 0;
    if (want) {
        memset(g, 0, m * sizeof *g);
        memset(H, 0, m * m * sizeof *H);
    }
    for (size_t b = 0; b < pr->nblocks; b++) {
        const double *fb = pr->bufs + b * per, *gb = fb + 1, *Hb = gb + m;
        f += *fb;
        if (want) {
            for (size_t j = 0; j < m; j++) {
                g[j] += gb[j];
            }
            for (size_t j = 0; j < m; j++) {
                for (size_t k = j; k < m; k++) {
                    H[j * m + k] += Hb[j * m + k];
                }
            }
        }
    }
    for (size_t j = 1; j <= q; j++) {
        f += 0.5 * lambda * beta[j] * beta[j];
    }
    if (want) {
        for (size_t j = 1; j < m; j++) {
            g[j] += lambda * beta[j];
            H[j * m + j] += lambda;
        }
        for (size_t j = 0; j < m; j++) {
            for (size_t k = 0; k < j; k++) {
                H[j * m + k] = H[k * m + j];
            }
        }
    }
    return f;
}

ent_err_t ent_logit_fit(double *beta, const double *X, const double *y, size_t n, size_t q,
                        const ent_logit_options_t *opt, int *iters)
{
    ent_logit_options_t o = ENT_LOGIT_OPTIONS_INIT;
    if (opt) {
        o = *opt;
    }
    if (n == 0) {
        return ent_i_err(ENT_EINVAL, "logit: no rows to fit");
    }
    if (!(o.lambda >= 0) || o.max_iter <= 0 || !(o.tol > 0)) {
        return ent_i_err(ENT_EINVAL, "logit: lambda >= 0, max_iter > 0 and tol > 0 are required");
    }
    size_t m = q + 1;
    prob_t pr = {X,   y, n, q, (n + BLOCK_ROWS - 1) / BLOCK_ROWS, o.threads > 0 ? o.threads : omp_get_max_threads(),
                 NULL};
    /* H and g at beta, and at the trial point (Ht, gt): a Newton step usually is accepted, so the trial's
       derivatives are the next iteration's and each iteration costs one pass over the rows */
    double *mem = ent_calloc(pr.nblocks * per_block(m) + 2 * (m * m + m) + 2 * m, sizeof *mem);
    if (!mem) {
        return ent_i_nomem();
    }
    pr.bufs = mem;
    double *H = mem + pr.nblocks * per_block(m), *g = H + m * m, *Ht = g + m, *gt = Ht + m * m, *d = gt + m,
           *trial = d + m;
    ent_err_t rc = ENT_OK;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    if (!o.warm) {
        /* the intercept-only optimum: with rare events, starting at p = 1/2 costs Newton several steps */
        double ybar = 0;
        for (size_t i = 0; i < n; i++) {
            ybar += y[i];
        }
        ybar /= (double)n;
        memset(beta, 0, m * sizeof *beta);
        if (ybar > 0 && ybar < 1) {
            beta[0] = log(ybar / (1 - ybar));
        }
    }
    double f = evaluate(&pr, beta, o.lambda, g, H);
    int it;
    for (it = 1; it <= o.max_iter; it++) {
        gsl_matrix_view Hv = gsl_matrix_view_array(H, m, m);
        gsl_vector_view gv = gsl_vector_view_array(g, m), dv = gsl_vector_view_array(d, m);
        if (!isfinite(f) || gsl_linalg_cholesky_decomp1(&Hv.matrix) != GSL_SUCCESS ||
            gsl_linalg_cholesky_solve(&Hv.matrix, &gv.vector, &dv.vector) != GSL_SUCCESS) {
            rc = ent_i_err(ENT_ERANGE, "logit: the penalised Hessian is not positive definite (separable data needs "
                                       "lambda > 0, or a column is constant)");
            goto done;
        }
        /* step -d, halved until the objective does not increase */
        double step = 1, ft = f, maxstep = 0;
        /* the full step with its derivatives (usually accepted); halvings test the objective alone, a
           pass ~q/2 times cheaper, and the derivatives follow once a step is accepted */
        bool have = true;
        for (int halvings = 0; halvings < 60; halvings++) {
            for (size_t j = 0; j < m; j++) {
                trial[j] = beta[j] - step * d[j];
            }
            ft = evaluate(&pr, trial, o.lambda, halvings ? NULL : gt, halvings ? NULL : Ht);
            if (ft <= f + 1e-12 * fabs(f)) {
                have = halvings == 0;
                break;
            }
            step *= 0.5;
        }
        if (!have && isfinite(ft)) {
            ft = evaluate(&pr, trial, o.lambda, gt, Ht);
        }
        if (!isfinite(ft)) {
            rc = ent_i_err(ENT_ERANGE, "logit: the objective is not finite (iteration %d)", it);
            goto done;
        }
        for (size_t j = 0; j < m; j++) {
            double s = fabs(step * d[j]);
            maxstep = s > maxstep ? s : maxstep;
        }
        memcpy(beta, trial, m * sizeof *beta);
        memcpy(H, Ht, m * m * sizeof *H);
        memcpy(g, gt, m * sizeof *g);
        f = ft;
        if (maxstep < o.tol) {
            break;
        }
    }
    if (it > o.max_iter) {
        rc = ent_i_err(ENT_ERANGE, "logit: no convergence in %d Newton iterations", o.max_iter);
    }
done:
    gsl_set_error_handler(old);
    if (iters) {
        *iters = it > o.max_iter ? o.max_iter : it;
    }
    ent_free(mem);
    return rc;
}
