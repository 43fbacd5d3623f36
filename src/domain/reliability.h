/* Reliability indices of supply (DOMAIN 12): SAIFI, SAIDI, CAIDI and MAIFI from interruption
 * events and the customers served, with the 5-minute rule: an interruption longer than 5 minutes
 * is sustained (SAIFI, SAIDI, CAIDI), one of 5 minutes or less is momentary (MAIFI). */
#ifndef PC_DOMAIN_RELIABILITY_H
#define PC_DOMAIN_RELIABILITY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

/* The line between momentary and sustained: exactly 5 minutes is still momentary. */
#define REL_MOMENTARY_MAX_SECONDS 300

/* Sums over a period and an area; indices are derived from them by rel_finish. The indices are
 * kept as thousandths rounded half up (SAIFI 0.500 → 500; SAIDI 27.0 min → 27000) so that
 * reports print them exactly, computed from the sums, never from other rounded indices. */
typedef struct {
    int64_t served;               /* customers served in the area */
    int64_t sustained_events;     /* interruptions over 5 minutes */
    int64_t momentary_events;     /* interruptions of 5 minutes or less */
    int64_t sustained_customers;  /* Σ customers interrupted, sustained */
    int64_t momentary_customers;  /* Σ customers interrupted, momentary */
    int64_t customer_seconds;     /* Σ customers × seconds, sustained only */
    int64_t saifi_milli;          /* sustained interruptions per customer served */
    int64_t saidi_milli;          /* minutes of sustained interruption per customer served */
    int64_t caidi_milli;          /* minutes per sustained customer interruption (SAIDI / SAIFI) */
    int64_t maifi_milli;          /* momentary interruptions per customer served */
} rel_indices;

/* true when an interruption of this many seconds is sustained (> 5 minutes). */
bool rel_is_sustained(int64_t seconds);

/* Adds one interruption of `customers` customers lasting `seconds`. Negative values are
 * PC_EINVAL (nothing added); a zero-customer event adds nothing. */
int rel_add(rel_indices *r, int64_t customers, int64_t seconds, pc_err *e);

/* Sets served and computes the four indices from the sums. No customers served: every index is
 * 0 (nothing to divide by). No sustained interruption: CAIDI is 0. */
void rel_finish(rel_indices *r, int64_t served);

/* "0.500": a thousandths value as text with three decimals (out holds at least 24 bytes). */
char *rel_milli_text(int64_t milli, char out[24]);

/* "YYYY-MM-DD HH:MM" (local time) into minutes since 1970-01-01 00:00 of the same clock; the
 * message names the text and what is wrong. */
int rel_parse_local_minute(const char *s, int64_t *minutes, pc_err *e);
/* minutes since 1970-01-01 00:00 back into "YYYY-MM-DD HH:MM" (out holds at least 17 bytes). */
char *rel_format_local_minute(int64_t minutes, char out[17]);

#endif
