/* The prepaid part of the demo (docs/prepaid.md): a few residential customers of the first unit
 * with AMR meters switched to prepaid on the first day of the demo's last month, a read every day,
 * top-ups through the wallet and ECPay several times in the month, and the daily charge run of
 * every day, so the prepaid screen, statements, low-balance messages and a cut order or two have
 * something to show. Deterministic from the demo's seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/demo.h"
#include "app/payments.h"
#include "app/prepaid.h"
#include "formats/tariff_json.h"
#include "store/reads.h"
#include "store/repo.h"

#define DEMO_PREPAID_MAX 40

typedef struct {
    customer c;
    meter_spec m;
    int64_t index, last_read_id;
    int64_t daily; /* kWh a day, about */
    int64_t topup[3]; /* on days 1, 12 and 22 of the month (0: none) */
} prepaid_demo_customer;

int demo_prepaid(db *d, const char *actor, const demo_options *o, const demo_tree *t, demo_prepaid_summary *s,
                 pc_err *e)
{
    memset(s, 0, sizeof *s);
    int k = (int)(o->customers / 100);
    if (k < 4)
        k = 4;
    if (k > DEMO_PREPAID_MAX)
        k = DEMO_PREPAID_MAX;
    demo_rng r;
    demo_rng_init(&r, o->seed * 7919u + 17u);
    prepaid_demo_customer *v = calloc((size_t)k, sizeof *v);
    static tariff_set tariffs;
    if (!v)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    int rc = tariff_load_shipped(&tariffs, e);
    civil_month month = o->until;
    civil_date first = month_first_day(month), last = month_last_day(month);
    char first_s[DATE_FMT_MAX], before_s[DATE_FMT_MAX];
    date_format(first, first_s);
    date_format(first - 1, before_s);
    int64_t before_id = 0;
    if (rc == 0)
        rc = customer_max_id(d, &before_id, e);
    for (int i = 0; rc == 0 && i < k; i++) {
        prepaid_demo_customer *x = &v[i];
        demo_customer_make(&r, t, o->customers + 1 + i, &x->c, &x->m);
        customer *c = &x->c;
        c->purpose = PURPOSE_RESIDENTIAL;
        c->voltage[0] = '\0';
        c->renter = false;
        c->persons = 0;
        c->tou = false;
        c->households = 1 + (int)demo_rng_below(&r, 2);
        c->periods_per_month = 1;
        c->est_kwh_month = 90 + (int64_t)demo_rng_below(&r, 260);
        snprintf(c->valid_from, sizeof c->valid_from, "%s", before_s);
        snprintf(c->status, sizeof c->status, "active");
        x->m.tou = false;
        x->m.amr = true;
        x->m.multiplier = 1;
        x->daily = c->est_kwh_month / 30;
        /* what a month costs, about, and top-ups around it: some customers fall short */
        int64_t month_cost = c->est_kwh_month * 2300, share = 85 + (int64_t)demo_rng_below(&r, 90);
        int64_t planned = month_cost * share / 100 / 10000 * 10000;
        x->topup[0] = planned / 2 / 10000 * 10000 + 20000;
        x->topup[1] = demo_rng_below(&r, 4) ? planned / 4 / 10000 * 10000 + 10000 : 0;
        x->topup[2] = demo_rng_below(&r, 3) ? planned / 4 / 10000 * 10000 + 10000 : 0;
        org_row u;
        rc = org_get(d, c->unit, &u, e);
        if (rc == 0)
            rc = customer_validate(c, e);
        if (rc == 0)
            rc = customer_insert_unindexed(d, c, u.id, &x->m, e);
        if (rc != 0)
            break;
        read_row row;
        memset(&row, 0, sizeof row);
        row.customer_id = c->id;
        row.meter_id = x->m.id;
        snprintf(row.read_date, sizeof row.read_date, "%s", before_s);
        strcpy(row.kind, "initial");
        strcpy(row.status, "ok");
        strcpy(row.source, "demo");
        x->index = 1000 + (int64_t)demo_rng_below(&r, 50000);
        row.idx.has[REG_TOTAL] = true;
        row.idx.v[REG_TOTAL] = x->index;
        rc = read_insert(d, &row, actor, e);
        x->last_read_id = row.id;
    }
    /* searchable first: the switch's contract version keeps the index up to date itself */
    if (rc == 0)
        rc = customer_index_since(d, before_id, e);
    for (int i = 0; rc == 0 && i < k; i++) {
        prepaid_switch_result sw;
        rc = prepaid_enable(d, actor, v[i].c.code, first_s, "demo: a prepaid AMR meter", &sw, e);
    }
    s->customers = rc == 0 ? k : 0;
    /* the month day by day: the morning's top-ups, the day's read, the night's charge */
    static const int topup_day[3] = {1, 12, 22};
    for (civil_date day = first; rc == 0 && day <= last; day++) {
        char day_s[DATE_FMT_MAX];
        date_format(day, day_s);
        int dom = day - first + 1;
        for (int i = 0; rc == 0 && i < k; i++) {
            prepaid_demo_customer *x = &v[i];
            for (int j = 0; rc == 0 && j < 3; j++) {
                if (topup_day[j] != dom || !x->topup[j])
                    continue;
                char ref[40], at[40];
                snprintf(ref, sizeof ref, "DEMOPP-%s-%d", x->c.code, j + 1);
                snprintf(at, sizeof at, "%s %02d:%02d", day_s, 7 + (int)demo_rng_below(&r, 12), (int)demo_rng_below(&r, 60));
                bool wallet = (i + j) % 2 == 0;
                payment_request q = {.customer_code = x->c.code, .channel = "partner", .method = wallet ? "partner" : "transfer",
                                     .source = wallet ? "MOMO" : "ECPAY", .ext_ref = ref, .amount = x->topup[j], .paid_at = at};
                payment_result res;
                rc = payment_post(d, actor, 420, &q, &res, e);
                if (rc == 0) {
                    s->topups++;
                    s->topup_amount += x->topup[j];
                }
            }
            int64_t kwh = x->daily * (70 + (int64_t)demo_rng_below(&r, 61)) / 100;
            if (kwh < 1)
                kwh = 1;
            x->index += kwh;
            read_row row;
            memset(&row, 0, sizeof row);
            row.customer_id = x->c.id;
            row.meter_id = x->m.id;
            snprintf(row.read_date, sizeof row.read_date, "%s", day_s);
            strcpy(row.kind, "regular");
            strcpy(row.status, "ok");
            strcpy(row.source, "amr");
            row.idx.has[REG_TOTAL] = true;
            row.idx.v[REG_TOTAL] = x->index;
            row.prev_read_id = x->last_read_id;
            row.kwh_known = true;
            row.kwh.has[REG_TOTAL] = true;
            row.kwh.v[REG_TOTAL] = kwh;
            row.kwh_sum = kwh;
            if (rc == 0)
                rc = read_insert(d, &row, actor, e);
            x->last_read_id = row.id;
        }
        prepaid_run_summary run;
        if (rc == 0 && (rc = prepaid_charge_run(d, actor, NULL, &tariffs, day_s, NULL, &run, e)) == 0) {
            s->charges += run.accounts;
            s->charged += run.amount;
            s->cut_orders += run.cut_orders;
            s->low_notices += run.low_notices;
            prepaid_run_summary_free(&run);
        }
    }
    if (rc == 0) {
        int64_t bz, low, n;
        rc = prepaid_counts(d, NULL, 50000, &bz, &low, &n, e);
        s->below_zero = bz;
    }
    free(v);
    return rc;
}
