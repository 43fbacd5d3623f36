/* Customer rules (domain/customer, DOMAIN 2–3): customer and org codes, phone normalisation,
 * yes/no fields, purposes, and customer_validate's consistency rules with the field it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/customer.h"

#define N(a) (sizeof(a) / sizeof *(a))

/* ---- customer codes ---- */

static void test_customer_code_good(void **state)
{
    (void)state;
    static const char *const good[] = {"PA01010012345", "PA01010000001", "PB99999999999", "PE03020000000"};
    for (size_t i = 0; i < N(good); i++) {
        pc_err e = {0};
        if (customer_code_check(good[i], &e) != 0)
            fail_msg("'%s' refused: %s", good[i], e.msg);
    }
}

static void test_customer_code_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",                /* empty */
        "PA0101001234",    /* 12 characters */
        "PA010100123456",  /* 14 */
        "pa01010012345",   /* lowercase */
        "Pa01010012345",
        "PA0101001234X",   /* a letter among the digits */
        "PA01A10012345",
        "P101010012345",   /* one letter */
        "PAA1010012345",
        "PA 1010012345",
        "PA01010012345 ",
    };
    for (size_t i = 0; i < N(bad); i++) {
        pc_err e = {0};
        if (customer_code_check(bad[i], &e) != -1)
            fail_msg("'%s' accepted", bad[i]);
        assert_int_equal(e.code, PC_EINVAL);
        if (!strstr(e.msg, bad[i]) || !strstr(e.msg, "13"))
            fail_msg("message '%s' should quote '%s' and say 13 characters", e.msg, bad[i]);
    }
}

/* ---- org codes ---- */

static void test_org_code_levels(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        org_level level;
        const char *name;
    } good[] = {
        {"PA", ORG_CORPORATION, "corporation"}, {"PE", ORG_CORPORATION, "corporation"},
        {"PA01", ORG_COMPANY, "company"},       {"PA99", ORG_COMPANY, "company"},
        {"PA0101", ORG_UNIT, "unit"},           {"PE1234", ORG_UNIT, "unit"},
        {"EVN", ORG_GROUP, "group"},            {"EVNNPC", ORG_GROUP, "group"},
        {"ABCDEFGH", ORG_GROUP, "group"},
    };
    for (size_t i = 0; i < N(good); i++) {
        org_level l = (org_level)-1;
        pc_err e = {0};
        if (org_code_level(good[i].code, &l, &e) != 0)
            fail_msg("'%s' refused: %s", good[i].code, e.msg);
        assert_int_equal(l, good[i].level);
        assert_string_equal(org_level_name(l), good[i].name);
    }
}

static void test_org_code_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "pa", "P", "PA1", "PA010", "PA01011", "123", "PA0A", "pa01",
                                      "PA010A", "ABCDEFGHI", "EV N", "1A"};
    for (size_t i = 0; i < N(bad); i++) {
        org_level l = ORG_UNIT;
        pc_err e = {0};
        if (org_code_level(bad[i], &l, &e) != -1)
            fail_msg("'%s' accepted", bad[i]);
        assert_int_equal(l, ORG_UNIT); /* untouched */
        assert_int_equal(e.code, PC_EINVAL);
        assert_non_null(strstr(e.msg, "EVN-style"));
    }
}

/* ---- phones ---- */

static void test_phone_good(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } good[] = {
        {"0912345678", "0912345678"},     {"091 234 5678", "0912345678"}, {"091.234.5678", "0912345678"},
        {"091-234-5678", "0912345678"},   {"+84912345678", "0912345678"}, {"+84 98 765 4321", "0987654321"},
        {"0312345678", "0312345678"},     {"0512345678", "0512345678"},   {"0712345678", "0712345678"},
        {"0812345678", "0812345678"},     {"02438251234", "02438251234"}, {"0228-383-8383", "02283838383"},
        {"+842438251234", "02438251234"},
    };
    for (size_t i = 0; i < N(good); i++) {
        char out[16];
        pc_err e = {0};
        memset(out, 'Z', sizeof out);
        if (phone_normalize(good[i].in, out, &e) != 0)
            fail_msg("'%s' refused: %s", good[i].in, e.msg);
        assert_string_equal(out, good[i].out);
    }
}

static void test_phone_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "012345678",       /* 9 digits */
        "0112345678",      /* 01x is no mobile prefix */
        "0212345678",      /* landline with 10 digits */
        "0412345678",
        "0612345678",
        "+1 555 123 4567", /* not Vietnamese */
        "+8412345",
        "+840912345678",   /* +84 then a leading 0 */
        "09123456789",     /* 11 digits, not a landline */
        "abc",
        "0912x45678",
        "(091) 234 5678",
        "",
        "091234567890123456789012345", /* longer than any buffer */
    };
    for (size_t i = 0; i < N(bad); i++) {
        char out[16] = "untouched";
        pc_err e = {0};
        if (phone_normalize(bad[i], out, &e) != -1)
            fail_msg("'%s' accepted as '%s'", bad[i], out);
        assert_string_equal(out, "untouched");
        assert_int_equal(e.code, PC_EINVAL);
        if (!strstr(e.msg, "phone"))
            fail_msg("message '%s' does not say phone", e.msg);
    }
}

/* ---- yes/no and purposes ---- */

static void test_bool_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool want;
    } good[] = {
        {"1", true},     {"true", true},   {"TRUE", true},   {"yes", true},   {"Yes", true},   {"y", true},
        {"x", true},     {"có", true},     {"Có", true},     {"co", true},    {"0", false},    {"false", false},
        {"False", false}, {"no", false},    {"NO", false},    {"n", false},    {"không", false}, {"Không", false},
        {"khong", false}, {"", false},
    };
    for (size_t i = 0; i < N(good); i++) {
        bool b = !good[i].want;
        pc_err e = {0};
        if (bool_parse(good[i].text, &b, &e) != 0)
            fail_msg("'%s' refused: %s", good[i].text, e.msg);
        if (b != good[i].want)
            fail_msg("'%s' read as %d", good[i].text, b);
    }
    static const char *const bad[] = {"maybe", "2", "-1", "yess", " yes", "ja", "oui"};
    for (size_t i = 0; i < N(bad); i++) {
        bool b = true;
        pc_err e = {0};
        if (bool_parse(bad[i], &b, &e) != -1)
            fail_msg("'%s' accepted", bad[i]);
        assert_true(b); /* untouched */
        assert_non_null(strstr(e.msg, bad[i]));
    }
}

/* BUG (customer.c, bool_parse): the match is strcasecmp, which folds ASCII only, so "YES",
 * "TRUE" and "KHONG" are read but the Vietnamese words in capitals, as a spreadsheet column
 * typed in caps holds them, are refused: "CÓ" → error, "KHÔNG" → error. */
static void test_bug_bool_parse_uppercase_vietnamese(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool want;
    } cases[] = {{"CÓ", true}, {"cÓ", true}, {"KHÔNG", false}, {"Không", false}, {"KHôNG", false}};
    for (size_t i = 0; i < N(cases); i++) {
        bool b = !cases[i].want;
        pc_err e = {0};
        if (bool_parse(cases[i].text, &b, &e) != 0)
            fail_msg("'%s' refused: %s", cases[i].text, e.msg);
        assert_int_equal(b, cases[i].want);
    }
}

static void test_purposes(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        customer_purpose p;
        bool residential;
    } all[] = {
        {"residential", PURPOSE_RESIDENTIAL, true},       {"production", PURPOSE_PRODUCTION, false},
        {"business", PURPOSE_BUSINESS, false},            {"administrative_public", PURPOSE_ADMIN_PUBLIC, false},
        {"administrative_other", PURPOSE_ADMIN_OTHER, false},
    };
    assert_int_equal(N(all), PURPOSE_COUNT);
    for (size_t i = 0; i < N(all); i++) {
        customer_purpose p = PURPOSE_COUNT;
        assert_int_equal(purpose_parse(all[i].name, &p, NULL), 0);
        assert_int_equal(p, all[i].p);
        assert_string_equal(purpose_name(p), all[i].name);
        assert_int_equal(purpose_is_residential(p), all[i].residential);
        assert_string_equal(purpose_class(p), all[i].residential ? "residential" : "nonresidential");
    }
    static const char *const bad[] = {"farming", "", "Residential", "administrative", "residential "};
    for (size_t i = 0; i < N(bad); i++) {
        customer_purpose p = PURPOSE_BUSINESS;
        pc_err e = {0};
        assert_int_equal(purpose_parse(bad[i], &p, &e), -1);
        assert_int_equal(p, PURPOSE_BUSINESS);
        assert_non_null(strstr(e.msg, "purpose"));
    }
    assert_string_equal(purpose_name(PURPOSE_COUNT), "?");
}

static void test_voltage_bands(void **state)
{
    (void)state;
    static const char *const good[] = {"<6kV", "6-22kV", "22-110kV", ">=110kV"};
    static const char *const bad[] = {"", "35kV", "<6kv", "6-22 kV", "110kV", "0.4kV"};
    for (size_t i = 0; i < N(good); i++)
        assert_true(voltage_valid(good[i]));
    for (size_t i = 0; i < N(bad); i++)
        assert_false(voltage_valid(bad[i]));
}

/* ---- customer_validate ---- */

static customer make(customer_purpose p, const char *voltage)
{
    customer c;
    customer_defaults(&c);
    strcpy(c.code, "PA01010000001");
    strcpy(c.unit, "PA0101");
    strcpy(c.name, "Nguyễn Văn A");
    strcpy(c.address, "Xóm 1, xã Phúc Khánh");
    strcpy(c.valid_from, "2025-01-01");
    c.purpose = p;
    snprintf(c.voltage, sizeof c.voltage, "%s", voltage);
    return c;
}

static void test_defaults(void **state)
{
    (void)state;
    customer c;
    memset(&c, 0x5a, sizeof c);
    customer_defaults(&c);
    assert_int_equal(c.purpose, PURPOSE_RESIDENTIAL);
    assert_int_equal(c.households, 1);
    assert_string_equal(c.status, "active");
    assert_string_equal(c.payment_mode, "postpaid");
    assert_int_equal(c.payment_term_days, 7);
    assert_int_equal(c.periods_per_month, 1);
    assert_string_equal(c.code, "");
    assert_false(c.renter);
    assert_false(c.tou);
    assert_int_equal(c.persons, 0);
}

static void test_validate_accepts(void **state)
{
    (void)state;
    customer cases[12];
    const char *what[12];
    int n = 0;
    what[n] = "plain residential"; cases[n++] = make(PURPOSE_RESIDENTIAL, "");
    what[n] = "residential, 3 households"; cases[n] = make(PURPOSE_RESIDENTIAL, ""); cases[n++].households = 3;
    what[n] = "residential, 999 households"; cases[n] = make(PURPOSE_RESIDENTIAL, ""); cases[n++].households = 999;
    what[n] = "renter with persons"; cases[n] = make(PURPOSE_RESIDENTIAL, ""); cases[n].renter = true; cases[n++].persons = 7;
    what[n] = "renter, persons undeclared"; cases[n] = make(PURPOSE_RESIDENTIAL, ""); cases[n++].renter = true;
    what[n] = "business with voltage and tou"; cases[n] = make(PURPOSE_BUSINESS, "6-22kV"); cases[n++].tou = true;
    what[n] = "production, 3 periods"; cases[n] = make(PURPOSE_PRODUCTION, ">=110kV"); cases[n++].periods_per_month = 3;
    what[n] = "administrative public"; cases[n++] = make(PURPOSE_ADMIN_PUBLIC, "<6kV");
    what[n] = "administrative other, prepaid"; cases[n] = make(PURPOSE_ADMIN_OTHER, "22-110kV");
    strcpy(cases[n++].payment_mode, "prepaid");
    what[n] = "disconnected, term 0"; cases[n] = make(PURPOSE_RESIDENTIAL, ""); strcpy(cases[n].status, "disconnected");
    cases[n++].payment_term_days = 0;
    what[n] = "terminated, term 90, estimate"; cases[n] = make(PURPOSE_RESIDENTIAL, ""); strcpy(cases[n].status, "terminated");
    cases[n].payment_term_days = 90; cases[n++].est_kwh_month = 250;
    for (int i = 0; i < n; i++) {
        pc_err e = {0};
        if (customer_validate(&cases[i], &e) != 0)
            fail_msg("%s: refused: %s", what[i], e.msg);
    }
}

static void test_validate_refuses(void **state)
{
    (void)state;
    struct {
        const char *what, *field;
        customer c;
    } bad[40];
    int n = 0;
#define BAD(w, f, p, v) (bad[n].what = (w), bad[n].field = (f), bad[n].c = make((p), (v)), &bad[n++].c)
    BAD("residential with voltage", "voltage", PURPOSE_RESIDENTIAL, "<6kV");
    BAD("production without voltage", "voltage", PURPOSE_PRODUCTION, "");
    BAD("business without voltage", "voltage", PURPOSE_BUSINESS, "");
    BAD("bad voltage text", "voltage", PURPOSE_PRODUCTION, "35kV");
    BAD("lowercase voltage", "voltage", PURPOSE_BUSINESS, "<6kv");
    BAD("tou on residential", "tou", PURPOSE_RESIDENTIAL, "")->tou = true;
    BAD("tou on administrative public", "tou", PURPOSE_ADMIN_PUBLIC, "<6kV")->tou = true;
    BAD("tou on administrative other", "tou", PURPOSE_ADMIN_OTHER, "<6kV")->tou = true;
    BAD("persons without renter", "persons", PURPOSE_RESIDENTIAL, "")->persons = 4;
    BAD("negative persons", "persons", PURPOSE_RESIDENTIAL, "")->persons = -1;
    BAD("persons 10000", "persons", PURPOSE_RESIDENTIAL, "")->persons = 10000;
    customer *c = BAD("renter with households 2", "households", PURPOSE_RESIDENTIAL, "");
    c->renter = true;
    c->households = 2;
    BAD("households 0", "households", PURPOSE_RESIDENTIAL, "")->households = 0;
    BAD("households -1", "households", PURPOSE_RESIDENTIAL, "")->households = -1;
    BAD("households 1000", "households", PURPOSE_RESIDENTIAL, "")->households = 1000;
    BAD("non-residential households 2", "households", PURPOSE_BUSINESS, "<6kV")->households = 2;
    BAD("non-residential renter", "renter", PURPOSE_BUSINESS, "<6kV")->renter = true;
    BAD("periods_per_month 4", "periods_per_month", PURPOSE_BUSINESS, "<6kV")->periods_per_month = 4;
    BAD("periods_per_month 0", "periods_per_month", PURPOSE_BUSINESS, "<6kV")->periods_per_month = 0;
    BAD("residential read twice a month", "periods_per_month", PURPOSE_RESIDENTIAL, "")->periods_per_month = 2;
    strcpy(BAD("code not starting with unit", "customer_code", PURPOSE_RESIDENTIAL, "")->unit, "PA0102");
    strcpy(BAD("unit code too short", "customer_code", PURPOSE_RESIDENTIAL, "")->unit, "PA01");
    strcpy(BAD("code of 12 characters", "customer_code", PURPOSE_RESIDENTIAL, "")->code, "PA0101000001");
    strcpy(BAD("lowercase code", "customer_code", PURPOSE_RESIDENTIAL, "")->code, "pa01010000001");
    BAD("empty name", "name", PURPOSE_RESIDENTIAL, "")->name[0] = '\0';
    BAD("empty address", "address", PURPOSE_RESIDENTIAL, "")->address[0] = '\0';
    strcpy(BAD("unknown status", "status", PURPOSE_RESIDENTIAL, "")->status, "sleeping");
    strcpy(BAD("unknown payment mode", "payment_mode", PURPOSE_RESIDENTIAL, "")->payment_mode, "barter");
    BAD("payment term 91", "payment_term_days", PURPOSE_RESIDENTIAL, "")->payment_term_days = 91;
    BAD("payment term -1", "payment_term_days", PURPOSE_RESIDENTIAL, "")->payment_term_days = -1;
    BAD("negative estimate", "est_kwh", PURPOSE_RESIDENTIAL, "")->est_kwh_month = -1;
    BAD("purpose out of range", "purpose", PURPOSE_RESIDENTIAL, "")->purpose = PURPOSE_COUNT;
#undef BAD
    for (int i = 0; i < n; i++) {
        pc_err e = {0};
        if (customer_validate(&bad[i].c, &e) != -1)
            fail_msg("%s: accepted", bad[i].what);
        assert_int_equal(e.code, PC_EINVAL);
        /* the message starts with the field, so a form or an import can point at it */
        size_t fl = strlen(bad[i].field);
        if (strncmp(e.msg, bad[i].field, fl) != 0 || e.msg[fl] != ':')
            fail_msg("%s: message '%s' does not start with '%s:'", bad[i].what, e.msg, bad[i].field);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_customer_code_good),
        cmocka_unit_test(test_customer_code_bad),
        cmocka_unit_test(test_org_code_levels),
        cmocka_unit_test(test_org_code_bad),
        cmocka_unit_test(test_phone_good),
        cmocka_unit_test(test_phone_bad),
        cmocka_unit_test(test_bool_parse),
        cmocka_unit_test(test_bug_bool_parse_uppercase_vietnamese),
        cmocka_unit_test(test_purposes),
        cmocka_unit_test(test_voltage_bands),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_validate_accepts),
        cmocka_unit_test(test_validate_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
