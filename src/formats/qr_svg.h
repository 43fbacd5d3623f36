/* A QR code as a standalone SVG document (zint's vector output), for the web app: the VietQR
 * payment payload on the self-service page, scannable by a banking app from the screen. */
#ifndef PC_FORMATS_QR_SVG_H
#define PC_FORMATS_QR_SVG_H

#include "base/buf.h"
#include "base/err.h"

/* Appends the SVG of data (error correction M, a 4-module quiet zone) to out. */
int qr_svg(const char *data, buf *out, pc_err *e);

#endif
