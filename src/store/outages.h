/* SQL for outages and the customers they interrupted (schema 026, docs/outages.md): adding,
 * closing once, listing, the customers of a route / transformer / list, and the pieces the
 * reliability report sums (customers interrupted per outage and org path). */
#ifndef PC_STORE_OUTAGES_H
#define PC_STORE_OUTAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    int64_t id;
    int64_t org_id;
    char org_code[16];
    char org_name[256];
    char org_path[160];
    int planned;
    char start_at[17], end_at[17]; /* local "YYYY-MM-DD HH:MM"; end_at "" while ongoing */
    int32_t month;                 /* yyyymm of start_at */
    int64_t minutes;               /* -1 while ongoing */
    char affected_by[12];          /* count, route, transformer, list */
    char selector[64];             /* the route or transformer */
    int64_t customers;
    char cause[256], note[512];
    int notice_late;
    char created_at[24], created_by[64], closed_at[24], closed_by[64];
    /* a cancelled outage (schema 033): all "" when it is not */
    char cancelled_at[24], cancelled_by[64], cancel_reason[512];
} outage_row;

typedef struct {
    int64_t id;
    char code[16];
    char name[256];
    char phone[32];
    char status[16];
    char unit_path[160];
} outage_customer_row;

typedef int (*outage_fn)(void *ctx, const outage_row *r);
typedef int (*outage_customer_fn)(void *ctx, const outage_customer_row *c, pc_err *e);

/* Active customers of units under scope_path (NULL: all). */
int outage_active_count(db *d, const char *scope_path, int64_t *n, pc_err *e);
/* The active customers under scope_path whose column (route or transformer) is value, by id;
 * *ids malloc'd (NULL when none). */
int outage_customers_where(db *d, const char *scope_path, const char *column, const char *value, int64_t **ids,
                           int *n, pc_err *e);
/* Sets the transformer station a customer is fed from ("" clears it). */
int outage_set_transformer(db *d, int64_t customer_id, const char *transformer, const char *updated_at, pc_err *e);
/* A customer by code (PC_ENOTFOUND when absent). */
int outage_customer_by_code(db *d, const char *code, outage_customer_row *out, pc_err *e);
/* 1 and *out when an outage has this dedupe key, 0 when none. */
int outage_find_dedupe(db *d, const char *dedupe_key, outage_row *out, pc_err *e);
/* Inserts r (org_id, planned, start_at, month, end_at/minutes or ""/-1, affected_by, selector,
 * customers, cause, note, notice_late, created_*) with dedupe_key; sets r->id. */
int outage_insert(db *d, outage_row *r, const char *dedupe_key, pc_err *e);
int outage_add_customers(db *d, int64_t outage_id, const int64_t *ids, int n, pc_err *e);
int outage_get(db *d, int64_t id, outage_row *out, pc_err *e); /* PC_ENOTFOUND when absent */
/* Sets the end of an ongoing outage; PC_ECONFLICT when it was closed already. */
int outage_set_end(db *d, int64_t id, const char *end_at, int64_t minutes, const char *closed_at,
                   const char *closed_by, pc_err *e);

/* Records the cancellation of an outage (append-only, once); PC_ECONFLICT when it was
 * cancelled already. */
int outage_cancel_insert(db *d, int64_t id, const char *reason, const char *cancelled_at, const char *cancelled_by,
                         pc_err *e);
/* Whether an SMS with this event key is in the outbox (any status), and to whom. */
int outage_outbox_sms(db *d, const char *event_key, char *recipient, size_t cap, bool *has, pc_err *e);

typedef struct {
    const char *scope_path; /* NULL: all */
    int32_t month;          /* 0: any */
    int open_only;          /* ongoing ones only (not cancelled) */
    int planned;            /* -1 any, 0 unplanned, 1 planned */
    int64_t id;             /* 0: any */
    int64_t limit, offset;  /* limit 0: all */
} outage_query;
/* Outages under the scope (the outage's own node), newest start first. */
int outage_list(db *d, const outage_query *q, outage_fn fn, void *ctx, pc_err *e);

/* The customers recorded for an outage, by id. */
int outage_customers_scan(db *d, int64_t outage_id, outage_customer_fn fn, void *ctx, pc_err *e);

/* One closed outage of a month (not cancelled), its customers interrupted under one org path: for route /
 * transformer / list outages, per unit of the customers (in the scope); for a count, the
 * outage's own node (under the scope). Ordered by outage id. */
typedef struct {
    int64_t outage_id;
    int64_t minutes;
    char path[160];
    int64_t customers;
} outage_piece;
typedef int (*outage_piece_fn)(void *ctx, const outage_piece *p, pc_err *e);
int outage_pieces(db *d, int32_t month, const char *scope_path, outage_piece_fn fn, void *ctx, pc_err *e);
/* Active customers per unit path under scope_path. */
typedef int (*outage_served_fn)(void *ctx, const char *unit_path, int64_t customers, pc_err *e);
int outage_served(db *d, const char *scope_path, outage_served_fn fn, void *ctx, pc_err *e);

/* Digest figures per org node of the outages recorded there (not cancelled): outages that started on `day`
 * (local "YYYY-MM-DD"), the customers they interrupted, and planned outages starting on next_day. */
typedef int (*outage_day_fn)(void *ctx, const char *org_path, int64_t outages, int64_t customers,
                             int64_t planned_next, pc_err *e);
int outage_day_by_node(db *d, const char *day, const char *next_day, outage_day_fn fn, void *ctx, pc_err *e);

#endif
