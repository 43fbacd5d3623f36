/* Repository of prepaid customers (schema/028_prepaid.sql): the account row that caches the
 * balance and the daily-charge state, the append-only ledger, and the two streams a daily charge
 * run reads (active accounts with the contract in force, month-to-date read totals). Every
 * function runs inside the caller's transaction; none decides anything. */
#ifndef PC_STORE_PREPAID_H
#define PC_STORE_PREPAID_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"
#include "store/digest_figures.h"

/* Sums of the reads that count over some days (prepaid_read_totals, the account's cache). */
typedef struct {
    int64_t kwh, reg[3]; /* Σ COALESCE(kwh_total, normal + peak + off-peak); the registers */
    int64_t reads, reg_reads; /* reads counted; of them, by register (no kwh_total) */
    char first[11], last[11]; /* their first and last read_date ("" when none) */
    int64_t last_read_id;
} prepaid_sums;

/* a + b: the sums of two disjoint sets of reads (b's days after a's). */
void prepaid_sums_add(prepaid_sums *a, const prepaid_sums *b);

typedef struct {
    int64_t customer_id;
    bool active;
    char since[11];
    int64_t balance;
    char charge_month[8];     /* "YYYY-MM" of the latest charge, "" before any */
    char last_charge_day[11]; /* "" before any */
    int64_t charged_mtd, kwh_mtd;
    bool low_notified;
    char below_zero_since[11]; /* "" when not below zero */
    /* The month-to-date read sums (031) through last_charge_day of charge_month, valid when
     * sums_ok (the column resum = 0); memset to zero: not valid, the next run sums afresh. */
    bool sums_ok;
    prepaid_sums sums;
} prepaid_account_row;

/* *found = false when the customer never was prepaid. */
int prepaid_account_get(db *d, int64_t customer_id, prepaid_account_row *out, bool *found, pc_err *e);
/* Whether the customer is prepaid now (an active account). One indexed lookup. */
int prepaid_is_active(db *d, int64_t customer_id, bool *active, pc_err *e);
/* Inserts the row, or rewrites it when the customer was prepaid before (a new spell: its cached
 * read sums are marked for a fresh sum). */
int prepaid_account_put(db *d, const prepaid_account_row *a, pc_err *e);
/* Writes the mutable fields (balance, charge state, notification and below-zero state, active);
 * not the cached read sums nor resum (the charge run's, prepaid_bulk_save). */
int prepaid_account_save(db *d, const prepaid_account_row *a, pc_err *e);

typedef struct {
    int64_t id, customer_id;
    char kind[12]; /* topup, reversal, charge, opening, settlement */
    char entry_date[11];
    int64_t amount, balance;
    int64_t payment_id; /* 0: none */
    char receipt_no[24]; /* the payment's, when payment_id (read only) */
    char charge_day[11];
    int64_t kwh_day, kwh_mtd, energy_mtd, vat_mtd, total_mtd;
    int64_t reads;
    char read_from[11], read_to[11];
    int64_t last_read_id;
    char note[256];
    char created_at[32];
    char created_by[64];
} prepaid_entry;

/* Sets e->id. A second charge for the same customer and day, or a second row for a payment, is
 * PC_ECONFLICT. */
int prepaid_entry_insert(db *d, prepaid_entry *r, const char *actor, pc_err *e);
/* The ledger row of a payment (a top-up or a reversal); *found = false when none. */
int prepaid_entry_of_payment(db *d, int64_t payment_id, prepaid_entry *out, bool *found, pc_err *e);
typedef int (*prepaid_entry_fn)(void *ctx, const prepaid_entry *r);
/* A customer's rows with entry_date in [from, to] (NULL: open), by date then id. */
int prepaid_entries_of(db *d, int64_t customer_id, const char *from, const char *to, prepaid_entry_fn fn, void *ctx,
                       pc_err *e);
/* Σ amount of the customer's rows dated before `date` (NULL: all rows). */
int prepaid_sum_before(db *d, int64_t customer_id, const char *date, int64_t *out, pc_err *e);

/* ---- the daily charge run ---- */
typedef struct {
    prepaid_account_row a;
    char code[16];
    char status[16];
    char purpose[24];
    char voltage[12];
    int households, persons;
    bool renter, tou;
} prepaid_charge_input;
typedef int (*prepaid_input_fn)(void *ctx, const prepaid_charge_input *in);
/* Active accounts prepaid on or before `day` and not charged for it or a later day yet, with the
 * contract in force on `day`, by customer id (customer_id > 0: that one only). */
int prepaid_charge_inputs(db *d, const char *day, int64_t customer_id, prepaid_input_fn fn, void *ctx, pc_err *e);

typedef struct {
    int64_t customer_id;
    bool incremental; /* the account's cached sums hold the month through last_charge_day */
    prepaid_sums s;
} prepaid_reads_total;
typedef int (*prepaid_reads_fn)(void *ctx, const prepaid_reads_total *t);
/* Σ of the consumption of reads that count (ok or approved, not an initial index) dated on or
 * before `to`, for the active accounts not charged for `to` yet, by customer id (customer_id > 0:
 * that one only). `month` is to's "YYYY-MM", `from` its first day. For an account whose cached
 * sums are valid for that month (resum = 0, charge_month = month) only the reads dated after its
 * last_charge_day (incremental = true: add them to the cache); for the others the reads dated
 * from `from` and from the account's since (a month-to-date sum). Accounts without such reads
 * yield no row. */
int prepaid_read_totals(db *d, const char *month, const char *from, const char *to, int64_t customer_id,
                        prepaid_reads_fn fn, void *ctx, pc_err *e);
/* Whether the account's cached sums hold `month` through its last_charge_day (the run adds to
 * them); the rule prepaid_read_totals applies in SQL. */
bool prepaid_sums_incremental(const prepaid_account_row *a, const char *month);
/* PostgreSQL: waits for the transactions writing meter_read to end and keeps new writes out until
 * the caller's transaction ends, so that no read dated on or before the charge day commits
 * unseen by the run and after its trigger looked at the old last_charge_day. SQLite: nothing
 * (one writer at a time). Inside a transaction. */
int prepaid_reads_lock(db *d, pc_err *e);
/* The latest month (YYYY-MM) before `month` in which some active account was charged without
 * reaching that month's last day ("" when none): the run catches those up first. */
int prepaid_unfinished_month(db *d, const char *month, char out[8], pc_err *e);

/* ---- lists ---- */
typedef struct {
    prepaid_account_row a;
    char code[16];
    char name[256];
    char unit_code[16];
    char status[16];
    char phone[24];
} prepaid_list_row;
typedef int (*prepaid_list_fn)(void *ctx, const prepaid_list_row *r);
/* Active accounts under a scope path (NULL: all), lowest balance first (below_threshold: only
 * those under it; INT64_MAX: all), at most limit (0: no limit). */
int prepaid_accounts_list(db *d, const char *scope_path, int64_t below_threshold, long limit, prepaid_list_fn fn,
                          void *ctx, pc_err *e);
/* Counts of active accounts under a scope path: below zero, and below the threshold. */
int prepaid_counts(db *d, const char *scope_path, int64_t threshold, int64_t *below_zero, int64_t *low,
                   int64_t *accounts, pc_err *e);



/* Many ledger rows in one transaction (the charge run): keys reserved in blocks, rows streamed
 * through db_bulk (PostgreSQL COPY) or, on SQLite, written 64 to a statement. Rows go out at
 * flush at the latest; flush before reading them back. */
typedef struct prepaid_bulk prepaid_bulk;
prepaid_bulk *prepaid_bulk_open(db *d, const char *actor, pc_err *e);
/* Sets r->id. */
int prepaid_bulk_add(prepaid_bulk *b, prepaid_entry *r, pc_err *e);
/* The account's charge state (balance, charge_month .. below_zero_since, the cached read sums
 * with resum = 0; not active or since), written with the run's timestamp: 64 accounts to an
 * UPDATE ... FROM (VALUES ...), so the same rule: flush before reading the accounts back. */
int prepaid_bulk_save(prepaid_bulk *b, const prepaid_account_row *a, pc_err *e);
int prepaid_bulk_flush(prepaid_bulk *b, pc_err *e);
void prepaid_bulk_close(prepaid_bulk *b);

/* Reads of the customer dated before `before` that count for billing and no invoice took yet. */
int prepaid_unbilled_reads(db *d, int64_t customer_id, const char *before, int64_t *n, pc_err *e);
/* The digest's prepaid figures by unit: a = active accounts below zero, b = under the threshold,
 * c = active accounts. */
int prepaid_digest_by_unit(db *d, int64_t threshold, digest_unit_fn fn, void *ctx, pc_err *e);
#endif
