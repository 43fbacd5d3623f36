/* Notifications (DOMAIN 13, docs/notifications.md): messages to customers and staff go through
 * an outbox. notify_enqueue renders a template and stores the message once per (event key,
 * channel, recipient); notify_deliver is one pass of the sender: it claims due messages, sends
 * them over the channels and records sent, failed (retried with backoff) or dead. Customer
 * messages respect the customer's opt-out per channel and wait for the end of quiet hours; staff
 * messages (customer_id 0, such as the daily digest) do neither. Delivery is at least once: a
 * sender killed between sending and recording sends that message again after its lease, with the
 * same message id, which the receiver can use to drop the repeat. Every function takes the
 * caller's connection; threads with connections of their own may call them at once. */
#ifndef PC_APP_NOTIFY_H
#define PC_APP_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/config.h"
#include "base/err.h"
#include "formats/notify_template.h"
#include "store/db.h"
#include "store/notify.h"

typedef struct {
    const char *name;      /* as the recipient sees it: "digest-2026-11-24.png" (printable ASCII) */
    const char *mime_type; /* "image/png" */
    const void *data;
    size_t len; /* at most NOTIFY_ATTACHMENT_MAX */
} notify_attachment;
#define NOTIFY_ATTACHMENT_MAX (10 * 1024 * 1024)

typedef struct {
    const char *event;     /* a template event: invoice_issued, …, digest */
    const char *event_key; /* what makes the message unique with channel and recipient
                              ("digest:PA01:2026-11-24:user"); NULL: the event and a hash of the
                              fields, so the same fields make the same message */
    const char *channel;   /* sms, email, chat */
    const char *recipient; /* phone (sms), address (email), webhook URL or "" for [chat] url (chat) */
    int64_t customer_id;   /* > 0: a customer message (opt-out, quiet hours); 0: staff */
    const char *lang;      /* vi (NULL) or en */
    const notify_field *fields;
    int nfields;
    const notify_attachment *attachment; /* NULL: none; e-mail only */
} notify_request;

typedef struct {
    int64_t id;
    bool duplicate; /* the message was already in the outbox: id and status are the first one's */
    bool skipped;   /* the customer opted out of the channel: stored as skipped, never sent */
    char status[12];
    int64_t next_attempt_at; /* when it may go (the end of quiet hours for a customer message) */
} notify_enqueued;

/* Renders and stores one message; nothing is stored on an error (a bad recipient, an unknown
 * event, a missing field). Runs in its own transaction, nested in the caller's when there is
 * one, so a use case can enqueue in the same transaction as the change it reports. */
int notify_enqueue(db *d, const pc_config *cfg, const notify_request *req, notify_enqueued *out, pc_err *e);

/* A message to a customer named by code: req->customer_id is set from it, req->recipient (when
 * NULL) becomes the customer's phone for SMS, and customer_name and customer_code are filled when
 * the event takes them and req does not give them. A customer with no phone (or any channel but
 * SMS without a recipient) is PC_EINVAL. */
int notify_enqueue_customer(db *d, const pc_config *cfg, const char *customer_code, const notify_request *req,
                            notify_enqueued *out, pc_err *e);

typedef struct {
    long claimed, sent, failed, dead;
    long held; /* in quiet hours: customer messages waiting for the window's end */
    double seconds;
} notify_delivery;

/* One sender pass: claims due messages (queued, failed whose next attempt has come, or sending
 * whose lease ran out) in batches of [notify] batch_size, sends them [notify] concurrency at a
 * time, and records each: sent; failed with the next attempt after [notify] backoff_seconds,
 * doubling up to backoff_max_seconds (a customer's after quiet hours); dead after max_attempts.
 * Stops when nothing is due or after max_messages (0: no limit). In quiet hours only staff
 * messages are claimed. Times come from clock_now(). Call it outside any transaction: it commits
 * the claim before the network and the results after, so no database lock is held while sending. */
int notify_deliver(db *d, const pc_config *cfg, long max_messages, notify_delivery *out, pc_err *e);

/* Puts messages back in the queue with a fresh count of attempts: one (id > 0; must be failed
 * or dead) or every failed or dead one (status "failed" / "dead"). */
int notify_retry(db *d, const char *actor, int64_t id, const char *status, long *count, pc_err *e);

/* A customer's choice for a channel (opt_out: out, else back in), audited. */
int notify_set_optout(db *d, const char *actor, const char *customer_code, const char *channel, bool opt_out,
                      const char *reason, pc_err *e);

typedef struct {
    long invoices, payments, dunning_steps; /* source rows read */
    long enqueued, duplicates, skipped, no_phone;
} notify_collected;
/* Event collection: reads what happened since the watermarks (invoices issued, payments
 * received, dunning notices 1 and 2, disconnections, reconnections) and enqueues an SMS in
 * Vietnamese to each customer with a phone. Idempotent: the event key names the source row, so a
 * second pass (or an overlap re-read) makes no second message. */
int notify_collect(db *d, const pc_config *cfg, notify_collected *out, pc_err *e);

/* Moves the collection's watermarks to what exists now, so that history loaded in bulk (a
 * migration from CMIS, the demo's two years) is never announced to customers; collection goes on
 * from the next invoice, payment or dunning step. */
int notify_skip_history(db *d, pc_err *e);

/* Filters may be NULL; customer_code NULL: any. */
int notify_list(db *d, const char *status, const char *customer_code, const char *event, int limit, outbox_fn fn,
                void *ctx, pc_err *e);

/* The channel an address implies: name@domain e-mail, http(s):// chat, anything else SMS. */
const char *notify_channel_of(const char *to);

/* queued, sending, sent, failed, dead or skipped */
bool notify_status_valid(const char *status);

/* The outbox, newest first, with every filter (NULL, 0: any) and paging (limit 0: all):
 * scope_code keeps the messages of customers of units under that org node, and staff messages
 * (no customer) only when with_staff. */
typedef struct {
    const char *status, *channel, *event, *customer_code, *scope_code;
    bool with_staff;
    int64_t id, limit, offset;
} notify_query;
int notify_query_list(db *d, const notify_query *q, outbox_fn fn, void *ctx, pc_err *e);

/* A message as `notify list --json` and the API show it (no attachment bytes). */
json_t *notify_outbox_json(const outbox_row *r);

#endif
