/* Files uploaded for batch import (docs/api.md "Files"): POST /api/v1/files/{kind} with the CSV
 * as the body runs the same import as the CLI (app/uploads.h): all lines or none, the summary or
 * every bad line with its column, the database unchanged on a refusal. The Idempotency-Key names
 * the upload: a retry with it answers with the first result, and the uploads that changed
 * something are kept as a history (GET /api/v1/files), shown within the caller's scope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/uploads.h"
#include "base/hash.h"
#include "http/auth.h"
#include "http/router.h"

/* Who may import which kind (docs/api.md "Files"): customers, reads and legacy debt belong to a
 * unit, so unit officers import them within their scope; collection files and the partners' and
 * the bank's statements are the corporation's money, imported above the units. */
static unsigned kind_access(upload_kind k)
{
    switch (k) {
    case UPLOAD_CUSTOMERS:
    case UPLOAD_READS:
        return ROLE_ADMINISTRATOR | ROLE_COMPANY | ROLE_UNIT_OFFICER;
    case UPLOAD_LEGACY_DEBT:
        return ACCESS_DEBT_WRITE;
    default:
        return ROLE_ADMINISTRATOR | ROLE_CORPORATION | ROLE_COMPANY;
    }
}

static json_t *detail_json(const char *text)
{
    json_t *o = json_loads(text, 0, NULL);
    return o ? o : json_object();
}

static json_t *upload_json(const upload_row *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:o}", "id", (json_int_t)u->id,
                     "kind", u->kind, "name", u->name, "sha256", u->sha256, "bytes", (json_int_t)u->bytes, "options",
                     u->options, "uploaded_by", u->uploaded_by, "uploaded_at", u->uploaded_at, "lines",
                     (json_int_t)u->lines, "imported", (json_int_t)u->imported, "skipped", (json_int_t)u->skipped,
                     "amount", (json_int_t)u->amount, "detail", detail_json(u->detail));
}

/* The answer to an upload: the history row when one was kept, else the summary alone. */
static json_t *result_json(upload_kind k, const upload_result *res, const upload_row *u, bool dry_run, bool repeated)
{
    json_t *o = u ? upload_json(u)
                  : json_pack("{s:n, s:s, s:s, s:I, s:I, s:I, s:I, s:o}", "id", "kind", upload_kind_name(k), "sha256",
                              res->sha256, "lines", (json_int_t)res->lines, "imported", (json_int_t)res->imported,
                              "skipped", (json_int_t)res->skipped, "amount", (json_int_t)res->amount, "detail",
                              detail_json(res->detail));
    json_object_set_new(o, "already", json_boolean(res && res->already));
    json_object_set_new(o, "already_at", res && res->already ? json_string(res->already_at) : json_null());
    json_object_set_new(o, "dry_run", json_boolean(dry_run));
    json_object_set_new(o, "repeated", json_boolean(repeated));
    return o;
}

/* A refused file: 422 with every bad line (line, column, reason); the database is unchanged. */
static void refused(http_response *w, const pc_err *e, const upload_result *res)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < res->nerrors; i++) {
        const upload_line_error *x = &res->errors[i];
        json_array_append_new(lines, json_pack("{s:I, s:s?, s:s}", "line", (json_int_t)x->line, "column",
                                               x->column[0] ? x->column : NULL, "reason", x->reason));
    }
    json_t *err = json_pack("{s:s, s:s, s:n, s:I, s:I, s:o}", "code", "invalid_file", "message", e->msg, "field",
                            "lines", (json_int_t)res->lines, "error_lines", (json_int_t)res->error_lines, "errors",
                            lines);
    http_json(w, 422, json_pack("{s:o}", "error", err));
}

/* The Idempotency-Key header every upload carries; NULL answered. */
static const char *upload_key(http_request *r, http_response *w)
{
    const char *k = http_header(r, "Idempotency-Key");
    if (!k || !k[0] || strlen(k) > 63) {
        http_error(w, 400, "invalid",
                   "the Idempotency-Key header is required (at most 63 characters): a new random key per file, the "
                   "same key when resending",
                   "Idempotency-Key");
        return NULL;
    }
    return k;
}

/* The file's name as kept in the history: the `name` argument with anything but letters,
 * digits, dot, dash and underscore replaced, or KIND.csv. */
static void file_name(http_request *r, upload_kind k, char out[96])
{
    const char *n = http_query(r, "name");
    if (!n || !n[0] || strcmp(n, ".") == 0 || strcmp(n, "..") == 0) {
        snprintf(out, 96, "%s.csv", upload_kind_name(k));
        return;
    }
    size_t i = 0;
    for (; n[i] && i < 95; i++) {
        char c = n[i];
        out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                         c == '_'
                     ? c
                     : '_';
    }
    out[i] = 0;
}

/* The kind's options from the query (the CLI's flags); -1 answered. */
static int options_of(http_request *r, http_response *w, upload_kind k, upload_options *o, char text[128])
{
    text[0] = 0;
    const char *source = http_query(r, "source"), *partner = http_query(r, "partner"),
               *dry = http_query(r, "dry_run");
    if (source && k != UPLOAD_READS) {
        http_error(w, 400, "invalid", "source: only a reads file has a source", "source");
        return -1;
    }
    if (partner && k != UPLOAD_STATEMENTS) {
        http_error(w, 400, "invalid", "partner: only a statement is checked against a partner", "partner");
        return -1;
    }
    if (dry && k != UPLOAD_LEGACY_DEBT) {
        http_error(w, 400, "invalid", "dry_run: only a legacy debt file can be checked without importing", "dry_run");
        return -1;
    }
    if (source) {
        if (strcmp(source, "file") != 0 && strcmp(source, "amr") != 0) {
            http_error(w, 400, "invalid", "source: file (read by hand) or amr (automatic)", "source");
            return -1;
        }
        o->source = source;
        snprintf(text, 128, "source=%s", source);
    }
    if (partner && partner[0]) {
        if (strlen(partner) > 23) {
            http_error(w, 400, "invalid", "partner: at most 23 characters", "partner");
            return -1;
        }
        o->partner = partner;
        snprintf(text, 128, "partner=%s", partner);
    }
    if (dry) {
        if (strcmp(dry, "1") != 0 && strcmp(dry, "0") != 0 && strcmp(dry, "true") != 0 && strcmp(dry, "false") != 0) {
            http_error(w, 400, "invalid", "dry_run: 1 or 0", "dry_run");
            return -1;
        }
        o->dry_run = strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0;
    }
    return 0;
}

/* Writes the body where the import reads it: a private folder, the file under its own name. */
static int body_to_file(http_request *r, const char *name, char dir[64], char path[192], pc_err *e)
{
    snprintf(dir, 64, "/tmp/powercis-upload-XXXXXX");
    if (!mkdtemp(dir))
        return pc_errf(e, PC_EIO, "cannot make a folder for the upload");
    snprintf(path, 192, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(r->body, 1, r->body_len, f) != r->body_len || fclose(f) != 0) {
        if (f)
            remove(path);
        rmdir(dir);
        return pc_errf(e, PC_EIO, "cannot keep the upload for its import");
    }
    return 0;
}

static bool content_type_ok(http_request *r)
{
    const char *t = http_header(r, "Content-Type");
    if (!t)
        return true;
    static const char *const ok[] = {"text/csv", "text/plain", "application/csv", "application/octet-stream"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strncmp(t, ok[i], strlen(ok[i])) == 0 && (t[strlen(ok[i])] == 0 || t[strlen(ok[i])] == ';'))
            return true;
    return false;
}

/* Whether key names an upload already: 1 with *u when it is this same upload (the caller, kind,
 * file and options), 0 when none; -1 when it names another upload (or the lookup failed, *e). */
static int upload_of_key(http_request *r, const char *key, upload_kind k, const char *sha, const char *options,
                         upload_row *u, pc_err *e)
{
    if (upload_by_key(r->d, key, u, e) != 0)
        return e->code == PC_ENOTFOUND ? 0 : -1;
    if (strcmp(u->uploaded_by, r->user) != 0 || strcmp(u->kind, upload_kind_name(k)) != 0 ||
        strcmp(u->sha256, sha) != 0 || strcmp(u->options, options) != 0) {
        pc_errf(e, PC_ECONFLICT, "another upload");
        return -1;
    }
    return 1;
}

/* ---- POST /api/v1/files/{kind} ---- */

void h_file_upload(http_request *r, http_response *w)
{
    upload_kind k;
    if (upload_kind_parse(r->params[0], &k) != 0) {
        http_error(w, 404, "not_found",
                   "no such kind of file: customers, reads, collections, statements, bank-statements or legacy-debt",
                   NULL);
        return;
    }
    if (!(kind_access(k) & http_role_bit(r->who.role))) {
        http_error(w, 403, "forbidden", "your role may not import this kind of file", NULL);
        return;
    }
    const char *key = upload_key(r, w);
    if (!key)
        return;
    if ((long long)r->body_len > r->cfg->server.max_import_bytes) {
        char msg[128];
        snprintf(msg, sizeof msg, "the file is larger than %lld bytes, the import's limit",
                 r->cfg->server.max_import_bytes);
        http_error(w, 413, "too_large", msg, NULL);
        return;
    }
    if (!content_type_ok(r)) {
        http_error(w, 415, "unsupported_media_type", "the body is the CSV file itself: Content-Type text/csv",
                   "Content-Type");
        return;
    }
    if (r->body_len == 0) {
        http_error(w, 400, "invalid", "the body is empty: send the CSV file as the body", NULL);
        return;
    }
    upload_options o = {.scope_path = r->who.scope_path};
    char options[128], name[96];
    if (options_of(r, w, k, &o, options) != 0)
        return;
    file_name(r, k, name);
    char sha[SHA256_HEX_LEN];
    sha256_hex(r->body, r->body_len, sha);

    /* a retry: the first answer, whatever happened since */
    pc_err e = {0};
    upload_row u;
    int known = upload_of_key(r, key, k, sha, options, &u, &e);
    if (known == 1) {
        http_json(w, 200, result_json(k, NULL, &u, false, true));
        return;
    }
    if (known < 0) {
        if (e.code == PC_ECONFLICT)
            http_error(w, 409, "conflict",
                       "this Idempotency-Key was used before for another file: nothing was imported; a new file "
                       "needs a new key",
                       "Idempotency-Key");
        else
            http_fail(w, &e);
        return;
    }

    char dir[64], path[192];
    e = (pc_err){0};
    if (body_to_file(r, name, dir, path, &e) != 0) {
        http_fail(w, &e);
        return;
    }
    upload_result res;
    upload_origin from = {key, r->user, r->who.scope_path, name, (long long)r->body_len, options};
    bool kept;
    int rc = upload_import_kept(r->d, r->cfg, k, path, &o, &from, &res, &u, &kept, &e);
    remove(path);
    rmdir(dir);
    /* the same key sent twice at once: the first one's import is in and the second found the
     * file imported before (or, for customers, its codes taken): the answer is the first's */
    pc_err ke = {0};
    if (!kept && !o.dry_run && (rc != 0 ? e.code == PC_EINVAL : res.already) &&
        upload_of_key(r, key, k, sha, options, &u, &ke) == 1) {
        http_json(w, 200, result_json(k, NULL, &u, false, true));
        upload_result_free(&res);
        return;
    }
    if (rc != 0) {
        if (e.code == PC_EINVAL)
            refused(w, &e, &res);
        else if (e.code == PC_ENOTFOUND && o.partner) /* the partner= argument names no partner */
            http_error(w, 404, "not_found", e.msg, "partner");
        else
            http_fail(w, &e);
        upload_result_free(&res);
        return;
    }
    http_json(w, kept ? 201 : 200, result_json(k, &res, kept ? &u : NULL, o.dry_run, false));
    upload_result_free(&res);
}

/* ---- GET /api/v1/files ---- */

typedef struct {
    json_t *items;
} list_ctx;

static int add_item(void *ctx, const upload_row *u)
{
    json_array_append_new(((list_ctx *)ctx)->items, upload_json(u));
    return 0;
}

void h_file_list(http_request *r, http_response *w)
{
    long limit = http_query_long(r, w, "limit", 20, 1, 100);
    if (limit < 0)
        return;
    long offset = http_query_long(r, w, "offset", 0, 0, 1000000);
    if (offset < 0)
        return;
    const char *kind = http_query(r, "kind");
    upload_kind k;
    if (kind && upload_kind_parse(kind, &k) != 0) {
        http_error(w, 400, "invalid",
                   "kind: customers, reads, collections, statements, bank-statements or legacy-debt", "kind");
        return;
    }
    list_ctx x = {json_array()};
    int64_t total = 0;
    pc_err e = {0};
    if (upload_list(r->d, r->who.scope_path, kind, limit, offset, add_item, &x, &total, &e) != 0) {
        json_decref(x.items);
        http_fail(w, &e);
        return;
    }
    http_json(w, 200,
              json_pack("{s:o, s:i, s:i, s:I, s:o}", "items", x.items, "limit", (int)limit, "offset", (int)offset, "total",
                        (json_int_t)total, "next_offset", offset + limit < total ? json_integer(offset + limit) : json_null()));
}

/* ---- GET /api/v1/files/{id} ---- */

void h_file_get(http_request *r, http_response *w)
{
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    pc_err e = {0};
    upload_row u;
    /* an upload outside the scope is not found, like one that does not exist */
    if (id > 0 && !*end && upload_get(r->d, id, &u, &e) == 0 && http_in_scope(r, u.scope_path)) {
        http_json(w, 200, upload_json(&u));
        return;
    }
    if (e.code == PC_EDB || e.code == PC_EINTERNAL)
        http_fail(w, &e);
    else
        http_error(w, 404, "not_found", "no upload has this number within your scope", NULL);
}
