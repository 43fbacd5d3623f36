/* Debt cases and their documents over HTTP (docs/api.md "Cases and documents", DOMAIN 9 and
 * 10): the same use cases as `powercis case` and `powercis doc` (app/cases.h), so what the CLI
 * refuses the API refuses with the same message. A customer named by code is checked as in
 * h_customers.c (its code's unit first: 403 outside the scope whatever exists there); a document
 * named by its id, a sequential number, is 404 outside the scope like one that does not exist.
 * Opening a case and adding a document carry an Idempotency-Key (http/idempotency.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cases.h"
#include "http/auth.h"
#include "http/idempotency.h"
#include "http/router.h"

/* The field a use case's PC_EINVAL message is about: the messages name the CLI's flag first. */
static const char *field_of(const char *msg)
{
    static const char *const map[][2] = {{"--status", "status"},
                                         {"--owner", "owner"},
                                         {"--next", "next_action"},
                                         {"--note", "note"},
                                         {"--due-by", "due_by"},
                                         {"--scope", "scope"},
                                         {"--kind", "kind"},
                                         {"--title", "title"},
                                         {"--date", "date"},
                                         {"--reason", "reason"},
                                         {"file name", "file_name"},
                                         {"a document needs a file name", "file_name"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(msg, map[i][0], strlen(map[i][0])) == 0)
            return map[i][1];
    return NULL;
}

/* A use case's refusal: 400 naming the field (the flag's "--" dropped: an API client has none),
 * 404, 409 (a second case, a locked month, a second removal) as http_fail does. */
static void case_fail(http_response *w, const pc_err *e)
{
    if (e->code != PC_EINVAL) {
        http_fail(w, e);
        return;
    }
    http_error(w, 400, "invalid", strncmp(e->msg, "--", 2) == 0 ? e->msg + 2 : e->msg, field_of(e->msg));
}

/* ---- cases ---- */

static int add_case(void *ctx, const case_row *c)
{
    json_array_append_new(ctx, case_json(c));
    return 0;
}

void h_cases_list(http_request *r, http_response *w)
{
    case_query q = {0};
    long limit, offset;
    if (http_scope_arg(r, w, http_query(r, "scope"), "scope", &q.scope_code) != 0 ||
        http_paging(r, w, 1000000, &limit, &offset) != 0)
        return;
    q.status = http_query(r, "status");
    q.due_by = http_query(r, "due_by");
    q.owner = http_query(r, "owner");
    q.limit = limit + 1;
    q.offset = offset;
    json_t *items = json_array();
    pc_err e = {0};
    if (cases_list(r->d, &q, add_case, items, &e) != 0) {
        json_decref(items);
        case_fail(w, &e);
        return;
    }
    http_json(w, 200, http_page(items, limit, offset));
}

/* The case of a customer with its history and documents, as `case show --json`. */
static json_t *case_answer(http_request *r, const char *code, pc_err *e)
{
    case_detail k;
    if (case_show(r->d, code, &k, e) != 0)
        return NULL;
    json_t *o = case_detail_json(&k);
    case_detail_free(&k);
    return o;
}

void h_case_get(http_request *r, http_response *w)
{
    const char *code = r->params[0];
    if (http_customer_scope(r, w, code, NULL) != 0)
        return;
    pc_err e = {0};
    json_t *o = case_answer(r, code, &e);
    if (!o)
        case_fail(w, &e);
    else
        http_json(w, 200, o);
}

/* The fields of a case change in a body. A JSON null (or "") for owner or next_action clears
 * it; an absent field keeps it. -1 answered. */
static int change_of(http_response *w, json_t *body, case_change *c)
{
    memset(c, 0, sizeof *c);
    if (http_body_string(w, body, "status", &c->status) || http_body_string(w, body, "owner", &c->owner) ||
        http_body_string(w, body, "next_action", &c->next_action) || http_body_string(w, body, "note", &c->note))
        return -1;
    if (json_is_null(json_object_get(body, "owner")))
        c->owner = "";
    if (json_is_null(json_object_get(body, "next_action")))
        c->next_action = "";
    if (json_is_null(json_object_get(body, "status"))) {
        http_error(w, 400, "invalid", "status: a case always has a status; leave it out to keep it", "status");
        return -1;
    }
    return 0;
}

/* POST /api/v1/cases {"customer_code", "status"?, "owner"?, "next_action"?, "note"?} */
void h_case_open(http_request *r, http_response *w)
{
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    const char *code;
    case_change c;
    http_idem k;
    if (http_body_string(w, body, "customer_code", &code) || change_of(w, body, &c))
        goto done;
    if (!code || !code[0]) {
        http_error(w, 400, "invalid", "customer_code: the customer whose debt the case follows", "customer_code");
        goto done;
    }
    if (http_customer_scope(r, w, code, "customer_code") != 0 || http_idem_begin(r, w, true, NULL, &k) != 0)
        goto done;
    pc_err e = {0};
    case_row row;
    json_t *o = NULL;
    if (case_open(r->d, r->user, code, &c, &row, &e) != 0 || !(o = case_answer(r, code, &e))) {
        http_idem_abort(r, &k);
        case_fail(w, &e);
    } else
        http_idem_answer(r, w, &k, 201, o);
done:
    json_decref(body);
}

/* PATCH /api/v1/customers/{code}/case {"status"?, "owner"?, "next_action"?, "note"?}: every
 * update is an event of the case's history; an Idempotency-Key is optional (a retry with it adds
 * no second event). */
void h_case_update(http_request *r, http_response *w)
{
    const char *code = r->params[0];
    if (http_customer_scope(r, w, code, NULL) != 0)
        return;
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    case_change c;
    http_idem k;
    if (change_of(w, body, &c) == 0 && http_idem_begin(r, w, false, NULL, &k) == 0) {
        pc_err e = {0};
        case_row row;
        json_t *o = NULL;
        if (case_update(r->d, r->user, code, &c, &row, &e) != 0 || !(o = case_answer(r, code, &e))) {
            http_idem_abort(r, &k);
            case_fail(w, &e);
        } else
            http_idem_answer(r, w, &k, 200, o);
    }
    json_decref(body);
}

/* ---- documents ---- */

typedef struct {
    json_t *items;
    long skip, take, seen;
} doc_page;

static int add_document(void *ctx, const document_row *d)
{
    doc_page *p = ctx;
    long i = p->seen++;
    if (i >= p->skip && i < p->skip + p->take)
        json_array_append_new(p->items, document_json(d));
    return 0;
}

/* GET /api/v1/customers/{code}/documents?all=1&limit=&offset= */
void h_documents_list(http_request *r, http_response *w)
{
    const char *code = r->params[0];
    long limit, offset;
    if (http_customer_scope(r, w, code, NULL) != 0 || http_paging(r, w, 1000000, &limit, &offset) != 0)
        return;
    const char *all = http_query(r, "all");
    doc_page p = {json_array(), offset, limit + 1, 0};
    pc_err e = {0};
    if (doc_list(r->d, code, all && strcmp(all, "1") == 0, add_document, &p, &e) != 0) {
        json_decref(p.items);
        case_fail(w, &e);
        return;
    }
    http_json(w, 200, http_page(p.items, limit, offset));
}

/* The document store of the server's database, as `doc` finds it. -1 answered. */
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

/* The name a client gave its file, kept as a label only: what follows the last '/' or '\' (a
 * browser on Windows may send a whole path), so "../../etc/passwd" is "passwd"; never a path. */
static const char *label_of(const char *name)
{
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    return base;
}

/* POST /api/v1/customers/{code}/documents?kind=&title=&date=&file_name= with the file's bytes as
 * the body (any Content-Type: the type is told by the content, as `doc add` does). */
void h_document_add(http_request *r, http_response *w)
{
    const char *code = r->params[0];
    if (http_customer_scope(r, w, code, NULL) != 0)
        return;
    char dir[1024];
    doc_store st;
    if (store_of(r, w, dir, &st) != 0)
        return;
    /* too big is refused before anything else is read or stored */
    if ((long long)r->body_len > (long long)st.max_bytes) {
        char msg[160];
        snprintf(msg, sizeof msg, "the file is %zu bytes: the limit is %lld bytes ([documents] max_bytes)",
                 r->body_len, (long long)st.max_bytes);
        http_error(w, 413, "too_large", msg, "body");
        return;
    }
    const char *given = http_query(r, "file_name");
    const char *name = given && given[0] ? label_of(given) : "document";
    if (!name[0]) {
        http_error(w, 400, "invalid", "file_name: a file's name, not a folder's", "file_name");
        return;
    }
    doc_meta m = {http_query(r, "kind"), http_query(r, "title"), http_query(r, "date")};
    if (!m.kind) {
        http_error(w, 400, "invalid", "kind: invoice, minutes, record, court or other is required", "kind");
        return;
    }
    pc_err e = {0};
    char type[32];
    if (r->body_len == 0) {
        http_error(w, 400, "invalid", "the body is empty: send the file's bytes", "body");
        return;
    }
    /* a type we do not keep is the content's fault, not a malformed request */
    if (doc_media_type(name, r->body, r->body_len, type, &e) != 0) {
        if (e.code == PC_EINVAL)
            http_error(w, 415, "unsupported_media_type", e.msg, "body");
        else
            http_fail(w, &e);
        return;
    }
    static const char *const args[] = {"kind", "title", "date", "file_name", NULL};
    http_idem k;
    if (http_idem_begin(r, w, true, args, &k) != 0)
        return;
    document_row d;
    bool stored_new;
    if (doc_add_bytes(r->d, r->user, &st, code, name, r->body, r->body_len, &m, r->cfg->utc_offset_minutes, &d,
                      &stored_new, &e) != 0) {
        http_idem_abort(r, &k);
        case_fail(w, &e);
        return;
    }
    json_t *o = document_json(&d);
    char link[64];
    snprintf(link, sizeof link, "/api/v1/documents/%lld", (long long)d.id);
    json_object_set_new(o, "href", json_string(link));
    http_idem_answer(r, w, &k, 201, o);
}

/* The document of the id in the path when its customer is within the scope; anything else is
 * 404 alike (ids are sequential: a 403 would confirm a guess). -1 answered. */
static int document_in_scope(http_request *r, http_response *w, int64_t *id)
{
    char *end;
    long long v = strtoll(r->params[0], &end, 10);
    document_row d;
    case_customer c;
    pc_err e = {0};
    bool in = false;
    *id = v;
    if (*end == 0 && v > 0 && document_get(r->d, v, &d, &e) == 0 &&
        case_customer_get(r->d, d.customer_code, &c, &e) == 0 && http_unit_in_scope(r, c.unit_code, &in, &e) == 0 &&
        in)
        return 0;
    if (e.code == PC_EDB || e.code == PC_EINTERNAL || e.code == PC_EIO)
        http_fail(w, &e);
    else
        http_error(w, 404, "not_found", "no document has this id within your scope", NULL);
    return -1;
}

/* Content-Disposition of a download: always an attachment (never shown inside our origin), the
 * name from the stored label with anything but letters, digits, '.', '-' and '_' replaced in the
 * plain form, and the label itself percent-encoded in the RFC 8187 form. */
static void disposition(const document_row *d, http_response *w)
{
    char plain[96];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)d->file_name; *p && n < sizeof plain - 1; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
                  *p == '-' || *p == '_';
        if (ok || *p < 0x80 || (*p & 0xc0) == 0xc0) /* one '_' per character, not per byte */
            plain[n++] = ok ? (char)*p : '_';
    }
    plain[n] = 0;
    if (n == 0 || plain[0] == '.')
        snprintf(plain, sizeof plain, "document-%lld", (long long)d->id);
    int len = snprintf(w->content_disposition, sizeof w->content_disposition, "attachment; filename=\"%s\"", plain);
    static const char hex[] = "0123456789ABCDEF";
    char enc[sizeof w->content_disposition];
    size_t m = 0;
    for (const unsigned char *p = (const unsigned char *)d->file_name; *p && m + 4 < sizeof enc; p++) {
        bool keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                    strchr("!#$&+-.^_`|~", *p);
        if (keep)
            enc[m++] = (char)*p;
        else {
            enc[m++] = '%';
            enc[m++] = hex[*p >> 4];
            enc[m++] = hex[*p & 15];
        }
    }
    enc[m] = 0;
    /* the encoded form only when the whole label fits */
    if (m > 0 && strlen(d->file_name) * 3 + 4 < sizeof enc &&
        (size_t)len + m + 20 < sizeof w->content_disposition)
        snprintf(w->content_disposition + len, sizeof w->content_disposition - (size_t)len,
                 "; filename*=UTF-8''%s", enc);
}

/* GET /api/v1/documents/{id}: the bytes, checked against their SHA-256 (a removed document is
 * still read: history is kept). */
void h_document_get(http_request *r, http_response *w)
{
    int64_t id;
    if (document_in_scope(r, w, &id) != 0)
        return;
    char dir[1024];
    doc_store st;
    if (store_of(r, w, dir, &st) != 0)
        return;
    document_row d;
    unsigned char *bytes;
    size_t len;
    pc_err e = {0};
    if (doc_read(r->d, &st, id, &d, &bytes, &len, &e) != 0) {
        http_fail(w, &e);
        return;
    }
    w->status = 200;
    /* one of the three types doc_media_type lets in: a static string, not the stored text */
    w->content_type = strcmp(d.media_type, "application/pdf") == 0 ? "application/pdf"
                      : strcmp(d.media_type, "image/png") == 0     ? "image/png"
                                                                   : "image/jpeg";
    w->cache_control = "private, no-store";
    disposition(&d, w);
    buf_append(&w->body, (const char *)bytes, len);
    free(bytes);
}

/* POST /api/v1/documents/{id}/remove {"reason"} */
void h_document_remove(http_request *r, http_response *w)
{
    int64_t id;
    if (document_in_scope(r, w, &id) != 0)
        return;
    json_t *body = http_body_object(r, w);
    if (!body)
        return;
    const char *reason;
    if (http_body_string(w, body, "reason", &reason) == 0) {
        pc_err e = {0};
        document_row d;
        if (doc_remove(r->d, r->user, id, reason, r->cfg->utc_offset_minutes, &d, &e) != 0)
            case_fail(w, &e);
        else
            http_json(w, 200, document_json(&d));
    }
    json_decref(body);
}
