/* powercis worklist --manager USER: an account manager's worklist, the customers of the grids
 * the manager holds, by section (issue 11, docs/grids.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/worklist.h"
#include "cli/cli.h"

static const char worklist_usage[] =
    "usage: powercis worklist --manager USER [--date YYYY-MM-DD] [--format text|json|csv] [--limit N]\n"
    "                         [--due-days N]\n\n"
    "The customers of the grids USER manages on the date (default today), by section: overdue_debt\n"
    "(invoices past due), due_soon (unpaid, due within --due-days, default 7), work_orders (cut and\n"
    "reconnection orders still open), debt_cases (cases not closed); high_risk, service_requests\n"
    "and prepaid_low are listed as not available yet. --limit: items listed per section (default\n"
    "1000; the counts and amounts cover them all). Columns and fields: docs/grids.md.\n";

int cmd_worklist(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(worklist_usage, stdout);
        return 0;
    }
    const char *manager = NULL, *date = NULL, *format = NULL, *limit = NULL, *due = NULL, *pos[1];
    int npos;
    cli_opt opts[] = {{"--manager", &manager, NULL, NULL, NULL, 0},
                      {"--date", &date, NULL, NULL, NULL, 0},
                      {"--format", &format, NULL, NULL, NULL, 0},
                      {"--limit", &limit, NULL, NULL, NULL, 0},
                      {"--due-days", &due, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("worklist", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!manager)
        return cli_usage_error("worklist", "--manager USER is required");
    if (format && strcmp(format, "text") != 0 && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
        return cli_usage_error("worklist", "--format '%s': one of text, json, csv is expected", format);
    worklist_request rq = {.manager = manager, .date = date, .scope_path = "/"};
    if ((limit && cli_parse_int("--limit", limit, 1, 1000000, &rq.limit) != 0) ||
        (due && cli_parse_int("--due-days", due, 1, 366, &rq.due_days) != 0))
        return 2;
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    rq.low_balance = cfg->prepaid.low_balance;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    json_t *w;
    int rc = worklist_build(d, &rq, cfg->utc_offset_minutes, &w, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (format && strcmp(format, "json") == 0) {
        char *text = json_dumps(w, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
    } else if (format && strcmp(format, "csv") == 0) {
        rc = worklist_write_csv(w, stdout);
    } else {
        printf("worklist of %s (%s) on %s\n", json_string_value(json_object_get(w, "manager")),
               json_string_value(json_object_get(w, "name")), json_string_value(json_object_get(w, "date")));
        size_t i;
        json_t *g, *s;
        json_array_foreach(json_object_get(w, "grids"), i, g)
        {
            printf("grid %s %s: %lld customers\n", json_string_value(json_object_get(g, "code")),
                   json_string_value(json_object_get(g, "name")),
                   (long long)json_integer_value(json_object_get(g, "customers")));
        }
        json_array_foreach(json_object_get(w, "sections"), i, s)
        {
            if (!json_is_true(json_object_get(s, "available"))) {
                printf("\n%s: not available yet\n", json_string_value(json_object_get(s, "section")));
                continue;
            }
            printf("\n%s: %lld, %lld đồng\n", json_string_value(json_object_get(s, "section")),
                   (long long)json_integer_value(json_object_get(s, "count")),
                   (long long)json_integer_value(json_object_get(s, "amount")));
            size_t j;
            json_t *it;
            json_array_foreach(json_object_get(s, "items"), j, it)
            {
                const char *detail = json_string_value(json_object_get(it, "detail"));
                const char *dt = json_string_value(json_object_get(it, "date"));
                printf("  %-13s %-10s %12lld %3lld  %-10s %-12s %s\n",
                       json_string_value(json_object_get(it, "customer")),
                       json_string_value(json_object_get(it, "grid")),
                       (long long)json_integer_value(json_object_get(it, "amount")),
                       (long long)json_integer_value(json_object_get(it, "count")), dt ? dt : "-",
                       detail ? detail : "", json_string_value(json_object_get(it, "name")));
            }
        }
    }
    json_decref(w);
    return rc != 0 ? 1 : 0;
}
