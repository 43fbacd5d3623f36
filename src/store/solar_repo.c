/* SQL for rooftop-solar credit documents (see solar.h). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/solar.h"

int solar_credit_insert(db *d, solar_credit_row *r, const char *actor, pc_err *e)
{
    /* The number is taken in the transaction that stores the document: gapless per year. */
    db_stmt *n = db_prepare(d, "SELECT COALESCE(max(number), 0) + 1 FROM solar_credit WHERE year = ?", e);
    if (!n)
        return -1;
    db_bind_int(n, 1, r->year);
    if (db_step(n, e) != 1) {
        db_reset(n);
        return -1;
    }
    r->number = db_col_int(n, 0);
    db_reset(n);
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO solar_credit (customer_id, period, year, number, kwh, price, amount, decision, "
                               "issue_date, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->customer_id);
    db_bind_text(s, 2, r->period);
    db_bind_int(s, 3, r->year);
    db_bind_int(s, 4, r->number);
    db_bind_int(s, 5, r->kwh);
    db_bind_int(s, 6, r->price);
    db_bind_int(s, 7, r->amount);
    db_bind_text(s, 8, r->decision);
    db_bind_text(s, 9, r->issue_date);
    db_bind_text(s, 10, timestamp_now(ts));
    db_bind_text(s, 11, actor);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "period: %s already has a solar credit for %s", r->customer_code, r->period);
        return -1;
    }
    r->id = db_last_insert_id(d);
    return 0;
}

int solar_credit_list(db *d, const char *customer_code, const char *period, solar_credit_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT s.id, s.customer_id, c.code, s.period, s.year, s.number, s.kwh, s.price, s.amount, "
                               "s.decision, s.issue_date FROM solar_credit s JOIN customer c ON c.id = s.customer_id "
                               "WHERE (? IS NULL OR c.code = ?) AND (? IS NULL OR s.period = ?) ORDER BY s.year, s.number", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, customer_code);
    db_bind_text(s, 2, customer_code);
    db_bind_text(s, 3, period);
    db_bind_text(s, 4, period);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        solar_credit_row r;
        memset(&r, 0, sizeof r);
        r.id = db_col_int(s, 0);
        r.customer_id = db_col_int(s, 1);
        snprintf(r.customer_code, sizeof r.customer_code, "%s", db_col_text(s, 2));
        snprintf(r.period, sizeof r.period, "%s", db_col_text(s, 3));
        r.year = (int)db_col_int(s, 4);
        r.number = db_col_int(s, 5);
        r.kwh = db_col_int(s, 6);
        r.price = db_col_int(s, 7);
        r.amount = db_col_int(s, 8);
        snprintf(r.decision, sizeof r.decision, "%s", db_col_text(s, 9));
        snprintf(r.issue_date, sizeof r.issue_date, "%s", db_col_text(s, 10));
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
