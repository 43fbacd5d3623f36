/* Risk warning use cases (see risk.h): the store gathers the figures in set-based passes, the
 * domain scores each customer, the results go back in one bulk write inside one transaction. */
#include "app/risk.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/org.h"
#include "base/hash.h"
#include "base/log.h"
#include "formats/csv_reader.h"
#include "formats/table_xlsx.h"
#include "store/repo.h"

char *risk_iso_week(civil_date d, char out[24])
{
    /* the week belongs to the year of its Thursday */
    civil_date thursday = d - date_weekday(d) + 3;
    int y, m, day;
    date_to_ymd(thursday, &y, &m, &day);
    int week = (int)((thursday - date_from_ymd(y, 1, 1)) / 7) + 1;
    snprintf(out, 24, "%04d-W%02d", y, week);
    return out;
}

int risk_run_month(db *d, const risk_params *p, civil_month m, civil_date today, const char *actor, risk_run_row *out,
                   pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (!month_valid(m))
        return pc_errf(e, PC_EINVAL, "month %d is not a month", (int)m);
    if (risk_params_check(p, e) != 0)
        return -1;
    civil_date last = month_last_day(m);
    char mt[MONTH_FMT_MAX];
    month_format(m, mt);
    if (last >= today)
        return pc_errf(e, PC_EINVAL, "month %s has not ended: a risk run classifies a month after its last day", mt);
    risk_window w;
    memset(&w, 0, sizeof w);
    snprintf(w.month, sizeof w.month, "%s", mt);
    date_format(month_first_day(m), w.first);
    date_format(last, w.last);
    /* the 12 months are whole months: M-11 to M (after the last day of M-12) */
    date_format(month_last_day(month_add(m, -12)), w.year_before);
    w.purposes = p->nsectors > 0;

    if (db_begin(d, e) != 0)
        return -1;
    risk_run_row before;
    char bm[MONTH_FMT_MAX];
    pc_err none = {0};
    int64_t *ids[] = {&w.before_run_id, &w.prev_run_id, &w.year_ago_run_id};
    int back[] = {-3, -1, -12};
    for (int k = 0; k < 3; k++) {
        none = (pc_err){0};
        if (risk_run_latest(d, month_format(month_add(m, back[k]), bm), &before, &none) == 0)
            *ids[k] = before.id;
        else if (none.code != PC_ENOTFOUND) {
            *e = none;
            goto fail;
        }
    }
    risk_figures *v = NULL;
    int64_t n = 0;
    double t0 = monotonic_seconds();
    bool rolled;
    if (risk_gather(d, &w, &v, &n, &rolled, e) != 0)
        goto fail;
    double t1 = monotonic_seconds();

    snprintf(out->month, sizeof out->month, "%s", mt);
    snprintf(out->as_of, sizeof out->as_of, "%s", w.last);
    risk_params_text(p, out->params, sizeof out->params);
    sha256_hex(out->params, strlen(out->params), out->params_hash);
    timestamp_now(out->started_at);
    snprintf(out->started_by, sizeof out->started_by, "%s", actor ? actor : "");
    risk_writer *rw = NULL;
    if (risk_run_insert(d, out, e) != 0 || !(rw = risk_writer_open(d, out->id, e))) {
        free(v);
        goto fail;
    }
    for (int64_t i = 0; i < n; i++) {
        const risk_figures *f = &v[i];
        risk_input in = {0};
        in.overdue_days = f->oldest_due ? date_days_between(f->oldest_due, last) : 0;
        in.overdue_amount = f->overdue_amount;
        in.late_payments = f->late_payments;
        in.disconnections = f->disconnections;
        in.debt = f->debt;
        /* no run 3 months before: no growth is measured */
        in.debt_before = f->has_before ? f->debt_before : f->debt;
        in.sector_flagged = f->purpose && risk_sector_flagged(p, risk_purpose_names[f->purpose]);
        in.customer_flagged = f->customer_flagged;
        risk_result r;
        risk_score(p, &in, &r);
        char reasons[512];
        risk_reasons_text(&r, reasons, sizeof reasons);
        risk_result_in row = {f->customer_id,      f->unit_id,          r.score,          risk_class_name(r.cls),
                              risk_action_name(r.action), reasons,      in.overdue_days,  in.overdue_amount,
                              in.late_payments,    f->late_month,       in.disconnections, in.debt,
                              in.debt_before,      f->kwh,              f->payments};
        if (risk_writer_add(rw, &row, e) != 0 || ((i + 1) % 50000 == 0 && risk_writer_flush(rw, e) != 0)) {
            risk_writer_close(rw);
            free(v);
            goto fail;
        }
        out->customers++;
        if (r.cls == RISK_HIGH)
            out->high++;
        else if (r.cls == RISK_MEDIUM)
            out->medium++;
        else
            out->low++;
    }
    free(v);
    int rc = risk_writer_flush(rw, e);
    risk_writer_close(rw);
    if (rc != 0 || risk_run_set_counts(d, out, e) != 0)
        goto fail;
    /* where a run's time goes (POWERCIS_LOG=info): the figures' passes, then scoring and writing */
    log_event(LOG_INFO, "risk.run", "month=%s customers=%lld late=%s gather_s=%.2f score_write_s=%.2f", mt,
              (long long)out->customers, rolled ? "rolled" : "read", t1 - t0, monotonic_seconds() - t1);
    json_t *detail = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s}", "month", mt, "customers", (json_int_t)out->customers,
                               "high", (json_int_t)out->high, "medium", (json_int_t)out->medium, "low",
                               (json_int_t)out->low, "params_hash", out->params_hash);
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)out->id);
    if (audit_event(d, actor, "risk.run", "risk_run", key, detail, e) != 0)
        goto fail;
    return db_commit(d, e);
fail:
    db_rollback(d);
    return -1;
}

/* ---- writers ---- */

static void json_text(FILE *f, const char *s)
{
    json_t *j = json_string(s ? s : "");
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    fputs(t ? t : "\"\"", f);
    free(t);
    json_decref(j);
}

static void json_reasons(FILE *f, const char *text)
{
    risk_reason rs[RISK_FACTORS];
    int n = 0;
    if (risk_reasons_parse(text, rs, &n) != 0)
        n = 0;
    fputc('[', f);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s{\"code\":\"%s\",\"value\":%lld,\"points\":%d}", i ? "," : "", risk_factor_code(rs[i].factor),
                (long long)rs[i].value, rs[i].points);
    fputc(']', f);
}

typedef struct {
    FILE *f;
    const char *format;
    table_xlsx *x;
    int64_t rows;
    bool tracking;
} out_ctx;

static const char *const report_cols[] = {"customer_code", "name",           "unit",          "score",
                                          "class",         "action",         "reasons",       "overdue_days",
                                          "overdue_amount", "late_payments", "disconnections", "debt",
                                          "debt_before",   "kwh",            "payments"};
enum { REPORT_COLS = sizeof report_cols / sizeof *report_cols };
static const char *const track_cols[] = {"debt_now", "debt_change", "payments_since", "kwh_since", "trend"};
enum { TRACK_COLS = sizeof track_cols / sizeof *track_cols };

static const char *trend_of(const risk_row *r)
{
    int64_t change = r->debt_now - r->debt;
    return change < 0 ? "improving" : change > 0 ? "worsening" : "stable";
}

static int on_row(void *ctx, const risk_row *r, pc_err *e)
{
    out_ctx *o = ctx;
    int64_t nums[] = {r->overdue_days, r->overdue_amount, r->late_payments, r->disconnections,
                      r->debt,         r->debt_before,    r->kwh,           r->payments};
    int64_t tnums[] = {r->debt_now, r->debt_now - r->debt, r->payments_since, r->kwh_since};
    if (o->x) {
        table_xlsx_text(o->x, 0, r->code);
        table_xlsx_text(o->x, 1, r->name);
        table_xlsx_text(o->x, 2, r->unit);
        table_xlsx_int(o->x, 3, r->score);
        table_xlsx_text(o->x, 4, r->cls);
        table_xlsx_text(o->x, 5, r->action);
        table_xlsx_text(o->x, 6, r->reasons);
        for (int i = 0; i < 8; i++)
            table_xlsx_int(o->x, 7 + i, nums[i]);
        table_xlsx_next_row(o->x);
    } else if (strcmp(o->format, "json") == 0) {
        fputs(o->rows ? ",\n{\"customer_code\":" : "\n{\"customer_code\":", o->f);
        json_text(o->f, r->code);
        fputs(",\"name\":", o->f);
        json_text(o->f, r->name);
        fprintf(o->f, ",\"unit\":\"%s\",\"score\":%d,\"class\":\"%s\",\"action\":\"%s\",\"reasons\":", r->unit, r->score,
                r->cls, r->action);
        json_reasons(o->f, r->reasons);
        fprintf(o->f,
                ",\"overdue_days\":%lld,\"overdue_amount\":%lld,\"late_payments\":%lld,\"disconnections\":%lld,"
                "\"debt\":%lld,\"debt_before\":%lld,\"kwh\":%lld,\"payments\":%lld",
                (long long)nums[0], (long long)nums[1], (long long)nums[2], (long long)nums[3], (long long)nums[4],
                (long long)nums[5], (long long)nums[6], (long long)nums[7]);
        if (o->tracking)
            fprintf(o->f, ",\"debt_now\":%lld,\"debt_change\":%lld,\"payments_since\":%lld,\"kwh_since\":%lld,\"trend\":\"%s\"",
                    (long long)tnums[0], (long long)tnums[1], (long long)tnums[2], (long long)tnums[3], trend_of(r));
        fputc('}', o->f);
    } else {
        char num[8 + 4][24], score[8];
        snprintf(score, sizeof score, "%d", r->score);
        const char *fields[REPORT_COLS + TRACK_COLS] = {r->code, r->name, r->unit, score, r->cls, r->action, r->reasons};
        for (int i = 0; i < 8; i++) {
            snprintf(num[i], sizeof num[i], "%lld", (long long)nums[i]);
            fields[7 + i] = num[i];
        }
        for (int i = 0; i < 4; i++) {
            snprintf(num[8 + i], sizeof num[8 + i], "%lld", (long long)tnums[i]);
            fields[REPORT_COLS + i] = num[8 + i];
        }
        fields[REPORT_COLS + 4] = trend_of(r);
        if (csv_write_record(o->f, fields, o->tracking ? REPORT_COLS + TRACK_COLS : REPORT_COLS) != 0)
            return pc_errf(e, PC_EIO, "writing the report failed");
    }
    o->rows++;
    return 0;
}

static int check_format(const char *format, bool xlsx_ok, pc_err *e)
{
    if (strcmp(format, "json") == 0 || strcmp(format, "csv") == 0 || (xlsx_ok && strcmp(format, "xlsx") == 0))
        return 0;
    return pc_errf(e, PC_EINVAL, "--format '%s' is not %s", format, xlsx_ok ? "json, csv or xlsx" : "json or csv");
}

int risk_report_write(db *d, civil_month m, const char *scope, const char *cls, const char *format, FILE *f,
                      const char *xlsx_path, pc_err *e)
{
    if (check_format(format, true, e) != 0)
        return -1;
    risk_class c;
    if (cls && risk_class_parse(cls, &c) != 0)
        return pc_errf(e, PC_EINVAL, "--class '%s' is not low, medium or high", cls);
    if (!month_valid(m))
        return pc_errf(e, PC_EINVAL, "month %d is not a month", (int)m);
    char path[160];
    const char *scope_path;
    if (org_scope_path(d, scope, path, &scope_path, e) != 0)
        return -1;
    char mt[MONTH_FMT_MAX];
    risk_run_row run;
    if (risk_run_latest(d, month_format(m, mt), &run, e) != 0)
        return -1;
    int64_t counts[3];
    if (risk_class_counts(d, run.id, scope_path, counts, e) != 0)
        return -1;
    out_ctx o = {f, format, NULL, 0, false};
    if (strcmp(format, "xlsx") == 0) {
        char title[160];
        snprintf(title, sizeof title, "Danh sách khách hàng rủi ro tháng %s%s%s", mt, scope ? " - " : "",
                 scope ? scope : "");
        if (!(o.x = table_xlsx_open(xlsx_path, "Rủi ro", title, report_cols, REPORT_COLS, e)))
            return -1;
    } else if (strcmp(format, "json") == 0) {
        fprintf(f, "{\"report\":\"risk\",\"month\":\"%s\",\"run_id\":%lld,\"run_at\":", mt, (long long)run.id);
        json_text(f, run.started_at);
        fprintf(f, ",\"params_hash\":\"%s\",\"scope\":", run.params_hash);
        if (scope)
            json_text(f, scope);
        else
            fputs("null", f);
        fprintf(f, ",\"class\":%s%s%s,\"counts\":{\"low\":%lld,\"medium\":%lld,\"high\":%lld},\"customers\":[",
                cls ? "\"" : "", cls ? cls : "null", cls ? "\"" : "", (long long)counts[0], (long long)counts[1],
                (long long)counts[2]);
    } else if (csv_write_record(f, report_cols, REPORT_COLS) != 0)
        return pc_errf(e, PC_EIO, "writing the report failed");
    int rc = risk_result_scan(d, run.id, scope_path, cls, on_row, &o, e);
    if (o.x) {
        if (rc != 0) {
            table_xlsx_abort(o.x);
            return -1;
        }
        return table_xlsx_close(o.x, e);
    }
    if (rc == 0 && strcmp(format, "json") == 0)
        fputs("]}\n", f);
    if (rc == 0 && ferror(f))
        return pc_errf(e, PC_EIO, "writing the report failed");
    return rc;
}

int risk_track_write(db *d, civil_month m, civil_date as_of, const char *scope, const char *format, FILE *f,
                     pc_err *e)
{
    if (check_format(format, false, e) != 0)
        return -1;
    char path[160];
    const char *scope_path;
    if (org_scope_path(d, scope, path, &scope_path, e) != 0)
        return -1;
    risk_run_row run;
    char mt[MONTH_FMT_MAX], day[DATE_FMT_MAX], week[24];
    date_format(as_of, day);
    if (m) {
        if (risk_run_latest(d, month_format(m, mt), &run, e) != 0)
            return -1;
    } else if (risk_run_latest_upto(d, month_format(month_of(as_of), mt), true, &run, e) != 0)
        return -1;
    civil_date since;
    if (date_parse(run.as_of, &since, e) != 0)
        return -1;
    if (as_of < since)
        return pc_errf(e, PC_EINVAL, "--as-of %s is before the classification (%s)", day, run.as_of);
    out_ctx o = {f, format, NULL, 0, true};
    if (strcmp(format, "json") == 0) {
        fprintf(f, "{\"report\":\"risk-tracking\",\"month\":\"%s\",\"run_id\":%lld,\"since\":\"%s\",\"as_of\":\"%s\","
                   "\"week\":\"%s\",\"scope\":",
                run.month, (long long)run.id, run.as_of, day, risk_iso_week(as_of, week));
        if (scope)
            json_text(f, scope);
        else
            fputs("null", f);
        fputs(",\"customers\":[", f);
    } else {
        const char *cols[REPORT_COLS + TRACK_COLS];
        memcpy(cols, report_cols, sizeof report_cols);
        memcpy(cols + REPORT_COLS, track_cols, sizeof track_cols);
        if (csv_write_record(f, cols, REPORT_COLS + TRACK_COLS) != 0)
            return pc_errf(e, PC_EIO, "writing the report failed");
    }
    int rc = risk_track_scan(d, run.id, scope_path, run.as_of, day, on_row, &o, e);
    if (rc == 0 && strcmp(format, "json") == 0)
        fputs("]}\n", f);
    if (rc == 0 && ferror(f))
        return pc_errf(e, PC_EIO, "writing the report failed");
    return rc;
}

int risk_flag_customer(db *d, const char *code, int flagged, const char *reason, const char *actor, int64_t *flag_id,
                       pc_err *e)
{
    if (!reason || !reason[strspn(reason, " \t")])
        return pc_errf(e, PC_EINVAL, "--reason: a reason is required");
    if (strlen(reason) > 500)
        return pc_errf(e, PC_EINVAL, "--reason: at most 500 characters");
    if (!code || !code[0])
        return pc_errf(e, PC_EINVAL, "--customer: a customer code is required");
    customer c;
    if (customer_get(d, code, NULL, &c, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    char at[TIMESTAMP_FMT_MAX];
    timestamp_now(at);
    if (risk_flag_insert(d, c.id, flagged ? 1 : 0, reason, at, actor ? actor : "", flag_id, e) != 0 ||
        audit_event(d, actor, flagged ? "risk.flag" : "risk.unflag", "customer", c.code,
                    json_pack("{s:s, s:i, s:s}", "customer", c.code, "flagged", flagged ? 1 : 0, "reason", reason),
                    e) != 0) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d, e);
}
