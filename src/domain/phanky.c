/* Phân kỳ rule (DOMAIN 4): < 50,000 kWh a month on average: 1 period; 50,000 to < 100,000: 2;
 * 100,000 and more: 3 (defaults; the thresholds are configuration). */
#include "domain/phanky.h"

phanky_rules phanky_rules_default(void)
{
    return (phanky_rules){50000, 100000};
}

int phanky_rules_check(const phanky_rules *r, pc_err *e)
{
    if (r->two_periods_kwh <= 0 || r->three_periods_kwh <= r->two_periods_kwh)
        return pc_errf(e, PC_EINVAL,
                       "phân kỳ thresholds must be positive and increasing (2 periods from %lld kWh, 3 from %lld kWh)",
                       (long long)r->two_periods_kwh, (long long)r->three_periods_kwh);
    return 0;
}

int64_t phanky_average_kwh(const int64_t *kwh, int months)
{
    if (months < 1 || months > 3)
        return -1;
    int64_t sum = 0;
    for (int i = 0; i < months; i++) {
        if (kwh[i] < 0)
            return -1;
        sum += kwh[i];
    }
    return (sum * 2 + months) / (months * 2); /* half up */
}

int phanky_required_periods(const phanky_rules *r, int64_t avg_kwh)
{
    if (avg_kwh >= r->three_periods_kwh)
        return 3;
    if (avg_kwh >= r->two_periods_kwh)
        return 2;
    return 1;
}

phanky_status phanky_compare(int required, int configured)
{
    if (configured < required)
        return PHANKY_NEEDS_MORE;
    if (configured > required)
        return PHANKY_NEEDS_FEWER;
    return PHANKY_OK;
}

const char *phanky_status_name(phanky_status s)
{
    static const char *const names[] = {"ok", "needs_more", "needs_fewer"};
    return names[s];
}
