/* Reliability indices (see reliability.h): integer sums, divided once, rounded half up to
 * thousandths, so that the same events always print the same figures on every machine. */
#include "domain/reliability.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

bool rel_is_sustained(int64_t seconds)
{
    return seconds > REL_MOMENTARY_MAX_SECONDS;
}

int rel_add(rel_indices *r, int64_t customers, int64_t seconds, pc_err *e)
{
    if (customers < 0)
        return pc_errf(e, PC_EINVAL, "an interruption of %lld customers", (long long)customers);
    if (seconds < 0)
        return pc_errf(e, PC_EINVAL, "an interruption lasting %lld seconds", (long long)seconds);
    if (customers == 0)
        return 0;
    if (rel_is_sustained(seconds)) {
        r->sustained_events++;
        r->sustained_customers += customers;
        r->customer_seconds += customers * seconds;
    } else {
        r->momentary_events++;
        r->momentary_customers += customers;
    }
    return 0;
}

/* num / den in thousandths, rounded half up (num, den >= 0, den > 0). */
static int64_t milli(int64_t num, int64_t den)
{
    return (num * 1000 * 2 + den) / (2 * den);
}

void rel_finish(rel_indices *r, int64_t served)
{
    r->served = served;
    r->saifi_milli = r->saidi_milli = r->caidi_milli = r->maifi_milli = 0;
    if (served > 0) {
        r->saifi_milli = milli(r->sustained_customers, served);
        r->saidi_milli = milli(r->customer_seconds, served * 60);
        r->maifi_milli = milli(r->momentary_customers, served);
    }
    /* CAIDI = SAIDI / SAIFI = Σ customer-minutes / Σ customers interrupted: it does not depend
     * on the customers served, only on there being a sustained interruption at all. */
    if (r->sustained_customers > 0)
        r->caidi_milli = milli(r->customer_seconds, r->sustained_customers * 60);
}

char *rel_milli_text(int64_t m, char out[24])
{
    snprintf(out, 24, "%s%lld.%03lld", m < 0 ? "-" : "", (long long)((m < 0 ? -m : m) / 1000),
             (long long)((m < 0 ? -m : m) % 1000));
    return out;
}

int rel_parse_local_minute(const char *s, int64_t *minutes, pc_err *e)
{
    int y, mo, d, h, mi, n = 0;
    if (!s || strlen(s) != 16 || sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || n != 16 ||
        s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':')
        return pc_errf(e, PC_EINVAL, "'%s' is not a time like 2026-11-24 08:30", s ? s : "");
    for (int i = 0; i < 16; i++)
        if (i != 4 && i != 7 && i != 10 && i != 13 && (s[i] < '0' || s[i] > '9'))
            return pc_errf(e, PC_EINVAL, "'%s' is not a time like 2026-11-24 08:30", s);
    if (y < 1900 || !date_valid(y, mo, d))
        return pc_errf(e, PC_EINVAL, "'%s' is not a real day", s);
    if (h > 23 || mi > 59)
        return pc_errf(e, PC_EINVAL, "'%s' is not a time of day (00:00 to 23:59)", s);
    *minutes = (int64_t)date_from_ymd(y, mo, d) * 1440 + h * 60 + mi;
    return 0;
}

char *rel_format_local_minute(int64_t minutes, char out[17])
{
    civil_date day = (civil_date)(minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440);
    int64_t rest = minutes - (int64_t)day * 1440;
    int y, mo, d;
    date_to_ymd(day, &y, &mo, &d);
    /* the fields bounded so that the text always fits its 16 characters */
    snprintf(out, 17, "%04u-%02u-%02u %02u:%02u", (unsigned)y % 10000u, (unsigned)mo % 100u, (unsigned)d % 100u,
             (unsigned)(rest / 60) % 100u, (unsigned)(rest % 60) % 100u);
    return out;
}
