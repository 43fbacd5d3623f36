/* When a scheduled job is due: schedules as written in the configuration ("07:00" every day,
 * "every 5m", "monthly 1 02:00", "off") and the slot a given instant falls in, in local time
 * (Asia/Ho_Chi_Minh unless configured). A slot names one run: the scheduler runs a job once per
 * slot, so a restart inside a slot does not run it again and a process that was down when the
 * slot began catches it up once. Pure functions. */
#ifndef PC_DOMAIN_SCHEDULE_H
#define PC_DOMAIN_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

typedef enum { SCHEDULE_OFF, SCHEDULE_DAILY, SCHEDULE_EVERY, SCHEDULE_MONTHLY } schedule_kind;

typedef struct {
    schedule_kind kind;
    int minute_of_day;  /* DAILY, MONTHLY: local HH*60+MM */
    int every_minutes;  /* EVERY: 1 to 1440 */
    int day_of_month;   /* MONTHLY: 1 to 28 */
} schedule;

#define SCHEDULE_SLOT_MAX 24 /* "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM" */

int schedule_parse(const char *text, schedule *out, pc_err *e);
/* The text schedule_parse reads back ("07:00", "every 5m", "monthly 1 02:00", "off"). */
void schedule_format(const schedule *s, char *buf, int cap);

/* The slot that is open at `now` (Unix seconds): the latest start at or before now, provided
 * it is still worth running — a daily slot until the end of its local day, a monthly one until
 * the end of its day, a frequent one until the next begins. false when none is open (off, or
 * now is after the catch-up window of the latest start). slot_start receives the slot's start. */
bool schedule_open_slot(const schedule *s, int64_t now, int utc_offset_minutes, char slot[SCHEDULE_SLOT_MAX],
                        int64_t *slot_start);
/* The first start strictly after now (0 for off). */
int64_t schedule_next_start(const schedule *s, int64_t now, int utc_offset_minutes);

#endif
