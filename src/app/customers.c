/* Customer use cases (see customers.h). */
#include "app/customers.h"
#include "app/audit.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/org.h"
#include "base/date.h"
#include "base/fold.h"
#include "base/hash.h"
#include "base/log.h"
#include "formats/csv_reader.h"

#define MAX_LISTED_ERRORS 1000

static const char *const identity_fields[] = {"customer_code", "name", "address", "unit", "phone",
                                              "route", "status", "transformer", NULL};
static const char *const contract_fields[] = {"purpose", "class", "voltage", "households", "renter",
                                              "persons", "tou", "payment_mode", "payment_term_days",
                                              "periods_per_month", "est_kwh", "valid_from", NULL};
static const char *const meter_fields[] = {"meter", "multiplier", "digits", "amr", NULL};

static bool in_list(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (strcmp(*list, key) == 0)
            return true;
    return false;
}

bool customer_field_known(const char *key)
{
    return in_list(identity_fields, key) || in_list(contract_fields, key) || in_list(meter_fields, key);
}

bool customer_field_is_contract(const char *key)
{
    return in_list(contract_fields, key);
}

static int set_text(char *dst, size_t cap, const char *key, const char *value, pc_err *e)
{
    while (isspace((unsigned char)*value))
        value++;
    size_t n = strlen(value);
    while (n && isspace((unsigned char)value[n - 1]))
        n--;
    if (n >= cap)
        return pc_errf(e, PC_EINVAL, "%s: longer than %zu bytes", key, cap - 1);
    if (!text_is_utf8(value, n))
        return pc_errf(e, PC_EINVAL, "%s: not valid UTF-8", key);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)value[i] < 0x20)
            return pc_errf(e, PC_EINVAL, "%s: contains a control character", key);
    memcpy(dst, value, n);
    dst[n] = '\0';
    return 0;
}

static int set_int(const char *key, const char *value, int64_t min, int64_t max, int64_t *out, pc_err *e)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (!value[0] || *end || errno)
        return pc_errf(e, PC_EINVAL, "%s: '%s' is not a whole number", key, value);
    if (v < min || v > max)
        return pc_errf(e, PC_EINVAL, "%s: %lld is not between %lld and %lld", key, v, (long long)min, (long long)max);
    *out = v;
    return 0;
}

int customer_set_field(customer *c, meter_spec *m, bool *has_meter, const char *key, const char *value, pc_err *e)
{
    int64_t v;
    bool b;
    if (strcmp(key, "customer_code") == 0) {
        if (set_text(c->code, sizeof c->code, key, value, e) != 0)
            return -1;
        for (char *p = c->code; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        return 0;
    }
    if (strcmp(key, "unit") == 0)
        return set_text(c->unit, sizeof c->unit, key, value, e);
    if (strcmp(key, "name") == 0)
        return set_text(c->name, sizeof c->name, key, value, e);
    if (strcmp(key, "address") == 0)
        return set_text(c->address, sizeof c->address, key, value, e);
    if (strcmp(key, "route") == 0)
        return set_text(c->route, sizeof c->route, key, value, e);
    if (strcmp(key, "transformer") == 0)
        return set_text(c->transformer, sizeof c->transformer, key, value, e);
    if (strcmp(key, "status") == 0)
        return set_text(c->status, sizeof c->status, key, value, e);
    if (strcmp(key, "payment_mode") == 0)
        return set_text(c->payment_mode, sizeof c->payment_mode, key, value, e);
    if (strcmp(key, "voltage") == 0)
        return set_text(c->voltage, sizeof c->voltage, key, value, e);
    if (strcmp(key, "phone") == 0) {
        if (!value[0]) {
            c->phone[0] = '\0';
            return 0;
        }
        return phone_normalize(value, c->phone, e) == 0 ? 0 : pc_err_prefix(e, "phone");
    }
    if (strcmp(key, "purpose") == 0)
        return purpose_parse(value, &c->purpose, e) == 0 ? 0 : pc_err_prefix(e, "purpose");
    if (strcmp(key, "class") == 0) {
        /* Applied after purpose: a check that the two agree, not a separate setting. */
        if (strcmp(value, "residential") && strcmp(value, "nonresidential"))
            return pc_errf(e, PC_EINVAL, "class: '%s' is not residential or nonresidential", value);
        if (strcmp(value, purpose_class(c->purpose)) != 0)
            return pc_errf(e, PC_EINVAL, "class: '%s' contradicts purpose '%s'", value, purpose_name(c->purpose));
        return 0;
    }
    /* Whole-number contract fields: name, range, and the default an empty cell means. */
    static const struct {
        const char *key;
        int64_t min, max, empty;
    } ints[] = {{"households", 1, 999, 1},      {"persons", 1, 9999, 0},        {"payment_term_days", 0, 90, 7},
                {"periods_per_month", 1, 3, 1},  {"est_kwh", 0, 1000000000, 0}};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        if (strcmp(key, ints[i].key) != 0)
            continue;
        if (!value[0])
            v = ints[i].empty;
        else if (set_int(key, value, ints[i].min, ints[i].max, &v, e) != 0)
            return -1;
        switch (i) {
        case 0: c->households = (int)v; break;
        case 1: c->persons = (int)v; break;
        case 2: c->payment_term_days = (int)v; break;
        case 3: c->periods_per_month = (int)v; break;
        default: c->est_kwh_month = v; break;
        }
        return 0;
    }
    if (strcmp(key, "renter") == 0 || strcmp(key, "tou") == 0) {
        if (bool_parse(value, &b, e) != 0)
            return pc_err_prefix(e, "%s", key);
        if (key[0] == 'r')
            c->renter = b;
        else
            c->tou = b;
        return 0;
    }
    if (strcmp(key, "valid_from") == 0) {
        civil_date dt;
        if (date_parse(value, &dt, e) != 0)
            return pc_err_prefix(e, "valid_from");
        date_format(dt, c->valid_from);
        return 0;
    }
    if (strcmp(key, "meter") == 0) {
        if (set_text(m->serial, sizeof m->serial, key, value, e) != 0)
            return -1;
        *has_meter = m->serial[0] != '\0';
        return 0;
    }
    if (strcmp(key, "multiplier") == 0 || strcmp(key, "digits") == 0) {
        bool mult = key[0] == 'm';
        if (!value[0])
            return 0;
        if (set_int(key, value, mult ? 1 : 4, mult ? 100000 : 9, &v, e) != 0)
            return -1;
        if (mult)
            m->multiplier = (int)v;
        else
            m->digits = (int)v;
        return 0;
    }
    if (strcmp(key, "amr") == 0) {
        if (bool_parse(value, &b, e) != 0)
            return pc_err_prefix(e, "amr");
        m->amr = b;
        return 0;
    }
    return pc_errf(e, PC_EINVAL, "unknown field '%s'", key);
}

static void meter_defaults(meter_spec *m)
{
    memset(m, 0, sizeof *m);
    m->multiplier = 1;
    m->digits = 6;
}

static char *customer_json(const customer *c)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:i, s:b, s:s, s:i, s:i, s:I}",
                          "code", c->code, "unit", c->unit, "name", c->name, "address", c->address, "phone",
                          c->phone, "route", c->route, "status", c->status, "valid_from", c->valid_from,
                          "purpose", purpose_name(c->purpose), "voltage", c->voltage, "households",
                          c->households, "renter", c->renter, "persons", c->persons, "tou", c->tou,
                          "payment_mode", c->payment_mode, "payment_term_days", c->payment_term_days,
                          "periods_per_month", c->periods_per_month, "est_kwh", (json_int_t)c->est_kwh_month);
    /* only when set, so that entries of customers without one read as they always did */
    if (c->transformer[0])
        json_object_set_new(o, "transformer", json_string(c->transformer));
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return s;
}

/* A unit code → id cache for imports: a file touches few units. */
typedef struct {
    char code[16];
    int64_t id;
} unit_entry;

typedef struct {
    unit_entry items[64];
    int n;
} unit_cache;

static int unit_id_of(db *d, unit_cache *uc, const char *code, int64_t *id, pc_err *e)
{
    for (int i = 0; i < uc->n; i++)
        if (strcmp(uc->items[i].code, code) == 0) {
            *id = uc->items[i].id;
            return 0;
        }
    org_row r;
    if (org_get(d, code, &r, e) != 0)
        return pc_errf(e, e ? e->code : PC_ENOTFOUND, "unit: '%s' does not exist", code);
    if (strcmp(r.level, "unit") != 0)
        return pc_errf(e, PC_EINVAL, "unit: '%s' is a %s, customers belong to a unit", code, r.level);
    if (uc->n < (int)(sizeof uc->items / sizeof *uc->items)) {
        snprintf(uc->items[uc->n].code, sizeof uc->items[uc->n].code, "%s", code);
        uc->items[uc->n++].id = r.id;
    }
    *id = r.id;
    return 0;
}

static void default_valid_from(customer *c)
{
    if (!c->valid_from[0])
        date_format(date_today(420), c->valid_from);
}

int customer_add(db *d, const char *actor, customer *c, meter_spec *m, pc_err *e)
{
    default_valid_from(c);
    if (!c->unit[0])
        snprintf(c->unit, sizeof c->unit, "%.6s", c->code);
    if (customer_validate(c, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    unit_cache uc = {0};
    int64_t unit_id;
    char *dj = NULL;
    if (unit_id_of(d, &uc, c->unit, &unit_id, e) != 0 || customer_insert(d, c, unit_id, m, e) != 0)
        goto fail;
    dj = customer_json(c);
    if (audit_append(d, actor, "customer.add", "customer", c->code, dj, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    free(dj);
    return 0;
fail:
    free(dj);
    db_rollback(d);
    return -1;
}

/* customer_update's work, audited as `action` (a periods change is its own kind of entry). */
static int update_audited(db *d, const char *actor, const char *action, const char *code, const char *const *keys,
                          const char *const *values, int n, const char *valid_from, const char *reason, pc_err *e)
{
    if (!reason || !reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: a change to a customer needs a reason");
    if (n == 0)
        return pc_errf(e, PC_EINVAL, "nothing to change");
    customer before, after;
    if (db_begin(d, e) != 0)
        return -1;
    char *bj = NULL, *aj = NULL;
    json_t *detail = NULL;
    if (customer_get(d, code, NULL, &before, e) != 0)
        goto fail;
    after = before;
    meter_spec m;
    bool has_meter = false, contract_change = false;
    meter_defaults(&m);
    for (int i = 0; i < n; i++) {
        if (strcmp(keys[i], "customer_code") == 0 || strcmp(keys[i], "unit") == 0 || strcmp(keys[i], "valid_from") == 0 ||
            in_list(meter_fields, keys[i])) {
            pc_errf(e, PC_EINVAL, "%s: cannot be changed by an update", keys[i]);
            goto fail;
        }
        if (customer_set_field(&after, &m, &has_meter, keys[i], values[i], e) != 0)
            goto fail;
        if (customer_field_is_contract(keys[i]))
            contract_change = true;
    }
    if (contract_change) {
        civil_date vf;
        if (!valid_from || !valid_from[0])
            date_format(date_today(420), after.valid_from);
        else if (date_parse(valid_from, &vf, e) != 0) {
            pc_err_prefix(e, "--from");
            goto fail;
        } else
            date_format(vf, after.valid_from);
        if (strcmp(after.valid_from, before.valid_from) < 0) {
            pc_errf(e, PC_EINVAL, "--from: %s is before the contract in force (from %s); history is not rewritten",
                    after.valid_from, before.valid_from);
            goto fail;
        }
    }
    if (customer_validate(&after, e) != 0)
        goto fail;
    if (customer_update_identity(d, &after, e) != 0)
        goto fail;
    if (contract_change && contract_append(d, &after, e) != 0)
        goto fail;
    bj = customer_json(&before);
    aj = customer_json(&after);
    detail = json_pack("{s:o, s:o, s:s}", "before", json_loads(bj, 0, NULL), "after", json_loads(aj, 0, NULL),
                       "reason", reason);
    char *dj = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    int rc = audit_append(d, actor, action, "customer", before.code, dj, e);
    free(dj);
    if (rc != 0 || db_commit(d, e) != 0)
        goto fail;
    free(bj);
    free(aj);
    json_decref(detail);
    return 0;
fail:
    free(bj);
    free(aj);
    json_decref(detail);
    db_rollback(d);
    return -1;
}

int customer_update(db *d, const char *actor, const char *code, const char *const *keys,
                    const char *const *values, int n, const char *valid_from, const char *reason, pc_err *e)
{
    return update_audited(d, actor, "customer.update", code, keys, values, n, valid_from, reason, e);
}

int customer_periods_change(db *d, const char *actor, const char *code, int periods, const char *from_month,
                            civil_date today, const char *reason, customer *before, customer *after, pc_err *e)
{
    if (periods < 1 || periods > 3)
        return pc_errf(e, PC_EINVAL, "--periods: %d is not 1, 2 or 3 periods a month", periods);
    if (!reason || !reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: a change of periods needs a reason");
    /* The month being read and billed keeps the periods it started with: a change takes effect
     * from the first day of a coming month. */
    civil_month earliest = month_add(month_of(today), 1), from = earliest;
    char m0[MONTH_FMT_MAX], m1[MONTH_FMT_MAX];
    if (from_month && from_month[0]) {
        if (month_parse(from_month, &from, e) != 0)
            return pc_err_prefix(e, "--from");
        if (from < earliest)
            return pc_errf(e, PC_EINVAL,
                           "--from %s: a change of periods takes effect from a coming month (the earliest is %s); "
                           "the current and past months stay as they were read and billed",
                           month_format(from, m0), month_format(earliest, m1));
    }
    char valid_from[DATE_FMT_MAX], value[4];
    date_format(month_first_day(from), valid_from);
    snprintf(value, sizeof value, "%d", periods);
    if (db_begin(d, e) != 0)
        return -1;
    if (customer_get(d, code, valid_from, before, e) != 0)
        goto fail;
    if (purpose_is_residential(before->purpose)) {
        pc_errf(e, PC_EINVAL,
                "customer %s is residential: reading periods (phân kỳ) are set for non-residential customers only "
                "(DOMAIN 4); residential meters are read once a month", code);
        goto fail;
    }
    if (before->periods_per_month == periods) {
        pc_errf(e, PC_EINVAL, "customer %s already has %d period%s a month on %s: nothing to change", code, periods,
                periods == 1 ? "" : "s", valid_from);
        goto fail;
    }
    const char *keys[] = {"periods_per_month"};
    const char *values[] = {value};
    if (update_audited(d, actor, "customer.periods", code, keys, values, 1, valid_from, reason, e) != 0 ||
        customer_get(d, code, valid_from, after, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

/* ---- import ---- */

static const char *const required_columns[] = {"customer_code", "name", "address", "unit", "purpose",
                                               "voltage", "households", "phone", NULL};

typedef struct {
    db *d;
    import_report *rep;
    int col_count;
    const char *columns[64];
    char names[64][32]; /* header names, kept for the whole file */
    int class_col;
    unit_cache units;
    civil_date today;
} import_ctx;

static void report_line(import_ctx *x, long line, const pc_err *err)
{
    x->rep->error_rows++;
    if (x->rep->error_rows <= MAX_LISTED_ERRORS)
        buf_printf(&x->rep->errors, "line %ld: %s\n", line, err->msg);
}

static int import_header(import_ctx *x, const csv_record *r, pc_err *e)
{
    if (r->nfields > sizeof x->columns / sizeof *x->columns)
        return pc_errf(e, PC_EINVAL, "line %ld: more than %zu columns", r->line, sizeof x->columns / sizeof *x->columns);
    x->class_col = -1;
    for (size_t i = 0; i < r->nfields; i++) {
        const char *name = r->fields[i];
        if (!customer_field_known(name))
            return pc_errf(e, PC_EINVAL,
                           "line %ld: unknown column '%s' (known: customer_code, name, address, unit, purpose, "
                           "voltage, households, phone, class, renter, persons, tou, route, status, payment_mode, "
                           "payment_term_days, periods_per_month, est_kwh, valid_from, meter, multiplier, digits, amr, "
                           "transformer)",
                           r->line, name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->fields[j], name) == 0)
                return pc_errf(e, PC_EINVAL, "line %ld: column '%s' appears twice", r->line, name);
        if (strcmp(name, "class") == 0)
            x->class_col = (int)i;
        x->columns[i] = name;
    }
    for (const char *const *req = required_columns; *req; req++)
        if (csv_column(r, *req) < 0)
            return pc_errf(e, PC_EINVAL, "line %ld: required column '%s' is missing", r->line, *req);
    x->col_count = (int)r->nfields;
    return 0;
}

static int import_record(void *ctx, const csv_record *r, pc_err *e)
{
    import_ctx *x = ctx;
    if (r->record == 0) {
        /* Column names are kept for the whole file, so copy them out of the reader's buffer. */
        csv_record copy = *r;
        const char *ptrs[64];
        for (size_t i = 0; i < r->nfields && i < 64; i++) {
            snprintf(x->names[i], sizeof x->names[i], "%s", r->fields[i]);
            ptrs[i] = x->names[i];
        }
        copy.fields = ptrs;
        return import_header(x, &copy, e);
    }
    x->rep->rows++;
    pc_err le = {0};
    if ((int)r->nfields != x->col_count) {
        pc_errf(&le, PC_EINVAL, "%zu fields, the header has %d", r->nfields, x->col_count);
        report_line(x, r->line, &le);
        return 0;
    }
    customer c;
    meter_spec m;
    bool has_meter = false;
    customer_defaults(&c);
    meter_defaults(&m);
    date_format(x->today, c.valid_from);
    for (int i = 0; i < x->col_count; i++) {
        if (i == x->class_col)
            continue;
        if (customer_set_field(&c, &m, &has_meter, x->columns[i], r->fields[i], &le) != 0) {
            report_line(x, r->line, &le);
            return 0;
        }
    }
    if (x->class_col >= 0 && customer_set_field(&c, &m, &has_meter, "class", r->fields[x->class_col], &le) != 0) {
        report_line(x, r->line, &le);
        return 0;
    }
    if (has_meter)
        m.tou = c.tou;
    int64_t unit_id;
    if (customer_validate(&c, &le) != 0 || unit_id_of(x->d, &x->units, c.unit, &unit_id, &le) != 0) {
        report_line(x, r->line, &le);
        return 0;
    }
    if (customer_insert_unindexed(x->d, &c, unit_id, has_meter ? &m : NULL, &le) != 0) {
        if (le.code != PC_ECONFLICT && le.code != PC_EINVAL) {
            *e = le; /* the database itself failed: stop */
            return pc_err_prefix(e, "line %ld", r->line);
        }
        report_line(x, r->line, &le);
    }
    return 0;
}

int customer_import(db *d, const char *actor, const char *path, import_report *rep, pc_err *e)
{
    memset(rep, 0, sizeof *rep);
    char hash[65];
    if (sha256_file(path, hash, e) != 0)
        return -1;
    import_ctx x = {.d = d, .rep = rep, .today = date_today(420)};
    int64_t before_id;
    double t_start = monotonic_seconds();
    if (db_begin(d, e) != 0)
        return -1;
    db_tolerate_errors(d, true);
    if (customer_max_id(d, &before_id, e) != 0 || csv_read_file(path, import_record, &x, e) != 0) {
        db_tolerate_errors(d, false);
        goto fail;
    }
    db_tolerate_errors(d, false);
    if (x.col_count == 0) {
        pc_errf(e, PC_EINVAL, "'%s' is empty: expected a header row", path);
        goto fail;
    }
    if (rep->error_rows > 0) {
        pc_errf(e, PC_EINVAL, "%ld of %ld rows have errors; nothing was imported", rep->error_rows, rep->rows);
        goto fail;
    }
    double t_rows = monotonic_seconds();
    if (customer_index_since(d, before_id, e) != 0)
        goto fail;
    log_event(LOG_INFO, "customer.import", "rows=%ld rows_s=%.3f index_s=%.3f", rep->rows, t_rows - t_start,
              monotonic_seconds() - t_rows);
    const char *base = strrchr(path, '/');
    json_t *detail = json_pack("{s:s, s:s, s:I}", "file", base ? base + 1 : path, "sha256", hash, "rows",
                               (json_int_t)rep->rows);
    int rc = audit_event(d, actor, "customer.import", "file", hash, detail, e);
    if (rc != 0 || db_commit(d, e) != 0)
        goto fail;
    rep->imported = rep->rows;
    return 0;
fail:
    db_rollback(d);
    rep->imported = 0;
    return -1;
}

void import_report_free(import_report *rep)
{
    buf_free(&rep->errors);
}

/* ---- search ---- */

static bool looks_like_code(const char *q, char out[16])
{
    size_t n = strlen(q);
    if (n != CUSTOMER_CODE_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)toupper((unsigned char)q[i]);
    out[n] = '\0';
    return customer_code_check(out, NULL) == 0;
}

int customer_search(db *d, const char *query, const char *scope_code, int limit, search_kind *kind,
                    customer_hit_fn fn, void *ctx, pc_err *e)
{
    char path[160];
    const char *scope;
    if (org_scope_path(d, scope_code, path, &scope, e) != 0)
        return -1;
    char trimmed[512];
    while (isspace((unsigned char)*query))
        query++;
    snprintf(trimmed, sizeof trimmed, "%s", query);
    for (size_t n = strlen(trimmed); n && isspace((unsigned char)trimmed[n - 1]); n--)
        trimmed[n - 1] = '\0';
    query = trimmed;
    char code[16], phone[16];
    if (looks_like_code(query, code)) {
        *kind = SEARCH_CODE;
        return customer_find_by_code(d, code, scope, fn, ctx, e);
    }
    if (strpbrk(query, "0123456789") && phone_normalize(query, phone, NULL) == 0) {
        *kind = SEARCH_PHONE;
        return customer_find_by_phone(d, phone, scope, limit, fn, ctx, e);
    }
    *kind = SEARCH_TEXT;
    char folded[512];
    if (text_fold(query, folded, sizeof folded, e) != 0)
        return pc_err_prefix(e, "query");
    if (!folded[0])
        return pc_errf(e, PC_EINVAL, "query: give a customer code, a phone number or words of a name or address");
    /* Every word must match, in any order; the last may be the start of a word still being
     * typed, once it has two letters. */
    const char *last = strrchr(folded, ' ');
    last = last ? last + 1 : folded;
    return customer_find_by_text(d, folded, strlen(last) >= 2, scope, limit, fn, ctx, e);
}
