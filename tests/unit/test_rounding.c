/* Round half up of exact ratios (DOMAIN 5.6), on its halves and around zero. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/rounding.h"

static void test_halves(void **state)
{
    (void)state;
    static const struct {
        int64_t num, den, want;
    } cases[] = {
        {5, 2, 3}, {3, 2, 2}, {1, 2, 1}, {1, 3, 0}, {2, 3, 1}, {0, 7, 0}, {7, 7, 1},
        {-5, 2, -2}, {-7, 2, -3}, {-1, 3, 0}, {-2, 3, -1}, {-1, 2, 0},
        {1613600, 100, 16136}, {4716800, 100, 47168}, {1742476, 100, 17425}, /* VAT-like: x.76 up */
        {INT64_MAX, 1, INT64_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t out = 99;
        assert_true(round_half_up_div(cases[i].num, cases[i].den, &out));
        assert_int_equal(out, cases[i].want);
    }
}

static void test_muldiv(void **state)
{
    (void)state;
    int64_t out;
    assert_true(round_half_up_muldiv(150, 10, 31, &out)); /* 48.39 */
    assert_int_equal(out, 48);
    assert_true(round_half_up_muldiv(50, 18, 30, &out)); /* 30 exactly */
    assert_int_equal(out, 30);
    assert_true(round_half_up_muldiv(50, 5, 4, &out)); /* 62.5 → 63 */
    assert_int_equal(out, 63);
    assert_true(round_half_up_muldiv(201700, 8, 100, &out)); /* 16,136 */
    assert_int_equal(out, 16136);
    assert_false(round_half_up_muldiv(INT64_MAX, 2, 3, &out));
    assert_false(round_half_up_div(1, 0, &out));
    assert_false(round_half_up_div(1, -2, &out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_halves), cmocka_unit_test(test_muldiv)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
