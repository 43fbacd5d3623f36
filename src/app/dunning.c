/* Dunning and disconnection (see dunning.h). */
#include "app/dunning.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/customers.h"
#include "base/date.h"
#include "base/money.h"
#include "store/invoices.h"
#include "store/payments.h"
#include "store/prepaid.h"
#include "store/repo.h"

#define GROW(v, n, cap)                                                                                         \
    do {                                                                                                        \
        if ((n) == (cap)) {                                                                                     \
            (cap) = (cap) ? (cap) * 2 : 16;                                                                     \
            void *nv_ = realloc((v), (size_t)(cap) * sizeof *(v));                                              \
            if (!nv_)                                                                                           \
                abort();                                                                                        \
            (v) = nv_;                                                                                          \
        }                                                                                                       \
    } while (0)

void dunning_summary_free(dunning_summary *s)
{
    free(s->taken);
    s->taken = NULL;
    s->ntaken = 0;
}

void dunning_case_free(dunning_case *c)
{
    free(c->invoices);
    free(c->steps);
    free(c->orders);
    free(c->disputes);
    memset(c, 0, sizeof *c);
}

/* date (YYYY-MM-DD) or, when NULL, today; out is the normalised text. */
static int day_of(const char *what, const char *date, int utc_offset, civil_date *day, char out[DATE_FMT_MAX], pc_err *e)
{
    if (!date || !date[0])
        *day = date_today(utc_offset);
    else if (date_parse(date, day, e) != 0)
        return pc_err_prefix(e, "%s", what);
    date_format(*day, out);
    return 0;
}

static int scope_path_of(db *d, const char *scope_code, char path[160], pc_err *e)
{
    path[0] = '\0';
    if (!scope_code || !scope_code[0])
        return 0;
    org_row u;
    if (org_get(d, scope_code, &u, e) != 0)
        return pc_err_prefix(e, "--scope");
    snprintf(path, 160, "%s", u.path);
    return 0;
}

static int config_check(const dunning_config *k, pc_err *e)
{
    if (k->notice_1_days < 0 || k->notice_2_days <= k->notice_1_days || k->cut_order_days <= k->notice_2_days ||
        k->notice_gap_days < 0 || k->reconnection_fee < 0)
        return pc_errf(e, PC_EINVAL, "[dunning]: notice_1_days < notice_2_days < cut_order_days is expected");
    return 0;
}

/* ---- the schedule ---- */

typedef enum { DUE_NOTHING, DUE_NOTICE_1, DUE_NOTICE_2, DUE_CUT } due_step;

/* The next step an invoice is due for on `day`, from its due date and the dates of the steps
 * taken (0 = not taken). Each step waits both for its offset from the due date and for the
 * customer's time after the step before it, so that a late step (a missed run, a dispute closed
 * late) never shortens the time the customer is owed. */
static due_step step_due(const dunning_config *k, civil_date due, civil_date n1, civil_date n2, bool cut, civil_date day)
{
    if (cut)
        return DUE_NOTHING;
    if (!n1)
        return day >= date_add_days(due, k->notice_1_days) ? DUE_NOTICE_1 : DUE_NOTHING;
    if (!n2)
        return day >= date_add_days(due, k->notice_2_days) && day >= date_add_days(n1, k->notice_gap_days)
                   ? DUE_NOTICE_2
                   : DUE_NOTHING;
    return day >= date_add_days(due, k->cut_order_days) &&
                   day >= date_add_days(n2, k->cut_order_days - k->notice_2_days)
               ? DUE_CUT
               : DUE_NOTHING;
}

static civil_date date_or_zero(const char *s)
{
    civil_date v;
    if (!s[0] || date_parse(s, &v, NULL) != 0)
        return 0;
    return v;
}

/* ---- steps and orders ---- */

static int step_add(db *d, const char *actor, int64_t customer_id, int64_t invoice_id, const char *step,
                    const char *date, int64_t order_id, int64_t amount, pc_err *e)
{
    dunning_step_row r;
    memset(&r, 0, sizeof r);
    r.customer_id = customer_id;
    r.invoice_id = invoice_id;
    snprintf(r.step, sizeof r.step, "%s", step);
    snprintf(r.step_date, sizeof r.step_date, "%s", date);
    r.order_id = order_id;
    r.amount = amount;
    return dunning_step_insert(d, &r, actor, e);
}

static int order_create(db *d, const char *actor, int64_t customer_id, const char *code, const char *kind,
                        const char *date, const char *reason, long long fee, int64_t *order_id, pc_err *e)
{
    work_order_row o;
    memset(&o, 0, sizeof o);
    o.customer_id = customer_id;
    snprintf(o.kind, sizeof o.kind, "%s", kind);
    snprintf(o.created_date, sizeof o.created_date, "%s", date);
    snprintf(o.reason, sizeof o.reason, "%s", reason);
    o.fee = fee;
    if (work_order_insert(d, &o, actor, e) != 0)
        return -1;
    *order_id = o.id;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)o.id);
    return audit_event(d, actor, "order.create", "work_order", key,
                       json_pack("{s:s, s:s, s:s, s:s, s:I}", "kind", kind, "customer", code, "date", date, "reason",
                                 reason, "fee", (json_int_t)fee),
                       e);
}

static int order_end(db *d, const char *actor, const work_order_row *o, const char *state, const char *date,
                     const char *note, const char *status_before, const char *status_after, pc_err *e)
{
    if (work_order_state_insert(d, o->id, state, date, note, actor, e) != 0)
        return -1;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)o->id);
    return audit_event(d, actor, strcmp(state, "done") == 0 ? "order.done" : "order.cancel", "work_order", key,
                       json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?}", "kind", o->kind, "customer", o->customer_code,
                                 "date", date, "note", note && note[0] ? note : NULL, "status_before", status_before,
                                 "status_after", status_after),
                       e);
}

/* What keeps a customer cut (n > 0): overdue invoices, or for a prepaid customer a balance
 * below zero (docs/prepaid.md), so that a top-up reconnects the way a payment of overdue debt
 * does. */
static int still_owing(db *d, int64_t customer_id, const char *date, int64_t *n, bool *prepaid, pc_err *e)
{
    int64_t amount;
    if (prepaid_is_active(d, customer_id, prepaid, e) != 0)
        return -1;
    if (!*prepaid)
        return overdue_of(d, customer_id, date, n, &amount, e);
    prepaid_account_row a;
    bool found;
    if (prepaid_account_get(d, customer_id, &a, &found, e) != 0)
        return -1;
    *n = a.balance < 0 ? 1 : 0;
    return 0;
}

/* A customer disconnected for debt with nothing overdue on `date` and no reconnection order
 * open gets one, with the fee. *order_id = 0 when none was due. */
static int reconnect_if_cleared(db *d, const char *actor, int64_t customer_id, const char *date, long long fee,
                                int64_t *order_id, pc_err *e)
{
    *order_id = 0;
    dunning_customer c;
    if (dunning_customer_get(d, customer_id, &c, e) != 0)
        return -1;
    if (!c.disconnected_for_debt || strcmp(c.status, "disconnected") != 0 || c.open_reconnection)
        return 0;
    int64_t n;
    bool prepaid;
    if (still_owing(d, customer_id, date, &n, &prepaid, e) != 0)
        return -1;
    if (n > 0)
        return 0;
    char reason[256];
    snprintf(reason, sizeof reason, prepaid ? "prepaid balance back to 0 or more on %s" : "overdue debt cleared on %s",
             date);
    if (order_create(d, actor, customer_id, c.code, "reconnection", date, reason, fee, order_id, e) != 0 ||
        step_add(d, actor, customer_id, 0, "reconnection_order", date, *order_id, 0, e) != 0)
        return -1;
    return 0;
}

/* ---- the run ---- */

typedef struct {
    dunning_invoice *v;
    int n, cap;
} invoice_list;

static int collect_invoice(void *ctx, const dunning_invoice *v)
{
    invoice_list *l = ctx;
    GROW(l->v, l->n, l->cap);
    l->v[l->n++] = *v;
    return 0;
}

typedef struct {
    int64_t *v;
    int n, cap;
} id_list;

static int collect_id(void *ctx, int64_t id)
{
    id_list *l = ctx;
    GROW(l->v, l->n, l->cap);
    l->v[l->n++] = id;
    return 0;
}

typedef struct {
    work_order_row *v;
    int n, cap;
} order_list;

static int collect_order(void *ctx, const work_order_row *o)
{
    order_list *l = ctx;
    GROW(l->v, l->n, l->cap);
    l->v[l->n++] = *o;
    return 0;
}

static void taken_add(dunning_summary *s, int *cap, const dunning_invoice *v, const char *code, const char *step,
                      int64_t order_id, bool created, int64_t amount)
{
    GROW(s->taken, s->ntaken, *cap);
    dunning_taken *t = &s->taken[s->ntaken++];
    memset(t, 0, sizeof *t);
    snprintf(t->customer_code, sizeof t->customer_code, "%s", code);
    if (v) {
        snprintf(t->symbol, sizeof t->symbol, "%s", v->symbol);
        t->number = v->number;
        snprintf(t->due_date, sizeof t->due_date, "%s", v->due_date);
    }
    snprintf(t->step, sizeof t->step, "%s", step);
    t->order_id = order_id;
    t->order_created = created;
    t->amount = amount;
}

/* The invoices of one customer (v[0..n)) that reached the cut stage: one cut order for the
 * customer (the open one, or a new one), and a cut_order step on each invoice. Only an active
 * customer is cut; the customer row is locked and the debt checked again first, so that a
 * payment that just committed is seen. */
static int cut_customer(db *d, const char *actor, dunning_invoice *const *v, int n, const char *date,
                        dunning_summary *out, int *cap, pc_err *e)
{
    if (n == 0 || strcmp(v[0]->customer_status, "active") != 0)
        return 0;
    int64_t cid = v[0]->customer_id, count, amount, order_id;
    if (payer_lock(d, cid, e) != 0 || overdue_of(d, cid, date, &count, &amount, e) != 0)
        return -1;
    if (count == 0)
        return 0;
    if (work_order_open_of(d, cid, "cut", &order_id, e) != 0)
        return -1;
    bool created = false;
    if (!order_id) {
        char reason[256], m[MONEY_FMT_MAX];
        snprintf(reason, sizeof reason, "non-payment: %lld overdue invoice%s, %s, after notices 1 and 2",
                 (long long)count, count == 1 ? "" : "s", money_format(amount, true, m));
        if (order_create(d, actor, cid, v[0]->customer_code, "cut", date, reason, 0, &order_id, e) != 0)
            return -1;
        created = true;
        out->cut_orders++;
    }
    for (int i = 0; i < n; i++) {
        if (step_add(d, actor, cid, v[i]->invoice_id, "cut_order", date, order_id, v[i]->open, e) != 0)
            return -1;
        out->cut_steps++;
        taken_add(out, cap, v[i], v[i]->customer_code, "cut_order", order_id, created && i == 0, v[i]->open);
    }
    return 0;
}

int dunning_run(db *d, const char *actor, const dunning_config *cfg, const char *date, const char *scope_code,
                dunning_summary *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    civil_date day;
    if (!date || !date[0])
        return pc_errf(e, PC_EINVAL, "--date: the run's date (YYYY-MM-DD) is required");
    if (day_of("--date", date, 0, &day, out->date, e) != 0 || config_check(cfg, e) != 0)
        return -1;
    char cutoff[DATE_FMT_MAX], path[160];
    date_format(date_add_days(day, -cfg->notice_1_days), cutoff);
    if (db_begin(d, e) != 0)
        return -1;
    invoice_list l = {0};
    id_list ids = {0};
    dunning_invoice **cut = NULL;
    int ncut = 0, cap = 0;
    if (scope_path_of(d, scope_code, path, e) != 0 ||
        dunning_invoices(d, path[0] ? path : NULL, 0, cutoff, collect_invoice, &l, e) != 0)
        goto fail;
    cut = calloc((size_t)l.n + 1, sizeof *cut);
    if (!cut)
        abort();
    for (int i = 0; i < l.n; i++) {
        dunning_invoice *v = &l.v[i];
        if (strcmp(v->customer_status, "terminated") != 0) {
            if (v->disputed) {
                out->disputed++;
            } else {
                civil_date due = date_or_zero(v->due_date);
                switch (step_due(cfg, due, date_or_zero(v->notice_1), date_or_zero(v->notice_2), v->cut_order[0] != '\0',
                                 day)) {
                case DUE_NOTICE_1:
                    if (step_add(d, actor, v->customer_id, v->invoice_id, "notice_1", out->date, 0, v->open, e) != 0)
                        goto fail;
                    out->notices_1++;
                    taken_add(out, &cap, v, v->customer_code, "notice_1", 0, false, v->open);
                    break;
                case DUE_NOTICE_2:
                    if (step_add(d, actor, v->customer_id, v->invoice_id, "notice_2", out->date, 0, v->open, e) != 0)
                        goto fail;
                    out->notices_2++;
                    taken_add(out, &cap, v, v->customer_code, "notice_2", 0, false, v->open);
                    break;
                case DUE_CUT:
                    cut[ncut++] = v;
                    break;
                case DUE_NOTHING:
                    break;
                }
            }
        }
        /* the customer's last invoice: their cut order, if any invoice reached that stage */
        if (i + 1 == l.n || l.v[i + 1].customer_id != v->customer_id) {
            if (cut_customer(d, actor, cut, ncut, out->date, out, &cap, e) != 0)
                goto fail;
            ncut = 0;
        }
    }
    /* Debt cleared without payment_post (a collection file, an adjustment, credit at issue): an
     * open cut order of a customer with nothing overdue is cancelled … */
    order_list cuts = {0};
    if (work_order_list(d, "cut", "open", path[0] ? path : NULL, 0, collect_order, &cuts, e) != 0)
        goto fail;
    for (int i = 0; i < cuts.n; i++) {
        int64_t n;
        bool prepaid;
        char note[64];
        snprintf(note, sizeof note, "nothing overdue on %s", out->date);
        if (still_owing(d, cuts.v[i].customer_id, out->date, &n, &prepaid, e) != 0 ||
            (n == 0 && order_end(d, actor, &cuts.v[i], "cancelled", out->date, note, NULL, NULL, e) != 0)) {
            free(cuts.v);
            goto fail;
        }
        if (n == 0) {
            out->cut_orders_cancelled++;
            taken_add(out, &cap, NULL, cuts.v[i].customer_code, "cut_order_cancelled", cuts.v[i].id, false, 0);
        }
    }
    free(cuts.v);
    /* … and a customer disconnected for debt gets their reconnection order. */
    long long fee = cfg->reconnection_fee;
    if (disconnected_for_debt(d, path[0] ? path : NULL, collect_id, &ids, e) != 0)
        goto fail;
    for (int i = 0; i < ids.n; i++) {
        int64_t order_id;
        if (reconnect_if_cleared(d, actor, ids.v[i], out->date, fee, &order_id, e) != 0)
            goto fail;
        if (order_id) {
            out->reconnection_orders++;
            dunning_customer c;
            if (dunning_customer_get(d, ids.v[i], &c, e) != 0)
                goto fail;
            taken_add(out, &cap, NULL, c.code, "reconnection_order", order_id, true, 0);
        }
    }
    if (out->ntaken > 0 &&
        audit_event(d, actor, "dunning.run", "dunning", out->date,
                    json_pack("{s:s, s:s?, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "date", out->date, "scope",
                              scope_code && scope_code[0] ? scope_code : NULL, "notices_1", (int)out->notices_1,
                              "notices_2", (int)out->notices_2, "cut_orders", (int)out->cut_orders, "cut_steps",
                              (int)out->cut_steps, "cut_orders_cancelled", (int)out->cut_orders_cancelled,
                              "reconnection_orders", (int)out->reconnection_orders, "disputed", (int)out->disputed),
                    e) != 0)
        goto fail;
    if (db_commit(d, e) != 0)
        goto fail;
    free(l.v);
    free(ids.v);
    free(cut);
    return 0;
fail:
    free(l.v);
    free(ids.v);
    free(cut);
    dunning_summary_free(out);
    db_rollback(d);
    return -1;
}

/* ---- after a payment ---- */

int dunning_after_payment(db *d, const char *actor, int64_t customer_id, const char *date, pc_err *e)
{
    dunning_customer c;
    if (dunning_customer_get(d, customer_id, &c, e) != 0)
        return -1;
    bool reconnect = c.disconnected_for_debt && strcmp(c.status, "disconnected") == 0 && !c.open_reconnection;
    if (!c.open_cut && !reconnect)
        return 0; /* the common case: nothing in progress */
    int64_t n;
    bool prepaid;
    if (still_owing(d, customer_id, date, &n, &prepaid, e) != 0)
        return -1;
    if (n > 0)
        return 0;
    const pc_config *active = config_active();
    pc_config defaults;
    if (!active) {
        config_defaults(&defaults);
        active = &defaults;
    }
    if (db_begin(d, e) != 0)
        return -1;
    if (c.open_cut) {
        /* Paid before the crew went out: the order must not be carried out. */
        work_order_row o;
        char note[64];
        snprintf(note, sizeof note, prepaid ? "prepaid balance topped up on %s" : "overdue debt paid on %s", date);
        if (work_order_get(d, c.open_cut, &o, e) != 0 ||
            order_end(d, actor, &o, "cancelled", date, note, NULL, NULL, e) != 0)
            goto fail;
    }
    int64_t order_id;
    if (reconnect && reconnect_if_cleared(d, actor, customer_id, date, active->dunning.reconnection_fee, &order_id, e) != 0)
        goto fail;
    if (db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int dunning_cut_order(db *d, const char *actor, int64_t customer_id, const char *date, const char *reason,
                      int64_t *order_id, pc_err *e)
{
    dunning_customer c;
    if (dunning_customer_get(d, customer_id, &c, e) != 0)
        return -1;
    return order_create(d, actor, customer_id, c.code, "cut", date, reason, 0, order_id, e);
}

/* ---- work orders ---- */

static int order_finish(db *d, const char *actor, int64_t order_id, const char *state, const char *date,
                        const char *note, int utc_offset, work_order_row *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    civil_date day;
    char when[DATE_FMT_MAX];
    if (day_of("--date", date, utc_offset, &day, when, e) != 0)
        return -1;
    bool done = strcmp(state, "done") == 0;
    if (!done && (!note || !note[0]))
        return pc_errf(e, PC_EINVAL, "--reason: cancelling a work order needs a reason");
    if (db_begin(d, e) != 0)
        return -1;
    work_order_row o;
    if (work_order_get(d, order_id, &o, e) != 0)
        goto fail;
    if (strcmp(o.status, "open") != 0) {
        pc_errf(e, PC_ECONFLICT, "work order %lld is %s already (%s)", (long long)o.id, o.status, o.status_date);
        goto fail;
    }
    if (strcmp(when, o.created_date) < 0) {
        pc_errf(e, PC_EINVAL, "--date %s is before work order %lld was created (%s)", when, (long long)o.id,
                o.created_date);
        goto fail;
    }
    dunning_customer c;
    if (dunning_customer_get(d, o.customer_id, &c, e) != 0)
        goto fail;
    const char *after = NULL;
    if (done) {
        bool is_cut = strcmp(o.kind, "cut") == 0;
        if (strcmp(c.status, "terminated") == 0) {
            pc_errf(e, PC_ECONFLICT, "customer %s is terminated: cancel work order %lld instead", c.code, (long long)o.id);
            goto fail;
        }
        int64_t n = 0, amount = 0;
        bool prepaid = false;
        if (is_cut) {
            if (still_owing(d, o.customer_id, when, &n, &prepaid, e) != 0 ||
                (!prepaid && overdue_of(d, o.customer_id, when, &n, &amount, e) != 0))
                goto fail;
            if (n == 0) {
                pc_errf(e, PC_ECONFLICT, "customer %s has nothing %s on %s: cancel cut order %lld instead", c.code,
                        prepaid ? "below zero" : "overdue", when, (long long)o.id);
                goto fail;
            }
        }
        after = is_cut ? "disconnected" : "active";
        char reason[128];
        snprintf(reason, sizeof reason, "%s order %lld carried out on %s", o.kind, (long long)o.id, when);
        const char *keys[] = {"status"}, *values[] = {after};
        if (strcmp(c.status, after) != 0 && customer_update(d, actor, c.code, keys, values, 1, NULL, reason, e) != 0)
            goto fail;
        if (step_add(d, actor, o.customer_id, 0, is_cut ? "disconnected" : "reconnected", when, o.id, amount, e) != 0)
            goto fail;
    }
    if (order_end(d, actor, &o, state, when, note, done ? c.status : NULL, after, e) != 0 || work_order_get(d, order_id, out, e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int work_order_done(db *d, const char *actor, int64_t order_id, const char *date, const char *note, int utc_offset,
                    work_order_row *out, pc_err *e)
{
    return order_finish(d, actor, order_id, "done", date, note, utc_offset, out, e);
}

int work_order_cancel(db *d, const char *actor, int64_t order_id, const char *date, const char *reason,
                      int utc_offset, work_order_row *out, pc_err *e)
{
    return order_finish(d, actor, order_id, "cancelled", date, reason, utc_offset, out, e);
}

int work_orders_list(db *d, const char *kind, const char *status, const char *scope_code, work_order_fn fn, void *ctx,
                     pc_err *e)
{
    if (kind && strcmp(kind, "cut") != 0 && strcmp(kind, "reconnection") != 0)
        return pc_errf(e, PC_EINVAL, "--kind '%s': expected cut or reconnection", kind);
    if (status && strcmp(status, "open") != 0 && strcmp(status, "done") != 0 && strcmp(status, "cancelled") != 0)
        return pc_errf(e, PC_EINVAL, "--status '%s': expected open, done or cancelled", status);
    char path[160];
    if (scope_path_of(d, scope_code, path, e) != 0)
        return -1;
    return work_order_list(d, kind, status, path[0] ? path : NULL, 0, fn, ctx, e);
}

/* ---- disputes ---- */

/* "SYMBOL/NUMBER" → the invoice's id and customer. */
static int invoice_named(db *d, const char *name, int64_t *invoice_id, int64_t *customer_id, pc_err *e)
{
    const char *slash = name ? strchr(name, '/') : NULL;
    if (!slash || slash == name || slash - name > 15 || !slash[1])
        return pc_errf(e, PC_EINVAL, "invoice '%s': expected SYMBOL/NUMBER, as 1K25TAA/123", name ? name : "");
    char *end, symbol[16];
    long long number = strtoll(slash + 1, &end, 10);
    if (*end || number < 1)
        return pc_errf(e, PC_EINVAL, "invoice '%s': the number after '/' must be a whole number from 1", name);
    snprintf(symbol, sizeof symbol, "%.*s", (int)(slash - name), name);
    invoice_row *r = malloc(sizeof *r);
    if (!r)
        abort();
    int rc = invoice_get(d, symbol, number, 0, r, e);
    if (rc == 0) {
        *invoice_id = r->id;
        *customer_id = r->customer_id;
    } else if (e && e->code == PC_ENOTFOUND) {
        pc_errf(e, PC_ENOTFOUND, "no invoice %s", name);
    }
    free(r);
    return rc;
}

static int dispute_event(db *d, const char *actor, const char *event, const char *invoice, const char *reason,
                         const char *date, int utc_offset, dispute_row *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    bool opening = strcmp(event, "open") == 0;
    if (!reason || !reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: a dispute's %s needs a reason", opening ? "opening" : "closing");
    if (strlen(reason) >= sizeof out->reason)
        return pc_errf(e, PC_EINVAL, "--reason: at most %zu characters", sizeof out->reason - 1);
    civil_date day;
    if (day_of("--date", date, utc_offset, &day, out->event_date, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    bool open;
    if (invoice_named(d, invoice, &out->invoice_id, &out->customer_id, e) != 0 ||
        dispute_is_open(d, out->invoice_id, &open, e) != 0)
        goto fail;
    if (opening && open) {
        pc_errf(e, PC_ECONFLICT, "a dispute is open on invoice %s already", invoice);
        goto fail;
    }
    if (!opening && !open) {
        pc_errf(e, PC_ECONFLICT, "no dispute is open on invoice %s", invoice);
        goto fail;
    }
    snprintf(out->event, sizeof out->event, "%s", event);
    snprintf(out->reason, sizeof out->reason, "%s", reason);
    const char *slash = strchr(invoice, '/');
    snprintf(out->symbol, sizeof out->symbol, "%.*s", (int)(slash - invoice), invoice);
    out->number = strtoll(slash + 1, NULL, 10);
    dunning_customer c;
    if (dispute_insert(d, out, actor, e) != 0 || dunning_customer_get(d, out->customer_id, &c, e) != 0 ||
        audit_event(d, actor, opening ? "dispute.open" : "dispute.close", "invoice", invoice,
                    json_pack("{s:s, s:s, s:s}", "customer", c.code, "date", out->event_date, "reason", reason), e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int dispute_open(db *d, const char *actor, const char *invoice, const char *reason, const char *date, int utc_offset,
                 dispute_row *out, pc_err *e)
{
    return dispute_event(d, actor, "open", invoice, reason, date, utc_offset, out, e);
}

int dispute_close(db *d, const char *actor, const char *invoice, const char *reason, const char *date, int utc_offset,
                  dispute_row *out, pc_err *e)
{
    return dispute_event(d, actor, "close", invoice, reason, date, utc_offset, out, e);
}

/* ---- a customer's case ---- */

typedef struct {
    dunning_case *c;
    int cap;
} case_ctx;

static int case_step(void *ctx, const dunning_step_row *s)
{
    case_ctx *x = ctx;
    GROW(x->c->steps, x->c->nsteps, x->cap);
    x->c->steps[x->c->nsteps++] = *s;
    return 0;
}

static int case_order(void *ctx, const work_order_row *o)
{
    case_ctx *x = ctx;
    GROW(x->c->orders, x->c->norders, x->cap);
    x->c->orders[x->c->norders++] = *o;
    return 0;
}

static int case_dispute(void *ctx, const dispute_row *r)
{
    case_ctx *x = ctx;
    GROW(x->c->disputes, x->c->ndisputes, x->cap);
    x->c->disputes[x->c->ndisputes++] = *r;
    return 0;
}

int dunning_case_get(db *d, const char *customer_code, dunning_case *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    payer_row p;
    if (payer_get(d, customer_code, &p, e) != 0)
        return -1;
    snprintf(out->code, sizeof out->code, "%s", p.code);
    snprintf(out->name, sizeof out->name, "%s", p.name);
    snprintf(out->status, sizeof out->status, "%s", p.status);
    invoice_list l = {0};
    case_ctx steps = {out, 0}, orders = {out, 0}, disputes = {out, 0};
    int rc = dunning_invoices(d, NULL, p.id, "9999-12-31", collect_invoice, &l, e);
    out->invoices = l.v;
    out->ninvoices = l.n;
    if (rc == 0)
        rc = dunning_steps_of(d, p.id, case_step, &steps, e);
    if (rc == 0)
        rc = work_order_list(d, NULL, NULL, NULL, p.id, case_order, &orders, e);
    if (rc == 0)
        rc = disputes_of(d, p.id, case_dispute, &disputes, e);
    if (rc != 0)
        dunning_case_free(out);
    return rc;
}
