/* Staff accounts and job runs (store/users.h). */
#include <stdio.h>
#include <string.h>

#include "store/users.h"

#define USER_COLS                                                                                                  \
    "u.id, u.login, u.name, u.role, u.scope_id, n.code, n.name, n.path, u.email, u.phone, u.chat_url, u.lang, "   \
    "u.digest, u.disabled, u.created_at, u.updated_at FROM app_user u JOIN org_node n ON n.id = u.scope_id "

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static void user_from_row(db_stmt *s, user_row *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_col_int(s, 0);
    copy(u->login, sizeof u->login, db_col_text(s, 1));
    copy(u->name, sizeof u->name, db_col_text(s, 2));
    copy(u->role, sizeof u->role, db_col_text(s, 3));
    u->scope_id = db_col_int(s, 4);
    copy(u->scope_code, sizeof u->scope_code, db_col_text(s, 5));
    copy(u->scope_name, sizeof u->scope_name, db_col_text(s, 6));
    copy(u->scope_path, sizeof u->scope_path, db_col_text(s, 7));
    copy(u->email, sizeof u->email, db_col_text(s, 8));
    copy(u->phone, sizeof u->phone, db_col_text(s, 9));
    copy(u->chat_url, sizeof u->chat_url, db_col_text(s, 10));
    copy(u->lang, sizeof u->lang, db_col_text(s, 11));
    u->digest = db_col_int(s, 12) != 0;
    u->disabled = db_col_int(s, 13) != 0;
    copy(u->created_at, sizeof u->created_at, db_col_text(s, 14));
    copy(u->updated_at, sizeof u->updated_at, db_col_text(s, 15));
}

static const char *or_null(const char *v)
{
    return v && v[0] ? v : NULL;
}

int user_insert(db *d, user_row *u, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO app_user (login, name, role, scope_id, email, phone, chat_url, lang, digest, "
                               "disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, u->login);
    db_bind_text(s, 2, u->name);
    db_bind_text(s, 3, u->role);
    db_bind_int(s, 4, u->scope_id);
    db_bind_text(s, 5, or_null(u->email));
    db_bind_text(s, 6, or_null(u->phone));
    db_bind_text(s, 7, or_null(u->chat_url));
    db_bind_text(s, 8, u->lang);
    db_bind_int(s, 9, u->digest);
    db_bind_int(s, 10, u->disabled);
    db_bind_text(s, 11, u->created_at);
    db_bind_text(s, 12, u->updated_at);
    if (db_run(s, e) != 0) {
        if (e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "user '%s' already exists", u->login);
        return -1;
    }
    u->id = db_last_insert_id(d);
    return 0;
}

int user_update(db *d, const user_row *u, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE app_user SET name = ?, role = ?, scope_id = ?, email = ?, phone = ?, chat_url = ?, "
                               "lang = ?, digest = ?, disabled = ?, updated_at = ? WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, u->name);
    db_bind_text(s, 2, u->role);
    db_bind_int(s, 3, u->scope_id);
    db_bind_text(s, 4, or_null(u->email));
    db_bind_text(s, 5, or_null(u->phone));
    db_bind_text(s, 6, or_null(u->chat_url));
    db_bind_text(s, 7, u->lang);
    db_bind_int(s, 8, u->digest);
    db_bind_int(s, 9, u->disabled);
    db_bind_text(s, 10, u->updated_at);
    db_bind_int(s, 11, u->id);
    return db_run(s, e);
}

int user_get(db *d, const char *login, user_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " USER_COLS "WHERE u.login = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, login);
    int rc = db_step(s, e);
    if (rc == 1)
        user_from_row(s, out);
    db_reset(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "user '%s' does not exist", login);
    return 0;
}

int user_get_by_id(db *d, int64_t id, user_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " USER_COLS "WHERE u.id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        user_from_row(s, out);
    db_reset(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "user #%lld does not exist", (long long)id);
    return 0;
}

int user_password_hash(db *d, int64_t id, char *hash, size_t cap, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT password_hash FROM app_user WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    hash[0] = 0;
    if (rc == 1)
        copy(hash, cap, db_col_text(s, 0));
    db_reset(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "user #%lld does not exist", (long long)id);
    return 0;
}

int user_password_set(db *d, int64_t id, const char *hash, const char *updated_at, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE app_user SET password_hash = ?, updated_at = ? WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, hash);
    db_bind_text(s, 2, updated_at);
    db_bind_int(s, 3, id);
    return db_run(s, e);
}

int user_list(db *d, const char *scope_path, bool digest_only, user_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " USER_COLS "WHERE (? IS NULL OR substr(n.path, 1, length(CAST(? AS TEXT))) = ?) "
                               "AND (? = 0 OR (u.digest = 1 AND u.disabled = 0)) ORDER BY u.login", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, scope_path);
    db_bind_text(s, 2, scope_path);
    db_bind_text(s, 3, scope_path);
    db_bind_int(s, 4, digest_only);
    int rc, status = 0;
    while ((rc = db_step(s, e)) == 1) {
        user_row u;
        user_from_row(s, &u);
        if ((status = fn(ctx, &u)) != 0)
            break;
    }
    db_reset(s);
    if (rc < 0)
        return -1;
    return status;
}

int job_run_claim(db *d, const char *job, const char *slot, const char *runner, const char *now,
                  const char *stale_before, bool *taken, int64_t *id, pc_err *e)
{
    *taken = false;
    db_stmt *s = db_prepare(d, "INSERT INTO job_run (job, slot, status, started_at, runner) VALUES (?, ?, 'running', ?, ?) "
                               "ON CONFLICT (job, slot) DO NOTHING", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, job);
    db_bind_text(s, 2, slot);
    db_bind_text(s, 3, now);
    db_bind_text(s, 4, runner);
    if (db_run(s, e) != 0)
        return -1;
    if (db_changes(d) == 0) {
        /* Someone has the slot: take it over only when its run died or failed long enough ago. */
        s = db_prepare(d, "UPDATE job_run SET status = 'running', started_at = ?, finished_at = NULL, runner = ? "
                          "WHERE job = ? AND slot = ? AND status <> 'done' AND started_at < ?", e);
        if (!s)
            return -1;
        db_bind_text(s, 1, now);
        db_bind_text(s, 2, runner);
        db_bind_text(s, 3, job);
        db_bind_text(s, 4, slot);
        db_bind_text(s, 5, stale_before);
        if (db_run(s, e) != 0)
            return -1;
        if (db_changes(d) == 0)
            return 0;
    }
    s = db_prepare(d, "SELECT id FROM job_run WHERE job = ? AND slot = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, job);
    db_bind_text(s, 2, slot);
    int rc = db_step(s, e);
    if (rc == 1)
        *id = db_col_int(s, 0);
    db_reset(s);
    if (rc != 1)
        return rc < 0 ? -1 : pc_errf(e, PC_EINTERNAL, "job run %s/%s vanished", job, slot);
    *taken = true;
    return 0;
}

int job_run_finish(db *d, int64_t id, bool ok, const char *detail, const char *now, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE job_run SET status = ?, finished_at = ?, detail = ? WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, ok ? "done" : "failed");
    db_bind_text(s, 2, now);
    db_bind_text(s, 3, detail);
    db_bind_int(s, 4, id);
    return db_run(s, e);
}

static void run_from_row(db_stmt *s, job_run_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(s, 0);
    copy(r->job, sizeof r->job, db_col_text(s, 1));
    copy(r->slot, sizeof r->slot, db_col_text(s, 2));
    copy(r->status, sizeof r->status, db_col_text(s, 3));
    copy(r->started_at, sizeof r->started_at, db_col_text(s, 4));
    copy(r->finished_at, sizeof r->finished_at, db_col_text(s, 5));
    copy(r->runner, sizeof r->runner, db_col_text(s, 6));
    copy(r->detail, sizeof r->detail, db_col_text(s, 7));
}

int job_run_last(db *d, const char *job, job_run_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id, job, slot, status, started_at, finished_at, runner, detail FROM job_run "
                               "WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, job);
    int rc = db_step(s, e);
    if (rc == 1)
        run_from_row(s, out);
    db_reset(s);
    if (rc < 0)
        return -1;
    return rc == 0 ? pc_errf(e, PC_ENOTFOUND, "job %s never ran", job) : 0;
}

int job_run_list(db *d, const char *job, int limit, job_run_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id, job, slot, status, started_at, finished_at, runner, detail FROM job_run "
                               "WHERE ? IS NULL OR job = ? ORDER BY started_at DESC, id DESC LIMIT ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, job);
    db_bind_text(s, 2, job);
    db_bind_int(s, 3, limit);
    int rc, status = 0;
    while ((rc = db_step(s, e)) == 1) {
        job_run_row r;
        run_from_row(s, &r);
        if ((status = fn(ctx, &r)) != 0)
            break;
    }
    db_reset(s);
    if (rc < 0)
        return -1;
    return status;
}
