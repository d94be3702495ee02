/*
 * history.c -- two centuries of the alliance system from an imported store,
 * as three stacked panels over the years: foreign-policy similarity (mean S
 * of alliance portfolios, over all dyads and over dyads with a defence
 * obligation), polarization (bipolarity and Esteban-Ray over defence-pact
 * blocs) and frustration (the least share of the signed network's tie
 * weight that any split into two camps leaves unbalanced: pacts positive,
 * rivalries negative; by the project's heuristic, an upper bound on the
 * exact index).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "entente/blocs.h"
#include "entente/measures.h"
#include "entente/partition.h"
#include "plot_int.h"

/* Mean S over all dyads and over dyads with a defence obligation, per year. */
static ent_err_t similarity_series(double *all, double *allied, ent_store_t *st, int from, int to)
{
    ent_portfolios_t *p = NULL;
    ent_err_t rc = ent_portfolios_load(&p, st, ENT_SIM_SOURCE_ATOP, from, to);
    if (rc != ENT_OK) {
        return rc;
    }
    ent_vec_t rows;
    ent_vec_init(&rows, sizeof(ent_dyad_year_t));
    ent_similarity_options_t so = ENT_SIMILARITY_OPTIONS_INIT;
    for (int y = from; y <= to && rc == ENT_OK; y++) {
        rows.len = 0;
        size_t k = (size_t)(y - from);
        all[k] = allied[k] = NAN;
        rc = ent_measure_similarity_year(&rows, p, y, false, &so);
        if (rc == ENT_ERANGE) {
            rc = ENT_OK; /* a year without portfolios is a gap in the line */
            continue;
        }
        double sa = 0, sb = 0;
        size_t na = 0, nb = 0;
        for (size_t j = 0; j < rows.len; j++) {
            const ent_dyad_year_t *d = &ENT_VEC_AT(&rows, ent_dyad_year_t, j);
            if (isnan(d->m.s)) {
                continue;
            }
            sa += d->m.s;
            na++;
            if (d->obligations & ENT_OBL_DEFENSE) {
                sb += d->m.s;
                nb++;
            }
        }
        all[k] = na ? sa / (double)na : NAN;
        allied[k] = nb ? sb / (double)nb : NAN;
    }
    ent_vec_destroy(&rows);
    ent_portfolios_free(p);
    return rc;
}

/* The frustration index of the signed network on 1 July of each year, as a share of the total tie weight. */
static ent_err_t frustration_series(double *out, const ent_world_t *w, int from, int to)
{
    ent_err_t rc = ENT_OK;
    ent_blocs_network_options_t no = ENT_BLOCS_NETWORK_OPTIONS_INIT;
    /* a modest search per year: two centuries must draw in seconds */
    ent_heuristic_options_t ho = ENT_HEURISTIC_OPTIONS_INIT;
    ho.restarts = 8;
    ho.anneal_runs = 1;
    ho.anneal_sweeps = 100;
    ho.bound = false;
    /* through the one entry point, which picks the solver and guards igraph: the heuristic, as an
     * exact index per year would take minutes where a trend needs seconds */
    ent_solve_options_t so = ENT_SOLVE_OPTIONS_INIT;
    so.method = ENT_SOLVE_HEURISTIC;
    so.heuristic = &ho;
    for (int y = from; y <= to && rc == ENT_OK; y++) {
        size_t k = (size_t)(y - from);
        out[k] = NAN;
        ent_signed_t g;
        ent_signed_init(&g);
        rc = ent_blocs_network(&g, NULL, w, (ent_date_t)y * 10000 + 701, &no);
        if (rc == ENT_ERANGE) {
            rc = ENT_OK;
            ent_signed_destroy(&g);
            continue;
        }
        if (rc == ENT_OK) {
            double total = 0;
            for (size_t e = 0; e < g.m; e++) {
                total += fabs(g.ew[e]);
            }
            ent_solve_result_t res;
            ent_solve_result_init(&res);
            so.seed = (uint64_t)y;
            if (total > 0 && (rc = ent_partition_solve(&res, &g, &so)) == ENT_OK) {
                out[k] = res.best.value / total;
            }
            ent_solve_result_destroy(&res);
        }
        ent_signed_destroy(&g);
    }
    return rc;
}

ent_err_t ent_plot_history(ent_figure_t *fig, const ent_world_t *w, ent_store_t *st, int from, int to,
                           const ent_plot_options_t *o)
{
    if (from > to || to - from > 1000) {
        return ent_i_err(ENT_EINVAL, "history: years %d-%d", from, to);
    }
    size_t ny = (size_t)(to - from + 1);
    double *v = ent_calloc(5 * ny, sizeof(double));
    ent_vec_t pol;
    ent_vec_init(&pol, sizeof(ent_polarization_t));
    if (!v) {
        return ent_i_nomem();
    }
    double *s_all = v, *s_allied = v + ny, *bip = v + 2 * ny, *er = v + 3 * ny, *fr = v + 4 * ny;
    ent_polarization_options_t po = ENT_POLARIZATION_OPTIONS_INIT;
    po.ideal = false;
    ent_err_t rc = ent_blocs_polarization_series(&pol, w, st, from, to, &po);
    if (rc == ENT_OK) {
        for (size_t k = 0; k < ny; k++) {
            bip[k] = er[k] = NAN;
        }
        for (size_t j = 0; j < pol.len; j++) {
            const ent_polarization_t *p = &ENT_VEC_AT(&pol, ent_polarization_t, j);
            if (p->year >= from && p->year <= to) {
                bip[p->year - from] = p->p.bipolarity;
                er[p->year - from] = p->p.er;
            }
        }
        rc = similarity_series(s_all, s_allied, st, from, to);
    }
    if (rc == ENT_OK) {
        rc = frustration_series(fr, w, from, to);
    }
    if (rc == ENT_OK) {
        ent_plot_line_t l1[2] = {{"mean S over all dyads (ATOP alliance portfolios)", s_all, 0x555555},
                                 {"mean S over dyads with a defence pact", s_allied, 0x0072B2}};
        ent_plot_line_t l2[2] = {{"bipolarity: capability share of the two largest pact blocs", bip, 0xD55E00},
                                 {"Esteban-Ray polarization over blocs (alpha 1.6)", er, 0x009E73}};
        ent_plot_line_t l3[1] = {{"frustration: least share of tie weight unbalanced by a split in two", fr, 0xCC79A7}};
        ent_plot_panel_t panels[3] = {{"similarity S (-1 to 1)", l1, 2, NAN, 1},
                                      {"share / index (0-1)", l2, 2, 0, 1},
                                      {"frustration (share, 0-1)", l3, 1, 0, NAN}};
        ent_plot_lines_t d = {from, ny, panels, 3, "year (measured on 1 July)"};
        rc = ent_plot_lines(fig, &d, o);
    }
    ent_vec_destroy(&pol);
    ent_free(v);
    return rc;
}
