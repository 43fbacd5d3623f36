/* Risk warning over HTTP (docs/api.md "Risk", docs/risk.md): a month's risk list with reasons and
 * actions, the weekly tracking list of high-risk customers, and flagging a customer by hand. The
 * same app functions and formats as `powercis report risk`, `risk track` and `risk flag`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/risk.h"
#include "http/auth.h"
#include "http/download.h"
#include "http/router.h"

typedef struct {
    civil_month month;
    civil_date as_of;
    const char *scope, *cls;
} risk_query;

static int list_writer(http_request *r, const void *rq, const char *format, FILE *f, const char *path, pc_err *e)
{
    const risk_query *q = rq;
    return risk_report_write(r->d, q->month, q->scope, q->cls, format, f, path, e);
}

static int track_writer(http_request *r, const void *rq, const char *format, FILE *f, const char *path, pc_err *e)
{
    (void)path;
    const risk_query *q = rq;
    return risk_track_write(r->d, q->month, q->as_of, q->scope, format, f, e);
}

/* month (default: the month before this one, or none for tracking) and scope; -1 answered */
static int common_args(http_request *r, http_response *w, risk_query *q, bool month_default)
{
    memset(q, 0, sizeof *q);
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &q->scope) != 0)
        return -1;
    const char *month = http_query(r, "month");
    pc_err e = {0};
    q->as_of = date_today(r->cfg->utc_offset_minutes);
    if (month_default)
        q->month = month_add(month_of(q->as_of), -1);
    if (month && month_parse(month, &q->month, &e) != 0) {
        http_error(w, 400, "invalid", "month: a month YYYY-MM", "month");
        return -1;
    }
    return 0;
}

/* ---- GET /api/v1/risk ---- */

void h_risk_list(http_request *r, http_response *w)
{
    risk_query q;
    if (common_args(r, w, &q, true) != 0)
        return;
    const char *format = http_query(r, "format");
    format = format ? format : "json";
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
        http_error(w, 400, "invalid", "format: json, csv or xlsx", "format");
        return;
    }
    q.cls = http_query(r, "class");
    risk_class c;
    if (q.cls && risk_class_parse(q.cls, &c) != 0) {
        http_error(w, 400, "invalid", "class: low, medium or high", "class");
        return;
    }
    char fname[96];
    snprintf(fname, sizeof fname, "rui-ro-%s-%04d-%02d.%s", q.scope, (int)(q.month / 100), (int)(q.month % 100), format);
    report_answer(r, w, list_writer, &q, format, fname);
}

/* ---- GET /api/v1/risk/tracking ---- */

void h_risk_tracking(http_request *r, http_response *w)
{
    risk_query q;
    if (common_args(r, w, &q, false) != 0)
        return;
    const char *as_of = http_query(r, "as_of"), *format = http_query(r, "format");
    format = format ? format : "json";
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        http_error(w, 400, "invalid", "format: json or csv", "format");
        return;
    }
    pc_err e = {0};
    if (as_of && date_parse(as_of, &q.as_of, &e) != 0) {
        http_error(w, 400, "invalid", "as_of: a date YYYY-MM-DD", "as_of");
        return;
    }
    char fname[96];
    snprintf(fname, sizeof fname, "theo-doi-rui-ro-%s.%s", q.scope, format);
    report_answer(r, w, track_writer, &q, format, fname);
}

/* ---- POST /api/v1/risk/flags ---- */

void h_risk_flag_post(http_request *r, http_response *w)
{
    json_t *b = http_body_object(r, w);
    if (!b)
        return;
    const char *code = json_string_value(json_object_get(b, "customer"));
    const char *reason = json_string_value(json_object_get(b, "reason"));
    json_t *fl = json_object_get(b, "flagged");
    if (fl && !json_is_boolean(fl)) {
        json_decref(b);
        http_error(w, 400, "invalid", "flagged: true (flag) or false (clear)", "flagged");
        return;
    }
    int flagged = !fl || json_is_true(fl);
    if (!code || http_customer_code_shape(w, code, "customer") != 0) {
        if (!code)
            http_error(w, 400, "invalid", "customer: a customer code is required", "customer");
        json_decref(b);
        return;
    }
    if (!reason || !reason[strspn(reason, " \t")]) {
        json_decref(b);
        http_error(w, 400, "invalid", "reason: a reason is required", "reason");
        return;
    }
    if (http_customer_scope(r, w, code, "customer") != 0) {
        json_decref(b);
        return;
    }
    pc_err e = {0};
    int64_t id;
    if (risk_flag_customer(r->d, code, flagged, reason, r->user, &id, &e) != 0) {
        json_decref(b);
        http_fail(w, &e);
        return;
    }
    http_json(w, 201, json_pack("{s:I, s:s, s:b, s:s}", "id", (json_int_t)id, "customer", code, "flagged", flagged,
                                "reason", reason));
    json_decref(b);
}
