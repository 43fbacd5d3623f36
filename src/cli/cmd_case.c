/* powercis case open|update|show|list: a customer's debt case, its status, owner, next action
 * and notes (DOMAIN 9, docs/cases.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cases.h"
#include "cli/cli.h"

static const char case_usage[] =
    "usage: powercis case open CUSTOMER [--status S] [--owner USER] [--next YYYY-MM-DD] [--note TEXT] [--json]\n"
    "       powercis case update CUSTOMER [--status S] [--owner USER] [--next YYYY-MM-DD] [--note TEXT] [--json]\n"
    "       powercis case show CUSTOMER [--json]\n"
    "       powercis case list [--scope CODE] [--status S] [--due-by YYYY-MM-DD] [--owner USER]\n"
    "                          [--limit N] [--offset N] [--json]\n\n"
    "A debt case follows one customer's overdue or bad debt. Statuses: monitoring (the default),\n"
    "notified, disconnected, negotiating, in-court, collected, written-off (needs a note with the\n"
    "approval). Every open and update is an event kept in the case's history and audited; an empty\n"
    "--owner or --next clears it. list: cases by next action date; --due-by keeps those whose next\n"
    "action is due on or before the date. Documents: `powercis doc`.\n";

static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(o);
}

static void case_line(const case_row *c)
{
    printf("%-13s %-8s %-12s %-16s %-10s %4lld  %s\n", c->customer_code, c->unit_code, c->status,
           c->owner[0] ? c->owner : "-", c->next_action[0] ? c->next_action : "-", (long long)c->documents,
           c->customer_name);
}

static int change_cmd(int argc, char **argv, bool opening)
{
    const char *cmd = opening ? "case open" : "case update";
    case_change c = {0};
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--status", &c.status, NULL, NULL, NULL, 0},
                      {"--owner", &c.owner, NULL, NULL, NULL, 0},
                      {"--next", &c.next_action, NULL, NULL, NULL, 0},
                      {"--note", &c.note, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts(cmd, argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error(cmd, "expected the customer code");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    case_row r;
    int rc = opening ? case_open(d, cli_actor, pos[0], &c, &r, &e) : case_update(d, cli_actor, pos[0], &c, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json)
        print_json(case_json(&r));
    else
        printf("case of %s %s: %s, owner %s, next action %s\n", r.customer_code, opening ? "opened" : "updated", r.status,
               r.owner[0] ? r.owner : "-", r.next_action[0] ? r.next_action : "-");
    return 0;
}

static int show_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("case show", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("case show", "expected the customer code");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    case_detail k;
    int rc = case_show(d, pos[0], &k, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json) {
        print_json(case_detail_json(&k));
    } else {
        const case_row *c = &k.c;
        printf("%s  %s  (unit %s)\n", c->customer_code, c->customer_name, c->unit_code);
        printf("status %s, owner %s, next action %s; opened %s, updated %s\n", c->status, c->owner[0] ? c->owner : "-",
               c->next_action[0] ? c->next_action : "-", c->opened_at, c->updated_at);
        printf("history:\n");
        for (int i = 0; i < k.nevents; i++) {
            const case_event_row *v = &k.events[i];
            printf("  %s  %-12s owner %-16s next %-10s by %s%s%s\n", v->at, v->status, v->owner[0] ? v->owner : "-",
                   v->next_action[0] ? v->next_action : "-", v->by_user, v->note[0] ? "\n    " : "", v->note);
        }
        if (k.ndocs)
            printf("documents:\n");
        for (int i = 0; i < k.ndocs; i++) {
            const document_row *r = &k.docs[i];
            printf("  %-5lld %s  %-8s %-16s %9lld  %s%s\n", (long long)r->id, r->doc_date, r->kind, r->media_type,
                   (long long)r->size, r->title, r->removed ? "  (removed)" : "");
        }
    }
    case_detail_free(&k);
    return 0;
}

typedef struct {
    bool json;
    json_t *list;
} list_ctx;

static int list_case(void *ctx, const case_row *c)
{
    list_ctx *x = ctx;
    if (x->json)
        json_array_append_new(x->list, case_json(c));
    else
        case_line(c);
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    case_query q = {0};
    const char *limit = NULL, *offset = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &q.scope_code, NULL, NULL, NULL, 0},
                      {"--status", &q.status, NULL, NULL, NULL, 0},
                      {"--due-by", &q.due_by, NULL, NULL, NULL, 0},
                      {"--owner", &q.owner, NULL, NULL, NULL, 0},
                      {"--limit", &limit, NULL, NULL, NULL, 0},
                      {"--offset", &offset, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("case list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if ((limit && cli_parse_int("--limit", limit, 1, 1000000, &q.limit) != 0) ||
        (offset && cli_parse_int("--offset", offset, 0, INT64_MAX, &q.offset) != 0))
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    list_ctx x = {json, json ? json_array() : NULL};
    if (!json)
        printf("%-13s %-8s %-12s %-16s %-10s %4s  %s\n", "customer", "unit", "status", "owner", "next", "docs", "name");
    int rc = cases_list(d, &q, list_case, &x, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(x.list);
        return cli_fail(&e);
    }
    if (json)
        print_json(x.list);
    return 0;
}

int cmd_case(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(case_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "open") == 0)
        return change_cmd(argc - 1, argv + 1, true);
    if (strcmp(argv[1], "update") == 0)
        return change_cmd(argc - 1, argv + 1, false);
    if (strcmp(argv[1], "show") == 0)
        return show_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    return cli_usage_error("case", "unknown subcommand '%s'", argv[1]);
}
