/* Search folding: Vietnamese marks dropped, đ/Đ to d, case folded, punctuation to single spaces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/fold.h"

static void test_fold_cases(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Đặng Thị Ngọc Ánh", "dang thi ngoc anh"},
        {"ĐỖ", "do"},
        {"đường", "duong"},
        {"Nguye\xcc\x82\xcc\x83n", "nguyen"}, /* decomposed: e + combining circumflex + combining tilde */
        {"Nguyễn Văn Đức, Hà Đông", "nguyen van duc ha dong"},
        {"  Số 5,  phố  Huế.  ", "so 5 pho hue"},
        {"KCN Phúc Khánh - lô B2", "kcn phuc khanh lo b2"},
        {"", ""},
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(text_fold(cases[i].in, out, sizeof out, NULL), 0);
        assert_string_equal(out, cases[i].out);
    }
}

static void test_fold_errors_and_limits(void **state)
{
    (void)state;
    char out[16];
    pc_err e = {0};
    assert_int_equal(text_fold("\xff\xfe", out, sizeof out, &e), -1);
    assert_non_null(strstr(e.msg, "UTF-8"));
    assert_string_equal(out, "");
    /* a small buffer keeps whole tokens and stays terminated */
    assert_int_equal(text_fold("Nguyễn Văn Đức Hà Đông", out, 12, NULL), 0);
    assert_string_equal(out, "nguyen van");
    assert_true(text_is_utf8("Đức", strlen("Đức")));
    assert_false(text_is_utf8("L\xea", 2));
    assert_int_equal(text_display_width("Đức"), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_cases),
        cmocka_unit_test(test_fold_errors_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
