/* Customers as the API serves them (docs/api.md): one customer by code and the search, both
 * limited to the principal's scope. A code outside the scope is 403 whether or not it exists:
 * the decision reads only the code's unit, so the answer leaks nothing; 404 only inside. */
#include <stdlib.h>
#include <string.h>

#include "app/customers.h"
#include "app/payments.h"
#include "http/auth.h"
#include "http/router.h"
#include "store/repo.h"

static void forbidden(http_response *w)
{
    http_error(w, 403, "forbidden", "this customer is not within your scope", NULL);
}

/* Whether the unit's org node lies in the principal's scope (an unknown unit does not). */
static int unit_in_scope(http_request *r, const char *unit, bool *in, pc_err *e)
{
    org_row n;
    *in = false;
    if (org_get(r->d, unit, &n, e) != 0)
        return e->code == PC_ENOTFOUND ? 0 : -1;
    *in = http_in_scope(r, n.path);
    return 0;
}

static json_t *contract_json(const customer *c)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:i, s:b, s:o?, s:b, s:s, s:i, s:i}", "valid_from", c->valid_from,
                     "purpose", purpose_name(c->purpose), "class", purpose_class(c->purpose), "voltage",
                     c->voltage[0] ? c->voltage : NULL, "households", c->households, "renter", c->renter, "persons",
                     c->persons ? json_integer(c->persons) : NULL, "tou", c->tou, "payment_mode", c->payment_mode,
                     "payment_term_days", c->payment_term_days, "periods_per_month", c->periods_per_month);
}

static int collect_meter(void *ctx, const meter_spec *m, const char *installed, const char *removed)
{
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:i, s:i, s:b, s:s, s:s?}", "serial", m->serial, "registers",
                                         m->tou ? "tou" : "total", "multiplier", m->multiplier, "digits", m->digits,
                                         "amr", m->amr, "installed_on", installed, "removed_on", removed));
    return 0;
}

void h_customer_get(http_request *r, http_response *w)
{
    const char *code = r->params[0];
    if (http_customer_code_shape(w, code, NULL) != 0)
        return;
    char unit[16];
    /* the unit is the first six characters of a code (DOMAIN 2) */
    snprintf(unit, sizeof unit, "%.6s", code);
    pc_err e = {0};
    bool in;
    if (unit_in_scope(r, unit, &in, &e) != 0) {
        http_fail(w, &e);
        return;
    }
    if (!in) {
        forbidden(w);
        return;
    }
    customer c;
    if (customer_get(r->d, code, NULL, &c, &e) != 0) {
        if (e.code == PC_ENOTFOUND)
            http_error(w, 404, "not_found", "no customer has this code", NULL);
        else
            http_fail(w, &e);
        return;
    }
    /* a customer moved to another unit keeps its code: check where it is now as well */
    if (strcmp(c.unit, unit) != 0) {
        if (unit_in_scope(r, c.unit, &in, &e) != 0) {
            http_fail(w, &e);
            return;
        }
        if (!in) {
            forbidden(w);
            return;
        }
    }
    json_t *meters = json_array();
    open_account a;
    if (meter_list(r->d, c.id, collect_meter, meters, &e) != 0 || account_open(r->d, c.code, &a, &e) != 0) {
        json_decref(meters);
        http_fail(w, &e);
        return;
    }
    json_t *bills = json_array();
    for (int i = 0; i < a.nbills; i++) {
        const open_bill *b = &a.bills[i];
        json_array_append_new(bills, json_pack("{s:s, s:I, s:s, s:s, s:I, s:I}", "symbol", b->symbol, "number",
                                               (json_int_t)b->number, "period", b->period, "due_date", b->due_date,
                                               "total", (json_int_t)b->total, "open", (json_int_t)b->open));
    }
    json_int_t open_total = (json_int_t)a.total, credit = (json_int_t)a.credit;
    account_free(&a);
    http_json(w, 200,
              json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:o, s:o, s:{s:I, s:I, s:o}}", "customer_code",
                        c.code, "unit", c.unit, "name", c.name, "address", c.address, "phone",
                        c.phone[0] ? c.phone : NULL, "route", c.route[0] ? c.route : NULL, "transformer",
                        c.transformer[0] ? c.transformer : NULL, "status", c.status, "contract", contract_json(&c),
                        "meters", meters, "account", "open_amount", open_total, "credit", credit, "open_invoices",
                        bills));
}

typedef struct {
    json_t *items;
    long skip, take, seen;
    bool more;
} page_ctx;

static int collect_hit(void *ctx, const customer_hit *h)
{
    page_ctx *x = ctx;
    long i = x->seen++;
    if (i < x->skip)
        return 0;
    if (i >= x->skip + x->take) {
        x->more = true; /* the store was asked for one past the page: there is a next one */
        return 0;
    }
    json_array_append_new(x->items, json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s}", "customer_code", h->code,
                                              "name", h->name, "address", h->address, "phone",
                                              h->phone[0] ? h->phone : NULL, "unit", h->unit, "unit_name", h->unit_name,
                                              "status", h->status));
    return 0;
}

#define SEARCH_MAX_LIMIT 100
#define SEARCH_MAX_OFFSET 1000

void h_customer_search(http_request *r, http_response *w)
{
    const char *q = http_query(r, "q");
    if (!q || !q[0]) {
        http_error(w, 400, "invalid", "q: a customer code, a phone number or words of a name or address", "q");
        return;
    }
    long limit = http_query_long(r, w, "limit", 20, 1, SEARCH_MAX_LIMIT);
    if (limit < 0)
        return;
    long offset = http_query_long(r, w, "offset", 0, 0, SEARCH_MAX_OFFSET);
    if (offset < 0)
        return;
    page_ctx x = {json_array(), offset, limit, 0, false};
    search_kind kind;
    pc_err e = {0};
    /* the store ranks and limits; the page is cut here from the first offset + limit + 1 hits */
    int rc = customer_search(r->d, q, r->who.scope_code, (int)(offset + limit + 1), &kind, collect_hit, &x, &e);
    if (rc < 0) {
        json_decref(x.items);
        http_fail(w, &e);
        return;
    }
    static const char *const kinds[] = {"code", "phone", "text"};
    http_json(w, 200,
              json_pack("{s:o, s:s, s:i, s:i, s:o}", "items", x.items, "kind", kinds[kind], "limit", (int)limit,
                        "offset", (int)offset, "next_offset", x.more ? json_integer(offset + limit) : json_null()));
}
