/* SQL for notifications (see notify.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/legacy.h"
#include "store/adjust.h"
#include "store/notify.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

static char *dup_or_null(db_stmt *s, int col)
{
    if (db_col_null(s, col))
        return NULL;
    const char *t = db_col_text(s, col);
    return strdup(t ? t : "");
}

int outbox_insert(db *d, const outbox_row *r, int64_t *id, bool *duplicate, char *status, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "INSERT INTO notify_outbox (event, event_key, channel, recipient, customer_id, lang, subject, body, "
        "attachment_name, attachment_type, attachment_b64, status, attempts, next_attempt_at, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (event_key, channel, recipient) DO NOTHING",
        e);
    if (!s)
        return -1;
    db_bind_text(s, 1, r->event);
    db_bind_text(s, 2, r->event_key);
    db_bind_text(s, 3, r->channel);
    db_bind_text(s, 4, r->recipient);
    if (r->customer_id > 0)
        db_bind_int(s, 5, r->customer_id);
    else
        db_bind_null(s, 5);
    db_bind_text(s, 6, r->lang);
    db_bind_text(s, 7, r->subject);
    db_bind_text(s, 8, r->body);
    db_bind_text(s, 9, r->attachment_name);
    db_bind_text(s, 10, r->attachment_type);
    db_bind_text(s, 11, r->attachment_b64);
    db_bind_text(s, 12, r->status);
    db_bind_int(s, 13, r->next_attempt_at);
    db_bind_text(s, 14, r->created_at);
    if (db_run(s, e) != 0)
        return -1;
    if (db_changes(d) == 1) {
        *duplicate = false;
        *id = db_last_insert_id(d);
        if (status)
            snprintf(status, 12, "%s", r->status);
        return 0;
    }
    *duplicate = true;
    s = db_prepare(d, "SELECT id, status FROM notify_outbox WHERE event_key = ? AND channel = ? AND recipient = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, r->event_key);
    db_bind_text(s, 2, r->channel);
    db_bind_text(s, 3, r->recipient);
    int rc = db_step(s, e);
    if (rc == 1) {
        *id = db_col_int(s, 0);
        if (status)
            snprintf(status, 12, "%s", db_col_text(s, 1));
    }
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_EINTERNAL, "outbox: message %s was neither inserted nor found", r->event_key);
    return rc < 0 ? -1 : 0;
}

int outbox_claim(db *d, int64_t now, int64_t lease_until, bool staff_only, int limit, outbox_row **rows, int *n,
                 pc_err *e)
{
    *rows = NULL;
    *n = 0;
    /* One statement per batch: the claim and the read of what was claimed. PostgreSQL's SKIP
     * LOCKED lets two senders work side by side; SQLite's writer lock already serialises them. */
    const char *sql =
        db_engine_of(d) == DB_POSTGRES
            ? "UPDATE notify_outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? "
              "WHERE id IN (SELECT id FROM notify_outbox WHERE status IN ('queued', 'failed', 'sending') "
              "AND next_attempt_at <= ? AND (? = 0 OR customer_id IS NULL) ORDER BY next_attempt_at, id LIMIT ? "
              "FOR UPDATE SKIP LOCKED) "
              "RETURNING id, event, event_key, channel, recipient, COALESCE(customer_id, 0), lang, subject, body, "
              "attachment_name, attachment_type, attachment_b64, attempts"
            : "UPDATE notify_outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? "
              "WHERE id IN (SELECT id FROM notify_outbox WHERE status IN ('queued', 'failed', 'sending') "
              "AND next_attempt_at <= ? AND (? = 0 OR customer_id IS NULL) ORDER BY next_attempt_at, id LIMIT ?) "
              "RETURNING id, event, event_key, channel, recipient, COALESCE(customer_id, 0), lang, subject, body, "
              "attachment_name, attachment_type, attachment_b64, attempts";
    db_stmt *s = db_prepare(d, sql, e);
    if (!s)
        return -1;
    db_bind_int(s, 1, lease_until);
    db_bind_int(s, 2, now);
    db_bind_int(s, 3, staff_only ? 1 : 0);
    db_bind_int(s, 4, limit);
    outbox_row *out = calloc((size_t)(limit > 0 ? limit : 1), sizeof *out);
    int rc, k = 0;
    while ((rc = db_step(s, e)) == 1 && k < limit) {
        outbox_row *r = &out[k++];
        r->id = db_col_int(s, 0);
        r->event = dup_or_null(s, 1);
        r->event_key = dup_or_null(s, 2);
        r->channel = dup_or_null(s, 3);
        r->recipient = dup_or_null(s, 4);
        r->customer_id = db_col_int(s, 5);
        r->lang = dup_or_null(s, 6);
        r->subject = dup_or_null(s, 7);
        r->body = dup_or_null(s, 8);
        r->attachment_name = dup_or_null(s, 9);
        r->attachment_type = dup_or_null(s, 10);
        r->attachment_b64 = dup_or_null(s, 11);
        r->attempts = (int)db_col_int(s, 12);
        r->status = "sending";
        r->next_attempt_at = lease_until;
    }
    db_reset(s);
    if (rc < 0) {
        outbox_rows_free(out, k);
        return -1;
    }
    if (k == 0) {
        free(out);
        out = NULL;
    }
    *rows = out;
    *n = k;
    return 0;
}

void outbox_rows_free(outbox_row *rows, int n)
{
    if (!rows)
        return;
    for (int i = 0; i < n; i++) {
        outbox_row *r = &rows[i];
        free((char *)r->event);
        free((char *)r->event_key);
        free((char *)r->channel);
        free((char *)r->recipient);
        free((char *)r->lang);
        free((char *)r->subject);
        free((char *)r->body);
        free((char *)r->attachment_name);
        free((char *)r->attachment_type);
        free((char *)r->attachment_b64);
    }
    free(rows);
}

int outbox_mark_sent(db *d, int64_t id, const char *sent_at, const char *provider_ref, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "UPDATE notify_outbox SET status = 'sent', sent_at = ?, provider_ref = ?, last_error = NULL "
                            "WHERE id = ? AND status = 'sending'",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, sent_at);
    db_bind_text(s, 2, provider_ref);
    db_bind_int(s, 3, id);
    return db_run(s, e);
}

int outbox_mark_failed(db *d, int64_t id, const char *status, int64_t next_attempt_at, const char *error, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "UPDATE notify_outbox SET status = ?, next_attempt_at = ?, last_error = ? "
                            "WHERE id = ? AND status = 'sending'",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, status);
    db_bind_int(s, 2, next_attempt_at);
    db_bind_text(s, 3, error);
    db_bind_int(s, 4, id);
    return db_run(s, e);
}

int outbox_requeue(db *d, int64_t id, const char *status, int64_t now, long *count, pc_err *e)
{
    *count = 0;
    if (id > 0) {
        db_stmt *q = db_prepare(d, "SELECT status FROM notify_outbox WHERE id = ?", e);
        if (!q)
            return -1;
        db_bind_int(q, 1, id);
        int rc = db_step(q, e);
        char st[12] = "";
        if (rc == 1)
            COPY(st, db_col_text(q, 0));
        db_reset(q);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return pc_errf(e, PC_ENOTFOUND, "no outbox message %lld", (long long)id);
        if (strcmp(st, "failed") != 0 && strcmp(st, "dead") != 0)
            return pc_errf(e, PC_ECONFLICT, "message %lld is %s: only failed or dead messages are retried", (long long)id,
                           st);
    }
    /* One message (its status checked above) or every message of a status. */
    db_stmt *s = db_prepare(d,
                            "UPDATE notify_outbox SET status = 'queued', attempts = 0, next_attempt_at = ? "
                            "WHERE (id = ? OR (? = 0 AND status = ?))",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, now);
    db_bind_int(s, 2, id);
    db_bind_int(s, 3, id);
    db_bind_text(s, 4, status);
    if (db_run(s, e) != 0)
        return -1;
    *count = (long)db_changes(d);
    return 0;
}

int outbox_count_due_customers(db *d, int64_t until, long *count, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT count(*) FROM notify_outbox WHERE status IN ('queued', 'failed', 'sending') "
                            "AND next_attempt_at <= ? AND customer_id IS NOT NULL",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, until);
    int rc = db_step(s, e);
    *count = rc == 1 ? (long)db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int outbox_page(db *d, const outbox_filter *f, outbox_fn fn, void *ctx, pc_err *e)
{
    /* a scope keeps the customer messages of units under it, and staff messages only when asked */
    db_stmt *s = db_prepare(
        d,
        "SELECT o.id, o.event, o.event_key, o.channel, o.recipient, COALESCE(o.customer_id, 0), o.lang, o.subject, "
        "o.body, o.attachment_name, o.attachment_type, o.status, o.attempts, o.next_attempt_at, o.last_error, "
        "o.created_at, o.sent_at, o.provider_ref, c.code "
        "FROM notify_outbox o LEFT JOIN customer c ON c.id = o.customer_id LEFT JOIN org_node n ON n.id = c.unit_id "
        "WHERE (CAST(? AS TEXT) IS NULL OR o.status = ?) AND (? = 0 OR o.customer_id = ?) "
        "AND (CAST(? AS TEXT) IS NULL OR o.event = ?) AND (CAST(? AS TEXT) IS NULL OR o.channel = ?) "
        "AND (? = 0 OR o.id = ?) "
        "AND (CAST(? AS TEXT) IS NULL OR (o.customer_id IS NULL AND ? = 1) "
        "     OR substr(n.path, 1, length(CAST(? AS TEXT))) = ?) "
        "ORDER BY o.id DESC LIMIT ? OFFSET ?",
        e);
    if (!s)
        return -1;
    db_bind_text(s, 1, f->status);
    db_bind_text(s, 2, f->status);
    db_bind_int(s, 3, f->customer_id);
    db_bind_int(s, 4, f->customer_id);
    db_bind_text(s, 5, f->event);
    db_bind_text(s, 6, f->event);
    db_bind_text(s, 7, f->channel);
    db_bind_text(s, 8, f->channel);
    db_bind_int(s, 9, f->id);
    db_bind_int(s, 10, f->id);
    db_bind_text(s, 11, f->scope_path);
    db_bind_int(s, 12, f->with_staff ? 1 : 0);
    db_bind_text(s, 13, f->scope_path);
    db_bind_text(s, 14, f->scope_path);
    db_bind_int(s, 15, f->limit > 0 ? f->limit : INT64_MAX);
    db_bind_int(s, 16, f->offset > 0 ? f->offset : 0);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        outbox_row r;
        memset(&r, 0, sizeof r);
        r.id = db_col_int(s, 0);
        r.event = db_col_text(s, 1);
        r.event_key = db_col_text(s, 2);
        r.channel = db_col_text(s, 3);
        r.recipient = db_col_text(s, 4);
        r.customer_id = db_col_int(s, 5);
        r.lang = db_col_text(s, 6);
        r.subject = db_col_text(s, 7);
        r.body = db_col_text(s, 8);
        r.attachment_name = db_col_null(s, 9) ? NULL : db_col_text(s, 9);
        r.attachment_type = db_col_null(s, 10) ? NULL : db_col_text(s, 10);
        r.status = db_col_text(s, 11);
        r.attempts = (int)db_col_int(s, 12);
        r.next_attempt_at = db_col_int(s, 13);
        r.last_error = db_col_null(s, 14) ? NULL : db_col_text(s, 14);
        r.created_at = db_col_text(s, 15);
        r.sent_at = db_col_null(s, 16) ? NULL : db_col_text(s, 16);
        r.provider_ref = db_col_null(s, 17) ? NULL : db_col_text(s, 17);
        r.customer_code = db_col_null(s, 18) ? NULL : db_col_text(s, 18);
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int outbox_list(db *d, const char *status, int64_t customer_id, const char *event, int limit, outbox_fn fn, void *ctx,
                pc_err *e)
{
    outbox_filter f = {.status = status, .customer_id = customer_id, .event = event, .limit = limit};
    return outbox_page(d, &f, fn, ctx, e);
}

int outbox_count_status(db *d, const char *status, long *count, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT count(*) FROM notify_outbox WHERE status = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, status);
    int rc = db_step(s, e);
    *count = rc == 1 ? (long)db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- opt-outs ---- */

int optout_insert(db *d, int64_t customer_id, const char *channel, const char *action, const char *reason,
                  const char *at, const char *actor, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "INSERT INTO notify_optout (customer_id, channel, action, reason, at, by_user) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, channel);
    db_bind_text(s, 3, action);
    db_bind_text(s, 4, reason);
    db_bind_text(s, 5, at);
    db_bind_text(s, 6, actor);
    return db_run(s, e);
}

int optout_is_out(db *d, int64_t customer_id, const char *channel, bool *out, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT action FROM notify_optout WHERE customer_id = ? AND channel = ? "
                            "ORDER BY id DESC LIMIT 1",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, channel);
    int rc = db_step(s, e);
    *out = rc == 1 && strcmp(db_col_text(s, 0), "out") == 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- event collection ---- */

int watermark_get(db *d, const char *source, int64_t *last_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT last_id FROM notify_watermark WHERE source = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, source);
    int rc = db_step(s, e);
    *last_id = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int watermark_set(db *d, const char *source, int64_t last_id, const char *at, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "INSERT INTO notify_watermark (source, last_id, updated_at) VALUES (?, ?, ?) "
                            "ON CONFLICT (source) DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at "
                            "WHERE excluded.last_id > notify_watermark.last_id",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, source);
    db_bind_int(s, 2, last_id);
    db_bind_text(s, 3, at);
    return db_run(s, e);
}

int collect_rows(db *d, collect_source src, int64_t after_id, int limit, collect_fn fn, void *ctx, int64_t *max_id,
                 pc_err *e)
{
    /* Each query reads rows of every customer so that the caller's watermark passes customers
     * with no phone too; the phone is checked by the caller. */
    static const char *const sql[] = {
        [COLLECT_INVOICES] =
            "SELECT i.id, c.id, c.code, c.name, COALESCE(c.phone, ''), '', i.total, i.issue_date, i.due_date, "
            "i.period, i.symbol, i.number, '' FROM invoice i JOIN customer c ON c.id = i.customer_id "
            "WHERE i.id > ? AND i.symbol NOT IN ('" LEGACY_SYMBOL "', '" ADJUST_TRANSFER_SYMBOL "') "
            "ORDER BY i.id LIMIT ?",
        [COLLECT_PAYMENTS] =
            "SELECT p.id, c.id, c.code, c.name, COALESCE(c.phone, ''), '', p.amount, p.paid_date, '', '', '', 0, "
            "p.receipt_no FROM payment p JOIN customer c ON c.id = p.customer_id "
            "WHERE p.id > ? AND p.amount > 0 AND p.channel <> 'credit' ORDER BY p.id LIMIT ?",
        [COLLECT_DUNNING] =
            "SELECT s.id, c.id, c.code, c.name, COALESCE(c.phone, ''), s.step, s.amount, s.step_date, "
            "COALESCE(i.due_date, ''), COALESCE(i.period, ''), COALESCE(i.symbol, ''), COALESCE(i.number, 0), '' "
            "FROM dunning_step s JOIN customer c ON c.id = s.customer_id LEFT JOIN invoice i ON i.id = s.invoice_id "
            "WHERE s.id > ? AND s.step IN ('notice_1', 'notice_2', 'disconnected', 'reconnected') "
            "ORDER BY s.id LIMIT ?",
    };
    *max_id = after_id;
    db_stmt *s = db_prepare(d, sql[src], e);
    if (!s)
        return -1;
    db_bind_int(s, 1, after_id);
    db_bind_int(s, 2, limit);
    collect_row *rows = calloc((size_t)limit, sizeof *rows);
    int rc, n = 0;
    while ((rc = db_step(s, e)) == 1 && n < limit) {
        collect_row *r = &rows[n++];
        r->id = db_col_int(s, 0);
        r->customer_id = db_col_int(s, 1);
        COPY(r->customer_code, db_col_text(s, 2));
        COPY(r->customer_name, db_col_text(s, 3));
        COPY(r->phone, db_col_text(s, 4));
        COPY(r->kind, db_col_text(s, 5));
        r->amount = db_col_int(s, 6);
        COPY(r->date, db_col_text(s, 7));
        COPY(r->due_date, db_col_text(s, 8));
        COPY(r->period, db_col_text(s, 9));
        const char *sym = db_col_text(s, 10);
        if (sym && sym[0])
            snprintf(r->invoice_no, sizeof r->invoice_no, "%s/%lld", sym, (long long)db_col_int(s, 11));
        COPY(r->receipt_no, db_col_text(s, 12));
    }
    db_reset(s);
    /* The callback writes to the outbox: the read is over before it runs. */
    for (int i = 0; rc >= 0 && i < n; i++) {
        if (fn(ctx, &rows[i]) != 0)
            rc = -1;
        else if (rows[i].id > *max_id)
            *max_id = rows[i].id;
    }
    free(rows);
    return rc < 0 ? -1 : 0;
}

int notify_source_max_id(db *d, const char *source, int64_t *max_id, pc_err *e)
{
    /* the sources event collection reads; a name from that fixed list, never from input */
    const char *sql = strcmp(source, "invoice") == 0   ? "SELECT COALESCE(max(id), 0) FROM invoice"
                      : strcmp(source, "payment") == 0 ? "SELECT COALESCE(max(id), 0) FROM payment"
                      : strcmp(source, "dunning_step") == 0 ? "SELECT COALESCE(max(id), 0) FROM dunning_step"
                                                            : NULL;
    if (!sql)
        return pc_errf(e, PC_EINVAL, "no event source '%s'", source);
    db_stmt *s = db_prepare(d, sql, e);
    if (!s)
        return -1;
    int rc = db_step(s, e);
    *max_id = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
