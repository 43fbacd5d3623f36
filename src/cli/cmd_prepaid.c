/* powercis prepaid charge|enable|disable|statement|list|balance: prepaid customers (issue 10,
 * DOMAIN 12, docs/prepaid.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/prepaid.h"
#include "base/date.h"
#include "base/money.h"
#include "cli/cli.h"

static const char prepaid_usage[] =
    "usage: powercis prepaid charge --date YYYY-MM-DD [--customer CODE] [--json]\n"
    "       powercis prepaid enable --customer CODE --date YYYY-MM-DD [--reason TEXT] [--json]\n"
    "       powercis prepaid disable --customer CODE --date YYYY-MM-DD [--reason TEXT] [--json]\n"
    "       powercis prepaid statement --customer CODE --month YYYY-MM [--format text|json|csv]\n"
    "       powercis prepaid list [--scope CODE] [--low] [--limit N] [--json]\n"
    "       powercis prepaid balance --customer CODE [--limit N] [--json]\n\n"
    "charge: the daily charge of every prepaid customer for the date: the month-to-date bill of the\n"
    "month-to-date automatic reads (tier quotas prorated to the days elapsed, VAT as on the monthly\n"
    "invoice) less the month's earlier charges, so a month's charges add up to its monthly bill.\n"
    "Sends the low-balance SMS once per crossing under [prepaid] low_balance and makes a cut order\n"
    "when a balance has stayed below zero for [prepaid] grace_days. Safe to repeat.\n"
    "enable: the customer is prepaid from the date (no open invoice, no unbilled read before it;\n"
    "customer credit becomes the opening balance). disable: postpaid from the date (the last\n"
    "prepaid day is charged; a balance below zero is refused; a positive one becomes credit).\n"
    "Top-ups are payments (pay post, counter, partners, collection files); a reversal takes them\n"
    "back. statement: opening balance, top-ups, daily charges and closing balance of a month.\n";

static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(o);
}

static json_t *text_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

static int charge_cmd(int argc, char **argv)
{
    const char *date = NULL, *code = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--date", &date, NULL, NULL, NULL, 0},
                      {"--customer", &code, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("prepaid charge", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!date)
        return cli_usage_error("prepaid charge", "--date YYYY-MM-DD is required");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    tariff_set *t = malloc(sizeof *t);
    if (!t || cli_load_tariffs(d, t) != 0) {
        free(t);
        db_close(d);
        return 1;
    }
    pc_err e = {0};
    prepaid_run_summary s;
    int rc = prepaid_charge_run(d, cli_actor, cfg, t, date, code, &s, &e);
    free(t);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json) {
        json_t *ev = json_array();
        for (int i = 0; i < s.nevents; i++) {
            const prepaid_event *v = &s.events[i];
            json_t *o = json_pack("{s:s, s:s, s:I, s:o}", "customer_code", v->customer_code, "event", v->what, "balance",
                                  (json_int_t)v->balance, "message", text_or_null(v->message));
            if (v->order_id)
                json_object_set_new(o, "order_id", json_integer(v->order_id));
            json_array_append_new(ev, o);
        }
        print_json(json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:o}", "date", s.date,
                             "caught_up", text_or_null(s.caught_up), "accounts", (json_int_t)s.accounts, "skipped",
                             (json_int_t)s.skipped, "errors", (json_int_t)s.errors, "kwh", (json_int_t)s.kwh, "amount",
                             (json_int_t)s.amount, "below_zero", (json_int_t)s.below_zero, "low_notices",
                             (json_int_t)s.low_notices, "no_phone", (json_int_t)s.no_phone, "cut_orders",
                             (json_int_t)s.cut_orders, "seconds", s.seconds, "events", ev));
    } else {
        char m[MONEY_FMT_MAX];
        if (s.caught_up[0])
            printf("caught up %s first\n", s.caught_up);
        printf("%s: %ld account(s) charged %s for %lld kWh (%ld already charged, %ld error(s)); %ld below zero, "
               "%ld low-balance message(s), %ld cut order(s)\n",
               s.date, s.accounts, money_format(s.amount, true, m), (long long)s.kwh, s.skipped, s.errors, s.below_zero,
               s.low_notices, s.cut_orders);
        for (int i = 0; i < s.nevents; i++)
            printf("  %-13s %-12s %s\n", s.events[i].customer_code, s.events[i].what, s.events[i].message);
    }
    int status = s.errors > 0 ? 1 : 0;
    prepaid_run_summary_free(&s);
    return status;
}

static int switch_cmd(int argc, char **argv, bool enable)
{
    const char *date = NULL, *code = NULL, *reason = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    const char *name = enable ? "prepaid enable" : "prepaid disable";
    cli_opt opts[] = {{"--date", &date, NULL, NULL, NULL, 0},
                      {"--customer", &code, NULL, NULL, NULL, 0},
                      {"--reason", &reason, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts(name, argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!code || !date)
        return cli_usage_error(name, "--customer CODE and --date YYYY-MM-DD are required");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    prepaid_switch_result r;
    int rc;
    if (enable) {
        rc = prepaid_enable(d, cli_actor, code, date, reason, &r, &e);
    } else {
        tariff_set *t = malloc(sizeof *t);
        if (!t || cli_load_tariffs(d, t) != 0) {
            free(t);
            db_close(d);
            return 1;
        }
        rc = prepaid_disable(d, cli_actor, cfg, t, code, date, reason, &r, &e);
        free(t);
    }
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json) {
        print_json(json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "customer_code", r.code, "payment_mode",
                             enable ? "prepaid" : "postpaid", "date", r.date, "balance", (json_int_t)r.balance,
                             enable ? "credit_moved" : "credit", (json_int_t)r.credit_moved, "final_charge",
                             (json_int_t)r.final_charge));
    } else {
        char m[MONEY_FMT_MAX], m2[MONEY_FMT_MAX];
        if (enable)
            printf("%s is prepaid from %s; opening balance %s (customer credit brought in)\n", r.code, r.date,
                   money_format(r.balance, true, m));
        else
            printf("%s is postpaid from %s; %s of balance became customer credit (final charge %s)\n", r.code, r.date,
                   money_format(r.credit_moved, true, m), money_format(r.final_charge, true, m2));
    }
    return 0;
}

static void csv_text(const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static int statement_cmd(int argc, char **argv)
{
    const char *code = NULL, *month = NULL, *format = "text";
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--customer", &code, NULL, NULL, NULL, 0},
                      {"--month", &month, NULL, NULL, NULL, 0},
                      {"--format", &format, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("prepaid statement", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!code || !month)
        return cli_usage_error("prepaid statement", "--customer CODE and --month YYYY-MM are required");
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv"))
        return cli_usage_error("prepaid statement", "--format '%s': expected text, json or csv", format);
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    prepaid_statement s;
    int rc = prepaid_statement_get(d, code, month, &s, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (strcmp(format, "json") == 0) {
        print_json(prepaid_statement_json(&s));
    } else if (strcmp(format, "csv") == 0) {
        printf("date,kind,amount,balance,kwh_day,kwh_mtd,receipt_no,note\n");
        printf("%s-01,opening_balance,,%lld,,,,\n", s.month, (long long)s.opening);
        for (int i = 0; i < s.nrows; i++) {
            const prepaid_entry *r = &s.rows[i];
            bool charge = strcmp(r->kind, "charge") == 0;
            printf("%s,%s,%lld,%lld,", r->entry_date, r->kind, (long long)r->amount, (long long)r->balance);
            if (charge)
                printf("%lld,%lld", (long long)r->kwh_day, (long long)r->kwh_mtd);
            else
                printf(",");
            printf(",%s,", r->receipt_no);
            csv_text(r->note);
            printf("\n");
        }
        civil_month m;
        month_parse(s.month, &m, NULL);
        char last[DATE_FMT_MAX];
        printf("%s,closing_balance,,%lld,,,,\n", date_format(month_last_day(m), last), (long long)s.closing);
    } else {
        char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], c[MONEY_FMT_MAX], dd[MONEY_FMT_MAX];
        printf("Prepaid statement %s  %s  %s\n", s.month, s.code, s.name);
        printf("opening balance %s\n", money_format(s.opening, true, a));
        for (int i = 0; i < s.nrows; i++) {
            const prepaid_entry *r = &s.rows[i];
            printf("  %s %-10s %14s  balance %14s  %s\n", r->entry_date, r->kind, money_format(r->amount, true, a),
                   money_format(r->balance, true, b), r->receipt_no[0] ? r->receipt_no : r->note);
        }
        printf("top-ups %s, reversals %s, charges %s for %lld kWh\n", money_format(s.topups, true, a),
               money_format(s.reversals, true, b), money_format(s.charges, true, c), (long long)s.kwh);
        printf("closing balance %s\n", money_format(s.closing, true, dd));
    }
    prepaid_statement_free(&s);
    return 0;
}

typedef struct {
    json_t *arr;
} list_ctx;

static int list_row(void *ctx, const prepaid_list_row *r)
{
    list_ctx *x = ctx;
    if (x->arr) {
        json_array_append_new(x->arr, prepaid_list_row_json(r));
    } else {
        char m[MONEY_FMT_MAX];
        printf("%-13s %14s  %-12s %-10s %s\n", r->code, money_format(r->a.balance, true, m), r->status,
               r->a.below_zero_since[0] ? r->a.below_zero_since : "-", r->name);
    }
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    const char *scope = NULL, *limit_s = NULL;
    bool low = false, json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--limit", &limit_s, NULL, NULL, NULL, 0},
                      {"--low", NULL, &low, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("prepaid list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    int64_t limit = 0;
    if (limit_s && cli_parse_int("--limit", limit_s, 1, 1000000, &limit) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    list_ctx x = {json ? json_array() : NULL};
    int rc = prepaid_list(d, cfg, scope, low, (long)limit, list_row, &x, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(x.arr);
        return cli_fail(&e);
    }
    if (json)
        print_json(x.arr);
    return 0;
}

static int balance_cmd(int argc, char **argv)
{
    const char *code = NULL, *limit_s = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--customer", &code, NULL, NULL, NULL, 0},
                      {"--limit", &limit_s, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("prepaid balance", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!code)
        return cli_usage_error("prepaid balance", "--customer CODE is required");
    int64_t limit = 20;
    if (limit_s && cli_parse_int("--limit", limit_s, 1, 100000, &limit) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    prepaid_balance_view v;
    int rc = prepaid_balance_get(d, code, (int)limit, &v, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json) {
        print_json(prepaid_balance_json(&v));
    } else {
        char m[MONEY_FMT_MAX];
        printf("%s %s: balance %s (%s since %s)\n", v.code, v.name, money_format(v.a.balance, true, m),
               v.a.active ? "prepaid" : "no longer prepaid", v.a.since);
        for (int i = 0; i < v.nrows; i++)
            printf("  %s %-10s %14s  %s\n", v.rows[i].entry_date, v.rows[i].kind,
                   money_format(v.rows[i].amount, true, m), v.rows[i].receipt_no);
    }
    prepaid_balance_free(&v);
    return 0;
}

int cmd_prepaid(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(prepaid_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "charge") == 0)
        return charge_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "enable") == 0)
        return switch_cmd(argc - 1, argv + 1, true);
    if (strcmp(sub, "disable") == 0)
        return switch_cmd(argc - 1, argv + 1, false);
    if (strcmp(sub, "statement") == 0)
        return statement_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "balance") == 0)
        return balance_cmd(argc - 1, argv + 1);
    return cli_usage_error("prepaid", "unknown subcommand '%s'", sub);
}
