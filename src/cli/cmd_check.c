/* powercis check: verifies every invariant of the ledger and says what breaks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/check.h"
#include "cli/cli.h"

static const char check_usage[] =
    "usage: powercis check [--json] [--examples N]\n\n"
    "Verifies every invariant and prints what breaks each one (at most N examples, default 10):\n"
    "  ledger              per customer: invoices - payments + adjustments = open items - credit\n"
    "  open_items          every open item = total - credit used - allocations + adjustments\n"
    "  invoice_allocation  no invoice allocated beyond what it asks\n"
    "  payment_allocation  no payment allocated beyond its amount\n"
    "  einvoice_numbers    e-invoice numbers gapless from 1 in every series\n"
    "  locked_months       nothing dated in a locked month written after the lock\n"
    "  audit_chain         the audit log's hash chain is intact\n"
    "Exit status 0 when everything holds, 1 when something breaks.\n";

int cmd_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(check_usage, stdout);
        return 0;
    }
    bool json = false;
    const char *examples_v = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0},
                      {"--examples", &examples_v, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("check", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    int64_t examples = 10;
    if (examples_v && cli_parse_int("--examples", examples_v, 0, 100000, &examples) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    json_t *r = check_run(d, cfg, (int)examples, &e);
    db_close(d);
    if (!r)
        return cli_fail(&e);
    bool ok = json_is_true(json_object_get(r, "ok"));
    if (json) {
        char *t = json_dumps(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", t);
        free(t);
    } else {
        size_t i, k;
        json_t *c, *x;
        json_array_foreach(json_object_get(r, "checks"), i, c)
        {
            bool good = json_is_true(json_object_get(c, "ok"));
            printf("%-19s %-6s %s", json_string_value(json_object_get(c, "name")), good ? "ok" : "BROKEN",
                   json_string_value(json_object_get(c, "what")));
            if (!good)
                printf(" (%lld)", (long long)json_integer_value(json_object_get(c, "broken")));
            putchar('\n');
            json_array_foreach(json_object_get(c, "examples"), k, x)
            {
                char *t = json_dumps(x, JSON_COMPACT | JSON_PRESERVE_ORDER);
                printf("    %s\n", t);
                free(t);
            }
        }
        printf("%s\n", ok ? "every invariant holds" : "some invariants are broken");
    }
    json_decref(r);
    return ok ? 0 : 1;
}
