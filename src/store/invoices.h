/* Repository of invoices, their lines, the reads they bill and the e-invoice number series. */
#ifndef PC_STORE_INVOICES_H
#define PC_STORE_INVOICES_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

#define INVOICE_MAX_LINES 64

typedef struct {
    int line_no;
    char part_from[11], part_to[11];
    char item[24]; /* "tier 1" …, "normal", "peak", "offpeak", "flat" */
    int64_t kwh, price, amount;
} invoice_line_row;

typedef struct {
    int64_t id;
    int64_t customer_id, unit_id;
    char customer_code[16];
    char kind[12]; /* regular, adjusting, replacing */
    int64_t refers_to;
    char period[8];
    char from_date[11], to_date[11], issue_date[11], due_date[11];
    char symbol[16];
    int64_t number;
    int64_t kwh, energy;
    int vat_rate;
    int64_t vat, total;
    char reason[256];
    int nlines;
    invoice_line_row lines[INVOICE_MAX_LINES];
} invoice_row;

/* Reserves count consecutive numbers in the company's series for year (creating the series
 * with `symbol` when it does not exist) and returns the symbol and the first number. Call it in
 * the transaction that stores the invoices: numbers are gapless because they commit together. */
int series_reserve(db *d, int64_t company_id, int year, const char *new_symbol, int64_t count, char symbol[16],
                   int64_t *first, pc_err *e);
/* Stores the invoice and its lines; sets inv->id. */
int invoice_insert(db *d, invoice_row *inv, const char *actor, pc_err *e);
/* Marks reads as billed by the invoice (PC_ECONFLICT if one was billed already). */
int invoice_link_read(db *d, int64_t invoice_id, int64_t read_id, pc_err *e);
/* By symbol and number, or by id when symbol is NULL. Lines included. */
int invoice_get(db *d, const char *symbol, int64_t number, int64_t id, invoice_row *out, pc_err *e);
/* Whether the read was billed (its invoice id, 0 if not). */
int read_billed_by(db *d, int64_t read_id, int64_t *invoice_id, pc_err *e);

typedef struct {
    int64_t invoices, kwh, energy, vat, total;
} invoice_totals;
/* Totals of the invoices of a period (YYYY-MM) under a scope path (NULL: all). */
int invoice_period_totals(db *d, const char *period, const char *scope_path, invoice_totals *out, pc_err *e);

#endif
