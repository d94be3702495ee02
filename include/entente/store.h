/*
 * store.h -- the SQLite store (default ./entente.db).
 *
 * One file holds everything imported. The schema carries a version
 * (PRAGMA user_version) and is migrated forward on open; the journal is WAL.
 * Imports run inside one transaction each, so a failed or killed import
 * leaves the database exactly as it was.
 *
 * A store handle must not be used by two threads at once; open one per thread.
 */
#ifndef ENTENTE_STORE_H
#define ENTENTE_STORE_H

#include <stdbool.h>

#include "common.h"

ENT_BEGIN_DECLS

typedef struct ent_store ent_store_t;

/* The schema version this library writes. */
#define ENT_STORE_SCHEMA_VERSION 4

/* PRAGMA application_id of an entente store ("ENTE"): how a file says it is ours. */
#define ENT_STORE_APPLICATION_ID 0x454E5445

typedef struct {
    unsigned version;
    bool readonly;   /* open without writing or migrating; the file must exist */
    bool must_exist; /* writable (an older schema is migrated) but never created: for commands that read */
} ent_store_options_t;

#define ENT_STORE_OPTIONS_VERSION 1
#define ENT_STORE_OPTIONS_INIT                                                                                         \
    {                                                                                                                  \
        ENT_STORE_OPTIONS_VERSION, false, false                                                                        \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_STORE_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_store_options_init(ent_store_options_t *opts, unsigned version);

/*
 * Opens (creating if needed, unless readonly) the store at `path` and
 * migrates it to ENT_STORE_SCHEMA_VERSION. The file is read before anything
 * is written to it: ENT_ESTORE, the file untouched, if it is not an SQLite
 * database, is the database of another program (another application_id, or
 * tables that are not entente's whatever its user_version), has a schema
 * version that is zero/negative or newer than this library, or (readonly)
 * does not exist. ENT_EINVAL for an empty path. Any number of processes may
 * open (and import into) one store at once, even while it is being created:
 * one migrates, the others wait for it and find it done. A wait for another
 * process's lock lasts at most 5 s; after that, ENT_ESTORE saying that the
 * store was kept busy. Free with ent_store_close().
 */
ent_err_t ent_store_open(ent_store_t **out, const char *path, const ent_store_options_t *opts);
/* NULL-safe. */
void ent_store_close(ent_store_t *st);

const char *ent_store_path(const ent_store_t *st);
/* The schema version found in the file (after migration). */
int ent_store_schema_version(const ent_store_t *st);

/* Row counts and year ranges of the main tables, for summaries. */
typedef struct {
    int64_t states, state_spells, system_years;
    int64_t capabilities;
    int64_t pacts, pact_members;
    int64_t alliance_dyad_years_atop, alliance_dyad_years_cow;
    int64_t unga_ideal, un_votes, un_roll_calls;
    int64_t unga_idealfp, unga_agreement;
    int64_t exercises, exercise_participants;
    int64_t rivalries;
    int64_t imports;
    int first_year, last_year; /* over capabilities and pacts; 0 when empty */
} ent_store_summary_t;

ent_err_t ent_store_summary(ent_store_summary_t *out, ent_store_t *st);

/*
 * The current NMC (COW National Material Capabilities) version in the store,
 * e.g. "nmc7", into buf (n bytes, truncated to fit): of the versions holding
 * a CINC, the highest number wins ("nmc10" after "nmc7"). Every reader of
 * capabilities (world, similarity weights, blocs) uses this version's rows
 * and no other's. ENT_ENOTFOUND when the store holds no CINC.
 */
ent_err_t ent_store_nmc_version(char *buf, size_t n, ent_store_t *st);

ENT_END_DECLS
#endif
