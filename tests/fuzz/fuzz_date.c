/* Fuzz target: the date, month and instant parsers. Oracle: whatever is accepted is a real
 * calendar value (2025-02-30 never is) and formats to text that parses back to the same value. */
#include <string.h>

#include "base/date.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = fuzz_text(data, size);
    pc_err e = {0};
    civil_date d, d2;
    if (date_parse(s, &d, &e) == 0) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        if (!date_valid(y, m, dd))
            fuzz_fail("date_parse accepted an impossible date", s);
        char t[DATE_FMT_MAX];
        if (date_parse(date_format(d, t), &d2, &e) != 0 || memcmp(&d, &d2, sizeof d) != 0)
            fuzz_fail("date round trip", t);
    } else {
        fuzz_expect_refusal(&e, "date_parse");
    }
    civil_month mo, mo2;
    if (month_parse(s, &mo, &e) == 0) {
        if (!month_valid(mo))
            fuzz_fail("month_parse accepted an impossible month", s);
        char t[MONTH_FMT_MAX];
        if (month_parse(month_format(mo, t), &mo2, &e) != 0 || memcmp(&mo, &mo2, sizeof mo) != 0)
            fuzz_fail("month round trip", t);
    } else {
        fuzz_expect_refusal(&e, "month_parse");
    }
    int64_t i, i2;
    if (instant_parse(s, &i, &e) == 0) {
        char t[TIMESTAMP_FMT_MAX];
        if (instant_parse(instant_format(i, t), &i2, &e) != 0 || i != i2)
            fuzz_fail("instant round trip", t);
    } else {
        fuzz_expect_refusal(&e, "instant_parse");
    }
    return 0;
}
