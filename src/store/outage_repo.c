/* SQL for outages (see outages.h). Scope filters compare org paths by prefix, as the rest of
 * the store does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/outages.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")
#define IN_SCOPE(col) "(? IS NULL OR substr(" col ", 1, length(CAST(? AS TEXT))) = ?)"

static void bind_scope(db_stmt *s, int first, const char *scope_path)
{
    db_bind_text(s, first, scope_path);
    db_bind_text(s, first + 1, scope_path);
    db_bind_text(s, first + 2, scope_path);
}

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

int outage_active_count(db *d, const char *scope_path, int64_t *n, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT count(*) FROM customer c JOIN org_node u ON u.id = c.unit_id "
                               "WHERE c.status = 'active' AND " IN_SCOPE("u.path"), e);
    if (!s)
        return -1;
    bind_scope(s, 1, scope_path);
    int rc = db_step(s, e);
    *n = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int outage_customers_where(db *d, const char *scope_path, const char *column, const char *value, int64_t **ids,
                           int *n, pc_err *e)
{
    *ids = NULL;
    *n = 0;
    const char *sql = strcmp(column, "route") == 0
                          ? "SELECT c.id FROM customer c JOIN org_node u ON u.id = c.unit_id WHERE c.route = ? "
                            "AND c.status = 'active' AND " IN_SCOPE("u.path") " ORDER BY c.id"
                          : "SELECT c.id FROM customer c JOIN org_node u ON u.id = c.unit_id WHERE c.transformer = ? "
                            "AND c.status = 'active' AND " IN_SCOPE("u.path") " ORDER BY c.id";
    db_stmt *s = db_prepare(d, sql, e);
    if (!s)
        return -1;
    db_bind_text(s, 1, value);
    bind_scope(s, 2, scope_path);
    int cap = 0, rc;
    while ((rc = db_step(s, e)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *t = realloc(*ids, (size_t)cap * sizeof **ids);
            if (!t) {
                db_reset(s);
                return pc_errf(e, PC_EINTERNAL, "out of memory");
            }
            *ids = t;
        }
        (*ids)[(*n)++] = db_col_int(s, 0);
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

static void customer_row_read(db_stmt *s, outage_customer_row *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int(s, 0);
    COPY(c->code, db_col_text(s, 1));
    COPY(c->name, db_col_text(s, 2));
    COPY(c->phone, db_col_text(s, 3));
    COPY(c->status, db_col_text(s, 4));
    COPY(c->unit_path, db_col_text(s, 5));
}

int outage_set_transformer(db *d, int64_t customer_id, const char *transformer, const char *updated_at, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE customer SET transformer = ?, updated_at = ? WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, or_null(transformer));
    db_bind_text(s, 2, updated_at);
    db_bind_int(s, 3, customer_id);
    return db_run(s, e);
}

int outage_customer_by_code(db *d, const char *code, outage_customer_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.id, c.code, c.name, c.phone, c.status, u.path FROM customer c "
                               "JOIN org_node u ON u.id = c.unit_id WHERE c.code = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    int rc = db_step(s, e);
    if (rc == 1)
        customer_row_read(s, out);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no customer %s", code);
    return rc < 0 ? -1 : 0;
}

#define OUTAGE_SELECT                                                                                          \
    "SELECT o.id, o.org_id, n.code, n.name, n.path, o.planned, o.start_at, o.end_at, o.month, o.minutes, "    \
    "o.affected_by, o.selector, o.customers, o.cause, o.note, o.notice_late, o.created_at, o.created_by, "     \
    "o.closed_at, o.closed_by, x.cancelled_at, x.cancelled_by, x.reason FROM outage o "                     \
    "JOIN org_node n ON n.id = o.org_id LEFT JOIN outage_cancel x ON x.outage_id = o.id "

static void outage_read(db_stmt *s, outage_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(s, 0);
    r->org_id = db_col_int(s, 1);
    COPY(r->org_code, db_col_text(s, 2));
    COPY(r->org_name, db_col_text(s, 3));
    COPY(r->org_path, db_col_text(s, 4));
    r->planned = (int)db_col_int(s, 5);
    COPY(r->start_at, db_col_text(s, 6));
    COPY(r->end_at, db_col_text(s, 7));
    r->month = (int32_t)db_col_int(s, 8);
    r->minutes = db_col_null(s, 9) ? -1 : db_col_int(s, 9);
    COPY(r->affected_by, db_col_text(s, 10));
    COPY(r->selector, db_col_text(s, 11));
    r->customers = db_col_int(s, 12);
    COPY(r->cause, db_col_text(s, 13));
    COPY(r->note, db_col_text(s, 14));
    r->notice_late = (int)db_col_int(s, 15);
    COPY(r->created_at, db_col_text(s, 16));
    COPY(r->created_by, db_col_text(s, 17));
    COPY(r->closed_at, db_col_text(s, 18));
    COPY(r->closed_by, db_col_text(s, 19));
    COPY(r->cancelled_at, db_col_text(s, 20));
    COPY(r->cancelled_by, db_col_text(s, 21));
    COPY(r->cancel_reason, db_col_text(s, 22));
}

static int one_outage(db *d, const char *sql, const char *text, int64_t id, outage_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, sql, e);
    if (!s)
        return -1;
    if (text)
        db_bind_text(s, 1, text);
    else
        db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        outage_read(s, out);
    db_reset(s);
    return rc;
}

int outage_find_dedupe(db *d, const char *dedupe_key, outage_row *out, pc_err *e)
{
    return one_outage(d, OUTAGE_SELECT "WHERE o.dedupe_key = ?", dedupe_key, 0, out, e);
}

int outage_get(db *d, int64_t id, outage_row *out, pc_err *e)
{
    int rc = one_outage(d, OUTAGE_SELECT "WHERE o.id = ?", NULL, id, out, e);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no outage %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int outage_insert(db *d, outage_row *r, const char *dedupe_key, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO outage (org_id, planned, start_at, end_at, month, minutes, affected_by, "
                               "selector, customers, cause, note, notice_late, dedupe_key, created_at, created_by) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->org_id);
    db_bind_int(s, 2, r->planned);
    db_bind_text(s, 3, r->start_at);
    db_bind_text(s, 4, or_null(r->end_at));
    db_bind_int(s, 5, r->month);
    if (r->minutes >= 0)
        db_bind_int(s, 6, r->minutes);
    else
        db_bind_null(s, 6);
    db_bind_text(s, 7, r->affected_by);
    db_bind_text(s, 8, or_null(r->selector));
    db_bind_int(s, 9, r->customers);
    db_bind_text(s, 10, or_null(r->cause));
    db_bind_text(s, 11, or_null(r->note));
    db_bind_int(s, 12, r->notice_late);
    db_bind_text(s, 13, dedupe_key);
    db_bind_text(s, 14, r->created_at);
    db_bind_text(s, 15, r->created_by);
    if (db_run(s, e) != 0)
        return -1;
    r->id = db_last_insert_id(d);
    return 0;
}

int outage_add_customers(db *d, int64_t outage_id, const int64_t *ids, int n, pc_err *e)
{
    db_bulk *b = db_bulk_open(d, "outage_customer", "outage_id, customer_id", 2, e);
    if (!b)
        return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < n; i++) {
        db_bulk_int(b, outage_id);
        db_bulk_int(b, ids[i]);
        rc = db_bulk_row(b, e);
    }
    if (rc == 0)
        rc = db_bulk_flush(b, e);
    else
        db_bulk_discard(b);
    db_bulk_close(b);
    return rc;
}

int outage_set_end(db *d, int64_t id, const char *end_at, int64_t minutes, const char *closed_at,
                   const char *closed_by, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE outage SET end_at = ?, minutes = ?, closed_at = ?, closed_by = ? "
                               "WHERE id = ? AND end_at IS NULL", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, end_at);
    db_bind_int(s, 2, minutes);
    db_bind_text(s, 3, closed_at);
    db_bind_text(s, 4, closed_by);
    db_bind_int(s, 5, id);
    if (db_run(s, e) != 0)
        return -1;
    if (db_changes(d) != 1)
        return pc_errf(e, PC_ECONFLICT, "outage %lld is closed already", (long long)id);
    return 0;
}

int outage_cancel_insert(db *d, int64_t id, const char *reason, const char *cancelled_at, const char *cancelled_by,
                         pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO outage_cancel (outage_id, reason, cancelled_at, cancelled_by) "
                               "VALUES (?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, reason);
    db_bind_text(s, 3, cancelled_at);
    db_bind_text(s, 4, cancelled_by);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "outage %lld is cancelled already", (long long)id);
        return -1;
    }
    return 0;
}

int outage_outbox_sms(db *d, const char *event_key, char *recipient, size_t cap, bool *has, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT recipient FROM notify_outbox WHERE event_key = ? AND channel = 'sms' "
                               "ORDER BY id LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, event_key);
    int rc = db_step(s, e);
    *has = rc == 1;
    if (rc == 1)
        snprintf(recipient, cap, "%s", db_col_text(s, 0) ? (const char *)db_col_text(s, 0) : "");
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int outage_list(db *d, const outage_query *q, outage_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, OUTAGE_SELECT "WHERE " IN_SCOPE("n.path") " AND (? = 0 OR o.month = ?) "
                               "AND (? = 0 OR (o.end_at IS NULL AND x.outage_id IS NULL)) AND (? < 0 OR o.planned = ?) AND (? = 0 OR o.id = ?) "
                               "ORDER BY o.start_at DESC, o.id DESC LIMIT ? OFFSET ?", e);
    if (!s)
        return -1;
    bind_scope(s, 1, q->scope_path);
    db_bind_int(s, 4, q->month);
    db_bind_int(s, 5, q->month);
    db_bind_int(s, 6, q->open_only);
    db_bind_int(s, 7, q->planned);
    db_bind_int(s, 8, q->planned);
    db_bind_int(s, 9, q->id);
    db_bind_int(s, 10, q->id);
    db_bind_int(s, 11, q->limit > 0 ? q->limit : INT64_MAX);
    db_bind_int(s, 12, q->offset);
    int rc;
    outage_row r;
    while ((rc = db_step(s, e)) == 1) {
        outage_read(s, &r);
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return pc_errf(e, PC_EINTERNAL, "listing outages stopped");
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int outage_customers_scan(db *d, int64_t outage_id, outage_customer_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.id, c.code, c.name, c.phone, c.status, u.path FROM outage_customer oc "
                               "JOIN customer c ON c.id = oc.customer_id JOIN org_node u ON u.id = c.unit_id "
                               "WHERE oc.outage_id = ? ORDER BY c.id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, outage_id);
    /* read all first: the callback may write (enqueue) on the same connection */
    outage_customer_row *v = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = db_step(s, e)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            outage_customer_row *t = realloc(v, (size_t)cap * sizeof *v);
            if (!t) {
                rc = pc_errf(e, PC_EINTERNAL, "out of memory");
                break;
            }
            v = t;
        }
        customer_row_read(s, &v[n++]);
    }
    db_reset(s);
    for (int i = 0; rc == 0 && i < n; i++)
        if (fn(ctx, &v[i], e) != 0)
            rc = -1;
    free(v);
    return rc < 0 ? -1 : 0;
}

int outage_pieces(db *d, int32_t month, const char *scope_path, outage_piece_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT o.id, o.minutes, u.path, count(*) FROM outage o JOIN outage_customer oc ON oc.outage_id = o.id "
        "JOIN customer c ON c.id = oc.customer_id JOIN org_node u ON u.id = c.unit_id "
        "WHERE o.month = ? AND o.end_at IS NOT NULL AND o.affected_by <> 'count' AND " IN_SCOPE("u.path") " "
        "AND NOT EXISTS (SELECT 1 FROM outage_cancel x WHERE x.outage_id = o.id) "
        "GROUP BY o.id, o.minutes, u.path "
        "UNION ALL "
        "SELECT o.id, o.minutes, n.path, o.customers FROM outage o JOIN org_node n ON n.id = o.org_id "
        "WHERE o.month = ? AND o.end_at IS NOT NULL AND o.affected_by = 'count' AND " IN_SCOPE("n.path") " "
        "AND NOT EXISTS (SELECT 1 FROM outage_cancel x WHERE x.outage_id = o.id) "
        "ORDER BY 1, 3",
        e);
    if (!s)
        return -1;
    db_bind_int(s, 1, month);
    bind_scope(s, 2, scope_path);
    db_bind_int(s, 5, month);
    bind_scope(s, 6, scope_path);
    int rc;
    outage_piece p;
    while ((rc = db_step(s, e)) == 1) {
        memset(&p, 0, sizeof p);
        p.outage_id = db_col_int(s, 0);
        p.minutes = db_col_int(s, 1);
        COPY(p.path, db_col_text(s, 2));
        p.customers = db_col_int(s, 3);
        if (fn(ctx, &p, e) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int outage_served(db *d, const char *scope_path, outage_served_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT u.path, count(*) FROM customer c JOIN org_node u ON u.id = c.unit_id "
                               "WHERE c.status = 'active' AND " IN_SCOPE("u.path") " GROUP BY u.path ORDER BY u.path",
                            e);
    if (!s)
        return -1;
    bind_scope(s, 1, scope_path);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        char path[160];
        COPY(path, db_col_text(s, 0));
        if (fn(ctx, path, db_col_int(s, 1), e) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int outage_day_by_node(db *d, const char *day, const char *next_day, outage_day_fn fn, void *ctx, pc_err *e)
{
    /* the two days' outages by the day of their start (equality: no collation question) */
    db_stmt *s = db_prepare(d, "SELECT n.path, "
                               "sum(CASE WHEN substr(o.start_at, 1, 10) = ? THEN 1 ELSE 0 END), "
                               "sum(CASE WHEN substr(o.start_at, 1, 10) = ? THEN o.customers ELSE 0 END), "
                               "sum(CASE WHEN substr(o.start_at, 1, 10) = ? AND o.planned = 1 THEN 1 ELSE 0 END) "
                               "FROM outage o JOIN org_node n ON n.id = o.org_id "
                               "WHERE substr(o.start_at, 1, 10) IN (?, ?) "
                               "AND NOT EXISTS (SELECT 1 FROM outage_cancel x WHERE x.outage_id = o.id) "
                               "GROUP BY n.path ORDER BY n.path", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, day);
    db_bind_text(s, 2, day);
    db_bind_text(s, 3, next_day);
    db_bind_text(s, 4, day);
    db_bind_text(s, 5, next_day);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        char path[160];
        COPY(path, db_col_text(s, 0));
        if (fn(ctx, path, db_col_int(s, 1), db_col_int(s, 2), db_col_int(s, 3), e) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
