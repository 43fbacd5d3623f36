/* When an outbox message may be sent (docs/notifications.md): the delay before a retry, doubling
 * from a base up to a cap, and the quiet hours in which customer messages wait. Pure functions on
 * Unix seconds and local minutes after midnight. */
#ifndef PC_DOMAIN_NOTIFY_SCHEDULE_H
#define PC_DOMAIN_NOTIFY_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

/* The delay before the next attempt after `attempts` failed ones (1, 2, …): base, 2·base,
 * 4·base … capped at max_seconds (and never below 1 s). */
int64_t notify_backoff_seconds(int base_seconds, int max_seconds, int attempts);

/* Whether instant t (Unix seconds) falls in the local window [start, end) given in minutes after
 * midnight at utc_offset_minutes. A window whose start is after its end spans midnight (21:00 to
 * 07:00); start == end means no quiet hours. */
bool notify_in_quiet_hours(int64_t t, int utc_offset_minutes, int start_minutes, int end_minutes);
/* The first instant at or after t outside the window: t itself, or the window's local end. */
int64_t notify_quiet_release(int64_t t, int utc_offset_minutes, int start_minutes, int end_minutes);

#endif
