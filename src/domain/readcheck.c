/* Meter-read control (see readcheck.h). */
#include "domain/readcheck.h"

#include <stdio.h>
#include <string.h>

read_rules read_rules_default(void)
{
    return (read_rules){.deviation_pct = 50, .deviation_min_kwh = 100, .history_periods = 3, .rollover_max_pct = 10};
}

const char *register_name(meter_register r)
{
    static const char *names[REG_COUNT] = {"total", "normal", "peak", "offpeak"};
    return r < REG_COUNT ? names[r] : "?";
}

int registers_check(bool tou, const register_values *v, pc_err *e)
{
    if (tou) {
        for (int r = REG_NORMAL; r <= REG_OFFPEAK; r++)
            if (!v->has[r])
                return pc_errf(e, PC_EINVAL, "%s: a time-of-use meter needs normal, peak and offpeak indexes",
                               register_name((meter_register)r));
        return 0;
    }
    if (!v->has[REG_TOTAL])
        return pc_errf(e, PC_EINVAL, "total: a single-register meter needs the total index");
    for (int r = REG_NORMAL; r <= REG_OFFPEAK; r++)
        if (v->has[r])
            return pc_errf(e, PC_EINVAL, "%s: this meter has one register (total), not time of use",
                           register_name((meter_register)r));
    return 0;
}

static int64_t pow10i(int digits)
{
    int64_t p = 1;
    for (int i = 0; i < digits; i++)
        p *= 10;
    return p;
}

int register_consumption(const read_rules *r, int64_t prev, int64_t cur, int digits, int64_t *units, bool *rolled)
{
    *rolled = false;
    if (cur >= prev) {
        *units = cur - prev;
        return 0;
    }
    int64_t span = pow10i(digits);
    int64_t across = span - prev + cur;
    /* A register that passed 99999 → 00000 shows a small consumption across the wrap; a large
     * one means the index was misread or the meter changed, which a person must look at. */
    if (prev < span && across * 100 < span * r->rollover_max_pct) {
        *units = across;
        *rolled = true;
        return 0;
    }
    *units = 0;
    return -1;
}

void read_evaluate(const read_rules *r, const register_values *prev, const register_values *cur, int digits,
                   int64_t multiplier, bool meter_active, const int64_t *history, int nhistory, read_result *out)
{
    memset(out, 0, sizeof *out);
    for (int g = 0; g < REG_COUNT; g++) {
        if (!cur->has[g])
            continue;
        out->kwh.has[g] = true;
        int64_t units = 0;
        bool rolled = false;
        if (prev && prev->has[g]) {
            if (register_consumption(r, prev->v[g], cur->v[g], digits, &units, &rolled) != 0)
                out->flags |= READ_FLAG_BACKWARDS;
            if (rolled)
                out->flags |= READ_FLAG_ROLLOVER;
        }
        out->kwh.v[g] = units * multiplier;
    }
    if (out->kwh.has[REG_TOTAL] && !out->kwh.has[REG_NORMAL])
        out->kwh_sum = out->kwh.v[REG_TOTAL];
    else
        out->kwh_sum = out->kwh.v[REG_NORMAL] + out->kwh.v[REG_PEAK] + out->kwh.v[REG_OFFPEAK];
    if (out->flags & READ_FLAG_BACKWARDS)
        return; /* the consumption is unknown: the other rules would judge a wrong number */
    if (prev && meter_active && out->kwh_sum == 0)
        out->flags |= READ_FLAG_ZERO;
    if (nhistory >= r->history_periods && r->history_periods > 0) {
        int64_t sum = 0;
        for (int i = 0; i < r->history_periods; i++)
            sum += history[i];
        /* |kwh - sum/n| > pct% of sum/n  ⇔  |n·kwh - sum|·100 > pct·sum, in integers. */
        int64_t n = r->history_periods;
        int64_t diff = out->kwh_sum * n - sum;
        if (diff < 0)
            diff = -diff;
        out->history_avg = (double)sum / (double)n;
        if (diff * 100 > (int64_t)r->deviation_pct * sum && diff > r->deviation_min_kwh * n)
            out->flags |= READ_FLAG_DEVIATION;
    }
}

static const char *const flag_names[] = {"backwards", "rollover", "zero", "deviation"};

void read_flags_format(unsigned flags, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < 4; i++)
        if (flags & (1u << i))
            o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s", o ? "," : "", flag_names[i]);
}

unsigned read_flags_parse(const char *s)
{
    unsigned f = 0;
    for (int i = 0; i < 4; i++) {
        const char *p = strstr(s, flag_names[i]);
        if (p)
            f |= 1u << i;
    }
    return f;
}
