/* powercis partner add|list|export|key: who collects for us (banks, ECPay, VNPost, wallets, points)
 * and the API keys they sign their requests with. */
#include <stdio.h>
#include <string.h>

#include "app/auth.h"
#include "app/org.h"
#include "app/payments.h"
#include "cli/cli.h"

static const char partner_usage[] =
    "usage: powercis partner add CODE --name NAME --kind bank|collector|post|wallet|point\n"
    "                            [--settlement-days N]\n"
    "       powercis partner list\n"
    "       powercis partner export --partner CODE [--scope CODE] --out FILE.csv\n"
    "       powercis partner key CODE [--revoke KEYID]\n\n"
    "A partner collects bills for us and remits the money to the collection account within its\n"
    "settlement days (default 1: T+1). export writes the open invoices under a scope for the\n"
    "partner's offline collection points (docs/formats.md); their collections come back with\n"
    "`powercis pay import`. key prints a new API key id and its secret once (the partner signs\n"
    "its requests with it, docs/api.md); --revoke ends a key.\n";

static int print_partner(void *ctx, const partner_row *p)
{
    (void)ctx;
    printf("%-12s %-10s T+%d  %s\n", p->code, p->kind, p->settlement_days, p->name);
    return 0;
}

int cmd_partner(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(partner_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *name = NULL, *kind = NULL, *days = NULL, *partner = NULL, *scope = NULL, *out = NULL, *revoke = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--name", &name, NULL, NULL, NULL, 0},     {"--kind", &kind, NULL, NULL, NULL, 0},
                      {"--settlement-days", &days, NULL, NULL, NULL, 0}, {"--partner", &partner, NULL, NULL, NULL, 0},
                      {"--scope", &scope, NULL, NULL, NULL, 0},   {"--out", &out, NULL, NULL, NULL, 0},
                      {"--revoke", &revoke, NULL, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    char cmd[32];
    snprintf(cmd, sizeof cmd, "partner %s", argv[1]);
    bool add = strcmp(argv[1], "add") == 0, list = strcmp(argv[1], "list") == 0, exp = strcmp(argv[1], "export") == 0,
         key = strcmp(argv[1], "key") == 0;
    if (!add && !list && !exp && !key)
        return cli_usage_error("partner", "unknown subcommand '%s'", argv[1]);
    if (cli_parse_opts(cmd, argc, argv, 2, opts, pos, add || key ? 1 : 0, &npos) != 0)
        return 2;
    if (key && npos != 1)
        return cli_usage_error(cmd, "expected the partner's CODE");
    if (revoke && !key)
        return cli_usage_error(cmd, "--revoke goes with `partner key`");
    int64_t sdays = 1;
    if (add) {
        if (npos != 1 || !name || !kind)
            return cli_usage_error(cmd, "expected CODE --name NAME --kind KIND");
        if (days && cli_parse_int("--settlement-days", days, 0, 30, &sdays) != 0)
            return 2;
    }
    if (exp && (!partner || !out))
        return cli_usage_error(cmd, "--partner CODE and --out FILE are required");
    /* a new key is sealed with [server] key_file: the configuration must load */
    if (key && !revoke && !cli_config())
        return 1;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc;
    if (add) {
        rc = partner_add(d, cli_actor, pos[0], name, kind, (int)sdays, &e);
        if (rc == 0)
            printf("partner %s added\n", pos[0]);
    } else if (key && revoke) {
        rc = auth_api_key_revoke(d, cli_actor, pos[0], revoke, &e);
        if (rc == 0)
            printf("API key %s of %s revoked\n", revoke, pos[0]);
    } else if (key) {
        char key_id[40], secret[72];
        rc = auth_api_key_new(d, cli_config(), cli_actor, pos[0], key_id, secret, &e);
        if (rc == 0) {
            /* the only time the secret is shown: it goes to the partner over a safe channel */
            printf("key_id %s\nsecret %s\n", key_id, secret);
            memset(secret, 0, sizeof secret);
        }
    } else if (list) {
        rc = partner_list(d, print_partner, NULL, &e);
    } else {
        char path[160];
        const char *scope_path;
        long rows = 0;
        money amount = 0;
        rc = org_scope_path(d, scope, path, &scope_path, &e);
        if (rc == 0)
            rc = partner_export(d, partner, scope_path, out, &rows, &amount, &e);
        char m[MONEY_FMT_MAX];
        if (rc == 0)
            printf("%s: %ld open invoices, %s\n", out, rows, money_format(amount, true, m));
    }
    db_close(d);
    return rc != 0 ? cli_fail(&e) : 0;
}
