/* The prepaid API (docs/api.md "Prepaid", docs/prepaid.md): balances under the principal's scope,
 * lowest first, and one customer's account, ledger and monthly statement. Read-only: top-ups are
 * payments (POST /api/v1/payments, the partner API), charges are the daily run's. */
#include <limits.h>
#include <string.h>

#include "app/prepaid.h"
#include "http/auth.h"
#include "http/router.h"

typedef struct {
    json_t *items;
    long skip;
} page_ctx;

static int add_row(void *ctx, const prepaid_list_row *r)
{
    page_ctx *p = ctx;
    if (p->skip > 0) {
        p->skip--;
        return 0;
    }
    json_array_append_new(p->items, prepaid_list_row_json(r));
    return 0;
}

/* GET /api/v1/prepaid?scope=CODE&low=1&limit=&offset= */
void h_prepaid_list(http_request *r, http_response *w)
{
    const char *scope = NULL;
    long limit, offset;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &scope) != 0 ||
        http_paging(r, w, 1000000, &limit, &offset) != 0)
        return;
    const char *low = http_query(r, "low");
    if (low && strcmp(low, "0") != 0 && strcmp(low, "1") != 0) {
        http_error(w, 400, "invalid", "low: expected 0 or 1", "low");
        return;
    }
    page_ctx p = {json_array(), offset};
    pc_err e = {0};
    if (prepaid_list(r->d, r->cfg, scope, low && strcmp(low, "1") == 0, limit + 1 + offset, add_row, &p, &e) != 0) {
        json_decref(p.items);
        http_fail(w, &e);
        return;
    }
    http_json(w, 200, http_page(p.items, limit, offset));
}

/* GET /api/v1/customers/{code}/prepaid?limit=N: the account and its latest ledger rows */
void h_prepaid_get(http_request *r, http_response *w)
{
    const char *code = r->params[0];
    if (http_customer_scope(r, w, code, NULL) != 0)
        return;
    long limit = http_query_long(r, w, "limit", 50, 1, 1000);
    if (limit < 0)
        return;
    prepaid_balance_view v;
    pc_err e = {0};
    if (prepaid_balance_get(r->d, code, (int)limit, &v, &e) != 0) {
        if (e.code == PC_EINVAL)
            e.code = PC_ENOTFOUND; /* never prepaid: no such account */
        http_fail(w, &e);
        return;
    }
    http_json(w, 200, prepaid_balance_json(&v));
    prepaid_balance_free(&v);
}

/* GET /api/v1/customers/{code}/prepaid/statement?month=YYYY-MM */
void h_prepaid_statement(http_request *r, http_response *w)
{
    const char *code = r->params[0];
    if (http_customer_scope(r, w, code, NULL) != 0)
        return;
    const char *month = http_query(r, "month");
    if (!month) {
        http_error(w, 400, "invalid", "month: required (YYYY-MM)", "month");
        return;
    }
    prepaid_statement s;
    pc_err e = {0};
    if (prepaid_statement_get(r->d, code, month, &s, &e) != 0) {
        if (e.code == PC_EINVAL && strstr(e.msg, "never been prepaid"))
            e.code = PC_ENOTFOUND;
        if (e.code == PC_EINVAL)
            http_error(w, 400, "invalid", e.msg, "month");
        else
            http_fail(w, &e);
        return;
    }
    http_json(w, 200, prepaid_statement_json(&s));
    prepaid_statement_free(&s);
}
