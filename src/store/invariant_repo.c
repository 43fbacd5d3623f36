/* The ledger's invariants as queries (store/invariants.h). */
#include "store/invariants.h"

#include <stdio.h>
#include <string.h>

static int each(db_stmt *s, int nv, invariant_fn fn, void *ctx, pc_err *e)
{
    int rc, status = 0;
    while ((rc = db_step(s, e)) == 1) {
        invariant_row r;
        memset(&r, 0, sizeof r);
        snprintf(r.what, sizeof r.what, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
        for (int i = 0; i < nv; i++)
            r.v[i] = db_col_int(s, i + 1);
        if ((status = fn(ctx, &r)) != 0)
            break;
    }
    db_reset(s);
    return rc < 0 ? -1 : status;
}

/* Prepaid (028, docs/prepaid.md): top-ups and their reversals go to the prepaid balance, not to
 * invoices, so they are no payment here; credit moved into a prepaid balance (opening) or back out
 * of it (settlement) still counts as the customer's credit.
 * Two sums are not what the tables hold as such (docs/cli.md, invoice adjust/replace):
 * - a payment of channel 'credit' is customer credit applied to an invoice, not money received:
 *   it lowers an open item and the credit alike (a -amount credit row), so it is no payment here;
 * - a replaced invoice is cancelled: the credit of its total (source 'invoice') stands for it, so
 *   its total is billed no more (its replacement's is). */
int invariant_ledger(db *d, invariant_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT c.code, COALESCE(i.t, 0) - COALESCE(r.t, 0), COALESCE(p.t, 0), COALESCE(j.t, 0), COALESCE(o.t, 0), "
        "COALESCE(k.t, 0) "
        "FROM customer c "
        "LEFT JOIN (SELECT customer_id, sum(total) AS t FROM invoice GROUP BY customer_id) i ON i.customer_id = c.id "
        "LEFT JOIN (SELECT n.customer_id, sum(x.total) AS t FROM invoice n JOIN invoice x ON x.id = n.refers_to "
        "           AND x.customer_id = n.customer_id WHERE n.kind = 'replacing' GROUP BY n.customer_id) r "
        "  ON r.customer_id = c.id "
        "LEFT JOIN (SELECT customer_id, sum(amount) AS t FROM payment WHERE channel <> 'credit' "
        "           AND NOT EXISTS (SELECT 1 FROM prepaid_ledger l WHERE l.payment_id = payment.id) "
        "           GROUP BY customer_id) p "
        "  ON p.customer_id = c.id "
        "LEFT JOIN (SELECT customer_id, sum(amount) AS t FROM debt_adjustment GROUP BY customer_id) j "
        "  ON j.customer_id = c.id "
        "LEFT JOIN (SELECT customer_id, sum(open) AS t FROM open_item GROUP BY customer_id) o ON o.customer_id = c.id "
        "LEFT JOIN (SELECT customer_id, sum(amount) AS t FROM customer_credit WHERE source <> 'solar' "
        "           GROUP BY customer_id) k ON k.customer_id = c.id "
        "LEFT JOIN (SELECT customer_id, sum(amount) AS t FROM prepaid_ledger WHERE kind IN ('opening', 'settlement') "
        "           GROUP BY customer_id) v ON v.customer_id = c.id "
        "WHERE COALESCE(i.t, 0) - COALESCE(r.t, 0) - COALESCE(p.t, 0) + COALESCE(j.t, 0) "
        "   <> COALESCE(o.t, 0) - COALESCE(k.t, 0) - COALESCE(v.t, 0) "
        "ORDER BY c.code",
        e);
    return s ? each(s, 5, fn, ctx, e) : -1;
}

/* An invoice with what it still asks for, before clamping at 0. */
#define INVOICE_OWED                                                                                               \
    "SELECT i.id, i.symbol, i.number, i.total, i.credit_applied, COALESCE(a.t, 0) AS allocated, "                 \
    "COALESCE(j.t, 0) AS adjusted, i.total - i.credit_applied - COALESCE(a.t, 0) + COALESCE(j.t, 0) AS owed "     \
    "FROM invoice i "                                                                                              \
    "LEFT JOIN (SELECT invoice_id, sum(amount) AS t FROM payment_alloc GROUP BY invoice_id) a ON a.invoice_id = i.id " \
    "LEFT JOIN (SELECT invoice_id, sum(amount) AS t FROM debt_adjustment GROUP BY invoice_id) j ON j.invoice_id = i.id"

int invariant_open_items(db *d, invariant_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT x.symbol || '/' || x.number, CASE WHEN x.owed > 0 THEN x.owed ELSE 0 END, "
                            "COALESCE(o.open, 0) FROM (" INVOICE_OWED ") x LEFT JOIN open_item o ON o.invoice_id = x.id "
                            "WHERE COALESCE(o.open, 0) <> CASE WHEN x.owed > 0 THEN x.owed ELSE 0 END "
                            "ORDER BY x.symbol, x.number",
                            e);
    return s ? each(s, 2, fn, ctx, e) : -1;
}

/* An adjusting invoice with a negative total asks for nothing: its amount became customer credit
 * (owed < 0 is its normal state); nothing may be allocated, credited or adjusted on it. */
int invariant_invoice_allocation(db *d, invariant_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT x.symbol || '/' || x.number, x.total, x.credit_applied, x.allocated, x.adjusted "
                            "FROM (" INVOICE_OWED ") x WHERE (x.total >= 0 AND x.owed < 0) OR (x.total < 0 AND "
                            "(x.credit_applied <> 0 OR x.allocated <> 0 OR x.adjusted <> 0)) "
                            "ORDER BY x.symbol, x.number",
                            e);
    return s ? each(s, 4, fn, ctx, e) : -1;
}

int invariant_payment_allocation(db *d, invariant_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT p.receipt_no, p.amount, a.t FROM payment p "
                            "JOIN (SELECT payment_id, sum(amount) AS t FROM payment_alloc GROUP BY payment_id) a "
                            "  ON a.payment_id = p.id "
                            "WHERE (p.amount > 0 AND (a.t > p.amount OR a.t < 0)) "
                            "   OR (p.amount < 0 AND (a.t < p.amount OR a.t > 0)) ORDER BY p.id",
                            e);
    return s ? each(s, 2, fn, ctx, e) : -1;
}

int invariant_series(db *d, invariant_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d,
                            "SELECT s.symbol, s.last_number, count(i.number), count(DISTINCT i.number), "
                            "COALESCE(min(i.number), 0), COALESCE(max(i.number), 0) "
                            "FROM einvoice_series s LEFT JOIN invoice i ON i.symbol = s.symbol "
                            "GROUP BY s.symbol, s.last_number "
                            "HAVING count(i.number) <> s.last_number OR count(DISTINCT i.number) <> s.last_number "
                            "    OR COALESCE(max(i.number), 0) <> s.last_number "
                            "    OR (s.last_number > 0 AND min(i.number) <> 1) ORDER BY s.symbol",
                            e);
    return s ? each(s, 5, fn, ctx, e) : -1;
}

int invariant_locked_months(db *d, invariant_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT l.period || ' ' || n.code || ' ' || x.kind || ' ' || x.ref FROM report_lock l "
        "JOIN org_node n ON n.id = l.org_id "
        "JOIN (SELECT 'invoice' AS kind, i.symbol || '/' || i.number AS ref, i.customer_id, i.issue_date AS day, "
        "             i.created_at FROM invoice i "
        "      UNION ALL SELECT 'payment', p.receipt_no, p.customer_id, p.paid_date, p.created_at FROM payment p "
        "      UNION ALL SELECT 'adjustment', CAST(j.id AS TEXT), j.customer_id, j.adj_date, j.created_at "
        "                FROM debt_adjustment j "
        "      UNION ALL SELECT 'allocation', p.receipt_no, p.customer_id, a.alloc_date, p.created_at "
        "                FROM payment_alloc a JOIN payment p ON p.id = a.payment_id) x "
        "  ON substr(x.day, 1, 7) = l.period AND x.created_at > l.locked_at "
        "JOIN customer c ON c.id = x.customer_id "
        "JOIN org_node u ON u.id = c.unit_id AND substr(u.path, 1, length(n.path)) = n.path "
        "WHERE NOT EXISTS (SELECT 1 FROM report_unlock k WHERE k.lock_id = l.id) "
        "ORDER BY l.period, n.code, x.kind, x.ref",
        e);
    return s ? each(s, 0, fn, ctx, e) : -1;
}

int invariant_prepaid_balance(db *d, invariant_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.code, a.balance, COALESCE(l.t, 0) FROM prepaid_account a "
                               "JOIN customer c ON c.id = a.customer_id "
                               "LEFT JOIN (SELECT customer_id, sum(amount) AS t FROM prepaid_ledger GROUP BY customer_id) l "
                               "ON l.customer_id = a.customer_id WHERE a.balance <> COALESCE(l.t, 0) ORDER BY c.code", e);
    return s ? each(s, 2, fn, ctx, e) : -1;
}

/* The fresh sum runs over the same reads the charge run counts: ok or approved, not an initial
 * index, with consumption, dated from the charge month's first day and since through
 * last_charge_day. */
int invariant_prepaid_sums(db *d, invariant_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT c.code, a.sum_kwh, COALESCE(f.kwh, 0), a.sum_reads, COALESCE(f.n, 0) FROM prepaid_account a "
        "JOIN customer c ON c.id = a.customer_id "
        "LEFT JOIN (SELECT b.customer_id, COALESCE(sum(COALESCE(r.kwh_total, r.kwh_normal + r.kwh_peak + "
        "  r.kwh_offpeak)), 0) AS kwh, COALESCE(sum(r.kwh_normal), 0) AS kn, COALESCE(sum(r.kwh_peak), 0) AS kp, "
        "  COALESCE(sum(r.kwh_offpeak), 0) AS ko, count(*) AS n, count(*) - count(r.kwh_total) AS nr, "
        "  min(r.read_date) AS first, max(r.read_date) AS last, max(r.id) AS last_id "
        "  FROM prepaid_account b JOIN meter_read r ON r.customer_id = b.customer_id "
        "  WHERE b.resum = 0 AND r.read_date >= b.charge_month || '-01' AND r.read_date >= b.since "
        "  AND r.read_date <= b.last_charge_day AND r.status IN ('ok', 'approved') AND r.kind <> 'initial' "
        "  AND (r.kwh_total IS NOT NULL OR r.kwh_normal IS NOT NULL) GROUP BY b.customer_id) f "
        "  ON f.customer_id = a.customer_id "
        "WHERE a.resum = 0 AND (a.sum_kwh <> COALESCE(f.kwh, 0) OR a.sum_normal <> COALESCE(f.kn, 0) "
        "  OR a.sum_peak <> COALESCE(f.kp, 0) OR a.sum_offpeak <> COALESCE(f.ko, 0) OR a.sum_reads <> COALESCE(f.n, 0) "
        "  OR a.sum_reg_reads <> COALESCE(f.nr, 0) OR a.sum_first <> COALESCE(f.first, '') "
        "  OR a.sum_last <> COALESCE(f.last, '') OR a.sum_last_id <> COALESCE(f.last_id, 0)) "
        "ORDER BY c.code",
        e);
    return s ? each(s, 4, fn, ctx, e) : -1;
}
