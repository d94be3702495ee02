/*
 * charts.c -- the figure kinds drawn from plain data: fan charts of quantile
 * bands, stacked panels of series over years, stacked probability bars and a
 * state's pyramid of ties. Each lays out its canvas from the outside in
 * (title, caption, legend, axis labels), then draws the data clipped to the
 * plot area, so nothing spills over the text around it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_int.h"

#define TICK_SIZE 11.0

static bool finite_or_nan(double v)
{
    return isfinite(v) || isnan(v);
}

/* ------------------------------------------------------------ fan chart */

ent_err_t ent_plot_fan(ent_figure_t *fig, const ent_plot_fan_t *d, const ent_plot_options_t *o)
{
    if (!d || d->nyears < 2 || d->nseries < 1 || !d->series) {
        return ent_i_err(ENT_EINVAL, "fan chart: need at least one series over at least two years");
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t s = 0; s < d->nseries; s++) {
        const ent_plot_band_t *b = &d->series[s];
        if (!b->q05 || !b->q50 || !b->q95) {
            return ent_i_err(ENT_EINVAL, "fan chart: series %zu lacks its 5%%, 50%% or 95%% quantiles", s);
        }
        for (size_t y = 0; y < d->nyears; y++) {
            if (!isfinite(b->q05[y]) || !isfinite(b->q50[y]) || !isfinite(b->q95[y])) {
                return ent_i_err(ENT_EINVAL, "fan chart: series '%s', year %zu: a quantile is not finite",
                                 b->label ? b->label : "?", y);
            }
            lo = fmin(lo, b->q05[y]);
            hi = fmax(hi, b->q95[y]);
        }
    }
    if (lo >= 0) {
        lo = 0;
    }
    /* headroom, so a median on the data's maximum is not drawn on the frame; counts get at least 0..4 */
    if (d->integer) {
        hi = fmax(hi + 1, lo + 4);
    } else {
        hi += 0.04 * (hi - lo);
    }
    if (!isnan(d->ymin)) {
        lo = d->ymin;
    }
    if (!isnan(d->ymax)) {
        hi = d->ymax;
    }
    ent_i_canvas_t c;
    ent_err_t rc = ent_i_canvas_open(&c, fig, o, 960, 600);
    if (rc != ENT_OK) {
        return rc;
    }
    double ystep = ent_i_nice_range(&lo, &hi, 6, d->integer);

    /* legend: one median line per series, then the two bands (drawn in the first series' colour) */
    ent_i_legend_item_t items[2 * 16 + 2];
    size_t ni = 0;
    for (size_t s = 0; s < d->nseries && s < 16; s++) {
        uint32_t col = d->series[s].color ? d->series[s].color : ent_i_palette(s);
        items[ni++] =
            (ent_i_legend_item_t){d->series[s].label ? d->series[s].label : "series", ENT_I_KEY_LINE, col, 1, 2.5};
    }
    /* one series: its own colour; several: a neutral swatch, each band being in its series' colour */
    uint32_t c0 = d->nseries > 1 ? 0x777777 : d->series[0].color ? d->series[0].color : ent_i_palette(0);
    items[ni++] =
        (ent_i_legend_item_t){d->nseries > 1 ? "middle 50% of runs (in each series' colour)" : "middle 50% of runs",
                              ENT_I_KEY_BOX, c0, 0.35, 0};
    items[ni++] = (ent_i_legend_item_t){"90% of runs (5th-95th percentile)", ENT_I_KEY_BOX, c0, 0.15, 0};
    double legw = c.W - 2 * ENT_I_MARGIN;
    double legh = ent_i_legend(&c, ENT_I_MARGIN, 0, legw, items, ni, false);

    double tw = ent_i_ytick_width(&c, lo, hi, ystep, TICK_SIZE);
    ent_i_axes_t a = {0};
    a.x0 = ENT_I_MARGIN + ent_i_line_height(12) + 6 + tw + 5;
    a.x1 = c.W - ENT_I_MARGIN - 12;
    a.y0 = c.top + 6;
    a.y1 = c.bottom - legh - 8 - (6 + ent_i_line_height(TICK_SIZE) + 2 + ent_i_line_height(12));
    a.xmin = d->first_year;
    a.xmax = d->first_year + (double)d->nyears - 1;
    /* a sliver below the lowest tick, so a median at 0 is not drawn on the frame */
    a.ymin = lo - 0.015 * (hi - lo);
    a.ymax = hi;
    memcpy(fig->area, &a, 4 * sizeof(double));
    double xstep = ent_i_nice_step(a.xmin, a.xmax, 8);
    xstep = fmax(1, round(xstep));
    ent_i_axes_draw(&c, &a, xstep, ystep, d->xlabel ? d->xlabel : "year", d->ylabel, true);

    cairo_t *cr = c.cr;
    cairo_save(cr);
    cairo_rectangle(cr, a.x0, a.y0, a.x1 - a.x0, a.y1 - a.y0);
    cairo_clip(cr);
    /* every series' bands first, then every median on top: no band hides another series' median */
    for (size_t s = 0; s < d->nseries; s++) {
        const ent_plot_band_t *b = &d->series[s];
        uint32_t col = b->color ? b->color : ent_i_palette(s);
        const double *bands[2][2] = {{b->q05, b->q95}, {b->q25, b->q75}};
        double alpha[2] = {0.15, 0.35};
        for (int k = 0; k < 2; k++) {
            if (!bands[k][0] || !bands[k][1]) {
                continue;
            }
            for (size_t y = 0; y < d->nyears; y++) {
                cairo_line_to(cr, ent_i_ax_x(&a, a.xmin + (double)y), ent_i_ax_y(&a, bands[k][1][y]));
            }
            for (size_t y = d->nyears; y-- > 0;) {
                cairo_line_to(cr, ent_i_ax_x(&a, a.xmin + (double)y), ent_i_ax_y(&a, bands[k][0][y]));
            }
            cairo_close_path(cr);
            ent_i_rgb(cr, col, alpha[k]);
            if (d->nseries > 1) {
                /* overlapping bands blend: a thin edge in the series' colour says whose band it is */
                ent_i_fill_preserve(&c);
                ent_i_rgb(cr, col, 0.55);
                cairo_set_line_width(cr, 0.8);
                ent_i_stroke(&c);
            } else {
                ent_i_fill(&c);
            }
        }
    }
    for (size_t s = 0; s < d->nseries; s++) {
        const ent_plot_band_t *b = &d->series[s];
        for (size_t y = 0; y < d->nyears; y++) {
            cairo_line_to(cr, ent_i_ax_x(&a, a.xmin + (double)y), ent_i_ax_y(&a, b->q50[y]));
        }
        ent_i_rgb(cr, b->color ? b->color : ent_i_palette(s), 1);
        cairo_set_line_width(cr, 2.5);
        ent_i_stroke(&c);
    }
    cairo_restore(cr);
    ent_i_legend(&c, ENT_I_MARGIN, c.bottom - legh, legw, items, ni, true);
    return ent_i_canvas_close(&c);
}

/* ------------------------------------------------------------ series over years */

ent_err_t ent_plot_lines(ent_figure_t *fig, const ent_plot_lines_t *d, const ent_plot_options_t *o)
{
    if (!d || d->nyears < 2 || d->npanels < 1 || d->npanels > 8) {
        return ent_i_err(ENT_EINVAL, "line chart: need 1 to 8 panels over at least two years");
    }
    for (size_t p = 0; p < d->npanels; p++) {
        if (d->panels[p].nlines < 1) {
            return ent_i_err(ENT_EINVAL, "line chart: panel %zu has no line", p);
        }
        for (size_t l = 0; l < d->panels[p].nlines; l++) {
            for (size_t y = 0; y < d->nyears; y++) {
                if (!finite_or_nan(d->panels[p].lines[l].y[y])) {
                    return ent_i_err(ENT_EINVAL, "line chart: '%s' has an infinite value", d->panels[p].lines[l].label);
                }
            }
        }
    }
    ent_i_canvas_t c;
    ent_err_t rc = ent_i_canvas_open(&c, fig, o, 960, 260 + 170 * (double)d->npanels);
    if (rc != ENT_OK) {
        return rc;
    }
    ent_i_legend_item_t items[64];
    size_t ni = 0, col = 0;
    for (size_t p = 0; p < d->npanels; p++) {
        for (size_t l = 0; l < d->panels[p].nlines && ni < 64; l++, col++) {
            uint32_t cc = d->panels[p].lines[l].color ? d->panels[p].lines[l].color : ent_i_palette(col);
            items[ni++] = (ent_i_legend_item_t){d->panels[p].lines[l].label, ENT_I_KEY_LINE, cc, 1, 2};
        }
    }
    double legw = c.W - 2 * ENT_I_MARGIN;
    double legh = ent_i_legend(&c, ENT_I_MARGIN, 0, legw, items, ni, false);
    double xlab = 6 + ent_i_line_height(TICK_SIZE) + 2 + ent_i_line_height(12);
    double avail = c.bottom - legh - 8 - xlab - c.top - 6;
    double gap = 14, ph = (avail - gap * (double)(d->npanels - 1)) / (double)d->npanels;
    if (ph < 50) {
        ent_i_canvas_close(&c);
        return ent_i_err(ENT_EINVAL, "line chart: %zu panels do not fit in a %gx%g figure", d->npanels, c.W, c.H);
    }
    /* one left margin for all panels, from the widest tick labels */
    double lows[8], highs[8], steps[8], tw = 0;
    for (size_t p = 0; p < d->npanels; p++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t l = 0; l < d->panels[p].nlines; l++) {
            for (size_t y = 0; y < d->nyears; y++) {
                double v = d->panels[p].lines[l].y[y];
                if (!isnan(v)) {
                    lo = fmin(lo, v);
                    hi = fmax(hi, v);
                }
            }
        }
        if (!isfinite(lo)) {
            lo = 0;
            hi = 1;
        }
        if (!isnan(d->panels[p].ymin)) {
            lo = d->panels[p].ymin;
        }
        if (!isnan(d->panels[p].ymax)) {
            hi = d->panels[p].ymax;
        }
        steps[p] = ent_i_nice_range(&lo, &hi, 4, false);
        lows[p] = lo;
        highs[p] = hi;
        tw = fmax(tw, ent_i_ytick_width(&c, lo, hi, steps[p], TICK_SIZE));
    }
    double x0 = ENT_I_MARGIN + ent_i_line_height(12) + 6 + tw + 5, x1 = c.W - ENT_I_MARGIN - 12;
    double y = c.top + 6;
    col = 0;
    for (size_t p = 0; p < d->npanels; p++) {
        ent_i_axes_t a = {x0, y, x1, y + ph, d->first_year, d->first_year + (double)d->nyears - 1, lows[p], highs[p]};
        if (p == 0) {
            memcpy(fig->area, &a, 4 * sizeof(double));
        }
        fig->area[3] = a.y1;
        double xstep = fmax(1, round(ent_i_nice_step(a.xmin, a.xmax, 10)));
        ent_i_axes_draw(&c, &a, xstep, steps[p], d->xlabel ? d->xlabel : "year", d->panels[p].ylabel,
                        p + 1 == d->npanels);
        cairo_save(c.cr);
        cairo_rectangle(c.cr, a.x0, a.y0, a.x1 - a.x0, a.y1 - a.y0);
        cairo_clip(c.cr);
        for (size_t l = 0; l < d->panels[p].nlines; l++, col++) {
            const ent_plot_line_t *ln = &d->panels[p].lines[l];
            bool pen = false;
            for (size_t k = 0; k < d->nyears; k++) {
                if (isnan(ln->y[k])) {
                    pen = false;
                    continue;
                }
                double px = ent_i_ax_x(&a, a.xmin + (double)k), py = ent_i_ax_y(&a, ln->y[k]);
                if (pen) {
                    cairo_line_to(c.cr, px, py);
                } else {
                    cairo_move_to(c.cr, px, py);
                    pen = true;
                }
            }
            ent_i_rgb(c.cr, ln->color ? ln->color : ent_i_palette(col), 1);
            cairo_set_line_width(c.cr, 1.6);
            ent_i_stroke(&c);
        }
        cairo_restore(c.cr);
        y += ph + gap;
    }
    ent_i_legend(&c, ENT_I_MARGIN, c.bottom - legh, legw, items, ni, true);
    return ent_i_canvas_close(&c);
}

/* ------------------------------------------------------------ stacked bars */

ent_err_t ent_plot_bars(ent_figure_t *fig, const ent_plot_bars_t *d, const ent_plot_options_t *o)
{
    if (!d || d->nrows < 1 || d->ncats < 1 || d->ncats > 16) {
        return ent_i_err(ENT_EINVAL, "bar chart: need at least one row and 1 to 16 categories");
    }
    for (size_t r = 0; r < d->nrows; r++) {
        double sum = 0;
        for (size_t k = 0; k < d->ncats; k++) {
            double v = d->values[r * d->ncats + k];
            if (!(v >= 0 && v <= 1)) {
                return ent_i_err(ENT_EINVAL, "bar chart: row '%s': value %g is not a probability", d->rows[r], v);
            }
            sum += v;
        }
        if (sum > 1 + 1e-6) {
            return ent_i_err(ENT_EINVAL, "bar chart: row '%s' sums to %g > 1", d->rows[r], sum);
        }
    }
    double rowh = 22;
    ent_i_canvas_t c;
    ent_plot_options_t oo = o ? *o : (ent_plot_options_t)ENT_PLOT_OPTIONS_INIT;
    double defh = 200 + rowh * (double)d->nrows;
    ent_err_t rc = ent_i_canvas_open(&c, fig, &oo, 960, defh);
    if (rc != ENT_OK) {
        return rc;
    }
    ent_i_legend_item_t items[16];
    for (size_t k = 0; k < d->ncats; k++) {
        items[k] = (ent_i_legend_item_t){d->cats[k].label, ENT_I_KEY_BOX,
                                         d->cats[k].color ? d->cats[k].color : ent_i_palette(k), 1, 0};
    }
    double legw = c.W - 2 * ENT_I_MARGIN;
    double legh = ent_i_legend(&c, ENT_I_MARGIN, 0, legw, items, d->ncats, false);
    double labw = 0;
    for (size_t r = 0; r < d->nrows; r++) {
        labw = fmax(labw, ent_i_text_width(&c, d->rows[r], 11.5, false));
    }
    labw = fmin(labw, c.W * 0.35);
    ent_i_axes_t a = {0};
    a.x0 = ENT_I_MARGIN + labw + 8;
    a.x1 = c.W - ENT_I_MARGIN - 12;
    a.y0 = c.top + 6;
    a.y1 = c.bottom - legh - 8 - (6 + ent_i_line_height(TICK_SIZE) + 2 + ent_i_line_height(12));
    a.xmin = 0;
    a.xmax = 1;
    a.ymin = 0;
    a.ymax = (double)d->nrows;
    rowh = (a.y1 - a.y0) / (double)d->nrows;
    if (rowh < 9) {
        ent_i_canvas_close(&c);
        return ent_i_err(ENT_EINVAL, "bar chart: %zu rows do not fit in a %gx%g figure", d->nrows, c.W, c.H);
    }
    memcpy(fig->area, &a, 4 * sizeof(double));
    double lsize = fmin(11.5, rowh * 0.62);
    cairo_t *cr = c.cr;
    char buf[32];
    /* probability ticks on x */
    for (int t = 0; t <= 10; t += 2) {
        double x = ent_i_ax_x(&a, t / 10.0);
        ent_i_rgb(cr, 0x999999, 1);
        cairo_set_line_width(cr, 0.6);
        cairo_move_to(cr, x, a.y1);
        cairo_line_to(cr, x, a.y1 + 4);
        ent_i_stroke(&c);
        snprintf(buf, sizeof buf, "%.1f", t / 10.0);
        ent_i_text(&c, x, a.y1 + 6, buf, TICK_SIZE, false, 0.5, 0, ENT_PLOT_TEXT_TICK, 0x333333);
    }
    ent_i_text(&c, (a.x0 + a.x1) / 2, a.y1 + 6 + ent_i_line_height(TICK_SIZE) + 2,
               d->xlabel ? d->xlabel : "probability", 12, false, 0.5, 0, ENT_PLOT_TEXT_AXIS, 0x222222);
    for (size_t r = 0; r < d->nrows; r++) {
        double yt = a.y0 + rowh * (double)r, bh = rowh * 0.78, yb = yt + (rowh - bh) / 2;
        ent_i_text(&c, a.x0 - 8, yt + rowh / 2, d->rows[r], lsize, false, 1, 0.5, ENT_PLOT_TEXT_LABEL, 0x222222);
        double acc = 0;
        for (size_t k = 0; k < d->ncats; k++) {
            double v = d->values[r * d->ncats + k];
            if (v <= 0) {
                continue;
            }
            double xa = ent_i_ax_x(&a, acc), xb = ent_i_ax_x(&a, acc + v);
            uint32_t col = items[k].color;
            ent_i_rgb(cr, col, 1);
            cairo_rectangle(cr, xa, yb, xb - xa, bh);
            ent_i_fill(&c);
            snprintf(buf, sizeof buf, "%.2f", v);
            double need = ent_i_text_width(&c, buf, lsize * 0.92, false) + 6;
            if (xb - xa >= need) {
                /* dark text on light colours, white on dark ones (relative luminance) */
                double lum = 0.2126 * ((col >> 16) & 0xff) + 0.7152 * ((col >> 8) & 0xff) + 0.0722 * (col & 0xff);
                ent_i_text(&c, (xa + xb) / 2, yt + rowh / 2, buf, lsize * 0.92, false, 0.5, 0.5, ENT_PLOT_TEXT_LABEL,
                           lum > 140 ? 0x111111 : 0xffffff);
            }
            acc += v;
        }
    }
    ent_i_rgb(cr, 0x555555, 1);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, a.x0, a.y0);
    cairo_line_to(cr, a.x0, a.y1);
    cairo_line_to(cr, a.x1, a.y1);
    ent_i_stroke(&c);
    ent_i_legend(&c, ENT_I_MARGIN, c.bottom - legh, legw, items, d->ncats, true);
    return ent_i_canvas_close(&c);
}

/* ------------------------------------------------------------ pyramid */

#define PYR_PAD 14.0
#define PYR_NAME 11.0
#define PYR_LABEL 12.5
#define PYR_MAX_LINES 5

/* Joins names into one comma-separated string that wraps within `maxw`; at most PYR_MAX_LINES lines. */
static char *join_names(ent_i_canvas_t *c, const ent_plot_layer_t *l, double maxw, size_t *lines)
{
    ent_buf_t b = ENT_BUF_INIT;
    size_t shown = 0;
    for (size_t k = 0; k < l->nnames; k++) {
        size_t keep = b.len;
        if (ent_buf_printf(&b, "%s%s", k ? ", " : "", l->names[k]) != ENT_OK) {
            break;
        }
        size_t nl = (size_t)lround(ent_i_wrap(c, 0, 0, maxw, ent_buf_cstr(&b), PYR_NAME, false, 0, 0) /
                                   ent_i_line_height(PYR_NAME));
        /* keep room for the "+N more" on the last line */
        if (nl > PYR_MAX_LINES || (nl == PYR_MAX_LINES && k + 1 < l->nnames)) {
            b.len = keep;
            b.ptr[b.len] = '\0';
            break;
        }
        shown++;
    }
    if (shown < l->nnames) {
        /* a no-break space keeps "+N more" on one line */
        ent_buf_printf(&b, "%s+%zu\u00a0more", shown ? ", " : "", l->nnames - shown);
    }
    char *s = ent_strdup(ent_buf_cstr(&b));
    ent_buf_destroy(&b);
    if (s) {
        *lines = (size_t)lround(ent_i_wrap(c, 0, 0, maxw, s, PYR_NAME, false, 0, 0) / ent_i_line_height(PYR_NAME));
    }
    return s;
}

/*
 * Widths and heights of the layers on canvas c: widths[k] is the top edge of
 * layer k (widths[n] the base), the names joined and wrapped to fit inside.
 * With names NULL only the total height is computed. Returns the total.
 */
static double pyramid_layout(ent_i_canvas_t *c, const ent_plot_pyramid_t *d, char **names, double *heights,
                             double *widths, ent_err_t *rcp)
{
    size_t n = d->nlayers;
    double wbot = c->W - 2 * ENT_I_MARGIN, wtop = wbot * 0.34, total = 0;
    double w_[33];
    for (size_t k = 0; k < n; k++) {
        wtop = fmax(wtop, ent_i_text_width(c, d->layers[k].label, PYR_LABEL, true) + 2 * PYR_PAD + 20);
    }
    wtop = fmin(wtop, wbot);
    if (!widths) {
        widths = w_;
    }
    for (size_t k = 0; k <= n; k++) {
        widths[k] = wtop + (wbot - wtop) * (double)k / (double)n;
    }
    for (size_t k = 0; k < n; k++) {
        size_t lines = 1;
        /* text lies in the layer's narrower top edge, less the slant of the sides */
        double inner = widths[k] - 2 * PYR_PAD - 24;
        char *s = d->layers[k].nnames ? join_names(c, &d->layers[k], inner, &lines) : ent_strdup("none");
        if (!s) {
            if (rcp) {
                *rcp = ent_i_nomem();
            }
            return total;
        }
        if (!d->layers[k].nnames) {
            lines = 1;
        }
        double h = 8 + ent_i_line_height(PYR_LABEL) +
                   (d->layers[k].note && *d->layers[k].note ? ent_i_line_height(10.5) : 0) + 2 +
                   ent_i_line_height(PYR_NAME) * (double)lines + 8;
        if (heights) {
            heights[k] = h;
        }
        total += h;
        if (names) {
            names[k] = s;
        } else {
            ent_free(s);
        }
    }
    return total;
}

ent_err_t ent_plot_pyramid(ent_figure_t *fig, const ent_plot_pyramid_t *d, const ent_plot_options_t *o)
{
    if (!d || d->nlayers < 1 || d->nlayers > 32) {
        return ent_i_err(ENT_EINVAL, "pyramid: need 1 to 32 layers");
    }
    ent_i_canvas_t c;
    ent_err_t rc;
    double defh = 140 + 78 * (double)d->nlayers;
    if (!o || o->height <= 0) {
        /* no height asked for: measure the layers first and fit the canvas to them */
        ent_figure_t scratch;
        ent_figure_init(&scratch);
        double need = 0;
        if ((rc = ent_i_canvas_measure(&c, &scratch, o, 960, 10000)) == ENT_OK) {
            need = pyramid_layout(&c, d, NULL, NULL, NULL, NULL);
            need += c.top + 4 + (c.H - c.bottom) + 2;
            rc = ent_i_canvas_close(&c);
        }
        ent_figure_destroy(&scratch);
        if (rc != ENT_OK) {
            return rc;
        }
        defh = fmax(200, ceil(need));
    }
    ent_plot_options_t oo = o ? *o : (ent_plot_options_t)ENT_PLOT_OPTIONS_INIT;
    if (oo.height <= 0) {
        oo.height = defh;
    }
    if ((rc = ent_i_canvas_open(&c, fig, &oo, 960, defh)) != ENT_OK) {
        return rc;
    }
    size_t n = d->nlayers;
    char *names[32] = {NULL};
    double heights[32], widths[33];
    double total = pyramid_layout(&c, d, names, heights, widths, &rc);
    double avail = c.bottom - c.top - 4;
    if (rc == ENT_OK && total > avail) {
        rc = ent_i_err(ENT_EINVAL, "pyramid: %zu layers need %.0f units of height, the figure has %.0f", n, total,
                       avail);
    }
    double y = c.top + 4, cx = c.W / 2;
    for (size_t k = 0; k < n && rc == ENT_OK; k++) {
        const ent_plot_layer_t *l = &d->layers[k];
        uint32_t col = l->color ? l->color : ent_i_lighten(0xA5322A, 0.8 * (double)k / (double)n);
        cairo_move_to(c.cr, cx - widths[k] / 2, y);
        cairo_line_to(c.cr, cx + widths[k] / 2, y);
        cairo_line_to(c.cr, cx + widths[k + 1] / 2, y + heights[k]);
        cairo_line_to(c.cr, cx - widths[k + 1] / 2, y + heights[k]);
        cairo_close_path(c.cr);
        ent_i_rgb(c.cr, col, 1);
        ent_i_fill_preserve(&c);
        ent_i_rgb(c.cr, 0xffffff, 1);
        cairo_set_line_width(c.cr, 2);
        ent_i_stroke(&c);
        double lum = 0.2126 * ((col >> 16) & 0xff) + 0.7152 * ((col >> 8) & 0xff) + 0.0722 * (col & 0xff);
        uint32_t ink = lum > 150 ? 0x111111 : 0xffffff;
        double ty = y + 8;
        ent_i_text(&c, cx, ty, l->label, PYR_LABEL, true, 0.5, 0, ENT_PLOT_TEXT_LABEL, ink);
        ty += ent_i_line_height(PYR_LABEL);
        if (l->note && *l->note) {
            char note[160];
            snprintf(note, sizeof note, "%s", l->note);
            /* shorten a note wider than the layer, on a character boundary */
            while (strlen(note) > 4 && ent_i_text_width(&c, note, 10.5, false) > widths[k] - 2 * PYR_PAD - 24) {
                size_t m = strlen(note) - 4;
                while (m > 0 && (note[m] & 0xC0) == 0x80) {
                    m--;
                }
                memcpy(note + m, "...", 4);
            }
            ent_i_text(&c, cx, ty, note, 10.5, false, 0.5, 0, ENT_PLOT_TEXT_LABEL, ink);
            ty += ent_i_line_height(10.5);
        }
        double inner = widths[k] - 2 * PYR_PAD - 24;
        ent_i_wrap(&c, cx - inner / 2, ty + 2, inner, names[k], PYR_NAME, true, ENT_PLOT_TEXT_LABEL, ink);
        y += heights[k];
    }
    for (size_t k = 0; k < n; k++) {
        ent_free(names[k]);
    }
    if (rc != ENT_OK) {
        ent_i_canvas_close(&c);
        return rc;
    }
    return ent_i_canvas_close(&c);
}
