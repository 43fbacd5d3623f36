/* Meter-read use cases (see reads.h). */
#include "app/reads.h"
#include "app/audit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/hash.h"
#include "formats/csv_reader.h"
#include "store/invoices.h"
#include "store/repo.h"

static json_t *registers_json(const register_values *v)
{
    json_t *o = json_object();
    for (int g = 0; g < REG_COUNT; g++)
        if (v->has[g])
            json_object_set_new(o, register_name((meter_register)g), json_integer(v->v[g]));
    return o;
}

static int audit_json(db *d, const char *actor, const char *action, const char *key, json_t *detail, pc_err *e)
{
    return audit_event(d, actor, action, "meter_read", key, detail, e);
}

/* Evaluates cur against the meter's previous read and fills r (not stored). */
static int evaluate(db *d, const read_rules *rules, const meter_row *m, const customer *c, const read_row *prev,
                    const register_values *cur, const char *date, bool final, read_row *r, pc_err *e)
{
    r->idx = *cur;
    snprintf(r->read_date, sizeof r->read_date, "%s", date);
    r->meter_id = m->id;
    snprintf(r->meter_serial, sizeof r->meter_serial, "%s", m->serial);
    r->customer_id = c->id;
    snprintf(r->customer_code, sizeof r->customer_code, "%s", c->code);
    if (!prev) {
        snprintf(r->kind, sizeof r->kind, "initial");
        snprintf(r->status, sizeof r->status, "ok");
        return 0;
    }
    r->prev_read_id = prev->id;
    int64_t history[16];
    int nhistory = 0;
    if (!final && read_history_kwh(d, c->id, date, rules->history_periods < 16 ? rules->history_periods : 16,
                                   history, &nhistory, e) != 0)
        return -1;
    read_result res;
    read_evaluate(rules, &prev->idx, cur, m->digits, m->multiplier, !final && strcmp(c->status, "active") == 0,
                  history, nhistory, &res);
    snprintf(r->kind, sizeof r->kind, "%s", final ? "final" : "regular");
    r->flags = res.flags;
    r->kwh = res.kwh;
    r->kwh_sum = res.kwh_sum;
    r->kwh_known = !(res.flags & READ_FLAG_BACKWARDS);
    snprintf(r->status, sizeof r->status, "%s", res.flags & READ_FLAGS_HOLD ? "flagged" : "ok");
    if (res.flags & READ_FLAG_DEVIATION)
        snprintf(r->note, sizeof r->note, "%lld kWh against an average of %.0f", (long long)res.kwh_sum, res.history_avg);
    return 0;
}

/* The customer, its meter and its last read, checked for a new read on date. */
static int prepare(db *d, const char *code, const char *serial, const char *route, const char *date,
                   const register_values *idx, customer *c, meter_row *m, read_row *last, int *has_last, pc_err *e)
{
    civil_date dt;
    if (date_parse(date, &dt, e) != 0)
        return pc_err_prefix(e, "reading_date");
    if (dt > date_today(420) + 1)
        return pc_errf(e, PC_EINVAL, "reading_date: %s is in the future", date);
    if (customer_get(d, code, NULL, c, e) != 0)
        return pc_err_prefix(e, "customer_code");
    if (strcmp(c->status, "terminated") == 0)
        return pc_errf(e, PC_EINVAL, "customer_code: %s is terminated", code);
    if (route && route[0] && strcmp(route, c->route) != 0)
        return pc_errf(e, PC_EINVAL, "route: %s is on route '%s', not '%s'", code, c->route, route);
    if (meter_current(d, c->id, serial && serial[0] ? serial : NULL, m, e) != 0)
        return -1;
    if (registers_check(m->tou, idx, e) != 0)
        return -1;
    for (int g = 0; g < REG_COUNT; g++) {
        int64_t span = 1;
        for (int i = 0; i < m->digits; i++)
            span *= 10;
        if (idx->has[g] && (idx->v[g] < 0 || idx->v[g] >= span))
            return pc_errf(e, PC_EINVAL, "%s: %lld does not fit a %d-digit register", register_name((meter_register)g),
                           (long long)idx->v[g], m->digits);
    }
    if (strcmp(date, m->installed_on) < 0)
        return pc_errf(e, PC_EINVAL, "reading_date: %s is before meter %s was installed (%s)", date, m->serial,
                       m->installed_on);
    if (read_last_of_meter(d, m->id, last, has_last, e) != 0)
        return -1;
    if (*has_last && strcmp(last->read_date, date) >= 0)
        return pc_errf(e, PC_ECONFLICT, "reading_date: meter %s was already read on %s; reads go forward in time",
                       m->serial, last->read_date);
    return 0;
}

static int post_checked(db *d, const char *actor, const read_rules *rules, const read_input *in, read_row *out,
                        pc_err *e)
{
    customer c;
    meter_row m;
    read_row last;
    int has_last;
    if (prepare(d, in->customer_code, in->meter, in->route, in->date, &in->idx, &c, &m, &last, &has_last, e) != 0)
        return -1;
    memset(out, 0, sizeof *out);
    if (evaluate(d, rules, &m, &c, has_last ? &last : NULL, &in->idx, in->date, false, out, e) != 0)
        return -1;
    snprintf(out->source, sizeof out->source, "%s", in->source[0] ? in->source : "cli");
    return read_insert(d, out, actor, e);
}

int read_post(db *d, const char *actor, const read_rules *rules, const read_input *in, read_row *out, pc_err *e)
{
    if (db_begin(d, e) != 0)
        return -1;
    if (post_checked(d, actor, rules, in, out, e) != 0)
        goto fail;
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)out->id);
    char flags[64];
    read_flags_format(out->flags, flags, sizeof flags);
    if (audit_json(d, actor, "read.add", key,
                   json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}", "customer", out->customer_code, "meter",
                             out->meter_serial, "date", out->read_date, "index", registers_json(&out->idx), "status",
                             out->status, "flags", flags),
                   e) != 0)
        goto fail;
    return db_commit(d, e);
fail:
    db_rollback(d);
    return -1;
}

/* ---- import ---- */

typedef struct {
    db *d;
    const char *actor;
    const read_rules *rules;
    read_import_report *rep;
    int col[8]; /* route, customer_code, meter, reading_date, total, normal, peak, offpeak */
    int ncols;
    char source[80];
} import_ctx;

static const char *const read_columns[8] = {"route", "customer_code", "meter", "reading_date",
                                            "total", "normal", "peak", "offpeak"};

static void report_line(import_ctx *x, long line, const pc_err *err)
{
    x->rep->error_rows++;
    if (x->rep->error_rows <= 1000)
        buf_printf(&x->rep->errors, "line %ld: %s\n", line, err->msg);
}

static int parse_index(const char *name, const char *text, int64_t *out, pc_err *e)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!text[0] || *end || v < 0 || v > 999999999LL)
        return pc_errf(e, PC_EINVAL, "%s: '%s' is not a meter index (a whole number)", name, text);
    *out = v;
    return 0;
}

static int import_row(void *ctx, const csv_record *r, pc_err *e)
{
    import_ctx *x = ctx;
    if (r->record == 0) {
        x->ncols = (int)r->nfields;
        for (int i = 0; i < 8; i++)
            x->col[i] = csv_column(r, read_columns[i]);
        for (size_t i = 0; i < r->nfields; i++) {
            bool known = false;
            for (int k = 0; k < 8; k++)
                known |= strcmp(r->fields[i], read_columns[k]) == 0;
            if (!known)
                return pc_errf(e, PC_EINVAL, "line %ld: unknown column '%s' (route, customer_code, meter, "
                                             "reading_date, total, normal, peak, offpeak)", r->line, r->fields[i]);
        }
        for (int i = 0; i < 4; i++)
            if (x->col[i] < 0)
                return pc_errf(e, PC_EINVAL, "line %ld: required column '%s' is missing", r->line, read_columns[i]);
        if (x->col[4] < 0 && (x->col[5] < 0 || x->col[6] < 0 || x->col[7] < 0))
            return pc_errf(e, PC_EINVAL, "line %ld: give the column 'total', or 'normal', 'peak' and 'offpeak'", r->line);
        return 0;
    }
    x->rep->rows++;
    pc_err le = {0};
    if ((int)r->nfields != x->ncols) {
        pc_errf(&le, PC_EINVAL, "%zu fields, the header has %d", r->nfields, x->ncols);
        report_line(x, r->line, &le);
        return 0;
    }
    read_input in;
    memset(&in, 0, sizeof in);
    static const size_t widths[3] = {sizeof in.route, sizeof in.customer_code, sizeof in.meter};
    for (int c = 0; c < 3; c++)
        if (strlen(r->fields[x->col[c]]) >= widths[c]) {
            pc_errf(&le, PC_EINVAL, "%s: longer than %zu characters", read_columns[c], widths[c] - 1);
            report_line(x, r->line, &le);
            return 0;
        }
    snprintf(in.route, sizeof in.route, "%s", r->fields[x->col[0]]);
    snprintf(in.customer_code, sizeof in.customer_code, "%s", r->fields[x->col[1]]);
    snprintf(in.meter, sizeof in.meter, "%s", r->fields[x->col[2]]);
    snprintf(in.date, sizeof in.date, "%s", r->fields[x->col[3]]);
    snprintf(in.source, sizeof in.source, "%s", x->source);
    if (strlen(r->fields[x->col[3]]) >= sizeof in.date) {
        pc_errf(&le, PC_EINVAL, "reading_date: '%s' is not in the form YYYY-MM-DD", r->fields[x->col[3]]);
        report_line(x, r->line, &le);
        return 0;
    }
    for (int g = 0; g < REG_COUNT; g++) {
        int c = x->col[4 + g];
        if (c < 0 || !r->fields[c][0])
            continue;
        in.idx.has[g] = true;
        if (parse_index(read_columns[4 + g], r->fields[c], &in.idx.v[g], &le) != 0) {
            report_line(x, r->line, &le);
            return 0;
        }
    }
    read_row out;
    if (post_checked(x->d, x->actor, x->rules, &in, &out, &le) != 0) {
        if (le.code == PC_EDB || le.code == PC_EINTERNAL) {
            *e = le;
            return pc_err_prefix(e, "line %ld", r->line);
        }
        report_line(x, r->line, &le);
        return 0;
    }
    if (strcmp(out.kind, "initial") == 0)
        x->rep->initial++;
    else if (strcmp(out.status, "flagged") == 0)
        x->rep->flagged++;
    else
        x->rep->ok++;
    return 0;
}

int read_import(db *d, const char *actor, const read_rules *rules, const char *path, bool automatic,
                read_import_report *rep, pc_err *e)
{
    memset(rep, 0, sizeof *rep);
    char hash[SHA256_HEX_LEN];
    if (sha256_file(path, hash, e) != 0)
        return -1;
    int found;
    if (import_file_find(d, "reads", hash, rep->already_at, &found, e) != 0)
        return -1;
    if (found) {
        rep->already = true;
        return 0;
    }
    import_ctx x = {.d = d, .actor = actor, .rules = rules, .rep = rep};
    snprintf(x.source, sizeof x.source, "%s:%.16s", automatic ? "amr" : "file", hash);
    if (db_begin(d, e) != 0)
        return -1;
    db_tolerate_errors(d, true);
    int read_rc = csv_read_file(path, import_row, &x, e);
    db_tolerate_errors(d, false);
    if (read_rc != 0)
        goto fail;
    if (x.ncols == 0) {
        pc_errf(e, PC_EINVAL, "'%s' is empty: expected a header row", path);
        goto fail;
    }
    if (rep->error_rows) {
        pc_errf(e, PC_EINVAL, "%ld of %ld rows have errors; nothing was imported", rep->error_rows, rep->rows);
        goto fail;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (import_file_record(d, "reads", hash, base, rep->rows, actor, e) != 0)
        goto fail;
    json_t *detail = json_pack("{s:s, s:I, s:I, s:I}", "file", base, "rows", (json_int_t)rep->rows, "flagged",
                               (json_int_t)rep->flagged, "initial", (json_int_t)rep->initial);
    int rc = audit_event(d, actor, "read.import", "file", hash, detail, e);
    if (rc != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    rep->ok = rep->flagged = rep->initial = 0;
    return -1;
}

void read_import_report_free(read_import_report *rep)
{
    buf_free(&rep->errors);
}

/* ---- the control queue ---- */

int read_approve(db *d, const char *actor, int64_t read_id, const char *reason, pc_err *e)
{
    if (!reason || !reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: approving a flagged read needs a reason");
    read_row r;
    if (db_begin(d, e) != 0)
        return -1;
    if (read_get(d, read_id, &r, e) != 0)
        goto fail;
    if (strcmp(r.status, "flagged") != 0) {
        pc_errf(e, PC_EINVAL, "read %lld is %s, not flagged: nothing to approve", (long long)read_id, r.status);
        goto fail;
    }
    if (r.flags & READ_FLAG_BACKWARDS) {
        pc_errf(e, PC_EINVAL, "read %lld has a backwards index: its consumption is unknown, correct it with "
                              "`powercis read correct`", (long long)read_id);
        goto fail;
    }
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)read_id);
    if (read_set_status(d, read_id, "approved", reason, e) != 0 ||
        audit_json(d, actor, "read.approve", key,
                   json_pack("{s:s, s:s, s:I, s:s}", "customer", r.customer_code, "date", r.read_date, "kwh",
                             (json_int_t)r.kwh_sum, "reason", reason),
                   e) != 0)
        goto fail;
    return db_commit(d, e);
fail:
    db_rollback(d);
    return -1;
}

int read_correct(db *d, const char *actor, const read_rules *rules, int64_t read_id, const register_values *idx,
                 const char *reason, read_row *out, pc_err *e)
{
    if (!reason || !reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: a correction needs a reason");
    read_row old, prev, last;
    customer c;
    meter_row m;
    int has_last;
    if (db_begin(d, e) != 0)
        return -1;
    if (read_get(d, read_id, &old, e) != 0)
        goto fail;
    if (strcmp(old.status, "superseded") == 0) {
        pc_errf(e, PC_EINVAL, "read %lld was already corrected", (long long)read_id);
        goto fail;
    }
    int64_t billed_by;
    if (read_billed_by(d, old.id, &billed_by, e) != 0)
        goto fail;
    if (billed_by) {
        invoice_row inv;
        if (invoice_get(d, NULL, 0, billed_by, &inv, e) == 0)
            pc_errf(e, PC_EINVAL, "read %lld is billed on invoice %s/%lld: correct it with an adjusting invoice",
                    (long long)read_id, inv.symbol, (long long)inv.number);
        goto fail;
    }
    if (read_last_of_meter(d, old.meter_id, &last, &has_last, e) != 0)
        goto fail;
    if (!has_last || last.id != old.id) {
        pc_errf(e, PC_EINVAL, "read %lld is not the latest read of meter %s (%s is): correct the latest first",
                (long long)read_id, old.meter_serial, has_last ? last.read_date : "none");
        goto fail;
    }
    if (customer_get(d, old.customer_code, NULL, &c, e) != 0)
        goto fail;
    if (meter_current(d, c.id, old.meter_serial, &m, e) != 0) {
        /* a final read of a removed meter: the meter row is still needed for its digits */
        pc_err_clear(e);
        pc_errf(e, PC_EINVAL, "read %lld belongs to a removed meter; correct it before the replacement",
                (long long)read_id);
        goto fail;
    }
    if (registers_check(m.tou, idx, e) != 0)
        goto fail;
    if (old.prev_read_id && read_get(d, old.prev_read_id, &prev, e) != 0)
        goto fail;
    if (read_set_status(d, old.id, "superseded", NULL, e) != 0)
        goto fail;
    memset(out, 0, sizeof *out);
    if (evaluate(d, rules, &m, &c, old.prev_read_id ? &prev : NULL, idx, old.read_date, strcmp(old.kind, "final") == 0,
                 out, e) != 0)
        goto fail;
    if (strcmp(old.kind, "initial") == 0 && old.prev_read_id == 0) {
        snprintf(out->kind, sizeof out->kind, "initial");
    }
    out->supersedes_id = old.id;
    snprintf(out->source, sizeof out->source, "correction");
    snprintf(out->note, sizeof out->note, "%s", reason);
    if (read_insert(d, out, actor, e) != 0)
        goto fail;
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)out->id);
    if (audit_json(d, actor, "read.correct", key,
                   json_pack("{s:s, s:I, s:o, s:o, s:s, s:s}", "customer", old.customer_code, "supersedes",
                             (json_int_t)old.id, "before", registers_json(&old.idx), "after", registers_json(idx),
                             "status", out->status, "reason", reason),
                   e) != 0)
        goto fail;
    return db_commit(d, e);
fail:
    db_rollback(d);
    return -1;
}

int meter_replace(db *d, const char *actor, const read_rules *rules, const char *customer_code, const char *date,
                  const register_values *final_idx, const new_meter *nm, const char *reason, pc_err *e)
{
    if (!reason || !reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: a meter replacement needs a reason");
    if (!nm->serial[0])
        return pc_errf(e, PC_EINVAL, "--serial: the new meter's serial is required");
    customer c;
    meter_row old;
    read_row last, fin, init;
    int has_last;
    if (db_begin(d, e) != 0)
        return -1;
    if (prepare(d, customer_code, NULL, NULL, date, final_idx, &c, &old, &last, &has_last, e) != 0)
        goto fail;
    if (!has_last) {
        pc_errf(e, PC_EINVAL, "meter %s has no read yet: its final index has nothing to be measured from", old.serial);
        goto fail;
    }
    memset(&fin, 0, sizeof fin);
    if (evaluate(d, rules, &old, &c, &last, final_idx, date, true, &fin, e) != 0)
        goto fail;
    snprintf(fin.source, sizeof fin.source, "meter-replace");
    if (read_insert(d, &fin, actor, e) != 0 || meter_remove(d, old.id, date, e) != 0)
        goto fail;
    meter_row nw = {.customer_id = c.id, .tou = old.tou, .multiplier = nm->multiplier ? nm->multiplier : old.multiplier,
                    .digits = nm->digits ? nm->digits : old.digits};
    snprintf(nw.serial, sizeof nw.serial, "%s", nm->serial);
    snprintf(nw.installed_on, sizeof nw.installed_on, "%s", date);
    if (meter_add(d, &nw, e) != 0)
        goto fail;
    memset(&init, 0, sizeof init);
    register_values start = nm->initial;
    for (int g = 0; g < REG_COUNT; g++) {
        bool wanted = old.tou ? g != REG_TOTAL : g == REG_TOTAL;
        if (wanted && !start.has[g]) {
            start.has[g] = true;
            start.v[g] = 0;
        } else if (!wanted && start.has[g]) {
            pc_errf(e, PC_EINVAL, "--initial-%s: the new meter has the same registers as the old one",
                    register_name((meter_register)g));
            goto fail;
        }
    }
    if (evaluate(d, rules, &nw, &c, NULL, &start, date, false, &init, e) != 0)
        goto fail;
    snprintf(init.source, sizeof init.source, "meter-replace");
    if (read_insert(d, &init, actor, e) != 0)
        goto fail;
    if (audit_json(d, actor, "meter.replace", c.code,
                   json_pack("{s:s, s:s, s:o, s:I, s:s, s:o, s:s}", "old", old.serial, "date", date, "final",
                             registers_json(final_idx), "final_kwh", (json_int_t)fin.kwh_sum, "new", nw.serial,
                             "initial", registers_json(&start), "reason", reason),
                   e) != 0)
        goto fail;
    return db_commit(d, e);
fail:
    db_rollback(d);
    return -1;
}
