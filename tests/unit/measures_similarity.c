/*
 * measures_similarity.c -- foreign-policy similarity: the published Germany /
 * Russia 1914 values, hand-checked small cases, properties on seeded random
 * portfolios against brute-force O(n^2) definitions, and the store path
 * (ent_portfolios_load, pairs, all dyads of a year, thread-count independence).
 */
#include <stdbool.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "check.h"

static const ent_similarity_options_t ALLY = ENT_SIMILARITY_OPTIONS_INIT; /* levels 0..3, absolute */

static ent_similarity_t sim(const int *x, const int *y, const double *w, size_t n, const ent_similarity_options_t *o)
{
    ent_similarity_t m = {NAN, NAN, NAN, NAN, NAN, NAN};
    CHECK_OK(ent_measure_similarity(&m, x, y, w, n, o));
    return m;
}

/* ---------------------------------------------------------------- published values */

/*
 * Signorino, Curtis S. & Jeffrey M. Ritter. 1999. "Tau-b or Not Tau-b:
 * Measuring the Similarity of Foreign Policy Positions." International Studies
 * Quarterly 43(1): 115-144, Table 6: Germany's and Russia's 1914 alliance
 * portfolios (COW ordinal coding) over 20 European states, with the states'
 * capability shares. Published: tau-b ~ .03, S = .40, capability-weighted
 * S = -.46. Cohen's kappa (quadratic weights) and Scott's pi for the same pair
 * as printed in the R package fpsim's manual (cohenk.Rd, spi.Rd; Hage 2011,
 * "Choice or Circumstance? Adjusting Measures of Foreign Policy Similarity for
 * Chance Agreement", Political Analysis 19(3): 287-305, defines them for this
 * use). The exact tau-b is fpsim's taub.Rd value. Read from
 * ../shared/data/similarity/ (never copied into the project).
 */
typedef struct {
    const char *measure;
    double value;
    double tol;
} published_t;

static const published_t gmyrus14[] = {
    {"kendall_tau_b", 0.03031695, 5e-9},         {"S_unweighted", 0.40, 1e-12},   {"S_weighted", -0.46, 1e-12},
    {"cohen_kappa_weighted", -0.07758621, 5e-9}, {"scott_pi", -0.04477612, 5e-9},
};

static double pick(const ent_similarity_t *m, const char *measure, bool *known)
{
    *known = true;
    if (strcmp(measure, "kendall_tau_b") == 0) {
        return m->taub;
    }
    if (strcmp(measure, "S_unweighted") == 0) {
        return m->s;
    }
    if (strcmp(measure, "S_weighted") == 0) {
        return m->sw;
    }
    if (strcmp(measure, "cohen_kappa_weighted") == 0) {
        return m->kappa;
    }
    if (strcmp(measure, "scott_pi") == 0) {
        return m->pi;
    }
    *known = false; /* e.g. benati_capurri_alignment: not one of ours */
    return NAN;
}

/* The tolerance a printed value allows: half a unit in its last decimal. */
static double printed_tol(const char *s)
{
    const char *dot = strchr(s, '.');
    int dec = 0;
    if (dot) {
        for (const char *q = dot + 1; *q >= '0' && *q <= '9'; q++) {
            dec++;
        }
    }
    return 0.5 * pow(10.0, -dec) + 1e-12;
}

/* Returns false when the data is absent. */
static bool check_gmyrus14(void)
{
    char buf[1024], buf2[1024];
    const char *tab = shared_data("similarity/gmyrus14_signorino_ritter_1999_table6.csv", buf, sizeof buf);
    const char *ref = tab ? shared_data("similarity/gmyrus14_reference_values.csv", buf2, sizeof buf2) : NULL;
    if (!tab || !ref) {
        return false;
    }
    ent_csv_t *r = NULL;
    int gmy[32], rus[32];
    double w[32];
    size_t n = 0;
    bool eof = false;
    static const char *const cols[] = {"state", "syscap", "gmy", "rus"};
    int ix[4];
    CHECK_OK(ent_csv_open(&r, tab, NULL));
    CHECK_OK(ent_csv_header(r, cols, NULL, ix, 4));
    while (ent_csv_next(r, &eof) == ENT_OK && !eof && n < 32) {
        int64_t a, b;
        CHECK_OK(ent_csv_get_f64(r, (size_t)ix[1], "syscap", 0, 1, &w[n], NULL));
        CHECK_OK(ent_csv_get_i64(r, (size_t)ix[2], "gmy", 0, 3, &a, NULL));
        CHECK_OK(ent_csv_get_i64(r, (size_t)ix[3], "rus", 0, 3, &b, NULL));
        gmy[n] = (int)a;
        rus[n] = (int)b;
        n++;
    }
    ent_csv_free(r);
    CHECK(n == 20);

    ent_similarity_t m = sim(gmy, rus, w, n, &ALLY);
    bool known;
    for (size_t k = 0; k < sizeof gmyrus14 / sizeof gmyrus14[0]; k++) {
        CHECK_NEAR(pick(&m, gmyrus14[k].measure, &known), gmyrus14[k].value, gmyrus14[k].tol);
    }
    /* Every row of the reference file whose measure we compute, at the precision it is printed with. */
    static const char *const rcols[] = {"case", "measure", "settings", "value"};
    int rix[4];
    size_t checked = 0;
    CHECK_OK(ent_csv_open(&r, ref, NULL));
    CHECK_OK(ent_csv_header(r, rcols, NULL, rix, 4));
    while (ent_csv_next(r, &eof) == ENT_OK && !eof) {
        const char *cs = ent_csv_field(r, (size_t)rix[0], NULL), *meas = ent_csv_field(r, (size_t)rix[1], NULL);
        const char *settings = ent_csv_field(r, (size_t)rix[2], NULL), *val = ent_csv_field(r, (size_t)rix[3], NULL);
        if (strcmp(cs, "gmyrus14") != 0) {
            continue;
        }
        ent_similarity_options_t o = ALLY;
        o.squared = strstr(settings, "squared dist") != NULL;
        ent_similarity_t mm = sim(gmy, rus, w, n, &o);
        double got = pick(&mm, meas, &known);
        if (!known) {
            fprintf(stderr, "note: reference measure '%s' is not computed by entente\n", meas);
            continue;
        }
        double want = strtod(val, NULL);
        if (!(fabs(got - want) <= printed_tol(val))) {
            fprintf(stderr, "gmyrus14 %s (%s): got %.10g, published %s\n", meas, settings, got, val);
            check_failures++;
        }
        checked++;
    }
    ent_csv_free(r);
    CHECK(checked >= 5);

    /* Squared distances (fpsim: srs(gmy, rus, distances = 'squared') = 0.4444444): 1 - 2*50/(20*9). */
    ent_similarity_t sq = sim(gmy, rus, NULL, n, &(ent_similarity_options_t){1, true, 0.0, 0, 3});
    CHECK_NEAR(sq.s, 1.0 - 100.0 / 180.0, 1e-15);
    CHECK(isnan(sq.sw)); /* no weights given */
    /* The ordering of the states does not matter. */
    int g2[32], r2[32];
    double w2[32];
    for (size_t k = 0; k < n; k++) {
        g2[k] = gmy[n - 1 - k];
        r2[k] = rus[n - 1 - k];
        w2[k] = w[n - 1 - k];
    }
    ent_similarity_t rev = sim(g2, r2, w2, n, &ALLY);
    CHECK(rev.s == m.s && rev.kappa == m.kappa && rev.pi == m.pi && rev.taub == m.taub);
    CHECK_NEAR(rev.sw, m.sw, 1e-15);
    return true;
}

/* ---------------------------------------------------------------- hand-checked cases */

static void check_small_cases(void)
{
    /* x = (3,0,0), y = (0,3,0). S = 1 - 2*6/(3*3) = -1/3. kappa: means 1 and 1, variances 2 and 2,
     * covariance -1: 2(-1)/(2+2+0) = -1/2. pi: po = 1/3, pooled p0 = 2/3, p3 = 1/3, pe = 5/9:
     * (1/3 - 5/9)/(4/9) = -1/2. tau-b: one discordant pair, one tie in each margin: -1/sqrt(2*2). */
    int x[] = {3, 0, 0}, y[] = {0, 3, 0};
    double w[] = {0.5, 0.25, 0.25};
    ent_similarity_t m = sim(x, y, w, 3, &ALLY);
    CHECK_NEAR(m.s, -1.0 / 3.0, 1e-15);
    CHECK_NEAR(m.sw, 1.0 - 2.0 * 2.25 / 3.0, 1e-15); /* sum w|d| = .5*3 + .25*3 */
    CHECK_NEAR(m.kappa, -0.5, 1e-15);
    CHECK_NEAR(m.pi, -0.5, 1e-15);
    CHECK_NEAR(m.taub, -0.5, 1e-15);
    CHECK(m.n == 3); /* the items compared */
    {
        /* an item missing in either portfolio is not compared, and not counted */
        int xa[] = {3, ENT_SIM_NA, 0, 2}, ya[] = {3, 2, ENT_SIM_NA, 2};
        ent_similarity_t ma = sim(xa, ya, NULL, 4, &ALLY);
        CHECK(ma.n == 2);
    }

    /* Identical non-constant portfolios: every measure 1. */
    int a[] = {3, 1, 0, 2, 0};
    m = sim(a, a, w, 3, &ALLY);
    CHECK(m.s == 1.0 && m.sw == 1.0 && m.kappa == 1.0 && m.pi == 1.0 && m.taub == 1.0);

    /* Opposite extremes: S = -1, and with squared distances too. */
    int e1[] = {0, 3}, e2[] = {3, 0};
    CHECK(sim(e1, e2, NULL, 2, &ALLY).s == -1.0);
    CHECK(sim(e1, e2, NULL, 2, &(ent_similarity_options_t){1, true, 0.0, 0, 3}).s == -1.0);
    CHECK(sim(e1, e2, NULL, 2, &ALLY).taub == -1.0);

    /* The maximum distance: the coding's range (3) by default, the observed one (1) on request. */
    int o1[] = {1, 2}, o2[] = {2, 1};
    CHECK_NEAR(sim(o1, o2, NULL, 2, &ALLY).s, 1.0 - 4.0 / 6.0, 1e-15);
    CHECK(sim(o1, o2, NULL, 2, &(ent_similarity_options_t){1, false, -1.0, 0, 3}).s == -1.0);
    CHECK_NEAR(sim(o1, o2, NULL, 2, &(ent_similarity_options_t){1, false, 6.0, 0, 3}).s, 1.0 - 4.0 / 12.0, 1e-15);

    /* UN votes (1 yes, 2 abstain, 3 no) with missing votes: complete cases (1,1), (1,3), (3,3);
     * S = 1 - 2*2/(3*2) = 1/3; kappa from means 5/3 and 7/3: 1 - (4/3) / D_e. */
    ent_similarity_options_t un = {1, false, 0.0, 1, 3};
    int v1[] = {1, 1, 3, ENT_SIM_NA, 2}, v2[] = {1, 3, 3, 2, ENT_SIM_NA};
    m = sim(v1, v2, NULL, 5, &un);
    CHECK_NEAR(m.s, 1.0 / 3.0, 1e-15);
    /* D_o = 4/3; D_e = mean over the 9 (k,l) pairs of (x_k - y_l)^2 with x = 1,1,3 and y = 1,3,3:
     * x=1: 0,4,4 (twice); x=3: 4,0,0 -> 20/9. kappa = 1 - (4/3)/(20/9) = 2/5. */
    CHECK_NEAR(m.kappa, 0.4, 1e-15);
    /* pi: po = 2/3; pooled 1: 3/6, 3: 3/6, pe = 1/2: (2/3 - 1/2)/(1/2) = 1/3. */
    CHECK_NEAR(m.pi, 1.0 / 3.0, 1e-15);
    /* tau-b: pairs (a,b): x 1=1 tie, y 1<3; (a,c): x 1<3, y 1<3 concordant; (b,c): x 1<3, y 3=3 tie.
     * nc = 1, nd = 0, n0 = 3, Tx = 1, Ty = 1: 1/sqrt(2*2) = 1/2. */
    CHECK_NEAR(m.taub, 0.5, 1e-15);

    /* Zero variance. Both constant and equal: S = 1; kappa, pi, tau-b 0/0 = NaN (as fpsim). */
    int c3[] = {3, 3};
    m = sim(c3, c3, NULL, 2, &ALLY);
    CHECK(m.s == 1.0 && isnan(m.kappa) && isnan(m.pi) && isnan(m.taub) && isnan(m.sw));
    /* One constant: kappa = 0 (observed disagreement equals chance), tau-b undefined.
     * pi: po = 2/3, pooled p0 = 5/6, p3 = 1/6, pe = 26/36: (24 - 26)/(36 - 26) = -0.2. */
    int z[] = {0, 0, 0}, zy[] = {0, 3, 0};
    m = sim(z, zy, NULL, 3, &ALLY);
    CHECK_NEAR(m.kappa, 0.0, 1e-15);
    CHECK_NEAR(m.pi, -0.2, 1e-15);
    CHECK(isnan(m.taub));
    /* Observed range 0 under dmax < 0: S is 0/0 = NaN, as fpsim's srs(). */
    CHECK(isnan(sim(c3, c3, NULL, 2, &(ent_similarity_options_t){1, false, -1.0, 0, 3}).s));
    /* Weights summing to 0: sw NaN; NaN weights drop the item from sw only. */
    double w0[] = {0, 0, 0}, wn[] = {NAN, 1, 1};
    CHECK(isnan(sim(x, y, w0, 3, &ALLY).sw));
    CHECK_NEAR(sim(x, y, wn, 3, &ALLY).sw, 1.0 - 2.0 * 3.0 / (2 * 3.0), 1e-15);

    /* Errors. */
    ent_similarity_t out;
    int bad[] = {4, 0};
    CHECK_RC(ent_measure_similarity(&out, bad, y, NULL, 2, &ALLY), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "item 0");
    int na[] = {ENT_SIM_NA, ENT_SIM_NA};
    CHECK_RC(ent_measure_similarity(&out, na, y, NULL, 2, &ALLY), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "no item");
    CHECK_RC(ent_measure_similarity(&out, x, y, NULL, 0, &ALLY), ENT_EINVAL);
    double wneg[] = {1, -1, 1};
    CHECK_RC(ent_measure_similarity(&out, x, y, wneg, 3, &ALLY), ENT_EINVAL);
    CHECK_RC(ent_measure_similarity(&out, x, y, NULL, 3, &(ent_similarity_options_t){1, false, 0.0, 0, 4}), ENT_EINVAL);
    CHECK_RC(ent_measure_similarity(&out, x, y, NULL, 3, &(ent_similarity_options_t){1, false, 0.0, 2, 2}), ENT_EINVAL);

    /* Names. */
    unsigned bits = 0;
    CHECK_OK(ent_similarity_measures_parse(&bits, "s,KAPPA,taub"));
    CHECK(bits == (ENT_SIM_S | ENT_SIM_KAPPA | ENT_SIM_TAUB));
    CHECK_OK(ent_similarity_measures_parse(&bits, "s,sw,kappa,pi,taub"));
    CHECK(bits == ENT_SIM_ALL);
    CHECK_RC(ent_similarity_measures_parse(&bits, "s,tau"), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "unknown measure 'tau'");
    CHECK_RC(ent_similarity_measures_parse(&bits, ""), ENT_EINVAL);
    CHECK_STR(ent_similarity_measure_name(ENT_SIM_PI), "pi");
    ent_sim_source_t src;
    CHECK_OK(ent_sim_source_parse(&src, "ATOP"));
    CHECK(src == ENT_SIM_SOURCE_ATOP);
    CHECK_RC(ent_sim_source_parse(&src, "igo"), ENT_EINVAL);
}

/* ---------------------------------------------------------------- properties */

/* Brute-force definitions, item pair by item pair (fpsim's taub() loop; kappa and pi by their sums). */
static double taub_brute(const int *x, const int *y, size_t n)
{
    double con = 0, dis = 0, tx = 0, ty = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            int dx = x[i] - x[j], dy = y[i] - y[j];
            if (dx == 0 && dy == 0) {
                continue;
            } else if (dx == 0) {
                tx++;
            } else if (dy == 0) {
                ty++;
            } else if (dx * dy > 0) {
                con++;
            } else {
                dis++;
            }
        }
    }
    double den = sqrt((con + dis + tx) * (con + dis + ty));
    return den == 0 ? NAN : (con - dis) / den;
}

static double kappa_brute(const int *x, const int *y, size_t n)
{
    double dobs = 0, dexp = 0;
    for (size_t k = 0; k < n; k++) {
        dobs += (double)((x[k] - y[k]) * (x[k] - y[k]));
        for (size_t l = 0; l < n; l++) {
            dexp += (double)((x[k] - y[l]) * (x[k] - y[l]));
        }
    }
    dobs /= (double)n;
    dexp /= (double)n * (double)n;
    return dexp == 0 ? NAN : 1 - dobs / dexp;
}

static double pi_brute(const int *x, const int *y, size_t n)
{
    double po = 0, cnt[4] = {0};
    for (size_t k = 0; k < n; k++) {
        po += x[k] == y[k];
        cnt[x[k]]++;
        cnt[y[k]]++;
    }
    po /= (double)n;
    double pe = 0;
    for (int a = 0; a < 4; a++) {
        pe += (cnt[a] / (2.0 * n)) * (cnt[a] / (2.0 * n));
    }
    return pe == 1 ? NAN : (po - pe) / (1 - pe);
}

static double s_brute(const int *x, const int *y, const double *w, size_t n, bool squared)
{
    double num = 0, den = 0;
    for (size_t k = 0; k < n; k++) {
        double d = fabs((double)(x[k] - y[k]));
        num += (w ? w[k] : 1.0) * (squared ? d * d : d);
        den += w ? w[k] : 1.0;
    }
    return 1 - 2 * num / (den * (squared ? 9.0 : 3.0));
}

static bool nan_eq(double a, double b, double tol)
{
    return (isnan(a) && isnan(b)) || fabs(a - b) <= tol;
}

static void check_properties(void)
{
    enum { TRIALS = 400, NMAX = 80 };
    ent_rng_t rng;
    ent_rng_seed(&rng, 20240611, 0);
    int x[NMAX], y[NMAX];
    double w[NMAX];
    for (int t = 0; t < TRIALS; t++) {
        size_t n = 2 + ent_rng_below(&rng, NMAX - 1);
        double wsum = 0;
        /* Alliance-like: mostly 0, some 1..3; each state 3 towards itself (items 0 and 1). */
        for (size_t k = 0; k < n; k++) {
            x[k] = ent_rng_uniform(&rng) < 0.6 ? 0 : (int)ent_rng_below(&rng, 4);
            y[k] = ent_rng_uniform(&rng) < 0.6 ? 0 : (int)ent_rng_below(&rng, 4);
            w[k] = ent_rng_uniform(&rng) < 0.3 ? 0.0 : ent_rng_uniform(&rng);
            wsum += w[k];
        }
        x[0] = 3;
        y[1] = 3;
        for (size_t k = 0; k < n; k++) {
            w[k] /= wsum > 0 ? wsum : 1;
        }
        bool sq = t % 2 == 1;
        ent_similarity_options_t o = {1, sq, 0.0, 0, 3};
        ent_similarity_t xy = sim(x, y, w, n, &o), yx = sim(y, x, w, n, &o), xx = sim(x, x, w, n, &o);
        /* symmetry: exact for the count-based measures (integer sums), to rounding for sw */
        CHECK(xy.s == yx.s);
        CHECK(nan_eq(xy.sw, yx.sw, 1e-14));
        CHECK(nan_eq(xy.kappa, yx.kappa, 0));
        CHECK(nan_eq(xy.pi, yx.pi, 0));
        CHECK(nan_eq(xy.taub, yx.taub, 0));
        /* identity and bounds */
        CHECK(xx.s == 1.0);
        CHECK(isnan(xx.sw) || xx.sw == 1.0);
        bool xconst = true;
        for (size_t k = 1; k < n; k++) {
            xconst = xconst && x[k] == x[0];
        }
        if (xconst) { /* zero variance: kappa and tau-b are 0/0 */
            CHECK(isnan(xx.kappa) && isnan(xx.taub));
        } else {
            CHECK(xx.kappa == 1.0);
            CHECK(xx.taub == 1.0);
        }
        CHECK(xy.s >= -1.0 && xy.s <= 1.0);
        CHECK(isnan(xy.sw) || (xy.sw >= -1.0 - 1e-15 && xy.sw <= 1.0 + 1e-15));
        CHECK(isnan(xy.taub) || fabs(xy.taub) <= 1.0 + 1e-15);
        CHECK(isnan(xy.pi) || xy.pi <= 1.0);
        CHECK(isnan(xy.kappa) || (xy.kappa >= -1.0 - 1e-12 && xy.kappa <= 1.0));
        /* the table route equals the definitions computed item by item */
        CHECK_NEAR(xy.s, s_brute(x, y, NULL, n, sq), 1e-13);
        CHECK(nan_eq(xy.sw, s_brute(x, y, w, n, sq), 1e-13));
        CHECK(nan_eq(xy.taub, taub_brute(x, y, n), 1e-13));
        CHECK(nan_eq(xy.kappa, kappa_brute(x, y, n), 1e-13));
        CHECK(nan_eq(xy.pi, pi_brute(x, y, n), 1e-13));
    }
}

/* ---------------------------------------------------------------- from the store */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        check_failures++;
        return;
    }
    fputs(text, f);
    fclose(f);
}

static void import(ent_store_t *st, const char *fmt, const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_file(path, text);
    ent_import_result_t res;
    CHECK_OK(ent_import(&res, st, fmt, path, NULL));
}

static void check_store(void)
{
    const char *tmp = getenv("ENT_TMP");
    char dir[1024], db[1100];
    snprintf(dir, sizeof dir, "%s", tmp && *tmp ? tmp : "/tmp");
    snprintf(db, sizeof db, "%s/measures_similarity.db", dir);
    remove(db);
    ent_store_t *st = NULL;
    CHECK_OK(ent_store_open(&st, db, NULL));
    if (!st) {
        return;
    }
    ent_portfolios_t *p = NULL;
    /* Nothing imported: says what to import. */
    CHECK_RC(ent_portfolios_load(&p, st, ENT_SIM_SOURCE_ATOP, 1900, 1900), ENT_ENOTFOUND);

    /* Four states in 1900-1901; ATOP: USA-UKG defence (both ways), UKG->FRN neutrality only one way,
     * FRN-RUS non-aggression; RUS joins the system in 1901 only. */
    import(st, "cow-states", dir, "sim_states.csv",
           "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
           "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
           "UKG,200,United Kingdom,1816,1,1,2016,12,31,2016\n"
           "FRN,220,France,1816,1,1,2016,12,31,2016\n"
           "RUS,365,Russia,1901,1,1,2016,12,31,2016\n");
    import(st, "cow-system", dir, "sim_system.csv",
           "stateabb,ccode,year,version\n"
           "USA,2,1900,2016\nUKG,200,1900,2016\nFRN,220,1900,2016\n"
           "USA,2,1901,2016\nUKG,200,1901,2016\nFRN,220,1901,2016\nRUS,365,1901,2016\n");
    import(st, "cow-nmc", dir, "sim_nmc.csv",
           "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
           "2,1900,1,1,1,1,1,1,0.2\n200,1900,1,1,1,1,1,1,0.2\n220,1900,1,1,1,1,1,1,0.1\n"
           "2,1901,1,1,1,1,1,1,0.2\n200,1901,1,1,1,1,1,1,0.2\n220,1901,1,1,1,1,1,1,0.1\n"
           "365,1901,1,1,1,1,1,1,0.1\n");
    import(st, "atop-dyad-year", dir, "sim_atop.csv",
           "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
           "2,200,1900,1,0,0,0,0\n2,200,1901,1,0,0,0,0\n"
           "200,2,1900,1,0,0,0,0\n200,2,1901,1,0,0,0,0\n"
           "200,220,1901,0,0,1,0,0\n"
           "220,365,1901,0,0,0,1,0\n"
           "365,220,1901,0,0,0,1,0\n");

    CHECK_RC(ent_portfolios_load(&p, st, ENT_SIM_SOURCE_ATOP, 1899, 1899), ENT_ERANGE);
    CHECK_CONTAINS(ent_errmsg(), "year 1899 is outside the data");
    CHECK_CONTAINS(ent_errmsg(), "1900-1901");
    CHECK_RC(ent_portfolios_load(&p, st, ENT_SIM_SOURCE_ATOP, 1900, 1902), ENT_ERANGE);
    CHECK_RC(ent_portfolios_load(&p, st, ENT_SIM_SOURCE_COW, 1900, 1900), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), "cow-alliance");
    CHECK_RC(ent_portfolios_load(&p, st, ENT_SIM_SOURCE_UN, 1950, 1950), ENT_ENOTFOUND);
    CHECK_OK(ent_portfolios_load(&p, st, ENT_SIM_SOURCE_ATOP, 1900, 1901));
    if (!p) {
        ent_store_close(st);
        return;
    }
    int32_t usa = 0, ukg = 0, frn = 0, rus = 0;
    CHECK_OK(ent_portfolios_find(&usa, p, "usa"));
    CHECK_OK(ent_portfolios_find(&ukg, p, "200"));
    CHECK_OK(ent_portfolios_find(&frn, p, "FRN"));
    CHECK_OK(ent_portfolios_find(&rus, p, "RUS"));
    CHECK(usa == 2 && ukg == 200 && frn == 220 && rus == 365);
    int32_t none;
    CHECK_RC(ent_portfolios_find(&none, p, "XYZ"), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), "unknown state 'XYZ'");
    CHECK_RC(ent_portfolios_find(&none, p, "999"), ENT_ENOTFOUND);
    CHECK(ent_portfolios_nstates(p, 1900) == 3 && ent_portfolios_nstates(p, 1901) == 4);
    CHECK_STR(ent_portfolios_abbr(p, 220), "FRN");

    /* 1901, order USA UKG FRN RUS. Portfolios (row towards column):
     * USA (3,3,0,0); UKG (3,3,2,0); FRN (0,0,3,1); RUS (0,0,1,3). Weights .2/.6 .2/.6 .1/.6 .1/.6. */
    ent_similarity_t m;
    int xu[] = {3, 3, 0, 0}, xk[] = {3, 3, 2, 0};
    double w[] = {0.2 / 0.6, 0.2 / 0.6, 0.1 / 0.6, 0.1 / 0.6};
    ent_similarity_t want = sim(xu, xk, w, 4, &ALLY);
    CHECK_OK(ent_measure_similarity_pair(&m, p, 1901, usa, ukg, NULL));
    CHECK_NEAR(m.s, 1.0 - 2.0 * 2 / 12.0, 1e-15);
    CHECK_NEAR(m.s, want.s, 1e-15);
    CHECK_NEAR(m.sw, want.sw, 1e-15);
    CHECK_NEAR(m.sw, 1.0 - 2.0 * (2 * 0.1 / 0.6) / 3.0, 1e-15);
    CHECK(nan_eq(m.kappa, want.kappa, 1e-15) && nan_eq(m.pi, want.pi, 1e-15) && nan_eq(m.taub, want.taub, 1e-15));
    CHECK_OK(ent_measure_similarity_pair(&m, p, 1901, usa, usa, NULL));
    CHECK(m.s == 1.0 && m.sw == 1.0 && m.kappa == 1.0);
    CHECK_RC(ent_measure_similarity_pair(&m, p, 1900, usa, rus, NULL), ENT_ENOTFOUND);
    CHECK_CONTAINS(ent_errmsg(), "RUS (365) is not a member of the COW state system in 1900");
    CHECK_RC(ent_measure_similarity_pair(&m, p, 1902, usa, ukg, NULL), ENT_ERANGE);

    /* All dyads: n(n-1)/2 undirected, n(n-1) directed, ordered; obligations either way / directed. */
    ent_vec_t v = ENT_VEC_INIT(ent_dyad_year_t);
    CHECK_OK(ent_measure_similarity_year(&v, p, 1900, false, NULL));
    CHECK(v.len == 3);
    CHECK_OK(ent_measure_similarity_year(&v, p, 1901, false, NULL));
    CHECK(v.len == 3 + 6);
    const ent_dyad_year_t *d = &ENT_VEC_AT(&v, ent_dyad_year_t, 3);
    CHECK(d[0].ccode1 == 2 && d[0].ccode2 == 200 && d[0].year == 1901 && d[0].obligations == ENT_OBL_DEFENSE);
    CHECK(d[3].ccode1 == 200 && d[3].ccode2 == 220 && d[3].obligations == ENT_OBL_NEUTRAL);
    CHECK(d[5].ccode1 == 220 && d[5].ccode2 == 365 && d[5].obligations == ENT_OBL_NONAGG);
    CHECK_NEAR(d[0].cinc1, 0.2, 1e-15);
    CHECK_NEAR(d[0].m.sw, want.sw, 1e-15);
    for (size_t k = 0; k + 1 < 6; k++) {
        CHECK(d[k].ccode1 < d[k].ccode2);
        CHECK(d[k].ccode1 < d[k + 1].ccode1 || (d[k].ccode1 == d[k + 1].ccode1 && d[k].ccode2 < d[k + 1].ccode2));
    }
    ent_vec_t dv = ENT_VEC_INIT(ent_dyad_year_t);
    CHECK_OK(ent_measure_similarity_year(&dv, p, 1901, true, NULL));
    CHECK(dv.len == 12);
    const ent_dyad_year_t *dd = &ENT_VEC_AT(&dv, ent_dyad_year_t, 0);
    /* row order: (2,200) (2,220) (2,365) (200,2) (200,220) (200,365) (220,2) ... */
    CHECK(dd[3].ccode1 == 200 && dd[3].ccode2 == 2);
    CHECK(dd[4].ccode1 == 200 && dd[4].ccode2 == 220 && dd[4].obligations == ENT_OBL_NEUTRAL);
    CHECK(dd[7].ccode1 == 220 && dd[7].ccode2 == 200 && dd[7].obligations == 0);
    CHECK(dd[4].m.s == dd[7].m.s && dd[4].m.kappa == dd[7].m.kappa);
    ent_vec_destroy(&dv);
    ent_vec_destroy(&v);
    ent_portfolios_free(p);
    ent_store_close(st);
}

/* Same answer on 1 and 2 threads, byte for byte, on a random 120-state year built in a store. */
static void check_threads(void)
{
#ifdef _OPENMP
    const char *tmp = getenv("ENT_TMP");
    char dir[1024], db[1100], path[1100];
    snprintf(dir, sizeof dir, "%s", tmp && *tmp ? tmp : "/tmp");
    snprintf(db, sizeof db, "%s/measures_similarity_threads.db", dir);
    remove(db);
    ent_store_t *st = NULL;
    CHECK_OK(ent_store_open(&st, db, NULL));
    if (!st) {
        return;
    }
    enum { N = 120 };
    ent_buf_t sts = ENT_BUF_INIT, sys = ENT_BUF_INIT, nmc = ENT_BUF_INIT, atop = ENT_BUF_INIT;
    ent_buf_puts(&sts, "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n");
    ent_buf_puts(&sys, "stateabb,ccode,year,version\n");
    ent_buf_puts(&nmc, "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n");
    ent_buf_puts(&atop, "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n");
    ent_rng_t rng;
    ent_rng_seed(&rng, 7, 1);
    for (int i = 1; i <= N; i++) {
        ent_buf_printf(&sts, "S%d,%d,State %d,1816,1,1,2016,12,31,2016\n", i, i, i);
        ent_buf_printf(&sys, "S%d,%d,1950,2016\n", i, i);
        ent_buf_printf(&nmc, "%d,1950,1,1,1,1,1,1,%.6f\n", i, ent_rng_uniform(&rng) * 0.02);
    }
    for (int i = 1; i <= N; i++) {
        for (int j = 1; j <= N; j++) {
            if (i != j && ent_rng_uniform(&rng) < 0.08) {
                ent_buf_printf(&atop, "%d,%d,1950,%d,%d,%d,%d,%d\n", i, j, ent_rng_uniform(&rng) < 0.4,
                               ent_rng_uniform(&rng) < 0.1, ent_rng_uniform(&rng) < 0.3, ent_rng_uniform(&rng) < 0.3,
                               ent_rng_uniform(&rng) < 0.3);
            }
        }
    }
    import(st, "cow-states", dir, "thr_states.csv", ent_buf_cstr(&sts));
    import(st, "cow-system", dir, "thr_system.csv", ent_buf_cstr(&sys));
    import(st, "cow-nmc", dir, "thr_nmc.csv", ent_buf_cstr(&nmc));
    import(st, "atop-dyad-year", dir, "thr_atop.csv", ent_buf_cstr(&atop));
    ent_buf_destroy(&sts);
    ent_buf_destroy(&sys);
    ent_buf_destroy(&nmc);
    ent_buf_destroy(&atop);
    (void)path;
    ent_portfolios_t *p = NULL;
    CHECK_OK(ent_portfolios_load(&p, st, ENT_SIM_SOURCE_ATOP, 1950, 1950));
    if (p) {
        ent_vec_t a = ENT_VEC_INIT(ent_dyad_year_t), b = ENT_VEC_INIT(ent_dyad_year_t);
        omp_set_num_threads(1);
        CHECK_OK(ent_measure_similarity_year(&a, p, 1950, false, NULL));
        omp_set_num_threads(2);
        CHECK_OK(ent_measure_similarity_year(&b, p, 1950, false, NULL));
        CHECK(a.len == (size_t)N * (N - 1) / 2 && a.len == b.len);
        CHECK(a.len == b.len && memcmp(a.data, b.data, a.len * sizeof(ent_dyad_year_t)) == 0);
        /* and each row equals the pair function */
        size_t bad = 0;
        for (size_t k = 0; k < a.len; k += 97) {
            const ent_dyad_year_t *r = &ENT_VEC_AT(&a, ent_dyad_year_t, k);
            ent_similarity_t m;
            CHECK_OK(ent_measure_similarity_pair(&m, p, 1950, r->ccode1, r->ccode2, NULL));
            bad += !(nan_eq(m.s, r->m.s, 0) && nan_eq(m.sw, r->m.sw, 0) && nan_eq(m.kappa, r->m.kappa, 0) &&
                     nan_eq(m.pi, r->m.pi, 0) && nan_eq(m.taub, r->m.taub, 0));
        }
        CHECK(bad == 0);
        ent_vec_destroy(&a);
        ent_vec_destroy(&b);
    }
    ent_portfolios_free(p);
    ent_store_close(st);
#endif
}

int main(void)
{
    check_small_cases();
    check_properties();
    check_store();
    check_threads();
    bool have_data = check_gmyrus14();
    if (check_failures) {
        return CHECK_DONE();
    }
    if (!have_data) {
        fprintf(stderr, "SKIP: the published Germany/Russia 1914 check needs ../shared/data/similarity\n");
        return 77;
    }
    return 0;
}
