/*
 * engine.c -- figures gathered from the engine: an ensemble's series as fan
 * charts and its per-state alignment probabilities, a world's network on a
 * date and a state's pyramid. Each builds the plain data of charts.c or
 * network.c (names in full, units in the axis titles) and draws it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente/blocs.h"
#include "entente/system.h"
#include "plot_int.h"

#define POLE0_COLOR 0x0072B2
#define POLE1_COLOR 0xD55E00

static const char *pole_name(const ent_world_t *w, const ent_model_t *m, int p)
{
    return ent_world_state(w, (size_t)ent_model_state(m, ent_model_pole_state(m, p)))->name;
}

/* The unit of a series: series of different units are not drawn on one axis. */
static int series_unit(ent_series_t s, const char **ylabel, bool *integer)
{
    switch (s) {
    case ENT_SERIES_PACTS0:
    case ENT_SERIES_PACTS1:
        *ylabel = "defence pacts held (count)";
        *integer = true;
        return 1;
    case ENT_SERIES_BLOC0:
    case ENT_SERIES_BLOC1:
    case ENT_SERIES_BIPOLARITY:
        *ylabel = "share of world capability (CINC, 0-1)";
        *integer = false;
        return 2;
    case ENT_SERIES_POLARIZATION:
        *ylabel = "Esteban-Ray polarization (0-1)";
        *integer = false;
        return 3;
    case ENT_SERIES_HEDGERS:
    case ENT_SERIES_FINLAND0:
    case ENT_SERIES_FINLAND1:
        *ylabel = "states (count)";
        *integer = true;
        return 4;
    case ENT_SERIES_NORM0:
    case ENT_SERIES_NORM1:
        *ylabel = "alliance-aversion norm (0-1)";
        *integer = false;
        return 5;
    case ENT_SERIES_FRUSTRATION:
        *ylabel = "unbalanced ties (count)";
        *integer = true;
        return 6;
    default: return 0;
    }
}

static void series_label(char *buf, size_t n, ent_series_t s, const ent_world_t *w, const ent_model_t *m,
                         uint32_t *color)
{
    int p = (s == ENT_SERIES_PACTS1 || s == ENT_SERIES_BLOC1 || s == ENT_SERIES_FINLAND1 || s == ENT_SERIES_NORM1);
    *color = p ? POLE1_COLOR : POLE0_COLOR;
    switch (s) {
    case ENT_SERIES_PACTS0:
    case ENT_SERIES_PACTS1: snprintf(buf, n, "defence pacts held by %s", pole_name(w, m, p)); break;
    case ENT_SERIES_BLOC0:
    case ENT_SERIES_BLOC1: snprintf(buf, n, "capability share of %s and its aligned states", pole_name(w, m, p)); break;
    case ENT_SERIES_FINLAND0:
    case ENT_SERIES_FINLAND1: snprintf(buf, n, "states Finlandized toward %s", pole_name(w, m, p)); break;
    case ENT_SERIES_NORM0:
    case ENT_SERIES_NORM1: snprintf(buf, n, "%s's alliance-aversion norm", pole_name(w, m, p)); break;
    case ENT_SERIES_BIPOLARITY:
        snprintf(buf, n, "bipolarity (both blocs' capability share)");
        *color = 0x009E73;
        break;
    case ENT_SERIES_POLARIZATION:
        snprintf(buf, n, "polarization of the two blocs");
        *color = 0x009E73;
        break;
    case ENT_SERIES_HEDGERS:
        snprintf(buf, n, "hedging states (aligned with neither pole)");
        *color = 0x555555;
        break;
    case ENT_SERIES_FRUSTRATION:
        snprintf(buf, n, "unbalanced ties of the signed network");
        *color = 0x555555;
        break;
    default: snprintf(buf, n, "%s", ent_series_name(s));
    }
}

ent_err_t ent_plot_ensemble_fan(ent_figure_t *fig, const ent_ensemble_t *e, const ent_model_t *m, const ent_world_t *w,
                                const ent_scenario_t *s, const ent_series_t *series, size_t nseries,
                                const ent_plot_options_t *o)
{
    if (nseries < 1 || nseries > 8) {
        return ent_i_err(ENT_EINVAL, "fan chart: 1 to 8 series");
    }
    if (ent_ensemble_runs(e) < 1) {
        return ent_i_err(ENT_EINVAL, "fan chart: the ensemble holds no completed run");
    }
    const char *ylabel = NULL;
    bool integer = false;
    int unit = 0;
    for (size_t k = 0; k < nseries; k++) {
        const char *yl;
        bool in;
        int u = series_unit(series[k], &yl, &in);
        if (!u) {
            return ent_i_err(ENT_EINVAL, "fan chart: unknown series %d", (int)series[k]);
        }
        if (unit && u != unit) {
            return ent_i_err(ENT_EINVAL, "fan chart: '%s' and '%s' have different units; draw them apart",
                             ent_series_name(series[0]), ent_series_name(series[k]));
        }
        unit = u;
        ylabel = yl;
        integer = in;
    }
    size_t ny = (size_t)s->years + 1;
    double *vals = ent_calloc(nseries * ny * 5, sizeof(double));
    char(*labels)[160] = ent_calloc(nseries, sizeof *labels);
    ent_plot_band_t *bands = ent_calloc(nseries, sizeof *bands);
    ent_err_t rc = ENT_OK;
    if (!vals || !labels || !bands) {
        rc = ent_i_nomem();
        goto done;
    }
    static const double qs[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
    for (size_t k = 0; k < nseries; k++) {
        double *q[5];
        for (int j = 0; j < 5; j++) {
            q[j] = vals + (k * 5 + (size_t)j) * ny;
            for (size_t y = 0; y < ny; y++) {
                q[j][y] = ent_ensemble_quantile(e, series[k], s->start_year + (int)y, qs[j]);
            }
        }
        series_label(labels[k], sizeof labels[k], series[k], w, m, &bands[k].color);
        bands[k].label = labels[k];
        bands[k].q05 = q[0];
        bands[k].q25 = q[1];
        bands[k].q50 = q[2];
        bands[k].q75 = q[3];
        bands[k].q95 = q[4];
    }
    ent_plot_fan_t d = {s->start_year, ny, bands, nseries, "year", ylabel, NAN, NAN, integer};
    if (unit == 2 || unit == 3 || unit == 5) {
        d.ymin = 0;
    }
    rc = ent_plot_fan(fig, &d, o);
done:
    ent_free(vals);
    ent_free(labels);
    ent_free(bands);
    return rc;
}

typedef struct {
    size_t i;
    double p[5];
    double key;
} arow_t;

static int by_key_desc(const void *a, const void *b)
{
    double x = ((const arow_t *)a)->key, y = ((const arow_t *)b)->key;
    if (x != y) {
        return x > y ? -1 : 1;
    }
    size_t i = ((const arow_t *)a)->i, j = ((const arow_t *)b)->i;
    return i < j ? -1 : i > j;
}

ent_err_t ent_plot_ensemble_alignment(ent_figure_t *fig, const ent_ensemble_t *e, const ent_model_t *m,
                                      const ent_world_t *w, const ent_scenario_t *s, int year, size_t top,
                                      const ent_plot_options_t *o)
{
    if (year < s->start_year || year > s->start_year + s->years) {
        return ent_i_err(ENT_ERANGE, "alignment: year %d is outside the scenario's %d-%d", year, s->start_year,
                         s->start_year + s->years);
    }
    if (ent_ensemble_runs(e) < 1) {
        return ent_i_err(ENT_EINVAL, "alignment: the ensemble holds no completed run");
    }
    if (ent_model_npoles(m) != 2) {
        /* the figure sets two poles' sides around the uncommitted */
        return ent_i_err(ENT_EINVAL, "alignment: the figure shows two poles; this scenario has %d",
                         ent_model_npoles(m));
    }
    size_t n = ent_model_nstates(m);
    if (top < 1) {
        top = 30;
    }
    arow_t *rows = ent_calloc(n, sizeof *rows);
    double *vals = NULL;
    const char **names = NULL;
    ent_err_t rc = ENT_OK;
    if (!rows) {
        return ent_i_nomem();
    }
    /* order of the bar segments: one pole's side, hedging in the middle, the other's */
    static const ent_align_t order[5] = {ENT_ALIGN_POLE0, ENT_ALIGN_FINLAND0, ENT_ALIGN_HEDGE, ENT_ALIGN_FINLAND1,
                                         ENT_ALIGN_POLE1};
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == ent_model_pole_state(m, 0) || i == ent_model_pole_state(m, 1)) {
            continue;
        }
        arow_t r = {.i = i};
        double mx = 0;
        for (int k = 0; k < 5; k++) {
            r.p[k] = ent_ensemble_p_align(e, i, order[k], year).p;
            mx = fmax(mx, r.p[k]);
        }
        r.key = 1 - mx; /* least certain first */
        rows[nr++] = r;
    }
    qsort(rows, nr, sizeof *rows, by_key_desc);
    if (top > nr) {
        top = nr;
    }
    /* then from the first pole's side to the second's */
    for (size_t k = 0; k < top; k++) {
        rows[k].key = (rows[k].p[0] + rows[k].p[1]) - (rows[k].p[3] + rows[k].p[4]);
    }
    qsort(rows, top, sizeof *rows, by_key_desc);
    vals = ent_calloc(top * 5, sizeof(double));
    names = ent_calloc(top, sizeof(char *));
    if (!vals || !names) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k < top; k++) {
        names[k] = ent_world_state(w, (size_t)ent_model_state(m, rows[k].i))->name;
        double sum = 0;
        for (int j = 0; j < 5; j++) {
            sum += rows[k].p[j];
        }
        for (int j = 0; j < 5; j++) {
            /* probabilities from counts sum to 1 up to rounding */
            vals[k * 5 + (size_t)j] = sum > 1 ? rows[k].p[j] / sum : rows[k].p[j];
        }
    }
    char l0[96], l1[96], l2[96], l3[96];
    snprintf(l0, sizeof l0, "aligned with %s", pole_name(w, m, 0));
    snprintf(l1, sizeof l1, "Finlandized toward %s", pole_name(w, m, 0));
    snprintf(l2, sizeof l2, "Finlandized toward %s", pole_name(w, m, 1));
    snprintf(l3, sizeof l3, "aligned with %s", pole_name(w, m, 1));
    ent_plot_category_t cats[5] = {
        {l0, POLE0_COLOR}, {l1, 0x9CC9E6},    {"hedging (aligned with neither)", 0xC8C8C8},
        {l2, 0xF2B48C},    {l3, POLE1_COLOR},
    };
    char xl[96];
    snprintf(xl, sizeof xl, "probability in %d (share of runs)", year);
    ent_plot_bars_t d = {top, 5, names, vals, cats, xl};
    rc = ent_plot_bars(fig, &d, o);
done:
    ent_free(rows);
    ent_free(vals);
    ent_free((void *)names);
    return rc;
}

ent_err_t ent_plot_ensemble_map(ent_figure_t *fig, const ent_ensemble_t *e, const ent_model_t *m, const ent_world_t *w,
                                const ent_scenario_t *s, int year, const ent_plot_options_t *o)
{
    if (year < s->start_year || year > s->start_year + s->years) {
        return ent_i_err(ENT_ERANGE, "map: year %d is outside the scenario's %d-%d", year, s->start_year,
                         s->start_year + s->years);
    }
    if (ent_ensemble_runs(e) < 1) {
        return ent_i_err(ENT_EINVAL, "map: the ensemble holds no completed run");
    }
    if (ent_model_npoles(m) != 2) {
        /* the figure sets two poles' sides around the uncommitted */
        return ent_i_err(ENT_EINVAL, "map: the figure shows two poles; this scenario has %d", ent_model_npoles(m));
    }
    size_t n = ent_model_nstates(m);
    ent_plot_region_t *reg = ent_calloc(n, sizeof *reg);
    if (!reg) {
        return ent_i_nomem();
    }
    static const ent_align_t order[5] = {ENT_ALIGN_POLE0, ENT_ALIGN_FINLAND0, ENT_ALIGN_HEDGE, ENT_ALIGN_FINLAND1,
                                         ENT_ALIGN_POLE1};
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(m, i));
        if (!st->iso3[0]) {
            continue;
        }
        ent_plot_region_t r = {st->iso3, 2, 0};
        if (i == ent_model_pole_state(m, 0) || i == ent_model_pole_state(m, 1)) {
            r.category = i == ent_model_pole_state(m, 0) ? 0 : 4;
            r.strength = 1;
        } else {
            for (int k = 0; k < 5; k++) {
                double p = ent_ensemble_p_align(e, i, order[k], year).p;
                if (p > r.strength) {
                    r.strength = p;
                    r.category = k;
                }
            }
        }
        reg[nr++] = r;
    }
    char l0[96], l1[96], l2[96], l3[96];
    snprintf(l0, sizeof l0, "aligned with %s", pole_name(w, m, 0));
    snprintf(l1, sizeof l1, "Finlandized toward %s", pole_name(w, m, 0));
    snprintf(l2, sizeof l2, "Finlandized toward %s", pole_name(w, m, 1));
    snprintf(l3, sizeof l3, "aligned with %s", pole_name(w, m, 1));
    ent_plot_category_t cats[5] = {
        /* the Finlandized get hues of their own: paleness already encodes a lower probability */
        {l0, POLE0_COLOR}, {l1, 0x009E73},    {"hedging (aligned with neither)", 0x8C8C8C},
        {l2, 0xE69F00},    {l3, POLE1_COLOR},
    };
    char note[160];
    snprintf(note, sizeof note,
             "Each state in its most likely alignment in %d; the paler, the less likely (full colour: every run).",
             year);
    ent_plot_map_t d = {reg, nr, cats, 5, note};
    ent_err_t rc = ent_plot_map(fig, &d, o);
    ent_free(reg);
    return rc;
}

/* ------------------------------------------------------------ network */

typedef struct {
    size_t a, b; /* world indices, a < b unless directed */
    ent_tie_kind_t kind;
    double level;
    bool directed;
} wedge_t;

static int wedge_cmp(const void *x, const void *y)
{
    const wedge_t *p = x, *q = y;
    if (p->kind != q->kind) {
        return p->kind < q->kind ? -1 : 1;
    }
    if (p->a != q->a) {
        return p->a < q->a ? -1 : 1;
    }
    if (p->b != q->b) {
        return p->b < q->b ? -1 : 1;
    }
    return p->level > q->level ? -1 : p->level < q->level;
}

typedef struct {
    size_t i;
    double cinc;
} wnode_t;

static int wnode_cmp(const void *x, const void *y)
{
    const wnode_t *p = x, *q = y;
    double a = isnan(p->cinc) ? -1 : p->cinc, b = isnan(q->cinc) ? -1 : q->cinc;
    if (a != b) {
        return a > b ? -1 : 1;
    }
    return p->i < q->i ? -1 : p->i > q->i;
}

/*
 * bloc[i]: state i's bloc as `entente blocs` finds it (signed communities of
 * the network of pacts, partnerships, security ties, rivalries and coercion),
 * -1 for a state in none or alone in its community. Pact components would not
 * do: on most dates one chain of defence pacts joins nearly every aligned state.
 */
static ent_err_t signed_blocs(int64_t *bloc, const ent_world_t *w, ent_date_t date, uint64_t seed)
{
    size_t n = ent_world_nstates(w);
    for (size_t i = 0; i < n; i++) {
        bloc[i] = -1;
    }
    ent_signed_t g;
    ent_vec_t states;
    ent_communities_t cm;
    ent_signed_init(&g);
    ent_vec_init(&states, sizeof(int64_t));
    ent_communities_init(&cm);
    ent_communities_options_t co = ENT_COMMUNITIES_OPTIONS_INIT;
    co.seed = seed;
    ent_err_t rc = ent_blocs_network(&g, &states, w, date, NULL);
    if (rc == ENT_ERANGE) {
        rc = ENT_OK; /* no signed tie on the date: no blocs */
        goto done;
    }
    if (rc != ENT_OK || (rc = ent_blocs_communities(&cm, &g, &co)) != ENT_OK) {
        goto done;
    }
    int32_t *size = ent_calloc((size_t)cm.count + 1, sizeof *size);
    if (!size) {
        rc = ent_i_nomem();
        goto done;
    }
    for (size_t k = 0; k < states.len; k++) {
        size[ENT_VEC_AT(&cm.membership, int32_t, k)]++;
    }
    for (size_t k = 0; k < states.len; k++) {
        int32_t c = ENT_VEC_AT(&cm.membership, int32_t, k);
        if (size[c] >= 2) {
            bloc[ENT_VEC_AT(&states, int64_t, k)] = c;
        }
    }
    ent_free(size);
done:
    ent_communities_destroy(&cm);
    ent_vec_destroy(&states);
    ent_signed_destroy(&g);
    return rc;
}

ent_err_t ent_plot_world_network(ent_figure_t *fig, const ent_world_t *w, ent_date_t date,
                                 const ent_plot_network_options_t *no_, const ent_plot_options_t *o)
{
    ent_plot_network_options_t no = no_ ? *no_ : (ent_plot_network_options_t)ENT_PLOT_NETWORK_OPTIONS_INIT;
    bool any = false;
    for (int k = 0; k < 8; k++) {
        any = any || no.kinds[k];
    }
    if (!any) {
        no.kinds[ENT_TIE_PACT] = no.kinds[ENT_TIE_PARTNERSHIP] = no.kinds[ENT_TIE_SECURITY] = true;
        no.kinds[ENT_TIE_COERCION] = no.kinds[ENT_TIE_RIVALRY] = true;
    }
    size_t n = ent_world_nstates(w);
    if (no.focus >= (int64_t)n) {
        return ent_i_err(ENT_EINVAL, "network: focus state %lld out of range", (long long)no.focus);
    }
    int year = ent_date_year(date);
    int64_t *bloc = ent_calloc(n, sizeof *bloc);
    wedge_t *edges = ent_calloc(ent_world_nties(w) + 1, sizeof *edges);
    wnode_t *nodes = ent_calloc(n, sizeof *nodes);
    size_t *map = ent_calloc(n, sizeof *map);
    ent_plot_node_t *pn = ent_calloc(n, sizeof *pn);
    ent_plot_edge_t *pe = ent_calloc(ent_world_nties(w) + 1, sizeof *pe);
    char(*gnames)[160] = ent_calloc(8, sizeof *gnames);
    const char *gptr[8];
    ent_err_t rc = ENT_OK;
    if (!bloc || !edges || !nodes || !map || !pn || !pe || !gnames) {
        rc = ent_i_nomem();
        goto done;
    }
    if ((rc = signed_blocs(bloc, w, date, no.seed)) != ENT_OK) {
        goto done;
    }
    size_t ne = 0;
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (t->kind < 1 || t->kind > 7 || !no.kinds[t->kind] || !ent_tie_active(t, date)) {
            continue;
        }
        if (t->kind == ENT_TIE_PACT && !(t->obligations & ENT_OBL_DEFENSE)) {
            continue; /* a "defence pact" edge means a defence obligation */
        }
        if (!ent_world_alive(w, (size_t)t->a, date) || !ent_world_alive(w, (size_t)t->b, date) || t->a == t->b) {
            continue;
        }
        if (no.focus >= 0 && t->a != no.focus && t->b != no.focus) {
            continue;
        }
        bool directed = t->kind == ENT_TIE_COERCION && t->directed;
        size_t a = (size_t)t->a, b = (size_t)t->b;
        if (!directed && a > b) {
            size_t x = a;
            a = b;
            b = x;
        }
        edges[ne++] = (wedge_t){a, b, t->kind, t->level, directed};
    }
    /* one edge per pair and kind (ATOP lists a dyad once per pact), the highest level kept */
    qsort(edges, ne, sizeof *edges, wedge_cmp);
    size_t m = 0;
    for (size_t k = 0; k < ne; k++) {
        if (m && edges[m - 1].kind == edges[k].kind && edges[m - 1].a == edges[k].a && edges[m - 1].b == edges[k].b) {
            continue;
        }
        edges[m++] = edges[k];
    }
    ne = m;
    /* the nodes: states with a drawn tie, the most capable `top` of them */
    bool *has = (bool *)map; /* reuse: cleared below */
    memset(has, 0, n * sizeof *map);
    for (size_t k = 0; k < ne; k++) {
        has[edges[k].a] = has[edges[k].b] = true;
    }
    size_t nn = 0;
    for (size_t i = 0; i < n; i++) {
        if (has[i] || (int64_t)i == no.focus) {
            nodes[nn++] = (wnode_t){i, ent_world_cinc_near(w, i, year, 10, 0)};
        }
    }
    if (nn == 0) {
        rc = ent_i_err(ENT_ENOTFOUND, "network: no tie of the chosen kinds is in force on %d-%02d-%02d", year,
                       (int)(date / 100 % 100), (int)(date % 100));
        goto done;
    }
    qsort(nodes, nn, sizeof *nodes, wnode_cmp);
    if (no.top > 0 && nn > no.top) {
        /* keep the focus state whatever its rank */
        for (size_t k = no.top; k < nn; k++) {
            if ((int64_t)nodes[k].i == no.focus) {
                nodes[no.top - 1] = nodes[k];
            }
        }
        nn = no.top;
    }
    const size_t NONE = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        map[i] = NONE;
    }
    for (size_t k = 0; k < nn; k++) {
        map[nodes[k].i] = k;
    }
    /* groups: pact blocs among the drawn nodes, biggest first, each named after its most capable member */
    int64_t gb[6];
    size_t ng = 0;
    for (size_t k = 0; k < nn; k++) {
        int64_t b = bloc[nodes[k].i];
        int g = -1;
        if (b >= 0) {
            for (size_t j = 0; j < ng; j++) {
                if (gb[j] == b) {
                    g = (int)j;
                }
            }
            if (g < 0 && ng < 6) {
                gb[ng] = b;
                g = (int)ng;
                /* nodes are sorted by capability: the bloc is named by its three most capable drawn members */
                size_t members = 0, len = 0;
                for (size_t j = k; j < nn; j++) {
                    if (bloc[nodes[j].i] != b) {
                        continue;
                    }
                    if (members < 3) {
                        int r = snprintf(gnames[ng] + len, sizeof gnames[ng] - len, "%s%s", members ? ", " : "bloc of ",
                                         ent_world_state(w, nodes[j].i)->name);
                        len = r > 0 && (size_t)r < sizeof gnames[ng] - len ? len + (size_t)r : sizeof gnames[ng] - 1;
                    }
                    members++;
                }
                if (members > 3 && len + 16 < sizeof gnames[ng]) {
                    snprintf(gnames[ng] + len, sizeof gnames[ng] - len, " +%zu", members - 3);
                }
                gptr[ng] = gnames[ng];
                ng++;
            }
        }
        pn[k] = (ent_plot_node_t){ent_world_state(w, nodes[k].i)->name, nodes[k].cinc, g};
    }
    size_t pm = 0;
    for (size_t k = 0; k < ne; k++) {
        if (map[edges[k].a] == NONE || map[edges[k].b] == NONE) {
            continue;
        }
        pe[pm++] =
            (ent_plot_edge_t){map[edges[k].a], map[edges[k].b], edges[k].kind, edges[k].level, edges[k].directed};
    }
    ent_plot_network_t d = {pn, nn, pe, pm, gptr, ng, no.seed};
    rc = ent_plot_network(fig, &d, o);
done:
    ent_free(bloc);
    ent_free(edges);
    ent_free(nodes);
    ent_free(map);
    ent_free(pn);
    ent_free(pe);
    ent_free(gnames);
    return rc;
}

/* ------------------------------------------------------------ pyramid */

ent_err_t ent_plot_world_pyramid(ent_figure_t *fig, const ent_world_t *w, int64_t state, ent_date_t date,
                                 const ent_plot_options_t *o)
{
    ent_pyramid_t p;
    ent_pyramid_init(&p);
    ent_err_t rc = ent_pyramid_build(&p, w, state, date);
    int maxt = ent_world_max_tier(w);
    size_t cap = (size_t)maxt + 3;
    ent_plot_layer_t *layers = ent_calloc(cap, sizeof *layers);
    const char **names = ent_calloc(p.allies.len + p.other_pacts.len + p.partnerships.len + 1, sizeof(char *));
    char(*labels)[128] = ent_calloc(cap, sizeof *labels);
    char(*notes)[256] = ent_calloc(cap, sizeof *notes);
    if (rc == ENT_OK && (!layers || !names || !labels || !notes)) {
        rc = ent_i_nomem();
    }
    if (rc != ENT_OK) {
        goto done;
    }
    size_t nl = 0, nn = 0;
    layers[nl] = (ent_plot_layer_t){"Formal allies (defence pacts)", NULL, names + nn, 0, 0};
    for (size_t k = 0; k < p.allies.len; k++) {
        const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(&p.allies, size_t, k));
        const char *nm = ent_world_state(w, (size_t)ent_tie_other(t, state))->name;
        bool dup = false;
        for (size_t j = 0; j < layers[nl].nnames; j++) {
            dup = dup || strcmp(layers[nl].names[j], nm) == 0;
        }
        if (!dup) {
            names[nn++] = nm;
            layers[nl].nnames++;
        }
        if (k == 0 && t->moniker && *t->moniker) {
            snprintf(notes[nl], sizeof notes[nl], "%s", t->moniker);
            layers[nl].note = notes[nl];
        }
    }
    layers[nl].color = 0x7F1D1D;
    nl++;
    /* pacts without a defence obligation are not a layer: the essay's pyramid is allies, then tiers */
    for (int tier = maxt; tier >= 1; tier--) {
        size_t start = nn;
        ent_buf_t mon = ENT_BUF_INIT;
        size_t nmon = 0;
        for (size_t k = 0; k < p.partnerships.len; k++) {
            const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(&p.partnerships, size_t, k));
            /* the state's own ladder: the ties where it is the pole */
            if (t->a != state || (int)t->level != tier) {
                continue;
            }
            names[nn++] = ent_world_state(w, (size_t)t->b)->name;
            /* the distinct official monikers of the tier, as the essay labels the layers */
            if (t->moniker && *t->moniker && nmon < 3 && (!mon.len || !strstr(ent_buf_cstr(&mon), t->moniker))) {
                ent_buf_printf(&mon, "%s'%s'", nmon ? ", " : "", t->moniker);
                nmon++;
            }
        }
        if (nn > start) {
            const char *tl = ent_world_tier_label(w, tier);
            snprintf(labels[nl], sizeof labels[nl], "Tier %d: %s", tier, tl && *tl ? tl : "partnership");
            snprintf(notes[nl], sizeof notes[nl], "%s", mon.len ? ent_buf_cstr(&mon) : "");
            layers[nl] = (ent_plot_layer_t){labels[nl], notes[nl], names + start, nn - start, 0};
            nl++;
        }
        ent_buf_destroy(&mon);
    }
    /* shades of one hue, darkest at the top; formal allies keep the darkest */
    for (size_t k = 1; k < nl; k++) {
        double t = 0.15 + 0.7 * (double)(k - 1) / (double)(nl > 2 ? nl - 2 : 1);
        layers[k].color = ent_i_lighten(0xB03A2E, t);
    }
    ent_plot_pyramid_t d = {layers, nl};
    rc = ent_plot_pyramid(fig, &d, o);
done:
    ent_pyramid_destroy(&p);
    ent_free(layers);
    ent_free((void *)names);
    ent_free(labels);
    ent_free(notes);
    return rc;
}
