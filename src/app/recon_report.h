/* The reconciliation report as a manager reads it (docs/reconciliation.md "The report"): text,
 * JSON, CSV (one row per difference) or an Excel workbook with Vietnamese labels. Shared by
 * `powercis reconcile` and GET /api/v1/reconciliation. */
#ifndef PC_APP_RECON_REPORT_H
#define PC_APP_RECON_REPORT_H

#include <stdio.h>

#include "app/reconciliation.h"

/* Writes r (and what clearing posted, when cleared is not NULL) in format text, json or csv to
 * f, or xlsx to the file at path. */
int recon_report_write(const recon_report *r, const recon_clear_result *cleared, const char *format, FILE *f,
                       const char *path, pc_err *e);

#endif
