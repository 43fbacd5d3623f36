/* The routes of the HTTP API: method, path pattern with {name} segments, handler. Each resource's
 * handlers live in their own file (h_*.c) and are listed in router.c. */
#ifndef PC_HTTP_ROUTER_H
#define PC_HTTP_ROUTER_H

#include "http/server.h"

typedef void (*http_handler)(http_request *r, http_response *w);

/* Who may call a route: a set of role bits, or ACCESS_PUBLIC. 0 (a route that names nothing)
 * means any signed-in principal, so a new route is never public by omission. */
enum {
    ROLE_ADMINISTRATOR = 1u << 0,
    ROLE_CORPORATION = 1u << 1,
    ROLE_COMPANY = 1u << 2,
    ROLE_UNIT_OFFICER = 1u << 3,
    ROLE_CASHIER = 1u << 4,
    ROLE_PARTNER = 1u << 5,
    ROLE_AUDITOR = 1u << 6,
    ROLE_READ_ONLY = 1u << 7,
    /* a service grid's manager (docs/grids.md): reads like read_only, within its scope */
    ROLE_ACCOUNT_MANAGER = 1u << 8,
};
#define ACCESS_SIGNED_IN 0u
#define ACCESS_STAFF (ROLE_ADMINISTRATOR | ROLE_CORPORATION | ROLE_COMPANY | ROLE_UNIT_OFFICER | ROLE_CASHIER | \
                      ROLE_AUDITOR | ROLE_READ_ONLY | ROLE_ACCOUNT_MANAGER)
/* the debt module: who reads the receivables, and who changes them (docs/api.md "Debt") */
#define ACCESS_DEBT_READ (ROLE_ADMINISTRATOR | ROLE_CORPORATION | ROLE_COMPANY | ROLE_UNIT_OFFICER | ROLE_AUDITOR | \
                          ROLE_READ_ONLY | ROLE_ACCOUNT_MANAGER)
#define ACCESS_DEBT_WRITE (ROLE_ADMINISTRATOR | ROLE_CORPORATION | ROLE_COMPANY | ROLE_UNIT_OFFICER)
/* who takes money: everyone on the staff but auditors and read-only accounts */
#define ACCESS_COLLECT (ROLE_ADMINISTRATOR | ROLE_CORPORATION | ROLE_COMPANY | ROLE_UNIT_OFFICER | ROLE_CASHIER)
/* batch imports of files: any kind by someone of these, each kind by its own roles (h_files.c);
 * the history is read by them and by auditors */
#define ACCESS_FILES (ROLE_ADMINISTRATOR | ROLE_CORPORATION | ROLE_COMPANY | ROLE_UNIT_OFFICER)
#define ACCESS_FILES_READ (ACCESS_FILES | ROLE_AUDITOR)
/* a partner's whole day of collections: above the units (docs/api.md "Reconciliation") */
#define ACCESS_RECONCILE (ROLE_ADMINISTRATOR | ROLE_CORPORATION | ROLE_COMPANY)
/* meter reads, billing runs and invoice corrections: who changes them (everyone on the staff reads) */
#define ACCESS_BILLING_WRITE ACCESS_DEBT_WRITE
#define ACCESS_PUBLIC (1u << 30)

typedef struct {
    const char *method;
    const char *pattern;
    http_handler handler;
    const char *name; /* for metrics and logs: the pattern, so ids do not make new series */
    unsigned access;  /* ACCESS_PUBLIC, ACCESS_SIGNED_IN or role bits */
} http_route;

extern const http_route http_routes[];

/* Finds the route of method and path, filling r->params; *path_known tells a wrong method (405)
 * from an unknown path (404). */
const http_route *router_match(const char *method, const char *path, http_request *r, char *scratch, size_t cap,
                               int *path_known);

/* handlers */
void h_healthz(http_request *r, http_response *w);
void h_prepaid_list(http_request *r, http_response *w);
void h_prepaid_get(http_request *r, http_response *w);
void h_prepaid_statement(http_request *r, http_response *w);
void h_metrics(http_request *r, http_response *w);
void h_jobs_list(http_request *r, http_response *w);
void h_self_get(http_request *r, http_response *w);
/* h_requests.c */
void h_requests_list(http_request *r, http_response *w);
void h_request_add(http_request *r, http_response *w);
void h_request_get(http_request *r, http_response *w);
void h_request_advance(http_request *r, http_response *w);
void h_request_wait(http_request *r, http_response *w);
void h_request_resume(http_request *r, http_response *w);
void h_request_cancel(http_request *r, http_response *w);
void h_request_document_add(http_request *r, http_response *w);
void h_report_service(http_request *r, http_response *w);
void h_self_request_get(http_request *r, http_response *w);
void h_self_request_post(http_request *r, http_response *w);
void h_self_qr(http_request *r, http_response *w);
void h_login(http_request *r, http_response *w);
void h_logout(http_request *r, http_response *w);
void h_me(http_request *r, http_response *w);
void h_me_password(http_request *r, http_response *w);
void h_customer_get(http_request *r, http_response *w);
void h_customer_search(http_request *r, http_response *w);
void h_report_aging(http_request *r, http_response *w);
void h_report_aging_trend(http_request *r, http_response *w);
void h_report_phanky(http_request *r, http_response *w);
void h_report_amr(http_request *r, http_response *w);
void h_risk_list(http_request *r, http_response *w);
void h_risk_tracking(http_request *r, http_response *w);
void h_risk_flag_post(http_request *r, http_response *w);
/* h_outages.c */
void h_outages_list(http_request *r, http_response *w);
void h_outage_add(http_request *r, http_response *w);
void h_outage_close(http_request *r, http_response *w);
void h_outage_cancel(http_request *r, http_response *w);
void h_report_reliability(http_request *r, http_response *w);
void h_adjustment_post(http_request *r, http_response *w);
void h_adjustment_list(http_request *r, http_response *w);
void h_lock_post(http_request *r, http_response *w);
void h_lock_list(http_request *r, http_response *w);
void h_lock_unlock(http_request *r, http_response *w);
void h_customer_open(http_request *r, http_response *w);
void h_payment_post(http_request *r, http_response *w);
void h_payment_reverse(http_request *r, http_response *w);
void h_receipt_pdf(http_request *r, http_response *w);
void h_shift_open(http_request *r, http_response *w);
void h_shift_get(http_request *r, http_response *w);
void h_shift_close(http_request *r, http_response *w);
void h_shift_payments(http_request *r, http_response *w);
void h_my_shift(http_request *r, http_response *w);
void h_partner_bills(http_request *r, http_response *w);
void h_partner_payments(http_request *r, http_response *w);
void h_partner_payment_post(http_request *r, http_response *w);
void h_partner_payment_reverse(http_request *r, http_response *w);
void h_cases_list(http_request *r, http_response *w);
void h_case_open(http_request *r, http_response *w);
void h_case_get(http_request *r, http_response *w);
void h_case_update(http_request *r, http_response *w);
void h_documents_list(http_request *r, http_response *w);
void h_document_add(http_request *r, http_response *w);
void h_document_get(http_request *r, http_response *w);
void h_document_remove(http_request *r, http_response *w);
void h_notifications_list(http_request *r, http_response *w);
void h_notification_send(http_request *r, http_response *w);
void h_notification_retry(http_request *r, http_response *w);
void h_customer_optout(http_request *r, http_response *w);
void h_customer_optin(http_request *r, http_response *w);
void h_job_run(http_request *r, http_response *w);
void h_jobs_history(http_request *r, http_response *w);
void h_file_upload(http_request *r, http_response *w);
void h_file_list(http_request *r, http_response *w);
void h_file_get(http_request *r, http_response *w);
void h_reconcile_get(http_request *r, http_response *w);
void h_reconcile_clear(http_request *r, http_response *w);
void h_partner_list(http_request *r, http_response *w);
void h_customer_reads(http_request *r, http_response *w);
void h_reads_list(http_request *r, http_response *w);
void h_read_post(http_request *r, http_response *w);
void h_read_approve(http_request *r, http_response *w);
void h_read_correct(http_request *r, http_response *w);
void h_meter_replace(http_request *r, http_response *w);
void h_billing_run_post(http_request *r, http_response *w);
void h_billing_run_list(http_request *r, http_response *w);
void h_billing_run_get(http_request *r, http_response *w);
void h_invoice_get(http_request *r, http_response *w);
void h_invoice_pdf(http_request *r, http_response *w);
void h_invoice_xml(http_request *r, http_response *w);
void h_invoice_adjust(http_request *r, http_response *w);
void h_invoice_replace(http_request *r, http_response *w);
void h_customer_invoices(http_request *r, http_response *w);
void h_customer_payments(http_request *r, http_response *w);
void h_customer_consumption(http_request *r, http_response *w);
void h_grids_list(http_request *r, http_response *w);
void h_worklist_get(http_request *r, http_response *w);

#endif
