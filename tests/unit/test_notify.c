/* Notifications: retry backoff and quiet-hours arithmetic (domain/notify_schedule), template
 * rendering and checking (formats/notify_template, on the shipped templates and on small ones),
 * request-template filling and RFC 2047 subjects (app/notify_channels). Table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/notify_channels.h"
#include "base/date.h"
#include "domain/notify_schedule.h"
#include "formats/notify_template.h"

static int64_t at(const char *instant)
{
    int64_t t;
    pc_err e = {0};
    if (instant_parse(instant, &t, &e) != 0)
        fail_msg("%s", e.msg);
    return t;
}

static void test_backoff(void **state)
{
    (void)state;
    static const struct {
        int base, max, attempts;
        int64_t want;
    } cases[] = {
        {60, 3600, 1, 60},   {60, 3600, 2, 120},  {60, 3600, 3, 240},   {60, 3600, 6, 1920},
        {60, 3600, 7, 3600}, {60, 3600, 8, 3600}, {60, 3600, 1000, 3600}, /* no overflow however many */
        {1, 10, 1, 1},       {1, 10, 4, 8},       {1, 10, 5, 10},       {0, 0, 3, 1}, /* never below a second */
        {100, 50, 1, 50},                                                  /* the cap wins over the base */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t got = notify_backoff_seconds(cases[i].base, cases[i].max, cases[i].attempts);
        if (got != cases[i].want)
            fail_msg("case %zu: base %d max %d attempts %d: %lld, expected %lld", i, cases[i].base, cases[i].max,
                     cases[i].attempts, (long long)got, (long long)cases[i].want);
    }
}

static void test_quiet_hours(void **state)
{
    (void)state;
    /* Asia/Ho_Chi_Minh (+07:00), 21:00–07:00 unless a case says otherwise. */
    static const struct {
        const char *now;
        int start, end;
        int quiet;
        const char *release;
    } cases[] = {
        {"2026-11-24T20:59:59+07:00", 1260, 420, 0, "2026-11-24T20:59:59+07:00"},
        {"2026-11-24T21:00:00+07:00", 1260, 420, 1, "2026-11-25T07:00:00+07:00"},
        {"2026-11-24T22:00:00+07:00", 1260, 420, 1, "2026-11-25T07:00:00+07:00"},
        {"2026-11-24T23:59:59+07:00", 1260, 420, 1, "2026-11-25T07:00:00+07:00"},
        {"2026-11-25T00:00:00+07:00", 1260, 420, 1, "2026-11-25T07:00:00+07:00"},
        {"2026-11-25T06:59:59+07:00", 1260, 420, 1, "2026-11-25T07:00:00+07:00"},
        {"2026-11-25T07:00:00+07:00", 1260, 420, 0, "2026-11-25T07:00:00+07:00"},
        {"2026-11-25T12:00:00+07:00", 1260, 420, 0, "2026-11-25T12:00:00+07:00"},
        /* the same instants in UTC: the offset decides, not the writing */
        {"2026-11-24T15:00:00Z", 1260, 420, 1, "2026-11-25T00:00:00Z"},
        {"2026-11-24T13:59:59Z", 1260, 420, 0, "2026-11-24T13:59:59Z"},
        /* a window inside one day: 12:00–13:30 */
        {"2026-11-24T12:00:00+07:00", 720, 810, 1, "2026-11-24T13:30:00+07:00"},
        {"2026-11-24T13:30:00+07:00", 720, 810, 0, "2026-11-24T13:30:00+07:00"},
        {"2026-11-24T11:59:00+07:00", 720, 810, 0, "2026-11-24T11:59:00+07:00"},
        /* start == end: no quiet hours */
        {"2026-11-24T23:00:00+07:00", 0, 0, 0, "2026-11-24T23:00:00+07:00"},
        /* a year's turn */
        {"2026-12-31T23:30:00+07:00", 1260, 420, 1, "2027-01-01T07:00:00+07:00"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t t = at(cases[i].now);
        bool q = notify_in_quiet_hours(t, 420, cases[i].start, cases[i].end);
        int64_t r = notify_quiet_release(t, 420, cases[i].start, cases[i].end);
        if (q != (bool)cases[i].quiet || r != at(cases[i].release)) {
            char got[TIMESTAMP_FMT_MAX];
            fail_msg("case %zu (%s): quiet %d release %s, expected %d %s", i, cases[i].now, q, instant_format(r, got),
                     cases[i].quiet, cases[i].release);
        }
    }
}

static void test_shipped_templates(void **state)
{
    (void)state;
    pc_err e = {0};
    const notify_templates *t = notify_templates_shipped(&e);
    assert_non_null(t);
    static const char *const events[] = {"invoice_issued", "payment_received", "reminder", "notice_1", "notice_2",
                                         "disconnection", "reconnection", "planned_outage", "planned_outage_cancelled", "prepaid_low_balance",
                                         "digest"};
    for (size_t i = 0; i < sizeof events / sizeof *events; i++)
        if (!notify_event_known(t, events[i], NULL, 0))
            fail_msg("the shipped templates have no %s", events[i]);
    notify_field f[] = {{"customer_name", "Nguyễn Văn Đức"}, {"customer_code", "PA01010000001"},
                        {"period", "10/2026"},               {"amount", "1234567"},
                        {"due_date", "05/11/2026"},          {"invoice_no", "1K26TAA/12"}};
    notify_rendered r;
    assert_int_equal(notify_render(t, "invoice_issued", "sms", "vi", f, 6, &r, &e), 0);
    assert_string_equal(r.body, "Tiền điện tháng 10/2026 của Nguyễn Văn Đức (mã KH PA01010000001): 1.234.567 đ, "
                                "hóa đơn 1K26TAA/12, hạn thanh toán 05/11/2026.");
    assert_string_equal(r.subject, "Tiền điện tháng 10/2026 - Nguyễn Văn Đức");
    notify_rendered_free(&r);
    assert_int_equal(notify_render(t, "invoice_issued", "email", "en", f, 6, &r, &e), 0);
    assert_non_null(strstr(r.body, "Your electricity bill for 10/2026: 1.234.567 đ."));
    notify_rendered_free(&r);
    /* chat falls back to the body when the event has no chat text */
    assert_int_equal(notify_render(t, "invoice_issued", "chat", "vi", f, 6, &r, &e), 0);
    assert_non_null(strstr(r.body, "Kính gửi Nguyễn Văn Đức"));
    notify_rendered_free(&r);
}

static void test_render_refusals(void **state)
{
    (void)state;
    pc_err e = {0};
    const notify_templates *t = notify_templates_shipped(&e);
    notify_field ok[] = {{"customer_name", "A"}, {"customer_code", "B"}, {"date", "01/01/2026"}};
    static const struct {
        const char *event, *lang;
        notify_field extra;
        int nfields;
        const char *message;
    } cases[] = {
        {"no_such_event", "vi", {NULL, NULL}, 3, "unknown notification event 'no_such_event'"},
        {"disconnection", "fr", {NULL, NULL}, 3, "language 'fr'"},
        {"disconnection", "vi", {NULL, NULL}, 2, "field date is needed"},
        {"disconnection", "vi", {"colour", "red"}, 4, "event disconnection has no field 'colour'"},
        {"_about", "vi", {NULL, NULL}, 3, "unknown notification event '_about'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        notify_field f[4] = {ok[0], ok[1], ok[2], cases[i].extra};
        notify_rendered r;
        pc_err_clear(&e);
        if (notify_render(t, cases[i].event, "sms", cases[i].lang, f, cases[i].nfields, &r, &e) == 0)
            fail_msg("case %zu rendered", i);
        if (!strstr(e.msg, cases[i].message) || e.code != PC_EINVAL)
            fail_msg("case %zu: '%s' does not say '%s'", i, e.msg, cases[i].message);
    }
    /* a money field must be a whole number of đồng */
    notify_field m[] = {{"customer_name", "A"}, {"customer_code", "B"}, {"balance", "12a"}};
    notify_rendered r;
    assert_int_equal(notify_render(t, "prepaid_low_balance", "sms", "vi", m, 3, &r, &e), -1);
    assert_non_null(strstr(e.msg, "balance = '12a': a whole number of đồng"));
}

static void test_template_checks(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *message; /* NULL: accepted */
    } cases[] = {
        {"{\"e\": {\"fields\": [\"a\"], \"vi\": {\"subject\": \"{a}\", \"body\": \"{{x}} {a|money}\"}, "
         "\"en\": {\"subject\": \"s\", \"body\": \"b\"}}}",
         NULL},
        {"{\"e\": {\"fields\": [\"a\"], \"vi\": {\"subject\": \"{b}\", \"body\": \"x\"}, "
         "\"en\": {\"subject\": \"s\", \"body\": \"b\"}}}",
         "e/vi/subject: {b} is not among the event's fields"},
        {"{\"e\": {\"fields\": [\"a\"], \"vi\": {\"subject\": \"s\", \"body\": \"x\"}}}", "e/en/subject: a text"},
        {"{\"e\": {\"vi\": {}}}", "\"fields\""},
        {"{\"e\": {\"fields\": [\"a\"], \"vi\": {\"subject\": \"s\", \"body\": \"{a|upper}\"}, "
         "\"en\": {\"subject\": \"s\", \"body\": \"b\"}}}",
         "unknown filter '|upper'"},
        {"{\"e\": {\"fields\": [\"a\"], \"vi\": {\"subject\": \"s\", \"body\": \"a } b\"}, "
         "\"en\": {\"subject\": \"s\", \"body\": \"b\"}}}",
         "a lone '}'"},
        {"[1, 2]", "an object is expected"},
        {"{", "notification templates: line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pc_err e = {0};
        notify_templates *t = notify_templates_parse(cases[i].json, &e);
        if (!cases[i].message) {
            if (!t)
                fail_msg("case %zu refused: %s", i, e.msg);
            notify_field f[] = {{"a", "1500"}};
            notify_rendered r;
            assert_int_equal(notify_render(t, "e", "sms", "vi", f, 1, &r, &e), 0);
            assert_string_equal(r.body, "{x} 1.500 đ");
            assert_string_equal(r.subject, "1500");
            notify_rendered_free(&r);
            notify_templates_free(t);
        } else if (t || !strstr(e.msg, cases[i].message)) {
            fail_msg("case %zu: '%s' does not say '%s'", i, t ? "(accepted)" : e.msg, cases[i].message);
        }
    }
}

static void test_fill(void **state)
{
    (void)state;
    notify_field f[] = {{"to", "0912345678"}, {"text", "Đức nói \"chào\"\n\\ hết"}, {"id", "powercis-7"}};
    static const struct {
        const char *tmpl;
        fill_escape esc;
        const char *want;
    } cases[] = {
        {"{\"to\": \"{to}\", \"text\": \"{text}\", \"id\": \"{id}\"}", FILL_JSON,
         "{\"to\": \"0912345678\", \"text\": \"Đức nói \\\"chào\\\"\\n\\\\ hết\", \"id\": \"powercis-7\"}"},
        {"to={to}&msg={text}", FILL_FORM, "to=0912345678&msg=%C4%90%E1%BB%A9c+n%C3%B3i+%22ch%C3%A0o%22%0A%5C+h%E1%BA%BFt"},
        {"{} {id} {", FILL_RAW, "{} powercis-7 {"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf b = {0};
        pc_err e = {0};
        assert_int_equal(notify_fill(&b, cases[i].tmpl, f, 3, cases[i].esc, &e), 0);
        assert_string_equal(b.data, cases[i].want);
        buf_free(&b);
    }
    buf b = {0};
    pc_err e = {0};
    assert_int_equal(notify_fill(&b, "{phone}", f, 3, FILL_RAW, &e), -1);
    assert_non_null(strstr(e.msg, "unknown field {phone}"));
    buf_free(&b);
}

/* Decodes "=?UTF-8?B?…?= =?UTF-8?B?…?=" back, checking every word stands alone as UTF-8. */
static void decode_2047(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    while (*s) {
        assert_int_equal(strncmp(s, "=?UTF-8?B?", 10), 0);
        const char *end = strstr(s + 10, "?=");
        assert_non_null(end);
        assert_true(end + 2 - s <= 75);
        unsigned char word[64];
        size_t len;
        assert_int_equal(sodium_base642bin(word, sizeof word, s + 10, (size_t)(end - s - 10), NULL, &len, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        assert_true((word[0] & 0xC0) != 0x80); /* no word starts inside a character */
        memcpy(out + n, word, len);
        n += len;
        s = end + 2;
        if (*s == ' ')
            s++;
    }
    assert_true(n < cap);
    out[n] = 0;
}

static void test_rfc2047(void **state)
{
    (void)state;
    static const char *const subjects[] = {
        "Tiền điện tháng 10/2026 - Nguyễn Văn Đức",
        "Thông báo thanh toán tiền điện lần 2 - Công ty TNHH Một thành viên Điện lực Đắk Lắk ỹỹỹỹỹỹỹỹỹỹỹỹ",
        "ẞ", "a\r\nBcc: x@y", /* a line break is encoded, never a header of its own */
    };
    for (size_t i = 0; i < sizeof subjects / sizeof *subjects; i++) {
        buf b = {0};
        rfc2047_encode(&b, subjects[i]);
        assert_null(strpbrk(b.data, "\r\n"));
        char back[512];
        decode_2047(b.data, back, sizeof back);
        assert_string_equal(back, subjects[i]);
        buf_free(&b);
    }
    buf b = {0};
    rfc2047_encode(&b, "Daily digest 24/11/2026");
    assert_string_equal(b.data, "Daily digest 24/11/2026"); /* plain ASCII stays as it is */
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff),          cmocka_unit_test(test_quiet_hours),
        cmocka_unit_test(test_shipped_templates), cmocka_unit_test(test_render_refusals),
        cmocka_unit_test(test_template_checks),  cmocka_unit_test(test_fill),
        cmocka_unit_test(test_rfc2047),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
