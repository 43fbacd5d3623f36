/* powercis restore: a backup into a new database, checked by opening it and verifying the audit
 * chain. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/repo.h"

int cmd_restore(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: powercis restore FILE --into TARGET\n\n"
               "Restores a backup made by `powercis backup` into TARGET, which must be new: a SQLite\n"
               "file that does not exist, or an empty PostgreSQL database (pg_restore). The restored\n"
               "database is then opened (migrations) and its audit chain verified.\n");
        return 0;
    }
    if (argc != 4 || strcmp(argv[2], "--into") != 0)
        return cli_usage_error("restore", "expected FILE --into TARGET");
    pc_err e = {0};
    if (db_restore(argv[1], argv[3], &e) != 0)
        return cli_fail(&e);
    db *d;
    audit_verdict v;
    if (db_open(argv[3], &d, &e) != 0)
        return cli_fail(&e);
    int rc = audit_verify(d, &v, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (v.first_bad_id) {
        printf("restored into %s, but the audit chain is BROKEN at entry %lld: %s\n", argv[3], (long long)v.first_bad_id, v.why);
        return 1;
    }
    printf("restored into %s: audit chain intact, %lld entries\n", argv[3], (long long)v.entries);
    return 0;
}
