/* Repository of service grids, their managers and their customers (schema/030_grids.sql), and
 * the queries of a manager's worklist. Every function runs inside the caller's transaction; the
 * rules (who may be a manager, what a section holds) live in app/grids.c and app/worklist.c. */
#ifndef PC_STORE_GRIDS_H
#define PC_STORE_GRIDS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    int64_t id;
    char code[32];
    char name[256];
    int64_t unit_id;
    char unit_code[16];
    char unit_path[160];
} grid_row;

/* PC_ENOTFOUND when absent. */
int grid_get(db *d, const char *code, grid_row *out, pc_err *e);
/* Sets g->id; a code taken is PC_ECONFLICT. */
int grid_insert(db *d, grid_row *g, const char *at, const char *by, pc_err *e);

/* Appends a manager row: user_id manages grid_id from valid_from (active) or no longer does. */
int grid_manager_add(db *d, int64_t grid_id, int64_t user_id, const char *valid_from, bool active, const char *at,
                     const char *by, pc_err *e);
/* Whether user_id manages grid_id on date (its latest row on or before date is active). */
int grid_manager_on(db *d, int64_t grid_id, int64_t user_id, const char *date, bool *active, pc_err *e);

/* A customer's id and unit path by code; PC_ENOTFOUND when absent. */
int grid_customer_lookup(db *d, const char *code, int64_t *id, char *unit_path, size_t cap, pc_err *e);
/* The grid a customer is in on date (0: none). */
int grid_customer_on(db *d, int64_t customer_id, const char *date, int64_t *grid_id, pc_err *e);
/* Appends an assignment: customer_id is in grid_id (0: in none) from valid_from. */
int grid_customer_add(db *d, int64_t customer_id, int64_t grid_id, const char *valid_from, const char *source,
                      const char *at, const char *by, pc_err *e);
/* The highest grid_customer id (0: none), and whether a row written after it puts customer_id
 * elsewhere than grid_id on the same valid_from (one file naming a customer twice). */
int grid_customer_max_id(db *d, int64_t *out, pc_err *e);
int grid_customer_clash(db *d, int64_t customer_id, int64_t after_id, const char *valid_from, int64_t grid_id,
                        char *other_grid, size_t cap, bool *clash, pc_err *e);
typedef int (*grid_customer_fn)(void *ctx, int64_t customer_id, const char *code);
/* The customers on a route (customer.route) whose unit lies under unit_path, by code. */
int grid_route_customers(db *d, const char *unit_path, const char *route, grid_customer_fn fn, void *ctx, pc_err *e);

/* A grid with who manages it and how many customers it holds on a date. */
typedef struct {
    grid_row g;
    char unit_name[256];
    int64_t customers;
    char managers[1024]; /* logins, ", "-separated, in login order */
} grid_summary;
typedef int (*grid_summary_fn)(void *ctx, const grid_summary *s);
/* Grids whose unit lies under scope_path ("/": all), by code; with only_user_id > 0 only those
 * that user manages on date. */
int grid_list(db *d, const char *scope_path, const char *date, int64_t only_user_id, grid_summary_fn fn, void *ctx,
              pc_err *e);

/* One dated change of a grid (manager or customer), for `grid show`. */
typedef struct {
    char valid_from[11];
    char kind[16]; /* "manager", "manager_end" */
    char who[64];  /* login */
    char at[32], by[64];
} grid_event;
typedef int (*grid_event_fn)(void *ctx, const grid_event *v);
int grid_manager_history(db *d, int64_t grid_id, grid_event_fn fn, void *ctx, pc_err *e);

/* A customer's grid history: every assignment row, oldest first. */
typedef struct {
    char valid_from[11];
    char grid_code[32]; /* "" : out of every grid */
    char source[64];
    char at[32], by[64];
} grid_assignment;
typedef int (*grid_assignment_fn)(void *ctx, const grid_assignment *a);
int grid_customer_history(db *d, int64_t customer_id, grid_assignment_fn fn, void *ctx, pc_err *e);

/* ---- worklist sections (app/worklist.c) ----
 * The customers of a manager on a date are those whose grid on that date is one the manager
 * manages on that date, among grids whose unit lies under scope_path (the asker's scope). */
typedef struct {
    int64_t user_id;
    const char *date;       /* ISO day the worklist is for */
    const char *scope_path; /* "/" : everything */
    const char *until;      /* due_soon: last due date included (date + window) */
    int64_t low_balance;    /* prepaid_low: balances under this, đồng */
} worklist_query;

typedef struct {
    const char *grid, *customer, *name, *address, *phone, *route;
    int64_t amount;     /* đồng, see each section */
    int64_t count;      /* invoices, orders, … */
    const char *date;   /* the section's date: oldest due date, order date, next action */
    const char *detail; /* the section's word: order kind, case status */
    int64_t ref;        /* the section's id: work order, debt case (0: none) */
} worklist_item;
typedef int (*worklist_item_fn)(void *ctx, const worklist_item *it);

/* Customers with invoices past due on date: amount open on them, their count, the oldest due. */
int worklist_overdue_debt(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e);
/* Customers with unpaid invoices falling due from date to until: amount, count, first due. */
int worklist_due_soon(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e);
/* Cut and reconnection orders still open on date: fee, order date, kind, order id. */
int worklist_work_orders(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e);
/* Debt cases not closed (neither collected nor written off): what the customer owes in all,
 * next action date, status, case id. */
int worklist_debt_cases(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e);
/* Service requests still open or waiting on date: 1 each, the current step's due date, the
 * request's code, type, step and waiting reason, request id. */
/* Customers classified high risk by the latest risk run of a month ended by date: debt at that
 * month's end, the score (as count), the month's last day, action and reasons, run id. */
int worklist_high_risk(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e);
/* Prepaid customers (active accounts) whose balance is under low_balance now: the balance, the
 * day it went below zero (if it did), "below_zero" or "low". */
int worklist_prepaid_low(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e);
int worklist_service_requests(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e);

#endif
