/* Repositories: the SQL for each aggregate (org tree, customers, audit log), behind plain
 * functions the use cases call. Only src/store/ holds SQL text. */
#ifndef PC_STORE_REPO_H
#define PC_STORE_REPO_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/customer.h"
#include "store/db.h"

/* ---- org tree ---- */
typedef struct {
    int64_t id;
    char code[16];
    char name[256];
    char level[16];
    int64_t parent_id; /* 0 for a root */
    char parent_code[16];
    char path[160]; /* "/PA/PA01/PA0101/" */
} org_row;

typedef struct {
    int64_t customers, residential, nonresidential, renters, shared_meters, tou, prepaid;
} org_counts;

int org_insert(db *d, org_row *r, pc_err *e); /* sets r->id */
int org_get(db *d, const char *code, org_row *out, pc_err *e); /* PC_ENOTFOUND when absent */
typedef int (*org_row_fn)(void *ctx, const org_row *r, const org_counts *counts);
/* Every node under scope_path (NULL: all), in path order; counts of customers in each
 * node's subtree when with_counts. */
int org_list(db *d, const char *scope_path, int with_counts, org_row_fn fn, void *ctx, pc_err *e);

/* ---- customers ---- */
/* Inserts the customer, its first contract (valid from c->valid_from), its meter (when m is
 * given) and its search entry. Sets c->id and m->id. A duplicate code is PC_ECONFLICT. */
int customer_insert(db *d, customer *c, int64_t unit_id, meter_spec *m, pc_err *e);
/* The same without the search entry, for bulk loads that call customer_index_since once at the
 * end: the full-text index flushes on every statement savepoint, so per-row index writes
 * interleaved with constrained inserts cost several times more than one batch. */
int customer_insert_unindexed(db *d, customer *c, int64_t unit_id, meter_spec *m, pc_err *e);
/* Writes the search entries of every customer with id > after_id. */
int customer_index_since(db *d, int64_t after_id, pc_err *e);
/* The highest customer id so far (0 when none). */
int customer_max_id(db *d, int64_t *out, pc_err *e);
/* The customer with the contract in force on as_of (ISO date; NULL: the latest contract). */
int customer_get(db *d, const char *code, const char *as_of, customer *out, pc_err *e);
int customer_get_by_id(db *d, int64_t id, const char *as_of, customer *out, pc_err *e);
/* Updates name, address, phone, route and status, and the search entry. */
int customer_update_identity(db *d, const customer *c, pc_err *e);
/* Appends a contract version valid from c->valid_from (PC_ECONFLICT if one exists that day). */
int contract_append(db *d, const customer *c, pc_err *e);
typedef int (*contract_fn)(void *ctx, const customer *version);
int contract_history(db *d, const customer *c, contract_fn fn, void *ctx, pc_err *e);
typedef int (*meter_fn)(void *ctx, const meter_spec *m, const char *installed_on, const char *removed_on);
int meter_list(db *d, int64_t customer_id, meter_fn fn, void *ctx, pc_err *e);

typedef struct {
    int64_t id;
    char code[16];
    char name[256];
    char address[512];
    char phone[16];
    char unit[16];
    char unit_name[256];
    char status[16];
    double score; /* lower is better (bm25), 0 for exact matches */
} customer_hit;
typedef int (*customer_hit_fn)(void *ctx, const customer_hit *h);
/* scope_path limits hits to a subtree (NULL: everywhere). */
int customer_find_by_code(db *d, const char *code, const char *scope_path, customer_hit_fn fn, void *ctx, pc_err *e);
int customer_find_by_phone(db *d, const char *phone, const char *scope_path, int limit, customer_hit_fn fn, void *ctx, pc_err *e);
/* words: folded text (base/fold), every word must match the name or address; with last_prefix
 * the last word may be the start of a longer one. */
int customer_find_by_text(db *d, const char *words, bool last_prefix, const char *scope_path, int limit,
                          customer_hit_fn fn, void *ctx, pc_err *e);

/* ---- audit log ---- */
int audit_append(db *d, const char *actor, const char *action, const char *entity, const char *entity_key,
                 const char *detail_json, pc_err *e);
typedef struct {
    int64_t entries;
    int64_t first_bad_id; /* 0 when intact */
    char why[256];
} audit_verdict;
int audit_verify(db *d, audit_verdict *v, pc_err *e);

#endif
