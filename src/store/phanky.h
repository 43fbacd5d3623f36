/* Repository of the read-control figures (DOMAIN 4, issue 7): each non-residential customer's
 * billed consumption by month for the phân kỳ control, and each meter's automatic reads for the
 * AMR figures. Reads only; the rules (average, periods required, percentages) are the caller's. */
#ifndef PC_STORE_PHANKY_H
#define PC_STORE_PHANKY_H

#include <stdint.h>

#include "base/err.h"
#include "domain/phanky.h"
#include "store/db.h"

/* One active customer whose contract in force on the as-of date is not residential, with its
 * last billed months of the window, newest first. A month's kWh is the sum of the kWh of the
 * customer's invoices of that period (several a month for a customer read 2 or 3 times),
 * adjusting invoices adding their difference; an invoice replaced by a replacing invoice (and an
 * adjustment of it) is left out, the replacing one counts instead. Ledger-only receivables
 * (symbols LEGACY and TRANSFER: debts brought from other systems or moved between customers)
 * bill no energy and are not billed months. months may be 0 (nothing billed in the window). */
typedef struct {
    int64_t customer_id;
    char customer_code[16];
    char customer_name[256];
    char unit[16];  /* the customer's unit code */
    int configured; /* periods_per_month of the contract in force on the as-of date */
    int months;     /* 0 .. PHANKY_MONTHS */
    char period[PHANKY_MONTHS][8];
    int64_t kwh[PHANKY_MONTHS]; /* never negative (a month corrected below zero counts as 0) */
} phanky_consumption;
typedef int (*phanky_consumption_fn)(void *ctx, const phanky_consumption *c, pc_err *e);
/* Every such customer under scope_path (NULL: all), in customer key order (not by code: the
 * table's own order is the fast pass), with the billed
 * months of periods first_period..last_period (YYYY-MM). as_of: ISO date. */
int phanky_consumption_scan(db *d, const char *scope_path, const char *as_of, const char *first_period,
                            const char *last_period, phanky_consumption_fn fn, void *ctx, pc_err *e);

/* One meter installed on the month's last day (installed_on ≤ it, not removed by it) of an
 * active customer with a contract in force that day. received: the distinct days of the month
 * with a regular read of this meter whose source marks it automatic ('amr', 'amr:<file>'). */
typedef struct {
    char unit[16];
    int amr;               /* 1: an automatic (AMR) meter */
    int periods_per_month; /* of the contract in force on the month's last day */
    int64_t received;
} amr_meter;
typedef int (*amr_meter_fn)(void *ctx, const amr_meter *m, pc_err *e);
/* first, last: the month's first and last day (ISO). Ordered by unit code. */
int amr_meter_scan(db *d, const char *scope_path, const char *first, const char *last, amr_meter_fn fn, void *ctx,
                   pc_err *e);

#endif
