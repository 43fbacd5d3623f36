/* Customer card sheets (see card_pdf.h). The grid of cards is centred on the page, cards touching
 * each other, so one guillotine cut per grid line separates them; the cut marks sit in the margins
 * only, never on a card. */
#include "formats/card_pdf.h"

#include <cairo-pdf.h>
#include <stdio.h>

#include "formats/barcode.h"
#include "formats/pdf_util.h"

#define PAGE_W (210.0 * PDF_PT_PER_MM)
#define PAGE_H (297.0 * PDF_PT_PER_MM)
#define CARD_W (85.6 * PDF_PT_PER_MM)
#define CARD_H (54.0 * PDF_PT_PER_MM)
#define GRID_X ((PAGE_W - CARD_COLUMNS * CARD_W) / 2)
#define GRID_Y ((PAGE_H - CARD_ROWS * CARD_H) / 2)
#define PAD (4.0 * PDF_PT_PER_MM)
#define BARCODE_W 150.0
#define BARCODE_H 34.0
#define MARK_GAP (1.5 * PDF_PT_PER_MM)
#define MARK_LEN (5.0 * PDF_PT_PER_MM)

static void cut_marks(cairo_t *cr)
{
    cairo_save(cr);
    cairo_set_line_width(cr, 0.3);
    for (int c = 0; c <= CARD_COLUMNS; c++) {
        double x = GRID_X + c * CARD_W, top = GRID_Y, bottom = GRID_Y + CARD_ROWS * CARD_H;
        cairo_move_to(cr, x, top - MARK_GAP);
        cairo_line_to(cr, x, top - MARK_GAP - MARK_LEN);
        cairo_move_to(cr, x, bottom + MARK_GAP);
        cairo_line_to(cr, x, bottom + MARK_GAP + MARK_LEN);
    }
    for (int r = 0; r <= CARD_ROWS; r++) {
        double y = GRID_Y + r * CARD_H, left = GRID_X, right = GRID_X + CARD_COLUMNS * CARD_W;
        cairo_move_to(cr, left - MARK_GAP, y);
        cairo_line_to(cr, left - MARK_GAP - MARK_LEN, y);
        cairo_move_to(cr, right + MARK_GAP, y);
        cairo_line_to(cr, right + MARK_GAP + MARK_LEN, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* One card with its top-left corner at (x0, y0). The barcode is anchored to the bottom edge so it
 * stays put whatever the lengths of the texts above it, which are capped in lines. */
static int draw_card(cairo_t *cr, const customer_card *c, double x0, double y0, pc_err *e)
{
    char s[768];
    double x = x0 + PAD, w = CARD_W - 2 * PAD, y = y0 + PAD;
    if (c->company && c->company[0])
        y += pdf_text_lines(cr, c->company, x, y, w, 7.5, 1, PDF_ALIGN_CENTER, 2);
    y += pdf_text(cr, "THẺ KHÁCH HÀNG", x, y, w, 12, 1, PDF_ALIGN_CENTER) + 2;
    pdf_hline(cr, x, x + w, y);
    y += 3;
    y += pdf_text_lines(cr, c->name && c->name[0] ? c->name : "—", x, y, w, 9.5, 1, PDF_ALIGN_LEFT, 1);
    snprintf(s, sizeof s, "Địa chỉ: %s", c->address && c->address[0] ? c->address : "—");
    pdf_text_lines(cr, s, x, y, w, 7.5, 0, PDF_ALIGN_LEFT, 2);

    double by = y0 + CARD_H - PAD - 11 - BARCODE_H;
    if (barcode_draw(cr, BARCODE_KIND_CODE128, c->customer_code, x0 + (CARD_W - BARCODE_W) / 2, by, BARCODE_W,
                     BARCODE_H, e) != 0)
        return -1;
    pdf_text(cr, c->customer_code, x, by + BARCODE_H + 1, w, 8.5, 0, PDF_ALIGN_CENTER);
    return 0;
}

int card_sheet_pdf(const customer_card *cards, int ncards, const char *path, pc_err *e)
{
    if (ncards < 1 || !cards)
        return pc_errf(e, PC_EINVAL, "no customer cards to print");
    for (int i = 0; i < ncards; i++)
        if (!cards[i].customer_code || !cards[i].customer_code[0])
            return pc_errf(e, PC_EINVAL, "card %d: the customer code is empty", i + 1);

    cairo_surface_t *surf = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return pc_errf(e, PC_EIO, "cannot write '%s'", path);
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int i = 0; i < ncards; i++) {
        int slot = i % CARDS_PER_SHEET;
        if (slot == 0)
            cut_marks(cr);
        double x0 = GRID_X + (slot % CARD_COLUMNS) * CARD_W, y0 = GRID_Y + (slot / CARD_COLUMNS) * CARD_H;
        if (draw_card(cr, &cards[i], x0, y0, e) != 0) {
            pc_err_prefix(e, "card %d (%s)", i + 1, cards[i].customer_code);
            cairo_destroy(cr);
            cairo_surface_destroy(surf);
            return -1;
        }
        if (slot == CARDS_PER_SHEET - 1 || i == ncards - 1)
            cairo_show_page(cr);
    }
    return pdf_close(cr, surf, path, e);
}
