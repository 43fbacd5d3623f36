/* powercis dunning run|show|dispute and powercis orders list|done|cancel: payment notices, cut
 * and reconnection orders, billing disputes (DOMAIN 8, docs/dunning.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/dunning.h"
#include "base/date.h"
#include "base/money.h"
#include "cli/cli.h"

static const char dunning_usage[] =
    "usage: powercis dunning run [--date YYYY-MM-DD] [--scope CODE] [--json]\n"
    "       powercis dunning show CODE [--json]\n"
    "       powercis dunning dispute open|close SYMBOL/NUMBER --reason TEXT [--date YYYY-MM-DD] [--json]\n\n"
    "run: takes the dunning steps due on the date (default today) for every overdue invoice under\n"
    "the scope: notice 1 (due date + 1), notice 2 (due date + 5, at least 3 days after notice 1),\n"
    "a cut order for the customer (due date + 10); the days are set in [dunning] of the\n"
    "configuration. An invoice under an open billing dispute takes no step. A step is dated the day\n"
    "the run takes it and taken once: the same run twice changes nothing, a later run catches up.\n"
    "show: a customer's dunning case: open invoices with their steps, every dated step, work\n"
    "orders and disputes.\n"
    "dispute: opens or closes a billing dispute on an invoice (held back from dunning while open).\n";

static const char orders_usage[] =
    "usage: powercis orders list [--kind cut|reconnection] [--status open|done|cancelled] [--scope CODE] [--json]\n"
    "       powercis orders done ID [--date YYYY-MM-DD] [--note TEXT] [--json]\n"
    "       powercis orders cancel ID --reason TEXT [--date YYYY-MM-DD] [--json]\n\n"
    "Work orders for field crews. A cut order is created by `powercis dunning run`; carrying it out\n"
    "(`done`) disconnects the customer. When a customer disconnected for debt has paid every overdue\n"
    "invoice, a reconnection order with the reconnection fee is created at once; carrying it out\n"
    "reconnects the customer. Status changes are audited.\n";

static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(o);
}

static json_t *invoice_name(const char *symbol, int64_t number)
{
    if (!symbol[0])
        return json_null();
    char name[48];
    snprintf(name, sizeof name, "%s/%lld", symbol, (long long)number);
    return json_string(name);
}

static json_t *text_or_null(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

static json_t *order_json(const work_order_row *o)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o}", "id", (json_int_t)o->id, "kind", o->kind,
                     "customer_code", o->customer_code, "customer_name", o->customer_name, "unit", o->unit_code,
                     "created_date", o->created_date, "reason", o->reason, "fee", (json_int_t)o->fee, "status", o->status,
                     "status_date", o->status_date, "note", text_or_null(o->note));
}

static void order_line(const work_order_row *o)
{
    char m[MONEY_FMT_MAX];
    printf("%-6lld %-12s %-13s %-10s %-9s %-10s %12s  %s\n", (long long)o->id, o->kind, o->customer_code, o->created_date,
           o->status, o->status_date, o->fee ? money_format(o->fee, true, m) : "-", o->reason);
}

/* ---- dunning ---- */

static int run_cmd(int argc, char **argv)
{
    const char *date = NULL, *scope = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--date", &date, NULL, NULL, NULL, 0},
                      {"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("dunning run", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    char today[DATE_FMT_MAX];
    if (!date)
        date = date_format(date_today(cfg->utc_offset_minutes), today);
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    dunning_summary s;
    int rc = dunning_run(d, cli_actor, &cfg->dunning, date, scope, &s, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    char m[MONEY_FMT_MAX];
    if (json) {
        json_t *steps = json_array();
        for (int i = 0; i < s.ntaken; i++) {
            const dunning_taken *t = &s.taken[i];
            json_t *o = json_pack("{s:s, s:o, s:o, s:s, s:I}", "customer_code", t->customer_code, "invoice",
                                  invoice_name(t->symbol, t->number), "due_date", text_or_null(t->due_date), "step",
                                  t->step, "amount", (json_int_t)t->amount);
            if (t->order_id) {
                json_object_set_new(o, "order_id", json_integer(t->order_id));
                json_object_set_new(o, "order_created", json_boolean(t->order_created));
            }
            json_array_append_new(steps, o);
        }
        print_json(json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "date", s.date, "scope",
                             scope ? json_string(scope) : json_null(), "notices_1", (json_int_t)s.notices_1, "notices_2",
                             (json_int_t)s.notices_2, "cut_orders", (json_int_t)s.cut_orders, "cut_steps",
                             (json_int_t)s.cut_steps, "cut_orders_cancelled", (json_int_t)s.cut_orders_cancelled,
                             "reconnection_orders", (json_int_t)s.reconnection_orders,
                             "disputed", (json_int_t)s.disputed, "steps", steps));
    } else {
        printf("dunning run %s%s%s: %ld first notices, %ld second notices, %ld cut orders (%ld invoices), "
               "%ld cut orders cancelled, %ld reconnection orders; %ld overdue invoices held by a dispute\n",
               s.date, scope ? " in " : "", scope ? scope : "", s.notices_1, s.notices_2, s.cut_orders, s.cut_steps,
               s.cut_orders_cancelled, s.reconnection_orders, s.disputed);
        for (int i = 0; i < s.ntaken; i++) {
            const dunning_taken *t = &s.taken[i];
            char inv[48] = "-";
            if (t->symbol[0])
                snprintf(inv, sizeof inv, "%s/%lld", t->symbol, (long long)t->number);
            printf("  %-18s %-13s %-16s %12s", t->step, t->customer_code, inv, money_format(t->amount, true, m));
            if (t->order_id)
                printf("  order %lld%s", (long long)t->order_id, t->order_created ? " (new)" : "");
            printf("\n");
        }
    }
    dunning_summary_free(&s);
    return 0;
}

static int show_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("dunning show", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("dunning show", "expected the customer code");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    dunning_case c;
    int rc = dunning_case_get(d, pos[0], &c, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    char m[MONEY_FMT_MAX];
    if (json) {
        json_t *inv = json_array(), *steps = json_array(), *orders = json_array(), *disputes = json_array();
        for (int i = 0; i < c.ninvoices; i++) {
            const dunning_invoice *v = &c.invoices[i];
            json_array_append_new(inv, json_pack("{s:o, s:s, s:s, s:I, s:b, s:o, s:o, s:o}", "invoice",
                                                 invoice_name(v->symbol, v->number), "period", v->period, "due_date",
                                                 v->due_date, "open", (json_int_t)v->open, "disputed", v->disputed,
                                                 "notice_1", text_or_null(v->notice_1), "notice_2",
                                                 text_or_null(v->notice_2), "cut_order", text_or_null(v->cut_order)));
        }
        for (int i = 0; i < c.nsteps; i++) {
            const dunning_step_row *s = &c.steps[i];
            json_array_append_new(steps, json_pack("{s:s, s:s, s:o, s:o, s:I, s:s}", "date", s->step_date, "step", s->step,
                                                   "invoice", invoice_name(s->symbol, s->number), "order_id",
                                                   s->order_id ? json_integer(s->order_id) : json_null(), "amount",
                                                   (json_int_t)s->amount, "by", s->created_by));
        }
        for (int i = 0; i < c.norders; i++)
            json_array_append_new(orders, order_json(&c.orders[i]));
        for (int i = 0; i < c.ndisputes; i++) {
            const dispute_row *r = &c.disputes[i];
            json_array_append_new(disputes, json_pack("{s:o, s:s, s:s, s:s, s:s}", "invoice",
                                                      invoice_name(r->symbol, r->number), "event", r->event, "date",
                                                      r->event_date, "reason", r->reason, "by", r->created_by));
        }
        print_json(json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "customer_code", c.code, "name", c.name, "status",
                             c.status, "invoices", inv, "steps", steps, "orders", orders, "disputes", disputes));
    } else {
        printf("%s  %s  (%s)\n", c.code, c.name, c.status);
        if (c.ninvoices)
            printf("open invoices:\n");
        for (int i = 0; i < c.ninvoices; i++) {
            const dunning_invoice *v = &c.invoices[i];
            printf("  %s/%-6lld due %s  %12s  notice 1 %-10s  notice 2 %-10s  cut order %s%s\n", v->symbol,
                   (long long)v->number, v->due_date, money_format(v->open, true, m), v->notice_1[0] ? v->notice_1 : "-",
                   v->notice_2[0] ? v->notice_2 : "-", v->cut_order[0] ? v->cut_order : "-",
                   v->disputed ? "  (disputed)" : "");
        }
        if (c.nsteps)
            printf("steps:\n");
        for (int i = 0; i < c.nsteps; i++) {
            const dunning_step_row *s = &c.steps[i];
            char inv[48] = "";
            if (s->symbol[0])
                snprintf(inv, sizeof inv, "%s/%lld", s->symbol, (long long)s->number);
            printf("  %s  %-18s %s", s->step_date, s->step, inv);
            if (s->order_id)
                printf("%sorder %lld", inv[0] ? "  " : "", (long long)s->order_id);
            printf("\n");
        }
        if (c.norders)
            printf("work orders:\n");
        for (int i = 0; i < c.norders; i++) {
            printf("  ");
            order_line(&c.orders[i]);
        }
        if (c.ndisputes)
            printf("disputes:\n");
        for (int i = 0; i < c.ndisputes; i++)
            printf("  %s  %s/%lld  %-5s  %s\n", c.disputes[i].event_date, c.disputes[i].symbol,
                   (long long)c.disputes[i].number, c.disputes[i].event, c.disputes[i].reason);
    }
    dunning_case_free(&c);
    return 0;
}

static int dispute_cmd(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "open") != 0 && strcmp(argv[1], "close") != 0))
        return cli_usage_error("dunning dispute", "expected open or close");
    bool opening = strcmp(argv[1], "open") == 0;
    const char *reason = NULL, *date = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--reason", &reason, NULL, NULL, NULL, 0},
                      {"--date", &date, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("dunning dispute", argc, argv, 2, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("dunning dispute", "expected the invoice as SYMBOL/NUMBER");
    if (!reason || !reason[0])
        return cli_usage_error("dunning dispute", "--reason is required");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    dispute_row r;
    int rc = opening ? dispute_open(d, cli_actor, pos[0], reason, date, cfg->utc_offset_minutes, &r, &e)
                     : dispute_close(d, cli_actor, pos[0], reason, date, cfg->utc_offset_minutes, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r.id, "invoice", pos[0], "event", r.event,
                             "date", r.event_date, "reason", r.reason));
    else
        printf("dispute on %s %s on %s: %s\n", pos[0], opening ? "opened" : "closed", r.event_date, r.reason);
    return 0;
}

int cmd_dunning(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(dunning_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "run") == 0)
        return run_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return show_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "dispute") == 0)
        return dispute_cmd(argc - 1, argv + 1);
    return cli_usage_error("dunning", "unknown subcommand '%s'", argv[1]);
}

/* ---- orders ---- */

typedef struct {
    bool json;
    json_t *list;
    long n;
} list_ctx;

static int list_order(void *ctx, const work_order_row *o)
{
    list_ctx *x = ctx;
    x->n++;
    if (x->json)
        json_array_append_new(x->list, order_json(o));
    else
        order_line(o);
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    const char *kind = NULL, *status = NULL, *scope = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--kind", &kind, NULL, NULL, NULL, 0},
                      {"--status", &status, NULL, NULL, NULL, 0},
                      {"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("orders list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    list_ctx x = {json, json ? json_array() : NULL, 0};
    if (!json)
        printf("%-6s %-12s %-13s %-10s %-9s %-10s %12s  %s\n", "id", "kind", "customer", "created", "status", "since",
               "fee", "reason");
    int rc = work_orders_list(d, kind, status, scope, list_order, &x, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(x.list);
        return cli_fail(&e);
    }
    if (json)
        print_json(x.list);
    return 0;
}

static int finish_cmd(int argc, char **argv, bool done)
{
    const char *cmd = done ? "orders done" : "orders cancel";
    const char *date = NULL, *note = NULL, *reason = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--date", &date, NULL, NULL, NULL, 0},
                      {done ? "--note" : "--reason", done ? &note : &reason, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts(cmd, argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error(cmd, "expected the work order's id");
    if (!done && (!reason || !reason[0]))
        return cli_usage_error(cmd, "--reason is required");
    int64_t id;
    if (cli_parse_int("order id", pos[0], 1, INT64_MAX, &id) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    work_order_row o;
    int rc = done ? work_order_done(d, cli_actor, id, date, note, cfg->utc_offset_minutes, &o, &e)
                  : work_order_cancel(d, cli_actor, id, date, reason, cfg->utc_offset_minutes, &o, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(order_json(&o));
    else
        printf("%s order %lld for %s: %s on %s\n", o.kind, (long long)o.id, o.customer_code, o.status, o.status_date);
    return 0;
}

int cmd_orders(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(orders_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "done") == 0)
        return finish_cmd(argc - 1, argv + 1, true);
    if (strcmp(argv[1], "cancel") == 0)
        return finish_cmd(argc - 1, argv + 1, false);
    return cli_usage_error("orders", "unknown subcommand '%s'", argv[1]);
}
