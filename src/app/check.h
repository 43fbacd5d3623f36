/* powercis check (issue 9): every invariant of the ledger, verified against the database, with
 * what breaks each one. A healthy database passes them all; the integration tests end with it. */
#ifndef PC_APP_CHECK_H
#define PC_APP_CHECK_H

#include <jansson.h>

#include "app/config.h"
#include "store/db.h"

/* Runs every check and returns the report:
 * {"ok": bool, "checks": [{"name", "what", "ok", "broken": N, "examples": [...]}]}; at most
 * `examples` rows per check are listed. NULL on a database error. */
json_t *check_run(db *d, const pc_config *cfg, int examples, pc_err *e);

#endif
