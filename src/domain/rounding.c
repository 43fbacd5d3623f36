/* Round half up (see rounding.h). */
#include "domain/rounding.h"

bool round_half_up_div(int64_t num, int64_t den, int64_t *out)
{
    if (den <= 0)
        return false;
    /* floor((2*num + den) / (2*den)), computed without overflowing 2*num. */
    int64_t q = num / den, r = num % den;
    if (r < 0) { /* C truncates toward zero: move to floor division */
        q -= 1;
        r += den;
    }
    /* now num = q*den + r with 0 <= r < den; round up when r >= den - r (half or more) */
    if (r >= den - r) {
        if (q == INT64_MAX)
            return false;
        q += 1;
    }
    *out = q;
    return true;
}

bool round_half_up_muldiv(int64_t a, int64_t b, int64_t den, int64_t *out)
{
    int64_t p;
    if (__builtin_mul_overflow(a, b, &p))
        return false;
    return round_half_up_div(p, den, out);
}
