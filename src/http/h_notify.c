/* Notifications over HTTP (docs/api.md "Notifications", DOMAIN 13): the outbox, one message
 * sent like `notify send`, a retry, a customer's opt-out and opt-in, through app/notify.h.
 * Messages to customers are seen and sent within the principal's scope; staff messages (no
 * customer: the digest, alerts) by administrators only. A message outside what the principal
 * may see is 404 like one that does not exist (ids are sequential). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/notify.h"
#include "base/date.h"
#include "http/auth.h"
#include "http/idempotency.h"
#include "http/router.h"

#define MAX_FIELDS 16

static bool is_admin(const http_request *r)
{
    return strcmp(r->who.role, "administrator") == 0;
}

static int add_message(void *ctx, const outbox_row *m)
{
    json_array_append_new(ctx, notify_outbox_json(m));
    return 0;
}

/* A use case's refusal: the CLI's flag names mean nothing to an API client. */
static void notify_fail(http_response *w, const pc_err *e, const char *field)
{
    if (e->code == PC_EINVAL)
        http_error(w, 400, "invalid", strncmp(e->msg, "--", 2) == 0 ? e->msg + 2 : e->msg, field);
    else
        http_fail(w, e);
}

/* GET /api/v1/notifications?status=&channel=&event=&customer=&scope=&limit=&offset= */
void h_notifications_list(http_request *r, http_response *w)
{
    notify_query q = {0};
    const char *customer = http_query(r, "customer");
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &q.scope_code) != 0 ||
        (customer && http_customer_scope(r, w, customer, "customer") != 0))
        return;
    long limit, offset;
    if (http_paging(r, w, 1000000, &limit, &offset) != 0)
        return;
    q.status = http_query(r, "status");
    q.channel = http_query(r, "channel");
    q.event = http_query(r, "event");
    q.customer_code = customer;
    q.with_staff = is_admin(r) && !customer;
    q.limit = limit + 1; /* one more: is there a next page? */
    q.offset = offset;
    json_t *items = json_array();
    pc_err e = {0};
    if (notify_query_list(r->d, &q, add_message, items, &e) != 0) {
        json_decref(items);
        notify_fail(w, &e, strncmp(e.msg, "--status", 8) == 0 ? "status" : "channel");
        return;
    }
    http_json(w, 200, http_page(items, limit, offset));
}

/* The fields of a message: a JSON object of strings or whole numbers (amounts). -1 answered. */
static int fields_of(http_response *w, json_t *body, notify_field *f, char num[][24], int *n)
{
    json_t *o = json_object_get(body, "fields");
    *n = 0;
    if (!o || json_is_null(o))
        return 0;
    if (!json_is_object(o) || json_object_size(o) > MAX_FIELDS) {
        http_error(w, 400, "invalid", "fields: an object of at most 16 names and their values", "fields");
        return -1;
    }
    const char *name;
    json_t *v;
    json_object_foreach(o, name, v)
    {
        if (json_is_string(v))
            f[*n] = (notify_field){name, json_string_value(v)};
        else if (json_is_integer(v)) {
            snprintf(num[*n], 24, "%lld", (long long)json_integer_value(v));
            f[*n] = (notify_field){name, num[*n]};
        } else {
            char msg[128];
            snprintf(msg, sizeof msg, "fields.%.64s: a string or a whole number is expected", name);
            http_error(w, 400, "invalid", msg, "fields");
            return -1;
        }
        (*n)++;
    }
    return 0;
}

/* POST /api/v1/notifications {"event", "customer_code"?, "to"?, "channel"?, "lang"?, "fields"?,
 * "event_key"?} with an Idempotency-Key: `notify send` (no attachment: that is the CLI's). */
void h_notification_send(http_request *r, http_response *w)
{
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    notify_request req = {0};
    const char *code;
    notify_field fields[MAX_FIELDS];
    char num[MAX_FIELDS][24];
    http_idem k;
    if (http_body_string(w, body, "event", &req.event) || http_body_string(w, body, "customer_code", &code) ||
        http_body_string(w, body, "to", &req.recipient) || http_body_string(w, body, "channel", &req.channel) ||
        http_body_string(w, body, "lang", &req.lang) || http_body_string(w, body, "event_key", &req.event_key) ||
        fields_of(w, body, fields, num, &req.nfields))
        goto done;
    req.fields = fields;
    if (!req.event || !req.event[0]) {
        http_error(w, 400, "invalid", "event: the template's event (reminder, planned_outage, …) is required",
                   "event");
        goto done;
    }
    if ((!code || !code[0]) && (!req.recipient || !req.recipient[0])) {
        http_error(w, 400, "invalid", "customer_code or to: whom the message is for", "customer_code");
        goto done;
    }
    if (req.channel && strcmp(req.channel, "sms") != 0 && strcmp(req.channel, "email") != 0 &&
        strcmp(req.channel, "chat") != 0) {
        http_error(w, 400, "invalid", "channel: sms, email or chat", "channel");
        goto done;
    }
    if (!req.channel)
        req.channel = req.recipient ? notify_channel_of(req.recipient) : "sms";
    /* a message to no customer is a staff message: the administrator's */
    if (code && code[0] ? http_customer_scope(r, w, code, "customer_code") != 0 : !is_admin(r)) {
        if (!(code && code[0]))
            http_error(w, 403, "forbidden", "a message to no customer (staff) is the administrator's", "to");
        goto done;
    }
    if (http_idem_begin(r, w, true, NULL, &k) != 0)
        goto done;
    notify_enqueued q;
    pc_err e = {0};
    int rc = code && code[0] ? notify_enqueue_customer(r->d, r->cfg, code, &req, &q, &e)
                             : notify_enqueue(r->d, r->cfg, &req, &q, &e);
    if (rc != 0) {
        http_idem_abort(r, &k);
        notify_fail(w, &e, NULL);
        goto done;
    }
    char when[TIMESTAMP_FMT_MAX];
    instant_format(q.next_attempt_at, when);
    http_idem_answer(r, w, &k, q.duplicate ? 200 : 201,
                     json_pack("{s:I, s:s, s:b, s:b, s:s, s:s}", "id", (json_int_t)q.id, "status", q.status,
                               "duplicate", q.duplicate, "skipped", q.skipped, "channel", req.channel, "not_before",
                               when));
done:
    json_decref(body);
}

/* The message of the id in the path as JSON when the principal may see it; 404 otherwise. */
static json_t *message_in_scope(http_request *r, http_response *w, int64_t *id)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    *id = v;
    json_t *items = json_array();
    notify_query q = {.scope_code = r->who.scope_code, .with_staff = is_admin(r), .id = v, .limit = 1};
    pc_err e = {0};
    if (*end == 0 && v > 0 && r->who.scope_code[0] && notify_query_list(r->d, &q, add_message, items, &e) == 0 &&
        json_array_size(items) == 1) {
        json_t *m = json_incref(json_array_get(items, 0));
        json_decref(items);
        return m;
    }
    json_decref(items);
    if (e.code == PC_EDB || e.code == PC_EINTERNAL)
        http_fail(w, &e);
    else
        http_error(w, 404, "not_found", "no message has this id within your scope", NULL);
    return NULL;
}

/* POST /api/v1/notifications/{id}/retry: a failed or dead message back in the queue with its
 * attempts counted afresh (another status is 409). */
void h_notification_retry(http_request *r, http_response *w)
{
    int64_t id;
    json_t *m = message_in_scope(r, w, &id);
    if (!m)
        return;
    json_decref(m);
    long count;
    pc_err e = {0};
    if (notify_retry(r->d, r->user, id, NULL, &count, &e) != 0) {
        notify_fail(w, &e, NULL);
        return;
    }
    if ((m = message_in_scope(r, w, &id)) != NULL)
        http_json(w, 200, m);
}

/* POST /api/v1/customers/{code}/optout {"channel","reason"} and /optin {"channel","reason"?} */
static void set_optout(http_request *r, http_response *w, bool out)
{
    const char *code = r->params[0];
    if (http_customer_scope(r, w, code, NULL) != 0)
        return;
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    const char *channel, *reason;
    if (http_body_string(w, body, "channel", &channel) == 0 && http_body_string(w, body, "reason", &reason) == 0) {
        pc_err e = {0};
        if (!channel)
            http_error(w, 400, "invalid", "channel: sms, email or chat is required", "channel");
        else if (out && (!reason || !reason[0]))
            http_error(w, 400, "invalid", "reason: an opt-out needs the customer's reason", "reason");
        else if (notify_set_optout(r->d, r->user, code, channel, out, reason, &e) != 0)
            notify_fail(w, &e, "channel");
        else
            http_json(w, 200,
                      json_pack("{s:s, s:s, s:b}", "customer_code", code, "channel", channel, "opted_out", out));
    }
    json_decref(body);
}

void h_customer_optout(http_request *r, http_response *w)
{
    set_optout(r, w, true);
}

void h_customer_optin(http_request *r, http_response *w)
{
    set_optout(r, w, false);
}
