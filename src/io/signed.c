/*
 * signed.c -- the reader of signed edge lists: `from,to,sign[,network]
 * [,begin,end]` CSV files into named ent_signed_t networks.
 *
 * Files it is written for (../shared/data/signed/):
 *   gahuku_gama_tribes_edgelist.csv   "from","to","sign": Read (1954), 16 tribes, 58 ties
 *   cow_signed_networks_doreian_mrvar_edgelists.csv
 *                                     "network","from","to","sign": 51 overlapping
 *                                     4-year windows "46-49" ... "96-99" (Doreian & Mrvar 2015)
 *   wwi_signed_ties.csv               from,to,sign,begin,end: a tie is active for
 *                                     begin <= year < end (Antal, Krapivsky & Redner 2006)
 * Column order does not matter; the header names them. Every error names
 * file:line:column and the field.
 */
#include <math.h>
#include <string.h>

#include "entente/partition.h"
#include "util_int.h"

#define MAX_LABEL 200

struct ent_signed_set {
    size_t len, cap;
    char **name;
    ent_signed_t *g;
    ent_vec_t *line; /* int64_t: the line of each edge, for duplicate messages */
    /* Network name -> index: open addressing, index + 1 per slot (0 = empty), at most half
     * full. A file of very many small networks is read in linear time, not quadratic. */
    size_t *slot;
    size_t nslot;
    double *wsum; /* total |sign| of each network so far */
};

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    }
    return h;
}

/* The slot where `name` is, or the empty slot where it would go. */
static size_t name_slot(const ent_signed_set_t *s, const char *name)
{
    size_t mask = s->nslot - 1, k = (size_t)name_hash(name) & mask;
    while (s->slot[k] && strcmp(s->name[s->slot[k] - 1], name) != 0) {
        k = (k + 1) & mask;
    }
    return k;
}

static ent_err_t name_grow(ent_signed_set_t *s)
{
    size_t n = s->nslot ? 2 * s->nslot : 64;
    size_t *slot = ent_calloc(n, sizeof *slot);
    if (!slot) {
        return ent_i_nomem();
    }
    ent_free(s->slot);
    s->slot = slot;
    s->nslot = n;
    for (size_t i = 0; i < s->len; i++) {
        s->slot[name_slot(s, s->name[i])] = i + 1;
    }
    return ENT_OK;
}

void ent_signed_set_free(ent_signed_set_t *s)
{
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->len; i++) {
        ent_free(s->name[i]);
        ent_signed_destroy(&s->g[i]);
        ent_vec_destroy(&s->line[i]);
    }
    ent_free(s->name);
    ent_free(s->g);
    ent_free(s->line);
    ent_free(s->slot);
    ent_free(s->wsum);
    ent_free(s);
}

size_t ent_signed_set_count(const ent_signed_set_t *s)
{
    return s->len;
}

const ent_signed_t *ent_signed_set_graph(const ent_signed_set_t *s, size_t i)
{
    return i < s->len ? &s->g[i] : NULL;
}

const char *ent_signed_set_name(const ent_signed_set_t *s, size_t i)
{
    return i < s->len ? s->name[i] : NULL;
}

ent_err_t ent_signed_set_find(const ent_signed_set_t *s, const char *name, size_t *index)
{
    if (s->nslot) {
        size_t k = name_slot(s, name);
        if (s->slot[k]) {
            *index = s->slot[k] - 1;
            return ENT_OK;
        }
    }
    for (size_t i = 0; !s->nslot && i < s->len; i++) {
        if (strcmp(s->name[i], name) == 0) {
            *index = i;
            return ENT_OK;
        }
    }
    char list[160] = "";
    size_t used = 0;
    for (size_t i = 0; i < s->len && used + 24 < sizeof list; i++) {
        used += (size_t)snprintf(list + used, sizeof list - used, "%s'%s'", i ? ", " : "", s->name[i]);
    }
    return ent_i_err(ENT_ENOTFOUND, "no network '%s' in the file (%zu network%s: %s%s)", name, s->len,
                     s->len == 1 ? "" : "s", list, s->len > 0 && used + 24 >= sizeof list ? ", ..." : "");
}

static ent_err_t add_network(ent_signed_set_t *s, const char *name, size_t *index)
{
    if (s->len == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        char **nm = ent_realloc(s->name, cap * sizeof *nm);
        if (!nm) {
            return ent_i_nomem();
        }
        s->name = nm;
        ent_signed_t *g = ent_realloc(s->g, cap * sizeof *g);
        if (!g) {
            return ent_i_nomem();
        }
        s->g = g;
        ent_vec_t *l = ent_realloc(s->line, cap * sizeof *l);
        if (!l) {
            return ent_i_nomem();
        }
        s->line = l;
        double *ws = ent_realloc(s->wsum, cap * sizeof *ws);
        if (!ws) {
            return ent_i_nomem();
        }
        s->wsum = ws;
        s->cap = cap;
    }
    if (2 * (s->len + 1) > s->nslot) {
        ent_err_t rc = name_grow(s);
        if (rc != ENT_OK) {
            return rc;
        }
    }
    char *copy = ent_strdup(name);
    if (!copy) {
        return ent_i_nomem();
    }
    s->slot[name_slot(s, name)] = s->len + 1;
    s->wsum[s->len] = 0.0;
    s->name[s->len] = copy;
    ent_signed_init(&s->g[s->len]);
    ent_vec_init(&s->line[s->len], sizeof(int64_t));
    *index = s->len++;
    return ENT_OK;
}

ent_err_t ent_signed_read(ent_signed_set_t **out, const char *path, const ent_signed_read_options_t *opts)
{
    ENT_I_CHECK_OPTIONS(opts, ENT_SIGNED_READ_OPTIONS_VERSION);
    static const char *cols[] = {"from", "to", "sign", "network", "begin", "end"};
    static const bool optional[] = {false, false, false, true, true, true};
    enum { FROM, TO, SIGN, NET, BEGIN, END, NCOLS };
    ent_signed_read_options_t dflt = ENT_SIGNED_READ_OPTIONS_INIT;
    const ent_signed_read_options_t *o = opts ? opts : &dflt;
    int ix[NCOLS];
    ent_csv_t *r = NULL;
    ent_err_t rc;
    *out = NULL;
    ent_signed_set_t *s = ent_calloc(1, sizeof *s);
    if (!s) {
        return ent_i_nomem();
    }
    ENT_CHECK(ent_csv_open(&r, path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, optional, ix, NCOLS));
    if ((ix[BEGIN] < 0) != (ix[END] < 0)) {
        rc = ent_i_err(ENT_EPARSE, "%s:1: column '%s' without '%s'", ent_csv_name(r), ix[BEGIN] < 0 ? "end" : "begin",
                       ix[BEGIN] < 0 ? "begin" : "end");
        goto done;
    }
    bool dated = ix[BEGIN] >= 0;
    if (dated && o->year == 0) {
        rc = ent_i_err(ENT_EINVAL, "%s: ties are dated (begin, end): give a year", ent_csv_name(r));
        goto done;
    }
    size_t nhdr = ent_csv_nfields(r), cur = SIZE_MAX, edges = 0;
    if (ix[NET] < 0) {
        /* one network named after the file, without its extension */
        char name[256];
        snprintf(name, sizeof name, "%s", ent_csv_name(r));
        char *dot = strrchr(name, '.');
        if (dot && dot != name) {
            *dot = '\0';
        }
        ENT_CHECK(add_network(s, name, &cur));
    }
    for (;;) {
        bool eof;
        ENT_CHECK(ent_csv_next(r, &eof));
        if (eof) {
            break;
        }
        ENT_CHECK(ent_csv_expect_fields(r, nhdr));
        const char *from, *to;
        double w;
        ENT_CHECK(ent_csv_get_str(r, (size_t)ix[FROM], "from", MAX_LABEL, &from, NULL));
        ENT_CHECK(ent_csv_get_str(r, (size_t)ix[TO], "to", MAX_LABEL, &to, NULL));
        ENT_CHECK(ent_csv_get_f64(r, (size_t)ix[SIGN], "sign", -HUGE_VAL, HUGE_VAL, &w, NULL));
        if (w == 0.0 || !isfinite(w)) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[SIGN], "sign", "must be nonzero and finite, got %g", w);
            goto done;
        }
        if (strcmp(from, to) == 0) {
            rc = ent_csv_error(r, ENT_EPARSE, (size_t)ix[TO], "to", "self-loop on '%s'", from);
            goto done;
        }
        if (dated) {
            int64_t b, e;
            ENT_CHECK(ent_csv_get_i64(r, (size_t)ix[BEGIN], "begin", 1, 9999, &b, NULL));
            ENT_CHECK(ent_csv_get_i64(r, (size_t)ix[END], "end", 1, 9999, &e, NULL));
            if (e < b) {
                rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[END], "end", "ends (%lld) before it begins (%lld)",
                                   (long long)e, (long long)b);
                goto done;
            }
            if (!(b <= o->year && o->year < e)) {
                continue;
            }
        }
        if (ix[NET] >= 0) {
            const char *net;
            ENT_CHECK(ent_csv_get_str(r, (size_t)ix[NET], "network", MAX_LABEL, &net, NULL));
            if (cur == SIZE_MAX || strcmp(s->name[cur], net) != 0) {
                size_t k = s->nslot ? name_slot(s, net) : 0;
                if (s->nslot && s->slot[k]) {
                    cur = s->slot[k] - 1;
                } else {
                    ENT_CHECK(add_network(s, net, &cur));
                }
            }
        }
        if (++edges > o->max_edges) {
            rc = ent_csv_error(r, ENT_ELIMIT, (size_t)ix[FROM], "from", "more than %zu edges", o->max_edges);
            goto done;
        }
        /* Every measure sums |sign| over a network: a sum that overflows would come out as inf,
         * printed as null next to optimal: true. Refused here, at the edge that overflows it. */
        if (!(s->wsum[cur] + fabs(w) <= 1e300)) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[SIGN], "sign",
                               "%g makes the total |sign| of the network exceed 1e300: scale the weights down", w);
            goto done;
        }
        s->wsum[cur] += fabs(w);
        ent_signed_t *g = &s->g[cur];
        int32_t u, v;
        size_t prev;
        ENT_CHECK(ent_signed_node(g, from, &u, NULL));
        ENT_CHECK(ent_signed_node(g, to, &v, NULL));
        rc = ent_signed_edge(g, u, v, w, &prev);
        if (rc == ENT_EEXISTS) {
            rc = ent_csv_error(r, ENT_EEXISTS, (size_t)ix[TO], "to", "duplicate edge %s-%s%s%s (first on line %lld)",
                               from, to, ix[NET] >= 0 ? " in network " : "", ix[NET] >= 0 ? s->name[cur] : "",
                               (long long)ENT_VEC_AT(&s->line[cur], int64_t, prev));
            goto done;
        }
        ENT_CHECK(rc);
        int64_t line = ent_csv_line(r);
        if (ent_vec_push(&s->line[cur], &line) != ENT_OK) {
            rc = ent_i_nomem();
            goto done;
        }
    }
    *out = s;
    s = NULL;
    rc = ENT_OK;
done:
    ent_csv_free(r);
    ent_signed_set_free(s);
    return rc;
}
