/* Prometheus metrics of the server: requests by route and status, a latency histogram, scheduler
 * ticks and job runs; gauges read from the database at scrape time (outbox depth). Counters are
 * atomics, shared by the worker threads. */
#ifndef PC_HTTP_METRICS_H
#define PC_HTTP_METRICS_H

#include "base/buf.h"

void metrics_request(const char *route, int status, double seconds);
void metrics_scheduler_tick(int ran, int failed);
/* Appends the text exposition format. */
void metrics_render(buf *out);

#endif
