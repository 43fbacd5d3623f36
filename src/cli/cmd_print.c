/* powercis receipt pdf | card pdf: the counter's printed documents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/payments.h"
#include "cli/cli.h"

int cmd_receipt(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs("usage: powercis receipt pdf RECEIPT_NO --out FILE.pdf [--tendered N]\n\n"
              "The payment's receipt (80 mm wide, Vietnamese), its number as a Code 128 barcode;\n"
              "--tendered: the cash handed over, to print the change.\n",
              argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "pdf") != 0)
        return cli_usage_error("receipt", "unknown subcommand '%s'", argv[1]);
    const char *out = NULL, *tendered = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--out", &out, NULL, NULL, NULL, 0}, {"--tendered", &tendered, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("receipt pdf", argc, argv, 2, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1 || !out)
        return cli_usage_error("receipt pdf", "expected RECEIPT_NO --out FILE.pdf");
    pc_err e = {0};
    money t = 0;
    if (tendered && money_parse(tendered, &t, &e) != 0)
        return cli_usage_error("receipt pdf", "--tendered: %s", e.msg);
    db *d = cli_open_db();
    if (!d)
        return 1;
    int rc = receipt_print(d, pos[0], t, out, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("%s\n", out);
    return 0;
}

int cmd_card(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs("usage: powercis card pdf CODE... --out FILE.pdf\n\n"
              "A sheet of customer cards (A4, 10 a page), each with the customer code as a Code 128\n"
              "barcode: at the counter, the next visit is one scan.\n",
              argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "pdf") != 0)
        return cli_usage_error("card", "unknown subcommand '%s'", argv[1]);
    const char *out = NULL;
    int max = argc;
    const char **pos = calloc((size_t)max, sizeof *pos);
    if (!pos)
        return 1;
    int npos;
    cli_opt opts[] = {{"--out", &out, NULL, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("card pdf", argc, argv, 2, opts, pos, max, &npos) != 0) {
        free(pos);
        return 2;
    }
    if (npos < 1 || !out) {
        free(pos);
        return cli_usage_error("card pdf", "expected CODE... --out FILE.pdf");
    }
    db *d = cli_open_db();
    if (!d) {
        free(pos);
        return 1;
    }
    pc_err e = {0};
    int rc = cards_print(d, pos, npos, out, &e);
    db_close(d);
    free(pos);
    if (rc != 0)
        return cli_fail(&e);
    printf("%s: %d cards\n", out, npos);
    return 0;
}
