/* Adjusting a customer's debt (see adjustments.h and docs/adjustments.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/adjustments.h"
#include "app/audit.h"
#include "app/locks.h"
#include "base/date.h"
#include "base/hash.h"
#include "store/invoices.h"
#include "store/payments.h"
#include "store/repo.h"

#define ADJUST_MAX_AMOUNT 1000000000000000LL

typedef enum { K_CORRECTION, K_WRITE_OFF, K_TRANSFER, K_RECLASSIFICATION, K_NONE } adjust_kind;

static const char *const kind_names[] = {"correction", "write_off", "transfer", "reclassification"};

static adjust_kind kind_of(const char *s)
{
    if (!s)
        return K_NONE;
    if (strcmp(s, "write-off") == 0)
        return K_WRITE_OFF;
    for (int k = 0; k < K_NONE; k++)
        if (strcmp(s, kind_names[k]) == 0)
            return (adjust_kind)k;
    return K_NONE;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\t')
            return true;
    return false;
}

/* "SYMBOL/NUMBER" → its parts; a clear error naming the flag otherwise. */
static int parse_invoice_name(const char *flag, const char *name, char symbol[16], int64_t *number, pc_err *e)
{
    const char *slash = strchr(name, '/');
    char *end = NULL;
    long long n = slash ? strtoll(slash + 1, &end, 10) : 0;
    if (!slash || slash == name || slash - name > 15 || !slash[1] || *end || n < 1)
        return pc_errf(e, PC_EINVAL, "%s '%s': expected SYMBOL/NUMBER, as 1K26TAA/123 or LEGACY/5", flag, name);
    memcpy(symbol, name, (size_t)(slash - name));
    symbol[slash - name] = '\0';
    *number = n;
    return 0;
}

int adjustment_request_check(const adjustment_request *q, pc_err *e)
{
    if (!q->customer_code || !q->customer_code[0])
        return pc_errf(e, PC_EINVAL, "the customer code is required");
    adjust_kind k = kind_of(q->kind);
    if (k == K_NONE)
        return pc_errf(e, PC_EINVAL, "--kind '%s': expected correction, write-off, transfer or reclassification",
                       q->kind ? q->kind : "");
    char symbol[16];
    int64_t number;
    if ((q->invoice != NULL) == (q->invoice_id != 0))
        return pc_errf(e, PC_EINVAL, "name the invoice adjusted: --invoice SYMBOL/NUMBER or --invoice-id N, one of them");
    if (q->invoice && parse_invoice_name("--invoice", q->invoice, symbol, &number, e) != 0)
        return -1;
    if (q->amount == 0)
        return pc_errf(e, PC_EINVAL, "--amount: an adjustment of 0 đồng changes nothing");
    if (q->amount > ADJUST_MAX_AMOUNT || q->amount < -ADJUST_MAX_AMOUNT)
        return pc_errf(e, PC_EINVAL, "--amount is beyond any electricity debt");
    if (k != K_CORRECTION && q->amount < 0)
        return pc_errf(e, PC_EINVAL, "--amount: give a %s as a positive amount (the amount %s)", kind_names[k],
                       k == K_WRITE_OFF ? "written off" : "moved");
    if (!q->reason || !q->reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: an adjustment needs a reason");
    if (strlen(q->reason) > 500 || has_control(q->reason))
        return pc_errf(e, PC_EINVAL, "--reason: at most 500 characters, no control characters");
    if (q->approval && (strlen(q->approval) > 255 || has_control(q->approval)))
        return pc_errf(e, PC_EINVAL, "--approval: at most 255 characters, no control characters");
    if (k == K_WRITE_OFF && (!q->approval || !q->approval[0]))
        return pc_errf(e, PC_EINVAL, "a write-off needs the approval decision: --approval 'number / approver'");
    if (q->ref && (!q->ref[0] || strlen(q->ref) > 63 || has_control(q->ref)))
        return pc_errf(e, PC_EINVAL, "--ref: 1 to 63 characters, no control characters");
    if (q->document_id < 0)
        return pc_errf(e, PC_EINVAL, "--doc: a document id is a positive number");
    bool to_invoice = q->to_invoice != NULL || q->to_invoice_id != 0;
    if (k == K_TRANSFER) {
        if (!q->to_customer || !q->to_customer[0])
            return pc_errf(e, PC_EINVAL, "a transfer needs --to CUSTOMER, the customer the debt belongs to");
        if (to_invoice)
            return pc_errf(e, PC_EINVAL, "a transfer creates the receivable of --to CUSTOMER: --to-invoice is for a "
                                         "reclassification");
    } else if (q->to_customer) {
        return pc_errf(e, PC_EINVAL, "--to CUSTOMER is for a transfer only");
    }
    if (k == K_RECLASSIFICATION) {
        if (!to_invoice)
            return pc_errf(e, PC_EINVAL, "a reclassification needs --to-invoice SYMBOL/NUMBER, the customer's invoice "
                                         "taking the amount");
        if (q->to_invoice && q->to_invoice_id)
            return pc_errf(e, PC_EINVAL, "--to-invoice or --to-invoice-id, one of them");
        if (q->to_invoice && parse_invoice_name("--to-invoice", q->to_invoice, symbol, &number, e) != 0)
            return -1;
    } else if (to_invoice) {
        return pc_errf(e, PC_EINVAL, "--to-invoice is for a reclassification only");
    }
    if (q->date) {
        civil_date dd;
        if (date_parse(q->date, &dd, e) != 0)
            return pc_err_prefix(e, "--date");
    }
    return 0;
}

/* The invoice named (or by id), which must be the customer's. */
static int invoice_of(db *d, const char *flag, const char *name, int64_t id, const payer_row *c, invoice_row *out,
                      pc_err *e)
{
    char symbol[16];
    int64_t number = 0;
    if (name && parse_invoice_name(flag, name, symbol, &number, e) != 0)
        return -1;
    if (invoice_get(d, name ? symbol : NULL, number, name ? 0 : id, out, e) != 0)
        return pc_err_prefix(e, "%s", flag);
    if (out->customer_id != c->id)
        return pc_errf(e, PC_EINVAL, "%s: invoice %s/%lld is customer %s's, not %s's", flag, out->symbol,
                       (long long)out->number, out->customer_code, c->code);
    return 0;
}

/* The content a reference stands for: everything the request decides, by ids. */
static void content_hash(adjust_kind k, const adjustment_request *q, int64_t customer_id, int64_t invoice_id,
                         int64_t to_customer_id, int64_t to_invoice_id, const char *date, char out[SHA256_HEX_LEN])
{
#define HASH_FMT "adjustment\n%s\n%lld\n%lld\n%lld\n%s\n%lld\n%lld\n%lld\n%s\n%s\n"
    const char *approval = q->approval ? q->approval : "";
    int len = snprintf(NULL, 0, HASH_FMT, kind_names[k], (long long)customer_id, (long long)invoice_id, (long long)q->amount,
                       date, (long long)to_customer_id, (long long)to_invoice_id, (long long)q->document_id, q->reason,
                       approval);
    char *text = malloc((size_t)len + 1);
    if (!text)
        abort();
    snprintf(text, (size_t)len + 1, HASH_FMT, kind_names[k], (long long)customer_id, (long long)invoice_id,
             (long long)q->amount, date, (long long)to_customer_id, (long long)to_invoice_id, (long long)q->document_id,
             q->reason, approval);
    sha256_hex(text, (size_t)len, out);
    free(text);
#undef HASH_FMT
}

typedef struct {
    adjustment_result *out;
} collect_ctx;

static int collect_row(void *ctx, const adjustment_row *r)
{
    adjustment_result *out = ((collect_ctx *)ctx)->out;
    if (out->nrows < 2)
        out->rows[out->nrows++] = *r;
    return 0;
}

static int sum_open(void *ctx, const open_bill *b)
{
    *(money *)ctx += b->open;
    return 0;
}

/* Reads the posting back (codes, invoice names) with what is open now on its invoices and for
 * its customers. */
static int finish_result(db *d, int64_t first_id, adjustment_result *out, pc_err *e)
{
    out->nrows = 0;
    collect_ctx c = {out};
    adjustment_filter f = {.group_id = first_id};
    if (adjustment_list(d, &f, collect_row, &c, e) != 0)
        return -1;
    if (out->nrows == 0)
        return pc_errf(e, PC_EINTERNAL, "adjustment %lld not found", (long long)first_id);
    /* the source side first: the row with the reference's id */
    if (out->nrows == 2 && out->rows[1].id == first_id) {
        adjustment_row t = out->rows[0];
        out->rows[0] = out->rows[1];
        out->rows[1] = t;
    }
    for (int i = 0; i < out->nrows; i++) {
        out->customer_open[i] = 0;
        if (adjustment_invoice_open(d, out->rows[i].invoice_id, NULL, &out->invoice_open[i], e) != 0 ||
            open_bills_of(d, out->rows[i].customer_id, sum_open, &out->customer_open[i], e) != 0)
            return -1;
    }
    return 0;
}

/* A decrease of `amount` (> 0) on the invoice may not exceed what is open on it at the
 * adjustment's date, nor what is open now (a later payment may have cleared part of it). */
static int decrease_fits(db *d, const invoice_row *inv, money amount, const char *date, pc_err *e)
{
    money then, now;
    if (adjustment_invoice_open(d, inv->id, date, &then, e) != 0 || adjustment_invoice_open(d, inv->id, NULL, &now, e) != 0)
        return -1;
    money limit = then < now ? then : now;
    if (amount <= limit)
        return 0;
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX], m3[MONEY_FMT_MAX];
    return pc_errf(e, PC_EINVAL,
                   "invoice %s/%lld has %s open on %s and %s open now: a decrease of %s exceeds what is open",
                   inv->symbol, (long long)inv->number, money_format(then, true, m1), date, money_format(now, true, m2),
                   money_format(amount, true, m3));
}

static int not_before_issue(const invoice_row *inv, const char *date, pc_err *e)
{
    if (strcmp(date, inv->issue_date) >= 0)
        return 0;
    return pc_errf(e, PC_EINVAL, "--date %s is before invoice %s/%lld was issued (%s)", date, inv->symbol,
                   (long long)inv->number, inv->issue_date);
}

/* Everything one posting works with (invoice rows are large: kept off the stack). */
typedef struct {
    payer_row from, to;
    invoice_row inv, target;
} adjust_work;

int adjustment_post(db *d, const char *actor, int utc_offset, const adjustment_request *q, adjustment_result *out,
                    pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (adjustment_request_check(q, e) != 0)
        return -1;
    adjust_kind k = kind_of(q->kind);
    char date[DATE_FMT_MAX], today[DATE_FMT_MAX];
    date_format(date_today(utc_offset), today);
    snprintf(date, sizeof date, "%s", q->date ? q->date : today);
    if (strcmp(date, today) > 0)
        return pc_errf(e, PC_EINVAL, "--date %s is in the future (today is %s): an adjustment is dated when it is made",
                       date, today);

    adjust_work *w = calloc(1, sizeof *w);
    if (!w)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    if (db_begin(d, e) != 0) {
        free(w);
        return -1;
    }
    /* Who and what: the customer, the invoice, the other side. */
    if (payer_get(d, q->customer_code, &w->from, e) != 0 ||
        invoice_of(d, "--invoice", q->invoice, q->invoice_id, &w->from, &w->inv, e) != 0)
        goto fail;
    if (k == K_TRANSFER) {
        if (payer_get(d, q->to_customer, &w->to, e) != 0) {
            pc_err_prefix(e, "--to");
            goto fail;
        }
        if (w->to.id == w->from.id) {
            pc_errf(e, PC_EINVAL, "--to %s: a transfer moves debt to another customer; within one customer it is a "
                                  "reclassification", q->to_customer);
            goto fail;
        }
    }
    if (k == K_RECLASSIFICATION) {
        if (invoice_of(d, "--to-invoice", q->to_invoice, q->to_invoice_id, &w->from, &w->target, e) != 0)
            goto fail;
        if (w->target.id == w->inv.id) {
            pc_errf(e, PC_EINVAL, "--to-invoice: a reclassification moves an amount between two different invoices");
            goto fail;
        }
    }

    /* The reference: a repeat returns the first posting before anything else is judged (what
     * was open then may be paid now). */
    char hash[SHA256_HEX_LEN];
    content_hash(k, q, w->from.id, w->inv.id, k == K_TRANSFER ? w->to.id : 0, k == K_RECLASSIFICATION ? w->target.id : 0,
                 date, hash);
    if (q->ref) {
        bool found;
        int64_t first_id = 0;
        char stored[SHA256_HEX_LEN];
        if (adjustment_key_find(d, q->ref, stored, &first_id, &found, e) != 0)
            goto fail;
        if (found) {
            if (finish_result(d, first_id, out, e) != 0)
                goto fail;
            if (strcmp(stored, hash) != 0) {
                char m[MONEY_FMT_MAX];
                const adjustment_row *r = &out->rows[0];
                pc_errf(e, PC_ECONFLICT,
                        "--ref %s was already posted with other content (adjustment %lld: %s of %s %s/%lld, %s, dated "
                        "%s): refused; a new adjustment needs a new reference",
                        q->ref, (long long)r->id, r->kind, r->customer_code, r->symbol, (long long)r->number,
                        money_format(r->amount, true, m), r->adj_date);
                goto fail;
            }
            out->repeated = true;
            if (db_commit(d, e) != 0)
                goto fail;
            free(w);
            return 0;
        }
    }

    /* Postings to one customer serialise (payments too): lock both in id order. A transfer
     * issues an invoice: it takes the issuing lock first, as billing runs do, so that the two
     * never wait on each other crosswise. */
    if (k == K_TRANSFER && invoice_issue_lock(d, e) != 0)
        goto fail;
    int64_t a = w->from.id, b = k == K_TRANSFER ? w->to.id : 0;
    if (b && b < a) {
        int64_t t = a;
        a = b;
        b = t;
    }
    if (payer_lock(d, a, e) != 0 || (b && payer_lock(d, b, e) != 0))
        goto fail;

    /* The rules. */
    if (not_before_issue(&w->inv, date, e) != 0 || (k == K_RECLASSIFICATION && not_before_issue(&w->target, date, e) != 0))
        goto fail;
    if (q->document_id) {
        int64_t owner;
        bool removed;
        if (adjustment_document(d, q->document_id, &owner, &removed, e) != 0) {
            pc_err_prefix(e, "--doc");
            goto fail;
        }
        if (removed) {
            pc_errf(e, PC_EINVAL, "--doc: document %lld was removed from the debt", (long long)q->document_id);
            goto fail;
        }
        if (owner != w->from.id) {
            pc_errf(e, PC_EINVAL, "--doc: document %lld belongs to another customer's debt, not %s's",
                    (long long)q->document_id, w->from.code);
            goto fail;
        }
    }
    if (lock_check_customer(d, w->from.id, date, e) != 0 ||
        (k == K_TRANSFER && lock_check_customer(d, w->to.id, date, e) != 0))
        goto fail;
    money change = k == K_CORRECTION ? q->amount : -q->amount; /* on the source invoice */
    if (change < 0 && decrease_fits(d, &w->inv, -change, date, e) != 0)
        goto fail;

    /* The rows. */
    adjustment_row rows[2];
    memset(rows, 0, sizeof rows);
    int n = 1;
    rows[0].customer_id = w->from.id;
    rows[0].invoice_id = w->inv.id;
    rows[0].amount = change;
    if (k == K_TRANSFER) {
        /* The receivable of the customer the debt belongs to: an invoice row of its own (symbol
         * TRANSFER) with the dates of the original, so that it keeps its age, and a total of 0:
         * the debt arrives by the pair's + row, dated the day of the transfer. Nothing is billed
         * twice, and a report as of an earlier day sees the debt where it was then. */
        invoice_row *t = &w->target;
        memset(t, 0, sizeof *t);
        t->customer_id = w->to.id;
        t->unit_id = w->to.unit_id;
        snprintf(t->kind, sizeof t->kind, "regular");
        snprintf(t->period, sizeof t->period, "%s", w->inv.period);
        snprintf(t->from_date, sizeof t->from_date, "%s", w->inv.from_date);
        snprintf(t->to_date, sizeof t->to_date, "%s", w->inv.to_date);
        snprintf(t->issue_date, sizeof t->issue_date, "%s", w->inv.issue_date);
        snprintf(t->due_date, sizeof t->due_date, "%s", w->inv.due_date);
        snprintf(t->symbol, sizeof t->symbol, "%s", ADJUST_TRANSFER_SYMBOL);
        snprintf(t->reason, sizeof t->reason, "transfer from %s %s/%lld", w->from.code, w->inv.symbol,
                 (long long)w->inv.number);
        if (adjustment_transfer_next_number(d, &t->number, e) != 0 || invoice_insert(d, t, actor, e) != 0)
            goto fail;
    }
    if (k == K_TRANSFER || k == K_RECLASSIFICATION) {
        n = 2;
        rows[1].customer_id = w->target.customer_id;
        rows[1].invoice_id = w->target.id;
        rows[1].amount = q->amount;
    }
    for (int i = 0; i < n; i++) {
        snprintf(rows[i].kind, sizeof rows[i].kind, "%s", kind_names[k]);
        snprintf(rows[i].adj_date, sizeof rows[i].adj_date, "%s", date);
        snprintf(rows[i].reason, sizeof rows[i].reason, "%s", q->reason);
        snprintf(rows[i].approval, sizeof rows[i].approval, "%s", q->approval ? q->approval : "");
        rows[i].document_id = q->document_id;
    }
    if (adjustment_insert(d, rows, n, actor, e) != 0)
        goto fail;
    /* The open items follow: a decrease to zero settles the invoice, an increase reopens it. */
    for (int i = 0; i < n; i++)
        if (open_item_apply(d, rows[i].invoice_id, rows[i].amount, e) != 0)
            goto fail;
    if (q->ref && adjustment_key_insert(d, q->ref, hash, rows[0].id, e) != 0)
        goto fail;

    char key[24], m[MONEY_FMT_MAX], name[40];
    snprintf(key, sizeof key, "%lld", (long long)rows[0].id);
    snprintf(name, sizeof name, "%s/%lld", w->inv.symbol, (long long)w->inv.number);
    json_t *detail = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "kind", kind_names[k], "customer", w->from.code,
                               "invoice", name, "invoice_id", (json_int_t)w->inv.id, "amount",
                               money_format(change, false, m), "date", date, "reason", q->reason);
    if (!detail) {
        pc_errf(e, PC_EINTERNAL, "audit: cannot encode the adjustment");
        goto fail;
    }
    if (q->approval && q->approval[0])
        json_object_set_new(detail, "approval", json_string(q->approval));
    if (q->document_id)
        json_object_set_new(detail, "document_id", json_integer(q->document_id));
    if (q->ref)
        json_object_set_new(detail, "ref", json_string(q->ref));
    if (n == 2) {
        char other[40];
        snprintf(other, sizeof other, "%s/%lld", w->target.symbol, (long long)w->target.number);
        json_object_set_new(detail, "pair_id", json_integer(rows[0].pair_id));
        json_object_set_new(detail, "to_adjustment_id", json_integer(rows[1].id));
        json_object_set_new(detail, "to_invoice", json_string(other));
        json_object_set_new(detail, "to_invoice_id", json_integer(w->target.id));
        if (k == K_TRANSFER) {
            json_object_set_new(detail, "to_customer", json_string(w->to.code));
            json_object_set_new(detail, "new_invoice_id", json_integer(w->target.id));
        }
    }
    if (audit_event(d, actor, "adjust", "debt_adjustment", key, detail, e) != 0)
        goto fail;
    if (finish_result(d, rows[0].id, out, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    free(w);
    return 0;
fail:
    db_rollback(d);
    free(w);
    return -1;
}

int adjustments_list(db *d, const char *customer_code, const char *scope_code, const char *from, const char *to,
                     adjustment_fn fn, void *ctx, pc_err *e)
{
    civil_date dd;
    if (from && date_parse(from, &dd, e) != 0)
        return pc_err_prefix(e, "--from");
    if (to && date_parse(to, &dd, e) != 0)
        return pc_err_prefix(e, "--to-date");
    adjustment_filter f = {.from = from, .to = to};
    payer_row c;
    if (customer_code) {
        if (payer_get(d, customer_code, &c, e) != 0)
            return -1;
        f.customer_id = c.id;
    }
    org_row u;
    if (scope_code) {
        if (org_get(d, scope_code, &u, e) != 0)
            return pc_err_prefix(e, "--scope");
        f.scope_path = u.path;
    }
    return adjustment_list(d, &f, fn, ctx, e);
}
