/* Repository of the self-service page (store/selfservice.h). */
#include "store/selfservice.h"

#include <stdio.h>
#include <string.h>

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

int self_bills(db *d, int64_t customer_id, self_bill *out, int max, int *n, pc_err *e)
{
    /* open_item holds only what is still open: a bill missing from it is settled */
    db_stmt *s = db_prepare(d, "SELECT i.period, i.kind, i.symbol, i.number, i.issue_date, i.due_date, i.kwh, i.total, "
                               "i.total - i.credit_applied, COALESCE(o.open, 0) "
                               "FROM invoice i LEFT JOIN open_item o ON o.invoice_id = i.id "
                               "WHERE i.customer_id = ? ORDER BY i.period DESC, i.issue_date DESC, i.number DESC LIMIT ?",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_int(s, 2, max);
    *n = 0;
    int rc;
    while ((rc = db_step(s, e)) == 1 && *n < max) {
        self_bill *b = &out[(*n)++];
        memset(b, 0, sizeof *b);
        copy(b->period, sizeof b->period, db_col_text(s, 0));
        copy(b->kind, sizeof b->kind, db_col_text(s, 1));
        copy(b->symbol, sizeof b->symbol, db_col_text(s, 2));
        b->number = db_col_int(s, 3);
        copy(b->issue_date, sizeof b->issue_date, db_col_text(s, 4));
        copy(b->due_date, sizeof b->due_date, db_col_text(s, 5));
        b->kwh = db_col_int(s, 6);
        b->total = db_col_int(s, 7);
        b->due = db_col_int(s, 8);
        b->open = db_col_int(s, 9);
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int self_consumption(db *d, int64_t customer_id, self_month *out, int max, int *n, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT substr(read_date, 1, 7) AS m, sum(kwh_total) FROM meter_read "
                               "WHERE customer_id = ? AND status IN ('ok', 'approved') AND kind <> 'initial' "
                               "AND kwh_total IS NOT NULL GROUP BY substr(read_date, 1, 7) ORDER BY m DESC LIMIT ?",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_int(s, 2, max);
    int k = 0, rc;
    while ((rc = db_step(s, e)) == 1 && k < max) {
        copy(out[k].month, sizeof out[k].month, db_col_text(s, 0));
        out[k].kwh = db_col_int(s, 1);
        k++;
    }
    db_reset(s);
    if (rc < 0)
        return -1;
    /* newest first from the query; a chart reads left to right, oldest first */
    for (int i = 0; i < k / 2; i++) {
        self_month t = out[i];
        out[i] = out[k - 1 - i];
        out[k - 1 - i] = t;
    }
    *n = k;
    return 0;
}

int self_last_payment(db *d, int64_t customer_id, char paid_at[32], int64_t *amount, int *found, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT p.paid_at, p.amount FROM payment p WHERE p.customer_id = ? AND p.amount > 0 "
                               "AND p.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM payment r WHERE "
                               "r.customer_id = p.customer_id AND r.reverses_id = p.id) "
                               "ORDER BY p.paid_at DESC, p.id DESC LIMIT 1",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc = db_step(s, e);
    *found = rc == 1;
    if (rc == 1) {
        copy(paid_at, 32, db_col_text(s, 0));
        *amount = db_col_int(s, 1);
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
