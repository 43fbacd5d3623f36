/* The scheduler (issue 7): the jobs a company runs by the clock — the 07:00 digest, the
 * notification sender and event collection, dunning, report exports, monthly partitions — each on
 * a schedule from the configuration ([jobs], domain/schedule.h). A tick runs every job whose slot
 * is open and not yet done; the slot is claimed in the database (job_run), so a job runs once per
 * slot across processes and restarts, and a process that was down when a slot began catches it
 * up once. `powercis jobs run` ticks once (for cron), `powercis jobs serve` ticks in a loop, and the
 * web server (issue 8) ticks from a thread. Time comes from clock_now(), so tests move it. */
#ifndef PC_APP_SCHEDULER_H
#define PC_APP_SCHEDULER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/config.h"
#include "domain/schedule.h"
#include "store/db.h"
#include "store/users.h"

typedef struct {
    db *d;
    const pc_config *cfg;
    const char *db_target;  /* for jobs that write beside the database */
    const char *actor;      /* "scheduler" */
    int64_t now;            /* clock_now() at the tick */
    const char *slot;
    int64_t slot_start;
    char detail[512];       /* what the run did, kept in job_run */
} job_ctx;

typedef struct {
    const char *name;
    const char *what;
    int (*run)(job_ctx *x, pc_err *e);
} job_def;

/* The jobs, ending with a NULL name. */
extern const job_def scheduler_jobs[];
const job_def *scheduler_job(const char *name);

typedef struct {
    int ran, failed, not_due;
} tick_result;

/* Every job with its schedule, its next start after now and its latest run, as JSON
 * ([{"name","schedule","what","next","last":{…}|null}]), for `jobs list --json` and the API. */
json_t *scheduler_status(db *d, const pc_config *cfg, pc_err *e);
/* One run of a job as `jobs history --json` and the API show it. */
json_t *job_run_json(const job_run_row *r);

/* Runs each job (only: that one; NULL: all) whose slot is open at clock_now() and not done yet.
 * force runs `only` now whatever its schedule, under a slot of its own ("manual <instant>").
 * A job that fails is recorded as failed and retried at a later tick after a pause; the tick goes
 * on with the other jobs and returns 0 unless the database itself failed. */
int scheduler_tick(db *d, const pc_config *cfg, const char *db_target, const char *runner, const char *only,
                   bool force, tick_result *out, pc_err *e);

#endif
