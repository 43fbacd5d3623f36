/* Civil date arithmetic (see date.h). The day-number conversion counts whole 400-year eras of
 * 146,097 days, with the year starting in March so that the leap day falls at its end. */
#include "base/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && date_is_leap(y) ? 29 : days[m - 1];
}

bool date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

civil_date date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;                               /* [0, 399] */
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void date_to_ymd(civil_date z, int *year, int *month, int *day)
{
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *day = d;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int date_parse(const char *s, civil_date *out, pc_err *e)
{
    int y, m, d;
    if (!s || !*s)
        return pc_errf(e, PC_EINVAL, "date is empty (expected YYYY-MM-DD)");
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d))
        return pc_errf(e, PC_EINVAL, "date '%s' is not in the form YYYY-MM-DD", s);
    if (y < 1900)
        return pc_errf(e, PC_EINVAL, "date '%s' is before 1900", s);
    if (!date_valid(y, m, d))
        return pc_errf(e, PC_EINVAL, "date '%s' does not exist", s);
    *out = date_from_ymd(y, m, d);
    return 0;
}

char *date_format(civil_date d, char buf[DATE_FMT_MAX])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)dd % 100u;
    snprintf(buf, DATE_FMT_MAX, "%04u-%02u-%02u", uy, um, ud);
    return buf;
}

civil_date date_add_days(civil_date d, int32_t n)
{
    return d + n;
}

civil_date date_add_months(civil_date d, int32_t months)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    int last = date_days_in_month(y, m);
    return date_from_ymd(y, m, dd > last ? last : dd);
}

int32_t date_days_between(civil_date from, civil_date to)
{
    return to - from;
}

int date_weekday(civil_date d)
{
    /* 1970-01-01 was a Thursday (index 3 when Monday is 0). */
    int w = (d + 3) % 7;
    return w < 0 ? w + 7 : w;
}

civil_date date_today(int utc_offset_minutes)
{
    int64_t now = clock_now() + (int64_t)utc_offset_minutes * 60;
    return (civil_date)(now >= 0 ? now / 86400 : (now - 86399) / 86400);
}

civil_month month_of(civil_date d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return y * 100 + m;
}

bool month_valid(civil_month mo)
{
    int y = mo / 100, m = mo % 100;
    return y >= 1900 && y <= 9999 && m >= 1 && m <= 12;
}

int month_parse(const char *s, civil_month *out, pc_err *e)
{
    int y, m;
    if (!s || !*s)
        return pc_errf(e, PC_EINVAL, "month is empty (expected YYYY-MM)");
    if (strlen(s) != 7 || s[4] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m))
        return pc_errf(e, PC_EINVAL, "month '%s' is not in the form YYYY-MM", s);
    if (!month_valid(y * 100 + m))
        return pc_errf(e, PC_EINVAL, "month '%s' does not exist", s);
    *out = y * 100 + m;
    return 0;
}

char *month_format(civil_month mo, char buf[MONTH_FMT_MAX])
{
    unsigned uy = (unsigned)(mo / 100) % 10000u, um = (unsigned)(mo % 100) % 100u;
    snprintf(buf, MONTH_FMT_MAX, "%04u-%02u", uy, um);
    return buf;
}

civil_month month_add(civil_month mo, int32_t n)
{
    int total = (mo / 100) * 12 + (mo % 100 - 1) + n;
    return (total / 12) * 100 + total % 12 + 1;
}

civil_date month_first_day(civil_month mo)
{
    return date_from_ymd(mo / 100, mo % 100, 1);
}

civil_date month_last_day(civil_month mo)
{
    return date_from_ymd(mo / 100, mo % 100, date_days_in_month(mo / 100, mo % 100));
}

char *timestamp_now(char buf[TIMESTAMP_FMT_MAX])
{
    return instant_format(clock_now(), buf);
}

char *instant_format(int64_t t, char buf[TIMESTAMP_FMT_MAX])
{
    civil_date d = (civil_date)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    int64_t s = t - (int64_t)d * 86400;
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    char tmp[64]; /* wide enough for any year the compiler can imagine; real ones fit the buffer */
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, dd, (int)(s / 3600), (int)(s / 60 % 60),
             (int)(s % 60));
    snprintf(buf, TIMESTAMP_FMT_MAX, "%.20s", tmp);
    return buf;
}

int instant_parse(const char *s, int64_t *out, pc_err *e)
{
    char day[DATE_FMT_MAX];
    int hh, mi, ss, n = 0;
    civil_date d;
    if (strlen(s) < 19 || s[10] != 'T' || sscanf(s + 11, "%2d:%2d:%2d%n", &hh, &mi, &ss, &n) != 3 || n != 8 ||
        hh > 23 || mi > 59 || ss > 59 || hh < 0 || mi < 0 || ss < 0)
        return pc_errf(e, PC_EINVAL, "'%s' is not an instant YYYY-MM-DDTHH:MM:SS[Z|+HH:MM]", s);
    memcpy(day, s, 10);
    day[10] = 0;
    if (date_parse(day, &d, e) != PC_OK)
        return -1;
    int64_t t = (int64_t)d * 86400 + hh * 3600 + mi * 60 + ss;
    const char *z = s + 19;
    if (*z == 'Z' && z[1] == 0) {
    } else if ((*z == '+' || *z == '-') && strlen(z) == 6 && z[3] == ':') {
        int oh, om;
        if (sscanf(z + 1, "%2d:%2d", &oh, &om) != 2 || oh > 14 || om > 59 || oh < 0 || om < 0)
            return pc_errf(e, PC_EINVAL, "'%s': the offset is not +HH:MM", s);
        t -= (*z == '+' ? 1 : -1) * (int64_t)(oh * 3600 + om * 60);
    } else if (*z)
        return pc_errf(e, PC_EINVAL, "'%s' is not an instant YYYY-MM-DDTHH:MM:SS[Z|+HH:MM]", s);
    *out = t;
    return PC_OK;
}

int64_t clock_now(void)
{
    const char *v = getenv("POWERCIS_CLOCK");
    char text[64];
    const char *path = getenv("POWERCIS_CLOCK_FILE");
    if ((!v || !v[0]) && path && path[0]) {
        FILE *f = fopen(path, "r");
        if (f) {
            size_t n = fread(text, 1, sizeof text - 1, f);
            fclose(f);
            while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
                n--;
            text[n] = 0;
            v = text;
        }
    }
    if (v && v[0]) {
        int64_t t;
        pc_err e = {0};
        if (instant_parse(v, &t, &e) == PC_OK)
            return t;
    }
    return (int64_t)time(NULL);
}

double monotonic_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
