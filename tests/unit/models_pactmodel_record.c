/*
 * models_pactmodel_record.c -- a state's record of pact decisions (ent_pmrecord_build) on the
 * simulated history of the pact-model tests: the record holds exactly the decisions the fit's
 * likelihood counts (every new bilateral tie twice, once in each state's record; every join once in
 * the joiner's), a bilateral decision's a and c1 are the model's utilities u_ij and sigma(u_ji) of
 * that year's system, by default the record covers the major powers only, and a save and a load
 * give the same likelihood.
 */
#include "check.h"
#include "models/pactmodel_int.h"

enum { N = 30, YEARS = 16 };

#include "pm_world.h"

/*
 * State pi's log likelihood of the year s0 -> s1 with offset o on its own consent, recomputed from
 * the model's utilities u of s0: its decisions to join a treaty, then its bilateral decisions with
 * every state not linked to it by a join. `linked` (n bytes) gets the states the joins linked it to
 * (the same set again on a second call for the same year).
 */
static double state_loglik(const ent_sysyear_t *s0, const ent_sysyear_t *s1, const double *u, size_t pi, double o,
                           unsigned char *linked)
{
    size_t n = s0->n;
    double ll = 0;
    for (size_t t = 0; t < s0->ntreaties; t++) {
        const unsigned char *mb = s0->member + t * n;
        size_t cnt = 0, tied = 0;
        double su = 0, sc = 0;
        for (size_t k = 0; k < n; k++) {
            if (mb[k]) {
                cnt++;
                tied += s0->defence[pi * n + k] != 0;
                su += u[pi * n + k];
                sc += ent_i_pm_sigmoid(u[k * n + pi]);
            }
        }
        if (cnt < 3 || tied == cnt || (s0->eligible && !s0->eligible[t * n + pi])) {
            continue;
        }
        bool joined = s1->member[t * n + pi] != 0;
        double p = ent_i_pm_sigmoid(su / cnt + o) * sc / cnt;
        ll += joined ? log(p) : log1p(-p);
        for (size_t k = 0; joined && k < n; k++) {
            linked[k] = linked[k] || mb[k];
        }
    }
    for (size_t j = 0; j < n; j++) {
        if (j == pi || s0->defence[pi * n + j] || linked[j]) {
            continue;
        }
        double p = ent_i_pm_sigmoid(u[pi * n + j] + o) * ent_i_pm_sigmoid(u[j * n + pi]);
        ll += s1->defence[pi * n + j] ? log(p) : log1p(-p);
    }
    return ll;
}

int main(void)
{
    ent_pactmodel_t *m = pm_truth_model();
    if (!m) {
        return 1;
    }
    static world_t w;
    ent_rng_t r;
    ent_rng_seed(&r, 2026, 29);
    build(&w, &r);
    ent_sysbuf_t *hist[YEARS + 1] = {0};
    const ent_sysyear_t *sys[YEARS + 1];
    if (!pm_history(hist, sys, m, &w, &r, NULL)) {
        return 1;
    }
    int from = 1951, to = 1950 + YEARS;
    ent_pmfit_data_t *d = NULL;
    CHECK_OK(ent_pmfit_data_build(&d, m, sys, YEARS + 1, from, to));
    size_t nf = 0, fe = 0, ne = 0, ee = 0, nj = 0, je = 0;
    if (d) {
        ent_pmfit_data_counts(d, &nf, &fe, &ne, &ee);
        ent_pmfit_data_joins(d, &nj, &je);
    }
    ent_pmrecord_t *rec = NULL, *maj = NULL;
    CHECK_OK(ent_pmrecord_build(&rec, sys, YEARS + 1, m, w.ccode, N, from, to));
    CHECK_OK(ent_pmrecord_build(&maj, sys, YEARS + 1, m, NULL, 0, from, to));
    if (!rec || !maj || !d) {
        return 1;
    }
    /* formed decisions are never folded: every new bilateral tie is in both states' records, every
     * join in the joiner's */
    size_t formed_pacts = 0, formed_joins = 0, kept = 0;
    for (int i = 0; i < N; i++) {
        size_t f = 0;
        kept += ent_pmrecord_count(rec, w.ccode[i], &f, NULL, NULL);
        (void)f;
    }
    /* the split by kind, from a saved copy read back */
    const char *tmp = getenv("ENT_TMP") ? getenv("ENT_TMP") : ".";
    char path[4096];
    snprintf(path, sizeof path, "%s/pm_record.json", tmp);
    CHECK_OK(ent_pmrecord_save(rec, path, NULL));
    FILE *fp = fopen(path, "r");
    char *text = NULL;
    if (fp) {
        fseek(fp, 0, SEEK_END);
        long len = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        text = calloc((size_t)len + 1, 1);
        if (text && fread(text, 1, (size_t)len, fp) != (size_t)len) {
            CHECK(!"read");
        }
        fclose(fp);
    }
    for (const char *q = text; q && (q = strstr(q, "[\"pact\"")); q++) {
        const char *e = strchr(q, ']');
        formed_pacts += e && e[-1] == '1' && e[-2] == ',';
    }
    for (const char *q = text; q && (q = strstr(q, "[\"join\"")); q++) {
        const char *e = strchr(q, ']');
        formed_joins += e && e[-1] == '1' && e[-2] == ',';
    }
    free(text);
    printf("%zu bilateral decisions (%zu new ties), %zu joins (%zu joined); the record keeps %zu decisions, "
           "%zu pacts and %zu joins formed\n",
           nf, fe, nj, je, kept, formed_pacts, formed_joins);
    CHECK(fe > 0 && formed_pacts == 2 * fe);
    CHECK(formed_joins == je);

    /* a state's likelihood of one year, recomputed from the model's utilities of that year's system:
     * its bilateral decisions and its decisions to join a treaty (a state in no treaty, so none of
     * another state joining its treaty) */
    for (int yi = 2; yi < YEARS; yi += 4) {
        const ent_sysyear_t *s0 = sys[yi], *s1 = sys[yi + 1];
        size_t n = s0->n, pi = SIZE_MAX;
        for (size_t i = 0; i < n && pi == SIZE_MAX; i++) {
            bool member = false;
            for (size_t t = 0; t < s0->ntreaties; t++) {
                member = member || s0->member[t * n + i];
            }
            pi = member ? SIZE_MAX : i;
        }
        if (pi == SIZE_MAX) {
            continue;
        }
        int32_t P = s0->ccode[pi];
        double *u = malloc(n * n * sizeof *u);
        unsigned char *linked = calloc(n, 1);
        CHECK_OK(ent_pactmodel_utility(m, truth, s0, u));
        double want = u && linked ? state_loglik(s0, s1, u, pi, 0, linked) : 0;
        ent_pmrecord_t *one = NULL;
        CHECK_OK(ent_pmrecord_build(&one, sys, YEARS + 1, m, &P, 1, s0->year + 1, s0->year + 1));
        if (one) {
            /* up to the constant the folded decisions drop: exact at o = 0 but for their -p terms'
             * second order, so compare differences in o */
            double got = ent_pmrecord_loglik(one, P, 0) - ent_pmrecord_loglik(one, P, -2);
            double w2 = state_loglik(s0, s1, u, pi, -2, linked);
            printf("state %d, %d: log L(0) - log L(-2) = %.6f, recomputed %.6f\n", (int)P, s0->year + 1, got,
                   want - w2);
            CHECK(fabs(got - (want - w2)) < 1e-3 * (1 + fabs(got)));
        }
        ent_pmrecord_free(one);
        free(u);
        free(linked);
    }

    /* by default the major powers (four in this world) */
    for (int i = 0; i < N; i++) {
        CHECK(ent_pmrecord_has(maj, w.ccode[i]) == (w.major[i] != 0));
    }
    /* a save and a load give the same likelihood */
    ent_pmrecord_t *back = NULL;
    CHECK_OK(ent_pmrecord_load(&back, path));
    for (int i = 0; back && i < N; i += 7) {
        for (double o = -4; o <= 0; o += 2) {
            double a = ent_pmrecord_loglik(rec, w.ccode[i], o), b = ent_pmrecord_loglik(back, w.ccode[i], o);
            CHECK(fabs(a - b) < 1e-4 * (1 + fabs(a)));
        }
    }
    /* a run from a historical world sees the record up to its start year only: cut at the middle, no
     * state's record reaches past it, the earlier years' likelihood is unchanged, and cut before the
     * first outcome year nothing is left */
    int mid = from + (to - from) / 2;
    ent_pmrecord_keep_until(back, mid);
    for (int i = 0; i < N; i++) {
        int f0 = 0, t0 = 0;
        if (ent_pmrecord_count(back, w.ccode[i], NULL, &f0, &t0) > 0) {
            CHECK(t0 <= mid && f0 >= from);
        }
    }
    ent_pmrecord_t *early = NULL;
    CHECK_OK(ent_pmrecord_build(&early, sys, YEARS + 1, m, w.ccode, N, from, mid));
    for (int i = 0; early && i < N; i += 5) {
        double a = ent_pmrecord_loglik(early, w.ccode[i], -1), b = ent_pmrecord_loglik(back, w.ccode[i], -1);
        CHECK(fabs(a - b) < 1e-4 * (1 + fabs(a)));
    }
    ent_pmrecord_free(early);
    ent_pmrecord_keep_until(back, from - 1);
    for (int i = 0; i < N; i++) {
        CHECK(!ent_pmrecord_has(back, w.ccode[i]));
    }
    ent_pmrecord_free(back);
    CHECK_RC(ent_pmrecord_build(&back, sys, YEARS + 1, m, NULL, 0, 2000, 2001), ENT_ERANGE);
    ent_pmrecord_free(rec);
    ent_pmrecord_free(maj);
    ent_pmfit_data_free(d);
    for (int y = 0; y <= YEARS; y++) {
        ent_sysbuf_free(hist[y]);
    }
    ent_pactmodel_free(m);
    return check_failures ? 1 : 0;
}
