/* Benchmark of the billing run on SQLite: N customers (default 1,000,000) with an initial and one
 * approved read each, billed for one month end to end; beside it the raw rate of inserting the
 * same invoice, line and billed-read rows with no rating at all. Usage: bench_billing [N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/billing.h"
#include "app/demo.h"
#include "app/org.h"
#include "formats/tariff_json.h"
#include "store/invoices.h"
#include "store/reads.h"
#include "store/repo.h"
#include "bench_data.h"

static void die(const pc_err *e)
{
    fprintf(stderr, "bench_billing: %s\n", e->msg);
    exit(1);
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    /* POWERCIS_BENCH_DB (a postgresql:// URL of an empty database) runs it on PostgreSQL. */
    const char *target = getenv("POWERCIS_BENCH_DB");
    snprintf(path, sizeof path, "%s/bill.db", dir);
    const char *engine = target ? "PostgreSQL" : "SQLite";
    if (!target)
        target = path;
    db *d;
    pc_err e = {0};
    if (db_open(target, &d, &e) != 0)
        die(&e);
    demo_tree t;
    bench_build(d, n, &t);

    static tariff_set tariffs;
    pc_config cfg;
    config_defaults(&cfg);
    if (tariff_load_shipped(&tariffs, &e) != 0)
        die(&e);
    bill_options o = {.period = 202507, .issue_date = 0, .chunk = getenv("CHUNK") ? atoi(getenv("CHUNK")) : 0};
    date_parse("2025-08-02", &o.issue_date, &e);
    bill_summary s;
    if (billing_run(d, "bench", &cfg, &tariffs, &o, &s, &e) != 0)
        die(&e);
    printf("billing run, %s (invoices/s end to end, %lld invoices, %.1f s) | %.0f | >= 50000 (<= 20 s for 1M)\n",
           engine, (long long)s.invoices, s.seconds, (double)s.invoices / s.seconds);

    /* The ceiling the run is measured against: the same number of invoice rows, with the run's
     * average number of lines and billed-read links, inserted with no query and no rating. */
    pc_err e2 = {0};
    db_stmt *q = db_prepare(d, "SELECT count(*) FROM invoice_line", &e2);
    if (!q || db_step(q, &e2) != 1)
        die(&e2);
    int64_t nlines = db_col_int(q, 0);
    db_reset(q);
    int per = s.invoices ? (int)((nlines + s.invoices / 2) / s.invoices) : 1;
    invoice_row inv;
    memset(&inv, 0, sizeof inv);
    strcpy(inv.kind, "regular");
    strcpy(inv.period, "2025-07");
    strcpy(inv.from_date, "2025-06-02");
    strcpy(inv.to_date, "2025-07-01");
    strcpy(inv.issue_date, "2025-08-02");
    strcpy(inv.due_date, "2025-08-09");
    strcpy(inv.symbol, "1K25TZZ");
    inv.unit_id = 3;
    inv.residential = 1;
    inv.nlines = per;
    for (int i = 0; i < per; i++) {
        invoice_line_row *l = &inv.lines[i];
        strcpy(l->part_from, inv.from_date);
        strcpy(l->part_to, inv.to_date);
        snprintf(l->item, sizeof l->item, "tier %d", i + 1);
        l->kwh = 50;
        l->price = 1984;
        l->amount = 99200;
    }
    double t0 = monotonic_seconds();
    if (db_begin(d, &e) != 0)
        die(&e);
    invoice_writer *w = invoice_writer_open(d, "bench", &e);
    if (!w)
        die(&e);
    for (int64_t i = 1; i <= s.invoices; i++) {
        inv.customer_id = (i - 1) % n + 1;
        inv.number = i;
        if (invoice_writer_add(w, &inv, NULL, 0, &e) != 0)
            die(&e);
        if (i % 500 == 0 && (invoice_writer_flush(w, &e) != 0 || db_commit(d, &e) != 0 || db_begin(d, &e) != 0))
            die(&e);
    }
    if (invoice_writer_flush(w, &e) != 0 || db_commit(d, &e) != 0)
        die(&e);
    invoice_writer_close(w);
    double raw = monotonic_seconds() - t0;
    printf("raw invoice + line writes (bulk path), %s, no rating (invoices/s, %d lines each) | %.0f | the run should reach half\n",
           engine, per, (double)s.invoices / raw);
    db_close(d);
    char side[700];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    rmdir(dir);
    return 0;
}
