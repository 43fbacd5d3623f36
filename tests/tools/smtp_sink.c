/* smtp_sink: a minimal SMTP server on loopback for notification tests. Speaks EHLO/HELO, MAIL,
 * RCPT, DATA, RSET, NOOP and QUIT, one thread per connection; writes each accepted message as
 * DIR/NNNNNN.eml (the DATA as received, dot-unstuffed) and a JSON line in DIR/index.jsonl with
 * the envelope. --reject-first N answers 451 (try again) to the first N messages and
 * --reject-marker TEXT to every message containing TEXT, to exercise retries. Runs until SIGTERM
 * or SIGINT. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static struct {
    pthread_mutex_t lock;
    const char *dir;
    long reject_first;
    const char *reject_marker;
    long messages; /* DATA ends seen */
    long accepted;
} sink = {.lock = PTHREAD_MUTEX_INITIALIZER};

typedef struct {
    int fd;
    char in[8192];
    size_t have, at;
} conn;

static int say(conn *c, const char *text)
{
    size_t n = strlen(text);
    return send(c->fd, text, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* One line without its CRLF into line (grown as needed); -1 at the end of the connection. */
static int read_line(conn *c, char **line, size_t *cap)
{
    size_t n = 0;
    for (;;) {
        if (c->at == c->have) {
            ssize_t r = recv(c->fd, c->in, sizeof c->in, 0);
            if (r <= 0)
                return -1;
            c->have = (size_t)r;
            c->at = 0;
        }
        char ch = c->in[c->at++];
        if (n + 2 > *cap) {
            *cap = *cap ? *cap * 2 : 1024;
            *line = realloc(*line, *cap);
        }
        if (ch == '\n') {
            if (n && (*line)[n - 1] == '\r')
                n--;
            (*line)[n] = 0;
            return 0;
        }
        (*line)[n++] = ch;
    }
}

static void append(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        while (*len + n + 1 > *cap)
            *cap = *cap ? *cap * 2 : 65536;
        *b = realloc(*b, *cap);
    }
    memcpy(*b + *len, s, n);
    *len += n;
    (*b)[*len] = 0;
}

/* The value of a header in the message's header block (first occurrence), or "". */
static void header_value(const char *msg, const char *name, char *out, size_t cap)
{
    out[0] = 0;
    size_t nl = strlen(name);
    for (const char *p = msg; p && *p && !(p[0] == '\r' && p[1] == '\n');) {
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            size_t n = strcspn(v, "\r\n");
            snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), v);
            return;
        }
        p = strstr(p, "\r\n");
        if (p)
            p += 2;
    }
}

static int store(const char *from, json_t *rcpts, const char *msg, size_t len, long n)
{
    char path[4096], file[32], msgid[256];
    snprintf(file, sizeof file, "%06ld.eml", n);
    snprintf(path, sizeof path, "%s/%s", sink.dir, file);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(msg, 1, len, f) != len || fclose(f) != 0)
        return -1;
    header_value(msg, "X-Message-Id", msgid, sizeof msgid);
    snprintf(path, sizeof path, "%s/index.jsonl", sink.dir);
    f = fopen(path, "a");
    if (!f)
        return -1;
    json_t *line = json_pack("{s:s, s:s, s:O, s:s}", "file", file, "from", from, "to", rcpts, "message_id", msgid);
    json_dumpf(line, f, JSON_COMPACT);
    fputc('\n', f);
    json_decref(line);
    return fclose(f);
}

static void *session(void *arg)
{
    conn c = {.fd = (int)(intptr_t)arg};
    char *line = NULL, *msg = NULL;
    size_t cap = 0, mlen = 0, mcap = 0;
    char from[512] = "";
    json_t *rcpts = json_array();
    say(&c, "220 smtp_sink ESMTP ready\r\n");
    while (read_line(&c, &line, &cap) == 0) {
        if (strncasecmp(line, "EHLO", 4) == 0) {
            say(&c, "250-smtp_sink\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n");
        } else if (strncasecmp(line, "HELO", 4) == 0) {
            say(&c, "250 smtp_sink\r\n");
        } else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
            snprintf(from, sizeof from, "%s", line + 10);
            json_array_clear(rcpts);
            say(&c, "250 2.1.0 Ok\r\n");
        } else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
            if (!from[0]) {
                say(&c, "503 5.5.1 MAIL first\r\n");
                continue;
            }
            json_array_append_new(rcpts, json_string(line + 8));
            say(&c, "250 2.1.5 Ok\r\n");
        } else if (strcasecmp(line, "DATA") == 0) {
            if (json_array_size(rcpts) == 0) {
                say(&c, "503 5.5.1 RCPT first\r\n");
                continue;
            }
            say(&c, "354 End data with <CR><LF>.<CR><LF>\r\n");
            mlen = 0;
            int ended = 0;
            while (read_line(&c, &line, &cap) == 0) {
                if (strcmp(line, ".") == 0) {
                    ended = 1;
                    break;
                }
                const char *l = line[0] == '.' ? line + 1 : line; /* dot-unstuffing */
                append(&msg, &mlen, &mcap, l, strlen(l));
                append(&msg, &mlen, &mcap, "\r\n", 2);
            }
            if (!ended)
                break;
            pthread_mutex_lock(&sink.lock);
            long n = ++sink.messages;
            int reject = n <= sink.reject_first || (sink.reject_marker && msg && strstr(msg, sink.reject_marker));
            int ok = !reject && store(from, rcpts, msg ? msg : "", mlen, n) == 0;
            if (ok)
                sink.accepted++;
            pthread_mutex_unlock(&sink.lock);
            char reply[64];
            snprintf(reply, sizeof reply, ok ? "250 2.0.0 Ok: queued as %ld\r\n" : "451 4.3.0 try again later\r\n", n);
            say(&c, reply);
            from[0] = 0;
            json_array_clear(rcpts);
        } else if (strcasecmp(line, "RSET") == 0) {
            from[0] = 0;
            json_array_clear(rcpts);
            say(&c, "250 2.0.0 Ok\r\n");
        } else if (strncasecmp(line, "NOOP", 4) == 0) {
            say(&c, "250 2.0.0 Ok\r\n");
        } else if (strcasecmp(line, "QUIT") == 0) {
            say(&c, "221 2.0.0 Bye\r\n");
            break;
        } else {
            say(&c, "502 5.5.2 command not recognised\r\n");
        }
    }
    close(c.fd);
    free(line);
    free(msg);
    json_decref(rcpts);
    return NULL;
}

static void *acceptor(void *arg)
{
    int ls = (int)(intptr_t)arg;
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return NULL;
        }
        pthread_t t;
        if (pthread_create(&t, NULL, session, (void *)(intptr_t)fd) == 0)
            pthread_detach(t);
        else
            close(fd);
    }
}

int main(int argc, char **argv)
{
    int port = 0;
    const char *port_file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--port") == 0 && v)
            port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--port-file") == 0 && v)
            port_file = argv[++i];
        else if (strcmp(argv[i], "--dir") == 0 && v)
            sink.dir = argv[++i];
        else if (strcmp(argv[i], "--reject-first") == 0 && v)
            sink.reject_first = atol(argv[++i]);
        else if (strcmp(argv[i], "--reject-marker") == 0 && v)
            sink.reject_marker = argv[++i];
        else {
            fprintf(stderr, "usage: smtp_sink --dir DIR [--port N] [--port-file F] [--reject-first N] "
                            "[--reject-marker TEXT]\n");
            return 2;
        }
    }
    if (!sink.dir) {
        fprintf(stderr, "smtp_sink: --dir is required\n");
        return 2;
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof addr;
    if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(ls, 128) != 0 ||
        getsockname(ls, (struct sockaddr *)&addr, &alen) != 0) {
        fprintf(stderr, "smtp_sink: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
        return 1;
    }
    if (port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%d\n", ntohs(addr.sin_port)) < 0 || fclose(f) != 0 || rename(tmp, port_file) != 0) {
            fprintf(stderr, "smtp_sink: cannot write %s\n", port_file);
            return 1;
        }
    }
    pthread_t t;
    pthread_create(&t, NULL, acceptor, (void *)(intptr_t)ls);
    int sig;
    sigwait(&stop, &sig);
    pthread_mutex_lock(&sink.lock);
    fprintf(stderr, "smtp_sink: messages=%ld accepted=%ld\n", sink.messages, sink.accepted);
    pthread_mutex_unlock(&sink.lock);
    return 0;
}
