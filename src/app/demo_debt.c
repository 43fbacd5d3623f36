/* The demo's overdue and bad debt (issue 6), shaped like the EVNNPC seed: most overdue customers
 * are recent (the late payers and never-payers of demo.c), with a long tail brought from the
 * legacy system (CMIS receivables 2 to 7 years old, some partly paid) so that debts of 3 years
 * and more are over 60% of bad debt by amount; cases on the legacy debtors with their status,
 * owner and next action, minutes as PDF documents on the cases in negotiation or in court,
 * written-off receivables with their approval, and the oldest months locked. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/adjustments.h"
#include "app/aging_report.h"
#include "app/cases.h"
#include "app/debt_import.h"
#include "app/demo.h"
#include "app/locks.h"
#include "base/date.h"
#include "base/money.h"
#include "formats/pdf_util.h"
#include "store/payments.h"
#include "store/repo.h"

static int64_t between(demo_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)demo_rng_below(r, (uint64_t)(hi - lo + 1));
}

/* The legacy file: 35% of the businesses and 3% of households, each with 6 to 18
 * consecutive monthly receivables, most 3 to 7 years old, one debtor in twelve 2 to 3 years old.
 * *ids receives the debtors (malloc'd). */
static int write_legacy(db *d, demo_rng *r, const demo_options *o, const char *path, int64_t **ids, int64_t *debtors,
                        pc_err *e)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return pc_errf(e, PC_EIO, "cannot write %s", path);
    fputs("customer_code,invoice_no,period,issue_date,due_date,amount,paid,paid_at\n", f);
    *debtors = 0;
    *ids = malloc(sizeof **ids * (size_t)(o->customers + 1));
    if (!*ids)
        abort();
    for (int64_t id = 1; id <= o->customers; id++) {
        customer c;
        if (customer_get_by_id(d, id, NULL, &c, e) != 0) {
            fclose(f);
            return -1;
        }
        bool business = !purpose_is_residential(c.purpose);
        if (demo_rng_below(r, 100) >= (business ? 35u : 3u))
            continue;
        (*ids)[*debtors] = id;
        int n = (int)between(r, 6, 18);
        int back = demo_rng_below(r, 12) == 0 ? (int)between(r, 26, 33) : (int)between(r, 40, 84);
        civil_month start = month_add(o->until, -back - n);
        for (int k = 0; k < n; k++) {
            civil_month m = month_add(start, k);
            civil_date issue = month_first_day(month_add(m, 1)) + 1, due = issue + 7;
            int64_t amount = business ? between(r, 5000, 40000) * 1000 : between(r, 500, 4000) * 1000;
            int64_t paid = 0;
            civil_date paid_at = issue;
            if (demo_rng_below(r, 4) == 0) { /* a part paid before the debt went bad */
                paid = amount * between(r, 10, 60) / 100;
                paid_at = due + (civil_date)between(r, 5, 120);
            }
            char ym[MONTH_FMT_MAX], is[DATE_FMT_MAX], du[DATE_FMT_MAX], pa[DATE_FMT_MAX];
            fprintf(f, "%s,CMIS-%s-%s,%s,%s,%s,%lld,%lld,%s\n", c.code, c.code, month_format(m, ym), ym,
                    date_format(issue, is), date_format(due, du), (long long)amount, (long long)paid,
                    date_format(paid_at, pa));
        }
        (*debtors)++;
    }
    return fclose(f) == 0 ? 0 : pc_errf(e, PC_EIO, "cannot write %s", path);
}

/* Minutes of a meeting with the debtor, as a one-page PDF. */
static int write_minutes(const char *path, const customer *c, money owed, const char *date, pc_err *e)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(s);
    char m[MONEY_FMT_MAX], line[1200];
    double y = pdf_text(cr, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 50, 50, 495, 12, 1, PDF_ALIGN_CENTER);
    y = pdf_text(cr, "Độc lập - Tự do - Hạnh phúc", 50, y + 2, 495, 11, 0, PDF_ALIGN_CENTER);
    y = pdf_text(cr, "BIÊN BẢN LÀM VIỆC VỀ NỢ TIỀN ĐIỆN", 50, y + 30, 495, 14, 1, PDF_ALIGN_CENTER);
    snprintf(line, sizeof line, "Ngày %s, đại diện Điện lực làm việc với khách hàng %s (mã %s), địa chỉ %s.", date,
             c->name, c->code, c->address);
    y = pdf_text_lines(cr, line, 50, y + 20, 495, 11, 0, PDF_ALIGN_LEFT, 4);
    snprintf(line, sizeof line, "Số tiền điện còn nợ đến ngày làm việc: %s. Khách hàng cam kết thanh toán theo lộ trình hai bên thống nhất.",
             money_format(owed, true, m));
    pdf_text_lines(cr, line, 50, y + 10, 495, 11, 0, PDF_ALIGN_LEFT, 4);
    return pdf_close(cr, s, path, e);
}

typedef struct {
    open_bill oldest;
    money owed;
} owed_ctx;

static int take_bill(void *ctx, const open_bill *b)
{
    owed_ctx *x = ctx;
    if (!x->oldest.invoice_id)
        x->oldest = *b;
    x->owed += b->open;
    return 0;
}

static int shape_begin(void *ctx, const aging_report_info *i, pc_err *e)
{
    (void)ctx, (void)i, (void)e;
    return 0;
}

static int shape_row(void *ctx, const aging_row *r, pc_err *e)
{
    (void)e;
    demo_debt_summary *s = ctx;
    if (r->kind != AGING_ROW_TOTAL || r->cls != AGING_CLASS_ALL)
        return 0;
    s->bad_debt = r->amount[AGING_M3_6] + r->amount[AGING_M6_12] + r->amount[AGING_Y1_2] + r->amount[AGING_Y2_3] +
                  r->amount[AGING_GE_3Y];
    s->ge_3y = r->amount[AGING_GE_3Y];
    s->recent_customers = r->bucket_customers[AGING_LT_3M];
    return 0;
}

static int shape_end(void *ctx, pc_err *e)
{
    (void)ctx, (void)e;
    return 0;
}

int demo_debt(db *d, const char *actor, const demo_options *o, demo_debt_summary *s, pc_err *e)
{
    memset(s, 0, sizeof *s);
    if (o->months == 0 || o->no_invoices)
        return 0;
    demo_rng r;
    demo_rng_init(&r, o->seed * 7919 + 17);
    char dir[] = "/tmp/powercis-demo-XXXXXX";
    if (!mkdtemp(dir))
        return pc_errf(e, PC_EIO, "cannot make a temporary folder");
    char path[256], pdf[256];
    snprintf(path, sizeof path, "%s/cmis-debt.csv", dir);
    snprintf(pdf, sizeof pdf, "%s/bien-ban.pdf", dir);
    int64_t *ids = NULL;
    int rc = write_legacy(d, &r, o, path, &ids, &s->legacy_customers, e);
    debt_import_report rep;
    memset(&rep, 0, sizeof rep);
    if (rc == 0 && (rc = debt_import(d, actor, 420, path, false, &rep, e)) != 0 && rep.errors.data)
        pc_errf(e, PC_EINVAL, "demo legacy debt: %.300s", rep.errors.data);
    s->legacy_receivables = rep.imported;
    s->legacy_amount = rep.amount - rep.paid;
    debt_import_report_free(&rep);
    /* cases on the legacy debtors, in the same order the file took them */
    static const struct {
        const char *status;
        int weight;
    } mix[] = {{"monitoring", 30}, {"notified", 20}, {"disconnected", 20}, {"negotiating", 15}, {"in_court", 8},
               {"written_off", 7}};
    static const char *const owners[] = {"Nguyễn Thị Hà", "Trần Văn Hùng", "Lê Minh Tuấn", "Phạm Thu Trang"};
    civil_date today = date_today(420);
    for (int64_t i = 0; rc == 0 && i < s->legacy_customers; i++) {
        int64_t id = ids[i];
        customer c;
        if ((rc = customer_get_by_id(d, id, NULL, &c, e)) != 0)
            break;
        owed_ctx ow = {{0}, 0};
        if ((rc = open_bills_of(d, id, take_bill, &ow, e)) != 0)
            break;
        if (!ow.owed)
            continue;
        int w = (int)demo_rng_below(&r, 100), k = 0;
        for (int acc = mix[0].weight; k < 5 && w >= acc; acc += mix[++k].weight)
            ;
        char next[DATE_FMT_MAX], approval[96];
        date_format(today + (civil_date)between(&r, 1, 45), next);
        snprintf(approval, sizeof approval, "Quyết định xóa nợ số %lld/QĐ-PA ngày %s", (long long)(100 + s->cases),
                 next);
        case_change ch = {mix[k].status, owners[id % 4], k == 5 ? "" : next,
                          k == 5 ? approval : "Khách hàng nợ tồn từ CMIS, theo dõi thu hồi"};
        case_row row;
        if ((rc = case_open(d, actor, c.code, &ch, &row, e)) != 0)
            break;
        s->cases++;
        if ((k == 3 || k == 4) && o->doc_dir) { /* minutes of the negotiation or the court file */
            char day[DATE_FMT_MAX];
            date_format(today - (civil_date)between(&r, 1, 20), day);
            doc_store st = {o->doc_dir, 10 * 1024 * 1024};
            doc_meta meta = {k == 4 ? "court" : "minutes", "Biên bản làm việc về nợ tiền điện", day};
            document_row doc;
            bool stored_new;
            if ((rc = write_minutes(pdf, &c, ow.owed, day, e)) != 0 ||
                (rc = doc_add_file(d, actor, &st, c.code, pdf, &meta, 420, &doc, &stored_new, e)) != 0)
                break;
            s->documents++;
        }
        if (k == 5) { /* written off after approval: the oldest receivable */
            adjustment_request q = {.customer_code = c.code, .invoice_id = ow.oldest.invoice_id, .kind = "write_off",
                                    .amount = ow.oldest.open, .reason = "Khách hàng giải thể, không còn khả năng thanh toán",
                                    .approval = approval};
            adjustment_result res;
            if ((rc = adjustment_post(d, actor, 420, &q, &res, e)) != 0)
                break;
            s->written_off += ow.oldest.open;
        }
    }
    free(ids);
    unlink(path);
    unlink(pdf);
    rmdir(dir);
    if (rc != 0)
        return -1;
    /* the oldest three months of the window are closed for the whole corporation */
    for (int k = 0; k < 3 && k < o->months; k++) {
        char ym[MONTH_FMT_MAX];
        int64_t lock_id;
        if (lock_period(d, "PA", month_format(month_add(o->until, -(o->months - 1) + k), ym), NULL, actor, &lock_id,
                        e) != 0)
            return -1;
        s->locks++;
    }
    aging_sink sink = {shape_begin, shape_row, shape_end, s};
    aging_request rq = {today, NULL, "unit", PROVISION_GENERAL, false};
    return aging_report_run(d, &rq, &sink, e);
}
