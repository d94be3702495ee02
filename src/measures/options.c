/*
 * options.c -- the init functions of the measures module's options structs: what the
 * ENT_*_OPTIONS_INIT macros give C callers, for callers that cannot expand a macro (the
 * Python package, other bindings), with a check of the struct version they were built for.
 */
#include "entente/blocs.h"
#include "entente/measures.h"
#include "entente/partition.h"
#include "util_int.h"

ENT_I_OPTIONS_INIT_FN(ent_similarity_options_init, ent_similarity_options_t, ENT_SIMILARITY_OPTIONS_VERSION,
                      ENT_SIMILARITY_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_exhaustive_options_init, ent_exhaustive_options_t, ENT_EXHAUSTIVE_OPTIONS_VERSION,
                      ENT_EXHAUSTIVE_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_exact_options_init, ent_exact_options_t, ENT_EXACT_OPTIONS_VERSION, ENT_EXACT_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_heuristic_options_init, ent_heuristic_options_t, ENT_HEURISTIC_OPTIONS_VERSION,
                      ENT_HEURISTIC_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_blockmodel_options_init, ent_blockmodel_options_t, ENT_BLOCKMODEL_OPTIONS_VERSION,
                      ENT_BLOCKMODEL_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_signed_read_options_init, ent_signed_read_options_t, ENT_SIGNED_READ_OPTIONS_VERSION,
                      ENT_SIGNED_READ_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_blocs_network_options_init, ent_blocs_network_options_t, ENT_BLOCS_NETWORK_OPTIONS_VERSION,
                      ENT_BLOCS_NETWORK_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_communities_options_init, ent_communities_options_t, ENT_COMMUNITIES_OPTIONS_VERSION,
                      ENT_COMMUNITIES_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_polarization_options_init, ent_polarization_options_t, ENT_POLARIZATION_OPTIONS_VERSION,
                      ENT_POLARIZATION_OPTIONS_INIT)
ENT_I_OPTIONS_INIT_FN(ent_solve_options_init, ent_solve_options_t, ENT_SOLVE_OPTIONS_VERSION, ENT_SOLVE_OPTIONS_INIT)
