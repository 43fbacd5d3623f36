/* The SQLite engine behind db.h: WAL journal, foreign keys on, a busy timeout so concurrent
 * writers wait instead of failing, BEGIN IMMEDIATE so a writer takes its lock up front. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fold.h"
#include "store/db_internal.h"

#define CONN(d) ((sqlite3 *)(d)->conn)
#define ST(s) ((sqlite3_stmt *)(s)->impl)

static int sqlite_error(sqlite3 *conn, int rc, pc_err *e, const char *what)
{
    const char *msg = conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc);
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

static int sq_exec(db *d, const char *sql, pc_err *e)
{
    char *msg = NULL;
    int rc = sqlite3_exec(CONN(d), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        pc_errcode code = (rc & 0xff) == SQLITE_CONSTRAINT ? PC_ECONFLICT : PC_EDB;
        pc_errf(e, code, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int sq_compile(db *d, db_stmt *s, pc_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(CONN(d), s->sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return sqlite_error(CONN(d), rc, e, "prepare");
    s->impl = st;
    return 0;
}

static void sq_finalize(db_stmt *s)
{
    sqlite3_finalize(ST(s));
}

static void sq_bind_int(db_stmt *s, int idx, int64_t v)
{
    sqlite3_bind_int64(ST(s), idx, v);
}

static void sq_bind_text(db_stmt *s, int idx, const char *v)
{
    sqlite3_bind_text(ST(s), idx, v, -1, SQLITE_TRANSIENT);
}

static void sq_bind_text_static(db_stmt *s, int idx, const char *v, size_t len)
{
    sqlite3_bind_text(ST(s), idx, v, (int)len, SQLITE_STATIC);
}

static void sq_bind_null(db_stmt *s, int idx)
{
    sqlite3_bind_null(ST(s), idx);
}

static int sq_step(db_stmt *s, pc_err *e)
{
    int rc = sqlite3_step(ST(s));
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite_error(CONN(s->owner), rc, e, "database");
    sqlite3_reset(ST(s));
    return -1;
}

static int64_t sq_col_int(db_stmt *s, int col)
{
    return sqlite3_column_int64(ST(s), col);
}

static const char *sq_col_text(db_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(ST(s), col);
}

static bool sq_col_null(db_stmt *s, int col)
{
    return sqlite3_column_type(ST(s), col) == SQLITE_NULL;
}

static void sq_reset(db_stmt *s)
{
    sqlite3_reset(ST(s));
    sqlite3_clear_bindings(ST(s));
}

static int64_t sq_last_insert_id(db *d)
{
    return sqlite3_last_insert_rowid(CONN(d));
}

static int64_t sq_changes(db *d)
{
    return sqlite3_changes64(CONN(d));
}

static void sq_close(db *d)
{
    sqlite3_close(CONN(d));
}

/* Copies every page of src into dst with SQLite's online backup (readers and writers may go on). */
static int copy_database(sqlite3 *src, sqlite3 *dst, pc_err *e, const char *what)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return pc_errf(e, PC_EDB, "%s: %s", what, sqlite3_errmsg(dst));
    int rc;
    while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(rc == SQLITE_OK ? 0 : 20);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return pc_errf(e, PC_EDB, "%s: %s", what, sqlite3_errstr(rc));
    return 0;
}

static int sq_backup(db *d, const char *path, pc_err *e)
{
    if (access(path, F_OK) == 0)
        return pc_errf(e, PC_ECONFLICT, "backup: '%s' already exists", path);
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        pc_errf(e, PC_EIO, "backup: cannot create '%s'", path);
        sqlite3_close(dst);
        return -1;
    }
    int rc = copy_database(CONN(d), dst, e, "backup");
    sqlite3_close(dst);
    if (rc != 0)
        unlink(path);
    return rc;
}

int sqlite_restore(const char *backup, const char *path, pc_err *e)
{
    if (access(path, F_OK) == 0)
        return pc_errf(e, PC_ECONFLICT, "restore: '%s' already exists: restore into a new file", path);
    sqlite3 *src = NULL, *dst = NULL;
    if (sqlite3_open_v2(backup, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        pc_errf(e, PC_EIO, "restore: cannot open '%s'", backup);
        sqlite3_close(src);
        return -1;
    }
    int rc = -1;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        pc_errf(e, PC_EIO, "restore: cannot create '%s'", path);
    else
        rc = copy_database(src, dst, e, "restore");
    sqlite3_close(src);
    sqlite3_close(dst);
    if (rc != 0)
        unlink(path);
    return rc;
}

static const db_ops sqlite_ops = {
    sq_exec,   sq_compile, sq_finalize, sq_bind_int,       sq_bind_text, sq_bind_null, sq_step,  sq_col_int,
    sq_col_text, sq_col_null, sq_reset, sq_last_insert_id, sq_changes,   sq_close,     sq_backup, "BEGIN IMMEDIATE",
    NULL,      sq_bind_text_static};

/* Waiting for another connection's write lock (the server's worker threads each have one). A
 * writer's transaction takes well under a millisecond, so the waits are short: SQLite's own
 * handler sleeps up to 100 ms a try, which leaves the database idle while writers queue and made
 * the counter's postings wait tens to hundreds of milliseconds under load. Gives up after about
 * 10 s, as the busy timeout it replaces did. */
static int busy_wait(void *arg, int tries)
{
    (void)arg;
    long us = tries < 20 ? 50 : tries < 200 ? 200 : 1000;
    /* 20 × 50 µs + 180 × 200 µs ≈ 37 ms, then 1 ms a try */
    if (tries >= 200 + 10000)
        return 0;
    usleep((useconds_t)us);
    return 1;
}

int sqlite_connect(db *d, const char *path, pc_err *e)
{
    sqlite3 *conn = NULL;
    int rc = sqlite3_open_v2(path, &conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        pc_errf(e, PC_EDB, "cannot open database '%s': %s", path, conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
        sqlite3_close(conn);
        return -1;
    }
    d->ops = &sqlite_ops;
    d->engine = DB_SQLITE;
    d->conn = conn;
    sqlite3_extended_result_codes(conn, 1);
    sqlite3_create_function(conn, "pc_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_fold,
                            NULL, NULL);
    sqlite3_busy_handler(conn, busy_wait, NULL);
    /* synchronous=NORMAL is durable in WAL mode except for the last commits before a power
     * loss; the database itself never corrupts. */
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                          "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;";
    if (sq_exec(d, pragmas, e) != 0) {
        pc_err_prefix(e, "database '%s'", path);
        sqlite3_close(conn);
        return -1;
    }
    return 0;
}
