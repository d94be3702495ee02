/*
 * plot.h -- figures: fan charts of ensemble series, alignment probabilities,
 * the alliance network at a date, a state's pyramid of ties, series over
 * time, drawn with cairo into PNG, SVG or PDF.
 *
 * Every figure is rendered into an ent_figure_t: the encoded bytes (written
 * to a file with ent_figure_save, or inlined in an HTML report) and a record
 * of the layout -- the canvas, the plot area, every piece of text with its
 * box and role, the count of marks and the box of all ink -- so tests can
 * check what a figure shows without decoding pixels (cairo's SVG carries
 * text as glyph outlines, not as <text>).
 *
 * Two levels: ent_plot_fan/bars/lines/network/pyramid draw plain data (fixed
 * data in tests); ent_plot_ensemble_* and ent_plot_world_* gather that data
 * from an ensemble or a world and draw it. None of them prints; igraph (the
 * network layout) is called on the calling thread, never in parallel.
 */
#ifndef ENTENTE_PLOT_H
#define ENTENTE_PLOT_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "sim.h"
#include "store.h"
#include "util.h"
#include "world.h"

ENT_BEGIN_DECLS

typedef enum { ENT_PLOT_PNG = 1, ENT_PLOT_SVG = 2, ENT_PLOT_PDF = 3 } ent_plot_format_t;

/* The format named by a path's extension (.png, .svg, .pdf, any case); ENT_EINVAL otherwise. */
ent_err_t ent_plot_format_from_path(ent_plot_format_t *out, const char *path);

/* What a piece of text is, for layout checks. */
typedef enum {
    ENT_PLOT_TEXT_TITLE = 1,
    ENT_PLOT_TEXT_SUBTITLE = 2,
    ENT_PLOT_TEXT_AXIS = 3, /* an axis title, with its unit */
    ENT_PLOT_TEXT_TICK = 4, /* a tick label */
    ENT_PLOT_TEXT_LEGEND = 5,
    ENT_PLOT_TEXT_LABEL = 6,  /* a label inside the plot (a node, a bar, a layer) */
    ENT_PLOT_TEXT_CAPTION = 7 /* sources and notes below the figure */
} ent_plot_role_t;

typedef struct {
    char *text;
    double x0, y0, x1, y1; /* its ink box on the canvas, in canvas units (y down) */
    ent_plot_role_t role;
} ent_plot_text_t;

/* A rendered figure. Caller-allocated: ent_figure_init, a plot function, ent_figure_destroy. */
typedef struct {
    ent_plot_format_t format;
    double width, height; /* canvas: pixels for PNG, points for SVG and PDF */
    ent_buf_t data;       /* the encoded file */
    double area[4];       /* the plot area x0, y0, x1, y1; all 0 for figures without axes */
    ent_vec_t texts;      /* ent_plot_text_t, in drawing order */
    size_t nmarks;        /* shapes stroked or filled */
    double ink[4];        /* the box of everything drawn (x0, y0, x1, y1) */
} ent_figure_t;

void ent_figure_init(ent_figure_t *f);
void ent_figure_destroy(ent_figure_t *f);
/* Number of texts of `role` (0 = any) containing `needle` (NULL = any). */
size_t ent_figure_count_text(const ent_figure_t *f, ent_plot_role_t role, const char *needle);
/* Writes f->data to `path` through a temporary file in the same directory and a rename. ENT_EIO. */
ent_err_t ent_figure_save(const ent_figure_t *f, const char *path);

/*
 * Frees the process-wide caches of cairo and fontconfig (fonts, glyphs). For
 * leak checkers at process exit: call once, when no figure is being drawn on
 * any thread; drawing afterwards works but reloads the fonts.
 */
void ent_plot_cleanup(void);

typedef struct {
    unsigned version;
    ent_plot_format_t format;
    double width, height; /* 0 = the figure kind's default */
    const char *title;
    const char *subtitle; /* may be NULL */
    const char *caption;  /* sources and notes, wrapped below the figure; may be NULL */
} ent_plot_options_t;

#define ENT_PLOT_OPTIONS_VERSION 1
#define ENT_PLOT_OPTIONS_INIT                                                                                          \
    {                                                                                                                  \
        ENT_PLOT_OPTIONS_VERSION, ENT_PLOT_SVG, 0, 0, NULL, NULL, NULL                                                 \
    }

/* Colours are 0xRRGGBB; 0 picks the next colour of the palette. */

/* ------------------------------------------------------------ plain data */

/* One series of a fan chart: its median and quantile bands per year (q25/q75 may be NULL). */
typedef struct {
    const char *label;
    const double *q05, *q25, *q50, *q75, *q95; /* [nyears] */
    uint32_t color;
} ent_plot_band_t;

typedef struct {
    int first_year;
    size_t nyears; /* >= 2 */
    const ent_plot_band_t *series;
    size_t nseries;              /* >= 1 */
    const char *xlabel, *ylabel; /* the y label carries the unit */
    double ymin, ymax;           /* NaN = from the data (ymin 0 when the data are >= 0) */
    bool integer;                /* integer counts: ticks at integers */
} ent_plot_fan_t;

/*
 * A fan chart: per series the 5-95% band light, the 25-75% band darker, the
 * median as a line; a legend naming the series and the bands. ENT_EINVAL for
 * empty data or non-finite quantiles; ENT_ENOMEM; ENT_EIO when cairo fails.
 */
ent_err_t ent_plot_fan(ent_figure_t *fig, const ent_plot_fan_t *d, const ent_plot_options_t *o);

/* A line of a panel: y[nyears], NaN for a gap. */
typedef struct {
    const char *label;
    const double *y;
    uint32_t color;
} ent_plot_line_t;

typedef struct {
    const char *ylabel;
    const ent_plot_line_t *lines;
    size_t nlines;
    double ymin, ymax; /* NaN = from the data */
} ent_plot_panel_t;

typedef struct {
    int first_year;
    size_t nyears;
    const ent_plot_panel_t *panels; /* stacked top to bottom, sharing the year axis */
    size_t npanels;
    const char *xlabel;
} ent_plot_lines_t;

/* Series over years in stacked panels (similarity, polarization, frustration over two centuries). */
ent_err_t ent_plot_lines(ent_figure_t *fig, const ent_plot_lines_t *d, const ent_plot_options_t *o);

typedef struct {
    const char *label;
    uint32_t color;
} ent_plot_category_t;

typedef struct {
    size_t nrows, ncats;
    const char *const *rows;         /* row labels: full state names */
    const double *values;            /* [nrows][ncats], probabilities; a row sums to at most 1 */
    const ent_plot_category_t *cats; /* [ncats] */
    const char *xlabel;
} ent_plot_bars_t;

/* Horizontal stacked bars, one row per state, the shares printed inside the wide segments. */
ent_err_t ent_plot_bars(ent_figure_t *fig, const ent_plot_bars_t *d, const ent_plot_options_t *o);

typedef struct {
    const char *label; /* full name */
    double size;       /* capability share (CINC); NaN = unknown, drawn smallest */
    int group;         /* index into group_names; -1 = in no group */
} ent_plot_node_t;

typedef struct {
    size_t a, b;         /* node indices */
    ent_tie_kind_t kind; /* PACT, PARTNERSHIP, SECURITY, COERCION, RIVALRY (others are not drawn) */
    double level;        /* partnership tier (wider = higher) */
    bool directed;       /* coercion: a acts on b, drawn with an arrowhead */
} ent_plot_edge_t;

typedef struct {
    const ent_plot_node_t *nodes;
    size_t nnodes;
    const ent_plot_edge_t *edges;
    size_t nedges;
    const char *const *group_names; /* legend entries of the node colours */
    size_t ngroups;
    uint64_t seed; /* of the layout's random start: the same seed gives the same picture */
} ent_plot_network_t;

/*
 * A network: igraph's Fruchterman-Reingold layout weighted by tie kind, nodes
 * sized by capability (area proportional to the share), coloured by group,
 * labelled with full names placed where they do not overlap other labels;
 * edges styled by kind with a legend.
 */
ent_err_t ent_plot_network(ent_figure_t *fig, const ent_plot_network_t *d, const ent_plot_options_t *o);

/* One layer of a pyramid, top first. */
typedef struct {
    const char *label; /* "Formal ally (defence pact)", "Comprehensive Strategic Partnership" */
    const char *note;  /* a second line under the label (the monikers in use); may be NULL */
    const char *const *names;
    size_t nnames;
    uint32_t color;
} ent_plot_layer_t;

typedef struct {
    const ent_plot_layer_t *layers;
    size_t nlayers;
} ent_plot_pyramid_t;

/* A pyramid of layers, the names of each layer's partners inside it (wrapped, "+N more" when full). */
ent_err_t ent_plot_pyramid(ent_figure_t *fig, const ent_plot_pyramid_t *d, const ent_plot_options_t *o);

/* A state on a map: its category and how strongly it holds (1 = full colour, paler toward 0). */
typedef struct {
    const char *iso3;
    int category; /* index into the map's categories */
    double strength;
} ent_plot_region_t;

typedef struct {
    const ent_plot_region_t *regions;
    size_t nregions;
    const ent_plot_category_t *cats;
    size_t ncats;               /* 1..12 */
    const char *strength_label; /* what the shades mean, printed above the legend; may be NULL */
} ent_plot_map_t;

/*
 * The directory holding the country shapes (world-atlas/countries-110m.json,
 * Natural Earth 1:110m) and the ISO 3166 code table
 * (i18n-iso-countries/codes.json): $ENTENTE_ATLAS, else the build's
 * share/npm/node_modules (installed by scripts/bootstrap with npm).
 */
const char *ent_plot_atlas_dir(void);

/*
 * A world map in the Equal Earth projection, each country filled with its
 * region's category colour (paler with less strength), countries without a
 * region light grey, Antarctica left out. ENT_ENOTFOUND when the shapes or
 * the code table are not installed; ENT_EPARSE for a malformed topology.
 */
ent_err_t ent_plot_map(ent_figure_t *fig, const ent_plot_map_t *d, const ent_plot_options_t *o);

/* ------------------------------------------------------------ from the engine */

/*
 * Fan chart of ensemble series for the scenario `s` the ensemble ran (years
 * s->start_year .. + s->years), labelled with the poles' names from `w`.
 * Series of one unit only: pacts, blocs shares and bipolarity, hedgers and
 * Finlandized states are not mixed (ENT_EINVAL).
 */
ent_err_t ent_plot_ensemble_fan(ent_figure_t *fig, const ent_ensemble_t *e, const ent_model_t *m, const ent_world_t *w,
                                const ent_scenario_t *s, const ent_series_t *series, size_t nseries,
                                const ent_plot_options_t *o);

/*
 * Per-state alignment probabilities in `year`: the `top` states whose
 * alignment is least certain (1 - the largest probability), ordered from the
 * first pole's side to the second's.
 */
ent_err_t ent_plot_ensemble_alignment(ent_figure_t *fig, const ent_ensemble_t *e, const ent_model_t *m,
                                      const ent_world_t *w, const ent_scenario_t *s, int year, size_t top,
                                      const ent_plot_options_t *o);

/*
 * A world map of each state's most likely alignment in `year` (with the
 * first pole, Finlandized toward it, hedging, Finlandized toward the second,
 * with the second), paler the less likely it is; the poles in their own
 * colour. ENT_ERANGE for a year outside the scenario; see ent_plot_map.
 */
ent_err_t ent_plot_ensemble_map(ent_figure_t *fig, const ent_ensemble_t *e, const ent_model_t *m, const ent_world_t *w,
                                const ent_scenario_t *s, int year, const ent_plot_options_t *o);

typedef struct {
    unsigned version;
    size_t top;    /* the most capable states with a drawn tie; 0 = all */
    int64_t focus; /* a state index: only it and its partners; -1 = none */
    bool kinds[8]; /* ent_tie_kind_t kinds to draw; all false = pact, partnership, security, coercion, rivalry */
    uint64_t seed;
} ent_plot_network_options_t;

#define ENT_PLOT_NETWORK_OPTIONS_VERSION 1
#define ENT_PLOT_NETWORK_OPTIONS_INIT                                                                                  \
    {                                                                                                                  \
        ENT_PLOT_NETWORK_OPTIONS_VERSION, 40, -1, {false}, 1                                                           \
    }

/*
 * The alliance network of world `w` on `date`: states alive with ties in
 * force, coloured by bloc (the signed communities of ent_blocs_communities,
 * as `entente blocs` finds them, seeded with no->seed; each named after its
 * most capable drawn member), sized by CINC (the newest year at or before the
 * date within 10 years). Spinglass takes about a second on the 2024 world.
 */
ent_err_t ent_plot_world_network(ent_figure_t *fig, const ent_world_t *w, ent_date_t date,
                                 const ent_plot_network_options_t *no, const ent_plot_options_t *o);

/*
 * State `state`'s pyramid on `date` as the essay draws it: formal allies
 * (defence pacts) on top, then each partnership tier, highest first, labelled
 * with the tier's name on the world's scale and the monikers in use.
 */
ent_err_t ent_plot_world_pyramid(ent_figure_t *fig, const ent_world_t *w, int64_t state, ent_date_t date,
                                 const ent_plot_options_t *o);

/*
 * Two centuries from an imported store (COW states and NMC, ATOP; rivalries
 * when imported), years [from, to] each measured on 1 July: similarity (mean
 * S of ATOP alliance portfolios over all dyads and over dyads with a defence
 * obligation), polarization (bipolarity and Esteban-Ray over pact blocs,
 * ent_blocs_polarization_series) and frustration (the heuristic frustration
 * index of the signed network, pacts positive and rivalries negative, as a
 * share of the total tie weight). Years the store does not cover are
 * ENT_ERANGE (from the polarization series, naming the covered years).
 * About a second per decade of years on one core.
 */
ent_err_t ent_plot_history(ent_figure_t *fig, const ent_world_t *w, ent_store_t *st, int from, int to,
                           const ent_plot_options_t *o);

ENT_END_DECLS
#endif
