/* The managers' daily digest (DOMAIN 13): at 07:00 each manager who asked for it receives, for
 * the scope of the account, yesterday's figures — phân kỳ exceptions, money collected against
 * the month's plan, the debt by age bucket and how it moved during the day, the read anomalies
 * waiting — as text (Vietnamese or English) and, by e-mail, a chart. The figures are loaded once
 * per day for every unit and summed per scope, so a thousand managers cost one pass. */
#ifndef PC_APP_DIGEST_H
#define PC_APP_DIGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "app/config.h"
#include "app/digest_outages.h"
#include "base/buf.h"
#include "base/date.h"
#include "domain/aging.h"
#include "store/db.h"
#include "store/users.h"

typedef struct {
    int64_t id;
    char code[16], name[256], path[160];
    int64_t collected_day, payments_day, collected_month, plan_month;
    int64_t anomalies;
    char oldest_anomaly[11];
    int64_t debt[AGING_BUCKETS], debt_before[AGING_BUCKETS]; /* end of yesterday / of the day before */
    int64_t phanky_checked, phanky_ok, phanky_more, phanky_fewer;
    int64_t service_overdue, service_at_risk; /* requests past their step's deadline / due by the next working day */
    int64_t risk_high, risk_high_before; /* the latest risk run's high-risk customers, the run before's */
    int64_t prepaid_accounts, prepaid_below_zero, prepaid_low; /* active prepaid accounts (028) */
} digest_unit;

/* A phân kỳ exception, for the list under the counts (the first few per scope). */
typedef struct {
    char unit_path[160];
    char customer_code[16];
    char customer_name[256];
    int64_t avg_kwh;
    int required, configured;
    bool needs_more;
} digest_phanky_exception;

typedef struct {
    civil_date date;        /* the digest's day */
    civil_date figures_day; /* the day its figures close: the day before */
    digest_unit *units;
    int n;
    digest_phanky_exception *exceptions;
    int nexceptions;
    char risk_month[8], risk_month_before[8]; /* "" when no risk run (issue 10) */
    digest_outages outages; /* app/digest_outages.h */
    int64_t prepaid_low_balance; /* [prepaid] low_balance, for the text */
} digest_data;

/* Loads every unit's figures for the digest of `date`. */
int digest_data_load(db *d, const pc_config *cfg, civil_date date, digest_data *out, pc_err *e);
void digest_data_free(digest_data *dd);

/* The digest of one account: subject line, text body, and the chart PNG (png may be NULL).
 * The scope is the account's; lang "vi" or "en". */
int digest_render(const digest_data *dd, const user_row *u, buf *subject, buf *text, buf *png, pc_err *e);

#endif
