/* Idempotency-Key for requests that create something with no key of their own (a debt case, a
 * document, a message; docs/api.md "Idempotency"). The change and its answer are stored in one
 * transaction under the account's key with the hash of the request (method, path, the query
 * arguments the handler names, body):
 * the same key with the same request answers the first answer again (200, "repeated": true) and
 * changes nothing; the same key with another request is 409 and changes nothing. Postings of
 * money use their own keys (the payment's reference), not this. */
#ifndef PC_HTTP_IDEMPOTENCY_H
#define PC_HTTP_IDEMPOTENCY_H

#include <stdbool.h>

#include "http/server.h"

typedef struct {
    const char *key; /* NULL: the request carries none (allowed where the key is optional) */
    char hash[65];
    bool open; /* a transaction is open for the change */
} http_idem;

/* Reads the header (required or optional) and, with a key, either answers (a repeat, a conflict,
 * a bad key: returns 1 with w set) or opens the transaction the change will run in (returns 0).
 * Without a key (optional) returns 0 with nothing open. query: the names of the query arguments
 * that are part of the request (NULL-terminated; NULL: none). */
int http_idem_begin(http_request *r, http_response *w, bool required, const char *const *query, http_idem *k);
/* The change's answer (takes j): with a key, stored with it and committed before it is set as the
 * response; "repeated": false is added to an object answer. */
void http_idem_answer(http_request *r, http_response *w, http_idem *k, int status, json_t *j);
/* The change was refused or failed: rolls back, so the key stays unused. */
void http_idem_abort(http_request *r, http_idem *k);

#endif
