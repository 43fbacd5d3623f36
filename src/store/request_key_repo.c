/* Repository of HTTP idempotency keys (store/request_keys.h). */
#include "store/request_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int request_key_get(db *d, const char *actor, const char *key, request_key_row *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(d,
                            "SELECT request_hash, status, answer, created_at FROM request_key "
                            "WHERE actor = ? AND idem_key = ?",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, actor);
    db_bind_text(s, 2, key);
    int rc = db_step(s, e);
    if (rc == 1) {
        snprintf(out->request_hash, sizeof out->request_hash, "%s", db_col_text(s, 0));
        out->status = (int)db_col_int(s, 1);
        out->answer = strdup(db_col_text(s, 2));
        snprintf(out->created_at, sizeof out->created_at, "%s", db_col_text(s, 3));
    }
    db_reset(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no request with this key");
    if (!out->answer)
        return pc_errf(e, PC_EINTERNAL, "no memory for a stored answer");
    return 0;
}

int request_key_insert(db *d, const char *actor, const char *key, const char *request_hash, int status,
                       const char *answer, const char *created_at, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "INSERT INTO request_key (actor, idem_key, request_hash, status, answer, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, actor);
    db_bind_text(s, 2, key);
    db_bind_text(s, 3, request_hash);
    db_bind_int(s, 4, status);
    db_bind_text(s, 5, answer);
    db_bind_text(s, 6, created_at);
    return db_run(s, e);
}
