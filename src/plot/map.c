/*
 * map.c -- a world map of states coloured by category: country shapes from
 * Natural Earth (npm world-atlas 2.0.2, countries-110m.json, TopoJSON, public
 * domain shapes) decoded with jansson, their ISO 3166 numeric ids mapped to
 * ISO3 with the code table of npm i18n-iso-countries, drawn in the Equal
 * Earth projection (Savric, Patterson & Jenny 2018: equal-area, so a state's
 * colour weighs by its land). Both files are installed by scripts/bootstrap
 * into share/npm/node_modules at build time; nothing is fetched at run time.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

/* a warm tone apart from every category and from their pale shades */
#define NO_DATA 0xE6DCC8

#ifndef ENT_DEFAULT_ATLAS_DIR
#define ENT_DEFAULT_ATLAS_DIR "share/npm/node_modules"
#endif

const char *ent_plot_atlas_dir(void)
{
    const char *env = getenv("ENTENTE_ATLAS");
    return env && *env ? env : ENT_DEFAULT_ATLAS_DIR;
}

/* Equal Earth, on longitude and latitude in degrees; x in [-2.7, 2.7], y in [-1.32, 1.32] (north up). */
static void equal_earth(double lon, double lat, double *x, double *y)
{
    const double A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, M = sqrt(3.0) / 2;
    double lam = lon * M_PI / 180, phi = lat * M_PI / 180;
    double t = asin(M * sin(phi)), t2 = t * t, t6 = t2 * t2 * t2;
    *x = lam * cos(t) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
    *y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
}

typedef struct {
    double *xy; /* decoded positions of every arc, lon/lat */
    size_t *start, *len;
    size_t narcs;
} arcs_t;

static void arcs_free(arcs_t *a)
{
    ent_free(a->xy);
    ent_free(a->start);
    ent_free(a->len);
}

static ent_err_t decode_arcs(arcs_t *a, json_t *topo, const char *path)
{
    json_t *arcs = json_object_get(topo, "arcs"), *tr = json_object_get(topo, "transform");
    json_t *sc = json_object_get(tr, "scale"), *tl = json_object_get(tr, "translate");
    if (!json_is_array(arcs) || !json_is_array(sc) || !json_is_array(tl)) {
        return ent_i_err(ENT_EPARSE, "%s: not a quantized TopoJSON topology (arcs, transform)", path);
    }
    double kx = json_number_value(json_array_get(sc, 0)), ky = json_number_value(json_array_get(sc, 1));
    double dx = json_number_value(json_array_get(tl, 0)), dy = json_number_value(json_array_get(tl, 1));
    a->narcs = json_array_size(arcs);
    size_t total = 0;
    for (size_t i = 0; i < a->narcs; i++) {
        total += json_array_size(json_array_get(arcs, i));
    }
    a->xy = ent_calloc(2 * total + 2, sizeof(double));
    a->start = ent_calloc(a->narcs + 1, sizeof(size_t));
    a->len = ent_calloc(a->narcs + 1, sizeof(size_t));
    if (!a->xy || !a->start || !a->len) {
        return ent_i_nomem();
    }
    size_t p = 0;
    for (size_t i = 0; i < a->narcs; i++) {
        json_t *arc = json_array_get(arcs, i);
        a->start[i] = p;
        a->len[i] = json_array_size(arc);
        double qx = 0, qy = 0; /* positions are delta-encoded within an arc */
        for (size_t j = 0; j < a->len[i]; j++) {
            json_t *pt = json_array_get(arc, j);
            if (!json_is_array(pt) || json_array_size(pt) < 2) {
                return ent_i_err(ENT_EPARSE, "%s: arc %zu, position %zu is not a pair", path, i, j);
            }
            qx += json_number_value(json_array_get(pt, 0));
            qy += json_number_value(json_array_get(pt, 1));
            a->xy[2 * p] = qx * kx + dx;
            a->xy[2 * p + 1] = qy * ky + dy;
            p++;
        }
    }
    return ENT_OK;
}

typedef struct {
    double x0, y0, s; /* canvas = x0 + s * projected x, y0 - s * projected y */
} proj_t;

/* Adds one ring (a list of arc indices, ~i reversed) to the path; a jump across the antimeridian starts a new piece. */
static void ring_path(cairo_t *cr, const arcs_t *a, json_t *ring, const proj_t *pj)
{
    bool first = true;
    double plon = 0;
    for (size_t k = 0; k < json_array_size(ring); k++) {
        json_int_t idx = json_integer_value(json_array_get(ring, k));
        bool rev = idx < 0;
        size_t ai = (size_t)(rev ? ~idx : idx);
        if (ai >= a->narcs) {
            continue;
        }
        size_t n = a->len[ai];
        for (size_t j = k ? 1 : 0; j < n; j++) {
            size_t q = a->start[ai] + (rev ? n - 1 - j : j);
            double lon = a->xy[2 * q], lat = a->xy[2 * q + 1], x, y;
            equal_earth(lon, fmax(-89.9, fmin(89.9, lat)), &x, &y);
            x = pj->x0 + pj->s * x;
            y = pj->y0 - pj->s * y;
            if (first || fabs(lon - plon) > 180) {
                cairo_move_to(cr, x, y);
                first = false;
            } else {
                cairo_line_to(cr, x, y);
            }
            plon = lon;
        }
    }
    cairo_close_path(cr);
}

static void geometry_path(cairo_t *cr, const arcs_t *a, json_t *g, const proj_t *pj)
{
    const char *type = json_string_value(json_object_get(g, "type"));
    json_t *arcs = json_object_get(g, "arcs");
    if (!type || !json_is_array(arcs)) {
        return;
    }
    if (strcmp(type, "Polygon") == 0) {
        for (size_t r = 0; r < json_array_size(arcs); r++) {
            ring_path(cr, a, json_array_get(arcs, r), pj);
        }
    } else if (strcmp(type, "MultiPolygon") == 0) {
        for (size_t p = 0; p < json_array_size(arcs); p++) {
            json_t *poly = json_array_get(arcs, p);
            for (size_t r = 0; r < json_array_size(poly); r++) {
                ring_path(cr, a, json_array_get(poly, r), pj);
            }
        }
    }
}

/* ISO 3166 numeric -> alpha-3, from i18n-iso-countries' codes.json ([alpha2, alpha3, numeric, ...] rows). */
static ent_err_t load_codes(char (*iso3)[4], const char *path)
{
    json_error_t je;
    json_t *codes = json_load_file(path, 0, &je);
    if (!codes) {
        return ent_i_err(ENT_ENOTFOUND, "%s:%d: %s (the ISO code table; scripts/bootstrap installs it with npm)", path,
                         je.line, je.text);
    }
    for (size_t k = 0; k < json_array_size(codes); k++) {
        json_t *row = json_array_get(codes, k);
        const char *a3 = json_string_value(json_array_get(row, 1)), *num = json_string_value(json_array_get(row, 2));
        if (a3 && num && strlen(a3) == 3) {
            long v = strtol(num, NULL, 10);
            if (v > 0 && v < 1000) {
                memcpy(iso3[v], a3, 4);
            }
        }
    }
    json_decref(codes);
    return ENT_OK;
}

ent_err_t ent_plot_map(ent_figure_t *fig, const ent_plot_map_t *d, const ent_plot_options_t *o)
{
    if (!d || d->ncats < 1 || d->ncats > 12) {
        return ent_i_err(ENT_EINVAL, "map: 1 to 12 categories");
    }
    for (size_t k = 0; k < d->nregions; k++) {
        if (d->regions[k].category < 0 || (size_t)d->regions[k].category >= d->ncats ||
            !(d->regions[k].strength >= 0 && d->regions[k].strength <= 1)) {
            return ent_i_err(ENT_EINVAL, "map: region %s: category %d or strength %g out of range",
                             d->regions[k].iso3 ? d->regions[k].iso3 : "?", d->regions[k].category,
                             d->regions[k].strength);
        }
    }
    char atlas[4096], codes_path[4096];
    snprintf(atlas, sizeof atlas, "%s/world-atlas/countries-110m.json", ent_plot_atlas_dir());
    snprintf(codes_path, sizeof codes_path, "%s/i18n-iso-countries/codes.json", ent_plot_atlas_dir());
    char(*iso3)[4] = ent_calloc(1000, sizeof *iso3);
    if (!iso3) {
        return ent_i_nomem();
    }
    ent_err_t rc = load_codes(iso3, codes_path);
    if (rc != ENT_OK) {
        ent_free(iso3);
        return rc;
    }
    json_error_t je;
    json_t *topo = json_load_file(atlas, 0, &je);
    if (!topo) {
        ent_free(iso3);
        return ent_i_err(ENT_ENOTFOUND, "%s:%d: %s (Natural Earth shapes; scripts/bootstrap installs them with npm)",
                         atlas, je.line, je.text);
    }
    arcs_t a = {0};
    ent_i_canvas_t c = {0};
    json_t *geoms = json_object_get(json_object_get(json_object_get(topo, "objects"), "countries"), "geometries");
    if ((rc = decode_arcs(&a, topo, atlas)) != ENT_OK) {
        goto done;
    }
    if (!json_is_array(geoms)) {
        rc = ent_i_err(ENT_EPARSE, "%s: no objects.countries.geometries", atlas);
        goto done;
    }
    if ((rc = ent_i_canvas_open(&c, fig, o, 1000, 640)) != ENT_OK) {
        goto done;
    }
    ent_i_legend_item_t items[14];
    size_t ni = 0;
    for (size_t k = 0; k < d->ncats; k++) {
        items[ni++] = (ent_i_legend_item_t){d->cats[k].label, ENT_I_KEY_BOX,
                                            d->cats[k].color ? d->cats[k].color : ent_i_palette(k), 1, 0};
    }
    items[ni++] = (ent_i_legend_item_t){"no data (not a state of the model, or too small at this scale)", ENT_I_KEY_BOX,
                                        NO_DATA, 1, 0};
    double legw = c.W - 2 * ENT_I_MARGIN;
    double legh = ent_i_legend(&c, ENT_I_MARGIN, 0, legw, items, ni, false);
    double noteh = d->strength_label ? ent_i_line_height(11) + 2 : 0;
    /* the projection's extent: x in [-2.707, 2.707], y in [-1.317, 1.317]; Antarctica is left out */
    double ytop = 1.317, ybot = -1.05;
    double aw = c.W - 2 * ENT_I_MARGIN, ah = c.bottom - legh - noteh - 8 - c.top;
    double s = fmin(aw / (2 * 2.7074), ah / (ytop - ybot));
    proj_t pj = {c.W / 2, c.top + (ah - s * (ytop - ybot)) / 2 + s * ytop, s};
    fig->area[0] = pj.x0 - s * 2.7074;
    fig->area[1] = pj.y0 - s * ytop;
    fig->area[2] = pj.x0 + s * 2.7074;
    fig->area[3] = pj.y0 - s * ybot;
    cairo_t *cr = c.cr;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    /* everything inside the map's area: the sphere's southern cap (Antarctica's) is cut with it */
    cairo_save(cr);
    cairo_rectangle(cr, fig->area[0] - 1, fig->area[1] - 1, fig->area[2] - fig->area[0] + 2,
                    fig->area[3] - fig->area[1] + 2);
    cairo_clip(cr);
    /* the sphere's outline, for the reader's bearings */
    for (int k = 0; k <= 72; k++) {
        double lat = -90 + 180.0 * k / 72, x, y;
        equal_earth(-180, lat, &x, &y);
        if (k == 0) {
            cairo_move_to(cr, pj.x0 + s * x, pj.y0 - s * y);
        } else {
            cairo_line_to(cr, pj.x0 + s * x, pj.y0 - s * y);
        }
    }
    for (int k = 0; k <= 72; k++) {
        double lat = 90 - 180.0 * k / 72, x, y;
        equal_earth(180, lat, &x, &y);
        cairo_line_to(cr, pj.x0 + s * x, pj.y0 - s * y);
    }
    cairo_close_path(cr);
    ent_i_rgb(cr, 0xF3F7FA, 1);
    ent_i_fill_preserve(&c);
    ent_i_rgb(cr, 0xBBBBBB, 1);
    cairo_set_line_width(cr, 0.8);
    ent_i_stroke(&c);
    for (size_t g = 0; g < json_array_size(geoms); g++) {
        json_t *geom = json_array_get(geoms, g);
        const char *id = json_string_value(json_object_get(geom, "id"));
        long num = id ? strtol(id, NULL, 10) : 0;
        if (num == 10) {
            continue; /* Antarctica */
        }
        const char *code = num > 0 && num < 1000 ? iso3[num] : "";
        uint32_t col = NO_DATA;
        for (size_t k = 0; k < d->nregions && *code; k++) {
            if (d->regions[k].iso3 && strcasecmp(d->regions[k].iso3, code) == 0) {
                uint32_t base = items[d->regions[k].category].color;
                /* paler when less likely: strength 1 is the full colour, 0.2 (one of five) nearly white */
                double t = fmin(1, fmax(0, (1 - d->regions[k].strength) / 0.8)) * 0.8;
                col = ent_i_lighten(base, t);
                break;
            }
        }
        geometry_path(cr, &a, geom, &pj);
        ent_i_rgb(cr, col, 1);
        ent_i_fill_preserve(&c);
        ent_i_rgb(cr, 0xFFFFFF, 1);
        cairo_set_line_width(cr, 0.5);
        ent_i_stroke(&c);
    }
    cairo_restore(cr);
    if (d->strength_label) {
        ent_i_text(&c, ENT_I_MARGIN, c.bottom - legh - noteh, d->strength_label, 11, false, 0, 0, ENT_PLOT_TEXT_LEGEND,
                   0x333333);
    }
    ent_i_legend(&c, ENT_I_MARGIN, c.bottom - legh, legw, items, ni, true);
    rc = ent_i_canvas_close(&c);
done:
    if (c.surf) {
        ent_i_canvas_close(&c);
    }
    arcs_free(&a);
    json_decref(topo);
    ent_free(iso3);
    return rc;
}
