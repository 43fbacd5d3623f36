/* SQL for collection (see payments.h). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/payments.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

/* ---- partners ---- */

int partner_insert(db *d, partner_row *p, const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO partner (code, name, kind, settlement_days, created_at, created_by) "
                               "VALUES (?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, p->code);
    db_bind_text(s, 2, p->name);
    db_bind_text(s, 3, p->kind);
    db_bind_int(s, 4, p->settlement_days);
    db_bind_text(s, 5, timestamp_now(ts));
    db_bind_text(s, 6, actor);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "partner %s exists already", p->code);
        return -1;
    }
    p->id = db_last_insert_id(d);
    return 0;
}

static void partner_from(db_stmt *s, partner_row *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_col_int(s, 0);
    COPY(p->code, db_col_text(s, 1));
    COPY(p->name, db_col_text(s, 2));
    COPY(p->kind, db_col_text(s, 3));
    p->settlement_days = (int)db_col_int(s, 4);
}

int partner_get(db *d, const char *code, partner_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id, code, name, kind, settlement_days FROM partner WHERE code = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    int rc = db_step(s, e);
    if (rc == 1)
        partner_from(s, out);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no partner '%s' (see `powercis partner list`)", code);
    return rc < 0 ? -1 : 0;
}

int partner_list(db *d, partner_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id, code, name, kind, settlement_days FROM partner ORDER BY code", e);
    if (!s)
        return -1;
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        partner_row p;
        partner_from(s, &p);
        if (fn(ctx, &p) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- payers ---- */

#define PAYER_SELECT                                                                                            \
    "SELECT c.id, c.unit_id, c.code, c.name, c.address, c.phone, c.status, u.code FROM customer c "           \
    "JOIN org_node u ON u.id = c.unit_id "

static void payer_from(db_stmt *s, payer_row *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_col_int(s, 0);
    p->unit_id = db_col_int(s, 1);
    COPY(p->code, db_col_text(s, 2));
    COPY(p->name, db_col_text(s, 3));
    COPY(p->address, db_col_text(s, 4));
    COPY(p->phone, db_col_text(s, 5));
    COPY(p->status, db_col_text(s, 6));
    COPY(p->unit_code, db_col_text(s, 7));
}

static int payer_query(db *d, const char *sql, const char *code, int64_t id, payer_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, sql, e);
    if (!s)
        return -1;
    if (code)
        db_bind_text(s, 1, code);
    else
        db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        payer_from(s, out);
    db_reset(s);
    if (rc == 0)
        return code ? pc_errf(e, PC_ENOTFOUND, "no customer '%s'", code)
                    : pc_errf(e, PC_ENOTFOUND, "no customer with id %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int payer_get(db *d, const char *code, payer_row *out, pc_err *e)
{
    return payer_query(d, PAYER_SELECT "WHERE c.code = ?", code, 0, out, e);
}

int payer_get_by_id(db *d, int64_t id, payer_row *out, pc_err *e)
{
    return payer_query(d, PAYER_SELECT "WHERE c.id = ?", NULL, id, out, e);
}

int payer_lock(db *d, int64_t customer_id, pc_err *e)
{
    if (db_engine_of(d) != DB_POSTGRES)
        return 0;
    db_stmt *s = db_prepare(d, "SELECT id FROM customer WHERE id = ? FOR UPDATE", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    return db_run(s, e);
}

/* ---- open invoices ---- */

/* The open items (schema/013_open_items.sql): what is left to pay on each open invoice. */
void open_bill_from(db_stmt *s, int col, open_bill *b)
{
    memset(b, 0, sizeof *b);
    b->invoice_id = db_col_int(s, col);
    COPY(b->symbol, db_col_text(s, col + 1));
    b->number = db_col_int(s, col + 2);
    COPY(b->period, db_col_text(s, col + 3));
    COPY(b->issue_date, db_col_text(s, col + 4));
    COPY(b->due_date, db_col_text(s, col + 5));
    b->total = db_col_int(s, col + 6);
    b->open = db_col_int(s, col + 7);
}

int open_bills_of(db *d, int64_t customer_id, open_bill_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT o.invoice_id, i.symbol, i.number, i.period, i.issue_date, i.due_date, i.total, o.open "
                               "FROM open_item o JOIN invoice i ON i.id = o.invoice_id AND i.period = o.period "
                               "WHERE o.customer_id = ? ORDER BY o.due_date, o.number, o.invoice_id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        open_bill b;
        open_bill_from(s, 0, &b);
        if (fn(ctx, &b) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int open_bills_in_scope(db *d, const char *scope_path, scope_bill_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.id, c.unit_id, c.code, c.name, c.address, c.phone, c.status, u.code, "
                               "o.invoice_id, i.symbol, i.number, i.period, i.issue_date, i.due_date, i.total, o.open "
                               "FROM open_item o JOIN invoice i ON i.id = o.invoice_id AND i.period = o.period "
                               "JOIN customer c ON c.id = o.customer_id JOIN org_node u ON u.id = c.unit_id "
                               "WHERE (? IS NULL OR substr(u.path, 1, length(CAST(? AS TEXT))) = ?) "
                               "ORDER BY c.code, o.due_date, o.number", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, scope_path);
    db_bind_text(s, 2, scope_path);
    db_bind_text(s, 3, scope_path);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        payer_row c;
        payer_from(s, &c);
        open_bill b;
        open_bill_from(s, 8, &b);
        if (fn(ctx, &c, &b) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int open_item_apply(db *d, int64_t invoice_id, int64_t delta, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE open_item SET open = open + ? WHERE invoice_id = ? AND open + ? > 0", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, delta);
    db_bind_int(s, 2, invoice_id);
    db_bind_int(s, 3, delta);
    if (db_run(s, e) != 0)
        return -1;
    if (db_changes(d) == 1)
        return 0;
    if (delta < 0) {
        /* Settled (or an allocation beyond the open amount, which allocation never makes). */
        s = db_prepare(d, "DELETE FROM open_item WHERE invoice_id = ? AND open + ? = 0", e);
        if (!s)
            return -1;
        db_bind_int(s, 1, invoice_id);
        db_bind_int(s, 2, delta);
        if (db_run(s, e) != 0)
            return -1;
        if (db_changes(d) != 1)
            return pc_errf(e, PC_ECONFLICT, "invoice %lld: the allocation exceeds what is open", (long long)invoice_id);
        return 0;
    }
    /* A reversal reopens a settled invoice. */
    s = db_prepare(d, "INSERT INTO open_item (invoice_id, customer_id, period, due_date, number, open, unit_id, "
                      "issue_date, residential) SELECT i.id, i.customer_id, i.period, i.due_date, i.number, ?, i.unit_id, "
                      "i.issue_date, COALESCE((SELECT CASE WHEN k.purpose = 'residential' THEN 1 ELSE 0 END FROM contract k "
                      "WHERE k.customer_id = i.customer_id ORDER BY k.valid_from DESC LIMIT 1), 1) FROM invoice i WHERE i.id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, delta);
    db_bind_int(s, 2, invoice_id);
    if (db_run(s, e) != 0)
        return -1;
    return db_changes(d) == 1 ? 0 : pc_errf(e, PC_ENOTFOUND, "no invoice %lld", (long long)invoice_id);
}

/* ---- shifts ---- */

int shift_insert(db *d, shift_row *sh, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO cashier_shift (cashier, unit_id, opened_at, opening_float) VALUES (?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, sh->cashier);
    db_bind_int(s, 2, sh->unit_id);
    db_bind_text(s, 3, sh->opened_at);
    db_bind_int(s, 4, sh->opening_float);
    if (db_run(s, e) != 0)
        return -1;
    sh->id = db_last_insert_id(d);
    return 0;
}

int shift_get(db *d, int64_t id, shift_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT s.id, s.cashier, s.unit_id, u.code, s.opened_at, s.opening_float, c.closed_at, "
                               "c.expected_cash, c.counted_cash, c.difference, c.totals, c.note "
                               "FROM cashier_shift s JOIN org_node u ON u.id = s.unit_id "
                               "LEFT JOIN shift_close c ON c.shift_id = s.id WHERE s.id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int(s, 0);
        COPY(out->cashier, db_col_text(s, 1));
        out->unit_id = db_col_int(s, 2);
        COPY(out->unit_code, db_col_text(s, 3));
        COPY(out->opened_at, db_col_text(s, 4));
        out->opening_float = db_col_int(s, 5);
        out->closed = !db_col_null(s, 6);
        COPY(out->closed_at, db_col_text(s, 6));
        out->expected_cash = db_col_int(s, 7);
        out->counted_cash = db_col_int(s, 8);
        out->difference = db_col_int(s, 9);
        COPY(out->totals, db_col_text(s, 10));
        COPY(out->note, db_col_text(s, 11));
    }
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no shift %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int shift_close_insert(db *d, const shift_row *sh, const char *actor, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO shift_close (shift_id, closed_at, expected_cash, counted_cash, difference, "
                               "totals, note, closed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, sh->id);
    db_bind_text(s, 2, sh->closed_at);
    db_bind_int(s, 3, sh->expected_cash);
    db_bind_int(s, 4, sh->counted_cash);
    db_bind_int(s, 5, sh->difference);
    db_bind_text(s, 6, sh->totals);
    db_bind_text(s, 7, sh->note[0] ? sh->note : NULL);
    db_bind_text(s, 8, actor);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "shift %lld is closed already", (long long)sh->id);
        return -1;
    }
    return 0;
}

int shift_open_of(db *d, const char *cashier, shift_row *out, bool *found, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT s.id FROM cashier_shift s WHERE s.cashier = ? AND NOT EXISTS "
                               "(SELECT 1 FROM shift_close c WHERE c.shift_id = s.id) ORDER BY s.opened_at DESC, s.id DESC "
                               "LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, cashier);
    int rc = db_step(s, e);
    int64_t id = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    *found = false;
    if (rc < 0)
        return -1;
    if (rc == 0)
        return 0;
    *found = true;
    return shift_get(d, id, out, e);
}

int shift_totals(db *d, int64_t shift_id, method_total *out, int *n, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT method, count(*), sum(amount) FROM payment WHERE shift_id = ? GROUP BY method "
                               "ORDER BY method", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, shift_id);
    int rc;
    *n = 0;
    while ((rc = db_step(s, e)) == 1 && *n < 8) {
        method_total *t = &out[(*n)++];
        COPY(t->method, db_col_text(s, 0));
        t->count = db_col_int(s, 1);
        t->amount = db_col_int(s, 2);
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- payments ---- */

int posting_key_find(db *d, const char *source, const char *ext_ref, int64_t *payment_id, char content_hash[65],
                     bool *found, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT payment_id, content_hash FROM posting_key WHERE source = ? AND ext_ref = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, source);
    db_bind_text(s, 2, ext_ref);
    int rc = db_step(s, e);
    *found = rc == 1;
    if (rc == 1) {
        *payment_id = db_col_int(s, 0);
        snprintf(content_hash, 65, "%s", db_col_text(s, 1));
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int posting_key_insert(db *d, const char *source, const char *ext_ref, const char *content_hash, int64_t payment_id,
                       pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO posting_key (source, ext_ref, content_hash, payment_id) VALUES (?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, source);
    db_bind_text(s, 2, ext_ref);
    db_bind_text(s, 3, content_hash);
    db_bind_int(s, 4, payment_id);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "%s/%s was posted meanwhile", source, ext_ref);
        return -1;
    }
    return 0;
}

int payment_insert(db *d, payment_row *p, const char *actor, pc_err *e)
{
    int64_t id;
    if (db_reserve_ids(d, "payment", 1, &id, e) != 0)
        return -1;
    p->id = id;
    if (!p->receipt_no[0])
        snprintf(p->receipt_no, sizeof p->receipt_no, "BN%010lld", (long long)id);
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO payment (id, customer_id, channel, method, source, ext_ref, amount, paid_at, "
                               "paid_date, reverses_id, shift_id, file_id, receipt_no, reason, created_at, created_by) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, p->customer_id);
    db_bind_text(s, 3, p->channel);
    db_bind_text(s, 4, p->method);
    db_bind_text(s, 5, p->source);
    db_bind_text(s, 6, p->ext_ref);
    db_bind_int(s, 7, p->amount);
    db_bind_text(s, 8, p->paid_at);
    db_bind_text(s, 9, p->paid_date);
    if (p->reverses_id)
        db_bind_int(s, 10, p->reverses_id);
    else
        db_bind_null(s, 10);
    if (p->shift_id)
        db_bind_int(s, 11, p->shift_id);
    else
        db_bind_null(s, 11);
    if (p->file_id)
        db_bind_int(s, 12, p->file_id);
    else
        db_bind_null(s, 12);
    db_bind_text(s, 13, p->receipt_no);
    db_bind_text(s, 14, p->reason[0] ? p->reason : NULL);
    db_bind_text(s, 15, timestamp_now(ts));
    db_bind_text(s, 16, actor);
    if (db_run(s, e) != 0)
        return pc_err_prefix(e, "payment %s/%s", p->source, p->ext_ref);
    db_stmt *a = db_prepare(d, "INSERT INTO payment_alloc (payment_id, invoice_id, amount, alloc_date) VALUES (?, ?, ?, ?)", e);
    if (!a)
        return -1;
    for (int i = 0; i < p->nalloc; i++) {
        db_bind_int(a, 1, id);
        db_bind_int(a, 2, p->alloc[i].invoice_id);
        db_bind_int(a, 3, p->alloc[i].amount);
        db_bind_text(a, 4, p->paid_date);
        if (db_run(a, e) != 0 || open_item_apply(d, p->alloc[i].invoice_id, -p->alloc[i].amount, e) != 0)
            return -1;
    }
    return 0;
}

#define PAYMENT_COLUMNS                                                                                         \
    "SELECT p.id, p.customer_id, c.code, p.channel, p.method, p.source, p.ext_ref, p.amount, p.paid_at, "      \
    "p.paid_date, p.reverses_id, p.shift_id, p.file_id, p.receipt_no, p.reason, p.created_by "
#define PAYMENT_FROM "FROM payment p JOIN customer c ON c.id = p.customer_id "
#define PAYMENT_SELECT PAYMENT_COLUMNS PAYMENT_FROM

static void payment_from(db_stmt *s, payment_row *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_col_int(s, 0);
    p->customer_id = db_col_int(s, 1);
    COPY(p->customer_code, db_col_text(s, 2));
    COPY(p->channel, db_col_text(s, 3));
    COPY(p->method, db_col_text(s, 4));
    COPY(p->source, db_col_text(s, 5));
    COPY(p->ext_ref, db_col_text(s, 6));
    p->amount = db_col_int(s, 7);
    COPY(p->paid_at, db_col_text(s, 8));
    COPY(p->paid_date, db_col_text(s, 9));
    p->reverses_id = db_col_int(s, 10);
    p->shift_id = db_col_int(s, 11);
    p->file_id = db_col_int(s, 12);
    COPY(p->receipt_no, db_col_text(s, 13));
    COPY(p->reason, db_col_text(s, 14));
    COPY(p->created_by, db_col_text(s, 15));
}

int payment_get(db *d, int64_t id, payment_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, PAYMENT_SELECT "WHERE p.id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        payment_from(s, out);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no payment %lld", (long long)id);
    if (rc < 0)
        return -1;
    db_stmt *a = db_prepare(d, "SELECT a.invoice_id, a.amount, i.symbol, i.number, i.period FROM payment_alloc a "
                               "JOIN invoice i ON i.id = a.invoice_id WHERE a.payment_id = ? ORDER BY i.due_date, i.number", e);
    if (!a)
        return -1;
    db_bind_int(a, 1, id);
    int64_t allocated = 0;
    while ((rc = db_step(a, e)) == 1 && out->nalloc < 64) {
        alloc_row *r = &out->alloc[out->nalloc++];
        r->invoice_id = db_col_int(a, 0);
        r->amount = db_col_int(a, 1);
        COPY(r->symbol, db_col_text(a, 2));
        r->number = db_col_int(a, 3);
        COPY(r->period, db_col_text(a, 4));
        allocated += r->amount;
    }
    db_reset(a);
    out->excess = out->amount - allocated;
    return rc < 0 ? -1 : 0;
}

int payment_reversal_of(db *d, int64_t payment_id, int64_t *reversal_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM payment WHERE reverses_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, payment_id);
    int rc = db_step(s, e);
    *reversal_id = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int payments_of_source_day(db *d, const char *source, const char *date, payment_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, PAYMENT_SELECT "WHERE p.source = ? AND p.paid_date = ? ORDER BY p.id", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, source);
    db_bind_text(s, 2, date);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        payment_row p;
        payment_from(s, &p);
        if (fn(ctx, &p) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int payments_of_shift(db *d, int64_t shift_id, long limit, long offset, shift_payment_fn fn, void *ctx, long *total,
                      pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT count(*) FROM payment WHERE shift_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, shift_id);
    int rc = db_step(s, e);
    *total = rc == 1 ? (long)db_col_int(s, 0) : 0;
    db_reset(s);
    if (rc < 0)
        return -1;
    s = db_prepare(d, PAYMENT_COLUMNS
                      ", CASE WHEN EXISTS (SELECT 1 FROM payment r WHERE r.reverses_id = p.id) THEN 1 ELSE 0 END " PAYMENT_FROM
                      "WHERE p.shift_id = ? ORDER BY p.id DESC LIMIT ? OFFSET ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, shift_id);
    db_bind_int(s, 2, limit);
    db_bind_int(s, 3, offset);
    while ((rc = db_step(s, e)) == 1) {
        payment_row p;
        payment_from(s, &p);
        if (fn(ctx, &p, db_col_int(s, 16) != 0) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
