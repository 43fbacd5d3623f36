/* Sessions, API keys, used signatures and login attempts (store/auth.h). */
#include "store/auth.h"

#include <stdio.h>
#include <string.h>

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

int session_insert(db *d, const session_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO user_session (id, user_id, created_at, expires_at, last_seen_at, ip) "
                               "VALUES (?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, r->id);
    db_bind_int(s, 2, r->user_id);
    db_bind_int(s, 3, r->created_at);
    db_bind_int(s, 4, r->expires_at);
    db_bind_int(s, 5, r->last_seen_at);
    db_bind_text(s, 6, r->ip);
    return db_run(s, e);
}

static void session_from_row(db_stmt *s, session_row *r)
{
    memset(r, 0, sizeof *r);
    copy(r->id, sizeof r->id, db_col_text(s, 0));
    r->user_id = db_col_int(s, 1);
    r->created_at = db_col_int(s, 2);
    r->expires_at = db_col_int(s, 3);
    r->last_seen_at = db_col_int(s, 4);
    r->revoked_at = db_col_null(s, 5) ? 0 : db_col_int(s, 5);
    copy(r->ip, sizeof r->ip, db_col_text(s, 6));
}

#define SESSION_COLS "id, user_id, created_at, expires_at, last_seen_at, revoked_at, ip FROM user_session "

int session_get(db *d, const char *id, session_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " SESSION_COLS "WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        session_from_row(s, out);
    db_reset(s);
    if (rc < 0)
        return -1;
    return rc == 0 ? pc_errf(e, PC_ENOTFOUND, "no such session") : 0;
}

int session_touch(db *d, const char *id, int64_t now, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE user_session SET last_seen_at = ? WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, now);
    db_bind_text(s, 2, id);
    return db_run(s, e);
}

int session_revoke(db *d, const char *id, int64_t now, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE user_session SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, now);
    db_bind_text(s, 2, id);
    return db_run(s, e);
}

int session_revoke_user(db *d, int64_t user_id, const char *keep_id, int64_t now, int64_t *n, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE user_session SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL "
                               "AND (? IS NULL OR id <> ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, now);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, keep_id);
    db_bind_text(s, 4, keep_id);
    if (db_run(s, e) != 0)
        return -1;
    if (n)
        *n = db_changes(d);
    return 0;
}

int session_list(db *d, int64_t user_id, session_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " SESSION_COLS "WHERE user_id = ? ORDER BY created_at, id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, user_id);
    int rc, status = 0;
    while ((rc = db_step(s, e)) == 1) {
        session_row r;
        session_from_row(s, &r);
        if ((status = fn(ctx, &r)) != 0)
            break;
    }
    db_reset(s);
    return rc < 0 ? -1 : status;
}

int api_key_insert(db *d, const api_key_row *k, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO api_key (id, partner_id, secret, created_at) VALUES (?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, k->id);
    db_bind_int(s, 2, k->partner_id);
    db_bind_text(s, 3, k->secret);
    db_bind_int(s, 4, k->created_at);
    return db_run(s, e);
}

int api_key_get(db *d, const char *id, api_key_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT k.id, k.partner_id, p.code, k.secret, k.created_at, k.revoked_at "
                               "FROM api_key k JOIN partner p ON p.id = k.partner_id WHERE k.id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        copy(out->id, sizeof out->id, db_col_text(s, 0));
        out->partner_id = db_col_int(s, 1);
        copy(out->partner_code, sizeof out->partner_code, db_col_text(s, 2));
        copy(out->secret, sizeof out->secret, db_col_text(s, 3));
        out->created_at = db_col_int(s, 4);
        out->revoked_at = db_col_null(s, 5) ? 0 : db_col_int(s, 5);
    }
    db_reset(s);
    if (rc < 0)
        return -1;
    return rc == 0 ? pc_errf(e, PC_ENOTFOUND, "API key '%s' does not exist", id) : 0;
}

int api_key_revoke(db *d, const char *id, int64_t now, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, now);
    db_bind_text(s, 2, id);
    return db_run(s, e);
}

int api_signature_insert(db *d, const char *signature, const char *key_id, int64_t now, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO api_signature (signature, key_id, seen_at) VALUES (?, ?, ?) "
                               "ON CONFLICT (signature) DO NOTHING", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, signature);
    db_bind_text(s, 2, key_id);
    db_bind_int(s, 3, now);
    if (db_run(s, e) != 0)
        return -1;
    return db_changes(d) == 1 ? 0 : pc_errf(e, PC_ECONFLICT, "this signature was used already");
}

int api_signature_prune(db *d, int64_t before, pc_err *e)
{
    db_stmt *s = db_prepare(d, "DELETE FROM api_signature WHERE seen_at < ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, before);
    return db_run(s, e);
}

int login_attempt_insert(db *d, const char *login, const char *ip, int64_t at, int ok, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO login_attempt (login, ip, at, ok) VALUES (?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, login);
    db_bind_text(s, 2, ip);
    db_bind_int(s, 3, at);
    db_bind_int(s, 4, ok);
    return db_run(s, e);
}

int login_failures(db *d, const char *login, const char *ip, int64_t since, int64_t *out, size_t cap, size_t *n,
                   pc_err *e)
{
    /* a login's count starts again after its last success (by id: two attempts may share a
     * second); an address's does not (one address guessing many logins) */
    db_stmt *s = login
        ? db_prepare(d, "SELECT at FROM login_attempt WHERE login = ? AND ok = 0 AND at >= ? AND id > "
                        "COALESCE((SELECT MAX(id) FROM login_attempt WHERE login = ? AND ok = 1), 0) "
                        "ORDER BY at DESC LIMIT ?", e)
        : db_prepare(d, "SELECT at FROM login_attempt WHERE ip = ? AND ok = 0 AND at >= ? ORDER BY at DESC LIMIT ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, login ? login : ip);
    db_bind_int(s, 2, since);
    if (login) {
        db_bind_text(s, 3, login);
        db_bind_int(s, 4, (int64_t)cap);
    } else
        db_bind_int(s, 3, (int64_t)cap);
    int rc;
    *n = 0;
    while ((rc = db_step(s, e)) == 1 && *n < cap)
        out[(*n)++] = db_col_int(s, 0);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
