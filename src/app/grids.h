/* Service grids and their account managers (issue 11 item 4, docs/grids.md): a grid groups
 * customers of one unit; account managers work its customers. Who manages a grid and which grid
 * a customer is in are dated and append-only; every change is audited, in one transaction. */
#ifndef PC_APP_GRIDS_H
#define PC_APP_GRIDS_H

#include <stdbool.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/db.h"
#include "store/grids.h"

/* grid add: a new grid of a unit (an org node of level unit). */
int grids_add(db *d, const char *actor, const char *code, const char *name, const char *unit_code, grid_row *out,
              pc_err *e);

/* grid assign|unassign --manager: login manages the grid from `from` (active) or no longer does.
 * A manager is an enabled account_manager or unit_officer whose scope holds the grid's unit.
 * *changed false: it was so already on that date (nothing written). */
int grids_set_manager(db *d, const char *actor, const char *grid_code, const char *login, const char *from,
                      bool active, bool *changed, pc_err *e);

/* grid assign --routes/--customers (grid_code NULL: grid release, out of every grid): the
 * customers on the routes (within the grid's unit) and those listed are in the grid from `from`.
 * Customers already so on that date are counted as unchanged. */
typedef struct {
    long assigned, unchanged;
} grid_assign_result;
int grids_assign_customers(db *d, const char *actor, const char *grid_code, const char *const *routes, int nroutes,
                           const char *const *codes, int ncodes, const char *from, grid_assign_result *out, pc_err *e);

/* grid import FILE: CSV `grid,name,unit,valid_from[,managers][,routes][,customers]`
 * (docs/grids.md). Every row is checked; any bad row rejects the whole file (PC_EINVAL) with
 * every bad row named in rep->errors, and nothing is written. The same file twice changes
 * nothing. */
typedef struct {
    long rows, grids_created, managers, customers, unchanged, error_rows;
    buf errors; /* "line N: column: why\n" */
} grid_import_report;
int grids_import(db *d, const char *actor, const char *path, grid_import_report *rep, pc_err *e);
void grid_import_report_free(grid_import_report *rep);

/* The grids of a scope (NULL: all) on date (NULL: today), with only_manager (NULL: anyone) only
 * those that account manages on date. */
int grids_list(db *d, const char *scope_code, const char *date, const char *only_manager, int utc_offset,
               grid_summary_fn fn, void *ctx, pc_err *e);

/* As the CLI's --json and the API show them. */
json_t *grid_summary_json(const grid_summary *s);

#endif
