/* Issued invoices as shown and printed (app/invoices.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/invoices.h"
#include "domain/vietqr.h"
#include "formats/invoice_pdf.h"
#include "store/adjust.h"
#include "store/legacy.h"

int invoice_find(db *d, const char *ref, invoice_row *out, pc_err *e)
{
    const char *sep = strpbrk(ref, "/-");
    char *end;
    if (sep) {
        char symbol[16];
        snprintf(symbol, sizeof symbol, "%.*s", (int)(sep - ref), ref);
        long long n = strtoll(sep + 1, &end, 10);
        if (*end || n < 1)
            return pc_errf(e, PC_EINVAL, "invoice '%s': expected SYMBOL/NUMBER or an id", ref);
        return invoice_get(d, symbol, n, 0, out, e);
    }
    long long id = strtoll(ref, &end, 10);
    if (!ref[0] || *end || id < 1)
        return pc_errf(e, PC_EINVAL, "invoice '%s': expected SYMBOL/NUMBER or an id", ref);
    return invoice_get(d, NULL, 0, id, out, e);
}

json_t *invoice_to_json(const invoice_row *v)
{
    json_t *lines = json_array();
    for (int i = 0; i < v->nlines; i++) {
        const invoice_line_row *l = &v->lines[i];
        json_array_append_new(lines, json_pack("{s:i, s:s, s:s, s:s, s:I, s:I, s:I}", "line", l->line_no, "from",
                                               l->part_from, "to", l->part_to, "item", l->item, "kwh", (json_int_t)l->kwh,
                                               "price", (json_int_t)l->price, "amount", (json_int_t)l->amount));
    }
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:i, s:I, s:I, s:I, s:I, s:o}", "id",
                     (json_int_t)v->id, "symbol", v->symbol, "number", (json_int_t)v->number, "kind", v->kind,
                     "customer_code", v->customer_code, "period", v->period, "from", v->from_date, "to", v->to_date,
                     "issue_date", v->issue_date, "due_date", v->due_date, "kwh", (json_int_t)v->kwh, "energy",
                     (json_int_t)v->energy, "vat_rate", v->vat_rate, "vat", (json_int_t)v->vat, "total",
                     (json_int_t)v->total, "credit_applied", (json_int_t)v->credit_applied, "due",
                     (json_int_t)(v->total - v->credit_applied), "lines", lines);
}

static const char *purpose_label(customer_purpose p)
{
    switch (p) {
    case PURPOSE_RESIDENTIAL: return "Điện sinh hoạt";
    case PURPOSE_PRODUCTION: return "Điện sản xuất";
    case PURPOSE_BUSINESS: return "Điện kinh doanh";
    default: return "Điện hành chính sự nghiệp";
    }
}

int invoice_printable_load(db *d, const pc_config *cfg, const char *ref, invoice_printable *p, pc_err *e)
{
    memset(p, 0, sizeof *p);
    if (invoice_find(d, ref, &p->inv, e) != 0)
        return -1;
    /* receivables from a legacy system (debt import) and transfers between customers (debt adjust)
     * are invoice rows for the ledger, never e-invoices of ours */
    if (strcmp(p->inv.symbol, LEGACY_SYMBOL) == 0 || strcmp(p->inv.symbol, ADJUST_TRANSFER_SYMBOL) == 0)
        return pc_errf(e, PC_EINVAL, "%s/%lld is a receivable of the debt ledger, not an e-invoice: it has no XML or PDF",
                       p->inv.symbol, (long long)p->inv.number);
    if (customer_get_by_id(d, p->inv.customer_id, p->inv.to_date, &p->c, e) != 0 ||
        org_get(d, p->c.unit, &p->unit, e) != 0 || org_get(d, p->unit.parent_code, &p->company, e) != 0)
        return -1;
    if (p->inv.refers_to && invoice_get(d, NULL, 0, p->inv.refers_to, &p->original, e) != 0)
        return -1;
    const company_config *cc = config_company(cfg, p->company.code);
    p->doc = (einvoice_doc){.inv = &p->inv,
                            .seller = {p->company.name, cc ? cc->tax_code : "", cc ? cc->address : "", cc ? cc->phone : ""},
                            .buyer_name = p->c.name,
                            .buyer_address = p->c.address,
                            .buyer_code = p->c.code,
                            .buyer_phone = p->c.phone,
                            .purpose_label = purpose_label(p->c.purpose),
                            .original = p->inv.refers_to ? &p->original : NULL};
    int64_t due = p->inv.total - p->inv.credit_applied;
    if (cc && cc->bank_bin[0] && cc->bank_account[0] && due > 0) {
        char purpose[32];
        snprintf(purpose, sizeof purpose, "%s HD%lld", p->c.code, (long long)p->inv.number);
        if (vietqr_payload(cc->bank_bin, cc->bank_account, due, purpose, p->vietqr, sizeof p->vietqr, e) != 0)
            return pc_err_prefix(e, "[company %s]", p->company.code);
        p->has_qr = true;
    }
    return 0;
}

static invoice_printable *printable_new(void)
{
    invoice_printable *p = malloc(sizeof *p);
    if (!p)
        abort();
    return p;
}

int invoice_xml_render(db *d, const pc_config *cfg, const char *ref, buf *out, pc_err *e)
{
    invoice_printable *p = printable_new();
    int rc = invoice_printable_load(d, cfg, ref, p, e) == 0 ? einvoice_xml(&p->doc, out, e) : -1;
    free(p);
    return rc;
}

int invoice_pdf_write(db *d, const pc_config *cfg, const char *ref, const char *path, pc_err *e)
{
    invoice_printable *p = printable_new();
    int rc = invoice_printable_load(d, cfg, ref, p, e) == 0 ? invoice_pdf(&p->doc, p->has_qr ? p->vietqr : NULL, path, e)
                                                            : -1;
    free(p);
    return rc;
}

int invoice_pdf_render(db *d, const pc_config *cfg, const char *ref, buf *out, pc_err *e)
{
    /* cairo's PDF surface writes a file: a private temporary one, read back and removed, so the
     * server answers the same document `invoice pdf` prints */
    const char *dir = getenv("TMPDIR");
    char tmp[512];
    if (snprintf(tmp, sizeof tmp, "%s/powercis-invoice.XXXXXX", dir && dir[0] ? dir : "/tmp") >= (int)sizeof tmp)
        return pc_errf(e, PC_EINVAL, "TMPDIR is too long");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return pc_errf(e, PC_EIO, "cannot create a temporary file in '%s'", dir && dir[0] ? dir : "/tmp");
    close(fd);
    int rc = invoice_pdf_write(d, cfg, ref, tmp, e);
    if (rc == 0)
        rc = buf_read_file(out, tmp, 32u << 20, e);
    unlink(tmp);
    return rc;
}
