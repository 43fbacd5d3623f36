/* Tariff data files (see tariff_json.h), parsed with jansson. */
#include "formats/tariff_json.h"

#include <errno.h>
#include "base/buf.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct {
    const char *name;
    const char *text;
} tariff_files[];
extern const size_t tariff_files_count;

const char *const tariff_file_names[TARIFF_FILES] = {"residential.json", "nonresidential.json", "vat.json", "solar.json"};

static int get_date(json_t *o, const char *key, civil_date *out, const char *where, pc_err *e)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return pc_errf(e, PC_EINVAL, "%s: '%s' must be a date YYYY-MM-DD", where, key);
    if (date_parse(json_string_value(v), out, e) != 0)
        return pc_err_prefix(e, "%s: %s", where, key);
    return 0;
}

static int get_price(json_t *v, int64_t *out, const char *where, pc_err *e)
{
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return pc_errf(e, PC_EINVAL, "%s: a price must be a positive whole number of đồng", where);
    *out = json_integer_value(v);
    return 0;
}

static void get_decision(json_t *o, char *out, size_t cap, bool *verified)
{
    json_t *d = json_object_get(o, "decision");
    snprintf(out, cap, "%s", json_is_string(d) ? json_string_value(d) : "?");
    json_t *v = json_object_get(o, "verified");
    *verified = !json_is_false(v);
}

static int load_residential(tariff_set *t, json_t *root, const char *file, pc_err *e)
{
    json_t *pph = json_object_get(root, "persons_per_household");
    t->persons_per_household = json_is_integer(pph) ? (int)json_integer_value(pph) : 4;
    json_t *arr = json_object_get(root, "schedules");
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > TARIFF_MAX_SCHEDULES)
        return pc_errf(e, PC_EINVAL, "%s: 'schedules' must list 1 to %d schedules", file, TARIFF_MAX_SCHEDULES);
    t->nres = 0;
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        residential_schedule *r = &t->res[t->nres];
        memset(r, 0, sizeof *r);
        char where[128];
        snprintf(where, sizeof where, "%s: schedule %zu", file, i + 1);
        get_decision(s, r->decision, sizeof r->decision, &r->verified);
        if (get_date(s, "effective", &r->effective, where, e) != 0)
            return -1;
        json_t *pp = json_object_get(s, "prepaid_price");
        if (pp && get_price(pp, &r->prepaid_price, where, e) != 0)
            return -1;
        json_t *tiers = json_object_get(s, "tiers");
        if (!json_is_array(tiers) || json_array_size(tiers) == 0 || json_array_size(tiers) > TARIFF_MAX_TIERS)
            return pc_errf(e, PC_EINVAL, "%s: 'tiers' must list 1 to %d tiers", where, TARIFF_MAX_TIERS);
        size_t k;
        json_t *tier;
        json_array_foreach(tiers, k, tier)
        {
            json_t *upto = json_object_get(tier, "upto");
            if (json_is_null(upto))
                r->tiers[k].upto = -1;
            else if (json_is_integer(upto) && json_integer_value(upto) > 0)
                r->tiers[k].upto = json_integer_value(upto);
            else
                return pc_errf(e, PC_EINVAL, "%s: tier %zu: 'upto' must be a positive kWh bound or null", where, k + 1);
            if (get_price(json_object_get(tier, "price"), &r->tiers[k].price, where, e) != 0)
                return pc_err_prefix(e, "tier %zu", k + 1);
        }
        r->ntiers = (int)json_array_size(tiers);
        t->nres++;
    }
    return 0;
}

static int load_nonresidential(tariff_set *t, json_t *root, const char *file, pc_err *e)
{
    json_t *arr = json_object_get(root, "schedules");
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > TARIFF_MAX_SCHEDULES)
        return pc_errf(e, PC_EINVAL, "%s: 'schedules' must list 1 to %d schedules", file, TARIFF_MAX_SCHEDULES);
    t->nnonres = 0;
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        nonresidential_schedule *r = &t->nonres[t->nnonres];
        memset(r, 0, sizeof *r);
        char where[160];
        snprintf(where, sizeof where, "%s: schedule %zu", file, i + 1);
        get_decision(s, r->decision, sizeof r->decision, &r->verified);
        if (get_date(s, "effective", &r->effective, where, e) != 0)
            return -1;
        for (int p = PURPOSE_PRODUCTION; p < PURPOSE_COUNT; p++) {
            json_t *bands = json_object_get(s, purpose_name((customer_purpose)p));
            if (!json_is_object(bands))
                return pc_errf(e, PC_EINVAL, "%s: '%s' prices are missing", where, purpose_name((customer_purpose)p));
            const char *band;
            json_t *v;
            json_object_foreach(bands, band, v)
            {
                int vi = voltage_index(band);
                char w2[224];
                snprintf(w2, sizeof w2, "%s: %s %s", where, purpose_name((customer_purpose)p), band);
                if (vi < 0)
                    return pc_errf(e, PC_EINVAL, "%s: unknown voltage band", w2);
                price_cell *c = &r->cells[p][vi];
                c->set = true;
                if (json_is_array(v)) {
                    /* [normal, offpeak, peak] as the decisions print them */
                    if (json_array_size(v) != 3)
                        return pc_errf(e, PC_EINVAL, "%s: give [normal, offpeak, peak]", w2);
                    if (get_price(json_array_get(v, 0), &c->price[TOU_NORMAL], w2, e) ||
                        get_price(json_array_get(v, 1), &c->price[TOU_OFFPEAK], w2, e) ||
                        get_price(json_array_get(v, 2), &c->price[TOU_PEAK], w2, e))
                        return -1;
                } else {
                    if (get_price(v, &c->price[0], w2, e) != 0)
                        return -1;
                    c->price[1] = c->price[2] = c->price[0];
                    c->flat = true;
                }
            }
            for (int vi = 0; vi < VOLTAGE_BANDS; vi++)
                if (!r->cells[p][vi].set)
                    return pc_errf(e, PC_EINVAL, "%s: %s has no price for %s", where, purpose_name((customer_purpose)p),
                                   voltage_name(vi));
        }
        t->nnonres++;
    }
    return 0;
}

static int load_vat(tariff_set *t, json_t *root, const char *file, pc_err *e)
{
    json_t *arr = json_object_get(root, "periods");
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > TARIFF_MAX_VAT)
        return pc_errf(e, PC_EINVAL, "%s: 'periods' must list 1 to %d periods", file, TARIFF_MAX_VAT);
    t->nvat = 0;
    size_t i;
    json_t *p;
    json_array_foreach(arr, i, p)
    {
        char where[128];
        snprintf(where, sizeof where, "%s: period %zu", file, i + 1);
        vat_period *v = &t->vat[t->nvat];
        json_t *rate = json_object_get(p, "rate");
        if (get_date(p, "from", &v->from, where, e) || get_date(p, "to", &v->to, where, e))
            return -1;
        if (!json_is_integer(rate))
            return pc_errf(e, PC_EINVAL, "%s: 'rate' must be a whole percentage", where);
        v->rate = (int)json_integer_value(rate);
        t->nvat++;
    }
    return 0;
}

static int load_solar(tariff_set *t, json_t *root, const char *file, pc_err *e)
{
    json_t *arr = json_object_get(root, "schedules");
    if (!json_is_array(arr) || json_array_size(arr) > TARIFF_MAX_SCHEDULES)
        return pc_errf(e, PC_EINVAL, "%s: 'schedules' must list up to %d schedules", file, TARIFF_MAX_SCHEDULES);
    t->nsolar = 0;
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        char where[128];
        snprintf(where, sizeof where, "%s: schedule %zu", file, i + 1);
        solar_schedule *p = &t->solar[t->nsolar];
        bool verified;
        get_decision(s, p->decision, sizeof p->decision, &verified);
        if (get_date(s, "effective", &p->effective, where, e) != 0)
            return -1;
        json_t *dong = json_object_get(s, "dong_per_kwh");
        json_t *cents = json_object_get(s, "cents_per_kwh_x100"), *rate = json_object_get(s, "usd_rate");
        if (dong) {
            if (get_price(dong, &p->price, where, e) != 0)
                return -1;
        } else if (json_is_integer(cents) && json_is_integer(rate) && json_integer_value(cents) > 0 &&
                   json_integer_value(rate) > 0) {
            p->price = solar_price(json_integer_value(cents), json_integer_value(rate));
        } else {
            return pc_errf(e, PC_EINVAL, "%s: give dong_per_kwh, or cents_per_kwh_x100 and usd_rate", where);
        }
        if (t->nsolar > 0 && p->effective <= t->solar[t->nsolar - 1].effective)
            return pc_errf(e, PC_EINVAL, "%s: schedules must be in date order", where);
        t->nsolar++;
    }
    return 0;
}

int tariff_load_text(tariff_set *t, const char *name, const char *text, pc_err *e)
{
    int (*loader)(tariff_set *, json_t *, const char *, pc_err *) =
        strcmp(name, "residential.json") == 0      ? load_residential
        : strcmp(name, "nonresidential.json") == 0 ? load_nonresidential
        : strcmp(name, "vat.json") == 0            ? load_vat
        : strcmp(name, "solar.json") == 0          ? load_solar
                                                   : NULL;
    if (!loader)
        return 0;
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    if (!root)
        return pc_errf(e, PC_EINVAL, "%s line %d: %s", name, je.line, je.text);
    int rc = loader(t, root, name, e);
    json_decref(root);
    return rc;
}

int tariff_load_shipped(tariff_set *t, pc_err *e)
{
    memset(t, 0, sizeof *t);
    t->persons_per_household = 4;
    for (size_t i = 0; i < tariff_files_count; i++)
        if (tariff_load_text(t, tariff_files[i].name, tariff_files[i].text, e) != 0)
            return pc_err_prefix(e, "shipped tariffs");
    return tariff_validate(t, e);
}

int tariff_load_dir(tariff_set *t, const char *dir, pc_err *e)
{
    if (tariff_load_shipped(t, e) != 0)
        return -1;
    int found = 0;
    for (size_t i = 0; i < sizeof tariff_file_names / sizeof *tariff_file_names; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, tariff_file_names[i]);
        buf text = {0};
        if (buf_read_file(&text, path, 4u << 20, e) != 0) {
            buf_free(&text);
            if (e && e->code == PC_ENOTFOUND)
                continue;
            return -1;
        }
        int rc = tariff_load_text(t, tariff_file_names[i], text.data, e);
        buf_free(&text);
        if (rc != 0)
            return pc_err_prefix(e, "%s", dir);
        found++;
    }
    if (!found)
        return pc_errf(e, PC_EINVAL, "--tariffs: '%s' has none of residential.json, nonresidential.json, vat.json, solar.json", dir);
    return tariff_validate(t, e);
}
