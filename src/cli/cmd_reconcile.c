/* powercis reconcile | statement import | bank import: reconciliation of third-party collections
 * (DOMAIN 11, docs/reconciliation.md). The report comes as text, JSON, CSV or an Excel sheet
 * for the manager who signs the day off. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "app/reconciliation.h"
#include "cli/cli.h"
#include "formats/csv_reader.h"

static const char reconcile_usage[] =
    "usage: powercis reconcile --partner P --date YYYY-MM-DD [--format text|json|csv|xlsx] [--out FILE]\n"
    "                          [--clear-missing]\n\n"
    "Reconciles one partner's business day: our postings through the partner that day against the\n"
    "partner's statement (`powercis statement import`), transaction by transaction, and the\n"
    "statement's total against the remittances for that day on the bank statement (`powercis bank\n"
    "import`), on time within the partner's settlement days (T+1 by default). Every difference has\n"
    "a kind: missing_in_ours, missing_at_partner, amount_differs, customer_differs, duplicate,\n"
    "remittance_missing, remittance_short, remittance_over, remittance_late. match_rate is\n"
    "matched / transactions (distinct references on either side).\n"
    "--format: text (default), json, csv (one row per difference) or xlsx (needs --out).\n"
    "--clear-missing: posts every missing_in_ours item as the partner's payment (its reference,\n"
    "amount, customer and paid_at), all or none, audited; then reports the day as it stands.\n"
    "Exit status 0 when the report was produced, whatever it found.\n";

static const char statement_usage[] =
    "usage: powercis statement import [--partner P] FILE.csv [--json]\n\n"
    "A partner's daily statement: `partner,txn_ref,customer_code,amount,paid_at` (docs/\n"
    "reconciliation.md). All lines or none; the same file twice changes nothing. With --partner,\n"
    "every line must be that partner's. A later statement for a partner and day replaces the\n"
    "earlier one in reconciliation (both are kept).\n";

static const char bank_usage[] =
    "usage: powercis bank import FILE.csv [--json]\n\n"
    "The bank statement of the collection account: `value_date,amount,partner,for_day,reference\n"
    "[,narrative]` (docs/reconciliation.md). All lines or none; the same file twice changes\n"
    "nothing; a bank reference imported before with the same content is skipped, so overlapping\n"
    "statements import cleanly.\n";

/* ---- imports ---- */

static int import_print(const char *path, int rc, const pc_err *e, recon_import_report *rep, bool json)
{
    char m[MONEY_FMT_MAX];
    if (json) {
        json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:s?}", "file", path, "already", rep->already, "rows",
                              (json_int_t)rep->rows, "added", (json_int_t)rep->added, "repeated",
                              (json_int_t)rep->repeated, "error_rows", (json_int_t)rep->error_rows, "amount",
                              (json_int_t)rep->amount, "error", rc != 0 ? e->msg : NULL);
        if (rep->errors.len)
            json_object_set_new(o, "errors", json_string(rep->errors.data));
        char *text = json_dumps(o, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
        json_decref(o);
    } else if (rep->errors.len) {
        fputs(rep->errors.data, stderr);
    }
    recon_import_report_free(rep);
    if (rc != 0)
        return json ? (e->code == PC_EINVAL ? 2 : 1) : cli_fail(e);
    if (!json) {
        if (rep->already)
            printf("%s was imported already (%s): nothing changed\n", path, rep->already_at);
        else
            printf("%s: %ld rows, %ld lines added (%s), %ld known before\n", path, rep->rows, rep->added,
                   money_format(rep->amount, true, m), rep->repeated);
    }
    return 0;
}

static int import_cmd(const char *cmd, const char *usage, int argc, char **argv, bool statement)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "import") != 0)
        return cli_usage_error(cmd, "unknown subcommand '%s'", argv[1]);
    const char *partner = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--partner", statement ? &partner : NULL, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    char full[32];
    snprintf(full, sizeof full, "%s import", cmd);
    if (cli_parse_opts(full, argc, argv, 2, statement ? opts : opts + 1, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error(full, "expected the statement file");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    recon_import_report rep;
    int rc = statement ? statement_import(d, cli_actor, partner, pos[0], &rep, &e)
                       : bank_import(d, cli_actor, pos[0], &rep, &e);
    db_close(d);
    return import_print(pos[0], rc, &e, &rep, json);
}

int cmd_statement(int argc, char **argv)
{
    return import_cmd("statement", statement_usage, argc, argv, true);
}

int cmd_bank(int argc, char **argv)
{
    return import_cmd("bank", bank_usage, argc, argv, false);
}

/* ---- the report ---- */

static bool txn_level(recon_kind k)
{
    return k <= RECON_DUPLICATE;
}

static const char *side_name(recon_side s)
{
    return s == RECON_SIDE_OURS ? "ours" : s == RECON_SIDE_PARTNER ? "partner" : "";
}

/* The reference and customer of a transaction-level difference: the partner's line when it has
 * one (the claim to check), else ours. */
static const recon_txn *txn_of(const recon_diff *d)
{
    return d->partner.txn_ref[0] ? &d->partner : &d->ours;
}

static json_t *diff_json(const recon_diff *d)
{
    char day[DATE_FMT_MAX];
    json_t *o = json_pack("{s:s}", "kind", recon_kind_name(d->kind));
    if (txn_level(d->kind)) {
        const recon_txn *t = txn_of(d);
        json_object_set_new(o, "txn_ref", json_string(t->txn_ref));
        json_object_set_new(o, "customer_code", json_string(t->customer_code));
        json_object_set_new(o, "ours", d->ours.txn_ref[0] ? json_integer(d->ours.amount) : json_null());
        json_object_set_new(o, "partner", d->partner.txn_ref[0] ? json_integer(d->partner.amount) : json_null());
        if (d->kind == RECON_CUSTOMER_DIFFERS) {
            json_object_set_new(o, "ours_customer", json_string(d->ours.customer_code));
            json_object_set_new(o, "partner_customer", json_string(d->partner.customer_code));
        }
        if (d->kind == RECON_DUPLICATE)
            json_object_set_new(o, "side", json_string(side_name(d->side)));
    } else {
        json_object_set_new(o, "day", json_string(date_format(d->day, day)));
    }
    json_object_set_new(o, "expected", json_integer(d->expected));
    json_object_set_new(o, "actual", json_integer(d->actual));
    if (d->kind == RECON_REMITTANCE_LATE) {
        json_object_set_new(o, "days_late", json_integer(d->days_late));
        json_object_set_new(o, "reference", json_string(d->remittance.reference));
        json_object_set_new(o, "value_date", json_string(date_format(d->remittance.value_date, day)));
        json_object_set_new(o, "amount", json_integer(d->remittance.amount));
    }
    return o;
}

static json_t *report_json(const recon_report *r, const recon_clear_result *cleared)
{
    json_t *counts = json_object();
    for (int k = 0; k < RECON_KIND_COUNT; k++)
        json_object_set_new(counts, recon_kind_name((recon_kind)k), json_integer((json_int_t)r->sum.count[k]));
    json_t *diffs = json_array();
    for (size_t i = 0; i < r->ndiffs; i++)
        json_array_append_new(diffs, diff_json(&r->diffs[i]));
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "partner",
                          r->partner.code, "partner_name", r->partner.name, "date", r->date, "settlement_days",
                          r->partner.settlement_days, "match_rate", r->match_rate, "transactions",
                          (json_int_t)r->sum.transactions, "matched", (json_int_t)r->sum.matched, "ours_lines",
                          (json_int_t)r->sum.ours_lines, "partner_lines", (json_int_t)r->sum.partner_lines,
                          "remittances", (json_int_t)r->sum.remittances, "reversed_same_day", (json_int_t)r->reversed,
                          "ours_total", (json_int_t)r->sum.ours_total, "partner_total", (json_int_t)r->sum.partner_total,
                          "remitted_total", (json_int_t)r->sum.remitted_total, "differences_count",
                          (json_int_t)r->ndiffs);
    json_object_set_new(o, "counts", counts);
    json_object_set_new(o, "differences", diffs);
    if (cleared)
        json_object_set_new(o, "cleared", json_pack("{s:I, s:I, s:I}", "posted", (json_int_t)cleared->posted, "skipped",
                                                    (json_int_t)cleared->skipped, "amount", (json_int_t)cleared->amount));
    return o;
}

static int write_json(FILE *f, const recon_report *r, const recon_clear_result *cleared)
{
    json_t *o = report_json(r, cleared);
    int rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return rc == 0 && fputc('\n', f) != EOF ? 0 : -1;
}

static const char *const csv_header[] = {"kind",    "side", "txn_ref",  "customer_code", "ours_customer",
                                         "partner_customer", "ours_amount", "partner_amount", "day", "expected",
                                         "actual",  "days_late", "bank_reference", "value_date"};
#define CSV_NCOLS (sizeof csv_header / sizeof *csv_header)

static int write_csv(FILE *f, const recon_report *r)
{
    if (csv_write_record(f, csv_header, CSV_NCOLS) != 0)
        return -1;
    for (size_t i = 0; i < r->ndiffs; i++) {
        const recon_diff *d = &r->diffs[i];
        char ours[24] = "", partner[24] = "", day[DATE_FMT_MAX] = "", expected[24], actual[24], late[16] = "",
             value_date[DATE_FMT_MAX] = "";
        const char *ref = "", *cust = "", *ocust = "", *pcust = "", *bank = "";
        if (txn_level(d->kind)) {
            ref = txn_of(d)->txn_ref;
            cust = txn_of(d)->customer_code;
            ocust = d->ours.customer_code;
            pcust = d->partner.customer_code;
            if (d->ours.txn_ref[0])
                snprintf(ours, sizeof ours, "%lld", (long long)d->ours.amount);
            if (d->partner.txn_ref[0])
                snprintf(partner, sizeof partner, "%lld", (long long)d->partner.amount);
        } else {
            date_format(d->day, day);
        }
        if (d->kind == RECON_REMITTANCE_LATE) {
            snprintf(late, sizeof late, "%d", (int)d->days_late);
            bank = d->remittance.reference;
            date_format(d->remittance.value_date, value_date);
        }
        snprintf(expected, sizeof expected, "%lld", (long long)d->expected);
        snprintf(actual, sizeof actual, "%lld", (long long)d->actual);
        const char *row[] = {recon_kind_name(d->kind), side_name(d->side), ref, cust, ocust, pcust, ours, partner,
                             day, expected, actual, late, bank, value_date};
        if (csv_write_record(f, row, CSV_NCOLS) != 0)
            return -1;
    }
    return 0;
}

/* What a manager reads: Vietnamese labels. */
static const char *kind_label_vi(recon_kind k)
{
    static const char *labels[RECON_KIND_COUNT] = {
        "Đối tác đã thu, ta chưa gạch nợ", "Ta đã gạch nợ, đối tác không có", "Lệch số tiền",
        "Lệch mã khách hàng",              "Giao dịch trùng",                 "Chưa chuyển tiền về",
        "Chuyển tiền thiếu",               "Chuyển tiền thừa",                "Chuyển tiền trễ hạn",
    };
    return (unsigned)k < RECON_KIND_COUNT ? labels[k] : "?";
}

static int write_xlsx(const char *path, const recon_report *r, const recon_clear_result *cleared, pc_err *e)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return pc_errf(e, PC_EIO, "cannot create '%s'", path);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format *money_fmt = workbook_add_format(wb);
    format_set_num_format(money_fmt, "#,##0");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.00%");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    char day[DATE_FMT_MAX];

    /* Sheet 1: the summary, label and value. */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Tổng hợp");
    worksheet_set_column(ws, 0, 0, 44, NULL);
    worksheet_set_column(ws, 1, 1, 22, NULL);
    worksheet_write_string(ws, 0, 0, "Chỉ tiêu", head);
    worksheet_write_string(ws, 0, 1, "Giá trị", head);
    worksheet_freeze_panes(ws, 1, 0);
    int row = 1;
    char partner[200], window[16];
    snprintf(partner, sizeof partner, "%s — %s", r->partner.code, r->partner.name);
    snprintf(window, sizeof window, "T+%d", r->partner.settlement_days);
    worksheet_write_string(ws, row, 0, "Đối tác thu hộ", bold);
    worksheet_write_string(ws, row++, 1, partner, NULL);
    worksheet_write_string(ws, row, 0, "Ngày đối soát", bold);
    worksheet_write_string(ws, row++, 1, r->date, NULL);
    worksheet_write_string(ws, row, 0, "Thời hạn chuyển tiền", bold);
    worksheet_write_string(ws, row++, 1, window, NULL);
    struct {
        const char *label;
        double v;
        lxw_format *f;
    } lines[] = {
        {"Số giao dịch (mã tham chiếu)", (double)r->sum.transactions, money_fmt},
        {"Số giao dịch khớp", (double)r->sum.matched, money_fmt},
        {"Tỷ lệ khớp", r->match_rate, pct},
        {"Số bút toán của ta", (double)r->sum.ours_lines, money_fmt},
        {"Số dòng sao kê của đối tác", (double)r->sum.partner_lines, money_fmt},
        {"Tổng tiền ta đã gạch nợ (đồng)", (double)r->sum.ours_total, money_fmt},
        {"Tổng tiền đối tác đã thu (đồng)", (double)r->sum.partner_total, money_fmt},
        {"Tổng tiền ngân hàng đã ghi có (đồng)", (double)r->sum.remitted_total, money_fmt},
        {"Giao dịch hủy trong ngày (không tính)", (double)r->reversed, money_fmt},
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        worksheet_write_string(ws, row, 0, lines[i].label, bold);
        worksheet_write_number(ws, row++, 1, lines[i].v, lines[i].f);
    }
    row++;
    worksheet_write_string(ws, row, 0, "Loại chênh lệch", head);
    worksheet_write_string(ws, row++, 1, "Số lượng", head);
    for (int k = 0; k < RECON_KIND_COUNT; k++) {
        worksheet_write_string(ws, row, 0, kind_label_vi((recon_kind)k), NULL);
        worksheet_write_number(ws, row++, 1, (double)r->sum.count[k], money_fmt);
    }
    if (cleared) {
        row++;
        worksheet_write_string(ws, row, 0, "Đã gạch nợ bổ sung (giao dịch)", bold);
        worksheet_write_number(ws, row++, 1, (double)cleared->posted, money_fmt);
        worksheet_write_string(ws, row, 0, "Đã gạch nợ bổ sung (đồng)", bold);
        worksheet_write_number(ws, row++, 1, (double)cleared->amount, money_fmt);
    }

    /* Sheet 2: one row per difference, header frozen, filterable. */
    lxw_worksheet *wd = workbook_add_worksheet(wb, "Chênh lệch");
    static const struct {
        const char *title;
        double width;
    } cols[] = {{"STT", 6},           {"Loại chênh lệch", 32},        {"Mã giao dịch", 20},
                {"Mã khách hàng", 18}, {"Số tiền của ta (đồng)", 16}, {"Số tiền đối tác (đồng)", 16},
                {"Ngày", 12},          {"Phải có (đồng)", 16},        {"Thực có (đồng)", 16},
                {"Chênh lệch (đồng)", 16}, {"Số ngày trễ", 10},       {"Chứng từ ngân hàng", 22},
                {"Ngày ghi có", 12},   {"Ghi chú", 36}};
    const int ncols = (int)(sizeof cols / sizeof *cols);
    for (int c = 0; c < ncols; c++) {
        worksheet_set_column(wd, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL);
        worksheet_write_string(wd, 0, (lxw_col_t)c, cols[c].title, head);
    }
    worksheet_set_row(wd, 0, 32, NULL);
    worksheet_freeze_panes(wd, 1, 0);
    for (size_t i = 0; i < r->ndiffs; i++) {
        const recon_diff *d = &r->diffs[i];
        lxw_row_t y = (lxw_row_t)(i + 1);
        worksheet_write_number(wd, y, 0, (double)(i + 1), NULL);
        worksheet_write_string(wd, y, 1, kind_label_vi(d->kind), NULL);
        char note[160] = "";
        if (txn_level(d->kind)) {
            const recon_txn *t = txn_of(d);
            worksheet_write_string(wd, y, 2, t->txn_ref, NULL);
            worksheet_write_string(wd, y, 3, t->customer_code, NULL);
            if (d->ours.txn_ref[0])
                worksheet_write_number(wd, y, 4, (double)d->ours.amount, money_fmt);
            if (d->partner.txn_ref[0])
                worksheet_write_number(wd, y, 5, (double)d->partner.amount, money_fmt);
            worksheet_write_string(wd, y, 6, date_format(t->date, day), NULL);
            if (d->kind == RECON_CUSTOMER_DIFFERS)
                snprintf(note, sizeof note, "Ta: %s; đối tác: %s", d->ours.customer_code, d->partner.customer_code);
            else if (d->kind == RECON_DUPLICATE)
                snprintf(note, sizeof note, "Trùng ở phía %s", d->side == RECON_SIDE_OURS ? "ta" : "đối tác");
        } else {
            worksheet_write_string(wd, y, 6, date_format(d->day, day), NULL);
        }
        worksheet_write_number(wd, y, 7, (double)d->expected, money_fmt);
        worksheet_write_number(wd, y, 8, (double)d->actual, money_fmt);
        worksheet_write_number(wd, y, 9, (double)(d->actual - d->expected), money_fmt);
        if (d->kind == RECON_REMITTANCE_LATE) {
            worksheet_write_number(wd, y, 10, d->days_late, NULL);
            worksheet_write_string(wd, y, 11, d->remittance.reference, NULL);
            worksheet_write_string(wd, y, 12, date_format(d->remittance.value_date, day), NULL);
        }
        if (note[0])
            worksheet_write_string(wd, y, 13, note, NULL);
    }
    worksheet_autofilter(wd, 0, 0, (lxw_row_t)r->ndiffs, (lxw_col_t)(ncols - 1));
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR)
        return pc_errf(e, PC_EIO, "cannot write '%s': %s", path, lxw_strerror(err));
    return 0;
}

static void write_text(FILE *f, const recon_report *r, const recon_clear_result *cleared)
{
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX], m3[MONEY_FMT_MAX], day[DATE_FMT_MAX];
    if (cleared)
        fprintf(f, "cleared: %ld posted (%s), %ld posted already\n", cleared->posted,
                money_format(cleared->amount, true, m1), cleared->skipped);
    fprintf(f, "%s %s (T+%d): %zu transactions, %zu matched, match rate %.2f%%\n", r->partner.code, r->date,
            r->partner.settlement_days, r->sum.transactions, r->sum.matched, r->match_rate * 100.0);
    fprintf(f, "ours %s in %zu postings; partner %s in %zu lines; remitted %s\n", money_format(r->sum.ours_total, true, m1),
            r->sum.ours_lines, money_format(r->sum.partner_total, true, m2), r->sum.partner_lines,
            money_format(r->sum.remitted_total, true, m3));
    for (size_t i = 0; i < r->ndiffs; i++) {
        const recon_diff *d = &r->diffs[i];
        money_format(d->expected, true, m1);
        money_format(d->actual, true, m2);
        if (txn_level(d->kind)) {
            const recon_txn *t = txn_of(d);
            fprintf(f, "  %-18s %s %s expected %s, ours %s", recon_kind_name(d->kind), t->txn_ref, t->customer_code, m1,
                    m2);
            if (d->kind == RECON_CUSTOMER_DIFFERS)
                fprintf(f, " (ours %s, partner %s)", d->ours.customer_code, d->partner.customer_code);
            if (d->kind == RECON_DUPLICATE)
                fprintf(f, " (%s side)", side_name(d->side));
            fputc('\n', f);
        } else if (d->kind == RECON_REMITTANCE_LATE) {
            fprintf(f, "  %-18s %s %s credited %s, %d days late\n", recon_kind_name(d->kind), d->remittance.reference, m2,
                    date_format(d->remittance.value_date, day), (int)d->days_late);
        } else {
            fprintf(f, "  %-18s %s expected %s, remitted %s\n", recon_kind_name(d->kind), date_format(d->day, day), m1, m2);
        }
    }
}

int cmd_reconcile(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(reconcile_usage, stdout);
        return 0;
    }
    const char *partner = NULL, *date = NULL, *format = "text", *out = NULL;
    bool clear = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--partner", &partner, NULL, NULL, NULL, 0},     {"--date", &date, NULL, NULL, NULL, 0},
                      {"--format", &format, NULL, NULL, NULL, 0},       {"--out", &out, NULL, NULL, NULL, 0},
                      {"--clear-missing", NULL, &clear, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("reconcile", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!partner || !date)
        return cli_usage_error("reconcile", "--partner P and --date YYYY-MM-DD are required");
    bool json = strcmp(format, "json") == 0, csv = strcmp(format, "csv") == 0, xlsx = strcmp(format, "xlsx") == 0;
    if (!json && !csv && !xlsx && strcmp(format, "text") != 0)
        return cli_usage_error("reconcile", "--format '%s': expected text, json, csv or xlsx", format);
    if (xlsx && !out)
        return cli_usage_error("reconcile", "--format xlsx writes a file: give --out FILE.xlsx");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    recon_report r;
    recon_clear_result cleared;
    int rc = clear ? reconcile_clear_missing(d, cli_actor, cfg->utc_offset_minutes, partner, date, &cleared, &r, &e)
                   : reconcile_day(d, partner, date, &r, &e);
    db_close(d);
    if (rc != 0) {
        if (clear)
            recon_clear_result_free(&cleared);
        return cli_fail(&e);
    }
    const recon_clear_result *cl = clear ? &cleared : NULL;
    if (clear && cleared.skipped_refs.len)
        fprintf(stderr, "not posted again (the reference is posted already: on another day, or reversed):\n%s", cleared.skipped_refs.data);
    int status = 0;
    if (xlsx) {
        if (write_xlsx(out, &r, cl, &e) != 0)
            status = cli_fail(&e);
    } else {
        FILE *f = out ? fopen(out, "w") : stdout;
        if (!f) {
            pc_errf(&e, PC_EIO, "cannot create '%s'", out);
            status = cli_fail(&e);
        } else {
            int wrc = 0;
            if (json)
                wrc = write_json(f, &r, cl);
            else if (csv)
                wrc = write_csv(f, &r);
            else
                write_text(f, &r, cl);
            if (out && fclose(f) != 0)
                wrc = -1;
            if (wrc != 0) {
                pc_errf(&e, PC_EIO, "cannot write the report%s%s", out ? " to " : "", out ? out : "");
                status = cli_fail(&e);
            }
        }
    }
    if (cl && status == 0 && !json && (xlsx || csv || out))
        fprintf(stderr, "cleared: %ld posted, %ld posted already\n", cleared.posted, cleared.skipped);
    if (clear)
        recon_clear_result_free(&cleared);
    recon_report_free(&r);
    return status;
}
