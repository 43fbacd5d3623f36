/* powercis meter replace: a meter changed inside a reading period. */
#include <stdio.h>
#include <string.h>

#include "app/reads.h"
#include "cli/cli.h"

static const char meter_usage[] =
    "usage: powercis meter replace CODE --date D (--final-total N | --final-normal N --final-peak N\n"
    "                              --final-offpeak N) --serial NEW [--initial-total N | --initial-normal N\n"
    "                              --initial-peak N --initial-offpeak N] [--multiplier N] [--digits N]\n"
    "                              --reason TEXT\n\n"
    "Closes the installed meter with its final index and installs the new one on the same day;\n"
    "both meters' consumption in the period is billed together.\n";

int cmd_meter(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(meter_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "replace") != 0)
        return cli_usage_error("meter", "unknown subcommand '%s'", argv[1]);
    const char *code = NULL, *date = NULL, *reason = NULL;
    register_values fin = {0};
    new_meter nm;
    memset(&nm, 0, sizeof nm);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') {
            if (code)
                return cli_usage_error("meter replace", "unexpected argument '%s'", a);
            code = a;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error("meter replace", "%s needs a value", a);
        const char *v = argv[++i];
        int matched;
        if (cli_register_flag(a, "final-", v, &fin, &matched) != 0)
            return 2;
        if (matched)
            continue;
        if (cli_register_flag(a, "initial-", v, &nm.initial, &matched) != 0)
            return 2;
        if (matched)
            continue;
        int64_t n;
        if (strcmp(a, "--date") == 0)
            date = v;
        else if (strcmp(a, "--reason") == 0)
            reason = v;
        else if (strcmp(a, "--serial") == 0) {
            if (!v[0] || strlen(v) >= sizeof nm.serial)
                return cli_usage_error("meter replace", "--serial: 1 to %zu characters", sizeof nm.serial - 1);
            snprintf(nm.serial, sizeof nm.serial, "%s", v);
        }
        else if (strcmp(a, "--multiplier") == 0) {
            if (cli_parse_int(a, v, 1, 100000, &n) != 0)
                return 2;
            nm.multiplier = (int)n;
        } else if (strcmp(a, "--digits") == 0) {
            if (cli_parse_int(a, v, 4, 9, &n) != 0)
                return 2;
            nm.digits = (int)n;
        } else
            return cli_usage_error("meter replace", "unknown option '%s'", a);
    }
    if (!code || !date)
        return cli_usage_error("meter replace", "expected the customer CODE and --date");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    read_rules rules = cfg->reads;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc = meter_replace(d, cli_actor, &rules, code, date, &fin, &nm, reason, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("meter of %s replaced on %s by %s\n", code, date, nm.serial);
    return 0;
}
