/* The one place where money and kWh are rounded (DOMAIN 5.6): round half up of an exact
 * integer ratio. Every proration, quota split and VAT amount goes through these. */
#ifndef PC_DOMAIN_ROUNDING_H
#define PC_DOMAIN_ROUNDING_H

#include <stdbool.h>
#include <stdint.h>

/* round half up (num / den) for den > 0; halves of negative values round toward +infinity
 * (-2.5 → -2), which keeps round(x) - round(y) consistent when parts are subtracted.
 * Returns false on overflow of the intermediate. */
bool round_half_up_div(int64_t num, int64_t den, int64_t *out);
/* round half up (a * b / den), with the product checked for overflow. */
bool round_half_up_muldiv(int64_t a, int64_t b, int64_t den, int64_t *out);

#endif
