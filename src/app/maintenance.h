/* Housekeeping jobs: the monthly partitions of the large tables (PostgreSQL). The scheduler and
 * `powercis db partitions` (monthly from cron) run them. */
#ifndef PC_APP_MAINTENANCE_H
#define PC_APP_MAINTENANCE_H

#include "base/date.h"
#include "base/err.h"
#include "store/db.h"
#include "store/partitions.h"

#define PARTITIONS_AHEAD_DEFAULT 3

/* Creates the partitions of every month from `from` to `ahead` months after `today`'s month;
 * audited when any was created. SQLite: nothing to do, *n = 0. */
int partitions_monthly(db *d, const char *actor, civil_month from, civil_month today, int ahead,
                       partition_status out[PARTITIONED_TABLES], int *n, pc_err *e);

#endif
