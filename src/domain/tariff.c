/* The rating rule (see tariff.h and DOMAIN 5.6). Every division goes through domain/rounding. */
#include "domain/tariff.h"

#include <stdio.h>
#include <string.h>

#include "domain/rounding.h"

static const char *const voltage_bands[VOLTAGE_BANDS] = {"<6kV", "6-22kV", "22-110kV", ">=110kV"};

int voltage_index(const char *band)
{
    for (int i = 0; i < VOLTAGE_BANDS; i++)
        if (strcmp(band, voltage_bands[i]) == 0)
            return i;
    return -1;
}

const char *voltage_name(int index)
{
    return index >= 0 && index < VOLTAGE_BANDS ? voltage_bands[index] : "?";
}

int tariff_vat_rate(const tariff_set *t, civil_date d)
{
    for (int i = 0; i < t->nvat; i++)
        if (t->vat[i].from <= d && d <= t->vat[i].to)
            return t->vat[i].rate;
    return -1;
}

int tariff_residential_in_force(const tariff_set *t, civil_date d)
{
    int k = -1;
    for (int i = 0; i < t->nres; i++)
        if (t->res[i].effective <= d)
            k = i;
    return k;
}

int tariff_nonresidential_in_force(const tariff_set *t, civil_date d)
{
    int k = -1;
    for (int i = 0; i < t->nnonres; i++)
        if (t->nonres[i].effective <= d)
            k = i;
    return k;
}

int64_t solar_price(int64_t cents_x100, int64_t usd_rate)
{
    return cents_x100 * usd_rate / 10000;
}

int tariff_solar_credit(const tariff_set *t, civil_date last_day, int64_t kwh, solar_credit *out, pc_err *e)
{
    if (kwh <= 0 || kwh > 1000000000LL)
        return pc_errf(e, PC_EINVAL, "kwh: the exported energy must be a positive whole number");
    int k = -1;
    for (int i = 0; i < t->nsolar; i++)
        if (t->solar[i].effective <= last_day)
            k = i;
    if (k < 0) {
        char d[DATE_FMT_MAX];
        return pc_errf(e, PC_EINVAL, "period: no rooftop-solar price in force on %s", date_format(last_day, d));
    }
    out->kwh = kwh;
    out->price = t->solar[k].price;
    out->amount = kwh * out->price;
    out->decision = t->solar[k].decision;
    return 0;
}

/* part j of a period that has cumulative day counts cum[] over T days: its share of `whole`,
 * so that the parts add up to `whole` exactly. */
static int64_t share(int64_t whole, const int32_t *cum, int j, int32_t days)
{
    int64_t upto = 0, before = 0;
    round_half_up_muldiv(whole, cum[j], days, &upto);
    if (j > 0)
        round_half_up_muldiv(whole, cum[j - 1], days, &before);
    return upto - before;
}

typedef struct {
    civil_date from, to;
    int schedule;
} part;

/* Splits (prev, reading] at every schedule change; the schedules are in date order. */
static int make_parts(const civil_date *effective, int n, civil_date prev, civil_date reading, part *parts,
                      int *nparts, pc_err *e)
{
    civil_date first = prev + 1;
    int cur = -1;
    for (int i = 0; i < n; i++)
        if (effective[i] <= first)
            cur = i;
    if (cur < 0) {
        char d[DATE_FMT_MAX];
        return pc_errf(e, PC_EINVAL, "previous_reading: no tariff in force on %s", date_format(first, d));
    }
    int np = 0;
    parts[np++] = (part){first, reading, cur};
    for (int i = cur + 1; i < n && effective[i] <= reading; i++) {
        if (np == RATE_MAX_PARTS)
            return pc_errf(e, PC_EINVAL, "reading: more than %d price changes inside one period", RATE_MAX_PARTS - 1);
        parts[np - 1].to = effective[i] - 1;
        parts[np++] = (part){effective[i], reading, i};
    }
    *nparts = np;
    return 0;
}

static const char *const tier_items[TARIFF_MAX_TIERS] = {"tier 1", "tier 2", "tier 3",  "tier 4",  "tier 5",  "tier 6",
                                                          "tier 7", "tier 8", "tier 9", "tier 10", "tier 11", "tier 12"};

static int add_line(rate_result *r, const part *p, const char *item, int tier, int64_t kwh, int64_t price, pc_err *e)
{
    if (kwh == 0)
        return 0;
    if (r->nlines == RATE_MAX_LINES)
        return pc_errf(e, PC_EINVAL, "too many invoice lines");
    rate_line *l = &r->lines[r->nlines++];
    l->from = p->from;
    l->to = p->to;
    l->tier = tier;
    l->item = item;
    l->kwh = kwh;
    l->price = price;
    if (__builtin_mul_overflow(kwh, price, &l->amount) || __builtin_add_overflow(r->energy, l->amount, &r->energy))
        return pc_errf(e, PC_EINVAL, "kwh: the amount overflows");
    return 0;
}

/* The tier that holds the 101st kWh: the 101–200 tier of the six-tier table (DOMAIN 5.3). */
static int renter_tier(const residential_schedule *s)
{
    for (int i = 0; i < s->ntiers; i++)
        if (s->tiers[i].upto < 0 || s->tiers[i].upto >= 101)
            return i;
    return s->ntiers - 1;
}

static int rate_residential(const tariff_set *t, const rate_request *q, int64_t kwh, const part *parts, int np,
                            const int32_t *cum, int32_t days, rate_result *r, pc_err *e)
{
    for (int j = 0; j < np; j++) {
        const residential_schedule *s = &t->res[parts[j].schedule];
        int64_t left = share(kwh, cum, j, days);
        if (q->renter && q->persons == 0) {
            int i = renter_tier(s);
            if (add_line(r, &parts[j], tier_items[i], i + 1, left, s->tiers[i].price, e) != 0)
                return -1;
            continue;
        }
        int64_t below = 0;
        for (int i = 0; i < s->ntiers && left > 0; i++) {
            const tariff_tier *tt = &s->tiers[i];
            int64_t take = left;
            if (tt->upto >= 0) {
                int64_t monthly = tt->upto - below, quota;
                below = tt->upto;
                if (q->renter)
                    round_half_up_muldiv(monthly, q->persons, t->persons_per_household, &quota);
                else
                    quota = monthly * q->households;
                int64_t part_quota = share(quota, cum, j, days);
                if (take > part_quota)
                    take = part_quota;
            }
            if (add_line(r, &parts[j], tier_items[i], i + 1, take, tt->price, e) != 0)
                return -1;
            left -= take;
        }
    }
    return 0;
}

static int rate_nonresidential(const tariff_set *t, const rate_request *q, const part *parts, int np,
                               const int32_t *cum, int32_t days, rate_result *r, pc_err *e)
{
    static const char *const reg_names[TOU_REGISTERS] = {"normal", "peak", "offpeak"};
    for (int j = 0; j < np; j++) {
        const nonresidential_schedule *s = &t->nonres[parts[j].schedule];
        const price_cell *c = &s->cells[q->purpose][q->voltage];
        if (!c->set)
            return pc_errf(e, PC_EINVAL, "voltage: %s has no %s price at %s", s->decision, purpose_name(q->purpose),
                           voltage_name(q->voltage));
        if (c->flat) {
            int64_t total = q->kwh;
            if (q->registers)
                total = q->reg_kwh[0] + q->reg_kwh[1] + q->reg_kwh[2];
            if (add_line(r, &parts[j], "flat", 0, share(total, cum, j, days), c->price[0], e) != 0)
                return -1;
        } else if (q->registers) {
            for (int g = 0; g < TOU_REGISTERS; g++)
                if (add_line(r, &parts[j], reg_names[g], 0, share(q->reg_kwh[g], cum, j, days), c->price[g], e) != 0)
                    return -1;
        } else {
            /* A meter without registers pays the normal-hours price. */
            if (add_line(r, &parts[j], "normal", 0, share(q->kwh, cum, j, days), c->price[TOU_NORMAL], e) != 0)
                return -1;
        }
    }
    return 0;
}

int tariff_rate(const tariff_set *t, const rate_request *q, rate_result *r, pc_err *e)
{
    /* Only the counters are reset: clearing all 64 lines would cost more than the rating. */
    r->nlines = r->nparts = 0;
    r->kwh = r->energy = r->vat = r->total = 0;
    r->vat_rate = 0;
    if (q->purpose >= PURPOSE_COUNT)
        return pc_errf(e, PC_EINVAL, "purpose: unknown");
    bool residential = purpose_is_residential(q->purpose);
    if (!residential && (q->voltage < 0 || q->voltage >= VOLTAGE_BANDS))
        return pc_errf(e, PC_EINVAL, "voltage: required for %s (<6kV, 6-22kV, 22-110kV, >=110kV)", purpose_name(q->purpose));
    if (q->reading <= q->previous_reading)
        return pc_errf(e, PC_EINVAL, "reading: must be after previous_reading");
    if (q->reading - q->previous_reading > 366)
        return pc_errf(e, PC_EINVAL, "reading: a reading period longer than a year");
    int64_t kwh = q->kwh;
    if (q->registers) {
        kwh = 0;
        for (int g = 0; g < TOU_REGISTERS; g++) {
            if (q->reg_kwh[g] < 0)
                return pc_errf(e, PC_EINVAL, "kwh: must not be negative");
            kwh += q->reg_kwh[g];
        }
    } else if (kwh < 0) {
        return pc_errf(e, PC_EINVAL, "kwh: must not be negative");
    }
    if (kwh > 1000000000000LL)
        return pc_errf(e, PC_EINVAL, "kwh: too large");
    if (q->households < 1 || q->households > 999)
        return pc_errf(e, PC_EINVAL, "households: must be from 1 to 999");
    if (q->persons < 0 || q->persons > 9999)
        return pc_errf(e, PC_EINVAL, "persons: must be from 1 to 9999");
    if (q->persons > 0 && !q->renter)
        return pc_errf(e, PC_EINVAL, "persons: declared persons apply to renters only");
    if (q->renter && !residential)
        return pc_errf(e, PC_EINVAL, "renter: the renters' rule applies to residential customers only");
    if (q->renter && q->households != 1)
        return pc_errf(e, PC_EINVAL, "households: a renter counts households from persons");
    r->vat_rate = tariff_vat_rate(t, q->reading);
    if (r->vat_rate < 0) {
        char d[DATE_FMT_MAX];
        return pc_errf(e, PC_EINVAL, "reading: no VAT rate in force on %s", date_format(q->reading, d));
    }

    civil_date effective[TARIFF_MAX_SCHEDULES];
    int n = residential ? t->nres : t->nnonres;
    for (int i = 0; i < n; i++)
        effective[i] = residential ? t->res[i].effective : t->nonres[i].effective;
    part parts[RATE_MAX_PARTS];
    int np = 0;
    if (make_parts(effective, n, q->previous_reading, q->reading, parts, &np, e) != 0)
        return -1;
    int32_t cum[RATE_MAX_PARTS], days = q->reading - q->previous_reading;
    for (int j = 0; j < np; j++)
        cum[j] = parts[j].to - q->previous_reading;
    r->nparts = np;
    r->kwh = kwh;
    int rc = residential ? rate_residential(t, q, kwh, parts, np, cum, days, r, e)
                         : rate_nonresidential(t, q, parts, np, cum, days, r, e);
    if (rc != 0)
        return -1;
    if (!round_half_up_muldiv(r->energy, r->vat_rate, 100, &r->vat))
        return pc_errf(e, PC_EINVAL, "kwh: the amount overflows");
    r->total = r->energy + r->vat;
    return 0;
}

int tariff_validate(const tariff_set *t, pc_err *e)
{
    if (t->persons_per_household < 1)
        return pc_errf(e, PC_EINVAL, "persons_per_household: must be at least 1");
    for (int i = 0; i < t->nres; i++) {
        const residential_schedule *s = &t->res[i];
        if (i > 0 && s->effective <= t->res[i - 1].effective)
            return pc_errf(e, PC_EINVAL, "residential %s: schedules must be in date order", s->decision);
        if (s->ntiers < 1)
            return pc_errf(e, PC_EINVAL, "residential %s: no tiers", s->decision);
        int64_t below = 0;
        for (int k = 0; k < s->ntiers; k++) {
            bool last = k == s->ntiers - 1;
            if (last != (s->tiers[k].upto < 0))
                return pc_errf(e, PC_EINVAL, "residential %s: only the last tier is open-ended (tier %d)", s->decision, k + 1);
            if (!last && s->tiers[k].upto <= below)
                return pc_errf(e, PC_EINVAL, "residential %s: tier %d bound must rise", s->decision, k + 1);
            if (s->tiers[k].price <= 0)
                return pc_errf(e, PC_EINVAL, "residential %s: tier %d has no price", s->decision, k + 1);
            if (!last)
                below = s->tiers[k].upto;
        }
    }
    for (int i = 1; i < t->nnonres; i++)
        if (t->nonres[i].effective <= t->nonres[i - 1].effective)
            return pc_errf(e, PC_EINVAL, "non-residential %s: schedules must be in date order", t->nonres[i].decision);
    for (int i = 0; i < t->nvat; i++) {
        if (t->vat[i].to < t->vat[i].from || t->vat[i].rate < 0 || t->vat[i].rate > 100)
            return pc_errf(e, PC_EINVAL, "vat: period %d is empty or its rate is out of range", i + 1);
        if (i > 0 && t->vat[i].from != t->vat[i - 1].to + 1)
            return pc_errf(e, PC_EINVAL, "vat: period %d does not start the day after period %d ends", i + 1, i);
    }
    return 0;
}
