/* Collection over HTTP (docs/api.md "Collection", DOMAIN 7): a customer's open invoices, counter
 * postings and reversals keyed by the Idempotency-Key header, receipts as PDF, and the cashier's
 * shifts. Everything goes through the same use cases as `powercis pay` and `powercis shift`
 * (app/payments.h). Scope is decided from the customer code's unit before anything is read, as
 * in h_customers.c, so a refusal outside the scope says nothing about what exists there.
 * Partners (signed requests) post under their own code as the idempotency namespace, so one
 * partner's references can neither collide with nor reach another's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/payments.h"
#include "base/date.h"
#include "http/auth.h"
#include "http/router.h"
#include "store/repo.h"

/* ---- scope ---- */

static void out_of_scope(http_response *w)
{
    http_error(w, 403, "forbidden", "this customer is not within your scope", NULL);
}

/* Whether a unit's org node lies in the principal's scope (an unknown unit does not). */
static int unit_in_scope(http_request *r, const char *unit, bool *in, pc_err *e)
{
    org_row n;
    *in = false;
    if (org_get(r->d, unit, &n, e) != 0)
        return e->code == PC_ENOTFOUND ? 0 : -1;
    *in = http_in_scope(r, n.path);
    return 0;
}

/* The customer of code when it is within the principal's scope: 0, or -1 with the answer given
 * (403 outside the scope whether or not the code exists, 404 inside). */
static int customer_in_scope(http_request *r, http_response *w, const char *code, payer_row *c)
{
    if (http_customer_code_shape(w, code, "customer_code") != 0)
        return -1;
    char unit[16];
    /* the unit is the first six characters of a code (DOMAIN 2) */
    snprintf(unit, sizeof unit, "%.6s", code);
    pc_err e = {0};
    bool in;
    if (unit_in_scope(r, unit, &in, &e) != 0) {
        http_fail(w, &e);
        return -1;
    }
    if (!in) {
        out_of_scope(w);
        return -1;
    }
    if (payer_get(r->d, code, c, &e) != 0) {
        if (e.code == PC_ENOTFOUND)
            http_error(w, 404, "not_found", "no customer has this code", NULL);
        else
            http_fail(w, &e);
        return -1;
    }
    /* a customer moved to another unit keeps its code: where it is now decides as well */
    if (strcmp(c->unit_code, unit) != 0) {
        if (unit_in_scope(r, c->unit_code, &in, &e) != 0) {
            http_fail(w, &e);
            return -1;
        }
        if (!in) {
            out_of_scope(w);
            return -1;
        }
    }
    return 0;
}

/* The payment of a receipt number, within the scope: a receipt outside it is 404 like one that
 * does not exist, since receipt numbers are sequential and a 403 would confirm a guess. */
static int receipt_in_scope(http_request *r, http_response *w, const char *receipt, payment_row *p)
{
    pc_err e = {0};
    payer_row c;
    bool in = false;
    if (payment_by_receipt(r->d, receipt, p, &e) == 0 && payer_get(r->d, p->customer_code, &c, &e) == 0 &&
        unit_in_scope(r, c.unit_code, &in, &e) == 0 && in)
        return 0;
    if (e.code == PC_EDB || e.code == PC_EINTERNAL)
        http_fail(w, &e);
    else
        http_error(w, 404, "not_found", "no receipt has this number within your scope", NULL);
    return -1;
}

/* The shift when the principal may post to it or read it: a cashier its own shifts only, other
 * staff the shifts of units in their scope; anything else is 404 alike. */
static int shift_of_principal(http_request *r, http_response *w, int64_t id, shift_row *s)
{
    pc_err e = {0};
    bool in = false;
    if (shift_get(r->d, id, s, &e) == 0) {
        if (strcmp(r->who.role, "cashier") == 0)
            in = strcmp(s->cashier, r->who.login) == 0;
        else if (unit_in_scope(r, s->unit_code, &in, &e) != 0) {
            http_fail(w, &e);
            return -1;
        }
        if (in)
            return 0;
    } else if (e.code != PC_ENOTFOUND) {
        http_fail(w, &e);
        return -1;
    }
    http_error(w, 404, "not_found", "no shift of yours has this number", NULL);
    return -1;
}

/* ---- request bodies ---- */

static void bad_field(http_response *w, const char *field, const char *why)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %s", field, why);
    http_error(w, 400, "invalid", msg, field);
}

/* An amount in đồng: a JSON integer, or a string of digits (money_parse). -1 answered. */
static int money_field(json_t *o, const char *name, bool required, money *out, http_response *w)
{
    json_t *v = json_object_get(o, name);
    *out = 0;
    if (!v || json_is_null(v)) {
        if (!required)
            return 0;
        bad_field(w, name, "required, a whole number of đồng");
        return -1;
    }
    pc_err e = {0};
    if (json_is_integer(v))
        *out = json_integer_value(v);
    else if (!json_is_string(v) || money_parse(json_string_value(v), out, &e) != 0) {
        bad_field(w, name, e.msg[0] ? e.msg : "a whole number of đồng is expected");
        return -1;
    }
    return 0;
}

/* A positive whole number (an id). -1 answered. */
static int id_field(json_t *o, const char *name, bool required, int64_t *out, http_response *w)
{
    json_t *v = json_object_get(o, name);
    *out = 0;
    if (!v || json_is_null(v)) {
        if (!required)
            return 0;
        bad_field(w, name, "required");
        return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        bad_field(w, name, "a positive whole number is expected");
        return -1;
    }
    *out = json_integer_value(v);
    return 0;
}

/* An optional string (NULL when absent); -1 answered when present but not a string. */
static int text_field(json_t *o, const char *name, const char **out, http_response *w)
{
    json_t *v = json_object_get(o, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        bad_field(w, name, "a string is expected");
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

/* The Idempotency-Key header every posting carries: it becomes the posting's reference. */
static const char *idempotency_key(http_request *r, http_response *w)
{
    const char *k = http_header(r, "Idempotency-Key");
    if (!k || !k[0]) {
        http_error(w, 400, "invalid",
                   "the Idempotency-Key header is required: a new random key per payment, the same key when resending",
                   "Idempotency-Key");
        return NULL;
    }
    if (strlen(k) > 63) {
        http_error(w, 400, "invalid", "Idempotency-Key: at most 63 characters", "Idempotency-Key");
        return NULL;
    }
    return k;
}

/* The field a use case's PC_EINVAL message is about (the messages start with it). */
static const char *field_of(const char *msg)
{
    static const char *const fields[][2] = {{"amount", "amount"},       {"paid_at", "paid_at"},
                                            {"method", "method"},       {"customer", "customer_code"},
                                            {"at most", "invoices"},    {"the external", "Idempotency-Key"},
                                            {"--reason", "reason"},     {"--float", "opening_float"},
                                            {"--counted", "counted_cash"}, {"a counter posting", "shift_id"}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strncmp(msg, fields[i][0], strlen(fields[i][0])) == 0)
            return fields[i][1];
    return NULL;
}

/* A use case's refusal: 400 naming the field when known; an idempotency conflict without the
 * first posting's details (it may belong to a customer outside the caller's scope). */
static void posting_failed(http_response *w, const pc_err *e)
{
    if (e->code == PC_EINVAL) {
        const char *f = field_of(e->msg);
        char msg[sizeof e->msg + 16];
        /* the CLI's flag names mean nothing to an API client */
        snprintf(msg, sizeof msg, "%s", strncmp(e->msg, "--", 2) == 0 ? e->msg + 2 : e->msg);
        http_error(w, 400, "invalid", msg, f);
        return;
    }
    if (e->code == PC_ECONFLICT && strstr(e->msg, "already posted with other content")) {
        http_error(w, 409, "conflict",
                   "this Idempotency-Key was used before with another body: nothing was posted; a new payment needs "
                   "a new key",
                   "Idempotency-Key");
        return;
    }
    http_fail(w, e);
}

/* ---- answers ---- */

static json_t *payment_json(const payment_result *res)
{
    const payment_row *p = &res->p;
    json_t *alloc = json_array();
    for (int i = 0; i < p->nalloc; i++)
        json_array_append_new(alloc, json_pack("{s:s, s:I, s:s, s:I}", "invoice_symbol", p->alloc[i].symbol,
                                               "invoice_number", (json_int_t)p->alloc[i].number, "period",
                                               p->alloc[i].period, "amount", (json_int_t)p->alloc[i].amount));
    char link[96];
    snprintf(link, sizeof link, "/api/v1/payments/%s/receipt.pdf", p->receipt_no);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:I, s:I, s:I, s:b}", "payment_id",
                          (json_int_t)p->id, "receipt_no", p->receipt_no, "customer_code", p->customer_code, "channel",
                          p->channel, "method", p->method, "reference", p->ext_ref, "amount", (json_int_t)p->amount,
                          "paid_at", p->paid_at, "paid_date", p->paid_date, "allocations", alloc, "excess",
                          (json_int_t)p->excess, "credit_balance", (json_int_t)res->credit_balance, "open_total",
                          (json_int_t)res->open_total, "repeated", res->repeated);
    /* a reversal has no receipt of its own */
    json_object_set_new(o, "receipt_pdf", p->amount > 0 ? json_string(link) : json_null());
    if (p->reverses_id)
        json_object_set_new(o, "reverses_id", json_integer(p->reverses_id));
    if (p->shift_id)
        json_object_set_new(o, "shift_id", json_integer(p->shift_id));
    return o;
}

/* ---- GET /api/v1/customers/{code}/open ---- */

void h_customer_open(http_request *r, http_response *w)
{
    payer_row c;
    if (customer_in_scope(r, w, r->params[0], &c) != 0)
        return;
    pc_err e = {0};
    open_account a;
    if (account_open(r->d, c.code, &a, &e) != 0) {
        http_fail(w, &e);
        return;
    }
    json_t *bills = json_array();
    for (int i = 0; i < a.nbills; i++) {
        const open_bill *b = &a.bills[i];
        json_array_append_new(bills, json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:I}", "invoice_symbol", b->symbol,
                                               "invoice_number", (json_int_t)b->number, "period", b->period,
                                               "issue_date", b->issue_date, "due_date", b->due_date, "total",
                                               (json_int_t)b->total, "open", (json_int_t)b->open));
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:I}", "customer_code", a.customer.code, "name",
                          a.customer.name, "address", a.customer.address, "unit", a.customer.unit_code, "status",
                          a.customer.status, "invoices", bills, "total", (json_int_t)a.total, "credit",
                          (json_int_t)a.credit);
    account_free(&a);
    http_json(w, 200, o);
}

/* The invoices a payment names ("invoices": ["SYMBOL/NUMBER", …], optional) into q; -1 answered. */
static int named_invoices(json_t *b, payment_request *q, http_response *w)
{
    json_t *inv = json_object_get(b, "invoices");
    if (!inv || json_is_null(inv))
        return 0;
    if (!json_is_array(inv) || json_array_size(inv) > PAYMENT_MAX_NAMED) {
        bad_field(w, "invoices", "a list of at most 16 invoice numbers \"SYMBOL/NUMBER\" is expected");
        return -1;
    }
    for (size_t i = 0; i < json_array_size(inv); i++) {
        json_t *v = json_array_get(inv, i);
        if (!json_is_string(v) || !strchr(json_string_value(v), '/')) {
            bad_field(w, "invoices", "each invoice is named \"SYMBOL/NUMBER\"");
            return -1;
        }
        q->invoices[q->ninvoices++] = json_string_value(v);
    }
    return 0;
}

/* ---- POST /api/v1/payments ---- */

void h_payment_post(http_request *r, http_response *w)
{
    const char *key = idempotency_key(r, w);
    if (!key)
        return;
    json_t *b = http_body_object(r, w);
    if (!b)
        return;
    payment_request q = {.channel = "counter", .source = "counter", .ext_ref = key};
    const char *method = NULL;
    int64_t shift_id = 0;
    if (text_field(b, "customer_code", &q.customer_code, w) != 0 || money_field(b, "amount", true, &q.amount, w) != 0 ||
        id_field(b, "shift_id", true, &shift_id, w) != 0 || text_field(b, "method", &method, w) != 0 ||
        text_field(b, "paid_at", &q.paid_at, w) != 0)
        goto done;
    if (!q.customer_code || !q.customer_code[0]) {
        bad_field(w, "customer_code", "required");
        goto done;
    }
    if (q.amount <= 0) {
        bad_field(w, "amount", "must be more than 0 đồng");
        goto done;
    }
    q.shift_id = shift_id;
    /* the counter takes cash, cards and QR transfers; transfers and partners have their own ways in */
    q.method = method ? method : "cash";
    if (strcmp(q.method, "cash") != 0 && strcmp(q.method, "card") != 0 && strcmp(q.method, "qr") != 0) {
        bad_field(w, "method", "expected cash, card or qr");
        goto done;
    }
    if (named_invoices(b, &q, w) != 0)
        goto done;
    pc_err e = {0};
    if (payment_request_check(&q, &e) != 0) {
        posting_failed(w, &e);
        goto done;
    }
    payer_row c;
    shift_row s;
    if (customer_in_scope(r, w, q.customer_code, &c) != 0 || shift_of_principal(r, w, shift_id, &s) != 0)
        goto done;
    payment_result res;
    if (payment_post(r->d, r->user, r->cfg->utc_offset_minutes, &q, &res, &e) != 0) {
        posting_failed(w, &e);
        goto done;
    }
    http_json(w, res.repeated ? 200 : 201, payment_json(&res));
done:
    json_decref(b);
}

/* ---- POST /api/v1/payments/{receipt}/reverse ---- */

void h_payment_reverse(http_request *r, http_response *w)
{
    const char *key = idempotency_key(r, w);
    if (!key)
        return;
    json_t *b = http_body_object(r, w);
    if (!b)
        return;
    reversal_request q = {.reversal_ref = key};
    if (text_field(b, "reason", &q.reason, w) != 0 || id_field(b, "shift_id", false, &q.shift_id, w) != 0)
        goto done;
    if (!q.reason || !q.reason[0]) {
        bad_field(w, "reason", "a reversal needs a reason");
        goto done;
    }
    payment_row *p = malloc(sizeof *p);
    if (!p)
        abort();
    shift_row s;
    if (receipt_in_scope(r, w, r->params[0], p) != 0 ||
        (q.shift_id && shift_of_principal(r, w, q.shift_id, &s) != 0)) {
        free(p);
        goto done;
    }
    /* the payment is named by its own key: the CLI's --partner/--counter and --ref */
    char source[24], ref[64];
    snprintf(source, sizeof source, "%s", p->source);
    snprintf(ref, sizeof ref, "%s", p->ext_ref);
    free(p);
    q.source = source;
    q.ext_ref = ref;
    pc_err e = {0};
    payment_result res;
    if (payment_reverse_post(r->d, r->user, r->cfg->utc_offset_minutes, &q, &res, &e) != 0) {
        posting_failed(w, &e);
        goto done;
    }
    http_json(w, res.repeated ? 200 : 201, payment_json(&res));
done:
    json_decref(b);
}

/* ---- GET /api/v1/payments/{receipt}/receipt.pdf ---- */

void h_receipt_pdf(http_request *r, http_response *w)
{
    payment_row *p = malloc(sizeof *p);
    if (!p)
        abort();
    int rc = receipt_in_scope(r, w, r->params[0], p);
    free(p);
    if (rc != 0)
        return;
    pc_err e = {0};
    if (receipt_pdf_render(r->d, r->params[0], &w->body, &e) != 0) {
        buf_reset(&w->body);
        http_fail(w, &e);
        return;
    }
    w->status = 200;
    w->content_type = "application/pdf";
}

/* ---- shifts ---- */

/* A list's page: limit (1–100, default 20) and offset (up to 1,000,000); -1 answered. */
static int page_args(http_request *r, http_response *w, long *limit, long *offset)
{
    *limit = http_query_long(r, w, "limit", 20, 1, 100);
    if (*limit < 0)
        return -1;
    *offset = http_query_long(r, w, "offset", 0, 0, 1000000);
    return *offset < 0 ? -1 : 0;
}

static json_t *shift_json(const shift_report *rep)
{
    const shift_row *s = &rep->shift;
    json_t *methods = json_object();
    for (int i = 0; i < rep->ntotals; i++)
        json_object_set_new(methods, rep->totals[i].method,
                            json_pack("{s:I, s:I}", "count", (json_int_t)rep->totals[i].count, "amount",
                                      (json_int_t)rep->totals[i].amount));
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:o, s:I, s:I, s:b}", "shift_id", (json_int_t)s->id, "cashier",
                          s->cashier, "unit", s->unit_code, "opened_at", s->opened_at, "opening_float",
                          (json_int_t)s->opening_float, "methods", methods, "postings", (json_int_t)rep->postings,
                          "cash_total", (json_int_t)rep->cash_total, "closed", s->closed);
    if (s->closed) {
        json_object_set_new(o, "closed_at", json_string(s->closed_at));
        json_object_set_new(o, "expected_cash", json_integer(s->expected_cash));
        json_object_set_new(o, "counted_cash", json_integer(s->counted_cash));
        json_object_set_new(o, "difference", json_integer(s->difference));
    }
    return o;
}

/* A shift id from the path; -1 answered. */
static int64_t shift_id_param(http_request *r, http_response *w)
{
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    if (id <= 0 || *end) {
        http_error(w, 404, "not_found", "no shift of yours has this number", NULL);
        return -1;
    }
    return id;
}

void h_shift_open(http_request *r, http_response *w)
{
    /* every field has a default: no body at all is a shift of one's own unit with no float */
    json_t *b = r->body_len == 0 ? json_object() : http_body_object(r, w);
    if (!b)
        return;
    const char *unit = NULL;
    money opening = 0;
    if (text_field(b, "unit", &unit, w) != 0 || money_field(b, "opening_float", false, &opening, w) != 0)
        goto done;
    /* a cashier's scope is its unit: the unit may be left out then */
    if (!unit)
        unit = r->who.scope_code;
    pc_err e = {0};
    bool in;
    if (unit_in_scope(r, unit, &in, &e) != 0) {
        http_fail(w, &e);
        goto done;
    }
    if (!in) {
        bad_field(w, "unit", "not a unit within your scope");
        goto done;
    }
    shift_row s;
    shift_report rep;
    /* the shift is the signed-in account's: its login is the cashier a receipt names */
    if (shift_open(r->d, r->user, r->who.login, unit, opening, &s, &e) != 0 ||
        shift_report_get(r->d, s.id, &rep, &e) != 0) {
        if (e.code == PC_EINVAL && strncmp(e.msg, "--float", 7) != 0)
            bad_field(w, "unit", e.msg);
        else
            posting_failed(w, &e);
        goto done;
    }
    http_json(w, 201, shift_json(&rep));
done:
    json_decref(b);
}

void h_shift_get(http_request *r, http_response *w)
{
    int64_t id = shift_id_param(r, w);
    shift_row s;
    if (id < 0 || shift_of_principal(r, w, id, &s) != 0)
        return;
    pc_err e = {0};
    shift_report rep;
    if (shift_report_get(r->d, id, &rep, &e) != 0) {
        http_fail(w, &e);
        return;
    }
    http_json(w, 200, shift_json(&rep));
}

void h_shift_close(http_request *r, http_response *w)
{
    int64_t id = shift_id_param(r, w);
    shift_row s;
    if (id < 0 || shift_of_principal(r, w, id, &s) != 0)
        return;
    json_t *b = http_body_object(r, w);
    if (!b)
        return;
    money counted;
    const char *note = NULL;
    if (money_field(b, "counted_cash", true, &counted, w) != 0 || text_field(b, "note", &note, w) != 0)
        goto done;
    pc_err e = {0};
    shift_report rep;
    if (shift_close(r->d, r->user, id, counted, note, &rep, &e) != 0) {
        posting_failed(w, &e);
        goto done;
    }
    http_json(w, 200, shift_json(&rep));
done:
    json_decref(b);
}

/* GET /api/v1/me/shift: the signed-in account's open shift, so a counter screen reloaded in the
 * middle of a shift finds it again; {"shift": null} when there is none. */
void h_my_shift(http_request *r, http_response *w)
{
    pc_err e = {0};
    shift_row s;
    shift_report rep;
    bool found;
    if (shift_open_of(r->d, r->who.login, &s, &found, &e) != 0 ||
        (found && shift_report_get(r->d, s.id, &rep, &e) != 0)) {
        http_fail(w, &e);
        return;
    }
    http_json(w, 200, json_pack("{s:o}", "shift", found ? shift_json(&rep) : json_null()));
}

static int collect_shift_payment(void *ctx, const payment_row *p, bool reversed)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:b, s:b}", "receipt_no", p->receipt_no, "customer_code",
                          p->customer_code, "method", p->method, "reference", p->ext_ref, "amount",
                          (json_int_t)p->amount, "paid_at", p->paid_at, "reversal", p->reverses_id != 0, "reversed",
                          reversed);
    if (p->reason[0])
        json_object_set_new(o, "reason", json_string(p->reason));
    json_array_append_new(ctx, o);
    return 0;
}

/* GET /api/v1/shifts/{id}/payments: the shift's postings and reversals, newest first, paged. */
void h_shift_payments(http_request *r, http_response *w)
{
    int64_t id = shift_id_param(r, w);
    shift_row s;
    if (id < 0 || shift_of_principal(r, w, id, &s) != 0)
        return;
    long limit, offset;
    if (page_args(r, w, &limit, &offset) != 0)
        return;
    pc_err e = {0};
    long total;
    json_t *items = json_array();
    if (payments_of_shift(r->d, id, limit, offset, collect_shift_payment, items, &total, &e) != 0) {
        json_decref(items);
        http_fail(w, &e);
        return;
    }
    http_json(w, 200,
              json_pack("{s:I, s:o, s:i, s:i, s:I}", "shift_id", (json_int_t)id, "items", items, "limit", (int)limit,
                        "offset", (int)offset, "total", (json_int_t)total));
}

/* ---- partners (signed requests, role partner) ---- */

/* GET /api/v1/partner/bills/{code}: what a bank or wallet shows its customer before paying. No
 * phone and no address beyond what the bill itself prints: the name and the open invoices. */
void h_partner_bills(http_request *r, http_response *w)
{
    pc_err e = {0};
    open_account a;
    if (account_open(r->d, r->params[0], &a, &e) != 0) {
        if (e.code == PC_ENOTFOUND)
            http_error(w, 404, "not_found", "no customer has this code", NULL);
        else
            http_fail(w, &e);
        return;
    }
    json_t *bills = json_array();
    for (int i = 0; i < a.nbills; i++) {
        const open_bill *b = &a.bills[i];
        json_array_append_new(bills, json_pack("{s:s, s:I, s:s, s:s, s:I}", "invoice_symbol", b->symbol,
                                               "invoice_number", (json_int_t)b->number, "period", b->period,
                                               "due_date", b->due_date, "open", (json_int_t)b->open));
    }
    json_t *o = json_pack("{s:s, s:s, s:o, s:I}", "customer_code", a.customer.code, "name", a.customer.name,
                          "invoices", bills, "total", (json_int_t)a.total);
    account_free(&a);
    http_json(w, 200, o);
}

/* POST /api/v1/partner/payments */
void h_partner_payment_post(http_request *r, http_response *w)
{
    const char *key = idempotency_key(r, w);
    if (!key)
        return;
    json_t *b = http_body_object(r, w);
    if (!b)
        return;
    payment_request q = {.channel = "partner", .method = "partner", .source = r->who.partner_code, .ext_ref = key};
    if (text_field(b, "customer_code", &q.customer_code, w) != 0 || money_field(b, "amount", true, &q.amount, w) != 0 ||
        text_field(b, "paid_at", &q.paid_at, w) != 0)
        goto done;
    if (!q.customer_code || !q.customer_code[0]) {
        bad_field(w, "customer_code", "required");
        goto done;
    }
    if (q.amount <= 0) {
        bad_field(w, "amount", "must be more than 0 đồng");
        goto done;
    }
    if (named_invoices(b, &q, w) != 0)
        goto done;
    pc_err e = {0};
    payment_result res;
    if (payment_post(r->d, r->user, r->cfg->utc_offset_minutes, &q, &res, &e) != 0) {
        if (e.code == PC_ENOTFOUND)
            http_error(w, 404, "not_found", e.msg, "customer_code");
        else
            posting_failed(w, &e);
        goto done;
    }
    http_json(w, res.repeated ? 200 : 201, payment_json(&res));
done:
    json_decref(b);
}

/* POST /api/v1/partner/payments/{ref}/reverse: the reference is looked up under the partner's own
 * code, so another partner's reference is simply not found (404). */
void h_partner_payment_reverse(http_request *r, http_response *w)
{
    const char *key = idempotency_key(r, w);
    if (!key)
        return;
    json_t *b = http_body_object(r, w);
    if (!b)
        return;
    reversal_request q = {.source = r->who.partner_code, .ext_ref = r->params[0], .reversal_ref = key};
    if (text_field(b, "reason", &q.reason, w) != 0)
        goto done;
    if (!q.reason || !q.reason[0]) {
        bad_field(w, "reason", "a reversal needs a reason");
        goto done;
    }
    pc_err e = {0};
    payment_result res;
    if (payment_reverse_post(r->d, r->user, r->cfg->utc_offset_minutes, &q, &res, &e) != 0) {
        if (e.code == PC_ENOTFOUND)
            http_error(w, 404, "not_found", "none of your payments has this reference", NULL);
        else
            posting_failed(w, &e);
        goto done;
    }
    http_json(w, res.repeated ? 200 : 201, payment_json(&res));
done:
    json_decref(b);
}

typedef struct {
    json_t *items;
    long skip, take, seen;
    bool more;
} page_ctx;

static int collect_payment(void *ctx, const payment_row *p)
{
    page_ctx *x = ctx;
    long i = x->seen++;
    if (i < x->skip)
        return 0;
    if (i >= x->skip + x->take) {
        x->more = true;
        return 0;
    }
    json_array_append_new(x->items, json_pack("{s:s, s:s, s:s, s:I, s:s, s:b}", "reference", p->ext_ref, "receipt_no",
                                              p->receipt_no, "customer_code", p->customer_code, "amount",
                                              (json_int_t)p->amount, "paid_at", p->paid_at, "reversal",
                                              p->reverses_id != 0));
    return 0;
}

/* GET /api/v1/partner/payments?date=YYYY-MM-DD: the partner's own postings of a day, paged. */
void h_partner_payments(http_request *r, http_response *w)
{
    char date[DATE_FMT_MAX];
    const char *d = http_query(r, "date");
    pc_err e = {0};
    if (d) {
        civil_date cd;
        if (date_parse(d, &cd, &e) != 0) {
            http_error(w, 400, "invalid", "date: YYYY-MM-DD is expected", "date");
            return;
        }
        date_format(cd, date);
    } else {
        date_format(date_today(r->cfg->utc_offset_minutes), date);
    }
    long limit, offset;
    if (page_args(r, w, &limit, &offset) != 0)
        return;
    page_ctx x = {json_array(), offset, limit, 0, false};
    if (payments_of_source_day(r->d, r->who.partner_code, date, collect_payment, &x, &e) != 0) {
        json_decref(x.items);
        http_fail(w, &e);
        return;
    }
    http_json(w, 200,
              json_pack("{s:s, s:o, s:i, s:i, s:o}", "date", date, "items", x.items, "limit", (int)limit, "offset",
                        (int)offset, "next_offset", x.more ? json_integer(offset + limit) : json_null()));
}
