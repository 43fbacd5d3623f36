/* Working days (domain/workday) on the shipped calendar (data/holidays/vn.csv): weekends, Tết of
 * each year, Hùng Kings' day, 30/4-1/5 with its swaps and make-up Saturdays, 2/9, and the
 * calendar checks (a weekend holiday, a weekday make-up day, a bad kind, a repeated date). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"
#include "domain/workday.h"

extern const struct {
    const char *name;
    const char *text;
} service_data_files[];
extern const size_t service_data_files_count;

#define N(a) (sizeof(a) / sizeof *(a))

static workcal_data data;
static workcal cal;

static civil_date D(const char *s)
{
    civil_date d = 0;
    pc_err e = {0};
    assert_int_equal(date_parse(s, &d, &e), 0);
    return d;
}

static int setup(void **state)
{
    (void)state;
    const char *text = NULL;
    for (size_t i = 0; i < service_data_files_count; i++)
        if (strcmp(service_data_files[i].name, "vn.csv") == 0)
            text = service_data_files[i].text;
    assert_non_null(text);
    pc_err e = {0};
    if (workcal_parse_csv(text, &data, &e) != 0)
        fail_msg("%s", e.msg);
    cal = workcal_of(&data);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    workcal_free(&data);
    return 0;
}

static void test_coverage(void **state)
{
    (void)state;
    char a[DATE_FMT_MAX], b[DATE_FMT_MAX];
    assert_string_equal(date_format(data.first, a), "2024-01-01");
    assert_string_equal(date_format(data.last, b), "2027-12-31");
    assert_int_equal(data.nwork, 3); /* 2024-05-04, 2025-02-08, 2025-04-26 */
}

static void test_is_working(void **state)
{
    (void)state;
    static const struct {
        const char *day;
        int working;
    } cases[] = {
        {"2026-12-07", 1}, /* a Monday */
        {"2026-12-05", 0}, /* Saturday */
        {"2026-12-06", 0}, /* Sunday */
        {"2026-01-01", 0}, /* New Year */
        {"2026-01-02", 1},
        {"2026-02-13", 1}, /* Friday before Tết Bính Ngọ */
        {"2026-02-16", 0}, {"2026-02-17", 0}, {"2026-02-20", 0}, /* Tết */
        {"2026-02-23", 1},
        {"2026-04-27", 0}, /* Hùng Kings' day fell on Sunday 26/4: Monday off */
        {"2026-04-28", 1},
        {"2026-04-30", 0}, {"2026-05-01", 0},
        {"2026-09-02", 0},
        {"2024-05-04", 1}, /* the Saturday worked for the 29/4/2024 swap */
        {"2024-04-29", 0},
        {"2025-04-26", 1}, /* Saturday worked for 2/5/2025 */
        {"2025-05-02", 0},
        {"2025-04-07", 0}, /* Hùng Kings 2025 */
        {"2024-04-18", 0}, /* Hùng Kings 2024 */
        {"2025-01-27", 0}, {"2025-01-31", 0}, {"2025-02-03", 1},
        {"2024-02-08", 0}, {"2024-02-14", 0}, {"2024-02-15", 1},
        {"2025-09-01", 0}, {"2024-09-03", 0},
    };
    for (size_t i = 0; i < N(cases); i++)
        if (workday_is_working(&cal, D(cases[i].day)) != (cases[i].working != 0))
            fail_msg("%s: expected %s", cases[i].day, cases[i].working ? "working" : "day off");
}

static void test_add_and_between(void **state)
{
    (void)state;
    static const struct {
        const char *from;
        int n;
        const char *to;
    } cases[] = {
        {"2026-12-07", 0, "2026-12-07"},
        {"2026-12-07", 1, "2026-12-08"},
        {"2026-12-04", 1, "2026-12-07"},  /* Friday + 1 = Monday */
        {"2026-12-05", 1, "2026-12-07"},  /* received on Saturday */
        {"2026-12-07", 5, "2026-12-14"},
        {"2026-12-07", 10, "2026-12-21"},
        {"2026-12-28", 3, "2026-12-31"},
        {"2026-12-28", 4, "2027-01-04"},  /* New Year (Friday) skipped */
        {"2026-02-12", 2, "2026-02-23"},  /* Thursday before Tết: Fri 13, then Mon 23 */
        {"2026-02-13", 1, "2026-02-23"},
        {"2026-02-10", 7, "2026-02-26"},  /* 11,12,13 then 23,24,25,26 */
        {"2026-04-24", 1, "2026-04-28"},  /* Hùng Kings' compensation Monday */
        {"2026-04-29", 1, "2026-05-04"},  /* 30/4 and 1/5 */
        {"2024-05-03", 1, "2024-05-04"},  /* the make-up Saturday counts */
        {"2024-04-26", 2, "2024-05-03"},  /* 29/4 swapped, 30/4, 1/5 off: 2/5 and 3/5 */
        {"2025-01-24", 1, "2025-02-03"},  /* Tết Ất Tỵ */
        {"2025-01-24", 5, "2025-02-07"},
        {"2025-01-24", 6, "2025-02-08"},  /* make-up Saturday after Tết (verify) */
        {"2026-01-05", 50, "2026-03-23"}, /* Tết inside a long span: 45 weekdays to 6/3 … */
        {"2024-01-02", 250, "2024-12-31"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        civil_date from = D(cases[i].from), want = D(cases[i].to);
        civil_date got = workday_add(&cal, from, cases[i].n);
        char g[DATE_FMT_MAX];
        if (got != want)
            fail_msg("%s + %d working days: got %s, want %s", cases[i].from, cases[i].n, date_format(got, g),
                     cases[i].to);
        int back = workday_between(&cal, from, want);
        if (back != cases[i].n)
            fail_msg("working days (%s, %s]: got %d, want %d", cases[i].from, cases[i].to, back, cases[i].n);
        assert_int_equal(workday_between(&cal, want, from), -cases[i].n);
    }
    /* Between two days off: (Sat, Sun] holds none; a span over Tết. */
    assert_int_equal(workday_between(&cal, D("2026-12-05"), D("2026-12-06")), 0);
    assert_int_equal(workday_between(&cal, D("2026-02-13"), D("2026-02-22")), 0);
    assert_int_equal(workday_between(&cal, D("2026-02-01"), D("2026-02-28")), 15); /* 20 weekdays, 5 of Tết */
    /* A whole year: 2026 has 261 weekdays, 11 of them off (1/1, 5 of Tết, 27/4, 30/4, 1/5, 1/9, 2/9). */
    assert_int_equal(workday_between(&cal, D("2025-12-31"), D("2026-12-31")), 250);
}

/* A brute-force count agrees with workday_between on every pair of days in early 2025. */
static void test_against_walk(void **state)
{
    (void)state;
    civil_date start = D("2024-12-20");
    for (int i = 0; i < 80; i++)
        for (int j = i; j < 80; j++) {
            civil_date a = date_add_days(start, i), b = date_add_days(start, j);
            int n = 0;
            for (civil_date d = date_add_days(a, 1); d <= b; d = date_add_days(d, 1))
                n += workday_is_working(&cal, d);
            assert_int_equal(workday_between(&cal, a, b), n);
        }
}

static void test_bad_calendar(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"date,name,kind\n2026-04-26,Hung Kings,holiday\n", "line 2: 2026-04-26 is a weekend day"},
        {"date,name,kind\n2026-01-01,New Year\n2026-04-27,x,makeup\n", "line 3: 2026-04-27 is a weekday"},
        {"date,name,kind\n2026-01-01,New Year,feast\n", "line 2: kind 'feast'"},
        {"date,name,kind\n2026-01-01,a,holiday\n2026-01-01,b,holiday\n", "2026-01-01 is given twice"},
        {"date,name,kind\n2026-13-01,a,holiday\n", "holiday calendar line 2"},
    };
    for (size_t i = 0; i < N(bad); i++) {
        workcal_data w;
        pc_err e = {0};
        assert_int_not_equal(workcal_parse_csv(bad[i].text, &w, &e), 0);
        if (!strstr(e.msg, bad[i].msg))
            fail_msg("case %zu: message '%s' lacks '%s'", i, e.msg, bad[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_is_working),
        cmocka_unit_test(test_add_and_between),
        cmocka_unit_test(test_against_walk),
        cmocka_unit_test(test_bad_calendar),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
