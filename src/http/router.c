/* The route table and matching (http/router.h). Patterns are matched segment by segment; a
 * {name} segment takes any non-empty segment. The table is short and matched in order. */
#include "http/router.h"

#include <string.h>

const http_route http_routes[] = {
    {"GET", "/healthz", h_healthz, "/healthz", ACCESS_PUBLIC},
    /* counts and latencies only, no customer data; restrict by network (docs/api.md) */
    {"GET", "/metrics", h_metrics, "/metrics", ACCESS_PUBLIC},
    {"GET", "/api/v1/jobs", h_jobs_list, "/api/v1/jobs", ACCESS_STAFF},
    {"POST", "/api/v1/login", h_login, "/api/v1/login", ACCESS_PUBLIC},
    {"POST", "/api/v1/logout", h_logout, "/api/v1/logout", ACCESS_SIGNED_IN},
    {"GET", "/api/v1/me", h_me, "/api/v1/me", ACCESS_SIGNED_IN},
    /* any account with a password; a partner's key has none (the handler answers 403) */
    {"POST", "/api/v1/me/password", h_me_password, "/api/v1/me/password", ACCESS_SIGNED_IN},
    {"GET", "/api/v1/customers", h_customer_search, "/api/v1/customers", ACCESS_STAFF},
    {"GET", "/api/v1/customers/{code}", h_customer_get, "/api/v1/customers/{code}", ACCESS_STAFF},
    {"GET", "/api/v1/reports/aging", h_report_aging, "/api/v1/reports/aging", ACCESS_DEBT_READ},
    {"GET", "/api/v1/reports/aging-trend", h_report_aging_trend, "/api/v1/reports/aging-trend", ACCESS_DEBT_READ},
    {"GET", "/api/v1/reports/phanky", h_report_phanky, "/api/v1/reports/phanky", ACCESS_DEBT_READ},
    {"GET", "/api/v1/reports/amr", h_report_amr, "/api/v1/reports/amr", ACCESS_DEBT_READ},
    /* risk warning (h_risk.c): read like the debt reports, flags by those who change debts */
    {"GET", "/api/v1/risk", h_risk_list, "/api/v1/risk", ACCESS_DEBT_READ},
    {"GET", "/api/v1/risk/tracking", h_risk_tracking, "/api/v1/risk/tracking", ACCESS_DEBT_READ},
    {"POST", "/api/v1/risk/flags", h_risk_flag_post, "/api/v1/risk/flags", ACCESS_DEBT_WRITE},
    /* outages and reliability (h_outages.c): the staff read, officers record */
    {"GET", "/api/v1/reports/reliability", h_report_reliability, "/api/v1/reports/reliability", ACCESS_STAFF},
    {"GET", "/api/v1/outages", h_outages_list, "/api/v1/outages", ACCESS_STAFF},
    {"POST", "/api/v1/outages", h_outage_add, "/api/v1/outages", ACCESS_BILLING_WRITE},
    {"POST", "/api/v1/outages/{id}/close", h_outage_close, "/api/v1/outages/{id}/close", ACCESS_BILLING_WRITE},
    {"POST", "/api/v1/outages/{id}/cancel", h_outage_cancel, "/api/v1/outages/{id}/cancel", ACCESS_BILLING_WRITE},
    {"POST", "/api/v1/adjustments", h_adjustment_post, "/api/v1/adjustments", ACCESS_DEBT_WRITE},
    {"GET", "/api/v1/adjustments", h_adjustment_list, "/api/v1/adjustments", ACCESS_DEBT_READ},
    /* the literal /unlock before any {id} pattern a later route might add */
    {"POST", "/api/v1/locks/unlock", h_lock_unlock, "/api/v1/locks/unlock", ACCESS_DEBT_WRITE},
    {"POST", "/api/v1/locks", h_lock_post, "/api/v1/locks", ACCESS_DEBT_WRITE},
    {"GET", "/api/v1/locks", h_lock_list, "/api/v1/locks", ACCESS_DEBT_READ},
    {"GET", "/api/v1/customers/{code}/open", h_customer_open, "/api/v1/customers/{code}/open", ACCESS_STAFF},
    /* collection at the counter: staff who take money (auditors and read-only accounts only read) */
    {"POST", "/api/v1/payments", h_payment_post, "/api/v1/payments", ACCESS_COLLECT},
    {"POST", "/api/v1/payments/{receipt}/reverse", h_payment_reverse, "/api/v1/payments/{receipt}/reverse",
     ACCESS_COLLECT},
    {"GET", "/api/v1/payments/{receipt}/receipt.pdf", h_receipt_pdf, "/api/v1/payments/{receipt}/receipt.pdf",
     ACCESS_STAFF},
    {"POST", "/api/v1/shifts", h_shift_open, "/api/v1/shifts", ACCESS_COLLECT},
    {"GET", "/api/v1/shifts/{id}", h_shift_get, "/api/v1/shifts/{id}", ACCESS_STAFF},
    {"POST", "/api/v1/shifts/{id}/close", h_shift_close, "/api/v1/shifts/{id}/close", ACCESS_COLLECT},
    {"GET", "/api/v1/shifts/{id}/payments", h_shift_payments, "/api/v1/shifts/{id}/payments", ACCESS_STAFF},
    {"GET", "/api/v1/me/shift", h_my_shift, "/api/v1/me/shift", ACCESS_COLLECT},
    /* meter reads, billing and invoices (h_reads.c, h_invoices.c): the staff read, officers write */
    {"GET", "/api/v1/customers/{code}/reads", h_customer_reads, "/api/v1/customers/{code}/reads",
     ACCESS_STAFF},
    {"GET", "/api/v1/customers/{code}/invoices", h_customer_invoices, "/api/v1/customers/{code}/invoices",
     ACCESS_STAFF},
    {"GET", "/api/v1/customers/{code}/payments", h_customer_payments, "/api/v1/customers/{code}/payments",
     ACCESS_STAFF},
    {"GET", "/api/v1/customers/{code}/consumption", h_customer_consumption, "/api/v1/customers/{code}/consumption",
     ACCESS_STAFF},
    {"GET", "/api/v1/reads", h_reads_list, "/api/v1/reads",
     ACCESS_STAFF},
    {"POST", "/api/v1/reads", h_read_post, "/api/v1/reads",
     ACCESS_BILLING_WRITE},
    {"POST", "/api/v1/reads/{id}/approve", h_read_approve, "/api/v1/reads/{id}/approve",
     ACCESS_BILLING_WRITE},
    {"POST", "/api/v1/reads/{id}/correct", h_read_correct, "/api/v1/reads/{id}/correct",
     ACCESS_BILLING_WRITE},
    {"POST", "/api/v1/meters/{serial}/replace", h_meter_replace, "/api/v1/meters/{serial}/replace",
     ACCESS_BILLING_WRITE},
    {"POST", "/api/v1/billing-runs", h_billing_run_post, "/api/v1/billing-runs",
     ACCESS_BILLING_WRITE},
    {"GET", "/api/v1/billing-runs", h_billing_run_list, "/api/v1/billing-runs",
     ACCESS_STAFF},
    {"GET", "/api/v1/billing-runs/{id}", h_billing_run_get, "/api/v1/billing-runs/{id}",
     ACCESS_STAFF},
    {"GET", "/api/v1/invoices/{id}", h_invoice_get, "/api/v1/invoices/{id}",
     ACCESS_STAFF},
    {"GET", "/api/v1/invoices/{id}/invoice.pdf", h_invoice_pdf, "/api/v1/invoices/{id}/invoice.pdf",
     ACCESS_STAFF},
    {"GET", "/api/v1/invoices/{id}/invoice.xml", h_invoice_xml, "/api/v1/invoices/{id}/invoice.xml",
     ACCESS_STAFF},
    {"POST", "/api/v1/invoices/{id}/adjust", h_invoice_adjust, "/api/v1/invoices/{id}/adjust",
     ACCESS_BILLING_WRITE},
    {"POST", "/api/v1/invoices/{id}/replace", h_invoice_replace, "/api/v1/invoices/{id}/replace",
     ACCESS_BILLING_WRITE},
    /* partners' signed requests: any customer's open bills, its own postings only */
    {"GET", "/api/v1/partner/bills/{code}", h_partner_bills, "/api/v1/partner/bills/{code}", ROLE_PARTNER},
    {"GET", "/api/v1/partner/payments", h_partner_payments, "/api/v1/partner/payments", ROLE_PARTNER},
    {"POST", "/api/v1/partner/payments", h_partner_payment_post, "/api/v1/partner/payments", ROLE_PARTNER},
    {"POST", "/api/v1/partner/payments/{ref}/reverse", h_partner_payment_reverse,
     "/api/v1/partner/payments/{ref}/reverse", ROLE_PARTNER},
    /* debt cases and their documents (the debt module's roles), notifications */
    {"GET", "/api/v1/cases", h_cases_list, "/api/v1/cases", ACCESS_DEBT_READ},
    {"POST", "/api/v1/cases", h_case_open, "/api/v1/cases", ACCESS_DEBT_WRITE},
    {"GET", "/api/v1/customers/{code}/case", h_case_get, "/api/v1/customers/{code}/case", ACCESS_DEBT_READ},
    {"PATCH", "/api/v1/customers/{code}/case", h_case_update, "/api/v1/customers/{code}/case", ACCESS_DEBT_WRITE},
    {"GET", "/api/v1/customers/{code}/documents", h_documents_list, "/api/v1/customers/{code}/documents",
     ACCESS_DEBT_READ},
    {"POST", "/api/v1/customers/{code}/documents", h_document_add, "/api/v1/customers/{code}/documents",
     ACCESS_DEBT_WRITE},
    {"GET", "/api/v1/documents/{id}", h_document_get, "/api/v1/documents/{id}", ACCESS_DEBT_READ},
    {"POST", "/api/v1/documents/{id}/remove", h_document_remove, "/api/v1/documents/{id}/remove", ACCESS_DEBT_WRITE},
    {"GET", "/api/v1/notifications", h_notifications_list, "/api/v1/notifications", ACCESS_DEBT_READ},
    {"POST", "/api/v1/notifications", h_notification_send, "/api/v1/notifications", ACCESS_DEBT_WRITE},
    {"POST", "/api/v1/notifications/{id}/retry", h_notification_retry, "/api/v1/notifications/{id}/retry",
     ACCESS_DEBT_WRITE},
    {"POST", "/api/v1/customers/{code}/optout", h_customer_optout, "/api/v1/customers/{code}/optout",
     ACCESS_DEBT_WRITE},
    {"POST", "/api/v1/customers/{code}/optin", h_customer_optin, "/api/v1/customers/{code}/optin", ACCESS_DEBT_WRITE},
    /* prepaid balances, ledgers and statements (h_prepaid.c) */
    {"GET", "/api/v1/prepaid", h_prepaid_list, "/api/v1/prepaid", ACCESS_STAFF},
    {"GET", "/api/v1/customers/{code}/prepaid", h_prepaid_get, "/api/v1/customers/{code}/prepaid", ACCESS_STAFF},
    {"GET", "/api/v1/customers/{code}/prepaid/statement", h_prepaid_statement,
     "/api/v1/customers/{code}/prepaid/statement", ACCESS_STAFF},
    /* the scheduler: its history for the staff, running a job now for the administrator */
    {"GET", "/api/v1/jobs/history", h_jobs_history, "/api/v1/jobs/history", ACCESS_STAFF},
    {"POST", "/api/v1/jobs/{name}/run", h_job_run, "/api/v1/jobs/{name}/run", ROLE_ADMINISTRATOR},
    /* batch imports of uploaded files and their history (h_files.c checks each kind's roles) */
    {"POST", "/api/v1/files/{kind}", h_file_upload, "/api/v1/files/{kind}", ACCESS_FILES},
    {"GET", "/api/v1/files", h_file_list, "/api/v1/files", ACCESS_FILES_READ},
    {"GET", "/api/v1/files/{id}", h_file_get, "/api/v1/files/{id}", ACCESS_FILES_READ},
    /* reconciliation of partners' collections, and the partners (never to partners themselves) */
    {"GET", "/api/v1/reconciliation", h_reconcile_get, "/api/v1/reconciliation", ACCESS_RECONCILE},
    {"POST", "/api/v1/reconciliation/clear-missing", h_reconcile_clear, "/api/v1/reconciliation/clear-missing",
     ACCESS_RECONCILE},
    {"GET", "/api/v1/partners", h_partner_list, "/api/v1/partners", ACCESS_STAFF},
    /* customer service requests (h_requests.c): the staff read, officers change */
    {"GET", "/api/v1/requests", h_requests_list, "/api/v1/requests", ACCESS_STAFF},
    {"POST", "/api/v1/requests", h_request_add, "/api/v1/requests", ACCESS_DEBT_WRITE},
    {"GET", "/api/v1/requests/{request}", h_request_get, "/api/v1/requests/{request}", ACCESS_STAFF},
    {"POST", "/api/v1/requests/{request}/advance", h_request_advance, "/api/v1/requests/{request}/advance",
     ACCESS_DEBT_WRITE},
    {"POST", "/api/v1/requests/{request}/wait", h_request_wait, "/api/v1/requests/{request}/wait", ACCESS_DEBT_WRITE},
    {"POST", "/api/v1/requests/{request}/resume", h_request_resume, "/api/v1/requests/{request}/resume",
     ACCESS_DEBT_WRITE},
    {"POST", "/api/v1/requests/{request}/cancel", h_request_cancel, "/api/v1/requests/{request}/cancel",
     ACCESS_DEBT_WRITE},
    {"POST", "/api/v1/requests/{request}/documents", h_request_document_add, "/api/v1/requests/{request}/documents",
     ACCESS_DEBT_WRITE},
    {"GET", "/api/v1/reports/service", h_report_service, "/api/v1/reports/service", ACCESS_STAFF},
    /* the self-service page's requests: a look-up by code and phone digits, a new supply (throttled) */
    {"GET", "/api/v1/self/requests/{request}", h_self_request_get, "/api/v1/self/requests/{request}", ACCESS_PUBLIC},
    {"POST", "/api/v1/self/requests", h_self_request_post, "/api/v1/self/requests", ACCESS_PUBLIC},
    /* the customers' own look-up: no sign-in (code + last 4 phone digits, throttled) */
    {"GET", "/api/v1/self/{code}", h_self_get, "/api/v1/self/{code}", ACCESS_PUBLIC},
    {"GET", "/api/v1/self/{code}/qr.svg", h_self_qr, "/api/v1/self/{code}/qr.svg", ACCESS_PUBLIC},
    /* service grids and the account managers' worklists (h_grids.c: a manager sees its own) */
    {"GET", "/api/v1/grids", h_grids_list, "/api/v1/grids", ACCESS_STAFF},
    {"GET", "/api/v1/worklist", h_worklist_get, "/api/v1/worklist", ACCESS_DEBT_READ},
    {NULL, NULL, NULL, NULL, 0},
};

/* Matches path against pattern; the {name} segments are copied into scratch and pointed to from
 * r->params. */
static int match(const char *pattern, const char *path, http_request *r, char *scratch, size_t cap)
{
    size_t used = 0;
    int n = 0;
    const char *p = pattern, *q = path;
    while (*p && *q) {
        if (*p != '/' || *q != '/')
            return 0;
        p++, q++;
        const char *pe = strchr(p, '/'), *qe = strchr(q, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p), ql = qe ? (size_t)(qe - q) : strlen(q);
        if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
            if (ql == 0 || n >= 4 || used + ql + 1 > cap)
                return 0;
            memcpy(scratch + used, q, ql);
            scratch[used + ql] = 0;
            r->params[n++] = scratch + used;
            used += ql + 1;
        } else if (pl != ql || memcmp(p, q, pl) != 0)
            return 0;
        p += pl, q += ql;
    }
    if (*p || *q)
        return 0;
    r->nparams = n;
    return 1;
}

const http_route *router_match(const char *method, const char *path, http_request *r, char *scratch, size_t cap,
                               int *path_known)
{
    *path_known = 0;
    for (const http_route *x = http_routes; x->method; x++) {
        if (!match(x->pattern, path, r, scratch, cap))
            continue;
        *path_known = 1;
        if (strcmp(x->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(x->method, "GET") == 0))
            return x;
    }
    return NULL;
}
