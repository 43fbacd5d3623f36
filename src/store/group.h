/* A group database over the corporations' own (PostgreSQL, postgres_fdw): each attached
 * corporation's unit summaries are foreign tables, and group views put them side by side. */
#ifndef PC_STORE_GROUP_H
#define PC_STORE_GROUP_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* Attaches the corporation `code` (2-8 capital letters) whose database is `url`. */
int group_attach(db *d, const char *code, const char *url, const char *actor, pc_err *e);

typedef struct {
    char corporation[16];
    int64_t customers, invoices, kwh, energy, vat, total;
    /* debt as of today (view unit_debt): open, overdue, overdue 3 months or more, 3 years or more */
    int64_t debt, overdue, bad_debt, ge_3y;
} group_row;
typedef int (*group_row_fn)(void *ctx, const group_row *r);
/* One row per corporation; billing of `period` (YYYY-MM) or of every period when NULL. */
int group_report(db *d, const char *period, group_row_fn fn, void *ctx, pc_err *e);

#endif
