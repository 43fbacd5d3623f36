/* SQL for debt adjustments (see adjust.h). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/adjust.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

int adjustment_insert(db *d, adjustment_row *rows, int n, const char *actor, pc_err *e)
{
    if (n < 1 || n > 2)
        return pc_errf(e, PC_EINTERNAL, "an adjustment is one row or a pair");
    /* Keys first: both rows of a pair carry the first one's id, known before either is written. */
    int64_t ids[2];
    if (db_reserve_ids(d, "debt_adjustment", n, ids, e) != 0)
        return -1;
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    db_stmt *s = db_prepare(d, "INSERT INTO debt_adjustment (id, customer_id, invoice_id, kind, amount, adj_date, pair_id, "
                               "reason, approval, document_id, created_at, created_by) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    for (int i = 0; i < n; i++) {
        adjustment_row *r = &rows[i];
        r->id = ids[i];
        r->pair_id = n == 2 ? ids[0] : 0;
        snprintf(r->created_at, sizeof r->created_at, "%s", ts);
        COPY(r->created_by, actor);
        db_bind_int(s, 1, r->id);
        db_bind_int(s, 2, r->customer_id);
        db_bind_int(s, 3, r->invoice_id);
        db_bind_text(s, 4, r->kind);
        db_bind_int(s, 5, r->amount);
        db_bind_text(s, 6, r->adj_date);
        if (r->pair_id)
            db_bind_int(s, 7, r->pair_id);
        else
            db_bind_null(s, 7);
        db_bind_text(s, 8, r->reason);
        db_bind_text(s, 9, r->approval[0] ? r->approval : NULL);
        if (r->document_id)
            db_bind_int(s, 10, r->document_id);
        else
            db_bind_null(s, 10);
        db_bind_text(s, 11, r->created_at);
        db_bind_text(s, 12, r->created_by);
        if (db_run(s, e) != 0)
            return pc_err_prefix(e, "adjustment of invoice %lld", (long long)r->invoice_id);
    }
    return 0;
}

int adjustment_list(db *d, const adjustment_filter *f, adjustment_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT a.id, a.customer_id, a.invoice_id, a.pair_id, a.document_id, a.kind, a.amount, a.adj_date, a.reason, "
        "a.approval, a.created_at, a.created_by, c.code, u.code, i.symbol, i.number, i.period "
        "FROM debt_adjustment a JOIN customer c ON c.id = a.customer_id JOIN org_node u ON u.id = c.unit_id "
        "LEFT JOIN invoice i ON i.id = a.invoice_id "
        "WHERE (? = 0 OR a.customer_id = ?) "
        "AND (CAST(? AS TEXT) IS NULL OR substr(u.path, 1, length(CAST(? AS TEXT))) = ?) "
        "AND (CAST(? AS TEXT) IS NULL OR a.adj_date >= ?) AND (CAST(? AS TEXT) IS NULL OR a.adj_date <= ?) "
        "AND (? = 0 OR a.id = ? OR a.pair_id = ?) "
        "ORDER BY a.adj_date, a.id",
        e);
    if (!s)
        return -1;
    db_bind_int(s, 1, f->customer_id);
    db_bind_int(s, 2, f->customer_id);
    db_bind_text(s, 3, f->scope_path);
    db_bind_text(s, 4, f->scope_path);
    db_bind_text(s, 5, f->scope_path);
    db_bind_text(s, 6, f->from);
    db_bind_text(s, 7, f->from);
    db_bind_text(s, 8, f->to);
    db_bind_text(s, 9, f->to);
    db_bind_int(s, 10, f->group_id);
    db_bind_int(s, 11, f->group_id);
    db_bind_int(s, 12, f->group_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        adjustment_row r;
        memset(&r, 0, sizeof r);
        r.id = db_col_int(s, 0);
        r.customer_id = db_col_int(s, 1);
        r.invoice_id = db_col_int(s, 2);
        r.pair_id = db_col_int(s, 3);
        r.document_id = db_col_int(s, 4);
        COPY(r.kind, db_col_text(s, 5));
        r.amount = db_col_int(s, 6);
        COPY(r.adj_date, db_col_text(s, 7));
        COPY(r.reason, db_col_text(s, 8));
        COPY(r.approval, db_col_text(s, 9));
        COPY(r.created_at, db_col_text(s, 10));
        COPY(r.created_by, db_col_text(s, 11));
        COPY(r.customer_code, db_col_text(s, 12));
        COPY(r.unit_code, db_col_text(s, 13));
        COPY(r.symbol, db_col_text(s, 14));
        r.number = db_col_int(s, 15);
        COPY(r.period, db_col_text(s, 16));
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int adjustment_invoice_open(db *d, int64_t invoice_id, const char *date, int64_t *open, pc_err *e)
{
    /* The derivation of schema/013_open_items.sql, with adjustments, as of a date; "now" is
     * every row whatever its date. */
    const char *upto = date ? date : "9999-12-31";
    db_stmt *s = db_prepare(d, "SELECT i.total - i.credit_applied "
                               "- COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id AND a.alloc_date <= ?), 0) "
                               "+ COALESCE((SELECT sum(j.amount) FROM debt_adjustment j WHERE j.invoice_id = i.id AND j.adj_date <= ?), 0) "
                               "FROM invoice i WHERE i.id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, upto);
    db_bind_text(s, 2, upto);
    db_bind_int(s, 3, invoice_id);
    int rc = db_step(s, e);
    if (rc == 1)
        *open = db_col_int(s, 0);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "invoice %lld does not exist", (long long)invoice_id);
    return rc < 0 ? -1 : 0;
}

int adjustment_document(db *d, int64_t document_id, int64_t *customer_id, bool *removed, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT o.customer_id, (SELECT count(*) FROM document_removal r WHERE r.document_id = o.id) "
                               "FROM document o WHERE o.id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, document_id);
    int rc = db_step(s, e);
    if (rc == 1) {
        *customer_id = db_col_int(s, 0);
        *removed = db_col_int(s, 1) > 0;
    }
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no document %lld", (long long)document_id);
    return rc < 0 ? -1 : 0;
}

int adjustment_transfer_next_number(db *d, int64_t *number, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(max(number), 0) + 1 FROM invoice WHERE symbol = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, ADJUST_TRANSFER_SYMBOL);
    int rc = db_step(s, e);
    if (rc == 1)
        *number = db_col_int(s, 0);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int adjustment_key_find(db *d, const char *ref, char content_hash[65], int64_t *adjustment_id, bool *found, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT adjustment_id, content_hash FROM adjustment_key WHERE ref = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, ref);
    int rc = db_step(s, e);
    *found = rc == 1;
    if (rc == 1) {
        *adjustment_id = db_col_int(s, 0);
        snprintf(content_hash, 65, "%s", db_col_text(s, 1));
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int adjustment_key_insert(db *d, const char *ref, const char *content_hash, int64_t adjustment_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO adjustment_key (ref, content_hash, adjustment_id) VALUES (?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, ref);
    db_bind_text(s, 2, content_hash);
    db_bind_int(s, 3, adjustment_id);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "adjustment %s was posted meanwhile", ref);
        return -1;
    }
    return 0;
}
