/* Collecting money (see payments.h). */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/locks.h"
#include "app/payments.h"
#include "app/posting.h"
#include "app/prepaid.h"
#include "base/date.h"
#include "base/hash.h"
#include "domain/allocate.h"
#include "store/invoices.h"
#include "store/repo.h"

static const char *const channels[] = {"counter", "partner", "file", "bank", NULL};
static const char *const methods[] = {"cash", "card", "transfer", "partner", "qr", NULL};

static bool one_of(const char *v, const char *const *set)
{
    for (; v && *set; set++)
        if (strcmp(v, *set) == 0)
            return true;
    return false;
}

int paid_at_normalize(const char *in, int utc_offset, char out[20], pc_err *e)
{
    if (!in || !in[0]) {
        time_t now = (time_t)(clock_now() + (int64_t)utc_offset * 60);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
        return 0;
    }
    size_t n = strlen(in);
    civil_date day;
    char date[11];
    if (n < 10)
        return pc_errf(e, PC_EINVAL, "paid_at '%s': expected YYYY-MM-DD[ HH:MM[:SS]]", in);
    memcpy(date, in, 10);
    date[10] = '\0';
    if (date_parse(date, &day, e) != 0)
        return pc_err_prefix(e, "paid_at '%s'", in);
    int hh = 0, mm = 0, ss = 0;
    if (n > 10) {
        const char *t = in + 11;
        bool shape = (in[10] == ' ' || in[10] == 'T') &&
                     ((n == 16 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) && t[2] == ':' &&
                       isdigit((unsigned char)t[3]) && isdigit((unsigned char)t[4])) ||
                      (n == 19 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) && t[2] == ':' &&
                       isdigit((unsigned char)t[3]) && isdigit((unsigned char)t[4]) && t[5] == ':' &&
                       isdigit((unsigned char)t[6]) && isdigit((unsigned char)t[7])));
        if (!shape)
            return pc_errf(e, PC_EINVAL, "paid_at '%s': expected YYYY-MM-DD[ HH:MM[:SS]]", in);
        hh = atoi(t);
        mm = atoi(t + 3);
        ss = n == 19 ? atoi(t + 6) : 0;
        if (hh > 23 || mm > 59 || ss > 59)
            return pc_errf(e, PC_EINVAL, "paid_at '%s': no such time of day", in);
    }
    char full[48];
    snprintf(full, sizeof full, "%s %02d:%02d:%02d", date, hh, mm, ss);
    memcpy(out, full, 19);
    out[19] = '\0';
    return 0;
}

int payment_request_check(const payment_request *q, pc_err *e)
{
    if (!q->customer_code || !q->customer_code[0])
        return pc_errf(e, PC_EINVAL, "customer code is required");
    if (!one_of(q->channel, channels))
        return pc_errf(e, PC_EINVAL, "channel '%s': expected counter, partner, file or bank", q->channel ? q->channel : "");
    if (!one_of(q->method, methods))
        return pc_errf(e, PC_EINVAL, "method '%s': expected cash, card, transfer, partner or qr", q->method ? q->method : "");
    if (!q->source || !q->source[0] || strlen(q->source) > 23)
        return pc_errf(e, PC_EINVAL, "source (partner code) is required, at most 23 characters");
    if (!q->ext_ref || !q->ext_ref[0] || strlen(q->ext_ref) > 63)
        return pc_errf(e, PC_EINVAL, "the external reference is required, at most 63 characters");
    for (const char *p = q->ext_ref; *p; p++)
        if ((unsigned char)*p < 0x20)
            return pc_errf(e, PC_EINVAL, "the external reference holds a control character");
    if (q->amount <= 0)
        return pc_errf(e, PC_EINVAL, "amount must be more than 0 đồng");
    if (q->amount > 1000000000000000LL)
        return pc_errf(e, PC_EINVAL, "amount is beyond any electricity bill");
    if (strcmp(q->channel, "counter") == 0 && !q->shift_id)
        return pc_errf(e, PC_EINVAL, "a counter posting needs the cashier's open shift");
    if (q->ninvoices < 0 || q->ninvoices > PAYMENT_MAX_NAMED)
        return pc_errf(e, PC_EINVAL, "at most %d named invoices", PAYMENT_MAX_NAMED);
    char at[20];
    if (q->paid_at && paid_at_normalize(q->paid_at, 0, at, e) != 0)
        return -1;
    return 0;
}

typedef struct {
    open_bill *v;
    int n, cap;
} bill_list;

static int collect_bill(void *ctx, const open_bill *b)
{
    bill_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        open_bill *nv = realloc(l->v, (size_t)l->cap * sizeof *nv);
        if (!nv)
            abort();
        l->v = nv;
    }
    l->v[l->n++] = *b;
    return 0;
}

static void content_hash(const char *kind, const char *code, money amount, const char *date, const char *method,
                         const char *const *names, int nnames, char out[SHA256_HEX_LEN])
{
    char text[1024];
    int len = snprintf(text, sizeof text, "%s\n%s\n%lld\n%s\n%s\n", kind, code, (long long)amount, date, method);
    for (int i = 0; i < nnames && len < (int)sizeof text; i++)
        len += snprintf(text + len, sizeof text - (size_t)len, "%s\n", names[i]);
    if (len > (int)sizeof text)
        len = (int)sizeof text;
    sha256_hex(text, (size_t)len, out);
}

static int finish_result(db *d, int64_t payment_id, int64_t customer_id, payment_result *out, pc_err *e)
{
    if (payment_get(d, payment_id, &out->p, e) != 0 || credit_balance(d, customer_id, &out->credit_balance, e) != 0)
        return -1;
    prepaid_entry top;
    bool topup;
    if (prepaid_entry_of_payment(d, payment_id, &top, &topup, e) != 0)
        return -1;
    if (topup)
        out->p.excess = 0; /* a prepaid top-up (or its reversal) went to the balance, not to credit */
    bill_list l = {0};
    if (open_bills_of(d, customer_id, collect_bill, &l, e) != 0) {
        free(l.v);
        return -1;
    }
    out->open_total = 0;
    for (int i = 0; i < l.n; i++)
        out->open_total += l.v[i].open;
    free(l.v);
    return 0;
}

/* The first posting under the key, when its content is the same; PC_ECONFLICT otherwise. */
static int repeated_posting(db *d, const char *source, const char *ref, const char *hash, bool *found,
                            int64_t *payment_id, pc_err *e)
{
    char stored[SHA256_HEX_LEN];
    if (posting_key_find(d, source, ref, payment_id, stored, found, e) != 0)
        return -1;
    if (*found && strcmp(stored, hash) != 0) {
        payment_row p;
        if (payment_get(d, *payment_id, &p, e) != 0)
            return -1;
        char m[MONEY_FMT_MAX];
        return pc_errf(e, PC_ECONFLICT,
                       "%s/%s was already posted with other content (customer %s, %s, paid %s): refused; a new "
                       "payment needs a new reference",
                       source, ref, p.customer_code, money_format(p.amount, true, m), p.paid_date);
    }
    return 0;
}

int payment_post(db *d, const char *actor, int utc_offset, const payment_request *q, payment_result *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (payment_request_check(q, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    posting_batch *b = posting_batch_open(d, actor, utc_offset, e);
    int64_t id;
    bool repeated;
    if (!b || posting_batch_add(b, q, &id, &repeated, e) != 0 || posting_batch_flush(b, e) != 0)
        goto fail;
    out->repeated = repeated;
    payer_row c;
    if (payer_get(d, q->customer_code, &c, e) != 0 || finish_result(d, id, c.id, out, e) != 0)
        goto fail;
    if (db_commit(d, e) != 0)
        goto fail;
    posting_batch_close(b);
    return 0;
fail:
    posting_batch_close(b);
    db_rollback(d);
    return -1;
}

int payment_reverse_post(db *d, const char *actor, int utc_offset, const reversal_request *q, payment_result *out,
                         pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (!q->source || !q->source[0] || !q->ext_ref || !q->ext_ref[0])
        return pc_errf(e, PC_EINVAL, "the payment to reverse is named by its source and reference");
    if (!q->reason || !q->reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: a reversal needs a reason");
    char rref[64];
    if (q->reversal_ref && q->reversal_ref[0])
        snprintf(rref, sizeof rref, "%s", q->reversal_ref);
    else if (snprintf(rref, sizeof rref, "%s/reversal", q->ext_ref) >= (int)sizeof rref)
        return pc_errf(e, PC_EINVAL, "the reference is too long to derive the reversal's; give --reversal-ref");
    char date[11];
    if (q->date) {
        civil_date dd;
        if (date_parse(q->date, &dd, e) != 0)
            return pc_err_prefix(e, "--date");
        snprintf(date, sizeof date, "%s", q->date);
    } else {
        date_format(date_today(utc_offset), date);
    }
    if (db_begin(d, e) != 0)
        return -1;
    bool found;
    int64_t orig_id;
    char stored[SHA256_HEX_LEN];
    payment_row o;
    if (posting_key_find(d, q->source, q->ext_ref, &orig_id, stored, &found, e) != 0)
        goto fail;
    if (!found) {
        /* Credit applied by an invoice correction (billing_run.c) has no posting key: it is undone
         * by correcting the invoice, not by a reversal. */
        if (strcmp(q->source, "credit") == 0 && strncmp(q->ext_ref, "credit:", 7) == 0)
            pc_errf(e, PC_EINVAL, "%s is credit applied by an invoice correction, not a payment: it is not reversed",
                    q->ext_ref);
        else
            pc_errf(e, PC_ENOTFOUND, "no payment %s/%s to reverse", q->source, q->ext_ref);
        goto fail;
    }
    if (payment_get(d, orig_id, &o, e) != 0)
        goto fail;
    if (o.reverses_id) {
        pc_errf(e, PC_EINVAL, "%s/%s is itself a reversal: post a new payment instead", q->source, q->ext_ref);
        goto fail;
    }
    char hash[SHA256_HEX_LEN], origtext[24];
    snprintf(origtext, sizeof origtext, "%lld", (long long)o.id);
    const char *names[] = {origtext};
    content_hash("reversal", o.customer_code, -o.amount, date, o.method, names, 1, hash);
    int64_t pid;
    if (repeated_posting(d, q->source, rref, hash, &found, &pid, e) != 0)
        goto fail;
    if (found) {
        out->repeated = true;
        if (finish_result(d, pid, o.customer_id, out, e) != 0)
            goto fail;
        return db_commit(d, e) == 0 ? 0 : (db_rollback(d), -1);
    }
    int64_t already;
    if (payment_reversal_of(d, o.id, &already, e) != 0)
        goto fail;
    if (already) {
        payment_row r;
        if (payment_get(d, already, &r, e) == 0)
            pc_errf(e, PC_ECONFLICT, "%s/%s was reversed already (%s/%s on %s)", q->source, q->ext_ref, r.source, r.ext_ref,
                    r.paid_date);
        goto fail;
    }
    if (strcmp(o.channel, "partner") == 0 && strcmp(o.paid_date, date) != 0) {
        pc_errf(e, PC_EINVAL, "a partner reverses a payment on its day only (%s/%s was paid %s); the unit can adjust it",
                q->source, q->ext_ref, o.paid_date);
        goto fail;
    }
    if (strcmp(date, o.paid_date) < 0) {
        pc_errf(e, PC_EINVAL, "a reversal cannot be dated before its payment (%s)", o.paid_date);
        goto fail;
    }
    if (payer_lock(d, o.customer_id, e) != 0 || lock_check_customer(d, o.customer_id, date, e) != 0)
        goto fail;
    {
        /* a prepaid top-up cleared nothing and left no credit: prepaid_after_reversal takes it back */
        prepaid_entry top;
        bool topup;
        if (prepaid_entry_of_payment(d, o.id, &top, &topup, e) != 0)
            goto fail;
        if (topup)
            o.excess = 0;
    }
    if (o.excess > 0) {
        money balance;
        if (credit_balance(d, o.customer_id, &balance, e) != 0)
            goto fail;
        if (balance < o.excess) {
            char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX];
            pc_errf(e, PC_ECONFLICT,
                    "the payment left %s of credit, of which only %s is unused (later invoices took it): the unit "
                    "must adjust instead",
                    money_format(o.excess, true, m1), money_format(balance, true, m2));
            goto fail;
        }
    }
    if (q->shift_id) {
        shift_row sh;
        if (shift_get(d, q->shift_id, &sh, e) != 0)
            goto fail;
        if (sh.closed) {
            pc_errf(e, PC_ECONFLICT, "shift %lld is closed", (long long)sh.id);
            goto fail;
        }
    }
    allocation in[64], neg[64];
    for (int i = 0; i < o.nalloc; i++) {
        in[i].invoice_id = o.alloc[i].invoice_id;
        in[i].amount = o.alloc[i].amount;
    }
    money credit_back = 0;
    if (payment_reverse(in, (size_t)o.nalloc, o.excess, neg, &credit_back, e) != 0)
        goto fail;
    payment_row r;
    memset(&r, 0, sizeof r);
    r.customer_id = o.customer_id;
    snprintf(r.channel, sizeof r.channel, "%s", o.channel);
    snprintf(r.method, sizeof r.method, "%s", o.method);
    snprintf(r.source, sizeof r.source, "%s", q->source);
    snprintf(r.ext_ref, sizeof r.ext_ref, "%s", rref);
    r.amount = -o.amount;
    char now[20];
    paid_at_normalize(NULL, utc_offset, now, NULL);
    snprintf(r.paid_at, sizeof r.paid_at, "%s %s", date, now + 11);
    snprintf(r.paid_date, sizeof r.paid_date, "%s", date);
    r.reverses_id = o.id;
    r.shift_id = q->shift_id;
    snprintf(r.reason, sizeof r.reason, "%s", q->reason);
    r.nalloc = o.nalloc;
    for (int i = 0; i < o.nalloc; i++) {
        r.alloc[i].invoice_id = neg[i].invoice_id;
        r.alloc[i].amount = neg[i].amount;
    }
    if (payment_insert(d, &r, actor, e) != 0 || posting_key_insert(d, q->source, rref, hash, r.id, e) != 0)
        goto fail;
    if (credit_back && credit_add(d, o.customer_id, "payment", r.id, 0, credit_back, actor, e) != 0)
        goto fail;
    if (prepaid_after_reversal(d, actor, o.id, r.id, date, e) != 0) /* a top-up: taken back from the balance */
        goto fail;
    char m[MONEY_FMT_MAX];
    json_t *detail = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "payment", o.receipt_no, "reversal", r.receipt_no, "key",
                               rref, "amount", money_format(o.amount, false, m), "date", date, "reason", q->reason);
    if (audit_event(d, actor, "reverse", "payment", o.receipt_no, detail, e) != 0)
        goto fail;
    if (finish_result(d, r.id, o.customer_id, out, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int account_open(db *d, const char *customer_code, open_account *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    bill_list l = {0};
    if (payer_get(d, customer_code, &out->customer, e) != 0 || open_bills_of(d, out->customer.id, collect_bill, &l, e) != 0 ||
        credit_balance(d, out->customer.id, &out->credit, e) != 0) {
        free(l.v);
        return -1;
    }
    out->bills = l.v;
    out->nbills = l.n;
    for (int i = 0; i < l.n; i++)
        out->total += l.v[i].open;
    return 0;
}

void account_free(open_account *a)
{
    free(a->bills);
    a->bills = NULL;
}

/* ---- shifts ---- */

int shift_open(db *d, const char *actor, const char *cashier, const char *unit_code, money opening_float,
               shift_row *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (!cashier || !cashier[0] || strlen(cashier) >= sizeof out->cashier)
        return pc_errf(e, PC_EINVAL, "--cashier is required (at most 63 characters)");
    if (opening_float < 0)
        return pc_errf(e, PC_EINVAL, "--float cannot be negative");
    if (db_begin(d, e) != 0)
        return -1;
    org_row u;
    if (org_get(d, unit_code, &u, e) != 0) {
        pc_err_prefix(e, "--unit");
        goto fail;
    }
    snprintf(out->cashier, sizeof out->cashier, "%s", cashier);
    out->unit_id = u.id;
    snprintf(out->unit_code, sizeof out->unit_code, "%s", u.code);
    char ts[TIMESTAMP_FMT_MAX];
    snprintf(out->opened_at, sizeof out->opened_at, "%s", timestamp_now(ts));
    out->opening_float = opening_float;
    if (shift_insert(d, out, e) != 0)
        goto fail;
    char key[24], m[MONEY_FMT_MAX];
    snprintf(key, sizeof key, "%lld", (long long)out->id);
    if (audit_event(d, actor, "open", "shift", key,
                    json_pack("{s:s, s:s, s:s}", "cashier", cashier, "unit", u.code, "float",
                              money_format(opening_float, false, m)),
                    e) != 0)
        goto fail;
    if (db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int shift_report_get(db *d, int64_t shift_id, shift_report *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (shift_get(d, shift_id, &out->shift, e) != 0 || shift_totals(d, shift_id, out->totals, &out->ntotals, e) != 0)
        return -1;
    for (int i = 0; i < out->ntotals; i++) {
        out->postings += out->totals[i].count;
        if (strcmp(out->totals[i].method, "cash") == 0)
            out->cash_total += out->totals[i].amount;
    }
    return 0;
}

int shift_close(db *d, const char *actor, int64_t shift_id, money counted, const char *note, shift_report *out,
                pc_err *e)
{
    if (counted < 0)
        return pc_errf(e, PC_EINVAL, "--counted cannot be negative");
    if (db_begin(d, e) != 0)
        return -1;
    if (shift_report_get(d, shift_id, out, e) != 0)
        goto fail;
    if (out->shift.closed) {
        pc_errf(e, PC_ECONFLICT, "shift %lld was closed at %s", (long long)shift_id, out->shift.closed_at);
        goto fail;
    }
    shift_row *s = &out->shift;
    s->expected_cash = s->opening_float + out->cash_total;
    s->counted_cash = counted;
    s->difference = counted - s->expected_cash;
    char ts[TIMESTAMP_FMT_MAX];
    snprintf(s->closed_at, sizeof s->closed_at, "%s", timestamp_now(ts));
    snprintf(s->note, sizeof s->note, "%s", note ? note : "");
    json_t *totals = json_object();
    for (int i = 0; i < out->ntotals; i++)
        json_object_set_new(totals, out->totals[i].method,
                            json_pack("{s:I, s:I}", "count", (json_int_t)out->totals[i].count, "amount",
                                      (json_int_t)out->totals[i].amount));
    char *text = json_dumps(totals, JSON_COMPACT | JSON_SORT_KEYS);
    snprintf(s->totals, sizeof s->totals, "%s", text ? text : "{}");
    free(text);
    s->closed = true;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)shift_id);
    if (shift_close_insert(d, s, actor, e) != 0 ||
        audit_event(d, actor, "close", "shift", key,
                    json_pack("{s:o, s:I, s:I, s:I, s:s?}", "totals", totals, "expected_cash", (json_int_t)s->expected_cash,
                              "counted_cash", (json_int_t)counted, "difference", (json_int_t)s->difference, "note",
                              note && note[0] ? note : NULL),
                    e) != 0)
        goto fail;
    if (db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int partner_add(db *d, const char *actor, const char *code, const char *name, const char *kind, int settlement_days,
                pc_err *e)
{
    static const char *const kinds[] = {"bank", "collector", "post", "wallet", "point", NULL};
    if (!code || !code[0] || strlen(code) > 23)
        return pc_errf(e, PC_EINVAL, "partner code is required, at most 23 characters");
    for (const char *p = code; *p; p++)
        if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
            return pc_errf(e, PC_EINVAL, "partner code '%s': capital letters, digits and _ only", code);
    if (strcmp(code, "COUNTER") == 0)
        return pc_errf(e, PC_EINVAL, "partner code COUNTER is reserved");
    if (!name || !name[0] || strlen(name) > 127)
        return pc_errf(e, PC_EINVAL, "partner name is required");
    if (!one_of(kind, kinds))
        return pc_errf(e, PC_EINVAL, "kind '%s': expected bank, collector, post, wallet or point", kind ? kind : "");
    if (settlement_days < 0 || settlement_days > 30)
        return pc_errf(e, PC_EINVAL, "settlement days must be 0..30");
    partner_row p = {0};
    snprintf(p.code, sizeof p.code, "%s", code);
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.kind, sizeof p.kind, "%s", kind);
    p.settlement_days = settlement_days;
    if (db_begin(d, e) != 0)
        return -1;
    if (partner_insert(d, &p, actor, e) != 0 ||
        audit_event(d, actor, "add", "partner", code,
                    json_pack("{s:s, s:s, s:i}", "name", name, "kind", kind, "settlement_days", settlement_days), e) != 0 ||
        db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}
