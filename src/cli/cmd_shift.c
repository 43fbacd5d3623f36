/* powercis shift open|close|report: a cashier's shift at the counter (DOMAIN 7). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/payments.h"
#include "cli/cli.h"

static const char shift_usage[] =
    "usage: powercis shift open --cashier NAME --unit CODE [--float N] [--json]\n"
    "       powercis shift close ID --counted N [--note TEXT] [--json]\n"
    "       powercis shift report ID [--json]\n\n"
    "A cashier opens a shift with the cash in the drawer (--float), posts payments in it\n"
    "(`powercis pay post CODE --shift ID`), and closes it with the cash counted: the close report\n"
    "totals the postings by method, expects float + cash, and records any difference.\n";

static void print_report(const shift_report *r, bool json)
{
    const shift_row *s = &r->shift;
    if (json) {
        json_t *methods = json_object();
        for (int i = 0; i < r->ntotals; i++)
            json_object_set_new(methods, r->totals[i].method,
                                json_pack("{s:I, s:I}", "count", (json_int_t)r->totals[i].count, "amount",
                                          (json_int_t)r->totals[i].amount));
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:o, s:I, s:I, s:b}", "shift_id", (json_int_t)s->id, "cashier",
                              s->cashier, "unit", s->unit_code, "opened_at", s->opened_at, "opening_float",
                              (json_int_t)s->opening_float, "methods", methods, "postings", (json_int_t)r->postings,
                              "cash_total", (json_int_t)r->cash_total, "closed", s->closed);
        if (s->closed) {
            json_object_set_new(o, "closed_at", json_string(s->closed_at));
            json_object_set_new(o, "expected_cash", json_integer(s->expected_cash));
            json_object_set_new(o, "counted_cash", json_integer(s->counted_cash));
            json_object_set_new(o, "difference", json_integer(s->difference));
            if (s->note[0])
                json_object_set_new(o, "note", json_string(s->note));
        }
        char *text = json_dumps(o, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
        json_decref(o);
        return;
    }
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX], m3[MONEY_FMT_MAX];
    printf("shift %lld  %s at %s, opened %s, float %s\n", (long long)s->id, s->cashier, s->unit_code, s->opened_at,
           money_format(s->opening_float, true, m1));
    for (int i = 0; i < r->ntotals; i++)
        printf("  %-9s %5lld postings  %s\n", r->totals[i].method, (long long)r->totals[i].count,
               money_format(r->totals[i].amount, true, m1));
    if (s->closed)
        printf("closed %s: cash expected %s, counted %s, difference %s\n", s->closed_at,
               money_format(s->expected_cash, true, m1), money_format(s->counted_cash, true, m2),
               money_format(s->difference, true, m3));
    else
        printf("open: cash expected %s\n", money_format(s->opening_float + r->cash_total, true, m1));
}

static int shift_id_arg(const char *cmd, int npos, const char **pos, int64_t *id)
{
    if (npos != 1)
        return cli_usage_error(cmd, "expected the shift number");
    return cli_parse_int("shift", pos[0], 1, INT64_MAX, id) != 0 ? 2 : 0;
}

int cmd_shift(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(shift_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *cashier = NULL, *unit = NULL, *fl = NULL, *counted = NULL, *note = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--cashier", &cashier, NULL, NULL, NULL, 0}, {"--unit", &unit, NULL, NULL, NULL, 0},
                      {"--float", &fl, NULL, NULL, NULL, 0},        {"--counted", &counted, NULL, NULL, NULL, 0},
                      {"--note", &note, NULL, NULL, NULL, 0},       {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    char cmd[32];
    snprintf(cmd, sizeof cmd, "shift %s", argv[1]);
    if (strcmp(argv[1], "open") != 0 && strcmp(argv[1], "close") != 0 && strcmp(argv[1], "report") != 0)
        return cli_usage_error("shift", "unknown subcommand '%s'", argv[1]);
    if (cli_parse_opts(cmd, argc, argv, 2, opts, pos, 1, &npos) != 0)
        return 2;
    pc_err e = {0};
    money amount = 0;
    int64_t id = 0;
    if (strcmp(argv[1], "open") == 0) {
        if (npos || !cashier || !unit)
            return cli_usage_error(cmd, "--cashier NAME and --unit CODE are required");
        if (fl && money_parse(fl, &amount, &e) != 0)
            return cli_usage_error(cmd, "--float: %s", e.msg);
    } else {
        if (shift_id_arg(cmd, npos, pos, &id) != 0)
            return 2;
        if (strcmp(argv[1], "close") == 0) {
            if (!counted)
                return cli_usage_error(cmd, "--counted N (the cash in the drawer) is required");
            if (money_parse(counted, &amount, &e) != 0)
                return cli_usage_error(cmd, "--counted: %s", e.msg);
        }
    }
    db *d = cli_open_db();
    if (!d)
        return 1;
    shift_report r;
    int rc;
    if (strcmp(argv[1], "open") == 0) {
        memset(&r, 0, sizeof r);
        rc = shift_open(d, cli_actor, cashier, unit, amount, &r.shift, &e);
    } else if (strcmp(argv[1], "close") == 0) {
        rc = shift_close(d, cli_actor, id, amount, note, &r, &e);
    } else {
        rc = shift_report_get(d, id, &r, &e);
    }
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_report(&r, json);
    return 0;
}
