/* Helpers of the read, billing and invoice handlers (http/api_util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "http/api_util.h"
#include "http/auth.h"
#include "store/history.h"
#include "store/repo.h"

json_t *api_body_object(http_request *r, http_response *w)
{
    json_error_t je;
    json_t *j = json_loadb(r->body ? r->body : "", r->body_len, 0, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        http_error(w, 400, "invalid", "a JSON object is expected as the body", NULL);
        return NULL;
    }
    return j;
}

void api_bad_field(http_response *w, const char *field, const char *why)
{
    char msg[600];
    snprintf(msg, sizeof msg, "%s: %s", field, why);
    http_error(w, 400, "invalid", msg, field);
}

int api_text_field(json_t *o, const char *name, const char **out, http_response *w)
{
    json_t *v = json_object_get(o, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        api_bad_field(w, name, "a string is expected");
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

int api_required_text(json_t *o, const char *name, const char **out, http_response *w)
{
    if (api_text_field(o, name, out, w) != 0)
        return -1;
    if (!*out || !(*out)[0]) {
        api_bad_field(w, name, "required");
        return -1;
    }
    return 0;
}

int api_page(http_request *r, http_response *w, long *limit, long *offset)
{
    *limit = http_query_long(r, w, "limit", 20, 1, 100);
    if (*limit < 0)
        return -1;
    *offset = http_query_long(r, w, "offset", 0, 0, 1000000);
    return *offset < 0 ? -1 : 0;
}

json_t *api_page_json(json_t *items, long limit, long offset, int64_t total)
{
    return json_pack("{s:o, s:i, s:i, s:I, s:o}", "items", items, "limit", (int)limit, "offset", (int)offset, "total",
                     (json_int_t)total, "next_offset", offset + limit < total ? json_integer(offset + limit) : json_null());
}

int api_unit_in_scope(http_request *r, const char *unit, bool *in, pc_err *e)
{
    org_row n;
    *in = false;
    if (org_get(r->d, unit, &n, e) != 0)
        return e->code == PC_ENOTFOUND ? 0 : -1;
    *in = http_in_scope(r, n.path);
    return 0;
}

int api_customer_in_scope(http_request *r, http_response *w, const char *code, payer_row *c)
{
    char unit[16];
    /* the unit is the first six characters of a code (DOMAIN 2) */
    snprintf(unit, sizeof unit, "%.6s", code);
    pc_err e = {0};
    bool in;
    if (api_unit_in_scope(r, unit, &in, &e) != 0) {
        http_fail(w, &e);
        return -1;
    }
    if (in) {
        if (payer_get(r->d, code, c, &e) != 0) {
            if (e.code == PC_ENOTFOUND)
                http_error(w, 404, "not_found", "no customer has this code", NULL);
            else
                http_fail(w, &e);
            return -1;
        }
        /* a customer moved to another unit keeps its code: where it is now decides as well */
        if (strcmp(c->unit_code, unit) == 0)
            return 0;
        if (api_unit_in_scope(r, c->unit_code, &in, &e) != 0) {
            http_fail(w, &e);
            return -1;
        }
        if (in)
            return 0;
    }
    http_error(w, 403, "forbidden", "this customer is not within your scope", NULL);
    return -1;
}

int64_t api_id_param(const char *s, http_response *w, const char *msg)
{
    char *end;
    long long id = strtoll(s, &end, 10);
    if (id <= 0 || *end) {
        http_error(w, 404, "not_found", msg, NULL);
        return -1;
    }
    return id;
}

/* ---- idempotency ---- */

/* Answers the stored response of a key (same request) or 409 (another); 1 when answered. */
static int replay(http_request *r, http_response *w, api_idem *st, pc_err *e)
{
    char hash[65];
    int status;
    char *body;
    bool found;
    if (idempotency_find(r->d, r->user, st->key, hash, &status, &body, &found, e) != 0)
        return -1;
    if (!found)
        return 0;
    if (strcmp(hash, st->hash) != 0)
        http_error(w, 409, "conflict",
                   "this Idempotency-Key was used before with another request: nothing was done; a new request needs "
                   "a new key",
                   "Idempotency-Key");
    else {
        w->status = status;
        w->content_type = "application/json; charset=utf-8";
        buf_reset(&w->body);
        buf_puts(&w->body, body);
    }
    free(body);
    return 1;
}

int api_idem_begin(http_request *r, http_response *w, bool required, api_idem *st)
{
    memset(st, 0, sizeof *st);
    const char *k = http_header(r, "Idempotency-Key");
    if (!k || !k[0]) {
        if (!required)
            return 0;
        http_error(w, 400, "invalid",
                   "the Idempotency-Key header is required: a new random key per request, the same key when resending",
                   "Idempotency-Key");
        return 1;
    }
    if (strlen(k) > 63) {
        http_error(w, 400, "invalid", "Idempotency-Key: at most 63 characters", "Idempotency-Key");
        return 1;
    }
    st->key = k;
    /* the request is its method, path and body: the same key elsewhere is another request */
    buf req = {0};
    buf_printf(&req, "%s %s\n", r->method, r->path);
    buf_append(&req, r->body ? r->body : "", r->body_len);
    sha256_hex(req.data, req.len, st->hash);
    buf_free(&req);
    pc_err e = {0};
    if (db_begin(r->d, &e) != 0) {
        http_fail(w, &e);
        return 1;
    }
    st->open = true;
    int k2 = replay(r, w, st, &e);
    if (k2 != 0) {
        db_rollback(r->d);
        st->open = false;
        if (k2 < 0)
            http_fail(w, &e);
        return 1;
    }
    return 0;
}

void api_idem_end(http_request *r, http_response *w, api_idem *st)
{
    if (!st->open)
        return;
    st->open = false;
    pc_err e = {0};
    if (w->status < 200 || w->status > 299) {
        db_rollback(r->d);
        return;
    }
    buf_puts(&w->body, ""); /* NUL-terminated */
    if (idempotency_insert(r->d, r->user, st->key, st->hash, w->status, w->body.data ? w->body.data : "", &e) == 0 &&
        db_commit(r->d, &e) == 0)
        return;
    db_rollback(r->d);
    /* the same key stored by a request that ran at the same time: its answer is the answer */
    pc_err e2 = {0};
    if (e.code == PC_ECONFLICT && replay(r, w, st, &e2) == 1)
        return;
    buf_reset(&w->body);
    http_fail(w, &e);
}
