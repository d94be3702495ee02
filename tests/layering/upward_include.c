/*
 * upward_include.c -- compiled with the include paths of the store layer
 * (build/layers/store: util, world, store), it must FAIL to compile: the
 * measures layer sits above the store. tests/CMakeLists.txt runs it as a
 * WILL_FAIL test next to downward_include.c, which must compile, so a
 * failure is the include being refused and not a broken command line.
 */
#include "measures/measures_int.h"

int main(void)
{
    return 0;
}
