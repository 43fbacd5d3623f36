/* Sending the daily digest: one message per account and channel (e-mail with the chart, chat)
 * through the notification outbox, keyed "digest:<login>:<date>" so an account gets one digest
 * a day whatever restarts, catch-ups or second runs happen. */
#ifndef PC_APP_DIGEST_SEND_H
#define PC_APP_DIGEST_SEND_H

#include "app/config.h"
#include "base/date.h"
#include "store/db.h"

typedef struct {
    int recipients; /* accounts with the digest on, enabled, with an e-mail or a chat address */
    int queued;     /* messages put in the outbox by this run */
    int duplicates; /* already in the outbox for that day (sent or waiting) */
    int delivered;  /* sent by the delivery pass that follows */
} digest_send_result;

int digest_send_all(db *d, const pc_config *cfg, civil_date date, digest_send_result *out, pc_err *e);

#endif
