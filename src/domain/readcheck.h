/* Meter-read control (DOMAIN 4): consumption from two indexes with the multiplier, rollover by
 * the meter's digits, and the anomaly rule that holds a read back from billing. Pure functions. */
#ifndef PC_DOMAIN_READCHECK_H
#define PC_DOMAIN_READCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef enum { REG_TOTAL, REG_NORMAL, REG_PEAK, REG_OFFPEAK, REG_COUNT } meter_register;

typedef struct {
    bool has[REG_COUNT];
    int64_t v[REG_COUNT];
} register_values;

/* Thresholds are configuration (DOMAIN 4 defaults in read_rules_default). */
typedef struct {
    int deviation_pct;         /* flag when |kWh - avg| > pct% of avg … */
    int64_t deviation_min_kwh; /* … and more than this many kWh */
    int history_periods;       /* periods averaged */
    int rollover_max_pct;      /* a lower index is a rollover only below this % of 10^digits */
} read_rules;

enum {
    READ_FLAG_BACKWARDS = 1, /* index below the previous one and not a plausible rollover */
    READ_FLAG_ROLLOVER = 2,  /* the register passed 10^digits (informational) */
    READ_FLAG_ZERO = 4,      /* no consumption on an active meter */
    READ_FLAG_DEVIATION = 8, /* far from the average of the previous periods */
};
#define READ_FLAGS_HOLD (READ_FLAG_BACKWARDS | READ_FLAG_ZERO | READ_FLAG_DEVIATION)

typedef struct {
    register_values kwh; /* per register, multiplier applied */
    int64_t kwh_sum;     /* total register, or normal + peak + off-peak */
    unsigned flags;
    double history_avg; /* for the message; 0 when there was no history */
} read_result;

read_rules read_rules_default(void);
const char *register_name(meter_register r); /* "total", "normal", "peak", "offpeak" */
/* Which registers a meter has: total, or the three time-of-use ones. */
int registers_check(bool tou, const register_values *v, pc_err *e);

/* Consumption of one register: cur - prev, or across a rollover when cur < prev and the
 * consumption (10^digits - prev + cur) is under rollover_max_pct% of 10^digits. */
int register_consumption(const read_rules *r, int64_t prev, int64_t cur, int digits, int64_t *units, bool *rolled);

/* Evaluates a read against the previous read of the same meter. history holds the kWh of the
 * customer's previous periods, newest first (n may be below history_periods: then the
 * deviation rule waits until there is enough history). */
void read_evaluate(const read_rules *r, const register_values *prev, const register_values *cur, int digits,
                   int64_t multiplier, bool meter_active, const int64_t *history, int nhistory, read_result *out);

/* "backwards,zero" for the stored flags column. */
void read_flags_format(unsigned flags, char *out, size_t cap);
unsigned read_flags_parse(const char *s);

#endif
