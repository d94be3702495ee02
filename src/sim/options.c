/*
 * options.c -- the init functions of the sim module's options structs: what the
 * ENT_*_OPTIONS_INIT macros give C callers, for callers that cannot expand a macro (the
 * Python package, other bindings), with a check of the struct version they were built for.
 */
#include "entente/sim.h"
#include "util_int.h"

ENT_I_OPTIONS_INIT_FN(ent_ensemble_options_init, ent_ensemble_options_t, ENT_ENSEMBLE_OPTIONS_VERSION,
                      ENT_ENSEMBLE_OPTIONS_INIT)
