/*
 * export.c -- the alliance network of a world as GraphML, GEXF (dynamic, with
 * spells), DOT and CSV node and edge lists (include/entente/export.h).
 *
 * One pass selects the nodes (states that are members of the system on some day
 * of the window, and any state a selected tie touches, so no edge dangles) and
 * the edges (ties active on some day of the window); each writer then prints
 * the same selection, so the formats agree with one another node for node and
 * edge for edge -- the round-trip tests rely on it.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "entente/export.h"
#include "util_int.h"
#include "world/world_int.h"

typedef struct {
    const ent_world_t *w;
    const ent_export_options_t *o;
    FILE *f;
    unsigned char *node;       /* per state: selected */
    ent_vec_t edges;           /* size_t tie indices, in tie order */
    int cinc_year;             /* the year of the static CINC attribute; 0 when the world has none */
    int first_year, last_year; /* of the window, clipped to the data (for dynamic CINC) */
} ex_t;

/* ------------------------------------------------------------ selection */

static bool overlaps(ent_date_t s, ent_date_t e, ent_date_t from, ent_date_t to)
{
    return s <= to && e >= from;
}

static const ent_i_spell_t *spells_of(const ent_world_t *w, size_t i, size_t *n)
{
    *n = ENT_VEC_AT(&w->spell_count, size_t, i);
    return &ENT_VEC_AT(&w->spells, ent_i_spell_t, ENT_VEC_AT(&w->spell_first, size_t, i));
}

static bool tie_selected(const ent_tie_t *t, const ent_export_options_t *o)
{
    return (!o->kinds || (o->kinds & (1u << t->kind))) && overlaps(t->start, t->end, o->from, o->to);
}

static ent_err_t select_all(ex_t *x)
{
    const ent_world_t *w = x->w;
    size_t n = ent_world_nstates(w);
    if (!(x->node = ent_calloc(n ? n : 1, 1))) {
        return ent_i_nomem();
    }
    for (size_t i = 0; i < n; i++) {
        size_t ns;
        const ent_i_spell_t *sp = spells_of(w, i, &ns);
        x->node[i] = ns == 0; /* no spells: a state of the shipped world, always a member */
        for (size_t k = 0; k < ns && !x->node[i]; k++) {
            x->node[i] = overlaps(sp[k].start, sp[k].end, x->o->from, x->o->to);
        }
    }
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        if (!tie_selected(t, x->o)) {
            continue;
        }
        ent_err_t rc = ent_vec_push(&x->edges, &k);
        if (rc != ENT_OK) {
            return rc;
        }
        x->node[t->a] = x->node[t->b] = 1;
    }
    /* The static CINC: the window's last year, or the last year the world has capabilities for. */
    int last = ent_date_year(x->o->to) > 2100 ? 2100 : ent_date_year(x->o->to);
    int first = ent_date_year(x->o->from) < ENT_I_CAP_FIRST_YEAR ? ENT_I_CAP_FIRST_YEAR : ent_date_year(x->o->from);
    int data_last = 0, data_first = 0;
    for (int y = ENT_I_CAP_FIRST_YEAR; y <= 2100; y++) {
        for (size_t i = 0; i < n; i++) {
            if (!isnan(ent_world_cinc(w, i, y))) {
                data_last = y;
                data_first = data_first ? data_first : y;
                break;
            }
        }
    }
    x->cinc_year = data_last ? (last < data_last ? last : data_last) : 0;
    x->first_year = first > data_first ? first : data_first;
    x->last_year = x->cinc_year;
    return ENT_OK;
}

static double node_cinc(const ex_t *x, size_t i)
{
    return x->cinc_year ? ent_world_cinc_near(x->w, i, x->cinc_year, 10, 0) : NAN;
}

/* The node's first and last day in the window (of its spells, clipped); 0/0 when it has none there. */
static void node_span(const ex_t *x, size_t i, ent_date_t *s, ent_date_t *e)
{
    size_t ns;
    const ent_i_spell_t *sp = spells_of(x->w, i, &ns);
    *s = *e = ENT_DATE_NONE;
    if (ns == 0) { /* always a member: the whole window */
        *s = x->o->from;
        *e = x->o->to;
        return;
    }
    for (size_t k = 0; k < ns; k++) {
        if (!overlaps(sp[k].start, sp[k].end, x->o->from, x->o->to)) {
            continue;
        }
        ent_date_t a = sp[k].start > x->o->from ? sp[k].start : x->o->from;
        ent_date_t b = sp[k].end < x->o->to ? sp[k].end : x->o->to;
        *s = *s == ENT_DATE_NONE || a < *s ? a : *s;
        *e = b > *e ? b : *e;
    }
}

/* ------------------------------------------------------------ text helpers */

static void xml_text(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            /* XML 1.0 forbids control characters but tab, newline and carriage return */
            if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r') {
                fputc(*p, f);
            }
        }
    }
}

/* An XML comment cannot contain "--": the caption's dashes become spaced ones. */
static void xml_comment(FILE *f, const char *s)
{
    fputs("<!-- ", f);
    for (const char *p = s; *p; p++) {
        if (*p == '-' && (p[1] == '-' || p[1] == '\0')) {
            fputs("- ", f);
        } else if ((unsigned char)*p >= 0x20) {
            fputc(*p, f);
        }
    }
    fputs(" -->\n", f);
}

static void dot_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            fputc('\\', f);
        }
        fputc(*p >= 0x20 ? *p : ' ', f);
    }
    fputc('"', f);
}

static void csv_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"') {
            fputc('"', f);
        }
        fputc(*p, f);
    }
    fputc('"', f);
}

/* "YYYY-MM-DD", or "" for an open end or no date. */
static const char *date_str(char buf[11], ent_date_t d)
{
    if (d == ENT_DATE_NONE || d >= ENT_DATE_MAX) {
        buf[0] = '\0';
    } else {
        ent_date_format(buf, d);
    }
    return buf;
}

static void obligations(char *buf, size_t n, const ent_tie_t *t)
{
    if (t->kind == ENT_TIE_PACT) {
        ent_obligations_format(buf, n, t->obligations);
    } else {
        buf[0] = '\0';
    }
}

/* ------------------------------------------------------------ GraphML */

static const struct {
    const char *id, *for_, *name, *type;
} gml_keys[] = {
    {"g_from", "graph", "from", "string"},
    {"g_to", "graph", "to", "string"},
    {"g_cinc_year", "graph", "cinc_year", "int"},
    {"g_caption", "graph", "provenance", "string"},
    {"ccode", "node", "ccode", "int"},
    {"abbr", "node", "abbr", "string"},
    {"name", "node", "name", "string"},
    {"iso3", "node", "iso3", "string"},
    {"region", "node", "region", "string"},
    {"cinc", "node", "cinc", "double"},
    {"n_start", "node", "start", "string"},
    {"n_end", "node", "end", "string"},
    {"kind", "edge", "kind", "string"},
    {"obligations", "edge", "obligations", "string"},
    {"tier", "edge", "tier", "int"},
    {"level", "edge", "level", "double"},
    {"moniker", "edge", "moniker", "string"},
    {"subtype", "edge", "subtype", "string"},
    {"directed", "edge", "directed", "boolean"},
    {"e_start", "edge", "start", "string"},
    {"e_end", "edge", "end", "string"},
    {"source", "edge", "source", "string"},
};

static void gml_data(FILE *f, const char *key, const char *value)
{
    if (value && *value) {
        fprintf(f, "      <data key=\"%s\">", key);
        xml_text(f, value);
        fputs("</data>\n", f);
    }
}

static void write_graphml(ex_t *x)
{
    FILE *f = x->f;
    const ent_world_t *w = x->w;
    char b1[11], b2[11], num[64];
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    if (x->o->caption) {
        xml_comment(f, x->o->caption);
    }
    fputs("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
          "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
          f);
    for (size_t k = 0; k < sizeof gml_keys / sizeof gml_keys[0]; k++) {
        fprintf(f, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n", gml_keys[k].id,
                gml_keys[k].for_, gml_keys[k].name, gml_keys[k].type);
    }
    fputs("  <graph id=\"entente\" edgedefault=\"undirected\">\n", f);
    gml_data(f, "g_from", date_str(b1, x->o->from));
    gml_data(f, "g_to", date_str(b2, x->o->to));
    if (x->cinc_year) {
        snprintf(num, sizeof num, "%d", x->cinc_year);
        gml_data(f, "g_cinc_year", num);
    }
    gml_data(f, "g_caption", x->o->caption);
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        if (!x->node[i]) {
            continue;
        }
        const ent_state_t *s = ent_world_state(w, i);
        fprintf(f, "    <node id=\"%d\">\n", s->ccode);
        snprintf(num, sizeof num, "%d", s->ccode);
        gml_data(f, "ccode", num);
        gml_data(f, "abbr", s->abbr);
        gml_data(f, "name", s->name);
        gml_data(f, "iso3", s->iso3);
        gml_data(f, "region", s->region);
        double c = node_cinc(x, i);
        if (!isnan(c)) {
            snprintf(num, sizeof num, "%.8g", c);
            gml_data(f, "cinc", num);
        }
        ent_date_t a, e;
        node_span(x, i, &a, &e);
        gml_data(f, "n_start", date_str(b1, a));
        gml_data(f, "n_end", date_str(b2, e));
        fputs("    </node>\n", f);
    }
    for (size_t k = 0; k < x->edges.len; k++) {
        const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(&x->edges, size_t, k));
        fprintf(f, "    <edge id=\"e%zu\" source=\"%d\" target=\"%d\">\n", k, ent_world_state(w, (size_t)t->a)->ccode,
                ent_world_state(w, (size_t)t->b)->ccode);
        gml_data(f, "kind", ent_tie_kind_name(t->kind));
        char ob[96];
        obligations(ob, sizeof ob, t);
        gml_data(f, "obligations", ob);
        if (t->kind == ENT_TIE_PARTNERSHIP) {
            snprintf(num, sizeof num, "%d", (int)t->level);
            gml_data(f, "tier", num);
        }
        if (t->level != 0) {
            snprintf(num, sizeof num, "%.8g", t->level);
            gml_data(f, "level", num);
        }
        gml_data(f, "moniker", t->moniker);
        gml_data(f, "subtype", t->subtype);
        gml_data(f, "directed", t->directed ? "true" : "false");
        gml_data(f, "e_start", date_str(b1, t->start));
        gml_data(f, "e_end", date_str(b2, t->end));
        gml_data(f, "source", t->source);
        fputs("    </edge>\n", f);
    }
    fputs("  </graph>\n</graphml>\n", f);
}

/* ------------------------------------------------------------ GEXF */

static void gexf_att(FILE *f, const char *id, const char *value)
{
    if (value && *value) {
        fprintf(f, "          <attvalue for=\"%s\" value=\"", id);
        xml_text(f, value);
        fputs("\"/>\n", f);
    }
}

/* start="..." end="..." for a spell; an open end is left out (GEXF: unbounded). */
static void gexf_span(FILE *f, ent_date_t s, ent_date_t e)
{
    char b[11];
    if (s != ENT_DATE_NONE) {
        fprintf(f, " start=\"%s\"", date_str(b, s));
    }
    if (e != ENT_DATE_NONE && e < ENT_DATE_MAX) {
        fprintf(f, " end=\"%s\"", date_str(b, e));
    }
}

static void write_gexf(ex_t *x)
{
    FILE *f = x->f;
    const ent_world_t *w = x->w;
    char num[64];
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<gexf xmlns=\"http://www.gexf.net/1.2draft\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xsi:schemaLocation=\"http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd\" "
          "version=\"1.2\">\n",
          f);
    fprintf(f, "  <meta>\n    <creator>entente %s</creator>\n    <description>", ent_version());
    xml_text(f, x->o->caption ? x->o->caption : "the alliance network of an entente world");
    fputs("</description>\n  </meta>\n", f);
    fputs("  <graph mode=\"dynamic\" defaultedgetype=\"undirected\" timeformat=\"date\"", f);
    gexf_span(f, x->o->from, x->o->to);
    fputs(">\n", f);
    fputs("    <attributes class=\"node\" mode=\"static\">\n"
          "      <attribute id=\"ccode\" title=\"ccode\" type=\"integer\"/>\n"
          "      <attribute id=\"abbr\" title=\"abbr\" type=\"string\"/>\n"
          "      <attribute id=\"name\" title=\"name\" type=\"string\"/>\n"
          "      <attribute id=\"iso3\" title=\"iso3\" type=\"string\"/>\n"
          "      <attribute id=\"region\" title=\"region\" type=\"string\"/>\n"
          "    </attributes>\n"
          "    <attributes class=\"node\" mode=\"dynamic\">\n"
          "      <attribute id=\"cinc\" title=\"cinc\" type=\"double\"/>\n"
          "    </attributes>\n"
          "    <attributes class=\"edge\" mode=\"static\">\n"
          "      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n"
          "      <attribute id=\"obligations\" title=\"obligations\" type=\"string\"/>\n"
          "      <attribute id=\"tier\" title=\"tier\" type=\"integer\"/>\n"
          "      <attribute id=\"moniker\" title=\"moniker\" type=\"string\"/>\n"
          "      <attribute id=\"subtype\" title=\"subtype\" type=\"string\"/>\n"
          "      <attribute id=\"directed\" title=\"directed\" type=\"boolean\"/>\n"
          "      <attribute id=\"source\" title=\"source\" type=\"string\"/>\n"
          "    </attributes>\n"
          "    <nodes>\n",
          f);
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        if (!x->node[i]) {
            continue;
        }
        const ent_state_t *s = ent_world_state(w, i);
        char label[256];
        snprintf(label, sizeof label, "%s (%s)", s->name, s->abbr);
        fprintf(f, "      <node id=\"%d\" label=\"", s->ccode);
        xml_text(f, label);
        fputs("\">\n        <attvalues>\n", f);
        snprintf(num, sizeof num, "%d", s->ccode);
        gexf_att(f, "ccode", num);
        gexf_att(f, "abbr", s->abbr);
        gexf_att(f, "name", s->name);
        gexf_att(f, "iso3", s->iso3);
        gexf_att(f, "region", s->region);
        /* CINC year by year: a value per year the world has one, inside the window */
        for (int y = x->first_year; x->cinc_year && y <= x->last_year; y++) {
            double c = ent_world_cinc(w, i, y);
            if (!isnan(c)) {
                fprintf(f, "          <attvalue for=\"cinc\" value=\"%.8g\" start=\"%d-01-01\" end=\"%d-12-31\"/>\n", c,
                        y, y);
            }
        }
        fputs("        </attvalues>\n", f);
        size_t ns;
        const ent_i_spell_t *sp = spells_of(w, i, &ns);
        if (ns == 0) { /* always a member: no spells, present over the whole timeline */
            fputs("      </node>\n", f);
            continue;
        }
        fputs("        <spells>\n", f);
        bool any = false;
        for (size_t k = 0; k < ns; k++) {
            if (overlaps(sp[k].start, sp[k].end, x->o->from, x->o->to)) {
                fputs("          <spell", f);
                gexf_span(f, sp[k].start > x->o->from ? sp[k].start : x->o->from,
                          sp[k].end < x->o->to ? sp[k].end : x->o->to);
                fputs("/>\n", f);
                any = true;
            }
        }
        if (!any) {
            /* a state outside the system in the window that a tie touches: present while its ties are */
            ent_date_t a = ENT_DATE_MAX, b = ENT_DATE_NONE;
            for (size_t k = 0; k < x->edges.len; k++) {
                const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(&x->edges, size_t, k));
                if ((size_t)t->a == i || (size_t)t->b == i) {
                    a = t->start < a ? t->start : a;
                    b = t->end > b ? t->end : b;
                }
            }
            fputs("          <spell", f);
            gexf_span(f, a > x->o->from ? a : x->o->from, b < x->o->to ? b : x->o->to);
            fputs("/>\n", f);
        }
        fputs("        </spells>\n      </node>\n", f);
    }
    fputs("    </nodes>\n    <edges>\n", f);
    for (size_t k = 0; k < x->edges.len; k++) {
        const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(&x->edges, size_t, k));
        fprintf(f, "      <edge id=\"%zu\" source=\"%d\" target=\"%d\" label=\"%s\"", k,
                ent_world_state(w, (size_t)t->a)->ccode, ent_world_state(w, (size_t)t->b)->ccode,
                ent_tie_kind_name(t->kind));
        gexf_span(f, t->start > x->o->from ? t->start : x->o->from, t->end < x->o->to ? t->end : x->o->to);
        fputs(">\n        <attvalues>\n", f);
        gexf_att(f, "kind", ent_tie_kind_name(t->kind));
        char ob[96];
        obligations(ob, sizeof ob, t);
        gexf_att(f, "obligations", ob);
        if (t->kind == ENT_TIE_PARTNERSHIP) {
            snprintf(num, sizeof num, "%d", (int)t->level);
            gexf_att(f, "tier", num);
        }
        gexf_att(f, "moniker", t->moniker);
        gexf_att(f, "subtype", t->subtype);
        gexf_att(f, "directed", t->directed ? "true" : "false");
        gexf_att(f, "source", t->source);
        fputs("        </attvalues>\n      </edge>\n", f);
    }
    fputs("    </edges>\n  </graph>\n</gexf>\n", f);
}

/* ------------------------------------------------------------ DOT */

/* How each kind of tie looks in Graphviz: pacts bold, partnerships by tier, hostile ties red. */
static void dot_style(FILE *f, const ent_tie_t *t)
{
    switch (t->kind) {
    case ENT_TIE_PACT: fputs(", color=\"#1f4e99\", style=bold, penwidth=2.5", f); break;
    case ENT_TIE_PARTNERSHIP:
        fprintf(f, ", color=\"#2e8b57\", style=solid, penwidth=%.1f", 0.5 + 0.25 * t->level);
        break;
    case ENT_TIE_SECURITY: fputs(", color=\"#6a5acd\", style=dashed", f); break;
    case ENT_TIE_ECONOMIC: fputs(", color=\"#999999\", style=dotted", f); break;
    case ENT_TIE_DIPLOMATIC: fputs(", color=\"#bbbbbb\", style=dotted", f); break;
    case ENT_TIE_COERCION: fputs(", color=\"#d62728\", style=dashed, dir=forward", f); break;
    case ENT_TIE_RIVALRY: fputs(", color=\"#b22222\", style=bold", f); break;
    }
}

static void write_dot(ex_t *x)
{
    FILE *f = x->f;
    const ent_world_t *w = x->w;
    char b1[11], b2[11];
    if (x->o->caption) {
        fputs("// ", f);
        for (const char *p = x->o->caption; *p; p++) {
            fputc(*p == '\n' ? ' ' : *p, f);
        }
        fputc('\n', f);
    }
    fputs(
        "graph entente {\n  graph [layout=sfdp, overlap=prism, outputorder=edgesfirst];\n"
        "  node [shape=ellipse, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8];\n",
        f);
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        if (!x->node[i]) {
            continue;
        }
        const ent_state_t *s = ent_world_state(w, i);
        char label[256];
        snprintf(label, sizeof label, "%s (%s)", s->name, s->abbr);
        fprintf(f, "  \"%d\" [label=", s->ccode);
        dot_str(f, label);
        fprintf(f, ", ccode=%d, abbr=", s->ccode);
        dot_str(f, s->abbr);
        fputs(", region=", f);
        dot_str(f, s->region);
        double c = node_cinc(x, i);
        if (!isnan(c)) {
            /* area proportional to capability: width grows with its square root */
            fprintf(f, ", cinc=\"%.8g\", width=%.2f", c, 0.75 + 6.0 * sqrt(c));
        }
        fputs("];\n", f);
    }
    for (size_t k = 0; k < x->edges.len; k++) {
        const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(&x->edges, size_t, k));
        fprintf(f, "  \"%d\" -- \"%d\" [kind=\"%s\"", ent_world_state(w, (size_t)t->a)->ccode,
                ent_world_state(w, (size_t)t->b)->ccode, ent_tie_kind_name(t->kind));
        char ob[96];
        obligations(ob, sizeof ob, t);
        if (*ob) {
            fputs(", obligations=", f);
            dot_str(f, ob);
        }
        if (t->kind == ENT_TIE_PARTNERSHIP) {
            fprintf(f, ", tier=%d", (int)t->level);
        }
        if (t->moniker && *t->moniker) {
            fputs(", moniker=", f);
            dot_str(f, t->moniker);
        }
        fprintf(f, ", start=\"%s\", end=\"%s\", source=", date_str(b1, t->start), date_str(b2, t->end));
        dot_str(f, t->source);
        dot_style(f, t);
        fputs("];\n", f);
    }
    fputs("}\n", f);
}

/* ------------------------------------------------------------ CSV */

static void write_nodes(ex_t *x)
{
    FILE *f = x->f;
    const ent_world_t *w = x->w;
    char b1[11], b2[11];
    fputs("id,ccode,abbr,name,iso3,region,cinc,start,end\n", f);
    for (size_t i = 0; i < ent_world_nstates(w); i++) {
        if (!x->node[i]) {
            continue;
        }
        const ent_state_t *s = ent_world_state(w, i);
        fprintf(f, "%d,%d,", s->ccode, s->ccode);
        csv_str(f, s->abbr);
        fputc(',', f);
        csv_str(f, s->name);
        fputc(',', f);
        csv_str(f, s->iso3);
        fputc(',', f);
        csv_str(f, s->region);
        double c = node_cinc(x, i);
        if (isnan(c)) {
            fputs(",", f);
        } else {
            fprintf(f, ",%.8g", c);
        }
        ent_date_t a, e;
        node_span(x, i, &a, &e);
        fprintf(f, ",%s,%s\n", date_str(b1, a), date_str(b2, e));
    }
}

static void write_edges(ex_t *x)
{
    FILE *f = x->f;
    const ent_world_t *w = x->w;
    char b1[11], b2[11];
    fputs("id,source,target,kind,obligations,tier,moniker,subtype,directed,start,end,source_ref\n", f);
    for (size_t k = 0; k < x->edges.len; k++) {
        const ent_tie_t *t = ent_world_tie(w, ENT_VEC_AT(&x->edges, size_t, k));
        char ob[96];
        obligations(ob, sizeof ob, t);
        fprintf(f, "e%zu,%d,%d,%s,", k, ent_world_state(w, (size_t)t->a)->ccode,
                ent_world_state(w, (size_t)t->b)->ccode, ent_tie_kind_name(t->kind));
        csv_str(f, ob);
        if (t->kind == ENT_TIE_PARTNERSHIP) {
            fprintf(f, ",%d,", (int)t->level);
        } else {
            fputs(",,", f);
        }
        csv_str(f, t->moniker);
        fputc(',', f);
        csv_str(f, t->subtype);
        fprintf(f, ",%s,%s,%s,", t->directed ? "true" : "false", date_str(b1, t->start), date_str(b2, t->end));
        csv_str(f, t->source);
        fputc('\n', f);
    }
}

/* ------------------------------------------------------------ entry points */

ent_err_t ent_export_format_parse(ent_export_format_t *out, const char *name)
{
    static const struct {
        const char *name;
        ent_export_format_t fmt;
    } names[] = {{"graphml", ENT_EXPORT_GRAPHML},
                 {"gexf", ENT_EXPORT_GEXF},
                 {"dot", ENT_EXPORT_DOT},
                 {"nodes", ENT_EXPORT_CSV_NODES},
                 {"edges", ENT_EXPORT_CSV_EDGES}};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (strcmp(names[k].name, name) == 0) {
            *out = names[k].fmt;
            return ENT_OK;
        }
    }
    return ent_i_err(ENT_EINVAL, "unknown export format '%s' (graphml, gexf, dot, nodes, edges)", name);
}

ent_err_t ent_export_write(FILE *f, const ent_world_t *w, ent_export_format_t fmt, const ent_export_options_t *opts)
{
    ent_export_options_t def = ENT_EXPORT_OPTIONS_INIT;
    const ent_export_options_t *o = opts ? opts : &def;
    if (o->from > o->to) {
        return ent_i_err(ENT_EINVAL, "the export window ends before it starts");
    }
    if (fmt < ENT_EXPORT_GRAPHML || fmt > ENT_EXPORT_CSV_EDGES) {
        return ent_i_err(ENT_EINVAL, "unknown export format %d", (int)fmt);
    }
    ex_t x = {.w = w, .o = o, .f = f};
    ent_vec_init(&x.edges, sizeof(size_t));
    ent_err_t rc = select_all(&x);
    if (rc == ENT_OK) {
        switch (fmt) {
        case ENT_EXPORT_GRAPHML: write_graphml(&x); break;
        case ENT_EXPORT_GEXF: write_gexf(&x); break;
        case ENT_EXPORT_DOT: write_dot(&x); break;
        case ENT_EXPORT_CSV_NODES: write_nodes(&x); break;
        case ENT_EXPORT_CSV_EDGES: write_edges(&x); break;
        }
        if (fflush(f) != 0 || ferror(f)) {
            rc = ent_i_err(ENT_EIO, "writing the export failed");
        }
    }
    ent_free(x.node);
    ent_vec_destroy(&x.edges);
    return rc;
}
