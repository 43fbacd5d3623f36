/* Reconciliation of third-party collections (see reconcile.h). */
#include "domain/reconcile.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    recon_diff_fn emit;
    void *ctx;
    recon_summary *sum;
} run;

static int put(run *r, recon_diff *d)
{
    r->sum->count[d->kind]++;
    return r->emit ? r->emit(r->ctx, d) : 0;
}

static int cmp_money(money a, money b)
{
    return a < b ? -1 : a > b;
}

/* By reference, and inside a reference by date, amount, customer, so that "the first line" of
 * a duplicated reference does not depend on qsort's whims. */
static int txn_by_ref(const void *a, const void *b)
{
    const recon_txn *x = a, *y = b;
    int c = strcmp(x->txn_ref, y->txn_ref);
    if (c)
        return c;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if ((c = cmp_money(x->amount, y->amount)))
        return c;
    return strcmp(x->customer_code, y->customer_code);
}

/* Only the day matters for day totals, and the lines are sorted by reference right after. */
static int txn_by_date(const void *a, const void *b)
{
    const recon_txn *x = a, *y = b;
    return x->date < y->date ? -1 : x->date > y->date;
}

static int remittance_order(const void *a, const void *b)
{
    const remittance *x = a, *y = b;
    int c = strcmp(x->partner, y->partner);
    if (c)
        return c;
    if (x->for_day != y->for_day)
        return x->for_day < y->for_day ? -1 : 1;
    if (x->value_date != y->value_date)
        return x->value_date < y->value_date ? -1 : 1;
    if ((c = strcmp(x->reference, y->reference)))
        return c;
    return cmp_money(x->amount, y->amount);
}

/* qsort's array must not be NULL even when empty, and an empty side is normal. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static bool terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

static int txns_check(const char *side, const recon_txn *t, size_t n, money *total, pc_err *e)
{
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!terminated(t[i].txn_ref, sizeof t[i].txn_ref) ||
            !terminated(t[i].customer_code, sizeof t[i].customer_code))
            return pc_errf(e, PC_EINVAL, "%s line %zu: reference or customer code is not terminated", side, i + 1);
        if (t[i].txn_ref[0] == '\0')
            return pc_errf(e, PC_EINVAL, "%s line %zu: the transaction reference is empty", side, i + 1);
        if (t[i].amount <= 0)
            return pc_errf(e, PC_EINVAL, "%s line %zu (%s): amount %" PRId64 " must be positive", side, i + 1,
                           t[i].txn_ref, t[i].amount);
        if (!money_add(*total, t[i].amount, total))
            return pc_errf(e, PC_EINVAL, "%s lines add up to more than %" PRId64 " đồng", side, INT64_MAX);
    }
    return 0;
}

static int remittances_check(const char *partner_code, const remittance *r, size_t n, size_t *count, money *total,
                             pc_err *e)
{
    *count = 0;
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!terminated(r[i].partner, sizeof r[i].partner) || !terminated(r[i].reference, sizeof r[i].reference))
            return pc_errf(e, PC_EINVAL, "remittance %zu: partner or reference is not terminated", i + 1);
        if (strcmp(r[i].partner, partner_code) != 0)
            continue;
        if (r[i].amount <= 0)
            return pc_errf(e, PC_EINVAL, "remittance %zu (%s): amount %" PRId64 " must be positive", i + 1,
                           r[i].reference, r[i].amount);
        if (!money_add(*total, r[i].amount, total))
            return pc_errf(e, PC_EINVAL, "remittances add up to more than %" PRId64 " đồng", INT64_MAX);
        (*count)++;
    }
    return 0;
}

/* The partner's lines sorted by date and this partner's remittances sorted by day, merged day
 * by day. Sums cannot overflow: every amount is positive and the grand totals were checked. */
static int day_level(run *r, const recon_txn *p, size_t np, const remittance *rem, size_t nrem, int settlement_days)
{
    size_t i = 0, k = 0;
    while (i < np || k < nrem) {
        civil_date day;
        if (i < np && (k >= nrem || p[i].date <= rem[k].for_day))
            day = p[i].date;
        else
            day = rem[k].for_day;
        money owed = 0, remitted = 0;
        for (; i < np && p[i].date == day; i++)
            owed += p[i].amount;
        int64_t deadline = (int64_t)day + settlement_days;
        size_t credits = 0;
        for (; k < nrem && rem[k].for_day == day; k++, credits++) {
            remitted += rem[k].amount;
            if (rem[k].value_date > deadline) {
                recon_diff d = {.kind = RECON_REMITTANCE_LATE, .remittance = rem[k], .day = day,
                                .expected = rem[k].amount, .actual = rem[k].amount,
                                .days_late = (int32_t)(rem[k].value_date - deadline)};
                if (put(r, &d) != 0)
                    return -1;
            }
        }
        r->sum->days++;
        recon_diff d = {.day = day, .expected = owed, .actual = remitted};
        if (credits == 0)
            d.kind = RECON_REMITTANCE_MISSING; /* owed > 0: the day exists because of a partner line */
        else if (remitted < owed)
            d.kind = RECON_REMITTANCE_SHORT;
        else if (remitted > owed)
            d.kind = RECON_REMITTANCE_OVER;
        else
            continue;
        if (put(r, &d) != 0)
            return -1;
    }
    return 0;
}

static size_t run_end(const recon_txn *t, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && strcmp(t[j].txn_ref, t[i].txn_ref) == 0)
        j++;
    return j;
}

static int duplicates(run *r, recon_side side, const recon_txn *t, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++) {
        recon_diff d = {.kind = RECON_DUPLICATE, .side = side, .expected = 0, .actual = t[k].amount};
        if (side == RECON_SIDE_OURS)
            d.ours = t[k];
        else
            d.partner = t[k];
        if (put(r, &d) != 0)
            return -1;
    }
    return 0;
}

/* Both sides sorted by reference, walked together one reference at a time. */
static int transaction_level(run *r, const recon_txn *o, size_t no, const recon_txn *p, size_t np)
{
    size_t i = 0, j = 0;
    while (i < no || j < np) {
        int c = i >= no ? 1 : j >= np ? -1 : strcmp(o[i].txn_ref, p[j].txn_ref);
        size_t i2 = c <= 0 ? run_end(o, no, i) : i;
        size_t j2 = c >= 0 ? run_end(p, np, j) : j;
        r->sum->transactions++;
        /* The first line of each side stands for the reference; any further one is a duplicate. */
        if ((i2 > i && duplicates(r, RECON_SIDE_OURS, o, i + 1, i2) != 0) ||
            (j2 > j && duplicates(r, RECON_SIDE_PARTNER, p, j + 1, j2) != 0))
            return -1;
        bool clean = i2 - i <= 1 && j2 - j <= 1;
        if (c > 0) {
            recon_diff d = {.kind = RECON_MISSING_IN_OURS, .partner = p[j], .expected = p[j].amount, .actual = 0};
            if (put(r, &d) != 0)
                return -1;
        } else if (c < 0) {
            recon_diff d = {.kind = RECON_MISSING_AT_PARTNER, .ours = o[i], .expected = 0, .actual = o[i].amount};
            if (put(r, &d) != 0)
                return -1;
        } else {
            recon_diff d = {.ours = o[i], .partner = p[j], .expected = p[j].amount, .actual = o[i].amount};
            if (o[i].amount != p[j].amount) {
                clean = false;
                d.kind = RECON_AMOUNT_DIFFERS;
                if (put(r, &d) != 0)
                    return -1;
            }
            if (strcmp(o[i].customer_code, p[j].customer_code) != 0) {
                clean = false;
                d.kind = RECON_CUSTOMER_DIFFERS;
                if (put(r, &d) != 0)
                    return -1;
            }
            if (clean)
                r->sum->matched++;
        }
        i = i2;
        j = j2;
    }
    return 0;
}

int reconcile(const char *partner_code, recon_txn *ours, size_t nours, recon_txn *partner, size_t npartner,
              remittance *remittances, size_t nremittances, int settlement_days, recon_diff_fn emit, void *ctx,
              recon_summary *sum, pc_err *e)
{
    memset(sum, 0, sizeof *sum);
    if (!partner_code || !*partner_code)
        return pc_errf(e, PC_EINVAL, "the partner code is empty");
    if (settlement_days < 0)
        return pc_errf(e, PC_EINVAL, "settlement window of %d days is negative", settlement_days);
    if (txns_check("our", ours, nours, &sum->ours_total, e) != 0 ||
        txns_check("partner", partner, npartner, &sum->partner_total, e) != 0 ||
        remittances_check(partner_code, remittances, nremittances, &sum->remittances, &sum->remitted_total, e) != 0)
        return -1;
    sum->ours_lines = nours;
    sum->partner_lines = npartner;

    /* This partner's remittances end up contiguous: sorted by partner first. */
    sort(remittances, nremittances, sizeof *remittances, remittance_order);
    size_t r0 = 0;
    while (r0 < nremittances && strcmp(remittances[r0].partner, partner_code) != 0)
        r0++;
    run r = {.emit = emit, .ctx = ctx, .sum = sum};
    sort(partner, npartner, sizeof *partner, txn_by_date);
    if (day_level(&r, partner, npartner, remittances + r0, sum->remittances, settlement_days) != 0)
        return -1;

    sort(partner, npartner, sizeof *partner, txn_by_ref);
    sort(ours, nours, sizeof *ours, txn_by_ref);
    return transaction_level(&r, ours, nours, partner, npartner);
}

double recon_match_rate(const recon_summary *s)
{
    return s->transactions ? (double)s->matched / (double)s->transactions : 1.0;
}

const char *recon_kind_name(recon_kind k)
{
    static const char *names[RECON_KIND_COUNT] = {
        "missing_in_ours",    "missing_at_partner", "amount_differs",  "customer_differs", "duplicate",
        "remittance_missing", "remittance_short",   "remittance_over", "remittance_late",
    };
    return (unsigned)k < RECON_KIND_COUNT ? names[k] : "?";
}
