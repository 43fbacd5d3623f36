/* The routes of the HTTP API: method, path pattern with {name} segments, handler. Each resource's
 * handlers live in their own file (h_*.c) and are listed in router.c. */
#ifndef PC_HTTP_ROUTER_H
#define PC_HTTP_ROUTER_H

#include "http/server.h"

typedef void (*http_handler)(http_request *r, http_response *w);

typedef struct {
    const char *method;
    const char *pattern;
    http_handler handler;
    const char *name; /* for metrics and logs: the pattern, so ids do not make new series */
} http_route;

extern const http_route http_routes[];

/* Finds the route of method and path, filling r->params; *path_known tells a wrong method (405)
 * from an unknown path (404). */
const http_route *router_match(const char *method, const char *path, http_request *r, char *scratch, size_t cap,
                               int *path_known);

/* handlers */
void h_healthz(http_request *r, http_response *w);
void h_metrics(http_request *r, http_response *w);
void h_jobs_list(http_request *r, http_response *w);
void h_self_get(http_request *r, http_response *w);
void h_self_qr(http_request *r, http_response *w);

#endif
