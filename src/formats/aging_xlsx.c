/* The aging reports as Excel workbooks (formats/aging_xlsx.h): the layout of a Vietnamese
 * utility report (organisation and national motto, title, as-of date, provisioning scheme,
 * grouped headings, subtotals, a signature block) on top of libxlsxwriter in constant-memory
 * mode, where every row must be written after the one before it and never revisited. */
#include "formats/aging_xlsx.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/money.h"

const char *const aging_class_field[3] = {"residential", "nonresidential", "all"};
const char *const aging_class_heading_vi[3] = {"Sinh hoạt", "Ngoài sinh hoạt", "Cộng"};

/* Cell styles by row kind (a node's "all" row is bold so each group of three reads as one;
 * customer rows are a borderless list, see detail_row). */
enum { ST_ITEM, ST_ITEM_ALL, ST_SUBTOTAL, ST_TOTAL, ST_LIST, ST_COUNT };
enum { K_TEXT, K_CENTER, K_NUM, K_PCT, K_COUNT };

#define FONT "Times New Roman"
#define FILL_HEAD 0xDDEBF7
#define FILL_SUBTOTAL 0xFFF2CC
#define FILL_TOTAL 0xD9E1F2
#define NUM_FMT "#,##0"
#define PCT_FMT "0.00%"

/* Rows kept free below the data for the total rows and the signature block, so a report longer
 * than a sheet continues on the next sheet with room left to close it. */
#define ROWS_RESERVED 24
#define SIGNATURE_ROWS 5

typedef struct {
    lxw_format *cell[ST_COUNT][K_COUNT];
    lxw_format *org, *org_code, *motto, *motto_sub, *title, *subtitle, *as_of, *note, *lock, *unit_note;
    lxw_format *head, *sign_place, *sign_title, *sign_note, *label;
} styles;

/* A worksheet with the first libxlsxwriter error met on it: the hot path only records it and the
 * row function turns it into a pc_err once per row. */
typedef struct {
    lxw_worksheet *ws;
    lxw_error err;
} sheet;

struct aging_xlsx {
    lxw_workbook *wb;
    styles st;
    aging_report_info info;
    bool detail;
    int ncols;
    sheet sh;
    int sheets;           /* data sheets opened */
    lxw_row_t row;        /* next row to write on sh */
    lxw_row_t head_row;   /* the row of column names on sh */
    bool failed;
    pc_err first_error;
    aging_row total[3];
    bool have_total[3];
    char path[4096];
};

/* --- small helpers --- */

static void put_str(sheet *s, lxw_row_t r, lxw_col_t c, const char *v, lxw_format *f)
{
    lxw_error rc = worksheet_write_string(s->ws, r, c, v ? v : "", f);
    if (rc != LXW_NO_ERROR && s->err == LXW_NO_ERROR)
        s->err = rc;
}

static void put_num(sheet *s, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    lxw_error rc = worksheet_write_number(s->ws, r, c, v, f);
    if (rc != LXW_NO_ERROR && s->err == LXW_NO_ERROR)
        s->err = rc;
}

static void put_blank(sheet *s, lxw_row_t r, lxw_col_t c, lxw_format *f)
{
    lxw_error rc = worksheet_write_blank(s->ws, r, c, f);
    if (rc != LXW_NO_ERROR && s->err == LXW_NO_ERROR)
        s->err = rc;
}

/* Text across columns c1..c2 of one row. Merges only within a row: a merge spanning rows would
 * write the lower row before the upper one is finished, which constant-memory mode forbids. */
static void put_across(sheet *s, lxw_row_t r, lxw_col_t c1, lxw_col_t c2, const char *v, lxw_format *f)
{
    if (c2 <= c1) {
        put_str(s, r, c1, v, f);
        return;
    }
    lxw_error rc = worksheet_merge_range(s->ws, r, c1, r, c2, v, f);
    if (rc != LXW_NO_ERROR && s->err == LXW_NO_ERROR)
        s->err = rc;
}

static void set_row_height(sheet *s, lxw_row_t r, double height)
{
    lxw_error rc = worksheet_set_row(s->ws, r, height, NULL);
    if (rc != LXW_NO_ERROR && s->err == LXW_NO_ERROR)
        s->err = rc;
}

static int lxw_fail(pc_err *e, const char *path, lxw_error rc)
{
    if (rc == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
        return pc_errf(e, PC_EINTERNAL, "%s: a cell is outside the sheet or written out of row order (%s)", path,
                       lxw_strerror(rc));
    return pc_errf(e, PC_EIO, "%s: cannot write the workbook: %s", path, lxw_strerror(rc));
}

static double share_of(int64_t part, int64_t whole)
{
    return whole != 0 ? (double)part / (double)whole : 0.0;
}

/* "2021-08-31" -> "31/08/2021"; anything else is shown as given. */
static void date_vi(const char *iso, char out[32])
{
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
        snprintf(out, 32, "%02d/%02d/%04d", d, m, y);
    else
        snprintf(out, 32, "%s", iso);
}

/* "2021-08" -> "08/2021". */
static void month_vi(const char *ym, char out[32])
{
    int y, m;
    if (sscanf(ym, "%4d-%2d", &y, &m) == 2)
        snprintf(out, 32, "%02d/%04d", m, y);
    else
        snprintf(out, 32, "%s", ym);
}

/* The level of the rows in the title ("chi tiết theo …"). */
static const char *by_vi(const char *by)
{
    if (strcmp(by, "customer") == 0)
        return "khách hàng";
    if (strcmp(by, "unit") == 0)
        return "Điện lực";
    if (strcmp(by, "company") == 0)
        return "Công ty Điện lực";
    if (strcmp(by, "corporation") == 0)
        return "Tổng công ty Điện lực";
    return by;
}

static const char *case_status_vi(const char *s)
{
    static const char *const map[][2] = {
        {"monitoring", "Theo dõi"},      {"notified", "Đã thông báo"},        {"disconnected", "Đã cắt điện"},
        {"negotiating", "Đang thương lượng"}, {"in_court", "Khởi kiện"}, {"collected", "Đã thu hồi"},
        {"written_off", "Đã xóa nợ"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(s, map[i][0]) == 0)
            return map[i][1];
    return s;
}

static const char *provision_text_vi(provision_scheme scheme)
{
    if (scheme == PROVISION_SPECIAL)
        return "Trích lập dự phòng theo Thông tư 48/2019/TT-BTC, mức riêng cho nợ bán lẻ của cá nhân: "
               "từ 3 đến dưới 6 tháng 30%, từ 6 đến dưới 9 tháng 50%, từ 9 đến dưới 12 tháng 70%, "
               "từ 12 tháng trở lên 100%";
    return "Trích lập dự phòng theo Thông tư 48/2019/TT-BTC, mức chung: từ 6 tháng đến dưới 1 năm 30%, "
           "từ 1 đến dưới 2 năm 50%, từ 2 đến dưới 3 năm 70%, từ 3 năm trở lên 100%";
}

/* --- workbook and styles --- */

static lxw_format *new_format(lxw_workbook *wb, double size)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, FONT);
    format_set_font_size(f, size);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void make_styles(lxw_workbook *wb, styles *st)
{
    for (int s = 0; s < ST_COUNT; s++)
        for (int k = 0; k < K_COUNT; k++) {
            lxw_format *f = new_format(wb, 11);
            if (s != ST_LIST) {
                format_set_border(f, LXW_BORDER_THIN);
                format_set_border_color(f, 0xA6A6A6);
            }
            if (k == K_CENTER)
                format_set_align(f, LXW_ALIGN_CENTER);
            if (k == K_NUM)
                format_set_num_format(f, NUM_FMT);
            if (k == K_PCT)
                format_set_num_format(f, PCT_FMT);
            if (s == ST_ITEM_ALL || s == ST_SUBTOTAL || s == ST_TOTAL)
                format_set_bold(f);
            if (s == ST_SUBTOTAL)
                format_set_bg_color(f, FILL_SUBTOTAL);
            if (s == ST_TOTAL)
                format_set_bg_color(f, FILL_TOTAL);
            st->cell[s][k] = f;
        }
    st->org = new_format(wb, 12);
    format_set_bold(st->org);
    /* No two formats may be alike: libxlsxwriter caches the style index only on the first of
     * equal formats and hashes the others again for every cell (a third of the export time when
     * it was the customer list's text format). Equal looks share one format instead. */
    st->org_code = st->cell[ST_LIST][K_TEXT];
    st->motto = new_format(wb, 12);
    format_set_bold(st->motto);
    format_set_align(st->motto, LXW_ALIGN_CENTER);
    st->motto_sub = new_format(wb, 12);
    format_set_bold(st->motto_sub);
    format_set_underline(st->motto_sub, LXW_UNDERLINE_SINGLE);
    format_set_align(st->motto_sub, LXW_ALIGN_CENTER);
    st->title = new_format(wb, 16);
    format_set_bold(st->title);
    format_set_align(st->title, LXW_ALIGN_CENTER);
    st->subtitle = st->motto;
    st->as_of = new_format(wb, 12);
    format_set_italic(st->as_of);
    format_set_align(st->as_of, LXW_ALIGN_CENTER);
    st->note = new_format(wb, 10);
    format_set_italic(st->note);
    format_set_align(st->note, LXW_ALIGN_CENTER);
    format_set_text_wrap(st->note);
    st->lock = new_format(wb, 11);
    format_set_bold(st->lock);
    format_set_font_color(st->lock, 0xC00000);
    format_set_align(st->lock, LXW_ALIGN_CENTER);
    st->unit_note = new_format(wb, 11);
    format_set_italic(st->unit_note);
    format_set_align(st->unit_note, LXW_ALIGN_RIGHT);
    st->head = new_format(wb, 11);
    format_set_bold(st->head);
    format_set_align(st->head, LXW_ALIGN_CENTER);
    format_set_text_wrap(st->head);
    format_set_border(st->head, LXW_BORDER_THIN);
    format_set_bg_color(st->head, FILL_HEAD);
    st->sign_place = st->as_of;
    st->sign_title = st->motto;
    st->sign_note = new_format(wb, 11);
    format_set_italic(st->sign_note);
    format_set_align(st->sign_note, LXW_ALIGN_CENTER);
    st->label = new_format(wb, 11);
    format_set_bold(st->label);
}

/* Checks up front that the file can be created (a million rows later is a poor time to learn the
 * folder is read-only) and opens the workbook with its temporary files beside it: /tmp may be
 * memory-backed, and the destination has room for the data anyway. */
static lxw_workbook *open_workbook(const char *path, bool constant_memory, pc_err *e)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        pc_errf(e, PC_EIO, "%s: cannot create the workbook: %s", path, strerror(errno));
        return NULL;
    }
    fclose(f);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    lxw_workbook_options opt = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE, .tmpdir = dir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        remove(path);
        pc_errf(e, PC_EIO, "%s: cannot start the workbook (out of memory?)", path);
    }
    return wb;
}

static void set_properties(lxw_workbook *wb, const char *title, const aging_report_info *info)
{
    lxw_doc_properties p = {0};
    p.title = (char *)title;
    p.subject = (char *)"Tuổi nợ tiền điện";
    p.author = (char *)"powercis";
    p.company = (char *)info->scope_name;
    p.comments = (char *)provision_text_vi(info->scheme);
    workbook_set_properties(wb, &p);
}

static void page_setup(lxw_worksheet *ws, lxw_row_t head_first, lxw_row_t head_last)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.6);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, head_first, head_last);
    worksheet_set_footer(ws, "&C&\"" FONT ",Italic\"&9Trang &P/&N");
}

/* The top of every report sheet: organisation and national motto, title, subtitle, as-of line,
 * provisioning scheme, the lock note, the unit of amounts. Returns the next free row. */
static lxw_row_t title_block(sheet *s, const styles *st, int ncols, const aging_report_info *info, const char *title,
                             const char *subtitle, const char *as_of_line)
{
    lxw_col_t last = (lxw_col_t)(ncols - 1), right = (lxw_col_t)(ncols - 5);
    char buf[512];
    lxw_row_t r = 0;
    put_str(s, r, 0, info->scope_name[0] ? info->scope_name : info->scope, st->org);
    put_across(s, r, right, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st->motto);
    r++;
    snprintf(buf, sizeof buf, "Mã đơn vị: %s", info->scope);
    put_str(s, r, 0, buf, st->org_code);
    put_across(s, r, right, last, "Độc lập - Tự do - Hạnh phúc", st->motto_sub);
    r += 2;
    set_row_height(s, r, 24);
    put_across(s, r, 0, last, title, st->title);
    r++;
    put_across(s, r, 0, last, subtitle, st->subtitle);
    r++;
    put_across(s, r, 0, last, as_of_line, st->as_of);
    r++;
    put_across(s, r, 0, last, provision_text_vi(info->scheme), st->note);
    r++;
    if (info->lock_id > 0) {
        snprintf(buf, sizeof buf, "Số liệu đã khóa sổ (khóa số %lld)", (long long)info->lock_id);
        put_across(s, r, 0, last, buf, st->lock);
        r++;
    }
    put_across(s, r, right, last, "Đơn vị tính: đồng", st->unit_note);
    return r + 1;
}

/* The signature block under a report. Returns the next free row. */
static lxw_row_t signature_block(sheet *s, const styles *st, int ncols, lxw_row_t r)
{
    lxw_col_t last = (lxw_col_t)(ncols - 1), right = (lxw_col_t)(ncols - 5);
    lxw_col_t mid1 = (lxw_col_t)(ncols / 2 - 2), mid2 = (lxw_col_t)(ncols / 2);
    r++;
    put_across(s, r, right, last, "…………, ngày …… tháng …… năm ………", st->sign_place);
    r++;
    put_across(s, r, 0, 2, "NGƯỜI LẬP BIỂU", st->sign_title);
    put_across(s, r, mid1, mid2, "KẾ TOÁN TRƯỞNG", st->sign_title);
    put_across(s, r, right, last, "GIÁM ĐỐC", st->sign_title);
    r++;
    put_across(s, r, 0, 2, "(Ký, ghi rõ họ tên)", st->sign_note);
    put_across(s, r, mid1, mid2, "(Ký, ghi rõ họ tên)", st->sign_note);
    put_across(s, r, right, last, "(Ký, ghi rõ họ tên, đóng dấu)", st->sign_note);
    return r + 1;
}

/* --- the aging report --- */

enum { S_CODE, S_NAME, S_CLASS, S_CUSTOMERS, S_BUCKET0, S_TOTAL = S_BUCKET0 + AGING_BUCKETS, S_PROVISION, S_SHARE0,
       S_NCOLS = S_SHARE0 + AGING_BUCKETS - 1 };
enum { D_CODE, D_NAME, D_ADDRESS, D_UNIT, D_CLASS, D_BUCKET0, D_TOTAL = D_BUCKET0 + AGING_BUCKETS, D_PROVISION,
       D_STATUS, D_DOCUMENTS, D_NCOLS };

static void set_columns(aging_xlsx *x)
{
    lxw_worksheet *ws = x->sh.ws;
    if (x->detail) {
        worksheet_set_column(ws, D_CODE, D_CODE, 15, NULL);
        worksheet_set_column(ws, D_NAME, D_NAME, 28, NULL);
        worksheet_set_column(ws, D_ADDRESS, D_ADDRESS, 40, NULL);
        worksheet_set_column(ws, D_UNIT, D_UNIT, 10, NULL);
        worksheet_set_column(ws, D_CLASS, D_CLASS, 15, NULL);
        worksheet_set_column(ws, D_BUCKET0, D_BUCKET0 + AGING_BUCKETS - 1, 15, NULL);
        worksheet_set_column(ws, D_TOTAL, D_PROVISION, 17, NULL);
        worksheet_set_column(ws, D_STATUS, D_STATUS, 18, NULL);
        worksheet_set_column(ws, D_DOCUMENTS, D_DOCUMENTS, 9, NULL);
    } else {
        worksheet_set_column(ws, S_CODE, S_CODE, 11, NULL);
        worksheet_set_column(ws, S_NAME, S_NAME, 32, NULL);
        worksheet_set_column(ws, S_CLASS, S_CLASS, 15, NULL);
        worksheet_set_column(ws, S_CUSTOMERS, S_CUSTOMERS, 11, NULL);
        worksheet_set_column(ws, S_BUCKET0, S_BUCKET0 + AGING_BUCKETS - 1, 17, NULL);
        worksheet_set_column(ws, S_TOTAL, S_PROVISION, 19, NULL);
        worksheet_set_column(ws, S_SHARE0, S_SHARE0 + AGING_BUCKETS - 2, 10, NULL);
    }
}

/* Two heading rows: groups (amounts by age, shares) above the column names. */
static void column_heads(aging_xlsx *x)
{
    sheet *s = &x->sh;
    const styles *st = &x->st;
    lxw_row_t r = x->row;
    int b0 = x->detail ? D_BUCKET0 : S_BUCKET0;
    for (int c = 0; c < x->ncols; c++)
        if (c < b0 || c >= b0 + AGING_BUCKETS)
            if (x->detail || c < S_SHARE0)
                put_blank(s, r, (lxw_col_t)c, st->head);
    put_across(s, r, (lxw_col_t)b0, (lxw_col_t)(b0 + AGING_BUCKETS - 1), "Nợ phải thu theo tuổi nợ", st->head);
    if (!x->detail)
        put_across(s, r, S_SHARE0, S_NCOLS - 1, "Tỷ trọng nợ quá hạn trên tổng nợ", st->head);
    r++;
    set_row_height(s, r, 48);
    if (x->detail) {
        static const char *const fixed[] = {"Mã khách hàng", "Tên khách hàng", "Địa chỉ", "Đơn vị", "Đối tượng"};
        for (int c = 0; c < D_BUCKET0; c++)
            put_str(s, r, (lxw_col_t)c, fixed[c], st->head);
        for (int b = 0; b < AGING_BUCKETS; b++)
            put_str(s, r, (lxw_col_t)(D_BUCKET0 + b), aging_bucket_heading_vi[b], st->head);
        put_str(s, r, D_TOTAL, "Tổng nợ", st->head);
        put_str(s, r, D_PROVISION, "Dự phòng", st->head);
        put_str(s, r, D_STATUS, "Tình trạng vụ việc", st->head);
        put_str(s, r, D_DOCUMENTS, "Số tài liệu", st->head);
    } else {
        static const char *const fixed[] = {"Mã đơn vị", "Tên đơn vị", "Đối tượng", "Số khách hàng"};
        for (int c = 0; c < S_BUCKET0; c++)
            put_str(s, r, (lxw_col_t)c, fixed[c], st->head);
        for (int b = 0; b < AGING_BUCKETS; b++)
            put_str(s, r, (lxw_col_t)(S_BUCKET0 + b), aging_bucket_heading_vi[b], st->head);
        put_str(s, r, S_TOTAL, "Tổng nợ", st->head);
        put_str(s, r, S_PROVISION, "Dự phòng", st->head);
        for (int b = 1; b < AGING_BUCKETS; b++)
            put_str(s, r, (lxw_col_t)(S_SHARE0 + b - 1), aging_bucket_heading_vi[b], st->head);
    }
    x->head_row = r;
    x->row = r + 1;
}

/* Opens a data sheet: the first, or a continuation when a report outgrows Excel's row limit. */
static int begin_sheet(aging_xlsx *x, pc_err *e)
{
    char name[32];
    if (x->sheets == 0)
        snprintf(name, sizeof name, "Tuổi nợ");
    else
        snprintf(name, sizeof name, "Tuổi nợ (%d)", x->sheets + 1);
    x->sh.ws = workbook_add_worksheet(x->wb, name);
    if (!x->sh.ws)
        return pc_errf(e, PC_EIO, "%s: cannot add the sheet '%s'", x->path, name);
    x->sh.err = LXW_NO_ERROR;
    x->sheets++;
    set_columns(x);
    char as_of[32], line[160], subtitle[160];
    date_vi(x->info.as_of, as_of);
    if (x->sheets == 1)
        snprintf(line, sizeof line, "Đến ngày %s", as_of);
    else
        snprintf(line, sizeof line, "Đến ngày %s (tiếp theo, phần %d)", as_of, x->sheets);
    snprintf(subtitle, sizeof subtitle, "Tình hình nợ quá hạn, nợ khó đòi - chi tiết theo %s", by_vi(x->info.by));
    x->row = title_block(&x->sh, &x->st, x->ncols, &x->info, "BÁO CÁO TUỔI NỢ TIỀN ĐIỆN", subtitle, line);
    lxw_row_t head_first = x->row;
    column_heads(x);
    worksheet_freeze_panes(x->sh.ws, x->row, x->detail ? D_ADDRESS : S_CLASS);
    page_setup(x->sh.ws, head_first, x->head_row);
    if (x->sh.err != LXW_NO_ERROR)
        return lxw_fail(e, x->path, x->sh.err);
    return 0;
}

/* The filter buttons on the column names, over the rows written so far. */
static void end_sheet(aging_xlsx *x)
{
    if (x->row > x->head_row + 1)
        worksheet_autofilter(x->sh.ws, x->head_row, 0, x->row - 1, (lxw_col_t)(x->ncols - 1));
}

aging_xlsx *aging_xlsx_open(const char *path, const aging_report_info *info, pc_err *e)
{
    if (strlen(path) >= sizeof((aging_xlsx *)0)->path) {
        pc_errf(e, PC_EINVAL, "%s: the path is too long", path);
        return NULL;
    }
    aging_xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        pc_errf(e, PC_EINTERNAL, "%s: out of memory", path);
        return NULL;
    }
    snprintf(x->path, sizeof x->path, "%s", path);
    x->info = *info;
    x->detail = strcmp(info->by, "customer") == 0;
    x->ncols = x->detail ? D_NCOLS : S_NCOLS;
    x->wb = open_workbook(path, true, e);
    if (!x->wb) {
        free(x);
        return NULL;
    }
    make_styles(x->wb, &x->st);
    set_properties(x->wb, "Báo cáo tuổi nợ tiền điện", info);
    if (begin_sheet(x, e) != 0) {
        aging_xlsx_abort(x);
        return NULL;
    }
    return x;
}

static void summary_row(aging_xlsx *x, const aging_row *r, int style)
{
    sheet *s = &x->sh;
    lxw_format *const *f = x->st.cell[style];
    lxw_row_t row = x->row;
    char name[300];
    const char *shown = r->scope_name;
    if (r->kind == AGING_ROW_SUBTOTAL) {
        snprintf(name, sizeof name, "Cộng %s", r->scope_name);
        shown = name;
    } else if (r->kind == AGING_ROW_TOTAL) {
        shown = "TỔNG CỘNG";
    }
    put_str(s, row, S_CODE, r->scope, f[K_TEXT]);
    put_str(s, row, S_NAME, shown, f[K_TEXT]);
    put_str(s, row, S_CLASS, aging_class_heading_vi[r->cls], f[K_TEXT]);
    put_num(s, row, S_CUSTOMERS, (double)r->customers, f[K_NUM]);
    for (int b = 0; b < AGING_BUCKETS; b++)
        put_num(s, row, (lxw_col_t)(S_BUCKET0 + b), (double)r->amount[b], f[K_NUM]);
    put_num(s, row, S_TOTAL, (double)r->total, f[K_NUM]);
    put_num(s, row, S_PROVISION, (double)r->provision, f[K_NUM]);
    for (int b = 1; b < AGING_BUCKETS; b++)
        put_num(s, row, (lxw_col_t)(S_SHARE0 + b - 1), share_of(r->amount[b], r->total), f[K_PCT]);
}

/* A customer row carries only what is there: zero amounts, an empty address and a missing debt
 * case are left out (empty cells; SUM, filters and sorting read them as nothing owed). A million
 * rows are mostly zeros, since most customers owe only this month's bill: leaving them out makes
 * the sheet a third smaller and the export about 40% faster, and writing empty cells instead
 * costs as much as writing the zeros. So the list has no cell borders (a border on some cells and
 * not others reads as a gap, and a row-wide style would draw them across all 16,384 columns).
 * Total rows carry every figure, zeros included, with borders. */
static void detail_row(aging_xlsx *x, const aging_row *r, int style)
{
    sheet *s = &x->sh;
    lxw_format *const *f = x->st.cell[style];
    lxw_row_t row = x->row;
    if (r->kind == AGING_ROW_ITEM) {
        put_str(s, row, D_CODE, r->customer_code, f[K_TEXT]);
        put_str(s, row, D_NAME, r->name, f[K_TEXT]);
        if (r->address[0])
            put_str(s, row, D_ADDRESS, r->address, f[K_TEXT]);
        put_str(s, row, D_UNIT, r->scope, f[K_CENTER]);
        put_str(s, row, D_CLASS, aging_class_heading_vi[r->cls], f[K_TEXT]);
        for (int b = 0; b < AGING_BUCKETS; b++)
            if (r->amount[b] != 0)
                put_num(s, row, (lxw_col_t)(D_BUCKET0 + b), (double)r->amount[b], f[K_NUM]);
        put_num(s, row, D_TOTAL, (double)r->total, f[K_NUM]);
        if (r->provision != 0)
            put_num(s, row, D_PROVISION, (double)r->provision, f[K_NUM]);
        if (r->case_status[0] || r->documents > 0) {
            put_str(s, row, D_STATUS, case_status_vi(r->case_status), f[K_TEXT]);
            put_num(s, row, D_DOCUMENTS, (double)r->documents, f[K_NUM]);
        }
        return;
    }
    char label[300], count[MONEY_FMT_MAX];
    if (r->kind == AGING_ROW_TOTAL)
        snprintf(label, sizeof label, "TỔNG CỘNG");
    else
        snprintf(label, sizeof label, "Cộng %s", r->scope_name);
    put_str(s, row, D_CODE, label, f[K_TEXT]);
    snprintf(label, sizeof label, "%s khách hàng", money_format(r->customers, false, count));
    put_str(s, row, D_NAME, label, f[K_TEXT]);
    put_blank(s, row, D_ADDRESS, f[K_TEXT]);
    put_str(s, row, D_UNIT, r->scope, f[K_CENTER]);
    put_str(s, row, D_CLASS, aging_class_heading_vi[r->cls], f[K_TEXT]);
    for (int b = 0; b < AGING_BUCKETS; b++)
        put_num(s, row, (lxw_col_t)(D_BUCKET0 + b), (double)r->amount[b], f[K_NUM]);
    put_num(s, row, D_TOTAL, (double)r->total, f[K_NUM]);
    put_num(s, row, D_PROVISION, (double)r->provision, f[K_NUM]);
    put_blank(s, row, D_STATUS, f[K_TEXT]);
    put_blank(s, row, D_DOCUMENTS, f[K_NUM]);
}

static int record_failure(aging_xlsx *x, pc_err *e)
{
    x->failed = true;
    if (e)
        x->first_error = *e;
    return -1;
}

int aging_xlsx_row(aging_xlsx *x, const aging_row *r, pc_err *e)
{
    pc_err scratch = {0};
    if (!e) /* the first error is kept for close either way */
        e = &scratch;
    if (x->failed)
        return pc_errf(e, x->first_error.code, "%s", x->first_error.msg);
    if ((unsigned)r->cls > AGING_CLASS_ALL || (unsigned)r->kind > AGING_ROW_TOTAL) {
        pc_errf(e, PC_EINTERNAL, "%s: row with an unknown class or kind", x->path);
        return record_failure(x, e);
    }
    /* Items leave room for what closes a sheet; the closing rows themselves only the last few. */
    if (x->row >= LXW_ROW_MAX - (r->kind == AGING_ROW_ITEM ? ROWS_RESERVED : SIGNATURE_ROWS)) {
        end_sheet(x);
        if (begin_sheet(x, e) != 0)
            return record_failure(x, e);
    }
    int style = r->kind == AGING_ROW_TOTAL      ? ST_TOTAL
                : r->kind == AGING_ROW_SUBTOTAL ? ST_SUBTOTAL
                : x->detail                      ? ST_LIST
                : r->cls == AGING_CLASS_ALL      ? ST_ITEM_ALL
                                                 : ST_ITEM;
    if (x->detail)
        detail_row(x, r, style);
    else
        summary_row(x, r, style);
    if (x->sh.err != LXW_NO_ERROR) {
        lxw_fail(e, x->path, x->sh.err);
        return record_failure(x, e);
    }
    x->row++;
    if (r->kind == AGING_ROW_TOTAL) {
        x->total[r->cls] = *r;
        x->have_total[r->cls] = true;
    }
    return 0;
}

/* The chart sheet: the TOTAL rows as a small table (constant-memory charts can only point at
 * cells already written) and two charts over it, the shares of the buckets and the amounts by
 * class. */
enum { C_HEAD_ROW = 4, C_FIRST = C_HEAD_ROW + 1, C_LAST = C_FIRST + AGING_BUCKETS - 1 };

static int chart_sheet(aging_xlsx *x, pc_err *e)
{
    static const char name[] = "Biểu đồ";
    sheet s = {workbook_add_worksheet(x->wb, name), LXW_NO_ERROR};
    if (!s.ws)
        return pc_errf(e, PC_EIO, "%s: cannot add the sheet '%s'", x->path, name);
    const styles *st = &x->st;
    char buf[300], as_of[32];
    date_vi(x->info.as_of, as_of);
    worksheet_set_column(s.ws, 0, 0, 26, NULL);
    worksheet_set_column(s.ws, 1, 3, 19, NULL);
    worksheet_set_column(s.ws, 4, 4, 11, NULL);
    put_str(&s, 0, 0, x->info.scope_name[0] ? x->info.scope_name : x->info.scope, st->org);
    put_str(&s, 1, 0, "CƠ CẤU NỢ PHẢI THU TIỀN ĐIỆN THEO TUỔI NỢ", st->label);
    snprintf(buf, sizeof buf, "Đến ngày %s - đơn vị tính: đồng", as_of);
    put_str(&s, 2, 0, buf, st->org_code);
    set_row_height(&s, C_HEAD_ROW, 32);
    put_str(&s, C_HEAD_ROW, 0, "Tuổi nợ", st->head);
    for (int c = 0; c < 3; c++)
        put_str(&s, C_HEAD_ROW, (lxw_col_t)(1 + c), aging_class_heading_vi[c], st->head);
    put_str(&s, C_HEAD_ROW, 4, "Tỷ trọng", st->head);
    const aging_row *all = &x->total[AGING_CLASS_ALL];
    for (int b = 0; b < AGING_BUCKETS; b++) {
        lxw_row_t r = (lxw_row_t)(C_FIRST + b);
        put_str(&s, r, 0, aging_bucket_heading_vi[b], st->cell[ST_ITEM][K_TEXT]);
        for (int c = 0; c < 3; c++)
            put_num(&s, r, (lxw_col_t)(1 + c), (double)x->total[c].amount[b], st->cell[ST_ITEM][K_NUM]);
        put_num(&s, r, 4, share_of(all->amount[b], all->total), st->cell[ST_ITEM][K_PCT]);
    }
    lxw_format *const *tf = st->cell[ST_TOTAL];
    static const char *const sums[] = {"Tổng nợ", "Dự phòng", "Số khách hàng"};
    for (int i = 0; i < 3; i++) {
        lxw_row_t r = (lxw_row_t)(C_LAST + 1 + i);
        put_str(&s, r, 0, sums[i], tf[K_TEXT]);
        for (int c = 0; c < 3; c++) {
            const aging_row *t = &x->total[c];
            put_num(&s, r, (lxw_col_t)(1 + c), (double)(i == 0 ? t->total : i == 1 ? t->provision : t->customers),
                    tf[K_NUM]);
        }
        if (i == 0)
            put_num(&s, r, 4, all->total != 0 ? 1.0 : 0.0, tf[K_PCT]);
        else
            put_blank(&s, r, 4, tf[K_PCT]);
    }
    if (s.err != LXW_NO_ERROR)
        return lxw_fail(e, x->path, s.err);

    lxw_chart_font title_font = {.name = (char *)FONT, .size = 12, .bold = LXW_TRUE};
    lxw_chart_font text_font = {.name = (char *)FONT, .size = 10};
    lxw_chart *pie = workbook_add_chart(x->wb, LXW_CHART_PIE);
    lxw_chart *cols = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED);
    if (!pie || !cols)
        return pc_errf(e, PC_EIO, "%s: cannot add the charts", x->path);
    lxw_chart_series *ser = chart_add_series(pie, NULL, NULL);
    chart_series_set_categories(ser, name, C_FIRST, 0, C_LAST, 0);
    chart_series_set_values(ser, name, C_FIRST, 3, C_LAST, 3);
    chart_series_set_name(ser, "Cộng");
    /* Percentages only; libxlsxwriter shows the value too unless the options come after. */
    chart_series_set_labels_percentage(ser);
    chart_series_set_labels_options(ser, LXW_FALSE, LXW_FALSE, LXW_FALSE);
    chart_series_set_labels_position(ser, LXW_CHART_LABEL_POSITION_BEST_FIT);
    chart_series_set_labels_font(ser, &text_font);
    chart_title_set_name(pie, "Cơ cấu nợ theo tuổi nợ");
    chart_title_set_name_font(pie, &title_font);
    chart_legend_set_position(pie, LXW_CHART_LEGEND_RIGHT);
    chart_legend_set_font(pie, &text_font);
    for (int c = 0; c < 2; c++) {
        ser = chart_add_series(cols, NULL, NULL);
        chart_series_set_categories(ser, name, C_FIRST, 0, C_LAST, 0);
        chart_series_set_values(ser, name, C_FIRST, (lxw_col_t)(1 + c), C_LAST, (lxw_col_t)(1 + c));
        chart_series_set_name_range(ser, name, C_HEAD_ROW, (lxw_col_t)(1 + c));
    }
    chart_title_set_name(cols, "Nợ theo tuổi nợ và đối tượng (đồng)");
    chart_title_set_name_font(cols, &title_font);
    chart_legend_set_position(cols, LXW_CHART_LEGEND_BOTTOM);
    chart_legend_set_font(cols, &text_font);
    lxw_chart_axis *y = chart_axis_get(cols, LXW_CHART_AXIS_TYPE_Y);
    chart_axis_set_num_format(y, NUM_FMT);
    chart_axis_set_num_font(y, &text_font);
    chart_axis_set_num_font(chart_axis_get(cols, LXW_CHART_AXIS_TYPE_X), &text_font);
    lxw_chart_options big = {.x_scale = 1.3, .y_scale = 1.3};
    lxw_chart_options wide = {.x_scale = 1.9, .y_scale = 1.3};
    lxw_error rc = worksheet_insert_chart_opt(s.ws, 1, 6, pie, &big);
    if (rc == LXW_NO_ERROR)
        rc = worksheet_insert_chart_opt(s.ws, C_LAST + 6, 0, cols, &wide);
    if (rc != LXW_NO_ERROR)
        return lxw_fail(e, x->path, rc);
    page_setup(s.ws, C_HEAD_ROW, C_HEAD_ROW);
    return 0;
}

void aging_xlsx_abort(aging_xlsx *x)
{
    if (!x)
        return;
    /* libxlsxwriter has no discard: write the workbook out and delete it. */
    workbook_close(x->wb);
    remove(x->path);
    free(x);
}

int aging_xlsx_close(aging_xlsx *x, pc_err *e)
{
    if (!x)
        return pc_errf(e, PC_EINTERNAL, "no workbook to close");
    if (x->failed) {
        pc_err first = x->first_error;
        aging_xlsx_abort(x);
        return pc_errf(e, first.code, "%s", first.msg);
    }
    end_sheet(x);
    x->row = signature_block(&x->sh, &x->st, x->ncols, x->row);
    if (x->sh.err != LXW_NO_ERROR) {
        lxw_fail(e, x->path, x->sh.err);
        aging_xlsx_abort(x);
        return -1;
    }
    if (chart_sheet(x, e) != 0) {
        aging_xlsx_abort(x);
        return -1;
    }
    lxw_error rc = workbook_close(x->wb);
    int out = 0;
    if (rc != LXW_NO_ERROR) {
        out = lxw_fail(e, x->path, rc);
        remove(x->path);
    }
    free(x);
    return out;
}

/* --- the trend --- */

enum { T_MONTH, T_AS_OF, T_CLASS, T_CUSTOMERS, T_BUCKET0, T_TOTAL = T_BUCKET0 + AGING_BUCKETS, T_PROVISION, T_NCOLS };

/* The chart sheet of the trend: the class "all" rows, one per month, and a stacked column per
 * month of its buckets. */
static int trend_chart_sheet(lxw_workbook *wb, const styles *st, const char *path, const aging_trend_row *rows, int n,
                             pc_err *e)
{
    static const char name[] = "Biểu đồ";
    sheet s = {workbook_add_worksheet(wb, name), LXW_NO_ERROR};
    if (!s.ws)
        return pc_errf(e, PC_EIO, "%s: cannot add the sheet '%s'", path, name);
    worksheet_set_column(s.ws, 0, 0, 10, NULL);
    worksheet_set_column(s.ws, 1, AGING_BUCKETS + 1, 17, NULL);
    put_str(&s, 0, 0, "TỔNG NỢ THEO TUỔI NỢ CUỐI MỖI THÁNG (CỘNG CÁC ĐỐI TƯỢNG, ĐỒNG)", st->label);
    lxw_row_t head = 2;
    set_row_height(&s, head, 48);
    put_str(&s, head, 0, "Tháng", st->head);
    for (int b = 0; b < AGING_BUCKETS; b++)
        put_str(&s, head, (lxw_col_t)(1 + b), aging_bucket_heading_vi[b], st->head);
    put_str(&s, head, AGING_BUCKETS + 1, "Tổng nợ", st->head);
    lxw_row_t r = head + 1;
    for (int i = 0; i < n; i++) {
        if (rows[i].cls != AGING_CLASS_ALL)
            continue;
        char month[32];
        month_vi(rows[i].month, month);
        put_str(&s, r, 0, month, st->cell[ST_ITEM][K_CENTER]);
        for (int b = 0; b < AGING_BUCKETS; b++)
            put_num(&s, r, (lxw_col_t)(1 + b), (double)rows[i].amount[b], st->cell[ST_ITEM][K_NUM]);
        put_num(&s, r, AGING_BUCKETS + 1, (double)rows[i].total, st->cell[ST_ITEM][K_NUM]);
        r++;
    }
    if (s.err != LXW_NO_ERROR)
        return lxw_fail(e, path, s.err);
    if (r == head + 1)
        return 0; /* no month to draw */
    lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN_STACKED);
    if (!chart)
        return pc_errf(e, PC_EIO, "%s: cannot add the chart", path);
    for (int b = 0; b < AGING_BUCKETS; b++) {
        lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(ser, name, head + 1, 0, r - 1, 0);
        chart_series_set_values(ser, name, head + 1, (lxw_col_t)(1 + b), r - 1, (lxw_col_t)(1 + b));
        chart_series_set_name_range(ser, name, head, (lxw_col_t)(1 + b));
    }
    lxw_chart_font title_font = {.name = (char *)FONT, .size = 12, .bold = LXW_TRUE};
    lxw_chart_font text_font = {.name = (char *)FONT, .size = 10};
    chart_title_set_name(chart, "Nợ phải thu theo tuổi nợ qua các tháng (đồng)");
    chart_title_set_name_font(chart, &title_font);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_legend_set_font(chart, &text_font);
    lxw_chart_axis *y = chart_axis_get(chart, LXW_CHART_AXIS_TYPE_Y);
    chart_axis_set_num_format(y, NUM_FMT);
    chart_axis_set_num_font(y, &text_font);
    chart_axis_set_num_font(chart_axis_get(chart, LXW_CHART_AXIS_TYPE_X), &text_font);
    chart_set_series_gap(chart, 60);
    lxw_chart_options wide = {.x_scale = 2.2, .y_scale = 1.5};
    lxw_error rc = worksheet_insert_chart_opt(s.ws, r + 1, 0, chart, &wide);
    if (rc != LXW_NO_ERROR)
        return lxw_fail(e, path, rc);
    page_setup(s.ws, head, head);
    return 0;
}

static int trend_main_sheet(lxw_workbook *wb, const styles *st, const char *path, const aging_report_info *info,
                            const aging_trend_row *rows, int n, pc_err *e)
{
    sheet s = {workbook_add_worksheet(wb, "Xu hướng"), LXW_NO_ERROR};
    if (!s.ws)
        return pc_errf(e, PC_EIO, "%s: cannot add the sheet 'Xu hướng'", path);
    worksheet_set_column(s.ws, T_MONTH, T_MONTH, 10, NULL);
    worksheet_set_column(s.ws, T_AS_OF, T_AS_OF, 12, NULL);
    worksheet_set_column(s.ws, T_CLASS, T_CLASS, 15, NULL);
    worksheet_set_column(s.ws, T_CUSTOMERS, T_CUSTOMERS, 11, NULL);
    worksheet_set_column(s.ws, T_BUCKET0, T_BUCKET0 + AGING_BUCKETS - 1, 17, NULL);
    worksheet_set_column(s.ws, T_TOTAL, T_PROVISION, 19, NULL);

    char line[160], first[32], last[32];
    if (n > 0) {
        month_vi(rows[0].month, first);
        month_vi(rows[n - 1].month, last);
        snprintf(line, sizeof line, "Từ tháng %s đến tháng %s (số dư cuối mỗi tháng)", first, last);
    } else {
        snprintf(line, sizeof line, "Không có tháng nào trong khoảng đã chọn");
    }
    lxw_row_t r = title_block(&s, st, T_NCOLS, info, "BÁO CÁO XU HƯỚNG TUỔI NỢ TIỀN ĐIỆN",
                              "Nợ phải thu theo tuổi nợ qua các tháng", line);
    lxw_row_t head_first = r;
    for (int c = 0; c < T_NCOLS; c++)
        if (c < T_BUCKET0 || c >= T_BUCKET0 + AGING_BUCKETS)
            put_blank(&s, r, (lxw_col_t)c, st->head);
    put_across(&s, r, T_BUCKET0, T_BUCKET0 + AGING_BUCKETS - 1, "Nợ phải thu theo tuổi nợ", st->head);
    r++;
    set_row_height(&s, r, 48);
    static const char *const fixed[] = {"Tháng", "Đến ngày", "Đối tượng", "Số khách hàng"};
    for (int c = 0; c < T_BUCKET0; c++)
        put_str(&s, r, (lxw_col_t)c, fixed[c], st->head);
    for (int b = 0; b < AGING_BUCKETS; b++)
        put_str(&s, r, (lxw_col_t)(T_BUCKET0 + b), aging_bucket_heading_vi[b], st->head);
    put_str(&s, r, T_TOTAL, "Tổng nợ", st->head);
    put_str(&s, r, T_PROVISION, "Dự phòng", st->head);
    lxw_row_t head = r++;
    worksheet_freeze_panes(s.ws, r, T_CUSTOMERS);
    for (int i = 0; i < n; i++, r++) {
        const aging_trend_row *t = &rows[i];
        lxw_format *const *f = st->cell[t->cls == AGING_CLASS_ALL ? ST_ITEM_ALL : ST_ITEM];
        char month[32], as_of[32];
        month_vi(t->month, month);
        date_vi(t->as_of, as_of);
        put_str(&s, r, T_MONTH, month, f[K_CENTER]);
        put_str(&s, r, T_AS_OF, as_of, f[K_CENTER]);
        put_str(&s, r, T_CLASS, aging_class_heading_vi[t->cls], f[K_TEXT]);
        put_num(&s, r, T_CUSTOMERS, (double)t->customers, f[K_NUM]);
        for (int b = 0; b < AGING_BUCKETS; b++)
            put_num(&s, r, (lxw_col_t)(T_BUCKET0 + b), (double)t->amount[b], f[K_NUM]);
        put_num(&s, r, T_TOTAL, (double)t->total, f[K_NUM]);
        put_num(&s, r, T_PROVISION, (double)t->provision, f[K_NUM]);
    }
    if (n > 0)
        worksheet_autofilter(s.ws, head, 0, r - 1, T_NCOLS - 1);
    signature_block(&s, st, T_NCOLS, r);
    page_setup(s.ws, head_first, head);
    if (s.err != LXW_NO_ERROR)
        return lxw_fail(e, path, s.err);
    return 0;
}

int aging_trend_xlsx_write(const char *path, const aging_report_info *info, const aging_trend_row *rows, int n,
                           pc_err *e)
{
    if (n < 0 || (n > 0 && !rows))
        return pc_errf(e, PC_EINVAL, "%s: no trend rows given", path);
    for (int i = 0; i < n; i++)
        if ((unsigned)rows[i].cls > AGING_CLASS_ALL)
            return pc_errf(e, PC_EINTERNAL, "%s: trend row %d has an unknown class", path, i + 1);
    /* A trend is a few dozen rows: the ordinary mode, no row-order constraint needed. */
    lxw_workbook *wb = open_workbook(path, false, e);
    if (!wb)
        return -1;
    styles st;
    make_styles(wb, &st);
    set_properties(wb, "Báo cáo xu hướng tuổi nợ tiền điện", info);
    int rc = trend_main_sheet(wb, &st, path, info, rows, n, e);
    if (rc == 0)
        rc = trend_chart_sheet(wb, &st, path, rows, n, e);
    lxw_error lrc = workbook_close(wb);
    if (rc == 0 && lrc != LXW_NO_ERROR)
        rc = lxw_fail(e, path, lrc);
    if (rc != 0)
        remove(path);
    return rc;
}
