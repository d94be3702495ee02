/*
 * canvas.c -- the drawing layer every figure shares: a cairo surface for
 * PNG, SVG or PDF that records what is drawn (marks, ink box, every text
 * with its box and role) into an ent_figure_t, and the pieces of a chart:
 * title, wrapped caption, axes with nice ticks, legends. Saving writes a
 * temporary file beside the target and renames it, so a reader never sees a
 * half-written figure.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>

#include "plot_int.h"

/* Encoded figures are small (a few hundred KiB); the cap guards against runaway output. */
#define FIGURE_MAX_BYTES (64u << 20)

void ent_plot_cleanup(void)
{
    /* cairo's font caches hold fontconfig patterns: release them first */
    cairo_debug_reset_static_data();
    FcFini();
}

void ent_figure_init(ent_figure_t *f)
{
    memset(f, 0, sizeof *f);
    ent_buf_init(&f->data, FIGURE_MAX_BYTES);
    ent_vec_init(&f->texts, sizeof(ent_plot_text_t));
}

static void figure_clear(ent_figure_t *f)
{
    for (size_t k = 0; k < f->texts.len; k++) {
        ent_free(ENT_VEC_AT(&f->texts, ent_plot_text_t, k).text);
    }
    f->texts.len = 0;
    ent_buf_clear(&f->data);
    f->nmarks = 0;
    memset(f->area, 0, sizeof f->area);
    f->ink[0] = f->ink[1] = INFINITY;
    f->ink[2] = f->ink[3] = -INFINITY;
}

void ent_figure_destroy(ent_figure_t *f)
{
    if (!f) {
        return;
    }
    figure_clear(f);
    ent_vec_destroy(&f->texts);
    ent_buf_destroy(&f->data);
}

size_t ent_figure_count_text(const ent_figure_t *f, ent_plot_role_t role, const char *needle)
{
    size_t n = 0;
    for (size_t k = 0; k < f->texts.len; k++) {
        const ent_plot_text_t *t = &ENT_VEC_AT(&f->texts, ent_plot_text_t, k);
        if ((role == 0 || t->role == role) && (!needle || strstr(t->text, needle))) {
            n++;
        }
    }
    return n;
}

ent_err_t ent_figure_save(const ent_figure_t *f, const char *path)
{
    size_t n = strlen(path);
    char *tmp = ent_malloc(n + 32);
    if (!tmp) {
        return ent_i_nomem();
    }
    snprintf(tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        ent_err_t rc = ent_i_err(ENT_EIO, "%s: cannot write: %s", path, strerror(errno));
        ent_free(tmp);
        return rc;
    }
    bool ok = fwrite(f->data.ptr ? f->data.ptr : "", 1, f->data.len, fp) == f->data.len;
    ok = (fclose(fp) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        ent_err_t rc = ent_i_err(ENT_EIO, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        ent_free(tmp);
        return rc;
    }
    ent_free(tmp);
    return ENT_OK;
}

ent_err_t ent_plot_format_from_path(ent_plot_format_t *out, const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && strcasecmp(dot, ".png") == 0) {
        *out = ENT_PLOT_PNG;
    } else if (dot && strcasecmp(dot, ".svg") == 0) {
        *out = ENT_PLOT_SVG;
    } else if (dot && strcasecmp(dot, ".pdf") == 0) {
        *out = ENT_PLOT_PDF;
    } else {
        return ent_i_err(ENT_EINVAL, "%s: the file name must end in .png, .svg or .pdf", path);
    }
    return ENT_OK;
}

/* ------------------------------------------------------------ colours */

void ent_i_rgb(cairo_t *cr, uint32_t rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, alpha);
}

uint32_t ent_i_palette(size_t k)
{
    /* Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies */
    static const uint32_t pal[] = {0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0xF0E442, 0x000000};
    return pal[k % (sizeof pal / sizeof pal[0])];
}

uint32_t ent_i_lighten(uint32_t rgb, double t)
{
    uint32_t out = 0;
    for (int s = 16; s >= 0; s -= 8) {
        double v = (double)((rgb >> s) & 0xff);
        v = v + (255.0 - v) * t;
        out |= (uint32_t)lround(v) << s;
    }
    return out;
}

/* ------------------------------------------------------------ marks */

static void grow_ink(ent_i_canvas_t *c, double x0, double y0, double x1, double y1)
{
    double *k = c->fig->ink;
    k[0] = fmin(k[0], x0);
    k[1] = fmin(k[1], y0);
    k[2] = fmax(k[2], x1);
    k[3] = fmax(k[3], y1);
}

static void mark(ent_i_canvas_t *c, bool stroke)
{
    double x0, y0, x1, y1;
    if (stroke) {
        cairo_stroke_extents(c->cr, &x0, &y0, &x1, &y1);
    } else {
        cairo_fill_extents(c->cr, &x0, &y0, &x1, &y1);
    }
    cairo_user_to_device(c->cr, &x0, &y0);
    cairo_user_to_device(c->cr, &x1, &y1);
    if (x1 > x0 || y1 > y0) {
        grow_ink(c, fmin(x0, x1), fmin(y0, y1), fmax(x0, x1), fmax(y0, y1));
    }
    c->fig->nmarks++;
}

void ent_i_fill(ent_i_canvas_t *c)
{
    mark(c, false);
    cairo_fill(c->cr);
}

void ent_i_fill_preserve(ent_i_canvas_t *c)
{
    mark(c, false);
    cairo_fill_preserve(c->cr);
}

void ent_i_stroke(ent_i_canvas_t *c)
{
    mark(c, true);
    cairo_stroke(c->cr);
}

/* ------------------------------------------------------------ text */

double ent_i_line_height(double size)
{
    return size * 1.3;
}

static void font(ent_i_canvas_t *c, double size, bool bold)
{
    cairo_select_font_face(c->cr, ENT_I_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(c->cr, size);
}

double ent_i_text_width(ent_i_canvas_t *c, const char *s, double size, bool bold)
{
    cairo_text_extents_t te;
    font(c, size, bold);
    cairo_text_extents(c->cr, s, &te);
    return te.x_advance;
}

void ent_i_record(ent_i_canvas_t *c, const char *s, double x0, double y0, double x1, double y1, ent_plot_role_t role)
{
    if (c->rc != ENT_OK) {
        return;
    }
    ent_plot_text_t t = {ent_strdup(s), x0, y0, x1, y1, role};
    if (!t.text || ent_vec_push(&c->fig->texts, &t) != ENT_OK) {
        ent_free(t.text);
        c->rc = ent_i_nomem();
        return;
    }
    grow_ink(c, x0, y0, x1, y1);
}

double ent_i_text(ent_i_canvas_t *c, double x, double y, const char *s, double size, bool bold, double ax, double ay,
                  ent_plot_role_t role, uint32_t rgb)
{
    cairo_text_extents_t te;
    cairo_font_extents_t fe;
    font(c, size, bold);
    cairo_text_extents(c->cr, s, &te);
    cairo_font_extents(c->cr, &fe);
    double h = fe.ascent + fe.descent;
    double left = x - ax * te.x_advance, top = y - ay * h;
    ent_i_rgb(c->cr, rgb, 1.0);
    cairo_move_to(c->cr, left, top + fe.ascent);
    cairo_show_text(c->cr, s);
    cairo_new_path(c->cr);
    ent_i_record(c, s, left, top, left + te.x_advance, top + h, role);
    return te.x_advance;
}

void ent_i_text_up(ent_i_canvas_t *c, double x, double y, const char *s, double size, ent_plot_role_t role)
{
    cairo_text_extents_t te;
    cairo_font_extents_t fe;
    font(c, size, false);
    cairo_text_extents(c->cr, s, &te);
    cairo_font_extents(c->cr, &fe);
    double h = fe.ascent + fe.descent;
    cairo_save(c->cr);
    cairo_translate(c->cr, x, y);
    cairo_rotate(c->cr, -M_PI / 2);
    ent_i_rgb(c->cr, 0x222222, 1.0);
    cairo_move_to(c->cr, -te.x_advance / 2, -h / 2 + fe.ascent);
    cairo_show_text(c->cr, s);
    cairo_new_path(c->cr);
    cairo_restore(c->cr);
    ent_i_record(c, s, x - h / 2, y - te.x_advance / 2, x + h / 2, y + te.x_advance / 2, role);
}

double ent_i_wrap(ent_i_canvas_t *c, double x, double y, double maxw, const char *s, double size, bool draw,
                  ent_plot_role_t role, uint32_t rgb)
{
    double lh = ent_i_line_height(size), used = 0;
    size_t n = strlen(s);
    char *line = ent_malloc(n + 1);
    if (!line) {
        c->rc = ent_i_nomem();
        return 0;
    }
    const char *p = s;
    while (*p) {
        /* an explicit newline ends a paragraph line */
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        size_t len = 0;
        const char *q = p;
        /* greedy: add words while the line fits */
        while (q < end) {
            const char *w = q;
            while (w < end && *w != ' ') {
                w++;
            }
            size_t keep = len;
            if (len) {
                line[len++] = ' ';
            }
            memcpy(line + len, q, (size_t)(w - q));
            len += (size_t)(w - q);
            line[len] = '\0';
            if (keep && ent_i_text_width(c, line, size, false) > maxw) {
                len = keep;
                line[len] = '\0';
                break;
            }
            q = w;
            while (q < end && *q == ' ') {
                q++;
            }
        }
        if (draw) {
            ent_i_text(c, x, y + used, line, size, false, 0, 0, role, rgb);
        }
        used += lh;
        p = q;
        if (q >= end) {
            p = nl ? nl + 1 : end;
        }
    }
    ent_free(line);
    return used;
}

/* ------------------------------------------------------------ the canvas */

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
    return ent_buf_put(closure, data, length) == ENT_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static ent_err_t canvas_open(ent_i_canvas_t *c, ent_figure_t *fig, const ent_plot_options_t *o, double defw,
                             double defh, bool measure)
{
    memset(c, 0, sizeof *c);
    figure_clear(fig);
    c->fig = fig;
    c->W = o && o->width > 0 ? o->width : defw;
    c->H = o && o->height > 0 ? o->height : defh;
    if (c->W < 200 || c->H < 150 || c->W > 10000 || c->H > 10000) {
        return ent_i_err(ENT_EINVAL, "figure size %gx%g: each side must be in 200..10000 (150 for the height)", c->W,
                         c->H);
    }
    fig->format = measure ? ENT_PLOT_PNG : o ? o->format : ENT_PLOT_SVG;
    fig->width = c->W;
    fig->height = c->H;
    switch (measure ? 0 : fig->format) {
    case 0:
        /* measuring only: text extents need a context, not pixels */
        c->surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
        break;
    case ENT_PLOT_PNG:
        c->surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)ceil(c->W), (int)ceil(c->H));
        break;
    case ENT_PLOT_SVG:
        c->surf = cairo_svg_surface_create_for_stream(to_buf, &fig->data, c->W, c->H);
        if (cairo_surface_status(c->surf) == CAIRO_STATUS_SUCCESS) {
            /* pixels, so an inline SVG in HTML is drawn at the size of the PNG */
            cairo_svg_surface_set_document_unit(c->surf, CAIRO_SVG_UNIT_PX);
        }
        break;
    case ENT_PLOT_PDF: c->surf = cairo_pdf_surface_create_for_stream(to_buf, &fig->data, c->W, c->H); break;
    default: return ent_i_err(ENT_EINVAL, "unknown figure format %d", (int)fig->format);
    }
    if (cairo_surface_status(c->surf) != CAIRO_STATUS_SUCCESS) {
        ent_err_t rc = ent_i_err(ENT_EIO, "cairo: %s", cairo_status_to_string(cairo_surface_status(c->surf)));
        cairo_surface_destroy(c->surf);
        c->surf = NULL;
        return rc;
    }
    c->cr = cairo_create(c->surf);
    cairo_set_source_rgb(c->cr, 1, 1, 1);
    cairo_paint(c->cr);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);

    double y = ENT_I_MARGIN;
    if (o && o->title && *o->title) {
        y += ent_i_wrap(c, ENT_I_MARGIN, y, c->W - 2 * ENT_I_MARGIN, o->title, 17, true, ENT_PLOT_TEXT_TITLE, 0x111111);
    }
    if (o && o->subtitle && *o->subtitle) {
        y += ent_i_wrap(c, ENT_I_MARGIN, y, c->W - 2 * ENT_I_MARGIN, o->subtitle, 12.5, true, ENT_PLOT_TEXT_SUBTITLE,
                        0x444444);
    }
    c->top = y + 8;
    c->bottom = c->H - ENT_I_MARGIN;
    if (o && o->caption && *o->caption) {
        double h =
            ent_i_wrap(c, ENT_I_MARGIN, 0, c->W - 2 * ENT_I_MARGIN, o->caption, 10.5, false, ENT_PLOT_TEXT_CAPTION, 0);
        c->bottom -= h;
        /* a rule between the figure and its caption */
        ent_i_rgb(c->cr, 0xbbbbbb, 1);
        cairo_set_line_width(c->cr, 0.8);
        cairo_move_to(c->cr, ENT_I_MARGIN, c->bottom - 4);
        cairo_line_to(c->cr, c->W - ENT_I_MARGIN, c->bottom - 4);
        ent_i_stroke(c);
        ent_i_wrap(c, ENT_I_MARGIN, c->bottom, c->W - 2 * ENT_I_MARGIN, o->caption, 10.5, true, ENT_PLOT_TEXT_CAPTION,
                   0x444444);
        c->bottom -= 12;
    }
    if (c->bottom - c->top < 60) {
        ent_i_canvas_close(c);
        figure_clear(fig);
        return ent_i_err(ENT_EINVAL, "figure %gx%g is too small for its title and caption", c->W, c->H);
    }
    return c->rc;
}

/*
 * cairo numbers the surfaces of a process with one global counter and writes
 * the number into the SVG ("surface6"): renumber them in order of appearance
 * so the same figure gives the same bytes however many were drawn before.
 */
/*
 * cairo writes SVG coordinates with six decimals; a hundredth of a pixel is
 * below what any screen or printer shows, and two decimals make a page of
 * figures (a map is ~2,000 paths) markedly smaller. A number is rewritten
 * only where it stands alone (after a space, comma, parenthesis, quote, '='
 * or ':'), never inside a name such as "glyph0-1" or "w3.org".
 */
static ent_err_t svg_compact(ent_buf_t *b)
{
    ent_buf_t out = ENT_BUF_INIT;
    const char *p = b->ptr, *end = b->ptr + b->len, *copied = p;
    ent_err_t rc = ENT_OK;
    while (p < end && rc == ENT_OK) {
        char prev = p > b->ptr ? p[-1] : ' ';
        bool lead =
            prev == ' ' || prev == ',' || prev == '(' || prev == '"' || prev == '=' || prev == ':' || prev == '\n';
        bool starts = (*p >= '0' && *p <= '9') || (*p == '-' && p + 1 < end && p[1] >= '0' && p[1] <= '9');
        if (!lead || !starts) {
            p++;
            continue;
        }
        const char *q = p + (*p == '-');
        while (q < end && *q >= '0' && *q <= '9') {
            q++;
        }
        if (q + 3 < end && *q == '.' && q[1] >= '0' && q[1] <= '9' && q[2] >= '0' && q[2] <= '9' && q[3] >= '0' &&
            q[3] <= '9') {
            const char *e = q + 1;
            while (e < end && *e >= '0' && *e <= '9') {
                e++;
            }
            char num[64], fmt[64];
            size_t n = (size_t)(e - p) < sizeof num - 1 ? (size_t)(e - p) : sizeof num - 1;
            memcpy(num, p, n);
            num[n] = '\0';
            snprintf(fmt, sizeof fmt, "%.2f", strtod(num, NULL));
            /* drop trailing zeros and a bare point: 3.10 -> 3.1, 2.00 -> 2, -0.00 -> 0 */
            size_t l = strlen(fmt);
            while (l && fmt[l - 1] == '0') {
                fmt[--l] = '\0';
            }
            if (l && fmt[l - 1] == '.') {
                fmt[--l] = '\0';
            }
            if (strcmp(fmt, "-0") == 0) {
                strcpy(fmt, "0");
            }
            rc = ent_buf_put(&out, copied, (size_t)(p - copied));
            if (rc == ENT_OK) {
                rc = ent_buf_puts(&out, fmt);
            }
            copied = p = e;
            continue;
        }
        p = q;
    }
    if (rc == ENT_OK) {
        rc = ent_buf_put(&out, copied, (size_t)(end - copied));
    }
    if (rc == ENT_OK) {
        ent_buf_clear(b);
        rc = ent_buf_put(b, out.ptr, out.len);
    }
    ent_buf_destroy(&out);
    return rc;
}

static ent_err_t svg_renumber(ent_buf_t *b)
{
    ent_buf_t out = ENT_BUF_INIT;
    long seen[64];
    size_t nseen = 0;
    const char *p = b->ptr, *end = b->ptr + b->len;
    ent_err_t rc = ENT_OK;
    while (p < end && rc == ENT_OK) {
        const char *q = memmem(p, (size_t)(end - p), "surface", 7);
        if (!q) {
            rc = ent_buf_put(&out, p, (size_t)(end - p));
            break;
        }
        q += 7;
        rc = ent_buf_put(&out, p, (size_t)(q - p));
        char *e;
        long v = strtol(q, &e, 10);
        if (e == q || e > end) {
            p = q;
            continue;
        }
        size_t k = 0;
        while (k < nseen && seen[k] != v) {
            k++;
        }
        if (k == nseen && nseen < 64) {
            seen[nseen++] = v;
        }
        if (rc == ENT_OK) {
            rc = ent_buf_printf(&out, "%zu", k + 1);
        }
        p = e;
    }
    if (rc == ENT_OK) {
        ent_buf_clear(b);
        rc = ent_buf_put(b, out.ptr, out.len);
    }
    ent_buf_destroy(&out);
    return rc;
}

ent_err_t ent_i_canvas_open(ent_i_canvas_t *c, ent_figure_t *fig, const ent_plot_options_t *o, double defw, double defh)
{
    return canvas_open(c, fig, o, defw, defh, false);
}

ent_err_t ent_i_canvas_measure(ent_i_canvas_t *c, ent_figure_t *scratch, const ent_plot_options_t *o, double defw,
                               double defh)
{
    ent_plot_options_t m = o ? *o : (ent_plot_options_t)ENT_PLOT_OPTIONS_INIT;
    m.height = defh;
    return canvas_open(c, scratch, &m, defw, defh, true);
}

ent_err_t ent_i_canvas_close(ent_i_canvas_t *c)
{
    ent_err_t rc = c->rc;
    if (!c->surf) {
        return rc;
    }
    cairo_status_t st = cairo_status(c->cr);
    cairo_destroy(c->cr);
    c->cr = NULL;
    if (c->fig->format == ENT_PLOT_PNG && st == CAIRO_STATUS_SUCCESS) {
        cairo_surface_flush(c->surf);
        st = cairo_surface_write_to_png_stream(c->surf, to_buf, &c->fig->data);
    }
    cairo_surface_finish(c->surf);
    if (st == CAIRO_STATUS_SUCCESS) {
        st = cairo_surface_status(c->surf);
    }
    cairo_surface_destroy(c->surf);
    c->surf = NULL;
    if (rc == ENT_OK && st != CAIRO_STATUS_SUCCESS) {
        rc = ent_i_err(ENT_EIO, "cairo: %s", cairo_status_to_string(st));
    }
    if (rc == ENT_OK && c->fig->format == ENT_PLOT_SVG) {
        rc = svg_renumber(&c->fig->data);
    }
    if (rc == ENT_OK && c->fig->format == ENT_PLOT_SVG) {
        rc = svg_compact(&c->fig->data);
    }
    return rc;
}

/* ------------------------------------------------------------ axes */

double ent_i_nice_step(double lo, double hi, int n)
{
    double span = hi - lo;
    if (!(span > 0)) {
        span = fabs(hi) > 0 ? fabs(hi) : 1;
    }
    double raw = span / (n > 0 ? n : 5);
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    double m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return m * p;
}

double ent_i_nice_range(double *lo, double *hi, int n, bool integer)
{
    if (*hi <= *lo) {
        *hi = *lo + (integer ? 1 : (fabs(*lo) > 0 ? fabs(*lo) * 0.1 : 1));
    }
    double step = ent_i_nice_step(*lo, *hi, n);
    if (integer && step < 1) {
        step = 1;
    }
    *lo = floor(*lo / step + 1e-9) * step;
    *hi = ceil(*hi / step - 1e-9) * step;
    return step;
}

void ent_i_fmt_tick(char *buf, size_t n, double v, double step)
{
    int dec = 0;
    while (dec < 6 && fabs(step * pow(10, dec) - round(step * pow(10, dec))) > 1e-6) {
        dec++;
    }
    if (fabs(v) < step * 1e-9) {
        v = 0;
    }
    snprintf(buf, n, "%.*f", dec, v);
}

double ent_i_ytick_width(ent_i_canvas_t *c, double ymin, double ymax, double ystep, double size)
{
    double w = 0;
    char buf[64];
    for (double v = ymin; v <= ymax + ystep * 1e-6; v += ystep) {
        ent_i_fmt_tick(buf, sizeof buf, v, ystep);
        w = fmax(w, ent_i_text_width(c, buf, size, false));
    }
    return w;
}

void ent_i_axes_draw(ent_i_canvas_t *c, const ent_i_axes_t *a, double xstep, double ystep, const char *xlabel,
                     const char *ylabel, bool draw_xticks)
{
    cairo_t *cr = c->cr;
    char buf[64];
    cairo_set_line_width(cr, 0.6);
    /* ticks at multiples of the step: the axis may start a little below its first tick */
    for (double v = ceil(a->ymin / ystep - 1e-9) * ystep; v <= a->ymax + ystep * 1e-6; v += ystep) {
        double y = ent_i_ax_y(a, v);
        ent_i_rgb(cr, 0xdddddd, 1);
        cairo_move_to(cr, a->x0, y);
        cairo_line_to(cr, a->x1, y);
        ent_i_stroke(c);
        ent_i_fmt_tick(buf, sizeof buf, v, ystep);
        ent_i_text(c, a->x0 - 5, y, buf, 11, false, 1, 0.5, ENT_PLOT_TEXT_TICK, 0x333333);
    }
    double first = ceil(a->xmin / xstep - 1e-9) * xstep;
    for (double v = first; v <= a->xmax + xstep * 1e-6; v += xstep) {
        double x = ent_i_ax_x(a, v);
        ent_i_rgb(cr, 0xeeeeee, 1);
        cairo_move_to(cr, x, a->y0);
        cairo_line_to(cr, x, a->y1);
        ent_i_stroke(c);
        if (draw_xticks) {
            ent_i_rgb(cr, 0x333333, 1);
            cairo_move_to(cr, x, a->y1);
            cairo_line_to(cr, x, a->y1 + 4);
            ent_i_stroke(c);
            snprintf(buf, sizeof buf, "%.0f", v);
            ent_i_text(c, x, a->y1 + 6, buf, 11, false, 0.5, 0, ENT_PLOT_TEXT_TICK, 0x333333);
        }
    }
    ent_i_rgb(cr, 0x555555, 1);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, a->x0, a->y0, a->x1 - a->x0, a->y1 - a->y0);
    ent_i_stroke(c);
    if (xlabel && *xlabel && draw_xticks) {
        ent_i_text(c, (a->x0 + a->x1) / 2, a->y1 + 6 + ent_i_line_height(11) + 2, xlabel, 12, false, 0.5, 0,
                   ENT_PLOT_TEXT_AXIS, 0x222222);
    }
    if (ylabel && *ylabel) {
        double tw = ent_i_ytick_width(c, a->ymin, a->ymax, ystep, 11);
        ent_i_text_up(c, a->x0 - 5 - tw - 6 - ent_i_line_height(12) / 2, (a->y0 + a->y1) / 2, ylabel, 12,
                      ENT_PLOT_TEXT_AXIS);
    }
}

/* ------------------------------------------------------------ legends */

#define KEY_W 26.0
#define LEGEND_SIZE 11.5

static void draw_key(ent_i_canvas_t *c, const ent_i_legend_item_t *it, double x, double ymid)
{
    cairo_t *cr = c->cr;
    double a = it->alpha > 0 ? it->alpha : 1;
    switch (it->key) {
    case ENT_I_KEY_BOX:
        ent_i_rgb(cr, it->color, a);
        cairo_rectangle(cr, x, ymid - 6, KEY_W, 12);
        ent_i_fill(c);
        break;
    case ENT_I_KEY_CIRCLE:
        ent_i_rgb(cr, it->color, a);
        cairo_arc(cr, x + KEY_W / 2, ymid, 6, 0, 2 * M_PI);
        ent_i_fill_preserve(c);
        ent_i_rgb(cr, 0x333333, 1);
        cairo_set_line_width(cr, 0.7);
        ent_i_stroke(c);
        break;
    default: {
        ent_i_rgb(cr, it->color, a);
        cairo_set_line_width(cr, it->width > 0 ? it->width : 2);
        if (it->key == ENT_I_KEY_DASH) {
            double d[] = {6, 3};
            cairo_set_dash(cr, d, 2, 0);
        } else if (it->key == ENT_I_KEY_DOT) {
            double d[] = {1.5, 3};
            cairo_set_dash(cr, d, 2, 0);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        }
        cairo_move_to(cr, x, ymid);
        cairo_line_to(cr, x + KEY_W, ymid);
        ent_i_stroke(c);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        if (it->key == ENT_I_KEY_ARROW) {
            cairo_move_to(cr, x + KEY_W, ymid);
            cairo_line_to(cr, x + KEY_W - 7, ymid - 4);
            cairo_line_to(cr, x + KEY_W - 7, ymid + 4);
            cairo_close_path(cr);
            ent_i_fill(c);
        }
    }
    }
}

double ent_i_legend(ent_i_canvas_t *c, double x, double y, double maxw, const ent_i_legend_item_t *items, size_t n,
                    bool draw)
{
    double lh = ent_i_line_height(LEGEND_SIZE) + 4, cx = x, cy = y;
    for (size_t k = 0; k < n; k++) {
        double w = KEY_W + 6 + ent_i_text_width(c, items[k].label, LEGEND_SIZE, false) + 18;
        if (cx > x && cx + w > x + maxw) {
            cx = x;
            cy += lh;
        }
        if (draw) {
            draw_key(c, &items[k], cx, cy + lh / 2 - 2);
            ent_i_text(c, cx + KEY_W + 6, cy + lh / 2 - 2, items[k].label, LEGEND_SIZE, false, 0, 0.5,
                       ENT_PLOT_TEXT_LEGEND, 0x222222);
        }
        cx += w;
    }
    return n ? cy - y + lh : 0;
}
