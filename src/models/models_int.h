/*
 * models_int.h -- what the ensemble engine (src/sim) reads of a compiled model
 * beyond the public accessors.
 */
#ifndef ENTENTE_MODELS_INT_H
#define ENTENTE_MODELS_INT_H

#include "entente/sim.h"

/* The scenario the model was built from (borrowed). */
const ent_scenario_t *ent_i_model_scenario(const ent_model_t *m);

/*
 * ent_model_run, and when `formed` [n*n] is not NULL: formed[i*n+j] |= 1 where a defence tie between
 * i and j not in force in the base year is in force at the end of some year <= formed_to (the
 * caller clears it). The same random numbers as ent_model_run: the record changes nothing.
 */
ent_err_t ent_i_model_run(ent_run_trace_t *t, const ent_model_t *m, uint64_t seed, uint64_t run, unsigned char *formed,
                          int formed_to);

#endif
