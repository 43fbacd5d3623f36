/* Repository of receivables brought from legacy systems (schema/016_debt.sql, `debt import`):
 * the legacy invoice numbers already imported (the import's idempotency key), the next number
 * of the LEGACY symbol and the customers a file names. Every function runs inside the caller's
 * transaction; none decides anything. */
#ifndef PC_STORE_LEGACY_H
#define PC_STORE_LEGACY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* The symbol of every imported receivable: never one of our e-invoice series. */
#define LEGACY_SYMBOL "LEGACY"

/* A legacy invoice number imported before, with where it came from. */
typedef struct {
    int64_t invoice_id, customer_id;
    char content_hash[65];
    char file_name[256]; /* the import_file's name ("" when the row has no file) */
    int64_t line;
} legacy_row;
int legacy_find(db *d, const char *invoice_no, legacy_row *out, bool *found, pc_err *e);

/* The customer a file's customer_code names (*found = false when there is none), with the class
 * its debt ages under: 1 residential, 0 not, by its latest contract (as invoice_insert decides). */
int legacy_customer(db *d, const char *code, int64_t *customer_id, int64_t *unit_id, int *residential, bool *found,
                    pc_err *e);

/* max(number) + 1 of the LEGACY symbol. Call it under invoice_issue_lock, in the transaction
 * that stores the invoices. */
int legacy_next_number(db *d, int64_t *next, pc_err *e);

/* The import_file row of kind 'debt' with this SHA-256, if any (*id = 0 when none). */
int legacy_file_find(db *d, const char *sha256, int64_t *id, pc_err *e);

/* Many legacy_invoice rows at once, through the engine's bulk path (COPY in PostgreSQL): add
 * queues one, flush writes what is queued (before commit). */
typedef struct legacy_writer legacy_writer;
legacy_writer *legacy_writer_open(db *d, pc_err *e);
int legacy_writer_add(legacy_writer *w, const char *invoice_no, int64_t invoice_id, int64_t customer_id,
                      const char *content_hash, int64_t file_id, long line, pc_err *e);
int legacy_writer_flush(legacy_writer *w, pc_err *e);
void legacy_writer_close(legacy_writer *w);

#endif
