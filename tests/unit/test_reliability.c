/* Reliability indices (DOMAIN 12): the check of DOMAIN 12, the 5-minute line on both sides,
 * no customers served, CAIDI without sustained interruptions, rounding, and the local times
 * outages are given in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/reliability.h"

static void add(rel_indices *r, int64_t customers, int64_t seconds)
{
    pc_err e = {0};
    assert_int_equal(rel_add(r, customers, seconds, &e), 0);
}

static void test_domain_check(void **state)
{
    (void)state;
    /* served 1,000; 200 × 90 min, 50 × 5 min, 300 × 30 min, 100 × 2 min */
    rel_indices r = {0};
    add(&r, 200, 90 * 60);
    add(&r, 50, 5 * 60);
    add(&r, 300, 30 * 60);
    add(&r, 100, 2 * 60);
    rel_finish(&r, 1000);
    assert_int_equal(r.sustained_events, 2);
    assert_int_equal(r.momentary_events, 2);
    assert_int_equal(r.sustained_customers, 500);
    assert_int_equal(r.momentary_customers, 150);
    assert_int_equal(r.customer_seconds, 200 * 5400 + 300 * 1800);
    assert_int_equal(r.saifi_milli, 500);   /* 0.50 */
    assert_int_equal(r.saidi_milli, 27000); /* 27.0 min */
    assert_int_equal(r.caidi_milli, 54000); /* 54.0 min */
    assert_int_equal(r.maifi_milli, 150);   /* 0.15 */
    char t[24];
    assert_string_equal(rel_milli_text(r.saifi_milli, t), "0.500");
    assert_string_equal(rel_milli_text(r.saidi_milli, t), "27.000");
    assert_string_equal(rel_milli_text(r.caidi_milli, t), "54.000");
    assert_string_equal(rel_milli_text(r.maifi_milli, t), "0.150");
}

static void test_five_minute_line(void **state)
{
    (void)state;
    assert_false(rel_is_sustained(300)); /* exactly 5 minutes: momentary */
    assert_true(rel_is_sustained(301));  /* one second more: sustained */
    assert_false(rel_is_sustained(0));
    rel_indices r = {0};
    add(&r, 10, 300);
    rel_finish(&r, 100);
    assert_int_equal(r.maifi_milli, 100);
    assert_int_equal(r.saifi_milli, 0);
    assert_int_equal(r.saidi_milli, 0);
    rel_indices s = {0};
    add(&s, 10, 301);
    rel_finish(&s, 100);
    assert_int_equal(s.maifi_milli, 0);
    assert_int_equal(s.saifi_milli, 100);
    /* 10 × 301 s / 100 customers = 30.1 s = 0.50166… min → 0.502 */
    assert_int_equal(s.saidi_milli, 502);
    /* 301 s = 5.01666… min → 5.017 */
    assert_int_equal(s.caidi_milli, 5017);
    /* in whole minutes, as the CLI gives them: 5 min momentary, 6 min sustained */
    rel_indices m = {0};
    add(&m, 1, 5 * 60);
    add(&m, 1, 6 * 60);
    rel_finish(&m, 4);
    assert_int_equal(m.maifi_milli, 250);
    assert_int_equal(m.saifi_milli, 250);
    assert_int_equal(m.saidi_milli, 1500);
    assert_int_equal(m.caidi_milli, 6000);
}

static void test_no_customers_served(void **state)
{
    (void)state;
    rel_indices r = {0};
    add(&r, 5, 3600);
    add(&r, 5, 60);
    rel_finish(&r, 0);
    assert_int_equal(r.saifi_milli, 0);
    assert_int_equal(r.saidi_milli, 0);
    assert_int_equal(r.maifi_milli, 0);
    /* CAIDI needs no denominator of customers served: 60 minutes per interruption */
    assert_int_equal(r.caidi_milli, 60000);
}

static void test_caidi_without_sustained(void **state)
{
    (void)state;
    rel_indices r = {0};
    add(&r, 40, 120);
    rel_finish(&r, 200);
    assert_int_equal(r.saifi_milli, 0);
    assert_int_equal(r.caidi_milli, 0);
    assert_int_equal(r.maifi_milli, 200);
    rel_indices none = {0};
    rel_finish(&none, 1000);
    assert_int_equal(none.saifi_milli + none.saidi_milli + none.caidi_milli + none.maifi_milli, 0);
}

static void test_rounding_and_bad_input(void **state)
{
    (void)state;
    rel_indices r = {0};
    add(&r, 2, 600);
    rel_finish(&r, 3);
    assert_int_equal(r.saifi_milli, 667); /* 0.6666… rounds up */
    assert_int_equal(r.saidi_milli, 6667); /* 20 customer-minutes / 3 */
    rel_indices q = {0};
    add(&q, 1, 600);
    rel_finish(&q, 3);
    assert_int_equal(q.saifi_milli, 333); /* 0.3333… rounds down */
    rel_indices h = {0};
    add(&h, 1, 600);
    rel_finish(&h, 2000);
    assert_int_equal(h.saifi_milli, 1); /* 0.0005: half a thousandth rounds up */
    pc_err e = {0};
    rel_indices bad = {0};
    assert_int_equal(rel_add(&bad, -1, 600, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
    assert_int_equal(rel_add(&bad, 1, -5, &e), -1);
    assert_int_equal(bad.sustained_events + bad.momentary_events, 0);
}

static void test_local_minutes(void **state)
{
    (void)state;
    pc_err e = {0};
    int64_t a, b;
    assert_int_equal(rel_parse_local_minute("2026-11-24 08:30", &a, &e), 0);
    assert_int_equal(rel_parse_local_minute("2026-11-24 10:00", &b, &e), 0);
    assert_int_equal(b - a, 90);
    assert_int_equal(rel_parse_local_minute("1970-01-02 00:01", &a, &e), 0);
    assert_int_equal(a, 1441);
    char t[17];
    assert_string_equal(rel_format_local_minute(b, t), "2026-11-24 10:00");
    assert_int_equal(rel_parse_local_minute("2026-12-31 23:59", &a, &e), 0);
    assert_int_equal(rel_parse_local_minute("2027-01-01 00:00", &b, &e), 0);
    assert_int_equal(b - a, 1);
    const char *bad[] = {"2026-11-24", "2026-11-24 8:30", "2026-02-30 08:00", "2026-11-24 24:00",
                         "2026-11-24 08:60", "2026-11-24T08:30", "2026-11-24 08:30:00", "2026-1a-24 08:30", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (rel_parse_local_minute(bad[i], &a, &e) != -1 || e.code != PC_EINVAL)
            fail_msg("'%s' was accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_domain_check),      cmocka_unit_test(test_five_minute_line),
        cmocka_unit_test(test_no_customers_served), cmocka_unit_test(test_caidi_without_sustained),
        cmocka_unit_test(test_rounding_and_bad_input), cmocka_unit_test(test_local_minutes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
