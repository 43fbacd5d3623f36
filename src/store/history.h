/* A customer's history as the API and the web app page through it (invoices with what is open,
 * payments, kWh per period) and the record of billing runs (schema/023_billing_runs.sql). */
#ifndef PC_STORE_HISTORY_H
#define PC_STORE_HISTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* ---- a customer's invoices and payments, newest first ---- */
typedef struct {
    int64_t id;
    char symbol[16];
    int64_t number;
    char kind[12];
    char period[8];
    char issue_date[11], due_date[11];
    int64_t kwh, energy, vat, total, credit_applied;
    int64_t open; /* left to pay now (open items) */
} invoice_summary;
typedef int (*invoice_summary_fn)(void *ctx, const invoice_summary *v);
/* At most limit invoices after skipping offset, newest issue first; *total counts them all. */
int customer_invoices(db *d, int64_t customer_id, int limit, int offset, invoice_summary_fn fn, void *ctx,
                      int64_t *total, pc_err *e);

typedef struct {
    int64_t id;
    char receipt_no[24];
    char channel[12], method[12];
    int64_t amount; /* negative: a reversal */
    char paid_at[20], paid_date[11];
    int64_t reverses_id;
    bool reversed; /* a later reversal cancels it */
} payment_summary;
typedef int (*payment_summary_fn)(void *ctx, const payment_summary *p);
int customer_payments(db *d, int64_t customer_id, int limit, int offset, payment_summary_fn fn, void *ctx,
                      int64_t *total, pc_err *e);

/* kWh of the customer's counted reads (ok or approved, not initial) per period, the month of the
 * reading date, for periods from..to (YYYY-MM, inclusive), oldest first. */
typedef int (*month_kwh_fn)(void *ctx, const char *period, int64_t kwh, int64_t reads);
int customer_consumption(db *d, int64_t customer_id, const char *from, const char *to, month_kwh_fn fn, void *ctx,
                         pc_err *e);

/* ---- billing runs ---- */
typedef struct {
    int64_t id;
    char period[8];
    char scope_code[16];
    char scope_path[160];
    char route[32];
    char issue_date[11];
    char status[8]; /* running, done, failed */
    char started_at[21], finished_at[21];
    char started_by[64];
    char idem_key[64];
    char request_hash[65];
    int64_t customers, invoices, reads, kwh, energy, vat, total, credit, zero;
    char error[512];
} billing_run_row;

/* Inserts the run as 'running' (r->status is left as it is); sets r->id. A key used before by the same account: PC_ECONFLICT. */
int billing_run_insert(db *d, billing_run_row *r, pc_err *e);
/* Records how the run ended (status, figures, error, finished_at, and idem_key: a failed run
 * gives its key back, so that the same request runs again). */
int billing_run_finish(db *d, const billing_run_row *r, pc_err *e);
/* Removes the record of a run that billed nothing (refused as a whole). */
int billing_run_delete(db *d, int64_t id, pc_err *e);
int billing_run_get(db *d, int64_t id, billing_run_row *out, pc_err *e); /* PC_ENOTFOUND */
/* The run an account started with an idempotency key; *found = false when none. */
int billing_run_by_key(db *d, const char *started_by, const char *key, billing_run_row *out, bool *found, pc_err *e);
typedef int (*billing_run_fn)(void *ctx, const billing_run_row *r);
/* Runs of nodes under scope_path (NULL: all), of a period (NULL: any), newest first, paged. */
int billing_run_list(db *d, const char *scope_path, const char *period, int limit, int offset, billing_run_fn fn,
                     void *ctx, int64_t *total, pc_err *e);

#endif
