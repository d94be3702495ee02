/* fixture for scripts/check_layers.py: a private header of the measures layer */
int ent_i_fixture_measure(void);
