/* The open receivables as aging reads them (schema/013 and 016): sums per unit and class, or per
 * customer of one unit, of what was open at the end of an as-of date, in the slices of
 * domain/aging.h. The bucket rule is given as due-date thresholds (aging_cutoffs), so the
 * database sums and the domain function agree by construction. */
#ifndef PC_STORE_AGING_H
#define PC_STORE_AGING_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/aging.h"
#include "store/db.h"
#include "store/payments.h"

typedef struct {
    char as_of[11];
    char reached[AGING_CUTS][11]; /* aging_cutoffs as ISO dates */
    /* false: nothing was cleared, adjusted or issued after as_of, so the open items as they are
     * now are the debt of that day (the fast path) */
    bool history;
    /* history only: what later postings took off per invoice and the invoices settled since,
     * loaded once for all the units one report reads (aging_query_free releases it) */
    struct aging_history *cache;
} aging_query;
void aging_query_of(civil_date as_of, aging_query *q);
void aging_query_free(aging_query *q);
/* Whether anything dated after as_of changed open amounts (allocations, adjustments). */
int aging_query_decide(db *d, aging_query *q, pc_err *e);

typedef struct {
    int64_t customers;
    int64_t bucket_customers[AGING_BUCKETS];
    int64_t slices[AGING_SLICES];
} aging_figures;

/* Per unit under scope_path (NULL: all) and class (1 residential, 0 not). A customer counts in
 * one class per unit: residential when any of its open items there was billed so. */
typedef int (*aging_unit_fn)(void *ctx, int64_t unit_id, int residential, const aging_figures *f);
int aging_unit_sums(db *d, const char *scope_path, const aging_query *q, aging_unit_fn fn, void *ctx, pc_err *e);

/* Per customer of one unit, by customer code. */
typedef struct {
    int64_t customer_id;
    char code[16];
    char name[256];
    char address[256];
    int residential;
    int64_t slices[AGING_SLICES];
} aging_customer;
typedef int (*aging_customer_fn)(void *ctx, const aging_customer *c);
int aging_customer_sums(db *d, int64_t unit_id, const aging_query *q, aging_customer_fn fn, void *ctx, pc_err *e);

/* One customer's invoices that were open at the end of as_of (ISO date), by due date: what was
 * owed then (total less credit applied, less what was allocated and plus what was adjusted on
 * or before the day, the formula `powercis check` holds the open items to). */
int aging_customer_invoices(db *d, int64_t customer_id, const char *as_of, open_bill_fn fn, void *ctx, pc_err *e);

/* The plain query a report writer would write: one GROUP BY with CASE over the invoices and
 * their allocations (for the benchmark's comparison). Returns the grand total. */
int aging_plain_sql_total(db *d, const aging_query *q, int64_t *total, pc_err *e);

#endif
