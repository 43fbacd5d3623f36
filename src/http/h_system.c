/* System resources: health, metrics, the scheduler's jobs. */
#include <string.h>

#include "app/scheduler.h"
#include "base/date.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/users.h"

#ifndef POWERCIS_VERSION
#define POWERCIS_VERSION "dev"
#endif

void h_healthz(http_request *r, http_response *w)
{
    /* healthy = this thread's database answers */
    pc_err e = {0};
    if (db_ping(r->d, &e) != 0) {
        http_json(w, 503, json_pack("{s:s, s:s}", "status", "unavailable", "database", "error"));
        return;
    }
    char now[TIMESTAMP_FMT_MAX];
    http_json(w, 200, json_pack("{s:s, s:s, s:s, s:s}", "status", "ok", "database",
                                db_engine_of(r->d) == DB_POSTGRES ? "postgres" : "sqlite", "version", POWERCIS_VERSION,
                                "time", timestamp_now(now)));
}

void h_metrics(http_request *r, http_response *w)
{
    (void)r;
    w->status = 200;
    w->content_type = "text/plain; version=0.0.4; charset=utf-8";
    metrics_render(&w->body);
}

void h_jobs_list(http_request *r, http_response *w)
{
    pc_err e = {0};
    json_t *jobs = scheduler_status(r->d, r->cfg, &e);
    if (!jobs) {
        http_fail(w, &e);
        return;
    }
    http_json(w, 200, json_pack("{s:o}", "jobs", jobs));
}
