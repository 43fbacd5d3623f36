/* The PostgreSQL engine behind db.h (libpq). SQL arrives with '?' placeholders and is rewritten
 * to $1, $2 …; a placeholder tested with IS [NOT] NULL is typed text, since PostgreSQL cannot
 * infer a type there. Parameters travel as text. Statements are prepared on first use and kept
 * per connection. When errors are tolerated (imports), every statement in a transaction runs
 * under its own savepoint, so that a failed one (a duplicate row) leaves the transaction usable,
 * as SQLite's statement rollback does. */
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/db_internal.h"

/* The protocol's limit on a statement's parameters (a multi-row INSERT or UPDATE … FROM (VALUES
 * …) of 64 rows takes over a thousand); each statement holds as many value slots as it has. */
#define MAX_PARAMS 65535
#define CONN(d) ((PGconn *)(d)->conn)

typedef struct {
    char name[16];
    char *sql; /* with $n placeholders */
    int nparams;
    bool prepared;
    char **values; /* nparams slots */
    PGresult *res;
    int row, nrows;
} pg_stmt;

typedef struct {
    int64_t changes;
    int next_name;
    bool lastval_prepared;
} pg_state;

typedef struct {
    PGconn *conn;
    pg_state st;
} pg_conn;

#define PGC(d) (((pg_conn *)(d)->conn)->conn)
#define PGS(d) (&((pg_conn *)(d)->conn)->st)

static int pg_error(const PGresult *res, PGconn *conn, pc_err *e, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    char clean[400];
    snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : "failed");
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
        clean[--n] = '\0';
    pc_errcode code = state && strncmp(state, "23", 2) == 0 ? PC_ECONFLICT : PC_EDB;
    return pc_errf(e, code, "%s: %s", what, clean);
}

static int pg_exec(db *d, const char *sql, pc_err *e)
{
    PGresult *res = PQexec(PGC(d), sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = 0;
    /* PGRES_EMPTY_QUERY: comments only (a migration for SQLite alone), nothing to do, as in SQLite */
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = pg_error(res, PGC(d), e, "database");
    PQclear(res);
    return rc;
}

static int pg_compile(db *d, db_stmt *s, pc_err *e)
{
    pg_stmt *p = calloc(1, sizeof *p);
    if (!p)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    buf out = {0};
    const char *q = s->sql;
    bool quoted = false;
    for (; *q; q++) {
        if (*q == '\'')
            quoted = !quoted;
        if (*q != '?' || quoted) {
            buf_append(&out, q, 1);
            continue;
        }
        if (p->nparams == MAX_PARAMS) {
            buf_free(&out);
            free(p);
            return pc_errf(e, PC_EINTERNAL, "more than %d parameters", MAX_PARAMS);
        }
        p->nparams++;
        bool null_test = strncmp(q + 1, " IS NULL", 8) == 0 || strncmp(q + 1, " IS NOT NULL", 12) == 0;
        buf_printf(&out, "$%d%s", p->nparams, null_test ? "::text" : "");
    }
    p->values = calloc(p->nparams ? (size_t)p->nparams : 1, sizeof *p->values);
    if (!p->values) {
        buf_free(&out);
        free(p);
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    }
    p->sql = out.data ? out.data : strdup("");
    snprintf(p->name, sizeof p->name, "pc%d", PGS(d)->next_name++);
    s->impl = p;
    return 0;
}

static void clear_values(pg_stmt *p)
{
    for (int i = 0; i < p->nparams; i++) {
        free(p->values[i]);
        p->values[i] = NULL;
    }
}

static void pg_finalize(db_stmt *s)
{
    pg_stmt *p = s->impl;
    clear_values(p);
    free(p->values);
    PQclear(p->res);
    free(p->sql);
    free(p);
}

static void set_value(db_stmt *s, int idx, char *v)
{
    pg_stmt *p = s->impl;
    if (idx < 1 || idx > p->nparams) {
        free(v);
        return;
    }
    free(p->values[idx - 1]);
    p->values[idx - 1] = v;
}

static void pg_bind_int(db_stmt *s, int idx, int64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)v);
    set_value(s, idx, strdup(text));
}

static void pg_bind_text(db_stmt *s, int idx, const char *v)
{
    set_value(s, idx, strdup(v));
}

static void pg_bind_null(db_stmt *s, int idx)
{
    set_value(s, idx, NULL);
}

static int pg_step(db_stmt *s, pc_err *e)
{
    pg_stmt *p = s->impl;
    db *d = s->owner;
    if (!p->res) {
        if (!p->prepared) {
            PGresult *r = PQprepare(PGC(d), p->name, p->sql, p->nparams, NULL);
            int bad = PQresultStatus(r) != PGRES_COMMAND_OK;
            if (bad)
                pg_error(r, PGC(d), e, "prepare");
            PQclear(r);
            if (bad)
                return -1;
            p->prepared = true;
        }
        bool guarded = d->tx_depth > 0 && d->tolerate_errors;
        if (guarded && pg_exec(d, "SAVEPOINT pc_stmt", e) != 0)
            return -1;
        p->res = PQexecPrepared(PGC(d), p->name, p->nparams, (const char *const *)p->values, NULL, NULL, 0);
        ExecStatusType st = PQresultStatus(p->res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            pg_error(p->res, PGC(d), e, "database");
            PQclear(p->res);
            p->res = NULL;
            if (guarded)
                pg_exec(d, "ROLLBACK TO SAVEPOINT pc_stmt; RELEASE SAVEPOINT pc_stmt", NULL);
            return -1;
        }
        if (guarded)
            pg_exec(d, "RELEASE SAVEPOINT pc_stmt", NULL);
        PGS(d)->changes = atoll(PQcmdTuples(p->res));
        p->row = -1;
        p->nrows = st == PGRES_TUPLES_OK ? PQntuples(p->res) : 0;
    }
    if (p->row + 1 < p->nrows) {
        p->row++;
        return 1;
    }
    return 0;
}

static int64_t pg_col_int(db_stmt *s, int col)
{
    pg_stmt *p = s->impl;
    if (!p->res || p->row < 0 || PQgetisnull(p->res, p->row, col))
        return 0;
    const char *v = PQgetvalue(p->res, p->row, col);
    if (v[0] == 't' && v[1] == '\0')
        return 1; /* a boolean */
    return atoll(v);
}

static const char *pg_col_text(db_stmt *s, int col)
{
    pg_stmt *p = s->impl;
    if (!p->res || p->row < 0 || PQgetisnull(p->res, p->row, col))
        return NULL;
    return PQgetvalue(p->res, p->row, col);
}

static bool pg_col_null(db_stmt *s, int col)
{
    pg_stmt *p = s->impl;
    return !p->res || p->row < 0 || PQgetisnull(p->res, p->row, col);
}

static void pg_reset(db_stmt *s)
{
    pg_stmt *p = s->impl;
    PQclear(p->res);
    p->res = NULL;
    clear_values(p);
}

static int64_t pg_last_insert_id(db *d)
{
    /* Prepared once per connection: a plain query would be parsed and planned every time. */
    if (!PGS(d)->lastval_prepared) {
        PGresult *p = PQprepare(PGC(d), "pc_lastval", "SELECT lastval()", 0, NULL);
        PGS(d)->lastval_prepared = PQresultStatus(p) == PGRES_COMMAND_OK;
        PQclear(p);
    }
    PGresult *r = PQexecPrepared(PGC(d), "pc_lastval", 0, NULL, NULL, NULL, 0);
    int64_t v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? atoll(PQgetvalue(r, 0, 0)) : 0;
    PQclear(r);
    return v;
}

static int64_t pg_changes(db *d)
{
    return PGS(d)->changes;
}

static void pg_close(db *d)
{
    PQfinish(PGC(d));
    free(d->conn);
}

/* Runs a PostgreSQL client program (pg_dump, pg_restore) and waits for it. */
static int run_tool(char *const argv[], pc_err *e)
{
    pid_t pid;
    extern char **environ;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0)
        return pc_errf(e, PC_EIO, "cannot run %s: %s", argv[0], strerror(rc));
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return pc_errf(e, PC_EIO, "%s failed (exit %d)", argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}

static int pg_backup(db *d, const char *path, pc_err *e)
{
    if (access(path, F_OK) == 0)
        return pc_errf(e, PC_ECONFLICT, "backup: '%s' already exists", path);
    /* pg_dump connects with the same parameters as this connection. */
    char conninfo[2048];
    snprintf(conninfo, sizeof conninfo, "dbname=%s%s%s%s%s%s%s", PQdb(PGC(d)), PQhost(PGC(d)) ? " host=" : "",
             PQhost(PGC(d)) ? PQhost(PGC(d)) : "", PQport(PGC(d)) ? " port=" : "", PQport(PGC(d)) ? PQport(PGC(d)) : "",
             PQuser(PGC(d)) ? " user=" : "", PQuser(PGC(d)) ? PQuser(PGC(d)) : "");
    char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--file", (char *)path, "--dbname", conninfo, NULL};
    if (run_tool(argv, e) != 0) {
        unlink(path);
        return pc_err_prefix(e, "backup");
    }
    return 0;
}

int postgres_restore(const char *backup, const char *url, pc_err *e)
{
    if (access(backup, R_OK) != 0)
        return pc_errf(e, PC_EIO, "restore: cannot read '%s'", backup);
    char *argv[] = {"pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", (char *)url,
                    (char *)backup, NULL};
    return run_tool(argv, e) == 0 ? 0 : pc_err_prefix(e, "restore (the target must be an empty database)");
}

static int pg_copy_in(db *d, const char *table, const char *columns, const char *data, size_t len, pc_err *e)
{
    char sql[512];
    snprintf(sql, sizeof sql, "COPY %s (%s) FROM STDIN", table, columns);
    PGresult *r = PQexec(PGC(d), sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        int rc = pg_error(r, PGC(d), e, table);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    int ok = 1;
    /* libpq sends in pieces as large as it is given; 1 MB keeps its buffer small. */
    for (size_t off = 0; ok && off < len; off += 1 << 20) {
        size_t n = len - off < (1u << 20) ? len - off : (1u << 20);
        ok = PQputCopyData(PGC(d), data + off, (int)n) == 1;
    }
    ok = PQputCopyEnd(PGC(d), ok ? NULL : "client failed") == 1 && ok;
    int rc = 0;
    while ((r = PQgetResult(PGC(d))) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0)
            rc = pg_error(r, PGC(d), e, table);
        else if (rc == 0)
            PGS(d)->changes = atoll(PQcmdTuples(r));
        PQclear(r);
    }
    if (!ok && rc == 0)
        rc = pc_errf(e, PC_EDB, "%s: COPY failed: %s", table, PQerrorMessage(PGC(d)));
    return rc;
}

static const db_ops postgres_ops = {
    pg_exec,     pg_compile,  pg_finalize, pg_bind_int,       pg_bind_text, pg_bind_null, pg_step, pg_col_int,
    pg_col_text, pg_col_null, pg_reset,    pg_last_insert_id, pg_changes,   pg_close,     pg_backup, "BEGIN",
    pg_copy_in,  NULL};

int postgres_connect(db *d, const char *url, pc_err *e)
{
    pg_conn *c = calloc(1, sizeof *c);
    if (!c)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    c->conn = PQconnectdb(url);
    if (PQstatus(c->conn) != CONNECTION_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(c->conn));
        msg[strcspn(msg, "\n")] = '\0';
        PQfinish(c->conn);
        free(c);
        return pc_errf(e, PC_EDB, "cannot connect to PostgreSQL: %s", msg);
    }
    d->ops = &postgres_ops;
    d->engine = DB_POSTGRES;
    d->conn = c;
    if (pg_exec(d, "SET client_min_messages = warning", e) != 0) {
        pg_close(d);
        d->conn = NULL;
        return -1;
    }
    return 0;
}
