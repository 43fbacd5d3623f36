/* powercis report aging|aging-trend: overdue and bad debt by bucket (DOMAIN 9), as JSON, CSV or
 * an Excel workbook (docs/debt.md); report phanky|amr: the read controls of DOMAIN 4. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/aging_report.h"
#include "app/amr_report.h"
#include "app/phanky_report.h"
#include "base/date.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: powercis report aging --as-of YYYY-MM-DD [--scope CODE] [--by customer|unit|company|corporation]\n"
    "                             [--format json|csv|xlsx] [--out FILE] [--provision general|special]\n"
    "       powercis report aging-trend --from YYYY-MM --to YYYY-MM [--scope CODE] [--format json|csv|xlsx]\n"
    "                             [--out FILE] [--provision general|special]\n\n"
    "aging: the debt as it stood at the end of the as-of date (invoices issued, payments, reversals and\n"
    "adjustments dated on or before it), per bucket (not yet due, under 3 months, 3-6 months, 6-12\n"
    "months, 1-2 years, 2-3 years, 3 years and more), residential / non-residential / all, with the\n"
    "provision (Circular 48/2019; scheme from [debt] provision_scheme unless given). --by customer\n"
    "lists every customer with debt; unit, company and corporation sum them, with subtotals for the\n"
    "level above and totals for the scope. The last day of a locked month reads the lock's snapshot.\n"
    "xlsx needs --out. aging-trend: the scope's totals as of each month's last day.\n\n"
    "       powercis report phanky [--quarter YYYYQn | --as-of YYYY-MM-DD] [--scope CODE]\n"
    "                             [--format json|csv|xlsx] [--out FILE] [--exceptions]\n"
    "phanky: every active non-residential customer's average consumption over its last 3 billed\n"
    "months, the periods a month it requires ([phanky] thresholds), the periods its contract\n"
    "configures, and ok / needs_more / needs_fewer, with counts per unit. --quarter: as of the\n"
    "quarter's last day; default: today. --exceptions lists only the mismatches (the counts still\n"
    "count everyone); the xlsx lists the mismatches and the units, and needs --out.\n\n"
    "       powercis report amr [--month YYYY-MM] [--scope CODE] [--format json|csv] [--out FILE]\n"
    "amr: per unit, meters installed at the month's end, automatic (AMR) meters and coverage, reads\n"
    "scheduled on AMR meters (the contract's periods a month), automatic reads received and the\n"
    "success rate, against the targets 99% and 98%. Default: the month before this one.\n\n"
    "       powercis report service --month YYYY-MM [--scope CODE] [--format json|csv|xlsx] [--out FILE]\n"
    "service: customer service requests per unit in the month (docs/service.md): received, finished,\n"
    "within the deadline (%), average and 90th-percentile working days by type, open requests at the\n"
    "month's end by waiting reason.\n\n"
    "       powercis report reliability --month YYYY-MM [--scope CODE] [--format json|csv|table] [--out FILE]\n"
    "reliability: SAIFI, SAIDI, CAIDI (minutes) and MAIFI of the scope and each unit under it, from\n"
    "the closed outages that started in the month (docs/outages.md).\n";

static int open_out(const char *out, FILE **f)
{
    *f = stdout;
    if (!out)
        return 0;
    *f = fopen(out, "w");
    if (!*f) {
        fprintf(stderr, "powercis: report: cannot write %s\n", out);
        return 1;
    }
    return 0;
}

static int parse_common(const char *format, const char *out, const char *provision, provision_scheme *scheme)
{
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
        return cli_usage_error("report", "--format '%s' is not json, csv or xlsx", format);
    if (strcmp(format, "xlsx") == 0 && !out)
        return cli_usage_error("report", "--format xlsx needs --out FILE");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    const char *name = provision ? provision : cfg->debt.provision_scheme[0] ? cfg->debt.provision_scheme : "general";
    if (provision_scheme_parse(name, scheme) != 0)
        return cli_usage_error("report", "--provision '%s' is not general or special", name);
    return 0;
}

static int aging_cmd(int argc, char **argv)
{
    const char *as_of = NULL, *scope = NULL, *by = "unit", *format = "json", *out = NULL, *provision = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--as-of", &as_of, NULL, NULL, NULL, 0},   {"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--by", &by, NULL, NULL, NULL, 0},         {"--format", &format, NULL, NULL, NULL, 0},
                      {"--out", &out, NULL, NULL, NULL, 0},       {"--provision", &provision, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    int rc = cli_parse_opts("report aging", argc, argv, 1, opts, pos, 0, &npos);
    if (rc)
        return rc;
    if (!as_of)
        return cli_usage_error("report aging", "--as-of YYYY-MM-DD is required");
    pc_err e = {0};
    civil_date day;
    if (date_parse(as_of, &day, &e) != 0)
        return cli_usage_error("report aging", "--as-of: %s", e.msg);
    if (strcmp(by, "customer") != 0 && strcmp(by, "unit") != 0 && strcmp(by, "company") != 0 &&
        strcmp(by, "corporation") != 0)
        return cli_usage_error("report aging", "--by '%s' is not customer, unit, company or corporation", by);
    provision_scheme scheme;
    if ((rc = parse_common(format, out, provision, &scheme)) != 0)
        return rc;
    db *d = cli_open_db();
    if (!d)
        return 1;
    aging_request rq = {day, scope, by, scheme, false};
    aging_sink s;
    FILE *f = NULL;
    aging_json *j = NULL;
    aging_csv *c = NULL;
    aging_xlsx_ctx *x = NULL;
    if (strcmp(format, "xlsx") == 0) {
        x = aging_xlsx_ctx_open(out);
        aging_xlsx_sink(x, &s);
    } else {
        if (open_out(out, &f) != 0) {
            db_close(d);
            return 1;
        }
        if (strcmp(format, "json") == 0) {
            j = aging_json_open(f, NULL);
            aging_json_sink(j, &s);
        } else {
            c = aging_csv_open(f);
            aging_csv_sink(c, &s);
        }
    }
    rc = aging_report_run(d, &rq, &s, &e);
    aging_json_free(j);
    aging_csv_free(c);
    aging_xlsx_ctx_free(x);
    if (f && f != stdout && fclose(f) != 0 && rc == 0)
        rc = pc_errf(&e, PC_EIO, "cannot write %s", out);
    db_close(d);
    if (rc != 0) {
        if (out)
            remove(out); /* no half-written report left behind */
        return cli_fail(&e);
    }
    return 0;
}

static int trend_cmd(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *scope = NULL, *format = "json", *out = NULL, *provision = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--from", &from, NULL, NULL, NULL, 0},     {"--to", &to, NULL, NULL, NULL, 0},
                      {"--scope", &scope, NULL, NULL, NULL, 0},   {"--format", &format, NULL, NULL, NULL, 0},
                      {"--out", &out, NULL, NULL, NULL, 0},       {"--provision", &provision, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    int rc = cli_parse_opts("report aging-trend", argc, argv, 1, opts, pos, 0, &npos);
    if (rc)
        return rc;
    if (!from || !to)
        return cli_usage_error("report aging-trend", "--from YYYY-MM and --to YYYY-MM are required");
    pc_err e = {0};
    civil_month m0, m1;
    if (month_parse(from, &m0, &e) != 0)
        return cli_usage_error("report aging-trend", "--from: %s", e.msg);
    if (month_parse(to, &m1, &e) != 0)
        return cli_usage_error("report aging-trend", "--to: %s", e.msg);
    provision_scheme scheme;
    if ((rc = parse_common(format, out, provision, &scheme)) != 0)
        return rc;
    db *d = cli_open_db();
    if (!d)
        return 1;
    aging_trend_row *rows = NULL;
    int n = 0;
    rc = aging_trend(d, scope, m0, m1, scheme, &rows, &n, &e);
    if (rc == 0 && strcmp(format, "xlsx") == 0) {
        aging_report_info info;
        memset(&info, 0, sizeof info);
        snprintf(info.as_of, sizeof info.as_of, "%s", n ? rows[n - 1].as_of : "");
        snprintf(info.scope, sizeof info.scope, "%s", scope ? scope : "");
        snprintf(info.by, sizeof info.by, "month");
        info.scheme = scheme;
        rc = aging_trend_xlsx_write(out, &info, rows, n, &e);
    } else if (rc == 0) {
        FILE *f;
        if (open_out(out, &f) != 0) {
            free(rows);
            db_close(d);
            return 1;
        }
        if (strcmp(format, "csv") == 0)
            fputs("month,as_of,class,customers,not_due,lt_3m,m3_6,m6_12,y1_2,y2_3,ge_3y,total,provision\n", f);
        else
            fprintf(f, "{\"report\":\"aging-trend\",\"scope\":%s%s%s,\"provision_scheme\":\"%s\",\"rows\":[", scope ? "\"" : "",
                    scope ? scope : "null", scope ? "\"" : "", provision_scheme_name(scheme));
        for (int i = 0; i < n; i++) {
            const aging_trend_row *r = &rows[i];
            if (strcmp(format, "csv") == 0)
                fprintf(f, "%s,%s,%s,%lld", r->month, r->as_of, aging_class_field[r->cls], (long long)r->customers);
            else
                fprintf(f, "%s\n{\"month\":\"%s\",\"as_of\":\"%s\",\"class\":\"%s\",\"customers\":%lld", i ? "," : "",
                        r->month, r->as_of, aging_class_field[r->cls], (long long)r->customers);
            for (int b = 0; b < AGING_BUCKETS; b++) {
                if (strcmp(format, "csv") == 0)
                    fprintf(f, ",%lld", (long long)r->amount[b]);
                else
                    fprintf(f, ",\"%s\":%lld", aging_bucket_field[b], (long long)r->amount[b]);
            }
            if (strcmp(format, "csv") == 0)
                fprintf(f, ",%lld,%lld\n", (long long)r->total, (long long)r->provision);
            else
                fprintf(f, ",\"total\":%lld,\"provision\":%lld}", (long long)r->total, (long long)r->provision);
        }
        if (strcmp(format, "json") == 0)
            fputs("]}\n", f);
        if (f != stdout && fclose(f) != 0)
            rc = pc_errf(&e, PC_EIO, "cannot write %s", out);
    }
    free(rows);
    db_close(d);
    return rc != 0 ? cli_fail(&e) : 0;
}

/* "2026Q3" → the quarter's last day. */
static int quarter_parse(const char *s, civil_date *out)
{
    int year, q;
    char tail;
    if (strlen(s) != 6 || sscanf(s, "%4dQ%1d%c", &year, &q, &tail) != 2 || year < 1900 || q < 1 || q > 4)
        return -1;
    *out = month_last_day((civil_month)(year * 100 + q * 3));
    return 0;
}

static int phanky_cmd(int argc, char **argv)
{
    const char *quarter = NULL, *as_of = NULL, *scope = NULL, *format = "json", *out = NULL;
    bool exceptions = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--quarter", &quarter, NULL, NULL, NULL, 0}, {"--as-of", &as_of, NULL, NULL, NULL, 0},
                      {"--scope", &scope, NULL, NULL, NULL, 0},     {"--format", &format, NULL, NULL, NULL, 0},
                      {"--out", &out, NULL, NULL, NULL, 0},         {"--exceptions", NULL, &exceptions, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    int rc = cli_parse_opts("report phanky", argc, argv, 1, opts, pos, 0, &npos);
    if (rc)
        return rc;
    if (quarter && as_of)
        return cli_usage_error("report phanky", "give --quarter or --as-of, not both");
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
        return cli_usage_error("report phanky", "--format '%s' is not json, csv or xlsx", format);
    if (strcmp(format, "xlsx") == 0 && !out)
        return cli_usage_error("report phanky", "--format xlsx needs --out FILE");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    pc_err e = {0};
    phanky_request rq = {date_today(cfg->utc_offset_minutes), scope, cfg->phanky, exceptions};
    if (quarter && quarter_parse(quarter, &rq.as_of) != 0)
        return cli_usage_error("report phanky", "--quarter '%s' is not a quarter like 2026Q3 (Q1 to Q4)", quarter);
    if (as_of && date_parse(as_of, &rq.as_of, &e) != 0)
        return cli_usage_error("report phanky", "--as-of: %s", e.msg);
    db *d = cli_open_db();
    if (!d)
        return 1;
    FILE *f = NULL;
    if (strcmp(format, "xlsx") != 0 && open_out(out, &f) != 0) {
        db_close(d);
        return 1;
    }
    rc = phanky_report_write(d, &rq, format, f, out, &e);
    if (f && f != stdout && fclose(f) != 0 && rc == 0)
        rc = pc_errf(&e, PC_EIO, "cannot write %s", out);
    db_close(d);
    if (rc != 0) {
        if (out)
            remove(out); /* no half-written report left behind */
        return cli_fail(&e);
    }
    return 0;
}

static int amr_cmd(int argc, char **argv)
{
    const char *month = NULL, *scope = NULL, *format = "json", *out = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--month", &month, NULL, NULL, NULL, 0}, {"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--format", &format, NULL, NULL, NULL, 0}, {"--out", &out, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    int rc = cli_parse_opts("report amr", argc, argv, 1, opts, pos, 0, &npos);
    if (rc)
        return rc;
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
        return cli_usage_error("report amr", "--format '%s' is not json or csv", format);
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    pc_err e = {0};
    civil_month m = month_add(month_of(date_today(cfg->utc_offset_minutes)), -1);
    if (month && month_parse(month, &m, &e) != 0)
        return cli_usage_error("report amr", "--month: %s", e.msg);
    db *d = cli_open_db();
    if (!d)
        return 1;
    FILE *f = NULL;
    if (open_out(out, &f) != 0) {
        db_close(d);
        return 1;
    }
    rc = amr_report_write(d, m, scope, format, f, &e);
    if (f != stdout && fclose(f) != 0 && rc == 0)
        rc = pc_errf(&e, PC_EIO, "cannot write %s", out);
    db_close(d);
    if (rc != 0) {
        if (out)
            remove(out);
        return cli_fail(&e);
    }
    return 0;
}

int cmd_report(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "aging") == 0)
        return aging_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "aging-trend") == 0)
        return trend_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "phanky") == 0)
        return phanky_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "amr") == 0)
        return amr_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "service") == 0)
        return report_service_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "risk") == 0)
        return cmd_report_risk(argc - 1, argv + 1);
    if (strcmp(argv[1], "risk-tracking") == 0)
        return cmd_report_risk_tracking(argc - 1, argv + 1);
    if (strcmp(argv[1], "reliability") == 0)
        return cmd_report_reliability(argc - 1, argv + 1);
    return cli_usage_error("report", "unknown report '%s' (aging, aging-trend, phanky, amr, risk, risk-tracking, service, reliability)", argv[1]);
}
