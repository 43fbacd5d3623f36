/* Rooftop solar bought from customers: a credit document per customer and month, priced by the
 * decision in force, kept apart from the consumption invoices (DOMAIN 5.7). */
#ifndef PC_APP_SOLAR_H
#define PC_APP_SOLAR_H

#include "base/date.h"
#include "domain/tariff.h"
#include "store/solar.h"

int solar_credit_issue(db *d, const char *actor, const tariff_set *t, const char *customer_code, civil_month period,
                       int64_t kwh, civil_date issue_date, solar_credit_row *out, pc_err *e);

#endif
