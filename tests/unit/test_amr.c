/* AMR collection figures (DOMAIN 4): percentages in hundredths rounded half up, no rate without a
 * denominator, and a meter's received reads capped at its scheduled ones. Table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/amr.h"

static void test_percentages(void **state)
{
    (void)state;
    static const struct {
        int64_t part, whole, hundredths;
        const char *why;
    } cases[] = {
        {3, 4, 7500, "3 of 4 meters: 75.00%"},
        {2, 3, 6667, "2 of 3: 66.666… rounds up to 66.67%"},
        {1, 3, 3333, "1 of 3: 33.333… rounds down to 33.33%"},
        {1, 8, 1250, "exactly 12.50%"},
        {1, 20000, 1, "0.005%: half a hundredth rounds up to 0.01%"},
        {1, 20001, 0, "0.0049997…%: rounds down to 0.00%"},
        {0, 5, 0, "none of 5"},
        {5, 5, 10000, "all: 100.00%"},
        {4, 0, -1, "nothing scheduled: no rate"},
        {0, 0, -1, "no meters: no rate"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t got = amr_pct_hundredths(cases[i].part, cases[i].whole);
        if (got != cases[i].hundredths)
            fail_msg("%s: got %lld", cases[i].why, (long long)got);
    }
}

static void test_received_capped(void **state)
{
    (void)state;
    assert_int_equal(amr_received_counted(1, 2), 1);
    assert_int_equal(amr_received_counted(3, 2), 2); /* an extra read does not cover another meter */
    assert_int_equal(amr_received_counted(0, 3), 0);
    assert_int_equal(amr_received_counted(-1, 3), 0);
}

static void test_targets(void **state)
{
    (void)state;
    /* State Grid's figures: 99% coverage, 98% success */
    assert_int_equal(AMR_COVERAGE_TARGET_HUNDREDTHS, 9900);
    assert_int_equal(AMR_SUCCESS_TARGET_HUNDREDTHS, 9800);
    assert_true(amr_pct_hundredths(98, 100) >= AMR_SUCCESS_TARGET_HUNDREDTHS);
    assert_true(amr_pct_hundredths(97, 100) < AMR_SUCCESS_TARGET_HUNDREDTHS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentages),
        cmocka_unit_test(test_received_capped),
        cmocka_unit_test(test_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
