/* Aging buckets and provisioning (DOMAIN 9): the boundary cases of tests/cases/aging/ (the day
 * before and the day of each boundary, month ends, 29 February), the threshold form the
 * database sums use against the direct rule over four years of days, and the provision rates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/aging.h"

static civil_date day(const char *iso)
{
    civil_date d;
    pc_err e = {0};
    if (date_parse(iso, &d, &e) != 0)
        fail_msg("bad date in a case file: %s", iso);
    return d;
}

static FILE *case_file(const char *name)
{
    const char *dir = getenv("PC_CASES_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/aging/%s", dir ? dir : "tests/cases", name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    return f;
}

static int bucket_named(const char *s)
{
    for (int b = 0; b < AGING_BUCKETS; b++)
        if (strcmp(aging_bucket_field[b], s) == 0)
            return b;
    fail_msg("unknown bucket %s", s);
    return -1;
}

static void test_boundary_cases(void **state)
{
    (void)state;
    FILE *f = case_file("boundaries.csv");
    char line[512];
    int n = 0;
    if (!fgets(line, sizeof line, f)) /* header */
        fail();
    while (fgets(line, sizeof line, f)) {
        char as_of[16], due[16], bucket[16];
        if (sscanf(line, "%15[^,],%15[^,],%15[^,],", as_of, due, bucket) != 3)
            fail_msg("bad case line: %s", line);
        civil_date d = day(as_of), u = day(due);
        int want = bucket_named(bucket);
        if ((int)aging_bucket_of(u, d) != want)
            fail_msg("due %s as of %s: got %s, want %s", due, as_of, aging_bucket_field[aging_bucket_of(u, d)], bucket);
        aging_cutoffs c;
        aging_cutoffs_of(d, &c);
        assert_int_equal(aging_bucket_of_slice(aging_slice_by_cutoffs(u, &c)), want);
        n++;
    }
    fclose(f);
    assert_true(n >= 40);
}

/* The thresholds agree with the direct rule for every as-of day of 2023-2026 and every due date
 * within 40 months before it (and a few days after). */
static void test_cutoffs_agree_with_rule(void **state)
{
    (void)state;
    long checked = 0;
    for (civil_date d = date_from_ymd(2023, 1, 1); d <= date_from_ymd(2026, 12, 31); d += 3) {
        aging_cutoffs c;
        aging_cutoffs_of(d, &c);
        for (civil_date u = date_add_months(d, -40); u <= d + 5; u++) {
            if (aging_slice_of(u, d) != aging_slice_by_cutoffs(u, &c)) {
                char a[DATE_FMT_MAX], b[DATE_FMT_MAX];
                fail_msg("due %s as of %s: rule %d, cutoffs %d", date_format(u, a), date_format(d, b), aging_slice_of(u, d),
                         aging_slice_by_cutoffs(u, &c));
            }
            checked++;
        }
    }
    assert_true(checked > 500000);
}

static void test_slices_fold_into_buckets(void **state)
{
    (void)state;
    int64_t slices[AGING_SLICES] = {1, 2, 3, 4, 5, 6, 7, 8}, b[AGING_BUCKETS];
    aging_buckets_of_slices(slices, b);
    int64_t want[AGING_BUCKETS] = {1, 2, 3, 9, 6, 7, 8};
    assert_memory_equal(b, want, sizeof want);
    /* 9 months splits 6-12 for the special scheme only */
    assert_int_equal(aging_slice_of(date_from_ymd(2025, 1, 31), date_from_ymd(2025, 10, 30)), AGING_S_M6_9);
    assert_int_equal(aging_slice_of(date_from_ymd(2025, 1, 31), date_from_ymd(2025, 10, 31)), AGING_S_M9_12);
}

static void test_provision_cases(void **state)
{
    (void)state;
    FILE *f = case_file("provision.csv");
    char line[512];
    int n = 0;
    if (!fgets(line, sizeof line, f))
        fail();
    while (fgets(line, sizeof line, f)) {
        char scheme[16];
        long long v[AGING_SLICES], want;
        if (sscanf(line, "%15[^,],%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld", scheme, &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7], &want) != 10)
            fail_msg("bad case line: %s", line);
        provision_scheme s;
        assert_int_equal(provision_scheme_parse(scheme, &s), 0);
        int64_t slices[AGING_SLICES];
        for (int k = 0; k < AGING_SLICES; k++)
            slices[k] = v[k];
        if (aging_provision(slices, s) != want)
            fail_msg("%s", line);
        n++;
    }
    fclose(f);
    assert_int_equal(n, 8);
    provision_scheme s;
    assert_int_equal(provision_scheme_parse("other", &s), -1);
    assert_int_equal(provision_scheme_parse(NULL, &s), -1);
    assert_string_equal(provision_scheme_name(PROVISION_SPECIAL), "special");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary_cases),
        cmocka_unit_test(test_cutoffs_agree_with_rule),
        cmocka_unit_test(test_slices_fold_into_buckets),
        cmocka_unit_test(test_provision_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
