/* Benchmarks of the foundation: customer import rate and search latency on 1,000,000 customers.
 * Generates its own data in a temporary folder; prints `metric | value | target` rows (the
 * header is scripts/bench.sh's). Timing never fails anything: the numbers are for the reader.
 * Usage: bench_customers [N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/customers.h"
#include "app/demo.h"
#include "app/org.h"
#include "base/fold.h"
#include "store/repo.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int count_hit(void *ctx, const customer_hit *h)
{
    (void)h;
    (*(int *)ctx)++;
    return 0;
}

typedef struct {
    char q[128];
} query;

static void run_queries(db *d, const char *metric, query *qs, int n, double target_ms)
{
    double *ms = malloc(sizeof *ms * (size_t)n);
    long hits = 0;
    for (int i = 0; i < n; i++) {
        int h = 0;
        search_kind kind;
        pc_err e = {0};
        double t0 = now_s();
        if (customer_search(d, qs[i].q, NULL, 20, &kind, count_hit, &h, &e) != 0)
            fprintf(stderr, "search '%s' failed: %s\n", qs[i].q, e.msg);
        ms[i] = (now_s() - t0) * 1000.0;
        hits += h;
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    printf("search %s p50 (ms, %d queries, %.1f hits avg) | %.3f | <= %.0f\n", metric, n, (double)hits / n,
           ms[n / 2], target_ms);
    printf("search %s p99 (ms) | %.3f | <= %.0f\n", metric, ms[n * 99 / 100], target_ms);
    free(ms);
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
    char dir[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char csv[600], dbpath[600];
    snprintf(csv, sizeof csv, "%s/customers.csv", dir);
    snprintf(dbpath, sizeof dbpath, "%s/bench.db", dir);

    demo_rng r;
    demo_rng_init(&r, 42);
    demo_tree t;
    demo_tree_make(&r, &t);
    FILE *f = fopen(csv, "w");
    if (!f || demo_write_csv(f, &t, &r, 1, n) != 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", csv);
        return 1;
    }

    db *d;
    pc_err e = {0};
    if (db_open(dbpath, &d, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    org_row row;
    org_add(d, "bench", "PA", "Tổng công ty", NULL, &row, &e);
    for (int c = 1; c <= t.companies; c++) {
        char code[16];
        snprintf(code, sizeof code, "PA%02d", c % 100);
        org_add(d, "bench", code, "Công ty", NULL, &row, &e);
    }
    for (int u = 0; u < t.nunits; u++)
        org_add(d, "bench", t.units[u].code, t.units[u].name, NULL, &row, &e);

    import_report rep;
    double t0 = now_s();
    if (customer_import(d, "bench", csv, &rep, &e) != 0) {
        fprintf(stderr, "import failed: %s\n%s", e.msg, rep.errors.data ? rep.errors.data : "");
        return 1;
    }
    double secs = now_s() - t0;
    printf("customer import (customers/s, %lld rows, %.1f s) | %.0f | >= 200000\n", (long long)n, secs,
           (double)n / secs);
    import_report_free(&rep);
    if (getenv("BENCH_IMPORT_ONLY"))
        goto cleanup;

    /* Queries drawn the way a counter sees them: scanned codes, typed phones, two-word names. */
    enum { Q = 2000 };
    static query codes[Q], phones[Q], names[Q];
    demo_rng qr;
    demo_rng_init(&qr, 42);
    demo_tree qt;
    demo_tree_make(&qr, &qt);
    int nc = 0, np = 0, nn = 0;
    int64_t stride = n / Q > 0 ? n / Q : 1;
    for (int64_t seq = 1; seq <= n && (nc < Q || np < Q || nn < Q); seq++) {
        customer c;
        meter_spec m;
        demo_customer_make(&qr, &qt, seq, &c, &m);
        if (seq % stride)
            continue;
        if (nc < Q)
            snprintf(codes[nc++].q, sizeof codes[0].q, "%s", c.code);
        if (np < Q && c.phone[0])
            snprintf(phones[np++].q, sizeof phones[0].q, "%s", c.phone);
        if (nn < Q && c.purpose == PURPOSE_RESIDENTIAL) {
            /* family name and given name: "nguyen duc" */
            char folded[96];
            text_fold(c.name, folded, sizeof folded, NULL);
            char *first_space = strchr(folded, ' ');
            char *last_space = strrchr(folded, ' ');
            if (first_space && last_space) {
                *first_space = '\0';
                snprintf(names[nn++].q, sizeof names[0].q, "%s %s", folded, last_space + 1);
            }
        }
    }
    run_queries(d, "by code", codes, nc, 2);
    run_queries(d, "by phone", phones, np, 2);
    run_queries(d, "by two-word name", names, nn, 20);
cleanup:
    db_close(d);
    unlink(csv);
    unlink(dbpath);
    char side[700];
    snprintf(side, sizeof side, "%s-wal", dbpath);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", dbpath);
    unlink(side);
    rmdir(dir);
    return 0;
}
