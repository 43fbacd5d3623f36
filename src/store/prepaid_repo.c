/* SQL for prepaid customers (see prepaid.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "store/prepaid.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")
#define IN_SCOPE(col) "(CAST(? AS TEXT) IS NULL OR substr(" col ", 1, length(CAST(? AS TEXT))) = ?)"

static void bind_scope(db_stmt *s, int first, const char *scope_path)
{
    db_bind_text(s, first, scope_path);
    db_bind_text(s, first + 1, scope_path);
    db_bind_text(s, first + 2, scope_path);
}

static void bind_opt_text(db_stmt *s, int idx, const char *v)
{
    if (v && v[0])
        db_bind_text(s, idx, v);
    else
        db_bind_null(s, idx);
}

#define ACCOUNT_COLS                                                                                             \
    "a.customer_id, a.active, a.since, a.balance, a.charge_month, a.last_charge_day, a.charged_mtd, a.kwh_mtd, " \
    "a.low_notified, a.below_zero_since, a.resum, a.sum_kwh, a.sum_normal, a.sum_peak, a.sum_offpeak, "         \
    "a.sum_reads, a.sum_reg_reads, a.sum_first, a.sum_last, a.sum_last_id"
#define ACCOUNT_NCOLS 20

static void account_from(db_stmt *s, int col, prepaid_account_row *a)
{
    memset(a, 0, sizeof *a);
    a->customer_id = db_col_int(s, col);
    a->active = db_col_int(s, col + 1) != 0;
    COPY(a->since, db_col_text(s, col + 2));
    a->balance = db_col_int(s, col + 3);
    COPY(a->charge_month, db_col_text(s, col + 4));
    COPY(a->last_charge_day, db_col_text(s, col + 5));
    a->charged_mtd = db_col_int(s, col + 6);
    a->kwh_mtd = db_col_int(s, col + 7);
    a->low_notified = db_col_int(s, col + 8) != 0;
    COPY(a->below_zero_since, db_col_text(s, col + 9));
    a->sums_ok = db_col_int(s, col + 10) == 0;
    a->sums.kwh = db_col_int(s, col + 11);
    for (int g = 0; g < 3; g++)
        a->sums.reg[g] = db_col_int(s, col + 12 + g);
    a->sums.reads = db_col_int(s, col + 15);
    a->sums.reg_reads = db_col_int(s, col + 16);
    COPY(a->sums.first, db_col_text(s, col + 17));
    COPY(a->sums.last, db_col_text(s, col + 18));
    a->sums.last_read_id = db_col_int(s, col + 19);
}

void prepaid_sums_add(prepaid_sums *a, const prepaid_sums *b)
{
    if (b->reads == 0)
        return;
    if (a->reads == 0 || strcmp(b->first, a->first) < 0)
        COPY(a->first, b->first);
    if (a->reads == 0 || strcmp(b->last, a->last) > 0)
        COPY(a->last, b->last);
    a->kwh += b->kwh;
    for (int g = 0; g < 3; g++)
        a->reg[g] += b->reg[g];
    a->reads += b->reads;
    a->reg_reads += b->reg_reads;
    if (b->last_read_id > a->last_read_id)
        a->last_read_id = b->last_read_id;
}

bool prepaid_sums_incremental(const prepaid_account_row *a, const char *month)
{
    return a->sums_ok && a->last_charge_day[0] && strcmp(a->charge_month, month) == 0;
}

int prepaid_account_get(db *d, int64_t customer_id, prepaid_account_row *out, bool *found, pc_err *e)
{
    *found = false;
    db_stmt *s = db_prepare(d, "SELECT " ACCOUNT_COLS " FROM prepaid_account a WHERE a.customer_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc = db_step(s, e);
    if (rc == 1) {
        account_from(s, 0, out);
        *found = true;
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int prepaid_is_active(db *d, int64_t customer_id, bool *active, pc_err *e)
{
    *active = false;
    db_stmt *s = db_prepare(d, "SELECT active FROM prepaid_account WHERE customer_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc = db_step(s, e);
    if (rc == 1)
        *active = db_col_int(s, 0) != 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int prepaid_account_put(db *d, const prepaid_account_row *a, pc_err *e)
{
    bool found;
    prepaid_account_row old;
    if (prepaid_account_get(d, a->customer_id, &old, &found, e) != 0)
        return -1;
    if (found) {
        /* a new spell: the month's sums start afresh from since */
        db_stmt *s = db_prepare(d, "UPDATE prepaid_account SET since = ?, resum = 1 WHERE customer_id = ?", e);
        if (!s)
            return -1;
        db_bind_text(s, 1, a->since);
        db_bind_int(s, 2, a->customer_id);
        if (db_run(s, e) != 0)
            return -1;
        return prepaid_account_save(d, a, e);
    }
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO prepaid_account (customer_id, active, since, balance, charge_month, "
                               "last_charge_day, charged_mtd, kwh_mtd, low_notified, below_zero_since, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, a->customer_id);
    db_bind_int(s, 2, a->active);
    db_bind_text(s, 3, a->since);
    db_bind_int(s, 4, a->balance);
    db_bind_text(s, 5, a->charge_month);
    db_bind_text(s, 6, a->last_charge_day);
    db_bind_int(s, 7, a->charged_mtd);
    db_bind_int(s, 8, a->kwh_mtd);
    db_bind_int(s, 9, a->low_notified);
    bind_opt_text(s, 10, a->below_zero_since);
    db_bind_text(s, 11, timestamp_now(ts));
    return db_run(s, e);
}

int prepaid_account_save(db *d, const prepaid_account_row *a, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "UPDATE prepaid_account SET active = ?, balance = ?, charge_month = ?, "
                               "last_charge_day = ?, charged_mtd = ?, kwh_mtd = ?, low_notified = ?, "
                               "below_zero_since = ?, updated_at = ? WHERE customer_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, a->active);
    db_bind_int(s, 2, a->balance);
    db_bind_text(s, 3, a->charge_month);
    db_bind_text(s, 4, a->last_charge_day);
    db_bind_int(s, 5, a->charged_mtd);
    db_bind_int(s, 6, a->kwh_mtd);
    db_bind_int(s, 7, a->low_notified);
    bind_opt_text(s, 8, a->below_zero_since);
    db_bind_text(s, 9, timestamp_now(ts));
    db_bind_int(s, 10, a->customer_id);
    return db_run(s, e);
}

/* ---- the ledger ---- */

#define ENTRY_COLS                                                                                               \
    "l.id, l.customer_id, l.kind, l.entry_date, l.amount, l.balance, l.payment_id, l.charge_day, l.kwh_day, "    \
    "l.kwh_mtd, l.energy_mtd, l.vat_mtd, l.total_mtd, l.reads, l.read_from, l.read_to, l.last_read_id, l.note, " \
    "l.created_at, l.created_by, p.receipt_no"
#define ENTRY_FROM "FROM prepaid_ledger l LEFT JOIN payment p ON p.id = l.payment_id "

static void entry_from(db_stmt *s, prepaid_entry *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(s, 0);
    r->customer_id = db_col_int(s, 1);
    COPY(r->kind, db_col_text(s, 2));
    COPY(r->entry_date, db_col_text(s, 3));
    r->amount = db_col_int(s, 4);
    r->balance = db_col_int(s, 5);
    r->payment_id = db_col_int(s, 6);
    COPY(r->charge_day, db_col_text(s, 7));
    r->kwh_day = db_col_int(s, 8);
    r->kwh_mtd = db_col_int(s, 9);
    r->energy_mtd = db_col_int(s, 10);
    r->vat_mtd = db_col_int(s, 11);
    r->total_mtd = db_col_int(s, 12);
    r->reads = db_col_int(s, 13);
    COPY(r->read_from, db_col_text(s, 14));
    COPY(r->read_to, db_col_text(s, 15));
    r->last_read_id = db_col_int(s, 16);
    COPY(r->note, db_col_text(s, 17));
    COPY(r->created_at, db_col_text(s, 18));
    COPY(r->created_by, db_col_text(s, 19));
    COPY(r->receipt_no, db_col_text(s, 20));
}

static const char entry_columns[] =
    "id, customer_id, kind, entry_date, amount, balance, payment_id, charge_day, kwh_day, kwh_mtd, energy_mtd, "
    "vat_mtd, total_mtd, reads, read_from, read_to, last_read_id, note, created_at, created_by";

int prepaid_entry_insert(db *d, prepaid_entry *r, const char *actor, pc_err *e)
{
    char sql[512];
    /* the key comes from the table (the column list without id) */
    snprintf(sql, sizeof sql, "INSERT INTO prepaid_ledger (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             entry_columns + 4);
    db_stmt *s = db_prepare(d, sql, e);
    if (!s)
        return -1;
    bool charge = strcmp(r->kind, "charge") == 0;
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    db_bind_int(s, 1, r->customer_id);
    db_bind_text(s, 2, r->kind);
    db_bind_text(s, 3, r->entry_date);
    db_bind_int(s, 4, r->amount);
    db_bind_int(s, 5, r->balance);
    if (r->payment_id)
        db_bind_int(s, 6, r->payment_id);
    else
        db_bind_null(s, 6);
    bind_opt_text(s, 7, charge ? r->charge_day : NULL);
    if (charge) {
        db_bind_int(s, 8, r->kwh_day);
        db_bind_int(s, 9, r->kwh_mtd);
        db_bind_int(s, 10, r->energy_mtd);
        db_bind_int(s, 11, r->vat_mtd);
        db_bind_int(s, 12, r->total_mtd);
        db_bind_int(s, 13, r->reads);
    } else {
        for (int i = 8; i <= 13; i++)
            db_bind_null(s, i);
    }
    bind_opt_text(s, 14, r->read_from);
    bind_opt_text(s, 15, r->read_to);
    if (r->last_read_id)
        db_bind_int(s, 16, r->last_read_id);
    else
        db_bind_null(s, 16);
    bind_opt_text(s, 17, r->note);
    db_bind_text(s, 18, ts);
    db_bind_text(s, 19, actor);
    if (db_run(s, e) != 0)
        return -1;
    r->id = db_last_insert_id(d);
    snprintf(r->created_at, sizeof r->created_at, "%s", ts);
    COPY(r->created_by, actor);
    return 0;
}

int prepaid_entry_of_payment(db *d, int64_t payment_id, prepaid_entry *out, bool *found, pc_err *e)
{
    *found = false;
    db_stmt *s = db_prepare(d, "SELECT " ENTRY_COLS " " ENTRY_FROM "WHERE l.payment_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, payment_id);
    int rc = db_step(s, e);
    if (rc == 1) {
        entry_from(s, out);
        *found = true;
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int prepaid_entries_of(db *d, int64_t customer_id, const char *from, const char *to, prepaid_entry_fn fn, void *ctx,
                       pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " ENTRY_COLS " " ENTRY_FROM "WHERE l.customer_id = ? "
                               "AND l.entry_date >= ? AND l.entry_date <= ? ORDER BY l.entry_date, l.id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, from ? from : "0000-00-00");
    db_bind_text(s, 3, to ? to : "9999-99-99");
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        prepaid_entry r;
        entry_from(s, &r);
        if (fn(ctx, &r) != 0) {
            rc = -1;
            break;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int prepaid_sum_before(db *d, int64_t customer_id, const char *date, int64_t *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(sum(amount), 0) FROM prepaid_ledger WHERE customer_id = ? "
                               "AND entry_date < ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, date ? date : "9999-99-99");
    int rc = db_step(s, e);
    *out = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- the daily charge run ---- */

int prepaid_charge_inputs(db *d, const char *day, int64_t customer_id, prepaid_input_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT " ACCOUNT_COLS ", c.code, k.purpose, k.voltage, k.households, k.persons, k.renter, k.tou, c.status "
        "FROM prepaid_account a JOIN customer c ON c.id = a.customer_id "
        "JOIN contract k ON k.id = (SELECT id FROM contract WHERE customer_id = a.customer_id AND valid_from <= ? "
        "  ORDER BY valid_from DESC LIMIT 1) "
        "WHERE a.active = 1 AND a.since <= ? AND a.last_charge_day < ? AND (? = 0 OR a.customer_id = ?) "
        "ORDER BY a.customer_id", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, day);
    db_bind_text(s, 2, day);
    db_bind_text(s, 3, day);
    db_bind_int(s, 4, customer_id);
    db_bind_int(s, 5, customer_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        prepaid_charge_input in;
        memset(&in, 0, sizeof in);
        account_from(s, 0, &in.a);
        int c = ACCOUNT_NCOLS;
        COPY(in.code, db_col_text(s, c));
        COPY(in.purpose, db_col_text(s, c + 1));
        COPY(in.voltage, db_col_text(s, c + 2));
        in.households = (int)db_col_int(s, c + 3);
        in.persons = (int)db_col_int(s, c + 4);
        in.renter = db_col_int(s, c + 5) != 0;
        in.tou = db_col_int(s, c + 6) != 0;
        COPY(in.status, db_col_text(s, c + 7));
        if (fn(ctx, &in) != 0) {
            rc = -1;
            break;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* An account whose cached sums hold the month so far: resum = 0 and charged in the month. */
#define INCREMENTAL "(a.resum = 0 AND a.last_charge_day <> '' AND a.charge_month = ?)"

int prepaid_read_totals(db *d, const char *month, const char *from, const char *to, int64_t customer_id,
                        prepaid_reads_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        /* the per-read work is the run's largest part: per group what can be (COALESCE of the
         * sums, count(*) - count(kwh_total) for the reads by register) */
        "SELECT a.customer_id, CASE WHEN " INCREMENTAL " THEN 1 ELSE 0 END, "
        "sum(COALESCE(r.kwh_total, r.kwh_normal + r.kwh_peak + r.kwh_offpeak)), "
        "COALESCE(sum(r.kwh_normal), 0), COALESCE(sum(r.kwh_peak), 0), COALESCE(sum(r.kwh_offpeak), 0), "
        "count(*), min(r.read_date), max(r.read_date), max(r.id), count(*) - count(r.kwh_total) "
        /* CROSS JOIN: SQLite walks the accounts in key order and seeks each one's reads, so the
         * groups come out in order (no sort of millions of reads); PostgreSQL plans it freely.
         * The seek's lower bound is one expression of the account row (the only lower bound on
         * read_date that the index can take): its last_charge_day when the cache holds the
         * month so far (that day itself is left out by the OR below, which no index takes), else
         * the later of the month's first day and since. */
        "FROM prepaid_account a CROSS JOIN meter_read r WHERE r.customer_id = a.customer_id "
        "AND r.read_date >= CASE WHEN " INCREMENTAL " THEN a.last_charge_day WHEN a.since > ? THEN a.since "
        "  ELSE ? END "
        "AND r.read_date <= ? AND (r.read_date > a.last_charge_day OR NOT " INCREMENTAL ") "
        "AND a.active = 1 AND a.last_charge_day < ? AND (? = 0 OR a.customer_id = ?) "
        "AND r.status IN ('ok', 'approved') "
        "AND r.kind <> 'initial' AND (r.kwh_total IS NOT NULL OR r.kwh_normal IS NOT NULL) "
        "GROUP BY a.customer_id ORDER BY a.customer_id", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, month);
    db_bind_text(s, 2, month);
    db_bind_text(s, 3, from);
    db_bind_text(s, 4, from);
    db_bind_text(s, 5, to);
    db_bind_text(s, 6, month);
    db_bind_text(s, 7, to);
    db_bind_int(s, 8, customer_id);
    db_bind_int(s, 9, customer_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        prepaid_reads_total t;
        memset(&t, 0, sizeof t);
        t.customer_id = db_col_int(s, 0);
        t.incremental = db_col_int(s, 1) != 0;
        t.s.kwh = db_col_int(s, 2);
        for (int g = 0; g < 3; g++)
            t.s.reg[g] = db_col_int(s, 3 + g);
        t.s.reads = db_col_int(s, 6);
        COPY(t.s.first, db_col_text(s, 7));
        COPY(t.s.last, db_col_text(s, 8));
        t.s.last_read_id = db_col_int(s, 9);
        t.s.reg_reads = db_col_int(s, 10);
        if (fn(ctx, &t) != 0) {
            rc = -1;
            break;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int prepaid_reads_lock(db *d, pc_err *e)
{
    if (db_engine_of(d) != DB_POSTGRES)
        return 0;
    /* SHARE conflicts with the ROW EXCLUSIVE lock of INSERT/UPDATE/DELETE (and COPY): the
     * writers in flight commit first, later ones wait for the run's commit, then see its
     * last_charge_day in their trigger */
    return db_exec(d, "LOCK TABLE meter_read IN SHARE MODE", e);
}

int prepaid_unfinished_month(db *d, const char *month, char out[8], pc_err *e)
{
    out[0] = '\0';
    db_stmt *s = db_prepare(d, "SELECT max(charge_month) FROM prepaid_account WHERE active = 1 AND charge_month <> '' "
                               "AND charge_month < ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, month);
    int rc = db_step(s, e);
    char m[8] = "";
    if (rc == 1 && !db_col_null(s, 0))
        COPY(m, db_col_text(s, 0));
    db_reset(s);
    if (rc < 0)
        return -1;
    if (!m[0])
        return 0;
    civil_month cm;
    if (month_parse(m, &cm, NULL) != 0)
        return 0;
    char last[DATE_FMT_MAX];
    date_format(month_last_day(cm), last);
    s = db_prepare(d, "SELECT count(*) FROM prepaid_account WHERE active = 1 AND charge_month = ? "
                      "AND last_charge_day < ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, m);
    db_bind_text(s, 2, last);
    rc = db_step(s, e);
    int64_t n = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    if (rc < 0)
        return -1;
    if (n > 0)
        snprintf(out, 8, "%s", m);
    return 0;
}

/* ---- lists ---- */

int prepaid_accounts_list(db *d, const char *scope_path, int64_t below_threshold, long limit, prepaid_list_fn fn,
                          void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " ACCOUNT_COLS ", c.code, c.name, u.code, c.status, c.phone "
                               "FROM prepaid_account a JOIN customer c ON c.id = a.customer_id "
                               "JOIN org_node u ON u.id = c.unit_id "
                               "WHERE a.active = 1 AND a.balance < ? AND " IN_SCOPE("u.path") " "
                               "ORDER BY a.balance, c.code LIMIT ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, below_threshold);
    bind_scope(s, 2, scope_path);
    db_bind_int(s, 5, limit > 0 ? limit : INT64_MAX);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        prepaid_list_row r;
        memset(&r, 0, sizeof r);
        account_from(s, 0, &r.a);
        COPY(r.code, db_col_text(s, ACCOUNT_NCOLS));
        COPY(r.name, db_col_text(s, ACCOUNT_NCOLS + 1));
        COPY(r.unit_code, db_col_text(s, ACCOUNT_NCOLS + 2));
        COPY(r.status, db_col_text(s, ACCOUNT_NCOLS + 3));
        COPY(r.phone, db_col_text(s, ACCOUNT_NCOLS + 4));
        if (fn(ctx, &r) != 0) {
            rc = -1;
            break;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int prepaid_counts(db *d, const char *scope_path, int64_t threshold, int64_t *below_zero, int64_t *low,
                   int64_t *accounts, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT count(*), COALESCE(sum(CASE WHEN a.balance < 0 THEN 1 ELSE 0 END), 0), "
                               "COALESCE(sum(CASE WHEN a.balance < ? THEN 1 ELSE 0 END), 0) "
                               "FROM prepaid_account a JOIN customer c ON c.id = a.customer_id "
                               "JOIN org_node u ON u.id = c.unit_id WHERE a.active = 1 AND " IN_SCOPE("u.path"), e);
    if (!s)
        return -1;
    db_bind_int(s, 1, threshold);
    bind_scope(s, 2, scope_path);
    int rc = db_step(s, e);
    if (rc == 1) {
        *accounts = db_col_int(s, 0);
        *below_zero = db_col_int(s, 1);
        *low = db_col_int(s, 2);
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- bulk ---- */

#define ID_BLOCK 4096
/* SQLite: rows per multi-row statement. One INSERT of many rows runs its per-statement work once
 * (the CHECK on kind builds an ephemeral table per execution; the statement's journal and halt)
 * where one INSERT per row ran it per row: most of the ledger write in the charge run. 64 rows of
 * 20 values stay under SQLite's limit on parameters (32,766). */
#define MULTI_ROWS 64
#define ENTRY_NCOLS 20
#define SAVE_NCOLS 17

struct prepaid_bulk {
    db *d;
    db_bulk *b;
    bool sqlite;
    char actor[64];
    char ts[TIMESTAMP_FMT_MAX];
    int64_t ids[ID_BLOCK];
    int nids, next;
    prepaid_entry rows[MULTI_ROWS]; /* SQLite: ledger rows waiting for a full statement */
    int nrows;
    prepaid_account_row saves[MULTI_ROWS]; /* SQLite: account updates waiting likewise */
    int nsaves;
    db_bulk *pg_saves; /* PostgreSQL: account updates copied into the temporary prepaid_save */
    int npg_saves;
};

/* PostgreSQL: the day's account updates go into a temporary table by COPY and into the accounts by
 * one UPDATE … FROM it, every PG_SAVES_FLUSH rows (statements of 64 rows cost a planned statement
 * of 1,089 parameters each: measured 5.2–5.8 s for 100,000 accounts). Dropped at the commit. */
#define PG_SAVES_FLUSH 20000
#define SAVE_COLUMNS                                                                                                   \
    "customer_id, balance, charge_month, last_charge_day, charged_mtd, kwh_mtd, low_notified, below_zero_since, "     \
    "sum_kwh, sum_normal, sum_peak, sum_offpeak, sum_reads, sum_reg_reads, sum_first, sum_last, sum_last_id"

prepaid_bulk *prepaid_bulk_open(db *d, const char *actor, pc_err *e)
{
    prepaid_bulk *p = calloc(1, sizeof *p);
    if (!p) {
        pc_errf(e, PC_EINTERNAL, "out of memory");
        return NULL;
    }
    p->d = d;
    p->sqlite = db_engine_of(d) == DB_SQLITE;
    snprintf(p->actor, sizeof p->actor, "%s", actor);
    timestamp_now(p->ts);
    p->b = db_bulk_open(d, "prepaid_ledger", entry_columns, 20, e);
    if (!p->b) {
        free(p);
        return NULL;
    }
    if (!p->sqlite) {
        /* the run's transaction holds it: created on first use, emptied for this run */
        if (db_exec(d,
                    "CREATE TEMP TABLE IF NOT EXISTS prepaid_save (customer_id BIGINT, balance BIGINT, "
                    "charge_month TEXT, last_charge_day TEXT, charged_mtd BIGINT, kwh_mtd BIGINT, low_notified INTEGER, "
                    "below_zero_since TEXT, sum_kwh BIGINT, sum_normal BIGINT, sum_peak BIGINT, sum_offpeak BIGINT, "
                    "sum_reads BIGINT, sum_reg_reads BIGINT, sum_first TEXT, sum_last TEXT, sum_last_id BIGINT) "
                    "ON COMMIT DROP",
                    e) != 0 ||
            db_exec(d, "DELETE FROM prepaid_save", e) != 0 ||
            !(p->pg_saves = db_bulk_open(d, "prepaid_save", SAVE_COLUMNS, 17, e))) {
            db_bulk_close(p->b);
            free(p);
            return NULL;
        }
    }
    return p;
}

static int flush_pg_saves(prepaid_bulk *p, pc_err *e)
{
    if (p->npg_saves == 0)
        return 0;
    p->npg_saves = 0;
    if (db_bulk_flush(p->pg_saves, e) != 0)
        return -1;
    db_stmt *s = db_prepare(
        p->d,
        "UPDATE prepaid_account a SET balance = v.balance, charge_month = v.charge_month, "
        "last_charge_day = v.last_charge_day, charged_mtd = v.charged_mtd, kwh_mtd = v.kwh_mtd, "
        "low_notified = v.low_notified, below_zero_since = v.below_zero_since, sum_kwh = v.sum_kwh, "
        "sum_normal = v.sum_normal, sum_peak = v.sum_peak, sum_offpeak = v.sum_offpeak, sum_reads = v.sum_reads, "
        "sum_reg_reads = v.sum_reg_reads, sum_first = v.sum_first, sum_last = v.sum_last, sum_last_id = v.sum_last_id, "
        "resum = 0, updated_at = ? FROM prepaid_save v WHERE a.customer_id = v.customer_id",
        e);
    if (!s)
        return -1;
    db_bind_text(s, 1, p->ts);
    if (db_run(s, e) != 0)
        return -1;
    return db_exec(p->d, "DELETE FROM prepaid_save", e);
}

static int add_pg_save(prepaid_bulk *p, const prepaid_account_row *a, pc_err *e)
{
    db_bulk *b = p->pg_saves;
    db_bulk_int(b, a->customer_id);
    db_bulk_int(b, a->balance);
    db_bulk_text(b, a->charge_month);
    db_bulk_text(b, a->last_charge_day);
    db_bulk_int(b, a->charged_mtd);
    db_bulk_int(b, a->kwh_mtd);
    db_bulk_int(b, a->low_notified);
    db_bulk_text(b, a->below_zero_since[0] ? a->below_zero_since : NULL);
    db_bulk_int(b, a->sums.kwh);
    for (int g = 0; g < 3; g++)
        db_bulk_int(b, a->sums.reg[g]);
    db_bulk_int(b, a->sums.reads);
    db_bulk_int(b, a->sums.reg_reads);
    db_bulk_text(b, a->sums.first);
    db_bulk_text(b, a->sums.last);
    db_bulk_int(b, a->sums.last_read_id);
    if (db_bulk_row(b, e) != 0)
        return -1;
    return ++p->npg_saves >= PG_SAVES_FLUSH ? flush_pg_saves(p, e) : 0;
}

static void bulk_opt_text(db_bulk *b, const char *v)
{
    db_bulk_text(b, v && v[0] ? v : NULL);
}

/* "(?, ?, ...), (?, ...)": n groups of k placeholders. */
static void values_groups(char *sql, size_t cap, int n, int k)
{
    size_t len = strlen(sql);
    for (int i = 0; i < n && len + 4 * (size_t)k + 4 < cap; i++) {
        sql[len++] = i ? ',' : ' ';
        sql[len++] = '(';
        for (int j = 0; j < k; j++) {
            if (j) {
                sql[len++] = ',';
                sql[len++] = ' ';
            }
            sql[len++] = '?';
        }
        sql[len++] = ')';
    }
    sql[len] = '\0';
}

/* Binds one ledger row at parameters base+1 .. base+20, in entry_columns order. */
static void bind_entry(db_stmt *s, int base, const prepaid_entry *r, const char *ts, const char *actor)
{
    bool charge = strcmp(r->kind, "charge") == 0;
    db_bind_int(s, base + 1, r->id);
    db_bind_int(s, base + 2, r->customer_id);
    db_bind_text(s, base + 3, r->kind);
    db_bind_text(s, base + 4, r->entry_date);
    db_bind_int(s, base + 5, r->amount);
    db_bind_int(s, base + 6, r->balance);
    if (r->payment_id)
        db_bind_int(s, base + 7, r->payment_id);
    else
        db_bind_null(s, base + 7);
    bind_opt_text(s, base + 8, charge ? r->charge_day : NULL);
    if (charge) {
        db_bind_int(s, base + 9, r->kwh_day);
        db_bind_int(s, base + 10, r->kwh_mtd);
        db_bind_int(s, base + 11, r->energy_mtd);
        db_bind_int(s, base + 12, r->vat_mtd);
        db_bind_int(s, base + 13, r->total_mtd);
        db_bind_int(s, base + 14, r->reads);
    } else {
        for (int i = 9; i <= 14; i++)
            db_bind_null(s, base + i);
    }
    bind_opt_text(s, base + 15, r->read_from);
    bind_opt_text(s, base + 16, r->read_to);
    if (r->last_read_id)
        db_bind_int(s, base + 17, r->last_read_id);
    else
        db_bind_null(s, base + 17);
    bind_opt_text(s, base + 18, r->note);
    db_bind_text(s, base + 19, ts);
    db_bind_text(s, base + 20, actor);
}

/* SQLite: the waiting ledger rows, all in one statement when there are MULTI_ROWS of them, else
 * (the run's tail) one statement a row: two statement texts only, for the statement cache. */
static int flush_rows(prepaid_bulk *p, pc_err *e)
{
    int n = p->nrows == MULTI_ROWS ? MULTI_ROWS : 1;
    char sql[8192];
    snprintf(sql, sizeof sql, "INSERT INTO prepaid_ledger (%s) VALUES", entry_columns);
    values_groups(sql, sizeof sql, n, ENTRY_NCOLS);
    for (int done = 0; done < p->nrows; done += n) {
        db_stmt *s = db_prepare(p->d, sql, e);
        if (!s)
            return -1;
        for (int i = 0; i < n; i++)
            bind_entry(s, i * ENTRY_NCOLS, &p->rows[done + i], p->ts, p->actor);
        if (db_run(s, e) != 0) {
            p->nrows = 0;
            return pc_err_prefix(e, "prepaid_ledger");
        }
    }
    p->nrows = 0;
    return 0;
}

/* The waiting account updates in one UPDATE ... FROM (VALUES ...), the same way, on both engines
 * (PostgreSQL used to update one row a statement). PostgreSQL types the VALUES' parameters as
 * text: the CASTs give the columns' types back (on SQLite they change nothing). The sums written
 * hold the month through the charge day: resum = 0. */
static int flush_saves(prepaid_bulk *p, pc_err *e)
{
    int n = p->nsaves == MULTI_ROWS ? MULTI_ROWS : 1;
    char sql[8192];
    snprintf(sql, sizeof sql,
             "UPDATE prepaid_account SET balance = CAST(v.column2 AS BIGINT), charge_month = v.column3, "
             "last_charge_day = v.column4, charged_mtd = CAST(v.column5 AS BIGINT), kwh_mtd = CAST(v.column6 AS "
             "BIGINT), low_notified = CAST(v.column7 AS INTEGER), below_zero_since = v.column8, "
             "sum_kwh = CAST(v.column9 AS BIGINT), sum_normal = CAST(v.column10 AS BIGINT), "
             "sum_peak = CAST(v.column11 AS BIGINT), sum_offpeak = CAST(v.column12 AS BIGINT), "
             "sum_reads = CAST(v.column13 AS BIGINT), sum_reg_reads = CAST(v.column14 AS BIGINT), "
             "sum_first = v.column15, sum_last = v.column16, sum_last_id = CAST(v.column17 AS BIGINT), resum = 0, "
             "updated_at = ? FROM (VALUES");
    values_groups(sql, sizeof sql, n, SAVE_NCOLS);
    snprintf(sql + strlen(sql), sizeof sql - strlen(sql),
             ") AS v WHERE prepaid_account.customer_id = CAST(v.column1 AS BIGINT)");
    for (int done = 0; done < p->nsaves; done += n) {
        db_stmt *s = db_prepare(p->d, sql, e);
        if (!s)
            return -1;
        db_bind_text(s, 1, p->ts);
        for (int i = 0; i < n; i++) {
            const prepaid_account_row *a = &p->saves[done + i];
            int base = 1 + i * SAVE_NCOLS;
            db_bind_int(s, base + 1, a->customer_id);
            db_bind_int(s, base + 2, a->balance);
            db_bind_text(s, base + 3, a->charge_month);
            db_bind_text(s, base + 4, a->last_charge_day);
            db_bind_int(s, base + 5, a->charged_mtd);
            db_bind_int(s, base + 6, a->kwh_mtd);
            db_bind_int(s, base + 7, a->low_notified);
            bind_opt_text(s, base + 8, a->below_zero_since);
            db_bind_int(s, base + 9, a->sums.kwh);
            for (int g = 0; g < 3; g++)
                db_bind_int(s, base + 10 + g, a->sums.reg[g]);
            db_bind_int(s, base + 13, a->sums.reads);
            db_bind_int(s, base + 14, a->sums.reg_reads);
            db_bind_text(s, base + 15, a->sums.first);
            db_bind_text(s, base + 16, a->sums.last);
            db_bind_int(s, base + 17, a->sums.last_read_id);
        }
        if (db_run(s, e) != 0) {
            p->nsaves = 0;
            return -1;
        }
    }
    p->nsaves = 0;
    return 0;
}

int prepaid_bulk_save(prepaid_bulk *p, const prepaid_account_row *a, pc_err *e)
{
    if (p->pg_saves)
        return add_pg_save(p, a, e);
    p->saves[p->nsaves++] = *a;
    return p->nsaves == MULTI_ROWS ? flush_saves(p, e) : 0;
}

int prepaid_bulk_add(prepaid_bulk *p, prepaid_entry *r, pc_err *e)
{
    if (p->next == p->nids) {
        if (db_reserve_ids(p->d, "prepaid_ledger", ID_BLOCK, p->ids, e) != 0)
            return -1;
        p->nids = ID_BLOCK;
        p->next = 0;
    }
    r->id = p->ids[p->next++];
    if (p->sqlite) {
        p->rows[p->nrows++] = *r;
        return p->nrows == MULTI_ROWS ? flush_rows(p, e) : 0;
    }
    bool charge = strcmp(r->kind, "charge") == 0;
    db_bulk *b = p->b;
    db_bulk_int(b, r->id);
    db_bulk_int(b, r->customer_id);
    db_bulk_text(b, r->kind);
    db_bulk_text(b, r->entry_date);
    db_bulk_int(b, r->amount);
    db_bulk_int(b, r->balance);
    if (r->payment_id)
        db_bulk_int(b, r->payment_id);
    else
        db_bulk_text(b, NULL);
    bulk_opt_text(b, charge ? r->charge_day : NULL);
    if (charge) {
        db_bulk_int(b, r->kwh_day);
        db_bulk_int(b, r->kwh_mtd);
        db_bulk_int(b, r->energy_mtd);
        db_bulk_int(b, r->vat_mtd);
        db_bulk_int(b, r->total_mtd);
        db_bulk_int(b, r->reads);
    } else {
        for (int i = 0; i < 6; i++)
            db_bulk_text(b, NULL);
    }
    bulk_opt_text(b, r->read_from);
    bulk_opt_text(b, r->read_to);
    if (r->last_read_id)
        db_bulk_int(b, r->last_read_id);
    else
        db_bulk_text(b, NULL);
    bulk_opt_text(b, r->note);
    db_bulk_text(b, p->ts);
    db_bulk_text(b, p->actor);
    return db_bulk_row(b, e);
}

int prepaid_bulk_flush(prepaid_bulk *p, pc_err *e)
{
    if (flush_rows(p, e) != 0 || flush_saves(p, e) != 0 || flush_pg_saves(p, e) != 0)
        return -1;
    return db_bulk_flush(p->b, e);
}

void prepaid_bulk_close(prepaid_bulk *p)
{
    if (!p)
        return;
    db_bulk_close(p->b);
    db_bulk_close(p->pg_saves);
    free(p);
}

int prepaid_unbilled_reads(db *d, int64_t customer_id, const char *before, int64_t *n, pc_err *e)
{
    /* as billing sees them: a read of an earlier prepaid spell (the contract in force on its
     * date is prepaid) was charged day by day and is never invoiced */
    db_stmt *s = db_prepare(d, "SELECT count(*) FROM meter_read r WHERE r.customer_id = ? AND r.read_date < ? "
                               "AND r.status IN ('ok', 'approved') AND r.kind IN ('regular', 'final') "
                               "AND NOT EXISTS (SELECT 1 FROM invoice_read ir WHERE ir.read_id = r.id) "
                               "AND (SELECT k.payment_mode FROM contract k WHERE k.customer_id = r.customer_id "
                               "  AND k.valid_from <= r.read_date ORDER BY k.valid_from DESC LIMIT 1) = 'postpaid'", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, before);
    int rc = db_step(s, e);
    *n = rc == 1 ? db_col_int(s, 0) : 0;
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int prepaid_digest_by_unit(db *d, int64_t threshold, digest_unit_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.unit_id, sum(CASE WHEN a.balance < 0 THEN 1 ELSE 0 END), "
                               "sum(CASE WHEN a.balance < ? THEN 1 ELSE 0 END), count(*) "
                               "FROM prepaid_account a JOIN customer c ON c.id = a.customer_id WHERE a.active = 1 "
                               "GROUP BY c.unit_id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, threshold);
    int rc;
    while ((rc = db_step(s, e)) == 1)
        if (fn(ctx, db_col_int(s, 0), db_col_int(s, 1), db_col_int(s, 2), db_col_int(s, 3), NULL) != 0) {
            rc = -1;
            break;
        }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
