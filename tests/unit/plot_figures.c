/*
 * plot_figures.c -- every figure kind rendered from fixed data (and from the
 * shipped world and a small seeded ensemble), checked on structure: the
 * encoded file (PNG signature and size, SVG root and size, PDF header), the
 * labels that must be there, every text and all ink inside the canvas, no
 * tick, axis title, legend or caption text over the plot area, node labels
 * of the network not piled on each other, the same picture for the same seed,
 * and the errors for bad data. With ENT_PLOT_KEEP=DIR the PNGs are written
 * there for a person to look at.
 */
#include <stdint.h>

#include "check.h"

static ent_world_t *W;

static ent_plot_options_t opts(ent_plot_format_t f, const char *title, const char *caption)
{
    ent_plot_options_t o = ENT_PLOT_OPTIONS_INIT;
    o.format = f;
    o.title = title;
    o.caption = caption;
    return o;
}

static void keep(const ent_figure_t *f, const char *name)
{
    const char *dir = getenv("ENT_PLOT_KEEP");
    if (!dir || !*dir) {
        return;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK_OK(ent_figure_save(f, path));
}

static bool inside(double x0, double y0, double x1, double y1, const ent_figure_t *f)
{
    return x0 >= -0.5 && y0 >= -0.5 && x1 <= f->width + 0.5 && y1 <= f->height + 0.5;
}

static bool overlaps_area(const ent_plot_text_t *t, const double *a)
{
    return t->x0 < a[2] - 0.5 && a[0] + 0.5 < t->x1 && t->y0 < a[3] - 0.5 && a[1] + 0.5 < t->y1;
}

/* The checks every figure passes. */
static void check_layout(const ent_figure_t *f, const char *what)
{
    CHECK(f->nmarks > 0);
    CHECK(f->texts.len > 0);
    for (size_t k = 0; k < f->texts.len; k++) {
        const ent_plot_text_t *t = &ENT_VEC_AT(&f->texts, ent_plot_text_t, k);
        if (!inside(t->x0, t->y0, t->x1, t->y1, f)) {
            fprintf(stderr, "%s: text '%s' at [%.1f,%.1f]-[%.1f,%.1f] outside the %gx%g canvas\n", what, t->text, t->x0,
                    t->y0, t->x1, t->y1, f->width, f->height);
            check_failures++;
        }
        bool around = t->role == ENT_PLOT_TEXT_TICK || t->role == ENT_PLOT_TEXT_AXIS ||
                      t->role == ENT_PLOT_TEXT_LEGEND || t->role == ENT_PLOT_TEXT_CAPTION ||
                      t->role == ENT_PLOT_TEXT_TITLE || t->role == ENT_PLOT_TEXT_SUBTITLE;
        if (around && f->area[2] > f->area[0] && overlaps_area(t, f->area)) {
            fprintf(stderr, "%s: text '%s' (role %d) lies over the plot area\n", what, t->text, (int)t->role);
            check_failures++;
        }
    }
    CHECK(inside(f->ink[0], f->ink[1], f->ink[2], f->ink[3], f));
}

static size_t count(const char *hay, size_t len, const char *needle)
{
    size_t n = 0, nl = strlen(needle);
    for (const char *p = hay; p && (size_t)(p - hay) + nl <= len; p++) {
        p = memmem(p, len - (size_t)(p - hay), needle, nl);
        if (!p) {
            break;
        }
        n++;
    }
    return n;
}

static void check_svg(const ent_figure_t *f, size_t min_paths)
{
    /* coordinates are written with at most two decimals: no " d.ddd" anywhere */
    size_t long_numbers = 0;
    for (size_t k = 1; k + 4 < f->data.len; k++) {
        const char *p = f->data.ptr + k;
        if ((p[-1] == ' ' || p[-1] == ',') && p[0] >= '0' && p[0] <= '9') {
            const char *q = p;
            while (*q >= '0' && *q <= '9') {
                q++;
            }
            long_numbers +=
                q[0] == '.' && q[1] >= '0' && q[1] <= '9' && q[2] >= '0' && q[2] <= '9' && q[3] >= '0' && q[3] <= '9';
        }
    }
    CHECK(long_numbers == 0);
    CHECK(f->format == ENT_PLOT_SVG);
    CHECK(f->data.len > 200 && memcmp(f->data.ptr, "<?xml", 5) == 0);
    char attr[64];
    snprintf(attr, sizeof attr, "width=\"%gpx\"", f->width);
    CHECK(count(f->data.ptr, f->data.len, attr) == 1);
    snprintf(attr, sizeof attr, "height=\"%gpx\"", f->height);
    CHECK(count(f->data.ptr, f->data.len, attr) == 1);
    CHECK(count(f->data.ptr, f->data.len, "</svg>") == 1);
    CHECK(count(f->data.ptr, f->data.len, "<path") >= min_paths);
    /* cairo sets text as glyph symbols placed by <use> */
    CHECK(count(f->data.ptr, f->data.len, "<use") > 10);
}

static void check_png(const ent_figure_t *f)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    CHECK(f->data.len > 1000 && memcmp(f->data.ptr, sig, 8) == 0);
    if (f->data.len > 24) {
        const unsigned char *p = (const unsigned char *)f->data.ptr + 16; /* IHDR width, height */
        uint32_t w = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        uint32_t h = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
        CHECK(w == (uint32_t)f->width && h == (uint32_t)f->height);
    }
}

/* ------------------------------------------------------------ fixed data */

static void test_fan(void)
{
    double q05[11], q25[11], q50[11], q75[11], q95[11], r05[11], r50[11], r95[11];
    for (int y = 0; y < 11; y++) {
        q50[y] = 1 + 0.3 * y;
        q25[y] = q50[y] - 0.2 * y;
        q75[y] = q50[y] + 0.3 * y;
        q05[y] = q50[y] - 0.4 * y;
        q95[y] = q50[y] + 0.7 * y;
        r50[y] = 67 - 0.1 * y;
        r05[y] = r50[y] - 0.5 * y;
        r95[y] = r50[y] + 0.2 * y;
    }
    ent_plot_band_t b[2] = {{"pacts of the second pole", q05, q25, q50, q75, q95, 0},
                            {"pacts of the first pole", r05, NULL, r50, NULL, r95, 0}};
    ent_plot_fan_t d = {2024, 11, b, 2, "year", "defence pacts held (count)", NAN, NAN, true};
    ent_figure_t f;
    ent_figure_init(&f);
    ent_plot_options_t o = opts(ENT_PLOT_SVG, "Fixed fan", "Source: made-up numbers for the test.");
    CHECK_OK(ent_plot_fan(&f, &d, &o));
    check_svg(&f, 6);
    check_layout(&f, "fan");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "pacts of the second pole") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_AXIS, "defence pacts held (count)") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_TICK, "2024") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_TICK, "2034") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_CAPTION, "made-up") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_TITLE, "Fixed fan") == 1);
    /* y range covers the data: 0 .. at least 68 */
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_TICK, "0") >= 1);

    o.format = ENT_PLOT_PNG;
    CHECK_OK(ent_plot_fan(&f, &d, &o));
    check_png(&f);
    keep(&f, "fixed_fan.png");
    o.format = ENT_PLOT_PDF;
    CHECK_OK(ent_plot_fan(&f, &d, &o));
    CHECK(f.data.len > 500 && memcmp(f.data.ptr, "%PDF-", 5) == 0);

    /* bad data */
    q50[3] = NAN;
    CHECK_RC(ent_plot_fan(&f, &d, &o), ENT_EINVAL);
    q50[3] = 2;
    d.nyears = 1;
    CHECK_RC(ent_plot_fan(&f, &d, &o), ENT_EINVAL);
    d.nyears = 11;
    o.width = 100;
    CHECK_RC(ent_plot_fan(&f, &d, &o), ENT_EINVAL);
    ent_figure_destroy(&f);
}

static void test_lines(void)
{
    enum { N = 203 };
    double s[N], p[N], fr[N];
    for (int y = 0; y < N; y++) {
        s[y] = 0.5 + 0.3 * sin(y / 20.0);
        p[y] = y < 10 ? NAN : 0.4 + 0.2 * cos(y / 15.0);
        fr[y] = (y % 37) * 0.5;
    }
    ent_plot_line_t l1[1] = {{"mean S score of allied dyads", s, 0}};
    ent_plot_line_t l2[1] = {{"bipolarity", p, 0}};
    ent_plot_line_t l3[1] = {{"frustration index", fr, 0}};
    ent_plot_panel_t panels[3] = {{"similarity (S, -1..1)", l1, 1, NAN, NAN},
                                  {"share of capability (0-1)", l2, 1, 0, 1},
                                  {"unbalanced ties (count)", l3, 1, NAN, NAN}};
    ent_plot_lines_t d = {1816, N, panels, 3, "year"};
    ent_figure_t f;
    ent_figure_init(&f);
    ent_plot_options_t o = opts(ENT_PLOT_SVG, "Two centuries", "Sources: fixed test data.");
    CHECK_OK(ent_plot_lines(&f, &d, &o));
    check_svg(&f, 10);
    check_layout(&f, "lines");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_TICK, "1850") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_TICK, "2000") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_AXIS, "unbalanced ties") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "bipolarity") == 1);
    o.format = ENT_PLOT_PNG;
    CHECK_OK(ent_plot_lines(&f, &d, &o));
    check_png(&f);
    keep(&f, "fixed_lines.png");
    fr[5] = INFINITY;
    CHECK_RC(ent_plot_lines(&f, &d, &o), ENT_EINVAL);
    ent_figure_destroy(&f);
}

static void test_bars(void)
{
    const char *rows[3] = {"Democratic People's Republic of Korea", "Viet Nam", "Brazil"};
    double v[15] = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.25, 0.25, 0, 0, 0.33, 0.33, 0.34, 0, 0};
    ent_plot_category_t cats[5] = {{"a", 0}, {"b", 0}, {"c", 0}, {"d", 0}, {"e", 0}};
    ent_plot_bars_t d = {3, 5, rows, v, cats, "probability"};
    ent_figure_t f;
    ent_figure_init(&f);
    ent_plot_options_t o = opts(ENT_PLOT_SVG, "Bars", NULL);
    CHECK_OK(ent_plot_bars(&f, &d, &o));
    check_svg(&f, 10);
    check_layout(&f, "bars");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "Democratic People's Republic of Korea") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "0.40") == 1);
    /* a row label ends left of the bars */
    for (size_t k = 0; k < f.texts.len; k++) {
        const ent_plot_text_t *t = &ENT_VEC_AT(&f.texts, ent_plot_text_t, k);
        if (strcmp(t->text, "Brazil") == 0) {
            CHECK(t->x1 <= f.area[0]);
        }
    }
    v[0] = 0.9; /* the first row now sums to 1.9 */
    CHECK_RC(ent_plot_bars(&f, &d, &o), ENT_EINVAL);
    ent_figure_destroy(&f);
}

static void test_pyramid_fixed(void)
{
    const char *top[1] = {"Democratic People's Republic of Korea"};
    const char *many[40];
    for (int k = 0; k < 40; k++) {
        many[k] = "Central African Republic";
    }
    ent_plot_layer_t l[3] = {{"Formal allies", NULL, top, 1, 0},
                             {"Tier 8", "'Comprehensive Strategic Partnership of Coordination'", many, 3, 0},
                             {"Tier 1", NULL, many, 40, 0}};
    ent_plot_pyramid_t d = {l, 3};
    ent_figure_t f;
    ent_figure_init(&f);
    ent_plot_options_t o = opts(ENT_PLOT_SVG, "Pyramid", "caption");
    CHECK_OK(ent_plot_pyramid(&f, &d, &o));
    check_svg(&f, 3);
    check_layout(&f, "pyramid");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "Democratic People's Republic of Korea") == 1);
    /* 40 names do not fit five lines: the rest are counted */
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "more") == 1);
    ent_figure_destroy(&f);
}

static void test_network_fixed(void)
{
    ent_plot_node_t nodes[4] = {{"Alpha", 0.2, 0}, {"Beta", 0.05, 0}, {"Gamma", 0.1, 1}, {"Delta", NAN, -1}};
    ent_plot_edge_t edges[4] = {{0, 1, ENT_TIE_PACT, 0, false},
                                {2, 3, ENT_TIE_PARTNERSHIP, 5, false},
                                {0, 2, ENT_TIE_RIVALRY, 0, false},
                                {2, 1, ENT_TIE_COERCION, 0, true}};
    const char *groups[2] = {"bloc A", "bloc B"};
    ent_plot_network_t d = {nodes, 4, edges, 4, groups, 2, 7};
    ent_figure_t f, g;
    ent_figure_init(&f);
    ent_figure_init(&g);
    ent_plot_options_t o = opts(ENT_PLOT_SVG, "Net", "caption");
    CHECK_OK(ent_plot_network(&f, &d, &o));
    check_svg(&f, 8);
    check_layout(&f, "network");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "Delta") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "defence pact") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "rivalry") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "security tie") == 0); /* none drawn */
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "in none of these blocs") == 1);
    /* the same seed draws the same picture */
    CHECK_OK(ent_plot_network(&g, &d, &o));
    CHECK(f.data.len == g.data.len && memcmp(f.data.ptr, g.data.ptr, f.data.len) == 0);
    edges[0].b = 9;
    CHECK_RC(ent_plot_network(&f, &d, &o), ENT_EINVAL);
    ent_figure_destroy(&f);
    ent_figure_destroy(&g);
}

static void test_save(void)
{
    ent_plot_format_t fmt;
    CHECK_OK(ent_plot_format_from_path(&fmt, "a/b.PNG"));
    CHECK(fmt == ENT_PLOT_PNG);
    CHECK_OK(ent_plot_format_from_path(&fmt, "x.pdf"));
    CHECK(fmt == ENT_PLOT_PDF);
    CHECK_RC(ent_plot_format_from_path(&fmt, "x.jpg"), ENT_EINVAL);
    CHECK_RC(ent_plot_format_from_path(&fmt, "svg"), ENT_EINVAL);
    const char *tmp = getenv("ENT_TMP");
    char path[1024];
    snprintf(path, sizeof path, "%s/plot_save_test.svg", tmp ? tmp : ".");
    ent_figure_t f;
    ent_figure_init(&f);
    CHECK_OK(ent_buf_puts(&f.data, "<svg/>"));
    CHECK_OK(ent_figure_save(&f, path));
    FILE *fp = fopen(path, "rb");
    char buf[16] = {0};
    CHECK(fp && fread(buf, 1, sizeof buf, fp) == 6 && strcmp(buf, "<svg/>") == 0);
    if (fp) {
        fclose(fp);
    }
    remove(path);
    CHECK_RC(ent_figure_save(&f, "/nonexistent-dir/x.svg"), ENT_EIO);
    ent_figure_destroy(&f);
}

/* The map needs the shapes scripts/bootstrap installs with npm: without them it says so, and the test says it skipped.
 */
static bool atlas_present(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/world-atlas/countries-110m.json", ent_plot_atlas_dir());
    FILE *f = fopen(path, "r");
    if (f) {
        fclose(f);
        return true;
    }
    fprintf(stderr, "skip: the map's country shapes are not installed (%s): run scripts/bootstrap\n", path);
    return false;
}

static void test_map_fixed(void)
{
    ent_plot_region_t r[4] = {{"USA", 0, 1.0}, {"CHN", 1, 1.0}, {"BRA", 1, 0.3}, {"XXX", 0, 1}};
    ent_plot_category_t cats[2] = {{"first", 0x0072B2}, {"second", 0xD55E00}};
    ent_plot_map_t d = {r, 4, cats, 2, "paler: less likely"};
    ent_figure_t f;
    ent_figure_init(&f);
    ent_plot_options_t o = opts(ENT_PLOT_SVG, "Map", "Shapes: Natural Earth.");
    if (!atlas_present()) {
        CHECK_RC(ent_plot_map(&f, &d, &o), ENT_ENOTFOUND);
        ent_figure_destroy(&f);
        return;
    }
    CHECK_OK(ent_plot_map(&f, &d, &o));
    check_svg(&f, 150); /* 176 countries of Natural Earth 1:110m without Antarctica, and the sphere */
    check_layout(&f, "map");
    CHECK(f.nmarks >= 2 * 176);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "second") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "no data") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "paler") == 1);
    /* the countries' fill colours: the full ones and Brazil's pale shade (0.3 of the way: 70% lightened by 0.8/0.8) */
    CHECK(strstr(f.data.ptr, "rgb(0%,44.71%,69.8%)") != NULL);  /* USA, 0x0072B2 */
    CHECK(strstr(f.data.ptr, "rgb(83.53%,36.86%,0%)") != NULL); /* CHN, 0xD55E00 */
    r[0].category = 5;
    CHECK_RC(ent_plot_map(&f, &d, &o), ENT_EINVAL);
    ent_figure_destroy(&f);
}

/* ------------------------------------------------------------ from the engine */

static size_t label_overlaps(const ent_figure_t *f, size_t *nlabels)
{
    size_t n = 0;
    *nlabels = 0;
    for (size_t a = 0; a < f->texts.len; a++) {
        const ent_plot_text_t *x = &ENT_VEC_AT(&f->texts, ent_plot_text_t, a);
        if (x->role != ENT_PLOT_TEXT_LABEL) {
            continue;
        }
        (*nlabels)++;
        for (size_t b = a + 1; b < f->texts.len; b++) {
            const ent_plot_text_t *y = &ENT_VEC_AT(&f->texts, ent_plot_text_t, b);
            /* the boxes are line boxes: touching lines of one label do not count */
            if (y->role == ENT_PLOT_TEXT_LABEL && x->x0 < y->x1 - 1 && y->x0 < x->x1 - 1 && x->y0 < y->y1 - 2 &&
                y->y0 < x->y1 - 2) {
                n++;
            }
        }
    }
    return n;
}

static void test_world_network(void)
{
    ent_figure_t f;
    ent_figure_init(&f);
    ent_plot_options_t o = opts(ENT_PLOT_SVG, "The alliance system on 2024-12-31", "Sources: the shipped world.");
    ent_plot_network_options_t no = ENT_PLOT_NETWORK_OPTIONS_INIT;
    CHECK_OK(ent_plot_world_network(&f, W, 20241231, &no, &o));
    check_svg(&f, 40);
    check_layout(&f, "world network");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "United States") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "China") >= 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "bloc of United States") == 1);
    size_t nl;
    size_t ov = label_overlaps(&f, &nl);
    CHECK(nl == 40);
    if (ov > 2) {
        fprintf(stderr, "world network: %zu overlapping label pairs among %zu\n", ov, nl);
        check_failures++;
    }
    o.format = ENT_PLOT_PNG;
    CHECK_OK(ent_plot_world_network(&f, W, 20241231, &no, &o));
    check_png(&f);
    keep(&f, "world_network.png");
    /* China's ties only */
    int64_t chn;
    CHECK_OK(ent_world_find(&chn, W, "CHN"));
    no.focus = chn;
    no.top = 0;
    CHECK_OK(ent_plot_world_network(&f, W, 20241231, &no, &o));
    check_layout(&f, "China's network");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "Russia") == 1);
    keep(&f, "china_network.png");
    /* before any tie */
    no.focus = -1;
    CHECK_RC(ent_plot_world_network(&f, W, 18000101, &no, &o), ENT_ENOTFOUND);
    ent_figure_destroy(&f);
}

static void test_world_pyramid(void)
{
    int64_t chn;
    CHECK_OK(ent_world_find(&chn, W, "CHN"));
    ent_figure_t f;
    ent_figure_init(&f);
    ent_plot_options_t o = opts(ENT_PLOT_SVG, "China's pyramid of partners", "Sources: PRC MFA.");
    CHECK_OK(ent_plot_world_pyramid(&f, W, chn, 20241231, &o));
    check_svg(&f, 4);
    check_layout(&f, "pyramid");
    /* the essay's pyramid: North Korea alone at the top, Russia at the top tier */
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "Formal allies") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "Korea") >= 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "Russia") >= 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LABEL, "Tier") >= 4);
    size_t nl;
    CHECK(label_overlaps(&f, &nl) == 0);
    /* the first text label inside the pyramid is the top layer's */
    o.format = ENT_PLOT_PNG;
    CHECK_OK(ent_plot_world_pyramid(&f, W, chn, 20241231, &o));
    check_png(&f);
    keep(&f, "china_pyramid.png");
    CHECK_RC(ent_plot_world_pyramid(&f, W, 100000, 20241231, &o), ENT_EINVAL);
    ent_figure_destroy(&f);
}

static void test_ensemble(void)
{
    ent_scenario_t s;
    ent_scenario_defaults(&s);
    s.runs = 40;
    s.years = 12;
    s.report_year = s.start_year + 6;
    ent_model_t *m = NULL;
    ent_ensemble_t *e = NULL;
    CHECK_OK(ent_model_new(&m, W, &s));
    ent_ensemble_options_t eo = ENT_ENSEMBLE_OPTIONS_INIT;
    eo.threads = 1;
    if (m) {
        CHECK_OK(ent_ensemble_run(&e, m, 0, s.runs, &eo));
    }
    if (!e) {
        ent_model_free(m);
        return;
    }
    ent_figure_t f;
    ent_figure_init(&f);
    ent_plot_options_t o = opts(ENT_PLOT_SVG, "Defence pacts", "40 runs");
    ent_series_t pacts[1] = {ENT_SERIES_PACTS1};
    CHECK_OK(ent_plot_ensemble_fan(&f, e, m, W, &s, pacts, 1, &o));
    check_svg(&f, 5);
    check_layout(&f, "ensemble fan");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "defence pacts held by China") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_AXIS, "(count)") == 1);
    ent_series_t shares[3] = {ENT_SERIES_BLOC0, ENT_SERIES_BLOC1, ENT_SERIES_BIPOLARITY};
    o.format = ENT_PLOT_PNG;
    CHECK_OK(ent_plot_ensemble_fan(&f, e, m, W, &s, shares, 3, &o));
    check_layout(&f, "bloc shares");
    keep(&f, "ensemble_blocs.png");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "United States") == 1);
    ent_series_t mixed[2] = {ENT_SERIES_PACTS1, ENT_SERIES_BLOC1};
    CHECK_RC(ent_plot_ensemble_fan(&f, e, m, W, &s, mixed, 2, &o), ENT_EINVAL);
    ent_series_t states[3] = {ENT_SERIES_HEDGERS, ENT_SERIES_FINLAND0, ENT_SERIES_FINLAND1};
    CHECK_OK(ent_plot_ensemble_fan(&f, e, m, W, &s, states, 3, &o));
    check_layout(&f, "hedgers");
    keep(&f, "ensemble_states.png");

    o.format = ENT_PLOT_SVG;
    CHECK_OK(ent_plot_ensemble_alignment(&f, e, m, W, &s, s.report_year, 25, &o));
    check_svg(&f, 25);
    check_layout(&f, "alignment");
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "aligned with China") == 1);
    CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "Finlandized toward United States") == 1);
    /* 25 rows, each labelled with a full name (the tick labels are the other texts) */
    size_t rows = 0;
    for (size_t k = 0; k < f.texts.len; k++) {
        const ent_plot_text_t *t = &ENT_VEC_AT(&f.texts, ent_plot_text_t, k);
        rows += t->role == ENT_PLOT_TEXT_LABEL && t->x1 <= f.area[0];
    }
    CHECK(rows == 25);
    o.format = ENT_PLOT_PNG;
    CHECK_OK(ent_plot_ensemble_alignment(&f, e, m, W, &s, s.report_year, 25, &o));
    keep(&f, "ensemble_alignment.png");
    CHECK_RC(ent_plot_ensemble_alignment(&f, e, m, W, &s, 1990, 25, &o), ENT_ERANGE);
    if (atlas_present()) {
        CHECK_OK(ent_plot_ensemble_map(&f, e, m, W, &s, s.report_year, &o));
        check_layout(&f, "ensemble map");
        CHECK(ent_figure_count_text(&f, ENT_PLOT_TEXT_LEGEND, "aligned with China") == 1);
        keep(&f, "ensemble_map.png");
    }
    CHECK_RC(ent_plot_ensemble_map(&f, e, m, W, &s, 1990, &o), ENT_ERANGE);
    ent_figure_destroy(&f);
    ent_ensemble_free(e);
    ent_model_free(m);
}

int main(void)
{
    test_fan();
    test_lines();
    test_bars();
    test_pyramid_fixed();
    test_network_fixed();
    test_save();
    test_map_fixed();
    ent_err_t rc = ent_world_load_dir(&W, ent_world_default_dir());
    if (rc != ENT_OK) {
        fprintf(stderr, "cannot load the shipped world: %s\n", ent_errmsg());
        return 1;
    }
    test_world_network();
    test_world_pyramid();
    test_ensemble();
    ent_world_free(W);
    ent_plot_cleanup(); /* fontconfig's caches, for the leak checker */
    return check_failures ? 1 : 0;
}
