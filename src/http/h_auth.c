/* Sign-in resources: login, logout, who am I, password change (docs/api.md). The session token
 * travels only in the HttpOnly cookie; the CSRF token in the body of /login and /me. */
#include <stdio.h>
#include <string.h>

#include "app/auth.h"
#include "base/date.h"
#include "http/auth.h"
#include "http/router.h"

static const char *string_field(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *user_json(const http_principal *p)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "login", p->login, "name", p->name, "role", p->role, "scope",
                     p->scope_code, "lang", p->lang);
}

void h_login(http_request *r, http_response *w)
{
    json_t *b = http_body_object(r, w);
    if (!b)
        return;
    const char *login = string_field(b, "login"), *password = string_field(b, "password");
    if (!login || !login[0]) {
        http_error(w, 400, "invalid", "login: a text is required", "login");
        json_decref(b);
        return;
    }
    if (!password) {
        http_error(w, 400, "invalid", "password: a text is required", "password");
        json_decref(b);
        return;
    }
    const char *previous = r->who.session_token[0] ? r->who.session_token : NULL;
    /* the live session the browser had (if any) ends; the new one gets a fresh token */
    login_result res;
    pc_err e = {0};
    int rc = auth_login(r->d, r->cfg, login, password, r->ip, previous, &res, &e);
    json_decref(b);
    if (rc != 0) {
        http_fail(w, &e);
        return;
    }
    if (res.outcome == LOGIN_THROTTLED) {
        http_error(w, 429, "throttled", "too many failed sign-ins; try again in 15 minutes", NULL);
        return;
    }
    if (res.outcome != LOGIN_OK) {
        http_error(w, 401, "invalid_credentials", "the login or the password is not right", NULL);
        return;
    }
    http_principal p;
    memset(&p, 0, sizeof p);
    snprintf(p.login, sizeof p.login, "%s", res.user.login);
    snprintf(p.name, sizeof p.name, "%s", res.user.name);
    snprintf(p.role, sizeof p.role, "%s", res.user.role);
    snprintf(p.scope_code, sizeof p.scope_code, "%s", res.user.scope_code);
    snprintf(p.lang, sizeof p.lang, "%s", res.user.lang);
    /* the request's log line names who signed in (r->who outlives this handler) */
    snprintf(r->who.login, sizeof r->who.login, "%s", res.user.login);
    r->user = r->who.login;
    http_session_cookie(r, res.token, (long)(res.expires_at - clock_now()), w);
    char exp[TIMESTAMP_FMT_MAX];
    http_json(w, 200, json_pack("{s:o, s:s, s:s}", "user", user_json(&p), "csrf_token", res.csrf, "expires_at",
                                instant_format(res.expires_at, exp)));
}

void h_logout(http_request *r, http_response *w)
{
    pc_err e = {0};
    if (r->who.session_token[0] && auth_logout(r->d, r->who.session_token, &e) != 0) {
        http_fail(w, &e);
        return;
    }
    http_session_cookie(r, NULL, 0, w);
    http_json(w, 200, json_pack("{s:s}", "status", "signed_out"));
}

void h_me(http_request *r, http_response *w)
{
    const http_principal *p = &r->who;
    if (strcmp(p->via, "signature") == 0) {
        http_json(w, 200, json_pack("{s:s, s:{s:s, s:s}}", "via", p->via, "partner", "code", p->partner_code, "key_id",
                                    p->key_id));
        return;
    }
    char csrf[AUTH_TOKEN_HEX];
    auth_csrf_of(p->session_token, csrf);
    http_json(w, 200, json_pack("{s:s, s:o, s:s}", "via", p->via, "user", user_json(p), "csrf_token", csrf));
}

void h_me_password(http_request *r, http_response *w)
{
    if (!r->who.user_id) {
        http_error(w, 403, "forbidden", "only a staff account has a password", NULL);
        return;
    }
    json_t *b = http_body_object(r, w);
    if (!b)
        return;
    const char *old_pw = string_field(b, "old"), *new_pw = string_field(b, "new");
    if (!old_pw || !new_pw) {
        http_error(w, 400, "invalid", "old and new: texts are required", !old_pw ? "old" : "new");
        json_decref(b);
        return;
    }
    pc_err e = {0};
    bool locked;
    int rc = auth_change_password(r->d, r->who.user_id, old_pw, new_pw,
                                  r->who.session_token[0] ? r->who.session_token : NULL, r->ip, &locked, &e);
    json_decref(b);
    if (rc != 0) {
        if (locked)
            http_error(w, 429, "throttled", "too many failed attempts; try again in 15 minutes", NULL);
        else if (e.code == PC_EINVAL)
            http_error(w, 400, "invalid", e.msg, strncmp(e.msg, "old:", 4) == 0 ? "old" : "new");
        else
            http_fail(w, &e);
        return;
    }
    http_json(w, 200, json_pack("{s:s}", "status", "changed"));
}
