/* SQL of the read-control figures (see phanky.h): one ordered pass each, the grouping in C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/adjust.h"
#include "store/legacy.h"
#include "store/phanky.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

/* The invoices of one customer and one period, while they are read. */
#define MONTH_INVOICES 64
typedef struct {
    int64_t id, refers_to, kwh;
    char kind; /* 'r' regular, 'a' adjusting, 'p' replacing */
} month_invoice;

static int64_t month_kwh(const month_invoice *inv, int n)
{
    /* An invoice replaced by a replacing one no longer counts, nor any adjustment of it: the
     * replacing invoice states the period's consumption anew (the latest one, if replaced twice). */
    int64_t sum = 0;
    for (int i = 0; i < n; i++) {
        int64_t original = inv[i].kind == 'r' ? inv[i].id : inv[i].refers_to;
        int superseded = 0;
        for (int j = 0; j < n && !superseded; j++)
            superseded = j != i && inv[j].kind == 'p' && inv[j].refers_to == original &&
                         (inv[i].kind != 'p' || inv[j].id > inv[i].id);
        if (!superseded)
            sum += inv[i].kwh;
    }
    return sum < 0 ? 0 : sum;
}

typedef struct {
    phanky_consumption c;
    int open;                  /* a customer is being gathered */
    char period[8];            /* the period being gathered */
    month_invoice inv[MONTH_INVOICES];
    int ninv;
} gather;

static void close_month(gather *g)
{
    if (!g->period[0])
        return;
    if (g->c.months < PHANKY_MONTHS) {
        memcpy(g->c.period[g->c.months], g->period, sizeof g->period);
        g->c.kwh[g->c.months] = month_kwh(g->inv, g->ninv);
        g->c.months++;
    }
    g->period[0] = '\0';
    g->ninv = 0;
}

int phanky_consumption_scan(db *d, const char *scope_path, const char *as_of, const char *first_period,
                            const char *last_period, phanky_consumption_fn fn, void *ctx, pc_err *e)
{
    /* Customers in the order of their key, each with its invoices of the window newest period
     * first: the customer table is read in its own order (no jump per customer, as the code
     * index would make) and the covering index invoice_consumption (018) serves each customer's
     * invoices, so nothing is sorted. The caller orders what it shows. */
    db_stmt *s = db_prepare(
        d,
        "SELECT cu.id, cu.code, cu.name, u.code, k.periods_per_month, i.period, i.id, i.kind, i.refers_to, i.kwh "
        "FROM customer cu "
        "JOIN org_node u ON u.id = cu.unit_id "
        "JOIN contract k ON k.customer_id = cu.id AND k.valid_from = "
        " (SELECT max(c2.valid_from) FROM contract c2 WHERE c2.customer_id = cu.id AND c2.valid_from <= ?) "
        "LEFT JOIN invoice i ON i.customer_id = cu.id AND i.period >= ? AND i.period <= ? "
        " AND i.symbol <> '" LEGACY_SYMBOL "' AND i.symbol <> '" ADJUST_TRANSFER_SYMBOL "' "
        "WHERE cu.status = 'active' AND k.purpose <> 'residential' "
        " AND (? IS NULL OR substr(u.path, 1, length(CAST(? AS TEXT))) = ?) "
        "ORDER BY cu.id, i.period DESC",
        e);
    if (!s)
        return -1;
    db_bind_text(s, 1, as_of);
    db_bind_text(s, 2, first_period);
    db_bind_text(s, 3, last_period);
    db_bind_text(s, 4, scope_path);
    db_bind_text(s, 5, scope_path);
    db_bind_text(s, 6, scope_path);
    gather *g = calloc(1, sizeof *g); /* large (names, invoices): not on the stack */
    if (!g)
        abort();
    int rc, status = 0;
    while ((rc = db_step(s, e)) == 1) {
        int64_t id = db_col_int(s, 0);
        if (!g->open || id != g->c.customer_id) {
            if (g->open) {
                close_month(g);
                if (fn(ctx, &g->c, e) != 0) {
                    status = -1;
                    break;
                }
            }
            memset(&g->c, 0, sizeof g->c);
            g->open = 1;
            g->period[0] = '\0';
            g->ninv = 0;
            g->c.customer_id = id;
            COPY(g->c.customer_code, db_col_text(s, 1));
            COPY(g->c.customer_name, db_col_text(s, 2));
            COPY(g->c.unit, db_col_text(s, 3));
            g->c.configured = (int)db_col_int(s, 4);
        }
        if (db_col_null(s, 5))
            continue; /* no invoice in the window */
        const char *period = db_col_text(s, 5);
        if (strcmp(period, g->period) != 0) {
            close_month(g);
            if (g->c.months == PHANKY_MONTHS)
                continue; /* older months: not needed */
            COPY(g->period, period);
        }
        if (g->ninv < MONTH_INVOICES) {
            month_invoice *m = &g->inv[g->ninv++];
            m->id = db_col_int(s, 6);
            const char *kind = db_col_text(s, 7);
            m->kind = kind && kind[0] == 'a' ? 'a' : kind && strcmp(kind, "replacing") == 0 ? 'p' : 'r';
            m->refers_to = db_col_int(s, 8);
            m->kwh = db_col_int(s, 9);
        }
    }
    if (rc < 0)
        status = -1;
    if (status == 0 && g->open) {
        close_month(g);
        status = fn(ctx, &g->c, e);
    }
    db_reset(s);
    free(g);
    return status;
}

int amr_meter_scan(db *d, const char *scope_path, const char *first, const char *last, amr_meter_fn fn, void *ctx,
                   pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT u.code, m.amr, k.periods_per_month, "
        " CASE WHEN m.amr = 1 THEN (SELECT count(DISTINCT r.read_date) FROM meter_read r "
        "   WHERE r.customer_id = cu.id AND r.meter_id = m.id AND r.read_date >= ? AND r.read_date <= ? "
        "   AND r.kind = 'regular' AND (r.source = 'amr' OR r.source LIKE 'amr:%')) ELSE 0 END "
        "FROM meter m "
        "JOIN customer cu ON cu.id = m.customer_id "
        "JOIN org_node u ON u.id = cu.unit_id "
        "JOIN contract k ON k.customer_id = cu.id AND k.valid_from = "
        " (SELECT max(c2.valid_from) FROM contract c2 WHERE c2.customer_id = cu.id AND c2.valid_from <= ?) "
        "WHERE cu.status = 'active' AND m.installed_on <= ? AND (m.removed_on IS NULL OR m.removed_on > ?) "
        " AND (? IS NULL OR substr(u.path, 1, length(CAST(? AS TEXT))) = ?) "
        "ORDER BY u.code",
        e);
    if (!s)
        return -1;
    db_bind_text(s, 1, first);
    db_bind_text(s, 2, last);
    db_bind_text(s, 3, last);
    db_bind_text(s, 4, last);
    db_bind_text(s, 5, last);
    db_bind_text(s, 6, scope_path);
    db_bind_text(s, 7, scope_path);
    db_bind_text(s, 8, scope_path);
    int rc, status = 0;
    while ((rc = db_step(s, e)) == 1) {
        amr_meter m;
        COPY(m.unit, db_col_text(s, 0));
        m.amr = (int)db_col_int(s, 1);
        m.periods_per_month = (int)db_col_int(s, 2);
        m.received = db_col_int(s, 3);
        if (fn(ctx, &m, e) != 0) {
            status = -1;
            break;
        }
    }
    if (rc < 0)
        status = -1;
    db_reset(s);
    return status;
}
