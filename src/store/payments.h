/* Repository of collection: partners, cashier shifts, payments, their allocations and the
 * idempotency keys of postings (schema/010_payments.sql). */
#ifndef PC_STORE_PAYMENTS_H
#define PC_STORE_PAYMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* ---- partners ---- */
typedef struct {
    int64_t id;
    char code[24];
    char name[128];
    char kind[12]; /* bank, collector, post, wallet, point */
    int settlement_days;
} partner_row;
int partner_insert(db *d, partner_row *p, const char *actor, pc_err *e);
int partner_get(db *d, const char *code, partner_row *out, pc_err *e); /* PC_ENOTFOUND */
typedef int (*partner_fn)(void *ctx, const partner_row *p);
int partner_list(db *d, partner_fn fn, void *ctx, pc_err *e);

/* ---- customers as collection sees them ---- */
typedef struct {
    int64_t id, unit_id;
    char code[16];
    char name[256];
    char address[512];
    char phone[24];
    char status[16];
    char unit_code[16];
} payer_row;
int payer_get(db *d, const char *code, payer_row *out, pc_err *e); /* PC_ENOTFOUND */
int payer_get_by_id(db *d, int64_t id, payer_row *out, pc_err *e);
/* Holds the customer's row until the transaction ends: postings to one customer serialise
 * (PostgreSQL: SELECT … FOR UPDATE; SQLite: its writer lock already does). */
int payer_lock(db *d, int64_t customer_id, pc_err *e);

/* An invoice with something left to pay (total - credit used - allocations > 0). */
typedef struct {
    int64_t invoice_id;
    char symbol[16];
    int64_t number;
    char period[8];
    char issue_date[11], due_date[11];
    int64_t total, open;
} open_bill;
typedef int (*open_bill_fn)(void *ctx, const open_bill *b);
/* Reads an open_bill from 8 columns from col: invoice id, symbol, number, period, issue date,
 * due date, total, open. */
void open_bill_from(db_stmt *s, int col, open_bill *b);
/* The customer's open invoices as of today, oldest due date first, then number. */
int open_bills_of(db *d, int64_t customer_id, open_bill_fn fn, void *ctx, pc_err *e);
/* Open invoices of every customer under a scope path (NULL: all), by customer code then due
 * date: the offline collection points' list. */
typedef int (*scope_bill_fn)(void *ctx, const payer_row *c, const open_bill *b);
int open_bills_in_scope(db *d, const char *scope_path, scope_bill_fn fn, void *ctx, pc_err *e);

/* Moves an invoice's open amount by delta (a payment's allocation: negative; its reversal:
 * positive): the row goes when settled and comes back when reopened. */
int open_item_apply(db *d, int64_t invoice_id, int64_t delta, pc_err *e);

/* ---- shifts ---- */
typedef struct {
    int64_t id;
    char cashier[64];
    int64_t unit_id;
    char unit_code[16];
    char opened_at[32];
    int64_t opening_float;
    bool closed;
    char closed_at[32];
    int64_t expected_cash, counted_cash, difference;
    char totals[512]; /* JSON, once closed */
    char note[256];
} shift_row;
int shift_insert(db *d, shift_row *s, pc_err *e); /* sets s->id */
int shift_get(db *d, int64_t id, shift_row *out, pc_err *e);
int shift_close_insert(db *d, const shift_row *s, const char *actor, pc_err *e);
/* The cashier's open shift, the latest when there are several: *found = false when none. */
int shift_open_of(db *d, const char *cashier, shift_row *out, bool *found, pc_err *e);
typedef struct {
    char method[12];
    int64_t count, amount; /* reversals included, as negative amounts */
} method_total;
/* Totals of the shift's postings by method (at most 8 methods). */
int shift_totals(db *d, int64_t shift_id, method_total *out, int *n, pc_err *e);

/* ---- payments ---- */
typedef struct {
    int64_t invoice_id;
    int64_t amount;
    char symbol[16];
    int64_t number;
    char period[8];
} alloc_row;

typedef struct {
    int64_t id, customer_id;
    char customer_code[16];
    char channel[12], method[12];
    char source[24];
    char ext_ref[64];
    int64_t amount;
    char paid_at[20]; /* YYYY-MM-DD HH:MM:SS, local */
    char paid_date[11];
    int64_t reverses_id, shift_id, file_id;
    char receipt_no[24];
    char reason[256];
    char created_by[64];
    int nalloc;
    alloc_row alloc[64];
    int64_t excess; /* what became customer credit (negative in a reversal) */
} payment_row;

/* The posting under an idempotency key: *found = false when none. */
int posting_key_find(db *d, const char *source, const char *ext_ref, int64_t *payment_id, char content_hash[65],
                     bool *found, pc_err *e);
int posting_key_insert(db *d, const char *source, const char *ext_ref, const char *content_hash, int64_t payment_id,
                       pc_err *e);
/* Stores the payment (sets p->id; receipt_no is derived from it when empty) and its allocations. */
int payment_insert(db *d, payment_row *p, const char *actor, pc_err *e);
/* With its allocations and excess. */
int payment_get(db *d, int64_t id, payment_row *out, pc_err *e);
/* The reversal of a payment, 0 when none. */
int payment_reversal_of(db *d, int64_t payment_id, int64_t *reversal_id, pc_err *e);
typedef int (*payment_fn)(void *ctx, const payment_row *p);
/* A source's postings on a day (allocations not loaded), by id. */
int payments_of_source_day(db *d, const char *source, const char *date, payment_fn fn, void *ctx, pc_err *e);
/* A shift's postings, newest first (allocations not loaded), limit from offset, with whether each
 * payment has been reversed; *total: all the shift's postings. */
typedef int (*shift_payment_fn)(void *ctx, const payment_row *p, bool reversed);
int payments_of_shift(db *d, int64_t shift_id, long limit, long offset, shift_payment_fn fn, void *ctx, long *total,
                      pc_err *e);

#endif
