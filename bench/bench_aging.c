/* Aging benchmark (issue 6): N open invoices (default 5,000,000) over 1/5 as many customers, due
 * dates spread over five years so every bucket fills; then the aging summary by unit (as of the
 * last day, and as of a month earlier with a month of payments to add back), the plain GROUP BY
 * a report writer would write over the invoices (same data, same run), a lock of the whole
 * corporation and the locked month's report from its snapshot, and the detail of every customer
 * to XLSX in a child process (its own peak memory). POWERCIS_BENCH_DB (postgresql://…) runs it on
 * PostgreSQL, else SQLite in a temporary folder. Usage: bench_aging [INVOICES] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/aging_report.h"
#include "app/locks.h"
#include "base/date.h"
#include "bench_data.h"
#include "store/aging.h"
#include "store/invoices.h"

#define AS_OF "2026-10-31"

static void die(const pc_err *e)
{
    bench_die("bench_aging", e);
}

static int discard_begin(void *ctx, const aging_report_info *i, pc_err *e)
{
    (void)ctx, (void)i, (void)e;
    return 0;
}
static int count_row(void *ctx, const aging_row *r, pc_err *e)
{
    (void)e;
    if (r->kind == AGING_ROW_TOTAL && r->cls == AGING_CLASS_ALL)
        ((int64_t *)ctx)[0] = r->total;
    ((int64_t *)ctx)[1]++;
    return 0;
}
static int discard_end(void *ctx, pc_err *e)
{
    (void)ctx, (void)e;
    return 0;
}

/* The summary by unit for the whole tree; returns seconds, the grand total in *total. */
static double summary(db *d, const char *as_of, int64_t *total)
{
    pc_err e = {0};
    civil_date day;
    date_parse(as_of, &day, &e);
    int64_t acc[2] = {0, 0};
    aging_sink s = {discard_begin, count_row, discard_end, acc};
    aging_request rq = {day, NULL, "unit", PROVISION_GENERAL, false};
    double t0 = monotonic_seconds();
    if (aging_report_run(d, &rq, &s, &e) != 0)
        die(&e);
    *total = acc[0];
    return monotonic_seconds() - t0;
}

/* bench_aging --xlsx-child TARGET FILE: the detail of every customer to FILE; prints the seconds
 * and the peak resident memory in MB. */
static int xlsx_child(const char *target, const char *xlsx)
{
    db *c;
    pc_err ce = {0};
    if (db_open(target, &c, &ce) != 0)
        die(&ce);
    civil_date day;
    date_parse(AS_OF, &day, &ce);
    aging_xlsx_ctx *xc = aging_xlsx_ctx_open(xlsx);
    aging_sink s;
    aging_xlsx_sink(xc, &s);
    aging_request rq = {day, NULL, "customer", PROVISION_GENERAL, false};
    double c0 = monotonic_seconds();
    if (aging_report_run(c, &rq, &s, &ce) != 0)
        die(&ce);
    double secs = monotonic_seconds() - c0;
    aging_xlsx_ctx_free(xc);
    db_close(c);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%.1f %.0f\n", secs, (double)ru.ru_maxrss / 1024.0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--xlsx-child") == 0)
        return xlsx_child(argv[2], argv[3]);
    int64_t ninv = argc > 1 ? atoll(argv[1]) : 5000000;
    int64_t ncust = ninv / 5 > 0 ? ninv / 5 : 1;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/aging.db", dir);
    const char *target = getenv("POWERCIS_BENCH_DB");
    const char *engine = target ? "PostgreSQL" : "SQLite";
    if (!target)
        target = path;
    pc_err e = {0};
    db *d;
    if (db_open(target, &d, &e) != 0)
        die(&e);
    demo_tree t;
    double t0 = monotonic_seconds();
    bench_build(d, ncust, &t);
    /* the unit of every customer */
    int64_t *unit_of = calloc((size_t)ncust + 1, sizeof *unit_of);
    db_stmt *q = db_prepare(d, "SELECT id, unit_id FROM customer", &e);
    if (!unit_of || !q)
        die(&e);
    while (db_step(q, &e) == 1) {
        int64_t id = db_col_int(q, 0);
        if (id >= 1 && id <= ncust)
            unit_of[id] = db_col_int(q, 1);
    }
    db_reset(q);
    /* five invoices a customer, due dates from five years back to a month ahead */
    invoice_row inv;
    memset(&inv, 0, sizeof inv);
    strcpy(inv.kind, "regular");
    strcpy(inv.symbol, "1K26TBN");
    civil_date end, start;
    date_parse(AS_OF, &end, &e);
    start = date_add_months(end, -60);
    int span = date_days_between(start, end) + 30;
    uint64_t x = 88172645463325252ull;
    if (db_begin(d, &e) != 0)
        die(&e);
    invoice_writer *w = invoice_writer_open(d, "bench", &e);
    if (!w)
        die(&e);
    for (int64_t i = 1; i <= ninv; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        inv.customer_id = (i - 1) % ncust + 1;
        inv.unit_id = unit_of[inv.customer_id];
        inv.residential = inv.customer_id % 10 != 0;
        inv.number = i;
        civil_date due = start + (civil_date)(x % (uint64_t)span);
        civil_date issue = due - 7;
        date_format(due, inv.due_date);
        date_format(issue, inv.issue_date);
        civil_month m = month_of(issue);
        month_format(m, inv.period);
        date_format(month_first_day(m), inv.from_date);
        date_format(month_last_day(m), inv.to_date);
        inv.total = inv.energy = 50000 + (int64_t)(x % 2000000);
        if (invoice_writer_add(w, &inv, NULL, 0, &e) != 0)
            die(&e);
        if (i % 5000 == 0 && (invoice_writer_flush(w, &e) != 0 || db_commit(d, &e) != 0 || db_begin(d, &e) != 0))
            die(&e);
    }
    if (invoice_writer_flush(w, &e) != 0 || db_commit(d, &e) != 0)
        die(&e);
    invoice_writer_close(w);
    /* A month of payments after the earlier as-of date: allocations a report of that date adds
     * back (timing only: the open items are left as they are). */
    int64_t nalloc = ninv / 10;
    if (db_begin(d, &e) != 0)
        die(&e);
    db_bulk *a = db_bulk_open(d, "payment_alloc", "payment_id, invoice_id, amount, alloc_date", 4, &e);
    if (!a)
        die(&e);
    for (int64_t i = 1; i <= nalloc; i++) {
        db_bulk_int(a, i);
        db_bulk_int(a, i * 10);
        db_bulk_int(a, 1000);
        db_bulk_text(a, "2026-10-15");
        if (db_bulk_row(a, &e) != 0 || (i % 50000 == 0 && db_bulk_flush(a, &e) != 0))
            die(&e);
    }
    if (db_bulk_flush(a, &e) != 0 ||
        db_exec(d, "UPDATE open_item SET open = open - 1000 WHERE invoice_id IN (SELECT invoice_id FROM payment_alloc)",
                &e) != 0 ||
        db_commit(d, &e) != 0)
        die(&e);
    db_bulk_close(a);
    if (db_exec(d, db_engine_of(d) == DB_POSTGRES ? "ANALYZE" : "ANALYZE", &e) != 0)
        die(&e);
    printf("aging data, %s: %lld customers, %lld open invoices, %lld later allocations | %.1f s | -\n", engine,
           (long long)ncust, (long long)ninv, (long long)nalloc, monotonic_seconds() - t0);

    int64_t total_now, total_before, plain_before = 0;
    double s_now = summary(d, AS_OF, &total_now);
    printf("aging summary by unit, %s, as of %s (open items as they are) | %.2f s | <= %s\n", engine, AS_OF, s_now,
           db_engine_of(d) == DB_POSTGRES ? "1 s" : "2 s");
    double s_before = summary(d, "2026-09-30", &total_before);
    printf("aging summary by unit, %s, as of 2026-09-30 (adds back %lld later allocations) | %.2f s | -\n", engine,
           (long long)nalloc, s_before);
    aging_query aq;
    civil_date before_day;
    date_parse("2026-09-30", &before_day, &e);
    aging_query_of(before_day, &aq);
    double p0 = monotonic_seconds();
    if (aging_plain_sql_total(d, &aq, &plain_before, &e) != 0)
        die(&e);
    printf("plain SQL: one GROUP BY with CASE over the invoices and their allocations, %s, as of 2026-09-30 | %.2f s | "
           "for comparison (totals %s)\n",
           engine, monotonic_seconds() - p0, plain_before == total_before ? "agree" : "DIFFER");

    /* lock the corporation's September (a past month), then read its report from the snapshot */
    double l0 = monotonic_seconds();
    int64_t lock_id;
    if (lock_period(d, "PA", "2026-09", NULL, "bench", &lock_id, &e) != 0)
        die(&e);
    printf("lock the corporation's month (snapshot of %lld customers' detail) | %.1f s | -\n", (long long)ncust,
           monotonic_seconds() - l0);
    int64_t total_snap;
    double s_snap = summary(d, "2026-09-30", &total_snap);
    printf("aging summary by unit, %s, locked month from its snapshot | %.1f ms | <= 20 ms (totals %s)\n", engine,
           s_snap * 1000, total_snap == total_before ? "agree" : "DIFFER");
    db_close(d);

    /* the detail of every customer to XLSX, in a child: its own time and peak memory */
    char xlsx[700];
    snprintf(xlsx, sizeof xlsx, "%s/detail.xlsx", dir);
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        /* a fresh process (exec), so that its peak memory is the report's own */
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        execl("/proc/self/exe", argv[0], "--xlsx-child", target, xlsx, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char line[64] = "";
    ssize_t got = read(fds[0], line, sizeof line - 1);
    line[got > 0 ? got : 0] = '\0';
    int status;
    waitpid(pid, &status, 0);
    double secs = 0, mb = 0;
    sscanf(line, "%lf %lf", &secs, &mb);
    printf("detail by customer to XLSX, %s, %lld rows | %.1f s, %.0f MB peak | <= 15 s, <= 300 MB\n", engine,
           (long long)ncust, secs, mb);
    unlink(xlsx);
    if (getenv("BENCH_KEEP"))
        fprintf(stderr, "kept %s\n", path);
    else if (!getenv("POWERCIS_BENCH_DB")) {
        char side[700];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    if (!getenv("BENCH_KEEP"))
        rmdir(dir);
    free(unit_of);
    return 0;
}
