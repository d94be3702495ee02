/*
 * export.h -- the alliance network of a world in the formats other tools read:
 * GraphML (typed attributes: networkx, igraph, Gephi, yEd), GEXF with time
 * spells (Gephi's timeline), DOT (Graphviz) and CSV node and edge lists.
 *
 * Nodes are states (id = COW code) with ccode, abbr, name, iso3, region and
 * CINC; edges are the world's ties (one edge per tie, so two states may be
 * joined by several: a pact and a partnership, or two pacts) with kind,
 * obligations, tier, moniker, subtype, directed, start, end and source.
 * Graphs are undirected: a directed tie (coercion, a pole's partnership)
 * keeps its actor as the edge's source and says so in `directed`.
 */
#ifndef ENTENTE_EXPORT_H
#define ENTENTE_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "common.h"
#include "util.h"
#include "world.h"

ENT_BEGIN_DECLS

typedef enum {
    ENT_EXPORT_GRAPHML = 1,
    ENT_EXPORT_GEXF = 2,
    ENT_EXPORT_DOT = 3,
    ENT_EXPORT_CSV_NODES = 4,
    ENT_EXPORT_CSV_EDGES = 5
} ent_export_format_t;

typedef struct {
    unsigned version;
    /*
     * The window, inclusive. A state is a node when it is a member of the system on some
     * day of it; a tie is an edge when it is active on some day of it. from == to is a
     * snapshot of one day. ENT_DATE_NONE .. ENT_DATE_MAX (the default) is everything.
     */
    ent_date_t from, to;
    /* Tie kinds to include, as a bit mask of (1u << ENT_TIE_*); 0 means every kind. */
    unsigned kinds;
    /* One line written into the file as a comment (GraphML, GEXF, DOT): the provenance caption. NULL: none. */
    const char *caption;
} ent_export_options_t;

#define ENT_EXPORT_OPTIONS_VERSION 1
#define ENT_EXPORT_OPTIONS_INIT                                                                                        \
    {                                                                                                                  \
        ENT_EXPORT_OPTIONS_VERSION, ENT_DATE_NONE, ENT_DATE_MAX, 0, NULL                                               \
    }

/*
 * Writes the network of `w` in `fmt` to `f`. A node's CINC is the one of the window's
 * last year (or the nearest earlier year within ten: the shipped world holds 2022's); GEXF
 * also carries CINC year by year as a dynamic attribute, node spells (membership of the
 * system, clipped to the window) and edge spells (the tie's dates, clipped), with
 * mode="dynamic" so Gephi's timeline replays them. Dates are ISO (YYYY-MM-DD).
 * ENT_EINVAL for a window that ends before it starts or an unknown format; ENT_EIO when
 * writing fails. O(states x years + ties).
 */
ent_err_t ent_export_write(FILE *f, const ent_world_t *w, ent_export_format_t fmt, const ent_export_options_t *opts);

/* The format of a name: "graphml", "gexf", "dot", "nodes", "edges"; ENT_EINVAL otherwise. */
ent_err_t ent_export_format_parse(ent_export_format_t *out, const char *name);

ENT_END_DECLS
#endif
