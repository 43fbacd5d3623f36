/* Outages and reliability indices (DOMAIN 12, docs/outages.md): recording planned and unplanned
 * outages with the customers they interrupt (a count, a route, a transformer or a list), closing
 * an ongoing one once, notifying the customers of a planned one in advance through the outbox,
 * and SAIFI / SAIDI / CAIDI / MAIFI per org node for a month. */
#ifndef PC_APP_OUTAGES_H
#define PC_APP_OUTAGES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "app/config.h"
#include "base/date.h"
#include "domain/reliability.h"
#include "store/db.h"
#include "store/outages.h"

typedef struct {
    const char *scope;       /* org node code (any level) */
    const char *start, *end; /* local "YYYY-MM-DD HH:MM"; end NULL: ongoing (unplanned only) */
    bool planned;
    /* exactly one of: */
    int64_t customers;       /* > 0: a count */
    const char *route;
    const char *transformer;
    const char *const *codes; /* a list of customer codes */
    int ncodes;
    const int *code_lines;   /* the file line of each code (NULL: name them codes[i]) */
    const char *list_name;   /* the file, for messages */
    const char *cause, *note;
} outage_add_request;

typedef struct {
    outage_row o;
    bool duplicate;  /* the same outage was added before: o is the first one, nothing changed */
    long notices;    /* planned: messages enqueued now */
    long notices_before; /* planned: messages already in the outbox (a repeat) */
    long no_phone;   /* planned: affected customers with no usable phone */
} outage_added;

/* Validates and records the outage (one transaction, audited); a planned one's customers are
 * notified (planned_outage SMS, when it starts in the future). Any error changes nothing. */
int outage_add(db *d, const pc_config *cfg, const char *actor, const outage_add_request *rq, outage_added *out,
               pc_err *e);

/* Sets the end of an ongoing outage (after its start), once; audited. */
int outage_close(db *d, const char *actor, int64_t id, const char *end, outage_row *out, pc_err *e);

typedef struct {
    outage_row o;       /* the outage, now cancelled */
    bool was_open;      /* it was ongoing (no end) when cancelled */
    long notices;       /* planned_outage_cancelled messages enqueued now */
} outage_cancelled;

/* Cancels an outage recorded by mistake, open or closed, once (reason: non-blank text, at most
 * 500 bytes, no control characters); audited as outage.cancel. A cancelled outage is in no report,
 * digest or notice any more and cannot be closed. When it is planned, starts in the future and
 * its planned_outage notices are in the outbox, each of those customers is sent a
 * planned_outage_cancelled SMS to the same phone. PC_ENOTFOUND: no such outage; PC_ECONFLICT:
 * cancelled already. */
int outage_cancel(db *d, const pc_config *cfg, const char *actor, int64_t id, const char *reason,
                  outage_cancelled *out, pc_err *e);

/* Enqueues the notices of a planned outage again (customers whose message is missing: a phone
 * added since); those already in the outbox are counted, never sent twice. */
int outage_notify(db *d, const pc_config *cfg, int64_t id, outage_added *out, pc_err *e);

/* Loads which transformer station feeds which customer from a CSV file with the columns
 * customer_code and transformer (an empty transformer clears it): all or nothing, every bad line
 * named ("FILE line 7: …"); audited once with the file's SHA-256. *count: customers set. */
int outage_transformers_load(db *d, const char *actor, const char *path, long *count, pc_err *e);

typedef struct {
    const char *scope;     /* org code; NULL: all */
    const char *month;     /* "YYYY-MM"; NULL: any */
    bool open_only;
    int planned;           /* -1 any, 0, 1 */
    int64_t limit, offset;
} outage_list_request;
int outages_list(db *d, const outage_list_request *rq, outage_fn fn, void *ctx, pc_err *e);
json_t *outage_json(const outage_row *r);
/* open, closed or cancelled */
const char *outage_status(const outage_row *r);

/* One row of the reliability report: an org node and its indices for the month. */
typedef struct {
    char scope[16];
    char name[256];
    char level[16];
    char path[160];
    rel_indices r;
    int64_t cur_outage, cur_customers, cur_minutes; /* the outage being summed into r */
} reliability_row;

/* The scope node (every root when scope is NULL) then every unit under it; closed outages that
 * started in the month. *rows malloc'd; free it. */
int reliability_run(db *d, civil_month month, const char *scope, reliability_row **rows, int *n, pc_err *e);
/* json (the indices as numbers with 3 decimals), csv or table to f. */
int reliability_report_write(db *d, civil_month month, const char *scope, const char *format, FILE *f, pc_err *e);

#endif
