/* powercis pay open|post|reverse|import: collecting money (DOMAIN 7). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/customers.h"
#include "app/payments.h"
#include "cli/cli.h"

static const char pay_usage[] =
    "usage: powercis pay open CODE|PHONE|WORDS... [--json]\n"
    "       powercis pay post CODE --amount N (--shift ID [--method cash|card] | --partner P --ref R)\n"
    "                         [--ref R] [--paid-at 'YYYY-MM-DD HH:MM'] [--invoice SYMBOL/NUMBER]...\n"
    "                         [--method transfer|qr|partner] [--json]\n"
    "       powercis pay reverse (--partner P | --counter) --ref R --reason TEXT [--reversal-ref R2]\n"
    "                            [--date YYYY-MM-DD] [--shift ID] [--json]\n"
    "       powercis pay import FILE.csv [--json]\n\n"
    "open: the customer's open invoices, oldest due date first, and the total owed; the customer\n"
    "is found by a scanned code, a phone number or words of the name and address (several\n"
    "matches: the list to choose from, with `matches` in JSON).\n"
    "post: a payment clears the open invoices oldest due date first (or the invoices named with\n"
    "--invoice); what is left over becomes credit used by the next invoices. At the counter it\n"
    "belongs to the cashier's open shift (`powercis shift open`); from a partner it carries the\n"
    "partner's transaction reference. The key (counter or partner, --ref) makes a posting\n"
    "idempotent: the same key with the same content returns the first posting and changes nothing;\n"
    "with other content it is refused. Exit status 0 when posted or repeated.\n"
    "reverse: a new negative posting that reopens exactly what the payment cleared; a partner\n"
    "reverses on the payment's day only.\n"
    "import: a collection file `partner,txn_ref,customer_code,amount,paid_at[,invoice_no]`\n"
    "(docs/formats.md), all lines or none; the same file twice changes nothing.\n";

static json_t *payment_json(const payment_result *r)
{
    const payment_row *p = &r->p;
    json_t *alloc = json_array();
    for (int i = 0; i < p->nalloc; i++)
        json_array_append_new(alloc, json_pack("{s:s, s:I, s:s, s:I}", "invoice_symbol", p->alloc[i].symbol, "invoice_number",
                                               (json_int_t)p->alloc[i].number, "period", p->alloc[i].period, "amount",
                                               (json_int_t)p->alloc[i].amount));
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:I, s:I, s:I, s:b}", "payment_id",
                          (json_int_t)p->id, "receipt_no", p->receipt_no, "customer_code", p->customer_code, "channel",
                          p->channel, "method", p->method, "source", p->source, "ext_ref", p->ext_ref, "amount",
                          (json_int_t)p->amount, "paid_at", p->paid_at, "paid_date", p->paid_date, "allocations", alloc,
                          "excess", (json_int_t)p->excess, "credit_balance", (json_int_t)r->credit_balance, "open_total",
                          (json_int_t)r->open_total, "repeated", r->repeated);
    if (p->reverses_id)
        json_object_set_new(o, "reverses_id", json_integer(p->reverses_id));
    if (p->shift_id)
        json_object_set_new(o, "shift_id", json_integer(p->shift_id));
    return o;
}

static void print_payment(const payment_result *r, bool json)
{
    if (json) {
        json_t *o = payment_json(r);
        char *text = json_dumps(o, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
        json_decref(o);
        return;
    }
    const payment_row *p = &r->p;
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX], m3[MONEY_FMT_MAX];
    printf("%s%s %s %s: %s %s/%s %s\n", r->repeated ? "already posted: " : "", p->reverses_id ? "reversal" : "payment",
           p->receipt_no, p->customer_code, money_format(p->amount, true, m1), p->source, p->ext_ref, p->paid_at);
    for (int i = 0; i < p->nalloc; i++)
        printf("  %s/%lld  %s  %s\n", p->alloc[i].symbol, (long long)p->alloc[i].number, p->alloc[i].period,
               money_format(p->alloc[i].amount, true, m1));
    if (p->excess)
        printf("  credit %s\n", money_format(p->excess, true, m1));
    printf("still owed %s; credit %s\n", money_format(r->open_total, true, m2), money_format(r->credit_balance, true, m3));
}

typedef struct {
    customer_hit hits[20];
    int n;
} hit_list;

static int keep_hit(void *ctx, const customer_hit *h)
{
    hit_list *l = ctx;
    if (l->n < 20)
        l->hits[l->n++] = *h;
    return 0;
}

static int open_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[8];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("pay open", argc, argv, 1, opts, pos, 8, &npos) != 0)
        return 2;
    if (npos < 1)
        return cli_usage_error("pay open", "expected a customer code, a phone number or name/address words");
    char query[512] = "";
    for (int i = 0; i < npos; i++)
        snprintf(query + strlen(query), sizeof query - strlen(query), "%s%s", i ? " " : "", pos[i]);
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    /* What the cashier scanned or typed: a code, a phone, or words of the name and address. One
     * customer found: its account; several: the list to choose from (by code). */
    hit_list hits = {.n = 0};
    search_kind kind;
    int rc = customer_search(d, query, NULL, 20, &kind, keep_hit, &hits, &e);
    if (rc == 0 && hits.n == 0)
        rc = pc_errf(&e, PC_ENOTFOUND, "no customer found for '%s'", query);
    if (rc == 0 && hits.n > 1) {
        db_close(d);
        if (json) {
            json_t *arr = json_array();
            for (int i = 0; i < hits.n; i++)
                json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "customer_code", hits.hits[i].code, "name",
                                                     hits.hits[i].name, "address", hits.hits[i].address, "unit",
                                                     hits.hits[i].unit));
            json_t *o = json_pack("{s:s, s:o}", "query", query, "matches", arr);
            char *text = json_dumps(o, JSON_COMPACT);
            printf("%s\n", text);
            free(text);
            json_decref(o);
        } else {
            printf("%d customers match '%s'; give the code:\n", hits.n, query);
            for (int i = 0; i < hits.n; i++)
                printf("  %s  %s, %s (%s)\n", hits.hits[i].code, hits.hits[i].name, hits.hits[i].address, hits.hits[i].unit);
        }
        return 0;
    }
    open_account a;
    if (rc == 0)
        rc = account_open(d, hits.hits[0].code, &a, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    char m[MONEY_FMT_MAX];
    if (json) {
        json_t *bills = json_array();
        for (int i = 0; i < a.nbills; i++)
            json_array_append_new(bills, json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:I}", "invoice_symbol", a.bills[i].symbol,
                                                   "invoice_number", (json_int_t)a.bills[i].number, "period", a.bills[i].period,
                                                   "issue_date", a.bills[i].issue_date, "due_date", a.bills[i].due_date,
                                                   "total", (json_int_t)a.bills[i].total, "open", (json_int_t)a.bills[i].open));
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:I}", "customer_code", a.customer.code, "name",
                              a.customer.name, "address", a.customer.address, "unit", a.customer.unit_code, "status",
                              a.customer.status, "invoices", bills, "total", (json_int_t)a.total, "credit",
                              (json_int_t)a.credit);
        char *text = json_dumps(o, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
        json_decref(o);
    } else {
        printf("%s  %s\n%s\n", a.customer.code, a.customer.name, a.customer.address);
        for (int i = 0; i < a.nbills; i++)
            printf("  %s/%-6lld %s  due %s  %s\n", a.bills[i].symbol, (long long)a.bills[i].number, a.bills[i].period,
                   a.bills[i].due_date, money_format(a.bills[i].open, true, m));
        printf("total owed %s", money_format(a.total, true, m));
        printf("; credit %s\n", money_format(a.credit, true, m));
    }
    account_free(&a);
    return 0;
}

static int post_cmd(int argc, char **argv)
{
    const char *amount = NULL, *shift = NULL, *partner = NULL, *ref = NULL, *paid_at = NULL, *method = NULL;
    const char *invoices[PAYMENT_MAX_NAMED];
    int ninvoices = 0;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--amount", &amount, NULL, NULL, NULL, 0},
                      {"--shift", &shift, NULL, NULL, NULL, 0},
                      {"--partner", &partner, NULL, NULL, NULL, 0},
                      {"--ref", &ref, NULL, NULL, NULL, 0},
                      {"--paid-at", &paid_at, NULL, NULL, NULL, 0},
                      {"--method", &method, NULL, NULL, NULL, 0},
                      {"--invoice", NULL, NULL, invoices, &ninvoices, PAYMENT_MAX_NAMED},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("pay post", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("pay post", "expected the customer code");
    if (!amount)
        return cli_usage_error("pay post", "--amount is required");
    if (!shift == !partner)
        return cli_usage_error("pay post", "give --shift ID (counter) or --partner CODE, one of them");
    if (partner && !ref)
        return cli_usage_error("pay post", "--ref (the partner's transaction reference) is required with --partner");
    pc_err e = {0};
    payment_request q = {.customer_code = pos[0], .paid_at = paid_at, .ninvoices = ninvoices};
    if (money_parse(amount, &q.amount, &e) != 0)
        return cli_usage_error("pay post", "--amount: %s", e.msg);
    for (int i = 0; i < ninvoices; i++)
        q.invoices[i] = invoices[i];
    char counter_ref[64];
    if (shift) {
        int64_t id;
        if (cli_parse_int("--shift", shift, 1, INT64_MAX, &id) != 0)
            return 2;
        q.shift_id = id;
        q.channel = "counter";
        q.source = "counter";
        q.method = method ? method : "cash";
        if (!ref) {
            /* A counter posting without a ticket number still gets a unique key. */
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            snprintf(counter_ref, sizeof counter_ref, "S%lld-%lld%09ld-%d", (long long)id, (long long)ts.tv_sec, ts.tv_nsec,
                     (int)getpid());
            ref = counter_ref;
        }
    } else {
        q.channel = "partner";
        q.source = partner;
        q.method = method ? method : "partner";
    }
    q.ext_ref = ref;
    if (payment_request_check(&q, &e) != 0)
        return cli_usage_error("pay post", "%s", e.msg);
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    payment_result r;
    int rc = payment_post(d, cli_actor, cfg->utc_offset_minutes, &q, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_payment(&r, json);
    return 0;
}

static int reverse_cmd(int argc, char **argv)
{
    const char *partner = NULL, *ref = NULL, *reason = NULL, *rref = NULL, *date = NULL, *shift = NULL;
    bool counter = false, json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--partner", &partner, NULL, NULL, NULL, 0},
                      {"--counter", NULL, &counter, NULL, NULL, 0},
                      {"--ref", &ref, NULL, NULL, NULL, 0},
                      {"--reason", &reason, NULL, NULL, NULL, 0},
                      {"--reversal-ref", &rref, NULL, NULL, NULL, 0},
                      {"--date", &date, NULL, NULL, NULL, 0},
                      {"--shift", &shift, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("pay reverse", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!partner == !counter)
        return cli_usage_error("pay reverse", "give --partner CODE or --counter, one of them");
    if (!ref)
        return cli_usage_error("pay reverse", "--ref (the payment's reference) is required");
    if (!reason || !reason[0])
        return cli_usage_error("pay reverse", "--reason is required");
    reversal_request q = {.source = partner ? partner : "counter", .ext_ref = ref, .reversal_ref = rref,
                          .reason = reason, .date = date};
    if (shift) {
        int64_t id;
        if (cli_parse_int("--shift", shift, 1, INT64_MAX, &id) != 0)
            return 2;
        q.shift_id = id;
    }
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    payment_result r;
    int rc = payment_reverse_post(d, cli_actor, cfg->utc_offset_minutes, &q, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_payment(&r, json);
    return 0;
}

static int import_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("pay import", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("pay import", "expected the collection file");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    collection_report rep;
    int rc = collection_import(d, cli_actor, cfg->utc_offset_minutes, pos[0], &rep, &e);
    db_close(d);
    char m[MONEY_FMT_MAX];
    if (json) {
        json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:s?}", "file", pos[0], "already", rep.already, "rows",
                              (json_int_t)rep.rows, "posted", (json_int_t)rep.posted, "repeated", (json_int_t)rep.repeated,
                              "error_rows", (json_int_t)rep.error_rows, "amount", (json_int_t)rep.amount, "error",
                              rc != 0 ? e.msg : NULL);
        if (rep.errors.len)
            json_object_set_new(o, "errors", json_string(rep.errors.data));
        char *text = json_dumps(o, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
        json_decref(o);
    } else if (rep.errors.len) {
        fputs(rep.errors.data, stderr);
    }
    collection_report_free(&rep);
    if (rc != 0)
        return json ? (e.code == PC_EINVAL ? 2 : 1) : cli_fail(&e);
    if (!json) {
        if (rep.already)
            printf("%s was imported already (%s): nothing changed\n", pos[0], rep.already_at);
        else
            printf("%s: %ld rows, %ld posted (%s), %ld posted before\n", pos[0], rep.rows, rep.posted,
                   money_format(rep.amount, true, m), rep.repeated);
    }
    return 0;
}

int cmd_pay(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(pay_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "open") == 0)
        return open_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "post") == 0)
        return post_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "reverse") == 0)
        return reverse_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "import") == 0)
        return import_cmd(argc - 1, argv + 1);
    return cli_usage_error("pay", "unknown subcommand '%s'", argv[1]);
}
