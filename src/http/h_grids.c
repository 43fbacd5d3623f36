/* Service grids and the account managers' worklists over HTTP (docs/api.md "Grids"):
 * GET /api/v1/grids and GET /api/v1/worklist. An account manager sees its own worklist only; a
 * supervisor (every other role the route admits) sees that of any manager of its scope. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/grids.h"
#include "app/worklist.h"
#include "http/auth.h"
#include "http/download.h"
#include "http/router.h"

static int grid_item(void *ctx, const grid_summary *s)
{
    json_array_append_new(ctx, grid_summary_json(s));
    return 0;
}

void h_grids_list(http_request *r, http_response *w)
{
    const char *scope;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &scope) != 0)
        return;
    const char *manager = http_query(r, "manager");
    json_t *items = json_array();
    pc_err e = {0};
    if (grids_list(r->d, scope, http_query(r, "date"), manager && *manager ? manager : NULL,
                   r->cfg->utc_offset_minutes, grid_item, items, &e) != 0) {
        json_decref(items);
        http_error(w, e.code == PC_ENOTFOUND ? 404 : e.code == PC_EINVAL ? 400 : 500,
                   e.code == PC_ENOTFOUND ? "not_found" : e.code == PC_EINVAL ? "invalid" : "internal", e.msg,
                   e.code == PC_ENOTFOUND && manager ? "manager" : e.code == PC_EINVAL ? "date" : NULL);
        return;
    }
    http_json(w, 200, json_pack("{s:s, s:o}", "scope", scope, "items", items));
}

static int worklist_writer(http_request *r, const void *rq, const char *format, FILE *f, const char *path, pc_err *e)
{
    (void)path;
    json_t *wl;
    if (worklist_build(r->d, rq, r->cfg->utc_offset_minutes, &wl, e) != 0)
        return -1;
    int rc = 0;
    if (strcmp(format, "csv") == 0)
        rc = worklist_write_csv(wl, f);
    else
        rc = json_dumpf(wl, f, JSON_COMPACT);
    json_decref(wl);
    return rc != 0 ? pc_errf(e, PC_EIO, "cannot write the worklist") : 0;
}

void h_worklist_get(http_request *r, http_response *w)
{
    const char *manager = http_query(r, "manager"), *format = http_query(r, "format");
    format = format && *format ? format : "json";
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        http_error(w, 400, "invalid", "format: json or csv", "format");
        return;
    }
    bool own = !manager || !*manager || strcmp(manager, r->who.login) == 0;
    if (!own && strcmp(r->who.role, "account_manager") == 0) {
        http_error(w, 403, "forbidden", "an account manager sees its own worklist only", "manager");
        return;
    }
    long limit = http_query_long(r, w, "limit", 1000, 1, 100000);
    if (limit < 0)
        return;
    long due = http_query_long(r, w, "due_days", 7, 1, 366);
    if (due < 0)
        return;
    worklist_request rq = {.manager = own ? r->who.login : manager,
                           .date = http_query(r, "date"),
                           .scope_path = r->who.scope_path,
                           .limit = limit,
                           .due_days = due,
                           .low_balance = r->cfg->prepaid.low_balance,
                           .manager_in_scope = !own};
    char fname[128];
    snprintf(fname, sizeof fname, "worklist-%s.%s", rq.manager, format);
    report_answer(r, w, worklist_writer, &rq, format, fname);
}
