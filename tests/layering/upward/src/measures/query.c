/* fixture for scripts/check_layers.py: a measure running its own query (the store owns SQL) */
#include "measures_int.h"

int ent_i_fixture_query(void *db)
{
    return sqlite3_exec(db, "SELECT 1", 0, 0, 0);
}
