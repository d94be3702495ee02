/*
 * schema.sql.h -- the store's schema, as migrations. Migration k takes a
 * database from user_version k-1 to k. Never edit a shipped migration: add one.
 *
 * Dates are yyyymmdd integers (see ent_date_t); an open end is NULL.
 * State codes are COW numbers. Obligation columns are 0/1.
 */
#ifndef ENTENTE_SCHEMA_SQL_H
#define ENTENTE_SCHEMA_SQL_H

static const char *const ent_schema_migrations[] = {
    /* 1: the foundation */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE states("
    "  ccode INTEGER PRIMARY KEY, abbr TEXT NOT NULL, name TEXT NOT NULL,"
    "  iso2 TEXT, iso3 TEXT, region TEXT, capital TEXT, cap_lat REAL, cap_lon REAL,"
    "  source TEXT NOT NULL);"
    "CREATE INDEX states_abbr ON states(abbr);"
    "CREATE TABLE state_spells("
    "  ccode INTEGER NOT NULL, start_date INTEGER NOT NULL, end_date INTEGER,"
    "  source TEXT NOT NULL, PRIMARY KEY(ccode, start_date)) WITHOUT ROWID;"
    "CREATE TABLE system_years("
    "  ccode INTEGER NOT NULL, year INTEGER NOT NULL, source TEXT NOT NULL,"
    "  PRIMARY KEY(ccode, year)) WITHOUT ROWID;"
    "CREATE TABLE capabilities("
    "  version TEXT NOT NULL, ccode INTEGER NOT NULL, year INTEGER NOT NULL,"
    "  milex REAL, milper REAL, irst REAL, pec REAL, tpop REAL, upop REAL, cinc REAL,"
    "  PRIMARY KEY(version, ccode, year)) WITHOUT ROWID;"
    "CREATE TABLE pacts("
    "  pact_id INTEGER PRIMARY KEY, dataset TEXT NOT NULL, ext_id TEXT NOT NULL, name TEXT,"
    "  start_date INTEGER NOT NULL, end_date INTEGER,"
    "  defense INTEGER NOT NULL DEFAULT 0, offense INTEGER NOT NULL DEFAULT 0,"
    "  neutral INTEGER NOT NULL DEFAULT 0, nonagg INTEGER NOT NULL DEFAULT 0,"
    "  consul INTEGER NOT NULL DEFAULT 0, bilateral INTEGER,"
    "  source TEXT NOT NULL, UNIQUE(dataset, ext_id));"
    "CREATE TABLE pact_members("
    "  pact_id INTEGER NOT NULL REFERENCES pacts(pact_id) ON DELETE CASCADE,"
    "  ccode INTEGER NOT NULL, phase INTEGER NOT NULL DEFAULT 0,"
    "  entry_date INTEGER NOT NULL, exit_date INTEGER,"
    "  defense INTEGER NOT NULL DEFAULT 0, offense INTEGER NOT NULL DEFAULT 0,"
    "  neutral INTEGER NOT NULL DEFAULT 0, nonagg INTEGER NOT NULL DEFAULT 0,"
    "  consul INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL);"
    "CREATE INDEX pact_members_pact ON pact_members(pact_id);"
    "CREATE INDEX pact_members_ccode ON pact_members(ccode);"
    "CREATE TABLE alliance_dyad_years("
    "  dataset TEXT NOT NULL, ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL, year INTEGER NOT NULL,"
    "  defense INTEGER NOT NULL, offense INTEGER NOT NULL, neutral INTEGER NOT NULL,"
    "  nonagg INTEGER NOT NULL, consul INTEGER NOT NULL, entente INTEGER NOT NULL,"
    "  PRIMARY KEY(dataset, ccode1, ccode2, year)) WITHOUT ROWID;"
    "CREATE TABLE unga_ideal("
    "  ccode INTEGER NOT NULL, session INTEGER NOT NULL, year INTEGER NOT NULL, nvotes INTEGER,"
    "  ideal REAL, q05 REAL, q50 REAL, q95 REAL,"
    "  agree_usa REAL, agree_rus REAL, agree_bra REAL, agree_chn REAL, agree_ind REAL, agree_isr REAL,"
    "  PRIMARY KEY(ccode, session)) WITHOUT ROWID;"
    "CREATE TABLE un_roll_calls("
    "  rcid INTEGER PRIMARY KEY, session INTEGER NOT NULL, date INTEGER, important INTEGER,"
    "  unres TEXT, short TEXT, descr TEXT);"
    "CREATE TABLE un_votes("
    "  rcid INTEGER NOT NULL, ccode INTEGER NOT NULL, vote INTEGER NOT NULL," /* 1 yes, 2 abstain, 3 no */
    "  PRIMARY KEY(rcid, ccode)) WITHOUT ROWID;"
    "CREATE TABLE exercises("
    "  ex_id TEXT PRIMARY KEY, name TEXT, series TEXT, location TEXT, lat REAL, lon REAL,"
    "  start_date INTEGER, end_date INTEGER,"
    "  cpx INTEGER, air INTEGER, land INTEGER, sea INTEGER, amphibious INTEGER, cyber INTEGER,"
    "  warfighting INTEGER, peacekeeping INTEGER, humanitarian INTEGER, source TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE exercise_participants("
    "  ex_id TEXT NOT NULL, ccode INTEGER NOT NULL, year INTEGER NOT NULL,"
    "  PRIMARY KEY(ex_id, ccode, year)) WITHOUT ROWID;"
    "CREATE INDEX exercise_participants_ccode ON exercise_participants(ccode, year);"
    "CREATE TABLE imports("
    "  id INTEGER PRIMARY KEY, format TEXT NOT NULL, path TEXT NOT NULL, rows INTEGER NOT NULL,"
    "  inserted INTEGER NOT NULL, rejected INTEGER NOT NULL, first_year INTEGER, last_year INTEGER,"
    "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));",
    /* 2: strategic rivalries (Thompson, Sakuwa & Suhas), the hostile ties of historical worlds */
    "CREATE TABLE rivalries("
    "  dataset TEXT NOT NULL, rid INTEGER NOT NULL, name TEXT, ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL,"
    "  start_year INTEGER NOT NULL, end_year INTEGER,"
    "  positional INTEGER NOT NULL, spatial INTEGER NOT NULL, ideological INTEGER NOT NULL,"
    "  interventionary INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY(dataset, rid)) WITHOUT ROWID;",
    /* 3: the dyad-year research panel's sources (entente dyads): geography, power, regime,
     * conflict, trade, institutions, and the COW dyads that never existed on one day.
     * Dyadic tables keep the source's orientation; the panel reads them symmetrically. */
    "CREATE TABLE contiguity("
    "  ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL, conttype INTEGER NOT NULL,"
    "  start_date INTEGER NOT NULL, end_date INTEGER NOT NULL, source TEXT NOT NULL,"
    "  PRIMARY KEY(ccode1, ccode2, start_date)) WITHOUT ROWID;"
    "CREATE TABLE capital_distance("
    "  ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL, year INTEGER NOT NULL, km REAL NOT NULL,"
    "  PRIMARY KEY(ccode1, ccode2, year)) WITHOUT ROWID;"
    "CREATE TABLE major_powers("
    "  ccode INTEGER NOT NULL, start_date INTEGER NOT NULL, end_date INTEGER NOT NULL, source TEXT NOT NULL,"
    "  PRIMARY KEY(ccode, start_date)) WITHOUT ROWID;"
    "CREATE TABLE regime("
    "  ccode INTEGER NOT NULL, year INTEGER NOT NULL, polyarchy REAL, polity2 REAL, uds REAL,"
    "  PRIMARY KEY(ccode, year)) WITHOUT ROWID;"
    "CREATE TABLE mid_dyad_years("
    "  dataset TEXT NOT NULL, ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL, year INTEGER NOT NULL,"
    "  dispnum INTEGER NOT NULL, onset INTEGER NOT NULL, ongoing INTEGER NOT NULL,"
    "  sidea1 INTEGER NOT NULL, sidea2 INTEGER NOT NULL, hostlev REAL, fatality REAL,"
    "  PRIMARY KEY(dataset, ccode1, ccode2, year)) WITHOUT ROWID;"
    "CREATE TABLE igo_dyad_years("
    "  ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL, year INTEGER NOT NULL, igos REAL,"
    "  PRIMARY KEY(ccode1, ccode2, year)) WITHOUT ROWID;"
    "CREATE TABLE trade_dyad_years("
    "  ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL, year INTEGER NOT NULL,"
    "  flow1 REAL, flow2 REAL, smoothflow1 REAL, smoothflow2 REAL,"
    "  PRIMARY KEY(ccode1, ccode2, year)) WITHOUT ROWID;"
    "CREATE TABLE trade_state_years("
    "  ccode INTEGER NOT NULL, year INTEGER NOT NULL, imports REAL, exports REAL,"
    "  PRIMARY KEY(ccode, year)) WITHOUT ROWID;"
    "CREATE TABLE false_dyads("
    "  ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL, year INTEGER NOT NULL,"
    "  PRIMARY KEY(ccode1, ccode2, year)) WITHOUT ROWID;",
    /* 4: UNGA ideal points through 2024 (one per state and year, the July 2025 release) and the dyadic vote
     * agreement of the US and China with every state, with the vote counts the estimates rest on */
    "CREATE TABLE unga_idealfp("
    "  ccode INTEGER NOT NULL, year INTEGER NOT NULL, ideal REAL,"
    "  PRIMARY KEY(ccode, year)) WITHOUT ROWID;"
    "CREATE TABLE unga_agreement("
    "  ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL, session INTEGER NOT NULL, year INTEGER NOT NULL,"
    "  agree REAL NOT NULL, ideal1 REAL, nvotes1 INTEGER NOT NULL, ideal2 REAL, nvotes2 INTEGER NOT NULL,"
    "  distance REAL, PRIMARY KEY(ccode1, ccode2, session)) WITHOUT ROWID;",
};

#define ENT_SCHEMA_NMIGRATIONS ((int)(sizeof ent_schema_migrations / sizeof ent_schema_migrations[0]))

#endif
