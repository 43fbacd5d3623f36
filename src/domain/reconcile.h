/* Reconciliation of third-party collections (DOMAIN 11): our postings through a partner against
 * the partner's statement, transaction by transaction, and the partner's day totals against the
 * bank remittances for that partner. Every difference has a kind. Pure: the caller owns the
 * arrays (they are sorted in place) and receives the differences through a callback. */
#ifndef PC_DOMAIN_RECONCILE_H
#define PC_DOMAIN_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "base/money.h"

#define RECON_REF_MAX 48  /* transaction and remittance references, with the NUL */
#define RECON_CODE_MAX 24 /* customer and partner codes, with the NUL */
#define RECON_SETTLEMENT_DAYS_DEFAULT 1 /* T+1 */

/* One transaction, ours (a posting through the partner) or the partner's (a statement line). */
typedef struct {
    char txn_ref[RECON_REF_MAX]; /* the partner's reference: the matching key */
    char customer_code[RECON_CODE_MAX];
    money amount; /* > 0 */
    civil_date date; /* partner side: the business day the partner owes the money for */
} recon_txn;

/* One credit on the bank statement of the collection account. */
typedef struct {
    char partner[RECON_CODE_MAX];
    civil_date value_date; /* when the bank credited it */
    money amount;          /* > 0 */
    char reference[RECON_REF_MAX];
    /* The partner's business day it pays for. The bank's narrative names it ("THU HO TIEN DIEN
     * NGAY 15/05/2025"); the caller reads it, because lateness cannot be judged from the
     * value date alone: a T+1 credit for the 15th and a same-day one for the 16th look alike. */
    civil_date for_day;
} remittance;

typedef enum {
    /* transaction level */
    RECON_MISSING_IN_OURS,    /* the partner collected it, we have no posting: it must be cleared */
    RECON_MISSING_AT_PARTNER, /* we posted it, the partner's statement does not have it */
    RECON_AMOUNT_DIFFERS,     /* same reference, other amount */
    RECON_CUSTOMER_DIFFERS,   /* same reference, other customer: the money went to the wrong account */
    RECON_DUPLICATE,          /* a reference seen again on one side (side says which) */
    /* day level */
    RECON_REMITTANCE_MISSING, /* the partner owes for the day and nothing was remitted for it */
    RECON_REMITTANCE_SHORT,   /* remitted for the day less than the partner's day total */
    RECON_REMITTANCE_OVER,    /* remitted for the day more than the partner's day total */
    RECON_REMITTANCE_LATE,    /* one remittance credited after the settlement window */
    RECON_KIND_COUNT
} recon_kind;

typedef enum { RECON_SIDE_NONE, RECON_SIDE_OURS, RECON_SIDE_PARTNER } recon_side;

/* A difference, self-contained (copies, not pointers into the arrays being sorted).
 *   missing_in_ours        partner = the line;       expected = its amount, actual = 0
 *   missing_at_partner     ours = the line;          expected = 0, actual = its amount
 *   amount_differs         ours, partner;            expected = partner's amount, actual = ours
 *   customer_differs       ours, partner;            expected/actual = the amounts
 *   duplicate              side; ours or partner = the repeated line (not the first one);
 *                          expected = 0, actual = its amount
 *   remittance_missing     day; expected = partner's day total, actual = 0
 *   remittance_short/over  day; expected = partner's day total, actual = all remitted for the day
 *   remittance_late        day, remittance, days_late (after the window); expected = actual = its amount */
typedef struct {
    recon_kind kind;
    recon_side side;
    recon_txn ours, partner; /* zeroed when not part of the difference */
    remittance remittance;
    civil_date day; /* day-level kinds: the partner's business day */
    money expected, actual;
    int32_t days_late;
} recon_diff;

typedef struct {
    size_t ours_lines, partner_lines, remittances; /* remittances: this partner's only */
    /* 'all' of the match rate: distinct references over both sides together (a reference on
     * both sides counts once, a duplicated one once). */
    size_t transactions;
    /* references found exactly once on each side with the same amount and customer: a
     * reference with any transaction-level difference is not matched. Dates are not compared
     * (we may post a late-evening payment the next day). */
    size_t matched;
    size_t days; /* business days judged at day level */
    size_t count[RECON_KIND_COUNT];
    money ours_total, partner_total, remitted_total;
} recon_summary;

/* Called once per difference, day-level ones first (by day), then transaction-level ones (by
 * reference). A non-zero return stops the run: reconcile then returns -1 and leaves e as the
 * callback's context left it (pass the same pc_err in ctx to fill it). */
typedef int (*recon_diff_fn)(void *ctx, const recon_diff *d);

/* Reconciles one partner. ours and partner: the transactions of the period (any number of
 * days); remittances: the bank credits whose for_day falls in that period (those of other
 * partners are skipped). Days judged are those of the partner's lines and of this partner's
 * remittances. A remittance is on time when value_date <= for_day + settlement_days; a late
 * one still counts toward the day's total (it arrived), and is reported as late as well.
 * On return ours and partner are sorted by reference, remittances by partner and day.
 * Refused before anything is emitted: empty references, amounts that are not positive, totals
 * that overflow, a negative window. Runs in O(n log n), three qsorts and two merges: a million
 * lines a side take about 2 s on one core (-O2), mostly sorting. emit may be NULL (the summary
 * alone). */
int reconcile(const char *partner_code, recon_txn *ours, size_t nours, recon_txn *partner, size_t npartner,
              remittance *remittances, size_t nremittances, int settlement_days, recon_diff_fn emit, void *ctx,
              recon_summary *sum, pc_err *e);

/* matched / transactions, 1.0 when there was nothing to reconcile. */
double recon_match_rate(const recon_summary *s);
/* "missing_in_ours", "missing_at_partner", "amount_differs", "customer_differs", "duplicate",
 * "remittance_missing", "remittance_short", "remittance_over", "remittance_late". */
const char *recon_kind_name(recon_kind k);

#endif
