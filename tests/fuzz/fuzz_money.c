/* Fuzz target: money_parse. Oracle: an accepted amount formats to text that parses back to the
 * same amount, with and without grouping; a refusal is an input error. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = fuzz_text(data, size);
    money v;
    pc_err e = {0};
    if (money_parse(s, &v, &e) != 0) {
        fuzz_expect_refusal(&e, "money_parse");
        return 0;
    }
    char text[MONEY_FMT_MAX], plain[32];
    money back;
    if (money_parse(money_format(v, false, text), &back, &e) != 0 || back != v)
        fuzz_fail("money round trip (grouped)", text);
    snprintf(plain, sizeof plain, "%" PRId64, v);
    if (money_parse(plain, &back, &e) != 0 || back != v)
        fuzz_fail("money round trip (plain)", plain);
    return 0;
}
