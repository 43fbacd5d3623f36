/* Rooftop-solar credit documents (see solar.h). */
#include "app/solar.h"
#include "app/audit.h"

#include <stdio.h>
#include <string.h>

#include "store/invoices.h"
#include "store/repo.h"

int solar_credit_issue(db *d, const char *actor, const tariff_set *t, const char *customer_code, civil_month period,
                       int64_t kwh, civil_date issue_date, solar_credit_row *out, pc_err *e)
{
    solar_credit credit;
    if (tariff_solar_credit(t, month_last_day(period), kwh, &credit, e) != 0)
        return -1;
    customer c;
    if (db_begin(d, e) != 0)
        return -1;
    if (customer_get(d, customer_code, NULL, &c, e) != 0)
        goto fail;
    memset(out, 0, sizeof *out);
    out->customer_id = c.id;
    snprintf(out->customer_code, sizeof out->customer_code, "%s", c.code);
    month_format(period, out->period);
    int y, m, dd;
    date_to_ymd(issue_date, &y, &m, &dd);
    out->year = y;
    out->kwh = credit.kwh;
    out->price = credit.price;
    out->amount = credit.amount;
    snprintf(out->decision, sizeof out->decision, "%s", credit.decision);
    date_format(issue_date, out->issue_date);
    if (solar_credit_insert(d, out, actor, e) != 0 ||
        credit_add(d, c.id, "solar", out->id, 0, out->amount, actor, e) != 0)
        goto fail;
    char key[32];
    snprintf(key, sizeof key, "PV%02d-%lld", out->year % 100, (long long)out->number);
    if (audit_event(d, actor, "solar.credit", "solar_credit", key,
                    json_pack("{s:s, s:s, s:I, s:I, s:I, s:s}", "customer", c.code, "period", out->period, "kwh",
                              (json_int_t)out->kwh, "price", (json_int_t)out->price, "amount", (json_int_t)out->amount,
                              "decision", out->decision),
                    e) != 0)
        goto fail;
    return db_commit(d, e);
fail:
    db_rollback(d);
    return -1;
}
