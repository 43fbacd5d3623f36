/* Posting many payments in one transaction (see posting.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/dunning.h"
#include "app/locks.h"
#include "app/posting.h"
#include "app/prepaid.h"
#include "base/date.h"
#include "base/hash.h"
#include "domain/allocate.h"
#include "store/invoices.h"

#define ID_BLOCK 1024

typedef struct {
    open_invoice inv; /* open_amount: as it stands after the batch's allocations so far */
    int64_t start;    /* the open amount when loaded (to write only what changed) */
    char symbol[16];
    char period[8];
} item;

typedef struct {
    char code[16];
    payer_row payer;
    item *items;
    int nitems;
    bool locked;
    bool prepaid; /* a prepaid customer: payments are top-ups of the balance (docs/prepaid.md) */
    char paid[11]; /* the latest payment day posted in this batch ("" when none yet) */
} cust;

/* A top-up queued for flush (after the payment rows are written). */
typedef struct {
    int cust;
    int64_t payment_id, amount;
    char date[11];
} topup;

typedef struct {
    char key[96]; /* source \x1f ext_ref */
    char hash[SHA256_HEX_LEN];
    int64_t payment_id;
} seen_key;

struct posting_batch {
    db *d;
    char actor[64];
    int utc_offset;
    /* customers by code (open addressing; index + 1, 0 = empty) */
    cust *custs;
    int ncusts, custs_cap;
    int *cust_slots;
    int cust_slots_cap;
    /* keys posted in this batch */
    seen_key *keys;
    int *key_slots;
    int nkeys, keys_cap, key_slots_cap;
    /* partners and shifts known good */
    char partners[16][24];
    int npartners;
    int64_t shifts[16];
    int nshifts;
    int64_t ids[ID_BLOCK];
    int nids, next_id;
    db_bulk *pay, *alloc, *key, *credit;
    lock_guard *locks; /* report locks (DOMAIN 10), loaded once per batch */
    topup *topups;
    int ntopups, topups_cap;
};

static uint32_t text_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

posting_batch *posting_batch_open(db *d, const char *actor, int utc_offset, pc_err *e)
{
    posting_batch *b = calloc(1, sizeof *b);
    if (!b) {
        pc_errf(e, PC_EINTERNAL, "out of memory");
        return NULL;
    }
    b->d = d;
    snprintf(b->actor, sizeof b->actor, "%s", actor);
    b->utc_offset = utc_offset;
    b->pay = db_bulk_open(d, "payment",
                          "id, customer_id, channel, method, source, ext_ref, amount, paid_at, paid_date, reverses_id, "
                          "shift_id, file_id, receipt_no, reason, created_at, created_by",
                          16, e);
    b->alloc = b->pay ? db_bulk_open(d, "payment_alloc", "payment_id, invoice_id, amount, alloc_date", 4, e) : NULL;
    b->key = b->alloc ? db_bulk_open(d, "posting_key", "source, ext_ref, content_hash, payment_id", 4, e) : NULL;
    b->credit = b->key ? db_bulk_open(d, "customer_credit",
                                      "customer_id, source, source_id, invoice_id, amount, created_at, created_by", 7, e)
                       : NULL;
    b->locks = b->credit ? lock_guard_open(d, e) : NULL;
    if (!b->locks) {
        posting_batch_close(b);
        return NULL;
    }
    return b;
}

void posting_batch_close(posting_batch *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->ncusts; i++)
        free(b->custs[i].items);
    free(b->custs);
    free(b->cust_slots);
    free(b->keys);
    free(b->key_slots);
    free(b->topups);
    db_bulk_close(b->pay);
    db_bulk_close(b->alloc);
    db_bulk_close(b->key);
    db_bulk_close(b->credit);
    lock_guard_close(b->locks);
    free(b);
}

/* ---- customers and their open items ---- */

static int collect_item(void *ctx, const open_bill *o)
{
    cust *c = ctx;
    if ((c->nitems & (c->nitems - 1)) == 0 && (c->nitems == 0 || c->nitems >= 8)) {
        int cap = c->nitems < 8 ? 8 : c->nitems * 2;
        item *v = realloc(c->items, (size_t)cap * sizeof *v);
        if (!v)
            abort();
        c->items = v;
    }
    item *it = &c->items[c->nitems++];
    memset(it, 0, sizeof *it);
    it->inv.invoice_id = o->invoice_id;
    date_parse(o->due_date, &it->inv.due_date, NULL);
    it->inv.number = o->number;
    it->inv.open_amount = o->open;
    it->start = o->open;
    snprintf(it->symbol, sizeof it->symbol, "%s", o->symbol);
    snprintf(it->period, sizeof it->period, "%s", o->period);
    return 0;
}

static void cust_rehash(posting_batch *b)
{
    int cap = b->cust_slots_cap ? b->cust_slots_cap * 2 : 1024;
    int *slots = calloc((size_t)cap, sizeof *slots);
    if (!slots)
        abort();
    for (int i = 0; i < b->ncusts; i++) {
        uint32_t h = text_hash(b->custs[i].code);
        int k = (int)(h & (uint32_t)(cap - 1));
        while (slots[k])
            k = (k + 1) & (cap - 1);
        slots[k] = i + 1;
    }
    free(b->cust_slots);
    b->cust_slots = slots;
    b->cust_slots_cap = cap;
}

static cust *customer_of(posting_batch *b, const char *code, pc_err *e)
{
    if (strlen(code) >= 16) {
        pc_errf(e, PC_ENOTFOUND, "no customer '%s'", code);
        return NULL;
    }
    if (b->cust_slots_cap) {
        uint32_t h = text_hash(code);
        for (int k = (int)(h & (uint32_t)(b->cust_slots_cap - 1)); b->cust_slots[k];
             k = (k + 1) & (b->cust_slots_cap - 1))
            if (strcmp(b->custs[b->cust_slots[k] - 1].code, code) == 0)
                return &b->custs[b->cust_slots[k] - 1];
    }
    payer_row p;
    if (payer_get(b->d, code, &p, e) != 0)
        return NULL;
    if (payer_lock(b->d, p.id, e) != 0)
        return NULL;
    if (b->ncusts == b->custs_cap) {
        b->custs_cap = b->custs_cap ? b->custs_cap * 2 : 256;
        cust *v = realloc(b->custs, (size_t)b->custs_cap * sizeof *v);
        if (!v)
            abort();
        b->custs = v;
    }
    if ((b->ncusts + 1) * 2 > b->cust_slots_cap)
        cust_rehash(b);
    cust *c = &b->custs[b->ncusts];
    memset(c, 0, sizeof *c);
    snprintf(c->code, sizeof c->code, "%s", code);
    c->payer = p;
    if (prepaid_is_active(b->d, p.id, &c->prepaid, e) != 0)
        return NULL;
    /* The open items are read after the row lock: no other posting can move them now. A
     * prepaid customer's payment goes to the balance, not to invoices. */
    if (!c->prepaid && open_bills_of(b->d, p.id, collect_item, c, e) != 0) {
        free(c->items);
        return NULL;
    }
    b->ncusts++;
    uint32_t h = text_hash(code);
    int k = (int)(h & (uint32_t)(b->cust_slots_cap - 1));
    while (b->cust_slots[k])
        k = (k + 1) & (b->cust_slots_cap - 1);
    b->cust_slots[k] = b->ncusts;
    return c;
}

/* ---- keys seen in this batch ---- */

static void keys_rehash(posting_batch *b)
{
    int cap = b->key_slots_cap ? b->key_slots_cap * 2 : 1024;
    int *slots = calloc((size_t)cap, sizeof *slots);
    if (!slots)
        abort();
    for (int i = 0; i < b->nkeys; i++) {
        int k = (int)(text_hash(b->keys[i].key) & (uint32_t)(cap - 1));
        while (slots[k])
            k = (k + 1) & (cap - 1);
        slots[k] = i + 1;
    }
    free(b->key_slots);
    b->key_slots = slots;
    b->key_slots_cap = cap;
}

static seen_key *key_seen(posting_batch *b, const char *key)
{
    if (!b->key_slots_cap)
        return NULL;
    for (int k = (int)(text_hash(key) & (uint32_t)(b->key_slots_cap - 1)); b->key_slots[k];
         k = (k + 1) & (b->key_slots_cap - 1))
        if (strcmp(b->keys[b->key_slots[k] - 1].key, key) == 0)
            return &b->keys[b->key_slots[k] - 1];
    return NULL;
}

static void key_add(posting_batch *b, const char *key, const char *hash, int64_t payment_id)
{
    if (b->nkeys == b->keys_cap) {
        b->keys_cap = b->keys_cap ? b->keys_cap * 2 : 1024;
        seen_key *v = realloc(b->keys, (size_t)b->keys_cap * sizeof *v);
        if (!v)
            abort();
        b->keys = v;
    }
    if ((b->nkeys + 1) * 2 > b->key_slots_cap)
        keys_rehash(b);
    seen_key *s = &b->keys[b->nkeys++];
    snprintf(s->key, sizeof s->key, "%s", key);
    snprintf(s->hash, sizeof s->hash, "%s", hash);
    s->payment_id = payment_id;
    int k = (int)(text_hash(key) & (uint32_t)(b->key_slots_cap - 1));
    while (b->key_slots[k])
        k = (k + 1) & (b->key_slots_cap - 1);
    b->key_slots[k] = b->nkeys;
}

/* The content a key stands for: customer, amount, day, method and the invoices named. */
static void content_hash(const payment_request *q, const char *paid_date, char out[SHA256_HEX_LEN])
{
    char text[1024];
    int len = snprintf(text, sizeof text, "payment\n%s\n%lld\n%s\n%s\n", q->customer_code, (long long)q->amount,
                       paid_date, q->method);
    for (int i = 0; i < q->ninvoices && len < (int)sizeof text; i++)
        len += snprintf(text + len, sizeof text - (size_t)len, "%s\n", q->invoices[i]);
    if (len > (int)sizeof text)
        len = (int)sizeof text;
    sha256_hex(text, (size_t)len, out);
}

static int refuse_other_content(posting_batch *b, const payment_request *q, int64_t payment_id, pc_err *e)
{
    payment_row *p = malloc(sizeof *p);
    if (!p)
        abort();
    char m[MONEY_FMT_MAX];
    if (payment_get(b->d, payment_id, p, e) == 0)
        pc_errf(e, PC_ECONFLICT,
                "%s/%s was already posted with other content (customer %s, %s, paid %s): refused; a new payment "
                "needs a new reference",
                q->source, q->ext_ref, p->customer_code, money_format(p->amount, true, m), p->paid_date);
    else
        pc_errf(e, PC_ECONFLICT, "%s/%s was already posted earlier in this file with other content: refused",
                q->source, q->ext_ref);
    free(p);
    return -1;
}

static int source_ok(posting_batch *b, const payment_request *q, pc_err *e)
{
    if (strcmp(q->channel, "counter") == 0) {
        if (strcmp(q->source, "counter") != 0)
            return pc_errf(e, PC_EINVAL, "counter postings have the source 'counter'");
    } else {
        for (int i = 0; i < b->npartners; i++)
            if (strcmp(b->partners[i], q->source) == 0)
                return 0;
        partner_row pr;
        if (partner_get(b->d, q->source, &pr, e) != 0)
            return -1;
        if (b->npartners < 16)
            snprintf(b->partners[b->npartners++], sizeof b->partners[0], "%s", q->source);
    }
    return 0;
}

static int shift_ok(posting_batch *b, int64_t shift_id, pc_err *e)
{
    for (int i = 0; i < b->nshifts; i++)
        if (b->shifts[i] == shift_id)
            return 0;
    shift_row sh;
    if (shift_get(b->d, shift_id, &sh, e) != 0)
        return -1;
    if (sh.closed)
        return pc_errf(e, PC_ECONFLICT, "shift %lld was closed at %s: open a new shift", (long long)sh.id, sh.closed_at);
    if (b->nshifts < 16)
        b->shifts[b->nshifts++] = shift_id;
    return 0;
}

/* "SYMBOL/NUMBER" among the customer's open items; a clear error otherwise. */
static int named_invoice(posting_batch *b, const cust *c, const char *name, int64_t *id, pc_err *e)
{
    const char *slash = strchr(name, '/');
    char *end;
    long long n = slash ? strtoll(slash + 1, &end, 10) : 0;
    if (!slash || slash == name || slash - name > 15 || n < 1 || *end)
        return pc_errf(e, PC_EINVAL, "invoice '%s': expected SYMBOL/NUMBER, as 1K25TAA/123", name);
    char symbol[16];
    memcpy(symbol, name, (size_t)(slash - name));
    symbol[slash - name] = '\0';
    for (int i = 0; i < c->nitems; i++)
        if (c->items[i].inv.number == n && strcmp(c->items[i].symbol, symbol) == 0) {
            if (c->items[i].inv.open_amount == 0)
                return pc_errf(e, PC_EINVAL, "invoice %s is paid already", name);
            *id = c->items[i].inv.invoice_id;
            return 0;
        }
    invoice_row *ir = malloc(sizeof *ir);
    if (!ir)
        abort();
    int rc;
    if (invoice_get(b->d, symbol, n, 0, ir, e) != 0)
        rc = pc_err_prefix(e, "invoice %s", name);
    else if (ir->customer_id != c->payer.id)
        rc = pc_errf(e, PC_EINVAL, "invoice %s is not customer %s's", name, c->code);
    else
        rc = pc_errf(e, PC_EINVAL, "invoice %s is paid already", name);
    free(ir);
    return rc;
}

int posting_batch_add(posting_batch *b, const payment_request *q, int64_t *payment_id, bool *repeated, pc_err *e)
{
    *repeated = false;
    *payment_id = 0;
    if (payment_request_check(q, e) != 0)
        return -1;
    char paid_at[20], paid_date[11];
    if (paid_at_normalize(q->paid_at, b->utc_offset, paid_at, e) != 0)
        return -1;
    snprintf(paid_date, sizeof paid_date, "%.10s", paid_at);
    char hash[SHA256_HEX_LEN], key[96];
    content_hash(q, paid_date, hash);
    snprintf(key, sizeof key, "%s\x1f%s", q->source, q->ext_ref);
    cust *c = customer_of(b, q->customer_code, e);
    if (!c)
        return -1;
    seen_key *seen = key_seen(b, key);
    if (seen) {
        if (strcmp(seen->hash, hash) != 0)
            return refuse_other_content(b, q, seen->payment_id, e);
        *repeated = true;
        *payment_id = seen->payment_id;
        return 0;
    }
    bool found;
    char stored[SHA256_HEX_LEN];
    int64_t pid;
    if (posting_key_find(b->d, q->source, q->ext_ref, &pid, stored, &found, e) != 0)
        return -1;
    if (found) {
        if (strcmp(stored, hash) != 0)
            return refuse_other_content(b, q, pid, e);
        key_add(b, key, hash, pid);
        *repeated = true;
        *payment_id = pid;
        return 0;
    }
    if (source_ok(b, q, e) != 0 || (q->shift_id && shift_ok(b, q->shift_id, e) != 0))
        return -1;
    if (lock_guard_check(b->locks, c->payer.unit_id, paid_date, e) != 0)
        return pc_err_prefix(e, "customer %s", c->code);
    if (c->prepaid && q->ninvoices > 0)
        return pc_errf(e, PC_EINVAL, "customer %s is prepaid: a top-up names no invoice", c->code);
    int64_t named[PAYMENT_MAX_NAMED];
    for (int k = 0; k < q->ninvoices; k++)
        if (named_invoice(b, c, q->invoices[k], &named[k], e) != 0)
            return -1;
    open_invoice *inv = malloc(((size_t)c->nitems + 1) * sizeof *inv);
    allocation *alloc = malloc(((size_t)c->nitems + 1) * sizeof *alloc);
    if (!inv || !alloc)
        abort();
    for (int i = 0; i < c->nitems; i++)
        inv[i] = c->items[i].inv;
    allocation_result res = {0};
    int rc = payment_allocate(inv, (size_t)c->nitems, q->amount, q->ninvoices ? named : NULL, (size_t)q->ninvoices,
                              alloc, (size_t)c->nitems + 1, &res, e);
    free(inv);
    if (rc == 0 && res.n > 64)
        rc = pc_errf(e, PC_EINVAL, "one payment may clear at most 64 invoices; name them in several payments");
    if (rc != 0) {
        free(alloc);
        return -1;
    }
    /* Queue it: nothing below refuses the request any more. */
    if (b->next_id == b->nids) {
        if (db_reserve_ids(b->d, "payment", ID_BLOCK, b->ids, e) != 0) {
            free(alloc);
            return -1;
        }
        b->nids = ID_BLOCK;
        b->next_id = 0;
    }
    int64_t id = b->ids[b->next_id++];
    char receipt[24], ts[TIMESTAMP_FMT_MAX];
    snprintf(receipt, sizeof receipt, "BN%010lld", (long long)id);
    timestamp_now(ts);
    db_bulk *p = b->pay;
    db_bulk_int(p, id);
    db_bulk_int(p, c->payer.id);
    db_bulk_text(p, q->channel);
    db_bulk_text(p, q->method);
    db_bulk_text(p, q->source);
    db_bulk_text(p, q->ext_ref);
    db_bulk_int(p, q->amount);
    db_bulk_text(p, paid_at);
    db_bulk_text(p, paid_date);
    db_bulk_text(p, NULL);
    if (q->shift_id)
        db_bulk_int(p, q->shift_id);
    else
        db_bulk_text(p, NULL);
    if (q->file_id)
        db_bulk_int(p, q->file_id);
    else
        db_bulk_text(p, NULL);
    db_bulk_text(p, receipt);
    db_bulk_text(p, NULL);
    db_bulk_text(p, ts);
    db_bulk_text(p, b->actor);
    rc = db_bulk_row(p, e);
    for (size_t i = 0; rc == 0 && i < res.n; i++) {
        db_bulk_int(b->alloc, id);
        db_bulk_int(b->alloc, alloc[i].invoice_id);
        db_bulk_int(b->alloc, alloc[i].amount);
        db_bulk_text(b->alloc, paid_date);
        rc = db_bulk_row(b->alloc, e);
        for (int k = 0; k < c->nitems; k++)
            if (c->items[k].inv.invoice_id == alloc[i].invoice_id)
                c->items[k].inv.open_amount -= alloc[i].amount;
    }
    free(alloc);
    if (rc == 0) {
        db_bulk_text(b->key, q->source);
        db_bulk_text(b->key, q->ext_ref);
        db_bulk_text(b->key, hash);
        db_bulk_int(b->key, id);
        rc = db_bulk_row(b->key, e);
    }
    if (rc == 0 && c->prepaid) {
        /* the whole amount tops up the balance at flush; no customer credit */
        if (b->ntopups == b->topups_cap) {
            b->topups_cap = b->topups_cap ? b->topups_cap * 2 : 64;
            topup *v = realloc(b->topups, (size_t)b->topups_cap * sizeof *v);
            if (!v)
                abort();
            b->topups = v;
        }
        topup *t = &b->topups[b->ntopups++];
        t->cust = (int)(c - b->custs);
        t->payment_id = id;
        t->amount = q->amount;
        snprintf(t->date, sizeof t->date, "%s", paid_date);
        res.excess = 0;
    }
    if (rc == 0 && res.excess > 0) {
        db_bulk_int(b->credit, c->payer.id);
        db_bulk_text(b->credit, "payment");
        db_bulk_int(b->credit, id);
        db_bulk_text(b->credit, NULL);
        db_bulk_int(b->credit, res.excess);
        db_bulk_text(b->credit, ts);
        db_bulk_text(b->credit, b->actor);
        rc = db_bulk_row(b->credit, e);
    }
    if (rc != 0)
        return pc_errf(e, e && e->code == PC_ECONFLICT ? PC_ECONFLICT : PC_EDB, "posting %s/%s: %s", q->source,
                       q->ext_ref, e ? e->msg : "failed");
    key_add(b, key, hash, id);
    if (strcmp(paid_date, c->paid) > 0)
        snprintf(c->paid, sizeof c->paid, "%s", paid_date);
    *payment_id = id;
    return 0;
}

int posting_batch_flush(posting_batch *b, pc_err *e)
{
    if (db_bulk_flush(b->pay, e) != 0 || db_bulk_flush(b->alloc, e) != 0 || db_bulk_flush(b->key, e) != 0 ||
        db_bulk_flush(b->credit, e) != 0)
        return -1;
    for (int i = 0; i < b->ntopups; i++) {
        const topup *t = &b->topups[i];
        if (prepaid_topup(b->d, b->actor, b->custs[t->cust].payer.id, t->payment_id, t->amount, t->date, e) != 0)
            return -1;
    }
    b->ntopups = 0;
    /* Each open item the batch moved, written once. */
    for (int i = 0; i < b->ncusts; i++) {
        cust *c = &b->custs[i];
        for (int k = 0; k < c->nitems; k++) {
            item *it = &c->items[k];
            if (it->inv.open_amount != it->start) {
                if (open_item_apply(b->d, it->inv.invoice_id, it->inv.open_amount - it->start, e) != 0)
                    return -1;
                it->start = it->inv.open_amount;
            }
        }
        /* A customer cut for debt who has paid everything overdue gets a reconnection order
         * at once (DOMAIN 7). */
        if (c->paid[0]) {
            if (dunning_after_payment(b->d, b->actor, c->payer.id, c->paid, e) != 0)
                return -1;
            c->paid[0] = '\0';
        }
    }
    return 0;
}
