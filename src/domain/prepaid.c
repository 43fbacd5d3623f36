/* Prepaid daily charge and balance rules (see prepaid.h). */
#include "domain/prepaid.h"

#include <string.h>

#include "domain/rounding.h"

civil_date prepaid_period_start(civil_date since, civil_date day)
{
    civil_date first = month_first_day(month_of(day));
    civil_date from = since > first ? since : first;
    return from - 1;
}

int prepaid_scale_tariff(const tariff_set *full, int32_t days, int32_t month_days, tariff_set *out, pc_err *e)
{
    if (days < 1 || month_days < 28 || month_days > 31 || days > month_days)
        return pc_errf(e, PC_EINVAL, "prepaid: %d days of a %d-day month is not a month-to-date period", days,
                       month_days);
    memcpy(out, full, sizeof *out);
    if (days == month_days)
        return 0;
    for (int s = 0; s < out->nres; s++) {
        residential_schedule *r = &out->res[s];
        int64_t below = 0, scaled_below = 0;
        for (int i = 0; i < r->ntiers; i++) {
            if (r->tiers[i].upto < 0)
                break;
            int64_t quota = r->tiers[i].upto - below, part;
            below = r->tiers[i].upto;
            if (!round_half_up_muldiv(quota, days, month_days, &part))
                return pc_errf(e, PC_EINVAL, "prepaid: tier %d quota overflows", i + 1);
            if (part < 1)
                part = 1;
            scaled_below += part;
            r->tiers[i].upto = scaled_below;
        }
    }
    return 0;
}

int prepaid_day_charge(const tariff_set *scaled, const rate_request *q, int64_t charged_before, prepaid_charge *out,
                       pc_err *e)
{
    if (tariff_rate(scaled, q, &out->mtd, e) != 0)
        return -1;
    out->charge = out->mtd.total - charged_before;
    return 0;
}

bool prepaid_cut_due(civil_date below_since, civil_date day, int grace_days)
{
    return date_days_between(below_since, day) >= grace_days;
}

bool prepaid_low_due(int64_t balance, int64_t threshold, bool notified)
{
    return balance < threshold && !notified;
}
