/* The storage interface: one small API, two engines (SQLite now, PostgreSQL for scale).
 * SQL text uses '?' placeholders; an engine rewrites them as it needs. Statements are cached
 * by their text, so repository code calls db_prepare on every use and pays for parsing once.
 * Only src/store/ includes this header. */
#ifndef PC_STORE_DB_H
#define PC_STORE_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "base/err.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

typedef enum { DB_SQLITE, DB_POSTGRES } db_engine;

/* target: a file path (SQLite) or a postgres:// URL. Applies pending migrations. */
int db_open(const char *target, db **out, pc_err *e);
/* A second connection to d's database, for reading beside d in another thread (migrations are
 * not applied: d's open did). Refused (PC_EINVAL) for an in-memory SQLite database. */
int db_open_reader(db *d, db **out, pc_err *e);
void db_close(db *d);
db_engine db_engine_of(const db *d);

/* Runs SQL with no parameters and no result rows (may hold several statements). */
int db_exec(db *d, const char *sql, pc_err *e);

/* Returns the cached statement for this SQL text, reset and with no bindings. */
db_stmt *db_prepare(db *d, const char *sql, pc_err *e);
/* Parameters are numbered from 1. */
void db_bind_int(db_stmt *s, int idx, int64_t v);
void db_bind_text(db_stmt *s, int idx, const char *v); /* NULL binds SQL NULL */
void db_bind_null(db_stmt *s, int idx);
/* 1: a row is ready; 0: done; -1: error (constraint violations are PC_ECONFLICT). */
int db_step(db_stmt *s, pc_err *e);
/* Columns are numbered from 0. Text is valid until the next step or db_reset. NULL → 0 / NULL. */
int64_t db_col_int(db_stmt *s, int col);
const char *db_col_text(db_stmt *s, int col);
bool db_col_null(db_stmt *s, int col);
/* Ends the use of a statement (keeps it cached). */
void db_reset(db_stmt *s);
/* Convenience: step a statement that returns no rows, then reset it. */
int db_run(db_stmt *s, pc_err *e);

/* Transactions nest: the outermost is a real transaction (SQLite: BEGIN IMMEDIATE), inner
 * ones are savepoints, so a use case can call another inside its own transaction. */
int db_begin(db *d, pc_err *e);
int db_commit(db *d, pc_err *e);
void db_rollback(db *d);
int db_tx_depth(const db *d);
/* While on, a failed statement leaves the open transaction usable (SQLite always behaves so;
 * PostgreSQL then runs each statement under a savepoint). Imports turn it on to report every bad
 * row of a file before rolling it back. */
void db_tolerate_errors(db *d, bool on);

/* The key the last INSERT on this connection generated (PostgreSQL: lastval()). Cheaper than
 * RETURNING in SQLite, which builds a temporary table for every row. */
int64_t db_last_insert_id(db *d);
/* A consistent copy of the whole database while it is in use: SQLite's online backup into a
 * database file; PostgreSQL's pg_dump in its custom format. */
int db_backup(db *d, const char *path, pc_err *e);
/* Restores a backup into target, which must be a new database (a missing SQLite file, or an
 * empty PostgreSQL database): SQLite copies the file back, PostgreSQL runs pg_restore. */
int db_restore(const char *backup, const char *target, pc_err *e);

/* For a connection that makes one long read-only pass (a detail report): SQLite keeps a small
 * page cache instead of the 256 MB one that billing runs want (the pass reads each page once).
 * PostgreSQL: nothing to do. */
int db_streaming_reads(db *d, pc_err *e);

/* 0 when the database answers a trivial query (the server's health check). */
int db_ping(db *d, pc_err *e);
/* Rows changed by the last statement. */
int64_t db_changes(db *d);

/* Named locks held until the open transaction ends, for work that must not interleave across
 * processes (a hash chain's head, an e-invoice series being filled). PostgreSQL: a transaction
 * advisory lock; SQLite: nothing to do, BEGIN IMMEDIATE already holds the one writer lock. */
typedef enum { DB_LOCK_AUDIT_CHAIN = 1, DB_LOCK_INVOICE_ISSUE = 2 } db_lock_name;
int db_xact_lock(db *d, db_lock_name name, pc_err *e);

/* Bulk writing of many rows into one table inside the caller's transaction. PostgreSQL queues
 * the rows and streams them with COPY at db_bulk_flush (one round trip for the lot); SQLite
 * inserts each row when it ends, through one cached INSERT. Several bulks may be open at once;
 * flush them in the order the rows depend on each other. A failed flush (a duplicate key) fails
 * the whole batch: roll the transaction back. */
typedef struct db_bulk db_bulk;
/* columns: "a, b, c" (ncols of them). */
db_bulk *db_bulk_open(db *d, const char *table, const char *columns, int ncols, pc_err *e);
void db_bulk_int(db_bulk *b, int64_t v);
void db_bulk_text(db_bulk *b, const char *v); /* NULL writes SQL NULL */
/* SQLite: keep the rows until db_bulk_flush and insert them many a statement, as PostgreSQL
 * does (a failed row then fails the flush, not its db_bulk_row); faster where rows are many.
 * Nothing changes on PostgreSQL. Call right after db_bulk_open. */
void db_bulk_batch(db_bulk *b);
/* Ends the current row (every column must have been given). */
int db_bulk_row(db_bulk *b, pc_err *e);
int db_bulk_flush(db_bulk *b, pc_err *e);
/* Drops the rows not flushed yet (after a rollback). */
void db_bulk_discard(db_bulk *b);
void db_bulk_close(db_bulk *b);
/* Takes n new keys for table's identity column `id` (inside a transaction), for rows written
 * with their key given: PostgreSQL draws them from the column's sequence in one round trip;
 * SQLite, whose writer holds the database, counts on from the largest key. */
int db_reserve_ids(db *d, const char *table, int n, int64_t *ids, pc_err *e);

#endif
