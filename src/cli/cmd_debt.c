/* powercis debt: the debt figures themselves. `debt import` brings receivables from legacy
 * systems (cmd_debt_import.c); `debt adjust` and `debt adjustments` post and list adjustments
 * (cmd_debt_adjust.c). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_debt(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        puts("usage: powercis debt import FILE [--dry-run] [--json]\n"
             "       powercis debt adjust CUSTOMER --invoice SYMBOL/NUMBER --kind KIND --amount N --reason TEXT [...]\n"
             "       powercis debt adjustments [CUSTOMER] [--scope CODE] [--json]\n"
             "see docs/cli.md");
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "import") == 0)
        return cmd_debt_import(argc - 1, argv + 1);
    if (strcmp(argv[1], "adjust") == 0 || strcmp(argv[1], "adjustments") == 0)
        return cmd_debt_adjust(argc - 1, argv + 1);
    return cli_usage_error("debt", "unknown subcommand '%s' (import, adjust, adjustments)", argv[1]);
}
