/* SQL for customers, their contract versions, meters and the search index. The index holds
 * folded text (base/fold), written here with every insert or update so it never drifts. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/buf.h"
#include "base/fold.h"
#include "store/repo.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

static int fts_write(db *d, const customer *c, int replace, pc_err *e)
{
    char name[512], addr[1024];
    if (text_fold(c->name, name, sizeof name, e) != 0)
        return pc_err_prefix(e, "name");
    if (text_fold(c->address, addr, sizeof addr, e) != 0)
        return pc_err_prefix(e, "address");
    if (replace) {
        db_stmt *del = db_prepare(d, "DELETE FROM customer_fts WHERE rowid = ?", e);
        if (!del)
            return -1;
        db_bind_int(del, 1, c->id);
        if (db_run(del, e) != 0)
            return -1;
    }
    db_stmt *s = db_prepare(d, "INSERT INTO customer_fts (rowid, name, address, scope) "
                               "SELECT cu.id, CAST(? AS TEXT), CAST(? AS TEXT), replace(substr(n.path, 2, length(n.path) - 2), '/', ' ') "
                               "FROM customer cu JOIN org_node n ON n.id = cu.unit_id WHERE cu.id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, addr);
    db_bind_int(s, 3, c->id);
    return db_run(s, e);
}

static void bind_opt_text(db_stmt *s, int idx, const char *v)
{
    db_bind_text(s, idx, v && v[0] ? v : NULL);
}

int contract_append(db *d, const customer *c, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d,
        "INSERT INTO contract (customer_id, valid_from, purpose, voltage, households, renter, persons, tou, "
        "payment_mode, payment_term_days, periods_per_month, est_kwh_month, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, c->id);
    db_bind_text(s, 2, c->valid_from);
    db_bind_text(s, 3, purpose_name(c->purpose));
    bind_opt_text(s, 4, c->voltage);
    db_bind_int(s, 5, c->households);
    db_bind_int(s, 6, c->renter);
    if (c->persons)
        db_bind_int(s, 7, c->persons);
    else
        db_bind_null(s, 7);
    db_bind_int(s, 8, c->tou);
    db_bind_text(s, 9, c->payment_mode);
    db_bind_int(s, 10, c->payment_term_days);
    db_bind_int(s, 11, c->periods_per_month);
    db_bind_int(s, 12, c->est_kwh_month);
    db_bind_text(s, 13, timestamp_now(ts));
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "customer %s already has a contract version from %s", c->code,
                           c->valid_from);
        return -1;
    }
    return 0;
}

static int customer_insert_rows(db *d, customer *c, int64_t unit_id, meter_spec *m, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    db_stmt *s = db_prepare(d, "INSERT INTO customer (code, unit_id, name, address, phone, route, status, "
                               "created_at, updated_at, transformer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, c->code);
    db_bind_int(s, 2, unit_id);
    db_bind_text(s, 3, c->name);
    db_bind_text(s, 4, c->address);
    bind_opt_text(s, 5, c->phone);
    bind_opt_text(s, 6, c->route);
    db_bind_text(s, 7, c->status);
    db_bind_text(s, 8, ts);
    db_bind_text(s, 9, ts);
    bind_opt_text(s, 10, c->transformer);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "customer_code: '%s' already exists", c->code);
        return -1;
    }
    c->id = db_last_insert_id(d);
    if (contract_append(d, c, e) != 0)
        return -1;
    if (m) {
        db_stmt *ms = db_prepare(d, "INSERT INTO meter (customer_id, serial, registers, multiplier, digits, amr, "
                                    "installed_on) VALUES (?, ?, ?, ?, ?, ?, ?)", e);
        if (!ms)
            return -1;
        db_bind_int(ms, 1, c->id);
        db_bind_text(ms, 2, m->serial);
        db_bind_text(ms, 3, m->tou ? "tou" : "total");
        db_bind_int(ms, 4, m->multiplier);
        db_bind_int(ms, 5, m->digits);
        db_bind_int(ms, 6, m->amr);
        db_bind_text(ms, 7, c->valid_from);
        if (db_run(ms, e) != 0) {
            if (e && e->code == PC_ECONFLICT)
                return pc_errf(e, PC_ECONFLICT, "meter: serial '%s' is already installed elsewhere", m->serial);
            return -1;
        }
        m->id = db_last_insert_id(d);
    }
    return 0;
}

int customer_insert(db *d, customer *c, int64_t unit_id, meter_spec *m, pc_err *e)
{
    if (customer_insert_rows(d, c, unit_id, m, e) != 0)
        return -1;
    return fts_write(d, c, 0, e);
}

int customer_insert_unindexed(db *d, customer *c, int64_t unit_id, meter_spec *m, pc_err *e)
{
    return customer_insert_rows(d, c, unit_id, m, e);
}

/* PostgreSQL has no pc_fold: the rows are folded here and written one by one. */
static int index_since_folding_here(db *d, int64_t after_id, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT cu.id, cu.name, cu.address, replace(substr(n.path, 2, length(n.path) - 2), '/', ' ') "
                               "FROM customer cu JOIN org_node n ON n.id = cu.unit_id WHERE cu.id > ? ORDER BY cu.id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, after_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        char name[512], addr[1024];
        if (text_fold(db_col_text(s, 1), name, sizeof name, e) != 0 || text_fold(db_col_text(s, 2), addr, sizeof addr, e) != 0) {
            rc = -1;
            break;
        }
        db_stmt *ins = db_prepare(d, "INSERT INTO customer_fts (rowid, name, address, scope) VALUES (?, ?, ?, ?)", e);
        if (!ins) {
            rc = -1;
            break;
        }
        db_bind_int(ins, 1, db_col_int(s, 0));
        db_bind_text(ins, 2, name);
        db_bind_text(ins, 3, addr);
        db_bind_text(ins, 4, db_col_text(s, 3));
        if (db_run(ins, e) != 0) {
            rc = -1;
            break;
        }
    }
    db_reset(s);
    return rc < 0 ? pc_err_prefix(e, "search index") : 0;
}

int customer_index_since(db *d, int64_t after_id, pc_err *e)
{
    if (db_engine_of(d) == DB_POSTGRES)
        return index_since_folding_here(d, after_id, e);
    db_stmt *s = db_prepare(d, "INSERT INTO customer_fts (rowid, name, address, scope) "
                               "SELECT cu.id, pc_fold(cu.name), pc_fold(cu.address), replace(substr(n.path, 2, length(n.path) - 2), '/', ' ') "
                               "FROM customer cu JOIN org_node n ON n.id = cu.unit_id WHERE cu.id > ? ORDER BY cu.id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, after_id);
    return db_run(s, e) == 0 ? 0 : pc_err_prefix(e, "search index");
}

int customer_max_id(db *d, int64_t *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(id), 0) FROM customer", e);
    if (!s)
        return -1;
    int rc = db_step(s, e);
    if (rc == 1)
        *out = db_col_int(s, 0);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

#define CONTRACT_COLS "k.valid_from, k.purpose, k.voltage, k.households, k.renter, k.persons, k.tou, " \
                      "k.payment_mode, k.payment_term_days, k.periods_per_month, k.est_kwh_month"

static void contract_from_row(db_stmt *s, int col, customer *c)
{
    COPY(c->valid_from, db_col_text(s, col));
    purpose_parse(db_col_text(s, col + 1), &c->purpose, NULL);
    COPY(c->voltage, db_col_text(s, col + 2));
    c->households = (int)db_col_int(s, col + 3);
    c->renter = db_col_int(s, col + 4) != 0;
    c->persons = (int)db_col_int(s, col + 5);
    c->tou = db_col_int(s, col + 6) != 0;
    COPY(c->payment_mode, db_col_text(s, col + 7));
    c->payment_term_days = (int)db_col_int(s, col + 8);
    c->periods_per_month = (int)db_col_int(s, col + 9);
    c->est_kwh_month = db_col_int(s, col + 10);
}

#define CUSTOMER_SELECT                                                                                        \
    "SELECT cu.id, cu.code, n.code, cu.name, cu.address, cu.phone, cu.route, cu.status, cu.transformer, "      \
    CONTRACT_COLS " "     \
    "FROM customer cu JOIN org_node n ON n.id = cu.unit_id "                                                     \
    "JOIN contract k ON k.id = (SELECT id FROM contract WHERE customer_id = cu.id "                             \
    "  AND (? IS NULL OR valid_from <= ?) ORDER BY valid_from DESC LIMIT 1) "

/* Runs a CUSTOMER_SELECT statement whose third parameter is the key. */
static int customer_fetch(db_stmt *s, const char *as_of, customer *out, pc_err *e)
{
    db_bind_text(s, 1, as_of);
    db_bind_text(s, 2, as_of);
    int rc = db_step(s, e);
    if (rc == 1) {
        customer_defaults(out);
        out->id = db_col_int(s, 0);
        COPY(out->code, db_col_text(s, 1));
        COPY(out->unit, db_col_text(s, 2));
        COPY(out->name, db_col_text(s, 3));
        COPY(out->address, db_col_text(s, 4));
        COPY(out->phone, db_col_text(s, 5));
        COPY(out->route, db_col_text(s, 6));
        COPY(out->status, db_col_text(s, 7));
        COPY(out->transformer, db_col_text(s, 8));
        contract_from_row(s, 9, out);
    }
    db_reset(s);
    return rc;
}

int customer_get(db *d, const char *code, const char *as_of, customer *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, CUSTOMER_SELECT "WHERE cu.code = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 3, code);
    int rc = customer_fetch(s, as_of, out, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "customer '%s' does not exist%s%s", code, as_of ? " on " : "",
                       as_of ? as_of : "");
    return 0;
}

int customer_get_by_id(db *d, int64_t id, const char *as_of, customer *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, CUSTOMER_SELECT "WHERE cu.id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 3, id);
    int rc = customer_fetch(s, as_of, out, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "customer %lld does not exist or has no contract in force%s%s",
                       (long long)id, as_of ? " on " : "", as_of ? as_of : "");
    return 0;
}

int customer_update_identity(db *d, const customer *c, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "UPDATE customer SET name = ?, address = ?, phone = ?, route = ?, status = ?, "
                               "updated_at = ?, transformer = ? WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, c->name);
    db_bind_text(s, 2, c->address);
    bind_opt_text(s, 3, c->phone);
    bind_opt_text(s, 4, c->route);
    db_bind_text(s, 5, c->status);
    db_bind_text(s, 6, timestamp_now(ts));
    bind_opt_text(s, 7, c->transformer);
    db_bind_int(s, 8, c->id);
    if (db_run(s, e) != 0)
        return -1;
    return fts_write(d, c, 1, e);
}

int contract_history(db *d, const customer *c, contract_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " CONTRACT_COLS " FROM contract k WHERE k.customer_id = ? "
                               "ORDER BY k.valid_from", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, c->id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        customer v = *c;
        contract_from_row(s, 0, &v);
        if (fn(ctx, &v) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int meter_list(db *d, int64_t customer_id, meter_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT serial, registers, multiplier, digits, amr, installed_on, removed_on "
                               "FROM meter WHERE customer_id = ? ORDER BY installed_on, id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        meter_spec m = {0};
        COPY(m.serial, db_col_text(s, 0));
        m.tou = strcmp(db_col_text(s, 1), "tou") == 0;
        m.multiplier = (int)db_col_int(s, 2);
        m.digits = (int)db_col_int(s, 3);
        m.amr = db_col_int(s, 4) != 0;
        char installed[11], removed[11];
        COPY(installed, db_col_text(s, 5));
        COPY(removed, db_col_text(s, 6));
        if (fn(ctx, &m, installed, removed[0] ? removed : NULL) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

#define HIT_COLS "cu.id, cu.code, cu.name, cu.address, cu.phone, n.code, n.name, cu.status"
#define SCOPE_FILTER "(? IS NULL OR substr(n.path, 1, length(CAST(? AS TEXT))) = ?)"

static int emit_hits(db_stmt *s, int score_col, customer_hit_fn fn, void *ctx, pc_err *e)
{
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        customer_hit h;
        h.id = db_col_int(s, 0);
        COPY(h.code, db_col_text(s, 1));
        COPY(h.name, db_col_text(s, 2));
        COPY(h.address, db_col_text(s, 3));
        COPY(h.phone, db_col_text(s, 4));
        COPY(h.unit, db_col_text(s, 5));
        COPY(h.unit_name, db_col_text(s, 6));
        COPY(h.status, db_col_text(s, 7));
        h.score = score_col >= 0 ? (double)db_col_int(s, score_col) / 1000.0 : 0;
        if (fn(ctx, &h) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

typedef struct {
    customer_hit_fn fn;
    void *ctx;
    int *count;
} counting_ctx;

static int count_and_forward(void *ctx, const customer_hit *h)
{
    counting_ctx *c = ctx;
    (*c->count)++;
    return c->fn(c->ctx, h);
}

static void bind_scope(db_stmt *s, int first, const char *scope_path)
{
    db_bind_text(s, first, scope_path);
    db_bind_text(s, first + 1, scope_path);
    db_bind_text(s, first + 2, scope_path);
}

int customer_find_by_code(db *d, const char *code, const char *scope_path, customer_hit_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " HIT_COLS " FROM customer cu JOIN org_node n ON n.id = cu.unit_id "
                               "WHERE cu.code = ? AND " SCOPE_FILTER, e);
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    bind_scope(s, 2, scope_path);
    return emit_hits(s, -1, fn, ctx, e);
}

int customer_find_by_phone(db *d, const char *phone, const char *scope_path, int limit, customer_hit_fn fn,
                           void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " HIT_COLS " FROM customer cu JOIN org_node n ON n.id = cu.unit_id "
                               "WHERE cu.phone = ? AND " SCOPE_FILTER " ORDER BY cu.code LIMIT ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, phone);
    bind_scope(s, 2, scope_path);
    db_bind_int(s, 5, limit);
    return emit_hits(s, -1, fn, ctx, e);
}

/* The scope filter as one more FTS term: the last code of the scope's path ("/PA/PA01/" → pa01). */
static void scope_term(buf *q, const char *scope_path)
{
    if (!scope_path)
        return;
    size_t n = strlen(scope_path);
    const char *end = scope_path + n - 1; /* the trailing '/' */
    const char *start = end;
    while (start > scope_path && start[-1] != '/')
        start--;
    buf_printf(q, " AND scope : \"%.*s\"", (int)(end - start), start);
}

/* The FTS5 expression of folded words: each quoted, so that no word is read as an operator. */
static void fts_terms(buf *q, const char *words, bool last_prefix)
{
    const char *p = words;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        bool last = !end || !end[strspn(end, " ")];
        buf_printf(q, "%s\"", q->len ? " " : "");
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '"')
                buf_puts(q, "\"\"");
            else
                buf_append(q, p + i, 1);
        }
        buf_puts(q, last && last_prefix ? "\"*" : "\"");
        p += n;
    }
}

/* PostgreSQL: the same two passes with LIKE on the folded words, word boundaries made by
 * spaces around the text ("% duc %", or "% du%" for a prefix). No ranking inside pass 2 yet. */
static void like_conditions(buf *q, const char *column_expr, const char *words, bool last_prefix, int *nparams,
                            char patterns[][80], int max)
{
    const char *p = words;
    while (*p && *nparams < max) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        bool last = !end || !end[strspn(end, " ")];
        snprintf(patterns[*nparams], 80, "%% %.*s%s", (int)(n < 70 ? n : 70), p, last && last_prefix ? "%" : " %");
        buf_printf(q, " AND (' ' || %s || ' ') LIKE ?", column_expr);
        (*nparams)++;
        p += n;
    }
}

static int find_by_text_like(db *d, const char *words, bool last_prefix, const char *scope_path, int limit,
                             customer_hit_fn fn, void *ctx, pc_err *e)
{
    char name_pat[8][80], all_pat[8][80], scope_pat[80] = "";
    int nn = 0, na = 0;
    buf name_cond = {0}, all_cond = {0};
    like_conditions(&name_cond, "f.name", words, last_prefix, &nn, name_pat, 8);
    like_conditions(&all_cond, "f.name || ' ' || f.address", words, last_prefix, &na, all_pat, 8);
    if (nn == 0) {
        buf_free(&name_cond);
        buf_free(&all_cond);
        return pc_errf(e, PC_EINVAL, "query: no words to search for");
    }
    if (scope_path) {
        const char *end = scope_path + strlen(scope_path) - 1, *start = end;
        while (start > scope_path && start[-1] != '/')
            start--;
        snprintf(scope_pat, sizeof scope_pat, "%% %.*s %%", (int)(end - start), start);
    }
    int found = 0, rc = 0;
    counting_ctx cc = {fn, ctx, &found};
    for (int pass = 0; pass < 2 && rc == 0 && found < limit; pass++) {
        buf q = {0};
        buf_printf(&q, "SELECT " HIT_COLS ", 0 FROM customer_fts f JOIN customer cu ON cu.id = f.rowid "
                       "JOIN org_node n ON n.id = cu.unit_id WHERE 1 = 1%s", pass == 0 ? name_cond.data : all_cond.data);
        if (pass == 1)
            buf_printf(&q, " AND NOT (1 = 1%s)", name_cond.data);
        if (scope_path)
            buf_puts(&q, " AND (' ' || f.scope || ' ') LIKE ?");
        buf_puts(&q, " ORDER BY cu.code LIMIT ?");
        db_stmt *s = db_prepare(d, q.data, e);
        buf_free(&q);
        if (!s) {
            rc = -1;
            break;
        }
        int k = 1;
        for (int i = 0; i < (pass == 0 ? nn : na); i++)
            db_bind_text(s, k++, pass == 0 ? name_pat[i] : all_pat[i]);
        if (pass == 1)
            for (int i = 0; i < nn; i++)
                db_bind_text(s, k++, name_pat[i]);
        if (scope_path)
            db_bind_text(s, k++, scope_pat);
        db_bind_int(s, k, limit - found);
        rc = emit_hits(s, 8, count_and_forward, &cc, e);
    }
    buf_free(&name_cond);
    buf_free(&all_cond);
    return rc;
}

int customer_find_by_text(db *d, const char *words, bool last_prefix, const char *scope_path, int limit,
                          customer_hit_fn fn, void *ctx, pc_err *e)
{
    if (db_engine_of(d) == DB_POSTGRES)
        return find_by_text_like(d, words, last_prefix, scope_path, limit, fn, ctx, e);
    /* Two passes, both inside the index, joining only the hits:
     * 1. every word in the name: these are the people the cashier is asking for. A common name
     *    ("nguyen duc") has thousands of them, equally good, so they come in index order and the
     *    index stops at the limit instead of ranking them all (that took 0.5 s on 1M customers).
     * 2. if the limit is not reached, matches across name and address not found by pass 1,
     *    ranked by bm25 (name words weigh three times address words). Words that stand in most
     *    addresses ("huyen", "xa") would make this rank hundreds of thousands of rows, so only
     *    the first 2,000 matches in index order are ranked: the cashier adds a word.
     * The scope is one more indexed term. Scores: 0 for pass 1, bm25 × 1000 for pass 2.
     * The last word is a prefix ("duc"*): customer_fts has prefix indexes for 2 to 6 letters
     * (025_search_prefix.sql), so it is one doclist read as far as needed instead of the merge of
     * every matching word's whole doclist, in every column, before the first hit (15-35 ms for a
     * word found in most addresses, like "huyen"). Pass 2 stays the costly one: bm25 counts the
     * rows of every phrase of the query (docs/operations.md, Database). */
    static const char *const pass_sql[2] = {
        "SELECT " HIT_COLS ", 0 FROM "
        "(SELECT rowid FROM customer_fts WHERE customer_fts MATCH ? ORDER BY rowid LIMIT ?) f "
        "JOIN customer cu ON cu.id = f.rowid JOIN org_node n ON n.id = cu.unit_id ORDER BY cu.code",
        "SELECT " HIT_COLS ", CAST(f.rank * 1000 AS INTEGER) FROM "
        "(SELECT rowid, rank FROM (SELECT rowid, rank FROM customer_fts WHERE customer_fts MATCH ? "
        "ORDER BY rowid LIMIT 2000) ORDER BY rank LIMIT ?) f "
        "JOIN customer cu ON cu.id = f.rowid JOIN org_node n ON n.id = cu.unit_id ORDER BY f.rank, cu.code"};
    int found = 0, rc = 0;
    counting_ctx cc = {fn, ctx, &found};
    buf terms = {0}, q = {0};
    fts_terms(&terms, words, last_prefix);
    if (!terms.len) {
        buf_free(&terms);
        return pc_errf(e, PC_EINVAL, "query: no words to search for");
    }
    const char *fts_query = terms.data;
    for (int pass = 0; pass < 2 && rc == 0 && found < limit; pass++) {
        buf_reset(&q);
        if (pass == 0)
            buf_printf(&q, "{name} : (%s)", fts_query);
        else
            buf_printf(&q, "({name address} : (%s) NOT {name} : (%s))", fts_query, fts_query);
        scope_term(&q, scope_path);
        db_stmt *s = db_prepare(d, pass_sql[pass], e);
        if (!s) {
            rc = -1;
            break;
        }
        db_bind_text(s, 1, q.data);
        db_bind_int(s, 2, limit - found);
        rc = emit_hits(s, 8, count_and_forward, &cc, e);
    }
    buf_free(&q);
    buf_free(&terms);
    return rc;
}
