/* Prepaid customers (see prepaid.h and docs/prepaid.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/customers.h"
#include "app/dunning.h"
#include "app/notify.h"
#include "app/payments.h"
#include "app/prepaid.h"
#include "app/tariffs.h"
#include "base/date.h"
#include "base/money.h"
#include "domain/prepaid.h"
#include "store/invoices.h"
#include "store/payments.h"
#include "store/repo.h"

#define MAX_EVENTS 1000

/* The configuration of paths that carry none (a payment's top-up). */
static const pc_config *config_or_defaults(const pc_config *cfg, pc_config *defaults)
{
    if (cfg)
        return cfg;
    if (config_active())
        return config_active();
    config_defaults(defaults);
    return defaults;
}

static int day_arg(const char *what, const char *s, civil_date *out, pc_err *e)
{
    if (!s || !s[0])
        return pc_errf(e, PC_EINVAL, "%s is required (YYYY-MM-DD)", what);
    if (date_parse(s, out, e) != 0)
        return pc_err_prefix(e, "%s", what);
    return 0;
}

/* Moves the balance by amount and writes the ledger row (kind, entry_date, payment_id and the
 * note from r) with the balance after it; keeps the below-zero and low-balance state. */
static int post_entry(db *d, const char *actor, prepaid_account_row *a, prepaid_entry *r, int64_t low_balance,
                      pc_err *e)
{
    a->balance += r->amount;
    r->customer_id = a->customer_id;
    r->balance = a->balance;
    if (a->balance >= 0)
        a->below_zero_since[0] = '\0';
    else if (!a->below_zero_since[0])
        snprintf(a->below_zero_since, sizeof a->below_zero_since, "%s", r->entry_date);
    if (a->balance >= low_balance)
        a->low_notified = false;
    if (prepaid_entry_insert(d, r, actor, e) != 0)
        return -1;
    return prepaid_account_save(d, a, e);
}

/* ---- switching ---- */

static int contract_mode(db *d, const char *actor, const char *code, const char *mode, const char *date,
                         const char *reason, pc_err *e)
{
    const char *keys[] = {"payment_mode"};
    const char *values[] = {mode};
    return customer_update(d, actor, code, keys, values, 1, date, reason, e);
}

int prepaid_enable(db *d, const char *actor, const char *code, const char *date, const char *reason,
                   prepaid_switch_result *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    civil_date day;
    if (day_arg("--date", date, &day, e) != 0)
        return -1;
    if (!reason || !reason[0])
        reason = "switched to prepaid";
    if (db_begin(d, e) != 0)
        return -1;
    customer c;
    prepaid_account_row a;
    bool found;
    int64_t open_count = 0, open_total = 0, unbilled = 0, credit = 0;
    open_account acc;
    memset(&acc, 0, sizeof acc);
    if (customer_get(d, code, date, &c, e) != 0)
        goto fail;
    if (payer_lock(d, c.id, e) != 0 || prepaid_account_get(d, c.id, &a, &found, e) != 0)
        goto fail;
    if (found && a.active) {
        pc_errf(e, PC_ECONFLICT, "customer %s is prepaid already (since %s)", code, a.since);
        goto fail;
    }
    if (strcmp(c.status, "terminated") == 0) {
        pc_errf(e, PC_EINVAL, "customer %s is terminated", code);
        goto fail;
    }
    /* Settle first: what the postpaid months owe is billed and paid before the balance starts. */
    if (prepaid_unbilled_reads(d, c.id, date, &unbilled, e) != 0 || account_open(d, code, &acc, e) != 0)
        goto fail;
    open_count = acc.nbills;
    open_total = acc.total;
    credit = acc.credit;
    account_free(&acc);
    if (unbilled > 0) {
        pc_errf(e, PC_ECONFLICT,
                "customer %s has %lld read(s) before %s not billed yet: run the billing for them first (bill run), "
                "then settle the invoice",
                code, (long long)unbilled, date);
        goto fail;
    }
    if (open_count > 0) {
        char m[MONEY_FMT_MAX];
        pc_errf(e, PC_ECONFLICT,
                "customer %s has %lld open invoice(s) for %s: settle them (pay post) before the switch to prepaid",
                code, (long long)open_count, money_format(open_total, true, m));
        goto fail;
    }
    /* a customer added with --payment-mode prepaid has the contract already: only the account */
    if (strcmp(c.payment_mode, "prepaid") != 0 && contract_mode(d, actor, code, "prepaid", date, reason, e) != 0)
        goto fail;
    memset(&a, 0, sizeof a);
    a.customer_id = c.id;
    a.active = true;
    snprintf(a.since, sizeof a.since, "%s", date);
    if (found) {
        /* a second spell: the ledger goes on from the settled balance (0) */
        int64_t sum;
        if (prepaid_sum_before(d, c.id, NULL, &sum, e) != 0)
            goto fail;
        a.balance = sum;
    }
    if (prepaid_account_put(d, &a, e) != 0)
        goto fail;
    if (credit > 0) {
        prepaid_entry r;
        memset(&r, 0, sizeof r);
        snprintf(r.kind, sizeof r.kind, "opening");
        snprintf(r.entry_date, sizeof r.entry_date, "%s", date);
        r.amount = credit;
        snprintf(r.note, sizeof r.note, "customer credit brought into the prepaid balance");
        if (post_entry(d, actor, &a, &r, 0, e) != 0 ||
            credit_add(d, c.id, "adjustment", r.id, 0, -credit, actor, e) != 0)
            goto fail;
        a.low_notified = false;
        if (prepaid_account_save(d, &a, e) != 0)
            goto fail;
    }
    out->credit_moved = credit;
    out->balance = a.balance;
    snprintf(out->code, sizeof out->code, "%s", code);
    snprintf(out->date, sizeof out->date, "%s", date);
    if (audit_event(d, actor, "prepaid.enable", "customer", code,
                    json_pack("{s:s, s:I, s:s}", "date", date, "credit_moved", (json_int_t)credit, "reason", reason),
                    e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    account_free(&acc);
    db_rollback(d);
    return -1;
}

int prepaid_disable(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, const char *code,
                    const char *date, const char *reason, prepaid_switch_result *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    civil_date day;
    if (day_arg("--date", date, &day, e) != 0)
        return -1;
    if (!reason || !reason[0])
        reason = "switched to postpaid";
    if (db_begin(d, e) != 0)
        return -1;
    payer_row p;
    prepaid_account_row a;
    bool found;
    /* the final charge's lock on the reads comes before the customer's row: a read being written
     * for this customer holds the reads' table and waits for the customer's row (its foreign key),
     * so taking them the other way round would deadlock with it on PostgreSQL */
    if (prepaid_reads_lock(d, e) != 0)
        goto fail;
    if (payer_get(d, code, &p, e) != 0 || payer_lock(d, p.id, e) != 0 ||
        prepaid_account_get(d, p.id, &a, &found, e) != 0)
        goto fail;
    if (!found || !a.active) {
        pc_errf(e, PC_EINVAL, "customer %s is not prepaid", code);
        goto fail;
    }
    if (strcmp(date, a.since) <= 0) {
        pc_errf(e, PC_EINVAL, "--date %s: the customer is prepaid since %s; leave on a later day", date, a.since);
        goto fail;
    }
    /* The prepaid days end the day before: their month-to-date charge is made now. */
    char before[DATE_FMT_MAX];
    date_format(date_add_days(day, -1), before);
    if (strcmp(a.last_charge_day, before) < 0) {
        prepaid_run_summary s;
        int rc = prepaid_charge_run(d, actor, cfg, t, before, code, &s, e);
        if (rc == 0 && s.errors > 0)
            rc = pc_errf(e, PC_EINVAL, "customer %s: the final charge of %s failed: %s", code, before,
                         s.nevents ? s.events[0].message : "rating refused");
        out->final_charge = s.amount;
        prepaid_run_summary_free(&s);
        if (rc != 0)
            goto fail;
        if (prepaid_account_get(d, p.id, &a, &found, e) != 0)
            goto fail;
    }
    if (a.balance < 0) {
        char m[MONEY_FMT_MAX];
        pc_errf(e, PC_ECONFLICT, "customer %s's prepaid balance is %s: top up to 0 or more before leaving prepaid", code,
                money_format(a.balance, true, m));
        goto fail;
    }
    if (contract_mode(d, actor, code, "postpaid", date, reason, e) != 0)
        goto fail;
    int64_t moved = a.balance;
    a.active = false;
    if (moved > 0) {
        prepaid_entry r;
        memset(&r, 0, sizeof r);
        snprintf(r.kind, sizeof r.kind, "settlement");
        snprintf(r.entry_date, sizeof r.entry_date, "%s", date);
        r.amount = -moved;
        snprintf(r.note, sizeof r.note, "balance handed back as customer credit");
        if (post_entry(d, actor, &a, &r, 0, e) != 0 || credit_add(d, p.id, "adjustment", r.id, 0, moved, actor, e) != 0)
            goto fail;
    } else if (prepaid_account_save(d, &a, e) != 0) {
        goto fail;
    }
    out->credit_moved = moved;
    out->balance = a.balance;
    snprintf(out->code, sizeof out->code, "%s", code);
    snprintf(out->date, sizeof out->date, "%s", date);
    if (audit_event(d, actor, "prepaid.disable", "customer", code,
                    json_pack("{s:s, s:I, s:s}", "date", date, "credit", (json_int_t)moved, "reason", reason), e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

/* ---- hooks of the posting path ---- */

int prepaid_topup(db *d, const char *actor, int64_t customer_id, int64_t payment_id, int64_t amount, const char *date,
                  pc_err *e)
{
    pc_config defaults;
    const pc_config *cfg = config_or_defaults(NULL, &defaults);
    prepaid_account_row a;
    bool found;
    if (prepaid_account_get(d, customer_id, &a, &found, e) != 0)
        return -1;
    if (!found || !a.active)
        return pc_errf(e, PC_EINTERNAL, "customer %lld is not prepaid", (long long)customer_id);
    prepaid_entry r;
    memset(&r, 0, sizeof r);
    snprintf(r.kind, sizeof r.kind, "topup");
    snprintf(r.entry_date, sizeof r.entry_date, "%s", date);
    r.amount = amount;
    r.payment_id = payment_id;
    return post_entry(d, actor, &a, &r, cfg->prepaid.low_balance, e);
}

int prepaid_after_reversal(db *d, const char *actor, int64_t payment_id, int64_t reversal_id, const char *date,
                           pc_err *e)
{
    prepaid_entry top;
    bool found;
    if (prepaid_entry_of_payment(d, payment_id, &top, &found, e) != 0)
        return -1;
    if (!found)
        return 0;
    prepaid_account_row a;
    if (prepaid_account_get(d, top.customer_id, &a, &found, e) != 0)
        return -1;
    if (!found || !a.active)
        return pc_errf(e, PC_ECONFLICT,
                       "the top-up was settled when the customer left prepaid: it is not reversed (adjust instead)");
    pc_config defaults;
    const pc_config *cfg = config_or_defaults(NULL, &defaults);
    prepaid_entry r;
    memset(&r, 0, sizeof r);
    snprintf(r.kind, sizeof r.kind, "reversal");
    snprintf(r.entry_date, sizeof r.entry_date, "%s", date);
    r.amount = -top.amount;
    r.payment_id = reversal_id;
    snprintf(r.note, sizeof r.note, "reverses the top-up %s", top.receipt_no);
    return post_entry(d, actor, &a, &r, cfg->prepaid.low_balance, e);
}

/* ---- the daily charge ---- */

void prepaid_run_summary_free(prepaid_run_summary *s)
{
    free(s->events);
    s->events = NULL;
    s->nevents = 0;
}

typedef struct {
    prepaid_reads_total *v;
    size_t n, cap;
} totals_list;

static int collect_total(void *ctx, const prepaid_reads_total *t)
{
    totals_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        prepaid_reads_total *v = realloc(l->v, l->cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
    }
    l->v[l->n++] = *t;
    return 0;
}

typedef struct {
    db *d;
    const char *actor;
    const pc_config *cfg;
    const tariff_set *full;
    tariff_set *scaled[32]; /* by the period's days, made on first use */
    civil_date day;
    char day_s[DATE_FMT_MAX], month_s[MONTH_FMT_MAX];
    int month_days;
    totals_list totals;
    size_t next_total;
    prepaid_bulk *bulk;
    prepaid_run_summary *out;
    pc_err *e;
} run_ctx;

static void event_add(prepaid_run_summary *s, const char *code, const char *what, int64_t balance, int64_t order_id,
                      const char *message)
{
    if (s->nevents >= MAX_EVENTS)
        return;
    if (!s->events) {
        s->events = calloc(MAX_EVENTS, sizeof *s->events);
        if (!s->events)
            return;
    }
    prepaid_event *v = &s->events[s->nevents++];
    snprintf(v->customer_code, sizeof v->customer_code, "%s", code);
    snprintf(v->what, sizeof v->what, "%s", what);
    v->balance = balance;
    v->order_id = order_id;
    snprintf(v->message, sizeof v->message, "%s", message ? message : "");
}

static const prepaid_reads_total *totals_of(run_ctx *x, int64_t customer_id)
{
    /* both streams come by customer id: one pass */
    while (x->next_total < x->totals.n && x->totals.v[x->next_total].customer_id < customer_id)
        x->next_total++;
    if (x->next_total < x->totals.n && x->totals.v[x->next_total].customer_id == customer_id)
        return &x->totals.v[x->next_total];
    return NULL;
}

static int low_notice(run_ctx *x, const prepaid_charge_input *in, prepaid_account_row *a)
{
    char bal[24], key[64];
    snprintf(bal, sizeof bal, "%lld", (long long)a->balance);
    snprintf(key, sizeof key, "prepaid_low:%s:%s", in->code, x->day_s);
    notify_field f[] = {{"balance", bal}};
    notify_request q = {.event = "prepaid_low_balance", .event_key = key, .channel = "sms", .fields = f, .nfields = 1};
    notify_enqueued r;
    pc_err ne = {0};
    a->low_notified = true; /* once per crossing, whether or not the customer can receive it */
    if (notify_enqueue_customer(x->d, x->cfg, in->code, &q, &r, &ne) != 0) {
        if (ne.code != PC_EINVAL) {
            *x->e = ne;
            return -1;
        }
        x->out->no_phone++;
        return 0;
    }
    x->out->low_notices++;
    event_add(x->out, in->code, "low_balance", a->balance, 0, NULL);
    return 0;
}

static int charge_one(void *ctx, const prepaid_charge_input *in)
{
    run_ctx *x = ctx;
    prepaid_account_row a = in->a;
    /* the month so far: the account's cached sums (when they hold the month through its last
     * charge day) and what the reads after that add (prepaid_read_totals chose by the same rule) */
    const prepaid_reads_total *t = totals_of(x, a.customer_id);
    bool incremental = prepaid_sums_incremental(&a, x->month_s);
    if (t && t->incremental != incremental) {
        x->out->errors++;
        event_add(x->out, in->code, "error", a.balance, 0, "the account changed during the run: charge it again");
        return 0;
    }
    prepaid_sums sums;
    memset(&sums, 0, sizeof sums);
    if (incremental)
        sums = a.sums;
    if (t)
        prepaid_sums_add(&sums, &t->s);
    civil_date since;
    if (date_parse(a.since, &since, NULL) != 0)
        since = x->day;
    if (strcmp(a.charge_month, x->month_s) != 0) {
        a.charged_mtd = 0;
        a.kwh_mtd = 0;
    }
    civil_date r0 = prepaid_period_start(since, x->day);
    int32_t days = x->day - r0;
    if (!x->scaled[days]) {
        x->scaled[days] = malloc(sizeof(tariff_set));
        if (!x->scaled[days])
            return pc_errf(x->e, PC_EINTERNAL, "out of memory");
        if (prepaid_scale_tariff(x->full, days, x->month_days, x->scaled[days], x->e) != 0) {
            free(x->scaled[days]);
            x->scaled[days] = NULL;
            return -1;
        }
    }
    rate_request q;
    memset(&q, 0, sizeof q);
    pc_err re = {0};
    int rc = purpose_parse(in->purpose, &q.purpose, &re);
    q.voltage = in->voltage[0] ? voltage_index(in->voltage) : -1;
    q.previous_reading = r0;
    q.reading = x->day;
    q.households = in->households > 0 ? in->households : 1;
    q.renter = in->renter;
    q.persons = in->persons;
    if (sums.reg_reads > 0 && !purpose_is_residential(q.purpose)) {
        q.registers = true;
        for (int g = 0; g < 3; g++)
            q.reg_kwh[g] = sums.reg[g];
    } else {
        q.kwh = sums.kwh;
    }
    prepaid_charge c;
    if (rc == 0)
        rc = prepaid_day_charge(x->scaled[days], &q, a.charged_mtd, &c, &re);
    if (rc != 0) {
        x->out->errors++;
        event_add(x->out, in->code, "error", a.balance, 0, re.msg);
        return 0;
    }
    prepaid_entry r;
    memset(&r, 0, sizeof r);
    snprintf(r.kind, sizeof r.kind, "charge");
    snprintf(r.entry_date, sizeof r.entry_date, "%s", x->day_s);
    snprintf(r.charge_day, sizeof r.charge_day, "%s", x->day_s);
    r.customer_id = a.customer_id;
    r.amount = -c.charge;
    r.kwh_mtd = c.mtd.kwh;
    r.kwh_day = c.mtd.kwh - a.kwh_mtd;
    r.energy_mtd = c.mtd.energy;
    r.vat_mtd = c.mtd.vat;
    r.total_mtd = c.mtd.total;
    /* the ledger row keeps the month to date (reads, first and last day, last read id) */
    r.reads = sums.reads;
    snprintf(r.read_from, sizeof r.read_from, "%s", sums.first);
    snprintf(r.read_to, sizeof r.read_to, "%s", sums.last);
    r.last_read_id = sums.last_read_id;
    a.balance -= c.charge;
    r.balance = a.balance;
    if (prepaid_bulk_add(x->bulk, &r, x->e) != 0)
        return -1;
    snprintf(a.charge_month, sizeof a.charge_month, "%s", x->month_s);
    snprintf(a.last_charge_day, sizeof a.last_charge_day, "%s", x->day_s);
    a.charged_mtd = c.mtd.total;
    a.kwh_mtd = c.mtd.kwh;
    a.sums = sums; /* written with resum = 0: they hold the month through this day */
    a.sums_ok = true;
    x->out->accounts++;
    x->out->kwh += r.kwh_day;
    x->out->amount += c.charge;
    if (a.balance >= 0)
        a.below_zero_since[0] = '\0';
    else {
        x->out->below_zero++;
        if (!a.below_zero_since[0])
            snprintf(a.below_zero_since, sizeof a.below_zero_since, "%s", x->day_s);
    }
    if (a.balance >= x->cfg->prepaid.low_balance)
        a.low_notified = false;
    else if (prepaid_low_due(a.balance, x->cfg->prepaid.low_balance, a.low_notified) && low_notice(x, in, &a) != 0)
        return -1;
    civil_date below;
    if (a.below_zero_since[0] && date_parse(a.below_zero_since, &below, NULL) == 0 &&
        prepaid_cut_due(below, x->day, x->cfg->prepaid.grace_days) && strcmp(in->status, "active") == 0) {
        int64_t open;
        /* the waiting rows go out first: the cut order's path sees the run so far */
        if (prepaid_bulk_flush(x->bulk, x->e) != 0 || work_order_open_of(x->d, a.customer_id, "cut", &open, x->e) != 0)
            return -1;
        if (!open) {
            char reason[160], m[MONEY_FMT_MAX];
            snprintf(reason, sizeof reason, "prepaid balance %s below zero since %s (grace %d days)",
                     money_format(a.balance, true, m), a.below_zero_since, x->cfg->prepaid.grace_days);
            if (dunning_cut_order(x->d, x->actor, a.customer_id, x->day_s, reason, &open, x->e) != 0)
                return -1;
            x->out->cut_orders++;
            event_add(x->out, in->code, "cut_order", a.balance, open, reason);
        }
    }
    return prepaid_bulk_save(x->bulk, &a, x->e);
}

static int run_day(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, civil_date day,
                   int64_t customer_id, prepaid_run_summary *out, pc_err *e)
{
    run_ctx x;
    memset(&x, 0, sizeof x);
    x.d = d;
    x.actor = actor;
    x.cfg = cfg;
    x.full = t;
    x.day = day;
    x.out = out;
    x.e = e;
    date_format(day, x.day_s);
    month_format(month_of(day), x.month_s);
    int y, m, dd;
    date_to_ymd(day, &y, &m, &dd);
    x.month_days = date_days_in_month(y, m);
    char first[DATE_FMT_MAX];
    date_format(month_first_day(month_of(day)), first);
    int rc = prepaid_read_totals(d, x.month_s, first, x.day_s, customer_id, collect_total, &x.totals, e);
    if (rc == 0) {
        x.bulk = prepaid_bulk_open(d, actor, e);
        rc = x.bulk ? 0 : -1;
    }
    if (rc == 0)
        rc = prepaid_charge_inputs(d, x.day_s, customer_id, charge_one, &x, e);
    if (rc == 0)
        rc = prepaid_bulk_flush(x.bulk, e);
    prepaid_bulk_close(x.bulk);
    free(x.totals.v);
    for (int i = 0; i < 32; i++)
        free(x.scaled[i]);
    return rc;
}

int prepaid_charge_run(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, const char *date,
                       const char *customer_code, prepaid_run_summary *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    pc_config defaults;
    cfg = config_or_defaults(cfg, &defaults);
    civil_date day;
    if (day_arg("--date", date, &day, e) != 0)
        return -1;
    snprintf(out->date, sizeof out->date, "%s", date);
    double t0 = monotonic_seconds();
    if (db_begin(d, e) != 0)
        return -1;
    if (prepaid_reads_lock(d, e) != 0)
        goto fail;
    int64_t customer_id = 0;
    if (customer_code) {
        payer_row p;
        bool active;
        if (payer_get(d, customer_code, &p, e) != 0 || prepaid_is_active(d, p.id, &active, e) != 0)
            goto fail;
        if (!active) {
            pc_errf(e, PC_EINVAL, "customer %s is not prepaid", customer_code);
            goto fail;
        }
        customer_id = p.id;
    }
    /* A month whose last day was never charged (the run missed it) is finished first: its
     * charges must add up to its bill before the new month starts from zero. */
    char month_s[MONTH_FMT_MAX], open_month[8];
    month_format(month_of(day), month_s);
    if (prepaid_unfinished_month(d, month_s, open_month, e) != 0)
        goto fail;
    if (open_month[0]) {
        civil_month om;
        month_parse(open_month, &om, NULL);
        civil_date last = month_last_day(om);
        date_format(last, out->caught_up);
        if (run_day(d, actor, cfg, t, last, customer_id, out, e) != 0)
            goto fail;
    }
    long caught = out->accounts;
    if (run_day(d, actor, cfg, t, day, customer_id, out, e) != 0)
        goto fail;
    /* how many were already charged for the day: the active accounts not charged now */
    {
        int64_t bz, low, n;
        if (prepaid_counts(d, NULL, cfg->prepaid.low_balance, &bz, &low, &n, e) != 0)
            goto fail;
        if (!customer_id)
            out->skipped = (long)n - (out->accounts - caught) - out->errors;
        if (out->skipped < 0)
            out->skipped = 0;
    }
    if (out->accounts > 0 &&
        audit_event(d, actor, "prepaid.charge", "prepaid", date,
                    json_pack("{s:I, s:I, s:I, s:I, s:s?}", "accounts", (json_int_t)out->accounts, "amount",
                              (json_int_t)out->amount, "kwh", (json_int_t)out->kwh, "cut_orders",
                              (json_int_t)out->cut_orders, "customer", customer_code),
                    e) != 0)
        goto fail;
    if (db_commit(d, e) != 0)
        goto fail;
    out->seconds = monotonic_seconds() - t0;
    return 0;
fail:
    db_rollback(d);
    prepaid_run_summary_free(out);
    return -1;
}

int prepaid_job_charge(db *d, const pc_config *cfg, const char *actor, char *detail, size_t cap, pc_err *e)
{
    /* the reads of a day come in overnight: the run charges yesterday */
    char day[DATE_FMT_MAX], m[MONEY_FMT_MAX];
    date_format(date_add_days(date_today(cfg->utc_offset_minutes), -1), day);
    tariff_set *t = malloc(sizeof *t);
    if (!t)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    prepaid_run_summary s;
    int rc = tariffs_in_force(d, t, e);
    if (rc == 0)
        rc = prepaid_charge_run(d, actor, cfg, t, day, NULL, &s, e);
    free(t);
    if (rc != 0)
        return -1;
    snprintf(detail, cap, "%s: %ld accounts charged %s, %ld errors, %ld low-balance messages, %ld cut orders", day,
             s.accounts, money_format(s.amount, true, m), s.errors, s.low_notices, s.cut_orders);
    prepaid_run_summary_free(&s);
    return 0;
}

/* ---- statements and lists ---- */

typedef struct {
    prepaid_entry *v;
    int n, cap;
} entry_list;

static int collect_entry(void *ctx, const prepaid_entry *r)
{
    entry_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        prepaid_entry *v = realloc(l->v, (size_t)l->cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
    }
    l->v[l->n++] = *r;
    return 0;
}

int prepaid_statement_get(db *d, const char *code, const char *month, prepaid_statement *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    civil_month m;
    if (!month || month_parse(month, &m, e) != 0)
        return month ? pc_err_prefix(e, "--month") : pc_errf(e, PC_EINVAL, "--month is required (YYYY-MM)");
    payer_row p;
    prepaid_account_row a;
    bool found;
    if (payer_get(d, code, &p, e) != 0 || prepaid_account_get(d, p.id, &a, &found, e) != 0)
        return -1;
    if (!found)
        return pc_errf(e, PC_EINVAL, "customer %s has never been prepaid", code);
    char first[DATE_FMT_MAX], last[DATE_FMT_MAX];
    date_format(month_first_day(m), first);
    date_format(month_last_day(m), last);
    entry_list l = {0};
    if (prepaid_sum_before(d, p.id, first, &out->opening, e) != 0 ||
        prepaid_entries_of(d, p.id, first, last, collect_entry, &l, e) != 0) {
        free(l.v);
        return -1;
    }
    snprintf(out->code, sizeof out->code, "%s", p.code);
    snprintf(out->name, sizeof out->name, "%s", p.name);
    month_format(m, out->month);
    out->active = a.active;
    out->rows = l.v;
    out->nrows = l.n;
    out->closing = out->opening;
    for (int i = 0; i < l.n; i++) {
        const prepaid_entry *r = &l.v[i];
        out->closing += r->amount;
        if (strcmp(r->kind, "topup") == 0)
            out->topups += r->amount;
        else if (strcmp(r->kind, "reversal") == 0)
            out->reversals += r->amount;
        else if (strcmp(r->kind, "charge") == 0) {
            out->charges += r->amount;
            out->kwh += r->kwh_day;
        } else
            out->other += r->amount;
    }
    return 0;
}

void prepaid_statement_free(prepaid_statement *s)
{
    free(s->rows);
    s->rows = NULL;
    s->nrows = 0;
}

int prepaid_balance_get(db *d, const char *code, int limit, prepaid_balance_view *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    payer_row p;
    bool found;
    if (payer_get(d, code, &p, e) != 0 || prepaid_account_get(d, p.id, &out->a, &found, e) != 0)
        return -1;
    if (!found)
        return pc_errf(e, PC_EINVAL, "customer %s has never been prepaid", code);
    snprintf(out->code, sizeof out->code, "%s", p.code);
    snprintf(out->name, sizeof out->name, "%s", p.name);
    entry_list l = {0};
    if (prepaid_entries_of(d, p.id, NULL, NULL, collect_entry, &l, e) != 0) {
        free(l.v);
        return -1;
    }
    /* newest first, at most limit */
    for (int i = 0; i < l.n / 2; i++) {
        prepaid_entry tmp = l.v[i];
        l.v[i] = l.v[l.n - 1 - i];
        l.v[l.n - 1 - i] = tmp;
    }
    int keep = limit > 0 && l.n > limit ? limit : l.n;
    out->rows = l.v;
    out->nrows = keep;
    return 0;
}

void prepaid_balance_free(prepaid_balance_view *v)
{
    free(v->rows);
    v->rows = NULL;
    v->nrows = 0;
}

int prepaid_list(db *d, const pc_config *cfg, const char *scope_code, bool low_only, long limit, prepaid_list_fn fn,
                 void *ctx, pc_err *e)
{
    pc_config defaults;
    cfg = config_or_defaults(cfg, &defaults);
    char path[160] = "";
    if (scope_code && scope_code[0]) {
        org_row u;
        if (org_get(d, scope_code, &u, e) != 0)
            return pc_err_prefix(e, "--scope");
        snprintf(path, sizeof path, "%s", u.path);
    }
    return prepaid_accounts_list(d, path[0] ? path : NULL, low_only ? cfg->prepaid.low_balance : INT64_MAX, limit, fn,
                                 ctx, e);
}

/* ---- JSON (the CLI and the HTTP API answer alike) ---- */

static json_t *json_text_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

json_t *prepaid_entry_json(const prepaid_entry *r)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:o}", "id", (json_int_t)r->id, "kind", r->kind, "date",
                          r->entry_date, "amount", (json_int_t)r->amount, "balance", (json_int_t)r->balance,
                          "receipt_no", json_text_or_null(r->receipt_no), "note", json_text_or_null(r->note));
    if (strcmp(r->kind, "charge") == 0) {
        json_object_set_new(o, "kwh_day", json_integer(r->kwh_day));
        json_object_set_new(o, "kwh_mtd", json_integer(r->kwh_mtd));
        json_object_set_new(o, "energy_mtd", json_integer(r->energy_mtd));
        json_object_set_new(o, "vat_mtd", json_integer(r->vat_mtd));
        json_object_set_new(o, "total_mtd", json_integer(r->total_mtd));
        json_object_set_new(o, "reads", json_integer(r->reads));
        json_object_set_new(o, "read_from", json_text_or_null(r->read_from));
        json_object_set_new(o, "read_to", json_text_or_null(r->read_to));
    }
    return o;
}

json_t *prepaid_account_json(const prepaid_account_row *a)
{
    return json_pack("{s:b, s:s, s:I, s:o, s:o, s:I, s:I, s:b, s:o}", "active", a->active, "since", a->since, "balance",
                     (json_int_t)a->balance, "charge_month", json_text_or_null(a->charge_month), "last_charge_day",
                     json_text_or_null(a->last_charge_day), "charged_mtd", (json_int_t)a->charged_mtd, "kwh_mtd",
                     (json_int_t)a->kwh_mtd, "low_notified", a->low_notified, "below_zero_since",
                     json_text_or_null(a->below_zero_since));
}

json_t *prepaid_statement_json(const prepaid_statement *s)
{
    json_t *rows = json_array();
    for (int i = 0; i < s->nrows; i++)
        json_array_append_new(rows, prepaid_entry_json(&s->rows[i]));
    return json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "customer_code", s->code, "name",
                     s->name, "month", s->month, "active", s->active, "opening", (json_int_t)s->opening, "topups",
                     (json_int_t)s->topups, "reversals", (json_int_t)s->reversals, "charges", (json_int_t)s->charges,
                     "other", (json_int_t)s->other, "closing", (json_int_t)s->closing, "kwh", (json_int_t)s->kwh,
                     "rows", rows);
}

json_t *prepaid_balance_json(const prepaid_balance_view *v)
{
    json_t *rows = json_array();
    for (int i = 0; i < v->nrows; i++)
        json_array_append_new(rows, prepaid_entry_json(&v->rows[i]));
    json_t *o = json_pack("{s:s, s:s}", "customer_code", v->code, "name", v->name);
    json_t *a = prepaid_account_json(&v->a);
    json_object_update(o, a);
    json_decref(a);
    json_object_set_new(o, "ledger", rows);
    return o;
}

json_t *prepaid_list_row_json(const prepaid_list_row *r)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "customer_code", r->code, "name", r->name, "unit", r->unit_code,
                          "status", r->status);
    json_t *a = prepaid_account_json(&r->a);
    json_object_update(o, a);
    json_decref(a);
    return o;
}
