/* The HTTP server (`powercis serve`): libmicrohttpd with a thread pool, one database connection
 * per worker thread, a router of handlers (one file per resource under src/http/), JSON errors,
 * one log line per request, Prometheus metrics, the scheduler on a thread of its own, and a
 * graceful stop on SIGTERM (no new connections; requests in flight finish). */
#ifndef PC_HTTP_SERVER_H
#define PC_HTTP_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/config.h"
#include "base/buf.h"
#include "store/db.h"

typedef struct {
    char listen[64];         /* "127.0.0.1:8080" */
    int threads;             /* worker threads */
    size_t max_body_bytes;   /* larger bodies get 413 */
    bool scheduler;          /* tick the scheduler inside the server */
    double tick_seconds;
    double shutdown_grace_seconds; /* how long requests in flight may take to finish on SIGTERM */
} server_options;

/* Who is acting (http/auth.c fills it before the handler runs). A staff account signs in with a
 * session cookie; a partner signs each request with its API key. */
typedef struct {
    bool authenticated;
    const char *via;         /* "session", "signature", or "-" */
    int64_t user_id;         /* 0 for a partner's key */
    char login[64];          /* the account, or "partner:CODE" */
    char name[256];
    char role[16];
    char lang[4];
    char scope_code[16];     /* "" for a partner */
    char scope_path[160];    /* "/PA/PA01/" : the subtree the principal sees */
    int64_t partner_id;      /* a partner's key: its partner */
    char partner_code[24];
    char key_id[40];
    char session_token[65];  /* the cookie's value (logout, CSRF); never logged */
} http_principal;

/* One request as a handler sees it. */
typedef struct http_request http_request;
struct http_request {
    const char *method;
    const char *path;          /* without the query */
    const char *params[4];     /* the {name} segments of the route, in order */
    int nparams;
    const char *body;
    size_t body_len;
    db *d;                     /* this worker thread's connection */
    const pc_config *cfg;
    const char *db_target;     /* what the server opened: the document store and the jobs find their folders by it */
    const char *user;          /* who is acting: who.login, or "-" */
    http_principal who;
    char ip[48];               /* the client's address (throttling, audit) */
    void *conn;                /* the MHD connection (query arguments, headers) */
};

/* The handler's answer: status, content type and body; API answers are never cached
 * (cache_control NULL: "no-store"). */
typedef struct {
    int status;
    const char *content_type;
    buf body;
    const char *cache_control;
    char etag[24];        /* "" or a quoted validator */
    char retry_after[16]; /* "" or seconds (429) */
    char set_cookie[256];      /* a Set-Cookie header when not empty */
    char content_disposition[640]; /* "" or "attachment; filename=…" for downloads */
} http_response;

/* A query argument or header of the request, NULL when absent. */
const char *http_query(const http_request *r, const char *name);
const char *http_header(const http_request *r, const char *name);

/* The client's IP address as text into out ("-" when unknown); no proxy header is trusted. */
const char *http_client_ip(const http_request *r, char *out, size_t cap);

/* A whole-number query argument within [min, max], or def when absent; -1 after answering 400
 * naming the argument (paging's limit and offset). */
long http_query_long(const http_request *r, http_response *w, const char *name, long def, long min, long max);

/* limit (default 20, 1 to 100) and offset (default 0, up to max_offset) of a list; -1 after
 * answering 400 naming the argument. */
int http_paging(const http_request *r, http_response *w, long max_offset, long *limit, long *offset);
/* {"items","limit","offset","next_offset"} of a list read with one row more than the page (limit
 * + 1): that row, when there, only tells that a next page exists and is dropped. Takes items. */
json_t *http_page(json_t *items, long limit, long offset);

/* Sets a JSON body (takes ownership of j). */
/* Reals in answers carry 15 significant digits: enough for every figure we send (percentages,
 * indices in thousandths) and short of the 17 that turn 66.7 into 66.700000000000003. */
#define HTTP_JSON_REAL_DIGITS 15
void http_json(http_response *w, int status, json_t *j);
/* {"error":{"code","message","field"}} with the status that goes with code. */
void http_error(http_response *w, int status, const char *code, const char *message, const char *field);
/* The error of a use case (pc_err) as a response: 400 invalid, 404 not found, 409 conflict, 500 otherwise. */
void http_fail(http_response *w, const pc_err *e);

/* The body as a JSON object (the caller decrefs), or NULL after answering 400. */
json_t *http_body_object(const http_request *r, http_response *w);
/* An optional string field of a body object: *out NULL when absent or null; -1 after answering
 * 400 naming it when it is there and not a string. */
int http_body_string(http_response *w, json_t *body, const char *name, const char **out);

/* Runs until SIGTERM or SIGINT. db_target is opened once per worker thread. */
int server_run(const server_options *o, const pc_config *cfg, const char *db_target, pc_err *e);

#endif
