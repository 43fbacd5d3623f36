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
/* Whether an org unit (by code) lies in the principal's scope; an unknown unit does not. */
int http_unit_in_scope(http_request *r, const char *unit_code, bool *in, pc_err *e);
/* The org scope a request names (arg; the principal's own node when arg is NULL or empty) when
 * it lies inside the principal's scope: 0 with *code set, or -1 after answering 403 naming field
 * (an unknown code is refused like an outside one, so the answer does not tell which codes exist
 * elsewhere; a principal with no scope node, a partner, is refused too). */
int http_scope_arg(http_request *r, http_response *w, const char *arg, const char *field, const char **code);
/* Whether the customer of code is within the principal's scope: decided from the code's unit
 * (its first six characters, DOMAIN 2) before the customer is looked up, so a refusal (403) says
 * nothing about what exists there; then 404 when there is no such customer, and 403 when it has
 * moved to a unit outside the scope. 0, or -1 answered (field names the argument, may be NULL). */
int http_customer_scope(http_request *r, http_response *w, const char *code, const char *field);
/* A customer code of the right shape (DOMAIN 2: unit code + 7 digits), or 400 naming field (may be
 * NULL) and -1: a malformed code is the request's fault, not a question of scope. */
int http_customer_code_shape(http_response *w, const char *code, const char *field);
/* The Set-Cookie value of a new session (max_age seconds), or of its removal (token NULL). */
void http_session_cookie(const http_request *r, const char *token, long max_age, http_response *w);

#endif
