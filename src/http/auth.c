/* Authentication and authorisation of a request (http/auth.h). The decisions live in app/auth.c
 * and domain/access.c; this file reads the request and answers refusals. */
#include "http/auth.h"

#include "domain/customer.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/auth.h"
#include "store/cases.h"
#include "store/repo.h"
#include "base/log.h"

unsigned http_role_bit(const char *role)
{
    static const struct {
        const char *name;
        unsigned bit;
    } roles[] = {{"administrator", ROLE_ADMINISTRATOR}, {"corporation", ROLE_CORPORATION}, {"company", ROLE_COMPANY},
                 {"unit_officer", ROLE_UNIT_OFFICER},   {"cashier", ROLE_CASHIER},         {"partner", ROLE_PARTNER},
                 {"auditor", ROLE_AUDITOR},             {"read_only", ROLE_READ_ONLY},
                 {"account_manager", ROLE_ACCOUNT_MANAGER}};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i].name, role) == 0)
            return roles[i].bit;
    return 0;
}

bool http_in_scope(const http_request *r, const char *org_path)
{
    return r->who.authenticated && r->who.scope_path[0] && access_in_scope(r->who.scope_path, org_path);
}

void http_session_cookie(const http_request *r, const char *token, long max_age, http_response *w)
{
    snprintf(w->set_cookie, sizeof w->set_cookie, "%s=%s; Max-Age=%ld; Path=/; HttpOnly; SameSite=Strict%s",
             HTTP_SESSION_COOKIE, token ? token : "", token ? max_age : 0L,
             r->cfg->server.secure_cookies ? "; Secure" : "");
}

typedef struct {
    query_param p[32];
    size_t n;
    bool overflow;
} params_ctx;

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    params_ctx *x = cls;
    if (x->n == sizeof x->p / sizeof x->p[0]) {
        x->overflow = true;
        return MHD_NO;
    }
    x->p[x->n].name = key;
    x->p[x->n].value = value ? value : "";
    x->n++;
    return MHD_YES;
}

static void from_user(http_principal *p, const user_row *u)
{
    p->authenticated = true;
    p->user_id = u->id;
    snprintf(p->login, sizeof p->login, "%s", u->login);
    snprintf(p->name, sizeof p->name, "%s", u->name);
    snprintf(p->role, sizeof p->role, "%s", u->role);
    snprintf(p->lang, sizeof p->lang, "%s", u->lang);
    snprintf(p->scope_code, sizeof p->scope_code, "%s", u->scope_code);
    snprintf(p->scope_path, sizeof p->scope_path, "%s", u->scope_path);
}

bool http_authorize(const http_route *route, http_request *r, http_response *w)
{
    http_principal *p = &r->who;
    memset(p, 0, sizeof *p);
    p->via = "-";
    const char *authz = http_header(r, "Authorization");
    pc_err e = {0};
    if (authz && strncmp(authz, "PCS-HMAC-SHA256", 15) == 0) {
        params_ctx q = {0};
        MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_param, &q);
        if (q.overflow) {
            http_error(w, 400, "invalid", "more than 32 query parameters", NULL);
            return false;
        }
        if (auth_verify_signed(r->d, r->cfg, authz, r->method, r->path, q.p, q.n, r->body, r->body_len, &p->partner_id,
                               p->partner_code, p->key_id, &e) != 0) {
            if (e.code == PC_EINVAL) {
                log_event(LOG_WARN, "auth_signature", "key_id=\"%s\" path=\"%s\" why=\"%s\"", p->key_id, r->path, e.msg);
                http_error(w, 401, "unauthenticated", e.msg, "Authorization");
            } else
                http_fail(w, &e);
            return false;
        }
        p->authenticated = true;
        p->via = "signature";
        snprintf(p->role, sizeof p->role, "partner");
        snprintf(p->login, sizeof p->login, "partner:%s", p->partner_code);
    } else {
        const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, HTTP_SESSION_COOKIE);
        if (token && token[0]) {
            user_row u;
            char sid[AUTH_TOKEN_HEX];
            if (auth_session(r->d, r->cfg, token, &u, sid, &e) == 0) {
                from_user(p, &u);
                p->via = "session";
                snprintf(p->session_token, sizeof p->session_token, "%s", token);
            } else if (e.code != PC_ENOTFOUND) {
                http_fail(w, &e);
                return false;
            }
        }
    }
    if (p->authenticated)
        r->user = p->login;
    if (route->access & ACCESS_PUBLIC)
        return true;
    if (!p->authenticated) {
        http_error(w, 401, "unauthenticated", "sign in first (POST /api/v1/login) or sign the request", NULL);
        return false;
    }
    if (route->access != ACCESS_SIGNED_IN && !(route->access & http_role_bit(p->role))) {
        http_error(w, 403, "forbidden", "your role may not use this", NULL);
        return false;
    }
    /* a cookie rides along with any request the browser makes; the token proves the page is ours */
    if (strcmp(p->via, "session") == 0 && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        const char *given = http_header(r, "X-CSRF-Token");
        char want[AUTH_TOKEN_HEX];
        auth_csrf_of(p->session_token, want);
        if (!given || strlen(given) != AUTH_TOKEN_HEX - 1 || sodium_memcmp(given, want, AUTH_TOKEN_HEX - 1) != 0) {
            http_error(w, 403, "csrf_failed", "the X-CSRF-Token header is missing or wrong (GET /api/v1/me gives it)",
                       "X-CSRF-Token");
            return false;
        }
    }
    return true;
}

/* ---- scope decisions shared by the handlers ---- */

int http_unit_in_scope(http_request *r, const char *unit_code, bool *in, pc_err *e)
{
    org_row n;
    *in = false;
    if (org_get(r->d, unit_code, &n, e) != 0)
        return e->code == PC_ENOTFOUND ? 0 : -1;
    *in = http_in_scope(r, n.path);
    return 0;
}

int http_scope_arg(http_request *r, http_response *w, const char *arg, const char *field, const char **code)
{
    *code = arg && arg[0] ? arg : r->who.scope_code;
    pc_err e = {0};
    bool in = false;
    if ((*code)[0] && http_unit_in_scope(r, *code, &in, &e) != 0) {
        http_fail(w, &e);
        return -1;
    }
    if (!in) {
        http_error(w, 403, "forbidden",
                   (*code)[0] ? "this scope is not within your scope" : "this account has no scope node", field);
        return -1;
    }
    return 0;
}

int http_customer_code_shape(http_response *w, const char *code, const char *field)
{
    pc_err e = {0};
    if (customer_code_check(code, &e) != 0) {
        http_error(w, 400, "invalid", e.msg, field);
        return -1;
    }
    return 0;
}

int http_customer_scope(http_request *r, http_response *w, const char *code, const char *field)
{
    if (http_customer_code_shape(w, code, field) != 0)
        return -1;
    char unit[16];
    snprintf(unit, sizeof unit, "%.6s", code);
    pc_err e = {0};
    bool in;
    if (http_unit_in_scope(r, unit, &in, &e) != 0) {
        http_fail(w, &e);
        return -1;
    }
    case_customer c;
    if (in && case_customer_get(r->d, code, &c, &e) != 0) {
        if (e.code == PC_ENOTFOUND)
            http_error(w, 404, "not_found", "no customer has this code", field);
        else
            http_fail(w, &e);
        return -1;
    }
    /* a customer moved to another unit keeps its code: where it is now decides as well */
    if (in && strcmp(c.unit_code, unit) != 0 && http_unit_in_scope(r, c.unit_code, &in, &e) != 0) {
        http_fail(w, &e);
        return -1;
    }
    if (!in) {
        http_error(w, 403, "forbidden", "this customer is not within your scope", field);
        return -1;
    }
    return 0;
}
