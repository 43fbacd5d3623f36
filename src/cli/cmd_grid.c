/* powercis grid add|list|show|assign|unassign|release|import|customer: service grids, their
 * account managers and customers (issue 11, docs/grids.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/grids.h"
#include "base/date.h"
#include "cli/cli.h"
#include "store/repo.h"
#include "store/users.h"

static const char grid_usage[] =
    "usage: powercis grid add CODE --name NAME --unit UNIT\n"
    "       powercis grid list [--scope CODE] [--date YYYY-MM-DD] [--manager LOGIN] [--json]\n"
    "       powercis grid show CODE [--json]\n"
    "       powercis grid assign CODE --manager LOGIN --from YYYY-MM-DD\n"
    "       powercis grid unassign CODE --manager LOGIN --from YYYY-MM-DD\n"
    "       powercis grid assign CODE (--routes R1,R2 | --customers C1,C2) --from YYYY-MM-DD\n"
    "       powercis grid release --customers C1,C2 --from YYYY-MM-DD\n"
    "       powercis grid customer CUSTOMER [--json]\n"
    "       powercis grid import FILE\n\n"
    "A service grid groups customers of one unit for its account managers. Managers and customers\n"
    "are assigned from a date; the history is kept (a change is a new row) and every change is\n"
    "audited. assign --routes puts the unit's customers on those routes in the grid; release takes\n"
    "customers out of every grid. import: CSV grid,name,unit,valid_from[,managers][,routes]\n"
    "[,customers] with ';' between the items of a list (docs/grids.md); any bad line rejects the file.\n";

static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(o);
}

/* Splits a ","-separated flag value in place into at most max items. */
static int split_list(char *s, const char **out, int max)
{
    int n = 0;
    for (char *save = NULL, *t = strtok_r(s, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
        if (*t)
            out[n++] = t;
    return n;
}

static int add_cmd(int argc, char **argv)
{
    const char *name = NULL, *unit = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--name", &name, NULL, NULL, NULL, 0},
                      {"--unit", &unit, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("grid add", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("grid add", "expected the grid code");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    grid_row g;
    int rc = grids_add(d, cli_actor, pos[0], name, unit, &g, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("grid %s added (unit %s)\n", g.code, g.unit_code);
    return 0;
}

typedef struct {
    bool json;
    json_t *list;
} list_ctx;

static int list_one(void *ctx, const grid_summary *s)
{
    list_ctx *x = ctx;
    if (x->json)
        json_array_append_new(x->list, grid_summary_json(s));
    else
        printf("%-12s %-8s %7lld  %-40s %s\n", s->g.code, s->g.unit_code, (long long)s->customers,
               s->managers[0] ? s->managers : "-", s->g.name);
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    const char *scope = NULL, *date = NULL, *manager = NULL, *pos[1];
    bool json = false;
    int npos;
    cli_opt opts[] = {{"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--date", &date, NULL, NULL, NULL, 0},
                      {"--manager", &manager, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("grid list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    list_ctx x = {.json = json, .list = json ? json_array() : NULL};
    if (!json)
        printf("%-12s %-8s %7s  %-40s %s\n", "grid", "unit", "custs", "managers", "name");
    int rc = grids_list(d, scope, date, manager, cfg->utc_offset_minutes, list_one, &x, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(x.list);
        return cli_fail(&e);
    }
    if (json)
        print_json(x.list);
    return 0;
}

static int show_event(void *ctx, const grid_event *v)
{
    if (ctx)
        json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s, s:s}", "from", v->valid_from, "change", v->kind,
                                             "manager", v->who, "at", v->at, "by", v->by));
    else
        printf("  %s  %-12s %-24s (%s by %s)\n", v->valid_from, v->kind, v->who, v->at, v->by);
    return 0;
}

static int show_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("grid show", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("grid show", "expected the grid code");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    grid_row g;
    json_t *hist = json ? json_array() : NULL;
    int rc = grid_get(d, pos[0], &g, &e);
    if (rc == 0 && !json)
        printf("%s  %s  (unit %s)\nmanagers:\n", g.code, g.name, g.unit_code);
    if (rc == 0)
        rc = grid_manager_history(d, g.id, show_event, hist, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(hist);
        return cli_fail(&e);
    }
    if (json)
        print_json(json_pack("{s:s, s:s, s:s, s:o}", "code", g.code, "name", g.name, "unit", g.unit_code, "managers",
                             hist));
    return 0;
}

static int assign_cmd(int argc, char **argv, const char *cmd)
{
    bool release = strcmp(cmd, "grid release") == 0, unassign = strcmp(cmd, "grid unassign") == 0;
    const char *manager = NULL, *routes = NULL, *customers = NULL, *from = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--manager", &manager, NULL, NULL, NULL, 0},
                      {"--routes", &routes, NULL, NULL, NULL, 0},
                      {"--customers", &customers, NULL, NULL, NULL, 0},
                      {"--from", &from, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts(cmd, argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (release ? npos != 0 : npos != 1)
        return cli_usage_error(cmd, release ? "takes no grid: customers leave every grid" : "expected the grid code");
    if (!from)
        return cli_usage_error(cmd, "--from YYYY-MM-DD is required");
    if ((manager != NULL) == (routes != NULL || customers != NULL) || (unassign && !manager) || (release && manager))
        return cli_usage_error(cmd, unassign  ? "--manager LOGIN is required"
                                    : release ? "--customers is required"
                                              : "either --manager or --routes/--customers is expected");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc;
    if (manager) {
        bool changed;
        rc = grids_set_manager(d, cli_actor, pos[0], manager, from, !unassign, &changed, &e);
        if (rc == 0)
            printf("%s %s grid %s from %s%s\n", manager, unassign ? "no longer manages" : "manages", pos[0], from,
                   changed ? "" : " (already so: nothing written)");
    } else {
        char rbuf[4096], cbuf[16384];
        const char *rl[256], *cl[1024];
        snprintf(rbuf, sizeof rbuf, "%s", routes ? routes : "");
        snprintf(cbuf, sizeof cbuf, "%s", customers ? customers : "");
        int nr = split_list(rbuf, rl, 256), nc = split_list(cbuf, cl, 1024);
        grid_assign_result r;
        rc = grids_assign_customers(d, cli_actor, release ? NULL : pos[0], rl, nr, cl, nc, from, &r, &e);
        if (rc == 0)
            printf("%ld customers %s from %s, %ld already so\n", r.assigned,
                   release ? "out of every grid" : "in grid", from, r.unchanged);
    }
    db_close(d);
    return rc != 0 ? cli_fail(&e) : 0;
}

static int customer_event(void *ctx, const grid_assignment *a)
{
    if (ctx)
        json_array_append_new(ctx, json_pack("{s:s, s:o, s:s, s:s, s:s}", "from", a->valid_from, "grid",
                                             a->grid_code[0] ? json_string(a->grid_code) : json_null(), "source",
                                             a->source, "at", a->at, "by", a->by));
    else
        printf("  %s  %-12s %-16s (%s by %s)\n", a->valid_from, a->grid_code[0] ? a->grid_code : "(none)", a->source,
               a->at, a->by);
    return 0;
}

static int customer_cmd(int argc, char **argv)
{
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("grid customer", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("grid customer", "expected the customer code");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int64_t id;
    char path[160];
    json_t *hist = json ? json_array() : NULL;
    int rc = grid_customer_lookup(d, pos[0], &id, path, sizeof path, &e);
    if (rc == 0 && !json)
        printf("%s: grid history\n", pos[0]);
    if (rc == 0)
        rc = grid_customer_history(d, id, customer_event, hist, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(hist);
        return cli_fail(&e);
    }
    if (json)
        print_json(json_pack("{s:s, s:o}", "customer", pos[0], "history", hist));
    return 0;
}

static int import_cmd(int argc, char **argv)
{
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("grid import", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("grid import", "expected the CSV file");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    grid_import_report rep;
    int rc = grids_import(d, cli_actor, pos[0], &rep, &e);
    db_close(d);
    if (rep.errors.len)
        fputs(rep.errors.data, stderr);
    if (rc == 0)
        printf("%ld lines: %ld grids created, %ld manager assignments, %ld customers assigned, %ld already so\n",
               rep.rows, rep.grids_created, rep.managers, rep.customers, rep.unchanged);
    grid_import_report_free(&rep);
    return rc != 0 ? cli_fail(&e) : 0;
}

int cmd_grid(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(grid_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    argc--, argv++;
    if (strcmp(sub, "add") == 0)
        return add_cmd(argc, argv);
    if (strcmp(sub, "list") == 0)
        return list_cmd(argc, argv);
    if (strcmp(sub, "show") == 0)
        return show_cmd(argc, argv);
    if (strcmp(sub, "assign") == 0)
        return assign_cmd(argc, argv, "grid assign");
    if (strcmp(sub, "unassign") == 0)
        return assign_cmd(argc, argv, "grid unassign");
    if (strcmp(sub, "release") == 0)
        return assign_cmd(argc, argv, "grid release");
    if (strcmp(sub, "customer") == 0)
        return customer_cmd(argc, argv);
    if (strcmp(sub, "import") == 0)
        return import_cmd(argc, argv);
    return cli_usage_error("grid", "unknown subcommand '%s' (add, list, show, assign, unassign, release, "
                                   "customer, import)", sub);
}
