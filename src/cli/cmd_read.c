/* powercis read add|import|list|approve|correct. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/org.h"
#include "app/reads.h"
#include "cli/cli.h"

static const char read_usage[] =
    "usage: powercis read add CODE --date YYYY-MM-DD (--total N | --normal N --peak N --offpeak N)\n"
    "                         [--meter SERIAL] [--route R] [--source cli|amr]\n"
    "       powercis read import FILE.csv [--source file|amr]\n"
    "       powercis read list [--flagged] [--customer CODE] [--scope CODE] [--from D] [--to D]\n"
    "                          [--limit N] [--json]\n"
    "       powercis read approve ID... --reason TEXT\n"
    "       powercis read correct ID (--total N | --normal N --peak N --offpeak N) --reason TEXT\n\n"
    "A read is checked against the meter's previous one (DOMAIN 4): a backwards index that is not a\n"
    "plausible rollover, zero consumption on an active meter, or a deviation of more than 50% and\n"
    "100 kWh from the average of the previous 3 periods puts it in the queue (`read list --flagged`);\n"
    "a flagged read is never billed until it is approved or corrected. A meter's first read is its\n"
    "initial index. The CSV format is in docs/formats.md. --source amr marks reads the automatic\n"
    "meter-reading system sent (counted as received in `report amr`); the default is a read taken by\n"
    "hand (cli, or the file's).\n";

static void print_read(const read_row *r, json_t *arr)
{
    char flags[64];
    read_flags_format(r->flags, flags, sizeof flags);
    if (arr) {
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s?}", "id", (json_int_t)r->id, "customer_code",
                              r->customer_code, "meter", r->meter_serial, "reading_date", r->read_date, "kind", r->kind,
                              "index", json_object(), "status", r->status, "flags", flags, "note",
                              r->note[0] ? r->note : NULL);
        for (int g = 0; g < REG_COUNT; g++)
            if (r->idx.has[g])
                json_object_set_new(json_object_get(o, "index"), register_name((meter_register)g), json_integer(r->idx.v[g]));
        json_object_set_new(o, "kwh", r->kwh_known ? json_integer(r->kwh_sum) : json_null());
        json_array_append_new(arr, o);
        return;
    }
    printf("%8lld  %s  %-14s %s  %-7s ", (long long)r->id, r->customer_code, r->meter_serial, r->read_date, r->kind);
    for (int g = 0; g < REG_COUNT; g++)
        if (r->idx.has[g])
            printf("%s=%lld ", register_name((meter_register)g), (long long)r->idx.v[g]);
    if (r->kwh_known)
        printf(" %lld kWh", (long long)r->kwh_sum);
    else if (strcmp(r->kind, "initial") != 0)
        printf(" ? kWh");
    printf("  %s%s%s%s%s\n", r->status, flags[0] ? " [" : "", flags, flags[0] ? "]" : "", "");
    if (r->note[0])
        printf("          %s\n", r->note);
}

static int add_cmd(int argc, char **argv)
{
    read_input in;
    memset(&in, 0, sizeof in);
    const char *code = NULL, *source = "cli";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') {
            if (code)
                return cli_usage_error("read add", "unexpected argument '%s'", a);
            code = a;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error("read add", "%s needs a value", a);
        const char *v = argv[++i];
        int matched;
        if (cli_register_flag(a, "", v, &in.idx, &matched) != 0)
            return 2;
        if (matched)
            continue;
        if (strcmp(a, "--date") == 0) {
            if (strlen(v) >= sizeof in.date)
                return cli_usage_error("read add", "--date: '%s' is not in the form YYYY-MM-DD", v);
            snprintf(in.date, sizeof in.date, "%s", v);
        }
        else if (strcmp(a, "--source") == 0) {
            if (strcmp(v, "cli") != 0 && strcmp(v, "amr") != 0)
                return cli_usage_error("read add", "--source '%s' is not cli (taken by hand) or amr (automatic)", v);
            source = v;
        }
        else if (strcmp(a, "--meter") == 0 || strcmp(a, "--route") == 0) {
            char *dst = a[2] == 'm' ? in.meter : in.route;
            size_t cap = a[2] == 'm' ? sizeof in.meter : sizeof in.route;
            if (strlen(v) >= cap)
                return cli_usage_error("read add", "%s: longer than %zu characters", a, cap - 1);
            snprintf(dst, cap, "%s", v);
        }
        else
            return cli_usage_error("read add", "unknown option '%s'", a);
    }
    if (!code)
        return cli_usage_error("read add", "expected the customer CODE");
    if (!in.date[0])
        return cli_usage_error("read add", "--date is required");
    snprintf(in.customer_code, sizeof in.customer_code, "%s", code);
    snprintf(in.source, sizeof in.source, "%s", source);
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    read_rules rules = cfg->reads;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    read_row r;
    int rc = read_post(d, cli_actor, &rules, &in, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_read(&r, NULL);
    return 0;
}

static int import_cmd(int argc, char **argv)
{
    const char *source = "file";
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--source", &source, NULL, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    int prc = cli_parse_opts("read import", argc, argv, 1, opts, pos, 1, &npos);
    if (prc)
        return prc;
    if (npos != 1)
        return cli_usage_error("read import", "expected one FILE.csv");
    if (strcmp(source, "file") != 0 && strcmp(source, "amr") != 0)
        return cli_usage_error("read import", "--source '%s' is not file (read by hand) or amr (automatic)", source);
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    read_rules rules = cfg->reads;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    read_import_report rep;
    int rc = read_import(d, cli_actor, &rules, pos[0], strcmp(source, "amr") == 0, &rep, &e);
    db_close(d);
    if (rc != 0) {
        if (rep.errors.len)
            fputs(rep.errors.data, stderr);
        if (rep.error_rows > 1000)
            fprintf(stderr, "… and %ld more lines with errors\n", rep.error_rows - 1000);
        read_import_report_free(&rep);
        return cli_fail(&e);
    }
    if (rep.already)
        printf("%s was already imported on %s: nothing changed\n", pos[0], rep.already_at);
    else
        printf("imported %ld reads from %s: %ld ok, %ld flagged for review, %ld initial indexes\n", rep.rows, pos[0],
               rep.ok, rep.flagged, rep.initial);
    read_import_report_free(&rep);
    return 0;
}

static int print_cb(void *ctx, const read_row *r)
{
    print_read(r, ctx);
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{"flagged", no_argument, NULL, 'f'},   {"customer", required_argument, NULL, 'c'},
                                         {"scope", required_argument, NULL, 's'}, {"from", required_argument, NULL, 'a'},
                                         {"to", required_argument, NULL, 'b'},    {"limit", required_argument, NULL, 'l'},
                                         {"json", no_argument, NULL, 'j'},        {NULL, 0, NULL, 0}};
    read_filter f = {0};
    const char *scope = NULL;
    int json = 0, c;
    int64_t limit = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'f': f.flagged_only = true; break;
        case 'c': f.customer_code = optarg; break;
        case 's': scope = optarg; break;
        case 'a': f.from = optarg; break;
        case 'b': f.to = optarg; break;
        case 'l':
            if (cli_parse_int("--limit", optarg, 1, 1000000, &limit) != 0)
                return 2;
            break;
        case 'j': json = 1; break;
        default: return cli_usage_error("read list", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("read list", "unexpected argument '%s'", argv[optind]);
    f.limit = (int)limit;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    char path[160];
    json_t *arr = json ? json_array() : NULL;
    int rc = org_scope_path(d, scope, path, &f.scope_path, &e);
    if (rc == 0)
        rc = read_list(d, &f, print_cb, arr, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(arr);
        return cli_fail(&e);
    }
    if (arr) {
        char *s = json_dumps(arr, JSON_INDENT(2));
        puts(s);
        free(s);
        json_decref(arr);
    }
    return 0;
}

static int approve_cmd(int argc, char **argv)
{
    const char *reason = NULL;
    int64_t ids[1000];
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc) {
            reason = argv[++i];
            continue;
        }
        if (argv[i][0] == '-' || n == 1000)
            return cli_usage_error("read approve", "unexpected argument '%s'", argv[i]);
        if (cli_parse_int("ID", argv[i], 1, INT64_MAX, &ids[n++]) != 0)
            return 2;
    }
    if (n == 0)
        return cli_usage_error("read approve", "expected read IDs");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int status = 0;
    for (int i = 0; i < n; i++) {
        if (read_approve(d, cli_actor, ids[i], reason, &e) != 0) {
            status = cli_fail(&e);
            continue;
        }
        printf("approved read %lld\n", (long long)ids[i]);
    }
    db_close(d);
    return status;
}

static int correct_cmd(int argc, char **argv)
{
    const char *reason = NULL;
    int64_t id = 0;
    register_values idx = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') {
            if (id || cli_parse_int("ID", a, 1, INT64_MAX, &id) != 0)
                return cli_usage_error("read correct", "unexpected argument '%s'", a);
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error("read correct", "%s needs a value", a);
        const char *v = argv[++i];
        int matched;
        if (cli_register_flag(a, "", v, &idx, &matched) != 0)
            return 2;
        if (matched)
            continue;
        if (strcmp(a, "--reason") == 0)
            reason = v;
        else
            return cli_usage_error("read correct", "unknown option '%s'", a);
    }
    if (!id)
        return cli_usage_error("read correct", "expected the read ID");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    read_rules rules = cfg->reads;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    read_row r;
    int rc = read_correct(d, cli_actor, &rules, id, &idx, reason, &r, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    print_read(&r, NULL);
    return 0;
}

int cmd_read(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(read_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") == 0)
        return add_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "import") == 0)
        return import_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "approve") == 0)
        return approve_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "correct") == 0)
        return correct_cmd(argc - 1, argv + 1);
    return cli_usage_error("read", "unknown subcommand '%s'", sub);
}
