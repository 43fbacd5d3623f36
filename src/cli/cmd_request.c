/* powercis request add|list|show|advance|wait|resume|cancel|attach|alerts|types: customer
 * service requests, their steps and working-day deadlines (docs/service.md); and `report
 * service`, the monthly indicator report, called from cmd_report.c. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/service.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: powercis request add --type TYPE (--customer CODE | --unit UNIT --name NAME --phone PHONE\n"
    "                            --address ADDRESS) [--set KEY=VALUE]... [--date YYYY-MM-DD] [--owner USER] [--json]\n"
    "       powercis request list [--scope CODE] [--status open|waiting|finished|cancelled|active] [--type TYPE]\n"
    "                             [--customer CODE] [--due-by YYYY-MM-DD] [--limit N] [--offset N] [--json]\n"
    "       powercis request show CODE [--json]\n"
    "       powercis request advance CODE [--date D] [--owner USER] [--note TEXT] [--set KEY=VALUE]... [--json]\n"
    "       powercis request wait CODE --reason TEXT [--date D] [--json]\n"
    "       powercis request resume CODE [--note TEXT] [--date D] [--json]\n"
    "       powercis request cancel CODE --reason TEXT [--date D] [--json]\n"
    "       powercis request attach CODE FILE [--kind id|land|contract|record|other] [--title TEXT] [--json]\n"
    "       powercis request alerts [--date D] [--days N] [--json]\n"
    "       powercis request types [--json]\n\n"
    "A request goes through its type's steps (`request types`), each due a number of working days\n"
    "after it starts (weekends and the public holidays of data/holidays/vn.csv skipped). advance\n"
    "finishes the current step and starts the next (--owner: who has it); past the last step the\n"
    "request is finished and the registry changed: a new supply creates the customer, meter and\n"
    "contract; a change sets the customer's fields from the finish date (a change of purpose from\n"
    "its effective date, at least 15 days after receipt). wait records why it is stuck (nguyên nhân\n"
    "vướng mắc). alerts: a chat message for each step due within --days working days (default 1)\n"
    "and for each step past its deadline, once each.\n";

static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(o);
}

static void request_line(const sreq_row *r)
{
    printf("%-20s %-20s %-9s %-12s %-10s %-13s %s%s%s\n", r->code, r->type, r->status, r->step, r->step_due_on,
           r->customer_code[0] ? r->customer_code : "-", r->applicant_name, r->waiting_reason[0] ? "  | " : "",
           r->waiting_reason);
}

static void print_result(const sreq_row *r, bool json, const char *verb)
{
    if (json)
        print_json(svc_request_json(r));
    else if (strcmp(r->status, "finished") == 0)
        printf("request %s finished on %s: %d working days (due %s, %s)%s%s\n", r->code, r->finished_on,
               r->working_days, r->due_on, r->within_deadline ? "within the deadline" : "late",
               r->customer_code[0] ? ", customer " : "", r->customer_code);
    else
        printf("request %s %s: %s, step %s due %s, owner %s\n", r->code, verb, r->status, r->step, r->step_due_on,
               r->step_owner[0] ? r->step_owner : "-");
}

#define MAX_SET 16

/* --set KEY=VALUE into keys/values (pointing into argv). */
static int split_sets(const char *cmd, const char **sets, int n, const char **keys, const char **values,
                      char storage[MAX_SET][128])
{
    for (int i = 0; i < n; i++) {
        const char *eq = strchr(sets[i], '=');
        if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= 128)
            return cli_usage_error(cmd, "--set '%s': expected KEY=VALUE", sets[i]);
        snprintf(storage[i], 128, "%.*s", (int)(eq - sets[i]), sets[i]);
        keys[i] = storage[i];
        values[i] = eq + 1;
    }
    return 0;
}

static int add_cmd(int argc, char **argv)
{
    svc_add in = {0};
    bool json = false;
    const char *sets[MAX_SET], *keys[MAX_SET], *values[MAX_SET];
    char storage[MAX_SET][128];
    int nsets = 0, npos;
    const char *pos[1];
    cli_opt opts[] = {{"--type", &in.type, NULL, NULL, NULL, 0},
                      {"--customer", &in.customer_code, NULL, NULL, NULL, 0},
                      {"--unit", &in.unit, NULL, NULL, NULL, 0},
                      {"--name", &in.name, NULL, NULL, NULL, 0},
                      {"--phone", &in.phone, NULL, NULL, NULL, 0},
                      {"--address", &in.address, NULL, NULL, NULL, 0},
                      {"--date", &in.date, NULL, NULL, NULL, 0},
                      {"--owner", &in.owner, NULL, NULL, NULL, 0},
                      {"--set", NULL, NULL, sets, &nsets, MAX_SET},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("request add", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!in.type)
        return cli_usage_error("request add", "--type is required (see `powercis request types`)");
    if (split_sets("request add", sets, nsets, keys, values, storage) != 0)
        return 2;
    in.keys = keys;
    in.values = values;
    in.nkeys = nsets;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    sreq_row r;
    int rc = svc_request_add(d, cli_actor, &in, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_result(&r, json, "received");
    return 0;
}

typedef struct {
    bool json;
    json_t *arr;
} list_ctx;

static int list_one(void *ctx, const sreq_row *r)
{
    list_ctx *c = ctx;
    if (c->json)
        json_array_append_new(c->arr, svc_request_json(r));
    else
        request_line(r);
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    const char *scope = NULL, *limit = NULL, *offset = NULL;
    sreq_filter f = {0};
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--status", &f.status, NULL, NULL, NULL, 0},
                      {"--type", &f.type, NULL, NULL, NULL, 0},
                      {"--customer", &f.customer_code, NULL, NULL, NULL, 0},
                      {"--due-by", &f.due_by, NULL, NULL, NULL, 0},
                      {"--limit", &limit, NULL, NULL, NULL, 0},
                      {"--offset", &offset, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("request list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    static const char *const statuses[] = {"open", "waiting", "finished", "cancelled", "active"};
    if (f.status) {
        bool ok = false;
        for (size_t i = 0; i < 5; i++)
            ok |= strcmp(f.status, statuses[i]) == 0;
        if (!ok)
            return cli_usage_error("request list", "--status '%s': open, waiting, finished, cancelled or active",
                                   f.status);
    }
    if (f.type && !svc_type_find(f.type))
        return cli_usage_error("request list", "--type '%s': no such request type (see `powercis request types`)",
                               f.type);
    pc_err e = {0};
    if (f.due_by) {
        civil_date dd;
        if (date_parse(f.due_by, &dd, &e) != 0)
            return cli_usage_error("request list", "--due-by: %s", e.msg);
    }
    if ((limit && cli_parse_int("--limit", limit, 1, 100000, &f.limit) != 0) ||
        (offset && cli_parse_int("--offset", offset, 0, INT64_MAX, &f.offset) != 0))
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    list_ctx c = {json, json ? json_array() : NULL};
    int rc = svc_request_list(d, scope, &f, list_one, &c, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(c.arr);
        return cli_fail(&e);
    }
    if (json)
        print_json(c.arr);
    return 0;
}

static int show_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("request show", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("request show", "expected the request code");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    json_t *j;
    int rc = svc_request_detail_json(d, pos[0], &j, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json) {
        print_json(j);
        return 0;
    }
    printf("%s  %s  (unit %s)\n", json_string_value(json_object_get(j, "code")),
           json_string_value(json_object_get(j, "type_name")), json_string_value(json_object_get(j, "unit")));
    printf("applicant %s, %s, %s; customer %s\n", json_string_value(json_object_get(j, "applicant_name")),
           json_string_value(json_object_get(j, "applicant_phone")),
           json_string_value(json_object_get(j, "applicant_address")),
           json_is_string(json_object_get(j, "customer")) ? json_string_value(json_object_get(j, "customer")) : "-");
    printf("status %s; received %s, due %s", json_string_value(json_object_get(j, "status")),
           json_string_value(json_object_get(j, "received_on")), json_string_value(json_object_get(j, "due_on")));
    if (json_is_string(json_object_get(j, "finished_on")))
        printf(", finished %s in %lld working days", json_string_value(json_object_get(j, "finished_on")),
               (long long)json_integer_value(json_object_get(j, "working_days")));
    printf("\n");
    if (json_is_string(json_object_get(j, "waiting_reason")))
        printf("waiting: %s\n", json_string_value(json_object_get(j, "waiting_reason")));
    printf("steps:\n");
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(j, "steps"), i, s)
    {
        json_t *st = json_object_get(s, "started_on"), *fi = json_object_get(s, "finished_on"),
               *du = json_object_get(s, "due_on"), *ow = json_object_get(s, "owner");
        printf("  %-12s %2lld d  started %-10s due %-10s finished %-10s owner %s\n",
               json_string_value(json_object_get(s, "step")), (long long)json_integer_value(json_object_get(s, "days")),
               json_is_string(st) ? json_string_value(st) : "-", json_is_string(du) ? json_string_value(du) : "-",
               json_is_string(fi) ? json_string_value(fi) : "-", json_is_string(ow) ? json_string_value(ow) : "-");
    }
    printf("history:\n");
    json_array_foreach(json_object_get(j, "events"), i, s)
    {
        json_t *re = json_object_get(s, "reason"), *no = json_object_get(s, "note");
        printf("  %s  %-10s %-12s by %s%s%s%s%s\n", json_string_value(json_object_get(s, "on_date")),
               json_string_value(json_object_get(s, "action")), json_string_value(json_object_get(s, "step")),
               json_string_value(json_object_get(s, "by")), json_is_string(re) ? "  reason: " : "",
               json_is_string(re) ? json_string_value(re) : "", json_is_string(no) ? "  note: " : "",
               json_is_string(no) ? json_string_value(no) : "");
    }
    json_array_foreach(json_object_get(j, "documents"), i, s)
    {
        if (i == 0)
            printf("documents:\n");
        printf("  %-5lld %-8s %-16s %9lld  %s\n", (long long)json_integer_value(json_object_get(s, "id")),
               json_string_value(json_object_get(s, "kind")), json_string_value(json_object_get(s, "media_type")),
               (long long)json_integer_value(json_object_get(s, "size")),
               json_string_value(json_object_get(s, "title")));
    }
    json_decref(j);
    return 0;
}

static int advance_cmd(int argc, char **argv)
{
    svc_move m = {0};
    bool json = false;
    const char *sets[MAX_SET], *keys[MAX_SET], *values[MAX_SET];
    char storage[MAX_SET][128];
    int nsets = 0, npos;
    const char *pos[1];
    cli_opt opts[] = {{"--date", &m.date, NULL, NULL, NULL, 0},
                      {"--owner", &m.owner, NULL, NULL, NULL, 0},
                      {"--note", &m.note, NULL, NULL, NULL, 0},
                      {"--set", NULL, NULL, sets, &nsets, MAX_SET},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("request advance", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("request advance", "expected the request code");
    if (split_sets("request advance", sets, nsets, keys, values, storage) != 0)
        return 2;
    m.keys = keys;
    m.values = values;
    m.nkeys = nsets;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    sreq_row r;
    int rc = svc_request_advance(d, cli_actor, pos[0], &m, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_result(&r, json, "advanced");
    return 0;
}

/* wait, resume, cancel */
static int move_cmd(int argc, char **argv, const char *name)
{
    const char *reason = NULL, *note = NULL, *date = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    char cmd[32];
    snprintf(cmd, sizeof cmd, "request %s", name);
    cli_opt opts[] = {{"--reason", &reason, NULL, NULL, NULL, 0},
                      {"--note", &note, NULL, NULL, NULL, 0},
                      {"--date", &date, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts(cmd, argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error(cmd, "expected the request code");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    sreq_row r;
    int rc;
    if (strcmp(name, "wait") == 0)
        rc = svc_request_wait(d, cli_actor, pos[0], reason, date, &r, &e);
    else if (strcmp(name, "resume") == 0)
        rc = svc_request_resume(d, cli_actor, pos[0], note, date, &r, &e);
    else
        rc = svc_request_cancel(d, cli_actor, pos[0], reason, date, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_result(&r, json, strcmp(name, "wait") == 0 ? "waits" : strcmp(name, "resume") == 0 ? "resumed" : "cancelled");
    return 0;
}

static int attach_cmd(int argc, char **argv)
{
    const char *kind = NULL, *title = NULL;
    bool json = false;
    const char *pos[2];
    int npos;
    cli_opt opts[] = {{"--kind", &kind, NULL, NULL, NULL, 0},
                      {"--title", &title, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("request attach", argc, argv, 1, opts, pos, 2, &npos) != 0)
        return 2;
    if (npos != 2)
        return cli_usage_error("request attach", "expected the request code and a file");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    pc_err e = {0};
    char dir[1024];
    if (config_documents_dir(cfg, cli_db_target(), dir, sizeof dir, &e) != 0)
        return cli_fail(&e);
    doc_store st = {dir, cfg->documents.max_bytes};
    db *d = cli_open_db();
    if (!d)
        return 1;
    sreq_doc_row r;
    int rc = svc_request_attach_file(d, cli_actor, &st, pos[0], pos[1], kind, title, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)r.id, "kind", r.kind, "title",
                             r.title, "media_type", r.media_type, "size", (json_int_t)r.size, "sha256", r.sha256));
    else
        printf("document %lld attached to %s: %s (%s, %lld bytes)\n", (long long)r.id, pos[0], r.title, r.media_type,
               (long long)r.size);
    return 0;
}

static int alerts_cmd(int argc, char **argv)
{
    const char *date = NULL, *days = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--date", &date, NULL, NULL, NULL, 0},
                      {"--days", &days, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("request alerts", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    int64_t ndays = 1;
    if (days && cli_parse_int("--days", days, 0, 30, &ndays) != 0)
        return 2;
    pc_err e = {0};
    civil_date day = date_today(420);
    if (date && date_parse(date, &day, &e) != 0)
        return cli_usage_error("request alerts", "--date: %s", e.msg);
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    db *d = cli_open_db();
    if (!d)
        return 1;
    svc_alert_counts c;
    int rc = svc_alerts(d, cfg, day, (int)ndays, &c, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(json_pack("{s:I, s:I, s:I, s:I}", "checked", (json_int_t)c.checked, "warnings",
                             (json_int_t)c.warnings, "breaches", (json_int_t)c.breaches, "duplicates",
                             (json_int_t)c.duplicates));
    else
        printf("alerts: %ld requests checked, %ld warnings, %ld breaches queued, %ld already sent\n", c.checked,
               c.warnings, c.breaches, c.duplicates);
    return 0;
}

static int types_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("request types", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    const svc_type *t;
    int n;
    pc_err e = {0};
    if (svc_types(&t, &n, &e) != 0)
        return cli_fail(&e);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *steps = json_array();
        for (int k = 0; k < t[i].nsteps; k++)
            json_array_append_new(steps, json_pack("{s:s, s:i}", "step", t[i].steps[k].code, "days", t[i].steps[k].days));
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:i, s:o}", "code", t[i].code, "vi",
                                             t[i].vi, "en", t[i].en, "registry", t[i].registry, "new_customer",
                                             t[i].new_customer, "notice_days", t[i].notice_days, "total_days",
                                             t[i].total_days, "steps", steps));
        if (!json) {
            printf("%-22s %2d d  ", t[i].code, t[i].total_days);
            for (int k = 0; k < t[i].nsteps; k++)
                printf("%s%s %d", k ? " → " : "", t[i].steps[k].code, t[i].steps[k].days);
            printf("   (%s)\n", t[i].vi);
        }
    }
    if (json)
        print_json(arr);
    else
        json_decref(arr);
    return 0;
}

int cmd_request(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") == 0)
        return add_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return show_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "advance") == 0)
        return advance_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "wait") == 0 || strcmp(sub, "resume") == 0 || strcmp(sub, "cancel") == 0)
        return move_cmd(argc - 1, argv + 1, sub);
    if (strcmp(sub, "attach") == 0)
        return attach_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "alerts") == 0)
        return alerts_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "types") == 0)
        return types_cmd(argc - 1, argv + 1);
    return cli_usage_error("request", "unknown subcommand '%s' (add, list, show, advance, wait, resume, cancel, "
                                      "attach, alerts, types)", sub);
}

/* powercis report service --month YYYY-MM [--scope CODE] [--format json|csv|xlsx] [--out FILE] */
int report_service_cmd(int argc, char **argv)
{
    const char *month = NULL, *scope = NULL, *format = "json", *out = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--month", &month, NULL, NULL, NULL, 0},
                      {"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--format", &format, NULL, NULL, NULL, 0},
                      {"--out", &out, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("report service", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!month)
        return cli_usage_error("report service", "--month YYYY-MM is required");
    if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx"))
        return cli_usage_error("report service", "--format '%s' is not json, csv or xlsx", format);
    if (strcmp(format, "xlsx") == 0 && !out)
        return cli_usage_error("report service", "--format xlsx needs --out FILE");
    pc_err e = {0};
    civil_month m;
    if (month_parse(month, &m, &e) != 0)
        return cli_usage_error("report service", "--month: %s", e.msg);
    db *d = cli_open_db();
    if (!d)
        return 1;
    json_t *rep;
    int rc = svc_report(d, m, scope, &rep, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (strcmp(format, "xlsx") == 0) {
        rc = svc_report_xlsx(rep, out, &e);
        json_decref(rep);
        return rc != 0 ? cli_fail(&e) : 0;
    }
    char *text;
    size_t len;
    if (strcmp(format, "csv") == 0) {
        svc_report_csv(rep, &text, &len, &e);
    } else {
        text = json_dumps(rep, JSON_COMPACT | JSON_REAL_PRECISION(10));
        len = strlen(text);
    }
    json_decref(rep);
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) {
        free(text);
        fprintf(stderr, "powercis: report service: cannot write %s\n", out);
        return 1;
    }
    fwrite(text, 1, len, f);
    if (strcmp(format, "json") == 0)
        fputc('\n', f);
    if (out)
        fclose(f);
    free(text);
    return 0;
}
