/* Legacy debt import (DOMAIN 9): units bring the overdue receivables they still hold in CMIS
 * extracts and Excel sheets. Each line of the file becomes an invoice of symbol LEGACY with its
 * open item, and what was paid on it already becomes a payment dated when it was paid, so a
 * report as of an earlier date still shows the whole amount open. */
#ifndef PC_APP_DEBT_IMPORT_H
#define PC_APP_DEBT_IMPORT_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/money.h"
#include "store/db.h"

typedef struct {
    long lines;       /* data lines read (the header not counted) */
    long imported;    /* receivables created now (with --dry-run: that would be created) */
    long already;     /* lines whose invoice_no was imported before with the same content */
    long settled;     /* of the imported: paid in full (kept for history, nothing open) */
    long error_lines; /* lines with at least one error */
    money amount;     /* of the receivables imported now */
    money paid;       /* of the receivables imported now: what was paid on them already */
    buf errors;       /* "line N: column: why\n", every error of every bad line (the first 1000) */
} debt_import_report;

/* CSV `customer_code,invoice_no,period,issue_date,due_date,amount[,paid][,paid_at]`
 * (docs/formats.md). Every line is checked first; any bad line rejects the whole file with the
 * per-line report (PC_EINVAL) and nothing is written. Otherwise the receivables are written in
 * one transaction. A line whose invoice_no was imported before with the same content is skipped
 * (the same file twice changes nothing); with other content it is an error. dry_run: check only. */
int debt_import(db *d, const char *actor, int utc_offset, const char *path, bool dry_run, debt_import_report *rep,
                pc_err *e);
void debt_import_report_free(debt_import_report *rep);

#endif
