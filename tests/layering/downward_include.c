/*
 * downward_include.c -- compiled with the include paths of the store layer,
 * it must compile: the store may use the world's private header (the
 * control for upward_include.c).
 */
#include "world/world_int.h"

int main(void)
{
    ent_i_spell_t s = {0, 0}; /* a type of the world's private header */
    return s.start;
}
