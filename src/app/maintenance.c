/* Housekeeping jobs (see maintenance.h). */
#include <jansson.h>

#include "app/audit.h"
#include "app/maintenance.h"

int partitions_monthly(db *d, const char *actor, civil_month from, civil_month today, int ahead,
                       partition_status out[PARTITIONED_TABLES], int *n, pc_err *e)
{
    *n = 0;
    if (ahead < 0 || ahead > 120)
        return pc_errf(e, PC_EINVAL, "--ahead must be 0..120 months");
    civil_month to = month_add(today, ahead);
    if (from > to)
        return pc_errf(e, PC_EINVAL, "--from is after the last month to prepare");
    char a[MONTH_FMT_MAX], b[MONTH_FMT_MAX];
    month_format(from, a);
    month_format(to, b);
    if (db_begin(d, e) != 0)
        return -1;
    int made = 0;
    if (partitions_ensure(d, a, b, out, n, e) != 0) {
        db_rollback(d);
        return -1;
    }
    for (int i = 0; i < *n; i++)
        made += out[i].created;
    if (made > 0 &&
        audit_event(d, actor, "partitions", "database", "partitions", json_pack("{s:s, s:s, s:i}", "from", a, "to", b,
                                                                              "created", made), e) != 0) {
        db_rollback(d);
        return -1;
    }
    if (db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}
