/* SQL for customer service requests (see service.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/service.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")
#define IN_SCOPE(col) "(? IS NULL OR substr(" col ", 1, length(CAST(? AS TEXT))) = ?)"

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

static void bind_scope(db_stmt *s, int idx, const char *scope)
{
    db_bind_text(s, idx, scope);
    db_bind_text(s, idx + 1, scope);
    db_bind_text(s, idx + 2, scope);
}

int sreq_reserve_id(db *d, int64_t *id, pc_err *e)
{
    return db_reserve_ids(d, "service_request", 1, id, e);
}

int sreq_insert(db *d, const sreq_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "INSERT INTO service_request (id, code, type, unit_id, customer_id, applicant_name, applicant_phone, "
        "applicant_address, details, source, status, step_no, step, step_owner, step_started_on, step_due_on, "
        "waiting_reason, received_on, due_on, finished_on, working_days, within_deadline, created_at, created_by, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?)",
        e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->id);
    db_bind_text(s, 2, r->code);
    db_bind_text(s, 3, r->type);
    db_bind_int(s, 4, r->unit_id);
    if (r->customer_id > 0)
        db_bind_int(s, 5, r->customer_id);
    else
        db_bind_null(s, 5);
    db_bind_text(s, 6, r->applicant_name);
    db_bind_text(s, 7, r->applicant_phone);
    db_bind_text(s, 8, r->applicant_address);
    db_bind_text(s, 9, r->details);
    db_bind_text(s, 10, r->source);
    db_bind_text(s, 11, r->status);
    db_bind_int(s, 12, r->step_no);
    db_bind_text(s, 13, r->step);
    db_bind_text(s, 14, or_null(r->step_owner));
    db_bind_text(s, 15, r->step_started_on);
    db_bind_text(s, 16, r->step_due_on);
    db_bind_text(s, 17, or_null(r->waiting_reason));
    db_bind_text(s, 18, r->received_on);
    db_bind_text(s, 19, r->due_on);
    db_bind_text(s, 20, r->created_at);
    db_bind_text(s, 21, r->created_by);
    db_bind_text(s, 22, r->updated_at);
    return db_run(s, e);
}

int sreq_update(db *d, const sreq_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "UPDATE service_request SET customer_id = ?, details = ?, status = ?, step_no = ?, "
                            "step = ?, step_owner = ?, step_started_on = ?, step_due_on = ?, waiting_reason = ?, "
                            "finished_on = ?, working_days = ?, within_deadline = ?, updated_at = ? WHERE id = ?",
                            e);
    if (!s)
        return -1;
    if (r->customer_id > 0)
        db_bind_int(s, 1, r->customer_id);
    else
        db_bind_null(s, 1);
    db_bind_text(s, 2, r->details);
    db_bind_text(s, 3, r->status);
    db_bind_int(s, 4, r->step_no);
    db_bind_text(s, 5, r->step);
    db_bind_text(s, 6, or_null(r->step_owner));
    db_bind_text(s, 7, r->step_started_on);
    db_bind_text(s, 8, r->step_due_on);
    db_bind_text(s, 9, or_null(r->waiting_reason));
    db_bind_text(s, 10, or_null(r->finished_on));
    if (r->working_days >= 0) {
        db_bind_int(s, 11, r->working_days);
        db_bind_int(s, 12, r->within_deadline);
    } else {
        db_bind_null(s, 11);
        db_bind_null(s, 12);
    }
    db_bind_text(s, 13, r->updated_at);
    db_bind_int(s, 14, r->id);
    return db_run(s, e);
}

#define SREQ_SELECT                                                                                                  \
    "SELECT r.id, r.unit_id, COALESCE(r.customer_id, 0), r.code, r.type, u.code, u.path, c.code, r.applicant_name, " \
    "r.applicant_phone, r.applicant_address, r.details, r.source, r.status, r.step_no, r.step, r.step_owner, "       \
    "r.step_started_on, r.step_due_on, r.waiting_reason, r.received_on, r.due_on, r.finished_on, "                   \
    "COALESCE(r.working_days, -1), COALESCE(r.within_deadline, -1), r.created_at, r.created_by, r.updated_at "        \
    "FROM service_request r JOIN org_node u ON u.id = r.unit_id LEFT JOIN customer c ON c.id = r.customer_id "

static void read_row(db_stmt *s, sreq_row *o)
{
    memset(o, 0, sizeof *o);
    o->id = db_col_int(s, 0);
    o->unit_id = db_col_int(s, 1);
    o->customer_id = db_col_int(s, 2);
    COPY(o->code, db_col_text(s, 3));
    COPY(o->type, db_col_text(s, 4));
    COPY(o->unit_code, db_col_text(s, 5));
    COPY(o->unit_path, db_col_text(s, 6));
    COPY(o->customer_code, db_col_text(s, 7));
    COPY(o->applicant_name, db_col_text(s, 8));
    COPY(o->applicant_phone, db_col_text(s, 9));
    COPY(o->applicant_address, db_col_text(s, 10));
    COPY(o->details, db_col_text(s, 11));
    COPY(o->source, db_col_text(s, 12));
    COPY(o->status, db_col_text(s, 13));
    o->step_no = (int)db_col_int(s, 14);
    COPY(o->step, db_col_text(s, 15));
    COPY(o->step_owner, db_col_text(s, 16));
    COPY(o->step_started_on, db_col_text(s, 17));
    COPY(o->step_due_on, db_col_text(s, 18));
    COPY(o->waiting_reason, db_col_text(s, 19));
    COPY(o->received_on, db_col_text(s, 20));
    COPY(o->due_on, db_col_text(s, 21));
    COPY(o->finished_on, db_col_text(s, 22));
    o->working_days = (int)db_col_int(s, 23);
    o->within_deadline = (int)db_col_int(s, 24);
    COPY(o->created_at, db_col_text(s, 25));
    COPY(o->created_by, db_col_text(s, 26));
    COPY(o->updated_at, db_col_text(s, 27));
}

int sreq_get(db *d, const char *code, sreq_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, SREQ_SELECT "WHERE r.code = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    int rc = db_step(s, e);
    if (rc == 1)
        read_row(s, out);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no service request %s", code);
    return rc < 0 ? -1 : 0;
}

int sreq_list(db *d, const sreq_filter *f, sreq_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        SREQ_SELECT "WHERE " IN_SCOPE("u.path") " AND (? IS NULL OR r.status = ? OR (? = 'active' AND r.status IN "
                    "('open', 'waiting'))) AND (? IS NULL OR r.type = ?) AND (? IS NULL OR (r.status IN ('open', "
                    "'waiting') AND r.step_due_on <= ?)) AND (? IS NULL OR c.code = ?) "
                    "ORDER BY CASE WHEN r.status IN ('open', 'waiting') THEN 0 ELSE 1 END, "
                    "CASE WHEN r.status IN ('open', 'waiting') THEN r.step_due_on ELSE '' END, r.code "
                    "LIMIT ? OFFSET ?",
        e);
    if (!s)
        return -1;
    bind_scope(s, 1, f->scope_path);
    db_bind_text(s, 4, f->status);
    db_bind_text(s, 5, f->status);
    db_bind_text(s, 6, f->status);
    db_bind_text(s, 7, f->type);
    db_bind_text(s, 8, f->type);
    db_bind_text(s, 9, f->due_by);
    db_bind_text(s, 10, f->due_by);
    db_bind_text(s, 11, f->customer_code);
    db_bind_text(s, 12, f->customer_code);
    db_bind_int(s, 13, f->limit > 0 ? f->limit : INT64_MAX);
    db_bind_int(s, 14, f->offset);
    int rc;
    sreq_row r;
    while ((rc = db_step(s, e)) == 1) {
        read_row(s, &r);
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return pc_errf(e, PC_EINTERNAL, "listing service requests was interrupted");
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int sreq_event_insert(db *d, sreq_event_row *ev, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO service_request_event (request_id, action, step_no, step, owner, reason, "
                               "note, on_date, at, by_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, ev->request_id);
    db_bind_text(s, 2, ev->action);
    db_bind_int(s, 3, ev->step_no);
    db_bind_text(s, 4, ev->step);
    db_bind_text(s, 5, or_null(ev->owner));
    db_bind_text(s, 6, or_null(ev->reason));
    db_bind_text(s, 7, or_null(ev->note));
    db_bind_text(s, 8, ev->on_date);
    db_bind_text(s, 9, ev->at);
    db_bind_text(s, 10, ev->by_user);
    if (db_run(s, e) != 0)
        return -1;
    ev->id = db_last_insert_id(d);
    return 0;
}

int sreq_events(db *d, int64_t request_id, sreq_event_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id, request_id, action, step_no, step, owner, reason, note, on_date, at, by_user "
                               "FROM service_request_event WHERE request_id = ? ORDER BY id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, request_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        sreq_event_row v;
        memset(&v, 0, sizeof v);
        v.id = db_col_int(s, 0);
        v.request_id = db_col_int(s, 1);
        COPY(v.action, db_col_text(s, 2));
        v.step_no = (int)db_col_int(s, 3);
        COPY(v.step, db_col_text(s, 4));
        COPY(v.owner, db_col_text(s, 5));
        COPY(v.reason, db_col_text(s, 6));
        COPY(v.note, db_col_text(s, 7));
        COPY(v.on_date, db_col_text(s, 8));
        COPY(v.at, db_col_text(s, 9));
        COPY(v.by_user, db_col_text(s, 10));
        if (fn(ctx, &v) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int sreq_doc_insert(db *d, sreq_doc_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO service_document (request_id, kind, title, file_name, media_type, size, "
                               "sha256, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->request_id);
    db_bind_text(s, 2, r->kind);
    db_bind_text(s, 3, r->title);
    db_bind_text(s, 4, r->file_name);
    db_bind_text(s, 5, r->media_type);
    db_bind_int(s, 6, r->size);
    db_bind_text(s, 7, r->sha256);
    db_bind_text(s, 8, r->added_at);
    db_bind_text(s, 9, r->added_by);
    if (db_run(s, e) != 0)
        return -1;
    r->id = db_last_insert_id(d);
    return 0;
}

#define DOC_SELECT "SELECT id, request_id, kind, title, file_name, media_type, size, sha256, added_at, added_by " \
                   "FROM service_document "

static void read_doc(db_stmt *s, sreq_doc_row *o)
{
    memset(o, 0, sizeof *o);
    o->id = db_col_int(s, 0);
    o->request_id = db_col_int(s, 1);
    COPY(o->kind, db_col_text(s, 2));
    COPY(o->title, db_col_text(s, 3));
    COPY(o->file_name, db_col_text(s, 4));
    COPY(o->media_type, db_col_text(s, 5));
    o->size = db_col_int(s, 6);
    COPY(o->sha256, db_col_text(s, 7));
    COPY(o->added_at, db_col_text(s, 8));
    COPY(o->added_by, db_col_text(s, 9));
}

int sreq_doc_get(db *d, int64_t id, sreq_doc_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, DOC_SELECT "WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        read_doc(s, out);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no request document %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int sreq_docs(db *d, int64_t request_id, sreq_doc_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, DOC_SELECT "WHERE request_id = ? ORDER BY id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, request_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        sreq_doc_row r;
        read_doc(s, &r);
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- indicator figures ---- */

static int run_counts(db_stmt *s, sreq_count_fn fn, void *ctx, pc_err *e)
{
    int rc;
    while ((rc = db_step(s, e)) == 1)
        if (fn(ctx, db_col_text(s, 0), db_col_text(s, 1) ? db_col_text(s, 1) : "", db_col_int(s, 2)) != 0) {
            db_reset(s);
            return -1;
        }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* SQLite's GROUP BY sorts every row through a temporary B-tree, three times the cost of reading
 * them: for a month of a million requests the rows are counted here instead, in a small hash
 * table keyed by (unit, type, working days, within), then sorted by unit code. PostgreSQL's hash
 * aggregate does that itself, and streaming the rows out would cost more. */
typedef struct {
    int64_t unit_id;
    int type; /* index in agg.types */
    int a, b;
    int64_t n;
    bool used;
} agg_cell;

typedef struct {
    agg_cell *cells;
    size_t cap, used;
    char types[64][32];
    int ntypes;
    /* the org nodes: id → code and path */
    int64_t *ids;
    char (*codes)[16];
    char (*paths)[160];
    int nnodes;
} agg;

static void agg_free(agg *g)
{
    free(g->cells);
    free(g->ids);
    free(g->codes);
    free(g->paths);
}

static int agg_type(agg *g, const char *t)
{
    for (int i = 0; i < g->ntypes; i++)
        if (strcmp(g->types[i], t) == 0)
            return i;
    if (g->ntypes == 64)
        return 63; /* more request types than any types file has: the rest share the last slot */
    snprintf(g->types[g->ntypes], sizeof g->types[0], "%s", t);
    return g->ntypes++;
}

static uint64_t agg_hash(int64_t u, int t, int a, int b)
{
    uint64_t h = (uint64_t)u * 0x9E3779B97F4A7C15ull;
    h ^= ((uint64_t)(uint32_t)t << 40) ^ ((uint64_t)(uint32_t)a << 16) ^ (uint64_t)(uint32_t)b;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

static int agg_add(agg *g, int64_t u, int t, int a, int b, int64_t n, pc_err *e)
{
    if ((g->used + 1) * 2 > g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 1024;
        agg_cell *c = calloc(nc, sizeof *c);
        if (!c)
            return pc_errf(e, PC_EINTERNAL, "out of memory counting service requests");
        for (size_t i = 0; i < g->cap; i++)
            if (g->cells[i].used) {
                size_t j = agg_hash(g->cells[i].unit_id, g->cells[i].type, g->cells[i].a, g->cells[i].b) & (nc - 1);
                while (c[j].used)
                    j = (j + 1) & (nc - 1);
                c[j] = g->cells[i];
            }
        free(g->cells);
        g->cells = c;
        g->cap = nc;
    }
    size_t j = agg_hash(u, t, a, b) & (g->cap - 1);
    while (g->cells[j].used &&
           !(g->cells[j].unit_id == u && g->cells[j].type == t && g->cells[j].a == a && g->cells[j].b == b))
        j = (j + 1) & (g->cap - 1);
    if (!g->cells[j].used) {
        g->cells[j] = (agg_cell){u, t, a, b, 0, true};
        g->used++;
    }
    g->cells[j].n += n;
    return 0;
}

static int agg_nodes(db *d, agg *g, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT count(*) FROM org_node", e);
    if (!s || db_step(s, e) < 0)
        return -1;
    int n = (int)db_col_int(s, 0);
    db_reset(s);
    g->ids = calloc((size_t)n + 1, sizeof *g->ids);
    g->codes = calloc((size_t)n + 1, sizeof *g->codes);
    g->paths = calloc((size_t)n + 1, sizeof *g->paths);
    if (!g->ids || !g->codes || !g->paths)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    s = db_prepare(d, "SELECT id, code, path FROM org_node ORDER BY id", e);
    if (!s)
        return -1;
    int rc;
    while ((rc = db_step(s, e)) == 1 && g->nnodes < n) {
        g->ids[g->nnodes] = db_col_int(s, 0);
        COPY(g->codes[g->nnodes], db_col_text(s, 1));
        COPY(g->paths[g->nnodes], db_col_text(s, 2));
        g->nnodes++;
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

static int agg_node(const agg *g, int64_t id)
{
    int lo = 0, hi = g->nnodes - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (g->ids[mid] == id)
            return mid;
        if (g->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static const agg *sort_ctx;
static int cmp_cell(const void *x, const void *y)
{
    const agg_cell *a = x, *b = y;
    int c = strcmp(sort_ctx->codes[agg_node(sort_ctx, a->unit_id)], sort_ctx->codes[agg_node(sort_ctx, b->unit_id)]);
    if (!c)
        c = strcmp(sort_ctx->types[a->type], sort_ctx->types[b->type]);
    if (!c)
        c = (a->a > b->a) - (a->a < b->a);
    if (!c)
        c = (a->b > b->b) - (a->b < b->b);
    return c;
}

/* Runs s (rows: unit_id, type[, a, b]), counts, and calls back in unit code order, in scope. */
static int agg_run(db *d, db_stmt *s, int ncols, const char *scope_path, sreq_count_fn cfn, sreq_hist_fn hfn,
                   void *ctx, pc_err *e)
{
    agg g;
    memset(&g, 0, sizeof g);
    int rc;
    int last_t = -1;
    char last_type[32] = "";
    while ((rc = db_step(s, e)) == 1) {
        int64_t u = db_col_int(s, 0);
        const char *t = db_col_text(s, 1) ? db_col_text(s, 1) : "";
        int ti = last_t >= 0 && strcmp(t, last_type) == 0 ? last_t : agg_type(&g, t);
        if (ti != last_t) {
            last_t = ti;
            snprintf(last_type, sizeof last_type, "%s", t);
        }
        if (agg_add(&g, u, ti, ncols > 2 ? (int)db_col_int(s, 2) : 0, ncols > 3 ? (int)db_col_int(s, 3) : 0, 1,
                    e) != 0) {
            db_reset(s);
            agg_free(&g);
            return -1;
        }
    }
    db_reset(s);
    if (rc < 0 || agg_nodes(d, &g, e) != 0) {
        agg_free(&g);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < g.cap; i++)
        if (g.cells[i].used && agg_node(&g, g.cells[i].unit_id) >= 0 &&
            (!scope_path ||
             strncmp(g.paths[agg_node(&g, g.cells[i].unit_id)], scope_path, strlen(scope_path)) == 0))
            g.cells[n++] = g.cells[i];
    sort_ctx = &g;
    if (n)
        qsort(g.cells, n, sizeof *g.cells, cmp_cell);
    rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const agg_cell *c = &g.cells[i];
        const char *code = g.codes[agg_node(&g, c->unit_id)];
        rc = cfn ? cfn(ctx, code, g.types[c->type], c->n) : hfn(ctx, code, g.types[c->type], c->a, c->b, c->n);
    }
    agg_free(&g);
    return rc;
}

int sreq_received_counts(db *d, const char *scope_path, const char *from, const char *to, sreq_count_fn fn, void *ctx,
                         pc_err *e)
{
    if (db_engine_of(d) == DB_SQLITE) {
        db_stmt *s = db_prepare(d, "SELECT unit_id, type FROM service_request WHERE received_on BETWEEN ? AND ?", e);
        if (!s)
            return -1;
        db_bind_text(s, 1, from);
        db_bind_text(s, 2, to);
        return agg_run(d, s, 2, scope_path, fn, NULL, ctx, e);
    }
    /* Counted per unit key on the covering index first, joined to the few units after. */
    db_stmt *s = db_prepare(d, "SELECT u.code, h.type, h.n FROM (SELECT unit_id, type, count(*) AS n FROM "
                               "service_request WHERE received_on BETWEEN ? AND ? GROUP BY unit_id, type) h JOIN "
                               "org_node u ON u.id = h.unit_id WHERE " IN_SCOPE("u.path") " ORDER BY u.code, h.type",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    bind_scope(s, 3, scope_path);
    return run_counts(s, fn, ctx, e);
}

int sreq_finished_histogram(db *d, const char *scope_path, const char *from, const char *to, sreq_hist_fn fn,
                            void *ctx, pc_err *e)
{
    if (db_engine_of(d) == DB_SQLITE) {
        db_stmt *s = db_prepare(d, "SELECT unit_id, type, working_days, within_deadline FROM service_request WHERE "
                                   "finished_on BETWEEN ? AND ?", e);
        if (!s)
            return -1;
        db_bind_text(s, 1, from);
        db_bind_text(s, 2, to);
        return agg_run(d, s, 4, scope_path, NULL, fn, ctx, e);
    }
    db_stmt *s = db_prepare(d, "SELECT u.code, h.type, h.wd, h.w, h.n FROM (SELECT unit_id, type, working_days AS wd, "
                               "within_deadline AS w, count(*) AS n FROM service_request WHERE finished_on BETWEEN ? "
                               "AND ? GROUP BY unit_id, type, working_days, within_deadline) h JOIN org_node u ON "
                               "u.id = h.unit_id WHERE " IN_SCOPE("u.path") " ORDER BY u.code, h.type, h.wd, h.w", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    bind_scope(s, 3, scope_path);
    int rc;
    while ((rc = db_step(s, e)) == 1)
        if (fn(ctx, db_col_text(s, 0), db_col_text(s, 1), (int)db_col_int(s, 2), (int)db_col_int(s, 3),
               db_col_int(s, 4)) != 0) {
            db_reset(s);
            return -1;
        }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int sreq_open_by_reason(db *d, const char *scope_path, const char *to, sreq_count_fn fn, void *ctx, pc_err *e)
{
    /* Not finished, or finished after the day: two ranges of the finished index (an OR would
     * make the engines read the table). */
    db_stmt *s = db_prepare(d, "SELECT u.code, h.reason, sum(h.n) FROM (SELECT unit_id, COALESCE(waiting_reason, '') "
                               "AS reason, count(*) AS n FROM service_request WHERE finished_on IS NULL AND "
                               "received_on <= ? AND status <> 'cancelled' GROUP BY unit_id, COALESCE(waiting_reason, "
                               "'') UNION ALL SELECT unit_id, COALESCE(waiting_reason, '') AS reason, count(*) AS n "
                               "FROM service_request WHERE finished_on > ? AND received_on <= ? GROUP BY unit_id, "
                               "COALESCE(waiting_reason, '')) h JOIN org_node u ON u.id = h.unit_id WHERE "
                               IN_SCOPE("u.path") " GROUP BY u.code, h.reason ORDER BY u.code, h.reason", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, to);
    db_bind_text(s, 2, to);
    db_bind_text(s, 3, to);
    bind_scope(s, 4, scope_path);
    return run_counts(s, fn, ctx, e);
}

int sreq_next_customer_code(db *d, int64_t unit_id, const char *unit_code, char out[16], pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT max(code) FROM customer WHERE unit_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, unit_id);
    int rc = db_step(s, e);
    long long next = 1;
    if (rc == 1 && db_col_text(s, 0)) {
        const char *max = db_col_text(s, 0);
        if (strlen(max) == 13)
            next = atoll(max + 6) + 1;
    }
    db_reset(s);
    if (rc < 0)
        return -1;
    if (next > 9999999)
        return pc_errf(e, PC_ECONFLICT, "unit %s has no customer code left", unit_code);
    snprintf(out, 16, "%.6s%07d", unit_code, (int)next);
    return 0;
}

int sreq_deadlines_by_unit(db *d, const char *today, const char *until,
                           int (*fn)(void *ctx, int64_t unit_id, int64_t overdue, int64_t at_risk), void *ctx,
                           pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT unit_id, sum(CASE WHEN step_due_on < ? THEN 1 ELSE 0 END), "
                               "sum(CASE WHEN step_due_on >= ? THEN 1 ELSE 0 END) FROM service_request WHERE status IN "
                               "('open', 'waiting') AND step_due_on <= ? GROUP BY unit_id", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, today);
    db_bind_text(s, 2, today);
    db_bind_text(s, 3, until);
    int rc;
    while ((rc = db_step(s, e)) == 1)
        if (fn(ctx, db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2)) != 0) {
            db_reset(s);
            return -1;
        }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int sreq_nth_residential(db *d, const char *unit_code, int n, char out[16], pc_err *e)
{
    out[0] = '\0';
    db_stmt *s = db_prepare(d, "SELECT c.code FROM customer c JOIN org_node u ON u.id = c.unit_id WHERE u.code = ? "
                               "AND c.status = 'active' AND (SELECT k.purpose FROM contract k WHERE k.customer_id = "
                               "c.id ORDER BY k.valid_from DESC LIMIT 1) = 'residential' ORDER BY c.code LIMIT 1 "
                               "OFFSET ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, unit_code);
    db_bind_int(s, 2, n);
    int rc = db_step(s, e);
    if (rc == 1)
        snprintf(out, 16, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
