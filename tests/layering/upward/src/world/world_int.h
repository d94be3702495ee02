/* fixture for scripts/check_layers.py: a private header of the world layer */
int ent_i_fixture_world(void);
