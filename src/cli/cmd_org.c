/* powercis org add|list: the organisation tree (corporation → company → unit). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/org.h"
#include "base/fold.h"
#include "cli/cli.h"

static const char org_usage[] =
    "usage: powercis org add CODE NAME [--parent CODE]\n"
    "       powercis org list [--scope CODE] [--counts] [--json]\n\n"
    "Codes follow EVN's style: PA (corporation), PA01 (company), PA0101 (unit); a group is\n"
    "3-8 capital letters (EVN). A company's or unit's parent follows from its code.\n";

static int org_add_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{"parent", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
    const char *parent = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'p')
            parent = optarg;
        else
            return cli_usage_error("org add", "unknown option");
    }
    if (argc - optind != 2)
        return cli_usage_error("org add", "expected CODE and NAME");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    org_row r;
    int rc = org_add(d, cli_actor, argv[optind], argv[optind + 1], parent, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("added %s %s (%s)%s%s\n", r.level, r.code, r.name, r.parent_code[0] ? " under " : "", r.parent_code);
    return 0;
}

typedef struct {
    int json, counts;
    json_t *arr;
} list_ctx;

static int print_node(void *ctx, const org_row *r, const org_counts *k)
{
    list_ctx *x = ctx;
    if (x->json) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s?}", "code", r->code, "name", r->name, "level", r->level,
                              "parent", r->parent_code[0] ? r->parent_code : NULL);
        if (k)
            json_object_set_new(o, "counts",
                                json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "customers", (json_int_t)k->customers,
                                          "residential", (json_int_t)k->residential, "nonresidential",
                                          (json_int_t)k->nonresidential, "renters", (json_int_t)k->renters,
                                          "shared_meters", (json_int_t)k->shared_meters, "tou", (json_int_t)k->tou,
                                          "prepaid", (json_int_t)k->prepaid));
        json_array_append_new(x->arr, o);
        return 0;
    }
    int depth = 0;
    for (const char *p = r->path + 1; *p; p++)
        depth += *p == '/';
    char label[320];
    snprintf(label, sizeof label, "%*s%s %s", (depth - 1) * 2, "", r->code, r->name);
    int pad = 56 - text_display_width(label);
    printf("%s%*s", label, pad > 0 ? pad : 1, "");
    if (k)
        printf(" %-12s %9lld %9lld %9lld %8lld %8lld %6lld\n", r->level, (long long)k->customers,
               (long long)k->residential, (long long)k->nonresidential, (long long)k->renters,
               (long long)k->shared_meters, (long long)k->tou);
    else
        printf(" %s\n", r->level);
    return 0;
}


int org_print_list(db *d, const char *scope, int counts, int json, pc_err *e)
{
    char path[160];
    const char *scope_path;
    if (org_scope_path(d, scope, path, &scope_path, e) != 0)
        return -1;
    list_ctx x = {json, counts, json ? json_array() : NULL};
    if (!json && counts)
        printf("%-56s %-12s %9s %9s %9s %8s %8s %6s\n", "node", "level", "customers", "resid.", "non-res.",
               "renters", "shared", "tou");
    int rc = org_list(d, scope_path, counts, print_node, &x, e);
    if (rc == 0 && json) {
        char *s = json_dumps(x.arr, JSON_INDENT(2));
        puts(s);
        free(s);
    }
    json_decref(x.arr);
    return rc;
}

static int org_list_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{"scope", required_argument, NULL, 's'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"counts", no_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    const char *scope = NULL;
    int json = 0, counts = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            scope = optarg;
        else if (c == 'j')
            json = 1;
        else if (c == 'c')
            counts = 1;
        else
            return cli_usage_error("org list", "unknown option");
    }
    if (optind != argc)
        return cli_usage_error("org list", "unexpected argument '%s'", argv[optind]);
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc = org_print_list(d, scope, counts, json, &e);
    db_close(d);
    return rc == 0 ? 0 : cli_fail(&e);
}

int cmd_org(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(org_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "add") == 0)
        return org_add_cmd(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return org_list_cmd(argc - 1, argv + 1);
    return cli_usage_error("org", "unknown subcommand '%s'", argv[1]);
}
