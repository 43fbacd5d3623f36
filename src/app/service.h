/* Customer service requests (issue 11, docs/service.md): applications for new supply and for
 * changes of a contract, their steps and working-day deadlines, waits with their reason
 * ("nguyên nhân vướng mắc"), documents, the registry change a finished request makes, deadline
 * alerts through the outbox, and the monthly indicator report. Types and steps are data
 * (data/service_types.json), as is the holiday calendar (data/holidays/vn.csv). Every change is
 * one transaction (nested in the caller's, if any), recorded as an event and audited. */
#ifndef PC_APP_SERVICE_H
#define PC_APP_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/cases.h"
#include "app/config.h"
#include "base/date.h"
#include "base/err.h"
#include "domain/workday.h"
#include "store/db.h"
#include "store/service.h"

#define SVC_MAX_STEPS 8

typedef struct {
    char code[24];
    int days; /* working days after the step starts; 0: the same (working) day */
} svc_step;

typedef struct {
    char code[32];
    char vi[128], en[128];
    bool new_customer;  /* the applicant is not a customer yet */
    char registry[16];  /* new_supply, update, none */
    int notice_days;    /* calendar days between receipt and the earliest effective date; 0: none */
    json_t *defaults;   /* object: details assumed when not given */
    json_t *requires;   /* array of detail names */
    json_t *accepts;    /* array of detail names */
    json_t *fixed;      /* object: customer fields the finish always sets */
    svc_step steps[SVC_MAX_STEPS];
    int nsteps;
    int total_days;
} svc_type;

/* The types (loaded once: $POWERCIS_SERVICE_TYPES names a replacement file, else the shipped
 * data) and the working-day calendar ($POWERCIS_HOLIDAYS, else data/holidays/vn.csv). */
int svc_types(const svc_type **types, int *n, pc_err *e);
const svc_type *svc_type_find(const char *code);
int svc_calendar(const workcal **cal, civil_date *first, civil_date *last, pc_err *e);
/* A step's name in vi or en ("" for an unknown step). */
const char *svc_step_name(const char *step, const char *lang);
/* When a step started on `start` with `days` is due: the days-th working day after it (0: the
 * start itself, or the next working day when it starts on a day off). */
civil_date svc_due(const workcal *cal, civil_date start, int days);

typedef struct {
    const char *type;
    const char *customer_code; /* a change: the customer */
    /* a new supply: the applicant, and the unit that will serve them */
    const char *unit, *name, *phone, *address;
    const char *const *keys; /* details: key=value */
    const char *const *values;
    int nkeys;
    const char *date;  /* received on (YYYY-MM-DD); NULL: today */
    const char *owner; /* of the first step; NULL: the actor */
    const char *source; /* staff (NULL) or self */
    const char *scope_code; /* NULL: anywhere; else the customer or unit must be under it */
} svc_add;
int svc_request_add(db *d, const char *actor, const svc_add *in, sreq_row *out, pc_err *e);

typedef struct {
    const char *date;  /* NULL: today */
    const char *owner; /* of the next step; NULL: the current owner */
    const char *note;
    const char *const *keys; /* details set on the way (meter serial, …) */
    const char *const *values;
    int nkeys;
} svc_move;
/* Finishes the current step and starts the next; past the last step the request is finished and
 * the registry changed (a new customer, meter and contract for a new supply; a contract version
 * or the customer's identity for a change), in the same transaction. *registry_key (may be NULL)
 * receives the customer code a finished request created or changed. */
int svc_request_advance(db *d, const char *actor, const char *code, const svc_move *m, sreq_row *out, pc_err *e);
/* The request waits: reason required. A second wait changes the reason. */
int svc_request_wait(db *d, const char *actor, const char *code, const char *reason, const char *date, sreq_row *out,
                     pc_err *e);
int svc_request_resume(db *d, const char *actor, const char *code, const char *note, const char *date, sreq_row *out,
                       pc_err *e);
int svc_request_cancel(db *d, const char *actor, const char *code, const char *reason, const char *date,
                       sreq_row *out, pc_err *e);
/* Stores the bytes (PDF, JPEG, PNG) in the document store and links them to the request. */
int svc_request_attach(db *d, const char *actor, const doc_store *st, const char *code, const char *file_name,
                       const void *data, size_t len, const char *kind, const char *title, sreq_doc_row *out,
                       pc_err *e);
int svc_request_attach_file(db *d, const char *actor, const doc_store *st, const char *code, const char *path,
                            const char *kind, const char *title, sreq_doc_row *out, pc_err *e);

/* Requests under scope_code (an org code; NULL: all) matching f (its scope_path is set here). */
int svc_request_list(db *d, const char *scope_code, sreq_filter *f, sreq_fn fn, void *ctx, pc_err *e);

/* For the demo: the code of the n-th (0-based) active residential customer of a unit, "" when
 * there are fewer. */
int svc_demo_customer(db *d, const char *unit_code, int n, char out[16], pc_err *e);

/* As `request show --json` and the API show them. */
json_t *svc_request_json(const sreq_row *r);
/* The request with its steps (deadline, start, finish), events and documents. */
int svc_request_detail_json(db *d, const char *code, json_t **out, pc_err *e);

typedef struct {
    long checked, warnings, breaches, duplicates;
} svc_alert_counts;
/* Deadline alerts for `date`: an active request whose step is due within days_before working
 * days gets a warning, one past its step's deadline a breach; each once per step (the outbox
 * key names the request, the step and the kind), as a staff chat message. */
int svc_alerts(db *d, const pc_config *cfg, civil_date date, int days_before, svc_alert_counts *out, pc_err *e);

/* For the digest of `day`: per unit, the active requests past their step's deadline and those
 * due by the end of the next working day. */
typedef int (*svc_deadline_fn)(void *ctx, int64_t unit_id, int64_t overdue, int64_t at_risk);
int svc_deadlines_by_unit(db *d, civil_date day, svc_deadline_fn fn, void *ctx, pc_err *e);

/* The indicator report for a month under scope_code (NULL: everything): see docs/service.md. */
int svc_report(db *d, civil_month month, const char *scope_code, json_t **out, pc_err *e);
/* The same as CSV (long form: unit, group, key and the measures) and XLSX. */
int svc_report_csv(const json_t *report, char **out, size_t *len, pc_err *e);
int svc_report_xlsx(const json_t *report, const char *path, pc_err *e);

#endif
