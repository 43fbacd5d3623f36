/* The aging report (DOMAIN 9): the debt as it stood at the end of an as-of date, in buckets,
 * by customer, unit, company or corporation, split residential / non-residential, with the
 * provision. Units whose month is locked (DOMAIN 10) are read from the lock's snapshot when the
 * as-of date is the month's last day. Rows go to a sink (JSON, CSV, XLSX renderers below). */
#ifndef PC_APP_AGING_REPORT_H
#define PC_APP_AGING_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/date.h"
#include "formats/aging_xlsx.h"
#include "domain/customer.h"
#include "store/aging.h"
#include "store/db.h"

typedef struct {
    civil_date as_of;
    const char *scope; /* org code; NULL: the whole tree */
    const char *by;    /* customer, unit, company, corporation */
    provision_scheme scheme;
    bool live;         /* compute even where a lock holds a snapshot (used when locking) */
} aging_request;

typedef struct {
    int (*begin)(void *ctx, const aging_report_info *info, pc_err *e);
    int (*row)(void *ctx, const aging_row *r, pc_err *e);
    int (*end)(void *ctx, pc_err *e);
    void *ctx;
} aging_sink;

int aging_report_run(db *d, const aging_request *rq, const aging_sink *sink, pc_err *e);

/* Renderers. JSON: {"report":"aging", …, "rows":[ITEM rows], "subtotals":[…], "totals":[…]};
 * written to f, or appended to out when f is NULL. CSV: every row with its kind first. */
typedef struct aging_json aging_json;
aging_json *aging_json_open(FILE *f, buf *out);
void aging_json_sink(aging_json *j, aging_sink *s);
void aging_json_free(aging_json *j);
typedef struct aging_csv aging_csv;
aging_csv *aging_csv_open(FILE *f);
void aging_csv_sink(aging_csv *c, aging_sink *s);
void aging_csv_free(aging_csv *c);
/* XLSX through formats/aging_xlsx.h. */
typedef struct aging_xlsx_ctx aging_xlsx_ctx;
aging_xlsx_ctx *aging_xlsx_ctx_open(const char *path);
void aging_xlsx_sink(aging_xlsx_ctx *x, aging_sink *s);
void aging_xlsx_ctx_free(aging_xlsx_ctx *x);

/* The trend: totals of the scope as of each month's last day from `from` to `to`. rows gets
 * 3 per month (residential, nonresidential, all); the caller frees *rows. */
int aging_trend(db *d, const char *scope, civil_month from, civil_month to, provision_scheme scheme,
                aging_trend_row **rows, int *n, pc_err *e);

/* The drill-down below a unit's customers: the invoices of one customer (by code, with its
 * contract in force on as_of in *c) that were open at the end of as_of, by due date, each with its
 * bucket. Live figures (a lock's snapshot holds customers, not invoices). The caller frees *rows. */
typedef struct {
    open_bill inv;
    aging_bucket bucket;
} aging_invoice_row;
int aging_invoices(db *d, const char *customer_code, civil_date as_of, customer *c, aging_invoice_row **rows, int *n,
                   pc_err *e);

/* Lock support (app/locks.c): stores, under lock_id, the snapshot of every unit below the node
 * at node_path as of as_of, and the report of the node by unit as view "report". */
int aging_snapshot_store(db *d, int64_t lock_id, const char *node_code, civil_date as_of, provision_scheme scheme,
                         pc_err *e);

#endif
