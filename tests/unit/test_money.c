/* Money: parsing "1234567" and "1.234.567", formatting "1.234.567 đ", overflow refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/money.h"

static void test_parse_good(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        money v;
    } cases[] = {
        {"0", 0},
        {"1234567", 1234567},
        {"1.234.567", 1234567},
        {"-1.234.567", -1234567},
        {"999", 999},
        {"12.000", 12000},
        {"9223372036854775807", INT64_MAX},
        {"9.223.372.036.854.775.807", INT64_MAX},
        {"-9223372036854775807", -INT64_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        money v = 42;
        pc_err e = {0};
        assert_int_equal(money_parse(cases[i].text, &v, &e), 0);
        assert_true(v == cases[i].v);
    }
}

static void test_parse_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "-", "12a", "1.23", "1..234", ".123", "1.2345", "1234.567.890",
                                      "9223372036854775808", "1,234", " 12", "12 ", "+5", "1.234.56", "đ"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        money v = 42;
        pc_err e = {0};
        assert_int_equal(money_parse(bad[i], &v, &e), -1);
        assert_true(v == 42); /* untouched */
        assert_int_equal(e.code, PC_EINVAL);
        assert_true(strlen(e.msg) > 0);
    }
}

static void test_format(void **state)
{
    (void)state;
    char b[MONEY_FMT_MAX];
    assert_string_equal(money_format(0, true, b), "0 đ");
    assert_string_equal(money_format(999, true, b), "999 đ");
    assert_string_equal(money_format(1000, true, b), "1.000 đ");
    assert_string_equal(money_format(1234567, true, b), "1.234.567 đ");
    assert_string_equal(money_format(-1000, true, b), "-1.000 đ");
    assert_string_equal(money_format(217836, false, b), "217.836");
    assert_string_equal(money_format(INT64_MAX, false, b), "9.223.372.036.854.775.807");
    assert_string_equal(money_format(INT64_MIN, false, b), "-9.223.372.036.854.775.808");
    /* format and parse round-trip */
    money v;
    assert_int_equal(money_parse(money_format(-98765432, false, b), &v, NULL), 0);
    assert_true(v == -98765432);
}

static void test_checked_arithmetic(void **state)
{
    (void)state;
    money r = 7;
    assert_true(money_add(1, 2, &r) && r == 3);
    assert_false(money_add(INT64_MAX, 1, &r));
    assert_true(r == 3);
    assert_false(money_add(INT64_MIN, -1, &r));
    assert_true(money_mul(1984, 50, &r) && r == 99200);
    assert_false(money_mul(INT64_MAX / 2 + 1, 2, &r));
    assert_true(r == 99200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_checked_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
