/* Printed documents of the counter: receipts and customer cards (see payments.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/payments.h"
#include "base/date.h"
#include "formats/card_pdf.h"
#include "formats/csv_reader.h"
#include "formats/receipt_pdf.h"
#include "store/invoices.h"
#include "store/prepaid.h"
#include "store/repo.h"

static const char *method_vi(const char *m)
{
    return strcmp(m, "cash") == 0       ? "Tiền mặt"
           : strcmp(m, "card") == 0     ? "Thẻ ngân hàng"
           : strcmp(m, "transfer") == 0 ? "Chuyển khoản"
           : strcmp(m, "qr") == 0       ? "QR (VietQR)"
                                        : "Thu hộ qua đối tác";
}

int payment_by_receipt(db *d, const char *receipt_no, payment_row *out, pc_err *e)
{
    /* Receipt numbers are BN + the payment's key (payment_insert). */
    char *end = NULL;
    long long id = strncmp(receipt_no, "BN", 2) == 0 && receipt_no[2] ? strtoll(receipt_no + 2, &end, 10) : 0;
    if (id <= 0 || *end || payment_get(d, id, out, e) != 0 || strcmp(out->receipt_no, receipt_no) != 0)
        return pc_errf(e, PC_ENOTFOUND, "no receipt '%s'", receipt_no);
    return 0;
}

int receipt_print(db *d, const char *receipt_no, money tendered, const char *path, pc_err *e)
{
    payment_row *p = malloc(sizeof *p);
    if (!p)
        abort();
    int rc = -1;
    if (payment_by_receipt(d, receipt_no, p, e) != 0) {
        free(p);
        return -1;
    }
    payer_row c;
    org_row unit, company;
    char shift_text[24] = "";
    shift_row sh;
    const char *cashier = p->created_by;
    if (payer_get_by_id(d, p->customer_id, &c, e) != 0 || org_get(d, c.unit_code, &unit, e) != 0 ||
        org_get(d, unit.parent_code, &company, e) != 0)
        goto done;
    if (p->shift_id) {
        if (shift_get(d, p->shift_id, &sh, e) != 0)
            goto done;
        snprintf(shift_text, sizeof shift_text, "%lld", (long long)p->shift_id);
        cashier = sh.cashier;
    }
    money credit;
    if (credit_balance(d, p->customer_id, &credit, e) != 0)
        goto done;
    receipt_line lines[64];
    for (int i = 0; i < p->nalloc; i++) {
        lines[i].period = 0;
        month_parse(p->alloc[i].period, &lines[i].period, NULL);
        lines[i].symbol = p->alloc[i].symbol;
        lines[i].number = p->alloc[i].number;
        lines[i].amount = p->alloc[i].amount;
    }
    receipt_doc r = {.company = company.name, .unit = unit.name, .receipt_no = p->receipt_no, .cashier = cashier,
                     .shift = shift_text, .customer_code = c.code, .customer_name = c.name,
                     .customer_address = c.address, .method = method_vi(p->method), .lines = lines, .nlines = p->nalloc,
                     .total_paid = p->amount, .credit_left = credit > 0 ? credit : 0, .tendered = tendered};
    /* a prepaid top-up went to the prepaid balance: the receipt says so, with the balance after */
    prepaid_entry topup;
    bool is_topup = false;
    if (prepaid_entry_of_payment(d, p->id, &topup, &is_topup, e) != 0)
        goto done;
    if (is_topup && strcmp(topup.kind, "topup") == 0) {
        r.prepaid = true;
        r.prepaid_balance = topup.balance;
    }
    if (date_parse(p->paid_date, &r.paid_date, e) != 0)
        goto done;
    r.paid_minutes = atoi(p->paid_at + 11) * 60 + atoi(p->paid_at + 14);
    if (p->amount < 0) {
        pc_errf(e, PC_EINVAL, "%s is a reversal: it has no receipt", receipt_no);
        goto done;
    }
    rc = receipt_pdf(&r, path, e);
done:
    free(p);
    return rc;
}

typedef struct {
    customer_card *cards;
    char (*text)[3][512];
    int n, cap;
    char company[256];
} card_list;

static int add_card(card_list *l, const payer_row *c, const char *company)
{
    if (l->n == l->cap)
        return -1;
    snprintf(l->text[l->n][0], 512, "%s", c->code);
    snprintf(l->text[l->n][1], 512, "%s", c->name);
    snprintf(l->text[l->n][2], 512, "%s", c->address);
    l->cards[l->n] = (customer_card){.company = company, .customer_code = l->text[l->n][0], .name = l->text[l->n][1],
                                     .address = l->text[l->n][2]};
    l->n++;
    return 0;
}

int cards_print(db *d, const char *const *codes, int ncodes, const char *path, pc_err *e)
{
    if (ncodes < 1 || ncodes > 10000)
        return pc_errf(e, PC_EINVAL, "give 1 to 10,000 customers");
    card_list l = {.cap = ncodes};
    l.cards = calloc((size_t)ncodes, sizeof *l.cards);
    l.text = calloc((size_t)ncodes, sizeof *l.text);
    char (*companies)[256] = calloc((size_t)ncodes, sizeof *companies);
    if (!l.cards || !l.text || !companies)
        abort();
    int rc = 0;
    for (int i = 0; i < ncodes && rc == 0; i++) {
        payer_row c;
        org_row unit, company;
        rc = payer_get(d, codes[i], &c, e) == 0 && org_get(d, c.unit_code, &unit, e) == 0 &&
                     org_get(d, unit.parent_code, &company, e) == 0
                 ? 0
                 : -1;
        if (rc == 0) {
            snprintf(companies[i], sizeof companies[i], "%s", company.name);
            add_card(&l, &c, companies[i]);
        }
    }
    if (rc == 0)
        rc = card_sheet_pdf(l.cards, l.n, path, e);
    free(l.cards);
    free(l.text);
    free(companies);
    return rc;
}

/* ---- the open-bills list for offline collection points ---- */

typedef struct {
    FILE *f;
    const char *partner;
    long rows;
    money amount;
} export_ctx;

static int export_bill(void *ctx, const payer_row *c, const open_bill *b)
{
    export_ctx *x = ctx;
    char inv[40], amount[24];
    snprintf(inv, sizeof inv, "%s/%lld", b->symbol, (long long)b->number);
    snprintf(amount, sizeof amount, "%lld", (long long)b->open);
    const char *fields[] = {x->partner, c->code, c->name, c->address, inv, b->period, b->due_date, amount};
    if (csv_write_record(x->f, fields, 8) != 0)
        return -1;
    x->rows++;
    x->amount += b->open;
    return 0;
}

int partner_export(db *d, const char *partner, const char *scope_path, const char *path, long *rows, money *amount,
                   pc_err *e)
{
    partner_row p;
    if (partner_get(d, partner, &p, e) != 0)
        return -1;
    FILE *f = fopen(path, "wx");
    if (!f)
        return pc_errf(e, PC_EIO, "cannot create '%s' (it must not exist)", path);
    export_ctx x = {.f = f, .partner = partner};
    const char *header[] = {"partner", "customer_code", "name", "address", "invoice_no", "period", "due_date", "amount"};
    int rc = csv_write_record(f, header, 8) == 0 ? open_bills_in_scope(d, scope_path, export_bill, &x, e) : -1;
    if (fclose(f) != 0 || rc != 0) {
        if (e && e->code == PC_OK)
            pc_errf(e, PC_EIO, "writing '%s' failed", path);
        remove(path);
        return -1;
    }
    *rows = x.rows;
    *amount = x.amount;
    return 0;
}

int receipt_pdf_render(db *d, const char *receipt_no, buf *out, pc_err *e)
{
    /* The renderer writes a file (cairo's PDF surface): a private temporary one, read back and
     * removed, so a server answers the same document the counter prints. */
    const char *dir = getenv("TMPDIR");
    char tmp[512];
    if (snprintf(tmp, sizeof tmp, "%s/powercis-receipt.XXXXXX", dir && dir[0] ? dir : "/tmp") >= (int)sizeof tmp)
        return pc_errf(e, PC_EINVAL, "TMPDIR is too long");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return pc_errf(e, PC_EIO, "cannot create a temporary file in '%s'", dir && dir[0] ? dir : "/tmp");
    close(fd);
    int rc = receipt_print(d, receipt_no, 0, tmp, e);
    if (rc == 0)
        rc = buf_read_file(out, tmp, 16u << 20, e);
    unlink(tmp);
    return rc;
}
