/* Phân kỳ control benchmark (issue 7): N non-residential customers (default 200,000) and M
 * residential ones (default as many) across the demo tree, with 3 months of invoices each (two or
 * three invoices a month for customers read 2 or 3 times), a legacy receivable for one customer
 * in ten; then the report as JSON to /dev/null and the summary function alone (what the daily
 * digest calls), whole tree and one company. POWERCIS_BENCH_DB (postgresql://…) runs it on
 * PostgreSQL, else SQLite in a temporary folder. Usage: bench_phanky [NONRES] [RESIDENTIAL] [MONTHS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/org.h"
#include "app/phanky_report.h"
#include "base/date.h"
#include "bench_data.h"
#include "store/invoices.h"
#include "store/legacy.h"

#define AS_OF "2026-09-30"

static void die(const pc_err *e)
{
    bench_die("bench_phanky", e);
}

static int count_row(void *ctx, const phanky_row *r, pc_err *e)
{
    (void)r, (void)e;
    ++*(int64_t *)ctx;
    return 0;
}

/* The summary (and exception rows counted, not written) for a scope; returns seconds. */
static double summary(db *d, const char *scope, bool exceptions, phanky_summary *sum, int64_t *rows)
{
    pc_err e = {0};
    phanky_request rq = {0, scope, phanky_rules_default(), exceptions};
    date_parse(AS_OF, &rq.as_of, &e);
    *rows = 0;
    double t0 = monotonic_seconds();
    if (phanky_run(d, &rq, count_row, rows, sum, &e) != 0)
        die(&e);
    return monotonic_seconds() - t0;
}

int main(int argc, char **argv)
{
    int64_t nonres = argc > 1 ? atoll(argv[1]) : 200000;
    int64_t res = argc > 2 ? atoll(argv[2]) : nonres;
    int months = argc > 3 ? atoi(argv[3]) : 3;
    if (months < 1 || months > 24)
        months = 3;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/phanky.db", dir);
    const char *target = getenv("POWERCIS_BENCH_DB");
    const char *engine = target ? "PostgreSQL" : "SQLite";
    if (!target)
        target = path;
    pc_err e = {0};
    db *d;
    if (db_open(target, &d, &e) != 0)
        die(&e);
    double t0 = monotonic_seconds();

    /* the demo's tree */
    demo_rng r;
    demo_rng_init(&r, 7);
    demo_tree t;
    demo_tree_make(&r, &t);
    org_row row;
    int64_t unit_ids[64];
    if (db_begin(d, &e) != 0 || org_add(d, "bench", "PA", "Tổng công ty", NULL, &row, &e) != 0)
        die(&e);
    for (int c = 1; c <= t.companies; c++) {
        char code[16];
        snprintf(code, sizeof code, "PA%02d", c % 100);
        if (org_add(d, "bench", code, "Công ty", NULL, &row, &e) != 0)
            die(&e);
    }
    for (int u = 0; u < t.nunits; u++) {
        if (org_add(d, "bench", t.units[u].code, t.units[u].name, NULL, &row, &e) != 0)
            die(&e);
        unit_ids[u] = row.id;
    }
    if (db_commit(d, &e) != 0)
        die(&e);

    /* Customers and contracts through the bulk path, invoices through the billing run's writer,
     * 10,000 customers a transaction. Customer i (1-based) is non-residential for i ≤ nonres. */
    enum { CHUNK = 10000 };
    static int64_t cids[CHUNK];
    static const char *const purposes[] = {"production", "business", "administrative_public", "administrative_other"};
    int64_t total = nonres + res, invoices = 0, number = 0, legacy = 0;
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    invoice_row *inv = calloc(1, sizeof *inv);
    if (!inv)
        abort();
    strcpy(inv->kind, "regular");
    uint64_t x = 88172645463325252ull;
    if (db_begin(d, &e) != 0)
        die(&e);
    db_bulk *bc = db_bulk_open(d, "customer", "id, code, unit_id, name, address, phone, route, status, created_at, updated_at", 10, &e);
    db_bulk *bk = bc ? db_bulk_open(d, "contract", "customer_id, valid_from, purpose, voltage, households, renter, persons, tou, "
                                    "payment_mode, payment_term_days, periods_per_month, est_kwh_month, created_at", 13, &e) : NULL;
    invoice_writer *w = bk ? invoice_writer_open(d, "bench", &e) : NULL;
    if (!w)
        die(&e);
    for (int64_t i = 1; i <= total; i++) {
        int k = (int)((i - 1) % CHUNK);
        if (k == 0) {
            int64_t left = total - i + 1 < CHUNK ? total - i + 1 : CHUNK;
            if (db_reserve_ids(d, "customer", (int)left, cids, &e) != 0)
                die(&e);
        }
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        bool nr = i <= nonres;
        int u = (int)(i % t.nunits);
        char code[16], name[64];
        snprintf(code, sizeof code, "%s%07lld", t.units[u].code, (long long)(i % 10000000));
        snprintf(name, sizeof name, "%s %lld", nr ? "Công ty TNHH" : "Hộ", (long long)i);
        db_bulk_int(bc, cids[k]);
        db_bulk_text(bc, code);
        db_bulk_int(bc, unit_ids[u]);
        db_bulk_text(bc, name);
        db_bulk_text(bc, "Số 1, đường Trần Hưng Đạo");
        db_bulk_text(bc, NULL);
        db_bulk_text(bc, NULL);
        db_bulk_text(bc, "active");
        db_bulk_text(bc, ts);
        db_bulk_text(bc, ts);
        if (db_bulk_row(bc, &e) != 0)
            die(&e);
        /* averages spread around the thresholds: 20,000 to 140,000 kWh a month */
        int64_t avg = nr ? 20000 + (int64_t)(x % 120000) : 50 + (int64_t)(x % 400);
        int ppm = nr ? 1 + (int)((x >> 20) % 3) : 1;
        db_bulk_int(bk, cids[k]);
        db_bulk_text(bk, "2025-01-01");
        db_bulk_text(bk, nr ? purposes[(x >> 8) % 4] : "residential");
        db_bulk_text(bk, nr ? "<6kV" : NULL);
        db_bulk_int(bk, 1);
        db_bulk_int(bk, 0);
        db_bulk_text(bk, NULL);
        db_bulk_int(bk, 0);
        db_bulk_text(bk, "postpaid");
        db_bulk_int(bk, 7);
        db_bulk_int(bk, ppm);
        db_bulk_int(bk, avg);
        db_bulk_text(bk, ts);
        if (db_bulk_row(bk, &e) != 0)
            die(&e);
        inv->customer_id = cids[k];
        inv->unit_id = unit_ids[u];
        inv->residential = !nr;
        strcpy(inv->symbol, "1K26TAA");
        for (int m = 0; m < months; m++) {
            civil_month cm = month_add(202609, m - months + 1);
            for (int p = 0; p < ppm; p++) {
                month_format(cm, inv->period);
                date_format(month_first_day(cm) + p * 10, inv->from_date);
                date_format(month_first_day(cm) + p * 10 + 9, inv->to_date);
                date_format(month_last_day(cm), inv->issue_date);
                date_format(month_last_day(cm) + 7, inv->due_date);
                inv->number = ++number;
                inv->kwh = avg / ppm + (int64_t)((x >> (m % 8 * 7 + p)) % 101) - 50;
                inv->energy = inv->kwh * 2000;
                inv->vat_rate = 8;
                inv->vat = inv->energy * 8 / 100;
                inv->total = inv->energy + inv->vat;
                if (invoice_writer_add(w, inv, NULL, 0, &e) != 0)
                    die(&e);
                invoices++;
            }
        }
        if (nr && i % 10 == 0) { /* a receivable from the old system: no billed month */
            strcpy(inv->symbol, LEGACY_SYMBOL);
            inv->number = ++legacy;
            snprintf(inv->period, sizeof inv->period, "2026-09");
            inv->kwh = 0;
            if (invoice_writer_add(w, inv, NULL, 0, &e) != 0)
                die(&e);
        }
        if (k == CHUNK - 1 || i == total) {
            if (db_bulk_flush(bc, &e) != 0 || db_bulk_flush(bk, &e) != 0 || invoice_writer_flush(w, &e) != 0 ||
                db_commit(d, &e) != 0 || db_begin(d, &e) != 0)
                die(&e);
        }
    }
    db_bulk_close(bc);
    db_bulk_close(bk);
    invoice_writer_close(w);
    free(inv);
    if (db_commit(d, &e) != 0 || db_exec(d, "ANALYZE", &e) != 0)
        die(&e);
    printf("phanky data, %s: %lld non-residential + %lld residential customers, %d months, %lld invoices, %lld legacy "
           "| %.1f s | -\n",
           engine, (long long)nonres, (long long)res, months, (long long)invoices, (long long)legacy,
           monotonic_seconds() - t0);

    /* the report as the CLI writes it, JSON to /dev/null */
    FILE *devnull = fopen("/dev/null", "w");
    phanky_request rq = {0, NULL, phanky_rules_default(), false};
    date_parse(AS_OF, &rq.as_of, &e);
    double r0 = monotonic_seconds();
    if (!devnull || phanky_report_write(d, &rq, "json", devnull, NULL, &e) != 0)
        die(&e);
    printf("phanky report, %s, %lld non-residential customers, %d months billed, every row as JSON | %.2f s | <= 2 s\n",
           engine, (long long)nonres, months, monotonic_seconds() - r0);
    rq.exceptions_only = true;
    r0 = monotonic_seconds();
    if (phanky_report_write(d, &rq, "json", devnull, NULL, &e) != 0)
        die(&e);
    printf("phanky report, %s, --exceptions as JSON | %.2f s | <= 2 s\n", engine, monotonic_seconds() - r0);
    fclose(devnull);

    phanky_summary sum;
    int64_t rows;
    double s = summary(d, NULL, true, &sum, &rows);
    printf("phanky summary (digest), %s, whole tree: %lld checked, %lld exceptions, %d units | %.2f s | <= 2 s\n", engine,
           (long long)sum.totals.checked, (long long)rows, sum.nunits, s);
    phanky_summary_free(&sum);
    s = summary(d, "PA01", true, &sum, &rows);
    printf("phanky summary (digest), %s, one company (PA01): %lld checked | %.2f s | -\n", engine,
           (long long)sum.totals.checked, s);
    phanky_summary_free(&sum);
    db_close(d);
    if (getenv("BENCH_KEEP"))
        fprintf(stderr, "kept %s\n", path);
    else if (!getenv("POWERCIS_BENCH_DB")) {
        char side[620];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    if (!getenv("BENCH_KEEP"))
        rmdir(dir);
    return 0;
}
