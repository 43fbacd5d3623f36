/* The billing run and invoice corrections (see billing.h). */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/billing.h"
#include "app/audit.h"
#include "app/locks.h"
#include "app/org.h"
#include "base/log.h"
#include "store/payments.h"
#include "store/repo.h"

/* Customers per transaction. PostgreSQL pays a round trip per statement and per COPY, so its
 * chunks are larger; SQLite's stay short for other writers that wait on its one writer (a
 * counter posting waits ~30 ms at most; 500 made the 1M-invoice run ~20% slower). */
#define BATCH_CUSTOMERS 1000
#define BATCH_CUSTOMERS_PG 5000

void einvoice_symbol(const pc_config *cfg, const char *company_code, int year, char out[16])
{
    const company_config *cc = config_company(cfg, company_code);
    char suffix[3];
    if (cc && cc->einvoice_suffix[0]) {
        memcpy(suffix, cc->einvoice_suffix, 3);
    } else {
        int n = atoi(company_code + 2); /* PA01 → 1 */
        n = n > 0 ? n - 1 : 0;
        suffix[0] = (char)('A' + (n / 26) % 26);
        suffix[1] = (char)('A' + n % 26);
        suffix[2] = '\0';
    }
    snprintf(out, 16, "1K%02dT%s", year % 100, suffix);
}

/* Numbers handed out in the open transaction, per company and year. */
typedef struct {
    int64_t company_id;
    int year;
    char symbol[16];
    int64_t last_committed, last_used;
} series_slot;

typedef struct {
    db *d;
    const char *actor;
    const pc_config *cfg;
    const tariff_set *t;
    const bill_options *o;
    bill_summary *sum;
    series_slot slots[64];
    int nslots;
    billable_read *reads;
    size_t nreads, cap;
    struct credit_slot {
        int64_t customer_id, balance;
    } *credits; /* positive credit balances of the chunk's customers, by id */
    size_t ncredits, credits_cap;
    invoice_writer *w;
    lock_guard *locks; /* report locks: no invoice dated in a locked month of a locked unit */
    long crash_after; /* test hook: SIGKILL after this many invoices (POWERCIS_CRASH_AFTER_INVOICES) */
} run_ctx;

static int next_number(run_ctx *x, int64_t company_id, const char *company_code, int year, char symbol[16],
                       int64_t *number, pc_err *e)
{
    series_slot *s = NULL;
    for (int i = 0; i < x->nslots; i++)
        if (x->slots[i].company_id == company_id && x->slots[i].year == year)
            s = &x->slots[i];
    if (!s) {
        if (x->nslots == (int)(sizeof x->slots / sizeof *x->slots))
            return pc_errf(e, PC_EINTERNAL, "too many e-invoice series in one chunk");
        s = &x->slots[x->nslots++];
        s->company_id = company_id;
        s->year = year;
        char fresh[16];
        einvoice_symbol(x->cfg, company_code, year, fresh);
        if (series_current(x->d, company_id, year, fresh, s->symbol, &s->last_committed, e) != 0)
            return -1;
        s->last_used = s->last_committed;
    }
    *number = ++s->last_used;
    snprintf(symbol, 16, "%s", s->symbol);
    return 0;
}

static int by_series(const void *a, const void *b)
{
    const series_slot *p = a, *q = b;
    if (p->company_id != q->company_id)
        return p->company_id < q->company_id ? -1 : 1;
    return (p->year > q->year) - (p->year < q->year);
}

/* Moves the series in one order (company, year), so that two runs committing at once wait for
 * each other instead of deadlocking. */
static int flush_series(run_ctx *x, pc_err *e)
{
    qsort(x->slots, (size_t)x->nslots, sizeof *x->slots, by_series);
    for (int i = 0; i < x->nslots; i++) {
        series_slot *s = &x->slots[i];
        if (s->last_used != s->last_committed &&
            series_advance(x->d, s->company_id, s->year, s->last_committed, s->last_used, e) != 0)
            return -1;
    }
    x->nslots = 0;
    return 0;
}

static void lines_from_rating(invoice_row *inv, const rate_result *r, int sign)
{
    for (int i = 0; i < r->nlines && inv->nlines < INVOICE_MAX_LINES; i++) {
        invoice_line_row *l = &inv->lines[inv->nlines++];
        l->line_no = inv->nlines;
        date_format(r->lines[i].from, l->part_from);
        date_format(r->lines[i].to, l->part_to);
        snprintf(l->item, sizeof l->item, "%s", r->lines[i].item);
        l->kwh = sign * r->lines[i].kwh;
        l->price = r->lines[i].price;
        l->amount = sign * r->lines[i].amount;
    }
}

static int request_for(const customer *c, civil_date r0, civil_date r1, rate_request *q, pc_err *e)
{
    memset(q, 0, sizeof *q);
    q->purpose = c->purpose;
    q->voltage = c->voltage[0] ? voltage_index(c->voltage) : -1;
    q->previous_reading = r0;
    q->reading = r1;
    q->households = c->households;
    q->renter = c->renter;
    q->persons = c->persons;
    if (!purpose_is_residential(c->purpose) && q->voltage < 0)
        return pc_errf(e, PC_EINVAL, "customer %s: contract has no voltage band", c->code);
    return 0;
}

static int collect_credit(void *ctx, int64_t customer_id, int64_t balance)
{
    run_ctx *x = ctx;
    if (x->ncredits == x->credits_cap) {
        x->credits_cap = x->credits_cap ? x->credits_cap * 2 : 64;
        x->credits = realloc(x->credits, x->credits_cap * sizeof *x->credits);
        if (!x->credits)
            abort();
    }
    x->credits[x->ncredits].customer_id = customer_id;
    x->credits[x->ncredits++].balance = balance;
    return 0;
}

static int64_t *credit_of(run_ctx *x, int64_t customer_id)
{
    size_t lo = 0, hi = x->ncredits;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->credits[mid].customer_id < customer_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->ncredits && x->credits[lo].customer_id == customer_id ? &x->credits[lo].balance : NULL;
}

/* One reading period of one customer: the regular read at reads[last] and the final reads of
 * replaced meters before it. */
static int bill_group(run_ctx *x, const billable_read *g, size_t n, pc_err *e)
{
    const billable_read *reg = &g[n - 1];
    const customer *c = &reg->terms;
    /* The period starts at the read the first read of the group measures from (with a meter
     * replaced, the old meter's previous read). */
    const char *start = g[0].prev_date;
    if (!start[0])
        return pc_errf(e, PC_EINTERNAL, "customer %s: read %lld has no earlier read", reg->customer_code,
                       (long long)g[0].read_id);
    civil_date r0, r1;
    date_parse(start, &r0, NULL);
    date_parse(reg->read_date, &r1, NULL);
    rate_request q;
    if (request_for(c, r0, r1, &q, e) != 0)
        return -1;
    bool registers = c->tou;
    for (size_t i = 0; i < n; i++)
        registers = registers && g[i].has_registers;
    q.registers = registers;
    for (size_t i = 0; i < n; i++) {
        q.kwh += g[i].kwh_total;
        for (int k = 0; k < 3; k++)
            q.reg_kwh[k] += g[i].kwh_reg[k];
    }
    rate_result r;
    if (tariff_rate(x->t, &q, &r, e) != 0)
        return pc_err_prefix(e, "customer %s, period %s..%s", c->code, start, reg->read_date);
    if (r.kwh == 0) {
        x->sum->zero++;
        return 0;
    }
    invoice_row inv;
    memset(&inv, 0, sizeof inv);
    inv.customer_id = reg->customer_id;
    inv.unit_id = reg->unit_id;
    inv.residential = purpose_is_residential(c->purpose);
    strcpy(inv.kind, "regular");
    {
        char issue[DATE_FMT_MAX];
        if (lock_guard_check(x->locks, reg->unit_id, date_format(x->o->issue_date, issue), e) != 0) {
            e->code = PC_EINVAL; /* not a race to retry: the run's issue date is closed for this unit */
            return pc_err_prefix(e, "customer %s", c->code);
        }
    }
    snprintf(inv.period, sizeof inv.period, "%.7s", reg->read_date);
    date_format(r0 + 1, inv.from_date);
    snprintf(inv.to_date, sizeof inv.to_date, "%s", reg->read_date);
    date_format(x->o->issue_date, inv.issue_date);
    date_format(x->o->issue_date + c->payment_term_days, inv.due_date);
    int y, m, dd;
    date_to_ymd(x->o->issue_date, &y, &m, &dd);
    if (next_number(x, reg->company_id, reg->company_code, y, inv.symbol, &inv.number, e) != 0)
        return -1;
    inv.kwh = r.kwh;
    inv.energy = r.energy;
    inv.vat_rate = r.vat_rate;
    inv.vat = r.vat;
    inv.total = r.total;
    lines_from_rating(&inv, &r, 1);
    /* Customer credit (a solar purchase, later a payment's excess) is used at issue, up to the
     * invoice total; what is left waits for the next invoice (DOMAIN 7). */
    int64_t *credit = credit_of(x, reg->customer_id);
    if (credit && *credit > 0 && inv.total > 0)
        inv.credit_applied = *credit < inv.total ? *credit : inv.total;
    int64_t read_ids[64];
    if (n > sizeof read_ids / sizeof *read_ids)
        return pc_errf(e, PC_EINVAL, "customer %s: more than 64 reads in one period", reg->customer_code);
    for (size_t i = 0; i < n; i++)
        read_ids[i] = g[i].read_id;
    if (invoice_writer_add(x->w, &inv, read_ids, (int)n, e) != 0)
        return -1;
    if (inv.credit_applied) {
        *credit -= inv.credit_applied;
        x->sum->credit += inv.credit_applied;
    }
    x->sum->invoices++;
    x->sum->reads += (int64_t)n;
    x->sum->kwh += r.kwh;
    x->sum->energy += r.energy;
    x->sum->vat += r.vat;
    x->sum->total += r.total;
    if (x->crash_after && x->sum->invoices == x->crash_after)
        raise(SIGKILL); /* test hook: a crash in the middle of a chunk */
    return 0;
}

static int collect(void *ctx, const billable_read *r)
{
    run_ctx *x = ctx;
    if (x->nreads == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 4096;
        x->reads = realloc(x->reads, x->cap * sizeof *x->reads);
        if (!x->reads)
            abort();
    }
    x->reads[x->nreads++] = *r;
    return 0;
}

/* Groups the collected reads: per customer, each regular read closes a period that also takes
 * the final reads before it. Finals after the last regular read wait for the next period. */
static int bill_collected(run_ctx *x, pc_err *e)
{
    size_t i = 0;
    while (i < x->nreads) {
        size_t start = i;
        int64_t cust = x->reads[i].customer_id;
        x->sum->customers++;
        for (; i < x->nreads && x->reads[i].customer_id == cust; i++) {
            if (strcmp(x->reads[i].kind, "regular") != 0)
                continue;
            if (bill_group(x, x->reads + start, i - start + 1, e) != 0)
                return -1;
            start = i + 1;
        }
    }
    return 0;
}

int billing_run(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, const bill_options *o,
                bill_summary *sum, pc_err *e)
{
    memset(sum, 0, sizeof *sum);
    double t0 = monotonic_seconds();
    char path[160], first[DATE_FMT_MAX], last[DATE_FMT_MAX];
    const char *scope_path;
    if (org_scope_path(d, o->scope, path, &scope_path, e) != 0)
        return -1;
    date_format(month_first_day(o->period), first);
    date_format(month_last_day(o->period), last);
    run_ctx x = {.d = d, .actor = actor, .cfg = cfg, .t = t, .o = o, .sum = sum};
    const char *crash = getenv("POWERCIS_CRASH_AFTER_INVOICES");
    x.crash_after = crash ? atol(crash) : 0;
    int chunk = o->chunk > 0 ? o->chunk : db_engine_of(d) == DB_POSTGRES ? BATCH_CUSTOMERS_PG : BATCH_CUSTOMERS;
    int64_t *ids = malloc(sizeof *ids * (size_t)chunk);
    if (!ids)
        abort();
    int64_t after = 0;
    int rc = 0, retries = 0;
    x.w = invoice_writer_open(d, actor, e);
    x.locks = x.w ? lock_guard_open(d, e) : NULL;
    if (!x.locks) {
        invoice_writer_close(x.w);
        free(ids);
        return -1;
    }
    /* Time spent finding customers, reading their reads, rating and writing, committing: logged
     * at debug level so an operator can see where a slow run spends it. */
    double t_find = 0, t_reads = 0, t_bill = 0, t_commit = 0, mark;
    for (;;) {
        int n;
        mark = monotonic_seconds();
        if (scope_customers(d, scope_path, o->route, after, chunk, ids, &n, e) != 0) {
            rc = -1;
            break;
        }
        t_find += monotonic_seconds() - mark;
        if (n == 0)
            break;
        x.nreads = 0;
        bill_summary before = *sum;
        if (db_begin(d, e) != 0) {
            rc = -1;
            break;
        }
        mark = monotonic_seconds();
        x.ncredits = 0;
        int ok = invoice_issue_lock(d, e) == 0 &&
                 billable_reads(d, first, last, ids[0], ids[n - 1], collect, &x, e) == 0 &&
                 credit_balances(d, ids[0], ids[n - 1], collect_credit, &x, e) == 0;
        t_reads += monotonic_seconds() - mark;
        mark = monotonic_seconds();
        ok = ok && bill_collected(&x, e) == 0;
        t_bill += monotonic_seconds() - mark;
        mark = monotonic_seconds();
        /* The series first: its row lock orders concurrent runs before their rows go out. */
        ok = ok && flush_series(&x, e) == 0 && invoice_writer_flush(x.w, e) == 0;
        ok = ok && db_commit(d, e) == 0;
        t_commit += monotonic_seconds() - mark;
        if (!ok) {
            db_rollback(d);
            invoice_writer_discard(x.w);
            x.nslots = 0;
            *sum = before;
            /* Another run took numbers or billed some of these reads meanwhile: the chunk is
             * read again and billed afresh (what is billed now is left out). */
            if (e && e->code == PC_ECONFLICT && ++retries <= 5) {
                log_event(LOG_INFO, "bill.retry", "after_customer=%lld attempt=%d reason=\"%s\"", (long long)after,
                          retries, e->msg);
                continue;
            }
            rc = -1;
            break;
        }
        retries = 0;
        after = ids[n - 1];
    }
    log_event(LOG_DEBUG, "bill.run", "find_s=%.3f reads_s=%.3f rate_write_s=%.3f commit_s=%.3f", t_find, t_reads,
              t_bill, t_commit);
    free(ids);
    free(x.reads);
    free(x.credits);
    invoice_writer_close(x.w);
    lock_guard_close(x.locks);
    sum->seconds = monotonic_seconds() - t0;
    if (rc != 0)
        return -1;
    char pm[MONTH_FMT_MAX], issue[DATE_FMT_MAX];
    json_t *detail = json_pack("{s:s, s:s?, s:s?, s:s, s:I, s:I, s:I}", "period", month_format(o->period, pm), "scope",
                               o->scope, "route", o->route, "issue_date", date_format(o->issue_date, issue), "invoices",
                               (json_int_t)sum->invoices, "total", (json_int_t)sum->total, "reads", (json_int_t)sum->reads);
    rc = audit_event(d, actor, "bill.run", "period", pm, detail, e);
    return rc;
}

/* What is still open on one of the customer's invoices (0 when settled). */
typedef struct {
    int64_t invoice_id, open;
} open_probe;

static int probe_bill(void *ctx, const open_bill *b)
{
    open_probe *p = ctx;
    if (b->invoice_id == p->invoice_id)
        p->open = b->open;
    return 0;
}

static int open_of(db *d, int64_t customer_id, int64_t invoice_id, int64_t *open, pc_err *e)
{
    open_probe p = {invoice_id, 0};
    if (open_bills_of(d, customer_id, probe_bill, &p, e) != 0)
        return -1;
    *open = p.open;
    return 0;
}

/* Applies amount of the customer's credit to an open invoice (target): a payment of channel
 * 'credit' (not money received: collections, digests and notices leave it out; no posting key,
 * so it cannot be reversed as a payment) allocated to the invoice, and the matching use of
 * credit (-amount, source 'payment'). Dated the correcting invoice's issue date; its reference
 * names the correcting invoice and the target, so it is unique. */
static int credit_apply(db *d, const char *actor, const invoice_row *by, const invoice_row *target, int64_t amount,
                        pc_err *e)
{
    if (amount <= 0)
        return 0;
    payment_row p;
    memset(&p, 0, sizeof p);
    p.customer_id = by->customer_id;
    snprintf(p.channel, sizeof p.channel, "credit");
    snprintf(p.method, sizeof p.method, "transfer");
    snprintf(p.source, sizeof p.source, "credit");
    snprintf(p.ext_ref, sizeof p.ext_ref, "credit:%s/%lld>%s/%lld", by->symbol, (long long)by->number, target->symbol,
             (long long)target->number);
    p.amount = amount;
    snprintf(p.paid_at, sizeof p.paid_at, "%s 00:00:00", by->issue_date);
    snprintf(p.paid_date, sizeof p.paid_date, "%s", by->issue_date);
    snprintf(p.reason, sizeof p.reason, "credit of invoice %s/%lld", by->symbol, (long long)by->number);
    p.nalloc = 1;
    p.alloc[0].invoice_id = target->id;
    p.alloc[0].amount = amount;
    if (payment_insert(d, &p, actor, e) != 0)
        return -1;
    return credit_add(d, by->customer_id, "payment", p.id, target->id, -amount, actor, e);
}

/* What a correction does to what is owed, in its transaction (DOMAIN 5, docs/cli.md):
 * - an adjusting invoice of -X: X becomes customer credit (source 'invoice'), applied to what is
 *   still open on the original; the rest waits for the next bills;
 * - a replacing invoice: the original is cancelled, its total T1 becomes credit; the credit closes
 *   what is open on the original, and what that leaves (what had been paid on it, in money or
 *   credit) is applied to the replacement, up to its total;
 * - a positive adjusting invoice keeps its own open item (written by invoice_insert). */
static int settle_correction(db *d, const char *actor, const invoice_row *orig, const invoice_row *corr, int replace,
                             int64_t *credited, int64_t *applied, pc_err *e)
{
    *credited = *applied = 0;
    int64_t credit = replace ? orig->total : -corr->total;
    if (credit <= 0)
        return 0;
    int64_t open;
    if (payer_lock(d, orig->customer_id, e) != 0 ||
        credit_add(d, orig->customer_id, "invoice", 0, corr->id, credit, actor, e) != 0 ||
        open_of(d, orig->customer_id, orig->id, &open, e) != 0)
        return -1;
    *credited = credit;
    int64_t to_orig = open < credit ? open : credit;
    if (credit_apply(d, actor, corr, orig, to_orig, e) != 0)
        return -1;
    *applied = to_orig;
    if (replace) {
        int64_t freed = credit - to_orig, to_new = freed < corr->total ? freed : corr->total;
        if (credit_apply(d, actor, corr, corr, to_new, e) != 0)
            return -1;
        if (to_new > 0)
            *applied += to_new;
    }
    return 0;
}

int invoice_correct(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, int64_t original_id,
                    const corrected_kwh *k, int replace, const char *reason, civil_date issue_date, invoice_row *out,
                    pc_err *e)
{
    if (!reason || !reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: a corrected invoice needs a reason");
    invoice_row orig;
    if (db_begin(d, e) != 0)
        return -1;
    run_ctx x = {.d = d, .actor = actor, .cfg = cfg, .t = t};
    customer c;
    org_row unit, company;
    if (invoice_issue_lock(d, e) != 0 || invoice_get(d, NULL, 0, original_id, &orig, e) != 0 ||
        customer_get_by_id(d, orig.customer_id, orig.to_date, &c, e) != 0)
        goto fail;
    if (strcmp(orig.kind, "regular") != 0) {
        pc_errf(e, PC_EINVAL, "invoice %s/%lld is itself a correction: correct the original invoice",
                orig.symbol, (long long)orig.number);
        goto fail;
    }
    /* A replaced invoice is cancelled: it is corrected no more. One with adjusting invoices is
     * adjusted again rather than replaced (a replacement would leave the adjustments billed). */
    int64_t replaced_by, adjusted_by = 0, other_number;
    char other_symbol[16];
    if (invoice_corrected_by(d, orig.customer_id, orig.id, "replacing", &replaced_by, other_symbol, &other_number, e))
        goto fail;
    if (!replaced_by && replace &&
        invoice_corrected_by(d, orig.customer_id, orig.id, "adjusting", &adjusted_by, other_symbol, &other_number, e))
        goto fail;
    if (replaced_by) {
        pc_errf(e, PC_ECONFLICT, "invoice %s/%lld was replaced by %s/%lld: it cannot be corrected again", orig.symbol,
                (long long)orig.number, other_symbol, (long long)other_number);
        goto fail;
    }
    if (adjusted_by) {
        pc_errf(e, PC_ECONFLICT, "invoice %s/%lld was adjusted by %s/%lld: adjust it again instead of replacing it",
                orig.symbol, (long long)orig.number, other_symbol, (long long)other_number);
        goto fail;
    }
    if (org_get(d, c.unit, &unit, e) != 0 || org_get(d, unit.parent_code, &company, e) != 0)
        goto fail;
    civil_date from, to;
    date_parse(orig.from_date, &from, NULL);
    date_parse(orig.to_date, &to, NULL);
    rate_request q;
    if (request_for(&c, from - 1, to, &q, e) != 0)
        goto fail;
    q.registers = k->registers;
    q.kwh = k->kwh;
    memcpy(q.reg_kwh, k->reg_kwh, sizeof q.reg_kwh);
    rate_result r;
    if (tariff_rate(t, &q, &r, e) != 0)
        goto fail;
    memset(out, 0, sizeof *out);
    out->customer_id = orig.customer_id;
    out->unit_id = orig.unit_id;
    snprintf(out->kind, sizeof out->kind, "%s", replace ? "replacing" : "adjusting");
    out->refers_to = orig.id;
    memcpy(out->period, orig.period, sizeof out->period);
    memcpy(out->from_date, orig.from_date, sizeof out->from_date);
    memcpy(out->to_date, orig.to_date, sizeof out->to_date);
    date_format(issue_date, out->issue_date);
    date_format(issue_date + c.payment_term_days, out->due_date);
    snprintf(out->reason, sizeof out->reason, "%s", reason);
    out->vat_rate = r.vat_rate;
    if (replace) {
        out->kwh = r.kwh;
        out->energy = r.energy;
        out->vat = r.vat;
        out->total = r.total;
        lines_from_rating(out, &r, 1);
    } else {
        out->kwh = r.kwh - orig.kwh;
        out->energy = r.energy - orig.energy;
        out->vat = r.vat - orig.vat;
        out->total = r.total - orig.total;
        for (int i = 0; i < orig.nlines && out->nlines < INVOICE_MAX_LINES; i++) {
            invoice_line_row *l = &out->lines[out->nlines++];
            *l = orig.lines[i];
            l->line_no = out->nlines;
            l->kwh = -l->kwh;
            l->amount = -l->amount;
        }
        lines_from_rating(out, &r, 1);
    }
    int y, m, dd;
    date_to_ymd(issue_date, &y, &m, &dd);
    if (lock_check_unit(d, out->unit_id, out->issue_date, e) != 0 ||
        next_number(&x, company.id, company.code, y, out->symbol, &out->number, e) != 0 || flush_series(&x, e) != 0 ||
        invoice_insert(d, out, actor, e) != 0)
        goto fail;
    int64_t credited, applied;
    if (settle_correction(d, actor, &orig, out, replace, &credited, &applied, e) != 0)
        goto fail;
    char key[40];
    snprintf(key, sizeof key, "%s/%lld", out->symbol, (long long)out->number);
    json_t *detail = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:I, s:I}", "kind", out->kind, "refers_to", orig.symbol,
                               "refers_to_number", (json_int_t)orig.number, "kwh", (json_int_t)r.kwh, "total",
                               (json_int_t)out->total, "reason", reason, "credited", (json_int_t)credited,
                               "credit_applied", (json_int_t)applied);
    int rc = audit_event(d, actor, replace ? "invoice.replace" : "invoice.adjust", "invoice", key, detail, e);
    if (rc != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}
