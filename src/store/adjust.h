/* Repository of debt adjustments (schema/016_debt.sql, 017_adjustment_keys.sql): the rows,
 * an invoice's open amount as of a date (what a decrease may not exceed), the documents an
 * adjustment may cite, the TRANSFER series and the idempotency keys. Every function runs inside
 * the caller's transaction; none decides anything (src/app/adjustments.c does). */
#ifndef PC_STORE_ADJUST_H
#define PC_STORE_ADJUST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* The invoice symbol of receivables created by a transfer between customers. */
#define ADJUST_TRANSFER_SYMBOL "TRANSFER"

typedef struct {
    int64_t id;
    int64_t customer_id;
    int64_t invoice_id;
    int64_t pair_id;     /* the first row's id for both rows of a pair; 0 for a single row */
    int64_t document_id; /* 0 when none */
    char kind[20];       /* correction, write_off, transfer, reclassification */
    int64_t amount;      /* + raises what is owed on the invoice, - lowers it */
    char adj_date[11];
    char reason[512];
    char approval[256];  /* "" when none */
    char created_at[32], created_by[64];
    /* read back with the row (ignored by adjustment_insert) */
    char customer_code[16];
    char unit_code[16];
    char symbol[16];
    int64_t number;
    char period[8];
} adjustment_row;

/* Stores n rows (1, or 2 for a pair) with keys of their own: a pair's rows both get the first
 * row's id as pair_id. Sets id, pair_id, created_at and created_by of each. */
int adjustment_insert(db *d, adjustment_row *rows, int n, const char *actor, pc_err *e);

typedef struct {
    int64_t customer_id;    /* 0: any */
    const char *scope_path; /* customers of units under this path; NULL: all */
    const char *from, *to;  /* adj_date bounds, inclusive; NULL: open */
    int64_t group_id;       /* 0: any; else the row with this id and the rows paired with it */
} adjustment_filter;
typedef int (*adjustment_fn)(void *ctx, const adjustment_row *r);
/* Adjustments by date, then id. */
int adjustment_list(db *d, const adjustment_filter *f, adjustment_fn fn, void *ctx, pc_err *e);

/* What is left to pay on the invoice at the end of `date` (YYYY-MM-DD; NULL: with everything
 * posted so far): total - credit used - allocations + adjustments, each dated on or before it. */
int adjustment_invoice_open(db *d, int64_t invoice_id, const char *date, int64_t *open, pc_err *e);

/* The document with this id: its customer and whether it was removed. PC_ENOTFOUND when none. */
int adjustment_document(db *d, int64_t document_id, int64_t *customer_id, bool *removed, pc_err *e);

/* The next number of the TRANSFER series (1 when none yet). Call under invoice_issue_lock. */
int adjustment_transfer_next_number(db *d, int64_t *number, pc_err *e);

/* The adjustment under an idempotency key: *found = false when none. */
int adjustment_key_find(db *d, const char *ref, char content_hash[65], int64_t *adjustment_id, bool *found, pc_err *e);
int adjustment_key_insert(db *d, const char *ref, const char *content_hash, int64_t adjustment_id, pc_err *e);

#endif
