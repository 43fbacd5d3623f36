/* powercis audit verify: walk the hash chain of the audit log. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/repo.h"

int cmd_audit(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs("usage: powercis audit verify\n\n"
              "Recomputes every audit entry's hash from its fields and the previous entry's hash.\n"
              "Exit status 0 when the chain is intact, 1 with the first broken entry otherwise.\n",
              argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "verify") != 0 || argc != 2)
        return cli_usage_error("audit", "unknown subcommand '%s'", argv[1]);
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    audit_verdict v;
    int rc = audit_verify(d, &v, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (v.first_bad_id) {
        printf("audit chain BROKEN at entry %lld: %s\n", (long long)v.first_bad_id, v.why);
        return 1;
    }
    printf("audit chain intact: %lld entries\n", (long long)v.entries);
    return 0;
}
