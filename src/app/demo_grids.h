/* The demo's service grids (issue 11, docs/grids.md): two grids per unit, each over half of the
 * unit's routes, with two account managers each, a change of manager during the window, so the
 * worklists and the grids page have something to show. */
#ifndef PC_APP_DEMO_GRIDS_H
#define PC_APP_DEMO_GRIDS_H

#include "base/date.h"
#include "store/db.h"

typedef struct {
    long grids, managers, customers;
} demo_grids_summary;

/* from: the day grids, managers and customers start (the demo window's first day); change: the
 * day one manager hands a grid over to another. The account ql.pa0101 of demo_users (with the
 * demo password) manages PA0101's first grid; the other managers get accounts without a
 * password (they cannot sign in: a demo needs one of each kind, not 100 passwords). */
int demo_grids(db *d, const char *actor, civil_date from, civil_date change, demo_grids_summary *out, pc_err *e);

#endif
