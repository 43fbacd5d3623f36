/* SQL of the group database (see group.h). Identifiers come from a checked corporation code and
 * option values are quoted as SQL literals, since DDL takes no parameters. */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "store/group.h"

static void literal(buf *b, const char *v)
{
    buf_puts(b, "'");
    for (; *v; v++) {
        if (*v == '\'')
            buf_puts(b, "''");
        else
            buf_append(b, v, 1);
    }
    buf_puts(b, "'");
}

static int check_code(const char *code, char schema[24], pc_err *e)
{
    size_t n = strlen(code);
    if (n < 2 || n > 8)
        return pc_errf(e, PC_EINVAL, "corporation code '%s' must be 2-8 capital letters", code);
    for (size_t i = 0; i < n; i++)
        if (code[i] < 'A' || code[i] > 'Z')
            return pc_errf(e, PC_EINVAL, "corporation code '%s' must be 2-8 capital letters", code);
    snprintf(schema, 24, "corp_%s", code);
    for (char *p = schema; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return 0;
}

/* Rebuilds the group views over every attached corporation. */
static int rebuild_views(db *d, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT code FROM group_member ORDER BY code", e);
    if (!s)
        return -1;
    buf cust = {0}, bill = {0}, debt = {0};
    buf_puts(&cust, "DROP VIEW IF EXISTS group_unit_customers; DROP VIEW IF EXISTS group_unit_billing; "
                    "DROP VIEW IF EXISTS group_unit_debt; CREATE VIEW group_unit_customers AS ");
    buf_puts(&bill, "CREATE VIEW group_unit_billing AS ");
    buf_puts(&debt, "CREATE VIEW group_unit_debt AS ");
    int rc, n = 0;
    while ((rc = db_step(s, e)) == 1) {
        char schema[24];
        const char *code = db_col_text(s, 0);
        if (check_code(code, schema, e) != 0) {
            rc = -1;
            break;
        }
        buf_printf(&cust, "%sSELECT '%s'::text AS corporation, * FROM %s.unit_customers", n ? " UNION ALL " : "", code, schema);
        buf_printf(&bill, "%sSELECT '%s'::text AS corporation, * FROM %s.unit_billing", n ? " UNION ALL " : "", code, schema);
        buf_printf(&debt, "%sSELECT '%s'::text AS corporation, * FROM %s.unit_debt", n ? " UNION ALL " : "", code, schema);
        n++;
    }
    db_reset(s);
    if (rc == 0 && n > 0) {
        buf_puts(&cust, "; ");
        buf_append(&cust, bill.data, bill.len);
        buf_puts(&cust, "; ");
        buf_append(&cust, debt.data, debt.len);
        rc = db_exec(d, cust.data, e);
    }
    buf_free(&cust);
    buf_free(&bill);
    buf_free(&debt);
    return rc < 0 ? -1 : 0;
}

int group_attach(db *d, const char *code, const char *url, const char *actor, pc_err *e)
{
    if (db_engine_of(d) != DB_POSTGRES)
        return pc_errf(e, PC_EINVAL, "a group view needs a PostgreSQL group database (postgres_fdw)");
    char schema[24];
    if (check_code(code, schema, e) != 0)
        return -1;
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &err);
    if (!opts) {
        pc_errf(e, PC_EINVAL, "corporation database URL: %s", err ? err : "not understood");
        PQfreemem(err);
        return -1;
    }
    buf server = {0}, mapping = {0}, ddl = {0};
    buf_printf(&server, "CREATE SERVER %s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (", schema);
    buf_printf(&mapping, "CREATE USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (", schema);
    int ns = 0, nm = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !o->val[0])
            continue;
        bool user = strcmp(o->keyword, "user") == 0 || strcmp(o->keyword, "password") == 0;
        bool server_opt = strcmp(o->keyword, "host") == 0 || strcmp(o->keyword, "port") == 0 ||
                          strcmp(o->keyword, "dbname") == 0 || strcmp(o->keyword, "hostaddr") == 0;
        if (!user && !server_opt)
            continue;
        buf *b = user ? &mapping : &server;
        buf_printf(b, "%s%s ", (user ? nm++ : ns++) ? ", " : "", o->keyword);
        literal(b, o->val);
    }
    PQconninfoFree(opts);
    buf_puts(&server, ")");
    buf_puts(&mapping, ")");
    int rc = -1;
    if (!ns) {
        pc_errf(e, PC_EINVAL, "corporation database URL '%s' names no database", url);
        goto out;
    }
    buf_printf(&ddl, "CREATE EXTENSION IF NOT EXISTS postgres_fdw; %s; %s%s; CREATE SCHEMA %s; "
                     "IMPORT FOREIGN SCHEMA public LIMIT TO (unit_customers, unit_billing, unit_debt) FROM SERVER %s INTO %s",
               server.data, nm ? mapping.data : "CREATE USER MAPPING FOR CURRENT_USER SERVER ", nm ? "" : schema, schema,
               schema, schema);
    if (db_begin(d, e) != 0)
        goto out;
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *ins = db_prepare(d, "INSERT INTO group_member (code, url, attached_at, attached_by) VALUES (?, ?, ?, ?)", e);
    if (ins) {
        db_bind_text(ins, 1, code);
        db_bind_text(ins, 2, url);
        db_bind_text(ins, 3, timestamp_now(ts));
        db_bind_text(ins, 4, actor);
    }
    if (!ins || db_run(ins, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            pc_errf(e, PC_ECONFLICT, "corporation %s is already attached", code);
        db_rollback(d);
        goto out;
    }
    if (db_exec(d, ddl.data, e) != 0 || rebuild_views(d, e) != 0 || db_commit(d, e) != 0) {
        pc_err_prefix(e, "attaching %s", code);
        db_rollback(d);
        goto out;
    }
    rc = 0;
out:
    buf_free(&server);
    buf_free(&mapping);
    buf_free(&ddl);
    return rc;
}

int group_report(db *d, const char *period, group_row_fn fn, void *ctx, pc_err *e)
{
    if (db_engine_of(d) != DB_POSTGRES)
        return pc_errf(e, PC_EINVAL, "a group view needs a PostgreSQL group database (postgres_fdw)");
    db_stmt *m = db_prepare(d, "SELECT count(*) FROM group_member", e);
    if (!m || db_step(m, e) < 0)
        return -1;
    int64_t members = db_col_int(m, 0);
    db_reset(m);
    if (members == 0)
        return pc_errf(e, PC_ENOTFOUND, "no corporation is attached yet (powercis group attach CODE URL)");
    db_stmt *s = db_prepare(d,
        "SELECT c.corporation, c.customers, COALESCE(b.invoices, 0), COALESCE(b.kwh, 0), COALESCE(b.energy, 0), "
        "COALESCE(b.vat, 0), COALESCE(b.total, 0), COALESCE(g.total, 0), COALESCE(g.overdue, 0), COALESCE(g.bad, 0), "
        "COALESCE(g.ge_3y, 0) FROM "
        "(SELECT corporation, sum(customers) AS customers FROM group_unit_customers GROUP BY corporation) c "
        "LEFT JOIN (SELECT corporation, sum(invoices) AS invoices, sum(kwh) AS kwh, sum(energy) AS energy, "
        "sum(vat) AS vat, sum(total) AS total FROM group_unit_billing WHERE ? IS NULL OR period = ? "
        "GROUP BY corporation) b ON b.corporation = c.corporation "
        "LEFT JOIN (SELECT corporation, sum(total) AS total, sum(overdue) AS overdue, sum(bad) AS bad, "
        "sum(ge_3y) AS ge_3y FROM group_unit_debt GROUP BY corporation) g ON g.corporation = c.corporation "
        "ORDER BY c.corporation", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, period);
    db_bind_text(s, 2, period);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        group_row r;
        memset(&r, 0, sizeof r);
        snprintf(r.corporation, sizeof r.corporation, "%s", db_col_text(s, 0));
        r.customers = db_col_int(s, 1);
        r.invoices = db_col_int(s, 2);
        r.kwh = db_col_int(s, 3);
        r.energy = db_col_int(s, 4);
        r.vat = db_col_int(s, 5);
        r.total = db_col_int(s, 6);
        r.debt = db_col_int(s, 7);
        r.overdue = db_col_int(s, 8);
        r.bad_debt = db_col_int(s, 9);
        r.ge_3y = db_col_int(s, 10);
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
