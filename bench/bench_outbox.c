/* Benchmark of the notification outbox (issue 7): N SMS enqueued on SQLite and delivered to a
 * local HTTP gateway (tests/tools/http_sink) through notify_deliver; then the kill test: a
 * sender process delivering another N is SIGKILLed mid-run and a new one started after the
 * claims' lease; the receiver counts distinct message ids against raw arrivals, so the report
 * says how many were lost (must be none) and how many arrived twice (those in flight at the kill,
 * which a receiver drops by message id). Prints `metric | value | target`; timing never fails.
 * Usage: bench_outbox [N]   ($HTTP_SINK: the receiver; default: beside this build's tests) */
#include <curl/curl.h>
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/notify.h"
#include "base/buf.h"
#include "base/date.h"

static void die(const char *what, const pc_err *e)
{
    fprintf(stderr, "bench_outbox: %s: %s\n", what, e ? e->msg : "failed");
    exit(1);
}

static size_t collect(char *data, size_t size, size_t n, void *user)
{
    buf_append(user, data, size * n);
    return size * n;
}

typedef struct {
    long requests, accepted, unique;
} sink_stats;

static sink_stats stats_of(int port)
{
    sink_stats s = {0};
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/_stats", port);
    CURL *h = curl_easy_init();
    buf b = {0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    if (curl_easy_perform(h) == CURLE_OK && b.data) {
        json_t *j = json_loads(b.data, 0, NULL);
        s.requests = (long)json_integer_value(json_object_get(j, "requests"));
        s.accepted = (long)json_integer_value(json_object_get(j, "accepted"));
        s.unique = (long)json_integer_value(json_object_get(j, "unique"));
        json_decref(j);
    }
    curl_easy_cleanup(h);
    buf_free(&b);
    return s;
}

static pid_t start_sink(const char *dir, int *port)
{
    char self[1024], sink[1200], port_file[600];
    const char *env = getenv("HTTP_SINK");
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        die("cannot find this program's folder", NULL);
    self[n] = 0;
    snprintf(sink, sizeof sink, "%s/../tests/tools/http_sink", dirname(self));
    if (env && *env)
        snprintf(sink, sizeof sink, "%s", env);
    snprintf(port_file, sizeof port_file, "%s/sink.port", dir);
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);
        execl(sink, sink, "--port-file", port_file, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) { /* waiting for the port is the only wait */
        FILE *f = fopen(port_file, "r");
        if (f && fscanf(f, "%d", port) == 1) {
            fclose(f);
            return pid;
        }
        if (f)
            fclose(f);
        usleep(25000);
    }
    die("http_sink did not start (build tests/tools or set $HTTP_SINK)", NULL);
    return -1;
}

static double enqueue(db *d, const pc_config *cfg, const char *batch, long n)
{
    pc_err e = {0};
    double t0 = monotonic_seconds();
    if (db_begin(d, &e) != 0)
        die("begin", &e);
    for (long i = 0; i < n; i++) {
        char phone[16], key[48], code[16];
        snprintf(phone, sizeof phone, "09%08d", (int)(i % 100000000));
        snprintf(key, sizeof key, "%s:%ld", batch, i);
        snprintf(code, sizeof code, "PA0101%07d", (int)(i % 10000000));
        notify_field f[] = {{"customer_name", "Nguyễn Văn Đức"}, {"customer_code", code},
                            {"period", "10/2026"},               {"amount", "1234567"},
                            {"due_date", "05/11/2026"},          {"invoice_no", "1K26TAA/12"}};
        notify_request r = {.event = "invoice_issued", .event_key = key, .channel = "sms", .recipient = phone,
                            .fields = f, .nfields = 6};
        notify_enqueued q;
        if (notify_enqueue(d, cfg, &r, &q, &e) != 0)
            die("enqueue", &e);
    }
    if (db_commit(d, &e) != 0)
        die("commit", &e);
    return monotonic_seconds() - t0;
}

static long count_status(db *d, const char *status)
{
    long n;
    pc_err e = {0};
    if (outbox_count_status(d, status, &n, &e) != 0)
        die("count", &e);
    return n;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 30000;
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/outbox.db", dir);
    unsetenv("POWERCIS_CLOCK");
    unsetenv("POWERCIS_CLOCK_FILE");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int port;
    pid_t sink = start_sink(dir, &port);

    pc_config cfg;
    config_defaults(&cfg);
    snprintf(cfg.sms.url, sizeof cfg.sms.url, "http://127.0.0.1:%d/sms", port);
    db *d;
    pc_err e = {0};
    if (db_open(path, &d, &e) != 0)
        die("open", &e);

    /* ---- throughput ---- */
    double te = enqueue(d, &cfg, "bench", n);
    printf("outbox enqueue, SQLite (%ld SMS rendered from the template, one transaction) | %.0f msg/s | -\n", n, n / te);
    notify_delivery s;
    if (notify_deliver(d, &cfg, 0, &s, &e) != 0)
        die("deliver", &e);
    sink_stats st = stats_of(port);
    printf("outbox delivery to a local HTTP receiver, SQLite (%ld SMS, %d in flight, batches of %d; %.2f s) | %.0f msg/s "
           "| >= 2,000 msg/s\n",
           s.sent, cfg.notify.concurrency, cfg.notify.batch_size, s.seconds, s.sent / s.seconds);
    printf("outbox delivery: received unique / sent / failed | %ld / %ld / %ld | %ld / %ld / 0\n", st.unique, s.sent,
           s.failed, n, n);

    /* ---- kill test: a sender killed mid-run, then restarted ---- */
    enqueue(d, &cfg, "kill", n);
    db_close(d);
    long before = st.accepted;
    pid_t child = fork();
    if (child == 0) {
        db *cd;
        pc_err ce = {0};
        if (db_open(path, &cd, &ce) != 0)
            _exit(1);
        notify_delivery cs;
        notify_deliver(cd, &cfg, 0, &cs, &ce);
        _exit(0);
    }
    /* Kill it once about a third of the batch has arrived, in the middle of a claimed batch (a
     * kill right after a whole batch was sent, before it was recorded, is the worst case: the
     * whole batch arrives twice). */
    long target = before + n / 3 + cfg.notify.batch_size / 3;
    for (int i = 0; i < 20000 && stats_of(port).accepted < target; i++)
        usleep(2000);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    long at_kill = stats_of(port).accepted - before;
    if (db_open(path, &d, &e) != 0)
        die("reopen", &e);
    long sending = count_status(d, "sending"), sent_before = count_status(d, "sent") - n;
    /* The restarted sender runs after the claims' lease has run out (the injected clock). */
    char later[TIMESTAMP_FMT_MAX];
    setenv("POWERCIS_CLOCK", instant_format(clock_now() + cfg.notify.lease_seconds + 1, later), 1);
    if (notify_deliver(d, &cfg, 0, &s, &e) != 0)
        die("deliver after the kill", &e);
    sink_stats end = stats_of(port);
    long unique_kill = end.unique - st.unique, raw_kill = end.accepted - before;
    long sent_total = count_status(d, "sent");
    printf("outbox kill test: arrivals when the sender was SIGKILLed / recorded sent / claimed in flight | %ld / %ld / %ld | -\n",
           at_kill, sent_before, sending);
    printf("outbox kill test: received unique / enqueued after the restart (lost) | %ld / %ld (%ld lost) | none lost\n",
           unique_kill, n, n - unique_kill);
    printf("outbox kill test: raw repeats at the receiver (sent, not recorded at the kill; same message id) | %ld | "
           "dropped by the receiver's id check\n",
           raw_kill - unique_kill);
    printf("outbox kill test: outbox rows sent / enqueued in all | %ld / %ld | all sent\n", sent_total, 2 * n);

    db_close(d);
    kill(sink, SIGTERM);
    waitpid(sink, NULL, 0);
    char side[700];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof side, "%s/sink.port", dir);
    unlink(side);
    rmdir(dir);
    curl_global_cleanup();
    return 0;
}
