/* Round half up of exact ratios (domain/rounding, DOMAIN 5.6): halves, thirds and values around
 * zero, the int64 extremes, a refused denominator, and the overflow of a * b in muldiv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/rounding.h"

#define N(a) (sizeof(a) / sizeof *(a))

static void test_div_table(void **state)
{
    (void)state;
    static const struct {
        int64_t num, den, want;
    } cases[] = {
        /* halves go up, toward +infinity also below zero */
        {5, 2, 3}, {3, 2, 2}, {1, 2, 1}, {-1, 2, 0}, {-3, 2, -1}, {-5, 2, -2}, {-7, 2, -3},
        /* thirds */
        {1, 3, 0}, {2, 3, 1}, {4, 3, 1}, {5, 3, 2}, {-1, 3, 0}, {-2, 3, -1}, {-4, 3, -1}, {-5, 3, -2},
        /* exact */
        {0, 7, 0}, {7, 7, 1}, {-7, 7, -1}, {42, 1, 42}, {-42, 1, -42}, {0, 1, 0},
        /* just under and at a half with a larger denominator */
        {149, 100, 1}, {150, 100, 2}, {151, 100, 2}, {-149, 100, -1}, {-150, 100, -1}, {-151, 100, -2},
        /* VAT-like: energy × rate / 100 */
        {1613600, 100, 16136}, {4716800, 100, 47168}, {1742476, 100, 17425}, {1742450, 100, 17425},
        {1742449, 100, 17424},
        /* the int64 extremes */
        {INT64_MAX, 1, INT64_MAX}, {INT64_MIN, 1, INT64_MIN}, {INT64_MAX, 2, 4611686018427387904},
        {INT64_MIN, 2, -4611686018427387904}, {INT64_MIN + 1, 2, -4611686018427387903},
        {INT64_MAX, INT64_MAX, 1}, {INT64_MAX - 1, INT64_MAX, 1}, {INT64_MAX / 2, INT64_MAX, 0},
        {INT64_MAX / 2 + 1, INT64_MAX, 1}, {INT64_MIN, INT64_MAX, -1}, {1, INT64_MAX, 0},
        {-1, INT64_MAX, 0}, {INT64_MAX, 3, 3074457345618258602}, {INT64_MAX - 1, 3, 3074457345618258602},
        {-INT64_MAX, 3, -3074457345618258602},
    };
    for (size_t i = 0; i < N(cases); i++) {
        int64_t out = 99;
        if (!round_half_up_div(cases[i].num, cases[i].den, &out))
            fail_msg("%lld / %lld refused", (long long)cases[i].num, (long long)cases[i].den);
        if (out != cases[i].want)
            fail_msg("%lld / %lld = %lld, want %lld", (long long)cases[i].num, (long long)cases[i].den,
                     (long long)out, (long long)cases[i].want);
    }
}

/* Against the definition floor((2·num + den) / (2·den)) computed exactly in 128 bits. */
static void test_div_matches_definition(void **state)
{
    (void)state;
    static const int64_t nums[] = {-1000003, -100, -31, -30, -29, -16, -15, -14, -1, 0, 1, 14, 15, 16, 29,
                                   30, 31, 100, 1000003, INT64_MAX, INT64_MIN, INT64_MAX - 7, INT64_MIN + 7};
    static const int64_t dens[] = {1, 2, 3, 4, 5, 6, 7, 10, 30, 31, 100, 1000, 4611686018427387904, INT64_MAX};
    for (size_t i = 0; i < N(nums); i++)
        for (size_t j = 0; j < N(dens); j++) {
            __int128 n2 = (__int128)nums[i] * 2 + dens[j], d2 = (__int128)dens[j] * 2;
            __int128 q = n2 / d2;
            if (n2 % d2 != 0 && n2 < 0)
                q -= 1;
            int64_t out = 99;
            assert_true(round_half_up_div(nums[i], dens[j], &out));
            if ((__int128)out != q)
                fail_msg("%lld / %lld = %lld, want %lld", (long long)nums[i], (long long)dens[j], (long long)out,
                         (long long)q);
        }
}

static void test_div_refuses_bad_denominator(void **state)
{
    (void)state;
    static const int64_t dens[] = {0, -1, -2, -100, INT64_MIN};
    for (size_t i = 0; i < N(dens); i++) {
        int64_t out = 99;
        assert_false(round_half_up_div(5, dens[i], &out));
        assert_int_equal(out, 99); /* untouched */
        assert_false(round_half_up_div(INT64_MIN, dens[i], &out));
        assert_int_equal(out, 99);
    }
}

static void test_muldiv_table(void **state)
{
    (void)state;
    static const struct {
        int64_t a, b, den, want;
    } cases[] = {
        {150, 10, 31, 48},         /* 1500/31 = 48.39 */
        {150, 21, 31, 102},        /* 3150/31 = 101.61 */
        {50, 18, 30, 30},          /* exact */
        {50, 5, 4, 63},            /* 62.5 up */
        {50, 3, 4, 38},            /* 37.5 up */
        {201700, 8, 100, 16136},   /* VAT 8 % */
        {2017000, 10, 100, 201700},
        {1234567, 8, 100, 98765},  /* 98765.36 */
        {1234569, 8, 100, 98766},  /* 98765.52 */
        {100, 7, 4, 175},          /* renter quota: 100 kWh × 7 persons / 4 */
        {50, 6, 4, 75},
        {50, 5, 4, 63},
        {-150, 10, 31, -48},
        {-50, 5, 4, -62},          /* -62.5 goes toward +infinity */
        {0, 123, 7, 0},
        {3037000499, 3037000499, 1, 9223372030926249001},
        {INT64_MAX, 1, 1, INT64_MAX},
        {INT64_MAX, -1, 1, -INT64_MAX},
        {4611686018427387903, 2, 3, 3074457345618258602},
    };
    for (size_t i = 0; i < N(cases); i++) {
        int64_t out = 99;
        if (!round_half_up_muldiv(cases[i].a, cases[i].b, cases[i].den, &out))
            fail_msg("%lld × %lld / %lld refused", (long long)cases[i].a, (long long)cases[i].b, (long long)cases[i].den);
        if (out != cases[i].want)
            fail_msg("%lld × %lld / %lld = %lld, want %lld", (long long)cases[i].a, (long long)cases[i].b,
                     (long long)cases[i].den, (long long)out, (long long)cases[i].want);
    }
}

static void test_muldiv_refuses(void **state)
{
    (void)state;
    static const struct {
        int64_t a, b, den;
    } cases[] = {
        {INT64_MAX, 2, 3},            /* a × b overflows */
        {INT64_MIN, -1, 1},
        {3037000500, 3037000500, 1},
        {INT64_MAX / 2 + 1, 2, 2},
        {INT64_MIN, 2, 1},
        {5, 5, 0},                    /* no denominator */
        {5, 5, -1},
    };
    for (size_t i = 0; i < N(cases); i++) {
        int64_t out = 99;
        if (round_half_up_muldiv(cases[i].a, cases[i].b, cases[i].den, &out))
            fail_msg("%lld × %lld / %lld accepted as %lld", (long long)cases[i].a, (long long)cases[i].b,
                     (long long)cases[i].den, (long long)out);
        assert_int_equal(out, 99);
    }
}

/* The DOMAIN 5.6 split: parts computed as differences of rounded prefixes always add up. */
static void test_split_adds_up(void **state)
{
    (void)state;
    static const int64_t days[] = {9, 11, 10}; /* a 30-day period in three parts */
    for (int64_t s = 0; s <= 1000; s++) {
        int64_t sum = 0, prev = 0, cum = 0;
        for (size_t j = 0; j < N(days); j++) {
            int64_t r;
            cum += days[j];
            assert_true(round_half_up_muldiv(s, cum, 30, &r));
            sum += r - prev;
            assert_true(r - prev >= 0);
            prev = r;
        }
        assert_int_equal(sum, s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_div_table),
        cmocka_unit_test(test_div_matches_definition),
        cmocka_unit_test(test_div_refuses_bad_denominator),
        cmocka_unit_test(test_muldiv_table),
        cmocka_unit_test(test_muldiv_refuses),
        cmocka_unit_test(test_split_adds_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
