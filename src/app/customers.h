/* Customer use cases: add, update (identity in place, contract terms as a new dated version),
 * CSV import (all-or-nothing with a per-line report) and search as a cashier needs it. */
#ifndef PC_APP_CUSTOMERS_H
#define PC_APP_CUSTOMERS_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/date.h"
#include "domain/customer.h"
#include "store/db.h"
#include "store/repo.h"

/* Sets one field of c from text, by its CSV column / CLI flag name (customer_code, name,
 * address, unit, purpose, class, voltage, households, phone, renter, persons, tou, route,
 * transformer, status, payment_mode, payment_term_days, periods_per_month, est_kwh, valid_from).
 * Meter fields (meter, multiplier, digits, amr) go to m. Unknown names are PC_EINVAL. */
int customer_set_field(customer *c, meter_spec *m, bool *has_meter, const char *key, const char *value, pc_err *e);
bool customer_field_known(const char *key);
/* Whether the field belongs to the contract (changes make a new contract version). */
bool customer_field_is_contract(const char *key);

/* Validates and inserts; the unit must exist. Audited. */
int customer_add(db *d, const char *actor, customer *c, meter_spec *m, pc_err *e);

/* Applies key=value changes to a customer. Identity fields change in place; contract fields
 * append a contract version valid from valid_from (ISO date). A reason is required. Audited
 * with the before and after values. */
int customer_update(db *d, const char *actor, const char *code, const char *const *keys,
                    const char *const *values, int n, const char *valid_from, const char *reason, pc_err *e);

/* Changes the reading and billing periods a month of a non-residential customer (phân kỳ,
 * DOMAIN 4): a new contract version, a copy of the latest with periods_per_month = periods,
 * valid from the first day of from_month ("YYYY-MM"; NULL: the month after today's). The
 * current and past months are refused, as are residential customers and a change to the
 * periods already configured. One transaction, audited as customer.periods with the before and
 * after terms and the reason. *before / *after: the terms in force on that first day. */
int customer_periods_change(db *d, const char *actor, const char *code, int periods, const char *from_month,
                            civil_date today, const char *reason, customer *before, customer *after, pc_err *e);

typedef struct {
    long rows;       /* data rows read */
    long imported;   /* rows written (0 when rejected) */
    long error_rows; /* rows with an error */
    buf errors;      /* "line N: …\n" for the first max_listed errors */
} import_report;
/* Imports a customer CSV in one transaction: every row is checked and any error rejects the
 * whole file, leaving the database as it was. rep->errors lists the lines and reasons. */
int customer_import(db *d, const char *actor, const char *path, import_report *rep, pc_err *e);
void import_report_free(import_report *rep);

typedef enum { SEARCH_CODE, SEARCH_PHONE, SEARCH_TEXT } search_kind;
/* Finds customers from what a cashier types or scans: an exact customer code, a phone number,
 * or folded name/address words in any order (ranked). *kind tells which was used. */
int customer_search(db *d, const char *query, const char *scope_code, int limit, search_kind *kind,
                    customer_hit_fn fn, void *ctx, pc_err *e);

#endif
