/*
 * measures.c -- the measures' reports: foreign-policy similarity (entente.similarity/1),
 * structural balance (entente.balance/1) and the blocs of the alliance system
 * (entente.blocs/1). `entente similarity --world --json`, `entente balance --json` and
 * `entente blocs --json` print them; `entente serve` hands them on. docs/report.md documents
 * the members.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente/blocs.h"
#include "report_int.h"
#include "util_int.h"

ENT_I_OPTIONS_INIT_FN(ent_report_balance_options_init, ent_report_balance_options_t, ENT_REPORT_BALANCE_OPTIONS_VERSION,
                      ENT_REPORT_BALANCE_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_report_blocs_options_init, ent_report_blocs_options_t, ENT_REPORT_BLOCS_OPTIONS_VERSION,
                      ENT_REPORT_BLOCS_OPTIONS_INIT)

/* ---------------------------------------------------------------- similarity */

static const unsigned sim_order[5] = {ENT_SIM_S, ENT_SIM_SW, ENT_SIM_KAPPA, ENT_SIM_PI, ENT_SIM_TAUB};

static json_t *sim_row(const ent_portfolios_t *p, int year, int32_t c1, int32_t c2, const ent_similarity_t *m,
                       unsigned measures)
{
    json_t *x = json_object();
    x = ent_rep_put(x, "year", json_integer(year));
    x = ent_rep_put(x, "ccode1", json_integer(c1));
    x = ent_rep_put(x, "abbr1", json_string(ent_portfolios_abbr(p, c1)));
    x = ent_rep_put(x, "ccode2", json_integer(c2));
    x = ent_rep_put(x, "abbr2", json_string(ent_portfolios_abbr(p, c2)));
    for (int k = 0; k < 5; k++) {
        if (measures & sim_order[k]) {
            x = ent_rep_put(x, ent_similarity_measure_name(sim_order[k]),
                            ent_rep_num(ent_similarity_value(m, sim_order[k])));
        }
    }
    if (ent_portfolios_source(p) == ENT_SIM_SOURCE_UN) {
        /* votes compared: a measure over a handful of roll calls says little */
        x = ent_rep_put(x, "votes", json_integer((json_int_t)m->n));
        x = ent_rep_put(x, "few", json_boolean(m->n < ENT_SIM_FEW_VOTES));
    }
    return x;
}

/* Appends year's rows of every dyad, or of ccode1 against the rest (ccode1 first), to rows. */
static ent_err_t sim_year(json_t *rows, size_t *added, const ent_portfolios_t *p, int year, int32_t ccode1,
                          unsigned measures, const ent_similarity_options_t *so)
{
    ent_vec_t v = ENT_VEC_INIT(ent_dyad_year_t);
    ent_err_t rc = ent_measure_similarity_year(&v, p, year, false, so);
    for (size_t k = 0; rc == ENT_OK && k < v.len; k++) {
        const ent_dyad_year_t *d = &ENT_VEC_AT(&v, ent_dyad_year_t, k);
        int32_t a = d->ccode1, b = d->ccode2;
        if (ccode1 && a != ccode1 && b != ccode1) {
            continue;
        }
        if (ccode1 && b == ccode1) {
            b = a;
            a = ccode1;
        }
        if (json_array_append_new(rows, sim_row(p, year, a, b, &d->m, measures))) {
            rc = ent_i_nomem();
        }
        (*added)++;
    }
    ent_vec_destroy(&v);
    return rc;
}

ent_err_t ent_report_similarity(char **out, const ent_portfolios_t *p, int from, int to, int32_t ccode1, int32_t ccode2,
                                unsigned measures, const ent_similarity_options_t *opts)
{
    *out = NULL;
    ENT_I_CHECK_OPTIONS(opts, ENT_SIMILARITY_OPTIONS_VERSION);
    ent_similarity_options_t def = ENT_SIMILARITY_OPTIONS_INIT;
    const ent_similarity_options_t *so = opts ? opts : &def;
    if (from > to) {
        return ent_i_err(ENT_EINVAL, "ent_report_similarity: from %d is after to %d", from, to);
    }
    if (ccode2 && !ccode1) {
        ccode1 = ccode2;
        ccode2 = 0;
    }
    measures &= ENT_SIM_ALL;
    if (!measures) {
        measures = ENT_SIM_ALL;
    }
    json_t *rows = json_array();
    if (!rows) {
        return ent_i_nomem();
    }
    ent_err_t rc = ENT_OK;
    size_t n = 0;
    for (int y = from; y <= to && rc == ENT_OK; y++) {
        if (from != to && ent_portfolios_nstates(p, y) == 0) {
            continue; /* a year without data inside the range (UN: 1964) */
        }
        if (ccode2) {
            ent_similarity_t m;
            rc = ent_measure_similarity_pair(&m, p, y, ccode1, ccode2, so);
            if (rc == ENT_OK) {
                rc = json_array_append_new(rows, sim_row(p, y, ccode1, ccode2, &m, measures)) ? ent_i_nomem() : ENT_OK;
                n++;
            } else if (rc == ENT_ENOTFOUND && from != to) {
                rc = ENT_OK; /* in a range, the years the pair is not compared are skipped */
            }
        } else {
            /* every dyad comes ordered by (ccode1, ccode2): a state's rows, with the state put first,
             * are then ordered by the other state's code */
            rc = sim_year(rows, &n, p, y, ccode1, measures, so);
        }
    }
    if (rc == ENT_OK && ccode1 && n == 0) {
        const char *a = ent_portfolios_abbr(p, ccode1);
        rc = ccode2 ? ent_i_err(ENT_ENOTFOUND, "%s and %s are never both compared in %d-%d", a,
                                ent_portfolios_abbr(p, ccode2), from, to)
                    : ent_i_err(ENT_ENOTFOUND, "%s is not compared in %d-%d", a[0] ? a : "the state", from, to);
    }
    if (rc != ENT_OK) {
        json_decref(rows);
        return rc;
    }
    json_t *o = json_object(), *ml = json_array();
    for (int k = 0; k < 5; k++) {
        if (measures & sim_order[k]) {
            ml = ent_rep_push(ml, json_string(ent_similarity_measure_name(sim_order[k])));
        }
    }
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_SIMILARITY_SCHEMA));
    o = ent_rep_put(o, "source", json_string(ent_sim_source_name(ent_portfolios_source(p))));
    o = ent_rep_put(o, "from", json_integer(from));
    o = ent_rep_put(o, "to", json_integer(to));
    o = ent_rep_put(o, "state", ccode1 ? json_string(ent_portfolios_abbr(p, ccode1)) : json_null());
    o = ent_rep_put(o, "partner", ccode2 ? json_string(ent_portfolios_abbr(p, ccode2)) : json_null());
    o = ent_rep_put(o, "squared", json_boolean(so->squared));
    o = ent_rep_put(o, "measures", ml);
    o = ent_rep_put(o, "dyads", rows);
    return ent_rep_finish(out, o);
}

/* ---------------------------------------------------------------- balance */

/* A partition as {label: block}. */
/* A solver's result as the balance and blocs reports write it, its value under `value_key`. */
static json_t *put_solve(json_t *o, const char *value_key, const ent_partition_result_t *r, double time_limit)
{
    o = ent_rep_put(o, value_key, ent_rep_num(r->value));
    o = ent_rep_put(o, "bound", ent_rep_num(r->bound));
    o = ent_rep_put(o, "gap", ent_rep_num(r->gap));
    o = ent_rep_put(o, "optimal", json_boolean(r->optimal));
    o = ent_rep_put(o, "seconds", json_real(r->seconds));
    o = ent_rep_put(o, "method", json_string(r->method));
    return ent_rep_put(o, "time_limit", ent_rep_num(time_limit));
}

static json_t *partition_obj(const ent_signed_t *g, const int32_t *block)
{
    json_t *o = json_object();
    for (int32_t i = 0; o && i < g->n; i++) {
        o = ent_rep_put(o, g->label[i], json_integer(block[i]));
    }
    return o;
}

ent_err_t ent_report_balance(char **out, const ent_signed_t *g, const char *name, const char *origin, ent_date_t date,
                             const ent_report_balance_options_t *opts)
{
    *out = NULL;
    ENT_I_CHECK_OPTIONS(opts, ENT_REPORT_BALANCE_OPTIONS_VERSION);
    ent_report_balance_options_t def = ENT_REPORT_BALANCE_OPTIONS_INIT;
    const ent_report_balance_options_t *c = opts ? opts : &def;
    size_t pos, neg;
    ent_signed_count(g, &pos, &neg);
    ent_triangle_balance_t tb;
    ent_err_t rc;
    if ((rc = ent_signed_triangles(&tb, g)) != ENT_OK) {
        return rc;
    }
    ent_solve_result_t sr;
    ent_solve_result_init(&sr);
    ent_partition_result_t bm;
    ent_partition_result_init(&bm);
    json_t *o = NULL;
    bool exhaustive = c->method == ENT_SOLVE_EXHAUSTIVE;
    int32_t k = c->k > g->n ? g->n : c->k;
    ent_solve_options_t so = ENT_SOLVE_OPTIONS_INIT;
    so.method = c->method;
    so.seed = c->seed;
    so.time_limit = c->time_limit;
    so.minima = exhaustive;
    so.max_minima = c->max_minima;
    so.cancel = c->cancel;
    if ((rc = ent_partition_solve(&sr, g, &so)) != ENT_OK) {
        goto done;
    }
    if (k > 0) {
        ent_blockmodel_options_t bo = ENT_BLOCKMODEL_OPTIONS_INIT;
        bo.k = k;
        bo.alpha = c->alpha;
        bo.seed = c->seed;
        bo.cancel = c->cancel;
        if ((rc = ent_partition_blockmodel(&bm, g, &bo)) != ENT_OK) {
            goto done;
        }
    }
    const ent_partition_result_t *best = &sr.best;
    o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_BALANCE_SCHEMA));
    o = ent_rep_put(o, "network", json_string(name ? name : ""));
    o = ent_rep_put(o, "origin", origin ? json_string(origin) : json_null());
    o = ent_rep_put(o, "date", ent_rep_date(date));
    o = ent_rep_put(o, "n", json_integer(g->n));
    o = ent_rep_put(o, "m", json_integer((json_int_t)g->m));
    o = ent_rep_put(o, "positive", json_integer((json_int_t)pos));
    o = ent_rep_put(o, "negative", json_integer((json_int_t)neg));
    o = ent_rep_put(o, "triangles", json_integer(tb.triangles));
    o = ent_rep_put(o, "balanced_triangles", json_integer(tb.balanced));
    o = ent_rep_put(o, "triangle_balance", ent_rep_num(tb.fraction));
    o = ent_rep_put(o, "triangle_balance_weighted", ent_rep_num(tb.weighted));
    o = put_solve(o, "frustration", best, c->time_limit);
    o = ent_rep_put(o, "pieces", json_integer(best->components));
    o = ent_rep_put(o, "largest_piece", json_integer(best->largest));
    o = ent_rep_put(o, "partition", partition_obj(g, best->block.data));
    if (exhaustive) {
        json_t *e = json_object(), *mins = json_array();
        e = ent_rep_put(e, "configurations", json_integer((json_int_t)sr.configs));
        e = ent_rep_put(e, "local_minima", json_integer((json_int_t)sr.nminima));
        e = ent_rep_put(e, "basins", json_boolean(sr.basins));
        for (size_t i = 0; mins && i < sr.minima.len; i++) {
            const ent_local_min_t *lm = &ENT_VEC_AT(&sr.minima, ent_local_min_t, i);
            json_t *b = json_object();
            for (int32_t v = 0; b && v < g->n; v++) {
                b = ent_rep_put(b, g->label[v], json_integer(ent_config_block(lm->config, v)));
            }
            json_t *x = json_object();
            x = ent_rep_put(x, "value", ent_rep_num(lm->value));
            x = ent_rep_put(x, "partition", b);
            x = ent_rep_put(x, "basin", json_integer((json_int_t)lm->basin));
            mins = ent_rep_push(mins, x);
        }
        e = ent_rep_put(e, "minima", mins);
        o = ent_rep_put(o, "exhaustive", e);
    }
    if (k > 0) {
        json_t *b = json_object();
        b = ent_rep_put(b, "k", json_integer(k));
        b = ent_rep_put(b, "alpha", json_real(c->alpha));
        b = ent_rep_put(b, "criterion", ent_rep_num(bm.value));
        b = ent_rep_put(b, "partition", partition_obj(g, bm.block.data));
        o = ent_rep_put(o, "blockmodel", b);
    }
done:
    ent_solve_result_destroy(&sr);
    ent_partition_result_destroy(&bm);
    return rc == ENT_OK ? ent_rep_finish(out, o) : rc;
}

ent_err_t ent_report_balance_world(char **out, const ent_world_t *w, ent_date_t date, const char *origin,
                                   const ent_report_balance_options_t *opts)
{
    *out = NULL;
    ent_signed_t g;
    ent_signed_init(&g);
    ent_err_t rc = ent_blocs_network(&g, NULL, w, date, NULL);
    if (rc == ENT_OK) {
        char d[11], name[32];
        ent_date_format(d, date);
        snprintf(name, sizeof name, "world %s", d);
        rc = ent_report_balance(out, &g, name, origin, date, opts);
    }
    ent_signed_destroy(&g);
    return rc;
}

/* ---------------------------------------------------------------- blocs */

/* Node indices sorted by v, largest first (NaN last; ties: node order). */
typedef struct {
    const double *v;
    size_t i;
} ranked_t;

static int ranked_cmp(const void *x, const void *y)
{
    const ranked_t *a = x, *b = y;
    double va = isnan(a->v[a->i]) ? -INFINITY : a->v[a->i];
    double vb = isnan(b->v[b->i]) ? -INFINITY : b->v[b->i];
    if (va != vb) {
        return va > vb ? -1 : 1;
    }
    return (a->i > b->i) - (a->i < b->i);
}

/* The `top` most central states by v: [{state, value}]. */
static json_t *top_states(const ent_signed_t *g, const double *v, size_t n, size_t top)
{
    ranked_t *r = malloc((n ? n : 1) * sizeof *r);
    if (!r) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        r[i] = (ranked_t){v, i};
    }
    qsort(r, n, sizeof *r, ranked_cmp);
    json_t *a = json_array();
    for (size_t k = 0; a && k < top && k < n; k++) {
        json_t *x = json_object();
        x = ent_rep_put(x, "state", json_string(g->label[r[k].i]));
        x = ent_rep_put(x, "value", ent_rep_num(v[r[k].i]));
        a = ent_rep_push(a, x);
    }
    free(r);
    return a;
}

static void section(const ent_report_blocs_options_t *c, bool enter)
{
    if (c->igraph_section) {
        c->igraph_section(c->ctx, enter);
    }
}

/* The members of block b (labels in node order). */
static json_t *members_of(const ent_signed_t *g, const int32_t *block, int32_t b)
{
    json_t *m = json_array();
    for (int32_t i = 0; m && i < g->n; i++) {
        if (block[i] == b) {
            m = ent_rep_push(m, json_string(g->label[i]));
        }
    }
    return m;
}

ent_err_t ent_report_blocs(char **out, const ent_world_t *w, ent_date_t date, const char *origin,
                           const ent_report_blocs_options_t *opts)
{
    *out = NULL;
    ENT_I_CHECK_OPTIONS(opts, ENT_REPORT_BLOCS_OPTIONS_VERSION);
    ent_report_blocs_options_t def = ENT_REPORT_BLOCS_OPTIONS_INIT;
    const ent_report_blocs_options_t *c = opts ? opts : &def;
    ent_signed_t g;
    ent_signed_init(&g);
    ent_vec_t states = ENT_VEC_INIT(int64_t);
    ent_communities_t cm;
    ent_communities_init(&cm);
    ent_solve_result_t sr;
    ent_solve_result_init(&sr);
    ent_centrality_t ce;
    ent_centrality_init(&ce);
    double *ccap = NULL, *cinc = NULL;
    json_t *o = NULL;
    ent_err_t rc;
    if ((rc = ent_blocs_network(&g, &states, w, date, NULL)) != ENT_OK) {
        goto done;
    }
    size_t n = (size_t)g.n;
    ent_communities_options_t co = ENT_COMMUNITIES_OPTIONS_INIT;
    co.seed = c->seed;
    co.restarts = c->restarts;
    section(c, true);
    rc = ent_blocs_communities(&cm, &g, &co);
    section(c, false);
    if (rc != ENT_OK) {
        goto done;
    }
    /* the solver calls no igraph: other threads' igraph calls go on meanwhile */
    ent_solve_options_t so = ENT_SOLVE_OPTIONS_INIT;
    so.time_limit = c->time_limit;
    so.seed = c->seed;
    so.cancel = c->cancel;
    if ((rc = ent_partition_solve(&sr, &g, &so)) != ENT_OK) {
        goto done;
    }
    section(c, true);
    rc = ent_blocs_centrality(&ce, &g);
    section(c, false);
    if (rc != ENT_OK) {
        goto done;
    }
    /* capability: of each node, of each community, and the total of every state alive on the date */
    int year = ent_date_year(date);
    double total = 0;
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        double x = ent_world_alive(w, i, date) ? ent_world_cinc_near(w, i, year, 10, 0) : NAN;
        total += isnan(x) ? 0 : x;
    }
    ccap = calloc((size_t)cm.count + 1, sizeof *ccap);
    cinc = calloc(n + 1, sizeof *cinc);
    if (!ccap || !cinc) {
        rc = ent_i_nomem();
        goto done;
    }
    const int32_t *mem = cm.membership.data, *camp = sr.best.block.data;
    for (size_t i = 0; i < n; i++) {
        cinc[i] = ent_world_cinc_near(w, (size_t)ENT_VEC_AT(&states, int64_t, i), year, 10, 0);
        ccap[mem[i]] += isnan(cinc[i]) ? 0 : cinc[i];
    }
    size_t pos, neg;
    ent_signed_count(&g, &pos, &neg);
    const ent_partition_result_t *fr = &sr.best;
    ent_blocs_network_options_t wo = ENT_BLOCS_NETWORK_OPTIONS_INIT;
    o = json_object();
    o = ent_rep_put(o, "schema", json_string(ENT_REPORT_BLOCS_SCHEMA));
    o = ent_rep_put(o, "date", ent_rep_date(date));
    o = ent_rep_put(o, "origin", origin ? json_string(origin) : json_null());
    o = ent_rep_put(o, "seed", json_integer((json_int_t)c->seed));
    o = ent_rep_put(o, "restarts", json_integer(c->restarts));
    o = ent_rep_put(o, "nodes", json_integer((json_int_t)n));
    o = ent_rep_put(o, "edges", json_integer((json_int_t)g.m));
    o = ent_rep_put(o, "positive", json_integer((json_int_t)pos));
    o = ent_rep_put(o, "negative", json_integer((json_int_t)neg));
    json_t *wt = json_object();
    wt = ent_rep_put(wt, "defense", json_real(wo.defense));
    wt = ent_rep_put(wt, "pact", json_real(wo.pact));
    wt = ent_rep_put(wt, "nonaggression", json_real(wo.nonaggression));
    wt = ent_rep_put(wt, "partnership_top_tier", json_real(wo.partnership));
    wt = ent_rep_put(wt, "security", json_real(wo.security));
    wt = ent_rep_put(wt, "rivalry_per_intensity", json_real(-wo.rivalry));
    wt = ent_rep_put(wt, "coercion", json_real(-wo.coercion));
    o = ent_rep_put(o, "weights", wt);
    json_t *list = json_array();
    for (int32_t k = 0; list && k < cm.count; k++) {
        json_t *m = members_of(&g, mem, k);
        json_t *x = json_object();
        x = ent_rep_put(x, "community", json_integer(k));
        x = ent_rep_put(x, "size", json_integer(m ? (json_int_t)json_array_size(m) : 0));
        x = ent_rep_put(x, "cinc", ent_rep_num(ccap[k]));
        x = ent_rep_put(x, "share", ent_rep_num(total > 0 ? ccap[k] / total : NAN));
        x = ent_rep_put(x, "members", m);
        list = ent_rep_push(list, x);
    }
    o = ent_rep_put(o, "communities", list);
    o = ent_rep_put(o, "community_count", json_integer(cm.count));
    o = ent_rep_put(o, "modularity", ent_rep_num(cm.modularity));
    o = ent_rep_put(o, "positive_inside", ent_rep_num(cm.pos_inside));
    o = ent_rep_put(o, "negative_between", ent_rep_num(cm.neg_between));
    o = ent_rep_put(o, "community_frustration", ent_rep_num(cm.frustration));
    json_t *camps = json_array();
    camps = ent_rep_push(camps, members_of(&g, camp, 0));
    camps = ent_rep_push(camps, members_of(&g, camp, 1));
    json_t *f = json_object();
    f = put_solve(f, "value", fr, c->time_limit);
    f = ent_rep_put(f, "camps", camps);
    o = ent_rep_put(o, "frustration", f);
    const double *bt = ce.betweenness.data, *ev = ce.eigenvector.data;
    json_t *cen = json_object();
    cen = ent_rep_put(cen, "betweenness", top_states(&g, bt, n, c->top));
    cen = ent_rep_put(cen, "eigenvector", top_states(&g, ev, n, c->top));
    o = ent_rep_put(o, "centrality", cen);
    json_t *cl = json_object();
    cl = ent_rep_put(cl, "transitivity", ent_rep_num(ce.transitivity));
    cl = ent_rep_put(cl, "mean_local", ent_rep_num(ce.mean_clustering));
    o = ent_rep_put(o, "clustering", cl);
    json_t *sts = json_array();
    for (size_t i = 0; sts && i < n; i++) {
        const ent_state_t *s = ent_world_state(w, (size_t)ENT_VEC_AT(&states, int64_t, i));
        json_t *x = json_object();
        x = ent_rep_put(x, "state", json_string(s->abbr));
        x = ent_rep_put(x, "ccode", json_integer(s->ccode));
        x = ent_rep_put(x, "community", json_integer(mem[i]));
        x = ent_rep_put(x, "camp", json_integer(camp[i]));
        x = ent_rep_put(x, "cinc", ent_rep_num(cinc[i]));
        x = ent_rep_put(x, "degree", ent_rep_num(ENT_VEC_AT(&ce.degree, double, i)));
        x = ent_rep_put(x, "strength", ent_rep_num(ENT_VEC_AT(&ce.strength, double, i)));
        x = ent_rep_put(x, "betweenness", ent_rep_num(bt[i]));
        x = ent_rep_put(x, "eigenvector", ent_rep_num(ev[i]));
        x = ent_rep_put(x, "clustering", ent_rep_num(ENT_VEC_AT(&ce.clustering, double, i)));
        sts = ent_rep_push(sts, x);
    }
    o = ent_rep_put(o, "states", sts);
done:
    free(ccap);
    free(cinc);
    ent_centrality_destroy(&ce);
    ent_solve_result_destroy(&sr);
    ent_communities_destroy(&cm);
    ent_vec_destroy(&states);
    ent_signed_destroy(&g);
    if (rc != ENT_OK) {
        json_decref(o);
        return rc;
    }
    return ent_rep_finish(out, o);
}
