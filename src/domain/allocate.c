/* Payment allocation (see allocate.h). */
#include "domain/allocate.h"

#include <inttypes.h>
#include <stdbool.h>

int open_invoice_order(const void *a, const void *b)
{
    const open_invoice *x = a, *y = b;
    if (x->due_date != y->due_date)
        return x->due_date < y->due_date ? -1 : 1;
    if (x->number != y->number)
        return x->number < y->number ? -1 : 1;
    if (x->invoice_id != y->invoice_id)
        return x->invoice_id < y->invoice_id ? -1 : 1;
    return 0;
}

static const open_invoice *find_invoice(const open_invoice *invoices, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (invoices[i].invoice_id == id)
            return &invoices[i];
    return NULL;
}

static bool is_named(const int64_t *named, size_t nnamed, int64_t id)
{
    for (size_t i = 0; i < nnamed; i++)
        if (named[i] == id)
            return true;
    return false;
}

/* The customer's invoices as a whole: ids unique, open amounts not negative and their total
 * representable (the customer's balance is that total, and every report adds it up). */
static int invoices_check(const open_invoice *invoices, size_t n, pc_err *e)
{
    money total = 0;
    for (size_t i = 0; i < n; i++) {
        const open_invoice *v = &invoices[i];
        if (v->open_amount < 0)
            return pc_errf(e, PC_EINVAL, "invoice %" PRId64 ": open amount %" PRId64 " is negative", v->invoice_id,
                           v->open_amount);
        if (!money_add(total, v->open_amount, &total))
            return pc_errf(e, PC_EINVAL,
                           "the open invoices add up to more than %" PRId64 " đồng: the balance cannot be stated",
                           INT64_MAX);
        for (size_t j = 0; j < i; j++)
            if (invoices[j].invoice_id == v->invoice_id)
                return pc_errf(e, PC_EINVAL, "invoice %" PRId64 " is listed twice", v->invoice_id);
    }
    return 0;
}

int payment_allocate(const open_invoice *invoices, size_t ninvoices, money payment, const int64_t *named,
                     size_t nnamed, allocation *out, size_t cap, allocation_result *res, pc_err *e)
{
    if (named == NULL)
        nnamed = 0;
    if (payment <= 0)
        return pc_errf(e, PC_EINVAL, "payment amount %" PRId64 " must be positive", payment);
    if (invoices_check(invoices, ninvoices, e) != 0)
        return -1;
    for (size_t i = 0; i < nnamed; i++) {
        const open_invoice *v = find_invoice(invoices, ninvoices, named[i]);
        if (!v)
            return pc_errf(e, PC_ENOTFOUND,
                           "invoice %" PRId64 " named by the payment is not an invoice of this customer", named[i]);
        if (v->open_amount == 0)
            return pc_errf(e, PC_EINVAL, "invoice %" PRId64 " named by the payment is not open (already paid)",
                           named[i]);
        for (size_t j = 0; j < i; j++)
            if (named[j] == named[i])
                return pc_errf(e, PC_EINVAL, "invoice %" PRId64 " is named twice by the payment", named[i]);
    }
    size_t candidates = nnamed;
    if (nnamed == 0)
        for (size_t i = 0; i < ninvoices; i++)
            candidates += invoices[i].open_amount > 0;
    if (candidates > cap)
        return pc_errf(e, PC_EINTERNAL, "allocation array holds %zu entries, the payment may need %zu", cap,
                       candidates);

    /* Selection rather than sorting keeps the caller's array untouched and needs no scratch
     * space; each step takes the first invoice in open_invoice_order after the last one paid. */
    money remaining = payment;
    size_t n = 0;
    const open_invoice *last = NULL;
    while (remaining > 0) {
        const open_invoice *next = NULL;
        for (size_t i = 0; i < ninvoices; i++) {
            const open_invoice *v = &invoices[i];
            if (v->open_amount == 0 || (nnamed > 0 && !is_named(named, nnamed, v->invoice_id)))
                continue;
            if (last && open_invoice_order(v, last) <= 0)
                continue;
            if (!next || open_invoice_order(v, next) < 0)
                next = v;
        }
        if (!next)
            break;
        money amount = next->open_amount < remaining ? next->open_amount : remaining;
        out[n++] = (allocation){.invoice_id = next->invoice_id, .amount = amount};
        remaining -= amount;
        last = next;
    }
    res->n = n;
    res->allocated = payment - remaining;
    res->excess = remaining;
    return 0;
}

int payment_reverse(const allocation *in, size_t n, money excess, allocation *out, money *credit_reversal,
                    pc_err *e)
{
    if (excess < 0)
        return pc_errf(e, PC_EINVAL, "excess %" PRId64 " is negative: only a payment can be reversed", excess);
    for (size_t i = 0; i < n; i++)
        if (in[i].amount <= 0)
            return pc_errf(e, PC_EINVAL,
                           "allocation to invoice %" PRId64 " is %" PRId64 ": only a payment can be reversed",
                           in[i].invoice_id, in[i].amount);
    /* Checked first and written after, so out == in is never left half reversed. Negating a
     * positive int64 cannot overflow. */
    for (size_t i = 0; i < n; i++)
        out[i] = (allocation){.invoice_id = in[i].invoice_id, .amount = -in[i].amount};
    *credit_reversal = -excess;
    return 0;
}

int allocations_check(const open_invoice *invoices, size_t ninvoices, money payment, const allocation *a,
                      size_t n, money excess, pc_err *e)
{
    if (payment <= 0)
        return pc_errf(e, PC_EINVAL, "payment amount %" PRId64 " must be positive", payment);
    if (excess < 0)
        return pc_errf(e, PC_EINVAL, "excess %" PRId64 " is negative", excess);
    money total = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i].amount <= 0)
            return pc_errf(e, PC_EINVAL, "allocation %zu to invoice %" PRId64 ": amount %" PRId64 " is not positive",
                           i + 1, a[i].invoice_id, a[i].amount);
        const open_invoice *v = find_invoice(invoices, ninvoices, a[i].invoice_id);
        if (!v)
            return pc_errf(e, PC_ENOTFOUND,
                           "allocation %zu: invoice %" PRId64 " is not an open invoice of this customer", i + 1,
                           a[i].invoice_id);
        if (!money_add(total, a[i].amount, &total))
            return pc_errf(e, PC_EINVAL, "allocations add up to more than %" PRId64 " đồng", INT64_MAX);
        /* Several rows may clear one invoice; only their sum is bounded, checked at the first. */
        bool first = true;
        for (size_t j = 0; j < i; j++)
            if (a[j].invoice_id == a[i].invoice_id)
                first = false;
        if (!first)
            continue;
        money to_invoice = 0;
        for (size_t j = i; j < n; j++)
            if (a[j].invoice_id == a[i].invoice_id && !money_add(to_invoice, a[j].amount, &to_invoice))
                return pc_errf(e, PC_EINVAL,
                               "allocations to invoice %" PRId64 " add up to more than %" PRId64 " đồng",
                               a[i].invoice_id, INT64_MAX);
        if (to_invoice > v->open_amount)
            return pc_errf(e, PC_EINVAL,
                           "invoice %" PRId64 " is open for %" PRId64 " đồng but %" PRId64 " is allocated to it",
                           v->invoice_id, v->open_amount, to_invoice);
    }
    if (total > payment)
        return pc_errf(e, PC_EINVAL, "allocations total %" PRId64 " đồng, more than the payment of %" PRId64, total,
                       payment);
    if (payment - total != excess)
        return pc_errf(e, PC_EINVAL,
                       "payment %" PRId64 " less allocations %" PRId64 " is %" PRId64 ", not the excess %" PRId64,
                       payment, total, payment - total, excess);
    return 0;
}
