/* Retry delays and quiet hours of outbox messages (see notify_schedule.h). */
#include "domain/notify_schedule.h"

int64_t notify_backoff_seconds(int base_seconds, int max_seconds, int attempts)
{
    int64_t cap = max_seconds > 0 ? max_seconds : 1;
    int64_t d = base_seconds > 0 ? base_seconds : 1;
    /* doubling stops at the cap, so no shift can overflow however many attempts were made */
    for (int i = 1; i < attempts && d < cap; i++)
        d *= 2;
    return d < cap ? d : cap;
}

/* Local seconds since local midnight, for any t (floor division: before 1970 too). */
static int64_t local_second_of_day(int64_t t, int utc_offset_minutes)
{
    int64_t local = t + (int64_t)utc_offset_minutes * 60;
    int64_t s = local % 86400;
    return s < 0 ? s + 86400 : s;
}

bool notify_in_quiet_hours(int64_t t, int utc_offset_minutes, int start_minutes, int end_minutes)
{
    if (start_minutes == end_minutes)
        return false;
    int64_t s = local_second_of_day(t, utc_offset_minutes);
    int64_t a = (int64_t)start_minutes * 60, b = (int64_t)end_minutes * 60;
    if (a < b)
        return s >= a && s < b;
    return s >= a || s < b; /* spans midnight */
}

int64_t notify_quiet_release(int64_t t, int utc_offset_minutes, int start_minutes, int end_minutes)
{
    if (!notify_in_quiet_hours(t, utc_offset_minutes, start_minutes, end_minutes))
        return t;
    int64_t s = local_second_of_day(t, utc_offset_minutes);
    int64_t b = (int64_t)end_minutes * 60;
    int64_t wait = b - s;
    if (wait <= 0)
        wait += 86400; /* after midnight's other side: the end is tomorrow's */
    return t + wait;
}
