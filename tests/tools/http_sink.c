/* http_sink: a loopback HTTP receiver for notification tests and the outbox benchmark. Every
 * request (method, path, headers, body, the status answered) becomes one JSON line of --log;
 * answers can fail on purpose (--fail-first N, --fail-marker TEXT) to exercise retries. It counts
 * raw arrivals and distinct message ids (Idempotency-Key) of accepted requests; GET /_stats
 * answers those counts as JSON. Runs until SIGTERM or SIGINT. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    pthread_mutex_t lock;
    FILE *log;
    long fail_first;
    const char *fail_marker;
    long requests, accepted, failed, unique;
    char **ids; /* open addressing set of accepted message ids */
    size_t cap;
} sink = {.lock = PTHREAD_MUTEX_INITIALIZER};

static size_t hash_text(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* true when id was not in the set yet. */
static int id_add(const char *id)
{
    if ((sink.unique + 1) * 2 > (long)sink.cap) {
        size_t cap = sink.cap ? sink.cap * 2 : 1024;
        char **ids = calloc(cap, sizeof *ids);
        for (size_t i = 0; i < sink.cap; i++)
            if (sink.ids[i]) {
                size_t k = hash_text(sink.ids[i]) & (cap - 1);
                while (ids[k])
                    k = (k + 1) & (cap - 1);
                ids[k] = sink.ids[i];
            }
        free(sink.ids);
        sink.ids = ids;
        sink.cap = cap;
    }
    size_t k = hash_text(id) & (sink.cap - 1);
    while (sink.ids[k]) {
        if (strcmp(sink.ids[k], id) == 0)
            return 0;
        k = (k + 1) & (sink.cap - 1);
    }
    sink.ids[k] = strdup(id);
    sink.unique++;
    return 1;
}

typedef struct {
    char *body;
    size_t len;
} request;

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    json_object_set_new(cls, key, json_string(value ? value : ""));
    return MHD_YES;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned int status, const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **state)
{
    request *q = *state;
    if (!q) { /* the headers arrived; the body follows in later calls */
        *state = calloc(1, sizeof *q);
        return MHD_YES;
    }
    if (*upload_size) {
        q->body = realloc(q->body, q->len + *upload_size + 1);
        memcpy(q->body + q->len, upload, *upload_size);
        q->len += *upload_size;
        q->body[q->len] = 0;
        *upload_size = 0;
        return MHD_YES;
    }
    char text[256];
    if (strcmp(method, "GET") == 0 && strcmp(url, "/_stats") == 0) {
        pthread_mutex_lock(&sink.lock);
        snprintf(text, sizeof text, "{\"requests\": %ld, \"accepted\": %ld, \"failed\": %ld, \"unique\": %ld}",
                 sink.requests, sink.accepted, sink.failed, sink.unique);
        pthread_mutex_unlock(&sink.lock);
        return answer(c, MHD_HTTP_OK, text);
    }
    const char *id = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");
    json_t *headers = json_object();
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header, headers);
    const char *body = q->body ? q->body : "";
    pthread_mutex_lock(&sink.lock);
    long n = ++sink.requests;
    int fail = n <= sink.fail_first || (sink.fail_marker && strstr(body, sink.fail_marker));
    int repeat = 0;
    if (fail)
        sink.failed++;
    else {
        sink.accepted++;
        repeat = id ? !id_add(id) : 0;
    }
    unsigned int status = fail ? MHD_HTTP_INTERNAL_SERVER_ERROR : MHD_HTTP_OK;
    if (sink.log) {
        json_t *line = json_pack("{s:I, s:s, s:s, s:o, s:i, s:b}", "n", (json_int_t)n, "method", method, "path", url,
                                 "headers", headers, "status", (int)status, "repeat", repeat);
        json_t *b = json_stringn(body, q->len);
        json_object_set_new(line, "body", b ? b : json_string("(not UTF-8)"));
        json_dumpf(line, sink.log, JSON_COMPACT);
        fputc('\n', sink.log);
        fflush(sink.log);
        json_decref(line);
    } else {
        json_decref(headers);
    }
    pthread_mutex_unlock(&sink.lock);
    if (fail)
        return answer(c, status, "{\"error\": \"failing on purpose\"}");
    snprintf(text, sizeof text, "{\"id\": \"gw-%ld\"}", n);
    return answer(c, status, text);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode why)
{
    request *q = *state;
    if (q) {
        free(q->body);
        free(q);
    }
    *state = NULL;
}

int main(int argc, char **argv)
{
    int port = 0;
    const char *port_file = NULL, *log_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--port") == 0 && v)
            port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--port-file") == 0 && v)
            port_file = argv[++i];
        else if (strcmp(argv[i], "--log") == 0 && v)
            log_path = argv[++i];
        else if (strcmp(argv[i], "--fail-first") == 0 && v)
            sink.fail_first = atol(argv[++i]);
        else if (strcmp(argv[i], "--fail-marker") == 0 && v)
            sink.fail_marker = argv[++i];
        else {
            fprintf(stderr, "usage: http_sink [--port N] [--port-file F] [--log FILE.jsonl] [--fail-first N] "
                            "[--fail-marker TEXT]\n");
            return 2;
        }
    }
    if (log_path && !(sink.log = fopen(log_path, "a"))) {
        fprintf(stderr, "http_sink: %s: %s\n", log_path, strerror(errno));
        return 1;
    }
    /* The signals wait for sigwait in this thread, not in the server's. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, 4U,
        MHD_OPTION_CONNECTION_LIMIT, 1000U, MHD_OPTION_CONNECTION_TIMEOUT, 60U, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "http_sink: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int bound = info ? info->port : port;
    if (port_file) {
        /* written whole then renamed: a reader never sees half a number */
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%d\n", bound) < 0 || fclose(f) != 0 || rename(tmp, port_file) != 0) {
            fprintf(stderr, "http_sink: cannot write %s\n", port_file);
            MHD_stop_daemon(d);
            return 1;
        }
    }
    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    fprintf(stderr, "http_sink: requests=%ld accepted=%ld failed=%ld unique=%ld\n", sink.requests, sink.accepted,
            sink.failed, sink.unique);
    if (sink.log)
        fclose(sink.log);
    for (size_t i = 0; i < sink.cap; i++)
        free(sink.ids[i]);
    free(sink.ids);
    return 0;
}
