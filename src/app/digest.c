/* The daily digest (app/digest.h): figures by unit, summed per account's scope, rendered in the
 * account's language. */
#include "app/digest.h"
#include "app/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/aging_report.h"
#include "app/org.h"
#include "app/phanky_report.h"
#include "base/money.h"
#include "formats/digest_chart.h"
#include "store/digest_figures.h"
#include "store/risk.h"
#include "store/prepaid.h"
#include "store/repo.h"

/* ---- the catalogue: every text of the digest in Vietnamese and English ---- */
enum {
    T_SUBJECT,
    T_TITLE,
    T_CLOSING,
    T_PHANKY,
    T_PHANKY_UNIT,
    T_PHANKY_NONE,
    T_PHANKY_MORE,
    T_PHANKY_FEWER,
    T_COLLECTION,
    T_COLLECTION_MONTH,
    T_COLLECTION_NO_PLAN,
    T_DEBT,
    T_DEBT_TOTAL,
    T_ANOMALIES,
    T_ANOMALIES_NONE,
    T_PREPAID,
    T_CHART_TITLE,
    T_CHART_PROGRESS,
    T_SERVICE,
    T_RISK,
    T_RISK_FIRST,
    T_COUNT
};

static const char *const catalogue_vi[T_COUNT] = {
    [T_SUBJECT] = "Bản tin điều hành {1} — {2}",
    [T_TITLE] = "Bản tin điều hành ngày {1} — {2} ({3})",
    [T_CLOSING] = "Số liệu đến hết ngày {1}.",
    [T_PHANKY] = "1. Phân kỳ ghi chỉ số: {1} khách hàng lệch ({2} cần tăng kỳ, {3} thừa kỳ) trên {4} khách hàng "
                 "ngoài sinh hoạt được kiểm tra.",
    [T_PHANKY_UNIT] = "   - {1} {2}: {3} lệch ({4} tăng, {5} giảm)",
    [T_PHANKY_NONE] = "1. Phân kỳ ghi chỉ số: không có khách hàng lệch ({1} khách hàng được kiểm tra).",
    [T_PHANKY_MORE] = "cần {1} kỳ, đang {2} kỳ",
    [T_PHANKY_FEWER] = "chỉ cần {1} kỳ, đang {2} kỳ",
    [T_COLLECTION] = "2. Thu tiền ngày {1}: {2} ({3} giao dịch).",
    [T_COLLECTION_MONTH] = "   Lũy kế tháng {1}: {2} / kế hoạch {3} ({4}%).",
    [T_COLLECTION_NO_PLAN] = "   Lũy kế tháng {1}: {2} (chưa có kế hoạch: không có hóa đơn đến hạn trong tháng).",
    [T_DEBT] = "3. Dư nợ theo tuổi nợ (thay đổi so với ngày {1}):",
    [T_DEBT_TOTAL] = "Tổng dư nợ",
    [T_ANOMALIES] = "4. Chỉ số bất thường chờ xử lý: {1} (cũ nhất ngày {2}).",
    [T_ANOMALIES_NONE] = "4. Chỉ số bất thường chờ xử lý: không có.",
    [T_PREPAID] = "6. Khách hàng trả trước: {1} số dư âm, {2} số dư dưới {3} (trên {4} khách hàng).",
    [T_CHART_TITLE] = "Dư nợ theo tuổi nợ — {1}, {2}",
    [T_CHART_PROGRESS] = "Thu lũy kế / kế hoạch",
    [T_SERVICE] = "8. Yêu cầu dịch vụ khách hàng: {1} quá hạn bước xử lý, {2} đến hạn đến hết ngày làm việc tiếp theo.",
    [T_RISK] = "7. Khách hàng rủi ro cao tháng {1}: {2} ({3} so với tháng {4}).",
    [T_RISK_FIRST] = "7. Khách hàng rủi ro cao tháng {1}: {2}.",
};

static const char *const catalogue_en[T_COUNT] = {
    [T_SUBJECT] = "Daily digest {1} — {2}",
    [T_TITLE] = "Daily digest of {1} — {2} ({3})",
    [T_CLOSING] = "Figures to the end of {1}.",
    [T_PHANKY] = "1. Reading periods (phân kỳ): {1} customers mismatched ({2} need more periods, {3} have more "
                 "than needed) of {1} non-residential customers checked.",
    [T_PHANKY_UNIT] = "   - {1} {2}: {3} mismatched ({4} more, {5} fewer)",
    [T_PHANKY_NONE] = "1. Reading periods (phân kỳ): no mismatch ({1} customers checked).",
    [T_PHANKY_MORE] = "needs {1} periods, has {2}",
    [T_PHANKY_FEWER] = "needs only {1} periods, has {2}",
    [T_COLLECTION] = "2. Collected on {1}: {2} ({3} payments).",
    [T_COLLECTION_MONTH] = "   Month to date {1}: {2} / plan {3} ({4}%).",
    [T_COLLECTION_NO_PLAN] = "   Month to date {1}: {2} (no plan: no invoice falls due this month).",
    [T_DEBT] = "3. Debt by age (change since {1}):",
    [T_DEBT_TOTAL] = "Total debt",
    [T_ANOMALIES] = "4. Read anomalies waiting: {1} (oldest read on {2}).",
    [T_ANOMALIES_NONE] = "4. Read anomalies waiting: none.",
    [T_PREPAID] = "6. Prepaid customers: {1} below zero, {2} under {3} (of {4}).",
    [T_CHART_TITLE] = "Debt by age — {1}, {2}",
    [T_CHART_PROGRESS] = "Collected / plan",
    [T_SERVICE] = "8. Customer service requests: {1} past their step's deadline, {2} due by the end of the next working day.",
    [T_RISK] = "7. High-risk customers, {1}: {2} ({3} against {4}).",
    [T_RISK_FIRST] = "7. High-risk customers, {1}: {2}.",
};

static const char *const bucket_en[AGING_BUCKETS] = {"Not yet due",     "Overdue under 3 months", "3 to 6 months",
                                                     "6 to 12 months",  "1 to 2 years",           "2 to 3 years",
                                                     "3 years and more"};

/* Writes tmpl with {1}…{n} replaced by v[0]…v[n-1]. The catalogues hold no printf formats, so a
 * translation can reorder the fields and cannot break the program. */
static void fill(buf *b, const char *tmpl, int n, const char *const *v)
{
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' && p[1] - '0' <= n) {
            buf_puts(b, v[p[1] - '1']);
            p += 2;
        } else
            buf_append(b, p, 1);
    }
}

static const char *num(long long v, char out[32])
{
    snprintf(out, 32, "%lld", v);
    return out;
}

/* Exceptions listed by name under the counts, per scope. */
#define DIGEST_EXCEPTIONS_LISTED 10

/* ---- loading ---- */

static digest_unit *unit_of(digest_data *dd, int64_t id)
{
    /* units are loaded in path order with ascending ids inside; a linear scan is fine for the
     * few thousand units of a corporation, but bisect on id since loading sorted them by id */
    int lo = 0, hi = dd->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (dd->units[mid].id == id)
            return &dd->units[mid];
        if (dd->units[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static int by_id(const void *a, const void *b)
{
    const digest_unit *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int on_collected(void *ctx, int64_t unit_id, int64_t day, int64_t month, int64_t payments, const char *t)
{
    (void)t;
    digest_unit *u = unit_of(ctx, unit_id);
    if (u) {
        u->collected_day = day;
        u->collected_month = month;
        u->payments_day = payments;
    }
    return 0;
}

static int on_due(void *ctx, int64_t unit_id, int64_t amount, int64_t invoices, int64_t c, const char *t)
{
    (void)invoices, (void)c, (void)t;
    digest_unit *u = unit_of(ctx, unit_id);
    if (u)
        u->plan_month = amount;
    return 0;
}

static int on_anomalies(void *ctx, int64_t unit_id, int64_t count, int64_t b, int64_t c, const char *oldest)
{
    (void)b, (void)c;
    digest_unit *u = unit_of(ctx, unit_id);
    if (u) {
        u->anomalies = count;
        snprintf(u->oldest_anomaly, sizeof u->oldest_anomaly, "%s", oldest ? oldest : "");
    }
    return 0;
}

static int on_service(void *ctx, int64_t unit_id, int64_t overdue, int64_t at_risk)
{
    digest_unit *u = unit_of(ctx, unit_id);
    if (u) {
        u->service_overdue = overdue;
        u->service_at_risk = at_risk;
    }
    return 0;
}

static int on_prepaid(void *ctx, int64_t unit_id, int64_t below_zero, int64_t low, int64_t accounts, const char *t)
{
    (void)t;
    digest_unit *u = unit_of(ctx, unit_id);
    if (u) {
        u->prepaid_below_zero = below_zero;
        u->prepaid_low = low;
        u->prepaid_accounts = accounts;
    }
    return 0;
}

typedef struct {
    digest_data *dd;
    bool before;
    /* unit codes arrive in rows; the unit's index by code is a scan (once per unit row) */
} aging_ctx;

static int aging_begin(void *ctx, const aging_report_info *info, pc_err *e)
{
    (void)ctx, (void)info, (void)e;
    return 0;
}

static int aging_row_cb(void *ctx, const aging_row *r, pc_err *e)
{
    (void)e;
    aging_ctx *x = ctx;
    if (r->kind != AGING_ROW_ITEM || r->cls != AGING_CLASS_ALL || strcmp(r->level, "unit") != 0)
        return 0;
    for (int i = 0; i < x->dd->n; i++)
        if (strcmp(x->dd->units[i].code, r->scope) == 0) {
            memcpy(x->before ? x->dd->units[i].debt_before : x->dd->units[i].debt, r->amount, sizeof r->amount);
            break;
        }
    return 0;
}

static int aging_end(void *ctx, pc_err *e)
{
    (void)ctx, (void)e;
    return 0;
}

static int load_debt(db *d, digest_data *dd, civil_date as_of, bool before, pc_err *e)
{
    aging_ctx x = {dd, before};
    aging_sink s = {aging_begin, aging_row_cb, aging_end, &x};
    aging_request rq = {.as_of = as_of, .scope = NULL, .by = "unit", .scheme = PROVISION_GENERAL};
    return aging_report_run(d, &rq, &s, e);
}

static int digest_phanky_load(db *d, const pc_config *cfg, digest_data *dd, pc_err *e);

static int on_risk(void *ctx, int64_t unit_id, int64_t count, int64_t b, int64_t c, const char *t)
{
    (void)b, (void)c, (void)t;
    digest_unit *u = unit_of(ctx, unit_id);
    if (u)
        u->risk_high = count;
    return 0;
}

static int on_risk_before(void *ctx, int64_t unit_id, int64_t count, int64_t b, int64_t c, const char *t)
{
    (void)b, (void)c, (void)t;
    digest_unit *u = unit_of(ctx, unit_id);
    if (u)
        u->risk_high_before = count;
    return 0;
}

/* The high-risk counts of the latest risk run of a month up to the figures' month, and of the
 * latest run of the month before that run's (none: the line says so, or is left out). */
static int digest_risk_load(db *d, digest_data *dd, pc_err *e)
{
    char m[MONTH_FMT_MAX];
    month_format(month_of(dd->figures_day), m);
    risk_run_row run, before;
    pc_err none = {0};
    if (risk_run_latest_upto(d, m, false, &run, &none) != 0)
        return none.code == PC_ENOTFOUND ? 0 : (*e = none, -1);
    snprintf(dd->risk_month, sizeof dd->risk_month, "%s", run.month);
    if (digest_risk_high_by_unit(d, run.id, on_risk, dd, e) != 0)
        return -1;
    none = (pc_err){0};
    civil_month rm;
    if (month_parse(run.month, &rm, e) != 0)
        return -1;
    month_format(month_add(rm, -1), m);
    if (risk_run_latest(d, m, &before, &none) != 0)
        return none.code == PC_ENOTFOUND ? 0 : (*e = none, -1);
    snprintf(dd->risk_month_before, sizeof dd->risk_month_before, "%s", before.month);
    return digest_risk_high_by_unit(d, before.id, on_risk_before, dd, e);
}

int digest_data_load(db *d, const pc_config *cfg, civil_date date, digest_data *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    out->date = date;
    out->prepaid_low_balance = cfg ? cfg->prepaid.low_balance : 50000;
    out->figures_day = date_add_days(date, -1);
    org_row *units;
    int n;
    if (org_units(d, NULL, &units, &n, e) != 0)
        goto fail;
    out->units = calloc(n ? (size_t)n : 1, sizeof *out->units);
    if (!out->units) {
        free(units);
        pc_errf(e, PC_EINTERNAL, "out of memory");
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        digest_unit *u = &out->units[i];
        u->id = units[i].id;
        snprintf(u->code, sizeof u->code, "%s", units[i].code);
        snprintf(u->name, sizeof u->name, "%s", units[i].name);
        snprintf(u->path, sizeof u->path, "%s", units[i].path);
    }
    out->n = n;
    free(units);
    qsort(out->units, (size_t)out->n, sizeof *out->units, by_id);
    char day[DATE_FMT_MAX], first[DATE_FMT_MAX], last[DATE_FMT_MAX], period[MONTH_FMT_MAX], prev[MONTH_FMT_MAX];
    civil_month m = month_of(out->figures_day);
    date_format(out->figures_day, day);
    date_format(month_first_day(m), first);
    date_format(month_last_day(m), last);
    month_format(m, period);
    month_format(month_add(m, -1), prev);
    if (digest_collected_by_unit(d, first, day, on_collected, out, e) != 0 ||
        digest_due_by_unit(d, prev, period, first, last, on_due, out, e) != 0 ||
        digest_anomalies_by_unit(d, on_anomalies, out, e) != 0 ||
        prepaid_digest_by_unit(d, cfg ? cfg->prepaid.low_balance : 50000, on_prepaid, out, e) != 0 ||
        load_debt(d, out, out->figures_day, false, e) != 0 ||
        load_debt(d, out, date_add_days(out->figures_day, -1), true, e) != 0 ||
        digest_phanky_load(d, cfg, out, e) != 0 || digest_risk_load(d, out, e) != 0 ||
        svc_deadlines_by_unit(d, out->date, on_service, out, e) != 0 ||
        digest_outages_load(d, out->figures_day, &out->outages, e) != 0)
        goto fail;
    return 0;
fail:
    digest_data_free(out);
    return -1;
}

void digest_data_free(digest_data *dd)
{
    free(dd->units);
    free(dd->exceptions);
    digest_outages_free(&dd->outages);
    memset(dd, 0, sizeof *dd);
}

/* ---- rendering ---- */

static bool in_scope(const char *path, const char *scope_path)
{
    return strncmp(path, scope_path, strlen(scope_path)) == 0;
}

/* "23/11/2026" */
static void day_vn(civil_date d, char out[DATE_FMT_MAX])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, DATE_FMT_MAX, "%02d/%02d/%04d", dd, m, y);
}

static void day_text(civil_date d, bool vi, char out[DATE_FMT_MAX])
{
    if (vi)
        day_vn(d, out);
    else
        date_format(d, out);
}

static void amount_text(int64_t v, char *out)
{
    money_format(v, true, out);
}

static void change_text(int64_t v, char *out, size_t cap)
{
    char m[MONEY_FMT_MAX];
    if (v == 0) {
        snprintf(out, cap, "±0 đ");
        return;
    }
    money_format(v < 0 ? -v : v, true, m);
    snprintf(out, cap, "%s%s", v < 0 ? "−" : "+", m);
}

/* one decimal, with a comma in Vietnamese */
static void percent_text(int64_t part, int64_t whole, bool vi, char *out, size_t cap)
{
    int64_t tenths = whole ? (part * 1000 + whole / 2) / whole : 0;
    snprintf(out, cap, "%lld%s%lld", (long long)(tenths / 10), vi ? "," : ".", (long long)(tenths % 10));
}

int digest_render(const digest_data *dd, const user_row *u, buf *subject, buf *text, buf *png, pc_err *e)
{
    bool vi = strcmp(u->lang, "en") != 0;
    const char *const *T = vi ? catalogue_vi : catalogue_en;
    digest_unit sum;
    memset(&sum, 0, sizeof sum);
    bool any_anomaly = false;
    for (int i = 0; i < dd->n; i++) {
        const digest_unit *x = &dd->units[i];
        if (!in_scope(x->path, u->scope_path))
            continue;
        sum.collected_day += x->collected_day;
        sum.payments_day += x->payments_day;
        sum.collected_month += x->collected_month;
        sum.plan_month += x->plan_month;
        sum.anomalies += x->anomalies;
        sum.service_overdue += x->service_overdue;
        sum.service_at_risk += x->service_at_risk;
        if (x->anomalies && (!any_anomaly || strcmp(x->oldest_anomaly, sum.oldest_anomaly) < 0)) {
            snprintf(sum.oldest_anomaly, sizeof sum.oldest_anomaly, "%s", x->oldest_anomaly);
            any_anomaly = true;
        }
        for (int b = 0; b < AGING_BUCKETS; b++) {
            sum.debt[b] += x->debt[b];
            sum.debt_before[b] += x->debt_before[b];
        }
        sum.prepaid_accounts += x->prepaid_accounts;
        sum.prepaid_below_zero += x->prepaid_below_zero;
        sum.prepaid_low += x->prepaid_low;
        sum.phanky_checked += x->phanky_checked;
        sum.phanky_ok += x->phanky_ok;
        sum.phanky_more += x->phanky_more;
        sum.phanky_fewer += x->phanky_fewer;
        sum.risk_high += x->risk_high;
        sum.risk_high_before += x->risk_high_before;
    }
    char date[DATE_FMT_MAX], fday[DATE_FMT_MAX], before[DATE_FMT_MAX];
    day_text(dd->date, vi, date);
    day_text(dd->figures_day, vi, fday);
    day_text(date_add_days(dd->figures_day, -1), vi, before);

    char n1[32], n2[32], n3[32], n4[32];
    fill(subject, T[T_SUBJECT], 2, (const char *[]){date, u->scope_name});
    fill(text, T[T_TITLE], 3, (const char *[]){date, u->scope_name, u->scope_code});
    buf_puts(text, "\n");
    fill(text, T[T_CLOSING], 1, (const char *[]){fday});
    buf_puts(text, "\n\n");

    /* 1. phân kỳ */
    long long mismatched = (long long)(sum.phanky_more + sum.phanky_fewer);
    if (mismatched == 0)
        fill(text, T[T_PHANKY_NONE], 1, (const char *[]){num(sum.phanky_checked, n1)});
    else {
        fill(text, T[T_PHANKY], 4,
             (const char *[]){num(mismatched, n1), num(sum.phanky_more, n2), num(sum.phanky_fewer, n3),
                              num(sum.phanky_checked, n4)});
        for (int i = 0; i < dd->n; i++) {
            const digest_unit *x = &dd->units[i];
            if (!in_scope(x->path, u->scope_path) || x->phanky_more + x->phanky_fewer == 0)
                continue;
            buf_puts(text, "\n");
            fill(text, T[T_PHANKY_UNIT], 5,
                 (const char *[]){x->code, x->name, num(x->phanky_more + x->phanky_fewer, n1), num(x->phanky_more, n2),
                                  num(x->phanky_fewer, n3)});
        }
        int listed = 0;
        for (int i = 0; i < dd->nexceptions && listed < DIGEST_EXCEPTIONS_LISTED; i++) {
            const digest_phanky_exception *x = &dd->exceptions[i];
            if (!in_scope(x->unit_path, u->scope_path))
                continue;
            char avg[MONEY_FMT_MAX];
            money_format(x->avg_kwh, false, avg);
            buf_printf(text, "\n     %s %s, %s kWh/%s: ", x->customer_code, x->customer_name, avg, vi ? "tháng" : "month");
            fill(text, T[x->needs_more ? T_PHANKY_MORE : T_PHANKY_FEWER], 2,
                 (const char *[]){num(x->required, n1), num(x->configured, n2)});
            listed++;
        }
        if (mismatched > listed)
            buf_printf(text, "\n     … (%lld)", mismatched - listed);
    }
    buf_puts(text, "\n");

    /* 2. collection */
    char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], pct[32], month[32];
    civil_month m = month_of(dd->figures_day);
    if (vi)
        snprintf(month, sizeof month, "%02d/%04d", m % 100, m / 100);
    else
        month_format(m, month);
    amount_text(sum.collected_day, a);
    fill(text, T[T_COLLECTION], 3, (const char *[]){fday, a, num(sum.payments_day, n1)});
    buf_puts(text, "\n");
    amount_text(sum.collected_month, a);
    if (sum.plan_month > 0) {
        amount_text(sum.plan_month, b);
        percent_text(sum.collected_month, sum.plan_month, vi, pct, sizeof pct);
        fill(text, T[T_COLLECTION_MONTH], 4, (const char *[]){month, a, b, pct});
    } else
        fill(text, T[T_COLLECTION_NO_PLAN], 2, (const char *[]){month, a});
    buf_puts(text, "\n");

    /* 3. debt by bucket and its movement */
    fill(text, T[T_DEBT], 1, (const char *[]){before});
    int64_t total = 0, total_before = 0;
    for (int k = 0; k < AGING_BUCKETS; k++) {
        char ch[MONEY_FMT_MAX + 8];
        amount_text(sum.debt[k], a);
        change_text(sum.debt[k] - sum.debt_before[k], ch, sizeof ch);
        buf_printf(text, "\n   - %s: %s (%s)", vi ? aging_bucket_heading_vi[k] : bucket_en[k], a, ch);
        total += sum.debt[k];
        total_before += sum.debt_before[k];
    }
    {
        char ch[MONEY_FMT_MAX + 8];
        amount_text(total, a);
        change_text(total - total_before, ch, sizeof ch);
        buf_printf(text, "\n   = %s: %s (%s)\n", T[T_DEBT_TOTAL], a, ch);
    }

    /* 4. anomalies */
    if (sum.anomalies) {
        civil_date od;
        char oldest[DATE_FMT_MAX] = "";
        if (date_parse(sum.oldest_anomaly, &od, NULL) == 0)
            day_text(od, vi, oldest);
        fill(text, T[T_ANOMALIES], 2, (const char *[]){num(sum.anomalies, n1), oldest});
    } else
        buf_puts(text, T[T_ANOMALIES_NONE]);
    buf_puts(text, "\n");
    /* 5. outages (app/digest_outages.c) */
    digest_outages_render(&dd->outages, u->scope_path, dd->figures_day, vi, text);

    /* 6. prepaid balances (only where there are prepaid customers) */
    if (sum.prepaid_accounts) {
        char thr[MONEY_FMT_MAX + 8];
        amount_text(dd->prepaid_low_balance, thr);
        fill(text, T[T_PREPAID], 4,
             (const char *[]){num(sum.prepaid_below_zero, n1), num(sum.prepaid_low, n2), thr, num(sum.prepaid_accounts, n3)});
        buf_puts(text, "\n");
    }

    /* 7. risk: the latest run's high-risk customers and the change against the month before */
    if (dd->risk_month[0]) {
        if (dd->risk_month_before[0]) {
            char ch[32];
            long long diff = (long long)(sum.risk_high - sum.risk_high_before);
            snprintf(ch, sizeof ch, "%s%lld", diff > 0 ? "+" : diff < 0 ? "−" : "±", diff < 0 ? -diff : diff);
            fill(text, T[T_RISK], 4, (const char *[]){dd->risk_month, num(sum.risk_high, n1), ch, dd->risk_month_before});
        } else
            fill(text, T[T_RISK_FIRST], 2, (const char *[]){dd->risk_month, num(sum.risk_high, n1)});
        buf_puts(text, "\n");
    }

    /* 8. service deadlines at risk (docs/service.md), when there are any */
    if (sum.service_overdue || sum.service_at_risk) {
        fill(text, T[T_SERVICE], 2, (const char *[]){num(sum.service_overdue, n1), num(sum.service_at_risk, n2)});
        buf_puts(text, "\n");
    }

    if (!png)
        return 0;
    char title[512];
    buf tb = {0};
    fill(&tb, T[T_CHART_TITLE], 2, (const char *[]){u->scope_name, fday});
    snprintf(title, sizeof title, "%s", tb.data ? tb.data : "");
    buf_free(&tb);
    digest_chart c;
    memset(&c, 0, sizeof c);
    c.title = title;
    for (int k = 0; k < AGING_BUCKETS && k < DIGEST_CHART_BARS; k++) {
        c.bar_label[k] = vi ? aging_bucket_heading_vi[k] : bucket_en[k];
        c.bar_value[k] = sum.debt[k];
    }
    c.progress_label = T[T_CHART_PROGRESS];
    c.progress_value = sum.collected_month;
    c.progress_target = sum.plan_month;
    return digest_chart_png(&c, png, e);
}

/* ---- phân kỳ: the counts per unit and the exceptions, from the control report's engine ---- */

typedef struct {
    digest_data *dd;
    int cap;
} phanky_ctx;

static digest_unit *unit_by_code(digest_data *dd, const char *code)
{
    for (int i = 0; i < dd->n; i++)
        if (strcmp(dd->units[i].code, code) == 0)
            return &dd->units[i];
    return NULL;
}

static int on_exception(void *ctx, const phanky_row *r, pc_err *e)
{
    phanky_ctx *x = ctx;
    digest_unit *u = unit_by_code(x->dd, r->unit);
    if (!u)
        return 0;
    if (x->dd->nexceptions == x->cap) {
        int cap = x->cap ? x->cap * 2 : 64;
        digest_phanky_exception *p = realloc(x->dd->exceptions, sizeof *p * (size_t)cap);
        if (!p)
            return pc_errf(e, PC_EINTERNAL, "out of memory");
        x->dd->exceptions = p;
        x->cap = cap;
    }
    digest_phanky_exception *v = &x->dd->exceptions[x->dd->nexceptions++];
    memset(v, 0, sizeof *v);
    snprintf(v->unit_path, sizeof v->unit_path, "%s", u->path);
    snprintf(v->customer_code, sizeof v->customer_code, "%s", r->customer_code);
    snprintf(v->customer_name, sizeof v->customer_name, "%s", r->customer_name);
    v->avg_kwh = r->avg_kwh;
    v->required = r->required;
    v->configured = r->configured;
    v->needs_more = r->status == PHANKY_NEEDS_MORE;
    return 0;
}

static int digest_phanky_load(db *d, const pc_config *cfg, digest_data *dd, pc_err *e)
{
    /* the control as it stood at the end of the figures' day */
    phanky_request rq = {.as_of = dd->figures_day, .scope = NULL, .rules = cfg->phanky, .exceptions_only = true};
    phanky_ctx x = {dd, 0};
    phanky_summary sum;
    memset(&sum, 0, sizeof sum);
    int rc = phanky_run(d, &rq, on_exception, &x, &sum, e);
    for (int i = 0; rc == 0 && i < sum.nunits; i++) {
        digest_unit *u = unit_by_code(dd, sum.units[i].unit);
        if (!u)
            continue;
        u->phanky_checked = sum.units[i].checked;
        u->phanky_ok = sum.units[i].ok;
        u->phanky_more = sum.units[i].needs_more;
        u->phanky_fewer = sum.units[i].needs_fewer;
    }
    phanky_summary_free(&sum);
    return rc;
}
