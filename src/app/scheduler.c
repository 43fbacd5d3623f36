/* The scheduler (app/scheduler.h). */
#include "app/scheduler.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/aging_report.h"
#include "app/digest_send.h"
#include "app/dunning.h"
#include "app/maintenance.h"
#include "app/notify.h"
#include "app/prepaid.h"
#include "base/date.h"
#include "base/log.h"
#include "store/users.h"

/* A run still 'running' after this long belongs to a process that died; a failed one is retried
 * after it. */
#define JOB_STALE_SECONDS 600

static int job_digest(job_ctx *x, pc_err *e)
{
    civil_date today = (civil_date)((x->slot_start + (int64_t)x->cfg->utc_offset_minutes * 60) / 86400);
    digest_send_result r;
    if (digest_send_all(x->d, x->cfg, today, &r, e) != 0)
        return -1;
    snprintf(x->detail, sizeof x->detail, "%d recipients, %d messages queued, %d already sent or queued, %d sent now",
             r.recipients, r.queued, r.duplicates, r.delivered);
    return 0;
}

static int job_notify_deliver(job_ctx *x, pc_err *e)
{
    notify_delivery st;
    if (notify_deliver(x->d, x->cfg, 0, &st, e) != 0)
        return -1;
    snprintf(x->detail, sizeof x->detail, "%ld sent, %ld failed, %ld dead, %ld held", st.sent, st.failed, st.dead,
             st.held);
    return 0;
}

static int job_notify_collect(job_ctx *x, pc_err *e)
{
    notify_collected st;
    if (notify_collect(x->d, x->cfg, &st, e) != 0)
        return -1;
    snprintf(x->detail, sizeof x->detail, "%ld invoices, %ld payments, %ld dunning steps read; %ld queued",
             st.invoices, st.payments, st.dunning_steps, st.enqueued);
    return 0;
}

static int job_dunning(job_ctx *x, pc_err *e)
{
    char day[DATE_FMT_MAX];
    date_format(date_today(x->cfg->utc_offset_minutes), day);
    dunning_summary s;
    if (dunning_run(x->d, x->actor, &x->cfg->dunning, day, NULL, &s, e) != 0)
        return -1;
    snprintf(x->detail, sizeof x->detail, "%s: %ld notices 1, %ld notices 2, %ld cut orders, %ld reconnection orders",
             day, s.notices_1, s.notices_2, s.cut_orders, s.reconnection_orders);
    dunning_summary_free(&s);
    return 0;
}

/* The aging report by unit as of yesterday, as XLSX in the reports folder: what a debt officer
 * opens in the morning without asking for it. */
static int job_aging_export(job_ctx *x, pc_err *e)
{
    char dir[1100], path[1200], day[DATE_FMT_MAX];
    if (x->cfg->jobs.reports_dir[0])
        snprintf(dir, sizeof dir, "%s", x->cfg->jobs.reports_dir);
    else if (strncmp(x->db_target, "postgres", 8) == 0)
        snprintf(dir, sizeof dir, "var/reports");
    else
        snprintf(dir, sizeof dir, "%s.reports", x->db_target);
    if (mkdir(dir, 0775) != 0 && errno != EEXIST)
        return pc_errf(e, PC_EIO, "reports folder %s cannot be created", dir);
    civil_date as_of = date_add_days(date_today(x->cfg->utc_offset_minutes), -1);
    snprintf(path, sizeof path, "%s/aging-%s.xlsx", dir, date_format(as_of, day));
    aging_xlsx_ctx *xc = aging_xlsx_ctx_open(path);
    if (!xc)
        return pc_errf(e, PC_EIO, "%s cannot be written", path);
    aging_sink s;
    aging_xlsx_sink(xc, &s);
    aging_request rq = {.as_of = as_of, .scope = NULL, .by = "unit",
                        .scheme = strcmp(x->cfg->debt.provision_scheme, "special") == 0 ? PROVISION_SPECIAL
                                                                                          : PROVISION_GENERAL};
    int rc = aging_report_run(x->d, &rq, &s, e);
    aging_xlsx_ctx_free(xc);
    if (rc != 0)
        return -1;
    snprintf(x->detail, sizeof x->detail, "%.400s", path);
    return 0;
}

static int job_partitions(job_ctx *x, pc_err *e)
{
    partition_status st[PARTITIONED_TABLES];
    int n = 0;
    civil_month m = month_of(date_today(x->cfg->utc_offset_minutes));
    if (partitions_monthly(x->d, x->actor, m, m, PARTITIONS_AHEAD_DEFAULT, st, &n, e) != 0)
        return -1;
    snprintf(x->detail, sizeof x->detail, "%d tables checked", n);
    return 0;
}

static int job_prepaid_charge(job_ctx *x, pc_err *e)
{
    return prepaid_job_charge(x->d, x->cfg, x->actor, x->detail, sizeof x->detail, e);
}

const job_def scheduler_jobs[] = {
    {"digest", "the managers' daily digest (phân kỳ, collection, debt, anomalies)", job_digest},
    {"notify_deliver", "send queued notifications (SMS, e-mail, chat) and retry failed ones", job_notify_deliver},
    {"notify_collect", "queue customer notifications for new invoices, payments and dunning steps", job_notify_collect},
    {"dunning", "take the dunning steps due today (notices, cut and reconnection orders)", job_dunning},
    {"aging_export", "the aging report by unit as of yesterday, as XLSX in the reports folder", job_aging_export},
    {"partitions", "create next months' partitions (PostgreSQL)", job_partitions},
    {"prepaid_charge", "charge every prepaid customer for yesterday's consumption (docs/prepaid.md)", job_prepaid_charge},
    {NULL, NULL, NULL},
};

const job_def *scheduler_job(const char *name)
{
    for (const job_def *j = scheduler_jobs; j->name; j++)
        if (strcmp(j->name, name) == 0)
            return j;
    return NULL;
}

static int run_one(db *d, const pc_config *cfg, const char *db_target, const char *runner, const job_def *j,
                   const char *slot, int64_t slot_start, int64_t now, tick_result *out, pc_err *e)
{
    char at[TIMESTAMP_FMT_MAX], stale[TIMESTAMP_FMT_MAX];
    instant_format(now, at);
    instant_format(now - JOB_STALE_SECONDS, stale);
    bool taken = false;
    int64_t id = 0;
    /* the claim commits on its own, so another process sees it while this one works */
    if (db_begin(d, e) != 0 || job_run_claim(d, j->name, slot, runner, at, stale, &taken, &id, e) != 0 ||
        db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    if (!taken) {
        out->not_due++;
        return 0;
    }
    job_ctx x = {d, cfg, db_target, "scheduler", now, slot, slot_start, ""};
    pc_err je = {0};
    double t0 = monotonic_seconds();
    int rc = j->run(&x, &je);
    if (rc != 0)
        snprintf(x.detail, sizeof x.detail, "%s", je.msg);
    log_event(rc == 0 ? LOG_INFO : LOG_ERROR, "job", "name=%s slot=%s status=%s seconds=%.3f", j->name, slot,
              rc == 0 ? "done" : "failed", monotonic_seconds() - t0);
    instant_format(clock_now(), at);
    if (job_run_finish(d, id, rc == 0, x.detail, at, e) != 0)
        return -1;
    if (rc == 0)
        out->ran++;
    else
        out->failed++;
    return 0;
}

int scheduler_tick(db *d, const pc_config *cfg, const char *db_target, const char *runner, const char *only,
                   bool force, tick_result *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    int64_t now = clock_now();
    if (only && !scheduler_job(only))
        return pc_errf(e, PC_EINVAL, "no job '%s' (see `powercis jobs list`)", only);
    for (const job_def *j = scheduler_jobs; j->name; j++) {
        if (only && strcmp(only, j->name) != 0)
            continue;
        char slot[64];
        int64_t start = now;
        if (force) {
            char at[TIMESTAMP_FMT_MAX];
            snprintf(slot, sizeof slot, "manual %s", instant_format(now, at));
        } else {
            schedule s;
            const char *text = config_job_schedule(cfg, j->name);
            if (!text || schedule_parse(text, &s, e) != 0)
                return text ? -1 : pc_errf(e, PC_EINTERNAL, "job %s has no schedule", j->name);
            char sl[SCHEDULE_SLOT_MAX];
            if (!schedule_open_slot(&s, now, cfg->utc_offset_minutes, sl, &start)) {
                out->not_due++;
                continue;
            }
            snprintf(slot, sizeof slot, "%s", sl);
        }
        if (run_one(d, cfg, db_target, runner, j, slot, start, now, out, e) != 0)
            return -1;
    }
    return 0;
}

json_t *job_run_json(const job_run_row *r)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "job", r->job, "slot",
                     r->slot, "status", r->status, "started_at", r->started_at, "finished_at", r->finished_at, "runner",
                     r->runner, "detail", r->detail);
}

json_t *scheduler_status(db *d, const pc_config *cfg, pc_err *e)
{
    json_t *arr = json_array();
    int64_t now = clock_now();
    for (const job_def *j = scheduler_jobs; j->name; j++) {
        const char *text = config_job_schedule(cfg, j->name);
        schedule s;
        char next[TIMESTAMP_FMT_MAX] = "";
        int64_t t = 0;
        if (!text || schedule_parse(text, &s, e) != 0) {
            json_decref(arr);
            return text ? NULL : (pc_errf(e, PC_EINTERNAL, "job %s has no schedule", j->name), NULL);
        }
        if ((t = schedule_next_start(&s, now, cfg->utc_offset_minutes)) != 0)
            instant_format(t, next);
        json_t *o = json_pack("{s:s, s:s, s:s, s:s?}", "name", j->name, "schedule", text, "what", j->what, "next",
                              t ? next : NULL);
        job_run_row last;
        pc_err le = {0};
        if (job_run_last(d, j->name, &last, &le) == 0)
            json_object_set_new(o, "last", json_pack("{s:s, s:s, s:s, s:s, s:s}", "slot", last.slot, "status",
                                                     last.status, "started_at", last.started_at, "finished_at",
                                                     last.finished_at, "detail", last.detail));
        else if (le.code == PC_ENOTFOUND)
            json_object_set_new(o, "last", json_null());
        else {
            *e = le;
            json_decref(o);
            json_decref(arr);
            return NULL;
        }
        json_array_append_new(arr, o);
    }
    return arr;
}
