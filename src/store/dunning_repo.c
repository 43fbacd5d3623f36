/* SQL for dunning (see dunning.h). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/dunning.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

/* The same derivation as collection's (payment_repo.c): what is left to pay on invoice i, with
 * the debt adjustments (write-offs, transfers: schema/016_debt.sql). */
#define OPEN_AMOUNT                                                                                             \
    "i.total - i.credit_applied - COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id), 0) " \
    "+ COALESCE((SELECT sum(j.amount) FROM debt_adjustment j WHERE j.invoice_id = i.id), 0)"
#define STEP_DATE(name) "(SELECT s.step_date FROM dunning_step s WHERE s.invoice_id = i.id AND s.step = '" name "')"
/* An order is open while it has no final state. */
#define ORDER_OPEN "NOT EXISTS (SELECT 1 FROM work_order_state t WHERE t.order_id = o.id AND t.state <> 'open')"
#define IN_SCOPE(col) "(? IS NULL OR substr(" col ", 1, length(CAST(? AS TEXT))) = ?)"

static void bind_scope(db_stmt *s, int first, const char *scope_path)
{
    db_bind_text(s, first, scope_path);
    db_bind_text(s, first + 1, scope_path);
    db_bind_text(s, first + 2, scope_path);
}

/* ---- invoices ---- */

int dunning_invoices(db *d, const char *scope_path, int64_t customer_id, const char *due_until, dunning_invoice_fn fn,
                     void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT * FROM (SELECT c.id AS cid, c.code, c.status, i.id AS iid, i.symbol, i.number, i.period, i.due_date, "
        "i.total, " OPEN_AMOUNT " AS open, " STEP_DATE("notice_1") " AS n1, " STEP_DATE("notice_2") " AS n2, "
        STEP_DATE("cut_order") " AS cut, "
        "COALESCE((SELECT CASE WHEN b.event = 'open' THEN 1 ELSE 0 END FROM billing_dispute b "
        "WHERE b.invoice_id = i.id ORDER BY b.id DESC LIMIT 1), 0) AS disputed "
        "FROM invoice i JOIN customer c ON c.id = i.customer_id JOIN org_node u ON u.id = c.unit_id "
        "WHERE i.due_date <= ? AND (? = 0 OR i.customer_id = ?) AND " IN_SCOPE("u.path") ") x "
        "WHERE open > 0 ORDER BY code, due_date, number, iid",
        e);
    if (!s)
        return -1;
    db_bind_text(s, 1, due_until);
    db_bind_int(s, 2, customer_id);
    db_bind_int(s, 3, customer_id);
    bind_scope(s, 4, scope_path);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        dunning_invoice v;
        memset(&v, 0, sizeof v);
        v.customer_id = db_col_int(s, 0);
        COPY(v.customer_code, db_col_text(s, 1));
        COPY(v.customer_status, db_col_text(s, 2));
        v.invoice_id = db_col_int(s, 3);
        COPY(v.symbol, db_col_text(s, 4));
        v.number = db_col_int(s, 5);
        COPY(v.period, db_col_text(s, 6));
        COPY(v.due_date, db_col_text(s, 7));
        v.total = db_col_int(s, 8);
        v.open = db_col_int(s, 9);
        COPY(v.notice_1, db_col_text(s, 10));
        COPY(v.notice_2, db_col_text(s, 11));
        COPY(v.cut_order, db_col_text(s, 12));
        v.disputed = db_col_int(s, 13) != 0;
        if (fn(ctx, &v) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int overdue_of(db *d, int64_t customer_id, const char *date, int64_t *count, int64_t *amount, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT count(*), COALESCE(sum(open), 0) FROM (SELECT " OPEN_AMOUNT " AS open "
                               "FROM invoice i WHERE i.customer_id = ? AND i.due_date < ?) x WHERE open > 0", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, date);
    int rc = db_step(s, e);
    *count = rc == 1 ? db_col_int(s, 0) : 0;
    *amount = rc == 1 ? db_col_int(s, 1) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- steps ---- */

int dunning_step_insert(db *d, dunning_step_row *r, const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO dunning_step (customer_id, invoice_id, step, step_date, order_id, amount, "
                               "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->customer_id);
    if (r->invoice_id)
        db_bind_int(s, 2, r->invoice_id);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, r->step);
    db_bind_text(s, 4, r->step_date);
    if (r->order_id)
        db_bind_int(s, 5, r->order_id);
    else
        db_bind_null(s, 5);
    db_bind_int(s, 6, r->amount);
    db_bind_text(s, 7, timestamp_now(ts));
    db_bind_text(s, 8, actor);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "dunning step %s was taken already (taken meanwhile by another run?)",
                           r->step);
        return -1;
    }
    r->id = db_last_insert_id(d);
    snprintf(r->created_at, sizeof r->created_at, "%s", ts);
    COPY(r->created_by, actor);
    return 0;
}

int dunning_steps_of(db *d, int64_t customer_id, dunning_step_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT s.id, s.customer_id, s.invoice_id, i.symbol, i.number, s.step, s.step_date, "
                               "s.order_id, s.amount, s.created_at, s.created_by FROM dunning_step s "
                               "LEFT JOIN invoice i ON i.id = s.invoice_id WHERE s.customer_id = ? "
                               "ORDER BY s.step_date, s.id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        dunning_step_row r;
        memset(&r, 0, sizeof r);
        r.id = db_col_int(s, 0);
        r.customer_id = db_col_int(s, 1);
        r.invoice_id = db_col_int(s, 2);
        COPY(r.symbol, db_col_text(s, 3));
        r.number = db_col_int(s, 4);
        COPY(r.step, db_col_text(s, 5));
        COPY(r.step_date, db_col_text(s, 6));
        r.order_id = db_col_int(s, 7);
        r.amount = db_col_int(s, 8);
        COPY(r.created_at, db_col_text(s, 9));
        COPY(r.created_by, db_col_text(s, 10));
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- work orders ---- */

static int state_insert(db *d, int64_t order_id, const char *state, const char *date, const char *note,
                        const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO work_order_state (order_id, state, state_date, note, created_at, created_by) "
                               "VALUES (?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, order_id);
    db_bind_text(s, 2, state);
    db_bind_text(s, 3, date);
    db_bind_text(s, 4, note && note[0] ? note : NULL);
    db_bind_text(s, 5, timestamp_now(ts));
    db_bind_text(s, 6, actor);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "work order %lld has ended already", (long long)order_id);
        return -1;
    }
    return 0;
}

int work_order_insert(db *d, work_order_row *o, const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO work_order (customer_id, kind, created_date, reason, fee, created_at, "
                               "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, o->customer_id);
    db_bind_text(s, 2, o->kind);
    db_bind_text(s, 3, o->created_date);
    db_bind_text(s, 4, o->reason);
    db_bind_int(s, 5, o->fee);
    db_bind_text(s, 6, timestamp_now(ts));
    db_bind_text(s, 7, actor);
    if (db_run(s, e) != 0)
        return -1;
    o->id = db_last_insert_id(d);
    COPY(o->status, "open");
    COPY(o->status_date, o->created_date);
    COPY(o->created_by, actor);
    return state_insert(d, o->id, "open", o->created_date, NULL, actor, e);
}

int work_order_state_insert(db *d, int64_t order_id, const char *state, const char *date, const char *note,
                            const char *actor, pc_err *e)
{
    return state_insert(d, order_id, state, date, note, actor, e);
}

#define FINAL(col) "(SELECT t." col " FROM work_order_state t WHERE t.order_id = o.id AND t.state <> 'open')"
#define ORDER_SELECT                                                                                            \
    "SELECT * FROM (SELECT o.id, o.customer_id, c.code, c.name, u.code AS ucode, o.kind, o.created_date, o.reason, " \
    "o.fee, COALESCE(" FINAL("state") ", 'open') AS status, COALESCE(" FINAL("state_date") ", o.created_date) "   \
    "AS status_date, " FINAL("note") " AS note, o.created_by, u.path AS upath FROM work_order o "                \
    "JOIN customer c ON c.id = o.customer_id JOIN org_node u ON u.id = c.unit_id) x "

static void order_from(db_stmt *s, work_order_row *o)
{
    memset(o, 0, sizeof *o);
    o->id = db_col_int(s, 0);
    o->customer_id = db_col_int(s, 1);
    COPY(o->customer_code, db_col_text(s, 2));
    COPY(o->customer_name, db_col_text(s, 3));
    COPY(o->unit_code, db_col_text(s, 4));
    COPY(o->kind, db_col_text(s, 5));
    COPY(o->created_date, db_col_text(s, 6));
    COPY(o->reason, db_col_text(s, 7));
    o->fee = db_col_int(s, 8);
    COPY(o->status, db_col_text(s, 9));
    COPY(o->status_date, db_col_text(s, 10));
    COPY(o->note, db_col_text(s, 11));
    COPY(o->created_by, db_col_text(s, 12));
}

int work_order_get(db *d, int64_t id, work_order_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, ORDER_SELECT "WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        order_from(s, out);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no work order %lld (see `powercis orders list`)", (long long)id);
    return rc < 0 ? -1 : 0;
}

int work_order_open_of(db *d, int64_t customer_id, const char *kind, int64_t *order_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT o.id FROM work_order o WHERE o.customer_id = ? AND o.kind = ? AND " ORDER_OPEN
                               " ORDER BY o.id DESC LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, kind);
    int rc = db_step(s, e);
    *order_id = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int work_order_list(db *d, const char *kind, const char *status, const char *scope_path, int64_t customer_id,
                    work_order_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, ORDER_SELECT "WHERE (? IS NULL OR kind = ?) AND (? IS NULL OR status = ?) AND "
                               IN_SCOPE("upath") " AND (? = 0 OR customer_id = ?) ORDER BY id", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, kind);
    db_bind_text(s, 2, kind);
    db_bind_text(s, 3, status);
    db_bind_text(s, 4, status);
    bind_scope(s, 5, scope_path);
    db_bind_int(s, 8, customer_id);
    db_bind_int(s, 9, customer_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        work_order_row o;
        order_from(s, &o);
        if (fn(ctx, &o) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

#define LATEST_CUT_STEP                                                                                         \
    "(SELECT s.step FROM dunning_step s WHERE s.customer_id = c.id AND s.step IN ('disconnected', 'reconnected') " \
    "ORDER BY s.id DESC LIMIT 1)"
#define OPEN_ORDER_OF(kind)                                                                                     \
    "(SELECT o.id FROM work_order o WHERE o.customer_id = c.id AND o.kind = '" kind "' AND " ORDER_OPEN          \
    " ORDER BY o.id DESC LIMIT 1)"

int dunning_customer_get(db *d, int64_t customer_id, dunning_customer *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.code, c.status, COALESCE(" LATEST_CUT_STEP ", ''), COALESCE(" OPEN_ORDER_OF("cut")
                               ", 0), COALESCE(" OPEN_ORDER_OF("reconnection") ", 0) FROM customer c WHERE c.id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc = db_step(s, e);
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        COPY(out->code, db_col_text(s, 0));
        COPY(out->status, db_col_text(s, 1));
        const char *last = db_col_text(s, 2);
        out->disconnected_for_debt = last && strcmp(last, "disconnected") == 0;
        out->open_cut = db_col_int(s, 3);
        out->open_reconnection = db_col_int(s, 4);
    }
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no customer with id %lld", (long long)customer_id);
    return rc < 0 ? -1 : 0;
}

int disconnected_for_debt(db *d, const char *scope_path, customer_id_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.id FROM customer c JOIN org_node u ON u.id = c.unit_id "
                               "WHERE c.status = 'disconnected' AND " IN_SCOPE("u.path") " AND " LATEST_CUT_STEP
                               " = 'disconnected' AND NOT EXISTS (SELECT 1 FROM dunning_step r WHERE r.customer_id = c.id "
                               "AND r.step = 'reconnection_order' AND r.id > (SELECT max(s.id) FROM dunning_step s "
                               "WHERE s.customer_id = c.id AND s.step = 'disconnected')) ORDER BY c.id", e);
    if (!s)
        return -1;
    bind_scope(s, 1, scope_path);
    int rc;
    while ((rc = db_step(s, e)) == 1)
        if (fn(ctx, db_col_int(s, 0)) != 0) {
            db_reset(s);
            return -1;
        }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- billing disputes ---- */

int dispute_insert(db *d, dispute_row *r, const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO billing_dispute (invoice_id, customer_id, event, event_date, reason, "
                               "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->invoice_id);
    db_bind_int(s, 2, r->customer_id);
    db_bind_text(s, 3, r->event);
    db_bind_text(s, 4, r->event_date);
    db_bind_text(s, 5, r->reason);
    db_bind_text(s, 6, timestamp_now(ts));
    db_bind_text(s, 7, actor);
    if (db_run(s, e) != 0)
        return -1;
    r->id = db_last_insert_id(d);
    snprintf(r->created_at, sizeof r->created_at, "%s", ts);
    COPY(r->created_by, actor);
    return 0;
}

int dispute_is_open(db *d, int64_t invoice_id, bool *open, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT event FROM billing_dispute WHERE invoice_id = ? ORDER BY id DESC LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, invoice_id);
    int rc = db_step(s, e);
    *open = rc == 1 && strcmp(db_col_text(s, 0), "open") == 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int disputes_of(db *d, int64_t customer_id, dispute_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT b.id, b.invoice_id, b.customer_id, i.symbol, i.number, b.event, b.event_date, "
                               "b.reason, b.created_at, b.created_by FROM billing_dispute b "
                               "JOIN invoice i ON i.id = b.invoice_id WHERE b.customer_id = ? ORDER BY b.id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        dispute_row r;
        memset(&r, 0, sizeof r);
        r.id = db_col_int(s, 0);
        r.invoice_id = db_col_int(s, 1);
        r.customer_id = db_col_int(s, 2);
        COPY(r.symbol, db_col_text(s, 3));
        r.number = db_col_int(s, 4);
        COPY(r.event, db_col_text(s, 5));
        COPY(r.event_date, db_col_text(s, 6));
        COPY(r.reason, db_col_text(s, 7));
        COPY(r.created_at, db_col_text(s, 8));
        COPY(r.created_by, db_col_text(s, 9));
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
