/* Schedules and slots (domain/schedule): parsing, the slot open at an instant in Hà Nội time
 * (the 07:00 digest before, at and after 07:00, a catch-up later that day, none the next
 * morning before 07:00), frequent and monthly jobs, and the next start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"
#include "domain/schedule.h"

#define N(a) (sizeof(a) / sizeof *(a))

static int64_t at(const char *s)
{
    int64_t t = 0;
    pc_err e = {0};
    assert_int_equal(instant_parse(s, &t, &e), 0);
    return t;
}

static void test_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text, *back;
    } good[] = {{"07:00", "07:00"},          {"00:00", "00:00"},      {"23:59", "23:59"},
                {"every 5m", "every 5m"},    {"every 1h", "every 60m"}, {"every 1440m", "every 1440m"},
                {"monthly 1 02:00", "monthly 1 02:00"}, {"monthly 28 23:30", "monthly 28 23:30"}, {"off", "off"}};
    for (size_t i = 0; i < N(good); i++) {
        schedule s;
        pc_err e = {0};
        char buf[32];
        assert_int_equal(schedule_parse(good[i].text, &s, &e), 0);
        schedule_format(&s, buf, sizeof buf);
        assert_string_equal(buf, good[i].back);
    }
    static const char *const bad[] = {"7:00",     "24:00",        "07:60",      "07:00 ", "every 7m", "every 0m",
                                      "every 5",  "every 25h",    "monthly 29 02:00", "monthly 0 02:00",
                                      "monthly 1", "daily",       "",           "OFF"};
    for (size_t i = 0; i < N(bad); i++) {
        schedule s;
        pc_err e = {0};
        assert_int_not_equal(schedule_parse(bad[i], &s, &e), 0);
        assert_int_equal(e.code, PC_EINVAL);
        assert_non_null(strstr(e.msg, bad[i]));
    }
}

static void test_slots(void **state)
{
    (void)state;
    static const struct {
        const char *sched, *now, *slot; /* slot NULL: none open */
        const char *start;
    } cases[] = {
        /* the digest at 07:00 Hà Nội = 00:00 UTC */
        {"07:00", "2026-11-24T06:59:59+07:00", NULL, NULL},
        {"07:00", "2026-11-24T07:00:00+07:00", "2026-11-24", "2026-11-24T00:00:00Z"},
        {"07:00", "2026-11-24T07:01:00+07:00", "2026-11-24", "2026-11-24T00:00:00Z"},
        /* down at 07:00, up at 09:30: the day's slot is still open, caught up once */
        {"07:00", "2026-11-24T09:30:00+07:00", "2026-11-24", "2026-11-24T00:00:00Z"},
        {"07:00", "2026-11-24T23:59:59+07:00", "2026-11-24", "2026-11-24T00:00:00Z"},
        /* the next morning before 07:00 the old day's digest is not sent any more */
        {"07:00", "2026-11-25T00:00:00+07:00", NULL, NULL},
        /* local day differs from the UTC day between 00:00 and 07:00 Hà Nội */
        {"06:00", "2026-11-23T23:30:00Z", "2026-11-24", "2026-11-23T23:00:00Z"},
        {"every 5m", "2026-11-24T07:04:59+07:00", "2026-11-24T07:00", "2026-11-24T00:00:00Z"},
        {"every 5m", "2026-11-24T07:05:00+07:00", "2026-11-24T07:05", "2026-11-24T00:05:00Z"},
        {"every 60m", "2026-11-24T00:10:00+07:00", "2026-11-24T00:00", "2026-11-23T17:00:00Z"},
        {"monthly 1 02:00", "2026-12-01T01:59:00+07:00", NULL, NULL},
        {"monthly 1 02:00", "2026-12-01T02:00:00+07:00", "2026-12", "2026-11-30T19:00:00Z"},
        {"monthly 1 02:00", "2026-12-02T02:00:00+07:00", NULL, NULL},
        {"off", "2026-11-24T07:00:00+07:00", NULL, NULL},
    };
    for (size_t i = 0; i < N(cases); i++) {
        schedule s;
        pc_err e = {0};
        assert_int_equal(schedule_parse(cases[i].sched, &s, &e), 0);
        char slot[SCHEDULE_SLOT_MAX];
        int64_t start = 0;
        bool open = schedule_open_slot(&s, at(cases[i].now), 420, slot, &start);
        if (!cases[i].slot) {
            assert_false(open);
            continue;
        }
        assert_true(open);
        assert_string_equal(slot, cases[i].slot);
        char buf[TIMESTAMP_FMT_MAX];
        assert_string_equal(instant_format(start, buf), cases[i].start);
    }
}

static void test_next(void **state)
{
    (void)state;
    static const struct {
        const char *sched, *now, *next;
    } cases[] = {
        {"07:00", "2026-11-24T06:59:59+07:00", "2026-11-24T00:00:00Z"},
        {"07:00", "2026-11-24T07:00:00+07:00", "2026-11-25T00:00:00Z"},
        {"every 5m", "2026-11-24T07:03:00+07:00", "2026-11-24T00:05:00Z"},
        {"every 5m", "2026-11-24T23:58:00+07:00", "2026-11-24T17:00:00Z"},
        {"monthly 1 02:00", "2026-11-24T07:00:00+07:00", "2026-11-30T19:00:00Z"},
        {"monthly 28 02:00", "2026-11-24T07:00:00+07:00", "2026-11-27T19:00:00Z"},
        {"monthly 1 02:00", "2026-12-31T07:00:00+07:00", "2026-12-31T19:00:00Z"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        schedule s;
        pc_err e = {0};
        assert_int_equal(schedule_parse(cases[i].sched, &s, &e), 0);
        char buf[TIMESTAMP_FMT_MAX];
        assert_string_equal(instant_format(schedule_next_start(&s, at(cases[i].now), 420), buf), cases[i].next);
    }
    schedule off = {.kind = SCHEDULE_OFF};
    assert_int_equal(schedule_next_start(&off, 0, 420), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_slots),
        cmocka_unit_test(test_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
