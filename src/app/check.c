/* The invariants (app/check.h). Each check is a query that yields what breaks it (store/
 * invariants.h), and the audit chain, whose hashes are recomputed. */
#include "app/check.h"

#include <stdio.h>
#include <string.h>

#include "store/invariants.h"
#include "store/repo.h"

typedef struct {
    json_t *examples;
    int limit;
    int64_t broken;
    const char *const *fields; /* names of v[0..] in the examples */
} collect_ctx;

static int collect(void *ctx, const invariant_row *r)
{
    collect_ctx *c = ctx;
    c->broken++;
    if ((int)json_array_size(c->examples) < c->limit) {
        json_t *o = json_pack("{s:s}", "what", r->what);
        for (int i = 0; c->fields[i]; i++)
            json_object_set_new(o, c->fields[i], json_integer(r->v[i]));
        json_array_append_new(c->examples, o);
    }
    return 0;
}

static json_t *result(const char *name, const char *what, int64_t broken, json_t *examples)
{
    return json_pack("{s:s, s:s, s:b, s:I, s:o}", "name", name, "what", what, "ok", broken == 0, "broken",
                     (json_int_t)broken, "examples", examples);
}

typedef int (*invariant_query)(db *d, invariant_fn fn, void *ctx, pc_err *e);

static const struct {
    const char *name, *what;
    invariant_query query;
    const char *fields[6];
} queries[] = {
    {"ledger", "per customer: invoices - payments + adjustments = open items - credit", invariant_ledger,
     {"billed", "paid", "adjusted", "open", "credit", NULL}},
    {"open_items", "every open item = its invoice's total - credit used - allocations + adjustments",
     invariant_open_items, {"expected", "open_item", NULL}},
    {"invoice_allocation", "no invoice allocated beyond what it asks", invariant_invoice_allocation,
     {"total", "credit_applied", "allocated", "adjusted", NULL}},
    {"payment_allocation", "no payment allocated beyond its amount (nor a reversal beyond its own)",
     invariant_payment_allocation, {"amount", "allocated", NULL}},
    {"einvoice_numbers", "e-invoice numbers gapless from 1 in every series (symbol and year)", invariant_series,
     {"last_number", "invoices", "distinct_numbers", "smallest", "largest", NULL}},
    {"prepaid_balance", "every prepaid account's balance = the sum of its ledger", invariant_prepaid_balance,
     {"cached", "ledger", NULL}},
    {"prepaid_sums", "every prepaid account's cached month-to-date read sums = the sums of its reads",
     invariant_prepaid_sums, {"cached_kwh", "kwh", "cached_reads", "reads", NULL}},
    {"locked_months", "nothing dated in a locked month of a locked scope written after the lock",
     invariant_locked_months, {NULL}},
};

json_t *check_run(db *d, const pc_config *cfg, int examples, pc_err *e)
{
    json_t *checks = json_array();
    bool all_ok = true;
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        collect_ctx c = {json_array(), examples, 0, queries[q].fields};
        if (queries[q].query(d, collect, &c, e) != 0) {
            json_decref(c.examples);
            json_decref(checks);
            return NULL;
        }
        all_ok &= c.broken == 0;
        json_array_append_new(checks, result(queries[q].name, queries[q].what, c.broken, c.examples));
    }
    audit_verdict v;
    if (audit_verify(d, &v, e) != 0) {
        json_decref(checks);
        return NULL;
    }
    json_t *ex = json_array();
    if (v.first_bad_id)
        json_array_append_new(ex, json_pack("{s:I, s:s}", "first_bad_id", (json_int_t)v.first_bad_id, "why", v.why));
    all_ok &= v.first_bad_id == 0;
    json_t *audit = result("audit_chain", "the audit log's hash chain is intact", v.first_bad_id ? 1 : 0, ex);
    json_object_set_new(audit, "entries", json_integer(v.entries));
    json_array_append_new(checks, audit);
    return json_pack("{s:b, s:o}", "ok", all_ok, "checks", checks);
}
