/* Aging sums over the open items (schema/013, 016). Two sources of items:
 * - now: the open_item cache, when nothing dated after the as-of date has changed an open
 *   amount (one ordered pass of the open_item_aging index);
 * - history: the cache plus what allocations and adjustments dated after the as-of date took
 *   off (or put on), and the invoices settled since then (DOMAIN 9: the debt as it stood). */
#include <stdio.h>
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

int aging_unit_sums(db *d, const char *scope_path, const aging_query *q, aging_unit_fn fn, void *ctx, pc_err *e)
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

int aging_customer_sums(db *d, int64_t unit_id, const aging_query *q, aging_customer_fn fn, void *ctx, pc_err *e)
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
