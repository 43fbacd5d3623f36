/* Customer rules (DOMAIN 2–3): codes, phones, org codes, yes/no fields and the consistency of
 * purpose, voltage, households and renters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/customer.h"

static void test_codes(void **state)
{
    (void)state;
    pc_err e = {0};
    assert_int_equal(customer_code_check("PA01010012345", &e), 0);
    static const char *const bad[] = {"PA0101001234", "PA010100123456", "pa01010012345", "PA0101001234X", "P101010012345"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(customer_code_check(bad[i], &e), -1);
    org_level l;
    assert_int_equal(org_code_level("PA", &l, &e), 0);
    assert_int_equal(l, ORG_CORPORATION);
    assert_int_equal(org_code_level("PA01", &l, &e), 0);
    assert_int_equal(l, ORG_COMPANY);
    assert_int_equal(org_code_level("PA0101", &l, &e), 0);
    assert_int_equal(l, ORG_UNIT);
    assert_int_equal(org_code_level("EVN", &l, &e), 0);
    assert_int_equal(l, ORG_GROUP);
    static const char *const bad_org[] = {"pa", "P", "PA1", "PA010", "PA01011", "123", "PA0A"};
    for (size_t i = 0; i < sizeof bad_org / sizeof *bad_org; i++)
        assert_int_equal(org_code_level(bad_org[i], &l, &e), -1);
}

static void test_phones(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } good[] = {{"0912345678", "0912345678"},   {"091 234 5678", "0912345678"}, {"091.234.5678", "0912345678"},
                {"+84912345678", "0912345678"}, {"+84 98 765 4321", "0987654321"}, {"02438251234", "02438251234"},
                {"0228-383-8383", "02283838383"}};
    char out[16];
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        assert_int_equal(phone_normalize(good[i].in, out, NULL), 0);
        assert_string_equal(out, good[i].out);
    }
    static const char *const bad[] = {"012345678", "0112345678", "+1 555 123 4567", "09123456789", "abc", "0228383838", ""};
    pc_err e = {0};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(phone_normalize(bad[i], out, &e), -1);
        assert_true(strlen(e.msg) > 0);
    }
}

static void test_bools_and_purposes(void **state)
{
    (void)state;
    bool b;
    static const char *const yes[] = {"1", "true", "yes", "có", "YES"}, *const no[] = {"", "0", "false", "no", "không"};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(bool_parse(yes[i], &b, NULL), 0);
        assert_true(b);
        assert_int_equal(bool_parse(no[i], &b, NULL), 0);
        assert_false(b);
    }
    assert_int_equal(bool_parse("maybe", &b, NULL), -1);
    customer_purpose p;
    assert_int_equal(purpose_parse("administrative_public", &p, NULL), 0);
    assert_int_equal(p, PURPOSE_ADMIN_PUBLIC);
    assert_string_equal(purpose_class(p), "nonresidential");
    assert_int_equal(purpose_parse("farming", &p, NULL), -1);
}

static customer base(customer_purpose p, const char *voltage)
{
    customer c;
    customer_defaults(&c);
    strcpy(c.code, "PA01010000001");
    strcpy(c.unit, "PA0101");
    strcpy(c.name, "Nguyễn Văn A");
    strcpy(c.address, "Xóm 1");
    c.purpose = p;
    snprintf(c.voltage, sizeof c.voltage, "%s", voltage);
    return c;
}

static void test_validate(void **state)
{
    (void)state;
    pc_err e = {0};
    customer c = base(PURPOSE_RESIDENTIAL, "");
    assert_int_equal(customer_validate(&c, &e), 0);
    c = base(PURPOSE_BUSINESS, "6-22kV");
    c.tou = true;
    assert_int_equal(customer_validate(&c, &e), 0);

    struct {
        const char *field;
        customer c;
    } bad[16];
    int n = 0;
    bad[n].field = "voltage"; bad[n++].c = base(PURPOSE_RESIDENTIAL, "<6kV");
    bad[n].field = "voltage"; bad[n++].c = base(PURPOSE_PRODUCTION, "");
    bad[n].field = "voltage"; bad[n++].c = base(PURPOSE_PRODUCTION, "35kV");
    bad[n].field = "tou"; bad[n].c = base(PURPOSE_RESIDENTIAL, ""); bad[n++].c.tou = true;
    bad[n].field = "tou"; bad[n].c = base(PURPOSE_ADMIN_PUBLIC, "<6kV"); bad[n++].c.tou = true;
    bad[n].field = "persons"; bad[n].c = base(PURPOSE_RESIDENTIAL, ""); bad[n++].c.persons = 4;
    bad[n].field = "households"; bad[n].c = base(PURPOSE_RESIDENTIAL, ""); bad[n].c.renter = true; bad[n++].c.households = 2;
    bad[n].field = "households"; bad[n].c = base(PURPOSE_RESIDENTIAL, ""); bad[n++].c.households = 0;
    bad[n].field = "households"; bad[n].c = base(PURPOSE_RESIDENTIAL, ""); bad[n++].c.households = 1000;
    bad[n].field = "households"; bad[n].c = base(PURPOSE_BUSINESS, "<6kV"); bad[n++].c.households = 2;
    bad[n].field = "periods_per_month"; bad[n].c = base(PURPOSE_BUSINESS, "<6kV"); bad[n++].c.periods_per_month = 4;
    bad[n].field = "periods_per_month"; bad[n].c = base(PURPOSE_RESIDENTIAL, ""); bad[n++].c.periods_per_month = 2;
    bad[n].field = "customer_code"; bad[n].c = base(PURPOSE_RESIDENTIAL, ""); strcpy(bad[n++].c.unit, "PA0102");
    bad[n].field = "name"; bad[n].c = base(PURPOSE_RESIDENTIAL, ""); bad[n++].c.name[0] = '\0';
    bad[n].field = "address"; bad[n].c = base(PURPOSE_RESIDENTIAL, ""); bad[n++].c.address[0] = '\0';
    bad[n].field = "renter"; bad[n].c = base(PURPOSE_BUSINESS, "<6kV"); bad[n++].c.renter = true;
    for (int i = 0; i < n; i++) {
        pc_err_clear(&e);
        assert_int_equal(customer_validate(&bad[i].c, &e), -1);
        if (!strstr(e.msg, bad[i].field))
            fail_msg("case %d: '%s' does not name %s", i, e.msg, bad[i].field);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_phones),
        cmocka_unit_test(test_bools_and_purposes),
        cmocka_unit_test(test_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
