/* The phân kỳ control report (see phanky_report.h): the store's pass over customers and their
 * billed months, the rule of domain/phanky, counts per unit, and the JSON, CSV and XLSX writers. */
#include "app/phanky_report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/org.h"
#include "formats/csv_reader.h"
#include "store/phanky.h"
#include "store/repo.h"

void phanky_summary_free(phanky_summary *s)
{
    if (!s)
        return;
    free(s->units);
    s->units = NULL;
    s->nunits = 0;
}

static int unit_cmp(const void *a, const void *b)
{
    return strcmp(((const phanky_unit *)a)->unit, ((const phanky_unit *)b)->unit);
}

/* The summary's units: every unit of the scope, in code order, with no figures yet. */
static int load_units(db *d, const char *scope_path, phanky_unit **units, int *nunits, pc_err *e)
{
    org_row *v;
    int n;
    if (org_units(d, scope_path, &v, &n, e) != 0)
        return -1;
    *units = calloc(n ? (size_t)n : 1, sizeof **units);
    if (!*units) {
        free(v);
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        snprintf((*units)[i].unit, sizeof (*units)[i].unit, "%s", v[i].code);
        snprintf((*units)[i].name, sizeof (*units)[i].name, "%s", v[i].name);
    }
    *nunits = n;
    free(v);
    return 0;
}

typedef struct {
    char code[16];
    size_t name; /* offset in the arena */
    int unit;    /* index in sum->units */
    int8_t months, required, configured, status;
    int64_t avg_kwh;
    int64_t kwh[PHANKY_MONTHS];
    char period[PHANKY_MONTHS][8];
} pending_row;

typedef struct {
    const phanky_request *rq;
    phanky_summary *sum;
    phanky_row_fn row;
    void *ctx;
    phanky_unit *last; /* customers of a unit often come together */
    pending_row *rows;
    size_t nrows, cap;
    char *names;
    size_t names_len, names_cap;
} run_ctx;

static phanky_unit *unit_of(run_ctx *x, const char *code)
{
    if (x->last && strcmp(x->last->unit, code) == 0)
        return x->last;
    phanky_unit key;
    snprintf(key.unit, sizeof key.unit, "%s", code);
    x->last = x->sum->nunits ? bsearch(&key, x->sum->units, (size_t)x->sum->nunits, sizeof key, unit_cmp) : NULL;
    return x->last;
}

static int on_customer(void *ctx, const phanky_consumption *c, pc_err *e)
{
    run_ctx *x = ctx;
    phanky_unit *u = unit_of(x, c->unit);
    if (!u) /* the scan and the unit list read the same scope: a unit missing is a bug */
        return pc_errf(e, PC_EINTERNAL, "customer %s: unit %s is not in the scope", c->customer_code, c->unit);
    if (c->months == 0) {
        u->not_billed++;
        return 0;
    }
    int64_t avg = phanky_average_kwh(c->kwh, c->months);
    int required = phanky_required_periods(&x->rq->rules, avg);
    phanky_status status = phanky_compare(required, c->configured);
    u->checked++;
    switch (status) {
    case PHANKY_OK: u->ok++; break;
    case PHANKY_NEEDS_MORE: u->needs_more++; break;
    case PHANKY_NEEDS_FEWER: u->needs_fewer++; break;
    }
    if (!x->row || (x->rq->exceptions_only && status == PHANKY_OK))
        return 0;
    if (x->nrows == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 1024;
        if (!(x->rows = realloc(x->rows, x->cap * sizeof *x->rows)))
            abort();
    }
    size_t n = strlen(c->customer_name) + 1;
    if (x->names_len + n > x->names_cap) {
        x->names_cap = x->names_cap ? 2 * x->names_cap : 65536;
        if (x->names_cap < x->names_len + n)
            x->names_cap = x->names_len + n;
        if (!(x->names = realloc(x->names, x->names_cap)))
            abort();
    }
    pending_row *p = &x->rows[x->nrows++];
    memcpy(p->code, c->customer_code, sizeof p->code);
    p->name = x->names_len;
    memcpy(x->names + x->names_len, c->customer_name, n);
    x->names_len += n;
    p->unit = (int)(u - x->sum->units);
    p->months = (int8_t)c->months;
    p->required = (int8_t)required;
    p->configured = (int8_t)c->configured;
    p->status = (int8_t)status;
    p->avg_kwh = avg;
    memcpy(p->kwh, c->kwh, sizeof p->kwh);
    memcpy(p->period, c->period, sizeof p->period);
    return 0;
}

static int pending_cmp(const void *a, const void *b)
{
    return strcmp(((const pending_row *)a)->code, ((const pending_row *)b)->code);
}

/* The rows kept, by customer code, to the caller's function. */
static int emit_rows(run_ctx *x, pc_err *e)
{
    if (x->nrows > 1) /* qsort of no array is undefined, even for 0 elements */
        qsort(x->rows, x->nrows, sizeof *x->rows, pending_cmp);
    phanky_row r;
    for (size_t i = 0; i < x->nrows; i++) {
        const pending_row *p = &x->rows[i];
        const phanky_unit *u = &x->sum->units[p->unit];
        memcpy(r.customer_code, p->code, sizeof r.customer_code);
        snprintf(r.customer_name, sizeof r.customer_name, "%s", x->names + p->name);
        memcpy(r.unit, u->unit, sizeof r.unit);
        memcpy(r.unit_name, u->name, sizeof r.unit_name);
        r.months = p->months;
        memcpy(r.period, p->period, sizeof r.period);
        memcpy(r.kwh, p->kwh, sizeof r.kwh);
        r.avg_kwh = p->avg_kwh;
        r.required = p->required;
        r.configured = p->configured;
        r.status = (phanky_status)p->status;
        if (x->row(x->ctx, &r, e) != 0)
            return -1;
    }
    return 0;
}

int phanky_run(db *d, const phanky_request *rq, phanky_row_fn row, void *ctx, phanky_summary *sum, pc_err *e)
{
    memset(sum, 0, sizeof *sum);
    if (phanky_rules_check(&rq->rules, e) != 0)
        return -1;
    char path[160];
    const char *scope_path;
    if (org_scope_path(d, rq->scope, path, &scope_path, e) != 0)
        return -1;
    if (load_units(d, scope_path, &sum->units, &sum->nunits, e) != 0)
        return -1;
    civil_month last = month_of(rq->as_of), first = month_add(last, -(PHANKY_WINDOW_MONTHS - 1));
    char as_of[DATE_FMT_MAX], p0[MONTH_FMT_MAX], p1[MONTH_FMT_MAX];
    date_format(rq->as_of, as_of);
    month_format(first, p0);
    month_format(last, p1);
    run_ctx x = {.rq = rq, .sum = sum, .row = row, .ctx = ctx};
    int rc = phanky_consumption_scan(d, scope_path, as_of, p0, p1, on_customer, &x, e);
    if (rc == 0 && row)
        rc = emit_rows(&x, e);
    free(x.rows);
    free(x.names);
    if (rc != 0)
        return -1;
    phanky_unit *t = &sum->totals;
    for (int i = 0; i < sum->nunits; i++) {
        const phanky_unit *u = &sum->units[i];
        t->checked += u->checked;
        t->ok += u->ok;
        t->needs_more += u->needs_more;
        t->needs_fewer += u->needs_fewer;
        t->not_billed += u->not_billed;
    }
    return 0;
}

/* ---- writers ---- */

typedef struct {
    FILE *f;
    int rows;
    phanky_xlsx *x;
} writer;

/* A JSON string (quotes and escapes by jansson). */
static void put_json_string(FILE *f, const char *s)
{
    json_t *j = json_string(s);
    char small[768];
    size_t n = j ? json_dumpb(j, small, sizeof small, JSON_ENCODE_ANY) : 0;
    if (n > 0 && n <= sizeof small)
        fwrite(small, 1, n, f);
    else {
        char *big = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
        fputs(big ? big : "\"\"", f);
        free(big);
    }
    json_decref(j);
}

static int json_row(void *ctx, const phanky_row *r, pc_err *e)
{
    (void)e;
    writer *w = ctx;
    fputs(w->rows++ ? ",\n{\"customer_code\":" : "\n{\"customer_code\":", w->f);
    put_json_string(w->f, r->customer_code);
    fputs(",\"customer_name\":", w->f);
    put_json_string(w->f, r->customer_name);
    fputs(",\"unit\":", w->f);
    put_json_string(w->f, r->unit);
    fprintf(w->f, ",\"avg_kwh\":%lld,\"months\":%d,\"required\":%d,\"configured\":%d,\"status\":\"%s\"}",
            (long long)r->avg_kwh, r->months, r->required, r->configured, phanky_status_name(r->status));
    return 0;
}

static void json_counts(FILE *f, const phanky_unit *u)
{
    fprintf(f, "\"checked\":%lld,\"ok\":%lld,\"needs_more\":%lld,\"needs_fewer\":%lld,\"not_billed\":%lld}",
            (long long)u->checked, (long long)u->ok, (long long)u->needs_more, (long long)u->needs_fewer,
            (long long)u->not_billed);
}

static const char *const csv_header[] = {"customer_code", "customer_name", "unit", "unit_name", "avg_kwh",
                                         "months", "required", "configured", "status"};

static int csv_row(void *ctx, const phanky_row *r, pc_err *e)
{
    writer *w = ctx;
    char avg[24], months[8], req[8], conf[8];
    snprintf(avg, sizeof avg, "%lld", (long long)r->avg_kwh);
    snprintf(months, sizeof months, "%d", r->months);
    snprintf(req, sizeof req, "%d", r->required);
    snprintf(conf, sizeof conf, "%d", r->configured);
    const char *fields[] = {r->customer_code, r->customer_name, r->unit, r->unit_name, avg, months, req, conf,
                            phanky_status_name(r->status)};
    if (csv_write_record(w->f, fields, sizeof fields / sizeof *fields) != 0)
        return pc_errf(e, PC_EIO, "writing the report failed");
    return 0;
}

static int xlsx_row(void *ctx, const phanky_row *r, pc_err *e)
{
    return phanky_xlsx_row(((writer *)ctx)->x, r, e);
}

int phanky_report_write(db *d, const phanky_request *rq, const char *format, FILE *f, const char *xlsx_path,
                        pc_err *e)
{
    phanky_report_info info;
    memset(&info, 0, sizeof info);
    date_format(rq->as_of, info.as_of);
    info.rules = rq->rules;
    if (rq->scope && rq->scope[0]) {
        org_row o;
        if (org_get(d, rq->scope, &o, e) != 0)
            return pc_err_prefix(e, "scope");
        snprintf(info.scope, sizeof info.scope, "%s", o.code);
        snprintf(info.scope_name, sizeof info.scope_name, "%s", o.name);
    }
    writer w = {f, 0, NULL};
    phanky_row_fn fn;
    if (strcmp(format, "json") == 0) {
        fprintf(f, "{\"report\":\"phanky\",\"as_of\":\"%s\",\"scope\":", info.as_of);
        if (info.scope[0])
            put_json_string(f, info.scope);
        else
            fputs("null", f);
        fprintf(f, ",\"exceptions_only\":%s,\"rules\":{\"two_periods_kwh\":%lld,\"three_periods_kwh\":%lld},\"rows\":[",
                rq->exceptions_only ? "true" : "false", (long long)rq->rules.two_periods_kwh,
                (long long)rq->rules.three_periods_kwh);
        fn = json_row;
    } else if (strcmp(format, "csv") == 0) {
        if (csv_write_record(f, csv_header, sizeof csv_header / sizeof *csv_header) != 0)
            return pc_errf(e, PC_EIO, "writing the report failed");
        fn = csv_row;
    } else if (strcmp(format, "xlsx") == 0) {
        if (!(w.x = phanky_xlsx_open(xlsx_path, &info, e)))
            return -1;
        fn = xlsx_row;
    } else
        return pc_errf(e, PC_EINVAL, "--format '%s' is not json, csv or xlsx", format);

    phanky_summary sum;
    int rc = phanky_run(d, rq, fn, &w, &sum, e);
    if (rc == 0 && w.x) {
        rc = phanky_xlsx_close(w.x, sum.units, sum.nunits, &sum.totals, e);
        w.x = NULL;
    } else if (rc == 0 && strcmp(format, "json") == 0) {
        fputs("],\n\"units\":[", f);
        for (int i = 0; i < sum.nunits; i++) {
            fputs(i ? ",\n{\"unit\":" : "\n{\"unit\":", f);
            put_json_string(f, sum.units[i].unit);
            fputs(",\"name\":", f);
            put_json_string(f, sum.units[i].name);
            fputc(',', f);
            json_counts(f, &sum.units[i]);
        }
        fputs("],\n\"totals\":{", f);
        json_counts(f, &sum.totals);
        fputs("}\n", f);
    }
    if (w.x)
        phanky_xlsx_abort(w.x);
    phanky_summary_free(&sum);
    if (rc == 0 && f && ferror(f))
        return pc_errf(e, PC_EIO, "writing the report failed");
    return rc;
}
