/* The demo's staff accounts: one per role, the corporation's and each company's manager with the
 * daily digest, so the scheduler and (with issue 8) the web app have people to serve. */
#ifndef PC_APP_DEMO_USERS_H
#define PC_APP_DEMO_USERS_H

#include "store/db.h"

/* Every demo account's password (printed by `make demo`; a demo is not a production database). */
#define DEMO_PASSWORD "powercis-demo"

typedef int (*demo_user_fn)(void *ctx, const char *login, const char *role, const char *scope, const char *name);

/* Adds the accounts (audited, like any other) and reports each one. */
int demo_users(db *d, const char *actor, demo_user_fn fn, void *ctx, pc_err *e);

#endif
