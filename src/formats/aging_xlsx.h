/* The aging reports as Excel workbooks a manager would sign (libxlsxwriter, constant-memory
 * mode so that a million detail rows stream to disk): Vietnamese headings, one row per unit,
 * company or customer, buckets as columns, subtotals, thousands separators, a frozen header and
 * a chart of the bucket shares. The rows come in the order the report engine emits them. */
#ifndef PC_FORMATS_AGING_XLSX_H
#define PC_FORMATS_AGING_XLSX_H

#include <stdint.h>

#include "base/err.h"
#include "domain/aging.h"

typedef enum { AGING_CLASS_RESIDENTIAL, AGING_CLASS_NONRESIDENTIAL, AGING_CLASS_ALL } aging_class;
/* "residential", "nonresidential", "all" */
extern const char *const aging_class_field[3];
/* "Sinh hoạt", "Ngoài sinh hoạt", "Cộng" */
extern const char *const aging_class_heading_vi[3];

/* ITEM: a row of the level asked for (a unit for --by unit, a customer for --by customer);
 * SUBTOTAL: the sum of the ITEM rows just before it that belong to one node of the level
 * above (a company's units; a unit's customers are not subtotalled); TOTAL: the whole scope. */
typedef enum { AGING_ROW_ITEM, AGING_ROW_SUBTOTAL, AGING_ROW_TOTAL } aging_row_kind;

typedef struct {
    aging_row_kind kind;
    char level[16];          /* customer, unit, company, corporation, group */
    char scope[16];          /* org code of the row's node (customer rows: the customer's unit) */
    char scope_name[256];
    aging_class cls;
    /* customer rows only */
    char customer_code[16];
    char name[256];
    char address[256];
    char case_status[16];    /* "" when the customer has no debt case */
    int64_t documents;
    /* figures */
    int64_t customers;                        /* customers with any open amount */
    int64_t bucket_customers[AGING_BUCKETS];  /* customers with an amount in each bucket */
    int64_t slices[AGING_SLICES];
    int64_t amount[AGING_BUCKETS];
    int64_t total, provision;
} aging_row;

typedef struct {
    char as_of[11];
    char scope[16];
    char scope_name[256];
    char by[16]; /* customer, unit, company, corporation */
    provision_scheme scheme;
    int64_t lock_id; /* > 0: the figures are the snapshot of this lock */
} aging_report_info;

typedef struct aging_xlsx aging_xlsx;
aging_xlsx *aging_xlsx_open(const char *path, const aging_report_info *info, pc_err *e);
/* Rows must come in display order (they are streamed to disk). After a failed row every later
 * call repeats the first error; close (or abort) still has to be called to free x. */
int aging_xlsx_row(aging_xlsx *x, const aging_row *r, pc_err *e);
/* Writes the chart from the TOTAL rows and closes the file (also frees x on error). */
int aging_xlsx_close(aging_xlsx *x, pc_err *e);
/* Gives up: frees x and deletes the file (for a caller whose own query failed midway). */
void aging_xlsx_abort(aging_xlsx *x);

/* The trend: bucket totals month by month (as of each month's last day). */
typedef struct {
    char month[8]; /* YYYY-MM */
    char as_of[11];
    aging_class cls;
    int64_t customers;
    int64_t amount[AGING_BUCKETS];
    int64_t total, provision;
} aging_trend_row;
int aging_trend_xlsx_write(const char *path, const aging_report_info *info, const aging_trend_row *rows, int n,
                           pc_err *e);

#endif
