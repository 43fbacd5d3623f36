/* What both engines share (see db_internal.h): opening by target, the statement cache keyed by
 * SQL text, nested transactions as savepoints, and the calls that forward to the engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_internal.h"

int db_open(const char *target, db **out, pc_err *e)
{
    db *d = calloc(1, sizeof *d);
    if (!d)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    bool pg = strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
    int rc = pg ? postgres_connect(d, target, e) : sqlite_connect(d, target, e);
    if (rc != 0) {
        free(d);
        return -1;
    }
    if (migrate_apply(d, e) != 0) {
        db_close(d);
        return -1;
    }
    *out = d;
    return 0;
}

void db_close(db *d)
{
    if (!d)
        return;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (d->cache[i].impl) {
            d->ops->finalize(&d->cache[i]);
            free(d->cache[i].sql_copy);
        }
    }
    d->ops->close(d);
    free(d);
}

db_engine db_engine_of(const db *d)
{
    return d->engine;
}

int db_exec(db *d, const char *sql, pc_err *e)
{
    return d->ops->exec(d, sql, e);
}

static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

db_stmt *db_prepare(db *d, const char *sql, pc_err *e)
{
    uint32_t h = hash_text(sql);
    for (uint32_t i = 0; i < STMT_CACHE; i++) {
        db_stmt *s = &d->cache[(h + i) & (STMT_CACHE - 1)];
        /* Compare the text, not the pointer: callers may build SQL in buffers that get reused. */
        if (s->impl && strcmp(s->sql_copy, sql) == 0) {
            /* A cached statement is shared: callers never hold two uses of one at once. */
            d->ops->reset(s);
            return s;
        }
        if (!s->impl) {
            s->owner = d;
            s->sql = sql;
            if (d->ops->compile(d, s, e) != 0) {
                s->impl = NULL;
                return NULL;
            }
            s->sql_copy = strdup(sql);
            return s;
        }
    }
    pc_errf(e, PC_EINTERNAL, "statement cache full");
    return NULL;
}

void db_bind_int(db_stmt *s, int idx, int64_t v)
{
    s->owner->ops->bind_int(s, idx, v);
}

void db_bind_text(db_stmt *s, int idx, const char *v)
{
    if (v)
        s->owner->ops->bind_text(s, idx, v);
    else
        s->owner->ops->bind_null(s, idx);
}

void db_bind_null(db_stmt *s, int idx)
{
    s->owner->ops->bind_null(s, idx);
}

int db_step(db_stmt *s, pc_err *e)
{
    return s->owner->ops->step(s, e);
}

int64_t db_col_int(db_stmt *s, int col)
{
    return s->owner->ops->col_int(s, col);
}

const char *db_col_text(db_stmt *s, int col)
{
    return s->owner->ops->col_text(s, col);
}

bool db_col_null(db_stmt *s, int col)
{
    return s->owner->ops->col_null(s, col);
}

void db_reset(db_stmt *s)
{
    s->owner->ops->reset(s);
}

int db_run(db_stmt *s, pc_err *e)
{
    int rc = db_step(s, e);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int db_begin(db *d, pc_err *e)
{
    char sql[48];
    if (d->tx_depth == 0)
        snprintf(sql, sizeof sql, "%s", d->ops->begin_sql);
    else
        snprintf(sql, sizeof sql, "SAVEPOINT sp%d", d->tx_depth);
    if (db_exec(d, sql, e) != 0)
        return -1;
    d->tx_depth++;
    return 0;
}

int db_commit(db *d, pc_err *e)
{
    char sql[48];
    if (d->tx_depth <= 0)
        return pc_errf(e, PC_EINTERNAL, "commit without a transaction");
    if (d->tx_depth == 1)
        strcpy(sql, "COMMIT");
    else
        snprintf(sql, sizeof sql, "RELEASE SAVEPOINT sp%d", d->tx_depth - 1);
    if (db_exec(d, sql, e) != 0)
        return -1;
    d->tx_depth--;
    return 0;
}

void db_rollback(db *d)
{
    char sql[80];
    if (d->tx_depth <= 0)
        return;
    if (d->tx_depth == 1)
        strcpy(sql, "ROLLBACK");
    else
        snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT sp%d; RELEASE SAVEPOINT sp%d", d->tx_depth - 1, d->tx_depth - 1);
    d->ops->exec(d, sql, NULL);
    d->tx_depth--;
}

int db_tx_depth(const db *d)
{
    return d->tx_depth;
}

void db_tolerate_errors(db *d, bool on)
{
    d->tolerate_errors = on;
}

int db_backup(db *d, const char *path, pc_err *e)
{
    if (d->tx_depth > 0)
        return pc_errf(e, PC_EINVAL, "backup: not inside a transaction");
    return d->ops->backup(d, path, e);
}

int db_restore(const char *backup, const char *target, pc_err *e)
{
    bool pg = strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
    return pg ? postgres_restore(backup, target, e) : sqlite_restore(backup, target, e);
}

int64_t db_last_insert_id(db *d)
{
    return d->ops->last_insert_id(d);
}

int64_t db_changes(db *d)
{
    return d->ops->changes(d);
}
