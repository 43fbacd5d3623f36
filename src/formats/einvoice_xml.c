/* E-invoice XML (see einvoice_xml.h). */
#include "formats/einvoice_xml.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>

#include "domain/amount_words.h"

static int el(xmlTextWriterPtr w, const char *name, const char *value)
{
    return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST(value ? value : "")) < 0 ? -1 : 0;
}

static int el_int(xmlTextWriterPtr w, const char *name, int64_t v)
{
    char s[32];
    snprintf(s, sizeof s, "%lld", (long long)v);
    return el(w, name, s);
}

static int start(xmlTextWriterPtr w, const char *name)
{
    return xmlTextWriterStartElement(w, BAD_CAST name) < 0 ? -1 : 0;
}

static int end(xmlTextWriterPtr w)
{
    return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* A line's printed name: "Điện sinh hoạt bậc 1 (01/05/2025–31/05/2025)". */
static void line_name(const einvoice_doc *doc, const invoice_line_row *l, char *out, size_t cap)
{
    const char *item = l->item;
    char what[64];
    if (strncmp(item, "tier ", 5) == 0)
        snprintf(what, sizeof what, "bậc %s", item + 5);
    else if (strcmp(item, "normal") == 0)
        snprintf(what, sizeof what, "giờ bình thường");
    else if (strcmp(item, "peak") == 0)
        snprintf(what, sizeof what, "giờ cao điểm");
    else if (strcmp(item, "offpeak") == 0)
        snprintf(what, sizeof what, "giờ thấp điểm");
    else
        snprintf(what, sizeof what, "%s", item);
    snprintf(out, cap, "%s %s (%.2s/%.2s/%.4s–%.2s/%.2s/%.4s)", doc->purpose_label ? doc->purpose_label : "Điện năng",
             what, l->part_from + 8, l->part_from + 5, l->part_from, l->part_to + 8, l->part_to + 5, l->part_to);
}

int einvoice_xml(const einvoice_doc *doc, buf *out, pc_err *e)
{
    const invoice_row *inv = doc->inv;
    xmlBufferPtr xb = xmlBufferCreate();
    xmlTextWriterPtr w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
    if (!w) {
        xmlBufferFree(xb);
        return pc_errf(e, PC_EINTERNAL, "einvoice: cannot start the XML writer");
    }
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterSetIndentString(w, BAD_CAST "  ");
    char s[512], rate[8], words[512];
    snprintf(rate, sizeof rate, "%d%%", inv->vat_rate);
    int rc = 0;
    rc |= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0;
    rc |= start(w, "HDon");
    rc |= start(w, "DLHDon");
    snprintf(s, sizeof s, "%s-%lld", inv->symbol, (long long)inv->number);
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "Id", BAD_CAST s) < 0;
    rc |= start(w, "TTChung");
    rc |= el(w, "PBan", "2.0.1");
    rc |= el(w, "THDon", "Hóa đơn giá trị gia tăng");
    snprintf(s, sizeof s, "%.1s", inv->symbol); /* "1" of 1K25TAA: the invoice form */
    rc |= el(w, "KHMSHDon", s);
    rc |= el(w, "KHHDon", inv->symbol + 1); /* "K25TAA" */
    rc |= el_int(w, "SHDon", inv->number);
    rc |= el(w, "NLap", inv->issue_date);
    rc |= el(w, "DVTTe", "VND");
    rc |= el(w, "TGia", "1");
    rc |= el(w, "HTTToan", "TM/CK");
    if (doc->original) {
        /* An adjusting (2) or replacing (1) invoice names the one it corrects. */
        rc |= start(w, "TTHDLQuan");
        rc |= el(w, "TCHDon", strcmp(inv->kind, "replacing") == 0 ? "1" : "2");
        rc |= el(w, "LHDCLQuan", "1");
        snprintf(s, sizeof s, "%.1s", doc->original->symbol);
        rc |= el(w, "KHMSHDCLQuan", s);
        rc |= el(w, "KHHDCLQuan", doc->original->symbol + 1);
        rc |= el_int(w, "SHDCLQuan", doc->original->number);
        rc |= el(w, "NLHDCLQuan", doc->original->issue_date);
        rc |= el(w, "GChu", inv->reason);
        rc |= end(w);
    }
    rc |= end(w); /* TTChung */
    rc |= start(w, "NDHDon");
    rc |= start(w, "NBan");
    rc |= el(w, "Ten", doc->seller.name);
    rc |= el(w, "MST", doc->seller.tax_code);
    rc |= el(w, "DChi", doc->seller.address);
    if (doc->seller.phone && doc->seller.phone[0])
        rc |= el(w, "SDThoai", doc->seller.phone);
    rc |= end(w);
    rc |= start(w, "NMua");
    rc |= el(w, "Ten", doc->buyer_name);
    rc |= el(w, "DChi", doc->buyer_address);
    rc |= el(w, "MKHang", doc->buyer_code);
    if (doc->buyer_phone && doc->buyer_phone[0])
        rc |= el(w, "SDThoai", doc->buyer_phone);
    rc |= end(w);
    rc |= start(w, "DSHHDVu");
    for (int i = 0; i < inv->nlines; i++) {
        const invoice_line_row *l = &inv->lines[i];
        rc |= start(w, "HHDVu");
        rc |= el(w, "TChat", "1");
        rc |= el_int(w, "STT", i + 1);
        line_name(doc, l, s, sizeof s);
        rc |= el(w, "THHDVu", s);
        rc |= el(w, "DVTinh", "kWh");
        rc |= el_int(w, "SLuong", l->kwh);
        rc |= el_int(w, "DGia", l->price);
        rc |= el_int(w, "ThTien", l->amount);
        rc |= el(w, "TSuat", rate);
        rc |= end(w);
    }
    rc |= end(w); /* DSHHDVu */
    rc |= start(w, "TToan");
    rc |= start(w, "THTTLTSuat");
    rc |= start(w, "LTSuat");
    rc |= el(w, "TSuat", rate);
    rc |= el_int(w, "ThTien", inv->energy);
    rc |= el_int(w, "TThue", inv->vat);
    rc |= end(w);
    rc |= end(w);
    rc |= el_int(w, "TgTCThue", inv->energy);
    rc |= el_int(w, "TgTThue", inv->vat);
    rc |= el_int(w, "TgTTTBSo", inv->total);
    if (amount_in_words(inv->total, words, sizeof words) != 0)
        rc = 1;
    rc |= el(w, "TgTTTBChu", words);
    rc |= end(w); /* TToan */
    rc |= end(w); /* NDHDon */
    rc |= end(w); /* DLHDon */
    rc |= end(w); /* HDon */
    rc |= xmlTextWriterEndDocument(w) < 0;
    xmlFreeTextWriter(w);
    if (rc) {
        xmlBufferFree(xb);
        return pc_errf(e, PC_EINTERNAL, "einvoice: writing the XML failed");
    }
    buf_append(out, (const char *)xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
    xmlBufferFree(xb);
    return 0;
}
