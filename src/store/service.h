/* Repository of customer service requests (schema/029_service.sql): a request's state now,
 * its append-only events and documents, and the month figures the indicator report adds up.
 * Every function runs inside the caller's transaction; none decides anything. */
#ifndef PC_STORE_SERVICE_H
#define PC_STORE_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

#define SREQ_TEXT_MAX 512
#define SREQ_DETAILS_MAX 2048

typedef struct {
    int64_t id, unit_id, customer_id; /* customer_id 0: none yet (a new supply) */
    char code[32];
    char type[32];
    char unit_code[16];
    char unit_path[160];
    char customer_code[16];
    char applicant_name[256];
    char applicant_phone[16];
    char applicant_address[SREQ_TEXT_MAX];
    char details[SREQ_DETAILS_MAX]; /* JSON object */
    char source[8];                 /* staff, self */
    char status[12];                /* open, waiting, finished, cancelled */
    int step_no;                    /* 0-based index in the type's steps */
    char step[24];
    char step_owner[64];
    char step_started_on[11], step_due_on[11];
    char waiting_reason[SREQ_TEXT_MAX];
    char received_on[11], due_on[11], finished_on[11];
    int working_days;    /* -1 while not finished */
    int within_deadline; /* -1 while not finished */
    char created_at[32], created_by[64], updated_at[32];
} sreq_row;

/* Takes the row's key first (the code is built from it), then inserts. */
int sreq_reserve_id(db *d, int64_t *id, pc_err *e);
int sreq_insert(db *d, const sreq_row *r, pc_err *e);
/* Writes the mutable columns (customer, status, step, owner, waiting reason, finish). */
int sreq_update(db *d, const sreq_row *r, pc_err *e);
int sreq_get(db *d, const char *code, sreq_row *out, pc_err *e); /* PC_ENOTFOUND */

typedef struct {
    const char *scope_path; /* NULL: all */
    const char *status;     /* NULL: any; "active": open or waiting */
    const char *type;
    const char *due_by; /* active requests whose step is due on or before this date */
    const char *customer_code;
    int64_t limit, offset;
} sreq_filter;
typedef int (*sreq_fn)(void *ctx, const sreq_row *r);
/* Oldest step deadline first for active requests, then by code. */
int sreq_list(db *d, const sreq_filter *f, sreq_fn fn, void *ctx, pc_err *e);

typedef struct {
    int64_t id, request_id;
    char action[12];
    int step_no;
    char step[24];
    char owner[64];
    char reason[SREQ_TEXT_MAX];
    char note[SREQ_TEXT_MAX];
    char on_date[11];
    char at[32], by_user[64];
} sreq_event_row;
int sreq_event_insert(db *d, sreq_event_row *ev, pc_err *e);
typedef int (*sreq_event_fn)(void *ctx, const sreq_event_row *ev);
int sreq_events(db *d, int64_t request_id, sreq_event_fn fn, void *ctx, pc_err *e); /* oldest first */

typedef struct {
    int64_t id, request_id;
    char kind[12]; /* id, land, contract, record, other */
    char title[256], file_name[256], media_type[32];
    int64_t size;
    char sha256[65];
    char added_at[32], added_by[64];
} sreq_doc_row;
int sreq_doc_insert(db *d, sreq_doc_row *r, pc_err *e);
int sreq_doc_get(db *d, int64_t id, sreq_doc_row *out, pc_err *e);
typedef int (*sreq_doc_fn)(void *ctx, const sreq_doc_row *r);
int sreq_docs(db *d, int64_t request_id, sreq_doc_fn fn, void *ctx, pc_err *e);

/* The next free customer code of a unit (its largest code + 1; the unit's first is 0000001). */
int sreq_next_customer_code(db *d, int64_t unit_id, const char *unit_code, char out[16], pc_err *e);

/* Per unit: active requests whose step was due before `today`, and those due from today to
 * `until` (inclusive). */
int sreq_deadlines_by_unit(db *d, const char *today, const char *until,
                           int (*fn)(void *ctx, int64_t unit_id, int64_t overdue, int64_t at_risk), void *ctx,
                           pc_err *e);

/* The n-th (0-based, by code) active residential customer of a unit; out "" when none. */
int sreq_nth_residential(db *d, const char *unit_code, int n, char out[16], pc_err *e);

/* ---- indicator figures for [from, to] (ISO dates) under scope_path (NULL: all) ---- */
/* Requests received, per unit and type. */
typedef int (*sreq_count_fn)(void *ctx, const char *unit, const char *key, int64_t count);
int sreq_received_counts(db *d, const char *scope_path, const char *from, const char *to, sreq_count_fn fn, void *ctx,
                         pc_err *e);
/* Requests finished: how many took each number of working days, and within the deadline or not,
 * per unit and type (ordered by unit, type, working days). */
typedef int (*sreq_hist_fn)(void *ctx, const char *unit, const char *type, int working_days, int within,
                            int64_t count);
int sreq_finished_histogram(db *d, const char *scope_path, const char *from, const char *to, sreq_hist_fn fn,
                            void *ctx, pc_err *e);
/* Requests open at the end of `to` (received by then, not finished by then, not cancelled), per
 * unit and their waiting reason now ("" when not waiting). */
int sreq_open_by_reason(db *d, const char *scope_path, const char *to, sreq_count_fn fn, void *ctx, pc_err *e);

#endif
