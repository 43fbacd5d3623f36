/* Amounts in Vietnamese words (the invoice's TgTTTBChu) and the VietQR payload with its CRC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/amount_words.h"
#include "domain/vietqr.h"

static void test_words(void **state)
{
    (void)state;
    static const struct {
        int64_t v;
        const char *words;
    } cases[] = {
        {217836, "Hai trăm mười bảy nghìn tám trăm ba mươi sáu đồng"}, /* DOMAIN 6 */
        {636768, "Sáu trăm ba mươi sáu nghìn bảy trăm sáu mươi tám đồng"},
        {1534140, "Một triệu năm trăm ba mươi bốn nghìn một trăm bốn mươi đồng"},
        {0, "Không đồng"},
        {1, "Một đồng"},
        {10, "Mười đồng"},
        {11, "Mười một đồng"},
        {15, "Mười lăm đồng"},
        {21, "Hai mươi mốt đồng"},
        {25, "Hai mươi lăm đồng"},
        {105, "Một trăm lẻ năm đồng"},
        {110, "Một trăm mười đồng"},
        {2050, "Hai nghìn không trăm năm mươi đồng"},
        {1000500, "Một triệu năm trăm đồng"},
        {1005000, "Một triệu không trăm lẻ năm nghìn đồng"},
        {1000000000, "Một tỷ đồng"},
        {-5000, "Âm năm nghìn đồng"},
    };
    char out[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(amount_in_words(cases[i].v, out, sizeof out), 0);
        assert_string_equal(out, cases[i].words);
    }
    assert_int_equal(amount_in_words(217836, out, 10), -1);
}

static void test_crc(void **state)
{
    (void)state;
    /* The standard check value of CRC-16/CCITT-FALSE. */
    assert_int_equal(crc16_ccitt_false((const unsigned char *)"123456789", 9), 0x29B1);
}

/* Reads TLV id `id` at the top level of an EMVCo payload. */
static int tlv_get(const char *p, const char *id, char *out, size_t cap)
{
    size_t n = strlen(p), i = 0;
    while (i + 4 <= n) {
        int len = (p[i + 2] - '0') * 10 + (p[i + 3] - '0');
        if (strncmp(p + i, id, 2) == 0) {
            snprintf(out, cap, "%.*s", len, p + i + 4);
            return 0;
        }
        i += 4 + (size_t)len;
    }
    return -1;
}

static void test_vietqr(void **state)
{
    (void)state;
    char p[512], v[128], inner[128];
    pc_err e = {0};
    assert_int_equal(vietqr_payload("970436", "0011001234567", 217836, "PA01010012345 HD 42", p, sizeof p, &e), 0);
    assert_true(vietqr_crc_ok(p));
    assert_int_equal(tlv_get(p, "00", v, sizeof v), 0);
    assert_string_equal(v, "01");
    assert_int_equal(tlv_get(p, "54", v, sizeof v), 0);
    assert_string_equal(v, "217836");
    assert_int_equal(tlv_get(p, "53", v, sizeof v), 0);
    assert_string_equal(v, "704");
    assert_int_equal(tlv_get(p, "58", v, sizeof v), 0);
    assert_string_equal(v, "VN");
    assert_int_equal(tlv_get(p, "38", v, sizeof v), 0);
    assert_int_equal(tlv_get(v, "00", inner, sizeof inner), 0);
    assert_string_equal(inner, "A000000727");
    assert_int_equal(tlv_get(v, "02", inner, sizeof inner), 0);
    assert_string_equal(inner, "QRIBFTTA");
    assert_int_equal(tlv_get(v, "01", inner, sizeof inner), 0);
    assert_string_equal(inner, "00069704360113" "0011001234567");
    assert_int_equal(tlv_get(p, "62", v, sizeof v), 0);
    assert_string_equal(v, "0819PA01010012345 HD 42");
    /* any change breaks the CRC */
    p[strlen(p) - 12] ^= 1;
    assert_false(vietqr_crc_ok(p));
    assert_int_equal(vietqr_payload("97043", "1", 1, "", p, sizeof p, &e), -1);
    assert_int_equal(vietqr_payload("970436", "1", 0, "", p, sizeof p, &e), -1);
    assert_int_equal(vietqr_payload("970436", "1", 1, "Tiền điện", p, sizeof p, &e), -1);
    assert_non_null(strstr(e.msg, "ASCII"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_crc),
        cmocka_unit_test(test_vietqr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
