/* powercis bill run: the billing run of a period. */
#include <stdio.h>
#include <string.h>

#include "app/billing.h"
#include "base/money.h"
#include "cli/cli.h"

static const char bill_usage[] =
    "usage: powercis bill run --period YYYY-MM [--scope CODE] [--route R] [--issue-date YYYY-MM-DD]\n"
    "                                   [--chunk N]\n\n"
    "Bills every approved or unflagged, unbilled regular read dated in the period (with the final\n"
    "reads of meters replaced before it): one invoice per customer and reading period, numbered in\n"
    "the company's e-invoice series. Re-running bills nothing twice; a run that was stopped is\n"
    "finished by the next one. Issue date defaults to today; due date = issue date + the contract's\n"
    "payment term. --chunk: customers per transaction (default 500, PostgreSQL 5000); several runs may work on one\n"
    "database at once (each chunk retries when another run took its reads or numbers).\n";

static int bill_run_cmd(int argc, char **argv)
{
    const char *period = NULL, *scope = NULL, *route = NULL, *issue = NULL, *chunk = NULL;
    for (int i = 1; i < argc; i++) {
        const char **dst = strcmp(argv[i], "--period") == 0       ? &period
                           : strcmp(argv[i], "--scope") == 0      ? &scope
                           : strcmp(argv[i], "--route") == 0      ? &route
                           : strcmp(argv[i], "--issue-date") == 0 ? &issue
                           : strcmp(argv[i], "--chunk") == 0      ? &chunk
                                                                  : NULL;
        if (!dst || i + 1 >= argc)
            return cli_usage_error("bill run", "unexpected argument '%s'", argv[i]);
        *dst = argv[++i];
    }
    if (!period)
        return cli_usage_error("bill run", "--period YYYY-MM is required");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    bill_options o = {.scope = scope, .route = route};
    pc_err e = {0};
    if (month_parse(period, &o.period, &e) != 0)
        return cli_usage_error("bill run", "--period: %s", e.msg);
    if (cli_parse_issue_date(issue, &o.issue_date, cfg->utc_offset_minutes) != 0)
        return 2;
    int64_t chunk_n = 0;
    if (chunk && cli_parse_int("--chunk", chunk, 1, 100000, &chunk_n) != 0)
        return 2;
    o.chunk = (int)chunk_n;
    db *d = cli_open_db();
    if (!d)
        return 1;
    static tariff_set t;
    if (cli_load_tariffs(d, &t) != 0) {
        db_close(d);
        return 1;
    }
    bill_summary s;
    billing_run_row run;
    bool repeated;
    /* recorded like a run started over the API (GET /api/v1/billing-runs) */
    int rc = billing_run_recorded(d, cli_actor, cfg, &t, &o, NULL, NULL, &run, &s, &repeated, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX], m3[MONEY_FMT_MAX];
    char m4[MONEY_FMT_MAX];
    printf("billed %s: %lld invoices for %lld customers, %lld reads, %lld kWh; energy %s, VAT %s, total %s, "
           "credit applied %s (%lld periods with no consumption) in %.1f s\n",
           period, (long long)s.invoices, (long long)s.customers, (long long)s.reads, (long long)s.kwh,
           money_format(s.energy, true, m1), money_format(s.vat, true, m2), money_format(s.total, true, m3),
           money_format(s.credit, true, m4), (long long)s.zero, s.seconds);
    return 0;
}

int cmd_bill(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(bill_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "run") == 0)
        return bill_run_cmd(argc - 1, argv + 1);
    return cli_usage_error("bill", "unknown subcommand '%s'", argv[1]);
}
