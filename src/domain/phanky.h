/* Meter-reading period control, phân kỳ (DOMAIN 4): how many reading and billing periods a month
 * a non-residential customer needs from its average monthly consumption over the last 3 billed
 * months, and how that compares with the periods configured on its contract. Pure functions; the
 * thresholds are configuration (defaults marked for verification in DOMAIN 4). */
#ifndef PC_DOMAIN_PHANKY_H
#define PC_DOMAIN_PHANKY_H

#include <stdint.h>

#include "base/err.h"

#define PHANKY_MONTHS 3 /* billed months the average is taken over (DOMAIN 4) */

typedef struct {
    int64_t two_periods_kwh;   /* average at or above it: 2 periods a month (default 50,000) */
    int64_t three_periods_kwh; /* at or above it: 3 periods a month (default 100,000) */
} phanky_rules;

typedef enum { PHANKY_OK, PHANKY_NEEDS_MORE, PHANKY_NEEDS_FEWER } phanky_status;

phanky_rules phanky_rules_default(void);
/* The thresholds must be positive and increasing. */
int phanky_rules_check(const phanky_rules *r, pc_err *e);

/* The average of the billed months' consumption (1 to 3 of them), rounded half up to the kWh;
 * -1 when months is not 1 to 3 or a month's consumption is negative. */
int64_t phanky_average_kwh(const int64_t *kwh, int months);
/* Periods a month the rule requires for an average monthly consumption. */
int phanky_required_periods(const phanky_rules *r, int64_t avg_kwh);
/* The direction of the mismatch between the required and the configured periods. */
phanky_status phanky_compare(int required, int configured);
/* "ok", "needs_more", "needs_fewer" */
const char *phanky_status_name(phanky_status s);

#endif
