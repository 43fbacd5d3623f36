/* The phân kỳ control report (DOMAIN 4, issue 7): for every active non-residential customer of a
 * scope, the average monthly consumption of its last 3 billed months as of a date, the periods a
 * month the rule requires ([phanky] thresholds), the periods its contract in force configures,
 * and the direction of a mismatch; with a summary per unit. As JSON, CSV or an Excel workbook;
 * phanky_run is the engine, also for the daily digest. */
#ifndef PC_APP_PHANKY_REPORT_H
#define PC_APP_PHANKY_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/date.h"
#include "domain/phanky.h"
#include "formats/phanky_xlsx.h"
#include "store/db.h"

/* How far back the last billed months are looked for: periods from the as-of month back 5
 * months. A customer with no billed month in that window is not checked (counted as not_billed
 * in its unit); one with 1 or 2 is checked on those (a new customer, a seasonal one). Six months
 * rather than the whole history: the pass reads every invoice of the window, and a customer
 * billed monthly has 3 in 3 months, so the window is twice what the rule needs at most. */
#define PHANKY_WINDOW_MONTHS 6

/* phanky_row (a customer checked) and phanky_unit (a unit's counts): formats/phanky_xlsx.h. */
typedef int (*phanky_row_fn)(void *ctx, const phanky_row *r, pc_err *e);

typedef struct {
    civil_date as_of;      /* contracts in force that day; invoices of periods up to its month */
    const char *scope;     /* org code; NULL or "": the whole tree */
    phanky_rules rules;
    bool exceptions_only;  /* rows: only the mismatches (the summaries still count everyone) */
} phanky_request;

typedef struct {
    phanky_unit *units; /* nunits of them; freed by phanky_summary_free */
    int nunits;
    phanky_unit totals; /* unit and name empty */
} phanky_summary;
void phanky_summary_free(phanky_summary *s);

/* Runs the control: calls row (may be NULL) for every customer checked, or only the mismatches
 * when rq->exceptions_only, in customer-code order, and fills *sum (which the caller frees with
 * phanky_summary_free, also after an error). The rows to give are held, compactly (about 100
 * bytes and the name each), until the pass over the database ends, then sorted by code: the
 * pass reads customers in the table's order, which is what makes it fast. An unknown scope is PC_ENOTFOUND; bad rules
 * PC_EINVAL. The daily digest calls it with exceptions_only = true: the rows are the exceptions
 * to list, sum->units the counts per unit. */
int phanky_run(db *d, const phanky_request *rq, phanky_row_fn row, void *ctx, phanky_summary *sum, pc_err *e);

/* Runs the control and writes it. format "json": {"as_of","scope","rules":{…},"rows":[…],
 * "units":[…],"totals":{…}} to f; "csv": the rows with a header line to f; "xlsx": a workbook at
 * xlsx_path with the exception rows and the unit summaries (Vietnamese headings). Field names
 * in docs/formats.md. */
int phanky_report_write(db *d, const phanky_request *rq, const char *format, FILE *f, const char *xlsx_path,
                        pc_err *e);

#endif
