/*
 * dta.h -- writing the dyad-year panel as a Stata .dta file through ReadStat.
 */
#ifndef ENTENTE_DTA_H
#define ENTENTE_DTA_H

#include "entente.h"

/* Writes `p` to `path` (via path.tmp, renamed when complete); returns an exit code. */
int cli_write_dta(const ent_panel_t *p, const char *path);

#endif
