/* Benchmark of the prepaid daily charge on SQLite (or PostgreSQL with POWERCIS_BENCH_DB): N
 * prepaid customers (default 500,000; the shared bench data: residential and non-residential,
 * time-of-use meters among them) with an automatic read every day of August 2025 up to day D
 * (PREPAID_DAYS, default 11). Day D-1 is charged first with nothing charged before (the month to
 * date summed from the reads: the first charge of the month), then day D after it (the daily
 * run: the cached sums plus day D's reads), then day D again (nothing to do).
 * Usage: bench_prepaid [N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "app/prepaid.h"
#include "formats/tariff_json.h"
#include "bench_data.h"

/* CPU seconds of this process: the machine the benchmarks run on is shared, so the wall clock
 * alone says as much about the neighbours as about the run. */
static double cpu_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_stime.tv_sec + (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static void die(const pc_err *e)
{
    bench_die("bench_prepaid", e);
}

typedef struct {
    int64_t meter_id, customer_id;
    bool tou;
} meter_ref;

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 500000;
    int days = getenv("PREPAID_DAYS") ? atoi(getenv("PREPAID_DAYS")) : 11;
    if (days < 2 || days > 31)
        days = 11;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    const char *target = getenv("POWERCIS_BENCH_DB");
    snprintf(path, sizeof path, "%s/prepaid.db", dir);
    const char *engine = target ? "PostgreSQL" : "SQLite";
    if (!target)
        target = path;
    db *d;
    pc_err e = {0};
    if (db_open(target, &d, &e) != 0)
        die(&e);
    demo_tree t;
    bench_build(d, n, &t);

    /* every customer prepaid since 2025-08-01 with 2,000,000 đ (so that only some cross the
     * low-balance line in the run, as on a real day), and a read each day */
    meter_ref *m = malloc((size_t)n * sizeof *m);
    if (!m)
        return 1;
    int64_t nm = 0;
    db_stmt *q = db_prepare(d, "SELECT id, customer_id, registers FROM meter ORDER BY customer_id", &e);
    if (!q)
        die(&e);
    while (nm < n && db_step(q, &e) == 1) {
        m[nm].meter_id = db_col_int(q, 0);
        m[nm].customer_id = db_col_int(q, 1);
        m[nm].tou = strcmp(db_col_text(q, 2), "tou") == 0;
        nm++;
    }
    db_reset(q);
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    if (db_begin(d, &e) != 0)
        die(&e);
    db_bulk *ba = db_bulk_open(d, "prepaid_account", "customer_id, active, since, balance, updated_at", 5, &e);
    db_bulk *bl = ba ? db_bulk_open(d, "prepaid_ledger", "customer_id, kind, entry_date, amount, balance, created_at, created_by", 7, &e) : NULL;
    db_bulk *br = bl ? db_bulk_open(d, "meter_read", "id, customer_id, meter_id, read_date, kind, idx_total, idx_normal, idx_peak, "
                                    "idx_offpeak, kwh_total, kwh_normal, kwh_peak, kwh_offpeak, status, flags, source, "
                                    "created_at, created_by", 18, &e) : NULL;
    if (!br)
        die(&e);
    enum { CHUNK = 10000 };
    static int64_t rids[CHUNK];
    for (int64_t i = 0; i < nm; i++) {
        db_bulk_int(ba, m[i].customer_id);
        db_bulk_int(ba, 1);
        db_bulk_text(ba, "2025-08-01");
        db_bulk_int(ba, 2000000);
        db_bulk_text(ba, ts);
        db_bulk_row(ba, &e);
        db_bulk_int(bl, m[i].customer_id);
        db_bulk_text(bl, "opening");
        db_bulk_text(bl, "2025-08-01");
        db_bulk_int(bl, 2000000);
        db_bulk_int(bl, 2000000);
        db_bulk_text(bl, ts);
        db_bulk_text(bl, "bench");
        if (db_bulk_row(bl, &e) != 0)
            die(&e);
        if (i % CHUNK == CHUNK - 1 || i == nm - 1) {
            if (db_bulk_flush(ba, &e) != 0 || db_bulk_flush(bl, &e) != 0 || db_commit(d, &e) != 0 ||
                db_begin(d, &e) != 0)
                die(&e);
        }
    }
    /* the reads day by day, as the automatic meter reading sends them (each day's import after
     * the previous one's: the daily run finds a day's reads side by side, not one per page) */
    int64_t *idx = malloc((size_t)(nm ? nm : 1) * sizeof *idx);
    if (!idx)
        return 1;
    for (int64_t i = 0; i < nm; i++)
        idx[i] = 5000;
    for (int day = 1; day <= days; day++) {
        char date[11];
        snprintf(date, sizeof date, "2025-08-%02d", day);
        for (int64_t i = 0; i < nm; i++) {
            int k = (int)(i % CHUNK);
            if (k == 0) {
                int64_t left = nm - i < CHUNK ? nm - i : CHUNK;
                if (db_reserve_ids(d, "meter_read", (int)left, rids, &e) != 0)
                    die(&e);
            }
            int64_t kwh = 3 + (m[i].customer_id * 7 + day * 13) % 17;
            idx[i] += kwh;
            db_bulk_int(br, rids[k]);
            db_bulk_int(br, m[i].customer_id);
            db_bulk_int(br, m[i].meter_id);
            db_bulk_text(br, date);
            db_bulk_text(br, "regular");
            for (int g = 0; g < 4; g++) /* indexes */
                if (m[i].tou ? g > 0 : g == 0)
                    db_bulk_int(br, idx[i]);
                else
                    db_bulk_text(br, NULL);
            for (int g = 0; g < 4; g++) /* consumption */
                if (m[i].tou ? g > 0 : g == 0)
                    db_bulk_int(br, m[i].tou ? kwh * (g + 1) : kwh);
                else
                    db_bulk_text(br, NULL);
            db_bulk_text(br, "ok");
            db_bulk_text(br, "");
            db_bulk_text(br, "amr:bench");
            db_bulk_text(br, ts);
            db_bulk_text(br, "bench");
            if (db_bulk_row(br, &e) != 0)
                die(&e);
            if (k == CHUNK - 1 || i == nm - 1) {
                if (db_bulk_flush(br, &e) != 0 || db_commit(d, &e) != 0 || db_begin(d, &e) != 0)
                    die(&e);
            }
        }
    }
    free(idx);
    db_bulk_close(ba);
    db_bulk_close(bl);
    db_bulk_close(br);
    if (db_commit(d, &e) != 0)
        die(&e);
    free(m);
    /* PostgreSQL plans from statistics that autovacuum keeps in a running system; right after a
     * bulk load they say the tables are nearly empty (the plan then walks every read) */
    if (getenv("POWERCIS_BENCH_DB") && db_exec(d, "ANALYZE", &e) != 0)
        die(&e);

    static tariff_set tariffs;
    pc_config cfg;
    config_defaults(&cfg);
    if (getenv("PREPAID_LOW"))
        cfg.prepaid.low_balance = atoll(getenv("PREPAID_LOW"));
    if (tariff_load_shipped(&tariffs, &e) != 0)
        die(&e);
    char date[11];
    prepaid_run_summary s;
    snprintf(date, sizeof date, "2025-08-%02d", days - 1);
    double t0 = monotonic_seconds(), c0 = cpu_seconds();
    if (prepaid_charge_run(d, "bench", &cfg, &tariffs, date, NULL, &s, &e) != 0)
        die(&e);
    double secs = monotonic_seconds() - t0, cpu = cpu_seconds() - c0;
    printf("prepaid first charge of the month, %s (%ld accounts, %d days of reads, %ld errors, %ld low-balance "
           "messages) | %.2f s (%.2f s CPU) | -\n",
           engine, s.accounts, days - 1, s.errors, s.low_notices, secs, cpu);
    prepaid_run_summary_free(&s);
    snprintf(date, sizeof date, "2025-08-%02d", days);
    t0 = monotonic_seconds();
    c0 = cpu_seconds();
    if (prepaid_charge_run(d, "bench", &cfg, &tariffs, date, NULL, &s, &e) != 0)
        die(&e);
    secs = monotonic_seconds() - t0;
    cpu = cpu_seconds() - c0;
    printf("prepaid daily charge, day %d after day %d, %s (%ld accounts, %ld errors, %ld low-balance messages) | "
           "%.2f s (%.2f s CPU) | <= 10 s for 500000\n",
           days, days - 1, engine, s.accounts, s.errors, s.low_notices, secs, cpu);
    prepaid_run_summary_free(&s);
    t0 = monotonic_seconds();
    if (prepaid_charge_run(d, "bench", &cfg, &tariffs, date, NULL, &s, &e) != 0)
        die(&e);
    printf("prepaid daily charge repeated, %s (%ld charged: nothing to do) | %.2f s | -\n", engine, s.accounts,
           monotonic_seconds() - t0);
    prepaid_run_summary_free(&s);
    db_close(d);
    if (!getenv("POWERCIS_BENCH_DB")) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return 0;
}
