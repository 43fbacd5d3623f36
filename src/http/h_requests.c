/* Customer service requests over HTTP (docs/api.md "Service requests", docs/service.md): the same
 * use cases as `powercis request` and `report service` (app/service.h), so what the CLI refuses
 * the API refuses with the same message. A request named by its code is 404 outside the
 * principal's scope, like one that does not exist. Creating a request and attaching a document
 * carry an Idempotency-Key; the moves take one optionally. The public look-up and submission of
 * the self-service page are at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/selfservice.h"
#include "base/buf.h"
#include "app/service.h"
#include "http/auth.h"
#include "http/idempotency.h"
#include "http/router.h"

/* A use case's refusal: 400 naming the field (the CLI's "--" dropped), else as http_fail. */
static void req_fail(http_response *w, const pc_err *e)
{
    if (e->code != PC_EINVAL) {
        http_fail(w, e);
        return;
    }
    const char *msg = strncmp(e->msg, "--", 2) == 0 ? e->msg + 2 : e->msg;
    char field[32] = "";
    size_t n = strcspn(msg, " :'=");
    if (n < sizeof field)
        snprintf(field, sizeof field, "%.*s", (int)n, msg);
    http_error(w, 400, "invalid", msg, field[0] ? field : NULL);
}

/* The request of the path, in the principal's scope (else 404 answered: -1). */
static int request_in_scope(http_request *r, http_response *w, sreq_row *out)
{
    pc_err e = {0};
    if (sreq_get(r->d, r->params[0], out, &e) != 0 || !http_in_scope(r, out->unit_path)) {
        http_error(w, 404, "not_found", "no such service request in your scope", NULL);
        return -1;
    }
    return 0;
}

static int add_request(void *ctx, const sreq_row *q)
{
    json_array_append_new(ctx, svc_request_json(q));
    return 0;
}

/* GET /api/v1/requests?scope&status&type&customer&due_by&limit&offset */
void h_requests_list(http_request *r, http_response *w)
{
    const char *scope;
    long limit, offset;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &scope) != 0 ||
        http_paging(r, w, 1000000, &limit, &offset) != 0)
        return;
    sreq_filter f = {0};
    f.status = http_query(r, "status");
    f.type = http_query(r, "type");
    f.customer_code = http_query(r, "customer");
    f.due_by = http_query(r, "due_by");
    f.limit = limit + 1;
    f.offset = offset;
    static const char *const statuses[] = {"open", "waiting", "finished", "cancelled", "active"};
    bool ok = !f.status;
    for (size_t i = 0; f.status && i < 5; i++)
        ok |= strcmp(f.status, statuses[i]) == 0;
    if (!ok) {
        http_error(w, 400, "invalid", "status: open, waiting, finished, cancelled or active", "status");
        return;
    }
    json_t *items = json_array();
    pc_err e = {0};
    if (svc_request_list(r->d, scope, &f, add_request, items, &e) != 0) {
        json_decref(items);
        req_fail(w, &e);
        return;
    }
    http_json(w, 200, http_page(items, limit, offset));
}

/* The keys and values of a "details" object (strings), into arrays of at most 16. -1 answered. */
static int details_of(http_response *w, json_t *body, const char **keys, const char **values, int *n)
{
    *n = 0;
    json_t *det = json_object_get(body, "details");
    if (!det || json_is_null(det))
        return 0;
    if (!json_is_object(det)) {
        http_error(w, 400, "invalid", "details: an object of text values", "details");
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(det, k, v)
    {
        if (!json_is_string(v) || *n == 16) {
            http_error(w, 400, "invalid", "details: at most 16 text values", "details");
            return -1;
        }
        keys[*n] = k;
        values[(*n)++] = json_string_value(v);
    }
    return 0;
}

static json_t *detail_answer(http_request *r, const char *code, pc_err *e)
{
    json_t *j;
    return svc_request_detail_json(r->d, code, &j, e) == 0 ? j : NULL;
}

/* POST /api/v1/requests {"type", "customer_code" | "unit", "name", "phone", "address", "details"?,
 * "date"?, "owner"?} */
void h_request_add(http_request *r, http_response *w)
{
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    svc_add in = {0};
    const char *keys[16], *values[16];
    http_idem k;
    if (http_body_string(w, body, "type", &in.type) || http_body_string(w, body, "customer_code", &in.customer_code) ||
        http_body_string(w, body, "unit", &in.unit) || http_body_string(w, body, "name", &in.name) ||
        http_body_string(w, body, "phone", &in.phone) || http_body_string(w, body, "address", &in.address) ||
        http_body_string(w, body, "date", &in.date) || http_body_string(w, body, "owner", &in.owner) ||
        details_of(w, body, keys, values, &in.nkeys))
        goto done;
    in.keys = keys;
    in.values = values;
    /* the scope first: a customer's by its code, an applicant's by the unit */
    if (in.customer_code && in.customer_code[0]) {
        if (http_customer_scope(r, w, in.customer_code, "customer_code") != 0)
            goto done;
    } else if (in.unit) {
        bool inside = false;
        pc_err e = {0};
        if (http_unit_in_scope(r, in.unit, &inside, &e) != 0 || !inside) {
            http_error(w, 403, "forbidden", "unit: outside your scope", "unit");
            goto done;
        }
    }
    in.scope_code = r->who.scope_code;
    if (http_idem_begin(r, w, true, NULL, &k) != 0)
        goto done;
    pc_err e = {0};
    sreq_row row;
    json_t *o = NULL;
    if (svc_request_add(r->d, r->user, &in, &row, &e) != 0 || !(o = detail_answer(r, row.code, &e))) {
        http_idem_abort(r, &k);
        req_fail(w, &e);
    } else
        http_idem_answer(r, w, &k, 201, o);
done:
    json_decref(body);
}

void h_request_get(http_request *r, http_response *w)
{
    sreq_row q;
    if (request_in_scope(r, w, &q) != 0)
        return;
    pc_err e = {0};
    json_t *o = detail_answer(r, q.code, &e);
    if (!o)
        req_fail(w, &e);
    else
        http_json(w, 200, o);
}

typedef enum { MOVE_ADVANCE, MOVE_WAIT, MOVE_RESUME, MOVE_CANCEL } move;

static void move_request(http_request *r, http_response *w, move m)
{
    sreq_row q;
    if (request_in_scope(r, w, &q) != 0)
        return;
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    const char *date, *owner, *note, *reason;
    const char *keys[16], *values[16];
    int nk;
    http_idem k;
    if (http_body_string(w, body, "date", &date) || http_body_string(w, body, "owner", &owner) ||
        http_body_string(w, body, "note", &note) || http_body_string(w, body, "reason", &reason) ||
        details_of(w, body, keys, values, &nk) || http_idem_begin(r, w, false, NULL, &k) != 0)
        goto done;
    pc_err e = {0};
    sreq_row row;
    int rc;
    if (m == MOVE_ADVANCE) {
        svc_move mv = {date, owner, note, keys, values, nk};
        rc = svc_request_advance(r->d, r->user, q.code, &mv, &row, &e);
    } else if (m == MOVE_WAIT)
        rc = svc_request_wait(r->d, r->user, q.code, reason, date, &row, &e);
    else if (m == MOVE_RESUME)
        rc = svc_request_resume(r->d, r->user, q.code, note, date, &row, &e);
    else
        rc = svc_request_cancel(r->d, r->user, q.code, reason, date, &row, &e);
    json_t *o = NULL;
    if (rc != 0 || !(o = detail_answer(r, q.code, &e))) {
        http_idem_abort(r, &k);
        req_fail(w, &e);
    } else
        http_idem_answer(r, w, &k, 200, o);
done:
    json_decref(body);
}

void h_request_advance(http_request *r, http_response *w)
{
    move_request(r, w, MOVE_ADVANCE);
}
void h_request_wait(http_request *r, http_response *w)
{
    move_request(r, w, MOVE_WAIT);
}
void h_request_resume(http_request *r, http_response *w)
{
    move_request(r, w, MOVE_RESUME);
}
void h_request_cancel(http_request *r, http_response *w)
{
    move_request(r, w, MOVE_CANCEL);
}

static int store_of(http_request *r, http_response *w, char dir[1024], doc_store *st)
{
    pc_err e = {0};
    if (config_documents_dir(r->cfg, r->db_target, dir, 1024, &e) != 0) {
        http_fail(w, &e);
        return -1;
    }
    st->dir = dir;
    st->max_bytes = r->cfg->documents.max_bytes;
    return 0;
}

/* POST /api/v1/requests/{request}/documents?file_name&kind&title, the body the file's bytes. */
void h_request_document_add(http_request *r, http_response *w)
{
    sreq_row q;
    if (request_in_scope(r, w, &q) != 0)
        return;
    char dir[1024];
    doc_store st;
    if (store_of(r, w, dir, &st) != 0)
        return;
    if ((long long)r->body_len > (long long)st.max_bytes) {
        http_error(w, 413, "too_large", "the file is larger than [documents] max_bytes", "body");
        return;
    }
    const char *name = http_query(r, "file_name");
    if (name) {
        const char *slash = strrchr(name, '/');
        name = slash ? slash + 1 : name;
    }
    static const char *const args[] = {"kind", "title", "file_name", NULL};
    http_idem k;
    if (http_idem_begin(r, w, true, args, &k) != 0)
        return;
    pc_err e = {0};
    sreq_doc_row d;
    if (svc_request_attach(r->d, r->user, &st, q.code, name && name[0] ? name : "document", r->body ? r->body : "",
                           r->body_len, http_query(r, "kind"), http_query(r, "title"), &d, &e) != 0) {
        http_idem_abort(r, &k);
        req_fail(w, &e);
        return;
    }
    http_idem_answer(r, w, &k, 201,
                     json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)d.id, "kind", d.kind, "title",
                               d.title, "media_type", d.media_type, "size", (json_int_t)d.size, "sha256", d.sha256));
}

/* GET /api/v1/reports/service?month&scope&format=json|csv|xlsx */
void h_report_service(http_request *r, http_response *w)
{
    const char *scope;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &scope) != 0)
        return;
    const char *month = http_query(r, "month"), *format = http_query(r, "format");
    format = format ? format : "json";
    if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx")) {
        http_error(w, 400, "invalid", "format: json, csv or xlsx", "format");
        return;
    }
    civil_month m;
    pc_err e = {0};
    if (!month || month_parse(month, &m, &e) != 0) {
        http_error(w, 400, "invalid", "month: a month YYYY-MM is required", "month");
        return;
    }
    json_t *rep;
    if (svc_report(r->d, m, scope, &rep, &e) != 0) {
        req_fail(w, &e);
        return;
    }
    char fname[96];
    snprintf(fname, sizeof fname, "service-%s-%s.%s", scope, month, format);
    if (strcmp(format, "json") == 0) {
        http_json(w, 200, rep);
        return;
    }
    if (strcmp(format, "csv") == 0) {
        char *text;
        size_t len;
        svc_report_csv(rep, &text, &len, &e);
        json_decref(rep);
        buf_append(&w->body, text, len);
        free(text);
        w->status = 200;
        w->content_type = "text/csv; charset=utf-8";
        snprintf(w->content_disposition, sizeof w->content_disposition, "attachment; filename=%s", fname);
        return;
    }
    char path[] = "/tmp/powercis-service-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        json_decref(rep);
        http_error(w, 500, "internal", "cannot write the workbook", NULL);
        return;
    }
    close(fd);
    int rc = svc_report_xlsx(rep, path, &e);
    json_decref(rep);
    if (rc == 0)
        rc = buf_read_file(&w->body, path, 256u << 20, &e);
    unlink(path);
    if (rc != 0) {
        buf_reset(&w->body);
        http_fail(w, &e);
        return;
    }
    w->status = 200;
    w->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    snprintf(w->content_disposition, sizeof w->content_disposition, "attachment; filename=%s", fname);
}

/* ---- the self-service page ---- */

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

/* GET /api/v1/self/requests/{request}?phone4= */
void h_self_request_get(http_request *r, http_response *w)
{
    char ip[64];
    http_client_ip(r, ip, sizeof ip);
    pc_err e = {0};
    json_t *j;
    int retry = 0;
    if (selfservice_request_lookup(r->d, ip, r->params[0], http_query(r, "phone4"), &j, &retry, &e) != 0) {
        self_fail(w, &e, retry);
        return;
    }
    http_json(w, 200, j);
}

/* POST /api/v1/self/requests: a new-supply request with its documents (base64 in the JSON). */
void h_self_request_post(http_request *r, http_response *w)
{
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    char ip[64], dir[1024];
    http_client_ip(r, ip, sizeof ip);
    doc_store st;
    if (store_of(r, w, dir, &st) != 0) {
        json_decref(body);
        return;
    }
    pc_err e = {0};
    json_t *j;
    int retry = 0;
    if (selfservice_request_submit(r->d, &st, ip, body, &j, &retry, &e) != 0)
        self_fail(w, &e, retry);
    else
        http_json(w, 201, j);
    json_decref(body);
}
