/* The billing run and invoice corrections: every approved, unbilled read of a period becomes
 * part of one invoice per customer per reading period (several a month with phân kỳ), rated by
 * domain/tariff, numbered in the company's e-invoice series in the same transaction. */
#ifndef PC_APP_BILLING_H
#define PC_APP_BILLING_H

#include "app/config.h"
#include "base/date.h"
#include "domain/tariff.h"
#include "store/db.h"
#include "store/history.h"
#include "store/invoices.h"

typedef struct {
    civil_month period;
    const char *scope; /* org code; NULL: everything */
    const char *route; /* NULL: every route */
    civil_date issue_date;
    int chunk; /* invoices per transaction; 0: 1000 */
} bill_options;

typedef struct {
    int64_t customers, invoices, reads, kwh, energy, vat, total;
    int64_t zero;   /* reading periods with no consumption: nothing to invoice */
    int64_t credit; /* customer credit used by the invoices */
    double seconds;
} bill_summary;

/* Bills the period. Safe to re-run: billed reads are skipped, so a second run bills nothing
 * and a run that was killed is finished by the next one. Each chunk commits whole invoices
 * with their numbers. */
int billing_run(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, const bill_options *o,
                bill_summary *sum, pc_err *e);

/* billing_run with a record of its own in billing_run (GET /api/v1/billing-runs, docs/api.md):
 * the row is stored 'running' before and 'done' or 'failed' with the figures after. idem_key
 * (NULL: none) with request_hash makes it idempotent per actor: a key used before with the same
 * hash answers the recorded run (*repeated, nothing billed again); with another hash PC_ECONFLICT.
 * A run that fails after billing some chunks is recorded failed with what it billed and gives
 * its key back (the same request runs again: billing is safe to repeat); one refused before it
 * billed anything (a locked month) leaves no record. *run holds what was recorded. */
int billing_run_recorded(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, const bill_options *o,
                         const char *idem_key, const char *request_hash, billing_run_row *run, bill_summary *sum,
                         bool *repeated, pc_err *e);

/* Issues an adjusting invoice for `original` (never edited): its lines reverse the original's
 * and add the rating of the corrected consumption; the totals are the differences. A replacing
 * invoice (replace = 1) carries the corrected rating whole. */
typedef struct {
    bool registers;
    int64_t kwh;
    int64_t reg_kwh[3];
} corrected_kwh;
int invoice_correct(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, int64_t original_id,
                    const corrected_kwh *k, int replace, const char *reason, civil_date issue_date, invoice_row *out,
                    pc_err *e);

/* The e-invoice symbol of a company for a year: 1K + yy + T + two letters (configured, or from
 * the company number: PA01 → AA, PA02 → AB). */
void einvoice_symbol(const pc_config *cfg, const char *company_code, int year, char out[16]);

#endif
