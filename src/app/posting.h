/* Posting many payments in one transaction (private to src/app): the engine behind
 * payment_post (a batch of one), collection files and the demo. Customers, their open items and
 * the keys seen are kept in memory while the batch lasts; payments, allocations, keys and credit
 * go out through the bulk path at flush, and each touched open item is written once. */
#ifndef PC_APP_POSTING_H
#define PC_APP_POSTING_H

#include <stdbool.h>

#include "app/payments.h"

typedef struct posting_batch posting_batch;

posting_batch *posting_batch_open(db *d, const char *actor, int utc_offset, pc_err *e);
/* Checks and queues one payment (inside the caller's transaction). A repeat of a key posted
 * before, or earlier in the batch, with the same content sets *repeated (and *payment_id) and
 * queues nothing; other content is refused. -1 with e when the request is refused (nothing of
 * it queued); a database error is PC_EDB/PC_EINTERNAL: stop then. */
int posting_batch_add(posting_batch *b, const payment_request *q, int64_t *payment_id, bool *repeated, pc_err *e);
/* Writes what is queued. */
int posting_batch_flush(posting_batch *b, pc_err *e);
void posting_batch_close(posting_batch *b);

#endif
