/*
 * models_logit.c -- the L2-penalised logistic regression against known
 * solutions: a separable case whose penalised optimum solves a scalar
 * equation, the unpenalised separable case (no optimum: an error, not a
 * number), thread-count invariance, and a small random case cross-checked
 * with scipy's optimiser (skipped when /usr/bin/python3 has no scipy).
 */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

static double sigmoid(double x)
{
    return 1 / (1 + exp(-x));
}

static void test_separable(void)
{
    /* x = +1 (y = 1) and x = -1 (y = 0), n/2 each: the intercept is 0 by symmetry and the slope solves
       n (1 - sigmoid(b)) = lambda b */
    enum { N = 200 };
    static double X[N], y[N];
    for (int i = 0; i < N; i++) {
        X[i] = i % 2 ? 1 : -1;
        y[i] = i % 2;
    }
    double lambda = 3.0, lo = 0, hi = 100;
    for (int k = 0; k < 200; k++) {
        double mid = (lo + hi) / 2;
        if (N * (1 - sigmoid(mid)) - lambda * mid > 0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    double beta[2];
    ent_logit_options_t o = ENT_LOGIT_OPTIONS_INIT;
    o.lambda = lambda;
    int it;
    CHECK_OK(ent_logit_fit(beta, X, y, N, 1, &o, &it));
    CHECK_NEAR(beta[0], 0, 1e-10);
    CHECK_NEAR(beta[1], (lo + hi) / 2, 1e-9);
    /* without a penalty there is no optimum: the fit must say so */
    o.lambda = 0;
    o.max_iter = 60;
    CHECK_RC(ent_logit_fit(beta, X, y, N, 1, &o, NULL), ENT_ERANGE);
    /* bad options */
    o.lambda = -1;
    CHECK_RC(ent_logit_fit(beta, X, y, N, 1, &o, NULL), ENT_EINVAL);
}

enum { RN = 3000, RQ = 4 };
static double RX[RQ * RN], RY[RN];

static void make_random(void)
{
    ent_rng_t r;
    ent_rng_seed(&r, 11, 0);
    double b[RQ + 1] = {-2.0, 1.0, -0.5, 0.25, 0.0};
    for (size_t i = 0; i < RN; i++) {
        double eta = b[0];
        for (size_t j = 0; j < RQ; j++) {
            double x = ent_rng_normal(&r) + (j == 3 ? 0.5 * RX[i] : 0); /* a correlated column */
            RX[j * RN + i] = x;
            eta += b[j + 1] * x;
        }
        RY[i] = ent_rng_uniform(&r) < sigmoid(eta) ? 1 : 0;
    }
}

static void test_threads(void)
{
    double b1[RQ + 1], b2[RQ + 1];
    ent_logit_options_t o = ENT_LOGIT_OPTIONS_INIT;
    o.lambda = 2;
    o.threads = 1;
    CHECK_OK(ent_logit_fit(b1, RX, RY, RN, RQ, &o, NULL));
    o.threads = 2;
    CHECK_OK(ent_logit_fit(b2, RX, RY, RN, RQ, &o, NULL));
    CHECK(memcmp(b1, b2, sizeof b1) == 0);
    /* the optimum's gradient vanishes: check it directly */
    double g[RQ + 1] = {0};
    for (size_t i = 0; i < RN; i++) {
        double eta = b1[0];
        for (size_t j = 0; j < RQ; j++) {
            eta += b1[j + 1] * RX[j * RN + i];
        }
        double r = sigmoid(eta) - RY[i];
        g[0] += r;
        for (size_t j = 0; j < RQ; j++) {
            g[j + 1] += r * RX[j * RN + i];
        }
    }
    for (size_t j = 1; j <= RQ; j++) {
        g[j] += 2 * b1[j];
    }
    for (size_t j = 0; j <= RQ; j++) {
        CHECK_NEAR(g[j], 0, 1e-8);
    }
}

static void test_scipy(void)
{
    if (access("/usr/bin/python3", X_OK) != 0 ||
        system("/usr/bin/python3 -c 'import scipy.optimize, numpy' >/dev/null 2>&1") != 0) {
        fprintf(stderr, "note: /usr/bin/python3 with scipy not found; the scipy cross-check is skipped\n");
        return;
    }
    const char *tmp = getenv("ENT_TMP");
    char path[512], cmd[2048];
    snprintf(path, sizeof path, "%s/logit_xcheck.csv", tmp ? tmp : "/tmp");
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) {
        return;
    }
    for (size_t i = 0; i < RN; i++) {
        fprintf(f, "%.17g", RY[i]);
        for (size_t j = 0; j < RQ; j++) {
            fprintf(f, ",%.17g", RX[j * RN + i]);
        }
        fputc('\n', f);
    }
    fclose(f);
    /* scipy minimises the same objective with its own trust-region Newton (exact gradient and Hessian) */
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c '\n"
             "import numpy as np\n"
             "from scipy.optimize import minimize\n"
             "from scipy.special import expit\n"
             "d = np.loadtxt(\"%s\", delimiter=\",\")\n"
             "y = d[:, 0]; X = np.hstack([np.ones((len(y), 1)), d[:, 1:]]); lam = 2.0\n"
             "pen = np.r_[0.0, np.ones(X.shape[1] - 1)]\n"
             "def f(b):\n"
             "    e = X @ b\n"
             "    return np.sum(np.logaddexp(0, e) - y * e) + 0.5 * lam * np.sum(pen * b * b)\n"
             "def g(b):\n"
             "    return X.T @ (expit(X @ b) - y) + lam * pen * b\n"
             "def h(b):\n"
             "    p = expit(X @ b); return (X * (p * (1 - p))[:, None]).T @ X + lam * np.diag(pen)\n"
             "r = minimize(f, np.zeros(X.shape[1]), jac=g, hess=h, method=\"trust-exact\", options={\"gtol\": 1e-12})\n"
             "print(\" \".join(\"%%.15g\" %% v for v in r.x))\n'",
             path);
    FILE *pp = popen(cmd, "r");
    CHECK(pp != NULL);
    if (!pp) {
        return;
    }
    double ref[RQ + 1];
    int got = 0;
    for (int j = 0; j <= RQ; j++) {
        got += fscanf(pp, "%lf", &ref[j]) == 1;
    }
    CHECK(pclose(pp) == 0);
    CHECK(got == RQ + 1);
    double b[RQ + 1];
    ent_logit_options_t o = ENT_LOGIT_OPTIONS_INIT;
    o.lambda = 2;
    CHECK_OK(ent_logit_fit(b, RX, RY, RN, RQ, &o, NULL));
    for (int j = 0; j <= RQ && got == RQ + 1; j++) {
        CHECK_NEAR(b[j], ref[j], 1e-7);
    }
    remove(path);
}

int main(void)
{
    test_separable();
    make_random();
    test_threads();
    test_scipy();
    return CHECK_DONE();
}
