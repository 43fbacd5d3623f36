/* Recording a use case's audit entry from a JSON detail object (see store/repo.h for the chain). */
#ifndef PC_APP_AUDIT_H
#define PC_APP_AUDIT_H

#include <jansson.h>

#include "store/db.h"

/* Appends the entry; takes ownership of detail (compact, sorted keys). */
int audit_event(db *d, const char *actor, const char *action, const char *entity, const char *key, json_t *detail,
                pc_err *e);

#endif
