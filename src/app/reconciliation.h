/* Reconciliation of third-party collections (DOMAIN 11, docs/reconciliation.md): importing a
 * partner's daily statement and the bank statement of the collection account, reconciling one
 * partner's day against our postings through it, and clearing what the partner collected and
 * we never posted. The rules themselves are in domain/reconcile.h. */
#ifndef PC_APP_RECONCILIATION_H
#define PC_APP_RECONCILIATION_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/money.h"
#include "domain/reconcile.h"
#include "store/db.h"
#include "store/payments.h"

/* ---- imports ---- */
typedef struct {
    long rows;        /* data rows read */
    long added;       /* lines stored now */
    long repeated;    /* bank lines whose reference was imported before with the same content */
    long error_rows;
    money amount;     /* of the lines stored now */
    bool already;     /* the same file (by SHA-256) was imported before: nothing changed */
    char already_at[32];
    buf errors;       /* "line N: …\n" */
} recon_import_report;
void recon_import_report_free(recon_import_report *rep);

/* A partner's daily statement, CSV `partner,txn_ref,customer_code,amount,paid_at`: every line
 * is checked first; any bad line rejects the file with a per-line report; the same file twice
 * changes nothing. partner (may be NULL) guards against the wrong file: every line must be its.
 * A later file with lines for a partner and day becomes the statement in force for that day. */
int statement_import(db *d, const char *actor, const char *partner, const char *path, recon_import_report *rep,
                     pc_err *e);
/* The collection account's bank statement, CSV `value_date,amount,partner,for_day,reference
 * [,narrative]`, all lines or none; a bank reference imported before with the same content is
 * skipped (overlapping statements), with other content it is an error. */
int bank_import(db *d, const char *actor, const char *path, recon_import_report *rep, pc_err *e);

/* ---- reconciling a partner's day ---- */
typedef struct {
    partner_row partner;
    char date[11];
    recon_summary sum;
    double match_rate;
    long reversed;     /* our payments reversed on the same day, left out (with their reversals) */
    recon_diff *diffs; /* day-level ones first, then by reference */
    size_t ndiffs;
} recon_report;
void recon_report_free(recon_report *r);

/* Our postings through the partner on date (payments_of_source_day: channels partner and file),
 * the statement in force for that day and the remittances for that day, reconciled with the
 * partner's settlement window. A payment reversed on its own day counts on neither side of the
 * matching (the partner cancelled it: its statement leaves it out); a reversal dated later is a
 * correction of its own day and does not change this one. */
int reconcile_day(db *d, const char *partner, const char *date, recon_report *out, pc_err *e);

typedef struct {
    long posted;   /* payments posted now */
    long skipped;  /* the reference is posted already (another day, or reversed): not posted again */
    money amount;  /* of the payments posted now */
    buf skipped_refs; /* "REF (posted DATE)\n" per skipped item */
} recon_clear_result;
void recon_clear_result_free(recon_clear_result *r);
/* Posts every "missing in ours" item of the day through payment_post (channel partner, source =
 * the partner, ext_ref = its transaction reference, paid_at from the statement), all or none in
 * one transaction, with one audit entry. after (may be NULL) receives the reconciliation as it
 * stands once cleared. Running it again finds nothing missing and posts nothing. */
int reconcile_clear_missing(db *d, const char *actor, int utc_offset, const char *partner, const char *date,
                            recon_clear_result *res, recon_report *after, pc_err *e);

#endif
