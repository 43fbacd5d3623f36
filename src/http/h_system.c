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

/* POST /api/v1/jobs/{name}/run: the administrator runs one job now, as `jobs run NAME --force`
 * (a slot of its own, "manual <instant>"), and gets its run. The request waits for the job. */
void h_job_run(http_request *r, http_response *w)
{
    const char *name = r->params[0];
    if (!scheduler_job(name)) {
        http_error(w, 404, "not_found", "no job has this name (GET /api/v1/jobs lists them)", NULL);
        return;
    }
    char runner[96];
    snprintf(runner, sizeof runner, "http:%s", r->who.login);
    tick_result t;
    pc_err e = {0};
    job_run_row last;
    if (scheduler_tick(r->d, r->cfg, r->db_target, runner, name, true, &t, &e) != 0 ||
        job_run_last(r->d, name, &last, &e) != 0) {
        http_fail(w, &e);
        return;
    }
    http_json(w, 200, json_pack("{s:s, s:i, s:i, s:o}", "job", name, "ran", t.ran, "failed", t.failed, "run",
                                job_run_json(&last)));
}

typedef struct {
    json_t *items;
    long skip, seen;
} run_page;

static int add_run(void *ctx, const job_run_row *x)
{
    run_page *p = ctx;
    if (p->seen++ >= p->skip)
        json_array_append_new(p->items, job_run_json(x));
    return 0;
}

/* GET /api/v1/jobs/history?job=&limit=&offset=: the runs, newest first. */
void h_jobs_history(http_request *r, http_response *w)
{
    const char *job = http_query(r, "job");
    if (job && !scheduler_job(job)) {
        http_error(w, 400, "invalid", "job: no job has this name (GET /api/v1/jobs lists them)", "job");
        return;
    }
    long limit, offset;
    if (http_paging(r, w, 10000, &limit, &offset) != 0)
        return;
    run_page p = {json_array(), offset, 0};
    pc_err e = {0};
    /* one row more than the page tells whether there is a next one */
    if (job_run_list(r->d, job, (int)(offset + limit + 1), add_run, &p, &e) != 0) {
        json_decref(p.items);
        http_fail(w, &e);
        return;
    }
    http_json(w, 200, http_page(p.items, limit, offset));
}
