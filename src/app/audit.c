/* Audit entries from JSON details (see audit.h). */
#include "app/audit.h"

#include <stdlib.h>

#include "store/repo.h"

int audit_event(db *d, const char *actor, const char *action, const char *entity, const char *key, json_t *detail,
                pc_err *e)
{
    char *s = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    if (!s)
        return pc_errf(e, PC_EINTERNAL, "audit: cannot encode the detail of %s", action);
    int rc = audit_append(d, actor, action, entity, key, s, e);
    free(s);
    return rc;
}
