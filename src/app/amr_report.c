/* AMR collection figures (see amr_report.h): the store's meters of the month summed per unit. */
#include "app/amr_report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/org.h"
#include "domain/amr.h"
#include "formats/csv_reader.h"
#include "store/phanky.h"
#include "store/repo.h"

void amr_summary_free(amr_summary *sum)
{
    if (!sum)
        return;
    free(sum->units);
    sum->units = NULL;
    sum->nunits = 0;
}

static int unit_cmp(const void *a, const void *b)
{
    return strcmp(((const amr_unit *)a)->unit, ((const amr_unit *)b)->unit);
}

/* The summary's units: every unit of the scope, in code order, with no figures yet. */
static int load_units(db *d, const char *scope_path, amr_unit **units, int *nunits, pc_err *e)
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
    amr_summary *sum;
    amr_unit *last;
} run_ctx;

static int on_meter(void *ctx, const amr_meter *m, pc_err *e)
{
    run_ctx *x = ctx;
    if (!x->last || strcmp(x->last->unit, m->unit) != 0) {
        amr_unit key;
        snprintf(key.unit, sizeof key.unit, "%s", m->unit);
        x->last = x->sum->nunits ? bsearch(&key, x->sum->units, (size_t)x->sum->nunits, sizeof key, unit_cmp) : NULL;
        if (!x->last)
            return pc_errf(e, PC_EINTERNAL, "unit %s is not in the scope", m->unit);
    }
    amr_unit *u = x->last;
    u->meters++;
    if (m->amr) {
        u->amr_meters++;
        u->scheduled += m->periods_per_month;
        u->received += amr_received_counted(m->received, m->periods_per_month);
    }
    return 0;
}

static void rates(amr_unit *u)
{
    u->coverage_hundredths = amr_pct_hundredths(u->amr_meters, u->meters);
    u->success_hundredths = amr_pct_hundredths(u->received, u->scheduled);
}

int amr_run(db *d, civil_month month, const char *scope, amr_summary *sum, pc_err *e)
{
    memset(sum, 0, sizeof *sum);
    if (!month_valid(month))
        return pc_errf(e, PC_EINVAL, "month %d is not a month", (int)month);
    char path[160];
    const char *scope_path;
    if (org_scope_path(d, scope, path, &scope_path, e) != 0 ||
        load_units(d, scope_path, &sum->units, &sum->nunits, e) != 0)
        return -1;
    char first[DATE_FMT_MAX], last[DATE_FMT_MAX];
    date_format(month_first_day(month), first);
    date_format(month_last_day(month), last);
    run_ctx x = {sum, NULL};
    if (amr_meter_scan(d, scope_path, first, last, on_meter, &x, e) != 0)
        return -1;
    amr_unit *t = &sum->totals;
    for (int i = 0; i < sum->nunits; i++) {
        amr_unit *u = &sum->units[i];
        rates(u);
        t->meters += u->meters;
        t->amr_meters += u->amr_meters;
        t->scheduled += u->scheduled;
        t->received += u->received;
    }
    rates(t);
    return 0;
}

/* "75.00", or "" when there is no rate (the writers turn that into null / an empty cell). */
static void pct_text(int64_t h, char out[24])
{
    if (h < 0)
        out[0] = '\0';
    else
        snprintf(out, 24, "%lld.%02lld", (long long)(h / 100), (long long)(h % 100));
}

static void json_figures(FILE *f, const amr_unit *u)
{
    char cov[24], suc[24];
    pct_text(u->coverage_hundredths, cov);
    pct_text(u->success_hundredths, suc);
    fprintf(f, "\"meters\":%lld,\"amr_meters\":%lld,\"coverage_pct\":%s,\"scheduled\":%lld,\"received\":%lld,"
               "\"success_pct\":%s}",
            (long long)u->meters, (long long)u->amr_meters, cov[0] ? cov : "null", (long long)u->scheduled,
            (long long)u->received, suc[0] ? suc : "null");
}

static void json_text(FILE *f, const char *s)
{
    json_t *j = json_string(s);
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    fputs(t ? t : "\"\"", f);
    free(t);
    json_decref(j);
}

static int csv_line(FILE *f, const char *kind, const amr_unit *u)
{
    char n[4][24], cov[24], suc[24];
    snprintf(n[0], 24, "%lld", (long long)u->meters);
    snprintf(n[1], 24, "%lld", (long long)u->amr_meters);
    snprintf(n[2], 24, "%lld", (long long)u->scheduled);
    snprintf(n[3], 24, "%lld", (long long)u->received);
    pct_text(u->coverage_hundredths, cov);
    pct_text(u->success_hundredths, suc);
    const char *fields[] = {kind, u->unit, u->name, n[0], n[1], cov, n[2], n[3], suc};
    return csv_write_record(f, fields, sizeof fields / sizeof *fields);
}

int amr_report_write(db *d, civil_month month, const char *scope, const char *format, FILE *f, pc_err *e)
{
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
        return pc_errf(e, PC_EINVAL, "--format '%s' is not json or csv", format);
    amr_summary sum;
    int rc = amr_run(d, month, scope, &sum, e);
    if (rc == 0 && strcmp(format, "json") == 0) {
        char m[MONTH_FMT_MAX];
        fprintf(f, "{\"report\":\"amr\",\"month\":\"%s\",\"scope\":", month_format(month, m));
        if (scope && scope[0])
            json_text(f, scope);
        else
            fputs("null", f);
        fprintf(f, ",\"targets\":{\"coverage_pct\":%d.%02d,\"success_pct\":%d.%02d},\"units\":[",
                AMR_COVERAGE_TARGET_HUNDREDTHS / 100, AMR_COVERAGE_TARGET_HUNDREDTHS % 100,
                AMR_SUCCESS_TARGET_HUNDREDTHS / 100, AMR_SUCCESS_TARGET_HUNDREDTHS % 100);
        for (int i = 0; i < sum.nunits; i++) {
            fputs(i ? ",\n{\"unit\":" : "\n{\"unit\":", f);
            json_text(f, sum.units[i].unit);
            fputs(",\"name\":", f);
            json_text(f, sum.units[i].name);
            fputc(',', f);
            json_figures(f, &sum.units[i]);
        }
        fputs("],\n\"totals\":{", f);
        json_figures(f, &sum.totals);
        fputs("}\n", f);
    } else if (rc == 0) {
        static const char *const head[] = {"row", "unit", "name", "meters", "amr_meters", "coverage_pct",
                                           "scheduled", "received", "success_pct"};
        rc = csv_write_record(f, head, sizeof head / sizeof *head);
        for (int i = 0; rc == 0 && i < sum.nunits; i++)
            rc = csv_line(f, "unit", &sum.units[i]);
        if (rc == 0)
            rc = csv_line(f, "total", &sum.totals);
        if (rc != 0)
            rc = pc_errf(e, PC_EIO, "writing the report failed");
    }
    amr_summary_free(&sum);
    if (rc == 0 && ferror(f))
        return pc_errf(e, PC_EIO, "writing the report failed");
    return rc;
}
