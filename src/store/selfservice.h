/* Repository of what a customer sees of their own account on the public self-service page
 * (issue 8): their latest bills with what is left to pay, their monthly consumption and their
 * latest payment. Read-only. */
#ifndef PC_STORE_SELFSERVICE_H
#define PC_STORE_SELFSERVICE_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    char period[8];
    char kind[12]; /* regular, adjusting, replacing */
    char symbol[16];
    int64_t number;
    char issue_date[11], due_date[11];
    int64_t kwh, total;
    int64_t due;  /* total - credit used at issue: what the bill asked to be paid */
    int64_t open; /* what is left of it today (0 when settled) */
} self_bill;

/* The customer's latest bills, newest period first (at most max). */
int self_bills(db *d, int64_t customer_id, self_bill *out, int max, int *n, pc_err *e);

typedef struct {
    char month[8]; /* YYYY-MM of the read date */
    int64_t kwh;
} self_month;

/* kWh per month from the customer's accepted reads (initial reads measure nothing), the latest
 * max months, oldest first. */
int self_consumption(db *d, int64_t customer_id, self_month *out, int max, int *n, pc_err *e);

/* The latest payment that was not reversed; *found 0 when there is none. */
int self_last_payment(db *d, int64_t customer_id, char paid_at[32], int64_t *amount, int *found, pc_err *e);

#endif
