/* Staff accounts: who works in the system, in which role, over which part of the organisation
 * (a scope node and its subtree), and how the daily digest reaches them. Issue 8 adds passwords
 * and sessions on the same rows. */
#ifndef PC_APP_USERS_H
#define PC_APP_USERS_H

#include <stdbool.h>

#include "store/db.h"
#include "store/users.h"

/* The changes of `user add` / `user update`: NULL leaves a field as it is (add: its default). */
typedef struct {
    const char *name, *role, *scope, *email, *phone, *chat_url, *lang;
    int digest; /* -1 unchanged, 0 off, 1 on */
} user_changes;

/* Known roles, in the order of the table in docs/cli.md. */
extern const char *const user_roles[];

/* Adds an account (name, role and scope required), audited. */
int users_add(db *d, const char *actor, const char *login, const user_changes *c, user_row *out, pc_err *e);
/* Changes an account, audited with what changed. */
int users_update(db *d, const char *actor, const char *login, const user_changes *c, user_row *out, pc_err *e);
/* Disables or enables an account with a reason, audited. A disabled account receives nothing. */
int users_set_disabled(db *d, const char *actor, const char *login, bool disabled, const char *reason, pc_err *e);

#endif
