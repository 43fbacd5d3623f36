/* powercis notify send|list|retry|deliver|collect|optout|optin: the notification outbox
 * (DOMAIN 13, docs/notifications.md). Enqueueing and sending are separate: `send` and `collect`
 * only write the outbox; `deliver` is the sender pass. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cases.h"
#include "app/notify.h"
#include "base/buf.h"
#include "base/date.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: powercis notify send --event E (--customer CODE | --to ADDRESS) [--channel sms|email|chat]\n"
    "                            [--lang vi|en] [--field NAME=VALUE]... [--key EVENT_KEY]\n"
    "                            [--attach FILE [--attach-type TYPE]] [--json]\n"
    "       powercis notify list [--status S] [--customer CODE] [--event E] [--limit N] [--json]\n"
    "       powercis notify retry (ID... | --failed | --dead)\n"
    "       powercis notify deliver [--max N] [--json]\n"
    "       powercis notify collect [--json] [--skip-history]\n"
    "       powercis notify optout CODE --channel C --reason TEXT\n"
    "       powercis notify optin CODE --channel C [--reason TEXT]\n\n"
    "send: renders the event's template (data/notify/templates.json) and puts the message in the\n"
    "outbox. --customer sends to the customer's phone (or to --to), fills customer_name and\n"
    "customer_code, and respects the customer's opt-out and quiet hours; --to alone is a staff\n"
    "message. The channel defaults from the address (name@domain: email, http(s)://: chat, else\n"
    "sms). The same --key (default: the event and its fields) on the same channel and recipient\n"
    "is one message however often it is sent. Attachments go by e-mail only; their type is found\n"
    "from their content (PDF, JPEG, PNG) unless --attach-type names it.\n"
    "list: messages, newest first (statuses queued, sending, sent, failed, dead, skipped).\n"
    "retry: puts failed or dead messages back in the queue with their attempts counted afresh.\n"
    "deliver: one sender pass over every due message ([notify], [sms], [smtp], [chat] settings).\n"
    "collect: enqueues an SMS for each invoice issued, payment received, notice 1 and 2,\n"
    "disconnection and reconnection since the last collection, to customers with a phone;\n"
    "--skip-history marks everything that exists now as announced (after a bulk migration).\n"
    "optout/optin: a customer's choice per channel; opted-out messages are stored as skipped.\n";

#define MAX_FIELDS 16

static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(o);
}

static bool valid_field_name(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

static int send_cmd(int argc, char **argv)
{
    const char *event = NULL, *code = NULL, *to = NULL, *channel = NULL, *lang = NULL, *key = NULL, *attach = NULL,
               *attach_type = NULL;
    const char *raw_fields[MAX_FIELDS];
    int nraw = 0, npos;
    bool json = false;
    const char *pos[1];
    cli_opt opts[] = {{"--event", &event, NULL, NULL, NULL, 0},
                      {"--customer", &code, NULL, NULL, NULL, 0},
                      {"--to", &to, NULL, NULL, NULL, 0},
                      {"--channel", &channel, NULL, NULL, NULL, 0},
                      {"--lang", &lang, NULL, NULL, NULL, 0},
                      {"--key", &key, NULL, NULL, NULL, 0},
                      {"--field", NULL, NULL, raw_fields, &nraw, MAX_FIELDS},
                      {"--attach", &attach, NULL, NULL, NULL, 0},
                      {"--attach-type", &attach_type, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("notify send", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!event)
        return cli_usage_error("notify send", "--event is required");
    if (!code && !to)
        return cli_usage_error("notify send", "--customer CODE or --to ADDRESS is required");
    if (attach_type && !attach)
        return cli_usage_error("notify send", "--attach-type needs --attach");
    if (channel && strcmp(channel, "sms") != 0 && strcmp(channel, "email") != 0 && strcmp(channel, "chat") != 0)
        return cli_usage_error("notify send", "channel '%s': sms, email or chat is expected", channel);
    notify_field fields[MAX_FIELDS];
    char names[MAX_FIELDS][64];
    int nf = 0;
    for (int i = 0; i < nraw; i++) {
        const char *eq = strchr(raw_fields[i], '=');
        size_t n = eq ? (size_t)(eq - raw_fields[i]) : 0;
        if (!eq || n >= sizeof names[0] || !valid_field_name(raw_fields[i], n))
            return cli_usage_error("notify send", "--field '%s': NAME=VALUE with a name of a-z, 0-9 and _ is expected",
                                   raw_fields[i]);
        snprintf(names[i], sizeof names[i], "%.*s", (int)n, raw_fields[i]);
        for (int k = 0; k < nf; k++)
            if (strcmp(fields[k].name, names[i]) == 0)
                return cli_usage_error("notify send", "--field %s given twice", names[i]);
        fields[nf++] = (notify_field){names[i], eq + 1};
    }
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    buf bytes = {0};
    pc_err e = {0};
    if (attach && buf_read_file(&bytes, attach, NOTIFY_ATTACHMENT_MAX, &e) != 0)
        return cli_fail(&e);
    db *d = cli_open_db();
    if (!d) {
        buf_free(&bytes);
        return 1;
    }
    int rc = 0;
    if (!channel)
        channel = to ? notify_channel_of(to) : "sms";
    notify_attachment att;
    char att_name[256], att_type[32];
    if (rc == 0 && attach) {
        const char *base = strrchr(attach, '/');
        snprintf(att_name, sizeof att_name, "%s", base ? base + 1 : attach);
        /* the type by content, as for debt documents, unless given */
        if (!attach_type && doc_media_type(att_name, bytes.data, bytes.len, att_type, &e) != 0)
            rc = -1;
        att = (notify_attachment){att_name, attach_type ? attach_type : att_type, bytes.data, bytes.len};
    }
    notify_enqueued q;
    if (rc == 0) {
        notify_request req = {.event = event,
                              .event_key = key,
                              .channel = channel,
                              .recipient = to,
                              .lang = lang,
                              .fields = fields,
                              .nfields = nf,
                              .attachment = attach ? &att : NULL};
        rc = code ? notify_enqueue_customer(d, cfg, code, &req, &q, &e) : notify_enqueue(d, cfg, &req, &q, &e);
    }
    db_close(d);
    buf_free(&bytes);
    if (rc != 0)
        return cli_fail(&e);
    char when[TIMESTAMP_FMT_MAX];
    instant_format(q.next_attempt_at, when);
    if (json) {
        print_json(json_pack("{s:I, s:s, s:b, s:b, s:s, s:s}", "id", (json_int_t)q.id, "status", q.status, "duplicate",
                             q.duplicate, "skipped", q.skipped, "channel", channel, "not_before", when));
    } else if (q.duplicate) {
        printf("duplicate: message %lld is already in the outbox (%s)\n", (long long)q.id, q.status);
    } else if (q.skipped) {
        printf("skipped: the customer opted out of %s (message %lld recorded as skipped)\n", channel, (long long)q.id);
    } else {
        printf("queued message %lld by %s, not before %s\n", (long long)q.id, channel, when);
    }
    return 0;
}

typedef struct {
    bool json;
    json_t *arr;
} list_ctx;

static int list_row(void *ctx, const outbox_row *r)
{
    list_ctx *x = ctx;
    if (x->json) {
        json_array_append_new(x->arr, notify_outbox_json(r));
    } else {
        char next[TIMESTAMP_FMT_MAX];
        instant_format(r->next_attempt_at, next);
        printf("%-7lld %-8s %-5s %-20s %-13s %-24.24s %2d  %s%s%s\n", (long long)r->id, r->status, r->channel,
               r->event, r->customer_code ? r->customer_code : "-", r->recipient[0] ? r->recipient : "(default)",
               r->attempts, strcmp(r->status, "sent") == 0 ? (r->sent_at ? r->sent_at : "") : next,
               r->last_error ? "  " : "", r->last_error ? r->last_error : "");
    }
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    const char *status = NULL, *code = NULL, *event = NULL, *limit_s = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--status", &status, NULL, NULL, NULL, 0},
                      {"--customer", &code, NULL, NULL, NULL, 0},
                      {"--event", &event, NULL, NULL, NULL, 0},
                      {"--limit", &limit_s, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("notify list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (status && !notify_status_valid(status))
        return cli_usage_error("notify list", "--status '%s': queued, sending, sent, failed, dead or skipped", status);
    int64_t limit = 50;
    if (limit_s && cli_parse_int("--limit", limit_s, 1, 1000000, &limit) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    list_ctx x = {json, json ? json_array() : NULL};
    int rc = notify_list(d, status, code, event, (int)limit, list_row, &x, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(x.arr);
        return cli_fail(&e);
    }
    if (json)
        print_json(x.arr);
    return 0;
}

static int retry_cmd(int argc, char **argv)
{
    bool failed = false, dead = false;
    const char *pos[64];
    int npos;
    cli_opt opts[] = {{"--failed", NULL, &failed, NULL, NULL, 0},
                      {"--dead", NULL, &dead, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("notify retry", argc, argv, 1, opts, pos, 64, &npos) != 0)
        return 2;
    if ((npos > 0) + failed + dead != 1)
        return cli_usage_error("notify retry", "message ids, --failed or --dead (one of them) is expected");
    int64_t ids[64];
    for (int i = 0; i < npos; i++)
        if (cli_parse_int("message id", pos[i], 1, INT64_MAX, &ids[i]) != 0)
            return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    long total = 0, count;
    int rc = 0;
    if (npos == 0) {
        rc = notify_retry(d, cli_actor, 0, failed ? "failed" : "dead", &total, &e);
    } else {
        /* every id or none: one transaction */
        rc = db_begin(d, &e);
        for (int i = 0; rc == 0 && i < npos; i++) {
            rc = notify_retry(d, cli_actor, ids[i], NULL, &count, &e);
            total += count;
        }
        if (rc == 0)
            rc = db_commit(d, &e);
        else
            db_rollback(d);
    }
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("%ld message%s queued again\n", total, total == 1 ? "" : "s");
    return 0;
}

static int deliver_cmd(int argc, char **argv)
{
    const char *max_s = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--max", &max_s, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("notify deliver", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    int64_t max = 0;
    if (max_s && cli_parse_int("--max", max_s, 1, 100000000, &max) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    notify_delivery s;
    int rc = notify_deliver(d, cfg, (long)max, &s, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(json_pack("{s:I, s:I, s:I, s:I, s:I, s:f}", "claimed", (json_int_t)s.claimed, "sent",
                             (json_int_t)s.sent, "failed", (json_int_t)s.failed, "dead", (json_int_t)s.dead, "held",
                             (json_int_t)s.held, "seconds", s.seconds));
    else
        printf("claimed %ld, sent %ld, failed %ld, dead %ld, held for quiet hours %ld (%.2f s)\n", s.claimed, s.sent,
               s.failed, s.dead, s.held, s.seconds);
    return 0;
}

static int collect_cmd(int argc, char **argv)
{
    bool json = false, skip = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0},
                      {"--skip-history", NULL, &skip, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("notify collect", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (skip) {
        db *d = cli_open_db();
        if (!d)
            return 1;
        pc_err e = {0};
        int rc = notify_skip_history(d, &e);
        db_close(d);
        if (rc != 0)
            return cli_fail(&e);
        printf("history marked as announced: collection goes on from the next event\n");
        return 0;
    }
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    notify_collected s;
    int rc = notify_collect(d, cfg, &s, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "invoices", (json_int_t)s.invoices, "payments",
                             (json_int_t)s.payments, "dunning_steps", (json_int_t)s.dunning_steps, "enqueued",
                             (json_int_t)s.enqueued, "duplicates", (json_int_t)s.duplicates, "skipped",
                             (json_int_t)s.skipped, "no_phone", (json_int_t)s.no_phone));
    else
        printf("read %ld invoices, %ld payments, %ld dunning steps: %ld enqueued, %ld already there, %ld opted out, "
               "%ld without a phone\n",
               s.invoices, s.payments, s.dunning_steps, s.enqueued, s.duplicates, s.skipped, s.no_phone);
    return 0;
}

static int optout_cmd(int argc, char **argv, bool out)
{
    const char *channel = NULL, *reason = NULL;
    const char *pos[1];
    int npos;
    const char *name = out ? "notify optout" : "notify optin";
    cli_opt opts[] = {{"--channel", &channel, NULL, NULL, NULL, 0},
                      {"--reason", &reason, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts(name, argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error(name, "a customer code is expected");
    if (!channel)
        return cli_usage_error(name, "--channel sms|email|chat is required");
    if (out && !reason)
        return cli_usage_error(name, "--reason is required");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc = notify_set_optout(d, cli_actor, pos[0], channel, out, reason, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("customer %s: %s %s messages\n", pos[0], out ? "no more" : "receives", channel);
    return 0;
}

int cmd_notify(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "send") == 0)
        return send_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "retry") == 0)
        return retry_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "deliver") == 0)
        return deliver_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "collect") == 0)
        return collect_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "optout") == 0)
        return optout_cmd(argc - 1, argv + 1, true);
    if (strcmp(sub, "optin") == 0)
        return optout_cmd(argc - 1, argv + 1, false);
    return cli_usage_error("notify", "unknown subcommand '%s'", sub);
}
