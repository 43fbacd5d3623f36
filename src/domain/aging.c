/* Aging buckets and provisioning (DOMAIN 9). The boundaries are calendar months from the due
 * date, clamped to the month's end: an invoice due on 30 November is 3 months overdue from
 * 28 (or 29) February. */
#include "domain/aging.h"

#include <string.h>

const char *const aging_bucket_field[AGING_BUCKETS] = {"not_due", "lt_3m", "m3_6", "m6_12", "y1_2", "y2_3", "ge_3y"};
const char *const aging_bucket_heading_vi[AGING_BUCKETS] = {
    "Chưa đến hạn", "Quá hạn dưới 3 tháng", "Từ 3 đến dưới 6 tháng", "Từ 6 đến dưới 12 tháng",
    "Từ 1 đến dưới 2 năm", "Từ 2 đến dưới 3 năm", "Từ 3 năm trở lên"};

static const int cut_months[AGING_CUTS] = {3, 6, 9, 12, 24, 36};

aging_bucket aging_bucket_of_slice(aging_slice s)
{
    static const aging_bucket map[AGING_SLICES] = {AGING_NOT_DUE, AGING_LT_3M, AGING_M3_6, AGING_M6_12,
                                                   AGING_M6_12,   AGING_Y1_2,  AGING_Y2_3, AGING_GE_3Y};
    return map[s];
}

aging_slice aging_slice_of(civil_date due, civil_date as_of)
{
    if (as_of <= due)
        return AGING_S_NOT_DUE;
    int k = AGING_CUTS - 1;
    while (k >= 0 && as_of < date_add_months(due, cut_months[k]))
        k--;
    /* k = -1: under 3 months; k = AGING_CUT_3M: 3 to under 6; … */
    return (aging_slice)(AGING_S_LT_3M + 1 + k);
}

aging_bucket aging_bucket_of(civil_date due, civil_date as_of)
{
    return aging_bucket_of_slice(aging_slice_of(due, as_of));
}

/* The latest due date that has reached `months` on as_of. date_add_months never decreases as
 * the due date grows, so the dates that have reached it form a prefix: start from as_of less
 * the months and step to its edge (clamping makes several due dates share one boundary). */
static civil_date latest_due_reaching(civil_date as_of, int months)
{
    civil_date c = date_add_months(as_of, -months);
    while (date_add_months(c, months) > as_of)
        c--;
    while (date_add_months(c + 1, months) <= as_of)
        c++;
    return c;
}

void aging_cutoffs_of(civil_date as_of, aging_cutoffs *out)
{
    out->as_of = as_of;
    for (int k = 0; k < AGING_CUTS; k++)
        out->reached[k] = latest_due_reaching(as_of, cut_months[k]);
}

aging_slice aging_slice_by_cutoffs(civil_date due, const aging_cutoffs *c)
{
    if (due >= c->as_of)
        return AGING_S_NOT_DUE;
    int k = AGING_CUTS - 1;
    while (k >= 0 && due > c->reached[k])
        k--;
    return (aging_slice)(AGING_S_LT_3M + 1 + k);
}

void aging_buckets_of_slices(const int64_t slices[AGING_SLICES], int64_t buckets[AGING_BUCKETS])
{
    memset(buckets, 0, sizeof(int64_t) * AGING_BUCKETS);
    for (int s = 0; s < AGING_SLICES; s++)
        buckets[aging_bucket_of_slice((aging_slice)s)] += slices[s];
}

int aging_provision_rate(aging_slice s, provision_scheme scheme)
{
    static const int general[AGING_SLICES] = {0, 0, 0, 30, 30, 50, 70, 100};
    static const int special[AGING_SLICES] = {0, 0, 30, 50, 70, 100, 100, 100};
    return scheme == PROVISION_SPECIAL ? special[s] : general[s];
}

int64_t aging_provision(const int64_t slices[AGING_SLICES], provision_scheme scheme)
{
    /* In hundredths of a đồng, then rounded once: a provision of a total is the provision of
     * its amounts, not a sum of rounded parts. Negative open amounts (credit notes) never
     * reach here: open items are positive. */
    int64_t hundredths = 0;
    for (int s = 0; s < AGING_SLICES; s++)
        hundredths += slices[s] * aging_provision_rate((aging_slice)s, scheme);
    return (hundredths + 50) / 100;
}

int provision_scheme_parse(const char *s, provision_scheme *out)
{
    if (s && strcmp(s, "general") == 0)
        *out = PROVISION_GENERAL;
    else if (s && strcmp(s, "special") == 0)
        *out = PROVISION_SPECIAL;
    else
        return -1;
    return 0;
}

const char *provision_scheme_name(provision_scheme s)
{
    return s == PROVISION_SPECIAL ? "special" : "general";
}
