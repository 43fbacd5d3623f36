/* Benchmark of the rating function alone: residential bills on one core, no I/O in the loop.
 * Prints `metric | value | target`. */
#include <stdio.h>
#include <time.h>

#include "domain/tariff.h"
#include "formats/tariff_json.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
    static tariff_set t;
    pc_err e = {0};
    if (tariff_load_shipped(&t, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    rate_request q = {.purpose = PURPOSE_RESIDENTIAL, .voltage = -1, .households = 1};
    date_parse("2025-06-05", &q.previous_reading, &e);
    date_parse("2025-07-05", &q.reading, &e);
    const long n = 20000000;
    int64_t check = 0;
    rate_result r;
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        q.kwh = (i * 7919) % 900; /* 0–899 kWh, every tier */
        q.households = 1 + (int)(i % 17 == 0);
        if (tariff_rate(&t, &q, &r, &e) != 0)
            return 1;
        check += r.total;
    }
    double secs = now_s() - t0;
    printf("tariff rating (residential bills/s, one core; checksum %lld) | %.0f | >= 5000000\n", (long long)(check % 1000),
           (double)n / secs);
    /* Across a price change: two parts per bill. */
    date_parse("2025-04-25", &q.previous_reading, &e);
    date_parse("2025-05-26", &q.reading, &e);
    t0 = now_s();
    for (long i = 0; i < n / 4; i++) {
        q.kwh = (i * 7919) % 900;
        if (tariff_rate(&t, &q, &r, &e) != 0)
            return 1;
        check += r.total;
    }
    secs = now_s() - t0;
    printf("tariff rating across a price change (bills/s, one core) | %.0f | -\n", (double)(n / 4) / secs);
    return 0;
}
