/* Read control (DOMAIN 4): consumption, rollover by digits, and the anomaly rule, table-driven
 * with the expected values worked out in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/readcheck.h"

static register_values total(int64_t v)
{
    register_values r = {0};
    r.has[REG_TOTAL] = true;
    r.v[REG_TOTAL] = v;
    return r;
}

typedef struct {
    const char *name;
    int64_t prev, cur;
    int digits;
    int64_t multiplier;
    bool active;
    int64_t history[3];
    int nhistory;
    int64_t want_kwh;
    unsigned want_flags;
} read_case;

static const read_case cases[] = {
    /* 1,200 - 1,000 = 200 units × 1 */
    {"plain", 1000, 1200, 6, 1, true, {200, 210, 190}, 3, 200, 0},
    /* 30 - 99,950 on 5 digits: 100,000 - 99,950 + 30 = 80 units, × 40 = 3,200 */
    {"rollover 5 digits", 99950, 30, 5, 40, true, {0}, 0, 3200, READ_FLAG_ROLLOVER},
    /* 500 after 600 on 6 digits: across the wrap would be 999,900 units, > 10% of 10^6: backwards */
    {"backwards", 600, 500, 6, 1, true, {100, 100, 100}, 3, 0, READ_FLAG_BACKWARDS},
    /* 9,000 after 95,000 on 5 digits: 14,000 across the wrap = 14% ≥ 10%: backwards */
    {"rollover too large", 95000, 9000, 5, 1, true, {0}, 0, 0, READ_FLAG_BACKWARDS},
    /* 8,000 after 95,000: 13,000 = 13%: still backwards; 4,999 after 95,000: 9,999 = 9.999% */
    {"rollover just under 10%", 95000, 4999, 5, 1, true, {0}, 0, 9999, READ_FLAG_ROLLOVER},
    {"rollover exactly 10%", 95000, 5000, 5, 1, true, {0}, 0, 0, READ_FLAG_BACKWARDS},
    {"zero on active meter", 700, 700, 6, 1, true, {0}, 0, 0, READ_FLAG_ZERO},
    {"zero on disconnected meter", 700, 700, 6, 1, false, {0}, 0, 0, 0},
    /* avg 200; 301 is 50.5% above but only 101 kWh over: both thresholds passed → flag */
    {"deviation above both thresholds", 0, 301, 6, 1, true, {200, 200, 200}, 3, 301, READ_FLAG_DEVIATION},
    /* avg 200; 300 is exactly 50% above: not more than 50% → no flag */
    {"deviation exactly 50%", 0, 300, 6, 1, true, {200, 200, 200}, 3, 300, 0},
    /* avg 100; 160 is 60% above but only 60 kWh: the 100-kWh floor keeps it */
    {"deviation under 100 kWh", 0, 160, 6, 1, true, {100, 100, 100}, 3, 160, 0},
    /* avg 1,000; 400 is 60% and 600 kWh below: flag (both directions count) */
    {"deviation downwards", 0, 400, 6, 1, true, {1000, 900, 1100}, 3, 400, READ_FLAG_DEVIATION},
    /* only two periods of history: the rule waits */
    {"short history", 0, 5000, 6, 1, true, {100, 100}, 2, 5000, 0},
    /* multiplier applies before the rule: 10 units × 80 = 800 against avg 100 */
    {"multiplier then rule", 100, 110, 6, 80, true, {100, 100, 100}, 3, 800, READ_FLAG_DEVIATION},
};

static void test_cases(void **state)
{
    (void)state;
    read_rules rules = read_rules_default();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const read_case *c = &cases[i];
        register_values prev = total(c->prev), cur = total(c->cur);
        read_result r;
        read_evaluate(&rules, &prev, &cur, c->digits, c->multiplier, c->active, c->history, c->nhistory, &r);
        print_message("# case %s\n", c->name);
        assert_int_equal(r.flags, c->want_flags);
        if (!(c->want_flags & READ_FLAG_BACKWARDS))
            assert_int_equal(r.kwh_sum, c->want_kwh);
    }
}

static void test_time_of_use_sum(void **state)
{
    (void)state;
    read_rules rules = read_rules_default();
    register_values prev = {0}, cur = {0};
    for (int g = REG_NORMAL; g <= REG_OFFPEAK; g++) {
        prev.has[g] = cur.has[g] = true;
        prev.v[g] = 1000 * g;
        cur.v[g] = 1000 * g + 100 * g; /* normal +100, peak +200, off-peak +300 */
    }
    read_result r;
    read_evaluate(&rules, &prev, &cur, 7, 2, true, NULL, 0, &r);
    assert_int_equal(r.kwh.v[REG_NORMAL], 200);
    assert_int_equal(r.kwh.v[REG_PEAK], 400);
    assert_int_equal(r.kwh.v[REG_OFFPEAK], 600);
    assert_int_equal(r.kwh_sum, 1200);
    assert_int_equal(r.flags, 0);
}

static void test_first_read_has_no_consumption(void **state)
{
    (void)state;
    read_rules rules = read_rules_default();
    register_values cur = total(4321);
    read_result r;
    read_evaluate(&rules, NULL, &cur, 6, 1, true, NULL, 0, &r);
    assert_int_equal(r.kwh_sum, 0);
    assert_int_equal(r.flags, 0); /* no previous index: not a zero-consumption read */
}

static void test_registers_check(void **state)
{
    (void)state;
    pc_err e = {0};
    register_values t = total(1), tou = {0};
    tou.has[REG_NORMAL] = tou.has[REG_PEAK] = tou.has[REG_OFFPEAK] = true;
    assert_int_equal(registers_check(false, &t, &e), 0);
    assert_int_equal(registers_check(true, &tou, &e), 0);
    assert_int_equal(registers_check(true, &t, &e), -1);
    assert_non_null(strstr(e.msg, "normal"));
    assert_int_equal(registers_check(false, &tou, &e), -1);
    assert_non_null(strstr(e.msg, "total"));
    tou.has[REG_PEAK] = false;
    assert_int_equal(registers_check(true, &tou, &e), -1);
    assert_non_null(strstr(e.msg, "peak"));
}

static void test_flags_round_trip(void **state)
{
    (void)state;
    char s[64];
    read_flags_format(READ_FLAG_ZERO | READ_FLAG_DEVIATION, s, sizeof s);
    assert_string_equal(s, "zero,deviation");
    assert_int_equal(read_flags_parse(s), READ_FLAG_ZERO | READ_FLAG_DEVIATION);
    read_flags_format(0, s, sizeof s);
    assert_string_equal(s, "");
    assert_int_equal(read_flags_parse(""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_time_of_use_sum),
        cmocka_unit_test(test_first_read_has_no_consumption),
        cmocka_unit_test(test_registers_check),
        cmocka_unit_test(test_flags_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
