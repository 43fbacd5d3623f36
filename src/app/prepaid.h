/* Prepaid customers (issue 10 item 2, DOMAIN 12, docs/prepaid.md): switching a customer to and
 * from prepaid (settling first), top-ups from every payment channel through the one posting path,
 * reversals, the daily charge from the automatic reads, low-balance messages, cut orders past the
 * grace period, monthly statements and balance lists. Every function runs in its own
 * transaction, nested inside the caller's when there is one. */
#ifndef PC_APP_PREPAID_H
#define PC_APP_PREPAID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/config.h"
#include "base/err.h"
#include "domain/tariff.h"
#include "store/db.h"
#include "store/prepaid.h"

/* ---- switching ---- */
typedef struct {
    char code[16];
    char date[11];
    int64_t balance;       /* after the switch */
    int64_t credit_moved;  /* enable: customer credit brought into the balance; disable: the
                              balance handed back as customer credit */
    int64_t final_charge;  /* disable: the charge of the day before the switch, made now (0: none due) */
} prepaid_switch_result;

/* The customer is prepaid from `date` on: refused while an invoice is open or a read before
 * `date` is still to be billed (bill and settle first: docs/prepaid.md); existing customer
 * credit becomes the opening balance. A new contract version (payment_mode prepaid, valid from
 * `date`), audited. */
int prepaid_enable(db *d, const char *actor, const char *code, const char *date, const char *reason,
                   prepaid_switch_result *out, pc_err *e);
/* The customer is postpaid from `date` on: the month-to-date charge up to the day before is made,
 * then a balance below zero is refused (top up first) and a positive one becomes customer credit
 * for the next invoices. A new contract version, audited. */
int prepaid_disable(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, const char *code,
                    const char *date, const char *reason, prepaid_switch_result *out, pc_err *e);

/* ---- hooks of the posting path (inside its transaction) ---- */
/* A payment posted for a prepaid customer: the top-up row, the balance, the low-balance state. */
int prepaid_topup(db *d, const char *actor, int64_t customer_id, int64_t payment_id, int64_t amount, const char *date,
                  pc_err *e);
/* A reversal of payment_id: when that payment was a top-up, the reversal row takes it back
 * (refused when the account has been settled since). Nothing for other payments. */
int prepaid_after_reversal(db *d, const char *actor, int64_t payment_id, int64_t reversal_id, const char *date,
                           pc_err *e);

/* ---- the daily charge ---- */
typedef struct {
    char customer_code[16];
    char what[16]; /* cut_order, low_balance, error */
    int64_t balance;
    int64_t order_id;
    char message[512];
} prepaid_event;

typedef struct {
    char date[11];
    char caught_up[11];  /* a previous month's last day charged first ("" when none) */
    long accounts;       /* charged now */
    long skipped;        /* charged for this day (or later) before: nothing done */
    long errors;         /* accounts the rating refused (listed in events) */
    int64_t kwh, amount; /* Σ of this run's day kWh and charges */
    long below_zero, low_notices, no_phone, cut_orders;
    double seconds;
    prepaid_event *events; /* cut orders, low-balance messages, errors: the first 1,000 */
    int nevents;
} prepaid_run_summary;
void prepaid_run_summary_free(prepaid_run_summary *s);

/* Charges every prepaid account (customer_code NULL) or one for `date`: the month-to-date bill
 * of the month-to-date reads less the month's charges so far (domain/prepaid.h). An account
 * charged for this day or a later one is skipped, so the same run twice changes nothing. When
 * some account's previous month was not charged up to its last day, that day runs first. Sends
 * the low-balance message once per crossing and makes a cut order when the balance has stayed
 * below zero for [prepaid] grace_days. */
int prepaid_charge_run(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, const char *date,
                       const char *customer_code, prepaid_run_summary *out, pc_err *e);

/* The scheduler's prepaid_charge job: yesterday's charge for every account; detail: what it did. */
int prepaid_job_charge(db *d, const pc_config *cfg, const char *actor, char *detail, size_t cap, pc_err *e);

/* ---- statements and lists ---- */
typedef struct {
    char code[16];
    char name[256];
    char month[8];
    bool active;
    int64_t opening, topups, reversals, charges, other, closing;
    int64_t kwh;
    prepaid_entry *rows;
    int nrows;
} prepaid_statement;
int prepaid_statement_get(db *d, const char *code, const char *month, prepaid_statement *out, pc_err *e);
void prepaid_statement_free(prepaid_statement *s);

/* One customer's account and the latest `limit` ledger rows (newest first). */
typedef struct {
    char code[16];
    char name[256];
    prepaid_account_row a;
    prepaid_entry *rows;
    int nrows;
} prepaid_balance_view;
int prepaid_balance_get(db *d, const char *code, int limit, prepaid_balance_view *out, pc_err *e);
void prepaid_balance_free(prepaid_balance_view *v);

/* Active accounts under scope (an org code, NULL: all), lowest balance first; low_only: those
 * under [prepaid] low_balance. */
int prepaid_list(db *d, const pc_config *cfg, const char *scope_code, bool low_only, long limit, prepaid_list_fn fn,
                 void *ctx, pc_err *e);

/* ---- JSON, as the CLI's --json and the HTTP API answer ---- */
json_t *prepaid_entry_json(const prepaid_entry *r);
json_t *prepaid_account_json(const prepaid_account_row *a);
json_t *prepaid_statement_json(const prepaid_statement *s);
json_t *prepaid_balance_json(const prepaid_balance_view *v);
json_t *prepaid_list_row_json(const prepaid_list_row *r);

#endif
