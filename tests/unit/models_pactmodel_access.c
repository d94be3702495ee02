/*
 * models_pactmodel_access.c -- who may accede to a treaty (issue 12): before the accession table the
 * join route let any state join any multilateral treaty, so the US "joined" the EU's Art. 42(7)
 * clause at ~1.6% a year. Pinned here: the table's loader names file, line and field on bad input;
 * a state the table bars has probability 0 to join (synthetic system), never joins in a simulated
 * year, and is not in the fit's join risk set (its entry scores as bilateral formations); in the
 * shipped world the US cannot join the EU clause, nor Russia the Alliance of Sahel States (a treaty without
 * an ATOP id, matched by name); and, on the store when one is built, Turkey's
 * 1952 accession to NATO (outside Art. 10's "European State", admitted in practice) stays in the
 * fit's risk set.
 */
#include "check.h"
#include "tiny_world.h"

#include <unistd.h>

#define N 6

/* The shipped world's name of the Alliance of Sahel States (data/pacts.csv, aes_2023). */
#define AES "Liptako-Gourma Charter establishing the Alliance of Sahel States (AES)"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Loading `text` fails with ENT_EPARSE and a message holding every string of `want`. */
static void bad_table(const char *text, const char *const *want)
{
    const char *tmp = getenv("ENT_TMP");
    char path[4096];
    snprintf(path, sizeof path, "%s/access_bad.csv", tmp && *tmp ? tmp : ".");
    write_file(path, text);
    ent_pmaccess_t *t = NULL;
    ent_err_t rc = ent_pmaccess_load(&t, path);
    CHECK(rc == ENT_EPARSE || rc == ENT_ERANGE);
    CHECK(t == NULL);
    const char *msg = ent_errmsg();
    for (size_t k = 0; want[k]; k++) {
        if (!strstr(msg, want[k])) {
            fprintf(stderr, "message '%s' lacks '%s'\n", msg, want[k]);
            CHECK(0);
        }
    }
    unlink(path);
}

static void test_table(void)
{
    static const char hdr[] = "atopid,treaty,eligible,clause,source\n";
    char buf[1024];
    snprintf(buf, sizeof buf, "%s3180,NATO,europe 640,Art. 10,x\n3075,Rio,americas mars,Art. 23,x\n", hdr);
    bad_table(buf, (const char *const[]){"access_bad.csv:3", "'eligible'", "'mars'", NULL});
    snprintf(buf, sizeof buf, "%s3180,NATO,europe,Art. 10,x\n3180,NATO again,any,Art. 10,x\n", hdr);
    bad_table(buf, (const char *const[]){"access_bad.csv:3", "'atopid'", "twice", NULL});
    snprintf(buf, sizeof buf, "%s3180,NATO,europe 1200,Art. 10,x\n", hdr);
    bad_table(buf, (const char *const[]){"access_bad.csv:2", "'eligible'", "'1200'", NULL});
    snprintf(buf, sizeof buf, "%s3180,NATO,,Art. 10,x\n", hdr);
    bad_table(buf, (const char *const[]){"access_bad.csv:2", "eligible", NULL});
    snprintf(buf, sizeof buf, "%s3180,NATO,any,Art. 10\n", hdr);
    bad_table(buf, (const char *const[]){"access_bad.csv:2", NULL});
    bad_table("atopid,treaty,eligible,source\n3180,NATO,any,x\n", (const char *const[]){"clause", NULL});
    /* a treaty without an ATOP id is matched by its name: it needs one, and only once */
    snprintf(buf, sizeof buf, "%s,,any,Art. 1,x\n", hdr);
    bad_table(buf, (const char *const[]){"access_bad.csv:2", "'treaty'", NULL});
    snprintf(buf, sizeof buf, "%s,AES,any,Art. 1,x\n,AES,none,Art. 1,x\n", hdr);
    bad_table(buf, (const char *const[]){"access_bad.csv:3", "'treaty'", "twice", NULL});

    /* the shipped table */
    ent_pmaccess_t *t = NULL;
    CHECK_OK(ent_pmaccess_load(&t, ent_pmaccess_default_path()));
    if (!t) {
        return;
    }
    CHECK(ent_pmaccess_listed(t, 3180) && ent_pmaccess_listed(t, 4175) && ent_pmaccess_listed(t, 3075));
    CHECK(ent_pmaccess_may(t, 3180, 640));  /* Turkey: NATO by practice (1952) */
    CHECK(ent_pmaccess_may(t, 3180, 350));  /* Greece */
    CHECK(!ent_pmaccess_may(t, 3180, 710)); /* China: not a European state */
    CHECK(!ent_pmaccess_may(t, 4175, 2));   /* the US: TEU Art. 49 admits European states */
    CHECK(ent_pmaccess_may(t, 4175, 305));  /* Austria */
    CHECK(ent_pmaccess_may(t, 3075, 52) && !ent_pmaccess_may(t, 3075, 200));  /* Rio: American states */
    CHECK(!ent_pmaccess_may(t, 3215, 740));                                   /* ANZUS: closed */
    CHECK(ent_pmaccess_may(t, 3205, 679) && !ent_pmaccess_may(t, 3205, 630)); /* JDEC: Yemen, not Iran */
    CHECK(ent_pmaccess_may(t, 99999, 2) && ent_pmaccess_may(t, -1, 2));       /* unlisted: the old rule */
    /* the Alliance of Sahel States (no ATOP id): the Sahel states its Charter's clause admits */
    CHECK(ent_pmaccess_may_named(t, AES, 483) && ent_pmaccess_may_named(t, AES, 435)); /* Chad, Mauritania */
    CHECK(!ent_pmaccess_may_named(t, AES, 365) && !ent_pmaccess_may_named(t, AES, 2)); /* Russia, the US */
    CHECK(!ent_pmaccess_may_named(t, AES, 452));                                       /* Ghana: coastal */
    CHECK(ent_pmaccess_may_named(t, "no such treaty", 2));
    ent_pmaccess_free(t);
}

typedef struct {
    int32_t ccode[N];
    double cinc[N], dist[N * N], host[N * N];
    unsigned char major[N], def[N * N], member[N], elig[N];
    ent_sysyear_t sys;
} world_t;

/* Six states: 0, 1, 2 allied in a treaty; 3, 4 and 5 outside it; 3 barred from the treaty. */
static void build(world_t *w)
{
    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < N; i++) {
        w->ccode[i] = (int32_t)(100 + 10 * i);
        w->cinc[i] = 0.1 + 0.02 * (double)i;
        w->elig[i] = i != 3;
        for (size_t j = 0; j < N; j++) {
            w->dist[i * N + j] = i == j ? 0 : 800.0 + 50.0 * (double)(i + j);
        }
    }
    for (size_t i = 0; i < 3; i++) {
        w->member[i] = 1;
        for (size_t j = 0; j < 3; j++) {
            w->def[i * N + j] = i != j;
        }
    }
    ent_sysyear_t s = {0};
    s.n = N;
    s.year = 1950;
    s.ccode = w->ccode;
    s.cinc = w->cinc;
    s.major = w->major;
    s.dist_km = w->dist;
    s.hostility = w->host;
    s.defence = w->def;
    s.ntreaties = 1;
    s.member = w->member;
    s.eligible = w->elig;
    w->sys = s;
}

static double sig(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

static void test_synthetic(void)
{
    ent_pactmodel_t *m = NULL;
    CHECK_OK(ent_pactmodel_new(&m));
    if (!m) {
        return;
    }
    double theta[ENT_PM_NPARAMS] = {0};
    theta[ENT_PM_F_CONST] = 1.0;
    theta[ENT_PM_F_LDIST] = -0.5;
    theta[ENT_PM_NFORM + ENT_PM_E_CONST] = -8.0; /* no ends */
    CHECK_OK(ent_pactmodel_set(m, theta, NULL, NULL, NULL, NULL));
    world_t w;
    build(&w);
    double pf[N * N], pj[N], u[N * N];
    CHECK_OK(ent_pactmodel_probs(m, theta, &w.sys, pf, NULL, pj));
    CHECK_OK(ent_pactmodel_utility(m, theta, &w.sys, u));
    CHECK(pj[3] == 0.0);                 /* barred */
    CHECK(pj[4] > 0.01 && pj[5] > 0.01); /* eligible */
    /* 3 can still ally each member bilaterally, and only so */
    CHECK_NEAR(pf[3 * N + 0], sig(u[3 * N + 0]) * sig(u[0 * N + 3]), 1e-12);
    CHECK(pf[4 * N + 0] > sig(u[4 * N + 0]) * sig(u[0 * N + 4]) + 1e-6);
    /* without the mask 3 may join, as before the table */
    ent_sysyear_t open = w.sys;
    open.eligible = NULL;
    double pj_open[N];
    CHECK_OK(ent_pactmodel_probs(m, theta, &open, NULL, NULL, pj_open));
    CHECK(pj_open[3] > 0.01 && pj_open[4] == pj[4]);

    /* simulated years: 3 never becomes a member, 4 does */
    int joined3 = 0, joined4 = 0;
    for (uint64_t run = 0; run < 200; run++) {
        ent_sysbuf_t *b = NULL;
        CHECK_OK(ent_sysyear_clone(&b, &w.sys));
        if (!b) {
            break;
        }
        ent_sysyear_t *s = ent_sysbuf_sys(b);
        CHECK(s->eligible && s->eligible[3] == 0 && s->eligible[4] == 1);
        ent_rng_t rng;
        ent_rng_seed(&rng, 42, run);
        CHECK_OK(ent_pactmodel_step(m, theta, s, &rng, NULL));
        joined3 += s->member[3];
        joined4 += s->member[4];
        ent_sysbuf_free(b);
    }
    fprintf(stderr, "joins in 200 simulated years: barred %d, eligible %d\n", joined3, joined4);
    CHECK(joined3 == 0 && joined4 > 0);

    /* the fit: 3 and 4 both enter the treaty in t + 1; 3's entry is not a join decision */
    world_t w1;
    build(&w1);
    w1.sys.year = 1951;
    for (size_t k = 3; k <= 4; k++) {
        w1.member[k] = 1;
        for (size_t j = 0; j < 3; j++) {
            w1.def[k * N + j] = w1.def[j * N + k] = 1;
        }
    }
    const ent_sysyear_t *seq[2] = {&w.sys, &w1.sys};
    ent_pmfit_data_t *d = NULL;
    CHECK_OK(ent_pmfit_data_build(&d, m, seq, 2, 1951, 1951));
    size_t nj = 0, je = 0, nf = 0, fe = 0, ne = 0, ee = 0;
    if (d) {
        ent_pmfit_data_joins(d, &nj, &je);
        ent_pmfit_data_counts(d, &nf, &fe, &ne, &ee);
    }
    fprintf(stderr, "with the mask: %zu join decisions (%zu joins), %zu bilateral (%zu new)\n", nj, je, nf, fe);
    CHECK(nj == 2 && je == 1); /* 4 and 5 decide; 4 joins */
    CHECK(fe == 3);            /* 3's three new ties count as bilateral formations */
    ent_pmfit_data_free(d);
    d = NULL;
    ent_sysyear_t a0 = w.sys;
    a0.eligible = NULL;
    const ent_sysyear_t *seq0[2] = {&a0, &w1.sys};
    CHECK_OK(ent_pmfit_data_build(&d, m, seq0, 2, 1951, 1951));
    if (d) {
        ent_pmfit_data_joins(d, &nj, &je);
        ent_pmfit_data_counts(d, &nf, &fe, &ne, &ee);
    }
    CHECK(nj == 3 && je == 2 && fe == 0);
    ent_pmfit_data_free(d);
    ent_pactmodel_free(m);
}

/* The index of COW state `ccode` in the system, or SIZE_MAX. */
static size_t idx(const ent_sysyear_t *sys, int32_t ccode)
{
    for (size_t i = 0; i < sys->n; i++) {
        if (sys->ccode[i] == ccode) {
            return i;
        }
    }
    return SIZE_MAX;
}

static long treaty(const ent_sysyear_t *sys, int64_t atopid)
{
    for (size_t t = 0; t < sys->ntreaties; t++) {
        if (sys->treaty_id && sys->treaty_id[t] == atopid) {
            return (long)t;
        }
    }
    return -1;
}

/* The shipped world: the US cannot join the EU clause (ATOP 4175); Norway, a European non-member, may. */
static void test_world(void)
{
    ent_world_t *W = NULL;
    ent_model_t *m = shipped_model(&W);
    if (!m) {
        return;
    }
    const ent_pactmodel_t *pm = ent_model_pactmodel(m);
    const double *th = ent_pactmodel_estimates(pm);
    ent_sysyear_t sys;
    ent_model_pact_system(m, &sys);
    size_t n = sys.n, us = idx(&sys, 2), aut = idx(&sys, 385), mnc = idx(&sys, 221);
    long eu = treaty(&sys, 4175), nato = treaty(&sys, 3180);
    CHECK(us != SIZE_MAX && aut != SIZE_MAX && eu >= 0 && nato >= 0 && sys.eligible);
    double *pj = calloc((sys.ntreaties + 1) * n, sizeof *pj), *pj2 = calloc((sys.ntreaties + 1) * n, sizeof *pj2);
    if (!pj || !pj2 || us == SIZE_MAX || aut == SIZE_MAX || eu < 0 || nato < 0 || !sys.eligible) {
        CHECK(0);
        goto done;
    }
    CHECK(!sys.eligible[(size_t)eu * n + us] && sys.eligible[(size_t)eu * n + aut]);
    CHECK_OK(ent_pactmodel_probs(pm, th, &sys, NULL, NULL, pj));
    CHECK(pj[(size_t)eu * n + us] == 0.0);
    CHECK(pj[(size_t)eu * n + aut] > 0.0);
    /* the simulation's own copy of the join route agrees */
    CHECK_OK(ent_model_pact_probs(m, th, NULL, NULL, NULL, pj2));
    CHECK(pj2[(size_t)eu * n + us] == 0.0);
    for (size_t k = 0; k < sys.ntreaties * n; k++) {
        if (fabs(pj[k] - pj2[k]) > 1e-9 * (1 + fabs(pj[k]))) {
            fprintf(stderr, "join %zu: library %.12g, simulation %.12g\n", k, pj[k], pj2[k]);
            CHECK(0);
            break;
        }
    }
    /* the Alliance of Sahel States, a treaty of the world without an ATOP id: Chad may join (it has
     * nothing to gain: the AU's defence pact already ties it to the three), Russia may not, and
     * without the row it could */
    {
        size_t mli = idx(&sys, 432), cha = idx(&sys, 483), rus = idx(&sys, 365);
        long aes = -1;
        for (size_t t = 0; mli != SIZE_MAX && t < sys.ntreaties; t++) {
            if (sys.treaty_id[t] < 0 && sys.member[t * n + mli]) {
                aes = (long)t;
            }
        }
        CHECK(aes >= 0 && cha != SIZE_MAX && rus != SIZE_MAX);
        double *pj_open = calloc((sys.ntreaties + 1) * n, sizeof *pj_open);
        if (aes >= 0 && cha != SIZE_MAX && rus != SIZE_MAX && pj_open) {
            CHECK(sys.eligible[(size_t)aes * n + cha] && !sys.eligible[(size_t)aes * n + rus]);
            CHECK(pj[(size_t)aes * n + rus] == 0.0);
            ent_sysyear_t open = sys;
            open.eligible = NULL;
            CHECK_OK(ent_pactmodel_probs(pm, th, &open, NULL, NULL, pj_open));
            CHECK(pj_open[(size_t)aes * n + rus] > 0.0);
            fprintf(stderr, "P(Russia joins the Alliance of Sahel States) %.5f without the row, 0 with it\n",
                    pj_open[(size_t)aes * n + rus]);
        }
        free(pj_open);
    }
    if (mnc != SIZE_MAX) {
        fprintf(stderr, "P(Monaco joins NATO) %.5f, the EU clause %.5f; P(Norway joins the EU clause) %.5f\n",
                pj[(size_t)nato * n + mnc], pj[(size_t)eu * n + mnc], pj[(size_t)eu * n + aut]);
    }
done:
    free(pj);
    free(pj2);
    ent_model_free(m);
    ent_world_free(W);
}

/* On the store: Turkey's entry into NATO is a join decision of the fit, and counted as a join. */
static int test_turkey(void)
{
    char buf[4096];
    const char *path = test_store_path(buf, sizeof buf);
    if (!path) {
        fprintf(stderr, "no readable store ($ENT_STORE, else build/entente.db): Turkey's 1952 accession not checked\n");
        return 77;
    }
    ent_store_options_t so = ENT_STORE_OPTIONS_INIT;
    so.readonly = true;
    ent_store_t *db = NULL;
    ent_pmhistory_t *h = NULL;
    CHECK_OK(ent_store_open(&db, path, &so));
    CHECK_OK(ent_pmhistory_build(&h, db, 1949, 1953, NULL));
    int entered = 0;
    for (int y = 1950; h && y <= 1953 && !entered; y++) {
        const ent_sysyear_t *a = ent_pmhistory_year(h, y - 1), *b = ent_pmhistory_year(h, y);
        long ta = treaty(a, 3180), tb = treaty(b, 3180);
        size_t ka = idx(a, 640), kb = idx(b, 640);
        if (ta < 0 || tb < 0 || ka == SIZE_MAX || kb == SIZE_MAX || a->member[(size_t)ta * a->n + ka] ||
            !b->member[(size_t)tb * b->n + kb]) {
            continue;
        }
        entered = y;
        CHECK(a->eligible && a->eligible[(size_t)ta * a->n + ka]);
        ent_pactmodel_t *m = NULL;
        CHECK_OK(ent_pactmodel_new(&m));
        ent_pmfit_data_t *d = NULL, *d0 = NULL;
        const ent_sysyear_t *seq[2] = {a, b};
        ent_sysyear_t a0 = *a;
        a0.eligible = NULL;
        const ent_sysyear_t *seq0[2] = {&a0, b};
        CHECK_OK(ent_pmfit_data_build(&d, m, seq, 2, y, y));
        CHECK_OK(ent_pmfit_data_build(&d0, m, seq0, 2, y, y));
        size_t nj = 0, je = 0, nj0 = 0, je0 = 0;
        if (d && d0) {
            ent_pmfit_data_joins(d, &nj, &je);
            ent_pmfit_data_joins(d0, &nj0, &je0);
        }
        fprintf(stderr, "Turkey enters NATO in %d: %zu join decisions (%zu joins); without the table %zu (%zu)\n", y,
                nj, je, nj0, je0);
        CHECK(je >= 1 && je == je0); /* every entry of the year is still a join */
        CHECK(nj < nj0);             /* and the table removed the barred candidates */
        ent_pmfit_data_free(d);
        ent_pmfit_data_free(d0);
        ent_pactmodel_free(m);
    }
    CHECK(entered != 0);
    ent_pmhistory_free(h);
    ent_store_close(db);
    return 0;
}

int main(void)
{
    test_table();
    test_synthetic();
    test_world();
    int tk = test_turkey();
    int rc = CHECK_DONE();
    return rc == 0 && tk == 77 ? 0 : rc; /* the store part is optional: the rest ran */
}
