/*
 * options.c -- the init functions of the models module's options structs: what the
 * ENT_*_OPTIONS_INIT macros give C callers, for callers that cannot expand a macro (the
 * Python package, other bindings), with a check of the struct version they were built for.
 */
#include "entente/balance.h"
#include "entente/landscape.h"
#include "util_int.h"

ENT_I_OPTIONS_INIT_FN(ent_balance_options_init, ent_balance_options_t, ENT_BALANCE_OPTIONS_VERSION,
                      ENT_BALANCE_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_landscape_options_init, ent_landscape_options_t, ENT_LANDSCAPE_OPTIONS_VERSION,
                      ENT_LANDSCAPE_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_landscape_world_options_init, ent_landscape_world_options_t,
                      ENT_LANDSCAPE_WORLD_OPTIONS_VERSION, ENT_LANDSCAPE_WORLD_OPTIONS_INIT)
