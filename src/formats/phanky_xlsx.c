/* The phân kỳ control workbook (see phanky_xlsx.h): sheet "Lệch phân kỳ" lists the exceptions
 * row by row (constant-memory mode: each row goes to disk as it is written, not kept for the
 * end), sheet "Tổng hợp đơn vị" the counts per unit and the total, written at the end. */
#include "formats/phanky_xlsx.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/money.h"

#define FONT "Times New Roman"
#define FILL_HEAD 0xDDEBF7
#define FILL_TOTAL 0xD9E1F2
#define NUM_FMT "#,##0"
#define HEAD_ROW 4 /* title, as-of line, thresholds, blank, then the column names */

struct phanky_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *rows, *units;
    lxw_format *title, *line, *head, *text, *num, *center, *total_text, *total_num;
    lxw_row_t next;
    int64_t listed;
    lxw_error err;
    phanky_report_info info;
    char path[4096];
};

static const char *const status_vi[] = {"Đúng số kỳ", "Cần tăng số kỳ", "Cần giảm số kỳ"};

static lxw_format *cell(lxw_workbook *wb, const char *num_format, bool bold, int fill, uint8_t align)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, FONT);
    format_set_font_size(f, 11);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, 0xA6A6A6);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (align)
        format_set_align(f, align);
    if (num_format)
        format_set_num_format(f, num_format);
    if (bold)
        format_set_bold(f);
    if (fill)
        format_set_bg_color(f, fill);
    return f;
}

static void note(phanky_xlsx *x, lxw_error rc)
{
    if (rc != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
        x->err = rc;
}

/* Title block and column names of a sheet; the rows below the names scroll under them. */
static void heading(phanky_xlsx *x, lxw_worksheet *ws, const char *title, const char *const *cols, const double *widths,
                    int ncols)
{
    char buf[512];
    lxw_col_t last = (lxw_col_t)(ncols - 1);
    note(x, worksheet_merge_range(ws, 0, 0, 0, last, title, x->title));
    snprintf(buf, sizeof buf, "Đơn vị: %s%s%s — đến ngày %.2s/%.2s/%.4s", x->info.scope[0] ? x->info.scope : "toàn bộ",
             x->info.scope_name[0] ? " " : "", x->info.scope_name, x->info.as_of + 8, x->info.as_of + 5, x->info.as_of);
    note(x, worksheet_merge_range(ws, 1, 0, 1, last, buf, x->line));
    char two[MONEY_FMT_MAX], three[MONEY_FMT_MAX]; /* 50.000: Vietnamese thousands, as money prints them */
    money_format(x->info.rules.two_periods_kwh, false, two);
    money_format(x->info.rules.three_periods_kwh, false, three);
    snprintf(buf, sizeof buf,
             "Bình quân 3 tháng có hóa đơn gần nhất: dưới %s kWh/tháng 1 kỳ; từ %s kWh 2 kỳ; từ %s kWh 3 kỳ", two, two,
             three);
    note(x, worksheet_merge_range(ws, 2, 0, 2, last, buf, x->line));
    for (int c = 0; c < ncols; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
        note(x, worksheet_write_string(ws, HEAD_ROW, (lxw_col_t)c, cols[c], x->head));
    }
    worksheet_set_row(ws, HEAD_ROW, 32, NULL);
    worksheet_freeze_panes(ws, HEAD_ROW + 1, 0);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, HEAD_ROW, HEAD_ROW);
}

phanky_xlsx *phanky_xlsx_open(const char *path, const phanky_report_info *info, pc_err *e)
{
    phanky_xlsx *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    snprintf(x->path, sizeof x->path, "%s", path);
    x->info = *info;
    /* temporary files next to the output: the same file system, and room the user chose */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = dir};
    x->wb = workbook_new_opt(path, &opt);
    if (!x->wb) {
        free(x);
        remove(path);
        pc_errf(e, PC_EIO, "%s: cannot start the workbook", path);
        return NULL;
    }
    lxw_doc_properties p = {0};
    p.title = (char *)"Kiểm soát phân kỳ ghi chỉ số";
    p.author = (char *)"powercis";
    p.company = x->info.scope_name;
    workbook_set_properties(x->wb, &p);
    x->title = workbook_add_format(x->wb);
    format_set_font_name(x->title, FONT);
    format_set_font_size(x->title, 14);
    format_set_bold(x->title);
    format_set_align(x->title, LXW_ALIGN_CENTER);
    x->line = workbook_add_format(x->wb);
    format_set_font_name(x->line, FONT);
    format_set_italic(x->line);
    format_set_align(x->line, LXW_ALIGN_CENTER);
    x->head = cell(x->wb, NULL, true, FILL_HEAD, LXW_ALIGN_CENTER);
    format_set_text_wrap(x->head);
    x->text = cell(x->wb, NULL, false, 0, 0);
    x->center = cell(x->wb, NULL, false, 0, LXW_ALIGN_CENTER);
    x->num = cell(x->wb, NUM_FMT, false, 0, 0);
    x->total_text = cell(x->wb, NULL, true, FILL_TOTAL, 0);
    x->total_num = cell(x->wb, NUM_FMT, true, FILL_TOTAL, 0);

    x->rows = workbook_add_worksheet(x->wb, "Lệch phân kỳ");
    x->units = workbook_add_worksheet(x->wb, "Tổng hợp đơn vị");
    static const char *const cols[] = {"STT", "Mã khách hàng", "Tên khách hàng", "Đơn vị", "Tên đơn vị",
                                       "Sản lượng bình quân (kWh/tháng)", "Số tháng tính bình quân",
                                       "Số kỳ theo quy định", "Số kỳ đang áp dụng", "Tình trạng"};
    static const double widths[] = {6, 16, 34, 10, 24, 16, 12, 12, 12, 18};
    heading(x, x->rows, "DANH SÁCH KHÁCH HÀNG LỆCH PHÂN KỲ GHI CHỈ SỐ", cols, widths, 10);
    x->next = HEAD_ROW + 1;
    return x;
}

int phanky_xlsx_row(phanky_xlsx *x, const phanky_row *r, pc_err *e)
{
    if (r->status == PHANKY_OK)
        return 0;
    lxw_worksheet *ws = x->rows;
    lxw_row_t row = x->next++;
    note(x, worksheet_write_number(ws, row, 0, (double)++x->listed, x->center));
    note(x, worksheet_write_string(ws, row, 1, r->customer_code, x->text));
    note(x, worksheet_write_string(ws, row, 2, r->customer_name, x->text));
    note(x, worksheet_write_string(ws, row, 3, r->unit, x->center));
    note(x, worksheet_write_string(ws, row, 4, r->unit_name, x->text));
    note(x, worksheet_write_number(ws, row, 5, (double)r->avg_kwh, x->num));
    note(x, worksheet_write_number(ws, row, 6, r->months, x->center));
    note(x, worksheet_write_number(ws, row, 7, r->required, x->center));
    note(x, worksheet_write_number(ws, row, 8, r->configured, x->center));
    note(x, worksheet_write_string(ws, row, 9, status_vi[r->status], x->text));
    if (x->err != LXW_NO_ERROR)
        return pc_errf(e, PC_EIO, "%s: %s", x->path, lxw_strerror(x->err));
    return 0;
}

static void unit_line(phanky_xlsx *x, lxw_row_t row, const phanky_unit *u, const char *code, const char *name, bool total)
{
    lxw_format *t = total ? x->total_text : x->text, *n = total ? x->total_num : x->num;
    note(x, worksheet_write_string(x->units, row, 0, code, t));
    note(x, worksheet_write_string(x->units, row, 1, name, t));
    const int64_t v[] = {u->checked, u->ok, u->needs_more, u->needs_fewer, u->not_billed};
    for (int c = 0; c < 5; c++)
        note(x, worksheet_write_number(x->units, row, (lxw_col_t)(2 + c), (double)v[c], n));
}

int phanky_xlsx_close(phanky_xlsx *x, const phanky_unit *units, int nunits, const phanky_unit *totals, pc_err *e)
{
    static const char *const cols[] = {"Mã đơn vị", "Tên đơn vị", "Số khách hàng kiểm tra", "Đúng số kỳ",
                                       "Cần tăng số kỳ", "Cần giảm số kỳ", "Chưa có hóa đơn"};
    static const double widths[] = {12, 34, 14, 12, 12, 12, 12};
    heading(x, x->units, "TỔNG HỢP KIỂM SOÁT PHÂN KỲ GHI CHỈ SỐ THEO ĐƠN VỊ", cols, widths, 7);
    lxw_row_t row = HEAD_ROW + 1;
    for (int i = 0; i < nunits; i++)
        unit_line(x, row++, &units[i], units[i].unit, units[i].name, false);
    unit_line(x, row, totals, "", "Cộng", true);
    lxw_error rc = workbook_close(x->wb);
    int status = 0;
    if (x->err != LXW_NO_ERROR || rc != LXW_NO_ERROR) {
        status = pc_errf(e, PC_EIO, "%s: %s", x->path, lxw_strerror(x->err != LXW_NO_ERROR ? x->err : rc));
        remove(x->path);
    }
    free(x);
    return status;
}

void phanky_xlsx_abort(phanky_xlsx *x)
{
    if (!x)
        return;
    workbook_close(x->wb);
    remove(x->path);
    free(x);
}
