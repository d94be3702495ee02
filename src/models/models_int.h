/*
 * models_int.h -- what the ensemble engine (src/sim) reads of a compiled model
 * beyond the public accessors.
 */
#ifndef ENTENTE_MODELS_INT_H
#define ENTENTE_MODELS_INT_H

#include "entente/sim.h"

/* The scenario the model was built from (borrowed). */
const ent_scenario_t *ent_i_model_scenario(const ent_model_t *m);

#endif
