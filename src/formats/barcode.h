/* Barcodes on printed documents, drawn as vectors with zint: Code 128 for customer codes and
 * receipt numbers (what a counter's scanner reads), QR for the VietQR payment payload. */
#ifndef PC_FORMATS_BARCODE_H
#define PC_FORMATS_BARCODE_H

#include <cairo.h>

#include "base/err.h"

typedef enum { BARCODE_KIND_CODE128, BARCODE_KIND_QR } barcode_kind;

/* Draws the symbol with its top-left corner at (x, y), `width` points wide (QR: square; Code 128:
 * `height` points high). */
int barcode_draw(cairo_t *cr, barcode_kind kind, const char *data, double x, double y, double width, double height,
                 pc_err *e);

#endif
