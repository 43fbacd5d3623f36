/* What both engines share (see db_internal.h): opening by target, the statement cache keyed by
 * SQL text, nested transactions as savepoints, and the calls that forward to the engine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
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
    d->target = strdup(target);
    if (!d->target || migrate_apply(d, e) != 0) {
        if (!d->target)
            pc_errf(e, PC_EINTERNAL, "out of memory");
        db_close(d);
        return -1;
    }
    *out = d;
    return 0;
}

int db_open_reader(db *d, db **out, pc_err *e)
{
    *out = NULL;
    const char *t = d->target;
    if (!t || (d->engine == DB_SQLITE && (!*t || strcmp(t, ":memory:") == 0 || strstr(t, "mode=memory"))))
        return pc_errf(e, PC_EINVAL, "an in-memory database has no second connection");
    db *r = calloc(1, sizeof *r);
    if (!r)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    int rc = d->engine == DB_POSTGRES ? postgres_connect(r, t, e) : sqlite_connect(r, t, e);
    if (rc != 0) {
        free(r);
        return -1;
    }
    r->target = strdup(t);
    *out = r;
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
    free(d->target);
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
    if (d->tx_depth == 0)
        memset(d->reserved, 0, sizeof d->reserved);
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
    if (d->tx_depth == 0)
        memset(d->reserved, 0, sizeof d->reserved);
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

int db_streaming_reads(db *d, pc_err *e)
{
    return db_engine_of(d) == DB_SQLITE ? db_exec(d, "PRAGMA cache_size=-16384", e) : 0;
}

int64_t db_changes(db *d)
{
    return d->ops->changes(d);
}

int db_ping(db *d, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT 1", e);
    if (!s)
        return -1;
    int rc = db_step(s, e);
    db_reset(s);
    return rc == 1 ? 0 : -1;
}

/* ---- bulk writing ---- */

/* A value kept for a batched SQLite bulk: NULL, an integer, or text at an offset of texts. */
typedef struct {
    uint32_t kind; /* 0 NULL, 1 integer, 2 text */
    uint32_t len;  /* text: its length */
    union {
        int64_t i;  /* integer */
        size_t off; /* text: where it starts in the bulk's texts */
    } u;
} bulk_value;

struct db_bulk {
    db *d;
    char table[64];
    char columns[512];
    int ncols, col;
    db_stmt *ins; /* SQLite: the INSERT, bound column by column */
    buf rows;     /* PostgreSQL: rows in COPY text format; SQLite batched: the texts of the values */
    /* SQLite batched (db_bulk_batch): the values kept until db_bulk_flush */
    bool batched;
    bulk_value *vals;
    size_t nvals, cap;
    char *full_sql; /* the INSERT of BULK_ROWS rows, built once */
};

static bool plain_identifier(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

db_bulk *db_bulk_open(db *d, const char *table, const char *columns, int ncols, pc_err *e)
{
    if (!plain_identifier(table) || strlen(table) >= 64 || strlen(columns) >= 512 || ncols < 1) {
        pc_errf(e, PC_EINTERNAL, "bulk write: bad table or columns");
        return NULL;
    }
    db_bulk *b = calloc(1, sizeof *b);
    if (!b) {
        pc_errf(e, PC_EINTERNAL, "out of memory");
        return NULL;
    }
    b->d = d;
    b->ncols = ncols;
    snprintf(b->table, sizeof b->table, "%s", table);
    snprintf(b->columns, sizeof b->columns, "%s", columns);
    if (!d->ops->copy_in) {
        buf sql = {0};
        buf_printf(&sql, "INSERT INTO %s (%s) VALUES (", table, columns);
        for (int i = 0; i < ncols; i++)
            buf_puts(&sql, i ? ", ?" : "?");
        buf_puts(&sql, ")");
        b->ins = db_prepare(d, sql.data, e);
        buf_free(&sql);
        if (!b->ins) {
            free(b);
            return NULL;
        }
    }
    return b;
}

/* COPY's text format: tab between columns, \N for NULL, backslash escapes. */
static void copy_field(db_bulk *b, const char *v)
{
    if (b->col > 0)
        buf_append(&b->rows, "\t", 1);
    if (!v) {
        buf_append(&b->rows, "\\N", 2);
        return;
    }
    for (const char *p = v; *p; p++) {
        switch (*p) {
        case '\\': buf_append(&b->rows, "\\\\", 2); break;
        case '\t': buf_append(&b->rows, "\\t", 2); break;
        case '\n': buf_append(&b->rows, "\\n", 2); break;
        case '\r': buf_append(&b->rows, "\\r", 2); break;
        default: buf_append(&b->rows, p, 1);
        }
    }
}

void db_bulk_batch(db_bulk *b)
{
    if (b->ins && b->d->ops->bind_text_static)
        b->batched = true;
}

static void keep_value(db_bulk *b, int kind, int64_t i, const char *text)
{
    if (b->nvals == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 1024;
        b->vals = realloc(b->vals, b->cap * sizeof *b->vals);
        if (!b->vals)
            abort();
    }
    bulk_value *v = &b->vals[b->nvals++];
    v->kind = (uint32_t)kind;
    v->len = 0;
    if (kind == 2) {
        size_t n = strlen(text);
        v->len = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
        v->u.off = b->rows.len;
        buf_append(&b->rows, text, v->len);
    } else {
        v->u.i = i;
    }
    b->col++;
}

void db_bulk_int(db_bulk *b, int64_t v)
{
    if (b->batched) {
        keep_value(b, 1, v, NULL);
        return;
    }
    if (b->ins) {
        db_bind_int(b->ins, ++b->col, v);
        return;
    }
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)v);
    copy_field(b, text);
    b->col++;
}

void db_bulk_text(db_bulk *b, const char *v)
{
    if (b->batched) {
        keep_value(b, v ? 2 : 0, 0, v);
        return;
    }
    if (b->ins) {
        db_bind_text(b->ins, ++b->col, v);
        return;
    }
    copy_field(b, v);
    b->col++;
}

int db_bulk_row(db_bulk *b, pc_err *e)
{
    int given = b->col;
    b->col = 0;
    if (given != b->ncols) {
        if (b->batched)
            b->nvals -= (size_t)given; /* the row's texts stay in the arena until the next flush */
        else if (b->ins)
            db_reset(b->ins);
        return pc_errf(e, PC_EINTERNAL, "bulk write into %s: %d columns given for %d", b->table, given, b->ncols);
    }
    if (b->batched)
        return 0;
    if (b->ins)
        return db_run(b->ins, e) == 0 ? 0 : pc_err_prefix(e, "%s", b->table);
    buf_append(&b->rows, "\n", 1);
    return 0;
}

/* Up to BULK_ROWS rows a statement: SQLite builds a temporary b-tree for each CHECK (x IN (...))
 * list once per statement run, and a statement run has a fixed cost of its own; many rows a
 * run share both. The row counts used are powers of two (a handful of cached statements). */
#define BULK_ROWS 64

static char *insert_sql(const db_bulk *b, size_t k)
{
    buf sql = {0};
    buf_printf(&sql, "INSERT INTO %s (%s) VALUES ", b->table, b->columns);
    for (size_t r = 0; r < k; r++) {
        buf_puts(&sql, r ? ", (" : "(");
        for (int c = 0; c < b->ncols; c++)
            buf_puts(&sql, c ? ", ?" : "?");
        buf_puts(&sql, ")");
    }
    return sql.data;
}

static int flush_batched(db_bulk *b, pc_err *e)
{
    size_t nrows = b->nvals / (size_t)b->ncols, done = 0;
    size_t most = BULK_ROWS;
    while ((size_t)b->ncols * most > 30000) /* under SQLite's limit of bound values */
        most /= 2;
    int rc = 0;
    while (done < nrows && rc == 0) {
        size_t k = most;
        while (k > nrows - done)
            k /= 2;
        db_stmt *s;
        if (k == most) {
            if (!b->full_sql)
                b->full_sql = insert_sql(b, k);
            s = db_prepare(b->d, b->full_sql, e);
        } else {
            char *sql = insert_sql(b, k);
            s = db_prepare(b->d, sql, e);
            free(sql);
        }
        if (!s) {
            rc = -1;
            break;
        }
        /* the texts stay in b->rows until every statement of this flush has run */
        const bulk_value *v = b->vals + done * (size_t)b->ncols;
        for (int i = 0; i < (int)k * b->ncols; i++) {
            if (v[i].kind == 1)
                b->d->ops->bind_int(s, i + 1, v[i].u.i);
            else if (v[i].kind == 2)
                b->d->ops->bind_text_static(s, i + 1, b->rows.len ? b->rows.data + v[i].u.off : "", v[i].len);
            else
                b->d->ops->bind_null(s, i + 1);
        }
        rc = db_run(s, e) == 0 ? 0 : pc_err_prefix(e, "%s", b->table);
        done += k;
    }
    b->nvals = 0;
    b->rows.len = 0;
    return rc;
}

int db_bulk_flush(db_bulk *b, pc_err *e)
{
    if (b->batched)
        return b->nvals ? flush_batched(b, e) : 0;
    if (b->ins || b->rows.len == 0)
        return 0;
    int rc = b->d->ops->copy_in(b->d, b->table, b->columns, b->rows.data, b->rows.len, e);
    b->rows.len = 0;
    return rc;
}

void db_bulk_discard(db_bulk *b)
{
    b->rows.len = 0;
    b->nvals = 0;
    b->col = 0;
}

void db_bulk_close(db_bulk *b)
{
    if (!b)
        return;
    buf_free(&b->rows);
    free(b->vals);
    free(b->full_sql);
    free(b);
}

int db_reserve_ids(db *d, const char *table, int n, int64_t *ids, pc_err *e)
{
    if (n <= 0)
        return 0;
    if (d->tx_depth == 0 || !plain_identifier(table) || strlen(table) >= 32)
        return pc_errf(e, PC_EINTERNAL, "reserve keys of %s: needs a transaction and a plain table name", table);
    if (d->engine == DB_POSTGRES) {
        db_stmt *s = db_prepare(d, "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, CAST(? AS INTEGER))", e);
        if (!s)
            return -1;
        db_bind_text(s, 1, table);
        db_bind_int(s, 2, n);
        int got = 0, rc;
        while ((rc = db_step(s, e)) == 1 && got < n)
            ids[got++] = db_col_int(s, 0);
        db_reset(s);
        if (rc < 0)
            return -1;
        return got == n ? 0 : pc_errf(e, PC_EDB, "reserve keys of %s: got %d of %d", table, got, n);
    }
    /* SQLite: the writer holds the database for the whole transaction, so the keys after the
     * largest one, and after those reserved earlier in this transaction, are free. */
    int slot = -1;
    for (int i = 0; i < 8 && slot < 0; i++)
        if (strcmp(d->reserved[i].table, table) == 0 || !d->reserved[i].table[0])
            slot = i;
    if (slot < 0)
        return pc_errf(e, PC_EINTERNAL, "reserve keys: too many tables in one transaction");
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) FROM %s", table);
    db_stmt *s = db_prepare(d, sql, e);
    if (!s)
        return -1;
    int rc = db_step(s, e);
    int64_t last = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    if (rc < 0)
        return -1;
    if (strcmp(d->reserved[slot].table, table) == 0 && d->reserved[slot].last > last)
        last = d->reserved[slot].last;
    for (int i = 0; i < n; i++)
        ids[i] = last + 1 + i;
    snprintf(d->reserved[slot].table, sizeof d->reserved[slot].table, "%s", table);
    d->reserved[slot].last = last + n;
    return 0;
}

int db_xact_lock(db *d, db_lock_name name, pc_err *e)
{
    if (d->engine != DB_POSTGRES)
        return 0;
    if (d->tx_depth == 0)
        return pc_errf(e, PC_EINTERNAL, "a transaction lock needs a transaction");
    /* Keys 0x7063xxxx: "pc" and the lock's number, clear of other applications' keys. */
    db_stmt *s = db_prepare(d, "SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, 0x70630000 + (int64_t)name);
    return db_run(s, e);
}
