/* Reconciliation of third-party collections (see reconciliation.h, docs/reconciliation.md). */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/payments.h"
#include "app/reconciliation.h"
#include "base/date.h"
#include "base/hash.h"
#include "formats/csv_reader.h"
#include "store/reads.h"
#include "store/recon.h"

/* ---- shared by both imports ---- */

#define MAX_COLS 6

typedef struct {
    const char *const *names; /* the first nrequired are required */
    int ncolumns, nrequired;
    int col[MAX_COLS];
    int nfields; /* of the header; 0 until it is read */
} header_map;

static int header_read(header_map *h, const csv_record *r, pc_err *e)
{
    h->nfields = (int)r->nfields;
    for (int i = 0; i < h->ncolumns; i++)
        h->col[i] = csv_column(r, h->names[i]);
    for (size_t i = 0; i < r->nfields; i++) {
        bool known = false;
        for (int k = 0; k < h->ncolumns; k++)
            known |= strcmp(r->fields[i], h->names[k]) == 0;
        if (!known) {
            char list[160] = "";
            for (int k = 0; k < h->ncolumns; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "", h->names[k]);
            return pc_errf(e, PC_EINVAL, "line %ld: unknown column '%s' (%s)", r->line, r->fields[i], list);
        }
    }
    for (int i = 0; i < h->nrequired; i++)
        if (h->col[i] < 0)
            return pc_errf(e, PC_EINVAL, "line %ld: required column '%s' is missing", r->line, h->names[i]);
    return 0;
}

static void line_error(recon_import_report *rep, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line_error(recon_import_report *rep, long line, const char *fmt, ...)
{
    rep->error_rows++;
    /* A file with a bad line in every row still reports in bounded space. */
    if (rep->error_rows <= 1000) {
        char msg[600];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        buf_printf(&rep->errors, "line %ld: %s\n", line, msg);
    } else if (rep->error_rows == 1001) {
        buf_printf(&rep->errors, "… more lines with errors not listed\n");
    }
}

/* A reference or code: present, short enough for the matching, no control characters. */
static const char *key_problem(const char *v, size_t cap)
{
    if (!v[0])
        return "is empty";
    if (strlen(v) >= cap)
        return "is too long";
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20)
            return "holds a control character";
    return NULL;
}

/* Partners named in a file, checked once each. */
typedef struct {
    char codes[32][RECON_CODE_MAX];
    int n;
} partner_cache;

static int partner_known(db *d, partner_cache *c, const char *code, bool *known, pc_err *e)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->codes[i], code) == 0) {
            *known = true;
            return 0;
        }
    partner_row p;
    pc_err le = {0};
    if (partner_get(d, code, &p, &le) != 0) {
        if (le.code != PC_ENOTFOUND) {
            *e = le;
            return -1;
        }
        *known = false;
        return 0;
    }
    *known = true;
    if (c->n < 32)
        snprintf(c->codes[c->n++], RECON_CODE_MAX, "%s", code);
    return 0;
}

/* The file's identity and row, or rep->already when it was imported before. */
static int import_begin(db *d, const char *actor, const char *kind, const char *path, recon_import_report *rep,
                        char hash[SHA256_HEX_LEN], int64_t *file_id, pc_err *e)
{
    int found;
    if (sha256_file(path, hash, e) != 0 || import_file_find(d, kind, hash, rep->already_at, &found, e) != 0)
        return -1;
    if (found) {
        rep->already = true;
        return 0;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (db_begin(d, e) != 0)
        return -1;
    if (import_file_record(d, kind, hash, base, 0, actor, e) != 0) {
        db_rollback(d);
        return -1;
    }
    *file_id = db_last_insert_id(d);
    return 0;
}

static int import_end(db *d, const char *actor, const char *action, const char *path, const char *hash,
                      const header_map *h, recon_import_report *rep, pc_err *e)
{
    if (h->nfields == 0)
        return pc_errf(e, PC_EINVAL, "'%s' is empty: expected a header row", path);
    if (rep->error_rows)
        return pc_errf(e, PC_EINVAL, "%ld of %ld rows have errors; nothing was imported", rep->error_rows, rep->rows);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char m[MONEY_FMT_MAX];
    json_t *detail = json_pack("{s:s, s:I, s:I, s:I, s:s}", "file", base, "rows", (json_int_t)rep->rows, "added",
                               (json_int_t)rep->added, "repeated", (json_int_t)rep->repeated, "amount",
                               money_format(rep->amount, false, m));
    if (audit_event(d, actor, action, "file", hash, detail, e) != 0 || db_commit(d, e) != 0)
        return -1;
    return 0;
}

void recon_import_report_free(recon_import_report *rep)
{
    buf_free(&rep->errors);
}

/* ---- partner statements ---- */

static const char *const statement_columns[] = {"partner", "txn_ref", "customer_code", "amount", "paid_at"};

typedef struct {
    db *d;
    const char *only_partner;
    int64_t file_id;
    header_map h;
    partner_cache partners;
    statement_writer *w;
    recon_import_report *rep;
} statement_ctx;

static int statement_row(void *ctx, const csv_record *r, pc_err *e)
{
    statement_ctx *x = ctx;
    if (r->record == 0)
        return header_read(&x->h, r, e);
    recon_import_report *rep = x->rep;
    rep->rows++;
    if ((int)r->nfields != x->h.nfields) {
        line_error(rep, r->line, "%zu fields where the header has %d", r->nfields, x->h.nfields);
        return 0;
    }
    const char *f[5];
    for (int i = 0; i < 5; i++)
        f[i] = r->fields[x->h.col[i]];
    const char *why;
    bool known;
    if ((why = key_problem(f[0], RECON_CODE_MAX))) {
        line_error(rep, r->line, "partner %s", why);
        return 0;
    }
    if (x->only_partner && strcmp(f[0], x->only_partner) != 0) {
        line_error(rep, r->line, "partner '%s' in a statement imported for %s", f[0], x->only_partner);
        return 0;
    }
    if (partner_known(x->d, &x->partners, f[0], &known, e) != 0)
        return -1;
    if (!known) {
        line_error(rep, r->line, "no partner '%s' (see `powercis partner list`)", f[0]);
        return 0;
    }
    if ((why = key_problem(f[1], RECON_REF_MAX))) {
        line_error(rep, r->line, "txn_ref '%s' %s (at most %d characters)", f[1], why, RECON_REF_MAX - 1);
        return 0;
    }
    if ((why = key_problem(f[2], RECON_CODE_MAX))) {
        line_error(rep, r->line, "customer_code '%s' %s", f[2], why);
        return 0;
    }
    pc_err le = {0};
    statement_line_row row = {.file_id = x->file_id, .line = r->line};
    if (money_parse(f[3], &row.amount, &le) != 0) {
        line_error(rep, r->line, "amount: %s", le.msg);
        return 0;
    }
    if (row.amount <= 0) {
        line_error(rep, r->line, "amount %s must be more than 0 đồng", f[3]);
        return 0;
    }
    if (!f[4][0]) {
        line_error(rep, r->line, "paid_at is required");
        return 0;
    }
    if (paid_at_normalize(f[4], 0, row.paid_at, &le) != 0) {
        line_error(rep, r->line, "%s", le.msg);
        return 0;
    }
    if (rep->error_rows)
        return 0; /* the file is rejected: checking goes on, writing does not */
    snprintf(row.partner, sizeof row.partner, "%s", f[0]);
    snprintf(row.day, sizeof row.day, "%.10s", row.paid_at);
    snprintf(row.txn_ref, sizeof row.txn_ref, "%s", f[1]);
    snprintf(row.customer_code, sizeof row.customer_code, "%s", f[2]);
    if (statement_writer_add(x->w, &row, e) != 0)
        return -1;
    rep->added++;
    if (!money_add(rep->amount, row.amount, &rep->amount))
        return pc_errf(e, PC_EINVAL, "line %ld: the file's amounts add up beyond any total", r->line);
    return 0;
}

int statement_import(db *d, const char *actor, const char *partner, const char *path, recon_import_report *rep,
                     pc_err *e)
{
    memset(rep, 0, sizeof *rep);
    char hash[SHA256_HEX_LEN];
    statement_ctx x = {.d = d, .only_partner = partner && partner[0] ? partner : NULL, .rep = rep,
                       .h = {.names = statement_columns, .ncolumns = 5, .nrequired = 5}};
    if (x.only_partner) {
        partner_row p;
        if (partner_get(d, x.only_partner, &p, e) != 0)
            return -1;
    }
    if (import_begin(d, actor, "statement", path, rep, hash, &x.file_id, e) != 0)
        return -1;
    if (rep->already)
        return 0;
    x.w = statement_writer_open(d, e);
    if (!x.w)
        goto fail;
    if (csv_read_file(path, statement_row, &x, e) != 0 || statement_writer_flush(x.w, e) != 0)
        goto fail;
    if (import_end(d, actor, "statement.import", path, hash, &x.h, rep, e) != 0)
        goto fail;
    statement_writer_close(x.w);
    return 0;
fail:
    statement_writer_close(x.w);
    db_rollback(d);
    rep->added = rep->repeated = 0;
    rep->amount = 0;
    return -1;
}

/* ---- bank statements ---- */

static const char *const bank_columns[] = {"value_date", "amount", "partner", "for_day", "reference", "narrative"};

typedef struct {
    db *d;
    int64_t file_id;
    header_map h;
    partner_cache partners;
    recon_import_report *rep;
} bank_ctx;

static int bank_row(void *ctx, const csv_record *r, pc_err *e)
{
    bank_ctx *x = ctx;
    if (r->record == 0)
        return header_read(&x->h, r, e);
    recon_import_report *rep = x->rep;
    rep->rows++;
    if ((int)r->nfields != x->h.nfields) {
        line_error(rep, r->line, "%zu fields where the header has %d", r->nfields, x->h.nfields);
        return 0;
    }
    const char *f[6];
    for (int i = 0; i < 6; i++)
        f[i] = x->h.col[i] >= 0 ? r->fields[x->h.col[i]] : "";
    bank_line_row row = {.file_id = x->file_id, .line = r->line};
    pc_err le = {0};
    civil_date value_date, for_day;
    const char *why;
    bool known;
    if (date_parse(f[0], &value_date, &le) != 0) {
        line_error(rep, r->line, "value_date: %s", le.msg);
        return 0;
    }
    if (money_parse(f[1], &row.amount, &le) != 0) {
        line_error(rep, r->line, "amount: %s", le.msg);
        return 0;
    }
    if (row.amount <= 0) {
        line_error(rep, r->line, "amount %s must be more than 0 đồng (debits are not remittances)", f[1]);
        return 0;
    }
    if ((why = key_problem(f[2], RECON_CODE_MAX))) {
        line_error(rep, r->line, "partner %s", why);
        return 0;
    }
    if (partner_known(x->d, &x->partners, f[2], &known, e) != 0)
        return -1;
    if (!known) {
        line_error(rep, r->line, "no partner '%s' (see `powercis partner list`)", f[2]);
        return 0;
    }
    if (date_parse(f[3], &for_day, &le) != 0) {
        line_error(rep, r->line, "for_day: %s", le.msg);
        return 0;
    }
    if ((why = key_problem(f[4], RECON_REF_MAX))) {
        line_error(rep, r->line, "reference '%s' %s (at most %d characters)", f[4], why, RECON_REF_MAX - 1);
        return 0;
    }
    if (strlen(f[5]) >= sizeof row.narrative) {
        line_error(rep, r->line, "narrative is longer than %zu bytes", sizeof row.narrative - 1);
        return 0;
    }
    snprintf(row.reference, sizeof row.reference, "%s", f[4]);
    snprintf(row.value_date, sizeof row.value_date, "%s", f[0]);
    snprintf(row.partner, sizeof row.partner, "%s", f[2]);
    snprintf(row.for_day, sizeof row.for_day, "%s", f[3]);
    snprintf(row.narrative, sizeof row.narrative, "%s", f[5]);
    /* Bank statements overlap (a week's export after the daily ones): a reference known with the
     * same content is the same credit; with other content the bank or the file is wrong. Lines
     * of this file are already stored too, so a reference twice in one file is judged alike. */
    bank_line_row old;
    bool found;
    if (bank_line_find(x->d, row.reference, &old, &found, e) != 0)
        return -1;
    if (found) {
        if (strcmp(old.value_date, row.value_date) != 0 || old.amount != row.amount ||
            strcmp(old.partner, row.partner) != 0 || strcmp(old.for_day, row.for_day) != 0) {
            char m[MONEY_FMT_MAX];
            line_error(rep, r->line, "bank reference %s was imported before with other content (%s, %s, %s for %s)",
                       row.reference, old.value_date, money_format(old.amount, true, m), old.partner, old.for_day);
        } else {
            rep->repeated++;
        }
        return 0;
    }
    if (rep->error_rows)
        return 0;
    if (bank_line_insert(x->d, &row, e) != 0)
        return -1;
    rep->added++;
    if (!money_add(rep->amount, row.amount, &rep->amount))
        return pc_errf(e, PC_EINVAL, "line %ld: the file's amounts add up beyond any total", r->line);
    return 0;
}

int bank_import(db *d, const char *actor, const char *path, recon_import_report *rep, pc_err *e)
{
    memset(rep, 0, sizeof *rep);
    char hash[SHA256_HEX_LEN];
    bank_ctx x = {.d = d, .rep = rep, .h = {.names = bank_columns, .ncolumns = 6, .nrequired = 5}};
    if (import_begin(d, actor, "bank", path, rep, hash, &x.file_id, e) != 0)
        return -1;
    if (rep->already)
        return 0;
    if (csv_read_file(path, bank_row, &x, e) != 0 || import_end(d, actor, "bank.import", path, hash, &x.h, rep, e) != 0) {
        db_rollback(d);
        rep->added = rep->repeated = 0;
        rep->amount = 0;
        return -1;
    }
    return 0;
}

/* ---- reconciling a day ---- */

typedef struct {
    recon_txn *v;
    int64_t *id, *reverses; /* ours only */
    size_t n, cap;
    bool with_ids;
} txn_list;

static recon_txn *txn_push(txn_list *l, pc_err *e)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        recon_txn *v = realloc(l->v, cap * sizeof *v);
        if (v)
            l->v = v;
        int64_t *id = l->with_ids ? realloc(l->id, cap * sizeof *id) : NULL;
        if (id)
            l->id = id;
        int64_t *rev = l->with_ids ? realloc(l->reverses, cap * sizeof *rev) : NULL;
        if (rev)
            l->reverses = rev;
        if (!v || (l->with_ids && (!id || !rev))) {
            pc_errf(e, PC_EINTERNAL, "out of memory");
            return NULL;
        }
        l->cap = cap;
    }
    recon_txn *t = &l->v[l->n++];
    memset(t, 0, sizeof *t);
    return t;
}

static void txn_list_free(txn_list *l)
{
    free(l->v);
    free(l->id);
    free(l->reverses);
}

typedef struct {
    txn_list *l;
    civil_date day;
    pc_err *e;
} load_ctx;

static int load_posting(void *ctx, const payment_row *p)
{
    load_ctx *x = ctx;
    if (p->reverses_id == 0 && strlen(p->ext_ref) >= RECON_REF_MAX)
        return pc_errf(x->e, PC_EINVAL, "our posting %s/%s: the reference is longer than the %d characters "
                                        "reconciliation compares", p->source, p->ext_ref, RECON_REF_MAX - 1);
    recon_txn *t = txn_push(x->l, x->e);
    if (!t)
        return -1;
    /* A reversal's reference may be longer (REF + "/reversal"): it is cut, and dropped anyway. */
    memcpy(t->txn_ref, p->ext_ref, strnlen(p->ext_ref, RECON_REF_MAX - 1));
    memcpy(t->customer_code, p->customer_code, strnlen(p->customer_code, sizeof p->customer_code - 1));
    t->amount = p->amount;
    t->date = x->day;
    x->l->id[x->l->n - 1] = p->id;
    x->l->reverses[x->l->n - 1] = p->reverses_id;
    return 0;
}

static int load_statement_line(void *ctx, const statement_line_row *r)
{
    load_ctx *x = ctx;
    recon_txn *t = txn_push(x->l, x->e);
    if (!t)
        return -1;
    snprintf(t->txn_ref, sizeof t->txn_ref, "%s", r->txn_ref);
    snprintf(t->customer_code, sizeof t->customer_code, "%s", r->customer_code);
    t->amount = r->amount;
    t->date = x->day;
    return 0;
}

typedef struct {
    remittance *v;
    size_t n, cap;
    pc_err *e;
} remittance_list;

static int load_remittance(void *ctx, const bank_line_row *r)
{
    remittance_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        remittance *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return pc_errf(l->e, PC_EINTERNAL, "out of memory");
        l->v = v;
        l->cap = cap;
    }
    remittance *m = &l->v[l->n];
    memset(m, 0, sizeof *m);
    snprintf(m->partner, sizeof m->partner, "%s", r->partner);
    snprintf(m->reference, sizeof m->reference, "%s", r->reference);
    m->amount = r->amount;
    if (date_parse(r->value_date, &m->value_date, l->e) != 0 || date_parse(r->for_day, &m->for_day, l->e) != 0)
        return pc_err_prefix(l->e, "bank line %s", r->reference);
    l->n++;
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Same-day reversals: the payment and its reversal both leave our side (the partner cancelled
 * the transaction, so its statement leaves it out). A reversal of an earlier day's payment is
 * that day's story: it leaves our side too, and the earlier day's picture stays as it was.
 * Rows arrive by id, so the ids are sorted for bsearch. */
static long drop_reversed(txn_list *l)
{
    size_t n = l->n;
    bool *drop = calloc(n ? n : 1, sizeof *drop);
    long reversed = 0;
    if (!drop)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (!l->reverses[i])
            continue;
        drop[i] = true;
        int64_t *hit = bsearch(&l->reverses[i], l->id, n, sizeof *l->id, cmp_id);
        if (hit && !drop[hit - l->id]) {
            drop[hit - l->id] = true;
            reversed++;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!drop[i]) {
            if (k != i) {
                l->v[k] = l->v[i];
                l->id[k] = l->id[i];
                l->reverses[k] = l->reverses[i];
            }
            k++;
        }
    l->n = k;
    free(drop);
    return reversed;
}

typedef struct {
    recon_report *r;
    size_t cap;
    pc_err *e;
} diff_sink;

static int collect_diff(void *ctx, const recon_diff *d)
{
    diff_sink *s = ctx;
    if (s->r->ndiffs == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        recon_diff *v = realloc(s->r->diffs, cap * sizeof *v);
        if (!v)
            return pc_errf(s->e, PC_EINTERNAL, "out of memory");
        s->r->diffs = v;
        s->cap = cap;
    }
    s->r->diffs[s->r->ndiffs++] = *d;
    return 0;
}

int reconcile_day(db *d, const char *partner, const char *date, recon_report *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    civil_date day;
    if (date_parse(date, &day, e) != 0)
        return pc_err_prefix(e, "--date");
    if (partner_get(d, partner, &out->partner, e) != 0)
        return -1;
    date_format(day, out->date);
    txn_list ours = {.with_ids = true}, theirs = {0};
    remittance_list rem = {.e = e};
    load_ctx lo = {.l = &ours, .day = day, .e = e}, lt = {.l = &theirs, .day = day, .e = e};
    int rc = -1;
    if (payments_of_source_day(d, partner, out->date, load_posting, &lo, e) != 0 ||
        statement_lines_of_day(d, partner, out->date, load_statement_line, &lt, e) != 0 ||
        remittances_of_partner(d, partner, out->date, out->date, load_remittance, &rem, e) != 0)
        goto done;
    out->reversed = drop_reversed(&ours);
    diff_sink sink = {.r = out, .e = e};
    if (reconcile(out->partner.code, ours.v, ours.n, theirs.v, theirs.n, rem.v, rem.n, out->partner.settlement_days,
                  collect_diff, &sink, &out->sum, e) != 0)
        goto done;
    out->match_rate = recon_match_rate(&out->sum);
    rc = 0;
done:
    txn_list_free(&ours);
    txn_list_free(&theirs);
    free(rem.v);
    if (rc != 0) {
        free(out->diffs);
        out->diffs = NULL;
        out->ndiffs = 0;
    }
    return rc;
}

void recon_report_free(recon_report *r)
{
    free(r->diffs);
    r->diffs = NULL;
    r->ndiffs = 0;
}

/* ---- clearing what we never posted ---- */

typedef struct {
    const recon_txn *t; /* the partner's line in the difference */
    char paid_at[20];
    long line;
} missing_item;

static int cmp_missing(const void *a, const void *b)
{
    return strcmp(((const missing_item *)a)->t->txn_ref, ((const missing_item *)b)->t->txn_ref);
}

typedef struct {
    missing_item *v;
    size_t n;
} missing_set;

/* The statement line behind each missing item (the first one with its reference, amount and
 * customer), for its paid_at and line number. */
static int find_paid_at(void *ctx, const statement_line_row *r)
{
    missing_set *s = ctx;
    recon_txn key;
    snprintf(key.txn_ref, sizeof key.txn_ref, "%s", r->txn_ref);
    missing_item k = {.t = &key};
    missing_item *hit = bsearch(&k, s->v, s->n, sizeof *s->v, cmp_missing);
    if (hit && !hit->paid_at[0] && hit->t->amount == r->amount && strcmp(hit->t->customer_code, r->customer_code) == 0) {
        snprintf(hit->paid_at, sizeof hit->paid_at, "%s", r->paid_at);
        hit->line = r->line;
    }
    return 0;
}

void recon_clear_result_free(recon_clear_result *r)
{
    buf_free(&r->skipped_refs);
}

int reconcile_clear_missing(db *d, const char *actor, int utc_offset, const char *partner, const char *date,
                            recon_clear_result *res, recon_report *after, pc_err *e)
{
    memset(res, 0, sizeof *res);
    if (after)
        memset(after, 0, sizeof *after);
    recon_report rep;
    missing_set s = {0};
    json_t *refs = NULL;
    if (db_begin(d, e) != 0)
        return -1;
    if (reconcile_day(d, partner, date, &rep, e) != 0) {
        db_rollback(d);
        return -1;
    }
    s.v = calloc(rep.sum.count[RECON_MISSING_IN_OURS] + 1, sizeof *s.v);
    if (!s.v)
        abort();
    for (size_t i = 0; i < rep.ndiffs; i++)
        if (rep.diffs[i].kind == RECON_MISSING_IN_OURS)
            s.v[s.n++].t = &rep.diffs[i].partner;
    if (s.n == 0)
        goto commit;
    qsort(s.v, s.n, sizeof *s.v, cmp_missing);
    if (statement_lines_of_day(d, rep.partner.code, rep.date, find_paid_at, &s, e) != 0)
        goto fail;
    refs = json_array();
    for (size_t i = 0; i < s.n; i++) {
        const missing_item *m = &s.v[i];
        /* Posted under the same key already: on another day (a late-evening payment we dated
         * the next morning) or reversed. Posting it again would be refused anyway. */
        bool found;
        int64_t pid;
        char stored[SHA256_HEX_LEN];
        if (posting_key_find(d, rep.partner.code, m->t->txn_ref, &pid, stored, &found, e) != 0)
            goto fail;
        if (found) {
            payment_row p;
            if (payment_get(d, pid, &p, e) != 0)
                goto fail;
            res->skipped++;
            buf_printf(&res->skipped_refs, "%s (posted %s)\n", m->t->txn_ref, p.paid_date);
            continue;
        }
        payment_request q = {.customer_code = m->t->customer_code, .channel = "partner", .method = "partner",
                             .source = rep.partner.code, .ext_ref = m->t->txn_ref, .amount = m->t->amount,
                             .paid_at = m->paid_at[0] ? m->paid_at : rep.date};
        payment_result pr;
        if (payment_post(d, actor, utc_offset, &q, &pr, e) != 0) {
            pc_err_prefix(e, "%s %s (statement line %ld); nothing was posted", rep.partner.code, m->t->txn_ref, m->line);
            goto fail;
        }
        res->posted++;
        res->amount += m->t->amount;
        if (res->posted <= 200)
            json_array_append_new(refs, json_string(m->t->txn_ref));
    }
    if (res->posted) {
        char key[48], amount[MONEY_FMT_MAX];
        snprintf(key, sizeof key, "%s/%s", rep.partner.code, rep.date);
        json_t *detail = json_pack("{s:s, s:s, s:I, s:I, s:s, s:o}", "partner", rep.partner.code, "date", rep.date,
                                   "posted", (json_int_t)res->posted, "skipped", (json_int_t)res->skipped, "amount",
                                   money_format(res->amount, false, amount), "refs", refs);
        refs = NULL;
        if (audit_event(d, actor, "reconcile.clear", "partner_day", key, detail, e) != 0)
            goto fail;
    }
commit:
    if (db_commit(d, e) != 0)
        goto fail;
    json_decref(refs);
    free(s.v);
    recon_report_free(&rep);
    if (after)
        return reconcile_day(d, partner, date, after, e);
    return 0;
fail:
    db_rollback(d);
    json_decref(refs);
    free(s.v);
    recon_report_free(&rep);
    res->posted = res->skipped = 0;
    res->amount = 0;
    return -1;
}
