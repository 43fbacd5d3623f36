/* Outages and reliability indices (see outages.h): validation of what a dispatcher gives, the
 * affected set resolved to customers, notices of planned outages, and the monthly report. */
#include "app/outages.h"

#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/notify.h"
#include "app/org.h"
#include "base/buf.h"
#include "base/hash.h"
#include "formats/csv_reader.h"
#include "store/repo.h"

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* Local wall-clock minutes now, on the clock outages are given in. */
static int64_t now_local_minutes(const pc_config *cfg)
{
    int64_t t = clock_now() + (int64_t)cfg->utc_offset_minutes * 60;
    return t >= 0 ? t / 60 : (t - 59) / 60;
}

/* What an SMS can be sent to: 8 to 15 digits, optionally after + (as notify checks). */
static bool phone_usable(const char *p)
{
    if (p[0] == '+')
        p++;
    size_t digits = strspn(p, "0123456789");
    return !p[digits] && digits >= 8 && digits <= 15;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The list's customers as ids, each existing, active, under the scope and given once. */
static int resolve_list(db *d, const outage_add_request *rq, const char *scope_path, int64_t **ids, int *n,
                        pc_err *e)
{
    *ids = calloc(rq->ncodes ? (size_t)rq->ncodes : 1, sizeof **ids);
    *n = 0;
    if (!*ids)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    for (int i = 0; i < rq->ncodes; i++) {
        char where[300];
        if (rq->code_lines)
            snprintf(where, sizeof where, "%s line %d", rq->list_name ? rq->list_name : "list", rq->code_lines[i]);
        else
            snprintf(where, sizeof where, "customers[%d]", i);
        outage_customer_row c;
        pc_err nf = {0};
        if (outage_customer_by_code(d, rq->codes[i], &c, &nf) != 0) {
            if (nf.code == PC_ENOTFOUND)
                return pc_errf(e, PC_EINVAL, "%s: no customer '%s'", where, rq->codes[i]);
            if (e)
                *e = nf;
            return -1;
        }
        if (scope_path && strncmp(c.unit_path, scope_path, strlen(scope_path)) != 0)
            return pc_errf(e, PC_EINVAL, "%s: customer %s is not under scope %s", where, c.code, rq->scope);
        if (strcmp(c.status, "active") != 0)
            return pc_errf(e, PC_EINVAL, "%s: customer %s is %s, not supplied, so not interrupted", where, c.code,
                           c.status);
        for (int j = 0; j < *n; j++)
            if ((*ids)[j] == c.id)
                return pc_errf(e, PC_EINVAL, "%s: customer %s is listed twice", where, c.code);
        (*ids)[(*n)++] = c.id;
    }
    qsort(*ids, (size_t)*n, sizeof **ids, cmp_id);
    return 0;
}

static int validate(const outage_add_request *rq, int64_t *start, int64_t *end, pc_err *e)
{
    if (!rq->scope || !rq->scope[0])
        return pc_errf(e, PC_EINVAL, "scope: an org code is required");
    if (!rq->start)
        return pc_errf(e, PC_EINVAL, "start: required (YYYY-MM-DD HH:MM)");
    if (rel_parse_local_minute(rq->start, start, e) != 0)
        return pc_err_prefix(e, "start");
    *end = -1;
    if (rq->end && rel_parse_local_minute(rq->end, end, e) != 0)
        return pc_err_prefix(e, "end");
    if (rq->end && *end <= *start)
        return pc_errf(e, PC_EINVAL, "end: %s is not after start %s", rq->end, rq->start);
    if (!rq->end && rq->planned)
        return pc_errf(e, PC_EINVAL, "end: a planned outage needs its planned end");
    int ways = (rq->customers != 0) + (rq->route != NULL) + (rq->transformer != NULL) + (rq->codes != NULL);
    if (ways != 1)
        return pc_errf(e, PC_EINVAL, "give the interrupted customers one way: a count, a route, a transformer or "
                                     "a list (%d given)", ways);
    if (rq->customers < 0)
        return pc_errf(e, PC_EINVAL, "customers: %lld is not a number of customers", (long long)rq->customers);
    if (rq->route && (!rq->route[0] || strlen(rq->route) > 63))
        return pc_errf(e, PC_EINVAL, "route: 1 to 63 characters");
    if (rq->transformer && (!rq->transformer[0] || strlen(rq->transformer) > 63))
        return pc_errf(e, PC_EINVAL, "transformer: 1 to 63 characters");
    if (rq->codes && rq->ncodes == 0)
        return pc_errf(e, PC_EINVAL, "%s: the list names no customer", rq->list_name ? rq->list_name : "list");
    if (rq->cause && strlen(rq->cause) > 255)
        return pc_errf(e, PC_EINVAL, "cause: at most 255 bytes");
    if (rq->note && strlen(rq->note) > 511)
        return pc_errf(e, PC_EINVAL, "note: at most 511 bytes");
    return 0;
}

/* The content that makes an outage the same one: node, kind, times, and who. */
static void dedupe_key(const outage_row *r, const int64_t *ids, int n, char hex[SHA256_HEX_LEN])
{
    buf b = {0};
    buf_printf(&b, "%lld|%d|%s|%s|%s|%s|%lld", (long long)r->org_id, r->planned, r->start_at, r->end_at,
               r->affected_by, r->selector, (long long)r->customers);
    for (int i = 0; i < n; i++)
        buf_printf(&b, ",%lld", (long long)ids[i]);
    sha256_hex(b.data ? b.data : "", b.len, hex);
    buf_free(&b);
}

typedef struct {
    db *d;
    const pc_config *cfg;
    const outage_row *o;
    outage_added *out;
} notice_ctx;

static int notice_one(void *ctx, const outage_customer_row *c, pc_err *e)
{
    notice_ctx *x = ctx;
    if (!phone_usable(c->phone)) {
        x->out->no_phone++;
        return 0;
    }
    char key[96], area[400];
    snprintf(key, sizeof key, "planned_outage:%lld:%s", (long long)x->o->id, c->code);
    if (x->o->selector[0])
        snprintf(area, sizeof area, "%s (%s)", x->o->org_name, x->o->selector);
    else
        snprintf(area, sizeof area, "%s", x->o->org_name);
    notify_field f[] = {{"customer_name", c->name}, {"area", area}, {"start", x->o->start_at}, {"end", x->o->end_at}};
    notify_request rq = {.event = "planned_outage", .event_key = key, .channel = "sms", .recipient = c->phone,
                         .customer_id = c->id, .lang = "vi", .fields = f, .nfields = 4};
    notify_enqueued q;
    if (notify_enqueue(x->d, x->cfg, &rq, &q, e) != 0)
        return pc_err_prefix(e, "notice to customer %s", c->code);
    if (q.duplicate)
        x->out->notices_before++;
    else
        x->out->notices++;
    return 0;
}

/* Planned outages starting in the future: one SMS per affected customer with a phone. */
static int send_notices(db *d, const pc_config *cfg, const outage_row *o, outage_added *out, pc_err *e)
{
    int64_t start;
    if (!o->planned || o->cancelled_at[0] || rel_parse_local_minute(o->start_at, &start, e) != 0 || start <= now_local_minutes(cfg))
        return 0;
    notice_ctx x = {d, cfg, o, out};
    return outage_customers_scan(d, o->id, notice_one, &x, e);
}

int outage_add(db *d, const pc_config *cfg, const char *actor, const outage_add_request *rq, outage_added *out,
               pc_err *e)
{
    memset(out, 0, sizeof *out);
    int64_t start, end;
    if (validate(rq, &start, &end, e) != 0)
        return -1;
    outage_row *r = &out->o;
    int64_t *ids = NULL;
    int n = 0;
    if (db_begin(d, e) != 0)
        return -1;
    org_row node;
    if (org_get(d, rq->scope, &node, e) != 0) {
        if (e && e->code == PC_ENOTFOUND)
            pc_errf(e, PC_EINVAL, "scope: no org node %s", rq->scope);
        goto fail;
    }
    r->org_id = node.id;
    snprintf(r->org_code, sizeof r->org_code, "%s", node.code);
    snprintf(r->org_name, sizeof r->org_name, "%s", node.name);
    snprintf(r->org_path, sizeof r->org_path, "%s", node.path);
    r->planned = rq->planned;
    snprintf(r->start_at, sizeof r->start_at, "%s", rq->start);
    snprintf(r->end_at, sizeof r->end_at, "%s", rq->end ? rq->end : "");
    r->minutes = end >= 0 ? end - start : -1;
    r->month = (int32_t)(atoi(rq->start) * 100 + atoi(rq->start + 5));
    snprintf(r->cause, sizeof r->cause, "%s", rq->cause ? rq->cause : "");
    snprintf(r->note, sizeof r->note, "%s", rq->note ? rq->note : "");
    int64_t served;
    if (rq->customers > 0) {
        if (outage_active_count(d, node.path, &served, e) != 0)
            goto fail;
        if (rq->customers > served) {
            pc_errf(e, PC_EINVAL, "customers: %lld is more than the %lld active customers under %s",
                    (long long)rq->customers, (long long)served, node.code);
            goto fail;
        }
        snprintf(r->affected_by, sizeof r->affected_by, "count");
        r->customers = rq->customers;
    } else if (rq->route || rq->transformer) {
        const char *col = rq->route ? "route" : "transformer";
        const char *v = rq->route ? rq->route : rq->transformer;
        if (outage_customers_where(d, node.path, col, v, &ids, &n, e) != 0)
            goto fail;
        if (n == 0) {
            pc_errf(e, PC_EINVAL, "%s: no active customer on %s %s under %s", col, col, v, node.code);
            goto fail;
        }
        snprintf(r->affected_by, sizeof r->affected_by, "%s", col);
        snprintf(r->selector, sizeof r->selector, "%s", v);
        r->customers = n;
    } else {
        if (resolve_list(d, rq, node.path, &ids, &n, e) != 0)
            goto fail;
        snprintf(r->affected_by, sizeof r->affected_by, "list");
        r->customers = n;
    }
    if (r->planned) {
        /* one recorded after its start (history) is not judged: whether notice was given then
         * is not known here */
        int64_t lead = start - now_local_minutes(cfg);
        r->notice_late = lead > 0 && lead < (int64_t)cfg->outage_notice_days * 1440;
    }
    char key[SHA256_HEX_LEN];
    dedupe_key(r, ids, n, key);
    outage_row first;
    int found = outage_find_dedupe(d, key, &first, e);
    if (found < 0)
        goto fail;
    if (found == 1 && first.cancelled_at[0]) {
        /* the dedupe key is unique for good: the cancelled one keeps it */
        pc_errf(e, PC_ECONFLICT,
                "the same outage was recorded as %lld and cancelled (%s): it is not recorded again; an outage "
                "that did happen is given with its own times or customers",
                (long long)first.id, first.cancel_reason);
        goto fail;
    }
    if (found == 1) {
        /* a repeat: the first outage, and its notices (none sent twice) */
        *r = first;
        out->duplicate = true;
    } else {
        timestamp_now(r->created_at);
        snprintf(r->created_by, sizeof r->created_by, "%s", actor ? actor : "");
        if (outage_insert(d, r, key, e) != 0 || (n && outage_add_customers(d, r->id, ids, n, e) != 0))
            goto fail;
        char idtext[24];
        snprintf(idtext, sizeof idtext, "%lld", (long long)r->id);
        if (audit_event(d, actor, "outage.add", "outage", idtext,
                        json_pack("{s:s, s:b, s:s, s:s?, s:s, s:s?, s:I, s:s?, s:s?}", "scope", node.code, "planned",
                                  r->planned, "start", r->start_at, "end", or_null(r->end_at), "affected_by",
                                  r->affected_by, "selector", or_null(r->selector), "customers",
                                  (json_int_t)r->customers, "cause", or_null(r->cause), "note", or_null(r->note)),
                        e) != 0)
            goto fail;
    }
    if (send_notices(d, cfg, r, out, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    free(ids);
    return 0;
fail:
    db_rollback(d);
    free(ids);
    return -1;
}

int outage_close(db *d, const char *actor, int64_t id, const char *end, outage_row *out, pc_err *e)
{
    int64_t start, stop;
    if (!end || rel_parse_local_minute(end, &stop, e) != 0)
        return end ? pc_err_prefix(e, "end") : pc_errf(e, PC_EINVAL, "end: required (YYYY-MM-DD HH:MM)");
    if (db_begin(d, e) != 0)
        return -1;
    if (outage_get(d, id, out, e) != 0)
        goto fail;
    if (out->cancelled_at[0]) {
        pc_errf(e, PC_ECONFLICT, "outage %lld is cancelled (%s): it cannot be closed", (long long)id,
                out->cancel_reason);
        goto fail;
    }
    if (out->end_at[0]) {
        pc_errf(e, PC_ECONFLICT, "outage %lld is closed already (ended %s)", (long long)id, out->end_at);
        goto fail;
    }
    if (rel_parse_local_minute(out->start_at, &start, e) != 0)
        goto fail;
    if (stop <= start) {
        pc_errf(e, PC_EINVAL, "end: %s is not after the outage's start %s", end, out->start_at);
        goto fail;
    }
    char ts[TIMESTAMP_FMT_MAX], idtext[24];
    timestamp_now(ts);
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    if (outage_set_end(d, id, end, stop - start, ts, actor ? actor : "", e) != 0 ||
        audit_event(d, actor, "outage.close", "outage", idtext,
                    json_pack("{s:s, s:I}", "end", end, "minutes", (json_int_t)(stop - start)), e) != 0 ||
        outage_get(d, id, out, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int outage_notify(db *d, const pc_config *cfg, int64_t id, outage_added *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (db_begin(d, e) != 0)
        return -1;
    if (outage_get(d, id, &out->o, e) != 0)
        goto fail;
    if (!out->o.planned) {
        pc_errf(e, PC_EINVAL, "outage %lld is not planned: there is nothing to announce", (long long)id);
        goto fail;
    }
    if (out->o.cancelled_at[0]) {
        pc_errf(e, PC_ECONFLICT, "outage %lld is cancelled (%s): there is nothing to announce", (long long)id,
                out->o.cancel_reason);
        goto fail;
    }
    out->duplicate = true;
    if (send_notices(d, cfg, &out->o, out, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

/* ---- cancelling ---- */

typedef struct {
    db *d;
    const pc_config *cfg;
    const outage_row *o;
    long notices;
} cancel_ctx;

/* A customer who was sent (or is to be sent) the planned_outage notice gets the cancellation,
 * to the same phone; the others were told nothing and are told nothing. */
static int cancel_notice_one(void *ctx, const outage_customer_row *c, pc_err *e)
{
    cancel_ctx *x = ctx;
    char key[96], phone[64];
    bool had;
    snprintf(key, sizeof key, "planned_outage:%lld:%s", (long long)x->o->id, c->code);
    if (outage_outbox_sms(x->d, key, phone, sizeof phone, &had, e) != 0)
        return -1;
    if (!had)
        return 0;
    snprintf(key, sizeof key, "planned_outage_cancelled:%lld:%s", (long long)x->o->id, c->code);
    char area[400];
    if (x->o->selector[0])
        snprintf(area, sizeof area, "%s (%s)", x->o->org_name, x->o->selector);
    else
        snprintf(area, sizeof area, "%s", x->o->org_name);
    notify_field f[] = {{"customer_name", c->name}, {"area", area}, {"start", x->o->start_at}, {"end", x->o->end_at}};
    notify_request rq = {.event = "planned_outage_cancelled", .event_key = key, .channel = "sms", .recipient = phone,
                         .customer_id = c->id, .lang = "vi", .fields = f, .nfields = 4};
    notify_enqueued q;
    if (notify_enqueue(x->d, x->cfg, &rq, &q, e) != 0)
        return pc_err_prefix(e, "cancellation notice to customer %s", c->code);
    if (!q.duplicate)
        x->notices++;
    return 0;
}

/* The reason as stored: trimmed, non-blank, bounded, printable. */
static int cancel_reason(const char *in, char out[512], pc_err *e)
{
    if (!in)
        return pc_errf(e, PC_EINVAL, "reason: required (why the outage is cancelled)");
    while (*in == ' ' || *in == '\t')
        in++;
    size_t n = strlen(in);
    while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
        n--;
    if (n == 0)
        return pc_errf(e, PC_EINVAL, "reason: required (why the outage is cancelled), not blank");
    if (n > 500)
        return pc_errf(e, PC_EINVAL, "reason: at most 500 bytes");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)in[i] < 0x20 || in[i] == 0x7f)
            return pc_errf(e, PC_EINVAL, "reason: contains a control character");
    memcpy(out, in, n);
    out[n] = '\0';
    return 0;
}

int outage_cancel(db *d, const pc_config *cfg, const char *actor, int64_t id, const char *reason,
                  outage_cancelled *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    char why[512];
    if (cancel_reason(reason, why, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    if (outage_get(d, id, &out->o, e) != 0)
        goto fail;
    if (out->o.cancelled_at[0]) {
        pc_errf(e, PC_ECONFLICT, "outage %lld is cancelled already (%s by %s: %s)", (long long)id,
                out->o.cancelled_at, out->o.cancelled_by, out->o.cancel_reason);
        goto fail;
    }
    out->was_open = !out->o.end_at[0];
    char ts[TIMESTAMP_FMT_MAX], idtext[24];
    timestamp_now(ts);
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    if (outage_cancel_insert(d, id, why, ts, actor ? actor : "", e) != 0 ||
        audit_event(d, actor, "outage.cancel", "outage", idtext,
                    json_pack("{s:s, s:s}", "reason", why, "was", out->was_open ? "open" : "closed"), e) != 0)
        goto fail;
    int64_t start;
    if (out->o.planned && rel_parse_local_minute(out->o.start_at, &start, NULL) == 0 &&
        start > now_local_minutes(cfg)) {
        cancel_ctx x = {d, cfg, &out->o, 0};
        if (outage_customers_scan(d, id, cancel_notice_one, &x, e) != 0)
            goto fail;
        out->notices = x.notices;
    }
    if (outage_get(d, id, &out->o, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

typedef struct {
    db *d;
    const char *path;
    int code_col, tr_col;
    long count;
    char ts[TIMESTAMP_FMT_MAX];
    int64_t *seen;
    long nseen, cap;
} transformers_ctx;

static int transformer_line(void *ctx, const csv_record *r, pc_err *e)
{
    transformers_ctx *x = ctx;
    if (r->record == 0) {
        x->code_col = csv_column(r, "customer_code");
        x->tr_col = csv_column(r, "transformer");
        if (x->code_col < 0 || x->tr_col < 0)
            return pc_errf(e, PC_EINVAL, "%s line %ld: the header needs customer_code and transformer", x->path,
                           r->line);
        return 0;
    }
    if ((size_t)x->code_col >= r->nfields || (size_t)x->tr_col >= r->nfields)
        return pc_errf(e, PC_EINVAL, "%s line %ld: %zu fields, the header has more", x->path, r->line, r->nfields);
    const char *code = r->fields[x->code_col], *tr = r->fields[x->tr_col];
    if (strlen(tr) > 63)
        return pc_errf(e, PC_EINVAL, "%s line %ld: transformer: at most 63 characters", x->path, r->line);
    outage_customer_row c;
    pc_err nf = {0};
    if (outage_customer_by_code(x->d, code, &c, &nf) != 0) {
        if (nf.code == PC_ENOTFOUND)
            return pc_errf(e, PC_EINVAL, "%s line %ld: no customer '%s'", x->path, r->line, code);
        if (e)
            *e = nf;
        return -1;
    }
    for (long i = 0; i < x->nseen; i++)
        if (x->seen[i] == c.id)
            return pc_errf(e, PC_EINVAL, "%s line %ld: customer %s is given twice", x->path, r->line, c.code);
    if (x->nseen == x->cap) {
        long cap = x->cap ? x->cap * 2 : 256;
        int64_t *t = realloc(x->seen, (size_t)cap * sizeof *t);
        if (!t)
            return pc_errf(e, PC_EINTERNAL, "out of memory");
        x->seen = t;
        x->cap = cap;
    }
    x->seen[x->nseen++] = c.id;
    if (outage_set_transformer(x->d, c.id, tr, x->ts, e) != 0)
        return -1;
    x->count++;
    return 0;
}

int outage_transformers_load(db *d, const char *actor, const char *path, long *count, pc_err *e)
{
    *count = 0;
    char hex[SHA256_HEX_LEN];
    if (sha256_file(path, hex, e) != 0)
        return -1;
    transformers_ctx x = {.d = d, .path = path, .code_col = -1, .tr_col = -1};
    timestamp_now(x.ts);
    if (db_begin(d, e) != 0)
        return -1;
    int rc = csv_read_file(path, transformer_line, &x, e);
    if (rc == 0 && x.code_col < 0)
        rc = pc_errf(e, PC_EINVAL, "%s: empty file (a header customer_code,transformer is expected)", path);
    if (rc == 0)
        rc = audit_event(d, actor, "customer.transformers", "import_file", hex, json_pack("{s:I}", "customers",
                                                                                          (json_int_t)x.count), e);
    free(x.seen);
    if (rc != 0 || db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    *count = x.count;
    return 0;
}

int outages_list(db *d, const outage_list_request *rq, outage_fn fn, void *ctx, pc_err *e)
{
    outage_query q = {0};
    q.planned = rq->planned;
    q.open_only = rq->open_only;
    q.limit = rq->limit;
    q.offset = rq->offset;
    if (rq->month) {
        civil_month m;
        if (month_parse(rq->month, &m, e) != 0)
            return pc_err_prefix(e, "month");
        q.month = m;
    }
    char path[160];
    if (org_scope_path(d, rq->scope, path, &q.scope_path, e) != 0)
        return -1;
    return outage_list(d, &q, fn, ctx, e);
}

const char *outage_status(const outage_row *r)
{
    return r->cancelled_at[0] ? "cancelled" : r->end_at[0] ? "closed" : "open";
}

json_t *outage_json(const outage_row *r)
{
    char m[MONTH_FMT_MAX];
    json_t *o = json_pack("{s:I, s:s, s:s, s:b, s:s, s:s?, s:s, s:o, s:s, s:s?, s:I, s:s?, s:s?, s:b, s:s, s:s, s:s?, s:s?, "
                     "s:s}",
                     "id", (json_int_t)r->id, "scope", r->org_code, "scope_name", r->org_name, "planned", r->planned,
                     "start", r->start_at, "end", or_null(r->end_at), "month", month_format(r->month, m), "minutes",
                     r->minutes >= 0 ? json_integer(r->minutes) : json_null(), "affected_by", r->affected_by,
                     "selector", or_null(r->selector), "customers", (json_int_t)r->customers, "cause",
                     or_null(r->cause), "note", or_null(r->note), "notice_late", r->notice_late, "created_at",
                     r->created_at, "created_by", r->created_by, "closed_at", or_null(r->closed_at), "closed_by",
                     or_null(r->closed_by), "kind",
                     r->minutes < 0 ? "ongoing" : rel_is_sustained(r->minutes * 60) ? "sustained" : "momentary");
    /* added by the cancellation (033): the status and, for a cancelled one, when, who and why */
    json_object_set_new(o, "status", json_string(outage_status(r)));
    json_object_set_new(o, "cancelled_at", r->cancelled_at[0] ? json_string(r->cancelled_at) : json_null());
    json_object_set_new(o, "cancelled_by", r->cancelled_at[0] ? json_string(r->cancelled_by) : json_null());
    json_object_set_new(o, "cancel_reason", r->cancelled_at[0] ? json_string(r->cancel_reason) : json_null());
    return o;
}

/* ---- the reliability report ---- */

typedef struct {
    reliability_row *rows;
    int n, cap;
    const char *scope_path;
    pc_err *e;
    int failed;
} rows_ctx;

static int collect_node(void *ctx, const org_row *o, const org_counts *counts)
{
    (void)counts;
    rows_ctx *x = ctx;
    bool top = x->scope_path ? strcmp(o->path, x->scope_path) == 0 : o->parent_id == 0;
    if (!top && strcmp(o->level, "unit") != 0)
        return 0;
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 16;
        reliability_row *t = realloc(x->rows, (size_t)x->cap * sizeof *t);
        if (!t) {
            x->failed = 1;
            return -1;
        }
        x->rows = t;
    }
    reliability_row *r = &x->rows[x->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->scope, sizeof r->scope, "%s", o->code);
    snprintf(r->name, sizeof r->name, "%s", o->name);
    snprintf(r->level, sizeof r->level, "%s", o->level);
    snprintf(r->path, sizeof r->path, "%s", o->path);
    return 0;
}

static bool under(const char *path, const char *node_path)
{
    return strncmp(path, node_path, strlen(node_path)) == 0;
}

static int add_served(void *ctx, const char *unit_path, int64_t customers, pc_err *e)
{
    (void)e;
    rows_ctx *x = ctx;
    for (int i = 0; i < x->n; i++)
        if (under(unit_path, x->rows[i].path))
            x->rows[i].r.served += customers;
    return 0;
}

/* The customers of the outage being summed go in as one interruption of the row's area. */
static int flush_row(reliability_row *r, pc_err *e)
{
    if (r->cur_outage == 0)
        return 0;
    int rc = rel_add(&r->r, r->cur_customers, r->cur_minutes * 60, e);
    r->cur_outage = r->cur_customers = r->cur_minutes = 0;
    return rc;
}

static int add_piece(void *ctx, const outage_piece *p, pc_err *e)
{
    rows_ctx *x = ctx;
    for (int i = 0; i < x->n; i++) {
        reliability_row *r = &x->rows[i];
        if (!under(p->path, r->path))
            continue;
        if (r->cur_outage != p->outage_id && flush_row(r, e) != 0)
            return -1;
        r->cur_outage = p->outage_id;
        r->cur_minutes = p->minutes;
        r->cur_customers += p->customers;
    }
    return 0;
}

int reliability_run(db *d, civil_month month, const char *scope, reliability_row **rows, int *n, pc_err *e)
{
    *rows = NULL;
    *n = 0;
    if (!month_valid(month))
        return pc_errf(e, PC_EINVAL, "month %d is not a month", (int)month);
    char path[160];
    const char *scope_path;
    if (org_scope_path(d, scope, path, &scope_path, e) != 0)
        return -1;
    rows_ctx x = {NULL, 0, 0, scope_path, e, 0};
    if (org_list(d, scope_path, 0, collect_node, &x, e) != 0 || x.failed) {
        free(x.rows);
        return x.failed ? pc_errf(e, PC_EINTERNAL, "out of memory") : -1;
    }
    int rc = outage_served(d, scope_path, add_served, &x, e);
    if (rc == 0)
        rc = outage_pieces(d, month, scope_path, add_piece, &x, e);
    for (int i = 0; rc == 0 && i < x.n; i++) {
        rc = flush_row(&x.rows[i], e);
        rel_finish(&x.rows[i].r, x.rows[i].r.served);
    }
    if (rc != 0) {
        free(x.rows);
        return -1;
    }
    *rows = x.rows;
    *n = x.n;
    return 0;
}

static void milli_fields(const rel_indices *r, char t[4][24])
{
    rel_milli_text(r->saifi_milli, t[0]);
    rel_milli_text(r->saidi_milli, t[1]);
    rel_milli_text(r->caidi_milli, t[2]);
    rel_milli_text(r->maifi_milli, t[3]);
}

static void json_text(FILE *f, const char *s)
{
    json_t *j = json_string(s);
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    fputs(t ? t : "\"\"", f);
    free(t);
    json_decref(j);
}

int reliability_report_write(db *d, civil_month month, const char *scope, const char *format, FILE *f, pc_err *e)
{
    bool json = strcmp(format, "json") == 0, csv = strcmp(format, "csv") == 0, table = strcmp(format, "table") == 0;
    if (!json && !csv && !table)
        return pc_errf(e, PC_EINVAL, "format '%s' is not json, csv or table", format);
    reliability_row *rows;
    int n;
    if (reliability_run(d, month, scope, &rows, &n, e) != 0)
        return -1;
    char m[MONTH_FMT_MAX], t[4][24];
    month_format(month, m);
    int rc = 0;
    if (json) {
        fprintf(f, "{\"report\":\"reliability\",\"month\":\"%s\",\"scope\":", m);
        if (scope && scope[0])
            json_text(f, scope);
        else
            fputs("null", f);
        fprintf(f, ",\"momentary_max_minutes\":%d,\"rows\":[", REL_MOMENTARY_MAX_SECONDS / 60);
        for (int i = 0; i < n; i++) {
            const reliability_row *r = &rows[i];
            milli_fields(&r->r, t);
            fputs(i ? ",\n{\"scope\":" : "\n{\"scope\":", f);
            json_text(f, r->scope);
            fputs(",\"name\":", f);
            json_text(f, r->name);
            fprintf(f,
                    ",\"level\":\"%s\",\"customers_served\":%lld,\"saifi\":%s,\"saidi\":%s,\"caidi\":%s,\"maifi\":%s,"
                    "\"sustained_outages\":%lld,\"momentary_outages\":%lld,\"customers_interrupted\":%lld,"
                    "\"customer_minutes\":%lld,\"momentary_customers\":%lld}",
                    r->level, (long long)r->r.served, t[0], t[1], t[2], t[3], (long long)r->r.sustained_events,
                    (long long)r->r.momentary_events, (long long)r->r.sustained_customers,
                    (long long)(r->r.customer_seconds / 60), (long long)r->r.momentary_customers);
        }
        fputs("]}\n", f);
    } else if (csv) {
        static const char *const head[] = {"scope", "name", "level", "customers_served", "saifi", "saidi", "caidi",
                                           "maifi", "sustained_outages", "momentary_outages",
                                           "customers_interrupted", "customer_minutes", "momentary_customers"};
        rc = csv_write_record(f, head, sizeof head / sizeof *head);
        for (int i = 0; rc == 0 && i < n; i++) {
            const reliability_row *r = &rows[i];
            char v[6][24];
            milli_fields(&r->r, t);
            snprintf(v[0], 24, "%lld", (long long)r->r.served);
            snprintf(v[1], 24, "%lld", (long long)r->r.sustained_events);
            snprintf(v[2], 24, "%lld", (long long)r->r.momentary_events);
            snprintf(v[3], 24, "%lld", (long long)r->r.sustained_customers);
            snprintf(v[4], 24, "%lld", (long long)(r->r.customer_seconds / 60));
            snprintf(v[5], 24, "%lld", (long long)r->r.momentary_customers);
            const char *fields[] = {r->scope, r->name, r->level, v[0], t[0], t[1], t[2], t[3], v[1], v[2], v[3],
                                    v[4], v[5]};
            rc = csv_write_record(f, fields, sizeof fields / sizeof *fields);
        }
        if (rc != 0)
            rc = pc_errf(e, PC_EIO, "writing the report failed");
    } else {
        fprintf(f, "reliability %s%s%s (sustained: over %d minutes)\n", m, scope ? ", scope " : "", scope ? scope : "",
                REL_MOMENTARY_MAX_SECONDS / 60);
        fprintf(f, "%-10s %-12s %10s %9s %10s %10s %9s\n", "scope", "level", "served", "SAIFI", "SAIDI min",
                "CAIDI min", "MAIFI");
        for (int i = 0; i < n; i++) {
            milli_fields(&rows[i].r, t);
            fprintf(f, "%-10s %-12s %10lld %9s %10s %10s %9s\n", rows[i].scope, rows[i].level,
                    (long long)rows[i].r.served, t[0], t[1], t[2], t[3]);
        }
    }
    free(rows);
    if (rc == 0 && ferror(f))
        return pc_errf(e, PC_EIO, "writing the report failed");
    return rc;
}
