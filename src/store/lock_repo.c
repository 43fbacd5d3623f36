/* Report locks and their snapshots (schema/016_debt.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/debt.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

int lock_list(db *d, bool active_only, const char *period, const char *path, lock_row_fn fn, void *ctx, pc_err *e)
{
    /* path: locks of nodes under it or above it (an ancestor's lock covers the scope too). */
    db_stmt *s = db_prepare(d, "SELECT l.id, l.org_id, o.code, o.level, o.path, l.period, l.locked_at, l.locked_by, a.code, "
                               "u.unlocked_at, u.unlocked_by, ua.code, u.reason "
                               "FROM report_lock l JOIN org_node o ON o.id = l.org_id JOIN org_node a ON a.id = l.locked_as "
                               "LEFT JOIN report_unlock u ON u.lock_id = l.id LEFT JOIN org_node ua ON ua.id = u.unlocked_as "
                               "WHERE (? = 0 OR u.lock_id IS NULL) AND (? IS NULL OR l.period = ?) "
                               "AND (? IS NULL OR substr(o.path, 1, length(CAST(? AS TEXT))) = ? "
                               "     OR substr(CAST(? AS TEXT), 1, length(o.path)) = o.path) "
                               "ORDER BY l.id DESC", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, active_only ? 1 : 0);
    db_bind_text(s, 2, period);
    db_bind_text(s, 3, period);
    for (int i = 4; i <= 7; i++)
        db_bind_text(s, i, path);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        lock_row r;
        memset(&r, 0, sizeof r);
        r.id = db_col_int(s, 0);
        r.org_id = db_col_int(s, 1);
        COPY(r.org_code, db_col_text(s, 2));
        COPY(r.org_level, db_col_text(s, 3));
        COPY(r.org_path, db_col_text(s, 4));
        COPY(r.period, db_col_text(s, 5));
        COPY(r.locked_at, db_col_text(s, 6));
        COPY(r.locked_by, db_col_text(s, 7));
        COPY(r.locked_as, db_col_text(s, 8));
        COPY(r.unlocked_at, db_col_text(s, 9));
        COPY(r.unlocked_by, db_col_text(s, 10));
        COPY(r.unlocked_as, db_col_text(s, 11));
        COPY(r.unlock_reason, db_col_text(s, 12));
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int lock_insert(db *d, lock_row *r, int64_t locked_as_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO report_lock (org_id, period, locked_at, locked_by, locked_as) VALUES (?, ?, ?, ?, ?)",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->org_id);
    db_bind_text(s, 2, r->period);
    db_bind_text(s, 3, r->locked_at);
    db_bind_text(s, 4, r->locked_by);
    db_bind_int(s, 5, locked_as_id);
    if (db_run(s, e) != 0)
        return -1;
    r->id = db_last_insert_id(d);
    return 0;
}

int lock_unlock_insert(db *d, int64_t lock_id, const char *at, const char *by, int64_t as_id, const char *reason,
                       pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO report_unlock (lock_id, unlocked_at, unlocked_by, unlocked_as, reason) "
                               "VALUES (?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, lock_id);
    db_bind_text(s, 2, at);
    db_bind_text(s, 3, by);
    db_bind_int(s, 4, as_id);
    db_bind_text(s, 5, reason);
    return db_run(s, e);
}

int snapshot_insert(db *d, int64_t lock_id, const char *view, const char *body, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO report_snapshot (lock_id, view, body) VALUES (?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, lock_id);
    db_bind_text(s, 2, view);
    db_bind_text(s, 3, body);
    return db_run(s, e);
}

int snapshot_get(db *d, int64_t lock_id, const char *view, char **body, bool *found, pc_err *e)
{
    *body = NULL;
    *found = false;
    db_stmt *s = db_prepare(d, "SELECT body FROM report_snapshot WHERE lock_id = ? AND view = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, lock_id);
    db_bind_text(s, 2, view);
    int rc = db_step(s, e);
    if (rc == 1) {
        const char *t = db_col_text(s, 0);
        *body = strdup(t ? t : "");
        *found = true;
    }
    db_reset(s);
    if (rc == 1 && !*body)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    return rc < 0 ? -1 : 0;
}

int org_path_of(db *d, int64_t org_id, char path[160], pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT path FROM org_node WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, org_id);
    int rc = db_step(s, e);
    if (rc == 1)
        snprintf(path, 160, "%s", db_col_text(s, 0));
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no org node %lld", (long long)org_id);
    return rc < 0 ? -1 : 0;
}

int customer_unit_of(db *d, int64_t customer_id, int64_t *unit_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT unit_id FROM customer WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc = db_step(s, e);
    if (rc == 1)
        *unit_id = db_col_int(s, 0);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no customer %lld", (long long)customer_id);
    return rc < 0 ? -1 : 0;
}
