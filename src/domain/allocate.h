/* Payment allocation (DOMAIN 7): which open invoices a payment clears and by how much, what is
 * left over as customer credit, and the reversal that reopens exactly what a payment cleared.
 * Pure functions over caller-owned arrays; nothing is allocated and the inputs are not changed. */
#ifndef PC_DOMAIN_ALLOCATE_H
#define PC_DOMAIN_ALLOCATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "base/money.h"

typedef struct {
    int64_t invoice_id;
    civil_date due_date;
    int64_t number;    /* the invoice number inside its series (số hóa đơn) */
    money open_amount; /* > 0 while open; 0 means settled: never paid, refused when named */
} open_invoice;

typedef struct {
    int64_t invoice_id;
    money amount; /* > 0 for a payment, < 0 in the reversal of one */
} allocation;

typedef struct {
    size_t n;        /* allocations written to out */
    money allocated; /* their sum, never above the payment */
    money excess;    /* payment - allocated: becomes customer credit */
} allocation_result;

/* The order in which open invoices are paid: oldest due date first, then the lowest invoice
 * number, then the lowest id (so the order is total). A qsort comparator over open_invoice,
 * exported so that a store query can be checked against the same rule. */
int open_invoice_order(const void *a, const void *b);

/* Allocates a payment to a customer's open invoices.
 * named == NULL or nnamed == 0: every open invoice, in open_invoice_order; otherwise only the
 * named ones (each must be in invoices with an open amount), still in open_invoice_order, not
 * in the order they were named. Each invoice reached gets min(its open amount, what is left);
 * the last one reached may be paid in part. out must hold at least as many entries as there
 * are candidate invoices (ninvoices, or nnamed when named; PC_EINTERNAL otherwise); allocations
 * are written in payment order. Refused: a payment that is not positive, a negative open amount, an invoice id given
 * twice, a named invoice not found (PC_ENOTFOUND) or settled, and open amounts whose total does
 * not fit in int64 (a balance nobody could report). On error nothing in *res is meaningful.
 * Cost is O(ninvoices x invoices paid): the list is one customer's open invoices. */
int payment_allocate(const open_invoice *invoices, size_t ninvoices, money payment, const int64_t *named,
                     size_t nnamed, allocation *out, size_t cap, allocation_result *res, pc_err *e);

/* The reversal of a payment (DOMAIN 7: a new negative posting that reopens what it cleared):
 * out[i] = {in[i].invoice_id, -in[i].amount} and *credit_reversal = -excess. in and out may be
 * the same array. Refused when an allocation or the excess is not what a payment produces
 * (an amount <= 0, a negative excess): reversing a reversal is not a thing. */
int payment_reverse(const allocation *in, size_t n, money excess, allocation *out, money *credit_reversal,
                    pc_err *e);

/* Checks allocations a payment claims to make against the invoices as they were open before
 * it: every amount positive, every invoice among invoices, the amounts to one invoice together
 * at most its open amount, all of them together at most the payment, and allocated + excess =
 * payment. For `powercis check` and for allocations that arrive from outside this module. */
int allocations_check(const open_invoice *invoices, size_t ninvoices, money payment, const allocation *a,
                      size_t n, money excess, pc_err *e);

#endif
