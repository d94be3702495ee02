/*
 * models_pactmodel_cluster.c -- the pact model fit's cluster-robust covariance
 * (docs/models/pactmodel.md, "Fit"; Cameron & Miller 2015, "A Practitioner's
 * Guide to Cluster-Robust Inference", J. Human Resources 50(2)):
 *  - the clusters' scores add up to the analytic gradient;
 *  - with singleton clusters the covariance is the HC0 sandwich, rebuilt here
 *    from a finite-difference Hessian, times G/(G-1);
 *  - duplicating every observation k times inside its cluster divides the
 *    model-based SE by sqrt(k) and leaves the clustered one unchanged (with
 *    singleton clusters the "robust" SE shrinks as the model's does);
 *  - a multilateral founding (four states, six new dyads in one year) is one
 *    decision: its dyads fall into one cluster;
 *  - the model-based SEs and the cluster count survive a save and a load.
 * The simulated world is the parameter-recovery test's, smaller.
 */
#include <unistd.h>

#include <gsl/gsl_linalg.h>

#include "check.h"
#include "models/pactmodel_int.h"

enum { N = 45, YEARS = 40 };
enum { P = ENT_PM_NPARAMS };

#include "pm_world.h"

static bool penalised(size_t q)
{
    return q != ENT_PM_F_CONST && q != ENT_PM_NFORM + ENT_PM_E_CONST;
}

/* Standard errors of the model's covariance and its model-based ones. */
static void ses(const ent_pactmodel_t *m, double *se, double *se_model)
{
    const double *cov = ent_pactmodel_covariance(m), *sm = ent_pactmodel_se_model(m, NULL);
    for (size_t k = 0; k < P; k++) {
        se[k] = cov ? sqrt(cov[k * P + k]) : NAN;
        se_model[k] = sm ? sm[k] : NAN;
    }
}

int main(void)
{
    set_truth();
    ent_pactmodel_t *m = NULL, *fit = NULL, *fit2 = NULL;
    CHECK_OK(ent_pactmodel_new(&m));
    CHECK_OK(ent_pactmodel_new(&fit));
    CHECK_OK(ent_pactmodel_new(&fit2));
    if (!m || !fit || !fit2) {
        return 1;
    }
    static world_t w;
    ent_rng_t r;
    ent_rng_seed(&r, 2026, 13);
    build(&w, &r);
    ent_sysbuf_t *hist[YEARS + 1] = {0};
    const ent_sysyear_t *sys[YEARS + 1];
    ent_vec_t ev = ENT_VEC_INIT(ent_pactevent_t);
    if (!pm_history(hist, sys, m, &w, &r, &ev)) {
        return 1;
    }
    ent_pmfit_data_t *d = NULL;
    CHECK_OK(ent_pmfit_data_build(&d, m, sys, YEARS + 1, 1951, 1950 + YEARS));
    if (!d) {
        return 1;
    }
    size_t nf, fe, ne, ee, nj, je;
    ent_pmfit_data_counts(d, &nf, &fe, &ne, &ee);
    ent_pmfit_data_joins(d, &nj, &je);
    size_t nobs = nf + ne + nj;
    printf("%zu observations: %zu at risk (%zu new), %zu tie-years (%zu ends), %zu join decisions (%zu joins)\n", nobs,
           nf, fe, ne, ee, nj, je);

    /* 1. the clusters' scores add up to the analytic gradient, under every clustering */
    {
        double g[P];
        ent_i_pmfit_gradient(d, truth, g);
        for (int how = 0; how < 3; how++) {
            ent_pmfit_data_set_cluster(d, (ent_pmfit_cluster_t)how);
            double *S = NULL;
            unsigned char *seen = NULL;
            size_t slots = 0, used = 0;
            CHECK_OK(ent_i_pmfit_cluster_scores(d, truth, &S, &seen, &slots));
            if (!S) {
                return 1;
            }
            double sum[P] = {0};
            for (size_t c = 0; c < slots; c++) {
                used += seen[c];
                for (size_t q = 0; q < P; q++) {
                    sum[q] += S[c * P + q];
                }
            }
            for (size_t q = 0; q < P; q++) {
                CHECK(fabs(sum[q] - g[q]) <= 1e-8 * (1 + fabs(g[q])));
            }
            CHECK(used == ent_pmfit_data_nclusters(d));
            printf("clustering %d: %zu clusters\n", how, used);
            if (how == ENT_PMFIT_CLUSTER_NONE) {
                CHECK(used == nobs);
            }
            ent_free(S);
            ent_free(seen);
        }
        ent_pmfit_data_set_cluster(d, ENT_PMFIT_CLUSTER_DYAD);
        size_t gd = ent_pmfit_data_nclusters(d);
        ent_pmfit_data_set_cluster(d, ENT_PMFIT_CLUSTER_DECISION);
        /* the simulation founds no treaty, so decision clusters are the dyads and join units, but
         * for pairs of one treaty's members that re-ally in the same year, which the rule reads as
         * one decision (one such merge in this history) */
        size_t gdec = ent_pmfit_data_nclusters(d);
        printf("dyad clusters %zu, decision clusters %zu\n", gd, gdec);
        CHECK(gdec <= gd && gd - gdec <= 2);
        CHECK(gd > 100 && gd < nobs);
    }

    /* lambda 0: the sandwich is then exactly HC0 and k copies have exactly the same optimum; the
     * terms without variation in the simulation are held */
    const double lambda = 0.0;
    bool informed[P];
    ent_i_pmfit_informed(d, informed);
    ent_pmfit_result_t res;
    double se[P], sem[P];

    /* 2. singleton clusters: the HC0 sandwich H^-1 (sum_i s_i s_i') H^-1, times G/(G-1) */
    ent_pmfit_data_set_cluster(d, ENT_PMFIT_CLUSTER_NONE);
    CHECK_OK(ent_pmfit_run(fit, &res, d, lambda, truth, informed));
    CHECK(res.nclusters == nobs);
    {
        const double *th = ent_pactmodel_estimates(fit), *V = ent_pactmodel_covariance(fit);
        CHECK(V != NULL && ent_pactmodel_se_model(fit, NULL) != NULL);
        /* H: central differences of the penalised score, as the fit takes them (step 1e-4 (1 + |theta|)) */
        double H[P * P], A[P * P], x[P];
        memcpy(x, th, sizeof x);
        for (size_t a = 0; a < P; a++) {
            double gp[P], gm[P], h = 1e-4 * (1.0 + fabs(th[a]));
            x[a] = th[a] + h;
            ent_i_pmfit_gradient(d, x, gp);
            x[a] = th[a] - h;
            ent_i_pmfit_gradient(d, x, gm);
            x[a] = th[a];
            for (size_t b = 0; b < P; b++) {
                H[a * P + b] = -(gp[b] - gm[b]) / (2 * h) + (a == b && penalised(a) ? lambda : 0.0);
            }
        }
        for (size_t a = 0; a < P; a++) {
            for (size_t b = 0; b < P; b++) {
                /* a held term: an identity row, so the free block's inverse is unchanged */
                A[a * P + b] = informed[a] && informed[b] ? 0.5 * (H[a * P + b] + H[b * P + a]) : a == b;
            }
        }
        gsl_matrix_view Av = gsl_matrix_view_array(A, P, P);
        CHECK(gsl_linalg_cholesky_decomp1(&Av.matrix) == 0 && gsl_linalg_cholesky_invert(&Av.matrix) == 0);
        double *S = NULL;
        unsigned char *seen = NULL;
        size_t slots = 0;
        CHECK_OK(ent_i_pmfit_cluster_scores(d, th, &S, &seen, &slots));
        if (!S) {
            return 1;
        }
        double B[P * P] = {0}, T[P * P], HC0[P * P];
        for (size_t c = 0; c < slots; c++) {
            for (size_t a = 0; a < P; a++) {
                for (size_t b = 0; b < P; b++) {
                    B[a * P + b] += S[c * P + a] * S[c * P + b];
                }
            }
        }
        for (size_t a = 0; a < P; a++) {
            for (size_t b = 0; b < P; b++) {
                double v = 0;
                for (size_t c = 0; c < P; c++) {
                    v += A[a * P + c] * B[c * P + b];
                }
                T[a * P + b] = v;
            }
        }
        for (size_t a = 0; a < P; a++) {
            for (size_t b = 0; b < P; b++) {
                double v = 0;
                for (size_t c = 0; c < P; c++) {
                    v += T[a * P + c] * A[c * P + b];
                }
                HC0[a * P + b] = v;
            }
        }
        double corr = (double)nobs / (double)(nobs - 1);
        for (size_t a = 0; a < P; a++) {
            if (!informed[a]) {
                CHECK(V[a * P + a] == 0);
                continue;
            }
            double want = sqrt(HC0[a * P + a] * corr), got = sqrt(V[a * P + a]);
            if (!(fabs(got - want) <= 1e-4 * want)) {
                fprintf(stderr, "HC0 of %s: fit %.8g, rebuilt %.8g\n", ent_pactmodel_param_name(a), got, want);
            }
            CHECK(fabs(got - want) <= 1e-4 * want);
            for (size_t b = 0; b < P; b++) {
                CHECK(!informed[b] ||
                      fabs(V[a * P + b] - HC0[a * P + b] * corr) <= 1e-4 * sqrt(HC0[a * P + a] * HC0[b * P + b]));
            }
        }
        ent_free(S);
        ent_free(seen);
    }

    /* 3. every observation k times inside its cluster */
    const size_t k = 4;
    ent_pmfit_data_t *dk = NULL;
    CHECK_OK(ent_i_pmfit_data_replicate(&dk, d, k));
    if (!dk) {
        return 1;
    }
    {
        double sek[P], semk[P];
        /* k copies: the same optimum, so only the covariance can differ */
        ent_pmfit_data_set_cluster(d, ENT_PMFIT_CLUSTER_DECISION);
        ent_pmfit_data_set_cluster(dk, ENT_PMFIT_CLUSTER_DECISION);
        CHECK_OK(ent_pmfit_run(fit, &res, d, lambda, truth, informed));
        ses(fit, se, sem);
        CHECK_OK(ent_pmfit_run(fit2, &res, dk, lambda, ent_pactmodel_estimates(fit), informed));
        ses(fit2, sek, semk);
        printf("%-22s %9s %9s %9s %9s %7s %7s\n", "parameter", "se_model", "se_clust", "model/k", "clust/k", "ratio_m",
               "ratio_c");
        for (size_t q = 0; q < P; q++) {
            if (!informed[q]) {
                printf("%-22s held: no variation in the simulation\n", ent_pactmodel_param_name(q));
                continue;
            }
            printf("%-22s %9.4f %9.4f %9.4f %9.4f %7.4f %7.4f\n", ent_pactmodel_param_name(q), sem[q], se[q], semk[q],
                   sek[q], semk[q] / sem[q], sek[q] / se[q]);
            /* the same optimum up to the optimiser's tolerance, which is on the gradient: the k copies'
             * objective is k times steeper, so its fit stops nearer the optimum than the first one did
             * (a Debug build's arithmetic moved flat directions such as deter by 0.002, 0.2% of an se) */
            CHECK(fabs(ent_pactmodel_estimates(fit2)[q] - ent_pactmodel_estimates(fit)[q]) < 1e-2 * (1 + sem[q]));
            CHECK(fabs(semk[q] / sem[q] - 1.0 / sqrt((double)k)) < 0.01);
            CHECK(fabs(sek[q] / se[q] - 1.0) < 0.01);
        }
        /* singleton clusters cannot see the copies: the "robust" SE shrinks like the model's */
        ent_pmfit_data_set_cluster(dk, ENT_PMFIT_CLUSTER_NONE);
        ent_pmfit_data_set_cluster(d, ENT_PMFIT_CLUSTER_NONE);
        CHECK_OK(ent_pmfit_run(fit, &res, d, lambda, ent_pactmodel_estimates(fit), informed));
        ses(fit, se, sem);
        CHECK_OK(ent_pmfit_run(fit2, &res, dk, lambda, ent_pactmodel_estimates(fit), informed));
        ses(fit2, sek, semk);
        for (size_t q = 0; q < P; q++) {
            CHECK(!informed[q] || fabs(sek[q] / se[q] - 1.0 / sqrt((double)k)) < 0.01);
        }
    }
    ent_pmfit_data_free(dk);

    /* 4. a multilateral founding is one decision: four untied states found a treaty in one year */
    {
        const ent_sysyear_t *a = sys[YEARS];
        size_t pick[4], np = 0;
        for (size_t i = 0; i < N && np < 4; i++) {
            bool ok = true;
            for (size_t q = 0; q < np; q++) {
                ok = ok && !a->defence[i * N + pick[q]];
            }
            if (ok) {
                pick[np++] = i;
            }
        }
        CHECK(np == 4);
        ent_sysbuf_t *bb = NULL;
        CHECK_OK(ent_sysyear_clone(&bb, a));
        if (!bb) {
            return 1;
        }
        ent_sysyear_t b = *ent_sysbuf_sys(bb);
        unsigned char def[N * N], mem[3 * N];
        memcpy(def, a->defence, sizeof def);
        memset(mem, 0, sizeof mem);
        memcpy(mem, a->member, a->ntreaties * N);
        for (size_t x = 0; x < 4; x++) {
            mem[2 * N + pick[x]] = 1;
            for (size_t y = 0; y < 4; y++) {
                if (x != y) {
                    def[pick[x] * N + pick[y]] = 1;
                }
            }
        }
        b.year = a->year + 1;
        b.defence = def;
        b.member = mem;
        b.ntreaties = 3;
        const ent_sysyear_t *two[2] = {a, &b};
        ent_pmfit_data_t *d2 = NULL;
        CHECK_OK(ent_pmfit_data_build(&d2, m, two, 2, b.year, b.year));
        if (d2) {
            ent_pmfit_data_set_cluster(d2, ENT_PMFIT_CLUSTER_DYAD);
            size_t gdy = ent_pmfit_data_nclusters(d2);
            ent_pmfit_data_set_cluster(d2, ENT_PMFIT_CLUSTER_DECISION);
            size_t gde = ent_pmfit_data_nclusters(d2);
            printf("one founding year: %zu dyad clusters, %zu decision clusters\n", gdy, gde);
            CHECK(gde + 5 == gdy);
        }
        ent_pmfit_data_free(d2);
        ent_sysbuf_free(bb);
    }

    /* 5. the parameter file keeps the model-based SEs and the cluster count */
    {
        ent_pmfit_data_set_cluster(d, ENT_PMFIT_CLUSTER_DECISION);
        CHECK_OK(ent_pmfit_run(fit, &res, d, lambda, truth, informed));
        ses(fit, se, sem);
        size_t g0 = 0, g1 = 0;
        ent_pactmodel_se_model(fit, &g0);
        CHECK(g0 == ent_pmfit_data_nclusters(d) && g0 == res.nclusters);
        char path[] = "/tmp/entente_pmclusterXXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        close(fd);
        CHECK_OK(ent_pactmodel_save(fit, path));
        ent_pactmodel_t *back = NULL;
        CHECK_OK(ent_pactmodel_load(&back, path));
        remove(path);
        if (back) {
            const double *sm = ent_pactmodel_se_model(back, &g1);
            CHECK(sm != NULL && g1 == g0);
            for (size_t q = 0; q < P && sm; q++) {
                if (!informed[q]) {
                    continue;
                }
                CHECK(fabs(sm[q] - sem[q]) <= 1e-12 * sem[q]);
                CHECK(fabs(sqrt(ent_pactmodel_covariance(back)[q * P + q]) - se[q]) <= 1e-12 * se[q]);
            }
        }
        ent_pactmodel_free(back);
    }

    ent_pmfit_data_free(d);
    ent_vec_destroy(&ev);
    for (int y = 0; y <= YEARS; y++) {
        ent_sysbuf_free(hist[y]);
    }
    ent_pactmodel_free(m);
    ent_pactmodel_free(fit);
    ent_pactmodel_free(fit2);
    return CHECK_DONE();
}
