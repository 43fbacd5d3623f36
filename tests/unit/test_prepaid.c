/* The prepaid daily charge (domain/prepaid): quotas prorated to the days elapsed, charges of a
 * month that add up to the monthly bill of the same consumption to the đồng (full months, a month
 * with a price change inside, a month that starts mid-way), and the cut and low-balance rules at
 * their boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/prepaid.h"
#include "formats/tariff_json.h"
#include "store/prepaid.h"

static tariff_set T, S;

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

static rate_request residential(civil_date prev, civil_date reading, int64_t kwh)
{
    rate_request q = {0};
    q.purpose = PURPOSE_RESIDENTIAL;
    q.voltage = -1;
    q.previous_reading = prev;
    q.reading = reading;
    q.kwh = kwh;
    q.households = 1;
    return q;
}

static void test_period_start(void **state)
{
    (void)state;
    assert_int_equal(prepaid_period_start(d("2024-01-01"), d("2026-05-17")), d("2026-04-30"));
    assert_int_equal(prepaid_period_start(d("2026-05-12"), d("2026-05-17")), d("2026-05-11"));
    assert_int_equal(prepaid_period_start(d("2026-05-17"), d("2026-05-17")), d("2026-05-16"));
    assert_int_equal(prepaid_period_start(d("2026-05-12"), d("2026-06-01")), d("2026-05-31"));
}

static void test_scaled_quotas(void **state)
{
    (void)state;
    pc_err e = {0};
    int k = tariff_residential_in_force(&T, d("2026-05-01"));
    assert_int_equal(prepaid_scale_tariff(&T, 31, 31, &S, &e), 0);
    assert_memory_equal(&S.res[k], &T.res[k], sizeof S.res[k]);
    /* 10 of 31 days: 50 → 16.13 → 16, 50 → 16, 100 → 32.26 → 32, 100, 100; the last stays open */
    assert_int_equal(prepaid_scale_tariff(&T, 10, 31, &S, &e), 0);
    int64_t want[] = {16, 32, 64, 96, 128, -1};
    for (int i = 0; i < 6; i++)
        assert_int_equal(S.res[k].tiers[i].upto, want[i]);
    /* 1 of 31: 1.61 → 2, 3.23 → 3 */
    assert_int_equal(prepaid_scale_tariff(&T, 1, 31, &S, &e), 0);
    int64_t want1[] = {2, 4, 7, 10, 13, -1};
    for (int i = 0; i < 6; i++)
        assert_int_equal(S.res[k].tiers[i].upto, want1[i]);
    /* 15 of 30: halves round up: 25, 25, 50, 50, 50 */
    assert_int_equal(prepaid_scale_tariff(&T, 15, 30, &S, &e), 0);
    int64_t want15[] = {25, 50, 100, 150, 200, -1};
    for (int i = 0; i < 6; i++)
        assert_int_equal(S.res[k].tiers[i].upto, want15[i]);
    assert_int_equal(prepaid_scale_tariff(&T, 0, 31, &S, &e), -1);
    assert_int_equal(prepaid_scale_tariff(&T, 32, 31, &S, &e), -1);
}

/* Day 1 of May 2026, 10 kWh on quotas 2/2/3/3/3 (QĐ 1279): 2×1,984 + 2×2,050 + 3×2,380 + 3×2,998
 * = 24,202; VAT 8% 1,936.16 → 1,936; 26,138. */
static void test_first_day_exact(void **state)
{
    (void)state;
    pc_err e = {0};
    civil_date day = d("2026-05-01");
    civil_date r0 = prepaid_period_start(d("2020-01-01"), day);
    assert_int_equal(prepaid_scale_tariff(&T, day - r0, 31, &S, &e), 0);
    rate_request q = residential(r0, day, 10);
    prepaid_charge c;
    assert_int_equal(prepaid_day_charge(&S, &q, 0, &c, &e), 0);
    assert_int_equal(c.mtd.energy, 24202);
    assert_int_equal(c.mtd.vat, 1936);
    assert_int_equal(c.charge, 26138);
    /* the next day, nothing consumed: quotas 3/3/6/6/6 hold all 10 kWh in tiers 1-3 */
    day = d("2026-05-02");
    assert_int_equal(prepaid_scale_tariff(&T, day - r0, 31, &S, &e), 0);
    q = residential(r0, day, 10);
    assert_int_equal(prepaid_day_charge(&S, &q, 26138, &c, &e), 0);
    assert_int_equal(c.mtd.energy, 3 * 1984 + 3 * 2050 + 4 * 2380);
    assert_int_equal(c.charge, c.mtd.total - 26138);
    assert_true(c.charge < 0);
}

/* Runs the daily charges of one month for a series of daily kWh and compares their sum with the
 * monthly bill of the month's consumption. */
static void month_sums_to_bill(const char *since_s, const char *month_first, const int64_t *kwh, int ndays,
                               int households)
{
    pc_err e = {0};
    civil_date since = d(since_s), first = d(month_first);
    int y, m, dd;
    date_to_ymd(first, &y, &m, &dd);
    int month_days = date_days_in_month(y, m);
    assert_int_equal(ndays, month_days);
    int64_t charged = 0, mtd = 0;
    for (int i = 0; i < month_days; i++) {
        civil_date day = first + i;
        if (day < since)
            continue;
        mtd += kwh[i];
        civil_date r0 = prepaid_period_start(since, day);
        assert_int_equal(prepaid_scale_tariff(&T, day - r0, month_days, &S, &e), 0);
        rate_request q = residential(r0, day, mtd);
        q.households = households;
        prepaid_charge c;
        assert_int_equal(prepaid_day_charge(&S, &q, charged, &c, &e), 0);
        charged += c.charge;
    }
    civil_date last = first + month_days - 1;
    civil_date r0 = prepaid_period_start(since, last);
    /* the monthly bill: the same consumption over the same period, on the full tariff, with the
     * period's quotas as DOMAIN 5.6 prorates a short period (a full month: the monthly quota) */
    assert_int_equal(prepaid_scale_tariff(&T, last - r0, month_days, &S, &e), 0);
    rate_request q = residential(r0, last, mtd);
    q.households = households;
    rate_result bill;
    assert_int_equal(tariff_rate(last - r0 == month_days ? &T : &S, &q, &bill, &e), 0);
    assert_int_equal(charged, bill.total);
}

static void test_month_sums_to_monthly_bill(void **state)
{
    (void)state;
    int64_t v[31];
    /* steady 9 kWh a day in May 2026: 279 kWh */
    for (int i = 0; i < 31; i++)
        v[i] = 9;
    month_sums_to_bill("2024-01-01", "2026-05-01", v, 31, 1);
    /* uneven days with zeros and a spike */
    for (int i = 0; i < 31; i++)
        v[i] = (i * 7919) % 23 + (i == 17 ? 140 : 0) - (i % 5 == 0 ? (i * 7919) % 23 : 0);
    month_sums_to_bill("2024-01-01", "2026-05-01", v, 31, 1);
    month_sums_to_bill("2024-01-01", "2026-05-01", v, 31, 3);
    /* May 2025: QĐ 1279 from 2025-05-10 splits the period */
    month_sums_to_bill("2024-01-01", "2025-05-01", v, 31, 1);
    /* February 2026, 28 days */
    month_sums_to_bill("2024-01-01", "2026-02-01", v, 28, 1);
    /* prepaid from 2026-06-12: a partial month */
    month_sums_to_bill("2026-06-12", "2026-06-01", v, 30, 1);
}

static void test_cut_and_low_rules(void **state)
{
    (void)state;
    civil_date below = d("2026-05-10");
    assert_false(prepaid_cut_due(below, d("2026-05-10"), 3));
    assert_false(prepaid_cut_due(below, d("2026-05-12"), 3));
    assert_true(prepaid_cut_due(below, d("2026-05-13"), 3));
    assert_true(prepaid_cut_due(below, d("2026-05-10"), 0));
    assert_true(prepaid_low_due(49999, 50000, false));
    assert_false(prepaid_low_due(50000, 50000, false));
    assert_false(prepaid_low_due(10, 50000, true));
    assert_true(prepaid_low_due(-5, 0 + 1, false));
}

/* The cached month-to-date read sums plus the reads after the last charge day (031). */
static void test_sums_add(void **state)
{
    (void)state;
    prepaid_sums a = {.kwh = 40, .reg = {0, 0, 0}, .reads = 3, .reg_reads = 0, .first = "2026-05-01",
                      .last = "2026-05-03", .last_read_id = 17};
    prepaid_sums b = {.kwh = 25, .reg = {10, 5, 10}, .reads = 2, .reg_reads = 1, .first = "2026-05-04",
                      .last = "2026-05-05", .last_read_id = 12};
    prepaid_sums_add(&a, &b);
    assert_int_equal(a.kwh, 65);
    assert_int_equal(a.reg[0], 10);
    assert_int_equal(a.reg[1], 5);
    assert_int_equal(a.reg[2], 10);
    assert_int_equal(a.reads, 5);
    assert_int_equal(a.reg_reads, 1);
    assert_string_equal(a.first, "2026-05-01");
    assert_string_equal(a.last, "2026-05-05");
    assert_int_equal(a.last_read_id, 17); /* ids are no order of dates (PostgreSQL) */
    /* an empty cache takes the new reads' days; no new reads change nothing */
    prepaid_sums z;
    memset(&z, 0, sizeof z);
    prepaid_sums_add(&z, &b);
    assert_string_equal(z.first, "2026-05-04");
    assert_int_equal(z.kwh, 25);
    prepaid_sums none;
    memset(&none, 0, sizeof none);
    prepaid_sums_add(&z, &none);
    assert_string_equal(z.first, "2026-05-04");
    assert_string_equal(z.last, "2026-05-05");
    assert_int_equal(z.reads, 2);
    /* the cache is used only for its month, valid, after a charge */
    prepaid_account_row acc;
    memset(&acc, 0, sizeof acc);
    assert_false(prepaid_sums_incremental(&acc, "2026-05"));
    acc.sums_ok = true;
    snprintf(acc.charge_month, sizeof acc.charge_month, "2026-05");
    snprintf(acc.last_charge_day, sizeof acc.last_charge_day, "2026-05-03");
    assert_true(prepaid_sums_incremental(&acc, "2026-05"));
    assert_false(prepaid_sums_incremental(&acc, "2026-06"));
    acc.sums_ok = false;
    assert_false(prepaid_sums_incremental(&acc, "2026-05"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_start),
        cmocka_unit_test(test_scaled_quotas),
        cmocka_unit_test(test_first_day_exact),
        cmocka_unit_test(test_month_sums_to_monthly_bill),
        cmocka_unit_test(test_cut_and_low_rules),
        cmocka_unit_test(test_sums_add),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
