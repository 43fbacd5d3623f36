/* Repository of uploads: the history of files imported over HTTP (schema/024_uploads.sql). */
#ifndef PC_STORE_UPLOADS_H
#define PC_STORE_UPLOADS_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    int64_t id;
    char idempotency_key[64];
    char kind[20];
    char sha256[65];
    char name[128];
    int64_t bytes;
    char options[128];     /* "source=amr", "partner=ECPAY", "" */
    char uploaded_by[64];
    char scope_path[160];
    char uploaded_at[32];
    int64_t lines, imported, skipped, amount;
    char detail[512];      /* JSON object of the kind's own counts */
} upload_row;

/* Inserts the row and sets u->id; PC_ECONFLICT when the idempotency key is taken. */
int upload_insert(db *d, upload_row *u, pc_err *e);
/* The upload of an id or of an idempotency key: PC_ENOTFOUND when absent. */
int upload_get(db *d, int64_t id, upload_row *out, pc_err *e);
int upload_by_key(db *d, const char *key, upload_row *out, pc_err *e);
typedef int (*upload_fn)(void *ctx, const upload_row *u);
/* The uploads whose scope lies under scope_path (NULL: all), newest first, limit from offset;
 * *total receives how many there are. */
int upload_list(db *d, const char *scope_path, const char *kind, long limit, long offset, upload_fn fn, void *ctx,
                int64_t *total, pc_err *e);

#endif
