/*
 * cmd_report.c -- `entente report`: one self-contained HTML file an analyst
 * can send as it is. The headline table of the scenarios run, then per
 * scenario what it changes against the documented defaults, its charts
 * (inline SVG: nothing is fetched when the page is viewed) and a per-state
 * table with full names, the world's network and China's pyramid, and the
 * provenance of every number (engine, inputs with SHA-256, seed, runs).
 *
 * Also the helpers `entente plot` shares: running a scenario named by file
 * or by shipped name, and the source captions of the figures.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_opts.h"

/* ------------------------------------------------------------ shared with cmd_plot.c */

int cli_run_scenario(cli_run_t *r, const ent_world_t *w, const char *arg, int64_t runs, const char *seed, int threads)
{
    memset(r, 0, sizeof *r);
    /* a path when it names a file, else a shipped scenario's name */
    struct stat sb;
    if (strchr(arg, '/') || (stat(arg, &sb) == 0 && S_ISREG(sb.st_mode))) {
        snprintf(r->path, sizeof r->path, "%s", arg);
    } else {
        snprintf(r->path, sizeof r->path, "%s/%s%s", ent_scenario_default_dir(), arg,
                 strstr(arg, ".yaml") ? "" : ".yaml");
        if (stat(r->path, &sb) != 0) {
            fprintf(stderr, "entente: no scenario '%s' (neither a file nor a shipped scenario in %s)\n", arg,
                    ent_scenario_default_dir());
            return EXIT_INPUT;
        }
    }
    ent_err_t rc = ent_scenario_load(&r->s, r->path, w);
    if (rc != ENT_OK) {
        return cli_fail(rc);
    }
    if (runs > 0) {
        r->s.runs = runs;
    }
    if (seed) {
        char *end;
        unsigned long long v = strtoull(seed, &end, 10);
        if (*end || !*seed || seed[0] == '-') {
            fprintf(stderr, "entente: --seed: expected a non-negative integer, got '%s'\n", seed);
            return EXIT_USAGE;
        }
        r->s.seed = v;
    }
    r->threads = threads;
    if ((rc = ent_model_new(&r->m, w, &r->s)) != ENT_OK) {
        return cli_fail(rc);
    }
    ent_ensemble_options_t eo = ENT_ENSEMBLE_OPTIONS_INIT;
    eo.threads = threads;
    if ((rc = ent_ensemble_run(&r->e, r->m, 0, r->s.runs, &eo)) != ENT_OK) {
        return cli_fail(rc);
    }
    return EXIT_OK;
}

void cli_run_free(cli_run_t *r)
{
    ent_ensemble_free(r->e);
    ent_model_free(r->m);
    r->e = NULL;
    r->m = NULL;
}

void cli_world_caption(char *buf, size_t n, bool network)
{
    snprintf(
        buf, n,
        "Source: entente's shipped world (data/, as of 2024; see docs/data.md): defence pacts from ATOP 5.1 "
        "(Leeds et al. 2002) carried forward and later treaties; China's partnerships and their tiers from "
        "the PRC Ministry of Foreign Affairs, typology after Feng & Huang 2014%s; capability: CINC 2022, "
        "COW National Material Capabilities v7.0 (Singer, Bremer & Stuckey 1972).%s",
        network ? "; security ties, coercion and rivalries (Thompson, Sakuwa & Suhas 2021) as sourced row by row" : "",
        network ? " Blocs: signed communities (spinglass, Traag & Bruggeman 2009) as 'entente blocs' finds them." : "");
}

void cli_scenario_caption(char *buf, size_t n, const cli_run_t *r)
{
    snprintf(buf, n,
             "Source: entente %s, the alignment model (docs/models/alignment.md) on the shipped world of %d; "
             "scenario '%s' (%s), %lld runs, seed %llu. Capability shares: CINC (COW NMC v7.0).",
             ent_version(), r->s.start_year, r->s.name, strrchr(r->path, '/') ? strrchr(r->path, '/') + 1 : r->path,
             (long long)ent_ensemble_runs(r->e), (unsigned long long)r->s.seed);
}

/* ------------------------------------------------------------ HTML */

static void esc(ent_buf_t *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': ent_buf_puts(b, "&lt;"); break;
        case '>': ent_buf_puts(b, "&gt;"); break;
        case '&': ent_buf_puts(b, "&amp;"); break;
        case '"': ent_buf_puts(b, "&quot;"); break;
        default: ent_buf_put(b, s, 1);
        }
    }
}

/*
 * Inlines an SVG figure: the XML prolog dropped, and every id (cairo names
 * glyphs "glyph0-1" in each file) prefixed with the figure's number so the
 * figures of one page do not take each other's glyphs.
 */
static ent_err_t inline_svg(ent_buf_t *b, const ent_figure_t *f, int fig_no)
{
    const char *p = f->data.ptr, *end = f->data.ptr + f->data.len;
    const char *svg = memmem(p, f->data.len, "<svg", 4);
    if (!svg) {
        return ENT_EINVAL;
    }
    p = svg;
    char pre[32];
    int pl = snprintf(pre, sizeof pre, "f%d-", fig_no);
    static const char *const pats[] = {"id=\"", "href=\"#", "url(#"};
    ent_err_t rc = ENT_OK;
    while (p < end && rc == ENT_OK) {
        const char *best = NULL;
        size_t bl = 0;
        for (size_t k = 0; k < 3; k++) {
            const char *q = memmem(p, (size_t)(end - p), pats[k], strlen(pats[k]));
            if (q && (!best || q < best)) {
                best = q;
                bl = strlen(pats[k]);
            }
        }
        if (!best) {
            rc = ent_buf_put(b, p, (size_t)(end - p));
            break;
        }
        rc = ent_buf_put(b, p, (size_t)(best + bl - p));
        if (rc == ENT_OK) {
            rc = ent_buf_put(b, pre, (size_t)pl);
        }
        p = best + bl;
    }
    return rc;
}

typedef struct {
    ent_buf_t *html;
    int nfig;
    ent_err_t rc;
} page_t;

static void figure(page_t *pg, ent_err_t drawn, ent_figure_t *f, const char *alt)
{
    if (pg->rc != ENT_OK) {
        return;
    }
    if (drawn != ENT_OK) {
        /* a figure that cannot be drawn (a scenario without runs) is said so, not skipped silently */
        ent_buf_printf(pg->html, "<p class=\"note\">Figure not drawn (%s): ", alt);
        esc(pg->html, ent_errmsg());
        ent_buf_puts(pg->html, "</p>\n");
        return;
    }
    pg->nfig++;
    ent_buf_printf(pg->html, "<figure role=\"img\" aria-label=\"");
    esc(pg->html, alt);
    ent_buf_puts(pg->html, "\">");
    pg->rc = inline_svg(pg->html, f, pg->nfig);
    ent_buf_puts(pg->html, "</figure>\n");
}

static void prob_cell(ent_buf_t *b, ent_prob_t p)
{
    ent_buf_printf(b, "<td>%.3f <span class=\"ci\">[%.3f, %.3f]</span></td>", p.p, p.lo, p.hi);
}

static int base_pacts(const cli_run_t *r, int p)
{
    return (int)lround(ent_ensemble_mean(r->e, p == 0 ? ENT_SERIES_PACTS0 : ENT_SERIES_PACTS1, r->s.start_year));
}

static int later_year(const cli_run_t *r)
{
    int ry = r->s.report_year, end = r->s.start_year + r->s.years;
    return ry + 10 < end ? ry + 10 : end;
}

static const ent_state_t *pole_state(const ent_world_t *w, const cli_run_t *r, int p)
{
    return ent_world_state(w, (size_t)ent_model_state(r->m, ent_model_pole_state(r->m, p)));
}

/* The model index of a world state, or SIZE_MAX. */
static size_t model_index(const cli_run_t *r, int64_t wi)
{
    for (size_t i = 0; i < ent_model_nstates(r->m); i++) {
        if (ent_model_state(r->m, i) == wi) {
            return i;
        }
    }
    return SIZE_MAX;
}

static void headline(ent_buf_t *b, const ent_world_t *w, const cli_run_t *res, size_t nres, int k)
{
    const cli_run_t *base = NULL;
    for (size_t i = 0; i < nres; i++) {
        if (strcmp(res[i].s.name, "baseline") == 0) {
            base = &res[i];
        }
    }
    const cli_run_t *r0 = &res[0];
    const ent_state_t *p1 = pole_state(w, r0, 1);
    int64_t rus = -1;
    ent_world_find(&rus, w, "RUS");
    ent_buf_printf(
        b,
        "<h2 id=\"headline\">Headline: %s's defence pacts</h2>\n"
        "<p>%s (%s) holds %d defence pact(s) with a defence obligation in %d. Each cell is the share "
        "of the runs in which the event happens at some time up to the year shown, with its 95%% "
        "Wilson interval in brackets. An <em>alliance builder</em> is a pole that has formed at least "
        "the scenario's number of new defence pacts (docs/models/alignment.md): defined by what it "
        "does, not by a threshold on its norm.</p>\n<table>\n<tr><th>scenario</th><th>any new pact by %d</th>"
        "<th>at least %d pacts by %d</th><th>at least %d pacts by %d</th><th>pact with Russia by %d</th>"
        "<th>alliance builder by %d</th><th>median year it becomes one</th>%s</tr>\n",
        p1->name, p1->name, p1->abbr, base_pacts(r0, 1), r0->s.start_year, r0->s.report_year, k, r0->s.report_year, k,
        later_year(r0), later_year(r0), r0->s.report_year,
        base ? "<th>effect on &ge; K pacts by the later year, against the baseline</th>" : "");
    for (size_t i = 0; i < nres; i++) {
        const cli_run_t *r = &res[i];
        int ry = r->s.report_year, ly = later_year(r);
        ent_buf_puts(b, "<tr><td><a href=\"#s-");
        esc(b, r->s.name);
        ent_buf_puts(b, "\">");
        esc(b, r->s.name);
        ent_buf_puts(b, "</a></td>");
        prob_cell(b, ent_ensemble_p_pacts(r->e, 1, base_pacts(r, 1) + 1, ry));
        prob_cell(b, ent_ensemble_p_pacts(r->e, 1, k, ry));
        prob_cell(b, ent_ensemble_p_pacts(r->e, 1, k, ly));
        size_t ri = rus >= 0 ? model_index(r, rus) : SIZE_MAX;
        prob_cell(b, ri != SIZE_MAX ? ent_ensemble_p_pact_with(r->e, ri, 1, ly) : ent_prob_wilson(0, 0));
        prob_cell(b, ent_ensemble_p_builder(r->e, 1, ry));
        int my = ent_ensemble_median_cross_year(r->e, 1);
        if (my) {
            ent_buf_printf(b, "<td>%d</td>", my);
        } else {
            ent_buf_puts(b, "<td>&ndash; <span class=\"ci\">(in fewer than half the runs)</span></td>");
        }
        if (base) {
            double d, lo, hi;
            if (r == base) {
                ent_buf_puts(b, "<td>(the baseline)</td>");
            } else if (ent_ensemble_diff_pacts(&d, &lo, &hi, base->e, r->e, 1, k, ly) == ENT_OK) {
                ent_buf_printf(b, "<td>%+.3f <span class=\"ci\">[%+.3f, %+.3f]</span></td>", d, lo, hi);
            } else {
                ent_buf_puts(b, "<td>&ndash; (different runs)</td>");
            }
        }
        ent_buf_puts(b, "</tr>\n");
    }
    ent_buf_puts(b, "</table>\n");
    if (base) {
        ent_buf_puts(b, "<p class=\"note\">Effects are paired differences over common random numbers: run <i>k</i> of "
                        "every scenario draws the same random stream, so the difference isolates what the scenario "
                        "changes.</p>\n");
    }
}

static void fmt_value(char *buf, size_t n, char type, const void *p)
{
    switch (type) {
    case 'i': snprintf(buf, n, "%d", *(const int *)p); break;
    case 'l': snprintf(buf, n, "%lld", (long long)*(const int64_t *)p); break;
    case 'u': snprintf(buf, n, "%llu", (unsigned long long)*(const uint64_t *)p); break;
    default: snprintf(buf, n, "%g", *(const double *)p);
    }
}

static size_t type_size(char type)
{
    return type == 'i' ? sizeof(int) : type == 'd' ? sizeof(double) : sizeof(int64_t);
}

/*
 * What the scenario changes: its parameters, levers and shocks against the
 * baseline's when the baseline is in the report (what a reader compares it
 * with), else against the documented defaults.
 */
static void scenario_changes(ent_buf_t *b, const ent_world_t *w, const cli_run_t *r, const cli_run_t *base)
{
    ent_scenario_t def;
    ent_scenario_defaults(&def);
    const char *refname = "default";
    if (base && base != r) {
        def = base->s;
        refname = "baseline";
    }
    const ent_state_t *p0 = pole_state(w, r, 0), *p1 = pole_state(w, r, 1);
    if (base == r) {
        ent_buf_puts(b, "<p>The other scenarios are compared with this one.</p>\n");
    }
    ent_buf_printf(b, "<h4>Parameters that differ from the %s%s</h4>\n", refname,
                   strcmp(refname, "default") == 0 ? "s (docs/models/alignment.md)" : " scenario");
    size_t nchanged = 0;
    for (const ent_sim_param_t *t = ent_sim_params(); t->key; t++) {
        int np = t->per_pole ? r->s.npoles : 1;
        for (int p = 0; p < np; p++) {
            const char *a = (const char *)&r->s + t->offset + (size_t)p * type_size(t->type);
            const char *d = (const char *)&def + t->offset + (size_t)p * type_size(t->type);
            if (memcmp(a, d, type_size(t->type)) == 0 || strcmp(t->key, "runs") == 0 || strcmp(t->key, "seed") == 0) {
                continue;
            }
            if (!nchanged++) {
                ent_buf_printf(b,
                               "<table>\n<tr><th>parameter</th><th>%s</th><th>this scenario</th>"
                               "<th>why the default</th></tr>\n",
                               refname);
            }
            char va[64], vd[64];
            fmt_value(va, sizeof va, t->type, a);
            fmt_value(vd, sizeof vd, t->type, d);
            ent_buf_puts(b, "<tr><td><code>");
            esc(b, t->key);
            ent_buf_puts(b, "</code>");
            if (t->per_pole) {
                ent_buf_puts(b, " (");
                esc(b, (p ? p1 : p0)->name);
                ent_buf_puts(b, ")");
            }
            ent_buf_printf(b, "</td><td>%s</td><td><b>%s</b></td><td>", vd, va);
            esc(b, t->why);
            ent_buf_puts(b, "</td></tr>\n");
        }
    }
    if (nchanged) {
        ent_buf_puts(b, "</table>\n");
    } else {
        ent_buf_printf(b, "<p>None: every parameter is the %s's.</p>\n", refname);
    }

    ent_buf_puts(b, "<h4>The poles' levers (0 = unused, 1 = at most)</h4>\n<table>\n<tr><th>pole</th>"
                    "<th>tightening</th><th>engagement</th><th>inducements</th><th>coercion</th><th>wedge</th></tr>\n");
    for (int p = 0; p < r->s.npoles; p++) {
        const ent_levers_t *l = &r->s.levers[p], *d = &def.levers[p];
        const double v[5] = {l->tightening, l->engagement, l->inducements, l->coercion, l->wedge};
        const double dv[5] = {d->tightening, d->engagement, d->inducements, d->coercion, d->wedge};
        ent_buf_puts(b, "<tr><td>");
        esc(b, (p ? p1 : p0)->name);
        ent_buf_puts(b, "</td>");
        for (int k = 0; k < 5; k++) {
            if (v[k] != dv[k]) {
                ent_buf_printf(b, "<td><b>%.2f</b> (%s %.2f)</td>", v[k], refname, dv[k]);
            } else {
                ent_buf_printf(b, "<td>%.2f</td>", v[k]);
            }
        }
        ent_buf_puts(b, "</tr>\n");
    }
    ent_buf_puts(b, "</table>\n");
    if (r->s.nshocks) {
        static const char *kinds[] = {"?", "crisis", "war", "sanctions", "pact", "growth"};
        ent_buf_puts(b, "<h4>Shocks</h4>\n<table>\n<tr><th>year</th><th>kind</th><th>between</th><th>magnitude</th>"
                        "<th>duration (years)</th></tr>\n");
        for (size_t k = 0; k < r->s.nshocks; k++) {
            const ent_shock_t *sh = &r->s.shocks[k];
            char ca[16], cb[16];
            snprintf(ca, sizeof ca, "%d", sh->a);
            snprintf(cb, sizeof cb, "%d", sh->b);
            int64_t ia = -1, ib = -1;
            ent_world_find(&ia, w, ca);
            if (sh->b) {
                ent_world_find(&ib, w, cb);
            }
            ent_buf_printf(b, "<tr><td>%d</td><td>%s</td><td>", sh->year,
                           sh->kind >= 1 && sh->kind <= 5 ? kinds[sh->kind] : "?");
            esc(b, ia >= 0 ? ent_world_state(w, (size_t)ia)->name : ca);
            if (sh->b) {
                ent_buf_puts(b, " and ");
                esc(b, ib >= 0 ? ent_world_state(w, (size_t)ib)->name : cb);
            }
            ent_buf_printf(b, "</td><td>%g</td><td>%d</td></tr>\n", sh->magnitude, sh->duration);
        }
        ent_buf_puts(b, "</table>\n");
    }
}

/* The baseline's index of the pole with state code `code`, or -1: poles are matched by code, not position. */
static int base_pole(const cli_run_t *base, const char *code)
{
    for (int p = 0; p < ent_model_npoles(base->m); p++) {
        if (strcmp(ent_model_pole_code(base->m, p), code) == 0) {
            return p;
        }
    }
    return -1;
}

/*
 * The pacts between the scenario's poles, one row per pair: P[a pact between them by the report year
 * and by the later one], and against the baseline (when it is in the report) the paired effect by
 * the later year, as the headline's effects. A pact between poles is in both poles' pact counts.
 */
static void pole_pact_table(ent_buf_t *b, const ent_world_t *w, const cli_run_t *r, const cli_run_t *base)
{
    int ry = r->s.report_year, ly = later_year(r), np = ent_model_npoles(r->m);
    ent_buf_printf(b,
                   "<h4>Pacts between the poles</h4>\n<table class=\"pole-pacts\">\n<tr><th>poles</th>"
                   "<th>defence pact between them by %d</th><th>by %d</th>%s</tr>\n",
                   ry, ly, base ? "<th>effect by the later year, against the baseline</th>" : "");
    for (int p = 0; p < np; p++) {
        for (int q = p + 1; q < np; q++) {
            ent_buf_puts(b, "<tr><td>");
            esc(b, pole_state(w, r, p)->name);
            ent_buf_puts(b, " &ndash; ");
            esc(b, pole_state(w, r, q)->name);
            ent_buf_printf(b, " <span class=\"ci\">(%s&ndash;%s)</span></td>", ent_model_pole_code(r->m, p),
                           ent_model_pole_code(r->m, q));
            prob_cell(b, ent_ensemble_p_pole_pact(r->e, p, q, ry));
            prob_cell(b, ent_ensemble_p_pole_pact(r->e, p, q, ly));
            if (base) {
                double d, lo, hi;
                int bp, bq;
                if (base == r) {
                    ent_buf_puts(b, "<td>(the baseline)</td>");
                } else if ((bp = base_pole(base, ent_model_pole_code(r->m, p))) >= 0 &&
                           (bq = base_pole(base, ent_model_pole_code(r->m, q))) >= 0 &&
                           ent_ensemble_diff_pole_pact(&d, &lo, &hi, base->e, bp, bq, r->e, p, q, ly) == ENT_OK) {
                    ent_buf_printf(b, "<td>%+.3f <span class=\"ci\">[%+.3f, %+.3f]</span></td>", d, lo, hi);
                } else {
                    ent_buf_puts(b, "<td>&ndash; (different runs)</td>");
                }
            }
            ent_buf_puts(b, "</tr>\n");
        }
    }
    ent_buf_puts(b, "</table>\n");
}

typedef struct {
    size_t i;
    double key;
} rank_t;

static int rank_desc(const void *a, const void *b)
{
    double x = ((const rank_t *)a)->key, y = ((const rank_t *)b)->key;
    if (x != y) {
        return x > y ? -1 : 1;
    }
    return ((const rank_t *)a)->i < ((const rank_t *)b)->i ? -1 : 1;
}

/* The states whose alignment is least certain in the report year, with full names and each probability. */
static void state_table(ent_buf_t *b, const ent_world_t *w, const cli_run_t *r, size_t top)
{
    size_t n = ent_model_nstates(r->m);
    rank_t *rk = calloc(n, sizeof *rk);
    if (!rk) {
        return;
    }
    int ry = r->s.report_year, ly = later_year(r);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == ent_model_pole_state(r->m, 0) || i == ent_model_pole_state(r->m, 1)) {
            continue;
        }
        double mx = 0;
        for (int a = 0; a < 5; a++) {
            mx = fmax(mx, ent_ensemble_p_align(r->e, i, (ent_align_t)a, ry).p);
        }
        rk[m++] = (rank_t){i, 1 - mx};
    }
    qsort(rk, m, sizeof *rk, rank_desc);
    const ent_state_t *p0 = pole_state(w, r, 0), *p1 = pole_state(w, r, 1);
    ent_buf_printf(b,
                   "<h4>The %zu states whose alignment in %d is least certain</h4>\n<table>\n<tr><th>state</th>"
                   "<th>aligned with %s</th><th>Finlandized toward %s</th><th>hedging</th><th>Finlandized toward "
                   "%s</th><th>aligned with %s</th><th>defence pact with %s by %d</th><th>defence pact with %s by "
                   "%d</th></tr>\n",
                   top < m ? top : m, ry, p0->name, p0->name, p1->name, p1->name, p0->name, ly, p1->name, ly);
    static const ent_align_t order[5] = {ENT_ALIGN_POLE0, ENT_ALIGN_FINLAND0, ENT_ALIGN_HEDGE, ENT_ALIGN_FINLAND1,
                                         ENT_ALIGN_POLE1};
    for (size_t k = 0; k < m && k < top; k++) {
        const ent_state_t *st = ent_world_state(w, (size_t)ent_model_state(r->m, rk[k].i));
        ent_buf_puts(b, "<tr><td>");
        esc(b, st->name);
        ent_buf_printf(b, " <span class=\"ci\">(%s)</span></td>", st->abbr);
        for (int a = 0; a < 5; a++) {
            ent_buf_printf(b, "<td>%.2f</td>", ent_ensemble_p_align(r->e, rk[k].i, order[a], ry).p);
        }
        ent_buf_printf(b, "<td>%.2f</td><td>%.2f</td></tr>\n", ent_ensemble_p_pact_with(r->e, rk[k].i, 0, ly).p,
                       ent_ensemble_p_pact_with(r->e, rk[k].i, 1, ly).p);
    }
    ent_buf_puts(b, "</table>\n");
    free(rk);
}

static const char CSS[] =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222;"
    "line-height:1.45}h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}"
    "table{border-collapse:collapse;margin:.8em 0;font-size:.88em}th,td{border:1px solid #ccc;padding:.25em .5em;"
    "vertical-align:top}th{background:#f2f2f2;text-align:left}td{text-align:right}td:first-child{text-align:left}"
    ".ci{color:#666;font-size:.9em}.note{color:#555;font-size:.9em}figure{margin:1em 0}figure svg{max-width:100%;"
    "height:auto}pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:.8em}code{font-size:.95em}";

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The shipped scenarios' names, sorted; *n of them. */
static char **shipped(size_t *n)
{
    char **names = NULL;
    *n = 0;
    const char *dir = ent_scenario_default_dir();
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "entente: cannot open scenario directory %s: %s\n", dir, strerror(errno));
        return NULL;
    }
    struct dirent *de;
    size_t cap = 0;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0) {
            if (*n == cap) {
                cap = cap ? 2 * cap : 16;
                char **nn = realloc(names, cap * sizeof *names);
                if (!nn) {
                    break;
                }
                names = nn;
            }
            names[*n] = strndup(de->d_name, l - 5);
            if (names[*n]) {
                (*n)++;
            }
        }
    }
    closedir(d);
    if (names) {
        qsort(names, *n, sizeof *names, cmp_str);
    }
    return names;
}

static int report_main(int argc, char **argv);

int cmd_report(int argc, char **argv)
{
    int ret = report_main(argc, argv);
    ent_plot_cleanup(); /* the font caches, so leak checkers see a clean exit */
    return ret;
}

typedef struct {
    bool forecast;
    int64_t runs;
    int pacts;
} report_args_t;

static const cli_opt_t opts[] = {
    {.name = "forecast",
     .kind = CLI_FLAG,
     .help = "every shipped scenario (as 'entente forecast')",
     .field = offsetof(report_args_t, forecast)},
    {.name = "out",
     .kind = CLI_COMMON,
     .metavar = "DIR",
     .def = "the current directory",
     .help = "where report.html goes (created if missing)"},
    {.name = "runs",
     .kind = CLI_INT64,
     .lo = 1,
     .hi = 1e8,
     .def = "each scenario's own",
     .help = "runs per scenario",
     .field = offsetof(report_args_t, runs)},
    {.name = "seed", .kind = CLI_COMMON, .def = "each scenario's own"},
    CLI_COMMON_OPT("threads"),
    {.name = "pacts",
     .kind = CLI_INT,
     .metavar = "K",
     .lo = 0,
     .hi = 999,
     .def = "3",
     .help = "the 'at least K pacts' threshold of the headline",
     .field = offsetof(report_args_t, pacts)},
    CLI_COMMON_OPT("world-dir"),
    {0},
};

const cli_spec_t cli_spec_report = {
    .name = "report",
    .args = "SCENARIO...",
    .npos_max = -1,
    .about = "Writes DIR/report.html: one self-contained HTML file (charts as inline SVG, no network access when\n"
             "viewed) with the headline table, each scenario's parameters and what it changes, its fan charts and\n"
             "alignment probabilities, a per-state table with full names, the alliance network and China's pyramid\n"
             "on the base date, and the provenance of every number. Each SCENARIO is a scenario file, or the name\n"
             "of a shipped one (baseline, bid-for-primacy, ...); --forecast takes every shipped one instead.",
    .opts = opts,
};

static int report_main(int argc, char **argv)
{
    report_args_t a = {.pacts = 3};
    cli_common_t c;
    CLI_PARSE(&cli_spec_report, argc, argv, &a, &c);
    bool forecast = a.forecast;
    const char *outdir = c.out ? c.out : ".", *seed = c.seed_arg, *world_dir = c.world_dir;
    double runs = (double)a.runs, threads = c.threads, k = a.pacts;
    size_t nscen = (size_t)c.npos;
    if (forecast == (nscen > 0)) {
        return cli_usage_error("report", forecast ? "--forecast runs every shipped scenario: name none"
                                                  : "name at least one scenario, or --forecast");
    }
    char **names = NULL;
    if (forecast) {
        names = shipped(&nscen);
        if (!names || !nscen) {
            free(names);
            fprintf(stderr, "entente: no *.yaml scenarios in %s\n", ent_scenario_default_dir());
            return EXIT_INPUT;
        }
    }
    struct stat sb;
    if (stat(outdir, &sb) != 0 && mkdir(outdir, 0777) != 0) {
        fprintf(stderr, "entente: cannot create %s: %s\n", outdir, strerror(errno));
        if (names) {
            for (size_t i = 0; i < nscen; i++) {
                free(names[i]);
            }
            free(names);
        }
        return EXIT_IO;
    }
    const char *wdir = world_dir ? world_dir : ent_world_default_dir();
    ent_world_t *w = NULL;
    ent_err_t rc = cli_load_world(&w, NULL, wdir, false);
    cli_run_t *res = calloc(nscen, sizeof *res);
    ent_buf_t html = ENT_BUF_INIT;
    ent_figure_t fig;
    ent_figure_init(&fig);
    ent_prov_t *prov = NULL;
    int ret = EXIT_OK;
    if (rc != ENT_OK) {
        ret = cli_fail(rc);
        goto done;
    }
    if (!res) {
        ret = cli_fail(ENT_ENOMEM);
        goto done;
    }
    for (size_t i = 0; i < nscen && ret == EXIT_OK; i++) {
        const char *nm = names ? names[i] : c.pos[i];
        fprintf(stderr, "entente report: running %s\n", nm);
        ret = cli_run_scenario(&res[i], w, nm, (int64_t)runs, seed, (int)threads);
        /* the report's tables and figures set two poles side by side: a scenario of more poles is
         * `entente simulate`'s (skipped from --forecast, refused when named) */
        if (ret == EXIT_OK && res[i].s.npoles != 2) {
            fprintf(
                stderr,
                "entente report: %s has %d poles; the report compares two-pole scenarios (see entente simulate %s)\n",
                nm, res[i].s.npoles, nm);
            cli_run_free(&res[i]);
            if (!names) {
                ret = EXIT_INPUT;
            } else {
                memmove(&res[i], &res[i + 1], (nscen - i - 1) * sizeof *res);
                free(names[i]);
                memmove(&names[i], &names[i + 1], (nscen - i - 1) * sizeof *names);
                nscen--;
                i--;
            }
        }
    }
    if (ret != EXIT_OK) {
        goto done;
    }
    /* provenance: the engine, the world's files and the scenario files with their SHA-256, seed and runs */
    if ((rc = ent_prov_new(&prov, "report")) != ENT_OK || (rc = ent_prov_set_argv(prov, argc, argv)) != ENT_OK ||
        (rc = ent_prov_add_dir(prov, "world", wdir)) != ENT_OK) {
        ret = cli_fail(rc);
        goto done;
    }
    for (size_t i = 0; i < nscen; i++) {
        if ((rc = ent_prov_add_file(prov, "scenario", res[i].path)) != ENT_OK) {
            ret = cli_fail(rc);
            goto done;
        }
    }
    ent_prov_set_run(prov, res[0].s.seed, res[0].s.runs, (int)threads);
    static const char *const cites[] = {
        "entente-world",       "atop", "cow-nmc", "tss-rivalries", "entente-alignment", "esteban-ray-1994",
        "traag-bruggeman-2009"};
    for (size_t i = 0; i < sizeof cites / sizeof cites[0]; i++) {
        ent_prov_cite(prov, cites[i]); /* a key missing from the table is not worth failing the report */
    }
    ent_buf_t provcap = ENT_BUF_INIT;
    ent_prov_render_caption(&provcap, prov);

    const ent_state_t *p0 = pole_state(w, &res[0], 0), *p1 = pole_state(w, &res[0], 1);
    ent_buf_puts(&html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    ent_buf_printf(&html, "entente report: %s and %s, %d-%d</title>\n<style>%s</style>\n</head>\n<body>\n", p0->name,
                   p1->name, res[0].s.start_year, res[0].s.start_year + res[0].s.years, CSS);
    ent_buf_printf(&html,
                   "<h1>Alignment forecast: %s and %s, %d&ndash;%d</h1>\n<p>%zu scenario(s), %lld runs each, on "
                   "entente's shipped world of %d. Probabilities are shares of Monte Carlo runs of the alignment "
                   "model (docs/models/alignment.md); its parameters are assumed from the literature and the "
                   "essay, not fitted to data, so the numbers are conditional on them. States are named in full "
                   "with their Correlates of War abbreviation in parentheses.</p>\n",
                   p0->name, p1->name, res[0].s.start_year, res[0].s.start_year + res[0].s.years, nscen,
                   (long long)ent_ensemble_runs(res[0].e), res[0].s.start_year);
    ent_buf_printf(&html,
                   "<p class=\"note\"><b>Terms.</b> A state is <em>aligned</em> with a pole when it holds a "
                   "defence pact with it or, short of one, a de facto alignment (the pole's top partnership tier, "
                   "major arms supply or basing from that pole only); <em>hedging</em> when it is aligned with "
                   "neither; <em>Finlandized</em> toward a pole when it defers to a nearby pole that threatens it "
                   "(within %.0f km, in the first scenario's setting) without aligning, trading autonomy for "
                   "less threat, as Finland did after 1948. The two poles are %s (%s) and %s (%s). "
                   "docs/models/alignment.md gives every equation.</p>\n",
                   res[0].s.finland_distance_km, p0->name, p0->abbr, p1->name, p1->abbr);
    headline(&html, w, res, nscen, (int)k);

    const cli_run_t *base = NULL;
    for (size_t i = 0; i < nscen; i++) {
        if (strcmp(res[i].s.name, "baseline") == 0) {
            base = &res[i];
        }
    }
    page_t pg = {&html, 0, ENT_OK};
    ent_plot_options_t po = ENT_PLOT_OPTIONS_INIT;
    char cap[2048], title[256];
    for (size_t i = 0; i < nscen; i++) {
        const cli_run_t *r = &res[i];
        ent_buf_puts(&html, "<h2 id=\"s-");
        esc(&html, r->s.name);
        ent_buf_puts(&html, "\">Scenario: ");
        esc(&html, r->s.name);
        ent_buf_puts(&html, "</h2>\n<p>");
        esc(&html, r->s.description);
        ent_buf_printf(&html, "</p>\n<p class=\"note\">File <code>");
        esc(&html, r->path);
        ent_buf_printf(&html, "</code>; %lld runs, seed %llu, %d&ndash;%d, headline year %d.</p>\n",
                       (long long)ent_ensemble_runs(r->e), (unsigned long long)r->s.seed, r->s.start_year,
                       r->s.start_year + r->s.years, r->s.report_year);
        scenario_changes(&html, w, r, base);
        pole_pact_table(&html, w, r, base);
        cli_scenario_caption(cap, sizeof cap, r);
        po.caption = cap;
        static const struct {
            ent_series_t s[3];
            size_t n;
            const char *title;
        } fans[4] = {
            {{ENT_SERIES_PACTS1}, 1, NULL}, /* titled with the pole's name below */
            {{ENT_SERIES_BLOC0, ENT_SERIES_BLOC1, ENT_SERIES_BIPOLARITY}, 3, "Bloc shares of world capability"},
            {{ENT_SERIES_FINLAND0, ENT_SERIES_FINLAND1}, 2, "Finlandized states"},
            {{ENT_SERIES_HEDGERS}, 1, "Hedging states (aligned with neither pole)"},
        };
        for (int f = 0; f < 4; f++) {
            if (fans[f].title) {
                snprintf(title, sizeof title, "%s, scenario '%s'", fans[f].title, r->s.name);
            } else {
                snprintf(title, sizeof title, "Defence pacts held by %s, scenario '%s'", pole_state(w, r, 1)->name,
                         r->s.name);
            }
            po.title = title;
            po.subtitle = "median of the runs, with the bands holding the middle 50% and 90% of them";
            figure(&pg, ent_plot_ensemble_fan(&fig, r->e, r->m, w, &r->s, fans[f].s, fans[f].n, &po), &fig, title);
        }
        snprintf(title, sizeof title, "Alignment in %d, scenario '%s'", r->s.report_year, r->s.name);
        po.title = title;
        po.subtitle = "the states whose alignment is least certain, from one pole's side to the other's";
        figure(&pg, ent_plot_ensemble_alignment(&fig, r->e, r->m, w, &r->s, r->s.report_year, 30, &po), &fig, title);
        snprintf(title, sizeof title, "The most likely alignment of each state in %d, scenario '%s'", r->s.report_year,
                 r->s.name);
        po.title = title;
        po.subtitle = NULL;
        size_t cl = strlen(cap);
        snprintf(cap + cl, sizeof cap - cl, " Country shapes: Natural Earth 1:110m (world-atlas 2.0.2).");
        figure(&pg, ent_plot_ensemble_map(&fig, r->e, r->m, w, &r->s, r->s.report_year, &po), &fig, title);
        state_table(&html, w, r, 30);
    }

    ent_date_t base_date = (ent_date_t)res[0].s.start_year * 10000 + 1231;
    char d[11];
    ent_date_format(d, base_date);
    ent_buf_printf(&html, "<h2 id=\"world\">The alliance system the runs start from (%s)</h2>\n", d);
    cli_world_caption(cap, sizeof cap, true);
    po.caption = cap;
    snprintf(title, sizeof title, "The alliance system on %s", d);
    po.title = title;
    po.subtitle = "the 40 most capable states with a tie in force";
    ent_plot_network_options_t no = ENT_PLOT_NETWORK_OPTIONS_INIT;
    figure(&pg, ent_plot_world_network(&fig, w, base_date, &no, &po), &fig, title);
    cli_world_caption(cap, sizeof cap, false);
    snprintf(title, sizeof title, "The pyramid of %s's partners on %s", p1->name, d);
    po.title = title;
    po.subtitle = "formal allies on top, then the partnership tiers on the shipped scale, highest first";
    figure(
        &pg,
        ent_plot_world_pyramid(&fig, w, ent_model_state(res[0].m, ent_model_pole_state(res[0].m, 1)), base_date, &po),
        &fig, title);

    ent_buf_puts(&html, "<h2 id=\"provenance\">Provenance</h2>\n<p>");
    esc(&html, ent_buf_cstr(&provcap));
    ent_buf_puts(&html, "</p>\n<pre>");
    ent_buf_t pj = ENT_BUF_INIT;
    ent_prov_render_json(&pj, prov);
    /* indented, so a reader can find an input's checksum */
    json_t *pv = json_loads(ent_buf_cstr(&pj), 0, NULL);
    char *pretty = pv ? json_dumps(pv, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    esc(&html, pretty ? pretty : ent_buf_cstr(&pj));
    free(pretty);
    json_decref(pv);
    ent_buf_destroy(&pj);
    ent_buf_destroy(&provcap);
    ent_buf_puts(&html, "</pre>\n<p class=\"note\">Every input is listed with its size and SHA-256; the same inputs, "
                        "seed and runs give the same numbers on any number of threads. "
                        "'entente cite' prints the full references.</p>\n</body>\n</html>\n");
    if (pg.rc != ENT_OK) {
        ret = cli_fail(pg.rc);
        goto done;
    }
    {
        char path[4096];
        snprintf(path, sizeof path, "%s/report.html", outdir);
        ent_figure_t out;
        ent_figure_init(&out);
        /* the figure's writer does the temp-and-rename */
        if ((rc = ent_buf_put(&out.data, html.ptr, html.len)) == ENT_OK) {
            rc = ent_figure_save(&out, path);
        }
        ent_figure_destroy(&out);
        if (rc != ENT_OK) {
            ret = cli_fail(rc);
            goto done;
        }
        printf("%s\n", path);
    }
done:
    ent_prov_free(prov);
    ent_figure_destroy(&fig);
    ent_buf_destroy(&html);
    if (res) {
        for (size_t i = 0; i < nscen; i++) {
            cli_run_free(&res[i]);
        }
    }
    free(res);
    if (names) {
        for (size_t i = 0; i < nscen; i++) {
            free(names[i]);
        }
        free(names);
    }
    ent_world_free(w);
    return ret;
}
