/*
 * report_int.h -- helpers shared by the report builders (src/report/).
 */
#ifndef ENT_REPORT_INT_H
#define ENT_REPORT_INT_H

#include <jansson.h>

#include "entente/report.h"

/* A number, or null when it is NaN or infinite (JSON has neither); integral values as integers. */
json_t *ent_rep_num(double v);

/* A date as YYYY-MM-DD, or null for "none" and "open" (ENT_DATE_NONE, ENT_DATE_MAX). */
json_t *ent_rep_date(ent_date_t d);

/*
 * Serialises o (and releases it) into *out, freshly allocated for ent_free(); ENT_ENOMEM
 * when o is NULL (a builder ran out of memory) or the text cannot be made.
 */
ent_err_t ent_rep_finish(char **out, json_t *o);

/* Adds `value` under `key` of o; on a NULL value or o (out of memory) releases o and returns NULL,
 * so a builder chains puts and checks once at the end (ent_rep_finish). */
json_t *ent_rep_put(json_t *o, const char *key, json_t *value);

/* Appends `value` to array a; on failure releases a and returns NULL (as ent_rep_put). */
json_t *ent_rep_push(json_t *a, json_t *value);

/* Text appended to b, formatted; the first failure sticks in *rc (later calls do nothing). */
void ent_rep_printf(ent_buf_t *b, ent_err_t *rc, const char *fmt, ...) ENT_PRINTF(3, 4);

/*
 * Pole p's headline in an ensemble (the simulate and ensemble reports): code, name, COW code, pacts in
 * the base year, P[at least k_pacts by the report year] (only when k_pacts > 0), P[more than the
 * base year's], P[an alliance builder], the median builder year; probabilities made by prob.
 */
json_t *ent_rep_pole(const ent_world_t *w, const ent_model_t *m, const ent_ensemble_t *e, int p, int start_year,
                     int report_year, int k_pacts, json_t *(*prob)(ent_prob_t));

/*
 * An ensemble's series as the simulate and ensemble reports write them: per series key, per year
 * from..to, {year, mean, q05, q50, q95}, each number made by num (ent_rep_num, or a caller's own
 * that keeps integral values real, for output that must not change). NULL when out of memory.
 */
json_t *ent_rep_series(const ent_model_t *m, const ent_ensemble_t *e, int from, int to, json_t *(*num)(double));

/*
 * State i's capability share (CINC) for `year`: that year's, else the nearest earlier one within ten
 * years, else the nearest later one within ten (a world may hold one base year: the shipped world's
 * is 2022, so its past dates read it up to ten years back, and not beyond); NaN when none. *used
 * (may be NULL) receives the year read, 0 when none.
 */
double ent_rep_cinc(const ent_world_t *w, size_t i, int year, int *used);

/* A probability with its 95% Wilson interval: {"p", "lo", "hi", "runs"}. */
json_t *ent_rep_prob(double p, double lo, double hi, int64_t runs);

#endif
