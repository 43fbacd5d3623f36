/* powercis jobs list|run|serve|history: the scheduler from the command line (for cron, or as a
 * process of its own). */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/scheduler.h"
#include "base/date.h"
#include "cli/cli.h"
#include "store/users.h"

static const char jobs_usage[] =
    "usage: powercis jobs list [--json]\n"
    "       powercis jobs run [NAME] [--force]\n"
    "       powercis jobs serve [--interval SECONDS] [--ticks N]\n"
    "       powercis jobs history [NAME] [--limit N] [--json]\n\n"
    "Jobs run on the schedules of the [jobs] section (docs/operations.md): the 07:00 digest, the\n"
    "notification sender and event collection, dunning, the aging export, monthly partitions.\n"
    "`jobs run` runs every job that is due now and has not run for its slot yet (put it in cron\n"
    "every minute); with NAME only that job; --force runs NAME now whatever its schedule. A slot\n"
    "runs once however many processes tick, and a process that was down when a slot began runs it\n"
    "once when it comes back the same day. `jobs serve` ticks every --interval seconds (default 30)\n"
    "until SIGTERM or SIGINT (--ticks N: stop after N ticks).\n";

static int list_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("jobs list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    json_t *arr = scheduler_status(d, cfg, &e);
    db_close(d);
    if (!arr)
        return cli_fail(&e);
    if (json) {
        char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", t);
        free(t);
    } else {
        size_t i;
        json_t *o;
        json_array_foreach(arr, i, o)
        {
            json_t *last = json_object_get(o, "last");
            if (!json_is_object(last))
                last = NULL;
            const char *next = json_string_value(json_object_get(o, "next"));
            printf("%-15s %-16s next %-20s last %s %s %s\n   %s\n", json_string_value(json_object_get(o, "name")),
                   json_string_value(json_object_get(o, "schedule")), next ? next : "-",
                   last ? json_string_value(json_object_get(last, "slot")) : "-",
                   last ? json_string_value(json_object_get(last, "status")) : "",
                   last ? json_string_value(json_object_get(last, "detail")) : "",
                   json_string_value(json_object_get(o, "what")));
        }
    }
    json_decref(arr);
    return 0;
}

static int print_run(void *ctx, const job_run_row *r)
{
    json_t *arr = ctx;
    if (arr)
        json_array_append_new(arr, job_run_json(r));
    else
        printf("%-6lld %-15s %-22s %-8s %s %s\n", (long long)r->id, r->job, r->slot, r->status, r->started_at,
               r->detail);
    return 0;
}

static int history_cmd(int argc, char **argv)
{
    bool json = false;
    const char *limit_v = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0},
                      {"--limit", &limit_v, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("jobs history", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    int64_t limit = 50;
    if (limit_v && cli_parse_int("--limit", limit_v, 1, 100000, &limit) != 0)
        return 2;
    if (npos == 1 && !scheduler_job(pos[0]))
        return cli_usage_error("jobs history", "no job '%s' (see `powercis jobs list`)", pos[0]);
    db *d = cli_open_db();
    if (!d)
        return 1;
    json_t *arr = json ? json_array() : NULL;
    pc_err e = {0};
    int rc = job_run_list(d, npos ? pos[0] : NULL, (int)limit, print_run, arr, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(arr);
        return cli_fail(&e);
    }
    if (arr) {
        char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", t);
        free(t);
        json_decref(arr);
    }
    return 0;
}

static void runner_name(char *out, size_t cap)
{
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(out, cap, "%s:%ld", host, (long)getpid());
}

static void print_tick(const tick_result *r)
{
    printf("ran %d, failed %d, not due %d\n", r->ran, r->failed, r->not_due);
    fflush(stdout);
}

static int run_cmd(int argc, char **argv)
{
    bool force = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--force", NULL, &force, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("jobs run", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (force && npos == 0)
        return cli_usage_error("jobs run", "--force needs a job NAME");
    if (npos == 1 && !scheduler_job(pos[0]))
        return cli_usage_error("jobs run", "no job '%s' (see `powercis jobs list`)", pos[0]);
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    char runner[96];
    runner_name(runner, sizeof runner);
    tick_result r;
    pc_err e = {0};
    int rc = scheduler_tick(d, cfg, cli_db_target(), runner, npos ? pos[0] : NULL, force, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_tick(&r);
    return r.failed ? 1 : 0;
}

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
    (void)sig;
    stopping = 1;
}

static int serve_cmd(int argc, char **argv)
{
    const char *interval_v = NULL, *ticks_v = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--interval", &interval_v, NULL, NULL, NULL, 0},
                      {"--ticks", &ticks_v, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("jobs serve", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    double interval = 30;
    if (interval_v) {
        char *end;
        interval = strtod(interval_v, &end);
        if (*end || !(interval >= 0.01 && interval <= 3600))
            return cli_usage_error("jobs serve", "--interval '%s': seconds from 0.01 to 3600 are expected", interval_v);
    }
    int64_t ticks = 0;
    if (ticks_v && cli_parse_int("--ticks", ticks_v, 1, INT32_MAX, &ticks) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    char runner[96];
    runner_name(runner, sizeof runner);
    pc_err e = {0};
    int rc = 0;
    for (int64_t n = 0; !stopping && (ticks == 0 || n < ticks); n++) {
        tick_result r;
        if (scheduler_tick(d, cfg, cli_db_target(), runner, NULL, false, &r, &e) != 0) {
            /* a database that went away for a moment: say so and try again at the next tick */
            fprintf(stderr, "powercis: jobs serve: %s\n", e.msg);
            memset(&e, 0, sizeof e);
        } else if (r.ran || r.failed)
            print_tick(&r);
        if (ticks && n + 1 >= ticks)
            break;
        struct timespec ts = {(time_t)interval, (long)((interval - (double)(time_t)interval) * 1e9)};
        while (!stopping && nanosleep(&ts, &ts) != 0)
            ;
    }
    db_close(d);
    return rc;
}

int cmd_jobs(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(jobs_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "run") == 0)
        return run_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "serve") == 0)
        return serve_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "history") == 0)
        return history_cmd(argc - 1, argv + 1);
    return cli_usage_error("jobs", "unknown subcommand '%s' (list, run, serve, history)", sub);
}
