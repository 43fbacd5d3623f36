/* Billing and invoices over HTTP (docs/api.md "Reads and billing", "Invoices"): billing runs
 * (started and recorded as `bill run`, app/billing.h), issued invoices as `invoice show --json`,
 * their PDF and e-invoice XML, adjusting and replacing invoices, and a customer's history:
 * invoices with what is open, payments and kWh per period. An invoice or a billing run outside
 * the caller's scope is 404 like one that does not exist (their ids are sequential); a customer
 * code outside it is 403, as in h_customers.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/billing.h"
#include "app/invoices.h"
#include "app/payments.h"
#include "app/tariffs.h"
#include "base/date.h"
#include "base/hash.h"
#include "http/api_util.h"
#include "http/auth.h"
#include "http/idempotency.h"
#include "http/router.h"
#include "store/history.h"
#include "store/repo.h"

/* ---- billing runs ---- */

static json_t *run_json(const billing_run_row *x)
{
    return json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s, s:s, s:s?, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
                     "s:s?}",
                     "id", (json_int_t)x->id, "period", x->period, "scope", x->scope_code[0] ? x->scope_code : NULL,
                     "route", x->route[0] ? x->route : NULL, "issue_date", x->issue_date, "status", x->status,
                     "started_at", x->started_at, "finished_at", x->finished_at[0] ? x->finished_at : NULL,
                     "started_by", x->started_by, "customers", (json_int_t)x->customers, "invoices",
                     (json_int_t)x->invoices, "reads", (json_int_t)x->reads, "kwh", (json_int_t)x->kwh, "energy",
                     (json_int_t)x->energy, "vat", (json_int_t)x->vat, "total", (json_int_t)x->total, "credit_applied",
                     (json_int_t)x->credit, "zero_periods", (json_int_t)x->zero, "error",
                     x->error[0] ? x->error : NULL);
}

/* A node code of the body or the query within the caller's scope (default: the caller's own);
 * its path into path. -1 answered (400 naming field). */
static int scope_node(http_request *r, http_response *w, const char *code, const char *field, org_row *n)
{
    pc_err e = {0};
    if (!code || !code[0])
        code = r->who.scope_code;
    if (org_get(r->d, code, n, &e) == 0 && http_in_scope(r, n->path))
        return 0;
    if (e.code == PC_EDB || e.code == PC_EINTERNAL)
        http_fail(w, &e);
    else
        api_bad_field(w, field, "not an org node within your scope");
    return -1;
}

/* POST /api/v1/billing-runs {"period", "scope"?, "issue_date"?, "route"?}: runs synchronously
 * (docs/api.md: the answer comes when the run has finished); Idempotency-Key required. */
void h_billing_run_post(http_request *r, http_response *w)
{
    const char *key = http_header(r, "Idempotency-Key");
    if (!key || !key[0] || strlen(key) > 63) {
        http_error(w, 400, "invalid", "the Idempotency-Key header is required (at most 63 characters): a new key per "
                   "run, the same key when resending", "Idempotency-Key");
        return;
    }
    json_t *b = api_body_object(r, w);
    if (!b)
        return;
    const char *period, *scope, *issue, *route;
    bill_options o = {0};
    org_row n;
    pc_err e = {0};
    if (api_required_text(b, "period", &period, w) != 0 || api_text_field(b, "scope", &scope, w) != 0 ||
        api_text_field(b, "issue_date", &issue, w) != 0 || api_text_field(b, "route", &route, w) != 0)
        goto done;
    if (month_parse(period, &o.period, &e) != 0) {
        api_bad_field(w, "period", "YYYY-MM is expected");
        goto done;
    }
    if (issue && date_parse(issue, &o.issue_date, &e) != 0) {
        api_bad_field(w, "issue_date", "YYYY-MM-DD is expected");
        goto done;
    }
    if (!issue)
        o.issue_date = date_today(r->cfg->utc_offset_minutes);
    if (route && (!route[0] || strlen(route) >= 32)) {
        api_bad_field(w, "route", "1 to 31 characters");
        goto done;
    }
    if (scope_node(r, w, scope, "scope", &n) != 0)
        goto done;
    o.scope = n.code;
    o.route = route;
    /* the request is its method, path and body: the same key with another body is refused */
    char hash[SHA256_HEX_LEN];
    buf req = {0};
    buf_printf(&req, "%s %s\n", r->method, r->path);
    buf_append(&req, r->body ? r->body : "", r->body_len);
    sha256_hex(req.data, req.len, hash);
    buf_free(&req);
    tariff_set *t = malloc(sizeof *t);
    if (!t)
        abort();
    billing_run_row run;
    bill_summary sum;
    bool repeated;
    int rc = tariffs_in_force(r->d, t, &e);
    if (rc == 0)
        rc = billing_run_recorded(r->d, r->user, r->cfg, t, &o, key, hash, &run, &sum, &repeated, &e);
    free(t);
    if (rc != 0) {
        if (e.code == PC_ECONFLICT && strstr(e.msg, "used before with another request"))
            http_error(w, 409, "conflict",
                       "this Idempotency-Key was used before with another request: nothing was billed", "Idempotency-Key");
        else
            http_fail(w, &e);
        goto done;
    }
    /* a repeat answers the run as it stands: 202 while the first request is still billing */
    json_t *answer = run_json(&run);
    json_object_set_new(answer, "repeated", json_boolean(repeated));
    http_json(w, !repeated ? 201 : strcmp(run.status, "running") == 0 ? 202 : 200, answer);
done:
    json_decref(b);
}

typedef struct {
    json_t *items;
} list_ctx;

static int collect_run(void *ctx, const billing_run_row *x)
{
    json_array_append_new(((list_ctx *)ctx)->items, run_json(x));
    return 0;
}

/* GET /api/v1/billing-runs?period=&limit=&offset=: runs of nodes within the caller's scope,
 * newest first. */
void h_billing_run_list(http_request *r, http_response *w)
{
    long limit, offset;
    if (api_page(r, w, &limit, &offset) != 0)
        return;
    const char *period = http_query(r, "period");
    civil_month m;
    pc_err e = {0};
    if (period && month_parse(period, &m, &e) != 0) {
        api_bad_field(w, "period", "YYYY-MM is expected");
        return;
    }
    list_ctx x = {json_array()};
    int64_t total;
    if (billing_run_list(r->d, r->who.scope_path, period, (int)limit, (int)offset, collect_run, &x, &total, &e) != 0) {
        json_decref(x.items);
        http_fail(w, &e);
        return;
    }
    http_json(w, 200, api_page_json(x.items, limit, offset, total));
}

/* GET /api/v1/billing-runs/{id} */
void h_billing_run_get(http_request *r, http_response *w)
{
    int64_t id = api_id_param(r->params[0], w, "no billing run has this id within your scope");
    if (id < 0)
        return;
    billing_run_row x;
    pc_err e = {0};
    /* a run of everything ("/") is within an administrator's scope only */
    if (billing_run_get(r->d, id, &x, &e) == 0 && http_in_scope(r, x.scope_path)) {
        http_json(w, 200, run_json(&x));
        return;
    }
    if (e.code == PC_EDB || e.code == PC_EINTERNAL)
        http_fail(w, &e);
    else
        http_error(w, 404, "not_found", "no billing run has this id within your scope", NULL);
}

/* ---- invoices ---- */

/* The invoice of the path (an id, or SYMBOL-NUMBER) when its customer is within the scope; -1
 * answered (404 alike outside the scope and for none). */
static int invoice_in_scope(http_request *r, http_response *w, invoice_row *v)
{
    pc_err e = {0};
    payer_row c;
    bool in = false;
    if (invoice_find(r->d, r->params[0], v, &e) == 0 && payer_get(r->d, v->customer_code, &c, &e) == 0 &&
        api_unit_in_scope(r, c.unit_code, &in, &e) == 0 && in)
        return 0;
    if (e.code == PC_EDB || e.code == PC_EINTERNAL)
        http_fail(w, &e);
    else
        http_error(w, 404, "not_found", "no invoice has this id within your scope", NULL);
    return -1;
}

static invoice_row *invoice_new(void)
{
    invoice_row *v = malloc(sizeof *v);
    if (!v)
        abort();
    return v;
}

static void links(json_t *o, int64_t id)
{
    char pdf[80], xml[80];
    snprintf(pdf, sizeof pdf, "/api/v1/invoices/%lld/invoice.pdf", (long long)id);
    snprintf(xml, sizeof xml, "/api/v1/invoices/%lld/invoice.xml", (long long)id);
    json_object_set_new(o, "pdf", json_string(pdf));
    json_object_set_new(o, "xml", json_string(xml));
}

/* invoice show --json, with what is open on it now and the links to its documents. */
static json_t *invoice_full_json(http_request *r, const invoice_row *v, pc_err *e)
{
    json_t *o = invoice_to_json(v);
    json_object_set_new(o, "reason", v->reason[0] ? json_string(v->reason) : json_null());
    json_object_set_new(o, "refers_to", v->refers_to ? json_integer(v->refers_to) : json_null());
    /* what is open: the customer's open items hold it */
    payer_row c;
    open_account a;
    int64_t open = 0;
    if (payer_get(r->d, v->customer_code, &c, e) != 0 || account_open(r->d, c.code, &a, e) != 0) {
        json_decref(o);
        return NULL;
    }
    for (int i = 0; i < a.nbills; i++)
        if (strcmp(a.bills[i].symbol, v->symbol) == 0 && a.bills[i].number == v->number)
            open = a.bills[i].open;
    account_free(&a);
    json_object_set_new(o, "open", json_integer(open));
    links(o, v->id);
    return o;
}

/* GET /api/v1/invoices/{id} */
void h_invoice_get(http_request *r, http_response *w)
{
    invoice_row *v = invoice_new();
    if (invoice_in_scope(r, w, v) == 0) {
        pc_err e = {0};
        json_t *o = invoice_full_json(r, v, &e);
        if (o)
            http_json(w, 200, o);
        else
            http_fail(w, &e);
    }
    free(v);
}

/* GET /api/v1/invoices/{id}/invoice.pdf and /invoice.xml */
static void invoice_document(http_request *r, http_response *w, bool pdf)
{
    invoice_row *v = invoice_new();
    int rc = invoice_in_scope(r, w, v);
    char ref[32];
    snprintf(ref, sizeof ref, "%lld", (long long)v->id);
    if (rc == 0)
        snprintf(w->content_disposition, sizeof w->content_disposition, "inline; filename=\"%s-%lld.%s\"", v->symbol,
                 (long long)v->number, pdf ? "pdf" : "xml");
    free(v);
    if (rc != 0)
        return;
    pc_err e = {0};
    rc = pdf ? invoice_pdf_render(r->d, r->cfg, ref, &w->body, &e) : invoice_xml_render(r->d, r->cfg, ref, &w->body, &e);
    if (rc != 0) {
        buf_reset(&w->body);
        w->content_disposition[0] = 0;
        http_fail(w, &e);
        return;
    }
    w->status = 200;
    w->content_type = pdf ? "application/pdf" : "application/xml; charset=utf-8";
}

void h_invoice_pdf(http_request *r, http_response *w)
{
    invoice_document(r, w, true);
}

void h_invoice_xml(http_request *r, http_response *w)
{
    invoice_document(r, w, false);
}

/* A whole number >= 0 of kWh; -1 answered. */
static int kwh_field(json_t *b, const char *name, int64_t *out, bool *given, http_response *w)
{
    json_t *v = json_object_get(b, name);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000000000LL) {
        api_bad_field(w, name, "a whole number of kWh, 0 or more, is expected");
        return -1;
    }
    *out = json_integer_value(v);
    *given = true;
    return 0;
}

/* POST /api/v1/invoices/{id}/adjust and /replace {"kwh" | "normal","peak","offpeak", "reason",
 * "issue_date"?}: `invoice adjust|replace`; Idempotency-Key required. */
static void invoice_correct_post(http_request *r, http_response *w, int replace)
{
    invoice_row *v = invoice_new();
    json_t *b = NULL;
    http_idem st = {0};
    if (invoice_in_scope(r, w, v) != 0 || !(b = api_body_object(r, w)))
        goto done;
    corrected_kwh k = {0};
    bool total = false, regs[3] = {false, false, false};
    const char *reason, *issue;
    if (kwh_field(b, "kwh", &k.kwh, &total, w) != 0 || kwh_field(b, "normal", &k.reg_kwh[0], &regs[0], w) != 0 ||
        kwh_field(b, "peak", &k.reg_kwh[1], &regs[1], w) != 0 ||
        kwh_field(b, "offpeak", &k.reg_kwh[2], &regs[2], w) != 0 || api_required_text(b, "reason", &reason, w) != 0 ||
        api_text_field(b, "issue_date", &issue, w) != 0)
        goto done;
    k.registers = regs[0] || regs[1] || regs[2];
    if (total == k.registers || (k.registers && !(regs[0] && regs[1] && regs[2]))) {
        api_bad_field(w, "kwh", "give the corrected consumption: kwh, or normal, peak and offpeak");
        goto done;
    }
    civil_date issue_date = date_today(r->cfg->utc_offset_minutes);
    pc_err e = {0};
    if (issue && date_parse(issue, &issue_date, &e) != 0) {
        api_bad_field(w, "issue_date", "YYYY-MM-DD is expected");
        goto done;
    }
    if (http_idem_begin(r, w, true, NULL, &st) != 0)
        goto done;
    tariff_set *t = malloc(sizeof *t);
    invoice_row *out = invoice_new();
    if (!t)
        abort();
    json_t *o = NULL;
    if (tariffs_in_force(r->d, t, &e) == 0 &&
        invoice_correct(r->d, r->user, r->cfg, t, v->id, &k, replace, reason, issue_date, out, &e) == 0 &&
        invoice_get(r->d, NULL, 0, out->id, out, &e) == 0) /* as stored: with its customer's code */
        o = invoice_full_json(r, out, &e);
    if (o)
        http_idem_answer(r, w, &st, 201, o);
    else {
        http_idem_abort(r, &st);
        if (e.code == PC_EINVAL)
            http_error(w, 400, "invalid", strncmp(e.msg, "--", 2) == 0 ? e.msg + 2 : e.msg,
                       strncmp(e.msg, "--reason", 8) == 0 ? "reason" : NULL);
        else
            http_fail(w, &e);
    }
    free(out);
    free(t);
done:
    json_decref(b);
    free(v);
}

void h_invoice_adjust(http_request *r, http_response *w)
{
    invoice_correct_post(r, w, 0);
}

void h_invoice_replace(http_request *r, http_response *w)
{
    invoice_correct_post(r, w, 1);
}

/* ---- a customer's history ---- */

static int collect_invoice(void *ctx, const invoice_summary *v)
{
    json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "id", (json_int_t)v->id,
                          "symbol", v->symbol, "number", (json_int_t)v->number, "kind", v->kind, "period", v->period,
                          "issue_date", v->issue_date, "due_date", v->due_date, "kwh", (json_int_t)v->kwh, "energy",
                          (json_int_t)v->energy, "vat", (json_int_t)v->vat, "total", (json_int_t)v->total,
                          "credit_applied", (json_int_t)v->credit_applied, "open", (json_int_t)v->open);
    links(o, v->id);
    json_array_append_new(((list_ctx *)ctx)->items, o);
    return 0;
}

static int collect_payment(void *ctx, const payment_summary *p)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:b}", "id", (json_int_t)p->id, "receipt_no",
                          p->receipt_no, "channel", p->channel, "method", p->method, "amount", (json_int_t)p->amount,
                          "paid_at", p->paid_at, "paid_date", p->paid_date, "reversed", p->reversed);
    json_object_set_new(o, "reverses_id", p->reverses_id ? json_integer(p->reverses_id) : json_null());
    char link[96];
    snprintf(link, sizeof link, "/api/v1/payments/%s/receipt.pdf", p->receipt_no);
    json_object_set_new(o, "receipt_pdf", p->amount > 0 ? json_string(link) : json_null());
    json_array_append_new(((list_ctx *)ctx)->items, o);
    return 0;
}

/* A page of a customer's history (list: customer_invoices or customer_payments through fn). */
typedef int (*history_page_fn)(db *d, int64_t customer_id, int limit, int offset, list_ctx *x, int64_t *total,
                               pc_err *e);

static void customer_history(http_request *r, http_response *w, history_page_fn list)
{
    payer_row c;
    long limit, offset;
    if (api_customer_in_scope(r, w, r->params[0], &c) != 0 || api_page(r, w, &limit, &offset) != 0)
        return;
    list_ctx x = {json_array()};
    int64_t total;
    pc_err e = {0};
    if (list(r->d, c.id, (int)limit, (int)offset, &x, &total, &e) != 0) {
        json_decref(x.items);
        http_fail(w, &e);
        return;
    }
    http_json(w, 200, api_page_json(x.items, limit, offset, total));
}

static int invoices_page(db *d, int64_t customer_id, int limit, int offset, list_ctx *x, int64_t *total, pc_err *e)
{
    return customer_invoices(d, customer_id, limit, offset, collect_invoice, x, total, e);
}

static int payments_page(db *d, int64_t customer_id, int limit, int offset, list_ctx *x, int64_t *total, pc_err *e)
{
    return customer_payments(d, customer_id, limit, offset, collect_payment, x, total, e);
}

/* GET /api/v1/customers/{code}/invoices: newest issue first, with what is open on each. */
void h_customer_invoices(http_request *r, http_response *w)
{
    customer_history(r, w, invoices_page);
}

/* GET /api/v1/customers/{code}/payments: newest first, reversals as negative amounts. */
void h_customer_payments(http_request *r, http_response *w)
{
    customer_history(r, w, payments_page);
}

typedef struct {
    civil_month from;
    int64_t kwh[121], reads[121];
} months_ctx;

static int collect_month(void *ctx, const char *period, int64_t kwh, int64_t reads)
{
    months_ctx *x = ctx;
    civil_month m;
    pc_err e = {0};
    if (month_parse(period, &m, &e) != 0)
        return 0;
    for (int i = 0; i < 121; i++)
        if (month_add(x->from, i) == m) {
            x->kwh[i] = kwh;
            x->reads[i] = reads;
        }
    return 0;
}

/* A query month; def when absent; -1 answered. */
static int month_query(http_request *r, http_response *w, const char *name, civil_month def, civil_month *out)
{
    const char *v = http_query(r, name);
    pc_err e = {0};
    *out = def;
    if (v && month_parse(v, out, &e) != 0) {
        api_bad_field(w, name, "YYYY-MM is expected");
        return -1;
    }
    return 0;
}

/* GET /api/v1/customers/{code}/consumption?from=YYYY-MM&to=YYYY-MM: kWh per period (the month of
 * the reading date), every month of the range, 0 where nothing was read; default the last 12. */
void h_customer_consumption(http_request *r, http_response *w)
{
    payer_row c;
    if (api_customer_in_scope(r, w, r->params[0], &c) != 0)
        return;
    civil_month to, from;
    if (month_query(r, w, "to", month_of(date_today(r->cfg->utc_offset_minutes)), &to) != 0 ||
        month_query(r, w, "from", month_add(to, -11), &from) != 0)
        return;
    if (from > to || month_add(from, 120) <= to) {
        api_bad_field(w, "from", "from must not be after to, and at most 120 months before it");
        return;
    }
    months_ctx *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    x->from = from;
    char f[MONTH_FMT_MAX], t[MONTH_FMT_MAX];
    pc_err e = {0};
    if (customer_consumption(r->d, c.id, month_format(from, f), month_format(to, t), collect_month, x, &e) != 0) {
        free(x);
        http_fail(w, &e);
        return;
    }
    json_t *months = json_array();
    int64_t sum = 0;
    for (int i = 0; month_add(from, i) <= to; i++) {
        char p[MONTH_FMT_MAX];
        json_array_append_new(months, json_pack("{s:s, s:I, s:I}", "period", month_format(month_add(from, i), p), "kwh",
                                                (json_int_t)x->kwh[i], "reads", (json_int_t)x->reads[i]));
        sum += x->kwh[i];
    }
    free(x);
    http_json(w, 200,
              json_pack("{s:s, s:s, s:s, s:o, s:I}", "customer_code", c.code, "from", f, "to", t, "months", months,
                        "total_kwh", (json_int_t)sum));
}
