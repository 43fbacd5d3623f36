/* Repository of invoices, their lines, the reads they bill and the e-invoice number series. */
#ifndef PC_STORE_INVOICES_H
#define PC_STORE_INVOICES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/customer.h"
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
    int64_t credit_applied; /* customer credit used at issue; due = total - credit_applied */
    /* The class its debt ages under (DOMAIN 9): 1 residential, 0 not. The bulk writer takes it
     * from here; invoice_insert looks it up from the customer's latest contract. */
    int residential;
    char reason[256];
    int nlines;
    invoice_line_row lines[INVOICE_MAX_LINES];
} invoice_row;

/* The company's series for a year (created with new_symbol when missing): its symbol and the
 * last number used. */
int series_current(db *d, int64_t company_id, int year, const char *new_symbol, char symbol[16], int64_t *last,
                   pc_err *e);
/* Moves the series from `last` to `upto` (the numbers given out in this transaction). Call it
 * in the transaction that stores those invoices: numbers are gapless because they commit
 * together, and PC_ECONFLICT if someone else moved the series meanwhile. */
int series_advance(db *d, int64_t company_id, int year, int64_t last, int64_t upto, pc_err *e);

/* A customer's reads waiting for a billing run: ok or approved, not billed, regular reads
 * dated in [first, last] and final reads (of replaced meters) up to `last`. */
typedef struct {
    int64_t read_id, customer_id, unit_id, company_id;
    char company_code[16];
    char read_date[11];
    char kind[8];
    bool has_registers;
    int64_t kwh_total, kwh_reg[3]; /* normal, peak, off-peak */
    char prev_date[11];            /* the read this one measures from: where its period starts */
    char customer_code[16];
    customer terms;                /* the contract in force on the read date (terms fields only) */
} billable_read;
/* Customer ids under a scope path (NULL: all) and on a route (NULL: any), after after_id, at
 * most limit, ascending: a billing run's chunks. */
int scope_customers(db *d, const char *scope_path, const char *route, int64_t after_id, int limit, int64_t *ids, int *n,
                    pc_err *e);
typedef int (*billable_fn)(void *ctx, const billable_read *r);
/* Billable reads of customers from_id..to_id, by customer, date, finals before regulars. */
int billable_reads(db *d, const char *first, const char *last, int64_t from_id, int64_t to_id, billable_fn fn,
                   void *ctx, pc_err *e);

/* Stores the invoice and its lines; sets inv->id. */
int invoice_insert(db *d, invoice_row *inv, const char *actor, pc_err *e);
/* Makes the open transaction the only one issuing invoices until it ends, so that a chunk reads
 * its billable reads and numbers knowing no other run is writing the same (PostgreSQL: a
 * transaction-level advisory lock; SQLite's BEGIN IMMEDIATE already holds the one writer lock). */
int invoice_issue_lock(db *d, pc_err *e);
/* Many invoices at once (a billing run): invoices, lines, billed reads and credit used go out
 * through the engine's bulk path (COPY in PostgreSQL), inside the caller's transaction. add
 * sets inv->id and queues everything; flush writes what is queued (call it before commit; a
 * read billed twice fails it with PC_ECONFLICT); discard drops the queue after a rollback. */
typedef struct invoice_writer invoice_writer;
invoice_writer *invoice_writer_open(db *d, const char *actor, pc_err *e);
int invoice_writer_add(invoice_writer *w, invoice_row *inv, const int64_t *read_ids, int nreads, pc_err *e);
int invoice_writer_flush(invoice_writer *w, pc_err *e);
void invoice_writer_discard(invoice_writer *w);
void invoice_writer_close(invoice_writer *w);
/* Marks reads as billed by the invoice (PC_ECONFLICT if one was billed already). */
int invoice_link_read(db *d, int64_t invoice_id, int64_t read_id, pc_err *e);
/* By symbol and number, or by id when symbol is NULL. Lines included. */
int invoice_get(db *d, const char *symbol, int64_t number, int64_t id, invoice_row *out, pc_err *e);
/* The first correction of a kind (adjusting, replacing) issued for an invoice: its id (0 if none),
 * symbol and number. */
int invoice_corrected_by(db *d, int64_t customer_id, int64_t invoice_id, const char *kind, int64_t *first_id,
                         char symbol[16], int64_t *number, pc_err *e);
/* Whether the read was billed (its invoice id, 0 if not). */
int read_billed_by(db *d, int64_t read_id, int64_t *invoice_id, pc_err *e);

typedef struct {
    int64_t invoices, kwh, energy, vat, total;
} invoice_totals;
/* Totals of the invoices of a period (YYYY-MM) under a scope path (NULL: all). */
int invoice_period_totals(db *d, const char *period, const char *scope_path, invoice_totals *out, pc_err *e);

/* ---- customer credit (a ledger: +amount arises, -amount used by an invoice) ---- */
int credit_add(db *d, int64_t customer_id, const char *source, int64_t source_id, int64_t invoice_id, int64_t amount,
               const char *actor, pc_err *e);
int credit_balance(db *d, int64_t customer_id, int64_t *out, pc_err *e);
typedef int (*credit_fn)(void *ctx, int64_t customer_id, int64_t balance);
/* Customers from_id..to_id with a positive balance, ascending. */
int credit_balances(db *d, int64_t from_id, int64_t to_id, credit_fn fn, void *ctx, pc_err *e);

#endif
