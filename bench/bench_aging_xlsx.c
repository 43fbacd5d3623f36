/* Benchmark of the aging detail workbook (issue 6): N customer rows (default 1,000,000) with
 * Vietnamese names and addresses, generated row by row as the report engine would stream them,
 * then the three total rows, written to an XLSX in a temporary folder. Prints the time and the
 * peak resident memory as `metric | value | target` rows; timing never fails anything.
 * Usage: bench_aging_xlsx [N] */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/date.h"
#include "formats/aging_xlsx.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof *(a))

static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
                                     "Võ",     "Đặng", "Bùi", "Đỗ",   "Hồ",    "Ngô",   "Dương", "Lý"};
static const char *const middle[] = {"Văn", "Thị", "Đức", "Ngọc", "Minh", "Thanh", "Quang", "Hữu", "Thu", "Xuân"};
static const char *const given[] = {"An",   "Bình", "Cường", "Dũng", "Giang", "Hà",    "Hải",  "Hằng", "Hùng",
                                    "Hương", "Khánh", "Lan",  "Linh", "Long",  "Mai",   "Nam",  "Nga",  "Phong",
                                    "Phương", "Quân", "Sơn",  "Thảo", "Trang", "Tuấn",  "Việt", "Yến"};
static const char *const business[] = {"Công ty TNHH Thương mại", "Công ty Cổ phần Xây dựng", "Hộ kinh doanh",
                                       "Hợp tác xã Nông nghiệp", "Trường Tiểu học", "Công ty TNHH Cơ khí"};
static const char *const streets[] = {"Trần Hưng Đạo", "Lê Lợi",  "Nguyễn Trãi", "Lý Thường Kiệt", "Hai Bà Trưng",
                                      "Quang Trung",   "Biên Hòa", "Lê Hồng Phong", "Đinh Tiên Hoàng"};
static const char *const wards[] = {"phường Lương Khánh Thiện", "phường Hai Bà Trưng", "xã Liêm Chung",
                                    "xã Thanh Sơn", "phường Minh Khai", "xã Tiên Hiệp"};
static const char *const statuses[] = {"monitoring", "notified", "disconnected", "negotiating",
                                       "in_court",   "collected", "written_off"};

/* A small deterministic generator: the same file every run. */
static uint64_t rng = 88172645463325252ULL;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void customer_row(int64_t i, aging_row *r, aging_row *totals)
{
    uint64_t x = next_random();
    r->kind = AGING_ROW_ITEM;
    r->cls = x % 10 < 8 ? AGING_CLASS_RESIDENTIAL : AGING_CLASS_NONRESIDENTIAL;
    snprintf(r->customer_code, sizeof r->customer_code, "PA0101%07lld", (long long)((i + 1) % 10000000));
    if (r->cls == AGING_CLASS_RESIDENTIAL)
        snprintf(r->name, sizeof r->name, "%s %s %s", family[x % ARRAY_LEN(family)],
                 middle[(x >> 8) % ARRAY_LEN(middle)], given[(x >> 16) % ARRAY_LEN(given)]);
    else
        snprintf(r->name, sizeof r->name, "%s %s %s", business[(x >> 8) % ARRAY_LEN(business)],
                 family[x % ARRAY_LEN(family)], given[(x >> 16) % ARRAY_LEN(given)]);
    snprintf(r->address, sizeof r->address, "Số %d ngõ %d đường %s, %s", (int)((x >> 24) % 300 + 1),
             (int)((x >> 32) % 90 + 1), streets[(x >> 40) % ARRAY_LEN(streets)], wards[(x >> 44) % ARRAY_LEN(wards)]);
    /* Most debts are this month's bill; an old tail goes with a debt case. */
    memset(r->amount, 0, sizeof r->amount);
    int64_t bill = (int64_t)((x >> 20) % 2000000) + 50000;
    r->amount[AGING_NOT_DUE] = bill;
    if (x % 7 == 0)
        r->amount[AGING_LT_3M] = bill * 2;
    bool old = x % 53 == 0;
    if (old) {
        r->amount[AGING_M3_6 + (x >> 50) % 5] = bill * 9;
        snprintf(r->case_status, sizeof r->case_status, "%s", statuses[(x >> 52) % ARRAY_LEN(statuses)]);
        r->documents = (int64_t)((x >> 56) % 6);
    } else {
        r->case_status[0] = '\0';
        r->documents = 0;
    }
    r->total = 0;
    for (int b = 0; b < AGING_BUCKETS; b++)
        r->total += r->amount[b];
    r->provision = (r->amount[AGING_M6_12] * 30 + r->amount[AGING_Y1_2] * 50 + r->amount[AGING_Y2_3] * 70 + 50) / 100 +
                   r->amount[AGING_GE_3Y];
    for (int c = 0; c < 2; c++) {
        aging_row *t = &totals[c == 0 ? r->cls : AGING_CLASS_ALL];
        t->customers++;
        for (int b = 0; b < AGING_BUCKETS; b++)
            t->amount[b] += r->amount[b];
        t->total += r->total;
        t->provision += r->provision;
    }
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
    char dir[512], path[600];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/aging-detail.xlsx", dir);
    aging_report_info info = {.as_of = "2025-09-30", .scope = "PD0101", .by = "customer"};
    snprintf(info.scope_name, sizeof info.scope_name, "Điện lực Phủ Lý");

    static aging_row r, totals[3];
    snprintf(r.level, sizeof r.level, "customer");
    snprintf(r.scope, sizeof r.scope, "PD0101");
    snprintf(r.scope_name, sizeof r.scope_name, "Điện lực Phủ Lý");
    r.customers = 1;
    pc_err e = {0};
    double t0 = monotonic_seconds();
    aging_xlsx *x = aging_xlsx_open(path, &info, &e);
    if (!x) {
        fprintf(stderr, "bench_aging_xlsx: %s\n", e.msg);
        return 1;
    }
    for (int64_t i = 0; i < n; i++) {
        customer_row(i, &r, totals);
        if (aging_xlsx_row(x, &r, &e) != 0) {
            fprintf(stderr, "bench_aging_xlsx: row %lld: %s\n", (long long)i + 1, e.msg);
            aging_xlsx_close(x, &e);
            return 1;
        }
    }
    for (int c = 0; c < 3; c++) {
        aging_row *t = &totals[c];
        t->kind = AGING_ROW_TOTAL;
        t->cls = (aging_class)c;
        snprintf(t->level, sizeof t->level, "unit");
        snprintf(t->scope, sizeof t->scope, "PD0101");
        snprintf(t->scope_name, sizeof t->scope_name, "Điện lực Phủ Lý");
        if (aging_xlsx_row(x, t, &e) != 0) {
            fprintf(stderr, "bench_aging_xlsx: total: %s\n", e.msg);
            aging_xlsx_close(x, &e);
            return 1;
        }
    }
    if (aging_xlsx_close(x, &e) != 0) {
        fprintf(stderr, "bench_aging_xlsx: %s\n", e.msg);
        return 1;
    }
    double secs = monotonic_seconds() - t0;
    struct stat st;
    double mb = stat(path, &st) == 0 ? (double)st.st_size / 1e6 : 0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("aging detail to XLSX, %lld customer rows (s, constant memory, file %.0f MB) | %.2f | <= 15\n",
           (long long)n, mb, secs);
    printf("aging detail to XLSX peak memory (MB, ru_maxrss) | %.0f | <= 300\n", (double)ru.ru_maxrss / 1024.0);
    /* On a shared machine the wall time above includes waiting for a CPU; this is the work done. */
    printf("aging detail to XLSX CPU time (s, user + system) | %.2f | -\n",
           (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
    unlink(path);
    rmdir(dir);
    return 0;
}
