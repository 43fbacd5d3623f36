/* Repository of notifications (schema/019_notify.sql): the outbox, opt-outs per customer and
 * channel, event-collection watermarks and the source rows collection reads. Every function runs
 * inside the caller's transaction (if any); none decides anything. */
#ifndef PC_STORE_NOTIFY_H
#define PC_STORE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* One outbox row. Text pointers are owned by whoever filled the row (see notify_claim). */
typedef struct {
    int64_t id;
    const char *event, *event_key, *channel, *recipient;
    int64_t customer_id; /* 0: a staff message */
    const char *lang, *subject, *body;
    const char *attachment_name, *attachment_type, *attachment_b64; /* NULL: none */
    const char *status;
    int attempts;
    int64_t next_attempt_at; /* Unix seconds */
    const char *last_error, *created_at, *sent_at, *provider_ref;
    const char *customer_code; /* filled by reads that join the customer */
} outbox_row;

/* Inserts unless (event_key, channel, recipient) is already there: then *duplicate is set and
 * *id, *status are the existing message's. status (cap 12) may be NULL. */
int outbox_insert(db *d, const outbox_row *r, int64_t *id, bool *duplicate, char *status, pc_err *e);

/* Claims up to limit messages due at now (queued, failed, or sending with an expired lease),
 * oldest due first, staff messages only when staff_only: each becomes sending with
 * next_attempt_at = lease_until and one more attempt. Rows are malloc'd into *rows (free with
 * outbox_rows_free). PostgreSQL skips rows another sender holds locked. */
int outbox_claim(db *d, int64_t now, int64_t lease_until, bool staff_only, int limit, outbox_row **rows, int *n,
                 pc_err *e);
void outbox_rows_free(outbox_row *rows, int n);
/* Settles a claimed message: sent (with the provider's reference), or failed/dead with the
 * next attempt's time and the error. */
int outbox_mark_sent(db *d, int64_t id, const char *sent_at, const char *provider_ref, pc_err *e);
int outbox_mark_failed(db *d, int64_t id, const char *status, int64_t next_attempt_at, const char *error, pc_err *e);
/* Puts failed or dead messages back in the queue with a fresh count of attempts: one message
 * (id > 0, which must be failed or dead: PC_ECONFLICT otherwise, PC_ENOTFOUND when absent) or
 * every message of a status. *count: how many. */
int outbox_requeue(db *d, int64_t id, const char *status, int64_t now, long *count, pc_err *e);
/* Customer messages waiting to be sent, due by `until` (the end of the quiet hours). */
int outbox_count_due_customers(db *d, int64_t until, long *count, pc_err *e);

typedef int (*outbox_fn)(void *ctx, const outbox_row *r);
/* Newest first; filters may be NULL (customer_id 0: any). Attachment bytes are not read. */
int outbox_list(db *d, const char *status, int64_t customer_id, const char *event, int limit, outbox_fn fn, void *ctx,
                pc_err *e);
/* The same with every filter (NULL, 0: any) and paging. scope_path keeps the messages of
 * customers whose unit lies under it, and staff messages (no customer) when with_staff. */
typedef struct {
    const char *status, *channel, *event;
    int64_t customer_id, id;
    const char *scope_path;
    bool with_staff;
    int64_t limit, offset; /* limit 0: all */
} outbox_filter;
int outbox_page(db *d, const outbox_filter *f, outbox_fn fn, void *ctx, pc_err *e);
/* Counts per status, for `notify list` totals and the bench: queued, sending, sent, failed, dead, skipped. */
int outbox_count_status(db *d, const char *status, long *count, pc_err *e);

/* ---- opt-outs ---- */
int optout_insert(db *d, int64_t customer_id, const char *channel, const char *action, const char *reason,
                  const char *at, const char *actor, pc_err *e);
/* Whether the customer's latest choice for the channel is 'out'. */
int optout_is_out(db *d, int64_t customer_id, const char *channel, bool *out, pc_err *e);

/* ---- event collection ---- */
int watermark_get(db *d, const char *source, int64_t *last_id, pc_err *e); /* 0 when none */
int watermark_set(db *d, const char *source, int64_t last_id, const char *at, pc_err *e);
/* The largest id of an event source (invoice, payment, dunning_step); 0 when empty. */
int notify_source_max_id(db *d, const char *source, int64_t *max_id, pc_err *e);

/* A source row as collection renders it. */
typedef struct {
    int64_t id; /* the source row's id */
    int64_t customer_id;
    char customer_code[16];
    char customer_name[256];
    char phone[24];
    char kind[20];       /* dunning steps: notice_1, notice_2, disconnected, reconnected */
    int64_t amount;      /* invoice total, payment amount, overdue amount of a step */
    char date[11];       /* issue date, paid date, step date */
    char due_date[11];   /* invoices and invoice steps */
    char period[8];      /* invoices: YYYY-MM */
    char invoice_no[48]; /* SYMBOL/NUMBER */
    char receipt_no[48]; /* payments */
} collect_row;
typedef int (*collect_fn)(void *ctx, const collect_row *r);
typedef enum { COLLECT_INVOICES, COLLECT_PAYMENTS, COLLECT_DUNNING } collect_source;
/* Rows of a source with id > after_id, by id, at most limit, of customers with a phone:
 * invoices (not LEGACY or TRANSFER ledger rows), payments (not reversals, not credit), dunning
 * steps notice_1, notice_2, disconnected, reconnected. *max_id: the highest id seen (after_id
 * when none). */
int collect_rows(db *d, collect_source src, int64_t after_id, int limit, collect_fn fn, void *ctx, int64_t *max_id,
                 pc_err *e);

#endif
