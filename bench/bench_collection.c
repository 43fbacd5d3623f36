/* Benchmark of collection on SQLite: N customers (default 1,000,000) billed for a month, then a
 * collection file with one line per invoice (a partner paying every bill) imported end to end,
 * and the same file imported again; then counter postings one at a time (find the customer by
 * code, post, commit), their latency percentiles. Usage: bench_collection [N] [COUNTER_POSTINGS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/billing.h"
#include "app/payments.h"
#include "base/date.h"
#include "bench_data.h"
#include "formats/tariff_json.h"
#include "store/payments.h"

typedef struct {
    FILE *f;
    long n;
} csv_ctx;

static int write_line(void *ctx, const payer_row *c, const open_bill *b)
{
    csv_ctx *x = ctx;
    x->n++;
    fprintf(x->f, "ECPAY,EC%010ld,%s,%lld,2025-08-%02ld 10:%02ld:00,\n", x->n, c->code, (long long)b->open, 5 + x->n % 20,
            x->n % 60);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
    int counter = argc > 2 ? atoi(argv[2]) : 20000;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600], file[600];
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/collect.db", dir);
    snprintf(file, sizeof file, "%s/collection.csv", dir);
    db *d;
    pc_err e = {0};
    if (db_open(path, &d, &e) != 0)
        bench_die("bench_collection", &e);
    demo_tree t;
    bench_build(d, n, &t);
    static tariff_set tariffs;
    pc_config cfg;
    config_defaults(&cfg);
    if (tariff_load_shipped(&tariffs, &e) != 0)
        bench_die("bench_collection", &e);
    bill_options o = {.period = 202507};
    date_parse("2025-08-02", &o.issue_date, &e);
    bill_summary s;
    if (billing_run(d, "bench", &cfg, &tariffs, &o, &s, &e) != 0 ||
        partner_add(d, "bench", "ECPAY", "ECPay", "collector", 1, &e) != 0)
        bench_die("bench_collection", &e);

    /* The file: every open invoice paid in full through ECPay, leaving out the last `counter`
     * customers for the counter postings below. */
    csv_ctx x = {.f = fopen(file, "w")};
    if (!x.f)
        return 1;
    fprintf(x.f, "partner,txn_ref,customer_code,amount,paid_at,invoice_no\n");
    if (open_bills_in_scope(d, NULL, write_line, &x, &e) != 0)
        bench_die("bench_collection", &e);
    fclose(x.f);

    double t0 = monotonic_seconds();
    collection_report rep;
    if (collection_import(d, "bench", 420, file, &rep, &e) != 0)
        bench_die("bench_collection", &e);
    double first = monotonic_seconds() - t0;
    collection_report_free(&rep);
    printf("collection file import, SQLite (%ld lines, %.1f s end to end) | %.0f lines/s | <= 15 s for 1M\n", rep.rows,
           first, (double)rep.rows / first);
    t0 = monotonic_seconds();
    collection_report again;
    if (collection_import(d, "bench", 420, file, &again, &e) != 0)
        bench_die("bench_collection", &e);
    double second = monotonic_seconds() - t0;
    collection_report_free(&again);
    printf("same collection file again, SQLite (%s) | %.2f s | <= 3 s for 1M\n",
           again.already ? "recognised, nothing changed" : "NOT recognised", second);

    /* Counter: each posting its own transaction, customers by code. */
    shift_row sh;
    if (shift_open(d, "bench", "bench cashier", t.units[0].code, 0, &sh, &e) != 0)
        bench_die("bench_collection", &e);
    double *lat = malloc(sizeof *lat * (size_t)counter);
    if (!lat)
        return 1;
    for (int i = 0; i < counter; i++) {
        char ref[32];
        payer_row c; /* the code a cashier would scan */
        if (payer_get_by_id(d, 1 + (i * 7919L) % n, &c, &e) != 0)
            bench_die("bench_collection", &e);
        snprintf(ref, sizeof ref, "C%08d", i);
        payment_request q = {.customer_code = c.code, .channel = "counter", .method = "cash", .source = "counter",
                             .ext_ref = ref, .amount = 50000, .shift_id = sh.id};
        payment_result r;
        double a = monotonic_seconds();
        if (payment_post(d, "bench", 420, &q, &r, &e) != 0)
            bench_die("bench_collection", &e);
        lat[i] = (monotonic_seconds() - a) * 1000.0;
    }
    qsort(lat, (size_t)counter, sizeof *lat, cmp_double);
    printf("counter posting, SQLite (find by code, post, commit; %d postings) | p50 %.3f ms, p99 %.3f ms | p99 <= 5 ms\n",
           counter, lat[counter / 2], lat[counter * 99 / 100]);
    free(lat);
    db_close(d);
    char side[700];
    unlink(path);
    unlink(file);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    rmdir(dir);
    return 0;
}
