/* The ledger's invariants as queries (powercis check): each yields the rows that break one, so a
 * healthy database yields nothing. One grouped pass per table, so a check of millions of
 * customers costs a few scans, not a query per customer. */
#ifndef PC_STORE_INVARIANTS_H
#define PC_STORE_INVARIANTS_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* A row that breaks an invariant: what it is (a customer code, an invoice "symbol/number", a
 * payment's receipt, a series symbol) and the figures that disagree. */
typedef struct {
    char what[64];
    int64_t v[6];
} invariant_row;
typedef int (*invariant_fn)(void *ctx, const invariant_row *r);

/* Customers whose invoices - payments + adjustments differ from open items - credit (the credit
 * of payments, adjustments and invoices; solar credit is money the company owes, not a
 * receivable; payments of channel 'credit' are credit applied, not money received; a replaced
 * invoice is billed no more): v = billed, paid, adjusted, open, credit. */
int invariant_ledger(db *d, invariant_fn fn, void *ctx, pc_err *e);
/* Invoices whose open item is not total - credit used - allocations + adjustments (0 when that is
 * not positive): v = expected, open item. */
int invariant_open_items(db *d, invariant_fn fn, void *ctx, pc_err *e);
/* Invoices allocated beyond what they ask (total - credit used + adjustments - allocations < 0),
 * or with a negative total (a downward adjustment, whose amount became credit) and anything
 * allocated, credited or adjusted on it: v = total, credit used, allocated, adjusted. */
int invariant_invoice_allocation(db *d, invariant_fn fn, void *ctx, pc_err *e);
/* Payments whose allocations exceed them or go the wrong way (a payment's allocations between 0
 * and its amount, a reversal's between its amount and 0): v = amount, allocated. */
int invariant_payment_allocation(db *d, invariant_fn fn, void *ctx, pc_err *e);
/* E-invoice series whose numbers are not exactly 1 … last_number: v = last_number, invoices,
 * distinct numbers, smallest, largest. */
int invariant_series(db *d, invariant_fn fn, void *ctx, pc_err *e);

/* Rows dated in a locked month for a customer inside the lock's scope but written after the lock
 * (invoices by issue date, payments by paid date, adjustments by their date, allocations by theirs
 * with their payment's writing time), for locks not unlocked since: what = "YYYY-MM SCOPE kind
 * ref", v = none. DOMAIN 10 refuses these; one here went round the guard. */
int invariant_locked_months(db *d, invariant_fn fn, void *ctx, pc_err *e);

/* Prepaid accounts whose cached balance is not the sum of their ledger (028): v = cached, ledger. */
int invariant_prepaid_balance(db *d, invariant_fn fn, void *ctx, pc_err *e);

/* Prepaid accounts whose cached month-to-date read sums (031, resum = 0) are not the sums of their
 * reads through last_charge_day: v = cached kWh, fresh kWh, cached reads, fresh reads (any of
 * the cached columns differing counts). */
int invariant_prepaid_sums(db *d, invariant_fn fn, void *ctx, pc_err *e);

#endif
