/* TEMPORARY during development: replaced by the real importers. */
#include "io_int.h"
#define PENDING(fn) ent_err_t fn(ent_i_import_t *im) { return ent_i_err(ENT_EINVAL, "%s: not implemented", im->path); }
PENDING(ent_i_import_cow_alliance)
PENDING(ent_i_import_atop)
PENDING(ent_i_import_atop_dyad_year)
PENDING(ent_i_import_unga_ideal)
PENDING(ent_i_import_un_votes)
PENDING(ent_i_import_mme)
