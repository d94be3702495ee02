/* fixture for scripts/check_layers.py: a store header that hands out SQLite */
#include <sqlite3.h>
