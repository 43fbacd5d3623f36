/* Repository of reconciliation (schema/011_reconciliation.sql): the lines of partners' daily
 * statements and of the collection account's bank statement, as imported. Append-only. */
#ifndef PC_STORE_RECON_H
#define PC_STORE_RECON_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* ---- partner statements ---- */
typedef struct {
    int64_t file_id;
    long line;
    char partner[24];
    char day[11]; /* YYYY-MM-DD: the date of paid_at */
    char txn_ref[48];
    char customer_code[24];
    int64_t amount;
    char paid_at[20];
} statement_line_row;

/* Writes statement lines in bulk inside the caller's transaction (PostgreSQL: one COPY at flush). */
typedef struct statement_writer statement_writer;
statement_writer *statement_writer_open(db *d, pc_err *e);
int statement_writer_add(statement_writer *w, const statement_line_row *r, pc_err *e);
int statement_writer_flush(statement_writer *w, pc_err *e);
void statement_writer_close(statement_writer *w); /* drops rows not flushed */

typedef int (*statement_line_fn)(void *ctx, const statement_line_row *r);
/* The statement in force for a partner and a day: the lines of the latest file (highest
 * file_id) that has lines for them, in file order. */
int statement_lines_of_day(db *d, const char *partner, const char *day, statement_line_fn fn, void *ctx, pc_err *e);

/* ---- bank statement of the collection account ---- */
typedef struct {
    int64_t file_id;
    long line;
    char reference[48]; /* the bank's transaction reference: unique */
    char value_date[11];
    int64_t amount;
    char partner[24];
    char for_day[11];
    char narrative[256];
} bank_line_row;

int bank_line_insert(db *d, const bank_line_row *r, pc_err *e);
/* The line under a bank reference: *found = false when none. */
int bank_line_find(db *d, const char *reference, bank_line_row *out, bool *found, pc_err *e);
typedef int (*bank_line_fn)(void *ctx, const bank_line_row *r);
/* A partner's remittances for its business days from..to (inclusive, YYYY-MM-DD), whatever
 * the day the bank credited them: late ones included, however late. By for_day, value date. */
int remittances_of_partner(db *d, const char *partner, const char *from_day, const char *to_day, bank_line_fn fn,
                           void *ctx, pc_err *e);

#endif
