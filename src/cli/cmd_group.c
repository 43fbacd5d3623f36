/* powercis group attach|report: the group's view over the corporations' own databases. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/group.h"
#include "base/money.h"
#include "cli/cli.h"

static const char group_usage[] =
    "usage: powercis --db postgresql://…/group group attach CODE URL\n"
    "       powercis --db postgresql://…/group group report [--period YYYY-MM] [--json]\n\n"
    "A group database (PostgreSQL) reads each corporation's unit summaries (customers, and invoices\n"
    "by period) from the corporation's own database through postgres_fdw. attach makes CODE's\n"
    "database (URL, e.g. postgresql://reader@db-pa/powercis_pa) part of the group; report prints\n"
    "one line per corporation and the group's total, which is their sum.\n";

typedef struct {
    json_t *arr;
    group_row total;
} report_ctx;

static void print_row(const group_row *r)
{
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX];
    char m3[MONEY_FMT_MAX], m4[MONEY_FMT_MAX];
    printf("%-8s %10lld %10lld %14lld  %22s  %22s  %22s  %22s\n", r->corporation, (long long)r->customers,
           (long long)r->invoices, (long long)r->kwh, money_format(r->energy, true, m1), money_format(r->total, true, m2),
           money_format(r->debt, true, m3), money_format(r->bad_debt, true, m4));
}

static json_t *row_json(const group_row *r)
{
    json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "corporation", r->corporation, "customers",
                          (json_int_t)r->customers, "invoices", (json_int_t)r->invoices, "kwh", (json_int_t)r->kwh,
                          "energy", (json_int_t)r->energy, "vat", (json_int_t)r->vat, "total", (json_int_t)r->total);
    json_object_set_new(o, "debt", json_pack("{s:I, s:I, s:I, s:I}", "open", (json_int_t)r->debt, "overdue",
                                             (json_int_t)r->overdue, "bad", (json_int_t)r->bad_debt, "ge_3y",
                                             (json_int_t)r->ge_3y));
    return o;
}

static int on_row(void *ctx, const group_row *r)
{
    report_ctx *x = ctx;
    x->total.customers += r->customers;
    x->total.invoices += r->invoices;
    x->total.kwh += r->kwh;
    x->total.energy += r->energy;
    x->total.vat += r->vat;
    x->total.total += r->total;
    x->total.debt += r->debt;
    x->total.overdue += r->overdue;
    x->total.bad_debt += r->bad_debt;
    x->total.ge_3y += r->ge_3y;
    if (x->arr)
        json_array_append_new(x->arr, row_json(r));
    else
        print_row(r);
    return 0;
}

int cmd_group(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(group_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    pc_err e = {0};
    if (strcmp(argv[1], "attach") == 0) {
        if (argc != 4)
            return cli_usage_error("group attach", "expected CODE and URL");
        db *d = cli_open_db();
        if (!d)
            return 1;
        int rc = group_attach_corporation(d, cli_actor, argv[2], argv[3], &e);
        db_close(d);
        if (rc != 0)
            return cli_fail(&e);
        printf("attached corporation %s\n", argv[2]);
        return 0;
    }
    if (strcmp(argv[1], "report") != 0)
        return cli_usage_error("group", "unknown subcommand '%s'", argv[1]);
    const char *period = NULL;
    int json = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--period") == 0 && i + 1 < argc) {
            civil_month m;
            period = argv[++i];
            if (month_parse(period, &m, &e) != 0)
                return cli_usage_error("group report", "--period: %s", e.msg);
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else {
            return cli_usage_error("group report", "unexpected argument '%s'", argv[i]);
        }
    }
    db *d = cli_open_db();
    if (!d)
        return 1;
    report_ctx x = {json ? json_array() : NULL, {.corporation = "total"}};
    if (!json)
        printf("%-8s %10s %10s %14s  %22s  %22s  %22s  %22s\n", "corp.", "customers", "invoices", "kWh", "energy",
               "total", "debt now", "bad debt (3 m+)");
    int rc = group_report(d, period, on_row, &x, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(x.arr);
        return cli_fail(&e);
    }
    if (json) {
        json_t *t = row_json(&x.total);
        json_object_del(t, "corporation");
        json_t *o = json_pack("{s:s?, s:o, s:o}", "period", period, "corporations", x.arr, "total", t);
        char *s = json_dumps(o, JSON_INDENT(2));
        puts(s);
        free(s);
        json_decref(o);
    } else {
        print_row(&x.total);
    }
    return 0;
}
