/* Customer service requests: types, calendar, the use cases and the indicator report (see
 * service.h). */
#include "app/service.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "app/audit.h"
#include "app/customers.h"
#include "app/notify.h"
#include "base/buf.h"
#include "base/fold.h"
#include "base/hash.h"
#include "store/repo.h"

extern const struct {
    const char *name;
    const char *text;
} service_data_files[];
extern const size_t service_data_files_count;

/* ---- types and calendar (loaded once per process) ---- */

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static svc_type *types;
static int ntypes;
static json_t *types_root;
static workcal_data cal_data;
static workcal cal;
static pc_err load_err;
static int load_rc;

static const char *shipped(const char *name)
{
    for (size_t i = 0; i < service_data_files_count; i++)
        if (strcmp(service_data_files[i].name, name) == 0)
            return service_data_files[i].text;
    return NULL;
}

static char *slurp(const char *path, pc_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        pc_errf(e, PC_EIO, "%s: cannot be read", path);
        return NULL;
    }
    buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    buf_append(&b, "", 1);
    return b.data;
}

static bool is_string_array(const json_t *a)
{
    if (!a)
        return true;
    if (!json_is_array(a))
        return false;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (!json_is_string(v)) return false;
    return true;
}

static int parse_types(const char *text, const char *name, pc_err *e)
{
    json_error_t je;
    types_root = json_loads(text, 0, &je);
    if (!types_root)
        return pc_errf(e, PC_EINVAL, "%s line %d: %s", name, je.line, je.text);
    json_t *steps = json_object_get(types_root, "steps");
    json_t *arr = json_object_get(types_root, "types");
    if (!json_is_object(steps) || !json_is_array(arr) || json_array_size(arr) == 0)
        return pc_errf(e, PC_EINVAL, "%s: expected \"steps\" (an object) and \"types\" (a list)", name);
    ntypes = (int)json_array_size(arr);
    types = calloc((size_t)ntypes, sizeof *types);
    if (!types)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    for (int i = 0; i < ntypes; i++) {
        json_t *t = json_array_get(arr, (size_t)i);
        svc_type *y = &types[i];
        const char *code = json_string_value(json_object_get(t, "code"));
        const char *reg = json_string_value(json_object_get(t, "registry"));
        json_t *st = json_object_get(t, "steps");
        if (!code || !code[0] || strlen(code) >= sizeof y->code)
            return pc_errf(e, PC_EINVAL, "%s: type %d has no code", name, i + 1);
        snprintf(y->code, sizeof y->code, "%s", code);
        snprintf(y->vi, sizeof y->vi, "%s", json_string_value(json_object_get(t, "vi")) ? json_string_value(json_object_get(t, "vi")) : code);
        snprintf(y->en, sizeof y->en, "%s", json_string_value(json_object_get(t, "en")) ? json_string_value(json_object_get(t, "en")) : code);
        if (!reg || (strcmp(reg, "new_supply") && strcmp(reg, "update") && strcmp(reg, "none")))
            return pc_errf(e, PC_EINVAL, "%s: type %s: registry must be new_supply, update or none", name, code);
        snprintf(y->registry, sizeof y->registry, "%s", reg);
        y->new_customer = json_is_true(json_object_get(t, "new_customer"));
        if (y->new_customer != (strcmp(reg, "new_supply") == 0))
            return pc_errf(e, PC_EINVAL, "%s: type %s: a new supply (registry new_supply) and only it has "
                                         "new_customer true", name, code);
        y->notice_days = (int)json_integer_value(json_object_get(t, "notice_days"));
        y->defaults = json_object_get(t, "defaults");
        y->requires = json_object_get(t, "requires");
        y->accepts = json_object_get(t, "accepts");
        y->fixed = json_object_get(t, "fixed");
        if (!is_string_array(y->requires) || !is_string_array(y->accepts) ||
            (y->defaults && !json_is_object(y->defaults)) || (y->fixed && !json_is_object(y->fixed)))
            return pc_errf(e, PC_EINVAL, "%s: type %s: requires/accepts are lists of names, defaults/fixed objects",
                           name, code);
        if (!json_is_array(st) || json_array_size(st) == 0 || json_array_size(st) > SVC_MAX_STEPS)
            return pc_errf(e, PC_EINVAL, "%s: type %s: 1 to %d steps expected", name, code, SVC_MAX_STEPS);
        size_t k;
        json_t *s;
        json_array_foreach(st, k, s)
        {
            const char *sc = json_string_value(json_array_get(s, 0));
            json_t *days = json_array_get(s, 1);
            if (!sc || !json_object_get(steps, sc) || !json_is_integer(days) || json_integer_value(days) < 0 ||
                json_integer_value(days) > 250)
                return pc_errf(e, PC_EINVAL,
                               "%s: type %s step %zu: expected [\"<a step of \\\"steps\\\">\", working days 0-250]",
                               name, code, k + 1);
            snprintf(y->steps[k].code, sizeof y->steps[k].code, "%s", sc);
            y->steps[k].days = (int)json_integer_value(days);
            y->total_days += y->steps[k].days;
        }
        y->nsteps = (int)json_array_size(st);
        for (int j = 0; j < i; j++)
            if (strcmp(types[j].code, code) == 0)
                return pc_errf(e, PC_EINVAL, "%s: type %s is given twice", name, code);
    }
    return 0;
}

static void load(void)
{
    const char *tpath = getenv("POWERCIS_SERVICE_TYPES"), *hpath = getenv("POWERCIS_HOLIDAYS");
    char *ttext = NULL, *htext = NULL;
    load_rc = -1;
    if (tpath && tpath[0] && !(ttext = slurp(tpath, &load_err)))
        return;
    if (hpath && hpath[0] && !(htext = slurp(hpath, &load_err))) {
        free(ttext);
        return;
    }
    const char *tt = ttext ? ttext : shipped("service_types.json");
    const char *ht = htext ? htext : shipped("vn.csv");
    if (!tt || !ht)
        pc_errf(&load_err, PC_EINTERNAL, "the service data is not built in");
    else if (parse_types(tt, ttext ? tpath : "service_types.json", &load_err) == 0 &&
             workcal_parse_csv(ht, &cal_data, &load_err) == 0) {
        cal = workcal_of(&cal_data);
        load_rc = 0;
    }
    free(ttext);
    free(htext);
}

static int ensure_loaded(pc_err *e)
{
    pthread_once(&load_once, load);
    if (load_rc != 0) {
        if (e)
            *e = load_err;
        return -1;
    }
    return 0;
}

int svc_types(const svc_type **out, int *n, pc_err *e)
{
    if (ensure_loaded(e) != 0)
        return -1;
    *out = types;
    *n = ntypes;
    return 0;
}

const svc_type *svc_type_find(const char *code)
{
    if (!code || ensure_loaded(NULL) != 0)
        return NULL;
    for (int i = 0; i < ntypes; i++)
        if (strcmp(types[i].code, code) == 0)
            return &types[i];
    return NULL;
}

int svc_calendar(const workcal **out, civil_date *first, civil_date *last, pc_err *e)
{
    if (ensure_loaded(e) != 0)
        return -1;
    *out = &cal;
    if (first)
        *first = cal_data.first;
    if (last)
        *last = cal_data.last;
    return 0;
}

const char *svc_step_name(const char *step, const char *lang)
{
    if (ensure_loaded(NULL) != 0)
        return "";
    const char *s = json_string_value(
        json_object_get(json_object_get(json_object_get(types_root, "steps"), step), lang && !strcmp(lang, "en") ? "en" : "vi"));
    return s ? s : "";
}

civil_date svc_due(const workcal *c, civil_date start, int days)
{
    if (days == 0 && !workday_is_working(c, start))
        return workday_add(c, start, 1);
    return workday_add(c, start, days);
}

/* ---- checks ---- */

static int text_check(const char *flag, const char *s, size_t max, pc_err *e)
{
    size_t n = strlen(s);
    if (n > max)
        return pc_errf(e, PC_EINVAL, "%s: at most %zu bytes (got %zu)", flag, max, n);
    if (!text_is_utf8(s, n))
        return pc_errf(e, PC_EINVAL, "%s: not valid UTF-8 text", flag);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return pc_errf(e, PC_EINVAL, "%s: control characters are not allowed", flag);
    return 0;
}

/* The day a change is dated: given (not in the future, not before `not_before`) or today. */
static int day_of(const char *flag, const char *s, civil_date not_before, civil_date *out, pc_err *e)
{
    civil_date today = date_today(420);
    if (!s || !s[0]) {
        *out = today;
    } else {
        if (date_parse(s, out, e) != 0)
            return pc_err_prefix(e, "%s", flag);
        if (*out > today)
            return pc_errf(e, PC_EINVAL, "%s %s is in the future", flag, s);
    }
    if (*out < not_before) {
        char a[DATE_FMT_MAX];
        return pc_errf(e, PC_EINVAL, "%s %s is before the request's last change (%s)", flag, s ? s : "",
                       date_format(not_before, a));
    }
    const workcal *c;
    civil_date first, last;
    if (svc_calendar(&c, &first, &last, e) != 0)
        return -1;
    if (*out < first || *out > last) {
        char a[DATE_FMT_MAX], b[DATE_FMT_MAX], x[DATE_FMT_MAX];
        return pc_errf(e, PC_EINVAL,
                       "%s %s: the holiday calendar covers %s to %s only: add the year's days off to "
                       "data/holidays/vn.csv (or $POWERCIS_HOLIDAYS)",
                       flag, date_format(*out, x), date_format(first, a), date_format(last, b));
    }
    return 0;
}

static bool in_array(const json_t *a, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (strcmp(json_string_value(v), name) == 0) return true;
    return false;
}

/* A detail value checked: customer fields as a customer update would read them, plus our own. */
static int detail_check(const char *key, const char *value, pc_err *e)
{
    if (strcmp(key, "capacity_kva") == 0) {
        char *end;
        long long v = strtoll(value, &end, 10);
        if (!value[0] || *end || v < 1 || v > 1000000)
            return pc_errf(e, PC_EINVAL, "capacity_kva '%s': a whole number of kVA from 1 to 1000000", value);
        return 0;
    }
    if (strcmp(key, "effective") == 0) {
        civil_date d;
        if (date_parse(value, &d, e) != 0)
            return pc_err_prefix(e, "effective");
        return 0;
    }
    customer c;
    meter_spec m;
    bool has_meter = false;
    memset(&c, 0, sizeof c);
    memset(&m, 0, sizeof m);
    customer_defaults(&c);
    return customer_set_field(&c, &m, &has_meter, key, value, e);
}

static const char *detail(const json_t *details, const char *key)
{
    return json_string_value(json_object_get(details, key));
}

static int scope_check(db *d, const char *scope_code, const char *unit_path, const char *what, pc_err *e)
{
    if (!scope_code || !scope_code[0])
        return 0;
    org_row o;
    if (org_get(d, scope_code, &o, e) != 0)
        return -1;
    if (strncmp(unit_path, o.path, strlen(o.path)) != 0)
        return pc_errf(e, PC_EFORBIDDEN, "%s is outside scope %s", what, scope_code);
    return 0;
}

static int event_add(db *d, const char *actor, const sreq_row *r, const char *action, const char *owner,
                     const char *reason, const char *note, const char *on_date, pc_err *e)
{
    sreq_event_row ev;
    memset(&ev, 0, sizeof ev);
    ev.request_id = r->id;
    snprintf(ev.action, sizeof ev.action, "%s", action);
    ev.step_no = r->step_no;
    snprintf(ev.step, sizeof ev.step, "%s", r->step);
    snprintf(ev.owner, sizeof ev.owner, "%s", owner ? owner : "");
    snprintf(ev.reason, sizeof ev.reason, "%s", reason ? reason : "");
    snprintf(ev.note, sizeof ev.note, "%s", note ? note : "");
    snprintf(ev.on_date, sizeof ev.on_date, "%s", on_date);
    timestamp_now(ev.at);
    snprintf(ev.by_user, sizeof ev.by_user, "%s", actor);
    return sreq_event_insert(d, &ev, e);
}

static int audit_request(db *d, const char *actor, const char *action, const sreq_row *r, const char *extra_key,
                         const char *extra, pc_err *e)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:s}", "type", r->type, "status", r->status, "step", r->step,
                          "step_no", r->step_no, "unit", r->unit_code);
    if (r->customer_code[0])
        json_object_set_new(j, "customer", json_string(r->customer_code));
    if (extra_key && extra)
        json_object_set_new(j, extra_key, json_string(extra));
    return audit_event(d, actor, action, "service_request", r->code, j, e);
}

/* ---- add ---- */

int svc_request_add(db *d, const char *actor, const svc_add *in, sreq_row *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    const svc_type *t = svc_type_find(in->type);
    if (ensure_loaded(e) != 0)
        return -1;
    if (!t) {
        buf b = {0};
        for (int i = 0; i < ntypes; i++) {
            buf_append(&b, i ? ", " : "", i ? 2 : 0);
            buf_append(&b, types[i].code, strlen(types[i].code));
        }
        buf_append(&b, "", 1);
        pc_errf(e, PC_EINVAL, "--type '%s': expected one of %s", in->type ? in->type : "", b.data);
        buf_free(&b);
        return -1;
    }
    const workcal *c = &cal;
    civil_date received;
    if (day_of("--date", in->date, INT32_MIN, &received, e) != 0)
        return -1;
    const char *source = in->source && in->source[0] ? in->source : "staff";
    if (strcmp(source, "staff") && strcmp(source, "self"))
        return pc_errf(e, PC_EINVAL, "source '%s': staff or self", source);
    json_t *det = json_object();
    int rc = -1;
    /* details: only the type's, each checked */
    for (int i = 0; i < in->nkeys; i++) {
        if (!in_array(t->requires, in->keys[i]) && !in_array(t->accepts, in->keys[i])) {
            pc_errf(e, PC_EINVAL, "--set %s: a %s request takes no %s", in->keys[i], t->code, in->keys[i]);
            goto out;
        }
        if (detail_check(in->keys[i], in->values[i], e) != 0)
            goto out;
        json_object_set_new(det, in->keys[i], json_string(in->values[i]));
    }
    size_t k;
    json_t *v;
    json_array_foreach(t->requires, k, v) if (!json_object_get(det, json_string_value(v)))
    {
        pc_errf(e, PC_EINVAL, "--set %s=…: a %s request needs it", json_string_value(v), t->code);
        goto out;
    }
    /* DOMAIN 5.3, Circular 60/2025: a change of purpose takes effect after the notice period. */
    if (t->notice_days > 0) {
        civil_date earliest = date_add_days(received, t->notice_days), eff = earliest;
        char a[DATE_FMT_MAX];
        if (detail(det, "effective")) {
            date_parse(detail(det, "effective"), &eff, NULL);
            if (eff < earliest) {
                pc_errf(e, PC_EINVAL, "effective %s: a %s needs %d days' notice: the earliest is %s",
                        detail(det, "effective"), t->code, t->notice_days, date_format(earliest, a));
                goto out;
            }
        }
        json_object_set_new(det, "effective", json_string(date_format(eff, a)));
    }
    const char *unit_code;
    if (t->new_customer) {
        if (in->customer_code && in->customer_code[0]) {
            pc_errf(e, PC_EINVAL, "--customer: a new supply is for an applicant who is not a customer yet: give "
                                  "--unit, --name, --phone and --address");
            goto out;
        }
        if (!in->unit || !in->unit[0] || !in->name || !in->name[0] || !in->phone || !in->address ||
            !in->address[0]) {
            pc_errf(e, PC_EINVAL, "a new supply needs --unit, --name, --phone and --address of the applicant");
            goto out;
        }
        if (text_check("--name", in->name, 255, e) != 0 || text_check("--address", in->address, 511, e) != 0 ||
            phone_normalize(in->phone, out->applicant_phone, e) != 0) {
            if (e->code == PC_EINVAL && !strstr(e->msg, "--"))
                pc_err_prefix(e, "--phone");
            goto out;
        }
        org_row u;
        if (org_get(d, in->unit, &u, e) != 0)
            goto out;
        if (strcmp(u.level, "unit") != 0) {
            pc_errf(e, PC_EINVAL, "--unit %s is a %s: a request is served by a unit (Điện lực)", in->unit, u.level);
            goto out;
        }
        out->unit_id = u.id;
        snprintf(out->unit_path, sizeof out->unit_path, "%s", u.path);
        snprintf(out->applicant_name, sizeof out->applicant_name, "%s", in->name);
        snprintf(out->applicant_address, sizeof out->applicant_address, "%s", in->address);
        unit_code = u.code;
        snprintf(out->unit_code, sizeof out->unit_code, "%s", u.code);
    } else {
        if (!in->customer_code || !in->customer_code[0]) {
            pc_errf(e, PC_EINVAL, "--customer: a %s request is made by a customer", t->code);
            goto out;
        }
        customer cu;
        if (customer_get(d, in->customer_code, NULL, &cu, e) != 0)
            goto out;
        if (strcmp(cu.status, "terminated") == 0) {
            pc_errf(e, PC_EINVAL, "customer %s is terminated: a new supply is needed instead", cu.code);
            goto out;
        }
        org_row u;
        if (org_get(d, cu.unit, &u, e) != 0)
            goto out;
        out->unit_id = u.id;
        out->customer_id = cu.id;
        snprintf(out->unit_path, sizeof out->unit_path, "%s", u.path);
        snprintf(out->unit_code, sizeof out->unit_code, "%s", u.code);
        snprintf(out->customer_code, sizeof out->customer_code, "%s", cu.code);
        snprintf(out->applicant_name, sizeof out->applicant_name, "%s", cu.name);
        snprintf(out->applicant_phone, sizeof out->applicant_phone, "%s", cu.phone);
        snprintf(out->applicant_address, sizeof out->applicant_address, "%s", cu.address);
        unit_code = u.code;
    }
    if (scope_check(d, in->scope_code, out->unit_path, out->customer_code[0] ? out->customer_code : unit_code, e) != 0)
        goto out;
    if (in->owner && text_check("--owner", in->owner, 63, e) != 0)
        goto out;
    char *dj = json_dumps(det, JSON_COMPACT | JSON_SORT_KEYS);
    snprintf(out->details, sizeof out->details, "%s", dj ? dj : "{}");
    size_t djlen = dj ? strlen(dj) : 0;
    free(dj);
    if (djlen >= sizeof out->details) {
        pc_errf(e, PC_EINVAL, "the details are longer than %zu bytes", sizeof out->details - 1);
        goto out;
    }
    snprintf(out->type, sizeof out->type, "%s", t->code);
    snprintf(out->source, sizeof out->source, "%s", source);
    snprintf(out->status, sizeof out->status, "open");
    out->step_no = 0;
    snprintf(out->step, sizeof out->step, "%s", t->steps[0].code);
    snprintf(out->step_owner, sizeof out->step_owner, "%s", in->owner ? in->owner : actor);
    date_format(received, out->received_on);
    date_format(received, out->step_started_on);
    date_format(svc_due(c, received, t->steps[0].days), out->step_due_on);
    date_format(svc_due(c, received, t->total_days), out->due_on);
    out->working_days = out->within_deadline = -1;
    timestamp_now(out->created_at);
    snprintf(out->updated_at, sizeof out->updated_at, "%s", out->created_at);
    snprintf(out->created_by, sizeof out->created_by, "%s", actor);

    if (db_begin(d, e) != 0)
        goto out;
    /* The code: the unit's, the month received and the row's key ("PA0101-2612-000042"). */
    if (sreq_reserve_id(d, &out->id, e) != 0)
        goto fail;
    {
        int y, m, dd;
        date_to_ymd(received, &y, &m, &dd);
        snprintf(out->code, sizeof out->code, "%s-%02d%02d-%06lld", out->unit_code, y % 100, m, (long long)out->id);
    }
    if (sreq_insert(d, out, e) != 0 || event_add(d, actor, out, "received", out->step_owner, NULL, NULL,
                                                 out->received_on, e) != 0 ||
        audit_request(d, actor, "service.add", out, "details", out->details, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    db_rollback(d);
out:
    json_decref(det);
    return rc;
}

/* ---- the registry change of a finished request ---- */

/* Puts key=value into the arrays unless the key is there already. */
static void kv_put(const char **keys, const char **values, int *n, int cap, const char *k, const char *v)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(keys[i], k) == 0)
            return;
    if (*n < cap) {
        keys[*n] = k;
        values[*n] = v;
        (*n)++;
    }
}

static int registry_new_supply(db *d, const char *actor, const svc_type *t, sreq_row *r, json_t *det,
                               civil_date finished, pc_err *e)
{
    customer c;
    meter_spec m;
    bool has_meter = false;
    memset(&c, 0, sizeof c);
    memset(&m, 0, sizeof m);
    m.multiplier = 1; /* as `customer add` assumes */
    m.digits = 6;
    customer_defaults(&c);
    char code[16], from[DATE_FMT_MAX];
    if (sreq_next_customer_code(d, r->unit_id, r->unit_code, code, e) != 0)
        return -1;
    date_format(finished, from);
    const char *keys[32], *values[32];
    int n = 0;
    kv_put(keys, values, &n, 32, "customer_code", code);
    kv_put(keys, values, &n, 32, "unit", r->unit_code);
    kv_put(keys, values, &n, 32, "name", r->applicant_name);
    kv_put(keys, values, &n, 32, "address", r->applicant_address);
    kv_put(keys, values, &n, 32, "phone", r->applicant_phone);
    kv_put(keys, values, &n, 32, "valid_from", from);
    const char *k;
    json_t *v;
    json_object_foreach(det, k, v) if (strcmp(k, "capacity_kva") != 0 && strcmp(k, "effective") != 0)
        kv_put(keys, values, &n, 32, k, json_string_value(v));
    if (t->defaults)
        json_object_foreach(t->defaults, k, v) kv_put(keys, values, &n, 32, k, json_string_value(v));
    /* A meter serial not given: the request's code stands for it until the meter is read. */
    kv_put(keys, values, &n, 32, "meter", r->code);
    for (int i = 0; i < n; i++)
        if (customer_set_field(&c, &m, &has_meter, keys[i], values[i], e) != 0)
            return pc_err_prefix(e, "request %s", r->code);
    if (customer_add(d, actor, &c, &m, e) != 0)
        return pc_err_prefix(e, "request %s: creating the customer", r->code);
    customer got;
    if (customer_get(d, code, NULL, &got, e) != 0)
        return -1;
    r->customer_id = got.id;
    snprintf(r->customer_code, sizeof r->customer_code, "%s", code);
    return 0;
}

static int registry_update(db *d, const char *actor, const svc_type *t, sreq_row *r, json_t *det,
                           civil_date finished, pc_err *e)
{
    const char *keys[32], *values[32];
    int n = 0;
    const char *k;
    json_t *v;
    json_object_foreach(det, k, v) if (strcmp(k, "capacity_kva") != 0 && strcmp(k, "effective") != 0)
        kv_put(keys, values, &n, 32, k, json_string_value(v));
    if (t->fixed)
        json_object_foreach(t->fixed, k, v) kv_put(keys, values, &n, 32, k, json_string_value(v));
    if (n == 0)
        return 0; /* a relocation at the same address: nothing in the registry changes */
    civil_date from = finished, eff;
    if (detail(det, "effective") && date_parse(detail(det, "effective"), &eff, NULL) == 0 && eff > from)
        from = eff;
    char fromtxt[DATE_FMT_MAX], reason[128];
    date_format(from, fromtxt);
    snprintf(reason, sizeof reason, "service request %s (%s)", r->code, t->code);
    if (customer_update(d, actor, r->customer_code, keys, values, n, fromtxt, reason, e) != 0)
        return pc_err_prefix(e, "request %s: changing customer %s", r->code, r->customer_code);
    return 0;
}

/* ---- moves ---- */

typedef enum { MOVE_ADVANCE, MOVE_WAIT, MOVE_RESUME, MOVE_CANCEL } move_kind;

static int load_active(db *d, const char *code, sreq_row *r, const svc_type **t, pc_err *e)
{
    if (sreq_get(d, code, r, e) != 0)
        return -1;
    if (strcmp(r->status, "finished") == 0 || strcmp(r->status, "cancelled") == 0)
        return pc_errf(e, PC_ECONFLICT, "request %s is %s: nothing more can happen to it", code, r->status);
    *t = svc_type_find(r->type);
    if (!*t)
        return pc_errf(e, PC_EINTERNAL, "request %s has type %s, which the service types no longer have", code,
                       r->type);
    return 0;
}

/* The date of a move: not before the last change of the request. */
static civil_date last_change(const sreq_row *r)
{
    civil_date a = 0;
    date_parse(r->step_started_on, &a, NULL);
    return a;
}

int svc_request_advance(db *d, const char *actor, const char *code, const svc_move *m, sreq_row *out, pc_err *e)
{
    if (ensure_loaded(e) != 0)
        return -1;
    if (m->owner && text_check("--owner", m->owner, 63, e) != 0)
        return -1;
    if (m->note && text_check("--note", m->note, SREQ_TEXT_MAX - 1, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    const svc_type *t;
    json_t *det = NULL;
    if (load_active(d, code, out, &t, e) != 0)
        goto fail;
    civil_date day;
    if (day_of("--date", m->date, last_change(out), &day, e) != 0)
        goto fail;
    det = json_loads(out->details, 0, NULL);
    if (!det)
        det = json_object();
    for (int i = 0; i < m->nkeys; i++) {
        if (!in_array(t->requires, m->keys[i]) && !in_array(t->accepts, m->keys[i])) {
            pc_errf(e, PC_EINVAL, "--set %s: a %s request takes no %s", m->keys[i], t->code, m->keys[i]);
            goto fail;
        }
        if (detail_check(m->keys[i], m->values[i], e) != 0)
            goto fail;
        json_object_set_new(det, m->keys[i], json_string(m->values[i]));
    }
    char *dj = json_dumps(det, JSON_COMPACT | JSON_SORT_KEYS);
    snprintf(out->details, sizeof out->details, "%s", dj ? dj : "{}");
    free(dj);
    char daytxt[DATE_FMT_MAX];
    date_format(day, daytxt);
    /* the step done */
    if (event_add(d, actor, out, "advanced", out->step_owner, NULL, m->note, daytxt, e) != 0)
        goto fail;
    out->waiting_reason[0] = '\0';
    if (out->step_no + 1 < t->nsteps) {
        out->step_no++;
        snprintf(out->step, sizeof out->step, "%s", t->steps[out->step_no].code);
        if (m->owner && m->owner[0])
            snprintf(out->step_owner, sizeof out->step_owner, "%s", m->owner);
        snprintf(out->status, sizeof out->status, "open");
        snprintf(out->step_started_on, sizeof out->step_started_on, "%s", daytxt);
        date_format(svc_due(&cal, day, t->steps[out->step_no].days), out->step_due_on);
        timestamp_now(out->updated_at);
        if (sreq_update(d, out, e) != 0 || audit_request(d, actor, "service.advance", out, NULL, NULL, e) != 0)
            goto fail;
    } else {
        civil_date received, due;
        date_parse(out->received_on, &received, NULL);
        date_parse(out->due_on, &due, NULL);
        if (strcmp(t->registry, "new_supply") == 0 && registry_new_supply(d, actor, t, out, det, day, e) != 0)
            goto fail;
        if (strcmp(t->registry, "update") == 0 && registry_update(d, actor, t, out, det, day, e) != 0)
            goto fail;
        snprintf(out->status, sizeof out->status, "finished");
        snprintf(out->finished_on, sizeof out->finished_on, "%s", daytxt);
        snprintf(out->step_started_on, sizeof out->step_started_on, "%s", daytxt);
        out->working_days = workday_between(&cal, received, day);
        out->within_deadline = day <= due;
        timestamp_now(out->updated_at);
        if (sreq_update(d, out, e) != 0 ||
            event_add(d, actor, out, "finished", out->step_owner, NULL, NULL, daytxt, e) != 0 ||
            audit_request(d, actor, "service.finish", out, "finished_on", daytxt, e) != 0)
            goto fail;
    }
    if (db_commit(d, e) != 0)
        goto fail;
    json_decref(det);
    return 0;
fail:
    json_decref(det);
    db_rollback(d);
    return -1;
}

static int simple_move(db *d, const char *actor, const char *code, move_kind kind, const char *text,
                       const char *date, sreq_row *out, pc_err *e)
{
    if (ensure_loaded(e) != 0)
        return -1;
    const char *flag = kind == MOVE_RESUME ? "--note" : "--reason";
    if ((kind == MOVE_WAIT || kind == MOVE_CANCEL) && (!text || !text[0]))
        return pc_errf(e, PC_EINVAL, "--reason: %s", kind == MOVE_WAIT
                                                         ? "a request waits for a reason (nguyên nhân vướng mắc)"
                                                         : "a cancellation needs a reason");
    if (text && text_check(flag, text, SREQ_TEXT_MAX - 1, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    const svc_type *t;
    if (load_active(d, code, out, &t, e) != 0)
        goto fail;
    civil_date day;
    if (day_of("--date", date, last_change(out), &day, e) != 0)
        goto fail;
    char daytxt[DATE_FMT_MAX];
    date_format(day, daytxt);
    const char *action, *audit_action;
    if (kind == MOVE_WAIT) {
        snprintf(out->status, sizeof out->status, "waiting");
        snprintf(out->waiting_reason, sizeof out->waiting_reason, "%s", text);
        action = "waiting";
        audit_action = "service.wait";
    } else if (kind == MOVE_RESUME) {
        if (strcmp(out->status, "waiting") != 0) {
            pc_errf(e, PC_ECONFLICT, "request %s is not waiting", code);
            goto fail;
        }
        snprintf(out->status, sizeof out->status, "open");
        out->waiting_reason[0] = '\0';
        action = "resumed";
        audit_action = "service.resume";
    } else {
        snprintf(out->status, sizeof out->status, "cancelled");
        out->waiting_reason[0] = '\0';
        action = "cancelled";
        audit_action = "service.cancel";
    }
    timestamp_now(out->updated_at);
    if (sreq_update(d, out, e) != 0 ||
        event_add(d, actor, out, action, out->step_owner, kind == MOVE_RESUME ? NULL : text,
                  kind == MOVE_RESUME ? text : NULL, daytxt, e) != 0 ||
        audit_request(d, actor, audit_action, out, text ? (kind == MOVE_RESUME ? "note" : "reason") : NULL, text, e) !=
            0 ||
        db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int svc_request_wait(db *d, const char *actor, const char *code, const char *reason, const char *date, sreq_row *out,
                     pc_err *e)
{
    return simple_move(d, actor, code, MOVE_WAIT, reason, date, out, e);
}

int svc_request_resume(db *d, const char *actor, const char *code, const char *note, const char *date, sreq_row *out,
                       pc_err *e)
{
    return simple_move(d, actor, code, MOVE_RESUME, note, date, out, e);
}

int svc_request_cancel(db *d, const char *actor, const char *code, const char *reason, const char *date,
                       sreq_row *out, pc_err *e)
{
    return simple_move(d, actor, code, MOVE_CANCEL, reason, date, out, e);
}

/* ---- documents ---- */

static const char *const doc_kinds[] = {"id", "land", "contract", "record", "other"};

int svc_request_attach(db *d, const char *actor, const doc_store *st, const char *code, const char *file_name,
                       const void *data, size_t len, const char *kind, const char *title, sreq_doc_row *out,
                       pc_err *e)
{
    memset(out, 0, sizeof *out);
    const char *k = kind && kind[0] ? kind : "other";
    bool ok = false;
    for (size_t i = 0; i < sizeof doc_kinds / sizeof *doc_kinds; i++)
        ok |= strcmp(k, doc_kinds[i]) == 0;
    if (!ok)
        return pc_errf(e, PC_EINVAL, "--kind '%s': id, land, contract, record or other", k);
    const char *ti = title && title[0] ? title : file_name;
    if (doc_file_name_check(file_name, e) != 0 || text_check("--title", ti, 255, e) != 0)
        return -1;
    if (len == 0)
        return pc_errf(e, PC_EINVAL, "'%s' is empty", file_name);
    if ((int64_t)len > st->max_bytes)
        return pc_errf(e, PC_EINVAL, "'%s' is %zu bytes: the limit is %lld bytes ([documents] max_bytes)", file_name,
                       len, (long long)st->max_bytes);
    if (doc_media_type(file_name, data, len, out->media_type, e) != 0)
        return -1;
    sha256_hex(data, len, out->sha256);
    out->size = (int64_t)len;
    snprintf(out->kind, sizeof out->kind, "%s", k);
    snprintf(out->title, sizeof out->title, "%s", ti);
    snprintf(out->file_name, sizeof out->file_name, "%s", file_name);
    snprintf(out->added_by, sizeof out->added_by, "%s", actor);
    timestamp_now(out->added_at);
    if (db_begin(d, e) != 0)
        return -1;
    sreq_row r;
    bool created;
    if (sreq_get(d, code, &r, e) != 0)
        goto fail;
    if (strcmp(r.status, "cancelled") == 0) {
        pc_errf(e, PC_ECONFLICT, "request %s is cancelled", code);
        goto fail;
    }
    out->request_id = r.id;
    char today[DATE_FMT_MAX];
    date_format(date_today(420), today);
    if (doc_store_put(st, out->sha256, data, len, &created, e) != 0 || sreq_doc_insert(d, out, e) != 0 ||
        event_add(d, actor, &r, "document", NULL, NULL, out->title, today, e) != 0 ||
        audit_request(d, actor, "service.document", &r, "sha256", out->sha256, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int svc_request_attach_file(db *d, const char *actor, const doc_store *st, const char *code, const char *path,
                            const char *kind, const char *title, sreq_doc_row *out, pc_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pc_errf(e, PC_EIO, "%s: cannot be read", path);
    buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(&b, chunk, n);
        if ((int64_t)b.len > st->max_bytes)
            break;
    }
    fclose(f);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int rc = svc_request_attach(d, actor, st, code, base, b.data ? b.data : "", b.len, kind, title, out, e);
    buf_free(&b);
    return rc;
}

int svc_request_list(db *d, const char *scope_code, sreq_filter *f, sreq_fn fn, void *ctx, pc_err *e)
{
    if (ensure_loaded(e) != 0)
        return -1;
    org_row o;
    f->scope_path = NULL;
    if (scope_code && scope_code[0]) {
        if (org_get(d, scope_code, &o, e) != 0)
            return pc_err_prefix(e, "--scope");
        f->scope_path = o.path;
    }
    int rc = sreq_list(d, f, fn, ctx, e);
    f->scope_path = NULL;
    return rc;
}

int svc_demo_customer(db *d, const char *unit_code, int n, char out[16], pc_err *e)
{
    return sreq_nth_residential(d, unit_code, n, out, e);
}

/* ---- JSON ---- */

static json_t *text_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

json_t *svc_request_json(const sreq_row *r)
{
    const svc_type *t = svc_type_find(r->type);
    json_t *det = json_loads(r->details, 0, NULL);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:s, s:s, s:i, s:s, s:o, s:s, s:s, s:o, "
                          "s:s, s:s, s:o, s:o, s:o, s:s, s:s}",
                          "code", r->code, "type", r->type, "type_name", t ? t->vi : r->type, "unit", r->unit_code,
                          "customer", text_or_null(r->customer_code), "applicant_name", r->applicant_name,
                          "applicant_phone", r->applicant_phone, "applicant_address", r->applicant_address, "details",
                          det ? det : json_object(), "source", r->source, "status", r->status, "step_no", r->step_no,
                          "step", r->step, "step_owner", text_or_null(r->step_owner), "step_started_on",
                          r->step_started_on, "step_due_on", r->step_due_on, "waiting_reason",
                          text_or_null(r->waiting_reason), "received_on", r->received_on, "due_on", r->due_on,
                          "finished_on", text_or_null(r->finished_on), "working_days",
                          r->working_days >= 0 ? json_integer(r->working_days) : json_null(), "within_deadline",
                          r->within_deadline >= 0 ? json_boolean(r->within_deadline) : json_null(), "created_at",
                          r->created_at, "created_by", r->created_by);
    return j;
}

static int collect_event(void *ctx, const sreq_event_row *v)
{
    json_array_append_new((json_t *)ctx,
                          json_pack("{s:s, s:i, s:s, s:o, s:o, s:o, s:s, s:s, s:s}", "action", v->action, "step_no",
                                    v->step_no, "step", v->step, "owner", text_or_null(v->owner), "reason",
                                    text_or_null(v->reason), "note", text_or_null(v->note), "on_date", v->on_date,
                                    "at", v->at, "by", v->by_user));
    return 0;
}

static int collect_doc(void *ctx, const sreq_doc_row *r)
{
    json_array_append_new((json_t *)ctx,
                          json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)r->id, "kind",
                                    r->kind, "title", r->title, "file_name", r->file_name, "media_type", r->media_type,
                                    "size", (json_int_t)r->size, "sha256", r->sha256, "added_at", r->added_at,
                                    "added_by", r->added_by));
    return 0;
}

int svc_request_detail_json(db *d, const char *code, json_t **out, pc_err *e)
{
    *out = NULL;
    if (ensure_loaded(e) != 0)
        return -1;
    sreq_row r;
    if (sreq_get(d, code, &r, e) != 0)
        return -1;
    json_t *j = svc_request_json(&r);
    json_t *events = json_array(), *docs = json_array(), *steps = json_array();
    if (sreq_events(d, r.id, collect_event, events, e) != 0 || sreq_docs(d, r.id, collect_doc, docs, e) != 0) {
        json_decref(j);
        json_decref(events);
        json_decref(docs);
        json_decref(steps);
        return -1;
    }
    /* The steps of the type with what happened to each: started (the event that opened it),
     * finished (its "advanced" event), its deadline. */
    const svc_type *t = svc_type_find(r.type);
    for (int i = 0; t && i < t->nsteps; i++) {
        const char *started = NULL, *finished = NULL, *owner = NULL;
        size_t k;
        json_t *ev;
        json_array_foreach(events, k, ev)
        {
            const char *action = json_string_value(json_object_get(ev, "action"));
            int sn = (int)json_integer_value(json_object_get(ev, "step_no"));
            if (sn == i - 1 && strcmp(action, "advanced") == 0)
                started = json_string_value(json_object_get(ev, "on_date"));
            if (sn == i && strcmp(action, "received") == 0)
                started = json_string_value(json_object_get(ev, "on_date"));
            if (sn == i && strcmp(action, "advanced") == 0) {
                finished = json_string_value(json_object_get(ev, "on_date"));
                owner = json_string_value(json_object_get(ev, "owner"));
            }
        }
        if (i == r.step_no && !finished)
            owner = r.step_owner;
        char due[DATE_FMT_MAX] = "";
        if (started) {
            civil_date s0;
            if (date_parse(started, &s0, NULL) == 0)
                date_format(svc_due(&cal, s0, t->steps[i].days), due);
        }
        json_array_append_new(steps, json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o}", "step", t->steps[i].code,
                                               "name", svc_step_name(t->steps[i].code, "vi"), "days",
                                               t->steps[i].days, "owner", text_or_null(owner), "started_on",
                                               text_or_null(started), "finished_on", text_or_null(finished), "due_on",
                                               text_or_null(due)));
    }
    json_object_set_new(j, "steps", steps);
    json_object_set_new(j, "events", events);
    json_object_set_new(j, "documents", docs);
    *out = j;
    return 0;
}

/* ---- alerts ---- */

typedef struct {
    sreq_row *rows;
    size_t n, cap;
} row_list;

static int collect_request(void *ctx, const sreq_row *r)
{
    row_list *l = ctx;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        sreq_row *p = realloc(l->rows, nc * sizeof *p);
        if (!p)
            return -1;
        l->rows = p;
        l->cap = nc;
    }
    l->rows[l->n++] = *r;
    return 0;
}

int svc_alerts(db *d, const pc_config *cfg, civil_date date, int days_before, svc_alert_counts *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (ensure_loaded(e) != 0)
        return -1;
    if (days_before < 0 || days_before > 30)
        return pc_errf(e, PC_EINVAL, "--days %d: 0 to 30 working days before a deadline", days_before);
    char horizon[DATE_FMT_MAX], today[DATE_FMT_MAX];
    date_format(workday_add(&cal, date, days_before), horizon);
    date_format(date, today);
    sreq_filter f = {.status = "active", .due_by = horizon};
    row_list l = {0};
    if (sreq_list(d, &f, collect_request, &l, e) != 0) {
        free(l.rows);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        const sreq_row *r = &l.rows[i];
        out->checked++;
        bool breach = strcmp(r->step_due_on, today) < 0;
        const svc_type *t = svc_type_find(r->type);
        char key[96];
        snprintf(key, sizeof key, "service:%s:%d:%s", r->code, r->step_no, breach ? "breach" : "warning");
        notify_field fields[] = {{"request_code", r->code},
                                 {"request_type", t ? t->vi : r->type},
                                 {"step", svc_step_name(r->step, "vi")},
                                 {"owner", r->step_owner[0] ? r->step_owner : "-"},
                                 {"due_date", r->step_due_on},
                                 {"unit", r->unit_code}};
        notify_request req = {.event = breach ? "service_deadline_breach" : "service_deadline_warning",
                              .event_key = key,
                              .channel = "chat",
                              .recipient = "",
                              .fields = fields,
                              .nfields = 6};
        notify_enqueued q;
        if (notify_enqueue(d, cfg, &req, &q, e) != 0) {
            rc = -1;
            break;
        }
        if (q.duplicate)
            out->duplicates++;
        else if (breach)
            out->breaches++;
        else
            out->warnings++;
    }
    free(l.rows);
    return rc;
}

int svc_deadlines_by_unit(db *d, civil_date day, svc_deadline_fn fn, void *ctx, pc_err *e)
{
    const workcal *c;
    if (svc_calendar(&c, NULL, NULL, e) != 0)
        return -1;
    char today[DATE_FMT_MAX], next[DATE_FMT_MAX];
    date_format(day, today);
    date_format(workday_add(c, day, 1), next);
    return sreq_deadlines_by_unit(d, today, next, fn, ctx, e);
}

/* ---- the indicator report ---- */

typedef struct {
    json_t *units; /* object: unit code → unit object */
    /* the histogram of the type being read */
    char unit[16], type[32];
    int64_t *hist; /* count per working-day value */
    int hist_cap, max_wd;
    int64_t n, within, sum;
} report_ctx;

static json_t *unit_of(report_ctx *c, const char *unit)
{
    json_t *u = json_object_get(c->units, unit);
    if (!u) {
        u = json_pack("{s:s, s:I, s:I, s:I, s:n, s:o, s:o, s:I}", "unit", unit, "received", (json_int_t)0, "finished",
                      (json_int_t)0, "within_deadline", (json_int_t)0, "within_deadline_pct", "by_type", json_object(),
                      "open_by_reason", json_array(), "open", (json_int_t)0);
        json_object_set_new(c->units, unit, u);
    }
    return u;
}

static json_t *type_of(json_t *u, const char *type)
{
    json_t *bt = json_object_get(u, "by_type");
    json_t *t = json_object_get(bt, type);
    if (!t) {
        const svc_type *st = svc_type_find(type);
        t = json_pack("{s:s, s:s, s:I, s:I, s:I, s:n, s:n, s:n}", "type", type, "type_name", st ? st->vi : type,
                      "received", (json_int_t)0, "finished", (json_int_t)0, "within_deadline", (json_int_t)0,
                      "within_deadline_pct", "avg_working_days", "p90_working_days");
        json_object_set_new(bt, type, t);
    }
    return t;
}

static void add_int(json_t *o, const char *k, int64_t v)
{
    json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + v));
}

/* Percent with one decimal, rounded half up, from integers. */
static json_t *pct(int64_t part, int64_t whole)
{
    if (whole == 0)
        return json_null();
    int64_t tenths = (part * 1000 + whole / 2) / whole;
    return json_real((double)tenths / 10.0);
}

static int on_received(void *ctx, const char *unit, const char *type, int64_t n)
{
    report_ctx *c = ctx;
    json_t *u = unit_of(c, unit);
    add_int(u, "received", n);
    add_int(type_of(u, type), "received", n);
    return 0;
}

/* Closes the histogram of one (unit, type): count, within, average, 90th percentile (nearest
 * rank: the smallest value with at least 90% of the requests at or below it). */
static void flush_type(report_ctx *c)
{
    if (c->n == 0)
        return;
    json_t *u = unit_of(c, c->unit);
    json_t *t = type_of(u, c->type);
    add_int(u, "finished", c->n);
    add_int(u, "within_deadline", c->within);
    add_int(t, "finished", c->n);
    add_int(t, "within_deadline", c->within);
    json_object_set_new(t, "within_deadline_pct", pct(c->within, c->n));
    int64_t tenths = (c->sum * 10 + c->n / 2) / c->n;
    json_object_set_new(t, "avg_working_days", json_real((double)tenths / 10.0));
    int64_t rank = (c->n * 9 + 9) / 10, seen = 0; /* ceil(0.9 n) */
    int p90 = 0;
    for (int w = 0; w <= c->max_wd; w++) {
        seen += c->hist[w];
        if (seen >= rank) {
            p90 = w;
            break;
        }
    }
    json_object_set_new(t, "p90_working_days", json_integer(p90));
    memset(c->hist, 0, (size_t)(c->max_wd + 1) * sizeof *c->hist);
    c->n = c->within = c->sum = 0;
    c->max_wd = 0;
}

static int on_finished(void *ctx, const char *unit, const char *type, int wd, int within, int64_t n)
{
    report_ctx *c = ctx;
    if (strcmp(unit, c->unit) != 0 || strcmp(type, c->type) != 0) {
        flush_type(c);
        snprintf(c->unit, sizeof c->unit, "%s", unit);
        snprintf(c->type, sizeof c->type, "%s", type);
    }
    if (wd < 0)
        wd = 0;
    if (wd >= c->hist_cap) {
        int nc = wd + 64;
        int64_t *p = realloc(c->hist, (size_t)nc * sizeof *p);
        if (!p)
            return -1;
        memset(p + c->hist_cap, 0, (size_t)(nc - c->hist_cap) * sizeof *p);
        c->hist = p;
        c->hist_cap = nc;
    }
    c->hist[wd] += n;
    if (wd > c->max_wd)
        c->max_wd = wd;
    c->n += n;
    c->sum += (int64_t)wd * n;
    if (within)
        c->within += n;
    return 0;
}

static int on_open(void *ctx, const char *unit, const char *reason, int64_t n)
{
    report_ctx *c = ctx;
    json_t *u = unit_of(c, unit);
    json_array_append_new(json_object_get(u, "open_by_reason"),
                          json_pack("{s:o, s:I}", "reason", reason[0] ? json_string(reason) : json_null(), "count",
                                    (json_int_t)n));
    add_int(u, "open", n);
    return 0;
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int svc_report(db *d, civil_month month, const char *scope_code, json_t **out, pc_err *e)
{
    *out = NULL;
    if (ensure_loaded(e) != 0)
        return -1;
    if (!month_valid(month))
        return pc_errf(e, PC_EINVAL, "--month: not a month");
    const char *scope_path = NULL;
    org_row o;
    if (scope_code && scope_code[0]) {
        if (org_get(d, scope_code, &o, e) != 0)
            return pc_err_prefix(e, "--scope");
        scope_path = o.path;
    }
    char from[DATE_FMT_MAX], to[DATE_FMT_MAX], m[MONTH_FMT_MAX];
    date_format(month_first_day(month), from);
    date_format(month_last_day(month), to);
    report_ctx c = {.units = json_object()};
    int rc = sreq_received_counts(d, scope_path, from, to, on_received, &c, e);
    if (rc == 0)
        rc = sreq_finished_histogram(d, scope_path, from, to, on_finished, &c, e);
    if (rc == 0) {
        flush_type(&c);
        rc = sreq_open_by_reason(d, scope_path, to, on_open, &c, e);
    }
    free(c.hist);
    if (rc != 0) {
        json_decref(c.units);
        return -1;
    }
    /* Units (and types within them) as sorted lists; the totals' percentage. */
    json_t *units = json_array();
    json_t *tot = json_pack("{s:I, s:I, s:I, s:I}", "received", (json_int_t)0, "finished", (json_int_t)0,
                            "within_deadline", (json_int_t)0, "open", (json_int_t)0);
    const char **keys = NULL;
    size_t nk = json_object_size(c.units), i = 0;
    keys = calloc(nk ? nk : 1, sizeof *keys);
    const char *k;
    json_t *u;
    json_object_foreach(c.units, k, u) keys[i++] = k;
    qsort(keys, nk, sizeof *keys, cmp_text);
    for (i = 0; i < nk; i++) {
        u = json_object_get(c.units, keys[i]);
        json_object_set_new(u, "within_deadline_pct",
                            pct(json_integer_value(json_object_get(u, "within_deadline")),
                                json_integer_value(json_object_get(u, "finished"))));
        json_t *bt = json_object_get(u, "by_type"), *list = json_array();
        for (int t = 0; t < ntypes; t++) /* in the order of the types file */
            if (json_object_get(bt, types[t].code))
                json_array_append(list, json_object_get(bt, types[t].code));
        const char *tk;
        json_t *tv;
        json_object_foreach(bt, tk, tv) if (!svc_type_find(tk)) json_array_append(list, tv);
        json_object_set_new(u, "by_type", list);
        for (const char *const *f = (const char *const[]){"received", "finished", "within_deadline", "open", NULL}; *f;
             f++)
            add_int(tot, *f, json_integer_value(json_object_get(u, *f)));
        json_array_append(units, u);
    }
    free(keys);
    json_object_set_new(tot, "within_deadline_pct", pct(json_integer_value(json_object_get(tot, "within_deadline")),
                                                        json_integer_value(json_object_get(tot, "finished"))));
    *out = json_pack("{s:s, s:o, s:s, s:s, s:o, s:o}", "month", month_format(month, m), "scope",
                     scope_code && scope_code[0] ? json_string(scope_code) : json_null(), "from", from, "to", to,
                     "total", tot, "units", units);
    json_decref(c.units);
    return 0;
}

static void csv_field(buf *b, const char *s)
{
    bool q = strpbrk(s, ",\"\n\r") != NULL;
    if (q)
        buf_append(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_append(b, "\"", 1);
        buf_append(b, p, 1);
    }
    if (q)
        buf_append(b, "\"", 1);
}

static void num_text(const json_t *v, char out[32])
{
    if (json_is_integer(v))
        snprintf(out, 32, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(out, 32, "%.1f", json_real_value(v));
    else
        out[0] = '\0';
}

/* One line of the long-form table. */
typedef void (*line_fn)(void *ctx, const char *unit, const char *group, const char *key, const json_t *o);

static const char *const measures[] = {"received", "finished", "within_deadline", "within_deadline_pct",
                                       "avg_working_days", "p90_working_days", "open"};
#define NMEASURES (sizeof measures / sizeof *measures)

static void each_line(const json_t *report, line_fn fn, void *ctx)
{
    size_t i, j;
    json_t *u, *t;
    json_array_foreach(json_object_get(report, "units"), i, u)
    {
        const char *unit = json_string_value(json_object_get(u, "unit"));
        fn(ctx, unit, "total", "", u);
        json_array_foreach(json_object_get(u, "by_type"), j, t)
            fn(ctx, unit, "type", json_string_value(json_object_get(t, "type")), t);
        json_array_foreach(json_object_get(u, "open_by_reason"), j, t)
        {
            json_t *o = json_pack("{s:O}", "open", json_object_get(t, "count"));
            const char *reason = json_string_value(json_object_get(t, "reason"));
            fn(ctx, unit, "waiting_reason", reason ? reason : "", o);
            json_decref(o);
        }
    }
}

static void csv_line(void *ctx, const char *unit, const char *group, const char *key, const json_t *o)
{
    buf *b = ctx;
    csv_field(b, unit);
    buf_append(b, ",", 1);
    buf_append(b, group, strlen(group));
    buf_append(b, ",", 1);
    csv_field(b, key);
    for (size_t i = 0; i < NMEASURES; i++) {
        char v[32];
        num_text(json_object_get(o, measures[i]), v);
        buf_append(b, ",", 1);
        buf_append(b, v, strlen(v));
    }
    buf_append(b, "\n", 1);
}

int svc_report_csv(const json_t *report, char **out, size_t *len, pc_err *e)
{
    (void)e;
    buf b = {0};
    const char *head = "unit,group,key,received,finished,within_deadline,within_deadline_pct,avg_working_days,"
                       "p90_working_days,open\n";
    buf_append(&b, head, strlen(head));
    each_line(report, csv_line, &b);
    *len = b.len;
    buf_append(&b, "", 1);
    *out = b.data;
    return 0;
}

typedef struct {
    lxw_worksheet *ws;
    lxw_row_t row;
} xlsx_ctx;

static void xlsx_line(void *ctx, const char *unit, const char *group, const char *key, const json_t *o)
{
    xlsx_ctx *x = ctx;
    worksheet_write_string(x->ws, x->row, 0, unit, NULL);
    worksheet_write_string(x->ws, x->row, 1, group, NULL);
    worksheet_write_string(x->ws, x->row, 2, key, NULL);
    for (size_t i = 0; i < NMEASURES; i++) {
        json_t *v = json_object_get(o, measures[i]);
        if (json_is_number(v))
            worksheet_write_number(x->ws, x->row, (lxw_col_t)(3 + i), json_number_value(v), NULL);
    }
    x->row++;
}

int svc_report_xlsx(const json_t *report, const char *path, pc_err *e)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return pc_errf(e, PC_EIO, "%s: cannot be written", path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "service");
    static const char *const head[] = {"unit", "group", "key"};
    for (int i = 0; i < 3; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, head[i], NULL);
    for (size_t i = 0; i < NMEASURES; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)(3 + i), measures[i], NULL);
    xlsx_ctx x = {ws, 1};
    each_line(report, xlsx_line, &x);
    if (workbook_close(wb) != LXW_NO_ERROR)
        return pc_errf(e, PC_EIO, "%s: cannot be written", path);
    return 0;
}
