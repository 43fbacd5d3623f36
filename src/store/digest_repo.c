/* Figures of the daily digest by unit (store/digest_figures.h). */
#include "store/digest_figures.h"

#include "store/adjust.h"
#include "store/legacy.h"

static int each(db_stmt *s, digest_unit_fn fn, void *ctx, pc_err *e)
{
    int rc, status = 0;
    while ((rc = db_step(s, e)) == 1)
        if ((status = fn(ctx, db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2), db_col_int(s, 3),
                         db_col_text(s, 4))) != 0)
            break;
    db_reset(s);
    return rc < 0 ? -1 : status;
}

int digest_collected_by_unit(db *d, const char *month_first, const char *day, digest_unit_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT c.unit_id, sum(CASE WHEN p.paid_date = ? THEN p.amount ELSE 0 END), sum(p.amount), "
                            "sum(CASE WHEN p.paid_date = ? AND p.amount > 0 THEN 1 ELSE 0 END), '' "
                            "FROM payment p JOIN customer c ON c.id = p.customer_id "
                            "WHERE p.paid_date >= ? AND p.paid_date <= ? AND p.channel <> 'credit' GROUP BY c.unit_id",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, day);
    db_bind_text(s, 2, day);
    db_bind_text(s, 3, month_first);
    db_bind_text(s, 4, day);
    return each(s, fn, ctx, e);
}

int digest_due_by_unit(db *d, const char *prev_period, const char *period, const char *month_first,
                       const char *month_last, digest_unit_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT unit_id, sum(total), count(*), 0, '' FROM invoice "
                               "WHERE period IN (?, ?) AND due_date >= ? AND due_date <= ? AND symbol NOT IN (?, ?) "
                               "GROUP BY unit_id",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, prev_period);
    db_bind_text(s, 2, period);
    db_bind_text(s, 3, month_first);
    db_bind_text(s, 4, month_last);
    db_bind_text(s, 5, LEGACY_SYMBOL);
    db_bind_text(s, 6, ADJUST_TRANSFER_SYMBOL);
    return each(s, fn, ctx, e);
}

int digest_anomalies_by_unit(db *d, digest_unit_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.unit_id, count(*), 0, 0, min(r.read_date) FROM meter_read r "
                               "JOIN customer c ON c.id = r.customer_id WHERE r.status = 'flagged' GROUP BY c.unit_id",
                            e);
    if (!s)
        return -1;
    return each(s, fn, ctx, e);
}

int digest_risk_high_by_unit(db *d, int64_t run_id, digest_unit_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT unit_id, count(*), 0, 0, '' FROM risk_result WHERE run_id = ? AND class = 'high' "
                               "GROUP BY unit_id",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, run_id);
    return each(s, fn, ctx, e);
}
