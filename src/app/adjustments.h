/* Adjusting a customer's debt (DOMAIN 9): a correction, a write-off after approval, a transfer
 * to another customer or a reclassification between two invoices of the customer. Each is an
 * audited posting of its own (rows in debt_adjustment, never an edit of an invoice or payment),
 * dated, checked against report locks (DOMAIN 10), and optionally idempotent by a reference.
 * The model and its rules: docs/adjustments.md. */
#ifndef PC_APP_ADJUSTMENTS_H
#define PC_APP_ADJUSTMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/money.h"
#include "store/adjust.h"
#include "store/db.h"

typedef struct {
    const char *customer_code;
    const char *invoice;     /* "SYMBOL/NUMBER", or NULL and invoice_id */
    int64_t invoice_id;
    const char *kind;        /* correction, write_off (or write-off), transfer, reclassification */
    money amount;            /* correction: signed change of what is owed; the others: > 0, the
                                amount written off or moved */
    const char *reason;      /* required */
    const char *to_customer; /* transfer: the customer the debt belongs to */
    const char *to_invoice;  /* reclassification: the customer's invoice taking the amount, or NULL
                                and to_invoice_id */
    int64_t to_invoice_id;
    const char *approval;    /* write_off: the approval decision (number, approver); required */
    int64_t document_id;     /* a document of the customer's debt supporting it; 0: none */
    const char *date;        /* YYYY-MM-DD; NULL: today. Not in the future, not before the invoice's issue */
    const char *ref;         /* an external reference making the posting idempotent; NULL: none */
} adjustment_request;

typedef struct {
    adjustment_row rows[2]; /* the posting: one row, or a pair (source side first) */
    int nrows;
    bool repeated;          /* the reference was posted before with the same content: nothing changed */
    money invoice_open[2];  /* what is open now on each row's invoice */
    money customer_open[2]; /* what each row's customer owes now, all open invoices */
} adjustment_result;

/* Checks a request without a database: kind, amount, reason, approval, the invoices named. */
int adjustment_request_check(const adjustment_request *q, pc_err *e);
/* Posts the adjustment in one transaction (nested inside the caller's, if any). */
int adjustment_post(db *d, const char *actor, int utc_offset, const adjustment_request *q, adjustment_result *out,
                    pc_err *e);

/* Adjustments by date then id: of one customer (code; NULL: all), of customers under a scope
 * (org code; NULL: all), dated from..to (inclusive; NULL: open). */
int adjustments_list(db *d, const char *customer_code, const char *scope_code, const char *from, const char *to,
                     adjustment_fn fn, void *ctx, pc_err *e);

#endif
