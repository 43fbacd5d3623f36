/* Civil dates and months: leap years, strict parsing, month arithmetic clamped to month end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"

static civil_date d(const char *s)
{
    civil_date x = 0;
    assert_int_equal(date_parse(s, &x, NULL), 0);
    return x;
}

static void test_leap(void **state)
{
    (void)state;
    assert_false(date_is_leap(1900));
    assert_true(date_is_leap(2000));
    assert_true(date_is_leap(2024));
    assert_false(date_is_leap(2100));
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2025, 2), 28);
    assert_int_equal(date_days_in_month(2025, 4), 30);
    assert_int_equal(date_days_in_month(2025, 13), 0);
}

static void test_parse(void **state)
{
    (void)state;
    assert_int_equal(d("1970-01-01"), 0);
    assert_int_equal(d("1970-01-02"), 1);
    assert_int_equal(d("1969-12-31"), -1);
    d("2024-02-29");
    static const char *const bad[] = {"2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "2025-1-01",
                                      "abcd-ef-gh", "",           "2025-01-01x", "1899-12-31", "2025/01/01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        civil_date x = 77;
        pc_err e = {0};
        assert_int_equal(date_parse(bad[i], &x, &e), -1);
        assert_int_equal(x, 77);
        if (bad[i][0])
            assert_non_null(strstr(e.msg, bad[i]));
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    char b[DATE_FMT_MAX];
    int y0 = 1900, m0 = 1, d0 = 1;
    civil_date start = date_from_ymd(y0, m0, d0), end = date_from_ymd(2100, 12, 31);
    int y = y0, m = m0, dd = d0;
    for (civil_date x = start; x <= end; x++) {
        int yy, mm, ddd;
        date_to_ymd(x, &yy, &mm, &ddd);
        assert_int_equal(yy, y);
        assert_int_equal(mm, m);
        assert_int_equal(ddd, dd);
        assert_int_equal(date_from_ymd(y, m, dd), x);
        if (++dd > date_days_in_month(y, m)) {
            dd = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_string_equal(date_format(d("2024-02-29"), b), "2024-02-29");
}

static void test_add_months(void **state)
{
    (void)state;
    char b[DATE_FMT_MAX];
    static const struct {
        const char *from;
        int n;
        const char *to;
    } cases[] = {
        {"2024-01-31", 1, "2024-02-29"}, {"2025-01-31", 1, "2025-02-28"}, {"2024-02-29", 12, "2025-02-28"},
        {"2024-03-31", -1, "2024-02-29"}, {"2025-08-31", 3, "2025-11-30"}, {"2023-05-31", 36, "2026-05-31"},
        {"2025-12-15", 1, "2026-01-15"},  {"2025-01-15", -13, "2023-12-15"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_string_equal(date_format(date_add_months(d(cases[i].from), cases[i].n), b), cases[i].to);
}

static void test_days_and_weekdays(void **state)
{
    (void)state;
    assert_int_equal(date_days_between(d("2024-02-01"), d("2024-03-01")), 29);
    assert_int_equal(date_days_between(d("2023-02-01"), d("2023-03-01")), 28);
    assert_int_equal(date_days_between(d("2024-01-01"), d("2025-01-01")), 366);
    assert_int_equal(date_weekday(d("2026-11-23")), 0); /* Monday */
    assert_int_equal(date_weekday(d("1970-01-01")), 3); /* Thursday */
    assert_int_equal(date_weekday(d("2024-02-29")), 3);
    assert_int_equal(date_weekday(d("1969-12-28")), 6); /* Sunday, before the epoch */
}

static void test_months(void **state)
{
    (void)state;
    civil_month m;
    char b[MONTH_FMT_MAX], db[DATE_FMT_MAX];
    pc_err e = {0};
    assert_int_equal(month_parse("2024-12", &m, &e), 0);
    assert_int_equal(m, 202412);
    assert_string_equal(month_format(month_add(m, 1), b), "2025-01");
    assert_string_equal(month_format(month_add(202501, -1), b), "2024-12");
    assert_string_equal(month_format(month_add(202501, -13), b), "2023-12");
    assert_string_equal(date_format(month_last_day(202402), db), "2024-02-29");
    assert_string_equal(date_format(month_first_day(202402), db), "2024-02-01");
    assert_int_equal(month_of(d("2025-07-31")), 202507);
    assert_int_equal(month_parse("2024-13", &m, &e), -1);
    assert_int_equal(month_parse("2024-1", &m, &e), -1);
    assert_non_null(strstr(e.msg, "2024-1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap),      cmocka_unit_test(test_parse),
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_days_and_weekdays), cmocka_unit_test(test_months),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
