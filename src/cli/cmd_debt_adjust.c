/* powercis debt adjust / debt adjustments: posting and listing adjustments of a customer's debt
 * (DOMAIN 9; docs/adjustments.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/adjustments.h"
#include "cli/cli.h"

static const char adjust_usage[] =
    "usage: powercis debt adjust CUSTOMER (--invoice SYMBOL/NUMBER | --invoice-id N)\n"
    "                            --kind correction|write-off|transfer|reclassification --amount N --reason TEXT\n"
    "                            [--to CUSTOMER] [--to-invoice SYMBOL/NUMBER | --to-invoice-id N]\n"
    "                            [--approval TEXT] [--doc ID] [--date YYYY-MM-DD] [--ref TEXT] [--json]\n"
    "       powercis debt adjustments [CUSTOMER] [--scope CODE] [--from D] [--to-date D] [--json]\n\n"
    "adjust: an audited posting on the customer's invoice, never an edit. correction: a signed\n"
    "amount (+ raises what is owed, - lowers it); write-off: the amount written off, with\n"
    "--approval (the decision's number, the approver); transfer: the amount moves to --to CUSTOMER,\n"
    "as a receivable of symbol TRANSFER that keeps the original's dates; reclassification: the\n"
    "amount moves to --to-invoice of the same customer. A decrease never exceeds what is open. The\n"
    "date (default today) is not in the future, not before the invoice's issue, and not in a\n"
    "locked period. --ref makes it idempotent: the same reference with the same content returns\n"
    "the first adjustment; with other content it is refused.\n"
    "adjustments: the adjustments of a customer or a scope, by date.\n";

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

static json_t *row_json(const adjustment_row *r)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:s, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "kind",
                          r->kind, "customer_code", r->customer_code, "unit", r->unit_code, "invoice",
                          invoice_name(r->symbol, r->number), "invoice_id", (json_int_t)r->invoice_id, "period", r->period,
                          "amount", (json_int_t)r->amount, "date", r->adj_date, "reason", r->reason, "created_at",
                          r->created_at, "created_by", r->created_by);
    json_object_set_new(o, "pair_id", r->pair_id ? json_integer(r->pair_id) : json_null());
    json_object_set_new(o, "approval", r->approval[0] ? json_string(r->approval) : json_null());
    json_object_set_new(o, "document_id", r->document_id ? json_integer(r->document_id) : json_null());
    return o;
}

static void print_result(const adjustment_result *r, bool json)
{
    const adjustment_row *first = &r->rows[0];
    if (json) {
        json_t *rows = json_array();
        for (int i = 0; i < r->nrows; i++) {
            json_t *o = row_json(&r->rows[i]);
            json_object_set_new(o, "invoice_open", json_integer(r->invoice_open[i]));
            json_object_set_new(o, "customer_open", json_integer(r->customer_open[i]));
            json_array_append_new(rows, o);
        }
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b, s:o}", "adjustment_id", (json_int_t)first->id, "kind", first->kind,
                              "date", first->adj_date, "reason", first->reason, "repeated", r->repeated, "rows", rows);
        json_object_set_new(o, "pair_id", first->pair_id ? json_integer(first->pair_id) : json_null());
        json_object_set_new(o, "approval", first->approval[0] ? json_string(first->approval) : json_null());
        json_object_set_new(o, "document_id", first->document_id ? json_integer(first->document_id) : json_null());
        print_json(o);
        return;
    }
    printf("%sadjustment %lld: %s dated %s\n", r->repeated ? "already posted: " : "", (long long)first->id, first->kind,
           first->adj_date);
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX], m3[MONEY_FMT_MAX];
    for (int i = 0; i < r->nrows; i++) {
        const adjustment_row *x = &r->rows[i];
        printf("  %s %s/%lld %s%s: open now %s; the customer owes %s\n", x->customer_code, x->symbol,
               (long long)x->number, x->amount > 0 ? "+" : "", money_format(x->amount, true, m1),
               money_format(r->invoice_open[i], true, m2), money_format(r->customer_open[i], true, m3));
    }
    printf("  reason: %s\n", first->reason);
    if (first->approval[0])
        printf("  approval: %s\n", first->approval);
    if (first->document_id)
        printf("  document: %lld\n", (long long)first->document_id);
}

static int adjust_cmd(int argc, char **argv)
{
    const char *invoice = NULL, *invoice_id = NULL, *kind = NULL, *amount = NULL, *reason = NULL, *to = NULL,
               *to_invoice = NULL, *to_invoice_id = NULL, *approval = NULL, *doc = NULL, *date = NULL, *ref = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--invoice", &invoice, NULL, NULL, NULL, 0},
                      {"--invoice-id", &invoice_id, NULL, NULL, NULL, 0},
                      {"--kind", &kind, NULL, NULL, NULL, 0},
                      {"--amount", &amount, NULL, NULL, NULL, 0},
                      {"--reason", &reason, NULL, NULL, NULL, 0},
                      {"--to", &to, NULL, NULL, NULL, 0},
                      {"--to-invoice", &to_invoice, NULL, NULL, NULL, 0},
                      {"--to-invoice-id", &to_invoice_id, NULL, NULL, NULL, 0},
                      {"--approval", &approval, NULL, NULL, NULL, 0},
                      {"--doc", &doc, NULL, NULL, NULL, 0},
                      {"--date", &date, NULL, NULL, NULL, 0},
                      {"--ref", &ref, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("debt adjust", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("debt adjust", "expected the customer code");
    if (!kind)
        return cli_usage_error("debt adjust", "--kind is required (correction, write-off, transfer, reclassification)");
    if (!amount)
        return cli_usage_error("debt adjust", "--amount is required");
    if (!reason || !reason[0])
        return cli_usage_error("debt adjust", "--reason is required");
    pc_err e = {0};
    adjustment_request q = {.customer_code = pos[0], .invoice = invoice, .kind = kind, .reason = reason,
                            .to_customer = to, .to_invoice = to_invoice, .approval = approval, .date = date, .ref = ref};
    if (money_parse(amount, &q.amount, &e) != 0)
        return cli_usage_error("debt adjust", "--amount: %s", e.msg);
    int64_t n;
    if (invoice_id) {
        if (cli_parse_int("--invoice-id", invoice_id, 1, INT64_MAX, &n) != 0)
            return 2;
        q.invoice_id = n;
    }
    if (to_invoice_id) {
        if (cli_parse_int("--to-invoice-id", to_invoice_id, 1, INT64_MAX, &n) != 0)
            return 2;
        q.to_invoice_id = n;
    }
    if (doc) {
        if (cli_parse_int("--doc", doc, 1, INT64_MAX, &n) != 0)
            return 2;
        q.document_id = n;
    }
    if (adjustment_request_check(&q, &e) != 0)
        return cli_usage_error("debt adjust", "%s", e.msg);
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    adjustment_result r;
    int rc = adjustment_post(d, cli_actor, cfg->utc_offset_minutes, &q, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_result(&r, json);
    return 0;
}

typedef struct {
    bool json;
    json_t *rows;
    long count;
    money total;
} list_ctx;

static int list_row(void *ctx, const adjustment_row *r)
{
    list_ctx *l = ctx;
    l->count++;
    l->total += r->amount;
    if (l->json) {
        json_array_append_new(l->rows, row_json(r));
        return 0;
    }
    char m[MONEY_FMT_MAX], name[40];
    snprintf(name, sizeof name, "%s/%lld", r->symbol, (long long)r->number);
    printf("%6lld  %s  %-16s %-14s %-18s %16s", (long long)r->id, r->adj_date, r->kind, r->customer_code, name,
           money_format(r->amount, true, m));
    if (r->pair_id)
        printf("  pair %lld", (long long)r->pair_id);
    printf("  %s", r->reason);
    if (r->approval[0])
        printf("  [approval: %s]", r->approval);
    if (r->document_id)
        printf("  [document %lld]", (long long)r->document_id);
    putchar('\n');
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    const char *scope = NULL, *from = NULL, *to = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--from", &from, NULL, NULL, NULL, 0},
                      {"--to-date", &to, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("debt adjustments", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    list_ctx l = {.json = json, .rows = json ? json_array() : NULL};
    int rc = adjustments_list(d, npos ? pos[0] : NULL, scope, from, to, list_row, &l, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(l.rows);
        return cli_fail(&e);
    }
    if (json) {
        print_json(json_pack("{s:o, s:I, s:I}", "adjustments", l.rows, "count", (json_int_t)l.count, "total",
                             (json_int_t)l.total));
    } else {
        char m[MONEY_FMT_MAX];
        printf("%ld adjustment rows, net %s\n", l.count, money_format(l.total, true, m));
    }
    return 0;
}

int cmd_debt_adjust(int argc, char **argv)
{
    bool list = strcmp(argv[0], "adjustments") == 0;
    if (cli_wants_help(argc, argv) || (!list && argc < 2)) {
        fputs(adjust_usage, argc < 2 && !list ? stderr : stdout);
        return argc < 2 && !list ? 2 : 0;
    }
    return list ? list_cmd(argc, argv) : adjust_cmd(argc, argv);
}
