/* E-invoice XML in the tax authority's layout (Decree 123/2020, Circular 78/2021; DOMAIN 6):
 * HDon/DLHDon/TTChung, NDHDon/NBan, NMua, DSHHDVu/HHDVu, TToan. UTF-8, dates YYYY-MM-DD, amounts
 * with "." as the decimal mark (whole đồng here, so no decimals). Written with libxml2. */
#ifndef PC_FORMATS_EINVOICE_XML_H
#define PC_FORMATS_EINVOICE_XML_H

#include "base/buf.h"
#include "base/err.h"
#include "store/invoices.h"

typedef struct {
    const char *name, *tax_code, *address, *phone;
} einvoice_party;

typedef struct {
    const invoice_row *inv;
    einvoice_party seller;
    const char *buyer_name, *buyer_address, *buyer_code, *buyer_phone;
    const char *purpose_label; /* "Điện sinh hoạt" … for the line names */
    const invoice_row *original; /* the invoice an adjusting/replacing one refers to, or NULL */
} einvoice_doc;

int einvoice_xml(const einvoice_doc *doc, buf *out, pc_err *e);

#endif
