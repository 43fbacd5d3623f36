/* SQL for reconciliation (see recon.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/recon.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

/* ---- partner statements ---- */

/* PostgreSQL's COPY buffer is flushed every so many rows: a million-line statement then needs
 * a few megabytes, not a hundred. */
#define WRITER_FLUSH_ROWS 50000

struct statement_writer {
    db_bulk *lines;
    long pending;
};

statement_writer *statement_writer_open(db *d, pc_err *e)
{
    statement_writer *w = calloc(1, sizeof *w);
    if (!w) {
        pc_errf(e, PC_EINTERNAL, "out of memory");
        return NULL;
    }
    w->lines = db_bulk_open(d, "statement_line", "file_id, line, partner, day, txn_ref, customer_code, amount, paid_at", 8,
                            e);
    if (!w->lines) {
        free(w);
        return NULL;
    }
    return w;
}

int statement_writer_add(statement_writer *w, const statement_line_row *r, pc_err *e)
{
    db_bulk *b = w->lines;
    db_bulk_int(b, r->file_id);
    db_bulk_int(b, r->line);
    db_bulk_text(b, r->partner);
    db_bulk_text(b, r->day);
    db_bulk_text(b, r->txn_ref);
    db_bulk_text(b, r->customer_code);
    db_bulk_int(b, r->amount);
    db_bulk_text(b, r->paid_at);
    if (db_bulk_row(b, e) != 0)
        return pc_err_prefix(e, "statement line %ld", r->line);
    if (++w->pending >= WRITER_FLUSH_ROWS)
        return statement_writer_flush(w, e);
    return 0;
}

int statement_writer_flush(statement_writer *w, pc_err *e)
{
    w->pending = 0;
    return db_bulk_flush(w->lines, e);
}

void statement_writer_close(statement_writer *w)
{
    if (!w)
        return;
    db_bulk_discard(w->lines);
    db_bulk_close(w->lines);
    free(w);
}

int statement_lines_of_day(db *d, const char *partner, const char *day, statement_line_fn fn, void *ctx, pc_err *e)
{
    /* The latest file first, then its lines: one index range each (partner, day, file_id). */
    db_stmt *s = db_prepare(d, "SELECT MAX(file_id) FROM statement_line WHERE partner = ? AND day = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, partner);
    db_bind_text(s, 2, day);
    int rc = db_step(s, e);
    int64_t file_id = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    if (rc < 0)
        return -1;
    if (file_id == 0)
        return 0;
    s = db_prepare(d, "SELECT file_id, line, partner, day, txn_ref, customer_code, amount, paid_at FROM statement_line "
                      "WHERE partner = ? AND day = ? AND file_id = ? ORDER BY line", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, partner);
    db_bind_text(s, 2, day);
    db_bind_int(s, 3, file_id);
    while ((rc = db_step(s, e)) == 1) {
        statement_line_row r;
        r.file_id = db_col_int(s, 0);
        r.line = (long)db_col_int(s, 1);
        COPY(r.partner, db_col_text(s, 2));
        COPY(r.day, db_col_text(s, 3));
        COPY(r.txn_ref, db_col_text(s, 4));
        COPY(r.customer_code, db_col_text(s, 5));
        r.amount = db_col_int(s, 6);
        COPY(r.paid_at, db_col_text(s, 7));
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- bank statement ---- */

#define BANK_SELECT "SELECT file_id, line, reference, value_date, amount, partner, for_day, narrative FROM bank_line "

static void bank_from(db_stmt *s, bank_line_row *r)
{
    r->file_id = db_col_int(s, 0);
    r->line = (long)db_col_int(s, 1);
    COPY(r->reference, db_col_text(s, 2));
    COPY(r->value_date, db_col_text(s, 3));
    r->amount = db_col_int(s, 4);
    COPY(r->partner, db_col_text(s, 5));
    COPY(r->for_day, db_col_text(s, 6));
    COPY(r->narrative, db_col_text(s, 7));
}

int bank_line_insert(db *d, const bank_line_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO bank_line (file_id, line, reference, value_date, amount, partner, for_day, "
                               "narrative) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->file_id);
    db_bind_int(s, 2, r->line);
    db_bind_text(s, 3, r->reference);
    db_bind_text(s, 4, r->value_date);
    db_bind_int(s, 5, r->amount);
    db_bind_text(s, 6, r->partner);
    db_bind_text(s, 7, r->for_day);
    db_bind_text(s, 8, r->narrative[0] ? r->narrative : NULL);
    if (db_run(s, e) != 0)
        return pc_err_prefix(e, "bank line %s", r->reference);
    return 0;
}

int bank_line_find(db *d, const char *reference, bank_line_row *out, bool *found, pc_err *e)
{
    db_stmt *s = db_prepare(d, BANK_SELECT "WHERE reference = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, reference);
    int rc = db_step(s, e);
    *found = rc == 1;
    if (rc == 1)
        bank_from(s, out);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int remittances_of_partner(db *d, const char *partner, const char *from_day, const char *to_day, bank_line_fn fn,
                           void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, BANK_SELECT "WHERE partner = ? AND for_day BETWEEN ? AND ? "
                                           "ORDER BY for_day, value_date, reference", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, partner);
    db_bind_text(s, 2, from_day);
    db_bind_text(s, 3, to_day);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        bank_line_row r;
        bank_from(s, &r);
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
