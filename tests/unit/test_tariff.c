/* The rating rule on the shipped tariffs (the golden files in tests/cases/rating drive the CLI;
 * these pin the pieces): proration shares that add up, quotas at the boundaries, validation
 * of tariff data, the solar price. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/tariff.h"
#include "formats/tariff_json.h"

static tariff_set T;

static int setup(void **state)
{
    (void)state;
    pc_err e = {0};
    return tariff_load_shipped(&T, &e);
}

static civil_date d(const char *s)
{
    civil_date x;
    date_parse(s, &x, NULL);
    return x;
}

static rate_request residential(const char *prev, const char *reading, int64_t kwh)
{
    rate_request q = {0};
    q.purpose = PURPOSE_RESIDENTIAL;
    q.voltage = -1;
    q.previous_reading = d(prev);
    q.reading = d(reading);
    q.kwh = kwh;
    q.households = 1;
    return q;
}

static void test_shipped_data(void **state)
{
    (void)state;
    assert_int_equal(T.nres, 6);
    assert_int_equal(T.nnonres, 6);
    assert_int_equal(T.res[5].tiers[5].price, 3460);
    assert_int_equal(T.res[5].prepaid_price, 2909);
    assert_true(T.nonres[1].verified);   /* QĐ 648: two sources */
    assert_false(T.nonres[2].verified);  /* QĐ 1062: rebuilt, to be confirmed */
    assert_int_equal(tariff_vat_rate(&T, d("2022-01-31")), 10);
    assert_int_equal(tariff_vat_rate(&T, d("2022-02-01")), 8);
    assert_int_equal(tariff_vat_rate(&T, d("2023-06-30")), 10);
    assert_int_equal(tariff_vat_rate(&T, d("2023-07-01")), 8);
    assert_int_equal(tariff_vat_rate(&T, d("2026-12-31")), 8);
    assert_int_equal(tariff_vat_rate(&T, d("2027-01-01")), 10);
}

/* Every kWh from 0 to 1,200 across the QĐ 2699 → 1279 change (2025-05-10) inside a period:
 * the parts add up to the consumption and the lines to the energy. */
static void test_split_adds_up(void **state)
{
    (void)state;
    pc_err e = {0};
    for (int64_t kwh = 0; kwh <= 1200; kwh++) {
        rate_request q = residential("2025-04-25", "2025-05-26", kwh);
        rate_result r;
        assert_int_equal(tariff_rate(&T, &q, &r, &e), 0);
        int64_t sum_kwh = 0, sum_amount = 0;
        for (int i = 0; i < r.nlines; i++) {
            sum_kwh += r.lines[i].kwh;
            sum_amount += r.lines[i].amount;
        }
        assert_int_equal(sum_kwh, kwh);
        assert_int_equal(sum_amount, r.energy);
        assert_int_equal(r.nparts, 2);
    }
}

/* A period of 31 days with the change on its 16th day: old part 15 days, new 16.
 * 50-kWh quota → round half up(50 × 15 / 31 = 24.19) = 24 old, 26 new. */
static void test_quota_split(void **state)
{
    (void)state;
    pc_err e = {0};
    rate_request q = residential("2025-04-24", "2025-05-25", 1000);
    rate_result r;
    assert_int_equal(tariff_rate(&T, &q, &r, &e), 0);
    assert_int_equal(r.lines[0].kwh, 24);
    assert_int_equal(r.lines[0].price, 1893);
    assert_int_equal(r.lines[0].to, d("2025-05-09"));
    /* kWh: round half up(1000 × 15/31 = 483.87) = 484 old, 516 new */
    int64_t old_kwh = 0;
    for (int i = 0; i < r.nlines; i++)
        if (r.lines[i].to == d("2025-05-09"))
            old_kwh += r.lines[i].kwh;
    assert_int_equal(old_kwh, 484);
}

static void test_exact_tier_boundaries(void **state)
{
    (void)state;
    pc_err e = {0};
    static const struct {
        int64_t kwh, energy;
    } cases[] = {
        {50, 50 * 1984},
        {51, 50 * 1984 + 2050},
        {100, 50 * 1984 + 50 * 2050},
        {101, 50 * 1984 + 50 * 2050 + 2380},
        {400, 50 * 1984 + 50 * 2050 + 100 * 2380 + 100 * 2998 + 100 * 3350},
        {401, 50 * 1984 + 50 * 2050 + 100 * 2380 + 100 * 2998 + 100 * 3350 + 3460},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rate_request q = residential("2025-06-01", "2025-07-01", cases[i].kwh);
        rate_result r;
        assert_int_equal(tariff_rate(&T, &q, &r, &e), 0);
        assert_int_equal(r.energy, cases[i].energy);
    }
}

static void test_vat_half_rounds_up(void **state)
{
    (void)state;
    pc_err e = {0};
    /* 8%: 1 kWh × 1984 → 158.72 → 159 (up); 3 kWh → 5,952 × 8% = 476.16 → 476 (down). */
    rate_request q = residential("2025-06-01", "2025-07-01", 1);
    rate_result r;
    assert_int_equal(tariff_rate(&T, &q, &r, &e), 0);
    assert_int_equal(r.vat, 159);
    q.kwh = 3;
    assert_int_equal(tariff_rate(&T, &q, &r, &e), 0);
    assert_int_equal(r.vat, 476);
    /* 10% (QĐ 2256): 5 kWh × 1484 = 7,420 → 742 exactly */
    q = residential("2018-05-01", "2018-06-01", 5);
    assert_int_equal(tariff_rate(&T, &q, &r, &e), 0);
    assert_int_equal(r.energy, 5 * 1484);
    assert_int_equal(r.vat, 742); /* 742.0 */
    q.kwh = 55; /* 50×1484 + 5×1533 = 81,865 → 8,186.5 → 8,187 */
    assert_int_equal(tariff_rate(&T, &q, &r, &e), 0);
    assert_int_equal(r.energy, 81865);
    assert_int_equal(r.vat, 8187);
}

static void test_refusals(void **state)
{
    (void)state;
    pc_err e = {0};
    rate_result r;
    rate_request q = residential("2025-06-01", "2025-07-01", -1);
    assert_int_equal(tariff_rate(&T, &q, &r, &e), -1);
    assert_non_null(strstr(e.msg, "kwh"));
    q = residential("2025-06-01", "2025-06-01", 1);
    assert_int_equal(tariff_rate(&T, &q, &r, &e), -1);
    assert_non_null(strstr(e.msg, "reading"));
    q = residential("2014-01-01", "2014-02-01", 1);
    assert_int_equal(tariff_rate(&T, &q, &r, &e), -1);
    assert_non_null(strstr(e.msg, "previous_reading"));
    q = residential("2025-06-01", "2025-07-01", 1);
    q.purpose = PURPOSE_BUSINESS;
    assert_int_equal(tariff_rate(&T, &q, &r, &e), -1);
    assert_non_null(strstr(e.msg, "voltage"));
}

static void test_validate(void **state)
{
    (void)state;
    pc_err e = {0};
    tariff_set t = T;
    t.res[0].tiers[2].upto = 40; /* below tier 2's 100 */
    assert_int_equal(tariff_validate(&t, &e), -1);
    assert_non_null(strstr(e.msg, "tier 3"));
    t = T;
    t.res[0].tiers[5].upto = 500; /* last tier closed */
    assert_int_equal(tariff_validate(&t, &e), -1);
    t = T;
    t.vat[1].from += 1; /* a gap between VAT periods */
    assert_int_equal(tariff_validate(&t, &e), -1);
    assert_non_null(strstr(e.msg, "vat"));
    assert_int_equal(tariff_load_text(&t, "residential.json", "{\"schedules\": 3}", &e), -1);
    assert_non_null(strstr(e.msg, "residential.json"));
    assert_int_equal(tariff_load_text(&t, "vat.json", "{", &e), -1);
    assert_non_null(strstr(e.msg, "vat.json line"));
}

static void test_solar(void **state)
{
    (void)state;
    assert_int_equal(solar_price(935, 22316), 2086); /* Decision 11/2017, as published */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_data),    cmocka_unit_test(test_split_adds_up),
        cmocka_unit_test(test_quota_split),     cmocka_unit_test(test_exact_tier_boundaries),
        cmocka_unit_test(test_vat_half_rounds_up), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_validate),        cmocka_unit_test(test_solar),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
