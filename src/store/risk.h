/* Risk runs, results and flags (schema/027, docs/risk.md): the per-customer figures a run scores,
 * each gathered by one set-based pass per table; the runs and their results written in bulk; the
 * report, tracking list and digest reads. */
#ifndef PC_STORE_RISK_H
#define PC_STORE_RISK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* Contract purposes as a small number in the figures (0: no contract in force). */
extern const char *const risk_purpose_names[6];

/* What one customer's run is scored on; see domain/risk.h risk_input. */
typedef struct {
    int64_t customer_id, unit_id;
    int64_t overdue_amount, debt, debt_before, kwh, payments;
    int32_t oldest_due;    /* civil date of the oldest overdue open invoice; 0: none */
    int32_t late_payments, disconnections;
    int32_t late_month;    /* late payments dated in the month itself */
    uint8_t purpose;       /* index into risk_purpose_names */
    bool customer_flagged;
    bool has_before;       /* a run 3 months earlier had this customer */
} risk_figures;

/* The dates a run reads: its month (YYYY-MM), first and last day, the day 12 months before the
 * last (windows are after it, up to the last day), and the run 3 months earlier (0: none). */
typedef struct {
    char month[8];
    char first[11], last[11], year_before[11];
    int64_t before_run_id;
    /* the latest runs of the month before and of 12 months before: with both, the 12 months'
     * late payments are rolled forward (last month's count, less what the month 12 months back
     * added, plus this month's) instead of read from a year of allocations */
    int64_t prev_run_id, year_ago_run_id;
    bool purposes; /* read the contract purposes (only when sectors are flagged) */
} risk_window;

/* Every customer not terminated, by id, with its figures. *out is malloc'd (free it).
 * *rolled: the late payments were rolled forward from the earlier runs. Half the passes run on a
 * second connection (db_open_reader) in a thread: call it inside the run's transaction before
 * the transaction writes anything (the second connection sees only what is committed). */
int risk_gather(db *d, const risk_window *w, risk_figures **out, int64_t *n, bool *rolled, pc_err *e);

typedef struct {
    int64_t id;
    char month[8];
    char as_of[11];
    char params[1024];
    char params_hash[65];
    char started_at[32];
    char started_by[64];
    int64_t customers, low, medium, high;
} risk_run_row;

/* Inserts the run (sets r->id). */
int risk_run_insert(db *d, risk_run_row *r, pc_err *e);
int risk_run_set_counts(db *d, const risk_run_row *r, pc_err *e);
/* The latest run of a month; PC_ENOTFOUND when none. */
int risk_run_latest(db *d, const char *month, risk_run_row *out, pc_err *e);
/* The latest month run on or before `month` (strictly before when `before`): its latest run. */
int risk_run_latest_upto(db *d, const char *month, bool before, risk_run_row *out, pc_err *e);

typedef struct {
    int64_t customer_id, unit_id;
    int score;
    const char *cls, *action, *reasons;
    int64_t overdue_days, overdue_amount, late_payments, late_month, disconnections, debt, debt_before, kwh, payments;
} risk_result_in;
typedef struct risk_writer risk_writer;
risk_writer *risk_writer_open(db *d, int64_t run_id, pc_err *e);
int risk_writer_add(risk_writer *w, const risk_result_in *r, pc_err *e);
int risk_writer_flush(risk_writer *w, pc_err *e);
void risk_writer_close(risk_writer *w);

/* A result as the report prints it. */
typedef struct {
    char code[16];
    char name[256];
    char unit[16];
    int score;
    char cls[8];
    char action[12];
    char reasons[512];
    int64_t overdue_days, overdue_amount, late_payments, disconnections, debt, debt_before, kwh, payments;
    /* tracking only: since the classification (after the month's end, up to the as-of date) */
    int64_t debt_now, payments_since, kwh_since;
} risk_row;
typedef int (*risk_row_fn)(void *ctx, const risk_row *r, pc_err *e);
/* The run's results under scope_path (NULL: all), of one class (NULL: all), by score (highest
 * first), then customer code. */
int risk_result_scan(db *d, int64_t run_id, const char *scope_path, const char *cls, risk_row_fn fn, void *ctx,
                     pc_err *e);
/* The run's high-risk customers under scope_path with what happened since: debt now (open items
 * issued by as_of), payments dated after `since` up to as_of, kWh billed for readings after it. */
int risk_track_scan(db *d, int64_t run_id, const char *scope_path, const char *since, const char *as_of,
                    risk_row_fn fn, void *ctx, pc_err *e);
/* Customers per class of a run under scope_path. */
int risk_class_counts(db *d, int64_t run_id, const char *scope_path, int64_t counts[3], pc_err *e);

/* Appends a flag (1) or a clearing (0) of a customer. */
int risk_flag_insert(db *d, int64_t customer_id, int flagged, const char *reason, const char *at, const char *by,
                     int64_t *id, pc_err *e);

#endif
