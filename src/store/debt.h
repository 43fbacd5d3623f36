/* Repository of the debt module (schema/016_debt.sql): report locks and their snapshots, the
 * open items as aging reads them, adjustments, legacy receivables, debt cases and documents.
 * Every function runs inside the caller's transaction; none decides anything. */
#ifndef PC_STORE_DEBT_H
#define PC_STORE_DEBT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* ---- locks ---- */
typedef struct {
    int64_t id;
    int64_t org_id;
    char org_code[16];
    char org_level[16];
    char org_path[160];
    char period[8]; /* YYYY-MM */
    char locked_at[32], locked_by[64];
    char locked_as[16]; /* the node the person acted for */
    /* filled when unlocked */
    char unlocked_at[32], unlocked_by[64], unlocked_as[16], unlock_reason[256];
} lock_row;
typedef int (*lock_row_fn)(void *ctx, const lock_row *r);
/* Locks, newest first: only active ones (no unlock) when active_only; of one period when
 * period is not NULL; under (or above) a scope path when path is not NULL. */
int lock_list(db *d, bool active_only, const char *period, const char *path, lock_row_fn fn, void *ctx, pc_err *e);
int lock_insert(db *d, lock_row *r, int64_t locked_as_id, pc_err *e); /* sets r->id */
int lock_unlock_insert(db *d, int64_t lock_id, const char *at, const char *by, int64_t as_id, const char *reason,
                       pc_err *e);
int snapshot_insert(db *d, int64_t lock_id, const char *view, const char *body, pc_err *e);
/* The snapshot body (malloc'd, the caller frees) or NULL with *found = false. */
int snapshot_get(db *d, int64_t lock_id, const char *view, char **body, bool *found, pc_err *e);
/* The path of a unit (or any node) by id, for lock checks. */
int org_path_of(db *d, int64_t org_id, char path[160], pc_err *e);
/* The unit of a customer. */
int customer_unit_of(db *d, int64_t customer_id, int64_t *unit_id, pc_err *e);

#endif
