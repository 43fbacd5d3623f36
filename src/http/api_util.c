/* Helpers of the read, billing and invoice handlers (http/api_util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/api_util.h"
#include "http/auth.h"
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
