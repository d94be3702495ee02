/*
 * io_export.c -- the network exports on the shipped world: arguments refused,
 * XML escaping (monikers and sources hold '&', quotes and apostrophes), the
 * window and kind filters, and the formats agreeing on the selection. The
 * round trips through networkx, igraph, Graphviz and an ATOP store are in
 * tests/cli/test_export.sh.
 */
#include "check.h"

static char *export_text(const ent_world_t *w, ent_export_format_t fmt, const ent_export_options_t *o, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    CHECK_OK(ent_export_write(f, w, fmt, o));
    fclose(f);
    return buf;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

int main(void)
{
    ent_world_t *w = NULL;
    CHECK_OK(ent_world_load_dir(&w, ent_world_default_dir()));
    if (!w) {
        return CHECK_DONE();
    }
    ent_export_format_t fmt;
    CHECK_OK(ent_export_format_parse(&fmt, "gexf"));
    CHECK(fmt == ENT_EXPORT_GEXF);
    CHECK_RC(ent_export_format_parse(&fmt, "pdf"), ENT_EINVAL);
    CHECK_CONTAINS(ent_errmsg(), "pdf");

    ent_export_options_t o = ENT_EXPORT_OPTIONS_INIT;
    o.from = 20240101;
    o.to = 20230101;
    CHECK_RC(ent_export_write(stdout, w, ENT_EXPORT_GRAPHML, &o), ENT_EINVAL);
    CHECK_RC(ent_export_write(stdout, w, (ent_export_format_t)99, NULL), ENT_EINVAL);

    /* A snapshot: every state of the shipped world, only ties in force that day. */
    o.from = o.to = 20240630;
    o.caption = "a caption -- with dashes & an ampersand";
    size_t len;
    char *g = export_text(w, ENT_EXPORT_GRAPHML, &o, &len);
    CHECK(count(g, "<node id=") == ent_world_nstates(w));
    size_t nedges = count(g, "<edge id=");
    size_t in_force = 0;
    for (size_t k = 0; k < ent_world_nties(w); k++) {
        const ent_tie_t *t = ent_world_tie(w, k);
        in_force += t->start <= 20240630 && t->end >= 20240630;
    }
    CHECK(nedges == in_force && nedges > 1000);
    /* Escaping: outside the comment (where '&' is literal) every '&' starts an entity; no raw control
     * characters; the comment has no "--" inside. */
    const char *c0 = strstr(g, "<!--"), *c1 = strstr(g, "-->");
    CHECK(c0 && c1 && c1 > c0);
    CHECK(!memmem(c0 + 4, (size_t)(c1 - c0 - 4), "--", 2));
    for (const char *p = strchr(c1, '&'); p; p = strchr(p + 1, '&')) {
        CHECK(!strncmp(p, "&amp;", 5) || !strncmp(p, "&lt;", 4) || !strncmp(p, "&gt;", 4) || !strncmp(p, "&quot;", 6) ||
              !strncmp(p, "&apos;", 6));
    }
    for (size_t i = 0; i < len; i++) {
        CHECK((unsigned char)g[i] >= 0x20 || g[i] == '\n');
    }
    CHECK(strstr(g, "&amp; an ampersand") != NULL);

    /* The CSV lists and the GEXF select the same nodes and edges. */
    char *nodes = export_text(w, ENT_EXPORT_CSV_NODES, &o, &len);
    char *edges = export_text(w, ENT_EXPORT_CSV_EDGES, &o, &len);
    char *gexf = export_text(w, ENT_EXPORT_GEXF, &o, &len);
    CHECK(count(nodes, "\n") == ent_world_nstates(w) + 1);
    CHECK(count(edges, "\n") == nedges + 1);
    CHECK(count(gexf, "<edge id=") == nedges && count(gexf, "<node id=") == ent_world_nstates(w));
    CHECK(strstr(gexf, "mode=\"dynamic\"") != NULL);
    free(nodes);
    free(edges);
    free(gexf);
    free(g);

    /* Kinds: only pacts. */
    o.kinds = 1u << ENT_TIE_PACT;
    g = export_text(w, ENT_EXPORT_CSV_EDGES, &o, &len);
    size_t pacts = count(g, ",pact,");
    CHECK(pacts > 0 && count(g, "\n") == pacts + 1);
    free(g);
    /* DOT: quoted labels, one line per node and edge inside the braces. */
    g = export_text(w, ENT_EXPORT_DOT, &o, &len);
    CHECK(count(g, "\" -- \"") == pacts);
    CHECK(strstr(g, "label=\"China (CHN)\"") != NULL);
    free(g);
    ent_world_free(w);
    return CHECK_DONE();
}
