/* powercis solar credit|list: rooftop solar bought from customers, on its own credit document. */
#include <stdio.h>
#include <string.h>

#include "app/solar.h"
#include "app/tariffs.h"
#include "base/money.h"
#include "cli/cli.h"

static const char solar_usage[] =
    "usage: powercis solar credit CODE --period YYYY-MM --kwh N [--issue-date D]\n"
    "       powercis solar list [--customer CODE] [--period YYYY-MM]\n\n"
    "The energy a customer's rooftop system exported in a month, bought at the price of the\n"
    "decision in force (DOMAIN 5.7: US cents at the central exchange rate, cut to the đồng), on a\n"
    "credit document numbered per year (PV25-1 …); never netted into the consumption invoice.\n";

static void print_credit(const solar_credit_row *r)
{
    char m[MONEY_FMT_MAX];
    printf("PV%02d-%lld  %s  %s  %lld kWh × %lld = %s  (%s, issued %s)\n", r->year % 100, (long long)r->number,
           r->customer_code, r->period, (long long)r->kwh, (long long)r->price, money_format(r->amount, true, m),
           r->decision, r->issue_date);
}

static int print_cb(void *ctx, const solar_credit_row *r)
{
    (void)ctx;
    print_credit(r);
    return 0;
}

int cmd_solar(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(solar_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *code = NULL, *period = NULL, *kwh = NULL, *issue = NULL, *only_customer = NULL;
    bool credit = strcmp(argv[1], "credit") == 0;
    if (!credit && strcmp(argv[1], "list") != 0)
        return cli_usage_error("solar", "unknown subcommand '%s'", argv[1]);
    for (int i = 2; i < argc; i++) {
        const char **dst = strcmp(argv[i], "--period") == 0                ? &period
                           : credit && strcmp(argv[i], "--kwh") == 0        ? &kwh
                           : credit && strcmp(argv[i], "--issue-date") == 0 ? &issue
                           : !credit && strcmp(argv[i], "--customer") == 0  ? &only_customer
                                                                           : NULL;
        if (dst && i + 1 < argc) {
            *dst = argv[++i];
        } else if (credit && !code && argv[i][0] != '-') {
            code = argv[i];
        } else {
            return cli_usage_error("solar", "unexpected argument '%s'", argv[i]);
        }
    }
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    pc_err e = {0};
    civil_month pm = 0;
    if (period && month_parse(period, &pm, &e) != 0)
        return cli_usage_error("solar", "--period: %s", e.msg);
    if (!credit) {
        db *d = cli_open_db();
        if (!d)
            return 1;
        int rc = solar_credit_list(d, only_customer, period, print_cb, NULL, &e);
        db_close(d);
        return rc == 0 ? 0 : cli_fail(&e);
    }
    if (!code || !period || !kwh)
        return cli_usage_error("solar credit", "expected CODE, --period and --kwh");
    int64_t n;
    if (cli_parse_int("--kwh", kwh, 1, 1000000000, &n) != 0)
        return 2;
    civil_date issue_date = date_today(cfg->utc_offset_minutes);
    if (issue && date_parse(issue, &issue_date, &e) != 0)
        return cli_usage_error("solar credit", "--issue-date: %s", e.msg);
    db *d = cli_open_db();
    if (!d)
        return 1;
    static tariff_set t;
    solar_credit_row r;
    int rc = tariffs_in_force(d, &t, &e);
    if (rc == 0)
        rc = solar_credit_issue(d, cli_actor, &t, code, pm, n, issue_date, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_credit(&r);
    return 0;
}
