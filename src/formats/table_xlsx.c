/* The plain one-sheet workbook (see table_xlsx.h). */
#include "formats/table_xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

struct table_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *title, *head, *num;
    lxw_row_t row;
    lxw_error err;
    char path[4096];
};

static void note(table_xlsx *x, lxw_error rc)
{
    if (rc != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
        x->err = rc;
}

table_xlsx *table_xlsx_open(const char *path, const char *sheet, const char *title, const char *const *cols, int ncols,
                            pc_err *e)
{
    table_xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        pc_errf(e, PC_EINTERNAL, "out of memory");
        return NULL;
    }
    snprintf(x->path, sizeof x->path, "%s", path);
    /* constant memory keeps its temporary files beside the output (the same disk) */
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
    x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet) : NULL;
    if (!x->ws) {
        if (x->wb)
            workbook_close(x->wb);
        free(x);
        remove(path);
        pc_errf(e, PC_EIO, "%s: cannot start the workbook", path);
        return NULL;
    }
    x->title = workbook_add_format(x->wb);
    format_set_bold(x->title);
    format_set_font_size(x->title, 13);
    x->head = workbook_add_format(x->wb);
    format_set_bold(x->head);
    format_set_bg_color(x->head, 0xDDEBF7);
    format_set_text_wrap(x->head);
    x->num = workbook_add_format(x->wb);
    format_set_num_format(x->num, "#,##0");
    note(x, worksheet_write_string(x->ws, 0, 0, title, x->title));
    for (int c = 0; c < ncols; c++) {
        worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, c == 1 ? 30 : 14, NULL);
        note(x, worksheet_write_string(x->ws, 2, (lxw_col_t)c, cols[c], x->head));
    }
    worksheet_freeze_panes(x->ws, 3, 0);
    x->row = 3;
    return x;
}

void table_xlsx_text(table_xlsx *x, int col, const char *s)
{
    note(x, worksheet_write_string(x->ws, x->row, (lxw_col_t)col, s ? s : "", NULL));
}

void table_xlsx_int(table_xlsx *x, int col, int64_t v)
{
    note(x, worksheet_write_number(x->ws, x->row, (lxw_col_t)col, (double)v, x->num));
}

void table_xlsx_next_row(table_xlsx *x)
{
    x->row++;
}

int table_xlsx_close(table_xlsx *x, pc_err *e)
{
    lxw_error rc = workbook_close(x->wb);
    int status = 0;
    if (x->err != LXW_NO_ERROR || rc != LXW_NO_ERROR) {
        status = pc_errf(e, PC_EIO, "%s: %s", x->path, lxw_strerror(x->err != LXW_NO_ERROR ? x->err : rc));
        remove(x->path);
    }
    free(x);
    return status;
}

void table_xlsx_abort(table_xlsx *x)
{
    if (!x)
        return;
    workbook_close(x->wb);
    remove(x->path);
    free(x);
}
