/* The debt module over HTTP (docs/api.md "Debt"): the aging report and its trend, the phân kỳ
 * and AMR controls, adjustments and report locks, through the same app functions as
 * `powercis report`, `debt adjust` and `lock`.
 * Every scope a request names must lie inside the principal's own (403 with no data otherwise);
 * a request that names none gets the principal's own scope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/adjustments.h"
#include "app/aging_report.h"
#include "app/amr_report.h"
#include "app/customers.h"
#include "app/locks.h"
#include "app/phanky_report.h"
#include "http/auth.h"
#include "http/download.h"
#include "http/router.h"
#include "store/repo.h"

#define LIST_MAX_LIMIT 100

/* The report's provision scheme: the argument, else [debt] provision_scheme, else general. */
static int scheme_of(http_request *r, http_response *w, provision_scheme *scheme)
{
    const char *v = http_query(r, "provision");
    const char *name = v ? v : r->cfg->debt.provision_scheme[0] ? r->cfg->debt.provision_scheme : "general";
    if (provision_scheme_parse(name, scheme) != 0) {
        http_error(w, 400, "invalid", "provision: general or special", "provision");
        return -1;
    }
    return 0;
}

void h_report_aging_trend(http_request *r, http_response *w)
{
    const char *scope;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &scope) != 0)
        return;
    pc_err e = {0};
    civil_month m0, m1;
    const char *from = http_query(r, "from"), *to = http_query(r, "to");
    if (!from || month_parse(from, &m0, &e) != 0) {
        http_error(w, 400, "invalid", "from: a month YYYY-MM is required", "from");
        return;
    }
    if (!to || month_parse(to, &m1, &e) != 0) {
        http_error(w, 400, "invalid", "to: a month YYYY-MM is required", "to");
        return;
    }
    provision_scheme scheme;
    if (scheme_of(r, w, &scheme) != 0)
        return;
    aging_trend_row *rows = NULL;
    int n = 0;
    if (aging_trend(r->d, scope, m0, m1, scheme, &rows, &n, &e) != 0) {
        http_fail(w, &e);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        const aging_trend_row *x = &rows[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "month", x->month, "as_of", x->as_of, "class",
                              aging_class_field[x->cls], "customers", (json_int_t)x->customers);
        for (int b = 0; b < AGING_BUCKETS; b++)
            json_object_set_new(o, aging_bucket_field[b], json_integer(x->amount[b]));
        json_object_set_new(o, "total", json_integer(x->total));
        json_object_set_new(o, "provision", json_integer(x->provision));
        json_array_append_new(items, o);
    }
    free(rows);
    http_json(w, 200, json_pack("{s:s, s:s, s:s, s:o}", "report", "aging-trend", "scope", scope, "provision_scheme",
                                provision_scheme_name(scheme), "rows", items));
}

/* "2026Q3" → the quarter's last day, as `report phanky --quarter`. */
static int quarter_last_day(const char *s, civil_date *out)
{
    int year, q;
    char tail;
    if (strlen(s) != 6 || sscanf(s, "%4dQ%1d%c", &year, &q, &tail) != 2 || year < 1900 || q < 1 || q > 4)
        return -1;
    *out = month_last_day((civil_month)(year * 100 + q * 3));
    return 0;
}

static int phanky_writer(http_request *r, const void *rq, const char *format, FILE *f, const char *path, pc_err *e)
{
    return phanky_report_write(r->d, rq, format, f, path, e);
}

void h_report_phanky(http_request *r, http_response *w)
{
    const char *scope;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &scope) != 0)
        return;
    const char *quarter = http_query(r, "quarter"), *as_of = http_query(r, "as_of");
    const char *format = http_query(r, "format"), *exceptions = http_query(r, "exceptions");
    format = format ? format : "json";
    if (quarter && as_of) {
        http_error(w, 400, "invalid", "give quarter or as_of, not both", "quarter");
        return;
    }
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
        http_error(w, 400, "invalid", "format: json, csv or xlsx", "format");
        return;
    }
    pc_err e = {0};
    phanky_request rq = {date_today(r->cfg->utc_offset_minutes), scope, r->cfg->phanky,
                         exceptions && strcmp(exceptions, "1") == 0};
    if (quarter && quarter_last_day(quarter, &rq.as_of) != 0) {
        http_error(w, 400, "invalid", "quarter: a quarter like 2026Q3 (Q1 to Q4)", "quarter");
        return;
    }
    if (as_of && date_parse(as_of, &rq.as_of, &e) != 0) {
        http_error(w, 400, "invalid", "as_of: a date YYYY-MM-DD", "as_of");
        return;
    }
    char day[DATE_FMT_MAX], fname[96];
    date_format(rq.as_of, day);
    snprintf(fname, sizeof fname, "phanky-%s-%s.%s", scope, day, format);
    report_answer(r, w, phanky_writer, &rq, format, fname);
}

static int aging_writer(http_request *r, const void *rq, const char *format, FILE *f, const char *path, pc_err *e)
{
    aging_sink s;
    int rc;
    if (strcmp(format, "xlsx") == 0) {
        aging_xlsx_ctx *x = aging_xlsx_ctx_open(path);
        aging_xlsx_sink(x, &s);
        rc = aging_report_run(r->d, rq, &s, e);
        aging_xlsx_ctx_free(x);
    } else if (strcmp(format, "csv") == 0) {
        aging_csv *c = aging_csv_open(f);
        aging_csv_sink(c, &s);
        rc = aging_report_run(r->d, rq, &s, e);
        aging_csv_free(c);
    } else {
        aging_json *j = aging_json_open(f, NULL);
        aging_json_sink(j, &s);
        rc = aging_report_run(r->d, rq, &s, e);
        aging_json_free(j);
    }
    return rc;
}

static json_t *invoice_name(const char *symbol, int64_t number);

/* by=invoice&customer=CODE: the drill-down below a unit's customers, one customer's invoices open
 * at the end of the day with their buckets (JSON only; live figures). */
static void aging_invoices_answer(http_request *r, http_response *w, civil_date day)
{
    const char *code = http_query(r, "customer"), *format = http_query(r, "format");
    if (!code || !code[0]) {
        http_error(w, 400, "invalid", "customer: by=invoice needs the customer code", "customer");
        return;
    }
    if (format && strcmp(format, "json") != 0) {
        http_error(w, 400, "invalid", "format: by=invoice answers json only", "format");
        return;
    }
    if (http_customer_scope(r, w, code, "customer") != 0)
        return;
    customer c;
    aging_invoice_row *rows = NULL;
    int n = 0;
    pc_err e = {0};
    if (aging_invoices(r->d, code, day, &c, &rows, &n, &e) != 0) {
        http_fail(w, &e);
        return;
    }
    int64_t sums[AGING_BUCKETS] = {0}, total = 0;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        const open_bill *v = &rows[i].inv;
        json_array_append_new(items, json_pack("{s:o, s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "invoice",
                                               invoice_name(v->symbol, v->number), "invoice_id",
                                               (json_int_t)v->invoice_id, "period", v->period, "issue_date",
                                               v->issue_date, "due_date", v->due_date, "total", (json_int_t)v->total,
                                               "open", (json_int_t)v->open, "bucket", aging_bucket_field[rows[i].bucket]));
        sums[rows[i].bucket] += v->open;
        total += v->open;
    }
    free(rows);
    json_t *totals = json_object();
    for (int b = 0; b < AGING_BUCKETS; b++)
        json_object_set_new(totals, aging_bucket_field[b], json_integer(sums[b]));
    json_object_set_new(totals, "total", json_integer(total));
    char as_of[DATE_FMT_MAX];
    date_format(day, as_of);
    http_json(w, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "report", "aging-invoices", "as_of",
                                as_of, "customer_code", c.code, "name", c.name, "address", c.address, "unit", c.unit,
                                "class", c.purpose == PURPOSE_RESIDENTIAL ? "residential" : "nonresidential", "status",
                                c.status, "rows", items, "totals", totals));
}

void h_report_aging(http_request *r, http_response *w)
{
    const char *scope;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &scope) != 0)
        return;
    const char *as_of = http_query(r, "as_of");
    pc_err e = {0};
    civil_date day;
    if (!as_of || date_parse(as_of, &day, &e) != 0) {
        http_error(w, 400, "invalid", "as_of: a date YYYY-MM-DD is required", "as_of");
        return;
    }
    const char *by = http_query(r, "by");
    by = by ? by : "unit";
    if (strcmp(by, "invoice") == 0) {
        aging_invoices_answer(r, w, day);
        return;
    }
    if (strcmp(by, "customer") != 0 && strcmp(by, "unit") != 0 && strcmp(by, "company") != 0 &&
        strcmp(by, "corporation") != 0) {
        http_error(w, 400, "invalid", "by: invoice, customer, unit, company or corporation", "by");
        return;
    }
    const char *format = http_query(r, "format");
    format = format ? format : "json";
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
        http_error(w, 400, "invalid", "format: json, csv or xlsx", "format");
        return;
    }
    provision_scheme scheme;
    if (scheme_of(r, w, &scheme) != 0)
        return;
    aging_request rq = {day, scope, by, scheme, false};
    char fname[96];
    snprintf(fname, sizeof fname, "aging-%s-%s.%s", scope, as_of, format);
    report_answer(r, w, aging_writer, &rq, format, fname);
}

typedef struct {
    civil_month month;
    const char *scope;
} amr_query;

static int amr_writer(http_request *r, const void *rq, const char *format, FILE *f, const char *path, pc_err *e)
{
    (void)path;
    const amr_query *q = rq;
    return amr_report_write(r->d, q->month, q->scope, format, f, e);
}

void h_report_amr(http_request *r, http_response *w)
{
    amr_query q;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &q.scope) != 0)
        return;
    const char *month = http_query(r, "month"), *format = http_query(r, "format");
    format = format ? format : "json";
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        http_error(w, 400, "invalid", "format: json or csv", "format");
        return;
    }
    pc_err e = {0};
    /* the default is the CLI's: the month before this one */
    q.month = month_add(month_of(date_today(r->cfg->utc_offset_minutes)), -1);
    if (month && month_parse(month, &q.month, &e) != 0) {
        http_error(w, 400, "invalid", "month: a month YYYY-MM", "month");
        return;
    }
    char fname[64];
    snprintf(fname, sizeof fname, "amr-%s-%04d-%02d.%s", q.scope, (int)(q.month / 100), (int)(q.month % 100), format);
    report_answer(r, w, amr_writer, &q, format, fname);
}

/* ---- adjustments ---- */

static json_t *invoice_name(const char *symbol, int64_t number)
{
    if (!symbol[0])
        return json_null();
    char name[48];
    snprintf(name, sizeof name, "%s/%lld", symbol, (long long)number);
    return json_string(name);
}

static json_t *adjustment_json(const adjustment_row *x)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:s, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)x->id,
                          "kind", x->kind, "customer_code", x->customer_code, "unit", x->unit_code, "invoice",
                          invoice_name(x->symbol, x->number), "invoice_id", (json_int_t)x->invoice_id, "period",
                          x->period, "amount", (json_int_t)x->amount, "date", x->adj_date, "reason", x->reason,
                          "created_at", x->created_at, "created_by", x->created_by);
    json_object_set_new(o, "pair_id", x->pair_id ? json_integer(x->pair_id) : json_null());
    json_object_set_new(o, "approval", x->approval[0] ? json_string(x->approval) : json_null());
    json_object_set_new(o, "document_id", x->document_id ? json_integer(x->document_id) : json_null());
    return o;
}

/* The body field a use-case message is about: the CLI's messages name the flag ("--amount: …",
 * "a write-off needs … --approval …"); the first one named maps to the JSON field of the same
 * meaning. */
static const char *field_of(const char *msg)
{
    msg = strstr(msg, "--");
    if (!msg)
        return NULL;
    static const struct {
        const char *flag, *field;
    } map[] = {{"--amount", "amount"},         {"--reason", "reason"},       {"--kind", "kind"},
               {"--approval", "approval"},     {"--ref", "Idempotency-Key"}, {"--doc", "document_id"},
               {"--date", "date"},             {"--to-invoice", "to_invoice"}, {"--to ", "to"},
               {"--invoice", "invoice"},       {"--scope", "scope"},         {"--period", "period"},
               {"--as", "as"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(msg, map[i].flag, strlen(map[i].flag)) == 0)
            return map[i].field;
    return NULL;
}

static void fail_with_field(http_response *w, const pc_err *e)
{
    if (e->code == PC_EINVAL)
        http_error(w, 400, "invalid", e->msg, field_of(e->msg));
    else
        http_fail(w, e);
}

void h_adjustment_post(http_request *r, http_response *w)
{
    /* the key is the adjustment's --ref: a retry after a lost answer posts nothing twice */
    const char *key = http_header(r, "Idempotency-Key");
    if (!key || !key[0]) {
        http_error(w, 400, "invalid", "Idempotency-Key: a posting needs a key of 1 to 63 characters, the same on a retry",
                   "Idempotency-Key");
        return;
    }
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    adjustment_request q = {.ref = key};
    const char *customer_code;
    if (http_body_string(w, body, "customer_code", &customer_code) || http_body_string(w, body, "invoice", &q.invoice) ||
        http_body_string(w, body, "kind", &q.kind) || http_body_string(w, body, "reason", &q.reason) ||
        http_body_string(w, body, "date", &q.date) || http_body_string(w, body, "to", &q.to_customer) ||
        http_body_string(w, body, "to_invoice", &q.to_invoice) || http_body_string(w, body, "approval", &q.approval))
        goto done;
    if (!customer_code || !customer_code[0]) {
        http_error(w, 400, "invalid", "customer_code: the customer whose debt is adjusted", "customer_code");
        goto done;
    }
    json_t *amount = json_object_get(body, "amount");
    if (!json_is_integer(amount)) {
        http_error(w, 400, "invalid", "amount: a whole number of đồng (signed for a correction)", "amount");
        goto done;
    }
    q.amount = json_integer_value(amount);
    json_t *doc = json_object_get(body, "document_id");
    if (doc && !json_is_null(doc)) {
        if (!json_is_integer(doc) || json_integer_value(doc) < 1) {
            http_error(w, 400, "invalid", "document_id: a document id is a positive number", "document_id");
            goto done;
        }
        q.document_id = json_integer_value(doc);
    }
    q.customer_code = customer_code;
    pc_err e = {0};
    if (adjustment_request_check(&q, &e) != 0) {
        fail_with_field(w, &e);
        goto done;
    }
    if (http_customer_scope(r, w, customer_code, "customer_code") != 0 ||
        (q.to_customer && http_customer_scope(r, w, q.to_customer, "to") != 0))
        goto done;
    adjustment_result res;
    if (adjustment_post(r->d, r->user, r->cfg->utc_offset_minutes, &q, &res, &e) != 0) {
        fail_with_field(w, &e);
        goto done;
    }
    json_t *rows = json_array();
    for (int i = 0; i < res.nrows; i++) {
        json_t *o = adjustment_json(&res.rows[i]);
        json_object_set_new(o, "invoice_open", json_integer(res.invoice_open[i]));
        json_object_set_new(o, "customer_open", json_integer(res.customer_open[i]));
        json_array_append_new(rows, o);
    }
    const adjustment_row *first = &res.rows[0];
    http_json(w, res.repeated ? 200 : 201,
              json_pack("{s:I, s:s, s:s, s:b, s:o}", "adjustment_id", (json_int_t)first->id, "kind", first->kind,
                        "date", first->adj_date, "repeated", res.repeated, "rows", rows));
done:
    json_decref(body);
}

typedef struct {
    json_t *items;
    long skip, take, seen;
} page_ctx;

static int page_adjustment(void *ctx, const adjustment_row *x)
{
    page_ctx *p = ctx;
    long i = p->seen++;
    if (i >= p->skip && i < p->skip + p->take)
        json_array_append_new(p->items, adjustment_json(x));
    return 0;
}

static json_t *page_json(page_ctx *p, long limit, long offset)
{
    return json_pack("{s:o, s:i, s:i, s:o, s:I}", "items", p->items, "limit", (int)limit, "offset", (int)offset,
                     "next_offset", p->seen > offset + limit ? json_integer(offset + limit) : json_null(), "count",
                     (json_int_t)p->seen);
}

void h_adjustment_list(http_request *r, http_response *w)
{
    const char *scope;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &scope) != 0)
        return;
    const char *customer_code = http_query(r, "customer");
    if (customer_code && http_customer_scope(r, w, customer_code, "customer") != 0)
        return;
    long limit = http_query_long(r, w, "limit", 20, 1, LIST_MAX_LIMIT);
    if (limit < 0)
        return;
    long offset = http_query_long(r, w, "offset", 0, 0, 1000000);
    if (offset < 0)
        return;
    page_ctx p = {json_array(), offset, limit, 0};
    pc_err e = {0};
    if (adjustments_list(r->d, customer_code, customer_code ? NULL : scope, http_query(r, "from"),
                         http_query(r, "to"), page_adjustment, &p, &e) != 0) {
        json_decref(p.items);
        fail_with_field(w, &e);
        return;
    }
    http_json(w, 200, page_json(&p, limit, offset));
}

/* ---- locks ---- */

static json_t *lock_json(const lock_row *x)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)x->id, "scope", x->org_code,
                          "period", x->period, "locked_at", x->locked_at, "locked_by", x->locked_by, "locked_as",
                          x->locked_as, "status", x->unlocked_at[0] ? "unlocked" : "locked");
    json_object_set_new(o, "unlocked",
                        x->unlocked_at[0] ? json_pack("{s:s, s:s, s:s, s:s}", "at", x->unlocked_at, "by",
                                                      x->unlocked_by, "as", x->unlocked_as, "reason", x->unlock_reason)
                                          : json_null());
    return o;
}

/* locks_list names the locks under the scope and those above it (they cover it), never a
 * sibling's: nothing outside the principal's subtree but what closes its own months */
static int page_lock(void *ctx, const lock_row *x)
{
    page_ctx *p = ctx;
    long i = p->seen++;
    if (i >= p->skip && i < p->skip + p->take)
        json_array_append_new(p->items, lock_json(x));
    return 0;
}

void h_lock_list(http_request *r, http_response *w)
{
    const char *scope;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &scope) != 0)
        return;
    long limit = http_query_long(r, w, "limit", 20, 1, LIST_MAX_LIMIT);
    if (limit < 0)
        return;
    long offset = http_query_long(r, w, "offset", 0, 0, 1000000);
    if (offset < 0)
        return;
    const char *all = http_query(r, "all");
    page_ctx p = {json_array(), offset, limit, 0};
    pc_err e = {0};
    if (locks_list(r->d, scope, http_query(r, "period"), all && strcmp(all, "1") == 0, page_lock, &p, &e) != 0) {
        json_decref(p.items);
        fail_with_field(w, &e);
        return;
    }
    http_json(w, 200, page_json(&p, limit, offset));
}

/* The scope, period and acting node of a lock or unlock body: the node acted for defaults to
 * the principal's own and must lie inside its scope, which is what makes "only the level
 * above unlocks" hold for people (the app layer checks the nodes against each other). */
static int lock_body(http_request *r, http_response *w, json_t *body, const char **scope, const char **period,
                     const char **as)
{
    if (http_body_string(w, body, "scope", scope) || http_body_string(w, body, "period", period) ||
        http_body_string(w, body, "as", as))
        return -1;
    if (!*scope || !(*scope)[0]) {
        http_error(w, 400, "invalid", "scope: the org code whose month is locked", "scope");
        return -1;
    }
    if (!*period || !(*period)[0]) {
        http_error(w, 400, "invalid", "period: the month YYYY-MM", "period");
        return -1;
    }
    const char *s;
    if (http_scope_arg(r, w, *scope, "scope", &s) != 0 || http_scope_arg(r, w, *as, "as", as) != 0)
        return -1;
    return 0;
}

void h_lock_post(http_request *r, http_response *w)
{
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    const char *scope, *period, *as;
    if (lock_body(r, w, body, &scope, &period, &as) == 0) {
        pc_err e = {0};
        int64_t id = 0;
        if (lock_period(r->d, scope, period, as, r->user, &id, &e) != 0) {
            if (e.code == PC_EFORBIDDEN)
                http_error(w, 403, "forbidden", e.msg, "as");
            else
                fail_with_field(w, &e);
        }
        else
            http_json(w, 201, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "scope", scope, "period",
                                        period, "locked_as", as, "status", "locked"));
    }
    json_decref(body);
}

void h_lock_unlock(http_request *r, http_response *w)
{
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    const char *scope, *period, *as, *reason;
    if (lock_body(r, w, body, &scope, &period, &as) == 0 && http_body_string(w, body, "reason", &reason) == 0) {
        pc_err e = {0};
        if (!reason || !reason[0])
            http_error(w, 400, "invalid", "reason: an unlock needs a reason", "reason");
        else if (unlock_period(r->d, scope, period, as, reason, r->user, &e) != 0) {
            /* a node that is not above the lock's node is a refusal of the person, not of the input */
            if (e.code == PC_EFORBIDDEN)
                http_error(w, 403, "forbidden", e.msg, "as");
            else
                fail_with_field(w, &e);
        } else
            http_json(w, 200, json_pack("{s:s, s:s, s:s, s:s}", "scope", scope, "period", period, "unlocked_as", as,
                                        "status", "unlocked"));
    }
    json_decref(body);
}
