/* Civil dates and months. A date is int32_t days since 1970-01-01 (proleptic Gregorian);
 * a month is yyyymm (202505). Month arithmetic clamps to the month's end (Jan 31 + 1 month =
 * Feb 28/29), as DOMAIN 9 requires for aging boundaries. */
#ifndef PC_BASE_DATE_H
#define PC_BASE_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

typedef int32_t civil_date; /* days since 1970-01-01 */
typedef int32_t civil_month; /* yyyymm */

#define DATE_FMT_MAX 11  /* "YYYY-MM-DD" */
#define MONTH_FMT_MAX 8  /* "YYYY-MM" */

bool date_is_leap(int year);
int date_days_in_month(int year, int month);
/* false when the fields do not name a real day (2025-02-30). */
bool date_valid(int year, int month, int day);
civil_date date_from_ymd(int year, int month, int day);
void date_to_ymd(civil_date d, int *year, int *month, int *day);
/* Strict "YYYY-MM-DD" for years 1900..9999; the message names the text and the reason. */
int date_parse(const char *s, civil_date *out, pc_err *e);
char *date_format(civil_date d, char buf[DATE_FMT_MAX]);
civil_date date_add_days(civil_date d, int32_t n);
civil_date date_add_months(civil_date d, int32_t months);
int32_t date_days_between(civil_date from, civil_date to); /* to - from */
int date_weekday(civil_date d); /* 0 = Monday … 6 = Sunday */
/* Today in the given UTC offset in minutes (Asia/Ho_Chi_Minh is +420). */
civil_date date_today(int utc_offset_minutes);

#define TIMESTAMP_FMT_MAX 21 /* "YYYY-MM-DDTHH:MM:SSZ" */
/* The current instant in UTC, ISO 8601, for audit rows and created_at columns. */
char *timestamp_now(char buf[TIMESTAMP_FMT_MAX]);

/* The current instant as Unix seconds. Tests and demos inject the clock: $POWERCIS_CLOCK holds
 * an instant ("2026-11-24T07:00:00+07:00", "…Z"), or $POWERCIS_CLOCK_FILE names a file holding
 * one, read again on every call so that a running process (the scheduler) can be moved through
 * time without sleeping. timestamp_now and date_today follow it. A clock that does not parse is
 * ignored with the real time (the set-up of a test is checked by the test itself). */
int64_t clock_now(void);
/* "YYYY-MM-DDTHH:MM:SS" with "Z" or "+HH:MM"/"-HH:MM" (a bare time is UTC) into Unix seconds. */
int instant_parse(const char *s, int64_t *out, pc_err *e);
/* Unix seconds as "YYYY-MM-DDTHH:MM:SSZ". */
char *instant_format(int64_t t, char buf[TIMESTAMP_FMT_MAX]);

/* Seconds on a monotonic clock, for measuring durations. */
double monotonic_seconds(void);

civil_month month_of(civil_date d);
bool month_valid(civil_month m);
int month_parse(const char *s, civil_month *out, pc_err *e); /* "YYYY-MM" */
char *month_format(civil_month m, char buf[MONTH_FMT_MAX]);
civil_month month_add(civil_month m, int32_t n);
civil_date month_first_day(civil_month m);
civil_date month_last_day(civil_month m);

#endif
