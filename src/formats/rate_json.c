/* The request and response JSON of `powercis rate` (rate_json.h). */
#include "formats/rate_json.h"

#include <string.h>

/* Parses the request object into q; errors name the field. */
int rate_request_from_json(json_t *o, rate_request *q, pc_err *e)
{
    static const char *const known[] = {"purpose", "voltage", "previous_reading", "reading", "kwh",
                                        "households", "renter", "persons", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        int ok = 0;
        for (const char *const *k = known; *k; k++)
            ok |= strcmp(key, *k) == 0;
        if (!ok)
            return pc_errf(e, PC_EINVAL, "%s: unknown field", key);
    }
    memset(q, 0, sizeof *q);
    q->households = 1;
    q->voltage = -1;
    v = json_object_get(o, "purpose");
    if (!json_is_string(v))
        return pc_errf(e, PC_EINVAL, "purpose: required, a string");
    if (purpose_parse(json_string_value(v), &q->purpose, e) != 0)
        return pc_err_prefix(e, "purpose");
    v = json_object_get(o, "voltage");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v))
            return pc_errf(e, PC_EINVAL, "voltage: must be a string");
        q->voltage = voltage_index(json_string_value(v));
        if (q->voltage < 0 && !purpose_is_residential(q->purpose))
            return pc_errf(e, PC_EINVAL, "voltage: '%s' is not one of <6kV, 6-22kV, 22-110kV, >=110kV",
                           json_string_value(v));
    }
    static const char *const dates[2] = {"previous_reading", "reading"};
    civil_date *dst[2] = {&q->previous_reading, &q->reading};
    for (int i = 0; i < 2; i++) {
        v = json_object_get(o, dates[i]);
        if (!json_is_string(v))
            return pc_errf(e, PC_EINVAL, "%s: required, a date YYYY-MM-DD", dates[i]);
        if (date_parse(json_string_value(v), dst[i], e) != 0)
            return pc_err_prefix(e, "%s", dates[i]);
    }
    v = json_object_get(o, "kwh");
    if (json_is_integer(v)) {
        q->kwh = json_integer_value(v);
    } else if (json_is_object(v)) {
        static const char *const regs[TOU_REGISTERS] = {"normal", "peak", "offpeak"};
        q->registers = true;
        const char *rk;
        json_t *rv;
        json_object_foreach(v, rk, rv)
        {
            int g = -1;
            for (int i = 0; i < TOU_REGISTERS; i++)
                if (strcmp(rk, regs[i]) == 0)
                    g = i;
            if (g < 0)
                return pc_errf(e, PC_EINVAL, "kwh.%s: unknown register (normal, peak, offpeak)", rk);
            if (!json_is_integer(rv))
                return pc_errf(e, PC_EINVAL, "kwh.%s: must be a whole number", rk);
            q->reg_kwh[g] = json_integer_value(rv);
        }
    } else {
        return pc_errf(e, PC_EINVAL, "kwh: required, a whole number or {\"normal\", \"peak\", \"offpeak\"}");
    }
    v = json_object_get(o, "households");
    if (v) {
        if (!json_is_integer(v))
            return pc_errf(e, PC_EINVAL, "households: must be a whole number");
        if (json_integer_value(v) < 1 || json_integer_value(v) > 999)
            return pc_errf(e, PC_EINVAL, "households: must be from 1 to 999");
        q->households = (int)json_integer_value(v);
    }
    v = json_object_get(o, "renter");
    if (v) {
        if (!json_is_boolean(v))
            return pc_errf(e, PC_EINVAL, "renter: must be true or false");
        q->renter = json_is_true(v);
    }
    v = json_object_get(o, "persons");
    if (v && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 9999)
            return pc_errf(e, PC_EINVAL, "persons: must be a whole number from 1 to 9999");
        q->persons = (int)json_integer_value(v);
    }
    return 0;
}

json_t *rate_result_json(const rate_result *r)
{
    json_t *lines = json_array();
    for (int i = 0; i < r->nlines; i++) {
        const rate_line *l = &r->lines[i];
        char from[DATE_FMT_MAX], to[DATE_FMT_MAX];
        json_t *o = json_pack("{s:s, s:s}", "from", date_format(l->from, from), "to", date_format(l->to, to));
        if (l->tier)
            json_object_set_new(o, "tier", json_integer(l->tier));
        else
            json_object_set_new(o, "register", json_string(l->item));
        json_object_set_new(o, "kwh", json_integer(l->kwh));
        json_object_set_new(o, "price", json_integer(l->price));
        json_object_set_new(o, "amount", json_integer(l->amount));
        json_array_append_new(lines, o);
    }
    return json_pack("{s:I, s:i, s:I, s:I, s:I, s:o}", "energy", (json_int_t)r->energy, "vat_rate", r->vat_rate, "vat",
                     (json_int_t)r->vat, "total", (json_int_t)r->total, "kwh", (json_int_t)r->kwh, "lines", lines);
}

