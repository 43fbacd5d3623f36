/* Batch imports of uploaded files (see uploads.h). The imports themselves are the CLI's; this
 * file adds what an upload needs around them: a first pass over the file that counts its lines
 * and refuses lines of customers outside the uploader's scope, a summary of one shape for every
 * kind, and the per-line reports turned into line, column and reason. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/customers.h"
#include "app/debt_import.h"
#include "app/payments.h"
#include "app/reads.h"
#include "app/reconciliation.h"
#include "app/uploads.h"
#include "base/date.h"
#include "base/hash.h"
#include "domain/access.h"
#include "formats/csv_reader.h"
#include "store/payments.h"
#include "store/repo.h"

#define MAX_LISTED 1000

static const char *const kind_names[UPLOAD_KIND_COUNT] = {"customers",  "reads",           "collections",
                                                          "statements", "bank-statements", "legacy-debt"};

/* The columns of each kind's file (docs/formats.md, docs/reconciliation.md), for naming the
 * column a reason is about. */
static const char *const kind_columns[UPLOAD_KIND_COUNT][25] = {
    {"customer_code", "name", "address", "unit", "purpose", "class", "voltage", "households", "phone", "renter",
     "persons", "tou", "route", "status", "payment_mode", "payment_term_days", "periods_per_month", "est_kwh",
     "valid_from", "meter", "multiplier", "digits", "amr", "transformer", NULL},
    {"route", "customer_code", "meter", "reading_date", "total", "normal", "peak", "offpeak", NULL},
    {"partner", "txn_ref", "customer_code", "amount", "paid_at", "invoice_no", NULL},
    {"partner", "txn_ref", "customer_code", "amount", "paid_at", NULL},
    {"value_date", "amount", "partner", "for_day", "reference", "narrative", NULL},
    {"customer_code", "invoice_no", "period", "issue_date", "due_date", "amount", "paid", "paid_at", NULL},
};

const char *upload_kind_name(upload_kind k)
{
    return (unsigned)k < UPLOAD_KIND_COUNT ? kind_names[k] : "?";
}

int upload_kind_parse(const char *s, upload_kind *out)
{
    for (int k = 0; k < UPLOAD_KIND_COUNT; k++)
        if (strcmp(s, kind_names[k]) == 0) {
            *out = (upload_kind)k;
            return 0;
        }
    return -1;
}

bool upload_kind_scoped(upload_kind k)
{
    return k == UPLOAD_CUSTOMERS || k == UPLOAD_READS || k == UPLOAD_COLLECTIONS || k == UPLOAD_LEGACY_DEBT;
}

void upload_result_free(upload_result *r)
{
    free(r->errors);
    r->errors = NULL;
    r->nerrors = 0;
}

/* ---- reports as line, column, reason ---- */

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

void upload_column_of(upload_kind k, const char *msg, char out[32])
{
    const char *best = NULL;
    size_t best_len = 0;
    out[0] = 0;
    for (const char *const *c = kind_columns[k]; *c; c++) {
        size_t n = strlen(*c);
        for (const char *p = strstr(msg, *c); p; p = strstr(p + 1, *c)) {
            if ((p > msg && word_char(p[-1])) || word_char(p[n]))
                continue;
            if (!best || p < best || (p == best && n > best_len))
                best = p, best_len = n;
            break;
        }
    }
    if (best)
        snprintf(out, 32, "%.*s", (int)best_len, best);
}

static void add_error(upload_result *res, upload_kind k, long line, const char *reason)
{
    res->error_lines++;
    if (res->nerrors >= MAX_LISTED)
        return;
    if (res->nerrors % 64 == 0) {
        upload_line_error *v = realloc(res->errors, (res->nerrors + 64) * sizeof *v);
        if (!v)
            abort();
        res->errors = v;
    }
    upload_line_error *x = &res->errors[res->nerrors++];
    x->line = line;
    snprintf(x->reason, sizeof x->reason, "%s", reason);
    upload_column_of(k, reason, x->column);
}

/* "line N: reason" into line and reason; false when text is not of that shape. */
static bool split_line(const char *text, size_t n, long *line, const char **reason)
{
    if (n < 7 || strncmp(text, "line ", 5) != 0 || !isdigit((unsigned char)text[5]))
        return false;
    char *end;
    *line = strtol(text + 5, &end, 10);
    if (end[0] != ':' || end[1] != ' ')
        return false;
    *reason = end + 2;
    return true;
}

/* An import's report "line N: …\n…" into res->errors; lines of any other shape ("… more lines
 * not listed") are left out, since error_lines counts them. */
static void errors_of_report(upload_result *res, upload_kind k, const buf *report)
{
    const char *p = report->len ? report->data : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char text[600];
        snprintf(text, sizeof text, "%.*s", (int)n, p);
        long line;
        const char *reason;
        if (split_line(text, strlen(text), &line, &reason))
            add_error(res, k, line, reason);
        p += n + (nl ? 1 : 0);
    }
}

/* A refusal of the whole file (its header, its encoding) as an error of its line, or of the
 * file (line 0). */
static void error_of_message(upload_result *res, upload_kind k, const char *msg)
{
    long line;
    const char *reason;
    if (split_line(msg, strlen(msg), &line, &reason))
        add_error(res, k, line, reason);
    else
        add_error(res, k, 0, msg);
}

/* ---- the first pass: lines and scope ---- */

typedef struct {
    char code[16];
    bool in;
} unit_seen;

typedef struct {
    db *d;
    upload_kind kind;
    const char *scope_path;
    upload_result *res;
    int col; /* the unit or customer_code column, -1 when absent */
    long lines, outside;
    unit_seen units[64];
    int nunits;
} prepass_ctx;

/* Whether a unit lies in the scope; an unknown unit does (the import reports it as unknown). */
static int unit_in_scope(prepass_ctx *x, const char *unit, bool *in, pc_err *e)
{
    for (int i = 0; i < x->nunits; i++)
        if (strcmp(x->units[i].code, unit) == 0) {
            *in = x->units[i].in;
            return 0;
        }
    org_row n;
    pc_err le = {0};
    if (org_get(x->d, unit, &n, &le) != 0) {
        if (le.code != PC_ENOTFOUND) {
            *e = le;
            return -1;
        }
        *in = true;
    } else {
        *in = access_in_scope(x->scope_path, n.path);
    }
    if (x->nunits < 64) {
        snprintf(x->units[x->nunits].code, sizeof x->units[0].code, "%s", unit);
        x->units[x->nunits++].in = *in;
    }
    return 0;
}

/* A customer's line is in the scope when the unit its code names is, and, for a customer that
 * moved to another unit, that one too (as over HTTP elsewhere: h_payments.c). */
static int customer_in_scope(prepass_ctx *x, const char *code, bool *in, pc_err *e)
{
    char unit[16];
    snprintf(unit, sizeof unit, "%.6s", code);
    if (unit_in_scope(x, unit, in, e) != 0)
        return -1;
    if (!*in)
        return 0;
    payer_row c;
    pc_err le = {0};
    if (payer_get(x->d, code, &c, &le) != 0) {
        if (le.code == PC_ENOTFOUND)
            return 0;
        *e = le;
        return -1;
    }
    return strcmp(c.unit_code, unit) != 0 ? unit_in_scope(x, c.unit_code, in, e) : 0;
}

static int prepass_row(void *ctx, const csv_record *r, pc_err *e)
{
    prepass_ctx *x = ctx;
    if (r->record == 0) {
        x->col = csv_column(r, x->kind == UPLOAD_CUSTOMERS ? "unit" : "customer_code");
        return 0;
    }
    x->lines++;
    if (!x->scope_path || x->col < 0 || (size_t)x->col >= r->nfields)
        return 0;
    char value[32];
    snprintf(value, sizeof value, "%s", r->fields[x->col]);
    for (char *p = value; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    if (!value[0])
        return 0;
    bool in = true;
    if ((x->kind == UPLOAD_CUSTOMERS ? unit_in_scope(x, value, &in, e) : customer_in_scope(x, value, &in, e)) != 0)
        return -1;
    if (!in) {
        char reason[128];
        snprintf(reason, sizeof reason, "%s: '%s' is not within your scope",
                 x->kind == UPLOAD_CUSTOMERS ? "unit" : "customer_code", value);
        x->outside++;
        add_error(x->res, x->kind, r->line, reason);
    }
    return 0;
}

/* ---- the import ---- */

static void set_detail(upload_result *res, json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    snprintf(res->detail, sizeof res->detail, "%s", text ? text : "{}");
    free(text);
    json_decref(o);
}

static void keep_report(buf *report, const buf *errors)
{
    if (errors->len)
        buf_append(report, errors->data, errors->len);
}

/* Runs the kind's import; fills the counts, and report with its per-line errors. */
static int run_import(db *d, const char *actor, const pc_config *cfg, upload_kind k, const char *path,
                      const upload_options *o, upload_result *res, buf *report, pc_err *e)
{
    int rc;
    switch (k) {
    case UPLOAD_CUSTOMERS: {
        import_report rep;
        rc = customer_import(d, actor, path, &rep, e);
        res->imported = rep.imported;
        keep_report(report, &rep.errors);
        import_report_free(&rep);
        set_detail(res, json_object());
        return rc;
    }
    case UPLOAD_READS: {
        read_rules rules = cfg->reads;
        read_import_report rep;
        bool amr = o->source && strcmp(o->source, "amr") == 0;
        rc = read_import(d, actor, &rules, path, amr, &rep, e);
        res->imported = rep.already ? 0 : rep.rows;
        res->already = rep.already;
        memcpy(res->already_at, rep.already_at, sizeof res->already_at);
        keep_report(report, &rep.errors);
        set_detail(res, json_pack("{s:s, s:I, s:I, s:I}", "source", amr ? "amr" : "file", "ok", (json_int_t)rep.ok,
                                  "flagged", (json_int_t)rep.flagged, "initial", (json_int_t)rep.initial));
        read_import_report_free(&rep);
        return rc;
    }
    case UPLOAD_COLLECTIONS: {
        collection_report rep;
        rc = collection_import(d, actor, cfg->utc_offset_minutes, path, &rep, e);
        res->imported = rep.posted;
        res->skipped = rep.repeated;
        res->amount = rep.amount;
        res->already = rep.already;
        memcpy(res->already_at, rep.already_at, sizeof res->already_at);
        keep_report(report, &rep.errors);
        collection_report_free(&rep);
        set_detail(res, json_object());
        return rc;
    }
    case UPLOAD_STATEMENTS:
    case UPLOAD_BANK_STATEMENTS: {
        recon_import_report rep;
        rc = k == UPLOAD_STATEMENTS ? statement_import(d, actor, o->partner, path, &rep, e)
                                    : bank_import(d, actor, path, &rep, e);
        res->imported = rep.added;
        res->skipped = rep.repeated;
        res->amount = rep.amount;
        res->already = rep.already;
        memcpy(res->already_at, rep.already_at, sizeof res->already_at);
        keep_report(report, &rep.errors);
        recon_import_report_free(&rep);
        set_detail(res, k == UPLOAD_STATEMENTS && o->partner ? json_pack("{s:s}", "partner", o->partner)
                                                             : json_object());
        return rc;
    }
    case UPLOAD_LEGACY_DEBT: {
        debt_import_report rep;
        rc = debt_import(d, actor, cfg->utc_offset_minutes, path, o->dry_run, &rep, e);
        res->imported = rep.imported;
        res->skipped = rep.already;
        res->amount = rep.amount;
        keep_report(report, &rep.errors);
        set_detail(res, json_pack("{s:b, s:I, s:I}", "dry_run", o->dry_run, "settled", (json_int_t)rep.settled, "paid",
                                  (json_int_t)rep.paid));
        debt_import_report_free(&rep);
        return rc;
    }
    default:
        return pc_errf(e, PC_EINVAL, "unknown kind of file");
    }
}

int upload_import(db *d, const char *actor, const pc_config *cfg, upload_kind k, const char *path,
                  const upload_options *o, upload_result *res, pc_err *e)
{
    memset(res, 0, sizeof *res);
    snprintf(res->detail, sizeof res->detail, "{}");
    if (sha256_file(path, res->sha256, e) != 0)
        return -1;
    prepass_ctx x = {.d = d, .kind = k, .res = res, .col = -1,
                     .scope_path = upload_kind_scoped(k) && o->scope_path && o->scope_path[0] ? o->scope_path : NULL};
    pc_err pe = {0};
    if (csv_read_file(path, prepass_row, &x, &pe) != 0) {
        if (pe.code != PC_EINVAL)
            return *e = pe, -1;
        /* the file cannot be read as CSV: the import would say the same */
        error_of_message(res, k, pe.msg);
        return pc_errf(e, PC_EINVAL, "%s", pe.msg);
    }
    res->lines = x.lines;
    if (x.outside)
        return pc_errf(e, PC_EINVAL, "%ld of %ld lines name customers outside your scope; nothing was imported",
                       x.outside, x.lines);
    buf report = {0};
    int rc = run_import(d, actor, cfg, k, path, o, res, &report, e);
    if (rc != 0) {
        res->imported = res->skipped = 0;
        res->amount = 0;
        errors_of_report(res, k, &report);
        if (res->nerrors == 0 && e->code == PC_EINVAL)
            error_of_message(res, k, e->msg);
    } else if (res->already) {
        res->skipped = res->lines;
    }
    buf_free(&report);
    return rc;
}

static int history_add(db *d, const upload_origin *from, upload_kind k, const upload_result *res, upload_row *out,
                       pc_err *e)
{
    memset(out, 0, sizeof *out);
    snprintf(out->idempotency_key, sizeof out->idempotency_key, "%s", from->key);
    snprintf(out->kind, sizeof out->kind, "%s", upload_kind_name(k));
    snprintf(out->sha256, sizeof out->sha256, "%s", res->sha256);
    snprintf(out->name, sizeof out->name, "%s", from->name);
    out->bytes = from->bytes;
    snprintf(out->options, sizeof out->options, "%s", from->options ? from->options : "");
    snprintf(out->uploaded_by, sizeof out->uploaded_by, "%s", from->actor);
    snprintf(out->scope_path, sizeof out->scope_path, "%s", from->scope_path ? from->scope_path : "/");
    timestamp_now(out->uploaded_at);
    out->lines = res->lines;
    out->imported = res->imported;
    out->skipped = res->skipped;
    out->amount = res->amount;
    snprintf(out->detail, sizeof out->detail, "%s", res->detail);
    return upload_insert(d, out, e);
}

int upload_import_kept(db *d, const pc_config *cfg, upload_kind k, const char *path, const upload_options *o,
                       const upload_origin *from, upload_result *res, upload_row *row, bool *kept, pc_err *e)
{
    *kept = false;
    /* the import's own transaction becomes a savepoint inside this one */
    if (db_begin(d, e) != 0) {
        memset(res, 0, sizeof *res);
        return -1;
    }
    if (upload_import(d, from->actor, cfg, k, path, o, res, e) != 0) {
        db_rollback(d);
        return -1;
    }
    bool changed = !res->already && !o->dry_run && (res->imported > 0 || k != UPLOAD_LEGACY_DEBT);
    if (changed && history_add(d, from, k, res, row, e) != 0) {
        db_rollback(d);
        return -1;
    }
    if (db_commit(d, e) != 0)
        return -1;
    *kept = changed;
    return 0;
}
