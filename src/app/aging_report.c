/* The aging report (DOMAIN 9, 10): per-unit figures, live from the open items or from a lock's
 * snapshot, summed up the org tree and emitted as rows in display order. */
#include "app/aging_report.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csv_reader.h"
#include "store/aging.h"
#include "store/cases.h"
#include "store/debt.h"
#include "store/repo.h"

/* ---- the org tree under the scope, with figures ---- */

typedef struct {
    org_row n;
    int parent; /* index in the tree, -1 outside it */
    int depth;  /* level: 0 group … 3 unit */
    aging_figures f[2]; /* [0] non-residential, [1] residential: sums over the units below */
    int64_t lock_id;    /* units: the lock whose snapshot gives the figures, 0 when live */
    json_t *snap;       /* units read from a snapshot */
} tree_node;

typedef struct {
    tree_node *v;
    int n, cap;
    /* (id, index) sorted by id, to find a unit's node */
    struct id_ix {
        int64_t id;
        int ix;
    } *by_id;
} tree;

static int level_depth(const char *level)
{
    static const char *const levels[] = {"group", "corporation", "company", "unit", "customer"};
    for (int i = 0; i < 5; i++)
        if (strcmp(level, levels[i]) == 0)
            return i;
    return -1;
}

static int tree_add(void *ctx, const org_row *r, const org_counts *c)
{
    (void)c;
    tree *t = ctx;
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        tree_node *v = realloc(t->v, sizeof *v * (size_t)cap);
        if (!v)
            return -1;
        t->v = v;
        t->cap = cap;
    }
    tree_node *x = &t->v[t->n++];
    memset(x, 0, sizeof *x);
    x->n = *r;
    x->parent = -1;
    x->depth = level_depth(r->level);
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    const struct id_ix *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int tree_find(const tree *t, int64_t id)
{
    struct id_ix key = {id, 0};
    struct id_ix *hit = bsearch(&key, t->by_id, (size_t)t->n, sizeof *t->by_id, cmp_id);
    return hit ? hit->ix : -1;
}

static void tree_free(tree *t)
{
    for (int i = 0; i < t->n; i++)
        json_decref(t->v[i].snap);
    free(t->v);
    free(t->by_id);
}

static int tree_load(db *d, const char *scope_path, tree *t, pc_err *e)
{
    memset(t, 0, sizeof *t);
    if (org_list(d, scope_path, 0, tree_add, t, e) != 0)
        return -1;
    t->by_id = malloc(sizeof *t->by_id * (size_t)(t->n ? t->n : 1));
    if (!t->by_id)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    for (int i = 0; i < t->n; i++)
        t->by_id[i] = (struct id_ix){t->v[i].n.id, i};
    qsort(t->by_id, (size_t)t->n, sizeof *t->by_id, cmp_id);
    for (int i = 0; i < t->n; i++)
        t->v[i].parent = t->v[i].n.parent_id ? tree_find(t, t->v[i].n.parent_id) : -1;
    return 0;
}

static void figures_add(aging_figures *to, const aging_figures *f)
{
    to->customers += f->customers;
    for (int b = 0; b < AGING_BUCKETS; b++)
        to->bucket_customers[b] += f->bucket_customers[b];
    for (int k = 0; k < AGING_SLICES; k++)
        to->slices[k] += f->slices[k];
}

/* ---- snapshots: two views per unit ----
 * "unit:ID"   {"f": [[customers, 7 bucket customers, 8 slices] non-residential, [...] residential]}
 * "detail:ID" {"c": [[code, name, address, residential, case status, documents, 8 slices], ...]}
 * A summary reads only the first, small one. */

static json_t *figures_json(const aging_figures *f)
{
    json_t *a = json_array();
    json_array_append_new(a, json_integer(f->customers));
    for (int b = 0; b < AGING_BUCKETS; b++)
        json_array_append_new(a, json_integer(f->bucket_customers[b]));
    for (int k = 0; k < AGING_SLICES; k++)
        json_array_append_new(a, json_integer(f->slices[k]));
    return a;
}

static int figures_from_json(const json_t *a, aging_figures *f)
{
    if (!json_is_array(a) || json_array_size(a) != 1 + AGING_BUCKETS + AGING_SLICES)
        return -1;
    memset(f, 0, sizeof *f);
    f->customers = json_integer_value(json_array_get(a, 0));
    for (int b = 0; b < AGING_BUCKETS; b++)
        f->bucket_customers[b] = json_integer_value(json_array_get(a, 1 + (size_t)b));
    for (int k = 0; k < AGING_SLICES; k++)
        f->slices[k] = json_integer_value(json_array_get(a, 1 + AGING_BUCKETS + (size_t)k));
    return 0;
}

/* ---- case marks (status, documents) of the customers shown in detail ---- */

typedef struct {
    case_mark *v;
    size_t n, cap;
} marks;

static int marks_add(void *ctx, const case_mark *m)
{
    marks *s = ctx;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        case_mark *v = realloc(s->v, sizeof *v * cap);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = *m;
    return 0;
}

static int cmp_mark(const void *a, const void *b)
{
    const case_mark *x = a, *y = b;
    return x->customer_id < y->customer_id ? -1 : x->customer_id > y->customer_id;
}

static const case_mark *mark_of(const marks *s, int64_t customer_id)
{
    case_mark key;
    key.customer_id = customer_id;
    return s->n ? bsearch(&key, s->v, s->n, sizeof *s->v, cmp_mark) : NULL;
}

static int marks_load(db *d, marks *s, pc_err *e)
{
    memset(s, 0, sizeof *s);
    if (case_marks(d, marks_add, s, e) != 0)
        return -1;
    if (s->n)
        qsort(s->v, s->n, sizeof *s->v, cmp_mark);
    return 0;
}

/* ---- figures per unit ---- */

typedef struct {
    tree *t;
} unit_sum_ctx;

static int unit_sum_take(void *ctx, int64_t unit_id, int residential, const aging_figures *f)
{
    unit_sum_ctx *c = ctx;
    int ix = tree_find(c->t, unit_id);
    if (ix < 0 || c->t->v[ix].lock_id)
        return 0; /* a unit outside the tree (cannot be) or read from its snapshot */
    figures_add(&c->t->v[ix].f[residential ? 1 : 0], f);
    return 0;
}

typedef struct {
    int64_t id;
    char path[160];
} lock_pick;

typedef struct {
    lock_pick *v;
    int n, cap;
} lock_picks;

static int lock_pick_add(void *ctx, const lock_row *r)
{
    lock_picks *p = ctx;
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 8;
        lock_pick *v = realloc(p->v, sizeof *v * (size_t)cap);
        if (!v)
            return -1;
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n].id = r->id;
    snprintf(p->v[p->n].path, sizeof p->v[p->n].path, "%s", r->org_path);
    p->n++;
    return 0;
}

/* Units of the tree covered by an active lock of as_of's month, when as_of is its last day:
 * their figures come from the oldest such lock's snapshot (every later one holds the same). */
static int attach_snapshots(db *d, tree *t, civil_date as_of, pc_err *e)
{
    if (as_of != month_last_day(month_of(as_of)))
        return 0;
    char period[MONTH_FMT_MAX];
    month_format(month_of(as_of), period);
    lock_picks p = {0};
    if (lock_list(d, true, period, NULL, lock_pick_add, &p, e) != 0) {
        free(p.v);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < t->n && p.n && rc == 0; i++) {
        tree_node *u = &t->v[i];
        if (u->depth != 3)
            continue;
        int64_t best = 0;
        for (int k = 0; k < p.n; k++)
            if (strncmp(u->n.path, p.v[k].path, strlen(p.v[k].path)) == 0 && (!best || p.v[k].id < best))
                best = p.v[k].id;
        if (!best)
            continue;
        char view[48], *body = NULL;
        bool found = false;
        snprintf(view, sizeof view, "unit:%lld", (long long)u->n.id);
        if (snapshot_get(d, best, view, &body, &found, e) != 0) {
            rc = -1;
            break;
        }
        if (!found)
            continue; /* a unit created after the lock: live */
        json_error_t je;
        u->snap = json_loads(body, 0, &je);
        free(body);
        if (!u->snap || figures_from_json(json_array_get(json_object_get(u->snap, "f"), 0), &u->f[0]) != 0 ||
            figures_from_json(json_array_get(json_object_get(u->snap, "f"), 1), &u->f[1]) != 0) {
            rc = pc_errf(e, PC_EINTERNAL, "the snapshot of unit %s in lock %lld is damaged", u->n.code, (long long)best);
            break;
        }
        u->lock_id = best;
    }
    free(p.v);
    return rc;
}

/* Unit figures for the whole tree, then summed into every ancestor inside it. */
static int tree_figures(db *d, tree *t, const aging_request *rq, const char *scope_path, int64_t *lock_id, pc_err *e)
{
    if (!rq->live && attach_snapshots(d, t, rq->as_of, e) != 0)
        return -1;
    int units = 0, locked = 0;
    *lock_id = 0;
    for (int i = 0; i < t->n; i++)
        if (t->v[i].depth == 3) {
            units++;
            if (t->v[i].lock_id) {
                locked++;
                if (!*lock_id || t->v[i].lock_id < *lock_id)
                    *lock_id = t->v[i].lock_id;
            }
        }
    if (locked < units) {
        aging_query q;
        aging_query_of(rq->as_of, &q);
        if (aging_query_decide(d, &q, e) != 0)
            return -1;
        unit_sum_ctx c = {t};
        if (aging_unit_sums(d, scope_path, &q, unit_sum_take, &c, e) != 0)
            return -1;
        if (locked == 0)
            *lock_id = 0;
    }
    if (locked && locked < units)
        *lock_id = -1; /* partly from snapshots */
    /* children come after their parent in path order: add each unit into its ancestors */
    for (int i = 0; i < t->n; i++) {
        if (t->v[i].depth != 3)
            continue;
        for (int p = t->v[i].parent; p >= 0; p = t->v[p].parent) {
            figures_add(&t->v[p].f[0], &t->v[i].f[0]);
            figures_add(&t->v[p].f[1], &t->v[i].f[1]);
        }
    }
    return 0;
}

/* ---- rows ---- */

static void row_figures(aging_row *r, const aging_figures *f)
{
    r->customers = f->customers;
    memcpy(r->bucket_customers, f->bucket_customers, sizeof r->bucket_customers);
    memcpy(r->slices, f->slices, sizeof r->slices);
}

static void row_finish(aging_row *r, provision_scheme scheme)
{
    aging_buckets_of_slices(r->slices, r->amount);
    r->total = 0;
    for (int b = 0; b < AGING_BUCKETS; b++)
        r->total += r->amount[b];
    r->provision = aging_provision(r->slices, scheme);
}

/* The three class rows (residential, non-residential, all) of figures f. */
static int emit_classes(const aging_sink *s, aging_row *base, const aging_figures f[2], provision_scheme scheme,
                        pc_err *e)
{
    for (int cls = 0; cls < 3; cls++) {
        aging_row r = *base;
        r.cls = (aging_class)cls;
        if (cls == AGING_CLASS_RESIDENTIAL)
            row_figures(&r, &f[1]);
        else if (cls == AGING_CLASS_NONRESIDENTIAL)
            row_figures(&r, &f[0]);
        else {
            aging_figures all = f[0];
            figures_add(&all, &f[1]);
            row_figures(&r, &all);
        }
        row_finish(&r, scheme);
        if (s->row(s->ctx, &r, e) != 0)
            return -1;
    }
    return 0;
}

static void node_row(aging_row *r, aging_row_kind kind, const tree_node *n)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    snprintf(r->level, sizeof r->level, "%s", n->n.level);
    snprintf(r->scope, sizeof r->scope, "%s", n->n.code);
    snprintf(r->scope_name, sizeof r->scope_name, "%s", n->n.name);
}

typedef struct {
    const aging_sink *s;
    const tree_node *unit;
    const marks *m;
    provision_scheme scheme;
    pc_err *e;
} detail_ctx;

static int customer_row(const detail_ctx *c, const char *code, const char *name, const char *address, int residential,
                        const char *status, int64_t documents, const int64_t slices[AGING_SLICES], pc_err *e)
{
    aging_row r;
    node_row(&r, AGING_ROW_ITEM, c->unit);
    snprintf(r.level, sizeof r.level, "customer");
    r.cls = residential ? AGING_CLASS_RESIDENTIAL : AGING_CLASS_NONRESIDENTIAL;
    snprintf(r.customer_code, sizeof r.customer_code, "%s", code);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.address, sizeof r.address, "%s", address);
    snprintf(r.case_status, sizeof r.case_status, "%s", status ? status : "");
    r.documents = documents;
    memcpy(r.slices, slices, sizeof r.slices);
    r.customers = 1;
    for (int k = 0; k < AGING_SLICES; k++)
        if (slices[k] > 0) {
            aging_bucket b = aging_bucket_of_slice((aging_slice)k);
            r.bucket_customers[b] = 1;
        }
    row_finish(&r, c->scheme);
    return c->s->row(c->s->ctx, &r, e);
}

static int live_customer(void *ctx, const aging_customer *a)
{
    const detail_ctx *c = ctx;
    const case_mark *m = mark_of(c->m, a->customer_id);
    return customer_row(c, a->code, a->name, a->address, a->residential, m ? m->status : "", m ? m->documents : 0,
                        a->slices, c->e);
}

static int snapshot_customers(db *d, const detail_ctx *c, pc_err *e)
{
    char view[48], *body = NULL;
    bool found = false;
    snprintf(view, sizeof view, "detail:%lld", (long long)c->unit->n.id);
    if (snapshot_get(d, c->unit->lock_id, view, &body, &found, e) != 0)
        return -1;
    json_error_t je;
    json_t *doc = found ? json_loads(body, 0, &je) : NULL;
    free(body);
    json_t *list = json_object_get(doc, "c");
    if (!json_is_array(list)) {
        json_decref(doc);
        return pc_errf(e, PC_EINTERNAL, "the detail snapshot of unit %s in lock %lld is missing or damaged",
                       c->unit->n.code, (long long)c->unit->lock_id);
    }
    size_t i;
    json_t *x;
    int rc = 0;
    json_array_foreach(list, i, x)
    {
        if (json_array_size(x) != 6 + AGING_SLICES) {
            rc = pc_errf(e, PC_EINTERNAL, "the snapshot of unit %s is damaged", c->unit->n.code);
            break;
        }
        int64_t slices[AGING_SLICES];
        for (int k = 0; k < AGING_SLICES; k++)
            slices[k] = json_integer_value(json_array_get(x, 6 + (size_t)k));
        if (customer_row(c, json_string_value(json_array_get(x, 0)), json_string_value(json_array_get(x, 1)),
                         json_string_value(json_array_get(x, 2)), (int)json_integer_value(json_array_get(x, 3)),
                         json_string_value(json_array_get(x, 4)), json_integer_value(json_array_get(x, 5)), slices,
                         e) != 0) {
            rc = -1;
            break;
        }
    }
    json_decref(doc);
    return rc;
}

static int emit_level(const tree *t, int depth, const aging_sink *s, provision_scheme scheme, pc_err *e)
{
    for (int i = 0; i < t->n; i++) {
        const tree_node *x = &t->v[i];
        if (x->depth != depth)
            continue;
        aging_row r;
        node_row(&r, AGING_ROW_ITEM, x);
        if (emit_classes(s, &r, x->f, scheme, e) != 0)
            return -1;
        /* the last item of its parent: the parent's subtotal */
        int next = i + 1;
        while (next < t->n && t->v[next].depth != depth)
            next++;
        if (x->parent >= 0 && (next == t->n || t->v[next].parent != x->parent)) {
            const tree_node *p = &t->v[x->parent];
            node_row(&r, AGING_ROW_SUBTOTAL, p);
            if (emit_classes(s, &r, p->f, scheme, e) != 0)
                return -1;
        }
    }
    return 0;
}

int aging_report_run(db *d, const aging_request *rq, const aging_sink *sink, pc_err *e)
{
    const char *by = rq->by ? rq->by : "unit";
    int by_depth = level_depth(by);
    if (by_depth < 1)
        return pc_errf(e, PC_EINVAL, "--by '%s' is not one of customer, unit, company, corporation", by);
    org_row scope;
    memset(&scope, 0, sizeof scope);
    if (rq->scope && org_get(d, rq->scope, &scope, e) != 0)
        return e->code == PC_ENOTFOUND ? pc_errf(e, PC_EINVAL, "--scope: no org node '%s'", rq->scope) : -1;
    if (rq->scope && by_depth < level_depth(scope.level))
        return pc_errf(e, PC_EINVAL, "--by %s is above the scope %s (a %s)", by, scope.code, scope.level);
    tree t;
    int rc = -1;
    marks m = {0};
    aging_query q;
    memset(&q, 0, sizeof q);
    if (tree_load(d, rq->scope ? scope.path : NULL, &t, e) != 0)
        goto out;
    int64_t lock_id = 0;
    if (tree_figures(d, &t, rq, rq->scope ? scope.path : NULL, &lock_id, e) != 0)
        goto out;
    aging_report_info info;
    memset(&info, 0, sizeof info);
    date_format(rq->as_of, info.as_of);
    snprintf(info.scope, sizeof info.scope, "%s", rq->scope ? scope.code : "");
    snprintf(info.scope_name, sizeof info.scope_name, "%s", rq->scope ? scope.name : "");
    snprintf(info.by, sizeof info.by, "%s", by);
    info.scheme = rq->scheme;
    info.lock_id = lock_id;
    if (sink->begin(sink->ctx, &info, e) != 0)
        goto out;
    if (by_depth == 4) {
        if (db_tx_depth(d) == 0 && db_streaming_reads(d, e) != 0)
            goto out;
        if (marks_load(d, &m, e) != 0)
            goto out;
        aging_query_of(rq->as_of, &q);
        if (aging_query_decide(d, &q, e) != 0)
            goto out;
        for (int i = 0; i < t.n; i++) {
            if (t.v[i].depth != 3)
                continue;
            detail_ctx c = {sink, &t.v[i], &m, rq->scheme, e};
            if (t.v[i].lock_id ? snapshot_customers(d, &c, e) != 0
                               : aging_customer_sums(d, t.v[i].n.id, &q, live_customer, &c, e) != 0)
                goto out;
        }
    } else if (emit_level(&t, by_depth, sink, rq->scheme, e) != 0)
        goto out;
    /* the whole scope: its node, or the roots of the tree */
    aging_figures total[2];
    memset(total, 0, sizeof total);
    for (int i = 0; i < t.n; i++)
        if (t.v[i].parent < 0) {
            figures_add(&total[0], &t.v[i].f[0]);
            figures_add(&total[1], &t.v[i].f[1]);
        }
    aging_row r;
    memset(&r, 0, sizeof r);
    r.kind = AGING_ROW_TOTAL;
    snprintf(r.level, sizeof r.level, "%s", rq->scope ? scope.level : "all");
    snprintf(r.scope, sizeof r.scope, "%s", rq->scope ? scope.code : "");
    snprintf(r.scope_name, sizeof r.scope_name, "%s", rq->scope ? scope.name : "");
    if (emit_classes(sink, &r, total, rq->scheme, e) != 0)
        goto out;
    rc = sink->end(sink->ctx, e);
out:
    aging_query_free(&q);
    free(m.v);
    tree_free(&t);
    return rc;
}

typedef struct {
    aging_invoice_row *v;
    int n, cap;
    civil_date as_of;
} invoice_list;

static int invoice_take(void *ctx, const open_bill *i)
{
    invoice_list *l = ctx;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        aging_invoice_row *v = realloc(l->v, sizeof *v * (size_t)cap);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    civil_date due;
    pc_err e = {0};
    if (date_parse(i->due_date, &due, &e) != 0)
        return -1;
    l->v[l->n].inv = *i;
    l->v[l->n++].bucket = aging_bucket_of(due, l->as_of);
    return 0;
}

int aging_invoices(db *d, const char *customer_code, civil_date as_of, customer *c, aging_invoice_row **rows, int *n,
                   pc_err *e)
{
    *rows = NULL;
    *n = 0;
    char day[DATE_FMT_MAX];
    date_format(as_of, day);
    if (customer_get(d, customer_code, day, c, e) != 0) {
        if (e->code != PC_ENOTFOUND)
            return -1;
        /* no contract in force that day (it starts later): its latest terms */
        *e = (pc_err){0};
        if (customer_get(d, customer_code, NULL, c, e) != 0)
            return -1;
    }
    invoice_list l = {NULL, 0, 0, as_of};
    if (aging_customer_invoices(d, c->id, day, invoice_take, &l, e) != 0) {
        free(l.v);
        return e->code != PC_OK ? -1 : pc_errf(e, PC_EINTERNAL, "out of memory or a bad due date");
    }
    *rows = l.v;
    *n = l.n;
    return 0;
}

/* ---- JSON ---- */

struct aging_json {
    FILE *f;
    buf *out;
    buf tail; /* subtotals and totals, written at the end */
    int items, subtotals, totals;
};

static void json_put(aging_json *j, const char *s)
{
    if (j->f)
        fputs(s, j->f);
    else
        buf_puts(j->out, s);
}

static json_t *row_object(const aging_row *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "scope", json_string(r->scope));
    json_object_set_new(o, "scope_name", json_string(r->scope_name));
    json_object_set_new(o, "level", json_string(r->level));
    json_object_set_new(o, "class", json_string(aging_class_field[r->cls]));
    if (strcmp(r->level, "customer") == 0) {
        json_object_set_new(o, "customer_code", json_string(r->customer_code));
        json_object_set_new(o, "name", json_string(r->name));
        json_object_set_new(o, "address", json_string(r->address));
        json_object_set_new(o, "case_status", r->case_status[0] ? json_string(r->case_status) : json_null());
        json_object_set_new(o, "documents", json_integer(r->documents));
    }
    json_object_set_new(o, "customers", json_integer(r->customers));
    for (int b = 0; b < AGING_BUCKETS; b++)
        json_object_set_new(o, aging_bucket_field[b], json_integer(r->amount[b]));
    json_object_set_new(o, "total", json_integer(r->total));
    json_object_set_new(o, "provision", json_integer(r->provision));
    if (strcmp(r->level, "customer") != 0) {
        json_t *bc = json_object(), *sh = json_object();
        for (int b = 0; b < AGING_BUCKETS; b++) {
            json_object_set_new(bc, aging_bucket_field[b], json_integer(r->bucket_customers[b]));
            /* percent of the row's total, two decimals */
            double pct = r->total ? round((double)r->amount[b] * 10000.0 / (double)r->total) / 100.0 : 0.0;
            json_object_set_new(sh, aging_bucket_field[b], json_real(pct));
        }
        json_object_set_new(o, "customers_by_bucket", bc);
        json_object_set_new(o, "share_pct", sh);
    }
    return o;
}

static int json_begin(void *ctx, const aging_report_info *info, pc_err *e)
{
    (void)e;
    aging_json *j = ctx;
    json_t *h = json_object();
    json_object_set_new(h, "report", json_string("aging"));
    json_object_set_new(h, "as_of", json_string(info->as_of));
    json_object_set_new(h, "scope", info->scope[0] ? json_string(info->scope) : json_null());
    json_object_set_new(h, "scope_name", info->scope[0] ? json_string(info->scope_name) : json_null());
    json_object_set_new(h, "by", json_string(info->by));
    json_object_set_new(h, "provision_scheme", json_string(provision_scheme_name(info->scheme)));
    json_object_set_new(h, "lock", info->lock_id > 0 ? json_integer(info->lock_id)
                                                     : info->lock_id < 0 ? json_string("partial") : json_null());
    char *s = json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(h);
    /* the header object without its closing brace, then the rows array */
    s[strlen(s) - 1] = '\0';
    json_put(j, s);
    json_put(j, ",\"rows\":[");
    free(s);
    return 0;
}

static int json_row(void *ctx, const aging_row *r, pc_err *e)
{
    (void)e;
    aging_json *j = ctx;
    json_t *o = row_object(r);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(o);
    if (r->kind == AGING_ROW_ITEM) {
        json_put(j, j->items++ ? ",\n" : "\n");
        json_put(j, s);
    } else {
        /* kept for the end: "S" subtotal / "T" total, one per line */
        buf_puts(&j->tail, r->kind == AGING_ROW_SUBTOTAL ? "S" : "T");
        buf_puts(&j->tail, s);
        buf_puts(&j->tail, "\n");
    }
    free(s);
    return 0;
}

static void json_tail_array(aging_json *j, char which)
{
    int n = 0;
    const char *p = j->tail.data;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        if (*p == which) {
            json_put(j, n++ ? ",\n" : "\n");
            buf line = {0};
            buf_append(&line, p + 1, (size_t)(nl - p - 1));
            json_put(j, line.data);
            buf_free(&line);
        }
        p = nl + 1;
    }
}

static int json_end(void *ctx, pc_err *e)
{
    aging_json *j = ctx;
    json_put(j, "],\"subtotals\":[");
    json_tail_array(j, 'S');
    json_put(j, "],\"totals\":[");
    json_tail_array(j, 'T');
    json_put(j, "]}\n");
    if (j->f && ferror(j->f))
        return pc_errf(e, PC_EIO, "writing the report failed");
    return 0;
}

aging_json *aging_json_open(FILE *f, buf *out)
{
    aging_json *j = calloc(1, sizeof *j);
    if (j) {
        j->f = f;
        j->out = out;
    }
    return j;
}

void aging_json_sink(aging_json *j, aging_sink *s)
{
    *s = (aging_sink){json_begin, json_row, json_end, j};
}

void aging_json_free(aging_json *j)
{
    if (!j)
        return;
    buf_free(&j->tail);
    free(j);
}

/* ---- CSV ---- */

struct aging_csv {
    FILE *f;
};

static int csv_begin(void *ctx, const aging_report_info *info, pc_err *e)
{
    (void)info;
    aging_csv *c = ctx;
    const char *h[] = {"row", "scope", "scope_name", "level", "class", "customer_code", "name", "address", "case_status",
                       "documents", "customers", "not_due", "lt_3m", "m3_6", "m6_12", "y1_2", "y2_3", "ge_3y", "total",
                       "provision"};
    if (csv_write_record(c->f, h, sizeof h / sizeof *h) != 0)
        return pc_errf(e, PC_EIO, "writing the report failed");
    return 0;
}

static int csv_row(void *ctx, const aging_row *r, pc_err *e)
{
    aging_csv *c = ctx;
    char nums[3 + AGING_BUCKETS + 2][24];
    int k = 0;
    snprintf(nums[k++], 24, "%lld", (long long)r->documents);
    snprintf(nums[k++], 24, "%lld", (long long)r->customers);
    for (int b = 0; b < AGING_BUCKETS; b++)
        snprintf(nums[k++], 24, "%lld", (long long)r->amount[b]);
    snprintf(nums[k++], 24, "%lld", (long long)r->total);
    snprintf(nums[k++], 24, "%lld", (long long)r->provision);
    int is_customer = strcmp(r->level, "customer") == 0;
    const char *kinds[] = {"item", "subtotal", "total"};
    const char *f[20] = {kinds[r->kind], r->scope, r->scope_name, r->level, aging_class_field[r->cls],
                         r->customer_code, r->name, r->address, r->case_status, is_customer ? nums[0] : ""};
    for (int i = 1; i < k; i++)
        f[9 + i] = nums[i];
    if (csv_write_record(c->f, f, 20) != 0)
        return pc_errf(e, PC_EIO, "writing the report failed");
    return 0;
}

static int csv_end(void *ctx, pc_err *e)
{
    aging_csv *c = ctx;
    return ferror(c->f) ? pc_errf(e, PC_EIO, "writing the report failed") : 0;
}

aging_csv *aging_csv_open(FILE *f)
{
    aging_csv *c = calloc(1, sizeof *c);
    if (c)
        c->f = f;
    return c;
}

void aging_csv_sink(aging_csv *c, aging_sink *s)
{
    *s = (aging_sink){csv_begin, csv_row, csv_end, c};
}

void aging_csv_free(aging_csv *c)
{
    free(c);
}

/* ---- XLSX ---- */

struct aging_xlsx_ctx {
    char path[1024];
    aging_xlsx *x;
};

static int xlsx_begin(void *ctx, const aging_report_info *info, pc_err *e)
{
    aging_xlsx_ctx *c = ctx;
    c->x = aging_xlsx_open(c->path, info, e);
    return c->x ? 0 : -1;
}

static int xlsx_row(void *ctx, const aging_row *r, pc_err *e)
{
    aging_xlsx_ctx *c = ctx;
    return aging_xlsx_row(c->x, r, e);
}

static int xlsx_end(void *ctx, pc_err *e)
{
    aging_xlsx_ctx *c = ctx;
    aging_xlsx *x = c->x;
    c->x = NULL;
    return aging_xlsx_close(x, e);
}

aging_xlsx_ctx *aging_xlsx_ctx_open(const char *path)
{
    aging_xlsx_ctx *c = calloc(1, sizeof *c);
    if (c)
        snprintf(c->path, sizeof c->path, "%s", path);
    return c;
}

void aging_xlsx_sink(aging_xlsx_ctx *x, aging_sink *s)
{
    *s = (aging_sink){xlsx_begin, xlsx_row, xlsx_end, x};
}

void aging_xlsx_ctx_free(aging_xlsx_ctx *x)
{
    if (!x)
        return;
    if (x->x)
        aging_xlsx_abort(x->x); /* a report that failed half-way leaves no file */
    free(x);
}

/* ---- trend ---- */

typedef struct {
    aging_trend_row *rows;
    int n;
    const char *month;
} trend_ctx;

static int trend_begin(void *ctx, const aging_report_info *info, pc_err *e)
{
    (void)ctx, (void)info, (void)e;
    return 0;
}

static int trend_row(void *ctx, const aging_row *r, pc_err *e)
{
    (void)e;
    trend_ctx *t = ctx;
    if (r->kind != AGING_ROW_TOTAL)
        return 0;
    aging_trend_row *x = &t->rows[t->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->month, sizeof x->month, "%s", t->month);
    x->cls = r->cls;
    x->customers = r->customers;
    memcpy(x->amount, r->amount, sizeof x->amount);
    x->total = r->total;
    x->provision = r->provision;
    return 0;
}

static int trend_end(void *ctx, pc_err *e)
{
    (void)ctx, (void)e;
    return 0;
}

int aging_trend(db *d, const char *scope, civil_month from, civil_month to, provision_scheme scheme,
                aging_trend_row **rows, int *n, pc_err *e)
{
    *rows = NULL;
    *n = 0;
    if (to < from)
        return pc_errf(e, PC_EINVAL, "--to is before --from");
    int months = 0;
    for (civil_month m = from; m <= to; m = month_add(m, 1))
        months++;
    if (months > 240)
        return pc_errf(e, PC_EINVAL, "a trend covers at most 240 months");
    trend_ctx t = {calloc((size_t)months * 3, sizeof(aging_trend_row)), 0, NULL};
    if (!t.rows)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    aging_sink s = {trend_begin, trend_row, trend_end, &t};
    for (civil_month m = from; m <= to; m = month_add(m, 1)) {
        char month[MONTH_FMT_MAX];
        month_format(m, month);
        t.month = month;
        int before = t.n;
        aging_request rq = {month_last_day(m), scope, "unit", scheme, false};
        if (aging_report_run(d, &rq, &s, e) != 0) {
            free(t.rows);
            return -1;
        }
        for (int i = before; i < t.n; i++)
            date_format(month_last_day(m), t.rows[i].as_of);
    }
    *rows = t.rows;
    *n = t.n;
    return 0;
}

/* ---- snapshots for locks ---- */

typedef struct {
    json_t *list;
    const marks *m;
} snap_ctx;

static int snap_customer(void *ctx, const aging_customer *a)
{
    snap_ctx *c = ctx;
    const case_mark *m = mark_of(c->m, a->customer_id);
    json_t *x = json_array();
    json_array_append_new(x, json_string(a->code));
    json_array_append_new(x, json_string(a->name));
    json_array_append_new(x, json_string(a->address));
    json_array_append_new(x, json_integer(a->residential));
    json_array_append_new(x, json_string(m ? m->status : ""));
    json_array_append_new(x, json_integer(m ? m->documents : 0));
    for (int k = 0; k < AGING_SLICES; k++)
        json_array_append_new(x, json_integer(a->slices[k]));
    json_array_append_new(c->list, x);
    return 0;
}

/* The snapshot bodies of every unit below node_code as of as_of, computed live: view "unit:ID"
 * (the unit's figures) and "detail:ID" (its customers), given to fn one by one. Shared by storing
 * a lock's snapshot and by checking later that it still holds. */
typedef int (*snapshot_body_fn)(void *ctx, const char *view, const char *unit_code, const char *body, pc_err *e);

static int snapshot_units(db *d, const char *node_code, civil_date as_of, provision_scheme scheme,
                          snapshot_body_fn fn, void *ctx, pc_err *e)
{
    org_row node;
    if (org_get(d, node_code, &node, e) != 0)
        return -1;
    tree t;
    marks m = {0};
    int rc = -1;
    aging_query q;
    memset(&q, 0, sizeof q);
    if (tree_load(d, node.path, &t, e) != 0)
        goto out;
    aging_request live = {as_of, node_code, "unit", scheme, true};
    int64_t ignored;
    if (tree_figures(d, &t, &live, node.path, &ignored, e) != 0 || marks_load(d, &m, e) != 0)
        goto out;
    aging_query_of(as_of, &q);
    if (aging_query_decide(d, &q, e) != 0)
        goto out;
    for (int i = 0; i < t.n; i++) {
        tree_node *u = &t.v[i];
        if (u->depth != 3)
            continue;
        json_t *o = json_object();
        json_t *f = json_array();
        json_array_append_new(f, figures_json(&u->f[0]));
        json_array_append_new(f, figures_json(&u->f[1]));
        json_object_set_new(o, "f", f);
        json_t *det = json_object();
        snap_ctx c = {json_array(), &m};
        json_object_set_new(det, "c", c.list);
        if (aging_customer_sums(d, u->n.id, &q, snap_customer, &c, e) != 0) {
            json_decref(o);
            json_decref(det);
            goto out;
        }
        for (int v = 0; v < 2; v++) {
            char *body = json_dumps(v ? det : o, JSON_COMPACT | JSON_PRESERVE_ORDER);
            char view[48];
            snprintf(view, sizeof view, "%s:%lld", v ? "detail" : "unit", (long long)u->n.id);
            int w = body ? fn(ctx, view, u->n.code, body, e) : pc_errf(e, PC_EINTERNAL, "out of memory");
            free(body);
            if (w != 0) {
                json_decref(o);
                json_decref(det);
                goto out;
            }
        }
        json_decref(o);
        json_decref(det);
    }
    rc = 0;
out:
    aging_query_free(&q);
    free(m.v);
    tree_free(&t);
    return rc;
}

typedef struct {
    db *d;
    int64_t lock_id;
} store_ctx;

static int store_body(void *ctx, const char *view, const char *unit_code, const char *body, pc_err *e)
{
    (void)unit_code;
    store_ctx *x = ctx;
    return snapshot_insert(x->d, x->lock_id, view, body, e);
}

int aging_snapshot_store(db *d, int64_t lock_id, const char *node_code, civil_date as_of, provision_scheme scheme,
                         pc_err *e)
{
    store_ctx x = {d, lock_id};
    if (snapshot_units(d, node_code, as_of, scheme, store_body, &x, e) != 0)
        return -1;
    /* the node's report by unit as it reads now from the snapshots just stored */
    buf out = {0};
    aging_json *j = aging_json_open(NULL, &out);
    aging_sink s;
    aging_json_sink(j, &s);
    aging_request rq = {as_of, node_code, "unit", scheme, false};
    int r = aging_report_run(d, &rq, &s, e);
    aging_json_free(j);
    if (r == 0)
        r = snapshot_insert(d, lock_id, "report", out.data ? out.data : "", e);
    buf_free(&out);
    return r;
}
