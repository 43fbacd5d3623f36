/* The answers of handlers (http/server.h): JSON bodies, errors, the paging arguments. Apart from
 * the transport (server.c) so that a harness can call handlers without a socket (tests/fuzz). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/log.h"
#include "http/server.h"

long http_query_long(const http_request *r, http_response *w, const char *name, long def, long min, long max)
{
    const char *v = http_query(r, name);
    if (!v)
        return def;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!v[0] || *end || errno || n < min || n > max) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s: a whole number from %ld to %ld is expected", name, min, max);
        http_error(w, 400, "invalid", msg, name);
        return -1;
    }
    return n;
}

void http_json(http_response *w, int status, json_t *j)
{
    w->status = status;
    w->content_type = "application/json; charset=utf-8";
    char *t = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(HTTP_JSON_REAL_DIGITS));
    buf_reset(&w->body);
    if (t) {
        buf_puts(&w->body, t);
        free(t);
    }
    buf_puts(&w->body, "\n");
    json_decref(j);
}

void http_error(http_response *w, int status, const char *code, const char *message, const char *field)
{
    http_json(w, status,
              json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", message, "field", field));
}

void http_fail(http_response *w, const pc_err *e)
{
    switch (e->code) {
    case PC_EINVAL:
        http_error(w, 400, "invalid", e->msg, NULL);
        break;
    case PC_ENOTFOUND:
        http_error(w, 404, "not_found", e->msg, NULL);
        break;
    case PC_ECONFLICT:
        http_error(w, 409, "conflict", e->msg, NULL);
        break;
    case PC_EFORBIDDEN:
        http_error(w, 403, "forbidden", e->msg, NULL);
        break;
    default:
        /* the detail goes to the log, not to the client */
        log_event(LOG_ERROR, "http_internal", "message=\"%s\"", e->msg);
        http_error(w, 500, "internal", "the server could not answer; the error is in its log", NULL);
    }
}

json_t *http_body_object(const http_request *r, http_response *w)
{
    json_error_t je;
    /* a key given twice is refused (which of the two would count?), and jansson's reason is
     * passed on: "too big integer", "invalid UTF-8", "maximum parsing depth reached", … */
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        char msg[240];
        snprintf(msg, sizeof msg, "the body is not valid JSON (line %d, column %d: %s)", je.line, je.column, je.text);
        http_error(w, 400, "invalid", msg, NULL);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_error(w, 400, "invalid", "a JSON object is expected as the body", NULL);
        return NULL;
    }
    return j;
}

int http_body_string(http_response *w, json_t *body, const char *name, const char **out)
{
    json_t *v = json_object_get(body, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s: a string is expected", name);
        http_error(w, 400, "invalid", msg, name);
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

int http_paging(const http_request *r, http_response *w, long max_offset, long *limit, long *offset)
{
    *limit = http_query_long(r, w, "limit", 20, 1, 100);
    if (*limit < 0)
        return -1;
    *offset = http_query_long(r, w, "offset", 0, 0, max_offset);
    return *offset < 0 ? -1 : 0;
}

json_t *http_page(json_t *items, long limit, long offset)
{
    bool more = (long)json_array_size(items) > limit;
    if (more)
        json_array_remove(items, json_array_size(items) - 1);
    return json_pack("{s:o, s:i, s:i, s:o}", "items", items, "limit", (int)limit, "offset", (int)offset,
                     "next_offset", more ? json_integer(offset + limit) : json_null());
}
