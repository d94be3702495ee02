/*
 * io.h -- importers of the original public formats into the store.
 *
 * Formats (names used by `entente import`):
 *   cow-states      COW state list (states2016.csv)
 *   cow-system      COW system membership by year (system2016.csv)
 *   cow-nmc         COW National Material Capabilities v6 or v7 (abridged csv)
 *   cow-alliance    COW Formal Alliances v4.1 dyad-year
 *   atop            ATOP 5.1: the folder of files, or the member-level file
 *                   (atop5_1m.csv; atop5_1a.csv is read from beside it)
 *   atop-dyad-year  ATOP 5.1 directed dyad-year file
 *   unga-ideal      UNGA ideal points (Bailey, Strezhnev & Voeten)
 *   unga-idealfp    UNGA ideal points by year through 2024 (idealpoints_fp_1946_2024.csv)
 *   unga-agreement  UNGA vote agreement of the US and China with every state, with vote counts
 *   un-votes        UNGA roll-call votes (un_votes.csv or .csv.gz; roll calls read from beside it)
 *   mme             Multinational Military Exercises v7, long form
 *   tss-rivalries   strategic rivalries, Thompson, Sakuwa & Suhas 2021 (tss_rivalries.csv)
 * The sources of the dyad-year panel (`entente dyads`, docs/data.md):
 *   cow-contdir       COW direct contiguity spells (cow_contdir.csv: ccode1, ccode2, conttype, stdate, enddate)
 *   capital-distance  great-circle km between capitals by dyad-year (cow_capdist_ndy_derived.csv.gz)
 *   cow-majors        COW major powers (majors2016.csv)
 *   democracy         V-Dem polyarchy, Polity2, UDS by state-year (ccode_democracy.csv)
 *   cow-mid-dyad      COW MID 5 dyad-years (cow_mid_ddydisps.csv); gml-mid-dyad: Gibler-Miller-Little
 *   cow-igo-dyad      COW IGO joint memberships by dyad-year (cow_igo_ndy.csv)
 *   cow-trade-dyad    COW dyadic trade flows (cow_trade_ndy.csv); cow-trade-state: national totals
 *   false-dyads       COW dyad-years whose states never coexisted on one day (false_cow_dyads.csv)
 *
 * Every field is validated. By default the first bad row fails the import,
 * which is one transaction: the store is left exactly as before. With
 * keep_going, bad rows are reported through `warn` and counted as rejected,
 * and the rest is imported.
 */
#ifndef ENTENTE_IO_H
#define ENTENTE_IO_H

#include <signal.h>
#include <stdbool.h>

#include "common.h"
#include "store.h"

ENT_BEGIN_DECLS

typedef struct {
    unsigned version;
    bool keep_going;                          /* reject bad rows instead of failing */
    void (*warn)(void *ctx, const char *msg); /* rejected rows (keep_going); may be NULL */
    void *ctx;
    volatile sig_atomic_t *cancel; /* when it becomes non-zero: ENT_EINTERRUPTED, rolled back */
} ent_import_options_t;

#define ENT_IMPORT_OPTIONS_VERSION 1
#define ENT_IMPORT_OPTIONS_INIT                                                                                        \
    {                                                                                                                  \
        ENT_IMPORT_OPTIONS_VERSION, false, NULL, NULL, NULL                                                            \
    }
/* Fills *opts with the defaults above (for bindings that cannot use the macro); ENT_EINVAL
 * when `version` is not ENT_IMPORT_OPTIONS_VERSION, the caller's headers differing. */
ent_err_t ent_import_options_init(ent_import_options_t *opts, unsigned version);

typedef struct {
    char format[32];
    int64_t rows;     /* data rows read (all files of the format) */
    int64_t inserted; /* rows written to the store (a member row may yield several) */
    int64_t rejected; /* bad rows skipped under keep_going; 0 otherwise */
    int first_year, last_year;
} ent_import_result_t;

/* NULL-terminated list of the format names above (static). */
const char *const *ent_import_formats(void);

/*
 * Imports `path` in `format` into `st` in one transaction.
 * Errors: ENT_EINVAL unknown format; ENT_EIO unreadable; ENT_EPARSE/ENT_ERANGE
 * bad field (message: file:line:column: field 'name': ...); ENT_ENOTFOUND a state
 * code the store does not know (import cow-states first); ENT_EEXISTS a duplicate
 * row; ENT_EINTERRUPTED cancelled; ENT_ESTORE the database failed. On any error
 * nothing is written.
 */
ent_err_t ent_import(ent_import_result_t *res, ent_store_t *st, const char *format, const char *path,
                     const ent_import_options_t *opts);

ENT_END_DECLS
#endif
