/* Civil dates and months (base/date): leap years, strict parsing with messages naming the text,
 * the day-number round trip 1900..2100, month arithmetic clamped to month end, weekdays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"

#define N(a) (sizeof(a) / sizeof *(a))

/* A date the test knows to be valid. */
static civil_date D(const char *s)
{
    civil_date x = 0;
    pc_err e = {0};
    if (date_parse(s, &x, &e) != 0)
        fail_msg("fixture date '%s' refused: %s", s, e.msg);
    return x;
}

static void test_leap_years(void **state)
{
    (void)state;
    static const struct {
        int year;
        bool leap;
    } cases[] = {
        {1900, false}, {1904, true}, {1996, true}, {1999, false}, {2000, true}, {2023, false},
        {2024, true},  {2025, false}, {2100, false}, {2400, true},
    };
    for (size_t i = 0; i < N(cases); i++)
        if (date_is_leap(cases[i].year) != cases[i].leap)
            fail_msg("date_is_leap(%d) != %d", cases[i].year, cases[i].leap);
}

static void test_days_in_month(void **state)
{
    (void)state;
    static const int common[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++) {
        assert_int_equal(date_days_in_month(2025, m), common[m - 1]);
        assert_int_equal(date_days_in_month(2024, m), m == 2 ? 29 : common[m - 1]);
    }
    assert_int_equal(date_days_in_month(1900, 2), 28);
    assert_int_equal(date_days_in_month(2000, 2), 29);
    assert_int_equal(date_days_in_month(2100, 2), 28);
    assert_int_equal(date_days_in_month(2025, 0), 0);
    assert_int_equal(date_days_in_month(2025, 13), 0);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(date_valid(2024, 2, 29));
    assert_false(date_valid(2023, 2, 29));
    assert_false(date_valid(2025, 2, 30));
    assert_false(date_valid(2025, 4, 31));
    assert_true(date_valid(2025, 12, 31));
    assert_false(date_valid(2025, 13, 1));
    assert_false(date_valid(2025, 0, 1));
    assert_false(date_valid(2025, 1, 0));
}

static void test_parse_good(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int y, m, d;
    } cases[] = {
        {"1970-01-01", 1970, 1, 1}, {"2024-02-29", 2024, 2, 29}, {"2000-02-29", 2000, 2, 29},
        {"1900-01-01", 1900, 1, 1}, {"2025-12-31", 2025, 12, 31}, {"9999-12-31", 9999, 12, 31},
    };
    for (size_t i = 0; i < N(cases); i++) {
        civil_date x = -77;
        pc_err e = {0};
        if (date_parse(cases[i].text, &x, &e) != 0)
            fail_msg("'%s' refused: %s", cases[i].text, e.msg);
        assert_int_equal(x, date_from_ymd(cases[i].y, cases[i].m, cases[i].d));
        char b[DATE_FMT_MAX];
        assert_string_equal(date_format(x, b), cases[i].text);
    }
}

static void test_epoch_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("1970-01-02"), 1);
    assert_int_equal(D("1969-12-31"), -1);
    assert_int_equal(D("2000-03-01"), 11017);
    assert_int_equal(D("1900-01-01"), -25567);
    assert_int_equal(D("2024-02-29"), 19782);
}

static void test_parse_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-01-00",
        "2025-1-01",  "2025-01-1",  "25-01-01",   "abcd-ef-gh", "2025-01-01x", " 2025-01-01",
        "2025/01/01", "2025-01-01T00:00", "1899-12-31", "0000-01-01", "+025-01-01", "2025-0a-01",
        "20250101",
    };
    for (size_t i = 0; i < N(bad); i++) {
        civil_date x = 77;
        pc_err e = {0};
        if (date_parse(bad[i], &x, &e) != -1)
            fail_msg("'%s' accepted", bad[i]);
        assert_int_equal(x, 77);
        assert_int_equal(e.code, PC_EINVAL);
        if (!strstr(e.msg, bad[i]))
            fail_msg("message '%s' does not name '%s'", e.msg, bad[i]);
    }
    civil_date x = 77;
    pc_err e = {0};
    assert_int_equal(date_parse("", &x, &e), -1);
    assert_int_equal(x, 77);
    assert_non_null(strstr(e.msg, "empty"));
    assert_non_null(strstr(e.msg, "YYYY-MM-DD"));
    assert_int_equal(date_parse(NULL, &x, &e), -1);
}

/* date_from_ymd and date_to_ymd agree on every day 1900-01-01..2100-12-31, and consecutive days
 * have consecutive numbers. */
static void test_round_trip_every_day(void **state)
{
    (void)state;
    civil_date start = date_from_ymd(1900, 1, 1), end = date_from_ymd(2100, 12, 31);
    int y = 1900, m = 1, d = 1;
    long count = 0;
    for (civil_date x = start; x <= end; x++, count++) {
        int yy, mm, dd;
        date_to_ymd(x, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d)
            fail_msg("day %d: to_ymd gave %04d-%02d-%02d, want %04d-%02d-%02d", x, yy, mm, dd, y, m, d);
        if (date_from_ymd(y, m, d) != x)
            fail_msg("from_ymd(%04d-%02d-%02d) != %d", y, m, d, x);
        if (++d > date_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(y, 2101);
    assert_int_equal(count, 73414); /* 201 years and 49 leap days (1900 and 2100 are not leap) */
}

static void test_format_and_add_days(void **state)
{
    (void)state;
    char b[DATE_FMT_MAX];
    assert_string_equal(date_format(0, b), "1970-01-01");
    assert_string_equal(date_format(-1, b), "1969-12-31");
    assert_string_equal(date_format(date_add_days(D("2024-02-28"), 1), b), "2024-02-29");
    assert_string_equal(date_format(date_add_days(D("2024-02-28"), 2), b), "2024-03-01");
    assert_string_equal(date_format(date_add_days(D("2025-01-01"), -1), b), "2024-12-31");
    assert_string_equal(date_format(date_add_days(D("2024-01-01"), 366), b), "2025-01-01");
}

static void test_add_months_clamps(void **state)
{
    (void)state;
    static const struct {
        const char *from;
        int n;
        const char *to;
    } cases[] = {
        {"2024-01-31", 1, "2024-02-29"},  {"2025-01-31", 1, "2025-02-28"},  {"2024-02-29", 12, "2025-02-28"},
        {"2024-03-31", -1, "2024-02-29"}, {"2025-08-31", 3, "2025-11-30"},  {"2023-05-31", 36, "2026-05-31"},
        {"2025-12-15", 1, "2026-01-15"},  {"2025-01-15", -1, "2024-12-15"}, {"2025-01-15", -13, "2023-12-15"},
        {"2025-03-31", -1, "2025-02-28"}, {"2025-05-31", 1, "2025-06-30"},  {"2025-06-30", 1, "2025-07-30"},
        {"2025-06-15", 0, "2025-06-15"},  {"2100-01-31", 1, "2100-02-28"},  {"2000-01-31", 1, "2000-02-29"},
        {"2024-02-29", -12, "2023-02-28"}, {"2024-02-29", 48, "2028-02-29"}, {"1900-01-31", 1, "1900-02-28"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        char b[DATE_FMT_MAX];
        date_format(date_add_months(D(cases[i].from), cases[i].n), b);
        if (strcmp(b, cases[i].to) != 0)
            fail_msg("%s %+d months = %s, want %s", cases[i].from, cases[i].n, b, cases[i].to);
    }
}

static void test_days_between(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
        int32_t days;
    } cases[] = {
        {"2024-02-01", "2024-03-01", 29}, {"2023-02-01", "2023-03-01", 28}, {"2024-01-01", "2025-01-01", 366},
        {"2025-01-01", "2026-01-01", 365}, {"2024-02-28", "2024-03-01", 2},  {"2025-01-31", "2025-02-01", 1},
        {"2025-03-01", "2025-02-01", -28}, {"2025-05-05", "2025-05-05", 0},  {"1900-01-01", "2000-01-01", 36524},
    };
    for (size_t i = 0; i < N(cases); i++)
        if (date_days_between(D(cases[i].from), D(cases[i].to)) != cases[i].days)
            fail_msg("%s → %s: %d days, want %d", cases[i].from, cases[i].to,
                     date_days_between(D(cases[i].from), D(cases[i].to)), cases[i].days);
}

static void test_weekday(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int weekday; /* 0 = Monday */
    } cases[] = {
        {"2026-11-23", 0}, {"1970-01-01", 3}, {"2024-02-29", 3}, {"1969-12-28", 6}, {"1969-12-29", 0},
        {"1900-01-01", 0}, {"2000-01-01", 5}, {"2025-09-02", 1}, {"1945-09-02", 6},
    };
    for (size_t i = 0; i < N(cases); i++)
        if (date_weekday(D(cases[i].date)) != cases[i].weekday)
            fail_msg("%s: weekday %d, want %d", cases[i].date, date_weekday(D(cases[i].date)), cases[i].weekday);
    /* seven consecutive days cover 0..6 once each */
    for (civil_date x = D("1960-01-01"); x < D("1960-01-01") + 7; x++)
        assert_int_equal(date_weekday(x + 7), date_weekday(x));
}

static void test_today(void **state)
{
    (void)state;
    civil_date utc = date_today(0), hanoi = date_today(420);
    assert_true(utc > D("2024-01-01"));
    assert_true(hanoi - utc == 0 || hanoi - utc == 1);
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    assert_int_equal(strlen(ts), 20);
    assert_int_equal(ts[10], 'T');
    assert_int_equal(ts[19], 'Z');
}

static void test_month_parse_format(void **state)
{
    (void)state;
    civil_month m = 0;
    pc_err e = {0};
    char b[MONTH_FMT_MAX];
    assert_int_equal(month_parse("2024-12", &m, &e), 0);
    assert_int_equal(m, 202412);
    assert_string_equal(month_format(m, b), "2024-12");
    assert_int_equal(month_parse("1900-01", &m, &e), 0);
    assert_int_equal(m, 190001);
    static const char *const bad[] = {"2024-13", "2024-00", "2024-1", "24-01", "2024/01", "2024-01-01", "1899-12", "abcd-ef"};
    for (size_t i = 0; i < N(bad); i++) {
        m = 77;
        pc_err_clear(&e);
        if (month_parse(bad[i], &m, &e) != -1)
            fail_msg("month '%s' accepted", bad[i]);
        assert_int_equal(m, 77);
        if (!strstr(e.msg, bad[i]))
            fail_msg("message '%s' does not name '%s'", e.msg, bad[i]);
    }
    assert_int_equal(month_parse("", &m, &e), -1);
    assert_non_null(strstr(e.msg, "empty"));
    assert_true(month_valid(202502));
    assert_false(month_valid(202500));
    assert_false(month_valid(202513));
    assert_false(month_valid(189912));
}

static void test_month_add(void **state)
{
    (void)state;
    static const struct {
        civil_month from;
        int n;
        civil_month to;
    } cases[] = {
        {202412, 1, 202501}, {202501, -1, 202412}, {202501, -13, 202312}, {202501, 12, 202601},
        {202506, 0, 202506}, {202512, -12, 202412}, {202501, 23, 202612}, {202501, -24, 202301},
    };
    for (size_t i = 0; i < N(cases); i++)
        if (month_add(cases[i].from, cases[i].n) != cases[i].to)
            fail_msg("%d %+d = %d, want %d", cases[i].from, cases[i].n, month_add(cases[i].from, cases[i].n), cases[i].to);
}

static void test_month_days(void **state)
{
    (void)state;
    char b[DATE_FMT_MAX];
    assert_string_equal(date_format(month_first_day(202402), b), "2024-02-01");
    assert_string_equal(date_format(month_last_day(202402), b), "2024-02-29");
    assert_string_equal(date_format(month_last_day(202302), b), "2023-02-28");
    assert_string_equal(date_format(month_last_day(210002), b), "2100-02-28");
    assert_string_equal(date_format(month_last_day(202504), b), "2025-04-30");
    assert_string_equal(date_format(month_last_day(202512), b), "2025-12-31");
    assert_int_equal(month_of(D("2025-07-31")), 202507);
    assert_int_equal(month_of(D("2024-02-29")), 202402);
    assert_int_equal(month_of(month_last_day(202402)), 202402);
    assert_int_equal(month_of(month_last_day(202402) + 1), 202403);
}

static void test_instant_and_clock(void **state)
{
    (void)state;
    int64_t t;
    pc_err e = {0};
    char buf[TIMESTAMP_FMT_MAX];
    assert_int_equal(instant_parse("2026-11-24T07:00:00+07:00", &t, &e), PC_OK);
    assert_string_equal(instant_format(t, buf), "2026-11-24T00:00:00Z");
    assert_int_equal(instant_parse("2026-11-24T00:00:00Z", &t, &e), PC_OK);
    assert_int_equal(t, 1795478400);
    assert_int_equal(instant_parse("1969-12-31T23:59:59Z", &t, &e), PC_OK);
    assert_int_equal(t, -1);
    assert_string_equal(instant_format(-1, buf), "1969-12-31T23:59:59Z");
    assert_int_not_equal(instant_parse("2026-02-30T00:00:00Z", &t, &e), PC_OK);
    assert_int_equal(e.code, PC_EINVAL);
    assert_int_not_equal(instant_parse("2026-11-24T24:00:00Z", &t, &e), PC_OK);
    assert_int_equal(e.code, PC_EINVAL);
    assert_int_not_equal(instant_parse("2026-11-24T07:00:00+7", &t, &e), PC_OK);
    assert_int_equal(e.code, PC_EINVAL);
    assert_int_not_equal(instant_parse("2026-11-24 07:00:00Z", &t, &e), PC_OK);
    assert_int_equal(e.code, PC_EINVAL);
    setenv("POWERCIS_CLOCK", "2026-11-23T23:30:00Z", 1);
    assert_int_equal(clock_now(), 1795478400 - 1800);
    /* 06:30 in Hà Nội is already the 24th there */
    char d[DATE_FMT_MAX];
    assert_string_equal(date_format(date_today(420), d), "2026-11-24");
    assert_string_equal(date_format(date_today(0), d), "2026-11-23");
    assert_string_equal(timestamp_now(buf), "2026-11-23T23:30:00Z");
    unsetenv("POWERCIS_CLOCK");
    char path[] = "/tmp/pc_clock_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "2030-01-01T00:00:00Z\n", 21), 21);
    close(fd);
    setenv("POWERCIS_CLOCK_FILE", path, 1);
    assert_int_equal(clock_now(), 1893456000);
    unsetenv("POWERCIS_CLOCK_FILE");
    unlink(path);
    assert_true(clock_now() > 1795478400 - 86400 * 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_epoch_day_numbers),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_round_trip_every_day),
        cmocka_unit_test(test_format_and_add_days),
        cmocka_unit_test(test_add_months_clamps),
        cmocka_unit_test(test_days_between),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_today),
        cmocka_unit_test(test_month_parse_format),
        cmocka_unit_test(test_month_add),
        cmocka_unit_test(test_month_days),
        cmocka_unit_test(test_instant_and_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
