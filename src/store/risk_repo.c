/* Risk runs, results and flags (see risk.h): each factor is one pass over its table (a GROUP BY
 * or a walk of the rows), merged into the customers' array by id, so a run over a million
 * customers reads each table once. The passes write disjoint fields, so two connections run them
 * side by side (see risk_gather). */
#include "store/risk.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

const char *const risk_purpose_names[6] = {"", "residential", "production", "business", "administrative_public",
                                           "administrative_other"};

static risk_figures *find(risk_figures *v, int64_t n, int64_t id)
{
    /* ids are usually dense: try the position first */
    int64_t lo = 0, hi = n - 1;
    if (n > 0 && id - v[0].customer_id >= 0 && id - v[0].customer_id < n && v[id - v[0].customer_id].customer_id == id)
        return &v[id - v[0].customer_id];
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (v[mid].customer_id == id)
            return &v[mid];
        if (v[mid].customer_id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static int32_t date_col(db_stmt *s, int col)
{
    const char *t = db_col_text(s, col);
    civil_date dd;
    pc_err ignore = {0};
    return t && date_parse(t, &dd, &ignore) == 0 ? dd : 0;
}

/* ---- the passes: a query whose first column is the customer id, and what a row adds ---- */

typedef enum { P_LAST, P_FIRST_BEFORE, P_YEAR_BEFORE, P_FIRST, P_MONTH, P_BEFORE_RUN, P_PREV_RUN, P_YEAR_AGO_RUN } param;

typedef struct {
    const char *name, *sql;
    param params[4];
    int nparams;
    void (*apply)(risk_figures *f, db_stmt *s);
} risk_pass;

/* overdue and debt: the open items issued by the month's end (column 3: due before the month's
 * end; a due date is only parsed for those) */
static void apply_open(risk_figures *f, db_stmt *s)
{
    int64_t open = db_col_int(s, 2);
    f->debt += open;
    if (db_col_int(s, 3) == 0)
        return;
    f->overdue_amount += open;
    int32_t due = date_col(s, 1);
    if (due && (!f->oldest_due || due < f->oldest_due))
        f->oldest_due = due;
}

/* what was cleared after the month's end was still owed at it: added back, as the aging report
 * as of a past date does (DOMAIN 9) */
static void apply_cleared_after(risk_figures *f, db_stmt *s)
{
    int32_t due = date_col(s, 1);
    if (due && (!f->oldest_due || due < f->oldest_due))
        f->oldest_due = due;
    f->overdue_amount += db_col_int(s, 2);
    f->debt += db_col_int(s, 3);
}

static void apply_adjusted_after(risk_figures *f, db_stmt *s)
{
    f->overdue_amount -= db_col_int(s, 1);
    f->debt -= db_col_int(s, 2);
}

static void apply_late_month(risk_figures *f, db_stmt *s)
{
    (void)s;
    f->late_month++;
}

static void apply_late_earlier(risk_figures *f, db_stmt *s)
{
    (void)s;
    f->late_payments++;
}

static void apply_late_prev(risk_figures *f, db_stmt *s)
{
    f->late_payments += (int32_t)db_col_int(s, 1);
}

static void apply_late_year_ago(risk_figures *f, db_stmt *s)
{
    f->late_payments -= (int32_t)db_col_int(s, 1);
}

static void apply_cuts(risk_figures *f, db_stmt *s)
{
    f->disconnections = (int32_t)db_col_int(s, 1);
}

static void apply_kwh(risk_figures *f, db_stmt *s)
{
    f->kwh += db_col_int(s, 1);
}

static void apply_payments(risk_figures *f, db_stmt *s)
{
    f->payments += db_col_int(s, 1);
}

static void apply_debt_before(risk_figures *f, db_stmt *s)
{
    f->debt_before = db_col_int(s, 1);
    f->has_before = true;
}

static void apply_flag(risk_figures *f, db_stmt *s)
{
    f->customer_flagged = db_col_int(s, 1) == 1;
}

static void apply_purpose(risk_figures *f, db_stmt *s)
{
    const char *p = db_col_text(s, 1);
    if (!p)
        return;
    f->purpose = 0;
    for (uint8_t k = 1; k < 6; k++)
        if (strcmp(p, risk_purpose_names[k]) == 0)
            f->purpose = k;
}

/* Late payments: payments that settled an invoice after its due date (and by the month's end),
 * one per allocation; rows counted here rather than grouped in SQL (no sort). CROSS JOIN keeps
 * SQLite driving from the allocations' date index. */
#define LATE_SQL                                                                                                       \
    "SELECT i.customer_id FROM payment_alloc a CROSS JOIN invoice i "                                                  \
    "WHERE i.id = a.invoice_id AND a.alloc_date > ? AND a.alloc_date <= ? AND a.amount > 0 "                           \
    " AND a.alloc_date > i.due_date"

static const risk_pass pass_open = {
    "open_items",
    /* summed here row by row: one walk of the table, no sort by customer */
    "SELECT customer_id, due_date, open, due_date < ? FROM open_item WHERE issue_date <= ?", {P_LAST, P_LAST}, 2,
    apply_open};
static const risk_pass pass_cleared_after = {
    "cleared_after",
    "SELECT i.customer_id, min(CASE WHEN i.due_date < ? THEN i.due_date END), "
    " sum(CASE WHEN i.due_date < ? THEN a.amount ELSE 0 END), sum(a.amount) "
    "FROM payment_alloc a CROSS JOIN invoice i "
    "WHERE i.id = a.invoice_id AND a.alloc_date > ? AND i.issue_date <= ? GROUP BY i.customer_id",
    {P_LAST, P_LAST, P_LAST, P_LAST}, 4, apply_cleared_after};
static const risk_pass pass_adjusted_after = {
    "adjusted_after",
    "SELECT j.customer_id, sum(CASE WHEN i.due_date < ? THEN j.amount ELSE 0 END), sum(j.amount) "
    "FROM debt_adjustment j CROSS JOIN invoice i "
    "WHERE i.id = j.invoice_id AND j.adj_date > ? AND i.issue_date <= ? GROUP BY j.customer_id",
    {P_LAST, P_LAST, P_LAST}, 3, apply_adjusted_after};
static const risk_pass pass_late_month = {"late_month", LATE_SQL, {P_FIRST_BEFORE, P_LAST}, 2, apply_late_month};
/* the 11 months before the month: read from the allocations … */
static const risk_pass pass_late_earlier = {"late_earlier", LATE_SQL, {P_YEAR_BEFORE, P_FIRST_BEFORE}, 2,
                                            apply_late_earlier};
/* … or rolled from the runs of the month before and of 12 months before, when both exist */
static const risk_pass pass_late_prev = {
    "late_prev_run", "SELECT customer_id, late_payments FROM risk_result WHERE run_id = ? AND late_payments > 0",
    {P_PREV_RUN}, 1, apply_late_prev};
static const risk_pass pass_late_year_ago = {
    "late_year_ago_run", "SELECT customer_id, late_month FROM risk_result WHERE run_id = ? AND late_month > 0",
    {P_YEAR_AGO_RUN}, 1, apply_late_year_ago};
/* disconnections: cut orders done in the 12 months */
static const risk_pass pass_cuts = {
    "disconnections",
    "SELECT o.customer_id, count(*) FROM work_order o "
    "JOIN work_order_state t ON t.order_id = o.id AND t.state = 'done' "
    "WHERE o.kind = 'cut' AND t.state_date > ? AND t.state_date <= ? GROUP BY o.customer_id",
    {P_YEAR_BEFORE, P_LAST}, 2, apply_cuts};
/* consumption billed for the month, payments received in it: summed here row by row, which
 * walks the period's and the dates' index in order (a GROUP BY by customer sorts them, or
 * skip-scans the index by customer: 3 to 8 times slower, measured) */
static const risk_pass pass_kwh = {
    "kwh",
    /* a replacing invoice stands for the one it replaced: less that one's kWh (of the same
     * period), so a chain of replacements adds up to the last; an adjusting one adds its own */
    "SELECT i.customer_id, i.kwh - COALESCE(o.kwh, 0) FROM invoice i "
    "LEFT JOIN invoice o ON i.kind = 'replacing' AND o.id = i.refers_to AND o.period = i.period "
    "WHERE i.period = ?",
    {P_MONTH}, 1, apply_kwh};
static const risk_pass pass_payments = {"payments",
                                        "SELECT customer_id, amount FROM payment WHERE paid_date >= ? AND paid_date <= ?",
                                        {P_FIRST, P_LAST}, 2, apply_payments};
/* debt 3 months before: the earlier run's snapshot */
static const risk_pass pass_debt_before = {"debt_before", "SELECT customer_id, debt FROM risk_result WHERE run_id = ?",
                                           {P_BEFORE_RUN}, 1, apply_debt_before};
/* flags: the latest row of each customer */
static const risk_pass pass_flags = {"flags", "SELECT customer_id, flagged FROM risk_flag ORDER BY customer_id, id",
                                     {P_LAST}, 0, apply_flag};
/* the contract in force at the month's end: the last one valid from on or before it */
static const risk_pass pass_purposes = {
    "purposes", "SELECT customer_id, purpose FROM contract WHERE valid_from <= ? ORDER BY customer_id, valid_from",
    {P_LAST}, 1, apply_purpose};

typedef struct {
    const risk_window *w;
    char first_before[11];
    risk_figures *v;
    int64_t n;
} gather_ctx;

static int run_pass(db *d, const gather_ctx *g, const risk_pass *p, pc_err *e)
{
    double t0 = monotonic_seconds();
    db_stmt *s = db_prepare(d, p->sql, e);
    if (!s)
        return -1;
    const risk_window *w = g->w;
    for (int i = 0; i < p->nparams; i++) {
        switch (p->params[i]) {
        case P_LAST: db_bind_text(s, i + 1, w->last); break;
        case P_FIRST_BEFORE: db_bind_text(s, i + 1, g->first_before); break;
        case P_YEAR_BEFORE: db_bind_text(s, i + 1, w->year_before); break;
        case P_FIRST: db_bind_text(s, i + 1, w->first); break;
        case P_MONTH: db_bind_text(s, i + 1, w->month); break;
        case P_BEFORE_RUN: db_bind_int(s, i + 1, w->before_run_id); break;
        case P_PREV_RUN: db_bind_int(s, i + 1, w->prev_run_id); break;
        case P_YEAR_AGO_RUN: db_bind_int(s, i + 1, w->year_ago_run_id); break;
        }
    }
    int rc;
    int64_t rows = 0;
    while ((rc = db_step(s, e)) == 1) {
        risk_figures *f = find(g->v, g->n, db_col_int(s, 0));
        rows++;
        if (f)
            p->apply(f, s);
    }
    db_reset(s);
    log_event(LOG_DEBUG, "risk.pass", "pass=%s rows=%lld s=%.3f", p->name, (long long)rows, monotonic_seconds() - t0);
    return rc < 0 ? -1 : 0;
}

typedef struct {
    db *d;
    const gather_ctx *g;
    const risk_pass *const *passes;
    int npasses;
    pc_err e;
    int rc;
} pass_list;

static void *run_list(void *arg)
{
    pass_list *l = arg;
    l->rc = 0;
    for (int i = 0; i < l->npasses && l->rc == 0; i++)
        l->rc = run_pass(l->d, l->g, l->passes[i], &l->e);
    return NULL;
}

int risk_gather(db *d, const risk_window *w, risk_figures **out, int64_t *n, bool *rolled, pc_err *e)
{
    *out = NULL;
    *n = 0;
    *rolled = w->prev_run_id > 0 && w->year_ago_run_id > 0;
    int64_t cap = 1024, count = 0;
    risk_figures *v = malloc((size_t)cap * sizeof *v);
    if (!v)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    int rc;
    db_stmt *s = db_prepare(d, "SELECT id, unit_id FROM customer WHERE status <> 'terminated' ORDER BY id", e);
    if (!s)
        goto fail;
    while ((rc = db_step(s, e)) == 1) {
        if (count == cap) {
            risk_figures *g = realloc(v, (size_t)(cap *= 2) * sizeof *v);
            if (!g) {
                db_reset(s);
                pc_errf(e, PC_EINTERNAL, "out of memory");
                goto fail;
            }
            v = g;
        }
        memset(&v[count], 0, sizeof *v);
        v[count].customer_id = db_col_int(s, 0);
        v[count].unit_id = db_col_int(s, 1);
        count++;
    }
    db_reset(s);
    if (rc < 0)
        goto fail;

    gather_ctx g = {.w = w, .v = v, .n = count};
    civil_date fd;
    pc_err ignore = {0};
    if (date_parse(w->first, &fd, &ignore) != 0) {
        pc_errf(e, PC_EINTERNAL, "risk window: bad first day '%s'", w->first);
        goto fail;
    }
    date_format(fd - 1, g.first_before);

    /* Two lists of about equal work; every pass writes its own fields of the figures (the late
     * payments' parts are summed after both end). The second list runs on a connection of its
     * own in a thread. The run's transaction holds SQLite's write lock from its BEGIN IMMEDIATE,
     * so nothing commits between: the second connection reads the same state. */
    const risk_pass *a[8], *b[8];
    int na = 0, nb = 0;
    a[na++] = &pass_open;
    a[na++] = &pass_cleared_after;
    a[na++] = &pass_adjusted_after;
    a[na++] = &pass_late_month;
    if (*rolled) {
        a[na++] = &pass_late_prev;
        a[na++] = &pass_late_year_ago;
    } else
        b[nb++] = &pass_late_earlier;
    b[nb++] = &pass_kwh;
    b[nb++] = &pass_payments;
    b[nb++] = &pass_cuts;
    b[nb++] = &pass_flags;
    if (w->before_run_id > 0) {
        if (*rolled) /* the rolled list is the shorter one */
            b[nb++] = &pass_debt_before;
        else
            a[na++] = &pass_debt_before;
    }
    if (w->purposes)
        a[na++] = &pass_purposes;

    pass_list la = {d, &g, a, na, {0}, 0}, lb = {NULL, &g, b, nb, {0}, 0};
    db *reader = NULL;
    pc_err why = {0};
    pthread_t th;
    bool threaded = false;
    if (db_open_reader(d, &reader, &why) == 0 && db_streaming_reads(reader, &why) == 0) {
        lb.d = reader;
        threaded = pthread_create(&th, NULL, run_list, &lb) == 0;
    }
    if (!threaded)
        log_event(LOG_DEBUG, "risk.gather", "one connection: %s", why.msg[0] ? why.msg : "no thread");
    run_list(&la);
    if (threaded)
        pthread_join(th, NULL);
    else {
        lb.d = d;
        if (la.rc == 0)
            run_list(&lb);
    }
    db_close(reader);
    if (la.rc != 0 || lb.rc != 0) {
        *e = la.rc != 0 ? la.e : lb.e;
        goto fail;
    }
    for (int64_t i = 0; i < count; i++) {
        if (v[i].late_payments < 0) /* a customer the earlier run had not (cannot happen but for edits) */
            v[i].late_payments = 0;
        v[i].late_payments += v[i].late_month;
    }
    *out = v;
    *n = count;
    return 0;
fail:
    free(v);
    return -1;
}

int risk_run_insert(db *d, risk_run_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "INSERT INTO risk_run (month, as_of, params, params_hash, started_at, started_by, customers, "
                            "low, medium, high) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0)",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, r->month);
    db_bind_text(s, 2, r->as_of);
    db_bind_text(s, 3, r->params);
    db_bind_text(s, 4, r->params_hash);
    db_bind_text(s, 5, r->started_at);
    db_bind_text(s, 6, r->started_by);
    if (db_run(s, e) != 0)
        return -1;
    r->id = db_last_insert_id(d);
    return 0;
}

int risk_run_set_counts(db *d, const risk_run_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE risk_run SET customers = ?, low = ?, medium = ?, high = ? WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->customers);
    db_bind_int(s, 2, r->low);
    db_bind_int(s, 3, r->medium);
    db_bind_int(s, 4, r->high);
    db_bind_int(s, 5, r->id);
    return db_run(s, e);
}

#define RUN_COLS "id, month, as_of, params, params_hash, started_at, started_by, customers, low, medium, high"

static void run_row(db_stmt *s, risk_run_row *r)
{
    r->id = db_col_int(s, 0);
    COPY(r->month, db_col_text(s, 1));
    COPY(r->as_of, db_col_text(s, 2));
    COPY(r->params, db_col_text(s, 3));
    COPY(r->params_hash, db_col_text(s, 4));
    COPY(r->started_at, db_col_text(s, 5));
    COPY(r->started_by, db_col_text(s, 6));
    r->customers = db_col_int(s, 7);
    r->low = db_col_int(s, 8);
    r->medium = db_col_int(s, 9);
    r->high = db_col_int(s, 10);
}

static int one_run(db_stmt *s, risk_run_row *out, const char *what, pc_err *e)
{
    int rc = db_step(s, e);
    if (rc == 1)
        run_row(s, out);
    db_reset(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no risk run for %s: run `powercis risk run --month %s` first", what, what);
    return 0;
}

int risk_run_latest(db *d, const char *month, risk_run_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " RUN_COLS " FROM risk_run WHERE month = ? ORDER BY id DESC LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, month);
    return one_run(s, out, month, e);
}

int risk_run_latest_upto(db *d, const char *month, bool before, risk_run_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            before ? "SELECT " RUN_COLS " FROM risk_run WHERE month < ? ORDER BY month DESC, id DESC LIMIT 1"
                                   : "SELECT " RUN_COLS " FROM risk_run WHERE month <= ? ORDER BY month DESC, id DESC LIMIT 1",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, month);
    return one_run(s, out, month, e);
}

/* SQLite: rows bound straight into an INSERT of WRITER_ROWS rows (one statement per 64 rows
 * instead of one per row: about a third less time for a million rows); the last rows of a run
 * one by one. PostgreSQL: COPY through db_bulk. */
#define WRITER_COLS 16
#define WRITER_ROWS 64
#define WRITER_COLUMNS                                                                                                 \
    "run_id, customer_id, unit_id, score, class, action, reasons, overdue_days, overdue_amount, late_payments, "       \
    "late_month, disconnections, debt, debt_before, kwh, payments"

struct risk_writer {
    db *d;
    db_bulk *b;     /* PostgreSQL */
    db_stmt *many;  /* SQLite: WRITER_ROWS rows */
    int64_t run_id;
    risk_result_in rows[WRITER_ROWS];
    char reasons[WRITER_ROWS][512];
    int n;
    char sql[WRITER_ROWS * (WRITER_COLS * 3 + 4) + 256];
};

risk_writer *risk_writer_open(db *d, int64_t run_id, pc_err *e)
{
    risk_writer *w = calloc(1, sizeof *w);
    if (!w) {
        pc_errf(e, PC_EINTERNAL, "out of memory");
        return NULL;
    }
    w->d = d;
    w->run_id = run_id;
    if (db_engine_of(d) == DB_POSTGRES) {
        w->b = db_bulk_open(d, "risk_result", WRITER_COLUMNS, WRITER_COLS, e);
        if (!w->b) {
            free(w);
            return NULL;
        }
        return w;
    }
    size_t len = (size_t)snprintf(w->sql, sizeof w->sql, "INSERT INTO risk_result (" WRITER_COLUMNS ") VALUES ");
    for (int r = 0; r < WRITER_ROWS; r++) {
        w->sql[len++] = r ? ',' : ' ';
        w->sql[len++] = '(';
        for (int c = 0; c < WRITER_COLS; c++) {
            if (c)
                w->sql[len++] = ',';
            w->sql[len++] = '?';
        }
        w->sql[len++] = ')';
    }
    w->sql[len] = '\0';
    return w;
}

static void bind_result(db_stmt *s, int base, int64_t run_id, const risk_result_in *r)
{
    int64_t head[] = {run_id, r->customer_id, r->unit_id, r->score};
    for (int i = 0; i < 4; i++)
        db_bind_int(s, base + 1 + i, head[i]);
    db_bind_text(s, base + 5, r->cls);
    db_bind_text(s, base + 6, r->action);
    db_bind_text(s, base + 7, r->reasons);
    int64_t tail[] = {r->overdue_days, r->overdue_amount, r->late_payments, r->late_month, r->disconnections,
                      r->debt,         r->debt_before,    r->kwh,           r->payments};
    for (int i = 0; i < 9; i++)
        db_bind_int(s, base + 8 + i, tail[i]);
}

int risk_writer_add(risk_writer *w, const risk_result_in *r, pc_err *e)
{
    if (w->b) {
        db_bulk_int(w->b, w->run_id);
        db_bulk_int(w->b, r->customer_id);
        db_bulk_int(w->b, r->unit_id);
        db_bulk_int(w->b, r->score);
        db_bulk_text(w->b, r->cls);
        db_bulk_text(w->b, r->action);
        db_bulk_text(w->b, r->reasons);
        db_bulk_int(w->b, r->overdue_days);
        db_bulk_int(w->b, r->overdue_amount);
        db_bulk_int(w->b, r->late_payments);
        db_bulk_int(w->b, r->late_month);
        db_bulk_int(w->b, r->disconnections);
        db_bulk_int(w->b, r->debt);
        db_bulk_int(w->b, r->debt_before);
        db_bulk_int(w->b, r->kwh);
        db_bulk_int(w->b, r->payments);
        return db_bulk_row(w->b, e);
    }
    /* kept until the statement runs: cls and action are static names, reasons is copied */
    w->rows[w->n] = *r;
    snprintf(w->reasons[w->n], sizeof w->reasons[w->n], "%s", r->reasons ? r->reasons : "");
    w->rows[w->n].reasons = w->reasons[w->n];
    if (++w->n < WRITER_ROWS)
        return 0;
    db_stmt *s = db_prepare(w->d, w->sql, e);
    if (!s)
        return -1;
    for (int i = 0; i < WRITER_ROWS; i++)
        bind_result(s, i * WRITER_COLS, w->run_id, &w->rows[i]);
    w->n = 0;
    return db_run(s, e) == 0 ? 0 : pc_err_prefix(e, "risk_result");
}

int risk_writer_flush(risk_writer *w, pc_err *e)
{
    if (w->b)
        return db_bulk_flush(w->b, e);
    if (w->n == 0)
        return 0;
    db_stmt *s = db_prepare(w->d, "INSERT INTO risk_result (" WRITER_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    for (int i = 0; i < w->n; i++) {
        bind_result(s, 0, w->run_id, &w->rows[i]);
        if (db_run(s, e) != 0)
            return pc_err_prefix(e, "risk_result");
    }
    w->n = 0;
    return 0;
}

void risk_writer_close(risk_writer *w)
{
    if (!w)
        return;
    db_bulk_close(w->b);
    free(w);
}

#define ROW_COLS                                                                                                        \
    "c.code, c.name, u.code, r.score, r.class, r.action, r.reasons, r.overdue_days, r.overdue_amount, "                 \
    "r.late_payments, r.disconnections, r.debt, r.debt_before, r.kwh, r.payments"
#define SCOPE_FILTER " AND (? IS NULL OR substr(u.path, 1, length(CAST(? AS TEXT))) = ?)"

static void fill_row(db_stmt *s, risk_row *r)
{
    memset(r, 0, sizeof *r);
    COPY(r->code, db_col_text(s, 0));
    COPY(r->name, db_col_text(s, 1));
    COPY(r->unit, db_col_text(s, 2));
    r->score = (int)db_col_int(s, 3);
    COPY(r->cls, db_col_text(s, 4));
    COPY(r->action, db_col_text(s, 5));
    COPY(r->reasons, db_col_text(s, 6));
    r->overdue_days = db_col_int(s, 7);
    r->overdue_amount = db_col_int(s, 8);
    r->late_payments = db_col_int(s, 9);
    r->disconnections = db_col_int(s, 10);
    r->debt = db_col_int(s, 11);
    r->debt_before = db_col_int(s, 12);
    r->kwh = db_col_int(s, 13);
    r->payments = db_col_int(s, 14);
}

static void bind_scope(db_stmt *s, int at, const char *scope_path)
{
    db_bind_text(s, at, scope_path);
    db_bind_text(s, at + 1, scope_path);
    db_bind_text(s, at + 2, scope_path);
}

int risk_result_scan(db *d, int64_t run_id, const char *scope_path, const char *cls, risk_row_fn fn, void *ctx,
                     pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT " ROW_COLS " FROM risk_result r JOIN customer c ON c.id = r.customer_id "
                            "JOIN org_node u ON u.id = r.unit_id "
                            "WHERE r.run_id = ? AND (? IS NULL OR r.class = ?)" SCOPE_FILTER
                            " ORDER BY r.score DESC, c.code",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, run_id);
    db_bind_text(s, 2, cls);
    db_bind_text(s, 3, cls);
    bind_scope(s, 4, scope_path);
    int rc, status = 0;
    while ((rc = db_step(s, e)) == 1) {
        risk_row r;
        fill_row(s, &r);
        if (fn(ctx, &r, e) != 0) {
            status = -1;
            break;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : status;
}

int risk_track_scan(db *d, int64_t run_id, const char *scope_path, const char *since, const char *as_of,
                    risk_row_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT " ROW_COLS ", "
        " (SELECT COALESCE(sum(o.open), 0) FROM open_item o WHERE o.customer_id = r.customer_id AND o.issue_date <= ?), "
        " (SELECT COALESCE(sum(p.amount), 0) FROM payment p WHERE p.customer_id = r.customer_id "
        "   AND p.paid_date > ? AND p.paid_date <= ?), "
        /* a replacing invoice less the one it replaced when that one is in the window too */
        " (SELECT COALESCE(sum(i.kwh - COALESCE(o.kwh, 0)), 0) FROM invoice i "
        "   LEFT JOIN invoice o ON i.kind = 'replacing' AND o.id = i.refers_to AND o.to_date > ? AND o.to_date <= ? "
        "   WHERE i.customer_id = r.customer_id AND i.to_date > ? AND i.to_date <= ?) "
        "FROM risk_result r JOIN customer c ON c.id = r.customer_id JOIN org_node u ON u.id = r.unit_id "
        "WHERE r.run_id = ? AND r.class = 'high'" SCOPE_FILTER " ORDER BY r.score DESC, c.code",
        e);
    if (!s)
        return -1;
    db_bind_text(s, 1, as_of);
    db_bind_text(s, 2, since);
    db_bind_text(s, 3, as_of);
    db_bind_text(s, 4, since);
    db_bind_text(s, 5, as_of);
    db_bind_text(s, 6, since);
    db_bind_text(s, 7, as_of);
    db_bind_int(s, 8, run_id);
    bind_scope(s, 9, scope_path);
    int rc, status = 0;
    while ((rc = db_step(s, e)) == 1) {
        risk_row r;
        fill_row(s, &r);
        r.debt_now = db_col_int(s, 15);
        r.payments_since = db_col_int(s, 16);
        r.kwh_since = db_col_int(s, 17);
        if (fn(ctx, &r, e) != 0) {
            status = -1;
            break;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : status;
}

int risk_class_counts(db *d, int64_t run_id, const char *scope_path, int64_t counts[3], pc_err *e)
{
    counts[0] = counts[1] = counts[2] = 0;
    db_stmt *s = db_prepare(d,
                            "SELECT r.class, count(*) FROM risk_result r JOIN org_node u ON u.id = r.unit_id "
                            "WHERE r.run_id = ?" SCOPE_FILTER " GROUP BY r.class",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, run_id);
    bind_scope(s, 2, scope_path);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        const char *c = db_col_text(s, 0);
        int k = c && strcmp(c, "high") == 0 ? 2 : c && strcmp(c, "medium") == 0 ? 1 : 0;
        counts[k] = db_col_int(s, 1);
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int risk_flag_insert(db *d, int64_t customer_id, int flagged, const char *reason, const char *at, const char *by,
                     int64_t *id, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "INSERT INTO risk_flag (customer_id, flagged, reason, flagged_at, flagged_by) "
                            "VALUES (?, ?, ?, ?, ?)",
                            e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_int(s, 2, flagged);
    db_bind_text(s, 3, reason);
    db_bind_text(s, 4, at);
    db_bind_text(s, 5, by);
    if (db_run(s, e) != 0)
        return -1;
    *id = db_last_insert_id(d);
    return 0;
}
