/* Placeholder while the command is written. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_doc(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "powercis: %s: not built yet\n", argv[0]);
    return 1;
}
