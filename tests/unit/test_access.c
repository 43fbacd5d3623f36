/* Sign-in rules (domain/access): the canonical text a partner signs (the worked example of
 * docs/api.md, down to its HMAC), percent-encoding, the throttling arithmetic and the scope test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "domain/access.h"

#define N(a) (sizeof(a) / sizeof *(a))

static void test_canonical_example(void **state)
{
    (void)state;
    /* docs/api.md, "A worked example": the decoded query, in the order the request gave it */
    query_param q[] = {{"note", "Tiền điện"}, {"dry_run", "1"}};
    buf out = {0};
    access_canonical("POST", "/api/v1/partner/payments", q, N(q), "1763884800",
                     "d9d2c4a0be45ab7367e138379dfda669c48bf9d5384d6b41af8edb4174bbab5f", &out);
    buf_puts(&out, ""); /* NUL-terminated */
    assert_string_equal(out.data, "PCS-HMAC-SHA256\nPOST\n/api/v1/partner/payments\n"
                                  "dry_run=1&note=Ti%E1%BB%81n%20%C4%91i%E1%BB%87n\n1763884800\n"
                                  "d9d2c4a0be45ab7367e138379dfda669c48bf9d5384d6b41af8edb4174bbab5f");
    unsigned char key[32], mac[32];
    size_t key_len;
    assert_int_equal(sodium_hex2bin(key, sizeof key, "4f1c2b7e9a0d3c5b6e8f7a1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f7",
                                    64, NULL, &key_len, NULL),
                     0);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)out.data, out.len);
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    assert_string_equal(hex, "9846cdeb4eb20c32f4d2dcf6cd7dfe95ce2a400e7bfd465a98de23a542088a00");
    buf_free(&out);
}

static void test_canonical_empty(void **state)
{
    (void)state;
    buf out = {0};
    access_canonical("GET", "/api/v1/me", NULL, 0, "1", "e3b0", &out);
    buf_puts(&out, "");
    assert_string_equal(out.data, "PCS-HMAC-SHA256\nGET\n/api/v1/me\n\n1\ne3b0");
    buf_free(&out);
    /* equal names sort by value; reserved characters are encoded so "a=1&b=2" as one value
     * cannot pass for two parameters */
    query_param q[] = {{"a", "2"}, {"a", "1&b=2"}, {"A", ""}};
    buf o2 = {0};
    access_canonical("GET", "/x", q, N(q), "1", "h", &o2);
    buf_puts(&o2, "");
    assert_string_equal(o2.data, "PCS-HMAC-SHA256\nGET\n/x\nA=&a=1%26b%3D2&a=2\n1\nh");
    buf_free(&o2);
}

static void test_throttle(void **state)
{
    (void)state;
    /* five failures within 15 minutes lock for 15 minutes after the fifth */
    int64_t t1[] = {400, 100, 200, 300, 500};
    assert_int_equal(access_throttle_until(t1, N(t1), 5, 900, 900), 500 + 900);
    /* four are not enough */
    int64_t t2[] = {100, 200, 300, 400};
    assert_int_equal(access_throttle_until(t2, N(t2), 5, 900, 900), 0);
    /* five spread over more than the window are not a run */
    int64_t t3[] = {0, 300, 600, 900, 901};
    assert_int_equal(access_throttle_until(t3, N(t3), 5, 900, 900), 0);
    /* exactly the window is a run */
    int64_t t4[] = {1, 300, 600, 900, 901};
    assert_int_equal(access_throttle_until(t4, N(t4), 5, 900, 900), 901 + 900);
    /* the latest run decides */
    int64_t t5[] = {0, 1, 2, 3, 4, 5000, 5001, 5002, 5003, 5004};
    assert_int_equal(access_throttle_until(t5, N(t5), 5, 900, 900), 5004 + 900);
    assert_int_equal(access_throttle_until(NULL, 0, 5, 900, 900), 0);
}

static void test_scope(void **state)
{
    (void)state;
    assert_true(access_in_scope("/PA/PA01/", "/PA/PA01/PA0101/"));
    assert_true(access_in_scope("/PA/PA01/", "/PA/PA01/"));
    assert_false(access_in_scope("/PA/PA01/", "/PA/PA02/PA0201/"));
    /* PA01 is not a prefix of PA010 as a node: the trailing slash keeps them apart */
    assert_false(access_in_scope("/PA/PA01/", "/PA/PA010/"));
    assert_false(access_in_scope("", "/PA/"));
    assert_false(access_in_scope("/", "/PA/"));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_example),
        cmocka_unit_test(test_canonical_empty),
        cmocka_unit_test(test_throttle),
        cmocka_unit_test(test_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
