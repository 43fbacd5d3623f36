/* Repository of dunning (schema/015_dunning.sql): dated dunning steps per invoice and customer,
 * cut and reconnection work orders with their appended states, and billing disputes. Every
 * function runs inside the caller's transaction; none decides anything. */
#ifndef PC_STORE_DUNNING_H
#define PC_STORE_DUNNING_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* ---- invoices as dunning sees them ---- */
/* An open invoice with the steps already taken on it ("" when not) and its dispute state. */
typedef struct {
    int64_t customer_id;
    char customer_code[16];
    char customer_status[16];
    int64_t invoice_id;
    char symbol[16];
    int64_t number;
    char period[8];
    char due_date[11];
    int64_t total, open;
    char notice_1[11], notice_2[11], cut_order[11];
    bool disputed; /* a billing dispute is open on it */
} dunning_invoice;
typedef int (*dunning_invoice_fn)(void *ctx, const dunning_invoice *v);
/* Open invoices (total - credit used - allocations > 0) due on or before due_until, of one
 * customer (customer_id > 0) or under a scope path (NULL: all), by customer code, due date,
 * number. */
int dunning_invoices(db *d, const char *scope_path, int64_t customer_id, const char *due_until, dunning_invoice_fn fn,
                     void *ctx, pc_err *e);
/* The customer's invoices still open and due before `date` (overdue on that date). */
int overdue_of(db *d, int64_t customer_id, const char *date, int64_t *count, int64_t *amount, pc_err *e);

/* ---- steps ---- */
typedef struct {
    int64_t id, customer_id;
    int64_t invoice_id; /* 0 for customer steps */
    char symbol[16];    /* the invoice's, when invoice_id */
    int64_t number;
    char step[20];
    char step_date[11];
    int64_t order_id; /* 0 when none */
    int64_t amount;
    char created_at[32];
    char created_by[64];
} dunning_step_row;
/* Sets s->id. A step taken twice is PC_ECONFLICT. */
int dunning_step_insert(db *d, dunning_step_row *s, const char *actor, pc_err *e);
typedef int (*dunning_step_fn)(void *ctx, const dunning_step_row *s);
/* A customer's steps by date, then as they were written. */
int dunning_steps_of(db *d, int64_t customer_id, dunning_step_fn fn, void *ctx, pc_err *e);

/* ---- work orders ---- */
typedef struct {
    int64_t id, customer_id;
    char customer_code[16];
    char customer_name[256];
    char unit_code[16];
    char kind[16]; /* cut, reconnection */
    char created_date[11];
    char reason[256];
    int64_t fee;
    char status[12]; /* open, done, cancelled: the latest state */
    char status_date[11];
    char note[256]; /* the latest state's */
    char created_by[64];
} work_order_row;
/* Stores the order and its 'open' state dated created_date; sets o->id. */
int work_order_insert(db *d, work_order_row *o, const char *actor, pc_err *e);
/* Appends done or cancelled; an order already ended is PC_ECONFLICT. */
int work_order_state_insert(db *d, int64_t order_id, const char *state, const char *date, const char *note,
                            const char *actor, pc_err *e);
int work_order_get(db *d, int64_t id, work_order_row *out, pc_err *e); /* PC_ENOTFOUND */
/* The customer's open order of that kind, 0 when none. */
int work_order_open_of(db *d, int64_t customer_id, const char *kind, int64_t *order_id, pc_err *e);
typedef int (*work_order_fn)(void *ctx, const work_order_row *o);
/* Filters may be NULL (and customer_id 0): all. By id. */
int work_order_list(db *d, const char *kind, const char *status, const char *scope_path, int64_t customer_id,
                    work_order_fn fn, void *ctx, pc_err *e);

/* What dunning needs to know of a customer after a payment, in one query. */
typedef struct {
    char code[16];
    char status[16];
    bool disconnected_for_debt; /* the latest disconnected/reconnected step is 'disconnected' */
    int64_t open_cut, open_reconnection; /* open order ids, 0 when none */
} dunning_customer;
int dunning_customer_get(db *d, int64_t customer_id, dunning_customer *out, pc_err *e);
/* Customers under a scope path (NULL: all) disconnected for debt with no reconnection order since
 * (open or cancelled: a cancellation was someone's decision): those a run checks for debt
 * cleared some other way than a payment. */
typedef int (*customer_id_fn)(void *ctx, int64_t customer_id);
int disconnected_for_debt(db *d, const char *scope_path, customer_id_fn fn, void *ctx, pc_err *e);

/* ---- billing disputes ---- */
typedef struct {
    int64_t id, invoice_id, customer_id;
    char symbol[16];
    int64_t number;
    char event[8]; /* open, close */
    char event_date[11];
    char reason[256];
    char created_at[32];
    char created_by[64];
} dispute_row;
int dispute_insert(db *d, dispute_row *r, const char *actor, pc_err *e); /* sets r->id */
/* Whether a dispute is open on the invoice (its latest row is 'open'). */
int dispute_is_open(db *d, int64_t invoice_id, bool *open, pc_err *e);
typedef int (*dispute_fn)(void *ctx, const dispute_row *r);
/* A customer's dispute rows, by id. */
int disputes_of(db *d, int64_t customer_id, dispute_fn fn, void *ctx, pc_err *e);

#endif
