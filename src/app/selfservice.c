/* The public self-service look-up (see selfservice.h): the checks, the throttle of failed tries
 * and the customer's account as JSON. SQL lives in store/selfservice_repo.c. */
#include "app/selfservice.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "domain/vietqr.h"
#include "formats/qr_svg.h"
#include "store/payments.h"
#include "store/repo.h"
#include "store/selfservice.h"

#define SELF_BILLS 12
#define SELF_MONTHS 12

/* ---- the throttle: failed tries per key ("ip:…", "code:…") in a fixed window ----
 * In memory, per process: a restart forgets the counts, which only gives a guesser a new
 * window; a table of fixed size so that a flood cannot grow the process. A full table evicts
 * the entry whose window began first. */
#define THROTTLE_SLOTS 1024
typedef struct {
    char key[72];
    int64_t start;
    int failures;
} throttle_slot;
static throttle_slot slots[THROTTLE_SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

static throttle_slot *slot_find(const char *key)
{
    for (int i = 0; i < THROTTLE_SLOTS; i++)
        if (slots[i].key[0] && strcmp(slots[i].key, key) == 0)
            return &slots[i];
    return NULL;
}

/* Seconds until key may try again, 0 when it may now (call with slots_lock held). */
static int throttle_wait(const char *key, int64_t now)
{
    throttle_slot *s = slot_find(key);
    if (!s || s->failures < SELF_MAX_FAILURES || now >= s->start + SELF_WINDOW_SECONDS)
        return 0;
    return (int)(s->start + SELF_WINDOW_SECONDS - now);
}

static void throttle_fail(const char *key, int64_t now)
{
    throttle_slot *s = slot_find(key);
    if (!s) {
        s = &slots[0];
        for (int i = 0; i < THROTTLE_SLOTS; i++) {
            if (!slots[i].key[0]) {
                s = &slots[i];
                break;
            }
            if (slots[i].start < s->start)
                s = &slots[i];
        }
        snprintf(s->key, sizeof s->key, "%s", key);
        s->start = now;
        s->failures = 0;
    }
    if (now >= s->start + SELF_WINDOW_SECONDS || now < s->start) {
        s->start = now; /* a new window (or a clock moved back in a test) */
        s->failures = 0;
    }
    s->failures++;
}

/* ---- the checks ---- */

/* Finds the customer of code whose phone ends with phone4; every failure is the same
 * PC_ENOTFOUND and counts against the client and the code. */
static int verify(db *d, const char *client, const char *code_in, const char *phone4, payer_row *c, int *retry_after,
                  pc_err *e)
{
    *retry_after = 0;
    char code[16];
    size_t n = code_in ? strlen(code_in) : 0;
    if (n < 1 || n >= sizeof code)
        return pc_errf(e, PC_EINVAL, "the customer code has 1 to 15 letters and digits (as printed on the bill)");
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !isalnum((unsigned char)code_in[i]))
            return pc_errf(e, PC_EINVAL, "the customer code has 1 to 15 letters and digits (as printed on the bill)");
        code[i] = (char)toupper((unsigned char)code_in[i]);
    }
    if (!phone4 || strlen(phone4) != 4 || strspn(phone4, "0123456789") != 4)
        return pc_errf(e, PC_EINVAL, "phone4 must be the last 4 digits of the phone number on the contract");

    char ip_key[72], code_key[72];
    snprintf(ip_key, sizeof ip_key, "ip:%s", client ? client : "-");
    snprintf(code_key, sizeof code_key, "code:%s", code);
    int64_t now = clock_now();
    pthread_mutex_lock(&slots_lock);
    int a = throttle_wait(ip_key, now), b = throttle_wait(code_key, now);
    pthread_mutex_unlock(&slots_lock);
    if (a || b) {
        *retry_after = a > b ? a : b;
        return pc_errf(e, PC_ECONFLICT, "too many failed tries; try again in %d minutes", (*retry_after + 59) / 60);
    }

    pc_err lookup = {0};
    int rc = payer_get(d, code, c, &lookup);
    if (rc != 0 && lookup.code != PC_ENOTFOUND) {
        *e = lookup;
        return -1;
    }
    size_t pl = rc == 0 ? strlen(c->phone) : 0;
    if (rc == 0 && pl >= 4 && strcmp(c->phone + pl - 4, phone4) == 0)
        return 0;
    pthread_mutex_lock(&slots_lock);
    throttle_fail(ip_key, now);
    throttle_fail(code_key, now);
    pthread_mutex_unlock(&slots_lock);
    return pc_errf(e, PC_ENOTFOUND, SELF_NOT_FOUND_MESSAGE);
}

/* "Nguyễn Văn An" → "Nguyễn V. A.": enough for the customer to recognise, little for anyone else. */
static void mask_name(const char *name, char *out, size_t cap)
{
    size_t o = 0;
    const char *p = name;
    int word = 0;
    while (*p && o + 8 < cap) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (word > 0)
            out[o++] = ' ';
        if (word == 0) {
            size_t k = len < cap - o - 8 ? len : cap - o - 8;
            memcpy(out + o, p, k);
            o += k;
        } else {
            /* the first character, whole (UTF-8 continuation bytes are 10xxxxxx) */
            size_t k = 1;
            while (k < len && ((unsigned char)p[k] & 0xC0) == 0x80)
                k++;
            memcpy(out + o, p, k);
            o += k;
            out[o++] = '.';
        }
        p += len;
        word++;
    }
    out[o] = 0;
}

static const char *bill_status(const self_bill *b)
{
    if (b->due <= 0 || b->open <= 0)
        return "paid";
    return b->open < b->due ? "partly" : "open";
}

typedef struct {
    int64_t total, overdue;
    int count;
    char today[DATE_FMT_MAX];
} open_sum;

static int add_open(void *ctx, const open_bill *b)
{
    open_sum *s = ctx;
    s->total += b->open;
    s->count++;
    if (strcmp(b->due_date, s->today) < 0)
        s->overdue += b->open;
    return 0;
}

/* The VietQR payload for amount into out ("" when the company has no bank account set). */
static int vietqr_of(db *d, const pc_config *cfg, const payer_row *c, int64_t amount, char *out, size_t cap,
                     char purpose[32], const company_config **cc_out, pc_err *e)
{
    out[0] = 0;
    *cc_out = NULL;
    if (amount <= 0)
        return 0;
    org_row unit;
    if (org_get(d, c->unit_code, &unit, e) != 0)
        return -1;
    const company_config *cc = config_company(cfg, unit.parent_code);
    if (!cc || !cc->bank_bin[0] || !cc->bank_account[0])
        return 0;
    /* the customer code first: what reconciliation matches a transfer by */
    snprintf(purpose, 32, strlen(c->code) + 10 <= 25 ? "%s TIEN DIEN" : "%s", c->code);
    if (vietqr_payload(cc->bank_bin, cc->bank_account, amount, purpose, out, cap, e) != 0)
        return pc_err_prefix(e, "[company %s]", unit.parent_code);
    *cc_out = cc;
    return 0;
}

int selfservice_lookup(db *d, const pc_config *cfg, const char *client, const char *code, const char *phone4,
                       json_t **out, int *retry_after, pc_err *e)
{
    *out = NULL;
    payer_row c;
    if (verify(d, client, code, phone4, &c, retry_after, e) != 0)
        return -1;
    org_row unit;
    if (org_get(d, c.unit_code, &unit, e) != 0)
        return -1;
    self_bill bills[SELF_BILLS];
    self_month months[SELF_MONTHS];
    int nb = 0, nm = 0, paid_found = 0;
    char paid_at[32] = "";
    int64_t paid_amount = 0;
    open_sum os = {0};
    date_format(date_today(cfg->utc_offset_minutes), os.today);
    if (self_bills(d, c.id, bills, SELF_BILLS, &nb, e) != 0 ||
        self_consumption(d, c.id, months, SELF_MONTHS, &nm, e) != 0 ||
        self_last_payment(d, c.id, paid_at, &paid_amount, &paid_found, e) != 0 ||
        open_bills_of(d, c.id, add_open, &os, e) != 0)
        return -1;
    char payload[256], purpose[32] = "";
    const company_config *cc;
    if (vietqr_of(d, cfg, &c, os.total, payload, sizeof payload, purpose, &cc, e) != 0)
        return -1;

    char masked[256];
    mask_name(c.name, masked, sizeof masked);
    json_t *jb = json_array(), *jm = json_array();
    for (int i = 0; i < nb; i++)
        json_array_append_new(
            jb, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "period", bills[i].period, "kind",
                          bills[i].kind, "symbol", bills[i].symbol, "number", (json_int_t)bills[i].number,
                          "issue_date", bills[i].issue_date, "due_date", bills[i].due_date, "kwh",
                          (json_int_t)bills[i].kwh, "amount", (json_int_t)bills[i].total, "due",
                          (json_int_t)bills[i].due, "open", (json_int_t)bills[i].open, "status",
                          bill_status(&bills[i])));
    for (int i = 0; i < nm; i++)
        json_array_append_new(jm, json_pack("{s:s, s:I}", "month", months[i].month, "kwh", (json_int_t)months[i].kwh));
    json_t *last = paid_found ? json_pack("{s:s, s:I}", "paid_at", paid_at, "amount", (json_int_t)paid_amount)
                              : json_null();
    json_t *qr = payload[0] ? json_pack("{s:s, s:I, s:s, s:s, s:s}", "payload", payload, "amount",
                                        (json_int_t)os.total, "bank_bin", cc->bank_bin, "account", cc->bank_account,
                                        "purpose", purpose)
                            : json_null();
    const char *status = os.total <= 0 ? "paid" : os.overdue > 0 ? "overdue" : "open";
    *out = json_pack("{s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:o, s:o, s:{s:s, s:I, s:I, s:i, s:s, s:o, s:o}}",
                     "customer", "code", c.code, "name", masked, "address", c.address, "unit", "code", unit.code,
                     "name", unit.name, "bills", jb, "consumption", jm, "payment", "status", status, "open_total",
                     (json_int_t)os.total, "overdue_total", (json_int_t)os.overdue, "open_bills", os.count, "as_of",
                     os.today, "last_payment", last, "vietqr", qr);
    if (!*out)
        return pc_errf(e, PC_EINTERNAL, "self-service: out of memory");
    return 0;
}

int selfservice_qr(db *d, const pc_config *cfg, const char *client, const char *code, const char *phone4, buf *svg,
                   int *retry_after, pc_err *e)
{
    payer_row c;
    if (verify(d, client, code, phone4, &c, retry_after, e) != 0)
        return -1;
    open_sum os = {0};
    date_format(date_today(cfg->utc_offset_minutes), os.today);
    if (open_bills_of(d, c.id, add_open, &os, e) != 0)
        return -1;
    char payload[256], purpose[32] = "";
    const company_config *cc;
    if (vietqr_of(d, cfg, &c, os.total, payload, sizeof payload, purpose, &cc, e) != 0)
        return -1;
    if (!payload[0])
        return pc_errf(e, PC_ENOTFOUND, "nothing to pay by VietQR: no open amount, or no bank account configured");
    return qr_svg(payload, svg, e);
}

/* ---- service requests ---- */

#include <sodium.h>
#include <stdlib.h>

#include "app/service.h"

/* Throttle check of the keys (0: may go on). */
static int throttled(const char *k1, const char *k2, int64_t now, int *retry_after, pc_err *e)
{
    pthread_mutex_lock(&slots_lock);
    int a = throttle_wait(k1, now), b = k2 ? throttle_wait(k2, now) : 0;
    pthread_mutex_unlock(&slots_lock);
    if (a || b) {
        *retry_after = a > b ? a : b;
        return pc_errf(e, PC_ECONFLICT, "too many tries; try again in %d minutes", (*retry_after + 59) / 60);
    }
    return 0;
}

int selfservice_request_lookup(db *d, const char *client, const char *code_in, const char *phone4, json_t **out,
                               int *retry_after, pc_err *e)
{
    *out = NULL;
    *retry_after = 0;
    char code[32];
    size_t n = code_in ? strlen(code_in) : 0;
    if (n < 1 || n >= sizeof code)
        return pc_errf(e, PC_EINVAL, "the request code is printed on the receipt of the request (PA0101-2612-000042)");
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !isalnum((unsigned char)code_in[i]) && code_in[i] != '-')
            return pc_errf(e, PC_EINVAL,
                           "the request code is printed on the receipt of the request (PA0101-2612-000042)");
        code[i] = (char)toupper((unsigned char)code_in[i]);
    }
    if (!phone4 || strlen(phone4) != 4 || strspn(phone4, "0123456789") != 4)
        return pc_errf(e, PC_EINVAL, "phone4 must be the last 4 digits of the phone number given with the request");
    char ip_key[72], code_key[72];
    snprintf(ip_key, sizeof ip_key, "ip:%s", client ? client : "-");
    snprintf(code_key, sizeof code_key, "request:%s", code);
    int64_t now = clock_now();
    if (throttled(ip_key, code_key, now, retry_after, e) != 0)
        return -1;
    sreq_row r;
    pc_err lookup = {0};
    int rc = sreq_get(d, code, &r, &lookup);
    if (rc != 0 && lookup.code != PC_ENOTFOUND) {
        *e = lookup;
        return -1;
    }
    size_t pl = rc == 0 ? strlen(r.applicant_phone) : 0;
    if (rc != 0 || pl < 4 || strcmp(r.applicant_phone + pl - 4, phone4) != 0) {
        pthread_mutex_lock(&slots_lock);
        throttle_fail(ip_key, now);
        throttle_fail(code_key, now);
        pthread_mutex_unlock(&slots_lock);
        return pc_errf(e, PC_ENOTFOUND, "no request matches this code and these phone digits");
    }
    json_t *full;
    if (svc_request_detail_json(d, code, &full, e) != 0)
        return -1;
    char masked[256];
    mask_name(r.applicant_name, masked, sizeof masked);
    /* What the applicant needs: where it stands and why it waits; no staff names, no history. */
    json_t *steps = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(full, "steps"), i, s)
    {
        const char *step = json_string_value(json_object_get(s, "step"));
        json_array_append_new(steps, json_pack("{s:s, s:s, s:s, s:O, s:O, s:O}", "step", step, "name",
                                               svc_step_name(step, "vi"), "name_en", svc_step_name(step, "en"),
                                               "started_on", json_object_get(s, "started_on"), "finished_on",
                                               json_object_get(s, "finished_on"), "due_on",
                                               json_object_get(s, "due_on")));
    }
    const svc_type *t = svc_type_find(r.type);
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:O, s:o, s:I}", "code", r.code, "type",
                     r.type, "type_name", t ? t->vi : r.type, "type_name_en", t ? t->en : r.type, "applicant",
                     masked, "status", r.status, "received_on", r.received_on, "due_on", r.due_on, "step",
                     json_object_get(full, "step"), "waiting_reason", json_object_get(full, "waiting_reason"),
                     "finished_on", json_object_get(full, "finished_on"), "steps", steps, "documents",
                     (json_int_t)json_array_size(json_object_get(full, "documents")));
    json_decref(full);
    return 0;
}

int selfservice_request_submit(db *d, const void *doc_store_ptr, const char *client, json_t *body, json_t **out,
                               int *retry_after, pc_err *e)
{
    const doc_store *st = doc_store_ptr;
    *out = NULL;
    *retry_after = 0;
    char ip_key[72];
    snprintf(ip_key, sizeof ip_key, "submit:%s", client ? client : "-");
    int64_t now = clock_now();
    if (throttled(ip_key, NULL, now, retry_after, e) != 0)
        return -1;
    const char *type = json_string_value(json_object_get(body, "type"));
    if (!type || (strcmp(type, "new_supply_lv") && strcmp(type, "new_supply_mv")))
        return pc_errf(e, PC_EINVAL, "type: new_supply_lv or new_supply_mv (a change is asked at the counter or "
                                     "by the customer's account)");
    json_t *det = json_object_get(body, "details"), *docs = json_object_get(body, "documents");
    if (det && !json_is_object(det))
        return pc_errf(e, PC_EINVAL, "details: an object of text values");
    if (docs && (!json_is_array(docs) || json_array_size(docs) > SELF_MAX_DOCUMENTS))
        return pc_errf(e, PC_EINVAL, "documents: a list of at most %d files", SELF_MAX_DOCUMENTS);
    const char *keys[16], *values[16];
    int nk = 0;
    const char *k;
    json_t *v;
    json_object_foreach(det, k, v)
    {
        if (!json_is_string(v) || nk == 16)
            return pc_errf(e, PC_EINVAL, "details.%s: a text value (at most 16 details)", k);
        keys[nk] = k;
        values[nk++] = json_string_value(v);
    }
    svc_add in = {.type = type,
                  .unit = json_string_value(json_object_get(body, "unit")),
                  .name = json_string_value(json_object_get(body, "name")),
                  .phone = json_string_value(json_object_get(body, "phone")),
                  .address = json_string_value(json_object_get(body, "address")),
                  .keys = keys,
                  .values = values,
                  .nkeys = nk,
                  .owner = "",
                  .source = "self"};
    pthread_mutex_lock(&slots_lock);
    throttle_fail(ip_key, now); /* every submission counts, accepted or not */
    pthread_mutex_unlock(&slots_lock);
    if (db_begin(d, e) != 0)
        return -1;
    sreq_row r;
    if (svc_request_add(d, "self-service", &in, &r, e) != 0)
        goto fail;
    size_t i;
    json_t *doc;
    json_array_foreach(docs, i, doc)
    {
        const char *name = json_string_value(json_object_get(doc, "file_name"));
        const char *b64 = json_string_value(json_object_get(doc, "content_base64"));
        if (!name || !b64) {
            pc_errf(e, PC_EINVAL, "documents[%zu]: file_name and content_base64 are required", i);
            goto fail;
        }
        size_t cap = strlen(b64) / 4 * 3 + 3, len = 0;
        if ((int64_t)cap > st->max_bytes + 3) {
            pc_errf(e, PC_EINVAL, "documents[%zu]: larger than %lld bytes", i, (long long)st->max_bytes);
            goto fail;
        }
        unsigned char *bytes = malloc(cap ? cap : 1);
        if (!bytes || sodium_base642bin(bytes, cap, b64, strlen(b64), NULL, &len, NULL,
                                        sodium_base64_VARIANT_ORIGINAL) != 0) {
            free(bytes);
            pc_errf(e, PC_EINVAL, "documents[%zu]: content_base64 is not base64", i);
            goto fail;
        }
        sreq_doc_row dr;
        int rc = svc_request_attach(d, "self-service", st, r.code, name, bytes, len,
                                    json_string_value(json_object_get(doc, "kind")),
                                    json_string_value(json_object_get(doc, "title")), &dr, e);
        free(bytes);
        if (rc != 0) {
            pc_err_prefix(e, "documents[%zu]", i);
            goto fail;
        }
    }
    if (db_commit(d, e) != 0)
        goto fail;
    *out = json_pack("{s:s, s:s, s:s, s:s, s:I}", "code", r.code, "status", r.status, "received_on", r.received_on,
                     "due_on", r.due_on, "documents", (json_int_t)json_array_size(docs));
    return 0;
fail:
    db_rollback(d);
    return -1;
}
