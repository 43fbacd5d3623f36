/* Risk warning (issue 10, DOMAIN 12, docs/risk.md): the monthly run that scores every customer,
 * the report of a month's latest run, the weekly tracking list of high-risk customers with their
 * trend since the classification, and flagging customers by hand. */
#ifndef PC_APP_RISK_H
#define PC_APP_RISK_H

#include <stdio.h>

#include "base/date.h"
#include "domain/risk.h"
#include "store/db.h"
#include "store/risk.h"

/* Scores every customer not terminated at the end of month m with p, in one transaction, as a
 * new run (an earlier run of the month stays; reports read the latest). A month that has not
 * ended by `today` is refused. Fills *out (the run with its counts). */
int risk_run_month(db *d, const risk_params *p, civil_month m, civil_date today, const char *actor, risk_run_row *out,
                   pc_err *e);

/* The latest run of month m under scope (a code; NULL: all), of one class (NULL: all), as
 * "json" or "csv" to f, or "xlsx" to the file xlsx_path. Fields in docs/risk.md. */
int risk_report_write(db *d, civil_month m, const char *scope, const char *cls, const char *format, FILE *f,
                      const char *xlsx_path, pc_err *e);

/* The tracking list as of a date: the high-risk customers of month m's latest run (m = 0: the
 * latest run of a month before as_of's month) with debt, payments and consumption since the
 * month's end, and the debt trend; "json" or "csv" to f. */
int risk_track_write(db *d, civil_month m, civil_date as_of, const char *scope, const char *format, FILE *f,
                     pc_err *e);

/* Flags (flagged = 1) or clears (0) a customer with a reason; audited. Unknown customer:
 * PC_ENOTFOUND; empty reason: PC_EINVAL. Nothing is written on an error. */
int risk_flag_customer(db *d, const char *code, int flagged, const char *reason, const char *actor, int64_t *flag_id,
                       pc_err *e);

/* The demo's runs: every ended month of the window of `months` up to `until` (demo_risk.c). */
int demo_risk(db *d, const char *actor, civil_month until, int months, pc_err *e);

/* "2026-W23": the ISO week of a date (the tracking list is weekly). */
char *risk_iso_week(civil_date d, char out[24]);

#endif
