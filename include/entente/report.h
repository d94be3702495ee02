/*
 * report.h -- results as JSON text: one schema for the CLI, the server and the bindings.
 *
 * Each report is computed and serialised here, once; `entente ... --json` prints it (adding
 * its provenance record), the text tables are rendered from it, and the Python package and
 * `entente serve` hand it on unchanged. Every report is an object whose "schema" member names
 * it and its version ("entente.world/1"); docs/report.md documents each field, and golden
 * files in tests/golden/ pin the output on the shipped world.
 *
 * Conventions of every report: states are identified by COW abbreviation and code (never by
 * an index or a position in a list of poles); dates are YYYY-MM-DD; a missing number is null;
 * an open end date is null.
 *
 * The caller frees *out with ent_free().
 */
#ifndef ENTENTE_REPORT_H
#define ENTENTE_REPORT_H

#include "common.h"
#include "world.h"

ENT_BEGIN_DECLS

/* The schema versions these functions write. */
#define ENT_REPORT_WORLD_SCHEMA "entente.world/1"
#define ENT_REPORT_STATE_SCHEMA "entente.state/1"

/*
 * The alliance system on `date`: the states alive, ties in force by kind, the defence-pact
 * components with their capability, every organisation's membership counts, and each pole's
 * partnership ladder. `origin` (may be NULL) says where the world came from ("shipped world
 * DIR", "store PATH") and is copied into the report.
 */
ent_err_t ent_report_world(char **out, const ent_world_t *w, ent_date_t date, const char *origin);

/*
 * State `state`'s pyramid on `date`, as the essay reads it: its formal allies, its other pacts,
 * its own partnership ladder tier by tier (as a pole), its partnerships with poles,
 * organisations, security cooperation, economy, UN votes, coercion and rivalries. ENT_EINVAL
 * when `state` is not a state of the world.
 */
ent_err_t ent_report_state(char **out, const ent_world_t *w, int64_t state, ent_date_t date);

ENT_END_DECLS
#endif
