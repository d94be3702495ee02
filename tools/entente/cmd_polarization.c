/*
 * cmd_polarization.c -- `entente polarization`: how polarized the system is,
 * year by year, from an imported store (historical), or on one date of the
 * shipped world: the capability share of the two largest defence-pact blocs
 * (bipolarity), a Herfindahl index over blocs, Esteban-Ray polarization over
 * blocs and, when the store holds UNGA ideal points, over those positions.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_opts.h"

#define DEFAULT_DATE 20241231

typedef struct {
    int from, to, year;
    ent_date_t date;
    bool csv;
} polarization_args_t;

static const cli_opt_t opts[] = {
    {.name = "from",
     .kind = CLI_YEAR,
     .metavar = "Y1",
     .help = "with --to: the years, inside those of the store's pacts and capabilities",
     .field = offsetof(polarization_args_t, from)},
    {.name = "to",
     .kind = CLI_YEAR,
     .metavar = "Y2",
     .help = "the last year",
     .field = offsetof(polarization_args_t, to)},
    {.name = "year", .kind = CLI_YEAR, .help = "one year", .field = offsetof(polarization_args_t, year)},
    CLI_COMMON_HELP("db", "the store (default $ENTENTE_DB or ./entente.db): COW states, NMC, ATOP"),
    CLI_COMMON_HELP("world", "the shipped world on one date instead (no ideal points)"),
    CLI_COMMON_HELP("world-dir", "with --world: its CSV directory (default: $ENTENTE_WORLD or the build's data/)"),
    {.name = "date",
     .kind = CLI_DATE,
     .def = "2024-12-31",
     .help = "with --world: YYYY-MM-DD or YYYY for the end of that year",
     .field = offsetof(polarization_args_t, date)},
    CLI_COMMON_HELP("json", "machine output: one object per year"),
    {.name = "csv",
     .kind = CLI_FLAG,
     .help = "machine output: one row per year",
     .field = offsetof(polarization_args_t, csv)},
    {0},
};

const cli_spec_t cli_spec_polarization = {
    .name = "polarization",
    .about = "Polarization of the alliance system, per year from a store (--from Y1 --to Y2 or --year Y) or on\n"
             "one date of the shipped world (--world). Blocs are the connected groups of states joined by\n"
             "defence pacts; every unaligned state counts as a group of its own; groups are weighted by\n"
             "capability (CINC). Per year (measured on 1 July):\n"
             "  bipolarity  capability share of the two largest blocs\n"
             "  hhi, poles  Herfindahl index of the groups' shares and its inverse (effective poles)\n"
             "  er          Esteban & Ray (1994) polarization of the groups, alpha 1.6, distance 1 between\n"
             "              groups, scaled so that two equal blocs score 1\n"
             "  er_ideal    Esteban & Ray over UNGA ideal points (IdealPointAll, session = year - 1945),\n"
             "              capability-weighted, when the store holds them (import unga-ideal)",
    .opts = opts,
};

static json_t *num(double v)
{
    return cli_json_num(v);
}

static void csv_num(double v)
{
    if (isnan(v) || isinf(v)) {
        printf(",NA");
    } else {
        printf(",%.10g", v);
    }
}

static int emit(const ent_polarization_t *rows, size_t nrows, bool json, bool csv, const char *origin)
{
    if (json) {
        json_t *a = json_array();
        for (size_t k = 0; k < nrows; k++) {
            const ent_polarization_t *p = &rows[k];
            char d[11];
            ent_date_format(d, p->date);
            json_t *o =
                json_pack("{s:i, s:s, s:i, s:i, s:i, s:i}", "year", (int)p->year, "date", d, "states", (int)p->states,
                          "blocs", (int)p->blocs, "aligned", (int)p->aligned, "ideal_states", (int)p->ideal_states);
            json_object_set_new(o, "bloc1", num(p->p.bloc1));
            json_object_set_new(o, "bloc2", num(p->p.bloc2));
            json_object_set_new(o, "bipolarity", num(p->p.bipolarity));
            json_object_set_new(o, "hhi", num(p->p.hhi));
            json_object_set_new(o, "poles", num(p->p.poles));
            json_object_set_new(o, "er", num(p->p.er));
            json_object_set_new(o, "er_ideal", num(p->er_ideal));
            json_array_append_new(a, o);
        }
        return cli_print_json(a);
    }
    if (csv) {
        printf("year,date,states,blocs,aligned,bloc1,bloc2,bipolarity,hhi,poles,er,er_ideal,ideal_states\n");
        for (size_t k = 0; k < nrows; k++) {
            const ent_polarization_t *p = &rows[k];
            char d[11];
            ent_date_format(d, p->date);
            printf("%d,%s,%d,%d,%d", (int)p->year, d, (int)p->states, (int)p->blocs, (int)p->aligned);
            csv_num(p->p.bloc1);
            csv_num(p->p.bloc2);
            csv_num(p->p.bipolarity);
            csv_num(p->p.hhi);
            csv_num(p->p.poles);
            csv_num(p->p.er);
            csv_num(p->er_ideal);
            printf(",%d\n", (int)p->ideal_states);
        }
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
    }
    printf("Polarization of the alliance system (%s)\n", origin);
    printf("%-10s %6s %5s %7s %6s %6s %10s %6s %6s %6s %8s\n", "date", "states", "blocs", "aligned", "bloc1", "bloc2",
           "bipolarity", "hhi", "poles", "er", "er_ideal");
    for (size_t k = 0; k < nrows; k++) {
        const ent_polarization_t *p = &rows[k];
        char d[11], ei[16] = "-";
        ent_date_format(d, p->date);
        if (!isnan(p->er_ideal)) {
            snprintf(ei, sizeof ei, "%.3f", p->er_ideal);
        }
        printf("%-10s %6d %5d %7d %6.3f %6.3f %10.3f %6.3f %6.2f %6.3f %8s\n", d, (int)p->states, (int)p->blocs,
               (int)p->aligned, p->p.bloc1, p->p.bloc2, p->p.bipolarity, p->p.hhi, p->p.poles, p->p.er, ei);
    }
    return EXIT_OK;
}

int cmd_polarization(int argc, char **argv)
{
    polarization_args_t a = {.date = DEFAULT_DATE};
    cli_common_t c;
    CLI_PARSE(&cli_spec_polarization, argc, argv, &a, &c);
    int from = a.from, to = a.to, year = a.year;
    const char *db = c.db, *dir = c.world_dir;
    bool world = c.world, json = c.json, csv = a.csv;
    bool date_given = cli_given(&cli_spec_polarization, &c, "date");
    ent_date_t date = a.date;
    if (json && csv) {
        return cli_usage_error("polarization", "give --json or --csv, not both");
    }
    bool range = from || to;
    if (world) {
        if (db || range || year) {
            return cli_usage_error("polarization", "--world measures one date: no --db, --from, --to or --year");
        }
    } else {
        if (date_given || dir) {
            return cli_usage_error("polarization", "--date and --world-dir go with --world");
        }
        if (year && range) {
            return cli_usage_error("polarization", "give --year Y or --from Y1 --to Y2, not both");
        }
        if (!year && (!from || !to)) {
            return cli_usage_error("polarization", "--year Y or --from Y1 --to Y2 is required");
        }
        if (year) {
            from = to = year;
        }
        if (from > to) {
            return cli_usage_error("polarization", "--from %d is after --to %d", from, to);
        }
    }
    ent_world_t *w = NULL;
    ent_err_t rc;
    char origin[4200];
    int ret;
    if (world) {
        if (!dir) {
            dir = ent_world_default_dir();
        }
        if ((rc = cli_load_world(&w, NULL, dir, false)) != ENT_OK) {
            return cli_fail(rc);
        }
        snprintf(origin, sizeof origin, "shipped world %s", dir);
        ent_polarization_t p;
        rc = ent_blocs_polarization(&p, w, date, NULL);
        ret = rc == ENT_OK ? emit(&p, 1, json, csv, origin) : cli_fail(rc);
        ent_world_free(w);
        return ret;
    }
    db = cli_db_path(db);
    ent_store_t *st;
    if ((rc = cli_open_store(&st, db, true, false)) != ENT_OK) {
        return cli_fail(rc);
    }
    snprintf(origin, sizeof origin, "store %s", db);
    int first, last;
    ent_vec_t rows;
    ent_vec_init(&rows, sizeof(ent_polarization_t));
    /* the store must hold pacts and capabilities before the world is worth loading */
    if ((rc = ent_blocs_coverage(&first, &last, st)) == ENT_OK && (rc = ent_world_load(&w, st, NULL)) == ENT_OK) {
        rc = ent_blocs_polarization_series(&rows, w, st, from, to, NULL);
    }
    ret = rc == ENT_OK ? emit(rows.data, rows.len, json, csv, origin) : cli_fail(rc);
    ent_vec_destroy(&rows);
    ent_world_free(w);
    ent_store_close(st);
    return ret;
}
