/* Repository of debt cases and their documents (schema/016_debt.sql): one case per customer with
 * its current state and an append-only list of events; documents attached to a customer's debt
 * (the bytes live in the document store, named by their SHA-256) and their removals. Every
 * function runs inside the caller's transaction; none decides anything. */
#ifndef PC_STORE_CASES_H
#define PC_STORE_CASES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

#define CASE_OWNER_MAX 64
#define CASE_NOTE_MAX 1024

/* The customer a case or document belongs to, found by code. */
typedef struct {
    int64_t id;
    char code[16];
    char name[256];
    char unit_code[16];
} case_customer;
int case_customer_get(db *d, const char *code, case_customer *out, pc_err *e); /* PC_ENOTFOUND */

/* ---- cases ---- */
typedef struct {
    int64_t id, customer_id;
    char customer_code[16];
    char customer_name[256];
    char unit_code[16];
    char status[16];
    char owner[CASE_OWNER_MAX]; /* "" when none */
    char next_action[11];       /* "" when none */
    char opened_at[32], updated_at[32];
    int64_t documents; /* attached and not removed */
} case_row;

/* Sets c->id. A second case for the customer is PC_ECONFLICT. */
int case_insert(db *d, case_row *c, pc_err *e);
/* The current columns after an event (owner and next_action "" store NULL). */
int case_set_current(db *d, int64_t case_id, const char *status, const char *owner, const char *next_action,
                     const char *updated_at, pc_err *e);
int case_get_by_customer(db *d, int64_t customer_id, case_row *out, pc_err *e); /* PC_ENOTFOUND */

typedef struct {
    const char *scope_path; /* org path prefix, NULL: all */
    const char *status;     /* NULL: any */
    const char *due_by;     /* next_action <= this date; NULL: any (cases without one included) */
    const char *owner;      /* NULL: any */
    int64_t limit;          /* 0: no limit */
    int64_t offset;
} case_filter;
typedef int (*case_row_fn)(void *ctx, const case_row *c);
/* By next action date (cases without one last), then customer code. */
int case_list(db *d, const case_filter *f, case_row_fn fn, void *ctx, pc_err *e);

/* An event: the case's state after it, and its note. */
typedef struct {
    int64_t id, case_id;
    char status[16];
    char owner[CASE_OWNER_MAX];
    char next_action[11];
    char note[CASE_NOTE_MAX];
    char at[32];
    char by_user[64];
} case_event_row;
int case_event_insert(db *d, case_event_row *ev, pc_err *e); /* sets ev->id */
typedef int (*case_event_fn)(void *ctx, const case_event_row *ev);
int case_events(db *d, int64_t case_id, case_event_fn fn, void *ctx, pc_err *e); /* oldest first */

/* What the aging report shows of each customer's case and documents. */
typedef struct {
    int64_t customer_id;
    char status[16];
    int64_t documents;
} case_mark; /* status "" when no case; documents = attached and not removed */
typedef int (*case_mark_fn)(void *ctx, const case_mark *m);
/* every customer with a case or at least one document, by customer id */
int case_marks(db *d, case_mark_fn fn, void *ctx, pc_err *e);

/* ---- documents ---- */
typedef struct {
    int64_t id, customer_id;
    char customer_code[16];
    char kind[12]; /* invoice, minutes, record, court, other */
    char title[256];
    char file_name[256]; /* as the user named it: metadata only, never a path */
    char media_type[32]; /* application/pdf, image/jpeg, image/png */
    int64_t size;
    char sha256[65];
    char doc_date[11];
    char added_at[32], added_by[64];
    bool removed;
    char removed_at[32], removed_by[64], removal_reason[256];
} document_row;
int document_insert(db *d, document_row *r, pc_err *e); /* sets r->id */
int document_get(db *d, int64_t id, document_row *out, pc_err *e); /* PC_ENOTFOUND */
typedef int (*document_fn)(void *ctx, const document_row *r);
/* A customer's documents by date then id; removed ones too when with_removed. */
int documents_of(db *d, int64_t customer_id, bool with_removed, document_fn fn, void *ctx, pc_err *e);
/* A second removal of the same document is PC_ECONFLICT. */
int document_removal_insert(db *d, int64_t document_id, const char *at, const char *by, const char *reason,
                            pc_err *e);

#endif
