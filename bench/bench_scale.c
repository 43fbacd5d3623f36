/* Scale run: N customers generated, billed for one month and reported on, each step timed with
 * the database's size after it. POWERCIS_BENCH_DB (a postgresql:// URL of an empty database)
 * runs it on PostgreSQL, else SQLite in a temporary folder. Usage: bench_scale [N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/billing.h"
#include "base/date.h"
#include "base/money.h"
#include "bench_data.h"
#include "formats/tariff_json.h"
#include "store/invoices.h"

static double size_gb(db *d, const char *path)
{
    if (db_engine_of(d) == DB_POSTGRES) {
        pc_err e = {0};
        db_stmt *s = db_prepare(d, "SELECT pg_database_size(current_database())", &e);
        if (!s || db_step(s, &e) != 1)
            bench_die("bench_scale", &e);
        double v = (double)db_col_int(s, 0);
        db_reset(s);
        return v / 1e9;
    }
    struct stat st;
    char wal[700];
    double v = stat(path, &st) == 0 ? (double)st.st_size : 0;
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &st) == 0)
        v += (double)st.st_size;
    return v / 1e9;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/scale.db", dir);
    const char *target = getenv("POWERCIS_BENCH_DB");
    const char *engine = target ? "PostgreSQL" : "SQLite";
    if (!target)
        target = path;
    db *d;
    pc_err e = {0};
    if (db_open(target, &d, &e) != 0)
        bench_die("bench_scale", &e);
    printf("scale, %s, %lld customers: empty database | %.2f GB | -\n", engine, (long long)n, size_gb(d, path));
    fflush(stdout);

    double t0 = monotonic_seconds();
    demo_tree t;
    bench_build(d, n, &t);
    double gen = monotonic_seconds() - t0;
    printf("scale, %s, %lld customers: generate customers, meters, 2 reads each | %.1f s, %.2f GB | linear in N\n", engine,
           (long long)n, gen, size_gb(d, path));
    fflush(stdout);

    static tariff_set tariffs;
    pc_config cfg;
    config_defaults(&cfg);
    if (tariff_load_shipped(&tariffs, &e) != 0)
        bench_die("bench_scale", &e);
    bill_options o = {.period = 202507};
    date_parse("2025-08-02", &o.issue_date, &e);
    bill_summary s;
    if (billing_run(d, "bench", &cfg, &tariffs, &o, &s, &e) != 0)
        bench_die("bench_scale", &e);
    printf("scale, %s, %lld customers: bill one month (%lld invoices) | %.1f s, %.2f GB, %.0f invoices/s | linear in N\n",
           engine, (long long)n, (long long)s.invoices, s.seconds, size_gb(d, path), (double)s.invoices / s.seconds);
    fflush(stdout);

    /* The month's report: totals of the corporation and of each company. */
    t0 = monotonic_seconds();
    invoice_totals all;
    if (invoice_period_totals(d, "2025-07", NULL, &all, &e) != 0)
        bench_die("bench_scale", &e);
    for (int c = 1; c <= t.companies; c++) {
        char scope[16];
        snprintf(scope, sizeof scope, "/PA/PA%02d/", c % 100);
        invoice_totals part;
        if (invoice_period_totals(d, "2025-07", scope, &part, &e) != 0)
            bench_die("bench_scale", &e);
    }
    double rep = monotonic_seconds() - t0;
    char m[MONEY_FMT_MAX];
    printf("scale, %s, %lld customers: report the month by corporation and company (%lld invoices, %s) | %.1f s | linear "
           "in N\n",
           engine, (long long)n, (long long)all.invoices, money_format(all.total, true, m), rep);
    db_close(d);
    if (strcmp(engine, "SQLite") == 0) {
        char side[700];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    rmdir(dir);
    return 0;
}
