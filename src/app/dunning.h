/* Dunning and disconnection (DOMAIN 8, docs/dunning.md): payment notices, cut orders, billing
 * disputes that hold them back, the customer's disconnection when a cut order is carried out, and
 * the reconnection order created as soon as a customer disconnected for debt has cleared every
 * overdue invoice. Every step is a dated row; every function runs in its own transaction (nested
 * inside the caller's, if any). */
#ifndef PC_APP_DUNNING_H
#define PC_APP_DUNNING_H

#include <stdbool.h>

#include "app/config.h"
#include "base/err.h"
#include "store/db.h"
#include "store/dunning.h"

/* One step a run took. */
typedef struct {
    char customer_code[16];
    char symbol[16]; /* the invoice's; "" for a reconnection order */
    int64_t number;
    char due_date[11];
    char step[24];    /* notice_1, notice_2, cut_order, cut_order_cancelled, reconnection_order */
    int64_t order_id; /* cut_order, reconnection_order: the work order */
    bool order_created;
    int64_t amount;
} dunning_taken;

typedef struct {
    char date[11];
    long notices_1, notices_2;
    long cut_orders;          /* work orders created */
    long cut_steps;           /* invoices that reached the cut stage (several may share an order) */
    long cut_orders_cancelled; /* open cut orders of customers with nothing overdue any more */
    long reconnection_orders;  /* debt cleared without payment_post (a file, an adjustment) */
    long disputed;            /* overdue invoices held back by an open dispute */
    dunning_taken *taken;
    int ntaken;
} dunning_summary;
void dunning_summary_free(dunning_summary *s);

/* Takes every step due on `date` (YYYY-MM-DD) for the overdue invoices under scope (an org code,
 * NULL: all): notice 1 from due + notice_1_days; notice 2 from due + notice_2_days and
 * notice_gap_days after notice 1; a cut order from due + cut_order_days and as long after notice
 * 2 as the schedule puts between them. Invoices under an open dispute take none. A step is dated
 * the day the run takes it, so a late run catches up without back-dating a notice nobody got;
 * a step is taken once, so the same run twice changes nothing. It also catches up with debt
 * cleared without payment_post (collection files, adjustments): open cut orders of customers
 * with nothing overdue are cancelled, and a customer disconnected for debt with nothing overdue
 * gets a reconnection order (unless one was made since the disconnection). Audited when it took
 * a step. */
int dunning_run(db *d, const char *actor, const dunning_config *cfg, const char *date, const char *scope_code,
                dunning_summary *out, pc_err *e);

/* After a payment (inside its transaction): when the customer has no invoice overdue on `date`
 * any more, an open cut order is cancelled and, for a customer disconnected for debt, a
 * reconnection order is created at once with the configured fee (config_active(), else the
 * defaults) — one at a time. Cheap when there is nothing to do: one query. */
int dunning_after_payment(db *d, const char *actor, int64_t customer_id, const char *date, pc_err *e);

/* A cut order that no invoice step names (a prepaid balance below zero past its grace period,
 * docs/prepaid.md), inside the caller's transaction; audited like the others. */
int dunning_cut_order(db *d, const char *actor, int64_t customer_id, const char *date, const char *reason,
                      int64_t *order_id, pc_err *e);

/* ---- work orders ---- */
/* Done on `date` (NULL: today): a cut order disconnects the customer, a reconnection order
 * reconnects them; the status change is audited with the order. */
int work_order_done(db *d, const char *actor, int64_t order_id, const char *date, const char *note, int utc_offset,
                    work_order_row *out, pc_err *e);
int work_order_cancel(db *d, const char *actor, int64_t order_id, const char *date, const char *reason,
                      int utc_offset, work_order_row *out, pc_err *e);
/* kind, status and scope (an org code) may be NULL. */
int work_orders_list(db *d, const char *kind, const char *status, const char *scope_code, work_order_fn fn, void *ctx,
                     pc_err *e);

/* ---- disputes ---- */
/* invoice: "SYMBOL/NUMBER"; date NULL: today. Opening one already open, or closing one that is
 * not, is PC_ECONFLICT. */
int dispute_open(db *d, const char *actor, const char *invoice, const char *reason, const char *date, int utc_offset,
                 dispute_row *out, pc_err *e);
int dispute_close(db *d, const char *actor, const char *invoice, const char *reason, const char *date, int utc_offset,
                  dispute_row *out, pc_err *e);

/* ---- a customer's dunning case ---- */
typedef struct {
    char code[16];
    char name[256];
    char status[16];
    dunning_invoice *invoices; /* open invoices with the steps taken and dispute state */
    int ninvoices;
    dunning_step_row *steps; /* every step, by date */
    int nsteps;
    work_order_row *orders;
    int norders;
    dispute_row *disputes;
    int ndisputes;
} dunning_case;
int dunning_case_get(db *d, const char *customer_code, dunning_case *out, pc_err *e);
void dunning_case_free(dunning_case *c);

#endif
