/* Reconciliation over HTTP (docs/api.md "Reconciliation", docs/reconciliation.md): one partner's
 * day as JSON, CSV or XLSX, the clearing of what the partner collected and we never posted, and
 * the partners. The same app functions as `powercis reconcile` (app/reconciliation.h) and the
 * same report formats (app/recon_report.h). A partner's day covers customers of every unit, so
 * it is read above the units only (router.c: ACCESS_RECONCILE). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/recon_report.h"
#include "app/reconciliation.h"
#include "http/download.h"
#include "http/router.h"

/* partner and date of a request (query or JSON body); -1 answered. */
static int partner_day(http_response *w, const char *partner, const char *date)
{
    if (!partner || !partner[0]) {
        http_error(w, 400, "invalid", "partner: the partner's code is required", "partner");
        return -1;
    }
    civil_date d;
    pc_err e = {0};
    if (!date || date_parse(date, &d, &e) != 0) {
        http_error(w, 400, "invalid", "date: a business day YYYY-MM-DD is required", "date");
        return -1;
    }
    return 0;
}

static void recon_failed(http_response *w, const pc_err *e)
{
    if (e->code == PC_ENOTFOUND)
        http_error(w, 404, "not_found", "no partner has this code", "partner");
    else
        http_fail(w, e);
}

typedef struct {
    const recon_report *report;
    const recon_clear_result *cleared;
} recon_answer;

static int recon_writer(http_request *r, const void *rq, const char *format, FILE *f, const char *path, pc_err *e)
{
    (void)r;
    const recon_answer *a = rq;
    return recon_report_write(a->report, a->cleared, format, f, path, e);
}

/* ---- GET /api/v1/reconciliation ---- */

void h_reconcile_get(http_request *r, http_response *w)
{
    const char *partner = http_query(r, "partner"), *date = http_query(r, "date"), *format = http_query(r, "format");
    format = format ? format : "json";
    if (partner_day(w, partner, date) != 0)
        return;
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
        http_error(w, 400, "invalid", "format: json, csv or xlsx", "format");
        return;
    }
    pc_err e = {0};
    recon_report rep;
    if (reconcile_day(r->d, partner, date, &rep, &e) != 0) {
        recon_failed(w, &e);
        return;
    }
    char fname[96];
    snprintf(fname, sizeof fname, "doi-soat-%s-%s.%s", rep.partner.code, rep.date, format);
    recon_answer a = {&rep, NULL};
    report_answer(r, w, recon_writer, &a, format, fname);
    recon_report_free(&rep);
}

/* ---- POST /api/v1/reconciliation/clear-missing ---- */

void h_reconcile_clear(http_request *r, http_response *w)
{
    const char *key = http_header(r, "Idempotency-Key");
    if (!key || !key[0] || strlen(key) > 63) {
        http_error(w, 400, "invalid",
                   "the Idempotency-Key header is required (at most 63 characters): the same key when resending",
                   "Idempotency-Key");
        return;
    }
    json_error_t je;
    json_t *b = json_loadb(r->body, r->body_len, 0, &je);
    if (!b || !json_is_object(b)) {
        json_decref(b);
        http_error(w, 400, "invalid", "a JSON object {\"partner\", \"date\"} is expected as the body", NULL);
        return;
    }
    const char *partner = json_string_value(json_object_get(b, "partner"));
    const char *date = json_string_value(json_object_get(b, "date"));
    if (partner_day(w, partner, date) != 0) {
        json_decref(b);
        return;
    }
    pc_err e = {0};
    recon_report rep;
    recon_clear_result cleared;
    /* clearing is idempotent by itself: each item is posted under the partner's own reference,
     * so a retry finds nothing missing and posts nothing (cleared.posted 0) */
    if (reconcile_clear_missing(r->d, r->user, r->cfg->utc_offset_minutes, partner, date, &cleared, &rep, &e) != 0) {
        recon_clear_result_free(&cleared);
        json_decref(b);
        recon_failed(w, &e);
        return;
    }
    json_decref(b);
    recon_answer a = {&rep, &cleared};
    report_answer(r, w, recon_writer, &a, "json", "");
    if (w->status == 200 && cleared.posted > 0)
        w->status = 201;
    recon_clear_result_free(&cleared);
    recon_report_free(&rep);
}

/* ---- GET /api/v1/partners ---- */

typedef struct {
    json_t *items;
    long skip, take, seen;
} partner_page;

static int add_partner(void *ctx, const partner_row *p)
{
    partner_page *x = ctx;
    long i = x->seen++;
    if (i >= x->skip && i < x->skip + x->take)
        json_array_append_new(x->items, json_pack("{s:s, s:s, s:s, s:i}", "code", p->code, "name", p->name, "kind",
                                                  p->kind, "settlement_days", p->settlement_days));
    return 0;
}

void h_partner_list(http_request *r, http_response *w)
{
    long limit = http_query_long(r, w, "limit", 50, 1, 100);
    if (limit < 0)
        return;
    long offset = http_query_long(r, w, "offset", 0, 0, 1000000);
    if (offset < 0)
        return;
    partner_page x = {json_array(), offset, limit, 0};
    pc_err e = {0};
    if (partner_list(r->d, add_partner, &x, &e) != 0) {
        json_decref(x.items);
        http_fail(w, &e);
        return;
    }
    http_json(w, 200,
              json_pack("{s:o, s:i, s:i, s:I, s:o}", "items", x.items, "limit", (int)limit, "offset", (int)offset, "total",
                        (json_int_t)x.seen, "next_offset", offset + limit < x.seen ? json_integer(offset + limit) : json_null()));
}
