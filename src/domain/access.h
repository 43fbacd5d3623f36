/* Pure rules of sign-in and access (docs/api.md): the canonical text a partner signs, the login
 * throttling arithmetic and the scope test. No I/O, no clock: the callers pass the time. */
#ifndef PC_DOMAIN_ACCESS_H
#define PC_DOMAIN_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* One query parameter, decoded. */
typedef struct {
    const char *name, *value;
} query_param;

/* The text a partner signs, lines joined by '\n' with no final newline:
 *   PCS-HMAC-SHA256
 *   METHOD            (upper case as sent)
 *   PATH              (as sent, without the query)
 *   QUERY             (parameters sorted by name then value, each name=value percent-encoded
 *                      with RFC 3986 unreserved characters kept, joined by '&'; empty when none)
 *   TIMESTAMP         (Unix seconds, decimal)
 *   BODY_SHA256       (lower-case hex of the body's SHA-256; the empty body's when none)
 * params is sorted in place. */
void access_canonical(const char *method, const char *path, query_param *params, size_t nparams,
                      const char *timestamp, const char *body_sha256_hex, buf *out);

/* Percent-encodes s (RFC 3986: A-Z a-z 0-9 - _ . ~ kept) onto out. */
void access_pct_encode(const char *s, buf *out);

/* Login throttling: given the times of failed attempts (any order, sorted in place), the instant
 * until which sign-in is refused: max_failures failures within window seconds lock for lock
 * seconds after the last of them. 0 when no such run. */
int64_t access_throttle_until(int64_t *failures, size_t n, int max_failures, int64_t window, int64_t lock);

/* Whether an org path ("/PA/PA01/PA0101/") lies in the subtree of scope_path. */
bool access_in_scope(const char *scope_path, const char *path);

#endif
