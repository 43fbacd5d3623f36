/* powercis demo: a demo corporation with generated customers, then a summary per unit. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "app/demo.h"
#include "base/date.h"
#include "base/money.h"
#include "app/demo_users.h"
#include "app/demo_grids.h"
#include "app/notify.h"
#include "cli/cli.h"

static int print_account(void *ctx, const char *login, const char *role, const char *scope, const char *name)
{
    (void)ctx;
    printf("  %-16s %-14s %-7s %s\n", login, role, scope, name);
    return 0;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {{"customers", required_argument, NULL, 'n'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"until", required_argument, NULL, 'u'},
                                         {"months", required_argument, NULL, 'm'},
                                         {"no-invoices", no_argument, NULL, 'x'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int64_t n = 50000, seed = 1, months = 24;
    bool no_invoices = false;
    civil_month until = month_add(month_of(date_today(420)), -1);
    pc_err e = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (cli_parse_int("--customers", optarg, 0, 9999999, &n) != 0)
                return 2;
            break;
        case 's':
            if (cli_parse_int("--seed", optarg, 0, INT64_MAX, &seed) != 0)
                return 2;
            break;
        case 'u':
            if (month_parse(optarg, &until, &e) != 0)
                return cli_usage_error("demo", "--until: %s", e.msg);
            break;
        case 'm':
            if (cli_parse_int("--months", optarg, 0, 120, &months) != 0)
                return 2;
            break;
        case 'x':
            no_invoices = true;
            break;
        case 'h':
            printf("usage: powercis [--db PATH] demo [--customers N] [--seed S] [--until YYYY-MM] [--months N]\n"
                   "                                 [--no-invoices]\n\n"
                   "Creates the demo corporation PA (Tổng công ty Điện lực miền Bắc) with 5 companies,\n"
                   "4-8 units each and N customers (default 50,000), their meter reads for the N months\n"
                   "(default 24) up to --until (default: last month) and the invoices of those months\n"
                   "(unless --no-invoices). The same options give the same data. The database must not\n"
                   "hold a PA tree yet.\n");
            return 0;
        default:
            return cli_usage_error("demo", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
    db *d = cli_open_db();
    if (!d)
        return 1;
    demo_tree t;
    demo_summary sum;
    const pc_config *cfg = cli_config();
    char doc_dir[1024];
    if (!cfg || config_documents_dir(cfg, cli_db_target(), doc_dir, sizeof doc_dir, &e) != 0) {
        db_close(d);
        return cfg ? cli_fail(&e) : 2;
    }
    demo_options o = {.customers = n, .seed = (uint64_t)seed, .until = until, .months = (int)months,
                      .no_invoices = no_invoices, .doc_dir = doc_dir};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = demo_build(d, cli_actor, &o, &t, &sum, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == 0) {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        char um[MONTH_FMT_MAX];
        char billed[MONEY_FMT_MAX], paid[MONEY_FMT_MAX];
        printf("demo: %d companies, %d units, %lld customers, %lld meter reads, %lld invoices (%s) and %lld payments "
               "(%s) over %lld months to %s (seed %lld) in %.1f s\n\n",
               t.companies, t.nunits, (long long)n, (long long)sum.reads, (long long)sum.invoices,
               money_format(sum.billed, true, billed), (long long)sum.payments, money_format(sum.paid, true, paid),
               (long long)months, month_format(until, um), (long long)seed, secs);
        if (sum.outages)
            printf("outages: %lld over the last months (`powercis report reliability --month %s --format table`)\n\n",
                   (long long)sum.outages, month_format(until, um));
        const demo_debt_summary *x = &sum.debt;
        if (x->cases) {
            char legacy[MONEY_FMT_MAX], bad[MONEY_FMT_MAX], wo[MONEY_FMT_MAX];
            printf("debt: %lld legacy receivables of %lld customers from CMIS (%s still owed), %lld debt cases, %lld "
                   "documents, %s written off, %lld months locked; bad debt (overdue 3 months or more) %s, of which "
                   "3 years or more %.1f%%\n\n",
                   (long long)x->legacy_receivables, (long long)x->legacy_customers,
                   money_format(x->legacy_amount, true, legacy), (long long)x->cases, (long long)x->documents,
                   money_format(x->written_off, true, wo), (long long)x->locks, money_format(x->bad_debt, true, bad),
                   x->bad_debt ? 100.0 * (double)x->ge_3y / (double)x->bad_debt : 0.0);
        }
        rc = org_print_list(d, "PA", 1, 0, &e);
        if (rc == 0) {
            printf("\nstaff accounts, password %s (the managers receive the 07:00 digest; `powercis digest preview "
                   "--user LOGIN`):\n",
                   DEMO_PASSWORD);
            rc = demo_users(d, cli_actor, print_account, NULL, &e);
        }
        /* the service grids need the accounts: after them (docs/grids.md) */
        if (rc == 0) {
            civil_date from = month_first_day(month_add(until, -(months > 0 ? (int)months - 1 : 0)));
            civil_date change = month_first_day(month_add(until, -5));
            demo_grids_summary gs;
            rc = demo_grids(d, cli_actor, from, change > from ? change : from, &gs, &e);
            if (rc == 0)
                printf("\nservice grids: %ld grids, %ld account managers (ql.pa0101 signs in), %ld customers "
                       "assigned; `powercis grid list`, `powercis worklist --manager ql.pa0101`\n",
                       gs.grids, gs.managers + 1, gs.customers);
        }
        /* two years of history are not news: the customers' SMS start with the next event */
        if (rc == 0)
            rc = notify_skip_history(d, &e);
    }
    db_close(d);
    return rc == 0 ? 0 : cli_fail(&e);
}
