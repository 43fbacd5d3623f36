/* The reconciliation report's formats (see recon_report.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "app/recon_report.h"
#include "base/date.h"
#include "formats/csv_reader.h"

static bool txn_level(recon_kind k)
{
    return k <= RECON_DUPLICATE;
}

static const char *side_name(recon_side s)
{
    return s == RECON_SIDE_OURS ? "ours" : s == RECON_SIDE_PARTNER ? "partner" : "";
}

/* The reference and customer of a transaction-level difference: the partner's line when it has
 * one (the claim to check), else ours. */
static const recon_txn *txn_of(const recon_diff *d)
{
    return d->partner.txn_ref[0] ? &d->partner : &d->ours;
}

static json_t *diff_json(const recon_diff *d)
{
    char day[DATE_FMT_MAX];
    json_t *o = json_pack("{s:s}", "kind", recon_kind_name(d->kind));
    if (txn_level(d->kind)) {
        const recon_txn *t = txn_of(d);
        json_object_set_new(o, "txn_ref", json_string(t->txn_ref));
        json_object_set_new(o, "customer_code", json_string(t->customer_code));
        json_object_set_new(o, "ours", d->ours.txn_ref[0] ? json_integer(d->ours.amount) : json_null());
        json_object_set_new(o, "partner", d->partner.txn_ref[0] ? json_integer(d->partner.amount) : json_null());
        if (d->kind == RECON_CUSTOMER_DIFFERS) {
            json_object_set_new(o, "ours_customer", json_string(d->ours.customer_code));
            json_object_set_new(o, "partner_customer", json_string(d->partner.customer_code));
        }
        if (d->kind == RECON_DUPLICATE)
            json_object_set_new(o, "side", json_string(side_name(d->side)));
    } else {
        json_object_set_new(o, "day", json_string(date_format(d->day, day)));
    }
    json_object_set_new(o, "expected", json_integer(d->expected));
    json_object_set_new(o, "actual", json_integer(d->actual));
    if (d->kind == RECON_REMITTANCE_LATE) {
        json_object_set_new(o, "days_late", json_integer(d->days_late));
        json_object_set_new(o, "reference", json_string(d->remittance.reference));
        json_object_set_new(o, "value_date", json_string(date_format(d->remittance.value_date, day)));
        json_object_set_new(o, "amount", json_integer(d->remittance.amount));
    }
    return o;
}

static json_t *report_json(const recon_report *r, const recon_clear_result *cleared)
{
    json_t *counts = json_object();
    for (int k = 0; k < RECON_KIND_COUNT; k++)
        json_object_set_new(counts, recon_kind_name((recon_kind)k), json_integer((json_int_t)r->sum.count[k]));
    json_t *diffs = json_array();
    for (size_t i = 0; i < r->ndiffs; i++)
        json_array_append_new(diffs, diff_json(&r->diffs[i]));
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "partner",
                          r->partner.code, "partner_name", r->partner.name, "date", r->date, "settlement_days",
                          r->partner.settlement_days, "match_rate", r->match_rate, "transactions",
                          (json_int_t)r->sum.transactions, "matched", (json_int_t)r->sum.matched, "ours_lines",
                          (json_int_t)r->sum.ours_lines, "partner_lines", (json_int_t)r->sum.partner_lines,
                          "remittances", (json_int_t)r->sum.remittances, "reversed_same_day", (json_int_t)r->reversed,
                          "ours_total", (json_int_t)r->sum.ours_total, "partner_total", (json_int_t)r->sum.partner_total,
                          "remitted_total", (json_int_t)r->sum.remitted_total, "differences_count",
                          (json_int_t)r->ndiffs);
    json_object_set_new(o, "counts", counts);
    json_object_set_new(o, "differences", diffs);
    if (cleared)
        json_object_set_new(o, "cleared", json_pack("{s:I, s:I, s:I}", "posted", (json_int_t)cleared->posted, "skipped",
                                                    (json_int_t)cleared->skipped, "amount", (json_int_t)cleared->amount));
    return o;
}

static int write_json(FILE *f, const recon_report *r, const recon_clear_result *cleared)
{
    json_t *o = report_json(r, cleared);
    int rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return rc == 0 && fputc('\n', f) != EOF ? 0 : -1;
}

static const char *const csv_header[] = {"kind",    "side", "txn_ref",  "customer_code", "ours_customer",
                                         "partner_customer", "ours_amount", "partner_amount", "day", "expected",
                                         "actual",  "days_late", "bank_reference", "value_date"};
#define CSV_NCOLS (sizeof csv_header / sizeof *csv_header)

static int write_csv(FILE *f, const recon_report *r)
{
    if (csv_write_record(f, csv_header, CSV_NCOLS) != 0)
        return -1;
    for (size_t i = 0; i < r->ndiffs; i++) {
        const recon_diff *d = &r->diffs[i];
        char ours[24] = "", partner[24] = "", day[DATE_FMT_MAX] = "", expected[24], actual[24], late[16] = "",
             value_date[DATE_FMT_MAX] = "";
        const char *ref = "", *cust = "", *ocust = "", *pcust = "", *bank = "";
        if (txn_level(d->kind)) {
            ref = txn_of(d)->txn_ref;
            cust = txn_of(d)->customer_code;
            ocust = d->ours.customer_code;
            pcust = d->partner.customer_code;
            if (d->ours.txn_ref[0])
                snprintf(ours, sizeof ours, "%lld", (long long)d->ours.amount);
            if (d->partner.txn_ref[0])
                snprintf(partner, sizeof partner, "%lld", (long long)d->partner.amount);
        } else {
            date_format(d->day, day);
        }
        if (d->kind == RECON_REMITTANCE_LATE) {
            snprintf(late, sizeof late, "%d", (int)d->days_late);
            bank = d->remittance.reference;
            date_format(d->remittance.value_date, value_date);
        }
        snprintf(expected, sizeof expected, "%lld", (long long)d->expected);
        snprintf(actual, sizeof actual, "%lld", (long long)d->actual);
        const char *row[] = {recon_kind_name(d->kind), side_name(d->side), ref, cust, ocust, pcust, ours, partner,
                             day, expected, actual, late, bank, value_date};
        if (csv_write_record(f, row, CSV_NCOLS) != 0)
            return -1;
    }
    return 0;
}

/* What a manager reads: Vietnamese labels. */
static const char *kind_label_vi(recon_kind k)
{
    static const char *labels[RECON_KIND_COUNT] = {
        "Đối tác đã thu, ta chưa gạch nợ", "Ta đã gạch nợ, đối tác không có", "Lệch số tiền",
        "Lệch mã khách hàng",              "Giao dịch trùng",                 "Chưa chuyển tiền về",
        "Chuyển tiền thiếu",               "Chuyển tiền thừa",                "Chuyển tiền trễ hạn",
    };
    return (unsigned)k < RECON_KIND_COUNT ? labels[k] : "?";
}

static int write_xlsx(const char *path, const recon_report *r, const recon_clear_result *cleared, pc_err *e)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return pc_errf(e, PC_EIO, "cannot create '%s'", path);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format *money_fmt = workbook_add_format(wb);
    format_set_num_format(money_fmt, "#,##0");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.00%");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    char day[DATE_FMT_MAX];

    /* Sheet 1: the summary, label and value. */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Tổng hợp");
    worksheet_set_column(ws, 0, 0, 44, NULL);
    worksheet_set_column(ws, 1, 1, 22, NULL);
    worksheet_write_string(ws, 0, 0, "Chỉ tiêu", head);
    worksheet_write_string(ws, 0, 1, "Giá trị", head);
    worksheet_freeze_panes(ws, 1, 0);
    int row = 1;
    char partner[200], window[16];
    snprintf(partner, sizeof partner, "%s — %s", r->partner.code, r->partner.name);
    snprintf(window, sizeof window, "T+%d", r->partner.settlement_days);
    worksheet_write_string(ws, row, 0, "Đối tác thu hộ", bold);
    worksheet_write_string(ws, row++, 1, partner, NULL);
    worksheet_write_string(ws, row, 0, "Ngày đối soát", bold);
    worksheet_write_string(ws, row++, 1, r->date, NULL);
    worksheet_write_string(ws, row, 0, "Thời hạn chuyển tiền", bold);
    worksheet_write_string(ws, row++, 1, window, NULL);
    struct {
        const char *label;
        double v;
        lxw_format *f;
    } lines[] = {
        {"Số giao dịch (mã tham chiếu)", (double)r->sum.transactions, money_fmt},
        {"Số giao dịch khớp", (double)r->sum.matched, money_fmt},
        {"Tỷ lệ khớp", r->match_rate, pct},
        {"Số bút toán của ta", (double)r->sum.ours_lines, money_fmt},
        {"Số dòng sao kê của đối tác", (double)r->sum.partner_lines, money_fmt},
        {"Tổng tiền ta đã gạch nợ (đồng)", (double)r->sum.ours_total, money_fmt},
        {"Tổng tiền đối tác đã thu (đồng)", (double)r->sum.partner_total, money_fmt},
        {"Tổng tiền ngân hàng đã ghi có (đồng)", (double)r->sum.remitted_total, money_fmt},
        {"Giao dịch hủy trong ngày (không tính)", (double)r->reversed, money_fmt},
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        worksheet_write_string(ws, row, 0, lines[i].label, bold);
        worksheet_write_number(ws, row++, 1, lines[i].v, lines[i].f);
    }
    row++;
    worksheet_write_string(ws, row, 0, "Loại chênh lệch", head);
    worksheet_write_string(ws, row++, 1, "Số lượng", head);
    for (int k = 0; k < RECON_KIND_COUNT; k++) {
        worksheet_write_string(ws, row, 0, kind_label_vi((recon_kind)k), NULL);
        worksheet_write_number(ws, row++, 1, (double)r->sum.count[k], money_fmt);
    }
    if (cleared) {
        row++;
        worksheet_write_string(ws, row, 0, "Đã gạch nợ bổ sung (giao dịch)", bold);
        worksheet_write_number(ws, row++, 1, (double)cleared->posted, money_fmt);
        worksheet_write_string(ws, row, 0, "Đã gạch nợ bổ sung (đồng)", bold);
        worksheet_write_number(ws, row++, 1, (double)cleared->amount, money_fmt);
    }

    /* Sheet 2: one row per difference, header frozen, filterable. */
    lxw_worksheet *wd = workbook_add_worksheet(wb, "Chênh lệch");
    static const struct {
        const char *title;
        double width;
    } cols[] = {{"STT", 6},           {"Loại chênh lệch", 32},        {"Mã giao dịch", 20},
                {"Mã khách hàng", 18}, {"Số tiền của ta (đồng)", 16}, {"Số tiền đối tác (đồng)", 16},
                {"Ngày", 12},          {"Phải có (đồng)", 16},        {"Thực có (đồng)", 16},
                {"Chênh lệch (đồng)", 16}, {"Số ngày trễ", 10},       {"Chứng từ ngân hàng", 22},
                {"Ngày ghi có", 12},   {"Ghi chú", 36}};
    const int ncols = (int)(sizeof cols / sizeof *cols);
    for (int c = 0; c < ncols; c++) {
        worksheet_set_column(wd, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL);
        worksheet_write_string(wd, 0, (lxw_col_t)c, cols[c].title, head);
    }
    worksheet_set_row(wd, 0, 32, NULL);
    worksheet_freeze_panes(wd, 1, 0);
    for (size_t i = 0; i < r->ndiffs; i++) {
        const recon_diff *d = &r->diffs[i];
        lxw_row_t y = (lxw_row_t)(i + 1);
        worksheet_write_number(wd, y, 0, (double)(i + 1), NULL);
        worksheet_write_string(wd, y, 1, kind_label_vi(d->kind), NULL);
        char note[160] = "";
        if (txn_level(d->kind)) {
            const recon_txn *t = txn_of(d);
            worksheet_write_string(wd, y, 2, t->txn_ref, NULL);
            worksheet_write_string(wd, y, 3, t->customer_code, NULL);
            if (d->ours.txn_ref[0])
                worksheet_write_number(wd, y, 4, (double)d->ours.amount, money_fmt);
            if (d->partner.txn_ref[0])
                worksheet_write_number(wd, y, 5, (double)d->partner.amount, money_fmt);
            worksheet_write_string(wd, y, 6, date_format(t->date, day), NULL);
            if (d->kind == RECON_CUSTOMER_DIFFERS)
                snprintf(note, sizeof note, "Ta: %s; đối tác: %s", d->ours.customer_code, d->partner.customer_code);
            else if (d->kind == RECON_DUPLICATE)
                snprintf(note, sizeof note, "Trùng ở phía %s", d->side == RECON_SIDE_OURS ? "ta" : "đối tác");
        } else {
            worksheet_write_string(wd, y, 6, date_format(d->day, day), NULL);
        }
        worksheet_write_number(wd, y, 7, (double)d->expected, money_fmt);
        worksheet_write_number(wd, y, 8, (double)d->actual, money_fmt);
        worksheet_write_number(wd, y, 9, (double)(d->actual - d->expected), money_fmt);
        if (d->kind == RECON_REMITTANCE_LATE) {
            worksheet_write_number(wd, y, 10, d->days_late, NULL);
            worksheet_write_string(wd, y, 11, d->remittance.reference, NULL);
            worksheet_write_string(wd, y, 12, date_format(d->remittance.value_date, day), NULL);
        }
        if (note[0])
            worksheet_write_string(wd, y, 13, note, NULL);
    }
    worksheet_autofilter(wd, 0, 0, (lxw_row_t)r->ndiffs, (lxw_col_t)(ncols - 1));
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR)
        return pc_errf(e, PC_EIO, "cannot write '%s': %s", path, lxw_strerror(err));
    return 0;
}

static void write_text(FILE *f, const recon_report *r, const recon_clear_result *cleared)
{
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX], m3[MONEY_FMT_MAX], day[DATE_FMT_MAX];
    if (cleared)
        fprintf(f, "cleared: %ld posted (%s), %ld posted already\n", cleared->posted,
                money_format(cleared->amount, true, m1), cleared->skipped);
    fprintf(f, "%s %s (T+%d): %zu transactions, %zu matched, match rate %.2f%%\n", r->partner.code, r->date,
            r->partner.settlement_days, r->sum.transactions, r->sum.matched, r->match_rate * 100.0);
    fprintf(f, "ours %s in %zu postings; partner %s in %zu lines; remitted %s\n", money_format(r->sum.ours_total, true, m1),
            r->sum.ours_lines, money_format(r->sum.partner_total, true, m2), r->sum.partner_lines,
            money_format(r->sum.remitted_total, true, m3));
    for (size_t i = 0; i < r->ndiffs; i++) {
        const recon_diff *d = &r->diffs[i];
        money_format(d->expected, true, m1);
        money_format(d->actual, true, m2);
        if (txn_level(d->kind)) {
            const recon_txn *t = txn_of(d);
            fprintf(f, "  %-18s %s %s expected %s, ours %s", recon_kind_name(d->kind), t->txn_ref, t->customer_code, m1,
                    m2);
            if (d->kind == RECON_CUSTOMER_DIFFERS)
                fprintf(f, " (ours %s, partner %s)", d->ours.customer_code, d->partner.customer_code);
            if (d->kind == RECON_DUPLICATE)
                fprintf(f, " (%s side)", side_name(d->side));
            fputc('\n', f);
        } else if (d->kind == RECON_REMITTANCE_LATE) {
            fprintf(f, "  %-18s %s %s credited %s, %d days late\n", recon_kind_name(d->kind), d->remittance.reference, m2,
                    date_format(d->remittance.value_date, day), (int)d->days_late);
        } else {
            fprintf(f, "  %-18s %s expected %s, remitted %s\n", recon_kind_name(d->kind), date_format(d->day, day), m1, m2);
        }
    }
}

int recon_report_write(const recon_report *r, const recon_clear_result *cleared, const char *format, FILE *f,
                       const char *path, pc_err *e)
{
    if (strcmp(format, "xlsx") == 0)
        return write_xlsx(path, r, cleared, e);
    int rc = 0;
    if (strcmp(format, "json") == 0)
        rc = write_json(f, r, cleared);
    else if (strcmp(format, "csv") == 0)
        rc = write_csv(f, r);
    else if (strcmp(format, "text") == 0)
        write_text(f, r, cleared);
    else
        return pc_errf(e, PC_EINVAL, "format '%s': expected text, json, csv or xlsx", format);
    return rc == 0 ? 0 : pc_errf(e, PC_EIO, "cannot write the report");
}
