/* powercis db: database housekeeping (monthly partitions). */
#include <stdio.h>
#include <string.h>

#include "app/maintenance.h"
#include "cli/cli.h"

static int usage(void)
{
    printf("usage: powercis [--db TARGET] db partitions [--from YYYY-MM] [--ahead N] [--json]\n\n"
           "PostgreSQL keeps meter reads, invoices, invoice lines and payments in monthly partitions. This\n"
           "creates the missing ones from --from (default: this month) to N months ahead\n"
           "(default %d); run it monthly (cron, or the server's scheduler). Rows of a month that\n"
           "had no partition yet wait in the table's default partition, which is reported.\n"
           "Before loading history, run it with --from the oldest month. SQLite: nothing to do.\n",
           PARTITIONS_AHEAD_DEFAULT);
    return 0;
}

int cmd_db(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2)
        return argc < 2 ? cli_usage_error("db", "expected a subcommand: partitions") : usage();
    if (strcmp(argv[1], "partitions") != 0)
        return cli_usage_error("db", "unknown subcommand '%s' (expected partitions)", argv[1]);
    civil_month today = 0, from = 0;
    int64_t ahead = PARTITIONS_AHEAD_DEFAULT;
    bool json = false;
    pc_err e = {0};
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
            if (month_parse(argv[++i], &from, &e) != 0)
                return cli_usage_error("db partitions", "--from: %s", e.msg);
        } else if (strcmp(argv[i], "--ahead") == 0 && i + 1 < argc) {
            if (cli_parse_int("--ahead", argv[++i], 0, 120, &ahead) != 0)
                return 2;
        } else {
            return cli_usage_error("db partitions", "unexpected argument '%s'", argv[i]);
        }
    }
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    int y, m, dd;
    date_to_ymd(date_today(cfg->utc_offset_minutes), &y, &m, &dd);
    today = y * 100 + m;
    if (!from)
        from = today;
    db *d = cli_open_db();
    if (!d)
        return 1;
    partition_status st[PARTITIONED_TABLES];
    int n;
    int rc = partitions_monthly(d, cli_actor, from, today, (int)ahead, st, &n, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json) {
        printf("[");
        for (int i = 0; i < n; i++)
            printf("%s{\"table\":\"%s\",\"created\":%d,\"partitions\":%d,\"first\":\"%s\",\"last\":\"%s\","
                   "\"default_rows\":%lld}",
                   i ? "," : "", st[i].table, st[i].created, st[i].partitions, st[i].first, st[i].last,
                   (long long)st[i].default_rows);
        printf("]\n");
        return 0;
    }
    if (n == 0) {
        printf("SQLite keeps no partitions: nothing to do\n");
        return 0;
    }
    for (int i = 0; i < n; i++)
        printf("%-13s created %d, %d monthly partitions %s..%s, %lld rows in the default partition\n", st[i].table,
               st[i].created, st[i].partitions, st[i].first, st[i].last, (long long)st[i].default_rows);
    return 0;
}
