/* Report locks (DOMAIN 10): a month closed for an org node's subtree. While a lock is active,
 * every posting, adjustment or document change dated in that month for a customer of a unit
 * inside the subtree is refused with an error naming the lock; reports of that month read the
 * snapshot stored at lock time. A node locks its own subtree (or one below it); only a node
 * strictly above the lock's node unlocks it, with a reason. Both are audited. */
#ifndef PC_APP_LOCKS_H
#define PC_APP_LOCKS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* A guard for a use case that changes many rows (a billing run, a batch file): loads the active
 * locks once; each check is a few string comparisons. */
typedef struct lock_guard lock_guard;
lock_guard *lock_guard_open(db *d, pc_err *e);
/* 0 when nothing locks a change dated `date` (ISO YYYY-MM-DD) for a customer of unit_id;
 * otherwise PC_ECONFLICT with "… is locked: period 2026-08 of PA01 (lock 3, by … at …)". */
int lock_guard_check(lock_guard *g, int64_t unit_id, const char *date, pc_err *e);
void lock_guard_close(lock_guard *g);
/* The same for one change of one customer. */
int lock_check_customer(db *d, int64_t customer_id, const char *date, pc_err *e);
int lock_check_unit(db *d, int64_t unit_id, const char *date, pc_err *e);

/* The active lock that covers `period` (YYYY-MM) for the whole subtree of the node at
 * scope_path (the node itself or one of its ancestors is locked); *id = 0 when none. */
int lock_covering(db *d, const char *scope_path, const char *period, int64_t *id, pc_err *e);

/* powercis lock / unlock. as_code: the node the person acts for (NULL: the scope itself). */
int lock_period(db *d, const char *scope_code, const char *period, const char *as_code, const char *actor,
                int64_t *lock_id, pc_err *e);
int unlock_period(db *d, const char *scope_code, const char *period, const char *as_code, const char *reason,
                  const char *actor, pc_err *e);

/* Locks under or above the node scope_code (NULL: all), of one period (NULL: any); only active
 * ones unless all. */
#include "store/debt.h"
int locks_list(db *d, const char *scope_code, const char *period, bool all, lock_row_fn fn, void *ctx, pc_err *e);

#endif
