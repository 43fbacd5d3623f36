/* Authentication and authorisation of a request before its handler (docs/api.md): the session
 * cookie or a partner's signature gives the principal; the route's access decides; requests that
 * change something with a cookie must carry the session's CSRF token. */
#ifndef PC_HTTP_AUTH_H
#define PC_HTTP_AUTH_H

#include <stdbool.h>

#include "http/router.h"

#define HTTP_SESSION_COOKIE "pc_session"

/* Fills r->who. Returns true when the handler may run; otherwise w holds the refusal (401
 * unauthenticated, 403 forbidden or csrf_failed). */
bool http_authorize(const http_route *route, http_request *r, http_response *w);
/* The role's bit (ROLE_*), 0 for an unknown role. */
unsigned http_role_bit(const char *role);
/* A principal's scope covers an org path (always false for a partner). */
bool http_in_scope(const http_request *r, const char *org_path);
/* The Set-Cookie value of a new session (max_age seconds), or of its removal (token NULL). */
void http_session_cookie(const http_request *r, const char *token, long max_age, http_response *w);

#endif
