/* Receivables brought from legacy systems (see legacy.h, schema/016_debt.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/legacy.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

int legacy_find(db *d, const char *invoice_no, legacy_row *out, bool *found, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT l.invoice_id, l.customer_id, l.content_hash, f.name, l.line "
                               "FROM legacy_invoice l LEFT JOIN import_file f ON f.id = l.file_id "
                               "WHERE l.invoice_no = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, invoice_no);
    int rc = db_step(s, e);
    *found = rc == 1;
    memset(out, 0, sizeof *out);
    if (rc == 1) {
        out->invoice_id = db_col_int(s, 0);
        out->customer_id = db_col_int(s, 1);
        COPY(out->content_hash, db_col_text(s, 2));
        COPY(out->file_name, db_col_text(s, 3));
        out->line = db_col_int(s, 4);
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int legacy_customer(db *d, const char *code, int64_t *customer_id, int64_t *unit_id, int *residential, bool *found,
                    pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.id, c.unit_id, COALESCE((SELECT CASE WHEN k.purpose = 'residential' THEN 1 ELSE 0 "
                               "END FROM contract k WHERE k.customer_id = c.id ORDER BY k.valid_from DESC LIMIT 1), 1) "
                               "FROM customer c WHERE c.code = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    int rc = db_step(s, e);
    *found = rc == 1;
    *customer_id = rc == 1 ? db_col_int(s, 0) : 0;
    *unit_id = rc == 1 ? db_col_int(s, 1) : 0;
    *residential = rc == 1 ? (int)db_col_int(s, 2) : 1;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int legacy_next_number(db *d, int64_t *next, pc_err *e)
{
    /* The (symbol, number) index answers max() with one probe on both engines. */
    db_stmt *s = db_prepare(d, "SELECT COALESCE(max(number), 0) FROM invoice WHERE symbol = '" LEGACY_SYMBOL "'", e);
    if (!s)
        return -1;
    int rc = db_step(s, e);
    *next = rc == 1 ? db_col_int(s, 0) + 1 : 1;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int legacy_file_find(db *d, const char *sha256, int64_t *id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM import_file WHERE kind = 'debt' AND sha256 = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, sha256);
    int rc = db_step(s, e);
    *id = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

struct legacy_writer {
    db_bulk *rows;
};

legacy_writer *legacy_writer_open(db *d, pc_err *e)
{
    legacy_writer *w = calloc(1, sizeof *w);
    if (!w) {
        pc_errf(e, PC_EINTERNAL, "out of memory");
        return NULL;
    }
    w->rows = db_bulk_open(d, "legacy_invoice", "invoice_no, invoice_id, customer_id, content_hash, file_id, line", 6, e);
    if (!w->rows) {
        free(w);
        return NULL;
    }
    return w;
}

int legacy_writer_add(legacy_writer *w, const char *invoice_no, int64_t invoice_id, int64_t customer_id,
                      const char *content_hash, int64_t file_id, long line, pc_err *e)
{
    db_bulk_text(w->rows, invoice_no);
    db_bulk_int(w->rows, invoice_id);
    db_bulk_int(w->rows, customer_id);
    db_bulk_text(w->rows, content_hash);
    if (file_id)
        db_bulk_int(w->rows, file_id);
    else
        db_bulk_text(w->rows, NULL);
    db_bulk_int(w->rows, line);
    if (db_bulk_row(w->rows, e) != 0)
        return pc_err_prefix(e, "legacy invoice %s", invoice_no);
    return 0;
}

int legacy_writer_flush(legacy_writer *w, pc_err *e)
{
    return db_bulk_flush(w->rows, e);
}

void legacy_writer_close(legacy_writer *w)
{
    if (!w)
        return;
    db_bulk_close(w->rows);
    free(w);
}
