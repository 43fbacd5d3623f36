/* An account manager's worklist (app/worklist.h): the sections are a table of queries, so a
 * section whose data arrives later (risk, service requests, prepaid) is one line here and one
 * query in store/grid_repo.c. */
#include "app/worklist.h"

#include <string.h>

#include "app/grids.h"
#include "base/date.h"
#include "domain/access.h"
#include "formats/csv_reader.h"
#include "store/grids.h"
#include "store/users.h"

typedef int (*worklist_section_fn)(db *d, const worklist_query *q, worklist_item_fn fn, void *ctx, pc_err *e);

/* The sections in the order a manager works them. A NULL query is a hook for data that other
 * parts of issue 11/12 bring (their tables do not exist on this branch): the section is listed
 * with "available": false until its query is put in. */
static const struct {
    const char *name;
    worklist_section_fn fn;
} sections[] = {
    {"overdue_debt", worklist_overdue_debt},
    {"due_soon", worklist_due_soon},
    {"work_orders", worklist_work_orders},
    {"debt_cases", worklist_debt_cases},
    {"high_risk", worklist_high_risk},
    {"service_requests", worklist_service_requests},
    {"prepaid_low", worklist_prepaid_low},
};

typedef struct {
    json_t *items;
    int64_t count, amount, limit;
    civil_date day;
} section_ctx;

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static int add_item(void *ctx, const worklist_item *it)
{
    section_ctx *x = ctx;
    x->count++;
    x->amount += it->amount;
    if (x->count > x->limit)
        return 0;
    json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "grid", it->grid ? it->grid : "",
                          "customer", it->customer ? it->customer : "", "name", it->name ? it->name : "", "address",
                          text_or_null(it->address), "phone", text_or_null(it->phone), "route",
                          text_or_null(it->route), "amount", (json_int_t)it->amount, "count", (json_int_t)it->count,
                          "date", text_or_null(it->date), "detail", text_or_null(it->detail));
    /* days: the worklist's date minus the item's (days overdue, the order's age; negative: days
     * left before a due date or a next action) */
    civil_date dt;
    pc_err ignore = {0};
    if (it->date && *it->date && date_parse(it->date, &dt, &ignore) == 0)
        json_object_set_new(o, "days", json_integer(date_days_between(dt, x->day)));
    else
        json_object_set_new(o, "days", json_null());
    json_object_set_new(o, "ref", it->ref ? json_integer(it->ref) : json_null());
    json_array_append_new(x->items, o);
    return 0;
}

static int add_grid(void *ctx, const grid_summary *s)
{
    json_array_append_new(ctx, grid_summary_json(s));
    return 0;
}

int worklist_build(db *d, const worklist_request *rq, int utc_offset, json_t **out, pc_err *e)
{
    *out = NULL;
    char date[DATE_FMT_MAX];
    civil_date day;
    if (rq->date) {
        if (date_parse(rq->date, &day, e) != 0)
            return pc_err_prefix(e, "date");
    } else
        day = date_today(utc_offset);
    date_format(day, date);
    char until[DATE_FMT_MAX];
    date_format(date_add_days(day, (int32_t)(rq->due_days > 0 ? rq->due_days : 7)), until);
    user_row u;
    if (user_get(d, rq->manager ? rq->manager : "", &u, e) != 0)
        return -1;
    if (strcmp(u.role, "partner") == 0)
        return pc_errf(e, PC_EINVAL, "user '%s' is a partner, not a manager", u.login);
    const char *scope = rq->scope_path && *rq->scope_path ? rq->scope_path : "/";
    /* outside the asker's scope a manager is as unknown as one that does not exist */
    if (rq->manager_in_scope && !access_in_scope(scope, u.scope_path))
        return pc_errf(e, PC_ENOTFOUND, "user '%s' does not exist", u.login);
    json_t *grids = json_array();
    if (grid_list(d, scope, date, u.id, add_grid, grids, e) != 0) {
        json_decref(grids);
        return -1;
    }
    json_t *secs = json_array();
    worklist_query q = {.user_id = u.id, .date = date, .scope_path = scope, .until = until, .low_balance = rq->low_balance};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        section_ctx x = {.items = json_array(), .limit = rq->limit > 0 ? rq->limit : 1000, .day = day};
        if (sections[i].fn && sections[i].fn(d, &q, add_item, &x, e) != 0) {
            json_decref(x.items);
            json_decref(secs);
            json_decref(grids);
            return pc_err_prefix(e, "worklist %s", sections[i].name);
        }
        json_array_append_new(secs, json_pack("{s:s, s:b, s:I, s:I, s:o}", "section", sections[i].name, "available",
                                              sections[i].fn != NULL, "count", (json_int_t)x.count, "amount",
                                              (json_int_t)x.amount, "items", x.items));
    }
    *out = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "manager", u.login, "name", u.name, "role", u.role, "date",
                     date, "grids", grids, "sections", secs);
    return 0;
}

static void cell(char *dst, size_t cap, const json_t *v)
{
    if (json_is_string(v))
        snprintf(dst, cap, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(dst, cap, "%lld", (long long)json_integer_value(v));
    else
        dst[0] = 0;
}

int worklist_write_csv(const json_t *w, FILE *f)
{
    static const char *const cols[] = {"section", "grid", "customer", "name", "address", "phone", "route",
                                       "amount", "count", "date", "days", "detail", "ref"};
    enum { N = sizeof cols / sizeof cols[0] };
    if (csv_write_record(f, cols, N) != 0)
        return -1;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(w, "sections"), i, s)
    {
        size_t j;
        json_t *it;
        json_array_foreach(json_object_get(s, "items"), j, it)
        {
            char vals[N][1024];
            const char *row[N];
            snprintf(vals[0], sizeof vals[0], "%s", json_string_value(json_object_get(s, "section")));
            for (int k = 1; k < N; k++)
                cell(vals[k], sizeof vals[k], json_object_get(it, cols[k]));
            for (int k = 0; k < N; k++)
                row[k] = vals[k];
            if (csv_write_record(f, row, N) != 0)
                return -1;
        }
    }
    return 0;
}
