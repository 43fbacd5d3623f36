/* The public self-service resource (docs/api.md "Self-service"): a customer's account by code and
 * the last 4 phone digits, and the VietQR of the open amount as SVG. No sign-in: the use case
 * answers every failed look-up alike and throttles failed tries (app/selfservice.c). */
#include <stdio.h>
#include <string.h>

#include "app/selfservice.h"
#include "http/router.h"

/* 429 with Retry-After, or the use case's error. */
static void self_fail(http_response *w, const pc_err *e, int retry_after)
{
    if (retry_after > 0) {
        snprintf(w->retry_after, sizeof w->retry_after, "%d", retry_after);
        http_error(w, 429, "too_many_requests", e->msg, NULL);
        return;
    }
    if (e->code == PC_EINVAL) {
        http_error(w, 400, "invalid", e->msg, NULL);
        return;
    }
    http_fail(w, e);
}

void h_self_get(http_request *r, http_response *w)
{
    char ip[64];
    http_client_ip(r, ip, sizeof ip);
    pc_err e = {0};
    json_t *j;
    int retry = 0;
    if (selfservice_lookup(r->d, r->cfg, ip, r->params[0], http_query(r, "phone4"), &j, &retry, &e) != 0) {
        self_fail(w, &e, retry);
        return;
    }
    http_json(w, 200, j);
}

void h_self_qr(http_request *r, http_response *w)
{
    char ip[64];
    http_client_ip(r, ip, sizeof ip);
    pc_err e = {0};
    int retry = 0;
    if (selfservice_qr(r->d, r->cfg, ip, r->params[0], http_query(r, "phone4"), &w->body, &retry, &e) != 0) {
        buf_reset(&w->body);
        self_fail(w, &e, retry);
        return;
    }
    w->status = 200;
    w->content_type = "image/svg+xml";
}
