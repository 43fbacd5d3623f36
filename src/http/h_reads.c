/* Meter reads over HTTP (docs/api.md "Reads and billing"): a customer's reads, posting one read,
 * the read-anomaly queue with the reason each read is held, approving or correcting a held read,
 * and replacing a meter. The same use cases as `powercis read` and `powercis meter replace`
 * (app/reads.h). A read, like a receipt, is named by a sequential id: one outside the caller's
 * scope is 404 like one that does not exist; a customer code outside it is 403 as in
 * h_customers.c (decided from the code alone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/reads.h"
#include "base/date.h"
#include "http/api_util.h"
#include "http/auth.h"
#include "http/idempotency.h"
#include "http/router.h"
#include "store/repo.h"

/* ---- answers ---- */

/* Why a read is held (or informed), one sentence per flag. */
static json_t *reasons_json(const read_row *x)
{
    json_t *a = json_array();
    if (x->flags & READ_FLAG_BACKWARDS)
        json_array_append_new(a, json_string("the index is below the previous read and is not a plausible rollover"));
    if (x->flags & READ_FLAG_ZERO)
        json_array_append_new(a, json_string("no consumption on an active meter"));
    if (x->flags & READ_FLAG_DEVIATION) {
        char s[320];
        snprintf(s, sizeof s, "far from the average of the previous periods%s%s", x->note[0] ? ": " : "", x->note);
        json_array_append_new(a, json_string(s));
    }
    if (x->flags & READ_FLAG_ROLLOVER)
        json_array_append_new(a, json_string("the register passed its last digit (rollover)"));
    return a;
}

static json_t *read_json(const read_row *x)
{
    json_t *idx = json_object(), *flags = json_array();
    for (int g = 0; g < REG_COUNT; g++)
        if (x->idx.has[g])
            json_object_set_new(idx, register_name((meter_register)g), json_integer(x->idx.v[g]));
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{READ_FLAG_BACKWARDS, "backwards"}, {READ_FLAG_ROLLOVER, "rollover"}, {READ_FLAG_ZERO, "zero"},
                 {READ_FLAG_DEVIATION, "deviation"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (x->flags & names[i].bit)
            json_array_append_new(flags, json_string(names[i].name));
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:s?, s:s}", "id", (json_int_t)x->id,
                          "customer_code", x->customer_code, "meter", x->meter_serial, "reading_date", x->read_date,
                          "kind", x->kind, "index", idx, "kwh", x->kwh_known ? json_integer(x->kwh_sum) : json_null(),
                          "status", x->status, "flags", flags, "reasons", reasons_json(x), "note",
                          x->note[0] ? x->note : NULL, "source", x->source);
    if (x->supersedes_id)
        json_object_set_new(o, "supersedes_id", json_integer(x->supersedes_id));
    return o;
}

/* A use case's refusal: 400 naming the field its message starts with ("reading_date: …",
 * "--reason: …"), the CLI's flag names turned into the body's; 404, 409 and the rest as usual. */
static void read_failed(http_response *w, const pc_err *e)
{
    if (e->code != PC_EINVAL && !(e->code == PC_ECONFLICT && strncmp(e->msg, "reading_date:", 13) == 0)) {
        http_fail(w, e);
        return;
    }
    static const char *const fields[][2] = {
        {"reading_date:", "reading_date"}, {"customer_code:", "customer_code"}, {"route:", "route"},
        {"--reason:", "reason"},           {"--serial:", "new_serial"},         {"--initial-", "initial"},
        {"--final-", "final"},             {"total:", "total"},                 {"normal:", "normal"},
        {"peak:", "peak"},                 {"offpeak:", "offpeak"},             {"meter", "meter"}};
    const char *field = NULL;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strncmp(e->msg, fields[i][0], strlen(fields[i][0])) == 0) {
            field = fields[i][1];
            break;
        }
    http_error(w, e->code == PC_ECONFLICT ? 409 : 400, e->code == PC_ECONFLICT ? "conflict" : "invalid",
               strncmp(e->msg, "--", 2) == 0 ? e->msg + 2 : e->msg, field);
}

/* ---- request fields ---- */

/* Indexes from an object: "total", or "normal", "peak" and "offpeak", whole numbers >= 0. name
 * prefixes the field in refusals ("final.total"); -1 answered. */
static int register_fields(json_t *o, const char *name, register_values *idx, http_response *w)
{
    memset(idx, 0, sizeof *idx);
    for (int g = 0; g < REG_COUNT; g++) {
        const char *reg = register_name((meter_register)g);
        json_t *v = json_object_get(o, reg);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_integer(v) || json_integer_value(v) < 0) {
            char field[48];
            snprintf(field, sizeof field, "%s%s%s", name ? name : "", name ? "." : "", reg);
            api_bad_field(w, field, "a meter index is a whole number, 0 or more");
            return -1;
        }
        idx->has[g] = true;
        idx->v[g] = json_integer_value(v);
    }
    return 0;
}

static int require_registers(const register_values *idx, const char *field, http_response *w)
{
    bool tou = idx->has[REG_NORMAL] || idx->has[REG_PEAK] || idx->has[REG_OFFPEAK];
    if (idx->has[REG_TOTAL] ? !tou : idx->has[REG_NORMAL] && idx->has[REG_PEAK] && idx->has[REG_OFFPEAK])
        return 0;
    api_bad_field(w, field, "give total, or normal, peak and offpeak");
    return -1;
}

/* A text field copied into dst of cap bytes; -1 answered when too long or not a string. */
static int copy_field(json_t *b, const char *name, bool required, char *dst, size_t cap, http_response *w)
{
    const char *v;
    if ((required ? api_required_text(b, name, &v, w) : api_text_field(b, name, &v, w)) != 0)
        return -1;
    if (v && strlen(v) >= cap) {
        char why[64];
        snprintf(why, sizeof why, "at most %zu characters", cap - 1);
        api_bad_field(w, name, why);
        return -1;
    }
    snprintf(dst, cap, "%s", v ? v : "");
    return 0;
}

/* ---- the read of an id, within the scope ---- */

static int read_in_scope(http_request *r, http_response *w, read_row *x)
{
    int64_t id = api_id_param(r->params[0], w, "no read has this id within your scope");
    if (id < 0)
        return -1;
    pc_err e = {0};
    payer_row c;
    bool in = false;
    if (read_get(r->d, id, x, &e) == 0 && payer_get(r->d, x->customer_code, &c, &e) == 0 &&
        api_unit_in_scope(r, c.unit_code, &in, &e) == 0 && in)
        return 0;
    if (e.code == PC_EDB || e.code == PC_EINTERNAL)
        http_fail(w, &e);
    else
        http_error(w, 404, "not_found", "no read has this id within your scope", NULL);
    return -1;
}

/* ---- paging through reads ---- */

typedef struct {
    json_t *items;
    long take;
    bool more;
} read_page;

static int collect_read(void *ctx, const read_row *x)
{
    read_page *p = ctx;
    if ((long)json_array_size(p->items) >= p->take) {
        p->more = true;
        return 0;
    }
    json_array_append_new(p->items, read_json(x));
    return 0;
}

/* Lists a page of f (one more row than the page asked tells whether there is a next). */
static void answer_reads(http_request *r, http_response *w, read_filter *f, long limit, long offset)
{
    read_page p = {json_array(), limit, false};
    f->limit = (int)limit + 1;
    f->offset = (int)offset;
    pc_err e = {0};
    if (read_list(r->d, f, collect_read, &p, &e) != 0) {
        json_decref(p.items);
        http_fail(w, &e);
        return;
    }
    http_json(w, 200,
              json_pack("{s:o, s:i, s:i, s:o}", "items", p.items, "limit", (int)limit, "offset", (int)offset,
                        "next_offset", p.more ? json_integer(offset + limit) : json_null()));
}

/* GET /api/v1/customers/{code}/reads: newest first. */
void h_customer_reads(http_request *r, http_response *w)
{
    payer_row c;
    long limit, offset;
    if (api_customer_in_scope(r, w, r->params[0], &c) != 0 || api_page(r, w, &limit, &offset) != 0)
        return;
    read_filter f = {.customer_code = c.code, .newest_first = true};
    answer_reads(r, w, &f, limit, offset);
}

/* A query date (YYYY-MM-DD) into out; -1 answered. */
static int date_query(http_request *r, http_response *w, const char *name, char out[DATE_FMT_MAX], const char **ptr)
{
    const char *v = http_query(r, name);
    *ptr = NULL;
    if (!v)
        return 0;
    civil_date cd;
    pc_err e = {0};
    if (date_parse(v, &cd, &e) != 0) {
        api_bad_field(w, name, "YYYY-MM-DD is expected");
        return -1;
    }
    date_format(cd, out);
    *ptr = out;
    return 0;
}

/* GET /api/v1/reads?flagged=1&scope=&from=&to=: the read-anomaly queue (flagged=1) or every
 * read, under the caller's scope or a node within it, by customer code and date. */
void h_reads_list(http_request *r, http_response *w)
{
    long limit, offset;
    if (api_page(r, w, &limit, &offset) != 0)
        return;
    long flagged = http_query_long(r, w, "flagged", 0, 0, 1);
    if (flagged < 0)
        return;
    char from[DATE_FMT_MAX], to[DATE_FMT_MAX];
    read_filter f = {.flagged_only = flagged == 1};
    if (date_query(r, w, "from", from, &f.from) != 0 || date_query(r, w, "to", to, &f.to) != 0)
        return;
    const char *scope = http_query(r, "scope");
    org_row n;
    pc_err e = {0};
    if (!scope || !scope[0])
        scope = r->who.scope_code;
    if (org_get(r->d, scope, &n, &e) != 0 || !http_in_scope(r, n.path)) {
        if (e.code == PC_EDB || e.code == PC_EINTERNAL)
            http_fail(w, &e);
        else
            api_bad_field(w, "scope", "not an org node within your scope");
        return;
    }
    f.scope_path = n.path;
    answer_reads(r, w, &f, limit, offset);
}

/* POST /api/v1/reads: one read, as `read add`. */
void h_read_post(http_request *r, http_response *w)
{
    json_t *b = api_body_object(r, w);
    if (!b)
        return;
    read_input in;
    memset(&in, 0, sizeof in);
    payer_row c;
    http_idem st = {0};
    if (copy_field(b, "customer_code", true, in.customer_code, sizeof in.customer_code, w) != 0 ||
        copy_field(b, "reading_date", true, in.date, sizeof in.date, w) != 0 ||
        copy_field(b, "meter", false, in.meter, sizeof in.meter, w) != 0 ||
        copy_field(b, "route", false, in.route, sizeof in.route, w) != 0 ||
        register_fields(b, NULL, &in.idx, w) != 0 || require_registers(&in.idx, "total", w) != 0)
        goto done;
    const char *source = NULL;
    if (api_text_field(b, "source", &source, w) != 0)
        goto done;
    if (source && strcmp(source, "manual") != 0 && strcmp(source, "amr") != 0) {
        api_bad_field(w, "source", "manual (taken by hand, the default) or amr (sent by the automatic system)");
        goto done;
    }
    /* "api" like the CLI's "cli": a read taken by hand; "amr" counts as received in `report amr` */
    snprintf(in.source, sizeof in.source, "%s", source && strcmp(source, "amr") == 0 ? "amr" : "api");
    if (api_customer_in_scope(r, w, in.customer_code, &c) != 0 || http_idem_begin(r, w, true, NULL, &st) != 0)
        goto done;
    read_rules rules = r->cfg->reads;
    read_row x;
    pc_err e = {0};
    if (read_post(r->d, r->user, &rules, &in, &x, &e) != 0) {
        http_idem_abort(r, &st);
        read_failed(w, &e);
    } else
        http_idem_answer(r, w, &st, 201, read_json(&x));
done:
    json_decref(b);
}

/* POST /api/v1/reads/{id}/approve {"reason"} (200, the read approved) and
 * POST /api/v1/reads/{id}/correct {"total" | "normal","peak","offpeak", "reason"} (201, the new
 * read superseding it). */
static void read_decision(http_request *r, http_response *w, bool correct)
{
    read_row x;
    if (read_in_scope(r, w, &x) != 0)
        return;
    json_t *b = api_body_object(r, w);
    if (!b)
        return;
    const char *reason;
    register_values idx;
    http_idem st = {0};
    if ((correct && (register_fields(b, NULL, &idx, w) != 0 || require_registers(&idx, "total", w) != 0)) ||
        api_required_text(b, "reason", &reason, w) != 0 || http_idem_begin(r, w, false, NULL, &st) != 0)
        goto done;
    read_rules rules = r->cfg->reads;
    read_row out;
    pc_err e = {0};
    int rc = correct ? read_correct(r->d, r->user, &rules, x.id, &idx, reason, &out, &e)
                     : read_approve(r->d, r->user, x.id, reason, &e) == 0 ? read_get(r->d, x.id, &out, &e) : -1;
    if (rc != 0) {
        http_idem_abort(r, &st);
        read_failed(w, &e);
    } else
        http_idem_answer(r, w, &st, correct ? 201 : 200, read_json(&out));
done:
    json_decref(b);
}

void h_read_approve(http_request *r, http_response *w)
{
    read_decision(r, w, false);
}

void h_read_correct(http_request *r, http_response *w)
{
    read_decision(r, w, true);
}

/* An object field of indexes ("final", "initial"); -1 answered. */
static int register_object(json_t *b, const char *name, bool required, register_values *idx, http_response *w)
{
    json_t *o = json_object_get(b, name);
    memset(idx, 0, sizeof *idx);
    if (!o || json_is_null(o)) {
        if (!required)
            return 0;
        api_bad_field(w, name, "required: {\"total\": N} or {\"normal\": N, \"peak\": N, \"offpeak\": N}");
        return -1;
    }
    if (!json_is_object(o)) {
        api_bad_field(w, name, "an object {\"total\": N} or {\"normal\", \"peak\", \"offpeak\"} is expected");
        return -1;
    }
    if (register_fields(o, name, idx, w) != 0)
        return -1;
    return required ? require_registers(idx, name, w) : 0;
}

/* An optional whole-number field within [min, max] (0 when absent); -1 answered. */
static int int_field(json_t *b, const char *name, int min, int max, int *out, http_response *w)
{
    json_t *v = json_object_get(b, name);
    *out = 0;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        char why[64];
        snprintf(why, sizeof why, "a whole number from %d to %d is expected", min, max);
        api_bad_field(w, name, why);
        return -1;
    }
    *out = (int)json_integer_value(v);
    return 0;
}

/* POST /api/v1/meters/{serial}/replace: the meter installed at customer_code with this serial is
 * closed with its final index; the new one installed on the same date. */
void h_meter_replace(http_request *r, http_response *w)
{
    json_t *b = api_body_object(r, w);
    if (!b)
        return;
    char code[16], date[DATE_FMT_MAX];
    register_values fin;
    new_meter nm;
    memset(&nm, 0, sizeof nm);
    const char *reason;
    payer_row c;
    http_idem st = {0};
    if (copy_field(b, "customer_code", true, code, sizeof code, w) != 0 ||
        copy_field(b, "date", true, date, sizeof date, w) != 0 ||
        copy_field(b, "new_serial", true, nm.serial, sizeof nm.serial, w) != 0 ||
        register_object(b, "final", true, &fin, w) != 0 || register_object(b, "initial", false, &nm.initial, w) != 0 ||
        int_field(b, "multiplier", 1, 100000, &nm.multiplier, w) != 0 || int_field(b, "digits", 4, 9, &nm.digits, w) != 0 ||
        api_required_text(b, "reason", &reason, w) != 0 || api_customer_in_scope(r, w, code, &c) != 0)
        goto done;
    /* the path names the meter being replaced: it must be the one installed at the customer */
    meter_row m;
    pc_err e = {0};
    if (meter_current(r->d, c.id, r->params[0], &m, &e) != 0) {
        if (e.code == PC_EDB || e.code == PC_EINTERNAL)
            http_fail(w, &e);
        else
            http_error(w, 404, "not_found", "this customer has no meter installed with this serial", NULL);
        goto done;
    }
    if (http_idem_begin(r, w, true, NULL, &st) != 0)
        goto done;
    read_rules rules = r->cfg->reads;
    if (meter_replace(r->d, r->user, &rules, code, date, &fin, &nm, reason, &e) != 0) {
        http_idem_abort(r, &st);
        read_failed(w, &e);
    } else
        http_idem_answer(r, w, &st, 201,
                         json_pack("{s:s, s:s, s:s, s:s}", "customer_code", code, "date", date, "old_serial", m.serial,
                                   "new_serial", nm.serial));
done:
    json_decref(b);
}
