/* powercis backup: a consistent copy of the database while the system runs. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_backup(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: powercis [--db TARGET] backup --out FILE\n\n"
               "SQLite: the online backup API copies every page into FILE (a database file) while\n"
               "others read and write. PostgreSQL: pg_dump in its custom format. Restore with\n"
               "`powercis restore FILE --into TARGET`. FILE must not exist.\n");
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "--out") != 0)
        return cli_usage_error("backup", "expected --out FILE");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc = db_backup(d, argv[2], &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("backed up to %s\n", argv[2]);
    return 0;
}
