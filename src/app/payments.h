/* Collecting money (DOMAIN 7): posting a payment that clears open invoices (oldest due date
 * first, or the invoices it names; the excess becomes customer credit), reversals that reopen
 * exactly what a payment cleared, idempotency by (source, external reference), cashier shifts,
 * partners. Every function runs in its own transaction (nested inside the caller's, if any). */
#ifndef PC_APP_PAYMENTS_H
#define PC_APP_PAYMENTS_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/money.h"
#include "store/db.h"
#include "store/payments.h"

#define PAYMENT_MAX_NAMED 16

typedef struct {
    const char *customer_code;
    const char *channel; /* counter, partner, file, bank */
    const char *method;  /* cash, card, transfer, partner, qr */
    const char *source;  /* "counter" or the partner's code: the idempotency namespace */
    const char *ext_ref; /* the external reference (partner's transaction id, counter's ticket) */
    money amount;        /* > 0 */
    const char *paid_at; /* "YYYY-MM-DD[ HH:MM[:SS]]" local time; NULL: now */
    const char *invoices[PAYMENT_MAX_NAMED]; /* named invoices "SYMBOL/NUMBER" (none: oldest first) */
    int ninvoices;
    int64_t shift_id; /* counter postings: the cashier's open shift */
    int64_t file_id;  /* file postings: the import_file row */
} payment_request;

typedef struct {
    payment_row p;        /* as stored, with its allocations and excess */
    bool repeated;        /* the key was posted before with the same content: nothing changed */
    money credit_balance; /* the customer's credit after the posting */
    money open_total;     /* what the customer still owes after the posting */
} payment_result;

/* Checks a request without a database: amounts, key, channel and method, date. */
int payment_request_check(const payment_request *q, pc_err *e);
int payment_post(db *d, const char *actor, int utc_offset, const payment_request *q, payment_result *out, pc_err *e);

typedef struct {
    const char *source, *ext_ref; /* the payment to reverse */
    const char *reversal_ref;     /* the reversal's own key (default: EXT_REF + "/reversal") */
    const char *reason;           /* required */
    const char *date;             /* YYYY-MM-DD, default today; a partner reverses on the day only */
    int64_t shift_id;             /* a counter reversal's shift (optional) */
} reversal_request;
int payment_reverse_post(db *d, const char *actor, int utc_offset, const reversal_request *q, payment_result *out,
                         pc_err *e);

/* A customer's open invoices and their total. */
typedef struct {
    payer_row customer;
    open_bill *bills;
    int nbills;
    money total;
    money credit;
} open_account;
int account_open(db *d, const char *customer_code, open_account *out, pc_err *e);
void account_free(open_account *a);

/* ---- shifts ---- */
int shift_open(db *d, const char *actor, const char *cashier, const char *unit_code, money opening_float,
               shift_row *out, pc_err *e);
typedef struct {
    shift_row shift;
    method_total totals[8];
    int ntotals;
    money cash_total; /* cash postings less cash reversals */
    int64_t postings;
} shift_report;
int shift_report_get(db *d, int64_t shift_id, shift_report *out, pc_err *e);
/* Closes with the cash counted: expected = opening float + cash; the difference is recorded. */
int shift_close(db *d, const char *actor, int64_t shift_id, money counted, const char *note, shift_report *out,
                pc_err *e);

/* ---- partners ---- */
int partner_add(db *d, const char *actor, const char *code, const char *name, const char *kind, int settlement_days,
                pc_err *e);

/* ---- collection files ---- */
typedef struct {
    long rows, posted, repeated; /* repeated: rows whose key was posted before with the same content */
    long error_rows;
    money amount;                /* of the rows posted now */
    bool already;                /* the same file (by SHA-256) was imported before: nothing changed */
    char already_at[32];
    buf errors;                  /* "line N: …\n" */
} collection_report;
/* CSV `partner,txn_ref,customer_code,amount,paid_at[,invoice_no]` (docs/formats.md): every line
 * is checked and posted inside one transaction; any bad line rejects the whole file with a
 * per-line report. */
int collection_import(db *d, const char *actor, int utc_offset, const char *path, collection_report *rep, pc_err *e);
void collection_report_free(collection_report *rep);

/* ---- printed documents and lists ---- */
/* The receipt of a payment (by receipt number) as a PDF; tendered: cash handed over (0: none). */
int receipt_print(db *d, const char *receipt_no, money tendered, const char *path, pc_err *e);
/* The same receipt's bytes (the HTTP API serves them). */
int receipt_pdf_render(db *d, const char *receipt_no, buf *out, pc_err *e);
/* The payment (or reversal) of a receipt number "BN…"; PC_ENOTFOUND. */
int payment_by_receipt(db *d, const char *receipt_no, payment_row *out, pc_err *e);
/* A sheet of customer cards (Code 128 of the code), one per customer code. */
int cards_print(db *d, const char *const *codes, int ncodes, const char *path, pc_err *e);
/* Open invoices under a scope path (NULL: all) as CSV for a partner's offline collection points:
 * partner,customer_code,name,address,invoice_no,period,due_date,amount. path must not exist. */
int partner_export(db *d, const char *partner, const char *scope_path, const char *path, long *rows, money *amount,
                   pc_err *e);

/* "YYYY-MM-DD[ HH:MM[:SS]]" or with a T → "YYYY-MM-DD HH:MM:SS"; NULL → now (local). */
int paid_at_normalize(const char *in, int utc_offset, char out[20], pc_err *e);

#endif
