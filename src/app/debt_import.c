/* Legacy debt import (see debt_import.h): every line is checked against the database and the
 * rest of the file first, in memory; only a file without a bad line is written, in the same
 * transaction that checked it. */
#include "app/debt_import.h"

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/locks.h"
#include "app/payments.h"
#include "app/posting.h"
#include "base/date.h"
#include "base/hash.h"
#include "formats/csv_reader.h"
#include "store/invoices.h"
#include "store/legacy.h"
#include "store/payments.h"
#include "store/reads.h"

/* The column names are a public contract (docs/formats.md): never rename them. */
enum { C_CODE, C_NO, C_PERIOD, C_ISSUE, C_DUE, C_AMOUNT, C_PAID, C_PAID_AT, NCOLS };
#define NREQUIRED 6 /* the first six; paid and paid_at may be absent */
static const char *const columns[NCOLS] = {"customer_code", "invoice_no", "period", "issue_date",
                                           "due_date",      "amount",     "paid",   "paid_at"};

#define MAX_LISTED 1000
#define FIELD_MAX 256
/* The invoice number is also the payment's external reference, which holds 63 characters. */
#define INVOICE_NO_MAX 63
/* As payment_request_check: a figure beyond this is a typing error, not a debt. */
#define AMOUNT_MAX 1000000000000000LL
/* The idempotency namespace of the payments an import records (a partner row of its own). */
#define LEGACY_SOURCE "legacy"

/* One receivable to create. */
typedef struct {
    long line;
    int64_t customer_id, unit_id;
    int residential;
    char customer_code[16];
    char invoice_no[INVOICE_NO_MAX + 1];
    char period[MONTH_FMT_MAX];
    char issue_date[DATE_FMT_MAX], due_date[DATE_FMT_MAX];
    char paid_at[20]; /* "YYYY-MM-DD HH:MM:SS" when paid > 0, "" otherwise */
    money amount, paid;
    char hash[SHA256_HEX_LEN];
    char name[40]; /* "LEGACY/NUMBER" once written: what its payment names */
} receivable;

/* A text → long map (open addressing, FNV-1a): customers by code, invoice numbers by line. */
typedef struct {
    char **keys;
    long *vals;
    size_t n, cap;
} strmap;

static uint32_t text_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static long *strmap_find(const strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t k = text_hash(key) & (m->cap - 1); m->keys[k]; k = (k + 1) & (m->cap - 1))
        if (strcmp(m->keys[k], key) == 0)
            return &m->vals[k];
    return NULL;
}

static void strmap_put_slot(char **keys, long *vals, size_t cap, char *key, long val)
{
    size_t k = text_hash(key) & (cap - 1);
    while (keys[k])
        k = (k + 1) & (cap - 1);
    keys[k] = key;
    vals[k] = val;
}

static void strmap_put(strmap *m, const char *key, long val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        char **keys = calloc(cap, sizeof *keys);
        long *vals = calloc(cap, sizeof *vals);
        if (!keys || !vals)
            abort();
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i])
                strmap_put_slot(keys, vals, cap, m->keys[i], m->vals[i]);
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
    }
    char *copy = strdup(key);
    if (!copy)
        abort();
    strmap_put_slot(m->keys, m->vals, m->cap, copy, val);
    m->n++;
}

static void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
}

typedef struct {
    int64_t id, unit_id; /* id 0: no such customer */
    int residential;
} cust_entry;

typedef struct {
    db *d;
    int utc_offset;
    char today[DATE_FMT_MAX];
    int col[NCOLS];
    int ncols; /* fields in the header; 0 until it is read */
    lock_guard *guard;
    debt_import_report *rep;
    long listed, last_bad_line;
    receivable *rows;
    size_t nrows, caprows;
    cust_entry *custs;
    size_t ncusts, capcusts;
    strmap cust_by_code, line_by_no;
} import_ctx;

static void line_error(import_ctx *x, long line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "line N: column: why". A line counts once however many of its columns are wrong; a file
 * with a bad line in every row still reports in bounded space. */
static void line_error(import_ctx *x, long line, const char *column, const char *fmt, ...)
{
    if (x->last_bad_line != line) {
        x->rep->error_lines++;
        x->last_bad_line = line;
    }
    x->listed++;
    if (x->listed > MAX_LISTED) {
        if (x->listed == MAX_LISTED + 1)
            buf_puts(&x->rep->errors, "… more errors not listed\n");
        return;
    }
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (column)
        buf_printf(&x->rep->errors, "line %ld: %s: %s\n", line, column, msg);
    else
        buf_printf(&x->rep->errors, "line %ld: %s\n", line, msg);
}

/* Spreadsheets pad cells: surrounding blanks are not content. */
static bool copy_trimmed(const char *s, char out[FIELD_MAX])
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    bool fits = n < FIELD_MAX;
    if (!fits)
        n = FIELD_MAX - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return fits;
}

static int read_header(import_ctx *x, const csv_record *r, pc_err *e)
{
    x->ncols = (int)r->nfields;
    bool bad = false;
    for (int k = 0; k < NCOLS; k++)
        x->col[k] = -1;
    for (size_t i = 0; i < r->nfields; i++) {
        int k = 0;
        while (k < NCOLS && strcmp(r->fields[i], columns[k]) != 0)
            k++;
        if (k == NCOLS) {
            buf_printf(&x->rep->errors,
                       "line %ld: unknown column '%s' (expected customer_code, invoice_no, period, issue_date, "
                       "due_date, amount and optionally paid, paid_at; a header row is required)\n",
                       r->line, r->fields[i]);
            bad = true;
        } else if (x->col[k] >= 0) {
            buf_printf(&x->rep->errors, "line %ld: column '%s' appears twice\n", r->line, columns[k]);
            bad = true;
        } else {
            x->col[k] = (int)i;
        }
    }
    for (int k = 0; k < NREQUIRED; k++)
        if (x->col[k] < 0) {
            buf_printf(&x->rep->errors, "line %ld: required column '%s' is missing\n", r->line, columns[k]);
            bad = true;
        }
    if (bad)
        return pc_errf(e, PC_EINVAL, "the header row is not the legacy debt layout (docs/formats.md): nothing was imported");
    return 0;
}

/* The customer of a code, looked up once per file. */
static int customer_of(import_ctx *x, const char *code, cust_entry **out, pc_err *e)
{
    long *slot = strmap_find(&x->cust_by_code, code);
    if (slot) {
        *out = &x->custs[*slot];
        return 0;
    }
    cust_entry c = {0};
    bool found = false;
    if (strlen(code) < 16 && legacy_customer(x->d, code, &c.id, &c.unit_id, &c.residential, &found, e) != 0)
        return -1;
    if (x->ncusts == x->capcusts) {
        x->capcusts = x->capcusts ? x->capcusts * 2 : 256;
        cust_entry *v = realloc(x->custs, x->capcusts * sizeof *v);
        if (!v)
            abort();
        x->custs = v;
    }
    x->custs[x->ncusts] = c;
    strmap_put(&x->cust_by_code, code, (long)x->ncusts);
    *out = &x->custs[x->ncusts++];
    return 0;
}

/* What an invoice number stands for: the normalised content of its line (amounts as integers,
 * paid_at as a full timestamp, or empty when nothing was paid). */
static void content_hash(const receivable *v, char out[SHA256_HEX_LEN])
{
    char text[512];
    int len = snprintf(text, sizeof text, "legacy debt\n%s\n%s\n%s\n%s\n%s\n%lld\n%lld\n%s\n", v->customer_code,
                       v->invoice_no, v->period, v->issue_date, v->due_date, (long long)v->amount, (long long)v->paid,
                       v->paid_at);
    if (len > (int)sizeof text)
        len = (int)sizeof text;
    sha256_hex(text, (size_t)len, out);
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* Checks one data line; a good line that is new goes to x->rows. -1 only for a database error. */
static int check_line(import_ctx *x, const csv_record *r, pc_err *e)
{
    long line = r->line;
    x->rep->lines++;
    if ((int)r->nfields != x->ncols) {
        line_error(x, line, NULL, "%zu fields where the header has %d", r->nfields, x->ncols);
        return 0;
    }
    char f[NCOLS][FIELD_MAX];
    for (int k = 0; k < NCOLS; k++) {
        f[k][0] = '\0';
        if (x->col[k] >= 0 && !copy_trimmed(r->fields[x->col[k]], f[k])) {
            line_error(x, line, columns[k], "longer than %d characters", FIELD_MAX - 1);
            return 0;
        }
    }
    receivable v;
    memset(&v, 0, sizeof v);
    v.line = line;
    pc_err le = {0};

    /* customer_code */
    cust_entry *c = NULL;
    if (!f[C_CODE][0]) {
        line_error(x, line, "customer_code", "is empty");
    } else {
        if (customer_of(x, f[C_CODE], &c, e) != 0)
            return -1;
        if (!c->id) {
            line_error(x, line, "customer_code", "no customer '%s' (add the customer first)", f[C_CODE]);
        } else {
            snprintf(v.customer_code, sizeof v.customer_code, "%.15s", f[C_CODE]);
            v.customer_id = c->id;
            v.unit_id = c->unit_id;
            v.residential = c->residential;
        }
    }

    /* invoice_no: the key of the import, unique in the file */
    if (!f[C_NO][0]) {
        line_error(x, line, "invoice_no", "is empty");
    } else if (strlen(f[C_NO]) > INVOICE_NO_MAX || has_control(f[C_NO])) {
        line_error(x, line, "invoice_no", "'%s' is not an invoice number (at most %d characters, no control characters)",
                   f[C_NO], INVOICE_NO_MAX);
    } else {
        long *first = strmap_find(&x->line_by_no, f[C_NO]);
        if (first)
            line_error(x, line, "invoice_no", "'%s' appears already on line %ld", f[C_NO], *first);
        else
            strmap_put(&x->line_by_no, f[C_NO], line);
        snprintf(v.invoice_no, sizeof v.invoice_no, "%.63s", f[C_NO]);
    }

    /* period, dates */
    civil_month period;
    if (month_parse(f[C_PERIOD], &period, &le) != 0)
        line_error(x, line, "period", "%s", le.msg);
    else
        month_format(period, v.period);
    civil_date issue = 0, due = 0;
    bool issue_ok = date_parse(f[C_ISSUE], &issue, &le) == 0;
    if (!issue_ok)
        line_error(x, line, "issue_date", "%s", le.msg);
    else if (strcmp(f[C_ISSUE], x->today) > 0)
        line_error(x, line, "issue_date", "%s is after today (%s)", f[C_ISSUE], x->today);
    else
        date_format(issue, v.issue_date);
    if (date_parse(f[C_DUE], &due, &le) != 0)
        line_error(x, line, "due_date", "%s", le.msg);
    else if (issue_ok && due < issue)
        line_error(x, line, "due_date", "%s is before issue_date %s", f[C_DUE], f[C_ISSUE]);
    else
        date_format(due, v.due_date);

    /* amount and what was paid on it */
    bool amount_ok = false;
    if (money_parse(f[C_AMOUNT], &v.amount, &le) != 0)
        line_error(x, line, NULL, "%s", le.msg); /* "amount '12a' is not a whole number of đồng" */
    else if (v.amount <= 0)
        line_error(x, line, "amount", "must be more than 0 đồng");
    else if (v.amount > AMOUNT_MAX)
        line_error(x, line, "amount", "%s is beyond any electricity bill", f[C_AMOUNT]);
    else
        amount_ok = true;
    if (f[C_PAID][0]) {
        char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX];
        if (money_parse(f[C_PAID], &v.paid, &le) != 0)
            line_error(x, line, "paid", "%s", le.msg);
        else if (v.paid < 0)
            line_error(x, line, "paid", "%s is negative", f[C_PAID]);
        else if (amount_ok && v.paid > v.amount)
            line_error(x, line, "paid", "%s is more than the amount %s", money_format(v.paid, true, m1),
                       money_format(v.amount, true, m2));
    }
    /* paid_at only matters when something was paid; when given it must still be a date. */
    if (f[C_PAID_AT][0]) {
        char at[20];
        if (paid_at_normalize(f[C_PAID_AT], x->utc_offset, at, &le) != 0) {
            line_error(x, line, NULL, "%s", le.msg); /* "paid_at '…': …" */
        } else if (issue_ok && strncmp(at, f[C_ISSUE], 10) < 0) {
            line_error(x, line, "paid_at", "%.10s is before issue_date %s", at, f[C_ISSUE]);
        } else if (strncmp(at, x->today, 10) > 0) {
            line_error(x, line, "paid_at", "%.10s is after today (%s)", at, x->today);
        } else if (v.paid > 0) {
            memcpy(v.paid_at, at, sizeof v.paid_at);
        }
    } else if (v.paid > 0 && issue_ok) {
        snprintf(v.paid_at, sizeof v.paid_at, "%.10s 00:00:00", v.issue_date);
    }
    if (x->last_bad_line == line)
        return 0;

    /* Idempotency by invoice number: the same content again is skipped, other content refused. */
    content_hash(&v, v.hash);
    legacy_row prev;
    bool found;
    if (legacy_find(x->d, v.invoice_no, &prev, &found, e) != 0)
        return -1;
    if (found) {
        if (strcmp(prev.content_hash, v.hash) == 0) {
            x->rep->already++;
        } else {
            char from[300];
            if (prev.file_name[0])
                snprintf(from, sizeof from, "%s line %lld", prev.file_name, (long long)prev.line);
            else
                snprintf(from, sizeof from, "line %lld of an earlier file", (long long)prev.line);
            line_error(x, line, "invoice_no", "invoice_no %s was imported from %s with other content: refused (adjust the "
                       "debt with `debt adjust` instead)", v.invoice_no, from);
        }
        return 0;
    }
    /* Report locks: the receivable is dated on its issue date, its payment on paid_at. */
    if (lock_guard_check(x->guard, v.unit_id, v.issue_date, &le) != 0) {
        if (le.code == PC_EDB || le.code == PC_EINTERNAL) {
            *e = le;
            return -1;
        }
        line_error(x, line, "issue_date", "%s", le.msg);
        return 0;
    }
    if (v.paid > 0 && lock_guard_check(x->guard, v.unit_id, v.paid_at, &le) != 0) {
        if (le.code == PC_EDB || le.code == PC_EINTERNAL) {
            *e = le;
            return -1;
        }
        line_error(x, line, "paid_at", "%s", le.msg);
        return 0;
    }
    if (x->nrows == x->caprows) {
        x->caprows = x->caprows ? x->caprows * 2 : 1024;
        receivable *nv = realloc(x->rows, x->caprows * sizeof *nv);
        if (!nv)
            abort();
        x->rows = nv;
    }
    x->rows[x->nrows++] = v;
    x->rep->imported++;
    x->rep->amount += v.amount;
    x->rep->paid += v.paid;
    if (v.paid == v.amount)
        x->rep->settled++;
    return 0;
}

static int import_row(void *ctx, const csv_record *r, pc_err *e)
{
    import_ctx *x = ctx;
    if (r->record == 0)
        return read_header(x, r, e);
    return check_line(x, r, e);
}

/* The payments record what the legacy system says was paid: their source needs a partner row
 * (the posting engine accepts known sources only), created with the first import that has one. */
static int legacy_source_ensure(db *d, const char *actor, pc_err *e)
{
    partner_row p;
    pc_err le = {0};
    if (partner_get(d, LEGACY_SOURCE, &p, &le) == 0)
        return 0;
    if (le.code != PC_ENOTFOUND) {
        *e = le;
        return -1;
    }
    memset(&p, 0, sizeof p);
    snprintf(p.code, sizeof p.code, "%s", LEGACY_SOURCE);
    snprintf(p.name, sizeof p.name, "Legacy receivables (debt import)");
    snprintf(p.kind, sizeof p.kind, "collector");
    p.settlement_days = 0;
    return partner_insert(d, &p, actor, e);
}

/* Writes the checked receivables: invoices with their open items (the repository's bulk path, as
 * a billing run writes them: COPY in PostgreSQL), their legacy rows, then what was paid on them
 * through the posting engine, which finds the new invoices open. */
static int write_all(import_ctx *x, const char *actor, int64_t file_id, pc_err *e)
{
    int64_t number; /* under the invoice issue lock, taken when the import began */
    if (legacy_next_number(x->d, &number, e) != 0)
        return -1;
    invoice_writer *iw = invoice_writer_open(x->d, actor, e);
    legacy_writer *w = iw ? legacy_writer_open(x->d, e) : NULL;
    invoice_row *inv = malloc(sizeof *inv);
    if (!inv)
        abort();
    int rc = w ? 0 : -1;
    bool any_paid = false;
    for (size_t i = 0; rc == 0 && i < x->nrows; i++) {
        receivable *v = &x->rows[i];
        civil_month m;
        month_parse(v->period, &m, NULL);
        /* Only the header: a legacy receivable has no invoice lines. */
        memset(inv, 0, offsetof(invoice_row, lines));
        inv->customer_id = v->customer_id;
        inv->unit_id = v->unit_id;
        inv->residential = v->residential;
        snprintf(inv->customer_code, sizeof inv->customer_code, "%s", v->customer_code);
        snprintf(inv->kind, sizeof inv->kind, "regular");
        snprintf(inv->period, sizeof inv->period, "%s", v->period);
        date_format(month_first_day(m), inv->from_date);
        date_format(month_last_day(m), inv->to_date);
        snprintf(inv->issue_date, sizeof inv->issue_date, "%s", v->issue_date);
        snprintf(inv->due_date, sizeof inv->due_date, "%s", v->due_date);
        snprintf(inv->symbol, sizeof inv->symbol, "%s", LEGACY_SYMBOL);
        inv->number = number++;
        inv->energy = v->amount;
        inv->total = v->amount;
        snprintf(inv->reason, sizeof inv->reason, "legacy: %s", v->invoice_no);
        rc = invoice_writer_add(iw, inv, NULL, 0, e);
        if (rc == 0)
            rc = legacy_writer_add(w, v->invoice_no, inv->id, v->customer_id, v->hash, file_id, v->line, e);
        snprintf(v->name, sizeof v->name, "%s/%lld", LEGACY_SYMBOL, (long long)inv->number);
        any_paid |= v->paid > 0;
    }
    free(inv);
    if (rc == 0)
        rc = invoice_writer_flush(iw, e);
    if (rc == 0)
        rc = legacy_writer_flush(w, e);
    legacy_writer_close(w);
    invoice_writer_close(iw);
    if (rc != 0 || !any_paid)
        return rc;

    if (legacy_source_ensure(x->d, actor, e) != 0)
        return -1;
    posting_batch *b = posting_batch_open(x->d, actor, x->utc_offset, e);
    if (!b)
        return -1;
    for (size_t i = 0; i < x->nrows; i++) {
        receivable *v = &x->rows[i];
        if (v->paid <= 0)
            continue;
        payment_request q = {.customer_code = v->customer_code, .channel = "file", .method = "transfer",
                             .source = LEGACY_SOURCE, .ext_ref = v->invoice_no, .amount = v->paid,
                             .paid_at = v->paid_at, .file_id = file_id, .ninvoices = 1};
        q.invoices[0] = v->name;
        int64_t id;
        bool repeated;
        pc_err le = {0};
        if (posting_batch_add(b, &q, &id, &repeated, &le) != 0) {
            if (le.code == PC_EDB || le.code == PC_EINTERNAL) {
                *e = le;
                posting_batch_close(b);
                return -1;
            }
            line_error(x, v->line, "paid", "%s", le.msg);
        } else if (repeated) {
            /* A legacy payment key without its legacy invoice: someone posted under our source. */
            line_error(x, v->line, "invoice_no", "a payment %s/%s exists already without this receivable",
                       LEGACY_SOURCE, v->invoice_no);
        }
    }
    if (x->rep->error_lines) {
        posting_batch_close(b);
        return pc_errf(e, PC_EINVAL, "%ld of %ld lines have errors; nothing was imported", x->rep->error_lines,
                       x->rep->lines);
    }
    rc = posting_batch_flush(b, e);
    posting_batch_close(b);
    return rc;
}

int debt_import(db *d, const char *actor, int utc_offset, const char *path, bool dry_run, debt_import_report *rep,
                pc_err *e)
{
    memset(rep, 0, sizeof *rep);
    char hash[SHA256_HEX_LEN];
    if (sha256_file(path, hash, e) != 0)
        return -1;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    import_ctx x = {.d = d, .utc_offset = utc_offset, .rep = rep};
    date_format(date_today(utc_offset), x.today);
    if (db_begin(d, e) != 0)
        return -1;
    int rc = -1;
    /* Two imports (or an import and a billing run) take turns from the start: the second checks
     * its lines against what the first wrote, and LEGACY numbers are taken by one at a time. */
    if (!dry_run && invoice_issue_lock(d, e) != 0)
        goto done;
    x.guard = lock_guard_open(d, e);
    if (!x.guard)
        goto done;
    /* Every line is checked against the database and the rest of the file; nothing is written
     * until every line has passed. */
    if (csv_read_file(path, import_row, &x, e) != 0)
        goto done;
    if (x.ncols == 0) {
        pc_errf(e, PC_EINVAL, "'%s' is empty: expected a header row (docs/formats.md)", path);
        goto done;
    }
    if (rep->error_lines) {
        pc_errf(e, PC_EINVAL, "%ld of %ld lines have errors; nothing was imported", rep->error_lines, rep->lines);
        goto done;
    }
    /* Nothing new (the same file again, or lines all imported before): nothing is written, not
     * even the file's row, so the database stays exactly as it was. */
    if (dry_run || x.nrows == 0) {
        rc = 0;
        goto done;
    }
    int64_t file_id;
    if (legacy_file_find(d, hash, &file_id, e) != 0)
        goto done;
    if (!file_id) {
        if (import_file_record(d, "debt", hash, base, rep->lines, actor, e) != 0)
            goto done;
        file_id = db_last_insert_id(d);
    }
    if (write_all(&x, actor, file_id, e) != 0)
        goto done;
    json_t *detail = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "file", base, "lines", (json_int_t)rep->lines,
                               "imported", (json_int_t)rep->imported, "already", (json_int_t)rep->already, "settled",
                               (json_int_t)rep->settled, "amount", (json_int_t)rep->amount, "paid",
                               (json_int_t)rep->paid);
    if (audit_event(d, actor, "debt.import", "file", hash, detail, e) != 0 || db_commit(d, e) != 0)
        goto done;
    rc = 1; /* committed */
done:
    if (rc != 1)
        db_rollback(d);
    if (rc < 0) {
        rep->imported = rep->settled = 0;
        rep->amount = rep->paid = 0;
    }
    lock_guard_close(x.guard);
    free(x.rows);
    free(x.custs);
    strmap_free(&x.cust_by_code);
    strmap_free(&x.line_by_no);
    return rc < 0 ? -1 : 0;
}

void debt_import_report_free(debt_import_report *rep)
{
    buf_free(&rep->errors);
}
