/* The HTTP server (http/server.h). */
#include "http/server.h"

#include <errno.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/scheduler.h"
#include "base/date.h"
#include "base/log.h"
#include "http/auth.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static.h"

typedef struct {
    const server_options *o;
    const pc_config *cfg;
    const char *db_target;
    pthread_key_t db_key;
    atomic_int in_flight;
    /* the scheduler thread */
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
    bool stopping;
} server;

/* One request from its first callback to its completion. */
typedef struct {
    double t0;
    buf body;
    bool too_large;
    int status;
    const char *route;
    char method[12];
    char path[256];
    char user[64]; /* the principal's login, for the log line */
} req_ctx;

/* ---- helpers for handlers ---- */

const char *http_query(const http_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(const http_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_client_ip(const http_request *r, char *out, size_t cap)
{
    snprintf(out, cap, "-");
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return out;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
    return out;
}

/* ---- the worker threads' database connections ---- */

static void close_db(void *p)
{
    db_close(p);
}

static db *thread_db(server *s, pc_err *e)
{
    db *d = pthread_getspecific(s->db_key);
    if (d)
        return d;
    if (db_open(s->db_target, &d, e) != 0)
        return NULL;
    /* SQLite: the checkpointer thread copies the WAL into the database, not the request that
     * happens to cross the WAL's threshold (a checkpoint writes and syncs megabytes) */
    if (db_engine_of(d) == DB_SQLITE) {
        db_exec(d, "PRAGMA wal_autocheckpoint=0", e);
        /* a page cache of [server] db_cache_mb per worker, not the command line's 256 MB: the
         * operating system's file cache is shared by all of them, the connections' are not */
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA cache_size=-%d", s->cfg->server.db_cache_mb * 1024);
        db_exec(d, pragma, e);
    }
    pthread_setspecific(s->db_key, d);
    return d;
}

/* ---- requests ---- */

static enum MHD_Result answer(struct MHD_Connection *c, req_ctx *x, http_response *w)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(w->body.len, w->body.data ? w->body.data : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", w->content_type ? w->content_type : "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", w->cache_control ? w->cache_control : "no-store");
    /* the web app is same-origin modules and styles only: no inline script, no framing */
    MHD_add_response_header(resp, "Content-Security-Policy", HTTP_CSP);
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (w->etag[0])
        MHD_add_response_header(resp, "ETag", w->etag);
    if (w->retry_after[0])
        MHD_add_response_header(resp, "Retry-After", w->retry_after);
    if (w->content_disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", w->content_disposition);
    if (w->set_cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", w->set_cookie);
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)w->status, resp);
    MHD_destroy_response(resp);
    x->status = w->status;
    buf_free(&w->body);
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)version;
    server *s = cls;
    req_ctx *x = *req_cls;
    if (!x) {
        x = calloc(1, sizeof *x);
        if (!x)
            return MHD_NO;
        x->t0 = monotonic_seconds();
        x->route = "unmatched";
        snprintf(x->method, sizeof x->method, "%s", method);
        /* the path only: a query may carry a search text */
        snprintf(x->path, sizeof x->path, "%s", url);
        atomic_fetch_add(&s->in_flight, 1);
        *req_cls = x;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (x->body.len + *upload_data_size > s->o->max_body_bytes)
            x->too_large = true; /* keep reading, answer 413 at the end */
        else
            buf_append(&x->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    http_response w = {0};
    if (x->too_large) {
        char msg[96];
        snprintf(msg, sizeof msg, "the body is larger than %zu bytes", s->o->max_body_bytes);
        http_error(&w, 413, "too_large", msg, NULL);
        return answer(c, x, &w);
    }
    http_request r;
    memset(&r, 0, sizeof r);
    r.method = method;
    r.path = url;
    r.body = x->body.data ? x->body.data : "";
    r.body_len = x->body.len;
    r.cfg = s->cfg;
    r.db_target = s->db_target;
    r.user = "-";
    r.conn = c;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, r.ip, sizeof r.ip);
    else
        snprintf(r.ip, sizeof r.ip, "-");
    char scratch[1024];
    int path_known = 0;
    const http_route *route = router_match(method, url, &r, scratch, sizeof scratch, &path_known);
    /* what no route takes and is not under /api/ may be the web app's (http/static.c) */
    if (!route && !path_known && strncmp(url, "/api/", 5) != 0 && static_serve(&r, &w)) {
        x->route = "static";
        return answer(c, x, &w);
    }
    if (!route) {
        if (path_known)
            http_error(&w, 405, "method_not_allowed", "this path does not take that method", NULL);
        else
            http_error(&w, 404, "not_found", "no such path", NULL);
        return answer(c, x, &w);
    }
    x->route = route->name;
    pc_err e = {0};
    r.d = thread_db(s, &e);
    if (!r.d) {
        log_event(LOG_ERROR, "http_db", "message=\"%s\"", e.msg);
        http_error(&w, 503, "unavailable", "the database cannot be reached", NULL);
        return answer(c, x, &w);
    }
    bool allowed = http_authorize(route, &r, &w);
    snprintf(x->user, sizeof x->user, "%s", r.user);
    if (!allowed)
        return answer(c, x, &w);
    route->handler(&r, &w);
    snprintf(x->user, sizeof x->user, "%s", r.user); /* a login names its user only now */
    if (!w.status)
        http_error(&w, 500, "internal", "the handler gave no answer", NULL);
    return answer(c, x, &w);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)c;
    server *s = cls;
    req_ctx *x = *req_cls;
    if (!x)
        return;
    double secs = monotonic_seconds() - x->t0;
    metrics_request(x->route, x->status ? x->status : 0, secs);
    log_event(toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? LOG_INFO : LOG_WARN, "http",
              "method=%s path=\"%s\" status=%d duration_ms=%.3f user=%s%s", x->method, x->path, x->status, secs * 1000,
              x->user[0] ? x->user : "-",
              toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    buf_free(&x->body);
    free(x);
    *req_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* ---- the scheduler thread ---- */

static bool wait_running(server *s, double seconds);

static void *scheduler_main(void *arg)
{
    server *s = arg;
    db *d = NULL;
    char runner[96], host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(runner, sizeof runner, "%s:%ld:serve", host, (long)getpid());
    do {
        pc_err e = {0};
        if (!d && db_open(s->db_target, &d, &e) != 0) {
            log_event(LOG_ERROR, "scheduler", "message=\"%s\"", e.msg);
            d = NULL;
        }
        tick_result t;
        if (d && scheduler_tick(d, s->cfg, s->db_target, runner, NULL, false, &t, &e) != 0) {
            log_event(LOG_ERROR, "scheduler", "message=\"%s\"", e.msg);
            db_close(d); /* a fresh connection at the next tick */
            d = NULL;
        } else if (d)
            metrics_scheduler_tick(t.ran, t.failed);
    } while (wait_running(s, s->o->tick_seconds));
    if (d)
        db_close(d);
    return NULL;
}

/* ---- the WAL checkpointer (SQLite) ---- */

/* Waits on the stop condition for seconds; false once the server is stopping. */
static bool wait_running(server *s, double seconds)
{
    pthread_mutex_lock(&s->stop_lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    double at = (double)until.tv_sec + (double)until.tv_nsec / 1e9 + seconds;
    until.tv_sec = (time_t)at;
    until.tv_nsec = (long)((at - (double)until.tv_sec) * 1e9);
    while (!s->stopping && pthread_cond_timedwait(&s->stop_cond, &s->stop_lock, &until) != ETIMEDOUT)
        ;
    bool running = !s->stopping;
    pthread_mutex_unlock(&s->stop_lock);
    return running;
}

/* A checkpoint (PASSIVE or RESTART): the frames in the WAL, or -1. */
static int64_t checkpoint(db *d, const char *sql, pc_err *e)
{
    db_stmt *st = db_prepare(d, sql, e);
    if (!st)
        return -1;
    int rc = db_step(st, e);
    int64_t frames = rc == 1 ? db_col_int(st, 1) : 0; /* busy, frames in the WAL, frames copied */
    db_reset(st);
    return rc < 0 ? -1 : frames;
}

/* The worker threads' connections do not checkpoint (thread_db): this thread moves the WAL into
 * the database every 100 ms with a passive checkpoint, which waits for no reader or writer, so no
 * request pays for the copy and its sync. The WAL file starts over only when a writer finds it
 * all copied and no reader in it, which a steady stream of postings never leaves; so once it is
 * past 8,000 frames (32 MB) and nothing was written since the last pass, a TRUNCATE checkpoint
 * (nothing left to copy or sync: it only waits for the readers of the moment) empties it. Past
 * 262,144 frames (1 GB) a RESTART checkpoint starts it over even under writes, holding the
 * writers back for the copy and sync of the last moments. */
static void *checkpointer_main(void *arg)
{
    server *s = arg;
    db *d = NULL;
    int64_t last = -1;
    while (wait_running(s, 0.1)) {
        pc_err e = {0};
        if (!d && db_open(s->db_target, &d, &e) != 0) {
            log_event(LOG_ERROR, "checkpoint", "message=\"%s\"", e.msg);
            d = NULL;
            continue;
        }
        if (last < 0)
            db_exec(d, "PRAGMA cache_size=-2048", &e); /* it copies pages, it does not read them twice */
        int64_t frames = checkpoint(d, "PRAGMA wal_checkpoint(PASSIVE)", &e);
        if (frames > 8000 && frames == last)
            frames = checkpoint(d, "PRAGMA wal_checkpoint(TRUNCATE)", &e);
        else if (frames > 262144)
            frames = checkpoint(d, "PRAGMA wal_checkpoint(RESTART)", &e);
        if (frames < 0) {
            log_event(LOG_ERROR, "checkpoint", "message=\"%s\"", e.msg);
            db_close(d);
            d = NULL;
        }
        last = frames;
    }
    if (d) {
        pc_err e = {0};
        checkpoint(d, "PRAGMA wal_checkpoint(PASSIVE)", &e);
        db_close(d);
    }
    return NULL;
}

/* ---- running ---- */

static int parse_listen(const char *text, struct sockaddr_in *sa, pc_err *e)
{
    char host[64];
    const char *colon = strrchr(text, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || (size_t)(colon - text) >= sizeof host || !colon[1] || *end || port < 1 || port > 65535)
        return pc_errf(e, PC_EINVAL, "listen '%s': HOST:PORT is expected (127.0.0.1:8080)", text);
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = 0;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return pc_errf(e, PC_EINVAL, "listen '%s': '%s' is not an IPv4 address", text, host);
    return 0;
}

int server_run(const server_options *o, const pc_config *cfg, const char *db_target, pc_err *e)
{
    struct sockaddr_in sa;
    if (parse_listen(o->listen, &sa, e) != 0)
        return -1;
    /* migrations once, before any worker opens its own connection */
    db *first;
    if (db_open(db_target, &first, e) != 0)
        return -1;
    bool wal = db_engine_of(first) == DB_SQLITE;
    db_close(first);

    server s;
    memset(&s, 0, sizeof s);
    s.o = o;
    s.cfg = cfg;
    s.db_target = db_target;
    atomic_init(&s.in_flight, 0);
    pthread_mutex_init(&s.stop_lock, NULL);
    pthread_cond_init(&s.stop_cond, NULL);
    pthread_key_create(&s.db_key, close_db);

    /* SIGTERM and SIGINT go to sigwait below, not to a worker */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_AUTO, ntohs(sa.sin_port), NULL, NULL, on_request, &s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
    if (!daemon) {
        pthread_key_delete(s.db_key);
        return pc_errf(e, PC_EIO, "cannot listen on %s (in use, or not an address of this machine)", o->listen);
    }
    pthread_t sched, ckpt;
    bool sched_on = o->scheduler && pthread_create(&sched, NULL, scheduler_main, &s) == 0;
    bool ckpt_on = wal && pthread_create(&ckpt, NULL, checkpointer_main, &s) == 0;
    log_event(LOG_INFO, "serve", "listen=%s threads=%d scheduler=%s", o->listen, o->threads, sched_on ? "on" : "off");
    printf("powercis: serving on http://%s (%d threads, scheduler %s)\n", o->listen, o->threads,
           sched_on ? "on" : "off");
    fflush(stdout);

    int sig = 0;
    sigwait(&stop, &sig);
    log_event(LOG_INFO, "serve", "stopping=1 signal=%d in_flight=%d", sig, atomic_load(&s.in_flight));
    /* no new connections; what is being answered finishes within the grace period */
    MHD_socket lsock = MHD_quiesce_daemon(daemon);
    if (lsock != MHD_INVALID_SOCKET)
        close(lsock);
    double deadline = monotonic_seconds() + o->shutdown_grace_seconds;
    while (atomic_load(&s.in_flight) > 0 && monotonic_seconds() < deadline) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&s.stop_lock);
    s.stopping = true;
    pthread_cond_broadcast(&s.stop_cond);
    pthread_mutex_unlock(&s.stop_lock);
    if (sched_on)
        pthread_join(sched, NULL);
    if (ckpt_on)
        pthread_join(ckpt, NULL);
    MHD_stop_daemon(daemon);
    pthread_key_delete(s.db_key);
    log_event(LOG_INFO, "serve", "stopped=1");
    return 0;
}
