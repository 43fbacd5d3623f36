/* Server metrics (http/metrics.h). One mutex guards the few counters: a request takes it once,
 * for well under a microsecond, which no load this server sees will notice. */
#include "http/metrics.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define MAX_SERIES 256
static const double latency_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NBOUNDS (sizeof latency_bounds / sizeof *latency_bounds)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    const char *route; /* a pattern from the route table (static storage) or "unmatched" */
    int status;
    uint64_t count;
} series[MAX_SERIES];
static int nseries;
static uint64_t latency_buckets[NBOUNDS], latency_count;
static double latency_sum;
static uint64_t ticks, jobs_ran, jobs_failed;

void metrics_request(const char *route, int status, double seconds)
{
    pthread_mutex_lock(&lock);
    int i = 0;
    while (i < nseries && !(series[i].status == status && strcmp(series[i].route, route) == 0))
        i++;
    if (i == nseries && nseries < MAX_SERIES) {
        series[i].route = route;
        series[i].status = status;
        nseries++;
    }
    if (i < nseries)
        series[i].count++;
    for (size_t b = 0; b < NBOUNDS; b++)
        if (seconds <= latency_bounds[b])
            latency_buckets[b]++;
    latency_count++;
    latency_sum += seconds;
    pthread_mutex_unlock(&lock);
}

void metrics_scheduler_tick(int ran, int failed)
{
    pthread_mutex_lock(&lock);
    ticks++;
    jobs_ran += (uint64_t)ran;
    jobs_failed += (uint64_t)failed;
    pthread_mutex_unlock(&lock);
}

void metrics_render(buf *out)
{
    pthread_mutex_lock(&lock);
    buf_puts(out, "# HELP powercis_http_requests_total HTTP requests answered, by route and status.\n"
                  "# TYPE powercis_http_requests_total counter\n");
    for (int i = 0; i < nseries; i++)
        buf_printf(out, "powercis_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n", series[i].route,
                   series[i].status, (unsigned long long)series[i].count);
    buf_puts(out, "# HELP powercis_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE powercis_http_request_duration_seconds histogram\n");
    for (size_t b = 0; b < NBOUNDS; b++)
        buf_printf(out, "powercis_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", latency_bounds[b],
                   (unsigned long long)latency_buckets[b]);
    buf_printf(out, "powercis_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
               (unsigned long long)latency_count);
    buf_printf(out, "powercis_http_request_duration_seconds_sum %.6f\n", latency_sum);
    buf_printf(out, "powercis_http_request_duration_seconds_count %llu\n", (unsigned long long)latency_count);
    buf_printf(out,
               "# HELP powercis_scheduler_ticks_total Scheduler ticks of this process.\n"
               "# TYPE powercis_scheduler_ticks_total counter\npowercis_scheduler_ticks_total %llu\n"
               "# HELP powercis_jobs_runs_total Job runs of this process, by outcome.\n"
               "# TYPE powercis_jobs_runs_total counter\n"
               "powercis_jobs_runs_total{status=\"done\"} %llu\npowercis_jobs_runs_total{status=\"failed\"} %llu\n",
               (unsigned long long)ticks, (unsigned long long)jobs_ran, (unsigned long long)jobs_failed);
    pthread_mutex_unlock(&lock);
}
