/*
 * network.c -- the alliance network as a figure: igraph's Fruchterman-
 * Reingold layout over the ties (pacts pull hardest, then partnerships by
 * tier, then security ties; coercion and rivalry pull weakly), nodes sized by capability and coloured by pact bloc,
 * labels placed greedily where they overlap nothing already placed.
 *
 * igraph's default generator is swapped for a private seeded one around the
 * layout call (as src/measures/blocs.c does), so the same seed draws the same
 * picture. igraph is not thread-safe in Debian's build: call from one thread.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <igraph/igraph.h>

#include "measures/ig_guard.h"
#include "plot_int.h"

#define LABEL_SIZE 10.0

typedef struct {
    double x0, y0, x1, y1;
} box_t;

static double overlap_area(const box_t *a, const box_t *b)
{
    double w = fmin(a->x1, b->x1) - fmax(a->x0, b->x0), h = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
    return w > 0 && h > 0 ? w * h : 0;
}

static uint32_t edge_color(ent_tie_kind_t k)
{
    switch (k) {
    case ENT_TIE_PACT: return 0x222222;
    case ENT_TIE_PARTNERSHIP: return 0x009E73;
    case ENT_TIE_SECURITY: return 0x0072B2;
    case ENT_TIE_COERCION: return 0xE69F00;
    case ENT_TIE_RIVALRY: return 0xCC0000;
    default: return 0x999999;
    }
}

static void edge_style(cairo_t *cr, const ent_plot_edge_t *e)
{
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    switch (e->kind) {
    case ENT_TIE_PACT:
        ent_i_rgb(cr, edge_color(e->kind), 0.85);
        cairo_set_line_width(cr, 2.4);
        break;
    case ENT_TIE_PARTNERSHIP:
        ent_i_rgb(cr, edge_color(e->kind), 0.6);
        cairo_set_line_width(cr, 0.6 + 0.35 * fmax(0, e->level));
        break;
    case ENT_TIE_SECURITY: {
        static const double d[] = {1.5, 3};
        ent_i_rgb(cr, edge_color(e->kind), 0.7);
        cairo_set_line_width(cr, 1.6);
        cairo_set_dash(cr, d, 2, 0);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        break;
    }
    case ENT_TIE_COERCION:
        ent_i_rgb(cr, edge_color(e->kind), 0.9);
        cairo_set_line_width(cr, 1.4);
        break;
    default: {
        static const double d[] = {6, 3};
        ent_i_rgb(cr, edge_color(e->kind), 0.75);
        cairo_set_line_width(cr, 1.4);
        cairo_set_dash(cr, d, 2, 0);
    }
    }
}

static double node_radius(double size, double maxsize)
{
    /* area proportional to capability; the smallest states stay visible */
    if (!(size > 0) || !(maxsize > 0)) {
        return 3;
    }
    return 3 + 24 * sqrt(size / maxsize);
}

/* The layout in [0,1]^2, or an error. */
static ent_err_t layout(double *xy, const ent_plot_network_t *d)
{
    ent_i_ig_guard_t guard; /* silent handlers and a seeded generator (measures/ig_guard.h) */
    ent_i_ig_enter(&guard);
    bool have_g = false;
    igraph_t g;
    igraph_vector_int_t ev;
    igraph_vector_t wt;
    igraph_matrix_t res;
    ent_err_t rc = ENT_OK;
    igraph_error_t e = igraph_vector_int_init(&ev, 0);
    if (e == IGRAPH_SUCCESS && (e = igraph_vector_init(&wt, 0)) != IGRAPH_SUCCESS) {
        igraph_vector_int_destroy(&ev);
    }
    if (e != IGRAPH_SUCCESS) {
        ent_i_ig_leave(&guard);
        return ent_i_nomem();
    }
    if ((e = igraph_matrix_init(&res, (igraph_integer_t)d->nnodes, 2)) != IGRAPH_SUCCESS) {
        goto done;
    }
    for (size_t k = 0; k < d->nedges && e == IGRAPH_SUCCESS; k++) {
        const ent_plot_edge_t *x = &d->edges[k];
        /* hostile ties pull weakly: a state tied only by rivalry or coercion stays in the picture */
        double w = x->kind == ENT_TIE_PACT          ? 4
                   : x->kind == ENT_TIE_PARTNERSHIP ? 0.5 + 0.25 * x->level
                   : x->kind == ENT_TIE_SECURITY    ? 1
                                                    : 0.3;
        if (w <= 0 || x->a == x->b) {
            continue;
        }
        if ((e = igraph_vector_int_push_back(&ev, (igraph_integer_t)x->a)) == IGRAPH_SUCCESS &&
            (e = igraph_vector_int_push_back(&ev, (igraph_integer_t)x->b)) == IGRAPH_SUCCESS) {
            e = igraph_vector_push_back(&wt, w);
        }
    }
    if (e != IGRAPH_SUCCESS) {
        goto done;
    }
    if ((e = igraph_create(&g, &ev, (igraph_integer_t)d->nnodes, IGRAPH_UNDIRECTED)) != IGRAPH_SUCCESS) {
        goto done;
    }
    have_g = true;
    /* a seeded start on a circle, so the picture depends on the seed only */
    ent_rng_t r;
    ent_rng_seed(&r, d->seed, 0x6e6574);
    for (size_t i = 0; i < d->nnodes; i++) {
        double t = 2 * M_PI * (double)i / (double)d->nnodes;
        MATRIX(res, (igraph_integer_t)i, 0) = cos(t) * 10 + ent_rng_uniform(&r);
        MATRIX(res, (igraph_integer_t)i, 1) = sin(t) * 10 + ent_rng_uniform(&r);
    }
    if (ent_i_ig_rng(&guard, d->seed) != ENT_OK) {
        e = IGRAPH_ENOMEM;
        goto done;
    }
    e = igraph_layout_fruchterman_reingold(&g, &res, true, 800, sqrt((double)d->nnodes), IGRAPH_LAYOUT_NOGRID, &wt,
                                           NULL, NULL, NULL, NULL);
    if (e != IGRAPH_SUCCESS) {
        goto done;
    }
    /* normalise to the unit square, keeping the aspect of the layout's spread */
    double mnx = INFINITY, mxx = -INFINITY, mny = INFINITY, mxy = -INFINITY;
    for (size_t i = 0; i < d->nnodes; i++) {
        mnx = fmin(mnx, MATRIX(res, (igraph_integer_t)i, 0));
        mxx = fmax(mxx, MATRIX(res, (igraph_integer_t)i, 0));
        mny = fmin(mny, MATRIX(res, (igraph_integer_t)i, 1));
        mxy = fmax(mxy, MATRIX(res, (igraph_integer_t)i, 1));
    }
    double sx = mxx > mnx ? mxx - mnx : 1, sy = mxy > mny ? mxy - mny : 1;
    for (size_t i = 0; i < d->nnodes; i++) {
        xy[2 * i] = d->nnodes > 1 ? (MATRIX(res, (igraph_integer_t)i, 0) - mnx) / sx : 0.5;
        xy[2 * i + 1] = d->nnodes > 1 ? (MATRIX(res, (igraph_integer_t)i, 1) - mny) / sy : 0.5;
    }
done:
    if (e != IGRAPH_SUCCESS) {
        rc = e == IGRAPH_ENOMEM ? ent_i_nomem()
                                : ent_i_err(ENT_EINVAL, "network layout: igraph: %s", igraph_strerror(e));
    }
    if (have_g) {
        igraph_destroy(&g);
    }
    igraph_matrix_destroy(&res);
    igraph_vector_destroy(&wt);
    igraph_vector_int_destroy(&ev);
    ent_i_ig_leave(&guard);
    return rc;
}

ent_err_t ent_plot_network(ent_figure_t *fig, const ent_plot_network_t *d, const ent_plot_options_t *o)
{
    if (!d || d->nnodes < 1) {
        return ent_i_err(ENT_EINVAL, "network: no node to draw");
    }
    for (size_t k = 0; k < d->nedges; k++) {
        if (d->edges[k].a >= d->nnodes || d->edges[k].b >= d->nnodes) {
            return ent_i_err(ENT_EINVAL, "network: edge %zu joins a node out of range", k);
        }
    }
    double *xy = ent_calloc(2 * d->nnodes, sizeof(double));
    double *rad = ent_calloc(d->nnodes, sizeof(double));
    box_t *placed = ent_calloc(2 * d->nnodes, sizeof(box_t));
    size_t *order = ent_calloc(d->nnodes, sizeof(size_t));
    if (!xy || !rad || !placed || !order) {
        ent_free(xy);
        ent_free(rad);
        ent_free(placed);
        ent_free(order);
        return ent_i_nomem();
    }
    ent_i_canvas_t c = {0};
    ent_err_t rc = layout(xy, d);
    if (rc == ENT_OK) {
        rc = ent_i_canvas_open(&c, fig, o, 1100, 900);
    }
    if (rc != ENT_OK) {
        goto done;
    }
    cairo_t *cr = c.cr;
    /* legend: the edge kinds present, the groups present, the size key */
    ent_i_legend_item_t items[40];
    size_t ni = 0;
    static const ent_tie_kind_t kinds[] = {ENT_TIE_PACT, ENT_TIE_PARTNERSHIP, ENT_TIE_SECURITY, ENT_TIE_COERCION,
                                           ENT_TIE_RIVALRY};
    static const char *kind_names[] = {"defence pact", "partnership (wider = higher tier)",
                                       "security tie (exercise, patrol, arms, basing)",
                                       "coercion (arrow: coercer to target)", "rivalry"};
    for (size_t k = 0; k < 5; k++) {
        for (size_t j = 0; j < d->nedges; j++) {
            if (d->edges[j].kind == kinds[k]) {
                ent_i_key_t key = kinds[k] == ENT_TIE_SECURITY   ? ENT_I_KEY_DOT
                                  : kinds[k] == ENT_TIE_RIVALRY  ? ENT_I_KEY_DASH
                                  : kinds[k] == ENT_TIE_COERCION ? ENT_I_KEY_ARROW
                                                                 : ENT_I_KEY_LINE;
                items[ni++] = (ent_i_legend_item_t){kind_names[k], key, edge_color(kinds[k]), 1,
                                                    kinds[k] == ENT_TIE_PACT ? 2.4 : 1.6};
                break;
            }
        }
    }
    bool ungrouped = false;
    for (size_t i = 0; i < d->nnodes; i++) {
        ungrouped = ungrouped || d->nodes[i].group < 0 || (size_t)d->nodes[i].group >= d->ngroups;
    }
    for (size_t g = 0; g < d->ngroups && ni < 36; g++) {
        items[ni++] = (ent_i_legend_item_t){d->group_names[g], ENT_I_KEY_CIRCLE, ent_i_palette(g), 1, 0};
    }
    if (ungrouped) {
        items[ni++] = (ent_i_legend_item_t){"in none of these blocs", ENT_I_KEY_CIRCLE, 0xdddddd, 1, 0};
    }
    double legw = c.W - 2 * ENT_I_MARGIN;
    double legh = ent_i_legend(&c, ENT_I_MARGIN, 0, legw, items, ni, false);
    const char *sizekey = "Node area is proportional to capability (CINC share of world power).";
    double keyh = ent_i_line_height(11);
    double maxsize = 0;
    for (size_t i = 0; i < d->nnodes; i++) {
        if (d->nodes[i].size > maxsize) {
            maxsize = d->nodes[i].size;
        }
    }
    for (size_t i = 0; i < d->nnodes; i++) {
        rad[i] = node_radius(d->nodes[i].size, maxsize);
    }
    /* the drawing area leaves room for the widest label on each side */
    double labw = 0;
    for (size_t i = 0; i < d->nnodes; i++) {
        labw = fmax(labw, ent_i_text_width(&c, d->nodes[i].label, LABEL_SIZE, false));
    }
    labw = fmin(labw, c.W * 0.2);
    double ax0 = ENT_I_MARGIN + labw * 0.6 + 30, ax1 = c.W - ENT_I_MARGIN - labw * 0.6 - 30;
    double ay0 = c.top + 30, ay1 = c.bottom - legh - keyh - 16 - 30;
    if (ay1 - ay0 < 100 || ax1 - ax0 < 100) {
        rc = ent_i_err(ENT_EINVAL, "network: a %gx%g figure is too small for %zu nodes", c.W, c.H, d->nnodes);
        goto done;
    }
    fig->area[0] = ax0 - 30;
    fig->area[1] = ay0 - 30;
    fig->area[2] = ax1 + 30;
    fig->area[3] = ay1 + 30;
    for (size_t i = 0; i < d->nnodes; i++) {
        xy[2 * i] = ax0 + xy[2 * i] * (ax1 - ax0);
        xy[2 * i + 1] = ay0 + xy[2 * i + 1] * (ay1 - ay0);
    }
    /* edges: hostile ones first, so the friendly structure reads on top */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < d->nedges; k++) {
            const ent_plot_edge_t *e = &d->edges[k];
            bool hostile = e->kind == ENT_TIE_RIVALRY || e->kind == ENT_TIE_COERCION;
            if (hostile != (pass == 0) || e->a == e->b) {
                continue;
            }
            double x0 = xy[2 * e->a], y0 = xy[2 * e->a + 1], x1 = xy[2 * e->b], y1 = xy[2 * e->b + 1];
            double len = hypot(x1 - x0, y1 - y0);
            if (len < 1e-6) {
                continue;
            }
            edge_style(cr, e);
            /* stop at the node's rim so arrowheads stay visible */
            double ux = (x1 - x0) / len, uy = (y1 - y0) / len;
            double ex = x1 - ux * rad[e->b], ey = y1 - uy * rad[e->b];
            cairo_move_to(cr, x0 + ux * rad[e->a], y0 + uy * rad[e->a]);
            cairo_line_to(cr, ex, ey);
            ent_i_stroke(&c);
            if (e->directed && e->kind == ENT_TIE_COERCION) {
                cairo_set_dash(cr, NULL, 0, 0);
                cairo_move_to(cr, ex, ey);
                cairo_line_to(cr, ex - ux * 9 - uy * 4.5, ey - uy * 9 + ux * 4.5);
                cairo_line_to(cr, ex - ux * 9 + uy * 4.5, ey - uy * 9 - ux * 4.5);
                cairo_close_path(cr);
                ent_i_fill(&c);
            }
        }
    }
    cairo_set_dash(cr, NULL, 0, 0);
    /* nodes, largest first so small ones stay visible on top */
    for (size_t i = 0; i < d->nnodes; i++) {
        order[i] = i;
    }
    for (size_t i = 1; i < d->nnodes; i++) {
        for (size_t j = i; j > 0 && rad[order[j]] > rad[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    }
    for (size_t k = 0; k < d->nnodes; k++) {
        size_t i = order[k];
        int g = d->nodes[i].group;
        uint32_t col = g >= 0 && (size_t)g < d->ngroups ? ent_i_palette((size_t)g) : 0xdddddd;
        cairo_arc(cr, xy[2 * i], xy[2 * i + 1], rad[i], 0, 2 * M_PI);
        ent_i_rgb(cr, col, 0.92);
        ent_i_fill_preserve(&c);
        ent_i_rgb(cr, 0x333333, 1);
        cairo_set_line_width(cr, 0.8);
        ent_i_stroke(&c);
    }
    /* labels, largest nodes first: the first of eight positions around the node that overlaps no placed label */
    size_t np = 0;
    double lh = ent_i_line_height(LABEL_SIZE);
    for (size_t k = 0; k < d->nnodes; k++) {
        size_t i = order[k];
        double w = ent_i_text_width(&c, d->nodes[i].label, LABEL_SIZE, false), r = rad[i] + 2;
        double x = xy[2 * i], y = xy[2 * i + 1];
        box_t cand[8] = {
            {x + r, y - lh / 2, x + r + w, y + lh / 2},
            {x - r - w, y - lh / 2, x - r, y + lh / 2},
            {x - w / 2, y + r, x + w / 2, y + r + lh},
            {x - w / 2, y - r - lh, x + w / 2, y - r},
            {x + r * 0.7, y + r * 0.7, x + r * 0.7 + w, y + r * 0.7 + lh},
            {x - r * 0.7 - w, y + r * 0.7, x - r * 0.7, y + r * 0.7 + lh},
            {x + r * 0.7, y - r * 0.7 - lh, x + r * 0.7 + w, y - r * 0.7},
            {x - r * 0.7 - w, y - r * 0.7 - lh, x - r * 0.7, y - r * 0.7},
        };
        size_t best = 0;
        double best_cost = INFINITY;
        for (size_t p = 0; p < 8; p++) {
            double cost = 0;
            if (cand[p].x0 < ENT_I_MARGIN || cand[p].x1 > c.W - ENT_I_MARGIN || cand[p].y0 < c.top ||
                cand[p].y1 > ay1 + 30) {
                cost += 1e9;
            }
            for (size_t q = 0; q < np; q++) {
                cost += overlap_area(&cand[p], &placed[q]) * 10;
            }
            /* other nodes under the label */
            for (size_t j = 0; j < d->nnodes; j++) {
                if (j != i) {
                    box_t nb = {xy[2 * j] - rad[j], xy[2 * j + 1] - rad[j], xy[2 * j] + rad[j], xy[2 * j + 1] + rad[j]};
                    cost += overlap_area(&cand[p], &nb);
                }
            }
            cost += (double)p * 0.5; /* prefer the earlier positions on ties */
            if (cost < best_cost) {
                best_cost = cost;
                best = p;
            }
        }
        /* a white halo keeps the label legible over edges */
        cairo_rectangle(cr, cand[best].x0 - 1, cand[best].y0 + 1, cand[best].x1 - cand[best].x0 + 2,
                        cand[best].y1 - cand[best].y0 - 2);
        ent_i_rgb(cr, 0xffffff, 0.75);
        ent_i_fill(&c);
        ent_i_text(&c, cand[best].x0, cand[best].y0, d->nodes[i].label, LABEL_SIZE, rad[i] > 12, 0, 0,
                   ENT_PLOT_TEXT_LABEL, 0x111111);
        placed[np++] = cand[best];
    }
    ent_i_text(&c, ENT_I_MARGIN, c.bottom - legh - keyh - 4, sizekey, 11, false, 0, 0, ENT_PLOT_TEXT_LEGEND, 0x333333);
    ent_i_legend(&c, ENT_I_MARGIN, c.bottom - legh, legw, items, ni, true);
    rc = ent_i_canvas_close(&c);
done:
    if (c.surf) {
        ent_i_canvas_close(&c);
    }
    ent_free(xy);
    ent_free(rad);
    ent_free(placed);
    ent_free(order);
    return rc;
}
