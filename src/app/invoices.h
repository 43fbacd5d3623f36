/* An issued invoice as the CLI (`invoice show|xml|pdf`) and the API show it: found by
 * SYMBOL/NUMBER or id, as JSON, and printed as the e-invoice XML or the PDF with everything they
 * print about the seller and the buyer. */
#ifndef PC_APP_INVOICES_H
#define PC_APP_INVOICES_H

#include <jansson.h>
#include <stdbool.h>

#include "app/config.h"
#include "base/buf.h"
#include "formats/einvoice_xml.h"
#include "store/db.h"
#include "store/invoices.h"
#include "store/repo.h"

/* ref: SYMBOL/NUMBER (1K25TAA/42) or the invoice's id. PC_EINVAL for neither, PC_ENOTFOUND. */
int invoice_find(db *d, const char *ref, invoice_row *out, pc_err *e);
/* `invoice show --json`: the invoice, its lines and what is due after the credit used. */
json_t *invoice_to_json(const invoice_row *v);

/* Everything the XML and the PDF print about an invoice (large: keep it static or on the heap). */
typedef struct {
    invoice_row inv, original;
    customer c;
    org_row unit, company;
    char vietqr[256];
    bool has_qr;
    einvoice_doc doc;
} invoice_printable;
/* PC_EINVAL for a receivable of the debt ledger (legacy import, transfer): no e-invoice. */
int invoice_printable_load(db *d, const pc_config *cfg, const char *ref, invoice_printable *p, pc_err *e);
/* The e-invoice XML into out. */
int invoice_xml_render(db *d, const pc_config *cfg, const char *ref, buf *out, pc_err *e);
/* The printed invoice (PDF) into a file, or into a buffer (through a private temporary file). */
int invoice_pdf_write(db *d, const pc_config *cfg, const char *ref, const char *path, pc_err *e);
int invoice_pdf_render(db *d, const pc_config *cfg, const char *ref, buf *out, pc_err *e);

#endif
