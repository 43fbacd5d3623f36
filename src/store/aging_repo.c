/* Aging sums over the open items (schema/013, 016). Two sources of items:
 * - now: the open_item cache, when nothing dated after the as-of date has changed an open
 *   amount (one ordered pass of the open_item_aging index);
 * - history: the cache plus what allocations and adjustments dated after the as-of date took
 *   off (or put on), and the invoices settled since then (DOMAIN 9: the debt as it stood). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/aging.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

/* What was cleared (+) or added by adjustment (-) after the as-of date, per invoice. */
#define BACK                                                                                                       \
    "SELECT invoice_id, sum(amount) AS back FROM (SELECT invoice_id, amount FROM payment_alloc WHERE alloc_date > ? " \
    "UNION ALL SELECT invoice_id, -amount FROM debt_adjustment WHERE adj_date > ?) m GROUP BY invoice_id"
#define CLASS_OF(cust)                                                                                             \
    "COALESCE((SELECT CASE WHEN k.purpose = 'residential' THEN 1 ELSE 0 END FROM contract k WHERE k.customer_id = " \
    cust " ORDER BY k.valid_from DESC LIMIT 1), 1)"
#define ITEMS_NOW "SELECT unit_id, customer_id, residential, due_date, open AS amt FROM open_item WHERE issue_date <= ?"
#define ITEMS_HISTORY                                                                                             \
    "SELECT o.unit_id, o.customer_id, o.residential, o.due_date, o.open + COALESCE(b.back, 0) AS amt "            \
    "FROM open_item o LEFT JOIN (" BACK ") b ON b.invoice_id = o.invoice_id WHERE o.issue_date <= ? "              \
    "UNION ALL SELECT i.unit_id, i.customer_id, " CLASS_OF("i.customer_id") ", i.due_date, b.back "                \
    "FROM (" BACK ") b JOIN invoice i ON i.id = b.invoice_id WHERE i.issue_date <= ? "                              \
    "AND NOT EXISTS (SELECT 1 FROM open_item o2 WHERE o2.invoice_id = b.invoice_id)"
/* The slice of each item: thresholds as ISO dates (text comparison is date order). */
#define SLICE                                                                                                      \
    "CASE WHEN x.due_date >= ? THEN 0 WHEN x.due_date > ? THEN 1 WHEN x.due_date > ? THEN 2 WHEN x.due_date > ? " \
    "THEN 3 WHEN x.due_date > ? THEN 4 WHEN x.due_date > ? THEN 5 WHEN x.due_date > ? THEN 6 ELSE 7 END"
#define SUMS                                                                                                       \
    "sum(CASE WHEN y.s = 0 THEN y.amt ELSE 0 END) AS s0, sum(CASE WHEN y.s = 1 THEN y.amt ELSE 0 END) AS s1, "    \
    "sum(CASE WHEN y.s = 2 THEN y.amt ELSE 0 END) AS s2, sum(CASE WHEN y.s = 3 THEN y.amt ELSE 0 END) AS s3, "    \
    "sum(CASE WHEN y.s = 4 THEN y.amt ELSE 0 END) AS s4, sum(CASE WHEN y.s = 5 THEN y.amt ELSE 0 END) AS s5, "    \
    "sum(CASE WHEN y.s = 6 THEN y.amt ELSE 0 END) AS s6, sum(CASE WHEN y.s = 7 THEN y.amt ELSE 0 END) AS s7"
/* Per customer of each unit; `filter` restricts the units. */
#define PER_CUSTOMER(items, filter)                                                                                \
    "SELECT y.unit_id, y.customer_id, max(y.residential) AS r, " SUMS " FROM (SELECT x.unit_id, x.customer_id, "   \
    "x.residential, x.amt, " SLICE " AS s FROM (" items ") x WHERE x.amt > 0 AND " filter ") y "                    \
    "GROUP BY y.unit_id, y.customer_id"
#define SCOPE_FILTER                                                                                               \
    "x.unit_id IN (SELECT id FROM org_node WHERE ? IS NULL OR substr(path, 1, length(CAST(? AS TEXT))) = ?)"
#define POSITIVE(c) "sum(CASE WHEN " c " > 0 THEN 1 ELSE 0 END)"
#define PER_UNIT(items)                                                                                            \
    "SELECT z.unit_id, z.r, count(*), " POSITIVE("z.s0") ", " POSITIVE("z.s1") ", " POSITIVE("z.s2") ", "          \
    POSITIVE("z.s3 + z.s4") ", " POSITIVE("z.s5") ", " POSITIVE("z.s6") ", " POSITIVE("z.s7") ", "                 \
    "sum(z.s0), sum(z.s1), sum(z.s2), sum(z.s3), sum(z.s4), sum(z.s5), sum(z.s6), sum(z.s7) "                      \
    "FROM (" PER_CUSTOMER(items, SCOPE_FILTER) ") z GROUP BY z.unit_id, z.r ORDER BY z.unit_id, z.r"

void aging_query_of(civil_date as_of, aging_query *q)
{
    memset(q, 0, sizeof *q);
    aging_cutoffs c;
    aging_cutoffs_of(as_of, &c);
    date_format(as_of, q->as_of);
    for (int k = 0; k < AGING_CUTS; k++)
        date_format(c.reached[k], q->reached[k]);
    q->history = true;
}

int aging_query_decide(db *d, aging_query *q, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT EXISTS (SELECT 1 FROM payment_alloc WHERE alloc_date > ?) "
                               "OR EXISTS (SELECT 1 FROM debt_adjustment WHERE adj_date > ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, q->as_of);
    db_bind_text(s, 2, q->as_of);
    int rc = db_step(s, e);
    if (rc == 1) {
        /* PostgreSQL returns a boolean as "t"/"f" */
        const char *t = db_col_text(s, 0);
        q->history = t && (t[0] == 't' || t[0] == '1');
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* Binds the slice thresholds, then the item source's dates, from index i; returns the next. */
static int bind_query(db_stmt *s, int i, const aging_query *q)
{
    db_bind_text(s, i++, q->as_of);
    for (int k = 0; k < AGING_CUTS; k++)
        db_bind_text(s, i++, q->reached[k]);
    if (q->history) {
        for (int k = 0; k < 2; k++) {
            db_bind_text(s, i++, q->as_of); /* BACK: alloc_date > */
            db_bind_text(s, i++, q->as_of); /* BACK: adj_date > */
            db_bind_text(s, i++, q->as_of); /* issue_date <= */
        }
    } else
        db_bind_text(s, i++, q->as_of);
    return i;
}

static int unit_sums_sql(db *d, const char *scope_path, const aging_query *q, aging_unit_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, q->history ? PER_UNIT(ITEMS_HISTORY) : PER_UNIT(ITEMS_NOW), e);
    if (!s)
        return -1;
    int i = bind_query(s, 1, q);
    db_bind_text(s, i++, scope_path);
    db_bind_text(s, i++, scope_path);
    db_bind_text(s, i++, scope_path);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        aging_figures f;
        memset(&f, 0, sizeof f);
        f.customers = db_col_int(s, 2);
        for (int b = 0; b < AGING_BUCKETS; b++)
            f.bucket_customers[b] = db_col_int(s, 3 + b);
        for (int k = 0; k < AGING_SLICES; k++)
            f.slices[k] = db_col_int(s, 10 + k);
        if (fn(ctx, db_col_int(s, 0), (int)db_col_int(s, 1), &f) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

static int customer_sums_sql(db *d, int64_t unit_id, const aging_query *q, aging_customer_fn fn, void *ctx,
                             pc_err *e)
{
#define PER_CUSTOMER_OF_UNIT(items)                                                                                \
    "SELECT z.customer_id, c.code, c.name, c.address, z.r, z.s0, z.s1, z.s2, z.s3, z.s4, z.s5, z.s6, z.s7 FROM ("  \
    PER_CUSTOMER(items, "x.unit_id = ?") ") z JOIN customer c ON c.id = z.customer_id ORDER BY c.code"
    db_stmt *s = db_prepare(d, q->history ? PER_CUSTOMER_OF_UNIT(ITEMS_HISTORY) : PER_CUSTOMER_OF_UNIT(ITEMS_NOW), e);
    if (!s)
        return -1;
    int i = bind_query(s, 1, q);
    db_bind_int(s, i, unit_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        aging_customer c;
        memset(&c, 0, sizeof c);
        c.customer_id = db_col_int(s, 0);
        COPY(c.code, db_col_text(s, 1));
        COPY(c.name, db_col_text(s, 2));
        COPY(c.address, db_col_text(s, 3));
        c.residential = (int)db_col_int(s, 4);
        for (int k = 0; k < AGING_SLICES; k++)
            c.slices[k] = db_col_int(s, 5 + k);
        if (fn(ctx, &c) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- SQLite: the sums in C over one ordered pass ----
 * SQLite evaluates the CASE sums above row by row in its bytecode, several times slower than
 * reading the covering index in order and summing here; PostgreSQL aggregates in parallel and
 * would have to ship every row, so it keeps the SQL. Both are tested against the same cases. */

/* what was cleared (+) or added by adjustment (-) after the as-of date, per invoice */
typedef struct {
    int64_t *keys, *vals;
    size_t cap, n;
} back_map;

static size_t back_slot(const back_map *m, int64_t key)
{
    size_t h = (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ull) & (m->cap - 1);
    while (m->keys[h] && m->keys[h] != key)
        h = (h + 1) & (m->cap - 1);
    return h;
}

static int back_put(back_map *m, int64_t key, int64_t val)
{
    if ((m->n + 1) * 2 > m->cap) {
        back_map g = {calloc(m->cap ? m->cap * 2 : 1024, sizeof(int64_t)), calloc(m->cap ? m->cap * 2 : 1024, sizeof(int64_t)),
                      m->cap ? m->cap * 2 : 1024, 0};
        if (!g.keys || !g.vals) {
            free(g.keys);
            free(g.vals);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t h = back_slot(&g, m->keys[i]);
                g.keys[h] = m->keys[i];
                g.vals[h] = m->vals[i];
                g.n++;
            }
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    size_t h = back_slot(m, key);
    if (!m->keys[h]) {
        m->keys[h] = key;
        m->n++;
    }
    m->vals[h] = val;
    return 0;
}

static int64_t back_get(const back_map *m, int64_t key)
{
    if (!m->cap)
        return 0;
    size_t h = back_slot(m, key);
    return m->keys[h] ? m->vals[h] : 0;
}

static int back_load(db *d, const aging_query *q, back_map *m, pc_err *e)
{
    db_stmt *s = db_prepare(d, BACK, e);
    if (!s)
        return -1;
    db_bind_text(s, 1, q->as_of);
    db_bind_text(s, 2, q->as_of);
    int rc;
    while ((rc = db_step(s, e)) == 1)
        if (back_put(m, db_col_int(s, 0), db_col_int(s, 1)) != 0) {
            db_reset(s);
            return pc_errf(e, PC_EINTERNAL, "out of memory");
        }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

static int slice_of_text(const char *due, const aging_query *q)
{
    if (strcmp(due, q->as_of) >= 0)
        return AGING_S_NOT_DUE;
    int k = 0;
    while (k < AGING_CUTS && strcmp(due, q->reached[k]) <= 0)
        k++;
    return AGING_S_LT_3M + k;
}

/* One customer's open items in one unit, summed. */
typedef struct {
    int64_t unit_id, customer_id;
    int residential;
    int64_t slices[AGING_SLICES];
} customer_acc;
typedef int (*customer_acc_fn)(void *ctx, const customer_acc *a);

#define STREAM_SCOPE "unit_id IN (SELECT id FROM org_node WHERE ? IS NULL OR substr(path, 1, length(CAST(? AS TEXT))) = ?)"
#define STREAM_A(filter)                                                                                           \
    "SELECT unit_id, customer_id, residential, due_date, open, invoice_id FROM open_item WHERE issue_date <= ? AND " \
    filter " ORDER BY unit_id, customer_id"
/* the invoices settled since the as-of date: open then, gone from the open items now */
#define STREAM_B(filter)                                                                                           \
    "SELECT unit_id, customer_id, r, due_date, back FROM (SELECT i.unit_id, i.customer_id, " CLASS_OF("i.customer_id") \
    " AS r, i.due_date, b.back FROM (" BACK ") b JOIN invoice i ON i.id = b.invoice_id WHERE i.issue_date <= ? "     \
    "AND NOT EXISTS (SELECT 1 FROM open_item o2 WHERE o2.invoice_id = b.invoice_id)) x WHERE " filter                 \
    " ORDER BY unit_id, customer_id"

static void bind_filter(db_stmt *s, int i, const char *scope_path, int64_t unit_id)
{
    if (unit_id)
        db_bind_int(s, i, unit_id);
    else
        for (int k = 0; k < 3; k++)
            db_bind_text(s, i + k, scope_path);
}

/* The settled-since rows of one unit come from the cache: a sorted array. */
typedef struct {
    int64_t unit_id, customer_id;
    int residential;
    char due[11];
    int64_t back;
} settled_row;

struct aging_history {
    back_map m;
    settled_row *rows;
    size_t n;
};

void aging_query_free(aging_query *q)
{
    if (!q->cache)
        return;
    free(q->cache->m.keys);
    free(q->cache->m.vals);
    free(q->cache->rows);
    free(q->cache);
    q->cache = NULL;
}

static int history_load(db *d, aging_query *q, pc_err *e)
{
    if (q->cache)
        return 0;
    struct aging_history *h = calloc(1, sizeof *h);
    if (!h)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    q->cache = h;
    if (back_load(d, q, &h->m, e) != 0)
        return -1;
    db_stmt *b = db_prepare(d, STREAM_B(STREAM_SCOPE), e);
    if (!b)
        return -1;
    for (int i = 1; i <= 3; i++)
        db_bind_text(b, i, q->as_of);
    bind_filter(b, 4, NULL, 0);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(b, e)) == 1) {
        if (h->n == cap) {
            cap = cap ? cap * 2 : 1024;
            settled_row *v = realloc(h->rows, sizeof *v * cap);
            if (!v) {
                db_reset(b);
                return pc_errf(e, PC_EINTERNAL, "out of memory");
            }
            h->rows = v;
        }
        settled_row *r = &h->rows[h->n++];
        r->unit_id = db_col_int(b, 0);
        r->customer_id = db_col_int(b, 1);
        r->residential = db_col_int(b, 2) != 0;
        COPY(r->due, db_col_text(b, 3));
        r->back = db_col_int(b, 4);
    }
    db_reset(b);
    return rc < 0 ? -1 : 0;
}

static int stream_customers(db *d, const char *scope_path, int64_t unit_id, const aging_query *cq, customer_acc_fn fn,
                            void *ctx, pc_err *e)
{
    aging_query *q = (aging_query *)cq; /* only its cache is filled in */
    back_map m = {0};
    db_stmt *a = NULL, *b = NULL;
    int rc = -1;
    /* a unit's detail reads the cache; a scope's sums, made once per report, query directly */
    const settled_row *sr = NULL, *sr_end = NULL;
    if (q->history && unit_id) {
        if (history_load(d, q, e) != 0)
            goto out;
        m = q->cache->m;
        size_t lo = 0, hi = q->cache->n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (q->cache->rows[mid].unit_id < unit_id)
                lo = mid + 1;
            else
                hi = mid;
        }
        sr = q->cache->rows + lo;
        sr_end = sr;
        while (sr_end < q->cache->rows + q->cache->n && sr_end->unit_id == unit_id)
            sr_end++;
    } else if (q->history && back_load(d, q, &m, e) != 0)
        goto out;
    a = db_prepare(d, unit_id ? STREAM_A("unit_id = ?") : STREAM_A(STREAM_SCOPE), e);
    if (!a)
        goto out;
    db_bind_text(a, 1, q->as_of);
    bind_filter(a, 2, scope_path, unit_id);
    if (q->history && !unit_id) {
        b = db_prepare(d, STREAM_B(STREAM_SCOPE), e);
        if (!b)
            goto out;
        db_bind_text(b, 1, q->as_of);
        db_bind_text(b, 2, q->as_of);
        db_bind_text(b, 3, q->as_of);
        bind_filter(b, 4, scope_path, unit_id);
    }
    /* the second stream: the statement (a scope) or the cached rows (a unit) */
    settled_row cur;
    int rb = 0;
#define NEXT_B()                                                                                                   \
    do {                                                                                                           \
        if (b) {                                                                                                   \
            rb = db_step(b, e);                                                                                    \
            if (rb == 1) {                                                                                         \
                cur.unit_id = db_col_int(b, 0);                                                                    \
                cur.customer_id = db_col_int(b, 1);                                                                \
                cur.residential = db_col_int(b, 2) != 0;                                                           \
                COPY(cur.due, db_col_text(b, 3));                                                                  \
                cur.back = db_col_int(b, 4);                                                                       \
            }                                                                                                      \
        } else if (sr && sr < sr_end) {                                                                            \
            cur = *sr++;                                                                                           \
            rb = 1;                                                                                                \
        } else                                                                                                     \
            rb = 0;                                                                                                \
    } while (0)
    int ra = db_step(a, e);
    NEXT_B();
    customer_acc acc;
    memset(&acc, 0, sizeof acc);
    bool any = false;
    while (ra == 1 || rb == 1) {
        /* the smaller (unit, customer) of the two streams goes first */
        bool from_a;
        if (ra == 1 && rb == 1) {
            int64_t ua = db_col_int(a, 0);
            from_a = ua < cur.unit_id || (ua == cur.unit_id && db_col_int(a, 1) <= cur.customer_id);
        } else
            from_a = ra == 1;
        int64_t unit = from_a ? db_col_int(a, 0) : cur.unit_id, customer = from_a ? db_col_int(a, 1) : cur.customer_id;
        int64_t amount = from_a ? db_col_int(a, 4) : cur.back;
        if (from_a && q->history)
            amount += back_get(&m, db_col_int(a, 5));
        if (any && (unit != acc.unit_id || customer != acc.customer_id)) {
            if (fn(ctx, &acc) != 0)
                goto out;
            memset(&acc, 0, sizeof acc);
            any = false;
        }
        if (amount > 0) {
            acc.unit_id = unit;
            acc.customer_id = customer;
            acc.residential |= from_a ? db_col_int(a, 2) != 0 : cur.residential;
            acc.slices[slice_of_text(from_a ? db_col_text(a, 3) : cur.due, q)] += amount;
            any = true;
        }
        if (from_a)
            ra = db_step(a, e);
        else
            NEXT_B();
    }
#undef NEXT_B
    if (ra < 0 || rb < 0)
        goto out;
    if (any && fn(ctx, &acc) != 0)
        goto out;
    rc = 0;
out:
    if (a)
        db_reset(a);
    if (b)
        db_reset(b);
    if (!(q->cache && m.keys == q->cache->m.keys)) {
        free(m.keys);
        free(m.vals);
    }
    return rc;
}

typedef struct {
    aging_unit_fn fn;
    void *ctx;
    int64_t unit_id;
    aging_figures f[2];
    bool seen[2];
} unit_acc;

static int unit_flush(unit_acc *u)
{
    for (int r = 0; r < 2; r++)
        if (u->seen[r] && u->fn(u->ctx, u->unit_id, r, &u->f[r]) != 0)
            return -1;
    memset(u->f, 0, sizeof u->f);
    u->seen[0] = u->seen[1] = false;
    return 0;
}

static int unit_take(void *ctx, const customer_acc *a)
{
    unit_acc *u = ctx;
    if (a->unit_id != u->unit_id && unit_flush(u) != 0)
        return -1;
    u->unit_id = a->unit_id;
    aging_figures *f = &u->f[a->residential];
    u->seen[a->residential] = true;
    f->customers++;
    int64_t b[AGING_BUCKETS];
    aging_buckets_of_slices(a->slices, b);
    for (int k = 0; k < AGING_BUCKETS; k++)
        f->bucket_customers[k] += b[k] > 0;
    for (int k = 0; k < AGING_SLICES; k++)
        f->slices[k] += a->slices[k];
    return 0;
}

typedef struct {
    aging_customer *v;
    size_t n, cap;
} customer_list;

static int list_take(void *ctx, const customer_acc *a)
{
    customer_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        aging_customer *v = realloc(l->v, sizeof *v * cap);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    aging_customer *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    c->customer_id = a->customer_id;
    c->residential = a->residential;
    memcpy(c->slices, a->slices, sizeof c->slices);
    return 0;
}

static int by_code(const void *x, const void *y)
{
    return strcmp(((const aging_customer *)x)->code, ((const aging_customer *)y)->code);
}

static void customer_names(db_stmt *s, aging_customer *c)
{
    COPY(c->code, db_col_text(s, 1));
    COPY(c->name, db_col_text(s, 2));
    COPY(c->address, db_col_text(s, 3));
}

/* The unit's customers with debt, by code: the sums, then their names from one ordered pass
 * over the unit's customers (one look-up each for a customer that has moved unit since). */
static int customer_sums_stream(db *d, int64_t unit_id, const aging_query *q, aging_customer_fn fn, void *ctx,
                                pc_err *e)
{
    customer_list l = {0};
    int rc = -1;
    if (stream_customers(d, NULL, unit_id, q, list_take, &l, e) != 0) {
        if (e && e->code == PC_OK)
            pc_errf(e, PC_EINTERNAL, "out of memory");
        goto out;
    }
    if (l.n == 0) {
        rc = 0;
        goto out;
    }
    db_stmt *s = db_prepare(d, "SELECT id, code, name, address FROM customer WHERE unit_id = ? AND id >= ? ORDER BY id", e);
    if (!s)
        goto out;
    db_bind_int(s, 1, unit_id);
    db_bind_int(s, 2, l.v[0].customer_id);
    size_t i = 0;
    int r;
    while (i < l.n && (r = db_step(s, e)) == 1) {
        int64_t id = db_col_int(s, 0);
        while (i < l.n && l.v[i].customer_id < id)
            i++; /* named below */
        if (i < l.n && l.v[i].customer_id == id)
            customer_names(s, &l.v[i++]);
    }
    db_reset(s);
    for (i = 0; i < l.n; i++)
        if (!l.v[i].code[0]) {
            db_stmt *one = db_prepare(d, "SELECT id, code, name, address FROM customer WHERE id = ?", e);
            if (!one)
                goto out;
            db_bind_int(one, 1, l.v[i].customer_id);
            if (db_step(one, e) == 1)
                customer_names(one, &l.v[i]);
            db_reset(one);
        }
    qsort(l.v, l.n, sizeof *l.v, by_code);
    for (i = 0; i < l.n; i++)
        if (fn(ctx, &l.v[i]) != 0)
            goto out;
    rc = 0;
out:
    free(l.v);
    return rc;
}

int aging_unit_sums(db *d, const char *scope_path, const aging_query *q, aging_unit_fn fn, void *ctx, pc_err *e)
{
    if (db_engine_of(d) == DB_POSTGRES)
        return unit_sums_sql(d, scope_path, q, fn, ctx, e);
    unit_acc u = {fn, ctx, 0, {{0}}, {false, false}};
    if (stream_customers(d, scope_path, 0, q, unit_take, &u, e) != 0)
        return -1;
    return unit_flush(&u);
}

int aging_customer_sums(db *d, int64_t unit_id, const aging_query *q, aging_customer_fn fn, void *ctx, pc_err *e)
{
    if (db_engine_of(d) == DB_POSTGRES)
        return customer_sums_sql(d, unit_id, q, fn, ctx, e);
    return customer_sums_stream(d, unit_id, q, fn, ctx, e);
}

int aging_customer_invoices(db *d, int64_t customer_id, const char *as_of, open_bill_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d,
        "SELECT x.id, x.symbol, x.number, x.period, x.issue_date, x.due_date, x.total, x.o FROM (SELECT i.id, i.symbol, "
        "i.number, i.period, i.issue_date, i.due_date, i.total, i.total - i.credit_applied "
        "  - COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id AND a.alloc_date <= ?), 0) "
        "  + COALESCE((SELECT sum(j.amount) FROM debt_adjustment j WHERE j.invoice_id = i.id AND j.adj_date <= ?), 0) AS o "
        "  FROM invoice i WHERE i.customer_id = ? AND i.issue_date <= ?) x WHERE x.o > 0 "
        "ORDER BY x.due_date, x.symbol, x.number", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, as_of);
    db_bind_text(s, 2, as_of);
    db_bind_int(s, 3, customer_id);
    db_bind_text(s, 4, as_of);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        open_bill v;
        open_bill_from(s, 0, &v);
        if (fn(ctx, &v) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int aging_plain_sql_total(db *d, const aging_query *q, int64_t *total, pc_err *e)
{
    /* What a report writer would write against the invoices: the open amount of each invoice
     * as of the date from its allocations and adjustments, bucketed with CASE, grouped by unit. */
    db_stmt *s = db_prepare(d,
        "SELECT sum(t) FROM (SELECT x.unit_id, "
        "sum(CASE WHEN x.due_date >= ? THEN x.o ELSE 0 END) + sum(CASE WHEN x.due_date < ? THEN x.o ELSE 0 END) AS t "
        "FROM (SELECT i.unit_id, i.due_date, i.total - i.credit_applied "
        "  - COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id AND a.alloc_date <= ?), 0) "
        "  + COALESCE((SELECT sum(j.amount) FROM debt_adjustment j WHERE j.invoice_id = i.id AND j.adj_date <= ?), 0) AS o "
        "  FROM invoice i WHERE i.issue_date <= ?) x WHERE x.o > 0 GROUP BY x.unit_id) g", e);
    if (!s)
        return -1;
    for (int i = 1; i <= 5; i++)
        db_bind_text(s, i, q->as_of);
    int rc = db_step(s, e);
    if (rc == 1)
        *total = db_col_int(s, 0);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
