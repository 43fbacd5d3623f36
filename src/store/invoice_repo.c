/* SQL for invoices and e-invoice series (see invoices.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "store/invoices.h"
#include "store/payments.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

int series_current(db *d, int64_t company_id, int year, const char *new_symbol, char symbol[16], int64_t *last,
                   pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT symbol, last_number FROM einvoice_series WHERE company_id = ? AND year = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, company_id);
    db_bind_int(s, 2, year);
    int rc = db_step(s, e);
    if (rc == 1) {
        snprintf(symbol, 16, "%s", db_col_text(s, 0));
        *last = db_col_int(s, 1);
    }
    db_reset(s);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    db_stmt *ins = db_prepare(d, "INSERT INTO einvoice_series (company_id, year, symbol, last_number) VALUES (?, ?, ?, 0)", e);
    if (!ins)
        return -1;
    db_bind_int(ins, 1, company_id);
    db_bind_int(ins, 2, year);
    db_bind_text(ins, 3, new_symbol);
    if (db_run(ins, e) != 0)
        return pc_err_prefix(e, "e-invoice series %s", new_symbol);
    snprintf(symbol, 16, "%s", new_symbol);
    *last = 0;
    return 0;
}

int series_advance(db *d, int64_t company_id, int year, int64_t last, int64_t upto, pc_err *e)
{
    db_stmt *up = db_prepare(d, "UPDATE einvoice_series SET last_number = ? WHERE company_id = ? AND year = ? "
                                "AND last_number = ?", e);
    if (!up)
        return -1;
    db_bind_int(up, 1, upto);
    db_bind_int(up, 2, company_id);
    db_bind_int(up, 3, year);
    db_bind_int(up, 4, last);
    if (db_run(up, e) != 0)
        return -1;
    if (db_changes(d) != 1)
        return pc_errf(e, PC_ECONFLICT, "e-invoice series of %d moved while numbers were being taken", year);
    return 0;
}

#define BILLABLE_WHERE                                                                                          \
    "r.status IN ('ok', 'approved') AND NOT EXISTS (SELECT 1 FROM invoice_read ir WHERE ir.read_id = r.id) "    \
    "AND ((r.kind = 'regular' AND r.read_date >= ? AND r.read_date <= ?) OR (r.kind = 'final' AND r.read_date <= ?)) "

int scope_customers(db *d, const char *scope_path, const char *route, int64_t after_id, int limit, int64_t *ids, int *n,
                    pc_err *e)
{
    /* Walks the customers in key order (each chunk costs its own size, whatever the table's);
     * the chunk's reads then come by customer from meter_read_customer. A customer with nothing
     * to bill costs one index entry. */
    db_stmt *s = db_prepare(d, "SELECT c.id FROM customer c JOIN org_node u ON u.id = c.unit_id "
                               "WHERE c.id > ? AND (? IS NULL OR substr(u.path, 1, length(CAST(? AS TEXT))) = ?) "
                               "AND (? IS NULL OR c.route = ?) ORDER BY c.id LIMIT ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, after_id);
    db_bind_text(s, 2, scope_path);
    db_bind_text(s, 3, scope_path);
    db_bind_text(s, 4, scope_path);
    db_bind_text(s, 5, route);
    db_bind_text(s, 6, route);
    db_bind_int(s, 7, limit);
    int rc;
    *n = 0;
    while ((rc = db_step(s, e)) == 1 && *n < limit)
        ids[(*n)++] = db_col_int(s, 0);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int billable_reads(db *d, const char *first, const char *last, int64_t from_id, int64_t to_id, billable_fn fn,
                   void *ctx, pc_err *e)
{
    /* One statement brings each read with what rating needs: the read it measures from (the
     * start of its period) and the contract in force on its date. */
    db_stmt *s = db_prepare(d, "SELECT r.id, r.customer_id, c.unit_id, u.parent_id, p.code, r.read_date, r.kind, "
                               "r.kwh_total, r.kwh_normal, r.kwh_peak, r.kwh_offpeak, pr.read_date, c.code, "
                               "k.purpose, k.voltage, k.households, k.renter, k.persons, k.tou, k.payment_term_days "
                               "FROM meter_read r "
                               "JOIN customer c ON c.id = r.customer_id JOIN org_node u ON u.id = c.unit_id "
                               "JOIN org_node p ON p.id = u.parent_id "
                               "LEFT JOIN meter_read pr ON pr.id = r.prev_read_id "
                               "JOIN contract k ON k.id = (SELECT id FROM contract WHERE customer_id = r.customer_id "
                               "  AND valid_from <= r.read_date ORDER BY valid_from DESC LIMIT 1) "
                               "WHERE " BILLABLE_WHERE "AND r.customer_id >= ? AND r.customer_id <= ? "
                               "AND k.payment_mode = 'postpaid' " /* prepaid reads: daily charges (028) */
                               "ORDER BY r.customer_id, r.read_date, r.kind, r.id", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, first);
    db_bind_text(s, 2, last);
    db_bind_text(s, 3, last);
    db_bind_int(s, 4, from_id);
    db_bind_int(s, 5, to_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        billable_read b;
        memset(&b, 0, sizeof b);
        b.read_id = db_col_int(s, 0);
        b.customer_id = db_col_int(s, 1);
        b.unit_id = db_col_int(s, 2);
        b.company_id = db_col_int(s, 3);
        COPY(b.company_code, db_col_text(s, 4));
        COPY(b.read_date, db_col_text(s, 5));
        COPY(b.kind, db_col_text(s, 6));
        b.has_registers = db_col_null(s, 7);
        b.kwh_total = db_col_int(s, 7);
        for (int g = 0; g < 3; g++)
            b.kwh_reg[g] = db_col_int(s, 8 + g);
        if (b.has_registers)
            b.kwh_total = b.kwh_reg[0] + b.kwh_reg[1] + b.kwh_reg[2];
        COPY(b.prev_date, db_col_text(s, 11));
        COPY(b.customer_code, db_col_text(s, 12));
        customer_defaults(&b.terms);
        COPY(b.terms.code, db_col_text(s, 12));
        purpose_parse(db_col_text(s, 13), &b.terms.purpose, NULL);
        COPY(b.terms.voltage, db_col_text(s, 14));
        b.terms.households = (int)db_col_int(s, 15);
        b.terms.renter = db_col_int(s, 16) != 0;
        b.terms.persons = (int)db_col_int(s, 17);
        b.terms.tou = db_col_int(s, 18) != 0;
        b.terms.payment_term_days = (int)db_col_int(s, 19);
        if (fn(ctx, &b) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* What the customer owes on a new invoice becomes an open item (schema/013_open_items.sql). */
static int open_item_insert(db *d, const invoice_row *inv, pc_err *e)
{
    int64_t open = inv->total - inv->credit_applied;
    if (open <= 0)
        return 0;
    db_stmt *s = db_prepare(d, "INSERT INTO open_item (invoice_id, customer_id, period, due_date, number, open, unit_id, "
                               "issue_date, residential) VALUES (?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT CASE WHEN "
                               "k.purpose = 'residential' THEN 1 ELSE 0 END FROM contract k WHERE k.customer_id = ? "
                               "ORDER BY k.valid_from DESC LIMIT 1), 1))", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, inv->id);
    db_bind_int(s, 2, inv->customer_id);
    db_bind_text(s, 3, inv->period);
    db_bind_text(s, 4, inv->due_date);
    db_bind_int(s, 5, inv->number);
    db_bind_int(s, 6, open);
    db_bind_int(s, 7, inv->unit_id);
    db_bind_text(s, 8, inv->issue_date);
    db_bind_int(s, 9, inv->customer_id);
    return db_run(s, e);
}

int invoice_insert(db *d, invoice_row *inv, const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO invoice (customer_id, unit_id, kind, refers_to, period, from_date, to_date, "
                               "issue_date, due_date, symbol, number, kwh, energy, vat_rate, vat, total, reason, created_at, "
                               "created_by, credit_applied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, inv->customer_id);
    db_bind_int(s, 2, inv->unit_id);
    db_bind_text(s, 3, inv->kind);
    if (inv->refers_to)
        db_bind_int(s, 4, inv->refers_to);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, inv->period);
    db_bind_text(s, 6, inv->from_date);
    db_bind_text(s, 7, inv->to_date);
    db_bind_text(s, 8, inv->issue_date);
    db_bind_text(s, 9, inv->due_date);
    db_bind_text(s, 10, inv->symbol);
    db_bind_int(s, 11, inv->number);
    db_bind_int(s, 12, inv->kwh);
    db_bind_int(s, 13, inv->energy);
    db_bind_int(s, 14, inv->vat_rate);
    db_bind_int(s, 15, inv->vat);
    db_bind_int(s, 16, inv->total);
    db_bind_text(s, 17, inv->reason[0] ? inv->reason : NULL);
    db_bind_text(s, 18, timestamp_now(ts));
    db_bind_text(s, 19, actor);
    db_bind_int(s, 20, inv->credit_applied);
    if (db_run(s, e) != 0)
        return pc_err_prefix(e, "invoice %s/%lld", inv->symbol, (long long)inv->number);
    inv->id = db_last_insert_id(d);
    db_stmt *l = db_prepare(d, "INSERT INTO invoice_line (invoice_id, line_no, part_from, part_to, item, kwh, price, amount, "
                               "period) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!l)
        return -1;
    for (int i = 0; i < inv->nlines; i++) {
        const invoice_line_row *x = &inv->lines[i];
        db_bind_int(l, 1, inv->id);
        db_bind_int(l, 2, i + 1);
        db_bind_text(l, 3, x->part_from);
        db_bind_text(l, 4, x->part_to);
        db_bind_text(l, 5, x->item);
        db_bind_int(l, 6, x->kwh);
        db_bind_int(l, 7, x->price);
        db_bind_int(l, 8, x->amount);
        db_bind_text(l, 9, inv->period);
        if (db_run(l, e) != 0)
            return -1;
    }
    return open_item_insert(d, inv, e);
}

int invoice_corrected_by(db *d, int64_t customer_id, int64_t invoice_id, const char *kind, int64_t *first_id,
                         char symbol[16], int64_t *number, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id, symbol, number FROM invoice WHERE customer_id = ? AND refers_to = ? AND "
                               "kind = ? ORDER BY id LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_int(s, 2, invoice_id);
    db_bind_text(s, 3, kind);
    int rc = db_step(s, e);
    *first_id = *number = 0;
    symbol[0] = 0;
    if (rc == 1) {
        *first_id = db_col_int(s, 0);
        snprintf(symbol, 16, "%s", db_col_text(s, 1));
        *number = db_col_int(s, 2);
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int invoice_issue_lock(db *d, pc_err *e)
{
    return db_xact_lock(d, DB_LOCK_INVOICE_ISSUE, e);
}

/* ---- many invoices at once ---- */

#define WRITER_IDS 256

struct invoice_writer {
    db *d;
    char actor[64];
    db_bulk *inv, *lines, *reads, *credit, *open;
    int64_t ids[WRITER_IDS];
    int nids, next_id;
};

invoice_writer *invoice_writer_open(db *d, const char *actor, pc_err *e)
{
    invoice_writer *w = calloc(1, sizeof *w);
    if (!w) {
        pc_errf(e, PC_EINTERNAL, "out of memory");
        return NULL;
    }
    w->d = d;
    snprintf(w->actor, sizeof w->actor, "%s", actor);
    w->inv = db_bulk_open(d, "invoice",
                          "id, customer_id, unit_id, kind, refers_to, period, from_date, to_date, issue_date, due_date, "
                          "symbol, number, kwh, energy, vat_rate, vat, total, reason, created_at, created_by, credit_applied",
                          21, e);
    w->lines = w->inv ? db_bulk_open(d, "invoice_line", "invoice_id, line_no, part_from, part_to, item, kwh, price, amount, period",
                                     9, e)
                      : NULL;
    w->reads = w->lines ? db_bulk_open(d, "invoice_read", "read_id, invoice_id", 2, e) : NULL;
    w->credit = w->reads ? db_bulk_open(d, "customer_credit",
                                        "customer_id, source, source_id, invoice_id, amount, created_at, created_by", 7, e)
                         : NULL;
    w->open = w->credit ? db_bulk_open(d, "open_item", "invoice_id, customer_id, period, due_date, number, open, unit_id, "
                                                    "issue_date, residential", 9, e)
                        : NULL;
    if (!w->open) {
        invoice_writer_close(w);
        return NULL;
    }
    /* SQLite: the rows wait for invoice_writer_flush and go in many a statement */
    db_bulk *all[] = {w->inv, w->lines, w->reads, w->credit, w->open};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        db_bulk_batch(all[i]);
    return w;
}

int invoice_writer_add(invoice_writer *w, invoice_row *inv, const int64_t *read_ids, int nreads, pc_err *e)
{
    if (w->next_id == w->nids) {
        if (db_reserve_ids(w->d, "invoice", WRITER_IDS, w->ids, e) != 0)
            return -1;
        w->nids = WRITER_IDS;
        w->next_id = 0;
    }
    inv->id = w->ids[w->next_id++];
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    db_bulk *b = w->inv;
    db_bulk_int(b, inv->id);
    db_bulk_int(b, inv->customer_id);
    db_bulk_int(b, inv->unit_id);
    db_bulk_text(b, inv->kind);
    if (inv->refers_to)
        db_bulk_int(b, inv->refers_to);
    else
        db_bulk_text(b, NULL);
    db_bulk_text(b, inv->period);
    db_bulk_text(b, inv->from_date);
    db_bulk_text(b, inv->to_date);
    db_bulk_text(b, inv->issue_date);
    db_bulk_text(b, inv->due_date);
    db_bulk_text(b, inv->symbol);
    db_bulk_int(b, inv->number);
    db_bulk_int(b, inv->kwh);
    db_bulk_int(b, inv->energy);
    db_bulk_int(b, inv->vat_rate);
    db_bulk_int(b, inv->vat);
    db_bulk_int(b, inv->total);
    db_bulk_text(b, inv->reason[0] ? inv->reason : NULL);
    db_bulk_text(b, ts);
    db_bulk_text(b, w->actor);
    db_bulk_int(b, inv->credit_applied);
    if (db_bulk_row(b, e) != 0)
        return pc_err_prefix(e, "invoice %s/%lld", inv->symbol, (long long)inv->number);
    for (int i = 0; i < inv->nlines; i++) {
        const invoice_line_row *x = &inv->lines[i];
        db_bulk_int(w->lines, inv->id);
        db_bulk_int(w->lines, i + 1);
        db_bulk_text(w->lines, x->part_from);
        db_bulk_text(w->lines, x->part_to);
        db_bulk_text(w->lines, x->item);
        db_bulk_int(w->lines, x->kwh);
        db_bulk_int(w->lines, x->price);
        db_bulk_int(w->lines, x->amount);
        db_bulk_text(w->lines, inv->period);
        if (db_bulk_row(w->lines, e) != 0)
            return -1;
    }
    for (int i = 0; i < nreads; i++) {
        db_bulk_int(w->reads, read_ids[i]);
        db_bulk_int(w->reads, inv->id);
        if (db_bulk_row(w->reads, e) != 0) {
            if (e && e->code == PC_ECONFLICT)
                return pc_errf(e, PC_ECONFLICT, "read %lld is already billed", (long long)read_ids[i]);
            return -1;
        }
    }
    if (inv->total - inv->credit_applied > 0) {
        db_bulk_int(w->open, inv->id);
        db_bulk_int(w->open, inv->customer_id);
        db_bulk_text(w->open, inv->period);
        db_bulk_text(w->open, inv->due_date);
        db_bulk_int(w->open, inv->number);
        db_bulk_int(w->open, inv->total - inv->credit_applied);
        db_bulk_int(w->open, inv->unit_id);
        db_bulk_text(w->open, inv->issue_date);
        db_bulk_int(w->open, inv->residential ? 1 : 0);
        if (db_bulk_row(w->open, e) != 0)
            return -1;
    }
    if (inv->credit_applied) {
        db_bulk_int(w->credit, inv->customer_id);
        db_bulk_text(w->credit, "invoice");
        db_bulk_text(w->credit, NULL);
        db_bulk_int(w->credit, inv->id);
        db_bulk_int(w->credit, -inv->credit_applied);
        db_bulk_text(w->credit, ts);
        db_bulk_text(w->credit, w->actor);
        if (db_bulk_row(w->credit, e) != 0)
            return -1;
    }
    return 0;
}

int invoice_writer_flush(invoice_writer *w, pc_err *e)
{
    if (db_bulk_flush(w->inv, e) != 0 || db_bulk_flush(w->lines, e) != 0)
        return -1;
    if (db_bulk_flush(w->reads, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            pc_err_prefix(e, "some reads are already billed (another billing run?)");
        return -1;
    }
    if (db_bulk_flush(w->credit, e) != 0 || db_bulk_flush(w->open, e) != 0)
        return -1;
    /* SQLite reserves keys after the table's largest and after those reserved in the same
     * transaction: keys left over here would be handed out again once the caller commits (the
     * rows written with them wait in the bulks until the next flush). Nothing is lost: SQLite
     * keys are not drawn from a sequence. */
    if (db_engine_of(w->d) == DB_SQLITE)
        w->nids = w->next_id = 0;
    return 0;
}

void invoice_writer_discard(invoice_writer *w)
{
    db_bulk_discard(w->inv);
    db_bulk_discard(w->lines);
    db_bulk_discard(w->reads);
    db_bulk_discard(w->credit);
    db_bulk_discard(w->open);
    w->nids = w->next_id = 0; /* keys reserved in a rolled-back transaction may be reused (SQLite) */
}

void invoice_writer_close(invoice_writer *w)
{
    if (!w)
        return;
    db_bulk_close(w->inv);
    db_bulk_close(w->lines);
    db_bulk_close(w->reads);
    db_bulk_close(w->credit);
    db_bulk_close(w->open);
    free(w);
}

int invoice_link_read(db *d, int64_t invoice_id, int64_t read_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO invoice_read (read_id, invoice_id) VALUES (?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, read_id);
    db_bind_int(s, 2, invoice_id);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "read %lld is already billed", (long long)read_id);
        return -1;
    }
    return 0;
}

int invoice_get(db *d, const char *symbol, int64_t number, int64_t id, invoice_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT i.id, i.customer_id, i.unit_id, c.code, i.kind, i.refers_to, i.period, i.from_date, "
                               "i.to_date, i.issue_date, i.due_date, i.symbol, i.number, i.kwh, i.energy, i.vat_rate, i.vat, "
                               "i.total, i.reason, i.credit_applied FROM invoice i JOIN customer c ON c.id = i.customer_id "
                               "WHERE (? IS NOT NULL AND i.symbol = ? AND i.number = ?) OR (? IS NULL AND i.id = ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, symbol);
    db_bind_text(s, 2, symbol);
    db_bind_int(s, 3, number);
    db_bind_text(s, 4, symbol);
    db_bind_int(s, 5, id);
    int rc = db_step(s, e);
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int(s, 0);
        out->customer_id = db_col_int(s, 1);
        out->unit_id = db_col_int(s, 2);
        COPY(out->customer_code, db_col_text(s, 3));
        COPY(out->kind, db_col_text(s, 4));
        out->refers_to = db_col_int(s, 5);
        COPY(out->period, db_col_text(s, 6));
        COPY(out->from_date, db_col_text(s, 7));
        COPY(out->to_date, db_col_text(s, 8));
        COPY(out->issue_date, db_col_text(s, 9));
        COPY(out->due_date, db_col_text(s, 10));
        COPY(out->symbol, db_col_text(s, 11));
        out->number = db_col_int(s, 12);
        out->kwh = db_col_int(s, 13);
        out->energy = db_col_int(s, 14);
        out->vat_rate = (int)db_col_int(s, 15);
        out->vat = db_col_int(s, 16);
        out->total = db_col_int(s, 17);
        COPY(out->reason, db_col_text(s, 18));
        out->credit_applied = db_col_int(s, 19);
    }
    db_reset(s);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        if (symbol)
            return pc_errf(e, PC_ENOTFOUND, "invoice %s/%lld does not exist", symbol, (long long)number);
        return pc_errf(e, PC_ENOTFOUND, "invoice %lld does not exist", (long long)id);
    }
    db_stmt *l = db_prepare(d, "SELECT line_no, part_from, part_to, item, kwh, price, amount FROM invoice_line "
                               "WHERE invoice_id = ? ORDER BY line_no", e);
    if (!l)
        return -1;
    db_bind_int(l, 1, out->id);
    while ((rc = db_step(l, e)) == 1 && out->nlines < INVOICE_MAX_LINES) {
        invoice_line_row *x = &out->lines[out->nlines++];
        x->line_no = (int)db_col_int(l, 0);
        COPY(x->part_from, db_col_text(l, 1));
        COPY(x->part_to, db_col_text(l, 2));
        COPY(x->item, db_col_text(l, 3));
        x->kwh = db_col_int(l, 4);
        x->price = db_col_int(l, 5);
        x->amount = db_col_int(l, 6);
    }
    db_reset(l);
    return rc < 0 ? -1 : 0;
}

int read_billed_by(db *d, int64_t read_id, int64_t *invoice_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT invoice_id FROM invoice_read WHERE read_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, read_id);
    int rc = db_step(s, e);
    *invoice_id = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int invoice_period_totals(db *d, const char *period, const char *scope_path, invoice_totals *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT count(*), COALESCE(sum(i.kwh), 0), COALESCE(sum(i.energy), 0), "
                               "COALESCE(sum(i.vat), 0), COALESCE(sum(i.total), 0) FROM invoice i "
                               "JOIN org_node n ON n.id = i.unit_id WHERE i.period = ? "
                               "AND (? IS NULL OR substr(n.path, 1, length(CAST(? AS TEXT))) = ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, period);
    db_bind_text(s, 2, scope_path);
    db_bind_text(s, 3, scope_path);
    db_bind_text(s, 4, scope_path);
    int rc = db_step(s, e);
    if (rc == 1)
        *out = (invoice_totals){db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2), db_col_int(s, 3), db_col_int(s, 4)};
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int credit_add(db *d, int64_t customer_id, const char *source, int64_t source_id, int64_t invoice_id, int64_t amount,
               const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO customer_credit (customer_id, source, source_id, invoice_id, amount, created_at, "
                               "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, source);
    if (source_id)
        db_bind_int(s, 3, source_id);
    else
        db_bind_null(s, 3);
    if (invoice_id)
        db_bind_int(s, 4, invoice_id);
    else
        db_bind_null(s, 4);
    db_bind_int(s, 5, amount);
    db_bind_text(s, 6, timestamp_now(ts));
    db_bind_text(s, 7, actor);
    return db_run(s, e);
}

int credit_balance(db *d, int64_t customer_id, int64_t *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(sum(amount), 0) FROM customer_credit WHERE customer_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc = db_step(s, e);
    *out = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int credit_balances(db *d, int64_t from_id, int64_t to_id, credit_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT customer_id, sum(amount) FROM customer_credit WHERE customer_id >= ? AND "
                               "customer_id <= ? GROUP BY customer_id HAVING sum(amount) > 0 ORDER BY customer_id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, from_id);
    db_bind_int(s, 2, to_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        if (fn(ctx, db_col_int(s, 0), db_col_int(s, 1)) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
