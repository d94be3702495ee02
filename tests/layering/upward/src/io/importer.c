/* fixture for scripts/check_layers.py: an importer reaching for the store's SQLite header
 * instead of its write side (the store owns SQL) */
#include "store/store_int.h"
