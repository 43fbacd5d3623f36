/* A plain one-sheet workbook (libxlsxwriter, constant-memory mode): a title line, a header row
 * that stays in view, then rows of text and whole-number cells written one by one. For reports
 * whose rows are a flat list (the risk list). */
#ifndef PC_FORMATS_TABLE_XLSX_H
#define PC_FORMATS_TABLE_XLSX_H

#include <stdint.h>

#include "base/err.h"

typedef struct table_xlsx table_xlsx;

/* NULL after setting e (the file is not left behind). */
table_xlsx *table_xlsx_open(const char *path, const char *sheet, const char *title, const char *const *cols, int ncols,
                            pc_err *e);
void table_xlsx_text(table_xlsx *x, int col, const char *s);
void table_xlsx_int(table_xlsx *x, int col, int64_t v); /* shown with thousands separators */
void table_xlsx_next_row(table_xlsx *x);
/* Writes the file; on an error removes it. Frees x either way. */
int table_xlsx_close(table_xlsx *x, pc_err *e);
void table_xlsx_abort(table_xlsx *x);

#endif
