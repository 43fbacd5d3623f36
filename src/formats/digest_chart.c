/* The digest chart (formats/digest_chart.h). */
#include "formats/digest_chart.h"

#include <cairo.h>
#include <stdio.h>

#include "base/money.h"
#include "formats/pdf_util.h"

#define W 720
#define H 380

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
    buf_append(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* "1,2 tỷ", "345 tr" — bar labels must stay short; the figures in full are in the text. */
static void short_amount(int64_t v, char *out, size_t cap)
{
    double a = (double)v;
    if (a >= 1e9 || a <= -1e9)
        snprintf(out, cap, "%.1f tỷ", a / 1e9);
    else if (a >= 1e6 || a <= -1e6)
        snprintf(out, cap, "%.0f tr", a / 1e6);
    else {
        char m[MONEY_FMT_MAX];
        snprintf(out, cap, "%s", money_format(v, true, m));
    }
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ','; /* Vietnamese decimal comma */
}

int digest_chart_png(const digest_chart *c, buf *png, pc_err *e)
{
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    double title_h = pdf_text(cr, c->title, 16, 10, W - 32, 12, 1, PDF_ALIGN_LEFT);

    int64_t max = 1;
    for (int i = 0; i < DIGEST_CHART_BARS; i++)
        if (c->bar_value[i] > max)
            max = c->bar_value[i];
    const double label_w = 190, x0 = 16 + label_w + 8, bar_w_max = W - x0 - 110, row = 36;
    const double top = 10 + title_h + 12;
    for (int i = 0; i < DIGEST_CHART_BARS; i++) {
        double y = top + i * row;
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        pdf_text(cr, c->bar_label[i] ? c->bar_label[i] : "", 16, y + 6, label_w, 10.5, 0, PDF_ALIGN_RIGHT);
        double w = c->bar_value[i] > 0 ? bar_w_max * (double)c->bar_value[i] / (double)max : 0;
        /* the older the debt, the redder the bar */
        double t = (double)i / (DIGEST_CHART_BARS - 1);
        cairo_set_source_rgb(cr, 0.2 + 0.7 * t, 0.55 - 0.35 * t, 0.75 - 0.55 * t);
        cairo_rectangle(cr, x0, y + 4, w < 1 && c->bar_value[i] > 0 ? 1 : w, row - 10);
        cairo_fill(cr);
        char a[48];
        short_amount(c->bar_value[i], a, sizeof a);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        pdf_text(cr, a, x0 + w + 6, y + 6, 110, 10.5, 0, PDF_ALIGN_LEFT);
    }

    double py = top + DIGEST_CHART_BARS * row + 10;
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    pdf_text(cr, c->progress_label ? c->progress_label : "", 16, py + 6, label_w, 10.5, 1, PDF_ALIGN_RIGHT);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_rectangle(cr, x0, py + 4, bar_w_max, row - 10);
    cairo_fill(cr);
    double share = c->progress_target > 0 ? (double)c->progress_value / (double)c->progress_target : 0;
    if (share > 1)
        share = 1;
    if (share < 0)
        share = 0;
    cairo_set_source_rgb(cr, 0.15, 0.55, 0.3);
    cairo_rectangle(cr, x0, py + 4, bar_w_max * share, row - 10);
    cairo_fill(cr);
    char pct[32];
    if (c->progress_target > 0)
        snprintf(pct, sizeof pct, "%.1f%%", 100.0 * (double)c->progress_value / (double)c->progress_target);
    else
        snprintf(pct, sizeof pct, "—");
    for (char *p = pct; *p; p++)
        if (*p == '.')
            *p = ',';
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    pdf_text(cr, pct, x0 + bar_w_max + 6, py + 6, 110, 10.5, 1, PDF_ALIGN_LEFT);

    cairo_destroy(cr);
    cairo_surface_flush(surf);
    cairo_status_t st = cairo_surface_write_to_png_stream(surf, to_buf, png);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS)
        return pc_errf(e, PC_EINTERNAL, "digest chart: %s", cairo_status_to_string(st));
    return 0;
}
