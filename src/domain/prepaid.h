/* Prepaid customers' daily charge (DOMAIN 12, docs/prepaid.md): the month-to-date bill of the
 * month-to-date consumption, with every tier quota prorated to the days elapsed, less what the
 * month's earlier charges took. The charges of a month therefore add up to the monthly bill of the
 * same consumption exactly (the last day's month-to-date bill is the monthly bill). Also the two
 * small rules around the balance: when a cut order is due, when a low-balance message goes. */
#ifndef PC_DOMAIN_PREPAID_H
#define PC_DOMAIN_PREPAID_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "domain/tariff.h"

/* The reading period a month-to-date bill rates: from the day before the later of the month's
 * first day and the first prepaid day (since), to day. */
civil_date prepaid_period_start(civil_date since, civil_date day);

/* out = full with every residential tier quota scaled to days / month_days (round half up, at
 * least 1 kWh), cumulated again into tier bounds; days == month_days copies full unchanged.
 * Non-residential prices have no quotas and are copied as they are. */
int prepaid_scale_tariff(const tariff_set *full, int32_t days, int32_t month_days, tariff_set *out, pc_err *e);

typedef struct {
    rate_result mtd;   /* the month-to-date bill (energy, VAT, total) */
    int64_t charge;    /* mtd.total - charged_before: this day's charge (negative: the month's
                          bill fell, when prorated quotas grew over a day without consumption) */
} prepaid_charge;

/* q: the customer's terms with previous_reading = prepaid_period_start(), reading = the charge
 * day and the month-to-date kWh (total or registers); scaled: prepaid_scale_tariff() for the
 * period's days. */
int prepaid_day_charge(const tariff_set *scaled, const rate_request *q, int64_t charged_before, prepaid_charge *out,
                       pc_err *e);

/* A cut order is due on `day` when the balance has stayed below zero since the charge of
 * below_since and grace_days days have passed since then (day - below_since >= grace_days). */
bool prepaid_cut_due(civil_date below_since, civil_date day, int grace_days);

/* A low-balance message goes once per crossing: when the balance is under the threshold and no
 * message went since it last was at or above it. */
bool prepaid_low_due(int64_t balance, int64_t threshold, bool notified);

#endif
