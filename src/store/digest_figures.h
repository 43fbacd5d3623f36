/* Figures of the daily digest by unit (store side): money collected, the amount falling due in
 * the month (the collection plan) and the read anomalies waiting. One grouped query each for the
 * whole database, so a digest job costs the same for one manager or a thousand. */
#ifndef PC_STORE_DIGEST_FIGURES_H
#define PC_STORE_DIGEST_FIGURES_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* (unit_id, a, b, c) per unit; what a, b, c are depends on the query. */
typedef int (*digest_unit_fn)(void *ctx, int64_t unit_id, int64_t a, int64_t b, int64_t c, const char *text);

/* Payments less reversals dated from month_first to day: a = on `day`, b = from month_first to
 * day, c = the number of payments (not reversals) on `day`. The credit channel (money already
 * held) is not collection. */
int digest_collected_by_unit(db *d, const char *month_first, const char *day, digest_unit_fn fn, void *ctx, pc_err *e);
/* The amount falling due in the month (invoices of periods prev_period and period whose due date
 * lies in [month_first, month_last]; ledger-only receivables left out): a = amount, b = invoices. */
int digest_due_by_unit(db *d, const char *prev_period, const char *period, const char *month_first,
                       const char *month_last, digest_unit_fn fn, void *ctx, pc_err *e);
/* Reads waiting in the anomaly queue: a = count, text = the oldest reading date. */
int digest_anomalies_by_unit(db *d, digest_unit_fn fn, void *ctx, pc_err *e);
/* High-risk customers of a risk run (schema/027): a = count. */
int digest_risk_high_by_unit(db *d, int64_t run_id, digest_unit_fn fn, void *ctx, pc_err *e);

#endif
