/* The SQLite engine behind db.h: WAL journal, foreign keys on, a busy timeout so concurrent
 * writers wait instead of failing, and a statement cache keyed by SQL text. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fold.h"
#include "store/db_internal.h"

#define STMT_CACHE 512 /* power of two; more distinct statements than this is a design smell */

struct db_stmt {
    db *owner;
    const char *sql; /* the caller's text (a literal) */
    char *sql_copy;  /* owned copy, compared on lookup */
    sqlite3_stmt *st;
};

struct db {
    sqlite3 *conn;
    int tx_depth;
    db_stmt cache[STMT_CACHE];
};

static int sqlite_error(db *d, int rc, pc_err *e, const char *what)
{
    const char *msg = d && d->conn ? sqlite3_errmsg(d->conn) : sqlite3_errstr(rc);
    pc_errcode code = (rc & 0xff) == SQLITE_CONSTRAINT ? PC_ECONFLICT : PC_EDB;
    return pc_errf(e, code, "%s: %s", what, msg);
}

/* pc_fold(text): the search folding of base/fold as an SQL function, so a bulk import can
 * fill the search index with one INSERT … SELECT at the end (see customer_index_since). */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *in = (const char *)sqlite3_value_text(argv[0]);
    if (!in) {
        sqlite3_result_null(ctx);
        return;
    }
    char out[1024];
    if (text_fold(in, out, sizeof out, NULL) != 0) {
        sqlite3_result_error(ctx, "pc_fold: text is not valid UTF-8", -1);
        return;
    }
    sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

int sqlite_open(const char *path, db **out, pc_err *e)
{
    db *d = calloc(1, sizeof *d);
    if (!d)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    int rc = sqlite3_open_v2(path, &d->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        pc_errf(e, PC_EDB, "cannot open database '%s': %s", path,
                d->conn ? sqlite3_errmsg(d->conn) : sqlite3_errstr(rc));
        sqlite3_close(d->conn);
        free(d);
        return -1;
    }
    sqlite3_extended_result_codes(d->conn, 1);
    sqlite3_create_function(d->conn, "pc_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                            sql_fold, NULL, NULL);
    sqlite3_busy_timeout(d->conn, 10000);
    /* synchronous=NORMAL is durable in WAL mode except for the last commits before a power
     * loss; the database itself never corrupts. */
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                          "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;";
    if (db_exec(d, pragmas, e) != 0) {
        pc_err_prefix(e, "database '%s'", path);
        db_close(d);
        return -1;
    }
    *out = d;
    return 0;
}

int db_open(const char *target, db **out, pc_err *e)
{
    if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0)
        return pc_errf(e, PC_EINVAL, "PostgreSQL is not available in this build yet (target '%s')", target);
    db *d;
    if (sqlite_open(target, &d, e) != 0)
        return -1;
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
        if (d->cache[i].st) {
            sqlite3_finalize(d->cache[i].st);
            free(d->cache[i].sql_copy);
        }
    }
    sqlite3_close(d->conn);
    free(d);
}

db_engine db_engine_of(const db *d)
{
    (void)d;
    return DB_SQLITE;
}

int db_exec(db *d, const char *sql, pc_err *e)
{
    char *msg = NULL;
    int rc = sqlite3_exec(d->conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        pc_errcode code = (rc & 0xff) == SQLITE_CONSTRAINT ? PC_ECONFLICT : PC_EDB;
        pc_errf(e, code, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
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
        if (s->st && (s->sql == sql || strcmp(s->sql_copy, sql) == 0)) {
            /* A cached statement is shared: callers never hold two uses of one at once. */
            sqlite3_reset(s->st);
            sqlite3_clear_bindings(s->st);
            return s;
        }
        if (!s->st) {
            int rc = sqlite3_prepare_v3(d->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
            if (rc != SQLITE_OK) {
                sqlite_error(d, rc, e, "prepare");
                s->st = NULL;
                return NULL;
            }
            s->owner = d;
            s->sql = sql;
            s->sql_copy = strdup(sql);
            return s;
        }
    }
    pc_errf(e, PC_EINTERNAL, "statement cache full");
    return NULL;
}

void db_bind_int(db_stmt *s, int idx, int64_t v)
{
    sqlite3_bind_int64(s->st, idx, v);
}

void db_bind_text(db_stmt *s, int idx, const char *v)
{
    if (v)
        sqlite3_bind_text(s->st, idx, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s->st, idx);
}

void db_bind_null(db_stmt *s, int idx)
{
    sqlite3_bind_null(s->st, idx);
}

int db_step(db_stmt *s, pc_err *e)
{
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite_error(s->owner, rc, e, "database");
    sqlite3_reset(s->st);
    return -1;
}

int64_t db_col_int(db_stmt *s, int col)
{
    return sqlite3_column_int64(s->st, col);
}

const char *db_col_text(db_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(s->st, col);
}

bool db_col_null(db_stmt *s, int col)
{
    return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

void db_reset(db_stmt *s)
{
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
}

int db_run(db_stmt *s, pc_err *e)
{
    int rc = db_step(s, e);
    db_reset(s);
    if (rc < 0)
        return -1;
    return 0;
}

int db_begin(db *d, pc_err *e)
{
    char sql[48];
    if (d->tx_depth == 0)
        strcpy(sql, "BEGIN IMMEDIATE");
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
        snprintf(sql, sizeof sql, "RELEASE sp%d", d->tx_depth - 1);
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
        snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d", d->tx_depth - 1, d->tx_depth - 1);
    sqlite3_exec(d->conn, sql, NULL, NULL, NULL);
    d->tx_depth--;
}

int db_tx_depth(const db *d)
{
    return d->tx_depth;
}

int64_t db_last_insert_id(db *d)
{
    return sqlite3_last_insert_rowid(d->conn);
}

int64_t db_changes(db *d)
{
    return sqlite3_changes64(d->conn);
}
