/* The phân kỳ control as an Excel workbook (libxlsxwriter, constant-memory mode): a sheet of the
 * customers whose configured periods differ from what the rule requires, and a sheet of the
 * counts per unit, Vietnamese headings, frozen header rows. Also the row types of the report. */
#ifndef PC_FORMATS_PHANKY_XLSX_H
#define PC_FORMATS_PHANKY_XLSX_H

#include <stdint.h>

#include "base/err.h"
#include "domain/phanky.h"

/* One customer checked. */
typedef struct {
    char customer_code[16];
    char customer_name[256];
    char unit[16];
    char unit_name[256];
    int months;                         /* billed months averaged, 1 to 3 */
    char period[PHANKY_MONTHS][8];      /* those months, newest first */
    int64_t kwh[PHANKY_MONTHS];
    int64_t avg_kwh;
    int required, configured;
    phanky_status status;
} phanky_row;

/* Per unit of the scope (every unit, in code order, also those with no one to check). */
typedef struct {
    char unit[16];
    char name[256];
    int64_t checked, ok, needs_more, needs_fewer;
    int64_t not_billed; /* non-residential customers with no billed month in the window */
} phanky_unit;

typedef struct {
    char as_of[11];
    char scope[16]; /* "" for the whole tree */
    char scope_name[256];
    phanky_rules rules;
} phanky_report_info;

typedef struct phanky_xlsx phanky_xlsx;
phanky_xlsx *phanky_xlsx_open(const char *path, const phanky_report_info *info, pc_err *e);
/* Exception rows in display order; rows whose status is ok are skipped. */
int phanky_xlsx_row(phanky_xlsx *x, const phanky_row *r, pc_err *e);
/* Writes the unit sheet and closes the file; frees x (also on error). */
int phanky_xlsx_close(phanky_xlsx *x, const phanky_unit *units, int nunits, const phanky_unit *totals, pc_err *e);
/* Gives up: frees x and deletes the file. */
void phanky_xlsx_abort(phanky_xlsx *x);

#endif
