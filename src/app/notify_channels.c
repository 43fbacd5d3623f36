/* SMS gateway, SMTP and chat webhook requests over libcurl's multi interface (see
 * notify_channels.h). */
#include "app/notify_channels.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "formats/notify_template.h"

typedef struct {
    CURL *h;
    int row; /* the message it carries, -1 when idle */
    buf url, body, resp;
    struct curl_slist *headers, *rcpt;
    curl_mime *mime;
    unsigned char *attachment;
    char errbuf[CURL_ERROR_SIZE];
} transfer;

struct notify_sender {
    const pc_config *cfg;
    CURLM *multi;
    int ntransfers;
    transfer *transfers;
    fill_escape sms_escape; /* how {text} is written into [sms] body */
};

void notify_message_id(int64_t id, char out[40])
{
    snprintf(out, 40, "powercis-%lld", (long long)id);
}

static size_t on_response(char *data, size_t size, size_t nmemb, void *user)
{
    buf *b = user;
    size_t n = size * nmemb;
    if (b->len < 4096) /* the start of an answer is all we keep */
        buf_append(b, data, n < 4096 - b->len ? n : 4096 - b->len);
    return n;
}

static fill_escape body_escape(const sms_config *c)
{
    for (int i = 0; i < c->nheaders; i++) {
        if (strncasecmp(c->headers[i], "content-type:", 13) != 0)
            continue;
        if (strstr(c->headers[i], "json"))
            return FILL_JSON;
        if (strstr(c->headers[i], "x-www-form-urlencoded"))
            return FILL_FORM;
    }
    return FILL_RAW;
}

static CURLcode curl_ready = CURLE_FAILED_INIT;

static void curl_start(void)
{
    curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
}

notify_sender *notify_sender_new(const pc_config *cfg, pc_err *e)
{
    /* curl_global_init is not thread-safe: once per process, whichever thread comes first */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, curl_start);
    if (curl_ready != CURLE_OK)
        return pc_errf(e, PC_EINTERNAL, "libcurl could not be initialised"), NULL;
    notify_sender *s = calloc(1, sizeof *s);
    s->cfg = cfg;
    s->multi = curl_multi_init();
    s->ntransfers = cfg->notify.concurrency > 0 ? cfg->notify.concurrency : 1;
    s->transfers = calloc((size_t)s->ntransfers, sizeof *s->transfers);
    s->sms_escape = body_escape(&cfg->sms);
    /* Connections stay open between batches; no more than the transfers in flight. */
    curl_multi_setopt(s->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)s->ntransfers);
    curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS, (long)s->ntransfers);
    for (int i = 0; i < s->ntransfers; i++) {
        s->transfers[i].h = curl_easy_init();
        s->transfers[i].row = -1;
        if (!s->transfers[i].h) {
            notify_sender_free(s);
            return pc_errf(e, PC_EINTERNAL, "libcurl: no memory for a transfer"), NULL;
        }
    }
    return s;
}

static void transfer_clear(transfer *t)
{
    buf_reset(&t->url);
    buf_reset(&t->body);
    buf_reset(&t->resp);
    curl_slist_free_all(t->headers);
    curl_slist_free_all(t->rcpt);
    t->headers = t->rcpt = NULL;
    curl_mime_free(t->mime);
    t->mime = NULL;
    free(t->attachment);
    t->attachment = NULL;
    t->row = -1;
}

void notify_sender_free(notify_sender *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ntransfers; i++) {
        transfer *t = &s->transfers[i];
        transfer_clear(t);
        buf_free(&t->url);
        buf_free(&t->body);
        buf_free(&t->resp);
        if (t->h)
            curl_easy_cleanup(t->h);
    }
    curl_multi_cleanup(s->multi);
    free(s->transfers);
    free(s);
}

void rfc2047_encode(buf *out, const char *text)
{
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            plain = false;
    if (plain) {
        buf_puts(out, text);
        return;
    }
    /* Encoded words of at most 75 characters: 45 bytes of text become 60 of base64. */
    const unsigned char *p = (const unsigned char *)text;
    size_t left = strlen(text);
    bool first = true;
    while (left > 0) {
        size_t n = left < 45 ? left : 45;
        while (n < left && n > 0 && (p[n] & 0xC0) == 0x80) /* not inside a character */
            n--;
        char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(b64, sizeof b64, p, n, sodium_base64_VARIANT_ORIGINAL);
        buf_printf(out, "%s=?UTF-8?B?%s?=", first ? "" : " ", b64);
        first = false;
        p += n;
        left -= n;
    }
}

/* RFC 5322 date of now (the injectable clock) in UTC. */
static void mail_date(char out[64])
{
    time_t t = (time_t)clock_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int setup_http(notify_sender *s, transfer *t, const outbox_row *r, const char *msgid, char *err, size_t cap)
{
    const pc_config *c = s->cfg;
    CURL *h = t->h;
    long timeout;
    pc_err fe = {0};
    char hdr[96];
    if (strcmp(r->channel, "sms") == 0) {
        if (!c->sms.url[0])
            return snprintf(err, cap, "[sms] url is not set in the configuration"), -1;
        notify_field f[] = {{"to", r->recipient}, {"text", r->body}, {"id", msgid}};
        if (notify_fill(&t->url, c->sms.url, f, 3, FILL_FORM, &fe) != 0 ||
            notify_fill(&t->body, c->sms.body, f, 3, s->sms_escape, &fe) != 0)
            return snprintf(err, cap, "[sms] %s", fe.msg), -1;
        for (int i = 0; i < c->sms.nheaders; i++)
            t->headers = curl_slist_append(t->headers, c->sms.headers[i]);
        if (strcmp(c->sms.method, "GET") == 0) {
            curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        } else {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, t->body.data);
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)t->body.len);
            if (strcmp(c->sms.method, "PUT") == 0)
                curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
        }
        timeout = c->sms.timeout_seconds;
    } else {
        const char *url = r->recipient[0] ? r->recipient : c->chat.url;
        if (!url[0])
            return snprintf(err, cap, "[chat] url is not set and the message names no webhook"), -1;
        buf_puts(&t->url, url);
        buf_puts(&t->body, "{\"text\": \"");
        json_escape_into(&t->body, r->body);
        buf_puts(&t->body, "\"}");
        t->headers = curl_slist_append(t->headers, "Content-Type: application/json; charset=utf-8");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, t->body.data);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)t->body.len);
        timeout = c->chat.timeout_seconds;
    }
    snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", msgid);
    t->headers = curl_slist_append(t->headers, hdr);
    snprintf(hdr, sizeof hdr, "X-Message-Id: %s", msgid);
    t->headers = curl_slist_append(t->headers, hdr);
    t->headers = curl_slist_append(t->headers, "Expect:"); /* no 100-continue round trip */
    curl_easy_setopt(h, CURLOPT_URL, t->url.data);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    return 0;
}

static int setup_email(notify_sender *s, transfer *t, const outbox_row *r, const char *msgid, char *err, size_t cap)
{
    const smtp_config *c = &s->cfg->smtp;
    CURL *h = t->h;
    if (!c->url[0])
        return snprintf(err, cap, "[smtp] url is not set in the configuration"), -1;
    const char *domain = strchr(c->from, '@');
    domain = domain ? domain + 1 : "localhost";
    buf line = {0};
    char date[64];
    mail_date(date);
    buf_printf(&line, "Date: %s", date);
    t->headers = curl_slist_append(t->headers, line.data);
    buf_reset(&line);
    buf_printf(&line, "From: <%s>", c->from);
    t->headers = curl_slist_append(t->headers, line.data);
    buf_reset(&line);
    buf_printf(&line, "To: <%s>", r->recipient);
    t->headers = curl_slist_append(t->headers, line.data);
    buf_reset(&line);
    buf_puts(&line, "Subject: ");
    rfc2047_encode(&line, r->subject);
    t->headers = curl_slist_append(t->headers, line.data);
    buf_reset(&line);
    buf_printf(&line, "Message-ID: <%s@%s>", msgid, domain);
    t->headers = curl_slist_append(t->headers, line.data);
    buf_reset(&line);
    buf_printf(&line, "X-Message-Id: %s", msgid);
    t->headers = curl_slist_append(t->headers, line.data);
    buf_reset(&line);
    buf_printf(&line, "<%s>", c->from);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, line.data);
    buf_reset(&line);
    buf_printf(&line, "<%s>", r->recipient);
    t->rcpt = curl_slist_append(NULL, line.data);
    buf_free(&line);

    t->mime = curl_mime_init(h);
    curl_mimepart *part = curl_mime_addpart(t->mime);
    curl_mime_data(part, r->body, CURL_ZERO_TERMINATED);
    curl_mime_type(part, "text/plain; charset=UTF-8");
    curl_mime_encoder(part, "quoted-printable");
    if (r->attachment_b64) {
        size_t b64len = strlen(r->attachment_b64), len = 0;
        t->attachment = malloc(b64len / 4 * 3 + 3);
        if (sodium_base642bin(t->attachment, b64len / 4 * 3 + 3, r->attachment_b64, b64len, NULL, &len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            return snprintf(err, cap, "the attachment's stored bytes are not base64"), -1;
        part = curl_mime_addpart(t->mime);
        curl_mime_data(part, (const char *)t->attachment, len);
        curl_mime_type(part, r->attachment_type ? r->attachment_type : "application/octet-stream");
        curl_mime_filename(part, r->attachment_name);
        curl_mime_encoder(part, "base64");
    }
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, t->rcpt);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(h, CURLOPT_MIMEPOST, t->mime);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (strcmp(c->tls, "none") != 0)
        curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL); /* starttls on smtp://, TLS on smtps:// */
    if (c->username[0]) {
        curl_easy_setopt(h, CURLOPT_USERNAME, c->username);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    }
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)c->timeout_seconds);
    return 0;
}

/* Prepares t for rows[i]; on a message that cannot even be sent, fills the result instead. */
static int transfer_start(notify_sender *s, transfer *t, const outbox_row *rows, int i, notify_send_result *res)
{
    const outbox_row *r = &rows[i];
    char msgid[40];
    notify_message_id(r->id, msgid);
    curl_easy_reset(t->h);
    t->row = i;
    t->errbuf[0] = 0;
    curl_easy_setopt(t->h, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(t->h, CURLOPT_WRITEFUNCTION, on_response);
    curl_easy_setopt(t->h, CURLOPT_WRITEDATA, &t->resp);
    curl_easy_setopt(t->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t->h, CURLOPT_PRIVATE, t);
    int rc = strcmp(r->channel, "email") == 0 ? setup_email(s, t, r, msgid, res[i].error, sizeof res[i].error)
                                              : setup_http(s, t, r, msgid, res[i].error, sizeof res[i].error);
    if (rc != 0) {
        res[i].ok = false;
        transfer_clear(t);
        return -1;
    }
    curl_multi_add_handle(s->multi, t->h);
    return 0;
}

/* The gateway's own id from a JSON answer ({"id": …} or {"message_id": …}), else the status. */
static void provider_ref(const transfer *t, const char *channel, long code, char *out, size_t cap)
{
    snprintf(out, cap, "%s %ld", strcmp(channel, "email") == 0 ? "smtp" : "http", code);
    if (!t->resp.len || strcmp(channel, "email") == 0)
        return;
    json_t *j = json_loadb(t->resp.data, t->resp.len, 0, NULL);
    json_t *id = j ? json_object_get(j, "id") : NULL;
    if (!id && j)
        id = json_object_get(j, "message_id");
    if (json_is_string(id))
        snprintf(out, cap, "%s", json_string_value(id));
    else if (json_is_integer(id))
        snprintf(out, cap, "%lld", (long long)json_integer_value(id));
    json_decref(j);
}

static void transfer_done(notify_sender *s, transfer *t, CURLcode cc, const outbox_row *rows, notify_send_result *res)
{
    notify_send_result *out = &res[t->row];
    const char *channel = rows[t->row].channel;
    long code = 0;
    curl_easy_getinfo(t->h, CURLINFO_RESPONSE_CODE, &code);
    if (cc != CURLE_OK) {
        out->ok = false;
        const char *why = t->errbuf[0] ? t->errbuf : curl_easy_strerror(cc);
        if (code > 0) /* the server's own answer says more than curl's summary */
            snprintf(out->error, sizeof out->error, "the %s server answered %ld (%.200s)", channel, code, why);
        else
            snprintf(out->error, sizeof out->error, "%s", why);
    } else if (strcmp(channel, "email") != 0 && (code < 200 || code > 299)) {
        out->ok = false;
        snprintf(out->error, sizeof out->error, "the %s endpoint answered HTTP %ld", channel, code);
    } else {
        out->ok = true;
        provider_ref(t, channel, code, out->provider_ref, sizeof out->provider_ref);
    }
    curl_multi_remove_handle(s->multi, t->h);
    transfer_clear(t);
}

int notify_sender_send(notify_sender *s, const outbox_row *rows, int n, notify_send_result *results, pc_err *e)
{
    memset(results, 0, (size_t)n * sizeof *results);
    int next = 0, active = 0;
    for (;;) {
        /* fill every idle transfer */
        for (int k = 0; k < s->ntransfers && next < n; k++) {
            transfer *t = &s->transfers[k];
            if (t->row >= 0)
                continue;
            while (next < n && transfer_start(s, t, rows, next, results) != 0)
                next++;
            if (t->row >= 0) {
                next++;
                active++;
            }
        }
        if (active == 0 && next >= n)
            return 0;
        int running;
        CURLMcode mc = curl_multi_perform(s->multi, &running);
        if (mc == CURLM_OK && running > 0)
            mc = curl_multi_poll(s->multi, NULL, 0, 1000, NULL);
        if (mc != CURLM_OK)
            return pc_errf(e, PC_EIO, "libcurl: %s", curl_multi_strerror(mc));
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(s->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            transfer *t;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
            transfer_done(s, t, m->data.result, rows, results);
            active--;
        }
    }
}
