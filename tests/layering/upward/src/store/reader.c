/* fixture for scripts/check_layers.py: the store (below measures) reaching up by a relative path,
 * which no include path can stop; the check must fail on the measures include and accept the
 * world one */
#include "../measures/measures_int.h"
#include "../world/world_int.h"
