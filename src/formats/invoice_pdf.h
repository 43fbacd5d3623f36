/* The printed invoice as PDF (cairo + pango): Vietnamese text, the tier or register table, the
 * customer's code as Code 128 for the counter's scanner, and a VietQR code to pay by transfer. */
#ifndef PC_FORMATS_INVOICE_PDF_H
#define PC_FORMATS_INVOICE_PDF_H

#include "base/err.h"
#include "formats/einvoice_xml.h"

/* vietqr: the payment payload, or NULL when no collection account is configured. */
int invoice_pdf(const einvoice_doc *doc, const char *vietqr, const char *path, pc_err *e);

#endif
