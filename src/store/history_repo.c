/* A customer's history and billing runs (store/history.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "store/history.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

/* A page of a customer's rows: *total from count_sql, then the rows of sql (customer id, limit,
 * offset) through each(x, statement), which stops the walk by returning non-zero. */
static int customer_page(db *d, const char *count_sql, const char *sql, int64_t customer_id, int limit, int offset,
                         int (*each)(void *x, db_stmt *s), void *x, int64_t *total, pc_err *e)
{
    db_stmt *s = db_prepare(d, count_sql, e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc = db_step(s, e);
    *total = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    if (rc < 0 || !(s = db_prepare(d, sql, e)))
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_int(s, 2, limit);
    db_bind_int(s, 3, offset);
    while ((rc = db_step(s, e)) == 1)
        if (each(x, s) != 0) {
            db_reset(s);
            return -1;
        }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

typedef struct {
    invoice_summary_fn fn;
    void *ctx;
} invoice_walk;

static int invoice_each(void *x, db_stmt *s)
{
    invoice_summary v;
    memset(&v, 0, sizeof v);
    v.id = db_col_int(s, 0);
    COPY(v.symbol, db_col_text(s, 1));
    v.number = db_col_int(s, 2);
    COPY(v.kind, db_col_text(s, 3));
    COPY(v.period, db_col_text(s, 4));
    COPY(v.issue_date, db_col_text(s, 5));
    COPY(v.due_date, db_col_text(s, 6));
    v.kwh = db_col_int(s, 7);
    v.energy = db_col_int(s, 8);
    v.vat = db_col_int(s, 9);
    v.total = db_col_int(s, 10);
    v.credit_applied = db_col_int(s, 11);
    v.open = db_col_int(s, 12);
    invoice_walk *w = x;
    return w->fn(w->ctx, &v);
}

int customer_invoices(db *d, int64_t customer_id, int limit, int offset, invoice_summary_fn fn, void *ctx,
                      int64_t *total, pc_err *e)
{
    invoice_walk w = {fn, ctx};
    return customer_page(d, "SELECT count(*) FROM invoice WHERE customer_id = ?",
                         "SELECT i.id, i.symbol, i.number, i.kind, i.period, i.issue_date, i.due_date, i.kwh, "
                         "i.energy, i.vat, i.total, i.credit_applied, COALESCE(o.open, 0) "
                         "FROM invoice i LEFT JOIN open_item o ON o.invoice_id = i.id "
                         "WHERE i.customer_id = ? ORDER BY i.issue_date DESC, i.id DESC LIMIT ? OFFSET ?",
                         customer_id, limit, offset, invoice_each, &w, total, e);
}

typedef struct {
    payment_summary_fn fn;
    void *ctx;
} payment_walk;

static int payment_each(void *x, db_stmt *s)
{
    payment_summary p;
    memset(&p, 0, sizeof p);
    p.id = db_col_int(s, 0);
    COPY(p.receipt_no, db_col_text(s, 1));
    COPY(p.channel, db_col_text(s, 2));
    COPY(p.method, db_col_text(s, 3));
    p.amount = db_col_int(s, 4);
    COPY(p.paid_at, db_col_text(s, 5));
    COPY(p.paid_date, db_col_text(s, 6));
    p.reverses_id = db_col_int(s, 7);
    p.reversed = db_col_int(s, 8) != 0;
    payment_walk *w = x;
    return w->fn(w->ctx, &p);
}

int customer_payments(db *d, int64_t customer_id, int limit, int offset, payment_summary_fn fn, void *ctx,
                      int64_t *total, pc_err *e)
{
    payment_walk w = {fn, ctx};
    return customer_page(d, "SELECT count(*) FROM payment WHERE customer_id = ?",
                         "SELECT p.id, p.receipt_no, p.channel, p.method, p.amount, p.paid_at, p.paid_date, "
                         "p.reverses_id, EXISTS (SELECT 1 FROM payment r WHERE r.reverses_id = p.id) "
                         "FROM payment p WHERE p.customer_id = ? ORDER BY p.paid_at DESC, p.id DESC "
                         "LIMIT ? OFFSET ?",
                         customer_id, limit, offset, payment_each, &w, total, e);
}

int customer_consumption(db *d, int64_t customer_id, const char *from, const char *to, month_kwh_fn fn, void *ctx,
                         pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT substr(read_date, 1, 7) AS m, "
                               "sum(COALESCE(kwh_total, COALESCE(kwh_normal, 0) + COALESCE(kwh_peak, 0) + "
                               "COALESCE(kwh_offpeak, 0))), count(*) "
                               "FROM meter_read WHERE customer_id = ? AND status IN ('ok', 'approved') "
                               "AND kind <> 'initial' AND (kwh_total IS NOT NULL OR kwh_normal IS NOT NULL) "
                               "AND substr(read_date, 1, 7) >= ? AND substr(read_date, 1, 7) <= ? "
                               "GROUP BY substr(read_date, 1, 7) ORDER BY m", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, from);
    db_bind_text(s, 3, to);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        char period[8];
        COPY(period, db_col_text(s, 0));
        if (fn(ctx, period, db_col_int(s, 1), db_col_int(s, 2)) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- billing runs ---- */

#define RUN_COLS                                                                                               \
    "id, period, scope_code, scope_path, route, issue_date, status, started_at, finished_at, started_by, "      \
    "idem_key, request_hash, customers, invoices, reads, kwh, energy, vat, total, credit, zero, error"

static void run_from_row(db_stmt *s, billing_run_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(s, 0);
    COPY(r->period, db_col_text(s, 1));
    COPY(r->scope_code, db_col_text(s, 2));
    COPY(r->scope_path, db_col_text(s, 3));
    COPY(r->route, db_col_text(s, 4));
    COPY(r->issue_date, db_col_text(s, 5));
    COPY(r->status, db_col_text(s, 6));
    COPY(r->started_at, db_col_text(s, 7));
    COPY(r->finished_at, db_col_text(s, 8));
    COPY(r->started_by, db_col_text(s, 9));
    COPY(r->idem_key, db_col_text(s, 10));
    COPY(r->request_hash, db_col_text(s, 11));
    int64_t *n[] = {&r->customers, &r->invoices, &r->reads, &r->kwh, &r->energy,
                    &r->vat,       &r->total,    &r->credit, &r->zero};
    for (int i = 0; i < 9; i++)
        *n[i] = db_col_int(s, 12 + i);
    COPY(r->error, db_col_text(s, 21));
}

int billing_run_insert(db *d, billing_run_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO billing_run (period, scope_code, scope_path, route, issue_date, status, "
                               "started_at, started_by, idem_key, request_hash) "
                               "VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, r->period);
    db_bind_text(s, 2, r->scope_code);
    db_bind_text(s, 3, r->scope_path);
    db_bind_text(s, 4, r->route[0] ? r->route : NULL);
    db_bind_text(s, 5, r->issue_date);
    db_bind_text(s, 6, r->started_at);
    db_bind_text(s, 7, r->started_by);
    db_bind_text(s, 8, r->idem_key[0] ? r->idem_key : NULL);
    db_bind_text(s, 9, r->request_hash[0] ? r->request_hash : NULL);
    if (db_run(s, e) != 0)
        return -1;
    r->id = db_last_insert_id(d);
    return 0;
}

int billing_run_finish(db *d, const billing_run_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE billing_run SET status = ?, finished_at = ?, customers = ?, invoices = ?, "
                               "reads = ?, kwh = ?, energy = ?, vat = ?, total = ?, credit = ?, zero = ?, error = ?, "
                               "idem_key = ? WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, r->status);
    db_bind_text(s, 2, r->finished_at);
    const int64_t n[] = {r->customers, r->invoices, r->reads, r->kwh, r->energy, r->vat, r->total, r->credit, r->zero};
    for (int i = 0; i < 9; i++)
        db_bind_int(s, 3 + i, n[i]);
    db_bind_text(s, 12, r->error[0] ? r->error : NULL);
    db_bind_text(s, 13, r->idem_key[0] ? r->idem_key : NULL);
    db_bind_int(s, 14, r->id);
    return db_run(s, e);
}

int billing_run_delete(db *d, int64_t id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM billing_run WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    return db_run(s, e);
}

int billing_run_get(db *d, int64_t id, billing_run_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " RUN_COLS " FROM billing_run WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        run_from_row(s, out);
    db_reset(s);
    if (rc < 0)
        return -1;
    return rc == 0 ? pc_errf(e, PC_ENOTFOUND, "billing run %lld does not exist", (long long)id) : 0;
}

int billing_run_by_key(db *d, const char *started_by, const char *key, billing_run_row *out, bool *found, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " RUN_COLS " FROM billing_run WHERE started_by = ? AND idem_key = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, started_by);
    db_bind_text(s, 2, key);
    int rc = db_step(s, e);
    *found = rc == 1;
    if (rc == 1)
        run_from_row(s, out);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

#define RUN_WHERE                                                                                              \
    "WHERE (? IS NULL OR substr(scope_path, 1, length(CAST(? AS TEXT))) = ?) AND (? IS NULL OR period = ?) "

static void bind_run_filter(db_stmt *s, const char *scope_path, const char *period)
{
    for (int i = 1; i <= 3; i++)
        db_bind_text(s, i, scope_path);
    db_bind_text(s, 4, period);
    db_bind_text(s, 5, period);
}

int billing_run_list(db *d, const char *scope_path, const char *period, int limit, int offset, billing_run_fn fn,
                     void *ctx, int64_t *total, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT count(*) FROM billing_run " RUN_WHERE, e);
    if (!s)
        return -1;
    bind_run_filter(s, scope_path, period);
    int rc = db_step(s, e);
    *total = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    if (rc < 0 || !(s = db_prepare(d, "SELECT " RUN_COLS " FROM billing_run " RUN_WHERE "ORDER BY id DESC LIMIT ? OFFSET ?", e)))
        return -1;
    bind_run_filter(s, scope_path, period);
    db_bind_int(s, 6, limit);
    db_bind_int(s, 7, offset);
    while ((rc = db_step(s, e)) == 1) {
        billing_run_row r;
        run_from_row(s, &r);
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
