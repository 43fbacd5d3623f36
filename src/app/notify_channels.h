/* The three notification channels over libcurl (docs/notifications.md): an SMS gateway whose
 * HTTP request is configuration ([sms]), e-mail through SMTP ([smtp]) and chat webhooks ([chat]).
 * One multi handle keeps several transfers in flight and reuses connections across batches.
 * Every request carries the message's stable id (Idempotency-Key / X-Message-Id headers,
 * Message-ID for e-mail) so that a receiver can drop a repeat after a sender crash. */
#ifndef PC_APP_NOTIFY_CHANNELS_H
#define PC_APP_NOTIFY_CHANNELS_H

#include <stdbool.h>

#include "app/config.h"
#include "base/buf.h"
#include "base/err.h"
#include "store/notify.h"

typedef struct {
    bool ok;
    char provider_ref[128]; /* the gateway's id for the message when it gives one, else "http 200" / "smtp 250" */
    char error[256];        /* why it failed: for last_error, no personal data */
} notify_send_result;

typedef struct notify_sender notify_sender;
notify_sender *notify_sender_new(const pc_config *cfg, pc_err *e);
void notify_sender_free(notify_sender *s);
/* Sends rows[0..n) with up to [notify] concurrency transfers at once; results[i] is rows[i]'s.
 * A message that could not be sent is a result, not an error: -1 only when curl itself fails. */
int notify_sender_send(notify_sender *s, const outbox_row *rows, int n, notify_send_result *results, pc_err *e);

/* "powercis-<id>": the id every request of the message carries. */
void notify_message_id(int64_t id, char out[40]);
/* An e-mail header value as RFC 2047 encoded words (=?UTF-8?B?…?=) when it is not plain
 * printable ASCII; never splits a UTF-8 character. */
void rfc2047_encode(buf *out, const char *text);

#endif
