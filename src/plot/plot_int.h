/*
 * plot_int.h -- what the figure kinds share: a canvas over a cairo surface
 * that records every mark and text it draws (ent_figure_t), text helpers,
 * wrapped captions, axes with nice ticks, and legends.
 */
#ifndef ENTENTE_PLOT_INT_H
#define ENTENTE_PLOT_INT_H

#include <cairo.h>

#include "entente/plot.h"
#include "util_int.h"

#define ENT_I_FONT "DejaVu Sans"
#define ENT_I_MARGIN 18.0

typedef struct {
    cairo_surface_t *surf;
    cairo_t *cr;
    ent_figure_t *fig;
    double W, H;
    double top;    /* first y below the title and subtitle */
    double bottom; /* last y above the caption */
    ent_err_t rc;  /* sticky: the first failure (out of memory recording text) */
} ent_i_canvas_t;

/*
 * Opens a canvas of the options' size (or the default), white, with the title
 * and subtitle drawn on top and the caption wrapped at the bottom; c->top and
 * c->bottom bound what remains.
 */
ent_err_t ent_i_canvas_open(ent_i_canvas_t *c, ent_figure_t *fig, const ent_plot_options_t *o, double defw,
                            double defh);
/*
 * A canvas for measuring only (a 1x1 surface, nothing kept): the options'
 * width (or defw) and a height of `h`, so a figure can size itself to its
 * content before drawing. Close it with ent_i_canvas_close.
 */
ent_err_t ent_i_canvas_measure(ent_i_canvas_t *c, ent_figure_t *scratch, const ent_plot_options_t *o, double defw,
                               double h);
/* Finishes the surface and encodes it into fig->data. Frees the canvas in every case. */
ent_err_t ent_i_canvas_close(ent_i_canvas_t *c);

void ent_i_rgb(cairo_t *cr, uint32_t rgb, double alpha);
/* The k-th colour of the palette (colour-blind safe, Okabe-Ito order). */
uint32_t ent_i_palette(size_t k);
/* Blends rgb toward white by t (0 = rgb, 1 = white). */
uint32_t ent_i_lighten(uint32_t rgb, double t);

/* Fill / stroke the current path, counting the mark and growing the ink box. */
void ent_i_fill(ent_i_canvas_t *c);
void ent_i_stroke(ent_i_canvas_t *c);
void ent_i_fill_preserve(ent_i_canvas_t *c);

double ent_i_text_width(ent_i_canvas_t *c, const char *s, double size, bool bold);
/*
 * Draws s at (x, y): ax 0 left, 0.5 centre, 1 right; ay 0 top, 0.5 middle, 1
 * bottom of the line box. Records the box; returns its width.
 */
double ent_i_text(ent_i_canvas_t *c, double x, double y, const char *s, double size, bool bold, double ax, double ay,
                  ent_plot_role_t role, uint32_t rgb);
/* The same turned 90 degrees counter-clockwise, centred on (x, y) (a y-axis title). */
void ent_i_text_up(ent_i_canvas_t *c, double x, double y, const char *s, double size, ent_plot_role_t role);
/* Records a text box without drawing (for boxes computed elsewhere). */
void ent_i_record(ent_i_canvas_t *c, const char *s, double x0, double y0, double x1, double y1, ent_plot_role_t role);
/* Line height of a font size. */
double ent_i_line_height(double size);

/*
 * Wraps s into lines of at most `maxw` wide; if draw, draws them from
 * (x, y) downwards (left aligned). Returns the height used.
 */
double ent_i_wrap(ent_i_canvas_t *c, double x, double y, double maxw, const char *s, double size, bool draw,
                  ent_plot_role_t role, uint32_t rgb);

typedef struct {
    double x0, y0, x1, y1; /* the plot area on the canvas */
    double xmin, xmax, ymin, ymax;
} ent_i_axes_t;

static inline double ent_i_ax_x(const ent_i_axes_t *a, double v)
{
    return a->x0 + (v - a->xmin) / (a->xmax - a->xmin) * (a->x1 - a->x0);
}
static inline double ent_i_ax_y(const ent_i_axes_t *a, double v)
{
    return a->y1 - (v - a->ymin) / (a->ymax - a->ymin) * (a->y1 - a->y0);
}

/* A step of 1, 2, 2.5 or 5 times a power of ten giving about n intervals over [lo, hi]. */
double ent_i_nice_step(double lo, double hi, int n);
/* Widens [*lo, *hi] to multiples of the nice step; the step is returned. */
double ent_i_nice_range(double *lo, double *hi, int n, bool integer);

/*
 * Draws the frame, grid, ticks and tick labels and the axis titles. Years on
 * x are printed without separators; `ystep` is the tick step on y.
 */
void ent_i_axes_draw(ent_i_canvas_t *c, const ent_i_axes_t *a, double xstep, double ystep, const char *xlabel,
                     const char *ylabel, bool draw_xticks);
/* The width the y tick labels of [ymin, ymax] need at font size `size`. */
double ent_i_ytick_width(ent_i_canvas_t *c, double ymin, double ymax, double ystep, double size);
void ent_i_fmt_tick(char *buf, size_t n, double v, double step);

typedef enum {
    ENT_I_KEY_BOX,
    ENT_I_KEY_LINE,
    ENT_I_KEY_DASH,
    ENT_I_KEY_DOT,
    ENT_I_KEY_ARROW,
    ENT_I_KEY_CIRCLE
} ent_i_key_t;

typedef struct {
    const char *label;
    ent_i_key_t key;
    uint32_t color;
    double alpha;
    double width; /* line width for line keys */
} ent_i_legend_item_t;

/* Lays the items out in rows within [x, x + maxw] from y; draws when `draw`. Returns the height. */
double ent_i_legend(ent_i_canvas_t *c, double x, double y, double maxw, const ent_i_legend_item_t *items, size_t n,
                    bool draw);

#endif
