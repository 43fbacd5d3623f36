/* Idempotency keys of creating requests (http/idempotency.h). */
#include "http/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/hash.h"
#include "store/request_keys.h"

/* SHA-256 of what the request asks: method, path, the query arguments that mean something to the
 * handler (by name, so their order in the URL does not matter) and the body's own hash. */
static void request_hash(const http_request *r, const char *const *query, char out[65])
{
    char body[65];
    sha256_hex(r->body, r->body_len, body);
    buf b = {0};
    buf_printf(&b, "%s\n%s\n", r->method, r->path);
    for (int i = 0; query && query[i]; i++) {
        const char *v = http_query(r, query[i]);
        /* lengths first, so that no argument's text can pose as another's; absent is not empty */
        if (v)
            buf_printf(&b, "%s=%zu:%s\n", query[i], strlen(v), v);
        else
            buf_printf(&b, "%s-\n", query[i]);
    }
    buf_printf(&b, "%s", body);
    sha256_hex(b.data, b.len, out);
    buf_free(&b);
}

static bool key_valid(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > 63)
        return false;
    for (const unsigned char *p = (const unsigned char *)k; *p; p++)
        if (*p < 0x21 || *p > 0x7e)
            return false;
    return true;
}

int http_idem_begin(http_request *r, http_response *w, bool required, const char *const *query, http_idem *k)
{
    memset(k, 0, sizeof *k);
    const char *key = http_header(r, "Idempotency-Key");
    if (!key || !key[0]) {
        if (!required)
            return 0;
        http_error(w, 400, "invalid",
                   "the Idempotency-Key header is required: a new random key per request, the same key when resending",
                   "Idempotency-Key");
        return 1;
    }
    if (!key_valid(key)) {
        http_error(w, 400, "invalid", "Idempotency-Key: 1 to 63 printable ASCII characters, no spaces",
                   "Idempotency-Key");
        return 1;
    }
    k->key = key;
    request_hash(r, query, k->hash);
    pc_err e = {0};
    if (db_begin(r->d, &e) != 0) {
        http_fail(w, &e);
        return 1;
    }
    request_key_row first;
    if (request_key_get(r->d, r->who.login, key, &first, &e) == 0) {
        db_rollback(r->d);
        if (strcmp(first.request_hash, k->hash) != 0) {
            http_error(w, 409, "conflict",
                       "this Idempotency-Key was used before with another request: nothing was done; a new request "
                       "needs a new key",
                       "Idempotency-Key");
        } else {
            json_error_t je;
            json_t *j = json_loads(first.answer, 0, &je);
            if (json_is_object(j))
                json_object_set_new(j, "repeated", json_true());
            /* the first answer created something; its repeat creates nothing */
            http_json(w, first.status == 201 ? 200 : first.status, j ? j : json_object());
        }
        free(first.answer);
        return 1;
    }
    if (e.code != PC_ENOTFOUND) {
        db_rollback(r->d);
        http_fail(w, &e);
        return 1;
    }
    k->open = true;
    return 0;
}

void http_idem_answer(http_request *r, http_response *w, http_idem *k, int status, json_t *j)
{
    if (json_is_object(j))
        json_object_set_new(j, "repeated", json_false());
    if (!k->open) {
        http_json(w, status, j);
        return;
    }
    k->open = false;
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(HTTP_JSON_REAL_DIGITS));
    char now[TIMESTAMP_FMT_MAX];
    pc_err e = {0};
    int rc = text ? request_key_insert(r->d, r->who.login, k->key, k->hash, status, text, timestamp_now(now), &e)
                  : pc_errf(&e, PC_EINTERNAL, "no memory for the answer");
    free(text);
    if (rc == 0 && db_commit(r->d, &e) == 0) {
        http_json(w, status, j);
        return;
    }
    db_rollback(r->d);
    json_decref(j);
    if (e.code == PC_ECONFLICT) /* the same key answered meanwhile by another request */
        http_error(w, 409, "conflict",
                   "a request with this Idempotency-Key was answered meanwhile: nothing was done here; send it again "
                   "to get that answer",
                   "Idempotency-Key");
    else
        http_fail(w, &e);
}

void http_idem_abort(http_request *r, http_idem *k)
{
    if (k->open)
        db_rollback(r->d);
    k->open = false;
}
