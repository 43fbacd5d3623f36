/* Service indicator benchmark (issue 11): N customer service requests (default 1,000,000) of
 * every type across the demo tree, all received in one month and nine in ten finished in it
 * with 0-15 working days; then `report service` for that month over the whole tree and one
 * company. Target: 1,000,000 requests in at most 3 s. POWERCIS_BENCH_DB (postgresql://…) runs it
 * on PostgreSQL, else SQLite in a temporary folder. Usage: bench_service [REQUESTS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/org.h"
#include "app/service.h"
#include "base/date.h"
#include "bench_data.h"

static void die(const pc_err *e)
{
    bench_die("bench_service", e);
}

static double report(db *d, const char *scope, int64_t *units)
{
    pc_err e = {0};
    civil_month m;
    month_parse("2026-03", &m, &e);
    double t0 = monotonic_seconds();
    json_t *r;
    if (svc_report(d, m, scope, &r, &e) != 0)
        die(&e);
    char *text = json_dumps(r, JSON_COMPACT);
    FILE *f = fopen("/dev/null", "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    double s = monotonic_seconds() - t0;
    *units = (int64_t)json_array_size(json_object_get(r, "units"));
    free(text);
    json_decref(r);
    return s;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/service.db", dir);
    const char *target = getenv("POWERCIS_BENCH_DB");
    const char *engine = target ? "PostgreSQL" : "SQLite";
    if (!target)
        target = path;
    pc_err e = {0};
    db *d;
    if (db_open(target, &d, &e) != 0)
        die(&e);
    const svc_type *types;
    int ntypes;
    const workcal *cal;
    if (svc_types(&types, &ntypes, &e) != 0 || svc_calendar(&cal, NULL, NULL, &e) != 0)
        die(&e);
    double t0 = monotonic_seconds();

    demo_rng r;
    demo_rng_init(&r, 11);
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

    static const char *const reasons[] = {"Chờ khách hàng bổ sung hồ sơ", "Chờ thỏa thuận hướng tuyến",
                                          "Chờ vật tư công tơ", "Chờ cắt điện thi công"};
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    civil_date first = date_from_ymd(2026, 3, 2);
    uint64_t x = 88172645463325252ull;
    enum { CHUNK = 50000 };
    db_bulk *b = NULL;
    for (int64_t i = 1; i <= n; i++) {
        if ((i - 1) % CHUNK == 0) {
            if (b && (db_bulk_flush(b, &e) != 0 || db_commit(d, &e) != 0))
                die(&e);
            db_bulk_close(b);
            if (db_begin(d, &e) != 0)
                die(&e);
            b = db_bulk_open(d, "service_request",
                             "code, type, unit_id, customer_id, applicant_name, applicant_phone, applicant_address, "
                             "details, source, status, step_no, step, step_owner, step_started_on, step_due_on, "
                             "waiting_reason, received_on, due_on, finished_on, working_days, within_deadline, "
                             "created_at, created_by, updated_at",
                             24, &e);
            if (!b)
                die(&e);
        }
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const svc_type *ty = &types[i % ntypes];
        int u = (int)((x >> 8) % (uint64_t)t.nunits);
        civil_date rec = date_add_days(first, (int)((x >> 16) % 10)); /* 2-11 March */
        civil_date due = svc_due(cal, rec, ty->total_days);
        bool finished = (x >> 24) % 10 != 0;
        int wd = (int)((x >> 32) % 16);
        civil_date fin = workday_add(cal, rec, wd);
        char code[48], rtxt[DATE_FMT_MAX], dtxt[DATE_FMT_MAX], ftxt[DATE_FMT_MAX];
        snprintf(code, sizeof code, "%s-2603-%07lld", t.units[u].code, (long long)i);
        date_format(rec, rtxt);
        date_format(due, dtxt);
        date_format(fin, ftxt);
        db_bulk_text(b, code);
        db_bulk_text(b, ty->code);
        db_bulk_int(b, unit_ids[u]);
        db_bulk_text(b, NULL);
        db_bulk_text(b, "Nguyễn Văn Bench");
        db_bulk_text(b, "0912000111");
        db_bulk_text(b, "Số 1, đường Trần Hưng Đạo");
        db_bulk_text(b, "{}");
        db_bulk_text(b, "staff");
        db_bulk_text(b, finished ? "finished" : (x >> 40) % 2 ? "waiting" : "open");
        db_bulk_int(b, finished ? ty->nsteps - 1 : 1);
        db_bulk_text(b, finished ? ty->steps[ty->nsteps - 1].code : ty->steps[1 % ty->nsteps].code);
        db_bulk_text(b, "bench");
        db_bulk_text(b, rtxt);
        db_bulk_text(b, dtxt);
        db_bulk_text(b, !finished && (x >> 40) % 2 ? reasons[(x >> 44) % 4] : NULL);
        db_bulk_text(b, rtxt);
        db_bulk_text(b, dtxt);
        if (finished) {
            db_bulk_text(b, ftxt);
            db_bulk_int(b, wd);
            db_bulk_int(b, fin <= due);
        } else {
            db_bulk_text(b, NULL);
            db_bulk_text(b, NULL);
            db_bulk_text(b, NULL);
        }
        db_bulk_text(b, ts);
        db_bulk_text(b, "bench");
        db_bulk_text(b, ts);
        if (db_bulk_row(b, &e) != 0)
            die(&e);
    }
    if (b && (db_bulk_flush(b, &e) != 0 || db_commit(d, &e) != 0))
        die(&e);
    db_bulk_close(b);
    if (db_engine_of(d) == DB_POSTGRES && db_exec(d, "ANALYZE service_request", &e) != 0)
        die(&e);
    double gen = monotonic_seconds() - t0;
    printf("service data, %s: %lld requests in %.1f s\n", engine, (long long)n, gen);

    int64_t units;
    double all = report(d, NULL, &units);
    printf("report service, %lld requests, whole tree (%lld units), %s | %.2f s | <= 3 s\n", (long long)n,
           (long long)units, engine, all);
    double one = report(d, "PA01", &units);
    printf("report service, one company (%lld units), %s | %.2f s | -\n", (long long)units, engine, one);
    db_close(d);
    if (!getenv("POWERCIS_BENCH_DB") && !getenv("BENCH_KEEP")) {
        unlink(path);
        char wal[640];
        snprintf(wal, sizeof wal, "%s-wal", path);
        unlink(wal);
        snprintf(wal, sizeof wal, "%s-shm", path);
        unlink(wal);
        rmdir(dir);
    }
    return 0;
}
