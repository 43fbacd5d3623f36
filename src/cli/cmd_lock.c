/* powercis lock / unlock: close a month's reports for a scope, or reopen them from the level
 * above (DOMAIN 10, docs/debt.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/locks.h"
#include "cli/cli.h"

static const char lock_usage[] =
    "usage: powercis lock --scope CODE --period YYYY-MM [--as CODE]\n"
    "       powercis lock list [--scope CODE] [--period YYYY-MM] [--all] [--json]\n\n"
    "Closes a past month for the scope's subtree: the aging report of the month's last day is stored\n"
    "as a snapshot (reports of that day read it), and every payment, reversal, invoice, adjustment or\n"
    "document dated in that month for a customer inside the scope is refused. --as names the node the\n"
    "person acts for (default: the scope itself); it must be the scope or above it.\n";
static const char unlock_usage[] =
    "usage: powercis unlock --scope CODE --period YYYY-MM --as CODE --reason TEXT\n\n"
    "Reopens a locked month; only a node above the lock's node may (the root answers for itself).\n";

static int print_lock(void *ctx, const lock_row *r)
{
    bool json = *(bool *)ctx;
    if (json) {
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "scope", r->org_code,
                              "period", r->period, "locked_at", r->locked_at, "locked_by", r->locked_by, "locked_as",
                              r->locked_as, "status", r->unlocked_at[0] ? "unlocked" : "locked");
        if (r->unlocked_at[0])
            json_object_set_new(o, "unlocked", json_pack("{s:s, s:s, s:s, s:s}", "at", r->unlocked_at, "by",
                                                         r->unlocked_by, "as", r->unlocked_as, "reason",
                                                         r->unlock_reason));
        char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        printf("%s\n", t);
        free(t);
        json_decref(o);
    } else
        printf("%-5lld %-10s %-8s %-9s %s by %s (as %s)%s%s\n", (long long)r->id, r->org_code, r->period,
               r->unlocked_at[0] ? "unlocked" : "locked", r->locked_at, r->locked_by, r->locked_as,
               r->unlocked_at[0] ? "; unlocked: " : "", r->unlock_reason);
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    const char *scope = NULL, *period = NULL;
    bool all = false, json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &scope, NULL, NULL, NULL, 0}, {"--period", &period, NULL, NULL, NULL, 0},
                      {"--all", NULL, &all, NULL, NULL, 0},     {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("lock list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc = locks_list(d, scope, period, all, print_lock, &json, &e);
    db_close(d);
    return rc != 0 ? cli_fail(&e) : 0;
}

int cmd_lock(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(lock_usage, stdout);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    const char *scope = NULL, *period = NULL, *as = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--period", &period, NULL, NULL, NULL, 0},
                      {"--as", &as, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("lock", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!scope || !period)
        return cli_usage_error("lock", "--scope CODE and --period YYYY-MM are required");
    if (!cli_config())
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int64_t id = 0;
    int rc = lock_period(d, scope, period, as, cli_actor, &id, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("locked %s %s (lock %lld)\n", scope, period, (long long)id);
    return 0;
}

int cmd_unlock(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(unlock_usage, stdout);
        return 0;
    }
    const char *scope = NULL, *period = NULL, *as = NULL, *reason = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &scope, NULL, NULL, NULL, 0}, {"--period", &period, NULL, NULL, NULL, 0},
                      {"--as", &as, NULL, NULL, NULL, 0},       {"--reason", &reason, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("unlock", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!scope || !period)
        return cli_usage_error("unlock", "--scope CODE and --period YYYY-MM are required");
    if (!cli_config())
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc = unlock_period(d, scope, period, as, reason, cli_actor, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("unlocked %s %s\n", scope, period);
    return 0;
}
