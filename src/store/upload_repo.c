/* SQL for the upload history (see uploads.h). */
#include <stdio.h>
#include <string.h>

#include "store/uploads.h"

#define UPLOAD_COLUMNS                                                                                                 \
    "id, idempotency_key, kind, sha256, name, bytes, options, uploaded_by, scope_path, uploaded_at, lines, imported, " \
    "skipped, amount, detail"

static void row_of(db_stmt *s, upload_row *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_col_int(s, 0);
    snprintf(u->idempotency_key, sizeof u->idempotency_key, "%s", db_col_text(s, 1));
    snprintf(u->kind, sizeof u->kind, "%s", db_col_text(s, 2));
    snprintf(u->sha256, sizeof u->sha256, "%s", db_col_text(s, 3));
    snprintf(u->name, sizeof u->name, "%s", db_col_text(s, 4));
    u->bytes = db_col_int(s, 5);
    snprintf(u->options, sizeof u->options, "%s", db_col_text(s, 6));
    snprintf(u->uploaded_by, sizeof u->uploaded_by, "%s", db_col_text(s, 7));
    snprintf(u->scope_path, sizeof u->scope_path, "%s", db_col_text(s, 8));
    snprintf(u->uploaded_at, sizeof u->uploaded_at, "%s", db_col_text(s, 9));
    u->lines = db_col_int(s, 10);
    u->imported = db_col_int(s, 11);
    u->skipped = db_col_int(s, 12);
    u->amount = db_col_int(s, 13);
    snprintf(u->detail, sizeof u->detail, "%s", db_col_text(s, 14));
}

int upload_insert(db *d, upload_row *u, pc_err *e)
{
    upload_row old;
    pc_err le = {0};
    if (upload_by_key(d, u->idempotency_key, &old, &le) == 0)
        return pc_errf(e, PC_ECONFLICT, "the Idempotency-Key '%s' names another upload", u->idempotency_key);
    if (le.code != PC_ENOTFOUND) {
        *e = le;
        return -1;
    }
    db_stmt *s = db_prepare(d, "INSERT INTO upload (idempotency_key, kind, sha256, name, bytes, options, uploaded_by, "
                               "scope_path, uploaded_at, lines, imported, skipped, amount, detail) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, u->idempotency_key);
    db_bind_text(s, 2, u->kind);
    db_bind_text(s, 3, u->sha256);
    db_bind_text(s, 4, u->name);
    db_bind_int(s, 5, u->bytes);
    db_bind_text(s, 6, u->options);
    db_bind_text(s, 7, u->uploaded_by);
    db_bind_text(s, 8, u->scope_path);
    db_bind_text(s, 9, u->uploaded_at);
    db_bind_int(s, 10, u->lines);
    db_bind_int(s, 11, u->imported);
    db_bind_int(s, 12, u->skipped);
    db_bind_int(s, 13, u->amount);
    db_bind_text(s, 14, u->detail);
    if (db_run(s, e) != 0)
        return -1;
    u->id = db_last_insert_id(d);
    return 0;
}

static int get_one(db *d, const char *sql, int64_t id, const char *key, upload_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, sql, e);
    if (!s)
        return -1;
    if (key)
        db_bind_text(s, 1, key);
    else
        db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        row_of(s, out);
    db_reset(s);
    if (rc < 0)
        return -1;
    return rc == 1 ? 0 : pc_errf(e, PC_ENOTFOUND, "no upload has this number");
}

int upload_get(db *d, int64_t id, upload_row *out, pc_err *e)
{
    return get_one(d, "SELECT " UPLOAD_COLUMNS " FROM upload WHERE id = ?", id, NULL, out, e);
}

int upload_by_key(db *d, const char *key, upload_row *out, pc_err *e)
{
    return get_one(d, "SELECT " UPLOAD_COLUMNS " FROM upload WHERE idempotency_key = ?", 0, key, out, e);
}

/* scope_path LIKE 'path%': the paths hold only codes and slashes, no LIKE wildcards. */
int upload_list(db *d, const char *scope_path, const char *kind, long limit, long offset, upload_fn fn, void *ctx,
                int64_t *total, pc_err *e)
{
    char prefix[176];
    snprintf(prefix, sizeof prefix, "%s%%", scope_path ? scope_path : "");
    db_stmt *s = db_prepare(d, "SELECT count(*) FROM upload WHERE scope_path LIKE ? AND (? = '' OR kind = ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, prefix);
    db_bind_text(s, 2, kind ? kind : "");
    db_bind_text(s, 3, kind ? kind : "");
    int rc = db_step(s, e);
    *total = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    if (rc < 0)
        return -1;
    s = db_prepare(d, "SELECT " UPLOAD_COLUMNS " FROM upload WHERE scope_path LIKE ? AND (? = '' OR kind = ?) "
                      "ORDER BY id DESC LIMIT ? OFFSET ?",
                   e);
    if (!s)
        return -1;
    db_bind_text(s, 1, prefix);
    db_bind_text(s, 2, kind ? kind : "");
    db_bind_text(s, 3, kind ? kind : "");
    db_bind_int(s, 4, limit);
    db_bind_int(s, 5, offset);
    upload_row u;
    while ((rc = db_step(s, e)) == 1) {
        row_of(s, &u);
        if (fn(ctx, &u) != 0)
            break;
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
