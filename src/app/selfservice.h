/* The public self-service look-up (issue 8, docs/api.md "Self-service"): a customer gives their
 * code and the last 4 digits of their phone and sees their bills, consumption, payment status and
 * a VietQR to pay what is open. No sign-in, so: one answer for every failure (no telling whether
 * a code exists) and a limit on failed tries per client address and per code. */
#ifndef PC_APP_SELFSERVICE_H
#define PC_APP_SELFSERVICE_H

#include <jansson.h>
#include <stdint.h>

#include "app/config.h"
#include "base/buf.h"
#include "base/err.h"
#include "store/db.h"

/* Failed tries allowed per client address and per customer code in a window. */
#define SELF_MAX_FAILURES 10
#define SELF_WINDOW_SECONDS (15 * 60)

/* The one message of every failed look-up (wrong code, wrong digits, no phone on file). */
#define SELF_NOT_FOUND_MESSAGE "no customer matches this code and these phone digits"

/* The customer's account as JSON ({customer, bills, consumption, payment}); the result of a
 * look-up in *out. 0 found; -1 with e (PC_ENOTFOUND with SELF_NOT_FOUND_MESSAGE for any failed
 * look-up, PC_EINVAL for input that is not a code and 4 digits). *retry_after > 0 (seconds) when
 * the client or the code is throttled: nothing was looked up. client: the caller's address. */
int selfservice_lookup(db *d, const pc_config *cfg, const char *client, const char *code, const char *phone4,
                       json_t **out, int *retry_after, pc_err *e);

/* The same checks, then the SVG of the VietQR for the open amount into svg. PC_ENOTFOUND also
 * when nothing is open or the company has no bank account configured. */
int selfservice_qr(db *d, const pc_config *cfg, const char *client, const char *code, const char *phone4, buf *svg,
                   int *retry_after, pc_err *e);

/* ---- service requests (issue 11, docs/service.md) ---- */

/* Where a request stands, found by its code and the last 4 digits of the applicant's phone, with
 * the same throttle and the same one answer for every failure as the account look-up. */
int selfservice_request_lookup(db *d, const char *client, const char *code, const char *phone4, json_t **out,
                               int *retry_after, pc_err *e);
/* A new-supply request from the page: body {"type" (new_supply_lv or new_supply_mv), "unit",
 * "name", "phone", "address", "details"?: {…}, "documents"?: [{"file_name", "kind"?, "title"?,
 * "content_base64"}]} (at most SELF_MAX_DOCUMENTS); all or nothing. Submissions count against
 * the client's address like failed look-ups. *out: {code, status, received_on, due_on}. */
#define SELF_MAX_DOCUMENTS 5
struct doc_store;
int selfservice_request_submit(db *d, const void *doc_store_ptr, const char *client, json_t *body, json_t **out,
                               int *retry_after, pc_err *e);

#endif
