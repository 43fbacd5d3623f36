/* The phân kỳ rule (DOMAIN 4): the threshold cases of tests/cases/phanky/thresholds.csv (the
 * average over 1 to 3 billed months, the periods required and the direction of a mismatch),
 * configured thresholds, and refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/phanky.h"

static void test_threshold_cases(void **state)
{
    (void)state;
    const char *dir = getenv("PC_CASES_DIR");
    char path[1024], line[512];
    snprintf(path, sizeof path, "%s/phanky/thresholds.csv", dir ? dir : "tests/cases");
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    if (!fgets(line, sizeof line, f))
        fail();
    phanky_rules r = phanky_rules_default();
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        /* m1,m2,m3 (empty: not billed),configured,avg,required,status,why */
        char *field[8] = {0};
        int k = 0;
        for (char *p = line; k < 8; k++) {
            field[k] = p;
            char *comma = strchr(p, ',');
            if (!comma)
                break;
            *comma = '\0';
            p = comma + 1;
        }
        if (k != 7)
            fail_msg("a case line needs 8 fields: %s", line);
        int64_t kwh[3];
        int months = 0;
        for (int i = 0; i < 3; i++)
            if (*field[i])
                kwh[months++] = atoll(field[i]);
        int64_t avg = phanky_average_kwh(kwh, months);
        int required = phanky_required_periods(&r, avg);
        phanky_status s = phanky_compare(required, atoi(field[3]));
        if (avg != atoll(field[4]) || required != atoi(field[5]) || strcmp(phanky_status_name(s), field[6]) != 0)
            fail_msg("case %s: got avg %lld, required %d, %s", field[7], (long long)avg, required, phanky_status_name(s));
        n++;
    }
    fclose(f);
    assert_int_equal(n, 13);
}

static void test_configured_thresholds(void **state)
{
    (void)state;
    phanky_rules r = {30000, 80000};
    pc_err e = {0};
    assert_int_equal(phanky_rules_check(&r, &e), 0);
    assert_int_equal(phanky_required_periods(&r, 29999), 1);
    assert_int_equal(phanky_required_periods(&r, 30000), 2);
    assert_int_equal(phanky_required_periods(&r, 80000), 3);
    phanky_rules bad = {80000, 80000};
    assert_int_equal(phanky_rules_check(&bad, &e), -1);
    assert_non_null(strstr(e.msg, "increasing"));
    phanky_rules zero = {0, 10};
    assert_int_equal(phanky_rules_check(&zero, &e), -1);
}

static void test_refusals(void **state)
{
    (void)state;
    int64_t kwh[4] = {1, 2, 3, 4};
    assert_int_equal(phanky_average_kwh(kwh, 0), -1);
    assert_int_equal(phanky_average_kwh(kwh, 4), -1);
    int64_t neg[2] = {100, -1};
    assert_int_equal(phanky_average_kwh(neg, 2), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threshold_cases),
        cmocka_unit_test(test_configured_thresholds),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
