/*
 * import_mme.c -- Multinational Military Exercises, v7, long form.
 *
 * Format: D'Orazio, V. & Galambos, A., Multinational Military Exercises (MME)
 * v7; mme-v7-long.csv has one row per exercise, participant and year (MMEID,
 * Ex_Name, Series_Name, gwcode, country, year, Location, lat, lon, s.year,
 * s.month, s.day, e.year, e.month, e.day, CPX ... Humanitarian, ...). The
 * exercise attributes repeat on every row of an MMEID and must agree.
 *
 * Participants carry Gleditsch-Ward codes, mapped to COW by gwcow.c. Where the
 * file leaves gwcode NA, the country column decides, from two closed lists:
 * microstates that GW's main list omits but COW counts (stored under their COW
 * code), and participants that are not states (NATO, territories, MME's "-9"
 * for an unknown participant), which are not stored. Any other NA is an error.
 *
 * Missing values: NA (and, for names and locations, MME's -9); a month or day
 * of "xx" or NA is unknown and the date is partial (widened to the earliest
 * day for a start, the latest for an end).
 */
#include <stdio.h>
#include <string.h>

#include "country_codes.h"
#include "io_int.h"

static const char *const mme_source = "MME v7 (D'Orazio & Galambos)";

/* Participants without a GW code that are COW states: GW's list leaves out states under 250,000 people. */
static const struct {
    const char *country;
    int ccode;
    int from; /* first year the name means that COW state */
} no_gw_states[] = {
    {"Antigua & Barbuda", 58, 0},
    {"Dominica", 54, 0},
    {"Grenada", 55, 0},
    {"Palau", 986, 0},
    {"Seychelles", 591, 0},
    {"St. Kitts & Nevis", 60, 0},
    {"st. christopher", 60, 0}, /* St. Christopher and Nevis, the name until 1986 */
    {"St. Lucia", 56, 0},
    {"St. Vincent & Grenadines", 57, 0},
    {"São Tomé & Príncipe", 403, 0},
    {"Tonga", 955, 0},
    {"Vanuatu", 935, 0},
    {"Yemen", 679, 1990}, /* not a microstate; NA in v7 (rows 1998-2010); unified Yemen from 1990 */
};

/* Participants without a GW code that are not states: the exercise is kept, the row stores no participant. */
static const char *const non_states[] = {
    "-9", /* MME's code for a participant it could not identify */
    "NATO", "Baltic States", "Bermuda", "Hong Kong SAR China", "Netherlands Antilles", "New Caledonia",
};

enum {
    ID,
    NAME,
    SERIES,
    GW,
    COUNTRY,
    YEAR,
    LOC,
    LAT,
    LON,
    SY,
    SM,
    SD,
    EY,
    EM,
    ED,
    FLAG0,
    NFLAGS = 9,
    NCOLS = FLAG0 + NFLAGS
};

static const char *const cols[NCOLS] = {
    "MMEID", "Ex_Name", "Series_Name", "gwcode",     "country", "year",        "Location",     "lat",
    "lon",   "s.year",  "s.month",     "s.day",      "e.year",  "e.month",     "e.day",        "CPX",
    "Air",   "Land",    "Sea",         "Amphibious", "Cyber",   "Warfighting", "Peacekeeping", "Humanitarian",
};

/* The attributes of an exercise as one row states them; strings borrowed from the reader. */
typedef struct {
    const char *id;
    const char *name, *series, *location; /* NULL when missing */
    bool has_pos;
    double lat, lon;
    ent_date_t start, end; /* ENT_DATE_NONE when unknown */
    int flag[NFLAGS];
} exercise_t;

/* A text attribute: NULL for NA, empty, or MME's -9. */
static ent_err_t get_text(const ent_csv_t *r, const int *ix, int k, size_t max, const char **out)
{
    bool na;
    ent_err_t rc = ent_csv_get_str(r, (size_t)ix[k], cols[k], max, out, &na);
    if (rc == ENT_OK && (na || strcmp(*out, "-9") == 0)) {
        *out = NULL;
    }
    return rc;
}

/* A month or day: 0 when unknown ("xx" or NA), else within 1..hi. */
static ent_err_t get_part(const ent_csv_t *r, const int *ix, int k, int64_t hi, int *out)
{
    bool na;
    int64_t v = 0;
    if (strcmp(ent_csv_field(r, (size_t)ix[k], NULL), "xx") == 0) {
        *out = 0;
        return ENT_OK;
    }
    ent_err_t rc = ent_csv_get_i64(r, (size_t)ix[k], cols[k], 1, hi, &v, &na);
    *out = rc == ENT_OK && !na ? (int)v : 0;
    return rc;
}

/* The date of columns k (year), k+1 (month), k+2 (day); ENT_DATE_NONE when the year is missing. */
static ent_err_t get_date(const ent_csv_t *r, const int *ix, int k, bool end, ent_date_t *out)
{
    int64_t y;
    bool na;
    int m, d;
    ent_err_t rc;
    if ((rc = ent_csv_get_i64(r, (size_t)ix[k], cols[k], 1900, 2100, &y, &na)) != ENT_OK ||
        (rc = get_part(r, ix, k + 1, 12, &m)) != ENT_OK || (rc = get_part(r, ix, k + 2, 31, &d)) != ENT_OK) {
        return rc;
    }
    if (na) {
        if (m || d) {
            return ent_csv_error(r, ENT_EPARSE, (size_t)ix[k], cols[k], "missing year, but a month or day given");
        }
        *out = ENT_DATE_NONE;
        return ENT_OK;
    }
    if (!m && d) {
        return ent_csv_error(r, ENT_EPARSE, (size_t)ix[k + 2], cols[k + 2], "a day without a month");
    }
    if (ent_date_make(out, (int)y, m, d, end) != ENT_OK) {
        return ent_csv_error(r, ENT_ERANGE, (size_t)ix[k + 2], cols[k + 2], "%s", ent_errmsg());
    }
    return ENT_OK;
}

/* Reads and checks the exercise attributes of the current row. */
static ent_err_t get_exercise(const ent_csv_t *r, const int *ix, exercise_t *ex)
{
    ent_err_t rc;
    bool lat_na, lon_na;
    if ((rc = ent_csv_get_str(r, (size_t)ix[ID], cols[ID], 32, &ex->id, NULL)) != ENT_OK ||
        (rc = get_text(r, ix, NAME, 1000, &ex->name)) != ENT_OK ||
        (rc = get_text(r, ix, SERIES, 1000, &ex->series)) != ENT_OK ||
        (rc = get_text(r, ix, LOC, 1000, &ex->location)) != ENT_OK ||
        (rc = ent_csv_get_f64(r, (size_t)ix[LAT], cols[LAT], -90, 90, &ex->lat, &lat_na)) != ENT_OK ||
        (rc = ent_csv_get_f64(r, (size_t)ix[LON], cols[LON], -180, 180, &ex->lon, &lon_na)) != ENT_OK ||
        (rc = get_date(r, ix, SY, false, &ex->start)) != ENT_OK ||
        (rc = get_date(r, ix, EY, true, &ex->end)) != ENT_OK) {
        return rc;
    }
    if (lat_na != lon_na) {
        int k = lat_na ? LAT : LON;
        return ent_csv_error(r, ENT_EPARSE, (size_t)ix[k], cols[k], "missing, but %s is given",
                             cols[k == LAT ? LON : LAT]);
    }
    ex->has_pos = !lat_na;
    if (ex->start && ex->end && ex->end < ex->start) {
        char a[16], b[16];
        ent_date_format(a, ex->end);
        ent_date_format(b, ex->start);
        return ent_csv_error(r, ENT_ERANGE, (size_t)ix[EY], cols[EY], "the exercise ends (%s) before it starts (%s)", a,
                             b);
    }
    for (int f = 0; f < NFLAGS; f++) {
        int64_t v;
        if ((rc = ent_csv_get_i64(r, (size_t)ix[FLAG0 + f], cols[FLAG0 + f], 0, 1, &v, NULL)) != ENT_OK) {
            return rc;
        }
        ex->flag[f] = (int)v;
    }
    return ENT_OK;
}

static bool same_text(const char *stored, const char *s)
{
    return stored ? s && strcmp(stored, s) == 0 : !s;
}

/*
 * Inserts the exercise when its MMEID is new (*created = true), or checks the
 * row against the stored one: ENT_EPARSE naming the first field that disagrees.
 */
static ent_err_t put_exercise(ent_i_import_t *im, const ent_csv_t *r, const int *ix, const exercise_t *ex,
                              ent_i_stmt_t *get, ent_i_stmt_t *ins, bool *created)
{
    *created = false;
    bool found;
    ent_i_stmt_text(get, 0, ex->id);
    ent_err_t rc = ent_i_stmt_find(get, "reading exercises", &found);
    if (rc != ENT_OK) {
        return rc;
    }
    if (found) {
        const char *what = NULL;
        int k = 0;
        char was[80] = "", now[80] = "";
        const char *txt[3] = {ent_i_stmt_get_text(get, 0), ent_i_stmt_get_text(get, 1), ent_i_stmt_get_text(get, 2)};
        const char *mine[3] = {ex->name, ex->series, ex->location};
        static const int tcol[3] = {NAME, SERIES, LOC};
        for (int t = 0; t < 3 && !what; t++) {
            if (!same_text(txt[t], mine[t])) {
                k = tcol[t];
                snprintf(was, sizeof was, "%.60s", txt[t] ? txt[t] : "(missing)");
                snprintf(now, sizeof now, "%.60s", mine[t] ? mine[t] : "(missing)");
                what = cols[k];
            }
        }
        bool had_pos = !ent_i_stmt_is_null(get, 3);
        if (!what && (had_pos != ex->has_pos || (had_pos && (ent_i_stmt_get_real(get, 3) != ex->lat ||
                                                             ent_i_stmt_get_real(get, 4) != ex->lon)))) {
            k = LAT;
            what = "lat/lon";
            if (had_pos) {
                snprintf(was, sizeof was, "%.10g, %.10g", ent_i_stmt_get_real(get, 3), ent_i_stmt_get_real(get, 4));
            } else {
                snprintf(was, sizeof was, "(missing)");
            }
            if (ex->has_pos) {
                snprintf(now, sizeof now, "%.10g, %.10g", ex->lat, ex->lon);
            } else {
                snprintf(now, sizeof now, "(missing)");
            }
        }
        const ent_date_t dates[2] = {ex->start, ex->end};
        for (int t = 0; t < 2 && !what; t++) {
            ent_date_t was_d =
                ent_i_stmt_is_null(get, 5 + t) ? ENT_DATE_NONE : (ent_date_t)ent_i_stmt_get_int(get, 5 + t);
            if (was_d != dates[t]) {
                k = t ? EY : SY;
                snprintf(was, sizeof was, "(missing)");
                snprintf(now, sizeof now, "(missing)");
                if (was_d) {
                    ent_date_format(was, was_d);
                }
                if (dates[t]) {
                    ent_date_format(now, dates[t]);
                }
                what = t ? "e.year/e.month/e.day" : "s.year/s.month/s.day";
            }
        }
        for (int f = 0; f < NFLAGS && !what; f++) {
            if (ent_i_stmt_get_int(get, 7 + f) != ex->flag[f]) {
                k = FLAG0 + f;
                snprintf(was, sizeof was, "%d", (int)ent_i_stmt_get_int(get, 7 + f));
                snprintf(now, sizeof now, "%d", ex->flag[f]);
                what = cols[k];
            }
        }
        ent_i_stmt_reset(get);
        if (what) {
            return ent_csv_error(r, ENT_EPARSE, (size_t)ix[k], what,
                                 "exercise %s disagrees with its earlier rows: '%s' there, '%s' here", ex->id, was,
                                 now);
        }
        return ENT_OK;
    }
    ent_i_stmt_reset(get);
    ent_i_stmt_text(ins, 0, ex->id);
    ent_i_stmt_text(ins, 1, ex->name);
    ent_i_stmt_text(ins, 2, ex->series);
    ent_i_stmt_text(ins, 3, ex->location);
    if (ex->has_pos) {
        ent_i_stmt_real(ins, 4, ex->lat);
        ent_i_stmt_real(ins, 5, ex->lon);
    } else {
        ent_i_stmt_null(ins, 4);
        ent_i_stmt_null(ins, 5);
    }
    const ent_date_t dates[2] = {ex->start, ex->end};
    for (int t = 0; t < 2; t++) {
        if (dates[t] == ENT_DATE_NONE) {
            ent_i_stmt_null(ins, 6 + t);
        } else {
            ent_i_stmt_int(ins, 6 + t, dates[t]);
        }
    }
    for (int f = 0; f < NFLAGS; f++) {
        ent_i_stmt_int(ins, 8 + f, ex->flag[f]);
    }
    ent_i_stmt_text(ins, 8 + NFLAGS, mme_source);
    char key[64];
    snprintf(key, sizeof key, "exercise %.40s", ex->id);
    rc = ent_i_import_step(im, ins, r, key);
    *created = rc == ENT_OK;
    return rc;
}

/*
 * The participant's COW code, or 0 when the row names a participant that is
 * not a state (stored as no participant). Errors name 'gwcode' or 'country'.
 */
static ent_err_t get_participant(ent_i_import_t *im, const ent_csv_t *r, const int *ix, int year, const char *country,
                                 int *out)
{
    int64_t gw;
    bool na;
    ent_err_t rc = ent_csv_get_i64(r, (size_t)ix[GW], cols[GW], 1, 999, &gw, &na);
    if (rc != ENT_OK) {
        return rc;
    }
    int cc = -1;
    if (na) {
        for (size_t k = 0; k < sizeof non_states / sizeof non_states[0]; k++) {
            if (strcmp(country, non_states[k]) == 0) {
                *out = 0;
                return ENT_OK;
            }
        }
        for (size_t k = 0; k < sizeof no_gw_states / sizeof no_gw_states[0]; k++) {
            if (strcmp(country, no_gw_states[k].country) == 0 && year >= no_gw_states[k].from) {
                cc = no_gw_states[k].ccode;
            }
        }
        if (cc < 0) {
            return ent_csv_error(r, ENT_ENOTFOUND, (size_t)ix[GW], cols[GW],
                                 "missing, and country '%.60s' is neither a known state without a GW code nor a "
                                 "known non-state participant",
                                 country);
        }
    } else {
        /* v7 codes Vietnam as GW 817, the Republic of Vietnam (1954-1975), in years after
         * 1975, when only GW 816 existed; the country column confirms which is meant. */
        if (gw == 817 && year > 1975 && strcmp(country, "Vietnam") == 0) {
            gw = 816;
        }
        cc = ent_i_cow_from_gw((int)gw, year);
        if (cc < 0) {
            return ent_csv_error(r, ENT_ENOTFOUND, (size_t)ix[GW], cols[GW],
                                 "Gleditsch-Ward code %lld ('%.60s') has no COW counterpart in %d", (long long)gw,
                                 country, year);
        }
    }
    if (cc >= ENT_I_MAX_CCODE || !im->known[cc]) {
        return ent_csv_error(r, ENT_ENOTFOUND, (size_t)ix[na ? COUNTRY : GW], cols[na ? COUNTRY : GW],
                             "'%.60s' is COW state %d, which is not in the store's state list", country, cc);
    }
    *out = cc;
    return ENT_OK;
}

ent_err_t ent_i_import_mme(ent_i_import_t *im)
{
    int ix[NCOLS];
    ent_csv_t *r = NULL;
    static const char *const ex_cols[] = {
        "ex_id", "name", "series", "location",   "lat",   "lon",         "start_date",   "end_date",     "cpx",
        "air",   "land", "sea",    "amphibious", "cyber", "warfighting", "peacekeeping", "humanitarian", "source"};
    static const char *const part_cols[] = {"ex_id", "ccode", "year"};
    ent_i_stmt_t *get = NULL, *ins = NULL, *part = NULL;
    ent_err_t rc;

    ENT_CHECK(ent_i_import_need_states(im));
    ENT_CHECK(ent_csv_open(&r, im->path, NULL));
    ENT_CHECK(ent_csv_header(r, cols, NULL, ix, NCOLS));
    ENT_CHECK(ent_i_store_clear(im->st, "exercise_participants", NULL, NULL));
    ENT_CHECK(ent_i_store_clear(im->st, "exercises", NULL, NULL));
    /* the stored exercise, to check a repeated MMEID against: every column but the id and the source */
    ENT_CHECK(ent_i_store_lookup(&get, im->st, "exercises", ex_cols + 1, 16, ex_cols, 1));
    ENT_CHECK(ent_i_store_insert(&ins, im->st, "exercises", ex_cols, 18, 1));
    ENT_CHECK(ent_i_store_insert(&part, im->st, "exercise_participants", part_cols, 3, 1));
    size_t nhdr = ent_csv_nfields(r);
    bool more;
    while ((rc = ent_i_import_next(im, r, &more)) == ENT_OK && more) {
        exercise_t ex;
        int64_t year;
        const char *country;
        int cc = 0;
        if ((rc = ent_csv_expect_fields(r, nhdr)) != ENT_OK || (rc = get_exercise(r, ix, &ex)) != ENT_OK ||
            (rc = ent_csv_get_i64(r, (size_t)ix[YEAR], cols[YEAR], 1900, 2100, &year, NULL)) != ENT_OK ||
            (rc = ent_csv_get_str(r, (size_t)ix[COUNTRY], cols[COUNTRY], 200, &country, NULL)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        /* A participant-year lies within the exercise (which may span a new year). */
        if ((ex.start && year < ent_date_year(ex.start)) || (ex.end && year > ent_date_year(ex.end))) {
            rc = ent_csv_error(r, ENT_ERANGE, (size_t)ix[YEAR], cols[YEAR], "%lld is outside the exercise (%d to %d)",
                               (long long)year, ent_date_year(ex.start), ent_date_year(ex.end));
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        if ((rc = get_participant(im, r, ix, (int)year, country, &cc)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        bool created;
        if ((rc = put_exercise(im, r, ix, &ex, get, ins, &created)) != ENT_OK) {
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted += created;
        ent_i_import_year(im, (int)year);
        if (cc == 0) {
            continue; /* not a state: the exercise is recorded, the participant is not */
        }
        ent_i_stmt_text(part, 0, ex.id);
        ent_i_stmt_int(part, 1, cc);
        ent_i_stmt_int(part, 2, year);
        if ((rc = ent_i_stmt_insert(part, "insert")) != ENT_OK) {
            if (rc != ENT_EEXISTS) {
                goto done;
            }
            rc = ent_csv_error(r, ENT_EEXISTS, (size_t)ix[COUNTRY], cols[COUNTRY],
                               "duplicate row: exercise %s already has '%.60s' (COW %d) in %lld", ex.id, country, cc,
                               (long long)year);
            ENT_CHECK(ent_i_import_reject(im, rc));
            continue;
        }
        im->res->inserted++;
    }
    ENT_CHECK(rc);
    rc = ENT_OK;
done:
    ent_i_stmt_free(get);
    ent_i_stmt_free(ins);
    ent_i_stmt_free(part);
    ent_csv_free(r);
    return rc;
}
