/* Engine entry points behind db.h (private to src/store). db.c holds what both engines share
 * (the statement cache, transactions as BEGIN/SAVEPOINT, migrations on open); each engine fills
 * a db_ops table. */
#ifndef PC_STORE_DB_INTERNAL_H
#define PC_STORE_DB_INTERNAL_H

#include "store/db.h"

#define STMT_CACHE 512 /* power of two; more distinct statements than this is a design smell */

typedef struct {
    int (*exec)(db *d, const char *sql, pc_err *e);
    int (*compile)(db *d, db_stmt *s, pc_err *e); /* s->sql → s->impl */
    void (*finalize)(db_stmt *s);
    void (*bind_int)(db_stmt *s, int idx, int64_t v);
    void (*bind_text)(db_stmt *s, int idx, const char *v);
    void (*bind_null)(db_stmt *s, int idx);
    int (*step)(db_stmt *s, pc_err *e);
    int64_t (*col_int)(db_stmt *s, int col);
    const char *(*col_text)(db_stmt *s, int col);
    bool (*col_null)(db_stmt *s, int col);
    void (*reset)(db_stmt *s); /* end the current use and clear the bindings */
    int64_t (*last_insert_id)(db *d);
    int64_t (*changes)(db *d);
    void (*close)(db *d);
    int (*backup)(db *d, const char *path, pc_err *e);
    const char *begin_sql; /* the outermost transaction's BEGIN */
    /* PostgreSQL only: COPY table (columns) FROM STDIN with rows in COPY's text format. */
    int (*copy_in)(db *d, const char *table, const char *columns, const char *data, size_t len, pc_err *e);
    /* SQLite only: binds len bytes of text that stay where they are until the statement is
     * reset (no copy). */
    void (*bind_text_static)(db_stmt *s, int idx, const char *v, size_t len);
} db_ops;

struct db_stmt {
    db *owner;
    const char *sql; /* the caller's text, valid only while compiling */
    char *sql_copy;  /* owned copy, compared on lookup */
    void *impl;
};

struct db {
    const db_ops *ops;
    db_engine engine;
    int tx_depth;
    bool tolerate_errors;
    void *conn;
    char *target; /* what db_open was given: a second connection opens the same */
    /* SQLite's key reservations in the open transaction (see db_reserve_ids). */
    struct {
        char table[32];
        int64_t last;
    } reserved[8];
    db_stmt cache[STMT_CACHE];
};

int sqlite_connect(db *d, const char *path, pc_err *e);
/* Copies a backup file made by db_backup into an empty SQLite database at path. */
int sqlite_restore(const char *backup, const char *path, pc_err *e);
int postgres_connect(db *d, const char *url, pc_err *e);
int postgres_restore(const char *backup, const char *url, pc_err *e);
/* Applies the embedded migrations in order; each in its own transaction. */
int migrate_apply(db *d, pc_err *e);

#endif
