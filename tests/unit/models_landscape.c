/*
 * models_landscape.c -- landscape theory (Axelrod & Bennett 1993): small
 * landscapes whose minima and basins are worked out by hand, the energy's
 * symmetry, the kernel's minima and basins against brute force on random
 * landscapes, sampled minima against the enumeration, the CSV readers (good
 * and bad input), and the 1936/1938 European landscape built from a public
 * reimplementation's inputs compared with Axelrod & Bennett's prediction and
 * the actual WWII alignments.
 *
 * Exit 77 (skipped) when ../shared/data is absent and everything else passed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ---------------------------------------------------------------- helpers */

static const char *write_tmp(const char *name, const char *text)
{
    static char path[64][512];
    static int slot;
    const char *dir = getenv("ENT_TMP");
    char *p = path[slot++ & 63];
    snprintf(p, 512, "%s/landscape_%s", dir ? dir : "/tmp", name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", p);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
    return p;
}

/* A landscape of n actors "A", "B", ... with sizes s (NULL: 1) and upper-triangle propensities p (row-major n x n). */
static void make(ent_landscape_t *l, int32_t n, const double *s, const double *p)
{
    char names[26][2];
    const char *labels[26];
    double ones[26];
    for (int32_t i = 0; i < n; i++) {
        names[i][0] = (char)('A' + i);
        names[i][1] = 0;
        labels[i] = names[i];
        ones[i] = 1;
    }
    ent_landscape_init(l);
    CHECK_OK(ent_landscape_setup(l, n, labels, s ? s : ones));
    for (int32_t i = 0; i < n; i++) {
        for (int32_t j = i + 1; j < n; j++) {
            CHECK_OK(ent_landscape_set(l, i, j, p[i * n + j]));
        }
    }
}

static void random_landscape(ent_landscape_t *l, int32_t n, ent_rng_t *r)
{
    double s[26], p[26 * 26];
    for (int32_t i = 0; i < n; i++) {
        s[i] = 0.1 + ent_rng_uniform(r);
        for (int32_t j = 0; j < n; j++) {
            double u = ent_rng_uniform(r);
            p[i * n + j] = u < 0.1 ? 0.0 : 2.0 * ent_rng_uniform(r) - 1.0;
        }
    }
    make(l, n, s, p);
}

/* Canonical configuration c (actor 0 on side 0, actor i >= 1 on side bit i-1) as sides. */
static void sides_of(int32_t *side, uint64_t c, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        side[i] = ent_config_block(c, i);
    }
}

static uint64_t config_of(const int32_t *side, int32_t n)
{
    uint64_t c = 0;
    for (int32_t i = 1; i < n; i++) {
        if (side[i] != side[0]) {
            c |= (uint64_t)1 << (i - 1);
        }
    }
    return c;
}

/* E by the definition's double sum over ordered pairs i != j. */
static double energy_ordered(const ent_landscape_t *l, const int32_t *side)
{
    double e = 0;
    for (int32_t i = 0; i < l->n; i++) {
        for (int32_t j = 0; j < l->n; j++) {
            if (i != j && side[i] != side[j]) {
                e += l->size[i] * l->size[j] * ent_landscape_p(l, i, j);
            }
        }
    }
    return e;
}

/* The kept minimum with canonical configuration c, or -1. */
static long find_min(const ent_landscape_result_t *r, uint64_t c)
{
    for (size_t k = 0; k < r->minima.len; k++) {
        if (config_of(ent_landscape_min_side(r, k), r->n) == c) {
            return (long)k;
        }
    }
    return -1;
}

static void solve(ent_landscape_result_t *r, const ent_landscape_t *l, ent_landscape_method_t m)
{
    ent_landscape_options_t o = ENT_LANDSCAPE_OPTIONS_INIT;
    o.method = m;
    CHECK_OK(ent_landscape_solve(r, l, &o));
}

/* ---------------------------------------------------------------- cases worked out by hand */

static void test_hand(void)
{
    ent_landscape_result_t r;
    ent_landscape_result_init(&r);
    ent_landscape_t l;

    /* Three friends (p = +1, unit sizes): the grand coalition, E = 0, is the only minimum;
     * a split puts two pairs apart: E = 2 * 2 = 4. Basin: all 2^2 configurations. */
    {
        double p[9] = {0, 1, 1, 0, 0, 1, 0, 0, 0};
        make(&l, 3, NULL, p);
        solve(&r, &l, ENT_LANDSCAPE_AUTO);
        CHECK(r.complete && r.optimal && r.configurations == 4 && r.nminima == 1);
        CHECK_NEAR(r.energy, 0, 1e-12);
        CHECK(r.minima.len == 1 && ENT_VEC_AT(&r.minima, ent_landscape_min_t, 0).basin == 4);
        int32_t split[3] = {0, 0, 1};
        CHECK_NEAR(ent_landscape_energy(&l, split), 4, 1e-12);
        ent_landscape_destroy(&l);
    }
    /* Three enemies (p = -1): every 1|2 split is a minimum at E = 2 * (-2) = -4; the grand
     * coalition (E = 0) is not. Steepest descent from it moves actor 0 first (ties to the
     * lowest index), so {A}|{B,C} has basin 2, the other two 1. */
    {
        double p[9] = {0, -1, -1, 0, 0, -1, 0, 0, 0};
        make(&l, 3, NULL, p);
        solve(&r, &l, ENT_LANDSCAPE_AUTO);
        CHECK(r.nminima == 3 && r.minima.len == 3);
        uint64_t sum = 0;
        for (size_t k = 0; k < r.minima.len; k++) {
            CHECK_NEAR(ENT_VEC_AT(&r.minima, ent_landscape_min_t, k).energy, -4, 1e-12);
            sum += ENT_VEC_AT(&r.minima, ent_landscape_min_t, k).basin;
        }
        CHECK(sum == 4);
        CHECK(find_min(&r, 0) < 0); /* the grand coalition */
        long a = find_min(&r, 3);   /* {A} | {B, C} */
        CHECK(a >= 0 && ENT_VEC_AT(&r.minima, ent_landscape_min_t, (size_t)a).basin == 2);
        ent_landscape_destroy(&l);
    }
    /* Four enemies: the three 2|2 splits, E = 2 * (-4) = -8; the 1|3 splits (E = -6) are not minima. */
    {
        double p[16];
        for (int k = 0; k < 16; k++) {
            p[k] = -1;
        }
        make(&l, 4, NULL, p);
        solve(&r, &l, ENT_LANDSCAPE_AUTO);
        CHECK(r.nminima == 3);
        CHECK_NEAR(r.energy, -8, 1e-12);
        uint64_t sum = 0;
        for (size_t k = 0; k < r.minima.len; k++) {
            const int32_t *s = ent_landscape_min_side(&r, k);
            CHECK(s[0] + s[1] + s[2] + s[3] == 2);
            CHECK_NEAR(ENT_VEC_AT(&r.minima, ent_landscape_min_t, k).energy, -8, 1e-12);
            sum += ENT_VEC_AT(&r.minima, ent_landscape_min_t, k).basin;
        }
        CHECK(sum == 8);
        ent_landscape_destroy(&l);
    }
    /* Two minima of different depth. a_AB = 3, a_CD = 3, a_AC = a_AD = a_BC = -1, a_BD = 2 (unit
     * sizes). {A,B}|{C,D}: apart pairs AC, AD, BC, BD sum to -1, E = -2, the global minimum; the
     * grand coalition E = 0 is also a minimum (its moves cost 2, 8, 2, 8). The other six
     * configurations all descend to {A,B}|{C,D} (worked through one by one, ties to the lowest
     * index): basins 7 and 1. */
    {
        double p[16] = {0, 3, -1, -1, 0, 0, -1, 2, 0, 0, 0, 3, 0, 0, 0, 0};
        make(&l, 4, NULL, p);
        solve(&r, &l, ENT_LANDSCAPE_AUTO);
        CHECK(r.nminima == 2 && r.minima.len == 2);
        CHECK_NEAR(r.energy, -2, 1e-12);
        CHECK(config_of(r.side.data, 4) == 6); /* C and D apart from A */
        const ent_landscape_min_t *m0 = &ENT_VEC_AT(&r.minima, ent_landscape_min_t, 0);
        const ent_landscape_min_t *m1 = &ENT_VEC_AT(&r.minima, ent_landscape_min_t, 1);
        CHECK_NEAR(m0->energy, -2, 1e-12);
        CHECK(m0->basin == 7);
        CHECK_NEAR(m0->basin_share, 7.0 / 8.0, 1e-12);
        CHECK_NEAR(m1->energy, 0, 1e-12);
        CHECK(m1->basin == 1 && config_of(ent_landscape_min_side(&r, 1), 4) == 0);
        /* sizes scale energies by s_i s_j, not the minima */
        double s[4] = {2, 2, 2, 2};
        ent_landscape_t l4;
        make(&l4, 4, s, p);
        solve(&r, &l4, ENT_LANDSCAPE_AUTO);
        CHECK_NEAR(r.energy, -8, 1e-12);
        CHECK(r.nminima == 2);
        ent_landscape_destroy(&l4);
        /* a large actor changes them: if D weighs 10, D's friends follow it */
        ent_landscape_destroy(&l);
    }
    /* One actor: one configuration, one minimum at 0. */
    {
        double p[1] = {0};
        make(&l, 1, NULL, p);
        solve(&r, &l, ENT_LANDSCAPE_AUTO);
        CHECK(r.nminima == 1 && r.configurations == 1);
        CHECK_NEAR(r.energy, 0, 0);
        ent_landscape_destroy(&l);
    }
    /* Bad arguments. */
    {
        ent_landscape_init(&l);
        double bad[2] = {1, 0};
        CHECK_RC(ent_landscape_setup(&l, 2, NULL, bad), ENT_ERANGE);
        const char *dup[2] = {"X", "X"};
        double ok[2] = {1, 1};
        CHECK_RC(ent_landscape_setup(&l, 2, dup, ok), ENT_EEXISTS);
        CHECK_OK(ent_landscape_setup(&l, 2, NULL, ok));
        CHECK_RC(ent_landscape_set(&l, 0, 0, 1), ENT_EINVAL);
        CHECK_RC(ent_landscape_set(&l, 0, 1, INFINITY), ENT_ERANGE);
        CHECK(ent_landscape_find(&l, "1") == 1 && ent_landscape_find(&l, "2") == -1);
        ent_landscape_destroy(&l);
    }
    ent_landscape_result_destroy(&r);
}

/* ---------------------------------------------------------------- random landscapes vs brute force */

/* Brute force: every canonical configuration's E, the minima, and steepest-descent basins. */
static void check_brute(const ent_landscape_t *l, const ent_landscape_result_t *r)
{
    int32_t n = l->n;
    uint64_t N = (uint64_t)1 << (n - 1), mask = N - 1;
    double *E = malloc(N * sizeof *E);
    uint64_t *next = malloc(N * sizeof *next);
    int32_t side[26];
    for (uint64_t c = 0; c < N; c++) {
        sides_of(side, c, n);
        E[c] = ent_landscape_energy(l, side);
    }
    double best = INFINITY, scale = 0;
    for (int32_t i = 0; i < n; i++) {
        for (int32_t j = i + 1; j < n; j++) {
            scale += 2 * fabs(l->size[i] * l->size[j] * ent_landscape_p(l, i, j));
        }
    }
    uint64_t nmin = 0;
    for (uint64_t c = 0; c < N; c++) {
        best = E[c] < best ? E[c] : best;
        /* steepest move: the lowest E among the n neighbours, ties to the lowest actor */
        uint64_t to = c;
        double low = E[c] - 1e-12 * scale;
        for (int32_t k = 0; k < n; k++) {
            uint64_t d = k == 0 ? c ^ mask : c ^ ((uint64_t)1 << (k - 1));
            if (E[d] < low) {
                low = E[d];
                to = d;
            }
        }
        next[c] = to;
        if (to == c) {
            nmin++;
            long k = find_min(r, c);
            CHECK(k >= 0);
            if (k >= 0) {
                CHECK_NEAR(ENT_VEC_AT(&r->minima, ent_landscape_min_t, (size_t)k).energy, E[c], 1e-9 * scale);
            }
        }
    }
    CHECK(r->nminima == nmin && r->minima.len == nmin);
    CHECK_NEAR(r->energy, best, 1e-9 * scale);
    /* basins: follow every configuration to its end */
    uint64_t *count = calloc(N, sizeof *count);
    for (uint64_t c = 0; c < N; c++) {
        uint64_t d = c;
        while (next[d] != d) {
            d = next[d];
        }
        count[d]++;
    }
    uint64_t sum = 0;
    for (size_t k = 0; k < r->minima.len; k++) {
        const ent_landscape_min_t *m = &ENT_VEC_AT(&r->minima, ent_landscape_min_t, k);
        uint64_t c = config_of(ent_landscape_min_side(r, k), n);
        CHECK(m->basin == count[c]);
        sum += m->basin;
    }
    CHECK(sum == N);
    /* sorted: lowest energy first */
    for (size_t k = 1; k < r->minima.len; k++) {
        CHECK(ENT_VEC_AT(&r->minima, ent_landscape_min_t, k - 1).energy <=
              ENT_VEC_AT(&r->minima, ent_landscape_min_t, k).energy);
    }
    free(count);
    free(E);
    free(next);
}

static void test_random(void)
{
    ent_rng_t rng;
    ent_rng_seed(&rng, 2024, 7);
    ent_landscape_result_t r, s;
    ent_landscape_result_init(&r);
    ent_landscape_result_init(&s);
    for (int trial = 0; trial < 24; trial++) {
        int32_t n = 3 + (int32_t)ent_rng_below(&rng, 11); /* 3..13 */
        ent_landscape_t l;
        random_landscape(&l, n, &rng);
        /* symmetry: switching every actor leaves E unchanged; the two definitions agree */
        int32_t side[26], flip[26];
        for (int k = 0; k < 8; k++) {
            for (int32_t i = 0; i < n; i++) {
                side[i] = (int32_t)ent_rng_below(&rng, 2);
                flip[i] = 1 - side[i];
            }
            double e = ent_landscape_energy(&l, side);
            CHECK_NEAR(ent_landscape_energy(&l, flip), e, 1e-12 * (1 + fabs(e)));
            CHECK_NEAR(energy_ordered(&l, side), e, 1e-12 * (1 + fabs(e)));
        }
        solve(&r, &l, ENT_LANDSCAPE_EXHAUSTIVE);
        CHECK(r.basins == ENT_LANDSCAPE_BASINS_EXACT && r.complete);
        check_brute(&l, &r);
        /* the kernel's own energy of the optimum agrees */
        ent_signed_t g;
        ent_signed_init(&g);
        CHECK_OK(ent_landscape_graph(&g, &l));
        CHECK_NEAR(ent_partition_landscape_energy(&g, r.side.data), r.energy, 1e-9 * (1 + fabs(r.energy)));
        ent_signed_destroy(&g);
        /* sampled minima (heuristic and exact global minimum) are minima of the enumeration */
        ent_landscape_options_t o = ENT_LANDSCAPE_OPTIONS_INIT;
        o.method = trial % 2 ? ENT_LANDSCAPE_EXACT : ENT_LANDSCAPE_HEURISTIC;
        o.samples = 3000;
        o.seed = (uint64_t)trial;
        CHECK_OK(ent_landscape_solve(&s, &l, &o));
        CHECK(s.basins == ENT_LANDSCAPE_BASINS_SAMPLED && !s.complete && s.samples == 3000);
        CHECK_NEAR(s.energy, r.energy, 1e-9 * (1 + fabs(r.energy)));
        if (o.method == ENT_LANDSCAPE_EXACT) {
            CHECK(s.optimal);
        }
        uint64_t hits = 0;
        for (size_t k = 0; k < s.minima.len; k++) {
            const ent_landscape_min_t *m = &ENT_VEC_AT(&s.minima, ent_landscape_min_t, k);
            long e = find_min(&r, config_of(ent_landscape_min_side(&s, k), n));
            CHECK(e >= 0);
            hits += m->basin;
            if (e >= 0) {
                /* 3000 uniform starts: each share within 5 points of the exact basin share */
                CHECK_NEAR(m->basin_share, ENT_VEC_AT(&r.minima, ent_landscape_min_t, (size_t)e).basin_share, 0.05);
            }
        }
        CHECK(hits == 3000);
        /* the same seed gives the same result */
        ent_landscape_result_t t;
        ent_landscape_result_init(&t);
        o.threads = 1;
        CHECK_OK(ent_landscape_solve(&t, &l, &o));
        CHECK(t.minima.len == s.minima.len && t.sides.len == s.sides.len &&
              memcmp(t.sides.data, s.sides.data, s.sides.len * sizeof(int32_t)) == 0);
        ent_landscape_result_destroy(&t);
        ent_landscape_destroy(&l);
    }
    ent_landscape_result_destroy(&r);
    ent_landscape_result_destroy(&s);
}

/* ---------------------------------------------------------------- readers */

static void expect_read_error(const char *actors, const char *props, ent_err_t want, const char *const *needles)
{
    ent_landscape_t l;
    ent_landscape_init(&l);
    CHECK_RC(ent_landscape_read(&l, actors, props), want);
    for (const char *const *s = needles; *s; s++) {
        CHECK_CONTAINS(ent_errmsg(), *s);
    }
    CHECK(l.n == 0);
    ent_landscape_destroy(&l);
}

static void test_readers(void)
{
    const char *act = write_tmp("act.csv", "actor,size,note\nA,1,x\nB,2,\nC,0.5,\"quoted, note\"\nD,1,\n");
    const double want[4][4] = {{0, 1, -2, 0}, {1, 0, 0.5, 0}, {-2, 0.5, 0, 3}, {0, 0, 3, 0}};
    const char *good[] = {
        write_tmp("pairs.csv", "b,a,p\nB,A,1\nA,C,-2\nC,A,-2\nB,C,0.5\nD,C,3\n"),
        write_tmp("full.csv", ",A,B,C,D\nA,0,1,-2,0\nB,1,0,0.5,0\nC,-2,0.5,0,3\nD,0,0,3,0\n"),
        write_tmp("upper.csv", "row\\col,A,B,C,D\nA,0,1,-2,\nB,,0,0.5,0\nC,0,0,0,3\nD,0,0,0,NA\n"),
        write_tmp("lower.csv", "A,B,C,D\n0,0,0,0\n1,0,0,0\n-2,0.5,0,0\n0,0,3,0\n"),
    };
    for (size_t f = 0; f < sizeof good / sizeof *good; f++) {
        ent_landscape_t l;
        ent_landscape_init(&l);
        CHECK_OK(ent_landscape_read(&l, act, good[f]));
        CHECK(l.n == 4);
        if (l.n == 4) {
            CHECK_STR(l.label[2], "C");
            CHECK_NEAR(l.size[1], 2, 0);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    if (ent_landscape_p(&l, i, j) != want[i][j]) {
                        fprintf(stderr, "%s: p(%d,%d) = %g, want %g\n", good[f], i, j, ent_landscape_p(&l, i, j),
                                want[i][j]);
                        check_failures++;
                    }
                }
            }
        }
        ent_landscape_destroy(&l);
    }
    /* bad actors */
    expect_read_error(write_tmp("a_text.csv", "actor,size\nA,1\nB,big\n"), good[0], ENT_EPARSE,
                      (const char *const[]){"landscape_a_text.csv:3:3", "'size'", NULL});
    expect_read_error(write_tmp("a_zero.csv", "actor,size\nA,0\n"), good[0], ENT_ERANGE,
                      (const char *const[]){"landscape_a_zero.csv:2:3", "'size'", "positive", NULL});
    expect_read_error(write_tmp("a_dup.csv", "actor,size\nA,1\nB,1\nA,2\n"), good[0], ENT_EEXISTS,
                      (const char *const[]){"landscape_a_dup.csv:4:1", "'actor'", "line 2", NULL});
    expect_read_error(write_tmp("a_col.csv", "name,size\nA,1\n"), good[0], ENT_EPARSE,
                      (const char *const[]){"actor", NULL});
    expect_read_error(write_tmp("a_empty.csv", "actor,size\n"), good[0], ENT_EPARSE,
                      (const char *const[]){"no actors", NULL});
    /* bad pairs */
    expect_read_error(act, write_tmp("p_asym.csv", "a,b,p\nA,B,1\nB,A,2\n"), ENT_ERANGE,
                      (const char *const[]){"landscape_p_asym.csv:3:5", "'p'", "asymmetric", "line 2", NULL});
    expect_read_error(act, write_tmp("p_unknown.csv", "a,b,p\nA,B,1\nA,Z,2\n"), ENT_ENOTFOUND,
                      (const char *const[]){"landscape_p_unknown.csv:3:3", "'b'", "'Z'", NULL});
    expect_read_error(act, write_tmp("p_dup.csv", "a,b,p\nA,B,1\nC,D,1\nA,B,1\n"), ENT_EEXISTS,
                      (const char *const[]){"landscape_p_dup.csv:4:3", "'b'", "line 2", NULL});
    expect_read_error(act, write_tmp("p_self.csv", "a,b,p\nA,A,1\n"), ENT_EPARSE,
                      (const char *const[]){"landscape_p_self.csv:2:3", "self pair", NULL});
    expect_read_error(act, write_tmp("p_text.csv", "a,b,p\nA,B,x\n"), ENT_EPARSE,
                      (const char *const[]){"landscape_p_text.csv:2:5", "'p'", NULL});
    expect_read_error(act, write_tmp("p_inf.csv", "a,b,p\nA,B,inf\n"), ENT_EPARSE,
                      (const char *const[]){"landscape_p_inf.csv:2:5", "'p'", NULL});
    expect_read_error(act, write_tmp("p_huge.csv", "a,b,p\nA,B,1e200\n"), ENT_ERANGE,
                      (const char *const[]){"landscape_p_huge.csv:2:5", "'p'", NULL});
    /* bad matrices */
    expect_read_error(
        act, write_tmp("m_asym.csv", ",A,B,C\nA,0,1,2\nB,1,0,0\nC,3,0,0\n"), ENT_ERANGE,
        (const char *const[]){"landscape_m_asym.csv:4:3", "'A'", "asymmetric", "p(C,A) = 3", "line 2", NULL});
    expect_read_error(act, write_tmp("m_diag.csv", ",A,B\nA,0,1\nB,1,5\n"), ENT_ERANGE,
                      (const char *const[]){"landscape_m_diag.csv:3:5", "'B'", "diagonal", NULL});
    expect_read_error(act, write_tmp("m_unknown.csv", ",A,Q\nA,0,1\nQ,1,0\n"), ENT_ENOTFOUND,
                      (const char *const[]){"landscape_m_unknown.csv:1:4", "'Q'", NULL});
    expect_read_error(act, write_tmp("m_order.csv", ",A,B\nB,0,1\nA,1,0\n"), ENT_EPARSE,
                      (const char *const[]){"landscape_m_order.csv:2:1", "rows follow", NULL});
    expect_read_error(act, write_tmp("m_short.csv", ",A,B\nA,0,1\n"), ENT_EPARSE,
                      (const char *const[]){"needs 2 rows", NULL});
    expect_read_error(act, write_tmp("m_wide.csv", ",A,B\nA,0,1,4\nB,1,0\n"), ENT_EPARSE,
                      (const char *const[]){"landscape_m_wide.csv:2", NULL});
    expect_read_error(act, "/nonexistent/p.csv", ENT_EIO, (const char *const[]){"p.csv", NULL});
}

/* ---------------------------------------------------------------- Europe 1936/1938 */

#define NEU 17

typedef struct {
    char abbr[8], name[40], religion[32], government[40];
    double cinc;
    char predicted, actual; /* 'A' or 'B' (Axelrod & Bennett 1993) */
} country_t;

static int read_countries(country_t *c, const char *path)
{
    ent_csv_t *r;
    static const char *const cols[] = {"abbr", "country", "religion", "government", "cinc_1938"};
    int ix[5], n = 0;
    bool eof;
    CHECK_OK(ent_csv_open(&r, path, NULL));
    CHECK_OK(ent_csv_header(r, cols, NULL, ix, 5));
    while (ent_csv_next(r, &eof) == ENT_OK && !eof && n < NEU) {
        snprintf(c[n].abbr, sizeof c[n].abbr, "%s", ent_csv_field(r, (size_t)ix[0], NULL));
        snprintf(c[n].name, sizeof c[n].name, "%s", ent_csv_field(r, (size_t)ix[1], NULL));
        snprintf(c[n].religion, sizeof c[n].religion, "%s", ent_csv_field(r, (size_t)ix[2], NULL));
        snprintf(c[n].government, sizeof c[n].government, "%s", ent_csv_field(r, (size_t)ix[3], NULL));
        CHECK_OK(ent_csv_get_f64(r, (size_t)ix[4], "cinc_1938", 0, 1, &c[n].cinc, NULL));
        n++;
    }
    ent_csv_free(r);
    return n;
}

/*
 * The history-of-conflict matrix, read by position: row k and column k are the
 * k-th country of the country list. The data README warns that the matrix
 * header mislabels columns 13-15 (Pl, Pt, Ro in the list's order; the
 * reimplementation's source comments call them Ro, Pl, Pt): labels that differ
 * from the list are reported, not used.
 */
static void read_conflict(int conflict[NEU][NEU], const country_t *c, const char *path)
{
    ent_csv_t *r;
    bool eof;
    CHECK_OK(ent_csv_open(&r, path, NULL));
    CHECK_OK(ent_csv_next(r, &eof));
    CHECK(ent_csv_nfields(r) == NEU + 1);
    for (int k = 0; k < NEU && k + 1 < (int)ent_csv_nfields(r); k++) {
        const char *lab = ent_csv_field(r, (size_t)k + 1, NULL);
        if (strcmp(lab, c[k].abbr) != 0) {
            printf("  note: conflict matrix column %d is labelled '%s'; read as %s (the country list's order)\n", k + 1,
                   lab, c[k].abbr);
        }
    }
    for (int i = 0; i < NEU; i++) {
        CHECK_OK(ent_csv_next(r, &eof));
        CHECK(!eof && ent_csv_nfields(r) == NEU + 1);
        if (eof || ent_csv_nfields(r) != NEU + 1) {
            break;
        }
        for (int j = 0; j < NEU; j++) {
            int64_t v;
            CHECK_OK(ent_csv_get_i64(r, (size_t)j + 1, "conflict", 0, 1, &v, NULL));
            conflict[i][j] = (int)v;
        }
    }
    ent_csv_free(r);
}

static void read_alignments(country_t *c, const char *path)
{
    ent_csv_t *r;
    static const char *const cols[] = {"abbr", "predicted_1936_AB1993", "actual_WWII_AB1993"};
    int ix[3];
    bool eof;
    CHECK_OK(ent_csv_open(&r, path, NULL));
    CHECK_OK(ent_csv_header(r, cols, NULL, ix, 3));
    while (ent_csv_next(r, &eof) == ENT_OK && !eof) {
        const char *ab = ent_csv_field(r, (size_t)ix[0], NULL);
        for (int k = 0; k < NEU; k++) {
            if (strcmp(c[k].abbr, ab) == 0) {
                c[k].predicted = ent_csv_field(r, (size_t)ix[1], NULL)[0];
                c[k].actual = ent_csv_field(r, (size_t)ix[2], NULL)[0];
            }
        }
    }
    ent_csv_free(r);
    for (int k = 0; k < NEU; k++) {
        CHECK(c[k].predicted == 'A' || c[k].predicted == 'B');
        CHECK(c[k].actual == 'A' || c[k].actual == 'B');
    }
}

/*
 * Right placements of `side` against column `which` ('p' predicted, 'a' actual): sides are
 * named so that Britain's side is A, as in the paper. Lists the misplaced states in `wrong`.
 */
static int score(const country_t *c, const int32_t *side, char which, char *wrong, size_t n)
{
    int right = 0;
    wrong[0] = 0;
    int32_t a_side = side[0]; /* Britain is country 0 and on side A in the paper */
    for (int k = 0; k < NEU; k++) {
        char mine = side[k] == a_side ? 'A' : 'B';
        char ref = which == 'p' ? c[k].predicted : c[k].actual;
        if (mine == ref) {
            right++;
        } else {
            size_t len = strlen(wrong), al = strlen(c[k].abbr);
            if (len + al + 2 <= n) { /* room for a space, the name and the NUL */
                if (len) {
                    wrong[len++] = ' ';
                }
                memcpy(wrong + len, c[k].abbr, al + 1);
            }
        }
    }
    return right;
}

static void print_sides(const country_t *c, const int32_t *side)
{
    printf("      A:");
    for (int k = 0; k < NEU; k++) {
        if (side[k] == side[0]) {
            printf(" %s", c[k].abbr);
        }
    }
    printf("  |  B:");
    for (int k = 0; k < NEU; k++) {
        if (side[k] != side[0]) {
            printf(" %s", c[k].abbr);
        }
    }
    printf("\n");
}

/* Returns false when the data are absent. */
static bool test_europe(void)
{
    char b1[1024], b2[1024], b3[1024];
    const char *fc = shared_data("landscape/glynnejones_1938_inputs_countries.csv", b1, sizeof b1);
    const char *fh = shared_data("landscape/glynnejones_history_of_conflict_upper.csv", b2, sizeof b2);
    const char *fa = shared_data("landscape/axelrod_bennett_1993_alignments.csv", b3, sizeof b3);
    if (!fc || !fh || !fa) {
        return false;
    }
    country_t c[NEU];
    memset(c, 0, sizeof c);
    CHECK(read_countries(c, fc) == NEU);
    int conflict[NEU][NEU];
    memset(conflict, 0, sizeof conflict);
    read_conflict(conflict, c, fh);
    read_alignments(c, fa);
    /*
     * Propensities. The reimplementation (Glynne-Jones) sums a hostility
     *     q_ij = 2 conflict_ij + eth_ij + rel_ij + ide_ij,
     * each of eth/rel/ide +1 for different and -1 for the same ethnicity /
     * dominant religion / government type, with every ethnicity coded alike
     * (eth = -1 for all pairs), and minimises the within-side sum of
     * s_i s_j q_ij. That sum equals a constant minus half of our E with
     * p_ij = -q_ij: the same minima. So, in Axelrod & Bennett's sign
     * (p > 0 pulls together): p_ij = 1 - 2 conflict_ij + rel + ide with
     * rel, ide = +1 alike, -1 different. Sizes: CINC 1938.
     */
    const char *labels[NEU];
    double sizes[NEU];
    for (int k = 0; k < NEU; k++) {
        labels[k] = c[k].abbr;
        sizes[k] = c[k].cinc;
    }
    ent_landscape_t l;
    ent_landscape_init(&l);
    CHECK_OK(ent_landscape_setup(&l, NEU, labels, sizes));
    for (int i = 0; i < NEU; i++) {
        for (int j = i + 1; j < NEU; j++) {
            int hoc = conflict[i][j] || conflict[j][i];
            CHECK(conflict[j][i] == 0); /* upper triangle */
            int rel = strcmp(c[i].religion, c[j].religion) == 0 ? 1 : -1;
            int ide = strcmp(c[i].government, c[j].government) == 0 ? 1 : -1;
            CHECK_OK(ent_landscape_set(&l, i, j, 1.0 - 2.0 * hoc + rel + ide));
        }
    }
    ent_landscape_result_t r;
    ent_landscape_result_init(&r);
    solve(&r, &l, ENT_LANDSCAPE_AUTO);
    CHECK(r.complete && r.optimal && r.configurations == 65536 && r.basins == ENT_LANDSCAPE_BASINS_EXACT);
    char wrong[256];
    printf("Europe 1938 (public reimplementation inputs: religion, government, conflict history, CINC 1938):\n");
    printf("  %llu configurations, %llu local minima\n", (unsigned long long)r.configurations,
           (unsigned long long)r.nminima);
    for (size_t k = 0; k < r.minima.len; k++) {
        const ent_landscape_min_t *m = &ENT_VEC_AT(&r.minima, ent_landscape_min_t, k);
        const int32_t *s = ent_landscape_min_side(&r, k);
        int ra = score(c, s, 'a', wrong, sizeof wrong);
        printf("  minimum %zu: energy %.6g, basin %llu (%.1f%%); %d/17 placed as they fought%s%s%s\n", k + 1, m->energy,
               (unsigned long long)m->basin, 100 * m->basin_share, ra, *wrong ? " (wrong: " : "", wrong,
               *wrong ? ")" : "");
        print_sides(c, s);
    }
    const int32_t *g = r.side.data;
    int right_actual = score(c, g, 'a', wrong, sizeof wrong);
    printf("  global minimum vs the actual WWII alignment: %d/17 (wrong: %s)\n", right_actual, wrong);
    int right_pred = score(c, g, 'p', wrong, sizeof wrong);
    printf("  global minimum vs Axelrod & Bennett's 1936 prediction: %d/17 (differ: %s)\n", right_pred, wrong);
    printf("  Axelrod & Bennett (1993): 15/17 as they fought (Poland and Portugal wrong) -- their inputs\n"
           "  (ethnic conflict coding, the 1936 conflict history) are not public here; see docs/models/landscape.md\n");
    /* the paper's own prediction scores 15/17 against the actual alignment (data check) */
    int32_t pred[NEU];
    for (int k = 0; k < NEU; k++) {
        pred[k] = c[k].predicted == 'A' ? 0 : 1;
    }
    CHECK(score(c, pred, 'a', wrong, sizeof wrong) == 15);
    CHECK_STR(wrong, "Pl Pt");
    /*
     * What the public inputs give (not tuned to the answer): the global
     * minimum places 12 of 17 as they fought -- the number the
     * reimplementation's author reports too ("5/17 countries placed in the
     * wrong alliance") -- and agrees with Axelrod & Bennett's prediction on
     * 14 of 17.
     */
    CHECK(right_actual == 12);
    CHECK(right_pred == 14);
    /* the energy of the paper's predicted configuration is not below the minimum (a sanity check) */
    CHECK(ent_landscape_energy(&l, pred) >= r.energy - 1e-12);
    printf("  energy of Axelrod & Bennett's predicted configuration on these inputs: %.6g (global %.6g)\n",
           ent_landscape_energy(&l, pred), r.energy);
    ent_landscape_result_destroy(&r);
    ent_landscape_destroy(&l);
    return true;
}

int main(void)
{
    test_hand();
    test_random();
    test_readers();
    bool data = test_europe();
    if (check_failures) {
        return CHECK_DONE();
    }
    if (!data) {
        printf("SKIP: the landscape datasets are absent; every other check passed\n");
        return 77;
    }
    return 0;
}
