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
    char *t = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
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
