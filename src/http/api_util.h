/* Helpers of the read, billing and invoice handlers (h_reads.c, h_invoices.c): JSON bodies and
 * their fields, paging and the scope of a customer code (idempotency: http/idempotency.h). */
#ifndef PC_HTTP_API_UTIL_H
#define PC_HTTP_API_UTIL_H

#include <jansson.h>
#include <stdbool.h>

#include "http/server.h"
#include "store/payments.h"

/* The body as a JSON object, or NULL after answering 400. */
json_t *api_body_object(http_request *r, http_response *w);
/* 400 invalid "FIELD: why" naming the field. */
void api_bad_field(http_response *w, const char *field, const char *why);
/* An optional string field (NULL when absent); -1 answered when present but not a string. */
int api_text_field(json_t *o, const char *name, const char **out, http_response *w);
/* A required non-empty string field; -1 answered. */
int api_required_text(json_t *o, const char *name, const char **out, http_response *w);
/* limit (1..100, default 20) and offset (0..1000000); -1 answered. */
int api_page(http_request *r, http_response *w, long *limit, long *offset);
/* {"items", "limit", "offset", "total", "next_offset"} (takes items). */
json_t *api_page_json(json_t *items, long limit, long offset, int64_t total);

/* Whether a unit's org node lies in the principal's scope (an unknown unit does not). */
int api_unit_in_scope(http_request *r, const char *unit, bool *in, pc_err *e);
/* The customer of code when it is within the scope: 0, or -1 answered (403 outside the scope
 * whether or not the code exists, decided from the code's unit; 404 inside), as
 * GET /api/v1/customers/{code} does. */
int api_customer_in_scope(http_request *r, http_response *w, const char *code, payer_row *c);
/* A positive id from a path segment; -1 after answering 404 with msg. */
int64_t api_id_param(const char *s, http_response *w, const char *msg);

#endif
