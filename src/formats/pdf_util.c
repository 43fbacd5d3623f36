/* Drawing helpers for printed documents (see pdf_util.h). */
#include "formats/pdf_util.h"

#include <pango/pangocairo.h>
#include <stdio.h>

/* The layout every helper here draws or measures: DejaVu Sans at `size` points, wrapped at words
 * within `width` points, at most `max_lines` lines when > 0. Caller unrefs. */
static PangoLayout *make_layout(cairo_t *cr, const char *s, double width, double size, int bold, pdf_align a,
                                int max_lines)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    char font[64];
    snprintf(font, sizeof font, "DejaVu Sans %s%.1f", bold ? "Bold " : "", size);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0)
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    if (max_lines > 0) {
        /* A negative height is a line count for pango; ellipsizing needs a width, set above. */
        pango_layout_set_height(l, -max_lines);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    }
    pango_layout_set_alignment(l, a == PDF_ALIGN_LEFT     ? PANGO_ALIGN_LEFT
                                  : a == PDF_ALIGN_CENTER ? PANGO_ALIGN_CENTER
                                                          : PANGO_ALIGN_RIGHT);
    pango_layout_set_text(l, s, -1);
    return l;
}

static double draw_text(cairo_t *cr, const char *s, double x, double y, double width, double size, int bold,
                        pdf_align a, int max_lines)
{
    PangoLayout *l = make_layout(cr, s, width, size, bold, a, max_lines);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    g_object_unref(l);
    return h;
}

double pdf_text_width(cairo_t *cr, const char *s, double size, int bold)
{
    PangoLayout *l = make_layout(cr, s, 0, size, bold, PDF_ALIGN_LEFT, 0);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    g_object_unref(l);
    return w;
}

double pdf_text(cairo_t *cr, const char *s, double x, double y, double width, double size, int bold, pdf_align a)
{
    return draw_text(cr, s, x, y, width, size, bold, a, 0);
}

double pdf_text_lines(cairo_t *cr, const char *s, double x, double y, double width, double size, int bold, pdf_align a,
                      int max_lines)
{
    return draw_text(cr, s, x, y, width, size, bold, a, max_lines > 0 ? max_lines : 1);
}

void pdf_hline(cairo_t *cr, double x0, double x1, double y)
{
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
}

int pdf_close(cairo_t *cr, cairo_surface_t *surf, const char *path, pc_err *e)
{
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_status_t st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS)
        return pc_errf(e, PC_EIO, "cannot write '%s': %s", path, cairo_status_to_string(st));
    return 0;
}
