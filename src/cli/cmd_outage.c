/* powercis outage add|list|close|cancel|notify and report reliability: outages with the customers they
 * interrupt, and SAIFI / SAIDI / CAIDI / MAIFI per unit and month (DOMAIN 12, docs/outages.md). */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/outages.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: powercis outage add --scope CODE --start \"YYYY-MM-DD HH:MM\" [--end \"YYYY-MM-DD HH:MM\"]\n"
    "                           (--customers N | --route R | --transformer T | --list FILE) [--planned]\n"
    "                           [--cause TEXT] [--note TEXT] [--json]\n"
    "       powercis outage list [--scope CODE] [--month YYYY-MM] [--open] [--planned | --unplanned]\n"
    "                            [--limit N] [--offset N] [--json]\n"
    "       powercis outage close ID --end \"YYYY-MM-DD HH:MM\" [--json]\n"
    "       powercis outage cancel ID --reason TEXT [--json]\n"
    "       powercis outage notify ID [--json]\n"
    "       powercis outage transformers FILE\n\n"
    "An outage interrupts supply under an org node (--scope, any level) from --start to --end, local\n"
    "time. The customers interrupted are a count (--customers), the active customers of a route or a\n"
    "transformer under the scope, or a list (--list FILE: one customer code a line; blank lines,\n"
    "# comments and a customer_code header are skipped). An unplanned outage may be added while\n"
    "ongoing (no --end) and closed once with `outage close`. A planned outage needs --end; its\n"
    "customers with a phone get a planned_outage SMS through the outbox when it is added (if it starts\n"
    "in the future), and a warning says when that is less than [outage] notice_days (5) ahead.\n"
    "Adding the same outage again returns the first one; `outage notify` enqueues missing notices\n"
    "again, never one twice. Over 5 minutes an outage is sustained, 5 minutes or less momentary.\n"
    "transformers: a CSV with customer_code,transformer sets the station feeding each customer (for\n"
    "--transformer); all or nothing. cancel: an outage recorded by mistake, open or closed, is\n"
    "cancelled once with a reason; it stays on record but is in no report, digest or notice, and\n"
    "the customers told of a planned one are sent a cancellation. See `powercis report reliability`.\n";

static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(o);
}

static void outage_line(const outage_row *r)
{
    printf("%-6lld %-8s %-9s %s  %-16s %6s  %-9s %-11s %7lld  %s%s%s", (long long)r->id, r->org_code,
           r->planned ? "planned" : "unplanned", r->start_at, r->end_at[0] ? r->end_at : "(ongoing)",
           r->minutes >= 0 ? (rel_is_sustained(r->minutes * 60) ? "sust." : "mom.") : "-", outage_status(r),
           r->affected_by, (long long)r->customers, r->selector, r->selector[0] && r->cause[0] ? " " : "", r->cause);
    if (r->cancelled_at[0])
        printf("%s(cancelled: %s)", r->selector[0] || r->cause[0] ? " " : "", r->cancel_reason);
    putchar('\n');
}

/* --list FILE: the codes and their line numbers. */
static int read_list(const char *path, char ***codes, int **lines, int *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "powercis: outage add: --list: cannot read %s\n", path);
        return 2;
    }
    char line[1024];
    int no = 0, cap = 0;
    bool first = true;
    *codes = NULL;
    *lines = NULL;
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        size_t len = strlen(s);
        while (len && isspace((unsigned char)s[len - 1]))
            s[--len] = '\0';
        if (!len || s[0] == '#')
            continue;
        if (first && strcmp(s, "customer_code") == 0) {
            first = false;
            continue;
        }
        first = false;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            char **c = realloc(*codes, (size_t)cap * sizeof *c);
            int *l = c ? realloc(*lines, (size_t)cap * sizeof *l) : NULL;
            if (c)
                *codes = c;
            if (!c || !l) {
                fclose(f);
                fprintf(stderr, "powercis: out of memory\n");
                return 1;
            }
            *lines = l;
        }
        (*codes)[*n] = strdup(s);
        (*lines)[(*n)++] = no;
    }
    fclose(f);
    return 0;
}

static int add_cmd(int argc, char **argv)
{
    const char *scope = NULL, *start = NULL, *end = NULL, *customers = NULL, *route = NULL, *transformer = NULL,
               *list = NULL, *cause = NULL, *note = NULL;
    bool planned = false, json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--start", &start, NULL, NULL, NULL, 0},
                      {"--end", &end, NULL, NULL, NULL, 0},
                      {"--customers", &customers, NULL, NULL, NULL, 0},
                      {"--route", &route, NULL, NULL, NULL, 0},
                      {"--transformer", &transformer, NULL, NULL, NULL, 0},
                      {"--list", &list, NULL, NULL, NULL, 0},
                      {"--cause", &cause, NULL, NULL, NULL, 0},
                      {"--note", &note, NULL, NULL, NULL, 0},
                      {"--planned", NULL, &planned, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("outage add", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!scope)
        return cli_usage_error("outage add", "--scope CODE is required");
    if (!start)
        return cli_usage_error("outage add", "--start \"YYYY-MM-DD HH:MM\" is required");
    int ways = (customers != NULL) + (route != NULL) + (transformer != NULL) + (list != NULL);
    if (ways != 1)
        return cli_usage_error("outage add", "give exactly one of --customers N, --route R, --transformer T, --list FILE");
    outage_add_request rq = {.scope = scope, .start = start, .end = end, .planned = planned, .route = route,
                             .transformer = transformer, .cause = cause, .note = note, .list_name = list};
    if (customers && cli_parse_int("--customers", customers, 1, 100000000, &rq.customers) != 0)
        return 2;
    char **codes = NULL;
    int *lines = NULL, ncodes = 0, rc;
    if (list) {
        if ((rc = read_list(list, &codes, &lines, &ncodes)) != 0)
            return rc;
        rq.codes = (const char *const *)codes;
        rq.ncodes = ncodes;
        rq.code_lines = lines;
        if (!codes)
            rq.codes = (const char *const *)&list; /* an empty list: named as such below */
    }
    const pc_config *cfg = cli_config();
    db *d = cfg ? cli_open_db() : NULL;
    pc_err e = {0};
    outage_added out;
    rc = d ? outage_add(d, cfg, cli_actor, &rq, &out, &e) : -2;
    if (d)
        db_close(d);
    for (int i = 0; i < ncodes; i++)
        free(codes[i]);
    free(codes);
    free(lines);
    if (rc == -2)
        return 1;
    if (rc != 0) {
        /* name the flag the app's field stands for */
        if (e.code == PC_EINVAL && strncmp(e.msg, "--", 2) != 0)
            pc_err_prefix(&e, "outage add");
        return cli_fail(&e);
    }
    if (out.o.planned && out.o.notice_late)
        fprintf(stderr, "powercis: warning: planned outage %lld starts less than %d days ahead ([outage] notice_days)\n",
                (long long)out.o.id, cfg->outage_notice_days);
    if (json) {
        json_t *o = outage_json(&out.o);
        json_object_set_new(o, "duplicate", json_boolean(out.duplicate));
        json_object_set_new(o, "notices", json_integer(out.notices));
        json_object_set_new(o, "notices_before", json_integer(out.notices_before));
        json_object_set_new(o, "no_phone", json_integer(out.no_phone));
        print_json(o);
    } else {
        printf("outage %lld %s: %s %s, %s to %s, %lld customers (%s)\n", (long long)out.o.id,
               out.duplicate ? "exists already" : "added", out.o.planned ? "planned" : "unplanned", out.o.org_code,
               out.o.start_at, out.o.end_at[0] ? out.o.end_at : "ongoing", (long long)out.o.customers,
               out.o.affected_by);
        if (out.o.planned)
            printf("notices: %ld enqueued, %ld already in the outbox, %ld customers without a phone\n", out.notices,
                   out.notices_before, out.no_phone);
    }
    return 0;
}

static int parse_id(const char *cmd, const char *text, int64_t *id)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!text[0] || *end || v < 1)
        return cli_usage_error(cmd, "'%s' is not an outage id", text);
    *id = v;
    return 0;
}

static int close_cmd(int argc, char **argv)
{
    const char *end = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--end", &end, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("outage close", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("outage close", "expected the outage id");
    int64_t id = 0;
    if (parse_id("outage close", pos[0], &id) != 0)
        return 2;
    if (!end)
        return cli_usage_error("outage close", "--end \"YYYY-MM-DD HH:MM\" is required");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    outage_row r;
    int rc = outage_close(d, cli_actor, id, end, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(outage_json(&r));
    else
        printf("outage %lld closed: %s to %s, %lld minutes (%s)\n", (long long)r.id, r.start_at, r.end_at,
               (long long)r.minutes, rel_is_sustained(r.minutes * 60) ? "sustained" : "momentary");
    return 0;
}

static int cancel_cmd(int argc, char **argv)
{
    const char *reason = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--reason", &reason, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("outage cancel", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("outage cancel", "expected the outage id");
    int64_t id = 0;
    if (parse_id("outage cancel", pos[0], &id) != 0)
        return 2;
    if (!reason)
        return cli_usage_error("outage cancel", "--reason TEXT is required (why the outage is cancelled)");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    outage_cancelled out;
    int rc = outage_cancel(d, cfg, cli_actor, id, reason, &out, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json) {
        json_t *o = outage_json(&out.o);
        json_object_set_new(o, "was_open", json_boolean(out.was_open));
        json_object_set_new(o, "cancel_notices", json_integer(out.notices));
        print_json(o);
    } else {
        printf("outage %lld cancelled (%s %s, %s, %lld customers; it was %s): %s\n", (long long)out.o.id,
               out.o.planned ? "planned" : "unplanned", out.o.start_at, out.o.org_code, (long long)out.o.customers,
               out.was_open ? "open" : "closed", out.o.cancel_reason);
        if (out.notices)
            printf("%ld cancellation notices enqueued\n", out.notices);
    }
    return 0;
}

static int notify_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("outage notify", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("outage notify", "expected the outage id");
    int64_t id = 0;
    if (parse_id("outage notify", pos[0], &id) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    outage_added out;
    int rc = outage_notify(d, cfg, id, &out, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(json_pack("{s:I, s:i, s:i, s:i}", "id", (json_int_t)id, "notices", (int)out.notices,
                             "notices_before", (int)out.notices_before, "no_phone", (int)out.no_phone));
    else
        printf("outage %lld: %ld notices enqueued, %ld already in the outbox, %ld customers without a phone\n",
               (long long)id, out.notices, out.notices_before, out.no_phone);
    return 0;
}

typedef struct {
    bool json;
    json_t *list;
} list_ctx;

static int list_one(void *ctx, const outage_row *r)
{
    list_ctx *x = ctx;
    if (x->json)
        json_array_append_new(x->list, outage_json(r));
    else
        outage_line(r);
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    outage_list_request rq = {.planned = -1};
    const char *limit = NULL, *offset = NULL;
    bool json = false, open = false, planned = false, unplanned = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &rq.scope, NULL, NULL, NULL, 0},
                      {"--month", &rq.month, NULL, NULL, NULL, 0},
                      {"--open", NULL, &open, NULL, NULL, 0},
                      {"--planned", NULL, &planned, NULL, NULL, 0},
                      {"--unplanned", NULL, &unplanned, NULL, NULL, 0},
                      {"--limit", &limit, NULL, NULL, NULL, 0},
                      {"--offset", &offset, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("outage list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (planned && unplanned)
        return cli_usage_error("outage list", "give --planned or --unplanned, not both");
    rq.planned = planned ? 1 : unplanned ? 0 : -1;
    rq.open_only = open;
    if ((limit && cli_parse_int("--limit", limit, 1, 1000000, &rq.limit) != 0) ||
        (offset && cli_parse_int("--offset", offset, 0, INT64_MAX, &rq.offset) != 0))
        return 2;
    pc_err e = {0};
    civil_month m;
    if (rq.month && month_parse(rq.month, &m, &e) != 0)
        return cli_usage_error("outage list", "--month: %s", e.msg);
    db *d = cli_open_db();
    if (!d)
        return 1;
    list_ctx x = {json, json ? json_array() : NULL};
    if (!json)
        printf("%-6s %-8s %-9s %-16s  %-16s %6s  %-9s %-11s %7s  %s\n", "id", "scope", "kind", "start", "end", "type",
               "status", "by", "cust.", "route/transformer cause");
    int rc = outages_list(d, &rq, list_one, &x, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(x.list);
        return cli_fail(&e);
    }
    if (json)
        print_json(x.list);
    return 0;
}

static int transformers_cmd(int argc, char **argv)
{
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("outage transformers", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("outage transformers", "expected the CSV file (customer_code,transformer)");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    long n;
    int rc = outage_transformers_load(d, cli_actor, pos[0], &n, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("transformers set for %ld customers from %s\n", n, pos[0]);
    return 0;
}

int cmd_outage(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "add") == 0)
        return add_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "close") == 0)
        return close_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "cancel") == 0)
        return cancel_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "notify") == 0)
        return notify_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "transformers") == 0)
        return transformers_cmd(argc - 1, argv + 1);
    return cli_usage_error("outage", "unknown subcommand '%s'", argv[1]);
}

int cmd_report_reliability(int argc, char **argv)
{
    const char *month = NULL, *scope = NULL, *format = "json", *out = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--month", &month, NULL, NULL, NULL, 0}, {"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--format", &format, NULL, NULL, NULL, 0}, {"--out", &out, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("report reliability", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!month)
        return cli_usage_error("report reliability", "--month YYYY-MM is required");
    pc_err e = {0};
    civil_month m;
    if (month_parse(month, &m, &e) != 0)
        return cli_usage_error("report reliability", "--month: %s", e.msg);
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "table") != 0)
        return cli_usage_error("report reliability", "--format '%s' is not json, csv or table", format);
    db *d = cli_open_db();
    if (!d)
        return 1;
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) {
        db_close(d);
        fprintf(stderr, "powercis: report: cannot write %s\n", out);
        return 1;
    }
    int rc = reliability_report_write(d, m, scope, format, f, &e);
    if (f != stdout && fclose(f) != 0 && rc == 0)
        rc = pc_errf(&e, PC_EIO, "cannot write %s", out);
    db_close(d);
    if (rc != 0) {
        if (out)
            remove(out);
        return cli_fail(&e);
    }
    return 0;
}
