/* Service grids, their managers and customers, and the worklist's queries (store/grids.h,
 * schema/030_grids.sql). A row "in force on a date" is the latest one of its key with
 * valid_from on or before the date, ties broken by id: the history is never edited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/grids.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

static int grid_read(db_stmt *s, grid_row *g)
{
    memset(g, 0, sizeof *g);
    g->id = db_col_int(s, 0);
    COPY(g->code, db_col_text(s, 1));
    COPY(g->name, db_col_text(s, 2));
    g->unit_id = db_col_int(s, 3);
    COPY(g->unit_code, db_col_text(s, 4));
    COPY(g->unit_path, db_col_text(s, 5));
    return 0;
}

int grid_get(db *d, const char *code, grid_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT g.id, g.code, g.name, g.unit_id, n.code, n.path FROM grid g "
                               "JOIN org_node n ON n.id = g.unit_id WHERE g.code = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    int rc = db_step(s, e);
    if (rc == 1)
        grid_read(s, out);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "grid '%s' not found", code);
    return rc < 0 ? -1 : 0;
}

int grid_insert(db *d, grid_row *g, const char *at, const char *by, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO grid (code, name, unit_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, g->code);
    db_bind_text(s, 2, g->name);
    db_bind_int(s, 3, g->unit_id);
    db_bind_text(s, 4, at);
    db_bind_text(s, 5, by);
    if (db_run(s, e) != 0)
        return -1;
    g->id = db_last_insert_id(d);
    return 0;
}

int grid_manager_add(db *d, int64_t grid_id, int64_t user_id, const char *valid_from, bool active, const char *at,
                     const char *by, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO grid_manager (grid_id, user_id, valid_from, active, created_at, "
                               "created_by) VALUES (?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, grid_id);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, valid_from);
    db_bind_int(s, 4, active ? 1 : 0);
    db_bind_text(s, 5, at);
    db_bind_text(s, 6, by);
    return db_run(s, e);
}

int grid_manager_on(db *d, int64_t grid_id, int64_t user_id, const char *date, bool *active, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT active FROM grid_manager WHERE grid_id = ? AND user_id = ? AND valid_from <= ? "
                               "ORDER BY valid_from DESC, id DESC LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, grid_id);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, date);
    int rc = db_step(s, e);
    *active = rc == 1 && db_col_int(s, 0) == 1;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int grid_customer_lookup(db *d, const char *code, int64_t *id, char *unit_path, size_t cap, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.id, n.path FROM customer c JOIN org_node n ON n.id = c.unit_id "
                               "WHERE c.code = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    int rc = db_step(s, e);
    if (rc == 1) {
        *id = db_col_int(s, 0);
        snprintf(unit_path, cap, "%s", db_col_text(s, 1));
    }
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "customer '%s' not found", code);
    return rc < 0 ? -1 : 0;
}

int grid_customer_on(db *d, int64_t customer_id, const char *date, int64_t *grid_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT grid_id FROM grid_customer WHERE customer_id = ? AND valid_from <= ? "
                               "ORDER BY valid_from DESC, id DESC LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, date);
    int rc = db_step(s, e);
    *grid_id = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int grid_customer_add(db *d, int64_t customer_id, int64_t grid_id, const char *valid_from, const char *source,
                      const char *at, const char *by, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO grid_customer (customer_id, grid_id, valid_from, source, created_at, "
                               "created_by) VALUES (?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    if (grid_id > 0)
        db_bind_int(s, 2, grid_id);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, valid_from);
    db_bind_text(s, 4, source);
    db_bind_text(s, 5, at);
    db_bind_text(s, 6, by);
    return db_run(s, e);
}

int grid_customer_max_id(db *d, int64_t *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(max(id), 0) FROM grid_customer", e);
    if (!s)
        return -1;
    int rc = db_step(s, e);
    *out = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int grid_customer_clash(db *d, int64_t customer_id, int64_t after_id, const char *valid_from, int64_t grid_id,
                        char *other_grid, size_t cap, bool *clash, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(g.code, '') FROM grid_customer gc "
                               "LEFT JOIN grid g ON g.id = gc.grid_id "
                               "WHERE gc.customer_id = ? AND gc.id > ? AND gc.valid_from = ? "
                               "AND (gc.grid_id IS NULL OR gc.grid_id <> ?) LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_int(s, 2, after_id);
    db_bind_text(s, 3, valid_from);
    db_bind_int(s, 4, grid_id);
    int rc = db_step(s, e);
    *clash = rc == 1;
    if (rc == 1)
        snprintf(other_grid, cap, "%s", db_col_text(s, 0));
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int grid_route_customers(db *d, const char *unit_path, const char *route, grid_customer_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.id, c.code FROM customer c JOIN org_node n ON n.id = c.unit_id "
                               "WHERE c.route = ? AND substr(n.path, 1, length(CAST(? AS TEXT))) = ? "
                               "ORDER BY c.code", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, route);
    db_bind_text(s, 2, unit_path);
    db_bind_text(s, 3, unit_path);
    int rc;
    while ((rc = db_step(s, e)) == 1)
        if (fn(ctx, db_col_int(s, 0), db_col_text(s, 1)) != 0) {
            db_reset(s);
            return -1;
        }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* The grids a manager (or anyone, user 0) holds on a date, and each grid's customers on it:
 * the two "in force" tests every list and worklist query starts from. Binds: user, user, date,
 * date, scope, scope, date, date. */
#define MANAGED_GRIDS                                                                                               \
    "SELECT DISTINCT gm.grid_id FROM grid_manager gm WHERE (? = 0 OR gm.user_id = ?) AND gm.active = 1 "            \
    "AND gm.valid_from <= ? AND NOT EXISTS (SELECT 1 FROM grid_manager x WHERE x.grid_id = gm.grid_id "              \
    "AND x.user_id = gm.user_id AND x.valid_from <= ? "                                                              \
    "AND (x.valid_from > gm.valid_from OR (x.valid_from = gm.valid_from AND x.id > gm.id)))"
#define CUSTOMER_IN_FORCE(alias)                                                                                    \
    "NOT EXISTS (SELECT 1 FROM grid_customer y WHERE y.customer_id = " alias ".customer_id AND y.valid_from <= ? "  \
    "AND (y.valid_from > " alias ".valid_from OR (y.valid_from = " alias ".valid_from AND y.id > " alias ".id)))"
#define MY_CUSTOMERS                                                                                                \
    "WITH mg AS (" MANAGED_GRIDS "), "                                                                              \
    "mc AS (SELECT gc.customer_id, g.code AS grid FROM grid_customer gc JOIN mg ON mg.grid_id = gc.grid_id "        \
    "JOIN grid g ON g.id = gc.grid_id JOIN org_node gn ON gn.id = g.unit_id "                                      \
    "WHERE substr(gn.path, 1, length(CAST(? AS TEXT))) = ? AND gc.valid_from <= ? AND " CUSTOMER_IN_FORCE("gc") ") "

static int bind_customers(db_stmt *s, int64_t user_id, const char *date, const char *scope_path)
{
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, date);
    db_bind_text(s, 4, date);
    db_bind_text(s, 5, scope_path);
    db_bind_text(s, 6, scope_path);
    db_bind_text(s, 7, date);
    db_bind_text(s, 8, date);
    return 9; /* the next parameter */
}

int grid_list(db *d, const char *scope_path, const char *date, int64_t only_user_id, grid_summary_fn fn, void *ctx,
              pc_err *e)
{
    /* counts of customers per grid on date, then each grid of the scope (with only_user_id, only
     * those it manages) with its managers on date */
    db_stmt *s = db_prepare(d,
        "WITH cnt AS (SELECT gc.grid_id, count(*) AS n FROM grid_customer gc WHERE gc.grid_id IS NOT NULL "
        "AND gc.valid_from <= ? AND " CUSTOMER_IN_FORCE("gc") " GROUP BY gc.grid_id) "
        "SELECT g.id, g.code, g.name, g.unit_id, n.code, n.path, n.name, COALESCE(cnt.n, 0) FROM grid g "
        "JOIN org_node n ON n.id = g.unit_id LEFT JOIN cnt ON cnt.grid_id = g.id "
        "WHERE substr(n.path, 1, length(CAST(? AS TEXT))) = ? "
        "AND (? = 0 OR g.id IN (" MANAGED_GRIDS ")) ORDER BY g.code", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, date);
    db_bind_text(s, 2, date);
    db_bind_text(s, 3, scope_path);
    db_bind_text(s, 4, scope_path);
    db_bind_int(s, 5, only_user_id);
    db_bind_int(s, 6, only_user_id);
    db_bind_int(s, 7, only_user_id);
    db_bind_text(s, 8, date);
    db_bind_text(s, 9, date);
    /* the rows are read first: the managers' query below reuses the connection */
    grid_summary *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            grid_summary *t = realloc(rows, cap * sizeof *rows);
            if (!t) {
                db_reset(s);
                free(rows);
                return pc_errf(e, PC_EINTERNAL, "grid list: out of memory");
            }
            rows = t;
        }
        grid_summary *r = &rows[n++];
        memset(r, 0, sizeof *r);
        grid_read(s, &r->g);
        COPY(r->unit_name, db_col_text(s, 6));
        r->customers = db_col_int(s, 7);
    }
    db_reset(s);
    if (rc < 0) {
        free(rows);
        return -1;
    }
    db_stmt *m = db_prepare(d, "SELECT u.login FROM grid_manager gm JOIN app_user u ON u.id = gm.user_id "
                               "WHERE gm.grid_id = ? AND gm.active = 1 AND gm.valid_from <= ? AND NOT EXISTS "
                               "(SELECT 1 FROM grid_manager x WHERE x.grid_id = gm.grid_id AND x.user_id = gm.user_id "
                               "AND x.valid_from <= ? AND (x.valid_from > gm.valid_from "
                               "OR (x.valid_from = gm.valid_from AND x.id > gm.id))) ORDER BY u.login", e);
    if (!m) {
        free(rows);
        return -1;
    }
    int out = 0;
    for (size_t i = 0; i < n && out == 0; i++) {
        grid_summary *r = &rows[i];
        db_bind_int(m, 1, r->g.id);
        db_bind_text(m, 2, date);
        db_bind_text(m, 3, date);
        size_t used = 0;
        while ((rc = db_step(m, e)) == 1) {
            const char *login = db_col_text(m, 0);
            int w = snprintf(r->managers + used, sizeof r->managers - used, "%s%s", used ? ", " : "", login);
            if (w > 0 && (size_t)w < sizeof r->managers - used)
                used += (size_t)w;
        }
        db_reset(m);
        if (rc < 0)
            out = -1;
        else if (fn(ctx, r) != 0)
            out = -1;
    }
    free(rows);
    return out;
}

int grid_manager_history(db *d, int64_t grid_id, grid_event_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT gm.valid_from, gm.active, u.login, gm.created_at, gm.created_by "
                               "FROM grid_manager gm JOIN app_user u ON u.id = gm.user_id WHERE gm.grid_id = ? "
                               "ORDER BY gm.valid_from, gm.id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, grid_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        grid_event v;
        memset(&v, 0, sizeof v);
        COPY(v.valid_from, db_col_text(s, 0));
        COPY(v.kind, db_col_int(s, 1) ? "manager" : "manager_end");
        COPY(v.who, db_col_text(s, 2));
        COPY(v.at, db_col_text(s, 3));
        COPY(v.by, db_col_text(s, 4));
        if (fn(ctx, &v) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int grid_customer_history(db *d, int64_t customer_id, grid_assignment_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT gc.valid_from, g.code, gc.source, gc.created_at, gc.created_by "
                               "FROM grid_customer gc LEFT JOIN grid g ON g.id = gc.grid_id WHERE gc.customer_id = ? "
                               "ORDER BY gc.valid_from, gc.id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        grid_assignment a;
        memset(&a, 0, sizeof a);
        COPY(a.valid_from, db_col_text(s, 0));
        COPY(a.grid_code, db_col_text(s, 1));
        COPY(a.source, db_col_text(s, 2));
        COPY(a.at, db_col_text(s, 3));
        COPY(a.by, db_col_text(s, 4));
        if (fn(ctx, &a) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- worklist sections: each is MY_CUSTOMERS joined to its own table, one row per item with
 * the columns grid, customer, name, address, phone, route, amount, count, date, detail, ref ---- */

#define ITEM_COLUMNS "mc.grid, c.code, c.name, c.address, c.phone, c.route"

static int run_items(db_stmt *s, worklist_item_fn fn, void *ctx, pc_err *e)
{
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        worklist_item it = {
            .grid = db_col_text(s, 0), .customer = db_col_text(s, 1), .name = db_col_text(s, 2),
            .address = db_col_text(s, 3), .phone = db_col_text(s, 4), .route = db_col_text(s, 5),
            .amount = db_col_int(s, 6), .count = db_col_int(s, 7), .date = db_col_text(s, 8),
            .detail = db_col_text(s, 9), .ref = db_col_int(s, 10)};
        if (fn(ctx, &it) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int worklist_overdue_debt(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, MY_CUSTOMERS
        "SELECT " ITEM_COLUMNS ", sum(o.open), count(*), min(o.due_date), '', 0 "
        "FROM mc JOIN open_item o ON o.customer_id = mc.customer_id JOIN customer c ON c.id = mc.customer_id "
        "WHERE o.due_date < ? GROUP BY mc.grid, c.code, c.name, c.address, c.phone, c.route "
        "ORDER BY sum(o.open) DESC, c.code", e);
    if (!s)
        return -1;
    int i = bind_customers(s, q->user_id, q->date, q->scope_path);
    db_bind_text(s, i, q->date);
    return run_items(s, fn, ctx, e);
}

int worklist_due_soon(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, MY_CUSTOMERS
        "SELECT " ITEM_COLUMNS ", sum(o.open), count(*), min(o.due_date), '', 0 "
        "FROM mc JOIN open_item o ON o.customer_id = mc.customer_id JOIN customer c ON c.id = mc.customer_id "
        "WHERE o.due_date >= ? AND o.due_date <= ? AND o.issue_date <= ? "
        "GROUP BY mc.grid, c.code, c.name, c.address, c.phone, c.route ORDER BY min(o.due_date), c.code", e);
    if (!s)
        return -1;
    int i = bind_customers(s, q->user_id, q->date, q->scope_path);
    db_bind_text(s, i, q->date);
    db_bind_text(s, i + 1, q->until);
    db_bind_text(s, i + 2, q->date);
    return run_items(s, fn, ctx, e);
}

int worklist_work_orders(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e)
{
    /* open on date: written by then, and not done or cancelled by then */
    db_stmt *s = db_prepare(d, MY_CUSTOMERS
        "SELECT " ITEM_COLUMNS ", w.fee, 1, w.created_date, w.kind, w.id "
        "FROM mc JOIN work_order w ON w.customer_id = mc.customer_id JOIN customer c ON c.id = mc.customer_id "
        "WHERE w.created_date <= ? AND NOT EXISTS (SELECT 1 FROM work_order_state t WHERE t.order_id = w.id "
        "AND t.state <> 'open' AND t.state_date <= ?) ORDER BY w.created_date, w.id", e);
    if (!s)
        return -1;
    int i = bind_customers(s, q->user_id, q->date, q->scope_path);
    db_bind_text(s, i, q->date);
    db_bind_text(s, i + 1, q->date);
    return run_items(s, fn, ctx, e);
}

int worklist_debt_cases(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, MY_CUSTOMERS
        "SELECT " ITEM_COLUMNS ", COALESCE((SELECT sum(o.open) FROM open_item o WHERE o.customer_id = c.id), 0), "
        "0, COALESCE(k.next_action, ''), k.status, k.id "
        "FROM mc JOIN debt_case k ON k.customer_id = mc.customer_id JOIN customer c ON c.id = mc.customer_id "
        "WHERE k.status NOT IN ('collected', 'written_off') "
        "ORDER BY CASE WHEN k.next_action IS NULL OR k.next_action = '' THEN 1 ELSE 0 END, k.next_action, c.code", e);
    if (!s)
        return -1;
    bind_customers(s, q->user_id, q->date, q->scope_path);
    return run_items(s, fn, ctx, e);
}

int worklist_service_requests(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e)
{
    /* detail: the request's code, type and step, and why it waits when it does (docs/service.md) */
    db_stmt *s = db_prepare(d, MY_CUSTOMERS
        "SELECT " ITEM_COLUMNS ", 0, 1, r.step_due_on, "
        "r.code || ' ' || r.type || ': ' || r.step || COALESCE(' (' || r.waiting_reason || ')', ''), r.id "
        "FROM mc JOIN service_request r ON r.customer_id = mc.customer_id JOIN customer c ON c.id = mc.customer_id "
        "WHERE r.status IN ('open', 'waiting') AND r.received_on <= ? "
        "ORDER BY r.step_due_on, r.code", e);
    if (!s)
        return -1;
    int i = bind_customers(s, q->user_id, q->date, q->scope_path);
    db_bind_text(s, i, q->date);
    return run_items(s, fn, ctx, e);
}

int worklist_high_risk(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e)
{
    /* the latest run of the latest month classified by D (risk_run.as_of is the month's last day;
     * a month run again: its latest run counts, as in docs/risk.md) */
    db_stmt *s = db_prepare(d, MY_CUSTOMERS
        ", lr AS (SELECT max(id) AS id FROM risk_run WHERE month = "
        "(SELECT max(month) FROM risk_run WHERE as_of <= ?)) "
        "SELECT " ITEM_COLUMNS ", r.debt, r.score, rr.as_of, r.action || ': ' || r.reasons, r.run_id "
        "FROM mc JOIN risk_result r ON r.customer_id = mc.customer_id JOIN lr ON r.run_id = lr.id "
        "JOIN risk_run rr ON rr.id = r.run_id JOIN customer c ON c.id = mc.customer_id "
        "WHERE r.class = 'high' ORDER BY r.score DESC, c.code", e);
    if (!s)
        return -1;
    int i = bind_customers(s, q->user_id, q->date, q->scope_path);
    db_bind_text(s, i, q->date);
    return run_items(s, fn, ctx, e);
}

int worklist_prepaid_low(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e)
{
    /* the balance now, as the other sections' amounts (prepaid_account caches the ledger's sum) */
    db_stmt *s = db_prepare(d, MY_CUSTOMERS
        "SELECT " ITEM_COLUMNS ", a.balance, 0, a.below_zero_since, "
        "CASE WHEN a.balance < 0 THEN 'below_zero' ELSE 'low' END, 0 "
        "FROM mc JOIN prepaid_account a ON a.customer_id = mc.customer_id JOIN customer c ON c.id = mc.customer_id "
        "WHERE a.active = 1 AND a.balance < ? ORDER BY a.balance, c.code", e);
    if (!s)
        return -1;
    int i = bind_customers(s, q->user_id, q->date, q->scope_path);
    db_bind_int(s, i, q->low_balance);
    return run_items(s, fn, ctx, e);
}
