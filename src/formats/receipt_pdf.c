/* Payment receipt (see receipt_pdf.h). One page 80 mm wide whose height is whatever the content
 * needs: the receipt is drawn once onto a discarding PDF surface to measure it, then for real. */
#include "formats/receipt_pdf.h"

#include <cairo-pdf.h>
#include <stdio.h>

#include "domain/amount_words.h"
#include "formats/barcode.h"
#include "formats/pdf_util.h"

#define PAGE_W (80.0 * PDF_PT_PER_MM)
#define MARGIN (4.0 * PDF_PT_PER_MM)
#define CONTENT_W (PAGE_W - 2 * MARGIN)
/* Narrower than the page so a scanner finds a quiet zone of well over ten modules each side. */
#define BARCODE_W 170.0
#define BARCODE_H 36.0

static const char *or_dash(const char *s)
{
    return s && s[0] ? s : "—";
}

/* A label on the left and an amount flush right on the same line, the label wrapping in what the
 * amount leaves; returns the row's height. */
static double amount_row(cairo_t *cr, const char *label, money v, double y, double size, int bold)
{
    char m[MONEY_FMT_MAX];
    money_format(v, true, m);
    double vw = pdf_text_width(cr, m, size, bold) + 1;
    double h1 = pdf_text(cr, label, MARGIN, y, CONTENT_W - vw - 6, size, bold, PDF_ALIGN_LEFT);
    double h2 = pdf_text(cr, m, PAGE_W - MARGIN - vw, y, vw, size, bold, PDF_ALIGN_RIGHT);
    return h1 > h2 ? h1 : h2;
}

/* Draws the whole receipt from the top of the page; *height is where the content ends. */
static int draw_receipt(cairo_t *cr, const receipt_doc *r, double *height, pc_err *e)
{
    char s[1024], words[512];
    double y = MARGIN;
    cairo_set_source_rgb(cr, 0, 0, 0);

    y += pdf_text(cr, or_dash(r->company), MARGIN, y, CONTENT_W, 8, 1, PDF_ALIGN_CENTER);
    y += pdf_text(cr, or_dash(r->unit), MARGIN, y, CONTENT_W, 7.5, 0, PDF_ALIGN_CENTER) + 4;
    pdf_hline(cr, MARGIN, PAGE_W - MARGIN, y);
    y += 5;
    y += pdf_text(cr, "BIÊN NHẬN THANH TOÁN TIỀN ĐIỆN", MARGIN, y, CONTENT_W, 9.5, 1, PDF_ALIGN_CENTER) + 4;
    if (barcode_draw(cr, BARCODE_KIND_CODE128, r->receipt_no, (PAGE_W - BARCODE_W) / 2, y, BARCODE_W, BARCODE_H,
                     e) != 0)
        return -1;
    y += BARCODE_H + 2;
    snprintf(s, sizeof s, "Số: %s", r->receipt_no);
    y += pdf_text(cr, s, MARGIN, y, CONTENT_W, 8.5, 0, PDF_ALIGN_CENTER) + 4;

    int yy, mm, dd;
    date_to_ymd(r->paid_date, &yy, &mm, &dd);
    snprintf(s, sizeof s, "Ngày: %02d/%02d/%04d    Giờ: %02d:%02d", dd, mm, yy, r->paid_minutes / 60,
             r->paid_minutes % 60);
    y += pdf_text(cr, s, MARGIN, y, CONTENT_W, 8, 0, PDF_ALIGN_LEFT);
    snprintf(s, sizeof s, "Thu ngân: %s", or_dash(r->cashier));
    y += pdf_text(cr, s, MARGIN, y, CONTENT_W, 8, 0, PDF_ALIGN_LEFT);
    snprintf(s, sizeof s, "Ca thu: %s", or_dash(r->shift));
    y += pdf_text(cr, s, MARGIN, y, CONTENT_W, 8, 0, PDF_ALIGN_LEFT) + 3;
    pdf_hline(cr, MARGIN, PAGE_W - MARGIN, y);
    y += 4;

    snprintf(s, sizeof s, "Khách hàng: %s", or_dash(r->customer_name));
    y += pdf_text(cr, s, MARGIN, y, CONTENT_W, 8.5, 1, PDF_ALIGN_LEFT);
    snprintf(s, sizeof s, "Mã khách hàng: %s", r->customer_code);
    y += pdf_text(cr, s, MARGIN, y, CONTENT_W, 8, 0, PDF_ALIGN_LEFT);
    snprintf(s, sizeof s, "Địa chỉ: %s", or_dash(r->customer_address));
    y += pdf_text(cr, s, MARGIN, y, CONTENT_W, 8, 0, PDF_ALIGN_LEFT);
    snprintf(s, sizeof s, "Hình thức thanh toán: %s", or_dash(r->method));
    y += pdf_text(cr, s, MARGIN, y, CONTENT_W, 8, 0, PDF_ALIGN_LEFT) + 3;
    pdf_hline(cr, MARGIN, PAGE_W - MARGIN, y);
    y += 4;

    if (r->nlines > 0) {
        y += pdf_text(cr, "Hóa đơn được thanh toán", MARGIN, y, CONTENT_W, 8, 1, PDF_ALIGN_LEFT) + 1;
        /* Two lines per invoice: a narrow roll has no room for period, number and amount side by side. */
        for (int i = 0; i < r->nlines; i++) {
            const receipt_line *l = &r->lines[i];
            snprintf(s, sizeof s, "Kỳ %02d/%04d", (int)(l->period % 100), (int)(l->period / 100));
            y += amount_row(cr, s, l->amount, y, 8, 0);
            snprintf(s, sizeof s, "Hóa đơn %s số %lld", or_dash(l->symbol), (long long)l->number);
            y += pdf_text(cr, s, MARGIN + 8, y, CONTENT_W - 8, 7.5, 0, PDF_ALIGN_LEFT) + 2;
        }
        y += 2;
        pdf_hline(cr, MARGIN, PAGE_W - MARGIN, y);
        y += 4;
    }

    y += amount_row(cr, "Tổng cộng:", r->total_paid, y, 9.5, 1) + 2;
    if (amount_in_words(r->total_paid, words, sizeof words) != 0)
        return pc_errf(e, PC_EINTERNAL, "receipt: amount in words does not fit");
    snprintf(s, sizeof s, "Bằng chữ: %s.", words);
    y += pdf_text(cr, s, MARGIN, y, CONTENT_W, 8, 0, PDF_ALIGN_LEFT) + 3;
    /* Change is only for cash handed over beyond the payment; a card or transfer has none. */
    if (r->tendered > r->total_paid) {
        y += amount_row(cr, "Tiền khách đưa:", r->tendered, y, 8.5, 0);
        y += amount_row(cr, "Tiền trả lại:", r->tendered - r->total_paid, y, 8.5, 1) + 2;
    }
    if (r->prepaid) {
        y += pdf_text(cr, "Nạp tiền vào tài khoản trả trước", MARGIN, y, CONTENT_W, 8, 1, PDF_ALIGN_LEFT) + 1;
        y += amount_row(cr, "Số dư trả trước:", r->prepaid_balance, y, 8.5, 0) + 2;
    } else if (r->credit_left > 0)
        y += amount_row(cr, "Số dư chuyển kỳ sau:", r->credit_left, y, 8.5, 0) + 2;
    y += 2;
    pdf_hline(cr, MARGIN, PAGE_W - MARGIN, y);
    y += 4;
    y += pdf_text(cr, "Xin cảm ơn Quý khách!", MARGIN, y, CONTENT_W, 8, 0, PDF_ALIGN_CENTER);
    y += pdf_text(cr, "Vui lòng giữ biên nhận để đối chiếu.", MARGIN, y, CONTENT_W, 7, 0, PDF_ALIGN_CENTER);
    *height = y + MARGIN;
    return 0;
}

static int check_receipt(const receipt_doc *r, pc_err *e)
{
    if (!r->receipt_no || !r->receipt_no[0])
        return pc_errf(e, PC_EINVAL, "receipt: the receipt number is empty");
    if (!r->customer_code || !r->customer_code[0])
        return pc_errf(e, PC_EINVAL, "receipt %s: the customer code is empty", r->receipt_no);
    if (r->nlines < 0 || (r->nlines > 0 && !r->lines))
        return pc_errf(e, PC_EINVAL, "receipt %s: invoice lines are missing", r->receipt_no);
    if (r->paid_minutes < 0 || r->paid_minutes >= 24 * 60)
        return pc_errf(e, PC_EINVAL, "receipt %s: time of day %d is not minutes after midnight (0..1439)",
                       r->receipt_no, r->paid_minutes);
    if (r->total_paid < 0 || r->credit_left < 0 || r->tendered < 0)
        return pc_errf(e, PC_EINVAL, "receipt %s: amounts paid, tendered and credit cannot be negative", r->receipt_no);
    return 0;
}

int receipt_pdf(const receipt_doc *r, const char *path, pc_err *e)
{
    if (check_receipt(r, e) != 0)
        return -1;
    /* Measuring pass: a PDF surface that writes nothing, so text metrics match the real pass. */
    double height = 0;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(NULL, NULL, PAGE_W, 2000);
    cairo_t *cr = cairo_create(surf);
    int rc = draw_receipt(cr, r, &height, e);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    if (rc != 0)
        return -1;

    surf = cairo_pdf_surface_create(path, PAGE_W, height);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return pc_errf(e, PC_EIO, "cannot write '%s'", path);
    }
    cr = cairo_create(surf);
    if (draw_receipt(cr, r, &height, e) != 0) {
        cairo_destroy(cr);
        cairo_surface_destroy(surf);
        return -1;
    }
    cairo_show_page(cr);
    return pdf_close(cr, surf, path, e);
}
