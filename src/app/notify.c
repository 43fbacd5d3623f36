/* Notifications: enqueue, the sender pass, retries, opt-outs and event collection (see
 * notify.h). Business rules live here; SQL in store/notify_repo.c, requests in
 * notify_channels.c, timing arithmetic in domain/notify_schedule.c. */
#include "app/notify.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/notify_channels.h"
#include "base/date.h"
#include "base/hash.h"
#include "base/log.h"
#include "domain/notify_schedule.h"
#include "store/repo.h"

static bool channel_valid(const char *c)
{
    return c && (strcmp(c, "sms") == 0 || strcmp(c, "email") == 0 || strcmp(c, "chat") == 0);
}

static int check_recipient(const char *channel, const char *to, pc_err *e)
{
    size_t n = strlen(to);
    if (strcmp(channel, "sms") == 0) {
        const char *p = to[0] == '+' ? to + 1 : to;
        size_t digits = strspn(p, "0123456789");
        if (p[digits] || digits < 8 || digits > 15)
            return pc_errf(e, PC_EINVAL, "'%s' is not a phone number (8 to 15 digits, optionally after +)", to);
        return 0;
    }
    if (strcmp(channel, "email") == 0) {
        const char *at = strchr(to, '@');
        bool ok = at && at > to && at[1] && !strchr(at + 1, '@') && n < 254 && strchr(at + 1, '.');
        for (const unsigned char *p = (const unsigned char *)to; ok && *p; p++)
            if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == ';' || *p == '"')
                ok = false;
        if (!ok)
            return pc_errf(e, PC_EINVAL, "'%s' is not an e-mail address (name@domain)", to);
        return 0;
    }
    /* chat: a webhook URL, or "" for the configured one */
    if (!to[0])
        return 0;
    bool ok = strncmp(to, "http://", 7) == 0 || strncmp(to, "https://", 8) == 0;
    for (const unsigned char *p = (const unsigned char *)to; ok && *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            ok = false;
    if (!ok || n >= 1024)
        return pc_errf(e, PC_EINVAL, "'%s' is not a webhook URL (http:// or https://)", to);
    return 0;
}

static int check_attachment(const notify_request *r, pc_err *e)
{
    const notify_attachment *a = r->attachment;
    if (!a)
        return 0;
    if (strcmp(r->channel, "email") != 0)
        return pc_errf(e, PC_EINVAL, "attachments go by e-mail only, not by %s", r->channel);
    if (!a->name || !a->name[0] || !a->mime_type || !strchr(a->mime_type, '/'))
        return pc_errf(e, PC_EINVAL, "an attachment needs a file name and a media type such as image/png");
    for (const unsigned char *p = (const unsigned char *)a->name; *p; p++)
        if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '/' || *p == '\\')
            return pc_errf(e, PC_EINVAL, "attachment name '%s': printable ASCII without quotes or slashes", a->name);
    if (a->len == 0 || a->len > NOTIFY_ATTACHMENT_MAX)
        return pc_errf(e, PC_EINVAL, "attachment %s: %zu bytes (1 to %d are accepted)", a->name, a->len,
                       NOTIFY_ATTACHMENT_MAX);
    return 0;
}

/* The key of a message enqueued without one: the same event with the same fields is the same
 * message. */
static void derived_key(const notify_request *r, char *out, size_t cap)
{
    buf b = {0};
    buf_puts(&b, r->event);
    for (int i = 0; i < r->nfields; i++)
        buf_printf(&b, "\n%s=%s", r->fields[i].name, r->fields[i].value);
    char hex[SHA256_HEX_LEN];
    sha256_hex(b.data, b.len, hex);
    buf_free(&b);
    snprintf(out, cap, "%s:%.32s", r->event, hex);
}

int notify_enqueue(db *d, const pc_config *cfg, const notify_request *req, notify_enqueued *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    const char *lang = req->lang ? req->lang : "vi";
    if (!channel_valid(req->channel))
        return pc_errf(e, PC_EINVAL, "channel '%s': sms, email or chat is expected", req->channel ? req->channel : "");
    if (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0)
        return pc_errf(e, PC_EINVAL, "language '%s': vi or en is expected", lang);
    if (!req->recipient || check_recipient(req->channel, req->recipient, e) != 0)
        return req->recipient ? -1 : pc_errf(e, PC_EINVAL, "a message needs a recipient");
    if (check_attachment(req, e) != 0)
        return -1;
    if (req->event_key && (!req->event_key[0] || strlen(req->event_key) > 200))
        return pc_errf(e, PC_EINVAL, "an event key has 1 to 200 characters");
    const notify_templates *t = notify_templates_shipped(e);
    if (!t)
        return -1;
    notify_rendered text;
    if (notify_render(t, req->event, req->channel, lang, req->fields, req->nfields, &text, e) != 0)
        return -1;

    char key[256];
    if (req->event_key)
        snprintf(key, sizeof key, "%s", req->event_key);
    else
        derived_key(req, key, sizeof key);
    int64_t now = clock_now();
    const notify_config *n = &cfg->notify;
    int64_t next = req->customer_id > 0 ? notify_quiet_release(now, cfg->utc_offset_minutes, n->quiet_start_minutes,
                                                               n->quiet_end_minutes)
                                        : now;
    char *b64 = NULL;
    if (req->attachment) {
        size_t cap = sodium_base64_ENCODED_LEN(req->attachment->len, sodium_base64_VARIANT_ORIGINAL);
        b64 = malloc(cap);
        sodium_bin2base64(b64, cap, req->attachment->data, req->attachment->len, sodium_base64_VARIANT_ORIGINAL);
    }
    char created[TIMESTAMP_FMT_MAX];
    instant_format(now, created);
    int rc = db_begin(d, e);
    bool opted_out = false;
    if (rc == 0 && req->customer_id > 0)
        rc = optout_is_out(d, req->customer_id, req->channel, &opted_out, e);
    if (rc == 0) {
        outbox_row r = {.event = req->event,
                        .event_key = key,
                        .channel = req->channel,
                        .recipient = req->recipient,
                        .customer_id = req->customer_id,
                        .lang = lang,
                        .subject = text.subject,
                        .body = text.body,
                        .attachment_name = req->attachment ? req->attachment->name : NULL,
                        .attachment_type = req->attachment ? req->attachment->mime_type : NULL,
                        .attachment_b64 = b64,
                        .status = opted_out ? "skipped" : "queued",
                        .next_attempt_at = next,
                        .created_at = created};
        rc = outbox_insert(d, &r, &out->id, &out->duplicate, out->status, e);
    }
    if (rc == 0)
        rc = db_commit(d, e);
    else
        db_rollback(d);
    free(b64);
    notify_rendered_free(&text);
    if (rc != 0)
        return pc_err_prefix(e, "notification %s by %s", req->event, req->channel);
    out->skipped = strcmp(out->status, "skipped") == 0;
    out->next_attempt_at = next;
    return 0;
}

int notify_enqueue_customer(db *d, const pc_config *cfg, const char *customer_code, const notify_request *req,
                            notify_enqueued *out, pc_err *e)
{
    enum { MAX_FIELDS = 32 };
    if (!channel_valid(req->channel))
        return pc_errf(e, PC_EINVAL, "channel '%s': sms, email or chat is expected", req->channel ? req->channel : "");
    if (req->nfields > MAX_FIELDS - 2)
        return pc_errf(e, PC_EINVAL, "at most %d fields", MAX_FIELDS - 2);
    customer c;
    if (customer_get(d, customer_code, NULL, &c, e) != 0)
        return -1;
    notify_request r = *req;
    r.customer_id = c.id;
    if (!r.recipient) {
        if (strcmp(r.channel, "sms") != 0)
            return pc_errf(e, PC_EINVAL, "customer %s: only a phone is on file; give --to for %s", c.code, r.channel);
        if (!c.phone[0])
            return pc_errf(e, PC_EINVAL, "customer %s has no phone on file; give --to", c.code);
        r.recipient = c.phone;
    }
    const notify_templates *t = notify_templates_shipped(e);
    if (!t)
        return -1;
    notify_field f[MAX_FIELDS];
    memcpy(f, req->fields, (size_t)req->nfields * sizeof *f);
    r.fields = f;
    const char *names[] = {"customer_name", "customer_code"};
    const char *values[] = {c.name, c.code};
    for (int a = 0; a < 2; a++) {
        bool given = false;
        for (int k = 0; k < req->nfields; k++)
            given = given || strcmp(f[k].name, names[a]) == 0;
        if (!given && notify_event_takes(t, req->event, names[a]))
            f[r.nfields++] = (notify_field){names[a], values[a]};
    }
    return notify_enqueue(d, cfg, &r, out, e);
}

/* ---- the sender ---- */

static int settle(db *d, const pc_config *cfg, const outbox_row *rows, const notify_send_result *res, int n,
                  notify_delivery *out, pc_err *e)
{
    const notify_config *k = &cfg->notify;
    int64_t now = clock_now();
    char ts[TIMESTAMP_FMT_MAX];
    instant_format(now, ts);
    if (db_begin(d, e) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        const outbox_row *r = &rows[i];
        int rc;
        if (res[i].ok) {
            rc = outbox_mark_sent(d, r->id, ts, res[i].provider_ref, e);
            out->sent++;
        } else if (r->attempts >= k->max_attempts) {
            rc = outbox_mark_failed(d, r->id, "dead", now, res[i].error, e);
            out->dead++;
            log_event(LOG_WARN, "notify_dead", "id=%lld channel=%s attempts=%d", (long long)r->id, r->channel,
                      r->attempts);
        } else {
            int64_t next = now + notify_backoff_seconds(k->backoff_seconds, k->backoff_max_seconds, r->attempts);
            if (r->customer_id > 0)
                next = notify_quiet_release(next, cfg->utc_offset_minutes, k->quiet_start_minutes, k->quiet_end_minutes);
            rc = outbox_mark_failed(d, r->id, "failed", next, res[i].error, e);
            out->failed++;
        }
        if (rc != 0) {
            db_rollback(d);
            return -1;
        }
    }
    return db_commit(d, e);
}

int notify_deliver(db *d, const pc_config *cfg, long max_messages, notify_delivery *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (db_tx_depth(d) > 0)
        return pc_errf(e, PC_EINTERNAL, "notify_deliver runs outside a transaction (it must not hold one while sending)");
    double t0 = monotonic_seconds();
    const notify_config *k = &cfg->notify;
    notify_sender *s = NULL;
    int rc = 0;
    for (;;) {
        long want = k->batch_size;
        if (max_messages > 0 && max_messages - out->claimed < want)
            want = max_messages - out->claimed;
        if (want <= 0)
            break;
        int64_t now = clock_now();
        bool quiet = notify_in_quiet_hours(now, cfg->utc_offset_minutes, k->quiet_start_minutes, k->quiet_end_minutes);
        outbox_row *rows;
        int n;
        if ((rc = db_begin(d, e)) != 0)
            break;
        rc = outbox_claim(d, now, now + k->lease_seconds, quiet, (int)want, &rows, &n, e);
        if (rc == 0)
            rc = db_commit(d, e);
        else
            db_rollback(d);
        if (rc != 0 || n == 0)
            break;
        out->claimed += n;
        if (!s && !(s = notify_sender_new(cfg, e))) {
            outbox_rows_free(rows, n);
            rc = -1;
            break;
        }
        notify_send_result *res = calloc((size_t)n, sizeof *res);
        rc = notify_sender_send(s, rows, n, res, e);
        /* Even after a curl failure, what was sent is recorded; the rest stays claimed and goes
         * again when its lease runs out. */
        if (settle(d, cfg, rows, res, rc == 0 ? n : 0, out, rc == 0 ? e : NULL) != 0 && rc == 0)
            rc = -1;
        free(res);
        outbox_rows_free(rows, n);
        if (rc != 0)
            break;
    }
    notify_sender_free(s);
    if (rc == 0) {
        int64_t now = clock_now();
        if (notify_in_quiet_hours(now, cfg->utc_offset_minutes, k->quiet_start_minutes, k->quiet_end_minutes))
            rc = outbox_count_due_customers(
                d, notify_quiet_release(now, cfg->utc_offset_minutes, k->quiet_start_minutes, k->quiet_end_minutes),
                &out->held, e);
    }
    out->seconds = monotonic_seconds() - t0;
    if (out->claimed)
        log_event(LOG_INFO, "notify_deliver", "claimed=%ld sent=%ld failed=%ld dead=%ld seconds=%.3f", out->claimed,
                  out->sent, out->failed, out->dead, out->seconds);
    return rc;
}

int notify_retry(db *d, const char *actor, int64_t id, const char *status, long *count, pc_err *e)
{
    *count = 0;
    if (id <= 0 && (!status || (strcmp(status, "failed") != 0 && strcmp(status, "dead") != 0)))
        return pc_errf(e, PC_EINVAL, "retry: a message id, failed or dead is expected");
    if (db_begin(d, e) != 0)
        return -1;
    int rc = outbox_requeue(d, id, status ? status : "", clock_now(), count, e);
    if (rc == 0 && *count > 0) {
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)id);
        rc = audit_event(d, actor, "notify_retry", "notify_outbox", id > 0 ? key : status,
                         json_pack("{s:I}", "messages", (json_int_t)*count), e);
    }
    if (rc == 0)
        return db_commit(d, e);
    db_rollback(d);
    return -1;
}

int notify_set_optout(db *d, const char *actor, const char *customer_code, const char *channel, bool opt_out,
                      const char *reason, pc_err *e)
{
    if (!channel_valid(channel))
        return pc_errf(e, PC_EINVAL, "channel '%s': sms, email or chat is expected", channel ? channel : "");
    if (opt_out && (!reason || !reason[0]))
        return pc_errf(e, PC_EINVAL, "an opt-out needs a reason (--reason)");
    customer c;
    if (customer_get(d, customer_code, NULL, &c, e) != 0)
        return -1;
    char ts[TIMESTAMP_FMT_MAX];
    instant_format(clock_now(), ts);
    if (db_begin(d, e) != 0)
        return -1;
    const char *action = opt_out ? "out" : "in";
    int rc = optout_insert(d, c.id, channel, action, reason && reason[0] ? reason : NULL, ts, actor, e);
    if (rc == 0)
        rc = audit_event(d, actor, opt_out ? "notify_optout" : "notify_optin", "customer", c.code,
                         json_pack("{s:s, s:s?}", "channel", channel, "reason", reason && reason[0] ? reason : NULL), e);
    if (rc == 0)
        return db_commit(d, e);
    db_rollback(d);
    return -1;
}

const char *notify_channel_of(const char *to)
{
    if (strchr(to, '@'))
        return "email";
    if (strncmp(to, "http://", 7) == 0 || strncmp(to, "https://", 8) == 0)
        return "chat";
    return "sms";
}

bool notify_status_valid(const char *s)
{
    static const char *const all[] = {"queued", "sending", "sent", "failed", "dead", "skipped"};
    for (size_t i = 0; s && i < sizeof all / sizeof *all; i++)
        if (strcmp(s, all[i]) == 0)
            return true;
    return false;
}

int notify_query_list(db *d, const notify_query *q, outbox_fn fn, void *ctx, pc_err *e)
{
    outbox_filter f = {.status = q->status, .channel = q->channel, .event = q->event, .id = q->id,
                       .with_staff = q->with_staff, .limit = q->limit, .offset = q->offset};
    if (q->status && !notify_status_valid(q->status))
        return pc_errf(e, PC_EINVAL, "--status '%s': queued, sending, sent, failed, dead or skipped", q->status);
    if (q->channel && !channel_valid(q->channel))
        return pc_errf(e, PC_EINVAL, "--channel '%s': sms, email or chat is expected", q->channel);
    if (q->limit < 0 || q->offset < 0)
        return pc_errf(e, PC_EINVAL, "--limit and --offset cannot be negative");
    if (q->customer_code) {
        customer c;
        if (customer_get(d, q->customer_code, NULL, &c, e) != 0)
            return -1;
        f.customer_id = c.id;
    }
    org_row n;
    if (q->scope_code) {
        if (org_get(d, q->scope_code, &n, e) != 0)
            return pc_err_prefix(e, "--scope");
        f.scope_path = n.path;
    }
    return outbox_page(d, &f, fn, ctx, e);
}

int notify_list(db *d, const char *status, const char *customer_code, const char *event, int limit, outbox_fn fn,
                void *ctx, pc_err *e)
{
    notify_query q = {.status = status, .customer_code = customer_code, .event = event, .limit = limit};
    return notify_query_list(d, &q, fn, ctx, e);
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *notify_outbox_json(const outbox_row *r)
{
    char next[TIMESTAMP_FMT_MAX];
    instant_format(r->next_attempt_at, next);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:s, s:o, s:o, s:o}", "id",
                     (json_int_t)r->id, "event", r->event, "event_key", r->event_key, "channel", r->channel,
                     "recipient", r->recipient, "customer_code", text_or_null(r->customer_code), "lang", r->lang,
                     "subject", r->subject, "body", r->body, "status", r->status, "attempts", r->attempts,
                     "next_attempt_at", next, "last_error", text_or_null(r->last_error), "created_at", r->created_at,
                     "sent_at", text_or_null(r->sent_at), "provider_ref", text_or_null(r->provider_ref), "attachment",
                     text_or_null(r->attachment_name));
}

/* ---- event collection ---- */

typedef struct {
    db *d;
    const pc_config *cfg;
    collect_source src;
    notify_collected *out;
    long rows;
    pc_err *e;
} collect_ctx;

/* "2026-10-05" → "05/10/2026", "2026-10" → "10/2026": how Vietnamese customers read dates. */
static void vn_date(const char *iso, char *out, size_t cap)
{
    if (strlen(iso) == 10)
        snprintf(out, cap, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else if (strlen(iso) == 7)
        snprintf(out, cap, "%.2s/%.4s", iso + 5, iso);
    else
        snprintf(out, cap, "%s", iso);
}

static int collect_one(void *ctx, const collect_row *r)
{
    collect_ctx *x = ctx;
    x->rows++;
    const char *event;
    const char *prefix;
    if (x->src == COLLECT_INVOICES)
        event = prefix = "invoice_issued";
    else if (x->src == COLLECT_PAYMENTS)
        event = prefix = "payment_received";
    else {
        prefix = "dunning_step";
        event = strcmp(r->kind, "disconnected") == 0   ? "disconnection"
                : strcmp(r->kind, "reconnected") == 0 ? "reconnection"
                                                      : r->kind; /* notice_1, notice_2 */
    }
    if (!r->phone[0]) {
        x->out->no_phone++;
        return 0;
    }
    char amount[24], date[16], due[16], period[16], key[64];
    snprintf(amount, sizeof amount, "%lld", (long long)r->amount);
    vn_date(r->date, date, sizeof date);
    vn_date(r->due_date, due, sizeof due);
    vn_date(r->period, period, sizeof period);
    snprintf(key, sizeof key, "%s:%lld", prefix, (long long)r->id);
    notify_field f[6];
    int nf = 0;
    f[nf++] = (notify_field){"customer_name", r->customer_name};
    f[nf++] = (notify_field){"customer_code", r->customer_code};
    if (x->src == COLLECT_INVOICES) {
        f[nf++] = (notify_field){"period", period};
        f[nf++] = (notify_field){"amount", amount};
        f[nf++] = (notify_field){"due_date", due};
        f[nf++] = (notify_field){"invoice_no", r->invoice_no};
    } else if (x->src == COLLECT_PAYMENTS) {
        f[nf++] = (notify_field){"amount", amount};
        f[nf++] = (notify_field){"date", date};
        f[nf++] = (notify_field){"receipt_no", r->receipt_no};
    } else if (strncmp(event, "notice_", 7) == 0) {
        f[nf++] = (notify_field){"amount", amount};
        f[nf++] = (notify_field){"invoice_no", r->invoice_no};
        f[nf++] = (notify_field){"due_date", due};
    } else {
        f[nf++] = (notify_field){"date", date};
    }
    notify_request req = {.event = event,
                          .event_key = key,
                          .channel = "sms",
                          .recipient = r->phone,
                          .customer_id = r->customer_id,
                          .lang = "vi",
                          .fields = f,
                          .nfields = nf};
    notify_enqueued q;
    if (notify_enqueue(x->d, x->cfg, &req, &q, x->e) != 0)
        return -1;
    if (q.duplicate)
        x->out->duplicates++;
    else if (q.skipped)
        x->out->skipped++;
    else
        x->out->enqueued++;
    return 0;
}

int notify_skip_history(db *d, pc_err *e)
{
    static const char *const sources[] = {"invoice", "payment", "dunning_step"};
    char ts[TIMESTAMP_FMT_MAX];
    if (db_begin(d, e) != 0)
        return -1;
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
        int64_t max_id, mark;
        char floor_name[48];
        /* the floor keeps collection's re-read below the watermark out of the skipped history */
        snprintf(floor_name, sizeof floor_name, "%s.history", sources[i]);
        instant_format(clock_now(), ts);
        if (notify_source_max_id(d, sources[i], &max_id, e) != 0 || watermark_get(d, sources[i], &mark, e) != 0 ||
            (max_id > mark && watermark_set(d, sources[i], max_id, ts, e) != 0) ||
            watermark_set(d, floor_name, max_id, ts, e) != 0) {
            db_rollback(d);
            return -1;
        }
    }
    return db_commit(d, e);
}

int notify_collect(db *d, const pc_config *cfg, notify_collected *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    static const struct {
        const char *name;
        collect_source src;
    } sources[] = {{"invoice", COLLECT_INVOICES}, {"payment", COLLECT_PAYMENTS}, {"dunning_step", COLLECT_DUNNING}};
    enum { PAGE = 2000 };
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
        int64_t mark;
        if (watermark_get(d, sources[i].name, &mark, e) != 0)
            return -1;
        /* Re-read a little below the watermark: on PostgreSQL a row may commit after rows with
         * higher ids were read. The outbox's unique key makes the re-read harmless. */
        int64_t from = mark - cfg->notify.collect_overlap, floor;
        char floor_name[48];
        snprintf(floor_name, sizeof floor_name, "%s.history", sources[i].name);
        if (watermark_get(d, floor_name, &floor, e) != 0)
            return -1;
        if (from < floor)
            from = floor; /* history skipped in bulk (notify_skip_history) is never read again */
        if (from < 0)
            from = 0;
        for (;;) {
            collect_ctx x = {d, cfg, sources[i].src, out, 0, e};
            int64_t max_id;
            char ts[TIMESTAMP_FMT_MAX];
            if (db_begin(d, e) != 0)
                return -1;
            int rc = collect_rows(d, sources[i].src, from, PAGE, collect_one, &x, &max_id, e);
            if (rc == 0 && max_id > mark)
                rc = watermark_set(d, sources[i].name, max_id, instant_format(clock_now(), ts), e);
            if (rc == 0)
                rc = db_commit(d, e);
            else
                db_rollback(d);
            if (rc != 0)
                return pc_err_prefix(e, "notify collect (%s)", sources[i].name);
            if (sources[i].src == COLLECT_INVOICES)
                out->invoices += x.rows;
            else if (sources[i].src == COLLECT_PAYMENTS)
                out->payments += x.rows;
            else
                out->dunning_steps += x.rows;
            if (max_id > mark)
                mark = max_id;
            if (x.rows < PAGE)
                break;
            from = max_id;
        }
    }
    return 0;
}
