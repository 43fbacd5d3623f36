/* Outages and the reliability report over HTTP (docs/api.md "Outages", docs/outages.md): the
 * same use cases as `powercis outage` and `powercis report reliability` (app/outages.h), so the
 * API refuses what the CLI refuses with the same message. An outage is seen by the principals
 * whose scope covers its org node; one outside the scope is 404, like one that does not exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/outages.h"
#include "http/auth.h"
#include "http/download.h"
#include "http/idempotency.h"
#include "http/router.h"

static int add_outage(void *ctx, const outage_row *o)
{
    json_array_append_new(ctx, outage_json(o));
    return 0;
}

/* GET /api/v1/outages?scope=&month=&open=1&planned=0|1&limit=&offset= */
void h_outages_list(http_request *r, http_response *w)
{
    outage_list_request q = {.planned = -1};
    long limit, offset;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &q.scope) != 0 ||
        http_paging(r, w, 1000000, &limit, &offset) != 0)
        return;
    q.month = http_query(r, "month");
    const char *open = http_query(r, "open"), *planned = http_query(r, "planned");
    q.open_only = open && strcmp(open, "1") == 0;
    if (planned && strcmp(planned, "0") != 0 && strcmp(planned, "1") != 0) {
        http_error(w, 400, "invalid", "planned: 0 or 1", "planned");
        return;
    }
    if (planned)
        q.planned = planned[0] - '0';
    q.limit = limit + 1;
    q.offset = offset;
    json_t *items = json_array();
    pc_err e = {0};
    if (outages_list(r->d, &q, add_outage, items, &e) != 0) {
        json_decref(items);
        if (e.code == PC_EINVAL)
            http_error(w, 400, "invalid", e.msg, strncmp(e.msg, "month", 5) == 0 ? "month" : NULL);
        else
            http_fail(w, &e);
        return;
    }
    http_json(w, 200, http_page(items, limit, offset));
}

/* The field an add's refusal is about: the use case's messages start with it. */
static const char *field_of(const char *msg)
{
    static const char *const fields[] = {"scope", "start", "end", "customers", "route", "transformer", "cause", "note"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (strncmp(msg, fields[i], strlen(fields[i])) == 0 && msg[strlen(fields[i])] == ':')
            return fields[i];
    return strstr(msg, "customers[") ? "customers" : NULL;
}

/* POST /api/v1/outages {"scope", "start", "end"?, "planned"?, one of "customers" (a number or a
 * list of customer codes), "route", "transformer"; "cause"?, "note"?}. Adding the same outage
 * again answers the first one (200, "duplicate": true). */
void h_outage_add(http_request *r, http_response *w)
{
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    outage_add_request rq = {0};
    const char **codes = NULL;
    http_idem k;
    if (http_body_string(w, body, "scope", &rq.scope) || http_body_string(w, body, "start", &rq.start) ||
        http_body_string(w, body, "end", &rq.end) || http_body_string(w, body, "route", &rq.route) ||
        http_body_string(w, body, "transformer", &rq.transformer) || http_body_string(w, body, "cause", &rq.cause) ||
        http_body_string(w, body, "note", &rq.note))
        goto done;
    json_t *planned = json_object_get(body, "planned"), *customers = json_object_get(body, "customers");
    if (planned && !json_is_boolean(planned)) {
        http_error(w, 400, "invalid", "planned: true or false", "planned");
        goto done;
    }
    rq.planned = json_is_true(planned);
    if (json_is_integer(customers)) {
        rq.customers = json_integer_value(customers);
        if (rq.customers <= 0) {
            http_error(w, 400, "invalid", "customers: a number of customers (1 or more) or a list of codes",
                       "customers");
            goto done;
        }
    } else if (json_is_array(customers)) {
        size_t n = json_array_size(customers);
        codes = calloc(n ? n : 1, sizeof *codes);
        for (size_t i = 0; codes && i < n; i++) {
            codes[i] = json_string_value(json_array_get(customers, i));
            if (!codes[i]) {
                http_error(w, 400, "invalid", "customers: a list of customer codes (strings)", "customers");
                goto done;
            }
        }
        rq.codes = codes;
        rq.ncodes = (int)n;
    } else if (customers && !json_is_null(customers)) {
        http_error(w, 400, "invalid", "customers: a number of customers or a list of customer codes", "customers");
        goto done;
    }
    if (!rq.scope || !rq.scope[0]) {
        http_error(w, 400, "invalid", "scope: the org node the outage is under", "scope");
        goto done;
    }
    if (http_scope_arg(r, w, rq.scope, "scope", &rq.scope) != 0 || http_idem_begin(r, w, false, NULL, &k) != 0)
        goto done;
    pc_err e = {0};
    outage_added out;
    if (outage_add(r->d, r->cfg, r->user, &rq, &out, &e) != 0) {
        http_idem_abort(r, &k);
        if (e.code == PC_EINVAL)
            http_error(w, 400, "invalid", e.msg, field_of(e.msg));
        else
            http_fail(w, &e);
        goto done;
    }
    json_t *o = outage_json(&out.o);
    json_object_set_new(o, "duplicate", json_boolean(out.duplicate));
    json_object_set_new(o, "notices", json_integer(out.notices));
    json_object_set_new(o, "notices_before", json_integer(out.notices_before));
    json_object_set_new(o, "no_phone", json_integer(out.no_phone));
    http_idem_answer(r, w, &k, out.duplicate ? 200 : 201, o);
done:
    free(codes);
    json_decref(body);
}

/* POST /api/v1/outages/{id}/close {"end"} */
void h_outage_close(http_request *r, http_response *w)
{
    char *tail;
    long long id = strtoll(r->params[0], &tail, 10);
    if (!r->params[0][0] || *tail || id < 1) {
        http_error(w, 404, "not_found", "no such outage", NULL);
        return;
    }
    pc_err e = {0};
    outage_row o;
    if (outage_get(r->d, id, &o, &e) != 0 || !http_in_scope(r, o.org_path)) {
        http_error(w, 404, "not_found", "no such outage", NULL);
        return;
    }
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    const char *end;
    http_idem k;
    if (http_body_string(w, body, "end", &end) == 0 && http_idem_begin(r, w, false, NULL, &k) == 0) {
        if (outage_close(r->d, r->user, id, end, &o, &e) != 0) {
            http_idem_abort(r, &k);
            if (e.code == PC_EINVAL)
                http_error(w, 400, "invalid", e.msg, "end");
            else
                http_fail(w, &e);
        } else
            http_idem_answer(r, w, &k, 200, outage_json(&o));
    }
    json_decref(body);
}

/* POST /api/v1/outages/{id}/cancel {"reason"}: as `powercis outage cancel`; 409 when cancelled
 * already, 404 for none or one outside the scope. */
void h_outage_cancel(http_request *r, http_response *w)
{
    char *tail;
    long long id = strtoll(r->params[0], &tail, 10);
    if (!r->params[0][0] || *tail || id < 1) {
        http_error(w, 404, "not_found", "no such outage", NULL);
        return;
    }
    pc_err e = {0};
    outage_row o;
    if (outage_get(r->d, id, &o, &e) != 0 || !http_in_scope(r, o.org_path)) {
        http_error(w, 404, "not_found", "no such outage", NULL);
        return;
    }
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    const char *reason = NULL;
    http_idem k;
    if (http_body_string(w, body, "reason", &reason) == 0 && http_idem_begin(r, w, false, NULL, &k) == 0) {
        outage_cancelled out;
        if (outage_cancel(r->d, r->cfg, r->user, id, reason, &out, &e) != 0) {
            http_idem_abort(r, &k);
            if (e.code == PC_EINVAL)
                http_error(w, 400, "invalid", e.msg, "reason");
            else
                http_fail(w, &e);
        } else {
            json_t *j = outage_json(&out.o);
            json_object_set_new(j, "was_open", json_boolean(out.was_open));
            json_object_set_new(j, "cancel_notices", json_integer(out.notices));
            http_idem_answer(r, w, &k, 200, j);
        }
    }
    json_decref(body);
}

typedef struct {
    civil_month month;
    const char *scope;
} reliability_query;

static int reliability_writer(http_request *r, const void *rq, const char *format, FILE *f, const char *path,
                              pc_err *e)
{
    (void)path;
    const reliability_query *q = rq;
    return reliability_report_write(r->d, q->month, q->scope, format, f, e);
}

/* GET /api/v1/reports/reliability?month=YYYY-MM&scope=&format=json|csv */
void h_report_reliability(http_request *r, http_response *w)
{
    reliability_query q;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &q.scope) != 0)
        return;
    const char *month = http_query(r, "month"), *format = http_query(r, "format");
    format = format ? format : "json";
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        http_error(w, 400, "invalid", "format: json or csv", "format");
        return;
    }
    pc_err e = {0};
    if (!month || month_parse(month, &q.month, &e) != 0) {
        http_error(w, 400, "invalid", "month: a month YYYY-MM is required", "month");
        return;
    }
    char fname[64];
    snprintf(fname, sizeof fname, "reliability-%s-%04d-%02d.%s", q.scope, (int)(q.month / 100), (int)(q.month % 100),
             format);
    report_answer(r, w, reliability_writer, &q, format, fname);
}
