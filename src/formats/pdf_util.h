/* Small drawing helpers shared by the printed documents (invoice, receipt, customer cards): text
 * through pango in DejaVu Sans (it has every Vietnamese glyph), rules, and closing a PDF file. */
#ifndef PC_FORMATS_PDF_UTIL_H
#define PC_FORMATS_PDF_UTIL_H

#include <cairo.h>

#include "base/err.h"

/* Points per millimetre: page and card sizes are given in mm, cairo's PDF surface works in points. */
#define PDF_PT_PER_MM (72.0 / 25.4)

typedef enum { PDF_ALIGN_LEFT, PDF_ALIGN_CENTER, PDF_ALIGN_RIGHT } pdf_align;

/* Draws text in a box of `width` points with its top-left corner at (x, y), wrapping at words;
 * returns its height. */
double pdf_text(cairo_t *cr, const char *s, double x, double y, double width, double size, int bold, pdf_align a);
/* The same, but at most `max_lines` lines (> 0): the rest is cut with "…", so text of any length
 * keeps to a fixed box (a customer card's address). */
double pdf_text_lines(cairo_t *cr, const char *s, double x, double y, double width, double size, int bold, pdf_align a,
                      int max_lines);
/* The width in points of `s` on one line (no wrapping), to fit a label beside an amount. */
double pdf_text_width(cairo_t *cr, const char *s, double size, int bold);
void pdf_hline(cairo_t *cr, double x0, double x1, double y);

/* Destroys cr, finishes and destroys surf, and reports a failed write of `path`. */
int pdf_close(cairo_t *cr, cairo_surface_t *surf, const char *path, pc_err *e);

#endif
