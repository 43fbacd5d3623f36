/* powercis init: create the database, or bring an existing one to the current schema. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_init(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: powercis [--db PATH] init\n\n"
               "Creates the database file (default var/powercis.db) and applies every migration.\n"
               "Safe to run again: an up-to-date database is left as it is.\n");
        return 0;
    }
    if (argc > 1)
        return cli_usage_error("init", "unexpected argument '%s'", argv[1]);
    db *d = cli_open_db();
    if (!d)
        return 1;
    db_close(d);
    printf("database ready\n");
    return 0;
}
