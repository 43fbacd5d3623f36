/* An account manager's worklist (issue 11 item 4, docs/grids.md): the customers of the grids the
 * manager holds on a date, by section — overdue debt, bills falling due, open work orders, debt
 * cases — each section one query in store/grid_repo.c registered in app/worklist.c's table. */
#ifndef PC_APP_WORKLIST_H
#define PC_APP_WORKLIST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    const char *manager;    /* login */
    const char *date;       /* YYYY-MM-DD; NULL: today */
    const char *scope_path; /* the asker's scope: grids outside it are left out ("/" or NULL: all) */
    int64_t limit;          /* items listed per section (0: 1000); count and amount cover them all */
    int64_t due_days;       /* due_soon: invoices due within this many days from date (0: 7) */
    int64_t low_balance;    /* prepaid_low: balances under this many đồng ([prepaid] low_balance) */
    bool manager_in_scope;  /* the manager's account must lie in scope_path (a supervisor asking) */
} worklist_request;

/* The worklist as JSON: {"manager", "name", "date", "grids": [...], "sections": [{"section",
 * "available", "count", "amount", "items": [...]}]}. A manager who holds no grid on the date has
 * empty sections. PC_ENOTFOUND when the login does not exist. */
int worklist_build(db *d, const worklist_request *q, int utc_offset, json_t **out, pc_err *e);

/* The CSV form: one line per item, columns section, grid, customer, name, address, phone,
 * route, amount, count, date, days, detail, ref (docs/grids.md). */
int worklist_write_csv(const json_t *w, FILE *f);

#endif
