/* Money parsing and formatting (see money.h). */
#include "base/money.h"

#include <string.h>

int money_parse(const char *s, money *out, pc_err *e)
{
    if (!s || !*s)
        return pc_errf(e, PC_EINVAL, "amount is empty");
    const char *p = s;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (!*p)
        return pc_errf(e, PC_EINVAL, "amount '%s' is not a whole number of đồng", s);
    /* With separators, groups after the first must be exactly three digits, and the first may
     * not start with 0: "0.500" is a decimal written with a dot, not five hundred đồng. */
    bool dotted = strchr(p, '.') != NULL;
    if (dotted && *p == '0')
        return pc_errf(e, PC_EINVAL, "amount '%s' has a misplaced '.' separator (the first group cannot start with 0)", s);
    int group = 0, groups = 0;
    uint64_t v = 0;
    for (; *p; p++) {
        if (*p == '.') {
            if (!dotted || group == 0 || (groups > 0 && group != 3) || (groups == 0 && group > 3))
                return pc_errf(e, PC_EINVAL, "amount '%s' has a misplaced '.' separator", s);
            groups++;
            group = 0;
            continue;
        }
        if (*p < '0' || *p > '9')
            return pc_errf(e, PC_EINVAL, "amount '%s' is not a whole number of đồng", s);
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return pc_errf(e, PC_EINVAL, "amount '%s' is too large", s);
        v = v * 10 + d;
        group++;
    }
    if (dotted && group != 3)
        return pc_errf(e, PC_EINVAL, "amount '%s' has a misplaced '.' separator", s);
    if ((!neg && v > (uint64_t)INT64_MAX) || (neg && v > (uint64_t)INT64_MAX))
        return pc_errf(e, PC_EINVAL, "amount '%s' is too large", s);
    *out = neg ? -(money)v : (money)v;
    return 0;
}

char *money_format(money v, bool with_unit, char buf[MONEY_FMT_MAX])
{
    char digits[24];
    int n = 0;
    /* Work on the unsigned magnitude so INT64_MIN formats too. */
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    char *o = buf;
    if (v < 0)
        *o++ = '-';
    for (int i = n - 1; i >= 0; i--) {
        *o++ = digits[i];
        if (i > 0 && i % 3 == 0)
            *o++ = '.';
    }
    if (with_unit) {
        memcpy(o, " đ", sizeof " đ");
    } else {
        *o = '\0';
    }
    return buf;
}

bool money_add(money a, money b, money *out)
{
    money r;
    if (__builtin_add_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

bool money_mul(money a, int64_t b, money *out)
{
    money r;
    if (__builtin_mul_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}
