/*
 * models_backtest_scores.c -- the backtest's scores on small cases computed by
 * hand: log score (and its honest infinity), Brier with the Murphy
 * decomposition, ROC-AUC with ties, average precision, expected top-k hits.
 */
#include "check.h"

static void test_log(void)
{
    double p[] = {0.8, 0.3}, y[] = {1, 0};
    size_t imp = 9;
    CHECK_NEAR(ent_score_log(p, y, NULL, 2, &imp), -(log(0.8) + log(0.7)) / 2, 1e-15);
    CHECK(imp == 0);
    /* weights are multiplicities */
    double w[] = {3, 1};
    CHECK_NEAR(ent_score_log(p, y, w, 2, NULL), -(3 * log(0.8) + log(0.7)) / 4, 1e-15);
    /* p = 0 for an event: infinite, and counted */
    double p0[] = {0, 0, 0}, y0[] = {1, 0, 1};
    CHECK(isinf(ent_score_log(p0, y0, NULL, 3, &imp)));
    CHECK(imp == 2);
    /* p = 0 with no event is a perfect 0 */
    double yn[] = {0, 0, 0};
    CHECK(ent_score_log(p0, yn, NULL, 3, &imp) == 0 && imp == 0);
}

static void test_auc(void)
{
    /* events at 0.4 and 0.8, non-events at 0.1 and 0.4: pairs 1 + 0.5 + 1 + 1 of 4 */
    double p[] = {0.1, 0.4, 0.4, 0.8}, y[] = {0, 1, 0, 1}, a;
    CHECK_OK(ent_score_auc(&a, p, y, NULL, 4));
    CHECK_NEAR(a, 3.5 / 4, 1e-15);
    /* a constant forecast: exactly one half */
    double c[] = {0.2, 0.2, 0.2, 0.2};
    CHECK_OK(ent_score_auc(&a, c, y, NULL, 4));
    CHECK_NEAR(a, 0.5, 1e-15);
    /* weights equal replication: row 0 twice, row 3 three times */
    double w[] = {2, 1, 1, 3};
    double pr[] = {0.1, 0.1, 0.4, 0.4, 0.8, 0.8, 0.8}, yr[] = {0, 0, 1, 0, 1, 1, 1}, b;
    CHECK_OK(ent_score_auc(&a, p, y, w, 4));
    CHECK_OK(ent_score_auc(&b, pr, yr, NULL, 7));
    CHECK_NEAR(a, b, 1e-15);
    /* one class only: undefined */
    double y1[] = {1, 1, 1, 1};
    CHECK_OK(ent_score_auc(&a, p, y1, NULL, 4));
    CHECK(isnan(a));
}

static void test_ap(void)
{
    double p[] = {0.9, 0.8, 0.7, 0.6}, y[] = {1, 0, 1, 0}, a;
    CHECK_OK(ent_score_ap(&a, p, y, NULL, 4));
    CHECK_NEAR(a, 0.5 * 1 + 0.5 * (2.0 / 3), 1e-15);
    /* a tie enters at once: 0.5 x 1 + 0.5 x (2/3), as scikit-learn's average_precision_score */
    double pt[] = {0.9, 0.5, 0.5, 0.1}, yt[] = {1, 1, 0, 0};
    CHECK_OK(ent_score_ap(&a, pt, yt, NULL, 4));
    CHECK_NEAR(a, 0.5 + 0.5 * (2.0 / 3), 1e-15);
    /* the events last: 1/3 x 1/3 + ... : p ascending with the events */
    double pl[] = {0.9, 0.8, 0.7}, yl[] = {0, 0, 1};
    CHECK_OK(ent_score_ap(&a, pl, yl, NULL, 3));
    CHECK_NEAR(a, 1.0 / 3, 1e-15);
    /* a constant forecast: the event share */
    double c[] = {0.3, 0.3, 0.3, 0.3};
    CHECK_OK(ent_score_ap(&a, c, y, NULL, 4));
    CHECK_NEAR(a, 0.5, 1e-15);
}

static void test_topk(void)
{
    /* above the boundary 0.9 (no event); 3 tied at 0.5 with one event, 1 slot: 1/3 expected */
    double p[] = {0.9, 0.5, 0.5, 0.5, 0.1}, y[] = {0, 1, 0, 0, 1}, h;
    CHECK_OK(ent_score_topk_hits(&h, p, y, 5, 2));
    CHECK_NEAR(h, 1.0 / 3, 1e-15);
    CHECK_OK(ent_score_topk_hits(&h, p, y, 5, 4));
    CHECK_NEAR(h, 1, 1e-15);
    CHECK_OK(ent_score_topk_hits(&h, p, y, 5, 5));
    CHECK_NEAR(h, 2, 1e-15);
    CHECK_OK(ent_score_topk_hits(&h, p, y, 5, 50));
    CHECK_NEAR(h, 2, 1e-15);
    CHECK_OK(ent_score_topk_hits(&h, p, y, 5, 0));
    CHECK_NEAR(h, 0, 1e-15);
}

static void test_brier(void)
{
    /* three forecast values, four cases each: every bin holds one value (Murphy's case) */
    double p[12], y[12] = {0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0};
    for (int i = 0; i < 12; i++) {
        p[i] = i < 4 ? 0.1 : i < 8 ? 0.5 : 0.9;
    }
    ent_brier_t b;
    CHECK_OK(ent_score_brier(&b, p, y, NULL, 12, 3));
    CHECK(b.nbins == 3);
    double bs = 0;
    for (int i = 0; i < 12; i++) {
        bs += (p[i] - y[i]) * (p[i] - y[i]);
    }
    CHECK_NEAR(b.brier, bs / 12, 1e-15);
    CHECK(b.within == 0);
    CHECK_NEAR(b.brier, b.rel - b.res + b.unc, 1e-12);
    /* by hand: bins observe 1/4, 2/4, 3/4; overall 1/2 */
    CHECK_NEAR(b.unc, 0.25, 1e-15);
    CHECK_NEAR(b.rel, (0.15 * 0.15 + 0 + 0.15 * 0.15) / 3, 1e-15);
    CHECK_NEAR(b.res, (0.0625 + 0 + 0.0625) / 3, 1e-15);
    /* more bins than values: bins never split equal forecasts, so still three */
    CHECK_OK(ent_score_brier(&b, p, y, NULL, 10, 10));
    CHECK(b.nbins <= 10);
    CHECK_OK(ent_score_brier(&b, p, y, NULL, 12, 10));
    CHECK(b.nbins == 3 && b.within == 0);
    /* continuous forecasts: the generalised identity with the within-bin term, exactly */
    ent_rng_t r;
    ent_rng_seed(&r, 7, 0);
    enum { N = 5000 };
    static double pc[N], yc[N];
    for (int i = 0; i < N; i++) {
        pc[i] = ent_rng_uniform(&r);
        yc[i] = ent_rng_uniform(&r) < pc[i] * pc[i] ? 1 : 0;
    }
    CHECK_OK(ent_score_brier(&b, pc, yc, NULL, N, 10));
    CHECK(b.nbins == 10);
    CHECK_NEAR(b.brier, b.rel - b.res + b.unc + b.within, 1e-12);
    CHECK(b.within != 0);
}

int main(void)
{
    test_log();
    test_auc();
    test_ap();
    test_topk();
    test_brier();
    return CHECK_DONE();
}
