/* Use cases of the organisation tree: adding nodes with EVN-style codes, listing with counts. */
#ifndef PC_APP_ORG_H
#define PC_APP_ORG_H

#include "store/db.h"
#include "store/repo.h"

/* Adds a node. The level follows from the code's shape; a company's parent is the corporation
 * its code starts with, a unit's the company (parent_code, when given, must agree). Audited. */
int org_add(db *d, const char *actor, const char *code, const char *name, const char *parent_code,
            org_row *out, pc_err *e);
/* The subtree path of a scope code ("PA01" → "/PA/PA01/"); NULL or "" scope gives NULL path. */
int org_scope_path(db *d, const char *scope_code, char path[160], const char **path_or_null, pc_err *e);

/* The units (level unit) under scope_path (NULL: the whole tree), sorted by code. *out is
 * malloc'd (NULL when there is none) and the caller frees it. */
int org_units(db *d, const char *scope_path, org_row **out, int *n, pc_err *e);

#endif
