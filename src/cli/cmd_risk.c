/* powercis risk run|track|flag|unflag and report risk|risk-tracking: the monthly risk
 * classification of DOMAIN 12 (docs/risk.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/risk.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: powercis risk run --month YYYY-MM\n"
    "       powercis risk track [--month YYYY-MM] [--as-of YYYY-MM-DD] [--scope CODE] [--format json|csv] [--out FILE]\n"
    "       powercis risk flag --customer CODE --reason TEXT\n"
    "       powercis risk unflag --customer CODE --reason TEXT\n\n"
    "run: scores every customer not terminated as of the month's last day ([risk] weights, caps and\n"
    "thresholds) and stores the results as a new run; running a month again adds a run and the reports\n"
    "read the latest. A month that has not ended is refused.\n"
    "track: the high-risk customers of the month's latest run (default: the latest run of a month before\n"
    "the as-of date's month) with their debt, payments and consumption since the classification, as of\n"
    "--as-of (default today): the weekly tracking list.\n"
    "flag / unflag: mark a customer as risky by hand (a factor of the next runs), or clear the mark.\n"
    "Same report: powercis report risk --month YYYY-MM [--scope CODE] [--class low|medium|high]\n"
    "                                [--format json|csv|xlsx] [--out FILE]\n";

static int open_out(const char *out, FILE **f)
{
    *f = stdout;
    if (!out)
        return 0;
    *f = fopen(out, "w");
    if (!*f) {
        fprintf(stderr, "powercis: cannot write %s\n", out);
        return 1;
    }
    return 0;
}

static int close_out(FILE *f, const char *out, int rc, pc_err *e)
{
    if (f && f != stdout && fclose(f) != 0 && rc == 0)
        rc = pc_errf(e, PC_EIO, "cannot write %s", out);
    if (rc != 0 && out)
        remove(out); /* no half-written report left behind */
    return rc;
}

static int run_cmd(int argc, char **argv)
{
    const char *month = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--month", &month, NULL, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    int rc = cli_parse_opts("risk run", argc, argv, 1, opts, pos, 0, &npos);
    if (rc)
        return rc;
    if (!month)
        return cli_usage_error("risk run", "--month YYYY-MM is required");
    pc_err e = {0};
    civil_month m;
    if (month_parse(month, &m, &e) != 0)
        return cli_usage_error("risk run", "--month: %s", e.msg);
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    db *d = cli_open_db();
    if (!d)
        return 1;
    risk_run_row run;
    double t0 = monotonic_seconds();
    /* one pass over each table: a small page cache (the OS caches the file) */
    if (db_streaming_reads(d, &e) != 0) {
        db_close(d);
        return cli_fail(&e);
    }
    rc = risk_run_month(d, &cfg->risk, m, date_today(cfg->utc_offset_minutes), cli_actor, &run, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("risk run %lld for %s: %lld customers, high %lld, medium %lld, low %lld (%.1f s)\n", (long long)run.id,
           run.month, (long long)run.customers, (long long)run.high, (long long)run.medium, (long long)run.low,
           monotonic_seconds() - t0);
    return 0;
}

static int track_cmd(int argc, char **argv)
{
    const char *month = NULL, *as_of = NULL, *scope = NULL, *format = "json", *out = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--month", &month, NULL, NULL, NULL, 0}, {"--as-of", &as_of, NULL, NULL, NULL, 0},
                      {"--scope", &scope, NULL, NULL, NULL, 0}, {"--format", &format, NULL, NULL, NULL, 0},
                      {"--out", &out, NULL, NULL, NULL, 0},     {NULL, NULL, NULL, NULL, NULL, 0}};
    int rc = cli_parse_opts("risk track", argc, argv, 1, opts, pos, 0, &npos);
    if (rc)
        return rc;
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
        return cli_usage_error("risk track", "--format '%s' is not json or csv", format);
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    pc_err e = {0};
    civil_month m = 0;
    if (month && month_parse(month, &m, &e) != 0)
        return cli_usage_error("risk track", "--month: %s", e.msg);
    civil_date day = date_today(cfg->utc_offset_minutes);
    if (as_of && date_parse(as_of, &day, &e) != 0)
        return cli_usage_error("risk track", "--as-of: %s", e.msg);
    db *d = cli_open_db();
    if (!d)
        return 1;
    FILE *f;
    if (open_out(out, &f) != 0) {
        db_close(d);
        return 1;
    }
    rc = close_out(f, out, risk_track_write(d, m, day, scope, format, f, &e), &e);
    db_close(d);
    return rc != 0 ? cli_fail(&e) : 0;
}

static int flag_cmd(int argc, char **argv, int flagged)
{
    const char *code = NULL, *reason = NULL;
    const char *pos[1];
    int npos;
    const char *name = flagged ? "risk flag" : "risk unflag";
    cli_opt opts[] = {{"--customer", &code, NULL, NULL, NULL, 0}, {"--reason", &reason, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    int rc = cli_parse_opts(name, argc, argv, 1, opts, pos, 0, &npos);
    if (rc)
        return rc;
    if (!code)
        return cli_usage_error(name, "--customer CODE is required");
    if (!reason)
        return cli_usage_error(name, "--reason TEXT is required");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int64_t id;
    rc = risk_flag_customer(d, code, flagged, reason, cli_actor, &id, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("customer %s %s (flag %lld)\n", code, flagged ? "flagged" : "cleared", (long long)id);
    return 0;
}

int cmd_report_risk(int argc, char **argv)
{
    const char *month = NULL, *scope = NULL, *cls = NULL, *format = "json", *out = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--month", &month, NULL, NULL, NULL, 0}, {"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--class", &cls, NULL, NULL, NULL, 0},   {"--format", &format, NULL, NULL, NULL, 0},
                      {"--out", &out, NULL, NULL, NULL, 0},     {NULL, NULL, NULL, NULL, NULL, 0}};
    int rc = cli_parse_opts("report risk", argc, argv, 1, opts, pos, 0, &npos);
    if (rc)
        return rc;
    if (!month)
        return cli_usage_error("report risk", "--month YYYY-MM is required");
    pc_err e = {0};
    civil_month m;
    if (month_parse(month, &m, &e) != 0)
        return cli_usage_error("report risk", "--month: %s", e.msg);
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
        return cli_usage_error("report risk", "--format '%s' is not json, csv or xlsx", format);
    if (strcmp(format, "xlsx") == 0 && !out)
        return cli_usage_error("report risk", "--format xlsx needs --out FILE");
    risk_class c;
    if (cls && risk_class_parse(cls, &c) != 0)
        return cli_usage_error("report risk", "--class '%s' is not low, medium or high", cls);
    db *d = cli_open_db();
    if (!d)
        return 1;
    FILE *f = NULL;
    if (strcmp(format, "xlsx") != 0 && open_out(out, &f) != 0) {
        db_close(d);
        return 1;
    }
    rc = risk_report_write(d, m, scope, cls, format, f, out, &e);
    rc = close_out(f, out, rc, &e);
    db_close(d);
    return rc != 0 ? cli_fail(&e) : 0;
}

int cmd_report_risk_tracking(int argc, char **argv)
{
    return track_cmd(argc, argv);
}

int cmd_risk(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "run") == 0)
        return run_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "track") == 0)
        return track_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "flag") == 0)
        return flag_cmd(argc - 1, argv + 1, 1);
    if (strcmp(argv[1], "unflag") == 0)
        return flag_cmd(argc - 1, argv + 1, 0);
    return cli_usage_error("risk", "unknown subcommand '%s' (run, track, flag, unflag)", argv[1]);
}
