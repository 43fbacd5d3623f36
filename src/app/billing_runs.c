/* The record of billing runs (app/billing.h billing_run_recorded). */
#include <stdio.h>
#include <string.h>

#include "app/billing.h"
#include "app/org.h"

/* The key's run when the actor used it before: 1 found (PC_ECONFLICT -1 for another request). */
static int earlier_run(db *d, const char *actor, const char *key, const char *hash, billing_run_row *run, pc_err *e)
{
    bool found;
    if (billing_run_by_key(d, actor, key, run, &found, e) != 0)
        return -1;
    if (!found)
        return 0;
    if (strcmp(run->request_hash, hash ? hash : "") != 0)
        return pc_errf(e, PC_ECONFLICT, "this key was used before with another request (billing run %lld)",
                       (long long)run->id);
    return 1;
}

int billing_run_recorded(db *d, const char *actor, const pc_config *cfg, const tariff_set *t, const bill_options *o,
                         const char *idem_key, const char *request_hash, billing_run_row *run, bill_summary *sum,
                         bool *repeated, pc_err *e)
{
    memset(run, 0, sizeof *run);
    memset(sum, 0, sizeof *sum);
    *repeated = false;
    if (idem_key) {
        int k = earlier_run(d, actor, idem_key, request_hash, run, e);
        if (k != 0) {
            *repeated = k > 0;
            return k > 0 ? 0 : -1;
        }
    }
    char path[160];
    const char *scope_path;
    if (org_scope_path(d, o->scope, path, &scope_path, e) != 0)
        return -1;
    month_format(o->period, run->period);
    snprintf(run->scope_code, sizeof run->scope_code, "%s", o->scope ? o->scope : "");
    snprintf(run->scope_path, sizeof run->scope_path, "%s", scope_path ? scope_path : "/");
    snprintf(run->route, sizeof run->route, "%s", o->route ? o->route : "");
    date_format(o->issue_date, run->issue_date);
    timestamp_now(run->started_at);
    snprintf(run->started_by, sizeof run->started_by, "%s", actor);
    snprintf(run->idem_key, sizeof run->idem_key, "%s", idem_key ? idem_key : "");
    snprintf(run->request_hash, sizeof run->request_hash, "%s", request_hash ? request_hash : "");
    snprintf(run->status, sizeof run->status, "running");
    /* a request with a key is recorded before it runs (a resend meanwhile finds it running); a
     * run from the CLI when it has finished */
    if (idem_key && billing_run_insert(d, run, e) != 0) {
        /* two requests with one key at once: the other stored it first */
        if (e->code == PC_ECONFLICT) {
            pc_err e2 = {0};
            int k = earlier_run(d, actor, idem_key, request_hash, run, &e2);
            if (k != 0) {
                *e = e2;
                *repeated = k > 0;
                return k > 0 ? 0 : -1;
            }
        }
        return -1;
    }
    int rc = billing_run(d, actor, cfg, t, o, sum, e);
    /* a failed run keeps the chunks it committed: the figures say what they billed */
    const bill_summary *s = sum;
    run->customers = s->customers, run->invoices = s->invoices, run->reads = s->reads, run->kwh = s->kwh;
    run->energy = s->energy, run->vat = s->vat, run->total = s->total, run->credit = s->credit, run->zero = s->zero;
    snprintf(run->status, sizeof run->status, "%s", rc == 0 ? "done" : "failed");
    if (rc != 0) {
        snprintf(run->error, sizeof run->error, "%s", e->msg);
        /* the key is given back: the same request again bills what this one did not */
        run->idem_key[0] = 0;
    }
    timestamp_now(run->finished_at);
    pc_err e2 = {0};
    int rec;
    if (rc != 0 && run->invoices == 0)
        /* refused before it billed anything (a locked month, a bad scope): nothing to record */
        rec = run->id ? billing_run_delete(d, run->id, &e2) : 0;
    else if (!run->id && billing_run_insert(d, run, &e2) != 0)
        rec = -1;
    else
        rec = billing_run_finish(d, run, &e2);
    if (rec != 0 && rc == 0) {
        *e = e2;
        return -1;
    }
    return rc;
}
