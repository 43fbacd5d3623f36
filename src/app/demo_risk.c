/* The demo's risk runs (issue 10): one run for each month of the demo window that has ended,
 * oldest first, so each run finds the one 3 months before it for debt growth, under the default
 * [risk] parameters with the business sector flagged. */
#include "app/risk.h"

int demo_risk(db *d, const char *actor, civil_month until, int months, pc_err *e)
{
    risk_params p = risk_params_default();
    if (risk_params_set(&p, "sectors", "business", e) < 0)
        return -1;
    civil_date today = date_today(420);
    for (civil_month m = month_add(until, -(months - 1)); months > 0 && m <= until; m = month_add(m, 1)) {
        if (month_last_day(m) >= today)
            break;
        risk_run_row run;
        if (risk_run_month(d, &p, m, today, actor, &run, e) != 0)
            return pc_err_prefix(e, "demo risk run");
    }
    return 0;
}
