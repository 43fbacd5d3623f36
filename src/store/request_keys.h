/* Repository of HTTP idempotency keys (schema/022_request_keys.sql): the first answer to a
 * keyed request, per account and key. Runs inside the caller's transaction; decides nothing. */
#ifndef PC_STORE_REQUEST_KEYS_H
#define PC_STORE_REQUEST_KEYS_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    char request_hash[65];
    int status;
    char *answer; /* malloc'd: the caller frees */
    char created_at[32];
} request_key_row;

/* PC_ENOTFOUND when the account has not used the key. */
int request_key_get(db *d, const char *actor, const char *key, request_key_row *out, pc_err *e);
/* A key used already by the account is PC_ECONFLICT. */
int request_key_insert(db *d, const char *actor, const char *key, const char *request_hash, int status,
                       const char *answer, const char *created_at, pc_err *e);

#endif
