/* The aging workbooks (formats/aging_xlsx) read back the way a user's spreadsheet reads them:
 * LibreOffice converts every sheet to CSV and each figure must be the one written, in the order
 * written, with the Vietnamese texts intact. LibreOffice is required (make check installs
 * libreoffice-calc-nogui): without it these tests fail, they never skip. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/aging_xlsx.h"

static char dir[64];

static int group_setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/powercis-xlsx-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* --- LibreOffice and CSV --- */

static void require_libreoffice(void)
{
    if (system("command -v libreoffice >/dev/null 2>&1") != 0)
        fail_msg("libreoffice is not installed (libreoffice-calc-nogui; `make check` installs it)");
}

/* Converts every sheet of dir/name.xlsx to dir/csv/name-<sheet>.csv with raw values (not as
 * shown: no thousands separators). The profile lives in dir so parallel runs do not clash. */
static void convert(const char *name)
{
    require_libreoffice();
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && libreoffice -env:UserInstallation=file://%s/lo --headless --convert-to "
             "'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' "
             "--outdir '%s/csv' '%s.xlsx' >>'%s/lo.log' 2>&1",
             dir, dir, dir, name, dir);
    if (system(cmd) != 0)
        fail_msg("libreoffice could not convert %s.xlsx (see %s/lo.log)", name, dir);
}

typedef struct {
    int nrows;
    int ncols[256];
    char *cell[256][24];
} table;

static const char *cell(const table *t, int r, int c)
{
    return r < t->nrows && c < t->ncols[r] ? t->cell[r][c] : "";
}

/* A small RFC 4180 reader, enough for LibreOffice's output. */
static table *read_csv(const char *name, const char *sheet)
{
    char path[512];
    snprintf(path, sizeof path, "%s/csv/%s-%s.csv", dir, name, sheet);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("no CSV for sheet '%s' of %s.xlsx (%s)", sheet, name, path);
    table *t = calloc(1, sizeof *t);
    assert_non_null(t);
    char field[4096];
    size_t n = 0;
    int ch, r = 0, c = 0;
    bool quoted = false, any = false;
    while ((ch = fgetc(f)) != EOF || any) {
        if (ch != EOF && quoted) {
            if (ch == '"') {
                int next = fgetc(f);
                if (next == '"')
                    field[n++] = '"';
                else {
                    quoted = false;
                    ungetc(next, f);
                }
            } else {
                field[n++] = (char)ch;
            }
        } else if (ch == '"') {
            quoted = any = true;
        } else if (ch == ',' || ch == '\n' || ch == EOF) {
            assert_true(r < 256 && c < 24);
            field[n] = '\0';
            t->cell[r][c++] = strdup(field);
            n = 0;
            if (ch != ',') {
                t->ncols[r++] = c;
                c = 0;
                any = false;
            } else {
                any = true;
            }
        } else if (ch != '\r') {
            field[n++] = (char)ch;
            any = true;
        }
        assert_true(n < sizeof field - 1);
    }
    t->nrows = r;
    fclose(f);
    return t;
}

static void free_table(table *t)
{
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols[r]; c++)
            free(t->cell[r][c]);
    free(t);
}

static int find_row(const table *t, int col, const char *text)
{
    for (int r = 0; r < t->nrows; r++)
        if (strcmp(cell(t, r, col), text) == 0)
            return r;
    return -1;
}

static bool table_has(const table *t, const char *text)
{
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols[r]; c++)
            if (strstr(t->cell[r][c], text))
                return true;
    return false;
}

/* A number as LibreOffice wrote it: plain, or a percentage with its sign. */
static double number_at(const table *t, int r, int c)
{
    const char *s = cell(t, r, c);
    char *end;
    double v = strtod(s, &end);
    if (end == s)
        fail_msg("row %d column %d: '%s' is not a number", r + 1, c + 1, s);
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (*end)
        fail_msg("row %d column %d: '%s' is not a number", r + 1, c + 1, s);
    return v;
}

static void expect_amount(const table *t, int r, int c, int64_t want)
{
    double got = number_at(t, r, c);
    if (got != (double)want)
        fail_msg("row %d column %d: %s, expected %lld", r + 1, c + 1, cell(t, r, c), (long long)want);
}

static void expect_share(const table *t, int r, int c, int64_t part, int64_t whole)
{
    double want = whole ? (double)part / (double)whole : 0.0;
    double got = number_at(t, r, c);
    if (fabs(got - want) > 1e-12)
        fail_msg("row %d column %d: share %s, expected %.15g", r + 1, c + 1, cell(t, r, c), want);
}

static void expect_text(const table *t, int r, int c, const char *want)
{
    if (strcmp(cell(t, r, c), want) != 0)
        fail_msg("row %d column %d: '%s', expected '%s'", r + 1, c + 1, cell(t, r, c), want);
}

/* Customer rows leave zero amounts out: an empty cell is a zero there, and only there. */
static void expect_amount_or_empty(const table *t, int r, int c, int64_t want)
{
    if (want == 0)
        expect_text(t, r, c, "");
    else
        expect_amount(t, r, c, want);
}

static bool file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)size);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    bool found = memmem(buf, (size_t)size, needle, strlen(needle)) != NULL;
    free(buf);
    return found;
}

/* --- the figures --- */

static void set_amounts(aging_row *r, int64_t seed)
{
    r->total = 0;
    for (int b = 0; b < AGING_BUCKETS; b++) {
        r->amount[b] = seed * (b + 3) * 1009 + (b == AGING_GE_3Y ? 98765432101LL : 0) + b;
        r->total += r->amount[b];
    }
    r->provision = (r->amount[AGING_M6_12] * 30 + r->amount[AGING_Y1_2] * 50 + r->amount[AGING_Y2_3] * 70 + 50) / 100 +
                   r->amount[AGING_GE_3Y];
    r->customers = seed % 977 + 3;
    for (int b = 0; b < AGING_BUCKETS; b++)
        r->bucket_customers[b] = r->customers - b;
}

static void add_into(aging_row *sum, const aging_row *r)
{
    sum->customers += r->customers;
    for (int b = 0; b < AGING_BUCKETS; b++)
        sum->amount[b] += r->amount[b];
    sum->total += r->total;
    sum->provision += r->provision;
}

/* Two companies, three units: the rows in the order the report engine emits them. */
static int summary_rows(aging_row *rows)
{
    static const struct {
        const char *code, *name, *company, *company_name;
    } units[] = {
        {"PD0101", "Điện lực Phủ Lý", "PC01", "Công ty Điện lực Hà Nam"},
        {"PD0102", "Điện lực Duy Tiên", "PC01", "Công ty Điện lực Hà Nam"},
        {"PD0201", "Điện lực Giao Thủy", "PC02", "Công ty Điện lực Nam Định"},
    };
    int n = 0;
    aging_row sub[3], total[3];
    memset(sub, 0, sizeof sub);
    memset(total, 0, sizeof total);
    for (int u = 0; u < 3; u++) {
        for (int c = 0; c < 3; c++) {
            aging_row *r = &rows[n++];
            memset(r, 0, sizeof *r);
            r->kind = AGING_ROW_ITEM;
            snprintf(r->level, sizeof r->level, "unit");
            snprintf(r->scope, sizeof r->scope, "%s", units[u].code);
            snprintf(r->scope_name, sizeof r->scope_name, "%s", units[u].name);
            r->cls = (aging_class)c;
            if (c < 2) {
                set_amounts(r, 1000 * (u + 1) + 17 * c + 1);
            } else { /* the unit's "all" row: both classes */
                aging_row both = {0};
                add_into(&both, &rows[n - 3]);
                add_into(&both, &rows[n - 2]);
                r->customers = both.customers;
                memcpy(r->amount, both.amount, sizeof r->amount);
                r->total = both.total;
                r->provision = both.provision;
            }
            add_into(&sub[c], r);
            add_into(&total[c], r);
        }
        if (u == 2 || strcmp(units[u].company, units[u + 1].company) != 0) {
            for (int c = 0; c < 3; c++) {
                aging_row *r = &rows[n++];
                *r = sub[c];
                r->kind = AGING_ROW_SUBTOTAL;
                snprintf(r->level, sizeof r->level, "company");
                snprintf(r->scope, sizeof r->scope, "%s", units[u].company);
                snprintf(r->scope_name, sizeof r->scope_name, "%s", units[u].company_name);
                r->cls = (aging_class)c;
            }
            memset(sub, 0, sizeof sub);
        }
    }
    for (int c = 0; c < 3; c++) {
        aging_row *r = &rows[n++];
        *r = total[c];
        r->kind = AGING_ROW_TOTAL;
        snprintf(r->level, sizeof r->level, "corporation");
        snprintf(r->scope, sizeof r->scope, "NPC");
        snprintf(r->scope_name, sizeof r->scope_name, "Tổng công ty Điện lực miền Bắc");
        r->cls = (aging_class)c;
    }
    return n;
}

static const struct {
    const char *code, *name, *address, *status;
    aging_class cls;
    int64_t documents;
} customers[] = {
    {"PA01010000001", "Nguyễn Văn Ấn", "Số 12 ngõ 34 phố Trần Hưng Đạo, phường Lương Khánh Thiện", "monitoring",
     AGING_CLASS_RESIDENTIAL, 2},
    {"PA01010000002", "Trần Thị Ngọc Ánh", "Thôn Đồng Văn, xã Duy Minh, huyện Duy Tiên", "", AGING_CLASS_RESIDENTIAL,
     0},
    {"PA01010000003", "Công ty TNHH Thương mại \"Đại Việt\"", "Lô B2, KCN Đồng Văn II", "in_court",
     AGING_CLASS_NONRESIDENTIAL, 5},
    {"PA01010000004", "Hộ kinh doanh Lê Đức Thọ", "", "written_off", AGING_CLASS_NONRESIDENTIAL, 1},
};
#define NCUSTOMERS (int)(sizeof customers / sizeof *customers)

static int detail_rows(aging_row *rows)
{
    aging_row total[3];
    memset(total, 0, sizeof total);
    int n = 0;
    for (int i = 0; i < NCUSTOMERS; i++) {
        aging_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->kind = AGING_ROW_ITEM;
        snprintf(r->level, sizeof r->level, "customer");
        snprintf(r->scope, sizeof r->scope, "PD0101");
        snprintf(r->scope_name, sizeof r->scope_name, "Điện lực Phủ Lý");
        r->cls = customers[i].cls;
        snprintf(r->customer_code, sizeof r->customer_code, "%s", customers[i].code);
        snprintf(r->name, sizeof r->name, "%s", customers[i].name);
        snprintf(r->address, sizeof r->address, "%s", customers[i].address);
        snprintf(r->case_status, sizeof r->case_status, "%s", customers[i].status);
        r->documents = customers[i].documents;
        set_amounts(r, 31 * i + 5);
        if (i == 1) { /* only this month's bill */
            for (int b = AGING_LT_3M; b < AGING_BUCKETS; b++)
                r->amount[b] = 0;
            r->total = r->amount[AGING_NOT_DUE];
            r->provision = 0;
        }
        r->customers = 1;
        add_into(&total[r->cls], r);
        add_into(&total[AGING_CLASS_ALL], r);
    }
    for (int c = 0; c < 3; c++) {
        aging_row *r = &rows[n++];
        *r = total[c];
        r->kind = AGING_ROW_TOTAL;
        snprintf(r->level, sizeof r->level, "unit");
        snprintf(r->scope, sizeof r->scope, "PD0101");
        snprintf(r->scope_name, sizeof r->scope_name, "Điện lực Phủ Lý");
        r->cls = (aging_class)c;
    }
    return n;
}

static void write_report(const char *name, const aging_report_info *info, const aging_row *rows, int n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.xlsx", dir, name);
    pc_err e = {0};
    aging_xlsx *x = aging_xlsx_open(path, info, &e);
    if (!x)
        fail_msg("open: %s", e.msg);
    for (int i = 0; i < n; i++)
        if (aging_xlsx_row(x, &rows[i], &e) != 0)
            fail_msg("row %d: %s", i + 1, e.msg);
    if (aging_xlsx_close(x, &e) != 0)
        fail_msg("close: %s", e.msg);
    /* Constant-memory mode writes strings inline: no shared-string table. And a chart. */
    assert_false(file_contains(path, "xl/sharedStrings.xml"));
    assert_true(file_contains(path, "xl/charts/chart1.xml"));
}

/* The chart sheet's table: one row per bucket, columns for the three classes. */
static void check_chart_sheet(const table *t, const aging_row *total)
{
    int head = find_row(t, 0, "Tuổi nợ");
    assert_true(head >= 0);
    for (int c = 0; c < 3; c++)
        expect_text(t, head, 1 + c, aging_class_heading_vi[c]);
    for (int b = 0; b < AGING_BUCKETS; b++) {
        int r = head + 1 + b;
        expect_text(t, r, 0, aging_bucket_heading_vi[b]);
        for (int c = 0; c < 3; c++)
            expect_amount(t, r, 1 + c, total[c].amount[b]);
        expect_share(t, r, 4, total[AGING_CLASS_ALL].amount[b], total[AGING_CLASS_ALL].total);
    }
    int r = find_row(t, 0, "Tổng nợ");
    assert_int_equal(r, head + 1 + AGING_BUCKETS);
    for (int c = 0; c < 3; c++) {
        expect_amount(t, r, 1 + c, total[c].total);
        expect_amount(t, r + 1, 1 + c, total[c].provision);
        expect_amount(t, r + 2, 1 + c, total[c].customers);
    }
}

/* --- the tests --- */

static void test_summary_by_unit(void **state)
{
    (void)state;
    aging_row rows[32];
    int n = summary_rows(rows);
    assert_int_equal(n, 18);
    aging_report_info info = {.as_of = "2021-08-31", .scope = "NPC", .by = "unit", .lock_id = 7};
    snprintf(info.scope_name, sizeof info.scope_name, "Tổng công ty Điện lực miền Bắc");
    write_report("summary", &info, rows, n);
    convert("summary");
    table *t = read_csv("summary", "Tuổi nợ");
    assert_true(table_has(t, "BÁO CÁO TUỔI NỢ TIỀN ĐIỆN"));
    assert_true(table_has(t, "Tổng công ty Điện lực miền Bắc"));
    assert_true(table_has(t, "Đến ngày 31/08/2021"));
    assert_true(table_has(t, "Thông tư 48/2019/TT-BTC, mức chung"));
    assert_true(table_has(t, "Số liệu đã khóa sổ (khóa số 7)"));
    assert_true(table_has(t, "KẾ TOÁN TRƯỞNG"));

    int head = find_row(t, 0, "Mã đơn vị");
    assert_true(head > 0);
    expect_text(t, head, 1, "Tên đơn vị");
    expect_text(t, head, 2, "Đối tượng");
    expect_text(t, head, 3, "Số khách hàng");
    for (int b = 0; b < AGING_BUCKETS; b++)
        expect_text(t, head, 4 + b, aging_bucket_heading_vi[b]);
    expect_text(t, head, 11, "Tổng nợ");
    expect_text(t, head, 12, "Dự phòng");
    for (int b = 1; b < AGING_BUCKETS; b++)
        expect_text(t, head, 12 + b, aging_bucket_heading_vi[b]);

    /* Every row, in order, right below the heading. */
    for (int i = 0; i < n; i++) {
        const aging_row *w = &rows[i];
        int r = head + 1 + i;
        char name[300];
        if (w->kind == AGING_ROW_ITEM)
            snprintf(name, sizeof name, "%s", w->scope_name);
        else if (w->kind == AGING_ROW_SUBTOTAL)
            snprintf(name, sizeof name, "Cộng %s", w->scope_name);
        else
            snprintf(name, sizeof name, "TỔNG CỘNG");
        expect_text(t, r, 0, w->scope);
        expect_text(t, r, 1, name);
        expect_text(t, r, 2, aging_class_heading_vi[w->cls]);
        expect_amount(t, r, 3, w->customers);
        for (int b = 0; b < AGING_BUCKETS; b++)
            expect_amount(t, r, 4 + b, w->amount[b]);
        expect_amount(t, r, 11, w->total);
        expect_amount(t, r, 12, w->provision);
        for (int b = 1; b < AGING_BUCKETS; b++)
            expect_share(t, r, 12 + b, w->amount[b], w->total);
    }
    expect_text(t, head + 1 + n, 0, ""); /* nothing else among the data */
    free_table(t);

    t = read_csv("summary", "Biểu đồ");
    check_chart_sheet(t, &rows[n - 3]);
    free_table(t);
}

static void test_detail_by_customer(void **state)
{
    (void)state;
    aging_row rows[16];
    int n = detail_rows(rows);
    aging_report_info info = {.as_of = "2024-12-31", .scope = "PD0101", .by = "customer",
                              .scheme = PROVISION_SPECIAL};
    snprintf(info.scope_name, sizeof info.scope_name, "Điện lực Phủ Lý");
    write_report("detail", &info, rows, n);
    convert("detail");
    table *t = read_csv("detail", "Tuổi nợ");
    assert_true(table_has(t, "chi tiết theo khách hàng"));
    assert_true(table_has(t, "Đến ngày 31/12/2024"));
    assert_true(table_has(t, "mức riêng cho nợ bán lẻ của cá nhân"));
    assert_false(table_has(t, "khóa sổ"));

    int head = find_row(t, 0, "Mã khách hàng");
    assert_true(head > 0);
    static const char *const heads[] = {"Tên khách hàng", "Địa chỉ", "Đơn vị", "Đối tượng"};
    for (int c = 1; c < 5; c++)
        expect_text(t, head, c, heads[c - 1]);
    expect_text(t, head, 12, "Tổng nợ");
    expect_text(t, head, 14, "Tình trạng vụ việc");
    expect_text(t, head, 15, "Số tài liệu");

    static const char *const status_vi[] = {"Theo dõi", "", "Khởi kiện", "Đã xóa nợ"};
    for (int i = 0; i < n; i++) {
        const aging_row *w = &rows[i];
        int r = head + 1 + i;
        if (w->kind == AGING_ROW_ITEM) {
            expect_text(t, r, 0, w->customer_code);
            expect_text(t, r, 1, w->name);
            expect_text(t, r, 2, w->address);
            expect_text(t, r, 14, status_vi[i]);
            if (w->case_status[0])
                expect_amount(t, r, 15, w->documents);
            else
                expect_text(t, r, 15, "");
        } else {
            char count[64];
            snprintf(count, sizeof count, "%lld khách hàng", (long long)w->customers);
            expect_text(t, r, 0, "TỔNG CỘNG");
            expect_text(t, r, 1, count);
        }
        expect_text(t, r, 3, "PD0101");
        expect_text(t, r, 4, aging_class_heading_vi[w->cls]);
        expect_amount(t, r, 12, w->total);
        for (int b = 0; b < AGING_BUCKETS; b++)
            if (w->kind == AGING_ROW_ITEM)
                expect_amount_or_empty(t, r, 5 + b, w->amount[b]);
            else
                expect_amount(t, r, 5 + b, w->amount[b]);
        if (w->kind == AGING_ROW_ITEM)
            expect_amount_or_empty(t, r, 13, w->provision);
        else
            expect_amount(t, r, 13, w->provision);
    }
    free_table(t);

    t = read_csv("detail", "Biểu đồ");
    check_chart_sheet(t, &rows[n - 3]);
    free_table(t);
}

static void test_trend(void **state)
{
    (void)state;
    aging_trend_row rows[9];
    static const char *const months[] = {"2021-06", "2021-07", "2021-08"};
    static const char *const ends[] = {"2021-06-30", "2021-07-31", "2021-08-31"};
    for (int m = 0; m < 3; m++)
        for (int c = 0; c < 3; c++) {
            aging_trend_row *t = &rows[m * 3 + c];
            memset(t, 0, sizeof *t);
            snprintf(t->month, sizeof t->month, "%s", months[m]);
            snprintf(t->as_of, sizeof t->as_of, "%s", ends[m]);
            t->cls = (aging_class)c;
            aging_row tmp = {0};
            set_amounts(&tmp, 500 * m + 7 * c + 11);
            t->customers = tmp.customers;
            memcpy(t->amount, tmp.amount, sizeof t->amount);
            t->total = tmp.total;
            t->provision = tmp.provision;
        }
    aging_report_info info = {.as_of = "2021-08-31", .scope = "PC01", .by = "company"};
    snprintf(info.scope_name, sizeof info.scope_name, "Công ty Điện lực Hà Nam");
    char path[256];
    snprintf(path, sizeof path, "%s/trend.xlsx", dir);
    pc_err e = {0};
    if (aging_trend_xlsx_write(path, &info, rows, 9, &e) != 0)
        fail_msg("%s", e.msg);
    assert_true(file_contains(path, "xl/charts/chart1.xml"));
    convert("trend");

    table *t = read_csv("trend", "Xu hướng");
    assert_true(table_has(t, "BÁO CÁO XU HƯỚNG TUỔI NỢ TIỀN ĐIỆN"));
    assert_true(table_has(t, "Từ tháng 06/2021 đến tháng 08/2021"));
    int head = find_row(t, 0, "Tháng");
    assert_true(head > 0);
    expect_text(t, head, 1, "Đến ngày");
    expect_text(t, head, 11, "Tổng nợ");
    expect_text(t, head, 12, "Dự phòng");
    for (int i = 0; i < 9; i++) {
        int r = head + 1 + i;
        char month[16], as_of[16];
        snprintf(month, sizeof month, "%.2s/%.4s", rows[i].month + 5, rows[i].month);
        snprintf(as_of, sizeof as_of, "%.2s/%.2s/%.4s", rows[i].as_of + 8, rows[i].as_of + 5, rows[i].as_of);
        expect_text(t, r, 0, month);
        expect_text(t, r, 1, as_of);
        expect_text(t, r, 2, aging_class_heading_vi[rows[i].cls]);
        expect_amount(t, r, 3, rows[i].customers);
        for (int b = 0; b < AGING_BUCKETS; b++)
            expect_amount(t, r, 4 + b, rows[i].amount[b]);
        expect_amount(t, r, 11, rows[i].total);
        expect_amount(t, r, 12, rows[i].provision);
    }
    free_table(t);

    /* The chart's data: the "all" rows, month by month. */
    t = read_csv("trend", "Biểu đồ");
    head = find_row(t, 0, "Tháng");
    assert_true(head >= 0);
    for (int m = 0; m < 3; m++) {
        const aging_trend_row *all = &rows[m * 3 + AGING_CLASS_ALL];
        for (int b = 0; b < AGING_BUCKETS; b++)
            expect_amount(t, head + 1 + m, 1 + b, all->amount[b]);
        expect_amount(t, head + 1 + m, 1 + AGING_BUCKETS, all->total);
    }
    expect_text(t, head + 4, 0, "");
    free_table(t);
}

static void test_errors(void **state)
{
    (void)state;
    aging_report_info info = {.as_of = "2021-08-31", .scope = "NPC", .scope_name = "NPC", .by = "unit"};
    pc_err e = {0};

    /* A folder that does not exist: refused at open, naming the file. */
    assert_null(aging_xlsx_open("/nonexistent-powercis/aging.xlsx", &info, &e));
    assert_int_equal(e.code, PC_EIO);
    assert_non_null(strstr(e.msg, "/nonexistent-powercis/aging.xlsx"));
    assert_int_equal(aging_trend_xlsx_write("/nonexistent-powercis/trend.xlsx", &info, NULL, 0, &e), -1);
    assert_non_null(strstr(e.msg, "/nonexistent-powercis/trend.xlsx"));

    /* A bad row: that row and every later call fail with the first error; nothing is left. */
    char path[256];
    snprintf(path, sizeof path, "%s/broken.xlsx", dir);
    aging_xlsx *x = aging_xlsx_open(path, &info, &e);
    assert_non_null(x);
    aging_row r = {.kind = AGING_ROW_ITEM, .cls = (aging_class)7};
    assert_int_equal(aging_xlsx_row(x, &r, &e), -1);
    char first[512];
    snprintf(first, sizeof first, "%s", e.msg);
    assert_non_null(strstr(first, path));
    r.cls = AGING_CLASS_ALL;
    assert_int_equal(aging_xlsx_row(x, &r, &e), -1);
    assert_string_equal(e.msg, first);
    assert_int_equal(aging_xlsx_close(x, &e), -1);
    assert_string_equal(e.msg, first);
    assert_int_equal(access(path, F_OK), -1);

    /* Abort after some rows: the file is gone. */
    x = aging_xlsx_open(path, &info, &e);
    assert_non_null(x);
    assert_int_equal(aging_xlsx_row(x, &r, &e), 0);
    aging_xlsx_abort(x);
    assert_int_equal(access(path, F_OK), -1);

    assert_int_equal(aging_trend_xlsx_write(path, &info, NULL, -1, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
}

static void test_class_names(void **state)
{
    (void)state;
    assert_string_equal(aging_class_field[AGING_CLASS_RESIDENTIAL], "residential");
    assert_string_equal(aging_class_field[AGING_CLASS_NONRESIDENTIAL], "nonresidential");
    assert_string_equal(aging_class_field[AGING_CLASS_ALL], "all");
    assert_string_equal(aging_class_heading_vi[AGING_CLASS_RESIDENTIAL], "Sinh hoạt");
    assert_string_equal(aging_class_heading_vi[AGING_CLASS_NONRESIDENTIAL], "Ngoài sinh hoạt");
    assert_string_equal(aging_class_heading_vi[AGING_CLASS_ALL], "Cộng");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_names), cmocka_unit_test(test_summary_by_unit),
        cmocka_unit_test(test_detail_by_customer), cmocka_unit_test(test_trend),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
