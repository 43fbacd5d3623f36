/* Printed invoice (see invoice_pdf.h). A4 portrait, points; fonts through fontconfig (DejaVu
 * Sans has every Vietnamese glyph). */
#include "formats/invoice_pdf.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "domain/amount_words.h"
#include "formats/barcode.h"
#include "formats/pdf_util.h"

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 40.0

static void dmy(const char *iso, char out[11])
{
    snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static const char *item_label(const char *item, char *label, size_t cap)
{
    if (strncmp(item, "tier ", 5) == 0)
        snprintf(label, cap, "Bậc %s", item + 5);
    else if (strcmp(item, "normal") == 0)
        snprintf(label, cap, "Giờ bình thường");
    else if (strcmp(item, "peak") == 0)
        snprintf(label, cap, "Giờ cao điểm");
    else if (strcmp(item, "offpeak") == 0)
        snprintf(label, cap, "Giờ thấp điểm");
    else if (strcmp(item, "flat") == 0)
        snprintf(label, cap, "Một giá");
    else
        snprintf(label, cap, "%s", item);
    return label;
}

int invoice_pdf(const einvoice_doc *doc, const char *vietqr, const char *path, pc_err *e)
{
    const invoice_row *inv = doc->inv;
    cairo_surface_t *surf = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return pc_errf(e, PC_EIO, "cannot write '%s'", path);
    }
    cairo_t *cr = cairo_create(surf);
    char s[768], d1[11], d2[11], m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX], m3[MONEY_FMT_MAX];
    double y = MARGIN, w = PAGE_W - 2 * MARGIN;
    cairo_set_source_rgb(cr, 0, 0, 0);

    y += pdf_text(cr, doc->seller.name, MARGIN, y, w - 170, 11, 1, PDF_ALIGN_LEFT);
    snprintf(s, sizeof s, "Địa chỉ: %s", doc->seller.address && doc->seller.address[0] ? doc->seller.address : "—");
    y += pdf_text(cr, s, MARGIN, y, w - 170, 8.5, 0, PDF_ALIGN_LEFT);
    snprintf(s, sizeof s, "Mã số thuế: %s", doc->seller.tax_code && doc->seller.tax_code[0] ? doc->seller.tax_code : "—");
    y += pdf_text(cr, s, MARGIN, y, w - 170, 8.5, 0, PDF_ALIGN_LEFT);
    /* The customer code as Code 128, top right: one scan at the counter finds the customer. */
    if (barcode_draw(cr, BARCODE_KIND_CODE128, doc->buyer_code, PAGE_W - MARGIN - 160, MARGIN, 160, 36, e) != 0)
        goto fail;
    pdf_text(cr, doc->buyer_code, PAGE_W - MARGIN - 160, MARGIN + 38, 160, 8, 0, PDF_ALIGN_CENTER);

    y = MARGIN + 70;
    const char *title = strcmp(inv->kind, "adjusting") == 0   ? "HÓA ĐƠN ĐIỀU CHỈNH (TIỀN ĐIỆN)"
                        : strcmp(inv->kind, "replacing") == 0 ? "HÓA ĐƠN THAY THẾ (TIỀN ĐIỆN)"
                                                              : "HÓA ĐƠN GIÁ TRỊ GIA TĂNG (TIỀN ĐIỆN)";
    y += pdf_text(cr, title, MARGIN, y, w, 14, 1, PDF_ALIGN_CENTER) + 2;
    dmy(inv->issue_date, d1);
    snprintf(s, sizeof s, "Ký hiệu: %s    Số: %lld    Ngày lập: %s", inv->symbol, (long long)inv->number, d1);
    y += pdf_text(cr, s, MARGIN, y, w, 9, 0, PDF_ALIGN_CENTER) + 10;
    if (doc->original) {
        dmy(doc->original->issue_date, d1);
        snprintf(s, sizeof s, "%s hóa đơn ký hiệu %s số %lld ngày %s. Lý do: %s",
                 strcmp(inv->kind, "replacing") == 0 ? "Thay thế" : "Điều chỉnh", doc->original->symbol,
                 (long long)doc->original->number, d1, inv->reason);
        y += pdf_text(cr, s, MARGIN, y, w, 8.5, 0, PDF_ALIGN_LEFT) + 4;
    }

    snprintf(s, sizeof s, "Khách hàng: %s", doc->buyer_name);
    y += pdf_text(cr, s, MARGIN, y, w, 9.5, 1, PDF_ALIGN_LEFT);
    snprintf(s, sizeof s, "Mã khách hàng: %s", doc->buyer_code);
    y += pdf_text(cr, s, MARGIN, y, w, 9, 0, PDF_ALIGN_LEFT);
    snprintf(s, sizeof s, "Địa chỉ: %s", doc->buyer_address);
    y += pdf_text(cr, s, MARGIN, y, w, 9, 0, PDF_ALIGN_LEFT);
    dmy(inv->from_date, d1);
    dmy(inv->to_date, d2);
    snprintf(s, sizeof s, "Kỳ hóa đơn: từ %s đến %s    Điện năng tiêu thụ: %lld kWh", d1, d2, (long long)inv->kwh);
    y += pdf_text(cr, s, MARGIN, y, w, 9, 0, PDF_ALIGN_LEFT);
    dmy(inv->due_date, d1);
    snprintf(s, sizeof s, "Hạn thanh toán: %s", d1);
    y += pdf_text(cr, s, MARGIN, y, w, 9, 1, PDF_ALIGN_LEFT) + 8;

    /* The table: one line per tier or register and part of a split period. */
    static const double col_x[] = {0, 28, 170, 300, 370, 440};
    static const double col_w[] = {26, 140, 128, 68, 68, 75};
    static const char *heads[] = {"STT", "Nội dung", "Thời gian", "Điện năng (kWh)", "Đơn giá (đ/kWh)", "Thành tiền (đ)"};
    pdf_hline(cr, MARGIN, PAGE_W - MARGIN, y);
    double hh = 0;
    for (int c = 0; c < 6; c++) {
        double h = pdf_text(cr, heads[c], MARGIN + col_x[c], y + 3, col_w[c], 8, 1,
                            c >= 3 ? PDF_ALIGN_RIGHT : PDF_ALIGN_LEFT);
        if (h > hh)
            hh = h;
    }
    y += hh + 6;
    pdf_hline(cr, MARGIN, PAGE_W - MARGIN, y);
    for (int i = 0; i < inv->nlines; i++) {
        const invoice_line_row *l = &inv->lines[i];
        char label[64], n[16];
        dmy(l->part_from, d1);
        dmy(l->part_to, d2);
        snprintf(n, sizeof n, "%d", i + 1);
        snprintf(s, sizeof s, "%s – %s", d1, d2);
        money_format(l->kwh, false, m1);
        money_format(l->price, false, m2);
        money_format(l->amount, false, m3);
        const char *cells[6] = {n, item_label(l->item, label, sizeof label), s, m1, m2, m3};
        double rh = 0;
        for (int c = 0; c < 6; c++) {
            double h = pdf_text(cr, cells[c], MARGIN + col_x[c], y + 2, col_w[c], 8.5, 0,
                                c >= 3 ? PDF_ALIGN_RIGHT : PDF_ALIGN_LEFT);
            if (h > rh)
                rh = h;
        }
        y += rh + 4;
    }
    pdf_hline(cr, MARGIN, PAGE_W - MARGIN, y);
    y += 6;
    money_format(inv->energy, true, m1);
    money_format(inv->vat, true, m2);
    money_format(inv->total, true, m3);
    static const double lw = 300, vx = PAGE_W - MARGIN - 160;
    pdf_text(cr, "Cộng tiền điện:", vx - lw, y, lw - 8, 9, 0, PDF_ALIGN_RIGHT);
    y += pdf_text(cr, m1, vx, y, 160, 9, 0, PDF_ALIGN_RIGHT);
    snprintf(s, sizeof s, "Thuế GTGT (%d%%):", inv->vat_rate);
    pdf_text(cr, s, vx - lw, y, lw - 8, 9, 0, PDF_ALIGN_RIGHT);
    y += pdf_text(cr, m2, vx, y, 160, 9, 0, PDF_ALIGN_RIGHT);
    pdf_text(cr, "Tổng cộng thanh toán:", vx - lw, y, lw - 8, 10, 1, PDF_ALIGN_RIGHT);
    y += pdf_text(cr, m3, vx, y, 160, 10, 1, PDF_ALIGN_RIGHT) + 2;
    if (inv->credit_applied) {
        char mc[MONEY_FMT_MAX], md[MONEY_FMT_MAX];
        pdf_text(cr, "Trừ số dư có của khách hàng:", vx - lw, y, lw - 8, 9, 0, PDF_ALIGN_RIGHT);
        y += pdf_text(cr, money_format(-inv->credit_applied, true, mc), vx, y, 160, 9, 0, PDF_ALIGN_RIGHT);
        pdf_text(cr, "Còn phải thanh toán:", vx - lw, y, lw - 8, 10, 1, PDF_ALIGN_RIGHT);
        y += pdf_text(cr, money_format(inv->total - inv->credit_applied, true, md), vx, y, 160, 10, 1, PDF_ALIGN_RIGHT);
    }
    y += 4;
    char words[512];
    amount_in_words(inv->total, words, sizeof words);
    snprintf(s, sizeof s, "Số tiền viết bằng chữ: %s.", words);
    y += pdf_text(cr, s, MARGIN, y, w, 9, 0, PDF_ALIGN_LEFT) + 16;

    if (vietqr) {
        if (barcode_draw(cr, BARCODE_KIND_QR, vietqr, MARGIN, y, 130, 130, e) != 0)
            goto fail;
        char md[MONEY_FMT_MAX];
        snprintf(s, sizeof s, "Quét mã VietQR bằng ứng dụng ngân hàng để thanh toán %s. Nội dung chuyển khoản: mã "
                              "khách hàng và số hóa đơn.", money_format(inv->total - inv->credit_applied, true, md));
        pdf_text(cr, s, MARGIN + 145, y + 10, w - 145, 9, 0, PDF_ALIGN_LEFT);
    } else {
        pdf_text(cr, "Thanh toán tại quầy thu, điểm thu hộ hoặc ngân hàng với mã khách hàng.", MARGIN, y, w, 9, 0,
                 PDF_ALIGN_LEFT);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_status_t st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS)
        return pc_errf(e, PC_EIO, "cannot write '%s': %s", path, cairo_status_to_string(st));
    return 0;
fail:
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    return -1;
}
