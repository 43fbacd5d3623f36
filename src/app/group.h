/* The group view (DOMAIN 14): one database per corporation, and a group database that reads their
 * unit summaries through PostgreSQL's postgres_fdw. */
#ifndef PC_APP_GROUP_H
#define PC_APP_GROUP_H

#include "store/group.h"

/* Attaches a corporation's database to this group database. Audited. */
int group_attach_corporation(db *d, const char *actor, const char *code, const char *url, pc_err *e);

#endif
