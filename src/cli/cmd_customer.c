/* powercis customer add|show|update|import|search. Field flags are the CSV column names with
 * dashes or underscores (--payment-mode = payment_mode), so the file and the CLI speak alike. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/customers.h"
#include "cli/cli.h"

static const char customer_usage[] =
    "usage: powercis customer add CODE --name N --address A --purpose P [--voltage V] [--households N]\n"
    "                             [--phone P] [--renter] [--persons N] [--tou] [--route R] [--transformer T]\n"
    "                             [--meter SERIAL]\n"
    "                             [--multiplier N] [--digits N] [--amr] [--est-kwh N] [--periods-per-month N]\n"
    "                             [--payment-mode postpaid|prepaid] [--payment-term-days N] [--valid-from D]\n"
    "       powercis customer show CODE [--as-of YYYY-MM-DD] [--json]\n"
    "       powercis customer update CODE --reason TEXT [--from YYYY-MM-DD] [--FIELD VALUE]...\n"
    "       powercis customer periods CODE --periods 1|2|3 --reason TEXT [--from YYYY-MM]\n"
    "       powercis customer import FILE.csv\n"
    "       powercis customer search QUERY... [--scope CODE] [--limit N] [--json]\n\n"
    "purpose: residential, production, business, administrative_public (hospitals, schools),\n"
    "         administrative_other (lighting, other); voltage: <6kV, 6-22kV, 22-110kV, >=110kV\n"
    "         (empty for residential). The customer code is its unit code and 7 digits.\n"
    "update: name, address, phone, route, transformer and status change in place; contract terms\n"
    "        (purpose, voltage, households, renter, persons, tou, payment terms...) become a new\n"
    "        contract version valid from --from (default today). Every change is audited with its\n"
    "        reason.\n"
    "periods: the reading and billing periods a month of a non-residential customer (phân kỳ), as\n"
    "        a new contract version from the first day of next month, or of a later month named by\n"
    "        --from; never the current or a past month. Audited with its reason.\n"
    "import: CSV with a header row; columns documented in docs/formats.md. All or nothing.\n";

static bool is_switch(const char *key)
{
    return strcmp(key, "renter") == 0 || strcmp(key, "tou") == 0 || strcmp(key, "amr") == 0;
}

/* "--payment-mode" → "payment_mode" */
static void flag_key(const char *flag, char *out, size_t cap)
{
    snprintf(out, cap, "%s", flag + 2);
    for (char *p = out; *p; p++)
        if (*p == '-')
            *p = '_';
}

typedef struct {
    const char *keys[64];
    const char *values[64];
    char keybuf[64][40];
    int n;
    int json;
    const char *reason, *from, *as_of, *scope, *limit;
} flags;

/* Collects --FIELD VALUE pairs and the command's own options; positional words go to pos. */
static int parse_flags(const char *cmd, int argc, char **argv, flags *f, const char **pos, int *npos, int maxpos)
{
    memset(f, 0, sizeof *f);
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            if (*npos >= maxpos)
                return cli_usage_error(cmd, "unexpected argument '%s'", a);
            pos[(*npos)++] = a;
            continue;
        }
        if (strcmp(a, "--json") == 0) {
            f->json = 1;
            continue;
        }
        const char **own = strcmp(a, "--reason") == 0       ? &f->reason
                           : strcmp(a, "--from") == 0       ? &f->from
                           : strcmp(a, "--as-of") == 0      ? &f->as_of
                           : strcmp(a, "--scope") == 0      ? &f->scope
                           : strcmp(a, "--limit") == 0      ? &f->limit
                                                            : NULL;
        if (own) {
            if (i + 1 >= argc)
                return cli_usage_error(cmd, "%s needs a value", a);
            *own = argv[++i];
            continue;
        }
        if (f->n >= 64)
            return cli_usage_error(cmd, "too many options");
        flag_key(a, f->keybuf[f->n], sizeof f->keybuf[f->n]);
        const char *key = f->keybuf[f->n];
        if (!customer_field_known(key))
            return cli_usage_error(cmd, "unknown option '%s'", a);
        const char *value;
        if (is_switch(key) && (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0))
            value = "1";
        else if (i + 1 >= argc)
            return cli_usage_error(cmd, "%s needs a value", a);
        else
            value = argv[++i];
        f->keys[f->n] = key;
        f->values[f->n] = value;
        f->n++;
    }
    return 0;
}

static int add_cmd(int argc, char **argv)
{
    flags f;
    const char *pos[1];
    int npos;
    if (parse_flags("customer add", argc, argv, &f, pos, &npos, 1) != 0)
        return 2;
    customer c;
    meter_spec m = {.multiplier = 1, .digits = 6};
    bool has_meter = false;
    customer_defaults(&c);
    pc_err e = {0};
    if (npos == 1 && customer_set_field(&c, &m, &has_meter, "customer_code", pos[0], &e) != 0)
        return cli_fail(&e);
    if (npos == 0 && !c.code[0])
        return cli_usage_error("customer add", "expected the customer CODE");
    int class_at = -1;
    for (int i = 0; i < f.n; i++) {
        if (strcmp(f.keys[i], "class") == 0) {
            class_at = i;
            continue;
        }
        if (customer_set_field(&c, &m, &has_meter, f.keys[i], f.values[i], &e) != 0)
            return cli_fail(&e);
    }
    if (class_at >= 0 && customer_set_field(&c, &m, &has_meter, "class", f.values[class_at], &e) != 0)
        return cli_fail(&e);
    m.tou = c.tou;
    db *d = cli_open_db();
    if (!d)
        return 1;
    int rc = customer_add(d, cli_actor, &c, has_meter ? &m : NULL, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("added customer %s (%s) in unit %s\n", c.code, c.name, c.unit);
    return 0;
}

typedef struct {
    json_t *arr;
} collect_ctx;

static json_t *contract_json(const customer *c)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:i, s:b, s:o?, s:b, s:s, s:i, s:i, s:I}", "valid_from", c->valid_from,
                     "purpose", purpose_name(c->purpose), "class", purpose_class(c->purpose), "voltage",
                     c->voltage[0] ? c->voltage : NULL, "households", c->households, "renter", c->renter,
                     "persons", c->persons ? json_integer(c->persons) : NULL, "tou", c->tou, "payment_mode",
                     c->payment_mode, "payment_term_days", c->payment_term_days, "periods_per_month",
                     c->periods_per_month, "est_kwh", (json_int_t)c->est_kwh_month);
}

static int collect_contract(void *ctx, const customer *v)
{
    json_array_append_new(((collect_ctx *)ctx)->arr, contract_json(v));
    return 0;
}

static int collect_meter(void *ctx, const meter_spec *m, const char *installed, const char *removed)
{
    json_array_append_new(((collect_ctx *)ctx)->arr,
                          json_pack("{s:s, s:s, s:i, s:i, s:b, s:s, s:s?}", "serial", m->serial, "registers",
                                    m->tou ? "tou" : "total", "multiplier", m->multiplier, "digits", m->digits,
                                    "amr", m->amr, "installed_on", installed, "removed_on", removed));
    return 0;
}

static int show_cmd(int argc, char **argv)
{
    flags f;
    const char *pos[1];
    int npos;
    if (parse_flags("customer show", argc, argv, &f, pos, &npos, 1) != 0)
        return 2;
    if (npos != 1 || f.n)
        return cli_usage_error("customer show", "expected one customer CODE");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    customer c;
    collect_ctx history = {json_array()}, meters = {json_array()};
    int rc = customer_get(d, pos[0], f.as_of, &c, &e);
    if (rc == 0)
        rc = contract_history(d, &c, collect_contract, &history, &e);
    if (rc == 0)
        rc = meter_list(d, c.id, collect_meter, &meters, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(history.arr);
        json_decref(meters.arr);
        return cli_fail(&e);
    }
    if (f.json) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:o, s:o, s:o}", "customer_code", c.code,
                              "unit", c.unit, "name", c.name, "address", c.address, "phone",
                              c.phone[0] ? c.phone : NULL, "route", c.route[0] ? c.route : NULL, "transformer",
                              c.transformer[0] ? c.transformer : NULL, "status", c.status, "contract",
                              contract_json(&c), "contracts", history.arr, "meters", meters.arr);
        char *s = json_dumps(o, JSON_INDENT(2));
        puts(s);
        free(s);
        json_decref(o);
        return 0;
    }
    printf("%s  %s\n  address:  %s\n  unit:     %s\n  phone:    %s\n  route:    %s\n  transformer: %s\n"
           "  status:   %s\n",
           c.code, c.name, c.address, c.unit, c.phone[0] ? c.phone : "-", c.route[0] ? c.route : "-",
           c.transformer[0] ? c.transformer : "-", c.status);
    printf("  contract: %s (%s)%s%s, households %d%s, %s, pays within %d days, %d reading period(s) a month, "
           "valid from %s\n",
           purpose_name(c.purpose), purpose_class(c.purpose), c.voltage[0] ? ", " : "", c.voltage, c.households,
           c.renter ? ", renter" : "", c.tou ? "time-of-use" : "single register", c.payment_term_days,
           c.periods_per_month, c.valid_from);
    if (c.persons)
        printf("  declared persons: %d\n", c.persons);
    size_t i;
    json_t *m;
    json_array_foreach(meters.arr, i, m)
    {
        printf("  meter:    %s, %s, x%lld, %lld digits, installed %s\n", json_string_value(json_object_get(m, "serial")),
               json_string_value(json_object_get(m, "registers")),
               (long long)json_integer_value(json_object_get(m, "multiplier")),
               (long long)json_integer_value(json_object_get(m, "digits")),
               json_string_value(json_object_get(m, "installed_on")));
    }
    if (json_array_size(history.arr) > 1)
        printf("  contract versions: %zu (see --json)\n", json_array_size(history.arr));
    json_decref(history.arr);
    json_decref(meters.arr);
    return 0;
}

static int update_cmd(int argc, char **argv)
{
    flags f;
    const char *pos[1];
    int npos;
    if (parse_flags("customer update", argc, argv, &f, pos, &npos, 1) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("customer update", "expected one customer CODE");
    if (!f.n)
        return cli_usage_error("customer update", "nothing to change: give --FIELD VALUE");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc = customer_update(d, cli_actor, pos[0], f.keys, f.values, f.n, f.from, f.reason, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("updated customer %s\n", pos[0]);
    return 0;
}

static int periods_cmd(int argc, char **argv)
{
    const char *periods = NULL, *reason = NULL, *from = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--periods", &periods, NULL, NULL, NULL, 0}, {"--reason", &reason, NULL, NULL, NULL, 0},
                      {"--from", &from, NULL, NULL, NULL, 0},       {NULL, NULL, NULL, NULL, NULL, 0}};
    int rc = cli_parse_opts("customer periods", argc, argv, 1, opts, pos, 1, &npos);
    if (rc)
        return rc;
    if (npos != 1)
        return cli_usage_error("customer periods", "expected one customer CODE");
    if (!periods)
        return cli_usage_error("customer periods", "--periods 1|2|3 is required");
    int64_t n;
    if (cli_parse_int("--periods", periods, 1, 3, &n) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    customer before, after;
    rc = customer_periods_change(d, cli_actor, pos[0], (int)n, from, date_today(cfg->utc_offset_minutes), reason,
                                 &before, &after, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("customer %s: %d period%s a month from %s (was %d)\n", after.code, after.periods_per_month,
           after.periods_per_month == 1 ? "" : "s", after.valid_from, before.periods_per_month);
    return 0;
}

static int import_cmd(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error("customer import", "expected one FILE.csv");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    import_report rep;
    int rc = customer_import(d, cli_actor, argv[1], &rep, &e);
    db_close(d);
    if (rc != 0) {
        if (rep.errors.len)
            fputs(rep.errors.data, stderr);
        if (rep.error_rows > 1000)
            fprintf(stderr, "… and %ld more lines with errors\n", rep.error_rows - 1000);
        import_report_free(&rep);
        return cli_fail(&e);
    }
    printf("imported %ld customers from %s\n", rep.imported, argv[1]);
    import_report_free(&rep);
    return 0;
}

typedef struct {
    int json;
    json_t *arr;
    int n;
} search_ctx;

static int print_hit(void *ctx, const customer_hit *h)
{
    search_ctx *x = ctx;
    x->n++;
    if (x->json) {
        json_array_append_new(x->arr, json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s}", "customer_code", h->code,
                                                "name", h->name, "address", h->address, "phone",
                                                h->phone[0] ? h->phone : NULL, "unit", h->unit, "unit_name",
                                                h->unit_name, "status", h->status));
    } else {
        printf("%s  %s — %s  [%s %s]%s%s\n", h->code, h->name, h->address, h->unit, h->unit_name,
               h->phone[0] ? "  ☎ " : "", h->phone);
    }
    return 0;
}

static int search_cmd(int argc, char **argv)
{
    flags f;
    const char *pos[32];
    int npos;
    if (parse_flags("customer search", argc, argv, &f, pos, &npos, 32) != 0)
        return 2;
    if (npos == 0 || f.n)
        return cli_usage_error("customer search", "expected a customer code, a phone number or words to find");
    int64_t limit = 20;
    if (f.limit && cli_parse_int("--limit", f.limit, 1, 1000, &limit) != 0)
        return 2;
    char query[1024] = "";
    for (int i = 0; i < npos; i++) {
        strncat(query, pos[i], sizeof query - strlen(query) - 2);
        strcat(query, " ");
    }
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    search_ctx x = {f.json, f.json ? json_array() : NULL, 0};
    search_kind kind;
    int rc = customer_search(d, query, f.scope, (int)limit, &kind, print_hit, &x, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(x.arr);
        return cli_fail(&e);
    }
    if (f.json) {
        static const char *kinds[] = {"code", "phone", "text"};
        json_t *o = json_pack("{s:s, s:o}", "matched_by", kinds[kind], "hits", x.arr);
        char *s = json_dumps(o, JSON_INDENT(2));
        puts(s);
        free(s);
        json_decref(o);
    } else if (x.n == 0) {
        printf("no customer found\n");
    }
    return 0;
}

int cmd_customer(int argc, char **argv)
{
    if (argc < 2 || (cli_wants_help(argc, argv))) {
        fputs(customer_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") == 0)
        return add_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return show_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "update") == 0)
        return update_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "import") == 0)
        return import_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "periods") == 0)
        return periods_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "search") == 0)
        return search_cmd(argc - 1, argv + 1);
    return cli_usage_error("customer", "unknown subcommand '%s'", sub);
}
