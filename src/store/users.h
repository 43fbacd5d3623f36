/* Repository of staff accounts (schema/020_users_jobs.sql) and of the scheduler's job runs.
 * Every function runs inside the caller's transaction; none decides anything. */
#ifndef PC_STORE_USERS_H
#define PC_STORE_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    int64_t id;
    char login[64];
    char name[256];
    char role[16];
    int64_t scope_id;
    char scope_code[16];
    char scope_name[256];
    char scope_path[160];
    char email[256];
    char phone[24];
    char chat_url[512];
    char lang[4];
    bool digest;
    bool disabled;
    char created_at[32], updated_at[32];
} user_row;

/* Sets u->id; a login taken is PC_ECONFLICT. */
int user_insert(db *d, user_row *u, pc_err *e);
/* Writes every field but id, login and created_at. */
int user_update(db *d, const user_row *u, pc_err *e);
/* PC_ENOTFOUND when absent. */
int user_get(db *d, const char *login, user_row *out, pc_err *e);
int user_get_by_id(db *d, int64_t id, user_row *out, pc_err *e);
/* The account's argon2id string into hash ("" when it has no password). */
int user_password_hash(db *d, int64_t id, char *hash, size_t cap, pc_err *e);
int user_password_set(db *d, int64_t id, const char *hash, const char *updated_at, pc_err *e);
typedef int (*user_fn)(void *ctx, const user_row *u);
/* Accounts whose scope lies under scope_path (NULL: all), by login; digest_only: enabled accounts
 * that receive the daily digest. */
int user_list(db *d, const char *scope_path, bool digest_only, user_fn fn, void *ctx, pc_err *e);

typedef struct {
    int64_t id;
    char job[32];
    char slot[32];
    char status[12];
    char started_at[32], finished_at[32];
    char runner[64];
    char detail[512];
} job_run_row;

/* Takes the slot of a job for this runner: inserts a 'running' row, or takes over a 'running' or
 * 'failed' one started before stale_before (a process that died, a run that failed). *taken is
 * false when another runner holds it or it is done. */
int job_run_claim(db *d, const char *job, const char *slot, const char *runner, const char *now,
                  const char *stale_before, bool *taken, int64_t *id, pc_err *e);
int job_run_finish(db *d, int64_t id, bool ok, const char *detail, const char *now, pc_err *e);
/* The job's latest run (PC_ENOTFOUND when it never ran). */
int job_run_last(db *d, const char *job, job_run_row *out, pc_err *e);
typedef int (*job_run_fn)(void *ctx, const job_run_row *r);
/* Runs, newest first (job NULL: every job), at most limit. */
int job_run_list(db *d, const char *job, int limit, job_run_fn fn, void *ctx, pc_err *e);

#endif
