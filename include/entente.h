/*
 * entente.h -- the public API of the entente library: everything the CLI, the
 * server and the tests use. Nothing outside these headers is promised.
 */
#ifndef ENTENTE_H
#define ENTENTE_H

#include "entente/alignfit.h"
#include "entente/backtest.h"
#include "entente/balance.h"
#include "entente/blocs.h"
#include "entente/common.h"
#include "entente/dyads.h"
#include "entente/export.h"
#include "entente/io.h"
#include "entente/landscape.h"
#include "entente/measures.h"
#include "entente/pactmodel.h"
#include "entente/panel.h"
#include "entente/partition.h"
#include "entente/plot.h"
#include "entente/provenance.h"
#include "entente/report.h"
#include "entente/sim.h"
#include "entente/store.h"
#include "entente/system.h"
#include "entente/util.h"
#include "entente/world.h"

#endif
