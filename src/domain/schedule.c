/* Schedules and slots (domain/schedule.h). Local time is UTC plus a fixed offset: Việt Nam has
 * kept +07:00 without daylight saving since 1975, so no time-zone database is needed. */
#include "domain/schedule.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

static int parse_hhmm(const char *t, int *minute)
{
    int h, m, n = 0;
    if (sscanf(t, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || t[n] || h < 0 || h > 23 || m < 0 || m > 59)
        return -1;
    *minute = h * 60 + m;
    return 0;
}

int schedule_parse(const char *text, schedule *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    const char *t = text;
    if (strcmp(t, "off") == 0) {
        out->kind = SCHEDULE_OFF;
        return 0;
    }
    if (strncmp(t, "every ", 6) == 0) {
        int n, used = 0;
        char unit = 0;
        if (sscanf(t + 6, "%d%c%n", &n, &unit, &used) == 2 && !t[6 + used] && n >= 1 &&
            ((unit == 'm' && n <= 1440) || (unit == 'h' && n <= 24))) {
            out->kind = SCHEDULE_EVERY;
            out->every_minutes = unit == 'h' ? n * 60 : n;
            if (1440 % out->every_minutes == 0)
                return 0;
        }
        return pc_errf(e, PC_EINVAL, "schedule '%s': 'every N m' or 'every N h' dividing a day is expected", text);
    }
    if (strncmp(t, "monthly ", 8) == 0) {
        int day, used = 0;
        if (sscanf(t + 8, "%d %n", &day, &used) == 1 && day >= 1 && day <= 28 && used > 0 &&
            parse_hhmm(t + 8 + used, &out->minute_of_day) == 0) {
            out->kind = SCHEDULE_MONTHLY;
            out->day_of_month = day;
            return 0;
        }
        return pc_errf(e, PC_EINVAL, "schedule '%s': 'monthly D HH:MM' with D from 1 to 28 is expected", text);
    }
    if (parse_hhmm(t, &out->minute_of_day) == 0) {
        out->kind = SCHEDULE_DAILY;
        return 0;
    }
    return pc_errf(e, PC_EINVAL, "schedule '%s': 'HH:MM', 'every N m', 'monthly D HH:MM' or 'off' is expected", text);
}

void schedule_format(const schedule *s, char *buf, int cap)
{
    switch (s->kind) {
    case SCHEDULE_OFF:
        snprintf(buf, (size_t)cap, "off");
        break;
    case SCHEDULE_DAILY:
        snprintf(buf, (size_t)cap, "%02d:%02d", s->minute_of_day / 60, s->minute_of_day % 60);
        break;
    case SCHEDULE_EVERY:
        snprintf(buf, (size_t)cap, "every %dm", s->every_minutes);
        break;
    case SCHEDULE_MONTHLY:
        snprintf(buf, (size_t)cap, "monthly %d %02d:%02d", s->day_of_month, s->minute_of_day / 60,
                 s->minute_of_day % 60);
        break;
    }
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The local day of a start and the start of a local day, in Unix seconds. */
static int64_t day_start(civil_date d, int offset_s)
{
    return (int64_t)d * 86400 - offset_s;
}

bool schedule_open_slot(const schedule *s, int64_t now, int utc_offset_minutes, char slot[SCHEDULE_SLOT_MAX],
                        int64_t *slot_start)
{
    int offset_s = utc_offset_minutes * 60;
    int64_t local = now + offset_s;
    civil_date today = (civil_date)floor_div(local, 86400);
    int minute = (int)((local - (int64_t)today * 86400) / 60);
    char day[DATE_FMT_MAX];
    switch (s->kind) {
    case SCHEDULE_OFF:
        return false;
    case SCHEDULE_DAILY:
        /* before today's start, yesterday's slot has closed with its day */
        if (minute < s->minute_of_day)
            return false;
        *slot_start = day_start(today, offset_s) + s->minute_of_day * 60;
        snprintf(slot, SCHEDULE_SLOT_MAX, "%s", date_format(today, day));
        return true;
    case SCHEDULE_MONTHLY: {
        int y, m, dd;
        date_to_ymd(today, &y, &m, &dd);
        if (dd != s->day_of_month || minute < s->minute_of_day)
            return false;
        *slot_start = day_start(today, offset_s) + s->minute_of_day * 60;
        snprintf(slot, SCHEDULE_SLOT_MAX, "%04d-%02d", y, m);
        return true;
    }
    case SCHEDULE_EVERY: {
        int start = minute / s->every_minutes * s->every_minutes;
        *slot_start = day_start(today, offset_s) + start * 60;
        snprintf(slot, SCHEDULE_SLOT_MAX, "%sT%02d:%02d", date_format(today, day), start / 60, start % 60);
        return true;
    }
    }
    return false;
}

int64_t schedule_next_start(const schedule *s, int64_t now, int utc_offset_minutes)
{
    int offset_s = utc_offset_minutes * 60;
    int64_t local = now + offset_s;
    civil_date today = (civil_date)floor_div(local, 86400);
    int64_t t;
    switch (s->kind) {
    case SCHEDULE_OFF:
        return 0;
    case SCHEDULE_DAILY:
        t = day_start(today, offset_s) + s->minute_of_day * 60;
        return t > now ? t : t + 86400;
    case SCHEDULE_EVERY: {
        int64_t step = (int64_t)s->every_minutes * 60;
        return day_start(today, offset_s) + (floor_div(local - (int64_t)today * 86400, step) + 1) * step;
    }
    case SCHEDULE_MONTHLY: {
        civil_month mo = month_of(today);
        for (int i = 0; i < 2; i++, mo = month_add(mo, 1)) {
            t = day_start(month_first_day(mo) + s->day_of_month - 1, offset_s) + s->minute_of_day * 60;
            if (t > now)
                return t;
        }
        return 0;
    }
    }
    return 0;
}
