/* Uploads (app/uploads): the kinds by name, and the column each import's message is about, from
 * the messages the imports really write (table-driven). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app/uploads.h"

#define N(a) (sizeof(a) / sizeof *(a))

static void test_kinds(void **state)
{
    (void)state;
    static const char *const names[] = {"customers",  "reads",           "collections",
                                        "statements", "bank-statements", "legacy-debt"};
    for (size_t i = 0; i < N(names); i++) {
        upload_kind k;
        assert_int_equal(upload_kind_parse(names[i], &k), 0);
        assert_string_equal(upload_kind_name(k), names[i]);
    }
    upload_kind k;
    assert_int_equal(upload_kind_parse("bank", &k), -1);
    assert_int_equal(upload_kind_parse("", &k), -1);
    assert_true(upload_kind_scoped(UPLOAD_CUSTOMERS) && upload_kind_scoped(UPLOAD_READS));
    assert_true(upload_kind_scoped(UPLOAD_COLLECTIONS) && upload_kind_scoped(UPLOAD_LEGACY_DEBT));
    /* a partner's and the bank's statements are the partner's whole day, not a unit's */
    assert_false(upload_kind_scoped(UPLOAD_STATEMENTS) || upload_kind_scoped(UPLOAD_BANK_STATEMENTS));
}

static void test_columns(void **state)
{
    (void)state;
    static const struct {
        upload_kind kind;
        const char *msg, *column;
    } cases[] = {
        {UPLOAD_CUSTOMERS, "unit: 'PA0109' does not exist", "unit"},
        {UPLOAD_CUSTOMERS, "customer_code: 'PA01010000301' already exists", "customer_code"},
        {UPLOAD_CUSTOMERS, "voltage must be empty for a residential customer", "voltage"},
        {UPLOAD_CUSTOMERS, "7 fields, the header has 8", ""},
        {UPLOAD_STATEMENTS, "amount: '35O000' is not a whole number of đồng", "amount"},
        {UPLOAD_STATEMENTS, "no partner 'NOPE' (see `powercis partner list`)", "partner"},
        {UPLOAD_STATEMENTS, "paid_at '2025-02-30' is not a date", "paid_at"},
        {UPLOAD_STATEMENTS, "txn_ref 'X' is too long (at most 47 characters)", "txn_ref"},
        /* "paid" is a word of its own only where it stands alone */
        {UPLOAD_LEGACY_DEBT, "paid_at: before issue_date", "paid_at"},
        {UPLOAD_LEGACY_DEBT, "paid: more than amount", "paid"},
        {UPLOAD_BANK_STATEMENTS, "bank reference FT1 was imported before with other content", "reference"},
        {UPLOAD_BANK_STATEMENTS, "for_day: not a date", "for_day"},
        {UPLOAD_READS, "customer_code: PA01010000101 is terminated", "customer_code"},
        {UPLOAD_READS, "route: PA01010000101 is on route 'A', not 'B'", "route"},
        {UPLOAD_COLLECTIONS, "text is not valid UTF-8", ""},
    };
    for (size_t i = 0; i < N(cases); i++) {
        char col[32];
        upload_column_of(cases[i].kind, cases[i].msg, col);
        assert_string_equal(col, cases[i].column);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
